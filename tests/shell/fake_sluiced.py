#!/usr/bin/env python3
"""A tiny fake sluiced for the shell tests: just enough pgwire to exercise SUBSCRIBE.

Usage: fake_sluiced.py PORT   (listens on 127.0.0.1, prints "ready" when listening)

Queries understood (simple protocol only):
  SHOW VIEWS                 -> name, mode rows (v_upd: update, v_app: append, v_cmp: complete)
  DESCRIBE v_upd             -> column_name, data_type, is_key, extra
  SUBSCRIBE <view> [forever] -> _epoch, _op, then the view's columns; a few rows; with
                                "forever" the subscription only ends on a CancelRequest (57014)
anything else                -> ErrorResponse 42601
"""
import re
import socket
import struct
import sys
import threading
import time

INT8, TEXT = 20, 25
cancels = {}  # backend pid -> threading.Event
lock = threading.Lock()
next_pid = [1000]


def msg(tag, payload=b""):
    return tag + struct.pack("!I", len(payload) + 4) + payload


def row_description(cols):
    p = struct.pack("!H", len(cols))
    for name, oid in cols:
        p += name.encode() + b"\0" + struct.pack("!IhIhih", 0, 0, oid, 8 if oid == INT8 else -1, -1, 0)
    return msg(b"T", p)


def data_row(vals):
    p = struct.pack("!H", len(vals))
    for v in vals:
        if v is None:
            p += struct.pack("!i", -1)
        else:
            b = str(v).encode()
            p += struct.pack("!i", len(b)) + b
    return msg(b"D", p)


def complete(tag):
    return msg(b"C", tag.encode() + b"\0")


def error(code, text):
    return msg(b"E", b"SERROR\0VERROR\0C" + code.encode() + b"\0M" + text.encode() + b"\0\0")


READY = msg(b"Z", b"I")

SUBS = {
    "v_app": ([("word", TEXT), ("n", INT8)],
              [(1, "insert", "apple", 1), (1, "insert", "banana", 22), (2, "insert", "cherry", 333)]),
    "v_upd": ([("word", TEXT), ("n", INT8)],
              [(1, "upsert", "apple", 1), (1, "upsert", "pear", 2), (2, "upsert", "apple", 5),
               (3, "delete", "pear", 2), (3, "upsert", "fig", None)]),
    "v_cmp": ([("word", TEXT), ("n", INT8)],
              [(1, "insert", "a", 1), (1, "insert", "b", 2), (2, "insert", "a", 3)]),
}


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


def serve(sock):
    try:
        while True:
            (length,) = struct.unpack("!I", recv_exact(sock, 4))
            body = recv_exact(sock, length - 4)
            (code,) = struct.unpack("!I", body[:4])
            if code == 80877103:  # SSLRequest
                sock.sendall(b"N")
                continue
            if code == 80877102:  # CancelRequest
                pid, _key = struct.unpack("!II", body[4:12])
                with lock:
                    ev = cancels.get(pid)
                if ev:
                    ev.set()
                return
            break
        with lock:
            pid = next_pid[0]
            next_pid[0] += 1
            ev = cancels[pid] = threading.Event()
        out = msg(b"R", struct.pack("!I", 0))
        for k, v in (("server_version", "15.0 (sluice fake)"), ("client_encoding", "UTF8"),
                     ("DateStyle", "ISO, MDY"), ("integer_datetimes", "on"),
                     ("standard_conforming_strings", "on")):
            out += msg(b"S", k.encode() + b"\0" + v.encode() + b"\0")
        out += msg(b"K", struct.pack("!II", pid, 42)) + READY
        sock.sendall(out)
        while True:
            tag = recv_exact(sock, 1)
            (length,) = struct.unpack("!I", recv_exact(sock, 4))
            body = recv_exact(sock, length - 4)
            if tag == b"X":
                return
            if tag != b"Q":
                sock.sendall(error("08P01", "unsupported message") + READY)
                continue
            q = body.rstrip(b"\0").decode().strip().rstrip(";").strip()
            q = re.sub(r"^(/\*.*?\*/\s*)+", "", q, flags=re.S)
            words = q.split()
            low = [w.lower() for w in words]
            if low[:2] == ["show", "views"]:
                out = row_description([("name", TEXT), ("mode", TEXT)])
                for name, mode in (("v_app", "append"), ("v_upd", "update"), ("v_cmp", "complete")):
                    out += data_row([name, mode])
                sock.sendall(out + complete("SHOW VIEWS") + READY)
            elif low[:1] == ["describe"] and len(words) > 1 and words[1] in SUBS:
                cols = SUBS[words[1]][0]
                out = row_description([("column_name", TEXT), ("data_type", TEXT),
                                       ("is_key", 16), ("extra", TEXT)])
                for i, (name, oid) in enumerate(cols):
                    out += data_row([name, "bigint" if oid == INT8 else "text",
                                     "t" if i == 0 else "f", ""])
                sock.sendall(out + complete("DESCRIBE") + READY)
            elif low[:1] == ["subscribe"] and len(words) > 1 and words[1] in SUBS:
                cols, rows = SUBS[words[1]]
                ev.clear()
                sock.sendall(row_description([("_epoch", INT8), ("_op", TEXT)] + cols))
                for r in rows:
                    sock.sendall(data_row(r))
                    time.sleep(0.02)
                if "forever" in low:
                    ev.wait(20)
                    sock.sendall(error("57014", "canceling statement due to user request") + READY)
                else:
                    sock.sendall(complete("SUBSCRIBE %d" % len(rows)) + READY)
            else:
                sock.sendall(error("42601", "fake server does not understand this") + READY)
    except (EOFError, ConnectionError, OSError):
        pass
    finally:
        sock.close()


def main():
    port = int(sys.argv[1])
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(16)
    print("ready", flush=True)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
