/* pathways.c - referral pathways written by coordinators: ordered steps,
 * each with text and optionally a saved directory search. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "clock.h"
#include "dirstore.h"
#include "handlers.h"
#include "model.h"
#include "response.h"
#include "validate.h"

static const portal_field directory_pathway_fields[] = {
	{ "title", PORTAL_FIELD_STRING, 1, 3, 160, NULL, 0, "Title" },
	{ "summary", PORTAL_FIELD_STRING, 0, 0, 1000, NULL, 0, "Summary" },
	{ "example", PORTAL_FIELD_BOOL, 0, 0, 0, NULL, 0, "Example, not guidance" },
};

/* Validate a pathway: title, summary, example flag and 1-20 steps, each
 * {"text", "search"} where search is a directory query string
 * ("language=sq&exploitation=criminal") checked like a search.  Returns
 * a new object, or NULL with *errors. */
static json_t *directory_pathway_validate(const json_t *body, json_t **errors)
{
	json_t *valid = NULL, *steps = json_array(), *step, *empty = json_object();
	const json_t *in = json_object_get(body, "steps");
	char key[40];
	size_t i;

	*errors = NULL;
	if (portal_validate(body, directory_pathway_fields, 3, &valid, errors) < 0)
		goto fail;
	*errors = json_object();
	if (!json_is_array(in) || json_array_size(in) == 0 || json_array_size(in) > 20)
		json_object_set_new(*errors, "steps", json_string("Give between 1 and 20 steps, each with its text"));
	json_array_foreach(in, i, step) {
		const char *text = json_string_value(json_object_get(step, "text"));
		const char *search = json_string_value(json_object_get(step, "search"));
		snprintf(key, sizeof(key), "steps.%zu", i);
		if (text == NULL || *text == '\0' || strlen(text) > 1000 || !portal_utf8_valid(text, strlen(text))) {
			json_object_set_new(*errors, key, json_string("Give each step a text of up to 1000 characters"));
			continue;
		}
		if (search && *search) {
			portal_limits lim = portal_default_limits;
			portal_parse_error perr;
			json_t *q = json_object(), *qv = NULL, *qe = NULL;
			directory_query dq;
			if (strlen(search) > 500 || portal_parse_urlencoded(search, strlen(search), &lim, q, &perr) < 0 ||
			    directory_query_parse(q, empty, &dq, &qv, &qe) < 0) {
				json_object_set_new(*errors, key, json_string("Give the step's search as a directory search, like language=sq&exploitation=criminal"));
				json_decref(q);
				json_decref(qe);
				continue;
			}
			json_decref(q);
			json_decref(qv);
		}
		json_array_append_new(steps, json_pack("{s:s, s:s}", "text", text, "search", search ? search : ""));
	}
	if (json_object_size(*errors))
		goto fail;
	json_decref(*errors);
	*errors = NULL;
	json_object_set_new(valid, "steps", steps);
	json_object_set_new(valid, "example", json_boolean(json_is_true(json_object_get(valid, "example"))));
	json_decref(empty);
	return valid;
fail:
	json_decref(valid);
	json_decref(steps);
	json_decref(empty);
	return NULL;
}

/* GET /directory/pathways and /api/v1/directory/pathways. */
void directory_pathways_list(portal_ctx *ctx)
{
	json_t *all = NULL, *list = json_array(), *v;
	const char *id;

	if (directory_store_all(ctx->store, "pw", &all) < 0) {
		json_decref(list);
		portal_reply_store_unavailable(ctx);
		return;
	}
	json_object_foreach(all, id, v)
		json_array_append(list, v);
	json_decref(all);
	portal_reply(ctx, 200, json_pack("{s:o}", "pathways", list));
}

/* GET .../pathways/{id}. */
void directory_pathway_get(portal_ctx *ctx)
{
	const char *id = json_string_value(json_object_get(ctx->req.params, "id"));
	json_t *pw = NULL;
	int rc;

	if (!directory_uuid_valid(id) || (rc = directory_store_get(ctx->store, "pw", id, &pw)) == 0) {
		portal_reply_error(ctx, 404, "not_found", "There is no pathway with that id.", NULL);
		return;
	}
	if (rc < 0) {
		portal_reply_store_unavailable(ctx);
		return;
	}
	if (ctx->req.is_api)
		portal_reply(ctx, 200, pw);
	else
		portal_reply(ctx, 200, json_pack("{s:o}", "pathway", pw));
}

