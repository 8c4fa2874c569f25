/* test_cases_report.c - the responsiveness report per quarter (issue 18):
 * the quarter before a quarter (quarters.c), a quarter's figures counting
 * only the cases shared in it (views.c cases_responsiveness), and the
 * report published for monitoring (views.c cases_report_quarters): the
 * quarter of `now` and the three before, each unit's "unit" in the place of
 * its "code", each quarter's figures those of cases_responsiveness. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../modules/cases/fields.c"
#include "../../modules/cases/quarters.c"
#include "../../modules/cases/suppress.c"
#include "../../modules/cases/units.c"
#include "../../modules/cases/views.c"

#define DAY 86400LL
/* 15 November 2026 12:00 UTC, and 15 August, 15 May, 15 February 2026 and
 * 15 November 2025 (mid-month: the same quarter in London as in UTC) */
#define NOV_2026 1794744000LL
#define AUG_2026 1786795200LL
#define MAY_2026 1778846400LL
#define FEB_2026 1771156800LL
#define NOV_2025 1763208000LL

/* A case hash shared with `unit` at `at`, acknowledged `ack_days` later
 * (0: not), closed with an outcome when `closed`. */
static json_t *a_case(const char *unit, long long at, long long ack_days, int closed)
{
	json_t *c = json_pack("{s:s, s:s, s:s}", "unit", unit, "status", closed ? "closed" : "received",
	                      "created_at", "0");
	char n[24];

	snprintf(n, sizeof(n), "%lld", at);
	json_object_set_new(c, "created_at", json_string(n));
	if (ack_days > 0) {
		snprintf(n, sizeof(n), "%lld", at + ack_days * DAY);
		json_object_set_new(c, "acknowledged_at", json_string(n));
	}
	if (closed)
		json_object_set_new(c, "outcome", json_string("Charged"));
	return c;
}

static const json_t *unit_row(const json_t *report, const char *key, const char *unit)
{
	const json_t *u;
	size_t i;

	json_array_foreach(json_object_get(report, "units"), i, u)
		if (strcmp(json_string_value(json_object_get(u, key)), unit) == 0)
			return u;
	return NULL;
}

START_TEST(the_quarter_before)
{
	char q[16];

	ck_assert_str_eq(cases_quarter_before("2026-Q1", q, sizeof(q)), "2025-Q4");
	ck_assert_str_eq(cases_quarter_before("2026-Q4", q, sizeof(q)), "2026-Q3");
	ck_assert_str_eq(cases_quarter_before("2026-Q2", q, sizeof(q)), "2026-Q1");
	ck_assert_str_eq(cases_quarter_before("2026-Q5", q, sizeof(q)), "");
	ck_assert_str_eq(cases_quarter_before("not one", q, sizeof(q)), "");
}
END_TEST

START_TEST(a_quarter_counts_only_the_cases_shared_in_it)
{
	json_t *all = json_pack("[o, o, o, o]", a_case("north-east", NOV_2026, 2, 1), a_case("north-east", NOV_2026, 4, 0),
	                        a_case("north-east", AUG_2026, 1, 0), a_case("east", NOV_2026, 0, 0));
	json_t *q4 = cases_responsiveness(all, "2026-Q4", (time_t)(NOV_2026 + 20 * DAY));
	json_t *every = cases_responsiveness(all, NULL, (time_t)(NOV_2026 + 20 * DAY));
	const json_t *ne = unit_row(q4, "code", "north-east");

	ck_assert_int_eq(json_integer_value(json_object_get(ne, "shared")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(ne, "acknowledged")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(ne, "closed_with_outcome")), 1);
	ck_assert(json_real_value(json_object_get(ne, "median_days_to_ack")) == 3.0);
	ck_assert_int_eq(json_integer_value(json_object_get(unit_row(q4, "code", "east"), "acknowledged")), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(unit_row(every, "code", "north-east"), "shared")), 3);
	json_decref(q4);
	json_decref(every);
	json_decref(all);
}
END_TEST

START_TEST(the_published_report_is_four_quarters_of_the_same_figures)
{
	json_t *all = json_pack("[o, o, o, o, o]", a_case("north-east", NOV_2026, 2, 1), a_case("north-east", AUG_2026, 1, 0),
	                        a_case("east", MAY_2026, 3, 0), a_case("east", FEB_2026, 0, 0), a_case("east", NOV_2025, 1, 1));
	time_t now = (time_t)(NOV_2026 + 20 * DAY);
	json_t *report = cases_report_quarters(all, now), *quarters = json_object_get(report, "quarters"), *q;
	const char *const want[] = { "2026-Q4", "2026-Q3", "2026-Q2", "2026-Q1" };
	long long shared = 0;
	const char *name;
	size_t i, k;

	ck_assert_int_eq(json_integer_value(json_object_get(report, "updated_at")), (json_int_t)now);
	ck_assert_int_eq(json_object_size(report), 2);
	ck_assert_int_eq(json_object_size(quarters), 4);
	for (i = 0; i < 4; i++) {
		json_t *same = cases_responsiveness(all, want[i], now), *u;

		q = json_object_get(quarters, want[i]);
		ck_assert_msg(q != NULL, "%s is published", want[i]);
		ck_assert_int_eq(json_object_size(q), 1);
		ck_assert_int_eq(json_array_size(json_object_get(q, "units")), json_array_size(json_object_get(same, "units")));
		json_array_foreach(json_object_get(same, "units"), k, u) {
			const json_t *p = json_array_get(json_object_get(q, "units"), k);
			json_t *expect = json_deep_copy(u);

			/* the unit's code is "unit" there, and nothing else differs */
			json_object_set(expect, "unit", json_object_get(u, "code"));
			json_object_del(expect, "code");
			ck_assert_msg(json_equal(expect, (json_t *)p), "%s unit %zu", want[i], k);
			shared += json_integer_value(json_object_get(p, "shared"));
			json_decref(expect);
		}
		json_decref(same);
	}
	/* the case of November 2025 is in none of them */
	ck_assert_int_eq(shared, 4);
	json_object_foreach(quarters, name, q)
		ck_assert_ptr_null(json_object_get(json_array_get(json_object_get(q, "units"), 0), "code"));
	ck_assert_int_eq(json_integer_value(json_object_get(unit_row(json_object_get(quarters, "2026-Q2"), "unit", "east"), "acknowledged")), 1);
	json_decref(report);
	json_decref(all);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cases_report");
	TCase *tc = tcase_create("report");
	SRunner *sr;
	int failed;

	setenv("TZ", "Europe/London", 1);
	tzset();
	tcase_add_test(tc, the_quarter_before);
	tcase_add_test(tc, a_quarter_counts_only_the_cases_shared_in_it);
	tcase_add_test(tc, the_published_report_is_four_quarters_of_the_same_figures);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
