/*
 * executor/groups.c — aggregation state: open windows ("slots") and the
 * groups inside each, in an open-addressing hash table per window.
 *
 * INTERFACE (runtime_int.h)
 *   slot_find      the open window [start, end), optionally created
 *   slot_group     find or create a group by its key values
 *   slot_free      release a window's groups (one arena_free) and its table
 *   slot_sorted_groups  a window's groups in key order (deterministic emission)
 *   group_hash     hash of a key
 *   group_state    the i-th aggregate state of a group
 *   group_output   a group's output row (agg row → HAVING → projection)
 *
 * A window's groups live in the window's arena: closing it frees every
 * group in O(1) (CONVENTIONS §4, pane arenas). Only TEXT min/max states own
 * malloc memory and are released one by one.
 */
#include "executor/runtime_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

uint32_t
group_hash(const Value *keys, int n)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < n; i++) {
        const Value *k = &keys[i];
        /* Integers, booleans, timestamps and intervals hash their payload
         * inline; val_hash for the rest (it must agree with val_equal). */
        uint64_t x = (k->isnull || k->type == TYPE_TEXT || k->type == TYPE_DOUBLE)
                         ? val_hash(k) : (uint64_t)k->i;
        h = sl_hash_u64(h ^ x) + (uint64_t)i;
    }
    return (uint32_t)(h ^ (h >> 32));
}

void *
group_state(const ExView *v, Group *g, int i)
{
    return (char *)g + v->agg_off[i];
}

static int
slot_cmp_start(const ExView *v, int i, int64_t start)
{
    int64_t s = v->slots[i]->start;
    return s < start ? -1 : s > start ? 1 : 0;
}

Slot *
slot_find(ExView *v, int64_t start, int64_t end, bool create)
{
    /* Most events land in the newest windows: look from the end first. */
    int n = v->nslots;
    if (n && v->slots[n - 1]->start == start)
        return v->slots[n - 1];
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (slot_cmp_start(v, mid, start) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n && v->slots[lo]->start == start)
        return v->slots[lo];
    if (!create)
        return NULL;
    if (v->nslots == v->capslots) {
        v->capslots = v->capslots ? v->capslots * 2 : 8;
        v->slots = sl_realloc(v->slots, sizeof(Slot *) * (size_t)v->capslots);
    }
    memmove(v->slots + lo + 1, v->slots + lo, sizeof(Slot *) * (size_t)(n - lo));
    Slot *s = sl_calloc(1, sizeof *s);
    s->start = start;
    s->end = end;
    s->arena = arena_new(16384);
    s->cap = 16;
    s->table = sl_calloc(s->cap, sizeof(Group *));
    v->slots[lo] = s;
    v->nslots++;
    v->state_bytes += (int64_t)(sizeof *s + s->cap * sizeof(Group *));
    return s;
}

static bool
keys_equal(const Value *a, const Value *b, int n)
{
    for (int i = 0; i < n; i++) {
        if (a[i].isnull != b[i].isnull)
            return false;
        if (a[i].isnull)
            continue;
        if (a[i].type == TYPE_TEXT) {
            if (a[i].len != b[i].len || memcmp(a[i].s, b[i].s, a[i].len) != 0)
                return false;
        } else if (a[i].type == TYPE_DOUBLE) {
            if (!val_equal(&a[i], &b[i]))
                return false;
        } else if (a[i].i != b[i].i) {
            return false;
        }
    }
    return true;
}

static void
table_grow(ExView *v, Slot *s)
{
    size_t ncap = s->cap * 2;
    Group **nt = sl_calloc(ncap, sizeof(Group *));
    for (size_t i = 0; i < s->cap; i++) {
        Group *g = s->table[i];
        if (!g)
            continue;
        size_t j = g->hash & (ncap - 1);
        while (nt[j])
            j = (j + 1) & (ncap - 1);
        nt[j] = g;
    }
    free(s->table);
    v->state_bytes += (int64_t)((ncap - s->cap) * sizeof(Group *));
    s->table = nt;
    s->cap = ncap;
}

