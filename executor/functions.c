/*
 * executor/functions.c — the scalar functions, one implementation per FnId.
 *
 * The planner picks the overload (FN_ADD_II vs FN_ADD_DD, ...) and checks
 * argument types, so each implementation trusts its argument types. For
 * strict functions (plan_fn_strict) expr_eval has already turned a NULL
 * argument into a NULL result; the non-strict ones (concat, coalesce,
 * nullif, greatest, least, now) see NULLs and handle them here.
 *
 * Errors follow PostgreSQL's SQLSTATEs and messages where we have the code:
 * 22012 division by zero, 22003 out of range (overflow of bigint, double,
 * timestamp and interval arithmetic), 22023 invalid parameter values (bad
 * units, negative lengths, square roots and logarithms outside the domain,
 * which PostgreSQL files under 2201x codes we do not carry). Every error
 * carries the position of the call (PlanExpr.pos).
 *
 * Text results are slices of an argument when possible (trim, substr,
 * split_part) and otherwise live in cx->arena; nothing here calls malloc.
 *
 * INTERFACE
 *   fn_impls    the FnId → implementation table
 */
#include "executor/executor_int.h"

#include <math.h>
#include <string.h>

#include "common/buf.h"
#include "common/sltime.h"
#include "common/util.h"

#define US_PER_MS INT64_C(1000)
#define US_PER_MIN (60 * SL_US_PER_SEC)
#define US_PER_HOUR (60 * US_PER_MIN)
#define US_PER_DAY (24 * US_PER_HOUR)

/* 2^63 as a double: doubles in [-2^63, 2^63) convert to int64 exactly. */
#define TWO63 9223372036854775808.0

#define FN_ARGS EvalCtx *cx __attribute__((unused)), const PlanExpr *e __attribute__((unused)), \
                const Value *a __attribute__((unused)), int n __attribute__((unused)), Value *out
#define DEF_FN(name) static int name(FN_ARGS)

static int
fail(EvalCtx *cx, const PlanExpr *e, SqlErrCode code, const char *msg)
{
    err_setf(cx->err, code, e->pos, "%s", msg);
    return -1;
}

static int
bigint_range(EvalCtx *cx, const PlanExpr *e)
{
    return fail(cx, e, ERR_NUMERIC_VALUE_OUT_OF_RANGE, "bigint out of range");
}

static int
div_zero(EvalCtx *cx, const PlanExpr *e)
{
    return fail(cx, e, ERR_DIVISION_BY_ZERO, "division by zero");
}

static int
ts_range(EvalCtx *cx, const PlanExpr *e)
{
    return fail(cx, e, ERR_NUMERIC_VALUE_OUT_OF_RANGE, "timestamp out of range");
}

static int
iv_range(EvalCtx *cx, const PlanExpr *e)
{
    return fail(cx, e, ERR_NUMERIC_VALUE_OUT_OF_RANGE, "interval out of range");
}

