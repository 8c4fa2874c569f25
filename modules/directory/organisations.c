/* organisations.c - organisations (the list, one, the change form, a new
 * one or a change: applied for coordinators, proposed for NGO staff) and
 * the coordinator-managed communities list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "audit.h"
#include "clock.h"
#include "directory.h"
#include "jsonsort.h"
#include "reference.h"
#include "response.h"
#include "session.h"
#include "validate.h"

/* qsort: objects by "name", case-folded. */
static int directory_name_cmp(const void *x, const void *y)
{
	const char *a = json_string_value(json_object_get(*(json_t *const *)x, "name"));
	const char *b = json_string_value(json_object_get(*(json_t *const *)y, "name"));

	return strcasecmp(a ? a : "", b ? b : "");
}

/* GET /directory/organisations and /api/v1/directory/organisations: every
 * organisation (by name on the page). */
void directory_orgs_list(portal_ctx *ctx)
{
	json_t *list, *data;

	if ((list = directory_list_all(ctx, "org")) == NULL)
		return;
	portal_json_sort(list, directory_name_cmp);
	if ((data = directory_paged(ctx, list, "organisations", "/directory/organisations")) != NULL)
		portal_reply(ctx, 200, data);
}

/* GET /directory/organisations/{id} and the API: an organisation; the page
 * also lists its services (flagging those not verified for 6 months) and
 * offers the change form to its staff and the coordinators. */
void directory_org_get(portal_ctx *ctx)
{
	json_t *org = NULL, *svcs = NULL, *views = NULL, *item, *page;
	const char *id = directory_load(ctx, "org", "organisation", &org);
	size_t i;

	if (id == NULL)
		goto done;
	if (ctx->req.is_api) {
		portal_reply(ctx, 200, org);
		org = NULL;
		goto done;
	}
	if ((svcs = directory_store_org_services(ctx->store, id)) == NULL) {
		portal_reply_store_unavailable(ctx);
		goto done;
	}
	views = json_array();
	json_array_foreach(svcs, i, item)
		json_array_append_new(views, directory_service_view(item));
	json_object_set_new(org, "phone_parts", directory_phone_parts(json_string_value(json_object_get(org, "phone"))));
	page = json_pack("{s:O, s:O, s:b, s:b, s:o}", "organisation", org, "services", views,
	                 "has_services", json_array_size(views) > 0,
	                 "may_edit", directory_may_edit(ctx, org), "done", directory_done(ctx->req.query));
	directory_org_notes(ctx, page, org, id);
	portal_reply(ctx, 200, page);
done:
	json_decref(org);
	json_decref(svcs);
	json_decref(views);
}

/* The organisation form's view (new object): `form` (the stored
 * organisation's fields, or what was typed) and the stored `org` (its id
 * and name head the page). */
static json_t *directory_org_form_view(portal_ctx *ctx, const json_t *form, const json_t *org)
{
	return json_pack("{s:O, s:{s:O, s:O}, s:b}", "form", form,
	                 "organisation", "id", json_object_get(org, "id"), "name", json_object_get(org, "name"),
	                 "is_coordinator", portal_user_has(ctx, PORTAL_ROLE_COORDINATOR));
}

/* GET /directory/organisations/{id}/edit: the change form for the
 * organisation's own staff and the coordinators. */
void directory_org_edit_page(portal_ctx *ctx)
{
	json_t *org = NULL;

	if (directory_load(ctx, "org", "organisation", &org) == NULL)
		goto done;
	if (!directory_may_edit(ctx, org)) {
		portal_reply_forbidden(ctx, "Only the organisation's own staff and the coordinators can change it.");
		goto done;
	}
	portal_reply(ctx, 200, directory_org_form_view(ctx, org, org));
done:
	json_decref(org);
}

/* The shared write of an organisation (POST: base NULL; PUT and the page
 * form: base is the stored one).  Authorises, validates, then applies at
 * once (coordinator) or stores a proposed change (NGO staff). */
