/*
 * common/sltime.h — TIMESTAMP and INTERVAL text forms.
 *
 * Timestamps are int64 microseconds since 1970-01-01 00:00:00 UTC; intervals
 * are int64 microseconds (no months: a month has no fixed length, so
 * 'month'/'year' units are rejected with 0A000 rather than guessed).
 *
 * INTERFACE
 *   ts_parse        'YYYY-MM-DD[ T]HH:MM:SS[.ffffff][Z|+HH[:MM]]' → microseconds
 *   ts_format       PostgreSQL's ISO output: 2026-01-01 00:00:01.5
 *   interval_parse  '5 seconds', '1 hour 30 minutes', '00:01:30', '1 day 02:00:00', or a number
 *                   with a unit given separately (INTERVAL '5' SECOND)
 *   interval_format PostgreSQL-style output: 00:00:10, -01:30:00, 36:00:00.25
 *   interval_unit_us microseconds in a unit word ("second", "min", "hours", ...), 0 if unknown
 *   days_from_civil / civil_from_days   proleptic Gregorian date ↔ days since 1970-01-01
 */
#ifndef SL_SLTIME_H
#define SL_SLTIME_H

#include <stddef.h>
#include <stdint.h>

struct Buf;
struct SqlError;

#define SL_US_PER_SEC INT64_C(1000000)

int ts_parse(const char *s, size_t n, int64_t *out, struct SqlError *err);
void ts_format(int64_t us, struct Buf *out);
int interval_parse(const char *s, size_t n, const char *unit, size_t unit_n, int64_t *out,
                   struct SqlError *err);
void interval_format(int64_t us, struct Buf *out);
int64_t interval_unit_us(const char *unit, size_t n);
int64_t days_from_civil(int64_t y, int64_t m, int64_t d);
void civil_from_days(int64_t days, int64_t *y, int64_t *m, int64_t *d);

/* Floor division for negative timestamps (window alignment before 1970). */
static inline int64_t sl_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

#endif
