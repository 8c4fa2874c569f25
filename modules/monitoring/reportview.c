/* reportview.c - the monitoring figures (figures.c) as people read them:
 * the page's sections, each an accessible SVG bar chart (role="img", its
 * title and the figures in words) beside its tables, the quarter chooser,
 * and the same tables as CSV (one after another, each cell escaped for
 * spreadsheets by portal_csv_field).  Pure: no ctx, no Redis. */
#include "monitoring.h"

#include <stdio.h>
#include <string.h>

#include "jsonget.h"

#define CHART_BAR 18       /* a bar's height */
#define CHART_ROW 44       /* a row: its label above, its bar below */
#define CHART_WIDTH 300    /* the longest bar; the value written after it (the view is 400 wide) */

/* A table's column: the row's member, its heading, whether a number. */
typedef struct column {
	const char *key, *heading;
	int numeric;
} column;

/* A cell's text: the member's string, or its number in words. */
static json_t *cell_text(const json_t *row, const column *c)
{
	const json_t *v = json_object_get(row, c->key);
	char s[64];

	if (json_is_string(v))
		return json_incref((json_t *)v);
	if (json_is_integer(v))
		snprintf(s, sizeof(s), "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(s, sizeof(s), "%.1f", json_real_value(v));
	else
		snprintf(s, sizeof(s), "%s", "not known");
	return json_string(s);
}

/* Table {caption, head [{text, numeric}], rows [{cells [{text, label (the
 * column's heading), numeric, first}]}], empty} of `rows` in `cols` (n of them). */
static json_t *table_of(const char *caption, const json_t *rows, const column *cols, size_t n, const char *empty)
{
	json_t *head = json_array(), *out = json_array(), *row, *cells;
	size_t i, k;

	for (k = 0; k < n; k++)
		json_array_append_new(head, json_pack("{s:s, s:b}", "text", cols[k].heading, "numeric", cols[k].numeric));
	json_array_foreach(rows, i, row) {
		cells = json_array();
		for (k = 0; k < n; k++)
			json_array_append_new(cells, json_pack("{s:o, s:s, s:b, s:b}", "text", cell_text(row, &cols[k]),
			                                       "label", cols[k].heading, "numeric", cols[k].numeric, "first", k == 0));
		json_array_append_new(out, json_pack("{s:o}", "cells", cells));
	}
	return json_pack("{s:s, s:o, s:o, s:s*, s:b}", "caption", caption, "head", head, "rows", out,
	                 "empty", json_array_size(rows) ? NULL : empty, "has_rows", json_array_size(rows) > 0);
}

/* Member `key` of `row` as a bar's value: a number (or digits), within 0
 * and a trillion (the cases report's figures are shown as published, so
 * they are not trusted to be small). */
static long long count_of(const json_t *row, const char *key)
{
	const json_t *v = json_object_get(row, key);
	double x = json_is_number(v) ? json_number_value(v) : (double)portal_json_num(row, key);

	return x > 0 && x < 1e12 ? (long long)x : x >= 1e12 ? 1000000000000LL : 0;
}

static long long bar_value(const json_t *bar)
{
	return count_of(bar, "value");
}

/* Chart {id, title, desc, height, bars [{label, value, y, text_y,
 * width}]} of `bars` [{label, value}] (`unit` said after each value in
 * the description: "places booked"). */
static json_t *chart_of(const char *id, const char *title, const json_t *bars)
{
	json_t *out = json_array(), *b;
	portal_buf desc;
	long long most = 1;
	size_t i;

	json_array_foreach(bars, i, b)
		if (bar_value(b) > most)
			most = bar_value(b);
	portal_buf_init(&desc, 0);
	json_array_foreach(bars, i, b) {
		long long v = bar_value(b);
		portal_buf_printf(&desc, "%s%s: %lld.", i ? " " : "", portal_json_text(b, "label"), v);
		json_array_append_new(out, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "label", portal_json_text(b, "label"),
		                      "value", (json_int_t)v, "text_y", (json_int_t)(i * CHART_ROW + 14),
		                      "y", (json_int_t)(i * CHART_ROW + 20), "width", (json_int_t)(v * CHART_WIDTH / most),
		                      "value_x", (json_int_t)(v * CHART_WIDTH / most + 6)));
	}
	b = json_pack("{s:s, s:s, s:s, s:I, s:o}", "id", id, "title", title, "desc",
	              json_array_size(bars) ? desc.data : "Nothing to show yet.",
	              "height", (json_int_t)(json_array_size(bars) * CHART_ROW + 8), "bars", out);
	portal_buf_free(&desc);
	return b;
}

