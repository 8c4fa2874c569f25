/* sessions.c - the session handlers: list, add, see, change, cancel (and
 * the pages' forms and the cancel step). */
#include "training.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "jsonget.h"
#include "metrics.h"
#include "paging.h"
#include "response.h"
#include "validate.h"

/* The data of the session form page (new reference), or NULL after
 * answering.  Adding a session when `session` is NULL (with the courses the
 * user may add to), else changing that stored session.  `form` (the values
 * to show) is stolen; NULL takes what was typed. */
static json_t *training_session_page(portal_ctx *ctx, const json_t *session, json_t *form)
{
	json_t *data = json_object(), *courses = NULL;
	char action[64];

	if (form == NULL)
		form = json_deep_copy(ctx->req.body);
	if (form == NULL)
		form = json_object();
	json_object_set_new(data, "seat_fields", training_seat_fields(form));
	json_object_set_new(data, "is_edit", json_boolean(session != NULL));
	if (session) {
		snprintf(action, sizeof(action), "/training/sessions/%s", portal_json_text(session, "id"));
		json_object_set_new(data, "session", training_session_json(session, time(NULL), 1));
	} else {
		if (training_course_options(ctx, json_object_get(form, "course_id"), &courses) < 0) {
			json_decref(form);
			json_decref(data);
			return NULL;
		}
		json_object_set_new(data, "has_courses", json_boolean(json_array_size(courses) > 0));
		json_object_set_new(data, "courses", courses);
		snprintf(action, sizeof(action), "/training/sessions");
	}
	json_object_set_new(data, "action", json_string(action));
	json_object_set_new(data, "form", form);
	return data;
}

/* Answer 422 for a session form or API call with `errors` (stolen): the
 * API's error, or the form again with what was typed (`session` is the
 * stored session being changed, or NULL when adding one). */
static void training_session_invalid(portal_ctx *ctx, const json_t *session, json_t *errors)
{
	json_t *data = NULL;

	if (!ctx->req.is_api && (data = training_session_page(ctx, session, NULL)) == NULL) {
		json_decref(errors);
		return;
	}
	portal_reply_invalid(ctx, errors, data);
}

/* Check a session's input (`raw`: the API body, or the page form's fields
 * merged over `current` on an edit): each field, then the rules across
 * fields.  0 with *v (the validated object) and *in; or -1 when the 422 was
 * answered (*v may still be set: the caller frees it). */
static int training_session_check(portal_ctx *ctx, json_t *raw, const json_t *current,
                                  json_t **v, training_session_input *in)
{
	json_t *errors = NULL;

	portal_validate(raw, training_session_fields, v, &errors);
	training_session_rules(raw, *v, time(NULL), &errors, in);
	if (errors == NULL)
		return 0;
	training_session_invalid(ctx, current, errors);
	return -1;
}

void training_session_new_page(portal_ctx *ctx)
{
	json_t *form = json_object(), *data;
	const json_t *course = json_object_get(ctx->req.query, "course");
	long long id;

	/* a course to preselect, when the link named one */
	if (training_parse_id(json_string_value(course), &id) == 0)
		json_object_set(form, "course_id", (json_t *)course);
	if ((data = training_session_page(ctx, NULL, form)) != NULL)
		portal_reply(ctx, 200, data);
}

/* For staff's page, the list's way to the sessions of the attendance
 * window: {from (the date 14 days ago), showing (the list starts there)}. */
