/* services.c - the search and services: one service, its change form, a new service or a change (applied for coordinators, proposed for NGO staff). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "jsonget.h"
#include "langorder.h"
#include "jsonsort.h"
#include "metrics.h"
#include "audit.h"
#include "clock.h"
#include "directory.h"
#include "reference.h"
#include "response.h"
#include "session.h"
#include "validate.h"



/* Add the "verification_due" flag to an API service. */
static void directory_flag_due(json_t *svc)
{
	const char *lv = json_string_value(json_object_get(svc, "last_verified"));
	time_t t;

	json_object_set_new(svc, "verification_due",
	                    json_boolean(lv && portal_date_parse(lv, &t) == 0 && time(NULL) - t > DIRECTORY_VERIFY_DUE_SECONDS));
}

/* The query string of a search (validated object) with `page` replaced. */
static char *directory_search_href(const json_t *valid, long long page)
{
	portal_buf b;
	const char *key;
	json_t *v, *item;
	size_t i;

	portal_buf_init(&b, 8192);
	portal_buf_puts(&b, "/directory/?");
	json_object_foreach((json_t *)valid, key, v) {
		if (strcmp(key, "page") == 0)
			continue;
		if (json_is_array(v)) {
			json_array_foreach(v, i, item) {
				portal_buf_printf(&b, "%s=", key);
				portal_url_encode(&b, json_string_value(item));
				portal_buf_putc(&b, '&');
			}
		} else if (json_is_string(v)) {
			portal_buf_printf(&b, "%s=", key);
			portal_url_encode(&b, json_string_value(v));
			portal_buf_putc(&b, '&');
		} else if (json_is_true(v))
			portal_buf_printf(&b, "%s=true&", key);
		else if (json_is_integer(v))
			portal_buf_printf(&b, "%s=%lld&", key, (long long)json_integer_value(v));
	}
	portal_buf_printf(&b, "page=%lld", page);
	return portal_buf_steal(&b);
}

/* The page's view of a search: facet checkboxes with counts, results with
 * names, paging links.  Adds to `data`. */
