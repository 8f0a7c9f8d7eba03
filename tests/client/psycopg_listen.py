#!/usr/bin/python3
"""tests/client/psycopg_listen.py — LISTEN on a view through psycopg 3's conn.notifies().

A listener connection (autocommit) runs LISTEN v and iterates conn.notifies() while a
writer thread inserts rows over its own connection (parameterised INSERTs through the
extended protocol). Checked: every row arrives once, in order, as a Notify with the
channel, the listener's pid and a JSON payload of the row; the generator stops cleanly;
UNLISTEN ends delivery; the connection is usable afterwards. Also the session commands
psycopg sends outside autocommit (BEGIN before the first statement, COMMIT/ROLLBACK).

A watchdog ends the test with a failure if the notifications do not arrive in time
(psycopg 3.1's notifies() has no timeout of its own).

Environment: SLUICE_HOST, SLUICE_PORT (from tests/run_tests.sh).
"""
import json
import os
import sys
import threading
import time

import psycopg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from pyclient import bad, check, dsn as harness_dsn, ok, run, summary  # noqa: E402

N = 200


def watchdog(seconds):
    def fire():
        print("FAIL watchdog: no progress after %d s" % seconds)
        sys.stdout.flush()
        os._exit(1)
    t = threading.Timer(seconds, fire)
    t.daemon = True
    t.start()
    return t


def main():
    dsn = harness_dsn()
    if dsn is None:
        return 2

    # not autocommit: psycopg sends BEGIN before the first statement, COMMIT on commit()
    w = psycopg.connect(**dsn)
    w.execute("CREATE STREAM ticks (k BIGINT, sym TEXT, px DOUBLE)")
    w.execute("CREATE VIEW v AS SELECT k, sym, px * 2 AS px2 FROM ticks WHERE k >= 0 EMIT APPEND")
    TS = psycopg.pq.TransactionStatus
    check("status INTRANS after psycopg's BEGIN", TS.INTRANS, w.info.transaction_status)
    w.commit()
    check("status IDLE after COMMIT", TS.IDLE, w.info.transaction_status)
    w.execute("SELECT 1").fetchone()
    w.rollback()
    check("status IDLE after ROLLBACK", TS.IDLE, w.info.transaction_status)
    w.autocommit = True

    lis = psycopg.connect(autocommit=True, **dsn)
    lis.execute("LISTEN v")
    pid = lis.info.backend_pid

    def writer():
        with psycopg.connect(autocommit=True, **dsn) as c:
            for i in range(N):
                c.execute("INSERT INTO ticks VALUES (%s, %s, %s)", (i, "s%d" % (i % 3), i / 4))
            c.execute("INSERT INTO ticks VALUES (%s, %s, %s)", (-1, "filtered", 0.0))

    dog = watchdog(60)
    th = threading.Thread(target=writer)
    th.start()
    got = []
    gen = lis.notifies()
    for n in gen:
        got.append(n)
        if len(got) == N:
            gen.close()
    th.join()
    dog.cancel()
    check("notifications received", N, len(got))
    check("channel and pid", {("v", pid)}, {(n.channel, n.pid) for n in got})
    try:
        rows = [json.loads(n.payload) for n in got]
        check("rows in order, none lost", list(range(N)), [r["k"] for r in rows])
        check("payload of row 7", {"_op": "insert", "k": 7, "sym": "s1", "px2": 3.5},
              {k: v for k, v in rows[7].items() if k != "_epoch"})
        check("epochs do not decrease", True,
              all(a["_epoch"] <= b["_epoch"] for a, b in zip(rows, rows[1:])))
    except (ValueError, KeyError) as e:
        bad("JSON payloads", e)

    extra = []
    lis.add_notify_handler(extra.append)  # psycopg hands notifications seen by execute() here
    lis.execute("LISTEN ticks")
    w.execute("INSERT INTO ticks VALUES (1000, 'late', 1)")
    time.sleep(0.3)
    lis.execute("SELECT 1").fetchone()
    check("a handler sees notifications arriving with a query's results",
          [("ticks", 1000), ("v", 1000)],
          sorted((n.channel, json.loads(n.payload)["k"]) for n in extra))
    lis.execute("UNLISTEN *")
    del extra[:]
    w.execute("INSERT INTO ticks VALUES (1001, 'later', 1)")
    time.sleep(0.3)
    check("listener usable after notifies()", 1, lis.execute("SELECT 1").fetchone()[0])
    check("no notification after UNLISTEN", [], extra)

    lis.close()
    w.close()
    return summary()


if __name__ == "__main__":
    run(main)
