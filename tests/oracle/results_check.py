#!/usr/bin/python3
"""tests/oracle/results_check.py — sluice's windowed aggregates against PostgreSQL 15.

Generates events deterministically (the seed is printed; SEED=n to repeat a run), sends them
to sluiced with COPY FROM STDIN (CSV, in batches), closes every window with one sentinel
event far in the future, reads the APPEND view with a pull query, and compares it row for
row with the same aggregation computed by PostgreSQL over the same events:

    count(*), count(price), sum(qty), min(price), max(price), avg(price)
    per (sym, 10-second tumbling window)   -- PG: date_bin('10 seconds', ts, '1970-01-01')

1. in order: event time advances 1 ms per event, arrival jitter up to 4 s against a 5 s
   watermark delay, so no event is late; late_events must be 0.
2. with late events: 15% of the events get a jitter up to 9 s against the same 5 s delay. The expected input is
   computed by replaying arrival order (an event is late iff ts < max(ts of the earlier
   events) - delay); only the on-time events go to PostgreSQL, and SHOW <stream> STATUS
   must report exactly the number of late events.

Doubles are compared with a relative tolerance of 1e-9 (sums of doubles depend on order).

Talks to sluiced with psycopg 3 (Debian python3-psycopg) using only the simple query
protocol, which is what sluiced speaks today: execute() without parameters (psycopg then
sends a simple Query) and cursor.copy(). PostgreSQL is an ordinary psycopg connection.

Environment (provided by tests/run_tests.sh): SLUICE_HOST, SLUICE_PORT, SLUICE_PG_PORT.
Standalone:  ONLY=oracle bash tests/run_tests.sh build
Exit status 0 = all rows match; 1 = mismatch (a diff is printed); 2 = setup problem.
"""
import datetime
import math
import os
import random
import sys
import time

import psycopg

N_EVENTS = int(os.environ.get("ORACLE_EVENTS", "100000"))
N_LATE_EVENTS = int(os.environ.get("ORACLE_LATE_EVENTS", "30000"))
N_KEYS = 300
DELAY_US = 5_000_000            # WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
WINDOW_US = 10_000_000
BATCH = 5000
REL_TOL = 1e-9
EPOCH = datetime.datetime(1970, 1, 1)
BASE_US = 1_767_225_600_000_000  # 2026-01-01 00:00:00 UTC
SENTINEL_US = BASE_US + 86_400_000_000


def ts_text(us):
    return (EPOCH + datetime.timedelta(microseconds=us)).strftime("%Y-%m-%d %H:%M:%S.%f")


def generate(rng, n, max_jitter_us, far_jitter_us=0, far_share=0.0, null_every=97):
    """-> list of (sym, price or None, qty, ts_us) in arrival order. Each event's time is
    its nominal time (1 ms apart) minus a jitter up to max_jitter_us, or, for a share
    far_share of them, up to far_jitter_us."""
    evs = []
    for i in range(n):
        nominal = BASE_US + i * 1000
        far = far_share and rng.random() < far_share
        ts = nominal - rng.randint(0, far_jitter_us if far else max_jitter_us)
        sym = "k%03d" % rng.randrange(N_KEYS)
        # prices as decimal text with 4 places: both servers parse the same text to the same double
        price = None if rng.randrange(null_every) == 0 else round(rng.uniform(1, 1000), 4)
        qty = rng.randint(1, 1000)
        evs.append((sym, price, qty, ts))
    return evs


def csv_lines(evs):
    for sym, price, qty, ts in evs:
        p = "" if price is None else "%.4f" % price
        yield "%s,%s,%d,%s\n" % (sym, p, qty, ts_text(ts))


def replay_lateness(evs, delay_us):
    """Split events into (on_time, late) by the stream's rule, in arrival order."""
    on_time, late, max_ts = [], [], None
    for e in evs:
        if max_ts is not None and e[3] < max_ts - delay_us:
            late.append(e)
        else:
            on_time.append(e)
        max_ts = e[3] if max_ts is None else max(max_ts, e[3])
    return on_time, late


def copy_into(cur, table, evs, batch=BATCH):
    sent = 0
    for i in range(0, len(evs), batch):
        with cur.copy("COPY %s FROM STDIN (FORMAT csv)" % table) as cp:
            cp.write("".join(csv_lines(evs[i:i + batch])))
        sent += cur.rowcount if cur.rowcount >= 0 else 0
    return sent


def sluice_rows(conn, view):
    cur = conn.cursor()
    cur.execute("SELECT sym, window_start, window_end, n, np, q, lo, hi, av FROM %s "
                "ORDER BY window_start, sym" % view)
    sentinel_ws = SENTINEL_US - SENTINEL_US % WINDOW_US
    rows = {}
    for r in cur.fetchall():
        ws = r[1]
        if (ws - EPOCH) // datetime.timedelta(microseconds=1) >= sentinel_ws:
            continue        # the sentinel's own window is still open: not part of the comparison
        key = (r[0], ws)
        if key in rows:
            raise SystemExit("sluice returned the group %r twice" % (key,))
        rows[key] = r
    return rows


def pg_rows(pg, table):
    cur = pg.cursor()
    cur.execute("""SELECT sym, date_bin('10 seconds', ts, '1970-01-01') AS ws,
                          date_bin('10 seconds', ts, '1970-01-01') + interval '10 seconds',
                          count(*), count(price), sum(qty), min(price), max(price), avg(price)
                   FROM %s GROUP BY 1, 2""" % table)
    return {(r[0], r[1]): r for r in cur.fetchall()}


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=1e-12)
    return a == b


