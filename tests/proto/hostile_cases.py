#!/usr/bin/python3
"""tests/proto/hostile_cases.py — hand-written hostile-protocol cases against a running
sluiced (RELIABILITY.md S-03), each on its own connection, each checked for the exact
response, with a control client (lib/wire.py Control) running SELECT 1 alongside the whole
time that must never see an error.

Startup phase: lengths 0..7, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 10,001 and 20,000 bytes,
truncated / unterminated parameters, no user, wrong protocol versions, bad SSLRequest and
CancelRequest lengths, too many SSLRequests, a cancel with a bogus key, a startup packet
written one byte at a time. After startup: lengths 0..3, 0x7FFFFFFF, negative, a Sync of
20,000 bytes, unknown type bytes, a Query without its NUL, Bind with 65,535 parameters or
formats in a short message, parameter lengths -2 / 0x7FFFFFFF / past the end, a format
code 2, Parse with 65,535 parameter types and a short body, Describe / Execute / Close of
unknown portals and statements, Execute before Bind, Bind of an unknown statement,
CopyData / CopyDone / CopyFail outside COPY, fastpath, messages after Terminate, replies
to messages pipelined before a Terminate (written before the close), a
CopyData after COPY's end, pipelined garbage after a valid query, and a declared 1 GiB
message that never arrives (no allocation up front: RSS checked).

A FATAL case must get ErrorResponse with the listed SQLSTATE and then a closed connection;
a non-fatal one the exact message sequence, and afterwards its session must still answer
SELECT 1. After every case the server process must still exist.

Environment: SLUICE_PORT, SLUICE_PID (from tests/run_tests.sh), SLUICE_ASAN.
"""
import os
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from wire import (Control, alive, connect, msg, read_msgs, read_raw, rss_kib, sqlstates,  # noqa: E402
                  startup)

PORT = int(os.environ.get("SLUICE_PORT", "0"))
PID = int(os.environ.get("SLUICE_PID", "0") or 0)
ASAN = os.environ.get("SLUICE_ASAN", "0") == "1"

passed = failed = 0


def ok(name):
    global passed
    passed += 1
    print("ok   " + name)


def bad(name, detail):
    global failed
    failed += 1
    print("FAIL " + name)
    print("     " + str(detail)[:600])


def u32(n):
    return struct.pack("!I", n & 0xFFFFFFFF)


def u16(n):
    return struct.pack("!H", n & 0xFFFF)


def cstr(s):
    return s + b"\0"


SELECT1 = msg(b"Q", b"SELECT 1\0")
SYNC = msg(b"S")


def session(port):
    s = connect(port)
    s.sendall(startup())
    m, closed = read_msgs(s, 5.0)
    if closed or not m or m[-1][0] != b"Z":
        raise RuntimeError("startup failed: %r" % (m,))
    return s


def still_usable(s):
    s.sendall(SELECT1)
    m, closed = read_msgs(s, 5.0)
    return not closed and b"".join(t for t, _ in m) == b"TDCZ"


