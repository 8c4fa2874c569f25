/* app.c - one request: parse, route, authorise, handle, log (see app.h). */
#include "app.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "audit.h"
#include "log.h"
#include "metrics.h"
#include "response.h"
#include "router.h"
#include "session.h"

#define BODY_DRAIN_MAX (1024 * 1024)

void portal_response_init(portal_response *res)
{
	memset(res, 0, sizeof(*res));
	portal_buf_init(&res->headers, 16 * 1024);
	portal_buf_init(&res->body, 0);
	res->status = 200;
}

void portal_response_free(portal_response *res)
{
	portal_buf_free(&res->headers);
	portal_buf_free(&res->body);
}

const char *portal_user_agency_id(const portal_ctx *ctx)
{
	return json_string_value(json_object_get(json_object_get(ctx->user, "agency"), "id"));
}

const char *portal_user_agency_type(const portal_ctx *ctx)
{
	return json_string_value(json_object_get(json_object_get(ctx->user, "agency"), "type"));
}

int portal_user_has(const portal_ctx *ctx, unsigned roles)
{
	return ctx->user && (portal_user_roles(ctx->user) & roles) != 0;
}

portal_templates *portal_templates_load_embedded(void)
{
	portal_templates *set = portal_templates_new();
	char err[256];
	size_t i;

	if (set == NULL)
		return NULL;
	for (i = 0; i < portal_embedded_templates_count; i++) {
		const portal_template_source *t = &portal_embedded_templates[i];
		if (portal_templates_add(set, t->name, t->text, t->len, err, sizeof(err)) < 0) {
			portal_log(PORTAL_LOG_ERROR, "template does not parse",
			           json_pack("{s:s, s:s}", "template", t->name, "detail", err));
			portal_templates_free(set);
			return NULL;
		}
	}
	return set;
}

/* The request id: nginx's $request_id when it looks like one, else random. */
static void request_id(const portal_raw_request *raw, char id[33])
{
	const char *given = raw->param(raw->io, "REQUEST_ID");
	unsigned char rnd[16];
	size_t i;

	if (given && strlen(given) == 32 && strspn(given, "0123456789abcdef") == 32) {
		memcpy(id, given, 33);
		return;
	}
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		memset(rnd, 0, sizeof(rnd));
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(id + 2 * i, 3, "%02x", rnd[i]);
}

/* The media type of a Content-Type value, without parameters, compared
 * case-insensitively against `want`. */
