/* reports.c - the coordinator's uptake report (page, JSON, CSV). */
#include "training.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
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

/* The report of the sessions in [from, to] (one store call: the sessions,
 * their bookings and every course).  Returns 0 with *report, or -1 after
 * answering. */
static int training_uptake_load(portal_ctx *ctx, time_t from, time_t to, json_t **report)
{
	portal_run_result res;
	json_t *sessions = NULL, *rosters = NULL, *courses = NULL, *acc = json_object(), *list = json_array();
	const json_t *s;
	time_t now = time(NULL);
	size_t i;
	int rc = -1;

	training_store_sessions_range(ctx->store, from, to, TRAINING_REPORT_SESSIONS_MAX, &res);
	if (!training_reply_failed(ctx, &res, NULL)) {
		sessions = portal_run_json(&res, "sessions");
		rosters = portal_run_json(&res, "rosters");
		courses = portal_run_json(&res, "courses");
		training_report_seed(acc, courses);
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
	json_decref(courses);
	json_decref(acc);
	json_decref(list);
	return rc;
}

static const char *const training_uptake_dates_named[] = { "from", "to" };
static const char *const training_uptake_parts[] = { "day", "month", "year" };
#define TRAINING_DATE_PARTS 3

/* Check the GOV.UK date input `name` of the page's query (name_day,
 * name_month, name_year): all blank leaves iso "" (the default date);
 * whole, it gives "YYYY-MM-DD" in iso.  Otherwise returns the message
 * (about `what`, "The start date") and marks the parts to fix in bad[]. */
static const char *training_date_input(const json_t *query, const char *name, const char *what,
                                       char *iso, size_t isolen, int bad[TRAINING_DATE_PARTS], char *msg, size_t msglen)
{
	static const char *const named[] = { "a day", "a month", "a year" };
	static const int lo[] = { 1, 1, 1900 }, hi[] = { 31, 12, 9999 };
	const char *v[TRAINING_DATE_PARTS];
	long long n[TRAINING_DATE_PARTS] = { 0, 0, 0 };
	size_t k, missing = 0, wrong = 0;
	char key[32];

	iso[0] = '\0';
	for (k = 0; k < TRAINING_DATE_PARTS; k++) {
		snprintf(key, sizeof(key), "%s_%s", name, training_uptake_parts[k]);
		v[k] = portal_json_text(query, key);
		bad[k] = v[k][0] == '\0';
		missing += (size_t)bad[k];
	}
	if (missing == TRAINING_DATE_PARTS) {
		bad[0] = bad[1] = bad[2] = 0;
		return NULL;
	}
	if (missing) {
		const char *first = NULL, *second = NULL;

		for (k = 0; k < TRAINING_DATE_PARTS; k++)
			if (bad[k] && first == NULL)
				first = named[k];
			else if (bad[k])
				second = named[k];
		snprintf(msg, msglen, "%s must include %s%s%s", what, first, second ? " and " : "", second ? second : "");
		return msg;
	}
	for (k = 0; k < TRAINING_DATE_PARTS; k++) {
		bad[k] = portal_parse_int(v[k], lo[k], hi[k], &n[k]) < 0 || (k == 2 && strlen(v[k]) != 4);
		wrong += (size_t)bad[k];
	}
	if (!wrong && n[0] > portal_days_in_month((int)n[2], (int)n[1]))
		bad[0] = 1, wrong = 1;
	if (wrong) {
		snprintf(msg, msglen, bad[2] && wrong == 1 ? "%s's year must have 4 numbers, like 2026" :
		         "%s must be a real date, like 27 3 2026", what);
		return msg;
	}
	snprintf(iso, isolen, "%04lld-%02lld-%02lld", n[2], n[1], n[0]);
	return NULL;
}

/* The report's query as the API's (a new object): a page's date inputs
 * become "from" and "to"; a part typed wrong adds its message to *errors
 * and marks it in `bad` (name_part: true). */
static json_t *training_uptake_query(const json_t *query, json_t **errors, json_t *bad)
{
	static const char *const what[] = { "The start date", "The end date" };
	json_t *q = json_is_object(query) ? json_deep_copy(query) : json_object();
	char iso[16], msg[160], key[32];
	int parts[TRAINING_DATE_PARTS];
	size_t d, k;

	for (d = 0; d < 2; d++) {
		const char *m = training_date_input(query, training_uptake_dates_named[d], what[d], iso, sizeof(iso),
		                                    parts, msg, sizeof(msg));
		if (m)
			portal_field_error(errors, training_uptake_dates_named[d], m);
		else if (iso[0])
			json_object_set_new(q, training_uptake_dates_named[d], json_string(iso));
		for (k = 0; k < TRAINING_DATE_PARTS; k++) {
			snprintf(key, sizeof(key), "%s_%s", training_uptake_dates_named[d], training_uptake_parts[k]);
			if (parts[k])
				json_object_set_new(bad, key, json_true());
		}
	}
	return q;
}

/* Answer 422 for the report's dates (errors stolen): the API's error, or
 * the page with the date inputs as typed and the parts to fix marked. */
static void training_uptake_invalid(portal_ctx *ctx, json_t *errors, json_t *bad)
{
	json_t *form;
	const char *key;
	json_t *v;
	size_t d, k;

	if (ctx->req.is_api) {
		portal_reply_invalid(ctx, errors, NULL);
		return;
	}
	form = json_object();
	for (d = 0; d < 2; d++)
		for (k = 0; k < TRAINING_DATE_PARTS; k++) {
			char name[32];

			snprintf(name, sizeof(name), "%s_%s", training_uptake_dates_named[d], training_uptake_parts[k]);
			json_object_set_new(form, name, json_string(portal_json_text(ctx->req.query, name)));
		}
	/* a date wrong as a whole (no part of it marked): every part is marked */
	json_object_foreach(errors, key, v) {
		char name[TRAINING_DATE_PARTS][32];
		int marked = 0;

		for (k = 0; k < TRAINING_DATE_PARTS; k++) {
			snprintf(name[k], sizeof(name[k]), "%s_%s", key, training_uptake_parts[k]);
			marked |= json_object_get(bad, name[k]) != NULL;
		}
		for (k = 0; !marked && k < TRAINING_DATE_PARTS; k++)
			json_object_set_new(bad, name[k], json_true());
	}
	portal_reply_invalid(ctx, errors, json_pack("{s:o, s:O}", "form", form, "bad", bad));
}

/* The start of the day `days` days before today in London, and the end of
 * today: the report's dates when none are given (the last 30 days). */
static void training_uptake_default(time_t now, time_t *from, time_t *to)
{
	struct tm tm;

	localtime_r(&now, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	tm.tm_mday += 1;
	*to = mktime(&tm) - 1;
	tm.tm_mday -= 31;
	tm.tm_isdst = -1;
	*from = mktime(&tm);
}

/* Build the uptake report for ?from=&to= (dates, or a page's date inputs;
 * by default the last 30 days).  Returns 0 with *report, or -1 after
 * answering. */
static int training_uptake_build(portal_ctx *ctx, json_t **report)
{
	json_t *q = NULL, *errors = NULL, *bad = json_object(), *query;
	time_t from, to;
	int rc = -1;

	training_uptake_default(time(NULL), &from, &to);
	query = training_uptake_query(ctx->req.query, &errors, bad);
	if (errors == NULL)
		portal_validate(query, training_uptake_query_fields, &q, &errors);
	if (errors == NULL) {
		training_query_dates(q, &from, &to);
		if (to < from)
			errors = json_pack("{s:s}", "to", "The end date must be on or after the start date");
	}
	if (errors)
		training_uptake_invalid(ctx, errors, bad);
	else
		rc = training_uptake_load(ctx, from, to, report);
	json_decref(bad);
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
