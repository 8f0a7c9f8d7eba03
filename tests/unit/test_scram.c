/*
 * tests/unit/test_scram.c — SCRAM-SHA-256 and authentication pieces: base64,
 * the RFC 7677 test vector end to end, verifier formatting and parsing,
 * hostile client-first / client-final messages, the mock exchange for
 * unknown users, the users file (format and permission check), password
 * sessions and the SASLInitialResponse / PasswordMessage decoders.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/errors.h"
#include "server/auth.h"
#include "server/pgwire.h"
#include "server/scram.h"

/* RFC 7677 section 3: user "user", password "pencil". */
#define RFC_SALT "W22ZaJ0SNY7soEsUEjb6gQ=="
#define RFC_CNONCE "rOprNGfwEbeRWgbNEkqO"
#define RFC_SNONCE "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
#define RFC_CLIENT_FIRST "n,,n=user,r=" RFC_CNONCE
#define RFC_SERVER_FIRST "r=" RFC_CNONCE RFC_SNONCE ",s=" RFC_SALT ",i=4096"
#define RFC_CLIENT_FINAL_NO_PROOF "c=biws,r=" RFC_CNONCE RFC_SNONCE
#define RFC_PROOF "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
#define RFC_CLIENT_FINAL RFC_CLIENT_FINAL_NO_PROOF ",p=" RFC_PROOF
#define RFC_SERVER_FINAL "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="

static void
rfc_verifier(ScramVerifier *v)
{
    uint8_t salt[32];
    int n = scram_b64_decode(RFC_SALT, strlen(RFC_SALT), salt, sizeof salt);
    assert_int_equal(n, 16);
    char s[SCRAM_VERIFIER_MAX];
    assert_int_equal(scram_make_verifier("pencil", salt, (size_t)n, 4096, s, sizeof s), 0);
    assert_int_equal(scram_parse_verifier(s, v), 0);
}

/* ------------------------------------------------------------------ base64 */

static void
test_b64_roundtrip(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
        {"n,,", "biws"}, {"y,,", "eSws"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char enc[64];
        uint8_t dec[64];
        size_t n = strlen(cases[i][0]);
        assert_int_equal(scram_b64_encode((const uint8_t *)cases[i][0], n, enc, sizeof enc),
                         (int)strlen(cases[i][1]));
        assert_string_equal(enc, cases[i][1]);
        assert_int_equal(scram_b64_decode(enc, strlen(enc), dec, sizeof dec), (int)n);
        assert_memory_equal(dec, cases[i][0], n);
    }
    char small[4];
    assert_int_equal(scram_b64_encode((const uint8_t *)"foo", 3, small, sizeof small), -1);
}

static void
test_b64_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "Zg=", "Zg", "Z===", "====", "Zm9v!A==", "Zg==Zg==", "Z=g=", "Zm 9v", "Zm9v\n",
    };
    uint8_t out[64];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(scram_b64_decode(bad[i], strlen(bad[i]), out, sizeof out), -1);
    /* output capacity is respected */
    assert_int_equal(scram_b64_decode("Zm9vYmFy", 8, out, 5), -1);
}

/* --------------------------------------------------------------- verifiers */

static void
test_verifier_roundtrip(void **state)
{
    (void)state;
    char s[SCRAM_VERIFIER_MAX];
    assert_int_equal(scram_make_verifier("correct horse", NULL, 0, 4096, s, sizeof s), 0);
    assert_true(strncmp(s, "SCRAM-SHA-256$4096:", 19) == 0);
    assert_null(strstr(s, "correct horse"));
    ScramVerifier v;
    assert_int_equal(scram_parse_verifier(s, &v), 0);
    assert_int_equal(v.iterations, 4096);
    assert_int_equal((int)v.salt_len, SCRAM_SALT_LEN);
    assert_true(scram_check_password(&v, "correct horse"));
    assert_false(scram_check_password(&v, "correct horsE"));
    assert_false(scram_check_password(&v, ""));
    /* two verifiers of one password differ (random salt) */
    char s2[SCRAM_VERIFIER_MAX];
    assert_int_equal(scram_make_verifier("correct horse", NULL, 0, 4096, s2, sizeof s2), 0);
    assert_string_not_equal(s, s2);
    /* too small an output, bad iteration counts */
    char tiny[20];
    assert_int_equal(scram_make_verifier("x", NULL, 0, 4096, tiny, sizeof tiny), -1);
    assert_int_equal(scram_make_verifier("x", NULL, 0, 0, s, sizeof s), -1);
}

