/* safehouses.c - the safehouse handlers: the start page, search, the list,
 * one house, and the form that adds or changes one (see beds.h). */
#include "beds.h"
#include "langorder.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "jsonget.h"
#include "metrics.h"
#include "response.h"

json_t *beds_houses_read(portal_ctx *ctx, const char *agency, const portal_page *p, long long *total)
{
	const beds_config *cfg = beds_config_get();
	json_t *out = NULL, *h;
	time_t now = time(NULL);
	beds_answer a;
	size_t i;

	beds_store_houses(ctx->store, agency, p ? portal_page_offset(*p) : 0, p ? p->per_page : 0, &a);
	if (beds_reply_failed(ctx, &a, "safehouse"))
		goto done;
	if (total)
		*total = portal_json_num(a.data, "total");
	out = json_array();
	json_array_foreach(json_object_get(a.data, "houses"), i, h) {
		json_t *v = beds_house_view(h, now, cfg);
		if (v)
			json_array_append_new(out, v);
	}
done:
	beds_answer_free(&a);
	return out;
}

json_t *beds_house_read(portal_ctx *ctx, const char *id)
{
	json_t *v = NULL;
	beds_answer a;

	beds_store_house(ctx->store, id, &a);
	if (!beds_reply_failed(ctx, &a, "safehouse") &&
	    (v = beds_house_view(json_object_get(a.data, "house"), time(NULL), beds_config_get())) == NULL)
		portal_reply_internal_error(ctx, "safehouse view");
	beds_answer_free(&a);
	return v;
}

/* The form lists, languages in the portal's order (common/langorder.h). */
static json_t *beds_form_lists(portal_ctx *ctx)
{
	json_t *order = portal_language_order(ctx->store, NULL), *data = beds_form_data(order);

	json_decref(order);
	return data;
}

/* The safehouse form page (beds_safehouse_form_page) in the portal's
 * language order. */
static json_t *beds_safehouse_form_page_for(portal_ctx *ctx, const json_t *form, const char *id)
{
	json_t *order = portal_language_order(ctx->store, NULL), *data = beds_safehouse_form_page(order, form, id);

	json_decref(order);
	json_object_set_new(data, "language_picker",
	                    portal_language_picker(ctx->store, form ? json_object_get(form, "languages") : NULL,
	                                           "Staff languages", "The languages the house's staff speak."));
	return data;
}

/* GET /beds/ - where each role starts. */
void beds_home(portal_ctx *ctx)
{
	json_t *data = beds_form_lists(ctx);

	json_object_set_new(data, "is_responder", json_boolean(portal_user_has(ctx, BEDS_RESP)));
	json_object_set_new(data, "is_ngo", json_boolean(portal_user_has(ctx, BEDS_NGO)));
	json_object_set_new(data, "is_coordinator", json_boolean(portal_user_has(ctx, BEDS_COORD)));
	portal_reply(ctx, 200, data);
}

/* Mark the search form's choices of `want` in page data `data`. */
static void beds_search_marked(json_t *data, const json_t *want)
{
	static const char *const lists[][2] = { { "groups", "group" }, { "persons", "person" },
		{ "languages", "language" }, { "areas", "area" } };
	size_t i;

	for (i = 0; i < BEDS_COUNT(lists); i++)
		beds_mark_selected(data, lists[i][0], json_object_get(want, lists[i][1]));
}

/* The search page with its results: the form as searched, the choices
 * marked.  Steals results. */
