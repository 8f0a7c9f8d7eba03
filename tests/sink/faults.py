"""tests/sink/faults.py — exactly once into PostgreSQL under faults (issue 5, acceptance 2).

104,000 events stream into sluiced in 260 batches (COPY and multi-row INSERT, each sent once,
never retried) while
  (a) the target PostgreSQL is stopped (-m immediate) and started again 5 times, and the sink
      sessions are killed with pg_terminate_backend() in 52 other rounds, and
  (b) sluiced is killed with SIGKILL 5 times (some while a batch is in flight) and restarted.
Two sinks deliver: an APPEND sink of a tumbling per-key COUNT/SUM into a table WITHOUT a primary
key (so a duplicate would show), and an UPDATE sink of an unwindowed per-key COUNT/SUM/max(ts).
Afterwards both tables must equal an independent computation over the acknowledged batches
(plus the unacknowledged batches sluiced kept: every batch carries keys of its own, so whether
an unknown batch is in is visible, and it must be wholly in or wholly out):
  APPEND: same rows, so count(*) and checksums match, no duplicate, none missing;
  UPDATE: every key's final values match.
"""
import datetime
import os
import random
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sinklib  # noqa: E402
from sinklib import crashlib  # noqa: E402
import psycopg  # noqa: E402

T0 = datetime.datetime(2026, 4, 1, 0, 0, 0)
BATCHES = 260
PER_BATCH = 400
SHARED_KEYS = 50
KILL_AT = {30, 75, 120, 165, 210}          # sluiced SIGKILL before these batches
PG_RESTART_AT = [15, 55, 100, 145, 190]    # target restarts, started at these batches
# pg_terminate_backend of the sink sessions (RELIABILITY K-03): 52 rounds
TERMINATE_AT = set(range(3, BATCHES, 5)) - set(PG_RESTART_AT) - KILL_AT

SETUP = """
CREATE STREAM ev (k BIGINT, v BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND);
CREATE VIEW wa AS SELECT k, window_start, count(*) AS n, sum(v) AS s
  FROM TUMBLE(ev, ts, INTERVAL '1' SECOND) GROUP BY k, window_start EMIT APPEND;
CREATE VIEW ua AS SELECT k, count(*) AS n, sum(v) AS s, max(ts) AS last FROM ev GROUP BY k;
"""


