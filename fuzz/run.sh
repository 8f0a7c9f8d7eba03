#!/usr/bin/env bash
# fuzz/run.sh — run the libFuzzer target fuzz_session (make fuzz / make fuzz-quick).
#
# usage: fuzz/run.sh BUILD RUNS
#
# 1. Replays every file in fuzz/regressions/ (inputs that once crashed, leaked or
#    tripped UBSan; each must now pass).
# 2. Fuzzes for RUNS executions from the committed seeds (fuzz/corpus, read-only)
#    plus a scratch corpus in a temp dir, with the dictionary fuzz/session.dict and
#    the S-01 limits (-malloc_limit_mb=64 -rss_limit_mb=512). A crash, leak, UB
#    report, OOM or timeout leaves its input as BUILD/fuzz-artifacts/crash-* (or
#    leak-*, oom-*, timeout-*) and makes this script fail; copy it to
#    fuzz/regressions/ once fixed.
# Environment: FUZZ_SEED (default: random, printed by libFuzzer), FUZZ_KEEP=1 keeps
# the scratch corpus, FUZZ_JOBS (default 1).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$1
RUNS=$2
BIN="$BUILD/fuzz_session"
[ -x "$BIN" ] || { echo "fuzz: no $BIN (make fuzz-build)"; exit 1; }
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
ART="$BUILD/fuzz-artifacts"
mkdir -p "$ART"
WORK=$(mktemp -d /tmp/sluice-fuzz-corpus.XXXXXX)
[ "${FUZZ_KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
COMMON=(-close_fd_mask=2 -malloc_limit_mb=64 -rss_limit_mb=512 -timeout=10
        -artifact_prefix="$ART/")

regs=("$ROOT"/fuzz/regressions/*)
if [ -e "${regs[0]}" ]; then
    echo "== fuzz: replaying ${#regs[@]} regression inputs"
    if ! "$BIN" "${COMMON[@]}" "${regs[@]}" >"$BUILD/fuzz-regressions.log" 2>&1; then
        tail -40 "$BUILD/fuzz-regressions.log"
        echo "fuzz: a regression input fails (log $BUILD/fuzz-regressions.log)"
        exit 1
    fi
fi

echo "== fuzz: $RUNS executions of $BIN (seeds fuzz/corpus, dict fuzz/session.dict)"
seed=()
[ -n "${FUZZ_SEED:-}" ] && seed=(-seed="$FUZZ_SEED")
start=$(date +%s)
"$BIN" "${COMMON[@]}" "${seed[@]}" -runs="$RUNS" -max_len=8192 -print_final_stats=1 \
    -dict="$ROOT/fuzz/session.dict" "$WORK" "$ROOT/fuzz/corpus" >"$BUILD/fuzz.log" 2>&1
rc=$?
end=$(date +%s)
grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::|^Done' "$BUILD/fuzz.log"
if [ $rc != 0 ]; then
    grep -E 'ERROR|SUMMARY|Test unit written' "$BUILD/fuzz.log" | head -20
    echo "fuzz: FAILED (exit $rc); full log $BUILD/fuzz.log"
    exit 1
fi
echo "fuzz: $RUNS executions in $((end - start)) s, no crash, leak, UB, OOM or timeout"
