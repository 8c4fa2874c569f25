/* apidoc.c - portal-apidoc, run at build time: joins the modules' parts of
 * the API description (`portal-NAME --openapi`, openapi.c) into one OpenAPI
 * 3.1 document, and writes the page people read it on (/api/).
 *
 *   portal-apidoc ROOT OUT.json OUT.html PART.json...
 *
 * A "$ref" to a file ("modules/beds/schemas/hold.json", or relative to the
 * file it is in: "booking.json", "../../../common/schemas/error.json",
 * "service.json#/$defs/x") becomes a component: the file is read from ROOT
 * once, named by its path ("beds.hold", "common.error",
 * "directory.openreferral.service") and referred to as
 * "#/components/schemas/NAME".  A file that cannot be read, a JSON error, or
 * one route described twice stops the build. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define SERVICE "London Anti-Slavery Partner Portal"

static const char *root;
static json_t *schemas;  /* components.schemas */

/* ---- references ------------------------------------------------------------- */

/* Normalise "a/b/../c/./d" into out; -1 when it climbs out of ROOT. */
static int path_normalise(const char *in, char *out, size_t len)
{
	char tmp[512], *seg, *save = NULL;
	size_t n = 0;

	if (strlen(in) >= sizeof(tmp) || len == 0)
		return -1;
	memcpy(tmp, in, strlen(in) + 1);
	out[0] = '\0';
	for (seg = strtok_r(tmp, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			char *slash;

			if (n == 0)
				return -1;
			slash = strrchr(out, '/');
			n = slash ? (size_t)(slash - out) : 0;
			out[n] = '\0';
			continue;
		}
		if (n + strlen(seg) + 2 > len)
			return -1;
		n += (size_t)sprintf(out + n, "%s%s", n ? "/" : "", seg);
	}
	return n ? 0 : -1;
}

/* "modules/beds/schemas/hold.json" -> "beds.hold"; "common/schemas/error.json"
 * -> "common.error"; other folders keep their names, joined by dots. */
static void component_name(const char *path, char *out, size_t len)
{
	const char *p = strncmp(path, "modules/", 8) == 0 ? path + 8 : path;
	size_t n = 0;

	for (; *p && n + 1 < len; p++) {
		if (strncmp(p, "/schemas/", 9) == 0) {
			out[n++] = '.';
			p += 8;
		} else if (strcmp(p, ".json") == 0)
			break;
		else
			out[n++] = *p == '/' ? '.' : *p;
	}
	out[n] = '\0';
}

static int resolve(json_t *node, const char *base);

/* Read schema file `path` (from ROOT) into the components, once. */
static int load_schema(const char *path, const char *name)
{
	char file[1024];
	json_error_t jerr;
	json_t *s;

	if (json_object_get(schemas, name))
		return 0;
	snprintf(file, sizeof(file), "%s/%s", root, path);
	if ((s = json_load_file(file, 0, &jerr)) == NULL) {
		fprintf(stderr, "portal-apidoc: %s:%d: %s\n", file, jerr.line, jerr.text);
		return -1;
	}
	json_object_del(s, "$schema");
	json_object_del(s, "$id");
	json_object_set_new(s, "x-source", json_string(path));  /* the file, for people and the tests */
	json_object_set_new(schemas, name, s);
	return resolve(s, path);
}

/* One "$ref": a file reference becomes "#/components/schemas/NAME[/ptr]". */
static int resolve_ref(json_t *node, const char *ref, const char *base)
{
	char joined[512], path[512], name[256], out[1024];
	const char *hash = strchr(ref, '#');
	size_t flen = hash ? (size_t)(hash - ref) : strlen(ref);
	const char *slash = strrchr(base, '/');

	if (flen == 0) {  /* "#/$defs/x": within the file itself */
		if (base[0] == '\0')
			return 0;
		snprintf(path, sizeof(path), "%s", base);
	} else {
		if (strncmp(ref, "modules/", 8) == 0 || strncmp(ref, "common/", 7) == 0 || base[0] == '\0')
			snprintf(joined, sizeof(joined), "%.*s", (int)flen, ref);
		else
			snprintf(joined, sizeof(joined), "%.*s/%.*s", slash ? (int)(slash - base) : 0, base, (int)flen, ref);
		if (path_normalise(joined, path, sizeof(path)) < 0) {
			fprintf(stderr, "portal-apidoc: %s: a $ref leaves the project: %s\n", base, ref);
			return -1;
		}
	}
	component_name(path, name, sizeof(name));
	if (load_schema(path, name) < 0)
		return -1;
	snprintf(out, sizeof(out), "#/components/schemas/%s%s", name, hash ? hash + 1 : "");
	json_object_set_new(node, "$ref", json_string(out));
	return 0;
}

