#!/usr/bin/env bash
# bench/run.sh — the Nexmark benchmark of sluice, side by side with PostgreSQL 15.
#
# usage: bench/run.sh [--quick] [BUILD]       (make bench / make bench-quick; BUILD default build)
#
# Needs BUILD/{sluiced,nexmark,limit,engine_bench,latency} (make bench-tools), psql, python3 and
# the PostgreSQL 15 server binaries (tests/lib/common.sh's pg_start; skipped with a note if
# they are missing). Steps, each bounded by a timeout:
#   1. nexmark → the bids as CSV on tmpfs (/dev/shm, else the temp dir); full: 10.87 M events
#      (10.0 M bids) spread over one hour of event time; quick: 200 k events at 1 000 ev/s
#   2. limit.c (the ceiling) and engine_bench (executor in process) for every query
#   3. for the pure ingest and each query of bench/queries: a fresh sluiced, schema.sql + the
#      query, `psql \copy` of the CSV (q0–q2 with a draining subscriber); server CPU from
#      /proc/<pid>/stat, VmHWM, SHOW <view> STATUS
#   4. latency at 100 k events/s, EVERY ROW and the default trigger
#   5. PostgreSQL: COPY of the same CSV into an UNLOGGED table, re-query cost of the windowed
#      queries
#   6. bench/lib/report.py: the table (and, full run only, BENCHMARKS.md)
# Correctness (both modes): COPY counts, no late events, every q0–q2 row reaches the subscriber,
# every latency event's row arrives exactly once. Quick mode also compares q2's count and the
# pull results of tumble, hop and vwap with bench/lib/expected.py over the CSV (and
# PostgreSQL's tumble result with the same file). Exit status non-zero on any mismatch or error;
# nothing is asserted about speed. Every process started here is stopped on exit.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
QUICK=0
if [ "${1:-}" = --quick ]; then QUICK=1; shift; fi
BUILD_ARG=${1:-build}
case "$BUILD_ARG" in /*) BUILD=$BUILD_ARG ;; *) BUILD="$ROOT/$BUILD_ARG" ;; esac
BUILD=${BUILD%/}
. "$ROOT/tests/lib/common.sh"

if [ $QUICK = 1 ]; then
    EVENTS=200000; RATE=1000
    LIM_EVENTS=2000000; LIM_PASSES=2; ENG_EVENTS=500000; ENG_KV_EVENTS=2000000
    LAT_SECONDS=1; LAT_WARMUP=0.2
    COPY_TIMEOUT=60
else
    EVENTS=10870000; RATE=$(awk -v e=$EVENTS 'BEGIN { printf "%.6f", e / 3600 }')
    LIM_EVENTS=10000000; LIM_PASSES=10; ENG_EVENTS=10000000; ENG_KV_EVENTS=20000000
    LAT_SECONDS=10; LAT_WARMUP=1
    COPY_TIMEOUT=300
fi
LAT_RATE=100000
LAT_BATCH=100
DRAIN_IDLE_MS=3000
QUERIES="q0 q1 q2 tumble hop vwap"
CLK_TCK=$(getconf CLK_TCK)
OUT="$LIB_TMP/bench"
RES="$OUT/results"
mkdir -p "$OUT"
: > "$RES"
FAILS=0
BG_PIDS=()
DATA_DIR=

bench_cleanup() {
    local p
    for p in "${BG_PIDS[@]}"; do
        kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    [ -n "$DATA_DIR" ] && rm -rf "$DATA_DIR"
    lib_cleanup
}
trap bench_cleanup EXIT

say() { printf '%s\n' "$*"; }
put() { printf '%s=%s\n' "$1" "$2" >> "$RES"; }
fail() { FAILS=$((FAILS + 1)); say "FAIL $*"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
ticks_s() { awk -v a="$1" -v b="$2" -v h="$CLK_TCK" 'BEGIN { printf "%.4f", (b - a) / h }'; }
hwm_kb() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
sq() {   # psql against the current sluiced, unaligned, tuples only
    timeout -k 5 "${SQ_TIMEOUT:-60}" psql -X -q -At -h 127.0.0.1 -p "$SLUICED_PORT" -U bench -d bench \
        -v ON_ERROR_STOP=1 "$@" </dev/null
}
status_val() {   # OBJECT KEY
    sq -F'|' -c "SHOW $1 STATUS" 2>/dev/null | awk -F'|' -v k="$2" '$1 == k { print $2 }'
}
wait_bg() {   # PID SECONDS: wait for a background job, kill it after SECONDS; its exit status
    local pid=$1 n=$(($2 * 10)) i
    for ((i = 0; i < n; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null; fi
    wait "$pid" 2>/dev/null
}
kv() {   # FILE KEY: value of KEY=... in a line of key=value words
    tr ' ' '\n' < "$1" | sed -n "s/^$2=//p" | head -1
}

for b in sluiced nexmark limit engine_bench latency; do
    [ -x "$BUILD/$b" ] || { say "bench: no $BUILD/$b (make BUILD=$BUILD_ARG bench-tools)"; exit 1; }
done
for t in psql python3; do
    command -v $t >/dev/null || { say "bench: $t is needed"; exit 1; }
done

# Durability (--fsync on|off) arrived with the stream logs: the throughput and latency runs use
# --fsync off (events are still written to the stream log, not fsynced: the footing of the
# PostgreSQL side, fsync=off and an UNLOGGED table); one more ingest run shows the default,
# --fsync on. The option is passed through a one-line exec wrapper so that tests/lib's
# sluiced_start can be used as is (exec keeps the pid, so /proc/<pid> is the server's).
SRV_BUILD=$BUILD
HAVE_FSYNC=0
if "$BUILD/sluiced" --help 2>&1 | grep -q -- '--fsync'; then
    HAVE_FSYNC=1
    for mode in on off; do
        mkdir -p "$OUT/sluiced-fsync-$mode"
        printf '#!/bin/sh\nexec "%s/sluiced" --fsync %s "$@"\n' "$BUILD" $mode > "$OUT/sluiced-fsync-$mode/sluiced"
        chmod +x "$OUT/sluiced-fsync-$mode/sluiced"
    done
    SRV_BUILD="$OUT/sluiced-fsync-off"
fi
put have_fsync $HAVE_FSYNC

say "== sluice Nexmark benchmark ($([ $QUICK = 1 ] && echo quick || echo full)), build $BUILD"

# ---- machine -----------------------------------------------------------------------------------
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null)" ] && commit="$commit (with uncommitted changes)"
put m_nproc "$(nproc)"
put m_cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
put m_ram "$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
put m_kernel "$(uname -sr)"
put m_gcc "$(${CC:-cc} --version 2>/dev/null | head -1)"
put m_pg "$("$PG_BIN/postgres" --version 2>/dev/null || echo 'not found')"
put m_commit "$commit"
put m_date "$(date -u '+%Y-%m-%d %H:%M UTC')"
put quick $QUICK
put events $EVENTS
put rate "$RATE"
put lat_rate $LAT_RATE
put lat_batch_rows $LAT_BATCH

# ---- 1. generate -------------------------------------------------------------------------------
need_kb=$((EVENTS / 5))   # ~190 B per bid row, 92 % bids: < 200 B per event
shm_free=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')
if [ -n "$shm_free" ] && [ "$shm_free" -gt $((need_kb * 2)) ] && [ -w /dev/shm ]; then
    DATA_DIR=$(mktemp -d /dev/shm/sluice-bench.XXXXXX)
else
    DATA_DIR="$OUT/data"; mkdir -p "$DATA_DIR"
fi
chmod 755 "$DATA_DIR"
CSV="$DATA_DIR/bid.csv"
put csv_dir "$(dirname "$DATA_DIR")"
say "-- 1. generating $EVENTS events at $RATE events/s of event time (bids only) into $DATA_DIR"
if ! timeout -k 5 600 "$BUILD/nexmark" --events $EVENTS --rate "$RATE" --only bid --csv "$DATA_DIR" \
        --stats > "$OUT/gen.out" 2>&1; then
    fail "nexmark: $(tail -5 "$OUT/gen.out")"; exit 1
fi
sed 's/^/   | /' "$OUT/gen.out"
BIDS=$(wc -l < "$CSV")
first_ts=$(head -1 "$CSV" | awk -F, '{ print $(NF-1) }')
span=$(awk -v e=$EVENTS -v r="$RATE" 'BEGIN { printf "%.3f", e / r }')
put bids "$BIDS"
put span_s "$span"
put span_text "$(awk -v s="$span" 'BEGIN { if (s >= 3599 && s <= 3601) print "1 h"; else printf "%.0f s", s }')"
put first_ts "$first_ts"
if [ $QUICK = 1 ]; then
    say "   expected results from the CSV (bench/lib/expected.py)"
    if ! timeout -k 5 120 python3 bench/lib/expected.py "$CSV" "$OUT/expected" > "$OUT/expected.log" 2>&1; then
        fail "expected.py: $(tail -5 "$OUT/expected.log")"; exit 1
    fi
    EXP_Q2=$(sed -n 's/.*q2=\([0-9]*\).*/\1/p' "$OUT/expected/counts")
    EXP_BIDS=$(sed -n 's/.*bids=\([0-9]*\).*/\1/p' "$OUT/expected/counts")
    [ "$EXP_BIDS" = "$BIDS" ] || fail "expected.py read $EXP_BIDS bids, the CSV has $BIDS lines"
