/* test_openapi.c - a module's part of the API description (common/openapi.c)
 * comes from its route and field tables: a field's limit, choices and
 * required flag, the route's answers and roles, the path's parameters; a
 * page-only route is left out. */
#include "openapi.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static void h(portal_ctx *ctx) { (void)ctx; }

static const char *const colours[] = { "red", "blue", NULL };
static const portal_field thing_table[] = {
	{ .name = "title", .type = PORTAL_FIELD_STRING, .required = 1, .min = 1, .max = 120, .label = "Title" },
	{ .name = "count", .type = PORTAL_FIELD_INT, .min = 1, .max = 500, .label = "Count" },
	{ .name = "colour", .type = PORTAL_FIELD_ENUM, .choices = colours, .label = "Colour" },
	{ .name = "site", .type = PORTAL_FIELD_URL, .label = "Web address" },
};
static const portal_fields thing_fields = PORTAL_FIELDS_INIT(thing_table);

static const portal_route routes[] = {
	{ { "GET", "/things/new" }, PORTAL_NONE, h, PORTAL_ROLE_NGO, "form", "Add a thing", 0, NULL, NULL },
	{ { "POST", "/things" }, { "POST", "/api/v1/things" }, h, PORTAL_ROLE_NGO | PORTAL_ROLE_COORDINATOR,
	  "form", "Add a thing", 0, "201 thing", &thing_fields },
	{ PORTAL_NONE, { "GET", "/api/v1/things/{id}" }, h, PORTAL_PUBLIC, NULL, "A thing", 0, "200 thing", NULL },
	{ PORTAL_NONE, { "GET", "/api/v1/things/{id}/sheet.csv" }, h, PORTAL_ROLE_ANY, NULL, "A sheet", 0, "200 text/csv", NULL },
};
static const portal_app app = { .name = "things", .routes = routes, .nroutes = 4 };

static json_t *op(json_t *part, const char *path, const char *method)
{
	return json_object_get(json_object_get(json_object_get(part, "paths"), path), method);
}

START_TEST(fields_come_from_the_table)
{
	json_t *part = portal_openapi_part(&app);
	json_t *body = json_object_get(json_object_get(json_object_get(json_object_get(
	        op(part, "/api/v1/things", "post"), "requestBody"), "content"), "application/json"), "schema");
	json_t *props = json_object_get(body, "properties");

	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(props, "title"), "maxLength")), 120);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(props, "count"), "maximum")), 500);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(props, "colour"), "enum"), 1)), "blue");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(props, "site"), "format")), "uri");
	ck_assert_int_eq(json_array_size(json_object_get(body, "required")), 1);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(body, "required"), 0)), "title");
	json_decref(part);
}
END_TEST

START_TEST(answers_roles_and_parameters)
{
	json_t *part = portal_openapi_part(&app);
	json_t *post = op(part, "/api/v1/things", "post"), *get = op(part, "/api/v1/things/{id}", "get");
	json_t *csv = op(part, "/api/v1/things/{id}/sheet.csv", "get");

	ck_assert_ptr_null(json_object_get(json_object_get(part, "paths"), "/things/new"));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(json_object_get(json_object_get(
	        json_object_get(post, "responses"), "201"), "content"), "application/json"), "schema"), "$ref")),
	        "modules/things/schemas/thing.json");
	ck_assert_str_eq(json_string_value(json_object_get(post, "description")), "Signed-in NGO staff and coordinators.");
	ck_assert_ptr_nonnull(json_object_get(json_object_get(post, "responses"), "422"));
	ck_assert_ptr_nonnull(json_object_get(json_object_get(post, "responses"), "401"));
	ck_assert_int_eq(json_array_size(json_object_get(get, "security")), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(get, "parameters"), 0), "name")), "id");
	ck_assert_ptr_nonnull(json_object_get(json_object_get(json_object_get(json_object_get(csv, "responses"), "200"),
	                                                      "content"), "text/csv"));
	ck_assert_str_eq(json_string_value(json_object_get(get, "summary")), "A thing");
	json_decref(part);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("openapi");
	TCase *tc = tcase_create("part");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, fields_come_from_the_table);
	tcase_add_test(tc, answers_roles_and_parameters);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
