/* test_beds_model.c - the beds module's pure functions: freshness bands,
 * phone and idempotency-key checks, API input flattening, the field tables
 * and rules, the hold form's values, search order, summary, report and CSV.
 * (fields.c, views.c and format.c are compiled into this program.) */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../modules/beds/fields.c"
#include "../../modules/beds/views.c"
#include "../../modules/beds/format.c"

START_TEST(freshness_bands_fresh_under_12h_ageing_to_48h_stale_after)
{
	time_t now = 1000000;
	ck_assert_str_eq(beds_freshness(now - 3600, now, 12 * 3600, 48 * 3600), "fresh");
	ck_assert_str_eq(beds_freshness(now - 12 * 3600, now, 12 * 3600, 48 * 3600), "ageing");
	ck_assert_str_eq(beds_freshness(now - 48 * 3600, now, 12 * 3600, 48 * 3600), "ageing");
	ck_assert_str_eq(beds_freshness(now - 48 * 3600 - 1, now, 12 * 3600, 48 * 3600), "stale");
}
END_TEST

/* The phone numbers of a hold and a safehouse are the table's PHONE type
 * (common/phone.c's one rule), with a message saying what to type. */
START_TEST(phone_numbers_accepted_and_refused)
{
	json_t *hold = json_pack("{s:s, s:s, s:s}", "group", "women", "reference", "CASE-1", "callback_phone", "call me maybe");
	json_t *valid = NULL, *errors = NULL;

	ck_assert_int_eq(portal_validate(hold, beds_fields_of(BEDS_FIELDS_HOLD), &valid, &errors), -1);
	ck_assert_str_eq(json_string_value(json_object_get(errors, "callback_phone")),
	                 "Enter a call-back phone number: a UK number like 020 7946 0000 or 07700 900123");
	ck_assert_str_eq(json_string_value(json_object_get(valid, "reference")), "CASE-1");
	json_decref(valid);
	json_decref(errors);
	json_object_set_new(hold, "callback_phone", json_string(" +44 (0)7700-900123 "));
	ck_assert_int_eq(portal_validate(hold, beds_fields_of(BEDS_FIELDS_HOLD), &valid, &errors), 0);
	ck_assert_str_eq(json_string_value(json_object_get(valid, "callback_phone")), "+44 (0)7700-900123");
	json_decref(valid);
	json_decref(hold);
}
END_TEST

START_TEST(idempotency_keys_are_short_and_plain)
{
	ck_assert_int_eq(beds_idempotency_key_ok("k-1.a:b_c"), 1);
	ck_assert_int_eq(beds_idempotency_key_ok(""), 0);
	ck_assert_int_eq(beds_idempotency_key_ok("has space"), 0);
	ck_assert_int_eq(beds_idempotency_key_ok("a{b}"), 0);
	char long_key[120];
	memset(long_key, 'a', sizeof(long_key) - 1);
	long_key[119] = '\0';
	ck_assert_int_eq(beds_idempotency_key_ok(long_key), 0);
}
END_TEST

START_TEST(api_groups_are_flattened_for_validation)
{
	json_t *body = json_loads("{\"name\":\"X\",\"groups\":{\"women\":{\"beds\":4},\"men\":2,\"other\":{\"beds\":9}}}", 0, NULL);
	json_t *in = beds_safehouse_input(body);
	ck_assert_int_eq(json_integer_value(json_object_get(in, "beds_women")), 4);
	ck_assert_int_eq(json_integer_value(json_object_get(in, "beds_men")), 2);
	ck_assert_ptr_null(json_object_get(in, "groups"));
	ck_assert_ptr_null(json_object_get(in, "beds_other"));
	json_decref(in);
	json_decref(body);
	in = beds_safehouse_input(NULL);
	ck_assert(json_is_object(in));
	json_decref(in);
}
END_TEST

