#!/usr/bin/python3
"""tests/crash/kill_loop.py — kill -9 loop (RELIABILITY C-01; acceptance 1 of the durability issue).

usage: python3 tests/crash/kill_loop.py [BUILD]      (BUILD defaults to $SLUICE_BUILD, then build)
env:   SEED=n            replay a run (the seed is printed first)
       CRASH_EVENTS=n    events to write (default 200000; 60000 under ASan)
       CRASH_KILLS=n     SIGKILLs (default 40; 15 under ASan)
       KEEP_TMP=1        keep the data dir and server log

A loader thread writes events (id unique, k = batch number, v, ts increasing with a bounded jitter
under the watermark delay, so no event is late) in batches, each either one COPY or one multi-row
INSERT, each sent ONCE: a ledger records per batch sent / acked (CommandComplete received) /
unknown (the connection died first) — a batch is never retried. Meanwhile the main thread
SIGKILLs the server at random moments 0.1–1.5 s after each restart (and some while a COPY is in
flight) and restarts it on the same data dir. A subscriber thread runs SUBSCRIBE tw FROM EPOCH n
(n = the last epoch it saw, or that + 1, alternately) after every restart, on a raw socket so
rows arrive one by one. Views:
    raw  SELECT * FROM s                                   (APPEND; result = retained changelog)
    tw   count(*), sum(v) per k per 2 s tumbling window    (EMIT APPEND)
    tot  count(*), sum(v) per k, unwindowed                (UPDATE)
    late as tot, but created after a third of the kills     (joins the stream mid-log)
After the last restart and a final event far ahead (closes every window), all checked against
the ledger:
    tot  per batch (k): acked -> exactly (size, sum v); unknown -> exactly that or absent;
         never sent -> absent. This decides each unknown batch's fate.
    late like tot, created mid-run (after a third of the kills): a suffix of the present batches,
         none acknowledged before its CREATE VIEW, all sent after it was acknowledged.
    tw   equals the windows computed from the present batches' events (multiset).
    raw  no duplicate id; a union of whole present batches that is a suffix of them in send
         order (the changelog is bounded to 8 MiB, so older batches are trimmed whole).
    s    SHOW s STATUS: events = present events, late_events = 0.
    sub  per epoch the rows equal the server's changelog (SUBSCRIBE tw FROM EPOCH 1), every
         re-delivered epoch equal to (or, if cut by the kill, a superset of) its first delivery,
         and the union of rows equals the closed windows of tw.
Exit 0 when every check holds.
"""
import collections
import datetime
import os
import random
import shutil
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import crashlib  # noqa: E402

import psycopg  # noqa: E402

ASAN = os.environ.get("SLUICE_ASAN") == "1" or "asan" in crashlib.build_dir(sys.argv)
SEED = int(os.environ.get("SEED", random.SystemRandom().randrange(1, 2**31)))
EVENTS = int(os.environ.get("CRASH_EVENTS", 60000 if ASAN else 200000))
KILLS = int(os.environ.get("CRASH_KILLS", 15 if ASAN else 40))
MAX_SECONDS = 170 if not ASAN else 500           # overall guard (the harness allows 300 / 600)
WINDOW_US = 2_000_000
T0_US = int(datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc).timestamp()) * 1_000_000
STEP_US = 10_000                                  # event i is at T0 + i*10ms + jitter
JITTER_US = 500_000                               # < the 1 s watermark delay: nothing is late

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg, flush=True)


def ts_text(us):
    d = datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=us)
    return d.strftime("%Y-%m-%d %H:%M:%S.%f")


def win_text(us):
    d = datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=us)
    return d.strftime("%Y-%m-%d %H:%M:%S")


class Batch:
    __slots__ = ("no", "kind", "first_id", "events", "state", "err")

    def __init__(self, no, kind, first_id, events):
        self.no, self.kind, self.first_id, self.events = no, kind, first_id, events
        self.state = "new"        # new -> sent -> acked | unknown | rejected
        self.err = None


