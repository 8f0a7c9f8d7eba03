#!/usr/bin/python3
"""fuzz/sessions.py — the client sessions whose byte streams make fuzz/corpus
(run by fuzz/make_corpus.sh through fuzz/capture.py).

Every session is self-contained (it creates the streams and views it uses),
because fuzz_session.c runs each input against an empty engine. Covered:
psycopg 3 simple and extended protocol, parameters in text and binary, binary
results, prepared statements, executemany (pipelined), COPY FROM STDIN (text and
CSV), COPY (SUBSCRIBE ...) TO STDOUT, cursor.stream() over SUBSCRIBE, DECLARE /
FETCH cursors, a cancel request, errors inside an extended sequence.

usage: sessions.py PORT
"""
import datetime
import sys
import threading
import time

import psycopg

PORT = int(sys.argv[1])
N = [0]


def connect(**kw):
    return psycopg.connect(host="127.0.0.1", port=PORT, user="fuzz", dbname="sluice",
                           autocommit=True, connect_timeout=10, **kw)


def names():
    N[0] += 1
    return "s%d" % N[0], "v%d" % N[0]


def setup(cur, s, v, windowed=False):
    cur.execute("CREATE STREAM %s (k TEXT, x BIGINT, f DOUBLE, b BOOLEAN, ts TIMESTAMP, "
                "WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)" % s)
    if windowed:
        cur.execute("CREATE VIEW %s AS SELECT k, window_start, count(*) AS n, sum(x) AS t "
                    "FROM TUMBLE(%s, ts, INTERVAL '10' SECOND) GROUP BY k, window_start, "
                    "window_end EMIT APPEND" % (v, s))
    else:
        cur.execute("CREATE VIEW %s AS SELECT k, x, f, b, ts FROM %s EMIT APPEND" % (v, s))


T0 = datetime.datetime(2026, 1, 1)


def s_simple():
    s, v = names()
    with connect() as c:
        cur = c.cursor()
        setup(cur, s, v, windowed=True)
        cur.execute("INSERT INTO %s VALUES ('a', 1, 1.5, true, TIMESTAMP '2026-01-01 00:00:01'),"
                    " ('b', 2, -2.5, false, TIMESTAMP '2026-01-01 00:00:12')" % s)
        cur.execute("SELECT * FROM %s ORDER BY k" % v)
        cur.fetchall()
        cur.execute("SHOW %s STATUS" % s)
        try:
            cur.execute("SELEC oops")
        except psycopg.Error:
            pass
        cur.execute("SELECT 1 + 2, 'x' || 'y', NULL")


def s_params(binary):
    s, v = names()
    with connect() as c:
        cur = c.cursor(binary=binary)
        setup(cur, s, v)
        cur.execute("INSERT INTO %s VALUES (%%s, %%s, %%s, %%s, %%s)" % s,
                    ("k1", 42, 3.25, True, T0 + datetime.timedelta(seconds=3)), binary=binary)
        cur.executemany("INSERT INTO %s VALUES (%%s, %%s, %%s, %%s, %%s)" % s,
                        [("k%d" % i, i, i / 4, i % 2 == 0, T0 + datetime.timedelta(seconds=i))
                         for i in range(5)])
        cur.execute("SELECT k, x, f, b, ts FROM %s WHERE x > %%s ORDER BY x" % v, (1,),
                    binary=binary)
        cur.fetchall()
        cur.execute("SELECT %s::bigint + 1, %s::text, %s::double precision", (5, "t", 1.5),
                    prepare=True)
        cur.execute("SELECT %s::bigint + 1, %s::text, %s::double precision", (6, "u", 2.5),
                    prepare=True)
        try:
            cur.execute("SELECT no_such_column FROM %s WHERE x = %%s" % v, (1,))
        except psycopg.Error:
            pass
        cur.execute("SELECT k FROM %s WHERE b = %%s" % v, (True,), prepare=True)


def s_copy():
    s, v = names()
    with connect() as c:
        cur = c.cursor()
        setup(cur, s, v)
        with cur.copy("COPY %s FROM STDIN" % s) as cp:
            cp.write("a\t1\t0.5\tt\t2026-01-01 00:00:01\nb\t\\N\t1e3\tf\t2026-01-01 00:00:02\n")
        with cur.copy("COPY %s FROM STDIN (FORMAT csv)" % s) as cp:
            cp.write('c,3,"2.5",true,2026-01-01 00:00:03\nd,,,,2026-01-01 00:00:04\n')
        try:
            with cur.copy("COPY %s FROM STDIN" % s) as cp:
                cp.write("bad\trow\n")
        except psycopg.Error:
            pass
        with cur.copy("COPY (SUBSCRIBE %s FROM EPOCH 1 LIMIT 3) TO STDOUT" % v) as cp:
            for _ in cp.rows():
                pass


def s_stream_cancel():
    s, v = names()
    with connect() as c:
        cur = c.cursor()
        setup(cur, s, v)
        cur.execute("INSERT INTO %s VALUES ('a', 1, 0, true, TIMESTAMP '2026-01-01 00:00:01')" % s)
        got = 0
        try:
            for _ in cur.stream("SUBSCRIBE %s FROM EPOCH 1" % v):
                got += 1
                threading.Timer(0.2, c.cancel).start()
        except psycopg.Error:
            pass
        cur.execute("SELECT 1")


def s_stream_limit():
    s, v = names()
    with connect() as c:
        cur = c.cursor()
        setup(cur, s, v)
        cur.execute("INSERT INTO %s VALUES ('a', 1, 0, true, TIMESTAMP '2026-01-01 00:00:01'),"
                    " ('b', 2, 0, false, TIMESTAMP '2026-01-01 00:00:02')" % s)
        for _ in cur.stream("SUBSCRIBE %s FROM EPOCH 1 LIMIT 2" % v):
            pass


def s_cursor():
    s, v = names()
    with connect() as c:
        cur = c.cursor()
        setup(cur, s, v)
        cur.execute("INSERT INTO %s VALUES ('a', 1, 0, true, TIMESTAMP '2026-01-01 00:00:01')" % s)
        cur.execute("DECLARE c CURSOR FOR SUBSCRIBE %s FROM EPOCH 1 WITH (timeout = '0.1 seconds')" % v)
        cur.execute("FETCH 5 FROM c")
        cur.fetchall()
        cur.execute("CLOSE c")


def s_catalog():
    with connect() as c:
        cur = c.cursor()
        for q in ("SELECT version()", "SELECT current_schema()", "SHOW server_version",
                  "SET application_name = 'x'", "BEGIN", "COMMIT",
                  "SELECT oid, typname FROM pg_catalog.pg_type LIMIT 3"):
            try:
                cur.execute(q)
            except psycopg.Error:
                pass


for f in (s_simple, lambda: s_params(False), lambda: s_params(True), s_copy, s_stream_cancel,
          s_stream_limit, s_cursor, s_catalog):
    try:
        f()
    except psycopg.Error as e:
        print("session error (kept):", e)
    time.sleep(0.05)
