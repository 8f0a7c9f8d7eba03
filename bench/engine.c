/*
 * bench/engine.c — the executor alone, in process: no sockets, no COPY parsing.
 *
 *   engine_bench --kv1k [--events N] [--pregen M] [--batch B]
 *   engine_bench --schema bench/queries/schema.sql --query bench/queries/Q.sql
 *                [--events N] [--pregen M] [--batch B] [--seed S] [--rate R]
 *
 * Statements go through the same path as the server's (server/commands.c): parse_sql, then
 * plan_create_stream + exec_add_stream or plan_create_view + exec_add_view, then cat_add.
 * Events are pre-built Value rows, fed with exec_ingest in batches of B (default 1024).
 *   --kv1k    the ceiling comparison with bench/limit.c: a narrow stream kv (k, v, ts) and
 *             a 10 s tumbling COUNT(*), SUM(v) per k over 1 000 keys, on the same data as
 *             limit (keys 1000..1999 uniform, 10 000 events per second of event time)
 *   --query   a Nexmark query over the bids of bench/nexmark_gen (event numbers 0.. of the
 *             default config with --seed/--rate; person and auction events are skipped)
 * M rows (default min(N, 1 000 000)) are built once and replayed with their event times
 * shifted by the span of M rows per pass until N events have been ingested. CPU time is
 * CLOCK_PROCESS_CPUTIME_ID around the exec_ingest calls only. One line on stdout:
 *   engine case=... events=... cpu_s=... events_per_s=... rows_out=... groups=...
 *          state_bytes=... bytes_per_group=...
 * (groups and state_bytes from exec_status at the end, i.e. with the last windows open).
 *
 * INTERFACE
 *   main
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/nexmark_gen.h"
#include "common/arena.h"
#include "common/errors.h"
#include "common/util.h"
#include "common/value.h"
#include "executor/executor.h"
#include "parser/parser.h"
#include "planner/catalog.h"
#include "planner/planner.h"

static const char kv1k_sql[] =
    "CREATE STREAM kv (k BIGINT, v BIGINT, ts TIMESTAMP,"
    "                  WATERMARK FOR ts AS ts - INTERVAL '4' SECOND);"
    "CREATE VIEW kv1k AS SELECT k, window_start, window_end, count(*) AS n, sum(v) AS s"
    "  FROM TUMBLE(kv, ts, INTERVAL '10' SECOND) GROUP BY k, window_start, window_end"
    "  EMIT APPEND;";

typedef struct Bench {
    Catalog *cat;
    Executor *x;
    CatObject *stream;      /* the stream events go to */
    CatObject *view;        /* the last view created */
} Bench;

typedef struct Status {
    int64_t rows_out, groups, state_bytes;
} Status;

static void
fail(const char *what, const SqlError *err)
{
    fprintf(stderr, "engine_bench: %s: %s\n", what,
            err && err->message ? err->message : "failed");
    exit(1);
}

static char *
read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "engine_bench: cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = sl_malloc((size_t)n + 1);
    if (fread(s, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "engine_bench: cannot read %s\n", path);
        exit(2);
    }
    s[n] = '\0';
    fclose(f);
    return s;
}

/* Runs the CREATE STREAM / CREATE VIEW statements of `sql` as the server would. */
static void
bench_exec_sql(Bench *b, const char *sql)
{
    Arena *a = arena_new(16384);
    SqlError err;
    err_init(&err, a);
    AstStmtList l;
    if (parse_sql(a, sql, strlen(sql), &l, &err) != 0)
        fail("parse", &err);
    for (int i = 0; i < l.n; i++) {
        const AstStmt *s = l.items[i];
        const char *text = arena_strndup(a, sql + s->pos, (size_t)(s->end - s->pos));
        CatObject *o;
        if (s->kind == AST_CREATE_STREAM) {
            o = plan_create_stream(b->cat, s, text, &err);
            if (!o || exec_add_stream(b->x, o, &err) != 0)
                fail("CREATE STREAM", &err);
            cat_add(b->cat, o);
        } else if (s->kind == AST_CREATE_VIEW) {
            o = plan_create_view(b->cat, s, text, &err);
            if (!o)
                fail("CREATE VIEW", &err);
            CatObject *src = cat_lookup(b->cat, o->source);
            if (exec_add_view(b->x, o, src, &err) != 0)
                fail("CREATE VIEW", &err);
            cat_add(b->cat, o);
            b->view = o;
        } else {
            fprintf(stderr, "engine_bench: only CREATE STREAM and CREATE VIEW are run\n");
            exit(2);
        }
    }
    arena_free(a);
}

