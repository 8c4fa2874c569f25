/* fuzz_cases_input.c - the cases module's parsers of untrusted input: every
 * field table on a body (the share form, notes, what a trends note is about,
 * the quarter), a stored case and its timeline turned into each side's
 * view, the trends' stored counts and notes turned into the suppressed
 * tables, and the suppression on counts made of the bytes.  fields.c,
 * units.c, quarters.c, views.c and suppress.c are compiled into the
 * target. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../modules/cases/fields.c"
#include "../../modules/cases/units.c"
#include "../../modules/cases/quarters.c"
#include "../../modules/cases/views.c"
#include "../../modules/cases/suppress.c"

/* Every cases table on `body` (a JSON object or NULL). */
static void cases_fuzz_tables(const json_t *body)
{
	json_t *valid, *errors;
	int f;

	for (f = 0; f < CASES_FIELDS_COUNT; f++) {
		valid = errors = NULL;
		if (portal_validate(body, cases_fields[f], &valid, &errors) == 0 && errors != NULL)
			abort();
		json_decref(valid);
		json_decref(errors);
	}
}

/* The bytes as counts: a table of rows x cols from the first two bytes;
 * no shown count may be from 1 to 4. */
static void cases_fuzz_suppress(const uint8_t *data, size_t size)
{
	long long counts[CASES_GRID_MAX * CASES_GRID_MAX];
	static cases_grid g;
	size_t rows, cols, i;

	if (size < 3)
		return;
	rows = 1 + data[0] % 12;
	cols = 1 + data[1] % 8;
	for (i = 0; i < rows * cols; i++)
		counts[i] = data[2 + i % (size - 2)] % 16;
	if (cases_grid_init(&g, counts, rows, cols) < 0)
		abort();
	cases_suppress(&g);
	for (i = 0; i < (rows + 1) * (cols + 1); i++)
		if (!g.hidden[i] && g.value[i] >= 1 && g.value[i] <= 4)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const sides[] = { "ngo", "unit", "coordinator" };
	json_t *body = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL), *view;
	char *s = malloc(size + 1), quarter[16], words[64];
	size_t i;

	if (s == NULL) {
		json_decref(body);
		return 0;
	}
	memcpy(s, data, size);
	s[size] = '\0';
	(void)cases_quarter_words(s, words, sizeof(words));
	(void)cases_quarter_of_date(s, quarter, sizeof(quarter));
	(void)cases_unit_for_borough(s);
	cases_fuzz_tables(json_is_object(body) ? body : NULL);
	/* the same bytes as a stored case with its timeline, for every side */
	for (i = 0; i < 3; i++) {
		view = cases_case_view(body, json_object_get(body, "timeline"), sides[i], 1764921600);
		json_decref(view);
	}
	(void)cases_filter_match(body, s, 1764921600);
	/* and as the trends' stored counts and notes */
	view = cases_trends_view(body, "2026-Q4", 1764921600);
	json_decref(view);
	cases_fuzz_suppress(data, size);
	json_decref(body);
	free(s);
	return 0;
}
