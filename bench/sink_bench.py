"""bench/sink_bench.py — PostgreSQL sink throughput and lag (issue 5, acceptance 3).

  usage: python3 bench/sink_bench.py BUILD [--rows N] [--seconds S] [--rate R]

Starts its own PostgreSQL (fsync and synchronous_commit on, as a real target) and its own
sluiced (default --fsync on), then measures:
  append   rows/s delivered into PostgreSQL by one APPEND sink: N events through a
           non-aggregating view, from the first COPY until the sink has committed the last epoch
  update   the same for one UPDATE sink of a per-key COUNT/SUM with N distinct keys (N upserts)
  lag      ingest at R events/s for S seconds (batches of 1,000 every 10 ms) into a per-key
           aggregate over 10,000 keys with an UPDATE sink: the sink's lag in epochs (the view's
           epoch minus the committed one), sampled every 50 ms, and the catch-up time at the end
Prints a human table and key=value lines (sink_*) for bench/lib/report.py.
"""
import argparse
import os
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "sink", "lib"))
import sinklib  # noqa: E402
from sinklib import crashlib  # noqa: E402
import psycopg  # noqa: E402


def copy_events(conn, first, n, keys=None, chunk=100000):
    """COPY n events (k, v, ts) in statements of `chunk` rows; k = i or i % keys."""
    i = first
    end = first + n
    while i < end:
        m = min(chunk, end - i)
        lines = []
        for j in range(i, i + m):
            k = j if keys is None else j % keys
            lines.append("%d\t%d\t2026-05-01 00:00:%02d.%06d\n" % (k, j % 1000, (j // 1000000) % 60,
                                                                    j % 1000000))
        with conn.cursor().copy("COPY ev FROM STDIN") as cp:
            cp.write("".join(lines))
        i += m


def sink_row(conn, name):
    for r in sinklib.show_sinks(conn):
        if r["name"] == name:
            return r
    return None


def wait_running(conn, name, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        r = sink_row(conn, name)
        if r and r["state"] == "running":
            return
        time.sleep(0.01)
    raise TimeoutError("sink %s did not connect: %r" % (name, sink_row(conn, name)))


def wait_done(conn, name, view, timeout=600):
    deadline = time.time() + timeout
    while time.time() < deadline:
        r = sink_row(conn, name)
        if r and r["committed_epoch"] is not None and \
                r["committed_epoch"] >= sinklib.view_epoch(conn, view):
            return time.time()
        time.sleep(0.01)
    raise TimeoutError("sink %s did not finish: %r" % (name, sink_row(conn, name)))


def throughput(srv_port, pg, mode, rows):
    sl = psycopg.connect(**sinklib.sluice_dsn(srv_port))
    db = "b_" + mode
    pg.execute("CREATE DATABASE " + db)
    sl.execute("CREATE STREAM ev (k BIGINT, v BIGINT, ts TIMESTAMP)")
    if mode == "append":
        sl.execute("CREATE VIEW v AS SELECT k, v, ts FROM ev")
    else:
        sl.execute("CREATE VIEW v AS SELECT k, count(*) AS n, sum(v) AS s FROM ev GROUP BY k")
    sl.execute("CREATE SINK s FROM v INTO POSTGRES (conninfo '%s', table 't') "
               "WITH (create_table = true)" % pg.conninfo(db))
    wait_running(sl, "s")
    t0 = time.time()
    copy_events(sl, 0, rows)
    t_ingest = time.time() - t0
    t1 = wait_done(sl, "s", "v")
    n = pg.query("SELECT count(*) FROM t", dbname=db)[0][0]
    st = sink_row(sl, "s")
    sl.execute("DROP SINK s")
    sl.execute("DROP STREAM ev CASCADE")
    sl.close()
    return dict(rows=n, seconds=t1 - t0, ingest_seconds=t_ingest,
                rate=n / (t1 - t0), epochs=st["committed_epoch"])


def lag(srv_port, pg, seconds, rate):
    sl = psycopg.connect(**sinklib.sluice_dsn(srv_port))
    pg.execute("CREATE DATABASE b_lag")
    sl.execute("CREATE STREAM ev (k BIGINT, v BIGINT, ts TIMESTAMP)")
    sl.execute("CREATE VIEW v AS SELECT k, count(*) AS n, sum(v) AS s FROM ev GROUP BY k")
    sl.execute("CREATE SINK s FROM v INTO POSTGRES (conninfo '%s', table 't') "
               "WITH (create_table = true)" % pg.conninfo("b_lag"))
    wait_running(sl, "s")
    samples = []
    stop = threading.Event()

    def sampler():
        mon = psycopg.connect(**sinklib.sluice_dsn(srv_port))
        while not stop.is_set():
            r = sink_row(mon, "s")
            if r and r["committed_epoch"] is not None:
                samples.append(r["lag_epochs"])
            time.sleep(0.05)
        mon.close()
    th = threading.Thread(target=sampler, daemon=True)
    th.start()
    batch = 1000
    interval = batch / rate
    start = time.time()
    sent = 0
    late_batches = 0
    while time.time() - start < seconds:
        due = start + (sent // batch) * interval
        now = time.time()
        if now < due:
            time.sleep(due - now)
        elif now - due > interval:
            late_batches += 1
        copy_events(sl, sent, batch, keys=10000, chunk=batch)
        sent += batch
    t_end = time.time()
    achieved = sent / (t_end - start)
    t_done = wait_done(sl, "s", "v")
    stop.set()
    th.join()
    ss = sorted(samples)
    st = sink_row(sl, "s")
    sl.close()
    return dict(rate=achieved, events=sent, epochs=st["committed_epoch"],
                lag_p50=ss[len(ss) // 2], lag_p99=ss[min(len(ss) - 1, int(len(ss) * 0.99))],
                lag_max=ss[-1], catchup=t_done - t_end, samples=len(ss))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--rows", type=int, default=1000000)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--rate", type=float, default=100000)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="sluice-sinkbench.")
    pg = sinklib.PgCluster(fsync=True)
    srv = crashlib.Server(os.path.abspath(a.build), os.path.join(tmp, "data"),
                          os.path.join(tmp, "sluiced.log"))
    try:
        pg.start()
        port = srv.start()
        res = {}
        for mode in ("append", "update"):
            r = throughput(port, pg, mode, a.rows)
            res[mode] = r
            print("sink %-6s  %9d rows in %6.2f s = %9.0f rows/s into PostgreSQL "
                  "(COPY into sluiced took %.2f s; %d epochs)"
                  % (mode, r["rows"], r["seconds"], r["rate"], r["ingest_seconds"], r["epochs"]),
                  flush=True)
            print("sink_%s_rows_per_s=%.0f" % (mode, r["rate"]))
            print("sink_%s_rows=%d" % (mode, r["rows"]))
        r = lag(port, pg, a.seconds, a.rate)
        print("sink lag    at %.0f events/s for %.0f s (%d epochs): lag p50 %d, p99 %d, max %d "
              "epochs (%d samples); caught up %.3f s after ingest stopped"
              % (r["rate"], a.seconds, r["epochs"], r["lag_p50"], r["lag_p99"], r["lag_max"],
                 r["samples"], r["catchup"]))
        for k in ("rate", "lag_p50", "lag_p99", "lag_max", "catchup", "epochs"):
            print("sink_lag_%s=%s" % (k, r[k]))
        print(open(os.path.join(tmp, "sluiced.log")).read()[-2000:], file=sys.stderr)
    finally:
        srv.kill()
        pg.destroy()
    return 0


if __name__ == "__main__":
    sys.exit(main())
