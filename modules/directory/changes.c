/* changes.c - proposed changes: the list (with a field-by-field
 * comparison), approve and reject; suggestions and services due for
 * verification shown beside them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "clock.h"
#include "directory.h"
#include "jsonget.h"
#include "response.h"
#include "validate.h"

/* The code of a list item: its "code" member or the string itself. */
static const char *directory_item_code(const json_t *item)
{
	return json_is_object(item) ? json_string_value(json_object_get(item, "code")) : json_string_value(item);
}

/* The name a person reads for one item of the list stored under `key`. */
static const char *directory_item_name(const char *key, const json_t *item)
{
	const char *name = NULL, *code = directory_item_code(item);
	size_t f;

	for (f = 0; f < DIRECTORY_FACET_COUNT && name == NULL; f++)
		if (strcmp(directory_facets[f].field, key) == 0 || json_is_object(item))
			name = directory_facet_item_name(f, item);
	return name ? name : code ? code : "";
}

/* A stored value as words: lists as names joined by commas, yes/no for
 * true/false, "None" for nothing.  Writes into `b`. */
static void directory_compare_text(portal_buf *b, const char *key, const json_t *v)
{
	const json_t *item;
	size_t i;

	if (json_is_array(v) && json_array_size(v) > 0)
		json_array_foreach(v, i, item)
			portal_buf_printf(b, "%s%s", i ? (strcmp(key, "steps") == 0 ? "; " : ", ") : "",
			                  directory_item_name(key, item));
	else if (json_is_string(v) && json_string_length(v) > 0 && strcmp(key, "opening") == 0)
		directory_hours_words(json_string_value(v), b);
	else if (json_is_string(v) && json_string_length(v) > 0)
		portal_buf_printf(b, "%s", json_string_value(v));
	else if (json_is_boolean(v))
		portal_buf_printf(b, "%s", json_is_true(v) ? "Yes" : "No");
	else if (json_is_integer(v))
		portal_buf_printf(b, "%lld", (long long)json_integer_value(v));
	else
		portal_buf_printf(b, "None");
}

/* 1 when two values differ by more than the order of a list's items. */
static int directory_compare_differs(const json_t *a, const json_t *b)
{
	const json_t *x, *y;
	size_t i, k;

	if (!json_is_array(a) || !json_is_array(b))
		return !json_equal(a ? a : json_null(), b ? b : json_null());
	if (json_array_size(a) != json_array_size(b))
		return 1;
	json_array_foreach(a, i, x) {
		int found = 0;
		json_array_foreach(b, k, y)
			if (directory_item_code(x) && directory_item_code(y) &&
			    strcmp(directory_item_code(x), directory_item_code(y)) == 0)
				found = 1;
		if (!found)
			return 1;
	}
	return 0;
}

/* One compared field: label and the words of each side. */
static void directory_compare_add(json_t *rows, const char *label, const char *key, const json_t *cur, const json_t *prop)
{
	portal_buf a, b;

	portal_buf_init(&a, 0);
	portal_buf_init(&b, 0);
	directory_compare_text(&a, key, cur);
	directory_compare_text(&b, key, prop);
	json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:b}", "label", label, "current", a.data ? a.data : "None",
	                                      "proposed", b.data ? b.data : "None", "changed", directory_compare_differs(cur, prop)));
	portal_buf_free(&a);
	portal_buf_free(&b);
}

/* The field-by-field comparison of a change (new array). */
static json_t *directory_compare(const json_t *change)
{
	static const struct { const char *label, *key, *sub; } fields[] = {
		{ "Name", "name", NULL }, { "Description", "description", NULL },
		{ "Service types", "service_types", NULL }, { "Exploitation types", "exploitation_types", NULL },
		{ "Client groups", "client_groups", NULL }, { "Languages", "languages", NULL },
		{ "Communities", "communities", NULL }, { "Boroughs", "boroughs", NULL },
		{ "Opening times", "hours", "opening" }, { "Open 24 hours", "hours", "always_open" },
		{ "Out-of-hours cover", "hours", "out_of_hours" },
		{ "How to refer", "how_to_refer", "steps" }, { "Who may refer", "how_to_refer", "referrers" },
		{ "Consent needed", "how_to_refer", "consent_needed" }, { "NRM referral needed", "how_to_refer", "nrm_needed" },
		{ "Referral contact", "how_to_refer", "contact" }, { "Response time", "how_to_refer", "response_time" },
		{ "Website", "website", NULL }, { "Email", "email", NULL }, { "Phone", "phone", NULL },
	};
	const json_t *cur = json_object_get(change, "current"), *prop = json_object_get(change, "proposed");
	json_t *rows = json_array();
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const json_t *a = json_object_get(cur, fields[i].key), *b = json_object_get(prop, fields[i].key);
		if (fields[i].sub) {
			a = json_object_get(a, fields[i].sub);
			b = json_object_get(b, fields[i].sub);
		}
		if (a == NULL && b == NULL)
			continue;
		directory_compare_add(rows, fields[i].label, fields[i].sub ? fields[i].sub : fields[i].key, a, b);
	}
	return rows;
}

