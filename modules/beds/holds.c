/* holds.c - holds: the form, placing one (Idempotency-Key), the list, one
 * hold, and accept, decline, cancel, extend (see beds.h).  Expiry and
 * erasure happen in the scripts and in housekeeping (store.c). */
#include "beds.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "jsonget.h"
#include "metrics.h"
#include "response.h"

/* Who is looking, for beds_hold_view. */
static beds_viewer beds_viewer_of(const portal_ctx *ctx, const json_t *h)
{
	beds_viewer who = { beds_username(ctx), beds_is_owner(ctx, portal_json_text(h, "agency")),
	                    portal_user_has(ctx, BEDS_RESP) };
	return who;
}

json_t *beds_hold_view_for(const portal_ctx *ctx, const json_t *h)
{
	beds_viewer who = beds_viewer_of(ctx, h);
	return beds_hold_view(&who, h, time(NULL));
}

/* 1 when the user may see hold `h`: who placed it, the owning NGO, coordinators. */
static int beds_hold_visible(const portal_ctx *ctx, const json_t *h)
{
	if (portal_user_has(ctx, BEDS_COORD))
		return 1;
	if (beds_is_owner(ctx, portal_json_text(h, "agency")))
		return 1;
	return portal_user_has(ctx, BEDS_RESP) && strcmp(portal_json_text(h, "responder"), beds_username(ctx)) == 0;
}

/* GET /beds/safehouses/{id}/hold?group= - the hold form: only the house's
 * groups with a bed free. */
void beds_hold_form(portal_ctx *ctx)
{
	const char *id = portal_path_number(ctx, "id", BEDS_ID_MAX, "safehouse", NULL);
	json_t *view, *form;

	if (id == NULL || (view = beds_house_read(ctx, id)) == NULL)
		return;
	form = beds_hold_form_values(json_object_get(ctx->req.query, "group"));
	portal_reply(ctx, 200, beds_hold_form_page(view, form));
	json_decref(form);
	json_decref(view);
}

/* The hold form again after the script refused the hold on a page: the
 * house has no bed of the group, or none free now.  1 when answered. */
static int beds_hold_refused_page(portal_ctx *ctx, const beds_answer *a, const json_t *house)
{
	const char *g = portal_json_text(ctx->req.body, "group"), *name = portal_json_text(house, "name");
	char msg[300];
	int status;

	if (ctx->req.is_api || a->rc != PORTAL_RUN_OK)
		return 0;
	if (strcmp(a->status, "invalid_input") == 0) {
		status = 422;
		snprintf(msg, sizeof(msg), "%s has no beds for %s. Choose a bed group it has, or find another safehouse.",
		         name, beds_group_label(g));
	} else if (strcmp(a->status, "no_bed_available") == 0) {
		status = 409;
		portal_metric_event(ctx, BEDS_EV_NO_BED_AVAILABLE);
		snprintf(msg, sizeof(msg), "%s: no bed is free at %s now (another responder may have just held it). "
		         "Choose another bed group, or find another safehouse.", beds_group_label(g), name);
	} else
		return 0;
	beds_reply_page_errors(ctx, status, json_pack("{s:s}", "group", msg),
	                       beds_hold_form_page(house, ctx->req.body), beds_href_field);
	return 1;
}
/* The answer to a placed hold (a = the script's "ok"): counted and audited
 * unless it is a replay of an earlier call with the same Idempotency-Key;
 * the hold's page from a form, 201 with the hold under /api/. */
static void beds_hold_placed(portal_ctx *ctx, const char *id, const beds_answer *a, long long minutes)
{
	int replay = json_is_true(json_object_get(a->data, "replay"));
	json_t *hold = beds_hold_view_for(ctx, json_object_get(a->data, "hold"));
	char loc[64];

	if (!replay) {
		portal_metric_event(ctx, BEDS_EV_HOLD_PLACED);
		snprintf(loc, sizeof(loc), "%lld", minutes);
		portal_audit(ctx, "hold_placed", NULL, json_pack("{s:O, s:s, s:O, s:s}", "hold", json_object_get(hold, "id"),
		             "safehouse", id, "group", json_object_get(hold, "group"), "minutes", loc));
	}
	if (replay && ctx->req.is_api)
		portal_header_add(ctx, "Idempotent-Replayed", "true");
	portal_reply_done(ctx, 201, "hold", hold, "/beds/holds/%lld?done=placed", portal_json_num(hold, "id"));
}

