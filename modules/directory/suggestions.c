/* suggestions.c - "suggest an edit": anyone signed in sends a short note
 * about a service; it reaches the owner NGO and the coordinators, who see
 * the open ones on one page and mark each as dealt with. */
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

static const portal_field directory_suggestion_fields[] = {
	{ .name = "text", .type = PORTAL_FIELD_STRING, .required = 1, .min = 1, .max = 1000, .label = "Your suggestion" },
};
const portal_fields directory_suggestion_input = PORTAL_FIELDS_INIT(directory_suggestion_fields);

/* POST /directory/services/{id}/suggestions and the API: anyone signed in
 * suggests an edit; it reaches the owner and the coordinators.  The page
 * shows the service again with the message and what was typed on a 422. */
void directory_suggestion_post(portal_ctx *ctx)
{
	json_t *valid = NULL, *errors = NULL, *svc = NULL, *org = NULL, *sug = NULL;
	const char *id = directory_load(ctx, NULL, "service", &svc);
	char sid[37], ts[32];

	if (id == NULL)
		goto done;
	if (portal_validate(ctx->req.body, PORTAL_FIELDS(directory_suggestion_fields), &valid, &errors) < 0) {
		portal_reply_invalid(ctx, errors, ctx->req.is_api ? NULL : directory_service_page_data(ctx, svc));
		goto done;
	}
	if (directory_service_org(ctx, svc, &org) < 0)
		goto done;
	if (directory_uuid_new(sid) < 0) {
		portal_reply_store_unavailable(ctx);
		goto done;
	}
	portal_time_format(time(NULL), ts, sizeof(ts));
	sug = json_pack("{s:s, s:s, s:s, s:O, s:O, s:s, s:O, s:s}", "id", sid, "service_id", id,
	        "service_name", json_string_value(json_object_get(svc, "name")),
	        "agency_id", org ? json_object_get(org, "agency_id") : json_null(),
	        "suggested_by", json_object_get(ctx->user, "username"),
	        "status", "open", "text", json_object_get(valid, "text"), "created_at", ts);
	directory_sign(ctx, sug, "suggested_by_name");
	if (directory_stored(ctx, sug && directory_store_put(ctx->store, "sug", "sug:list", sid, sug) >= 0,
	                     "directory_suggestion", json_pack("{s:s, s:s}", "suggestion_id", sid, "service_id", id)))
		portal_reply_done(ctx, 201, NULL, directory_with_notes(ctx, json_incref(sug), sug, DIRECTORY_TEXTS_SUGGESTION),
		                  "/directory/services/%s?suggested=1&suggestion=%s", id, sid);
done:
	json_decref(valid);
	json_decref(svc);
	json_decref(org);
	json_decref(sug);
}

/* 1 when the signed-in user may see and close suggestion `sug`: a
 * coordinator, or NGO staff of the agency that owns the service. */
static int directory_suggestion_visible(portal_ctx *ctx, const json_t *sug)
{
	const char *agency = portal_user_agency_id(ctx);
	const char *owner = json_string_value(json_object_get(sug, "agency_id"));

	if (portal_user_has(ctx, PORTAL_ROLE_COORDINATOR))
		return 1;
	return portal_user_has(ctx, PORTAL_ROLE_NGO) && agency && owner && strcmp(agency, owner) == 0;
}

/* qsort: suggestions newest first. */
static int directory_suggestion_cmp(const void *x, const void *y)
{
	const char *a = json_string_value(json_object_get(*(json_t *const *)x, "created_at"));
	const char *b = json_string_value(json_object_get(*(json_t *const *)y, "created_at"));

	return strcmp(b ? b : "", a ? a : "");
}

/* GET /directory/suggestions and /api/v1/directory/suggestions: the
 * suggestions for the user's services (every service for coordinators),
 * newest first.  The page lists the open ones; the API every one with its
 * status. */
void directory_suggestions_list(portal_ctx *ctx)
{
	json_t *all = NULL, *list = json_array(), *v, *data;
	json_t **arr = NULL;
	const char *id;
	size_t n = 0, i;

	if (directory_store_all(ctx->store, "sug", &all) < 0) {
		portal_reply_store_unavailable(ctx);
		goto done;
	}
	arr = calloc(json_object_size(all) + 1, sizeof(*arr));
	if (arr == NULL) {
		portal_reply_internal_error(ctx, "out of memory listing suggestions");
		goto done;
	}
	json_object_foreach(all, id, v)
		if (directory_suggestion_visible(ctx, v) &&
		    (ctx->req.is_api || strcmp(portal_json_text(v, "status"), "open") == 0))
			arr[n++] = v;
	qsort(arr, n, sizeof(*arr), directory_suggestion_cmp);
	for (i = 0; i < n; i++) {
		json_t *s = json_deep_copy(arr[i]);
		if (!ctx->req.is_api)
			directory_who(s, "suggested_by_name", "created_at", "from_text");
		json_array_append_new(list, s);
	}
	if ((data = directory_paged(ctx, json_incref(list), "suggestions", "/directory/suggestions")) == NULL)
		goto done;
	if (!ctx->req.is_api) {
		json_object_set_new(data, "has_suggestions", json_boolean(n > 0));
		json_object_set_new(data, "done", directory_done(ctx->req.query));
	}
	portal_reply(ctx, 200, data);
done:
	free(arr);
	json_decref(all);
	json_decref(list);
}

/* POST /directory/suggestions/{id}/close and the API: the owner or a
 * coordinator marks a suggestion as dealt with. */
void directory_suggestion_close(portal_ctx *ctx)
{
	json_t *sug = NULL;
	const char *id = directory_load(ctx, "sug", "suggestion", &sug);
	char ts[32];

	if (id == NULL)
		goto done;
	if (!directory_suggestion_visible(ctx, sug)) {
		portal_reply_forbidden(ctx, "Only the service's own organisation and the coordinators can close this suggestion.");
		goto done;
	}
	portal_time_format(time(NULL), ts, sizeof(ts));
	json_object_set_new(sug, "status", json_string("closed"));
	json_object_set_new(sug, "closed_by", json_incref(json_object_get(ctx->user, "username")));
	json_object_set_new(sug, "closed_at", json_string(ts));
	if (directory_store_put(ctx->store, "sug", NULL, id, sug) < 0) {
		portal_reply_store_unavailable(ctx);
		goto done;
	}
	portal_audit(ctx, "directory_suggestion_closed", NULL, json_pack("{s:s}", "suggestion_id", id));
	portal_reply_done(ctx, 200, NULL, sug, "/directory/suggestions?closed=1");
	sug = NULL;
done:
	json_decref(sug);
}