static json_t *beds_search_page(portal_ctx *ctx, const json_t *want, json_t *answer, long long in_area)
{
	static const char *const keep[] = { "group", "person", "pre_nrm", "post_nrm", "dependants", "accessible",
	                                    "language", "area", "per_page", NULL };
	static const portal_page_list list = { "/beds/search", keep, "results" };
	json_t *data = beds_form_lists(ctx), *results = json_incref(json_object_get(answer, "results"));
	long long total = portal_json_num(answer, "total");

	json_decref(answer);
	if (results == NULL)
		results = json_array();
	json_object_set_new(data, "results", results);
	json_object_set_new(data, "searched", json_true());
	json_object_set_new(data, "has_results", json_boolean(json_array_size(results) > 0));
	json_object_set_new(data, "group_label", json_string(json_object_get(want, "person") ?
	                    beds_person_label(portal_json_text(want, "person")) : beds_group_label(portal_json_text(want, "group"))));
	json_object_set(data, "form", (json_t *)want);
	if (json_object_get(want, "area") != NULL) {
		json_object_set_new(data, "area_name", json_string(beds_area_name(portal_json_text(want, "area"))));
		json_object_set_new(data, "none_in_area", json_boolean(in_area == 0 && total > 0));
		json_object_set_new(data, "nearest_first", json_true());
	}
	beds_search_marked(data, want);
	json_object_set_new(data, "can_hold", json_boolean(portal_user_has(ctx, BEDS_RESP)));
	return portal_page_answer(data, &list, want, portal_page_of(want), total, json_array_size(results));
}

/* The search form again with what was asked (`q`: the query or the
 * validated search): the choices marked, the boxes ticked.  New reference
 * for the page. */
static json_t *beds_search_form_again(portal_ctx *ctx, const json_t *q)
{
	json_t *data = beds_form_lists(ctx);

	json_object_set(data, "form", (json_t *)q);
	beds_search_marked(data, q);
	return data;
}

/* The search's needs as the script takes them ("pre_nrm,accessible"). */
static void beds_search_needs(const json_t *want, portal_buf *out)
{
	static const char *const needs[] = { "pre_nrm", "post_nrm", "dependants", "accessible" };
	size_t i;

	for (i = 0; i < BEDS_COUNT(needs); i++)
		if (json_is_true(json_object_get(want, needs[i])))
			portal_buf_printf(out, "%s%s", out->len ? "," : "", needs[i]);
}

/* Run the search script for `want` (its page) into *res and the answer's
 * JSON text into *text; answers 503/500 itself and returns -1 when it
 * failed. */
static int beds_search_run(portal_ctx *ctx, const json_t *want, portal_run_result *res, portal_buf *text)
{
	portal_buf needs, near;
	int rc = 0;

	portal_buf_init(&needs, 128);
	portal_buf_init(&near, 1024);
	beds_search_needs(want, &needs);
	beds_search_near(json_string_value(json_object_get(want, "area")), &near);
	beds_store_search(ctx->store, want, needs.len ? needs.data : "", near.len ? near.data : "", portal_page_of(want),
	                  res);
	if (res->rc == PORTAL_RUN_UNAVAILABLE) {
		portal_reply_store_unavailable(ctx);
		rc = -1;
	} else if (!portal_run_ok(res) || portal_run_join(res, "search", text) < 0 || text->len == 0) {
		portal_reply_internal_error(ctx, res->rc == PORTAL_RUN_BROKEN ? res->cause : "beds search answer");
		rc = -1;
	}
	portal_buf_free(&needs);
	portal_buf_free(&near);
	return rc;
}

/* GET /beds/search - houses with an available bed that fit, found by one
 * read-only script that answers the API's JSON; the API copies it, the page
 * parses it.  A search with no result is counted for the unmet-need report
 * after the answer is made, in a call of its own that does not wait for
 * replicas (one such count may be lost in a failover: README). */
