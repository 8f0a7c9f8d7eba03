/*
 * server/scram.h — SCRAM-SHA-256 (RFC 5802 / RFC 7677) for the server side:
 * PostgreSQL-format verifiers, the password check of "password" auth, and the
 * two-step SASL exchange. Pure computation on byte strings (OpenSSL's
 * PKCS5_PBKDF2_HMAC, HMAC, SHA256, RAND_bytes); no sockets, no protocol
 * framing (that is pgwire.c), no user table (that is auth.c).
 *
 * INTERFACE
 *   scram_b64_encode / scram_b64_decode   strict base64 (RFC 4648, with padding)
 *   scram_salted_password                 Hi(password, salt, i) = PBKDF2-HMAC-SHA-256
 *   scram_keys                            ClientKey, StoredKey, ServerKey from a salted password
 *   scram_make_verifier                   "SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>"
 *   scram_parse_verifier                  the same string → ScramVerifier
 *   scram_mock_verifier                   a stable fake verifier for an unknown user
 *   scram_check_password                  derive and compare (constant time)
 *   scram_exchange_init / _step / _free   one server-side exchange
 */
#ifndef SL_SCRAM_H
#define SL_SCRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct Buf;
struct SqlError;

#define SCRAM_KEY_LEN 32            /* SHA-256 output */
#define SCRAM_SALT_LEN 16           /* salt made by scram_make_verifier callers */
#define SCRAM_MAX_SALT 64           /* longest salt a verifier may carry */
#define SCRAM_DEFAULT_ITERATIONS 4096
#define SCRAM_MAX_ITERATIONS 100000000
#define SCRAM_NONCE_RAW_LEN 18      /* server nonce bytes (24 base64 characters) */
#define SCRAM_MAX_MESSAGE 8192      /* longest client message accepted */
#define SCRAM_VERIFIER_MAX 256      /* a formatted verifier fits in this */

typedef struct ScramVerifier {
    int iterations;
    size_t salt_len;
    uint8_t salt[SCRAM_MAX_SALT];
    uint8_t stored_key[SCRAM_KEY_LEN];
    uint8_t server_key[SCRAM_KEY_LEN];
} ScramVerifier;

/* Writes the base64 of in[0..n) and a NUL to out; returns its length, or -1
 * if outcap is too small. */
int scram_b64_encode(const uint8_t *in, size_t n, char *out, size_t outcap);
/* Decodes exactly n characters of strict base64 (padding required, no
 * whitespace); returns the byte count, or -1 if malformed or over outcap. */
int scram_b64_decode(const char *in, size_t n, uint8_t *out, size_t outcap);

/* Returns 0, or -1 if OpenSSL failed. */
int scram_salted_password(const char *password, const uint8_t *salt, size_t salt_len,
                          int iterations, uint8_t out[SCRAM_KEY_LEN]);
/* Any of the outputs may be NULL. */
void scram_keys(const uint8_t salted[SCRAM_KEY_LEN], uint8_t client_key[SCRAM_KEY_LEN],
                uint8_t stored_key[SCRAM_KEY_LEN], uint8_t server_key[SCRAM_KEY_LEN]);

/* Formats the verifier of password (used as is: no SASLprep) into out.
 * salt NULL: SCRAM_SALT_LEN random bytes. Returns 0, or -1 (bad arguments,
 * out too small, or no randomness). */
int scram_make_verifier(const char *password, const uint8_t *salt, size_t salt_len,
                        int iterations, char *out, size_t outcap);
/* Parses "SCRAM-SHA-256$<iter>:<salt b64>$<StoredKey b64>:<ServerKey b64>"
 * (the whole string). Returns 0, or -1 if malformed. */
int scram_parse_verifier(const char *s, ScramVerifier *v);
/* A verifier derived from secret and user, the same on every attempt, so the
 * salt a client is shown does not reveal whether the user exists. */
void scram_mock_verifier(const uint8_t secret[SCRAM_KEY_LEN], const char *user, ScramVerifier *v);
/* Derives the keys of password with v's salt and iterations and compares
 * StoredKey and ServerKey in constant time. */
bool scram_check_password(const ScramVerifier *v, const char *password);

typedef enum ScramResult {
    SCRAM_CONTINUE, /* *out holds server-first-message: send AuthenticationSASLContinue */
    SCRAM_OK,       /* *out holds server-final-message: send AuthenticationSASLFinal, then Ok */
    SCRAM_FAIL,     /* authentication failed (wrong proof or nonce, or a mock exchange) */
    SCRAM_MALFORMED /* the client's message is malformed: err is set (08P01) */
} ScramResult;

typedef struct ScramExchange {
    int step;                 /* 0: expects client-first; 1: client-final; 2: finished */
    bool mock;                /* unknown user: run the exchange, then fail */
    ScramVerifier v;
    char gs2[4];              /* "n,," or "y,," as the client sent it */
    char *client_first_bare;  /* malloc'd */
    char *server_first;       /* malloc'd */
    char *nonce;              /* client nonce + server nonce, malloc'd */
    const char *fixed_nonce;  /* NULL: a random server nonce; set only by tests (RFC vectors) */
} ScramExchange;

/* v NULL = mock exchange with mock (which must then be given). Copies both. */
void scram_exchange_init(ScramExchange *x, const ScramVerifier *v, const ScramVerifier *mock);
/* Feeds the client's next message in[0..n) (may hold any bytes). Appends
 * the server's reply to out for SCRAM_CONTINUE and SCRAM_OK. */
ScramResult scram_exchange_step(ScramExchange *x, const char *in, size_t n, struct Buf *out,
                                struct SqlError *err);
void scram_exchange_free(ScramExchange *x);

#endif