class Shared:
    def __init__(self):
        self.lock = threading.Lock()
        self.port = None          # current server port, None while down
        self.gen = 0              # bumped on every (re)start
        self.in_copy = False      # the loader is inside a COPY
        self.stop = False
        self.kills_done = False
        self.deadline = time.time() + MAX_SECONDS

    def current(self):
        with self.lock:
            return self.port, self.gen


# ------------------------------------------------------------------------------- the loader

class Loader(threading.Thread):
    def __init__(self, sh, rng, rate):
        super().__init__(daemon=True)
        self.sh, self.rng, self.rate = sh, rng, rate
        self.batches = []
        self.next_id = 0
        self.max_ts = T0_US
        self.error = None
        self.final = None

    def make_batch(self, kind=None, size=None, far_ahead=False):
        no = len(self.batches)
        kind = kind or self.rng.choice(("copy", "insert"))
        size = size or self.rng.randint(200, 1200)
        ev = []
        for _ in range(size):
            i = self.next_id
            self.next_id += 1
            if far_ahead:
                ts = self.max_ts + 600_000_000
            else:
                ts = T0_US + i * STEP_US + self.rng.randrange(JITTER_US)
            self.max_ts = max(self.max_ts, ts)
            ev.append((i, no, self.rng.randint(1, 1000), ts))
        b = Batch(no, kind, ev[0][0], ev)
        self.batches.append(b)
        return b

    def connect(self):
        """Connect to whichever server is up; None when the run is over."""
        while not self.sh.stop and time.time() < self.sh.deadline:
            port, _ = self.sh.current()
            if port is not None:
                try:
                    return psycopg.connect(host="127.0.0.1", port=port, user="loader",
                                           dbname="sluice", autocommit=True, connect_timeout=3)
                except psycopg.Error:
                    pass
            time.sleep(0.01)
        return None

    def send(self, conn, b):
        """Send batch b once; record acked / unknown / rejected."""
        b.state = "sent"
        try:
            cur = conn.cursor()
            if b.kind == "copy":
                lines = ["%d,%d,%d,%s\n" % (i, k, v, ts_text(ts)) for i, k, v, ts in b.events]
                self.sh.in_copy = True
                try:
                    with cur.copy("COPY s FROM STDIN (FORMAT csv)") as cp:
                        step = max(1, len(lines) // 4)
                        for j in range(0, len(lines), step):
                            cp.write("".join(lines[j:j + step]))
                            time.sleep(0.0005)   # a window for the in-COPY kills
                finally:
                    self.sh.in_copy = False
                want = "COPY %d" % len(lines)
            else:
                vals = ",".join("(%d,%d,%d,TIMESTAMP '%s')" % (i, k, v, ts_text(ts))
                                for i, k, v, ts in b.events)
                cur.execute("INSERT INTO s VALUES " + vals, prepare=False)
                want = "INSERT 0 %d" % len(b.events)
            if cur.statusmessage != want:
                b.state, b.err = "rejected", "status %r, want %r" % (cur.statusmessage, want)
                return True
            b.state = "acked"
            return True
        except psycopg.OperationalError as e:
            if e.sqlstate:       # an ErrorResponse, not a lost connection
                b.state, b.err = "rejected", "%s %s" % (e.sqlstate, e)
                return True
            b.state, b.err = "unknown", str(e).strip().splitlines()[0] if str(e) else "?"
            return False
        except psycopg.Error as e:
            if getattr(e, "sqlstate", None):
                b.state, b.err = "rejected", "%s %s" % (e.sqlstate, e)
                return True
            b.state, b.err = "unknown", str(e).strip().splitlines()[0] if str(e) else "?"
            return False

    def run(self):
        try:
            self.loop()
        except Exception as e:    # noqa: BLE001 - reported by the main thread
            self.error = "loader: %s: %s" % (type(e).__name__, e)

    def loop(self):
        t0 = time.time()
        conn = None
        while not self.sh.stop:
            if self.next_id >= EVENTS and self.sh.kills_done:
                break
            if time.time() > self.sh.deadline:
                self.error = "loader: out of time after %d batches" % len(self.batches)
                return
            if not self.sh.kills_done:
                # pace the load so that it spans the kills (catching up after downtime)
                ahead = self.next_id - self.rate * (time.time() - t0)
                if ahead > 0:
                    time.sleep(min(0.05, ahead / self.rate))
                    continue
            if conn is None:
                conn = self.connect()
                if conn is None:
                    return
            b = self.make_batch()
            if not self.send(conn, b):
                try:
                    conn.close()
                except Exception:   # noqa: BLE001
                    pass
                conn = None
        if conn is not None:
            conn.close()


# --------------------------------------------------------------------------- the subscriber

class Subscriber(threading.Thread):
    """SUBSCRIBE tw FROM EPOCH n after every (re)start; dedupe by epoch."""

    def __init__(self, sh):
        super().__init__(daemon=True)
        self.sh = sh
        self.epochs = {}            # epoch -> (sorted rows, complete?)
        self.sessions = 0
        self.redelivered = 0        # epochs received again after a resume
        self.resume_log = []        # (session, from_epoch, last seen)
        self.after_last = set()     # epochs seen last in a session that then resumed past them
        self.error = None
        self.last_row_time = time.time()
        self.finish = threading.Event()

    def last_epoch(self):
        return max(self.epochs) if self.epochs else 0

    def record(self, e, rows, complete):
        rows = sorted(rows)
        if e in self.epochs:
            self.redelivered += 1
            old, old_complete = self.epochs[e]
            if old_complete and complete:
                if old != rows:
                    fail("subscriber: epoch %d re-delivered with different rows:\n  first %r\n  again %r"
                         % (e, old[:5], rows[:5]))
            elif not old_complete:
                if collections.Counter(old) - collections.Counter(rows):
                    fail("subscriber: epoch %d: rows seen before the kill are missing on re-delivery: %r"
                         % (e, list((collections.Counter(old) - collections.Counter(rows)).elements())[:5]))
            elif collections.Counter(rows) - collections.Counter(old):
                fail("subscriber: epoch %d: re-delivery (cut) has rows the first delivery lacked" % e)
            if complete or not old_complete:
                if len(rows) >= len(old):
                    self.epochs[e] = (rows, complete or old_complete)
        else:
            self.epochs[e] = (rows, complete)

    def run(self):
        try:
            self.loop()
        except Exception as e:    # noqa: BLE001
            self.error = "subscriber: %s: %s" % (type(e).__name__, e)

    def loop(self):
        seen_gen = 0
        while not self.sh.stop and time.time() < self.sh.deadline:
            port, gen = self.sh.current()
            if port is None or gen == seen_gen:
                time.sleep(0.01)
                continue
            try:
                w = crashlib.Wire(port, timeout=3)
            except (OSError, EOFError, crashlib.WireError):
                time.sleep(0.01)
                continue
            seen_gen = gen
            self.sessions += 1
            last = self.last_epoch()
            # alternate: from the last epoch seen (its rows again: dedupe), or the one after
            n = max(1, last if self.sessions % 2 == 0 else last + 1)
            if n == last + 1 and last > 0:
                self.after_last.add(last)
            self.resume_log.append((self.sessions, n, last))
            w.send_query("SUBSCRIBE tw FROM EPOCH %d" % n)
            w.settimeout(0.2)
            cur_e, cur_rows = None, []
            while True:
                if self.finish.is_set() and time.time() - self.last_row_time > 0.5:
                    if cur_e is not None:
                        self.record(cur_e, cur_rows, True)
                    w.close()
                    return
                try:
                    t, m = w.read_msg()
                except OSError:        # socket.timeout
                    continue
                except EOFError:
                    break
                if t == b"D":
                    r = crashlib.parse_datarow(m)
                    e = int(r[0])
                    self.last_row_time = time.time()
                    if r[1] != "insert":
                        fail("subscriber: op %r in an APPEND view" % r[1])
                    if cur_e is not None and e != cur_e:
                        if e < cur_e:
                            fail("subscriber: epoch went back from %d to %d in one session" % (cur_e, e))
                        self.record(cur_e, cur_rows, True)
                        cur_rows = []
                    if e < n:
                        fail("subscriber: asked FROM EPOCH %d, got epoch %d" % (n, e))
                    cur_e = e
                    cur_rows.append(tuple(r[2:]))
                elif t == b"E":
                    f = crashlib.parse_fields(m)
                    fail("subscriber: SUBSCRIBE tw FROM EPOCH %d failed: %s %s" % (n, f.get("C"), f.get("M")))
                    break
                elif t in (b"C", b"Z"):
                    fail("subscriber: the subscription ended by itself (%r)" % t)
                    break
            if cur_e is not None:
                self.record(cur_e, cur_rows, False)
            w.close()


# ---------------------------------------------------------------------------------- checks

def check(loader, sub, port, late):
    w = crashlib.Wire(port, timeout=30)
    batches = [b for b in loader.batches if b.state != "new"]
    by_k = {b.no: b for b in batches}
    _, tot, _ = w.query("SELECT k, n, sv FROM tot")
    got = {}
    for k, n, sv in tot:
        k = int(k)
        if k in got:
            fail("tot: key %d twice" % k)
        got[k] = (int(n), int(sv))
    present = []
    fate = collections.Counter()
    for b in batches:
        want = (len(b.events), sum(e[2] for e in b.events))
        g = got.pop(b.no, None)
        if b.state == "acked":
            if g != want:
                fail("tot: acked batch %d (%s, ids %d..%d): got %r, want %r%s"
                     % (b.no, b.kind, b.first_id, b.first_id + len(b.events) - 1, g, want,
                        " (LOST)" if g is None else (" (DOUBLE)" if g == (2 * want[0], 2 * want[1]) else "")))
            present.append(b)
        elif b.state == "unknown":
            if g is None:
                fate["unknown %s: absent" % b.kind] += 1
            elif g == want:
                fate["unknown %s: present" % b.kind] += 1
                present.append(b)
            else:
                fail("tot: unknown batch %d (%s) partly there or doubled: got %r, want %r or nothing"
                     % (b.no, b.kind, g, want))
                present.append(b)
        else:
            if g is not None:
                fail("tot: %s batch %d (%s) is counted: %r" % (b.state, b.no, b.err, g))
    for k, g in got.items():
        fail("tot: key %d matches no batch that was sent: %r" % (k, g))

    # tw: all windows of the present batches' events (the final event's window is open)
    exp = collections.Counter()
    agg = collections.defaultdict(lambda: [0, 0])
    for b in present:
        for i, k, v, ts in b.events:
            ws = ts - ts % WINDOW_US
            a = agg[(k, ws)]
            a[0] += 1
            a[1] += v
    for (k, ws), (n, sv) in agg.items():
        exp[(str(k), win_text(ws), win_text(ws + WINDOW_US), str(n), str(sv))] += 1
    _, tw, _ = w.query("SELECT k, window_start, window_end, n, sv FROM tw")
    gotw = collections.Counter(tw)
    if gotw != exp:
        miss = list((exp - gotw).elements())
        extra = list((gotw - exp).elements())
        fail("tw: %d windows missing, %d unexpected (of %d); e.g. missing %r extra %r"
             % (len(miss), len(extra), len(exp), miss[:3], extra[:3]))

    # raw: whole present batches, a suffix of them in send order, no duplicates
    _, raw, _ = w.query("SELECT id, k FROM raw")
    ids = collections.Counter(int(r[0]) for r in raw)
    dups = [i for i, c in ids.items() if c > 1]
    if dups:
        fail("raw: %d ids appear more than once, e.g. %r" % (len(dups), dups[:5]))
    per_batch = collections.Counter(int(r[1]) for r in raw)
    present_nos = [b.no for b in present]
    pos = {no: j for j, no in enumerate(present_nos)}
    bad = [k for k in per_batch if k not in pos]
    if bad:
        fail("raw: rows of batches that are not present: %r" % bad[:5])
    elif per_batch:
        first = min(pos[k] for k in per_batch)
        suffix = present_nos[first:]
        if set(per_batch) != set(suffix):
            fail("raw: the retained batches are not a suffix of the present ones: missing %r"
                 % sorted(set(suffix) - set(per_batch))[:10])
        for k, c in per_batch.items():
            if c != len(by_k[k].events):
                fail("raw: batch %d has %d of its %d rows" % (k, c, len(by_k[k].events)))
        for k in per_batch:
            for e in by_k[k].events:
                if ids.get(e[0], 0) != 1:
                    fail("raw: batch %d: id %d missing" % (k, e[0]))
                    break
    else:
        fail("raw: empty")
    raw_batches = len(per_batch)

    # late: created mid-stream; it holds a suffix of the present batches (whole), none acked
    # before the CREATE VIEW was sent, all made after it was acknowledged
    if late:
        _, lt, _ = w.query("SELECT k, n, sv FROM late")
        gl = {int(k): (int(n), int(sv)) for k, n, sv in lt}
        if len(gl) != len(lt):
            fail("late: a key twice")
        inl = [b.no for b in present if b.no in gl]
        for b in present:
            want = (len(b.events), sum(e[2] for e in b.events))
            g = gl.pop(b.no, None)
            if g is not None and g != want:
                fail("late: batch %d partly counted or doubled: %r, want %r" % (b.no, g, want))
            if g is not None and b.no in late["acked_before"]:
                fail("late: batch %d, acknowledged before CREATE VIEW late was sent, is counted" % b.no)
            if g is None and b.no >= late["made_after"]:
                fail("late: batch %d, sent after CREATE VIEW late was acknowledged, is missing" % b.no)
        if gl:
            fail("late: keys of no present batch: %r" % sorted(gl)[:5])
        if inl and inl != present_nos[present_nos.index(inl[0]):]:
            fail("late: its batches are not a suffix of the present ones")
        late["batches"] = len(inl)

    # the stream's own counters
    _, st, _ = w.query("SHOW s STATUS")
    st = dict(st)
    n_present = sum(len(b.events) for b in present)
    if int(st.get("events", -1)) != n_present:
        fail("SHOW s STATUS: events %s, want %d" % (st.get("events"), n_present))
    if st.get("late_events") != "0":
        fail("SHOW s STATUS: late_events %s, want 0" % st.get("late_events"))

    # the subscriber against the server's changelog and the closed windows
    _, auth, tag = w.query("SUBSCRIBE tw FROM EPOCH 1 WITH (timeout = '1 second')")
    by_epoch = collections.defaultdict(list)
    for r in auth:
        by_epoch[int(r[0])].append(tuple(r[2:]))
    closed = collections.Counter(r for r in tw if r[0] != str(loader.final.no))
    union = collections.Counter()
    for e, (rows, _) in sub.epochs.items():
        union.update(rows)
    for e in sorted(set(by_epoch) | set(sub.epochs)):
        want = sorted(by_epoch.get(e, []))
        have = sub.epochs.get(e, ([], False))[0]
        if want != have:
            hint = ""
            if e in sub.after_last:
                hint = " (the last epoch seen before a kill, and the subscriber resumed after it: cut delivery?)"
            fail("subscriber: epoch %d: %d rows, the server's changelog has %d%s"
                 % (e, len(have), len(want), hint))
    if union != closed:
        fail("subscriber: union of rows (%d) != closed windows of tw (%d)"
             % (sum(union.values()), sum(closed.values())))
    w.close()
    return dict(late=late.get("batches"), present=present, fate=fate, raw_rows=sum(ids.values()), raw_batches=raw_batches,
                epochs=len(by_epoch), closed=sum(closed.values()), status=st)


# ------------------------------------------------------------------------------------ main

def main():
    build = crashlib.build_dir(sys.argv)
    print("kill_loop: seed %d (SEED=%d python3 tests/crash/kill_loop.py %s replays the choices)"
          % (SEED, SEED, build), flush=True)
    print("kill_loop: %d events, %d kills%s" % (EVENTS, KILLS, " (ASan)" if ASAN else ""), flush=True)
    rng = random.Random(SEED)
    tmp = tempfile.mkdtemp(prefix="sluice-crash-")
    data = os.path.join(tmp, "data")
    # Checkpoints every 150 ms (CRASH_CKPT): kills land during checkpoint writes and the
    # log truncation after them, not only during ingest and epoch emission.
    ckpt = os.environ.get("CRASH_CKPT", "0.15")
    srv = crashlib.Server(build, data, os.path.join(tmp, "sluiced.log"),
                          extra=["--checkpoint-interval", ckpt])
    sh = Shared()
    t_start = time.time()

    # the kill plan, drawn up front: moment after restart, or "during the next COPY"
    plan = []
    for i in range(KILLS):
        plan.append(("copy", 0.0) if i % 5 == 3 else ("time", rng.uniform(0.1, 1.5)))
    kill_time = sum(d for _, d in plan) + 0.3 * KILLS
    rate = EVENTS * 0.9 / kill_time

    try:
        port = srv.start()
        c = psycopg.connect(host="127.0.0.1", port=port, user="setup", dbname="sluice", autocommit=True)
        for sql in (
            "CREATE STREAM s (id BIGINT, k BIGINT, v BIGINT, ts TIMESTAMP, "
            "WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)",
            "CREATE VIEW raw AS SELECT * FROM s",
            "CREATE VIEW tw WITH (retention = '1000 hours') AS SELECT k, window_start, window_end, "
            "count(*) AS n, sum(v) AS sv FROM TUMBLE(s, ts, INTERVAL '2' SECOND) "
            "GROUP BY k, window_start, window_end EMIT APPEND",
            "CREATE VIEW tot AS SELECT k, count(*) AS n, sum(v) AS sv FROM s GROUP BY k",
        ):
            c.execute(sql, prepare=False)
        c.close()
        with sh.lock:
            sh.port, sh.gen = port, 1

        loader = Loader(sh, random.Random(SEED + 1), rate)
        sub = Subscriber(sh)
        loader.start()
        sub.start()

        kill_log = []
        restart_s = []
        late = {}
        for i, (how, delay) in enumerate(plan):
            if how == "copy":
                t = time.time()
                while not sh.in_copy and time.time() - t < 3:
                    time.sleep(0.0002)
                what = "during a COPY" if sh.in_copy else "after 3 s (no COPY came)"
            else:
                time.sleep(delay)
                what = "%.2fs after start" % delay
            with sh.lock:
                sh.port = None
            srv.kill()
            kill_log.append(what)
            if loader.error or sub.error:
                break
            t = time.time()
            try:
                port = srv.start()
            except crashlib.ServerError as e:
                fail("restart %d failed (recovery): %s" % (i + 1, e))
                raise SystemExit(report(None, None, srv, tmp, t_start, kill_log, restart_s))
            restart_s.append(time.time() - t)
            if i == len(plan) // 3:
                # a view created mid-stream: replay must start it at its creation offset
                late["acked_before"] = {b.no for b in list(loader.batches) if b.state == "acked"}
                c = psycopg.connect(host="127.0.0.1", port=port, user="setup", dbname="sluice",
                                    autocommit=True)
                c.execute("CREATE VIEW late AS SELECT k, count(*) AS n, sum(v) AS sv FROM s "
                          "GROUP BY k", prepare=False)
                c.close()
                late["made_after"] = len(loader.batches)
            with sh.lock:
                sh.port, sh.gen = port, sh.gen + 1
        sh.kills_done = True

        loader.join(timeout=max(1, sh.deadline - time.time()))
        if loader.is_alive() or loader.error:
            fail(loader.error or "loader did not finish in time")
            sh.stop = True
            raise SystemExit(report(loader, sub, srv, tmp, t_start, kill_log, restart_s))

        # the final event, far ahead: closes every window; must be acknowledged
        conn = loader.connect()
        loader.final = loader.make_batch(kind="insert", size=1, far_ahead=True)
        loader.send(conn, loader.final)
        conn.close()
        if loader.final.state != "acked":
            fail("final batch not acknowledged: %s %s" % (loader.final.state, loader.final.err))

        sub.finish.set()
        sub.join(timeout=30)
        if sub.is_alive() or sub.error:
            fail(sub.error or "subscriber did not finish")
        sh.stop = True
        figures = None
        if not failures:
            figures = check(loader, sub, srv.port, late)
        return report(loader, sub, srv, tmp, t_start, kill_log, restart_s, figures)
    finally:
        sh.stop = True
        if srv.alive():
            rc = srv.stop()
            if rc != 0:
                fail("server did not stop cleanly on SIGTERM (status %r)" % rc)
        if os.environ.get("KEEP_TMP") == "1" or failures:
            print("kill_loop: kept %s (data dir and sluiced.log)" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def report(loader, sub, srv, tmp, t_start, kill_log, restart_s, figures=None):
    el = time.time() - t_start
    if loader:
        st = collections.Counter(b.state for b in loader.batches)
        kinds = collections.Counter((b.kind, b.state) for b in loader.batches)
        ev = sum(len(b.events) for b in loader.batches if b.state != "new")
        ack_ev = sum(len(b.events) for b in loader.batches if b.state == "acked")
        print("kill_loop: batches %d (copy %d, insert %d): acked %d, unknown %d, rejected %d"
              % (sum(st.values()), sum(v for (k, s), v in kinds.items() if k == "copy"),
                 sum(v for (k, s), v in kinds.items() if k == "insert"),
                 st["acked"], st["unknown"], st["rejected"]))
        print("kill_loop: events sent %d, acked %d" % (ev, ack_ev))
        for b in loader.batches:
            if b.state == "rejected":
                print("   rejected batch %d: %s" % (b.no, b.err))
    print("kill_loop: kills %d (%d during a COPY), restarts %d, restart time avg %.2fs max %.2fs"
          % (len(kill_log), sum(1 for k in kill_log if k == "during a COPY"), len(restart_s),
             sum(restart_s) / max(1, len(restart_s)), max(restart_s or [0])))
    if sub:
        print("kill_loop: subscriber sessions %d, epochs received %d, re-delivered (deduped) %d"
              % (sub.sessions, len(sub.epochs), sub.redelivered))
    if figures:
        print("kill_loop: present events %d in %d batches; unknown batches' fate: %s"
              % (sum(len(b.events) for b in figures["present"]), len(figures["present"]),
                 ", ".join("%s %d" % kv for kv in sorted(figures["fate"].items())) or "none"))
        print("kill_loop: view late (created after restart %d) counts %s batches" % (KILLS // 3 + 1, figures["late"]))
        print("kill_loop: raw view holds %d rows (%d whole batches, the newest); tw: %d epochs, "
              "%d closed windows" % (figures["raw_rows"], figures["raw_batches"], figures["epochs"],
                                     figures["closed"]))
    san = [ln for ln in srv.log().splitlines()
           if "Sanitizer" in ln or "runtime error:" in ln]
    if san:
        fail("sanitizer report in the server log (%s/sluiced.log): %s" % (tmp, san[0]))
    ckpts = [ln for ln in srv.log().splitlines() if ": checkpoint at offset" in ln]
    print("kill_loop: restarts that began from a checkpoint: %d" % len(ckpts))
    if float(os.environ.get("CRASH_CKPT", "0.15")) <= 1 and not ckpts:
        fail("no restart began from a checkpoint: checkpoints were not exercised")
    torn = [ln for ln in srv.log().splitlines() if "torn tail" in ln]
    print("kill_loop: torn tails cut at recovery: %d" % len(torn))
    for ln in torn[:5]:
        print("   " + ln)
    print("kill_loop: %.1fs, seed %d: %s" % (el, SEED, "FAILED (%d)" % len(failures) if failures else "ok"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
