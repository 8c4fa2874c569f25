/* reports.c - the London-wide summary and the coordinator's holds report,
 * as a page, JSON and CSV (see beds.h). */
#include "beds.h"

#include <stdio.h>

#include "audit.h"
#include "clock.h"
#include "jsonget.h"
#include "response.h"

/* GET /beds/summary - London-wide, for every signed-in role. */
void beds_summary_get(portal_ctx *ctx)
{
	json_t *houses = beds_houses_read(ctx, "");

	if (houses == NULL)
		return;
	portal_reply(ctx, 200, beds_summary(houses));
	json_decref(houses);
}

/* The report for the query's from/to, with the validated range in *range;
 * NULL after answering. */
static json_t *beds_report_build(portal_ctx *ctx, json_t **range)
{
	json_t *v = NULL, *rep = NULL;
	time_t from, to;
	beds_answer a;

	if (beds_validate(ctx, ctx->req.query, beds_fields_of(BEDS_FIELDS_REPORT), &v, json_object()) < 0)
		return NULL;
	if (portal_date_parse(portal_json_text(v, "from"), &from) < 0 ||
	    portal_date_parse(portal_json_text(v, "to"), &to) < 0 || to < from ||
	    to - from > 3660 * 86400LL) {
		portal_reply_invalid(ctx, json_pack("{s:s}", "to", "Enter a to date on or after the from date, at most 10 years later"), v);
		return NULL;
	}
	beds_store_report(ctx->store, from, to + 86399, &a);  /* the whole last day */
	if (!beds_reply_failed(ctx, &a, "report")) {
		rep = beds_report(json_object_get(a.data, "report"));
		*range = v;
	} else
		json_decref(v);
	beds_answer_free(&a);
	return rep;
}

/* GET /beds/reports/holds?from=&to= - coordinators: outcomes and unmet need. */
void beds_report_get(portal_ctx *ctx)
{
	json_t *range = NULL, *rep;

	if (!ctx->req.is_api && json_object_size(ctx->req.query) == 0) {
		portal_reply(ctx, 200, json_object());
		return;
	}
	if ((rep = beds_report_build(ctx, &range)) == NULL)
		return;
	json_object_set_new(rep, "form", range);
	json_object_set_new(rep, "has_report", json_true());
	portal_audit(ctx, "report_viewed", NULL, json_pack("{s:O}", "range", range));
	portal_reply(ctx, 200, rep);
}

/* GET /beds/reports/holds.csv - the same report as CSV. */
void beds_report_csv_get(portal_ctx *ctx)
{
	json_t *range = NULL, *rep;
	portal_buf out;

	if ((rep = beds_report_build(ctx, &range)) == NULL)
		return;
	portal_buf_init(&out, 1024 * 1024);
	if (beds_report_csv(rep, portal_json_text(range, "from"), portal_json_text(range, "to"), &out) < 0)
		portal_reply_internal_error(ctx, "report CSV too large");
	else
		portal_reply_body(ctx, 200, "text/csv; charset=utf-8", "bed-holds-report.csv", out.data, out.len);
	portal_buf_free(&out);
	json_decref(rep);
	json_decref(range);
}
