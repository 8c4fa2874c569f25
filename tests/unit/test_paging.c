/* test_paging.c - a paged list (common/paging.c): the page a query asks
 * for and its defaults, the first item's index, the addresses of the
 * pages keeping the query's other values (URL-encoded), the GOV.UK
 * pagination's items (first, last, the pages beside the current one, one
 * ellipsis per gap), and what a list answer gains on a page and on the
 * API. */
#include "paging.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

START_TEST(the_page_defaults_to_the_first_twenty)
{
	json_t *q = json_pack("{s:I, s:I}", "page", (json_int_t)3, "per_page", (json_int_t)7);
	portal_page p = portal_page_of(NULL);

	ck_assert_int_eq(p.page, 1);
	ck_assert_int_eq(p.per_page, 20);
	p = portal_page_of(q);
	ck_assert_int_eq(p.page, 3);
	ck_assert_int_eq(p.per_page, 7);
	ck_assert_int_eq(portal_page_offset(p), 14);
	json_decref(q);
}
END_TEST

START_TEST(an_address_keeps_the_query_values_named)
{
	static const char *const keep[] = { "per_page", "q", "missing", "ticked", "unticked", NULL };
	json_t *q = json_pack("{s:I, s:s, s:s, s:b, s:b}", "per_page", (json_int_t)5, "q", "a&b c", "other", "x",
	                      "ticked", 1, "unticked", 0);
	portal_buf b;

	portal_buf_init(&b, 256);
	portal_page_href(&b, "/beds/holds", q, keep, 4);
	ck_assert_str_eq(b.data, "/beds/holds?page=4&per_page=5&q=a%26b%20c&ticked=1");
	portal_buf_free(&b);
	json_decref(q);
}
END_TEST

START_TEST(the_pagination_shows_first_last_and_neighbours)
{
	json_t *nav = portal_pagination("/x", NULL, portal_page_keep, (portal_page){ 5, 10 }, 95), *items;
	const char *want[] = { "1", "...", "4", "5", "6", "...", "10" };
	size_t i;

	ck_assert_ptr_nonnull(nav);
	items = json_object_get(nav, "items");
	ck_assert_uint_eq(json_array_size(items), 7);
	for (i = 0; i < 7; i++) {
		json_t *it = json_array_get(items, i);
		if (strcmp(want[i], "...") == 0)
			ck_assert(json_is_true(json_object_get(it, "ellipsis")));
		else
			ck_assert_int_eq(json_integer_value(json_object_get(it, "number")), atoi(want[i]));
	}
	ck_assert(json_is_true(json_object_get(json_array_get(items, 3), "current")));
	ck_assert_str_eq(json_string_value(json_object_get(nav, "prev_href")), "/x?page=4");
	ck_assert_str_eq(json_string_value(json_object_get(nav, "next_href")), "/x?page=6");
	json_decref(nav);
	ck_assert_ptr_null(portal_pagination("/x", NULL, NULL, (portal_page){ 1, 20 }, 20));
	nav = portal_pagination("/x", NULL, NULL, (portal_page){ 2, 20 }, 21);
	ck_assert_ptr_null(json_object_get(nav, "next_href"));
	ck_assert_str_eq(json_string_value(json_object_get(nav, "prev_href")), "/x?page=1");
	json_decref(nav);
}
END_TEST

START_TEST(a_list_answer_gains_its_page_and_on_a_page_its_links)
{
	static const portal_page_list list = { "/training/my", NULL, "your bookings" };
	json_t *api = portal_page_answer(json_object(), NULL, NULL, (portal_page){ 2, 20 }, 30, 10);
	json_t *page = portal_page_answer(json_object(), &list, NULL, (portal_page){ 9, 20 }, 30, 0);

	ck_assert_int_eq(json_integer_value(json_object_get(api, "total")), 30);
	ck_assert_int_eq(json_integer_value(json_object_get(api, "page")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(api, "per_page")), 20);
	ck_assert_uint_eq(json_object_size(api), 3);
	ck_assert_str_eq(json_string_value(json_object_get(page, "pages_of")), "your bookings");
	ck_assert(json_is_true(json_object_get(page, "beyond")));
	ck_assert_str_eq(json_string_value(json_object_get(page, "first_href")), "/training/my?page=1");
	ck_assert_ptr_nonnull(json_object_get(page, "pagination"));
	json_decref(api);
	json_decref(page);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("paging");
	TCase *tc = tcase_create("paging");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, the_page_defaults_to_the_first_twenty);
	tcase_add_test(tc, an_address_keeps_the_query_values_named);
	tcase_add_test(tc, the_pagination_shows_first_last_and_neighbours);
	tcase_add_test(tc, a_list_answer_gains_its_page_and_on_a_page_its_links);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
