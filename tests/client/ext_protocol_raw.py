#!/usr/bin/python3
"""tests/client/ext_protocol_raw.py — the extended query protocol, message by message.

What drivers rarely exercise: Execute with a row limit (PortalSuspended, then the rest),
named statements and portals (duplicate Parse → 42P05, Close → CloseComplete), Describe of a
statement (ParameterDescription + RowDescription / NoData), error recovery (everything up to
Sync is discarded, then ReadyForQuery), an unknown format code (08P01, not fatal), and a Bind
claiming more parameters than its length can hold (08P01, fatal).

Environment: SLUICE_HOST, SLUICE_PORT (from tests/run_tests.sh).
"""
import os
import socket
import struct
import sys

passed = failed = 0


def ok(name):
    global passed
    passed += 1
    print("ok   " + name)


def bad(name, detail=""):
    global failed
    failed += 1
    print("FAIL " + name + ("\n     " + str(detail) if detail else ""))


def check(name, want, got):
    if want == got:
        ok(name)
    else:
        bad(name, "want %r\n      got %r" % (want, got))


def msg(t, body=b""):
    return t + struct.pack("!I", len(body) + 4) + body


def cstr(s):
    return s.encode() + b"\0"


def parse(name, sql, oids=()):
    return msg(b"P", cstr(name) + cstr(sql) + struct.pack("!H", len(oids)) +
               b"".join(struct.pack("!I", o) for o in oids))


def bind(portal, stmt, values=(), pfmt=(), rfmt=()):
    b = cstr(portal) + cstr(stmt) + struct.pack("!H", len(pfmt))
    b += b"".join(struct.pack("!h", f) for f in pfmt)
    b += struct.pack("!H", len(values))
    for v in values:
        b += struct.pack("!i", -1) if v is None else struct.pack("!I", len(v)) + v
    b += struct.pack("!H", len(rfmt)) + b"".join(struct.pack("!h", f) for f in rfmt)
    return msg(b"B", b)


def execute(portal, limit=0):
    return msg(b"E", cstr(portal) + struct.pack("!I", limit))


def describe(kind, name):
    return msg(b"D", kind + cstr(name))


def close(kind, name):
    return msg(b"C", kind + cstr(name))


SYNC = msg(b"S")


class Conn:
    def __init__(self, host, port):
        self.s = socket.create_connection((host, port), timeout=10)
        body = struct.pack("!I", 196608) + cstr("user") + cstr("raw") + b"\0"
        self.s.sendall(struct.pack("!I", len(body) + 4) + body)
        self.buf = b""
        self.until_ready()

    def read(self):
        while True:
            if len(self.buf) >= 5:
                n = struct.unpack("!I", self.buf[1:5])[0]
                if len(self.buf) >= n + 1:
                    t, body = self.buf[0:1], self.buf[5:n + 1]
                    self.buf = self.buf[n + 1:]
                    return t, body
            d = self.s.recv(65536)
            if not d:
                return None, b""
            self.buf += d

    def until_ready(self):
        out = []
        while True:
            t, body = self.read()
            if t is None:
                out.append("EOF")
                return out
            if t in (b"S", b"K", b"R", b"N"):
                continue
            if t == b"Z":
                out.append("Z")
                return out
            if t == b"E":
                f = dict((x[0:1], x[1:].decode()) for x in body.split(b"\0") if x)
                out.append("E" + f.get(b"C", "?"))
            elif t == b"D":
                n = struct.unpack("!H", body[:2])[0]
                vals, off = [], 2
                for _ in range(n):
                    ln = struct.unpack("!i", body[off:off + 4])[0]
                    off += 4
                    vals.append(None if ln < 0 else body[off:off + ln])
                    off += max(ln, 0)
                out.append(("D", tuple(vals)))
            elif t == b"C":
                out.append("C:" + body.rstrip(b"\0").decode())
            elif t == b"t":
                n = struct.unpack("!H", body[:2])[0]
                out.append(("t", struct.unpack("!%dI" % n, body[2:2 + 4 * n])))
            elif t == b"T":
                n = struct.unpack("!H", body[:2])[0]
                names, off = [], 2
                for _ in range(n):
                    z = body.index(b"\0", off)
                    names.append(body[off:z].decode())
                    off = z + 1 + 18
                out.append(("T", tuple(names)))
            else:
                out.append(t.decode())

    def send(self, *msgs):
        self.s.sendall(b"".join(msgs))


