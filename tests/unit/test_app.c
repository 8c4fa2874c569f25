/* test_app.c - request dispatch without a socket: routing, limits, content
 * types, error shapes, HTML vs JSON answers. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "response.h"
#include "router.h"

/* The templates this test program "compiles in". */
#define T(name, text) { name, text, sizeof(text) - 1 }
const portal_template_source portal_embedded_templates[] = {
	T("layout", "<title>{{page.title}}</title><main>{{{page.content}}}</main>{{#page.demo}}DEMO{{/page.demo}}"),
	T("error", "<h1>{{title}}</h1><p>{{error.message}}</p>{{#error.reference}}<p>ref {{error.reference}}</p>{{/error.reference}}"),
	T("echo", "<p>name={{body.name}}</p>"),
};
const size_t portal_embedded_templates_count = 3;

/* ---- a fake FastCGI request ---------------------------------------------- */
typedef struct fake {
	const char *params[32][2];
	const char *body;
	size_t      body_len, body_pos;
} fake;

static const char *fake_param(void *io, const char *name)
{
	fake *f = io;
	int i;
	for (i = 0; i < 32 && f->params[i][0]; i++)
		if (strcmp(f->params[i][0], name) == 0)
			return f->params[i][1];
	return NULL;
}

static long fake_read(void *io, char *buf, size_t len)
{
	fake *f = io;
	size_t n = f->body_len - f->body_pos;
	if (n > len)
		n = len;
	memcpy(buf, f->body + f->body_pos, n);
	f->body_pos += n;
	return (long)n;
}

/* ---- a tiny app -------------------------------------------------------- */
static void h_echo(portal_ctx *ctx)
{
	json_t *out = json_pack("{s:O, s:O, s:O}", "body", ctx->req.body,
	                        "query", ctx->req.query, "params", ctx->req.params);
	portal_reply(ctx, 200, out);
}

static void h_boom(portal_ctx *ctx)
{
	portal_reply_internal_error(ctx, "redis said: ERR secret detail");
}

static void h_silent(portal_ctx *ctx)
{
	(void)ctx;
}

/* Which side answered: JSON {"api":true} under /api/, the echo page else. */
static void h_side(portal_ctx *ctx)
{
	portal_reply(ctx, 200, json_pack("{s:b, s:O}", "api", ctx->req.is_api, "params", ctx->req.params));
}

/* The handler helpers of request.c and response.c. */
static int lower_word(const char *s)
{
	return s[0] && strspn(s, "abcdefghijklmnopqrstuvwxyz") == strlen(s);
}

static void h_number(portal_ctx *ctx)
{
	long long n = 0;
	const char *s = portal_path_number(ctx, "id", 999, "thing", &n);

	if (s)
		portal_reply(ctx, 200, json_pack("{s:s, s:I}", "text", s, "n", (json_int_t)n));
}

static void h_word(portal_ctx *ctx)
{
	const char *s = portal_path_param(ctx, "id", lower_word, "word");

	if (s)
		portal_reply(ctx, 200, json_pack("{s:s}", "text", s));
}

static void h_load(portal_ctx *ctx)
{
	const char *rc = json_string_value(json_object_get(ctx->req.params, "rc"));

	if (portal_reply_unless_found(ctx, strcmp(rc, "found") == 0 ? 1 : strcmp(rc, "missing") == 0 ? 0 : -1,
	                              "safehouse") == 0)
		portal_reply(ctx, 200, json_pack("{s:b}", "loaded", 1));
}

static void h_done(portal_ctx *ctx)
{
	const char *kind = json_string_value(json_object_get(ctx->req.params, "kind"));

	if (strcmp(kind, "named") == 0)
		portal_reply_done(ctx, 201, "thing", json_pack("{s:i}", "id", 7), "/things/%d?added=%d", 7, 1);
	else if (strcmp(kind, "bare") == 0)
		portal_reply_done(ctx, 202, NULL, json_pack("{s:i}", "id", 8), "/things");
	else if (strcmp(kind, "max") == 0)
		portal_reply_done(ctx, 200, NULL, NULL, "/%0511d", 1);  /* PORTAL_LOCAL_PATH_MAX long */
	else if (strcmp(kind, "long") == 0)
		portal_reply_done(ctx, 200, NULL, NULL, "/things/%01100d", 1);
	else
		portal_reply_done(ctx, 200, NULL, NULL, "/things/%s", kind);
}

