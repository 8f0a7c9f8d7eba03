/*
 * server/auth.c — authentication methods, the users file and per-connection
 * sessions (see auth.h).
 *
 * password: AuthenticationCleartextPassword; the password is checked by
 * deriving its SCRAM keys with the stored salt and iteration count and
 * comparing them with the verifier, as PostgreSQL does for a SCRAM secret.
 * scram-sha-256: AuthenticationSASL offering only SCRAM-SHA-256, then
 * SASLContinue with server-first-message and SASLFinal with the server
 * signature.
 *
 * An unknown user is never told apart from a wrong password: the session
 * runs against a mock verifier (salt derived from a per-process secret and
 * the user name, so it is stable across attempts) through the same steps and
 * the same key derivation, and fails at the end with the same message.
 */
#include "server/auth.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "common/buf.h"
#include "common/errors.h"
#include "common/util.h"
#include "server/pgwire.h"
#include "server/scram.h"

#define AUTH_MAX_USERS_FILE (16u << 20)
#define AUTH_MAX_NAME 63 /* PostgreSQL's NAMEDATALEN - 1 */

typedef struct AuthUser {
    char *name;
    ScramVerifier v;
} AuthUser;

struct Auth {
    AuthMethod method;
    AuthUser *users;
    int nusers;
    uint8_t mock_secret[SCRAM_KEY_LEN];
};

struct AuthSession {
    const Auth *auth;
    char *user;
    bool known;
    bool sasl_started;      /* SASLInitialResponse seen */
    ScramVerifier v;        /* the user's, or the mock one */
    ScramExchange x;
};

int
auth_method_parse(const char *s, AuthMethod *out)
{
    if (strcmp(s, "trust") == 0)
        *out = AUTH_TRUST;
    else if (strcmp(s, "password") == 0)
        *out = AUTH_PASSWORD;
    else if (strcmp(s, "scram-sha-256") == 0)
        *out = AUTH_SCRAM;
    else
        return -1;
    return 0;
}

const char *
auth_method_name(AuthMethod m)
{
    switch (m) {
    case AUTH_TRUST:
        return "trust";
    case AUTH_PASSWORD:
        return "password";
    case AUTH_SCRAM:
        return "scram-sha-256";
    }
    return "?";
}

static bool
name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > AUTH_MAX_NAME)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (ch <= ' ' || ch == ':' || ch == 0x7F)
            return false;
    }
    return true;
}

int
auth_make_user_line(const char *name, const char *password, int iterations, Buf *out)
{
    if (!name_ok(name))
        return -1;
    char v[SCRAM_VERIFIER_MAX];
    if (scram_make_verifier(password, NULL, 0, iterations, v, sizeof v) < 0)
        return -1;
    buf_printf(out, "%s:%s\n", name, v);
    OPENSSL_cleanse(v, sizeof v);
    return 0;
}

/* --------------------------------------------------------------- users file */

static const ScramVerifier *
find_user(const Auth *a, const char *name)
{
    for (int i = 0; i < a->nusers; i++)
        if (strcmp(a->users[i].name, name) == 0)
            return &a->users[i].v;
    return NULL;
}

static int
read_file(const char *path, Buf *b, SqlError *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        err_setf(err, ERR_IO_ERROR, -1, "could not open users file \"%s\": %s", path,
                 strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        err_setf(err, ERR_IO_ERROR, -1, "users file \"%s\" is not a regular file", path);
        close(fd);
        return -1;
    }
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        err_setf(err, ERR_INVALID_AUTHORIZATION, -1,
                 "users file \"%s\" has group or world access (mode %04o)", path,
                 (unsigned)(st.st_mode & 07777));
        err_hint(err, "It must be owned by the server's user with mode 0600 or less (chmod 600).");
        close(fd);
        return -1;
    }
    if ((size_t)st.st_size > AUTH_MAX_USERS_FILE) {
        err_setf(err, ERR_PROGRAM_LIMIT_EXCEEDED, -1, "users file \"%s\" is too large", path);
        close(fd);
        return -1;
    }
    for (;;) {
        buf_reserve(b, 4096);
        ssize_t n = read(fd, b->data + b->len, b->cap - b->len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            err_setf(err, ERR_IO_ERROR, -1, "could not read users file \"%s\": %s", path,
                     strerror(errno));
            close(fd);
            return -1;
        }
        if (n == 0)
            break;
        b->len += (size_t)n;
        if (b->len > AUTH_MAX_USERS_FILE) {
            err_setf(err, ERR_PROGRAM_LIMIT_EXCEEDED, -1, "users file \"%s\" is too large", path);
            close(fd);
            return -1;
        }
    }
    close(fd);
    b->data[b->len] = '\0';
    return 0;
}

