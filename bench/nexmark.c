/*
 * bench/nexmark.c — the nexmark CLI: generate Nexmark events (bench/nexmark_gen.c) as CSV
 * files, as one stream's CSV on stdout, or straight into sluiced (or PostgreSQL) with
 * COPY ... FROM STDIN (FORMAT csv) over libpq. `nexmark --help` documents the options and the
 * ordering guarantees of --copy.
 *
 * INTERFACE
 *   main    parse options, generate, write or COPY, print --stats; exit 0 on success,
 *           1 on any I/O or libpq error, 2 on bad usage, 3 when the server dropped rows
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "bench/nexmark_gen.h"
#include "common/buf.h"
#include "common/errors.h"
#include "common/sltime.h"

#define WATERMARK_DELAY_US (4 * SL_US_PER_SEC) /* bench/queries/schema.sql */
#define FILE_FLUSH_BYTES ((size_t)1 << 20)
#define COPY_CHUNK_BYTES ((size_t)256 << 10)
#define MAX_CONNS 64
#define PACE_EVERY 1000 /* events between --emit-rate checks when writing files */

static const char usage_text[] =
    "usage: nexmark [options] (--csv DIR | --stdout STREAM | --copy CONNINFO | --null)\n"
    "\n"
    "Generates the Nexmark streams person, auction and bid deterministically: event number n\n"
    "is a pure function of (seed, n, options), so the same options give the same bytes.\n"
    "Columns follow bench/queries/schema.sql; CSV has no header; times are\n"
    "'YYYY-MM-DD HH:MM:SS.mmm' UTC; empty strings are written as \"\" (unquoted empty = NULL).\n"
    "\n"
    "generator:\n"
    "  --events N           events to generate, all streams together (default 1000000);\n"
    "                       1:3:46 person:auction:bid, i.e. 2 %% / 6 %% / 92 %%\n"
    "  --seed S             RNG seed (default 1)\n"
    "  --rate R             event-time rate in events/s (default 10000): event n is at\n"
    "                       base + n * 1e6/R microseconds, truncated to the millisecond\n"
    "  --base-time T        event time of event 0, 'YYYY-MM-DD HH:MM:SS' UTC\n"
    "                       (default '2024-01-01 00:00:00')\n"
    "  --ooo-group G        out-of-order group size (default 1 = in order); within each group\n"
    "                       of G events, ids and times are permuted (Beam's n*953 %% G)\n"
    "  --first-event-id I   id of event 0 (default 0, as nexmark-rs: event 0 is person 1000;\n"
    "                       Flink uses 1)\n"
    "  --only LIST          streams to emit, comma-separated from person,auction,bid\n"
    "                       (default all); ids and times do not change with the selection\n"
    "\n"
    "output (exactly one):\n"
    "  --csv DIR            write DIR/person.csv, DIR/auction.csv, DIR/bid.csv (created or\n"
    "                       truncated; DIR is created if missing)\n"
    "  --stdout STREAM      write STREAM's CSV to stdout (implies --only STREAM)\n"
    "  --null               generate and format, write nothing (generator speed)\n"
    "  --copy CONNINFO      feed a server with COPY <prefix><stream> FROM STDIN (FORMAT csv),\n"
    "                       one COPY per batch, every result checked (libpq conninfo string\n"
    "                       or URI, e.g. 'host=127.0.0.1 port=5460')\n"
    "\n"
    "--copy options:\n"
    "  --connections K      libpq connections (default 2)\n"
    "  --batch B            rows per COPY (default 10000). Events are generated in rounds: a\n"
    "                       round ends when some stream has B rows, then every stream's rows\n"
    "                       are sent, so the streams advance together in event time\n"
    "  --table-prefix P     COPY into P<stream>, e.g. nx_ for PostgreSQL tables nx_bid\n"
    "  Ordering: each stream's batches go to a fixed set of connections. bid gets connection\n"
    "  0; person and auction get the next ones, sharing when K < 3 (K = 1: all streams on one\n"
    "  connection, one COPY at a time). A connection has at most one COPY in flight, so with\n"
    "  one connection per stream every stream arrives in generation order (in event-time\n"
    "  order when --ooo-group is 1). Connections beyond one per stream go to bid, and its\n"
    "  batches are dealt round-robin: up to n bid batches are then in flight at once and may\n"
    "  be applied in any order, so bid's event time can step back by up to n batch spans.\n"
    "  This is only done while n * (batch span + out-of-order group span) stays within the\n"
    "  streams' 4 s watermark delay, so no bid can arrive late; n is lowered to fit (with a\n"
    "  note) and the remaining connections stay unused.\n"
    "\n"
    "common:\n"
    "  --emit-rate R        wall-clock pacing in events/s (default 0 = as fast as possible);\n"
    "                       checked after every round with --copy (use a smaller --batch for\n"
    "                       smoother pacing), every 1000 events otherwise\n"
    "  --stats              print per-stream row counts, min/max event time and the run's\n"
    "                       wall time and rate to stderr at the end\n"
    "  --help               this text\n"
    "\n"
    "Exit status: 0 ok; 1 I/O or libpq error (the failing COPY and server message are\n"
    "printed; nothing is dropped silently); 2 usage error; 3 the server reported dropped\n"
    "rows in a NOTICE (e.g. late events).\n";

