/* trends.c - the anonymised trends every signed-in partner sees (issue
 * 17): per quarter, cases shared by borough and exploitation type, and bed
 * holds by borough and bed group (kept from the beds events: the cases
 * module reads no other module's keys), small numbers suppressed
 * (suppress.c); and the partners' context notes beside them, exportable
 * with the figures as CSV.
 */
#include "cases.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "jsonget.h"
#include "response.h"

/* The trends of `quarter` (a view), or NULL after answering. */
static json_t *quarter_view(portal_ctx *ctx, const char *quarter)
{
	json_t *view = NULL;
	cases_answer a;

	cases_store_trends(ctx->store, quarter, &a);
	if (!cases_reply_failed(ctx, &a))
		view = cases_trends_view(a.data, quarter, time(NULL));
	cases_answer_free(&a);
	return view;
}

static void note_choices(json_t *view, const char *typed);

/* The query's quarter not understood, on the page: this quarter's trends
 * with the quarter chooser and the error at it (422). */
static void trends_query_invalid(portal_ctx *ctx, json_t *errors)
{
	char quarter[16];
	json_t *page;

	cases_quarter_of_time(time(NULL), quarter, sizeof(quarter));
	if ((page = quarter_view(ctx, quarter)) == NULL) {
		json_decref(errors);
		return;
	}
	note_choices(page, "");
	portal_reply_invalid(ctx, errors, page);
}

/* The trends of the query's quarter (this quarter when none), or NULL
 * after answering. */
static json_t *trends_read(portal_ctx *ctx)
{
	json_t *valid = NULL, *view, *errors = NULL;
	char quarter[16];

	if (!ctx->req.is_api && ctx->route->template != NULL &&
	    portal_validate(ctx->req.query, cases_fields[CASES_FIELDS_TRENDS], &valid, &errors) < 0) {
		json_decref(valid);
		trends_query_invalid(ctx, errors);
		return NULL;
	}
	json_decref(errors);
	if (valid == NULL && cases_validate(ctx, ctx->req.query, cases_fields[CASES_FIELDS_TRENDS], &valid, NULL) < 0)
		return NULL;
	snprintf(quarter, sizeof(quarter), "%s", portal_json_text(valid, "quarter"));
	if (quarter[0] == '\0')
		cases_quarter_of_time(time(NULL), quarter, sizeof(quarter));
	if ((view = quarter_view(ctx, quarter)) != NULL)
		portal_audit(ctx, "cases_trends_viewed", NULL, json_pack("{s:s}", "quarter", quarter));
	json_decref(valid);
	return view;
}

/* The note form's choices: every area, every type, the quarter shown;
 * `typed` (the about sent, or "") selected. */
static void note_choices(json_t *view, const char *typed)
{
	const char *const *areas = cases_borough_choices();
	json_t *about = json_array(), *item;
	char code[96], name[96];
	size_t i;

	snprintf(code, sizeof(code), "quarter:%s", portal_json_text(view, "quarter"));
	snprintf(name, sizeof(name), "This quarter: %s", portal_json_text(view, "quarter_label"));
	json_array_append_new(about, json_pack("{s:s, s:s}", "code", code, "name", name));
	for (i = 0; areas[i]; i++) {
		snprintf(code, sizeof(code), "borough:%s", areas[i]);
		snprintf(name, sizeof(name), "Borough: %s", cases_borough_label(areas[i]));
		json_array_append_new(about, json_pack("{s:s, s:s}", "code", code, "name", name));
	}
	for (i = 0; cases_exploitation_types[i]; i++) {
		snprintf(code, sizeof(code), "exploitation_type:%s", cases_exploitation_types[i]);
		snprintf(name, sizeof(name), "Type: %s", cases_exploitation_label(cases_exploitation_types[i]));
		json_array_append_new(about, json_pack("{s:s, s:s}", "code", code, "name", name));
	}
	json_array_foreach(about, i, item)
		json_object_set_new(item, "selected", json_boolean(strcmp(portal_json_text(item, "code"), typed) == 0));
	json_object_set_new(view, "about", about);
}

void cases_trends_get(portal_ctx *ctx)
{
	json_t *view = trends_read(ctx), *done;

	if (view == NULL)
		return;
	if (!ctx->req.is_api) {
		note_choices(view, "");
		if ((done = cases_done(ctx)) != NULL)
			json_object_set_new(view, "done", done);
	}
	portal_reply(ctx, 200, view);
}

void cases_trends_csv_get(portal_ctx *ctx)
{
	json_t *view = trends_read(ctx);
	portal_buf out;

	if (view == NULL)
		return;
	portal_buf_init(&out, 4096);
	if (cases_trends_csv(view, &out) < 0)
		portal_reply_internal_error(ctx, "trends csv: out of memory");
	else
		portal_reply_body(ctx, 200, "text/csv; charset=utf-8", "case-trends.csv", out.data, out.len);
	portal_buf_free(&out);
	json_decref(view);
}

/* The trends page the note form was sent from, with the form's choices
 * (what was typed selected), for showing it again after an error; NULL
 * after answering.  Its quarter is the form's (this quarter when none). */
static json_t *note_page(portal_ctx *ctx)
{
	const char *shown = portal_json_text(ctx->req.body, "quarter");
	json_t *page;
	char quarter[16], words[64];

	if (strlen(shown) < sizeof(quarter) && cases_quarter_words(shown, words, sizeof(words)) != NULL)
		snprintf(quarter, sizeof(quarter), "%s", shown);
	else
		cases_quarter_of_time(time(NULL), quarter, sizeof(quarter));
	if ((page = quarter_view(ctx, quarter)) != NULL)
		note_choices(page, portal_json_text(ctx->req.body, "about"));
	return page;
}

void cases_trend_note_add(portal_ctx *ctx)
{
	json_t *valid = NULL, *page = NULL, *note, *view;
	const char *about, *colon, *agency_name;
	cases_answer a;

	if (!ctx->req.is_api && (page = note_page(ctx)) == NULL)
		return;
	if (cases_validate(ctx, ctx->req.body, cases_fields[CASES_FIELDS_NOTE], &valid, page) < 0)
		return;
	about = portal_json_text(valid, "about");
	colon = strchr(about, ':');
	agency_name = json_string_value(json_object_get(json_object_get(ctx->user, "agency"), "name"));
	note = json_pack("{s:s#, s:s, s:s, s:s}", "about_kind", about, (int)(colon - about), "about", colon + 1,
	                 "note", portal_json_text(valid, "note"), "agency_name", agency_name ? agency_name : "");
	cases_store_trend_note(ctx->store, note, &a);
	if (!cases_reply_failed(ctx, &a)) {
		view = json_object_get(a.data, "note");
		portal_audit(ctx, "cases_trend_note_added", NULL, json_pack("{s:s}", "about", about));
		if (ctx->req.is_api)
			portal_reply(ctx, 201, json_pack("{s:o, s:o}", "note", cases_trend_note_view(view, time(NULL)),
			             "language_notes", cases_language_notes(ctx->store, portal_json_text(view, "note"))));
		else
			/* back to the quarter the note was written beside */
			portal_reply_done(ctx, 201, NULL, NULL, "/cases/trends?%s%s%sdone=note", portal_json_text(valid, "quarter")[0] ?
			                  "quarter=" : "", portal_json_text(valid, "quarter"), portal_json_text(valid, "quarter")[0] ? "&" : "");
	}
	cases_answer_free(&a);
	json_decref(note);
	json_decref(valid);
}