/* PostgreSQL's own verifier for "pencil" with the RFC salt must parse to the same keys. */
static void
test_verifier_known_value(void **state)
{
    (void)state;
    ScramVerifier v;
    rfc_verifier(&v);
    assert_true(scram_check_password(&v, "pencil"));
    assert_false(scram_check_password(&v, "pencil "));
    uint8_t salted[SCRAM_KEY_LEN], client[SCRAM_KEY_LEN], stored[SCRAM_KEY_LEN];
    assert_int_equal(scram_salted_password("pencil", v.salt, v.salt_len, 4096, salted), 0);
    scram_keys(salted, client, stored, NULL);
    assert_memory_equal(stored, v.stored_key, SCRAM_KEY_LEN);
}

static void
test_verifier_malformed(void **state)
{
    (void)state;
    ScramVerifier ok;
    rfc_verifier(&ok);
    char k1[64], k2[64];
    scram_b64_encode(ok.stored_key, SCRAM_KEY_LEN, k1, sizeof k1);
    scram_b64_encode(ok.server_key, SCRAM_KEY_LEN, k2, sizeof k2);
    char good[256];
    snprintf(good, sizeof good, "SCRAM-SHA-256$4096:%s$%s:%s", RFC_SALT, k1, k2);
    ScramVerifier v;
    assert_int_equal(scram_parse_verifier(good, &v), 0);
    assert_memory_equal(v.server_key, ok.server_key, SCRAM_KEY_LEN);

    char bad[16][256];
    int n = 0;
    snprintf(bad[n++], 256, "SCRAM-SHA-1$4096:%s$%s:%s", RFC_SALT, k1, k2);
    snprintf(bad[n++], 256, "scram-sha-256$4096:%s$%s:%s", RFC_SALT, k1, k2);
    snprintf(bad[n++], 256, "SCRAM-SHA-256$0:%s$%s:%s", RFC_SALT, k1, k2);
    snprintf(bad[n++], 256, "SCRAM-SHA-256$-1:%s$%s:%s", RFC_SALT, k1, k2);
    snprintf(bad[n++], 256, "SCRAM-SHA-256$99999999999:%s$%s:%s", RFC_SALT, k1, k2);
    snprintf(bad[n++], 256, "SCRAM-SHA-256$4096%s$%s:%s", RFC_SALT, k1, k2);
    snprintf(bad[n++], 256, "SCRAM-SHA-256$4096:%s%s:%s", RFC_SALT, k1, k2);
    snprintf(bad[n++], 256, "SCRAM-SHA-256$4096:%s$%s%s", RFC_SALT, k1, k2);
    snprintf(bad[n++], 256, "SCRAM-SHA-256$4096:$%s:%s", k1, k2);
    snprintf(bad[n++], 256, "SCRAM-SHA-256$4096:%s$%s:%s", "W22ZaJ0SNY7soEsUEjb6g", k1, k2);
    snprintf(bad[n++], 256, "SCRAM-SHA-256$4096:%s$%s:%s", RFC_SALT, "Zm9v", k2);
    snprintf(bad[n++], 256, "SCRAM-SHA-256$4096:%s$%s:%s", RFC_SALT, k1, "Zm9v");
    snprintf(bad[n++], 256, "SCRAM-SHA-256$4096:%s$%s:%s ", RFC_SALT, k1, k2);
    snprintf(bad[n++], 256, "SCRAM-SHA-256$4096:%s$%s:%s:x", RFC_SALT, k1, k2);
    snprintf(bad[n++], 256, "%s", "");
    snprintf(bad[n++], 256, "%s", "plaintext-password");
    for (int i = 0; i < n; i++) {
        if (scram_parse_verifier(bad[i], &v) != -1)
            fail_msg("accepted malformed verifier %d: %s", i, bad[i]);
    }
}

