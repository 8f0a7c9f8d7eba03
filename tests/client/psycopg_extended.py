#!/usr/bin/python3
"""tests/client/psycopg_extended.py — the extended query protocol through psycopg 3.

psycopg's default cursor binds parameters on the server: Parse/Bind/Describe/Execute/Sync.
Covered: parameterised INSERT and executemany (1,000 rows, pipelined), a parameterised pull
query with typed results, binary results (binary=True) and binary parameters, a prepared
statement reused (prepare=True), an error inside an extended sequence followed by a good
statement on the same connection, parameterless statements of every kind, and
cursor.stream() over SUBSCRIBE.

Environment: SLUICE_HOST, SLUICE_PORT (from tests/run_tests.sh).
"""
import datetime
import os
import sys

import psycopg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from pyclient import bad, check, dsn as harness_dsn, ok, run, summary  # noqa: E402

def main():
    dsn = harness_dsn()
    if dsn is None:
        return 2
    conn = psycopg.connect(autocommit=True, **dsn)
    cur = conn.cursor()

    # parameterless statements of every kind through Parse/Bind/Execute (prepare=True
    # forces the extended protocol even without parameters)
    for sql, tag in (("CREATE STREAM s (sym TEXT, price DOUBLE, ts TIMESTAMP, "
                      "WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)", "CREATE STREAM"),
                     ("CREATE VIEW v AS SELECT sym, count(*) AS n, sum(price) AS total "
                      "FROM s GROUP BY sym", "CREATE VIEW"),
                     ("SET application_name = 'x'", "SET"), ("BEGIN", "BEGIN"),
                     ("COMMIT", "COMMIT"), ("SHOW STREAMS", "SHOW"),
                     ("DESCRIBE s", "DESCRIBE")):
        try:
            cur.execute(sql, prepare=True)
            check("extended %s: status" % tag, tag, cur.statusmessage.split(" ")[0]
                  if tag != "CREATE STREAM" and tag != "CREATE VIEW" else cur.statusmessage)
        except psycopg.Error as e:
            bad("extended " + sql, "%s %s" % (e.sqlstate, e))
    cur.execute("SHOW server_version", prepare=True)
    check("extended SHOW: a row", True, cur.fetchone()[0].startswith("15"))

    # parameterised INSERT (str parameters are untyped: their type comes from the column)
    t0 = datetime.datetime(2026, 1, 1)
    cur.execute("INSERT INTO s VALUES (%s, %s, %s)", ("o'brien", 1.5, t0))
    check("parameterised INSERT", ("INSERT 0 1", 1), (cur.statusmessage, cur.rowcount))
    cur.execute("INSERT INTO s VALUES (%s, %s, %s)", ("b", 2, "2026-01-01 00:00:01"))
    check("parameterised INSERT, text timestamp and int into double", "INSERT 0 1",
          cur.statusmessage)

    # executemany: 1,000 rows (psycopg pipelines them: many Parse/Bind/Execute, one Sync)
    rows = [("m%d" % (i % 10), float(i), t0 + datetime.timedelta(seconds=2 + i // 100))
            for i in range(1000)]
    cur.executemany("INSERT INTO s VALUES (%s, %s, %s)", rows)
    cur.execute("SELECT n FROM v WHERE sym LIKE %s", ("m%",))
    check("executemany of 1,000 rows", 1000, sum(r[0] for r in cur.fetchall()))

    # parameterised pull query with typed results, WHERE and LIMIT
    cur.execute("SELECT sym, n, total FROM v WHERE n >= %s AND sym <> %s ORDER BY sym LIMIT %s",
                (100, "m0", 3))
    got = cur.fetchall()
    check("parameterised pull query", [("m1", 100, 49600.0), ("m2", 100, 49700.0),
                                       ("m3", 100, 49800.0)], got)
    check("typed results", [str, int, float], [type(v) for v in got[0]] if got else None)
    cur.execute("SELECT sym, total FROM v WHERE sym = %s", ("o'brien",))
    check("quote in a parameter", [("o'brien", 1.5)], cur.fetchall())

    # binary results and binary parameters
    cur.execute("SELECT sym, n, total, n > %b AS big FROM v WHERE sym = %b",
                (50, "m5"), binary=True)
    check("binary results", [("m5", 100, 50000.0, True)], cur.fetchall())
    cur.execute("SELECT %s::timestamp AS t, %s::interval AS i",
                (datetime.datetime(2026, 3, 4, 5, 6, 7, 890000), datetime.timedelta(seconds=90)),
                binary=True)
    check("binary timestamp and interval round trip",
          [(datetime.datetime(2026, 3, 4, 5, 6, 7, 890000), datetime.timedelta(seconds=90))],
          cur.fetchall())
    cur.execute("SELECT %s::double precision * 2 AS d, %s::boolean AS b, %s::text AS t",
                (1.25, True, "héllo"), binary=True)
    check("binary double, bool, text", [(2.5, True, "héllo")], cur.fetchall())

    # a prepared statement reused (named statement: Parse once, Bind/Execute many)
    for i in range(6):
        cur.execute("SELECT n FROM v WHERE sym = %s", ("m%d" % i,), prepare=True)
        got = cur.fetchall()
    check("prepared statement reused", [(100,)], got)

    # an error inside an extended sequence, then a good statement on the same connection
    try:
        cur.execute("SELECT nosuch FROM v WHERE n = %s", (1,))
        bad("error in extended query", "no error")
    except psycopg.Error as e:
        check("error in extended query: SQLSTATE", "42703", e.sqlstate)
    try:
        cur.execute("SELECT n FROM v WHERE sym = %s", (None,))
        check("NULL parameter", [], cur.fetchall())
    except psycopg.Error as e:
        bad("NULL parameter", "%s %s" % (e.sqlstate, e))
    try:
        cur.execute("SELECT %s", ("x",))
        bad("undetermined parameter type", "no error")
    except psycopg.Error as e:
        check("undetermined parameter type: 42P18", "42P18", e.sqlstate)
    try:
        with conn.pipeline():
            cur.execute("INSERT INTO s VALUES (%s, %s, %s)", ("p", 1.0, t0))
            cur.execute("SELECT nosuch FROM v WHERE sym = %s", ("p",))
            cur.execute("INSERT INTO s VALUES (%s, %s, %s)", ("q", 1.0, t0))
        bad("error in a pipeline", "no error")
    except psycopg.Error as e:
        check("error in a pipeline: SQLSTATE", "42703", e.sqlstate)
    cur.execute("SELECT n FROM v WHERE sym = %s", ("q",))
    check("statements after the error in a pipeline were skipped", [], cur.fetchall())
    cur.execute("SELECT n FROM v WHERE sym = %s", ("b",))
    check("good statement after the errors", [(1,)], cur.fetchall())

    # SUBSCRIBE through the extended protocol: rows stream until the timeout ends it
    got = []
    try:
        for row in cur.stream("SUBSCRIBE v WITH (timeout = '500 ms')"):
            got.append(row)
        names = set(r[2] for r in got)
        check("SUBSCRIBE via cursor.stream: rows", True, {"b", "m1", "o'brien"} <= names)
        check("SUBSCRIBE via cursor.stream: columns", ["_epoch", "_op", "sym", "n", "total"],
              [d.name for d in cur.description])
    except psycopg.Error as e:
        bad("SUBSCRIBE via cursor.stream", "%s %s" % (e.sqlstate, e))
    cur.execute("SELECT %s::bigint + 1 AS x", (41,))
    check("connection usable after the stream", [(42,)], cur.fetchall())
    conn.close()
    return summary()


if __name__ == "__main__":
    run(main)
