/* feedback.c - training feedback (issue 18): the person who attended a
 * session says how confident they were before and after in each of the
 * course's learning outcomes, how useful it was, and what they will do
 * differently (guarded against personal data; the language guide's notes
 * come back with the answer and on the page after saving, and never stop
 * the save).  Its trainers and the coordinators see the session's
 * feedback without names. */
#include "training.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "jsonget.h"
#include "langnotes.h"
#include "response.h"
#include "validate.h"

/* A booking with what feedback needs: the stored booking and session, the
 * course's learning outcomes and the feedback given (NULL when none). */
typedef struct feedback_booking {
	const char *id;          /* the path's booking id (owned by the request) */
	long long   session_id;
	json_t     *booking, *session, *outcomes, *given;
} feedback_booking;

static void feedback_booking_free(feedback_booking *fb)
{
	json_decref(fb->booking);
	json_decref(fb->session);
	json_decref(fb->outcomes);
	json_decref(fb->given);
}

/* Load booking {id} for its own person, who may give feedback on it: 404
 * when there is none, 403 when it is another person's, 409 (in words)
 * before the person was marked attended or before the session ended.
 * Returns 0, or -1 after answering (fb freed). */
static int feedback_booking_load(portal_ctx *ctx, feedback_booking *fb)
{
	portal_run_result res;
	const char *code = NULL;

	memset(fb, 0, sizeof(*fb));
	if (training_param_booking(ctx, "id", &fb->id, &fb->session_id) < 0)
		return -1;
	training_store_booking_view(ctx->store, fb->session_id, fb->id, 0, &res);
	if (training_reply_failed(ctx, &res, NULL)) {
		portal_run_result_free(&res);
		return -1;
	}
	fb->booking = portal_run_json(&res, "booking");
	fb->session = portal_run_json(&res, "session");
	fb->outcomes = portal_run_json(&res, "outcomes");
	fb->given = portal_run_json(&res, "feedback");
	if (!json_is_array(fb->outcomes)) {
		json_decref(fb->outcomes);
		fb->outcomes = json_array();
	}
	if (strcmp(portal_json_text(fb->booking, "username"), training_username(ctx)) != 0)
		code = "not_yours";
	else if (strcmp(portal_json_text(fb->booking, "status"), "confirmed") != 0 ||
	         strcmp(portal_json_text(fb->booking, "attendance"), "attended") != 0)
		code = "not_attended";
	else if (time(NULL) < (time_t)portal_json_num(fb->session, "ends_at"))
		code = "session_not_ended";
	if (code) {
		/* the store said "ok": answer the code as the script would */
		res.status = code;
		training_reply_failed(ctx, &res, NULL);
		feedback_booking_free(fb);
	}
	portal_run_result_free(&res);
	return code ? -1 : 0;
}

/* The form page's data (new object): the course, its questions with the
 * values of `form` (stolen) shown and the messages of `errors` (may be
 * NULL) beside them. */
static json_t *feedback_form_page(const feedback_booking *fb, json_t *form, const json_t *errors)
{
	json_t *usefulness, *questions = training_feedback_questions(fb->outcomes, form, errors, &usefulness);
	char action[96];

	snprintf(action, sizeof(action), "/training/bookings/%s/feedback", fb->id);
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:b, s:o, s:b}", "action", action,
	                 "course_title", portal_json_text(fb->session, "course_title"), "booking_id", fb->id,
	                 "questions", questions, "usefulness", usefulness, "has_questions", json_array_size(questions) > 0,
	                 "form", form, "is_change", fb->given != NULL);
}

void training_feedback_form(portal_ctx *ctx)
{
	feedback_booking fb;

	if (feedback_booking_load(ctx, &fb) < 0)
		return;
	portal_reply(ctx, 200, feedback_form_page(&fb, fb.given ? training_feedback_form_values(fb.given) : json_object(), NULL));
	feedback_booking_free(&fb);
}

