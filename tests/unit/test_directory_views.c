/* test_directory_views.c - the search answer joined from the search
 * script's fragments (views.c, directory_search_text): each public view
 * gets its verification_due flag, the facet counts go in as they came, page
 * and per_page close it; an answer of another shape is refused. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../fuzz/directory_sources.h"
#include "../../modules/directory/views.c"

/* A script answer {"ok", name, value, ...} from the NULL-terminated texts. */
static void fake_result(portal_run_result *res, redisReply *reply, redisReply *el, redisReply **els,
                        const char *const *texts)
{
	size_t n = 0;

	for (; texts[n]; n++) {
		el[n].type = REDIS_REPLY_STRING;
		el[n].str = (char *)texts[n];
		el[n].len = strlen(texts[n]);
		els[n] = &el[n];
	}
	memset(reply, 0, sizeof(*reply));
	reply->type = REDIS_REPLY_ARRAY;
	reply->elements = n;
	reply->element = els;
	memset(res, 0, sizeof(*res));
	res->rc = PORTAL_RUN_OK;
	res->status = texts[0];
	res->npairs = (n - 1) / 2;
	res->reply = reply;
}

/* directory_search_text of `texts` with page 2 of 20: its rc, *out set. */
static int joined(const char *const *texts, char **out)
{
	redisReply reply, el[16], *els[16];
	portal_run_result res;
	portal_buf b;
	int rc;

	fake_result(&res, &reply, el, els, texts);
	portal_buf_init(&b, 0);
	rc = directory_search_text(&res, 2, 20, &b);
	*out = rc == 0 ? portal_buf_steal(&b) : NULL;
	portal_buf_free(&b);
	return rc;
}

START_TEST(views_get_their_flag_and_the_answer_its_counts_and_page)
{
	static const char *const texts[] = { "ok", "total", "23", "facets", "{\"language\":{\"sq\":2}}", "cached", "1",
		"service", "{\"id\":\"a\",\"name\":\"A\"}", "due", "1",
		"service", "{\"id\":\"b\"}", "due", "0", NULL };
	char *text;
	json_t *v;

	ck_assert_int_eq(joined(texts, &text), 0);
	ck_assert_str_eq(text, "{\"items\":[{\"verification_due\":true,\"id\":\"a\",\"name\":\"A\"},"
	                       "{\"verification_due\":false,\"id\":\"b\"}],\"total\":23,"
	                       "\"facets\":{\"language\":{\"sq\":2}},\"page\":2,\"per_page\":20}");
	v = json_loads(text, 0, NULL);
	ck_assert_ptr_nonnull(v);
	json_decref(v);
	free(text);
}
END_TEST

START_TEST(no_services_is_an_empty_list)
{
	static const char *const texts[] = { "ok", "total", "0", "facets", "{}", "cached", "0", NULL };
	char *text;

	ck_assert_int_eq(joined(texts, &text), 0);
	ck_assert_str_eq(text, "{\"items\":[],\"total\":0,\"facets\":{},\"page\":2,\"per_page\":20}");
	free(text);
}
END_TEST

START_TEST(an_answer_of_another_shape_is_refused)
{
	static const char *const no_total[] = { "ok", "facets", "{}", NULL };
	static const char *const bad_total[] = { "ok", "total", "1,2", "facets", "{}", NULL };
	static const char *const empty_total[] = { "ok", "total", "", "facets", "{}", NULL };
	static const char *const bad_facets[] = { "ok", "total", "1", "facets", "[]", NULL };
	static const char *const not_object[] = { "ok", "total", "1", "facets", "{}", "service", "[1]", "due", "0", NULL };
	char *text;

	ck_assert_int_eq(joined(no_total, &text), -1);
	ck_assert_int_eq(joined(bad_total, &text), -1);
	ck_assert_int_eq(joined(empty_total, &text), -1);
	ck_assert_int_eq(joined(bad_facets, &text), -1);
	/* a view that is not an object is left out, not joined broken */
	ck_assert_int_eq(joined(not_object, &text), 0);
	ck_assert_str_eq(text, "{\"items\":[],\"total\":1,\"facets\":{},\"page\":2,\"per_page\":20}");
	free(text);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("directory_views");
	TCase *tc = tcase_create("views");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, views_get_their_flag_and_the_answer_its_counts_and_page);
	tcase_add_test(tc, no_services_is_an_empty_list);
	tcase_add_test(tc, an_answer_of_another_shape_is_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
