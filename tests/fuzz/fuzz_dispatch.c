/* fuzz_dispatch.c - libFuzzer target: a whole request through
 * portal_dispatch, as libportal gets it from FastCGI: method, path, query
 * string, content type, cookie header, authorization header and body, taken
 * from the fuzzer's bytes (NUL-separated fields).
 *
 * Checks beyond "no crash, no leak, no undefined behaviour": every answer
 * has a status between 200 and 599, and an error answer under /api/ is JSON
 * of the portal's error shape.
 */
#include "app.h"
#include "log.h"
#include "response.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define T(name, text) { name, text, sizeof(text) - 1 }
const portal_template_source portal_embedded_templates[] = {
	T("layout", "<title>{{page.title}}</title>{{{page.content}}}"),
	T("error", "<h1>{{title}}</h1><p>{{error.message}}</p>"),
	T("echo", "<p>{{body.name}}</p>{{#query.list}}<li>{{.}}</li>{{/query.list}}"),
};
const size_t portal_embedded_templates_count = 3;

typedef struct fuzz_io {
	const char *field[7];  /* method, path, query, ctype, cookie, auth, body */
	size_t      body_len, body_pos;
	char        cl[24];
} fuzz_io;

static const char *fuzz_param(void *io, const char *name)
{
	fuzz_io *f = io;
	static const char *const names[] = { "REQUEST_METHOD", "DOCUMENT_URI", "QUERY_STRING",
	                                     "CONTENT_TYPE", "HTTP_COOKIE", "HTTP_AUTHORIZATION" };
	size_t i;

	for (i = 0; i < 6; i++)
		if (strcmp(name, names[i]) == 0)
			return f->field[i];
	if (strcmp(name, "CONTENT_LENGTH") == 0)
		return f->cl;
	return NULL;
}

static long fuzz_read(void *io, char *buf, size_t len)
{
	fuzz_io *f = io;
	size_t n = f->body_len - f->body_pos;

	if (n > len)
		n = len;
	memcpy(buf, f->field[6] + f->body_pos, n);
	f->body_pos += n;
	return (long)n;
}

static void h_echo(portal_ctx *ctx)
{
	portal_reply(ctx, 200, json_pack("{s:O, s:O, s:O}", "body", ctx->req.body,
	                                 "query", ctx->req.query, "params", ctx->req.params));
}

static const portal_route routes[] = {
	{ PORTAL_NONE, { "GET", "/api/v1/things/{id}" }, h_echo, PORTAL_PUBLIC, NULL, NULL, 0, NULL, NULL },
	{ PORTAL_NONE, { "POST", "/api/v1/things" }, h_echo, PORTAL_PUBLIC, NULL, NULL, 0, NULL, NULL },
	{ PORTAL_NONE, { "PUT", "/api/v1/small/{id}" }, h_echo, PORTAL_PUBLIC, NULL, NULL, 64, NULL, NULL },
	{ { "POST", "/things" }, PORTAL_NONE, h_echo, PORTAL_PUBLIC, "echo", "Things", 0, NULL, NULL },
	{ { "GET", "/things/{id}" }, PORTAL_NONE, h_echo, PORTAL_PUBLIC, "echo", NULL, 0, NULL, NULL },
	{ { "GET", "/private" }, PORTAL_NONE, h_echo, PORTAL_ROLE_ANY, "echo", NULL, 0, NULL, NULL },
};
static const portal_app app = { .name = "fuzz", .routes = routes,
                                 .nroutes = sizeof(routes) / sizeof(routes[0]) };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static portal_config cfg;
	static portal_templates *tpl;
	static unsigned char key[48] = "fuzz-key-0123456789abcdef0123456789abcdef012345";
	portal_response res;
	portal_thread th;
	portal_raw_request raw;
	fuzz_io f;
	char *copy;
	size_t i, start = 0;
	int field = 0;

	if (tpl == NULL) {
		cfg.module = "fuzz";
		cfg.service_name = "Fuzz";
		cfg.max_body = 4096;
		cfg.cookie_name = "portal_session";
		cfg.jwt_key = key;
		cfg.jwt_key_len = sizeof(key);
		cfg.jwt_issuer = "london-anti-slavery-portal";
		cfg.redis_prefix = "portal:";
		portal_log_init("fuzz", PORTAL_LOG_ERROR);  /* no request lines */
		if ((tpl = portal_templates_load_embedded()) == NULL)
			abort();
	}
	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	memset(&f, 0, sizeof(f));
	/* fields separated by NUL; the body is the rest, NULs and all */
	for (i = 0; i <= size && field < 6; i++) {
		if (i == size || copy[i] == '\0') {
			f.field[field++] = copy + start;
			start = i + 1;
		}
	}
	if (field < 6 || start > size) {
		free(copy);
		return 0;
	}
	f.field[6] = copy + start;
	f.body_len = size - start;
	snprintf(f.cl, sizeof(f.cl), "%zu", f.body_len);
	for (i = 2; i < 6; i++)
		if (f.field[i][0] == '\0')
			f.field[i] = NULL;  /* absent, as when nginx sends nothing */

	memset(&th, 0, sizeof(th));
	th.app = &app;
	th.config = &cfg;
	th.templates = tpl;
	th.store = NULL;  /* a forged token never verifies, so no store call is made */
	raw.param = fuzz_param;
	raw.read = fuzz_read;
	raw.io = &f;
	portal_response_init(&res);
	portal_dispatch(&th, &raw, &res);
	if (res.status < 200 || res.status > 599)
		abort();
	/* (a path that is not valid UTF-8 cannot be trusted to say /api/:
	 * it gets the HTML error page) */
	if (res.status >= 400 && strncmp(f.field[1], "/api/", 5) == 0 && res.body.len &&
	    portal_utf8_valid(f.field[1], strlen(f.field[1]))) {
		json_t *v = json_loadb(res.body.data, res.body.len, 0, NULL);
		if (!json_is_string(json_object_get(json_object_get(v, "error"), "code")))
			abort();
		json_decref(v);
	}
	portal_response_free(&res);
	free(copy);
	return 0;
}