fi

# ---- 2. limit.c and the engine in process --------------------------------------------------------
say "-- 2. limit.c and engine_bench"
if timeout -k 5 300 "$BUILD/limit" --events $LIM_EVENTS --passes $LIM_PASSES > "$OUT/limit.out" 2>&1; then
    sed 's/^/   | /' "$OUT/limit.out"
    put lim_events $((LIM_EVENTS * LIM_PASSES))
    put lim_hash_eps "$(grep 'variant=hash' "$OUT/limit.out" | tr ' ' '\n' | sed -n 's/^events_per_s=//p')"
    put lim_dense_eps "$(grep 'variant=dense' "$OUT/limit.out" | tr ' ' '\n' | sed -n 's/^events_per_s=//p')"
else
    fail "limit: $(tail -3 "$OUT/limit.out")"
fi
run_engine() {   # NAME ARGS...
    local name=$1 f="$OUT/engine_$1.out"; shift
    if timeout -k 5 300 "$BUILD/engine_bench" "$@" > "$f" 2>&1; then
        sed 's/^/   | /' "$f"
        put "eng_${name}_events" "$(kv "$f" events)"
        put "eng_${name}_eps" "$(kv "$f" events_per_s)"
        put "eng_${name}_bpg" "$(kv "$f" bytes_per_group)"
    else
        fail "engine_bench $name: $(tail -3 "$f")"
    fi
}
run_engine kv1k --kv1k --events $ENG_KV_EVENTS
for q in $QUERIES; do
    run_engine "$q" --schema bench/queries/schema.sql --query "bench/queries/$q.sql" \
        --events $ENG_EVENTS --rate "$RATE"
