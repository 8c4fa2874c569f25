/* figures.c - the quarterly monitoring figures as the API answers them
 * (issue 18 part 2), made from what lua/figures.lua read: the quarter's
 * training, bed holds, searches with no bed and terms flagged, each broken
 * down where the events have it (agency type, police unit, borough), and
 * the trend over it and the three quarters before.  Pure: no ctx, no
 * Redis (monitoring.h). */
#include "monitoring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonget.h"
#include "jsonsort.h"

/* The number kept in `fig` (a field's text: "3", "-0.5"), 0 when none. */
static double fig_num(const json_t *fig, const char *field)
{
	const char *s = json_string_value(json_object_get(fig, field));
	return s ? strtod(s, NULL) : 0;
}

/* x rounded to the nearest whole number (halves away from zero), within
 * a trillion either way (a count kept is far less; NaN is 0). */
static long long whole(double x)
{
	if (!(x > -1e12 && x < 1e12))
		return x >= 1e12 ? 1000000000000LL : x <= -1e12 ? -1000000000000LL : 0;
	return x < 0 ? -(long long)(-x + 0.5) : (long long)(x + 0.5);
}

/* Add v to group[code][metric] (each made when missing). */
static void bump(json_t *groups, const char *code, const char *metric, double v)
{
	json_t *g = json_object_get(groups, code);

	if (g == NULL) {
		g = json_object();
		json_object_set_new(groups, code, g);
	}
	json_object_set_new(g, metric, json_real(json_number_value(json_object_get(g, metric)) + v));
}

/* Add minutes m to group[code]'s list "minutes" (m < 0: only made). */
static void add_minutes(json_t *groups, const char *code, double m)
{
	json_t *list;

	bump(groups, code, "placed", 0);
	list = json_object_get(json_object_get(groups, code), "minutes");
	if (list == NULL) {
		list = json_array();
		json_object_set_new(json_object_get(groups, code), "minutes", list);
	}
	if (m >= 0)
		json_array_append_new(list, json_real(m));
}

/* The name people read for `code` of kind `what` ("unit", "borough",
 * "agency"): the table's name; a unit as the cases report names it, else
 * its words; and a plain phrase when none was given. */
static void name_of(const char *what, const char *code, const json_t *unit_names, char *out, size_t len)
{
	const portal_code_name *e = NULL;
	size_t i;

	if (strcmp(what, "borough") == 0)
		e = portal_code_find(portal_london_areas, portal_london_areas_count, code);
	else if (strcmp(what, "agency") == 0)
		e = portal_code_find(portal_agency_types, portal_agency_types_count, code);
	if (e) {
		snprintf(out, len, "%s", e->name);
		return;
	}
	if (code[0] == '\0' || strcmp(code, "unknown") == 0) {
		snprintf(out, len, "%s", strcmp(what, "unit") == 0 ? "No police unit"
		                         : strcmp(what, "borough") == 0 ? "Borough not known" : "Agency type not known");
		return;
	}
	if (json_is_string(json_object_get(unit_names, code))) {
		snprintf(out, len, "%s", json_string_value(json_object_get(unit_names, code)));
		return;
	}
	snprintf(out, len, "%s", code);  /* "central-west": "Central west" */
	for (i = 0; out[i]; i++)
		out[i] = out[i] == '-' || out[i] == '_' ? ' ' : out[i];
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

/* The median of the numbers in array `a` (sorted here), or -1 when empty. */
static double median_of(json_t *a)
{
	size_t n = json_array_size(a), i, j;
	double *v = n ? calloc(n, sizeof(double)) : NULL, m;

	if (v == NULL)
		return -1;
	for (i = 0; i < n; i++)
		v[i] = json_number_value(json_array_get(a, i));
	for (i = 1; i < n; i++)  /* insertion sort: a quarter's holds */
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			m = v[j], v[j] = v[j - 1], v[j - 1] = m;
		}
	m = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	free(v);
	return (double)whole(m);
}