/* "Proposed by Ana Lee of Demo Charity A at 11:18pm on Friday 4 December"
 * and the status in words, for the page. */
static void directory_change_words(json_t *c)
{
	const char *status = json_string_value(json_object_get(c, "status"));
	char text[420];

	directory_who(c, "proposed_by_name", "created_at", "proposed_text");
	snprintf(text, sizeof(text), "Proposed by %s", json_string_value(json_object_get(c, "proposed_text")));
	json_object_set_new(c, "proposed_text", json_string(text));
	json_object_set_new(c, "status_text", json_string(!status ? "" : strcmp(status, "pending") == 0 ? "Waiting for a decision"
	                                                   : strcmp(status, "approved") == 0 ? "Approved" : "Rejected"));
}

/* A service due for verification: id, name, last_verified (and, for the
 * page, that day in words). */
static json_t *directory_due_item(const json_t *svc, int is_api)
{
	char day[40];
	json_t *o = json_pack("{s:O, s:O, s:O}", "id", json_object_get(svc, "id"), "name", json_object_get(svc, "name"),
	                      "last_verified", json_object_get(svc, "last_verified"));

	if (!is_api && o) {
		directory_day_words(json_string_value(json_object_get(svc, "last_verified")), day, sizeof(day));
		json_object_set_new(o, "last_verified_text", json_string(day));
	}
	return o;
}

/* Sort changes newest first. */
static int directory_change_cmp(const void *x, const void *y)
{
	const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	const char *sa = json_string_value(json_object_get(a, "created_at"));
	const char *sb = json_string_value(json_object_get(b, "created_at"));

	return strcmp(sb ? sb : "", sa ? sa : "");
}

/* A change as the page shows it: its comparison, status and name in words
 * (changes the object). */
static void directory_change_view(json_t *c)
{
	json_object_set_new(c, "comparison", directory_compare(c));
	json_object_set_new(c, "is_pending", json_boolean(strcmp(portal_json_text(c, "status"), "pending") == 0));
	json_object_set_new(c, "name", json_incref(json_object_get(json_object_get(c, "proposed"), "name")));
	directory_change_words(c);
}

/* The page's counts and flags beside the lists of `data`. */
static void directory_changes_flags(portal_ctx *ctx, json_t *data, int coord)
{
	json_t *v;
	size_t i, nopen = 0;

	json_object_set_new(data, "has_changes", json_boolean(json_integer_value(json_object_get(data, "total")) > 0));
	json_array_foreach(json_object_get(data, "suggestions"), i, v)
		nopen += strcmp(portal_json_text(v, "status"), "open") == 0;
	json_object_set_new(data, "open_suggestions", json_integer((json_int_t)nopen));
	json_object_set_new(data, "one_suggestion", json_boolean(nopen == 1));
	json_object_set_new(data, "has_due", json_boolean(json_array_size(json_object_get(data, "verification_due")) > 0));
	json_object_set_new(data, "is_coordinator", json_boolean(coord));
	json_object_set_new(data, "done", directory_done(ctx->req.query));
}

/* GET /directory/changes and /api/v1/directory/changes: coordinators see
 * every change; NGO staff their agency's; newest first, one page of them
 * (directory_paged).  Also open suggestions and services not verified for
 * 6 months, for the same people. */
