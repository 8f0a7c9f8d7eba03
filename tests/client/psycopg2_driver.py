#!/usr/bin/python3
"""tests/client/psycopg2_driver.py — psycopg2 (Debian python3-psycopg2) against sluice.

psycopg2 interpolates parameters on the client and speaks the simple protocol; outside
autocommit it wraps statements in BEGIN/COMMIT. Covered: the connect sequence, a
transaction block (BEGIN/COMMIT as no-ops), parameterised INSERT (quotes, timestamps,
NULL), executemany, a parameterised pull query with typed results, session parameters
(SET/SHOW/RESET, ParameterStatus, 22023 for a non-UTF8 client_encoding, 42704 for an
unknown parameter), and LISTEN on views and streams through conn.poll()/conn.notifies:
the rows arrive as JSON payloads with the listener's backend pid, UNLISTEN stops them,
LISTEN on an unknown name is 42P01, a dropped view ends its LISTEN with a notice, and a
listener that never reads is cut off with FATAL 54000 once its output passes the budget.

Environment: SLUICE_HOST, SLUICE_PORT (from tests/run_tests.sh).
"""
import datetime
import io
import json
import os
import select
import sys
import time

import psycopg2
import psycopg2.errors

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from pyclient import bad, check, dsn as harness_dsn, ok, summary  # noqa: E402


def connect(dsn, autocommit=True):
    c = psycopg2.connect(**dsn)
    c.autocommit = autocommit
    return c


def wait_notifies(conn, want, timeout=10.0):
    """Polls conn until it has `want` notifications (or timeout); returns them."""
    got = []
    deadline = time.time() + timeout
    while len(got) < want and time.time() < deadline:
        if select.select([conn], [], [], 0.2)[0]:
            conn.poll()
        got.extend(conn.notifies)
        conn.notifies.clear()
    return got


def expect_error(name, sqlstate, fn):
    try:
        fn()
        bad(name, "no error")
    except psycopg2.Error as e:
        check(name, sqlstate, e.pgcode)


