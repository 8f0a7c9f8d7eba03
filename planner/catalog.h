/*
 * planner/catalog.h — the catalog: streams and views by name.
 *
 * Each object owns an arena holding its definition (columns, plan, SQL
 * text); DROP frees it in one go. `rt` is the executor's runtime object for
 * it, opaque here and owned by the executor (freed before the object).
 *
 * INTERFACE
 *   cat_new / cat_free        create / destroy a catalog (frees every object's arena)
 *   cat_lookup                find an object by (folded) name
 *   cat_add                   insert an object (name must be free)
 *   cat_remove                unlink and free an object
 *   cat_object_new            a fresh object with its own arena
 *   cat_kind_name             "stream" / "view"
 *   cat_dependents            the objects reading an object, directly or not (a stream's
 *                             views and their sinks), each listed after its own dependents
 */
#ifndef SL_CATALOG_H
#define SL_CATALOG_H

#include <stdbool.h>
#include <stdint.h>

#include "common/value.h"

struct Arena;
struct PlanView;
struct PlanSink;

typedef enum CatKind { CAT_STREAM, CAT_VIEW, CAT_SINK } CatKind;

typedef struct CatColumn {
    const char *name;
    SlType type;
    bool not_null;
} CatColumn;

typedef struct CatObject CatObject;
struct CatObject {
    CatKind kind;
    const char *name;
    struct Arena *arena;    /* owns everything below but rt */
    const char *sql;        /* the defining statement */
    int ncols;
    CatColumn *cols;

    /* streams */
    int wm_col;             /* -1: no WATERMARK clause (processing time) */
    int64_t wm_delay_us;
    int64_t idle_timeout_us; /* 0 = none */
    int64_t retention_us;

    /* views */
    struct PlanView *plan;
    const char *source;     /* views: the stream it reads; sinks: the view */
    const char *notice;     /* a NOTICE to show once after CREATE (e.g. unbounded state), or NULL */

    /* sinks */
    struct PlanSink *sink;
    uint64_t incarnation;   /* creation time (wall µs): tells this sink from an earlier or
                               later one of the same name in the target's progress table */

    void *rt;               /* executor runtime; sinks: the server's sink runtime */
    void *log;              /* streams: the storage log (storage/store.h), owned by the server */
    uint64_t start_offset;  /* views: offset of the source stream when the view was created;
                               streams: the offset the last checkpoint covers;
                               sinks: the view's epoch when the sink was created */
    CatObject *next;
};

typedef struct Catalog {
    CatObject *head;
    int n;
} Catalog;

Catalog *cat_new(void);
void cat_free(Catalog *c);
CatObject *cat_lookup(const Catalog *c, const char *name);
void cat_add(Catalog *c, CatObject *o);
void cat_remove(Catalog *c, CatObject *o);
CatObject *cat_object_new(CatKind kind, const char *name);
const char *cat_kind_name(CatKind k);
int cat_dependents(const Catalog *c, const CatObject *o, CatObject **out, int max);

#endif