static void directory_search_view(json_t *data, const json_t *valid, const json_t *communities,
                                  const json_t *order, const directory_query *q)
{
	json_t *facets = json_array(), *items = json_array(), *counts = json_object_get(data, "facets"), *item;
	size_t f, i;
	long long total = json_integer_value(json_object_get(data, "total"));
	long long pages = (total + q->per_page - 1) / q->per_page;
	char *href;

	for (f = 0; f < DIRECTORY_FACET_COUNT; f++) {
		const directory_facet *fd = &directory_facets[f];
		json_t *values = json_array(), *fc = json_object_get(counts, fd->param);
		const json_t *chosen = json_object_get(valid, fd->param);
		json_t *codes = json_array(), *c;
		const char *code;
		if (fd->values)
			for (i = 0; fd->values[i].code; i++)
				json_array_append_new(codes, json_string(fd->values[i].code));
		else if (f == DIRECTORY_FACET_COMMUNITY)
			json_object_foreach((json_t *)communities, code, c)
				json_array_append_new(codes, json_string(code));
		else if (f == DIRECTORY_FACET_LANGUAGE) {
			/* those in the results or chosen, in the languages' order */
			json_array_foreach(order, i, c)
				if (json_object_get(fc, json_string_value(c)) || portal_json_list_has(chosen, json_string_value(c)))
					json_array_append(codes, c);
		} else {
			/* boroughs: those in the results or chosen */
			json_object_foreach(fc, code, c)
				json_array_append_new(codes, json_string(code));
			json_array_foreach(chosen, i, c)
				if (json_object_get(fc, json_string_value(c)) == NULL)
					json_array_append(codes, c);
		}
		json_array_foreach(codes, i, c) {
			const char *name;
			const portal_language *lang;
			int checked = 0;
			code = json_string_value(c);
			checked = portal_json_list_has(chosen, code);
			name = f == DIRECTORY_FACET_COMMUNITY ? json_string_value(json_object_get(communities, code))
			     : directory_facet_item_name(f, c);
			lang = f == DIRECTORY_FACET_LANGUAGE ? portal_language_find(code) : NULL;
			json_array_append_new(values, json_pack("{s:s, s:s, s:I, s:b, s:s++}",
			        "code", code, "name", name ? name : code,
			        "count", (json_int_t)json_integer_value(json_object_get(fc, code)),
			        "checked", checked, "id", fd->param, "-", code));
			if (lang && lang->own_name)
				json_object_set_new(json_array_get(values, json_array_size(values) - 1), "own_name", json_string(lang->own_name));
		}
		json_decref(codes);
		json_array_append_new(facets, json_pack("{s:s, s:s, s:o, s:b}", "param", fd->param,
		        "label", fd->label, "values", values, "open", json_array_size(chosen) > 0));
	}
	json_array_foreach(json_object_get(data, "items"), i, item)
		json_array_append_new(items, directory_service_view(item));
	json_object_set_new(data, "view_facets", facets);
	json_object_set_new(data, "view_items", items);
	json_object_set(data, "query", (json_t *)valid);
	json_object_set_new(data, "has_items", json_boolean(json_array_size(items)));
	json_object_set_new(data, "one_result", json_boolean(total == 1));
	if (pages > 0) {
		json_t *pagination = json_pack("{s:I, s:I}", "page_number", (json_int_t)q->page, "pages", (json_int_t)pages);
		if (q->page > 1 && (href = directory_search_href(valid, q->page - 1))) {
			json_object_set_new(pagination, "prev_href", json_string(href));
			free(href);
		}
		if (q->page < pages && (href = directory_search_href(valid, q->page + 1))) {
			json_object_set_new(pagination, "next_href", json_string(href));
			free(href);
		}
		json_object_set_new(data, "pagination", pagination);
	}
}

/* A page's search after a mistake: parse the query again without the fields
 * in `errors`, so the page shows what was right with what to fix.  0 with
 * *q and *valid (replaced), or -1. */
static int directory_search_retry(const json_t *query, const json_t *communities, const json_t *errors,
                                  directory_query *q, json_t **valid)
{
	json_t *rest = json_deep_copy(query), *again = NULL, *v;
	const char *key;
	int rc;

	json_object_foreach((json_t *)errors, key, v)
		json_object_del(rest, key);
	json_decref(*valid);
	*valid = NULL;
	rc = directory_query_parse(rest, communities, q, valid, &again);
	json_decref(again);
	json_decref(rest);
	return rc;
}

/* Each facet with a mistake in `errors` opens and carries its message. */
static void directory_search_errors(json_t *result, const json_t *errors)
{
	json_t *facet;
	size_t i;

	json_array_foreach(json_object_get(result, "view_facets"), i, facet) {
		const json_t *e = json_object_get(errors, json_string_value(json_object_get(facet, "param")));
		if (e) {
			json_object_set(facet, "error", (json_t *)e);
			json_object_set_new(facet, "open", json_true());
		}
	}
}

/* Count the search in the module's metrics. */
static void directory_search_count(portal_ctx *ctx, long long total)
{
	portal_metric_event(ctx, DIRECTORY_EV_SEARCH);
	if (total == 0)
		portal_metric_event(ctx, DIRECTORY_EV_SEARCH_NO_RESULT);
}

/* GET /api/v1/directory/services: one script call; its fragments (JSON
 * text kept beside the data, lua/search.lua) are joined into the answer
 * unparsed.  The communities named are checked by the script. */