/* Bars [{label, value}] of the trend rows, one for each of `metrics`
 * ("booked") named by `words` ("places booked"), quarter by quarter. */
static json_t *trend_bars(const json_t *trend, const char *const *metrics, const char *const *words)
{
	json_t *out = json_array(), *row;
	char label[160];
	size_t i;

	json_array_foreach(trend, i, row)
		for (size_t k = 0; metrics[k]; k++) {
			snprintf(label, sizeof(label), "%s, %s", portal_json_text(row, "name"), words[k]);
			json_array_append_new(out, json_pack("{s:s, s:I}", "label", label, "value",
			                                     (json_int_t)count_of(row, metrics[k])));
		}
	return out;
}

/* Bars [{label, value}] of rows' `name` and `metric`. */
static json_t *row_bars(const json_t *rows, const char *name, const char *metric)
{
	json_t *out = json_array(), *row;
	size_t i;

	json_array_foreach(rows, i, row)
		json_array_append_new(out, json_pack("{s:s, s:I}", "label", portal_json_text(row, name), "value",
		                                     (json_int_t)count_of(row, metric)));
	return out;
}

/* Section {id, heading, chart, tables, note} (chart bars stolen). */
static json_t *section(const char *id, const char *heading, const char *chart_title, json_t *bars, json_t *tables)
{
	char chart_id[64];
	json_t *s;

	snprintf(chart_id, sizeof(chart_id), "%s-chart", id);
	s = json_pack("{s:s, s:s, s:o, s:o}", "id", id, "heading", heading,
	              "chart", chart_of(chart_id, chart_title, bars), "tables", tables);
	json_decref(bars);
	return s;
}

static const column by_training[] = { { "name", "Who", 0 }, { "booked", "Places booked", 1 },
	{ "attended", "Attended", 1 }, { "cancelled", "Cancelled", 1 } };
static const column by_holds[] = { { "name", "Where", 0 }, { "placed", "Holds placed", 1 },
	{ "answered", "Answered", 1 }, { "accepted", "Accepted", 1 }, { "median_text", "Median time to an answer", 1 } };
static const column courses[] = { { "title", "Course", 0 }, { "feedback", "Feedback given", 1 },
	{ "confidence_change", "Confidence change (after minus before, 1 to 5)", 1 },
	{ "usefulness", "Usefulness (1 to 5)", 1 } };
static const column unmet_trend[] = { { "name", "Quarter", 0 }, { "unmet", "Searches with no bed", 1 } };
static const column needs[] = { { "words", "What was needed", 0 }, { "borough_name", "Borough searched", 0 },
	{ "count", "Times", 1 } };
static const column units[] = { { "name", "Police unit", 0 }, { "shared", "Cases shared", 1 },
	{ "acknowledged", "Acknowledged", 1 }, { "median_days_to_ack", "Median days to acknowledgement", 1 },
	{ "updated_within_28_days_percent", "Updated within 28 days (per cent)", 1 },
	{ "closed_with_outcome", "Closed with an outcome", 1 } };
static const column terms_trend[] = { { "name", "Quarter", 0 }, { "flagged", "Terms flagged", 1 } };
static const column terms[] = { { "term", "Term", 0 }, { "agency_type_name", "Agency type", 0 },
	{ "count", "Times", 1 } };
