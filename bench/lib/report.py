#!/usr/bin/env python3
"""bench/lib/report.py — turn bench/run.sh's measurements into the results table.

    report.py RESULTS [BENCHMARKS_MD]

RESULTS holds KEY=VALUE lines written by bench/run.sh (machine description, configuration,
one group of keys per measurement). The table, the machine and the ratios go to stdout; with
BENCHMARKS_MD, they also replace the part of that file between the two marker lines
<!-- bench:begin --> and <!-- bench:end --> (the rest of the file, e.g. the lead's
"What each optimisation bought", is kept). A missing file, or one without markers, is
written from the template at the end of this script.
"""
import os
import sys

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"


def load(path):
    r = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" in line:
                k, v = line.split("=", 1)
                r[k.strip()] = v.strip()
    return r


class R:
    def __init__(self, d):
        self.d = d

    def s(self, k, default="n/a"):
        v = self.d.get(k, "")
        return v if v != "" else default

    def f(self, k):
        try:
            return float(self.d[k])
        except (KeyError, ValueError):
            return None


def rate(x):
    if x is None:
        return "n/a"
    if x >= 1e9:
        return "%.2f G" % (x / 1e9)
    if x >= 1e6:
        return "%.2f M" % (x / 1e6)
    if x >= 1e3:
        return "%.0f k" % (x / 1e3)
    return "%.0f" % x


def count(x):
    if x is None:
        return "n/a"
    x = float(x)
    if x >= 1e6:
        return "%.2f M" % (x / 1e6)
    if x >= 1e3:
        return "%.0f k" % (x / 1e3)
    return "%d" % x


def us(x):
    if x is None:
        return "n/a"
    if abs(x) >= 1000:
        return "%.2f ms" % (x / 1000)
    return "%d µs" % x


