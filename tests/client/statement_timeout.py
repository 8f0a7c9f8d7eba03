#!/usr/bin/python3
"""tests/client/statement_timeout.py — SET statement_timeout ends the statements that stream.

A SUBSCRIBE (simple and extended protocol), a COPY (SUBSCRIBE ...) TO STDOUT and a FETCH that
waits for rows are the statements that do not finish by themselves; with statement_timeout
set they end with 57014 "canceling statement due to statement timeout" after about that
long, the connection stays usable, and with statement_timeout = 0 (the default) a
SUBSCRIBE ... WITH (timeout) is not cut short. Other statements finish within their call.

Environment: SLUICE_HOST, SLUICE_PORT (from tests/run_tests.sh).
"""
import os
import sys
import time

import psycopg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from pyclient import bad, check, dsn as harness_dsn, ok, run, summary  # noqa: E402


def timed_out(name, fn, lo=0.25, hi=3.0):
    t = time.time()
    try:
        fn()
        bad(name + ": ended with 57014", "it ended without an error")
        return
    except psycopg.Error as e:
        dt = time.time() - t
        check(name + ": SQLSTATE", "57014", e.sqlstate)
        check(name + ": message", "canceling statement due to statement timeout",
              str(e).strip().splitlines()[0])
        if lo <= dt <= hi:
            ok(name + ": after %.2f s (timeout 0.3 s)" % dt)
        else:
            bad(name + ": after about 0.3 s", "took %.2f s" % dt)


def main():
    dsn = harness_dsn()
    if dsn is None:
        return 2
    conn = psycopg.connect(autocommit=True, **dsn)
    conn.execute("CREATE STREAM s (a BIGINT)")
    conn.execute("CREATE VIEW v AS SELECT a FROM s")
    conn.execute("SET statement_timeout = '300ms'")
    check("SHOW statement_timeout", "300ms", conn.execute("SHOW statement_timeout").fetchone()[0])

    def stream():
        for _ in conn.cursor().stream("SUBSCRIBE v"):
            pass
    timed_out("SUBSCRIBE, extended protocol", stream)
    check("usable after it", (1,), conn.execute("SELECT 1").fetchone())

    # a client-side-binding cursor sends the simple Query message
    pq = psycopg.connect(autocommit=True, cursor_factory=psycopg.ClientCursor, **dsn)
    pq.execute("SET statement_timeout TO 300")
    timed_out("SUBSCRIBE, simple protocol", lambda: pq.execute("SUBSCRIBE v"))

    def copy_out():
        with conn.cursor().copy("COPY (SUBSCRIBE v) TO STDOUT") as cp:
            for _ in cp:
                pass
    timed_out("COPY (SUBSCRIBE v) TO STDOUT", copy_out)

    conn.execute("DECLARE c CURSOR FOR SUBSCRIBE v WITH (timeout = '5 seconds')")
    timed_out("FETCH waiting for rows", lambda: conn.execute("FETCH 10 FROM c"))
    conn.execute("INSERT INTO s VALUES (1), (2)")
    rows = conn.execute("FETCH 10 FROM c").fetchall()
    check("the cursor survives the cancelled FETCH", [(1,), (2,)], [r[2:] for r in rows])

    conn.execute("RESET statement_timeout")
    t = time.time()
    rows = conn.execute("SUBSCRIBE v WITH (timeout = '600 ms')").fetchall()
    dt = time.time() - t
    check("statement_timeout 0: SUBSCRIBE ... WITH (timeout) ends by itself", [], rows)
    if dt >= 0.5:
        ok("... after its own 0.6 s (%.2f s)" % dt)
    else:
        bad("... after its own 0.6 s", "%.2f s" % dt)
    pq.close()
    conn.close()
    return summary()


if __name__ == "__main__":
    run(main)