static const column themes[] = { { "name", "Theme", 0 }, { "count", "Texts tagged", 1 } };
static const column quotes[] = { { "agency_type_name", "Agency type", 0 }, { "text", "Quote", 0 } };

#define TABLE(caption, rows, cols, empty) table_of(caption, rows, cols, MONITORING_COUNT(cols), empty)
#define PART(f, part, name) json_object_get(json_object_get(f, part), name)

static json_t *training_section(const json_t *f)
{
	static const char *const metrics[] = { "booked", "attended", NULL }, *const words[] = { "places booked", "attended", NULL };
	static const column trend[] = { { "name", "Quarter", 0 }, { "booked", "Places booked", 1 },
		{ "attended", "Attended", 1 }, { "cancelled", "Cancelled", 1 } };

	return section("training", "Training", "Training places booked and attended, quarter by quarter",
	               trend_bars(json_object_get(f, "trend"), metrics, words), json_pack("[o, o, o, o]",
	               TABLE("Training over four quarters", json_object_get(f, "trend"), trend, ""),
	               TABLE("Training by agency type", PART(f, "training", "by_agency_type"), by_training, "No training booked this quarter."),
	               TABLE("Training by police unit", PART(f, "training", "by_unit"), by_training, "No training booked this quarter."),
	               TABLE("Feedback by course", PART(f, "training", "courses"), courses, "No feedback this quarter.")));
}

static json_t *beds_section(const json_t *f)
{
	static const char *const metrics[] = { "placed", "answered", "accepted", NULL },
		*const words[] = { "holds placed", "answered", "accepted", NULL };
	static const column trend[] = { { "name", "Quarter", 0 }, { "placed", "Holds placed", 1 },
		{ "answered", "Answered", 1 }, { "accepted", "Accepted", 1 }, { "median_text", "Median time to an answer", 1 } };

	return section("beds", "Bed holds", "Bed holds placed, answered and accepted, quarter by quarter",
	               trend_bars(json_object_get(f, "trend"), metrics, words), json_pack("[o, o, o]",
	               TABLE("Bed holds over four quarters", json_object_get(f, "trend"), trend, ""),
	               TABLE("Bed holds by borough", PART(f, "holds", "by_borough"), by_holds, "No holds this quarter."),
	               TABLE("Bed holds by the responder's police unit", PART(f, "holds", "by_unit"), by_holds, "No holds this quarter.")));
}

/* A section of one figure's trend ("unmet": "searches with no bed") and
 * `tables` (stolen): the section's id, heading and chart title in `names`. */
static json_t *figure_section(const json_t *f, const char *const names[3], const char *metric, const char *word,
                              json_t *tables)
{
	const char *const metrics[] = { metric, NULL }, *const words[] = { word, NULL };

	return section(names[0], names[1], names[2], trend_bars(json_object_get(f, "trend"), metrics, words), tables);
}

static json_t *unmet_section(const json_t *f)
{
	static const char *const names[] = { "unmet", "Unmet need", "Bed searches that found no bed, quarter by quarter" };

	return figure_section(f, names, "unmet", "searches with no bed", json_pack("[o, o]",
	       TABLE("Searches with no bed over four quarters", json_object_get(f, "trend"), unmet_trend, ""),
	       TABLE("What the searches with no bed asked for", PART(f, "unmet", "needs"), needs,
	             "Every bed search found a bed this quarter.")));
}

static json_t *cases_section(const json_t *f)
{
	const json_t *r = json_object_get(f, "responsiveness");
	json_t *s = section("cases", "Cases responsiveness", "Cases updated within 28 days, per cent, by police unit",
	                    row_bars(json_object_get(r, "units"), "name", "updated_within_28_days_percent"),
	                    json_pack("[o]", TABLE("How police units respond to shared cases", json_object_get(r, "units"),
	                              units, "No cases were shared with a unit this quarter.")));

	if (!json_is_true(json_object_get(r, "available")))
		json_object_set_new(s, "note", json_string("The cases report for this quarter is not yet available: "
		                    "the cases module publishes it, and it is shown here as it is."));
	return s;
}

