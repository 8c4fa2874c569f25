/* bookings.c - the booking handlers: book, "My training", the training
 * record, see, cancel, dismiss a notice, the calendar file. */
#include "training.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "jsonget.h"
#include "metrics.h"
#include "paging.h"
#include "response.h"
#include "validate.h"

void training_book(portal_ctx *ctx)
{
	long long id;
	training_actor who;
	portal_run_result res;
	json_t *booking = NULL, *detail = NULL;
	const char *status;

	if (portal_path_number(ctx, "id", TRAINING_ID_MAX, "training session", &id) == NULL)
		return;
	training_actor_of(ctx, &who);
	training_store_book(ctx->store, id, &who, time(NULL), &res);
	training_audit_promoted(ctx, &res);
	booking = portal_run_json(&res, "booking");
	if (booking && !portal_run_ok(&res))
		detail = json_pack("{s:o}", "booking", training_booking_json(booking));
	if (training_reply_failed(ctx, &res, detail))
		goto done;
	status = portal_json_text(booking, "status");
	portal_metric_event(ctx, strcmp(status, "confirmed") == 0 ? TRAINING_EV_CONFIRMED : TRAINING_EV_WAITLISTED);
	portal_audit(ctx, strcmp(status, "confirmed") == 0 ? "training_booking_confirmed" : "training_booking_waitlisted",
	             NULL, json_pack("{s:s, s:I, s:I}", "booking_id", portal_json_text(booking, "id"),
	             "session_id", (json_int_t)id, "waitlist_position", (json_int_t)portal_json_num(booking, "waitlist_position")));
	portal_reply_done(ctx, 201, "booking", training_booking_json(booking), "/training/sessions/%lld?done=%s", id,
	                  strcmp(status, "confirmed") == 0 ? "booked" : "waitlisted");
done:
	json_decref(booking);
	portal_run_result_free(&res);
}

/* Read booking {id} (the path's) and its session.  Returns 0 with *b and *s
 * (new references), or -1 after answering.  With clear_notice the booking's
 * notice is cleared (only when its owner dismisses it). */
static int training_booking_load(portal_ctx *ctx, int clear_notice, const char **bid, json_t **b, json_t **s)
{
	long long sid;
	portal_run_result res;

	*b = *s = NULL;
	if (training_param_booking(ctx, "id", bid, &sid) < 0)
		return -1;
	training_store_booking_view(ctx->store, sid, *bid, clear_notice, &res);
	if (!training_reply_failed(ctx, &res, NULL)) {
		*b = portal_run_json(&res, "booking");
		*s = portal_run_json(&res, "session");
	}
	portal_run_result_free(&res);
	return *b ? 0 : -1;
}

/* The person's bookings from the `from`th, `count` of them, for reader r
 * (NULL: the records): the store's answer in *res (free it), or -1 after
 * answering. */
static int training_my_read(portal_ctx *ctx, long long from, long long count, const training_reader *r,
                            portal_run_result *res)
{
	training_store_my_bookings(ctx->store, training_username(ctx), from, count, r, res);
	if (training_reply_failed(ctx, res, NULL))
		return -1;
	return 0;
}

/* "My training": one read-only script makes the answer for this reader;
 * the API copies it, the page parses it and adds the pagination. */
void training_my_bookings(portal_ctx *ctx)
{
	static const portal_page_list list = { "/training/my", portal_page_keep, "your bookings" };
	json_t *q = NULL, *data = NULL;
	portal_run_result res;
	training_reader r;
	portal_buf text;
	portal_page p;

	if ((q = portal_valid_query(ctx, training_list_query_fields)) == NULL)
		return;
	p = portal_page_of(q);
	training_reader_of(ctx, &r);
	portal_buf_init(&text, 4 * 1024 * 1024);
	if (training_my_read(ctx, portal_page_offset(p), p.per_page, &r, &res) == 0) {
		if (portal_run_join(&res, "my", &text) < 0 || text.len == 0 ||
		    (!ctx->req.is_api && (data = json_loadb(text.data, text.len, 0, NULL)) == NULL))
			portal_reply_internal_error(ctx, "training bookings answer is not JSON");
		else if (ctx->req.is_api)
			portal_reply_body(ctx, 200, "application/json; charset=utf-8", NULL, text.data, text.len);
		else {
			portal_page_answer(data, &list, q, p, json_integer_value(json_object_get(data, "total")),
			                   json_array_size(json_object_get(data, "bookings")));
			training_reply_page(ctx, data);
		}
	}
	portal_buf_free(&text);
	portal_run_result_free(&res);
	json_decref(q);
}

void training_record(portal_ctx *ctx)
{
	portal_run_result res;
	json_t *items;

	if (training_my_read(ctx, 0, TRAINING_MY_BOOKINGS_MAX, NULL, &res) < 0)
		goto done;
	if ((items = portal_run_json(&res, "items")) == NULL)
		portal_reply_internal_error(ctx, "training bookings answer is not JSON");
	else
		portal_reply(ctx, 200, training_record_view(items));
	json_decref(items);
done:
	portal_run_result_free(&res);
}

