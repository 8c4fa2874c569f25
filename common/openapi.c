/* openapi.c - a module's part of the API description (OpenAPI 3.1), made
 * from its route table: each API route's method and path, who may call it,
 * its path parameters, its fields (the query of a GET, the body otherwise)
 * with their types, limits and choices, its answer and its errors.
 * `portal-NAME --openapi` prints the part; the build joins the parts of
 * every module into one document (apidoc.c).
 *
 * Schemas are named by file: an answer "hold" of module beds is
 * {"$ref": "modules/beds/schemas/hold.json"}, the error shape
 * "common/schemas/error.json"; the joiner turns them into components. */
#include "openapi.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "replycode.h"
#include "session.h"

#define ERROR_SCHEMA "common/schemas/error.json"

/* The JSON Schema of one declared field. */
static json_t *field_schema(const portal_field *f)
{
	const char *const *choices = portal_field_choices(f);
	json_t *s = json_object(), *list;
	size_t i;

	switch (f->type) {
	case PORTAL_FIELD_STRING:
		json_object_set_new(s, "type", json_string("string"));
		if (f->min > 0)
			json_object_set_new(s, "minLength", json_integer(f->min));
		if (f->max > 0)
			json_object_set_new(s, "maxLength", json_integer(f->max));
		break;
	case PORTAL_FIELD_INT:
		json_object_set_new(s, "type", json_string("integer"));
		if (f->min != 0 || f->max != 0) {
			json_object_set_new(s, "minimum", json_integer(f->min));
			json_object_set_new(s, "maximum", json_integer(f->max));
		}
		break;
	case PORTAL_FIELD_BOOL:
		json_object_set_new(s, "type", json_string("boolean"));
		break;
	case PORTAL_FIELD_TICKED:
		json_object_set_new(s, "const", json_true());
		break;
	case PORTAL_FIELD_ENUM:
	case PORTAL_FIELD_ENUM_LIST:
		list = json_array();
		for (i = 0; choices && choices[i]; i++)
			json_array_append_new(list, json_string(choices[i]));
		json_object_set_new(s, "type", json_string("string"));
		json_object_set_new(s, "enum", list);
		if (f->type == PORTAL_FIELD_ENUM_LIST) {
			json_t *item = s;

			s = json_pack("{s:s, s:o, s:I}", "type", "array", "items", item,
			              "maxItems", (json_int_t)(f->max_items ? f->max_items : 100));
		}
		break;
	case PORTAL_FIELD_STRING_LIST:
		json_object_set_new(s, "type", json_string("string"));
		if (f->min > 0)
			json_object_set_new(s, "minLength", json_integer(f->min));
		if (f->max > 0)
			json_object_set_new(s, "maxLength", json_integer(f->max));
		s = json_pack("{s:s, s:o, s:I}", "type", "array", "items", s,
		              "maxItems", (json_int_t)(f->max_items ? f->max_items : 100));
		break;
	case PORTAL_FIELD_TIME:
	case PORTAL_FIELD_LONDON_TIME:
		json_object_set_new(s, "type", json_string("string"));
		json_object_set_new(s, "format", json_string("date-time"));
		break;
	case PORTAL_FIELD_DATE:
		json_object_set_new(s, "type", json_string("string"));
		json_object_set_new(s, "format", json_string("date"));
		break;
	case PORTAL_FIELD_PHONE:
		json_object_set_new(s, "type", json_string("string"));
		json_object_set_new(s, "description", json_string("A UK phone number, like 020 7946 0000"));
		break;
	case PORTAL_FIELD_EMAIL:
		json_object_set_new(s, "type", json_string("string"));
		json_object_set_new(s, "format", json_string("email"));
		json_object_set_new(s, "maxLength", json_integer(f->max > 0 ? f->max : 254));
		break;
	case PORTAL_FIELD_URL:
		json_object_set_new(s, "type", json_string("string"));
		json_object_set_new(s, "format", json_string("uri"));
		json_object_set_new(s, "pattern", json_string("^https?://"));
		json_object_set_new(s, "maxLength", json_integer(f->max > 0 ? f->max : 2000));
		break;
	}
	if (json_object_get(s, "description") == NULL)
		json_object_set_new(s, "title", json_string(portal_field_label(f)));
	return s;
}