/* Validate the hold's fields into *v; 1 after answering 422 with every
 * error at once, the form again on a page. */
static int beds_hold_invalid(portal_ctx *ctx, const json_t *house, json_t **v)
{
	portal_fields t = beds_fields_of(BEDS_FIELDS_HOLD);
	json_t *errors = NULL;

	if (portal_validate(ctx->req.body, t, v, &errors) == 0)
		return 0;
	portal_reply_invalid(ctx, errors, ctx->req.is_api ? NULL : beds_hold_form_page(house, ctx->req.body));
	return 1;
}

/* POST .../safehouses/{id}/holds - hold one bed while the referral is made.
 * After any mistake the page is the form again: the house, its groups, what
 * was typed, each error at its field. */
void beds_hold_place(portal_ctx *ctx)
{
	const char *id = portal_path_number(ctx, "id", BEDS_ID_MAX, "safehouse", NULL), *ikey = portal_header(ctx, "HTTP_IDEMPOTENCY_KEY");
	const char *agency = portal_user_agency_id(ctx);
	beds_hold_request req;
	json_t *v = NULL, *house;
	beds_answer a = { .data = NULL };

	if (id == NULL || (house = beds_house_read(ctx, id)) == NULL)
		return;
	if (ikey && *ikey && !beds_idempotency_key_ok(ikey)) {
		portal_reply_error(ctx, 400, "bad_idempotency_key",
		                   "The Idempotency-Key header must be 1 to 100 letters, digits or _ . : -", NULL);
		goto done;
	}
	if (beds_hold_invalid(ctx, house, &v))
		goto done;
	req = (beds_hold_request){ .safehouse = id, .group = portal_json_text(v, "group"),
		.responder = beds_username(ctx), .responder_agency = agency ? agency : "",
		.responder_name = beds_user_words(ctx, "name"), .responder_agency_name = beds_user_words(ctx, "agency"),
		.responder_agency_type = beds_user_words(ctx, "agency_type"), .responder_unit = beds_user_words(ctx, "unit"),
		.reference = portal_json_text(v, "reference"), .callback_phone = portal_json_text(v, "callback_phone"),
		.idempotency_key = ikey ? ikey : "",
		.minutes = json_object_get(v, "minutes") ? portal_json_num(v, "minutes") : BEDS_HOLD_MINUTES_DEFAULT };
	beds_store_hold_place(ctx->store, &req, &a);
	if (!beds_hold_refused_page(ctx, &a, house) && !beds_reply_failed(ctx, &a, "safehouse"))
		beds_hold_placed(ctx, id, &a, req.minutes);
done:
	beds_answer_free(&a);
	json_decref(v);
	json_decref(house);
}

/* GET /beds/holds - coordinators: every hold; NGO staff: their houses';
 * responders: their own. */
void beds_hold_list(portal_ctx *ctx)
{
	static const portal_page_list list = { "/beds/holds", portal_page_keep, "holds" };
	const char *kind = "all", *who = "";
	json_t *q, *holds, *h, *data;
	portal_page p;
	beds_answer a;
	size_t i;

	if ((q = portal_valid_query(ctx, beds_fields[BEDS_FIELDS_LIST])) == NULL)
		return;
	p = portal_page_of(q);
	if (!portal_user_has(ctx, BEDS_COORD)) {
		if (portal_user_has(ctx, BEDS_NGO)) {
			kind = "agency";
			who = portal_user_agency_id(ctx) ? portal_user_agency_id(ctx) : "-";
		} else {
			kind = "resp";
			who = beds_username(ctx);
		}
	}
	beds_store_holds(ctx->store, kind, who, portal_page_offset(p), p.per_page, &a);
	if (beds_reply_failed(ctx, &a, "hold"))
		goto done;
	holds = json_array();
	json_array_foreach(json_object_get(a.data, "holds"), i, h)
		if (beds_hold_visible(ctx, h))
			json_array_append_new(holds, beds_hold_view_for(ctx, h));
	portal_audit(ctx, "holds_listed", NULL, json_pack("{s:I}", "count", (json_int_t)json_array_size(holds)));
	data = json_pack("{s:o, s:b}", "holds", holds, "has_holds", json_array_size(holds) > 0);
	portal_reply(ctx, 200, portal_page_answer(data, ctx->req.is_api ? NULL : &list, q, p,
	             portal_json_num(a.data, "total"), json_array_size(holds)));
done:
	beds_answer_free(&a);
	json_decref(q);
}

