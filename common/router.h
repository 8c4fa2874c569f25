/* router.h - method + path pattern to a route.
 *
 * Patterns are literal segments and {name} placeholders that take exactly
 * one non-empty segment.  Each route has a page side and an API side
 * (app.h); the first side in table order (a route's page before its API)
 * that matches path and method wins.
 */
#ifndef PORTAL_ROUTER_H
#define PORTAL_ROUTER_H

#include "app.h"

/* Find the route for `method` and `path`.  Returns the route, sets the
 * path parameters in `params` (an object) and *is_api (1: its API side
 * matched, 0: its page); or NULL with *status 404 (no pattern matches the
 * path) or 405 (the path matches with other methods, listed in `allow`,
 * e.g. "GET, HEAD, POST").  HEAD matches GET routes. */
const portal_route *portal_route_match(const portal_app *app, const char *method,
                                       const char *path, json_t *params, int *is_api,
                                       int *status, char *allow, size_t allowlen);

/* Check a route table before serving: every route has a handler and at
 * least one side; each side has both a method (GET, POST, PUT, PATCH or
 * DELETE) and a path starting with "/"; API paths start with "/api/" and
 * page paths do not (so an unmatched path's answer, JSON or HTML, is the
 * one its route would give).  Returns 0, or -1 with what is wrong in err. */
int portal_routes_check(const portal_app *app, char *err, size_t errlen);

#endif
