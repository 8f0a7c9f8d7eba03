"""tests/sink/lib/sinklib.py — what the PostgreSQL sink tests share (in lib/ so the harness,
which runs tests/sink/*.py and *.sh, does not take it for a test).

  PgCluster        a throwaway PostgreSQL of the test's own (initdb into a temp dir, 127.0.0.1,
                   a free port, trust, run as a non-root user when we are root): start, stop
                   (fast or immediate), restart, psql-like helpers, terminate sink sessions
  sluice_dsn(port) psycopg arguments for a sluiced on 127.0.0.1:port
  wait_sinks(...)  poll SHOW SINKS until every sink has committed its view's current epoch
  Checks           ok / bad / check bookkeeping and the exit status
"""
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "crash", "lib"))
import crashlib  # noqa: E402  (Server: sluiced on its own data dir)

import psycopg  # noqa: E402

PG_USER = os.environ.get("PGTEST_USER", "sluicetest")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def pg_bin():
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                  key=lambda d: int(d.split("/")[-2]))
    if not dirs:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
    return dirs[-1]


class PgCluster:
    def __init__(self, tmp=None, fsync=False):
        self.fsync = fsync          # off: a throwaway test target; on: a benchmark's
        self.bin = pg_bin()
        self.root = tempfile.mkdtemp(prefix="sluice-sinkpg.", dir=tmp)
        os.chmod(self.root, 0o755)
        self.data = os.path.join(self.root, "data")
        self.port = free_port()
        self.as_user = []
        if os.getuid() == 0:
            try:
                pwd.getpwnam(PG_USER)
            except KeyError:
                subprocess.run(["useradd", "-M", "-s", "/usr/sbin/nologin", PG_USER], check=True)
            self.as_user = ["runuser", "-u", PG_USER, "--"]
        os.makedirs(self.data)
        if os.getuid() == 0:
            shutil.chown(self.data, PG_USER)
            shutil.chown(self.root, PG_USER)
        os.chmod(self.data, 0o700)
        self._run(["initdb", "-D", self.data, "-A", "trust", "-U", "postgres"])

    def _run(self, args, check=True):
        return subprocess.run(self.as_user + [os.path.join(self.bin, args[0])] + args[1:],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=check,
                              timeout=120)

    def start(self):
        self._run(["pg_ctl", "-D", self.data, "-w", "-t", "60", "-l",
                   os.path.join(self.root, "log"), "-o",
                   "-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=%s"
                   % (self.port, self.root, "on" if self.fsync else "off"),
                   "start"])

    def stop(self, mode="fast"):
        self._run(["pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "60", "stop"], check=False)

    def restart(self, mode="immediate", down=0.0):
        self.stop(mode)
        time.sleep(down)
        self.start()

    def conninfo(self, dbname="postgres", user="postgres", extra=""):
        return "host=127.0.0.1 port=%d dbname=%s user=%s%s" % (self.port, dbname, user,
                                                                 (" " + extra) if extra else "")

    def connect(self, dbname="postgres", user="postgres"):
        return psycopg.connect(host="127.0.0.1", port=self.port, dbname=dbname, user=user,
                               autocommit=True, connect_timeout=10)

    def query(self, sql, params=None, dbname="postgres"):
        with self.connect(dbname) as c:
            cur = c.execute(sql, params)
            return cur.fetchall() if cur.description else None

    def execute(self, sql, params=None, dbname="postgres"):
        with self.connect(dbname) as c:
            c.execute(sql, params)

    def terminate_sinks(self):
        """pg_terminate_backend() on every sluice sink session; returns how many."""
        rows = self.query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                          "WHERE application_name = 'sluice sink'")
        return rows[0][0]

    def destroy(self):
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def sluice_dsn(port):
    return dict(host="127.0.0.1", port=port, user="sinktest", dbname="sluice",
                connect_timeout=10, autocommit=True, prepare_threshold=None)


def show_sinks(conn):
    cur = conn.execute("SHOW SINKS")
    cols = [d.name for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def view_epoch(conn, view):
    for k, v in conn.execute("SHOW %s STATUS" % view).fetchall():
        if k == "epoch":
            return int(v)
    raise RuntimeError("no epoch in SHOW %s STATUS" % view)


def wait_sinks(conn, timeout=60.0, names=None):
    """Until each sink (or each of `names`) has committed the current epoch of its view and is
    running. Returns the last SHOW SINKS rows; raises TimeoutError with them otherwise."""
    deadline = time.time() + timeout
    rows = []
    while time.time() < deadline:
        rows = [r for r in show_sinks(conn) if names is None or r["name"] in names]
        if rows and all(r["state"] == "running" and r["committed_epoch"] is not None
                        and r["lag_epochs"] == 0 for r in rows):
            return rows
        time.sleep(0.05)
    raise TimeoutError("sinks did not catch up: %r" % rows)


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def ok(self, name):
        self.passed += 1
        print("ok   " + name, flush=True)

    def bad(self, name, detail=""):
        self.failed += 1
        print("FAIL " + name, flush=True)
        for line in str(detail).splitlines()[:40]:
            print("     " + line)

    def check(self, name, want, got):
        if want == got:
            self.ok(name)
        else:
            self.bad(name, "want %r\n got %r" % (want, got))

    def true(self, name, cond, detail=""):
        if cond:
            self.ok(name)
        else:
            self.bad(name, detail)

    def done(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed else 0


def normalize(rows, ndigits=9):
    """Rows as a sorted list of tuples, floats rounded (sum orders differ between engines)."""
    import datetime

    def norm(v):
        if isinstance(v, float):
            return round(v, ndigits)
        if isinstance(v, datetime.datetime) and v.tzinfo is not None:
            return v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return v
    out = [tuple(norm(v) for v in r) for r in rows]
    return sorted(out, key=lambda t: tuple((x is None, str(x)) for x in t))