static void directory_search_api(portal_ctx *ctx)
{
	json_t *valid = NULL, *errors = NULL;
	portal_run_result res;
	directory_query q;
	portal_buf text;

	if (directory_query_parse(ctx->req.query, NULL, &q, &valid, &errors) < 0) {
		portal_reply_invalid(ctx, errors, NULL);
		return;
	}
	portal_buf_init(&text, 0);
	directory_store_search_run(ctx->store, &q, time(NULL), &res);
	if (res.rc == PORTAL_RUN_OK && strcmp(res.status, "unknown_community") == 0) {
		directory_unknown_value(&errors, DIRECTORY_FACET_COMMUNITY, portal_run_field(&res, "community", NULL));
		portal_reply_invalid(ctx, errors, NULL);
	} else if (res.rc == PORTAL_RUN_OK && portal_run_ok(&res) &&
	           directory_search_text(&res, q.page, q.per_page, &text) == 0) {
		directory_search_count(ctx, strtoll(portal_run_field(&res, "total", NULL), NULL, 10));
		portal_reply_body(ctx, 200, "application/json; charset=utf-8", NULL, text.data, text.len);
	} else
		portal_reply_store_unavailable(ctx);
	portal_run_result_free(&res);
	portal_buf_free(&text);
	json_decref(valid);
}

/* GET /directory/ and /api/v1/directory/services: the faceted search. */
void directory_search(portal_ctx *ctx)
{
	json_t *communities = NULL, *valid = NULL, *errors = NULL, *result = NULL, *order;
	directory_query q;

	if (ctx->req.is_api) {
		directory_search_api(ctx);
		return;
	}
	if (directory_communities(ctx, &communities) < 0)
		goto done;
	if (directory_query_parse(ctx->req.query, communities, &q, &valid, &errors) < 0 &&
	    directory_search_retry(ctx->req.query, communities, errors, &q, &valid) < 0) {
		portal_reply_invalid(ctx, errors, json_pack("{s:[], s:I, s:[]}", "items", "total", (json_int_t)0, "view_facets"));
		errors = NULL;
		goto done;
	}
	if (directory_store_search(ctx->store, &q, time(NULL), &result) < 0) {
		portal_reply_store_unavailable(ctx);
		goto done;
	}
	directory_search_count(ctx, json_integer_value(json_object_get(result, "total")));
	order = portal_language_order(ctx->store, NULL);
	directory_search_view(result, valid, communities, order, &q);
	json_decref(order);
	json_object_set_new(result, "may_review", json_boolean(portal_user_has(ctx, PORTAL_ROLE_NGO | PORTAL_ROLE_COORDINATOR)));
	json_object_set_new(result, "is_coordinator", json_boolean(portal_user_has(ctx, PORTAL_ROLE_COORDINATOR)));
	if (errors) {
		directory_search_errors(result, errors);
		portal_reply_invalid(ctx, errors, result);
		errors = NULL;
	} else
		portal_reply(ctx, 200, result);
	result = NULL;
done:
	json_decref(result);
	json_decref(valid);
	json_decref(errors);
	json_decref(communities);
}

/* GET /directory/services/{id} and /api/v1/...: one service. */
void directory_service_get(portal_ctx *ctx)
{
	json_t *svc = NULL, *data;

	if (directory_load(ctx, NULL, "service", &svc) == NULL)
		return;
	if (ctx->req.is_api) {
		directory_flag_due(svc);
		portal_reply(ctx, 200, svc);
		return;
	}
	data = directory_service_page_data(ctx, svc);
	directory_service_notes(ctx, data, svc, json_string_value(json_object_get(svc, "id")));
	json_decref(svc);
	portal_reply(ctx, 200, data);
}

/* The service page's data (see handlers.h). */
json_t *directory_service_page_data(portal_ctx *ctx, const json_t *svc)
{
	json_t *org = NULL, *data;

	if (directory_store_get(ctx->store, "org", json_string_value(json_object_get(json_object_get(svc, "organisation"), "id")), &org) < 0)
		org = NULL;
	data = json_pack("{s:o, s:b, s:o}", "service", directory_service_view(svc),
	                 "may_edit", org && directory_may_edit(ctx, org), "done", directory_done(ctx->req.query));
	if (org)
		json_object_set_new(data, "organisation", org);
	return data;
}

