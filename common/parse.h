/* parse.h - parsers for untrusted request input.
 *
 * Query strings, application/x-www-form-urlencoded bodies, Cookie headers and
 * JSON bodies are each decoded into one jansson object, so a handler reads a
 * field the same way whichever way it came.  Every parser:
 *   - is bounded by a portal_limits (field count, field length, body size);
 *   - rejects invalid UTF-8 and NUL bytes in names and values (400);
 *   - never crashes on any input (each has a libFuzzer target in tests/fuzz/).
 *
 * On failure a parser returns -1 and fills *err with the HTTP status to send,
 * a snake_case code and a message that says what to fix.
 */
#ifndef PORTAL_PARSE_H
#define PORTAL_PARSE_H

#include <jansson.h>
#include <stddef.h>

typedef struct portal_limits {
	size_t max_body;      /* bytes in a body (413 over it) */
	size_t max_fields;    /* names in a query, form, cookie header or JSON tree (413) */
	size_t max_field_len; /* bytes in one decoded name or string value (413) */
	size_t max_depth;     /* nesting of arrays/objects in a JSON body (400) */
} portal_limits;

/* The defaults: 64 KiB body, 256 fields, 16 KiB a field, depth 16. */
extern const portal_limits portal_default_limits;

typedef struct portal_parse_error {
	int  status;        /* 400, 413 or 415 */
	char code[40];      /* snake_case: invalid_encoding, too_large, invalid_json, ... */
	char message[200];  /* for the person: what is wrong and how to fix it */
	char field[64];     /* the field concerned, or "" */
} portal_parse_error;

/* Return 1 when s[0..len) is valid UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF) and holds no NUL byte; 0 otherwise. */
int portal_utf8_valid(const char *s, size_t len);

/* Decode a query string or urlencoded form ("a=1&b=x+y&c=%C3%A9") into `out`
 * (an existing object).  '+' is a space; %XX is decoded; a name with no '='
 * has the value "".  A name seen once maps to a string; a name seen again maps
 * to an array of its strings in order.  Empty pairs ("a=1&&b=2") are skipped.
 * Returns 0, or -1 with *err filled (bad %-escape or encoding: 400
 * invalid_encoding; limits: 413 too_large). `out` may hold part of the input
 * after a failure; the caller discards it. */
int portal_parse_urlencoded(const char *s, size_t len, const portal_limits *lim,
                            json_t *out, portal_parse_error *err);

/* Decode a Cookie header ("a=1; b=2") into `out`: name -> string value, the
 * first occurrence of a name wins, surrounding spaces and one pair of double
 * quotes around a value are removed, values are not %-decoded.  Pairs without
 * '=' are skipped.  Returns 0, or -1 with *err (400 / 413). */
int portal_parse_cookies(const char *s, size_t len, const portal_limits *lim,
                         json_t *out, portal_parse_error *err);

/* Parse a JSON body that must be one object.  Rejects: malformed JSON or a
 * top-level value that is not an object (400 invalid_json, message naming
 * line and column), duplicate keys (400 invalid_json), NUL (\u0000) in any
 * string or invalid UTF-8 (400 invalid_encoding), nesting deeper than
 * max_depth (400 invalid_json), more than max_fields keys and array elements
 * in all (413 too_large), a string longer than max_field_len (413 too_large),
 * len > max_body (413 too_large).  On success *out is a new reference. */
int portal_parse_json_body(const char *s, size_t len, const portal_limits *lim,
                           json_t **out, portal_parse_error *err);

/* The longest path portal_local_path_ok accepts, in bytes. */
#define PORTAL_LOCAL_PATH_MAX 512

/* 1 when `s` may be used as a redirect target within this site (a "next"
 * address): 1..PORTAL_LOCAL_PATH_MAX bytes, starting with exactly one '/',
 * holding only printable ASCII without space or backslash, and the same
 * again after each round of %-decoding (so "/%09/evil.example",
 * "/%2F/evil.example" and "/%5Cevil.example" are refused, as is a bare '%'
 * or a value still encoded after four rounds).  0 otherwise; a caller then
 * uses "/". */
int portal_local_path_ok(const char *s);

/* Fill *err; a helper for the parsers and for the request layer. */
void portal_parse_error_set(portal_parse_error *err, int status, const char *code,
                            const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif
