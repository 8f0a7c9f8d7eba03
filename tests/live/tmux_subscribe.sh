#!/usr/bin/env bash
# tests/live/tmux_subscribe.sh — the sluice shell on a real terminal: SUBSCRIBE shows rows live,
# Ctrl-C cancels the subscription and brings the prompt back, \q ends the shell.
#
# The shell runs in a detached tmux session (120x40) on a private tmux socket; keys go in with
# send-keys, the screen comes out with capture-pane. Events are inserted from another process
# (sluice -c) while the subscription runs. Every wait polls the pane a bounded number of times.
#
# Run by tests/run_tests.sh, which provides SLUICE_BUILD and SLUICE_PORT.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
: "${SLUICE_PORT:?SLUICE_PORT not set (run me through tests/run_tests.sh)}"
: "${SLUICE_BUILD:?SLUICE_BUILD not set}"
command -v tmux >/dev/null || { echo "tmux is not installed"; exit 1; }
export TERM=${TERM:-xterm}
[ "$TERM" = dumb ] && export TERM=xterm
SOCK="$LIB_TMP/tmux.sock"
TM=(tmux -S "$SOCK")
SQL=(timeout -k 2 20 "$SLUICE_BUILD/sluice" -h 127.0.0.1 -p "$SLUICE_PORT")
S=live

cleanup() {
    "${TM[@]}" kill-session -t "$S" 2>/dev/null
    "${TM[@]}" kill-server 2>/dev/null      # our private server only (-S socket)
    lib_cleanup
}
trap cleanup EXIT

