/* request.c - what a request carries, read through the server's callbacks
 * (app.h: portal_header), and the path's parameters, checked (a bad one
 * answers 404).  Kept apart from app.c so that the units app.c calls
 * (sessions, sign-in) can read a header without calling back into the
 * dispatcher. */
#include "app.h"

#include <string.h>

#include "config.h"
#include "response.h"

const char *portal_header(const portal_ctx *ctx, const char *cgi_name)
{
	return ctx->raw->param(ctx->raw->io, cgi_name);
}

const char *portal_path_param(portal_ctx *ctx, const char *name, int (*valid)(const char *),
                              const char *what)
{
	const char *s = json_string_value(json_object_get(ctx->req.params, name));

	if (s == NULL || (valid && !valid(s))) {
		portal_reply_not_found(ctx, what);
		return NULL;
	}
	return s;
}

const char *portal_path_number(portal_ctx *ctx, const char *name, long long max,
                               const char *what, long long *n)
{
	const char *s = json_string_value(json_object_get(ctx->req.params, name));
	long long v = 0;

	/* digits only: portal_parse_int would take a sign or spaces */
	if (s == NULL || s[0] < '1' || s[0] > '9' || strspn(s, "0123456789") != strlen(s) ||
	    strlen(s) > 19 || portal_parse_int(s, 1, max, &v) < 0) {
		portal_reply_not_found(ctx, what);
		return NULL;
	}
	if (n)
		*n = v;
	return s;
}
