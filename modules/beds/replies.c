/* replies.c - what every beds handler shares: who the user is, the table
 * of the scripts' error codes (HTTP status and message), the answers with
 * more to say than the table (not found, held beds, too many holds),
 * validation and the page's error summary (see beds.h).  The path's id,
 * the 404 and the JSON-or-redirect ending are common/'s (app.h,
 * response.h). */
#include "beds.h"

#include <stdio.h>
#include <string.h>

#include "jsonget.h"
#include "metrics.h"
#include "replycode.h"
#include "response.h"

/* The scripts' error codes that need no more than a status and message. */
static const portal_error_code beds_codes[] = {
	{ "forbidden", 403, "Only staff of the agency that runs this safehouse can do this." },
	{ "no_bed_available", 409, "There is no available bed in this group now: another responder may have just held it. Search again for another safehouse." },
	{ "already_extended", 409, "A hold can be extended once, and this one has been." },
	{ "too_many_safehouses", 409, "The portal holds at most 500 safehouses. Ask a coordinator to remove unused ones." },
	{ "invalid_input", 422, "Check the highlighted fields and try again." },
	{ "hold_open", 409, "This hold is still open: say what happened once it has been accepted, declined, cancelled or has expired." },
};
const portal_error_codes beds_error_codes = PORTAL_ERROR_CODES_INIT(beds_codes);

const char *beds_username(const portal_ctx *ctx)
{
	return portal_json_text(ctx->user, "username");
}

const char *beds_user_words(const portal_ctx *ctx, const char *what)
{
	const char *type = portal_user_agency_type(ctx);

	if (strcmp(what, "agency") == 0)
		return portal_json_text(json_object_get(ctx->user, "agency"), "name");
	if (strcmp(what, "agency_type") == 0)
		return type ? type : "";
	if (strcmp(what, "unit") == 0)
		return portal_json_text(ctx->user, "unit");
	return portal_json_text(ctx->user, "name");
}

int beds_is_owner(const portal_ctx *ctx, const char *agency)
{
	const char *mine = portal_user_agency_id(ctx);
	return portal_user_has(ctx, BEDS_NGO) && mine && agency && strcmp(mine, agency) == 0;
}

void beds_holds_pending_message(const beds_answer *a, char *msg, size_t len)
{
	const char *g = portal_json_text(a->data, "group");
	long long held = portal_json_num(a->data, "held");

	if (held == 1)
		snprintf(msg, len, "%s: 1 bed is held for a referral. Answer that hold first (accept or decline it), then change the number.",
		         beds_group_label(g));
	else
		snprintf(msg, len, "%s: %lld beds are held for referrals. Answer those holds first (accept or decline them), then change the number.",
		         beds_group_label(g), held);
}

/* Answer error code a->status: the table's, or one with more to say. */
static void beds_reply_code(portal_ctx *ctx, const beds_answer *a, const char *what)
{
	const char *err = a->status;
	char msg[256], ra[24];

	if (strcmp(err, "not_found") == 0) {
		portal_reply_not_found(ctx, what);
	} else if (strcmp(err, "holds_pending") == 0) {
		const char *g = portal_json_text(a->data, "group");
		beds_holds_pending_message(a, msg, sizeof(msg));
		portal_reply_error(ctx, 409, "holds_pending", msg, json_pack("{s:s}", *g ? g : "group", msg));
	} else if (strcmp(err, "too_many_holds") == 0) {
		snprintf(ra, sizeof(ra), "%lld", portal_json_num(a->data, "retry_after"));
		portal_header_add(ctx, "Retry-After", ra);
		snprintf(msg, sizeof(msg), "You already have %d beds on hold. Cancel a hold you no longer need, or wait for an answer, then try again.",
		         beds_config_get()->max_pending);
		portal_reply_error(ctx, 429, "too_many_holds", msg, NULL);
	} else if (strcmp(err, "hold_not_pending") == 0) {
		const char *status = portal_json_text(a->data, "status");
		snprintf(msg, sizeof(msg), "This hold is no longer waiting for an answer: its status is now \u201c%s\u201d.",
		         *status ? beds_status_label(status) : "Closed");
		portal_reply_error(ctx, 409, "hold_not_pending", msg, NULL);
	} else {
		if (strcmp(err, "no_bed_available") == 0)
			portal_metric_event(ctx, BEDS_EV_NO_BED_AVAILABLE);
		if (portal_reply_code(ctx, beds_codes, BEDS_COUNT(beds_codes), err,
		                      json_incref(json_object_get(a->data, "fields"))) < 0)
			portal_reply_internal_error(ctx, err);
	}
}

