/*
 * common/sltime.c — TIMESTAMP and INTERVAL text forms (see sltime.h).
 *
 * Calendar arithmetic uses Howard Hinnant's days-from-civil algorithms on the
 * proleptic Gregorian calendar, so no libc time zone or locale is involved and
 * timestamps before 1970 (negative microseconds) work the same as later ones.
 *
 * INTERFACE
 *   ts_parse         'YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]][Z|+HH[:MM]]' → microseconds (UTC)
 *   ts_format        PostgreSQL's ISO output: 2026-01-01 00:00:01.5
 *   interval_parse   '5 seconds', '1h30m', '1 day 02:00:00', '01:30', or a number with a unit
 *   interval_format  [-]HH:MM:SS[.ffffff], hours not folded into days: 36:00:00
 *   interval_unit_us microseconds in a unit word, 0 if unknown
 */
#include "common/sltime.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "common/buf.h"
#include "common/errors.h"

#define US_PER_MIN (60 * SL_US_PER_SEC)
#define US_PER_HOUR (60 * US_PER_MIN)
#define US_PER_DAY (24 * US_PER_HOUR)

static bool
is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool
is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void
trim(const char **p, const char **end)
{
    while (*p < *end && is_ws(**p))
        (*p)++;
    while (*end > *p && is_ws((*end)[-1]))
        (*end)--;
}

/* Case-insensitive comparison of the n bytes at s with the NUL-terminated word w. */
static bool
word_eq(const char *s, size_t n, const char *w)
{
    size_t i = 0;
    for (; i < n && w[i]; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != w[i])
            return false;
    }
    return i == n && w[i] == '\0';
}

/* Read between min_n and max_n decimal digits; false if fewer than min_n are there. */
static bool
take_digits(const char **p, const char *end, int min_n, int max_n, int64_t *v)
{
    int k = 0;
    int64_t x = 0;
    while (*p < end && k < max_n && is_digit(**p)) {
        x = x * 10 + (**p - '0');
        (*p)++;
        k++;
    }
    *v = x;
    return k >= min_n;
}

static bool
take_char(const char **p, const char *end, char c)
{
    if (*p < end && **p == c) {
        (*p)++;
        return true;
    }
    return false;
}

/* Fraction digits after a '.', rounded half up to microseconds (digits past the 7th ignored). */
static bool
take_fraction_us(const char **p, const char *end, int64_t *us)
{
    int64_t x = 0;
    int k = 0;
    bool round_up = false;
    while (*p < end && is_digit(**p)) {
        if (k < 6)
            x = x * 10 + (**p - '0');
        else if (k == 6)
            round_up = **p >= '5';
        (*p)++;
        k++;
    }
    if (k == 0)
        return false;
    for (int i = k; i < 6; i++)
        x *= 10;
    *us = x + (round_up ? 1 : 0);
    return true;
}

/* Append ".ffffff" with trailing zeros trimmed; nothing when frac is 0. */
static void
put_fraction(Buf *out, int64_t frac)
{
    if (frac == 0)
        return;
    char f[8];
    int len = 6;
    for (int i = 5; i >= 0; i--) {
        f[i] = (char)('0' + frac % 10);
        frac /= 10;
    }
    while (len > 0 && f[len - 1] == '0')
        len--;
    buf_putc(out, '.');
    buf_append(out, f, (size_t)len);
}

static bool
is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int64_t y, int64_t m)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : mdays[m - 1];
}

int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void
civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

/*
 * Parse a timestamp literal. Accepts surrounding whitespace, 'T' or spaces between date and
 * time, seconds and fraction optional, and a trailing Z/UTC or numeric offset (+HH, +HH:MM,
 * +HHMM), which is subtracted so the result is UTC. Returns 0, or -1 with 22007 in err.
 */
static inline int
d2(const char *p)
{
    unsigned a = (unsigned char)p[0] - '0', b = (unsigned char)p[1] - '0';
    return a <= 9 && b <= 9 ? (int)(a * 10 + b) : -1;
}

/* The common case of bulk loads, 'YYYY-MM-DD HH:MM:SS[.f{1,6}]' and nothing
 * else, without the general parser's scanning. Returns false to fall back. */
