#!/bin/sh
# tools/install-deps.sh — install the Debian packages sluice needs to build and test.
#
# Quiet when everything is present. As root: `apt-get update` once, then one
# `apt-get install`. Not root: print the exact command to run and exit 1.
# Called by `make deps` (and so by `make test` and `make run`) and by .ci/run.
# POSIX sh: the Makefile runs it with `sh`.
set -eu

BUILD_PKGS="gcc make lemon libpq-dev libreadline-dev libcmocka-dev libssl-dev pkg-config libsqlite3-dev"
TEST_PKGS="postgresql postgresql-client python3-psycopg python3-psycopg2 tmux procps openssl openjdk-17-jdk-headless libpostgresql-jdbc-java pgcli"
# make fuzz / fuzz-quick: clang-14 with libFuzzer and the sanitizer runtimes
FUZZ_PKGS="clang-14 libclang-rt-14-dev"

installed() {   # package name -> 0 when dpkg has it installed
    s=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
    [ "$s" = "install ok installed" ]
}

missing=
for p in $BUILD_PKGS $TEST_PKGS $FUZZ_PKGS; do
    installed "$p" && continue
    # postgresql-client is a metapackage; postgresql-client-15 (what postgresql pulls in)
    # provides the same psql, so do not insist on the metapackage itself.
    if [ "$p" = postgresql-client ] && command -v psql >/dev/null 2>&1 &&
       dpkg-query -W -f='${Status}\n' 'postgresql-client-[0-9]*' 2>/dev/null | grep -q 'install ok installed'; then
        continue
    fi
    missing="$missing $p"
done
# node and npm for tests/client/node_pg.sh: any install that provides both commands will do
# (NodeSource's nodejs bundles npm and conflicts with Debian's npm package).
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ -z "$missing" ] && exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing Debian packages:$missing" >&2
    echo "install-deps: run as root:  apt-get update && $cmd" >&2
    exit 1
fi
echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