/* The fields as one object schema (a request body). */
static json_t *fields_object(portal_fields t)
{
	json_t *props = json_object(), *required = json_array();
	json_t *s = json_pack("{s:s, s:o}", "type", "object", "properties", props);
	size_t i;

	for (i = 0; i < t.n; i++) {
		json_object_set_new(props, t.fields[i].name, field_schema(&t.fields[i]));
		if (t.fields[i].required)
			json_array_append_new(required, json_string(t.fields[i].name));
	}
	if (json_array_size(required))
		json_object_set_new(s, "required", required);
	else
		json_decref(required);
	return s;
}

/* "/api/v1/beds/holds/{id}" -> its {name} segments as path parameters. */
static void path_parameters(const char *path, json_t *params)
{
	const char *p = path, *open, *close;

	while ((open = strchr(p, '{')) != NULL && (close = strchr(open, '}')) != NULL) {
		json_t *name = json_stringn(open + 1, (size_t)(close - open - 1));
		const char *n = json_string_value(name);
		json_t *schema = strcmp(n, "uuid") == 0
		        ? json_pack("{s:s, s:s}", "type", "string", "format", "uuid")
		        : json_pack("{s:s}", "type", "string");

		json_array_append_new(params, json_pack("{s:o, s:s, s:b, s:o}", "name", name, "in", "path",
		                                        "required", 1, "schema", schema));
		p = close + 1;
	}
}

/* Who may call a route, in words: "Signed-in First Responders and NGO staff". */
static void roles_words(unsigned roles, char *out, size_t len)
{
	static const char *const words[] = { "First Responders", "NGO staff", "trainers", "coordinators" };
	size_t i, n = 0, k = 0;

	if (roles == PORTAL_PUBLIC) {
		snprintf(out, len, "Anyone, signed in or not.");
		return;
	}
	if ((roles & PORTAL_ROLE_ANY) == PORTAL_ROLE_ANY) {
		snprintf(out, len, "Anyone signed in.");
		return;
	}
	for (i = 0; i < 4; i++)
		n += (roles >> i) & 1u;
	snprintf(out, len, "Signed-in ");
	for (i = 0; i < 4; i++) {
		if (!((roles >> i) & 1u))
			continue;
		k++;
		snprintf(out + strlen(out), len - strlen(out), "%s%s", words[i],
		         k == n ? "." : k == n - 1 ? " and " : ", ");
	}
}

/* One success answer "201 hold" / "200 text/csv" / "204" into out. */
static void success(const portal_app *app, const portal_route *r, const char *one, size_t len, json_t *out)
{
	char status[8], what[96], ref[256];
	json_t *ok;
	int n = 0;

	if (len >= sizeof(what) || sscanf(one, "%7[0-9]%n", status, &n) != 1)
		return;
	while ((size_t)n < len && one[n] == ' ')
		n++;
	memcpy(what, one + n, len - (size_t)n);
	what[len - (size_t)n] = '\0';
	ok = json_pack("{s:s}", "description", r->title ? r->title : "Done");
	if (len - (size_t)n > 5 && strcmp(what + strlen(what) - 5, ".json") == 0)  /* a project file */
		json_object_set_new(ok, "content", json_pack("{s:{s:{s:s}}}", "application/json", "schema", "$ref", what));
	else if (strncmp(what, "text/", 5) == 0 || strncmp(what, "application/", 12) == 0)  /* a media type */
		json_object_set_new(ok, "content", json_pack("{s:{s:{s:s}}}", what, "schema", "type", "string"));
	else if (what[0]) {
		snprintf(ref, sizeof(ref), "modules/%s/schemas/%s.json", app->name, what);
		json_object_set_new(ok, "content", json_pack("{s:{s:{s:s}}}", "application/json", "schema", "$ref", ref));
	}
	json_object_set_new(out, status, ok);
}

/* Each error answer of a write names the module's codes of its status:
 * "... error.code is one of: no_bed_available (There is no ...)". */
static void name_codes(const portal_app *app, json_t *out)
{
	const char *status;
	json_t *res;
	size_t i;

	if (app->codes == NULL)
		return;
	json_object_foreach(out, status, res) {
		portal_buf b;
		int n = 0;

		if (status[0] != '4')
			continue;
		portal_buf_init(&b, 0);
		portal_buf_puts(&b, json_string_value(json_object_get(res, "description")));
		for (i = 0; i < app->codes->n; i++) {
			const portal_error_code *c = &app->codes->table[i];
			char want[8];

			snprintf(want, sizeof(want), "%d", c->status);
			if (strcmp(want, status) != 0)
				continue;
			portal_buf_printf(&b, "%s%s (%s)", n++ ? "; " : ". error.code is one of: ", c->code, c->message);
		}
		if (n && b.data)
			json_object_set_new(res, "description", json_string(b.data));
		portal_buf_free(&b);
	}
}