static void h_redirect(portal_ctx *ctx)
{
	portal_reply_redirect(ctx, "//evil.example/");
}

static const portal_route routes[] = {
	{ PORTAL_NONE, { "GET", "/api/v1/things/{id}" }, h_echo, PORTAL_PUBLIC, NULL, NULL, 0, NULL, NULL },
	{ PORTAL_NONE, { "POST", "/api/v1/things" }, h_echo, PORTAL_PUBLIC, NULL, NULL, 0, NULL, NULL },
	{ PORTAL_NONE, { "POST", "/api/v1/small" }, h_echo, PORTAL_PUBLIC, NULL, NULL, 100, NULL, NULL },
	{ PORTAL_NONE, { "GET", "/api/v1/boom" }, h_boom, PORTAL_PUBLIC, NULL, NULL, 0, NULL, NULL },
	{ PORTAL_NONE, { "GET", "/api/v1/silent" }, h_silent, PORTAL_PUBLIC, NULL, NULL, 0, NULL, NULL },
	{ PORTAL_NONE, { "GET", "/api/v1/private" }, h_echo, PORTAL_ROLE_COORDINATOR, NULL, NULL, 0, NULL, NULL },
	{ { "POST", "/things" }, PORTAL_NONE, h_echo, PORTAL_PUBLIC, "echo", "Things", 0, NULL, NULL },
	{ { "GET", "/boom" }, PORTAL_NONE, h_boom, PORTAL_PUBLIC, NULL, NULL, 0, NULL, NULL },
	{ { "POST", "/go" }, PORTAL_NONE, h_redirect, PORTAL_PUBLIC, NULL, NULL, 0, NULL, NULL },
	/* one handler, page and API on one line, with different methods */
	{ { "GET", "/widgets/{id}" }, { "GET", "/api/v1/widgets/{id}" }, h_side, PORTAL_PUBLIC, "echo", "Widget", 0, NULL, NULL },
	{ { "POST", "/widgets/{id}/edit" }, { "PUT", "/api/v1/widgets/{id}" }, h_side, PORTAL_PUBLIC, "echo", "Widget", 0, NULL, NULL },
	{ { "DELETE", "/widgets/{id}" }, PORTAL_NONE, h_side, PORTAL_PUBLIC, "echo", "Widget", 0, NULL, NULL },
	{ PORTAL_NONE, { "GET", "/api/v1/number/{id}" }, h_number, PORTAL_PUBLIC, NULL, NULL, 0, NULL, NULL },
	{ PORTAL_NONE, { "GET", "/api/v1/word/{id}" }, h_word, PORTAL_PUBLIC, NULL, NULL, 0, NULL, NULL },
	{ PORTAL_NONE, { "GET", "/api/v1/load/{rc}" }, h_load, PORTAL_PUBLIC, NULL, NULL, 0, NULL, NULL },
	{ { "POST", "/done/{kind}" }, { "POST", "/api/v1/done/{kind}" }, h_done, PORTAL_PUBLIC, "echo", NULL, 0, NULL, NULL },
};
static const portal_app app = { .name = "test", .routes = routes, .nroutes = sizeof(routes) / sizeof(routes[0]) };

static portal_config cfg;
static portal_templates *tpl;
static portal_response res;

static void setup(void)
{
	char err[200];
	setenv("PORTAL_ENV", "development", 1);
	setenv("PORTAL_DEMO", "1", 1);
	ck_assert_int_eq(portal_config_load(&cfg, "test", err, sizeof(err)), 0);
	tpl = portal_templates_load_embedded();
	ck_assert_ptr_nonnull(tpl);
	portal_response_init(&res);
}

static void teardown(void)
{
	portal_response_free(&res);
	portal_templates_free(tpl);
}

