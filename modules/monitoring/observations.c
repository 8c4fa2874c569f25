/* observations.c - partner voice: any signed-in partner sends the
 * coordinators an observation (guarded against personal data; optional
 * borough and exploitation types).  The answer carries its language notes;
 * the page after saving shows each with its preferred wording and a link
 * to change the text.  Also the module's start page. */
#include "monitoring.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "jsonget.h"
#include "langnotes.h"
#include "response.h"

/* The observation form's page: `form` (stolen; NULL empty) shown again,
 * posting to `action`. */
static json_t *observation_form_page(json_t *form, const char *action)
{
	json_t *page = json_pack("{s:o, s:s}", "form", form ? form : json_object(), "action", action);
	const json_t *f = json_object_get(page, "form");

	json_object_set_new(page, "boroughs", monitoring_choices(portal_london_areas, portal_london_areas_count,
	                                                         json_object_get(f, "borough")));
	json_object_set_new(page, "exploitation_types", monitoring_choices(portal_exploitation_types,
	                    portal_exploitation_types_count, json_object_get(f, "exploitation_types")));
	return page;
}

void monitoring_home(portal_ctx *ctx)
{
	monitoring_answer a;
	json_t *views = json_array(), *raw;
	size_t i;

	monitoring_store_texts(ctx->store, &a);
	if (!monitoring_reply_failed(ctx, &a, "texts")) {
		json_array_foreach(json_object_get(a.data, "texts"), i, raw)
			json_array_append_new(views, monitoring_text_view(raw, json_object_get(a.data, "themes"), time(NULL)));
		portal_reply(ctx, 200, json_pack("{s:o, s:b}", "quotes", monitoring_shared_quotes(views),
		             "coordinator", portal_user_has(ctx, MONITORING_COORD)));
	}
	json_decref(views);
	monitoring_answer_free(&a);
}

void monitoring_observation_form(portal_ctx *ctx)
{
	portal_reply(ctx, 200, observation_form_page(NULL, "/monitoring/observations"));
}

/* The page or answer of a saved text view `view` (stolen) with its notes. */
static json_t *observation_answer(portal_ctx *ctx, json_t *view, int may_change)
{
	const char *text = portal_json_text(view, "text");
	json_t *notes = portal_language_notes_of(ctx->store, text, strlen(text));

	return json_pack("{s:o, s:o, s:b, s:b, s:o*}", "observation", view, "language_notes", notes,
	                 "has_notes", json_array_size(notes) > 0, "may_change", may_change, "done", monitoring_done(ctx));
}

/* Save text id ("" a new one) from the request: validated (a 422 shows
 * the form again with what was typed), kept, answered. */
static void observation_save(portal_ctx *ctx, const char *id, int status, const char *done)
{
	char action[96];
	json_t *v = NULL, *answer;
	monitoring_answer a;
	const char *type = portal_user_agency_type(ctx);

	snprintf(action, sizeof(action), id[0] ? "/monitoring/observations/%s/edit" : "/monitoring/observations", id);
	if (monitoring_validate(ctx, ctx->req.body, MONITORING_FIELDS_OBSERVATION, &v,
	                        ctx->req.is_api ? NULL : observation_form_page(json_deep_copy(ctx->req.body), action)) < 0)
		return;
	json_object_set_new(v, "agency_type", json_string(type && portal_code_find(portal_agency_types,
	                    portal_agency_types_count, type) ? type : "other"));
	if (json_object_get(v, "exploitation_types") == NULL)
		json_object_set_new(v, "exploitation_types", json_array());
	monitoring_store_text_save(ctx->store, id, v, monitoring_username(ctx), &a);
	if (!monitoring_reply_failed(ctx, &a, "observation")) {
		json_t *view = monitoring_text_view(json_object_get(a.data, "text"), NULL, time(NULL));
		portal_audit(ctx, id[0] ? "observation_changed" : "observation_sent", NULL,
		             json_pack("{s:O}", "text", json_object_get(view, "id")));
		answer = observation_answer(ctx, view, 1);
		json_object_del(answer, "done");
		if (ctx->req.is_api)
			portal_reply(ctx, status, answer);
		else {
			json_decref(answer);
			portal_reply_done(ctx, status, NULL, NULL, "/monitoring/observations/%lld?done=%s",
			                  portal_json_num(json_object_get(a.data, "text"), "id"), done);
		}
	}
	monitoring_answer_free(&a);
	json_decref(v);
}

void monitoring_observation_create(portal_ctx *ctx)
{
	observation_save(ctx, "", 201, "sent");
}

/* Read text {id} into *a as its author or a coordinator may; answers 404
 * (also to anyone else: they may not know it exists) and returns NULL. */
static const char *observation_load(portal_ctx *ctx, monitoring_answer *a, int *author)
{
	const char *id = monitoring_load(ctx, monitoring_store_text_read, "observation", a);

	if (id == NULL)
		return NULL;
	*author = strcmp(portal_json_text(json_object_get(a->data, "text"), "author"), monitoring_username(ctx)) == 0;
	if (*author || portal_user_has(ctx, MONITORING_COORD))
		return id;
	portal_reply_not_found(ctx, "observation");
	monitoring_answer_free(a);
	return NULL;
}

void monitoring_observation_get(portal_ctx *ctx)
{
	monitoring_answer a;
	int author;

	if (observation_load(ctx, &a, &author) == NULL)
		return;
	portal_reply(ctx, 200, observation_answer(ctx, monitoring_text_view(json_object_get(a.data, "text"),
	             json_object_get(a.data, "themes"), time(NULL)), author));
	monitoring_answer_free(&a);
}

void monitoring_observation_edit_form(portal_ctx *ctx)
{
	char action[96];
	monitoring_answer a;
	int author;
	const char *id = observation_load(ctx, &a, &author);
	json_t *form;

	if (id == NULL)
		return;
	if (!author) {
		portal_reply_forbidden(ctx, "Only the person who sent this observation can change its words.");
	} else {
		json_t *view = monitoring_text_view(json_object_get(a.data, "text"), NULL, time(NULL));
		form = json_pack("{s:O, s:O, s:O}", "text", json_object_get(view, "text"), "borough",
		                 json_object_get(view, "borough"), "exploitation_types", json_object_get(view, "exploitation_types"));
		snprintf(action, sizeof(action), "/monitoring/observations/%s/edit", id);
		portal_reply(ctx, 200, observation_form_page(form, action));
		json_decref(view);
	}
	monitoring_answer_free(&a);
}

void monitoring_observation_update(portal_ctx *ctx)
{
	const char *id = portal_path_number(ctx, "id", MONITORING_ID_MAX, "observation", NULL);

	if (id)
		observation_save(ctx, id, 200, "changed");
}
