#!/usr/bin/python3
"""tests/proto/fuzz_wire.py — throw malformed PostgreSQL wire messages at a
running sluiced and check that it survives.

RELIABILITY.md S-02. Each malformed message gets its own connection to
127.0.0.1 (8 connections at a time): sometimes a valid startup first, then one
hostile payload (bad lengths, huge lengths, unknown types, truncated messages,
garbage startup packets, random bytes, extended-protocol sequences, COPY
misuse; the first 30% are captured psql/psycopg sessions from fuzz/corpus with
1-4 random mutations each), then whatever comes back until the server closes or is quiet for
50 ms. Each reply is classified (see classify) and the counts printed; a reply
that is not a valid sequence of backend messages, or a FATAL error without the
close, fails the run. A control client (lib/wire.py) stays connected the whole
time running SELECT 1 every 20 ms and must never see an error; every 500
messages and at the end the server must answer SELECT 1 on a new connection.
Without ASan, the server's RSS at the end must be within 1 MiB of its RSS after
the mutated sessions and 500 template messages (SLUICE_PID).
Sanitizer reports in the server log are the harness's job (tests/run_tests.sh).

usage: fuzz_wire.py [--port N (default $SLUICE_PORT)] [--iterations 10000] [--seed 1]
                    [--max-seconds 240] [--workers 8]
exit status 0 = every check held, 1 = not.
"""
import argparse
import collections
import concurrent.futures
import os
import random
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from wire import Control, alive as pid_alive, rss_kib  # noqa: E402

HOST = "127.0.0.1"


def msg(t, body=b""):
    return t + struct.pack("!I", len(body) + 4) + body


def startup(params=None, proto=0x00030000):
    params = params or {"user": "fuzz", "database": "fuzz"}
    body = struct.pack("!I", proto)
    for k, v in params.items():
        body += k.encode() + b"\0" + v.encode() + b"\0"
    body += b"\0"
    return struct.pack("!I", len(body) + 4) + body


def recv_some(s, limit_s):
    """Read until the server closes or limit_s passes; return the bytes."""
    s.settimeout(limit_s)
    out = b""
    deadline = time.monotonic() + limit_s
    try:
        while time.monotonic() < deadline and len(out) < 1 << 20:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except (socket.timeout, ConnectionError, OSError):
        pass
    return out


def read_until_ready(s, limit_s=2.0, count=1):
    """Read backend messages until `count` ReadyForQuery; return the list of (type, body)."""
    s.settimeout(limit_s)
    buf = b""
    msgs = []
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        while len(buf) >= 5:
            t = buf[:1]
            (n,) = struct.unpack("!I", buf[1:5])
            if len(buf) < 1 + n:
                break
            msgs.append((t, buf[5 : 1 + n]))
            buf = buf[1 + n :]
            if t == b"Z":
                count -= 1
                if count == 0:
                    return msgs
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
    return msgs


CORPUS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fuzz", "corpus")


def load_corpus():
    """The captured client sessions of fuzz/corpus (psql, psycopg, raw seeds), sorted by name."""
    out = []
    if os.path.isdir(CORPUS_DIR):
        for name in sorted(os.listdir(CORPUS_DIR)):
            with open(os.path.join(CORPUS_DIR, name), "rb") as f:
                data = f.read()
            if data:
                out.append(data)
    return out


