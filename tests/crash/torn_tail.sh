#!/usr/bin/env bash
# tests/crash/torn_tail.sh — torn tails are cut, corruption in the middle is refused
# (RELIABILITY C-03 and C-09; acceptance 2 of the durability issue).
#
# usage: bash tests/crash/torn_tail.sh [BUILD]     (BUILD defaults to $SLUICE_BUILD, then build)
#
# Writes N batches (INSERT and COPY alternately, one log record each), SIGKILLs the server and
# keeps a copy of the data dir. Then, each time from that copy:
#   A  truncate the last segment in the middle of the last record's payload
#   A2 truncate it inside the last record's header
#   B  flip a byte in the last record's payload
#   B2 flip a byte in the last record's magic
#      -> the server starts, logs a line with "torn tail" naming the segment and the cut offset,
#         the segment is cut back to where the last record began, batches 1..N-1 are there
#         exactly once and batch N is not; (A) a new batch is accepted, and after a clean
#         restart everything is there once.
#   C  flip a byte in the payload of a middle record (valid records of later batches follow)
#      -> the server refuses to start (non-zero exit, no "listening on"), its message says
#         "corrupt" and names the segment file and the record's byte offset; the file is left
#         untouched.
#   C9 for every record but the last, flip one byte at a random place in it (header or
#      payload; seeded): each must be refused naming that record's offset (100% detection).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
BUILD=${1:-${SLUICE_BUILD:-build}}
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
SEED=${SEED:-$RANDOM}
N=12
echo "torn_tail: build $BUILD, seed $SEED"

DIR="$LIB_TMP/data"
PRISTINE="$LIB_TMP/pristine"
SEG_REL=streams/s/00000000000000000000.log

PY=/usr/bin/python3
psql_q() {   # SQL -> stdout (unaligned, tuples only); non-zero on error
    PGCONNECT_TIMEOUT=10 timeout -k 2 20 psql -X -q -At -h 127.0.0.1 -p "$SLUICED_PORT" -U crash \
        -d sluice -v ON_ERROR_STOP=1 "$@"
}

kill9() {
    [ -n "$SLUICED_PID" ] || return 0
    kill -KILL "$SLUICED_PID" 2>/dev/null; wait "$SLUICED_PID" 2>/dev/null; SLUICED_PID=
}

records() {   # FILE -> "offset length" per record (stops at the first record that does not fit)
    "$PY" - "$1" <<'EOF'
import struct, sys
d = open(sys.argv[1], "rb").read()
off = 0
while off + 28 <= len(d):
    magic, ln = struct.unpack_from("<II", d, off)
    if d[off:off + 4] != b"SLG\x01" or off + 28 + ln > len(d):
        break
    print(off, ln)
    off += 28 + ln
EOF
}

flip() {   # FILE OFFSET: xor the byte with 0x5a
    "$PY" - "$1" "$2" <<'EOF'
import sys
p, o = sys.argv[1], int(sys.argv[2])
with open(p, "r+b") as f:
    f.seek(o); b = f.read(1); f.seek(o); f.write(bytes([b[0] ^ 0x5A]))
EOF
}

batch_sql() {   # B -> an INSERT (odd B) or a COPY (even B) of 5 events with ids B*100+j
    local b=$1 j
    if [ $((b % 2)) = 1 ]; then
        printf 'INSERT INTO s VALUES '
        for j in 1 2 3 4 5; do
            [ $j = 1 ] || printf ','
            printf "(%d, %d, TIMESTAMP '2026-01-01 %02d:%02d:%02d')" $((b * 100 + j)) "$b" $((b / 60)) $((b % 60)) "$j"
        done
        printf ';\n'
    else
        printf 'COPY s FROM STDIN (FORMAT csv);\n'
        for j in 1 2 3 4 5; do printf '%d,%d,2026-01-01 %02d:%02d:%02d\n' $((b * 100 + j)) "$b" $((b / 60)) $((b % 60)) "$j"; done
        printf '\\.\n'
    fi
}

expected() {   # BATCH... -> the expected "b|5" lines and id lines
    local b j
    for b in "$@"; do echo "$b|5"; done > "$LIB_TMP/want_cnt"
    for b in "$@"; do for j in 1 2 3 4 5; do echo $((b * 100 + j)); done; done | sort -n > "$LIB_TMP/want_ids"
}

