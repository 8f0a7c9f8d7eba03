/*
 * planner/catalog.c — streams and views by name (see catalog.h).
 *
 * A linked list: catalogs hold tens to thousands of objects and lookups
 * happen once per statement, never per row.
 */
#include "planner/catalog.h"

#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/util.h"

Catalog *
cat_new(void)
{
    Catalog *c = sl_calloc(1, sizeof *c);
    return c;
}

void
cat_free(Catalog *c)
{
    if (!c)
        return;
    CatObject *o = c->head;
    while (o) {
        CatObject *n = o->next;
        arena_free(o->arena);
        o = n;
    }
    free(c);
}

CatObject *
cat_lookup(const Catalog *c, const char *name)
{
    for (CatObject *o = c->head; o; o = o->next)
        if (strcmp(o->name, name) == 0)
            return o;
    return NULL;
}

void
cat_add(Catalog *c, CatObject *o)
{
    CatObject **p = &c->head;
    while (*p)
        p = &(*p)->next;
    o->next = NULL;
    *p = o;
    c->n++;
}

void
cat_remove(Catalog *c, CatObject *o)
{
    for (CatObject **p = &c->head; *p; p = &(*p)->next) {
        if (*p == o) {
            *p = o->next;
            c->n--;
            arena_free(o->arena);
            return;
        }
    }
}

CatObject *
cat_object_new(CatKind kind, const char *name)
{
    Arena *a = arena_new(4096);
    CatObject *o = ARENA_NEW(a, CatObject);
    o->kind = kind;
    o->arena = a;
    o->name = arena_strdup(a, name);
    o->wm_col = -1;
    return o;
}

const char *
cat_kind_name(CatKind k)
{
    return k == CAT_STREAM ? "stream" : k == CAT_VIEW ? "view" : "sink";
}

static int
dependents_into(const Catalog *c, const CatObject *o, CatObject **out, int max, int n)
{
    for (CatObject *d = c->head; d; d = d->next) {
        if (d->kind == CAT_STREAM || !d->source || strcmp(d->source, o->name) != 0)
            continue;
        n = dependents_into(c, d, out, max, n); /* a view's sinks go before the view */
        if (n < max)
            out[n] = d;
        n++;
    }
    return n;
}

int
cat_dependents(const Catalog *c, const CatObject *o, CatObject **out, int max)
{
    if (o->kind == CAT_SINK)
        return 0;
    return dependents_into(c, o, out, max, 0);
}
