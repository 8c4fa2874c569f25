/* router.c - route matching (see router.h). */
#include "router.h"

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

const portal_route *portal_route_match(const portal_app *app, const char *method,
                                       const char *path, json_t *params,
                                       int *status, char *allow, size_t allowlen)
{
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	int path_known = 0;
	size_t i, used = 0;

	if (allowlen)
		allow[0] = '\0';
	for (i = 0; i < app->nroutes; i++) {
		const portal_route *r = &app->routes[i];

		if (!pattern_match(r->pattern, path, NULL))
			continue;
		if (strcmp(r->method, want) == 0) {
			json_object_clear(params);
			pattern_match(r->pattern, path, params);
			return r;
		}
		path_known = 1;
		/* build the Allow list, without repeats */
		if (strstr(allow, r->method) == NULL) {
			int n = snprintf(allow + used, allowlen - used, "%s%s%s",
			                 used ? ", " : "", r->method,
			                 strcmp(r->method, "GET") == 0 ? ", HEAD" : "");
			if (n > 0 && (size_t)n < allowlen - used)
				used += (size_t)n;
		}
	}
	*status = path_known ? 405 : 404;
	return NULL;
}
