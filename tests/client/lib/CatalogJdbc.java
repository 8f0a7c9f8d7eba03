// tests/client/lib/CatalogJdbc.java — the PostgreSQL JDBC driver (Debian's
// libpostgresql-jdbc-java) against sluiced: its connect sequence, PreparedStatement INSERT
// into a stream and a pull query on a view with typed getters, and DatabaseMetaData
// getTables / getColumns, which the driver answers with its own pg_catalog queries.
// Run by tests/client/catalog_jdbc.sh: java -cp postgresql.jar CatalogJdbc.java PORT
// prepareThreshold. Prints "ok NAME" / "FAIL NAME ..." lines; exits 1 on any failure.
import java.sql.*;
import java.util.*;

public class CatalogJdbc {
    static int failed = 0, passed = 0;

    static void check(String name, Object want, Object got) {
        if (Objects.equals(want, got)) {
            passed++;
            System.out.println("ok   " + name);
        } else {
            failed++;
            System.out.println("FAIL " + name + "\n     want " + want + "\n      got " + got);
        }
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/sluice?prepareThreshold=" + args[1]
                     + "&connectTimeout=10&socketTimeout=20";
        try (Connection c = DriverManager.getConnection(url, "jdbc", "")) {
            DatabaseMetaData md = c.getMetaData();
            check("database product", "PostgreSQL", md.getDatabaseProductName());
            check("server version", "15.0 (sluice 0.1)", md.getDatabaseProductVersion());
            try (Statement st = c.createStatement()) {
                st.execute("CREATE STREAM trades (sym TEXT, price DOUBLE, qty BIGINT, ts TIMESTAMP)");
                st.execute("CREATE VIEW vwap AS SELECT sym, sum(price * qty) / sum(qty) AS vwap, "
                           + "count(*) AS n, max(ts) AS last_ts FROM trades GROUP BY sym");
            }
            int rows = 0;
            try (PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO trades (sym, price, qty, ts) VALUES (?, ?, ?, ?)")) {
                Object[][] data = {{"a", 10.0, 1L, "2026-01-01 00:00:01"}, {"a", 20.0, 3L, "2026-01-01 00:00:02"},
                                   {"b", 5.5, 2L, "2026-01-01 00:00:03"}};
                for (Object[] r : data) {
                    ps.setString(1, (String) r[0]);
                    ps.setDouble(2, (Double) r[1]);
                    ps.setLong(3, (Long) r[2]);
                    ps.setTimestamp(4, Timestamp.valueOf((String) r[3]));
                    rows += ps.executeUpdate();
                }
            }
            check("PreparedStatement INSERT x3", 3, rows);
            for (int round = 0; round < 3; round++) { // named statements + binary after the threshold
                try (PreparedStatement ps = c.prepareStatement(
                         "SELECT sym, vwap, n, last_ts FROM vwap WHERE sym = ?")) {
                    ps.setString(1, "a");
                    try (ResultSet rs = ps.executeQuery()) {
                        List<String> got = new ArrayList<>();
                        while (rs.next())
                            got.add(rs.getString(1) + " " + rs.getDouble(2) + " " + rs.getLong(3) + " "
                                    + rs.getTimestamp(4));
                        check("pull query, typed getters (round " + round + ")",
                              List.of("a 17.5 2 2026-01-01 00:00:02.0"), got);
                    }
                }
            }
            for (int round = 0; round < 2; round++) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = md.getTables(null, "public", "%", new String[] {"TABLE", "VIEW"})) {
                    while (rs.next())
                        tables.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME") + " "
                                   + rs.getString("TABLE_TYPE"));
                }
                check("getTables (round " + round + ")", List.of("public.trades TABLE", "public.vwap VIEW"),
                      tables);
            }
            List<String> cols = new ArrayList<>();
            try (ResultSet rs = md.getColumns(null, null, "trades", "%")) {
                while (rs.next())
                    cols.add(rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME") + " "
                             + rs.getInt("DATA_TYPE") + " " + rs.getInt("ORDINAL_POSITION") + " "
                             + rs.getString("IS_NULLABLE"));
            }
            check("getColumns(trades)", List.of("sym text 12 1 YES", "price float8 8 2 YES",
                                                "qty int8 -5 3 YES", "ts timestamp 93 4 YES"), cols);
            cols.clear();
            try (ResultSet rs = md.getColumns(null, null, "vwap", "%")) {
                while (rs.next())
                    cols.add(rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME"));
            }
            check("getColumns(vwap)", List.of("sym text", "vwap float8", "n int8", "last_ts timestamp"), cols);
            List<String> schemas = new ArrayList<>();
            try (ResultSet rs = md.getSchemas()) {
                while (rs.next())
                    schemas.add(rs.getString("TABLE_SCHEM"));
            }
            check("getSchemas includes public", true, schemas.contains("public"));
            try (ResultSet rs = md.getPrimaryKeys(null, null, "trades")) {
                check("getPrimaryKeys(trades): none", false, rs.next());
            }
            try (ResultSet rs = md.getIndexInfo(null, null, "trades", false, true)) {
                check("getIndexInfo(trades): none", false, rs.next());
            }
            try (ResultSet rs = md.getImportedKeys(null, null, "trades")) {
                check("getImportedKeys(trades): none", false, rs.next());
            }
            Set<String> types = new HashSet<>();
            try (ResultSet rs = md.getTypeInfo()) {
                while (rs.next())
                    types.add(rs.getString("TYPE_NAME"));
            }
            check("getTypeInfo has int8, float8, text, timestamp, interval, bool", true,
                  types.containsAll(List.of("int8", "float8", "text", "timestamp", "interval", "bool")));
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT current_schema(), current_user")) {
                rs.next();
                check("current_schema(), current_user", "public jdbc", rs.getString(1) + " " + rs.getString(2));
            }
            try (Statement st = c.createStatement()) {
                st.executeQuery("SELECT nosuch FROM pg_class");
                check("bad catalog query raises", "SQLException", "nothing");
            } catch (SQLException e) {
                check("bad catalog query: SQLSTATE 42703", "42703", e.getSQLState());
            }
        }
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
