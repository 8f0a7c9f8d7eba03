/*
 * server/pgwire.h — PostgreSQL v3 wire protocol codec (pqformat/pqcomm
 * split): encoders that append whole backend messages to a Buf, and an
 * incremental decoder for frontend messages. No sockets here.
 *
 * INTERFACE
 *   pgw_begin_message / pgw_end_message   frame one message (type + patched length)
 *   pgw_put_auth_ok                AuthenticationOk ('R', 0)
 *   pgw_put_auth_request           other Authentication requests ('R', code, data)
 *   pgw_put_auth_sasl              AuthenticationSASL ('R', 10) with its mechanism list
 *   pgw_parse_password / pgw_parse_sasl_initial   PasswordMessage / SASLInitialResponse ('p')
 *   pgw_put_parameter_status       ParameterStatus ('S')
 *   pgw_put_backend_key            BackendKeyData ('K')
 *   pgw_put_negotiate_protocol     NegotiateProtocolVersion ('v')
 *   pgw_put_ready                  ReadyForQuery ('Z')
 *   pgw_put_row_description        RowDescription ('T'), text format
 *   pgw_put_data_row               DataRow ('D'), text format
 *   pgw_put_command_complete       CommandComplete ('C')
 *   pgw_put_empty_query            EmptyQueryResponse ('I')
 *   pgw_put_error                  ErrorResponse ('E') from an SqlError
 *   pgw_put_notice                 NoticeResponse ('N')
 *   pgw_put_copy_in_response / pgw_put_copy_out_response   'G' / 'H', text format
 *   pgw_put_copy_data / pgw_put_copy_done                  'd' / 'c'
 *   pgw_char_position              1-based character position of a byte offset (UTF-8)
 *   pgw_try_read_message(_max)     decode one frontend message or startup packet, if complete
 *   pgw_put_row_description_fmt / pgw_put_data_row_fmt   the same with result format codes
 * (pgwire_ext.c, the extended query protocol)
 *   pgw_parse_parse / pgw_parse_bind / pgw_parse_target / pgw_parse_execute   message bodies
 *   pgw_format_of                  the format code of column/parameter i (0 text, 1 binary)
 *   pgw_type_from_oid              a parameter type OID → SlType
 *   pgw_decode_binary / pgw_encode_binary   binary (format 1) values
 *   pgw_put_empty_message          ParseComplete '1', BindComplete '2', CloseComplete '3',
 *                                  NoData 'n', PortalSuspended 's'
 *   pgw_put_parameter_description  ParameterDescription ('t')
 */
#ifndef SL_PGWIRE_H
#define SL_PGWIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/value.h"

struct Arena;
struct Buf;
struct SqlError;

/* Protocol codes of the startup-phase packets (they have no type byte). */
#define PGW_PROTOCOL_3_0 0x00030000u
#define PGW_CANCEL_REQUEST_CODE 80877102u
#define PGW_SSL_REQUEST_CODE 80877103u
#define PGW_GSSENC_REQUEST_CODE 80877104u

/* Limits (length word included). PostgreSQL uses the same numbers. */
#define PGW_DEFAULT_MAX_MESSAGE ((size_t)1 << 30) /* 1 GiB */
#define PGW_MAX_STARTUP_PACKET 10000
/* Sync, Flush, Terminate, CopyDone, Describe, Close, Execute never need more: */
#define PGW_SMALL_MESSAGE_LIMIT 10000
#define PGW_MAX_STARTUP_PARAMS 64
/* PasswordMessage / SASL responses (PostgreSQL's PG_MAX_AUTH_TOKEN_LENGTH). */
#define PGW_MAX_AUTH_MESSAGE 65535

typedef enum PgwResult {
    PGW_NEED_MORE,    /* not a whole message yet: read more bytes and call again */
    PGW_HAVE_MESSAGE, /* *out describes one message; consume out->size bytes afterwards */
    PGW_ERROR         /* framing error: err is set (severity FATAL); close after replying */
} PgwResult;

