#!/usr/bin/python3
"""tests/sink/errors.py — PostgreSQL sinks when things go wrong (issue 5, RELIABILITY S-09, K-04).

Brings its own PostgreSQL (sinklib.PgCluster) and, besides the harness's sluiced (SLUICE_PORT),
sluiced instances of its own (crashlib.Server) where it must read the log, restart the server or
run two of them.

  1. CREATE SINK errors: each with its SQLSTATE; IF NOT EXISTS skips with a notice
  2. permanent failures (type mismatch 42804, missing table 42P01, missing column 42703) stop
     only that sink, visibly; another sink of the same view and ingest go on
  3. retryable failures (42501 until GRANT, 23514 until the CHECK is dropped, a target that is
     down) show "retrying: <message> (SQLSTATE x)" and recover with every row; ingest goes on
     meanwhile; a role with only DML rights (no CREATE on the schema) can deliver
  4. the conninfo password never shows in SHOW / DESCRIBE / errors / the server log / the data
     directory (but catalog.dat); every file there is 0600 (S-14)
  5. identifiers are quoted: a table or column name carrying SQL creates exactly that object;
     case is kept; 10,000-byte and non-UTF-8 names are rejected (S-09)
  6. DROP: dependents (2BP01), CASCADE, IF EXISTS, wrong kind (42809), the target session ends
  7. zombie fencing: the same sink name from two servers; the later incarnation wins
  8. a restart keeps the sink, which resumes without duplicates

Prints "ok ..." / "FAIL ..." lines and "N passed, M failed"; exits non-zero on a failure.
"""
import os
import shutil
import stat
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import sinklib  # noqa: E402
from sinklib import Checks, PgCluster, show_sinks, sluice_dsn, wait_sinks  # noqa: E402
import crashlib  # noqa: E402  (sinklib put it on the path)

import psycopg  # noqa: E402
from psycopg import sql as pgsql  # noqa: E402

BUILD = os.environ.get("SLUICE_BUILD") or crashlib.build_dir(sys.argv)
SECRET = "Sekr1tPa55"
C = Checks()

STREAM_DDL = ("CREATE STREAM ev (sym TEXT, v BIGINT, ts TIMESTAMP, "
              "WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)")


# ---------------------------------------------------------------------------------- helpers

def connect(port):
    c = psycopg.connect(**sluice_dsn(port))
    # psycopg prepares a statement run 5 times and then sends DEALLOCATE ALL after any DROP,
    # which sluice does not know: keep every statement unprepared
    c.prepare_threshold = None
    c.notices = []
    c.add_notice_handler(lambda d: c.notices.append(d.message_primary or ""))
    return c


def expect_error(conn, name, sql, sqlstate, contains=None):
    """The statement fails with `sqlstate` (and its message mentions `contains`)."""
    try:
        conn.execute(sql)
    except psycopg.Error as e:
        got = e.sqlstate
        msg = (e.diag.message_primary or "") + " " + (e.diag.message_detail or "")
        if got != sqlstate:
            C.bad(name, "want SQLSTATE %s, got %s: %s" % (sqlstate, got, msg))
        elif contains and contains not in msg:
            C.bad(name, "SQLSTATE %s, but the message lacks %r: %s" % (got, contains, msg))
        else:
            C.ok("%s (%s)" % (name, got))
        return e
    C.bad(name, "no error (want SQLSTATE %s)" % sqlstate)
    return None


def sink_row(conn, name):
    for r in show_sinks(conn):
        if r["name"] == name:
            return r
    return None


def wait_state(conn, name, pred, timeout=20.0):
    """Poll SHOW SINKS until pred(row) holds; returns (row, held)."""
    deadline = time.time() + timeout
    row = None
    while time.time() < deadline:
        row = sink_row(conn, name)
        if row is not None and pred(row):
            return row, True
        time.sleep(0.05)
    return row, False


def state_starts(prefix, *needles):
    return lambda r: r["state"].startswith(prefix) and all(n in r["state"] for n in needles)


CLOCK = [0]