done

# ---- 3. end to end, one fresh server per query ---------------------------------------------------
say "-- 3. end to end: $BIDS bids per query through COPY (fresh sluiced each)"
compare_pull() {   # NAME SQL EXPECTED_FILE
    local got="$OUT/$1.got"
    if ! SQ_TIMEOUT=120 sq -F, -c "$2" > "$got" 2>&1; then
        fail "$1: pull query failed: $(tail -3 "$got")"; return 1
    fi
    if cmp -s "$3" "$got"; then
        say "   ok   $1: $(wc -l < "$got") rows equal to the expected results"
        return 0
    fi
    fail "$1: pull results differ from the expected results ($(wc -l < "$got") vs $(wc -l < "$3") rows)"
    diff "$3" "$got" | head -10 | sed 's/^/     /'
    return 1
}

run_query() {   # NAME [SERVER_BUILD_DIR] (ingest* = the stream alone)
    local q=$1 srv=${2:-$SRV_BUILD} check=ok drain_pid= rc
    if ! sluiced_start "$srv" 2> "$OUT/$q.start"; then
        fail "$q: sluiced did not start: $(tail -3 "$OUT/$q.start")"; put "${q}_check" "no server"; return
    fi
    if ! sq -f bench/queries/schema.sql > "$OUT/$q.ddl" 2>&1 ||
       { [ "${q#ingest}" = "$q" ] && ! sq -f "bench/queries/$q.sql" >> "$OUT/$q.ddl" 2>&1; }; then
        fail "$q: DDL failed: $(tail -3 "$OUT/$q.ddl")"; sluiced_stop 2>/dev/null; put "${q}_check" "DDL failed"; return
    fi
    case $q in
    q0 | q1 | q2)
        "$BUILD/latency" --drain --host 127.0.0.1 --port "$SLUICED_PORT" --view "$q" \
            --idle-ms $DRAIN_IDLE_MS > "$OUT/$q.drain" 2>&1 &
        drain_pid=$!
        BG_PIDS+=("$drain_pid")
        local i
        for ((i = 0; i < 200; i++)); do
            [ "$(status_val "$q" subscribers)" = 1 ] && break
            sleep 0.05
        done
        [ "$(status_val "$q" subscribers)" = 1 ] || { fail "$q: the subscriber did not start"; check="no subscriber"; }
        ;;
    esac
    local c0 c1 t0 t1 tend
    c0=$(cpu_ticks "$SLUICED_PID"); t0=$(now)
    SQ_TIMEOUT=$COPY_TIMEOUT sq -c "\\copy bid FROM '$CSV' (FORMAT csv)" > "$OUT/$q.copy" 2>&1
    rc=$?
    t1=$(now); tend=$t1
    if [ $rc != 0 ]; then fail "$q: COPY failed (status $rc): $(tail -3 "$OUT/$q.copy")"; check="COPY failed"; fi
    if [ -n "$drain_pid" ]; then
        wait_bg "$drain_pid" $((COPY_TIMEOUT + DRAIN_IDLE_MS / 1000 + 10))
        rc=$?
        local drained last
        drained=$(kv "$OUT/$q.drain" rows)
        last=$(kv "$OUT/$q.drain" last_us)
        put "${q}_drained" "${drained:-0}"
        if [ $rc != 0 ] || [ -z "$drained" ]; then
            fail "$q: the subscriber failed: $(tail -3 "$OUT/$q.drain")"; check="subscriber failed"
        elif [ "${last:-0}" != 0 ]; then
            tend=$(awk -v l="$last" -v t="$t1" 'BEGIN { l = l / 1e6; printf "%.6f", (l > t ? l : t) }')
        fi
    fi
    c1=$(cpu_ticks "$SLUICED_PID")
    put "${q}_events" "$BIDS"
    put "${q}_wall_s" "$(elapsed "$t0" "$tend")"
    put "${q}_cpu_s" "$(ticks_s "$c0" "$c1")"
    put "${q}_hwm_kb" "$(hwm_kb "$SLUICED_PID")"
    local events late rows_out
    events=$(status_val bid events); late=$(status_val bid late_events)
    [ "$events" = "$BIDS" ] || { fail "$q: the stream took $events events, the CSV has $BIDS"; check="events $events"; }
    [ "$late" = 0 ] || { fail "$q: $late late events"; check="late $late"; }
    if [ "${q#ingest}" = "$q" ]; then
        rows_out=$(status_val "$q" rows_out)
        put "${q}_rows_out" "$rows_out"
        put "${q}_groups" "$(status_val "$q" groups)"
        put "${q}_state_bytes" "$(status_val "$q" state_bytes)"
        [ "$(status_val "$q" state)" = running ] || { fail "$q: view state $(status_val "$q" state)"; check="view failed"; }
        case $q in
        q0 | q1)
            [ "$rows_out" = "$BIDS" ] || { fail "$q: $rows_out rows out for $BIDS bids"; check="rows_out $rows_out"; } ;;
        esac
        if [ -n "$drain_pid" ] && [ "$(kv "$OUT/$q.drain" rows)" != "$rows_out" ]; then
            fail "$q: the subscriber received $(kv "$OUT/$q.drain" rows) of $rows_out rows"; check="subscriber rows"
        fi
        if [ $QUICK = 1 ]; then
            case $q in
            q2) [ "$rows_out" = "$EXP_Q2" ] || { fail "q2: $rows_out rows out, expected $EXP_Q2"; check="q2 count"; } ;;
            tumble) compare_pull tumble "SELECT auction, window_start, bids, max_price FROM tumble ORDER BY window_start, auction" \
                        "$OUT/expected/tumble.txt" || check="results differ" ;;
            hop) compare_pull hop "SELECT auction, window_start, num FROM hop ORDER BY window_start, auction" \
                     "$OUT/expected/hop.txt" || check="results differ" ;;
            vwap) compare_pull vwap "SELECT auction, window_start, n, volume, lo, hi FROM vwap ORDER BY window_start, auction" \
                      "$OUT/expected/vwap.txt" || check="results differ" ;;
            esac
        fi
    fi
    put "${q}_check" "$check"
    if ! sluiced_stop 2> "$OUT/$q.stop"; then fail "$q: sluiced did not stop cleanly: $(tail -3 "$OUT/$q.stop")"; fi
    say "   $(printf '%-7s' "$q") $(awk -v n="$BIDS" -v w="$(elapsed "$t0" "$tend")" -v c="$(ticks_s "$c0" "$c1")" \
        'BEGIN { printf "%.2f s wall, %.2f s server CPU: %.0f ev/s, %.0f ev/s per core", w, c, n / w, (c > 0 ? n / c : 0) }') [$check]"
}
for q in ingest $QUERIES; do run_query "$q"; done
[ $HAVE_FSYNC = 1 ] && run_query ingest_fsync "$OUT/sluiced-fsync-on"

