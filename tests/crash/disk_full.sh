#!/usr/bin/env bash
# tests/crash/disk_full.sh — a full disk refuses writes with 53100 and nothing else breaks
# (RELIABILITY C-07; acceptance 3 of the durability issue).
#
# usage: bash tests/crash/disk_full.sh [BUILD]     (BUILD defaults to $SLUICE_BUILD, then build)
#
# Needs root and `mount -t tmpfs`: prints "skip: cannot mount tmpfs" and exits 0 otherwise.
# The data dir is on an 8 MiB tmpfs (unmounted by the EXIT trap).
#   1. A 4 MiB filler file, then COPY batches (~200 KB each) until one fails: it must fail with
#      SQLSTATE 53100, and so must a multi-row INSERT of the same size. Pull queries on the
#      views, SHOW and SUBSCRIBE ... FROM EPOCH still work; the failed batches are not counted.
#      Delete the filler: COPY and INSERT are acknowledged again.
#   2. CYCLES times: fill the disk to the last byte with a file (dd), a COPY fails with 53100,
#      reads work, delete the file, a COPY is acknowledged.
#   3. kill -9, restart (no torn tail: a failed write is cut back), every acknowledged batch is
#      there exactly once and no failed one.
#   4. Fill the disk again, kill -9, restart ON THE FULL DISK: it starts and serves reads with
#      the same data; a write fails with 53100; free the space; a write works; clean stop.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
BUILD=${1:-${SLUICE_BUILD:-build}}
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
CYCLES=${CYCLES:-3}
ROWS=1500                         # rows per batch (~200 KB in the log)
MNT="$LIB_TMP/mnt"
MOUNTED=0

cleanup() {
    if [ -n "$SLUICED_PID" ]; then kill -KILL "$SLUICED_PID" 2>/dev/null; wait "$SLUICED_PID" 2>/dev/null; SLUICED_PID=; fi
    if [ $MOUNTED = 1 ]; then
        cp "$MNT/data.log" "$LIB_TMP/sluiced.log" 2>/dev/null
        umount "$MNT" 2>/dev/null || umount -l "$MNT" 2>/dev/null
        MOUNTED=0
    fi
    lib_cleanup
}
trap cleanup EXIT

mkdir -p "$MNT"
if [ "$(id -u)" != 0 ] || ! mount -t tmpfs -o size=8m tmpfs "$MNT" 2>/dev/null; then
    echo "skip: cannot mount tmpfs"
    exit 0
fi
MOUNTED=1
DIR="$MNT/data"
FILLER="$MNT/filler"
echo "disk_full: build $BUILD, data dir on an 8 MiB tmpfs at $MNT"

psql_q() {
    PGCONNECT_TIMEOUT=10 timeout -k 2 30 psql -X -q -At -h 127.0.0.1 -p "$SLUICED_PORT" -U crash \
        -d sluice -v ON_ERROR_STOP=1 -v VERBOSITY=verbose "$@"
}
PAD=$(printf 'x%.0s' $(seq 1 100))

copy_data() {   # B -> CSV rows of batch B
    awk -v b="$1" -v n=$ROWS -v pad="$PAD" 'BEGIN {
        for (j = 1; j <= n; j++)
            printf "%d,%d,%s,2026-01-01 %02d:%02d:%02d\n", b * 100000 + j, b, pad, int(b / 3600), int(b / 60) % 60, b % 60 }'
}
insert_sql() {   # B -> one multi-row INSERT of batch B
    awk -v b="$1" -v n=$ROWS -v pad="$PAD" 'BEGIN {
        printf "INSERT INTO s VALUES "
        for (j = 1; j <= n; j++)
            printf "%s(%d,%d,%s%s%s,TIMESTAMP %s2026-01-01 %02d:%02d:%02d%s)", (j > 1 ? "," : ""), b * 100000 + j, b,
                   "\x27", pad, "\x27", "\x27", int(b / 3600), int(b / 60) % 60, b % 60, "\x27"
        printf ";\n" }'
}

