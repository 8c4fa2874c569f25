/* views.c - the cases module's pure views and computations: who sees a
 * case from which side, the case as each side sees it, the list filters,
 * the responsiveness figures.  No ctx, no Redis.
 */
#include "cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "jsonget.h"

const char *cases_side(const cases_viewer *who, const json_t *c)
{
	const char *unit = portal_json_text(c, "unit"), *agency = portal_json_text(c, "ngo_agency");

	if (who->unit[0] && strcmp(who->unit, unit) == 0)
		return "unit";
	if (who->agency[0] && strcmp(who->agency, agency) == 0)
		return "ngo";
	if (who->coordinator)
		return "coordinator";
	return NULL;
}

long long cases_waiting_since(const json_t *c)
{
	long long last = portal_json_num(c, "last_unit_at");
	return last > 0 ? last : portal_json_num(c, "created_at");
}

/* 1 when case `c` is open and has gone CASES_UPDATE_DUE_DAYS without word
 * from the unit, or the NGO asked for an update since the unit's last. */
static int update_due(const json_t *c, time_t now)
{
	long long last = cases_waiting_since(c), asked = portal_json_num(c, "update_requested_at");

	if (strcmp(portal_json_text(c, "status"), "closed") == 0 || portal_json_num(c, "acknowledged_at") == 0)
		return 0;
	return now - last >= (long long)CASES_UPDATE_DUE_DAYS * CASES_DAY || asked > last;
}

int cases_filter_match(const json_t *c, const char *filter, time_t now)
{
	const char *status = portal_json_text(c, "status");
	int closed = strcmp(status, "closed") == 0;

	if (filter == NULL || filter[0] == '\0')
		return 1;
	if (strcmp(filter, "open") == 0)
		return !closed;
	if (strcmp(filter, "closed") == 0)
		return closed;
	if (strcmp(filter, "awaiting_acknowledgement") == 0)
		return strcmp(status, "shared") == 0;
	if (strcmp(filter, "awaiting_update") == 0)
		return update_due(c, now);
	return 0;
}

/* A time as RFC 3339 and in words: NAME and NAME_text into obj (nothing
 * when t is 0 or out of range). */
static void put_time(json_t *obj, const char *name, long long t, time_t now)
{
	char iso[40], words[80], text_name[64];

	/* before 1970 or after 2999 is no time this module wrote (and
	 * portal_time_words reads past its month names for such years) */
	if (t <= 0 || t > CASES_LATEST_TIME)
		return;
	portal_time_format((time_t)t, iso, sizeof(iso));
	portal_time_words((time_t)t, now, words, sizeof(words));
	snprintf(text_name, sizeof(text_name), "%s_text", name);
	json_object_set_new(obj, name, json_string(iso));
	json_object_set_new(obj, text_name, json_string(words));
}

/* shared_on_text: the day `date` (YYYY-MM-DD) in words ("3 March 2026"). */
static void put_date(json_t *v, const char *date)
{
	char words[40];
	time_t t;

	if (portal_date_parse(date, &t) < 0)
		return;
	portal_time_human(t, "%-d %B %Y", words, sizeof(words));
	json_object_set_new(v, "shared_on_text", json_string(words));
}

/* The comma-separated codes of field `name` of c as [{code, name}] with
 * labels from `label`. */
static json_t *code_list(const json_t *c, const char *name, const char *(*label)(const char *))
{
	json_t *out = json_array();
	char buf[256], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", portal_json_text(c, name));
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		json_array_append_new(out, json_pack("{s:s, s:s}", "code", tok, "name", label(tok)));
	return out;
}

