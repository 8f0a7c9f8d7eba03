/*
 * server/tls.c — OpenSSL glue for client connections (see tls.h).
 *
 * The SSL object reads and writes the socket itself (SSL_set_fd); the socket
 * is non-blocking, so every OpenSSL call may report WANT_READ/WANT_WRITE,
 * which we pass on for conn.c to wait on epoll. SSL_write runs with partial
 * writes and a moving buffer allowed, because conn.c retries from its output
 * Buf, which may have grown (and moved) in between. Renegotiation is off.
 */
#include "server/tls.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "common/errors.h"
#include "common/util.h"

struct TlsContext {
    SSL_CTX *ctx;
};

struct TlsConn {
    SSL *ssl;
    bool established;
    bool failed;          /* a fatal TLS error: no close_notify may follow */
    char error[160];
};

static void
openssl_error(char *out, size_t n, const char *what)
{
    unsigned long e = ERR_get_error();
    char buf[120];
    if (e)
        ERR_error_string_n(e, buf, sizeof buf);
    else
        snprintf(buf, sizeof buf, "no details");
    snprintf(out, n, "%s: %s", what, buf);
    ERR_clear_error();
}

static int
check_key_file(const char *path, SqlError *err)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        err_setf(err, ERR_IO_ERROR, -1, "could not access private key file \"%s\": %s", path,
                 strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        err_setf(err, ERR_IO_ERROR, -1, "private key file \"%s\" is not a regular file", path);
        return -1;
    }
    bool ok = st.st_uid == 0 ? (st.st_mode & (S_IWGRP | S_IXGRP | S_IRWXO)) == 0
                             : (st.st_mode & (S_IRWXG | S_IRWXO)) == 0;
    if (!ok) {
        err_setf(err, ERR_INVALID_AUTHORIZATION, -1,
                 "private key file \"%s\" has group or world access (mode %04o)", path,
                 (unsigned)(st.st_mode & 07777));
        err_hint(err, "File must have permissions u=rw (0600) or less if owned by the server's "
                      "user, or u=rw,g=r (0640) or less if owned by root.");
        return -1;
    }
    return 0;
}

TlsContext *
tls_context_new(const char *cert_file, const char *key_file, SqlError *err)
{
    if (check_key_file(key_file, err) < 0)
        return NULL;
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    char msg[200];
    if (!ctx) {
        openssl_error(msg, sizeof msg, "could not create the TLS context");
        err_setf(err, ERR_INTERNAL_ERROR, -1, "%s", msg);
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION |
                                 SSL_OP_CIPHER_SERVER_PREFERENCE);
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
    /* a client that drops the TCP connection without close_notify is an ordinary EOF */
    SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
#endif
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                              SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1) {
        openssl_error(msg, sizeof msg, "could not load server certificate file");
        err_setf(err, ERR_IO_ERROR, -1, "%s \"%s\"", msg, cert_file);
        SSL_CTX_free(ctx);
        return NULL;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) != 1) {
        openssl_error(msg, sizeof msg, "could not load private key file");
        err_setf(err, ERR_IO_ERROR, -1, "%s \"%s\"", msg, key_file);
        SSL_CTX_free(ctx);
        return NULL;
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        openssl_error(msg, sizeof msg, "check of private key failed");
        err_setf(err, ERR_IO_ERROR, -1, "%s (\"%s\" does not match \"%s\")", msg, key_file,
                 cert_file);
        SSL_CTX_free(ctx);
        return NULL;
    }
    TlsContext *t = sl_calloc(1, sizeof *t);
    t->ctx = ctx;
    return t;
}

void
tls_context_free(TlsContext *t)
{
    if (!t)
        return;
    SSL_CTX_free(t->ctx);
    free(t);
}

TlsConn *
tls_conn_new(TlsContext *ctx, int fd)
{
    SSL *ssl = SSL_new(ctx->ctx);
    if (!ssl)
        return NULL;
    if (SSL_set_fd(ssl, fd) != 1) {
        SSL_free(ssl);
        return NULL;
    }
    SSL_set_accept_state(ssl);
    TlsConn *t = sl_calloc(1, sizeof *t);
    t->ssl = ssl;
    return t;
}

void
tls_conn_free(TlsConn *t)
{
    if (!t)
        return;
    if (t->established && !t->failed) {
        SSL_set_quiet_shutdown(t->ssl, 0);
        (void)SSL_shutdown(t->ssl); /* one try: the socket is non-blocking */
    }
    SSL_free(t->ssl);
    ERR_clear_error();
    free(t);
}

/* Map an SSL_get_error result to our codes. */
static int
classify(TlsConn *t, int ret, const char *what)
{
    int e = SSL_get_error(t->ssl, ret);
    switch (e) {
    case SSL_ERROR_WANT_READ:
        return TLS_WANT_READ;
    case SSL_ERROR_WANT_WRITE:
        return TLS_WANT_WRITE;
    case SSL_ERROR_ZERO_RETURN:
        return TLS_CLOSED;
    case SSL_ERROR_SYSCALL:
        if (ERR_peek_error() == 0) {
            snprintf(t->error, sizeof t->error, "%s: connection closed by peer", what);
            ERR_clear_error();
            t->failed = true;
            return ret == 0 ? TLS_CLOSED : TLS_ERROR;
        }
        openssl_error(t->error, sizeof t->error, what);
        t->failed = true;
        return TLS_ERROR;
    default:
        openssl_error(t->error, sizeof t->error, what);
        t->failed = true;
        return TLS_ERROR;
    }
}

int
tls_handshake(TlsConn *t)
{
    ERR_clear_error();
    int r = SSL_do_handshake(t->ssl);
    if (r == 1) {
        t->established = true;
        return TLS_OK;
    }
    int c = classify(t, r, "TLS handshake failed");
    return c == TLS_CLOSED ? TLS_ERROR : c;
}

ssize_t
tls_read(TlsConn *t, void *buf, size_t n)
{
    ERR_clear_error();
    size_t got = 0;
    int r = SSL_read_ex(t->ssl, buf, n, &got);
    if (r == 1)
        return (ssize_t)got;
    return classify(t, r, "TLS read failed");
}

ssize_t
tls_write(TlsConn *t, const void *buf, size_t n)
{
    ERR_clear_error();
    size_t put = 0;
    int r = SSL_write_ex(t->ssl, buf, n, &put);
    if (r == 1)
        return (ssize_t)put;
    int c = classify(t, r, "TLS write failed");
    return c == TLS_CLOSED ? TLS_ERROR : c;
}

size_t
tls_pending(const TlsConn *t)
{
    int n = SSL_pending(t->ssl);
    return n > 0 ? (size_t)n : 0;
}

const char *
tls_conn_error(const TlsConn *t)
{
    return t->error[0] ? t->error : "TLS error";
}

const char *
tls_describe(const TlsConn *t, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s %s", SSL_get_version(t->ssl), SSL_get_cipher_name(t->ssl));
    return out;
}