def mutate(rng, data):
    """1-4 random edits of a captured session: bit flips, byte sets, a corrupted length word,
    truncation, deletion, duplication or insertion of a chunk."""
    b = bytearray(data)
    for _ in range(rng.randrange(1, 5)):
        if not b:
            b = bytearray(rng.randbytes(8))
        op = rng.randrange(7)
        i = rng.randrange(len(b))
        if op == 0:
            b[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            b[i] = rng.choice([0, 0xFF, 0x7F, 0x80, rng.randrange(256)])
        elif op == 2:  # a length-word-sized field
            b[i:i + 4] = struct.pack("!I", rng.choice([0, 3, 4, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF,
                                                       rng.randrange(1 << 32)]))
        elif op == 3:
            del b[rng.randrange(i, len(b)) + 1:]
        elif op == 4:
            del b[i:i + rng.randrange(1, 16)]
        elif op == 5:
            j = rng.randrange(i, min(len(b), i + 64)) + 1
            b[i:i] = b[i:j]
        else:
            b[i:i] = rng.randbytes(rng.randrange(1, 16))
    return bytes(b)


def hostile_payloads(rng):
    """One hostile byte string (plus whether it needs a valid startup first)."""
    kind = rng.randrange(16)
    types = b"QPBDESCHFdcfXp" + bytes([rng.randrange(256)])
    t = bytes([types[rng.randrange(len(types))]])
    if kind == 0:  # random bytes in the startup phase
        return False, bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
    if kind == 1:  # startup length too small / too large / negative
        n = rng.choice([0, 1, 3, 4, 7, 10001, 0x7FFFFFFF, 0xFFFFFFFF, 0x80000000])
        return False, struct.pack("!I", n) + b"\0\3\0\0user\0x\0\0"
    if kind == 2:  # unsupported protocol versions
        return False, startup(proto=rng.choice([0x00020000, 0x00040000, 0x12345678, 0]))
    if kind == 3:  # malformed startup parameters
        body = struct.pack("!I", 0x00030000) + rng.choice(
            [b"user", b"user\0", b"user\0x", b"user\0x\0y\0", b"\0user\0x\0\0", b""])
        return False, struct.pack("!I", len(body) + 4) + body
    if kind == 4:  # SSL / GSS / cancel requests, possibly malformed or repeated
        pkts = [struct.pack("!II", 8, 80877103), struct.pack("!II", 8, 80877104),
                struct.pack("!IIII", 16, 80877102, rng.randrange(1 << 31), rng.randrange(1 << 32)),
                struct.pack("!II", 12, 80877103) + b"abcd",
                struct.pack("!III", 12, 80877102, 1)]
        return False, b"".join(rng.choice(pkts) for _ in range(rng.randrange(1, 5)))
    if kind == 5:  # regular message with length < 4
        return True, t + struct.pack("!I", rng.randrange(4))
    if kind == 6:  # huge / negative lengths
        return True, t + struct.pack("!I", rng.choice([0x7FFFFFFF, 0xFFFFFFFF, 0x40000001, 10001]))
    if kind == 7:  # truncated header or body
        full = msg(t, b"SELECT 1\0")
        return True, full[: rng.randrange(1, len(full))]
    if kind == 8:  # unknown type
        return True, msg(bytes([rng.choice(b"AGIJKLMNORTUVWYZ\0\xff")]), b"xyz")
    if kind == 9:  # Query without terminator / with embedded NULs / empty
        return True, msg(b"Q", rng.choice([b"SELECT 1", b"SEL\0ECT 1\0", b"", b"\0", b"   \0"]))
    if kind == 10:  # extended protocol, with and without Sync
        seq = msg(b"P", b"\0SELECT 1\0\0\0") + msg(b"B", b"\0\0\0\0\0\0\0\0") + msg(b"E", b"\0\0\0\0\0")
        return True, seq + (msg(b"S") if rng.random() < 0.5 else b"") + msg(b"Q", b"SELECT 1\0")
    if kind == 11:  # COPY misuse: data outside COPY, wrong messages inside COPY
        seq = msg(b"d", b"x\n") + msg(b"c") + msg(b"Q", b"COPY x FROM STDIN\0")
        seq += msg(b"d", b"a\nb\n") + msg(rng.choice([b"Q", b"P", b"d", b"c", b"f", b"S"]), b"x\0")
        return True, seq
    if kind == 12:  # streaming then garbage / terminate / queued queries
        seq = msg(b"Q", b"SUBSCRIBE test\0")
        seq += rng.choice([msg(b"X"), msg(b"Q", b"SELECT 1\0"), b"\xff\0\0\0\4", msg(b"S")])
        return True, seq
    if kind == 13:  # many small messages at once
        return True, b"".join(msg(b"Q", b"SELECT 1\0") for _ in range(rng.randrange(1, 200)))
    if kind == 14:  # message after Terminate
        return True, msg(b"X") + msg(b"Q", b"SELECT 1\0")
    # random bytes after a valid startup
    return True, bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))