typedef struct Options {
    NexmarkConfig cfg;
    unsigned mask;            /* bit k: stream k selected */
    const char *csv_dir;
    int stdout_kind;          /* -1 = not used */
    bool null_out;
    const char *conninfo;
    int connections;
    int64_t batch;
    double emit_rate;
    const char *prefix;
    bool stats;
} Options;

typedef struct StreamStats {
    int64_t rows;
    int64_t min_time, max_time;
    uint64_t bytes;
} StreamStats;

/* One libpq connection with at most one COPY in flight. */
typedef struct CopyConn {
    PGconn *pg;
    bool busy;                /* a COPY was ended and its result not read yet */
    NexmarkKind busy_kind;
    int64_t busy_rows;
} CopyConn;

typedef struct Stream {
    Buf buf;                  /* pending CSV (a file chunk or one COPY batch) */
    int64_t batch_rows;
    int fd;                   /* file modes */
    int nconns;               /* --copy: connections dealt round-robin */
    int conns[MAX_CONNS];
    int64_t batches_sent;
    StreamStats st;
} Stream;

typedef struct Run {
    Options *o;
    Stream s[NEXMARK_NKINDS];
    CopyConn conns[MAX_CONNS];
    int nconns;
    int64_t notices_dropped;
} Run;

static _Noreturn void
die_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "nexmark: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'nexmark --help'.\n");
    exit(2);
}

static int64_t
parse_i64(const char *s, const char *opt)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end)
        die_usage("bad integer for %s", opt);
    return v;
}

static double
parse_f64(const char *s, const char *opt)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end)
        die_usage("bad number for %s", opt);
    return v;
}

static int
kind_of_name(const char *s, size_t n)
{
    for (int k = 0; k < NEXMARK_NKINDS; k++) {
        const char *name = nexmark_stream_name((NexmarkKind)k);
        if (strlen(name) == n && strncmp(name, s, n) == 0)
            return k;
    }
    return -1;
}

static unsigned
parse_only(const char *s)
{
    unsigned mask = 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        int k = kind_of_name(s, n);
        if (k < 0)
            die_usage("unknown stream in --only: %s (person, auction, bid)", s);
        mask |= 1u << k;
        s += n;
        if (*s == ',')
            s++;
    }
    if (!mask)
        die_usage("--only needs at least one stream%s", "");
    return mask;
}

