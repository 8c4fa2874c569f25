/* reports.c - the coordinators' responsiveness report: per unit, side by
 * side, cases shared, median days to acknowledgement, the share of cases
 * with an update within 28 days, and those closed with an outcome; as a
 * table with a chart (an SVG with its figures in words), and as CSV.
 * Counts and timings only: no reference or note is read into it.
 */
#include "cases.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "jsonget.h"
#include "response.h"

/* The chart's bars: each unit's share updated within 28 days as a width
 * out of 300 (the SVG's own units), and its words for screen readers. */
static void add_bars(json_t *report)
{
	json_t *u;
	size_t i;

	json_array_foreach(json_object_get(report, "units"), i, u) {
		const json_t *pct = json_object_get(u, "updated_within_28_days_percent");
		char words[160], text[16];

		snprintf(text, sizeof(text), "%lld%%", (long long)json_integer_value(pct));
		snprintf(words, sizeof(words), "%s: %s", portal_json_text(u, "name"),
		         json_is_integer(pct) ? text : "no cases due yet");
		json_object_set_new(u, "bar_width", json_integer(json_is_integer(pct) ? json_integer_value(pct) * 3 : 0));
		json_object_set_new(u, "bar_y", json_integer((json_int_t)i * 24));
		json_object_set_new(u, "text_y", json_integer((json_int_t)i * 24 + 15));
		json_object_set_new(u, "bar_words", json_string(words));
		json_object_set_new(u, "percent_text", json_string(json_is_integer(pct) ? text : "none due"));
		if (json_is_real(json_object_get(u, "median_days_to_ack"))) {
			snprintf(text, sizeof(text), "%.1f", json_real_value(json_object_get(u, "median_days_to_ack")));
			json_object_set_new(u, "median_text", json_string(text));
		} else
			json_object_set_new(u, "median_text", json_string("none acknowledged"));
	}
	json_object_set_new(report, "chart_height", json_integer((json_int_t)json_array_size(json_object_get(report, "units")) * 24));
}

/* The report of the cases shared in the query's quarter (every case when
 * none), or NULL after answering. */
static json_t *report_read(portal_ctx *ctx)
{
	json_t *report = NULL, *valid = NULL;
	const char *quarter;
	cases_answer a;

	if (cases_validate(ctx, ctx->req.query, cases_fields[CASES_FIELDS_TRENDS], &valid, NULL) < 0)
		return NULL;
	quarter = portal_json_text(valid, "quarter");
	cases_store_list(ctx->store, "all", "", &a);
	if (!cases_reply_failed(ctx, &a)) {
		report = cases_responsiveness(json_object_get(a.data, "cases"), quarter, time(NULL));
		if (quarter[0]) {
			char words[64];
			json_object_set_new(report, "quarter", json_string(quarter));
			json_object_set_new(report, "quarter_label", json_string(cases_quarter_words(quarter, words, sizeof(words))));
		}
		portal_audit(ctx, "cases_report_viewed", NULL, json_pack("{s:s}", "report", "responsiveness"));
	}
	cases_answer_free(&a);
	json_decref(valid);
	return report;
}

void cases_report_get(portal_ctx *ctx)
{
	json_t *report = report_read(ctx);

	if (report == NULL)
		return;
	if (!ctx->req.is_api)
		add_bars(report);
	portal_reply(ctx, 200, report);
}

void cases_report_csv_get(portal_ctx *ctx)
{
	json_t *report = report_read(ctx);
	portal_buf out;

	if (report == NULL)
		return;
	portal_buf_init(&out, 4096);
	if (cases_responsiveness_csv(report, &out) < 0)
		portal_reply_internal_error(ctx, "responsiveness csv: out of memory");
	else
		portal_reply_body(ctx, 200, "text/csv; charset=utf-8", "case-responsiveness.csv", out.data, out.len);
	portal_buf_free(&out);
	json_decref(report);
}