# Each case: (name, needs_startup, writes, expect)
#   writes: bytes, or a list of bytes written separately (a short pause between)
#   expect: ("fatal", SQLSTATE)          ErrorResponse with that code, then EOF
#           ("fatal_after", b"TYPES", SQLSTATE)   these messages first, then the same
#           ("ssl_refused_then_fatal", N)  N bytes 'N', then a FATAL 08P01, then EOF
#           ("silent_close",)            EOF without any message
#           ("reply_then_close", b"TYPES")   exactly these messages, then EOF
#           ("seq", b"TYPES", [codes])   exactly these message types and SQLSTATEs,
#                                        then the session still answers SELECT 1
#           ("ready",)                   startup completes (ends in ReadyForQuery)
def cases():
    c = []
    # ---- startup phase
    for n in range(8):
        c.append(("startup length %d" % n, False, u32(n) + b"\0\3\0\0", ("fatal", "08P01")))
    for n in (0x7FFFFFFF, 0x80000000, 0xFFFFFFFF):
        c.append(("startup length 0x%X, 10 bytes sent" % n, False, u32(n) + b"\0\3\0\0user\0\0",
                  ("fatal", "08P01")))
    big = b"\0\3\0\0user\0" + b"u" * 19990 + b"\0\0"
    c.append(("startup packet of 20,000 bytes", False, u32(len(big) + 4) + big, ("fatal", "08P01")))
    c.append(("startup length 10,001 (just over the cap)", False, u32(10001) + b"\0\3\0\0",
              ("fatal", "08P01")))
    for body in (b"user", b"user\0", b"user\0x", b"user\0x\0database", b"user\0x\0y\0"):
        p = b"\0\3\0\0" + body
        c.append(("startup with truncated parameters %r" % body, False, u32(len(p) + 4) + p,
                  ("fatal", "08P01")))
    p = b"\0\3\0\0database\0d\0\0"
    c.append(("startup without a user", False, u32(len(p) + 4) + p, ("fatal", "08P01")))
    for proto in (0x00020000, 0x00040000, 0x12345678, 0):
        c.append(("startup protocol 0x%08X" % proto, False, startup(proto=proto), ("fatal", "0A000")))
    c.append(("SSLRequest of 12 bytes", False, u32(12) + u32(80877103) + b"abcd", ("fatal", "08P01")))
    c.append(("CancelRequest of 12 bytes", False, u32(12) + u32(80877102) + u32(1), ("fatal", "08P01")))
    c.append(("three SSLRequests", False, (u32(8) + u32(80877103)) * 3, ("ssl_refused_then_fatal", 2)))
    c.append(("CancelRequest with a bogus key", False, u32(16) + u32(80877102) + u32(1) + u32(0xDEADBEEF),
              ("silent_close",)))
    c.append(("startup packet in 1-byte writes", False, [bytes([b]) for b in startup()], ("ready",)))
    # ---- after startup: framing
    for n in range(4):
        c.append(("Query length %d" % n, True, b"Q" + u32(n), ("fatal", "08P01")))
    for n in (0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x40000001):
        c.append(("Query length 0x%X" % n, True, b"Q" + u32(n) + b"SELECT 1\0", ("fatal", "08P01")))
    c.append(("Sync of 20,000 bytes", True, b"S" + u32(20000) + b"\0" * 19996, ("fatal", "08P01")))
    c.append(("Execute of 10,001 bytes", True, b"E" + u32(10001), ("fatal", "08P01")))
    for t in (b"A", b"\0", b"\xff", b"p", b"Z"):
        c.append(("unknown message type %r" % t, True, msg(t, b"xyz"), ("fatal", "08P01")))
    c.append(("Query without its NUL", True, msg(b"Q", b"SELECT 1"), ("fatal", "08P01")))
    c.append(("empty Query body", True, msg(b"Q", b""), ("fatal", "08P01")))
    # ---- extended protocol, malformed (FATAL: the stream cannot be trusted)
    c.append(("Bind with 65,535 parameters in a short message", True,
              msg(b"B", b"\0\0" + u16(0) + u16(65535) + u32(1) + b"x") + SYNC, ("fatal", "08P01")))
    c.append(("Bind with 65,535 parameter formats in a short message", True,
              msg(b"B", b"\0\0" + u16(65535) + u16(0)) + SYNC, ("fatal", "08P01")))
    c.append(("Bind with 65,535 result formats in a short message", True,
              msg(b"B", b"\0\0" + u16(0) + u16(0) + u16(65535)) + SYNC, ("fatal", "08P01")))
    c.append(("Bind with parameter length -2", True,
              msg(b"B", b"\0\0" + u16(0) + u16(1) + u32(0xFFFFFFFE) + u16(0)) + SYNC,
              ("fatal", "08P01")))
    c.append(("Bind with parameter length 0x7FFFFFFF", True,
              msg(b"B", b"\0\0" + u16(0) + u16(1) + u32(0x7FFFFFFF) + b"abc" + u16(0)) + SYNC,
              ("fatal", "08P01")))
    c.append(("Bind with a parameter past the end", True,
              msg(b"B", b"\0\0" + u16(0) + u16(1) + u32(10) + b"abc") + SYNC, ("fatal", "08P01")))
    c.append(("Bind without its statement name", True, msg(b"B", b"\0") + SYNC, ("fatal", "08P01")))
    c.append(("Parse with 65,535 parameter types and a short body", True,
              msg(b"P", b"\0SELECT 1\0" + u16(65535) + u32(20)) + SYNC, ("fatal", "08P01")))
    c.append(("Parse with trailing bytes", True, msg(b"P", b"\0SELECT 1\0" + u16(0) + b"zz") + SYNC,
              ("fatal", "08P01")))
    c.append(("Describe with kind 'X'", True, msg(b"D", b"Xname\0") + SYNC, ("fatal", "08P01")))
    c.append(("Execute without its row count", True, msg(b"E", b"\0") + SYNC, ("fatal", "08P01")))
    # ---- extended protocol, well-formed but wrong (ERROR, skip to Sync, session usable)
    c.append(("Bind with format code 2", True,
              msg(b"B", b"\0\0" + u16(1) + u16(2) + u16(0) + u16(0)) + SYNC, ("seq", b"EZ", ["08P01"])))
    c.append(("Bind of an unknown statement", True, msg(b"B", b"\0nope\0" + u16(0) + u16(0) + u16(0))
              + SYNC, ("seq", b"EZ", ["26000"])))
    c.append(("Describe of an unknown portal", True, msg(b"D", b"Pnope\0") + SYNC,
              ("seq", b"EZ", ["34000"])))
    c.append(("Describe of an unknown statement", True, msg(b"D", b"Snope\0") + SYNC,
              ("seq", b"EZ", ["26000"])))
    c.append(("Execute of an unknown portal", True, msg(b"E", b"nope\0" + u32(0)) + SYNC,
              ("seq", b"EZ", ["34000"])))
    c.append(("Close of an unknown portal and statement", True,
              msg(b"C", b"Pnope\0") + msg(b"C", b"Snope\0") + SYNC, ("seq", b"33Z", [])))
    c.append(("Execute before Bind", True, msg(b"P", b"\0SELECT 1\0" + u16(0)) +
              msg(b"E", b"\0" + u32(0)) + SYNC, ("seq", b"1EZ", ["34000"])))
    c.append(("messages after an error are skipped until Sync", True,
              msg(b"E", b"nope\0" + u32(0)) + msg(b"P", b"\0SELECT 1\0" + u16(0)) +
              msg(b"d", b"x") + msg(b"H") + SYNC, ("seq", b"EZ", ["34000"])))
    c.append(("Bind with more parameter formats than parameters", True,
              msg(b"P", b"\0SELECT 1\0" + u16(0)) +
              msg(b"B", b"\0\0" + u16(2) + u16(0) + u16(0) + u16(0) + u16(0)) + SYNC,
              ("fatal_after", b"1", "08P01")))
    # ---- COPY and other messages out of place
    c.append(("CopyData, CopyDone, CopyFail outside COPY", True,
              msg(b"d", b"a\tb\n") + msg(b"c") + msg(b"f", b"x\0") + SELECT1, ("seq", b"TDCZ", [])))
    c.append(("fastpath FunctionCall", True, msg(b"F", u32(1) + u16(0) + u16(0) + u16(0)),
              ("seq", b"EZ", ["0A000"])))
    c.append(("Query after Terminate", True, msg(b"X") + SELECT1, ("silent_close",)))
    c.append(("Terminate with a body", True, msg(b"X", b"junk") + SELECT1, ("silent_close",)))
    # a client may pipeline its last query and Terminate in one write: the replies come first
    c.append(("Query + Terminate in one write", True, SELECT1 + msg(b"X"), ("reply_then_close", b"TDCZ")))
    c.append(("Parse/Bind/Execute/Sync + Terminate in one write", True,
              msg(b"P", b"\0SELECT 1\0" + u16(0)) + msg(b"B", b"\0\0" + u16(0) + u16(0) + u16(0)) +
              msg(b"E", b"\0" + u32(0)) + SYNC + msg(b"X"), ("reply_then_close", b"12DCZ")))
    c.append(("error, then Terminate before Sync", True, msg(b"E", b"nope\0" + u32(0)) + msg(b"X"),
              ("reply_then_close", b"E")))
    c.append(("pipelined garbage after a valid query", True, SELECT1 + b"\xff\xfe\x00garbage",
              ("fatal_after", b"TDCZ", "08P01")))
    c.append(("pipelined bad length after a valid query", True, SELECT1 + b"Q" + u32(2),
              ("fatal_after", b"TDCZ", "08P01")))
    c.append(("Query message in a COPY FROM STDIN", True,
              msg(b"Q", b"CREATE STREAM hs%d (a BIGINT); COPY hs%d FROM STDIN\0" % (os.getpid(), os.getpid())) + msg(b"d", b"1\n") +
              SELECT1, ("fatal_after", b"CG", "08P01")))
    return c