json_t *beds_hold_read(portal_ctx *ctx, const char **id_out)
{
	const char *id = portal_path_number(ctx, "id", BEDS_ID_MAX, "hold", NULL);
	json_t *h = NULL;
	beds_answer a;

	*id_out = id;
	if (id == NULL)
		return NULL;
	beds_store_hold(ctx->store, id, &a);
	if (!beds_reply_failed(ctx, &a, "hold")) {
		if (beds_hold_visible(ctx, json_object_get(a.data, "hold")))
			h = json_incref(json_object_get(a.data, "hold"));
		else {
			portal_audit(ctx, "hold_view_refused", NULL, json_pack("{s:s}", "hold", id));
			portal_reply_not_found(ctx, "hold");
		}
	}
	beds_answer_free(&a);
	return h;
}

/* Who placed hold view `v`, in words: "Sam Jones, Metropolitan Police";
 * holds placed before the names were kept say so. */
static json_t *beds_placed_by(const json_t *v)
{
	const char *name = portal_json_text(v, "responder_name"), *agency = portal_json_text(v, "responder_agency_name");

	if (*name == '\0')
		return json_string("A first responder (the portal did not yet keep names when this hold was placed)");
	return *agency ? json_sprintf("%s, %s", name, agency) : json_string(name);
}

json_t *beds_hold_page(portal_ctx *ctx, const json_t *h, const json_t *typed)
{
	json_t *view = beds_hold_view_for(ctx, h), *reasons = json_array(), *doc, *data, *done, *said;
	const char *doc_s = json_string_value(json_object_get(h, "safehouse_doc"));
	size_t i;

	for (i = 0; beds_decline_reasons[i]; i++)
		json_array_append_new(reasons, json_pack("{s:s, s:s, s:b}", "code", beds_decline_reasons[i],
		                      "name", beds_reason_label(beds_decline_reasons[i]), "first", i == 0));
	doc = doc_s ? json_loads(doc_s, 0, NULL) : NULL;
	data = json_pack("{s:o, s:o, s:o, s:s, s:s}", "hold", view, "reasons", reasons, "placed_by", beds_placed_by(view),
	                 "referral_phone", portal_json_text(doc, "referral_phone"),
	                 "referral_hours", portal_json_text(doc, "referral_hours"));
	json_decref(doc);
	if (data == NULL)
		return json_object();
	json_object_set_new(data, "is_responder", json_boolean(portal_user_has(ctx, BEDS_RESP)));
	if ((said = beds_outcome_form(view, typed)) != NULL)
		json_object_set_new(data, "outcome_form", said);
	if ((done = beds_done(ctx)) != NULL)
		json_object_set_new(data, "done", done);
	return data;
}

/* GET /api/v1/beds/holds/{id}: the answer made by one read-only script
 * for this reader, copied without parsing. */
static void beds_hold_answer(portal_ctx *ctx, const char *id)
{
	const char *agency = portal_user_agency_id(ctx), *text;
	char roles[4] = "";
	portal_run_result res;
	size_t len = 0;

	if (portal_user_has(ctx, BEDS_COORD))
		strcat(roles, "c");
	if (portal_user_has(ctx, BEDS_NGO))
		strcat(roles, "n");
	if (portal_user_has(ctx, BEDS_RESP))
		strcat(roles, "r");
	beds_store_hold_view(ctx->store, id, beds_username(ctx), agency ? agency : "", roles, &res);
	if (res.rc == PORTAL_RUN_UNAVAILABLE)
		portal_reply_store_unavailable(ctx);
	else if (res.rc == PORTAL_RUN_OK && (strcmp(res.status, "not_found") == 0 || strcmp(res.status, "not_theirs") == 0)) {
		if (strcmp(res.status, "not_theirs") == 0)
			portal_audit(ctx, "hold_view_refused", NULL, json_pack("{s:s}", "hold", id));
		portal_reply_not_found(ctx, "hold");
	} else if (!portal_run_ok(&res) || (text = portal_run_field(&res, "hold", &len)) == NULL)
		portal_reply_internal_error(ctx, res.rc == PORTAL_RUN_BROKEN ? res.cause : "beds hold answer");
	else {
		portal_audit(ctx, "hold_viewed", NULL, json_pack("{s:s}", "hold", id));
		portal_reply_body(ctx, 200, "application/json; charset=utf-8", NULL, text, len);
	}
	portal_run_result_free(&res);
}

