/* test_langguide.c - the language guide's check (common/langguide.c).
 *
 * The issue's own example ("she claims she was plugging") gives two notes
 * in the order written; whole words only ("reclaims", "acclaimed" pass);
 * case and runs of white space do not hide a term; variants count; a guide
 * that is not an array, or entries without a term, find nothing; text that
 * is not UTF-8 never gives a note that is not.
 */
#include "langguide.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static json_t *notes_for(const char *text)
{
	json_t *g = portal_language_guide_seed(), *n;

	ck_assert_ptr_nonnull(g);
	n = portal_language_notes(text, strlen(text), g);
	json_decref(g);
	ck_assert_ptr_nonnull(n);
	return n;
}

static const char *field(const json_t *notes, size_t i, const char *name)
{
	return json_string_value(json_object_get(json_array_get(notes, i), name));
}

START_TEST(the_issue_example_gives_two_notes_in_order)
{
	json_t *n = notes_for("she claims she was plugging");

	ck_assert_uint_eq(json_array_size(n), 2);
	ck_assert_str_eq(field(n, 0, "term"), "claims");
	ck_assert_str_eq(field(n, 0, "found"), "claims");
	ck_assert_str_eq(field(n, 0, "preferred"), "states");
	ck_assert_ptr_nonnull(strstr(field(n, 0, "reason"), "disbelief"));
	ck_assert_str_eq(field(n, 1, "term"), "plugging");
	ck_assert_str_eq(field(n, 1, "preferred"), "coerced internal concealment");
	json_decref(n);
}
END_TEST

START_TEST(order_is_the_texts_not_the_guides)
{
	json_t *n = notes_for("Plugging was mentioned; later he Claimed otherwise");

	ck_assert_uint_eq(json_array_size(n), 2);
	ck_assert_str_eq(field(n, 0, "term"), "plugging");
	ck_assert_str_eq(field(n, 0, "found"), "Plugging");
	ck_assert_str_eq(field(n, 1, "term"), "claims");
	ck_assert_str_eq(field(n, 1, "found"), "Claimed");
	json_decref(n);
}
END_TEST

START_TEST(whole_words_only)
{
	json_t *n = notes_for("She reclaims her documents; an acclaimed advocate; claimsx; unplugging");

	ck_assert_uint_eq(json_array_size(n), 0);
	json_decref(n);
}
END_TEST

START_TEST(phrases_match_across_white_space_and_case)
{
	json_t *n = notes_for("used as a MONEY\n  Mule, police said.");

	ck_assert_uint_eq(json_array_size(n), 1);
	ck_assert_str_eq(field(n, 0, "term"), "money mule");
	ck_assert_str_eq(field(n, 0, "found"), "MONEY\n  Mule");
	ck_assert_str_eq(field(n, 0, "preferred"), "financially exploited child (or person)");
	json_decref(n);
}
END_TEST

START_TEST(a_term_once_per_entry_at_its_first_place)
{
	json_t *n = notes_for("money mules and a money mule");

	ck_assert_uint_eq(json_array_size(n), 1);
	ck_assert_str_eq(field(n, 0, "found"), "money mules");
	json_decref(n);
}
END_TEST

START_TEST(words_beside_other_scripts_are_not_words)
{
	/* a letter outside ASCII joins the word: "claimsé" is not "claims" */
	json_t *n = notes_for("claims\xc3\xa9 and \xc3\xa9plugging");

	ck_assert_uint_eq(json_array_size(n), 0);
	json_decref(n);
}
END_TEST

START_TEST(guides_that_are_not_guides_find_nothing)
{
	json_t *bad = json_pack("[{s:s}, {s:i}, s, {s:s, s:[i]}]", "preferred", "x", "term", 3, "claims", "term", "",
	                        "variants", 1);
	json_t *obj = json_object(), *n;

	n = portal_language_notes("claims", 6, bad);
	ck_assert_uint_eq(json_array_size(n), 0);
	json_decref(n);
	n = portal_language_notes("claims", 6, obj);
	ck_assert_uint_eq(json_array_size(n), 0);
	json_decref(n);
	n = portal_language_notes(NULL, 0, obj);
	ck_assert_uint_eq(json_array_size(n), 0);
	json_decref(n);
	json_decref(bad);
	json_decref(obj);
}
END_TEST

START_TEST(coordinators_entries_work_like_the_seed)
{
	json_t *g = json_pack("[{s:s, s:[s], s:s, s:s, s:s}]", "term", "illegal immigrant", "variants", "illegals",
	                      "preferred", "person", "reason", "r", "source", "s");
	json_t *n = portal_language_notes("they were illegal  immigrants? no: illegals", strlen("they were illegal  immigrants? no: illegals"), g);

	/* "illegal  immigrants" is not "illegal immigrant" as a whole word */
	ck_assert_uint_eq(json_array_size(n), 1);
	ck_assert_str_eq(field(n, 0, "found"), "illegals");
	json_decref(n);
	json_decref(g);
}
END_TEST

START_TEST(every_seed_entry_names_its_source)
{
	json_t *g = portal_language_guide_seed(), *e;
	size_t i;

	ck_assert_uint_eq(json_array_size(g), 3);
	json_array_foreach(g, i, e) {
		ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(e, "source")), "Police and Crime Plan"));
		ck_assert_uint_gt(strlen(json_string_value(json_object_get(e, "preferred"))), 0);
	}
	json_decref(g);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("langguide");
	TCase *tc = tcase_create("notes");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, the_issue_example_gives_two_notes_in_order);
	tcase_add_test(tc, order_is_the_texts_not_the_guides);
	tcase_add_test(tc, whole_words_only);
	tcase_add_test(tc, phrases_match_across_white_space_and_case);
	tcase_add_test(tc, a_term_once_per_entry_at_its_first_place);
	tcase_add_test(tc, words_beside_other_scripts_are_not_words);
	tcase_add_test(tc, guides_that_are_not_guides_find_nothing);
	tcase_add_test(tc, coordinators_entries_work_like_the_seed);
	tcase_add_test(tc, every_seed_entry_names_its_source);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
