/* languages.c - the order the directory lists languages in: the languages
 * coordinators put first (stored; by default common/reference.c's first
 * block, the languages of the nationalities most often referred to the
 * NRM), then every other language by English name.  A page and an API call
 * to change which come first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "directory.h"
#include "jsonget.h"
#include "langorder.h"
#include "reference.h"
#include "response.h"

#define DIRECTORY_LANGUAGES_FIRST_MAX 40

/* The offered language a person wrote: its tag, or its English or own
 * name (any case), or NULL. */
static const portal_language *directory_language_written(const char *s)
{
	const portal_language *l = portal_language_find(s);

	if (l && l >= portal_languages && l < portal_languages + portal_languages_count)
		return l;
	return portal_language_by_name(s);
}

/* The answer and the page's data: "first" (tags), "languages" in order
 * [{code, name, own_name?}], and for the page the first ones' names one a
 * line (the form's text). */
static json_t *directory_languages_data(portal_ctx *ctx)
{
	size_t i, nfirst = 0;
	json_t *order = portal_language_order(ctx->store, &nfirst), *list = json_array(), *first = json_array(), *v;
	portal_buf text;

	portal_buf_init(&text, 0);
	json_array_foreach(order, i, v) {
		const portal_language *l = portal_language_find(json_string_value(v));
		json_t *o = json_pack("{s:s, s:s}", "code", l->code, "name", l->name);
		if (l->own_name)
			json_object_set_new(o, "own_name", json_string(l->own_name));
		json_array_append_new(list, o);
	}
	for (i = 0; i < nfirst && i < json_array_size(order); i++) {
		json_array_append(first, json_array_get(order, i));
		portal_buf_printf(&text, "%s%s", i ? "\n" : "", portal_language_name(json_string_value(json_array_get(order, i))));
	}
	json_decref(order);
	v = json_pack("{s:o, s:o}", "first", first, "languages", list);
	if (!ctx->req.is_api)
		json_object_set_new(v, "form", json_pack("{s:s}", "first", text.data ? text.data : ""));
	portal_buf_free(&text);
	return v;
}

/* GET /directory/languages and /api/v1/directory/languages. */
void directory_languages_get(portal_ctx *ctx)
{
	json_t *data = directory_languages_data(ctx);

	if (!ctx->req.is_api && json_object_get(ctx->req.query, "saved"))
		json_object_set_new(data, "done", json_pack("{s:s, s:s}", "heading", "The order of the languages has been saved.",
		        "next", "The directory's search and forms now list these languages first, then every other language by English name."));
	portal_reply(ctx, 200, data);
}

/* The tags of what was sent as "first": the API's list of tags, or the
 * page's text (one language a line, by name or tag).  NULL with a message
 * in `err` when one is not a language, repeats, or there are too many. */
static json_t *directory_languages_read(const json_t *sent, char *err, size_t errlen)
{
	json_t *out = json_array(), *items = json_array(), *v;
	size_t i, k;

	if (json_is_array(sent))
		json_array_foreach(sent, i, v)
			json_array_append(items, v);
	else if (json_is_string(sent)) {
		const char *s = json_string_value(sent), *nl;
		for (; *s; s = *nl ? nl + 1 : nl) {
			size_t len;
			nl = strchr(s, '\n');
			if (nl == NULL)
				nl = s + strlen(s);
			len = (size_t)(nl - s);
			while (len && strchr(" \t\r,", s[len - 1]))
				len--;
			while (len && strchr(" \t", *s)) {
				s++;
				len--;
			}
			if (len)
				json_array_append_new(items, json_stringn(s, len));
		}
	}
	err[0] = '\0';
	if (json_array_size(items) == 0)
		snprintf(err, errlen, "Enter at least one language to list first, one a line");
	else if (json_array_size(items) > DIRECTORY_LANGUAGES_FIRST_MAX)
		snprintf(err, errlen, "Enter at most %d languages to list first", DIRECTORY_LANGUAGES_FIRST_MAX);
	json_array_foreach(items, i, v) {
		const portal_language *l = json_is_string(v) ? directory_language_written(json_string_value(v)) : NULL;
		if (err[0])
			break;
		if (l == NULL) {
			snprintf(err, errlen, "Enter languages by their English name, such as Albanian: \"%.40s\" is not one we know",
			         json_is_string(v) ? json_string_value(v) : "?");
			break;
		}
		json_array_foreach(out, k, v)
			if (strcmp(json_string_value(v), l->code) == 0)
				snprintf(err, errlen, "Enter each language once: %s is there twice", l->name);
		json_array_append_new(out, json_string(l->code));
	}
	json_decref(items);
	if (err[0]) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* POST /directory/languages and PUT /api/v1/directory/languages
 * ({"first": [tags]}): coordinators choose the languages listed first. */
void directory_languages_put(portal_ctx *ctx)
{
	char err[200];
	json_t *first = directory_languages_read(json_object_get(ctx->req.body, "first"), err, sizeof(err));

	if (first == NULL) {
		json_t *data = NULL;
		if (!ctx->req.is_api) {
			data = directory_languages_data(ctx);
			json_object_set_new(json_object_get(data, "form"), "first", json_is_string(json_object_get(ctx->req.body, "first"))
			                    ? json_incref(json_object_get(ctx->req.body, "first")) : json_string(""));
		}
		portal_reply_invalid(ctx, json_pack("{s:s}", "first", err), data);
		return;
	}
	if (portal_language_order_save(ctx->store, first, 0) < 0) {
		json_decref(first);
		portal_reply_store_unavailable(ctx);
		return;
	}
	portal_audit(ctx, "directory_language_order", NULL, json_pack("{s:O}", "first", first));
	json_decref(first);
	portal_reply_done(ctx, 200, NULL, directory_languages_data(ctx), "/directory/languages?saved=1");
}
