#!/usr/bin/python3
"""tests/client/libpq_python.py — psycopg 3 (Debian python3-psycopg, over libpq) against sluiced.

Decision: psycopg is used, mostly over the *simple* query protocol:
  - cursor.execute(sql) with no parameters: psycopg sends a simple Query (PQsendQuery);
  - psycopg.ClientCursor: parameters are bound on the client, so execute(sql, params) is a
    simple Query too;
  - cursor.copy("COPY ... FROM STDIN"): the COPY sub-protocol;
  - connection.cancel(): a CancelRequest on a new socket.
A server-side-bound execute(sql, params) uses Parse/Bind/Execute: it must work (the extended
protocol is tested in depth by psycopg_extended.py).

Environment: SLUICE_HOST, SLUICE_PORT (from tests/run_tests.sh).
"""
import datetime
import os
import sys
import threading
import time

import psycopg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from pyclient import bad, check, dsn as harness_dsn, ok, run, summary  # noqa: E402

def main():
    dsn = harness_dsn()
    if dsn is None:
        return 2
    conn = psycopg.connect(autocommit=True, **dsn)
    sv = conn.info.parameter_status("server_version")
    if sv and sv.startswith("15"):
        ok("connect: server_version %s" % sv)
    else:
        bad("connect: server_version", sv)

    cur = conn.cursor()
    cur.execute("CREATE STREAM trades (sym TEXT, price DOUBLE, qty BIGINT, ts TIMESTAMP, "
                "WATERMARK FOR ts AS ts - INTERVAL '2' SECOND)")
    check("CREATE STREAM status", "CREATE STREAM", cur.statusmessage)
    cur.execute("CREATE VIEW v AS SELECT sym, window_start, window_end, count(*) AS n, "
                "sum(qty) AS q, avg(price) AS p FROM TUMBLE(trades, ts, INTERVAL '10' SECOND) "
                "GROUP BY sym, window_start, window_end EMIT APPEND")
    check("CREATE VIEW status", "CREATE VIEW", cur.statusmessage)

    # client-side binding: quotes in values must survive the round trip
    cc = psycopg.ClientCursor(conn)
    cc.execute("INSERT INTO trades VALUES (%s, %s, %s, %s), (%s, %s, %s, %s)",
               ("o'brien", 1.25, 3, "2026-01-01 00:00:01", "b", 2.5, 4, "2026-01-01 00:00:02"))
    check("INSERT with client-side parameters", ("INSERT 0 2", 2), (cc.statusmessage, cc.rowcount))

    with cur.copy("COPY trades FROM STDIN (FORMAT csv)") as cp:
        cp.write('b,3.5,6,2026-01-01 00:00:05\n"a,b",1,1,2026-01-01 00:00:06\n')
        cp.write("z,0,1,2026-01-01 00:00:30\n")     # closes window [00:00:00, 00:00:10)
    check("COPY FROM STDIN via cursor.copy", ("COPY 3", 3), (cur.statusmessage, cur.rowcount))

    # typed results: bigint -> int, double -> float, timestamp -> datetime
    cur.execute("SELECT sym, window_start, n, q, p FROM v ORDER BY window_start, sym")
    rows = cur.fetchall()
    t0 = datetime.datetime(2026, 1, 1)
    want = [("a,b", t0, 1, 1, 1.0), ("b", t0, 2, 10, 3.0), ("o'brien", t0, 1, 3, 1.25),
            ("z", t0 + datetime.timedelta(seconds=30), 1, 1, 0.0)]
    check("pull SELECT with typed values", want, rows)
    check("result column names", ["sym", "window_start", "n", "q", "p"],
          [d.name for d in cur.description])

    # errors carry their SQLSTATE, and the connection survives them
    for sql, state in (("SELECT nosuch FROM v", "42703"), ("SELECT * FROM nosuch", "42P01"),
                       ("SELEC 1", "42601"), ("SELECT * FROM trades", None)):
        try:
            cur.execute(sql)
            bad("error for %r" % sql, "no error")
        except psycopg.Error as e:
            if state is None or e.sqlstate == state:
                ok("error %s for %r: %s" % (e.sqlstate, sql, e.diag.message_primary))
            else:
                bad("error for %r" % sql, "SQLSTATE %s, want %s: %s" % (e.sqlstate, state, e))
    cur.execute("SELECT 1 AS one")
    check("connection usable after errors", [(1,)], cur.fetchall())

    # the extended protocol (server-side parameters) works
    try:
        cur.execute("SELECT sym FROM v WHERE n = %s ORDER BY sym", (2,))
        check("extended protocol query", [("b",)], cur.fetchall())
    except psycopg.Error as e:
        bad("extended protocol", "%s %s" % (e.sqlstate, e))
    cur.execute("SELECT 2 AS two")
    check("connection usable after the extended-protocol attempt", [(2,)], cur.fetchall())

    # SUBSCRIBE with LIMIT ends by itself; epoch 1 is the view's first epoch, so this
    # replays everything (the epoch that closed the window is not compared: it depends on
    # how epochs are counted)
    try:
        cur.execute("SUBSCRIBE v FROM EPOCH 1 LIMIT 3")
        got = cur.fetchall()
        check("SUBSCRIBE FROM EPOCH 1 LIMIT 3: columns",
              ["_epoch", "_op", "sym", "window_start", "window_end", "n", "q", "p"],
              [d.name for d in cur.description])
        check("SUBSCRIBE FROM EPOCH 1 LIMIT 3: rows",
              [("insert", "a,b"), ("insert", "b"), ("insert", "o'brien")],
              sorted(r[1:3] for r in got))
    except psycopg.Error as e:
        bad("SUBSCRIBE v FROM EPOCH 1 LIMIT 3", "%s %s" % (e.sqlstate, e))

    # a blocking SUBSCRIBE is ended by a CancelRequest from another thread: 57014
    sub = psycopg.connect(autocommit=True, **dsn)
    timer = threading.Timer(0.5, sub.cancel)
    timer.start()
    t = time.time()
    try:
        sub.execute("SUBSCRIBE v")
        bad("cancel SUBSCRIBE", "SUBSCRIBE returned without an error")
    except psycopg.errors.QueryCanceled as e:
        ok("cancel SUBSCRIBE: 57014 after %.1fs (%s)" % (time.time() - t, e.diag.message_primary))
    except psycopg.Error as e:
        bad("cancel SUBSCRIBE", "%s %s" % (e.sqlstate, e))
    timer.join()
    check("connection usable after a cancelled SUBSCRIBE", [(3,)], sub.execute("SELECT 3").fetchall())
    sub.close()

    cur.execute("SHOW STREAMS")
    names = [r[0] for r in cur.fetchall()]
    check("SHOW STREAMS", True, "trades" in names)
    conn.close()
    return summary()


if __name__ == "__main__":
    run(main)