/* Every "$ref" under node, found in file `base` ("" for the parts). */
static int resolve(json_t *node, const char *base)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_array(node)) {
		json_array_foreach(node, i, v)
			if (resolve(v, base) < 0)
				return -1;
		return 0;
	}
	if (!json_is_object(node))
		return 0;
	v = json_object_get(node, "$ref");
	if (json_is_string(v) && strncmp(json_string_value(v), "#/components/", 13) != 0) {
		char ref[512];

		snprintf(ref, sizeof(ref), "%s", json_string_value(v));
		if (resolve_ref(node, ref, base) < 0)
			return -1;
	}
	json_object_foreach(node, key, v)
		if (strcmp(key, "$ref") != 0 && resolve(v, base) < 0)
			return -1;
	return 0;
}

/* ---- the document ---------------------------------------------------------------- */

static json_t *document(void)
{
	return json_pack("{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:[], s:{}, s:{s:{s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}}, s:o}}",
	        "openapi", "3.1.0",
	        "info", "title", SERVICE " API", "version", "1",
	        "description", "The portal's API for partners' own systems. Sign in with POST /api/v1/auth/token for a bearer token, "
	                       "or use the session cookie with its CSRF token. Every error answers with one shape: an error object holding a code, "
	                       "a message saying what to fix, and, for a wrong field, what to fix in each.",
	        "servers", "url", "/",
	        "tags",
	        "paths",
	        "components",
	        "securitySchemes",
	        "session", "type", "apiKey", "in", "cookie", "name", "portal_session",
	        "description", "The session cookie set by POST /api/v1/auth/login (__Host-portal_session in production).",
	        "csrf", "type", "apiKey", "in", "header", "name", "X-CSRF-Token",
	        "description", "The csrf_token of the sign-in answer: every change made with the cookie sends it.",
	        "bearer", "type", "http", "scheme", "bearer", "bearerFormat", "JWT",
	        "description", "The token of POST /api/v1/auth/token, in an Authorization: Bearer header.",
	        "schemas", json_object());
}

/* 1 when operations a and b are the same but for their tags. */
static int same_but_tags(const json_t *a, const json_t *b)
{
	json_t *x = json_deep_copy(a), *y = json_deep_copy(b);
	int same;

	json_object_del(x, "tags");
	json_object_del(y, "tags");
	same = json_equal(x, y);
	json_decref(x);
	json_decref(y);
	return same;
}

/* Add a module's part to the document. */
static int add_part(json_t *doc, const char *file)
{
	json_error_t jerr;
	json_t *part = json_load_file(file, 0, &jerr), *paths = json_object_get(doc, "paths"), *item, *have, *op;
	const char *path, *method, *module;
	int rc = 0;

	if (part == NULL) {
		fprintf(stderr, "portal-apidoc: %s:%d: %s\n", file, jerr.line, jerr.text);
		return -1;
	}
	module = json_string_value(json_object_get(part, "module"));
	if (module)
		json_array_append_new(json_object_get(doc, "tags"), json_pack("{s:s}", "name", module));
	json_object_foreach(json_object_get(part, "paths"), path, item) {
		if ((have = json_object_get(paths, path)) == NULL)
			json_object_set_new(paths, path, have = json_object());
		json_object_foreach(item, method, op) {
			json_t *old = json_object_get(have, method);

			if (old && !same_but_tags(old, op)) {
				fprintf(stderr, "portal-apidoc: %s %s is described twice, differently\n", method, path);
				rc = -1;
			}
			if (old == NULL)  /* a route every module answers (health): once, the first's */
				json_object_set(have, method, op);
		}
	}
	json_decref(part);
	return rc;
}

/* ---- the page ----------------------------------------------------------------------- */

/* "post" -> "POST" in out. */
static const char *method_upper(const char *method, char *out, size_t len)
{
	size_t k;

	for (k = 0; method[k] && k + 1 < len; k++)
		out[k] = (char)(method[k] >= 'a' && method[k] <= 'z' ? method[k] - 32 : method[k]);
	out[k] = '\0';
	return out;
}

