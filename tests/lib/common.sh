# shellcheck shell=bash disable=SC2034
# tests/lib/common.sh — shared bash helpers for sluice's end-to-end tests. Source it:
#
#     . "$ROOT/tests/lib/common.sh"
#
# Everything listens on 127.0.0.1 only, every wait is bounded, and everything started
# here is stopped by the EXIT trap that lib_cleanup installs (scripts that set their own
# EXIT trap must call lib_cleanup from it).
#
#   free_port                      print a free TCP port on 127.0.0.1
#   sluiced_start BUILD [DATADIR]  start BUILD/sluiced on a free port with a temp data dir;
#                                  sets SLUICED_PID SLUICED_PORT SLUICED_LOG SLUICED_DIR
#   sluiced_stop                   SIGTERM, bounded wait, then SIGKILL; fails when the server
#                                  had to be killed, exited non-zero, or (ASan builds) its log
#                                  holds a sanitizer report
#   pg_start / pg_stop             a throwaway PostgreSQL (newest under /usr/lib/postgresql)
#                                  as a non-root user; sets PG_PORT PG_HOST PG_DATA PG_USER
#   as_pg CMD...                   run CMD as the PostgreSQL user (runuser when root)
#   t_pass NAME / t_fail NAME [DETAIL] / t_summary
#                                  result counting; t_summary prints "N passed, M failed"
#                                  and returns non-zero if M > 0
#   is_asan BUILD                  true for a sanitizer build (path contains "asan")
#   sanitizer_report FILE          print sanitizer lines found in FILE; true if there were any

LIB_TMP=${LIB_TMP:-$(mktemp -d /tmp/sluice-test.XXXXXX)}
chmod 755 "$LIB_TMP"
T_PASS=0
T_FAIL=0
SLUICED_PID=
PG_DATA=
: "${SLUICED_START_TIMEOUT:=30}"     # seconds to wait for "listening on" (ASan start is slow)
: "${SLUICED_STOP_TIMEOUT:=15}"      # seconds between SIGTERM and SIGKILL
: "${PG_TIMEOUT:=60}"

free_port() {
    # bind to port 0 and report what the kernel picked; SO_REUSEADDR not set, so the
    # port is really free at this moment (a small race remains: see sluiced --port 0)
    local py=/usr/bin/python3
    [ -x "$py" ] || py=python3
    "$py" -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

is_asan() { case "$1" in *asan*) return 0 ;; esac; [ "${SLUICE_ASAN:-0}" = 1 ]; }

sanitizer_report() {   # FILE
    [ -f "$1" ] || return 1
    grep -E 'ERROR: AddressSanitizer|runtime error:|LeakSanitizer|ERROR: UndefinedBehaviorSanitizer' "$1"
}

# ---- sluiced ---------------------------------------------------------------------------------