def alive(port):
    with socket.create_connection((HOST, port), timeout=3) as s:
        s.sendall(startup({"user": "fuzzcheck"}))
        m = read_until_ready(s)
        if not m or m[-1][0] != b"Z":
            return False
        s.sendall(msg(b"Q", b"SELECT 1\0"))
        m = read_until_ready(s)
        rows = [b for t, b in m if t == b"D"]
        s.sendall(msg(b"X"))
        return len(rows) == 1 and rows[0].endswith(b"1")


def classify(reply, closed):
    """How the server answered one hostile connection: 'fatal-08P01' (ErrorResponse 08P01,
    then closed), 'fatal-<code>' (another FATAL, e.g. 0A000 for a wrong version), 'closed'
    (closed without an error, e.g. a CancelRequest or Terminate), 'error-<code>' (a
    non-FATAL ERROR, connection kept: e.g. a random Query that is bad SQL), 'open' (still
    waiting for more bytes of a message), or 'unframed' when the reply is not a valid
    sequence of backend messages (a bug)."""
    # replies to SSLRequest / GSSENCRequest are single unframed 'N' bytes
    i = 0
    while i < len(reply) and reply[i:i + 1] == b"N" and (len(reply) - i < 5 or reply[i + 1:i + 2] != b"\0"):
        i += 1
    msgs, pos = [], i
    while pos + 5 <= len(reply):
        (n,) = struct.unpack("!I", reply[pos + 1:pos + 5])
        if n < 4 or pos + 1 + n > len(reply):
            break
        msgs.append((reply[pos:pos + 1], reply[pos + 5:pos + 1 + n]))
        pos += 1 + n
    if pos != len(reply) and closed:
        return "unframed"
    errs = [b for t, b in msgs if t == b"E"]
    code = None
    fatal = False
    if errs:
        fields = dict((f[:1], f[1:]) for f in errs[-1].split(b"\0") if f)
        code = fields.get(b"C", b"?").decode()
        fatal = fields.get(b"S") == b"FATAL"
    if fatal and closed:
        return "fatal-" + code
    if fatal:
        return "fatal-not-closed"
    if closed:
        return "closed"
    if code:
        return "error-" + code
    return "open"


def one(port, payload_spec):
    """Send one hostile payload on its own connection; return its outcome (classify)."""
    needs_startup, payload = payload_spec
    try:
        with socket.create_connection((HOST, port), timeout=2) as s:
            if needs_startup:
                s.sendall(startup())
                read_until_ready(s, 2.0)
            s.sendall(payload)
            reply, closed = recv_reply(s, 0.05)
            return classify(reply, closed)
    except (ConnectionError, OSError):
        return "reset"