static json_t *training_recent_link(const json_t *q, time_t now)
{
	time_t from = now - TRAINING_ATTENDANCE_WINDOW;
	char day[16];
	struct tm tm;

	localtime_r(&from, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	return json_pack("{s:s, s:b}", "from", day, "showing", json_object_get(q, "from") != NULL);
}

/* The query values a page of the list keeps in its addresses. */
static const char *const training_list_keep[] = { "course", "from", "to", "per_page", NULL };
static const portal_page_list training_list_pages = { "/training/", training_list_keep, "sessions" };

/* The API's answer of a list page: the sessions' JSON text as the script
 * handed it back, copied in, with the envelope around it. */
static void training_sessions_api(portal_ctx *ctx, const portal_run_result *res, long long page, long long per_page)
{
	const char *total = portal_run_field(res, "total", NULL);
	portal_buf out;
	size_t start;

	portal_buf_init(&out, 4 * 1024 * 1024);
	portal_buf_puts(&out, "{\"sessions\":");
	start = out.len;
	portal_run_join(res, "sessions", &out);
	portal_buf_printf(&out, ",\"total\":%s,\"page\":%lld,\"per_page\":%lld,\"has_sessions\":%s,\"may_manage\":%s,"
	                  "\"is_coordinator\":%s}", total, page, per_page, out.len - start > 2 ? "true" : "false",
	                  portal_user_has(ctx, TRAINING_STAFF) ? "true" : "false",
	                  portal_user_has(ctx, PORTAL_ROLE_COORDINATOR) ? "true" : "false");
	if (out.len == 0 || out.data[out.len - 1] != '}')
		portal_reply_internal_error(ctx, "training sessions list too large");
	else
		portal_reply_body(ctx, 200, "application/json; charset=utf-8", NULL, out.data, out.len);
	portal_buf_free(&out);
}

/* The list page: the sessions (parsed: the template needs them), the
 * pagination, the staff's way to the recent sessions. */
static void training_sessions_html(portal_ctx *ctx, const portal_run_result *res, const json_t *q, long long page,
                                   long long per_page)
{
	json_t *sessions, *data;
	long long total = 0;
	portal_buf text;

	portal_buf_init(&text, 4 * 1024 * 1024);
	portal_run_join(res, "sessions", &text);
	sessions = json_loadb(text.data ? text.data : "", text.len, 0, NULL);
	portal_buf_free(&text);

	portal_parse_int(portal_run_field(res, "total", NULL), 0, TRAINING_ID_MAX, &total);
	if (sessions == NULL)
		sessions = json_array();
	data = json_pack("{s:o, s:b, s:b, s:b}", "sessions", sessions,
	                 "has_sessions", json_array_size(sessions) > 0,
	                 "may_manage", portal_user_has(ctx, TRAINING_STAFF),
	                 "is_coordinator", portal_user_has(ctx, PORTAL_ROLE_COORDINATOR));
	portal_page_answer(data, &training_list_pages, q, (portal_page){ page, per_page }, total,
	                   json_array_size(sessions));
	if (portal_user_has(ctx, TRAINING_STAFF))
		json_object_set_new(data, "recent", training_recent_link(q, time(NULL)));
	training_reply_page(ctx, data);
}

void training_sessions_list(portal_ctx *ctx)
{
	json_t *q = NULL;
	time_t from, to = 0;
	training_reader r;
	portal_run_result res;
	long long page, per_page;

	if ((q = portal_valid_query(ctx, training_sessions_query_fields)) == NULL)
		return;
	training_reader_of(ctx, &r);
	from = r.now - 24 * 3600;
	training_query_dates(q, &from, &to);
	page = portal_json_num(q, "page") ? portal_json_num(q, "page") : 1;
	per_page = portal_json_num(q, "per_page") ? portal_json_num(q, "per_page") : TRAINING_PER_PAGE;
	training_store_sessions_page(ctx->store, from, to, portal_json_num(q, "course"), page, per_page, &r, &res);
	if (!training_reply_failed(ctx, &res, NULL)) {
		if (ctx->req.is_api)
			training_sessions_api(ctx, &res, page, per_page);
		else
			training_sessions_html(ctx, &res, q, page, per_page);
	}
	portal_run_result_free(&res);
	json_decref(q);
}

/* The end of a change to a session: the API gets the session the script
 * answered (`status`, the joining link with show_link), a page goes to the
 * session's page. */
static void training_session_done(portal_ctx *ctx, const portal_run_result *res, int status, int show_link,
                                  const char *done)
{
	json_t *s = portal_run_json(res, "session");

	portal_reply_done(ctx, status, "session", training_session_json(s, time(NULL), show_link),
	                  "/training/sessions/%s?done=%s", portal_json_text(s, "id"), done);
	json_decref(s);
}

void training_session_create(portal_ctx *ctx)
{
	json_t *v = NULL, *s = NULL, *input = NULL;
	training_session_input in;
	training_actor who;
	portal_run_result res = { .reply = NULL };
	char cap[24];

	/* a page's form gives times as date and time parts */
	input = ctx->req.is_api ? json_incref(ctx->req.body) : training_session_form_input(ctx->req.body);
	if (training_session_check(ctx, input, NULL, &v, &in) < 0)
		goto done;
	training_actor_of(ctx, &who);
	training_store_session_create(ctx->store, &in, &who, &res);
	if (res.rc == PORTAL_RUN_OK && strcmp(res.status, "course_not_found") == 0) {
		training_session_invalid(ctx, NULL, json_pack("{s:s}", "course_id", "Choose a course that exists"));
		goto done;
	}
	if (res.rc == PORTAL_RUN_OK && strcmp(res.status, "forbidden") == 0) {
		portal_reply_forbidden(ctx, "Trainers can add sessions only to their own agency's courses.");
		goto done;
	}
	if (training_reply_failed(ctx, &res, NULL))
		goto done;
	s = portal_run_json(&res, "session");
	snprintf(cap, sizeof(cap), "%lld", in.capacity);
	portal_audit(ctx, "training_session_created", NULL, json_pack("{s:s, s:s, s:s, s:s}", "session_id",
	             portal_json_text(s, "id"), "course_id", portal_json_text(s, "course_id"),
	             "starts_at", portal_json_text(v, "starts_at"), "capacity", cap));
	training_session_done(ctx, &res, 201, 1, "session-added");
done:
	portal_run_result_free(&res);
	json_decref(s);
	json_decref(input);
	json_decref(v);
}

/* What the session page says beside the API's answer: the places kept for
 * agency types, only those with some ("kept"), until when they are kept,
 * and whether booking now only joins the waiting list (no place left for
 * the person's agency type). */
static void training_session_page_words(portal_ctx *ctx, json_t *data)
{
	const json_t *sv = json_object_get(data, "session"), *m;
	time_t starts = 0;
	const char *type = training_agency_type_known(portal_user_agency_type(ctx));
	json_t *kept = json_array();
	char when[80];
	size_t i;

	json_array_foreach(json_object_get(sv, "agency_mix"), i, m)
		if (portal_json_num(m, "set_aside") > 0)
			json_array_append_new(kept, json_pack("{s:O, s:O, s:b}", "label", json_object_get(m, "label"),
			                      "set_aside", json_object_get(m, "set_aside"), "one", portal_json_num(m, "set_aside") == 1));
	portal_time_parse(portal_json_text(sv, "starts_at"), &starts);
	json_object_set_new(data, "has_kept", json_boolean(json_array_size(kept) > 0));
	json_object_set_new(data, "kept", kept);
	portal_time_words(starts - (time_t)training_release_seconds(), time(NULL), when, sizeof(when));
	json_object_set_new(data, "kept_until", json_string(when));
	json_object_set_new(data, "waitlist_only", json_boolean(json_is_true(json_object_get(sv, "bookable")) &&
	                    portal_json_num(json_object_get(sv, "agency_seats_left"), type) == 0));
	json_object_set_new(data, "session_full", json_boolean(portal_json_num(sv, "seats_left") == 0));
	json_object_set_new(data, "waitlist_next", json_integer(portal_json_num(sv, "waitlist_length") + 1));
}

/* The reader's own booking from the script's answer (new reference, with
 * its waitlist position), or NULL when they have none. */
static json_t *training_session_mine(const portal_run_result *res)
{
	json_t *mine = portal_run_json(res, "mine");
	long long pos = 0;

	if (mine == NULL)
		return NULL;
	portal_parse_int(portal_run_field(res, "waitlist_position", NULL), 0, TRAINING_WAITLIST_MAX, &pos);
	json_object_set_new(mine, "waitlist_position", json_integer(pos));
	return mine;
}

/* The API's answer for one session: its view as the script assembled it,
 * copied in; the reader's own booking (when they have one) beside it. */
static void training_session_api(portal_ctx *ctx, const portal_run_result *res)
{
	size_t len = 0, tlen = 0, olen = 0;
	const char *view = portal_run_field(res, "session", &len), *title = portal_run_field(res, "title", &tlen);
	const char *outcomes = portal_run_field(res, "outcomes", &olen);
	json_t *mine = training_session_mine(res), *booking = NULL;
	char *btext = NULL;
	portal_buf out;

	if (mine) {
		booking = training_booking_json(mine);
		btext = json_dumps(booking, JSON_COMPACT);
	}
	portal_buf_init(&out, len + tlen + olen + (btext ? strlen(btext) : 0) + 160);
	portal_buf_puts(&out, "{\"session\":");
	portal_buf_append(&out, view, len);
	portal_buf_printf(&out, ",\"may_manage\":%s,\"title\":",
	                  strcmp(portal_run_field(res, "may_manage", NULL), "1") == 0 ? "true" : "false");
	portal_buf_append(&out, title, tlen);
	portal_buf_puts(&out, ",\"learning_outcomes\":");
	if (outcomes && olen)
		portal_buf_append(&out, outcomes, olen);
	else
		portal_buf_puts(&out, "[]");
	if (btext) {
		portal_buf_puts(&out, ",\"booking\":");
		portal_buf_puts(&out, btext);
	}
	portal_buf_putc(&out, '}');
	portal_reply_body(ctx, 200, "application/json; charset=utf-8", NULL, out.data, out.len);
	portal_buf_free(&out);
	free(btext);
	json_decref(booking);
	json_decref(mine);
}

/* The session page: the view (parsed: the template needs it) and what the
 * page says beside it. */
static void training_session_html(portal_ctx *ctx, const portal_run_result *res)
{
	json_t *session = portal_run_json(res, "session"), *mine = training_session_mine(res), *data;

	json_t *outcomes = portal_run_json(res, "outcomes");

	data = json_pack("{s:o, s:b, s:s, s:o}", "session", session ? session : json_object(),
	                 "may_manage", strcmp(portal_run_field(res, "may_manage", NULL), "1") == 0,
	                 "title", portal_json_text(session, "course_title"),
	                 "learning_outcomes", json_is_array(outcomes) ? outcomes : json_array());
	if (outcomes && !json_is_array(outcomes))
		json_decref(outcomes);
	json_object_set_new(data, "has_outcomes", json_boolean(json_array_size(json_object_get(data, "learning_outcomes")) > 0));
	if (mine)
		json_object_set_new(data, "booking", training_booking_json(mine));
	training_session_page_words(ctx, data);
	training_reply_page(ctx, data);
	json_decref(mine);
}

void training_session_get(portal_ctx *ctx)
{
	long long id;
	training_reader r;
	portal_run_result res;

	if (portal_path_number(ctx, "id", TRAINING_ID_MAX, "training session", &id) == NULL)
		return;
	training_reader_of(ctx, &r);
	training_store_session_get(ctx->store, id, &r, &res);
	if (!training_reply_failed(ctx, &res, NULL)) {
		if (ctx->req.is_api)
			training_session_api(ctx, &res);
		else
			training_session_html(ctx, &res);
	}
	portal_run_result_free(&res);
}

/* The input of a change to stored session `cur`: the API body, or the
 * page's form (whose date and time parts win over the stored times);
 * absent fields keep their current values.  New object. */
static json_t *training_session_merged(portal_ctx *ctx, const json_t *cur)
{
	json_t *merged = ctx->req.is_api ? json_deep_copy(ctx->req.body) : training_session_form_input(ctx->req.body);
	static const char *const times[] = { "starts_at", "ends_at", "booking_closes_at" };
	char buf[32];
	size_t i;

	json_object_set_new(merged, "course_id", json_string(portal_json_text(cur, "course_id")));
	for (i = 0; i < 3; i++)
		if (!json_object_get(merged, times[i])) {
			portal_time_format((time_t)portal_json_num(cur, times[i]), buf, sizeof(buf));
			json_object_set_new(merged, times[i], json_string(buf));
		}
	if (!json_object_get(merged, "venue"))
		json_object_set_new(merged, "venue", json_string(portal_json_text(cur, "venue")));
	if (!json_object_get(merged, "online"))
		json_object_set_new(merged, "online", json_boolean(portal_json_num(cur, "online")));
	if (!json_object_get(merged, "join_link"))
		json_object_set_new(merged, "join_link", json_string(portal_json_text(cur, "join_link")));
	if (!json_object_get(merged, "capacity"))
		json_object_set_new(merged, "capacity", json_integer(portal_json_num(cur, "capacity")));
	if (ctx->req.is_api && !json_object_get(merged, "agency_seats")) {
		json_t *o = json_object();
		for (i = 0; training_agency_types[i]; i++)
			json_object_set_new(o, training_agency_types[i], json_integer(portal_json_num(cur, training_seats_key(i))));
		json_object_set_new(merged, "agency_seats", o);
	}
	return merged;
}

/* The audit record of a change (new reference). */
static json_t *training_session_changes(const training_session_input *in)
{
	json_t *changes = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:I}", "starts_at", (json_int_t)in->starts,
	        "ends_at", (json_int_t)in->ends, "booking_closes_at", (json_int_t)in->closes,
	        "venue", in->venue, "online", in->online ? "1" : "0",
	        "join_link", in->join_link, "capacity", (json_int_t)in->capacity);
	size_t i;

	for (i = 0; training_agency_types[i]; i++)
		json_object_set_new(changes, training_seats_key(i), json_integer(in->seats[i]));
	return changes;
}

