/*
 * server/scram.c — SCRAM-SHA-256 server side (see scram.h).
 *
 * Notation of RFC 5802: SaltedPassword = Hi(password, salt, i),
 * ClientKey = HMAC(SaltedPassword, "Client Key"), StoredKey = H(ClientKey),
 * ServerKey = HMAC(SaltedPassword, "Server Key"). The server keeps only
 * StoredKey and ServerKey. A client proves knowledge of ClientKey by sending
 * ClientProof = ClientKey XOR HMAC(StoredKey, AuthMessage); we recover
 * ClientKey and check H(ClientKey) == StoredKey.
 *
 * Channel binding (SCRAM-SHA-256-PLUS) is not offered, so the gs2 header must
 * be "n,," or "y,," and the client-final "c=" attribute its base64. Every
 * comparison of secret-derived bytes uses CRYPTO_memcmp. Passwords are used
 * as given (no SASLprep): for ASCII passwords that is what libpq does too.
 */
#include "server/scram.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "common/buf.h"
#include "common/errors.h"
#include "common/util.h"

/* ------------------------------------------------------------------ base64 */

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int
scram_b64_encode(const uint8_t *in, size_t n, char *out, size_t outcap)
{
    size_t need = (n + 2) / 3 * 4 + 1;
    if (outcap < need)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[o++] = b64chars[(v >> 18) & 63];
        out[o++] = b64chars[(v >> 12) & 63];
        out[o++] = i + 1 < n ? b64chars[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? b64chars[v & 63] : '=';
    }
    out[o] = '\0';
    return (int)o;
}

static int
b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

int
scram_b64_decode(const char *in, size_t n, uint8_t *out, size_t outcap)
{
    if (n % 4 != 0)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < n; i += 4) {
        int pad = 0;
        uint32_t v = 0;
        for (int k = 0; k < 4; k++) {
            char ch = in[i + k];
            int d;
            if (ch == '=') {
                /* padding only in the last group, only at its end */
                if (i + 4 != n || k < 2)
                    return -1;
                pad++;
                d = 0;
            } else {
                if (pad) /* data after '=' */
                    return -1;
                d = b64_value(ch);
                if (d < 0)
                    return -1;
            }
            v = v << 6 | (uint32_t)d;
        }
        size_t bytes = (size_t)(3 - pad);
        if (o + bytes > outcap)
            return -1;
        out[o++] = (uint8_t)(v >> 16);
        if (bytes > 1)
            out[o++] = (uint8_t)(v >> 8);
        if (bytes > 2)
            out[o++] = (uint8_t)v;
    }
    return (int)o;
}

/* -------------------------------------------------------------------- keys */

int
scram_salted_password(const char *password, const uint8_t *salt, size_t salt_len, int iterations,
                      uint8_t out[SCRAM_KEY_LEN])
{
    if (iterations < 1 || salt_len > INT32_MAX)
        return -1;
    return PKCS5_PBKDF2_HMAC(password, (int)strlen(password), salt, (int)salt_len, iterations,
                             EVP_sha256(), SCRAM_KEY_LEN, out) == 1
               ? 0
               : -1;
}

static void
hmac256(const uint8_t *key, size_t keylen, const void *data, size_t n, uint8_t out[SCRAM_KEY_LEN])
{
    unsigned int len = SCRAM_KEY_LEN;
    if (!HMAC(EVP_sha256(), key, (int)keylen, data, n, out, &len))
        sl_panic("HMAC-SHA-256 failed");
}

void
scram_keys(const uint8_t salted[SCRAM_KEY_LEN], uint8_t client_key[SCRAM_KEY_LEN],
           uint8_t stored_key[SCRAM_KEY_LEN], uint8_t server_key[SCRAM_KEY_LEN])
{
    uint8_t ck[SCRAM_KEY_LEN];
    hmac256(salted, SCRAM_KEY_LEN, "Client Key", 10, ck);
    if (client_key)
        memcpy(client_key, ck, SCRAM_KEY_LEN);
    if (stored_key)
        SHA256(ck, SCRAM_KEY_LEN, stored_key);
    if (server_key)
        hmac256(salted, SCRAM_KEY_LEN, "Server Key", 10, server_key);
    OPENSSL_cleanse(ck, sizeof ck);
}

/* --------------------------------------------------------------- verifiers */

