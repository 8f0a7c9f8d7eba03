#!/usr/bin/env bash
# tests/crash/second_server.sh — a second sluiced on the same data dir refuses to start
# (RELIABILITY C-10).
#
# usage: bash tests/crash/second_server.sh [BUILD]   (BUILD defaults to $SLUICE_BUILD, then build)
#
# With a first server running on DIR: a second one (another port) must exit non-zero within
# 20 s, without ever listening, saying the directory is in use; the first one keeps serving
# and its data is intact. After the first is SIGKILLed (the lock dies with the process: no
# stale-lock problem) a new server starts on DIR at once and recovers the data.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
BUILD=${1:-${SLUICE_BUILD:-build}}
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
DIR="$LIB_TMP/data"
psql_q() {
    PGCONNECT_TIMEOUT=10 timeout -k 2 20 psql -X -q -At -h 127.0.0.1 -p "$SLUICED_PORT" -U crash \
        -d sluice -v ON_ERROR_STOP=1 "$@"
}

second() {   # -> SECOND_RC (or "started"), SECOND_ERR file
    local err="$LIB_TMP/second.err" pid i
    : > "$err"
    "$BUILD/sluiced" --port 0 --listen 127.0.0.1 --data-dir "$DIR" >/dev/null 2>"$err" </dev/null &
    pid=$!
    for ((i = 0; i < 400; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        grep -q '^sluiced: listening on' "$err" && break
        sleep 0.05
    done
    SECOND_ERR=$err
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; SECOND_RC=started; return
    fi
    wait "$pid"; SECOND_RC=$?
}

sluiced_start "$BUILD" "$DIR" || { t_fail "first server start"; t_summary; exit 1; }
FIRST_PID=$SLUICED_PID
out=$(psql_q 2>&1 <<'SQL'
CREATE STREAM s (id BIGINT, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND);
CREATE VIEW c AS SELECT count(*) AS n, sum(id) AS total FROM s;
INSERT INTO s VALUES (1, TIMESTAMP '2026-01-01 00:00:01'), (2, TIMESTAMP '2026-01-01 00:00:02');
SQL
) || { t_fail "setup" "$out"; t_summary; exit 1; }

for attempt in 1 2; do
    second
    msg=$(cat "$SECOND_ERR")
    if [ "$SECOND_RC" = started ]; then
        t_fail "second server ($attempt) started on a data dir in use" "$msg"
    elif [ "$SECOND_RC" = 0 ]; then
        t_fail "second server ($attempt) exited 0" "$msg"
    elif grep -qi 'in use' <<<"$msg" && grep -qF "$DIR" <<<"$msg"; then
        t_pass "second server ($attempt) refused, exit $SECOND_RC: $msg"
    else
        t_fail "second server ($attempt) exited $SECOND_RC without saying the directory is in use" "$msg"
    fi
done

out=$(psql_q -c "SELECT n, total FROM c" 2>&1)
if kill -0 "$FIRST_PID" 2>/dev/null && [ "$out" = "2|3" ]; then
    t_pass "the first server still serves, data intact ($out)"
else
    t_fail "the first server after the refused second one" "$out"
fi
out=$(psql_q -v QUIET=off -c "INSERT INTO s VALUES (3, TIMESTAMP '2026-01-01 00:00:03')" 2>&1)
[ "$out" = "INSERT 0 1" ] && t_pass "the first server still ingests" || t_fail "first server ingest" "$out"

# the lock is released by the kernel when the holder dies: no stale lock after kill -9
kill -KILL "$SLUICED_PID"; wait "$SLUICED_PID" 2>/dev/null; SLUICED_PID=
if sluiced_start "$BUILD" "$DIR" 2>"$LIB_TMP/start.err"; then
    out=$(psql_q -c "SELECT n, total FROM c" 2>&1)
    [ "$out" = "3|6" ] && t_pass "after kill -9 of the first, a new server takes the dir and recovers ($out)" \
        || t_fail "recovered data after kill -9" "$out"
    second
    [ "$SECOND_RC" != started ] && [ "$SECOND_RC" != 0 ] && grep -qi 'in use' "$SECOND_ERR" &&
        t_pass "and a second one is refused again" || t_fail "second server against the new one" "$(cat "$SECOND_ERR")"
    if sluiced_stop 2>"$LIB_TMP/stop.err"; then t_pass "clean stop"; else t_fail "stop" "$(cat "$LIB_TMP/stop.err")"; fi
else
    t_fail "a new server on the dir after kill -9 of the first (stale lock?)" "$(cat "$LIB_TMP/start.err")"
fi
t_summary
