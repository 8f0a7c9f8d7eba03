/*
 * server/tls.h — TLS for client connections (OpenSSL), non-blocking: every
 * call returns at once and says whether the socket must become readable or
 * writable before the same call is retried. conn.c decides when to call.
 *
 * INTERFACE
 *   tls_context_new / tls_context_free   certificate chain + private key (checked at start)
 *   tls_conn_new / tls_conn_free         one connection's TLS state on a socket
 *   tls_handshake                        drive the server handshake
 *   tls_read / tls_write                 application data
 *   tls_pending                          decrypted bytes buffered inside OpenSSL
 *   tls_describe                         "TLSv1.3 TLS_AES_256_GCM_SHA384" (for logs)
 */
#ifndef SL_TLS_H
#define SL_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct SqlError;

typedef struct TlsContext TlsContext;
typedef struct TlsConn TlsConn;

/* Results of tls_handshake, and of tls_read/tls_write when not > 0. */
#define TLS_OK 1
#define TLS_CLOSED 0          /* the peer closed (read) */
#define TLS_ERROR (-1)        /* broken: close the connection; see tls_conn_error */
#define TLS_WANT_READ (-2)    /* retry when the socket is readable */
#define TLS_WANT_WRITE (-3)   /* retry when the socket is writable */

/* Loads cert_file (PEM chain) and key_file (PEM), checks they match and that
 * the key file is not accessible by group or world (0600, or 0640 when owned
 * by root, as PostgreSQL requires). TLS 1.2 or newer. NULL with err set. */
TlsContext *tls_context_new(const char *cert_file, const char *key_file, struct SqlError *err);
void tls_context_free(TlsContext *ctx);

/* Borrows ctx and fd (the caller closes fd after tls_conn_free). NULL on OOM. */
TlsConn *tls_conn_new(TlsContext *ctx, int fd);
/* Sends close_notify if the handshake completed (one non-blocking try), then frees. */
void tls_conn_free(TlsConn *t);

int tls_handshake(TlsConn *t);
/* > 0 bytes, or TLS_CLOSED / TLS_ERROR / TLS_WANT_READ / TLS_WANT_WRITE. */
ssize_t tls_read(TlsConn *t, void *buf, size_t n);
ssize_t tls_write(TlsConn *t, const void *buf, size_t n);
size_t tls_pending(const TlsConn *t);
/* The reason of the last TLS_ERROR (static storage per conn). */
const char *tls_conn_error(const TlsConn *t);
const char *tls_describe(const TlsConn *t, char *out, size_t outlen);

#endif
