/*
 * bench/latency.c — end-to-end latency of a sluice view, and a fast subscriber that drains one.
 *
 * Latency mode (default):
 *   latency --host H --port P --view V [--stream bid] [--rate 100000] [--batch 100]
 *           [--seconds 10] [--warmup 1] [--idle-ms 2000]
 *   One libpq connection subscribes to view V in single-row mode; another sends COPY batches
 *   of `batch` events to `stream` on a fixed schedule (rate events/s), one COPY statement per
 *   batch. Event i carries i in its `bidder` column (the view must keep that column) and its
 *   intended send time as `date_time` (wall clock, so event time is monotonic and nothing is
 *   late). The subscriber looks the id up and records
 *     from send:     receive time − the batch's scheduled send time (so a writer that falls
 *                    behind schedule shows up as latency: no coordinated omission)
 *     from return:   receive time − the time the batch's COPY returned (CommandComplete);
 *                    negative when the row arrived before the COPY's acknowledgement
 *   Events of the first `warmup` seconds are left out of the distribution. One line of
 *   key=value pairs goes to stdout; exit status 0 when every event's row arrived exactly once.
 *
 * Drain mode:
 *   latency --drain --host H --port P --view V [--idle-ms 3000]
 *   Subscribes with WITH (timeout = idle) over a bare pgwire socket (no libpq: at millions of
 *   rows a second libpq's per-row PGresult would make this client the bottleneck), counts the
 *   DataRows until the server ends the subscription, and prints rows= and the wall times of
 *   the first and last row. Used by bench/run.sh so that q0–q2 pay for egress.
 *
 * INTERFACE
 *   main   the two modes above
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "libpq-fe.h"

typedef struct Options {
    const char *host;
    int port;
    const char *view;
    const char *stream;
    long rate;
    int batch;
    double seconds;
    double warmup;
    int idle_ms;
    bool drain;
} Options;

static int64_t
now_mono_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static int64_t
now_real_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static void
die(const char *fmt, const char *arg)
{
    fprintf(stderr, "latency: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(2);
}

/* ---------------------------------------------------------------- drain (bare pgwire) */

static void
put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t
get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            die("write: %s", strerror(errno));
        c += w;
        n -= (size_t)w;
    }
}

/* Reads messages until the server ends the statement. Returns the number of DataRows, sets
 * first/last to the wall time of the first and last one. `stop_at_ready`: return at the first
 * ReadyForQuery (startup). Exits on an ErrorResponse. */
static int64_t
read_messages(int fd, bool stop_at_ready, int64_t *first, int64_t *last)
{
    static unsigned char buf[1 << 20];
    static size_t have = 0;
    int64_t rows = 0;
    bool done = false;
    while (!done) {
        ssize_t r = read(fd, buf + have, sizeof buf - have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            die("connection closed by the server%s", "");
        have += (size_t)r;
        int64_t t = now_real_us();
        size_t off = 0;
        int64_t got = 0;
        while (have - off >= 5) {
            uint32_t len = get_u32(buf + off + 1);
            if (len + 1 > sizeof buf)
                die("message too large (%s)", "over 1 MiB");
            if (have - off < (size_t)len + 1)
                break;
            char type = (char)buf[off];
            if (type == 'D') {
                got++;
            } else if (type == 'E') {
                /* print the M field */
                const char *f = (const char *)buf + off + 5, *end = f + len - 4;
                while (f < end && *f) {
                    if (*f == 'M')
                        die("server error: %s", f + 1);
                    f += strlen(f) + 1;
                }
                die("server error%s", "");
            } else if (type == 'Z') {
                if (stop_at_ready) {
                    done = true;
                    off += (size_t)len + 1;
                    break;
                }
            } else if (type == 'C') {
                done = true;
            } else if (type == 'R' && len >= 8 && get_u32(buf + off + 5) != 0) {
                die("the server asks for a password (%s)", "trust expected");
            }
            off += (size_t)len + 1;
        }
        if (got) {
            if (rows == 0)
                *first = t;
            *last = t;
            rows += got;
        }
        memmove(buf, buf + off, have - off);
        have -= off;
    }
    return rows;
}

static int
run_drain(const Options *o)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
    if (fd < 0 || inet_pton(AF_INET, o->host, &sa.sin_addr) != 1)
        die("bad host %s (an IPv4 address is expected)", o->host);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
        die("connect: %s", strerror(errno));
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    unsigned char start[256];
    size_t n = 8;
    const char *kv[] = {"user", "bench", "database", "bench", "application_name", "drain"};
    for (size_t i = 0; i < 6; i++) {
        size_t l = strlen(kv[i]) + 1;
        memcpy(start + n, kv[i], l);
        n += l;
    }
    start[n++] = 0;
    put_u32(start, (uint32_t)n);
    put_u32(start + 4, 196608); /* protocol 3.0 */
    write_all(fd, start, n);
    int64_t first = 0, last = 0;
    read_messages(fd, true, &first, &last);

    char q[512];
    int ql = snprintf(q, sizeof q, "SUBSCRIBE %s WITH (timeout = '%d ms')", o->view, o->idle_ms);
    if (ql <= 0 || (size_t)ql >= sizeof q - 6)
        die("view name too long: %s", o->view);
    unsigned char msg[600];
    msg[0] = 'Q';
    put_u32(msg + 1, (uint32_t)(4 + ql + 1));
    memcpy(msg + 5, q, (size_t)ql + 1);
    write_all(fd, msg, (size_t)ql + 6);
    int64_t t0 = now_real_us();
    int64_t rows = read_messages(fd, false, &first, &last);
    unsigned char term[5] = {'X', 0, 0, 0, 4};
    write_all(fd, term, sizeof term);
    close(fd);
    printf("rows=%lld subscribed_us=%lld first_us=%lld last_us=%lld\n", (long long)rows,
           (long long)t0, (long long)(rows ? first : 0), (long long)(rows ? last : 0));
    return 0;
}

