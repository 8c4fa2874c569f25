/* test_monitoring_views.c - the monitoring module's pure functions: a text
 * as people see it (names for codes, tags named from the themes, a removed
 * theme left out), the counts per theme, the shared quotes (agency type
 * only), the guide form's other forms, a form's list split, the field
 * tables (a date of birth refused, a source required).
 * (fields.c and views.c are compiled into this program.) */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../modules/monitoring/fields.c"
#include "../../modules/monitoring/views.c"

static json_t *raw_text(const char *id, const char *tags, const char *quote)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", id, "kind", "observation",
	                 "text", "Joint visits worked", "borough", "newham", "types", "[\"criminal\",\"labour\"]",
	                 "agency_type", "police", "author", "responder.police", "created_at", "1764900000",
	                 "tags", tags, "quote", quote);
}

START_TEST(text_view_names_codes_and_tags_and_never_the_author)
{
	json_t *themes = json_pack("{s:s, s:s}", "1", "Joint working", "2", "Belief");
	json_t *raw = raw_text("7", "2,1,9", "1"), *v = monitoring_text_view(raw, themes, 1764900000 + 60);

	ck_assert_int_eq(json_integer_value(json_object_get(v, "id")), 7);
	ck_assert_str_eq(portal_json_text(v, "borough_name"), "Newham");
	ck_assert_str_eq(portal_json_text(v, "agency_type_name"), "Police");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(v, "exploitation_type_names"), 0)),
	                 "Criminal exploitation (including county lines)");
	/* theme 9 no longer exists: left out */
	ck_assert_uint_eq(json_array_size(json_object_get(v, "tags")), 2);
	ck_assert_str_eq(portal_json_text(json_array_get(json_object_get(v, "tags"), 0), "name"), "Belief");
	ck_assert(json_is_true(json_object_get(v, "quote")));
	ck_assert_ptr_null(json_object_get(v, "author"));
	ck_assert_ptr_nonnull(strstr(portal_json_text(v, "created_at"), "T"));
	ck_assert_ptr_null(strstr(portal_json_text(v, "created_text"), "T0"));
	json_decref(v);
	json_decref(raw);
	json_decref(themes);
}
END_TEST

START_TEST(theme_counts_count_tagged_texts_by_name_order)
{
	json_t *themes = json_pack("{s:s, s:s, s:s}", "1", "Joint working", "2", "Belief", "3", "Unused");
	json_t *views = json_array(), *counts;
	json_t *a = raw_text("1", "1,2", "0"), *b = raw_text("2", "1", "0");

	json_array_append_new(views, monitoring_text_view(a, themes, 0));
	json_array_append_new(views, monitoring_text_view(b, themes, 0));
	counts = monitoring_theme_counts(themes, views);
	ck_assert_uint_eq(json_array_size(counts), 3);
	ck_assert_str_eq(portal_json_text(json_array_get(counts, 0), "name"), "Belief");
	ck_assert_int_eq(portal_json_num(json_array_get(counts, 0), "count"), 1);
	ck_assert_str_eq(portal_json_text(json_array_get(counts, 1), "name"), "Joint working");
	ck_assert_int_eq(portal_json_num(json_array_get(counts, 1), "count"), 2);
	ck_assert_int_eq(portal_json_num(json_array_get(counts, 2), "count"), 0);
	json_decref(counts);
	json_decref(views);
	json_decref(a);
	json_decref(b);
	json_decref(themes);
}
END_TEST

START_TEST(shared_quotes_carry_the_text_and_agency_type_only)
{
	json_t *views = json_array(), *quotes, *q;
	json_t *a = raw_text("1", "", "1"), *b = raw_text("2", "", "0");

	json_array_append_new(views, monitoring_text_view(a, NULL, 0));
	json_array_append_new(views, monitoring_text_view(b, NULL, 0));
	quotes = monitoring_shared_quotes(views);
	ck_assert_uint_eq(json_array_size(quotes), 1);
	q = json_array_get(quotes, 0);
	ck_assert_uint_eq(json_object_size(q), 2);
	ck_assert_str_eq(portal_json_text(q, "text"), "Joint visits worked");
	ck_assert_str_eq(portal_json_text(q, "agency_type_name"), "Police");
	json_decref(quotes);
	json_decref(views);
	json_decref(a);
	json_decref(b);
}
END_TEST

