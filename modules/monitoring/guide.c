/* guide.c - the language guide: everyone reads it (its page is linked from
 * the training catalogue), coordinators add, change and remove entries,
 * and the notes of a text as it is typed.  Every change is published for
 * the other modules (common/langnotes.h) before it is answered. */
#include "monitoring.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "jsonget.h"
#include "langnotes.h"
#include "log.h"
#include "response.h"

/* The entry form's page: adding (id NULL) or changing entry id, with
 * `form` (stolen) shown again. */
static json_t *guide_form_page(const char *id, json_t *form)
{
	char action[96];

	if (id)
		snprintf(action, sizeof(action), "/monitoring/language-guide/%s/edit", id);
	else
		snprintf(action, sizeof(action), "/monitoring/language-guide");
	return json_pack("{s:o, s:s, s:b, s:s*}", "form", form ? form : json_object(), "action", action,
	                 "is_edit", id != NULL, "id", id);
}

/* The request's entry as validation takes it: a form's "variants" (one
 * text, split at commas) as a list.  New reference. */
static json_t *guide_input(const portal_ctx *ctx)
{
	json_t *in = json_deep_copy(ctx->req.body);
	const char *variants = json_string_value(json_object_get(in, "variants"));

	if (in && variants)
		json_object_set_new(in, "variants", monitoring_split_list(variants));
	return in;
}

void monitoring_guide_list(portal_ctx *ctx)
{
	monitoring_answer a;

	monitoring_store_guide_read(ctx->store, "", &a);
	if (!monitoring_reply_failed(ctx, &a, "language guide"))
		portal_reply(ctx, 200, json_pack("{s:O, s:O, s:b, s:o*}", "guide", json_object_get(a.data, "guide"),
		             "version", json_object_get(a.data, "version"),
		             "may_change", portal_user_has(ctx, MONITORING_COORD), "done", monitoring_done(ctx)));
	monitoring_answer_free(&a);
}

void monitoring_guide_new_form(portal_ctx *ctx)
{
	portal_reply(ctx, 200, guide_form_page(NULL, NULL));
}

/* Read entry {id} into *a (monitoring_load). */
static const char *guide_entry_load(portal_ctx *ctx, monitoring_answer *a)
{
	return monitoring_load(ctx, monitoring_store_guide_read, "entry of the language guide", a);
}

void monitoring_guide_get(portal_ctx *ctx)
{
	monitoring_answer a;

	if (guide_entry_load(ctx, &a) == NULL)
		return;
	portal_reply(ctx, 200, json_pack("{s:O}", "entry", json_object_get(a.data, "entry")));
	monitoring_answer_free(&a);
}

void monitoring_guide_edit_form(portal_ctx *ctx)
{
	monitoring_answer a;
	const char *id = guide_entry_load(ctx, &a);

	if (id == NULL)
		return;
	portal_reply(ctx, 200, guide_form_page(id, monitoring_guide_form_of(json_object_get(a.data, "entry"))));
	monitoring_answer_free(&a);
}

/* Save entry id ("" adds one; entry NULL removes it), publish the guide
 * and end with `status` (the entry under "entry"), or the page `done`.
 * On a refusal the form again with what was typed. */
static void guide_write(portal_ctx *ctx, const char *id, const json_t *entry, int status, const char *done)
{
	monitoring_answer a;

	monitoring_store_guide_save(ctx->store, id, entry, &a);
	if (!ctx->req.is_api && entry && monitoring_answer_ok(&a) == 0 && strcmp(MONITORING_STATUS(&a), "term_taken") == 0) {
		json_t *errors = json_pack("{s:s}", "term", "Another entry already has this term or one of these forms "
		                           "of it: change that entry instead.");
		portal_reply_invalid(ctx, errors, guide_form_page(id[0] ? id : NULL, json_deep_copy(ctx->req.body)));
	} else if (!monitoring_reply_failed(ctx, &a, "entry of the language guide")) {
		if (monitoring_publish(ctx->store, &a) < 0)
			portal_log(PORTAL_LOG_WARN, "language guide saved but not published: the next housekeeping run publishes it", NULL);
		portal_audit(ctx, entry ? "language_guide_saved" : "language_guide_removed", NULL,
		             entry ? json_pack("{s:O?}", "entry", json_object_get(json_object_get(a.data, "entry"), "id"))
		                   : json_pack("{s:s}", "entry", id));
		if (status == 204 || !ctx->req.is_api)
			portal_reply_done(ctx, 204, NULL, NULL, "/monitoring/language-guide?done=%s", done);
		else
			portal_reply_done(ctx, status, "entry", json_incref(json_object_get(a.data, "entry")), "/");
	}
	monitoring_answer_free(&a);
}

/* Validate the request's entry; on success write it as guide_write. */
static void guide_save(portal_ctx *ctx, const char *id, int status, const char *done)
{
	json_t *in = guide_input(ctx), *v = NULL;

	if (monitoring_validate(ctx, in, MONITORING_FIELDS_GUIDE, &v,
	                        ctx->req.is_api ? NULL : guide_form_page(id[0] ? id : NULL, json_deep_copy(ctx->req.body))) == 0) {
		if (json_object_get(v, "variants") == NULL)
			json_object_set_new(v, "variants", json_array());
		guide_write(ctx, id, v, status, done);
	}
	json_decref(v);
	json_decref(in);
}

void monitoring_guide_create(portal_ctx *ctx)
{
	guide_save(ctx, "", 201, "entry-added");
}

void monitoring_guide_update(portal_ctx *ctx)
{
	const char *id = portal_path_number(ctx, "id", MONITORING_ID_MAX, "entry of the language guide", NULL);

	if (id)
		guide_save(ctx, id, 200, "entry-changed");
}

void monitoring_guide_remove(portal_ctx *ctx)
{
	const char *id = portal_path_number(ctx, "id", MONITORING_ID_MAX, "entry of the language guide", NULL);

	if (id)
		guide_write(ctx, id, NULL, 204, "entry-removed");
}

void monitoring_guide_check(portal_ctx *ctx)
{
	json_t *v = NULL;
	const char *text;

	if (monitoring_validate(ctx, ctx->req.body, MONITORING_FIELDS_CHECK, &v, NULL) < 0)
		return;
	text = portal_json_text(v, "text");
	portal_reply(ctx, 200, json_pack("{s:o}", "language_notes", portal_language_notes_of(ctx->store, text, strlen(text))));
	json_decref(v);
}
