/*
 * common/buf.h — growable byte buffer (network bytes, formatted text).
 *
 * INTERFACE
 *   buf_init / buf_free      set up / release a Buf (the struct itself is the caller's)
 *   buf_reserve              make room for n more bytes
 *   buf_append / buf_putc / buf_puts / buf_printf   append bytes
 *   buf_put_u8 / buf_put_u16be / buf_put_u32be      append network-order integers
 *   buf_set_u32be            patch a big-endian u32 at an offset (message lengths)
 *   buf_consume              drop n bytes from the front
 *   buf_clear                length to zero, memory kept
 */
#ifndef SL_BUF_H
#define SL_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Buf {
    char *data;
    size_t len;
    size_t cap;
} Buf;

void buf_init(Buf *b);
void buf_free(Buf *b);
void buf_reserve(Buf *b, size_t n);
void buf_append(Buf *b, const void *p, size_t n);
void buf_putc(Buf *b, char c);
void buf_puts(Buf *b, const char *s);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap);
void buf_put_u8(Buf *b, uint8_t v);
void buf_put_u16be(Buf *b, uint16_t v);
void buf_put_u32be(Buf *b, uint32_t v);
void buf_set_u32be(Buf *b, size_t off, uint32_t v);
void buf_consume(Buf *b, size_t n);
void buf_clear(Buf *b);

#endif
