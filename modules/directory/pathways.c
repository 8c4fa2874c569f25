/* pathways.c - referral pathways written by coordinators: ordered steps,
 * each with text and optionally a saved directory search. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jsonsort.h"
#include "audit.h"
#include "clock.h"
#include "directory.h"
#include "jsonget.h"
#include "response.h"
#include "validate.h"

/* Most steps a pathway has (and rows the page form offers). */
#define DIRECTORY_PATHWAY_ROWS 20

static const portal_field directory_pathway_fields[] = {
	{ .name = "title", .type = PORTAL_FIELD_STRING, .required = 1, .min = 3, .max = 160, .label = "Title" },
	{ .name = "summary", .type = PORTAL_FIELD_STRING, .max = 1000, .label = "Summary" },
	{ .name = "example", .type = PORTAL_FIELD_BOOL, .label = "Example, not guidance" },
};
const portal_fields directory_pathway_input = PORTAL_FIELDS_INIT(directory_pathway_fields);

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
	/* go on to the steps when the title is wrong: every error at once */
	if (portal_validate(body, PORTAL_FIELDS(directory_pathway_fields), &valid, errors) == 0)
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

/* qsort: guidance before examples, then by title. */
static int directory_pathway_cmp(const void *x, const void *y)
{
	const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
	int ea = json_is_true(json_object_get(a, "example")), eb = json_is_true(json_object_get(b, "example"));
	const char *ta = json_string_value(json_object_get(a, "title"));
	const char *tb = json_string_value(json_object_get(b, "title"));

	if (ea != eb)
		return ea - eb;
	return strcmp(ta ? ta : "", tb ? tb : "");
}

/* GET /directory/pathways and /api/v1/directory/pathways: guidance first,
 * then the examples, each by title. */
void directory_pathways_list(portal_ctx *ctx)
{
	json_t *list, *data;

	if ((list = directory_list_all(ctx, "pw")) == NULL)
		return;
	portal_json_sort(list, directory_pathway_cmp);
	if ((data = directory_paged(ctx, list, "pathways", "/directory/pathways")) == NULL)
		return;
	if (!ctx->req.is_api)
		json_object_set_new(data, "may_write", json_boolean(portal_user_has(ctx, PORTAL_ROLE_COORDINATOR)));
	portal_reply(ctx, 200, data);
}

/* GET .../pathways/{id}. */
void directory_pathway_get(portal_ctx *ctx)
{
	json_t *pw = NULL;

	if (directory_load(ctx, "pw", "pathway", &pw) == NULL)
		return;
	if (ctx->req.is_api)
		portal_reply(ctx, 200, pw);
	else {
		json_t *page = json_pack("{s:O, s:b, s:o}", "pathway", pw,
		             "may_write", portal_user_has(ctx, PORTAL_ROLE_COORDINATOR),
		             "done", json_object_get(ctx->req.query, "saved") ? json_pack("{s:s, s:s}", "heading", "The pathway has been saved.",
		                     "next", "Partners see it now in the list of referral pathways.") : json_null());
		char edit[96];

		snprintf(edit, sizeof(edit), "/directory/pathways/%s/edit", portal_json_text(pw, "id"));
		if (json_object_get(ctx->req.query, "saved") && portal_user_has(ctx, PORTAL_ROLE_COORDINATOR))
			directory_saved_notes(ctx->store, page, pw, DIRECTORY_TEXTS_PATHWAY, edit, "Change the pathway's text");
		json_decref(pw);
		portal_reply(ctx, 200, page);
	}
}

/* The search part of a saved search as a person may paste it: a whole
 * address ("https://.../directory/?language=sq"), "/directory/?..." or just
 * "language=sq".  Returns a pointer into s. */
static const char *directory_search_part(const char *s)
{
	const char *q = strchr(s, '?');

	return q ? q + 1 : s;
}

/* The page form (title, summary, example, step_text_N and step_search_N
 * for N = 1..DIRECTORY_PATHWAY_ROWS) as the API's pathway shape (new
 * object).  Blank rows are left out; rows[k] gets the form row of step k. */