screen() { "${TM[@]}" capture-pane -p -t "$S" 2>/dev/null; }              # visible screen
history() { "${TM[@]}" capture-pane -p -S -1000 -t "$S" 2>/dev/null; }    # with scrollback
wait_for() {   # EREGEX [TRIES]: poll the pane (history included) until it matches, 0.1 s apart
    local i n=${2:-100}
    for ((i = 0; i < n; i++)); do
        history | grep -Eq -- "$1" && return 0
        sleep 0.1
    done
    return 1
}
last_prompt_ready() {   # the last non-empty line of the screen is an empty prompt
    [ "$(screen | sed '/^ *$/d' | tail -1)" = "sluice=>" ]
}
wait_prompt() {
    local i
    for ((i = 0; i < ${1:-100}; i++)); do last_prompt_ready && return 0; sleep 0.1; done
    return 1
}
show_pane() { echo "---- pane ----"; screen | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'; echo "--------------"; }
# tmux reads a trailing ';' as its own command separator: send the text literally (-l)
type_line() { "${TM[@]}" send-keys -t "$S" -l "${1//;/\\;}" && "${TM[@]}" send-keys -t "$S" Enter; }

"${SQL[@]}" -q -f - <<'SQL' >/dev/null 2>"$LIB_TMP/ddl.err" || { cat "$LIB_TMP/ddl.err"; exit 1; }
CREATE STREAM trades (sym TEXT, price DOUBLE, qty BIGINT, ts TIMESTAMP,
                      WATERMARK FOR ts AS ts - INTERVAL '2' SECOND);
CREATE VIEW totals AS SELECT sym, count(*) AS n, sum(qty) AS q FROM trades GROUP BY sym EMIT UPDATE;
CREATE VIEW per10s AS
    SELECT sym, window_start, window_end, count(*) AS n, sum(qty) AS q
    FROM TUMBLE(trades, ts, INTERVAL '10' SECOND)
    GROUP BY sym, window_start, window_end EMIT APPEND;
SQL

"${TM[@]}" -f /dev/null new-session -d -s "$S" -x 120 -y 40 \
    "$SLUICE_BUILD/sluice -h 127.0.0.1 -p $SLUICE_PORT" || { echo "tmux new-session failed"; exit 1; }
if wait_prompt 100; then t_pass "shell starts in tmux and shows the sluice=> prompt"
else t_fail "no sluice=> prompt" "$(show_pane)"; t_summary; exit; fi

# ---- 1. UPDATE view: the live table changes in place ----------------------------------------
type_line 'SUBSCRIBE totals;'
sleep 0.5   # let the subscription reach the server before the first insert (at-most-once)
"${SQL[@]}" -c "INSERT INTO trades VALUES ('apple', 1.0, 5, '2026-01-01 00:00:01'), ('pear', 2.0, 7, '2026-01-01 00:00:02')" >/dev/null
if wait_for '^ *apple +\| +1 +\| +5 *$' && wait_for '^ *pear +\| +1 +\| +7 *$'
then t_pass "UPDATE view: inserted rows appear live"
else t_fail "UPDATE view: rows did not appear" "$(show_pane)"; fi
"${SQL[@]}" -c "INSERT INTO trades VALUES ('apple', 1.5, 10, '2026-01-01 00:00:03')" >/dev/null
if wait_for '^ *apple +\| +2 +\| +15 *$' && screen | grep -Eq '^ *apple +\| +2 +\| +15 *$' &&
   ! screen | grep -Eq '^ *apple +\| +1 +\| +5 *$'
then t_pass "UPDATE view: the apple row is updated in place (1|5 -> 2|15)"
else t_fail "UPDATE view: no in-place update" "$(show_pane)"; fi

"${TM[@]}" send-keys -t "$S" C-c
if wait_for 'subscription cancelled$' 60 && wait_prompt 60
then t_pass "Ctrl-C: 'subscription cancelled' and the prompt is back"
else t_fail "Ctrl-C did not end the subscription" "$(show_pane)"; fi

# ---- 2. windowed APPEND view: a row when its window closes ----------------------------------
type_line 'SUBSCRIBE per10s;'
sleep 0.5
# 00:00:13 moves the watermark to 00:00:11: window [00:00:00, 00:00:10) closes
"${SQL[@]}" -c "INSERT INTO trades VALUES ('fig', 3.0, 4, '2026-01-01 00:00:13')" >/dev/null
# (the append display may lead with an _epoch column)
if wait_for '(^|\| ) *apple +\| +2026-01-01 00:00:00 +\| +2026-01-01 00:00:10 +\| +2 +\| +15 *$' &&
   wait_for '(^|\| ) *pear +\| +2026-01-01 00:00:00 +\| +2026-01-01 00:00:10 +\| +1 +\| +7 *$'
then t_pass "APPEND view: the closed window's rows appear live"
else t_fail "APPEND view: closed window rows did not appear" "$(show_pane)"; fi
if screen | grep -Eq '(^|\| ) *fig +\|'; then t_fail "APPEND view shows the still-open window of fig" "$(show_pane)"
else t_pass "APPEND view: the open window is not emitted"; fi
"${SQL[@]}" -c "INSERT INTO trades VALUES ('fig', 3.0, 1, '2026-01-01 00:00:25')" >/dev/null
if wait_for '(^|\| ) *fig +\| +2026-01-01 00:00:10 +\| +2026-01-01 00:00:20 +\| +1 +\| +4 *$'
then t_pass "APPEND view: a second window appears as it closes"
else t_fail "APPEND view: second window missing" "$(show_pane)"; fi

"${TM[@]}" send-keys -t "$S" C-c
# the terminal may echo ^C in front of the message
cancels() { history | grep -c 'subscription cancelled$'; }
for _ in $(seq 60); do [ "$(cancels)" -ge 2 ] && break; sleep 0.1; done
if [ "$(cancels)" -ge 2 ] && wait_prompt 60
then t_pass "Ctrl-C again: second subscription cancelled, prompt back"
else t_fail "second Ctrl-C" "$(show_pane)"; fi

# the session still works after two cancels
type_line "SELECT sym, n FROM per10s ORDER BY window_start, sym;"
if wait_for '^\(4 rows\)$' 60; then t_pass "pull query in the same session after the cancels"
else t_fail "pull query after cancels" "$(show_pane)"; fi

# ---- 3. \q ends the shell -------------------------------------------------------------------
wait_prompt 30
type_line '\q'
gone=0
for _ in $(seq 50); do "${TM[@]}" has-session -t "$S" 2>/dev/null || { gone=1; break; }; sleep 0.1; done
[ $gone = 1 ] && t_pass "\\q exits the shell" || t_fail "\\q: the shell is still running" "$(show_pane)"
t_summary