/* The route's answers: its successes (r->answers, "200 service; 202 change")
 * and the errors it can give. */
static json_t *responses(const portal_app *app, const portal_route *r, int has_params)
{
	json_t *out = json_object();
	const char *p = r->answers ? r->answers : "200";
	int writes = strcmp(r->api.method, "GET") != 0;

	while (*p) {
		size_t len = strcspn(p, ";");

		success(app, r, p, len, out);
		p += len;
		while (*p == ';' || *p == ' ')
			p++;
	}
#define ERR(code, words) if (json_object_get(out, code) == NULL) json_object_set_new(out, code, json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", words, \
	        "content", "application/json", "schema", "$ref", ERROR_SCHEMA))
	ERR("400", "The request could not be read (its encoding or JSON)");
	if ((r->fields && r->fields->n) || writes)
		ERR("422", "A field is wrong: error.fields says what to fix in each");
	if (r->roles != PORTAL_PUBLIC || writes) {  /* a public write: the sign-in */
		ERR("401", "Not signed in, the session or token has expired, or the sign-in was refused");
		ERR("403", "This person may not do this, or the CSRF token is missing or the request came from another site");
	}
	if (has_params)
		ERR("404", "Nothing has that id");
	if (writes) {
		ERR("409", "The change cannot be made now: error.code says why");
		ERR("413", "The body is larger than this route takes");
		ERR("415", "The body is not JSON or a form");
	}
	ERR("429", "Too many requests: wait and try again");
	ERR("503", "The store cannot be reached: nothing was changed; try again");
#undef ERR
	if (writes)
		name_codes(app, out);
	return out;
}

/* One operation: the API side of route r. */
static json_t *operation(const portal_app *app, const portal_route *r)
{
	const char *method = r->api.method;
	json_t *op = json_object(), *params = json_array();
	char who[200];
	int is_get = strcmp(method, "GET") == 0 || strcmp(method, "DELETE") == 0;
	size_t i;

	roles_words(r->roles, who, sizeof(who));
	json_object_set_new(op, "tags", json_pack("[s]", app->name));
	json_object_set_new(op, "summary", json_string(r->title ? r->title : r->api.path));
	json_object_set_new(op, "description", json_string(who));
	json_object_set_new(op, "x-roles", json_array());
	for (i = 0; i < 4; i++)
		if ((r->roles >> i) & 1u)
			json_array_append_new(json_object_get(op, "x-roles"), json_string(portal_role_names[i]));
	path_parameters(r->api.path, params);
	if (is_get)
		for (i = 0; r->fields && i < r->fields->n; i++) {
			const portal_field *f = &r->fields->fields[i];

			json_array_append_new(params, json_pack("{s:s, s:s, s:b, s:o}", "name", f->name, "in", "query",
			                                        "required", f->required, "schema", field_schema(f)));
		}
	else if (r->fields && r->fields->n)
		json_object_set_new(op, "requestBody", json_pack("{s:b, s:{s:{s:o}}}", "required", 1, "content",
		                    "application/json", "schema", fields_object(*r->fields)));
	json_object_set_new(op, "responses", responses(app, r, strchr(r->api.path, '{') != NULL));
	if (json_array_size(params))
		json_object_set_new(op, "parameters", params);
	else
		json_decref(params);
	if (r->roles == PORTAL_PUBLIC)
		json_object_set_new(op, "security", json_array());
	else if (is_get)
		json_object_set_new(op, "security", json_pack("[{s:[]}, {s:[]}]", "session", "bearer"));
	else
		json_object_set_new(op, "security", json_pack("[{s:[], s:[]}, {s:[]}]", "session", "csrf", "bearer"));
	return op;
}

json_t *portal_openapi_part(const portal_app *app)
{
	json_t *paths = json_object();
	char method[8];
	size_t i, k;

	for (i = 0; i < app->nroutes; i++) {
		const portal_route *r = &app->routes[i];
		json_t *item;

		if (r->api.method == NULL || r->api.path == NULL)
			continue;
		if ((item = json_object_get(paths, r->api.path)) == NULL)
			json_object_set_new(paths, r->api.path, item = json_object());
		for (k = 0; r->api.method[k] && k < sizeof(method) - 1; k++)
			method[k] = (char)(r->api.method[k] | 0x20);  /* "GET" -> "get" */
		method[k] = '\0';
		json_object_set_new(item, method, operation(app, r));
	}
	return json_pack("{s:s, s:o}", "module", app->name, "paths", paths);
}
