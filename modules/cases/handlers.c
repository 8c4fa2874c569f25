/* handlers.c - the cases handlers: the list (an NGO's shared cases, a unit's
 * queue ordered by waiting time, every case's timings for coordinators),
 * the share form and sharing, one case's timeline, and its actions
 * (acknowledge, update or reply, ask for an update, close).  Each:
 * validate (fields.c) -> authorise (who is on which side) -> one store.c
 * call -> answer.  Every view and every refusal is audited.
 */
#include "cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "jsonget.h"
#include "response.h"

/* ---- the list ------------------------------------------------------------- */

/* Waiting longest first (a unit's queue). */
static int by_waiting(const void *a, const void *b)
{
	long long x = cases_waiting_since(*(json_t *const *)a), y = cases_waiting_since(*(json_t *const *)b);
	return x < y ? -1 : x > y;
}

/* The cases of answer list `all` that match `filter`, as `side` sees them,
 * sorted by waiting time for a unit.  New array. */
static json_t *list_view(const json_t *all, const char *filter, const char *side, time_t now)
{
	size_t i, n = 0, count = json_array_size(all);
	json_t **pick = calloc(count + 1, sizeof(*pick)), *out = json_array();

	for (i = 0; pick && i < count; i++)
		if (cases_filter_match(json_array_get(all, i), filter, now))
			pick[n++] = json_array_get(all, i);
	if (pick && strcmp(side, "unit") == 0)
		qsort(pick, n, sizeof(*pick), by_waiting);
	for (i = 0; pick && i < n; i++)
		json_array_append_new(out, cases_case_view(pick[i], NULL, side, now));
	free(pick);
	return out;
}

/* The filter links of the list page, `filter` the current one. */
static json_t *filter_links(const char *filter)
{
	json_t *links = json_array();
	size_t i;

	json_array_append_new(links, json_pack("{s:s, s:s, s:b}", "href", "/cases/", "name", "All",
	                                       "current", filter[0] == '\0'));
	for (i = 0; cases_filters[i]; i++) {
		char href[80];
		snprintf(href, sizeof(href), "/cases/?status=%s", cases_filters[i]);
		json_array_append_new(links, json_pack("{s:s, s:s, s:b}", "href", href, "name", cases_filter_label(cases_filters[i]),
		                                       "current", strcmp(filter, cases_filters[i]) == 0));
	}
	return links;
}

void cases_list(portal_ctx *ctx)
{
	cases_viewer who = cases_viewer_of(ctx);
	const char *kind = who.unit[0] ? "unit" : who.agency[0] ? "ngo" : who.coordinator ? "all" : NULL;
	const char *side = who.unit[0] ? "unit" : who.agency[0] ? "ngo" : "coordinator", *filter;
	json_t *valid = NULL, *data, *list;
	cases_answer a;

	if (cases_validate(ctx, ctx->req.query, cases_fields[CASES_FIELDS_LIST], &valid, NULL) < 0)
		return;
	filter = portal_json_text(valid, "status");
	if (kind == NULL) {
		/* neither side of any case: nothing to list, and said so */
		data = json_pack("{s:[], s:b, s:b}", "cases", "has_cases", 0, "no_side", 1);
		portal_reply(ctx, 200, data);
		json_decref(valid);
		return;
	}
	cases_store_list(ctx->store, kind, who.unit[0] ? who.unit : who.agency, &a);
	if (!cases_reply_failed(ctx, &a)) {
		list = list_view(json_object_get(a.data, "cases"), filter, side, time(NULL));
		portal_audit(ctx, "cases_listed", NULL, json_pack("{s:s, s:I}", "side", side, "count", (json_int_t)json_array_size(list)));
		data = json_pack("{s:o, s:b, s:s, s:b, s:b, s:b}", "cases", list, "has_cases", json_array_size(list) > 0,
		                 "side", side, "is_ngo", strcmp(side, "ngo") == 0, "is_unit", strcmp(side, "unit") == 0,
		                 "is_coordinator", strcmp(side, "coordinator") == 0);
		json_object_set_new(data, "filters", filter_links(filter));
		if (filter[0])
			json_object_set_new(data, "filter_label", json_string(cases_filter_label(filter)));
		portal_reply(ctx, 200, data);
	}
	cases_answer_free(&a);
	json_decref(valid);
}

