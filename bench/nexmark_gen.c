/*
 * bench/nexmark_gen.c — deterministic Nexmark event generator (see nexmark_gen.h).
 *
 * The rules (ids, foreign keys, hot keys, prices, strings, auction lengths, timestamps) are
 * those of /work/shared/nexmark.md; this file is our own code. Speed matters (the CLI feeds
 * sluiced and the engine benchmark generates in-process): no allocation, no stdio, one RNG
 * seeding per event, hand-written integer and timestamp formatting.
 *
 * INTERFACE
 *   nexmark_config_default, nexmark_config_check
 *   nexmark_event_id, nexmark_kind_of_id, nexmark_event_kind, nexmark_timestamp_us
 *   nexmark_last_person_id, nexmark_last_auction_id
 *   nexmark_event
 *   nexmark_format_csv, nexmark_append_csv
 *   nexmark_stream_name, nexmark_stream_ncols
 *   nexmark_person_fixed_size, nexmark_auction_fixed_size
 */
#include "bench/nexmark_gen.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "common/buf.h"
#include "common/sltime.h"

/* ------------------------------------------------------------------ RNG */

/* splitmix64's finaliser: a bijective mix of 64 bits. */
static inline uint64_t
mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

typedef struct Rng {
    uint64_t s;
} Rng;

#define GOLDEN UINT64_C(0x9e3779b97f4a7c15)
/* Salts keep the side tables (hot URLs, channel URL cache) off the event RNG streams. */
#define SALT_HOT_URL UINT64_C(0x686f7475726c0001)
#define SALT_CHANNEL UINT64_C(0x6368616e6e656c02)

/* The seed is mixed before the id is xor-ed in, so seeds s and s^1 do not share streams. */
static inline void
rng_seed(Rng *r, uint64_t seed, uint64_t id)
{
    r->s = mix64(mix64(seed + GOLDEN) ^ id);
}

static inline uint64_t
rng_next(Rng *r)
{
    r->s += GOLDEN;
    return mix64(r->s);
}