Group *
slot_group(ExView *v, Slot *s, const Value *keys, uint32_t hash, bool *created)
{
    int nk = v->nstored;
    size_t mask = s->cap - 1;
    size_t i = hash & mask;
    for (;;) {
        Group *g = s->table[i];
        if (!g)
            break;
        if (g->hash == hash && keys_equal(g->keys, keys, nk)) {
            *created = false;
            return g;
        }
        i = (i + 1) & mask;
    }
    size_t before = arena_bytes(s->arena);
    Group *g = arena_alloc(s->arena, v->group_size);
    memset(g, 0, sizeof(Group));
    g->hash = hash;
    for (int k = 0; k < nk; k++) {
        g->keys[k] = keys[k];
        if (keys[k].type == TYPE_TEXT && !keys[k].isnull)
            val_copy_text(&g->keys[k], s->arena);
    }
    for (int a = 0; a < v->p->naggs; a++)
        agg_init(&v->p->aggs[a], group_state(v, g, a));
    s->table[i] = g;
    s->n++;
    v->state_bytes += (int64_t)(arena_bytes(s->arena) - before);
    if (s->n * 2 > s->cap)
        table_grow(v, s);
    *created = true;
    return g;
}

static int
cmp_groups(const void *pa, const void *pb, void *arg)
{
    int nk = *(const int *)arg;
    const Group *a = *(Group *const *)pa, *b = *(Group *const *)pb;
    for (int k = 0; k < nk; k++) {
        const Value *x = &a->keys[k], *y = &b->keys[k];
        if (x->isnull || y->isnull) {
            if (x->isnull != y->isnull)
                return x->isnull ? 1 : -1; /* NULLs last, as PostgreSQL sorts */
            continue;
        }
        int c = val_cmp(x, y);
        if (c)
            return c;
    }
    return 0;
}

/* The groups of a window ordered by their keys: emission order must not
 * depend on hash values or table sizes. Returns a malloc'ed array of s->n. */
Group **
slot_sorted_groups(const ExView *v, const Slot *s)
{
    Group **out = sl_malloc(sizeof(Group *) * (s->n + 1));
    size_t n = 0;
    for (size_t i = 0; i < s->cap; i++)
        if (s->table[i])
            out[n++] = s->table[i];
    int nk = v->nstored;
    qsort_r(out, n, sizeof(Group *), cmp_groups, &nk);
    return out;
}

void
slot_free(ExView *v, Slot *s)
{
    if (v->has_text_state) {
        for (size_t i = 0; i < s->cap; i++) {
            Group *g = s->table[i];
            if (!g)
                continue;
            for (int a = 0; a < v->p->naggs; a++)
                agg_release(&v->p->aggs[a], group_state(v, g, a));
        }
    }
    v->state_bytes -= (int64_t)(sizeof *s + s->cap * sizeof(Group *) + arena_bytes(s->arena));
    free(s->table);
    arena_free(s->arena);
    free(s);
}

/* Computes a group's output row into `out` (TEXT values point into the
 * group's memory, or into `a` for computed text). *visible is false when
 * HAVING rejects the group. Returns -1 (counted, logged) when an output
 * expression fails at runtime. */
int
group_output(ExView *v, Slot *s, Group *g, Arena *a, Value *out, bool *visible)
{
    const PlanView *p = v->p;
    Value *arow = v->arow;
    for (int k = 0; k < p->ngroups; k++) {
        int src = v->key_src[k];
        arow[k] = src >= 0 ? g->keys[src] : val_ts(src == -1 ? s->start : s->end);
    }
    for (int i = 0; i < p->naggs; i++)
        agg_final(&p->aggs[i], group_state(v, g, i), &arow[p->ngroups + i]);
    SqlError err;
    err_init(&err, a);
    EvalCtx cx = {.arena = a, .err = &err, .now_us = sl_now_us()};
    *visible = true;
    if (p->having) {
        int r = expr_eval_pred(p->having, arow, &cx);
        if (r < 0)
            goto error;
        *visible = r == 1;
    }
    /* Computed even when HAVING hides the group: a 'delete' carries its key. */
    for (int c = 0; c < p->ncols; c++)
        if (expr_eval(p->cols[c], arow, &cx, &out[c]) != 0)
            goto error;
    return 0;
error:
    v->errors++;
    snprintf(v->last_error, sizeof v->last_error, "%s: %s", err.sqlstate, err.message);
    *visible = false;
    return -1;
}