check_batches() {   # NAME BATCH... : the views hold exactly these batches, each once
    local name=$1; shift
    expected "$@"
    local cnt ids
    cnt=$(psql_q -c "SELECT b, n FROM cnt ORDER BY b" 2>&1)
    ids=$(psql_q -c "SELECT id FROM raw" 2>&1 | sort -n)
    if [ "$cnt" = "$(cat "$LIB_TMP/want_cnt")" ] && [ "$ids" = "$(cat "$LIB_TMP/want_ids")" ]; then
        t_pass "$name: batches $(echo "$@" | sed 's/ /,/g') there once each"
    else
        t_fail "$name: views do not hold exactly batches $*" \
            "$(diff <(cat "$LIB_TMP/want_cnt") <(printf '%s\n' "$cnt"); diff <(cat "$LIB_TMP/want_ids") <(printf '%s\n' "$ids") | head -20)"
    fi
}

restore() { rm -rf "$DIR"; cp -a "$PRISTINE" "$DIR"; }

start_expect_fail() {   # -> sets FAIL_RC and FAIL_ERR (file); 0 when the server refused to start
    local err="$LIB_TMP/refuse.err" pid i
    : > "$err"
    "$BUILD/sluiced" --port 0 --listen 127.0.0.1 --data-dir "$DIR" >/dev/null 2>"$err" </dev/null &
    pid=$!
    for ((i = 0; i < 400; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        if grep -q '^sluiced: listening on' "$err"; then break; fi
        sleep 0.05
    done
    FAIL_ERR=$err
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; FAIL_RC=started
        return 1
    fi
    wait "$pid"; FAIL_RC=$?
    [ "$FAIL_RC" != 0 ]
}

# ---- the data: N batches, then kill -9 -------------------------------------------------------
sluiced_start "$BUILD" "$DIR" || { t_fail "initial start"; t_summary; exit 1; }
out=$(psql_q 2>&1 <<'SQL'
CREATE STREAM s (id BIGINT, b BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND);
CREATE VIEW raw AS SELECT * FROM s;
CREATE VIEW cnt AS SELECT b, count(*) AS n FROM s GROUP BY b;
SQL
) || { t_fail "DDL" "$out"; t_summary; exit 1; }
for ((b = 1; b <= N; b++)); do
    out=$(batch_sql "$b" | psql_q -v QUIET=off 2>&1)
    case "$out" in "INSERT 0 5"|"COPY 5") ;; *) t_fail "batch $b" "$out"; t_summary; exit 1 ;; esac
done
ALL=$(seq 1 $N)
BUT_LAST=$(seq 1 $((N - 1)))
check_batches "before the kill" $ALL
kill9
cp -a "$DIR" "$PRISTINE"
SEG="$DIR/$SEG_REL"
mapfile -t RECS < <(records "$PRISTINE/$SEG_REL")
if [ "${#RECS[@]}" != $N ]; then
    t_fail "segment layout: ${#RECS[@]} records in $SEG_REL, want $N (one per batch)" "$(ls -lR "$PRISTINE/streams")"
    t_summary; exit 1
fi
read -r LAST_OFF LAST_LEN <<<"${RECS[$((N - 1))]}"
echo "torn_tail: $N records, the last at byte $LAST_OFF ($LAST_LEN payload bytes)"

# ---- A/B: damage in the last record: a torn tail ---------------------------------------------
torn_case() {   # NAME DAMAGE-COMMAND...
    local name=$1; shift
    restore
    "$@"
    if ! sluiced_start "$BUILD" "$DIR" 2>"$LIB_TMP/start.err"; then
        t_fail "$name: server did not start" "$(cat "$LIB_TMP/start.err")"; return 1
    fi
    local line
    line=$(grep 'torn tail' "$SLUICED_LOG")
    if [ -n "$line" ] && grep -q "00000000000000000000.log" <<<"$line" && grep -q "byte $LAST_OFF\b" <<<"$line"; then
        t_pass "$name: started, logged: $line"
    else
        t_fail "$name: no 'torn tail' line naming the segment and byte $LAST_OFF" "$(cat "$SLUICED_LOG")"
    fi
    local size
    size=$(stat -c %s "$SEG")
    if [ "$size" = "$LAST_OFF" ]; then t_pass "$name: segment cut back to $LAST_OFF bytes"
    else t_fail "$name: segment is $size bytes after recovery, want $LAST_OFF"; fi
    check_batches "$name" $BUT_LAST
    return 0
}

