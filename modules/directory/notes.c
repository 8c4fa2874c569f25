/* notes.c - the language guide on every free-text field of the directory
 * (issue 18 item 4): a service's name, description, opening times,
 * out-of-hours cover, referral steps, contact and response time; an
 * organisation's name and description; a pathway's title, summary and
 * steps; a suggestion; a coordinator's reason for a decision.  The answer
 * to each write carries language_notes over all its free-text fields, and
 * the page after saving shows each term found with its preferred wording,
 * its reason and a link to change the text
 * (common/templates/language_notes.mustache).  It never stops a save.
 */
#include "directory.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "jsonget.h"
#include "langnotes.h"

/* The free-text fields of each kind, as paths into the record ("a.b":
 * member b of object a; an array on the way: each of its items). */
static const char *const *const directory_text_paths[DIRECTORY_TEXTS_COUNT] = {
	[DIRECTORY_TEXTS_SERVICE] = (const char *const[]){ "name", "description", "hours.opening", "hours.out_of_hours",
		"how_to_refer.steps", "how_to_refer.contact", "how_to_refer.response_time", NULL },
	[DIRECTORY_TEXTS_ORGANISATION] = (const char *const[]){ "name", "description", NULL },
	[DIRECTORY_TEXTS_PATHWAY] = (const char *const[]){ "title", "summary", "steps.text", NULL },
	[DIRECTORY_TEXTS_SUGGESTION] = (const char *const[]){ "text", NULL },
	[DIRECTORY_TEXTS_DECISION] = (const char *const[]){ "reason", NULL },
};

/* Append the strings at `path` under v to out, each after a line with a
 * full stop (so no phrase of the guide runs from one field into the next). */
static void directory_texts_at(const json_t *v, const char *path, portal_buf *out)
{
	const char *dot = strchr(path, '.');
	char name[40];
	const json_t *item;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach(v, i, item)
			directory_texts_at(item, path, out);
		return;
	}
	if (path[0] == '\0') {
		if (json_is_string(v)) {
			portal_buf_puts(out, "\n.\n");
			portal_buf_append(out, json_string_value(v), json_string_length(v));
		}
		return;
	}
	if (!json_is_object(v))
		return;
	snprintf(name, sizeof(name), "%.*s", dot ? (int)(dot - path) : (int)strlen(path), path);
	directory_texts_at(json_object_get(v, name), dot ? dot + 1 : "", out);
}

json_t *directory_language_notes(portal_store *st, const json_t *record, directory_texts kind)
{
	const char *const *p;
	json_t *notes;
	portal_buf text;

	portal_buf_init(&text, 64 * 1024);  /* a service's text is at most about 8 kB */
	for (p = directory_text_paths[kind]; *p; p++)
		directory_texts_at(record, *p, &text);
	notes = portal_language_notes_of(st, text.data ? text.data : "", text.data ? text.len : 0);
	portal_buf_free(&text);
	return notes ? notes : json_array();
}

void directory_saved_notes(portal_store *st, json_t *data, const json_t *record, directory_texts kind,
                           const char *change_href, const char *change_words)
{
	json_t *notes = directory_language_notes(st, record, kind);

	if (json_array_size(notes) == 0) {
		json_decref(notes);
		return;
	}
	json_object_set_new(data, "saved_notes", json_pack("{s:o, s:s?, s:s?}", "language_notes", notes,
	                    "change_href", change_href, "change_words", change_words));
}

json_t *directory_with_notes(portal_ctx *ctx, json_t *answer, const json_t *record, directory_texts kind)
{
	if (ctx->req.is_api && json_is_object(answer))
		json_object_set_new(answer, "language_notes", directory_language_notes(ctx->store, record, kind));
	return answer;
}

int directory_saved_record(portal_ctx *ctx, const char *param, const char *kind, const char *by_key,
                           const char *about_key, const char *about, json_t **out)
{
	const char *id = portal_json_text(ctx->req.query, param);

	*out = NULL;
	if (!directory_uuid_valid(id) || directory_store_get(ctx->store, kind, id, out) != 1)
		return -1;
	if (strcmp(portal_json_text(*out, by_key), portal_json_text(ctx->user, "username")) != 0 ||
	    (about_key && strcmp(portal_json_text(*out, about_key), about) != 0)) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* The notes of a service's or an organisation's text its editor just
 * saved (?updated) or proposed (?change=ID), linking to its edit form
 * /directory/PATH/ID/edit.  1 when the query named one of them. */
static int directory_edit_notes(portal_ctx *ctx, json_t *data, const json_t *record, directory_texts kind,
                                const char *path, const char *id, const char *about_key, const char *words)
{
	char edit[96];
	json_t *saved = NULL;
	int named = 1;

	snprintf(edit, sizeof(edit), "/directory/%s/%s/edit", path, id);
	if (json_object_get(ctx->req.query, "updated") && json_is_true(json_object_get(data, "may_edit")))
		directory_saved_notes(ctx->store, data, record, kind, edit, words);
	else if (directory_saved_record(ctx, "change", "chg", "proposed_by", about_key, id, &saved) == 0)
		directory_saved_notes(ctx->store, data, json_object_get(saved, "proposed"), kind, edit,
		                      "Change the text and send the change again");
	else
		named = 0;
	json_decref(saved);
	return named;
}

void directory_service_notes(portal_ctx *ctx, json_t *data, const json_t *svc, const char *id)
{
	json_t *saved = NULL;

	if (directory_edit_notes(ctx, data, svc, DIRECTORY_TEXTS_SERVICE, "services", id, "service_id",
	                         "Change the service's text"))
		return;
	if (directory_saved_record(ctx, "suggestion", "sug", "suggested_by", "service_id", id, &saved) == 0) {
		directory_saved_notes(ctx->store, data, saved, DIRECTORY_TEXTS_SUGGESTION, "#suggest",
		                      "Send the suggestion again with other words");
		if (json_object_get(data, "saved_notes"))  /* the form below starts with the words sent */
			json_object_set_new(data, "form", json_pack("{s:O}", "text", json_object_get(saved, "text")));
	}
	json_decref(saved);
}

void directory_org_notes(portal_ctx *ctx, json_t *data, const json_t *org, const char *id)
{
	directory_edit_notes(ctx, data, org, DIRECTORY_TEXTS_ORGANISATION, "organisations", id, "organisation_id",
	                     "Change the organisation's text");
}
