/*
 * parser/keywords.c — the keyword table of the dialect.
 *
 * Sorted by name (binary search; test_parser checks the order). The class of
 * each word must agree with grammar.y: KW_UNRESERVED words, and only those, are
 * in its %fallback ID list (test_parser checks this against the generated
 * table). Adding a keyword: add the token to grammar.y's %token block (its
 * position there is its place in "expected one of" hints), then here.
 *
 * INTERFACE
 *   lex_keywords / lex_nkeywords   the table
 *   lex_keyword_lookup             case-insensitive lookup
 *   lex_keyword_by_code            the entry of a TK_ code
 *   lex_is_keyword                 public: is this word a keyword (parser.h)
 */
#include "parser/parser_int.h"

#include <stdlib.h>
#include <string.h>

#include "parser/grammar.h"

const Keyword lex_keywords[] = {
    {"abort", TK_ABORT, KW_UNRESERVED},
    {"all", TK_ALL, KW_RESERVED},
    {"analyze", TK_ANALYZE, KW_UNRESERVED},
    {"and", TK_AND, KW_RESERVED},
    {"append", TK_APPEND, KW_UNRESERVED},
    {"as", TK_AS, KW_RESERVED},
    {"asc", TK_ASC, KW_RESERVED},
    {"begin", TK_BEGIN, KW_UNRESERVED},
    {"between", TK_BETWEEN, KW_RESERVED},
    {"by", TK_BY, KW_RESERVED},
    {"cascade", TK_CASCADE, KW_UNRESERVED},
    {"case", TK_CASE, KW_RESERVED},
    {"cast", TK_CAST, KW_RESERVED},
    {"characteristics", TK_CHARACTERISTICS, KW_UNRESERVED},
    {"close", TK_CLOSE, KW_UNRESERVED},
    {"commit", TK_COMMIT, KW_UNRESERVED},
    {"complete", TK_COMPLETE, KW_UNRESERVED},
    {"copy", TK_COPY, KW_UNRESERVED},
    {"create", TK_CREATE, KW_RESERVED},
    {"csv", TK_CSV, KW_UNRESERVED},
    {"cursor", TK_CURSOR, KW_UNRESERVED},
    {"date", TK_DATE, KW_UNRESERVED},
    {"day", TK_DAY, KW_UNRESERVED},
    {"days", TK_DAYS, KW_UNRESERVED},
    {"deallocate", TK_DEALLOCATE, KW_UNRESERVED},
    {"declare", TK_DECLARE, KW_UNRESERVED},
    {"default", TK_DEFAULT, KW_RESERVED},
    {"delimiter", TK_DELIMITER, KW_UNRESERVED},
    {"demand", TK_DEMAND, KW_UNRESERVED},
    {"desc", TK_DESC, KW_RESERVED},
    {"describe", TK_DESCRIBE, KW_UNRESERVED},
    {"discard", TK_DISCARD, KW_UNRESERVED},
    {"distinct", TK_DISTINCT, KW_RESERVED},
    {"drop", TK_DROP, KW_RESERVED},
    {"else", TK_ELSE, KW_RESERVED},
    {"emit", TK_EMIT, KW_CONTEXT},
    {"end", TK_END, KW_RESERVED},
    {"epoch", TK_EPOCH, KW_UNRESERVED},
    {"every", TK_EVERY, KW_CONTEXT},
    {"exists", TK_EXISTS, KW_UNRESERVED},
    {"explain", TK_EXPLAIN, KW_UNRESERVED},
    {"extract", TK_EXTRACT, KW_UNRESERVED},
    {"false", TK_FALSE, KW_RESERVED},
    {"fetch", TK_FETCH, KW_UNRESERVED},
    {"first", TK_FIRST, KW_UNRESERVED},
    {"for", TK_FOR, KW_RESERVED},
    {"format", TK_FORMAT, KW_UNRESERVED},
    {"forward", TK_FORWARD, KW_UNRESERVED},
    {"from", TK_FROM, KW_RESERVED},
    {"group", TK_GROUP, KW_RESERVED},
    {"having", TK_HAVING, KW_RESERVED},
    {"header", TK_HEADER, KW_UNRESERVED},
    {"hold", TK_HOLD, KW_UNRESERVED},
    {"hour", TK_HOUR, KW_UNRESERVED},
    {"hours", TK_HOURS, KW_UNRESERVED},
    {"if", TK_IF, KW_UNRESERVED},
    {"ilike", TK_ILIKE, KW_RESERVED},
    {"in", TK_IN, KW_RESERVED},
    {"insert", TK_INSERT, KW_RESERVED},
    {"interval", TK_INTERVAL, KW_UNRESERVED},
    {"into", TK_INTO, KW_RESERVED},
    {"is", TK_IS, KW_RESERVED},
    {"isnull", TK_ISNULL, KW_RESERVED},
    {"isolation", TK_ISOLATION, KW_UNRESERVED},
    {"key", TK_KEY, KW_UNRESERVED},
    {"last", TK_LAST, KW_UNRESERVED},
    {"level", TK_LEVEL, KW_UNRESERVED},
    {"like", TK_LIKE, KW_RESERVED},
    {"limit", TK_LIMIT, KW_RESERVED},
    {"listen", TK_LISTEN, KW_UNRESERVED},
    {"local", TK_LOCAL, KW_UNRESERVED},
    {"microsecond", TK_MICROSECOND, KW_UNRESERVED},
    {"microseconds", TK_MICROSECONDS, KW_UNRESERVED},
    {"millisecond", TK_MILLISECOND, KW_UNRESERVED},
    {"milliseconds", TK_MILLISECONDS, KW_UNRESERVED},
    {"minute", TK_MINUTE, KW_UNRESERVED},
    {"minutes", TK_MINUTES, KW_UNRESERVED},
    {"month", TK_MONTH, KW_UNRESERVED},
    {"months", TK_MONTHS, KW_UNRESERVED},
    {"no", TK_NO, KW_UNRESERVED},
    {"not", TK_NOT, KW_RESERVED},
    {"notify", TK_NOTIFY, KW_UNRESERVED},
    {"notnull", TK_NOTNULL, KW_RESERVED},
    {"null", TK_NULL, KW_RESERVED},
    {"nulls", TK_NULLS, KW_UNRESERVED},
    {"offset", TK_OFFSET, KW_RESERVED},
    {"on", TK_ON, KW_RESERVED},
    {"or", TK_OR, KW_RESERVED},
    {"order", TK_ORDER, KW_RESERVED},
    {"precision", TK_PRECISION, KW_UNRESERVED},
    {"prepare", TK_PREPARE, KW_UNRESERVED},
    {"queries", TK_QUERIES, KW_UNRESERVED},
    {"refresh", TK_REFRESH, KW_UNRESERVED},
    {"replace", TK_REPLACE, KW_UNRESERVED},
    {"reset", TK_RESET, KW_UNRESERVED},
    {"restrict", TK_RESTRICT, KW_UNRESERVED},
    {"rollback", TK_ROLLBACK, KW_UNRESERVED},
    {"row", TK_ROW, KW_UNRESERVED},
    {"scroll", TK_SCROLL, KW_UNRESERVED},
    {"second", TK_SECOND, KW_UNRESERVED},
    {"seconds", TK_SECONDS, KW_UNRESERVED},
    {"select", TK_SELECT, KW_RESERVED},
    {"session", TK_SESSION, KW_UNRESERVED},
    {"set", TK_SET, KW_UNRESERVED},
    {"show", TK_SHOW, KW_UNRESERVED},
    {"sink", TK_SINK, KW_UNRESERVED},
    {"sinks", TK_SINKS, KW_UNRESERVED},
    {"start", TK_START, KW_UNRESERVED},
    {"status", TK_STATUS, KW_UNRESERVED},
    {"stdin", TK_STDIN, KW_UNRESERVED},
    {"stdout", TK_STDOUT, KW_UNRESERVED},
    {"stream", TK_STREAM, KW_UNRESERVED},
    {"streams", TK_STREAMS, KW_UNRESERVED},
    {"subscribe", TK_SUBSCRIBE, KW_UNRESERVED},
    {"table", TK_TABLE, KW_UNRESERVED},
    {"tables", TK_TABLES, KW_UNRESERVED},
    {"then", TK_THEN, KW_RESERVED},
    {"time", TK_TIME, KW_UNRESERVED},
    {"timestamp", TK_TIMESTAMP, KW_UNRESERVED},
    {"to", TK_TO, KW_RESERVED},
    {"transaction", TK_TRANSACTION, KW_UNRESERVED},
    {"true", TK_TRUE, KW_RESERVED},
    {"unlisten", TK_UNLISTEN, KW_UNRESERVED},
    {"update", TK_UPDATE, KW_UNRESERVED},
    {"values", TK_VALUES, KW_RESERVED},
    {"view", TK_VIEW, KW_UNRESERVED},
    {"views", TK_VIEWS, KW_UNRESERVED},
    {"watermark", TK_WATERMARK, KW_UNRESERVED},
    {"week", TK_WEEK, KW_UNRESERVED},
    {"weeks", TK_WEEKS, KW_UNRESERVED},
    {"when", TK_WHEN, KW_RESERVED},
    {"where", TK_WHERE, KW_RESERVED},
    {"with", TK_WITH, KW_RESERVED},
    {"without", TK_WITHOUT, KW_UNRESERVED},
    {"work", TK_WORK, KW_UNRESERVED},
    {"year", TK_YEAR, KW_UNRESERVED},
    {"years", TK_YEARS, KW_UNRESERVED},
    {"zone", TK_ZONE, KW_UNRESERVED},
};

const int lex_nkeywords = (int)(sizeof lex_keywords / sizeof lex_keywords[0]);

static int
kw_cmp(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const Keyword *)elem)->name);
}

/* Case-insensitive lookup; NULL if not a keyword. Borrows word. */
const Keyword *
lex_keyword_lookup(const char *word, size_t n)
{
    char low[24];
    if (n == 0 || n >= sizeof low)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char c = word[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        low[i] = c;
    }
    low[n] = 0;
    return bsearch(low, lex_keywords, (size_t)lex_nkeywords, sizeof lex_keywords[0], kw_cmp);
}

const Keyword *
lex_keyword_by_code(int code)
{
    for (int i = 0; i < lex_nkeywords; i++)
        if (lex_keywords[i].code == code)
            return &lex_keywords[i];
    return NULL;
}

/* Whether word (n bytes, any case) is a keyword of the dialect, reserved or
 * not (the shell completes and quotes with it). */
int
lex_is_keyword(const char *word, size_t n)
{
    return lex_keyword_lookup(word, n) != NULL;
}
