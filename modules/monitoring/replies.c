/* replies.c - what every monitoring handler shares: who the user is, the
 * table of the scripts' error codes, validation with the page again, and
 * the success banners (monitoring.h). */
#include "monitoring.h"

#include <stdio.h>
#include <string.h>

#include "jsonget.h"
#include "response.h"

/* The scripts' error codes: a status and what the person reads. */
static const portal_error_code monitoring_codes[] = {
	{ "forbidden", 403, "Only the person who sent this observation can change its words." },
	{ "term_taken", 409, "Another entry of the language guide already has this term or one of these forms of it: change that entry instead." },
	{ "guide_full", 409, "The language guide holds at most 200 entries. Remove one that is no longer needed first." },
	{ "theme_taken", 409, "There is already a theme with this name." },
	{ "themes_full", 409, "There can be at most 100 themes. Remove one that is no longer used first." },
	{ "unknown_theme", 422, "One of the themes chosen no longer exists: reload the page and choose again." },
	{ "invalid_input", 422, "Check the highlighted fields and try again." },
};
const portal_error_codes monitoring_error_codes = PORTAL_ERROR_CODES_INIT(monitoring_codes);

const char *monitoring_username(const portal_ctx *ctx)
{
	return portal_json_text(ctx->user, "username");
}

int monitoring_reply_failed(portal_ctx *ctx, const monitoring_answer *a, const char *what)
{
	char cause[300];

	if (a->run.rc == PORTAL_RUN_UNAVAILABLE) {
		portal_reply_store_unavailable(ctx);
	} else if (a->run.rc == PORTAL_RUN_BROKEN) {
		snprintf(cause, sizeof(cause), "monitoring script: %s", a->run.cause);
		portal_reply_internal_error(ctx, cause);
	} else if (monitoring_answer_ok(a)) {
		return 0;
	} else if (strcmp(MONITORING_STATUS(a), "not_found") == 0) {
		portal_reply_not_found(ctx, what);
	} else if (portal_reply_code(ctx, monitoring_codes, MONITORING_COUNT(monitoring_codes), MONITORING_STATUS(a), NULL) < 0) {
		portal_reply_internal_error(ctx, MONITORING_STATUS(a));
	}
	return 1;
}

int monitoring_validate(portal_ctx *ctx, const json_t *input, monitoring_form form, json_t **valid,
                        json_t *page)
{
	json_t *errors = NULL;

	if (portal_validate(input, monitoring_fields[form], valid, &errors) < 0) {
		json_decref(*valid);
		*valid = NULL;
		portal_reply_invalid(ctx, errors, page);
		return -1;
	}
	json_decref(page);
	return 0;
}

const char *monitoring_load(portal_ctx *ctx, monitoring_reader read, const char *what, monitoring_answer *a)
{
	const char *id = portal_path_number(ctx, "id", MONITORING_ID_MAX, what, NULL);

	a->data = NULL;
	memset(&a->run, 0, sizeof(a->run));
	if (id == NULL)
		return NULL;
	read(ctx->store, id, a);
	if (monitoring_reply_failed(ctx, a, what)) {
		monitoring_answer_free(a);
		return NULL;
	}
	return id;
}

/* What each change says it did, by the "done" word its redirect carries. */
static const struct monitoring_done_words {
	const char *code, *heading, *next;
} monitoring_done_words[] = {
	{ "sent", "Thank you: your observation is with the coordinators", NULL },
	{ "changed", "Your observation is changed", NULL },
	{ "entry-added", "The entry is added to the language guide", "Every form that checks its text uses it now." },
	{ "entry-changed", "The entry is changed", "Every form that checks its text uses it now." },
	{ "entry-removed", "The entry is removed from the language guide", NULL },
	{ "theme-added", "The theme is added", NULL },
	{ "theme-removed", "The theme is removed, and its tags with it", NULL },
	{ "tagged", "The themes are saved", NULL },
};

json_t *monitoring_done(const portal_ctx *ctx)
{
	const char *done = json_string_value(json_object_get(ctx->req.query, "done"));
	size_t i;

	for (i = 0; done && i < MONITORING_COUNT(monitoring_done_words); i++)
		if (strcmp(done, monitoring_done_words[i].code) == 0)
			return json_pack("{s:s, s:s*}", "heading", monitoring_done_words[i].heading, "next",
			                 monitoring_done_words[i].next);
	return NULL;
}
