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

void monitoring_themes_list(portal_ctx *ctx)
{
	monitoring_answer a;

	monitoring_store_texts(ctx->store, &a);
	if (!monitoring_reply_failed(ctx, &a, "themes")) {
		json_t *views = texts_of(&a);
		portal_reply(ctx, 200, json_pack("{s:o, s:o*}", "themes", themes_of(&a, views),
		             "done", monitoring_done(ctx)));
		json_decref(views);
	}
	monitoring_answer_free(&a);
}

void monitoring_theme_create(portal_ctx *ctx)
{
	json_t *v = NULL;
	monitoring_answer a;

	if (monitoring_validate(ctx, ctx->req.body, MONITORING_FIELDS_THEME, &v,
	                        ctx->req.is_api ? NULL : json_pack("{s:O}", "form", ctx->req.body)) < 0)
		return;
	monitoring_store_theme_save(ctx->store, "", portal_json_text(v, "name"), &a);
	if (!monitoring_reply_failed(ctx, &a, "theme")) {
		portal_audit(ctx, "theme_added", NULL, json_pack("{s:O}", "theme", json_object_get(a.data, "id")));
		portal_reply_done(ctx, 201, "theme", json_pack("{s:O, s:O}", "id", json_object_get(a.data, "id"), "name",
		                  json_object_get(v, "name")), "/monitoring/themes?done=theme-added");
	}
	monitoring_answer_free(&a);
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

/* The tag form of text view `view`: every theme [{id, name, checked}]. */
static json_t *tag_choices(const json_t *themes, const json_t *view)
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
	return out;
}

void monitoring_text_get(portal_ctx *ctx)
{
	monitoring_answer a;

	if (monitoring_load(ctx, monitoring_store_text_read, "text", &a) != NULL) {
		json_t *view = monitoring_text_view(json_object_get(a.data, "text"), json_object_get(a.data, "themes"), time(NULL));
		json_t *themes = themes_of(&a, NULL);
		portal_reply(ctx, 200, json_pack("{s:o, s:o, s:o*}", "text", view, "choices", tag_choices(themes, view),
		                                 "done", monitoring_done(ctx)));
		json_decref(themes);
	}
	monitoring_answer_free(&a);
}

void monitoring_tags_put(portal_ctx *ctx)
{
	const char *id = portal_path_number(ctx, "id", MONITORING_ID_MAX, "text", NULL);
	json_t *v = NULL, *t;
	monitoring_answer a;
	portal_buf tags;
	size_t i;

	if (id == NULL || monitoring_validate(ctx, ctx->req.body, MONITORING_FIELDS_TAGS, &v, NULL) < 0)
		return;
	portal_buf_init(&tags, 4096);
	json_array_foreach(json_object_get(v, "themes"), i, t)
		portal_buf_printf(&tags, "%s%s", i ? "," : "", json_string_value(t));
	monitoring_store_tags_set(ctx->store, id, tags.len ? tags.data : "", json_is_true(json_object_get(v, "quote")), &a);
	if (!monitoring_reply_failed(ctx, &a, "text")) {
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