def batch_events(b, rnd):
    rows = []
    for i in range(PER_BATCH):
        k = 1000 + b * 7 + i % 7 if i % 2 == 0 else (i // 2) % SHARED_KEYS
        ts = T0 + datetime.timedelta(microseconds=b * 200000 + i * 500)
        rows.append((k, rnd.randint(-1000, 1000), ts))
    return rows


def fmt_ts(ts):
    return ts.strftime("%Y-%m-%d %H:%M:%S.%f")


def main():
    c = sinklib.Checks()
    build = os.environ.get("SLUICE_BUILD", "build")
    tmp = tempfile.mkdtemp(prefix="sluice-sinkfaults.")
    pg = sinklib.PgCluster()
    srv = crashlib.Server(build, os.path.join(tmp, "data"), os.path.join(tmp, "sluiced.log"),
                          extra=["--checkpoint-interval", "0.5"])
    pg_events = []
    pg_thread = None
    try:
        pg.start()
        pg.execute("CREATE DATABASE faults")
        pg.execute("CREATE TABLE t_append (k bigint, window_start timestamptz, n bigint, "
                   "s bigint)", dbname="faults")
        port = srv.start()
        sl = psycopg.connect(**sinklib.sluice_dsn(port))
        sl.execute(SETUP)
        ci = pg.conninfo("faults")
        sl.execute("CREATE SINK s_app FROM wa INTO POSTGRES (conninfo '%s', table 't_append')"
                   % ci)
        sl.execute("CREATE SINK s_upd FROM ua INTO POSTGRES (conninfo '%s', table 't_upd') "
                   "WITH (create_table = true, retry_max = '1 second')" % ci)

        # (a) the target goes down and comes back while ingest continues
        go = [threading.Event() for _ in PG_RESTART_AT]

        def restarter():
            for i, ev in enumerate(go):
                ev.wait(120)
                pg.stop("immediate")
                time.sleep(0.3 + 0.3 * (i % 3))
                pg.start()
                pg_events.append("restart")
        pg_thread = threading.Thread(target=restarter, daemon=True)
        pg_thread.start()

        rnd = random.Random(11)
        status = {}                  # batch -> "acked" | "unknown"
        events = {}
        kills = 0
        mid_batch_kills = 0
        for b in range(BATCHES):
            if b in PG_RESTART_AT:
                go[PG_RESTART_AT.index(b)].set()
            if b in TERMINATE_AT:
                try:
                    pg_events.append("terminated %d" % pg.terminate_sinks())
                except psycopg.Error:
                    pass       # the target is restarting right now
            rows = batch_events(b, rnd)
            events[b] = rows
            timer = None
            if b in KILL_AT:
                # SIGKILL at a random moment: before, during or after this batch
                timer = threading.Timer(rnd.uniform(0.0005, 0.006), srv.kill)
                timer.start()
            try:
                if b % 2 == 0:
                    with sl.cursor().copy("COPY ev FROM STDIN") as cp:
                        for k, v, ts in rows:
                            cp.write_row((k, v, fmt_ts(ts)))
                else:
                    sql = "INSERT INTO ev VALUES " + ", ".join(["(%s, %s, %s)"] * len(rows))
                    sl.execute(sql, [x for r in rows for x in (r[0], r[1], fmt_ts(r[2]))])
                status[b] = "acked"
            except psycopg.Error:
                status[b] = "unknown"
            if timer:
                timer.join()
                kills += 1
                mid_batch_kills += status[b] == "unknown"
                try:
                    sl.close()
                except Exception:
                    pass
                port = srv.start()
                sl = psycopg.connect(**sinklib.sluice_dsn(port))
            elif status[b] == "unknown":
                c.bad("batch %d failed without a kill" % b)
            time.sleep(0.02)
        pg_thread.join(120)
        c.check("sluiced killed", 5, kills)
        c.check("target restarted", 5, pg_events.count("restart"))
        terminated = sum(int(e.split()[1]) for e in pg_events if e.startswith("terminated"))
        c.true("sink sessions terminated: %d, in %d rounds" % (terminated, len(TERMINATE_AT)),
               len(TERMINATE_AT) >= 50 and terminated >= 30)
        acked = sum(1 for s in status.values() if s == "acked")
        print("   %d batches acked (%d events), %d unknown (%d of the kills hit a batch)"
              % (acked, acked * PER_BATCH, BATCHES - acked, mid_batch_kills))
        c.true(">= 100,000 events streamed", BATCHES * PER_BATCH >= 100000)
        # close every window, then wait for both sinks
        sl.execute("INSERT INTO ev VALUES (-1, 0, '2026-04-02 00:00:00')")
        try:
            rows = sinklib.wait_sinks(sl, timeout=90)
            c.ok("sinks caught up: %s" % ", ".join("%s epoch %s" % (r["name"], r["committed_epoch"])
                                                   for r in rows))
        except TimeoutError as e:
            c.bad("sinks caught up", str(e))

        # which batches sluiced has: each batch's own keys tell
        present_keys = {r[0] for r in sl.execute("SELECT k FROM ua WHERE k >= 1000").fetchall()}
        present = set()
        for b, st in status.items():
            mine = {1000 + b * 7 + j for j in range(7)}
            inside = mine & present_keys
            if inside and inside != mine:
                c.bad("batch %d partly present" % b, sorted(inside))
            if inside:
                present.add(b)
            elif st == "acked":
                c.bad("acknowledged batch %d is missing from sluiced" % b)
        c.check("every acknowledged batch is in sluiced", set(), {b for b, s in status.items()
                                                                  if s == "acked"} - present)
        print("   %d of %d unknown batches are in" % (len(present) - acked, BATCHES - acked))

        # the independent computation
        win, upd = {}, {}
        for b in sorted(present):
            for k, v, ts in events[b]:
                ws = ts.replace(microsecond=0)
                cell = win.setdefault((k, ws), [0, 0])
                cell[0] += 1
                cell[1] += v
                u = upd.setdefault(k, [0, 0, ts])
                u[0] += 1
                u[1] += v
                u[2] = max(u[2], ts)
        want_app = sinklib.normalize((k, ws, n, s) for (k, ws), (n, s) in win.items())
        got_app = sinklib.normalize(pg.query(
            "SELECT k, window_start, n, s FROM t_append WHERE k >= 0", dbname="faults"))
        c.check("APPEND: count(*)", len(want_app), len(got_app))
        c.check("APPEND: checksum (sum n, sum s, sum k)",
                (sum(r[2] for r in want_app), sum(r[3] for r in want_app),
                 sum(r[0] for r in want_app)),
                (sum(r[2] for r in got_app), sum(r[3] for r in got_app),
                 sum(r[0] for r in got_app)))
        dups = pg.query("SELECT count(*) FROM (SELECT k, window_start FROM t_append GROUP BY 1, 2 "
                        "HAVING count(*) > 1) d", dbname="faults")[0][0]
        c.check("APPEND: no duplicate row", 0, dups)
        c.true("APPEND: every row equal", want_app == got_app,
               "missing %r\nextra %r" % (sorted(set(want_app) - set(got_app))[:5],
                                         sorted(set(got_app) - set(want_app))[:5]))
        want_upd = sinklib.normalize((k, n, s, ts) for k, (n, s, ts) in upd.items())
        got_upd = sinklib.normalize(pg.query("SELECT k, n, s, last FROM t_upd WHERE k >= 0",
                                             dbname="faults"))
        c.check("UPDATE: keys", len(want_upd), len(got_upd))
        c.true("UPDATE: every key's final values", want_upd == got_upd,
               "want %r\n got %r" % ([r for r in want_upd if r not in got_upd][:5],
                                     [r for r in got_upd if r not in want_upd][:5]))
        prog = dict(pg.query("SELECT sink, epoch FROM sluice_sink_progress", dbname="faults"))
        c.check("progress rows are the views' epochs",
                {"s_app": sinklib.view_epoch(sl, "wa"), "s_upd": sinklib.view_epoch(sl, "ua")},
                prog)
        log = srv.log()
        c.true("the sinks saw the faults and retried (%d retry notes in the log)"
               % log.count("retrying with backoff"), log.count("retrying with backoff") >= 2)
        sl.close()
        rc = srv.stop()
        c.check("sluiced stops cleanly", 0, rc)
    finally:
        srv.kill()
        if pg_thread is not None:
            for ev in go:
                ev.set()
            pg_thread.join(60)
        pg.destroy()
    return c.done()


if __name__ == "__main__":
    sys.exit(main())
