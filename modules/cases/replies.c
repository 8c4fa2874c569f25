/* replies.c - what every cases handler shares: who the user is (which
 * agency, which unit), the table of the scripts' error codes with their
 * HTTP status and message, the answers with more to say (when an update
 * may be asked for again), validation with the form shown again, and the
 * success banner (see cases.h).
 */
#include "cases.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "jsonget.h"
#include "response.h"

static const portal_error_code cases_codes[] = {
	{ "forbidden", 403, "Only the other side of this case can do this." },
	{ "case_closed", 409, "This case is closed: nothing more can be added to it." },
	{ "already_acknowledged", 409, "This case has been acknowledged already." },
	{ "not_acknowledged", 409, "Acknowledge the case, with your reference, before posting an update." },
	{ "invalid_input", 422, "Check the highlighted fields and try again." },
};
const portal_error_codes cases_error_codes = PORTAL_ERROR_CODES_INIT(cases_codes);

cases_viewer cases_viewer_of(const portal_ctx *ctx)
{
	cases_viewer v;
	const char *agency = portal_user_agency_id(ctx);
	const char *unit = portal_json_text(ctx->user, "unit");

	v.username = portal_json_text(ctx->user, "username");
	v.agency = portal_user_has(ctx, CASES_NGO) && agency ? agency : "";
	v.unit = cases_unit_find(unit) ? unit : "";
	v.coordinator = portal_user_has(ctx, CASES_COORD);
	return v;
}

/* 409 with the time (answer pair `name`) when it may be asked again. */
static void reply_not_yet(portal_ctx *ctx, const cases_answer *a, const char *name, const char *text)
{
	char words[80], msg[256];

	portal_time_words((time_t)portal_json_num(a->data, name), time(NULL), words, sizeof(words));
	snprintf(msg, sizeof(msg), "%s You can ask from %s.", text, words);
	portal_reply_error(ctx, 409, a->status, msg, NULL);
}

int cases_reply_failed(portal_ctx *ctx, cases_answer *a)
{
	char cause[300];

	if (a->rc == PORTAL_RUN_UNAVAILABLE) {
		portal_reply_store_unavailable(ctx);
		return 1;
	}
	if (a->rc == PORTAL_RUN_BROKEN) {
		snprintf(cause, sizeof(cause), "cases script: %s", a->cause);
		portal_reply_internal_error(ctx, cause);
		return 1;
	}
	if (cases_answer_ok(a))
		return 0;
	if (strcmp(a->status, "not_found") == 0)
		portal_reply_not_found(ctx, "case");
	else if (strcmp(a->status, "update_not_due") == 0)
		reply_not_yet(ctx, a, "due_at", "An update can be asked for once a case has had none for 28 days.");
	else if (strcmp(a->status, "update_requested_recently") == 0)
		reply_not_yet(ctx, a, "again_at", "An update was asked for less than a week ago.");
	else if (portal_reply_code(ctx, cases_codes, CASES_COUNT(cases_codes), a->status, NULL) < 0)
		portal_reply_internal_error(ctx, a->status);
	return 1;
}

int cases_validate(portal_ctx *ctx, const json_t *input, portal_fields t, json_t **valid, json_t *page)
{
	json_t *errors = NULL;

	if (portal_validate(input, t, valid, &errors) == 0) {
		json_decref(page);
		return 0;
	}
	json_decref(*valid);
	*valid = NULL;
	if (page == NULL)
		page = json_object();
	if (json_is_object(input))
		json_object_set_new(page, "typed", json_deep_copy(input));
	portal_reply_invalid(ctx, errors, page);
	return -1;
}

json_t *cases_done(const portal_ctx *ctx)
{
	static const char *const words[][2] = {
		{ "shared", "The case is shared with the unit" },
		{ "acknowledge", "The case is acknowledged" },
		{ "update", "Your update is posted" },
		{ "reply", "Your reply is posted" },
		{ "request_update", "The unit is asked for an update" },
		{ "close", "The case is closed" },
		{ "note", "Your note is added beside the figures" },
	};
	const char *done = portal_json_text(ctx->req.query, "done");
	size_t i;

	for (i = 0; i < CASES_COUNT(words); i++)
		if (strcmp(done, words[i][0]) == 0)
			return json_pack("{s:s}", "heading", words[i][1]);
	return NULL;
}
