/* replies.c - what every training handler shares: the path's booking id,
 * who the user is and may manage, the table of the scripts' error codes
 * (HTTP status and message), and the audit of promotions.  The path's
 * number, the 404 and the JSON-or-redirect ending are common/'s (app.h,
 * response.h). */
#include "training.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "jsonget.h"
#include "metrics.h"
#include "replycode.h"
#include "response.h"

/* The scripts' error codes: status and what the person reads. */
static const portal_error_code training_codes[] = {
	{ "not_found", 404, "There is no such training session or booking: check the address." },
	{ "already_booked", 409, "You have already booked this session: see My training." },
	{ "booking_closed", 409, "Booking for this session has closed, so it cannot be booked any more." },
	{ "session_started", 409, "This session has already started, so it cannot be booked or cancelled here any more." },
	{ "session_cancelled", 409, "This session has been cancelled." },
	{ "waitlist_full", 409, "The waitlist for this session is full. Choose another session." },
	{ "already_cancelled", 409, "This has already been cancelled." },
	{ "not_confirmed", 409, "Attendance can be marked only for confirmed places." },
	{ "not_started", 409, "Attendance can be marked once the session has started." },
	{ "attendance_closed", 409, "Attendance can be marked until 14 days after the session; that time has passed." },
	{ "seats_below_confirmed", 409, "The new capacity or seats set aside leave no seat for some people already confirmed. Cancel places first, or keep more seats." },
	{ "forbidden", 403, "You can cancel only your own bookings." },
	{ "not_yours", 403, "Only the person who booked this place can give feedback on it." },
	{ "not_attended", 409, "Feedback can be given once the trainer has marked you as attended at this session; ask the trainer if that is not done yet." },
	{ "session_not_ended", 409, "Feedback can be given once the session has ended: come back after it." },
	{ "outcomes_changed", 409, "The course's learning outcomes changed while you were writing: open the feedback form again and give your answers." },
};
const portal_error_codes training_error_codes = PORTAL_ERROR_CODES_INIT(training_codes);

/* What each action says on the page it ends on (?done=KEY): what happened
 * and what happens next. */
static const struct { const char *key, *heading, *next; } training_done_texts[] = {
	{ "booked", "Your place is booked", "It is in My training, with a calendar file. If you cannot come, cancel your place so that someone on the waiting list gets it." },
	{ "waitlisted", "You are on the waiting list", "If a place frees up for you, it is confirmed and shown in My training. You can leave the waiting list at any time." },
	{ "cancelled", "Your place is cancelled", "The first person on the waiting list, if there is one, gets your place. You can book again while places are left." },
	{ "left", "You have left the waiting list", "You can join it again while booking is open." },
	{ "cancelled-other", "The place is cancelled", "The first person on the waiting list, if there is one, gets the place." },
	{ "dismissed", "The notice is dismissed", "Your bookings are listed below." },
	{ "session-added", "The session is added", "People can book it now; it is listed on the training sessions page." },
	{ "session-changed", "The session is changed", "People who booked see the new details here and in their calendar file." },
	{ "session-cancelled", "The session is cancelled", "Everyone booked or on the waiting list sees that it was cancelled in My training." },
	{ "course-added", "The course is added", "Add a session of it so that people can book." },
	{ "course-changed", "The course is changed", "Its sessions show the new details." },
	{ "feedback", "Thank you: your feedback is saved", "The trainers see it with everyone else's, without your name. You can change it here at any time." },
	{ "attendance", "Attendance is saved", "Attended courses count as completed in the person's My training. You can change a mark until 14 days after the session." },
};

void training_reply_page(portal_ctx *ctx, json_t *data)
{
	const char *key = json_string_value(json_object_get(ctx->req.query, "done"));
	size_t i;

	for (i = 0; key && !ctx->req.is_api && i < sizeof(training_done_texts) / sizeof(training_done_texts[0]); i++)
		if (strcmp(key, training_done_texts[i].key) == 0)
			json_object_set_new(data, "done", json_pack("{s:s, s:s}", "heading", training_done_texts[i].heading,
			                    "next", training_done_texts[i].next));
	portal_reply(ctx, 200, data);
}

int training_param_booking(portal_ctx *ctx, const char *name, const char **bid, long long *session_id)
{
	long long n;

	*bid = portal_path_param(ctx, name, NULL, "booking");
	if (*bid && training_parse_booking_id(*bid, session_id, &n) < 0) {
		portal_reply_not_found(ctx, "booking");
		*bid = NULL;
	}
	return *bid ? 0 : -1;
}

