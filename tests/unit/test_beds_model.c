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

/* Issue 15, point 13: the areas a search prefers, nearest first (the
 * search script orders by them). */
START_TEST(search_near_lists_the_boroughs_by_distance)
{
	portal_buf b;
	const char *isl, *th, *hav;

	ck_assert_int_eq(portal_area_distance_m("camden", "camden"), 0);
	ck_assert_int_eq(portal_area_distance_m("camden", "outside-london"), -1);
	ck_assert_int_eq(portal_area_distance_m("camden", "islington"), portal_area_distance_m("islington", "camden"));
	ck_assert_int_lt(portal_area_distance_m("camden", "islington"), 5000);
	ck_assert_int_gt(portal_area_distance_m("camden", "croydon"), 15000);
	portal_buf_init(&b, 2048);
	beds_search_near("camden", &b);
	ck_assert_int_eq(strncmp(b.data, "camden,", 7), 0);
	ck_assert_ptr_null(strstr(b.data + 7, "camden"));
	ck_assert_ptr_null(strstr(b.data, "outside-london"));
	isl = strstr(b.data, ",islington,");
	th = strstr(b.data, ",tower-hamlets,");
	hav = strstr(b.data, ",havering");
	ck_assert_ptr_nonnull(isl);
	ck_assert_ptr_nonnull(hav);
	ck_assert(isl < th);
	ck_assert(th < hav);
	portal_buf_reset(&b);
	beds_search_near("outside-london", &b);
	ck_assert_str_eq(b.data, "outside-london");
	portal_buf_reset(&b);
	beds_search_near("", &b);
	ck_assert_uint_eq(b.len, 0);
	portal_buf_free(&b);
}
END_TEST

/* The card a search shows of a house: its details without per-group numbers. */
START_TEST(house_card_has_the_details_and_no_groups)
{
	json_t *doc = json_pack("{s:s, s:s, s:b, s:[s], s:s}", "name", "H1", "area", "camden", "pre_nrm", 1,
	                        "languages", "sq", "referral_phone", "020 7946 0000");
	static const char *const texts[][2] = { { "name", "H1" }, { "area_name", "Camden" }, { "agency_name", "Agency A" } };
	char *text = beds_house_card(doc, "ag-a", "Agency A");
	json_t *card = json_loads(text, 0, NULL);
	size_t i;

	ck_assert_ptr_nonnull(card);
	for (i = 0; i < 3; i++)
		ck_assert_str_eq(json_string_value(json_object_get(card, texts[i][0])), texts[i][1]);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(card, "language_names"), 0)), "Albanian");
	ck_assert(json_is_true(json_object_get(card, "pre_nrm")) && json_is_true(json_object_get(card, "has_offers")));
	ck_assert(json_is_false(json_object_get(card, "dependants")));
	ck_assert_ptr_null(json_object_get(card, "groups"));
	ck_assert_ptr_null(json_object_get(card, "id"));
	json_decref(card);
	json_decref(doc);
	free(text);
}
END_TEST

/* 1 when JSON text `index` lists set `name`. */
static int index_has(const char *index, const char *name)
{
	json_t *v = json_loads(index, 0, NULL), *s;
	size_t i;
	int found = 0;

	json_array_foreach(json_object_get(v, "sets"), i, s)
		found |= strcmp(json_string_value(s), name) == 0;
	json_decref(v);
	return found;
}

/* Issue 15, point 10: a group welcomes what its name says unless the house
 * says more; the index sets say so per group and person, with the needs
 * and languages. */