static int media_type_is(const char *ct, const char *want)
{
	size_t n = strlen(want);

	while (*ct == ' ')
		ct++;
	return strncasecmp(ct, want, n) == 0 &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Read and parse the body into ctx->req.body.  Returns 0, or -1 after
 * answering the error. */
static int read_body(portal_ctx *ctx, const portal_limits *lim)
{
	const portal_raw_request *raw = ctx->raw;
	const char *cl = raw->param(raw->io, "CONTENT_LENGTH");
	const char *ct = raw->param(raw->io, "CONTENT_TYPE");
	portal_parse_error perr;
	long long length = 0;
	char *buf = NULL;
	size_t got = 0;
	long n;

	if (cl && *cl && portal_parse_int(cl, 0, 1LL << 40, &length) < 0) {
		portal_reply_error(ctx, 400, "bad_request", "The Content-Length header is not a number.", NULL);
		return -1;
	}
	if (length == 0)
		return 0;
	if ((size_t)length > lim->max_body) {
		char msg[160];
		char drain[4096];
		size_t left = (size_t)length > BODY_DRAIN_MAX ? BODY_DRAIN_MAX : (size_t)length;

		/* read what nginx sends so it sees our answer, not a reset */
		while (left > 0 && (n = raw->read(raw->io, drain, left < sizeof(drain) ? left : sizeof(drain))) > 0)
			left -= (size_t)n;
		snprintf(msg, sizeof(msg), "The request body is larger than %zu bytes: send less.", lim->max_body);
		portal_reply_error(ctx, 413, "too_large", msg, NULL);
		return -1;
	}
	if (ct == NULL || (!media_type_is(ct, "application/x-www-form-urlencoded") &&
	                   !media_type_is(ct, "application/json"))) {
		portal_reply_error(ctx, 415, "unsupported_media_type",
		                   "Send the body as application/json or application/x-www-form-urlencoded.", NULL);
		return -1;
	}
	if ((buf = malloc((size_t)length + 1)) == NULL) {
		portal_reply_internal_error(ctx, "out of memory reading body");
		return -1;
	}
	while (got < (size_t)length && (n = raw->read(raw->io, buf + got, (size_t)length - got)) > 0)
		got += (size_t)n;
	if (got != (size_t)length) {
		free(buf);
		portal_reply_error(ctx, 400, "bad_request", "The request body ended early: send it again.", NULL);
		return -1;
	}
	buf[got] = '\0';
	if (media_type_is(ct, "application/json")) {
		json_t *obj = NULL;
		if (portal_parse_json_body(buf, got, lim, &obj, &perr) < 0)
			goto parse_failed;
		json_decref(ctx->req.body);
		ctx->req.body = obj;
	} else if (portal_parse_urlencoded(buf, got, lim, ctx->req.body, &perr) < 0)
		goto parse_failed;
	free(buf);
	return 0;
parse_failed:
	free(buf);
	portal_reply_error(ctx, perr.status, perr.code, perr.message,
	                   perr.field[0] ? json_pack("{s:s}", perr.field, perr.message) : NULL);
	return -1;
}

/* Parse everything but the body.  Returns 0, or -1 after answering. */
static int parse_head(portal_ctx *ctx, const portal_limits *lim)
{
	const portal_raw_request *raw = ctx->raw;
	const char *qs = raw->param(raw->io, "QUERY_STRING");
	const char *cookie = raw->param(raw->io, "HTTP_COOKIE");
	portal_parse_error perr;

	if (qs && portal_parse_urlencoded(qs, strlen(qs), lim, ctx->req.query, &perr) < 0)
		goto failed;
	if (cookie && portal_parse_cookies(cookie, strlen(cookie), lim, ctx->req.cookies, &perr) < 0) {
		/* a stray cookie from elsewhere on the domain must not lock the
		 * person out of every page: go on as if no cookie came */
		json_object_clear(ctx->req.cookies);
	}
	return 0;
failed:
	portal_reply_error(ctx, perr.status, perr.code, perr.message, NULL);
	return -1;
}

/* 1 for methods that change state. */
static int method_changes_state(const char *method)
{
	return strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
	       strcmp(method, "PATCH") == 0 || strcmp(method, "DELETE") == 0;
}

/* A request that changes state and that the browser says came from another
 * site is refused, on every route, public ones (sign-in) included: the
 * session's CSRF token guards requests with the cookie, and this also
 * guards the requests made before there is a session.  Returns 0, or -1
 * after answering 403. */
static int refuse_cross_site(portal_ctx *ctx)
{
	if (portal_same_site_ok(ctx))
		return 0;
	portal_audit(ctx, "refused", NULL, json_pack("{s:s, s:s, s:s}", "reason", "cross_site",
	             "method", ctx->req.method, "path", ctx->req.path));
	portal_reply_error(ctx, 403, "csrf_failed",
	                   "This request came from another site, so the portal did not act on it. "
	                   "Open the portal itself and try again.", NULL);
	return -1;
}

/* Who is asking, and may they?  Resolves the session (one Redis round trip
 * when credentials came), then applies the route's roles and, for requests
 * that change state with the cookie, the CSRF check.  Returns 0, or -1 after
 * answering (401, 403, 503). */
static int authorise(portal_ctx *ctx)
{
	int rc = portal_session_resolve(ctx);

	if (ctx->route->roles == PORTAL_PUBLIC)
		return 0;  /* a public page: anonymous when the session cannot be read */
	if (rc < 0) {
		portal_reply_store_unavailable(ctx);
		return -1;
	}
	if (ctx->user == NULL) {
		if (!ctx->req.is_api && strcmp(ctx->req.method, "GET") == 0) {
			char to[600];
			portal_buf next;

			/* pages send the person to sign in, and back here after */
			portal_buf_init(&next, 520);
			portal_url_encode(&next, ctx->req.path);
			snprintf(to, sizeof(to), "/login?next=%s", next.overflow ? "%2F" : next.data);
			portal_buf_free(&next);
			portal_reply_redirect(ctx, to);
			return -1;
		}
		portal_reply_error(ctx, 401, "not_signed_in",
		                   rc == 1 ? "Your session has ended. Sign in again."
		                           : "Sign in to use this page.", NULL);
		return -1;
	}
	if ((portal_user_roles(ctx->user) & ctx->route->roles) == 0) {
		portal_audit(ctx, "refused", NULL, json_pack("{s:s, s:s, s:s}", "reason", "role",
		             "method", ctx->req.method, "path", ctx->req.path));
		portal_reply_error(ctx, 403, "forbidden",
		                   "Your role does not give access to this. Ask your partnership coordinator if you need it.", NULL);
		return -1;
	}
	if (method_changes_state(ctx->req.method) &&
	    strcmp(json_string_value(json_object_get(ctx->user, "auth")), "cookie") == 0 &&
	    !portal_csrf_ok(ctx)) {
		portal_audit(ctx, "refused", NULL, json_pack("{s:s, s:s, s:s}", "reason", "csrf",
		             "method", ctx->req.method, "path", ctx->req.path));
		portal_reply_error(ctx, 403, "csrf_failed",
		                   "This form has expired or did not come from the portal. Go back, reload the page and try again.", NULL);
		return -1;
	}
	return 0;
}

/* Write the request's log line. */
static void log_request(const portal_ctx *ctx, const struct timespec *t0)
{
	struct timespec t1;
	double ms;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
	portal_log_request(ctx->res->status >= 500 ? PORTAL_LOG_WARN : PORTAL_LOG_INFO,
	                   ctx->req.id, ctx->req.method ? ctx->req.method : "-",
	                   ctx->req.path ? ctx->req.path : "-", ctx->res->status, ms);
	/* metrics (metrics.h): a few relaxed atomic adds on the shared block */
	portal_metrics_request(ctx->route ? (long)(ctx->route - ctx->app->routes) : -1,
	                       ctx->req.is_api, ctx->res->status, ms > 0 ? (uint64_t)(ms * 1000.0) : 0);
}

/* GET /api/v1/health: 200 while Redis answers a PING, else 503.  Every
 * module routes it, so that nginx and each container's health check can
 * ask the module they reach. */
void portal_health(portal_ctx *ctx)
{
	int redis_ok = portal_store_ping(ctx->store);

	portal_reply(ctx, redis_ok ? 200 : 503,
	             json_pack("{s:s, s:s}", "status", redis_ok ? "ok" : "unavailable",
	                       "redis", redis_ok ? "ok" : "down"));
}

/* Answer a request no route took: 405 with the path's methods in Allow, or
 * 404. */
static void reply_unrouted(portal_ctx *ctx, int status, const char *allow)
{
	if (status == 405) {
		portal_header_add(ctx, "Allow", allow);
		portal_reply_error(ctx, 405, "method_not_allowed",
		                   "This address does not take that method: see the Allow header.", NULL);
	} else
		portal_reply_error(ctx, 404, "not_found",
		                   "There is nothing at this address: check it, or start again from the home page.", NULL);
}

void portal_dispatch(portal_thread *th, const portal_raw_request *raw, portal_response *res)
{
	portal_ctx ctx;
	portal_limits lim = portal_default_limits;
	const char *method, *path;
	char allow[64];
	int status = 404;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&ctx, 0, sizeof(ctx));
	ctx.app = th->app;
	ctx.config = th->config;
	ctx.templates = th->templates;
	ctx.store = th->store;
	ctx.tokens = th->tokens;
	ctx.res = res;
	ctx.raw = raw;
	ctx.req.query = json_object();
	ctx.req.body = json_object();
	ctx.req.cookies = json_object();
	ctx.req.params = json_object();
	request_id(raw, ctx.req.id);
	lim.max_body = th->config->max_body;

	method = raw->param(raw->io, "REQUEST_METHOD");
	path = raw->param(raw->io, "DOCUMENT_URI");
	if (path == NULL)
		path = raw->param(raw->io, "SCRIPT_NAME");
	ctx.req.remote_addr = raw->param(raw->io, "REMOTE_ADDR");
	if (method == NULL || path == NULL || path[0] != '/' ||
	    !portal_utf8_valid(path, strlen(path))) {
		ctx.req.path = "/";
		portal_reply_error(&ctx, 400, "bad_request",
		                   "The address is not valid: check it and try again.", NULL);
		goto done;
	}
	ctx.req.path = path;
	ctx.req.is_api = strncmp(path, "/api/", 5) == 0;
	ctx.req.is_head = strcmp(method, "HEAD") == 0;
	ctx.req.method = ctx.req.is_head ? "GET" : method;

	ctx.route = portal_route_match(th->app, method, path, ctx.req.params, &ctx.req.is_api,
	                               &status, allow, sizeof(allow));
	if (ctx.route == NULL) {
		reply_unrouted(&ctx, status, allow);
		goto done;
	}
	if (ctx.route->max_body) {
		lim.max_body = ctx.route->max_body;
		/* a route that takes a larger body (an import) takes proportionally
		 * more fields: one per 64 bytes, never fewer than the default */
		if (lim.max_body / 64 > lim.max_fields)
			lim.max_fields = lim.max_body / 64;
	}
	if (parse_head(&ctx, &lim) < 0 || read_body(&ctx, &lim) < 0)
		goto done;
	if (refuse_cross_site(&ctx) < 0 || authorise(&ctx) < 0)
		goto done;
	ctx.route->handler(&ctx);
	if (!ctx.answered)
		portal_reply_internal_error(&ctx, "handler gave no answer");
done:
	if (res->body.overflow || res->headers.overflow) {
		portal_buf_reset(&res->headers);
		portal_reply_internal_error(&ctx, "response too large");
	}
	portal_header_add(&ctx, "Cache-Control", "no-store");
	portal_header_add(&ctx, "X-Request-Id", ctx.req.id);
	if (ctx.req.is_head)
		portal_buf_reset(&res->body);
	log_request(&ctx, &t0);
	json_decref(ctx.req.query);
	json_decref(ctx.req.body);
	json_decref(ctx.req.cookies);
	json_decref(ctx.req.params);
	json_decref(ctx.user);
}
