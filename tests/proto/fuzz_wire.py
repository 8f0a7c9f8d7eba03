#!/usr/bin/python3
"""tests/proto/fuzz_wire.py — throw malformed PostgreSQL wire messages at a
running sluiced and check that it survives.

Each iteration opens a connection to 127.0.0.1, sometimes completes a valid
startup first, then sends one hostile payload (bad lengths, huge lengths,
unknown types, truncated messages, garbage startup packets, random bytes,
extended-protocol sequences, COPY misuse), reads whatever comes back for a
moment and closes. Afterwards the server must still answer SELECT 1 over the
raw protocol. Loopback only; bounded in iterations and time.

usage: fuzz_wire.py --port N [--iterations 1000] [--seed S] [--max-seconds 120]
exit status 0 = server alive and answering, 1 = not.
"""
import argparse
import random
import socket
import struct
import sys
import time

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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--iterations", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--max-seconds", type=float, default=120.0)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    print(f"fuzz_wire: seed {seed}, {args.iterations} iterations on {HOST}:{args.port}")
    t_end = time.monotonic() + args.max_seconds
    done = 0
    for i in range(args.iterations):
        if time.monotonic() > t_end:
            break
        needs_startup, payload = hostile_payloads(rng)
        try:
            with socket.create_connection((HOST, args.port), timeout=2) as s:
                if needs_startup:
                    s.sendall(startup())
                    read_until_ready(s, 1.0)
                s.sendall(payload)
                recv_some(s, 0.03)
        except (ConnectionError, OSError):
            pass
        done += 1
        if i % 100 == 99 and not alive(args.port):
            print(f"fuzz_wire: server not answering after iteration {i} (seed {seed})")
            return 1
    ok = alive(args.port)
    print(f"fuzz_wire: {done} iterations, server {'alive' if ok else 'NOT answering'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