void beds_search_get(portal_ctx *ctx)
{
	json_t *want = NULL, *answer;
	portal_run_result res;
	portal_buf text;
	const char *total;
	char needs[300], words[600];
	long long in_area = 0;

	if (!ctx->req.is_api && json_object_size(ctx->req.query) == 0) {
		portal_reply(ctx, 200, beds_form_lists(ctx));  /* the empty form */
		return;
	}
	/* the page data only for a page: an API answer has no use for it, and
	 * building the choice lists was a quarter of a search's CPU */
	if (beds_validate(ctx, ctx->req.query, beds_fields_of(BEDS_FIELDS_SEARCH), &want,
	                  ctx->req.is_api ? NULL : beds_search_form_again(ctx, ctx->req.query)) < 0)
		return;
	if (!json_object_get(want, "group") && !json_object_get(want, "person")) {
		portal_reply_invalid(ctx, json_pack("{s:s}", "person", "Choose who the bed is for, or a bed group"),
		                     ctx->req.is_api ? NULL : beds_search_form_again(ctx, ctx->req.query));
		json_decref(want);
		return;
	}
	portal_buf_init(&text, 4 * 1024 * 1024);
	if (beds_search_run(ctx, want, &res, &text) < 0)
		goto done;
	portal_parse_int(portal_run_field(&res, "in_area", NULL), 0, BEDS_ID_MAX, &in_area);
	if (ctx->req.is_api)
		portal_reply_body(ctx, 200, "application/json; charset=utf-8", NULL, text.data, text.len);
	else if ((answer = json_loadb(text.data, text.len, 0, NULL)) == NULL)
		portal_reply_internal_error(ctx, "beds search answer is not JSON");
	else
		portal_reply(ctx, 200, beds_search_page(ctx, want, answer, in_area));
	total = portal_run_field(&res, "total", NULL);
	if (total && strcmp(total, "0") == 0) {
		portal_metric_event(ctx, BEDS_EV_SEARCH_NO_RESULT);
		beds_needs_text(want, needs, sizeof(needs));
		beds_unmet_words(json_string_value(json_object_get(want, "group")), needs, words, sizeof(words));
		/* the search has answered whether counting works or not */
		beds_store_unmet(ctx->store, json_string_value(json_object_get(want, "group")), needs, words,
		                 json_string_value(json_object_get(want, "area")));
	}
done:
	portal_buf_free(&text);
	portal_run_result_free(&res);
	json_decref(want);
}

/* GET /beds/safehouses - NGO staff: their agency's; others: every house. */
void beds_safehouse_list(portal_ctx *ctx)
{
	static const portal_page_list list = { "/beds/safehouses", portal_page_keep, "safehouses" };
	const char *agency = "";
	json_t *q = NULL, *houses, *data;
	long long total = 0;
	portal_page p;

	if ((q = portal_valid_query(ctx, beds_fields[BEDS_FIELDS_LIST])) == NULL)
		return;
	p = portal_page_of(q);
	if (portal_user_has(ctx, BEDS_NGO) && !portal_user_has(ctx, BEDS_COORD | BEDS_RESP))
		agency = portal_user_agency_id(ctx) ? portal_user_agency_id(ctx) : "-";
	if ((houses = beds_houses_read(ctx, agency, &p, &total)) != NULL) {
		data = json_pack("{s:o, s:b, s:b}", "safehouses", houses, "has_safehouses", json_array_size(houses) > 0,
		                 "is_ngo", portal_user_has(ctx, BEDS_NGO));
		portal_reply(ctx, 200, portal_page_answer(data, ctx->req.is_api ? NULL : &list, q, p, total,
		             json_array_size(houses)));
	}
	json_decref(q);
}

/* 1 when the user may change house `view`: the owning NGO's staff only
 * (coordinators see every house but the NGO keeps its own details, issue
 * #5, item 1). */
static int beds_may_edit(const portal_ctx *ctx, const json_t *view)
{
	return portal_user_has(ctx, BEDS_NGO) && beds_is_owner(ctx, portal_json_text(view, "agency"));
}