void training_notice_dismiss(portal_ctx *ctx)
{
	const char *bid;
	json_t *b = NULL, *s = NULL;

	if (training_booking_load(ctx, 0, &bid, &b, &s) < 0)
		return;
	if (strcmp(portal_json_text(b, "username"), training_username(ctx)) != 0)
		portal_reply_forbidden(ctx, "You can dismiss only the notices on your own bookings.");
	else {
		json_decref(b);
		json_decref(s);
		/* the booking is the person's: now clear its notice */
		if (training_booking_load(ctx, 1, &bid, &b, &s) < 0)
			return;
		portal_reply_done(ctx, 204, NULL, NULL, "/training/my?done=dismissed");
	}
	json_decref(b);
	json_decref(s);
}

void training_booking_get(portal_ctx *ctx)
{
	const char *bid;
	json_t *b, *s;

	if (training_booking_load(ctx, 0, &bid, &b, &s) < 0)
		return;
	if (strcmp(portal_json_text(b, "username"), training_username(ctx)) != 0 &&
	    !training_may_manage(ctx, portal_json_text(s, "agency_id")))
		portal_reply_forbidden(ctx, "You can see only your own bookings.");
	else
		portal_reply(ctx, 200, json_pack("{s:o}", "booking",
		             training_booking_with_session(b, s, time(NULL), training_username(ctx))));
	json_decref(b);
	json_decref(s);
}

void training_booking_cancel(portal_ctx *ctx)
{
	const char *bid;
	long long sid;
	training_actor who;
	portal_run_result res;
	json_t *b;
	int was_waitlisted;

	if (training_param_booking(ctx, "id", &bid, &sid) < 0)
		return;
	training_actor_of(ctx, &who);
	training_store_cancel(ctx->store, sid, bid, &who, "cancelled", time(NULL), &res);
	if (training_reply_failed(ctx, &res, NULL)) {
		portal_run_result_free(&res);
		return;
	}
	b = portal_run_json(&res, "booking");
	was_waitlisted = strcmp(portal_json_text(b, "was"), "waitlisted") == 0;
	if (!was_waitlisted)
		portal_metric_event(ctx, TRAINING_EV_CANCELLED);
	portal_audit(ctx, was_waitlisted ? "training_waitlist_left" : "training_booking_cancelled",
	             NULL, json_pack("{s:s, s:I, s:s}", "booking_id", bid, "session_id", (json_int_t)sid,
	                             "person", portal_json_text(b, "username")));
	training_audit_promoted(ctx, &res);
	if (strcmp(portal_json_text(b, "username"), training_username(ctx)) == 0)
		portal_reply_done(ctx, 204, NULL, NULL, "/training/my?done=%s", was_waitlisted ? "left" : "cancelled");
	else
		portal_reply_done(ctx, 204, NULL, NULL, "/training/sessions/%lld/roster?done=cancelled-other", sid);
	json_decref(b);
	portal_run_result_free(&res);
}

/* The calendar event of booking `bid` (b) of session s, into *ev; uid and
 * desc are the buffers its texts live in. */
static void training_booking_event(const char *bid, const json_t *b, const json_t *s, portal_ics_event *ev,
                                   portal_buf *uid, portal_buf *desc)
{
	int online = portal_json_num(s, "online") != 0;
	int scheduled = strcmp(portal_json_text(s, "status"), "scheduled") == 0;

	portal_buf_printf(uid, PORTAL_ICS_BOOKING_UID, bid);
	portal_buf_printf(desc, PORTAL_ICS_SESSION_DESCRIPTION, portal_json_text(s, "course_title"),
	                  portal_json_text(s, "organisation"));
	memset(ev, 0, sizeof(*ev));
	ev->uid = uid->data;
	ev->summary = portal_json_text(s, "course_title");
	ev->location = online ? "Online" : portal_json_text(s, "venue");
	ev->description = desc->data;
	ev->cancelled = strcmp(portal_json_text(b, "status"), "confirmed") != 0 || !scheduled;
	ev->url = online && !ev->cancelled ? portal_json_text(s, "join_link") : NULL;
	ev->starts = (time_t)portal_json_num(s, "starts_at");
	ev->ends = (time_t)portal_json_num(s, "ends_at");
	ev->stamp = time(NULL);
	/* the booking's own cancellation changes the event too */
	ev->sequence = portal_json_num(s, "sequence") +
	               (strcmp(portal_json_text(b, "status"), "cancelled") == 0 && scheduled ? 1 : 0);
}

void training_booking_calendar(portal_ctx *ctx)
{
	const char *bid;
	json_t *b, *s;
	portal_ics_event ev;
	portal_buf out, uid, desc;
	char file[64];

	if (training_booking_load(ctx, 0, &bid, &b, &s) < 0)
		return;
	if (strcmp(portal_json_text(b, "username"), training_username(ctx)) != 0)
		portal_reply_forbidden(ctx, "You can download only your own bookings.");
	else if (portal_json_num(b, "confirmed_at") == 0)
		portal_reply_error(ctx, 409, "not_confirmed", "A calendar file is available once your place is confirmed.", NULL);
	else {
		portal_buf_init(&out, 256 * 1024);
		portal_buf_init(&uid, 256);
		portal_buf_init(&desc, 8192);
		training_booking_event(bid, b, s, &ev, &uid, &desc);
		snprintf(file, sizeof(file), "training-%s.ics", bid);
		if (portal_ics_build(&out, &ev) < 0)
			portal_reply_internal_error(ctx, "calendar too large");
		else
			portal_reply_body(ctx, 200, "text/calendar; charset=utf-8", file, out.data, out.len);
		portal_buf_free(&out);
		portal_buf_free(&uid);
		portal_buf_free(&desc);
	}
	json_decref(b);
	json_decref(s);
}