/* A module's part of the API, as people name it. */
static const char *module_words(const char *module)
{
	static const char *const names[][2] = {
		{ "auth", "Signing in, and whether the portal is working" }, { "training", "Training" },
		{ "beds", "Safehouse beds" }, { "directory", "Referral directory" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i][0], module) == 0)
			return names[i][1];
	return module;
}

static void html(portal_buf *b, const char *s)
{
	portal_buf_put_html(b, s ? s : "", s ? strlen(s) : 0);
}

/* The schema of a $ref'd component, or s itself. */
static const json_t *deref(const json_t *doc, const json_t *s)
{
	const char *ref = json_string_value(json_object_get(s, "$ref"));

	if (ref && strncmp(ref, "#/components/schemas/", 21) == 0 && strchr(ref + 21, '/') == NULL)
		return json_object_get(json_object_get(json_object_get(doc, "components"), "schemas"), ref + 21);
	return s;
}

/* A field's type in words: "text, up to 200 characters". */
static void type_words(portal_buf *b, const json_t *s)
{
	const char *type = json_string_value(json_object_get(s, "type"));
	const char *format = json_string_value(json_object_get(s, "format"));
	const json_t *choices = json_object_get(s, "enum"), *c;
	size_t i;

	if (type && strcmp(type, "array") == 0) {
		portal_buf_puts(b, "a list of: ");
		type_words(b, json_object_get(s, "items"));
		return;
	}
	if (choices) {
		portal_buf_puts(b, "one of ");
		json_array_foreach(choices, i, c) {
			portal_buf_puts(b, i ? ", <code>" : "<code>");
			html(b, json_string_value(c));
			portal_buf_puts(b, "</code>");
		}
		return;
	}
	if (json_is_true(json_object_get(s, "const")))
		portal_buf_puts(b, "<code>true</code> (a box that must be ticked)");
	else if (format && strcmp(format, "date-time") == 0)
		portal_buf_puts(b, "a date and time with its offset, like 2026-03-29T09:30:00+01:00");
	else if (format && strcmp(format, "date") == 0)
		portal_buf_puts(b, "a date, like 2026-03-29");
	else if (format && strcmp(format, "email") == 0)
		portal_buf_puts(b, "an e-mail address");
	else if (format && strcmp(format, "uri") == 0)
		portal_buf_puts(b, "a web address starting http:// or https://");
	else if (type && strcmp(type, "integer") == 0) {
		portal_buf_puts(b, "a whole number");
		if (json_object_get(s, "minimum"))
			portal_buf_printf(b, " from %lld to %lld", (long long)json_integer_value(json_object_get(s, "minimum")),
			                  (long long)json_integer_value(json_object_get(s, "maximum")));
	} else if (type && strcmp(type, "boolean") == 0)
		portal_buf_puts(b, "true or false");
	else {
		portal_buf_puts(b, "text");
		if (json_object_get(s, "maxLength"))
			portal_buf_printf(b, ", up to %lld characters", (long long)json_integer_value(json_object_get(s, "maxLength")));
	}
	if (json_string_value(json_object_get(s, "description"))) {
		portal_buf_puts(b, " (");
		html(b, json_string_value(json_object_get(s, "description")));
		portal_buf_puts(b, ")");
	}
}

/* An example value of schema s, as JSON text. */
static json_t *example(const json_t *s)
{
	const char *type = json_string_value(json_object_get(s, "type"));
	const char *format = json_string_value(json_object_get(s, "format"));
	const json_t *choices = json_object_get(s, "enum");

	if (type && strcmp(type, "array") == 0)
		return json_pack("[o]", example(json_object_get(s, "items")));
	if (choices)
		return json_copy(json_array_get(choices, 0));
	if (json_object_get(s, "const"))
		return json_copy(json_object_get(s, "const"));
	if (type && strcmp(type, "integer") == 0)
		return json_integer(json_object_get(s, "minimum") ? json_integer_value(json_object_get(s, "minimum")) : 1);
	if (type && strcmp(type, "boolean") == 0)
		return json_true();
	if (format && strcmp(format, "date-time") == 0)
		return json_string("2026-03-29T09:30:00+01:00");
	if (format && strcmp(format, "date") == 0)
		return json_string("2026-03-29");
	if (format && strcmp(format, "email") == 0)
		return json_string("name@example.org");
	if (format && strcmp(format, "uri") == 0)
		return json_string("https://example.org");
	if (json_object_get(s, "description"))
		return json_string("020 7946 0000");
	return json_string("text");
}

