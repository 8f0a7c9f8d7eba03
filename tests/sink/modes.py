"""tests/sink/modes.py — PostgreSQL sinks in every output mode (issue 5, acceptance 1).

A stream gets 40 batches of random events, some of them late. Seven sinks deliver five views
into a PostgreSQL of the test's own:
  upd_w     windowed aggregate, EMIT UPDATE, with a HAVING that turns false (deletes)
  upd_all   unwindowed aggregate with a column of every type (UPDATE)
  cmp       top 3, EMIT COMPLETE                           cmp_upd  upd_w delivered in COMPLETE mode
  app_w     windowed aggregate, EMIT APPEND                app_upd  app_w delivered as upserts
  flt       a filter (no aggregate), APPEND, no key
After every batch, once SHOW SINKS says each sink has committed its view's epoch, each target
table must equal: the view's result table (pull query) for UPDATE and COMPLETE sinks, and an
independent computation in Python (closed windows / accepted events) for APPEND sinks.
"""
import datetime
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sinklib  # noqa: E402
import psycopg  # noqa: E402

DELAY = 2          # watermark delay, seconds
WIN = 5            # tumbling window, seconds
T0 = datetime.datetime(2026, 3, 1, 12, 0, 0)

VIEWS = """
CREATE STREAM ev (sym TEXT, k BIGINT, price DOUBLE, qty BIGINT, flag BOOLEAN, ts TIMESTAMP,
                  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND);
CREATE VIEW upd_w AS SELECT sym, window_start, window_end, count(*) AS n, sum(qty) AS q,
       avg(price) AS ap, max(ts) AS last_ts
  FROM TUMBLE(ev, ts, INTERVAL '5' SECOND) GROUP BY sym, window_start, window_end
  HAVING sum(qty) < 400 EMIT UPDATE;
CREATE VIEW upd_all AS SELECT sym, count(*) > 3 AS busy, avg(price) AS ap, max(ts) AS last_ts,
       max(ts) - min(ts) AS span, min(sym) AS ms, sum(k) AS sk FROM ev GROUP BY sym;
CREATE VIEW cmp AS SELECT sym, sum(qty) AS q, count(*) AS n FROM ev GROUP BY sym
  ORDER BY q DESC, sym LIMIT 3 EMIT COMPLETE;
CREATE VIEW app_w AS SELECT sym, window_start, count(*) AS n, sum(qty) AS q
  FROM TUMBLE(ev, ts, INTERVAL '5' SECOND) GROUP BY sym, window_start EMIT APPEND;
CREATE VIEW flt AS SELECT sym, k, price, flag, ts FROM ev WHERE qty > 50;
"""

SINKS = [  # name, view, table, extra clause
    ("s_upd_w", "upd_w", "t_upd_w", ""),
    ("s_upd_all", "upd_all", "t_upd_all", ""),
    ("s_cmp", "cmp", "t_cmp", ""),
    ("s_cmp_upd", "upd_w", "t_cmp_upd", "EMIT COMPLETE"),
    ("s_app_w", "app_w", "t_app_w", ""),
    ("s_app_upd", "app_w", "t_app_upd", "EMIT UPDATE"),
    ("s_flt", "flt", "t_flt", "WITH (batch_rows = 7, create_table = true)"),
]