# ---- 4. latency ----------------------------------------------------------------------------------
say "-- 4. latency at $LAT_RATE events/s, COPY batches of $LAT_BATCH, ${LAT_SECONDS} s"
run_latency() {   # KEY EMIT-CLAUSE
    local key=$1 emit=$2 f="$OUT/$1.out" rc
    if ! sluiced_start "$SRV_BUILD" 2> "$OUT/$key.start"; then
        fail "$key: sluiced did not start"; return
    fi
    if ! sq -f bench/queries/schema.sql > /dev/null 2>&1 ||
       ! sq -c "CREATE VIEW lat AS SELECT auction, bidder, price, date_time FROM bid $emit" > "$f.ddl" 2>&1; then
        fail "$key: DDL failed: $(tail -3 "$f.ddl")"; sluiced_stop 2>/dev/null; return
    fi
    timeout -k 5 $((LAT_SECONDS * 3 + 60)) "$BUILD/latency" --host 127.0.0.1 --port "$SLUICED_PORT" \
        --view lat --rate $LAT_RATE --batch $LAT_BATCH --seconds $LAT_SECONDS --warmup $LAT_WARMUP \
        --idle-ms 3000 > "$f" 2>&1
    rc=$?
    sed 's/^/   | /' "$f"
    local k
    for k in events received rate behind_max_us send_p50_us send_p99_us send_max_us ack_p50_us ack_p99_us ack_max_us; do
        put "${key}_$k" "$(kv "$f" $k)"
    done
    put "${key}_hwm_kb" "$(hwm_kb "$SLUICED_PID")"
    if [ $rc = 0 ]; then put "${key}_check" ok
    else fail "$key: latency exited $rc (missing or duplicate rows?): $(tail -2 "$f")"; put "${key}_check" "exit $rc"; fi
    sluiced_stop 2> "$OUT/$key.stop" || fail "$key: sluiced did not stop cleanly: $(tail -3 "$OUT/$key.stop")"
}
run_latency lat_row "EMIT APPEND EVERY ROW"
run_latency lat_batch ""

