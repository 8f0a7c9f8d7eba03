/*
 * executor/agg.c — aggregate functions as fixed-size states with step,
 * combine and final (PipelineDB's transition / combine / final split).
 *
 * A state is a small blob (at most 24 bytes, 8-byte aligned) that lives in
 * a group's memory inside a pane arena; a window's result combines the
 * states of its panes. combine(step(A), step(B)) == step(A ∪ B) holds for
 * every kind (exactly for integers and text, up to floating-point
 * reassociation for double sums). Only min/max over TEXT owns memory: the
 * current extreme is copied into a malloc'ed buffer that grows as needed and
 * is freed by agg_release; every other step is allocation-free.
 *
 * INTERFACE
 *   agg_state_size  bytes of state for one aggregate
 *   agg_init        the empty state
 *   agg_step        fold one input value in
 *   agg_combine     fold a partial state into another
 *   agg_final       the current result
 *   agg_release     free what a state owns (TEXT min/max)
 */
#include "executor/executor_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/util.h"

typedef struct CountState {
    int64_t n;
} CountState;

/* sum(bigint) and sum(interval): exact, 22003 on overflow. */
typedef struct SumIntState {
    int64_t sum;
    int64_t n;  /* non-NULL inputs seen: 0 → the result is NULL */
} SumIntState;

typedef struct SumDoubleState {
    double sum;
    int64_t n;
} SumDoubleState;

/* avg: bigint inputs add exactly into isum; when that would overflow, isum spills into dsum
 * and starts again, so the usual case keeps every bit and the extreme case stays finite. */
typedef struct AvgState {
    int64_t n;
    int64_t isum;
    double dsum;
} AvgState;

/* min/max: v.isnull marks the empty state; for TEXT, v.s is a malloc'ed buffer of cap bytes. */
typedef struct MinMaxState {
    Value v;
    uint32_t cap;
} MinMaxState;

_Static_assert(sizeof(AvgState) <= 24 && sizeof(MinMaxState) <= 24, "aggregate state too big");

static int
agg_pos(const PlanAgg *agg)
{
    return agg->arg ? agg->arg->pos : -1;
}

static int
sum_overflow(const PlanAgg *agg, SqlError *err)
{
    err_setf(err, ERR_NUMERIC_VALUE_OUT_OF_RANGE, agg_pos(agg), "%s out of range",
             agg->type == TYPE_INTERVAL ? "interval" : "bigint");
    return -1;
}

static int
double_overflow(const PlanAgg *agg, SqlError *err)
{
    err_setf(err, ERR_NUMERIC_VALUE_OUT_OF_RANGE, agg_pos(agg), "value out of range: overflow");
    return -1;
}

/* a + b for a running double sum: inf from finite operands is an overflow (float8pl). */
static int
add_double(const PlanAgg *agg, double *acc, double x, SqlError *err)
{
    double r = *acc + x;
    if (isinf(r) && !isinf(*acc) && !isinf(x))
        return double_overflow(agg, err);
    *acc = r;
    return 0;
}

static void
avg_add_int(AvgState *s, int64_t x)
{
    int64_t r;
    if (__builtin_add_overflow(s->isum, x, &r)) {
        s->dsum += (double)s->isum;
        r = x;
    }
    s->isum = r;
}

/* Keep the more extreme of the state and v (sign 1: max, -1: min). */
static void
minmax_fold(MinMaxState *s, const Value *v, int sign)
{
    if (!s->v.isnull && val_cmp(v, &s->v) * sign <= 0)
        return;
    if (v->type != TYPE_TEXT) {
        s->v = *v;
        s->v.isnull = 0;
        return;
    }
    char *buf = s->cap ? (char *)s->v.s : NULL;
    if (v->len > s->cap) {
        uint32_t cap = s->cap ? s->cap : 16;
        while (cap < v->len)
            cap = cap > UINT32_MAX / 2 ? v->len : cap * 2;
        buf = sl_realloc(buf, cap);
        s->cap = cap;
    }
    if (v->len)
        memcpy(buf, v->s, v->len);
    s->v.s = buf ? buf : "";
    s->v.len = v->len;
    s->v.type = TYPE_TEXT;
    s->v.isnull = 0;
}