static int
parse_users(Auth *a, const char *path, char *text, size_t len, SqlError *err)
{
    if (memchr(text, '\0', len)) {
        err_setf(err, ERR_INVALID_PARAMETER_VALUE, -1, "users file \"%s\" contains a NUL byte",
                 path);
        return -1;
    }
    int lineno = 0;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        size_t n = strlen(line);
        if (n > 0 && line[n - 1] == '\r')
            line[--n] = '\0';
        char *next = nl ? nl + 1 : NULL;
        if (n == 0 || line[0] == '#') {
            line = next;
            continue;
        }
        char *colon = strchr(line, ':');
        if (!colon) {
            err_setf(err, ERR_INVALID_PARAMETER_VALUE, -1,
                     "users file \"%s\", line %d: expected name:SCRAM-SHA-256$...", path, lineno);
            return -1;
        }
        *colon = '\0';
        ScramVerifier v;
        if (!name_ok(line)) {
            err_setf(err, ERR_INVALID_PARAMETER_VALUE, -1,
                     "users file \"%s\", line %d: invalid user name", path, lineno);
            return -1;
        }
        if (scram_parse_verifier(colon + 1, &v) < 0) {
            err_setf(err, ERR_INVALID_PARAMETER_VALUE, -1,
                     "users file \"%s\", line %d: invalid SCRAM-SHA-256 verifier for user \"%s\"",
                     path, lineno, line);
            err_hint(err, "Make one with: sluiced --make-user NAME (reads the password on stdin).");
            return -1;
        }
        if (find_user(a, line)) {
            err_setf(err, ERR_INVALID_PARAMETER_VALUE, -1,
                     "users file \"%s\", line %d: user \"%s\" is listed twice", path, lineno,
                     line);
            return -1;
        }
        a->users = sl_realloc(a->users, (size_t)(a->nusers + 1) * sizeof *a->users);
        a->users[a->nusers].name = sl_strdup(line);
        a->users[a->nusers].v = v;
        a->nusers++;
        OPENSSL_cleanse(&v, sizeof v);
        line = next;
    }
    return 0;
}

Auth *
auth_new(AuthMethod method, const char *users_path, SqlError *err)
{
    Auth *a = sl_calloc(1, sizeof *a);
    a->method = method;
    if (RAND_bytes(a->mock_secret, sizeof a->mock_secret) != 1) {
        err_setf(err, ERR_INTERNAL_ERROR, -1, "could not generate random bytes");
        free(a);
        return NULL;
    }
    if (users_path) {
        Buf b;
        buf_init(&b);
        int rc = read_file(users_path, &b, err);
        if (rc == 0)
            rc = parse_users(a, users_path, b.data, b.len, err);
        OPENSSL_cleanse(b.data, b.cap);
        buf_free(&b);
        if (rc < 0) {
            auth_free(a);
            return NULL;
        }
    }
    return a;
}

void
auth_free(Auth *a)
{
    if (!a)
        return;
    for (int i = 0; i < a->nusers; i++)
        free(a->users[i].name);
    if (a->users)
        OPENSSL_cleanse(a->users, (size_t)a->nusers * sizeof *a->users);
    free(a->users);
    OPENSSL_cleanse(a, sizeof *a);
    free(a);
}

AuthMethod
auth_method(const Auth *a)
{
    return a ? a->method : AUTH_TRUST;
}

int
auth_user_count(const Auth *a)
{
    return a ? a->nusers : 0;
}