static bool
ts_parse_fast(const char *s, size_t n, int64_t *out)
{
    if (n < 19 || n > 26 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') ||
        s[13] != ':' || s[16] != ':')
        return false;
    int c = d2(s), y = d2(s + 2), mo = d2(s + 5), d = d2(s + 8), h = d2(s + 11),
        mi = d2(s + 14), se = d2(s + 17);
    if ((c | y | mo | d | h | mi | se) < 0 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 ||
        se > 59)
        return false;
    int64_t year = c * 100 + y;
    if (year < 1 || d > days_in_month(year, mo))
        return false;
    int64_t frac = 0;
    if (n > 19) {
        if (s[19] != '.' || n == 20)
            return false;
        int64_t scale = 100000;
        for (size_t i = 20; i < n; i++, scale /= 10) {
            unsigned dig = (unsigned char)s[i] - '0';
            if (dig > 9)
                return false;
            frac += dig * scale;
        }
    }
    /* Bulk data repeats the same day: remember the last one. */
    static _Thread_local int64_t last_key = -1, last_days;
    int64_t key = year * 10000 + mo * 100 + d;
    if (key != last_key) {
        last_days = days_from_civil(year, mo, d);
        last_key = key;
    }
    *out = ((last_days * 24 + h) * 60 + mi) * 60 * SL_US_PER_SEC + se * SL_US_PER_SEC + frac;
    return true;
}

int
ts_parse(const char *s, size_t n, int64_t *out, SqlError *err)
{
    if (ts_parse_fast(s, n, out))
        return 0;
    const char *p = s, *end = s + n;
    int64_t year, mon, day, hh = 0, mi = 0, ss = 0, frac = 0, tz_us = 0;

    trim(&p, &end);
    if (!take_digits(&p, end, 4, 4, &year) || !take_char(&p, end, '-') ||
        !take_digits(&p, end, 1, 2, &mon) || !take_char(&p, end, '-') ||
        !take_digits(&p, end, 1, 2, &day))
        goto bad;
    if (p < end) {
        if (*p == 'T' || *p == 't') {
            p++;
        } else if (is_ws(*p)) {
            while (p < end && is_ws(*p))
                p++;
        } else {
            goto bad;
        }
        if (!take_digits(&p, end, 1, 2, &hh) || !take_char(&p, end, ':') ||
            !take_digits(&p, end, 2, 2, &mi))
            goto bad;
        if (take_char(&p, end, ':')) {
            if (!take_digits(&p, end, 2, 2, &ss))
                goto bad;
            if (take_char(&p, end, '.') && !take_fraction_us(&p, end, &frac))
                goto bad;
        }
        while (p < end && is_ws(*p))
            p++;
        if (p < end) {
            if (*p == 'Z' || *p == 'z') {
                p++;
            } else if (end - p == 3 && word_eq(p, 3, "utc")) {
                p += 3;
            } else if (*p == '+' || *p == '-') {
                int sign = *p == '-' ? -1 : 1;
                int64_t tzh, tzm = 0;
                p++;
                if (!take_digits(&p, end, 1, 2, &tzh))
                    goto bad;
                if (take_char(&p, end, ':')) {
                    if (!take_digits(&p, end, 2, 2, &tzm))
                        goto bad;
                } else if (p < end && is_digit(*p) && !take_digits(&p, end, 2, 2, &tzm)) {
                    goto bad;
                }
                if (tzh > 15 || tzm > 59)
                    goto bad;
                tz_us = sign * (tzh * US_PER_HOUR + tzm * US_PER_MIN);
            }
            if (p != end)
                goto bad;
        }
    }
    if (year < 1 || year > 9999 || mon < 1 || mon > 12 || day < 1 ||
        day > days_in_month(year, mon))
        goto bad;
    if (mi > 59 || ss > 59 || hh > 24 || (hh == 24 && (mi || ss || frac)))
        goto bad;
    *out = days_from_civil(year, mon, day) * US_PER_DAY + hh * US_PER_HOUR + mi * US_PER_MIN +
           ss * SL_US_PER_SEC + frac - tz_us;
    return 0;

bad:
    err_setf(err, ERR_INVALID_DATETIME_FORMAT, -1,
             "invalid input syntax for type timestamp: \"%.*s\"", (int)n, s);
    return -1;
}

/*
 * Append 'YYYY-MM-DD HH:MM:SS[.ffffff]' (fraction trimmed). Years before 1 AD are shown as
 * PostgreSQL does ('0001-12-31 23:59:59 BC'); any int64 is accepted.
 */