def ins(conn, rows):
    """INSERT INTO ev; each call is one epoch of the views on ev. Rows are (sym, v, 'HH:MM:SS')
    or (sym, v): those get the next second of a clock that only moves forward, so no row is
    late for the stream's watermark."""
    def ts(r):
        if len(r) == 3:
            return r
        CLOCK[0] += 1
        t = CLOCK[0]
        return (r[0], r[1], "%02d:%02d:%02d" % (t // 3600, t // 60 % 60, t % 60))
    vals = ", ".join("('%s', %d, TIMESTAMP '2026-01-01 %s')" % ts(r) for r in rows)
    conn.execute("INSERT INTO ev VALUES " + vals)


def timed_insert(conn, rows):
    t0 = time.time()
    ins(conn, rows)
    return time.time() - t0


def pg_rows(pg, table, cols="sym, v"):
    q = pgsql.SQL("SELECT {} FROM {}").format(pgsql.SQL(cols), pgsql.Identifier(table))
    with pg.connect() as c:
        return sorted(tuple(r) for r in c.execute(q).fetchall())


def wait_pg_rows(pg, table, want, timeout=20.0, cols="sym, v"):
    deadline = time.time() + timeout
    got = None
    while time.time() < deadline:
        try:
            got = pg_rows(pg, table, cols)
        except psycopg.Error as e:
            got = "error: %s" % e
        if got == want:
            return got
        time.sleep(0.1)
    return got


def view_rows(conn, view, cols="sym, v"):
    return sorted(tuple(r) for r in conn.execute("SELECT %s FROM %s" % (cols, view)).fetchall())


def sink_sessions(pg, app="sluice sink"):
    return pg.query("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                    (app,))[0][0]


def wait_sessions(pg, want, timeout=15.0, app="sluice sink"):
    deadline = time.time() + timeout
    n = None
    while time.time() < deadline:
        n = sink_sessions(pg, app)
        if n == want:
            return n
        time.sleep(0.05)
    return n


def drop_sinks(conn, *names):
    for n in names:
        conn.execute("DROP SINK IF EXISTS %s" % n)


def free_port():
    return sinklib.free_port()


SERVERS = []


def own_server(data, log):
    """A sluiced of this test's own (killed at the end if a case left it running)."""
    srv = crashlib.Server(BUILD, data, log)
    SERVERS.append(srv)
    return srv


# ---------------------------------------------------------------------------------- 1. DDL errors

def case_create_errors(conn, pg):
    print("-- 1. CREATE SINK errors")
    ci = pg.conninfo()
    tgt = "INTO POSTGRES (conninfo '%s', table 'e1')" % ci
    conn.execute("CREATE VIEW e_u AS SELECT sym, count(*) AS n FROM ev GROUP BY sym EMIT UPDATE")
    conn.execute("CREATE VIEW e_c AS SELECT sym, count(*) AS n FROM ev GROUP BY sym "
                 "EMIT COMPLETE")
    conn.execute("CREATE VIEW e_p AS SELECT sym, v FROM ev")
    expect_error(conn, "unknown view", "CREATE SINK s1 FROM nosuch " + tgt, "42P01", "nosuch")
    expect_error(conn, "FROM a stream", "CREATE SINK s1 FROM ev " + tgt, "42809")
    expect_error(conn, "connector other than POSTGRES",
                 "CREATE SINK s1 FROM e_p INTO KAFKA (conninfo '%s', table 'e1')" % ci, "0A000")
    expect_error(conn, "missing conninfo",
                 "CREATE SINK s1 FROM e_p INTO POSTGRES (table 'e1')", "22023", "conninfo")
    expect_error(conn, "missing table",
                 "CREATE SINK s1 FROM e_p INTO POSTGRES (conninfo '%s')" % ci, "22023", "table")
    expect_error(conn, "unknown target option",
                 "CREATE SINK s1 FROM e_p INTO POSTGRES (conninfo '%s', table 'e1', "
                 "schema 'x')" % ci, "22023", "schema")
    expect_error(conn, "unknown WITH option",
                 "CREATE SINK s1 FROM e_p %s WITH (colour = 'red')" % tgt, "22023", "colour")
    expect_error(conn, "bad option value batch_rows = 0",
                 "CREATE SINK s1 FROM e_p %s WITH (batch_rows = 0)" % tgt, "22023", "batch_rows")
    expect_error(conn, "bad option value create_table = maybe",
                 "CREATE SINK s1 FROM e_p %s WITH (create_table = 'maybe')" % tgt, "22023")
    expect_error(conn, "bad option value backlog_limit = 1kB",
                 "CREATE SINK s1 FROM e_p %s WITH (backlog_limit = '1kB')" % tgt, "22023")
    expect_error(conn, "unparsable conninfo 'host'",
                 "CREATE SINK s1 FROM e_p INTO POSTGRES (conninfo 'host', table 'e1')", "22023")
    expect_error(conn, "APPEND sink on an EMIT UPDATE aggregate",
                 "CREATE SINK s1 FROM e_u " + tgt + " EMIT APPEND", "0A000")
    expect_error(conn, "UPDATE sink on an EMIT COMPLETE view",
                 "CREATE SINK s1 FROM e_c " + tgt + " EMIT UPDATE", "0A000")
    expect_error(conn, "COMPLETE sink on a non-aggregating view",
                 "CREATE SINK s1 FROM e_p " + tgt + " EMIT COMPLETE", "0A000")
    expect_error(conn, "UPDATE sink on a non-aggregating view without KEY",
                 "CREATE SINK s1 FROM e_p " + tgt + " EMIT UPDATE", "42P10")
    expect_error(conn, "KEY with an unknown column",
                 "CREATE SINK s1 FROM e_p " + tgt + " EMIT UPDATE KEY (nosuchcol)", "42703",
                 "nosuchcol")
    C.check("no sink was left behind by the failed CREATEs", [], show_sinks(conn))
    conn.execute("CREATE SINK s1 FROM e_p " + tgt + " WITH (create_table = true)")
    expect_error(conn, "duplicate sink name", "CREATE SINK s1 FROM e_p " + tgt, "42P07", "s1")
    expect_error(conn, "sink name taken by a view", "CREATE SINK e_p FROM e_p " + tgt, "42P07")
    conn.notices.clear()
    try:
        conn.execute("CREATE SINK IF NOT EXISTS s1 FROM e_u " + tgt)
        C.true("IF NOT EXISTS skips with a notice",
               any("s1" in n and "exist" in n for n in conn.notices), conn.notices)
    except psycopg.Error as e:
        C.bad("IF NOT EXISTS skips with a notice", "error %s: %s" % (e.sqlstate, e))
    rows = [r for r in show_sinks(conn) if r["name"] == "s1"]
    C.true("IF NOT EXISTS kept the first definition (view e_p)",
           len(rows) == 1 and rows[0]["view"] == "e_p", rows)
    drop_sinks(conn, "s1")
    for v in ("e_u", "e_c", "e_p"):
        conn.execute("DROP VIEW %s" % v)


# ---------------------------------------------------------------------------------- 2. permanent

def case_permanent(conn, pg):
    print("-- 2. permanent failures stop only that sink")
    ci = pg.conninfo()
    pg.execute("CREATE TABLE p_badtype (sym text, v text)")
    pg.execute("CREATE TABLE p_nocol (sym text)")
    conn.execute("CREATE VIEW p2 AS SELECT sym, v FROM ev")
    conn.execute("CREATE SINK p2_bad FROM p2 INTO POSTGRES (conninfo '%s', table 'p_badtype')"
                 % ci)
    conn.execute("CREATE SINK p2_good FROM p2 INTO POSTGRES (conninfo '%s', table 'p_good') "
                 "WITH (create_table = true)" % ci)
    conn.execute("CREATE SINK p2_missing FROM p2 INTO POSTGRES (conninfo '%s', "
                 "table 'p_missing')" % ci)
    conn.execute("CREATE SINK p2_nocol FROM p2 INTO POSTGRES (conninfo '%s', table 'p_nocol')"
                 % ci)
    ins(conn, [("a", 1), ("b", 2)])
    row, held = wait_state(conn, "p2_bad", state_starts("failed:", "42804"))
    C.true("wrong column type: state 'failed: ... 42804'", held, row)
    C.true("the failure names the column", held and '"v"' in row["state"], row)
    row, held = wait_state(conn, "p2_missing", state_starts("failed:", "42P01"))
    C.true("missing table without create_table: state 'failed: ... 42P01'", held, row)
    row, held = wait_state(conn, "p2_nocol", state_starts("failed:", "42703"))
    C.true("target missing a column: state 'failed: ... 42703'", held, row)
    # the rest goes on: ingest, and the other sink of the same view
    dt = timed_insert(conn, [("c", 3)])
    C.true("INSERT into the stream still succeeds promptly (%.2fs)" % dt, dt < 5.0)
    ins(conn, [("d", 4)])
    want = view_rows(conn, "p2")
    C.check("the view holds the four rows", 4, len(want))
    try:
        wait_sinks(conn, 20.0, names=["p2_good"])
        C.ok("the second sink of the same view keeps running")
    except TimeoutError as e:
        C.bad("the second sink of the same view keeps running", e)
    C.check("the second sink's table has every row of the view", want,
            wait_pg_rows(pg, "p_good", want))
    C.check("the failed sink wrote nothing", [], pg_rows(pg, "p_badtype"))
    time.sleep(0.5)
    row = sink_row(conn, "p2_bad")
    C.true("a failed sink stays failed (no retry)", row["state"].startswith("failed:"), row)
    C.check("a failed sink has written no rows", 0, row["rows_written"])
    st = dict(conn.execute("SHOW p2_bad STATUS").fetchall())
    C.true("SHOW sink STATUS shows the failure", st.get("state", "").startswith("failed:")
           and "42804" in st.get("state", ""), st)
    drop_sinks(conn, "p2_bad", "p2_good", "p2_missing", "p2_nocol")
    conn.execute("DROP VIEW p2")


# ---------------------------------------------------------------------------------- 3. retryable

def case_retry(conn, pg):
    print("-- 3. retryable failures recover without losing rows")
    # (a) permission denied, then GRANT
    pg.execute("DROP ROLE IF EXISTS sinkwriter")
    pg.execute("CREATE ROLE sinkwriter LOGIN")
    pg.execute("CREATE TABLE r_perm (sym text, v bigint)")
    pg.execute("GRANT SELECT ON r_perm TO sinkwriter")
    # everything else the sink needs: the progress table (made here, as postgres) and the
    # right to run its CREATE TABLE IF NOT EXISTS in schema public
    pg.execute("CREATE TABLE IF NOT EXISTS sluice_sink_progress (sink text PRIMARY KEY, "
               "incarnation bigint NOT NULL, epoch bigint NOT NULL, "
               "updated_at timestamptz NOT NULL DEFAULT now())")
    pg.execute("GRANT SELECT, INSERT, UPDATE ON sluice_sink_progress TO sinkwriter")
    pg.execute("GRANT CREATE ON SCHEMA public TO sinkwriter")
    conn.execute("CREATE VIEW r_a AS SELECT sym, v FROM ev")
    conn.execute("CREATE SINK r_perm FROM r_a INTO POSTGRES (conninfo '%s', table 'r_perm') "
                 "WITH (retry_max = '1 second')" % pg.conninfo(user="sinkwriter"))
    # (b) a CHECK constraint the rows violate, then DROP CONSTRAINT
    pg.execute("CREATE TABLE r_check (sym text, v bigint CONSTRAINT v_negative CHECK (v < 0))")
    conn.execute("CREATE VIEW r_b AS SELECT sym, v FROM ev")
    conn.execute("CREATE SINK r_check FROM r_b INTO POSTGRES (conninfo '%s', table 'r_check') "
                 "WITH (retry_max = '1 second')" % pg.conninfo())
    # (c) nothing listens at the target
    dead = free_port()
    conn.execute("CREATE VIEW r_c AS SELECT sym, v FROM ev")
    conn.execute("CREATE SINK r_down FROM r_c INTO POSTGRES (conninfo 'host=127.0.0.1 port=%d "
                 "dbname=postgres user=postgres connect_timeout=2', table 'r_down') "
                 "WITH (create_table = true, retry_max = '1 second')" % dead)

    ins(conn, [("a", 10), ("b", 20)])
    ins(conn, [("c", 30)])
    row, held = wait_state(conn, "r_perm", state_starts("retrying:", "42501"))
    C.true("no INSERT privilege: state 'retrying: ... 42501'", held, row)
    row, held = wait_state(conn, "r_check", state_starts("retrying:", "23514"))
    C.true("CHECK violation: state 'retrying: ... 23514'", held, row)
    # the reason is PostgreSQL's message, not libpq's whole report: no "ERROR:  " prefix, no
    # DETAIL with the failing row's values (which would also go to the server log)
    C.true("the reason is the primary message (no 'ERROR:' prefix, no row values)",
           held and "ERROR:" not in row["state"] and "Failing row" not in row["state"], row)
    row, held = wait_state(conn, "r_down", state_starts("retrying:"))
    C.true("target down: state 'retrying: ...'", held, row)
    dt = timed_insert(conn, [("d", 40)])
    C.true("ingest goes on while sinks retry (INSERT took %.2fs)" % dt, dt < 5.0)
    C.check("nothing reached the table without INSERT privilege", [], pg_rows(pg, "r_perm"))
    C.check("nothing reached the table with the CHECK", [], pg_rows(pg, "r_check"))
    # still retrying after a while (not given up)
    time.sleep(1.5)
    for n, code in (("r_perm", "42501"), ("r_check", "23514")):
        row = sink_row(conn, n)
        C.true("%s is still retrying (not failed) after 1.5 s" % n,
               row["state"].startswith("retrying:") and code in row["state"]
               or row["state"].startswith("connecting"), row)

    pg.execute("GRANT INSERT ON r_perm TO sinkwriter")
    t0 = time.time()
    row, held = wait_state(conn, "r_perm", lambda r: r["state"] == "running"
                           and r["lag_epochs"] == 0, timeout=15)
    C.true("after GRANT the sink runs again (%.1fs)" % (time.time() - t0), held, row)
    want = view_rows(conn, "r_a")
    C.check("after GRANT every row of the view is in the table", want,
            wait_pg_rows(pg, "r_perm", want))

    pg.execute("ALTER TABLE r_check DROP CONSTRAINT v_negative")
    t0 = time.time()
    row, held = wait_state(conn, "r_check", lambda r: r["state"] == "running"
                           and r["lag_epochs"] == 0, timeout=15)
    C.true("after DROP CONSTRAINT the sink runs again (%.1fs)" % (time.time() - t0), held, row)
    want = view_rows(conn, "r_b")
    C.check("after DROP CONSTRAINT every row of the view is in the table", want,
            wait_pg_rows(pg, "r_check", want))
    C.check("the view had all four inserts", 4, len(want))

    row = sink_row(conn, "r_down")
    C.true("the sink to a dead target is still retrying", row["state"].startswith("retrying:"),
           row)
    C.true("its lag grows with the view (lag %s)" % row["lag_epochs"], row["lag_epochs"] >= 3, row)
    drop_sinks(conn, "r_perm", "r_check", "r_down")
    for v in ("r_a", "r_b", "r_c"):
        conn.execute("DROP VIEW %s" % v)

    # (d) least privilege: INSERT on the target and the rights on an existing progress table,
    # but no CREATE on the schema (the usual grant for an application role)
    pg.execute("DROP ROLE IF EXISTS sinkdml")
    pg.execute("CREATE ROLE sinkdml LOGIN")
    pg.execute("CREATE TABLE r_dml (sym text, v bigint)")
    pg.execute("GRANT SELECT, INSERT ON r_dml TO sinkdml")
    pg.execute("GRANT SELECT, INSERT, UPDATE ON sluice_sink_progress TO sinkdml")
    conn.execute("CREATE VIEW r_d AS SELECT sym, v FROM ev")
    conn.execute("CREATE SINK r_dml FROM r_d INTO POSTGRES (conninfo '%s', table 'r_dml') "
                 "WITH (retry_max = '1 second')" % pg.conninfo(user="sinkdml"))
    ins(conn, [("e", 50)])
    row, held = wait_state(conn, "r_dml", lambda r: r["state"] == "running"
                           and r["lag_epochs"] == 0, timeout=10)
    C.true("a role with INSERT on the target and rights on sluice_sink_progress, but no "
           "CREATE on the schema, delivers", held, row)
    want = view_rows(conn, "r_d")
    C.check("... and its table gets the rows", want, wait_pg_rows(pg, "r_dml", want, timeout=3))
    drop_sinks(conn, "r_dml")
    conn.execute("DROP VIEW r_d")


# ---------------------------------------------------------------------------------- 5. identifiers

def case_identifiers(conn, pg):
    print("-- 5. identifier quoting (S-09)")
    pg.execute("CREATE TABLE victim (x int)")
    pg.execute("INSERT INTO victim VALUES (42)")
    evil = 'a"; DROP TABLE victim; --'
    conn.execute("CREATE VIEW i5 AS SELECT sym, v FROM ev")
    conn.execute("CREATE SINK i5_evil FROM i5 INTO POSTGRES (conninfo '%s', table '%s') "
                 "WITH (create_table = true)" % (pg.conninfo(), evil.replace("'", "''")))
    conn.execute("CREATE SINK i5_case FROM i5 INTO POSTGRES (conninfo '%s', table 'MixedCase') "
                 "WITH (create_table = true)" % pg.conninfo())
    ins(conn, [("x", 7), ("y", 8)])
    try:
        wait_sinks(conn, 20.0, names=["i5_evil", "i5_case"])
        C.ok("both sinks deliver")
    except TimeoutError as e:
        C.bad("both sinks deliver", e)
    want = view_rows(conn, "i5")
    names = [r[0] for r in pg.query("SELECT relname FROM pg_class WHERE relkind = 'r' AND "
                                    "relnamespace = 'public'::regnamespace")]
    C.true("a table named exactly %r exists" % evil, evil in names, names)
    C.check("it holds the view's rows", want, wait_pg_rows(pg, evil, want))
    C.check("table victim still exists with its row", [(42,)], pg.query("SELECT x FROM victim"))
    C.true("'MixedCase' is created as \"MixedCase\"", "MixedCase" in names
           and "mixedcase" not in names, names)
    C.check("\"MixedCase\" holds the rows", want, wait_pg_rows(pg, "MixedCase", want))
    drop_sinks(conn, "i5_evil", "i5_case")
    conn.execute("DROP VIEW i5")

    # a column name carrying SQL (a quoted alias in the view)
    evil_col = 'x"; DROP TABLE victim; --'
    conn.execute('CREATE VIEW i5c AS SELECT sym AS "x""; DROP TABLE victim; --", v FROM ev')
    conn.execute("CREATE SINK i5_col FROM i5c INTO POSTGRES (conninfo '%s', table 'i5_col') "
                 "WITH (create_table = true)" % pg.conninfo())
    ins(conn, [("z", 9)])
    try:
        wait_sinks(conn, 20.0, names=["i5_col"])
        C.ok("a sink of a view whose column name carries SQL delivers")
    except TimeoutError as e:
        C.bad("a sink of a view whose column name carries SQL delivers", e)
    cols = [r[0] for r in pg.query("SELECT attname FROM pg_attribute WHERE attrelid = "
                                   "'public.i5_col'::regclass AND attnum > 0 ORDER BY attnum")]
    C.check("the target's columns are named exactly as the view's", [evil_col, "v"], cols)
    C.check("table victim still exists", [(42,)], pg.query("SELECT x FROM victim"))
    C.check("the column holds the rows", [("z", 9)],
            wait_pg_rows(pg, "i5_col", [("z", 9)], cols='"x""; DROP TABLE victim; --", v'))
    drop_sinks(conn, "i5_col")
    conn.execute("DROP VIEW i5c")

    # names of 10,000 bytes, and names that are not UTF-8
    conn.execute("CREATE VIEW i5d AS SELECT sym, v FROM ev")
    expect_error(conn, "a table name of 10,000 bytes is rejected",
                 "CREATE SINK i5_long FROM i5d INTO POSTGRES (conninfo '%s', table '%s') "
                 "WITH (create_table = true)" % (pg.conninfo(), "x" * 10000), "42602")
    w = crashlib.Wire(int(os.environ["SLUICE_PORT"]))
    raw = ("CREATE SINK i5_utf8 FROM i5d INTO POSTGRES (conninfo '%s', table 'bad" % pg.conninfo()
           ).encode() + b"\xff\xfe" + b"name') WITH (create_table = true)"
    err = None
    try:
        w.sock.sendall(b"Q" + len(raw + b"\0").__add__(4).to_bytes(4, "big") + raw + b"\0")
        while True:
            t, m = w.read_msg()
            if t == b"E":
                err = crashlib.parse_fields(m)
            if t == b"Z":
                break
    finally:
        w.close()
    C.true("a table name that is not UTF-8 is rejected by CREATE SINK (S-09)", err is not None,
           "CREATE SINK succeeded")
    try:
        n = len(show_sinks(conn))
        C.true("SHOW SINKS still decodes as UTF-8 (%d sinks)" % n, True)
    except Exception as e:  # noqa: BLE001 — a decoding error is the failure being checked
        C.bad("SHOW SINKS still decodes as UTF-8", "%s: %s" % (type(e).__name__, e))
    bad = [r[0] for r in pg.query("SELECT relname FROM pg_class WHERE relname LIKE 'bad%%'")]
    C.check("no table was created for the non-UTF-8 name", [], bad)
    drop_sinks(conn, "i5_utf8")
    conn.execute("DROP VIEW i5d")


# ---------------------------------------------------------------------------------- 6. DROP

def case_drop(conn, pg):
    print("-- 6. DROP")
    C.check("no sink sessions left from the earlier cases", 0, wait_sessions(pg, 0))
    conn.execute("CREATE VIEW d6 AS SELECT sym, v FROM ev")
    conn.execute("CREATE SINK d6_a FROM d6 INTO POSTGRES (conninfo '%s', table 'd6_a') "
                 "WITH (create_table = true)" % pg.conninfo())
    conn.execute("CREATE SINK d6_b FROM d6 INTO POSTGRES (conninfo '%s', table 'd6_b') "
                 "WITH (create_table = true)" % pg.conninfo())
    ins(conn, [("q", 1)])
    try:
        wait_sinks(conn, 20.0, names=["d6_a", "d6_b"])
        C.ok("two sinks of view d6 run")
    except TimeoutError as e:
        C.bad("two sinks of view d6 run", e)
    C.check("two sink sessions in pg_stat_activity", 2, wait_sessions(pg, 2))
    e = expect_error(conn, "DROP VIEW with a sink", "DROP VIEW d6", "2BP01")
    if e is not None:
        text = (e.diag.message_primary or "") + " " + (e.diag.message_detail or "")
        C.true("the error names a dependent sink", "sink d6_a" in text or "sink d6_b" in text,
               text)
    expect_error(conn, "DROP SINK on a view name", "DROP SINK d6", "42809")
    expect_error(conn, "DROP VIEW on a sink name", "DROP VIEW d6_a", "42809")
    expect_error(conn, "DROP SINK of a missing sink", "DROP SINK nosuchsink", "42P01")
    conn.notices.clear()
    conn.execute("DROP SINK IF EXISTS nosuchsink")
    C.true("DROP SINK IF EXISTS of a missing sink: a notice",
           any("nosuchsink" in n for n in conn.notices), conn.notices)

    conn.execute("DROP SINK d6_b")
    C.true("DROP SINK: SHOW SINKS no longer lists it", sink_row(conn, "d6_b") is None,
           show_sinks(conn))
    C.check("DROP SINK: its PostgreSQL session is gone", 1, wait_sessions(pg, 1))
    dt = timed_insert(conn, [("q", 2)])
    C.true("the server keeps running after DROP SINK", dt < 5.0)
    try:
        wait_sinks(conn, 20.0, names=["d6_a"])
        C.ok("the other sink goes on")
    except TimeoutError as e:
        C.bad("the other sink goes on", e)

    conn.notices.clear()
    try:
        conn.execute("DROP VIEW d6 CASCADE")
        C.true("DROP VIEW ... CASCADE: notice 'drop cascades to sink d6_a'",
               any(n == "drop cascades to sink d6_a" for n in conn.notices), conn.notices)
    except psycopg.Error as e:
        C.bad("DROP VIEW ... CASCADE", e)
    C.check("after CASCADE SHOW SINKS lists no sink", [], show_sinks(conn))
    C.check("after CASCADE no sink session is left", 0, wait_sessions(pg, 0))
    dt = timed_insert(conn, [("q", 3)])
    C.true("the server keeps running after DROP VIEW CASCADE", dt < 5.0)


# ---------------------------------------------------------------------------------- 4 + 8 (own server)

def secret_free(text):
    return SECRET not in text


def case_secrets_restart(pg, tmp):
    print("-- 4. secrets (own sluiced: its log and data directory)")
    data = os.path.join(tmp, "data_s")
    srv = own_server(data, os.path.join(tmp, "sluiced_s.log"))
    srv.start()
    conn = connect(srv.port)
    conn.execute(STREAM_DDL)
    conn.execute("CREATE VIEW sv AS SELECT sym, v FROM ev")
    conn.execute("CREATE SINK s_kv FROM sv INTO POSTGRES (conninfo '%s', table 's_kv') "
                 "WITH (create_table = true)" % pg.conninfo(extra="password=" + SECRET))
    uri = "postgresql://postgres:%s@127.0.0.1:%d/postgres" % (SECRET, pg.port)
    conn.execute("CREATE SINK s_uri FROM sv INTO POSTGRES (conninfo '%s', table 's_uri') "
                 "WITH (create_table = true)" % uri)
    # error paths: a socket directory that does not exist, a port where nothing listens,
    # a conninfo that does not parse
    conn.execute("CREATE SINK s_badhost FROM sv INTO POSTGRES (conninfo 'host=/nonexistent/dir "
                 "user=postgres password=%s', table 's_bad') WITH (retry_max = '1 second')"
                 % SECRET)
    conn.execute("CREATE SINK s_deadport FROM sv INTO POSTGRES (conninfo 'host=127.0.0.1 "
                 "port=%d password=%s', table 's_bad') WITH (retry_max = '1 second')"
                 % (free_port(), SECRET))
    outputs = []
    try:
        conn.execute("CREATE SINK s_unparsable FROM sv INTO POSTGRES (conninfo 'host=h "
                     "password=%s bogus', table 't')" % SECRET)
        C.bad("an unparsable conninfo with a password is rejected", "accepted")
    except psycopg.Error as e:
        C.check("an unparsable conninfo with a password is rejected", "22023", e.sqlstate)
        outputs.append(("CREATE SINK error (unparsable)", "%s %s %s" % (
            e.diag.message_primary, e.diag.message_detail, e.diag.message_hint)))
    try:
        conn.execute("CREATE SINK s_kv FROM sv INTO POSTGRES (conninfo 'password=%s', "
                     "table 't')" % SECRET)
        C.bad("a duplicate sink with a password is rejected", "accepted")
    except psycopg.Error as e:
        outputs.append(("CREATE SINK error (duplicate)", "%s %s %s" % (
            e.diag.message_primary, e.diag.message_detail, e.diag.message_hint)))
    ins(conn, [("a", 1, "00:00:01"), ("b", 2, "00:00:02")])
    try:
        wait_sinks(conn, 20.0, names=["s_kv", "s_uri"])
        C.ok("sinks with a password in the conninfo (key=value and URI) deliver")
    except TimeoutError as e:
        C.bad("sinks with a password in the conninfo (key=value and URI) deliver", e)
    for n in ("s_badhost", "s_deadport"):
        row, held = wait_state(conn, n, state_starts("retrying:"))
        C.true("%s is retrying" % n, held, row)

    def grab(label, sql):
        try:
            cur = conn.execute(sql)
            outputs.append((label, repr(cur.fetchall()) if cur.description else ""))
        except psycopg.Error as e:
            outputs.append((label, "error %s %s" % (e.sqlstate, e)))
    grab("SHOW SINKS", "SHOW SINKS")
    for n in ("s_kv", "s_uri", "s_badhost", "s_deadport"):
        grab("SHOW %s STATUS" % n, "SHOW %s STATUS" % n)
        grab("DESCRIBE %s" % n, "DESCRIBE %s" % n)
    grab("SHOW QUERIES", "SHOW QUERIES")
    grab("SHOW ALL", "SHOW ALL")
    grab("SHOW VIEWS", "SHOW VIEWS")
    grab("SHOW STREAMS", "SHOW STREAMS")
    grab("SHOW sv STATUS", "SHOW sv STATUS")
    leaks = [label for label, text in outputs if not secret_free(text)]
    C.check("no output shows the password", [], leaks)
    shown = dict((r["name"], r["target"]) for r in show_sinks(conn))
    C.true("SHOW SINKS still shows where each sink delivers",
           "port=%d" % pg.port in shown.get("s_uri", "") and "table=s_uri" in shown["s_uri"]
           and "host=127.0.0.1" in shown.get("s_kv", ""), shown)

    print("-- 8. a restart keeps the sink (own sluiced)")
    conn.execute("CREATE VIEW win AS SELECT sym, window_start, count(*) AS n, sum(v) AS total "
                 "FROM TUMBLE(ev, ts, INTERVAL '10' SECOND) GROUP BY sym, window_start, "
                 "window_end")
    conn.execute("CREATE SINK s_win FROM win INTO POSTGRES (conninfo '%s', table 's_win') "
                 "WITH (create_table = true)" % pg.conninfo())
    ins(conn, [("a", 1, "00:00:01"), ("b", 2, "00:00:02")])
    ins(conn, [("a", 3, "00:00:12")])          # watermark :11 closes [:00,:10) of a and b
    try:
        wait_sinks(conn, 20.0, names=["s_win", "s_kv"])
        C.ok("s_win delivered before the restart")
    except TimeoutError as e:
        C.bad("s_win delivered before the restart", e)
    C.check("two closed windows in the target before the restart", 2,
            pg.query('SELECT count(*) FROM s_win')[0][0])
    kv_before = pg_rows(pg, "s_kv")
    conn.close()
    C.check("sluiced stops cleanly on SIGTERM", 0, srv.stop())
    srv.start()
    conn = connect(srv.port)
    names = sorted(r["name"] for r in show_sinks(conn))
    C.check("SHOW SINKS lists the sinks again after the restart",
            ["s_badhost", "s_deadport", "s_kv", "s_uri", "s_win"], names)
    try:
        wait_sinks(conn, 30.0, names=["s_win", "s_kv", "s_uri"])
        C.ok("the sinks resume after the restart")
    except TimeoutError as e:
        C.bad("the sinks resume after the restart", e)
    C.check("nothing was re-delivered by the restart (s_kv unchanged)", kv_before,
            pg_rows(pg, "s_kv"))
    ins(conn, [("b", 4, "00:00:25")])          # watermark :24 closes [:10,:20) of a
    ins(conn, [("c", 5, "00:00:41")])          # watermark :40 closes [:20,:30) of b
    try:
        wait_sinks(conn, 20.0, names=["s_win", "s_kv"])
        C.ok("the sink delivers new epochs after the restart")
    except TimeoutError as e:
        C.bad("the sink delivers new epochs after the restart", e)
    cnt, distinct = pg.query("SELECT count(*), count(DISTINCT (sym, window_start)) "
                             "FROM s_win")[0]
    C.check("APPEND table count equals the closed windows (4), no duplicate", (4, 4),
            (cnt, distinct))
    C.check("closed windows as expected",
            [("a", 1, 1), ("a", 1, 3), ("b", 1, 2), ("b", 1, 4)],
            sorted(tuple(r) for r in pg.query("SELECT sym, n, total FROM s_win")))
    want = view_rows(conn, "sv")
    C.check("s_kv equals its view after the restart", want, wait_pg_rows(pg, "s_kv", want))
    C.check("s_uri equals its view after the restart", want, wait_pg_rows(pg, "s_uri", want))
    conn.close()
    C.check("sluiced stops cleanly on SIGTERM (2)", 0, srv.stop())

    # the log and the data directory (after a restart: recovery logged too)
    log = srv.log()
    C.true("the server log has sink messages (so it was checked)", "s_deadport" in log
           or "s_badhost" in log, log[-2000:])
    C.true("the server log does not contain the password", secret_free(log),
           [ln for ln in log.splitlines() if SECRET in ln][:5])
    leaky, catmode, scanned, loose = [], None, 0, []
    for root, _dirs, files in os.walk(data):
        for f in files:
            p = os.path.join(root, f)
            scanned += 1
            mode = stat.S_IMODE(os.stat(p).st_mode)
            if mode & 0o077:
                loose.append("%s %o" % (os.path.relpath(p, data), mode))
            if f == "catalog.dat" and root == data:
                catmode = mode
                continue
            with open(p, "rb") as fh:
                if SECRET.encode() in fh.read():
                    leaky.append(os.path.relpath(p, data))
    C.check("catalog.dat is mode 0600", "0o600", oct(catmode) if catmode is not None else None)
    C.true("the data directory has files besides catalog.dat (%d files)" % scanned, scanned > 1)
    C.check("no other file of the data directory contains the password", [], leaky)
    C.check("no file of the data directory is readable by group or others (S-14)", [], loose)


# ---------------------------------------------------------------------------------- 7. fencing

def case_fencing(pg, tmp):
    print("-- 7. zombie fencing (K-04): the same sink from two servers")
    a = own_server(os.path.join(tmp, "data_a"), os.path.join(tmp, "sluiced_a.log"))
    b = own_server(os.path.join(tmp, "data_b"), os.path.join(tmp, "sluiced_b.log"))
    a.start()
    b.start()
    ca, cb = connect(a.port), connect(b.port)
    try:
        sink = ("CREATE SINK zsink FROM zv INTO POSTGRES (conninfo '%s', table 'fence_t') "
                "WITH (create_table = true, retry_max = '1 second')" % pg.conninfo())
        for c in (ca, cb):
            c.execute(STREAM_DDL)
            c.execute("CREATE VIEW zv AS SELECT sym, v FROM ev")
        ca.execute(sink)
        ins(ca, [("a", 1, "00:00:01")])
        try:
            wait_sinks(ca, 20.0)
            C.ok("A's sink delivers")
        except TimeoutError as e:
            C.bad("A's sink delivers", e)
        inc_a, ep_a = pg.query("SELECT incarnation, epoch FROM sluice_sink_progress "
                               "WHERE sink = 'zsink'")[0]
        C.check("the progress row carries A's epoch", 1, ep_a)
        time.sleep(0.01)  # incarnations are creation times
        cb.execute(sink)
        for i in range(3):
            ins(cb, [("b", 10 + i, "00:00:0%d" % (2 + i))])
        try:
            rows = wait_sinks(cb, 20.0)
            C.ok("B's sink (created later) takes over and delivers")
        except TimeoutError as e:
            rows = None
            C.bad("B's sink (created later) takes over and delivers", e)
        inc_b, ep_b = pg.query("SELECT incarnation, epoch FROM sluice_sink_progress "
                               "WHERE sink = 'zsink'")[0]
        C.true("B's incarnation is later than A's", inc_b > inc_a, (inc_a, inc_b))
        C.check("the progress row carries B's epoch", 3, ep_b)
        ins(ca, [("a", 2, "00:00:05")])
        row, held = wait_state(ca, "zsink", state_starts("failed:", "created later"), timeout=20)
        C.true("A's sink ends 'failed: ... created later ...'", held, row)
        ins(cb, [("b", 13, "00:00:06")])
        try:
            wait_sinks(cb, 20.0)
            C.ok("B keeps running")
        except TimeoutError as e:
            C.bad("B keeps running", e)
        inc, ep = pg.query("SELECT incarnation, epoch FROM sluice_sink_progress "
                           "WHERE sink = 'zsink'")[0]
        C.check("the progress row is B's, at B's epoch", (inc_b, 4), (inc, ep))
        C.true("B's committed epoch matches the row", rows is None or
               sink_row(cb, "zsink")["committed_epoch"] == 4, sink_row(cb, "zsink"))
        got = pg_rows(pg, "fence_t")
        C.true("A's row of the later epoch never reached the table", ("a", 2) not in got, got)
        C.true("B's rows all reached the table",
               all(("b", v) in got for v in (10, 11, 12, 13)), got)
    finally:
        ca.close()
        cb.close()
        C.check("A stops cleanly", 0, a.stop())
        C.check("B stops cleanly", 0, b.stop())


# ---------------------------------------------------------------------------------- main

def main():
    port = int(os.environ.get("SLUICE_PORT", "0"))
    if not port:
        print("SLUICE_PORT is not set (run through tests/run_tests.sh)")
        return 2
    tmp = tempfile.mkdtemp(prefix="sluice-sinkerr.")
    pg = PgCluster()
    try:
        pg.start()
        conn = connect(port)
        conn.execute(STREAM_DDL)
        for case in (case_create_errors, case_permanent, case_retry, case_identifiers,
                     case_drop):
            try:
                case(conn, pg)
            except Exception as e:  # a case that breaks is a failure, the others still run
                C.bad("%s raised" % case.__name__, "%s: %s" % (type(e).__name__, e))
        conn.close()
        for case in (case_secrets_restart, case_fencing):
            try:
                case(pg, tmp)
            except Exception as e:
                C.bad("%s raised" % case.__name__, "%s: %s" % (type(e).__name__, e))
    finally:
        for srv in SERVERS:
            srv.kill()
        pg.destroy()
    rc = C.done()
    if rc == 0:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print("(own servers' logs and data kept in %s)" % tmp)
    return rc


if __name__ == "__main__":
    sys.exit(main())