void training_session_update(portal_ctx *ctx)
{
	long long id;
	json_t *cur = NULL, *merged = NULL, *v = NULL;
	training_session_input in;
	portal_run_result res = { .reply = NULL };

	if (portal_path_number(ctx, "id", TRAINING_ID_MAX, "training session", &id) == NULL || training_session_for_staff(ctx, id, &cur) < 0)
		return;
	merged = training_session_merged(ctx, cur);
	if (training_session_check(ctx, merged, cur, &v, &in) < 0)
		goto done;
	training_store_session_update(ctx->store, id, &in, training_username(ctx), time(NULL), &res);
	if (training_reply_failed(ctx, &res, NULL))
		goto done;
	portal_audit(ctx, "training_session_updated", NULL, json_pack("{s:I, s:o}", "session_id", (json_int_t)id,
	             "changes", training_session_changes(&in)));
	training_audit_promoted(ctx, &res);
	training_session_done(ctx, &res, 200, 1, "session-changed");
done:
	portal_run_result_free(&res);
	json_decref(merged);
	json_decref(cur);
	json_decref(v);
}

void training_session_edit_page(portal_ctx *ctx)
{
	long long id;
	json_t *cur = NULL, *data;

	if (portal_path_number(ctx, "id", TRAINING_ID_MAX, "training session", &id) == NULL || training_session_for_staff(ctx, id, &cur) < 0)
		return;
	if ((data = training_session_page(ctx, cur, training_session_form_values(cur))) != NULL)
		portal_reply(ctx, 200, data);
	json_decref(cur);
}