def main():
    dsn = harness_dsn()
    if dsn is None:
        return 2
    dsn["user"] = "psycopg2"

    # a transaction block as psycopg2 makes it (BEGIN before the first statement)
    w = connect(dsn, autocommit=False)
    cur = w.cursor()
    cur.execute("CREATE STREAM trades (sym TEXT, price DOUBLE, qty BIGINT, ts TIMESTAMP, "
                "WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)")
    cur.execute("CREATE VIEW feed AS SELECT sym, price, qty, ts FROM trades EMIT APPEND")
    cur.execute("CREATE VIEW volume AS SELECT sym, count(*) AS n, sum(qty) AS q FROM trades "
                "GROUP BY sym")
    ext = psycopg2.extensions
    check("ReadyForQuery 'T' inside the block", ext.TRANSACTION_STATUS_INTRANS,
          w.info.transaction_status)
    expect_error("DISCARD ALL inside a block is 25001", "25001",
                 lambda: cur.execute("DISCARD ALL"))
    w.commit()
    check("'I' after COMMIT", ext.TRANSACTION_STATUS_IDLE, w.info.transaction_status)
    check("server_version from ParameterStatus", True, w.server_version >= 150000)
    w.autocommit = True

    # parameterised INSERT: quotes, a datetime, NULL
    t0 = datetime.datetime(2026, 1, 1, 12, 0, 0)
    cur.execute("INSERT INTO trades VALUES (%s, %s, %s, %s)", ("o'brien", 10.5, 3, t0))
    check("parameterised INSERT", "INSERT 0 1", cur.statusmessage)
    cur.execute("INSERT INTO trades VALUES (%s, %s, %s, %s)", ("nul", None, None, t0))
    check("INSERT with NULL parameters", "INSERT 0 1", cur.statusmessage)

    # executemany
    rows = [("m%d" % (i % 5), float(i), i, t0 + datetime.timedelta(seconds=i // 50))
            for i in range(500)]
    cur.executemany("INSERT INTO trades VALUES (%s, %s, %s, %s)", rows)
    cur.execute("SELECT n FROM volume WHERE sym LIKE %s", ("m%",))
    check("executemany of 500 rows", 500, sum(r[0] for r in cur.fetchall()))

    # a parameterised pull query with typed results
    cur.execute("SELECT sym, n, q FROM volume WHERE n >= %s AND sym <> %s ORDER BY sym",
                (100, "m0"))
    check("parameterised pull query", [("m1", 100, 24850), ("m2", 100, 24950),
                                       ("m3", 100, 25050), ("m4", 100, 25150)], cur.fetchall())
    cur.execute("SELECT sym, q FROM volume WHERE sym = %s", ("o'brien",))
    check("quote round trip", [("o'brien", 3)], cur.fetchall())

    # session parameters
    cur.execute("SET application_name = %s", ("psycopg2 test",))
    cur.execute("SHOW application_name")
    check("SET/SHOW application_name", "psycopg2 test", cur.fetchone()[0])
    check("ParameterStatus after SET application_name", "psycopg2 test",
          w.get_parameter_status("application_name"))
    cur.execute("SET TIME ZONE 'Europe/Paris'")
    check("ParameterStatus TimeZone", "Europe/Paris", w.get_parameter_status("TimeZone"))
    cur.execute("RESET ALL")
    check("RESET ALL reports TimeZone again", "UTC", w.get_parameter_status("TimeZone"))
    cur.execute("SET statement_timeout TO 90000")
    cur.execute("SHOW statement_timeout")
    check("statement_timeout canonical form", "90s", cur.fetchone()[0])
    expect_error("client_encoding LATIN1 is 22023", "22023",
                 lambda: w.set_client_encoding("LATIN1"))
    expect_error("unknown parameter is 42704", "42704",
                 lambda: cur.execute("SET no_such_parameter = 1"))
    cur.execute("SHOW ALL")
    names = [r[0] for r in cur.fetchall()]
    check("SHOW ALL lists DateStyle and search_path", True,
          "DateStyle" in names and "search_path" in names)

    # LISTEN on an append view and on a stream, fed by another connection
    lis = connect(dsn)
    lcur = lis.cursor()
    lcur.execute("LISTEN feed")
    check("LISTEN tag", "LISTEN", lcur.statusmessage)
    lcur.execute("LISTEN trades")
    lcur.execute("LISTEN feed")  # again: a no-op, as in PostgreSQL
    t1 = datetime.datetime(2026, 1, 1, 12, 5, 0)
    text = 'q"uote\\back\nline\ttab é ✓'
    cur.execute("INSERT INTO trades VALUES (%s, %s, %s, %s), (%s, %s, %s, %s)",
                (text, 1.25, 7, t1, "z", float("nan"), None, t1))
    got = wait_notifies(lis, 4)
    check("4 notifications (2 rows x 2 channels)", 4, len(got))
    feed = [n for n in got if n.channel == "feed"]
    check("channels", ["feed", "feed", "trades", "trades"], sorted(n.channel for n in got))
    check("pid is the listener's backend pid", {lis.get_backend_pid()}, {n.pid for n in got})
    try:
        p = [json.loads(n.payload) for n in feed]
        check("JSON payload of a row", {"_op": "insert", "sym": text, "price": 1.25, "qty": 7,
                                        "ts": "2026-01-01 12:05:00"},
              {k: v for k, v in p[0].items() if k != "_epoch"})
        check("_epoch is a number", True, isinstance(p[0]["_epoch"], int) and p[0]["_epoch"] > 0)
        check("NaN as a string, NULL as null", ("NaN", None), (p[1]["price"], p[1]["qty"]))
    except (ValueError, IndexError, KeyError) as e:
        bad("JSON payloads", "%s: %r" % (e, [n.payload for n in feed]))

    # an aggregating view: its default mode (UPDATE) sends upserts
    lcur.execute("UNLISTEN *")
    lcur.execute("LISTEN volume")
    cur.execute("INSERT INTO trades VALUES ('m1', 1, 1000, %s)", (t1,))
    got = wait_notifies(lis, 1)
    try:
        p = json.loads(got[0].payload)
        check("LISTEN on an aggregating view: an upsert", ("upsert", "m1", 101, 25850),
              (p["_op"], p["sym"], p["n"], p["q"]))
    except (ValueError, IndexError, KeyError) as e:
        bad("LISTEN volume", "%s: %r" % (e, got))

    # UNLISTEN stops them
    lcur.execute("UNLISTEN volume")
    cur.execute("INSERT INTO trades VALUES ('m1', 1, 1, %s)", (t1,))
    check("no notification after UNLISTEN", 0, len(wait_notifies(lis, 1, timeout=0.5)))

    # errors
    expect_error("LISTEN unknown name is 42P01", "42P01",
                 lambda: lcur.execute("LISTEN no_such_view"))
    expect_error("NOTIFY is 0A000", "0A000", lambda: lcur.execute("NOTIFY feed, 'x'"))

    # a dropped view ends the LISTEN with a notice
    cur.execute("CREATE VIEW gone AS SELECT sym FROM trades EMIT APPEND")
    lcur.execute("LISTEN gone")
    cur.execute("DROP VIEW gone")
    deadline = time.time() + 5
    while time.time() < deadline and not any("LISTEN gone ended" in n for n in lis.notices):
        if select.select([lis], [], [], 0.2)[0]:
            lis.poll()
    check("DROP VIEW ends its LISTEN with a notice", True,
          any("LISTEN gone ended" in n for n in lis.notices))
    lcur.execute("SELECT 1")
    check("listener still usable after the drop", (1,), lcur.fetchone())

    # a listener that never reads: cut off at the output budget (64 MiB) with FATAL 54000
    cur.execute("CREATE STREAM big (k BIGINT, pad TEXT)")
    slow = connect(dsn)
    slow.cursor().execute("LISTEN big")
    pad = "x" * 2000
    for _ in range(10):  # 50,000 notifications of 2 kB: 100 MB
        cur.copy_expert("COPY big FROM STDIN",
                        io.StringIO("".join("%d\t%s\n" % (i, pad) for i in range(5000))))
    received, err = 0, None
    deadline = time.time() + 30
    try:
        while time.time() < deadline:
            if select.select([slow], [], [], 0.5)[0]:
                slow.poll()
            received += len(slow.notifies)
            slow.notifies.clear()
    except psycopg2.OperationalError as e:
        err = e
    check("slow listener disconnected", True, err is not None)
    check("slow listener got part of the rows before the cut", True, 0 < received < 50000)
    check("slow listener told why (FATAL 54000 text)", True,
          any("too many notifications" in n for n in slow.notices))
    cur.execute("SELECT 1")
    check("server fine after the cut", (1,), cur.fetchone())

    lis.close()
    w.close()
    return summary()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except psycopg2.Error as e:
        print("FAIL unexpected %s: %s (SQLSTATE %s)" % (type(e).__name__, e, e.pgcode))
        sys.exit(1)