/* ---------------------------------------------------------------- exchange */

static ScramResult
step(ScramExchange *x, const char *msg, Buf *out, SqlError *err)
{
    buf_clear(out);
    err_clear(err);
    err_init(err, NULL);
    return scram_exchange_step(x, msg, strlen(msg), out, err);
}

static void
test_rfc7677_exchange(void **state)
{
    (void)state;
    ScramVerifier v;
    rfc_verifier(&v);
    ScramExchange x;
    scram_exchange_init(&x, &v, NULL);
    x.fixed_nonce = RFC_SNONCE;
    Buf out;
    buf_init(&out);
    SqlError err;
    err_init(&err, NULL);
    assert_int_equal(step(&x, RFC_CLIENT_FIRST, &out, &err), SCRAM_CONTINUE);
    buf_putc(&out, '\0');
    assert_string_equal(out.data, RFC_SERVER_FIRST);
    assert_int_equal(step(&x, RFC_CLIENT_FINAL, &out, &err), SCRAM_OK);
    buf_putc(&out, '\0');
    assert_string_equal(out.data, RFC_SERVER_FINAL);
    /* nothing more is accepted */
    assert_int_equal(step(&x, RFC_CLIENT_FINAL, &out, &err), SCRAM_MALFORMED);
    scram_exchange_free(&x);
    buf_free(&out);
    err_clear(&err);
}

/* Runs client-first (RFC) then the given client-final; returns the result. */
static ScramResult
final_with(const ScramVerifier *v, bool mock, const char *client_first, const char *final,
           SqlError *err)
{
    ScramExchange x;
    scram_exchange_init(&x, mock ? NULL : v, v);
    x.fixed_nonce = RFC_SNONCE;
    Buf out;
    buf_init(&out);
    err_init(err, NULL);
    ScramResult r = scram_exchange_step(&x, client_first, strlen(client_first), &out, err);
    assert_int_equal(r, SCRAM_CONTINUE);
    buf_clear(&out);
    r = scram_exchange_step(&x, final, strlen(final), &out, err);
    scram_exchange_free(&x);
    buf_free(&out);
    return r;
}