def check_case(name, needs_startup, writes, expect):
    s = session(PORT) if needs_startup else connect(PORT)
    try:
        if isinstance(writes, list):
            for w in writes:
                s.sendall(w)
                time.sleep(0.002)
        else:
            s.sendall(writes)
        kind = expect[0]
        if kind == "ssl_refused_then_fatal":  # 'N' bytes are unframed: read the raw stream
            raw = read_raw(s, 5.0)
            want = b"N" * expect[1]
            if raw is None:
                return bad(name, "connection not closed within 5 s")
            if not raw.startswith(want + b"E") or b"SFATAL\0" not in raw or b"C08P01\0" not in raw:
                return bad(name, "want %r then a FATAL 08P01, got %r" % (want, raw[:80]))
            return ok(name)
        if kind == "ready":
            m, closed = read_msgs(s, 5.0)
            if closed or not m or m[-1][0] != b"Z":
                return bad(name, "startup did not complete: %r" % (m,))
            if not still_usable(s):
                return bad(name, "session not usable after startup")
            return ok(name)
        if kind == "seq":
            want_types, want_codes = expect[1], expect[2]
            m, closed = read_msgs(s, 5.0, until=b"Z", count=want_types.count(b"Z"))
            types = b"".join(t for t, _ in m)
            if closed or types != want_types or sqlstates(m) != want_codes:
                return bad(name, "want %r %r, got %r %r%s" % (want_types, want_codes, types,
                                                               sqlstates(m), " closed" if closed else ""))
            if not still_usable(s):
                return bad(name, "session not usable afterwards")
            return ok(name)
        # the remaining kinds end with the server closing the connection
        m, closed = read_msgs(s, 5.0, until=None)
        types = b"".join(t for t, _ in m)
        if not closed:
            return bad(name, "connection not closed within 5 s (got %r)" % (m[:5],))
        if kind == "reply_then_close":
            if types != expect[1]:
                return bad(name, "want %r then EOF, got %r" % (expect[1], types))
            return ok(name)
        if kind == "silent_close":
            if m:
                return bad(name, "want no reply, got %r" % (m[:5],))
            return ok(name)
        if kind == "fatal":
            want_prefix, code = b"", expect[1]
        else:  # fatal_after: these message types first
            want_prefix, code = expect[1], expect[2]
        if types != want_prefix + b"E" or sqlstates(m)[-1:] != [code]:
            return bad(name, "want %r + E %s then EOF, got %r %r" % (want_prefix, code, types,
                                                                     sqlstates(m)))
        sev = [b for t, b in m if t == b"E"][-1]
        if b"SFATAL\0" not in sev:
            return bad(name, "ErrorResponse is not FATAL: %r" % (sev[:80],))
        return ok(name)
    except OSError as e:
        # a reset instead of an orderly close still counts as closed for FATAL cases
        return bad(name, "socket error %s" % e)
    finally:
        s.close()


