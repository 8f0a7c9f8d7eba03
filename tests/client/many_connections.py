#!/usr/bin/python3
"""tests/client/many_connections.py — 1,000 concurrent clients and the connection limit.

Starts its own sluiced with --max-connections 1000 (trust), opens 1,000 connections over the
raw protocol (asyncio, one process), and has each run `SELECT 1` once a second for 30 s,
spread evenly over the second. Every query must succeed; the latency of each (Query sent →
ReadyForQuery received) is recorded and p50/p99/max printed; p99 must stay under 50 ms
(200 ms on an ASan build). While all 1,000 are connected, connection 1,001 must get
FATAL 53300 "sorry, too many clients already" at once; after one client leaves, a new one is
admitted. Also printed: the server's RSS before and with the 1,000 connections.

Environment: SLUICE_BUILD (from tests/run_tests.sh). MANY_CONNECTIONS / MANY_SECONDS
override the defaults (1000 / 30) for a manual run.
"""
import asyncio
import os
import re
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from pyclient import bad, check, ok, summary  # noqa: E402

BUILD = os.environ.get("SLUICE_BUILD", "")
ASAN = "asan" in BUILD
N = int(os.environ.get("MANY_CONNECTIONS", "1000"))
SECONDS = int(os.environ.get("MANY_SECONDS", "30"))
P99_LIMIT_MS = 200.0 if ASAN else 50.0

QUERY = b"SELECT 1\0"
QUERY_MSG = b"Q" + struct.pack("!I", 4 + len(QUERY)) + QUERY


def startup_packet(user):
    body = struct.pack("!I", 196608) + b"user\0" + user.encode() + b"\0database\0sluice\0\0"
    return struct.pack("!I", len(body) + 4) + body


async def read_msg(reader):
    h = await reader.readexactly(5)
    n = struct.unpack("!I", h[1:])[0]
    return h[:1], await reader.readexactly(n - 4)


def error_fields(body):
    return {p[:1].decode(): p[1:].decode() for p in body.split(b"\0") if p}


async def open_conn(port, i):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(startup_packet("u%d" % i))
    await writer.drain()
    while True:
        t, body = await read_msg(reader)
        if t == b"E":
            writer.close()
            raise RuntimeError("startup of %d failed: %s" % (i, error_fields(body)))
        if t == b"Z":
            return reader, writer


async def query(reader, writer):
    """One SELECT 1: returns (latency seconds, error or None)."""
    t0 = time.perf_counter()
    writer.write(QUERY_MSG)
    rows, err = 0, None
    while True:
        t, body = await read_msg(reader)
        if t == b"D":
            rows += 1
        elif t == b"E":
            err = error_fields(body)
        elif t == b"Z":
            break
    lat = time.perf_counter() - t0
    if err is None and rows != 1:
        err = {"M": "%d rows" % rows}
    return lat, err


async def client_loop(conn, offset, start, stats):
    reader, writer = conn
    for k in range(SECONDS):
        delay = start + k + offset - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        try:
            lat, err = await query(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError) as e:
            stats["errors"].append(repr(e))
            return
        if err:
            stats["errors"].append(err)
        else:
            stats["lat"].append(lat)


async def one_more(port):
    """Connection max+1: returns (type, fields, seconds)."""
    t0 = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(startup_packet("extra"))
    await writer.drain()
    t, body = await asyncio.wait_for(read_msg(reader), 10)
    took = time.perf_counter() - t0
    fields = error_fields(body) if t == b"E" else {}
    try:
        eof = await asyncio.wait_for(reader.read(1), 5) == b""
    except (ConnectionError, asyncio.TimeoutError):
        eof = False
    writer.close()
    return t, fields, took, eof


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        m = re.search(r"VmRSS:\s+(\d+) kB", f.read())
    return int(m.group(1)) if m else 0


