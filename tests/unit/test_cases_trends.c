/* test_cases_trends.c - the cases module's small-number suppression
 * (suppress.c): no count from 1 to 4 is ever shown, and no hidden count can
 * be worked out from the totals and the other counts (complementary
 * suppression); the units' borough routing (units.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "reference.h"

#include "../../modules/cases/suppress.c"
#include "../../modules/cases/units.c"

#define HID(g, r, c) ((g).hidden[(r) * ((g).cols + 1) + (c)])
#define VAL(g, r, c) ((g).value[(r) * ((g).cols + 1) + (c)])

/* No shown member of any line is 1..4, and no line has exactly one hidden
 * member: what "cannot be worked out" means for sums. */
static void assert_safe(const cases_grid *g)
{
	size_t r, c, hidden;

	for (r = 0; r <= g->rows; r++)
		for (c = 0; c <= g->cols; c++)
			if (!HID(*g, r, c))
				ck_assert_msg(VAL(*g, r, c) == 0 || VAL(*g, r, c) >= 5, "a shown %lld at (%zu, %zu)", VAL(*g, r, c), r, c);
	for (r = 0; r <= g->rows; r++) {
		for (hidden = 0, c = 0; c <= g->cols; c++)
			hidden += HID(*g, r, c);
		ck_assert_msg(hidden != 1, "row %zu has one hidden member", r);
	}
	for (c = 0; c <= g->cols; c++) {
		for (hidden = 0, r = 0; r <= g->rows; r++)
			hidden += HID(*g, r, c);
		ck_assert_msg(hidden != 1, "column %zu has one hidden member", c);
	}
}

START_TEST(counts_one_to_four_are_hidden_and_totals_too)
{
	const long long counts[] = { 3, 0, 10, 7 };  /* 2 x 2 */
	cases_grid g;

	ck_assert_int_eq(cases_grid_init(&g, counts, 2, 2), 0);
	ck_assert(HID(g, 0, 0));
	ck_assert(!HID(g, 0, 1));   /* 0 is shown */
	ck_assert(!HID(g, 1, 0));
	ck_assert_int_eq(VAL(g, 0, 2), 3);   /* row total 3: hidden */
	ck_assert(HID(g, 0, 2));
	ck_assert_int_eq(VAL(g, 2, 2), 20);
}
END_TEST

/* The crafted case: one small cell in a row whose total is shown would be
 * the total less the others; the next smallest cell of the row and of the
 * column goes too. */
START_TEST(a_total_that_would_reveal_a_hidden_cell_hides_the_next_smallest)
{
	const long long counts[] = {
		2, 9, 12,
		8, 6, 20,
		15, 11, 30,
	};
	cases_grid g;

	cases_grid_init(&g, counts, 3, 3);
	ck_assert(HID(g, 0, 0));
	ck_assert(!HID(g, 0, 1));
	cases_suppress(&g);
	ck_assert_msg(HID(g, 0, 1), "9, the next smallest of row 0, is hidden");
	ck_assert_msg(HID(g, 1, 0), "8, the next smallest of column 0, is hidden");
	ck_assert_msg(!HID(g, 2, 2), "30 is not needed");
	assert_safe(&g);
}
END_TEST

/* A row with one small cell and only zeros besides: its total is the cell,
 * and is itself 1..4, so hidden; the column still needs a second cell. */
START_TEST(a_lone_small_cell_hides_its_total_and_a_column_partner)
{
	const long long counts[] = {
		0, 3, 0,
		7, 6, 9,
		5, 12, 0,
	};
	cases_grid g;

	cases_grid_init(&g, counts, 3, 3);
	cases_suppress(&g);
	ck_assert(HID(g, 0, 1));
	ck_assert(HID(g, 0, 3));
	ck_assert_msg(HID(g, 1, 1), "6, the smallest partner in column 1");
	assert_safe(&g);
}
END_TEST

/* A row of one 5 and zeros: nothing is hidden and nothing is small. */
START_TEST(nothing_small_nothing_hidden)
{
	const long long counts[] = { 5, 0, 0, 10 };
	cases_grid g;
	size_t i;

	cases_grid_init(&g, counts, 2, 2);
	cases_suppress(&g);
	for (i = 0; i < 9; i++)
		ck_assert(!g.hidden[i]);
}
END_TEST

/* Random tables, many small numbers: always safe. */
START_TEST(random_tables_are_always_safe)
{
	long long counts[12 * 7];
	cases_grid g;
	size_t i, n;

	srand(17);
	for (n = 0; n < 2000; n++) {
		size_t rows = 1 + (size_t)rand() % 12, cols = 1 + (size_t)rand() % 7;
		for (i = 0; i < rows * cols; i++)
			counts[i] = rand() % 3 == 0 ? 0 : rand() % 12;
		ck_assert_int_eq(cases_grid_init(&g, counts, rows, cols), 0);
		cases_suppress(&g);
		assert_safe(&g);
	}
}
END_TEST

START_TEST(grids_too_big_or_empty_are_refused)
{
	long long counts[1] = { 1 };
	cases_grid g;

	ck_assert_int_eq(cases_grid_init(&g, counts, 0, 1), -1);
	ck_assert_int_eq(cases_grid_init(&g, counts, CASES_GRID_MAX + 1, 1), -1);
}
END_TEST

START_TEST(boroughs_route_to_their_unit_and_unknown_to_central)
{
	ck_assert_str_eq(cases_unit_for_borough("newham"), "north-east");
	ck_assert_str_eq(cases_unit_for_borough("waltham-forest"), "north-east");
	ck_assert_str_eq(cases_unit_for_borough("havering"), "east");
	ck_assert_str_eq(cases_unit_for_borough("city-of-london"), "city-of-london-police");
	ck_assert_str_eq(cases_unit_for_borough("unknown"), "central-specialist-crime");
	ck_assert_str_eq(cases_unit_for_borough(""), "central-specialist-crime");
	ck_assert_str_eq(cases_unit_find("british-transport-police")->name, "British Transport Police");
	ck_assert_ptr_null(cases_unit_find("North-East"));
	ck_assert_str_eq(cases_unit_choices()[0], "dont_know");
}
END_TEST

/* Every London area is covered by exactly one unit. */
START_TEST(every_london_area_has_exactly_one_unit)
{
	size_t a, u, b, n;

	for (a = 0; a < portal_london_areas_count; a++) {
		for (n = 0, u = 0; cases_units[u].code; u++)
			for (b = 0; cases_units[u].boroughs[b]; b++)
				n += strcmp(cases_units[u].boroughs[b], portal_london_areas[a].code) == 0;
		ck_assert_msg(n == 1, "%s is covered by %zu units", portal_london_areas[a].code, n);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cases_trends");
	TCase *tc = tcase_create("suppress");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, counts_one_to_four_are_hidden_and_totals_too);
	tcase_add_test(tc, a_total_that_would_reveal_a_hidden_cell_hides_the_next_smallest);
	tcase_add_test(tc, a_lone_small_cell_hides_its_total_and_a_column_partner);
	tcase_add_test(tc, nothing_small_nothing_hidden);
	tcase_add_test(tc, random_tables_are_always_safe);
	tcase_add_test(tc, grids_too_big_or_empty_are_refused);
	tcase_add_test(tc, boroughs_route_to_their_unit_and_unknown_to_central);
	tcase_add_test(tc, every_london_area_has_exactly_one_unit);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : 0;
}