typedef enum PgwStartupKind {
    PGW_STARTUP_NONE = 0,   /* a regular typed message */
    PGW_STARTUP_MESSAGE,    /* protocol 3.x StartupMessage with parameters */
    PGW_STARTUP_SSL,        /* SSLRequest: answer 'N' and read the next startup packet */
    PGW_STARTUP_GSSENC,     /* GSSENCRequest: answer 'N' likewise */
    PGW_STARTUP_CANCEL      /* CancelRequest: cancel_pid + cancel_key */
} PgwStartupKind;

/* One decoded message. Every pointer borrows the input Buf: it is valid until
 * the caller consumes or appends to that Buf. */
typedef struct PgwMsg {
    char type;               /* frontend type byte; 0 for startup packets */
    PgwStartupKind startup;
    const char *body;        /* payload after the length word (startup: after the code) */
    size_t len;              /* payload length */
    size_t size;             /* bytes the whole message takes in the buffer */
    uint32_t protocol;       /* StartupMessage: requested version (major << 16 | minor) */
    int nparams;             /* StartupMessage: NUL-terminated name/value pairs */
    const char *param_names[PGW_MAX_STARTUP_PARAMS];
    const char *param_values[PGW_MAX_STARTUP_PARAMS];
    int32_t cancel_pid;      /* CancelRequest */
    uint32_t cancel_key;
} PgwMsg;

/* Framing. begin appends the type byte (0 = none, e.g. for raw startup replies
 * in tests) and a placeholder length and returns the offset of the length word;
 * end patches it. Nothing between must fail, so a message is never half-written. */
size_t pgw_begin_message(struct Buf *b, char type);
void pgw_end_message(struct Buf *b, size_t len_off);

void pgw_put_auth_ok(struct Buf *b);
/* Authentication request codes ('R' messages). */
#define PGW_AUTH_CLEARTEXT 3
#define PGW_AUTH_SASL 10
#define PGW_AUTH_SASL_CONTINUE 11
#define PGW_AUTH_SASL_FINAL 12
/* 'R' with code, then data[0..n) (the SASL payload for codes 11 and 12). */
void pgw_put_auth_request(struct Buf *b, uint32_t code, const void *data, size_t n);
void pgw_put_auth_sasl(struct Buf *b, int n, const char *const *mechanisms);
/* PasswordMessage: exactly one NUL-terminated string. 0, or -1 with err (08P01, FATAL). */
int pgw_parse_password(const char *body, size_t len, const char **password,
                       struct SqlError *err);
/* SASLInitialResponse: mechanism name, Int32 length (-1 = none), data. Strings
 * borrow body. 0, or -1 with err (08P01, FATAL). SASLResponse needs no
 * parsing: its whole body is the data. */
int pgw_parse_sasl_initial(const char *body, size_t len, const char **mechanism,
                           const char **data, int32_t *data_len, struct SqlError *err);
void pgw_put_parameter_status(struct Buf *b, const char *name, const char *value);
void pgw_put_backend_key(struct Buf *b, int32_t pid, uint32_t key);
/* NegotiateProtocolVersion: newest minor version we support + options we ignored. */
void pgw_put_negotiate_protocol(struct Buf *b, int minor, int n, const char *const *unknown_opts);
/* txstatus: 'I' idle, 'T' in transaction, 'E' failed transaction. */
void pgw_put_ready(struct Buf *b, char txstatus);
/* Borrows names and types. All columns are text format; OIDs/lengths from common/value.h. */
void pgw_put_row_description(struct Buf *b, int n, const char *const *names, const SlType *types);
/* Borrows vals. Text format via val_format; a NULL value is sent as length -1. */
void pgw_put_data_row(struct Buf *b, int n, const Value *vals);
/* formats: nformats == 0 all text, 1 the same for all columns, else one per column. */
void pgw_put_row_description_fmt(struct Buf *b, int n, const char *const *names,
                                 const SlType *types, const int16_t *formats, int nformats);
void pgw_put_data_row_fmt(struct Buf *b, int n, const Value *vals, const int16_t *formats,
                          int nformats);
void pgw_put_command_complete(struct Buf *b, const char *tag);
void pgw_put_empty_query(struct Buf *b);
/* Fields S, V, C, M, then D, H when set, and P (1-based character position)
 * when e->position >= 0 and query is not NULL. Borrows e and query. */
