/*
 * tests/client/libpq_pipeline.c — libpq's pipeline mode against sluiced: 100,000 events
 * inserted with PQsendQueryParams (text parameters, the unnamed statement) in pipeline
 * mode, a PQpipelineSync after every batch of BATCH queries, with the next batch sent
 * before the previous one's results are read (so the pipe is never empty). Every result
 * is checked (PGRES_COMMAND_OK, "INSERT 0 1", then PGRES_PIPELINE_SYNC), then the count
 * and the sum are checked with a pull query over an aggregating view and the stream's
 * SHOW ... STATUS. Prints the insert rate. Built and run by libpq_pipeline.sh.
 */
#define _POSIX_C_SOURCE 200809L
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EVENTS 100000
#define BATCH 1000

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

static int
exec_ok(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        printf("     %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    return ok;
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sends queries [from, to) and a Sync. Returns 0, or -1 on a send failure. */
static int
send_batch(PGconn *c, int from, int to)
{
    char k[24], sym[24], px[32];
    const char *vals[3] = {k, sym, px};
    for (int i = from; i < to; i++) {
        snprintf(k, sizeof k, "%d", i);
        snprintf(sym, sizeof sym, "s%d", i % 10);
        snprintf(px, sizeof px, "%d.5", i % 100);
        if (!PQsendQueryParams(c, "INSERT INTO ev (k, sym, px) VALUES ($1, $2, $3)", 3, NULL,
                               vals, NULL, NULL, 0)) {
            printf("     PQsendQueryParams: %s", PQerrorMessage(c));
            return -1;
        }
    }
    if (!PQpipelineSync(c)) {
        printf("     PQpipelineSync: %s", PQerrorMessage(c));
        return -1;
    }
    return 0;
}

/* Reads the results of n queries and their Sync. Counts the good ones into *good. */
static int
read_batch(PGconn *c, int n, long *good, char *why, size_t whysz)
{
    for (int i = 0; i < n; i++) {
        PGresult *r = PQgetResult(c);
        if (!r) {
            snprintf(why, whysz, "query %d: no result: %s", i, PQerrorMessage(c));
            return -1;
        }
        if (PQresultStatus(r) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(r), "INSERT 0 1") == 0)
            (*good)++;
        else if (!why[0])
            snprintf(why, whysz, "query %d: %s %s %s", i, PQresStatus(PQresultStatus(r)),
                     PQcmdStatus(r), PQresultErrorMessage(r));
        PQclear(r);
        r = PQgetResult(c); /* the NULL that ends each query's results */
        if (r) {
            snprintf(why, whysz, "query %d: a second result", i);
            PQclear(r);
            return -1;
        }
    }
    PGresult *r = PQgetResult(c);
    int ok = r && PQresultStatus(r) == PGRES_PIPELINE_SYNC;
    if (!ok)
        snprintf(why, whysz, "expected PGRES_PIPELINE_SYNC, got %s",
                 r ? PQresStatus(PQresultStatus(r)) : "nothing");
    PQclear(r);
    return ok ? 0 : -1;
}

int
main(int argc, char **argv)
{
    PGconn *c = PQconnectdb(argc > 1 ? argv[1] : "");
    if (PQstatus(c) != CONNECTION_OK) {
        printf("FAIL connect: %s", PQerrorMessage(c));
        return 1;
    }
    check("setup", exec_ok(c, "CREATE STREAM ev (k BIGINT, sym TEXT, px DOUBLE)") &&
                   exec_ok(c, "CREATE VIEW tot AS SELECT count(*) AS n, sum(k) AS sk, "
                              "sum(px) AS spx FROM ev"),
          NULL);

    check("PQenterPipelineMode", PQenterPipelineMode(c) == 1, PQerrorMessage(c));
    check("pipeline status ON", PQpipelineStatus(c) == PQ_PIPELINE_ON, NULL);
    double t0 = now_s();
    long good = 0;
    char why[512] = "";
    int rc = send_batch(c, 0, BATCH);
    for (int b = 0; rc == 0 && b < EVENTS / BATCH; b++) {
        /* the next batch goes out before this one's results are read */
        if (b + 1 < EVENTS / BATCH)
            rc = send_batch(c, (b + 1) * BATCH, (b + 2) * BATCH);
        if (rc == 0)
            rc = read_batch(c, BATCH, &good, why, sizeof why);
    }
    double dt = now_s() - t0;
    check("every pipelined INSERT answered \"INSERT 0 1\"", rc == 0 && good == EVENTS,
          why[0] ? why : NULL);
    check("PQexitPipelineMode", PQexitPipelineMode(c) == 1, PQerrorMessage(c));
    printf("     %d events in %.2f s: %.0f inserts/s (pipeline mode, batches of %d)\n", EVENTS,
           dt, EVENTS / dt, BATCH);

    PGresult *r = PQexec(c, "SELECT n, sk, spx FROM tot");
    char want[128], got[128] = "";
    long long sk = (long long)EVENTS * (EVENTS - 1) / 2;
    /* px = (i % 100) + 0.5: each of the 1000 cycles sums 0..99 + 50 */
    double spx = (EVENTS / 100) * (4950.0 + 50.0);
    snprintf(want, sizeof want, "%d %lld %.1f", EVENTS, sk, spx);
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        snprintf(got, sizeof got, "%s %s %.1f", PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1),
                 atof(PQgetvalue(r, 0, 2)));
    else
        snprintf(got, sizeof got, "%s", PQerrorMessage(c));
    PQclear(r);
    char detail[300];
    snprintf(detail, sizeof detail, "want %s, got %s", want, got);
    check("count, sum(k), sum(px) over the view", strcmp(want, got) == 0, detail);

    r = PQexec(c, "SHOW ev STATUS");
    long events = -1;
    for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++)
        if (strcmp(PQgetvalue(r, i, 0), "events") == 0 || strcmp(PQgetvalue(r, i, 0),
                                                                 "events_in") == 0)
            events = atol(PQgetvalue(r, i, 1));
    PQclear(r);
    snprintf(detail, sizeof detail, "events = %ld", events);
    check("SHOW ev STATUS counts 100,000 events", events == EVENTS, detail);

    PQfinish(c);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
