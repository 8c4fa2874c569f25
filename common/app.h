/* app.h - what a module declares, and what a handler sees.
 *
 * A module is a route table, a list of Lua scripts and a call to
 * portal_main().  For each request libportal matches the route, reads and
 * parses the body within the route's limit, and calls the handler with a
 * portal_ctx; the handler validates (validate.h), authorises, makes one store
 * call and answers with one of the portal_reply* functions (response.h).
 */
#ifndef PORTAL_APP_H
#define PORTAL_APP_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "config.h"
#include "parse.h"
#include "store.h"
#include "template.h"
#include "validate.h"

/* Roles a route admits (a bit set).  PORTAL_PUBLIC: anyone, signed in or not. */
enum {
	PORTAL_PUBLIC         = 0,
	PORTAL_ROLE_RESPONDER = 1 << 0,
	PORTAL_ROLE_NGO       = 1 << 1,
	PORTAL_ROLE_TRAINER   = 1 << 2,
	PORTAL_ROLE_COORDINATOR = 1 << 3,
	PORTAL_ROLE_ANY       = 0xf,
};

typedef struct portal_ctx portal_ctx;
typedef void (*portal_handler)(portal_ctx *ctx);

/* One side of a route: the method and the path pattern it answers. */
typedef struct portal_endpoint {
	const char *method;   /* "GET", "POST", "PUT", "DELETE" (GET also answers HEAD); NULL: no such side */
	const char *path;     /* "/beds/safehouses/{id}": {name} takes one segment */
} portal_endpoint;

/* The side a route does not have (a page-only or an API-only route). */
#define PORTAL_NONE { NULL, NULL }

/* One handler, once: the page it answers (HTML, outside /api/) and the API
 * call it answers (JSON, under /api/), either of which may be PORTAL_NONE.
 * The matcher sets ctx->req.is_api from the side that matched.  Members
 * are positional in the modules' tables: a new member goes at the end. */
typedef struct portal_route {
	portal_endpoint page;     /* { "POST", "/beds/safehouses/{id}/edit" } */
	portal_endpoint api;      /* { "PUT", "/api/v1/beds/safehouses/{id}" } */
	portal_handler  handler;
	unsigned        roles;    /* PORTAL_PUBLIC or a set of PORTAL_ROLE_* */
	const char     *template; /* the page's template, or NULL */
	const char     *title;    /* the page's title, or NULL */
	size_t          max_body; /* 0: the configured default (64 KiB) */
	/* The API side described (openapi.c; issue 13).  `answers`: each
	 * success status with its body, "; "-separated: "201 hold" (the
	 * module's schemas/hold.json), "200 common/schemas/health.json" (a
	 * project file), "200 text/csv" (a media type) or "204" (no body);
	 * NULL means "200" with no schema (a page-only route).  `fields`: the
	 * request's fields (a GET's query, else the JSON body), the very table
	 * the handler validates with (a module exports it as a `const
	 * portal_fields`), or NULL. */
	const char     *answers;
	const portal_fields *fields;
} portal_route;

typedef struct portal_app {
	const char          *name;     /* "auth": logs, PORTAL_SOCKET default */
	const portal_route  *routes;
	size_t               nroutes;
	const portal_script *scripts;  /* run with portal_store_eval(ctx->store, index, ...) */
	size_t               nscripts;
	int                  uses_directory;  /* needs the LDAP service account (portal-auth) */
	/* `portal-X --load-demo`: put the module's demo data in the store when
	 * it is not there yet (run by the demo stack before the module starts;
	 * refused in production).  Returns 0, or -1 with a message in err. */
	int (*load_demo)(portal_store *store, const portal_config *cfg, char *err, size_t errlen);
	/* metrics: the module's event names, bumped with portal_metric_event()
	 * (metrics.h); optional */
	const char *const   *events;
	size_t               nevents;
	/* Work the module must do without waiting for a request (optional):
	 * the master process calls it about a second after start, then again
	 * the number of seconds it returns later (clamped to 1..3600), with a
	 * store of its own (the master's; never a worker's).  It must be short
	 * (a few Redis calls, each bounded by the store's timeouts): the master
	 * restarts workers and answers metrics in the same loop.  Every
	 * instance of a module runs it, so what it does must be safe to do
	 * twice at once (a Redis guard for what must happen once). */
	int (*housekeeping)(portal_store *store, const portal_config *cfg);
	/* The module's own error codes (replycode.h), for the API description:
	 * each write lists those of its statuses (optional). */
	const struct portal_error_codes *codes;
} portal_app;