int training_may_manage(const portal_ctx *ctx, const char *agency_id)
{
	const char *mine = portal_user_agency_id(ctx);

	if (portal_user_has(ctx, PORTAL_ROLE_COORDINATOR))
		return 1;
	return portal_user_has(ctx, PORTAL_ROLE_TRAINER) && mine && agency_id && strcmp(mine, agency_id) == 0;
}

const char *training_username(const portal_ctx *ctx)
{
	return portal_json_text(ctx->user, "username");
}

void training_reader_of(const portal_ctx *ctx, training_reader *r)
{
	const char *agency = portal_user_agency_id(ctx);

	r->now = time(NULL);
	r->username = training_username(ctx);
	r->manager = portal_user_has(ctx, PORTAL_ROLE_COORDINATOR) ? "coordinator" :
	             portal_user_has(ctx, PORTAL_ROLE_TRAINER) ? "trainer" : "";
	r->agency = agency ? agency : "";
}

void training_actor_of(const portal_ctx *ctx, training_actor *who)
{
	const json_t *agency = json_object_get(ctx->user, "agency");
	const char *type = portal_user_agency_type(ctx);

	who->username = training_username(ctx);
	who->name = portal_json_text(ctx->user, "name");
	who->agency_id = portal_user_agency_id(ctx) ? portal_user_agency_id(ctx) : "";
	who->agency_name = portal_json_text(agency, "name");
	who->agency_type = type ? type : "";
	who->coordinator = portal_user_has(ctx, PORTAL_ROLE_COORDINATOR);
	who->trainer = portal_user_has(ctx, PORTAL_ROLE_TRAINER);
	who->unit = portal_json_text(ctx->user, "unit");
}

/* Answer error `code` from the table (common/replycode.h) with `detail`
 * (stolen: members added to the API's error object, a booking's state), or
 * 500 for a code the table lacks. */
static void training_reply_code(portal_ctx *ctx, const char *code, json_t *detail)
{
	size_t n = sizeof(training_codes) / sizeof(training_codes[0]);
	const portal_error_code *c = portal_error_code_find(training_codes, n, code);

	if (c && c->status != 403 && detail && ctx->req.is_api) {
		json_t *body = portal_error_json(code, c->message, NULL);
		json_object_update(json_object_get(body, "error"), detail);
		portal_reply(ctx, c->status, body);
	} else if (portal_reply_code(ctx, training_codes, n, code, NULL) < 0)
		portal_reply_internal_error(ctx, code);
	json_decref(detail);
}

int training_reply_failed(portal_ctx *ctx, portal_run_result *res, json_t *detail)
{
	char cause[300];

	if (res->rc == PORTAL_RUN_UNAVAILABLE) {
		json_decref(detail);
		portal_reply_store_unavailable(ctx);
		return 1;
	}
	if (res->rc == PORTAL_RUN_BROKEN) {
		json_decref(detail);
		snprintf(cause, sizeof(cause), "training script: %s", res->cause);
		portal_reply_internal_error(ctx, cause);
		return 1;
	}
	if (portal_run_ok(res)) {
		json_decref(detail);
		return 0;
	}
	training_reply_code(ctx, res->status, detail);
	return 1;
}

void training_audit_promoted(portal_ctx *ctx, const portal_run_result *res)
{
	json_t *promoted = portal_run_json(res, "promoted");
	const json_t *b;
	size_t i;

	json_array_foreach(promoted, i, b) {
		portal_metric_event(ctx, TRAINING_EV_PROMOTED);
		portal_audit(ctx, "training_booking_promoted", NULL,
		             json_pack("{s:s, s:s, s:s}", "booking_id", portal_json_text(b, "id"),
		                       "session_id", portal_json_text(b, "session_id"),
		                       "person", portal_json_text(b, "username")));
	}
	json_decref(promoted);
}

int training_session_for_staff(portal_ctx *ctx, long long id, json_t **session)
{
	portal_run_result res;

	*session = NULL;
	training_store_session_view(ctx->store, id, "", 0, 0, 0, &res);
	if (training_reply_failed(ctx, &res, NULL))
		goto done;
	*session = portal_run_json(&res, "session");
	if (!training_may_manage(ctx, portal_json_text(*session, "agency_id"))) {
		portal_reply_forbidden(ctx, "Only trainers of the agency that runs this course, or a coordinator, can change it.");
		json_decref(*session);
		*session = NULL;
	}
done:
	portal_run_result_free(&res);
	return *session ? 0 : -1;
}
