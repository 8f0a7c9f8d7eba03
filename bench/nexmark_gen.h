/*
 * bench/nexmark_gen.h — deterministic Nexmark event generator (person, auction, bid).
 *
 * Event number n (0, 1, 2, ... in emission order) maps to one event in O(1): the event's id
 * and timestamp follow from n and the config, and every random draw comes from an RNG seeded
 * with the event id alone (splitmix64 of mix(seed) ^ id), so any event can be regenerated
 * without its predecessors and a run can be split by event-number ranges.
 *
 * Choices where the reference implementations differ (see /work/shared/nexmark.md §8):
 *   - first_event_id defaults to 0, as in nexmark-rs: event 0 is person 1000, events 1..3 are
 *     auctions 1000..1002, events 4..49 bids; Flink's table source starts at id 1.
 *   - Flink's field set (bid has channel and url), but Beam's single +1000 on bid.bidder.
 *   - Java-style strings (random length 3..max-1, spaces with P = 1/13, trimmed) and Java's
 *     capitalised name/city/state lists, so q3's state IN ('OR', 'ID', 'CA') matches.
 *   - Hot channel URLs and the 10 000-entry channel URL "cache" are derived from the seed (Flink
 *     draws them from an unseeded RNG); channel_id is Java's abs(Integer.reverse(i)), so channel 1
 *     gets -2147483648 exactly as Java does.
 *   - Random letters are drawn several per 64-bit draw: in nextString 16 bits per character
 *     (bias < 1/2500), in extra 8 bits per letter (each letter 9/256 or 10/256, not 1/26) —
 *     extra is filler whose length, not content, matters.
 *   - Timestamps are those of the *adjusted* (out-of-order) event number, as Beam's
 *     adjustedEventTimestamp, so with ooo_group > 1 event times are out of order within a group.
 *
 * INTERFACE
 *   nexmark_config_default   fill a NexmarkConfig with the Nexmark defaults
 *   nexmark_config_check     validate a config; NULL if usable, else a static message
 *   nexmark_event_id         event number → event id (out-of-order adjustment applied)
 *   nexmark_kind_of_id       event id → NEXMARK_PERSON / AUCTION / BID (no RNG)
 *   nexmark_event_kind       event number → kind (no RNG; to skip unselected streams cheaply)
 *   nexmark_timestamp_us     event number → event time (µs since epoch, whole milliseconds)
 *   nexmark_last_person_id / nexmark_last_auction_id
 *                            highest person / auction id allocated at or before an event id
 *   nexmark_event            event number → full event
 *   nexmark_format_csv       one event → one CSV line ('\n'-terminated) in a caller buffer
 *   nexmark_append_csv       the same, appended to a Buf
 *   nexmark_stream_name / nexmark_stream_ncols   "person"/"auction"/"bid" and their column counts
 *   nexmark_person_fixed_size / nexmark_auction_fixed_size
 *                            the "current size" nextExtra starts from (bid: NEXMARK_BID_FIXED_SIZE)
 */
#ifndef SL_NEXMARK_GEN_H
#define SL_NEXMARK_GEN_H

#include <stddef.h>
#include <stdint.h>

struct Buf;

typedef enum NexmarkKind {
    NEXMARK_PERSON = 0,
    NEXMARK_AUCTION = 1,
    NEXMARK_BID = 2,
} NexmarkKind;

#define NEXMARK_NKINDS 3
#define NEXMARK_FIRST_PERSON_ID 1000
#define NEXMARK_FIRST_AUCTION_ID 1000
#define NEXMARK_PERSON_ID_LEAD 10
#define NEXMARK_AUCTION_ID_LEAD 10
#define NEXMARK_MIN_PRICE 100
#define NEXMARK_MAX_PRICE 100000000
#define NEXMARK_FIRST_CATEGORY 10
#define NEXMARK_NUM_CATEGORIES 5
/* Average sizes are capped so that every string fits the fixed buffers below (no malloc). */
#define NEXMARK_MAX_AVG_SIZE 4096
#define NEXMARK_EXTRA_MAX (NEXMARK_MAX_AVG_SIZE + NEXMARK_MAX_AVG_SIZE / 5 + 8)
/* Upper bound on one CSV line, quoting included (every string field at most doubles). */
#define NEXMARK_CSV_MAX (2 * NEXMARK_EXTRA_MAX + 1024)

