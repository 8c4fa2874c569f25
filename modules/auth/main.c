/* portal-auth: the start page, health, and (with the sign-in issue) sign-in.
 *
 * Routes: GET /  (start page)    GET /api/v1/health
 */
#include <string.h>

#include "response.h"
#include "server.h"

/* GET / - what the portal is for, with a link to each feature. */
static void auth_start_page(portal_ctx *ctx)
{
	portal_reply(ctx, 200, json_object());
}

/* GET /api/v1/health - 200 {"status":"ok","redis":"ok"} or 503 naming what
 * is down.  nginx and the container health checks call it. */
static void auth_health(portal_ctx *ctx)
{
	int redis_ok = portal_store_ping(ctx->store);

	portal_reply(ctx, redis_ok ? 200 : 503,
	             json_pack("{s:s, s:s}", "status", redis_ok ? "ok" : "unavailable",
	                       "redis", redis_ok ? "ok" : "down"));
}

static const portal_route auth_routes[] = {
	{ "GET", "/",               auth_start_page, PORTAL_PUBLIC, "start", "Home", 0 },
	{ "GET", "/api/v1/health",  auth_health,     PORTAL_PUBLIC, NULL,    NULL, 0 },
};

static const portal_app auth_app = {
	.name = "auth",
	.routes = auth_routes,
	.nroutes = sizeof(auth_routes) / sizeof(auth_routes[0]),
};

int main(int argc, char **argv)
{
	return portal_main(&auth_app, argc, argv);
}