int
scram_make_verifier(const char *password, const uint8_t *salt, size_t salt_len, int iterations,
                    char *out, size_t outcap)
{
    uint8_t rnd[SCRAM_SALT_LEN];
    if (!salt) {
        if (RAND_bytes(rnd, sizeof rnd) != 1)
            return -1;
        salt = rnd;
        salt_len = sizeof rnd;
    }
    if (salt_len == 0 || salt_len > SCRAM_MAX_SALT || iterations < 1 ||
        iterations > SCRAM_MAX_ITERATIONS)
        return -1;
    uint8_t salted[SCRAM_KEY_LEN], stored[SCRAM_KEY_LEN], server[SCRAM_KEY_LEN];
    if (scram_salted_password(password, salt, salt_len, iterations, salted) < 0)
        return -1;
    scram_keys(salted, NULL, stored, server);
    OPENSSL_cleanse(salted, sizeof salted);
    char s64[SCRAM_MAX_SALT * 2], k1[64], k2[64];
    scram_b64_encode(salt, salt_len, s64, sizeof s64);
    scram_b64_encode(stored, SCRAM_KEY_LEN, k1, sizeof k1);
    scram_b64_encode(server, SCRAM_KEY_LEN, k2, sizeof k2);
    int n = snprintf(out, outcap, "SCRAM-SHA-256$%d:%s$%s:%s", iterations, s64, k1, k2);
    return n < 0 || (size_t)n >= outcap ? -1 : 0;
}

/* Decodes the base64 in s[0..n) into exactly want bytes (want 0: any count up
 * to cap, stored in *got). */
static int
decode_field(const char *s, size_t n, uint8_t *out, size_t cap, size_t want, size_t *got)
{
    int r = scram_b64_decode(s, n, out, cap);
    if (r < 0 || (want && (size_t)r != want) || r == 0)
        return -1;
    if (got)
        *got = (size_t)r;
    return 0;
}

int
scram_parse_verifier(const char *s, ScramVerifier *v)
{
    static const char prefix[] = "SCRAM-SHA-256$";
    memset(v, 0, sizeof *v);
    if (strncmp(s, prefix, sizeof prefix - 1) != 0)
        return -1;
    const char *p = s + sizeof prefix - 1;
    /* iterations: decimal digits up to ':' */
    long iter = 0;
    const char *q = p;
    while (*q >= '0' && *q <= '9') {
        iter = iter * 10 + (*q - '0');
        if (iter > SCRAM_MAX_ITERATIONS)
            return -1;
        q++;
    }
    if (q == p || *q != ':' || iter < 1)
        return -1;
    v->iterations = (int)iter;
    const char *salt = q + 1;
    const char *dollar = strchr(salt, '$');
    if (!dollar)
        return -1;
    if (decode_field(salt, (size_t)(dollar - salt), v->salt, sizeof v->salt, 0, &v->salt_len) < 0)
        return -1;
    const char *k1 = dollar + 1;
    const char *colon = strchr(k1, ':');
    if (!colon)
        return -1;
    if (decode_field(k1, (size_t)(colon - k1), v->stored_key, SCRAM_KEY_LEN, SCRAM_KEY_LEN,
                     NULL) < 0)
        return -1;
    const char *k2 = colon + 1;
    if (decode_field(k2, strlen(k2), v->server_key, SCRAM_KEY_LEN, SCRAM_KEY_LEN, NULL) < 0)
        return -1;
    return 0;
}

void
scram_mock_verifier(const uint8_t secret[SCRAM_KEY_LEN], const char *user, ScramVerifier *v)
{
    memset(v, 0, sizeof *v);
    Buf b;
    buf_init(&b);
    buf_puts(&b, "salt:");
    buf_puts(&b, user);
    uint8_t h[SCRAM_KEY_LEN];
    hmac256(secret, SCRAM_KEY_LEN, b.data, b.len, h);
    memcpy(v->salt, h, SCRAM_SALT_LEN);
    v->salt_len = SCRAM_SALT_LEN;
    v->iterations = SCRAM_DEFAULT_ITERATIONS;
    buf_clear(&b);
    buf_puts(&b, "keys:");
    buf_puts(&b, user);
    hmac256(secret, SCRAM_KEY_LEN, b.data, b.len, v->stored_key);
    SHA256(v->stored_key, SCRAM_KEY_LEN, v->server_key);
    buf_free(&b);
}

bool
scram_check_password(const ScramVerifier *v, const char *password)
{
    uint8_t salted[SCRAM_KEY_LEN], stored[SCRAM_KEY_LEN], server[SCRAM_KEY_LEN];
    if (scram_salted_password(password, v->salt, v->salt_len, v->iterations, salted) < 0)
        return false;
    scram_keys(salted, NULL, stored, server);
    OPENSSL_cleanse(salted, sizeof salted);
    /* both compared, always: no early exit on the first mismatch */
    int a = CRYPTO_memcmp(stored, v->stored_key, SCRAM_KEY_LEN);
    int b = CRYPTO_memcmp(server, v->server_key, SCRAM_KEY_LEN);
    return (a | b) == 0;
}

/* ---------------------------------------------------------------- exchange */

