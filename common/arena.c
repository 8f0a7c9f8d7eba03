/*
 * common/arena.c — region allocator (see arena.h).
 *
 * Blocks are chained newest-first. A request larger than a quarter of the
 * block size gets a block of its own, so big allocations do not waste the
 * tail of the current block.
 */
#include "common/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

struct ArenaBlock {
    ArenaBlock *next;
    size_t size;  /* usable bytes in data[] */
    size_t used;
    max_align_t data[];
};

#define ALIGN16(n) (((n) + 15u) & ~(size_t)15u)

static ArenaBlock *
block_new(Arena *a, size_t size)
{
    ArenaBlock *b = sl_malloc(sizeof(ArenaBlock) + size);
    b->next = NULL;
    b->size = size;
    b->used = 0;
    a->reserved += sizeof(ArenaBlock) + size;
    return b;
}

Arena *
arena_new(size_t block_size)
{
    Arena *a = sl_malloc(sizeof(Arena));
    a->block_size = block_size ? block_size : 8192;
    a->reserved = 0;
    a->head = NULL;
    return a;
}

void
arena_free(Arena *a)
{
    if (!a)
        return;
    ArenaBlock *b = a->head;
    while (b) {
        ArenaBlock *n = b->next;
        free(b);
        b = n;
    }
    free(a);
}

void
arena_reset(Arena *a)
{
    ArenaBlock *keep = NULL;
    ArenaBlock *b = a->head;
    while (b) {
        ArenaBlock *n = b->next;
        if (!keep && b->size == a->block_size) {
            keep = b;
        } else {
            free(b);
        }
        b = n;
    }
    a->head = keep;
    a->reserved = 0;
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
        a->reserved = sizeof(ArenaBlock) + keep->size;
    }
}

void *
arena_alloc(Arena *a, size_t n)
{
    n = ALIGN16(n ? n : 1);
    ArenaBlock *b = a->head;
    if (b && b->size - b->used >= n) {
        void *p = (char *)b->data + b->used;
        b->used += n;
        return p;
    }
    if (n > a->block_size / 4) {
        /* Oversized: own block, linked behind the current one so the
         * current block keeps serving small requests. */
        ArenaBlock *big = block_new(a, n);
        big->used = n;
        if (b) {
            big->next = b->next;
            b->next = big;
        } else {
            a->head = big;
        }
        return big->data;
    }
    ArenaBlock *nb = block_new(a, a->block_size);
    nb->next = b;
    a->head = nb;
    nb->used = n;
    return nb->data;
}

void *
arena_zalloc(Arena *a, size_t n)
{
    void *p = arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

char *
arena_strndup(Arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
arena_strdup(Arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *
arena_vsprintf(Arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        n = 0;
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *
arena_sprintf(Arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vsprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

size_t
arena_bytes(const Arena *a)
{
    return a->reserved;
}
