#!/usr/bin/python3
"""tests/client/catalog_fuzz.py — hostile catalog queries: real client catalog queries
(psql, JDBC, pgcli, psycopg) mutated at random (seeded, so reproducible) — tokens dropped,
duplicated, swapped, brackets and quotes inserted, text truncated — sent through the simple
and the extended protocol. Every statement must either succeed or fail with an
ErrorResponse carrying a SQLSTATE, on a connection that stays usable; the server must stay
up (under ASan the harness also fails the test on any sanitizer report in the server log).

Environment: SLUICE_HOST, SLUICE_PORT (from tests/run_tests.sh); FUZZ_ITERATIONS (default 1500).
"""
import os
import random
import re
import sys

import psycopg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from pyclient import bad, check, dsn as harness_dsn, ok, run, summary  # noqa: E402

SEEDS = [
    "SELECT n.nspname as \"Schema\", c.relname as \"Name\", CASE c.relkind WHEN 'r' THEN 'table' "
    "WHEN 'v' THEN 'view' END as \"Type\", pg_catalog.pg_get_userbyid(c.relowner) as \"Owner\" "
    "FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r','p','v','m','S','f','') AND n.nspname !~ '^pg_toast' "
    "AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 1,2",
    "SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c LEFT JOIN "
    "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname OPERATOR(pg_catalog.~) "
    "'^(t)$' COLLATE pg_catalog.default AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 2, 3",
    "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), (SELECT "
    "pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) FROM pg_catalog.pg_attrdef d WHERE "
    "d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef), a.attnotnull FROM "
    "pg_catalog.pg_attribute a WHERE a.attrelid = 't'::regclass AND a.attnum > 0 ORDER BY a.attnum",
    "SELECT typname AS name, oid, typarray AS array_oid, oid::regtype::text AS regtype, typdelim "
    "AS delimiter FROM pg_type t WHERE t.oid = 'int8'::regtype ORDER BY t.oid",
    "SELECT nsp.nspname schema_name, p.proname func_name, COALESCE(proallargtypes::regtype[], "
    "proargtypes::regtype[])::text[], prorettype::regtype::text return_type FROM "
    "pg_catalog.pg_proc p INNER JOIN pg_catalog.pg_namespace nsp ON nsp.oid = p.pronamespace "
    "WHERE p.prorettype::regtype != 'trigger'::regtype ORDER BY 1, 2",
    "SELECT * FROM (SELECT n.nspname,c.relname,a.attname,row_number() OVER (PARTITION BY "
    "a.attrelid ORDER BY a.attnum) AS attnum FROM pg_catalog.pg_namespace n JOIN "
    "pg_catalog.pg_class c ON (c.relnamespace = n.oid) JOIN pg_catalog.pg_attribute a ON "
    "(a.attrelid=c.oid) WHERE c.relkind in ('r','v') AND c.relname LIKE 't%') c "
    "WHERE true ORDER BY nspname,c.relname,attnum",
    "SELECT array_to_string(ARRAY['a', E'b\\n', NULL], ','), (current_schemas(true))[1], "
    "x FROM unnest('{1,2,3}'::int4[]) x WHERE x = ANY(ARRAY[1, 3])",
    "SELECT s.r, trim(both '\"' from 'x') FROM generate_series(1, 5) AS s(r) WHERE "
    "s.r IS DISTINCT FROM 2",
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'",
    "SELECT version(), current_setting('server_version_num')::int4, $$a'b$$",
]

JUNK = ["(", ")", "[", "]", "'", "\"", "::", "::regclass", "::text[]", "ANY(", "ARRAY[", "$1",
        "E'\\", "OPERATOR(", "COLLATE", ",", ";", "--", "/*", "$$", "CASE", "END", "(SELECT",
        "pg_catalog.", ".", "~", "!~*", "NULL", "'{a,\"b'", "unnest(", "AS", "[1:2]", "\\"]


