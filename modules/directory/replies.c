/* replies.c - what the handlers share: the record the path names, loaded
 * or answered 404/503 (through common/'s portal_path_param and
 * portal_reply_unless_found); the communities list and the whole of a hash
 * read or answered 503; who may change an organisation; and the table of
 * the directory scripts' error codes: the HTTP status, the code the API
 * answers and what the person reads. */
#include "directory.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "audit.h"
#include "response.h"
#include "session.h"
#include "validate.h"

static const struct {
	const char *script_code, *code;
	int         status;
	const char *message;
} directory_codes[] = {
	/* apply.lua: the change was decided meanwhile, or its status is gone */
	{ "not_pending", "already_decided", 409, "This change has already been approved or rejected." },
	{ "no_change", "already_decided", 409, "This change has already been approved or rejected." },
};

void directory_reply_store(portal_ctx *ctx, int rc, const char *code)
{
	size_t i;

	if (rc == DIRECTORY_STORE_REFUSED)
		for (i = 0; i < sizeof(directory_codes) / sizeof(directory_codes[0]); i++)
			if (strcmp(code, directory_codes[i].script_code) == 0) {
				portal_reply_error(ctx, directory_codes[i].status, directory_codes[i].code,
				                   directory_codes[i].message, NULL);
				return;
			}
	portal_reply_store_unavailable(ctx);
}

int directory_stored(portal_ctx *ctx, int stored, const char *event, json_t *details)
{
	if (!stored) {
		json_decref(details);
		portal_reply_store_unavailable(ctx);
		return 0;
	}
	portal_audit(ctx, event, NULL, details);
	return 1;
}

int directory_communities(portal_ctx *ctx, json_t **out)
{
	if (directory_store_all(ctx->store, "community", out) < 0) {
		portal_reply_store_unavailable(ctx);
		return -1;
	}
	return 0;
}

int directory_may_edit(portal_ctx *ctx, const json_t *org)
{
	const char *agency = portal_user_agency_id(ctx);
	const char *owner = json_string_value(json_object_get(org, "agency_id"));

	if (portal_user_has(ctx, PORTAL_ROLE_COORDINATOR))
		return 1;
	return portal_user_has(ctx, PORTAL_ROLE_NGO) && agency && owner && strcmp(agency, owner) == 0;
}

const char *directory_load(portal_ctx *ctx, const char *kind, const char *what, json_t **out)
{
	const char *id = portal_path_param(ctx, "id", directory_uuid_valid, what);
	int rc;

	*out = NULL;
	if (id == NULL)
		return NULL;
	rc = kind ? directory_store_get(ctx->store, kind, id, out) : directory_store_service(ctx->store, id, out);
	if (portal_reply_unless_found(ctx, rc, what) < 0) {
		json_decref(*out);
		*out = NULL;
		return NULL;
	}
	return id;
}

int directory_service_org(portal_ctx *ctx, const json_t *svc, json_t **org)
{
	const json_t *named = json_object_get(json_object_get(svc, "organisation"), "id");

	*org = NULL;
	if (directory_store_get(ctx->store, "org", json_string_value(named), org) < 0) {
		json_decref(*org);
		*org = NULL;
		portal_reply_store_unavailable(ctx);
		return -1;
	}
	return 0;
}

json_t *directory_list_all(portal_ctx *ctx, const char *kind)
{
	json_t *all = NULL, *list, *v;
	const char *id;

	if (directory_store_all(ctx->store, kind, &all) < 0) {
		portal_reply_store_unavailable(ctx);
		return NULL;
	}
	list = json_array();
	json_object_foreach(all, id, v)
		json_array_append(list, v);
	json_decref(all);
	return list;
}

void directory_sign(portal_ctx *ctx, json_t *record, const char *name_key)
{
	const json_t *agency = json_object_get(ctx->user, "agency");

	if (record == NULL)
		return;
	if (json_is_string(json_object_get(ctx->user, "name")))
		json_object_set(record, name_key, json_object_get(ctx->user, "name"));
	if (json_is_string(json_object_get(agency, "name")) && json_string_length(json_object_get(agency, "name")) > 0)
		json_object_set(record, "agency_name", json_object_get(agency, "name"));
}

void directory_who(json_t *record, const char *name_key, const char *time_key, const char *out_key)
{
	const char *who = json_string_value(json_object_get(record, name_key));
	const char *agency = json_string_value(json_object_get(record, "agency_name"));
	char when[64] = "", text[400];
	time_t t;

	if (portal_time_parse(json_string_value(json_object_get(record, time_key)), &t) == 0)
		portal_time_words(t, time(NULL), when, sizeof(when));
	snprintf(text, sizeof(text), "%s%s%s%s%s", who ? who : "A partner", agency ? " of " : "", agency ? agency : "",
	         *when ? " at " : "", when);
	json_object_set_new(record, out_key, json_string(text));
}

