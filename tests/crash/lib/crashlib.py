"""tests/crash/lib/crashlib.py — helpers shared by the crash tests (in lib/ so that the harness,
which runs tests/crash/*.sh and *.py, does not take it for a test).

  build_dir(argv)         BUILD from argv[1], else $SLUICE_BUILD, else ./build (absolute)
  Server                  one sluiced on a data dir: start (waits for "listening on", returns the
                          port), kill (SIGKILL), stop (SIGTERM, must exit 0), log text
  Wire                    a minimal PostgreSQL v3 simple-protocol client on a raw socket, so a
                          streaming SUBSCRIBE delivers its rows one by one as they arrive (psycopg
                          and psql only return a result when the statement ends)
"""
import os
import signal
import socket
import struct
import subprocess
import time


def build_dir(argv):
    b = argv[1] if len(argv) > 1 else os.environ.get("SLUICE_BUILD", "build")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    if not os.path.isabs(b):
        b = os.path.join(os.getcwd() if os.path.exists(b) else root, b)
    return os.path.abspath(b)


class ServerError(Exception):
    pass


class Server:
    def __init__(self, build, data_dir, log_path, extra=()):
        self.bin = os.path.join(build, "sluiced")
        self.data_dir = data_dir
        self.log_path = log_path
        self.extra = list(extra)
        self.proc = None
        self.port = None
        self.starts = 0

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def start(self, timeout=60):
        """Start sluiced; return its port. Raise ServerError (with the log tail) when it exits
        or does not listen within `timeout` seconds."""
        assert self.proc is None
        with open(self.log_path, "a") as f:
            f.write("=== start %d\n" % (self.starts + 1))
        off = os.path.getsize(self.log_path)
        logf = open(self.log_path, "a")
        self.proc = subprocess.Popen(
            [self.bin, "--port", "0", "--listen", "127.0.0.1", "--data-dir", self.data_dir]
            + self.extra, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=logf)
        logf.close()
        self.starts += 1
        deadline = time.time() + timeout
        while time.time() < deadline:
            with open(self.log_path, errors="replace") as f:
                f.seek(off)
                new = f.read()
            for line in new.splitlines():
                if line.startswith("sluiced: listening on 127.0.0.1:"):
                    self.port = int(line.split("127.0.0.1:")[1].split()[0])
                    return self.port
            rc = self.proc.poll()
            if rc is not None:
                self.proc = None
                raise ServerError("sluiced exited with status %d during start-up:\n%s"
                                  % (rc, new[-3000:]))
            time.sleep(0.01)
        self.kill()
        raise ServerError("sluiced did not listen within %ds" % timeout)

    def kill(self):
        if self.proc is None:
            return
        try:
            self.proc.send_signal(signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=30)
        self.proc = None
        self.port = None

    def stop(self, timeout=20):
        """SIGTERM; return the exit status (None when it had to be SIGKILLed)."""
        if self.proc is None:
            return 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
        self.proc = None
        self.port = None
        return rc

    def alive(self):
        return self.proc is not None and self.proc.poll() is None


class WireError(Exception):
    def __init__(self, fields):
        self.fields = fields
        self.sqlstate = fields.get("C")
        super().__init__("%s %s" % (fields.get("C"), fields.get("M")))


class Wire:
    """PostgreSQL protocol 3, simple Query only, text results."""

    def __init__(self, port, timeout=10.0, user="crash"):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = bytearray()
        body = struct.pack("!I", 196608) + b"user\0" + user.encode() + b"\0database\0sluice\0\0"
        self.sock.sendall(struct.pack("!I", len(body) + 4) + body)
        while True:
            t, m = self.read_msg()
            if t == b"E":
                raise WireError(parse_fields(m))
            if t == b"Z":
                return

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def settimeout(self, t):
        self.sock.settimeout(t)

    def read_msg(self):
        """Next (type, body). Raises EOFError when the server closed the connection, and
        socket.timeout when nothing arrived within the socket timeout (the buffer is kept)."""
        while True:
            if len(self.buf) >= 5:
                n = struct.unpack("!I", self.buf[1:5])[0]
                if len(self.buf) >= 1 + n:
                    t = bytes(self.buf[0:1])
                    m = bytes(self.buf[5:1 + n])
                    del self.buf[:1 + n]
                    return t, m
            try:
                d = self.sock.recv(65536)
            except ConnectionResetError:
                raise EOFError("connection reset")
            if not d:
                raise EOFError("connection closed")
            self.buf += d

    def send_query(self, sql):
        b = sql.encode() + b"\0"
        self.sock.sendall(b"Q" + struct.pack("!I", len(b) + 4) + b)

    def query(self, sql):
        """Run one statement; return (column names, rows as tuples of str/None, command tag).
        Raises WireError on an ErrorResponse (after ReadyForQuery)."""
        self.send_query(sql)
        cols, rows, tag, err = [], [], None, None
        while True:
            t, m = self.read_msg()
            if t == b"T":
                cols = parse_rowdesc(m)
            elif t == b"D":
                rows.append(parse_datarow(m))
            elif t == b"C":
                tag = m.rstrip(b"\0").decode()
            elif t == b"E":
                err = WireError(parse_fields(m))
            elif t == b"Z":
                if err:
                    raise err
                return cols, rows, tag


def parse_fields(m):
    out = {}
    for part in m.split(b"\0"):
        if part:
            out[chr(part[0])] = part[1:].decode(errors="replace")
    return out


def parse_rowdesc(m):
    n = struct.unpack("!H", m[:2])[0]
    pos, cols = 2, []
    for _ in range(n):
        end = m.index(b"\0", pos)
        cols.append(m[pos:end].decode())
        pos = end + 1 + 18
    return cols


def parse_datarow(m):
    n = struct.unpack("!H", m[:2])[0]
    pos, vals = 2, []
    for _ in range(n):
        ln = struct.unpack("!i", m[pos:pos + 4])[0]
        pos += 4
        if ln < 0:
            vals.append(None)
        else:
            vals.append(m[pos:pos + ln].decode())
            pos += ln
    return tuple(vals)