void directory_changes_list(portal_ctx *ctx)
{
	json_t *all = NULL, *sugs = NULL, *list = json_array(), *slist = json_array(), *due = json_array(), *v, *data = NULL;
	const char *id, *agency = portal_user_agency_id(ctx);
	int coord = portal_user_has(ctx, PORTAL_ROLE_COORDINATOR);
	json_t **arr = NULL, *due_ids = NULL;
	size_t n = 0, i;

	if (directory_store_all(ctx->store, "chg", &all) < 0 || directory_store_all(ctx->store, "sug", &sugs) < 0 ||
	    directory_store_due(ctx->store, time(NULL) - DIRECTORY_VERIFY_DUE_SECONDS, &due_ids) < 0 ||
	    (arr = calloc(json_object_size(all) + 1, sizeof(*arr))) == NULL) {
		portal_reply_store_unavailable(ctx);  /* out of memory too: the answer must not be a crash */
		goto done;
	}
	json_object_foreach(all, id, v) {
		const char *owner = json_string_value(json_object_get(v, "agency_id"));
		if (coord || (agency && owner && strcmp(agency, owner) == 0))
			arr[n++] = v;
	}
	qsort(arr, n, sizeof(*arr), directory_change_cmp);
	for (i = 0; i < n; i++)
		json_array_append(list, arr[i]);
	json_object_foreach(sugs, id, v) {
		const char *owner = json_string_value(json_object_get(v, "agency_id"));
		if (coord || (agency && owner && strcmp(agency, owner) == 0))
			json_array_append(slist, v);
	}
	for (i = 0; i < json_array_size(due_ids); i++) {
		json_t *svc = NULL;
		json_t *org = NULL;
		if (directory_store_get(ctx->store, "svc", json_string_value(json_array_get(due_ids, i)), &svc) == 1) {
			directory_store_get(ctx->store, "org", json_string_value(json_object_get(json_object_get(svc, "organisation"), "id")), &org);
			if (coord || (org && directory_may_edit(ctx, org)))
				json_array_append_new(due, directory_due_item(svc, ctx->req.is_api));
			json_decref(org);
			json_decref(svc);
		}
	}
	if ((data = directory_paged(ctx, json_incref(list), "changes", "/directory/changes")) == NULL)
		goto done;
	json_object_set(data, "suggestions", slist);
	json_object_set(data, "verification_due", due);
	if (!ctx->req.is_api) {
		json_array_foreach(json_object_get(data, "changes"), i, v)
			directory_change_view(v);
		directory_changes_flags(ctx, data, coord);
	}
	portal_reply(ctx, 200, data);
done:
	free(arr);
	json_decref(due_ids);
	json_decref(all);
	json_decref(sugs);
	json_decref(list);
	json_decref(slist);
	json_decref(due);
}

static const portal_field directory_decision_fields[] = {
	{ .name = "reason", .type = PORTAL_FIELD_STRING, .max = 500, .label = "Reason" },
};
const portal_fields directory_decision_input = PORTAL_FIELDS_INIT(directory_decision_fields);

/* Decide a change: approve (apply the proposed record with the change, in
 * one script) or reject (only the change's status). */
static void directory_change_decide(portal_ctx *ctx, int approve)
{
	const char *id;
	json_t *valid = NULL, *errors = NULL, *change = NULL, *records = NULL, *prop;
	char ts[32], err[200], day[16];
	int rc, is_service;
	time_t now = time(NULL);
	struct tm lt;

	if (portal_validate(ctx->req.body, PORTAL_FIELDS(directory_decision_fields), &valid, &errors) < 0) {
		portal_reply_invalid(ctx, errors, NULL);
		goto done;
	}
	if ((id = directory_load(ctx, "chg", "change", &change)) == NULL)
		goto done;
	portal_time_format(now, ts, sizeof(ts));
	json_object_set_new(change, "status", json_string(approve ? "approved" : "rejected"));
	json_object_set_new(change, "decided_by", json_incref(json_object_get(ctx->user, "username")));
	json_object_set_new(change, "decided_at", json_string(ts));
	if (json_object_get(valid, "reason"))
		json_object_set(change, "reason", json_object_get(valid, "reason"));
	is_service = strcmp(json_string_value(json_object_get(change, "kind")), "service") == 0;
	prop = json_deep_copy(json_object_get(change, "proposed"));
	if (approve && is_service) {
		/* approving the owner's change counts as verifying the entry */
		localtime_r(&now, &lt);
		strftime(day, sizeof(day), "%Y-%m-%d", &lt);
		json_object_set_new(prop, "updated_at", json_string(ts));
		json_object_set_new(prop, "last_verified", json_string(day));
	}
	records = json_pack("[o]", prop);
	rc = directory_store_apply(ctx->store, change, 1, approve && !is_service ? records : NULL,
	                           approve && is_service ? records : NULL, err, sizeof(err));
	if (rc != DIRECTORY_STORE_OK) {
		directory_reply_store(ctx, rc, err);
		goto done;
	}
	portal_audit(ctx, approve ? "directory_change_approved" : "directory_change_rejected", NULL,
	             json_pack("{s:s, s:O, s:O}", "change_id", id,
	                       "service_id", json_object_get(change, "service_id") ? json_object_get(change, "service_id") : json_null(),
	                       "organisation_id", json_object_get(change, "organisation_id")));
	portal_reply_done(ctx, 200, NULL, directory_with_notes(ctx, json_incref(change), change, DIRECTORY_TEXTS_DECISION),
	                  "/directory/changes?done=%s", approve ? "approved" : "rejected");
done:
	json_decref(valid);
	json_decref(change);
	json_decref(records);
}

/* POST .../changes/{id}/approve */
void directory_change_approve(portal_ctx *ctx)
{
	directory_change_decide(ctx, 1);
}

/* POST .../changes/{id}/reject */
void directory_change_reject(portal_ctx *ctx)
{
	directory_change_decide(ctx, 0);
}