def div(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def status_min(value, target):
    """met when value >= target"""
    if value is None:
        return "n/a"
    r = value / target
    return ("met (%.2f× target)" if r >= 1 else "**missed** (%.2f× target)") % r


def status_max(value, target):
    """met when value <= target"""
    if value is None:
        return "n/a"
    r = value / target
    return ("met (%.2f× the limit)" if r <= 1 else "**missed** (%.2f× the limit)") % r


QUERIES = [
    ("q0", "q0 pass-through (`SELECT … FROM bid`) + subscriber", 3e6),
    ("q1", "q1 projection (`price * 0.908`) + subscriber", 3e6),
    ("q2", "q2 selection (`auction % 123 = 0`) + subscriber", 3e6),
    ("tumble", "tumble: count, max per auction, 10 s", 1e6),
    ("hop", "hop: count per auction, 10 s every 2 s (q5 inner)", 1e6),
    ("vwap", "vwap: count, sum, avg, min, max per auction, 10 s", 1e6),
]


def build(d):
    r = R(d)
    quick = r.s("quick", "0") == "1"
    bids = r.f("bids")
    span = r.f("span_s")
    per10 = div(bids, span) * 10 if bids and span else None
    rows = []
    checks = []

    def e2e(q):
        ev = r.f(q + "_events")
        wall = r.f(q + "_wall_s")
        cpu = r.f(q + "_cpu_s")
        return ev, div(ev, wall), div(ev, cpu), cpu

    def rss(q):
        kb = r.f(q + "_hwm_kb")
        return "%.0f MiB" % (kb / 1024) if kb else "n/a"

    def bpg(q):
        g = r.f(q + "_groups")
        b = r.f(q + "_state_bytes")
        return ("%.0f B" % (b / g)) if g and b is not None else "–"

    # ingest vs PostgreSQL COPY
    ev, wall_eps, cpu_eps, _ = e2e("ingest")
    pg_wall = div(r.f("pg_copy_rows"), r.f("pg_copy_wall_s"))
    pg_cpu = div(r.f("pg_copy_rows"), r.f("pg_copy_cpu_s"))
    ratio = div(wall_eps, pg_wall)
    ingest_ratio = ratio
    rows.append(["ingest: `COPY bid` (CSV, one connection), no view", count(ev), rate(wall_eps),
                 rate(cpu_eps), rss("ingest"), "–",
                 "PostgreSQL 15 COPY into an UNLOGGED table: %s ev/s wall, %s ev/s per core; "
                 "sluice/PostgreSQL = **%s×** wall, %s× per core"
                 % (rate(pg_wall), rate(pg_cpu), "%.2f" % ratio if ratio else "n/a",
                    "%.2f" % div(cpu_eps, pg_cpu) if div(cpu_eps, pg_cpu) else "n/a"),
                 "COPY ≥ 3× PostgreSQL", status_min(ratio, 3) if ratio else "n/a"])
    if r.s("ingest_check", "-") not in ("-", "ok"):
        checks.append("ingest: " + r.s("ingest_check"))

    if r.f("ingest_fsync_events"):
        ev, wall_eps, cpu_eps, _ = e2e("ingest_fsync")
        rows.append(["ingest with `--fsync on` (the default), no view", count(ev), rate(wall_eps),
                     rate(cpu_eps), rss("ingest_fsync"), "–",
                     "every COPY part fsynced to the stream log before it is acknowledged; "
                     "%s× PostgreSQL (fsync=off) wall"
                     % ("%.2f" % div(wall_eps, pg_wall) if div(wall_eps, pg_wall) else "n/a"),
                     "–", "–"])
        if r.s("ingest_fsync_check", "-") not in ("-", "ok"):
            checks.append("ingest_fsync: " + r.s("ingest_fsync_check"))

    for q, label, target in QUERIES:
        ev, wall_eps, cpu_eps, cpu = e2e(q)
        detail = "%s rows out" % count(r.f(q + "_rows_out"))
        if q in ("q0", "q1", "q2"):
            detail += ", all received by the subscriber" if r.s(q + "_check", "") == "ok" \
                else " (subscriber: %s rows)" % count(r.f(q + "_drained"))
        rows.append([label + ", end to end", count(ev), rate(wall_eps), rate(cpu_eps), rss(q),
                     bpg(q), detail, "≥ %s ev/s per core" % rate(target).strip(),
                     status_min(cpu_eps, target)])
        if r.s(q + "_check", "-") not in ("-", "ok"):
            checks.append("%s: %s" % (q, r.s(q + "_check")))

    # engine and limit
    lim_h = r.f("lim_hash_eps")
    lim_d = r.f("lim_dense_eps")
    eng = r.f("eng_kv1k_eps")
    pct = div(eng, lim_h)
    pct_d = div(eng, lim_d)
    st20 = status_min(eng, 20e6)
    st40 = status_min(pct, 0.40) if pct is not None else "n/a"
    rows.append(["engine in process: tumble COUNT/SUM over 1 000 keys (`engine_bench --kv1k`)",
                 count(r.f("eng_kv1k_events")), "–", rate(eng), "–",
                 "%.0f B" % r.f("eng_kv1k_bpg") if r.f("eng_kv1k_bpg") else "n/a",
                 "%s of limit.c (hash), %s of limit.c (dense arrays)"
                 % ("%.1f %%" % (100 * pct) if pct else "n/a",
                    "%.1f %%" % (100 * pct_d) if pct_d else "n/a"),
                 "≥ 20 M ev/s per core; ≥ 40 % of limit.c",
                 "%s; %s" % (st20, st40.replace("target", "of 40 %"))])
    for q, label, _ in QUERIES:
        e = r.f("eng_%s_eps" % q)
        b = r.f("eng_%s_bpg" % q)
        rows.append(["engine in process: " + label.split(" + ")[0], count(r.f("eng_%s_events" % q)),
                     "–", rate(e), "–", ("%.0f B" % b) if b else "–",
                     "server end to end reaches %s of this"
                     % ("%.0f %%" % (100 * div(r.f(q + "_events"), r.f(q + "_cpu_s")) / e)
                        if e and r.f(q + "_cpu_s") else "n/a"), "–", "–"])
    rows.append(["limit.c: tight C loop, tumble COUNT/SUM, 1 000 keys, hash table",
                 count(r.f("lim_events")), "–", rate(lim_h), "–", "–", "the ceiling used for %",
                 "–", "–"])
    rows.append(["limit.c: the same with dense arrays (keys known to be 0..999)",
                 count(r.f("lim_events")), "–", rate(lim_d), "–", "–", "absolute ceiling", "–", "–"])

    # state per group (COUNT/SUM)
    rows.append(["state per (window, key) group, COUNT/SUM (engine kv1k: state_bytes / groups)",
                 "–", "–", "–", "–",
                 "%.0f B" % r.f("eng_kv1k_bpg") if r.f("eng_kv1k_bpg") else "n/a",
                 "server views: tumble %s, hop %s, vwap %s (SHOW view STATUS at the end)"
                 % (bpg("tumble"), bpg("hop"), bpg("vwap")),
                 "≤ 64 B", status_max(r.f("eng_kv1k_bpg"), 64)])

    # latency
    for key, label in (("lat_row", "EVERY ROW"), ("lat_batch", "default trigger (per COPY)")):
        sp = [r.f("%s_send_%s_us" % (key, p)) for p in ("p50", "p99", "max")]
        ak = [r.f("%s_ack_%s_us" % (key, p)) for p in ("p50", "p99", "max")]
        detail = ("from COPY sent: p50 %s, p99 %s, max %s; from COPY returned: p50 %s, p99 %s, "
                  "max %s; %s of %s rows; writer at most %s behind schedule"
                  % (us(sp[0]), us(sp[1]), us(sp[2]), us(ak[0]), us(ak[1]), us(ak[2]),
                     count(r.f(key + "_received")), count(r.f(key + "_events")),
                     us(r.f(key + "_behind_max_us"))))
        if key == "lat_row":
            target = "p99 < 1 ms"
            st = "%s from COPY returned; %s from COPY sent" % (
                status_max(ak[1], 1000).split(" (")[0], status_max(sp[1], 1000))
        else:
            target, st = "–", "–"
        rows.append(["latency, q0-style view, %s, %s ev/s in COPYs of %s"
                     % (label, rate(r.f("lat_rate")), r.s("lat_batch_rows")),
                     count(r.f(key + "_events")), rate(r.f(key + "_rate")), "–", rss(key), "–",
                     detail, target, st])
        if r.s(key + "_check", "-") not in ("-", "ok"):
            checks.append("%s: %s" % (key, r.s(key + "_check")))

    # per-trigger cost vs PostgreSQL re-query
    for q in ("tumble", "hop", "vwap"):
        ev, _, _, cpu = e2e(q)
        per_event = div(cpu, ev)
        sl_ms = per_event * per10 * 1000 if per_event and per10 else None
        pg_ms = r.f("pg_%s_ms" % q)
        ratio = div(pg_ms, sl_ms)
        rows.append(["per-trigger cost, %s: PostgreSQL re-query vs sluice" % q, count(bids), "–",
                     "–", "–", "–",
                     "PostgreSQL re-running the query over the whole table (%s of event "
                     "time, %s rows, 1 core): %s; sluice: CPU per event × %s events per 10 s = %s; "
                     "ratio **%s×**"
                     % (r.s("span_text"), count(bids),
                        "%.0f ms" % pg_ms if pg_ms is not None else "n/a", count(per10),
                        "%.2f ms" % sl_ms if sl_ms is not None else "n/a",
                        "%.0f" % ratio if ratio else "n/a"),
                     "≥ 100× cheaper", status_min(ratio, 100) if ratio else "n/a"])

    head = ["benchmark", "events", "ev/s (wall)", "ev/s per core", "peak RSS", "state / group",
            "detail", "target", "status"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * len(head)) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(str(c) for c in row) + " |")
    table = "\n".join(lines)

    machine = [
        "| machine | |", "|---|---|",
        "| CPU | %s × %s |" % (r.s("m_nproc"), r.s("m_cpu")),
        "| RAM | %s |" % r.s("m_ram"),
        "| kernel | %s |" % r.s("m_kernel"),
        "| compiler | %s, `-O2` |" % r.s("m_gcc"),
        "| PostgreSQL | %s |" % r.s("m_pg"),
        "| sluice commit | %s |" % r.s("m_commit"),
        "| date | %s |" % r.s("m_date"),
        "| run | %s: %s events (%s bids) at %s events/s of event time, i.e. %s of event time "
        "from %s; CSV on %s; sluiced %s; `bench/run.sh` took %s s |"
        % ("quick" if quick else "full", count(r.f("events")), count(bids),
           "%.1f" % r.f("rate") if r.f("rate") else "n/a", r.s("span_text"), r.s("first_ts"),
           r.s("csv_dir"), "with `--fsync off` (but the ingest row marked `--fsync on`)"
           if r.s("have_fsync", "0") == "1" else "without durability (no `--fsync` option)",
           r.s("elapsed_s")),
    ]
    goals = ["Targets:"]
    for row in rows:
        if row[7] != "–":
            goals.append("- %s — %s: %s" % (row[7], row[0], row[8]))
    summary = ["\n".join(goals), "Ratios: sluice COPY ingest / PostgreSQL COPY = %s× (wall); engine tumble "
               "COUNT/SUM = %s of limit.c (hash) and %s of limit.c (dense); per-trigger cost "
               "ratios in the last rows."
               % ("%.2f" % ingest_ratio if ingest_ratio else "n/a",
                  "%.1f %%" % (100 * pct) if pct else "n/a",
                  "%.1f %%" % (100 * pct_d) if pct_d else "n/a")]
    if r.f("sink_append_rows_per_s"):
        summary.append(
            "PostgreSQL sinks (`bench/sink_bench.py`, target PostgreSQL with fsync on): one APPEND "
            "sink delivers %s rows/s and one UPDATE sink %s upserts/s (%s rows each); at %s "
            "events/s of steady ingest (an epoch per 1,000-event batch) an UPDATE sink lags "
            "p50 %s, p99 %s, max %s epochs behind its view and catches up %s s after ingest "
            "stops."
            % (rate(r.f("sink_append_rows_per_s")), rate(r.f("sink_update_rows_per_s")),
               count(r.f("sink_append_rows")), rate(r.f("sink_lag_rate")),
               r.s("sink_lag_lag_p50"), r.s("sink_lag_lag_p99"), r.s("sink_lag_lag_max"),
               "%.3f" % r.f("sink_lag_catchup") if r.f("sink_lag_catchup") is not None
               else "n/a"))
    if r.s("pg_ok", "0") != "1":
        summary.append("PostgreSQL comparison skipped: %s." % r.s("pg_error", "it did not start"))
    if checks:
        summary.append("Correctness checks FAILED: " + "; ".join(checks))
    else:
        summary.append("Correctness checks: %s." % r.s("check_text", "all passed"))
    return "\n".join(machine), table, "\n".join(summary)