static void
test_client_final_failures(void **state)
{
    (void)state;
    ScramVerifier v;
    rfc_verifier(&v);
    SqlError err;
    /* correct proof, but a mock exchange (unknown user): fails */
    assert_int_equal(final_with(&v, true, RFC_CLIENT_FIRST, RFC_CLIENT_FINAL, &err), SCRAM_FAIL);
    err_clear(&err);
    /* wrong proof (one character changed): fails, not malformed */
    assert_int_equal(final_with(&v, false, RFC_CLIENT_FIRST,
                                RFC_CLIENT_FINAL_NO_PROOF
                                ",p=eHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                                &err),
                     SCRAM_FAIL);
    err_clear(&err);
    /* nonce not the one the server sent */
    assert_int_equal(final_with(&v, false, RFC_CLIENT_FIRST,
                                "c=biws,r=" RFC_CNONCE "XX,p=" RFC_PROOF, &err),
                     SCRAM_FAIL);
    err_clear(&err);
    assert_int_equal(final_with(&v, false, RFC_CLIENT_FIRST, "c=biws,r=" RFC_CNONCE ",p=" RFC_PROOF,
                                &err),
                     SCRAM_FAIL);
    err_clear(&err);

    static const char *const malformed[] = {
        "",
        "c=biws",
        "c=biws,r=" RFC_CNONCE RFC_SNONCE,                         /* no proof */
        "c=eSws,r=" RFC_CNONCE RFC_SNONCE ",p=" RFC_PROOF,         /* y,, but client sent n,, */
        "c=bi!s,r=" RFC_CNONCE RFC_SNONCE ",p=" RFC_PROOF,         /* bad base64 */
        "c=cD10bHMtc2VydmVyLWVuZC1wb2ludCws,r=" RFC_CNONCE RFC_SNONCE ",p=" RFC_PROOF,
        "r=" RFC_CNONCE RFC_SNONCE ",c=biws,p=" RFC_PROOF,         /* wrong order */
        "c=biws,r=" RFC_CNONCE RFC_SNONCE ",p=Zm9v",               /* proof too short */
        "c=biws,r=" RFC_CNONCE RFC_SNONCE ",p=" RFC_PROOF "AAAA",  /* proof too long */
        "c=biws,r=" RFC_CNONCE RFC_SNONCE ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ",
        "c=biws,r=" RFC_CNONCE RFC_SNONCE ",p=" RFC_PROOF ",x=1",  /* proof not last */
        "c=biws,r=" RFC_CNONCE RFC_SNONCE ",1=x,p=" RFC_PROOF,     /* bad extension */
        "c=biws,r=" RFC_CNONCE RFC_SNONCE ",p=",
        "c=,r=" RFC_CNONCE RFC_SNONCE ",p=" RFC_PROOF,
    };
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        ScramResult r = final_with(&v, false, RFC_CLIENT_FIRST, malformed[i], &err);
        if (r != SCRAM_MALFORMED)
            fail_msg("client-final %zu accepted or not malformed (%d): %s", i, r, malformed[i]);
        assert_string_equal(err.sqlstate, "08P01");
        err_clear(&err);
    }
    /* an extension before the proof is allowed, and y,, works with c=eSws */
    ScramResult r = final_with(&v, false, "y,,n=user,r=" RFC_CNONCE,
                               "c=eSws,r=" RFC_CNONCE RFC_SNONCE ",e=1,p=" RFC_PROOF, &err);
    assert_int_equal(r, SCRAM_FAIL); /* well-formed; the RFC proof is for another AuthMessage */
    err_clear(&err);
}

static void
test_client_first_malformed(void **state)
{
    (void)state;
    ScramVerifier v;
    rfc_verifier(&v);
    static const char *const bad[] = {
        "",
        "n,,",
        "n,,n=user",
        "n,,n=user,r=",
        "n,,r=abc",
        "n,,n=user,r=a,b",               /* extension without '=' */
        "n,,n=user,r=a b",               /* nonce with a space */
        "p=tls-server-end-point,,n=user,r=abc", /* -PLUS not offered */
        "x,,n=user,r=abc",
        "n,a=admin,n=user,r=abc",        /* authzid */
        "n,,m=ext,n=user,r=abc",         /* mandatory extension */
        "n;,n=user,r=abc",
        "n",
        "y,,n=user,r=abc,",
    };
    Buf out;
    buf_init(&out);
    SqlError err;
    err_init(&err, NULL);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ScramExchange x;
        scram_exchange_init(&x, &v, NULL);
        ScramResult r = step(&x, bad[i], &out, &err);
        if (r != SCRAM_MALFORMED)
            fail_msg("client-first %zu not rejected (%d): %s", i, r, bad[i]);
        assert_string_equal(err.sqlstate, "08P01");
        scram_exchange_free(&x);
    }
    /* embedded NUL and oversize input */
    ScramExchange x;
    scram_exchange_init(&x, &v, NULL);
    err_clear(&err);
    err_init(&err, NULL);
    static const char nul[] = "n,,n=us\0er,r=abc";
    assert_int_equal(scram_exchange_step(&x, nul, sizeof nul - 1, &out, &err), SCRAM_MALFORMED);
    scram_exchange_free(&x);
    char *big = malloc(SCRAM_MAX_MESSAGE + 10);
    memset(big, 'a', SCRAM_MAX_MESSAGE + 10);
    memcpy(big, "n,,n=user,r=", 12);
    scram_exchange_init(&x, &v, NULL);
    err_clear(&err);
    err_init(&err, NULL);
    assert_int_equal(scram_exchange_step(&x, big, SCRAM_MAX_MESSAGE + 10, &out, &err),
                     SCRAM_MALFORMED);
    scram_exchange_free(&x);
    free(big);
    /* a random server nonce: 24 base64 characters after the client's */
    scram_exchange_init(&x, &v, NULL);
    assert_int_equal(step(&x, "n,,n=,r=abc,e=ignored", &out, &err), SCRAM_CONTINUE);
    buf_putc(&out, '\0');
    assert_true(strncmp(out.data, "r=abc", 5) == 0);
    assert_int_equal((int)(strchr(out.data, ',') - out.data), 5 + 24);
    scram_exchange_free(&x);
    buf_free(&out);
    err_clear(&err);
}