void
ts_format(int64_t us, Buf *out)
{
    int64_t days = sl_floor_div(us, US_PER_DAY);
    int64_t rem = us % US_PER_DAY;  /* not us - days * US_PER_DAY: that overflows near INT64_MIN */
    if (rem < 0)
        rem += US_PER_DAY;
    int64_t y, m, d;
    civil_from_days(days, &y, &m, &d);
    bool bc = y <= 0;
    int64_t sec = rem / SL_US_PER_SEC;
    buf_printf(out, "%04" PRId64 "-%02d-%02d %02d:%02d:%02d", bc ? 1 - y : y, (int)m, (int)d,
               (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
    put_fraction(out, rem % SL_US_PER_SEC);
    if (bc)
        buf_puts(out, " BC");
}

/*
 * Microseconds in one unit word (case-insensitive): microsecond(s)/us/usec(s),
 * millisecond(s)/ms/msec(s), second(s)/s/sec(s), minute(s)/m/min(s), hour(s)/h/hr(s),
 * day(s)/d, week(s)/w. Returns 0 for anything else (including months and years).
 */
int64_t
interval_unit_us(const char *unit, size_t n)
{
    static const struct {
        const char *word;
        int64_t us;
    } units[] = {
        {"microsecond", 1},         {"microseconds", 1},         {"us", 1},
        {"usec", 1},                {"usecs", 1},                {"millisecond", 1000},
        {"milliseconds", 1000},     {"ms", 1000},                {"msec", 1000},
        {"msecs", 1000},            {"second", SL_US_PER_SEC},   {"seconds", SL_US_PER_SEC},
        {"s", SL_US_PER_SEC},       {"sec", SL_US_PER_SEC},      {"secs", SL_US_PER_SEC},
        {"minute", US_PER_MIN},     {"minutes", US_PER_MIN},     {"m", US_PER_MIN},
        {"min", US_PER_MIN},        {"mins", US_PER_MIN},        {"hour", US_PER_HOUR},
        {"hours", US_PER_HOUR},     {"h", US_PER_HOUR},          {"hr", US_PER_HOUR},
        {"hrs", US_PER_HOUR},       {"day", US_PER_DAY},         {"days", US_PER_DAY},
        {"d", US_PER_DAY},          {"week", 7 * US_PER_DAY},    {"weeks", 7 * US_PER_DAY},
        {"w", 7 * US_PER_DAY},
    };
    if (!unit)
        return 0;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (word_eq(unit, n, units[i].word))
            return units[i].us;
    }
    return 0;
}

/* Units whose length varies: rejected with 0A000 rather than guessed. */
static bool
is_month_unit(const char *w, size_t n)
{
    static const char *const words[] = {
        "mon",     "mons",      "month",      "months",    "y",        "yr",
        "yrs",     "year",      "years",      "decade",    "decades",  "century",
        "centuries", "millennium", "millennia", "millenniums",
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (word_eq(w, n, words[i]))
            return true;
    }
    return false;
}

/* A decimal number: digits with an optional fraction (at least one digit in all). */
typedef struct IvNum {
    int64_t ip;        /* integer part */
    int64_t fnum;      /* fraction digits (at most 18) as an integer ... */
    int64_t fden;      /* ... over this power of ten */
    bool has_frac;
} IvNum;

/* Returns 1 on success, 0 when no number is there, -1 on integer-part overflow. */
static int
take_number(const char **p, const char *end, IvNum *num)
{
    const char *q = *p;
    int64_t ip = 0;
    int nd = 0;
    bool ovf = false;
    num->fnum = 0;
    num->fden = 1;
    num->has_frac = false;
    while (q < end && is_digit(*q)) {
        if (__builtin_mul_overflow(ip, 10, &ip) || __builtin_add_overflow(ip, *q - '0', &ip))
            ovf = true;
        q++;
        nd++;
    }
    if (q < end && *q == '.' && (nd > 0 || (q + 1 < end && is_digit(q[1])))) {
        q++;
        num->has_frac = true;
        int fd = 0;
        while (q < end && is_digit(*q)) {
            if (fd < 18) {
                num->fnum = num->fnum * 10 + (*q - '0');
                num->fden *= 10;
            }
            q++;
            fd++;
        }
        nd += fd;
    }
    if (nd == 0)
        return 0;
    *p = q;
    num->ip = ip;
    return ovf ? -1 : 1;
}

/* num * unit_us, fraction rounded half away from zero; false on overflow. */
static bool
scale(const IvNum *num, int64_t unit_us, int64_t *res)
{
    int64_t whole;
    if (__builtin_mul_overflow(num->ip, unit_us, &whole))
        return false;
    __int128 f = (__int128)num->fnum * unit_us;
    int64_t frac = (int64_t)((f + num->fden / 2) / num->fden);
    return !__builtin_add_overflow(whole, frac, res);
}

/*
 * Parse an interval. Forms: a bare number (seconds, or `unit` when one is given separately,
 * as in INTERVAL '5' SECOND); '<number> <unit>' repeated ('1 hour 30 minutes', '1h30m',
 * '1.5 hours'); 'HH:MM:SS[.ffffff]', 'HH:MM' and 'MM:SS.ffffff'; mixtures ('1 day 02:00:00').
 * A sign belongs to the number or time field it precedes, as in PostgreSQL; a '-' standing
 * alone in front negates the whole value, as does a trailing 'ago'. An '@' prefix is allowed.
 * When the string carries its own units, `unit` is ignored. Returns 0, or -1 with err set:
 * 0A000 for month/year units, 22003 on overflow, 22007 for anything else malformed.
 */
int
interval_parse(const char *s, size_t n, const char *unit, size_t unit_n, int64_t *out,
               SqlError *err)
{
    const char *p = s, *end = s + n;
    int64_t total = 0;
    int ntok = 0;
    bool neg_all = false;

    trim(&p, &end);
    if (p < end && *p == '@') {
        p++;
        trim(&p, &end);
    }
    if (p < end && *p == '-' && p + 1 < end && is_ws(p[1])) {
        neg_all = true;
        p++;
        trim(&p, &end);
    }
    while (p < end) {
        IvNum num;
        int sign = 1;
        int64_t v;

        while (p < end && is_ws(*p))
            p++;
        if (p == end)
            break;
        if (ntok > 0 && end - p == 3 && word_eq(p, 3, "ago")) {
            neg_all = !neg_all;
            p = end;
            break;
        }
        if (*p == '+' || *p == '-') {
            sign = *p == '-' ? -1 : 1;
            p++;
        }
        int r = take_number(&p, end, &num);
        if (r == 0)
            goto bad;
        if (r < 0)
            goto range;
        if (p < end && *p == ':') {
            /* HH:MM:SS[.f] or MM:SS[.f]: the first field is a plain integer. */
            int64_t f2, f3 = 0, frac = 0;
            bool three = false;
            if (num.has_frac)
                goto bad;
            p++;
            if (!take_digits(&p, end, 1, 2, &f2))
                goto bad;
            if (take_char(&p, end, ':')) {
                three = true;
                if (!take_digits(&p, end, 1, 2, &f3))
                    goto bad;
            }
            if (take_char(&p, end, '.') && !take_fraction_us(&p, end, &frac))
                goto bad;
            if (p < end && !is_ws(*p))
                goto bad;
            /* As PostgreSQL: two fields are HH:MM, unless a fraction makes them MM:SS.f. */
            bool mmss = !three && frac != 0;
            int64_t lead_us = mmss ? US_PER_MIN : US_PER_HOUR;
            int64_t rest = three ? f2 * US_PER_MIN + f3 * SL_US_PER_SEC
                           : mmss ? f2 * SL_US_PER_SEC : f2 * US_PER_MIN;
            if (f2 > 59 || f3 > 59)
                goto bad;
            if (__builtin_mul_overflow(num.ip, lead_us, &v) ||
                __builtin_add_overflow(v, rest + frac, &v))
                goto range;
        } else {
            while (p < end && is_ws(*p))
                p++;
            const char *w = p;
            while (p < end && is_alpha(*p))
                p++;
            size_t wn = (size_t)(p - w);
            int64_t uus;
            if (wn == 0) {
                /* A bare number must be the whole string. */
                if (ntok > 0 || p != end)
                    goto bad;
                uus = SL_US_PER_SEC;
                if (unit && unit_n) {
                    uus = interval_unit_us(unit, unit_n);
                    if (uus == 0 && is_month_unit(unit, unit_n))
                        goto months;
                    if (uus == 0)
                        goto bad;
                }
            } else {
                uus = interval_unit_us(w, wn);
                if (uus == 0 && is_month_unit(w, wn))
                    goto months;
                if (uus == 0)
                    goto bad;
            }
            if (!scale(&num, uus, &v))
                goto range;
        }
        if (__builtin_add_overflow(total, sign * v, &total))
            goto range;
        ntok++;
    }
    if (ntok == 0)
        goto bad;
    if (neg_all) {
        if (total == INT64_MIN)
            goto range;
        total = -total;
    }
    *out = total;
    return 0;

bad:
    err_setf(err, ERR_INVALID_DATETIME_FORMAT, -1,
             "invalid input syntax for type interval: \"%.*s\"", (int)n, s);
    return -1;
months:
    err_setf(err, ERR_FEATURE_NOT_SUPPORTED, -1,
             "interval units of months or years are not supported (their length varies); "
             "use days");
    return -1;
range:
    err_setf(err, ERR_NUMERIC_VALUE_OUT_OF_RANGE, -1, "interval field value out of range: \"%.*s\"",
             (int)n, s);
    return -1;
}

/* Append [-]HH:MM:SS[.ffffff]: no days part, so hours may exceed 24 (36:00:00). */
void
interval_format(int64_t us, Buf *out)
{
    uint64_t a = us < 0 ? (uint64_t)0 - (uint64_t)us : (uint64_t)us;
    uint64_t hours = a / (uint64_t)US_PER_HOUR;
    uint64_t rem = a % (uint64_t)US_PER_HOUR;
    if (us < 0)
        buf_putc(out, '-');
    buf_printf(out, "%02" PRIu64 ":%02u:%02u", hours, (unsigned)(rem / (uint64_t)US_PER_MIN),
               (unsigned)(rem / (uint64_t)SL_US_PER_SEC % 60));
    put_fraction(out, (int64_t)(rem % (uint64_t)SL_US_PER_SEC));
}