TEMPLATE = """# Benchmarks

`make bench` runs the Nexmark benchmark (`bench/run.sh`): it builds with `-O2`, generates the
bids once with the Nexmark generator (`build/nexmark`, bench/nexmark_gen.c) into CSV on tmpfs,
starts a fresh `sluiced` on loopback for each query, replays the CSV with `psql \\copy`, and
measures the server from `/proc`. It then runs the executor alone (`build/engine_bench`), the
hand-written ceiling (`build/limit`), end-to-end latency (`build/latency`) and, side by side,
a throwaway PostgreSQL 15 on the same CSV. `make bench-quick` (part of `make test`) runs a small
version and checks the results of every query against the generator's CSV.

{begin}
{generated}
{end}

## How each number is measured

- **Events** are bids (the queries read only `bid`); the generator's other 8 % of events
  (person, auction) are not replayed. The full run generates 10.87 M events = 10.0 M bids at
  an event-time rate chosen so that they span exactly one hour (so that PostgreSQL's re-query
  below covers one hour of data, the views' default retention).
- **ev/s (wall)**: bids / wall time from the start of the COPY to the end of the COPY (views
  with a subscriber: to the last row received by the subscriber).
- **ev/s per core**: bids / CPU seconds consumed by `sluiced` (utime + stime from
  `/proc/<pid>/stat`, before and after, divided by `CLK_TCK`). The COPY client (`psql`) and the
  subscriber run on the other core and are not counted. On this 2-core box this is the number to
  compare with published per-core figures (nexmark.md: Flink q0–q2 ≈ 155–379 K, q5 ≈ 22–75 K).
- **Subscriber**: q0–q2 are measured with a subscriber attached (`latency --drain`, a bare
  pgwire client that counts DataRows), so they pay for egress; windowed views emit one row per
  (window, auction) and are measured without one.
- **peak RSS**: `VmHWM` of `sluiced` at the end of the run. **state / group**: `state_bytes /
  groups` from `SHOW <view> STATUS` at the end (the last windows are still open).
- **engine**: `engine_bench` runs parse → plan → `exec_ingest` in process on pre-built `Value`
  rows in batches of 1 024; CPU time from `CLOCK_PROCESS_CPUTIME_ID` around `exec_ingest` only.
  `--kv1k` uses the same data as `limit.c` (1 000 uniform keys, 10 000 events per second of event
  time, a narrow stream `kv(k, v, ts)`); the other rows use the generator's bids.
- **limit.c**: the same tumbling COUNT/SUM per key as a tight C loop over pre-generated columns,
  once with an open-addressing hash table (what arbitrary BIGINT keys need: the "% of limit.c"
  uses this one) and once with dense arrays indexed by key.
- **Latency**: `latency` sends COPY batches of 100 events at a fixed 100 k events/s on one libpq
  connection and subscribes to a q0-style view (`SELECT auction, bidder, price, date_time FROM
  bid`) on another, in single-row mode. Each event carries its id (in `bidder`) and its send time
  (as `date_time`). "From COPY sent" is receive time − the batch's *scheduled* send time (a writer
  that falls behind shows up as latency); "from COPY returned" is receive time − the time the
  batch's COPY returned (the issue's definition; negative values, rows that arrived before the
  COPY's acknowledgement, count as 0 in p50). The first second is warm-up and left out.
- **PostgreSQL**: a throwaway PostgreSQL 15 (`tests/lib/common.sh`'s `pg_start`: temp data dir,
  loopback, `fsync=off`), an UNLOGGED table `bid`, loaded with `psql \\copy` of the same CSV
  (wall time; CPU = the postmaster's and its children's CPU from `/proc`, the exited backend
  included). The re-query per trigger is `EXPLAIN (ANALYZE, TIMING OFF)` of each windowed query
  over the whole table (one hour of data) with `max_parallel_workers_per_gather = 0` and
  `work_mem = 256MB` (one core, no spill), the best of two runs. sluice's cost per trigger is its
  CPU per event (end to end) × the events of 10 s: the incremental work a 10 s trigger does.

## Queries not there yet

`bench/queries/` has q0, q1, q2, the tumbling per-auction aggregate (the windowed half of q7),
the hopping "hot items" count (the inner query of q5) and a VWAP-style summary. These Nexmark
queries are missing because they need **joins**, which sluice does not have yet (README, "Not
there yet"):

- **q3** (local item suggestion): a stream–stream join of `auction` with `person` (sellers in
  OR, ID, CA with auctions of category 10), unbounded state on both sides.
- **q4** (average price per category): joins bids to their auction within the auction's
  lifetime (`B.date_time BETWEEN A.date_time AND A.expires`), then a two-level aggregation.
- **q5** (hot items, full): the hopping count is here (`hop.sql`); keeping the auctions whose
  count equals the window's maximum needs a join of that result with its per-window max.
- **q7** (highest bid): the tumbling max is here (`tumble.sql`); returning the bids whose price
  equals the window's max needs a join back to the bids.
- **q8** (new users): a window join of `person` and `auction` on the same 10 s window.

## Durability

Every INSERT/COPY batch is written to the stream's log before views see it (`sluiced --fsync
on|off`, on by default). The throughput and latency rows run `sluiced --fsync off`: events are
still written to the log (into the page cache), but not fsynced, which is the footing of the
PostgreSQL side (`fsync=off`, an UNLOGGED table). One ingest row runs the default `--fsync on`
to show what durability costs; the data directory is in the temp dir (`/tmp`, on disk). A tree
whose `sluiced` has no `--fsync` option (before durability) is run as it is, and the run line
above says so.

## What each optimisation bought

(to be filled in by the lead: one row per optimisation of executor/, with the `make bench`
numbers before and after.)
"""


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: report.py RESULTS [BENCHMARKS_MD]")
    d = load(sys.argv[1])
    machine, table, summary = build(d)
    generated = "\n\n".join([
        "## Results\n\nGenerated by `make bench` (`bench/run.sh`); do not edit between the "
        "markers.",
        machine, table, summary])
    print(machine)
    print()
    print(table)
    print()
    print(summary)
    if len(sys.argv) == 3:
        path = sys.argv[2]
        text = None
        if os.path.exists(path):
            with open(path) as f:
                old = f.read()
            if BEGIN in old and END in old:
                pre = old.split(BEGIN, 1)[0]
                post = old.split(END, 1)[1]
                text = pre + BEGIN + "\n" + generated + "\n" + END + post
        if text is None:
            text = TEMPLATE.format(begin=BEGIN, end=END, generated=generated)
        with open(path + ".tmp", "w") as f:
            f.write(text)
        os.replace(path + ".tmp", path)
        print("\n(written to %s)" % path)


if __name__ == "__main__":
    main()