static void
parse_options(int argc, char **argv, Options *o)
{
    enum { O_EVENTS = 256, O_SEED, O_RATE, O_BASE, O_OOO, O_FIRST, O_ONLY, O_CSV, O_STDOUT,
           O_NULL, O_COPY, O_CONNS, O_BATCH, O_EMIT, O_PREFIX, O_STATS, O_HELP };
    static const struct option longopts[] = {
        {"events", required_argument, NULL, O_EVENTS},
        {"seed", required_argument, NULL, O_SEED},
        {"rate", required_argument, NULL, O_RATE},
        {"base-time", required_argument, NULL, O_BASE},
        {"ooo-group", required_argument, NULL, O_OOO},
        {"first-event-id", required_argument, NULL, O_FIRST},
        {"only", required_argument, NULL, O_ONLY},
        {"csv", required_argument, NULL, O_CSV},
        {"stdout", required_argument, NULL, O_STDOUT},
        {"null", no_argument, NULL, O_NULL},
        {"copy", required_argument, NULL, O_COPY},
        {"connections", required_argument, NULL, O_CONNS},
        {"batch", required_argument, NULL, O_BATCH},
        {"emit-rate", required_argument, NULL, O_EMIT},
        {"table-prefix", required_argument, NULL, O_PREFIX},
        {"stats", no_argument, NULL, O_STATS},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    nexmark_config_default(&o->cfg);
    o->mask = (1u << NEXMARK_NKINDS) - 1;
    o->stdout_kind = -1;
    o->connections = 2;
    o->batch = 10000;
    o->prefix = "";
    bool only_given = false;
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case O_EVENTS: o->cfg.events = parse_i64(optarg, "--events"); break;
        case O_SEED: o->cfg.seed = (uint64_t)parse_i64(optarg, "--seed"); break;
        case O_RATE: o->cfg.rate = parse_f64(optarg, "--rate"); break;
        case O_BASE: {
            SqlError err;
            err_init(&err, NULL);
            if (ts_parse(optarg, strlen(optarg), &o->cfg.base_time_us, &err) != 0) {
                err_clear(&err);
                die_usage("bad --base-time '%s' (want 'YYYY-MM-DD HH:MM:SS')", optarg);
            }
            break;
        }
        case O_OOO: o->cfg.ooo_group = parse_i64(optarg, "--ooo-group"); break;
        case O_FIRST: o->cfg.first_event_id = parse_i64(optarg, "--first-event-id"); break;
        case O_ONLY: o->mask = parse_only(optarg); only_given = true; break;
        case O_CSV: o->csv_dir = optarg; break;
        case O_STDOUT:
            o->stdout_kind = kind_of_name(optarg, strlen(optarg));
            if (o->stdout_kind < 0)
                die_usage("unknown stream for --stdout: %s (person, auction, bid)", optarg);
            break;
        case O_NULL: o->null_out = true; break;
        case O_COPY: o->conninfo = optarg; break;
        case O_CONNS: o->connections = (int)parse_i64(optarg, "--connections"); break;
        case O_BATCH: o->batch = parse_i64(optarg, "--batch"); break;
        case O_EMIT: o->emit_rate = parse_f64(optarg, "--emit-rate"); break;
        case O_PREFIX: o->prefix = optarg; break;
        case O_STATS: o->stats = true; break;
        case O_HELP: fputs(usage_text, stdout); exit(0);
        default: die_usage("bad option%s", "");
        }
    }
    if (optind < argc)
        die_usage("unexpected argument: %s", argv[optind]);
    int modes = (o->csv_dir != NULL) + (o->stdout_kind >= 0) + o->null_out + (o->conninfo != NULL);
    if (modes != 1)
        die_usage("choose exactly one of --csv, --stdout, --copy, --null%s", "");
    if (o->stdout_kind >= 0) {
        if (only_given && o->mask != 1u << o->stdout_kind)
            die_usage("--only conflicts with --stdout%s", "");
        o->mask = 1u << o->stdout_kind;
    }
    if (o->connections < 1 || o->connections > MAX_CONNS)
        die_usage("--connections must be in 1..64%s", "");
    if (o->batch < 1)
        die_usage("--batch must be at least 1%s", "");
    if (o->emit_rate < 0)
        die_usage("--emit-rate must not be negative%s", "");
    const char *msg = nexmark_config_check(&o->cfg);
    if (msg)
        die_usage("%s", msg);
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Sleeps until `done` events fit the --emit-rate budget since `t0`. */
static void
pace(const Options *o, double t0, int64_t done)
{
    if (o->emit_rate <= 0)
        return;
    double ahead = (double)done / o->emit_rate - (now_s() - t0);
    if (ahead > 0) {
        struct timespec ts = {(time_t)ahead, (long)((ahead - (double)(time_t)ahead) * 1e9)};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
    }
}