static json_t *directory_pathway_form_input(const json_t *body, int rows[DIRECTORY_PATHWAY_ROWS])
{
	json_t *in = json_object(), *steps = json_array();
	char key[40];
	size_t n = 0;
	int row;

	json_object_set(in, "title", json_object_get(body, "title"));
	json_object_set(in, "summary", json_object_get(body, "summary"));
	if (json_object_get(body, "example"))
		json_object_set(in, "example", json_object_get(body, "example"));
	for (row = 1; row <= DIRECTORY_PATHWAY_ROWS; row++) {
		const char *text, *search;
		snprintf(key, sizeof(key), "step_text_%d", row);
		text = json_string_value(json_object_get(body, key));
		snprintf(key, sizeof(key), "step_search_%d", row);
		search = json_string_value(json_object_get(body, key));
		if ((text == NULL || text[strspn(text, " \t\r\n")] == '\0') &&
		    (search == NULL || search[strspn(search, " \t\r\n")] == '\0'))
			continue;
		search = search ? directory_search_part(search) : "";
		json_array_append_new(steps, json_pack("{s:s, s:s}", "text", text ? text : "", "search", search));
		rows[n++] = row;
	}
	json_object_set_new(in, "steps", steps);
	return in;
}

/* Errors of the API shape ("steps", "steps.K") renamed to the form's
 * fields (step_text_N or step_search_N of the step's row): a new object. */
static json_t *directory_pathway_form_errors(const json_t *errors, const json_t *input, const int rows[DIRECTORY_PATHWAY_ROWS])
{
	json_t *out = json_object(), *msg;
	const char *key;

	json_object_foreach((json_t *)errors, key, msg) {
		char field[40];
		if (strcmp(key, "steps") == 0)
			snprintf(field, sizeof(field), "step_text_%d", json_array_size(json_object_get(input, "steps")) ? rows[0] : 1);
		else if (strncmp(key, "steps.", 6) == 0) {
			char *end;
			unsigned long k = strtoul(key + 6, &end, 10);
			const char *text = json_string_value(json_object_get(json_array_get(json_object_get(input, "steps"), k), "text"));
			if (*end || k >= DIRECTORY_PATHWAY_ROWS)
				continue;
			/* a step with a good text was refused for its search */
			snprintf(field, sizeof(field), "step_%s_%d", text && *text && strlen(text) <= 1000 ? "search" : "text", rows[k]);
		} else
			snprintf(field, sizeof(field), "%s", key);
		json_object_set(out, field, msg);
	}
	return out;
}

/* The pathway form's view (new object) from flat form fields `form` (a
 * stored pathway's or what was typed): the step rows with their values and
 * messages, since templates cannot look fields up by a computed name.
 * `id` is the pathway's id, or NULL for a new one. */
static json_t *directory_pathway_form_view(const json_t *form, const char *id, const json_t *errors)
{
	json_t *data = json_object(), *rows = json_array();
	char key[40];
	int row, last = 0;

	for (row = 1; row <= DIRECTORY_PATHWAY_ROWS; row++) {
		snprintf(key, sizeof(key), "step_text_%d", row);
		if (json_string_length(json_object_get(form, key)))
			last = row;
		snprintf(key, sizeof(key), "step_search_%d", row);
		if (json_string_length(json_object_get(form, key)))
			last = row;
	}
	/* the steps given and three blank rows, at least five */
	last = last + 3 < 5 ? 5 : last + 3 > DIRECTORY_PATHWAY_ROWS ? DIRECTORY_PATHWAY_ROWS : last + 3;
	for (row = 1; row <= last; row++) {
		json_t *r = json_pack("{s:i}", "n", row);
		const char *v;
		snprintf(key, sizeof(key), "step_text_%d", row);
		v = json_string_value(json_object_get(form, key));
		json_object_set_new(r, "text", json_string(v ? v : ""));
		if (json_object_get(errors, key))
			json_object_set(r, "text_error", json_object_get(errors, key));
		snprintf(key, sizeof(key), "step_search_%d", row);
		v = json_string_value(json_object_get(form, key));
		json_object_set_new(r, "search", json_string(v ? v : ""));
		if (json_object_get(errors, key))
			json_object_set(r, "search_error", json_object_get(errors, key));
		json_array_append_new(rows, r);
	}
	json_object_set_new(data, "rows", rows);
	json_object_set(data, "form", (json_t *)form);
	json_object_set_new(data, "example", json_boolean(json_is_true(json_object_get(form, "example")) ||
	        (json_is_string(json_object_get(form, "example")) && strcmp(json_string_value(json_object_get(form, "example")), "true") == 0)));
	if (id) {
		json_object_set_new(data, "pathway_id", json_string(id));
		json_object_set_new(data, "action", json_sprintf("/directory/pathways/%s", id));
	} else {
		json_object_set_new(data, "is_new", json_true());
		json_object_set_new(data, "action", json_string("/directory/pathways"));
	}
	return data;
}