/* A double result: overflow when inf came from finite inputs (PostgreSQL float_overflow_error). */
static int
ret_double(EvalCtx *cx, const PlanExpr *e, double r, bool inputs_inf, Value *out)
{
    if (isinf(r) && !inputs_inf)
        return fail(cx, e, ERR_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
    *out = val_double(r);
    return 0;
}

/* --------------------------------------------------------------- bigint arithmetic */

DEF_FN(fn_add_ii)
{
    int64_t r;
    if (__builtin_add_overflow(a[0].i, a[1].i, &r))
        return bigint_range(cx, e);
    *out = val_int(r);
    return 0;
}

DEF_FN(fn_sub_ii)
{
    int64_t r;
    if (__builtin_sub_overflow(a[0].i, a[1].i, &r))
        return bigint_range(cx, e);
    *out = val_int(r);
    return 0;
}

DEF_FN(fn_mul_ii)
{
    int64_t r;
    if (__builtin_mul_overflow(a[0].i, a[1].i, &r))
        return bigint_range(cx, e);
    *out = val_int(r);
    return 0;
}

DEF_FN(fn_div_ii)
{
    if (a[1].i == 0)
        return div_zero(cx, e);
    if (a[1].i == -1) {
        if (a[0].i == INT64_MIN)
            return bigint_range(cx, e);
        *out = val_int(-a[0].i);
        return 0;
    }
    *out = val_int(a[0].i / a[1].i);
    return 0;
}

DEF_FN(fn_mod_ii)
{
    if (a[1].i == 0)
        return div_zero(cx, e);
    /* INT64_MIN % -1 traps on x86; the answer is 0 for any x % -1. */
    *out = val_int(a[1].i == -1 ? 0 : a[0].i % a[1].i);
    return 0;
}

DEF_FN(fn_neg_i)
{
    if (a[0].i == INT64_MIN)
        return bigint_range(cx, e);
    *out = val_int(-a[0].i);
    return 0;
}

DEF_FN(fn_abs_i)
{
    if (a[0].i == INT64_MIN)
        return bigint_range(cx, e);
    *out = val_int(a[0].i < 0 ? -a[0].i : a[0].i);
    return 0;
}

/* --------------------------------------------------------------- double arithmetic */

DEF_FN(fn_add_dd)
{
    return ret_double(cx, e, a[0].d + a[1].d, isinf(a[0].d) || isinf(a[1].d), out);
}

DEF_FN(fn_sub_dd)
{
    return ret_double(cx, e, a[0].d - a[1].d, isinf(a[0].d) || isinf(a[1].d), out);
}

DEF_FN(fn_mul_dd)
{
    double x = a[0].d, y = a[1].d, r = x * y;
    if (r == 0.0 && x != 0.0 && y != 0.0)
        return fail(cx, e, ERR_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: underflow");
    return ret_double(cx, e, r, isinf(x) || isinf(y), out);
}

DEF_FN(fn_div_dd)
{
    double x = a[0].d, y = a[1].d;
    if (y == 0.0 && !isnan(x))
        return div_zero(cx, e);
    double r = x / y;
    if (r == 0.0 && x != 0.0 && !isinf(y))
        return fail(cx, e, ERR_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: underflow");
    return ret_double(cx, e, r, isinf(x), out);
}

DEF_FN(fn_mod_dd)
{
    if (a[1].d == 0.0 && !isnan(a[0].d))
        return div_zero(cx, e);
    *out = val_double(fmod(a[0].d, a[1].d));
    return 0;
}

DEF_FN(fn_neg_d)
{
    *out = val_double(-a[0].d);
    return 0;
}

DEF_FN(fn_abs_d)
{
    *out = val_double(fabs(a[0].d));
    return 0;
}

/* ----------------------------------------------------- timestamp / interval arithmetic */

DEF_FN(fn_neg_v)
{
    if (a[0].i == INT64_MIN)
        return iv_range(cx, e);
    *out = val_interval(-a[0].i);
    return 0;
}

DEF_FN(fn_add_tv)
{
    int64_t r;
    if (__builtin_add_overflow(a[0].i, a[1].i, &r))
        return ts_range(cx, e);
    *out = val_ts(r);
    return 0;
}

DEF_FN(fn_sub_tv)
{
    int64_t r;
    if (__builtin_sub_overflow(a[0].i, a[1].i, &r))
        return ts_range(cx, e);
    *out = val_ts(r);
    return 0;
}

DEF_FN(fn_sub_tt)
{
    int64_t r;
    if (__builtin_sub_overflow(a[0].i, a[1].i, &r))
        return iv_range(cx, e);
    *out = val_interval(r);
    return 0;
}

DEF_FN(fn_add_vv)
{
    int64_t r;
    if (__builtin_add_overflow(a[0].i, a[1].i, &r))
        return iv_range(cx, e);
    *out = val_interval(r);
    return 0;
}

DEF_FN(fn_sub_vv)
{
    int64_t r;
    if (__builtin_sub_overflow(a[0].i, a[1].i, &r))
        return iv_range(cx, e);
    *out = val_interval(r);
    return 0;
}

/* interval * double and interval / double, rounded to the nearest microsecond. */
static int
scale_interval(EvalCtx *cx, const PlanExpr *e, double us, Value *out)
{
    us = rint(us);
    if (isnan(us) || us < -TWO63 || us >= TWO63)
        return iv_range(cx, e);
    *out = val_interval((int64_t)us);
    return 0;
}

DEF_FN(fn_mul_vd)
{
    return scale_interval(cx, e, (double)a[0].i * a[1].d, out);
}

DEF_FN(fn_div_vd)
{
    if (a[1].d == 0.0)
        return div_zero(cx, e);
    return scale_interval(cx, e, (double)a[0].i / a[1].d, out);
}

/* --------------------------------------------------------------------- comparisons */

DEF_FN(fn_eq) { *out = val_bool(val_cmp(&a[0], &a[1]) == 0); return 0; }
DEF_FN(fn_ne) { *out = val_bool(val_cmp(&a[0], &a[1]) != 0); return 0; }
DEF_FN(fn_lt) { *out = val_bool(val_cmp(&a[0], &a[1]) < 0); return 0; }
DEF_FN(fn_le) { *out = val_bool(val_cmp(&a[0], &a[1]) <= 0); return 0; }
DEF_FN(fn_gt) { *out = val_bool(val_cmp(&a[0], &a[1]) > 0); return 0; }
DEF_FN(fn_ge) { *out = val_bool(val_cmp(&a[0], &a[1]) >= 0); return 0; }

/* --------------------------------------------------------------------------- casts */

/*
 * The text form of a non-TEXT value, owned by cx->arena. The Buf starts on an arena block of
 * FMT_CAP bytes, larger than any bigint, double, timestamp or interval text (at most ~32
 * bytes), so buf_reserve never has to grow it and no heap allocation happens per row.
 */
#define FMT_CAP 96

static Value
format_text(EvalCtx *cx, const Value *v)
{
    if (v->type == TYPE_BOOL)
        return v->i ? val_text("true", 4) : val_text("false", 5);
    Buf b = {.data = arena_alloc(cx->arena, FMT_CAP), .len = 0, .cap = FMT_CAP};
    b.data[0] = '\0';
    val_format(v, &b);
    return val_text(b.data, (uint32_t)b.len);
}

/* Parse a TEXT argument as type t; a parse error gets the call's position. */
static int
parse_text(EvalCtx *cx, const PlanExpr *e, SlType t, const Value *v, Value *out)
{
    bool had = err_is_set(cx->err);
    if (val_parse(t, v->s, v->len, cx->arena, out, cx->err) == 0)
        return 0;
    if (!had)
        cx->err->position = e->pos;
    return -1;
}

static int
bad_cast(EvalCtx *cx, const PlanExpr *e, const Value *v, SlType t)
{
    err_setf(cx->err, ERR_DATATYPE_MISMATCH, e->pos, "cannot cast type %s to %s",
             type_name((SlType)v->type), type_name(t));
    return -1;
}

/* double → bigint: round half away from zero, then check the range. */
static int
double_to_int(EvalCtx *cx, const PlanExpr *e, double d, Value *out)
{
    d = round(d);
    if (isnan(d) || d < -TWO63 || d >= TWO63)
        return bigint_range(cx, e);
    *out = val_int((int64_t)d);
    return 0;
}

DEF_FN(fn_cast_bool)
{
    switch ((SlType)a[0].type) {
    case TYPE_BOOL:
        *out = a[0];
        return 0;
    case TYPE_BIGINT:
        *out = val_bool(a[0].i != 0);
        return 0;
    case TYPE_TEXT:
        return parse_text(cx, e, TYPE_BOOL, &a[0], out);
    default:
        return bad_cast(cx, e, &a[0], TYPE_BOOL);
    }
}

DEF_FN(fn_cast_int)
{
    switch ((SlType)a[0].type) {
    case TYPE_BIGINT:
        *out = a[0];
        return 0;
    case TYPE_BOOL:
        *out = val_int(a[0].i != 0);
        return 0;
    case TYPE_DOUBLE:
        return double_to_int(cx, e, a[0].d, out);
    case TYPE_TEXT:
        return parse_text(cx, e, TYPE_BIGINT, &a[0], out);
    default:
        return bad_cast(cx, e, &a[0], TYPE_BIGINT);
    }
}

DEF_FN(fn_cast_double)
{
    switch ((SlType)a[0].type) {
    case TYPE_DOUBLE:
        *out = a[0];
        return 0;
    case TYPE_BIGINT:
        *out = val_double((double)a[0].i);
        return 0;
    case TYPE_TEXT:
        return parse_text(cx, e, TYPE_DOUBLE, &a[0], out);
    default:
        return bad_cast(cx, e, &a[0], TYPE_DOUBLE);
    }
}

DEF_FN(fn_cast_text)
{
    *out = a[0].type == TYPE_TEXT ? a[0] : format_text(cx, &a[0]);
    return 0;
}

DEF_FN(fn_cast_ts)
{
    if (a[0].type == TYPE_TIMESTAMP) {
        *out = a[0];
        return 0;
    }
    if (a[0].type == TYPE_TEXT)
        return parse_text(cx, e, TYPE_TIMESTAMP, &a[0], out);
    return bad_cast(cx, e, &a[0], TYPE_TIMESTAMP);
}

DEF_FN(fn_cast_interval)
{
    if (a[0].type == TYPE_INTERVAL) {
        *out = a[0];
        return 0;
    }
    if (a[0].type == TYPE_TEXT)
        return parse_text(cx, e, TYPE_INTERVAL, &a[0], out);
    return bad_cast(cx, e, &a[0], TYPE_INTERVAL);
}

/* ------------------------------------------------------------------------- strings */

/* Bytes in the UTF-8 sequence led by c (1 for stray continuation or invalid bytes). */
static inline size_t
u8_seq_len(unsigned char c)
{
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Byte offset after skipping k characters of s[0..n) (n when the text is shorter). */
static size_t
u8_skip(const char *s, size_t n, int64_t k)
{
    size_t i = 0;
    while (k > 0 && i < n) {
        i += u8_seq_len((unsigned char)s[i]);
        k--;
    }
    return i < n ? i : n;
}

/* Characters in s[0..n): every byte that is not a continuation byte starts one. */
static int64_t
u8_count(const char *s, size_t n)
{
    int64_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static int
text_result(EvalCtx *cx, const PlanExpr *e, size_t len, char **p, Value *out)
{
    if (len > UINT32_MAX)
        return fail(cx, e, ERR_PROGRAM_LIMIT_EXCEEDED, "text result too long");
    *p = len ? arena_alloc(cx->arena, len) : NULL;
    *out = val_text(len ? *p : "", (uint32_t)len);
    return 0;
}

DEF_FN(fn_concat_op)
{
    char *p;
    if (a[0].len == 0 || a[1].len == 0) {
        *out = a[0].len == 0 ? a[1] : a[0];
        return 0;
    }
    if (text_result(cx, e, (size_t)a[0].len + a[1].len, &p, out) < 0)
        return -1;
    memcpy(p, a[0].s, a[0].len);
    memcpy(p + a[0].len, a[1].s, a[1].len);
    return 0;
}

/* concat(...): NULL arguments are skipped; the result is never NULL. */
DEF_FN(fn_concat)
{
    size_t len = 0;
    char *p;
    for (int i = 0; i < n; i++)
        if (!a[i].isnull)
            len += a[i].len;
    if (text_result(cx, e, len, &p, out) < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        if (!a[i].isnull && a[i].len) {
            memcpy(p, a[i].s, a[i].len);
            p += a[i].len;
        }
    }
    return 0;
}

/* ASCII case mapping; bytes of multi-byte UTF-8 characters (≥ 0x80) are left alone. */
static int
map_case(EvalCtx *cx, const PlanExpr *e, const Value *v, bool upper, Value *out)
{
    char *p;
    if (text_result(cx, e, v->len, &p, out) < 0)
        return -1;
    char lo = upper ? 'a' : 'A', hi = upper ? 'z' : 'Z';
    for (uint32_t i = 0; i < v->len; i++) {
        char c = v->s[i];
        p[i] = c >= lo && c <= hi ? (char)(c ^ 0x20) : c;
    }
    return 0;
}

DEF_FN(fn_lower) { return map_case(cx, e, &a[0], false, out); }
DEF_FN(fn_upper) { return map_case(cx, e, &a[0], true, out); }

DEF_FN(fn_length)
{
    *out = val_int(u8_count(a[0].s, a[0].len));
    return 0;
}

/* substr(s, from [, count]) in characters, as PostgreSQL: from may be ≤ 0, and the slice is
 * the characters at positions [from, from + count) that exist. */
DEF_FN(fn_substr)
{
    const char *s = a[0].s;
    size_t len = a[0].len;
    int64_t start = a[1].i;
    int64_t first = start < 1 ? 1 : start;
    size_t b0 = u8_skip(s, len, first - 1);
    size_t b1 = len;

    if (n == 3) {
        int64_t cnt = a[2].i, end;
        if (cnt < 0)
            return fail(cx, e, ERR_INVALID_PARAMETER_VALUE,
                        "negative substring length not allowed");
        if (!__builtin_add_overflow(start, cnt, &end)) {
            if (end <= first) {
                *out = val_text("", 0);
                return 0;
            }
            b1 = b0 + u8_skip(s + b0, len - b0, end - first);
        }
    }
    *out = val_text(s + b0, (uint32_t)(b1 - b0));
    return 0;
}

/* split_part(s, delim, k): field k (1-based; negative counts from the end, PostgreSQL 14+). */
DEF_FN(fn_split_part)
{
    const char *s = a[0].s, *d = a[1].s;
    size_t sn = a[0].len, dn = a[1].len;
    int64_t k = a[2].i;

    if (k == 0)
        return fail(cx, e, ERR_INVALID_PARAMETER_VALUE, "field position must not be zero");
    *out = val_text("", 0);
    if (sn == 0)
        return 0;
    if (dn == 0) {
        /* the whole string is the only field */
        if (k == 1 || k == -1)
            *out = a[0];
        return 0;
    }
    if (k < 0) {
        int64_t fields = 1;
        for (const char *p = s, *end = s + sn; (p = memmem(p, (size_t)(end - p), d, dn));
             p += dn)
            fields++;
        if (-k > fields)
            return 0;
        k = fields + k + 1;
    }
    const char *p = s, *end = s + sn;
    for (int64_t i = 1; i < k; i++) {
        const char *q = memmem(p, (size_t)(end - p), d, dn);
        if (!q)
            return 0;
        p = q + dn;
    }
    const char *q = memmem(p, (size_t)(end - p), d, dn);
    *out = val_text(p, (uint32_t)((q ? q : end) - p));
    return 0;
}

/* replace(s, from, to): every non-overlapping occurrence, left to right. */
DEF_FN(fn_replace)
{
    const char *s = a[0].s, *f = a[1].s, *t = a[2].s;
    size_t sn = a[0].len, fn = a[1].len, tn = a[2].len;
    const char *end = s + sn;
    size_t count = 0;
    char *p;

    if (fn == 0 || sn < fn) {
        *out = a[0];
        return 0;
    }
    for (const char *q = s; (q = memmem(q, (size_t)(end - q), f, fn)); q += fn)
        count++;
    if (count == 0) {
        *out = a[0];
        return 0;
    }
    if (text_result(cx, e, sn - count * fn + count * tn, &p, out) < 0)
        return -1;
    const char *q = s;
    for (const char *m; (m = memmem(q, (size_t)(end - q), f, fn)); q = m + fn) {
        memcpy(p, q, (size_t)(m - q));
        p += m - q;
        if (tn)
            memcpy(p, t, tn);
        p += tn;
    }
    if (end > q)
        memcpy(p, q, (size_t)(end - q));
    return 0;
}

/* trim(s) / btrim(s): spaces at both ends. */
DEF_FN(fn_trim)
{
    const char *s = a[0].s;
    size_t i = 0, j = a[0].len;
    while (i < j && s[i] == ' ')
        i++;
    while (j > i && s[j - 1] == ' ')
        j--;
    *out = val_text(s + i, (uint32_t)(j - i));
    return 0;
}

/* strpos(s, sub): 1-based character position of the first occurrence, 0 when absent. */
DEF_FN(fn_strpos)
{
    if (a[1].len == 0) {
        *out = val_int(1);
        return 0;
    }
    const char *m = a[0].len ? memmem(a[0].s, a[0].len, a[1].s, a[1].len) : NULL;
    *out = val_int(m ? u8_count(a[0].s, (size_t)(m - a[0].s)) + 1 : 0);
    return 0;
}

static inline unsigned char
ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

/*
 * LIKE / ILIKE: '%' any run, '_' one character, '\' escapes the next pattern byte. Iterative
 * with backtracking to the last '%' only: a later '%' can absorb anything an earlier one
 * could, so O(len(text) * len(pattern)) at worst, with no recursion. Returns 1 match, 0 no
 * match, -1 for a pattern ending in the escape character.
 */
static int
like_match(const unsigned char *t, size_t tn, const unsigned char *p, size_t pn, bool fold)
{
    size_t ti = 0, pi = 0;
    size_t star_p = SIZE_MAX, star_t = 0;

    while (ti < tn) {
        if (pi < pn) {
            unsigned char c = p[pi];
            if (c == '%') {
                while (pi < pn && p[pi] == '%')
                    pi++;
                if (pi == pn)
                    return 1;  /* a trailing % takes the rest */
                star_p = pi;
                star_t = ti;
                continue;
            }
            if (c == '_') {
                ti += u8_seq_len(t[ti]);
                pi++;
                continue;
            }
            size_t step = 1;
            if (c == '\\') {
                if (pi + 1 == pn)
                    return -1;
                c = p[pi + 1];
                step = 2;
            }
            if (fold ? ascii_lower(c) == ascii_lower(t[ti]) : c == t[ti]) {
                ti++;
                pi += step;
                continue;
            }
        }
        if (star_p == SIZE_MAX)
            return 0;
        /* the last % takes one more character; retry the rest of the pattern after it */
        star_t += u8_seq_len(t[star_t]);
        ti = star_t;
        pi = star_p;
    }
    while (pi < pn && p[pi] == '%')
        pi++;
    if (pi < pn && p[pi] == '\\' && pi + 1 == pn)
        return -1;
    return pi == pn;
}

static int
like(EvalCtx *cx, const PlanExpr *e, const Value *a, bool fold, Value *out)
{
    int m = like_match((const unsigned char *)a[0].s, a[0].len, (const unsigned char *)a[1].s,
                       a[1].len, fold);
    if (m < 0)
        return fail(cx, e, ERR_INVALID_PARAMETER_VALUE,
                    "LIKE pattern must not end with escape character");
    *out = val_bool(m);
    return 0;
}

DEF_FN(fn_like) { return like(cx, e, a, false, out); }
DEF_FN(fn_ilike) { return like(cx, e, a, true, out); }

/* ---------------------------------------------------------------------------- math */

/* Half away from zero, also when x is the double nearest to a decimal half (2.675 → 2.68):
 * a product within a few ulps of .5 is taken as the half the user wrote. */
static double
round_half_away(double y)
{
    double t = trunc(y);
    double frac = fabs(y - t);
    if (fabs(frac - 0.5) <= 4 * 2.220446049250313e-16 * fabs(y))
        return t + copysign(1.0, y);
    return round(y);
}

DEF_FN(fn_round)
{
    *out = val_double(round(a[0].d));
    return 0;
}

/* round(x, digits): digits may be negative (round(1234.5, -2) = 1200). */
DEF_FN(fn_round2)
{
    double x = a[0].d;
    int64_t dg = a[1].i;
    if (!isfinite(x) || dg > 330) {
        *out = val_double(x);
        return 0;
    }
    if (dg < -330) {
        *out = val_double(copysign(0.0, x));
        return 0;
    }
    double scale = pow(10.0, (double)(dg < 0 ? -dg : dg));
    double y = dg >= 0 ? x * scale : x / scale;
    if (!isfinite(y) || fabs(y) >= 4503599627370496.0) {  /* 2^52: already integral */
        *out = val_double(x);
        return 0;
    }
    double r = round_half_away(y);
    *out = val_double(dg >= 0 ? r / scale : r * scale);
    return 0;
}

DEF_FN(fn_floor) { *out = val_double(floor(a[0].d)); return 0; }
DEF_FN(fn_ceil) { *out = val_double(ceil(a[0].d)); return 0; }

DEF_FN(fn_sqrt)
{
    if (a[0].d < 0)
        return fail(cx, e, ERR_INVALID_PARAMETER_VALUE,
                    "cannot take square root of a negative number");
    *out = val_double(sqrt(a[0].d));
    return 0;
}

DEF_FN(fn_power)
{
    double x = a[0].d, y = a[1].d;
    if (x == 0.0 && y < 0.0)
        return fail(cx, e, ERR_INVALID_PARAMETER_VALUE,
                    "zero raised to a negative power is undefined");
    if (x < 0.0 && isfinite(y) && floor(y) != y)
        return fail(cx, e, ERR_INVALID_PARAMETER_VALUE,
                    "a negative number raised to a non-integer power yields a complex result");
    double r = pow(x, y);
    if (r == 0.0 && x != 0.0 && isfinite(x) && isfinite(y))
        return fail(cx, e, ERR_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: underflow");
    return ret_double(cx, e, r, isinf(x) || isinf(y), out);
}

DEF_FN(fn_ln)
{
    if (a[0].d == 0.0)
        return fail(cx, e, ERR_INVALID_PARAMETER_VALUE, "cannot take logarithm of zero");
    if (a[0].d < 0.0)
        return fail(cx, e, ERR_INVALID_PARAMETER_VALUE,
                    "cannot take logarithm of a negative number");
    *out = val_double(log(a[0].d));
    return 0;
}

DEF_FN(fn_exp)
{
    double x = a[0].d, r = exp(x);
    if (r == 0.0 && isfinite(x))
        return fail(cx, e, ERR_NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: underflow");
    return ret_double(cx, e, r, isinf(x), out);
}

/* ---------------------------------------------------------------------------- time */

/* A timestamp taken apart: y is the astronomical year (0 = 1 BC), as PostgreSQL's tm_year. */
typedef struct TsParts {
    int64_t days;   /* since 1970-01-01 */
    int64_t tod;    /* microseconds into the day, [0, US_PER_DAY) */
    int64_t y, m, d;
} TsParts;

static void
ts_split(int64_t us, TsParts *t)
{
    t->days = sl_floor_div(us, US_PER_DAY);
    t->tod = us % US_PER_DAY;
    if (t->tod < 0)
        t->tod += US_PER_DAY;
    civil_from_days(t->days, &t->y, &t->m, &t->d);
}

/* ISO day of week, Monday = 1 .. Sunday = 7 (1970-01-01 was a Thursday). */
static int64_t
iso_dow(int64_t days)
{
    int64_t r = (days + 3) % 7;
    return (r < 0 ? r + 7 : r) + 1;
}

/* The time units date_trunc and extract know (case-insensitive, singular or plural). */
typedef enum TimeUnit {
    TU_MICROSECONDS, TU_MILLISECONDS, TU_SECOND, TU_MINUTE, TU_HOUR, TU_DAY, TU_WEEK,
    TU_MONTH, TU_QUARTER, TU_YEAR, TU_DECADE, TU_CENTURY, TU_MILLENNIUM,
    TU_EPOCH, TU_DOW, TU_ISODOW, TU_DOY, TU_UNKNOWN
} TimeUnit;

static TimeUnit
time_unit(const char *s, size_t n)
{
    static const struct {
        const char *word;
        TimeUnit unit;
    } words[] = {
        {"microseconds", TU_MICROSECONDS}, {"microsecond", TU_MICROSECONDS},
        {"milliseconds", TU_MILLISECONDS}, {"millisecond", TU_MILLISECONDS},
        {"second", TU_SECOND},   {"seconds", TU_SECOND},     {"minute", TU_MINUTE},
        {"minutes", TU_MINUTE},  {"hour", TU_HOUR},          {"hours", TU_HOUR},
        {"day", TU_DAY},         {"days", TU_DAY},           {"week", TU_WEEK},
        {"weeks", TU_WEEK},      {"month", TU_MONTH},        {"months", TU_MONTH},
        {"quarter", TU_QUARTER}, {"year", TU_YEAR},          {"years", TU_YEAR},
        {"decade", TU_DECADE},   {"decades", TU_DECADE},     {"century", TU_CENTURY},
        {"centuries", TU_CENTURY}, {"millennium", TU_MILLENNIUM},
        {"millennia", TU_MILLENNIUM}, {"epoch", TU_EPOCH},   {"dow", TU_DOW},
        {"isodow", TU_ISODOW},   {"doy", TU_DOY},
    };
    for (size_t i = 0; i < SL_ARRAY_LEN(words); i++) {
        const char *w = words[i].word;
        size_t k = 0;
        while (k < n && w[k] && ascii_lower((unsigned char)s[k]) == (unsigned char)w[k])
            k++;
        if (k == n && w[k] == '\0')
            return words[i].unit;
    }
    return TU_UNKNOWN;
}

static int
bad_unit(EvalCtx *cx, const PlanExpr *e, const Value *u, const char *fn, const char *type,
         bool known)
{
    err_setf(cx->err, known ? ERR_FEATURE_NOT_SUPPORTED : ERR_INVALID_PARAMETER_VALUE, e->pos,
             "unit \"%.*s\" %s for %s(%s)", (int)u->len, u->s,
             known ? "not supported" : "not recognized", fn, type);
    return -1;
}

/* PostgreSQL's year → decade / century / millennium rules, BC years included. */
static int64_t
year_decade(int64_t y)
{
    return y > 0 ? y / 10 : -((8 - (y - 1)) / 10);
}

static int64_t
year_century(int64_t y)
{
    return y > 0 ? (y + 99) / 100 : -((99 - (y - 1)) / 100);
}

static int64_t
year_millennium(int64_t y)
{
    return y > 0 ? (y + 999) / 1000 : -((999 - (y - 1)) / 1000);
}

/* date_trunc(unit, ts); weeks start on Monday. */
DEF_FN(fn_date_trunc)
{
    int64_t us = a[1].i, unit_us = 0, days;
    TimeUnit u = time_unit(a[0].s, a[0].len);
    TsParts t;

    switch (u) {
    case TU_MICROSECONDS:
        *out = a[1];
        return 0;
    case TU_MILLISECONDS: unit_us = US_PER_MS; break;
    case TU_SECOND: unit_us = SL_US_PER_SEC; break;
    case TU_MINUTE: unit_us = US_PER_MIN; break;
    case TU_HOUR: unit_us = US_PER_HOUR; break;
    case TU_DAY: unit_us = US_PER_DAY; break;
    default: break;
    }
    if (unit_us) {
        int64_t r;
        if (__builtin_mul_overflow(sl_floor_div(us, unit_us), unit_us, &r))
            return ts_range(cx, e);
        *out = val_ts(r);
        return 0;
    }
    ts_split(us, &t);
    switch (u) {
    case TU_WEEK:
        days = t.days - (iso_dow(t.days) - 1);
        break;
    case TU_MONTH:
        days = days_from_civil(t.y, t.m, 1);
        break;
    case TU_QUARTER:
        days = days_from_civil(t.y, (t.m - 1) / 3 * 3 + 1, 1);
        break;
    case TU_YEAR:
        days = days_from_civil(t.y, 1, 1);
        break;
    case TU_DECADE:
        days = days_from_civil(t.y > 0 ? t.y / 10 * 10 : -((8 - (t.y - 1)) / 10) * 10, 1, 1);
        break;
    case TU_CENTURY:
        days = days_from_civil(t.y > 0 ? (t.y + 99) / 100 * 100 - 99
                                     : -((99 - (t.y - 1)) / 100) * 100 + 1, 1, 1);
        break;
    case TU_MILLENNIUM:
        days = days_from_civil(t.y > 0 ? (t.y + 999) / 1000 * 1000 - 999
                                     : -((999 - (t.y - 1)) / 1000) * 1000 + 1, 1, 1);
        break;
    default:
        return bad_unit(cx, e, &a[0], "date_trunc", "timestamp", u != TU_UNKNOWN);
    }
    int64_t r;
    if (__builtin_mul_overflow(days, US_PER_DAY, &r))
        return ts_range(cx, e);
    *out = val_ts(r);
    return 0;
}

/* ISO 8601 week number: week 1 holds the year's first Thursday. */
static int64_t
iso_week(int64_t days)
{
    int64_t thu = days - iso_dow(days) + 4;  /* Thursday of this ISO week */
    int64_t y, m, d;
    civil_from_days(thu, &y, &m, &d);
    return (thu - days_from_civil(y, 1, 1)) / 7 + 1;
}

static int
extract_ts(EvalCtx *cx, const PlanExpr *e, const Value *unit, int64_t us, Value *out)
{
    TimeUnit u = time_unit(unit->s, unit->len);
    TsParts t;
    double r;

    ts_split(us, &t);
    int64_t sec_us = t.tod % US_PER_MIN;  /* seconds and fraction within the minute */
    switch (u) {
    case TU_MICROSECONDS: r = (double)sec_us; break;
    case TU_MILLISECONDS: r = (double)sec_us / 1000.0; break;
    case TU_SECOND: r = (double)sec_us / 1e6; break;
    case TU_MINUTE: r = (double)(t.tod / US_PER_MIN % 60); break;
    case TU_HOUR: r = (double)(t.tod / US_PER_HOUR); break;
    case TU_DAY: r = (double)t.d; break;
    case TU_WEEK: r = (double)iso_week(t.days); break;
    case TU_MONTH: r = (double)t.m; break;
    case TU_QUARTER: r = (double)((t.m - 1) / 3 + 1); break;
    case TU_YEAR: r = (double)(t.y > 0 ? t.y : t.y - 1); break;
    case TU_DECADE: r = (double)year_decade(t.y); break;
    case TU_CENTURY: r = (double)year_century(t.y); break;
    case TU_MILLENNIUM: r = (double)year_millennium(t.y); break;
    case TU_EPOCH:
        /* whole seconds and fraction apart, so large timestamps keep their microseconds */
        r = (double)sl_floor_div(us, SL_US_PER_SEC) +
            (double)(us - sl_floor_div(us, SL_US_PER_SEC) * SL_US_PER_SEC) / 1e6;
        break;
    case TU_DOW: r = (double)(iso_dow(t.days) % 7); break;
    case TU_ISODOW: r = (double)iso_dow(t.days); break;
    case TU_DOY: r = (double)(t.days - days_from_civil(t.y, 1, 1) + 1); break;
    default:
        return bad_unit(cx, e, unit, "extract", "timestamp", false);
    }
    *out = val_double(r);
    return 0;
}

/* Intervals are plain microseconds: days are whole 24-hour spans, and every field takes the
 * interval's sign (extract(hour from interval '-26 hours') = -2, day = -1). */
static int
extract_interval(EvalCtx *cx, const PlanExpr *e, const Value *unit, int64_t us, Value *out)
{
    TimeUnit u = time_unit(unit->s, unit->len);
    int64_t sec_us = us % US_PER_MIN;
    double r;

    switch (u) {
    case TU_MICROSECONDS: r = (double)sec_us; break;
    case TU_MILLISECONDS: r = (double)sec_us / 1000.0; break;
    case TU_SECOND: r = (double)sec_us / 1e6; break;
    case TU_MINUTE: r = (double)(us / US_PER_MIN % 60); break;
    case TU_HOUR: r = (double)(us / US_PER_HOUR % 24); break;
    case TU_DAY: r = (double)(us / US_PER_DAY); break;
    case TU_MONTH: case TU_QUARTER: case TU_YEAR: case TU_DECADE: case TU_CENTURY:
    case TU_MILLENNIUM:
        r = 0.0;  /* our intervals have no month part */
        break;
    case TU_EPOCH:
        r = (double)(us / SL_US_PER_SEC) + (double)(us % SL_US_PER_SEC) / 1e6;
        break;
    default:
        return bad_unit(cx, e, unit, "extract", "interval", u != TU_UNKNOWN);
    }
    *out = val_double(r);
    return 0;
}

/* extract(field FROM ts | interval) → double precision. */
DEF_FN(fn_extract)
{
    if (a[1].type == TYPE_INTERVAL)
        return extract_interval(cx, e, &a[0], a[1].i, out);
    return extract_ts(cx, e, &a[0], a[1].i, out);
}

DEF_FN(fn_now)
{
    *out = val_ts(cx->now_us);
    return 0;
}

/* to_timestamp(seconds since the epoch), rounded to the microsecond. */
DEF_FN(fn_to_timestamp)
{
    double us = rint(a[0].d * 1e6);
    if (isnan(us) || us < -TWO63 || us >= TWO63)
        return fail(cx, e, ERR_NUMERIC_VALUE_OUT_OF_RANGE, "timestamp out of range");
    *out = val_ts((int64_t)us);
    return 0;
}

/* -------------------------------------------------------------- NULL-aware helpers */

DEF_FN(fn_coalesce)
{
    for (int i = 0; i < n; i++) {
        if (!a[i].isnull) {
            *out = a[i];
            return 0;
        }
    }
    *out = val_null(e->type);
    return 0;
}

/* nullif(a, b): NULL when a = b, else a (a NULL stays NULL; b NULL never matches). */
DEF_FN(fn_nullif)
{
    if (a[0].isnull || (!a[1].isnull && val_cmp(&a[0], &a[1]) == 0))
        *out = val_null(e->type);
    else
        *out = a[0];
    return 0;
}

/* greatest / least: NULLs are ignored; NULL only when every argument is NULL. */
static int
extreme(const PlanExpr *e, const Value *a, int n, int sign, Value *out)
{
    const Value *best = NULL;
    for (int i = 0; i < n; i++) {
        if (!a[i].isnull && (!best || val_cmp(&a[i], best) * sign > 0))
            best = &a[i];
    }
    *out = best ? *best : val_null(e->type);
    return 0;
}

DEF_FN(fn_greatest) { return extreme(e, a, n, 1, out); }
DEF_FN(fn_least) { return extreme(e, a, n, -1, out); }

/* ---------------------------------------------------------------------------- table */

const FnImpl fn_impls[FN__COUNT] = {
    [FN_ADD_II] = fn_add_ii,     [FN_SUB_II] = fn_sub_ii,       [FN_MUL_II] = fn_mul_ii,
    [FN_DIV_II] = fn_div_ii,     [FN_MOD_II] = fn_mod_ii,       [FN_ADD_DD] = fn_add_dd,
    [FN_SUB_DD] = fn_sub_dd,     [FN_MUL_DD] = fn_mul_dd,       [FN_DIV_DD] = fn_div_dd,
    [FN_MOD_DD] = fn_mod_dd,     [FN_NEG_I] = fn_neg_i,         [FN_NEG_D] = fn_neg_d,
    [FN_NEG_V] = fn_neg_v,       [FN_ADD_TV] = fn_add_tv,       [FN_SUB_TV] = fn_sub_tv,
    [FN_SUB_TT] = fn_sub_tt,     [FN_ADD_VV] = fn_add_vv,       [FN_SUB_VV] = fn_sub_vv,
    [FN_MUL_VD] = fn_mul_vd,     [FN_DIV_VD] = fn_div_vd,       [FN_EQ] = fn_eq,
    [FN_NE] = fn_ne,             [FN_LT] = fn_lt,               [FN_LE] = fn_le,
    [FN_GT] = fn_gt,             [FN_GE] = fn_ge,               [FN_CAST_BOOL] = fn_cast_bool,
    [FN_CAST_INT] = fn_cast_int, [FN_CAST_DOUBLE] = fn_cast_double,
    [FN_CAST_TEXT] = fn_cast_text, [FN_CAST_TS] = fn_cast_ts,
    [FN_CAST_INTERVAL] = fn_cast_interval,
    [FN_CONCAT_OP] = fn_concat_op, [FN_CONCAT] = fn_concat,     [FN_LOWER] = fn_lower,
    [FN_UPPER] = fn_upper,       [FN_LENGTH] = fn_length,       [FN_SUBSTR] = fn_substr,
    [FN_SPLIT_PART] = fn_split_part, [FN_REPLACE] = fn_replace, [FN_TRIM] = fn_trim,
    [FN_LIKE] = fn_like,         [FN_ILIKE] = fn_ilike,         [FN_STRPOS] = fn_strpos,
    [FN_ABS_I] = fn_abs_i,       [FN_ABS_D] = fn_abs_d,         [FN_ROUND] = fn_round,
    [FN_ROUND2] = fn_round2,     [FN_FLOOR] = fn_floor,         [FN_CEIL] = fn_ceil,
    [FN_SQRT] = fn_sqrt,         [FN_POWER] = fn_power,         [FN_LN] = fn_ln,
    [FN_EXP] = fn_exp,           [FN_DATE_TRUNC] = fn_date_trunc, [FN_EXTRACT] = fn_extract,
    [FN_NOW] = fn_now,           [FN_TO_TIMESTAMP] = fn_to_timestamp,
    [FN_COALESCE] = fn_coalesce, [FN_NULLIF] = fn_nullif,       [FN_GREATEST] = fn_greatest,
    [FN_LEAST] = fn_least,
};