/* Dispatch method+uri(+query) with an optional body and content type. */
static void run(const char *method, const char *uri, const char *qs,
                const char *ctype, const char *body)
{
	static char cl[32];
	fake f;
	portal_thread th = { .app = &app, .config = &cfg, .templates = tpl };
	portal_raw_request raw = { fake_param, fake_read, &f };
	int i = 0;

	memset(&f, 0, sizeof(f));
	f.params[i][0] = "REQUEST_METHOD"; f.params[i++][1] = method;
	f.params[i][0] = "DOCUMENT_URI"; f.params[i++][1] = uri;
	if (qs) { f.params[i][0] = "QUERY_STRING"; f.params[i++][1] = qs; }
	if (ctype) { f.params[i][0] = "CONTENT_TYPE"; f.params[i++][1] = ctype; }
	if (body) {
		f.body = body;
		f.body_len = strlen(body);
		snprintf(cl, sizeof(cl), "%zu", f.body_len);
		f.params[i][0] = "CONTENT_LENGTH"; f.params[i++][1] = cl;
	}
	portal_buf_reset(&res.headers);
	portal_buf_reset(&res.body);
	portal_dispatch(&th, &raw, &res);
}

static json_t *body_json(void)
{
	json_t *v = json_loadb(res.body.data ? res.body.data : "", res.body.len, 0, NULL);
	ck_assert_msg(v != NULL, "body is not JSON: %s", res.body.data ? res.body.data : "");
	return v;
}

static const char *error_code(json_t *v)
{
	return json_string_value(json_object_get(json_object_get(v, "error"), "code"));
}

/* PORTAL_HOUSEKEEPING_MAX_SECONDS: 3600 unless set; 1..3600; 0 or junk
 * refused with the setting's name. */
START_TEST(housekeeping_max_is_read_and_checked)
{
	portal_config c;
	char err[200];

	ck_assert_int_eq(cfg.housekeeping_max, 3600);
	setenv("PORTAL_HOUSEKEEPING_MAX_SECONDS", "2", 1);
	ck_assert_int_eq(portal_config_load(&c, "test", err, sizeof(err)), 0);
	ck_assert_int_eq(c.housekeeping_max, 2);
	setenv("PORTAL_HOUSEKEEPING_MAX_SECONDS", "0", 1);
	ck_assert_int_eq(portal_config_load(&c, "test", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "PORTAL_HOUSEKEEPING_MAX_SECONDS"));
	unsetenv("PORTAL_HOUSEKEEPING_MAX_SECONDS");
}
END_TEST

START_TEST(path_parameter_reaches_handler)
{
	json_t *v;
	run("GET", "/api/v1/things/abc-123", "x=1", NULL, NULL);
	ck_assert_int_eq(res.status, 200);
	v = body_json();
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(v, "params"), "id")), "abc-123");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(v, "query"), "x")), "1");
	json_decref(v);
}
END_TEST

START_TEST(unknown_path_is_404_json_error)
{
	json_t *v;
	run("GET", "/api/v1/nothing", NULL, NULL, NULL);
	ck_assert_int_eq(res.status, 404);
	v = body_json();
	ck_assert_str_eq(error_code(v), "not_found");
	json_decref(v);
}
END_TEST

START_TEST(wrong_method_is_405_with_allow)
{
	run("PUT", "/api/v1/things/1", NULL, NULL, NULL);
	ck_assert_int_eq(res.status, 405);
	ck_assert_ptr_nonnull(strstr(res.headers.data, "Allow: GET, HEAD\r\n"));
}
END_TEST

START_TEST(head_is_answered_like_get_without_body)
{
	run("HEAD", "/api/v1/things/1", NULL, NULL, NULL);
	ck_assert_int_eq(res.status, 200);
	ck_assert_uint_eq(res.body.len, 0);
}
END_TEST

START_TEST(form_and_json_bodies_read_the_same)
{
	json_t *a, *b;
	run("POST", "/api/v1/things", NULL, "application/x-www-form-urlencoded", "name=Caf%C3%A9&n=2");
	ck_assert_int_eq(res.status, 200);
	a = body_json();
	run("POST", "/api/v1/things", NULL, "application/json; charset=utf-8", "{\"name\":\"Caf\\u00e9\",\"n\":\"2\"}");
	ck_assert_int_eq(res.status, 200);
	b = body_json();
	ck_assert(json_equal(json_object_get(a, "body"), json_object_get(b, "body")));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(a, "body"), "name")), "Café");
	json_decref(a);
	json_decref(b);
}
END_TEST

