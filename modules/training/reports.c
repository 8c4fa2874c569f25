/* reports.c - the coordinator's uptake report (page, JSON, CSV). */
#include "training.h"

#include <stdio.h>

#include "jsonget.h"
#include "response.h"
#include "validate.h"

/* Add the dates the report covers and its flags to `report`. */
static void training_uptake_dates(json_t *report, time_t from, time_t to)
{
	char from_s[16], to_s[16];
	struct tm tm;

	localtime_r(&from, &tm);
	strftime(from_s, sizeof(from_s), "%Y-%m-%d", &tm);
	localtime_r(&to, &tm);
	strftime(to_s, sizeof(to_s), "%Y-%m-%d", &tm);
	json_object_set_new(report, "from", json_string(from_s));
	json_object_set_new(report, "to", json_string(to_s));
	json_object_set_new(report, "has_sessions", json_boolean(json_array_size(json_object_get(report, "sessions")) > 0));
	json_object_set_new(report, "has_courses", json_boolean(json_array_size(json_object_get(report, "courses")) > 0));
}

/* The report of the sessions in [from, to] (one store call).  Returns 0
 * with *report, or -1 after answering. */
static int training_uptake_load(portal_ctx *ctx, time_t from, time_t to, json_t **report)
{
	portal_run_result res;
	json_t *sessions = NULL, *rosters = NULL, *acc = json_object(), *list = json_array();
	const json_t *s;
	time_t now = time(NULL);
	size_t i;
	int rc = -1;

	training_store_sessions_range(ctx->store, from, to, TRAINING_REPORT_SESSIONS_MAX, 1, &res);
	if (!training_reply_failed(ctx, &res, NULL)) {
		sessions = portal_run_json(&res, "sessions");
		rosters = portal_run_json(&res, "rosters");
		json_array_foreach(sessions, i, s) {
			const json_t *roster = json_array_get(rosters, i);
			training_report_add(acc, s, roster);
			json_array_append_new(list, training_session_mix_view(s, roster, now));
		}
		*report = training_report_finish(acc);
		json_object_set(*report, "sessions", list);
		training_uptake_dates(*report, from, to);
		rc = 0;
	}
	portal_run_result_free(&res);
	json_decref(sessions);
	json_decref(rosters);
	json_decref(acc);
	json_decref(list);
	return rc;
}

/* The report form's dates as typed, for the page after an error (NULL
 * under /api/). */
static json_t *training_uptake_typed(portal_ctx *ctx)
{
	if (ctx->req.is_api)
		return NULL;
	return json_pack("{s:s, s:s}", "from", portal_json_text(ctx->req.query, "from"),
	                 "to", portal_json_text(ctx->req.query, "to"));
}

/* Build the uptake report for ?from=&to= (dates; default the last year and
 * the next).  Returns 0 with *report, or -1 after answering. */
static int training_uptake_build(portal_ctx *ctx, json_t **report)
{
	json_t *q = NULL, *errors = NULL;
	time_t now = time(NULL), from = now - 365 * 24 * 3600, to = now + 365 * 24 * 3600;
	int rc = -1;

	if (portal_validate(ctx->req.query, training_uptake_query_fields, &q, &errors) < 0)
		portal_reply_invalid(ctx, errors, training_uptake_typed(ctx));
	else {
		training_query_dates(q, &from, &to);
		if (to < from)
			portal_reply_invalid(ctx, json_pack("{s:s}", "to", "The end date must be on or after the start date"),
			                     training_uptake_typed(ctx));
		else
			rc = training_uptake_load(ctx, from, to, report);
	}
	json_decref(q);
	return rc;
}

void training_uptake(portal_ctx *ctx)
{
	json_t *report;

	if (training_uptake_build(ctx, &report) == 0)
		portal_reply(ctx, 200, report);
}

void training_uptake_csv_get(portal_ctx *ctx)
{
	json_t *report;
	portal_buf csv;

	if (training_uptake_build(ctx, &report) < 0)
		return;
	portal_buf_init(&csv, 4 * 1024 * 1024);
	if (training_uptake_csv(&csv, report) < 0)
		portal_reply_internal_error(ctx, "report too large");
	else
		portal_reply_body(ctx, 200, "text/csv; charset=utf-8", "training-uptake.csv", csv.data, csv.len);
	portal_buf_free(&csv);
	json_decref(report);
}
