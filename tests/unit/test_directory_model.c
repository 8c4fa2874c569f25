/* test_directory_model.c - the directory's pure functions: service
 * validation, free-text words, opening hours and "open now", name order,
 * search parsing, and the Open Referral mapping's round trip. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../fuzz/directory_sources.h"

/* A valid service input (API shape). */
static json_t *service_input(void)
{
	return json_pack("{s:s, s:s, s:s, s:[s], s:[s], s:[s], s:[s, s], s:[s], s:[s, s], "
	                 "s:{s:b, s:s, s:s}, s:{s:[s, s], s:[s], s:b, s:b, s:s, s:s}}",
	        "organisation_id", "d0000000-0000-4000-8000-000000000001",
	        "name", "Albanian youth outreach (demo)", "description", "Youth workers who meet young people at risk of county lines.",
	        "service_types", "outreach", "exploitation_types", "criminal", "client_groups", "children",
	        "languages", "sq", "en", "communities", "albanian", "boroughs", "newham", "london-wide",
	        "hours", "always_open", 0, "opening", "sat 10:00-13:00; mon-fri 09:00-17:30", "out_of_hours", "Call the helpline",
	        "how_to_refer", "steps", "Call us", "Send the form", "referrers", "police",
	        "consent_needed", 1, "nrm_needed", 0, "contact", "020 7946 0100", "response_time", "Same day");
}

static json_t *communities(void)
{
	return json_pack("{s:s, s:s}", "albanian", "Albanian", "romanian", "Romanian");
}

START_TEST(valid_service_is_normalised_with_language_names_and_canonical_hours)
{
	json_t *in = service_input(), *c = communities(), *svc = NULL, *errors = NULL;

	ck_assert_int_eq(directory_service_validate(in, c, NULL, &svc, &errors), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(svc, "languages"), 0), "name")), "Albanian");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(svc, "communities"), 0), "name")), "Albanian");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(svc, "hours"), "opening")),
	                 "mon-fri 09:00-17:30; sat 10:00-13:00");
	ck_assert(json_is_true(json_object_get(json_object_get(svc, "how_to_refer"), "consent_needed")));
	json_decref(svc);
	json_decref(in);
	json_decref(c);
}
END_TEST

/* jansson's allocator for the next test: fails allocation number
 * alloc_fail_at (0: never) and counts the blocks still live. */
static long alloc_live, alloc_count, alloc_fail_at;

static void *counting_malloc(size_t n)
{
	void *p;

	if (alloc_fail_at && ++alloc_count == alloc_fail_at)
		return NULL;
	if ((p = malloc(n)) != NULL)
		alloc_live++;
	return p;
}

static void counting_free(void *p)
{
	if (p) {
		alloc_live--;
		free(p);
	}
}

/* issue 12: a failure to build the record replaced the error object made
 * before it (leaking it); at every allocation that fails, validation
 * answers -1 with errors or 0 with a service, and frees everything. */
START_TEST(validation_frees_everything_when_any_allocation_fails)
{
	long k;

	json_set_alloc_funcs(counting_malloc, counting_free);
	for (k = 1; k < 100000; k++) {
		json_t *in, *c, *svc = NULL, *errors = NULL;
		int rc;

		alloc_live = alloc_count = 0;
		alloc_fail_at = k;
		in = service_input();
		c = communities();
		rc = directory_service_validate(in, c, NULL, &svc, &errors);
		ck_assert(rc == 0 ? svc != NULL && errors == NULL : svc == NULL);
		json_decref(svc);
		json_decref(errors);
		json_decref(in);
		json_decref(c);
		ck_assert_msg(alloc_live == 0, "allocation %ld failing leaves %ld blocks", k, alloc_live);
		if (alloc_count < k)
			break;  /* no allocation failed: every one has been tried */
	}
	alloc_fail_at = 0;
	json_set_alloc_funcs(malloc, free);
}
END_TEST

START_TEST(invalid_language_borough_and_hours_are_each_named)
{
	json_t *in = service_input(), *c = communities(), *svc = NULL, *errors = NULL;

	json_object_set_new(in, "languages", json_pack("[s]", "xx"));
	json_object_set_new(in, "boroughs", json_pack("[s]", "narnia"));
	json_object_set_new(json_object_get(in, "hours"), "opening", json_string("someday 9-5"));
	json_object_set_new(in, "communities", json_pack("[s]", "atlantis"));
	ck_assert_int_eq(directory_service_validate(in, c, NULL, &svc, &errors), -1);
	ck_assert_ptr_null(svc);
	ck_assert_ptr_nonnull(json_object_get(errors, "languages"));
	ck_assert_ptr_nonnull(json_object_get(errors, "boroughs"));
	ck_assert_ptr_nonnull(json_object_get(errors, "opening"));
	ck_assert_ptr_nonnull(json_object_get(errors, "communities"));
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(errors, "languages")), "xx"));
	json_decref(errors);
	json_decref(in);
	json_decref(c);
}
END_TEST