static void
test_mock_verifier(void **state)
{
    (void)state;
    uint8_t secret[SCRAM_KEY_LEN] = {1, 2, 3};
    ScramVerifier a, b, c;
    scram_mock_verifier(secret, "ghost", &a);
    scram_mock_verifier(secret, "ghost", &b);
    scram_mock_verifier(secret, "ghost2", &c);
    assert_memory_equal(a.salt, b.salt, SCRAM_SALT_LEN); /* stable per user */
    assert_memory_not_equal(a.salt, c.salt, SCRAM_SALT_LEN);
    assert_int_equal(a.iterations, SCRAM_DEFAULT_ITERATIONS);
    assert_int_equal((int)a.salt_len, SCRAM_SALT_LEN);
}

/* ----------------------------------------------------------------- auth.c */

static char tmpdir[64];

static const char *
write_file(const char *name, const char *text, mode_t mode)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
    return path;
}

static void
test_users_file(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_scram.XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    Buf lines;
    buf_init(&lines);
    buf_puts(&lines, "# users\n\n");
    assert_int_equal(auth_make_user_line("alice", "s3cret", 4096, &lines), 0);
    assert_int_equal(auth_make_user_line("bob", "hunter2", 1000, &lines), 0);
    assert_int_equal(auth_make_user_line("a:b", "x", 4096, &lines), -1);
    assert_int_equal(auth_make_user_line("", "x", 4096, &lines), -1);
    assert_int_equal(auth_make_user_line("a b", "x", 4096, &lines), -1);
    buf_putc(&lines, '\0');
    assert_null(strstr(lines.data, "s3cret"));

    SqlError err;
    err_init(&err, NULL);
    const char *p = write_file("users", lines.data, 0600);
    Auth *a = auth_new(AUTH_PASSWORD, p, &err);
    assert_non_null(a);
    assert_int_equal(auth_user_count(a), 2);

    /* password sessions: right, wrong, unknown (same message), empty, malformed */
    struct { const char *user, *pw; int want; } cases[] = {
        {"alice", "s3cret", AUTH_STEP_OK},   {"bob", "hunter2", AUTH_STEP_OK},
        {"alice", "hunter2", AUTH_STEP_FAIL}, {"carol", "s3cret", AUTH_STEP_FAIL},
        {"alice", "", AUTH_STEP_FAIL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Buf out;
        buf_init(&out);
        bool done = true;
        AuthSession *s = auth_session_begin(a, cases[i].user, &out, &done);
        assert_false(done);
        assert_non_null(s);
        assert_int_equal(out.len, 9); /* R, len 8, code 3 */
        assert_int_equal(out.data[8], PGW_AUTH_CLEARTEXT);
        err_init(&err, NULL);
        AuthStep st = auth_session_message(s, cases[i].pw, strlen(cases[i].pw) + 1, &out, &err);
        assert_int_equal(st, cases[i].want);
        if (st == AUTH_STEP_FAIL) {
            assert_string_equal(err.sqlstate, "28P01");
            assert_string_equal(err.severity, "FATAL");
            char want[96];
            snprintf(want, sizeof want, "password authentication failed for user \"%s\"",
                     cases[i].user);
            assert_string_equal(err.message, want);
        }
        err_clear(&err);
        auth_session_free(s);
        buf_free(&out);
    }
    /* a PasswordMessage without its terminator is a protocol violation */
    Buf out;
    buf_init(&out);
    bool done;
    AuthSession *s = auth_session_begin(a, "alice", &out, &done);
    err_init(&err, NULL);
    assert_int_equal(auth_session_message(s, "s3cret", 6, &out, &err), AUTH_STEP_FAIL);
    assert_string_equal(err.sqlstate, "08P01");
    err_clear(&err);
    auth_session_free(s);
    auth_free(a);

    /* trust: no session */
    a = auth_new(AUTH_TRUST, NULL, &err);
    buf_clear(&out);
    assert_null(auth_session_begin(a, "anyone", &out, &done));
    assert_true(done);
    assert_int_equal(out.len, 0);
    auth_free(a);
    buf_free(&out);

    /* group/world access is refused; so are broken lines and duplicates */
    p = write_file("users644", lines.data, 0644);
    err_init(&err, NULL);
    assert_null(auth_new(AUTH_SCRAM, p, &err));
    assert_non_null(strstr(err.message, "group or world access"));
    err_clear(&err);
    static const char *const broken[] = {
        "alice\n", "alice:plain\n", ":SCRAM-SHA-256$4096:x$y:z\n",
        "alice:SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$Zm9v:Zm9v\n",
    };
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        p = write_file("broken", broken[i], 0600);
        err_init(&err, NULL);
        assert_null(auth_new(AUTH_SCRAM, p, &err));
        assert_non_null(strstr(err.message, "line 1"));
        err_clear(&err);
    }
    Buf dup;
    buf_init(&dup);
    buf_puts(&dup, lines.data);
    buf_puts(&dup, lines.data);
    buf_putc(&dup, '\0');
    p = write_file("dup", dup.data, 0600);
    err_init(&err, NULL);
    assert_null(auth_new(AUTH_SCRAM, p, &err));
    assert_non_null(strstr(err.message, "listed twice"));
    err_clear(&err);
    err_init(&err, NULL);
    assert_null(auth_new(AUTH_SCRAM, "/nonexistent/users", &err));
    err_clear(&err);
    buf_free(&dup);
    buf_free(&lines);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    assert_int_equal(system(cmd), 0);
}

