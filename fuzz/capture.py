#!/usr/bin/python3
"""fuzz/capture.py — a recording TCP proxy for making the seed corpus.

Listens on 127.0.0.1:LISTEN_PORT, forwards every connection to a running
sluiced on 127.0.0.1:SERVER_PORT, and writes each connection's
client→server byte stream to OUTDIR/PREFIX-NNN (one file per connection,
the format fuzz_session.c takes as one input). Stops after --seconds.

usage: capture.py --listen 5499 --server 5460 --out fuzz/corpus --prefix psql [--seconds 60]
"""
import argparse
import os
import selectors
import socket
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", type=int, required=True)
    ap.add_argument("--server", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--prefix", required=True)
    ap.add_argument("--seconds", type=float, default=60.0)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", a.listen))
    ls.listen(64)
    sel = selectors.DefaultSelector()
    sel.register(ls, selectors.EVENT_READ, None)
    n = 0
    end = time.monotonic() + a.seconds
    while time.monotonic() < end:
        for key, _ in sel.select(0.2):
            if key.data is None:
                c, _ = ls.accept()
                s = socket.create_connection(("127.0.0.1", a.server))
                n += 1
                rec = open(os.path.join(a.out, "%s-%03d" % (a.prefix, n)), "wb")
                sel.register(c, selectors.EVENT_READ, (s, rec))
                sel.register(s, selectors.EVENT_READ, (c, None))
                continue
            src = key.fileobj
            dst, rec = key.data
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            if not data:
                for x in (src, dst):
                    try:
                        sel.unregister(x)
                    except (KeyError, ValueError):
                        pass
                    x.close()
                if rec:
                    rec.close()
                continue
            if rec:
                rec.write(data)
            try:
                dst.sendall(data)
            except OSError:
                pass


if __name__ == "__main__":
    main()