START_TEST(missing_required_fields_and_bad_language_reported_together)
{
	json_t *in = service_input(), *c = communities(), *svc = NULL, *errors = NULL;

	json_object_del(in, "name");
	json_object_set_new(in, "languages", json_pack("[s]", "zz"));
	ck_assert_int_eq(directory_service_validate(in, c, NULL, &svc, &errors), -1);
	ck_assert_ptr_nonnull(json_object_get(errors, "name"));
	ck_assert_ptr_nonnull(json_object_get(errors, "languages"));
	json_decref(errors);
	json_decref(in);
	json_decref(c);
}
END_TEST

/* An organisation's website, e-mail and phone are the table's URL, EMAIL
 * and PHONE types; its agency id is a check of the module's own. */
START_TEST(organisation_contact_fields_are_typed)
{
	json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", "Hope", "description", "Support",
	                       "website", "javascript:alert(1)", "email", "refs@example", "phone", "0203",
	                       "agency_id", "Hope House"), *org = NULL, *errors = NULL;

	ck_assert_int_eq(directory_organisation_validate(in, NULL, &org, &errors), -1);
	ck_assert_ptr_null(org);
	ck_assert_str_eq(json_string_value(json_object_get(errors, "website")),
	                 "Enter a website as a full web address starting https://, like https://example.org/");
	ck_assert_str_eq(json_string_value(json_object_get(errors, "email")), "Enter an email address like name@example.org");
	ck_assert_str_eq(json_string_value(json_object_get(errors, "phone")),
	                 "Enter a phone number: a UK number like 020 7946 0000 or 07700 900123");
	ck_assert_str_eq(json_string_value(json_object_get(errors, "agency_id")),
	                 "Give the agency id in lower-case letters, digits and hyphens");
	json_decref(errors);
	json_object_set_new(in, "website", json_string("https://hope.example.org/"));
	json_object_set_new(in, "email", json_string("refs@hope.example.org"));
	json_object_set_new(in, "phone", json_string("+44 (0)20 7946-0102"));
	json_object_set_new(in, "agency_id", json_string("hope_house-2"));
	ck_assert_int_eq(directory_organisation_validate(in, NULL, &org, &errors), 0);
	ck_assert_str_eq(json_string_value(json_object_get(org, "phone")), "+44 (0)20 7946-0102");
	json_decref(org);
	json_decref(in);
}
END_TEST