/* One timeline entry for `side` (a coordinator sees no note). */
static json_t *timeline_entry(const json_t *e, const char *side, time_t now)
{
	const char *kind = portal_json_text(e, "kind"), *status = portal_json_text(e, "status");
	const char *what = strcmp(kind, "shared") == 0 ? "Shared with the unit"
		: strcmp(kind, "acknowledged") == 0 ? "Acknowledged by the unit"
		: strcmp(kind, "update") == 0 ? "Update from the unit"
		: strcmp(kind, "reply") == 0 ? "Reply from the NGO"
		: strcmp(kind, "update_requested") == 0 ? "The NGO asked for an update"
		: strcmp(kind, "closed") == 0 ? "Closed" : kind;
	json_t *out = json_pack("{s:s, s:s, s:s, s:s}", "kind", kind, "what", what,
	                        "side", portal_json_text(e, "side"), "by", portal_json_text(e, "by_name"));

	if (status[0]) {
		json_object_set_new(out, "status", json_string(status));
		json_object_set_new(out, "status_label", json_string(cases_status_label(status)));
	}
	if (portal_json_text(e, "reason")[0]) {
		json_object_set_new(out, "reason", json_string(portal_json_text(e, "reason")));
		json_object_set_new(out, "reason_label", json_string(cases_reason_label(portal_json_text(e, "reason"))));
	}
	if (strcmp(side, "coordinator") != 0 && portal_json_text(e, "note")[0])
		json_object_set_new(out, "note", json_string(portal_json_text(e, "note")));
	put_time(out, "at", portal_json_num(e, "at"), now);
	return out;
}

/* What `side` may do with case c at `now`. */
static void put_actions(json_t *v, const json_t *c, const char *side, time_t now)
{
	int open = strcmp(portal_json_text(c, "status"), "closed") != 0;
	int acked = portal_json_num(c, "acknowledged_at") > 0;
	int unit = strcmp(side, "unit") == 0, ngo = strcmp(side, "ngo") == 0;
	long long asked = portal_json_num(c, "update_requested_at");

	json_object_set_new(v, "can_acknowledge", json_boolean(unit && open && !acked));
	json_object_set_new(v, "can_update", json_boolean(unit && open && acked));
	json_object_set_new(v, "can_reply", json_boolean(ngo && open));
	json_object_set_new(v, "can_request_update", json_boolean(
		ngo && open && now - cases_waiting_since(c) >= (long long)CASES_UPDATE_DUE_DAYS * CASES_DAY &&
		(asked == 0 || now - asked >= (long long)CASES_REQUEST_GAP_DAYS * CASES_DAY)));
	json_object_set_new(v, "can_close", json_boolean((unit || ngo) && open));
}

json_t *cases_case_view(const json_t *c, const json_t *timeline, const char *side, time_t now)
{
	const cases_unit *u = cases_unit_find(portal_json_text(c, "unit"));
	const char *status = portal_json_text(c, "status"), *borough = portal_json_text(c, "borough");
	int coord = strcmp(side, "coordinator") == 0;
	json_t *v = json_object(), *tl = json_array(), *e;
	size_t i;

	json_object_set_new(v, "id", json_string(portal_json_text(c, "id")));
	json_object_set_new(v, "status", json_string(status));
	json_object_set_new(v, "status_label", json_string(cases_status_label(status)));
	json_object_set_new(v, "unit", json_string(portal_json_text(c, "unit")));
	json_object_set_new(v, "unit_name", json_string(u ? u->name : portal_json_text(c, "unit")));
	json_object_set_new(v, "borough", json_string(borough));
	json_object_set_new(v, "borough_name", json_string(cases_borough_label(borough)));
	json_object_set_new(v, "ngo_agency", json_string(portal_json_text(c, "ngo_agency")));
	json_object_set_new(v, "ngo_agency_name", json_string(portal_json_text(c, "ngo_agency_name")));
	json_object_set_new(v, "exploitation_types", code_list(c, "exploitation_types", cases_exploitation_label));
	json_object_set_new(v, "side", json_string(side));
	if (portal_json_text(c, "reason")[0])
		json_object_set_new(v, "reason", json_string(portal_json_text(c, "reason")));
	put_time(v, "created_at", portal_json_num(c, "created_at"), now);
	put_time(v, "acknowledged_at", portal_json_num(c, "acknowledged_at"), now);
	put_time(v, "first_update_at", portal_json_num(c, "first_update_at"), now);
	put_time(v, "update_requested_at", portal_json_num(c, "update_requested_at"), now);
	put_time(v, "closed_at", portal_json_num(c, "closed_at"), now);
	put_time(v, "waiting_since", cases_waiting_since(c), now);
	if (!coord) {
		/* the references, the NGO's choices and the outcome: the two parties only */
		json_object_set_new(v, "reference", json_string(portal_json_text(c, "reference")));
		json_object_set_new(v, "police_reference", json_string(portal_json_text(c, "police_reference")));
		json_object_set_new(v, "shared_on", json_string(portal_json_text(c, "shared_on")));
		put_date(v, portal_json_text(c, "shared_on"));
		json_object_set_new(v, "channel", json_string(portal_json_text(c, "channel")));
		json_object_set_new(v, "channel_label", json_string(cases_channel_label(portal_json_text(c, "channel"))));
		json_object_set_new(v, "contact_consent", json_boolean(strcmp(portal_json_text(c, "contact_consent"), "1") == 0));
		json_object_set_new(v, "wants", code_list(c, "wants", cases_want_label));
		if (portal_json_text(c, "outcome")[0])
			json_object_set_new(v, "outcome", json_string(portal_json_text(c, "outcome")));
	}
	json_array_foreach(timeline, i, e)
		json_array_append_new(tl, timeline_entry(e, side, now));
	json_object_set_new(v, "timeline", tl);
	json_object_set_new(v, "awaiting_update", json_boolean(update_due(c, now)));
	put_actions(v, c, side, now);
	return v;
}