def mutate(rng, q):
    toks = re.findall(r"\w+|'[^']*'|\"[^\"]*\"|::|\S", q)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        i = rng.randrange(len(toks)) if toks else 0
        if op == 0 and toks:
            del toks[i]
        elif op == 1 and toks:
            toks.insert(i, toks[rng.randrange(len(toks))])
        elif op == 2 and len(toks) > 1:
            j = rng.randrange(len(toks))
            toks[i], toks[j] = toks[j], toks[i]
        elif op == 3:
            toks.insert(i, rng.choice(JUNK))
        elif op == 4:
            toks = toks[:i]
        else:
            toks.insert(i, "(" * rng.randint(1, 300))
    return " ".join(toks)


FUNCS = {"format_type": 2, "pg_get_userbyid": 1, "pg_table_is_visible": 1, "array_to_string": 3,
         "pg_get_expr": 2, "split_part": 3, "quote_ident": 1, "pg_size_pretty": 1,
         "pg_table_size": 1, "current_setting": 2, "pg_encoding_to_char": 1, "col_description": 2,
         "obj_description": 1, "pg_get_viewdef": 1, "array_upper": 2, "to_regclass": 1,
         "to_regtype": 1, "current_schemas": 1, "has_table_privilege": 2}
ARGS = ["NULL", "0", "-1", "16384", "9223372036854775807", "''", "'{'", "'{a,\"b\",NULL}'",
        "'{{1,2},{3,4}}'", "'[1:2]={x,y}'", "'pg_class'", "'\"Weird\".\"x'", "'('", "1.5e308",
        "'%'", "ARRAY['a']", "'a b c'", "x'00ff'"]


def call_fuzz(conn, rng, n):
    done = 0
    for it in range(n):
        fn = rng.choice(sorted(FUNCS))
        args = ", ".join(rng.choice(ARGS) for _ in range(FUNCS[fn]))
        q = "SELECT %s(%s), x::regtype::text, y[2] FROM (SELECT 20 AS x, %s AS y) s" % (
            fn, args, rng.choice(ARGS))
        try:
            conn.execute(q).fetchall()
        except psycopg.Error as e:
            if conn.closed or conn.broken or not (e.sqlstate and len(e.sqlstate) == 5):
                bad("catalog function call broke the connection: %s" % e, q)
                return False
        done += 1
    ok("%d catalog function calls with hostile arguments" % done)
    return True


def main():
    dsn = harness_dsn()
    if dsn is None:
        return 2
    n = int(os.environ.get("FUZZ_ITERATIONS", "1500"))
    rng = random.Random(6)
    conn = psycopg.connect(autocommit=True, **dsn)
    conn.execute("CREATE STREAM t (a BIGINT, b TEXT)")
    succeeded = failed_ok = 0
    for it in range(n):
        q = mutate(rng, rng.choice(SEEDS))
        extended = it % 3 == 0
        try:
            cur = conn.cursor()
            if extended:
                cur.execute(q.encode(), prepare=True)
            else:
                cur.execute(psycopg.sql.SQL(q.replace("{", "{{").replace("}", "}}")))
            if cur.description is not None:
                cur.fetchall()
            succeeded += 1
        except psycopg.Error as e:
            if conn.closed or conn.broken:
                bad("connection lost at iteration %d" % it, q[:500])
                return summary()
            if not (e.sqlstate and len(e.sqlstate) == 5):
                bad("error without SQLSTATE at iteration %d: %s" % (it, e), q[:500])
                return summary()
            failed_ok += 1
        except (ValueError, IndexError, KeyError, TypeError, UnicodeError):
            failed_ok += 1  # the driver itself refused to send or decode it
    call_fuzz(conn, rng, max(200, n // 3))
    ok("%d mutated catalog queries: %d ran, %d refused with a SQLSTATE, connection usable"
       % (n, succeeded, failed_ok))
    check("server answers after the fuzzing", [(1,)], conn.execute("SELECT 1").fetchall())
    check("the catalog still describes t", [("a",), ("b",)],
          conn.execute("SELECT attname FROM pg_attribute WHERE attrelid = 't'::regclass "
                       "ORDER BY attnum").fetchall())
    return summary()


if __name__ == "__main__":
    run(main)
