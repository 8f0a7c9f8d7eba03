/*
 * tests/client/libpq_extended.c — libpq's extended-protocol API against sluiced:
 * PQprepare with declared parameter types, PQexecPrepared with binary parameters
 * (int8, float8, text, timestamp) and binary results, PQexecParams with text parameters,
 * and PQdescribePrepared. Built and run by libpq_extended.sh; prints ok/FAIL lines.
 */
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

static void
check(const char *name, int cond, const char *detail)
{
    if (cond) {
        passed++;
        printf("ok   %s\n", name);
    } else {
        failed++;
        printf("FAIL %s%s%s\n", name, detail ? ": " : "", detail ? detail : "");
    }
}

static void
be64(char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (char)(v & 0xff);
}

static uint64_t
get64(const char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | (unsigned char)p[i];
    return v;
}

int
main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    PGconn *c = PQconnectdb(argc > 1 ? argv[1] : "");
    if (PQstatus(c) != CONNECTION_OK) {
        printf("FAIL connect: %s\n", PQerrorMessage(c));
        return 1;
    }
    PGresult *r = PQexec(c, "CREATE STREAM s (k TEXT, x BIGINT, d DOUBLE, ts TIMESTAMP); "
                            "CREATE VIEW v AS SELECT k, x, d, ts FROM s");
    check("setup", PQresultStatus(r) == PGRES_COMMAND_OK, PQerrorMessage(c));
    PQclear(r);

    Oid types[4] = {25, 20, 701, 1114};
    r = PQprepare(c, "ins", "INSERT INTO s VALUES ($1, $2, $3, $4)", 4, types);
    check("PQprepare INSERT", PQresultStatus(r) == PGRES_COMMAND_OK, PQerrorMessage(c));
    PQclear(r);
    for (int i = 0; i < 3; i++) {
        char key[8], x[8], d[8], ts[8];
        snprintf(key, sizeof key, "k%d", i);
        be64(x, (uint64_t)(int64_t)(i * 1000000000000LL));
        double dv = i + 0.5;
        uint64_t du;
        memcpy(&du, &dv, 8);
        be64(d, du);
        be64(ts, (uint64_t)(INT64_C(820540800000000) + i)); /* 2026-01-01 + i µs, PG epoch */
        const char *vals[4] = {key, x, d, ts};
        int lens[4] = {(int)strlen(key), 8, 8, 8};
        int fmts[4] = {1, 1, 1, 1};
        r = PQexecPrepared(c, "ins", 4, vals, lens, fmts, 0);
        check("PQexecPrepared INSERT with binary parameters",
              PQresultStatus(r) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(r), "INSERT 0 1") == 0,
              PQerrorMessage(c));
        PQclear(r);
    }

    r = PQprepare(c, "sel", "SELECT k, x, d, ts FROM v WHERE x >= $1 ORDER BY x", 0, NULL);
    check("PQprepare SELECT (parameter type inferred)", PQresultStatus(r) == PGRES_COMMAND_OK,
          PQerrorMessage(c));
    PQclear(r);
    r = PQdescribePrepared(c, "sel");
    check("PQdescribePrepared: $1 is int8, 4 columns",
          PQresultStatus(r) == PGRES_COMMAND_OK && PQnparams(r) == 1 && PQparamtype(r, 0) == 20 &&
              PQnfields(r) == 4 && PQftype(r, 3) == 1114,
          PQerrorMessage(c));
    PQclear(r);
    char one[8];
    be64(one, 1);
    const char *vals[1] = {one};
    int lens[1] = {8}, fmts[1] = {1};
    r = PQexecPrepared(c, "sel", 1, vals, lens, fmts, 1);
    int okr = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 2 && PQfformat(r, 1) == 1;
    if (okr) {
        double d;
        uint64_t du = get64(PQgetvalue(r, 1, 2));
        memcpy(&d, &du, 8);
        okr = strcmp(PQgetvalue(r, 0, 0), "k1") == 0 &&
              (int64_t)get64(PQgetvalue(r, 1, 1)) == 2000000000000LL && d == 2.5 &&
              (int64_t)get64(PQgetvalue(r, 1, 3)) == INT64_C(820540800000002);
    }
    check("PQexecPrepared SELECT: binary results", okr, PQerrorMessage(c));
    PQclear(r);

    const char *tv[2] = {"k0", "k1"};
    r = PQexecParams(c, "SELECT x, ts FROM v WHERE k = $1", 1, NULL, tv, NULL, NULL, 0);
    check("PQexecParams with a text parameter",
          PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
              strcmp(PQgetvalue(r, 0, 0), "0") == 0 &&
              strcmp(PQgetvalue(r, 0, 1), "2026-01-01 00:00:00") == 0,
          PQerrorMessage(c));
    PQclear(r);

    r = PQexecParams(c, "SELECT x FROM v WHERE k = $1", 2, NULL, tv, NULL, NULL, 0);
    check("too many parameters: an error", PQresultStatus(r) == PGRES_FATAL_ERROR, NULL);
    PQclear(r);
    r = PQexec(c, "SELECT 1");
    check("connection usable after the error", PQresultStatus(r) == PGRES_TUPLES_OK, NULL);
    PQclear(r);
    PQfinish(c);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