ACKED=()
FAILED=()
LAST_OUT=
NEXT_B=1
send_batch() {   # KIND(copy|insert) -> 0 acked, 1 failed with 53100, 2 anything else (LAST_OUT)
    local kind=$1 b=$NEXT_B
    NEXT_B=$((NEXT_B + 1))
    if [ "$kind" = copy ]; then
        LAST_OUT=$(copy_data "$b" | psql_q -v QUIET=off -c "COPY s FROM STDIN (FORMAT csv)" 2>&1)
    else
        LAST_OUT=$(insert_sql "$b" | psql_q -v QUIET=off 2>&1)
    fi
    case "$LAST_OUT" in
        "COPY $ROWS"|"INSERT 0 $ROWS") ACKED+=("$b"); return 0 ;;
        *"ERROR:  53100:"*) FAILED+=("$b"); return 1 ;;
        *) FAILED+=("$b"); return 2 ;;
    esac
}

expect_fail_53100() {   # NAME KIND
    send_batch "$2"; local rc=$?
    case $rc in
        1) t_pass "$1: $2 refused: $(grep -m1 'ERROR' <<<"$LAST_OUT")" ;;
        0) t_fail "$1: $2 was acknowledged on a full disk" ;;
        *) t_fail "$1: $2 failed without SQLSTATE 53100" "$LAST_OUT" ;;
    esac
}

expect_ok() {   # NAME KIND
    if send_batch "$2"; then t_pass "$1: $2 acknowledged"
    else t_fail "$1: $2 not acknowledged" "$LAST_OUT"; fi
}