int beds_reply_failed(portal_ctx *ctx, beds_answer *a, const char *what)
{
	char cause[300];

	if (a->rc == PORTAL_RUN_UNAVAILABLE) {
		portal_reply_store_unavailable(ctx);
		return 1;
	}
	if (a->rc == PORTAL_RUN_BROKEN) {
		snprintf(cause, sizeof(cause), "beds script: %s", a->cause);
		portal_reply_internal_error(ctx, cause);
		return 1;
	}
	beds_audit_expired(ctx, a);
	if (beds_answer_ok(a))
		return 0;
	beds_reply_code(ctx, a, what);
	return 1;
}

int beds_validate(portal_ctx *ctx, const json_t *input, portal_fields t, json_t **valid, json_t *page)
{
	json_t *errors = NULL;

	if (portal_validate(input, t, valid, &errors) < 0) {
		json_decref(*valid);
		*valid = NULL;
		if (page && json_is_object(input))
			json_object_set(page, "form", (json_t *)input);
		portal_reply_invalid(ctx, errors, page);
		return -1;
	}
	json_decref(page);
	return 0;
}

void beds_href_field(const char *field, char *out, size_t len)
{
	snprintf(out, len, "#%s", field);
}

void beds_reply_page_errors(portal_ctx *ctx, int status, json_t *errors, json_t *page,
                            void (*href)(const char *field, char *out, size_t len))
{
	json_t *list = json_array(), *msg;
	const char *field;
	char link[96];

	if (!json_is_object(page)) {
		json_decref(page);
		page = json_object();
	}
	json_object_foreach(errors, field, msg) {
		href(field, link, sizeof(link));
		json_array_append_new(list, json_pack("{s:O, s:s}", "text", msg, "href", link));
	}
	json_object_set_new(page, "has_errors", json_true());
	json_object_set_new(page, "error_list", list);
	json_object_set_new(page, "errors", errors ? errors : json_object());
	portal_reply(ctx, status, page);
}

/* What each action that changes something says it did and what happens
 * next, by the "done" word its redirect carries. */
static const struct beds_done_words {
	const char *code, *heading, *next;
} beds_done_words[] = {
	{ "placed", "The bed is held for you",
	  "Call the safehouse's referral line now to make the referral. The safehouse accepts or declines the hold; "
	  "if it has not answered in time, the bed is released." },
	{ "accept", "You accepted the hold: the bed is taken",
	  "Call the responder back on the number below to arrange the arrival. The vacant beds went down by one." },
	{ "decline", "You declined the hold",
	  "The bed is free again for other responders. The responder sees your reason on this page." },
	{ "cancel", "You cancelled the hold",
	  "The bed is free again for other responders. Search again if you still need a bed." },
	{ "extend", "The hold is extended",
	  "The safehouse has until the new time below to answer. A hold can be extended once." },
	{ "vacancies", "Vacant beds saved", "Responders searching now see these numbers, marked up to date." },
	{ "confirm", "You confirmed the numbers are still accurate", "Responders searching now see them marked up to date." },
	{ "saved", "Safehouse details saved", "Responders see the changes now." },
	{ "outcome", "What happened is saved",
	  "Thank you: the coordinators count outcomes, and read notes, to see how referrals go." },
};

json_t *beds_done(const portal_ctx *ctx)
{
	const char *done = json_string_value(json_object_get(ctx->req.query, "done"));
	size_t i;

	for (i = 0; done && i < BEDS_COUNT(beds_done_words); i++)
		if (strcmp(done, beds_done_words[i].code) == 0)
			return json_pack("{s:s, s:s}", "heading", beds_done_words[i].heading, "next", beds_done_words[i].next);
	return NULL;
}