/* Set each of `keys` (NULL-terminated) in `to` to its value in `from`, where
 * it has one. */
static void directory_copy_keys(json_t *to, const json_t *from, const char *const *keys)
{
	for (; *keys; keys++) {
		json_t *v = json_object_get(from, *keys);
		if (v != NULL)
			json_object_set(to, *keys, v);
	}
}

/* The flat form fields of a stored service, as the edit form names them
 * (new object): text for text boxes, code lists for checkboxes. */
static json_t *directory_form_from_service(const json_t *svc)
{
	const json_t *refer = json_object_get(svc, "how_to_refer"), *hours = json_object_get(svc, "hours"), *item;
	json_t *form = json_object(), *comms = json_array();
	json_t *langs = json_array();
	portal_buf steps, boroughs;
	size_t i;

	portal_buf_init(&steps, 0);
	portal_buf_init(&boroughs, 0);
	json_array_foreach(json_object_get(refer, "steps"), i, item)
		portal_buf_printf(&steps, "%s%s", i ? "\n" : "", json_string_value(item));
	json_array_foreach(json_object_get(svc, "languages"), i, item)
		json_array_append(langs, json_object_get(item, "code"));
	json_array_foreach(json_object_get(svc, "boroughs"), i, item)
		portal_buf_printf(&boroughs, "%s%s", i ? ", " : "", json_string_value(item));
	json_array_foreach(json_object_get(svc, "communities"), i, item)
		json_array_append(comms, json_object_get(item, "code"));
	directory_copy_keys(form, svc, (const char *const[]){ "name", "description", "service_types",
	                    "exploitation_types", "client_groups", NULL });
	directory_copy_keys(form, refer, (const char *const[]){ "referrers", "contact", "response_time",
	                    "consent_needed", "nrm_needed", NULL });
	directory_copy_keys(form, hours, (const char *const[]){ "opening", "out_of_hours", "always_open", NULL });
	json_object_set_new(form, "communities", comms);
	json_object_set_new(form, "languages", langs);
	json_object_set_new(form, "boroughs", json_string(boroughs.data ? boroughs.data : ""));
	json_object_set_new(form, "steps", json_string(steps.data ? steps.data : ""));
	portal_buf_free(&steps);
	portal_buf_free(&boroughs);
	return form;
}

/* The edit form's view (new object): `form` (flat fields: the stored
 * service's, or what was typed after a 422) with the checkbox lists and
 * ticked flags built from it, since templates cannot compare values.
 * `svc` is the stored service (its id and name head the page); the
 * languages a picker in the order of `st`'s settings (languages.c);
 * `communities` the managed list (code -> name); `errors` (field ->
 * message, or NULL) puts each checkbox group's message beside it. */