/* ---------------------------------------------------------------- latency (libpq) */

typedef struct Shared {
    const Options *o;
    int64_t nevents;
    int64_t *sched_us;          /* per batch: scheduled send (monotonic) */
    _Atomic int64_t *ack_us;    /* per batch: COPY returned (monotonic); 0 = not yet */
    int64_t *lat_send;          /* per event: receive − scheduled send */
    int64_t *lat_ack;           /* per event: receive − COPY returned */
    uint8_t *seen;              /* per event: times received */
    int64_t received, unknown, early;
    char sub_error[256];
} Shared;

static PGconn *
connect_or_die(const Options *o, const char *app)
{
    char ci[256];
    snprintf(ci, sizeof ci, "host=%s port=%d user=bench dbname=bench application_name=%s",
             o->host, o->port, app);
    PGconn *c = PQconnectdb(ci);
    if (PQstatus(c) != CONNECTION_OK)
        die("connect: %s", PQerrorMessage(c));
    return c;
}

static void *
subscriber_main(void *arg)
{
    Shared *sh = arg;
    const Options *o = sh->o;
    PGconn *c = connect_or_die(o, "latency-sub");
    char q[512];
    snprintf(q, sizeof q, "SUBSCRIBE %s WITH (timeout = '%d ms')", o->view, o->idle_ms);
    if (!PQsendQuery(c, q) || !PQsetSingleRowMode(c)) {
        snprintf(sh->sub_error, sizeof sh->sub_error, "%s", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    int idcol = -1;
    PGresult *r;
    while ((r = PQgetResult(c)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            int64_t now = now_mono_us();
            if (idcol < 0)
                idcol = PQfnumber(r, "bidder");
            if (idcol < 0) {
                snprintf(sh->sub_error, sizeof sh->sub_error, "view has no column bidder");
                PQclear(r);
                break;
            }
            int64_t id = strtoll(PQgetvalue(r, 0, idcol), NULL, 10);
            if (id < 0 || id >= sh->nevents) {
                sh->unknown++;
            } else {
                int64_t b = id / o->batch;
                int64_t ack = atomic_load_explicit(&sh->ack_us[b], memory_order_acquire);
                sh->lat_send[id] = now - sh->sched_us[b];
                if (ack == 0) {
                    sh->early++;   /* the row came before the COPY returned */
                    ack = now;
                }
                sh->lat_ack[id] = now - ack;
                if (sh->seen[id] < 255)
                    sh->seen[id]++;
                sh->received++;
            }
        } else if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
            snprintf(sh->sub_error, sizeof sh->sub_error, "%s", PQresultErrorMessage(r));
        }
        PQclear(r);
    }
    PQfinish(c);
    return NULL;
}

static int64_t
show_value(PGconn *c, const char *obj, const char *key)
{
    char q[256];
    snprintf(q, sizeof q, "SHOW %s STATUS", obj);
    PGresult *r = PQexec(c, q);
    int64_t v = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        for (int i = 0; i < PQntuples(r); i++)
            if (strcmp(PQgetvalue(r, i, 0), key) == 0)
                v = strtoll(PQgetvalue(r, i, 1), NULL, 10);
    PQclear(r);
    return v;
}

static void
format_ts(int64_t us, char *out, size_t n)
{
    time_t s = (time_t)(us / 1000000);
    struct tm tm;
    gmtime_r(&s, &tm);
    size_t k = strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(out + k, n - k, ".%06d", (int)(us % 1000000));
}

static int
cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts v[0..n) and prints name_p50_us, name_p99_us, name_max_us. */
static void
print_dist(const char *name, int64_t *v, int64_t n)
{
    if (n == 0) {
        printf(" %s_p50_us=NA %s_p99_us=NA %s_max_us=NA", name, name, name);
        return;
    }
    qsort(v, (size_t)n, sizeof *v, cmp_i64);
    printf(" %s_p50_us=%lld %s_p99_us=%lld %s_max_us=%lld", name, (long long)v[n / 2], name,
           (long long)v[(n * 99) / 100], name, (long long)v[n - 1]);
}

static int
run_latency(const Options *o)
{
    Shared sh = {.o = o};
    int64_t nbatches = (int64_t)(o->seconds * (double)o->rate / o->batch);
    if (nbatches < 1)
        nbatches = 1;
    sh.nevents = nbatches * o->batch;
    sh.sched_us = calloc((size_t)nbatches, sizeof(int64_t));
    sh.ack_us = calloc((size_t)nbatches, sizeof(_Atomic int64_t));
    sh.lat_send = calloc((size_t)sh.nevents, sizeof(int64_t));
    sh.lat_ack = calloc((size_t)sh.nevents, sizeof(int64_t));
    sh.seen = calloc((size_t)sh.nevents, 1);
    if (!sh.sched_us || !sh.ack_us || !sh.lat_send || !sh.lat_ack || !sh.seen)
        die("out of memory%s", "");
    double interval_us = 1e6 * o->batch / (double)o->rate;

    PGconn *w = connect_or_die(o, "latency-writer");
    pthread_t th;
    if (pthread_create(&th, NULL, subscriber_main, &sh) != 0)
        die("pthread_create failed%s", "");
    /* wait until the subscription is registered: rows of events sent before it would be lost */
    int64_t deadline = now_mono_us() + 10 * 1000000;
    while (show_value(w, o->view, "subscribers") < 1) {
        if (now_mono_us() > deadline || sh.sub_error[0])
            die("the subscription did not start: %s", sh.sub_error);
        usleep(2000);
    }

    char copy_sql[256];
    snprintf(copy_sql, sizeof copy_sql, "COPY %s (auction, bidder, price, date_time) FROM STDIN "
             "(FORMAT csv)", o->stream);
    size_t cap = (size_t)o->batch * 96 + 64;
    char *csv = malloc(cap);
    int64_t t0 = now_mono_us() + 10000, wall0 = now_real_us() + 10000;
    int64_t max_behind = 0;
    for (int64_t b = 0; b < nbatches; b++) {
        int64_t due = t0 + (int64_t)((double)b * interval_us);
        sh.sched_us[b] = due;
        int64_t now = now_mono_us();
        if (due > now) {
            struct timespec ts = {.tv_sec = due / 1000000, .tv_nsec = (due % 1000000) * 1000};
            while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
            }
        } else if (now - due > max_behind) {
            max_behind = now - due;
        }
        size_t len = 0;
        char tsbuf[64];
        format_ts(wall0 + (due - t0), tsbuf, sizeof tsbuf);
        for (int i = 0; i < o->batch; i++) {
            int64_t id = b * o->batch + i;
            len += (size_t)snprintf(csv + len, cap - len, "%lld,%lld,%lld,%s\n",
                                    (long long)(1000 + id % 1000), (long long)id,
                                    (long long)(100 + id % 9973), tsbuf);
        }
        PGresult *r = PQexec(w, copy_sql);
        if (PQresultStatus(r) != PGRES_COPY_IN)
            die("COPY: %s", PQresultErrorMessage(r));
        PQclear(r);
        if (PQputCopyData(w, csv, (int)len) != 1 || PQputCopyEnd(w, NULL) != 1)
            die("COPY data: %s", PQerrorMessage(w));
        r = PQgetResult(w);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            die("COPY: %s", PQresultErrorMessage(r));
        atomic_store_explicit(&sh.ack_us[b], now_mono_us(), memory_order_release);
        PQclear(r);
        while ((r = PQgetResult(w)) != NULL)
            PQclear(r);
    }
    int64_t t_end = now_mono_us();
    PQfinish(w);
    pthread_join(th, NULL);
    if (sh.sub_error[0])
        die("subscriber: %s", sh.sub_error);

    int64_t skip = (int64_t)(o->warmup * (double)o->rate);
    if (skip >= sh.nevents)
        skip = 0;
    int64_t missing = 0, dup = 0, m = 0;
    for (int64_t i = 0; i < sh.nevents; i++) {
        if (sh.seen[i] == 0)
            missing++;
        else if (sh.seen[i] > 1)
            dup++;
    }
    for (int64_t i = skip; i < sh.nevents; i++)
        if (sh.seen[i]) {
            sh.lat_send[m] = sh.lat_send[i];
            sh.lat_ack[m] = sh.lat_ack[i];
            m++;
        }
    double secs = (double)(t_end - t0) / 1e6;
    printf("events=%lld received=%lld missing=%lld duplicates=%lld unknown=%lld measured=%lld "
           "rate=%.0f behind_max_us=%lld rows_before_ack=%lld",
           (long long)sh.nevents, (long long)sh.received, (long long)missing, (long long)dup,
           (long long)sh.unknown, (long long)m, (double)sh.nevents / secs, (long long)max_behind,
           (long long)sh.early);
    print_dist("send", sh.lat_send, m);
    print_dist("ack", sh.lat_ack, m);
    putchar('\n');
    free(csv);
    free(sh.sched_us);
    free(sh.ack_us);
    free(sh.lat_send);
    free(sh.lat_ack);
    free(sh.seen);
    return missing == 0 && dup == 0 && sh.unknown == 0 ? 0 : 1;
}