/* The community code and the generated set's tag: the module's own checks. */
START_TEST(community_code_and_tag_checks)
{
	json_t *v = json_string("latin-american");
	char msg[200];

	ck_assert_int_eq(directory_check_community_code(v, msg, sizeof(msg)), 0);
	ck_assert_int_eq(directory_check_tag(v, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "Give the tag in lower-case letters and digits");
	json_decref(v);
	v = json_string("Latin_American");
	ck_assert_int_eq(directory_check_community_code(v, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "Give the code in lower-case letters, digits and hyphens, like latin-american");
	json_decref(v);
	v = json_string("run42");
	ck_assert_int_eq(directory_check_tag(v, msg, sizeof(msg)), 0);
	json_decref(v);
}
END_TEST

START_TEST(partial_change_keeps_the_stored_values)
{
	json_t *in = service_input(), *c = communities(), *base = NULL, *svc = NULL, *errors = NULL;
	json_t *change = json_pack("{s:s}", "name", "Renamed (demo)");

	ck_assert_int_eq(directory_service_validate(in, c, NULL, &base, &errors), 0);
	ck_assert_int_eq(directory_service_validate(change, c, base, &svc, &errors), 0);
	ck_assert_str_eq(json_string_value(json_object_get(svc, "name")), "Renamed (demo)");
	ck_assert(json_equal(json_object_get(svc, "languages"), json_object_get(base, "languages")));
	json_decref(svc);
	json_decref(base);
	json_decref(change);
	json_decref(in);
	json_decref(c);
}
END_TEST

START_TEST(hours_parse_and_open_at)
{
	directory_hours h;
	char err[200];

	ck_assert_int_eq(directory_hours_parse("mon-fri 09:00-17:30; sat,sun 10:00-14:00", &h, err, sizeof(err)), 0);
	ck_assert(directory_hours_open_at(&h, 0, 0, 9 * 60));         /* Monday 09:00 */
	ck_assert(!directory_hours_open_at(&h, 0, 0, 8 * 60 + 59));   /* Monday 08:59 */
	ck_assert(directory_hours_open_at(&h, 0, 4, 17 * 60 + 29));   /* Friday 17:29 */
	ck_assert(!directory_hours_open_at(&h, 0, 4, 17 * 60 + 30));  /* Friday 17:30 */
	ck_assert(directory_hours_open_at(&h, 0, 6, 13 * 60));        /* Sunday 13:00 */
	ck_assert(!directory_hours_open_at(&h, 0, 6, 15 * 60));
	ck_assert(directory_hours_open_at(&h, 1, 6, 3 * 60));         /* always open */
	ck_assert_int_eq(directory_hours_parse("mon 09:15-17:00", &h, err, sizeof(err)), -1);
	ck_assert_int_eq(directory_hours_parse("mon 17:00-09:00", &h, err, sizeof(err)), -1);
	ck_assert_int_eq(directory_hours_parse("fri-mon 09:00-10:00", &h, err, sizeof(err)), -1);
	ck_assert_int_eq(directory_hours_parse("funday 09:00-10:00", &h, err, sizeof(err)), -1);
	ck_assert_int_eq(directory_hours_parse("mon 00:00-24:00", &h, err, sizeof(err)), 0);
	ck_assert(directory_hours_open_at(&h, 0, 0, 23 * 60 + 59));
	ck_assert_int_eq(directory_hours_parse("", &h, err, sizeof(err)), 0);
	ck_assert(!directory_hours_open_at(&h, 0, 0, 600));
}
END_TEST

struct words { char list[16][41]; size_t n; };

static void collect(const char *w, size_t len, void *arg)
{
	struct words *ws = arg;

	if (ws->n < 16) {
		memcpy(ws->list[ws->n], w, len + 1);
		ws->n++;
	}
}

START_TEST(tokenise_lowercases_and_drops_short_and_common_words)
{
	struct words ws = { .n = 0 };

	directory_tokenise("The County-Lines project, for a CHILD in Newham!", 16, collect, &ws);
	ck_assert_uint_eq(ws.n, 5);
	ck_assert_str_eq(ws.list[0], "county");
	ck_assert_str_eq(ws.list[1], "lines");
	ck_assert_str_eq(ws.list[2], "project");
	ck_assert_str_eq(ws.list[3], "child");
	ck_assert_str_eq(ws.list[4], "newham");
}
END_TEST

START_TEST(name_score_orders_names_case_insensitively)
{
	ck_assert(directory_name_score("Albanian youth") < directory_name_score("baltic"));
	ck_assert(directory_name_score("24-hour helpline") < directory_name_score("Albanian"));
	ck_assert(directory_name_score("abc") == directory_name_score("ABC"));
	ck_assert(directory_name_score("zzzzzzzzzzzzzz") < 9007199254740992.0);
}
END_TEST

START_TEST(query_parse_checks_codes_and_per_page)
{
	json_t *q = json_pack("{s:[s, s], s:s, s:s, s:s}", "language", "sq", "ro", "exploitation", "criminal",
	                      "borough", "newham", "q", "County lines for the children"), *c = communities();
	json_t *valid = NULL, *errors = NULL;
	directory_query dq;

	ck_assert_int_eq(directory_query_parse(q, c, &dq, &valid, &errors), 0);
	ck_assert_uint_eq(dq.nvalues[DIRECTORY_FACET_LANGUAGE], 2);
	ck_assert_uint_eq(dq.nwords, 3);
	ck_assert_int_eq(dq.per_page, 20);
	ck_assert_int_eq(dq.sort_name, 0);
	json_decref(valid);
	json_decref(q);
	q = json_pack("{s:s, s:s, s:s, s:s}", "language", "xx", "borough", "narnia", "per_page", "101", "exploitation", "magic");
	ck_assert_int_eq(directory_query_parse(q, c, &dq, &valid, &errors), -1);
	ck_assert_ptr_nonnull(json_object_get(errors, "language"));
	ck_assert_ptr_nonnull(json_object_get(errors, "borough"));
	ck_assert_ptr_nonnull(json_object_get(errors, "per_page"));
	ck_assert_ptr_nonnull(json_object_get(errors, "exploitation"));
	json_decref(errors);
	json_decref(q);
	json_decref(c);
}
END_TEST

START_TEST(index_lists_facets_words_and_open_slots)
{
	json_t *in = service_input(), *c = communities(), *svc = NULL, *errors = NULL;
	portal_buf fac, ix;

	ck_assert_int_eq(directory_service_validate(in, c, NULL, &svc, &errors), 0);
	portal_buf_init(&fac, 0);
	portal_buf_init(&ix, 0);
	ck_assert_int_eq(directory_service_index(svc, &fac, &ix), 0);
	ck_assert_ptr_nonnull(strstr(fac.data, "language:sq"));
	ck_assert_ptr_nonnull(strstr(fac.data, "borough:london-wide"));
	ck_assert_ptr_nonnull(strstr(fac.data, "referrer:police"));
	ck_assert_ptr_nonnull(strstr(ix.data, "w:albanian=3"));   /* in the name */
	ck_assert_ptr_nonnull(strstr(ix.data, "w:county=2"));     /* in the description and the exploitation type's name */
	ck_assert_ptr_nonnull(strstr(ix.data, "w:shqip=2"));      /* Albanian's own name (issue 15: facet names are words) */
	ck_assert_ptr_nonnull(strstr(ix.data, "w:london=2"));     /* "London-wide", the borough's name */
	ck_assert_ptr_nonnull(strstr(ix.data, "o:0:18"));         /* Monday 09:00 */
	ck_assert_ptr_null(strstr(ix.data, "o:6:"));              /* closed on Sunday */
	ck_assert_ptr_nonnull(strstr(ix.data, "f:org:d0000000-0000-4000-8000-000000000001"));
	portal_buf_free(&fac);
	portal_buf_free(&ix);
	json_decref(svc);
	json_decref(in);
	json_decref(c);
}
END_TEST

START_TEST(hsds_mapping_round_trips)
{
	json_t *in = service_input(), *c = communities(), *svc = NULL, *errors = NULL, *h, *back, *svc2 = NULL;
	char err[200];

	ck_assert_int_eq(directory_service_validate(in, c, NULL, &svc, &errors), 0);
	json_object_set_new(svc, "id", json_string("5e000000-0000-4000-8000-000000000001"));
	json_object_set_new(svc, "last_verified", json_string("2026-01-10"));
	h = directory_hsds_service(svc, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(h, "status")), "active");
	ck_assert_str_eq(json_string_value(json_object_get(h, "assured_date")), "2026-01-10");
	ck_assert_uint_eq(json_array_size(json_object_get(h, "schedules")), 2);
	ck_assert(directory_uuid_valid(json_string_value(json_object_get(json_array_get(json_object_get(h, "attributes"), 0), "id"))));
	back = directory_hsds_service_input(h, err, sizeof(err));
	ck_assert_int_eq(directory_service_validate(back, c, NULL, &svc2, &errors), 0);
	json_object_set_new(svc2, "id", json_string("5e000000-0000-4000-8000-000000000001"));
	ck_assert(json_equal(svc, svc2));
	json_decref(svc2);
	json_decref(back);
	json_decref(h);
	json_decref(svc);
	json_decref(in);
	json_decref(c);
}
END_TEST

START_TEST(uuids_are_checked_and_made)
{
	char id[37];

	ck_assert(directory_uuid_valid("5e000000-0000-4000-8000-000000000001"));
	ck_assert(!directory_uuid_valid("5E000000-0000-4000-8000-000000000001"));
	ck_assert(!directory_uuid_valid("5e000000-0000-4000-8000-00000000000"));
	ck_assert(!directory_uuid_valid("../../etc/passwd"));
	ck_assert_int_eq(directory_uuid_new(id), 0);
	ck_assert(directory_uuid_valid(id));
	ck_assert_int_eq(id[14], '4');
}
END_TEST

int main(void)
{
	Suite *s = suite_create("directory_model");
	TCase *tc = tcase_create("model");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, valid_service_is_normalised_with_language_names_and_canonical_hours);
	tcase_add_test(tc, invalid_language_borough_and_hours_are_each_named);
	tcase_add_test(tc, validation_frees_everything_when_any_allocation_fails);
	tcase_add_test(tc, missing_required_fields_and_bad_language_reported_together);
	tcase_add_test(tc, partial_change_keeps_the_stored_values);
	tcase_add_test(tc, organisation_contact_fields_are_typed);
	tcase_add_test(tc, community_code_and_tag_checks);
	tcase_add_test(tc, hours_parse_and_open_at);
	tcase_add_test(tc, tokenise_lowercases_and_drops_short_and_common_words);
	tcase_add_test(tc, name_score_orders_names_case_insensitively);
	tcase_add_test(tc, query_parse_checks_codes_and_per_page);
	tcase_add_test(tc, index_lists_facets_words_and_open_slots);
	tcase_add_test(tc, hsds_mapping_round_trips);
	tcase_add_test(tc, uuids_are_checked_and_made);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