# ---- 5. PostgreSQL -------------------------------------------------------------------------------
say "-- 5. PostgreSQL: COPY into an UNLOGGED table, re-query of the windowed queries"
pg_cpu_ticks() {   # the postmaster, its children, and its reaped children
    local pm=$1 t=0 p v
    for p in $pm $(pgrep -P "$pm"); do
        v=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$p/stat" 2>/dev/null) || v=0
        t=$((t + ${v:-0}))
    done
    echo $t
}
pq() {
    timeout -k 5 "${PQ_TIMEOUT:-600}" psql -X -q -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
        -v ON_ERROR_STOP=1 "$@" </dev/null
}
declare -A PG_SQL
PG_SQL[tumble]="SELECT auction, date_bin('10 seconds', date_time, TIMESTAMP '1970-01-01') AS window_start,
       count(*) AS bids, max(price) AS max_price
FROM bid GROUP BY 1, 2"
PG_SQL[hop]="SELECT auction, window_start, count(*) AS num
FROM (SELECT auction, date_bin('2 seconds', date_time, TIMESTAMP '1970-01-01') - k * INTERVAL '2 seconds' AS window_start
      FROM bid, generate_series(0, 4) AS k) w
GROUP BY 1, 2"
PG_SQL[vwap]="SELECT auction, date_bin('10 seconds', date_time, TIMESTAMP '1970-01-01') AS window_start,
       count(*) AS n, sum(price) AS volume, sum(price * 1.0) / count(*) AS vwap, min(price) AS lo, max(price) AS hi