START_TEST(a_forms_list_splits_at_commas_and_line_ends_and_joins_back)
{
	json_t *l = monitoring_split_list("claimed, claiming\nalleges,,"), *entry, *form;

	ck_assert_uint_eq(json_array_size(l), 3);
	ck_assert_str_eq(json_string_value(json_array_get(l, 0)), "claimed");
	ck_assert_str_eq(json_string_value(json_array_get(l, 1)), " claiming");
	ck_assert_str_eq(json_string_value(json_array_get(l, 2)), "alleges");
	json_decref(l);
	l = monitoring_split_list("");
	ck_assert_uint_eq(json_array_size(l), 0);
	json_decref(l);
	entry = json_pack("{s:s, s:[s,s]}", "term", "claims", "variants", "claimed", "claiming");
	form = monitoring_guide_form_of(entry);
	ck_assert_str_eq(portal_json_text(form, "variants"), "claimed, claiming");
	ck_assert_str_eq(portal_json_text(form, "term"), "claims");
	json_decref(form);
	json_decref(entry);
}
END_TEST

START_TEST(observation_fields_refuse_a_date_of_birth_and_guide_fields_need_a_source)
{
	json_t *in = json_pack("{s:s, s:s}", "text", "He was born on 12/03/1985 in town", "borough", "newham");
	json_t *valid = NULL, *errors = NULL;

	ck_assert_int_eq(portal_validate(in, monitoring_fields[MONITORING_FIELDS_OBSERVATION], &valid, &errors), -1);
	ck_assert_ptr_nonnull(strstr(portal_json_text(errors, "text"), "date of birth"));
	ck_assert_str_eq(portal_json_text(valid, "borough"), "newham");
	json_decref(valid);
	json_decref(errors);
	json_decref(in);
	in = json_pack("{s:s, s:s, s:s, s:[s]}", "term", "prostitute", "preferred", "sexually exploited person",
	               "reason", "It blames the victim.", "variants", "prostitutes");
	ck_assert_int_eq(portal_validate(in, monitoring_fields[MONITORING_FIELDS_GUIDE], &valid, &errors), -1);
	ck_assert_ptr_nonnull(json_object_get(errors, "source"));
	ck_assert_uint_eq(json_object_size(errors), 1);
	json_decref(valid);
	json_decref(errors);
	json_decref(in);
	in = json_pack("{s:s}", "borough", "atlantis");
	ck_assert_int_eq(portal_validate(in, monitoring_fields[MONITORING_FIELDS_OBSERVATION], &valid, &errors), -1);
	ck_assert_ptr_nonnull(json_object_get(errors, "borough"));
	ck_assert_ptr_nonnull(json_object_get(errors, "text"));
	json_decref(valid);
	json_decref(errors);
	json_decref(in);
}
END_TEST

START_TEST(choices_mark_what_was_chosen)
{
	json_t *chosen = json_pack("[s]", "labour"), *c = monitoring_choices(portal_exploitation_types,
	                                                                     portal_exploitation_types_count, chosen);
	size_t i, on = 0;

	ck_assert_uint_eq(json_array_size(c), portal_exploitation_types_count);
	for (i = 0; i < json_array_size(c); i++)
		if (json_is_true(json_object_get(json_array_get(c, i), "selected"))) {
			on++;
			ck_assert_str_eq(portal_json_text(json_array_get(c, i), "code"), "labour");
		}
	ck_assert_uint_eq(on, 1);
	json_decref(c);
	json_decref(chosen);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("monitoring_views");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, text_view_names_codes_and_tags_and_never_the_author);
	tcase_add_test(tc, theme_counts_count_tagged_texts_by_name_order);
	tcase_add_test(tc, shared_quotes_carry_the_text_and_agency_type_only);
	tcase_add_test(tc, a_forms_list_splits_at_commas_and_line_ends_and_joins_back);
	tcase_add_test(tc, observation_fields_refuse_a_date_of_birth_and_guide_fields_need_a_source);
	tcase_add_test(tc, choices_mark_what_was_chosen);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
