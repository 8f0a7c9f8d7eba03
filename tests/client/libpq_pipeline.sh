#!/usr/bin/env bash
# tests/client/libpq_pipeline.sh — builds tests/client/libpq_pipeline.c against libpq and
# runs it: 100,000 INSERTs in libpq pipeline mode.
#
# Run by tests/run_tests.sh, which provides a fresh server in SLUICE_PORT.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${SLUICE_PORT:?SLUICE_PORT not set (run me through tests/run_tests.sh)}"
HOST=${SLUICE_HOST:-127.0.0.1}
tmp=$(mktemp -d /tmp/sluice-libpq.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
if ! cc -std=c11 -Wall -Werror -I/usr/include/postgresql -o "$tmp/libpq_pipeline" \
        "$ROOT/tests/client/libpq_pipeline.c" -lpq; then
    echo "FAIL build libpq_pipeline.c"
    exit 1
fi
timeout -k 2 280 "$tmp/libpq_pipeline" "host=$HOST port=$SLUICE_PORT user=sluice dbname=sluice"
