#!/usr/bin/env bash
# tests/run_tests.sh — sluice's end-to-end test orchestrator.
#
# usage: tests/run_tests.sh [BUILD]        (default build; `make sqltest`, `make asan`)
#
#   a. SQL scenarios   tests/sql/X.sql, each against a fresh sluiced, output (stdout+stderr of
#                      `sluice -f X.sql`, run in tests/sql/, so messages read "sluice:X.sql:N:")
#                      diffed against tests/expected/X.out
#   b. examples        sql-examples/**/X.sql the same way (run in the file's directory) against
#                      sql-examples/expected/**/X.out when that exists, else the shell must exit 0
#   c. shell           tests/shell/test_shell.sh (brings its own PostgreSQL and fake server)
#   d. clients         tests/client/*.sh, *.py
#   e. oracle, sink, live, memory, bench, crash, proto
#                      tests/oracle/*, tests/sink/* (each brings its own PostgreSQL), tests/live/*,
#                      tests/memory/*, tests/bench/*, tests/crash/*, tests/proto/* (*.sh, *.py;
#                      memory is skipped under ASan)
#
# Scripts in d/e each get a fresh sluiced and this environment:
#   SLUICE_BUILD  absolute build dir        SLUICE_HOST 127.0.0.1   SLUICE_PORT  its port
#   SLUICE_PID    the server's pid          SLUICE_PG_PORT  a throwaway PostgreSQL 15 (user
#   postgres, host 127.0.0.1, trust), started once per run when some script is in tests/oracle
# A script passes when it exits 0 and the server then stops cleanly on SIGTERM.
#
# Environment:
#   UPDATE_EXPECTED=1   rewrite tests/expected/*.out (and existing sql-examples/expected files)
#   ONLY=REGEX          run only the tests whose name matches (e.g. ONLY=oracle, ONLY=sql/window)
#   KEEP_TMP=1          keep the temp dir (server logs, outputs) for inspection
# A BUILD path containing "asan" runs with ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 and fails
# a test whose server log shows a sanitizer report.
#
# Last line: "N passed, M failed"; exit status non-zero when M > 0.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
BUILD_ARG=${1:-build}
case "$BUILD_ARG" in /*) BUILD=$BUILD_ARG ;; *) BUILD="$ROOT/$BUILD_ARG" ;; esac
BUILD=${BUILD%/}
. "$ROOT/tests/lib/common.sh"

ASAN=0
if is_asan "$BUILD"; then
    ASAN=1
    export ASAN_OPTIONS=${ASAN_OPTIONS_OVERRIDE:-detect_leaks=1:abort_on_error=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fi
SQL_TIMEOUT=$((ASAN ? 60 : 30))        # one scenario file (they take < 1 s)
SCRIPT_TIMEOUT=$((ASAN ? 600 : 300))   # one client/oracle/live script
MEMORY_TIMEOUT=300
SHELL_TIMEOUT=300
UPDATE=${UPDATE_EXPECTED:-0}
ONLY=${ONLY:-}
OUT="$LIB_TMP/out"
mkdir -p "$OUT"

for b in sluiced sluice; do
    [ -x "$BUILD/$b" ] || { echo "run_tests: no $BUILD/$b (make BUILD=$BUILD_ARG all)"; exit 1; }
done
echo "== sluice end-to-end tests, build $BUILD$([ $ASAN = 1 ] && echo ' (ASan/UBSan)')"

selected() { [ -z "$ONLY" ] || [[ $1 =~ $ONLY ]]; }

stop_server_for() {   # NAME -> 0 or records a failure
    # not in $(...): only this shell can wait for its child
    if ! sluiced_stop 2>"$OUT/stop.err"; then
        t_fail "$1: server did not stop cleanly" "$(cat "$OUT/stop.err")"
        return 1
    fi
    return 0
}

# ---- a/b: one SQL file against a fresh server -------------------------------------------------
run_sql_file() {   # NAME SQLFILE(relative to ROOT) EXPECTED(may not exist) REQUIRE_EXPECTED(0|1)
    local name=$1 sql=$2 exp=$3 need=$4 out rc
    out="$OUT/$(echo "$name" | tr '/' '_').out"
    # server and shell run in the script's directory, and the shell gets the bare file name:
    # messages read "sluice:X.sql:LINE:" wherever the checkout is (as in sql-examples/README.md)
    cd "$ROOT/$(dirname "$sql")" || return
    if ! sluiced_start "$BUILD" 2>"$out.start"; then
        cd "$ROOT" || exit 1; t_fail "$name: server did not start" "$(cat "$out.start")"; return
    fi
    timeout -k 5 "$SQL_TIMEOUT" "$BUILD/sluice" -h 127.0.0.1 -p "$SLUICED_PORT" -f "$(basename "$sql")" \
        > "$out" 2>&1 </dev/null
    rc=$?
    cd "$ROOT" || exit 1
    stop_server_for "$name" || return
    if [ $rc = 124 ] || [ $rc = 137 ]; then
        t_fail "$name: timed out after ${SQL_TIMEOUT}s" "$(tail -20 "$out")"; return
    fi
    if [ $ASAN = 1 ] && sanitizer_report "$out" >/dev/null; then
        t_fail "$name: sanitizer report from the shell" "$(grep -E -A20 'Sanitizer|runtime error' "$out" | head -40)"; return
    fi
    if [ "$need" = 1 ] || [ -f "$exp" ]; then
        if [ "$UPDATE" = 1 ]; then
            mkdir -p "$(dirname "$exp")"; cp "$out" "$exp"; t_pass "$name (expected output rewritten)"; return
        fi
        if [ ! -f "$exp" ]; then
            t_fail "$name: no expected file $exp (UPDATE_EXPECTED=1 writes it)" "$(head -30 "$out")"; return
        fi
        if cmp -s "$exp" "$out"; then t_pass "$name"
        else t_fail "$name: output differs" "$(diff -u --label "$exp" --label "actual" "$exp" "$out")"; fi
    else
        if [ $rc = 0 ]; then t_pass "$name"
        else t_fail "$name: sluice exited $rc" "$(tail -20 "$out")"; fi
    fi
}

shopt -s nullglob globstar
echo "-- a. SQL scenarios (tests/sql)"
n=0
for f in tests/sql/*.sql; do
    b=$(basename "$f" .sql)
    selected "sql/$b" || continue
    n=$((n + 1)); run_sql_file "sql/$b" "$f" "tests/expected/$b.out" 1
done
[ $n = 0 ] && echo "   (none)"

echo "-- b. examples (sql-examples)"
n=0
for f in sql-examples/**/*.sql; do
    case "$f" in sql-examples/expected/*) continue ;; esac
    rel=${f#sql-examples/}; rel=${rel%.sql}
    selected "examples/$rel" || continue
    n=$((n + 1)); run_sql_file "examples/$rel" "$f" "sql-examples/expected/$rel.out" 0
done
[ $n = 0 ] && echo "   (none)"

# ---- c: the shell's own tests -----------------------------------------------------------------
echo "-- c. shell (tests/shell/test_shell.sh)"
if [ -f tests/shell/test_shell.sh ] && selected "shell/test_shell"; then
    # it takes the build dir relative to the repo root
    relb=$(realpath -m --relative-to="$ROOT" "$BUILD")
    log="$OUT/test_shell.log"
    PGTEST_USER=$PG_USER timeout -k 5 "$SHELL_TIMEOUT" bash tests/shell/test_shell.sh "$relb" > "$log" 2>&1 </dev/null
    rc=$?
    sed 's/^/   | /' "$log"
    if [ $rc = 0 ]; then t_pass "shell/test_shell.sh"
    elif [ $rc = 124 ]; then t_fail "shell/test_shell.sh: timed out after ${SHELL_TIMEOUT}s"
    else t_fail "shell/test_shell.sh (exit $rc)"; fi
else
    echo "   (skipped)"
fi

# ---- d/e: scripts, each with a fresh server ---------------------------------------------------
PG_STARTED=0
run_script() {   # NAME PATH TIMEOUT
    local name=$1 path=$2 tmo=$3 log rc
    log="$OUT/$(echo "$name" | tr '/' '_').log"
    if [ "$PG_STARTED" = 0 ] && [[ $path == tests/oracle/* ]]; then
        PG_STARTED=1
        if pg_start 2>"$OUT/pg_start.err"; then
            echo "   (PostgreSQL $(basename "$(dirname "$PG_BIN")") on 127.0.0.1:$PG_PORT as user $PG_USER)"
        else
            echo "   (PostgreSQL did not start: $(tail -3 "$OUT/pg_start.err"))"; PG_PORT=
        fi
    fi
    if ! sluiced_start "$BUILD" 2>"$log.start"; then
        t_fail "$name: server did not start" "$(cat "$log.start")"; return
    fi
    local runner=(bash)
    case "$path" in *.py) runner=(/usr/bin/python3 -u) ;; esac
    SLUICE_BUILD=$BUILD SLUICE_HOST=127.0.0.1 SLUICE_PORT=$SLUICED_PORT SLUICE_PID=$SLUICED_PID \
        SLUICE_PG_PORT=${PG_PORT:-} SLUICE_ASAN=$ASAN \
        timeout -k 5 "$tmo" "${runner[@]}" "$path" > "$log" 2>&1 </dev/null
    rc=$?
    sed 's/^/   | /' "$log"
    stop_server_for "$name" || return
    if [ $rc = 0 ]; then t_pass "$name"
    elif [ $rc = 124 ] || [ $rc = 137 ]; then t_fail "$name: timed out after ${tmo}s"
    else t_fail "$name (exit $rc)"; fi
}

for dir in client oracle sink live memory bench crash proto; do
    label=d; [ $dir = client ] || label=e
    echo "-- $label. $dir (tests/$dir)"
    n=0
    for f in tests/$dir/*.sh tests/$dir/*.py; do
        name="$dir/$(basename "$f")"
        selected "$name" || continue
        n=$((n + 1))
        if [ $dir = memory ] && [ $ASAN = 1 ]; then echo "skip $name (RSS is meaningless under ASan)"; continue; fi
        tmo=$SCRIPT_TIMEOUT; [ $dir = memory ] && tmo=$MEMORY_TIMEOUT
        run_script "$name" "$f" "$tmo"
    done
    [ $n = 0 ] && echo "   (none)"
done

[ "${KEEP_TMP:-0}" = 1 ] && echo "(outputs and server logs kept in $LIB_TMP)"
t_summary
