"""tests/client/lib/pyclient.py — what the Python client tests share: pass/fail bookkeeping
(ok, bad, check, summary), the server address from the harness (dsn), and the entry point
that turns an unexpected driver error into a failure (run).

Not a test itself: tests/run_tests.sh runs tests/client/*.py, not this directory.
"""
import os
import sys

passed = failed = 0


def ok(name):
    global passed
    passed += 1
    print("ok   " + name)


def bad(name, detail=""):
    global failed
    failed += 1
    print("FAIL " + name)
    if detail:
        for line in str(detail).splitlines()[:30]:
            print("     " + line)


def check(name, want, got):
    if want == got:
        ok(name)
    else:
        bad(name, "want %r\n got %r" % (want, got))


def dsn():
    """psycopg connection arguments for the server the harness started, or None (with a
    message) when the script is not run by tests/run_tests.sh."""
    port = os.environ.get("SLUICE_PORT")
    if not port:
        print("SLUICE_PORT not set (run me through tests/run_tests.sh)")
        return None
    return dict(host=os.environ.get("SLUICE_HOST", "127.0.0.1"), port=int(port),
                user="py", dbname="sluice", connect_timeout=10)


def summary():
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def run(main):
    import psycopg
    try:
        sys.exit(main())
    except psycopg.Error as e:
        print("FAIL unexpected %s: %s (SQLSTATE %s)" % (type(e).__name__, e,
                                                       getattr(e, "sqlstate", None)))
        sys.exit(1)
