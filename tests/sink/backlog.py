"""tests/sink/backlog.py — a target down for a long time (RELIABILITY K-05).

Three sinks; the target PostgreSQL stops; 80,000 events (with 150-byte payloads, about 16 MB of
changelog per view) arrive while it is down. A view keeps 8 MiB of changelog of its own (for
SUBSCRIBE ... FROM EPOCH); a sink holds more only up to its backlog_limit. The two sinks with
backlog_limit = '1MB' therefore must not make sluiced keep more than the 8 MiB (ingest goes on,
memory stays bounded); the third, with the default 256MB, keeps everything. When the target is
back:
  - the UPDATE sink that fell behind rewrites its table from the view's current table
    (nothing is lost: the table equals the view),
  - the APPEND sink that fell behind stops, visibly ("failed: ... fell behind ..."), since final
    rows that were let go cannot be recomputed,
  - the sink with room to spare delivers everything, exactly once.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sinklib  # noqa: E402
import psycopg  # noqa: E402

SETUP = """
CREATE STREAM ev (k BIGINT, v BIGINT, pad TEXT);
CREATE VIEW app AS SELECT k, v, pad FROM ev;
CREATE VIEW app2 AS SELECT k, v, pad FROM ev WHERE v >= 0;
CREATE VIEW upd AS SELECT k, count(*) AS n, sum(v) AS s, min(pad) AS p FROM ev GROUP BY k;
"""


def status(conn, view, key):
    return dict(conn.execute("SHOW %s STATUS" % view).fetchall())[key]


def main():
    c = sinklib.Checks()
    port = int(os.environ["SLUICE_PORT"])
    pg = sinklib.PgCluster()
    try:
        pg.start()
        sl = psycopg.connect(**sinklib.sluice_dsn(port))
        sl.execute(SETUP)
        ci = pg.conninfo()
        for name, view, lim in (("s_app", "app", "1MB"), ("s_upd", "upd", "1MB"),
                                ("s_app2", "app2", "256MB")):
            sl.execute("CREATE SINK %s FROM %s INTO POSTGRES (conninfo '%s', table 't_%s') "
                       "WITH (create_table = true, backlog_limit = '%s', retry_max = '200ms')"
                       % (name, view, ci, view, lim))
        pad = "x" * 150

        def ingest(first, n):
            rows = [(first + i, (first + i) * 7 % 1000, pad) for i in range(n)]
            with sl.cursor().copy("COPY ev FROM STDIN") as cp:
                for r in rows:
                    cp.write_row(r)

        ingest(0, 1000)
        sinklib.wait_sinks(sl, timeout=30)
        c.ok("three sinks delivered the first batch")
        pg.stop("fast")
        for b in range(80):
            ingest(1000 + b * 1000, 1000)
        c.ok("80,000 events ingested while the target is down")
        cl = int(status(sl, "app", "changelog_bytes"))
        c.true("app's changelog stays within the view's own 8 MiB (+ one epoch): %d bytes" % cl,
               cl <= (8 << 20) + 300000, cl)
        cl2 = int(status(sl, "app2", "changelog_bytes"))
        c.true("app2's changelog keeps all 80,000 undelivered rows for its sink: %d bytes" % cl2,
               cl2 > (12 << 20))
        states = {r["name"]: r["state"] for r in sinklib.show_sinks(sl)}
        c.true("all three sinks are retrying while the target is down",
               all(s.startswith("retrying: ") for s in states.values()), states)
        pg.start()
        try:
            sinklib.wait_sinks(sl, timeout=30, names=["s_upd", "s_app2"])
            c.ok("the UPDATE sink and the roomy APPEND sink caught up")
        except TimeoutError as e:
            c.bad("the UPDATE sink and the roomy APPEND sink caught up", e)
        want = sinklib.normalize(sl.execute("SELECT * FROM upd").fetchall())
        got = sinklib.normalize(pg.query("SELECT * FROM t_upd"))
        c.check("UPDATE sink that fell behind: its table equals the view (rewritten)",
                (len(want), want[:3], want[-3:]), (len(got), got[:3], got[-3:]))
        rw = dict(sl.execute("SHOW s_upd STATUS").fetchall())["rewrites"]
        c.check("... and it did fall behind (rewrites in SHOW s_upd STATUS)", "1", rw)
        n2 = pg.query("SELECT count(*), count(DISTINCT k) FROM t_app2")[0]
        c.check("APPEND sink within its limit: every row once", (81000, 81000), tuple(n2))
        st = None
        for _ in range(200):
            st = {r["name"]: r for r in sinklib.show_sinks(sl)}["s_app"]["state"]
            if st.startswith("failed: "):
                break
            time.sleep(0.05)
        c.true("APPEND sink beyond its limit stops visibly: %s" % st,
               st.startswith("failed: ") and "fell behind" in st, st)
        ingest(100000, 10)
        sinklib.wait_sinks(sl, timeout=30, names=["s_upd", "s_app2"])
        c.ok("ingest and the other sinks go on")
        sl.close()
    finally:
        pg.destroy()
    return c.done()


if __name__ == "__main__":
    sys.exit(main())
