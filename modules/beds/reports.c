/* reports.c - the London-wide summary and the coordinator's holds report,
 * as a page, JSON and CSV (see beds.h). */
#include "beds.h"

#include <stdio.h>
#include <time.h>

#include "audit.h"
#include "clock.h"
#include "jsonget.h"
#include "parse.h"
#include "response.h"

/* GET /beds/summary - London-wide, for every signed-in role. */
void beds_summary_get(portal_ctx *ctx)
{
	json_t *houses = beds_houses_read(ctx, "", NULL, NULL);

	if (houses == NULL)
		return;
	portal_reply(ctx, 200, beds_summary(houses));
	json_decref(houses);
}

/* The date `days` days before today in London, "YYYY-MM-DD", into out. */
static void beds_day_before(int days, char *out, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	tm.tm_mday -= days;
	tm.tm_hour = 12;  /* midday: a clock change never moves the day */
	tm.tm_isdst = -1;
	now = mktime(&tm);
	portal_time_human(now, "%Y-%m-%d", out, len);
}

/* The date inputs' parts and how each is shown. */
static const char *const beds_date_parts[] = { "day", "month", "year" };

/* Part k (beds_date_parts) of date t as a date input shows it. */
static void beds_date_part(time_t t, size_t k, char *out, size_t len)
{
	if (k == 0)
		portal_time_human(t, "%-d", out, len);
	else if (k == 1)
		portal_time_human(t, "%-m", out, len);
	else
		portal_time_human(t, "%Y", out, len);
}

/* Date `name` of the query as "YYYY-MM-DD" into out: the GOV.UK date
 * input's NAME_day, NAME_month, NAME_year, else NAME itself, else `def`.
 * Returns 0, or -1 with the message of a date input not filled in whole. */
static int beds_date_of(const json_t *query, const char *name, const char *def, char *out, size_t len,
                        const char **msg)
{
	const char *v[3];
	char key[16];
	long long n[3];
	int given = 0, i;

	for (i = 0; i < 3; i++) {
		snprintf(key, sizeof(key), "%s_%s", name, beds_date_parts[i]);
		v[i] = portal_json_text(query, key);
		given += *v[i] != '\0';
	}
	if (given == 0) {
		snprintf(out, len, "%s", json_object_get(query, name) ? portal_json_text(query, name) : def);
		return 0;
	}
	if (given < 3 || portal_parse_int(v[0], 1, 31, &n[0]) < 0 || portal_parse_int(v[1], 1, 12, &n[1]) < 0 ||
	    portal_parse_int(v[2], 2000, 2100, &n[2]) < 0) {
		*msg = "Enter a real date with a day, month and year, like 27 3 2026";
		return -1;
	}
	snprintf(out, len, "%04lld-%02lld-%02lld", n[2], n[1], n[0]);
	return 0;
}

/* The report's range from the query: from/to as dates or GOV.UK date
 * inputs, by default the last 30 days.  New object {from, to}, or NULL
 * with *errors set. */
static json_t *beds_report_range(const json_t *query, json_t **errors)
{
	char from[40], to[40], dfrom[16], dto[16];
	const char *msg = NULL;

	beds_day_before(29, dfrom, sizeof(dfrom));
	beds_day_before(0, dto, sizeof(dto));
	*errors = json_object();
	if (beds_date_of(query, "from", dfrom, from, sizeof(from), &msg) < 0)
		json_object_set_new(*errors, "from", json_string(msg));
	if (beds_date_of(query, "to", dto, to, sizeof(to), &msg) < 0)
		json_object_set_new(*errors, "to", json_string(msg));
	if (json_object_size(*errors) > 0)
		return NULL;
	json_decref(*errors);
	*errors = NULL;
	return json_pack("{s:s, s:s}", "from", from, "to", to);
}

/* The form's values again: the date inputs as typed, or filled in from
 * `range` (NULL: as typed only). */
static json_t *beds_report_form(const json_t *query, const json_t *range)
{
	static const char *const names[] = { "from", "to" };
	json_t *form = json_object();
	char key[16], text[8];
	size_t i, k;
	time_t t;

	for (i = 0; i < BEDS_COUNT(names); i++)
		for (k = 0; k < BEDS_COUNT(beds_date_parts); k++) {
			snprintf(key, sizeof(key), "%s_%s", names[i], beds_date_parts[k]);
			if (range && portal_date_parse(portal_json_text(range, names[i]), &t) == 0) {
				beds_date_part(t, k, text, sizeof(text));
				json_object_set_new(form, key, json_string(text));
			} else
				json_object_set_new(form, key, json_string(portal_json_text(query, key)));
		}
	json_object_set(form, "from", json_object_get(range, "from"));
	json_object_set(form, "to", json_object_get(range, "to"));
	return form;
}

/* Answer 422 for the report's dates: the JSON error, or the page with the
 * dates as typed.  Steals errors. */
static void beds_report_invalid(portal_ctx *ctx, json_t *errors)
{
	portal_reply_invalid(ctx, errors, ctx->req.is_api ? NULL :
	                     json_pack("{s:o}", "form", beds_report_form(ctx->req.query, NULL)));
}

/* The report for the query's dates (by default the last 30 days), with the
 * validated range in *range; NULL after answering. */
static json_t *beds_report_build(portal_ctx *ctx, json_t **range)
{
	json_t *in, *v = NULL, *rep = NULL, *errors = NULL;
	portal_fields t = beds_fields_of(BEDS_FIELDS_REPORT);
	time_t from, to;
	beds_answer a;

	if ((in = beds_report_range(ctx->req.query, &errors)) == NULL) {
		beds_report_invalid(ctx, errors);
		return NULL;
	}
	if (portal_validate(in, t, &v, &errors) < 0) {
		json_decref(in);
		beds_report_invalid(ctx, errors);
		return NULL;
	}
	json_decref(in);
	if (portal_date_parse(portal_json_text(v, "from"), &from) < 0 ||
	    portal_date_parse(portal_json_text(v, "to"), &to) < 0 || to < from ||
	    to - from > 3660 * 86400LL) {
		json_decref(v);
		beds_report_invalid(ctx, json_pack("{s:s}", "to", "Enter a to date on or after the from date, at most 10 years later"));
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

/* The range in words for the page: "5 November 2026 to 5 December 2026". */
static json_t *beds_range_words(const json_t *range)
{
	char from[40], to[40];
	time_t f, t;

	if (portal_date_parse(portal_json_text(range, "from"), &f) < 0 || portal_date_parse(portal_json_text(range, "to"), &t) < 0)
		return json_string("");
	portal_time_human(f, "%-d %B %Y", from, sizeof(from));
	portal_time_human(t, "%-d %B %Y", to, sizeof(to));
	return json_sprintf("%s to %s", from, to);
}

/* GET /beds/reports/holds?from=&to= - coordinators: outcomes and unmet
 * need; without dates, the last 30 days. */
void beds_report_get(portal_ctx *ctx)
{
	json_t *range = NULL, *rep;

	if ((rep = beds_report_build(ctx, &range)) == NULL)
		return;
	portal_audit(ctx, "report_viewed", NULL, json_pack("{s:O}", "range", range));
	if (!ctx->req.is_api) {
		json_object_set_new(rep, "range_text", beds_range_words(range));
		json_object_set_new(rep, "form", beds_report_form(ctx->req.query, range));
		json_decref(range);
	} else
		json_object_set_new(rep, "form", range);
	json_object_set_new(rep, "has_report", json_true());
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
