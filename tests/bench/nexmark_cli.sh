#!/usr/bin/env bash
# tests/bench/nexmark_cli.sh — end-to-end checks of the nexmark CLI (bench/nexmark.c).
#
# usage: tests/bench/nexmark_cli.sh [BUILD]     (default: $SLUICE_BUILD, else build)
#
# Needs BUILD/nexmark, BUILD/sluiced and BUILD/sluice (make BUILD=... all BUILD/nexmark) and
# psql. Starts its own sluiced on a free port (even under a harness that provides one), so it
# runs standalone. Checks:
#   - --csv output is byte-identical across two runs; another seed changes it
#   - row counts are exactly 1:3:46 and every row has its stream's column count
#   - --stdout STREAM and --only give the same bytes as the full --csv run
#   - usage errors exit 2
#   - --copy into sluiced (bench/queries/schema.sql): SHOW <stream> STATUS counts equal the
#     generator's, with no late events, for K = 2 (default), 1 and 5 connections; a missing
#     table makes the CLI exit 1
# Last line: "N passed, M failed"; exit status non-zero when M > 0.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib/common.sh"
BUILD_ARG=${1:-${SLUICE_BUILD:-build}}
case "$BUILD_ARG" in /*) BUILD=$BUILD_ARG ;; *) BUILD="$ROOT/$BUILD_ARG" ;; esac
NX="$BUILD/nexmark"
EVENTS=100000
T=120

for f in "$NX" "$BUILD/sluiced" "$BUILD/sluice"; do
    [ -x "$f" ] || {
        echo "nexmark_cli: missing $f (make BUILD=$BUILD all $BUILD/nexmark)" >&2
        exit 1
    }
done
command -v psql >/dev/null || { echo "nexmark_cli: psql not found" >&2; exit 1; }

check() {   # NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then t_pass "$1"
    else t_fail "$1" "expected [$2], got [$3]"; fi
}

W="$LIB_TMP/nexmark"
mkdir -p "$W"

# ---- 1. files: determinism, counts, shape ------------------------------------------------------
timeout "$T" "$NX" --events $EVENTS --csv "$W/a" || t_fail "csv run a"
timeout "$T" "$NX" --events $EVENTS --csv "$W/b" || t_fail "csv run b"
same=yes
for s in person auction bid; do cmp -s "$W/a/$s.csv" "$W/b/$s.csv" || same=no; done
check "--csv byte-identical across runs" yes "$same"

timeout "$T" "$NX" --events $EVENTS --seed 2 --csv "$W/c" || t_fail "csv run seed 2"
if cmp -s "$W/a/bid.csv" "$W/c/bid.csv"; then t_fail "--seed 2 changes the data"
else t_pass "--seed 2 changes the data"; fi

N_PERSON=$(wc -l < "$W/a/person.csv")
N_AUCTION=$(wc -l < "$W/a/auction.csv")
N_BID=$(wc -l < "$W/a/bid.csv")
check "row counts 1:3:46" "2000 6000 92000" "$N_PERSON $N_AUCTION $N_BID"

# Generated strings hold no comma or quote, so a plain split counts the columns.
ncols() { awk -F, '{print NF}' "$1" | sort -u | xargs; }
check "person rows have 8 columns" 8 "$(ncols "$W/a/person.csv")"
check "auction rows have 10 columns" 10 "$(ncols "$W/a/auction.csv")"
check "bid rows have 7 columns" 7 "$(ncols "$W/a/bid.csv")"
check "first person is 1000 at the base time" "1000 2024-01-01 00:00:00.000" \
    "$(head -1 "$W/a/person.csv" | awk -F, '{print $1, $7}')"
check "last bid at 9.999 s (10 000 events/s)" "2024-01-01 00:00:09.999" \
    "$(tail -1 "$W/a/bid.csv" | awk -F, '{print $6}')"

timeout "$T" "$NX" --events $EVENTS --stdout bid > "$W/stdout_bid.csv" || t_fail "--stdout bid"
cmp -s "$W/a/bid.csv" "$W/stdout_bid.csv" && t_pass "--stdout bid equals bid.csv" \
    || t_fail "--stdout bid equals bid.csv"

timeout "$T" "$NX" --events $EVENTS --only person,auction --csv "$W/d" || t_fail "--only run"
if [ ! -e "$W/d/bid.csv" ] && cmp -s "$W/a/person.csv" "$W/d/person.csv" &&
   cmp -s "$W/a/auction.csv" "$W/d/auction.csv"; then t_pass "--only person,auction"
else t_fail "--only person,auction"; fi

# ---- 2. usage errors ---------------------------------------------------------------------------
"$NX" --help | grep -q -- '--copy CONNINFO' && t_pass "--help" || t_fail "--help"
for bad in "--events 10" "--events x --null" "--only nope --null" "--stdout bid --csv $W/e" \
           "--rate 0 --null" "--base-time yesterday --null" "--connections 0 --copy x"; do
    # shellcheck disable=SC2086
    "$NX" $bad >/dev/null 2>&1
    check "usage error exits 2: $bad" 2 "$?"
done

# ---- 3. COPY into sluiced ----------------------------------------------------------------------
sluiced_start "$BUILD" || { t_fail "sluiced start"; t_summary; exit 1; }
CONN="host=127.0.0.1 port=$SLUICED_PORT"
PSQL=(timeout -k 2 "$T" psql -X -At -h 127.0.0.1 -p "$SLUICED_PORT" -U sluice -d sluice)

status() {   # STREAM FIELD
    "${PSQL[@]}" -c "SHOW $1 STATUS" | sed -n "s/^$2|//p"
}

# The schema three times: as is, and with the prefixes k1_ and k5_ for the other feeds.
for p in k1 k5; do
    sed "s/CREATE STREAM \([a-z]*\)/CREATE STREAM ${p}_\1/" "$ROOT/bench/queries/schema.sql" \
        > "$W/schema_$p.sql"
done
for f in "$ROOT/bench/queries/schema.sql" "$W/schema_k1.sql" "$W/schema_k5.sql"; do
    timeout "$T" "$BUILD/sluice" -q -h 127.0.0.1 -p "$SLUICED_PORT" -f "$f" \
        || t_fail "schema $(basename "$f")"
done

copy_feed() {   # NAME PREFIX ARGS...
    local name=$1 prefix=$2
    shift 2
    if timeout "$T" "$NX" --events $EVENTS --copy "$CONN" --table-prefix "$prefix" "$@" \
        2> "$W/copy_$name.err"; then
        t_pass "--copy $name exits 0"
    else
        t_fail "--copy $name exits 0" "$(cat "$W/copy_$name.err")"
    fi
    check "--copy $name: ${prefix}bid events" "$N_BID" "$(status "${prefix}bid" events)"
    check "--copy $name: ${prefix}auction events" "$N_AUCTION" "$(status "${prefix}auction" events)"
    check "--copy $name: ${prefix}person events" "$N_PERSON" "$(status "${prefix}person" events)"
    check "--copy $name: no late bids" 0 "$(status "${prefix}bid" late_events)"
    check "--copy $name: bid max event time" "2024-01-01 00:00:09.999" \
        "$(status "${prefix}bid" max_event_time)"
}

copy_feed "K=2" "" --stats
copy_feed "K=1" "k1_" --connections 1 --batch 3000
copy_feed "K=5" "k5_" --connections 5 --batch 2000

timeout "$T" "$NX" --events 100 --copy "$CONN" --table-prefix nope_ 2> "$W/copy_bad.err"
rc=$?
check "--copy into a missing table exits 1" 1 "$rc"
grep -q 'nope_' "$W/copy_bad.err" && t_pass "--copy error names the table" \
    || t_fail "--copy error names the table" "$(cat "$W/copy_bad.err")"

sluiced_stop || t_fail "sluiced stopped cleanly"
t_summary
