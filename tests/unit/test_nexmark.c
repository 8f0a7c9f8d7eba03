/*
 * tests/unit/test_nexmark.c — unit tests for the Nexmark generator (bench/nexmark_gen.c).
 *
 * The Makefile links unit tests against the server and engine objects only, not bench/, so
 * the generator's source is included here directly (it needs nothing beyond common/, which
 * the engine objects provide). That also lets the tests see its static helpers.
 *
 * INTERFACE
 *   main    runs every test in one cmocka group
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/nexmark_gen.c"
#include "common/errors.h"

#define N_EVENTS 100000

/* ---- helpers ----------------------------------------------------------------------------- */

static uint64_t
fnv1a(uint64_t h, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

/* Hash of the CSV of events [0, n) under cfg. */
static uint64_t
hash_run(const NexmarkConfig *cfg, int64_t n)
{
    static NexmarkEvent ev;
    static char line[NEXMARK_CSV_MAX];
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (int64_t i = 0; i < n; i++) {
        nexmark_event(cfg, i, &ev);
        h = fnv1a(h, line, nexmark_format_csv(&ev, line));
    }
    return h;
}

/*
 * Splits one CSV line (RFC 4180, '\n'-terminated) into fields; unquotes into `buf`.
 * Returns the field count, or -1 if the line is malformed. fields[i] points into buf.
 */
static int
csv_split(const char *line, size_t n, char *buf, const char **fields, size_t *lens, int max)
{
    if (n == 0 || line[n - 1] != '\n')
        return -1;
    n--;
    size_t i = 0, o = 0;
    int nf = 0;
    for (;;) {
        if (nf == max)
            return -1;
        fields[nf] = buf + o;
        size_t start = o;
        if (i < n && line[i] == '"') {
            i++;
            for (;;) {
                if (i >= n)
                    return -1;
                if (line[i] == '"') {
                    if (i + 1 < n && line[i + 1] == '"') {
                        buf[o++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                buf[o++] = line[i++];
            }
        } else {
            while (i < n && line[i] != ',') {
                if (line[i] == '"' || line[i] == '\r')
                    return -1;
                buf[o++] = line[i++];
            }
        }
        lens[nf++] = o - start;
        buf[o++] = '\0';
        if (i == n)
            return nf;
        if (line[i] != ',')
            return -1;
        i++;
    }
}

static bool
in_list(const char *s, size_t n, const char *const *list, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
            return true;
    return false;
}

static int64_t
parse_int(const char *s)
{
    return strtoll(s, NULL, 10);
}

/* ---- determinism and random access -------------------------------------------------------- */

static void
test_deterministic(void **state)
{
    (void)state;
    NexmarkConfig cfg;
    nexmark_config_default(&cfg);
    uint64_t a = hash_run(&cfg, N_EVENTS);
    uint64_t b = hash_run(&cfg, N_EVENTS);
    assert_true(a == b);
    cfg.seed = 2;
    uint64_t c = hash_run(&cfg, N_EVENTS);
    assert_true(a != c);
    /* Seeds differing in one low bit must not share event streams (id ^ seed collisions). */
    cfg.seed = 3;
    assert_true(hash_run(&cfg, N_EVENTS) != c);
}

static void
check_random_access(const NexmarkConfig *cfg)
{
    enum { N = 10000 };
    static char seq[N][1024];
    static size_t seq_len[N];
    static NexmarkEvent ev;
    static char line[NEXMARK_CSV_MAX];
    for (int i = 0; i < N; i++) {
        nexmark_event(cfg, i, &ev);
        seq_len[i] = nexmark_format_csv(&ev, line);
        assert_true(seq_len[i] < sizeof seq[0]);
        memcpy(seq[i], line, seq_len[i]);
    }
    /* 7919 is prime and does not divide N: a permutation of 0..N-1. */
    for (int j = 0; j < N; j++) {
        int n = (int)((int64_t)j * 7919 % N);
        nexmark_event(cfg, n, &ev);
        size_t len = nexmark_format_csv(&ev, line);
        assert_int_equal(len, seq_len[n]);
        assert_memory_equal(line, seq[n], len);
    }
}

static void
test_random_access(void **state)
{
    (void)state;
    NexmarkConfig cfg;
    nexmark_config_default(&cfg);
    check_random_access(&cfg);
    cfg.ooo_group = 50;
    cfg.first_event_id = 12345;
    check_random_access(&cfg);
}

/* ---- ids, proportions, foreign keys ------------------------------------------------------- */

static void
test_proportions(void **state)
{
    (void)state;
    NexmarkConfig cfg;
    nexmark_config_default(&cfg);
    NexmarkEvent *ev = malloc(sizeof *ev);
    for (int64_t block = 0; block < N_EVENTS / 50; block++) {
        int count[NEXMARK_NKINDS] = {0, 0, 0};
        for (int64_t i = 0; i < 50; i++) {
            int64_t n = block * 50 + i;
            NexmarkKind k = nexmark_event_kind(&cfg, n);
            NexmarkKind want = i < 1 ? NEXMARK_PERSON : i < 4 ? NEXMARK_AUCTION : NEXMARK_BID;
            assert_int_equal(k, want);
            if (i < 5 || i == 49) { /* the full event agrees with the cheap kind */
                nexmark_event(&cfg, n, ev);
                assert_int_equal(ev->kind, k);
                assert_int_equal(ev->event_id, n);
            }
            count[k]++;
        }
        assert_int_equal(count[NEXMARK_PERSON], 1);
        assert_int_equal(count[NEXMARK_AUCTION], 3);
        assert_int_equal(count[NEXMARK_BID], 46);
    }
    /* With an out-of-order group of 50, each group is a permutation of its 50 ids, so the
     * block proportions still hold exactly. */
    cfg.ooo_group = 50;
    for (int64_t block = 0; block < 200; block++) {
        bool seen[50] = {false};
        int count[NEXMARK_NKINDS] = {0, 0, 0};
        for (int64_t i = 0; i < 50; i++) {
            int64_t id = nexmark_event_id(&cfg, block * 50 + i);
            assert_true(id >= block * 50 && id < block * 50 + 50);
            assert_false(seen[id - block * 50]);
            seen[id - block * 50] = true;
            count[nexmark_event_kind(&cfg, block * 50 + i)]++;
        }
        assert_int_equal(count[NEXMARK_PERSON], 1);
        assert_int_equal(count[NEXMARK_AUCTION], 3);
        assert_int_equal(count[NEXMARK_BID], 46);
    }
    free(ev);
}

static void
test_ids_and_keys(void **state)
{
    (void)state;
    NexmarkConfig cfg;
    nexmark_config_default(&cfg);
    NexmarkEvent *ev = malloc(sizeof *ev);
    int64_t last_person = NEXMARK_FIRST_PERSON_ID - 1;
    int64_t last_auction = NEXMARK_FIRST_AUCTION_ID - 1;
    int64_t hot_bids = 0, bids = 0;
    for (int64_t n = 0; n < N_EVENTS; n++) {
        nexmark_event(&cfg, n, ev);
        switch (ev->kind) {
        case NEXMARK_PERSON:
            if (n == 0)
                assert_int_equal(ev->person.id, 1000);
            assert_int_equal(ev->person.id, last_person + 1);
            last_person = ev->person.id;
            assert_int_equal(nexmark_last_person_id(&cfg, ev->event_id), last_person);
            break;
        case NEXMARK_AUCTION: {
            const NexmarkAuction *a = &ev->auction;
            if (n == 1)
                assert_int_equal(a->id, 1000);
            assert_int_equal(a->id, last_auction + 1);
            last_auction = a->id;
            assert_int_equal(nexmark_last_auction_id(&cfg, ev->event_id), last_auction);
            assert_true(a->seller >= NEXMARK_FIRST_PERSON_ID);
            assert_true(a->seller <= last_person + NEXMARK_PERSON_ID_LEAD);
            assert_true(a->category >= 10 && a->category <= 14);
            assert_true(a->initial_bid >= 100 && a->initial_bid <= 100000000);
            assert_true(a->reserve >= a->initial_bid + 100);
            assert_true(a->reserve <= a->initial_bid + 100000000);
            break;
        }
        case NEXMARK_BID: {
            const NexmarkBid *b = &ev->bid;
            bids++;
            assert_true(b->auction >= NEXMARK_FIRST_AUCTION_ID);
            assert_true(b->auction <= last_auction + NEXMARK_AUCTION_ID_LEAD);
            /* in flight: within the last 100 auctions (hot: first id of the latest block) */
            assert_true(b->auction >= last_auction - 100);
            if (b->auction == (last_auction - 1000) / 100 * 100 + 1000)
                hot_bids++;
            assert_true(b->bidder >= NEXMARK_FIRST_PERSON_ID);
            assert_true(b->bidder <= last_person + NEXMARK_PERSON_ID_LEAD);
            assert_true(b->bidder >= last_person + 1 - 1000);
            assert_true(b->price >= 100 && b->price <= 100000000);
            break;
        }
        }
    }
    /* Hot auction probability 1/2 (plus the odd cold hit on the same id). */
    assert_true(hot_bids > bids * 45 / 100 && hot_bids < bids * 56 / 100);
    free(ev);
}

static void
test_strings(void **state)
{
    (void)state;
    NexmarkConfig cfg;
    nexmark_config_default(&cfg);
    NexmarkEvent *ev = malloc(sizeof *ev);
    char hot_url[4][96];
    size_t hot_len[4] = {0, 0, 0, 0};
    static char chan_url[NUM_CHANNELS][96];
    static size_t chan_len[NUM_CHANNELS];
    memset(chan_len, 0, sizeof chan_len);
    int64_t hot_channel = 0, bids = 0;
    for (int64_t n = 0; n < N_EVENTS; n++) {
        nexmark_event(&cfg, n, ev);
        int lo, hi;
        switch (ev->kind) {
        case NEXMARK_PERSON: {
            const NexmarkPerson *p = &ev->person;
            assert_true(in_list(p->city, strlen(p->city), cities, NAMES_LEN(cities)));
            assert_true(in_list(p->state, strlen(p->state), states, NAMES_LEN(states)));
            const char *sp = memchr(p->name, ' ', p->name_len);
            assert_non_null(sp);
            assert_true(in_list(p->name, (size_t)(sp - p->name), first_names,
                                NAMES_LEN(first_names)));
            assert_true(in_list(sp + 1, (size_t)(p->name + p->name_len - sp - 1), last_names,
                                NAMES_LEN(last_names)));
            assert_non_null(memchr(p->email, '@', p->email_len));
            assert_memory_equal(p->email + p->email_len - 4, ".com", 4);
            assert_true(p->credit_card[4] == ' ' && p->credit_card[9] == ' ' &&
                        p->credit_card[14] == ' ');
            int d = cfg.avg_person_size - nexmark_person_fixed_size(p);
            lo = d - (int)lround(0.2 * d);
            hi = d + (int)lround(0.2 * d) - 1;
            break;
        }
        case NEXMARK_AUCTION: {
            const NexmarkAuction *a = &ev->auction;
            assert_true(a->item_name_len <= 19 && a->description_len <= 99);
            assert_true(a->expires > ev->date_time);
            int d = cfg.avg_auction_size - nexmark_auction_fixed_size(a);
            lo = d - (int)lround(0.2 * d);
            hi = d + (int)lround(0.2 * d) - 1;
            break;
        }
        case NEXMARK_BID: {
            const NexmarkBid *b = &ev->bid;
            bids++;
            assert_memory_equal(b->url, "https://www.nexmark.com/", 24);
            assert_non_null(memmem(b->url, b->url_len, "/item.htm?query=1", 17));
            int hot = -1;
            for (int i = 0; i < 4; i++)
                if (strlen(hot_channels[i]) == b->channel_len &&
                    memcmp(hot_channels[i], b->channel, b->channel_len) == 0)
                    hot = i;
            if (hot >= 0) {
                hot_channel++;
                if (!hot_len[hot]) {
                    hot_len[hot] = b->url_len;
                    memcpy(hot_url[hot], b->url, b->url_len);
                }
                /* a hot channel always has the same URL */
                assert_int_equal(b->url_len, hot_len[hot]);
                assert_memory_equal(b->url, hot_url[hot], b->url_len);
            } else {
                assert_memory_equal(b->channel, "channel-", 8);
                char num[8] = {0};
                memcpy(num, b->channel + 8, b->channel_len - 8u);
                int64_t i = parse_int(num);
                assert_true(i >= 0 && i < NUM_CHANNELS);
                if (!chan_len[i]) {
                    chan_len[i] = b->url_len;
                    memcpy(chan_url[i], b->url, b->url_len);
                }
                assert_int_equal(b->url_len, chan_len[i]);
                assert_memory_equal(b->url, chan_url[i], b->url_len);
            }
            lo = 54;
            hi = 81;
            break;
        }
        default:
            lo = hi = -1;
        }
        assert_in_range(ev->extra_len, lo, hi);
        for (uint32_t i = 0; i < ev->extra_len; i++)
            assert_true(ev->extra[i] >= 'a' && ev->extra[i] <= 'z');
    }
    assert_true(hot_channel > bids * 45 / 100 && hot_channel < bids * 55 / 100);
    free(ev);
}

static void
test_timestamps(void **state)
{
    (void)state;
    NexmarkConfig cfg;
    nexmark_config_default(&cfg);
    NexmarkEvent *ev = malloc(sizeof *ev);
    int64_t base = cfg.base_time_us;
    assert_true(base == INT64_C(1704067200) * 1000000); /* 2024-01-01 00:00:00 UTC */
    int64_t prev = INT64_MIN;
    for (int64_t n = 0; n < N_EVENTS; n++) {
        nexmark_event(&cfg, n, ev);
        /* 10 000 events/s: 100 µs per event, truncated to the millisecond */
        assert_true(ev->date_time == base + n * 100 / 1000 * 1000);
        assert_true(ev->date_time >= prev);
        prev = ev->date_time;
        if (ev->kind == NEXMARK_AUCTION) {
            /* horizon: 1666 events = 166.6 ms; length 1 .. 2 × horizon ms */
            int64_t len = ev->auction.expires - ev->date_time;
            assert_true(len >= 1000 && len <= 334 * 1000 && len % 1000 == 0);
        }
    }
    /* A rate whose delay is not an integer: within a millisecond of n * 1e6 / rate. */
    cfg.rate = 3.0;
    for (int64_t n = 0; n < 1000; n++) {
        int64_t t = nexmark_timestamp_us(&cfg, n);
        int64_t exact = base + n * 1000000 / 3;
        assert_true(t <= exact && exact - t < 1000);
        assert_true(t % 1000 == 0);
    }
    cfg.rate = 12345.5;
    for (int64_t n = 0; n < 100000; n += 7) {
        double exact = (double)base + (double)n * 1e6 / 12345.5;
        double t = (double)nexmark_timestamp_us(&cfg, n);
        assert_true(t <= exact + 1 && exact - t < 1001);
    }
    /* Out of order: times follow the permuted ids, all within the group's span. */
    nexmark_config_default(&cfg);
    cfg.ooo_group = 50;
    for (int64_t n = 0; n < 5000; n++) {
        int64_t id = nexmark_event_id(&cfg, n);
        assert_true(nexmark_timestamp_us(&cfg, n) == base + id * 100 / 1000 * 1000);
    }
    free(ev);
}

/* ---- CSV --------------------------------------------------------------------------------- */

static void
test_csv_parse(void **state)
{
    (void)state;
    NexmarkConfig cfg;
    nexmark_config_default(&cfg);
    NexmarkEvent *ev = malloc(sizeof *ev);
    static char line[NEXMARK_CSV_MAX], buf[NEXMARK_CSV_MAX];
    const char *f[16];
    size_t fl[16];
    for (int64_t n = 0; n < N_EVENTS; n++) {
        nexmark_event(&cfg, n, ev);
        size_t len = nexmark_format_csv(ev, line);
        assert_true(len < NEXMARK_CSV_MAX);
        int nf = csv_split(line, len, buf, f, fl, 16);
        assert_int_equal(nf, nexmark_stream_ncols(ev->kind));
        int tcol = ev->kind == NEXMARK_PERSON ? 6 : ev->kind == NEXMARK_AUCTION ? 5 : 5;
        assert_int_equal(fl[tcol], 23);
        assert_true(f[tcol][4] == '-' && f[tcol][10] == ' ' && f[tcol][19] == '.');
        assert_int_equal(fl[nf - 1], ev->extra_len);
        if (ev->kind == NEXMARK_BID) {
            assert_int_equal(parse_int(f[0]), ev->bid.auction);
            assert_int_equal(parse_int(f[1]), ev->bid.bidder);
            assert_int_equal(parse_int(f[2]), ev->bid.price);
        } else if (ev->kind == NEXMARK_AUCTION) {
            assert_int_equal(parse_int(f[0]), ev->auction.id);
            assert_int_equal(parse_int(f[8]), ev->auction.category);
        } else {
            assert_int_equal(parse_int(f[0]), ev->person.id);
        }
        /* The text round-trips through common/'s timestamp parser. */
        if (n % 997 == 0) {
            int64_t us;
            SqlError err;
            err_init(&err, NULL);
            assert_int_equal(ts_parse(f[tcol], fl[tcol], &us, &err), 0);
            assert_true(us == ev->date_time);
        }
    }
    free(ev);
}

static void
test_csv_format(void **state)
{
    (void)state;
    NexmarkConfig cfg;
    nexmark_config_default(&cfg);
    NexmarkEvent *ev = malloc(sizeof *ev);
    char line[NEXMARK_CSV_MAX];

    /* Event 0 is person 1000 at the base time. */
    nexmark_event(&cfg, 0, ev);
    size_t len = nexmark_format_csv(ev, line);
    assert_memory_equal(line, "1000,", 5);
    assert_non_null(memmem(line, len, ",2024-01-01 00:00:00.000,", 25));

    /* Quoting: comma, quote, newline, empty string; a leap-day timestamp; negatives. */
    memset(ev, 0, sizeof *ev);
    ev->kind = NEXMARK_BID;
    ev->bid.auction = -5;
    ev->bid.bidder = INT64_MAX;
    ev->bid.price = 0;
    memcpy(ev->bid.channel, "a,b", 3);
    ev->bid.channel_len = 3;
    memcpy(ev->bid.url, "say \"hi\"\nok", 11);
    ev->bid.url_len = 11;
    ev->date_time = (days_from_civil(2024, 2, 29) * 86400 + 86399) * INT64_C(1000000) + 999000;
    ev->extra_len = 0;
    len = nexmark_format_csv(ev, line);
    const char *want = "-5,9223372036854775807,0,\"a,b\",\"say \"\"hi\"\"\nok\","
                       "2024-02-29 23:59:59.999,\"\"\n";
    assert_int_equal(len, strlen(want));
    assert_memory_equal(line, want, len);

    /* An auction: two timestamps, INT64_MIN survives the integer formatter. */
    memset(ev, 0, sizeof *ev);
    ev->kind = NEXMARK_AUCTION;
    ev->auction.id = INT64_MIN;
    memcpy(ev->auction.item_name, "x", 1);
    ev->auction.item_name_len = 1;
    ev->auction.description_len = 0;
    ev->auction.initial_bid = 100;
    ev->auction.reserve = 99999999;
    ev->date_time = 0;
    ev->auction.expires = 1000;
    ev->auction.seller = 1000;
    ev->auction.category = 14;
    memcpy(ev->extra, "abc", 3);
    ev->extra_len = 3;
    len = nexmark_format_csv(ev, line);
    want = "-9223372036854775808,x,\"\",100,99999999,1970-01-01 00:00:00.000,"
           "1970-01-01 00:00:00.001,1000,14,abc\n";
    assert_int_equal(len, strlen(want));
    assert_memory_equal(line, want, len);

    /* nexmark_append_csv appends the same bytes. */
    Buf b;
    buf_init(&b);
    buf_puts(&b, "x");
    nexmark_append_csv(ev, &b);
    assert_int_equal(b.len, len + 1);
    assert_memory_equal(b.data + 1, line, len);
    buf_free(&b);
    free(ev);
}

/* Java's abs(Integer.reverse(i)) for the channel_id suffix. */
static void
test_channel_id(void **state)
{
    (void)state;
    NexmarkConfig cfg;
    nexmark_config_default(&cfg);
    NexmarkEvent *ev = malloc(sizeof *ev);
    int with_id = 0, total = 0;
    for (int64_t n = 0; n < N_EVENTS; n++) {
        if (nexmark_event_kind(&cfg, n) != NEXMARK_BID)
            continue;
        nexmark_event(&cfg, n, ev);
        const NexmarkBid *b = &ev->bid;
        if (b->channel[0] != 'c')
            continue;
        total++;
        const char *q = memmem(b->url, b->url_len, "&channel_id=", 12);
        if (!q)
            continue;
        with_id++;
        char num[16] = {0}, chan[8] = {0};
        memcpy(num, q + 12, (size_t)(b->url + b->url_len - q - 12));
        memcpy(chan, b->channel + 8, b->channel_len - 8u);
        uint32_t i = (uint32_t)parse_int(chan), rev = 0;
        for (int k = 0; k < 32; k++)
            rev |= ((i >> k) & 1u) << (31 - k);
        int64_t v = (int32_t)rev;
        if (v < 0 && v != INT32_MIN)
            v = -v;
        assert_true(parse_int(num) == v);
    }
    /* 90 % of the cached channels carry an id */
    assert_true(with_id > total * 85 / 100 && with_id < total * 95 / 100);
    free(ev);
}

static void
test_config_check(void **state)
{
    (void)state;
    NexmarkConfig cfg;
    nexmark_config_default(&cfg);
    assert_null(nexmark_config_check(&cfg));
    assert_int_equal(cfg.first_event_id, 0);
    assert_true(cfg.rate == 10000.0);
    assert_int_equal(cfg.ooo_group, 1);
    cfg.rate = 0;
    assert_non_null(nexmark_config_check(&cfg));
    nexmark_config_default(&cfg);
    cfg.ooo_group = 0;
    assert_non_null(nexmark_config_check(&cfg));
    nexmark_config_default(&cfg);
    cfg.avg_auction_size = NEXMARK_MAX_AVG_SIZE + 1;
    assert_non_null(nexmark_config_check(&cfg));
    /* The largest average sizes still fit the fixed buffers. */
    cfg.avg_auction_size = NEXMARK_MAX_AVG_SIZE;
    cfg.avg_person_size = NEXMARK_MAX_AVG_SIZE;
    cfg.avg_bid_size = NEXMARK_MAX_AVG_SIZE;
    assert_null(nexmark_config_check(&cfg));
    NexmarkEvent *ev = malloc(sizeof *ev);
    char *line = malloc(NEXMARK_CSV_MAX);
    for (int64_t n = 0; n < 2000; n++) {
        nexmark_event(&cfg, n, ev);
        assert_true(ev->extra_len <= NEXMARK_EXTRA_MAX);
        assert_true(nexmark_format_csv(ev, line) <= NEXMARK_CSV_MAX);
    }
    free(line);
    free(ev);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_random_access),
        cmocka_unit_test(test_proportions),
        cmocka_unit_test(test_ids_and_keys),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_timestamps),
        cmocka_unit_test(test_csv_parse),
        cmocka_unit_test(test_csv_format),
        cmocka_unit_test(test_channel_id),
        cmocka_unit_test(test_config_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