/* ----------------------------------------------------------------- sessions */

AuthSession *
auth_session_begin(const Auth *a, const char *user, Buf *out, bool *done)
{
    *done = false;
    if (!a || a->method == AUTH_TRUST) {
        *done = true;
        return NULL;
    }
    AuthSession *s = sl_calloc(1, sizeof *s);
    s->auth = a;
    s->user = sl_strdup(user);
    const ScramVerifier *v = find_user(a, user);
    s->known = v != NULL;
    if (v)
        s->v = *v;
    else
        scram_mock_verifier(a->mock_secret, user, &s->v);
    if (a->method == AUTH_PASSWORD) {
        pgw_put_auth_request(out, PGW_AUTH_CLEARTEXT, NULL, 0);
    } else {
        static const char *const mechs[] = {"SCRAM-SHA-256"};
        pgw_put_auth_sasl(out, 1, mechs);
        scram_exchange_init(&s->x, s->known ? &s->v : NULL, &s->v);
    }
    return s;
}

static AuthStep
auth_failed(AuthSession *s, SqlError *err)
{
    err_setf(err, ERR_INVALID_PASSWORD, -1, "password authentication failed for user \"%s\"",
             s->user);
    strcpy(err->severity, "FATAL");
    return AUTH_STEP_FAIL;
}

static AuthStep
protocol_failed(SqlError *err)
{
    strcpy(err->severity, "FATAL");
    return AUTH_STEP_FAIL;
}

static AuthStep
password_message(AuthSession *s, const char *body, size_t len, SqlError *err)
{
    const char *pw;
    if (pgw_parse_password(body, len, &pw, err) < 0)
        return protocol_failed(err);
    /* Same work for known and unknown users: derive, compare, then decide. */
    bool match = pw[0] != '\0' && scram_check_password(&s->v, pw);
    if (!match || !s->known)
        return auth_failed(s, err);
    return AUTH_STEP_OK;
}

static AuthStep
sasl_message(AuthSession *s, const char *body, size_t len, Buf *out, SqlError *err)
{
    const char *data = body;
    int32_t n = (int32_t)len;
    if (!s->sasl_started) {
        const char *mech;
        if (pgw_parse_sasl_initial(body, len, &mech, &data, &n, err) < 0)
            return protocol_failed(err);
        if (strcmp(mech, "SCRAM-SHA-256") != 0) {
            err_setf(err, ERR_PROTOCOL_VIOLATION, -1,
                     "client selected an invalid SASL authentication mechanism");
            return protocol_failed(err);
        }
        s->sasl_started = true;
        if (n < 0) {
            err_setf(err, ERR_PROTOCOL_VIOLATION, -1, "malformed SCRAM message");
            err_detail(err, "The SASLInitialResponse carries no client-first-message.");
            return protocol_failed(err);
        }
    }
    Buf reply;
    buf_init(&reply);
    ScramResult r = scram_exchange_step(&s->x, data, (size_t)n, &reply, err);
    AuthStep step;
    switch (r) {
    case SCRAM_CONTINUE:
        pgw_put_auth_request(out, PGW_AUTH_SASL_CONTINUE, reply.data, reply.len);
        step = AUTH_STEP_CONTINUE;
        break;
    case SCRAM_OK:
        pgw_put_auth_request(out, PGW_AUTH_SASL_FINAL, reply.data, reply.len);
        step = AUTH_STEP_OK;
        break;
    case SCRAM_FAIL:
        step = auth_failed(s, err);
        break;
    default:
        step = protocol_failed(err);
        break;
    }
    buf_free(&reply);
    return step;
}

AuthStep
auth_session_message(AuthSession *s, const char *body, size_t len, Buf *out, SqlError *err)
{
    if (s->auth->method == AUTH_PASSWORD)
        return password_message(s, body, len, err);
    return sasl_message(s, body, len, out, err);
}

void
auth_session_free(AuthSession *s)
{
    if (!s)
        return;
    scram_exchange_free(&s->x);
    OPENSSL_cleanse(&s->v, sizeof s->v);
    free(s->user);
    free(s);
}