/* One table row a field: name, what it takes, required. */
static void field_row(portal_buf *b, const char *name, const json_t *s, int required)
{
	portal_buf_puts(b, "<tr class=\"govuk-table__row\"><th scope=\"row\" class=\"govuk-table__header\"><code>");
	html(b, name);
	portal_buf_puts(b, "</code></th><td class=\"govuk-table__cell\">");
	if (json_string_value(json_object_get(s, "title"))) {
		html(b, json_string_value(json_object_get(s, "title")));
		portal_buf_puts(b, ": ");
	}
	type_words(b, s);
	portal_buf_printf(b, "</td><td class=\"govuk-table__cell\">%s</td></tr>\n", required ? "Required" : "Optional");
}

static void table_open(portal_buf *b, const char *caption)
{
	portal_buf_printf(b, "<table class=\"govuk-table\"><caption class=\"govuk-table__caption govuk-table__caption--s\">%s</caption>"
	                  "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\"><th scope=\"col\" class=\"govuk-table__header\">Name</th>"
	                  "<th scope=\"col\" class=\"govuk-table__header\">What it takes</th><th scope=\"col\" class=\"govuk-table__header\">"
	                  "</th></tr></thead><tbody class=\"govuk-table__body\">\n", caption);
}

/* The request: path and query parameters, the body's fields, an example. */
static void operation_request(portal_buf *b, const char *method, const char *path, const json_t *op)
{
	const json_t *params = json_object_get(op, "parameters"), *p, *body, *props, *req, *v;
	json_t *ex = json_object();
	const char *name;
	char *text;
	size_t i;

	if (json_array_size(params)) {
		table_open(b, "Parameters");
		json_array_foreach(params, i, p)
			field_row(b, json_string_value(json_object_get(p, "name")), json_object_get(p, "schema"),
			          json_is_true(json_object_get(p, "required")));
		portal_buf_puts(b, "</tbody></table>\n");
	}
	body = json_object_get(json_object_get(json_object_get(json_object_get(op, "requestBody"), "content"),
	                       "application/json"), "schema");
	props = json_object_get(body, "properties");
	req = json_object_get(body, "required");
	if (json_object_size(props)) {
		table_open(b, "Fields of the JSON body");
		json_object_foreach((json_t *)props, name, v) {
			int required = 0;
			const json_t *r;

			json_array_foreach(req, i, r)
				required |= strcmp(json_string_value(r), name) == 0;
			field_row(b, name, v, required);
			json_object_set_new(ex, name, example(v));
		}
		portal_buf_puts(b, "</tbody></table>\n");
	}
	portal_buf_puts(b, "<p class=\"govuk-body\">For example:</p>\n<pre class=\"portal-code\"><code>curl");
	if (strcmp(method, "get") != 0) {
		char upper[8];

		portal_buf_printf(b, " -X %s", method_upper(method, upper, sizeof(upper)));
	}
	if (json_array_size(json_object_get(op, "security")))
		portal_buf_puts(b, " -H 'Authorization: Bearer $TOKEN'");
	if (json_object_size(ex)) {
		text = json_dumps(ex, JSON_COMPACT | JSON_PRESERVE_ORDER);
		portal_buf_puts(b, " -H 'Content-Type: application/json' -d '");
		html(b, text);
		portal_buf_puts(b, "'");
		free(text);
	}
	portal_buf_puts(b, " https://portal.example.org");
	html(b, path);
	portal_buf_puts(b, "</code></pre>\n");
	json_decref(ex);
}

/* The answers: the success (with its schema's title and description) and
 * the errors. */
static void operation_answers(portal_buf *b, const json_t *doc, const json_t *op)
{
	const json_t *res = json_object_get(op, "responses"), *r, *schema;
	const char *status;

	portal_buf_puts(b, "<dl class=\"govuk-summary-list\">\n");
	json_object_foreach((json_t *)res, status, r) {
		schema = json_object_get(json_object_get(json_object_get(r, "content"), "application/json"), "schema");
		portal_buf_printf(b, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">%s</dt>"
		                  "<dd class=\"govuk-summary-list__value\">", status);
		html(b, json_string_value(json_object_get(r, "description")));
		if (status[0] == '2' && schema) {
			const json_t *s = deref(doc, schema);

			if (json_string_value(json_object_get(s, "description"))) {
				portal_buf_puts(b, ": ");
				html(b, json_string_value(json_object_get(s, "description")));
			}
		}
		portal_buf_puts(b, "</dd></div>\n");
	}
	portal_buf_puts(b, "</dl>\n");
}

