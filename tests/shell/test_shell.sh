#!/usr/bin/env bash
# tests/shell/test_shell.sh — end-to-end tests of the sluice shell (build/sluice).
#
# sluiced is not needed: ordinary SQL runs against a throwaway PostgreSQL 15 server (started on
# a free 127.0.0.1 port as a non-root user, stopped at exit), and the shell's stdout/stderr must
# equal psql's byte for byte (with "psql:" prefixes read as "sluice:"). SUBSCRIBE runs against
# tests/shell/fake_sluiced.py, a few-hundred-line pgwire stand-in.
#
# Usage: tests/shell/test_shell.sh [BUILD_DIR]     (default: build; run from the repo root)
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SLUICE="$ROOT/$BUILD/sluice"
HERE="$ROOT/tests/shell"
T=20                                   # seconds allowed for any single command
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
PG_USER=${PGTEST_USER:-pgtest}
pass=0 fail=0

ok()   { pass=$((pass + 1)); echo "ok   $1"; }
bad()  { fail=$((fail + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && echo "$2" | head -40; }

[ -x "$SLUICE" ] || { echo "no $SLUICE (make $BUILD/sluice)"; exit 1; }
[ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL server binaries not found (set PG_BIN)"; exit 1; }

free_port() {
    local p
    for p in $(seq "$1" $(($1 + 200))); do
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
    return 1
}

WORK=$(mktemp -d /tmp/sluice-shell-test.XXXXXX)
chmod 755 "$WORK"
PGDATA="$WORK/pgdata"
FAKE_PID=
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi
}
cleanup() {
    [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null
    [ -f "$PGDATA/postmaster.pid" ] && as_pg timeout $T "$PG_BIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1
    rm -rf "$WORK"
}
trap cleanup EXIT

if [ "$(id -u)" = 0 ] && ! id "$PG_USER" >/dev/null 2>&1; then
    useradd -m "$PG_USER" || { echo "cannot create user $PG_USER"; exit 1; }
fi
mkdir -p "$PGDATA" && [ "$(id -u)" = 0 ] && chown "$PG_USER" "$PGDATA"
PORT=$(free_port 55440) || { echo "no free port"; exit 1; }
as_pg timeout 60 "$PG_BIN/initdb" -D "$PGDATA" -A trust -U postgres >/dev/null 2>&1 || { echo "initdb failed"; exit 1; }
as_pg timeout 60 "$PG_BIN/pg_ctl" -D "$PGDATA" -w -l "$PGDATA/log" \
    -o "-p $PORT -k $PGDATA -c listen_addresses=127.0.0.1" start >/dev/null || { echo "pg_ctl start failed"; exit 1; }

CONN=(-h 127.0.0.1 -p "$PORT" -U postgres)
PSQL=(timeout $T psql -X "${CONN[@]}")
SL=(timeout $T "$SLUICE" "${CONN[@]}")
cd "$WORK"

# --- 1. byte-for-byte comparison with psql --------------------------------------------------
compare() {   # name, extra args...; reads compare.sql through the given mode
    local name=$1; shift
    "${PSQL[@]}" "$@" > p.out 2> p.err
    "${SL[@]}" "$@" > s.out 2> s.err
    sed 's/^psql:/sluice:/' p.err > p.err2
    if cmp -s p.out s.out && cmp -s p.err2 s.err; then ok "$name"
    else bad "$name" "$(diff p.out s.out; diff p.err2 s.err)"; fi
}
cp "$HERE/compare.sql" compare.sql
compare "aligned output, -f"          -f compare.sql
compare "--csv output, -f"            --csv -f compare.sql
compare "-q output, -f"               -q -f compare.sql
compare "aligned output, -c"          -c "select 1 as one, 'x' as two; select 'é' as e"
compare "error position, -c"          -c "select 1,
  2 frm t"
compare "\\conninfo"                  -c '\conninfo'
"${PSQL[@]}" < compare.sql > p.out 2> p.err
"${SL[@]}" < compare.sql > s.out 2> s.err
if cmp -s p.out s.out && cmp -s p.err s.err; then ok "piped stdin"
else bad "piped stdin" "$(diff p.out s.out; diff p.err s.err)"; fi

# --- 2. exit status ---------------------------------------------------------------------------
"${SL[@]}" -f compare.sql >/dev/null 2>&1; rc=$?
[ $rc = 1 ] && ok "exit 1 after failed statements (and kept going)" || bad "exit status $rc, want 1"
"${SL[@]}" -c 'select 1' >/dev/null 2>&1; rc=$?
[ $rc = 0 ] && ok "exit 0 on success" || bad "exit status $rc, want 0"
DEAD=$(free_port 55700)
timeout $T "$SLUICE" -h 127.0.0.1 -p "$DEAD" -c 'select 1' > s.out 2> s.err; rc=$?
if [ $rc = 2 ] && grep -q '^sluice: error: connection to server at "127.0.0.1", port '"$DEAD"' failed' s.err
then ok "exit 2 and libpq's message on connection failure"
else bad "connection failure: rc=$rc" "$(cat s.err)"; fi
SLUICE_HOST=127.0.0.1 SLUICE_PORT=$PORT timeout $T "$SLUICE" -U postgres -c 'select 7 as x' > s.out 2>&1
grep -q '^ *7$' s.out && ok "SLUICE_HOST/SLUICE_PORT" || bad "SLUICE_HOST/SLUICE_PORT" "$(cat s.out)"
timeout $T "$SLUICE" --help > s.out 2>&1; rc=$?
if [ $rc = 0 ] && grep -q -- '--csv' s.out && grep -q -- '-f FILE' s.out && grep -q 'SLUICE_PORT' s.out
then ok "--help"; else bad "--help rc=$rc"; fi

# --- 3. meta commands -------------------------------------------------------------------------
printf 'select 1 as a;\n\\timing\nselect 2 as b;\n\\timing off\nselect 3 as c;\n' > timing.sql
"${SL[@]}" -f timing.sql > s.out 2>&1
if grep -q '^Timing is on\.$' s.out && grep -q '^Timing is off\.$' s.out &&
   [ "$(grep -c '^Time: [0-9]*\.[0-9][0-9][0-9] ms$' s.out)" = 1 ]
then ok "\\timing"; else bad "\\timing" "$(cat s.out)"; fi
printf 'select 1 as a;\n\\nosuch\nselect 2 as b;\n' > bad.sql
"${SL[@]}" -f bad.sql > s.out 2> s.err; rc=$?
if grep -q '^sluice:bad.sql:2: error: invalid command \\nosuch$' s.err && grep -q '^ b $' s.out && [ $rc = 1 ]
then ok "unknown meta command: message, keep going, exit 1"
else bad "unknown meta command" "$(cat s.out s.err)"; fi
printf 'select 41 as inner_file;\n' > inc.sql
printf 'select 40 as outer_file;\n\\i inc.sql\n\\q\nselect 42 as never;\n' > outer.sql
"${SL[@]}" -f outer.sql > s.out 2>&1
if grep -q 'outer_file' s.out && grep -q 'inner_file' s.out && ! grep -q never s.out
then ok "\\i and \\q"; else bad "\\i and \\q" "$(cat s.out)"; fi
"${SL[@]}" -c '\?' > s.out 2>&1
grep -q '\\conninfo' s.out && grep -q '\\d NAME' s.out && ok "\\?" || bad "\\?" "$(cat s.out)"
# PostgreSQL has no SHOW STREAMS / DESCRIBE: \d must report the server's errors, not crash
"${SL[@]}" -c '\d' > s.out 2> s.err; rc=$?
if [ $rc = 1 ] && [ "$(grep -c '^ERROR:  unrecognized configuration parameter' s.err)" = 2 ]
then ok "\\d sends SHOW STREAMS and SHOW VIEWS"; else bad "\\d rc=$rc" "$(cat s.out s.err)"; fi
"${SL[@]}" -c '\d bids' > s.out 2> s.err
grep -q 'syntax error at or near "DESCRIBE"' s.err && ok "\\d NAME sends DESCRIBE NAME" || bad "\\d NAME" "$(cat s.err)"

# --- 4. statement splitting against a server: each statement separately ------------------------
printf "select 'a;b' as x; select \"c;d\" from (select 1 as \"c;d\") s -- ;\n;/* ; */ select 3 as y\n" > split.sql
"${SL[@]}" -A -f split.sql > /dev/null 2>&1   # -A is not an option: must fail cleanly
[ $? = 1 ] && ok "unknown option exits 1" || bad "unknown option"
"${SL[@]}" -f split.sql > s.out 2>&1
"${PSQL[@]}" -f split.sql > p.out 2>&1
cmp -s p.out s.out && ok "splitting: ; in strings, identifiers, comments" || bad "splitting" "$(diff p.out s.out)"

# --- 5. SUBSCRIBE against the fake server -----------------------------------------------------
FPORT=$(free_port 55800)
python3 "$HERE/fake_sluiced.py" "$FPORT" > fake.log 2>&1 &
FAKE_PID=$!
# A loaded CI machine can take seconds to start python: wait up to 30 s, and say so if not.
for _ in $(seq 300); do grep -q ready fake.log 2>/dev/null && break; sleep 0.1; done
grep -q ready fake.log 2>/dev/null || echo "fake_sluiced.py not ready after 30 s: $(tail -3 fake.log)"
FS=(timeout $T "$SLUICE" -h 127.0.0.1 -p "$FPORT")
"${FS[@]}" -c 'SUBSCRIBE v_upd;' > s.out 2> s.err; rc=$?
expected='_epoch | _op | word | n
1 | upsert | apple | 1
1 | upsert | pear | 2
2 | upsert | apple | 5
3 | delete | pear | 2
3 | upsert | fig | 
SUBSCRIBE 5'
[ $rc = 0 ] && [ "$(cat s.out)" = "$expected" ] && ok "SUBSCRIBE, non-terminal: one line per row" \
    || bad "SUBSCRIBE lines rc=$rc" "$(cat s.out s.err)"
"${FS[@]}" --csv -c '/* c */ subscribe v_app;' > s.out 2> s.err
[ "$(head -2 s.out)" = "$(printf '_epoch,_op,word,n\n1,insert,apple,1')" ] && ok "SUBSCRIBE --csv" \
    || bad "SUBSCRIBE --csv" "$(cat s.out s.err)"
# Ctrl-C: the shell cancels the subscription and does not die
"$SLUICE" -h 127.0.0.1 -p "$FPORT" -c 'SUBSCRIBE v_app forever;' -c 'select 1;' > s.out 2> s.err &
SPID=$!
for _ in $(seq 50); do grep -q cherry s.out 2>/dev/null && break; sleep 0.1; done
kill -INT "$SPID" 2>/dev/null
for _ in $(seq 100); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$SPID" 2>/dev/null; then kill -KILL "$SPID"; bad "SUBSCRIBE cancel: shell hung"
else
    wait "$SPID"; rc=$?
    # the second -c statement ran after the cancel (the fake server rejects it: exit 1)
    if grep -q '^subscription cancelled$' s.err && grep -q 'fake server does not understand' s.err &&
       [ $rc = 1 ]
    then ok "SUBSCRIBE cancelled by SIGINT, shell continues"
    else bad "SUBSCRIBE cancel rc=$rc" "$(cat s.out s.err)"; fi
fi
if python3 -c 'import pty' 2>/dev/null; then
    # live view on a terminal: update mode redraws in place, keyed by DESCRIBE's key column
    python3 - "$SLUICE" "$FPORT" > s.out <<'PY'
import os, pty, sys, select, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "-h", "127.0.0.1", "-p", sys.argv[2], "-c", "SUBSCRIBE v_upd;"])
out, end = b"", time.time() + 10
while time.time() < end:
    if select.select([fd], [], [], 0.2)[0]:
        try:
            d = os.read(fd, 65536)
        except OSError:
            break
        if not d:
            break
        out += d
os.waitpid(pid, 0)
sys.stdout.write(out.decode().replace("\r\n", "\n"))
PY
    final=$(awk '/\x1b\[J/{buf=""} {buf=buf $0 "\n"} END{printf "%s", buf}' s.out | sed 's/.*\x1b\[J//')
    want=' word  | n 
-------+---
 apple | 5
 fig   |  
(2 rows)
-- update mode, epoch 3, 5 changes received (ended)
SUBSCRIBE 5'
    grep -q $'\x1b\\[[0-9]*A' s.out && [ "$final" = "$want" ] && ok "SUBSCRIBE live update view" \
        || bad "SUBSCRIBE live view" "$final"
fi

echo "shell tests: $pass passed, $fail failed"
[ $fail = 0 ]