static void directory_org_write(portal_ctx *ctx, const char *id, json_t *base)
{
	json_t *org = NULL, *errors = NULL, *arr = NULL, *change = NULL, *input = NULL;
	char new_id[37], change_id[37], ts[32], err[200];

	if (base && !directory_may_edit(ctx, base)) {
		portal_reply_forbidden(ctx, "You can change only your own organisation.");
		goto done;
	}
	input = json_deep_copy(ctx->req.body);
	if (base && !portal_user_has(ctx, PORTAL_ROLE_COORDINATOR))
		json_object_set(input, "agency_id", json_object_get(base, "agency_id"));  /* NGO staff cannot move it */
	if (directory_organisation_validate(input, base, &org, &errors) < 0) {
		portal_reply_invalid(ctx, errors, ctx->req.is_api || base == NULL ? NULL
		                     : directory_org_form_view(ctx, ctx->req.body, base));
		goto done;
	}
	if (id == NULL) {
		directory_uuid_new(new_id);
		id = new_id;
	}
	json_object_set_new(org, "id", json_string(id));
	if (portal_user_has(ctx, PORTAL_ROLE_COORDINATOR)) {
		arr = json_pack("[O]", org);
		if (directory_stored(ctx, directory_store_apply(ctx->store, NULL, 0, arr, NULL, err, sizeof(err)) >= 0,
		                     base ? "directory_organisation_changed" : "directory_organisation_added",
		                     json_pack("{s:s}", "organisation_id", id)))
			portal_reply_done(ctx, base ? 200 : 201, NULL, directory_with_notes(ctx, json_incref(org), org, DIRECTORY_TEXTS_ORGANISATION),
			                  "/directory/organisations/%s?updated=1", id);
		goto done;
	}
	directory_uuid_new(change_id);
	portal_time_format(time(NULL), ts, sizeof(ts));
	change = json_pack("{s:s, s:s, s:s, s:O, s:s, s:s, s:O, s:O, s:s}",
	        "id", change_id, "status", "pending", "kind", "organisation",
	        "proposed_by", json_object_get(ctx->user, "username"),
	        "agency_id", portal_user_agency_id(ctx) ? portal_user_agency_id(ctx) : "",
	        "organisation_id", id, "proposed", org, "current", base ? base : json_null(), "created_at", ts);
	directory_sign(ctx, change, "proposed_by_name");
	if (directory_stored(ctx, change && directory_store_apply(ctx->store, change, 0, NULL, NULL, err, sizeof(err)) >= 0,
	                     "directory_change_proposed",
	                     json_pack("{s:s, s:s}", "change_id", change_id, "organisation_id", id)))
		portal_reply_done(ctx, 202, NULL, directory_with_notes(ctx, json_incref(change), org, DIRECTORY_TEXTS_ORGANISATION),
		                  "/directory/organisations/%s?proposed=1&change=%s", id, change_id);
done:
	json_decref(org);
	json_decref(arr);
	json_decref(change);
	json_decref(input);
}

/* POST /api/v1/directory/organisations (coordinators). */
void directory_org_post(portal_ctx *ctx)
{
	directory_org_write(ctx, NULL, NULL);
}

/* PUT /api/v1/directory/organisations/{id}. */
void directory_org_put(portal_ctx *ctx)
{
	json_t *base = NULL;
	const char *id = directory_load(ctx, "org", "organisation", &base);

	if (id == NULL)
		return;
	directory_org_write(ctx, id, base);
	json_decref(base);
}

/* GET /api/v1/directory/communities. */
void directory_communities_get(portal_ctx *ctx)
{
	json_t *c = NULL;

	if (directory_communities(ctx, &c) < 0)
		return;
	portal_reply(ctx, 200, json_pack("{s:o}", "communities", c));
}

static const portal_field directory_community_fields[] = {
	{ .name = "code", .type = PORTAL_FIELD_STRING, .required = 1, .min = 2, .max = 40, .label = "Code",
	  .check = directory_check_community_code },
	{ .name = "name", .type = PORTAL_FIELD_STRING, .required = 1, .min = 1, .max = 80, .label = "Name" },
};
const portal_fields directory_community_input = PORTAL_FIELDS_INIT(directory_community_fields);

/* POST /api/v1/directory/communities: coordinators add to the list. */
void directory_community_post(portal_ctx *ctx)
{
	json_t *valid = NULL, *errors = NULL;
	const char *code;

	if (portal_validate(ctx->req.body, PORTAL_FIELDS(directory_community_fields), &valid, &errors) < 0) {
		json_decref(valid);
		portal_reply_invalid(ctx, errors, NULL);
		return;
	}
	code = json_string_value(json_object_get(valid, "code"));
	if (directory_store_put(ctx->store, "community", NULL, code, json_object_get(valid, "name")) < 0) {
		json_decref(valid);
		portal_reply_store_unavailable(ctx);
		return;
	}
	portal_audit(ctx, "directory_community_added", NULL, json_pack("{s:s}", "code", code));
	portal_reply(ctx, 201, valid);
}
