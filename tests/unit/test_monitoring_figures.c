/* test_monitoring_figures.c - the monitoring figures' pure functions: a
 * quarter read (only "2026-Q4"), the quarters before one across a year,
 * an instant's quarter in London time, a quarter in words; the figures
 * from kept counts (the median time to an answer, in words; a unit named
 * as the cases report names it, else from its code; the trend of four);
 * the page's charts with their figures in words; the CSV with a formula
 * made text.  (quarter.c, views.c, figures.c and reportview.c are
 * compiled into this program.) */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../modules/monitoring/quarter.c"
#include "../../modules/monitoring/views.c"
#include "../../modules/monitoring/figures.c"
#include "../../modules/monitoring/reportview.c"

START_TEST(a_quarter_is_read_only_in_its_one_form)
{
	int y, q;
	char out[16];

	ck_assert_int_eq(monitoring_quarter_parse("2026-Q4", &y, &q), 0);
	ck_assert_int_eq(y, 2026);
	ck_assert_int_eq(q, 4);
	for (const char *const *bad = (const char *const[]){ "2026-Q5", "2026-Q0", "2026Q4", "26-Q4", "2026-Q4 ",
	                                                      "2026-q4", "", "1999-Q1", "20x6-Q1", NULL }; *bad; bad++)
		ck_assert_msg(monitoring_quarter_parse(*bad, &y, &q) < 0, "%s", *bad);
	ck_assert_int_eq(monitoring_quarter_parse(NULL, &y, &q), -1);
	ck_assert_int_eq(monitoring_quarter_back("2026-Q2", 3, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "2025-Q3");
	ck_assert_int_eq(monitoring_quarter_back("2026-Q1", 0, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "2026-Q1");
	ck_assert_int_eq(monitoring_quarter_back("bad", 1, out, sizeof(out)), -1);
	ck_assert_str_eq(monitoring_quarter_words("2026-Q4", out, sizeof(out)), "October to Dece");  /* cut to the buffer */
	ck_assert_str_eq(monitoring_quarter_words("2026-Q9", out, sizeof(out)), "");
}
END_TEST

START_TEST(an_instant_falls_in_its_london_quarter)
{
	char out[16], words[64];

	/* 23:30 UTC on 30 September 2025 is 00:30 on 1 October in London (summer time) */
	ck_assert_str_eq(monitoring_quarter_at(1759275000, out, sizeof(out)), "2025-Q4");
	/* 23:30 UTC on 31 December 2025 is still 2025 in London (winter: UTC) */
	ck_assert_str_eq(monitoring_quarter_at(1767223800, out, sizeof(out)), "2025-Q4");
	ck_assert_str_eq(monitoring_quarter_words("2025-Q4", words, sizeof(words)), "October to December 2025");
	ck_assert_str_eq(monitoring_quarter_words("2026-Q1", words, sizeof(words)), "January to March 2026");
}
END_TEST

/* Figures of 2025-Q4 from these kept counts and minutes. */
static json_t *figures_of(const char *fig_json, const char *minutes_json, const json_t *report)
{
	json_t *kept = json_pack("{s:{s:o, s:o}}", "2025-Q4", "fig", json_loads(fig_json, 0, NULL),
	                         "minutes", json_loads(minutes_json, 0, NULL));
	json_t *texts = json_array(), *theme_names = json_object(), *f;
	monitoring_sources src = { kept, texts, theme_names, report };

	f = monitoring_figures(&src, "2025-Q4", 1764000000);
	json_decref(kept);
	json_decref(texts);
	json_decref(theme_names);
	return f;
}

START_TEST(holds_have_their_median_time_to_an_answer_in_words)
{
	json_t *f = figures_of("{\"placed|b|newham\":\"4\",\"answered|b|newham\":\"4\",\"placed|u|ne\":\"4\","
	                       "\"placed|b|camden\":\"1\"}",
	                       "[\"10|newham|ne\",\"30|newham|ne\",\"95|newham|ne\",\"200|newham|ne\"]", NULL);
	const json_t *boroughs = json_object_get(json_object_get(f, "holds"), "by_borough");
	const json_t *camden = json_array_get(boroughs, 0), *newham = json_array_get(boroughs, 1);

	ck_assert_str_eq(portal_json_text(newham, "name"), "Newham");
	ck_assert_int_eq(portal_json_num(newham, "median_minutes"), 63);  /* (30 + 95) / 2 = 62.5 */
	ck_assert_str_eq(portal_json_text(newham, "median_text"), "1 hour 3 minutes");
	ck_assert(json_is_null(json_object_get(camden, "median_minutes")));
	ck_assert_str_eq(portal_json_text(camden, "median_text"), "no answers");
	ck_assert_int_eq(portal_json_num(camden, "answered"), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(f, "trend")), 4);
	ck_assert_int_eq(portal_json_num(json_array_get(json_object_get(f, "trend"), 3), "placed"), 5);
	ck_assert_int_eq(portal_json_num(json_array_get(json_object_get(f, "trend"), 0), "placed"), 0);
	json_decref(f);
}
END_TEST

START_TEST(a_unit_is_named_as_the_cases_report_names_it_else_from_its_code)
{
	json_t *report = json_pack("{s:{s:{s:[{s:s, s:s}]}}}", "quarters", "2025-Q1", "units", "unit", "north-east",
	                           "name", "North East BCU");
	json_t *f = figures_of("{\"booked|police|north-east\":\"2\",\"booked|police|central-west\":\"1\","
	                       "\"booked|unknown|\":\"1\"}", "[]", report);
	const json_t *by_unit = json_object_get(json_object_get(f, "training"), "by_unit");

	ck_assert_str_eq(portal_json_text(json_array_get(by_unit, 0), "name"), "Central west");
	ck_assert_str_eq(portal_json_text(json_array_get(by_unit, 1), "name"), "No police unit");
	ck_assert_str_eq(portal_json_text(json_array_get(by_unit, 2), "name"), "North East BCU");
	ck_assert(json_is_false(json_object_get(json_object_get(f, "responsiveness"), "available")));
	json_decref(f);
	json_decref(report);
}
END_TEST

START_TEST(the_page_says_its_figures_in_words_and_the_csv_makes_a_formula_text)
{
	json_t *f = figures_of("{\"unmet|newham|=1+2\":\"6\",\"course|A|B|feedback\":\"2\",\"course|A|B|delta\":\"-1\","
	                       "\"course|A|B|useful\":\"7\"}", "[]", NULL);
	const json_t *course = json_array_get(json_object_get(json_object_get(f, "training"), "courses"), 0);
	portal_buf csv;
	json_t *page;
	const json_t *unmet;

	ck_assert_str_eq(portal_json_text(course, "title"), "A|B");
	ck_assert(json_real_value(json_object_get(course, "confidence_change")) == -0.5);
	ck_assert(json_real_value(json_object_get(course, "usefulness")) == 3.5);
	portal_buf_init(&csv, 0);
	ck_assert_int_eq(monitoring_report_csv_write(f, &csv), 0);
	ck_assert_ptr_nonnull(strstr(csv.data, "\"'=1+2\",Newham,6\r\n"));
	portal_buf_free(&csv);
	page = monitoring_report_page(f, 1764000000);
	unmet = json_array_get(json_object_get(page, "sections"), 2);
	ck_assert_str_eq(portal_json_text(unmet, "id"), "unmet");
	ck_assert_ptr_nonnull(strstr(portal_json_text(json_object_get(unmet, "chart"), "desc"),
	                             "October to December 2025, searches with no bed: 6."));
	ck_assert_uint_eq(json_array_size(json_object_get(page, "sections")), 6);
	json_decref(page);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("monitoring_figures");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	setenv("TZ", "Europe/London", 1);
	tzset();
	tcase_add_test(tc, a_quarter_is_read_only_in_its_one_form);
	tcase_add_test(tc, an_instant_falls_in_its_london_quarter);
	tcase_add_test(tc, holds_have_their_median_time_to_an_answer_in_words);
	tcase_add_test(tc, a_unit_is_named_as_the_cases_report_names_it_else_from_its_code);
	tcase_add_test(tc, the_page_says_its_figures_in_words_and_the_csv_makes_a_formula_text);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