/* Bytes of state `agg` needs (8-byte aligned sizes, at most 24). */
size_t
agg_state_size(const PlanAgg *agg)
{
    switch (agg->kind) {
    case AGG_COUNT_STAR:
    case AGG_COUNT:
        return sizeof(CountState);
    case AGG_SUM_INT:
        return sizeof(SumIntState);
    case AGG_SUM_DOUBLE:
        return sizeof(SumDoubleState);
    case AGG_AVG:
        return sizeof(AvgState);
    case AGG_MIN:
    case AGG_MAX:
        return sizeof(MinMaxState);
    }
    sl_panic("agg_state_size: unknown aggregate kind %d", (int)agg->kind);
}

/* Set `state` (agg_state_size bytes) to the empty state; it owns nothing yet. */
void
agg_init(const PlanAgg *agg, void *state)
{
    memset(state, 0, agg_state_size(agg));
    if (agg->kind == AGG_MIN || agg->kind == AGG_MAX) {
        MinMaxState *s = state;
        s->v = val_null(agg->type);
    }
}

/*
 * Fold one input into `state`. arg is NULL for count(*); NULL values are skipped by every
 * other kind. Returns 0, or -1 with err set on overflow (the state is then unchanged).
 * TEXT min/max copy the value (the state owns the copy); `arg` is only borrowed.
 */
int
agg_step(const PlanAgg *agg, void *state, const Value *arg, SqlError *err)
{
    if (agg->kind == AGG_COUNT_STAR) {
        ((CountState *)state)->n++;
        return 0;
    }
    if (arg == NULL || arg->isnull)
        return 0;
    switch (agg->kind) {
    case AGG_COUNT:
        ((CountState *)state)->n++;
        return 0;
    case AGG_SUM_INT: {
        SumIntState *s = state;
        int64_t r;
        if (__builtin_add_overflow(s->sum, arg->i, &r))
            return sum_overflow(agg, err);
        s->sum = r;
        s->n++;
        return 0;
    }
    case AGG_SUM_DOUBLE: {
        SumDoubleState *s = state;
        if (add_double(agg, &s->sum, arg->d, err) < 0)
            return -1;
        s->n++;
        return 0;
    }
    case AGG_AVG: {
        AvgState *s = state;
        if (arg->type == TYPE_DOUBLE) {
            if (add_double(agg, &s->dsum, arg->d, err) < 0)
                return -1;
        } else {
            avg_add_int(s, arg->i);
        }
        s->n++;
        return 0;
    }
    case AGG_MIN:
    case AGG_MAX:
        minmax_fold(state, arg, agg->kind == AGG_MAX ? 1 : -1);
        return 0;
    case AGG_COUNT_STAR:
        break;
    }
    return 0;
}

/*
 * Fold the partial state `from` into `into` (both of this aggregate). Returns 0, or -1 with
 * err set on overflow. `from` is only read: it keeps its own memory (release it separately).
 */
