/* texts.c - the coding of what partners wrote: coordinators keep the
 * themes, tag each text with them, and mark a text as a quote fit to share
 * (shown with its agency type only).  The list of texts shows the counts
 * per theme. */
#include "monitoring.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "jsonget.h"
#include "response.h"

/* The themes {id: name} of answer `a` as [{id, name, count}] over `views`. */
static json_t *themes_of(const monitoring_answer *a, const json_t *views)
{
	return monitoring_theme_counts(json_object_get(a->data, "themes"), views);
}

/* Every text of answer `a` ("texts") as views.  New array. */
static json_t *texts_of(const monitoring_answer *a)
{
	json_t *views = json_array(), *raw;
	size_t i;

	json_array_foreach(json_object_get(a->data, "texts"), i, raw)
		json_array_append_new(views, monitoring_text_view(raw, json_object_get(a->data, "themes"), time(NULL)));
	return views;
}

/* The themes page's data {themes: [{id, name, count}]}, or NULL after
 * answering. */
static json_t *themes_page(portal_ctx *ctx)
{
	json_t *page = NULL, *views;
	monitoring_answer a;

	monitoring_store_texts(ctx->store, &a);
	if (!monitoring_reply_failed(ctx, &a, "themes")) {
		views = texts_of(&a);
		page = json_pack("{s:o}", "themes", themes_of(&a, views));
		json_decref(views);
	}
	monitoring_answer_free(&a);
	return page;
}

void monitoring_themes_list(portal_ctx *ctx)
{
	json_t *page = themes_page(ctx), *done;

	if (page == NULL)
		return;
	if ((done = monitoring_done(ctx)) != NULL)
		json_object_set_new(page, "done", done);
	portal_reply(ctx, 200, page);
}

/* A page's new theme refused by the store for its name (theme_taken):
 * 1 after answering 422 with the themes and the name typed, at the field. */
static int theme_name_taken(portal_ctx *ctx, const monitoring_answer *a, json_t *page)
{
	json_t *errors = NULL;

	if (page == NULL || a->run.rc != PORTAL_RUN_OK || strcmp(MONITORING_STATUS(a), "theme_taken") != 0)
		return 0;
	portal_field_error(&errors, "name", "There is already a theme with this name: enter another name");
	portal_reply_invalid(ctx, errors, json_incref(page));
	return 1;
}

void monitoring_theme_create(portal_ctx *ctx)
{
	json_t *v = NULL, *page = NULL;
	monitoring_answer a;

	/* on a page, an error shows the themes again with the name typed */
	if (!ctx->req.is_api) {
		if ((page = themes_page(ctx)) == NULL)
			return;
		json_object_set(page, "form", ctx->req.body);
	}
	if (monitoring_validate(ctx, ctx->req.body, MONITORING_FIELDS_THEME, &v, page ? json_incref(page) : NULL) < 0) {
		json_decref(page);
		return;
	}
	monitoring_store_theme_save(ctx->store, "", portal_json_text(v, "name"), &a);
	if (!theme_name_taken(ctx, &a, page) && !monitoring_reply_failed(ctx, &a, "theme")) {
		portal_audit(ctx, "theme_added", NULL, json_pack("{s:O}", "theme", json_object_get(a.data, "id")));
		portal_reply_done(ctx, 201, "theme", json_pack("{s:O, s:O}", "id", json_object_get(a.data, "id"), "name",
		                  json_object_get(v, "name")), "/monitoring/themes?done=theme-added");
	}
	monitoring_answer_free(&a);
	json_decref(page);
	json_decref(v);
}

void monitoring_theme_remove(portal_ctx *ctx)
{
	const char *id = portal_path_number(ctx, "id", MONITORING_ID_MAX, "theme", NULL);
	monitoring_answer a;

	if (id == NULL)
		return;
	monitoring_store_theme_save(ctx->store, id, NULL, &a);
	if (!monitoring_reply_failed(ctx, &a, "theme")) {
		portal_audit(ctx, "theme_removed", NULL, json_pack("{s:s}", "theme", id));
		portal_reply_done(ctx, 204, NULL, NULL, "/monitoring/themes?done=theme-removed");
	}
	monitoring_answer_free(&a);
}

void monitoring_texts_list(portal_ctx *ctx)
{
	monitoring_answer a;

	monitoring_store_texts(ctx->store, &a);
	if (!monitoring_reply_failed(ctx, &a, "texts")) {
		json_t *views = texts_of(&a);
		portal_reply(ctx, 200, json_pack("{s:o, s:O, s:b}", "themes", themes_of(&a, views), "texts", views,
		             "has_texts", json_array_size(views) > 0));
		json_decref(views);
	}
	monitoring_answer_free(&a);
}

/* The tag form of text view `view`: every theme [{id, name, checked}]; on
 * a page the first is marked `first` (its box has the field's id, which
 * the error summary links to). */