class Oracle:
    """Lateness and window closing as DESIGN §1.5 defines them, over the events sent."""

    def __init__(self):
        self.wm = None
        self.windows = {}          # (sym, window_start) -> [n, q]
        self.accepted = []
        self.late = 0

    def add(self, ev):
        sym, k, price, qty, flag, ts = ev
        if self.wm is not None and ts < self.wm:
            self.late += 1
            return                 # late: dropped
        self.accepted.append(ev)
        w = self.wm
        self.wm = ts - datetime.timedelta(seconds=DELAY) if w is None else max(
            w, ts - datetime.timedelta(seconds=DELAY))
        start = T0 + datetime.timedelta(
            seconds=((ts - T0).total_seconds() // WIN) * WIN)
        cell = self.windows.setdefault((sym, start), [0, 0])
        cell[0] += 1
        cell[1] += qty

    def closed(self):
        return sorted((s, ws, n, q) for (s, ws), (n, q) in self.windows.items()
                      if self.wm is not None and ws + datetime.timedelta(seconds=WIN) <= self.wm)

    def filtered(self):
        return [(s, k, p, f, ts) for (s, k, p, q, f, ts) in self.accepted if q > 50]


def main():
    c = sinklib.Checks()
    port = int(os.environ["SLUICE_PORT"])
    pg = sinklib.PgCluster()
    try:
        pg.start()
        pg.execute("CREATE DATABASE sinks")
        sl = psycopg.connect(**sinklib.sluice_dsn(port))
        sl.execute(VIEWS)
        for name, view, table, extra in SINKS:
            if "WITH" not in extra:
                extra += " WITH (create_table = true)"
            sl.execute("CREATE SINK %s FROM %s INTO POSTGRES (conninfo '%s', table '%s') %s"
                       % (name, view, pg.conninfo("sinks"), table, extra))
        c.check("seven sinks listed", 7, len(sinklib.show_sinks(sl)))
        rnd = random.Random(5)
        oracle = Oracle()
        syms = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"]
        t = 0.0
        mismatches = 0
        for batch in range(40):
            rows = []
            for _ in range(rnd.randint(1, 60)):
                t += rnd.uniform(0, 0.4)
                jitter = rnd.uniform(-3.5, 0) if rnd.random() < 0.2 else 0.0  # some late
                ts = T0 + datetime.timedelta(microseconds=int((t + jitter) * 1e6))
                rows.append((rnd.choice(syms), rnd.randint(-5, 100), round(rnd.uniform(1, 100), 3),
                             rnd.randint(1, 100), rnd.random() < 0.5, ts))
            sql = "INSERT INTO ev VALUES " + ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(rows))
            sl.execute(sql, [v for r in rows for v in r])
            for r in rows:
                oracle.add(r)
            try:
                sinklib.wait_sinks(sl, timeout=30)
            except TimeoutError as e:
                c.bad("batch %d: sinks caught up" % batch, str(e))
                break
            want = {
                "t_upd_w": sl.execute("SELECT * FROM upd_w").fetchall(),
                "t_upd_all": sl.execute("SELECT * FROM upd_all").fetchall(),
                "t_cmp": sl.execute("SELECT * FROM cmp").fetchall(),
                "t_cmp_upd": sl.execute("SELECT * FROM upd_w").fetchall(),
                "t_app_w": oracle.closed(),
                "t_app_upd": oracle.closed(),
                "t_flt": oracle.filtered(),
            }
            for table, rows_want in want.items():
                got = sinklib.normalize(pg.query("SELECT * FROM %s" % table, dbname="sinks"))
                exp = sinklib.normalize(rows_want)
                if got != exp:
                    mismatches += 1
                    if mismatches <= 5:
                        c.bad("batch %d: %s equals its view" % (batch, table),
                              "want %d rows %r\n got %d rows %r" % (len(exp), exp[:6], len(got),
                                                                    got[:6]))
        c.check("every table equal after each of 40 batches (280 comparisons)", 0, mismatches)
        # what was exercised
        c.true("upd_w lost rows to HAVING (deletes were delivered)",
               any(q >= 400 for (_, _), (n, q) in oracle.windows.items()))
        c.true("some events were late (%d)" % oracle.late, oracle.late > 0)
        cnt = pg.query("SELECT count(*) FROM t_app_w", dbname="sinks")[0][0]
        c.true("APPEND windows closed and delivered (%d)" % cnt, cnt > 20)
        cnt = pg.query("SELECT count(*) FROM t_flt", dbname="sinks")[0][0]
        c.true("filter rows delivered in batches of 7 rows (%d rows)" % cnt, cnt > 100)
        prog = dict(pg.query("SELECT sink, epoch FROM sluice_sink_progress", dbname="sinks"))
        rows = {r["name"]: r for r in sinklib.show_sinks(sl)}
        c.check("progress rows equal SHOW SINKS committed_epoch",
                {n: rows[n]["committed_epoch"] for n in rows}, prog)
        # types of the created tables
        types = dict(pg.query("SELECT column_name, data_type FROM information_schema.columns "
                              "WHERE table_name = 't_upd_all'", dbname="sinks"))
        c.check("created column types", {"sym": "text", "busy": "boolean",
                                         "ap": "double precision",
                                         "last_ts": "timestamp with time zone",
                                         "span": "interval", "ms": "text", "sk": "bigint"}, types)
        pk = pg.query("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = "
                      "i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indisprimary AND "
                      "i.indrelid = 't_upd_w'::regclass ORDER BY 1", dbname="sinks")
        c.check("key = the GROUP BY columns, as primary key",
                [("sym",), ("window_end",), ("window_start",)], pk)
        pk = pg.query("SELECT count(*) FROM pg_index WHERE indrelid = 't_flt'::regclass",
                      dbname="sinks")
        c.check("no key for a view without GROUP BY", [(0,)], pk)
        sl.close()
    finally:
        pg.destroy()
    return c.done()


if __name__ == "__main__":
    sys.exit(main())