/* The time to an answer in words ("45 minutes", "2 hours 5 minutes"). */
static json_t *minutes_words(double m)
{
	char s[64];
	long long h = (long long)m / 60, min = (long long)m % 60;

	if (m < 0)
		return json_string("no answers");
	if (h == 0)
		snprintf(s, sizeof(s), "%lld minute%s", min, min == 1 ? "" : "s");
	else
		snprintf(s, sizeof(s), "%lld hour%s %lld minute%s", h, h == 1 ? "" : "s", min, min == 1 ? "" : "s");
	return json_string(s);
}

/* qsort's order of rows: by name. */
static int rows_by_name(const void *a, const void *b)
{
	return strcmp(portal_json_text(*(json_t *const *)a, "name"), portal_json_text(*(json_t *const *)b, "name"));
}

/* groups {code: {metric: n}} as rows [{code, name, metric: n...}] by name,
 * every one of `metrics` (NULL-ended) there (0 when none), the metric
 * "minutes" (a list) made into median_minutes and median_text. */
static json_t *rows_of(const json_t *groups, const char *what, const json_t *unit_names, const char *const *metrics)
{
	json_t *out = json_array(), *g, *row, *v;
	const char *code, *metric;
	char name[160];

	json_object_foreach((json_t *)groups, code, g) {
		name_of(what, code, unit_names, name, sizeof(name));
		row = json_pack("{s:s, s:s}", "code", code, "name", name);
		for (size_t i = 0; metrics[i]; i++)
			json_object_set_new(row, metrics[i], json_integer(0));
		json_object_foreach(g, metric, v) {
			if (json_is_array(v)) {
				double m = median_of(v);
				json_object_set_new(row, "median_minutes", m < 0 ? json_null() : json_integer((json_int_t)m));
				json_object_set_new(row, "median_text", minutes_words(m));
			} else
				json_object_set_new(row, metric, json_integer((json_int_t)whole(json_number_value(v))));
		}
		json_array_append_new(out, row);
	}
	portal_json_sort(out, rows_by_name);
	return out;
}

/* The parts of a kept field "kind|a|b" into kind, a and b ("" when
 * missing); a course's field is "course|<title>|metric", so its metric is
 * after the last bar. */
static void split_field(const char *field, char *kind, char *a, char *b, size_t len)
{
	const char *p = strchr(field, '|'), *q = p ? strchr(p + 1, '|') : NULL;

	kind[0] = a[0] = b[0] = '\0';
	if (p == NULL || q == NULL)
		return;
	snprintf(kind, len, "%.*s", (int)(p - field), field);
	if (strcmp(kind, "course") == 0)
		q = strrchr(field, '|');
	snprintf(a, len, "%.*s", (int)(q - p - 1), p + 1);
	snprintf(b, len, "%s", q + 1);
}

/* Sort quarter `fig`'s fields into `by` (monitoring_figures' groups) and
 * add its totals to `total` {metric: n}. */
static void split_fig(const json_t *fig, json_t *by, json_t *total)
{
	char kind[256], a[256], b[256];
	const char *field;
	json_t *v;

	json_object_foreach((json_t *)fig, field, v) {
		double n = fig_num(fig, field);
		split_field(field, kind, a, b, sizeof(a));
		if (!strcmp(kind, "booked") || !strcmp(kind, "attended") || !strcmp(kind, "cancelled")) {
			bump(json_object_get(by, "agency"), a, kind, n);
			bump(json_object_get(by, "unit"), b, kind, n);
			bump(total, "all", kind, n);
		} else if (!strcmp(kind, "course"))
			bump(json_object_get(by, "course"), a, b, n);
		else if (!strcmp(kind, "placed") || !strcmp(kind, "answered") || !strcmp(kind, "accepted")) {
			add_minutes(json_object_get(by, a[0] == 'b' ? "borough" : "hunit"), b, -1);
			bump(json_object_get(by, a[0] == 'b' ? "borough" : "hunit"), b, kind, n);
			if (a[0] == 'b')
				bump(total, "all", kind, n);
		} else if (!strcmp(kind, "unmet")) {
			bump(json_object_get(by, "unmet"), field, "count", n);
			bump(total, "all", "unmet", n);
		} else if (!strcmp(kind, "terms")) {
			bump(json_object_get(by, "terms"), field, "count", n);
			bump(total, "all", "flagged", n);
		}
	}
}

/* The minutes to an answer ["m|borough|unit"] into `by`'s borough and
 * unit groups and `total`. */