void
scram_exchange_init(ScramExchange *x, const ScramVerifier *v, const ScramVerifier *mock)
{
    memset(x, 0, sizeof *x);
    if (v) {
        x->v = *v;
    } else {
        x->v = *mock;
        x->mock = true;
    }
}

void
scram_exchange_free(ScramExchange *x)
{
    free(x->client_first_bare);
    free(x->server_first);
    free(x->nonce);
    x->client_first_bare = x->server_first = x->nonce = NULL;
    OPENSSL_cleanse(&x->v, sizeof x->v);
}

static ScramResult
malformed(SqlError *err, const char *detail)
{
    err_setf(err, ERR_PROTOCOL_VIOLATION, -1, "malformed SCRAM message");
    err_detail(err, "%s", detail);
    return SCRAM_MALFORMED;
}

/* A printable nonce character: 0x21..0x7E except ','. */
static bool
nonce_ok(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x21 || s[i] > 0x7E || s[i] == ',')
            return false;
    return true;
}

/* The message as a C string, refusing embedded NULs and oversize input. */
static char *
message_copy(const char *in, size_t n, SqlError *err)
{
    if (n == 0) {
        malformed(err, "The message is empty.");
        return NULL;
    }
    if (n > SCRAM_MAX_MESSAGE) {
        malformed(err, "The message is too long.");
        return NULL;
    }
    if (memchr(in, '\0', n)) {
        malformed(err, "The message contains a NUL byte.");
        return NULL;
    }
    char *s = sl_malloc(n + 1);
    memcpy(s, in, n);
    s[n] = '\0';
    return s;
}

/* Value of attribute `attr` at *p ("a=value" up to ',' or the end); advances *p
 * past the value (onto the ',' or NUL). NULL if *p does not start with it. */
static const char *
read_attr(const char **p, char attr, size_t *len)
{
    const char *s = *p;
    if (s[0] != attr || s[1] != '=')
        return NULL;
    s += 2;
    const char *e = strchr(s, ',');
    if (!e)
        e = s + strlen(s);
    *len = (size_t)(e - s);
    *p = e;
    return s;
}

static ScramResult
client_first(ScramExchange *x, const char *in, size_t n, Buf *out, SqlError *err)
{
    char *msg = message_copy(in, n, err);
    if (!msg)
        return SCRAM_MALFORMED;
    ScramResult r = SCRAM_MALFORMED;
    const char *p = msg;
    /* gs2-header: cbind flag, then [authzid], each followed by ',' */
    if (p[0] == 'p') {
        r = malformed(err, "The client selected SCRAM-SHA-256-PLUS, which is not offered.");
        goto done;
    }
    if ((p[0] != 'n' && p[0] != 'y') || p[1] != ',') {
        r = malformed(err, "Unexpected channel-binding flag in client-first-message.");
        goto done;
    }
    if (p[2] != ',') {
        r = malformed(err, "Authorization identities (a=) are not supported.");
        goto done;
    }
    x->gs2[0] = p[0];
    x->gs2[1] = ',';
    x->gs2[2] = ',';
    x->gs2[3] = '\0';
    p += 3;
    const char *bare = p;
    size_t len;
    if (p[0] == 'm') {
        r = malformed(err, "Mandatory SCRAM extensions are not supported.");
        goto done;
    }
    /* username: ignored (the startup packet's user name counts, as in PostgreSQL) */
    if (!read_attr(&p, 'n', &len) || *p != ',') {
        r = malformed(err, "Expected attribute \"n\" in client-first-message.");
        goto done;
    }
    p++;
    const char *cnonce = read_attr(&p, 'r', &len);
    if (!cnonce || !nonce_ok(cnonce, len)) {
        r = malformed(err, "Expected a printable nonce (attribute \"r\") in client-first-message.");
        goto done;
    }
    /* optional extensions: attr=value pairs, ignored */
    while (*p == ',') {
        p++;
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) || p[1] != '=') {
            r = malformed(err, "Malformed extension in client-first-message.");
            goto done;
        }
        const char *e = strchr(p, ',');
        p = e ? e : p + strlen(p);
    }
    if (*p != '\0') {
        r = malformed(err, "Garbage at the end of client-first-message.");
        goto done;
    }

    uint8_t raw[SCRAM_NONCE_RAW_LEN];
    char snonce[64], salt64[SCRAM_MAX_SALT * 2];
    if (x->fixed_nonce) {
        snprintf(snonce, sizeof snonce, "%s", x->fixed_nonce);
    } else {
        if (RAND_bytes(raw, sizeof raw) != 1) {
            err_setf(err, ERR_INTERNAL_ERROR, -1, "could not generate a random nonce");
            goto done;
        }
        scram_b64_encode(raw, sizeof raw, snonce, sizeof snonce);
    }
    scram_b64_encode(x->v.salt, x->v.salt_len, salt64, sizeof salt64);
    Buf b;
    buf_init(&b);
    buf_append(&b, cnonce, len);
    buf_puts(&b, snonce);
    x->nonce = sl_strdup(b.data);
    buf_clear(&b);
    buf_printf(&b, "r=%s,s=%s,i=%d", x->nonce, salt64, x->v.iterations);
    x->server_first = sl_strdup(b.data);
    buf_free(&b);
    x->client_first_bare = sl_strdup(bare);
    buf_puts(out, x->server_first);
    x->step = 1;
    r = SCRAM_CONTINUE;