/* ------------------------------------------------------------------ files */

static void
write_all(int fd, const char *p, size_t n, const char *what)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "nexmark: write to %s: %s\n", what, strerror(errno));
            exit(1);
        }
        p += w;
        n -= (size_t)w;
    }
}

static void
flush_file(Stream *s, NexmarkKind k)
{
    if (s->fd >= 0 && s->buf.len)
        write_all(s->fd, s->buf.data, s->buf.len, nexmark_stream_name(k));
    buf_clear(&s->buf);
}

static void
open_outputs(Run *r)
{
    Options *o = r->o;
    if (o->csv_dir && mkdir(o->csv_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "nexmark: mkdir %s: %s\n", o->csv_dir, strerror(errno));
        exit(1);
    }
    for (int k = 0; k < NEXMARK_NKINDS; k++) {
        Stream *s = &r->s[k];
        s->fd = -1;
        if (!(o->mask & (1u << k)))
            continue;
        if (o->csv_dir) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s.csv", o->csv_dir, nexmark_stream_name(k));
            s->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
            if (s->fd < 0) {
                fprintf(stderr, "nexmark: open %s: %s\n", path, strerror(errno));
                exit(1);
            }
        } else if (o->stdout_kind == k) {
            s->fd = STDOUT_FILENO;
        }
    }
}

/* ------------------------------------------------------------------ COPY */

static void
notice_processor(void *arg, const char *message)
{
    Run *r = arg;
    fprintf(stderr, "nexmark: server notice: %s", message);
    if (strstr(message, "dropped"))
        r->notices_dropped++;
}

/* Reads the result of the COPY in flight on `c`; any error ends the program. */
static void
conn_wait(Run *r, CopyConn *c)
{
    if (!c->busy)
        return;
    const char *stream = nexmark_stream_name(c->busy_kind);
    PGresult *res;
    bool ok = false;
    while ((res = PQgetResult(c->pg)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            fprintf(stderr, "nexmark: COPY into %s%s (batch of %" PRId64 " rows) failed: %s",
                    r->o->prefix, stream, c->busy_rows, PQresultErrorMessage(res));
            PQclear(res);
            exit(1);
        }
        const char *n = PQcmdTuples(res);
        if (strtoll(n, NULL, 10) != c->busy_rows) {
            fprintf(stderr, "nexmark: COPY into %s%s: server acknowledged %s rows of %" PRId64
                    "\n", r->o->prefix, stream, n, c->busy_rows);
            PQclear(res);
            exit(1);
        }
        ok = true;
        PQclear(res);
    }
    if (!ok) {
        fprintf(stderr, "nexmark: COPY into %s%s: no result: %s", r->o->prefix, stream,
                PQerrorMessage(c->pg));
        exit(1);
    }
    c->busy = false;
}

static void
copy_fail(Run *r, CopyConn *c, NexmarkKind k, const char *step)
{
    fprintf(stderr, "nexmark: COPY into %s%s: %s: %s", r->o->prefix, nexmark_stream_name(k),
            step, PQerrorMessage(c->pg));
    exit(1);
}

/* Sends stream k's pending batch as one COPY on its next connection; does not wait for it. */
static void
send_batch(Run *r, NexmarkKind k)
{
    Stream *s = &r->s[k];
    if (s->batch_rows == 0)
        return;
    CopyConn *c = &r->conns[s->conns[s->batches_sent % s->nconns]];
    conn_wait(r, c);

    char sql[256];
    snprintf(sql, sizeof sql, "COPY %s%s FROM STDIN (FORMAT csv)", r->o->prefix,
             nexmark_stream_name(k));
    PGresult *res = PQexec(c->pg, sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        fprintf(stderr, "nexmark: %s: %s", sql, PQresultErrorMessage(res));
        PQclear(res);
        exit(1);
    }
    PQclear(res);
    for (size_t off = 0; off < s->buf.len; off += COPY_CHUNK_BYTES) {
        size_t n = s->buf.len - off < COPY_CHUNK_BYTES ? s->buf.len - off : COPY_CHUNK_BYTES;
        if (PQputCopyData(c->pg, s->buf.data + off, (int)n) != 1)
            copy_fail(r, c, k, "PQputCopyData");
    }
    if (PQputCopyEnd(c->pg, NULL) != 1)
        copy_fail(r, c, k, "PQputCopyEnd");
    c->busy = true;
    c->busy_kind = k;
    c->busy_rows = s->batch_rows;
    s->batches_sent++;
    buf_clear(&s->buf);
    s->batch_rows = 0;
}

