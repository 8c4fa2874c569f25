/* request.c - what a request carries, read through the server's callbacks
 * (app.h: portal_header).  Kept apart from app.c so that the units app.c
 * calls (sessions, sign-in) can read a header without calling back into
 * the dispatcher. */
#include "app.h"

const char *portal_header(const portal_ctx *ctx, const char *cgi_name)
{
	return ctx->raw->param(ctx->raw->io, cgi_name);
}