/* A SCRAM session through auth.c with a hand-made SASLInitialResponse. */
static void
test_sasl_session(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_scram.XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    Buf lines;
    buf_init(&lines);
    assert_int_equal(auth_make_user_line("user", "pencil", 4096, &lines), 0);
    buf_putc(&lines, '\0');
    SqlError err;
    err_init(&err, NULL);
    Auth *a = auth_new(AUTH_SCRAM, write_file("users", lines.data, 0600), &err);
    assert_non_null(a);
    Buf out, msg;
    buf_init(&out);
    buf_init(&msg);
    bool done;
    AuthSession *s = auth_session_begin(a, "user", &out, &done);
    /* AuthenticationSASL: R, len, 10, "SCRAM-SHA-256\0\0" */
    static const char sasl[] = "R\0\0\0\x17\0\0\0\x0aSCRAM-SHA-256\0";
    assert_int_equal(out.len, sizeof sasl);
    assert_memory_equal(out.data, sasl, sizeof sasl);
    /* wrong mechanism */
    buf_append(&msg, "SCRAM-SHA-1\0\0\0\0\x03n,,", 18);
    err_init(&err, NULL);
    assert_int_equal(auth_session_message(s, msg.data, msg.len, &out, &err), AUTH_STEP_FAIL);
    assert_string_equal(err.sqlstate, "08P01");
    err_clear(&err);
    auth_session_free(s);

    /* a real exchange: first message ok */
    buf_clear(&out);
    s = auth_session_begin(a, "user", &out, &done);
    buf_clear(&msg);
    buf_append(&msg, "SCRAM-SHA-256", 14);
    buf_put_u32be(&msg, (uint32_t)strlen(RFC_CLIENT_FIRST));
    buf_puts(&msg, RFC_CLIENT_FIRST);
    buf_clear(&out);
    err_init(&err, NULL);
    assert_int_equal(auth_session_message(s, msg.data, msg.len, &out, &err), AUTH_STEP_CONTINUE);
    assert_int_equal(out.data[0], 'R');
    assert_int_equal(out.data[8], PGW_AUTH_SASL_CONTINUE);
    /* a garbage client-final is a protocol violation */
    err_init(&err, NULL);
    assert_int_equal(auth_session_message(s, "c=biws", 6, &out, &err), AUTH_STEP_FAIL);
    assert_string_equal(err.sqlstate, "08P01");
    err_clear(&err);
    auth_session_free(s);
    auth_free(a);
    buf_free(&out);
    buf_free(&msg);
    buf_free(&lines);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    assert_int_equal(system(cmd), 0);
}