static void split_minutes(const json_t *minutes, json_t *by, json_t *total)
{
	char m[256], borough[256], unit[256];
	json_t *v;
	size_t i;

	json_array_foreach(minutes, i, v) {
		split_field(json_string_value(v) ? json_string_value(v) : "", m, borough, unit, sizeof(m));
		if (m[0] == '\0')
			continue;
		add_minutes(json_object_get(by, "borough"), borough, strtod(m, NULL));
		add_minutes(json_object_get(by, "hunit"), unit, strtod(m, NULL));
		add_minutes(total, "all", strtod(m, NULL));
	}
}

/* A quarter's kept figures `q` ({fig, minutes}) sorted into groups. */
static json_t *groups_of(const json_t *q, json_t **total)
{
	json_t *by = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "agency", json_object(), "unit", json_object(),
	                       "course", json_object(), "borough", json_object(), "hunit", json_object(),
	                       "unmet", json_object(), "terms", json_object());

	*total = json_object();
	add_minutes(*total, "all", -1);
	split_fig(json_object_get(q, "fig"), by, *total);
	split_minutes(json_object_get(q, "minutes"), by, *total);
	return by;
}

/* The courses' feedback {title: {feedback, delta, useful}} as rows
 * [{title, feedback, confidence_change, usefulness}] (means to one
 * decimal place), by title. */
static json_t *course_rows(const json_t *courses)
{
	json_t *out = json_array(), *c;
	const char *title;

	json_object_foreach((json_t *)courses, title, c) {
		double n = json_number_value(json_object_get(c, "feedback"));
		if (n < 0.5)
			continue;
		json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:f, s:f}", "name", title, "title", title,
		                      "feedback", (json_int_t)whole(n),
		                      "confidence_change", whole(json_number_value(json_object_get(c, "delta")) / n * 10) / 10.0,
		                      "usefulness", whole(json_number_value(json_object_get(c, "useful")) / n * 10) / 10.0));
	}
	portal_json_sort(out, rows_by_name);
	return out;
}

/* qsort's order of counted rows: the most first, then by name. */
static int by_count(const void *a, const void *b)
{
	long long x = portal_json_num(*(json_t *const *)a, "count"), y = portal_json_num(*(json_t *const *)b, "count");
	return x != y ? (x < y ? 1 : -1) : rows_by_name(a, b);
}

/* The searches with no bed {"unmet|borough|words": {count}} as rows
 * [{words, borough, borough_name, count, text}], or the terms flagged
 * {"terms|agency type|term": {count}} as [{agency_type, agency_type_name,
 * term, count}]; the most first, none counted below one. */
static json_t *counted_rows(const json_t *groups, int terms)
{
	json_t *out = json_array(), *g;
	const char *field;
	char kind[256], a[256], b[256], name[160], text[700];

	json_object_foreach((json_t *)groups, field, g) {
		json_int_t n = (json_int_t)whole(json_number_value(json_object_get(g, "count")));
		if (n < 1)
			continue;
		split_field(field, kind, a, b, sizeof(a));
		name_of(terms ? "agency" : "borough", a, NULL, name, sizeof(name));
		if (terms) {
			json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:I}", "agency_type", a, "agency_type_name",
			                      name, "name", name, "term", b, "count", n));
			continue;
		}
		snprintf(text, sizeof(text), "%s, %s – %lld time%s", b[0] ? b : "any bed", name, (long long)n, n == 1 ? "" : "s");
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "words", b[0] ? b : "any bed",
		                      "borough", a, "borough_name", name, "name", name, "count", n, "text", text));
	}
	portal_json_sort(out, by_count);
	return out;
}

/* One quarter's row of the trend from its totals. */
static json_t *trend_row(const char *quarter, json_t *total)
{
	static const char *const metrics[] = { "booked", "attended", "cancelled", "placed", "answered", "accepted",
	                                       "unmet", "flagged", NULL };
	json_t *rows = rows_of(total, "total", NULL, metrics), *row = json_incref(json_array_get(rows, 0));
	char words[64];

	json_decref(rows);
	json_object_del(row, "code");
	json_object_set_new(row, "quarter", json_string(quarter));
	json_object_set_new(row, "name", json_string(monitoring_quarter_words(quarter, words, sizeof(words))));
	return row;
}