static json_t *tag_choices(const portal_ctx *ctx, const json_t *themes, const json_t *view)
{
	json_t *out = json_array(), *t, *tag;
	size_t i, k;

	json_array_foreach(themes, i, t) {
		int on = 0;
		json_array_foreach(json_object_get(view, "tags"), k, tag)
			on |= portal_json_num(tag, "id") == portal_json_num(t, "id");
		json_array_append_new(out, json_pack("{s:O, s:O, s:b}", "id", json_object_get(t, "id"), "name",
		                                     json_object_get(t, "name"), "checked", on));
	}
	if (!ctx->req.is_api && json_array_size(out) > 0)
		json_object_set_new(json_array_get(out, 0), "first", json_true());
	return out;
}

void monitoring_text_get(portal_ctx *ctx)
{
	monitoring_answer a;

	if (monitoring_load(ctx, monitoring_store_text_read, "text", &a) != NULL) {
		json_t *view = monitoring_text_view(json_object_get(a.data, "text"), json_object_get(a.data, "themes"), time(NULL));
		json_t *themes = themes_of(&a, NULL);
		portal_reply(ctx, 200, json_pack("{s:o, s:o, s:o*}", "text", view, "choices", tag_choices(ctx, themes, view),
		                                 "done", monitoring_done(ctx)));
		json_decref(themes);
	}
	monitoring_answer_free(&a);
}

/* 1 when theme `id` (a number or its text) is among the body's "themes"
 * (one text, or a list when several were ticked). */
static int typed_theme(const json_t *body, const json_t *id)
{
	char want[32];

	if (json_is_integer(id))
		snprintf(want, sizeof(want), "%lld", (long long)json_integer_value(id));
	else
		snprintf(want, sizeof(want), "%s", json_string_value(id) ? json_string_value(id) : "");
	return portal_json_list_has(json_object_get(body, "themes"), want);
}

/* The tag form of text {id} again, 422, with `errors` (taken) at its
 * fields and the themes and quote as they were ticked. */
static void tags_again(portal_ctx *ctx, const char *id, json_t *errors)
{
	json_t *view, *themes, *choices, *c;
	monitoring_answer a;
	size_t i;

	monitoring_store_text_read(ctx->store, id, &a);
	if (monitoring_reply_failed(ctx, &a, "text")) {
		json_decref(errors);
		monitoring_answer_free(&a);
		return;
	}
	view = monitoring_text_view(json_object_get(a.data, "text"), json_object_get(a.data, "themes"), time(NULL));
	themes = themes_of(&a, NULL);
	choices = tag_choices(ctx, themes, view);
	json_array_foreach(choices, i, c)
		json_object_set_new(c, "checked", json_boolean(typed_theme(ctx->req.body, json_object_get(c, "id"))));
	json_object_set_new(view, "quote", json_boolean(portal_json_text(ctx->req.body, "quote")[0] != '\0'));
	portal_reply_invalid(ctx, errors, json_pack("{s:o, s:o}", "text", view, "choices", choices));
	json_decref(themes);
	monitoring_answer_free(&a);
}

/* On a page, a refused tagging (fields not valid, a theme removed since the
 * form was shown): the form again; 1 after answering. */
static int tags_refused(portal_ctx *ctx, const char *id, json_t **v, const monitoring_answer *a)
{
	json_t *errors = NULL;

	if (a == NULL && portal_validate(ctx->req.body, monitoring_fields[MONITORING_FIELDS_TAGS], v, &errors) == 0)
		return 0;
	if (a != NULL && (a->run.rc != PORTAL_RUN_OK || strcmp(MONITORING_STATUS(a), "unknown_theme") != 0))
		return 0;
	if (a != NULL)
		portal_field_error(&errors, "themes", "One of the themes you chose has been removed: choose from the themes listed");
	tags_again(ctx, id, errors);
	return 1;
}

void monitoring_tags_put(portal_ctx *ctx)
{
	const char *id = portal_path_number(ctx, "id", MONITORING_ID_MAX, "text", NULL);
	json_t *v = NULL, *t;
	monitoring_answer a;
	portal_buf tags;
	size_t i;
	int refused;

	if (id == NULL)
		return;
	if (ctx->req.is_api ? monitoring_validate(ctx, ctx->req.body, MONITORING_FIELDS_TAGS, &v, NULL) < 0
	                    : tags_refused(ctx, id, &v, NULL)) {
		json_decref(v);
		return;
	}
	portal_buf_init(&tags, 4096);
	json_array_foreach(json_object_get(v, "themes"), i, t)
		portal_buf_printf(&tags, "%s%s", i ? "," : "", json_string_value(t));
	monitoring_store_tags_set(ctx->store, id, tags.len ? tags.data : "", json_is_true(json_object_get(v, "quote")), &a);
	refused = !ctx->req.is_api && tags_refused(ctx, id, &v, &a);
	if (!refused && !monitoring_reply_failed(ctx, &a, "text")) {
		json_t *view = monitoring_text_view(json_object_get(a.data, "text"), json_object_get(a.data, "themes"), time(NULL));
		portal_audit(ctx, "text_tagged", NULL, json_pack("{s:s}", "text", id));
		portal_reply_done(ctx, 200, NULL, json_pack("{s:O, s:O}", "tags", json_object_get(view, "tags"), "quote",
		                  json_object_get(view, "quote")), "/monitoring/texts/%s?done=tagged", id);
		json_decref(view);
	}
	portal_buf_free(&tags);
	monitoring_answer_free(&a);
	json_decref(v);
}