/* GET /beds/holds/{id} - one hold; each view is audited. */
void beds_hold_get(portal_ctx *ctx)
{
	const char *id;
	json_t *h;

	if (ctx->req.is_api) {
		if ((id = portal_path_number(ctx, "id", BEDS_ID_MAX, "hold", NULL)) != NULL)
			beds_hold_answer(ctx, id);
		return;
	}
	if ((h = beds_hold_read(ctx, &id)) == NULL)
		return;
	portal_audit(ctx, "hold_viewed", NULL, json_pack("{s:s}", "hold", id));
	portal_reply(ctx, 200, beds_hold_page(ctx, h, NULL));
	json_decref(h);
}

/* The actions on a hold: the word, its table (NULL: no fields), what the
 * audit and the metrics call it. */
static const struct beds_action {
	const char *action;
	int         form;  /* beds_form, or -1 */
	const char *event;
	int         metric;
} beds_actions[] = {
	{ "accept", -1, "hold_accepted", BEDS_EV_HOLD_ACCEPTED },
	{ "decline", BEDS_FIELDS_DECLINE, "hold_declined", BEDS_EV_HOLD_DECLINED },
	{ "cancel", -1, "hold_cancelled", BEDS_EV_HOLD_CANCELLED },
	{ "extend", BEDS_FIELDS_EXTEND, "hold_extended", BEDS_EV_HOLD_EXTENDED },
};

/* Validate the action's fields into *v; 1 after answering 422: on a page,
 * the hold's page again with the error at the field. */
static int beds_hold_act_invalid(portal_ctx *ctx, const struct beds_action *how, json_t **v)
{
	portal_fields t = beds_fields_of((beds_form)how->form);
	json_t *errors = NULL, *h;
	const char *id;

	if (portal_validate(ctx->req.body, t, v, &errors) == 0)
		return 0;
	if (ctx->req.is_api) {
		portal_reply_invalid(ctx, errors, NULL);
		return 1;
	}
	if ((h = beds_hold_read(ctx, &id)) == NULL) {
		json_decref(errors);
		return 1;
	}
	portal_reply_invalid(ctx, errors, beds_hold_page(ctx, h, NULL));
	json_decref(h);
	return 1;
}

/* Answer or change hold {id} by action `how`. */
static void beds_hold_act(portal_ctx *ctx, const struct beds_action *how)
{
	const char *id = portal_path_number(ctx, "id", BEDS_ID_MAX, "hold", NULL), *agency = portal_user_agency_id(ctx);
	json_t *v = NULL, *hold;
	beds_hold_action act;
	beds_answer a = { .data = NULL };

	if (id == NULL || (how->form >= 0 && beds_hold_act_invalid(ctx, how, &v)))
		return;
	act = (beds_hold_action){ .hold = id, .action = how->action, .actor = beds_username(ctx),
		.agency = agency ? agency : "-", .reason = portal_json_text(v, "reason"),
		.minutes = json_object_get(v, "minutes") ? portal_json_num(v, "minutes") : BEDS_HOLD_MINUTES_DEFAULT };
	beds_store_hold_act(ctx->store, &act, &a);
	if (a.rc == PORTAL_RUN_OK && strcmp(a.status, "forbidden") == 0) {
		/* another agency's or another responder's hold: not theirs to know of */
		beds_audit_expired(ctx, &a);
		portal_audit(ctx, "hold_action_refused", NULL, json_pack("{s:s, s:s}", "hold", id, "action", how->action));
		portal_reply_not_found(ctx, "hold");
		goto done;
	}
	if (beds_reply_failed(ctx, &a, "hold"))
		goto done;
	hold = beds_hold_view_for(ctx, json_object_get(a.data, "hold"));
	portal_metric_event(ctx, how->metric);
	portal_audit(ctx, how->event, NULL, json_pack("{s:s, s:O, s:O}", "hold", id, "group", json_object_get(hold, "group"),
	             "reason", json_object_get(v, "reason") ? json_object_get(v, "reason") : json_null()));
	portal_reply_done(ctx, 200, "hold", hold, "/beds/holds/%s?done=%s", id, how->action);
done:
	beds_answer_free(&a);
	json_decref(v);
}

void beds_hold_accept(portal_ctx *ctx) { beds_hold_act(ctx, &beds_actions[0]); }
void beds_hold_decline(portal_ctx *ctx) { beds_hold_act(ctx, &beds_actions[1]); }
void beds_hold_cancel(portal_ctx *ctx) { beds_hold_act(ctx, &beds_actions[2]); }
void beds_hold_extend(portal_ctx *ctx) { beds_hold_act(ctx, &beds_actions[3]); }
