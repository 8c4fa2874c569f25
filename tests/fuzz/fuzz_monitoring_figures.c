/* fuzz_monitoring_figures.c - the monitoring figures' parsers: a quarter
 * as a person types it ("2026-Q4", the first line of the input), and the
 * kept figures as Redis answers them (the rest, as JSON: {quarter: {fig:
 * {"kind|a|b": n}, minutes: ["m|borough|unit"]}}) made into the figures,
 * the page and the CSV.  A quarter read is written back the same; the trend
 * always has four quarters.  quarter.c, views.c, figures.c and
 * reportview.c are compiled into the target. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../modules/monitoring/quarter.c"
#include "../../modules/monitoring/views.c"
#include "../../modules/monitoring/figures.c"
#include "../../modules/monitoring/reportview.c"

/* The figures of `quarter` from `kept`: four quarters in the trend, and
 * the page and the CSV made without fault. */
static void monitoring_fuzz_figures(const char *quarter, const json_t *kept)
{
	json_t *texts = json_array(), *themes = json_pack("{s:s}", "1", "One");
	monitoring_sources src = { kept, texts, themes, kept };
	json_t *f = monitoring_figures(&src, quarter, 1700000000);
	portal_buf csv;

	if (json_array_size(json_object_get(f, "trend")) != MONITORING_TREND_QUARTERS)
		abort();
	portal_buf_init(&csv, 0);
	if (monitoring_report_csv_write(f, &csv) != 0)
		abort();
	portal_buf_free(&csv);
	json_decref(monitoring_report_page(f, 1700000000));
	json_decref(texts);
	json_decref(themes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *nl, back[16];
	char again[16];
	int year, q;
	json_t *kept;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	nl = strchr(s, '\n');
	if (nl)
		*nl = '\0';
	if (monitoring_quarter_parse(s, &year, &q) == 0) {
		monitoring_quarter_name(year, q, again, sizeof(again));
		if (strcmp(again, s) != 0 || monitoring_quarter_back(s, 3, back, sizeof(back)) != 0 ||
		    monitoring_quarter_parse(back, &year, &q) != 0)
			abort();
		kept = nl ? json_loads(nl + 1, 0, NULL) : NULL;
		monitoring_fuzz_figures(s, kept);
		json_decref(kept);
	}
	free(s);
	return 0;
}