/*
 * Deals connections to streams (the rule is in --help). Extra connections go to bid only
 * while n in-flight batches span at most the watermark delay.
 */
static void
plan_connections(Run *r)
{
    Options *o = r->o;
    const NexmarkConfig *cfg = &o->cfg;
    int sel[NEXMARK_NKINDS], nsel = 0;
    static const NexmarkKind order[] = {NEXMARK_BID, NEXMARK_PERSON, NEXMARK_AUCTION};
    for (int i = 0; i < NEXMARK_NKINDS; i++)
        if (o->mask & (1u << order[i]))
            sel[nsel++] = (int)order[i];
    int k_conns = o->connections;
    for (int i = 0; i < nsel; i++) {
        Stream *s = &r->s[sel[i]];
        s->nconns = 1;
        s->conns[0] = i < k_conns ? i : (k_conns == 1 ? 0 : 1 + (i - 1) % (k_conns - 1));
    }
    int used = nsel < k_conns ? nsel : k_conns;
    if (k_conns > nsel && (o->mask & (1u << NEXMARK_BID))) {
        /* Event time one bid batch covers (at most), plus the out-of-order group's span. */
        int64_t total = (int64_t)cfg->person_proportion + cfg->auction_proportion +
                        cfg->bid_proportion;
        double per_event_us = 1e6 / cfg->rate;
        double batch_us = (double)o->batch * (double)total / cfg->bid_proportion * per_event_us;
        double group_us = (double)cfg->ooo_group * per_event_us;
        int want = 1 + (k_conns - nsel);
        int n = (int)((double)WATERMARK_DELAY_US / (batch_us + group_us + 1000.0));
        if (n > want)
            n = want;
        if (n < 1)
            n = 1;
        if (n < want)
            fprintf(stderr,
                    "nexmark: note: using %d connection(s) for bid, not %d: %d batches of %" PRId64
                    " bids span more event time than the 4 s watermark delay; %d connection(s) "
                    "unused\n", n, want, want, o->batch, want - n);
        Stream *b = &r->s[NEXMARK_BID];
        for (int i = 1; i < n; i++)
            b->conns[i] = nsel + i - 1;
        b->nconns = n;
        used = nsel + n - 1;
    }
    r->nconns = used;
    for (int i = 0; i < used; i++) {
        CopyConn *c = &r->conns[i];
        c->pg = PQconnectdb(o->conninfo);
        if (PQstatus(c->pg) != CONNECTION_OK) {
            fprintf(stderr, "nexmark: connection to '%s' failed: %s", o->conninfo,
                    PQerrorMessage(c->pg));
            exit(1);
        }
        PQsetNoticeProcessor(c->pg, notice_processor, r);
    }
}

/* ------------------------------------------------------------------ main loop */

static void
print_stats(const Run *r, double secs, int64_t events)
{
    int64_t rows = 0;
    for (int k = 0; k < NEXMARK_NKINDS; k++) {
        const StreamStats *st = &r->s[k].st;
        if (!(r->o->mask & (1u << k)))
            continue;
        rows += st->rows;
        Buf a, b;
        buf_init(&a);
        buf_init(&b);
        if (st->rows) {
            ts_format(st->min_time, &a);
            ts_format(st->max_time, &b);
        }
        buf_putc(&a, '\0');
        buf_putc(&b, '\0');
        fprintf(stderr, "%-8s rows %" PRId64 "  bytes %" PRIu64 "  event time %s .. %s\n",
                nexmark_stream_name(k), st->rows, st->bytes, st->rows ? a.data : "-",
                st->rows ? b.data : "-");
        buf_free(&a);
        buf_free(&b);
    }
    fprintf(stderr, "total    events %" PRId64 "  rows %" PRId64 "  %.3f s  %.0f events/s  "
            "%.0f rows/s\n", events, rows, secs, secs > 0 ? (double)events / secs : 0.0,
            secs > 0 ? (double)rows / secs : 0.0);
}

