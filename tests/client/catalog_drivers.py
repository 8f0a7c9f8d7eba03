#!/usr/bin/python3
"""tests/client/catalog_drivers.py — what Python tools read from pg_catalog, against sluiced.

- psycopg 3's type lookup: TypeInfo.fetch / RangeInfo.fetch (Parse/Bind with a text parameter
  cast ::regtype, oid::regtype::text), None for a type that does not exist (42704 inside);
- catalog queries with array parameters (= ANY(%s)), binary results, session functions;
- pgcli's completion queries, run through pgcli's own PGExecute (schemata, tables, views,
  columns, functions, datatypes, foreign keys, databases, search_path): they must succeed and
  list sluice's streams and views with their column types.

Environment: SLUICE_HOST, SLUICE_PORT (from tests/run_tests.sh).
"""
import os
import sys

import psycopg
from psycopg.types import TypeInfo
from psycopg.types.range import RangeInfo

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from pyclient import bad, check, dsn as harness_dsn, ok, run, summary  # noqa: E402


def main():
    dsn = harness_dsn()
    if dsn is None:
        return 2
    conn = psycopg.connect(autocommit=True, **dsn)
    cur = conn.cursor()
    cur.execute("CREATE STREAM trades (sym TEXT, price DOUBLE, qty BIGINT, ts TIMESTAMP, "
                "ok BOOLEAN, iv INTERVAL, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)")
    cur.execute("CREATE VIEW vwap AS SELECT sym, window_start, count(*) AS n, "
                "sum(price * qty) / sum(qty) AS vwap FROM TUMBLE(trades, ts, INTERVAL '1' MINUTE) "
                "GROUP BY sym, window_start, window_end")

    # psycopg's type lookup
    t = TypeInfo.fetch(conn, "float8")
    check("TypeInfo.fetch(float8)", ("float8", 701, 1022), (t.name, t.oid, t.array_oid))
    t = TypeInfo.fetch(conn, "double precision")
    check("TypeInfo.fetch('double precision')", ("float8", 701), (t.name, t.oid))
    t = TypeInfo.fetch(conn, "timestamp")
    check("TypeInfo.fetch(timestamp)", ("timestamp", 1114, 1115), (t.name, t.oid, t.array_oid))
    t = TypeInfo.fetch(conn, "interval")
    check("TypeInfo.fetch(interval)", ("interval", 1186), (t.name, t.oid))
    check("TypeInfo.fetch(hstore) is None (no such type)", None, TypeInfo.fetch(conn, "hstore"))
    r = RangeInfo.fetch(conn, "int8range")
    check("RangeInfo.fetch(int8range)", (3926, 20), (r.oid, r.subtype_oid))

    # parameters, arrays, result types
    cur.execute("SELECT c.relname, c.relkind FROM pg_catalog.pg_class c "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind = ANY(%s) ORDER BY 1", ["public", ["r", "v"]])
    check("relations of public by relkind = ANY(array param)",
          [("trades", "r"), ("vwap", "v")], cur.fetchall())
    cur.execute("SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attnum "
                "FROM pg_attribute a WHERE a.attrelid = %s::regclass AND a.attnum > 0 "
                "ORDER BY a.attnum", ["vwap"])
    check("columns of vwap via ::regclass, typed results",
          [("sym", "text", False, 1), ("window_start", "timestamp without time zone", False, 2),
           ("n", "bigint", False, 3), ("vwap", "double precision", False, 4)], cur.fetchall())
    bcur = conn.cursor(binary=True)
    bcur.execute("SELECT relname, relnatts, oid, relhasindex FROM pg_class WHERE relname = %s",
                 ["trades"])
    row = bcur.fetchone()
    check("binary results: name, int2, oid, bool", ("trades", 6, False),
          (row[0], row[1], row[3]))
    check("binary results: a user relation's oid", True, row[2] >= 16384)
    bcur.execute("SELECT ARRAY['a', NULL, 'b c']::text[], current_schemas(true), "
                 "ARRAY[1, 2]::int8[], '{}'::int2[]")
    check("binary results: arrays (text[], name[], int8[], empty int2[])",
          (["a", None, "b c"], ["pg_catalog", "public"], [1, 2], []), bcur.fetchone())
    cur.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                "WHERE table_name = 'trades' ORDER BY ordinal_position")
    check("information_schema.columns",
          [("trades", "sym", "text"), ("trades", "price", "double precision"),
           ("trades", "qty", "bigint"), ("trades", "ts", "timestamp without time zone"),
           ("trades", "ok", "boolean"), ("trades", "iv", "interval")], cur.fetchall())
    cur.execute("SELECT table_name, table_type FROM information_schema.tables "
                "WHERE table_schema = 'public' ORDER BY 1")
    check("information_schema.tables",
          [("trades", "BASE TABLE"), ("vwap", "VIEW")], cur.fetchall())
    cur.execute("SELECT current_setting('server_version_num'), pg_backend_pid() > 0, "
                "current_database(), current_user, version() LIKE 'PostgreSQL 15.0 (sluice%%'")
    check("session functions", ("150000", True, "sluice", "py", True), cur.fetchone())
    try:
        cur.execute("SELECT current_setting('no.such_setting')")
        bad("current_setting of an unknown parameter raises")
    except psycopg.Error as e:
        check("current_setting of an unknown parameter: 42704", "42704", e.sqlstate)
    try:
        cur.execute("SELECT * FROM pg_catalog.pg_nosuch")
        bad("unknown catalog relation raises")
    except psycopg.Error as e:
        check("unknown catalog relation: 42P01", "42P01", e.sqlstate)
    cur.execute("SELECT 1")
    check("session usable after errors", [(1,)], cur.fetchall())

    # pgcli's completion queries, through pgcli itself
    try:
        from pgcli.pgexecute import PGExecute
    except ImportError as e:
        bad("pgcli importable (Debian package pgcli)", str(e))
        return summary()
    ex = PGExecute("sluice", "pgcli", None, dsn["host"], dsn["port"], None)
    check("pgcli search_path", ["pg_catalog", "public"], ex.search_path())
    schemata = ex.schemata()
    check("pgcli schemata include public and pg_catalog", True,
          "public" in schemata and "pg_catalog" in schemata)
    check("pgcli tables: public.trades", [("public", "trades")],
          [t for t in ex.tables() if t[0] == "public"])
    check("pgcli views: public.vwap", [("public", "vwap")],
          [t for t in ex.views() if t[0] == "public"])
    cols = [(c[1], c[2], c[3]) for c in ex.table_columns() if c[0] == "public"]
    check("pgcli table columns with types",
          [("trades", "sym", "text"), ("trades", "price", "double precision"),
           ("trades", "qty", "bigint"), ("trades", "ts", "timestamp without time zone"),
           ("trades", "ok", "boolean"), ("trades", "iv", "interval")], cols)
    cols = [(c[1], c[2], c[3]) for c in ex.view_columns() if c[0] == "public"]
    check("pgcli view columns with types",
          [("vwap", "sym", "text"), ("vwap", "window_start", "timestamp without time zone"),
           ("vwap", "n", "bigint"), ("vwap", "vwap", "double precision")], cols)
    funcs = {f.func_name for f in ex.functions()}
    check("pgcli functions include count and version", True, {"count", "version"} <= funcs)
    check("pgcli datatypes (no user-defined types)", [], list(ex.datatypes()))
    check("pgcli foreign keys (none)", [], list(ex.foreignkeys()))
    check("pgcli databases", ["sluice"], ex.databases())

    # pgcli's backslash commands (pgspecial), which send their own catalog queries
    try:
        from pgspecial.main import PGSpecial
    except ImportError as e:
        bad("pgspecial importable (Debian package pgcli)", str(e))
        return summary()
    sp = PGSpecial()

    def special(cmd):
        with conn.cursor() as c:
            return [(headers, [tuple(r) for r in rows] if rows is not None else None)
                    for _title, rows, headers, _status in sp.execute(c, cmd)]

    check("pgcli \\d", [(["Schema", "Name", "Type", "Owner"],
                         [("public", "trades", "table", "py"), ("public", "vwap", "view", "py")])],
          special("\\d"))
    check("pgcli \\d vwap", [(["Column", "Type", "Modifiers"],
                              [("sym", "text", ""), ("window_start", "timestamp without time zone", ""),
                               ("n", "bigint", ""), ("vwap", "double precision", "")])],
          special("\\d vwap"))
    got = special("\\d+ trades")
    check("pgcli \\d+ trades: columns and storage",
          [("sym", "text", "extended"), ("price", "double precision", "plain"),
           ("qty", "bigint", "plain"), ("ts", "timestamp without time zone", "plain"),
           ("ok", "boolean", "plain"), ("iv", "interval", "plain")],
          [(r[0], r[1], r[3]) for r in got[0][1]] if got and got[0][1] else got)
    check("pgcli \\dn", [(["Name", "Owner"], [("public", "pg_database_owner")])], special("\\dn"))
    check("pgcli \\l", [("sluice", "py", "UTF8")], [r[:3] for r in special("\\l")[0][1]])
    return summary()


if __name__ == "__main__":
    run(main)