START_TEST(body_over_route_limit_is_413)
{
	char big[200];
	json_t *v;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "x=", 2);
	run("POST", "/api/v1/small", NULL, "application/x-www-form-urlencoded", big);
	ck_assert_int_eq(res.status, 413);
	v = body_json();
	ck_assert_str_eq(error_code(v), "too_large");
	json_decref(v);
}
END_TEST

START_TEST(body_over_default_limit_is_413)
{
	size_t n = 100 * 1024;
	char *big = malloc(n + 1);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	big[n] = '\0';
	run("POST", "/api/v1/things", NULL, "application/json", big);
	ck_assert_int_eq(res.status, 413);
	free(big);
}
END_TEST

START_TEST(other_content_type_is_415)
{
	run("POST", "/api/v1/things", NULL, "text/plain", "hello");
	ck_assert_int_eq(res.status, 415);
	run("POST", "/api/v1/things", NULL, "multipart/form-data; boundary=x", "--x--");
	ck_assert_int_eq(res.status, 415);
}
END_TEST

START_TEST(invalid_utf8_in_query_is_400)
{
	json_t *v;
	run("GET", "/api/v1/things/1", "name=%FF%FE", NULL, NULL);
	ck_assert_int_eq(res.status, 400);
	v = body_json();
	ck_assert_str_eq(error_code(v), "invalid_encoding");
	json_decref(v);
}
END_TEST

START_TEST(nul_in_form_value_is_400)
{
	run("POST", "/api/v1/things", NULL, "application/x-www-form-urlencoded", "name=a%00b");
	ck_assert_int_eq(res.status, 400);
}
END_TEST

START_TEST(malformed_json_is_400_invalid_json)
{
	json_t *v;
	run("POST", "/api/v1/things", NULL, "application/json", "{\"a\":");
	ck_assert_int_eq(res.status, 400);
	v = body_json();
	ck_assert_str_eq(error_code(v), "invalid_json");
	json_decref(v);
}
END_TEST

START_TEST(internal_error_hides_cause_and_gives_reference)
{
	json_t *v;
	run("GET", "/api/v1/boom", NULL, NULL, NULL);
	ck_assert_int_eq(res.status, 500);
	ck_assert_ptr_null(strstr(res.body.data, "secret"));
	v = body_json();
	ck_assert_str_eq(error_code(v), "internal_error");
	ck_assert_uint_eq(strlen(json_string_value(json_object_get(json_object_get(v, "error"), "reference"))), 12);
	json_decref(v);
}
END_TEST

START_TEST(html_error_page_uses_layout_and_reference)
{
	run("GET", "/boom", NULL, NULL, NULL);
	ck_assert_int_eq(res.status, 500);
	ck_assert_ptr_nonnull(strstr(res.content_type, "text/html"));
	ck_assert_ptr_nonnull(strstr(res.body.data, "<main><h1>Sorry, there is a problem with the service</h1>"));
	ck_assert_ptr_nonnull(strstr(res.body.data, "<p>ref "));
	ck_assert_ptr_null(strstr(res.body.data, "secret"));
}
END_TEST

START_TEST(handler_without_answer_is_500)
{
	run("GET", "/api/v1/silent", NULL, NULL, NULL);
	ck_assert_int_eq(res.status, 500);
}
END_TEST

START_TEST(role_route_without_user_is_401)
{
	json_t *v;
	run("GET", "/api/v1/private", NULL, NULL, NULL);
	ck_assert_int_eq(res.status, 401);
	v = body_json();
	ck_assert_str_eq(error_code(v), "not_signed_in");
	json_decref(v);
}
END_TEST

START_TEST(page_renders_template_in_layout_with_demo_banner)
{
	run("POST", "/things", NULL, "application/x-www-form-urlencoded", "name=%3Cb%3E");
	ck_assert_int_eq(res.status, 200);
	ck_assert_str_eq(res.body.data, "<title>Things</title><main><p>name=&lt;b&gt;</p></main>DEMO");
}
END_TEST