json_t *beds_house_for_user(portal_ctx *ctx, const char *id)
{
	json_t *view;

	if (id == NULL)
		return NULL;  /* portal_path_number answered */
	if ((view = beds_house_read(ctx, id)) == NULL)
		return NULL;
	if (portal_user_has(ctx, BEDS_NGO) && !portal_user_has(ctx, BEDS_RESP | BEDS_COORD) &&
	    !beds_is_owner(ctx, portal_json_text(view, "agency"))) {
		json_decref(view);
		portal_audit(ctx, "safehouse_view_refused", NULL, json_pack("{s:s}", "safehouse", id));
		portal_reply_not_found(ctx, "safehouse");
		return NULL;
	}
	return view;
}

/* GET /beds/safehouses/new - the empty form. */
void beds_safehouse_new_form(portal_ctx *ctx)
{
	portal_reply(ctx, 200, beds_safehouse_form_page_for(ctx, NULL, ""));
}

/* GET /beds/safehouses/{id}/edit - the form filled in from the house, for
 * NGO staff of its agency; 404 for anyone else's. */
void beds_safehouse_edit_form(portal_ctx *ctx)
{
	const char *id = portal_path_number(ctx, "id", BEDS_ID_MAX, "safehouse", NULL);
	json_t *view, *form, *data;

	if ((view = beds_house_for_user(ctx, id)) == NULL)
		return;
	if (!beds_may_edit(ctx, view)) {
		json_decref(view);
		portal_audit(ctx, "safehouse_edit_refused", NULL, json_pack("{s:s}", "safehouse", id));
		portal_reply_not_found(ctx, "safehouse");
		return;
	}
	form = beds_safehouse_form_of(view);
	data = beds_safehouse_form_page_for(ctx, form, id);
	json_object_set(data, "safehouse_name", json_object_get(view, "name"));
	json_decref(form);
	json_decref(view);
	portal_reply(ctx, 200, data);
}

/* Validate a safehouse body (JSON, or the form urlencoded) into *doc (fixed
 * fields) and *beds ({group: n}).  `id` is the house being changed, or ""
 * for a new one (the form page shown again on a 422).  Returns 0, or -1
 * after answering 422 with what was typed kept in the form. */
static int beds_safehouse_parse(portal_ctx *ctx, const char *id, json_t **doc, json_t **beds)
{
	json_t *in = beds_safehouse_input(ctx->req.body), *v = NULL, *errors = NULL;
	portal_fields t = beds_fields_of(BEDS_FIELDS_SAFEHOUSE);

	*doc = *beds = NULL;
	if (portal_validate(in, t, &v, &errors) < 0) {
		json_decref(v);
		/* never an address: say so, whatever else is wrong */
		if (json_object_get(in, "address") || json_object_get(in, "postcode"))
			json_object_set_new(errors, "address", json_string(
			    "Do not enter an address or postcode: the portal never stores where a safehouse is. Give the area only."));
	} else
		errors = beds_safehouse_rules(in, v, doc, beds);  /* takes v */
	if (errors != NULL)
		portal_reply_invalid(ctx, errors, beds_safehouse_form_page_for(ctx, in, id));
	json_decref(in);
	return errors ? -1 : 0;
}

/* The answer to a save refused with holds_pending, on the page: the form
 * again with what was typed and the message at the group's input. */
static void beds_safehouse_held_page(portal_ctx *ctx, const char *id, const beds_answer *a)
{
	char msg[256], field[48];
	const char *g = portal_json_text(a->data, "group");
	json_t *in;

	beds_holds_pending_message(a, msg, sizeof(msg));
	snprintf(field, sizeof(field), "beds_%s", *g ? g : BEDS_GROUP_FIRST);
	in = beds_safehouse_input(ctx->req.body);
	beds_reply_page_errors(ctx, 409, json_pack("{s:s}", field, msg),
	                       beds_safehouse_form_page_for(ctx, in, id), beds_href_field);
	json_decref(in);
}

/* Save house `id` (create when "") for the user's agency and answer: 303
 * to the house from the page, the house as JSON under /api/.  Takes doc
 * and beds.  Beds below the beds held for referrals are a 409
 * holds_pending; the page shows it on the form with what was typed. */