static json_t *directory_form_view(portal_store *st, const json_t *form, const json_t *svc,
                                   const json_t *communities, const json_t *errors)
{
	json_t *data = json_object(), *lists = json_array(), *values, *v;
	static const struct { const char *field; const directory_code *list; const char *label; const char *hint; } boxes[] = {
		{ "service_types", directory_service_types, "Service types", "Choose at least one" },
		{ "exploitation_types", directory_exploitation_types, "Exploitation types", NULL },
		{ "client_groups", directory_client_groups, "Client groups", NULL },
		{ "communities", NULL, "Communities and cultural specialisms", NULL },
		{ "referrers", directory_referrers, "Who may refer", "Choose at least one" },
	};
	const char *code;
	size_t b, i;

	for (b = 0; b < sizeof(boxes) / sizeof(boxes[0]); b++) {
		const json_t *chosen = json_object_get(form, boxes[b].field);
		json_t *list;
		values = json_array();
		if (boxes[b].list)
			for (i = 0; boxes[b].list[i].code; i++)
				json_array_append_new(values, json_pack("{s:s, s:s}", "code", boxes[b].list[i].code,
				                                        "name", boxes[b].list[i].name));
		else
			json_object_foreach((json_t *)communities, code, v)
				json_array_append_new(values, json_pack("{s:s, s:O}", "code", code, "name", v));
		json_array_foreach(values, i, v) {
			char id[120];
			code = json_string_value(json_object_get(v, "code"));
			/* the first box carries the field's own id: the error summary links to it */
			if (i == 0)
				snprintf(id, sizeof(id), "%s", boxes[b].field);
			else
				snprintf(id, sizeof(id), "%s-%s", boxes[b].field, code);
			json_object_set_new(v, "id", json_string(id));
			json_object_set_new(v, "checked", json_boolean(portal_json_list_has(chosen, code)));
		}
		list = json_pack("{s:s, s:s, s:o}", "field", boxes[b].field, "label", boxes[b].label, "values", values);
		if (boxes[b].hint)
			json_object_set_new(list, "hint", json_string(boxes[b].hint));
		if (json_object_get(errors, boxes[b].field))
			json_object_set(list, "error", json_object_get(errors, boxes[b].field));
		json_array_append_new(lists, list);
	}
	json_object_set_new(data, "checkbox_lists", lists);
	json_object_set_new(data, "language_picker", portal_language_picker(st, json_object_get(form, "languages"), "Languages",
	                    "The languages staff or the service's own interpreters work in."));
	json_object_set_new(data, "service", json_pack("{s:O, s:O}", "id", json_object_get(svc, "id"),
	                                              "name", json_object_get(svc, "name")));
	json_object_set(data, "form", (json_t *)form);
	json_object_set_new(data, "always_open", json_boolean(portal_form_ticked(json_object_get(form, "always_open"))));
	json_object_set_new(data, "consent_needed", json_boolean(portal_form_ticked(json_object_get(form, "consent_needed"))));
	json_object_set_new(data, "nrm_needed", json_boolean(portal_form_ticked(json_object_get(form, "nrm_needed"))));
	return data;
}

/* GET /directory/services/{id}/edit: the change form. */
void directory_service_edit_page(portal_ctx *ctx)
{
	json_t *svc = NULL, *org = NULL, *form = NULL, *communities = NULL;

	if (directory_load(ctx, NULL, "service", &svc) == NULL || directory_service_org(ctx, svc, &org) < 0)
		goto done;
	if (!directory_may_edit(ctx, org)) {
		portal_reply_forbidden(ctx, "Only the organisation's own staff and the coordinators can change this service.");
		goto done;
	}
	if (directory_communities(ctx, &communities) < 0)
		goto done;
	form = directory_form_from_service(svc);
	portal_reply(ctx, 200, directory_form_view(ctx->store, form, svc, communities, NULL));
done:
	json_decref(svc);
	json_decref(org);
	json_decref(form);
	json_decref(communities);
}

/* The form's text fields "languages" and "boroughs" (comma or space
 * separated) as lists, in a copy of the input. */
static json_t *directory_form_input(const json_t *body)
{
	json_t *in = json_deep_copy(body);
	static const char *const keys[] = { "languages", "boroughs", "communities" };
	size_t k;

	for (k = 0; k < 3; k++) {
		const char *s = json_string_value(json_object_get(in, keys[k]));
		json_t *list;
		char word[64];
		size_t n = 0;
		if (s == NULL)
			continue;
		list = json_array();
		for (;; s++) {
			if (*s == ',' || *s == ' ' || *s == '\0') {
				if (n) {
					word[n] = '\0';
					json_array_append_new(list, json_string(word));
				}
				n = 0;
				if (*s == '\0')
					break;
			} else if (n < sizeof(word) - 1)
				word[n++] = *s;
		}
		json_object_set_new(in, keys[k], list);
	}
	return in;
}