START_TEST(redirect_stays_within_the_portal)
{
	run("POST", "/go", NULL, NULL, NULL);
	ck_assert_int_eq(res.status, 303);
	ck_assert_ptr_nonnull(strstr(res.headers.data, "Location: /\r\n"));
}
END_TEST

START_TEST(every_answer_is_no_store_with_request_id)
{
	run("GET", "/api/v1/things/1", NULL, NULL, NULL);
	ck_assert_ptr_nonnull(strstr(res.headers.data, "Cache-Control: no-store\r\n"));
	ck_assert_ptr_nonnull(strstr(res.headers.data, "X-Request-Id: "));
}
END_TEST

START_TEST(missing_method_is_400)
{
	fake f;
	portal_thread th = { .app = &app, .config = &cfg, .templates = tpl };
	portal_raw_request raw = { fake_param, fake_read, &f };
	memset(&f, 0, sizeof(f));
	portal_dispatch(&th, &raw, &res);
	ck_assert_int_eq(res.status, 400);
}
END_TEST

START_TEST(router_matches_first_route_and_rejects_empty_segment)
{
	json_t *params = json_object();
	char allow[64];
	int status = 0, is_api = -1;
	ck_assert_ptr_null(portal_route_match(&app, "GET", "/api/v1/things/", params, &is_api, &status, allow, sizeof(allow)));
	ck_assert_int_eq(status, 404);
	ck_assert_ptr_null(portal_route_match(&app, "GET", "/api/v1/things/a/b", params, &is_api, &status, allow, sizeof(allow)));
	ck_assert_int_eq(status, 404);
	ck_assert_ptr_nonnull(portal_route_match(&app, "GET", "/api/v1/things/a", params, &is_api, &status, allow, sizeof(allow)));
	ck_assert_int_eq(is_api, 1);
	json_decref(params);
}
END_TEST

START_TEST(one_route_answers_its_page_as_html_and_its_api_as_json)
{
	json_t *v;

	run("GET", "/api/v1/widgets/7", NULL, NULL, NULL);
	ck_assert_int_eq(res.status, 200);
	v = body_json();
	ck_assert(json_is_true(json_object_get(v, "api")));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(v, "params"), "id")), "7");
	json_decref(v);
	run("GET", "/widgets/7", NULL, NULL, NULL);
	ck_assert_int_eq(res.status, 200);
	ck_assert_ptr_nonnull(strstr(res.body.data, "<title>Widget</title>"));
	run("PUT", "/api/v1/widgets/7", NULL, "application/json", "{}");
	ck_assert_int_eq(res.status, 200);
	v = body_json();
	ck_assert(json_is_true(json_object_get(v, "api")));
	json_decref(v);
	run("POST", "/widgets/7/edit", NULL, "application/x-www-form-urlencoded", "a=1");
	ck_assert_int_eq(res.status, 200);
	ck_assert_ptr_nonnull(strstr(res.content_type, "text/html"));
}
END_TEST

START_TEST(the_matched_side_not_the_other_sides_method_answers)
{
	/* the page side's method is POST: a PUT on the page path is not the API's */
	run("PUT", "/widgets/7/edit", NULL, "application/json", "{}");
	ck_assert_int_eq(res.status, 405);
	ck_assert_ptr_nonnull(strstr(res.headers.data, "Allow: POST\r\n"));
	/* and the API side's is PUT: a POST there is refused */
	run("POST", "/api/v1/widgets/7", NULL, "application/json", "{}");
	ck_assert_int_eq(res.status, 405);
	ck_assert_ptr_nonnull(strstr(res.headers.data, "Allow: GET, HEAD, PUT\r\n"));
}
END_TEST

START_TEST(allow_lists_every_method_of_the_path_across_routes)
{
	run("PATCH", "/widgets/7", NULL, "application/json", "{}");
	ck_assert_int_eq(res.status, 405);
	ck_assert_ptr_nonnull(strstr(res.headers.data, "Allow: GET, HEAD, DELETE\r\n"));
}
END_TEST