/* A raw house as the read script gives it. */
static json_t *raw_house(int id, const char *area, long long at, int vacant, int held, int dependants)
{
	char doc[256];
	snprintf(doc, sizeof(doc), "{\"name\":\"H%d\",\"area\":\"%s\",\"dependants\":%s,\"languages\":[\"sq\"],\"referral_phone\":\"020 7946 0000\"}",
	         id, area, dependants ? "true" : "false");
	return json_pack("{s:i, s:s, s:s, s:s, s:{s:{s:i, s:i, s:i, s:I, s:s}}}", "id", id, "agency", "a",
	                 "agency_name", "A", "doc", doc, "groups", "women", "beds", 5, "vacant", vacant,
	                 "held", held, "at", (json_int_t)at, "by", "ngo.a");
}

/* The view of a raw house; beds_house_view borrows the raw object, so it is
 * released here. */
static json_t *house_view(json_t *raw, time_t now, const beds_config *cfg)
{
	json_t *v = beds_house_view(raw, now, cfg);
	json_decref(raw);
	return v;
}

START_TEST(search_orders_area_first_then_freshest_and_stale_last)
{
	time_t now = time(NULL);
	const beds_config *cfg = beds_config_get();
	json_t *houses = json_array(), *want, *res;
	json_array_append_new(houses, house_view(raw_house(1, "ealing", now - 60, 2, 0, 1), now, cfg));
	json_array_append_new(houses, house_view(raw_house(2, "newham", now - 7200, 1, 0, 1), now, cfg));
	json_array_append_new(houses, house_view(raw_house(3, "newham", now - 100 * 3600, 3, 0, 1), now, cfg));
	json_array_append_new(houses, house_view(raw_house(4, "newham", now, 2, 2, 1), now, cfg));  /* none available */
	json_array_append_new(houses, house_view(raw_house(5, "newham", now, 2, 0, 0), now, cfg));  /* no dependants */
	want = json_pack("{s:s, s:s, s:b, s:s}", "group", "women", "area", "newham", "dependants", 1, "language", "sq");
	res = beds_search(houses, want);
	ck_assert_int_eq(json_array_size(res), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json_array_get(res, 0), "safehouse"), "id")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json_array_get(res, 1), "safehouse"), "id")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json_array_get(res, 2), "safehouse"), "id")), 3);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(res, 2), "freshness")), "stale");
	json_decref(res);
	json_decref(want);
	json_decref(houses);
}
END_TEST

/* Issue 15, point 13: nearest to the preferred borough first. */
START_TEST(search_orders_by_distance_from_the_preferred_borough)
{
	time_t now = time(NULL);
	const beds_config *cfg = beds_config_get();
	json_t *houses = json_array(), *want, *res;
	long ids[3];
	size_t i;

	ck_assert_int_eq(portal_area_distance_m("camden", "camden"), 0);
	ck_assert_int_eq(portal_area_distance_m("camden", "outside-london"), -1);
	ck_assert_int_eq(portal_area_distance_m(NULL, "camden"), -1);
	ck_assert_int_eq(portal_area_distance_m("camden", "islington"), portal_area_distance_m("islington", "camden"));
	ck_assert_int_lt(portal_area_distance_m("camden", "islington"), 5000);
	ck_assert_int_gt(portal_area_distance_m("camden", "croydon"), 15000);
	ck_assert_int_lt(portal_area_distance_m("camden", "tower-hamlets"), portal_area_distance_m("camden", "havering"));
	/* the freshest first would be havering, then tower hamlets, then islington */
	json_array_append_new(houses, house_view(raw_house(1, "havering", now - 10, 2, 0, 1), now, cfg));
	json_array_append_new(houses, house_view(raw_house(2, "tower-hamlets", now - 20, 2, 0, 1), now, cfg));
	json_array_append_new(houses, house_view(raw_house(3, "islington", now - 30, 2, 0, 1), now, cfg));
	want = json_pack("{s:s, s:s}", "group", "women", "area", "camden");
	res = beds_search(houses, want);
	ck_assert_int_eq(json_array_size(res), 3);
	for (i = 0; i < 3; i++) {
		ids[i] = (long)json_integer_value(json_object_get(json_object_get(json_array_get(res, i), "safehouse"), "id"));
		ck_assert_ptr_null(json_object_get(json_array_get(res, i), "dist"));
	}
	ck_assert_int_eq(ids[0], 3);
	ck_assert_int_eq(ids[1], 2);
	ck_assert_int_eq(ids[2], 1);
	json_decref(res);
	json_decref(want);
	json_decref(houses);
}
END_TEST