/* Save a pathway under `id` (new when NULL): API bodies as they are, page
 * forms through directory_pathway_form_input; a page is redirected to the
 * pathway, or shown the form again with what was typed. */
static void directory_pathway_write(portal_ctx *ctx, const char *id, int created)
{
	json_t *errors = NULL, *input = NULL, *pw = NULL;
	int rows[DIRECTORY_PATHWAY_ROWS];
	char new_id[37], ts[32];

	input = ctx->req.is_api ? json_incref(ctx->req.body) : directory_pathway_form_input(ctx->req.body, rows);
	if ((pw = directory_pathway_validate(input, &errors)) == NULL) {
		if (ctx->req.is_api)
			portal_reply_invalid(ctx, errors, NULL);
		else {
			json_t *fe = directory_pathway_form_errors(errors, input, rows);
			json_decref(errors);
			portal_reply_invalid(ctx, fe, directory_pathway_form_view(ctx->req.body, id, fe));
		}
		goto done;
	}
	if (id == NULL) {
		if (directory_uuid_new(new_id) < 0) {
			portal_reply_internal_error(ctx, "no randomness for a pathway id");
			goto done;
		}
		id = new_id;
	}
	portal_time_format(time(NULL), ts, sizeof(ts));
	json_object_set_new(pw, "id", json_string(id));
	json_object_set_new(pw, "updated_at", json_string(ts));
	json_object_set_new(pw, "updated_by", json_incref(json_object_get(ctx->user, "username")));
	if (directory_store_put(ctx->store, "pw", "pw:list", id, pw) < 0) {
		portal_reply_store_unavailable(ctx);
		goto done;
	}
	portal_audit(ctx, created ? "directory_pathway_added" : "directory_pathway_changed", NULL,
	             json_pack("{s:s}", "pathway_id", id));
	portal_reply_done(ctx, created ? 201 : 200, NULL, directory_with_notes(ctx, pw, pw, DIRECTORY_TEXTS_PATHWAY),
	                  "/directory/pathways/%s?saved=1", id);
	pw = NULL;
done:
	json_decref(input);
	json_decref(pw);
}

/* GET /directory/pathways/new: the empty form (coordinators). */
void directory_pathway_new_page(portal_ctx *ctx)
{
	json_t *form = json_object();

	portal_reply(ctx, 200, directory_pathway_form_view(form, NULL, NULL));
	json_decref(form);
}

/* GET /directory/pathways/{id}/edit: the form filled from the stored
 * pathway (coordinators). */
void directory_pathway_edit_page(portal_ctx *ctx)
{
	json_t *pw = NULL, *form = NULL, *step;
	const char *id = directory_load(ctx, "pw", "pathway", &pw);
	char key[40];
	size_t i;

	if (id == NULL)
		goto done;
	form = json_pack("{s:s, s:s, s:b}", "title", portal_json_text(pw, "title"),
	                 "summary", portal_json_text(pw, "summary"),
	                 "example", json_is_true(json_object_get(pw, "example")));
	json_array_foreach(json_object_get(pw, "steps"), i, step) {
		if (i >= DIRECTORY_PATHWAY_ROWS)
			break;
		snprintf(key, sizeof(key), "step_text_%zu", i + 1);
		json_object_set(form, key, json_object_get(step, "text"));
		snprintf(key, sizeof(key), "step_search_%zu", i + 1);
		json_object_set(form, key, json_object_get(step, "search"));
	}
	portal_reply(ctx, 200, directory_pathway_form_view(form, id, NULL));
done:
	json_decref(pw);
	json_decref(form);
}

/* POST /api/v1/directory/pathways (coordinators). */
void directory_pathway_post(portal_ctx *ctx)
{
	directory_pathway_write(ctx, NULL, 1);
}

/* PUT /api/v1/directory/pathways/{id} (coordinators). */
void directory_pathway_put(portal_ctx *ctx)
{
	json_t *pw = NULL;
	const char *id = directory_load(ctx, "pw", "pathway", &pw);

	json_decref(pw);
	if (id)
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