def main():
    port = os.environ.get("SLUICE_PORT")
    if not port:
        print("SLUICE_PORT not set (run me through tests/run_tests.sh)")
        return 2
    host = os.environ.get("SLUICE_HOST", "127.0.0.1")
    c = Conn(host, int(port))
    c.send(msg(b"Q", cstr("CREATE STREAM s (k TEXT, x BIGINT); "
                          "CREATE VIEW v AS SELECT k, x FROM s")))
    c.until_ready()
    c.send(parse("", "INSERT INTO s VALUES ($1, $2)", (25, 20)),
           bind("", "", (b"a", b"1")), execute(""),
           bind("", "", (b"b", struct.pack("!q", 2)), (0, 1)), execute(""),
           bind("", "", (b"c", b"3")), execute(""), SYNC)
    check("INSERT: Parse once, Bind/Execute three times (text and binary)",
          ["1", "2", "C:INSERT 0 1", "2", "C:INSERT 0 1", "2", "C:INSERT 0 1", "Z"],
          c.until_ready())

    c.send(parse("q", "SELECT k, x FROM v WHERE x >= $1 ORDER BY x"),
           describe(b"S", "q"), bind("p", "q", (b"1",)), execute("p", 2), SYNC)
    check("named statement: Describe S, Execute with a row limit → PortalSuspended",
          ["1", ("t", (20,)), ("T", ("k", "x")), "2", ("D", (b"a", b"1")), ("D", (b"b", b"2")),
           "s", "Z"], c.until_ready())
    c.send(bind("p", "q", (b"2",)), execute("p", 1), execute("p", 1), execute("p", 1),
           close(b"P", "p"), SYNC)
    check("Execute again continues the suspended portal; CommandComplete counts its rows; "
          "a finished portal completes with 0",
          ["2", ("D", (b"b", b"2")), "s", ("D", (b"c", b"3")), "C:SELECT 1", "C:SELECT 0", "3",
           "Z"],
          c.until_ready())
    c.send(bind("", "q", (struct.pack("!q", 3),), (1,), (1,)), describe(b"P", ""),
           execute(""), SYNC)
    check("binary parameter and binary results",
          ["2", ("T", ("k", "x")), ("D", (b"c", struct.pack("!q", 3))), "C:SELECT 1", "Z"],
          c.until_ready())
    c.send(parse("q", "SELECT 1"), SYNC)
    check("duplicate named Parse → 42P05", ["E42P05", "Z"], c.until_ready())
    c.send(close(b"S", "q"), parse("q", "SELECT 1 AS one"), bind("", "q"), execute(""), SYNC)
    check("Close S, then the name is free again",
          ["3", "1", "2", ("D", (b"1",)), "C:SELECT 1", "Z"], c.until_ready())
    c.send(parse("", "SELECT nosuch FROM v"), bind("", ""), execute(""),
           parse("", "SELECT 2"), SYNC, parse("", "SELECT 2 AS two"), bind("", ""),
           execute(""), SYNC)
    check("after an error everything until Sync is discarded",
          ["E42703", "Z"], c.until_ready())
    check("... and the next sequence works", ["1", "2", ("D", (b"2",)), "C:SELECT 1", "Z"],
          c.until_ready())
    c.send(parse("", "INSERT INTO s VALUES ($1, $2)"), describe(b"S", ""), SYNC)
    check("parameter types inferred from the columns; INSERT has NoData",
          ["1", ("t", (25, 20)), "n", "Z"], c.until_ready())
    c.send(parse("", "SELECT $1"), SYNC)
    check("an undeterminable parameter type → 42P18", ["E42P18", "Z"], c.until_ready())
    c.send(parse("", "SELECT k FROM v WHERE x = $1"), bind("", "", (b"zz",)), SYNC)
    check("a bad text parameter value → 22P02", ["1", "E22P02", "Z"], c.until_ready())
    c.send(parse("", "SELECT k FROM v WHERE x = $1"), bind("", "", (b"1",), (), (7,)), SYNC)
    check("an unknown format code → 08P01, the session goes on", ["1", "E08P01", "Z"],
          c.until_ready())
    c.send(parse("", ""), bind("", ""), describe(b"P", ""), execute(""), SYNC)
    check("an empty query", ["1", "2", "n", "I", "Z"], c.until_ready())
    c.send(execute("nosuch"), SYNC)
    check("Execute of an unknown portal → 34000", ["E34000", "Z"], c.until_ready())
    c.send(msg(b"B", b"\0\0\0\0\xff\xff\0\0\0\x01"), SYNC)
    check("a Bind claiming 65535 parameters in 10 bytes → FATAL 08P01",
          ["E08P01", "EOF"], c.until_ready())

    c2 = Conn(host, int(port))
    c2.send(msg(b"Q", cstr("SELECT 1")))
    check("the server lives on", [("T", ("?column?",)), ("D", (b"1",)), "C:SELECT 1", "Z"],
          c2.until_ready())
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