def main():
    if not PORT:
        print("SLUICE_PORT not set (run me through tests/run_tests.sh)")
        return 2
    control = Control(PORT)
    control.start()
    rss0 = rss_kib(PID) if PID else None
    n = 0
    for name, needs_startup, writes, expect in cases():
        check_case(name, needs_startup, writes, expect)
        n += 1
        if not alive(PID):
            bad(name, "the server process is gone")
            break

    # A declared 1 GiB message (under the 1 GiB cap) that never arrives: nothing may be
    # allocated up front. 20 such connections held open at once.
    socks = []
    for _ in range(20):
        s = session(PORT)
        s.sendall(b"Q" + u32((1 << 30) - 16) + b"SELECT ")
        socks.append(s)
    time.sleep(0.3)
    rss1 = rss_kib(PID) if PID else None
    for s in socks:
        s.close()
    if rss0 is not None and rss1 is not None:
        grow = rss1 - rss0
        limit = 32 * 1024 if ASAN else 1024  # ASan: shadow memory and redzones
        what = "20 declared-1GiB messages held open: RSS +%d KiB (limit %d KiB)" % (grow, limit)
        if grow < limit:
            ok(what)
        else:
            bad(what, "RSS %d -> %d KiB" % (rss0, rss1))
    else:
        print("skip RSS check (no SLUICE_PID)")

    problems = control.finish()
    if problems:
        bad("control client saw no error (%d rounds)" % control.rounds, "; ".join(problems[:5]))
    else:
        ok("control client saw no error in %d rounds of SELECT 1 alongside %d cases"
           % (control.rounds, n))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