/* ---- responsiveness ------------------------------------------------------- */

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

/* 1 when case hash `c` was shared in `quarter` ("2026-Q4"; NULL or "":
 * any time). */
static int shared_in(const json_t *c, const char *quarter)
{
	char q[16];

	if (quarter == NULL || quarter[0] == '\0')
		return 1;
	return strcmp(cases_quarter_of_time((time_t)portal_json_num(c, "created_at"), q, sizeof(q)), quarter) == 0;
}

/* The figures of unit `u` from the case hashes `all` shared in `quarter`. */
static json_t *unit_figures(const cases_unit *u, const json_t *all, const char *quarter, time_t now)
{
	long long *waits = calloc(json_array_size(all) + 1, sizeof(*waits));
	long long shared = 0, acked = 0, due = 0, in_time = 0, closed = 0;
	json_t *c, *row;
	size_t i;

	json_array_foreach(all, i, c) {
		long long at = portal_json_num(c, "created_at"), ack = portal_json_num(c, "acknowledged_at");
		long long first = portal_json_num(c, "first_update_at");

		if (strcmp(portal_json_text(c, "unit"), u->code) != 0 || !shared_in(c, quarter))
			continue;
		shared++;
		if (ack > 0 && waits)
			waits[acked++] = ack - at;
		/* "updated within 28 days" counts the cases 28 days old or updated */
		if (now - at >= (long long)CASES_UPDATE_DUE_DAYS * CASES_DAY || first > 0) {
			due++;
			if (first > 0 && first - at <= (long long)CASES_UPDATE_DUE_DAYS * CASES_DAY)
				in_time++;
		}
		if (strcmp(portal_json_text(c, "status"), "closed") == 0 && portal_json_text(c, "outcome")[0])
			closed++;
	}
	row = json_pack("{s:s, s:s, s:I, s:I, s:I}", "code", u->code, "name", u->name, "shared", (json_int_t)shared,
	                "acknowledged", (json_int_t)acked, "closed_with_outcome", (json_int_t)closed);
	if (acked > 0) {
		double median;
		qsort(waits, (size_t)acked, sizeof(*waits), cmp_ll);
		median = acked % 2 ? (double)waits[acked / 2] : (waits[acked / 2 - 1] + waits[acked / 2]) / 2.0;
		json_object_set_new(row, "median_days_to_ack", json_real((double)(long long)(median / CASES_DAY * 10 + 0.5) / 10));
	} else
		json_object_set_new(row, "median_days_to_ack", json_null());
	json_object_set_new(row, "updated_within_28_days_percent",
	                    due > 0 ? json_integer((in_time * 100 + due / 2) / due) : json_null());
	free(waits);
	return row;
}

json_t *cases_responsiveness(const json_t *all, const char *quarter, time_t now)
{
	json_t *units = json_array();
	size_t i;

	for (i = 0; cases_units[i].code; i++)
		json_array_append_new(units, unit_figures(&cases_units[i], all, quarter, now));
	return json_pack("{s:o}", "units", units);
}

/* ---- the report published for monitoring (publish.c) ------------------- */

/* Report `report` (cases_responsiveness; stolen) in the published shape:
 * each unit's "code" is its "unit". */
static json_t *published_quarter(json_t *report)
{
	json_t *u;
	size_t i;

	json_array_foreach(json_object_get(report, "units"), i, u) {
		json_object_set(u, "unit", json_object_get(u, "code"));
		json_object_del(u, "code");
	}
	return report;
}