/* Issue 15, point 10: a group welcomes what its name says unless the house
 * says more; person= searches across groups. */
START_TEST(welcomes_default_and_person_search_across_groups)
{
	time_t now = time(NULL);
	const beds_config *cfg = beds_config_get();
	json_t *raw = raw_house(1, "camden", now, 2, 0, 0), *houses = json_array(), *v, *want, *res;

	v = house_view(json_incref(raw), now, cfg);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(v, "groups"), "women"), "welcomes_text")), "Women");
	json_array_append_new(houses, v);
	want = json_pack("{s:s}", "person", "trans_woman");
	res = beds_search(houses, want);
	ck_assert_int_eq(json_array_size(res), 0);
	json_decref(res);
	json_object_set_new(raw, "doc", json_string("{\"name\":\"H1\",\"area\":\"camden\",\"welcomes\":{\"women\":[\"woman\",\"trans_woman\",\"bogus\"]}}"));
	json_array_clear(houses);
	json_array_append_new(houses, house_view(raw, now, cfg));
	res = beds_search(houses, want);
	ck_assert_int_eq(json_array_size(res), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(res, 0), "group")), "women");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(json_object_get(json_array_get(res, 0), "safehouse"), "groups"), "women"), "welcomes_text")), "Women, Trans women");
	json_decref(res);
	json_decref(want);
	json_decref(houses);
}
END_TEST

START_TEST(available_never_shown_below_zero)
{
	time_t now = time(NULL);
	json_t *raw = raw_house(1, "newham", now, 1, 3, 0);
	json_t *v = beds_house_view(raw, now, beds_config_get());
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(json_object_get(v, "groups"), "women"), "available")), 0);
	ck_assert_ptr_null(json_object_get(v, "address"));
	json_decref(v);
	json_decref(raw);
}
END_TEST

START_TEST(summary_counts_available_and_bands)
{
	time_t now = time(NULL);
	const beds_config *cfg = beds_config_get();
	json_t *houses = json_array(), *s;
	json_array_append_new(houses, house_view(raw_house(1, "ealing", now, 2, 1, 0), now, cfg));
	json_array_append_new(houses, house_view(raw_house(2, "ealing", now - 90 * 3600, 3, 0, 0), now, cfg));
	s = beds_summary(houses);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(json_object_get(s, "groups"), 0), "available")), 4);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(s, "houses"), "fresh")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(s, "houses"), "stale")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(json_object_get(s, "groups"), 0), "bar_width")), 350);
	json_decref(s);
	json_decref(houses);
}
END_TEST

START_TEST(report_counts_outcomes_reasons_and_unmet_need_and_csv_is_safe)
{
	json_t *raw = json_loads("{\"holds\":[[\"women\",\"accepted\",\"\"],[\"women\",\"declined\",\"risk_assessment\"],"
	                         "[\"men\",\"expired\",\"\"],[\"bogus\",\"x\",\"\"]],"
	                         "\"unmet\":[\"1:aa|men|dependants\",\"2:bb|men|dependants\",\"3:cc|women|none\",\"junk\"]}", 0, NULL);
	json_t *rep = beds_report(raw);
	portal_buf out;
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(rep, "totals"), "placed")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(json_object_get(rep, "groups"), 0), "declined")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(json_object_get(rep, "declined_reasons"), 2), "count")), 1);
	ck_assert_int_eq(json_array_size(json_object_get(rep, "unmet")), 2);
	portal_buf_init(&out, 0);
	ck_assert_int_eq(beds_report_csv(rep, "2026-01-01", "=cmd", &out), 0);
	ck_assert_ptr_nonnull(strstr(out.data, "holds,2026-01-01,\"'=cmd\",women,accepted,1\r\n"));
	ck_assert_ptr_nonnull(strstr(out.data, "unmet_need,2026-01-01,\"'=cmd\",men,dependants,2\r\n"));
	portal_buf_free(&out);
	json_decref(rep);
	json_decref(raw);
}
END_TEST