START_TEST(house_index_has_needs_languages_and_welcomes)
{
	json_t *doc = json_pack("{s:s, s:b, s:b, s:[s, s], s:{s:[s, s, s]}}", "area", "camden", "dependants", 1,
	                        "staffed_24h", 1, "languages", "sq", "prs",
	                        "welcomes", "women", "woman", "trans_woman", "bogus");
	json_t *groups = json_pack("{s:i, s:{}, s:i}", "women", 2, "trans_non_binary", "men", 0);
	char *index = beds_house_index(doc, groups);
	json_t *v = json_loads(index, 0, NULL);

	ck_assert_str_eq(json_string_value(json_object_get(v, "area")), "camden");
	ck_assert(index_has(index, "need:dependants"));
	ck_assert(!index_has(index, "need:staffed_24h"));  /* not a search need */
	ck_assert(!index_has(index, "need:pre_nrm"));
	ck_assert(index_has(index, "lang:sq") && index_has(index, "lang:prs"));
	ck_assert(index_has(index, "welcome:women:woman") && index_has(index, "welcome:women:trans_woman"));
	ck_assert(!index_has(index, "welcome:women:bogus"));
	/* the default of a group the house did not say anything about */
	ck_assert(index_has(index, "welcome:trans_non_binary:trans_man"));
	ck_assert(index_has(index, "welcome:trans_non_binary:non_binary"));
	ck_assert(!index_has(index, "welcome:men:man"));  /* 0 beds: not a group of the house */
	json_decref(v);
	free(index);
	json_decref(groups);
	json_decref(doc);
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

/* search_unmet's words (issue 18) are the report's: the group's label and
 * the needs in words, or the label alone. */
START_TEST(unmet_words_say_the_group_and_the_needs)
{
	char out[300];

	beds_unmet_words("trans_non_binary", "pre_nrm,language=sq", out, sizeof(out));
	ck_assert_str_eq(out, "Trans and non-binary people: Emergency pre-NRM stay, Albanian");
	beds_unmet_words("men", "none", out, sizeof(out));
	ck_assert_str_eq(out, "Men");
	beds_unmet_words(NULL, "accessible,area=camden", out, sizeof(out));
	ck_assert_str_eq(out, "Any bed group: Wheelchair accessible, Camden");
}
END_TEST

/* A closed hold's view says what each side said, which side the viewer is,
 * whether they may say it and whether the NGO's outcome is still wanted;
 * the form shows what they said before, or what was typed. */
START_TEST(hold_view_and_form_say_what_happened)
{
	json_t *h = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", "7", "status", "declined", "group", "women",
	                      "agency", "ag-a", "responder", "resp", "closed_at", "1000");
	beds_viewer ngo = { "ngo", 1, 0 }, resp = { "resp", 0, 1 }, other = { "other", 0, 1 };
	json_t *v, *form, *typed;

	v = beds_hold_view(&ngo, h, 2000);
	ck_assert_int_eq(json_array_size(json_object_get(v, "outcomes")), 0);
	ck_assert(json_is_true(json_object_get(v, "outcome_needed")));
	ck_assert(json_is_true(json_object_get(v, "can_record_outcome")));
	ck_assert_str_eq(json_string_value(json_object_get(v, "outcome_side")), "ngo");
	form = beds_outcome_form(v, NULL);
	ck_assert(json_is_true(json_object_get(form, "required")));
	ck_assert(json_is_false(json_object_get(form, "replacing")));
	ck_assert_int_eq(json_array_size(json_object_get(form, "outcomes")), 4);
	json_decref(form);
	json_decref(v);
	json_object_update_new(h, json_pack("{s:s, s:s, s:s, s:s}", "outcome_ngo", "arrived", "note_ngo", "went well",
	                                    "outcome_at_ngo", "1500", "outcome_by_ngo", "ngo"));
	v = beds_hold_view(&ngo, h, 2000);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(v, "outcomes"), 0), "outcome_label")),
	                 "The person arrived");
	ck_assert(json_is_false(json_object_get(v, "outcome_needed")));
	form = beds_outcome_form(v, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(form, "note")), "went well");
	ck_assert(json_is_true(json_object_get(json_array_get(json_object_get(form, "outcomes"), 0), "selected")));
	json_decref(form);
	typed = json_pack("{s:s, s:s}", "outcome", "unknown", "note", "as typed");
	form = beds_outcome_form(v, typed);
	ck_assert_str_eq(json_string_value(json_object_get(form, "note")), "as typed");
	ck_assert(json_is_true(json_object_get(json_array_get(json_object_get(form, "outcomes"), 3), "selected")));
	ck_assert(json_is_false(json_object_get(json_array_get(json_object_get(form, "outcomes"), 0), "selected")));
	json_decref(form);
	json_decref(typed);
	json_decref(v);
	v = beds_hold_view(&resp, h, 2000);
	ck_assert_str_eq(json_string_value(json_object_get(v, "outcome_side")), "responder");
	form = beds_outcome_form(v, NULL);
	ck_assert(json_is_false(json_object_get(form, "required")));
	ck_assert(json_is_false(json_object_get(form, "replacing")));
	json_decref(form);
	json_decref(v);
	v = beds_hold_view(&other, h, 2000);
	ck_assert_ptr_null(json_object_get(v, "outcome_side"));
	ck_assert(json_is_false(json_object_get(v, "can_record_outcome")));
	ck_assert_ptr_null(beds_outcome_form(v, NULL));
	json_decref(v);
	json_decref(h);
}
END_TEST

/* The outcome's note is guarded as case notes are; the outcome is one of
 * four. */
START_TEST(outcome_fields_refuse_personal_data_and_other_outcomes)
{
	portal_fields t = beds_fields_of(BEDS_FIELDS_OUTCOME);
	json_t *good = json_pack("{s:s, s:s}", "outcome", "placed_elsewhere", "note", "she claims it");
	json_t *bad = json_pack("{s:s, s:s}", "outcome", "vanished", "note", "born 12/03/1985, arrived");
	json_t *valid = NULL, *errors = NULL;

	ck_assert_int_eq(portal_validate(good, t, &valid, &errors), 0);
	ck_assert_str_eq(portal_json_text(valid, "outcome"), "placed_elsewhere");
	json_decref(valid);
	valid = NULL;
	ck_assert_int_eq(portal_validate(bad, t, &valid, &errors), -1);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(errors, "note")), "date of birth"));
	ck_assert_ptr_nonnull(json_object_get(errors, "outcome"));
	json_decref(errors);
	json_decref(valid);
	json_decref(good);
	json_decref(bad);
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

	ck_assert_uint_eq(search.n, 10);  /* group, person, four needs, language, area, page, per_page */
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
	tcase_add_test(tc, search_near_lists_the_boroughs_by_distance);
	tcase_add_test(tc, house_card_has_the_details_and_no_groups);
	tcase_add_test(tc, house_index_has_needs_languages_and_welcomes);
	tcase_add_test(tc, available_never_shown_below_zero);
	tcase_add_test(tc, summary_counts_available_and_bands);
	tcase_add_test(tc, report_counts_outcomes_reasons_and_unmet_need_and_csv_is_safe);
	tcase_add_test(tc, needs_text_names_each_need);
	tcase_add_test(tc, unmet_words_say_the_group_and_the_needs);
	tcase_add_test(tc, hold_view_and_form_say_what_happened);
	tcase_add_test(tc, outcome_fields_refuse_personal_data_and_other_outcomes);
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
