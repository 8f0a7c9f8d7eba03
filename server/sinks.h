/*
 * server/sinks.h — the Engine's sinks on the event loop (see sinks.c).
 */
#ifndef SL_SINKS_H
#define SL_SINKS_H

#include "connectors/pg_sink.h"
#include "planner/catalog.h"
#include "server/loop.h"

struct SqlError;
typedef struct SinkSet SinkSet;

SinkSet *sinks_new(Catalog *cat);
void sinks_free(SinkSet *ss);
/* Sinks added before this (recovery) start now; later ones start when added. */
void sinks_attach_loop(SinkSet *ss, Loop *loop);
/* Registers a CAT_SINK object (sets its rt); 22023 for a conninfo that does not parse. */
int sinks_add(SinkSet *ss, CatObject *sink, struct SqlError *err);
void sinks_remove(SinkSet *ss, CatObject *sink);
void sinks_view_started(SinkSet *ss, CatObject *view);
void sinks_poll(SinkSet *ss);
typedef void (*SinkRowFn)(void *ctx, const CatObject *sink, const char *target,
                          const PgSinkStatus *st);
void sinks_foreach(SinkSet *ss, SinkRowFn fn, void *ctx);
/* One sink's status; returns its target ("host=... dbname=... user=... table=t": the
 * conninfo without its password). */
const char *sinks_status(CatObject *sink, PgSinkStatus *st);

#endif