/* ---- sharing --------------------------------------------------------------- */

void cases_new_form(portal_ctx *ctx)
{
	portal_reply(ctx, 200, cases_share_page(NULL));
}

/* The rules across the share fields: a date not in the future.  Returns
 * the errors (new reference) or NULL. */
static json_t *share_rules(const json_t *v)
{
	json_t *errors = NULL;
	time_t on;

	if (portal_date_parse(portal_json_text(v, "shared_on"), &on) == 0 && on > time(NULL))
		portal_field_error(&errors, "shared_on", "The date you gave the information must be today or in the past");
	if (json_object_get(v, "contact_consent") == NULL)
		portal_field_error(&errors, "contact_consent", "Say whether the person agrees to police contact through you");
	return errors;
}

void cases_share(portal_ctx *ctx)
{
	cases_viewer who = cases_viewer_of(ctx);
	json_t *valid = NULL, *errors, *view;
	cases_share_request req;
	const char *unit;
	cases_answer a;

	if (who.agency[0] == '\0') {
		portal_reply_forbidden(ctx, "Only NGO staff of an agency can share a case.");
		return;
	}
	if (cases_validate(ctx, ctx->req.body, cases_fields[CASES_FIELDS_SHARE], &valid,
	                   cases_share_page(ctx->req.body)) < 0)
		return;
	if ((errors = share_rules(valid)) != NULL) {
		json_t *page = cases_share_page(ctx->req.body);
		json_object_set_new(page, "typed", json_deep_copy(ctx->req.body));
		portal_reply_invalid(ctx, errors, page);
		json_decref(valid);
		return;
	}
	unit = portal_json_text(valid, "unit");
	if (unit[0] == '\0' || strcmp(unit, "dont_know") == 0)
		unit = cases_unit_for_borough(portal_json_text(valid, "borough"));
	req.valid = valid;
	req.unit = unit;
	req.agency = who.agency;
	req.agency_name = json_string_value(json_object_get(json_object_get(ctx->user, "agency"), "name"));
	req.agency_name = req.agency_name ? req.agency_name : "";
	req.actor = who.username;
	req.actor_name = portal_json_text(ctx->user, "name");
	cases_store_share(ctx->store, &req, &a);
	if (!cases_reply_failed(ctx, &a)) {
		view = cases_case_view(json_object_get(a.data, "case"), json_object_get(a.data, "timeline"), "ngo", time(NULL));
		portal_audit(ctx, "case_shared", NULL, json_pack("{s:O, s:s}", "case", json_object_get(view, "id"), "unit", unit));
		portal_reply_done(ctx, 201, "case", view, "/cases/%s?done=shared", portal_json_text(json_object_get(a.data, "case"), "id"));
	}
	cases_answer_free(&a);
	json_decref(valid);
}

/* ---- one case ---------------------------------------------------------------- */

/* Choices for the update form: [{code, name, id}]. */
static json_t *status_choices(const char *const *codes, const char *(*label)(const char *), const char *field)
{
	json_t *out = json_array();
	char id[80];
	size_t i;

	for (i = 0; codes[i]; i++) {
		snprintf(id, sizeof(id), i == 0 ? "%s" : "%s-%s", field, codes[i]);
		json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "code", codes[i], "name", label(codes[i]), "id", id));
	}
	return out;
}

/* Mark the item of page list `list` whose code is the typed `name` of
 * `body` as selected, so a page shown again keeps the choice. */
static void mark_typed(json_t *page, const char *list, const json_t *body, const char *name)
{
	const char *typed = portal_json_text(body, name);
	json_t *item;
	size_t i;

	json_array_foreach(json_object_get(page, list), i, item)
		json_object_set_new(item, "selected", json_boolean(strcmp(portal_json_text(item, "code"), typed) == 0));
}

