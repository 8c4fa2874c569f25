/* router.c - route matching (see router.h). */
#include "router.h"

#include <stdio.h>
#include <string.h>

/* Match `path` against `pattern`, filling params.  Returns 1 or 0. */
static int pattern_match(const char *pattern, const char *path, json_t *params)
{
	const char *p = pattern, *s = path;

	while (*p && *s) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			const char *end = strchr(s, '/');
			size_t namelen, vlen;
			char name[64];

			if (close == NULL)
				return 0;
			namelen = (size_t)(close - p - 1);
			vlen = end ? (size_t)(end - s) : strlen(s);
			if (vlen == 0 || namelen == 0 || namelen >= sizeof(name))
				return 0;
			memcpy(name, p + 1, namelen);
			name[namelen] = '\0';
			if (params)
				json_object_set_new(params, name, json_stringn(s, vlen));
			p = close + 1;
			s += vlen;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	return *p == '\0' && *s == '\0';
}

/* Add `method` to the Allow list, without repeats (GET brings HEAD). */
static void allow_add(char *allow, size_t allowlen, size_t *used, const char *method)
{
	int n;

	if (strstr(allow, method) != NULL)
		return;
	n = snprintf(allow + *used, allowlen - *used, "%s%s%s", *used ? ", " : "", method,
	             strcmp(method, "GET") == 0 ? ", HEAD" : "");
	if (n > 0 && (size_t)n < allowlen - *used)
		*used += (size_t)n;
}

const portal_route *portal_route_match(const portal_app *app, const char *method,
                                       const char *path, json_t *params, int *is_api,
                                       int *status, char *allow, size_t allowlen)
{
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	int path_known = 0, side;
	size_t i, used = 0;

	if (allowlen)
		allow[0] = '\0';
	for (i = 0; i < app->nroutes; i++) {
		const portal_route *r = &app->routes[i];

		for (side = 0; side < 2; side++) {
			const portal_endpoint *e = side ? &r->api : &r->page;

			if (e->method == NULL || e->path == NULL || !pattern_match(e->path, path, NULL))
				continue;
			if (strcmp(e->method, want) == 0) {
				json_object_clear(params);
				pattern_match(e->path, path, params);
				*is_api = side;
				return r;
			}
			path_known = 1;
			if (allowlen)
				allow_add(allow, allowlen, &used, e->method);
		}
	}
	*status = path_known ? 405 : 404;
	return NULL;
}

/* 1 when `m` is a method a route may name. */
static int method_known(const char *m)
{
	static const char *const known[] = { "GET", "POST", "PUT", "PATCH", "DELETE" };
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(m, known[i]) == 0)
			return 1;
	return 0;
}

/* Check one side of a route (`api`: its API side); "" when the side is
 * absent or right, else what is wrong. */
static const char *endpoint_fault(const portal_endpoint *e, int api)
{
	if (e->method == NULL && e->path == NULL)
		return "";
	if (e->method == NULL || e->path == NULL)
		return "has a method without a path, or a path without a method";
	if (!method_known(e->method))
		return "names a method other than GET, POST, PUT, PATCH or DELETE";
	if (e->path[0] != '/')
		return "has a path that does not start with /";
	if ((strncmp(e->path, "/api/", 5) == 0) != api)
		return api ? "has an API path outside /api/" : "has a page path under /api/";
	return "";
}

int portal_routes_check(const portal_app *app, char *err, size_t errlen)
{
	size_t i;
	int side;

	for (i = 0; i < app->nroutes; i++) {
		const portal_route *r = &app->routes[i];

		if (r->handler == NULL || (r->page.method == NULL && r->page.path == NULL &&
		                           r->api.method == NULL && r->api.path == NULL)) {
			snprintf(err, errlen, "route %zu has no handler, or neither a page nor an API side", i + 1);
			return -1;
		}
		for (side = 0; side < 2; side++) {
			const portal_endpoint *e = side ? &r->api : &r->page;
			const char *fault = endpoint_fault(e, side);

			if (*fault) {
				snprintf(err, errlen, "route %zu (%s) %s side %s", i + 1,
				         e->path ? e->path : "?", side ? "API" : "page", fault);
				return -1;
			}
		}
	}
	return 0;
}