static json_t *language_section(const json_t *f)
{
	static const char *const names[] = { "language", "Language",
		"Terms from the language guide found in what partners wrote, quarter by quarter" };

	return figure_section(f, names, "flagged", "terms flagged", json_pack("[o, o]",
	       TABLE("Terms flagged over four quarters", json_object_get(f, "trend"), terms_trend, ""),
	       TABLE("Terms flagged by agency type", PART(f, "language", "terms"), terms,
	             "No term from the guide was found this quarter.")));
}

static json_t *partners_section(const json_t *f)
{
	return section("partners", "What partners say", "Texts tagged with each theme",
	               row_bars(PART(f, "partners", "themes"), "name", "count"), json_pack("[o, o]",
	               TABLE("Texts tagged by theme", PART(f, "partners", "themes"), themes, "No themes yet."),
	               TABLE("Shared quotes", PART(f, "partners", "quotes"), quotes, "No quote marked to share this quarter.")));
}

/* The sections of figures `f`, in the page's order. */
static json_t *sections_of(const json_t *f)
{
	return json_pack("[o, o, o, o, o, o]", training_section(f), beds_section(f), unmet_section(f),
	                 cases_section(f), language_section(f), partners_section(f));
}

/* The quarter chooser's choices: the eight quarters up to this one (and
 * the one shown, when older), the one shown selected. */
static json_t *quarter_choices(const char *shown, time_t now)
{
	json_t *out = json_array();
	char now_q[16], q[16], words[64];
	int found = 0;

	monitoring_quarter_at(now, now_q, sizeof(now_q));
	for (int back = 0; back < 8; back++) {
		monitoring_quarter_back(now_q, back, q, sizeof(q));
		found |= strcmp(q, shown) == 0;
		json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", q, "name",
		                      monitoring_quarter_words(q, words, sizeof(words)), "selected", strcmp(q, shown) == 0));
	}
	if (!found)
		json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", shown, "name",
		                      monitoring_quarter_words(shown, words, sizeof(words)), "selected", 1));
	return out;
}

json_t *monitoring_report_page(json_t *figures, time_t now)
{
	json_t *page = json_pack("{s:O, s:O, s:o, s:o}", "quarter", json_object_get(figures, "quarter"),
	                         "quarter_name", json_object_get(figures, "quarter_name"),
	                         "choices", quarter_choices(portal_json_text(figures, "quarter"), now),
	                         "sections", sections_of(figures));

	json_decref(figures);
	return page;
}

json_t *monitoring_report_chooser(time_t now)
{
	char q[16];

	return json_pack("{s:o}", "choices", quarter_choices(monitoring_quarter_at(now, q, sizeof(q)), now));
}

int monitoring_report_csv_write(const json_t *figures, portal_buf *out)
{
	json_t *sections = sections_of(figures), *s, *t, *h, *row, *c;
	size_t i, k, j, m;

	portal_buf_printf(out, "Monitoring figures,");
	portal_csv_field(out, portal_json_text(figures, "quarter_name"));
	portal_buf_printf(out, "\r\n");
	json_array_foreach(sections, i, s)
		json_array_foreach(json_object_get(s, "tables"), k, t) {
			portal_buf_printf(out, "\r\n");
			portal_csv_field(out, portal_json_text(t, "caption"));
			portal_buf_printf(out, "\r\n");
			json_array_foreach(json_object_get(t, "head"), j, h) {
				portal_buf_printf(out, "%s", j ? "," : "");
				portal_csv_field(out, portal_json_text(h, "text"));
			}
			portal_buf_printf(out, "\r\n");
			json_array_foreach(json_object_get(t, "rows"), j, row) {
				json_array_foreach(json_object_get(row, "cells"), m, c) {
					portal_buf_printf(out, "%s", m ? "," : "");
					portal_csv_field(out, portal_json_text(c, "text"));
				}
				portal_buf_printf(out, "\r\n");
			}
		}
	json_decref(sections);
	return out->overflow ? -1 : 0;
}