int
main(int argc, char **argv)
{
    Options o;
    parse_options(argc, argv, &o);
    const NexmarkConfig *cfg = &o.cfg;
    Run r;
    memset(&r, 0, sizeof r);
    r.o = &o;
    for (int k = 0; k < NEXMARK_NKINDS; k++) {
        buf_init(&r.s[k].buf);
        r.s[k].st.min_time = INT64_MAX;
        r.s[k].st.max_time = INT64_MIN;
    }
    bool copy = o.conninfo != NULL;
    if (copy)
        plan_connections(&r);
    else
        open_outputs(&r);

    NexmarkEvent *ev = malloc(sizeof *ev);
    if (!ev) {
        fprintf(stderr, "nexmark: out of memory\n");
        return 1;
    }
    double t0 = now_s();
    bool files = !copy && !o.null_out;
    for (int64_t n = 0; n < cfg->events; n++) {
        NexmarkKind k = nexmark_event_kind(cfg, n);
        if (o.mask & (1u << k)) {
            Stream *s = &r.s[k];
            nexmark_event(cfg, n, ev);
            buf_reserve(&s->buf, NEXMARK_CSV_MAX);
            size_t len = nexmark_format_csv(ev, s->buf.data + s->buf.len);
            s->buf.len += len;
            s->st.bytes += len;
            s->st.rows++;
            if (ev->date_time < s->st.min_time)
                s->st.min_time = ev->date_time;
            if (ev->date_time > s->st.max_time)
                s->st.max_time = ev->date_time;
            if (copy) {
                if (++s->batch_rows >= o.batch) {
                    /* End of a round: every stream's rows go out together. */
                    for (int j = 0; j < NEXMARK_NKINDS; j++)
                        send_batch(&r, (NexmarkKind)j);
                    pace(&o, t0, n + 1);
                }
            } else if (s->buf.len >= FILE_FLUSH_BYTES) {
                if (files)
                    flush_file(s, k);
                else
                    buf_clear(&s->buf);
            }
        }
        if (!copy && o.emit_rate > 0 && (n + 1) % PACE_EVERY == 0) {
            for (int j = 0; j < NEXMARK_NKINDS; j++)
                flush_file(&r.s[j], (NexmarkKind)j);
            pace(&o, t0, n + 1);
        }
    }
    if (copy) {
        for (int j = 0; j < NEXMARK_NKINDS; j++)
            send_batch(&r, (NexmarkKind)j);
        for (int i = 0; i < r.nconns; i++) {
            conn_wait(&r, &r.conns[i]);
            PQfinish(r.conns[i].pg);
        }
    } else {
        for (int j = 0; j < NEXMARK_NKINDS; j++) {
            if (files)
                flush_file(&r.s[j], (NexmarkKind)j);
            if (r.s[j].fd >= 0 && r.s[j].fd != STDOUT_FILENO && close(r.s[j].fd) != 0) {
                fprintf(stderr, "nexmark: close %s: %s\n", nexmark_stream_name(j),
                        strerror(errno));
                return 1;
            }
        }
    }
    double secs = now_s() - t0;
    if (o.stats)
        print_stats(&r, secs, cfg->events);
    for (int k = 0; k < NEXMARK_NKINDS; k++)
        buf_free(&r.s[k].buf);
    free(ev);
    if (r.notices_dropped) {
        fprintf(stderr, "nexmark: the server reported dropped rows in %" PRId64
                " notice(s) (see above)\n", r.notices_dropped);
        return 3;
    }
    return 0;
}
