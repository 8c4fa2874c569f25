/* router.h - method + path pattern to a route.
 *
 * Patterns are literal segments and {name} placeholders that take exactly
 * one non-empty segment.  The first route in table order that matches path
 * and method wins.
 */
#ifndef PORTAL_ROUTER_H
#define PORTAL_ROUTER_H

#include "app.h"

/* Find the route for `method` and `path`.  Returns the route and sets the
 * path parameters in `params` (an object); or NULL with *status 404 (no
 * pattern matches the path) or 405 (the path matches with other methods,
 * listed in `allow`, e.g. "GET, HEAD, POST").  HEAD matches GET routes. */
const portal_route *portal_route_match(const portal_app *app, const char *method,
                                       const char *path, json_t *params,
                                       int *status, char *allow, size_t allowlen);

#endif