static void
status_kv(void *ctx, const char *key, const char *value)
{
    Status *st = ctx;
    if (strcmp(key, "rows_out") == 0)
        st->rows_out = strtoll(value, NULL, 10);
    else if (strcmp(key, "groups") == 0)
        st->groups = strtoll(value, NULL, 10);
    else if (strcmp(key, "state_bytes") == 0)
        st->state_bytes = strtoll(value, NULL, 10);
}

static double
cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t
splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* The rows of bench/limit.c: k, v, ts. */
static Value *
build_kv(int64_t m, int *ncols, int *ts_col)
{
    Value *rows = sl_malloc((size_t)m * 3 * sizeof(Value));
    uint64_t s = 42;
    const int64_t base = 1704067200LL * 1000000;
    for (int64_t i = 0; i < m; i++) {
        rows[i * 3] = val_int(1000 + (int64_t)(splitmix(&s) % 1000));
        rows[i * 3 + 1] = val_int(100 + (int64_t)(splitmix(&s) % 100000000));
        rows[i * 3 + 2] = val_ts(base + i * 100);
    }
    *ncols = 3;
    *ts_col = 2;
    return rows;
}

/* M bids of the default Nexmark config as rows of schema.sql's bid stream. The text bytes
 * live in *text (caller frees). */
static Value *
build_bids(int64_t m, uint64_t seed, double rate, int *ncols, int *ts_col, char **text)
{
    NexmarkConfig cfg;
    nexmark_config_default(&cfg);
    cfg.seed = seed;
    cfg.rate = rate;
    const char *bad = nexmark_config_check(&cfg);
    if (bad) {
        fprintf(stderr, "engine_bench: %s\n", bad);
        exit(2);
    }
    Value *rows = sl_malloc((size_t)m * 7 * sizeof(Value));
    size_t cap = (size_t)m * 200 + 4096, used = 0;
    char *t = sl_malloc(cap);
    NexmarkEvent *ev = sl_malloc(sizeof *ev);
    int64_t got = 0;
    for (int64_t n = 0; got < m; n++) {
        if (nexmark_event_kind(&cfg, n) != NEXMARK_BID)
            continue;
        nexmark_event(&cfg, n, ev);
        const NexmarkBid *bd = &ev->bid;
        size_t need = (size_t)bd->channel_len + bd->url_len + ev->extra_len;
        if (used + need > cap) {
            /* Values point into t: grow by reallocating and rebasing them */
            size_t ncap = cap * 2 + need;
            char *nt = sl_malloc(ncap);
            memcpy(nt, t, used);
            for (int64_t r = 0; r < got; r++)
                for (int c = 3; c <= 6; c++)
                    if (c != 5)
                        rows[r * 7 + c].s = nt + (rows[r * 7 + c].s - t);
            free(t);
            t = nt;
            cap = ncap;
        }
        Value *row = rows + got * 7;
        row[0] = val_int(bd->auction);
        row[1] = val_int(bd->bidder);
        row[2] = val_int(bd->price);
        memcpy(t + used, bd->channel, bd->channel_len);
        row[3] = val_text(t + used, bd->channel_len);
        used += bd->channel_len;
        memcpy(t + used, bd->url, bd->url_len);
        row[4] = val_text(t + used, bd->url_len);
        used += bd->url_len;
        row[5] = val_ts(ev->date_time);
        memcpy(t + used, ev->extra, ev->extra_len);
        row[6] = val_text(t + used, ev->extra_len);
        used += ev->extra_len;
        got++;
    }
    free(ev);
    *ncols = 7;
    *ts_col = 5;
    *text = t;
    return rows;
}

static void
usage(void)
{
    fprintf(stderr, "usage: engine_bench (--kv1k | --schema FILE --query FILE) [--events N]\n"
                    "                    [--pregen M] [--batch B] [--seed S] [--rate R]\n");
    exit(2);
}

