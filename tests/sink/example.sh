#!/usr/bin/env bash
# tests/sink/example.sh — sql-examples/sink_postgres.sql end to end (issue 5, acceptance 4):
# its own PostgreSQL, a sluiced whose environment points libpq at it (PGHOST/PGPORT/PGUSER, as
# the example says), the example run by the shell, then the three target tables in PostgreSQL
# must hold exactly the rows the example's comments promise.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
BUILD=${SLUICE_BUILD:-$ROOT/build}
PG_TIMEOUT=${PG_TIMEOUT:-60}
T_PASS=0; T_FAIL=0

pg_start || { echo "FAIL PostgreSQL did not start"; exit 1; }
PSQL=(psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1)
"${PSQL[@]}" -c "CREATE DATABASE market" postgres || { echo "FAIL createdb"; exit 1; }

export PGHOST=127.0.0.1 PGPORT=$PG_PORT PGUSER=postgres
sluiced_start "$BUILD" || { echo "FAIL sluiced did not start"; exit 1; }
cd "$ROOT/sql-examples" || exit 1
if out=$("$BUILD/sluice" -h 127.0.0.1 -p "$SLUICED_PORT" -f sink_postgres.sql 2>&1); then
    t_pass "the example runs"
else
    t_fail "the example runs" "$out"
fi

q() { "${PSQL[@]}" -At -F' ' -c "$1" market 2>&1; }
want_vwap="AAPL 2026-03-02 09:30:00+00 230 50
IBM 2026-03-02 09:30:00+00 150.375 400
IBM 2026-03-02 09:31:00+00 152 100
XOM 2026-03-02 09:30:00+00 110 200
XOM 2026-03-02 09:30:10+00 109 200"
want_candles="AAPL 2026-03-02 09:30:00+00 230 230 1
IBM 2026-03-02 09:30:00+00 150 150.5 2
XOM 2026-03-02 09:30:00+00 109 110 2"
want_top="IBM 500
XOM 400"
for _ in $(seq 200); do   # at most 10 s
    got_vwap=$(q "SELECT sym, window_start, vwap, volume FROM vwap_10s ORDER BY 1, 2")
    got_candles=$(q "SELECT sym, window_start, low, high, trades FROM candles_1m ORDER BY 1, 2")
    got_top=$(q "SELECT sym, volume FROM top_symbols ORDER BY volume DESC")
    [ "$got_vwap" = "$want_vwap" ] && [ "$got_candles" = "$want_candles" ] && [ "$got_top" = "$want_top" ] && break
    sleep 0.05
done
for t in vwap candles top; do
    w=want_$t; g=got_$t
    if [ "${!w}" = "${!g}" ]; then t_pass "PostgreSQL table for $t holds what the example says"
    else t_fail "PostgreSQL table for $t" "want:
${!w}
got:
${!g}"; fi
done
prog=$(q "SELECT sink, epoch FROM sluice_sink_progress ORDER BY 1")
echo "$prog" | grep -q "^candles_pg [0-9]" && t_pass "progress rows recorded: $(echo $prog)" ||
    t_fail "progress rows" "$prog"
pk=$(q "SELECT string_agg(a.attname, ',' ORDER BY a.attnum) FROM pg_index i JOIN pg_attribute a
        ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indisprimary AND i.indrelid = 'vwap_10s'::regclass")
[ "$pk" = "sym,window_start" ] && t_pass "KEY (sym, window_start) is vwap_10s's primary key" ||
    t_fail "vwap_10s primary key" "$pk"
sluiced_stop || t_fail "sluiced stops cleanly"
t_summary