/* Uniform in [0, n) by multiply-shift (bias ≤ n / 2^64). */
static inline uint64_t
rng_below(Rng *r, uint64_t n)
{
    return (uint64_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

/* Uniform in [0, 1) with 53 bits. */
static inline double
rng_double(Rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* ------------------------------------------------------------------ config */

void
nexmark_config_default(NexmarkConfig *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->seed = 1;
    cfg->events = 1000000;
    cfg->first_event_id = 0;
    cfg->rate = 10000.0;
    cfg->base_time_us = days_from_civil(2024, 1, 1) * 86400 * SL_US_PER_SEC;
    cfg->ooo_group = 1;
    cfg->person_proportion = 1;
    cfg->auction_proportion = 3;
    cfg->bid_proportion = 46;
    cfg->hot_auction_ratio = 2;
    cfg->hot_seller_ratio = 4;
    cfg->hot_bidder_ratio = 4;
    cfg->in_flight_auctions = 100;
    cfg->active_people = 1000;
    cfg->avg_person_size = 200;
    cfg->avg_auction_size = 500;
    cfg->avg_bid_size = 100;
}

const char *
nexmark_config_check(const NexmarkConfig *cfg)
{
    if (!(cfg->rate > 0) || !isfinite(cfg->rate))
        return "event rate must be a positive number";
    if (cfg->events < 0)
        return "event count must not be negative";
    if (cfg->first_event_id < 0)
        return "first event id must not be negative";
    if (cfg->ooo_group < 1)
        return "out-of-order group size must be at least 1";
    if (cfg->person_proportion < 1 || cfg->auction_proportion < 1 || cfg->bid_proportion < 1)
        return "proportions must be at least 1";
    if (cfg->hot_auction_ratio < 1 || cfg->hot_seller_ratio < 1 || cfg->hot_bidder_ratio < 1)
        return "hot ratios must be at least 1";
    if (cfg->in_flight_auctions < 1 || cfg->active_people < 1)
        return "in-flight auctions and active people must be at least 1";
    if (cfg->avg_person_size < 0 || cfg->avg_person_size > NEXMARK_MAX_AVG_SIZE ||
        cfg->avg_auction_size < 0 || cfg->avg_auction_size > NEXMARK_MAX_AVG_SIZE ||
        cfg->avg_bid_size < 0 || cfg->avg_bid_size > NEXMARK_MAX_AVG_SIZE)
        return "average sizes must be in 0..4096";
    return NULL;
}

/* ------------------------------------------------------------------ ids and time */

static inline int64_t
total_proportion(const NexmarkConfig *cfg)
{
    return (int64_t)cfg->person_proportion + cfg->auction_proportion + cfg->bid_proportion;
}

/* GeneratorConfig.nextAdjustedEventNumber: permute numbers within groups of ooo_group. */
static inline int64_t
adjusted_number(const NexmarkConfig *cfg, int64_t n)
{
    int64_t g = cfg->ooo_group;
    if (g == 1)
        return n;
    return (n / g) * g + (int64_t)(((unsigned __int128)n * 953) % (uint64_t)g);
}

int64_t
nexmark_event_id(const NexmarkConfig *cfg, int64_t event_number)
{
    return cfg->first_event_id + adjusted_number(cfg, event_number);
}

NexmarkKind
nexmark_kind_of_id(const NexmarkConfig *cfg, int64_t event_id)
{
    int64_t rem = event_id % total_proportion(cfg);
    if (rem < cfg->person_proportion)
        return NEXMARK_PERSON;
    if (rem < cfg->person_proportion + cfg->auction_proportion)
        return NEXMARK_AUCTION;
    return NEXMARK_BID;
}

NexmarkKind
nexmark_event_kind(const NexmarkConfig *cfg, int64_t event_number)
{
    return nexmark_kind_of_id(cfg, nexmark_event_id(cfg, event_number));
}

/*
 * Event time of an *adjusted* event number: base + floor(k * 1e6 / rate) µs truncated to the
 * millisecond (Flink's timestampForEvent). Integral rates use exact integer arithmetic so the
 * result does not depend on floating-point rounding.
 */
static inline int64_t
time_of_adjusted(const NexmarkConfig *cfg, int64_t k)
{
    int64_t off_us;
    double r = cfg->rate;
    if (r == (double)(int64_t)r && r < 9e15)
        off_us = (int64_t)((__int128)k * 1000000 / (int64_t)r);
    else
        off_us = (int64_t)((double)k * (1e6 / r));
    return cfg->base_time_us + off_us / 1000 * 1000;
}

int64_t
nexmark_timestamp_us(const NexmarkConfig *cfg, int64_t event_number)
{
    return time_of_adjusted(cfg, adjusted_number(cfg, event_number));
}

/* Base-0 ids (the +1000 is added by the callers), for any proportions. */
static inline int64_t
last_base0_person(const NexmarkConfig *cfg, int64_t id)
{
    int64_t t = total_proportion(cfg);
    int64_t epoch = id / t, off = id % t;
    if (off >= cfg->person_proportion)
        off = cfg->person_proportion - 1;
    return epoch * cfg->person_proportion + off;
}

static inline int64_t
last_base0_auction(const NexmarkConfig *cfg, int64_t id)
{
    int64_t t = total_proportion(cfg);
    int64_t epoch = id / t, off = id % t;
    int64_t p = cfg->person_proportion, a = cfg->auction_proportion;
    if (off < p) {
        epoch--;
        off = a - 1;
    } else if (off >= p + a) {
        off = a - 1;
    } else {
        off -= p;
    }
    return epoch * a + off;
}

int64_t
nexmark_last_person_id(const NexmarkConfig *cfg, int64_t event_id)
{
    return last_base0_person(cfg, event_id) + NEXMARK_FIRST_PERSON_ID;
}

int64_t
nexmark_last_auction_id(const NexmarkConfig *cfg, int64_t event_id)
{
    return last_base0_auction(cfg, event_id) + NEXMARK_FIRST_AUCTION_ID;
}

/* A recent person, possibly up to PERSON_ID_LEAD ids ahead of the last one allocated. */
static inline int64_t
next_base0_person(const NexmarkConfig *cfg, int64_t id, Rng *r)
{
    int64_t n = last_base0_person(cfg, id) + 1;
    int64_t act = n < cfg->active_people ? n : cfg->active_people;
    return n - act + (int64_t)rng_below(r, (uint64_t)(act + NEXMARK_PERSON_ID_LEAD));
}

/* An in-flight auction, possibly up to AUCTION_ID_LEAD ids ahead of the last one. */
static inline int64_t
next_base0_auction(const NexmarkConfig *cfg, int64_t id, Rng *r)
{
    int64_t hi = last_base0_auction(cfg, id);
    int64_t lo = hi - cfg->in_flight_auctions > 0 ? hi - cfg->in_flight_auctions : 0;
    return lo + (int64_t)rng_below(r, (uint64_t)(hi - lo + 1 + NEXMARK_AUCTION_ID_LEAD));
}

/* ------------------------------------------------------------------ strings and prices */

static const char *const first_names[] = {"Peter", "Paul",  "Luke",   "John",   "Saul",  "Vicky",
                                          "Kate",  "Julie", "Sarah",  "Deiter", "Walter"};
static const char *const last_names[] = {"Shultz", "Abrams", "Spencer", "White", "Bartels",
                                         "Walton", "Smith",  "Jones",   "Noris"};
static const char *const cities[] = {"Phoenix", "Los Angeles", "San Francisco", "Boise",
                                     "Portland", "Bend", "Redmond", "Seattle", "Kent",
                                     "Cheyenne"};
static const char *const states[] = {"AZ", "CA", "ID", "OR", "WA", "WY"};
static const char *const hot_channels[] = {"Google", "Facebook", "Baidu", "Apple"};

#define NAMES_LEN(a) ((uint64_t)(sizeof(a) / sizeof((a)[0])))
#define NUM_CHANNELS 10000
#define HOT_CHANNEL_RATIO 2
#define HOT_ID_BATCH 100 /* HOT_{SELLER,AUCTION,BIDDER}_RATIO of the Java code: ids per hot block */

static const char letters[26] = "abcdefghijklmnopqrstuvwxyz";

/*
 * Java's nextPrice: round(10^(6U) * 100), log-uniform in 100 .. 100 000 000 cents.
 * exp2 is several times faster than pow and the result is the same after rounding.
 */
static inline int64_t
next_price(Rng *r)
{
    return (int64_t)floor(exp2(rng_double(r) * (6.0 * 3.321928094887362)) * 100.0 + 0.5);
}

/*
 * Java's nextString(max, special): length 3 + r(max - 3), each character `special` with
 * P = 1/13 or a random letter, then trimmed of spaces (only a ' ' special can be trimmed).
 * Characters come 16 bits at a time from each 64-bit draw: v*338 >> 16 picks one of 26 × 13
 * slots, of which the first 26 (1/13) are the special character. Returns the length.
 */
static int
next_string(Rng *r, int max, char special, char *out)
{
    int len = 3 + (int)rng_below(r, (uint64_t)(max - 3));
    uint64_t bits = 0;
    for (int i = 0; i < len; i++) {
        if ((i & 3) == 0)
            bits = rng_next(r);
        uint32_t v = (uint32_t)((bits & 0xffff) * 338u) >> 16;
        bits >>= 16;
        out[i] = v < 26 ? special : letters[v % 26];
    }
    if (special != ' ')
        return len;
    int lo = 0, hi = len;
    while (lo < hi && out[lo] == ' ')
        lo++;
    while (hi > lo && out[hi - 1] == ' ')
        hi--;
    if (lo > 0)
        memmove(out, out + lo, (size_t)(hi - lo));
    return hi - lo;
}

/*
 * `len` random letters (nextExactString), 8 per 64-bit draw without a loop over bytes: each
 * byte b becomes 'a' + (b * 26 >> 8), computed four lanes at a time in 16-bit slots (26 × 255
 * fits, so lanes cannot carry into each other). A letter thus has probability 9/256 or 10/256
 * instead of 1/26; extra is filler whose length, not content, matters to the queries.
 */
static inline uint64_t
eight_letters(uint64_t x)
{
    const uint64_t lanes = UINT64_C(0x00ff00ff00ff00ff);
    const uint64_t a = UINT64_C(0x0061006100610061);
    uint64_t even = ((((x & lanes) * 26) >> 8) & lanes) + a;
    uint64_t odd = (((((x >> 8) & lanes) * 26) >> 8) & lanes) + a;
    return even | (odd << 8);
}

static void
exact_string(Rng *r, int len, char *out)
{
    int i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w = eight_letters(rng_next(r));
        memcpy(out + i, &w, 8);
    }
    if (i < len) {
        uint64_t w = eight_letters(rng_next(r));
        memcpy(out + i, &w, (size_t)(len - i));
    }
}

/*
 * nextExtra(current, avg): empty if current ≥ avg, else d = avg - current letters give or take
 * 20 %: d - delta + r(2 delta) with delta = round(d / 5).
 */
static uint32_t
next_extra(Rng *r, int current, int avg, char *out)
{
    if (current >= avg)
        return 0;
    int d = avg - current;
    int delta = (int)lround(0.2 * d);
    int len = d - delta + (delta > 0 ? (int)rng_below(r, (uint64_t)(2 * delta)) : 0);
    exact_string(r, len, out);
    return (uint32_t)len;
}

static inline char *
put_str(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324"
                                     "25262728293031323334353637383940414243444546474849"
                                     "50515253545556575859606162636465666768697071727374"
                                     "75767778798081828384858687888990919293949596979899";

/* Decimal int64, no allocation, no snprintf. */
static inline char *
put_i64(char *p, int64_t v)
{
    char tmp[24];
    char *e = tmp + sizeof tmp, *q = e;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    while (u >= 100) {
        unsigned k = (unsigned)(u % 100) * 2;
        u /= 100;
        *--q = digit_pairs[k + 1];
        *--q = digit_pairs[k];
    }
    if (u >= 10) {
        *--q = digit_pairs[u * 2 + 1];
        *--q = digit_pairs[u * 2];
    } else {
        *--q = (char)('0' + u);
    }
    if (v < 0)
        *--q = '-';
    return put_str(p, q, (size_t)(e - q));
}

static inline char *
put_2(char *p, unsigned v)
{
    p[0] = digit_pairs[v * 2];
    p[1] = digit_pairs[v * 2 + 1];
    return p + 2;
}

/* Fixed-width, zero-padded (v < 10^w). */
static inline char *
put_fixed(char *p, uint64_t v, int w)
{
    for (int i = w - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    return p + w;
}

/* https://www.nexmark.com/<s5>/<s5>/<s5>/item.htm?query=1 with '_' as the special character. */
static char *
put_base_url(char *p, Rng *r)
{
    p = put_str(p, "https://www.nexmark.com/", 24);
    for (int i = 0; i < 3; i++) {
        p += next_string(r, 5, '_', p);
        *p++ = '/';
    }
    return put_str(p, "item.htm?query=1", 16);
}

/* ------------------------------------------------------------------ events */

static void
gen_person(const NexmarkConfig *cfg, int64_t id, Rng *r, NexmarkEvent *ev)
{
    NexmarkPerson *p = &ev->person;
    p->id = last_base0_person(cfg, id) + NEXMARK_FIRST_PERSON_ID;

    const char *fn = first_names[rng_below(r, NAMES_LEN(first_names))];
    const char *ln = last_names[rng_below(r, NAMES_LEN(last_names))];
    size_t fl = strlen(fn), ll = strlen(ln);
    char *q = put_str(p->name, fn, fl);
    *q++ = ' ';
    q = put_str(q, ln, ll);
    p->name_len = (uint8_t)(q - p->name);

    q = p->email;
    q += next_string(r, 7, ' ', q);
    *q++ = '@';
    q += next_string(r, 5, ' ', q);
    q = put_str(q, ".com", 4);
    p->email_len = (uint8_t)(q - p->email);

    q = p->credit_card;
    for (int i = 0; i < 4; i++) {
        if (i > 0)
            *q++ = ' ';
        q = put_fixed(q, rng_below(r, 10000), 4);
    }
    p->city = cities[rng_below(r, NAMES_LEN(cities))];
    p->state = states[rng_below(r, NAMES_LEN(states))];
    ev->extra_len = next_extra(r, nexmark_person_fixed_size(p), cfg->avg_person_size, ev->extra);
}

static void
gen_auction(const NexmarkConfig *cfg, int64_t id, int64_t k, Rng *r, NexmarkEvent *ev)
{
    NexmarkAuction *a = &ev->auction;
    a->id = last_base0_auction(cfg, id) + NEXMARK_FIRST_AUCTION_ID;
    a->item_name_len = (uint8_t)next_string(r, 20, ' ', a->item_name);
    a->description_len = (uint8_t)next_string(r, 100, ' ', a->description);
    a->initial_bid = next_price(r);
    a->reserve = a->initial_bid + next_price(r);

    int64_t seller;
    if (rng_below(r, (uint64_t)cfg->hot_seller_ratio) > 0)
        seller = (last_base0_person(cfg, id) / HOT_ID_BATCH) * HOT_ID_BATCH;
    else
        seller = next_base0_person(cfg, id, r);
    a->seller = seller + NEXMARK_FIRST_PERSON_ID;
    a->category = NEXMARK_FIRST_CATEGORY + (int64_t)rng_below(r, NEXMARK_NUM_CATEGORIES);

    /* Auction length: 1 + r(2 × the event time that in_flight_auctions auctions take). */
    int64_t span_events = cfg->in_flight_auctions * total_proportion(cfg) /
                          cfg->auction_proportion;
    int64_t horizon_ms = (time_of_adjusted(cfg, k + span_events) - ev->date_time) / 1000;
    int64_t bound = 2 * horizon_ms > 1 ? 2 * horizon_ms : 1;
    a->expires = ev->date_time + (1 + (int64_t)rng_below(r, (uint64_t)bound)) * 1000;
    ev->extra_len = next_extra(r, nexmark_auction_fixed_size(a), cfg->avg_auction_size,
                               ev->extra);
}

static void
gen_bid(const NexmarkConfig *cfg, int64_t id, Rng *r, NexmarkEvent *ev)
{
    NexmarkBid *b = &ev->bid;
    int64_t auction;
    if (rng_below(r, (uint64_t)cfg->hot_auction_ratio) > 0)
        auction = (last_base0_auction(cfg, id) / HOT_ID_BATCH) * HOT_ID_BATCH;
    else
        auction = next_base0_auction(cfg, id, r);
    b->auction = auction + NEXMARK_FIRST_AUCTION_ID;

    int64_t bidder;
    if (rng_below(r, (uint64_t)cfg->hot_bidder_ratio) > 0)
        bidder = (last_base0_person(cfg, id) / HOT_ID_BATCH) * HOT_ID_BATCH + 1;
    else
        bidder = next_base0_person(cfg, id, r);
    b->bidder = bidder + NEXMARK_FIRST_PERSON_ID; /* Beam: once (Flink adds it twice) */
    b->price = next_price(r);

    char *q;
    if (rng_below(r, HOT_CHANNEL_RATIO) > 0) {
        uint64_t i = rng_below(r, NAMES_LEN(hot_channels));
        const char *c = hot_channels[i];
        b->channel_len = (uint8_t)strlen(c);
        memcpy(b->channel, c, b->channel_len);
        /* The hot URL of channel i is fixed per seed. */
        Rng u;
        rng_seed(&u, cfg->seed ^ SALT_HOT_URL, i);
        q = put_base_url(b->url, &u);
    } else {
        uint64_t i = rng_below(r, NUM_CHANNELS);
        q = put_str(b->channel, "channel-", 8);
        q = put_i64(q, (int64_t)i);
        b->channel_len = (uint8_t)(q - b->channel);
        /* Entry i of the channel URL cache, fixed per seed: 90 % carry a channel_id. */
        Rng u;
        rng_seed(&u, cfg->seed ^ SALT_CHANNEL, i);
        q = put_base_url(b->url, &u);
        if (rng_below(&u, 10) > 0) {
            /* Java's Math.abs(Integer.reverse(i)); abs(INT_MIN) stays INT_MIN in Java. */
            uint32_t x = (uint32_t)i, rev = 0;
            for (int k = 0; k < 32; k++, x >>= 1)
                rev = (rev << 1) | (x & 1);
            int64_t v = rev & 0x80000000u ? -(int64_t)(rev ^ 0xffffffffu) - 1 : (int64_t)rev;
            if (v < 0 && v != INT32_MIN)
                v = -v;
            q = put_str(q, "&channel_id=", 12);
            q = put_i64(q, v);
        }
    }
    b->url_len = (uint8_t)(q - b->url);
    ev->extra_len = next_extra(r, NEXMARK_BID_FIXED_SIZE, cfg->avg_bid_size, ev->extra);
}

void
nexmark_event(const NexmarkConfig *cfg, int64_t event_number, NexmarkEvent *out)
{
    int64_t k = adjusted_number(cfg, event_number);
    int64_t id = cfg->first_event_id + k;
    Rng r;
    rng_seed(&r, cfg->seed, (uint64_t)id);
    out->event_number = event_number;
    out->event_id = id;
    out->date_time = time_of_adjusted(cfg, k);
    out->kind = nexmark_kind_of_id(cfg, id);
    switch (out->kind) {
    case NEXMARK_PERSON:
        gen_person(cfg, id, &r, out);
        break;
    case NEXMARK_AUCTION:
        gen_auction(cfg, id, k, &r, out);
        break;
    case NEXMARK_BID:
        gen_bid(cfg, id, &r, out);
        break;
    }
}

int
nexmark_person_fixed_size(const NexmarkPerson *p)
{
    return 8 + p->name_len + p->email_len + 19 + (int)strlen(p->city) + (int)strlen(p->state);
}

int
nexmark_auction_fixed_size(const NexmarkAuction *a)
{
    return 8 + a->item_name_len + a->description_len + 8 + 8 + 8 + 8 + 8;
}

/* ------------------------------------------------------------------ CSV */

#define SWAR_ONES UINT64_C(0x0101010101010101)
#define SWAR_HIGHS UINT64_C(0x8080808080808080)

/* Nonzero if some byte of x equals c (exact for the "any" question). */
static inline uint64_t
has_byte(uint64_t x, unsigned char c)
{
    uint64_t v = x ^ (SWAR_ONES * c);
    return (v - SWAR_ONES) & ~v & SWAR_HIGHS;
}

/* Whether s[0..n) holds a byte that forces CSV quoting: , " CR LF. Eight bytes at a time. */
static inline bool
needs_quotes(const char *s, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        if (has_byte(x, ',') | has_byte(x, '"') | has_byte(x, '\n') | has_byte(x, '\r'))
            return true;
    }
    for (; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            return true;
    return false;
}

/* A string field, RFC 4180-quoted when it must be (and always when empty: "" is not NULL). */
static inline char *
put_field(char *p, const char *s, size_t n)
{
    if (n > 0 && !needs_quotes(s, n))
        return put_str(p, s, n);
    *p++ = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            *p++ = '"';
        *p++ = s[i];
    }
    *p++ = '"';
    return p;
}

/* 'YYYY-MM-DD HH:MM:SS.mmm' UTC (years 0..9999; milliseconds truncated). */
static char *
put_timestamp(char *p, int64_t us)
{
    int64_t days = sl_floor_div(us, INT64_C(86400000000));
    int64_t rem_ms = (us - days * INT64_C(86400000000)) / 1000;
    int64_t y, m, d;
    civil_from_days(days, &y, &m, &d);
    unsigned sec = (unsigned)(rem_ms / 1000), ms = (unsigned)(rem_ms % 1000);
    p = put_2(p, (unsigned)(y / 100));
    p = put_2(p, (unsigned)(y % 100));
    *p++ = '-';
    p = put_2(p, (unsigned)m);
    *p++ = '-';
    p = put_2(p, (unsigned)d);
    *p++ = ' ';
    p = put_2(p, sec / 3600);
    *p++ = ':';
    p = put_2(p, sec / 60 % 60);
    *p++ = ':';
    p = put_2(p, sec % 60);
    *p++ = '.';
    *p++ = (char)('0' + ms / 100);
    return put_2(p, ms % 100);
}

size_t
nexmark_format_csv(const NexmarkEvent *ev, char *out)
{
    char *p = out;
    switch (ev->kind) {
    case NEXMARK_PERSON: {
        const NexmarkPerson *x = &ev->person;
        p = put_i64(p, x->id);
        *p++ = ',';
        p = put_field(p, x->name, x->name_len);
        *p++ = ',';
        p = put_field(p, x->email, x->email_len);
        *p++ = ',';
        p = put_field(p, x->credit_card, 19);
        *p++ = ',';
        p = put_field(p, x->city, strlen(x->city));
        *p++ = ',';
        p = put_field(p, x->state, strlen(x->state));
        *p++ = ',';
        p = put_timestamp(p, ev->date_time);
        break;
    }
    case NEXMARK_AUCTION: {
        const NexmarkAuction *x = &ev->auction;
        p = put_i64(p, x->id);
        *p++ = ',';
        p = put_field(p, x->item_name, x->item_name_len);
        *p++ = ',';
        p = put_field(p, x->description, x->description_len);
        *p++ = ',';
        p = put_i64(p, x->initial_bid);
        *p++ = ',';
        p = put_i64(p, x->reserve);
        *p++ = ',';
        p = put_timestamp(p, ev->date_time);
        *p++ = ',';
        p = put_timestamp(p, x->expires);
        *p++ = ',';
        p = put_i64(p, x->seller);
        *p++ = ',';
        p = put_i64(p, x->category);
        break;
    }
    case NEXMARK_BID: {
        const NexmarkBid *x = &ev->bid;
        p = put_i64(p, x->auction);
        *p++ = ',';
        p = put_i64(p, x->bidder);
        *p++ = ',';
        p = put_i64(p, x->price);
        *p++ = ',';
        p = put_field(p, x->channel, x->channel_len);
        *p++ = ',';
        p = put_field(p, x->url, x->url_len);
        *p++ = ',';
        p = put_timestamp(p, ev->date_time);
        break;
    }
    }
    *p++ = ',';
    p = put_field(p, ev->extra, ev->extra_len);
    *p++ = '\n';
    return (size_t)(p - out);
}

void
nexmark_append_csv(const NexmarkEvent *ev, Buf *b)
{
    buf_reserve(b, NEXMARK_CSV_MAX);
    b->len += nexmark_format_csv(ev, b->data + b->len);
}

const char *
nexmark_stream_name(NexmarkKind kind)
{
    static const char *const names[NEXMARK_NKINDS] = {"person", "auction", "bid"};
    return (unsigned)kind < NEXMARK_NKINDS ? names[kind] : "?";
}

int
nexmark_stream_ncols(NexmarkKind kind)
{
    static const int ncols[NEXMARK_NKINDS] = {8, 10, 7};
    return (unsigned)kind < NEXMARK_NKINDS ? ncols[kind] : 0;
}