/* Case {id} as the user may see it: the page data {case, statuses,
 * reasons}, or NULL after answering (404 for anyone not a party; the
 * refusal audited).  *side is set; *timeline (when not NULL) is the stored
 * timeline (new reference). */
static json_t *case_load(portal_ctx *ctx, const char *id, const char **side, json_t **timeline)
{
	cases_viewer who = cases_viewer_of(ctx);
	json_t *data = NULL;
	cases_answer a;

	*side = NULL;
	cases_store_get(ctx->store, id, &a);
	if (!cases_reply_failed(ctx, &a)) {
		*side = cases_side(&who, json_object_get(a.data, "case"));
		if (*side == NULL) {
			portal_audit(ctx, "case_view_refused", NULL, json_pack("{s:s}", "case", id));
			portal_reply_not_found(ctx, "case");
		} else
			data = json_pack("{s:o, s:o, s:o}", "case",
			                 cases_case_view(json_object_get(a.data, "case"), json_object_get(a.data, "timeline"), *side, time(NULL)),
			                 "statuses", status_choices(cases_unit_statuses, cases_status_label, "status"),
			                 "reasons", status_choices(cases_nfa_reasons, cases_reason_label, "reason"));
	}
	if (data && timeline)
		*timeline = json_incref(json_object_get(a.data, "timeline"));
	if (data) {  /* the unit's form starts at the case's status */
		json_t *now = json_pack("{s:s}", "status", portal_json_text(json_object_get(a.data, "case"), "status"));
		mark_typed(data, "statuses", now, "status");
		json_decref(now);
	}
	cases_answer_free(&a);
	return data;
}

void cases_get(portal_ctx *ctx)
{
	const char *id = portal_path_number(ctx, "id", CASES_ID_MAX, "case", NULL), *side;
	json_t *data, *done, *timeline = NULL;

	if (id == NULL || (data = case_load(ctx, id, &side, &timeline)) == NULL)
		return;
	portal_audit(ctx, "case_viewed", NULL, json_pack("{s:s, s:s}", "case", id, "side", side));
	if (ctx->req.is_api) {
		json_t *one = json_pack("{s:O}", "case", json_object_get(data, "case"));
		json_decref(data);
		data = one;
	} else if ((done = cases_done(ctx)) != NULL) {
		json_object_set_new(data, "done", done);
		cases_saved_notes(ctx, data, timeline);
	}
	json_decref(timeline);
	portal_reply(ctx, 200, data);
}

/* Case {id}'s action input: the parties only (anyone else 404, before
 * their input is read; coordinators 403), then the body validated against
 * `t` (NULL: no fields) and the rule across fields (no further action
 * needs a reason).  A page shown again keeps what was typed.  Returns the
 * valid fields (new reference; an empty object with no table), or NULL
 * after answering. */
static json_t *case_act_input(portal_ctx *ctx, const char *id, const portal_fields *t)
{
	json_t *valid = NULL, *page, *errors = NULL;
	const char *side, *why = NULL;
	char was[40];

	if ((page = case_load(ctx, id, &side, NULL)) == NULL)
		return NULL;
	snprintf(was, sizeof(was), "%s", portal_json_text(json_object_get(page, "case"), "status"));
	if (strcmp(side, "coordinator") == 0) {
		json_decref(page);
		portal_reply_forbidden(ctx, "Coordinators see a case's timings; only the NGO and the police unit act on it.");
		return NULL;
	}
	if (ctx->req.is_api) {
		json_decref(page);
		page = NULL;
	} else {
		mark_typed(page, "statuses", ctx->req.body, "status");
		mark_typed(page, "reasons", ctx->req.body, "reason");
	}
	if (t == NULL) {
		json_decref(page);
		return json_object();
	}
	if (cases_validate(ctx, ctx->req.body, *t, &valid, json_incref(page)) < 0) {
		json_decref(page);
		return NULL;
	}
	if (strcmp(portal_json_text(valid, "status"), "no_further_action") == 0 && !portal_json_text(valid, "reason")[0])
		why = "reason";
	/* the unit's update that says nothing new: no notification for nothing */
	else if (t == &cases_fields[CASES_FIELDS_UNIT_UPDATE] && strcmp(portal_json_text(valid, "status"), was) == 0 &&
	         !portal_json_text(valid, "note")[0])
		why = "status";
	if (why) {
		portal_field_error(&errors, why, why[0] == 'r' ? "Choose the reason for no further action"
		                                               : "Choose a new status, or write a note about this one");
		if (page)
			json_object_set_new(page, "typed", json_deep_copy(ctx->req.body));
		portal_reply_invalid(ctx, errors, page);
		json_decref(valid);
		return NULL;
	}
	json_decref(page);
	return valid;
}

