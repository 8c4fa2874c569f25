/* test_reference.c - the shared reference tables (common/reference.c):
 * the language table stays ordered by code (portal_language_name looks
 * codes up by binary search), and every code, and no other, is found. */
#include "reference.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

START_TEST(the_languages_are_ordered_by_code_without_repeats)
{
	size_t i;

	ck_assert_uint_eq(portal_languages_count, 183);
	for (i = 1; i < portal_languages_count; i++)
		ck_assert_msg(strcmp(portal_languages[i - 1].code, portal_languages[i].code) < 0,
		              "%s before %s", portal_languages[i - 1].code, portal_languages[i].code);
}
END_TEST

START_TEST(every_language_code_is_found_and_no_other)
{
	size_t i;

	for (i = 0; i < portal_languages_count; i++)
		ck_assert_str_eq(portal_language_name(portal_languages[i].code), portal_languages[i].name);
	ck_assert_str_eq(portal_language_name("sq"), "Albanian");
	ck_assert_ptr_null(portal_language_name("xx"));
	ck_assert_ptr_null(portal_language_name(""));
	ck_assert_ptr_null(portal_language_name("e"));
	ck_assert_ptr_null(portal_language_name("enn"));
	ck_assert_ptr_null(portal_language_name(NULL));
}
END_TEST

START_TEST(london_areas_are_found_by_slug)
{
	ck_assert_str_eq(portal_london_area_name("city-of-london"), "City of London");
	ck_assert_ptr_null(portal_london_area_name("atlantis"));
	ck_assert_ptr_null(portal_london_area_name(NULL));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("reference");
	TCase *tc = tcase_create("reference");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, the_languages_are_ordered_by_code_without_repeats);
	tcase_add_test(tc, every_language_code_is_found_and_no_other);
	tcase_add_test(tc, london_areas_are_found_by_slug);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
