/*
 * common/errcodes.h — the one table of SQLSTATE codes (X-macro list, like
 * PostgreSQL's errcodes.txt). Add a code here and nowhere else.
 */
#ifndef SL_ERRCODES_H
#define SL_ERRCODES_H

#define SL_ERRCODES(X)                                   \
    X(ERR_SYNTAX_ERROR, "42601")                         \
    X(ERR_UNDEFINED_TABLE, "42P01")                      \
    X(ERR_UNDEFINED_COLUMN, "42703")                     \
    X(ERR_UNDEFINED_FUNCTION, "42883")                   \
    X(ERR_DATATYPE_MISMATCH, "42804")                    \
    X(ERR_GROUPING_ERROR, "42803")                       \
    X(ERR_DUPLICATE_TABLE, "42P07")                      \
    X(ERR_DUPLICATE_COLUMN, "42701")                     \
    X(ERR_AMBIGUOUS_COLUMN, "42702")                     \
    X(ERR_WRONG_OBJECT_TYPE, "42809")                    \
    X(ERR_INVALID_PARAMETER_VALUE, "22023")              \
    X(ERR_CANT_CHANGE_RUNTIME_PARAM, "55P02")            \
    X(ERR_UNDEFINED_OBJECT, "42704")                     \
    X(ERR_DEPENDENT_OBJECTS_STILL_EXIST, "2BP01")        \
    X(ERR_DIVISION_BY_ZERO, "22012")                     \
    X(ERR_INVALID_TEXT_REPRESENTATION, "22P02")          \
    X(ERR_INVALID_DATETIME_FORMAT, "22007")              \
    X(ERR_NUMERIC_VALUE_OUT_OF_RANGE, "22003")           \
    X(ERR_NULL_VALUE_NOT_ALLOWED, "22004")               \
    X(ERR_NOT_NULL_VIOLATION, "23502")                   \
    X(ERR_BAD_COPY_FILE_FORMAT, "22P04")                 \
    X(ERR_INSUFFICIENT_DATA, "22000")                    \
    X(ERR_FEATURE_NOT_SUPPORTED, "0A000")                \
    X(ERR_PROTOCOL_VIOLATION, "08P01")                   \
    X(ERR_CONNECTION_FAILURE, "08006")                   \
    X(ERR_TOO_MANY_CONNECTIONS, "53300")                 \
    X(ERR_INVALID_PASSWORD, "28P01")                     \
    X(ERR_INVALID_AUTHORIZATION, "28000")                \
    X(ERR_OUT_OF_MEMORY, "53200")                        \
    X(ERR_DISK_FULL, "53100")                            \
    X(ERR_PROGRAM_LIMIT_EXCEEDED, "54000")               \
    X(ERR_STATEMENT_TOO_COMPLEX, "54001")                \
    X(ERR_QUERY_CANCELED, "57014")                       \
    X(ERR_INVALID_CURSOR_STATE, "24000")                 \
    X(ERR_INVALID_TRANSACTION_STATE, "25000")            \
    X(ERR_ACTIVE_SQL_TRANSACTION, "25001")               \
    X(ERR_INVALID_NAME, "42602")                         \
    X(ERR_IO_ERROR, "58030")                             \
    X(ERR_DATA_CORRUPTED, "XX001")                       \
    X(ERR_UNDEFINED_PARAMETER, "42P02")                  \
    X(ERR_INDETERMINATE_DATATYPE, "42P18")               \
    X(ERR_DUPLICATE_PSTATEMENT, "42P05")                 \
    X(ERR_INVALID_SQL_STATEMENT_NAME, "26000")           \
    X(ERR_INVALID_CURSOR_NAME, "34000")                  \
    X(ERR_DUPLICATE_CURSOR, "42P03")                     \
    X(ERR_INVALID_BINARY_REPRESENTATION, "22P03")        \
    X(ERR_DATETIME_FIELD_OVERFLOW, "22008")              \
    X(ERR_INVALID_COLUMN_REFERENCE, "42P10")             \
    X(ERR_CHARACTER_NOT_IN_REPERTOIRE, "22021")          \
    X(ERR_INTERNAL_ERROR, "XX000")

typedef enum SqlErrCode {
#define SL_ERR_ENUM(name, code) name,
    SL_ERRCODES(SL_ERR_ENUM)
#undef SL_ERR_ENUM
    ERR__COUNT
} SqlErrCode;

#endif