/* The action `action` on case {id} with the body validated against `t`
 * (NULL: no fields): one store call, audited, answered with the case. */
static void case_act(portal_ctx *ctx, const char *action, const portal_fields *t)
{
	const char *id = portal_path_number(ctx, "id", CASES_ID_MAX, "case", NULL), *side;
	cases_viewer who = cases_viewer_of(ctx);
	json_t *valid, *view;
	cases_action act;
	cases_answer a;

	if (id == NULL || (valid = case_act_input(ctx, id, t)) == NULL)
		return;
	memset(&act, 0, sizeof(act));
	act.id = id;
	act.action = action;
	act.actor = who.username;
	act.actor_name = portal_json_text(ctx->user, "name");
	act.agency = who.agency;
	act.unit = who.unit;
	act.police_reference = portal_json_text(valid, "police_reference");
	act.status = portal_json_text(valid, "status");
	act.reason = portal_json_text(valid, "reason");
	act.note = portal_json_text(valid, "note");
	act.outcome = portal_json_text(valid, "outcome");
	cases_store_act(ctx->store, &act, &a);
	if (a.rc == PORTAL_RUN_OK && !cases_answer_ok(&a))
		portal_audit(ctx, "case_action_refused", NULL, json_pack("{s:s, s:s, s:s}", "case", id, "action", action, "why", a.status));
	if (!cases_reply_failed(ctx, &a)) {
		who.coordinator = 0;
		side = cases_side(&who, json_object_get(a.data, "case"));
		view = cases_case_view(json_object_get(a.data, "case"), json_object_get(a.data, "timeline"), side ? side : "ngo", time(NULL));
		portal_audit(ctx, "case_updated", NULL, json_pack("{s:s, s:s}", "case", id, "action", action));
		if (ctx->req.is_api && (strcmp(action, "update") == 0 || strcmp(action, "close") == 0))
			/* a note or an outcome: its language notes ([] when none) */
			portal_reply(ctx, 200, json_pack("{s:o, s:o}", "case", view, "language_notes",
			             cases_language_notes(ctx->store, act.note[0] ? act.note : act.outcome)));
		else
			portal_reply_done(ctx, 200, "case", view, "/cases/%s?done=%s", id,
			                  strcmp(action, "update") == 0 && !who.unit[0] ? "reply" : action);
	}
	cases_answer_free(&a);
	json_decref(valid);
}

void cases_acknowledge(portal_ctx *ctx)
{
	case_act(ctx, "acknowledge", &cases_fields[CASES_FIELDS_ACK]);
}

void cases_update(portal_ctx *ctx)
{
	cases_viewer who = cases_viewer_of(ctx);
	case_act(ctx, "update", &cases_fields[who.unit[0] ? CASES_FIELDS_UNIT_UPDATE : CASES_FIELDS_REPLY]);
}

void cases_request_update(portal_ctx *ctx)
{
	case_act(ctx, "request_update", NULL);
}

void cases_close(portal_ctx *ctx)
{
	case_act(ctx, "close", &cases_fields[CASES_FIELDS_CLOSE]);
}