static void beds_safehouse_save(portal_ctx *ctx, const char *id, json_t *doc, json_t *beds)
{
	const char *agency = portal_user_agency_id(ctx);
	const char *aname = portal_json_text(json_object_get(ctx->user, "agency"), "name");
	json_t *view;
	beds_answer a;

	beds_store_safehouse_save(ctx->store, id, agency ? agency : "-", aname, doc, beds, beds_username(ctx), &a);
	if (a.rc == PORTAL_RUN_OK && !ctx->req.is_api && strcmp(a.status, "holds_pending") == 0) {
		beds_safehouse_held_page(ctx, id, &a);
		goto done;
	}
	if (beds_reply_failed(ctx, &a, "safehouse"))
		goto done;
	view = beds_house_view(json_object_get(a.data, "house"), time(NULL), beds_config_get());
	portal_audit(ctx, id[0] ? "safehouse_updated" : "safehouse_created", NULL,
	             json_pack("{s:O, s:O, s:O}", "safehouse", json_object_get(view, "id"),
	                       "area", json_object_get(view, "area"), "beds", beds));
	portal_reply_done(ctx, id[0] ? 200 : 201, "safehouse", view, "/beds/safehouses/%lld?done=saved", portal_json_num(view, "id"));
done:
	json_decref(doc);
	json_decref(beds);
	beds_answer_free(&a);
}

/* POST /beds/safehouses - NGO staff add a safehouse of their agency. */
void beds_safehouse_create(portal_ctx *ctx)
{
	json_t *doc, *beds;

	if (beds_safehouse_parse(ctx, "", &doc, &beds) < 0)
		return;
	beds_safehouse_save(ctx, "", doc, beds);
}

/* PUT /api/v1/beds/safehouses/{id}, and POST /beds/safehouses/{id}/edit
 * from the page (urlencoded): NGO staff of the owning agency change a
 * safehouse; the same fields and rules as a new one.  NGO staff of another
 * agency are refused by the save script. */
void beds_safehouse_update(portal_ctx *ctx)
{
	const char *id = portal_path_number(ctx, "id", BEDS_ID_MAX, "safehouse", NULL);
	json_t *doc = NULL, *beds = NULL;

	if (id == NULL || beds_safehouse_parse(ctx, id, &doc, &beds) < 0)
		return;
	beds_safehouse_save(ctx, id, doc, beds);  /* takes doc and beds */
}

json_t *beds_safehouse_page(portal_ctx *ctx, json_t *view)
{
	int owner = beds_is_owner(ctx, portal_json_text(view, "agency"));
	json_t *g;
	size_t i;

	json_array_foreach(json_object_get(view, "group_list"), i, g) {
		json_object_set_new(g, "input", beds_form_text(json_object_get(g, "vacant")));
		json_object_set_new(g, "error", json_string(""));
		json_object_set_new(g, "holdable", json_boolean(portal_json_num(g, "available") >= 1));
	}
	return json_pack("{s:b, s:b, s:b, s:o}", "is_owner", owner, "can_edit", beds_may_edit(ctx, view),
	                 "can_hold", portal_user_has(ctx, BEDS_RESP), "safehouse", view);
}

/* GET /beds/safehouses/{id} - NGO staff see only their agency's houses. */
void beds_safehouse_get(portal_ctx *ctx)
{
	json_t *view = beds_house_for_user(ctx, portal_path_number(ctx, "id", BEDS_ID_MAX, "safehouse", NULL));

	if (view == NULL)
		return;
	if (ctx->req.is_api)
		portal_reply(ctx, 200, json_pack("{s:o}", "safehouse", view));
	else {
		json_t *page = beds_safehouse_page(ctx, view), *done = beds_done(ctx);
		if (done != NULL)
			json_object_set_new(page, "done", done);
		portal_reply(ctx, 200, page);
	}
}