/* Feedback `f` (stored) as its giver reads it, with the language notes of
 * its text (new object). */
static json_t *feedback_answer(portal_ctx *ctx, const json_t *f)
{
	const char *text = portal_json_text(f, "text");
	json_t *notes = portal_language_notes_of(ctx->store, text, strlen(text));

	return json_pack("{s:o, s:o, s:b}", "feedback", training_feedback_view(f), "language_notes",
	                 notes ? notes : json_array(), "has_notes", json_array_size(notes) > 0);
}

void training_feedback_give(portal_ctx *ctx)
{
	feedback_booking fb;
	training_feedback_input in;
	training_actor who;
	portal_run_result res = { .reply = NULL };
	json_t *v = NULL, *errors = NULL, *f = NULL;
	int replaced;

	if (feedback_booking_load(ctx, &fb) < 0)
		return;
	portal_validate(ctx->req.body, training_feedback_fields, &v, &errors);
	training_feedback_rules(ctx->req.body, fb.outcomes, ctx->req.is_api, &errors, &in);
	if (errors) {
		portal_reply_invalid(ctx, errors, ctx->req.is_api ? NULL :
		                     feedback_form_page(&fb, json_deep_copy(ctx->req.body), errors));
		goto done;
	}
	in.usefulness = portal_json_num(v, "usefulness");
	in.text = portal_json_text(v, "text");
	training_actor_of(ctx, &who);
	training_store_feedback(ctx->store, fb.session_id, fb.id, &who, &in, time(NULL), &res);
	if (training_reply_failed(ctx, &res, NULL) || (f = portal_run_json(&res, "feedback")) == NULL)
		goto done;
	replaced = strcmp(portal_run_field(&res, "replaced", NULL), "1") == 0;
	portal_audit(ctx, replaced ? "training_feedback_changed" : "training_feedback_given", NULL,
	             json_pack("{s:s, s:I}", "booking_id", fb.id, "session_id", (json_int_t)fb.session_id));
	if (ctx->req.is_api)
		portal_reply(ctx, replaced ? 200 : 201, feedback_answer(ctx, f));
	else
		portal_reply_done(ctx, 201, NULL, NULL, "/training/bookings/%s/feedback/given?done=feedback", fb.id);
done:
	json_decref(f);
	json_decref(v);
	portal_run_result_free(&res);
	feedback_booking_free(&fb);
}

void training_feedback_get(portal_ctx *ctx)
{
	feedback_booking fb;
	json_t *data;

	if (feedback_booking_load(ctx, &fb) < 0)
		return;
	if (fb.given == NULL)
		portal_reply_error(ctx, 404, "not_found", "You have not given feedback on this session yet: give it from My training.", NULL);
	else {
		data = feedback_answer(ctx, fb.given);
		json_object_set_new(data, "booking_id", json_string(fb.id));
		training_reply_page(ctx, data);
	}
	feedback_booking_free(&fb);
}

void training_session_feedback(portal_ctx *ctx)
{
	long long id;
	portal_run_result res;
	json_t *session = NULL, *feedback = NULL;

	if (portal_path_number(ctx, "id", TRAINING_ID_MAX, "training session", &id) == NULL)
		return;
	training_store_session_feedback(ctx->store, id, &res);
	if (training_reply_failed(ctx, &res, NULL))
		goto done;
	session = portal_run_json(&res, "session");
	feedback = portal_run_json(&res, "feedback");
	if (!training_may_manage(ctx, portal_json_text(session, "agency_id")))
		portal_reply_forbidden(ctx, "Only trainers of the agency that runs this course, or a coordinator, can see its feedback.");
	else if (!json_is_array(feedback))
		portal_reply_internal_error(ctx, "training feedback answer is not JSON");
	else
		portal_reply(ctx, 200, training_feedback_summary(session, feedback, time(NULL)));
done:
	json_decref(session);
	json_decref(feedback);
	portal_run_result_free(&res);
}