json_t *cases_report_quarters(const json_t *all, time_t now)
{
	json_t *quarters = json_object();
	char q[16], before[16];
	int i;

	cases_quarter_of_time(now, q, sizeof(q));
	for (i = 0; i < CASES_REPORT_QUARTERS && q[0]; i++) {
		json_object_set_new(quarters, q, published_quarter(cases_responsiveness(all, q, now)));
		cases_quarter_before(q, before, sizeof(before));
		snprintf(q, sizeof(q), "%s", before);
	}
	return json_pack("{s:I, s:o}", "updated_at", (json_int_t)now, "quarters", quarters);
}

/* ---- the trends ----------------------------------------------------------- */

/* The bed groups' codes as the beds events carry them (the beds module owns
 * them; modules never call each other, so they are named here again). */
static const char *const trend_groups[] = { "women", "men", "trans_non_binary", NULL };
static const char *const trend_group_labels[] = { "Women", "Men", "Trans and non-binary people", NULL };
static const char *trend_group_label(const char *g) { return portal_choice_label(trend_groups, trend_group_labels, g); }
/* A search with no result may name no group: "any". */
static const char *const unmet_groups[] = { "women", "men", "trans_non_binary", "any", NULL };
static const char *unmet_group_label(const char *g) { return strcmp(g, "any") == 0 ? "No group chosen" : trend_group_label(g); }
static const char *const shared_columns[] = {
	"sexual", "labour", "criminal", "domestic_servitude", "organ_harvesting", "financial", "none", NULL };
static const char *shared_label(const char *c) { return strcmp(c, "none") == 0 ? "Not given" : cases_exploitation_label(c); }

/* The areas a trends table may have a row for: "unknown", the 33 London
 * areas, "outside-london" (a bed search's area). */
static const char *row_name(const char *code)
{
	return strcmp(code, "outside-london") == 0 ? "Outside London" : cases_borough_label(code);
}

/* One shown or suppressed count of grid g at index i. */
static json_t *trend_cell(const cases_grid *g, size_t i)
{
	char text[24];

	if (g->hidden[i])
		return json_pack("{s:b, s:s}", "suppressed", 1, "text",
		                 g->value[i] >= 1 && g->value[i] <= 4 ? "fewer than 5" : "not shown");
	snprintf(text, sizeof(text), "%lld", g->value[i]);
	return json_pack("{s:I, s:s}", "count", (json_int_t)g->value[i], "text", text);
}

/* 1 when `counts` ({"area|column": n}) has a count above 0 for `area`. */
static int area_counted(const json_t *counts, const char *area)
{
	size_t len = strlen(area);
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)counts, key, v)
		if (strncmp(key, area, len) == 0 && key[len] == '|' && json_integer_value(v) > 0)
			return 1;
	return 0;
}

/* The row codes of `counts` in the areas' order ("unknown", the London
 * areas, then "outside-london"), at most CASES_GRID_MAX. */
static size_t trend_rows(const json_t *counts, const char **rows)
{
	const char *const *areas = cases_borough_choices();
	size_t i, n = 0;

	for (i = 0; areas[i] && n < CASES_GRID_MAX; i++)
		if (area_counted(counts, areas[i]))
			rows[n++] = areas[i];
	if (n < CASES_GRID_MAX && area_counted(counts, "outside-london"))
		rows[n++] = "outside-london";
	return n;
}