START_TEST(needs_text_names_each_need)
{
	char out[200];
	json_t *w = json_pack("{s:s, s:b, s:b, s:s}", "group", "men", "pre_nrm", 1, "accessible", 1, "area", "newham");
	beds_needs_text(w, out, sizeof(out));
	ck_assert_str_eq(out, "pre_nrm,accessible,area=newham");
	json_decref(w);
	w = json_object();
	beds_needs_text(w, out, sizeof(out));
	ck_assert_str_eq(out, "none");
	json_decref(w);
}
END_TEST

START_TEST(areas_include_outside_london_and_the_33_london_areas)
{
	const char *const *a = beds_area_choices();
	size_t n = 0;
	int outside = 0;
	for (; a[n]; n++)
		outside |= strcmp(a[n], "outside-london") == 0;
	ck_assert_int_eq(n, 34);
	ck_assert_int_eq(outside, 1);
	ck_assert_str_eq(beds_area_name("city-of-london"), "City of London");
}
END_TEST

/* The hold form without a group in the query starts at the first group; the
 * value packed into the form is owned by the form alone (refcount 1): the
 * old code packed json_string("women") with "O" and leaked it. */
START_TEST(hold_form_default_group_is_owned_by_the_form_alone)
{
	json_t *form = beds_hold_form_values(NULL), *group = json_string("men"), *chosen;

	ck_assert_str_eq(json_string_value(json_object_get(form, "group")), "women");
	ck_assert_int_eq(json_object_get(form, "group")->refcount, 1);
	ck_assert_int_eq(json_integer_value(json_object_get(form, "minutes")), BEDS_HOLD_MINUTES_DEFAULT);
	chosen = beds_hold_form_values(group);
	ck_assert_ptr_eq(json_object_get(chosen, "group"), group);
	ck_assert_int_eq(group->refcount, 2);  /* ours and the form's */
	json_decref(chosen);
	ck_assert_int_eq(group->refcount, 1);
	json_decref(group);
	json_decref(form);
}
END_TEST

/* Every field table is const with its length from the table itself, and
 * its choice lists are there once the table is handed out (no table is
 * copied and patched by index). */
START_TEST(field_tables_have_their_choices_and_lengths)
{
	portal_fields search = beds_fields_of(BEDS_FIELDS_SEARCH), house = beds_fields_of(BEDS_FIELDS_SAFEHOUSE);
	portal_fields vac = beds_fields_of(BEDS_FIELDS_VACANCIES), hold = beds_fields_of(BEDS_FIELDS_HOLD);
	size_t i, enums = 0;

	ck_assert_uint_eq(search.n, 8);  /* group, person, four needs, language, area */
	ck_assert_uint_eq(vac.n, BEDS_GROUP_COUNT);
	ck_assert_uint_eq(house.n, 10 + 2 * BEDS_GROUP_COUNT);  /* beds_ and welcomes_ per group */
	for (i = 0; i < search.n; i++)
		if (search.fields[i].type == PORTAL_FIELD_ENUM) {
			ck_assert_ptr_nonnull(portal_field_choices(&search.fields[i]));
			ck_assert_ptr_nonnull(portal_field_choices(&search.fields[i])[0]);
			enums++;
		}
	ck_assert_uint_eq(enums, 4);
	for (i = 0; i < house.n; i++)
		if (house.fields[i].type == PORTAL_FIELD_ENUM || house.fields[i].type == PORTAL_FIELD_ENUM_LIST)
			ck_assert_ptr_nonnull(portal_field_choices(&house.fields[i])[0]);
	ck_assert_str_eq(hold.fields[0].choices[BEDS_GROUP_COUNT - 1], "trans_non_binary");
	ck_assert_ptr_null(hold.fields[0].choices[BEDS_GROUP_COUNT]);
	ck_assert_str_eq(vac.fields[2].label, "Number of vacant beds for trans and non-binary people");
}
END_TEST