/* The first half of a service write: the input validated into *svc, and
 * its organisation, loaded into *org, one the person may edit.  Returns 0,
 * or -1 once it has answered (the form again with what was typed, 403,
 * 503). */
static int directory_service_check(portal_ctx *ctx, const json_t *base, json_t **input,
                                   json_t **svc, json_t **org)
{
	json_t *communities = NULL, *errors = NULL;
	const char *org_id, *base_org;
	int rc;

	if (directory_communities(ctx, &communities) < 0)
		return -1;
	*input = ctx->req.is_api ? json_incref(ctx->req.body) : directory_form_input(ctx->req.body);
	if (!ctx->req.is_api && base)
		json_object_set(*input, "organisation_id", json_object_get(json_object_get(base, "organisation"), "id"));
	if (directory_service_validate(*input, communities, ctx->req.is_api ? base : NULL, svc, &errors) < 0) {
		/* a page shows the form again with what was typed */
		portal_reply_invalid(ctx, errors, ctx->req.is_api || base == NULL ? NULL
		                     : directory_form_view(ctx->store, ctx->req.body, base, communities, errors));
		json_decref(communities);
		return -1;
	}
	json_decref(communities);
	org_id = json_string_value(json_object_get(json_object_get(*svc, "organisation"), "id"));
	if ((rc = directory_store_get(ctx->store, "org", org_id, org)) < 0) {
		portal_reply_store_unavailable(ctx);
		return -1;
	}
	if (rc == 0) {
		portal_reply_invalid(ctx, json_pack("{s:s}", "organisation_id", "Choose an organisation that is in the directory"), NULL);
		return -1;
	}
	base_org = base ? json_string_value(json_object_get(json_object_get(base, "organisation"), "id")) : NULL;
	if (!directory_may_edit(ctx, *org) || (base_org && strcmp(base_org, org_id) != 0 && !portal_user_has(ctx, PORTAL_ROLE_COORDINATOR))) {
		portal_reply_forbidden(ctx, "You can change only your own organisation's services. Use \"suggest an edit\" for others.");
		return -1;
	}
	return 0;
}

/* A page goes to the service's page, with `note` ("updated=1"). */
static void directory_service_page(portal_ctx *ctx, const char *id, const char *note)
{
	char to[200];

	snprintf(to, sizeof(to), "/directory/services/%s?%s", id, note);
	portal_reply_redirect(ctx, to);
}

/* A coordinator's write: applied at once. */
static void directory_service_apply(portal_ctx *ctx, const char *id, json_t *svc, const json_t *org,
                                    const json_t *base)
{
	const char *org_id = json_string_value(json_object_get(json_object_get(svc, "organisation"), "id"));
	json_t *arr = json_pack("[O]", svc);
	char err[200];

	if (directory_store_apply(ctx->store, NULL, 0, NULL, arr, err, sizeof(err)) < 0) {
		json_decref(arr);
		portal_reply_store_unavailable(ctx);
		return;
	}
	json_decref(arr);
	portal_audit(ctx, base ? "directory_service_changed" : "directory_service_added", NULL,
	             json_pack("{s:s, s:s}", "service_id", id, "organisation_id", org_id));
	if (!ctx->req.is_api) {
		directory_service_page(ctx, id, "updated=1");
		return;
	}
	json_object_set_new(json_object_get(svc, "organisation"), "name", json_incref(json_object_get(org, "name")));
	portal_reply(ctx, base ? 200 : 201, directory_with_notes(ctx, json_incref(svc), svc, DIRECTORY_TEXTS_SERVICE));
}