static void
usage(void)
{
    fprintf(stderr,
            "usage: latency --host H --port P --view V [--stream S] [--rate N] [--batch N]\n"
            "               [--seconds S] [--warmup S] [--idle-ms MS]\n"
            "       latency --drain --host H --port P --view V [--idle-ms MS]\n");
    exit(2);
}

int
main(int argc, char **argv)
{
    Options o = {.host = "127.0.0.1", .port = 5460, .stream = "bid", .rate = 100000,
                 .batch = 100, .seconds = 10, .warmup = 1, .idle_ms = 2000};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--drain") == 0) {
            o.drain = true;
            continue;
        }
        if (!v)
            usage();
        i++;
        if (strcmp(a, "--host") == 0)
            o.host = v;
        else if (strcmp(a, "--port") == 0)
            o.port = atoi(v);
        else if (strcmp(a, "--view") == 0)
            o.view = v;
        else if (strcmp(a, "--stream") == 0)
            o.stream = v;
        else if (strcmp(a, "--rate") == 0)
            o.rate = atol(v);
        else if (strcmp(a, "--batch") == 0)
            o.batch = atoi(v);
        else if (strcmp(a, "--seconds") == 0)
            o.seconds = atof(v);
        else if (strcmp(a, "--warmup") == 0)
            o.warmup = atof(v);
        else if (strcmp(a, "--idle-ms") == 0)
            o.idle_ms = atoi(v);
        else
            usage();
    }
    if (!o.view || o.port <= 0 || o.rate <= 0 || o.batch <= 0 || o.idle_ms <= 0)
        usage();
    setvbuf(stdout, NULL, _IOLBF, 0);
    return o.drain ? run_drain(&o) : run_latency(&o);
}
