/*
 * server/auth.h — client authentication: the method (trust, password,
 * scram-sha-256), the users file of SCRAM verifiers, and one connection's
 * authentication exchange, independent of sockets (conn.c feeds it the 'p'
 * messages and sends what it appends).
 *
 * The users file holds one user per line, "name:SCRAM-SHA-256$<iter>:<salt>$
 * <StoredKey>:<ServerKey>" (PostgreSQL's verifier format; never a password).
 * Blank lines and lines starting with '#' are ignored. The file must be a
 * regular file without any group or world permission (0600 or stricter),
 * otherwise it is refused, as PostgreSQL refuses such a TLS key file.
 *
 * INTERFACE
 *   auth_method_parse / auth_method_name   "trust" | "password" | "scram-sha-256"
 *   auth_new / auth_free                   method + users file (loaded once, at start)
 *   auth_make_user_line                    "name:<verifier>" for a password (sluiced --make-user)
 *   auth_session_begin                     first Authentication request for a user (or trust)
 *   auth_session_message                   one PasswordMessage/SASL response → continue/ok/fail
 *   auth_session_free                      release a session
 */
#ifndef SL_AUTH_H
#define SL_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct Buf;
struct SqlError;

typedef enum AuthMethod { AUTH_TRUST, AUTH_PASSWORD, AUTH_SCRAM } AuthMethod;

typedef struct Auth Auth;
typedef struct AuthSession AuthSession;

typedef enum AuthStep {
    AUTH_STEP_CONTINUE, /* a request was appended to out: wait for the next 'p' message */
    AUTH_STEP_OK,       /* authenticated (SASLFinal appended if any): send AuthenticationOk */
    AUTH_STEP_FAIL      /* err is set (28P01 or 08P01, severity FATAL): send it and close */
} AuthStep;

/* 0 and *out, or -1 for an unknown name. */
int auth_method_parse(const char *s, AuthMethod *out);
const char *auth_method_name(AuthMethod m);

/* users_path may be NULL (then every password check fails, as for unknown
 * users). Returns NULL with err set (a message naming the file and line). */
Auth *auth_new(AuthMethod method, const char *users_path, struct SqlError *err);
void auth_free(Auth *a);
AuthMethod auth_method(const Auth *a);
int auth_user_count(const Auth *a);

/* Appends "name:<verifier>\n" to out. -1 for a name that cannot be stored
 * (empty, or containing ':', whitespace or control characters). */
int auth_make_user_line(const char *name, const char *password, int iterations, struct Buf *out);

/* Begins authenticating user. Trust (or a == NULL): returns NULL and *done =
 * true. Otherwise appends the first Authentication request to out and returns
 * the session. Borrows a for the session's life. */
AuthSession *auth_session_begin(const Auth *a, const char *user, struct Buf *out, bool *done);
/* Feeds one 'p' message body. Unknown users and wrong passwords fail alike:
 * FATAL 28P01 password authentication failed for user "x". */
AuthStep auth_session_message(AuthSession *s, const char *body, size_t len, struct Buf *out,
                              struct SqlError *err);
void auth_session_free(AuthSession *s);

#endif