static void
test_pgwire_auth_decoders(void **state)
{
    (void)state;
    SqlError err;
    const char *mech, *data, *pw;
    int32_t n;
    err_init(&err, NULL);
    static const char ok[] = "SCRAM-SHA-256\0\0\0\0\x03n,,";
    assert_int_equal(pgw_parse_sasl_initial(ok, sizeof ok - 1, &mech, &data, &n, &err), 0);
    assert_string_equal(mech, "SCRAM-SHA-256");
    assert_int_equal(n, 3);
    assert_memory_equal(data, "n,,", 3);
    static const char none[] = "SCRAM-SHA-256\0\xff\xff\xff\xff";
    assert_int_equal(pgw_parse_sasl_initial(none, sizeof none - 1, &mech, &data, &n, &err), 0);
    assert_int_equal(n, -1);
    static const struct { const char *b; size_t n; } bad[] = {
        {"SCRAM-SHA-256", 13},                          /* no NUL */
        {"SCRAM-SHA-256\0\0\0", 16},                    /* short length word */
        {"SCRAM-SHA-256\0\0\0\0\x04n,,", 21},           /* length beyond the body */
        {"SCRAM-SHA-256\0\0\0\0\x02n,,", 21},           /* length short of the body */
        {"SCRAM-SHA-256\0\x80\0\0\0n,,", 21},           /* negative */
        {"SCRAM-SHA-256\0\xff\xff\xff\xffxx", 20},      /* -1 with data */
        {"", 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err_init(&err, NULL);
        if (pgw_parse_sasl_initial(bad[i].b, bad[i].n, &mech, &data, &n, &err) != -1)
            fail_msg("SASLInitialResponse %zu accepted", i);
        assert_string_equal(err.sqlstate, "08P01");
        err_clear(&err);
    }
    err_init(&err, NULL);
    assert_int_equal(pgw_parse_password("pw", 3, &pw, &err), 0);
    assert_string_equal(pw, "pw");
    assert_int_equal(pgw_parse_password("pw", 2, &pw, &err), -1);
    err_clear(&err);
    err_init(&err, NULL);
    assert_int_equal(pgw_parse_password("p\0w", 4, &pw, &err), -1);
    err_clear(&err);
    err_init(&err, NULL);
    assert_int_equal(pgw_parse_password("", 0, &pw, &err), -1);
    err_clear(&err);

    Buf b;
    buf_init(&b);
    pgw_put_auth_request(&b, PGW_AUTH_SASL_FINAL, "v=x", 3);
    assert_int_equal(b.len, 12);
    assert_memory_equal(b.data, "R\0\0\0\x0b\0\0\0\x0cv=x", 12);
    buf_free(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_b64_roundtrip),
        cmocka_unit_test(test_b64_rejects),
        cmocka_unit_test(test_verifier_roundtrip),
        cmocka_unit_test(test_verifier_known_value),
        cmocka_unit_test(test_verifier_malformed),
        cmocka_unit_test(test_rfc7677_exchange),
        cmocka_unit_test(test_client_final_failures),
        cmocka_unit_test(test_client_first_malformed),
        cmocka_unit_test(test_mock_verifier),
        cmocka_unit_test(test_users_file),
        cmocka_unit_test(test_sasl_session),
        cmocka_unit_test(test_pgwire_auth_decoders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
