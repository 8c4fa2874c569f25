/* reports.c - the coordinator's uptake report (page, JSON, CSV). */
#include "training.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const char *const training_uptake_dates_named[] = { "from", "to" };
static const char *const training_uptake_parts[] = { "day", "month", "year" };

/* The query a page's report form sends (GOV.UK date inputs: from_day,
 * from_month, from_year and the same of "to") as the API's query: "from"
 * and "to" as YYYY-MM-DD when their parts are numbers, else as typed so
 * that the date check refuses them (a new object; *parts set when the page
 * used the parts). */
static json_t *training_uptake_query(const json_t *query, int *parts)
{
	json_t *q = json_deep_copy(query);
	size_t d, k;

	*parts = 0;
	if (q == NULL)
		q = json_object();
	for (d = 0; d < 2; d++) {
		char name[24], text[64];
		const char *v[3];
		int n[3], blank = 1, numbers = 1;

		for (k = 0; k < 3; k++) {
			snprintf(name, sizeof(name), "%s_%s", training_uptake_dates_named[d], training_uptake_parts[k]);
			v[k] = portal_json_text(query, name);
			blank &= v[k][0] == '\0';
			numbers &= strlen(v[k]) >= 1 && strlen(v[k]) <= 4 && strspn(v[k], "0123456789") == strlen(v[k]);
			n[k] = numbers ? atoi(v[k]) : 0;
		}
		if (blank)
			continue;
		*parts = 1;
		if (numbers)
			snprintf(text, sizeof(text), "%04d-%02d-%02d", n[2], n[1], n[0]);
		else
			snprintf(text, sizeof(text), "not a date");
		json_object_set_new(q, training_uptake_dates_named[d], json_string(text));
	}
	return q;
}

/* The report form's date parts as typed, for the page after an error
 * (NULL under /api/); a date's message in GOV.UK's words when the page
 * used the parts. */
static json_t *training_uptake_typed(portal_ctx *ctx, json_t *errors, int parts)
{
	static const char *const said[] = { "The start date must be a real date", "The end date must be a real date" };
	json_t *form;
	const char *e;
	size_t d, k;

	if (ctx->req.is_api)
		return NULL;
	form = json_object();
	for (d = 0; d < 2; d++) {
		char name[24];

		for (k = 0; k < 3; k++) {
			snprintf(name, sizeof(name), "%s_%s", training_uptake_dates_named[d], training_uptake_parts[k]);
			json_object_set_new(form, name, json_string(portal_json_text(ctx->req.query, name)));
		}
		e = json_string_value(json_object_get(errors, training_uptake_dates_named[d]));
		if (parts && e && strstr(e, "like"))
			json_object_set_new(errors, training_uptake_dates_named[d], json_string(said[d]));
	}
	return json_pack("{s:o}", "form", form);
}

/* Build the uptake report for ?from=&to= (dates; default the last year and
 * the next).  Returns 0 with *report, or -1 after answering. */
static int training_uptake_build(portal_ctx *ctx, json_t **report)
{
	json_t *q = NULL, *errors = NULL;
	time_t now = time(NULL), from = now - 365 * 24 * 3600, to = now + 365 * 24 * 3600;
	int rc = -1;

	int parts;
	json_t *query = training_uptake_query(ctx->req.query, &parts);

	if (portal_validate(query, training_uptake_query_fields, &q, &errors) < 0)
		portal_reply_invalid(ctx, errors, training_uptake_typed(ctx, errors, parts));
	else {
		training_query_dates(q, &from, &to);
		if (to < from) {
			errors = json_pack("{s:s}", "to", "The end date must be on or after the start date");
			portal_reply_invalid(ctx, errors, training_uptake_typed(ctx, errors, parts));
		}
		else
			rc = training_uptake_load(ctx, from, to, report);
	}
	json_decref(query);
	json_decref(q);
	return rc;
}

void training_uptake(portal_ctx *ctx)
{
	json_t *report;

	if (training_uptake_build(ctx, &report) < 0)
		return;
	if (!ctx->req.is_api) {  /* the date inputs show the dates the report covers */
		json_t *form = json_object();
		size_t d;

		for (d = 0; d < 2; d++) {
			int y = 0, m = 0, day = 0;
			char name[24];

			if (sscanf(portal_json_text(report, training_uptake_dates_named[d]), "%d-%d-%d", &y, &m, &day) != 3)
				continue;
			snprintf(name, sizeof(name), "%s_day", training_uptake_dates_named[d]);
			json_object_set_new(form, name, json_integer(day));
			snprintf(name, sizeof(name), "%s_month", training_uptake_dates_named[d]);
			json_object_set_new(form, name, json_integer(m));
			snprintf(name, sizeof(name), "%s_year", training_uptake_dates_named[d]);
			json_object_set_new(form, name, json_integer(y));
		}
		json_object_set_new(report, "form", form);
	}
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