check_reads() {   # NAME: pull queries, SHOW, SUBSCRIBE FROM EPOCH work; views hold exactly ACKED
    local name=$1 out want b
    want=$(for b in "${ACKED[@]}"; do echo "$b|$ROWS"; done | sort -n)
    out=$(psql_q -c "SELECT b, n FROM cnt" 2>&1 | sort -n)
    if [ "$out" = "$want" ]; then t_pass "$name: SELECT from the view: the ${#ACKED[@]} acked batches once each, no failed one"
    else t_fail "$name: view cnt does not hold exactly the acked batches" "$(diff <(echo "$want") <(echo "$out") | head -20)"; fi
    out=$(psql_q -c "SELECT n FROM tot" 2>&1)
    [ "$out" = $((ROWS * ${#ACKED[@]})) ] && t_pass "$name: total $out events" || t_fail "$name: tot" "$out, want $((ROWS * ${#ACKED[@]}))"
    out=$(psql_q -c "SHOW s STATUS" 2>&1)
    if grep -q "^events|$((ROWS * ${#ACKED[@]}))\$" <<<"$out"; then t_pass "$name: SHOW s STATUS works"
    else t_fail "$name: SHOW s STATUS" "$out"; fi
    out=$(psql_q -c "SHOW VIEWS" 2>&1)
    grep -q '^cnt|' <<<"$out" && t_pass "$name: SHOW VIEWS works" || t_fail "$name: SHOW VIEWS" "$out"
    out=$(psql_q -c "SUBSCRIBE tot FROM EPOCH 1 LIMIT 1" 2>&1)
    [ -n "$out" ] && ! grep -q ERROR <<<"$out" && t_pass "$name: SUBSCRIBE FROM EPOCH works" ||
        t_fail "$name: SUBSCRIBE tot FROM EPOCH 1 LIMIT 1" "$out"
}

fill_disk() {   # fill the tmpfs to the last byte
    dd if=/dev/zero of="$FILLER" bs=64k 2>/dev/null
    dd if=/dev/zero of="$FILLER.2" bs=1 2>/dev/null
    sync
}
free_disk() { rm -f "$FILLER" "$FILLER.2"; }

start() {
    if ! sluiced_start "$BUILD" "$DIR" 2>"$LIB_TMP/start.err"; then
        t_fail "$1: server did not start" "$(cat "$LIB_TMP/start.err")"; t_summary; exit 1
    fi
}

# ---- 1: the log fills the disk ----------------------------------------------------------------
start "initial"
out=$(psql_q 2>&1 <<'SQL'
CREATE STREAM s (id BIGINT, b BIGINT, pad TEXT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND);
CREATE VIEW cnt AS SELECT b, count(*) AS n FROM s GROUP BY b;
CREATE VIEW tot AS SELECT count(*) AS n, sum(id) AS sid FROM s;
SQL
) || { t_fail "DDL" "$out"; t_summary; exit 1; }
dd if=/dev/zero of="$FILLER" bs=1M count=4 2>/dev/null
rc=0
for ((i = 0; i < 100; i++)); do
    send_batch copy; rc=$?
    [ $rc = 0 ] || break
done
case $rc in
    1) t_pass "1: the disk filled after ${#ACKED[@]} COPY batches; the next one failed: $(grep -m1 ERROR <<<"$LAST_OUT")" ;;
    0) t_fail "1: 100 COPY batches and the disk is not full?" "$(df -h "$MNT")" ;;
    *) t_fail "1: a COPY failed, but not with 53100" "$LAST_OUT" ;;
esac
expect_fail_53100 "1" insert
expect_fail_53100 "1" copy
check_reads "1 (disk full)"
rm -f "$FILLER"
expect_ok "1 (space freed)" copy
expect_ok "1 (space freed)" insert
check_reads "1 (after freeing)"

# ---- 2: fill/free cycles ----------------------------------------------------------------------
for ((c = 1; c <= CYCLES; c++)); do
    fill_disk
    expect_fail_53100 "2.$c (disk full)" copy
    check_reads "2.$c (disk full)" >"$LIB_TMP/reads.out"; grep -v '^ok' "$LIB_TMP/reads.out"
    if [ $c = 1 ]; then
        # DDL needs a catalog snapshot on disk: it must fail cleanly and leave no trace
        out=$(psql_q -c "CREATE VIEW extra AS SELECT b, max(id) AS m FROM s GROUP BY b" 2>&1)
        if grep -q 'ERROR:  53100:' <<<"$out"; then t_pass "2.1: CREATE VIEW refused: $(grep -m1 ERROR <<<"$out")"
        else t_fail "2.1: CREATE VIEW on a full disk" "$out"; fi
        out=$(psql_q -c "SHOW VIEWS" 2>&1)
        grep -q '^extra|' <<<"$out" && t_fail "2.1: the refused view exists" "$out" ||
            t_pass "2.1: the refused view does not exist"
    fi
    free_disk
    expect_ok "2.$c (freed)" copy
done

# ---- 3: kill -9 and recover -------------------------------------------------------------------
kill -KILL "$SLUICED_PID"; wait "$SLUICED_PID" 2>/dev/null; SLUICED_PID=
start "3"
if grep -q 'torn tail' "$SLUICED_LOG"; then
    t_fail "3: recovery cut a torn tail: a failed write was left in the log" "$(cat "$SLUICED_LOG")"
else
    t_pass "3: recovered without a torn tail ($(grep -m1 replayed "$SLUICED_LOG"))"
fi
check_reads "3 (after kill -9)"

# ---- 4: restart on a full disk ----------------------------------------------------------------
fill_disk
kill -KILL "$SLUICED_PID"; wait "$SLUICED_PID" 2>/dev/null; SLUICED_PID=
if sluiced_start "$BUILD" "$DIR" 2>"$LIB_TMP/start.err"; then
    t_pass "4: the server starts on a full disk"
    check_reads "4 (restarted on a full disk)"
    expect_fail_53100 "4 (full)" copy
    free_disk
    expect_ok "4 (freed)" copy
    check_reads "4 (freed)" >"$LIB_TMP/reads.out"; grep -v '^ok' "$LIB_TMP/reads.out"
    if sluiced_stop 2>"$LIB_TMP/stop.err"; then t_pass "4: clean stop"; else t_fail "4: stop" "$(cat "$LIB_TMP/stop.err")"; fi
else
    t_fail "4: the server does not start on a full disk" "$(cat "$LIB_TMP/start.err")"
    free_disk
fi
echo "disk_full: ${#ACKED[@]} batches acked, ${#FAILED[@]} refused with 53100, $((CYCLES + 1)) fill/free cycles"
t_summary
