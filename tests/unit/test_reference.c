/* test_reference.c - the shared reference tables (common/reference.c):
 * the language table stays ordered by code (portal_language_name looks
 * codes up by binary search), and every code, and no other, is found; the
 * BCP 47 tags of issue 15 (ISO 639-3 where ISO 639-1 has none); historic
 * and constructed languages not offered but still named; the listed order. */
#include "reference.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

START_TEST(the_languages_are_ordered_by_code_without_repeats)
{
	size_t i;

	ck_assert_uint_eq(portal_languages_count, 179);
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

START_TEST(iso_639_3_tags_are_offered_historic_ones_only_named)
{
	static const char *const added[][2] = {
		{ "prs", "Dari" }, { "bin", "Edo" }, { "pcm", "Nigerian Pidgin" },
		{ "kri", "Krio" }, { "syl", "Sylheti" }, { "byn", "Bilen" },
	};
	static const char *const retired[] = { "ae", "cu", "eo", "ia", "ie", "io", "la", "pi", "sa", "vo" };
	size_t i, k;

	for (i = 0; i < sizeof(added) / sizeof(added[0]); i++)
		ck_assert_str_eq(portal_language_name(added[i][0]), added[i][1]);
	for (i = 0; i < sizeof(retired) / sizeof(retired[0]); i++) {
		ck_assert_ptr_nonnull(portal_language_name(retired[i]));
		for (k = 0; k < portal_languages_count; k++)
			ck_assert_str_ne(portal_languages[k].code, retired[i]);
	}
	ck_assert_str_eq(portal_language_name("la"), "Latin");
	ck_assert_str_eq(portal_language_find("sq")->own_name, "shqip");
	ck_assert_ptr_eq(portal_language_by_name("ALBANIAN"), portal_language_find("sq"));
	ck_assert_ptr_eq(portal_language_by_name("Tiếng Việt"), portal_language_find("vi"));
	ck_assert_ptr_null(portal_language_by_name("Latin"));
	ck_assert_ptr_null(portal_language_by_name(NULL));
}
END_TEST

START_TEST(the_listed_order_puts_the_nrm_languages_first_then_by_english_name)
{
	static const char *const head[] = { "sq", "vi", "ti", "ar", "prs", "ps", "ro" };
	const portal_language *const *l = portal_languages_listed();
	size_t i, k;

	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		ck_assert_str_eq(l[i]->code, head[i]);
	for (i = 0; i < portal_languages_first_count; i++)
		ck_assert_str_eq(l[i]->code, portal_languages_first[i]);
	for (i = portal_languages_first_count + 1; i < portal_languages_count; i++)
		ck_assert_msg(strcmp(l[i - 1]->name, l[i]->name) < 0, "%s before %s", l[i - 1]->name, l[i]->name);
	/* every offered language once */
	for (i = 0; i < portal_languages_count; i++)
		for (k = i + 1; k < portal_languages_count; k++)
			ck_assert_ptr_ne(l[i], l[k]);
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
	tcase_add_test(tc, iso_639_3_tags_are_offered_historic_ones_only_named);
	tcase_add_test(tc, the_listed_order_puts_the_nrm_languages_first_then_by_english_name);
	tcase_add_test(tc, london_areas_are_found_by_slug);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