/* NGO staff's write: a proposed change, not visible until approved. */
static void directory_service_propose(portal_ctx *ctx, const char *id, const json_t *svc, const json_t *base)
{
	const char *org_id = json_string_value(json_object_get(json_object_get(svc, "organisation"), "id"));
	char change_id[37], ts[32], err[200];
	json_t *change;

	if (directory_uuid_new(change_id) < 0) {
		portal_reply_internal_error(ctx, "no randomness for a change id");
		return;
	}
	portal_time_format(time(NULL), ts, sizeof(ts));
	change = json_pack("{s:s, s:s, s:s, s:O, s:s, s:s, s:s, s:O, s:O, s:s}",
	        "id", change_id, "status", "pending", "kind", "service",
	        "proposed_by", json_object_get(ctx->user, "username"),
	        "agency_id", portal_user_agency_id(ctx) ? portal_user_agency_id(ctx) : "",
	        "service_id", id, "organisation_id", org_id,
	        "proposed", svc, "current", base ? base : json_null(), "created_at", ts);
	directory_sign(ctx, change, "proposed_by_name");
	if (change == NULL || directory_store_apply(ctx->store, change, 0, NULL, NULL, err, sizeof(err)) < 0) {
		json_decref(change);
		portal_reply_store_unavailable(ctx);
		return;
	}
	portal_audit(ctx, "directory_change_proposed", NULL,
	             json_pack("{s:s, s:s, s:s}", "change_id", change_id, "service_id", id, "organisation_id", org_id));
	if (!ctx->req.is_api) {
		char note[80];
		snprintf(note, sizeof(note), "proposed=1&change=%s", change_id);
		directory_service_page(ctx, id, note);
	} else
		portal_reply(ctx, 202, directory_with_notes(ctx, json_incref(change), svc, DIRECTORY_TEXTS_SERVICE));
	json_decref(change);
}

/* The shared write of a service (POST: base NULL; PUT: base is the stored
 * service).  Validates, authorises against the organisation, then applies
 * at once (coordinator) or stores a proposed change (NGO staff). */
static void directory_service_write(portal_ctx *ctx, const char *id, json_t *base)
{
	json_t *input = NULL, *svc = NULL, *org = NULL;
	char new_id[37];

	if (directory_service_check(ctx, base, &input, &svc, &org) < 0)
		goto done;
	if (id == NULL) {
		if (directory_uuid_new(new_id) < 0) {
			portal_reply_internal_error(ctx, "no randomness for a service id");
			goto done;
		}
		id = new_id;
	}
	directory_service_stamp(svc, id, time(NULL), NULL);
	if (!json_object_get(input, "last_verified") && base && json_object_get(base, "last_verified") &&
	    !json_object_get(ctx->req.body, "verified"))
		json_object_set(svc, "last_verified", json_object_get(base, "last_verified"));
	json_object_set_new(svc, "last_verified", json_string(json_string_value(json_object_get(svc, "last_verified"))));
	if (portal_user_has(ctx, PORTAL_ROLE_COORDINATOR))
		directory_service_apply(ctx, id, svc, org, base);
	else
		directory_service_propose(ctx, id, svc, base);
done:
	json_decref(input);
	json_decref(svc);
	json_decref(org);
}

/* POST /api/v1/directory/services: a new service. */
void directory_service_post(portal_ctx *ctx)
{
	directory_service_write(ctx, NULL, NULL);
}

/* PUT /api/v1/directory/services/{id} and POST /directory/services/{id}. */
void directory_service_put(portal_ctx *ctx)
{
	json_t *base = NULL, *org = NULL;
	const char *id = directory_load(ctx, "svc", "service", &base);

	if (id == NULL || directory_service_org(ctx, base, &org) < 0)
		goto done;
	/* refuse another agency's entry before looking at what was sent */
	if (!directory_may_edit(ctx, org)) {
		portal_reply_forbidden(ctx, "You can change only your own organisation's services. Use \"suggest an edit\" for others.");
		goto done;
	}
	directory_service_write(ctx, id, base);
done:
	json_decref(base);
	json_decref(org);
}
