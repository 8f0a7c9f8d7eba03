/*
 * bench/limit.c — the ceiling: a hand-written tumbling COUNT/SUM per key in a tight C loop.
 *
 *   limit [--events N] [--keys K] [--passes P] [--window-ms W]
 *
 * The same computation as engine_bench's "tumble_1k" case, with nothing an engine needs:
 * pre-generated columns (key, value, event time in µs, in time order), windows of W ms
 * (default 10 000) closed as soon as time passes their end (in-order data), and per window a
 * COUNT and SUM per key. Two variants:
 *   hash    an open-addressing table keyed by the 64-bit key (what a general engine needs,
 *           since keys are arbitrary BIGINTs): this is "the limit" BENCHMARKS.md compares with
 *   dense   keys known to be 0..K-1, state in flat arrays: the absolute ceiling
 * Closing a window folds its groups into a checksum (so the compiler cannot drop the work)
 * and clears the state. CPU time from CLOCK_PROCESS_CPUTIME_ID; the data is re-used for P
 * passes with the times shifted. Prints one line per variant:
 *   limit variant=hash events=... cpu_s=... events_per_s=... windows=... checksum=...
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

typedef struct Columns {
    int64_t *key;
    int64_t *val;
    int64_t *ts;
    int64_t n;
    int64_t span_us;   /* time covered by one pass */
} Columns;

typedef struct Result {
    double cpu_s;
    int64_t windows;
    uint64_t checksum;
} Result;

static uint64_t
splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double
cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Keys 1000..1000+K-1 (Nexmark-like ids), values log-uniform-ish prices, 10 events per ms. */
static void
columns_make(Columns *c, int64_t n, int keys)
{
    c->n = n;
    c->key = malloc((size_t)n * sizeof(int64_t));
    c->val = malloc((size_t)n * sizeof(int64_t));
    c->ts = malloc((size_t)n * sizeof(int64_t));
    if (!c->key || !c->val || !c->ts) {
        fprintf(stderr, "limit: out of memory\n");
        exit(2);
    }
    uint64_t s = 42;
    const int64_t base = 1704067200LL * 1000000; /* 2024-01-01 */
    for (int64_t i = 0; i < n; i++) {
        c->key[i] = 1000 + (int64_t)(splitmix(&s) % (uint64_t)keys);
        c->val[i] = 100 + (int64_t)(splitmix(&s) % 100000000);
        c->ts[i] = base + i * 100;   /* 10 000 events per second of event time */
    }
    c->span_us = n * 100;
}

/* ---------------------------------------------------------------- hash variant */

typedef struct Slot {
    int64_t key;
    int64_t count;
    int64_t sum;
    bool used;
} Slot;

static Result
run_hash(const Columns *c, int keys, int passes, int64_t window_us)
{
    size_t cap = 16;
    while (cap < (size_t)keys * 2)
        cap <<= 1;
    Slot *t = calloc(cap, sizeof *t);
    size_t mask = cap - 1;
    Result r = {0};
    uint64_t check = 0;
    int64_t cur = INT64_MIN;
    double t0 = cpu_now();
    for (int p = 0; p < passes; p++) {
        int64_t shift = (int64_t)p * c->span_us;
        for (int64_t i = 0; i < c->n; i++) {
            int64_t ts = c->ts[i] + shift;
            int64_t w = ts - ts % window_us;
            if (w != cur) {
                if (cur != INT64_MIN) {
                    for (size_t j = 0; j < cap; j++)
                        if (t[j].used)
                            check += (uint64_t)(t[j].key * 31 + t[j].count * 7 + t[j].sum) ^
                                     (uint64_t)cur;
                    memset(t, 0, cap * sizeof *t);
                    r.windows++;
                }
                cur = w;
            }
            int64_t k = c->key[i];
            uint64_t h = (uint64_t)k * 0x9E3779B97F4A7C15ULL;
            size_t j = (size_t)(h >> 32) & mask;
            while (t[j].used && t[j].key != k)
                j = (j + 1) & mask;
            if (!t[j].used) {
                t[j].used = true;
                t[j].key = k;
            }
            t[j].count++;
            t[j].sum += c->val[i];
        }
    }
    for (size_t j = 0; j < cap; j++)
        if (t[j].used)
            check += (uint64_t)(t[j].key * 31 + t[j].count * 7 + t[j].sum) ^ (uint64_t)cur;
    r.windows++;
    r.cpu_s = cpu_now() - t0;
    r.checksum = check;
    free(t);
    return r;
}