int
agg_combine(const PlanAgg *agg, void *into, const void *from, SqlError *err)
{
    switch (agg->kind) {
    case AGG_COUNT_STAR:
    case AGG_COUNT:
        ((CountState *)into)->n += ((const CountState *)from)->n;
        return 0;
    case AGG_SUM_INT: {
        SumIntState *s = into;
        const SumIntState *f = from;
        int64_t r;
        if (__builtin_add_overflow(s->sum, f->sum, &r))
            return sum_overflow(agg, err);
        s->sum = r;
        s->n += f->n;
        return 0;
    }
    case AGG_SUM_DOUBLE: {
        SumDoubleState *s = into;
        const SumDoubleState *f = from;
        if (add_double(agg, &s->sum, f->sum, err) < 0)
            return -1;
        s->n += f->n;
        return 0;
    }
    case AGG_AVG: {
        AvgState *s = into;
        const AvgState *f = from;
        double d = s->dsum;
        if (add_double(agg, &d, f->dsum, err) < 0)
            return -1;
        s->dsum = d;
        avg_add_int(s, f->isum);
        s->n += f->n;
        return 0;
    }
    case AGG_MIN:
    case AGG_MAX: {
        const MinMaxState *f = from;
        if (!f->v.isnull)
            minmax_fold(into, &f->v, agg->kind == AGG_MAX ? 1 : -1);
        return 0;
    }
    }
    return 0;
}

/* The current result, of type agg->type. A TEXT result borrows the state's buffer: copy it to
 * keep it past the next step or agg_release. */
void
agg_final(const PlanAgg *agg, const void *state, Value *out)
{
    switch (agg->kind) {
    case AGG_COUNT_STAR:
    case AGG_COUNT:
        *out = val_int(((const CountState *)state)->n);
        break;
    case AGG_SUM_INT: {
        const SumIntState *s = state;
        *out = s->n ? val_int(s->sum) : val_null(agg->type);
        break;
    }
    case AGG_SUM_DOUBLE: {
        const SumDoubleState *s = state;
        *out = s->n ? val_double(s->sum) : val_null(agg->type);
        break;
    }
    case AGG_AVG: {
        const AvgState *s = state;
        *out = s->n ? val_double((s->dsum + (double)s->isum) / (double)s->n)
                    : val_null(agg->type);
        break;
    }
    case AGG_MIN:
    case AGG_MAX:
        *out = ((const MinMaxState *)state)->v;
        break;
    }
    out->type = (uint8_t)agg->type;
}

/* Free what the state owns (the TEXT buffer of min/max) and leave it empty. */
void
agg_release(const PlanAgg *agg, void *state)
{
    if (agg->kind != AGG_MIN && agg->kind != AGG_MAX)
        return;
    MinMaxState *s = state;
    if (s->cap)
        free((void *)s->v.s);
    s->cap = 0;
    s->v = val_null(agg->type);
}

/* Checkpoints: a state as bytes. Every state but TEXT min/max is plain data
 * and is copied as is; TEXT min/max saves its string. */
void
agg_save(const PlanAgg *agg, const void *state, Buf *out)
{
    bool text = (agg->kind == AGG_MIN || agg->kind == AGG_MAX) && agg->type == TYPE_TEXT;
    if (!text) {
        buf_append(out, state, agg_state_size(agg));
        return;
    }
    const MinMaxState *s = state;
    uint32_t len = s->v.isnull ? UINT32_MAX : s->v.len;
    buf_append(out, &len, 4);
    if (!s->v.isnull)
        buf_append(out, s->v.s, s->v.len);
}

/* Restores a state saved by agg_save from *p (advanced); -1 if the bytes
 * run out. `state` must be fresh (agg_init'ed). */
int
agg_load(const PlanAgg *agg, void *state, const unsigned char **p, const unsigned char *end)
{
    bool text = (agg->kind == AGG_MIN || agg->kind == AGG_MAX) && agg->type == TYPE_TEXT;
    if (!text) {
        size_t n = agg_state_size(agg);
        if ((size_t)(end - *p) < n)
            return -1;
        memcpy(state, *p, n);
        *p += n;
        return 0;
    }
    uint32_t len;
    if (end - *p < 4)
        return -1;
    memcpy(&len, *p, 4);
    *p += 4;
    if (len == UINT32_MAX)
        return 0;
    if ((size_t)(end - *p) < len)
        return -1;
    Value v = val_text((const char *)*p, len);
    minmax_fold(state, &v, 1);
    *p += len;
    return 0;
}