/* The cases module's responsiveness for `quarter` from its published
 * report (NULL: none yet), shown as it is. */
static json_t *responsiveness_of(const json_t *report, const char *quarter)
{
	json_t *units = json_object_get(json_object_get(json_object_get(report, "quarters"), quarter), "units");

	if (!json_is_array(units))
		return json_pack("{s:b, s:[]}", "available", 0, "units");
	return json_pack("{s:b, s:O, s:O*}", "available", 1, "units", units, "updated_at",
	                 json_object_get(report, "updated_at"));
}

/* What partners said in `quarter`: the counts per theme and the shared
 * quotes of the texts (raw hashes) taken in that quarter. */
static json_t *partners_of(const json_t *texts, const json_t *themes, const char *quarter, time_t now)
{
	json_t *views = json_array(), *raw, *out;
	char q[16];
	size_t i;

	json_array_foreach(texts, i, raw) {
		const char *kept = portal_json_text(raw, "quarter");
		if (kept[0] == '\0')
			kept = monitoring_quarter_at((time_t)strtoll(portal_json_text(raw, "created_at"), NULL, 10), q, sizeof(q));
		if (strcmp(kept, quarter) == 0)
			json_array_append_new(views, monitoring_text_view(raw, themes, now));
	}
	out = json_pack("{s:o, s:o, s:I}", "themes", monitoring_theme_counts(themes, views),
	                "quotes", monitoring_shared_quotes(views), "texts", (json_int_t)json_array_size(views));
	json_decref(views);
	return out;
}

/* The unit names the cases report gives, over all its quarters. */
static json_t *unit_names_of(const json_t *report)
{
	json_t *names = json_object(), *q, *u;
	const char *key;
	size_t i;

	json_object_foreach(json_object_get(report, "quarters"), key, q)
		json_array_foreach(json_object_get(q, "units"), i, u)
			if (json_is_string(json_object_get(u, "unit")) && json_is_string(json_object_get(u, "name")))
				json_object_set(names, json_string_value(json_object_get(u, "unit")), json_object_get(u, "name"));
	return names;
}

json_t *monitoring_figures(const monitoring_sources *src, const char *quarter, time_t now)
{
	static const char *const training[] = { "booked", "attended", "cancelled", NULL };
	static const char *const holds[] = { "placed", "answered", "accepted", NULL };
	json_t *names = unit_names_of(src->report), *trend = json_array(), *by = NULL, *total, *g, *out;
	char q[16], words[64];

	for (int back = MONITORING_TREND_QUARTERS - 1; back >= 0; back--) {
		monitoring_quarter_back(quarter, back, q, sizeof(q));
		g = groups_of(json_object_get(src->kept, q), &total);
		json_array_append_new(trend, trend_row(q, total));
		json_decref(total);
		if (back == 0)
			by = g;
		else
			json_decref(g);
	}
	out = json_pack("{s:s, s:s, s:o}", "quarter", quarter, "quarter_name",
	                monitoring_quarter_words(quarter, words, sizeof(words)), "trend", trend);
	json_object_set_new(out, "training", json_pack("{s:o, s:o, s:o}",
	                    "by_agency_type", rows_of(json_object_get(by, "agency"), "agency", names, training),
	                    "by_unit", rows_of(json_object_get(by, "unit"), "unit", names, training),
	                    "courses", course_rows(json_object_get(by, "course"))));
	json_object_set_new(out, "holds", json_pack("{s:o, s:o}",
	                    "by_borough", rows_of(json_object_get(by, "borough"), "borough", names, holds),
	                    "by_unit", rows_of(json_object_get(by, "hunit"), "unit", names, holds)));
	json_object_set_new(out, "unmet", json_pack("{s:o}", "needs", counted_rows(json_object_get(by, "unmet"), 0)));
	json_object_set_new(out, "language", json_pack("{s:o}", "terms", counted_rows(json_object_get(by, "terms"), 1)));
	json_object_set_new(out, "responsiveness", responsiveness_of(src->report, quarter));
	json_object_set_new(out, "partners", partners_of(src->texts, src->themes, quarter, now));
	json_decref(by);
	json_decref(names);
	return out;
}
