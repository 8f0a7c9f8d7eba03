"""tests/proto/lib/wire.py — what the hostile-protocol tests share: raw PostgreSQL v3
framing (msg, startup), reading backend messages off a socket (read_msgs), ErrorResponse
fields (error_fields), the server's RSS (rss_kib), and the control client that runs
SELECT 1 on its own connection alongside a test and records every anomaly (Control).

Not a test itself: tests/run_tests.sh runs tests/proto/*.py, not this directory.
Loopback only; every read has a deadline.
"""
import os
import socket
import struct
import threading
import time

HOST = os.environ.get("SLUICE_HOST", "127.0.0.1")


def msg(t, body=b""):
    return t + struct.pack("!I", len(body) + 4) + body


def startup(params=None, proto=0x00030000):
    params = params or {"user": "proto", "database": "proto"}
    body = struct.pack("!I", proto)
    for k, v in params.items():
        body += k.encode() + b"\0" + v.encode() + b"\0"
    body += b"\0"
    return struct.pack("!I", len(body) + 4) + body


def connect(port, timeout=5.0):
    s = socket.create_connection((HOST, port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def read_msgs(s, limit_s=2.0, until=b"Z", count=1):
    """Read backend messages until `count` messages of type `until` (None: until the
    server closes), the server closes, or limit_s passes. Returns (msgs, closed) with
    msgs a list of (type, body) and closed True when the server closed the connection."""
    buf = b""
    msgs = []
    deadline = time.monotonic() + limit_s
    closed = False
    while True:
        while len(buf) >= 5:
            (n,) = struct.unpack("!I", buf[1:5])
            if len(buf) < 1 + n:
                break
            t = buf[:1]
            msgs.append((t, buf[5:1 + n]))
            buf = buf[1 + n:]
            if until is not None and t == until:
                count -= 1
                if count == 0:
                    return msgs, False
        left = deadline - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        except (ConnectionError, OSError):
            closed = True
            break
        if not chunk:
            closed = True
            break
        buf += chunk
    if buf:
        msgs.append((b"?", buf))  # a partial or unframed tail
    return msgs, closed


def read_raw(s, limit_s=5.0):
    """All bytes until the server closes; None if it has not closed within limit_s."""
    out = b""
    deadline = time.monotonic() + limit_s
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        s.settimeout(left)
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            return None
        except (ConnectionError, OSError):
            return out
        if not chunk:
            return out
        out += chunk


def error_fields(body):
    """ErrorResponse/NoticeResponse body -> {code letter: text}."""
    out = {}
    for part in body.split(b"\0"):
        if part:
            out[chr(part[0])] = part[1:].decode("utf-8", "replace")
    return out


def sqlstates(msgs):
    return [error_fields(b).get("C") for t, b in msgs if t == b"E"]


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def alive(pid):
    if not pid:
        return True
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


class Control(threading.Thread):
    """A client connected for the whole test, running SELECT 1 every `every` seconds. Each
    round must return exactly RowDescription, DataRow "1", CommandComplete, ReadyForQuery
    within 5 s; anything else is recorded in .problems."""

    def __init__(self, port, every=0.02):
        super().__init__(daemon=True)
        self.port = port
        self.every = every
        self.rounds = 0
        self.problems = []
        self.stop_ev = threading.Event()
        self.s = connect(port)
        self.s.sendall(startup({"user": "control"}))
        m, closed = read_msgs(self.s, 5.0)
        if closed or not m or m[-1][0] != b"Z":
            raise RuntimeError("control client: startup failed: %r" % (m,))

    def run(self):
        q = msg(b"Q", b"SELECT 1\0")
        while not self.stop_ev.is_set():
            try:
                self.s.sendall(q)
                m, closed = read_msgs(self.s, 5.0)
            except OSError as e:
                self.problems.append("round %d: %s" % (self.rounds, e))
                return
            types = b"".join(t for t, _ in m)
            rows = [b for t, b in m if t == b"D"]
            if closed or types != b"TDCZ" or rows[0][-1:] != b"1":
                self.problems.append("round %d: %r%s" % (self.rounds, m[:6],
                                                         " (closed)" if closed else ""))
                if closed or len(self.problems) > 20:
                    return
            self.rounds += 1
            self.stop_ev.wait(self.every)

    def finish(self):
        """Stop, close, and return the list of problems (empty = the control never saw one)."""
        self.stop_ev.set()
        self.join(10)
        try:
            self.s.sendall(msg(b"X"))
            self.s.close()
        except OSError:
            pass
        if self.rounds == 0:
            self.problems.append("control client ran no query at all")
        return self.problems
