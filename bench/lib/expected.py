#!/usr/bin/env python3
"""bench/lib/expected.py — expected results of the benchmark queries, from the generator's CSV.

    expected.py BID_CSV OUTDIR

Reads the bid CSV written by `nexmark --csv` (columns of bench/queries/schema.sql's bid:
auction, bidder, price, channel, url, date_time, extra) and writes, independently of sluice:

    OUTDIR/counts        bids=N q2=M           (q0/q1 emit N rows, q2 emits M rows)
    OUTDIR/tumble.txt    auction,window_start,bids,max_price            (10 s TUMBLE)
    OUTDIR/hop.txt       auction,window_start,num                       (HOP 2 s / 10 s)
    OUTDIR/vwap.txt      auction,window_start,n,volume,lo,hi            (10 s TUMBLE)

each sorted by (window_start, auction), in the text form of a pull query through
`psql -XAt -F,` (timestamps 'YYYY-MM-DD HH:MM:SS': window bounds are whole seconds).
Windows are aligned to the Unix epoch, half-open, as in sluice (README "Windows").
"""
import csv
import datetime
import os
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: expected.py BID_CSV OUTDIR")
    path, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    epoch = datetime.datetime(1970, 1, 1)
    sec_cache = {}

    def seconds(ts):
        # 'YYYY-MM-DD HH:MM:SS[.fff]': windows are whole seconds, so the fraction never matters
        key = ts[:19]
        s = sec_cache.get(key)
        if s is None:
            s = int((datetime.datetime.strptime(key, "%Y-%m-%d %H:%M:%S") - epoch).total_seconds())
            sec_cache[key] = s
        return s

    def fmt(sec):
        return (epoch + datetime.timedelta(seconds=sec)).strftime("%Y-%m-%d %H:%M:%S")

    bids = 0
    q2 = 0
    tumble = {}   # (ws, auction) -> [count, max, sum, min]
    hop = {}      # (ws, auction) -> count
    with open(path, newline="") as f:
        for row in csv.reader(f):
            auction = int(row[0])
            price = int(row[2])
            s = seconds(row[5])
            bids += 1
            if auction % 123 == 0:
                q2 += 1
            k = (s - s % 10, auction)
            t = tumble.get(k)
            if t is None:
                tumble[k] = [1, price, price, price]
            else:
                t[0] += 1
                t[2] += price
                if price > t[1]:
                    t[1] = price
                if price < t[3]:
                    t[3] = price
            last = s - s % 2          # the latest 2 s-aligned start at or before s
            for j in range(5):        # windows [start, start + 10) holding s
                ws = last - 2 * j
                hop[(ws, auction)] = hop.get((ws, auction), 0) + 1

    with open(os.path.join(out, "counts"), "w") as f:
        f.write("bids=%d q2=%d\n" % (bids, q2))
    with open(os.path.join(out, "tumble.txt"), "w") as f:
        for (ws, a) in sorted(tumble):
            t = tumble[(ws, a)]
            f.write("%d,%s,%d,%d\n" % (a, fmt(ws), t[0], t[1]))
    with open(os.path.join(out, "vwap.txt"), "w") as f:
        for (ws, a) in sorted(tumble):
            t = tumble[(ws, a)]
            f.write("%d,%s,%d,%d,%d,%d\n" % (a, fmt(ws), t[0], t[2], t[3], t[1]))
    with open(os.path.join(out, "hop.txt"), "w") as f:
        for (ws, a) in sorted(hop):
            f.write("%d,%s,%d\n" % (a, fmt(ws), hop[(ws, a)]))


if __name__ == "__main__":
    main()