/* A search that would validate: a language and an area from the tables. */
START_TEST(search_fields_accept_a_language_and_an_area)
{
	portal_fields t = beds_fields_of(BEDS_FIELDS_SEARCH);
	json_t *q = json_pack("{s:s, s:s, s:s}", "group", "men", "language", "ro", "area", "newham");
	json_t *valid = NULL, *errors = NULL;

	ck_assert_int_eq(portal_validate(q, t, &valid, &errors), 0);
	ck_assert_str_eq(json_string_value(json_object_get(valid, "area")), "newham");
	json_decref(valid);
	json_decref(q);
}
END_TEST

/* The bed groups the scripts get are the C list, joined. */
START_TEST(the_scripts_get_the_c_list_of_groups)
{
	ck_assert_str_eq(BEDS_GROUPS_TEXT, "women,men,trans_non_binary,");
	ck_assert_int_eq(BEDS_GROUP_COUNT, 3);
	ck_assert_str_eq(beds_group_label("trans_non_binary"), "Trans and non-binary people");
	/* the messages that name the groups are made from the same list */
	ck_assert_str_eq(BEDS_GROUPS_SAID, "women, men, trans_non_binary");
	ck_assert_str_eq(BEDS_GROUP_FIRST, beds_groups[0]);
}
END_TEST

/* The safehouse rules: a bed at least, never an address (the phone is the
 * table's PHONE type). */
START_TEST(safehouse_rules_check_phone_beds_and_address)
{
	json_t *in = json_pack("{s:s}", "address", "1 High St"), *doc, *beds;
	json_t *v = json_pack("{s:s, s:s, s:i}", "name", "H", "referral_phone", "020 7946 0000", "beds_men", 0);
	json_t *errors = beds_safehouse_rules(in, v, &doc, &beds);

	ck_assert_ptr_nonnull(json_object_get(errors, "beds_women"));
	ck_assert_ptr_nonnull(json_object_get(errors, "address"));
	ck_assert_ptr_null(doc);
	ck_assert_ptr_null(beds);
	json_decref(errors);
	json_decref(in);
	in = json_object();
	v = json_pack("{s:s, s:s, s:i}", "name", "H", "referral_phone", "020 7946 0000", "beds_men", 2);
	ck_assert_ptr_null(beds_safehouse_rules(in, v, &doc, &beds));
	ck_assert_int_eq(json_integer_value(json_object_get(beds, "men")), 2);
	ck_assert_ptr_null(json_object_get(doc, "beds_men"));
	json_decref(doc);
	json_decref(beds);
	json_decref(in);
}
END_TEST


int main(void)
{
	Suite *s = suite_create("beds_model");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, freshness_bands_fresh_under_12h_ageing_to_48h_stale_after);
	tcase_add_test(tc, phone_numbers_accepted_and_refused);
	tcase_add_test(tc, idempotency_keys_are_short_and_plain);
	tcase_add_test(tc, api_groups_are_flattened_for_validation);
	tcase_add_test(tc, search_orders_area_first_then_freshest_and_stale_last);
	tcase_add_test(tc, search_orders_by_distance_from_the_preferred_borough);
	tcase_add_test(tc, welcomes_default_and_person_search_across_groups);
	tcase_add_test(tc, available_never_shown_below_zero);
	tcase_add_test(tc, summary_counts_available_and_bands);
	tcase_add_test(tc, report_counts_outcomes_reasons_and_unmet_need_and_csv_is_safe);
	tcase_add_test(tc, needs_text_names_each_need);
	tcase_add_test(tc, areas_include_outside_london_and_the_33_london_areas);
	tcase_add_test(tc, hold_form_default_group_is_owned_by_the_form_alone);
	tcase_add_test(tc, field_tables_have_their_choices_and_lengths);
	tcase_add_test(tc, search_fields_accept_a_language_and_an_area);
	tcase_add_test(tc, the_scripts_get_the_c_list_of_groups);
	tcase_add_test(tc, safehouse_rules_check_phone_beds_and_address);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