START_TEST(route_table_check_finds_what_is_wrong)
{
	static const portal_route api_outside[] = {
		{ PORTAL_NONE, { "GET", "/things" }, h_echo, PORTAL_PUBLIC, NULL, NULL, 0, NULL, NULL },
	};
	static const portal_route page_inside[] = {
		{ { "GET", "/api/v1/things" }, PORTAL_NONE, h_echo, PORTAL_PUBLIC, NULL, NULL, 0, NULL, NULL },
	};
	static const portal_route no_side[] = {
		{ PORTAL_NONE, PORTAL_NONE, h_echo, PORTAL_PUBLIC, NULL, NULL, 0, NULL, NULL },
	};
	static const portal_route half_side[] = {
		{ { "GET", NULL }, PORTAL_NONE, h_echo, PORTAL_PUBLIC, NULL, NULL, 0, NULL, NULL },
	};
	static const portal_route odd_method[] = {
		{ { "get", "/things" }, PORTAL_NONE, h_echo, PORTAL_PUBLIC, NULL, NULL, 0, NULL, NULL },
	};
	static const portal_route no_handler[] = {
		{ { "GET", "/things" }, PORTAL_NONE, NULL, PORTAL_PUBLIC, NULL, NULL, 0, NULL, NULL },
	};
	const struct { const portal_route *r; const char *says; } bad[] = {
		{ api_outside, "API path outside /api/" }, { page_inside, "page path under /api/" },
		{ no_side, "neither a page nor an API" }, { half_side, "a method without a path" },
		{ odd_method, "other than GET" }, { no_handler, "no handler" },
	};
	char err[200];
	size_t i;

	ck_assert_int_eq(portal_routes_check(&app, err, sizeof(err)), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		portal_app one = { .name = "bad", .routes = bad[i].r, .nroutes = 1 };
		err[0] = '\0';
		ck_assert_int_eq(portal_routes_check(&one, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, bad[i].says) != NULL, "%s: %s", bad[i].says, err);
	}
}
END_TEST

/* The last answer is JSON error `code` at `status`, its message holding `says`. */
static void ck_error(int status, const char *code, const char *says)
{
	json_t *v = body_json();
	const char *msg = json_string_value(json_object_get(json_object_get(v, "error"), "message"));

	ck_assert_int_eq(res.status, status);
	ck_assert_str_eq(error_code(v), code);
	ck_assert_msg(msg && strstr(msg, says), "message %s lacks %s", msg ? msg : "(none)", says);
	json_decref(v);
}

START_TEST(path_number_takes_digits_in_range_and_404s_the_rest)
{
	static const char *const bad[] = { "0", "007", "1000", "-5", "+5", "5x", " 5", "99999999999999999999" };
	json_t *v;
	size_t i;

	run("GET", "/api/v1/number/42", NULL, NULL, NULL);
	ck_assert_int_eq(res.status, 200);
	v = body_json();
	ck_assert_str_eq(json_string_value(json_object_get(v, "text")), "42");
	ck_assert_int_eq(json_integer_value(json_object_get(v, "n")), 42);
	json_decref(v);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char uri[64];
		snprintf(uri, sizeof(uri), "/api/v1/number/%s", bad[i]);
		run("GET", uri, NULL, NULL, NULL);
		ck_error(404, "not_found", "There is no thing at this address");
	}
}
END_TEST

START_TEST(path_param_answers_404_when_the_check_refuses)
{
	run("GET", "/api/v1/word/abc", NULL, NULL, NULL);
	ck_assert_int_eq(res.status, 200);
	run("GET", "/api/v1/word/ABC", NULL, NULL, NULL);
	ck_error(404, "not_found", "no word");
}
END_TEST

START_TEST(unless_found_answers_404_or_503_or_lets_the_handler_go_on)
{
	run("GET", "/api/v1/load/found", NULL, NULL, NULL);
	ck_assert_int_eq(res.status, 200);
	run("GET", "/api/v1/load/missing", NULL, NULL, NULL);
	ck_error(404, "not_found", "no safehouse");
	run("GET", "/api/v1/load/broken", NULL, NULL, NULL);
	ck_error(503, "store_unavailable", "");
}
END_TEST

