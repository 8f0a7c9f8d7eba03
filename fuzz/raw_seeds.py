#!/usr/bin/python3
"""fuzz/raw_seeds.py — hand-built seeds for protocol paths the captured driver
sessions (fuzz/make_corpus.sh) do not reach: SSLRequest/GSSENCRequest before
the startup packet, protocol 3.2 with _pq_ options, Describe of statements and
portals, Execute with a row limit (PortalSuspended), Flush, Close, an error
before Sync, CopyFail, CopyData outside COPY, fastpath, a SUBSCRIBE through
Execute, Terminate followed by more bytes, and cancels (a trailing
CancelRequest, see fuzz_session.c) of SUBSCRIBE, COPY TO STDOUT, a streaming
Execute and a FETCH, with the right and a wrong key. Writes fuzz/corpus/raw-*.

usage: raw_seeds.py OUTDIR
"""
import os
import struct
import sys


def msg(t, body=b""):
    return t + struct.pack("!I", len(body) + 4) + body


def startup(proto=0x00030000, extra=b""):
    body = struct.pack("!I", proto) + b"user\0fuzz\0database\0sluice\0" + extra + b"\0"
    return struct.pack("!I", len(body) + 4) + body


def cstr(s):
    return s.encode() + b"\0"


def parse(name, q, oids=()):
    return msg(b"P", cstr(name) + cstr(q) + struct.pack("!H", len(oids)) +
               b"".join(struct.pack("!I", o) for o in oids))


def bind(portal, stmt, params=(), pfmt=(), rfmt=()):
    b = cstr(portal) + cstr(stmt) + struct.pack("!H", len(pfmt))
    b += b"".join(struct.pack("!h", f) for f in pfmt)
    b += struct.pack("!H", len(params))
    for p in params:
        b += struct.pack("!i", -1) if p is None else struct.pack("!i", len(p)) + p
    b += struct.pack("!H", len(rfmt)) + b"".join(struct.pack("!h", f) for f in rfmt)
    return msg(b"B", b)


def describe(kind, name):
    return msg(b"D", kind + cstr(name))


def execute(portal, n=0):
    return msg(b"E", cstr(portal) + struct.pack("!i", n))


def q(s):
    return msg(b"Q", cstr(s))


SYNC = msg(b"S")
DDL = q("CREATE STREAM s (k TEXT, x BIGINT, ts TIMESTAMP); "
        "CREATE VIEW v AS SELECT k, x FROM s EMIT APPEND; "
        "INSERT INTO s VALUES ('a', 1, TIMESTAMP '2026-01-01 00:00:01'), "
        "('b', 2, TIMESTAMP '2026-01-01 00:00:02'), ('c', 3, TIMESTAMP '2026-01-01 00:00:03')")

# A trailing CancelRequest is sent by fuzz_session.c on a second connection with the
# session's real pid and key XOR the key field here (0 = the right key).
def cancel(key_xor=0):
    return struct.pack("!IIII", 16, 80877102, 0, key_xor)


SEEDS = {
    "cancel-subscribe": startup() + DDL + q("SUBSCRIBE v FROM EPOCH 1") + q("SELECT 4") + cancel(),
    "cancel-copy-out": startup() + DDL + q("COPY (SUBSCRIBE v FROM EPOCH 1) TO STDOUT") + cancel(),
    "cancel-ext-subscribe": startup() + DDL + parse("", "SUBSCRIBE v FROM EPOCH 1") +
    bind("", "") + execute("") + SYNC + cancel(),
    "cancel-fetch": startup() + DDL +
    q("DECLARE c CURSOR FOR SUBSCRIBE v FROM EPOCH 1 WITH (timeout = '5 seconds')") +
    q("FETCH 10 FROM c") + cancel(),
    "cancel-wrong-key": startup() + DDL + q("SUBSCRIBE v") + cancel(0x5A5A5A5A),
    "cancel-idle": startup() + q("SELECT 1") + cancel(),
    "ssl-then-startup": struct.pack("!II", 8, 80877103) + startup() + q("SELECT 1") + msg(b"X"),
    "gss-ssl-startup": struct.pack("!II", 8, 80877104) + struct.pack("!II", 8, 80877103) +
    startup() + msg(b"X"),
    "proto-3.2-options": startup(0x00030002, b"_pq_.foo\0bar\0application_name\0fz\0") +
    q("SHOW application_name"),
    "cancel": struct.pack("!IIII", 16, 80877102, 1, 12345),
    "ext-describe": startup() + DDL + parse("st", "SELECT k, x FROM v WHERE x > $1", (20,)) +
    describe(b"S", "st") + bind("p", "st", [b"1"]) + describe(b"P", "p") + execute("p", 1) +
    execute("p", 0) + msg(b"C", b"Pp\0") + msg(b"C", b"Sst\0") + SYNC + msg(b"X"),
    "ext-binary": startup() + DDL +
    parse("", "INSERT INTO s VALUES ($1, $2, $3)", (25, 20, 1114)) +
    bind("", "", [b"zz", struct.pack("!q", 7), struct.pack("!q", 0)], (0, 1, 1)) +
    execute("") + SYNC + parse("", "SELECT x, k FROM v") + bind("", "", rfmt=(1,)) +
    describe(b"P", "") + execute("") + SYNC,
    "ext-error-skip": startup() + parse("", "SELEC 1") + bind("", "") + execute("") + SYNC +
    parse("", "SELECT $1::bigint", (20,)) + bind("", "", [b"x"]) + execute("") + SYNC +
    q("SELECT 1"),
    "ext-flush-unknown": startup() + describe(b"P", "nope") + msg(b"H") + SYNC +
    execute("nope") + SYNC + msg(b"C", b"Snope\0") + SYNC + bind("p", "nope") + SYNC,
    "ext-subscribe": startup() + DDL + parse("", "SUBSCRIBE v FROM EPOCH 1 LIMIT 2") +
    bind("", "") + describe(b"P", "") + execute("") + SYNC + q("SELECT 2"),
    "copy-fail": startup() + DDL + q("COPY s FROM STDIN") + msg(b"d", b"a\t1\t2026-01-01\n") +
    msg(b"f", b"client gave up\0") + q("COPY s FROM STDIN (FORMAT csv)") +
    msg(b"d", b"a,1,2026-01-01 00:00:09\n") + msg(b"c") + q("SELECT * FROM v"),
    "copy-outside": startup() + msg(b"d", b"xx") + msg(b"c") + msg(b"f", b"no\0") +
    msg(b"F", b"\0\0\0\1") + q("SELECT 1"),
    "terminate-then-more": startup() + msg(b"X") + q("SELECT 1"),
    "subscribe-simple": startup() + DDL + q("SUBSCRIBE v FROM EPOCH 1") + q("SELECT 3"),
    "multi-statement": startup() + DDL +
    q("SELECT k, x * 2 FROM v WHERE k <> 'b'; SELECT upper(k) FROM v; SHOW s STATUS; "
      "EXPLAIN SELECT k FROM v"),
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, "raw-" + name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