FROM bid GROUP BY 1, 2"
PG_SET="SET max_parallel_workers_per_gather = 0; SET work_mem = '256MB';"
if pg_start 2> "$OUT/pg_start.err"; then
    put pg_ok 1
    say "   PostgreSQL $("$PG_BIN/postgres" --version | awk '{ print $3 }') on 127.0.0.1:$PG_PORT"
    pq -c "CREATE UNLOGGED TABLE bid (auction bigint, bidder bigint, price bigint, channel text, url text,
                                      date_time timestamp, extra text)" > "$OUT/pg.ddl" 2>&1 ||
        fail "PostgreSQL: CREATE TABLE failed: $(tail -3 "$OUT/pg.ddl")"
    pm=$(head -1 "$PG_DATA/postmaster.pid")
    c0=$(pg_cpu_ticks "$pm"); t0=$(now)
    PQ_TIMEOUT=$((COPY_TIMEOUT * 3)) pq -c "\\copy bid FROM '$CSV' (FORMAT csv)" > "$OUT/pg.copy" 2>&1 ||
        fail "PostgreSQL COPY failed: $(tail -3 "$OUT/pg.copy")"
    t1=$(now)
    sleep 0.5   # let the postmaster reap the backend, so its CPU is in cutime
    c1=$(pg_cpu_ticks "$pm")
    put pg_copy_rows "$BIDS"
    put pg_copy_wall_s "$(elapsed "$t0" "$t1")"
    put pg_copy_cpu_s "$(ticks_s "$c0" "$c1")"
    say "   COPY: $(elapsed "$t0" "$t1") s wall, $(ticks_s "$c0" "$c1") s CPU"
    pq -c "ANALYZE bid" > /dev/null 2>&1
    for q in tumble hop vwap; do
        best=
        for run in 1 2; do
            ms=$(pq -c "$PG_SET EXPLAIN (ANALYZE, TIMING OFF) ${PG_SQL[$q]}" 2> "$OUT/pg.$q.err" |
                 sed -n 's/^Execution Time: \([0-9.]*\) ms/\1/p')
            [ -n "$ms" ] || { fail "PostgreSQL $q: $(tail -3 "$OUT/pg.$q.err")"; break; }
            best=$(awk -v a="${best:-$ms}" -v b="$ms" 'BEGIN { print (b < a ? b : a) }')
        done
        put "pg_${q}_ms" "$best"
        say "   re-query $q: ${best:-n/a} ms"
    done
    if [ $QUICK = 1 ]; then
        pq -F, -c "SELECT auction, window_start, bids, max_price FROM (${PG_SQL[tumble]}) t ORDER BY 2, 1" \
            > "$OUT/pg_tumble.got" 2>&1
        if cmp -s "$OUT/expected/tumble.txt" "$OUT/pg_tumble.got"; then
            say "   ok   PostgreSQL's tumble result equals bench/lib/expected.py's"
        else
            fail "PostgreSQL's tumble result differs from bench/lib/expected.py's"
            diff "$OUT/expected/tumble.txt" "$OUT/pg_tumble.got" | head -6 | sed 's/^/     /'
        fi
    fi
    pg_stop
else
    put pg_ok 0
    put pg_error "$(tail -1 "$OUT/pg_start.err")"
    say "   SKIPPED: PostgreSQL did not start: $(tail -3 "$OUT/pg_start.err")"
fi

# ---- 5b. PostgreSQL sinks (full run): rows/s into PostgreSQL, lag at 100,000 events/s -----------
if [ $QUICK = 0 ]; then
    say "-- sinks into PostgreSQL (bench/sink_bench.py)"
    if /usr/bin/python3 bench/sink_bench.py "$BUILD" > "$OUT/sink_bench.out" 2> "$OUT/sink_bench.err"; then
        grep -v '^sink_' "$OUT/sink_bench.out" | sed 's/^/   /'
        grep '^sink_' "$OUT/sink_bench.out" | while IFS== read -r k v; do put "$k" "$v"; done
    else
        fail "bench/sink_bench.py: $(tail -3 "$OUT/sink_bench.err")"
    fi
fi

# ---- 6. report -----------------------------------------------------------------------------------
if [ $FAILS = 0 ]; then
    put check_text "$([ $QUICK = 1 ] && echo "all passed (counts, subscriber rows, and tumble/hop/vwap results vs the generator's CSV)" || echo "all passed (COPY counts, no late events, every q0–q2 row received, every latency row received once)")"
fi
put elapsed_s "$SECONDS"
say ""
if [ $QUICK = 1 ]; then
    python3 bench/lib/report.py "$RES" || fail "report.py failed"
else
    python3 bench/lib/report.py "$RES" "$ROOT/BENCHMARKS.md" || fail "report.py failed"
fi
say ""
if [ $FAILS = 0 ]; then
    say "bench: all checks passed ($SECONDS s)"
    exit 0
fi
say "bench: $FAILS check(s) FAILED ($SECONDS s)"
exit 1
