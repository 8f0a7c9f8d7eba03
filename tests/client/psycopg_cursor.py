#!/usr/bin/python3
"""tests/client/psycopg_cursor.py — cursors and COPY over a subscription through psycopg 3.

DECLARE c CURSOR FOR SUBSCRIBE v, then FETCH n FROM c through psycopg's default cursor
(extended protocol: Parse/Bind/Describe/Execute/Sync), checking rows, order, the column
description and the FETCH tag; FETCH on an unknown cursor (34000); CLOSE; and
COPY (SUBSCRIBE v ...) TO STDOUT through cursor.copy().

Environment: SLUICE_HOST, SLUICE_PORT (from tests/run_tests.sh).
"""
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
    cur.execute("CREATE STREAM s (k TEXT, x BIGINT)")
    cur.execute("CREATE VIEW v AS SELECT k, x FROM s EMIT APPEND")
    cur.executemany("INSERT INTO s VALUES (%s, %s)", [("r%d" % i, i) for i in range(10)])
    want = [("r%d" % i, i) for i in range(10)]

    cur.execute("DECLARE c CURSOR FOR SUBSCRIBE v FROM EPOCH 1")
    check("DECLARE tag", "DECLARE CURSOR", cur.statusmessage)
    got = []
    cur.execute("FETCH 3 FROM c")
    check("FETCH 3: tag", "FETCH 3", cur.statusmessage)
    check("FETCH 3: columns", ["_epoch", "_op", "k", "x"], [d.name for d in cur.description])
    got += cur.fetchall()
    cur.execute("FETCH FORWARD 4 FROM c")
    got += cur.fetchall()
    cur.execute("FETCH ALL FROM c")
    got += cur.fetchall()
    check("FETCH 3 + 4 + ALL: every row, in order", want, [(r[2], r[3]) for r in got])
    check("FETCH: typed _epoch and _op", (int, "insert"), (type(got[0][0]), got[0][1]))
    cur.execute("FETCH 5 FROM c")
    check("FETCH past the end (extended protocol: no wait)", [], cur.fetchall())
    cur.execute("CLOSE c")
    check("CLOSE tag", "CLOSE CURSOR", cur.statusmessage)

    try:
        cur.execute("FETCH 1 FROM c")
        bad("FETCH after CLOSE fails")
    except psycopg.Error as e:
        check("FETCH after CLOSE: 34000", "34000", e.sqlstate)

    rows = []
    with cur.copy("COPY (SUBSCRIBE v FROM EPOCH 1 LIMIT 10) TO STDOUT") as copy:
        for row in copy.rows():
            rows.append(row)
    check("COPY (SUBSCRIBE ...) TO STDOUT via cursor.copy", want, [(r[2], int(r[3])) for r in rows])

    cur.execute("SELECT %s::bigint + 1 AS x", (41,))
    check("connection usable afterwards", [(42,)], cur.fetchall())
    conn.close()
    return summary()


if __name__ == "__main__":
    run(main)