COLS = ["sym", "window_start", "window_end", "count(*)", "count(price)", "sum(qty)",
        "min(price)", "max(price)", "avg(price)"]


def compare(label, got, want):
    problems = []
    for k in sorted(set(want) - set(got)):
        problems.append("missing in sluice: %s" % (want[k],))
    for k in sorted(set(got) - set(want)):
        problems.append("extra in sluice:   %s" % (got[k],))
    for k in sorted(set(got) & set(want)):
        g, w = got[k], want[k]
        bad = [(COLS[i], g[i], w[i]) for i in range(len(COLS)) if not same(g[i], w[i])]
        if bad:
            problems.append("%s %s: %s" % (k[0], k[1], ", ".join(
                "%s sluice=%r postgres=%r" % b for b in bad)))
    if problems:
        print("FAIL %s: %d differences (%d rows from PostgreSQL, %d from sluice)"
              % (label, len(problems), len(want), len(got)))
        for p in problems[:25]:
            print("     " + p)
        if len(problems) > 25:
            print("     ... %d more" % (len(problems) - 25))
        return False
    print("ok   %s: %d rows compared, all equal" % (label, len(want)))
    return True


def stream_status(conn, stream):
    cur = conn.cursor()
    cur.execute("SHOW %s STATUS" % stream)
    return {name: value for name, value in cur.fetchall()}


def run_case(sl, pg, label, stream, evs, expect_late):
    t0 = time.time()
    on_time, late = replay_lateness(evs, DELAY_US)
    if expect_late == 0 and late:
        raise SystemExit("generator bug: %d late events in the in-order case" % len(late))
    cur = sl.cursor()
    cur.execute("CREATE STREAM %s (sym TEXT, price DOUBLE, qty BIGINT, ts TIMESTAMP, "
                "WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)" % stream)
    cur.execute("CREATE VIEW %s_v WITH (retention = '100 days') AS "
                "SELECT sym, window_start, window_end, count(*) AS n, count(price) AS np, "
                "sum(qty) AS q, min(price) AS lo, max(price) AS hi, avg(price) AS av "
                "FROM TUMBLE(%s, ts, INTERVAL '10' SECOND) "
                "GROUP BY sym, window_start, window_end EMIT APPEND" % (stream, stream))
    sent = copy_into(cur, stream, evs)
    cur.execute("INSERT INTO %s VALUES ('zz_sentinel', 1.0, 1, TIMESTAMP '%s')"
                % (stream, ts_text(SENTINEL_US)))
    t_sent = time.time()

    pcur = pg.cursor()
    pcur.execute("CREATE TABLE %s (sym text, price double precision, qty bigint, ts timestamp)" % stream)
    copy_into(pcur, stream, on_time, batch=50000)

    got = sluice_rows(sl, stream + "_v")
    want = pg_rows(pg, stream)
    print("     %s: %d events sent (COPY acknowledged %d), %d late by replay; sluice ingest %.2fs, total %.2fs"
          % (label, len(evs), sent, len(late), t_sent - t0, time.time() - t0))
    ok = compare(label, got, want)
    if sent != len(evs):
        print("FAIL %s: COPY acknowledged %d rows, sent %d" % (label, sent, len(evs)))
        ok = False
    st = stream_status(sl, stream)
    late_seen = int(st.get("late_events", "-1"))
    events_seen = int(st.get("events", "-1"))
    if late_seen == len(late):
        print("ok   %s: SHOW %s STATUS late_events = %d" % (label, stream, late_seen))
    else:
        print("FAIL %s: SHOW %s STATUS late_events = %d, replay says %d" % (label, stream, late_seen, len(late)))
        ok = False
    # "events" counts the accepted (on-time) events today; accept the total as well
    if events_seen not in (len(evs) + 1, len(on_time) + 1):
        print("FAIL %s: SHOW %s STATUS events = %d, sent %d (+1 sentinel), %d on time"
              % (label, stream, events_seen, len(evs), len(on_time)))
        ok = False
    return ok


def main():
    host = os.environ.get("SLUICE_HOST", "127.0.0.1")
    port = os.environ.get("SLUICE_PORT")
    pg_port = os.environ.get("SLUICE_PG_PORT")
    if not port or not pg_port:
        print("SLUICE_PORT and SLUICE_PG_PORT must be set (run me through tests/run_tests.sh)")
        return 2
    seed = int(os.environ.get("SEED", "0")) or 20260101
    print("seed %d (SEED=%d to repeat), %d + %d events, %d keys" % (seed, seed, N_EVENTS, N_LATE_EVENTS, N_KEYS))
    rng = random.Random(seed)
    try:
        sl = psycopg.connect(host=host, port=int(port), user="oracle", dbname="sluice",
                             autocommit=True, connect_timeout=10)
        pg = psycopg.connect(host="127.0.0.1", port=int(pg_port), user="postgres", dbname="postgres",
                             autocommit=True, connect_timeout=10)
    except psycopg.Error as e:
        print("cannot connect: %s" % e)
        return 2
    pg.execute("SET TIME ZONE 'UTC'")
    ok = True
    try:
        ok &= run_case(sl, pg, "in-order", "trades", generate(rng, N_EVENTS, 4_000_000), 0)
        ok &= run_case(sl, pg, "late", "trades_late", generate(rng, N_LATE_EVENTS, 4_000_000, 9_000_000, 0.15), 1)
    except psycopg.Error as e:
        print("FAIL: %s: %s (SQLSTATE %s)" % (type(e).__name__, e, getattr(e, "sqlstate", None)))
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