typedef struct NexmarkConfig {
    uint64_t seed;
    int64_t events;           /* events in a run (the library ignores it; the CLI uses it) */
    int64_t first_event_id;   /* id of event number 0 before adjustment; default 0 */
    double rate;              /* event-time events per second; default 10000 */
    int64_t base_time_us;     /* event time of event number 0; default 2024-01-01 00:00:00 UTC */
    int64_t ooo_group;        /* out-of-order group size; 1 = in order */
    int person_proportion;    /* 1 */
    int auction_proportion;   /* 3 */
    int bid_proportion;       /* 46 */
    int hot_auction_ratio;    /* 2: P(hot auction) = 1 - 1/2 */
    int hot_seller_ratio;     /* 4 */
    int hot_bidder_ratio;     /* 4 */
    int64_t in_flight_auctions; /* 100 */
    int64_t active_people;    /* 1000 */
    int avg_person_size;      /* 200 */
    int avg_auction_size;     /* 500 */
    int avg_bid_size;         /* 100 */
} NexmarkConfig;

typedef struct NexmarkPerson {
    int64_t id;
    char name[24];
    char email[24];
    char credit_card[20];
    const char *city;         /* static list */
    const char *state;        /* static list */
    uint8_t name_len, email_len;
} NexmarkPerson;

typedef struct NexmarkAuction {
    int64_t id;
    char item_name[24];
    char description[104];
    int64_t initial_bid;
    int64_t reserve;
    int64_t expires;          /* µs since epoch, whole milliseconds */
    int64_t seller;
    int64_t category;
    uint8_t item_name_len, description_len;
} NexmarkAuction;

typedef struct NexmarkBid {
    int64_t auction;
    int64_t bidder;
    int64_t price;
    char channel[16];
    char url[96];
    uint8_t channel_len, url_len;
} NexmarkBid;

typedef struct NexmarkEvent {
    NexmarkKind kind;
    int64_t event_number;     /* n as given to nexmark_event */
    int64_t event_id;
    int64_t date_time;        /* µs since epoch, whole milliseconds */
    union {
        NexmarkPerson person;
        NexmarkAuction auction;
        NexmarkBid bid;
    };
    uint32_t extra_len;
    char extra[NEXMARK_EXTRA_MAX];
} NexmarkEvent;

void nexmark_config_default(NexmarkConfig *cfg);
const char *nexmark_config_check(const NexmarkConfig *cfg);

int64_t nexmark_event_id(const NexmarkConfig *cfg, int64_t event_number);
NexmarkKind nexmark_kind_of_id(const NexmarkConfig *cfg, int64_t event_id);
NexmarkKind nexmark_event_kind(const NexmarkConfig *cfg, int64_t event_number);
int64_t nexmark_timestamp_us(const NexmarkConfig *cfg, int64_t event_number);
int64_t nexmark_last_person_id(const NexmarkConfig *cfg, int64_t event_id);
int64_t nexmark_last_auction_id(const NexmarkConfig *cfg, int64_t event_id);

/*
 * Computes event number `event_number` (≥ 0) of the run described by `cfg` into `*out`.
 * Pure function of (cfg, event_number); no allocation. `cfg` must pass nexmark_config_check.
 */
void nexmark_event(const NexmarkConfig *cfg, int64_t event_number, NexmarkEvent *out);

/*
 * Writes `ev` as one CSV line in its stream's column order (bench/queries/schema.sql) with a
 * trailing '\n' into `out`, which must have room for NEXMARK_CSV_MAX bytes. Strings are quoted
 * (RFC 4180, "" for a quote) when they hold a comma, quote, CR or LF, or are empty, so that an
 * empty string is not read back as NULL by COPY ... (FORMAT csv). Timestamps are
 * 'YYYY-MM-DD HH:MM:SS.mmm' UTC. Returns the number of bytes written (no NUL is added).
 */
size_t nexmark_format_csv(const NexmarkEvent *ev, char *out);

/* nexmark_format_csv appended to `b` (grown as needed). */
void nexmark_append_csv(const NexmarkEvent *ev, struct Buf *b);

const char *nexmark_stream_name(NexmarkKind kind);
int nexmark_stream_ncols(NexmarkKind kind);

/* The "current size" that nextExtra starts from (Beam's sizeInBytes without the extra). */
int nexmark_person_fixed_size(const NexmarkPerson *p);
int nexmark_auction_fixed_size(const NexmarkAuction *a);
#define NEXMARK_BID_FIXED_SIZE 32

#endif