sluiced_start() {   # BUILD [DATADIR]
    local build=$1 dir=${2:-}
    local bin="$build/sluiced"
    [ -x "$bin" ] || { echo "sluiced_start: no executable $bin" >&2; return 1; }
    if [ -z "$dir" ]; then dir=$(mktemp -d "$LIB_TMP/data.XXXXXX"); fi
    mkdir -p "$dir"
    SLUICED_DIR=$dir
    SLUICED_LOG="$dir.log"
    : > "$SLUICED_LOG"
    # --port 0: the server binds a free port itself and logs it: no race with free_port
    "$bin" --port 0 --listen 127.0.0.1 --data-dir "$dir" 2>>"$SLUICED_LOG" >/dev/null </dev/null &
    SLUICED_PID=$!
    local i n=$((SLUICED_START_TIMEOUT * 20))
    SLUICED_PORT=
    for ((i = 0; i < n; i++)); do
        SLUICED_PORT=$(sed -n 's/^sluiced: listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$SLUICED_LOG" | head -1)
        [ -n "$SLUICED_PORT" ] && break
        if ! kill -0 "$SLUICED_PID" 2>/dev/null; then
            echo "sluiced_start: server exited during startup:" >&2
            sed 's/^/    /' "$SLUICED_LOG" | head -40 >&2
            wait "$SLUICED_PID" 2>/dev/null
            SLUICED_PID=
            return 1
        fi
        sleep 0.05
    done
    if [ -z "$SLUICED_PORT" ]; then
        echo "sluiced_start: no 'listening on' line after ${SLUICED_START_TIMEOUT}s" >&2
        kill -KILL "$SLUICED_PID" 2>/dev/null; wait "$SLUICED_PID" 2>/dev/null
        SLUICED_PID=
        return 1
    fi
}

sluiced_stop() {   # -> 0 clean exit; 1 killed, non-zero exit, or sanitizer report in the log
    [ -n "$SLUICED_PID" ] || return 0
    local pid=$SLUICED_PID rc=0 i n=$((SLUICED_STOP_TIMEOUT * 20)) killed=0
    SLUICED_PID=
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < n; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "sluiced_stop: pid $pid still running ${SLUICED_STOP_TIMEOUT}s after SIGTERM: SIGKILL" >&2
        kill -KILL "$pid" 2>/dev/null
        killed=1
    fi
    wait "$pid" 2>/dev/null; rc=$?
    if sanitizer_report "$SLUICED_LOG" >/dev/null; then
        echo "sluiced_stop: sanitizer report in the server log (exit status $rc):" >&2
        grep -E -A30 'ERROR: AddressSanitizer|runtime error:|LeakSanitizer' "$SLUICED_LOG" | head -60 | sed 's/^/    /' >&2
        return 1
    fi
    if [ $killed = 1 ]; then return 1; fi
    if [ $rc != 0 ]; then
        echo "sluiced_stop: server exited with status $rc after SIGTERM; log tail:" >&2
        tail -30 "$SLUICED_LOG" | sed 's/^/    /' >&2
        return 1
    fi
    return 0
}

# ---- PostgreSQL ------------------------------------------------------------------------------

PG_USER=${PGTEST_USER:-sluicetest}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi
}

pg_start() {   # sets PG_HOST PG_PORT PG_DATA; PostgreSQL refuses to run as root
    [ -x "$PG_BIN/initdb" ] || { echo "pg_start: PostgreSQL server binaries not found (set PG_BIN)" >&2; return 1; }
    if [ "$(id -u)" = 0 ]; then
        id "$PG_USER" >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin "$PG_USER" 2>/dev/null ||
            id "$PG_USER" >/dev/null 2>&1 || { echo "pg_start: cannot create user $PG_USER" >&2; return 1; }
    else
        PG_USER=$(id -un)
    fi
    PG_DATA="$LIB_TMP/pgdata"
    mkdir -p "$PG_DATA"
    [ "$(id -u)" = 0 ] && chown "$PG_USER" "$PG_DATA"
    chmod 700 "$PG_DATA"
    PG_HOST=127.0.0.1
    PG_PORT=$(free_port) || return 1
    if ! as_pg timeout "$PG_TIMEOUT" "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres \
            > "$LIB_TMP/initdb.log" 2>&1; then
        echo "pg_start: initdb failed:" >&2; tail -20 "$LIB_TMP/initdb.log" >&2; PG_DATA=; return 1
    fi
    # fsync off: a throwaway oracle, speed matters more than durability
    if ! as_pg timeout "$PG_TIMEOUT" "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -t "$PG_TIMEOUT" -l "$PG_DATA/log" \
            -o "-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
        echo "pg_start: pg_ctl start failed:" >&2; tail -20 "$PG_DATA/log" >&2; return 1
    fi
}

pg_stop() {
    [ -n "$PG_DATA" ] && [ -f "$PG_DATA/postmaster.pid" ] &&
        as_pg timeout "$PG_TIMEOUT" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1
    PG_DATA=
}

# ---- results ---------------------------------------------------------------------------------

t_pass() { T_PASS=$((T_PASS + 1)); echo "ok   $1"; }
t_fail() {
    T_FAIL=$((T_FAIL + 1)); echo "FAIL $1"
    if [ -n "${2:-}" ]; then printf '%s\n' "$2" | head -"${T_DETAIL_LINES:-60}" | sed 's/^/     /'; fi
}
t_summary() {
    echo "$T_PASS passed, $T_FAIL failed"
    [ "$T_FAIL" = 0 ]
}

# ---- cleanup ---------------------------------------------------------------------------------

lib_cleanup() {
    if [ -n "$SLUICED_PID" ]; then kill -KILL "$SLUICED_PID" 2>/dev/null; wait "$SLUICED_PID" 2>/dev/null; fi
    pg_stop
    [ "${KEEP_TMP:-0}" = 1 ] || rm -rf "$LIB_TMP"
}
trap lib_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