json_t *directory_done(const json_t *query)
{
	static const struct { const char *key, *value, *heading, *next; } done[] = {
		{ "proposed", NULL, "Your change has been sent to the coordinators.",
		  "The directory shows it once a coordinator approves it. Until then people see the entry as it was." },
		{ "updated", NULL, "Your changes have been saved.", "Everyone who searches the directory sees them now." },
		{ "suggested", NULL, "Thank you: your suggestion has been sent.",
		  "It goes to the service's owner and the partnership coordinators, who check it and change the entry." },
		{ "done", "approved", "The change has been approved.",
		  "The directory shows it now, and the entry counts as verified today." },
		{ "done", "rejected", "The change has been rejected.",
		  "The entry stays as it was. Let the organisation know why if they ask." },
		{ "closed", NULL, "The suggestion is marked as dealt with.",
		  "It leaves this list. Change the service if the note was right and you have not yet." },
	};
	size_t i;

	for (i = 0; i < sizeof(done) / sizeof(done[0]); i++) {
		const json_t *v = json_object_get(query, done[i].key);
		if (v && (done[i].value == NULL || (json_is_string(v) && strcmp(json_string_value(v), done[i].value) == 0)))
			return json_pack("{s:s, s:s}", "heading", done[i].heading, "next", done[i].next);
	}
	return json_null();
}

static const portal_field directory_list_fields[] = {
	{ .name = "page", .type = PORTAL_FIELD_INT, .min = 1, .max = 100000, .label = "Page" },
	{ .name = "per_page", .type = PORTAL_FIELD_INT, .min = 1, .max = DIRECTORY_PER_PAGE_MAX, .label = "Results per page" },
};
const portal_fields directory_list_input = PORTAL_FIELDS_INIT(directory_list_fields);

/* The GOV.UK pagination's data for page `page` of `pages` of list `path`:
 * {page_number, pages, prev_href?, next_href?} (new object). */
static json_t *directory_pagination(const char *path, long long page, long long pages, long long per_page)
{
	json_t *p = json_pack("{s:I, s:I}", "page_number", (json_int_t)page, "pages", (json_int_t)pages);
	char href[256];

	if (page > 1) {
		snprintf(href, sizeof(href), "%s?page=%lld&per_page=%lld", path, page - 1, per_page);
		json_object_set_new(p, "prev_href", json_string(href));
	}
	if (page < pages) {
		snprintf(href, sizeof(href), "%s?page=%lld&per_page=%lld", path, page + 1, per_page);
		json_object_set_new(p, "next_href", json_string(href));
	}
	return p;
}

json_t *directory_paged(portal_ctx *ctx, json_t *list, const char *key, const char *path)
{
	json_t *asked = json_object(), *valid = NULL, *errors = NULL, *items = json_array(), *out;
	long long page, per_page, total = (long long)json_array_size(list), i;

	/* only the paging fields: the rest of the query (a done banner) is not ours */
	json_object_set(asked, "page", json_object_get(ctx->req.query, "page"));
	json_object_set(asked, "per_page", json_object_get(ctx->req.query, "per_page"));
	if (portal_validate(asked, PORTAL_FIELDS(directory_list_fields), &valid, &errors) < 0) {
		json_decref(asked);
		json_decref(valid);
		json_decref(list);
		json_decref(items);
		portal_reply_invalid(ctx, errors, NULL);
		return NULL;
	}
	page = json_object_get(valid, "page") ? json_integer_value(json_object_get(valid, "page")) : 1;
	per_page = json_object_get(valid, "per_page") ? json_integer_value(json_object_get(valid, "per_page")) : 20;
	for (i = (page - 1) * per_page; i < total && i < page * per_page; i++)
		json_array_append(items, json_array_get(list, (size_t)i));
	out = json_pack("{s:o, s:I, s:I, s:I}", key, items, "total", (json_int_t)total, "page", (json_int_t)page,
	                "per_page", (json_int_t)per_page);
	if (!ctx->req.is_api && total > per_page)
		json_object_set_new(out, "pagination", directory_pagination(path, page, (total + per_page - 1) / per_page, per_page));
	json_decref(asked);
	json_decref(valid);
	json_decref(list);
	return out;
}