static void page(portal_buf *b, const json_t *doc)
{
	const json_t *tags = json_object_get(doc, "tags"), *tag, *item, *op;
	const char *path, *method;
	char upper[8];
	size_t t;
	int n = 0;

	portal_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\" class=\"govuk-template\">\n<head>\n<meta charset=\"utf-8\">\n"
	                "<title>API – " SERVICE "</title>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	                "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">\n"
	                "<link rel=\"stylesheet\" href=\"/static/portal.css\">\n</head>\n<body class=\"govuk-template__body\">\n"
	                "<a href=\"#main-content\" class=\"govuk-skip-link\">Skip to main content</a>\n"
	                "<header class=\"govuk-header\"><div class=\"govuk-header__container govuk-width-container\">"
	                "<a href=\"/\" class=\"govuk-header__link govuk-header__service-name\">" SERVICE "</a></div></header>\n"
	                "<div class=\"govuk-width-container\"><main class=\"govuk-main-wrapper\" id=\"main-content\">\n"
	                "<h1 class=\"govuk-heading-xl\">The portal's API</h1>\n<p class=\"govuk-body\">");
	html(b, json_string_value(json_object_get(json_object_get(doc, "info"), "description")));
	portal_buf_puts(b, "</p>\n<p class=\"govuk-body\">The same description, for programs: "
	                "<a class=\"govuk-link\" href=\"/api/v1/openapi.json\">openapi.json</a> (OpenAPI 3.1).</p>\n");
	json_array_foreach(tags, t, tag) {
		const char *module = json_string_value(json_object_get(tag, "name"));

		portal_buf_puts(b, "<h2 class=\"govuk-heading-l\">");
		html(b, module_words(module));
		portal_buf_puts(b, "</h2>\n");
		json_object_foreach(json_object_get(doc, "paths"), path, item)
			json_object_foreach((json_t *)item, method, op) {
				if (strcmp(json_string_value(json_array_get(json_object_get(op, "tags"), 0)), module) != 0)
					continue;
				portal_buf_printf(b, "<h3 class=\"govuk-heading-m\" id=\"op-%d\">", n++);
				html(b, json_string_value(json_object_get(op, "summary")));
				portal_buf_puts(b, "</h3>\n<p class=\"govuk-body\"><strong class=\"govuk-tag\">");
				portal_buf_printf(b, "%s", method_upper(method, upper, sizeof(upper)));
				portal_buf_puts(b, "</strong> <code>");
				html(b, path);
				portal_buf_puts(b, "</code></p>\n<p class=\"govuk-body\">Who may call it: ");
				html(b, json_string_value(json_object_get(op, "description")));
				portal_buf_puts(b, "</p>\n");
				operation_request(b, method, path, op);
				operation_answers(b, doc, op);
			}
	}
	portal_buf_puts(b, "</main></div>\n</body>\n</html>\n");
}

int main(int argc, char **argv)
{
	json_t *doc;
	portal_buf b;
	FILE *f;
	int i;

	if (argc < 5) {
		fprintf(stderr, "usage: portal-apidoc ROOT OUT.json OUT.html PART.json...\n");
		return 2;
	}
	root = argv[1];
	doc = document();
	schemas = json_object_get(json_object_get(doc, "components"), "schemas");
	for (i = 4; i < argc; i++)
		if (add_part(doc, argv[i]) < 0)
			return 1;
	if (resolve(json_object_get(doc, "paths"), "") < 0)
		return 1;
	if (json_dump_file(doc, argv[2], JSON_INDENT(1) | JSON_PRESERVE_ORDER) < 0) {
		fprintf(stderr, "portal-apidoc: cannot write %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	portal_buf_init(&b, 8u << 20);  /* at most 8 MiB: the page is about 200 KiB */
	page(&b, doc);
	if (b.overflow) {
		fprintf(stderr, "portal-apidoc: the page is larger than 8 MiB\n");
		return 1;
	}
	if ((f = fopen(argv[3], "w")) == NULL || fwrite(b.data, 1, b.len, f) != b.len || fclose(f) != 0) {
		fprintf(stderr, "portal-apidoc: cannot write %s: %s\n", argv[3], strerror(errno));
		return 1;
	}
	portal_buf_free(&b);
	json_decref(doc);
	return 0;
}
