/* replycode.h - a module's table of its scripts' error codes (issue 12):
 * each code with its HTTP status and what the person reads, answered the
 * one way.  A module keeps its table beside its handlers and asks here. */
#ifndef PORTAL_REPLYCODE_H
#define PORTAL_REPLYCODE_H

#include <jansson.h>
#include <stddef.h>

#include "app.h"

/* One error code: its HTTP status and message. */
typedef struct portal_error_code {
	const char *code;
	int         status;
	const char *message;
} portal_error_code;

/* A module's table and its length: PORTAL_ERROR_CODES_INIT(table). */
typedef struct portal_error_codes {
	const portal_error_code *table;
	size_t                   n;
} portal_error_codes;
#define PORTAL_ERROR_CODES_INIT(t) { (t), sizeof(t) / sizeof((t)[0]) }

/* The entry of `code` in table[0..n), or NULL. */
const portal_error_code *portal_error_code_find(const portal_error_code *table, size_t n, const char *code);

/* Answer `code` from table[0..n): a 403 as portal_reply_forbidden (the
 * refusal audited), any other status as portal_reply_error with `fields`
 * (stolen; may be NULL).  Returns 0, or -1 when the table has no such code
 * (nothing answered; fields released). */
int portal_reply_code(portal_ctx *ctx, const portal_error_code *table, size_t n, const char *code,
                      json_t *fields);

#endif