void pgw_put_error(struct Buf *b, const struct SqlError *e, const char *query);
void pgw_put_notice(struct Buf *b, const char *sqlstate, const char *msg);
void pgw_put_copy_in_response(struct Buf *b, int ncols);
void pgw_put_copy_out_response(struct Buf *b, int ncols);
void pgw_put_copy_data(struct Buf *b, const void *data, size_t n);
void pgw_put_copy_done(struct Buf *b);

/* 1-based character index of byte offset `byte_off` in the UTF-8 string
 * `query` (offsets past the end are clamped to the end). */
int pgw_char_position(const char *query, int byte_off);

/*
 * Decode one message from the front of `in` (read-only: the caller consumes
 * out->size bytes when done with it). startup selects the startup-phase format
 * (no type byte). Lengths are validated as soon as the header is complete,
 * before the body is waited for: < 4 (< 8 for startup), over max_len (over
 * PGW_MAX_STARTUP_PACKET for startup, PGW_SMALL_MESSAGE_LIMIT for small
 * types), unknown type bytes, malformed startup packets and unsupported
 * protocol versions are PGW_ERROR with err set (08P01 or 0A000, FATAL).
 */
PgwResult pgw_try_read_message_max(const struct Buf *in, bool startup, size_t max_len, PgwMsg *out,
                                   struct SqlError *err);
/* Same with max_len = PGW_DEFAULT_MAX_MESSAGE. */
PgwResult pgw_try_read_message(const struct Buf *in, bool startup, PgwMsg *out,
                               struct SqlError *err);

/* ---------------------------------------------------------------- extended protocol */

/* Parse: statement name, query, parameter type OIDs. Strings borrow the body;
 * oids live in the arena. */
typedef struct PgwParse {
    const char *name;
    const char *query;
    int noids;
    uint32_t *oids;
} PgwParse;

/* Bind. values[i] borrows the body (NULL for SQL NULL, lens[i] = -1); arrays
 * live in the arena. Format codes other than 0/1 are rejected (08P01). */
typedef struct PgwBind {
    const char *portal;
    const char *stmt;
    int nparam_formats;
    int16_t *param_formats;
    int nparams;
    const char **values;
    int32_t *lens;
    int nresult_formats;
    int16_t *result_formats;
} PgwBind;

/* Each returns 0, or -1 with err set (08P01: the message is malformed). Counts
 * are checked against the body length before anything is allocated.
 * pgw_parse_bind returns 1 (err set, 08P01) for a well-formed Bind with a
 * format code other than 0 or 1: an ERROR, not a broken connection. */
int pgw_parse_parse(const char *body, size_t len, struct Arena *a, PgwParse *out,
                    struct SqlError *err);
int pgw_parse_bind(const char *body, size_t len, struct Arena *a, PgwBind *out,
                   struct SqlError *err);
/* Describe and Close: kind 'S' (statement) or 'P' (portal), then a name. */
int pgw_parse_target(const char *body, size_t len, char *kind, const char **name,
                     struct SqlError *err);
/* Execute: portal name and row limit (0 = all). */
int pgw_parse_execute(const char *body, size_t len, const char **portal, int64_t *max_rows,
                      struct SqlError *err);
int pgw_format_of(const int16_t *formats, int nformats, int i);

/* 0 (unspecified) → TYPE_UNKNOWN; -1 for an OID sluice has no type for. */
int pgw_type_from_oid(uint32_t oid, SlType *out);
/* A binary parameter of type t (oid as the client declared it, 0 if not) →
 * *out (TEXT copied into a). -1 with err set (22P03, 22008, 0A000). */
int pgw_decode_binary(SlType t, uint32_t oid, const char *data, size_t n, struct Arena *a,
                      Value *out, struct SqlError *err);
/* The binary send format of a non-NULL value (without the length word). */
void pgw_encode_binary(const Value *v, struct Buf *b);

void pgw_put_empty_message(struct Buf *b, char type);
void pgw_put_parameter_description(struct Buf *b, int n, const SlType *types);

#endif