def recv_reply(s, quiet_s):
    """Read until the server closes (True) or is quiet for quiet_s after the last byte."""
    s.settimeout(quiet_s)
    out = b""
    deadline = time.monotonic() + 3.0
    try:
        while time.monotonic() < deadline and len(out) < 1 << 20:
            chunk = s.recv(65536)
            if not chunk:
                return out, True
            out += chunk
    except socket.timeout:
        return out, False
    except (ConnectionError, OSError):
        return out, True
    return out, False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=int(os.environ.get("SLUICE_PORT", "0")))
    ap.add_argument("--iterations", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-seconds", type=float, default=240.0)
    ap.add_argument("--workers", type=int, default=8)
    args = ap.parse_args()
    if not args.port:
        print("fuzz_wire: no --port and no SLUICE_PORT (run me through tests/run_tests.sh)")
        return 2
    pid = int(os.environ.get("SLUICE_PID", "0") or 0)
    rng = random.Random(args.seed)
    print(f"fuzz_wire: seed {args.seed}, {args.iterations} malformed messages, one connection "
          f"each, {args.workers} at a time, on {HOST}:{args.port}")
    # the payloads are drawn up front so that a seed always means the same messages
    # first 30%: mutated real sessions (they create streams and views: server state grows);
    # then the templates, which leave no state behind, so RSS must stay flat during them
    corpus = load_corpus()
    n_mut = args.iterations * 3 // 10 if corpus else 0
    specs = [(False, mutate(rng, rng.choice(corpus))) for _ in range(n_mut)]
    specs += [hostile_payloads(rng) for _ in range(args.iterations - n_mut)]
    print(f"fuzz_wire: {n_mut} mutations of the {len(corpus)} captured sessions in fuzz/corpus, "
          f"then {args.iterations - n_mut} from templates")
    control = Control(args.port)
    control.start()
    rss0 = rss_kib(pid) if pid else None
    rss_warm = None
    t_end = time.monotonic() + args.max_seconds
    outcomes = collections.Counter()
    done = 0
    failures = []
    with concurrent.futures.ThreadPoolExecutor(args.workers) as pool:
        step = 500 if n_mut % 500 == 0 else 100
        for start in range(0, len(specs), step):
            if time.monotonic() > t_end:
                failures.append(f"time limit of {args.max_seconds} s reached after {done} messages")
                break
            for o in pool.map(lambda sp: one(args.port, sp), specs[start:start + step]):
                outcomes[o] += 1
                done += 1
            if rss_warm is None and pid and done >= n_mut + 500:
                rss_warm = rss_kib(pid)  # the baseline: 500 template messages in
            if os.environ.get("FUZZ_WIRE_VERBOSE"):
                print(f"fuzz_wire: {done} sent, server RSS {rss_kib(pid) if pid else '?'} KiB")
            if not alive(args.port) or (pid and not pid_alive(pid)):
                failures.append(f"server not answering after {done} messages (seed {args.seed})")
                break
    time.sleep(0.5)  # let the server free the last connections before measuring
    rss1 = rss_kib(pid) if pid else None
    problems = control.finish()
    print("fuzz_wire: outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    bad_kinds = [k for k in outcomes if k in ("unframed", "fatal-not-closed")]
    if bad_kinds:
        failures.append("malformed replies: " + ", ".join(f"{k} {outcomes[k]}" for k in bad_kinds))
    if problems:
        failures.append(f"control client saw {len(problems)} problems: {problems[:3]}")
    print(f"fuzz_wire: control client: {control.rounds} rounds of SELECT 1, "
          f"{len(problems)} problems")
    if rss0 is not None and rss1 is not None and rss_warm is not None:
        print(f"fuzz_wire: server RSS {rss0} KiB at start, {rss_warm} KiB after the mutated "
              f"sessions and 500 template messages, {rss1} KiB at the end")
        asan = os.environ.get("SLUICE_ASAN") == "1"
        if not asan and rss1 - rss_warm > 1024:
            failures.append(f"server RSS grew {rss1 - rss_warm} KiB after warm-up (limit 1024)")
        elif asan:
            print("fuzz_wire: (RSS limit not checked under ASan: its quarantine holds freed memory)")
    ok = alive(args.port)
    print(f"fuzz_wire: {done} malformed messages sent, server {'alive' if ok else 'NOT answering'}")
    if not ok:
        failures.append("server not answering at the end")
    if done < args.iterations and not failures:
        failures.append(f"only {done} of {args.iterations} messages sent")
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