START_TEST(reply_done_is_json_under_api_and_a_redirect_on_a_page)
{
	json_t *v;

	run("POST", "/api/v1/done/named", NULL, "application/json", "{}");
	ck_assert_int_eq(res.status, 201);
	v = body_json();
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(v, "thing"), "id")), 7);
	json_decref(v);
	run("POST", "/api/v1/done/bare", NULL, "application/json", "{}");
	ck_assert_int_eq(res.status, 202);
	v = body_json();
	ck_assert_int_eq(json_integer_value(json_object_get(v, "id")), 8);
	json_decref(v);
	run("POST", "/api/v1/done/nothing", NULL, "application/json", "{}");
	ck_assert_int_eq(res.status, 204);
	ck_assert_uint_eq(res.body.len, 0);
	run("POST", "/done/named", NULL, "application/x-www-form-urlencoded", "a=1");
	ck_assert_int_eq(res.status, 303);
	ck_assert_ptr_nonnull(strstr(res.headers.data, "Location: /things/7?added=1\r\n"));
	run("POST", "/done/nothing", NULL, "application/x-www-form-urlencoded", "a=1");
	ck_assert_int_eq(res.status, 303);
	ck_assert_ptr_nonnull(strstr(res.headers.data, "Location: /things/nothing\r\n"));
	/* the longest "next" a page may go to is kept whole */
	run("POST", "/done/max", NULL, "application/x-www-form-urlencoded", "a=1");
	ck_assert_int_eq(res.status, 303);
	ck_assert_ptr_nonnull(strstr(res.headers.data, "Location: /0000000000"));
	ck_assert_ptr_nonnull(strstr(res.headers.data, "00001\r\n"));
	/* a location too long to keep whole goes to the start page, not a cut path */
	run("POST", "/done/long", NULL, "application/x-www-form-urlencoded", "a=1");
	ck_assert_int_eq(res.status, 303);
	ck_assert_ptr_nonnull(strstr(res.headers.data, "Location: /\r\n"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("app");
	TCase *tc = tcase_create("dispatch");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, path_parameter_reaches_handler);
	tcase_add_test(tc, unknown_path_is_404_json_error);
	tcase_add_test(tc, wrong_method_is_405_with_allow);
	tcase_add_test(tc, one_route_answers_its_page_as_html_and_its_api_as_json);
	tcase_add_test(tc, the_matched_side_not_the_other_sides_method_answers);
	tcase_add_test(tc, allow_lists_every_method_of_the_path_across_routes);
	tcase_add_test(tc, route_table_check_finds_what_is_wrong);
	tcase_add_test(tc, path_number_takes_digits_in_range_and_404s_the_rest);
	tcase_add_test(tc, path_param_answers_404_when_the_check_refuses);
	tcase_add_test(tc, unless_found_answers_404_or_503_or_lets_the_handler_go_on);
	tcase_add_test(tc, reply_done_is_json_under_api_and_a_redirect_on_a_page);
	tcase_add_test(tc, head_is_answered_like_get_without_body);
	tcase_add_test(tc, form_and_json_bodies_read_the_same);
	tcase_add_test(tc, body_over_route_limit_is_413);
	tcase_add_test(tc, body_over_default_limit_is_413);
	tcase_add_test(tc, other_content_type_is_415);
	tcase_add_test(tc, invalid_utf8_in_query_is_400);
	tcase_add_test(tc, nul_in_form_value_is_400);
	tcase_add_test(tc, malformed_json_is_400_invalid_json);
	tcase_add_test(tc, internal_error_hides_cause_and_gives_reference);
	tcase_add_test(tc, html_error_page_uses_layout_and_reference);
	tcase_add_test(tc, handler_without_answer_is_500);
	tcase_add_test(tc, role_route_without_user_is_401);
	tcase_add_test(tc, page_renders_template_in_layout_with_demo_banner);
	tcase_add_test(tc, redirect_stays_within_the_portal);
	tcase_add_test(tc, every_answer_is_no_store_with_request_id);
	tcase_add_test(tc, missing_method_is_400);
	tcase_add_test(tc, housekeeping_max_is_read_and_checked);
	tcase_add_test(tc, router_matches_first_route_and_rejects_empty_segment);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
