/* replycode.c - answering a module's error codes from its table (see
 * replycode.h). */
#include "replycode.h"

#include <string.h>

#include "response.h"

const portal_error_code *portal_error_code_find(const portal_error_code *table, size_t n, const char *code)
{
	size_t i;

	for (i = 0; code && i < n; i++)
		if (strcmp(table[i].code, code) == 0)
			return &table[i];
	return NULL;
}

int portal_reply_code(portal_ctx *ctx, const portal_error_code *table, size_t n, const char *code,
                      json_t *fields)
{
	const portal_error_code *c = portal_error_code_find(table, n, code);

	if (c == NULL) {
		json_decref(fields);
		return -1;
	}
	if (c->status == 403) {
		json_decref(fields);
		portal_reply_forbidden(ctx, c->message);
	} else
		portal_reply_error(ctx, c->status, c->code, c->message, fields);
	return 0;
}