/* ---------------------------------------------------------------- dense variant */

static Result
run_dense(const Columns *c, int keys, int passes, int64_t window_us)
{
    int64_t *cnt = calloc((size_t)keys, sizeof(int64_t));
    int64_t *sum = calloc((size_t)keys, sizeof(int64_t));
    Result r = {0};
    uint64_t check = 0;
    int64_t cur = INT64_MIN;
    double t0 = cpu_now();
    for (int p = 0; p < passes; p++) {
        int64_t shift = (int64_t)p * c->span_us;
        for (int64_t i = 0; i < c->n; i++) {
            int64_t ts = c->ts[i] + shift;
            int64_t w = ts - ts % window_us;
            if (w != cur) {
                if (cur != INT64_MIN) {
                    for (int k = 0; k < keys; k++)
                        if (cnt[k])
                            check += (uint64_t)((k + 1000) * 31 + cnt[k] * 7 + sum[k]) ^
                                     (uint64_t)cur;
                    memset(cnt, 0, (size_t)keys * sizeof(int64_t));
                    memset(sum, 0, (size_t)keys * sizeof(int64_t));
                    r.windows++;
                }
                cur = w;
            }
            int64_t k = c->key[i] - 1000;
            cnt[k]++;
            sum[k] += c->val[i];
        }
    }
    for (int k = 0; k < keys; k++)
        if (cnt[k])
            check += (uint64_t)((k + 1000) * 31 + cnt[k] * 7 + sum[k]) ^ (uint64_t)cur;
    r.windows++;
    r.cpu_s = cpu_now() - t0;
    r.checksum = check;
    free(cnt);
    free(sum);
    return r;
}

static void
report(const char *variant, int64_t events, Result r)
{
    printf("limit variant=%s events=%lld cpu_s=%.4f events_per_s=%.0f windows=%lld "
           "checksum=%llu\n", variant, (long long)events, r.cpu_s,
           r.cpu_s > 0 ? (double)events / r.cpu_s : 0.0, (long long)r.windows,
           (unsigned long long)r.checksum);
}

int
main(int argc, char **argv)
{
    int64_t n = 10000000;
    int keys = 1000, passes = 10;
    int64_t window_ms = 10000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--events") == 0)
            n = atoll(argv[i + 1]);
        else if (strcmp(argv[i], "--keys") == 0)
            keys = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--passes") == 0)
            passes = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--window-ms") == 0)
            window_ms = atoll(argv[i + 1]);
        else {
            fprintf(stderr, "usage: limit [--events N] [--keys K] [--passes P] [--window-ms W]\n");
            return 2;
        }
    }
    if (n <= 0 || keys <= 0 || passes <= 0 || window_ms <= 0) {
        fprintf(stderr, "limit: arguments must be positive\n");
        return 2;
    }
    Columns c;
    columns_make(&c, n, keys);
    int64_t events = n * passes;
    Result h = run_hash(&c, keys, passes, window_ms * 1000);
    Result d = run_dense(&c, keys, passes, window_ms * 1000);
    report("hash", events, h);
    report("dense", events, d);
    if (h.checksum != d.checksum || h.windows != d.windows) {
        fprintf(stderr, "limit: the two variants disagree\n");
        return 1;
    }
    free(c.key);
    free(c.val);
    free(c.ts);
    return 0;
}