/* A response being built: status, extra header lines, body. */
typedef struct portal_response {
	int        status;
	char       content_type[80];
	portal_buf headers;   /* "Name: value\r\n" lines */
	portal_buf body;
} portal_response;

/* The raw request as the server hands it over (FastCGI params and stdin),
 * so that dispatch can be tested and fuzzed without a socket. */
typedef struct portal_raw_request {
	/* a CGI/FastCGI parameter (REQUEST_METHOD, DOCUMENT_URI, QUERY_STRING,
	 * CONTENT_TYPE, CONTENT_LENGTH, HTTP_COOKIE, HTTP_*, REMOTE_ADDR,
	 * REQUEST_ID), or NULL when absent */
	const char *(*param)(void *io, const char *name);
	/* read up to len body bytes; returns bytes read, 0 at the end, -1 on error */
	long (*read)(void *io, char *buf, size_t len);
	void *io;
} portal_raw_request;

/* The parsed request.  Every string is valid UTF-8 without NUL. */
typedef struct portal_request {
	const char *method;      /* "GET", ... ("HEAD" is dispatched as GET) */
	const char *path;        /* decoded path, e.g. "/api/v1/health" */
	const char *remote_addr;
	char        id[33];      /* request id (nginx $request_id or random) */
	int         is_api;      /* the route's API side matched (unmatched: the path
	                          * is under /api/): answers are JSON */
	int         is_head;
	json_t     *query;       /* object: query string fields */
	json_t     *body;        /* object: form or JSON body fields ({} when none) */
	json_t     *cookies;     /* object: cookie name -> value */
	json_t     *params;      /* object: path parameters ({id} -> "...") */
} portal_request;

/* Per-thread state a worker thread keeps across requests. */
typedef struct portal_token_cache portal_token_cache;  /* session.h */

typedef struct portal_thread {
	const portal_app       *app;
	const portal_config    *config;
	const portal_templates *templates;
	portal_store           *store;
	portal_token_cache     *tokens;  /* tokens this thread verified; may be NULL */
} portal_thread;

struct portal_ctx {
	const portal_app       *app;
	const portal_config    *config;
	const portal_templates *templates;
	const portal_route     *route;
	portal_store           *store;
	portal_token_cache     *tokens;
	portal_request          req;
	portal_response        *res;
	const portal_raw_request *raw;
	json_t                 *user;      /* the signed-in user, or NULL */
	int                     answered;  /* a portal_reply* function ran */
};

/* Handle one request: parse, route, call the handler, fill `res`.  Never
 * fails: every problem becomes an error response.  Writes one log line. */
void portal_dispatch(portal_thread *th, const portal_raw_request *raw, portal_response *res);

/* GET /api/v1/health, for every module's route table: 200 {"status":"ok"}
 * while Redis answers, 503 otherwise. */
void portal_health(portal_ctx *ctx);

/* Initialise and free a response. */
void portal_response_init(portal_response *res);
void portal_response_free(portal_response *res);

/* A request header by its CGI name ("HTTP_X_CSRF_TOKEN"), or NULL. */
const char *portal_header(const portal_ctx *ctx, const char *cgi_name);

/* The path parameter `name` ({id}, {uuid}) when `valid` accepts it (valid
 * NULL: any), else NULL after answering 404 not_found, `what` naming the
 * record ("organisation"; see portal_reply_not_found).  The text is owned
 * by the request. */
const char *portal_path_param(portal_ctx *ctx, const char *name, int (*valid)(const char *),
                              const char *what);

/* The path parameter `name` as a whole number: decimal digits, no sign, no
 * leading zero, 1..max.  Returns its text and sets *n (n may be NULL), or
 * NULL after answering 404 as portal_path_param. */
const char *portal_path_number(portal_ctx *ctx, const char *name, long long max,
                               const char *what, long long *n);

/* The signed-in user's agency id and agency type ("police", ...), or NULL. */
const char *portal_user_agency_id(const portal_ctx *ctx);
const char *portal_user_agency_type(const portal_ctx *ctx);

/* 1 when the signed-in user has any of the PORTAL_ROLE_* bits in `roles`. */
int portal_user_has(const portal_ctx *ctx, unsigned roles);

/* Load the templates compiled into the executable.  NULL on a parse error
 * (logged). */
portal_templates *portal_templates_load_embedded(void);

#endif