int
main(int argc, char **argv)
{
    const char *schema = NULL, *query = NULL;
    bool kv1k = false;
    int64_t events = 10000000, pregen = 0;
    int batch = 1024;
    uint64_t seed = 1;
    double rate = 10000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--kv1k") == 0) {
            kv1k = true;
            continue;
        }
        if (i + 1 >= argc)
            usage();
        const char *v = argv[++i];
        if (strcmp(argv[i - 1], "--schema") == 0)
            schema = v;
        else if (strcmp(argv[i - 1], "--query") == 0)
            query = v;
        else if (strcmp(argv[i - 1], "--events") == 0)
            events = atoll(v);
        else if (strcmp(argv[i - 1], "--pregen") == 0)
            pregen = atoll(v);
        else if (strcmp(argv[i - 1], "--batch") == 0)
            batch = atoi(v);
        else if (strcmp(argv[i - 1], "--seed") == 0)
            seed = strtoull(v, NULL, 10);
        else if (strcmp(argv[i - 1], "--rate") == 0)
            rate = atof(v);
        else
            usage();
    }
    if (kv1k == (query != NULL) || (query && !schema) || events <= 0 || batch <= 0 || rate <= 0)
        usage();
    if (pregen <= 0 || pregen > events)
        pregen = events < 1000000 ? events : 1000000;

    Bench b = {.cat = cat_new(), .x = exec_new()};
    const char *name;
    if (kv1k) {
        bench_exec_sql(&b, kv1k_sql);
        b.stream = cat_lookup(b.cat, "kv");
        name = "kv1k";
    } else {
        char *s = read_file(schema), *q = read_file(query);
        bench_exec_sql(&b, s);
        bench_exec_sql(&b, q);
        free(s);
        free(q);
        b.stream = cat_lookup(b.cat, "bid");
        name = b.view ? b.view->name : "?";
    }
    if (!b.stream || !b.view) {
        fprintf(stderr, "engine_bench: need stream %s and a view\n", kv1k ? "kv" : "bid");
        return 2;
    }

    int ncols, ts_col;
    char *text = NULL;
    Value *rows = kv1k ? build_kv(pregen, &ncols, &ts_col)
                       : build_bids(pregen, seed, rate, &ncols, &ts_col, &text);
    /* one pass covers [first, last] event time; the next starts one step after it */
    int64_t step = rows[(size_t)ncols + (size_t)ts_col].i - rows[ts_col].i;
    if (pregen < 2 || step <= 0)
        step = 1000;
    int64_t span = rows[(size_t)(pregen - 1) * (size_t)ncols + (size_t)ts_col].i -
                   rows[ts_col].i + step;
    if (span < 1000)
        span = 1000;

    SqlError err;
    err_init(&err, NULL);
    int64_t done = 0, late = 0;
    double cpu = 0;
    while (done < events) {
        int64_t pass_n = events - done < pregen ? events - done : pregen;
        double t0 = cpu_now();
        for (int64_t r = 0; r < pass_n; r += batch) {
            int n = (int)(pass_n - r < batch ? pass_n - r : batch);
            IngestResult res;
            if (exec_ingest(b.x, b.stream, rows + r * ncols, n, &res, &err) != 0)
                fail("exec_ingest", &err);
            late += res.late + res.null_time;
        }
        cpu += cpu_now() - t0;
        done += pass_n;
        for (int64_t r = 0; r < pregen; r++)
            rows[r * ncols + ts_col].i += span;
    }
    Status st = {0};
    exec_status(b.x, b.view, status_kv, &st);
    printf("engine case=%s events=%lld cpu_s=%.4f events_per_s=%.0f rows_out=%lld groups=%lld "
           "state_bytes=%lld bytes_per_group=%.1f late=%lld\n",
           name, (long long)events, cpu, cpu > 0 ? (double)events / cpu : 0.0,
           (long long)st.rows_out, (long long)st.groups, (long long)st.state_bytes,
           st.groups ? (double)st.state_bytes / (double)st.groups : 0.0, (long long)late);
    exec_free(b.x);
    cat_free(b.cat);
    free(rows);
    free(text);
    return late ? 1 : 0;
}