/* One table of the trends from `counts`, its columns `cols` with labels. */
static json_t *trend_table(const json_t *counts, const char *const *cols, const char *(*label)(const char *),
                           const char *caption)
{
	const char *rows[CASES_GRID_MAX];
	long long values[CASES_GRID_MAX * CASES_GRID_MAX];
	size_t nrows = trend_rows(counts, rows), ncols = 0, r, c;
	json_t *columns = json_array(), *out_rows = json_array(), *totals = json_array(), *cells;
	cases_grid *g = calloc(1, sizeof(*g));
	char field[160];
	json_t *out;

	while (cols[ncols])
		ncols++;
	for (c = 0; c < ncols; c++)
		json_array_append_new(columns, json_pack("{s:s, s:s}", "code", cols[c], "name", label(cols[c])));
	for (r = 0; r < nrows; r++)
		for (c = 0; c < ncols; c++) {
			snprintf(field, sizeof(field), "%s|%s", rows[r], cols[c]);
			values[r * ncols + c] = portal_json_num(counts, field);
		}
	if (g && nrows > 0 && cases_grid_init(g, values, nrows, ncols) == 0) {
		cases_suppress(g);
		for (r = 0; r <= nrows; r++) {
			cells = json_array();
			for (c = 0; c < ncols; c++)
				json_array_append_new(cells, trend_cell(g, r * (ncols + 1) + c));
			if (r < nrows)
				json_array_append_new(out_rows, json_pack("{s:s, s:s, s:o, s:o}", "code", rows[r], "name", row_name(rows[r]),
				                                          "cells", cells, "total", trend_cell(g, r * (ncols + 1) + ncols)));
			else
				json_array_extend(totals, cells);
			if (r == nrows)
				json_decref(cells);
		}
	}
	out = json_pack("{s:s, s:o, s:o, s:b}", "caption", caption, "columns", columns, "rows", out_rows,
	                "has_rows", nrows > 0);
	json_object_set_new(out, "totals", json_pack("{s:o, s:o}", "cells", totals,
	                                             "total", g && nrows > 0 ? trend_cell(g, nrows * (ncols + 1) + ncols) : json_pack("{s:I, s:s}", "count", 0, "text", "0")));
	free(g);
	return out;
}

json_t *cases_trend_note_view(const json_t *n, time_t now)
{
	const char *kind = portal_json_text(n, "about_kind"), *about = portal_json_text(n, "about");
	char words[64];
	const char *label = strcmp(kind, "borough") == 0 ? cases_borough_label(about)
		: strcmp(kind, "exploitation_type") == 0 ? cases_exploitation_label(about)
		: cases_quarter_words(about, words, sizeof(words));
	json_t *out = json_pack("{s:s, s:s, s:s, s:s, s:s}", "about_kind", kind, "about", about,
	                        "about_label", label ? label : about, "note", portal_json_text(n, "note"),
	                        "agency_name", portal_json_text(n, "agency_name"));

	put_time(out, "at", portal_json_num(n, "at"), now);
	return out;
}

json_t *cases_trends_view(const json_t *raw, const char *quarter, time_t now)
{
	json_t *quarters = json_array(), *notes = json_array(), *q, *n, *out;
	char words[64], current[16];
	size_t i;
	int listed = 0, shown = 0;

	cases_quarter_of_time(now, current, sizeof(current));
	json_array_foreach(json_object_get(raw, "quarters"), i, q) {
		listed |= strcmp(json_string_value(q), current) == 0;
		shown |= strcmp(json_string_value(q), quarter) == 0;
		if (cases_quarter_words(json_string_value(q), words, sizeof(words)))
			json_array_append_new(quarters, json_pack("{s:O, s:s, s:b}", "code", q, "name", words,
			                                          "current", strcmp(json_string_value(q), quarter) == 0));
	}
	if (!listed)
		json_array_append_new(quarters, json_pack("{s:s, s:s, s:b}", "code", current, "name",
		                                          cases_quarter_words(current, words, sizeof(words)), "current", strcmp(current, quarter) == 0));
	/* a quarter asked for by its address, with nothing in it: the chooser
	 * still says which quarter is shown */
	if (!shown && strcmp(current, quarter) != 0 && cases_quarter_words(quarter, words, sizeof(words)))
		json_array_append_new(quarters, json_pack("{s:s, s:s, s:b}", "code", quarter, "name", words, "current", 1));
	json_array_foreach(json_object_get(raw, "notes"), i, n)
		json_array_append_new(notes, cases_trend_note_view(n, now));
	out = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:b}", "quarter", quarter,
	                "quarter_label", cases_quarter_words(quarter, words, sizeof(words)) ? words : quarter,
	                "quarters", quarters,
	                "shared", trend_table(json_object_get(raw, "shared"), shared_columns, shared_label,
	                                      "Cases shared with the police"),
	                "holds", trend_table(json_object_get(raw, "holds"), trend_groups, trend_group_label,
	                                     "Safehouse bed holds"),
	                "unmet", trend_table(json_object_get(raw, "unmet"), unmet_groups, unmet_group_label,
	                                     "Bed searches that found no bed"),
	                "notes", notes, "has_notes", json_array_size(notes) > 0);
	return out;
}
