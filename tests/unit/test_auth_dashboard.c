/* test_auth_dashboard.c - the dashboard's words (modules/auth/dashboard.c
 * is compiled into this program): the time left in minutes and hours, each
 * list's item in words with its link, the waiting-list note, a house never
 * updated, changes and suggestions each with their own list, and the week
 * the figures are kept under. */
#include "../../modules/auth/dashboard.c"

#include <check.h>
#include <stdlib.h>

#include "clock.h"
#include "template.h"

/* The handlers are linked with libportal, whose app.c loads the templates
 * an executable compiles in: this program has none. */
const portal_template_source portal_embedded_templates[] = { { "layout", "", 0 } };
const size_t portal_embedded_templates_count = 1;

#define NOW 1796450000  /* Saturday 5 December 2026, 12:33:20 UTC */

/* Item `json` of the section named `kind` in words, into text and link. */
static void words(const char *kind, const char *json, char *text, char *link)
{
	json_t *item = json_loads(json, 0, NULL);
	size_t i;

	ck_assert_ptr_nonnull(item);
	for (i = 0; i < DASH_NSECTIONS && strcmp(dash_sections[i].kind, kind) != 0; i++)
		;
	ck_assert_uint_lt(i, DASH_NSECTIONS);
	dash_item_words(&dash_sections[i], item, NOW, text, 512, link, 256);
	json_decref(item);
}

START_TEST(time_left_reads_in_minutes_and_hours)
{
	char out[64];

	dash_time_left(40 * 60 + 59, out, sizeof(out));
	ck_assert_str_eq(out, "in 40 minutes");
	dash_time_left(60, out, sizeof(out));
	ck_assert_str_eq(out, "in 1 minute");
	dash_time_left(3600, out, sizeof(out));
	ck_assert_str_eq(out, "in 1 hour");
	dash_time_left(2 * 3600 + 5 * 60, out, sizeof(out));
	ck_assert_str_eq(out, "in 2 hours 5 minutes");
	dash_time_left(59, out, sizeof(out));
	ck_assert_str_eq(out, "in less than a minute");
	dash_time_left(-30, out, sizeof(out));
	ck_assert_str_eq(out, "in less than a minute");
}
END_TEST

START_TEST(a_waiting_hold_says_the_house_and_the_time_left_and_links_the_hold)
{
	char text[512], link[256];

	words("holds_waiting", "{\"id\":\"7\",\"safehouse\":\"3\",\"name\":\"Harbour House\",\"expires_at\":1796452400}", text, link);
	ck_assert_str_eq(text, "Harbour House: expires in 40 minutes");
	ck_assert_str_eq(link, "/beds/holds/7");
	words("my_holds", "{\"id\":\"7\",\"name\":\"Harbour House\",\"expires_at\":1796452400}", text, link);
	ck_assert_str_eq(text, "Harbour House: waiting for an answer, expires in 40 minutes");
}
END_TEST

START_TEST(training_says_when_in_words_and_the_waiting_list)
{
	char text[512], link[256], when[96];

	portal_time_words(NOW + 3 * 86400, NOW, when, sizeof(when));
	words("next_training", "{\"id\":\"12\",\"title\":\"Spotting the signs\",\"starts_at\":1796709200,\"waitlisted\":true}", text, link);
	ck_assert_ptr_nonnull(strstr(text, "Spotting the signs, "));
	ck_assert_ptr_nonnull(strstr(text, when));
	ck_assert_ptr_nonnull(strstr(text, " (you are on the waiting list)"));
	ck_assert_str_eq(link, "/training/sessions/12");
	words("rosters_to_mark", "{\"id\":\"12\",\"title\":\"Spotting the signs\",\"ends_at\":1796709200}", text, link);
	ck_assert_ptr_nonnull(strstr(text, "Spotting the signs, ended "));
	ck_assert_ptr_null(strstr(text, "waiting list"));
	ck_assert_str_eq(link, "/training/sessions/12/roster");
}
END_TEST

START_TEST(a_house_never_updated_says_never)
{
	char text[512], link[256];

	words("vacancies_stale", "{\"id\":\"3\",\"name\":\"Harbour House\",\"updated_at\":0}", text, link);
	ck_assert_str_eq(text, "Harbour House: vacancies last updated never");
	ck_assert_str_eq(link, "/beds/safehouses/3");
}
END_TEST

START_TEST(changes_and_suggestions_link_their_own_lists)
{
	char text[512], link[256];

	words("to_review", "{\"id\":\"change:5\",\"what\":\"change\",\"ref\":\"5\",\"name\":\"Hope Project\"}", text, link);
	ck_assert_str_eq(text, "A change proposed to Hope Project");
	ck_assert_str_eq(link, "/directory/changes");
	words("to_review", "{\"id\":\"suggestion:9\",\"what\":\"suggestion\",\"ref\":\"9\",\"name\":\"Hope Project\"}", text, link);
	ck_assert_str_eq(text, "A suggested edit to Hope Project");
	ck_assert_str_eq(link, "/directory/suggestions");
}
END_TEST

START_TEST(the_week_is_keyed_by_its_monday)
{
	long long day = dash_week_day(NOW);
	time_t monday = (time_t)(day * 86400);
	struct tm tm;

	gmtime_r(&monday, &tm);
	ck_assert_int_eq(tm.tm_wday, 1);
	ck_assert_int_eq(tm.tm_mday, 30);  /* Monday 30 November 2026 */
	ck_assert_int_eq(dash_week_day(monday), day);
	ck_assert_int_eq(dash_week_day(monday - 1), day - 7);
	ck_assert_int_eq(dash_week_day(monday + 7 * 86400 - 1), day);
}
END_TEST

static Suite *dashboard_suite(void)
{
	Suite *s = suite_create("auth_dashboard");
	TCase *tc = tcase_create("words");

	tcase_add_test(tc, time_left_reads_in_minutes_and_hours);
	tcase_add_test(tc, a_waiting_hold_says_the_house_and_the_time_left_and_links_the_hold);
	tcase_add_test(tc, training_says_when_in_words_and_the_waiting_list);
	tcase_add_test(tc, a_house_never_updated_says_never);
	tcase_add_test(tc, changes_and_suggestions_link_their_own_lists);
	tcase_add_test(tc, the_week_is_keyed_by_its_monday);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(dashboard_suite());
	int failed;

	portal_clock_init();
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
