/*
 * common/arena.h — region allocator with lifetimes named after the domain.
 *
 * INTERFACE
 *   arena_new        create an empty arena
 *   arena_free       release every block at once
 *   arena_reset      forget all allocations, keep the first block for reuse
 *   arena_alloc      bump-allocate n bytes, 16-byte aligned (never fails: aborts on OOM)
 *   arena_zalloc     same, zeroed
 *   arena_strndup    NUL-terminated copy of n bytes
 *   arena_sprintf    formatted string allocated in the arena
 *   arena_bytes      bytes currently reserved by the arena (for memory accounting)
 */
#ifndef SL_ARENA_H
#define SL_ARENA_H

#include <stddef.h>
#include <stdarg.h>

typedef struct ArenaBlock ArenaBlock;

typedef struct Arena {
    ArenaBlock *head;     /* current block; older blocks chained behind it */
    size_t block_size;    /* size of a normal block */
    size_t reserved;      /* total bytes malloc'ed by this arena */
} Arena;

Arena *arena_new(size_t block_size);
void arena_free(Arena *a);
void arena_reset(Arena *a);
void *arena_alloc(Arena *a, size_t n);
void *arena_zalloc(Arena *a, size_t n);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_sprintf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vsprintf(Arena *a, const char *fmt, va_list ap);
size_t arena_bytes(const Arena *a);

#define ARENA_NEW(a, T) ((T *)arena_zalloc((a), sizeof(T)))
#define ARENA_ARRAY(a, T, n) ((T *)arena_zalloc((a), sizeof(T) * (size_t)(n)))

#endif