void training_session_cancel_page(portal_ctx *ctx)
{
	long long id;
	json_t *cur = NULL;

	if (portal_path_number(ctx, "id", TRAINING_ID_MAX, "training session", &id) == NULL || training_session_for_staff(ctx, id, &cur) < 0)
		return;
	portal_reply(ctx, 200, json_pack("{s:o}", "session", training_session_json(cur, time(NULL), 1)));
	json_decref(cur);
}

void training_session_cancel(portal_ctx *ctx)
{
	long long id;
	json_t *cur = NULL, *touched = NULL;
	const json_t *b;
	portal_run_result res = { .reply = NULL };
	size_t i;

	if (portal_path_number(ctx, "id", TRAINING_ID_MAX, "training session", &id) == NULL || training_session_for_staff(ctx, id, &cur) < 0)
		return;
	training_store_session_cancel(ctx->store, id, training_username(ctx), time(NULL), &res);
	if (training_reply_failed(ctx, &res, NULL))
		goto done;
	portal_audit(ctx, "training_session_cancelled", NULL, json_pack("{s:I}", "session_id", (json_int_t)id));
	touched = portal_run_json(&res, "bookings");
	json_array_foreach(touched, i, b) {
		portal_metric_event(ctx, TRAINING_EV_CANCELLED);
		portal_audit(ctx, "training_booking_cancelled", NULL, json_pack("{s:s, s:I, s:s, s:s}",
		             "booking_id", portal_json_text(b, "id"), "session_id", (json_int_t)id,
		             "person", portal_json_text(b, "username"), "reason", "session_cancelled"));
	}
	training_session_done(ctx, &res, 200, 0, "session-cancelled");
done:
	portal_run_result_free(&res);
	json_decref(touched);
	json_decref(cur);
}