if torn_case "A (truncated mid-payload)" truncate -s $((LAST_OFF + 28 + LAST_LEN / 2)) "$SEG"; then
    # the log goes on after the cut: a new batch, a clean restart, everything once
    out=$(batch_sql 99 | psql_q -v QUIET=off 2>&1)
    [ "$out" = "INSERT 0 5" ] && t_pass "A: a new batch is accepted after the cut" || t_fail "A: new batch" "$out"
    if sluiced_stop 2>"$LIB_TMP/stop.err"; then t_pass "A: clean stop"; else t_fail "A: stop" "$(cat "$LIB_TMP/stop.err")"; fi
    if sluiced_start "$BUILD" "$DIR" 2>"$LIB_TMP/start.err"; then
        grep -q 'torn tail' "$SLUICED_LOG" && t_fail "A: a second torn tail after a clean restart" "$(cat "$SLUICED_LOG")"
        check_batches "A (after a clean restart)" $BUT_LAST 99
    else
        t_fail "A: restart after the cut" "$(cat "$LIB_TMP/start.err")"
    fi
fi
kill9
torn_case "A2 (truncated in the header)" truncate -s $((LAST_OFF + 10)) "$SEG"; kill9
torn_case "B (byte flipped in the payload)" flip "$SEG" $((LAST_OFF + 28 + LAST_LEN / 2)); kill9
torn_case "B2 (byte flipped in the magic)" flip "$SEG" $((LAST_OFF + 1)); kill9
torn_case "B3 (byte flipped in the CRC)" flip "$SEG" $((LAST_OFF + 25)); kill9

# ---- C: damage in the middle: refused ---------------------------------------------------------
refuse_case() {   # NAME RECORD-OFFSET BYTE-OFFSET
    local name=$1 roff=$2 boff=$3 before after msg
    restore
    flip "$SEG" "$boff"
    before=$(md5sum < "$SEG")
    if start_expect_fail; then
        msg=$(cat "$FAIL_ERR")
        after=$(md5sum < "$SEG")
        if grep -qi 'corrupt' <<<"$msg" && grep -q "$SEG_REL" <<<"$msg" && grep -q "offset $roff\b" <<<"$msg"; then
            if [ "$before" = "$after" ]; then t_pass "$name: refused (exit $FAIL_RC): $msg"
            else t_fail "$name: refused but the segment was modified" "$msg"; fi
        else
            t_fail "$name: refused (exit $FAIL_RC), but the message does not say corrupt + $SEG_REL + offset $roff" "$msg"
        fi
    else
        t_fail "$name: the server $([ "$FAIL_RC" = started ] && echo started || echo "exited $FAIL_RC") (corruption not detected)" "$(cat "$FAIL_ERR")"
    fi
}
read -r MID_OFF MID_LEN <<<"${RECS[$((N / 2))]}"
refuse_case "C (byte flipped mid-log, record $((N / 2 + 1)) of $N)" "$MID_OFF" $((MID_OFF + 28 + MID_LEN / 2))
if [ -n "$FAIL_ERR" ] && ! grep -q 'XX001' "$FAIL_ERR"; then
    echo "note: the start-up message does not show the SQLSTATE (XX001); it reads: $(cat "$FAIL_ERR")"
fi

# C9: every record but the last, one byte each at a seeded random place
RANDOM=$SEED
detected=0
for ((r = 0; r < N - 1; r++)); do
    read -r off len <<<"${RECS[$r]}"
    pos=$((off + RANDOM % (28 + len)))
    before_fail=$T_FAIL
    refuse_case "C9 record $((r + 1)) byte $pos" "$off" "$pos" >"$LIB_TMP/c9.out"
    if [ "$T_FAIL" = "$before_fail" ]; then detected=$((detected + 1)); else cat "$LIB_TMP/c9.out"; fi
done
[ $detected = $((N - 1)) ] && t_pass "C9: $detected/$((N - 1)) mid-log flips detected and refused (seed $SEED)"

t_summary