done:
    free(msg);
    return r;
}

static ScramResult
client_final(ScramExchange *x, const char *in, size_t n, Buf *out, SqlError *err)
{
    char *msg = message_copy(in, n, err);
    if (!msg)
        return SCRAM_MALFORMED;
    ScramResult r = SCRAM_MALFORMED;
    const char *p = msg;
    size_t len;
    const char *cb = read_attr(&p, 'c', &len);
    if (!cb || *p != ',') {
        r = malformed(err, "Expected attribute \"c\" in client-final-message.");
        goto done;
    }
    uint8_t cbraw[64];
    int cbn = scram_b64_decode(cb, len, cbraw, sizeof cbraw);
    if (cbn < 0) {
        r = malformed(err, "Invalid base64 in the channel-binding attribute.");
        goto done;
    }
    if ((size_t)cbn != strlen(x->gs2) || memcmp(cbraw, x->gs2, (size_t)cbn) != 0) {
        r = malformed(err, "The channel-binding data does not match the client-first-message.");
        goto done;
    }
    p++;
    const char *nonce = read_attr(&p, 'r', &len);
    if (!nonce || *p != ',') {
        r = malformed(err, "Expected attribute \"r\" in client-final-message.");
        goto done;
    }
    bool nonce_match = len == strlen(x->nonce) && memcmp(nonce, x->nonce, len) == 0;
    /* extensions, then the proof, which must be last */
    const char *proof = NULL;
    const char *without_proof_end = NULL;
    while (*p == ',') {
        without_proof_end = p;
        p++;
        if (p[0] == 'p' && p[1] == '=') {
            proof = read_attr(&p, 'p', &len);
            break;
        }
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) || p[1] != '=') {
            r = malformed(err, "Malformed extension in client-final-message.");
            goto done;
        }
        const char *e = strchr(p, ',');
        p = e ? e : p + strlen(p);
    }
    if (!proof || *p != '\0') {
        r = malformed(err,
                      "Expected the proof (attribute \"p\") at the end of client-final-message.");
        goto done;
    }
    uint8_t client_proof[SCRAM_KEY_LEN + 3];
    if (scram_b64_decode(proof, len, client_proof, sizeof client_proof) != SCRAM_KEY_LEN) {
        r = malformed(err, "Malformed proof in client-final-message.");
        goto done;
    }

    /* AuthMessage = client-first-bare "," server-first "," client-final-without-proof */
    Buf am;
    buf_init(&am);
    buf_puts(&am, x->client_first_bare);
    buf_putc(&am, ',');
    buf_puts(&am, x->server_first);
    buf_putc(&am, ',');
    buf_append(&am, msg, (size_t)(without_proof_end - msg));
    uint8_t sig[SCRAM_KEY_LEN], client_key[SCRAM_KEY_LEN], h[SCRAM_KEY_LEN];
    hmac256(x->v.stored_key, SCRAM_KEY_LEN, am.data, am.len, sig);
    for (int i = 0; i < SCRAM_KEY_LEN; i++)
        client_key[i] = client_proof[i] ^ sig[i];
    SHA256(client_key, SCRAM_KEY_LEN, h);
    bool proof_ok = CRYPTO_memcmp(h, x->v.stored_key, SCRAM_KEY_LEN) == 0;
    OPENSSL_cleanse(client_key, sizeof client_key);
    x->step = 2;
    if (!proof_ok || !nonce_match || x->mock) {
        buf_free(&am);
        r = SCRAM_FAIL;
        goto done;
    }
    uint8_t server_sig[SCRAM_KEY_LEN];
    hmac256(x->v.server_key, SCRAM_KEY_LEN, am.data, am.len, server_sig);
    buf_free(&am);
    char sig64[64];
    scram_b64_encode(server_sig, SCRAM_KEY_LEN, sig64, sizeof sig64);
    buf_puts(out, "v=");
    buf_puts(out, sig64);
    r = SCRAM_OK;
done:
    free(msg);
    return r;
}

ScramResult
scram_exchange_step(ScramExchange *x, const char *in, size_t n, Buf *out, SqlError *err)
{
    switch (x->step) {
    case 0:
        return client_first(x, in, n, out, err);
    case 1:
        return client_final(x, in, n, out, err);
    default:
        return malformed(err, "The SCRAM exchange is already finished.");
    }
}