/* Save a pathway under `id` (new when NULL). */
static void directory_pathway_write(portal_ctx *ctx, const char *id, int created)
{
	json_t *errors = NULL, *pw = directory_pathway_validate(ctx->req.body, &errors);
	char new_id[37], ts[32];

	if (pw == NULL) {
		portal_reply_invalid(ctx, errors, NULL);
		return;
	}
	if (id == NULL) {
		directory_uuid_new(new_id);
		id = new_id;
	}
	portal_time_format(time(NULL), ts, sizeof(ts));
	json_object_set_new(pw, "id", json_string(id));
	json_object_set_new(pw, "updated_at", json_string(ts));
	json_object_set_new(pw, "updated_by", json_incref(json_object_get(ctx->user, "username")));
	if (directory_store_put(ctx->store, "pw", "pw:list", id, pw) < 0) {
		json_decref(pw);
		portal_reply_store_unavailable(ctx);
		return;
	}
	portal_audit(ctx, created ? "directory_pathway_added" : "directory_pathway_changed", NULL,
	             json_pack("{s:s}", "pathway_id", id));
	portal_reply(ctx, created ? 201 : 200, pw);
}

/* POST /api/v1/directory/pathways (coordinators). */
void directory_pathway_post(portal_ctx *ctx)
{
	directory_pathway_write(ctx, NULL, 1);
}

/* PUT /api/v1/directory/pathways/{id} (coordinators). */
void directory_pathway_put(portal_ctx *ctx)
{
	const char *id = json_string_value(json_object_get(ctx->req.params, "id"));
	json_t *pw = NULL;
	int rc;

	if (!directory_uuid_valid(id) || (rc = directory_store_get(ctx->store, "pw", id, &pw)) == 0) {
		portal_reply_error(ctx, 404, "not_found", "There is no pathway with that id.", NULL);
		return;
	}
	json_decref(pw);
	if (rc < 0) {
		portal_reply_store_unavailable(ctx);
		return;
	}
	directory_pathway_write(ctx, id, 0);
}

int directory_pathways_demo(portal_store *st, char *err, size_t errlen)
{
	static const struct { const char *id, *title, *summary, *s1, *q1, *s2, *q2, *s3; } demo[] = {
		{ "7a000000-0000-4000-8000-000000000001", "Child at risk of criminal exploitation (example)",
		  "An example pathway for the demo, not guidance: a child found in a county lines situation.",
		  "Make sure the child is safe now; a child is never to blame for their exploitation.",
		  "",
		  "Find specialist support for children and criminal exploitation near where the child lives.",
		  "exploitation=criminal&client_group=children",
		  "A child does not need to consent to an NRM referral: make it, with children's services." },
		{ "7a000000-0000-4000-8000-000000000002", "Adult who does not consent to an NRM referral (example)",
		  "An example pathway for the demo, not guidance: support is still available without the NRM.",
		  "Believe the person and explain what the NRM is, in their language, with an interpreter if needed.",
		  "service_type=interpreting",
		  "Offer services that do not need an NRM referral.",
		  "service_type=advocacy&referrer=self",
		  "Record a Duty to Notify without identifying details, as police or a public authority must." },
		{ "7a000000-0000-4000-8000-000000000003", "Survivor needing Albanian-language support (example)",
		  "An example pathway for the demo, not guidance.",
		  "Ask which language the person prefers; do not assume.",
		  "",
		  "Find Albanian-speaking partners.",
		  "language=sq&community=albanian",
		  "Refer with your own case reference only." },
	};
	size_t i;

	for (i = 0; i < sizeof(demo) / sizeof(demo[0]); i++) {
		json_t *pw = json_pack("{s:s, s:s, s:s, s:b, s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}], s:s, s:s}",
		        "id", demo[i].id, "title", demo[i].title, "summary", demo[i].summary, "example", 1,
		        "steps", "text", demo[i].s1, "search", demo[i].q1, "text", demo[i].s2, "search", demo[i].q2,
		        "text", demo[i].s3, "search", "",
		        "updated_at", "2026-01-10T09:00:00+00:00", "updated_by", "coordinator");
		int rc = directory_store_put(st, "pw", "pw:list", demo[i].id, pw);
		json_decref(pw);
		if (rc < 0) {
			snprintf(err, errlen, "the store cannot be reached");
			return -1;
		}
	}
	return 0;
}