async def scenario(port, pid):
    base_rss = rss_kib(pid)
    t0 = time.perf_counter()
    conns = []
    for b in range(0, N, 100):  # in batches, so the listen backlog never overflows
        conns += await asyncio.gather(*(open_conn(port, i) for i in range(b, min(N, b + 100))))
    print("     %d connections established in %.2f s" % (len(conns), time.perf_counter() - t0))
    check("all %d connections admitted" % N, N, len(conns))
    await asyncio.sleep(0.3)
    full_rss = rss_kib(pid)
    print("     server RSS: %d KiB before, %d KiB with %d idle connections (%.1f KiB each)"
          % (base_rss, full_rss, N, (full_rss - base_rss) / max(1, N)))

    t, fields, took, eof = await one_more(port)
    check("connection %d: FATAL 53300 sorry, too many clients already" % (N + 1),
          (b"E", "FATAL", "53300", "sorry, too many clients already"),
          (t, fields.get("S"), fields.get("C"), fields.get("M")))
    check("connection %d: refused at once (< 1 s) and closed" % (N + 1), (True, True),
          (took < 1.0, eof))

    stats = {"lat": [], "errors": []}
    start = time.perf_counter() + 0.5
    await asyncio.gather(*(client_loop(c, i / N, start, stats) for i, c in enumerate(conns)))
    lat = sorted(stats["lat"])
    want = N * SECONDS
    check("every query answered without error (%d queries)" % want, (want, []),
          (len(lat), stats["errors"][:5]))
    if lat:
        def pct(p):
            return lat[min(len(lat) - 1, int(p * len(lat)))] * 1e3
        print("     SELECT 1 latency over %d queries from %d connections in %d s: "
              "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms"
              % (len(lat), N, SECONDS, pct(0.50), pct(0.90), pct(0.99), lat[-1] * 1e3))
        if pct(0.99) < P99_LIMIT_MS:
            ok("p99 latency %.2f ms < %d ms" % (pct(0.99), P99_LIMIT_MS))
        else:
            bad("p99 latency %.2f ms >= %d ms" % (pct(0.99), P99_LIMIT_MS))

    # a slot freed by a leaving client is available again
    reader, writer = conns.pop()
    writer.write(b"X\0\0\0\x04")
    await writer.drain()
    writer.close()
    again = None
    for _ in range(50):
        try:
            again = await open_conn(port, N + 1)
            break
        except RuntimeError:
            await asyncio.sleep(0.05)
    check("after one client leaves, a new one is admitted", True, again is not None)
    if again:
        conns.append(again)
    for r, w in conns:
        w.write(b"X\0\0\0\x04")
        w.close()
    await asyncio.sleep(0.2)


def main():
    if not BUILD or not os.path.exists(os.path.join(BUILD, "sluiced")):
        print("SLUICE_BUILD not set (run me through tests/run_tests.sh)")
        return 2
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < N + 100:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, N + 1000), hard))
    tmp = tempfile.mkdtemp(prefix="sluice-many.")
    log = os.path.join(tmp, "server.log")
    with open(log, "w") as logf:
        proc = subprocess.Popen([os.path.join(BUILD, "sluiced"), "--port", "0", "--listen",
                                 "127.0.0.1", "--data-dir", os.path.join(tmp, "data"),
                                 "--max-connections", str(N)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=logf)
    port = None
    deadline = time.time() + (60 if ASAN else 20)
    while time.time() < deadline and port is None:
        m = re.search(r"listening on 127\.0\.0\.1:(\d+)", open(log).read())
        if m:
            port = int(m.group(1))
        elif proc.poll() is not None:
            break
        else:
            time.sleep(0.05)
    try:
        if port is None:
            bad("server started", open(log).read()[-2000:])
            return summary()
        asyncio.run(scenario(port, proc.pid))
    finally:
        proc.terminate()
        try:
            rc = proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
        text = open(log).read()
        if rc != 0 or re.search(r"AddressSanitizer|runtime error:|LeakSanitizer", text):
            bad("server exits cleanly", "rc %d\n%s" % (rc, text[-3000:]))
        if os.environ.get("KEEP_TMP") != "1":
            shutil.rmtree(tmp, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
