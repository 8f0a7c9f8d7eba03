/*
 * common/util.h — allocation wrappers that abort on OOM, panics for broken
 * invariants, small helpers.
 *
 * INTERFACE
 *   sl_malloc / sl_calloc / sl_realloc / sl_strdup   allocate or abort
 *   sl_panic                                          report a broken invariant and abort
 *   sl_now_us                                         wall clock, microseconds since the epoch
 *   sl_mono_us                                        monotonic clock, microseconds
 *   sl_utf8_invalid                                   where a byte string stops being UTF-8
 */
#ifndef SL_UTIL_H
#define SL_UTIL_H

#include <stddef.h>
#include <stdint.h>

void *sl_malloc(size_t n);
void *sl_calloc(size_t n, size_t size);
void *sl_realloc(void *p, size_t n);
char *sl_strdup(const char *s);
char *sl_strndup(const char *s, size_t n);
_Noreturn void sl_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int64_t sl_now_us(void);
int64_t sl_mono_us(void);
ptrdiff_t sl_utf8_invalid(const char *s, size_t n);

#define SL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SL_MIN(a, b) ((a) < (b) ? (a) : (b))
#define SL_MAX(a, b) ((a) > (b) ? (a) : (b))

#endif
