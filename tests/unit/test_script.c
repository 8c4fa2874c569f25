/* test_script.c - the name/value argument builder of common/script.c
 * (portal_call_*): the pairs in order, numbers as text, NULL sent as "",
 * and a call that overflows refused before it reaches Redis.  The scripts'
 * answers against a real Redis are tested by tests/lua/ and the
 * integration tests. */
#include "script.h"

#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Check that c holds exactly the pairs of `want` ({name, value}, ...,
 * ending at a NULL name), in order. */
static void pairs_are(const portal_script_call *c, const char *const want[][2])
{
	size_t i;

	for (i = 0; want[i][0] != NULL; i++) {
		ck_assert_uint_lt(i, c->n);
		ck_assert_str_eq(c->args[i].name, want[i][0]);
		ck_assert_str_eq(c->args[i].value, want[i][1]);
	}
	ck_assert_uint_eq(c->n, i);
	ck_assert_int_eq(c->overflow, 0);
}

START_TEST(pairs_keep_their_order_and_names)
{
	static const char *const want[][2] = {
		{ "safehouse", "12" }, { "now", "1900000000" }, { "reason", "" }, { NULL, NULL } };
	portal_script_call c;

	portal_call_init(&c);
	portal_call_arg(&c, "safehouse", "12");
	portal_call_num(&c, "now", 1900000000LL);
	portal_call_arg(&c, "reason", NULL);
	pairs_are(&c, want);
}
END_TEST

START_TEST(a_list_of_pairs_ends_at_a_null_name_and_sends_null_values_as_empty)
{
	static const char *const want[][2] = {
		{ "now", "7" }, { "a", "1" }, { "b", "" }, { "c", "3" }, { NULL, NULL } };
	portal_script_call c;

	portal_call_init(&c);
	portal_call_num(&c, "now", 7);
	portal_call_args(&c, "a", "1", "b", (const char *)NULL, "c", "3", (const char *)NULL);
	pairs_are(&c, want);
}
END_TEST

START_TEST(numbers_are_decimal_text_each_in_its_own_room)
{
	static const struct { long long v; const char *text; } nums[] = {
		{ LLONG_MIN, "-9223372036854775808" }, { -1, "-1" }, { 0, "0" },
		{ LLONG_MAX, "9223372036854775807" },
	};
	portal_script_call c;
	size_t i;

	portal_call_init(&c);
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		portal_call_num(&c, "n", nums[i].v);
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		ck_assert_str_eq(c.args[i].value, nums[i].text);
}
END_TEST

START_TEST(init_empties_a_used_call)
{
	portal_script_call c;
	size_t i;

	portal_call_init(&c);
	for (i = 0; i < PORTAL_CALL_ARGS_MAX + 1; i++)
		portal_call_num(&c, "n", (long long)i);
	ck_assert_int_eq(c.overflow, 1);
	portal_call_init(&c);
	ck_assert_uint_eq(c.n, 0);
	ck_assert_int_eq(c.overflow, 0);
}
END_TEST

START_TEST(a_call_that_overflows_keeps_what_fitted_and_is_refused_unsent)
{
	portal_script_call c;
	portal_run_result res;
	size_t i;

	portal_call_init(&c);
	for (i = 0; i < PORTAL_CALL_ARGS_MAX; i++)
		portal_call_arg(&c, "x", "y");
	ck_assert_int_eq(c.overflow, 0);
	portal_call_arg(&c, "one_too_many", "z");
	portal_call_num(&c, "two_too_many", 2);
	ck_assert_uint_eq(c.n, PORTAL_CALL_ARGS_MAX);
	ck_assert_int_eq(c.overflow, 1);
	/* no store is touched: a NULL store would crash if it were */
	ck_assert_int_eq(portal_call_run(NULL, 0, "p:{t}", &c, &res), PORTAL_RUN_BROKEN);
	ck_assert_int_eq(res.rc, PORTAL_RUN_BROKEN);
	ck_assert_str_eq(res.status, "");
	ck_assert_ptr_null(res.reply);
	ck_assert_ptr_nonnull(strstr(res.cause, "arguments"));
	ck_assert_int_eq(portal_run_ok(&res), 0);
	portal_run_result_free(&res);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("script");
	TCase *tc = tcase_create("script");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, pairs_keep_their_order_and_names);
	tcase_add_test(tc, a_list_of_pairs_ends_at_a_null_name_and_sends_null_values_as_empty);
	tcase_add_test(tc, numbers_are_decimal_text_each_in_its_own_room);
	tcase_add_test(tc, init_empties_a_used_call);
	tcase_add_test(tc, a_call_that_overflows_keeps_what_fitted_and_is_refused_unsent);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
