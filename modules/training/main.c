/* portal-training: multi-agency First Responder training sign-up.
 *
 * Courses, sessions with seats set aside per agency type, booking with a
 * waitlist and promotion (Lua scripts, training_lua.c), "My training", the
 * iCalendar file, rosters and attendance, the coordinator's uptake report.
 * Keys: see training.h.  Every change goes to the audit stream.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "clock.h"
#include "metrics.h"
#include "response.h"
#include "server.h"
#include "session.h"
#include "training.h"
#include "training_forms.h"
#include "training_store.h"
#include "validate.h"

static void training_courses_list(portal_ctx *ctx);
static void training_course_create(portal_ctx *ctx);
static void training_course_get(portal_ctx *ctx);
static void training_course_update(portal_ctx *ctx);
static void training_sessions_list(portal_ctx *ctx);
static void training_session_create(portal_ctx *ctx);
static void training_session_get(portal_ctx *ctx);
static void training_session_update(portal_ctx *ctx);
static void training_session_cancel(portal_ctx *ctx);
static void training_book(portal_ctx *ctx);
static void training_my_bookings(portal_ctx *ctx);
static void training_booking_get(portal_ctx *ctx);
static void training_booking_cancel(portal_ctx *ctx);
static void training_booking_calendar(portal_ctx *ctx);
static void training_roster(portal_ctx *ctx);
static void training_roster_csv_get(portal_ctx *ctx);
static void training_attendance(portal_ctx *ctx);
static void training_record(portal_ctx *ctx);
static void training_uptake(portal_ctx *ctx);
static void training_uptake_csv_get(portal_ctx *ctx);
static void training_course_new_page(portal_ctx *ctx);
static void training_course_edit_page(portal_ctx *ctx);
static void training_session_new_page(portal_ctx *ctx);
static void training_session_edit_page(portal_ctx *ctx);
static void training_session_cancel_page(portal_ctx *ctx);
static void training_notice_dismiss(portal_ctx *ctx);
static int training_load_demo(portal_store *store, const portal_config *cfg, char *err, size_t errlen);

#define STAFF (PORTAL_ROLE_TRAINER | PORTAL_ROLE_COORDINATOR)
#define ANY   PORTAL_ROLE_ANY

static const portal_route training_routes[] = {
	{ "GET",  "/api/v1/health", portal_health, PORTAL_PUBLIC, NULL, NULL, 0 },
	/* API */
	{ "GET",    "/api/v1/training/courses",                      training_courses_list,   ANY,   NULL, NULL, 0 },
	{ "POST",   "/api/v1/training/courses",                      training_course_create,  STAFF, NULL, NULL, 16384 },
	{ "GET",    "/api/v1/training/courses/{id}",                 training_course_get,     ANY,   NULL, NULL, 0 },
	{ "PUT",    "/api/v1/training/courses/{id}",                 training_course_update,  STAFF, NULL, NULL, 16384 },
	{ "GET",    "/api/v1/training/sessions",                     training_sessions_list,  ANY,   NULL, NULL, 0 },
	{ "POST",   "/api/v1/training/sessions",                     training_session_create, STAFF, NULL, NULL, 8192 },
	{ "GET",    "/api/v1/training/sessions/{id}",                training_session_get,    ANY,   NULL, NULL, 0 },
	{ "PUT",    "/api/v1/training/sessions/{id}",                training_session_update, STAFF, NULL, NULL, 8192 },
	{ "POST",   "/api/v1/training/sessions/{id}/cancel",         training_session_cancel, STAFF, NULL, NULL, 1024 },
	{ "POST",   "/api/v1/training/sessions/{id}/bookings",       training_book,           ANY,   NULL, NULL, 1024 },
	{ "GET",    "/api/v1/training/sessions/{id}/roster",         training_roster,         STAFF, NULL, NULL, 0 },
	{ "GET",    "/api/v1/training/sessions/{id}/roster.csv",     training_roster_csv_get, STAFF, NULL, NULL, 0 },
	{ "PUT",    "/api/v1/training/sessions/{id}/attendance/{booking_id}", training_attendance, STAFF, NULL, NULL, 1024 },
	{ "GET",    "/api/v1/training/bookings",                     training_my_bookings,    ANY,   NULL, NULL, 0 },
	{ "GET",    "/api/v1/training/bookings/{id}",                training_booking_get,    ANY,   NULL, NULL, 0 },
	{ "DELETE", "/api/v1/training/bookings/{id}",                training_booking_cancel, ANY,   NULL, NULL, 1024 },
	{ "POST",   "/api/v1/training/bookings/{id}/notice/dismiss", training_notice_dismiss, ANY, NULL, NULL, 1024 },
	{ "GET",    "/api/v1/training/bookings/{id}/calendar.ics",   training_booking_calendar, ANY, NULL, NULL, 0 },
	{ "GET",    "/api/v1/training/record",                       training_record,         ANY,   NULL, NULL, 0 },
	{ "GET",    "/api/v1/training/reports/uptake",               training_uptake,         PORTAL_ROLE_COORDINATOR, NULL, NULL, 0 },
	{ "GET",    "/api/v1/training/reports/uptake.csv",           training_uptake_csv_get, PORTAL_ROLE_COORDINATOR, NULL, NULL, 0 },
	/* pages */
	{ "GET",    "/training/",                                    training_sessions_list,  ANY,   "sessions", "Training sessions", 0 },
	{ "GET",    "/training/courses",                             training_courses_list,   ANY,   "courses", "Training courses", 0 },
	{ "GET",    "/training/courses/new",                         training_course_new_page, STAFF, "course_form", "Add a course", 0 },
	{ "POST",   "/training/courses",                             training_course_create,  STAFF, "course_form", "Add a course", 16384 },
	{ "GET",    "/training/courses/{id}/edit",                   training_course_edit_page, STAFF, "course_form", "Change a course", 0 },
	{ "POST",   "/training/courses/{id}",                        training_course_update,  STAFF, "course_form", "Change a course", 16384 },
	/* before /training/sessions/{id}: the first match wins */
	{ "GET",    "/training/sessions/new",                        training_session_new_page, STAFF, "session_form", "Add a session", 0 },
	{ "POST",   "/training/sessions",                            training_session_create, STAFF, "session_form", "Add a session", 8192 },
	{ "GET",    "/training/sessions/{id}",                       training_session_get,    ANY,   "session", "Training session", 0 },
	{ "GET",    "/training/sessions/{id}/edit",                  training_session_edit_page, STAFF, "session_form", "Change a session", 0 },
	{ "POST",   "/training/sessions/{id}",                       training_session_update, STAFF, "session_form", "Change a session", 8192 },
	{ "GET",    "/training/sessions/{id}/cancel",                training_session_cancel_page, STAFF, "session_cancel", "Cancel a session", 0 },
	{ "POST",   "/training/sessions/{id}/book",                  training_book,           ANY,   "session", "Training session", 1024 },
	{ "POST",   "/training/sessions/{id}/cancel",                training_session_cancel, STAFF, "session_cancel", "Cancel a session", 1024 },
	{ "GET",    "/training/sessions/{id}/roster",                training_roster,         STAFF, "roster", "Session roster", 0 },
	{ "POST",   "/training/sessions/{id}/attendance/{booking_id}", training_attendance,   STAFF, "roster", "Session roster", 1024 },
	{ "GET",    "/training/my",                                  training_my_bookings,    ANY,   "my", "My training", 0 },
	{ "POST",   "/training/bookings/{id}/cancel",                training_booking_cancel, ANY,   "my", "My training", 1024 },
	{ "POST",   "/training/bookings/{id}/notice/dismiss",        training_notice_dismiss, ANY,   "my", "My training", 1024 },
	{ "GET",    "/training/bookings/{id}/calendar.ics",          training_booking_calendar, ANY, NULL, NULL, 0 },
	{ "GET",    "/training/sessions/{id}/roster.csv",            training_roster_csv_get, STAFF, NULL, NULL, 0 },
	{ "GET",    "/training/reports/uptake",                      training_uptake,         PORTAL_ROLE_COORDINATOR, "uptake", "Training uptake", 0 },
	{ "GET",    "/training/reports/uptake.csv",                  training_uptake_csv_get, PORTAL_ROLE_COORDINATOR, NULL, NULL, 0 },
};

/* Events counted in the module's metrics (metrics.h). */
enum { TRAINING_EV_CONFIRMED, TRAINING_EV_WAITLISTED, TRAINING_EV_PROMOTED, TRAINING_EV_CANCELLED, TRAINING_EV_COUNT };
static const char *const training_events[TRAINING_EV_COUNT] = {
	"booking_confirmed", "booking_waitlisted", "booking_promoted", "booking_cancelled",
};

static const portal_app training_app = {
	.name = "training",
	.events = training_events,
	.nevents = TRAINING_EV_COUNT,
	.routes = training_routes,
	.nroutes = sizeof(training_routes) / sizeof(training_routes[0]),
	.scripts = training_scripts,
	.nscripts = TRAINING_SCRIPT_COUNT,
	.load_demo = training_load_demo,
};

/* ---- helpers -------------------------------------------------------------- */

/* The path parameter `name` as an id; answers 404 and returns -1 when it
 * is not one. */
static int training_param_id(portal_ctx *ctx, const char *name, long long *id)
{
	if (training_parse_id(json_string_value(json_object_get(ctx->req.params, name)), id) < 0) {
		portal_reply_error(ctx, 404, "not_found", "There is no such training session or course: check the address.", NULL);
		return -1;
	}
	return 0;
}

/* 1 when the user may manage things of agency `agency_id`: a coordinator
 * always, a trainer for their own agency. */
static int training_may_manage(const portal_ctx *ctx, const char *agency_id)
{
	const char *mine = portal_user_agency_id(ctx);

	if (portal_user_has(ctx, PORTAL_ROLE_COORDINATOR))
		return 1;
	return portal_user_has(ctx, PORTAL_ROLE_TRAINER) && mine && agency_id && strcmp(mine, agency_id) == 0;
}

/* The signed-in user's username ("" when none). */
static const char *training_username(const portal_ctx *ctx)
{
	const char *u = json_string_value(json_object_get(ctx->user, "username"));
	return u ? u : "";
}

/* Read one hash by key; returns 0 with *out (object, empty when absent),
 * or -1 after answering 503. */
static int training_hgetall(portal_ctx *ctx, const char *key, json_t **out)
{
	redisReply *r = portal_store_command(ctx->store, "HGETALL %s", key);

	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		if (r)
			freeReplyObject(r);
		portal_reply_store_unavailable(ctx);
		return -1;
	}
	*out = training_hash_object(r);
	freeReplyObject(r);
	return 0;
}

/* Answer the error code a script gave. */
static void training_script_error(portal_ctx *ctx, const char *code, json_t *detail)
{
	static const struct { const char *code; int status; const char *message; } map[] = {
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
	};
	size_t i;

	if (strcmp(code, "forbidden") == 0) {
		json_decref(detail);
		portal_reply_forbidden(ctx, "You can cancel only your own bookings.");
		return;
	}
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(code, map[i].code) == 0) {
			if (detail && ctx->req.is_api) {
				json_t *body = portal_error_json(code, map[i].message, NULL);
				json_object_update(json_object_get(body, "error"), detail);
				json_decref(detail);
				portal_reply(ctx, map[i].status, body);
				return;
			}
			json_decref(detail);
			portal_reply_error(ctx, map[i].status, code, map[i].message, NULL);
			return;
		}
	json_decref(detail);
	portal_reply_internal_error(ctx, code);
}

/* Audit each promoted booking in `promoted` (an array; anything else is
 * empty). */
static void training_audit_promoted(portal_ctx *ctx, const json_t *promoted)
{
	const json_t *b;
	size_t i;

	if (!json_is_array(promoted))
		return;
	json_array_foreach(promoted, i, b) {
		portal_metric_event(ctx, TRAINING_EV_PROMOTED);
		portal_audit(ctx, "training_booking_promoted", NULL,
		             json_pack("{s:s, s:s, s:s}", "booking_id", training_text(b, "id"),
		                       "session_id", training_text(b, "session_id"),
		                       "person", training_text(b, "username")));
	}
}

/* Add a user's booking to their index (the "My training" list). */
static void training_index_booking(portal_ctx *ctx, const char *username, const char *booking_id, time_t now)
{
	char key[300];
	redisReply *r;

	training_key(ctx, key, sizeof(key), "training:user:{u:%s}:bookings", username);
	r = portal_store_command(ctx->store, "ZADD %s NX %lld %s", key, (long long)now, booking_id);
	if (r)
		freeReplyObject(r);
}

/* ---- courses -------------------------------------------------------------- */

static const portal_field training_course_fields[] = {
	{ "title", PORTAL_FIELD_STRING, 1, 3, 200, NULL, 0, "Title" },
	{ "summary", PORTAL_FIELD_STRING, 1, 1, 500, NULL, 0, "Summary" },
	{ "description", PORTAL_FIELD_STRING, 0, 0, 5000, NULL, 0, "What it covers" },
	{ "audience", PORTAL_FIELD_STRING, 0, 0, 500, NULL, 0, "Audience" },
	{ "duration_minutes", PORTAL_FIELD_INT, 1, 15, 2880, NULL, 0, "Length in minutes" },
	{ "organisation", PORTAL_FIELD_STRING, 0, 0, 200, NULL, 0, "Delivering organisation" },
};

/* The public view of a stored course hash (new reference). */
static json_t *training_course_json(const json_t *c)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s}",
	                 "id", training_text(c, "id"), "title", training_text(c, "title"),
	                 "summary", training_text(c, "summary"), "description", training_text(c, "description"),
	                 "audience", training_text(c, "audience"),
	                 "duration_minutes", (json_int_t)training_num(c, "duration_minutes"),
	                 "organisation", training_text(c, "organisation"),
	                 "agency_id", training_text(c, "agency_id"));
}

/* The data of the course form page (new reference): adding a course when
 * `course` is NULL, else changing that course (a stored hash).  `form` (the
 * values to show) is stolen; NULL takes what the person typed. */
static json_t *training_course_page(const portal_ctx *ctx, const json_t *course, json_t *form)
{
	json_t *data = json_object();
	char action[64];

	if (form == NULL)
		form = json_deep_copy(ctx->req.body);
	json_object_set_new(data, "form", form ? form : json_object());
	json_object_set_new(data, "is_edit", json_boolean(course != NULL));
	if (course) {
		snprintf(action, sizeof(action), "/training/courses/%s", training_text(course, "id"));
		json_object_set_new(data, "course", training_course_json(course));
	} else
		snprintf(action, sizeof(action), "/training/courses");
	json_object_set_new(data, "action", json_string(action));
	return data;
}

/* GET courses: every course (at most TRAINING_LIST_MAX). */
static void training_courses_list(portal_ctx *ctx)
{
	char key[200];
	redisReply *ids;
	json_t *list = json_array();
	size_t i;

	training_key(ctx, key, sizeof(key), "training:courses");
	ids = portal_store_command(ctx->store, "ZRANGE %s 0 %d", key, TRAINING_LIST_MAX - 1);
	if (ids == NULL || ids->type != REDIS_REPLY_ARRAY)
		goto unavailable;
	for (i = 0; i < ids->elements; i++) {
		json_t *c;
		training_key(ctx, key, sizeof(key), "training:course:{c:%s}", ids->element[i]->str);
		if (training_hgetall(ctx, key, &c) < 0)
			goto fail;
		if (json_object_size(c)) {
			json_t *cj = training_course_json(c);
			json_object_set_new(cj, "can_change", json_boolean(training_may_manage(ctx, training_text(c, "agency_id"))));
			json_array_append_new(list, cj);
		}
		json_decref(c);
	}
	freeReplyObject(ids);
	portal_reply(ctx, 200, json_pack("{s:o, s:b}", "courses", list,
	             "may_manage", portal_user_has(ctx, STAFF)));
	return;
unavailable:
	portal_reply_store_unavailable(ctx);
fail:
	if (ids)
		freeReplyObject(ids);
	json_decref(list);
}

/* Write the course `v` (validated) into key with HSET. Returns 0 or -1. */
static int training_course_store(portal_ctx *ctx, const char *key, const char *id, const json_t *v, const char *agency_id)
{
	char dur[24];
	const char *org = training_text(v, "organisation");
	redisReply *r;

	snprintf(dur, sizeof(dur), "%lld", training_num(v, "duration_minutes"));
	if (!org[0])
		org = json_string_value(json_object_get(json_object_get(ctx->user, "agency"), "name"));
	r = portal_store_command(ctx->store,
	        "HSET %s id %s title %s summary %s description %s audience %s duration_minutes %s organisation %s agency_id %s",
	        key, id, training_text(v, "title"), training_text(v, "summary"), training_text(v, "description"),
	        training_text(v, "audience"), dur, org ? org : "", agency_id);
	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		if (r)
			freeReplyObject(r);
		return -1;
	}
	freeReplyObject(r);
	return 0;
}

/* POST courses: a trainer's course belongs to the trainer's agency. */
static void training_course_create(portal_ctx *ctx)
{
	json_t *v = NULL, *errors = NULL, *c = NULL;
	char key[200], id[24];
	redisReply *r;
	const char *agency = portal_user_agency_id(ctx);

	if (portal_validate(ctx->req.body, training_course_fields, 6, &v, &errors) < 0) {
		portal_reply_invalid(ctx, errors, ctx->req.is_api ? NULL : training_course_page(ctx, NULL, NULL));
		return;
	}
	training_key(ctx, key, sizeof(key), "training:courses:seq");
	if ((r = portal_store_command(ctx->store, "INCR %s", key)) == NULL || r->type != REDIS_REPLY_INTEGER)
		goto unavailable;
	snprintf(id, sizeof(id), "%lld", r->integer);
	freeReplyObject(r);
	training_key(ctx, key, sizeof(key), "training:course:{c:%s}", id);
	if (training_course_store(ctx, key, id, v, agency ? agency : "") < 0)
		goto unavailable_noreply;
	training_key(ctx, key, sizeof(key), "training:courses");
	if ((r = portal_store_command(ctx->store, "ZADD %s %s %s", key, id, id)) == NULL)
		goto unavailable_noreply;
	freeReplyObject(r);
	portal_audit(ctx, "training_course_created", NULL, json_pack("{s:s, s:O}", "course_id", id, "title", json_object_get(v, "title")));
	training_key(ctx, key, sizeof(key), "training:course:{c:%s}", id);
	if (training_hgetall(ctx, key, &c) < 0)
		goto fail;
	if (ctx->req.is_api)
		portal_reply(ctx, 201, json_pack("{s:o}", "course", training_course_json(c)));
	else
		portal_reply_redirect(ctx, "/training/courses");
	json_decref(c);
	json_decref(v);
	return;
unavailable:
	if (r)
		freeReplyObject(r);
unavailable_noreply:
	portal_reply_store_unavailable(ctx);
fail:
	json_decref(v);
}

/* GET courses/{id} */
static void training_course_get(portal_ctx *ctx)
{
	long long id;
	char key[200];
	json_t *c;

	if (training_param_id(ctx, "id", &id) < 0)
		return;
	training_key(ctx, key, sizeof(key), "training:course:{c:%lld}", id);
	if (training_hgetall(ctx, key, &c) < 0)
		return;
	if (json_object_size(c) == 0)
		portal_reply_error(ctx, 404, "not_found", "There is no such course: check the address.", NULL);
	else
		portal_reply(ctx, 200, json_pack("{s:o}", "course", training_course_json(c)));
	json_decref(c);
}

/* Load the hash at `key` (a course or a session, named `what` in the 404
 * message) for someone who means to change it: trainers of its agency or a
 * coordinator.  Returns 0 with *h (new reference), or -1 after answering
 * (404, 403, 503). */
static int training_hash_for_staff(portal_ctx *ctx, const char *key, const char *what, json_t **h)
{
	char msg[120];

	if (training_hgetall(ctx, key, h) < 0)
		return -1;
	if (json_object_size(*h) == 0) {
		snprintf(msg, sizeof(msg), "There is no such %s: check the address.", what);
		portal_reply_error(ctx, 404, "not_found", msg, NULL);
		goto fail;
	}
	if (!training_may_manage(ctx, training_text(*h, "agency_id"))) {
		portal_reply_forbidden(ctx, "Only trainers of the agency that runs this course, or a coordinator, can change it.");
		goto fail;
	}
	return 0;
fail:
	json_decref(*h);
	*h = NULL;
	return -1;
}

/* Course `id` for someone who means to change it (training_hash_for_staff). */
static int training_course_for_staff(portal_ctx *ctx, long long id, json_t **c)
{
	char key[200];

	training_key(ctx, key, sizeof(key), "training:course:{c:%lld}", id);
	return training_hash_for_staff(ctx, key, "course", c);
}

/* GET /training/courses/new: the empty form to add a course. */
static void training_course_new_page(portal_ctx *ctx)
{
	portal_reply(ctx, 200, training_course_page(ctx, NULL, json_object()));
}

/* GET /training/courses/{id}/edit: the form to change a course, filled in
 * with what is stored. */
static void training_course_edit_page(portal_ctx *ctx)
{
	long long id;
	json_t *c = NULL;

	if (training_param_id(ctx, "id", &id) < 0 || training_course_for_staff(ctx, id, &c) < 0)
		return;
	portal_reply(ctx, 200, training_course_page(ctx, c, training_course_form_values(c)));
	json_decref(c);
}

/* PUT courses/{id} (and the page's POST): a trainer edits only their
 * agency's courses. */
static void training_course_update(portal_ctx *ctx)
{
	long long id;
	char key[200], ids[24];
	json_t *c = NULL, *v = NULL, *errors = NULL, *after = NULL;

	if (training_param_id(ctx, "id", &id) < 0)
		return;
	if (portal_validate(ctx->req.body, training_course_fields, 6, &v, &errors) < 0) {
		json_t *data = NULL;
		/* the page needs the course to name it; a refusal answers instead */
		if (!ctx->req.is_api) {
			if (training_course_for_staff(ctx, id, &c) < 0) {
				json_decref(errors);
				return;
			}
			data = training_course_page(ctx, c, NULL);
			json_decref(c);
		}
		portal_reply_invalid(ctx, errors, data);
		return;
	}
	training_key(ctx, key, sizeof(key), "training:course:{c:%lld}", id);
	if (training_course_for_staff(ctx, id, &c) < 0)
		goto done;
	snprintf(ids, sizeof(ids), "%lld", id);
	if (training_course_store(ctx, key, ids, v, training_text(c, "agency_id")) < 0) {
		portal_reply_store_unavailable(ctx);
		goto done;
	}
	portal_audit(ctx, "training_course_updated", NULL, json_pack("{s:s}", "course_id", ids));
	if (!ctx->req.is_api) {
		portal_reply_redirect(ctx, "/training/courses");
		goto done;
	}
	if (training_hgetall(ctx, key, &after) < 0)
		goto done;
	portal_reply(ctx, 200, json_pack("{s:o}", "course", training_course_json(after)));
	json_decref(after);
done:
	json_decref(c);
	json_decref(v);
}

/* ---- sessions ------------------------------------------------------------- */


static const portal_field training_session_fields[] = {
	{ "course_id", PORTAL_FIELD_INT, 1, 1, 1000000000000LL, NULL, 0, "Course" },
	{ "starts_at", PORTAL_FIELD_TIME, 1, 0, 0, NULL, 0, "Start" },
	{ "ends_at", PORTAL_FIELD_TIME, 1, 0, 0, NULL, 0, "End" },
	{ "venue", PORTAL_FIELD_STRING, 0, 0, 200, NULL, 0, "Venue" },
	{ "online", PORTAL_FIELD_BOOL, 0, 0, 0, NULL, 0, "Online" },
	{ "join_link", PORTAL_FIELD_STRING, 0, 0, 500, NULL, 0, "Joining link" },
	{ "capacity", PORTAL_FIELD_INT, 1, 1, TRAINING_CAPACITY_MAX, NULL, 0, "Capacity" },
	{ "booking_closes_at", PORTAL_FIELD_TIME, 0, 0, 0, NULL, 0, "Booking close time" },
};
#define TRAINING_SESSION_NFIELDS (sizeof(training_session_fields) / sizeof(training_session_fields[0]))

/* Validate `input` against the table one field at a time, so that *v
 * holds every field that is right even when others are wrong (the checks
 * across fields then speak only of real mistakes).  Returns 0, or -1 with
 * *errors (new object) naming each wrong field; *v is always a new object. */
static int training_validate_each(const json_t *input, const portal_field *fields, size_t nfields,
                                  json_t **v, json_t **errors)
{
	size_t i;

	*v = json_object();
	*errors = NULL;
	for (i = 0; i < nfields; i++) {
		json_t *one = NULL, *err = NULL;

		if (portal_validate(input, &fields[i], 1, &one, &err) < 0) {
			if (*errors == NULL)
				*errors = json_object();
			json_object_update(*errors, err);
			json_decref(err);
		} else {
			json_object_update(*v, one);
			json_decref(one);
		}
	}
	return *errors ? -1 : 0;
}

/* The checks one field cannot make alone: times in order, a venue or
 * online, the link, seats set aside.  `v` is the validated object (with
 * absent fields taken from `current` on an edit, or NULL); adds messages
 * to *errors (created when needed) and fills the times and seats. */
static void training_session_rules(const portal_ctx *ctx, json_t *raw, json_t *v, json_t **errors,
                                   time_t *starts, time_t *ends, time_t *closes,
                                   long long seats[TRAINING_AGENCY_TYPE_COUNT])
{
	char msg[200];
	time_t now = time(NULL);
	long long cap = training_num(v, "capacity");
	const char *link = training_text(v, "join_link");

#define ADD(f, m) do { if (*errors == NULL) *errors = json_object(); \
	if (!json_object_get(*errors, f)) json_object_set_new(*errors, f, json_string(m)); } while (0)
	if (portal_time_parse(training_text(v, "starts_at"), starts) < 0)
		ADD("starts_at", "Enter the start as a date and time with its offset, like 2026-03-29T09:30:00+01:00");
	else if (*starts <= now)
		ADD("starts_at", "The start must be in the future");
	if (portal_time_parse(training_text(v, "ends_at"), ends) < 0)
		ADD("ends_at", "Enter the end as a date and time with its offset, like 2026-03-29T16:30:00+01:00");
	else if (*ends <= *starts)
		ADD("ends_at", "The end must be after the start");
	else if (*ends - *starts > 7 * 24 * 3600)
		ADD("ends_at", "A session can last at most 7 days");
	*closes = *starts;
	if (training_text(v, "booking_closes_at")[0]) {
		if (portal_time_parse(training_text(v, "booking_closes_at"), closes) < 0)
			ADD("booking_closes_at", "Enter the booking close time as a date and time with its offset");
		else if (*closes > *starts)
			ADD("booking_closes_at", "Booking must close before the session starts");
	}
	if (!json_is_true(json_object_get(v, "online")) && training_text(v, "venue")[0] == '\0')
		ADD("venue", "Enter the venue, or say the session is online");
	if (link[0] && strncmp(link, "https://", 8) != 0)
		ADD("join_link", "Enter the joining link as a web address starting with https://");
	if (link[0] && strpbrk(link, " \t\r\n\"<>"))
		ADD("join_link", "The joining link must not contain spaces or quotes");
	if (training_parse_agency_seats(raw, cap, seats, msg, sizeof(msg)) < 0)
		ADD("agency_seats", msg);
#undef ADD
	(void)ctx;
}

/* The courses the user may add sessions to, as options of the form's
 * course list (new array in *out) with `selected` (a course id as text or
 * number, or NULL) marked.  Returns 0, or -1 when Redis could not be read
 * (nothing answered). */
static int training_course_options(portal_ctx *ctx, const json_t *selected, json_t **out)
{
	char key[200], want[24] = "";
	redisReply *ids = NULL, *r = NULL;
	size_t i;

	if (json_is_string(selected))
		snprintf(want, sizeof(want), "%s", json_string_value(selected));
	else if (json_is_integer(selected))
		snprintf(want, sizeof(want), "%lld", (long long)json_integer_value(selected));
	*out = json_array();
	training_key(ctx, key, sizeof(key), "training:courses");
	ids = portal_store_command(ctx->store, "ZRANGE %s 0 %d", key, TRAINING_LIST_MAX - 1);
	if (ids == NULL || ids->type != REDIS_REPLY_ARRAY)
		goto fail;
	for (i = 0; i < ids->elements; i++) {
		training_key(ctx, key, sizeof(key), "training:course:{c:%s}", ids->element[i]->str);
		r = portal_store_command(ctx->store, "HMGET %s id title agency_id", key);
		if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != 3)
			goto fail;
		if (r->element[0]->type == REDIS_REPLY_STRING && r->element[1]->type == REDIS_REPLY_STRING &&
		    training_may_manage(ctx, r->element[2]->type == REDIS_REPLY_STRING ? r->element[2]->str : ""))
			json_array_append_new(*out, json_pack("{s:s, s:s, s:b}", "id", r->element[0]->str,
			        "title", r->element[1]->str, "selected", strcmp(want, r->element[0]->str) == 0));
		freeReplyObject(r);
		r = NULL;
	}
	freeReplyObject(ids);
	return 0;
fail:
	if (r)
		freeReplyObject(r);
	if (ids)
		freeReplyObject(ids);
	json_decref(*out);
	*out = NULL;
	return -1;
}

/* The data of the session form page (new reference), or NULL after
 * answering 503.  Adding a session when `session` is NULL (with the
 * courses the user may add to), else changing that stored session.
 * `form` (the values to show) is stolen; NULL takes what was typed. */
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
		snprintf(action, sizeof(action), "/training/sessions/%s", training_text(session, "id"));
		json_object_set_new(data, "session", training_session_json(session, time(NULL), 1));
	} else {
		if (training_course_options(ctx, json_object_get(form, "course_id"), &courses) < 0)
			goto fail;
		json_object_set_new(data, "has_courses", json_boolean(json_array_size(courses) > 0));
		json_object_set_new(data, "courses", courses);
		snprintf(action, sizeof(action), "/training/sessions");
	}
	json_object_set_new(data, "action", json_string(action));
	json_object_set_new(data, "form", form);
	return data;
fail:
	json_decref(form);
	json_decref(data);
	portal_reply_store_unavailable(ctx);
	return NULL;
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
 * fields, with the page form's own errors (`form_errors`, or NULL) over
 * theirs.  0 with *v (the validated object), the times and the seats; or -1
 * when the 422 was answered (*v may still be set: the caller frees it). */
static int training_session_check(portal_ctx *ctx, json_t *raw, const json_t *current,
                                  const json_t *form_errors, json_t **v,
                                  time_t *starts, time_t *ends, time_t *closes,
                                  long long seats[TRAINING_AGENCY_TYPE_COUNT])
{
	json_t *errors = NULL;

	training_validate_each(raw, training_session_fields, TRAINING_SESSION_NFIELDS, v, &errors);
	training_session_rules(ctx, raw, *v, &errors, starts, ends, closes, seats);
	if (form_errors) {
		if (errors == NULL)
			errors = json_object();
		training_errors_override(errors, form_errors);
	}
	if (errors == NULL)
		return 0;
	training_session_invalid(ctx, current, errors);
	return -1;
}

/* GET /training/sessions/new?course=: the empty form to add a session. */
static void training_session_new_page(portal_ctx *ctx)
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

/* GET sessions?course=&from=&to= : upcoming sessions by start, at most
 * TRAINING_LIST_MAX. */
static void training_sessions_list(portal_ctx *ctx)
{
	static const portal_field fields[] = {
		{ "course", PORTAL_FIELD_INT, 0, 1, 1000000000000LL, NULL, 0, "Course" },
		{ "from", PORTAL_FIELD_DATE, 0, 0, 0, NULL, 0, "From date" },
		{ "to", PORTAL_FIELD_DATE, 0, 0, 0, NULL, 0, "To date" },
	};
	json_t *q = NULL, *errors = NULL, *list = json_array();
	time_t now = time(NULL), from = now - 24 * 3600, to = 0;
	char key[200], min[32], max[32];
	redisReply *ids = NULL, **replies = NULL;
	struct { char key[200]; const char *argv[2]; } *keys = NULL;
	const char ***argv = NULL;
	int *argc = NULL;
	long long course = 0;
	size_t i, n = 0;

	if (portal_validate(ctx->req.query, fields, 3, &q, &errors) < 0) {
		json_decref(list);
		portal_reply_invalid(ctx, errors, NULL);
		return;
	}
	course = training_num(q, "course");
	if (training_text(q, "from")[0])
		portal_date_parse(training_text(q, "from"), &from);
	if (training_text(q, "to")[0]) {
		portal_date_parse(training_text(q, "to"), &to);
		to += 24 * 3600 - 1;
	}
	snprintf(min, sizeof(min), "%lld", (long long)from);
	snprintf(max, sizeof(max), to ? "%lld" : "+inf", (long long)to);
	training_key(ctx, key, sizeof(key), "training:sessions");
	ids = portal_store_command(ctx->store, "ZRANGEBYSCORE %s %s %s LIMIT 0 %d", key, min, max,
	                           course ? TRAINING_REPORT_SESSIONS_MAX : TRAINING_LIST_MAX);
	if (ids == NULL || ids->type != REDIS_REPLY_ARRAY) {
		portal_reply_store_unavailable(ctx);
		goto done;
	}
	/* every session's hash in one round trip */
	n = ids->elements;
	if (n && ((keys = calloc(n, sizeof(*keys))) == NULL || (argv = calloc(n, sizeof(*argv))) == NULL ||
	          (argc = calloc(n, sizeof(*argc))) == NULL || (replies = calloc(n, sizeof(*replies))) == NULL)) {
		portal_reply_internal_error(ctx, "out of memory listing sessions");
		goto done;
	}
	for (i = 0; i < n; i++) {
		training_key(ctx, keys[i].key, sizeof(keys[i].key), "training:{s:%s}:session", ids->element[i]->str);
		keys[i].argv[0] = "HGETALL";
		keys[i].argv[1] = keys[i].key;
		argv[i] = keys[i].argv;
		argc[i] = 2;
	}
	if (n && portal_store_pipeline(ctx->store, n, argc, argv, replies) < 0) {
		portal_reply_store_unavailable(ctx);
		goto done;
	}
	for (i = 0; i < n && json_array_size(list) < TRAINING_LIST_MAX; i++) {
		json_t *s;
		if (replies[i]->type != REDIS_REPLY_ARRAY)
			continue;
		s = training_hash_object(replies[i]);
		if (json_object_size(s) && (course == 0 || training_num(s, "course_id") == course)) {
			json_t *sj = training_session_json(s, now, 0);
			json_object_set_new(sj, "can_change", json_boolean(training_may_manage(ctx, training_text(s, "agency_id"))));
			json_array_append_new(list, sj);
		}
		json_decref(s);
	}
	portal_reply(ctx, 200, json_pack("{s:O, s:b, s:b, s:b}", "sessions", list,
	             "has_sessions", json_array_size(list) > 0,
	             "may_manage", portal_user_has(ctx, STAFF),
	             "is_coordinator", portal_user_has(ctx, PORTAL_ROLE_COORDINATOR)));
done:
	for (i = 0; replies && i < n; i++)
		if (replies[i])
			freeReplyObject(replies[i]);
	free(replies);
	free(argc);
	free(argv);
	free(keys);
	if (ids)
		freeReplyObject(ids);
	json_decref(list);
	json_decref(q);
}

/* POST sessions: a trainer for their agency's courses, a coordinator for any. */
static void training_session_create(portal_ctx *ctx)
{
	json_t *v = NULL, *course = NULL, *s = NULL, *input = NULL, *form_errors = NULL;
	long long seats[TRAINING_AGENCY_TYPE_COUNT];
	time_t starts = 0, ends = 0, closes = 0;
	char key[200], id[24], cap[24], st[24], en[24], cl[24], sv[TRAINING_AGENCY_TYPE_COUNT][24], loc[64];
	redisReply *r = NULL;
	size_t i;

	/* a page's form gives times as date and time parts */
	input = ctx->req.is_api ? json_incref(ctx->req.body) : training_session_form_input(ctx->req.body, &form_errors);
	if (training_session_check(ctx, input, NULL, form_errors, &v, &starts, &ends, &closes, seats) < 0)
		goto done;
	training_key(ctx, key, sizeof(key), "training:course:{c:%lld}", training_num(v, "course_id"));
	if (training_hgetall(ctx, key, &course) < 0)
		goto done;
	if (json_object_size(course) == 0) {
		training_session_invalid(ctx, NULL, json_pack("{s:s}", "course_id", "Choose a course that exists"));
		goto done;
	}
	if (!training_may_manage(ctx, training_text(course, "agency_id"))) {
		portal_reply_forbidden(ctx, "Trainers can add sessions only to their own agency's courses.");
		goto done;
	}
	training_key(ctx, key, sizeof(key), "training:sessions:seq");
	if ((r = portal_store_command(ctx->store, "INCR %s", key)) == NULL || r->type != REDIS_REPLY_INTEGER)
		goto unavailable;
	snprintf(id, sizeof(id), "%lld", r->integer);
	freeReplyObject(r);
	snprintf(cap, sizeof(cap), "%lld", training_num(v, "capacity"));
	snprintf(st, sizeof(st), "%lld", (long long)starts);
	snprintf(en, sizeof(en), "%lld", (long long)ends);
	snprintf(cl, sizeof(cl), "%lld", (long long)closes);
	for (i = 0; i < TRAINING_AGENCY_TYPE_COUNT; i++)
		snprintf(sv[i], sizeof(sv[i]), "%lld", seats[i]);
	training_key(ctx, key, sizeof(key), "training:{s:%s}:session", id);
	r = portal_store_command(ctx->store,
	        "HSET %s id %s course_id %s course_title %s organisation %s agency_id %s starts_at %s ends_at %s "
	        "booking_closes_at %s venue %s online %s join_link %s capacity %s status scheduled sequence 0 "
	        "confirmed 0 waitlist_length 0 seats:police %s seats:local_authority %s seats:health %s seats:ngo %s seats:other %s "
	        "created_by %s",
	        key, id, training_text(course, "id"), training_text(course, "title"), training_text(course, "organisation"),
	        training_text(course, "agency_id"), st, en, cl, training_text(v, "venue"),
	        json_is_true(json_object_get(v, "online")) ? "1" : "0", training_text(v, "join_link"), cap,
	        sv[0], sv[1], sv[2], sv[3], sv[4], training_username(ctx));
	if (r == NULL || r->type == REDIS_REPLY_ERROR)
		goto unavailable;
	freeReplyObject(r);
	training_key(ctx, key, sizeof(key), "training:sessions");
	if ((r = portal_store_command(ctx->store, "ZADD %s %s %s", key, st, id)) == NULL)
		goto unavailable;
	freeReplyObject(r);
	r = NULL;
	portal_audit(ctx, "training_session_created", NULL, json_pack("{s:s, s:s, s:s, s:s}", "session_id", id,
	             "course_id", training_text(course, "id"), "starts_at", training_text(v, "starts_at"), "capacity", cap));
	training_key(ctx, key, sizeof(key), "training:{s:%s}:session", id);
	if (training_hgetall(ctx, key, &s) < 0)
		goto done;
	if (ctx->req.is_api)
		portal_reply(ctx, 201, json_pack("{s:o}", "session", training_session_json(s, time(NULL), 1)));
	else {
		snprintf(loc, sizeof(loc), "/training/sessions/%s", id);
		portal_reply_redirect(ctx, loc);
	}
	json_decref(s);
	goto done;
unavailable:
	if (r)
		freeReplyObject(r);
	portal_reply_store_unavailable(ctx);
done:
	json_decref(form_errors);
	json_decref(input);
	json_decref(course);
	json_decref(v);
}

/* GET sessions/{id}: the session, and the person's own booking. */
static void training_session_get(portal_ctx *ctx)
{
	long long id;
	json_t *out = NULL, *mine, *data;
	const char *args[3] = { NULL, "0", "0" };
	int show_link;

	if (training_param_id(ctx, "id", &id) < 0)
		return;
	args[0] = training_username(ctx);
	if (training_eval(ctx, TRAINING_SCRIPT_SESSION_VIEW, id, 3, args, &out) < 0)
		return;
	if (json_object_get(out, "err")) {
		training_script_error(ctx, training_text(out, "err"), NULL);
		json_decref(out);
		return;
	}
	mine = json_object_get(out, "mine");
	show_link = (mine && strcmp(training_text(mine, "status"), "confirmed") == 0) ||
	            training_may_manage(ctx, training_text(json_object_get(out, "session"), "agency_id"));
	data = json_pack("{s:o, s:b}", "session",
	                 training_session_json(json_object_get(out, "session"), time(NULL), show_link),
	                 "may_manage", training_may_manage(ctx, training_text(json_object_get(out, "session"), "agency_id")));
	if (mine)
		json_object_set_new(data, "booking", training_booking_json(mine));
	json_object_set_new(data, "title", json_string(training_text(json_object_get(out, "session"), "course_title")));
	portal_reply(ctx, 200, data);
	json_decref(out);
}

/* Session `id` for someone who means to change it (training_hash_for_staff). */
static int training_session_for_staff(portal_ctx *ctx, long long id, json_t **s)
{
	char key[200];

	training_key(ctx, key, sizeof(key), "training:{s:%lld}:session", id);
	return training_hash_for_staff(ctx, key, "training session", s);
}

/* PUT sessions/{id}: change times, place, capacity or seats set aside; the
 * calendar sequence is bumped and freed seats are offered to the waitlist. */
static void training_session_update(portal_ctx *ctx)
{
	long long id, seats[TRAINING_AGENCY_TYPE_COUNT];
	json_t *cur = NULL, *merged = NULL, *v = NULL, *changes = NULL, *out = NULL, *form_errors = NULL;
	time_t starts = 0, ends = 0, closes = 0;
	char now_s[24], rel[24], cut[24], *changes_s = NULL, buf[32], loc[64];
	const char *args[4];
	size_t i;

	if (training_param_id(ctx, "id", &id) < 0 || training_session_for_staff(ctx, id, &cur) < 0)
		return;
	/* absent fields keep their current values; a page's form sends every
	 * field, its times as date and time parts, its seats as seats_<type> */
	merged = ctx->req.is_api ? json_deep_copy(ctx->req.body) : training_session_form_input(ctx->req.body, &form_errors);
	json_object_set_new(merged, "course_id", json_string(training_text(cur, "course_id")));
#define KEEP_TIME(f) if (!json_object_get(merged, f)) { portal_time_format((time_t)training_num(cur, f), buf, sizeof(buf)); json_object_set_new(merged, f, json_string(buf)); }
	KEEP_TIME("starts_at")
	KEEP_TIME("ends_at")
	KEEP_TIME("booking_closes_at")
#undef KEEP_TIME
	if (!json_object_get(merged, "venue"))
		json_object_set_new(merged, "venue", json_string(training_text(cur, "venue")));
	if (!json_object_get(merged, "online"))
		json_object_set_new(merged, "online", json_boolean(training_num(cur, "online")));
	if (!json_object_get(merged, "join_link"))
		json_object_set_new(merged, "join_link", json_string(training_text(cur, "join_link")));
	if (!json_object_get(merged, "capacity"))
		json_object_set_new(merged, "capacity", json_integer(training_num(cur, "capacity")));
	if (ctx->req.is_api && !json_object_get(merged, "agency_seats")) {
		json_t *o = json_object();
		for (i = 0; training_agency_types[i]; i++)
			json_object_set_new(o, training_agency_types[i], json_integer(training_num(cur, training_seats_key(i))));
		json_object_set_new(merged, "agency_seats", o);
	}
	if (training_session_check(ctx, merged, cur, form_errors, &v, &starts, &ends, &closes, seats) < 0)
		goto done;
	changes = json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:I}", "starts_at", (json_int_t)starts,
	        "ends_at", (json_int_t)ends, "booking_closes_at", (json_int_t)closes,
	        "venue", training_text(v, "venue"), "online", json_is_true(json_object_get(v, "online")) ? "1" : "0",
	        "join_link", training_text(v, "join_link"), "capacity", (json_int_t)training_num(v, "capacity"));
	for (i = 0; training_agency_types[i]; i++)
		json_object_set_new(changes, training_seats_key(i), json_integer(seats[i]));
	changes_s = json_dumps(changes, JSON_COMPACT);
	snprintf(now_s, sizeof(now_s), "%lld", (long long)time(NULL));
	snprintf(rel, sizeof(rel), "%lld", training_release_seconds());
	snprintf(cut, sizeof(cut), "%lld", training_cutoff_seconds());
	args[0] = now_s; args[1] = changes_s ? changes_s : "{}"; args[2] = rel; args[3] = cut;
	if (training_eval(ctx, TRAINING_SCRIPT_SESSION_UPDATE, id, 4, args, &out) < 0)
		goto done;
	if (json_object_get(out, "err")) {
		training_script_error(ctx, training_text(out, "err"), NULL);
		goto done;
	}
	portal_audit(ctx, "training_session_updated", NULL, json_pack("{s:I, s:O}", "session_id", (json_int_t)id, "changes", changes));
	training_audit_promoted(ctx, json_object_get(out, "promoted"));
	if (ctx->req.is_api)
		portal_reply(ctx, 200, json_pack("{s:o}", "session", training_session_json(json_object_get(out, "session"), time(NULL), 1)));
	else {
		snprintf(loc, sizeof(loc), "/training/sessions/%lld", id);
		portal_reply_redirect(ctx, loc);
	}
done:
	json_decref(form_errors);
	free(changes_s);
	json_decref(out);
	json_decref(changes);
	json_decref(merged);
	json_decref(cur);
	json_decref(v);
}

/* GET /training/sessions/{id}/edit: the form to change a session, filled
 * in with what is stored. */
static void training_session_edit_page(portal_ctx *ctx)
{
	long long id;
	json_t *cur = NULL, *data;

	if (training_param_id(ctx, "id", &id) < 0 || training_session_for_staff(ctx, id, &cur) < 0)
		return;
	if ((data = training_session_page(ctx, cur, training_session_form_values(cur))) != NULL)
		portal_reply(ctx, 200, data);
	json_decref(cur);
}

/* GET /training/sessions/{id}/cancel: the step that asks to confirm the
 * cancellation, saying how many people it affects. */
static void training_session_cancel_page(portal_ctx *ctx)
{
	long long id;
	json_t *cur = NULL;

	if (training_param_id(ctx, "id", &id) < 0 || training_session_for_staff(ctx, id, &cur) < 0)
		return;
	portal_reply(ctx, 200, json_pack("{s:o}", "session", training_session_json(cur, time(NULL), 1)));
	json_decref(cur);
}

/* POST sessions/{id}/cancel: every booking is cancelled; each booker sees a
 * notice; the calendar sequence is bumped. */
static void training_session_cancel(portal_ctx *ctx)
{
	long long id;
	json_t *cur = NULL, *out = NULL;
	const json_t *b;
	char now_s[24], loc[64];
	const char *args[2];
	size_t i;

	if (training_param_id(ctx, "id", &id) < 0 || training_session_for_staff(ctx, id, &cur) < 0)
		return;
	snprintf(now_s, sizeof(now_s), "%lld", (long long)time(NULL));
	args[0] = now_s;
	args[1] = training_username(ctx);
	if (training_eval(ctx, TRAINING_SCRIPT_SESSION_CANCEL, id, 2, args, &out) < 0)
		goto done;
	if (json_object_get(out, "err")) {
		training_script_error(ctx, training_text(out, "err"), NULL);
		goto done;
	}
	portal_audit(ctx, "training_session_cancelled", NULL, json_pack("{s:I}", "session_id", (json_int_t)id));
	json_array_foreach(json_object_get(out, "bookings"), i, b) {
		portal_metric_event(ctx, TRAINING_EV_CANCELLED);
		portal_audit(ctx, "training_booking_cancelled", NULL, json_pack("{s:s, s:I, s:s, s:s}",
		             "booking_id", training_text(b, "id"), "session_id", (json_int_t)id,
		             "person", training_text(b, "username"), "reason", "session_cancelled"));
	}
	if (ctx->req.is_api)
		portal_reply(ctx, 200, json_pack("{s:o}", "session", training_session_json(json_object_get(out, "session"), time(NULL), 0)));
	else {
		snprintf(loc, sizeof(loc), "/training/sessions/%lld", id);
		portal_reply_redirect(ctx, loc);
	}
done:
	json_decref(out);
	json_decref(cur);
}

/* ---- bookings ------------------------------------------------------------- */

/* POST sessions/{id}/bookings: confirmed when a seat is free for the
 * person's agency type, else waitlisted. */
static void training_book(portal_ctx *ctx)
{
	long long id;
	json_t *out = NULL, *booking;
	const json_t *agency = json_object_get(ctx->user, "agency");
	char now_s[24], rel[24], cut[24], wmax[24], loc[64];
	const char *args[9], *type = portal_user_agency_type(ctx), *status;
	time_t now = time(NULL);

	if (training_param_id(ctx, "id", &id) < 0)
		return;
	if (type == NULL || !(strcmp(type, "police") == 0 || strcmp(type, "local_authority") == 0 ||
	    strcmp(type, "health") == 0 || strcmp(type, "ngo") == 0))
		type = "other";
	snprintf(now_s, sizeof(now_s), "%lld", (long long)now);
	snprintf(rel, sizeof(rel), "%lld", training_release_seconds());
	snprintf(cut, sizeof(cut), "%lld", training_cutoff_seconds());
	snprintf(wmax, sizeof(wmax), "%d", TRAINING_WAITLIST_MAX);
	args[0] = now_s;
	args[1] = training_username(ctx);
	args[2] = training_text(ctx->user, "name");
	args[3] = training_text(agency, "id");
	args[4] = training_text(agency, "name");
	args[5] = type;
	args[6] = rel;
	args[7] = cut;
	args[8] = wmax;
	if (training_eval(ctx, TRAINING_SCRIPT_BOOK, id, 9, args, &out) < 0)
		return;
	training_audit_promoted(ctx, json_object_get(out, "promoted"));
	if (json_object_get(out, "err")) {
		const json_t *e = json_object_get(out, "booking");
		if (e) /* repair the index if an earlier answer was lost */
			training_index_booking(ctx, args[1], training_text(e, "id"), now);
		training_script_error(ctx, training_text(out, "err"),
		        e ? json_pack("{s:o}", "booking", training_booking_json(e)) : NULL);
		goto done;
	}
	booking = json_object_get(out, "booking");
	status = training_text(booking, "status");
	training_index_booking(ctx, args[1], training_text(booking, "id"), now);
	portal_metric_event(ctx, strcmp(status, "confirmed") == 0 ? TRAINING_EV_CONFIRMED : TRAINING_EV_WAITLISTED);
	portal_audit(ctx, strcmp(status, "confirmed") == 0 ? "training_booking_confirmed" : "training_booking_waitlisted",
	             NULL, json_pack("{s:s, s:I, s:I}", "booking_id", training_text(booking, "id"),
	             "session_id", (json_int_t)id, "waitlist_position", (json_int_t)training_num(booking, "waitlist_position")));
	if (ctx->req.is_api)
		portal_reply(ctx, 201, json_pack("{s:o}", "booking", training_booking_json(booking)));
	else {
		snprintf(loc, sizeof(loc), "/training/sessions/%lld", id);
		portal_reply_redirect(ctx, loc);
	}
done:
	json_decref(out);
}

/* Read booking `bid` and its session.  Returns 0 with *out ({booking,
 * session}), or -1 after answering.  With clear_notice the booking's
 * notice is cleared (only when its owner dismisses it). */
static int training_booking_load(portal_ctx *ctx, const char *bid, int clear_notice, json_t **out)
{
	long long sid, n;
	const char *args[2] = { bid, clear_notice ? "1" : "0" };

	if (training_parse_booking_id(bid, &sid, &n) < 0) {
		portal_reply_error(ctx, 404, "not_found", "There is no such booking: check the address.", NULL);
		return -1;
	}
	if (training_eval(ctx, TRAINING_SCRIPT_BOOKING_VIEW, sid, 2, args, out) < 0)
		return -1;
	if (json_object_get(*out, "err")) {
		training_script_error(ctx, training_text(*out, "err"), NULL);
		json_decref(*out);
		return -1;
	}
	return 0;
}

/* The booking with its session, for "My training" (new reference). */
static json_t *training_booking_with_session(const json_t *view, time_t now, const char *username)
{
	const json_t *b = json_object_get(view, "booking"), *s = json_object_get(view, "session");
	int confirmed = strcmp(training_text(b, "status"), "confirmed") == 0;
	json_t *out = training_booking_json(b);
	const char *notice = training_text(b, "notice");

	json_object_set_new(out, "session", training_session_json(s, now, confirmed && strcmp(training_text(b, "username"), username) == 0));
	if (strcmp(notice, "promoted") == 0 && confirmed)
		json_object_set_new(out, "notice", json_string("Your place is confirmed"));
	else if (strcmp(notice, "session_cancelled") == 0)
		json_object_set_new(out, "notice", json_string("This session has been cancelled"));
	json_object_set_new(out, "has_calendar", json_boolean(training_num(b, "confirmed_at") > 0));
	return out;
}

/* GET bookings (mine) and "My training": upcoming, past, completed. */
static void training_my_bookings(portal_ctx *ctx)
{
	char key[300];
	redisReply *ids;
	json_t *all = json_array(), *upcoming = json_array(), *past = json_array(), *completed = json_array(),
	       *notices = json_array();
	time_t now = time(NULL);
	size_t i;

	training_key(ctx, key, sizeof(key), "training:user:{u:%s}:bookings", training_username(ctx));
	ids = portal_store_command(ctx->store, "ZREVRANGE %s 0 %d", key, TRAINING_MY_BOOKINGS_MAX - 1);
	if (ids == NULL || ids->type != REDIS_REPLY_ARRAY) {
		portal_reply_store_unavailable(ctx);
		goto done;
	}
	for (i = 0; i < ids->elements; i++) {
		json_t *view, *b;
		const json_t *s;
		if (training_booking_load(ctx, ids->element[i]->str, 0, &view) < 0)
			goto done;
		b = training_booking_with_session(view, now, training_username(ctx));
		s = json_object_get(b, "session");
		if (json_object_get(b, "notice"))
			json_array_append_new(notices, json_pack("{s:O, s:O, s:O}", "text", json_object_get(b, "notice"),
			                      "course_title", json_object_get(s, "course_title"), "booking_id", json_object_get(b, "id")));
		if (strcmp(training_text(b, "attendance"), "attended") == 0 && json_is_true(json_object_get(b, "is_confirmed")))
			json_array_append_new(completed, json_pack("{s:O, s:O, s:O}", "course_id", json_object_get(s, "course_id"),
			                      "course_title", json_object_get(s, "course_title"), "completed_at", json_object_get(s, "ends_at")));
		if (json_is_true(json_object_get(s, "past")))
			json_array_append(past, b);
		else if (!json_is_true(json_object_get(b, "is_cancelled")) || json_object_get(b, "notice"))
			json_array_append(upcoming, b);
		json_array_append_new(all, b);
		json_decref(view);
	}
	portal_reply(ctx, 200, json_pack("{s:O, s:O, s:O, s:O, s:O, s:b, s:b, s:b, s:b}",
	             "bookings", all, "upcoming", upcoming, "past", past, "completed", completed,
	             "notices", notices, "has_upcoming", json_array_size(upcoming) > 0,
	             "has_past", json_array_size(past) > 0, "has_completed", json_array_size(completed) > 0,
	             "has_notices", json_array_size(notices) > 0));
done:
	if (ids)
		freeReplyObject(ids);
	json_decref(all);
	json_decref(upcoming);
	json_decref(past);
	json_decref(completed);
	json_decref(notices);
}

/* POST bookings/{id}/notice/dismiss: the person has read the notice on
 * their booking ("Your place is confirmed", "This session has been
 * cancelled"); it stays on "My training" until then. */
static void training_notice_dismiss(portal_ctx *ctx)
{
	const char *bid = json_string_value(json_object_get(ctx->req.params, "id"));
	json_t *view = NULL;

	if (training_booking_load(ctx, bid, 0, &view) < 0)
		return;
	if (strcmp(training_text(json_object_get(view, "booking"), "username"), training_username(ctx)) != 0) {
		portal_reply_forbidden(ctx, "You can dismiss only the notices on your own bookings.");
		goto done;
	}
	json_decref(view);
	view = NULL;
	/* the booking is the person's: now clear its notice */
	if (training_booking_load(ctx, bid, 1, &view) < 0)
		return;
	if (ctx->req.is_api)
		portal_reply_no_content(ctx);
	else
		portal_reply_redirect(ctx, "/training/my");
done:
	json_decref(view);
}

/* GET bookings/{id}: the person's own, or staff of the session's agency. */
static void training_booking_get(portal_ctx *ctx)
{
	json_t *view;
	const json_t *b;

	if (training_booking_load(ctx, json_string_value(json_object_get(ctx->req.params, "id")), 0, &view) < 0)
		return;
	b = json_object_get(view, "booking");
	if (strcmp(training_text(b, "username"), training_username(ctx)) != 0 &&
	    !training_may_manage(ctx, training_text(json_object_get(view, "session"), "agency_id")))
		portal_reply_forbidden(ctx, "You can see only your own bookings.");
	else
		portal_reply(ctx, 200, json_pack("{s:o}", "booking", training_booking_with_session(view, time(NULL), training_username(ctx))));
	json_decref(view);
}

/* DELETE bookings/{id} and the page's cancel form: the person's own (until
 * the session starts), or any by a trainer of the agency or a coordinator.
 * A freed seat goes to the waitlist in the same script. */
static void training_booking_cancel(portal_ctx *ctx)
{
	const char *bid = json_string_value(json_object_get(ctx->req.params, "id"));
	long long sid, n;
	json_t *out = NULL;
	char now_s[24], rel[24], cut[24];
	const char *args[8];
	const json_t *b;

	if (training_parse_booking_id(bid, &sid, &n) < 0) {
		portal_reply_error(ctx, 404, "not_found", "There is no such booking: check the address.", NULL);
		return;
	}
	snprintf(now_s, sizeof(now_s), "%lld", (long long)time(NULL));
	snprintf(rel, sizeof(rel), "%lld", training_release_seconds());
	snprintf(cut, sizeof(cut), "%lld", training_cutoff_seconds());
	args[0] = now_s;
	args[1] = bid;
	args[2] = training_username(ctx);
	args[3] = portal_user_has(ctx, PORTAL_ROLE_COORDINATOR) ? "1" : portal_user_has(ctx, PORTAL_ROLE_TRAINER) ? "2" : "0";
	args[4] = rel;
	args[5] = cut;
	args[6] = "cancelled";
	args[7] = portal_user_agency_id(ctx) ? portal_user_agency_id(ctx) : "";
	if (training_eval(ctx, TRAINING_SCRIPT_CANCEL, sid, 8, args, &out) < 0)
		return;
	if (json_object_get(out, "err")) {
		training_script_error(ctx, training_text(out, "err"), NULL);
		goto done;
	}
	b = json_object_get(out, "booking");
	if (strcmp(training_text(b, "was"), "waitlisted") != 0)
		portal_metric_event(ctx, TRAINING_EV_CANCELLED);
	portal_audit(ctx, strcmp(training_text(b, "was"), "waitlisted") == 0 ? "training_waitlist_left" : "training_booking_cancelled",
	             NULL, json_pack("{s:s, s:I, s:s}", "booking_id", bid, "session_id", (json_int_t)sid,
	                             "person", training_text(b, "username")));
	training_audit_promoted(ctx, json_object_get(out, "promoted"));
	if (ctx->req.is_api)
		portal_reply_no_content(ctx);
	else
		portal_reply_redirect(ctx, strcmp(training_text(b, "username"), training_username(ctx)) == 0
		                      ? "/training/my" : "/training/");
done:
	json_decref(out);
}

/* GET bookings/{id}/calendar.ics: the person's own booking, once confirmed. */
static void training_booking_calendar(portal_ctx *ctx)
{
	const char *bid = json_string_value(json_object_get(ctx->req.params, "id"));
	json_t *view;
	const json_t *b, *s;
	training_ics_event ev;
	portal_buf out, uid, desc;
	char file[64];
	int online;

	if (training_booking_load(ctx, bid, 0, &view) < 0)
		return;
	b = json_object_get(view, "booking");
	s = json_object_get(view, "session");
	if (strcmp(training_text(b, "username"), training_username(ctx)) != 0) {
		portal_reply_forbidden(ctx, "You can download only your own bookings.");
		json_decref(view);
		return;
	}
	if (training_num(b, "confirmed_at") == 0) {
		portal_reply_error(ctx, 409, "not_confirmed", "A calendar file is available once your place is confirmed.", NULL);
		json_decref(view);
		return;
	}
	online = training_num(s, "online") != 0;
	portal_buf_init(&out, 256 * 1024);
	portal_buf_init(&uid, 256);
	portal_buf_init(&desc, 8192);
	portal_buf_printf(&uid, "training-booking-%s@london-anti-slavery-portal", bid);
	portal_buf_printf(&desc, "%s training session delivered by %s.", training_text(s, "course_title"),
	                  training_text(s, "organisation"));
	memset(&ev, 0, sizeof(ev));
	ev.uid = uid.data;
	ev.summary = training_text(s, "course_title");
	ev.location = online ? "Online" : training_text(s, "venue");
	ev.description = desc.data;
	ev.cancelled = strcmp(training_text(b, "status"), "confirmed") != 0 ||
	               strcmp(training_text(s, "status"), "scheduled") != 0;
	ev.url = online && !ev.cancelled ? training_text(s, "join_link") : NULL;
	ev.starts = (time_t)training_num(s, "starts_at");
	ev.ends = (time_t)training_num(s, "ends_at");
	ev.stamp = time(NULL);
	/* the booking's own cancellation changes the event too */
	ev.sequence = training_num(s, "sequence") + (strcmp(training_text(b, "status"), "cancelled") == 0 &&
	              strcmp(training_text(s, "status"), "scheduled") == 0 ? 1 : 0);
	snprintf(file, sizeof(file), "training-%s.ics", bid);
	if (training_ics_build(&out, &ev) < 0)
		portal_reply_internal_error(ctx, "calendar too large");
	else
		portal_reply_body(ctx, 200, "text/calendar; charset=utf-8", file, out.data, out.len);
	portal_buf_free(&out);
	portal_buf_free(&uid);
	portal_buf_free(&desc);
	json_decref(view);
}

/* ---- roster and attendance ------------------------------------------------ */

/* Load the roster of session {id} for staff.  Returns 0 with *out (the
 * script's answer), or -1 after answering. */
static int training_roster_load(portal_ctx *ctx, long long *id, json_t **out)
{
	const char *args[3] = { "", "1", "0" };

	if (training_param_id(ctx, "id", id) < 0)
		return -1;
	if (training_eval(ctx, TRAINING_SCRIPT_SESSION_VIEW, *id, 3, args, out) < 0)
		return -1;
	if (json_object_get(*out, "err")) {
		training_script_error(ctx, training_text(*out, "err"), NULL);
		json_decref(*out);
		return -1;
	}
	if (!training_may_manage(ctx, training_text(json_object_get(*out, "session"), "agency_id"))) {
		portal_reply_forbidden(ctx, "Only trainers of the agency that runs this course, or a coordinator, can see its roster.");
		json_decref(*out);
		return -1;
	}
	return 0;
}

/* GET sessions/{id}/roster: name, agency, agency type, status. */
static void training_roster(portal_ctx *ctx)
{
	long long id;
	json_t *out, *list = json_array();
	const json_t *b;
	time_t now = time(NULL);
	size_t i;
	const json_t *s;
	int can_mark;

	if (training_roster_load(ctx, &id, &out) < 0) {
		json_decref(list);
		return;
	}
	s = json_object_get(out, "session");
	can_mark = now >= training_num(s, "starts_at") && now <= training_num(s, "starts_at") + TRAINING_ATTENDANCE_WINDOW;
	json_array_foreach(json_object_get(out, "roster"), i, b) {
		json_t *v = training_booking_json(b);
		json_object_set_new(v, "can_mark", json_boolean(can_mark && strcmp(training_text(b, "status"), "confirmed") == 0));
		json_array_append_new(list, v);
	}
	portal_reply(ctx, 200, json_pack("{s:o, s:o, s:b, s:b, s:s}", "session", training_session_json(s, now, 1),
	             "roster", list, "has_roster", json_array_size(list) > 0, "can_mark", can_mark,
	             "title", "Session roster"));
	json_decref(out);
}

/* GET sessions/{id}/roster.csv */
static void training_roster_csv_get(portal_ctx *ctx)
{
	long long id;
	json_t *out;
	portal_buf csv;
	char file[64];

	if (training_roster_load(ctx, &id, &out) < 0)
		return;
	portal_buf_init(&csv, 4 * 1024 * 1024);
	snprintf(file, sizeof(file), "roster-session-%lld.csv", id);
	if (training_roster_csv(&csv, json_object_get(out, "roster")) < 0)
		portal_reply_internal_error(ctx, "roster too large");
	else
		portal_reply_body(ctx, 200, "text/csv; charset=utf-8", file, csv.data, csv.len);
	portal_buf_free(&csv);
	json_decref(out);
}

/* PUT sessions/{id}/attendance/{booking_id} {"attendance"}: from the
 * session's start until 14 days after. */
static void training_attendance(portal_ctx *ctx)
{
	static const char *const marks[] = { "attended", "partial", "no_show", NULL };
	static const portal_field fields[] = {
		{ "attendance", PORTAL_FIELD_ENUM, 1, 0, 0, marks, 0, "Attendance" },
	};
	long long id, sid, n;
	const char *bid = json_string_value(json_object_get(ctx->req.params, "booking_id"));
	json_t *v = NULL, *errors = NULL, *cur = NULL, *out = NULL;
	char now_s[24], win[24], loc[80];
	const char *args[5];

	if (training_param_id(ctx, "id", &id) < 0)
		return;
	if (training_parse_booking_id(bid, &sid, &n) < 0 || sid != id) {
		portal_reply_error(ctx, 404, "not_found", "There is no such booking in this session.", NULL);
		return;
	}
	if (portal_validate(ctx->req.body, fields, 1, &v, &errors) < 0) {
		portal_reply_invalid(ctx, errors, NULL);
		return;
	}
	if (training_session_for_staff(ctx, id, &cur) < 0)
		goto done;
	snprintf(now_s, sizeof(now_s), "%lld", (long long)time(NULL));
	snprintf(win, sizeof(win), "%d", TRAINING_ATTENDANCE_WINDOW);
	args[0] = now_s; args[1] = bid; args[2] = training_text(v, "attendance"); args[3] = win;
	args[4] = training_username(ctx);
	if (training_eval(ctx, TRAINING_SCRIPT_ATTEND, id, 5, args, &out) < 0)
		goto done;
	if (json_object_get(out, "err")) {
		training_script_error(ctx, training_text(out, "err"), NULL);
		goto done;
	}
	portal_audit(ctx, "training_attendance_marked", NULL, json_pack("{s:s, s:I, s:s, s:s}", "booking_id", bid,
	             "session_id", (json_int_t)id, "attendance", training_text(v, "attendance"),
	             "person", training_text(json_object_get(out, "booking"), "username")));
	if (ctx->req.is_api)
		portal_reply(ctx, 200, json_pack("{s:o}", "booking", training_booking_json(json_object_get(out, "booking"))));
	else {
		snprintf(loc, sizeof(loc), "/training/sessions/%lld/roster", id);
		portal_reply_redirect(ctx, loc);
	}
done:
	json_decref(out);
	json_decref(cur);
	json_decref(v);
}

/* GET record: the courses the person has completed (attended). */
static void training_record(portal_ctx *ctx)
{
	char key[300];
	redisReply *ids;
	json_t *completed = json_array();
	size_t i;

	training_key(ctx, key, sizeof(key), "training:user:{u:%s}:bookings", training_username(ctx));
	ids = portal_store_command(ctx->store, "ZREVRANGE %s 0 %d", key, TRAINING_MY_BOOKINGS_MAX - 1);
	if (ids == NULL || ids->type != REDIS_REPLY_ARRAY) {
		portal_reply_store_unavailable(ctx);
		goto done;
	}
	for (i = 0; i < ids->elements; i++) {
		json_t *view;
		const json_t *b, *s;
		char when[40];
		if (training_booking_load(ctx, ids->element[i]->str, 0, &view) < 0)
			goto done;
		b = json_object_get(view, "booking");
		s = json_object_get(view, "session");
		if (strcmp(training_text(b, "status"), "confirmed") == 0 &&
		    strcmp(training_text(b, "attendance"), "attended") == 0) {
			portal_time_format((time_t)training_num(s, "ends_at"), when, sizeof(when));
			json_array_append_new(completed, json_pack("{s:s, s:s, s:s, s:s, s:s}",
			        "course_id", training_text(s, "course_id"), "course_title", training_text(s, "course_title"),
			        "organisation", training_text(s, "organisation"), "session_id", training_text(s, "id"),
			        "completed_at", when));
		}
		json_decref(view);
	}
	portal_reply(ctx, 200, json_pack("{s:O}", "completed", completed));
done:
	if (ids)
		freeReplyObject(ids);
	json_decref(completed);
}

/* ---- uptake report -------------------------------------------------------- */

/* Build the uptake report for ?from=&to= (dates; default the last year
 * and the next).  Returns 0 with *report (finished, plus "sessions" with
 * each session's agency mix), or -1 after answering. */
static int training_uptake_build(portal_ctx *ctx, json_t **report)
{
	static const portal_field fields[] = {
		{ "from", PORTAL_FIELD_DATE, 0, 0, 0, NULL, 0, "From date" },
		{ "to", PORTAL_FIELD_DATE, 0, 0, 0, NULL, 0, "To date" },
	};
	json_t *q = NULL, *errors = NULL, *acc = json_object(), *sessions = json_array();
	time_t now = time(NULL), from = now - 365 * 24 * 3600, to = now + 365 * 24 * 3600;
	char key[200], min[24], max[24], from_s[16], to_s[16];
	redisReply *ids = NULL;
	struct tm tm;
	size_t i, j;
	int rc = -1;

	if (portal_validate(ctx->req.query, fields, 2, &q, &errors) < 0) {
		portal_reply_invalid(ctx, errors, NULL);
		goto done;
	}
	if (training_text(q, "from")[0])
		portal_date_parse(training_text(q, "from"), &from);
	if (training_text(q, "to")[0]) {
		portal_date_parse(training_text(q, "to"), &to);
		to += 24 * 3600 - 1;
	}
	if (to < from) {
		portal_reply_invalid(ctx, json_pack("{s:s}", "to", "The end date must be on or after the start date"), NULL);
		goto done;
	}
	snprintf(min, sizeof(min), "%lld", (long long)from);
	snprintf(max, sizeof(max), "%lld", (long long)to);
	training_key(ctx, key, sizeof(key), "training:sessions");
	ids = portal_store_command(ctx->store, "ZRANGEBYSCORE %s %s %s LIMIT 0 %d", key, min, max, TRAINING_REPORT_SESSIONS_MAX);
	if (ids == NULL || ids->type != REDIS_REPLY_ARRAY) {
		portal_reply_store_unavailable(ctx);
		goto done;
	}
	for (i = 0; i < ids->elements; i++) {
		const char *args[3] = { "", "1", "0" };
		long long sid;
		json_t *out, *mix = json_object(), *sj;
		const json_t *b;

		if (training_parse_id(ids->element[i]->str, &sid) < 0)
			continue;
		if (training_eval(ctx, TRAINING_SCRIPT_SESSION_VIEW, sid, 3, args, &out) < 0) {
			json_decref(mix);
			goto done;
		}
		if (!json_object_get(out, "err")) {
			training_report_add(acc, json_object_get(out, "session"), json_object_get(out, "roster"));
			json_array_foreach(json_object_get(out, "roster"), j, b)
				if (strcmp(training_text(b, "status"), "confirmed") == 0) {
					const char *t = training_text(b, "agency_type");
					json_object_set_new(mix, t, json_integer(training_num(mix, t) + 1));
				}
			sj = training_session_json(json_object_get(out, "session"), now, 0);
			json_t *mixlist = json_array();
			for (j = 0; training_agency_types[j]; j++)
				json_array_append_new(mixlist, json_pack("{s:s, s:s, s:I}", "type", training_agency_types[j],
				        "label", training_agency_type_label(training_agency_types[j]),
				        "confirmed", (json_int_t)training_num(mix, training_agency_types[j])));
			json_object_set_new(sj, "mix", mixlist);
			json_object_set_new(sj, "mix_counts", mix);
			mix = NULL;
			json_array_append_new(sessions, sj);
		}
		json_decref(mix);
		json_decref(out);
	}
	*report = training_report_finish(acc);
	localtime_r(&from, &tm);
	strftime(from_s, sizeof(from_s), "%Y-%m-%d", &tm);
	localtime_r(&to, &tm);
	strftime(to_s, sizeof(to_s), "%Y-%m-%d", &tm);
	json_object_set_new(*report, "from", json_string(from_s));
	json_object_set_new(*report, "to", json_string(to_s));
	json_object_set(*report, "sessions", sessions);
	json_object_set_new(*report, "has_sessions", json_boolean(json_array_size(sessions) > 0));
	json_object_set_new(*report, "has_courses", json_boolean(json_array_size(json_object_get(*report, "courses")) > 0));
	rc = 0;
done:
	if (ids)
		freeReplyObject(ids);
	json_decref(q);
	json_decref(acc);
	json_decref(sessions);
	return rc;
}

/* GET reports/uptake: counts by course, agency type and agency. */
static void training_uptake(portal_ctx *ctx)
{
	json_t *report;

	if (training_uptake_build(ctx, &report) < 0)
		return;
	portal_reply(ctx, 200, report);
}

/* GET reports/uptake.csv */
static void training_uptake_csv_get(portal_ctx *ctx)
{
	json_t *report;
	portal_buf csv;

	if (training_uptake_build(ctx, &report) < 0)
		return;
	portal_buf_init(&csv, 4 * 1024 * 1024);
	if (training_uptake_csv(&csv, report) < 0)
		portal_reply_internal_error(ctx, "report too large");
	else
		portal_reply_body(ctx, 200, "text/csv; charset=utf-8", "training-uptake.csv", csv.data, csv.len);
	portal_buf_free(&csv);
	json_decref(report);
}

/* ---- demo data ------------------------------------------------------------ */

/* `portal-training --load-demo`: four courses and a few upcoming sessions,
 * once (a marker key makes it idempotent). */
static int training_load_demo(portal_store *store, const portal_config *cfg, char *err, size_t errlen)
{
	static const struct { const char *title, *summary, *description, *audience, *org, *agency; int minutes; } courses[] = {
		{ "First Responder duties and the NRM", "What a First Responder does, and how to make a National Referral Mechanism referral.",
		  "Indicators of modern slavery, the duty to notify, consent, the NRM referral step by step, and what happens to the person after.",
		  "Police, local authority and health First Responders", "Demo Advocacy Charity B", "demo-charity-b", 180 },
		{ "Trauma-informed first contact", "How to speak with victims and survivors so that they feel safe and believed.",
		  "Believe first; trauma responses; safe spaces; interpreters; what not to ask.", "Anyone who meets victims and survivors",
		  "Demo Advocacy Charity B", "demo-charity-b", 150 },
		{ "Child criminal exploitation and county lines", "Spotting children exploited by county lines networks, and the referral route for children.",
		  "Indicators, the child NRM route, safeguarding partners, and working with families.", "Police, local authority, health",
		  "Demo Safehouse Charity A", "demo-charity-a", 180 },
		{ "Language matters: talking with victims", "Words that help, words that harm: plain, respectful language in every contact.",
		  "Victims and survivors, never claims; using interpreters well; recording without judgement.", "All partners",
		  "Demo Advocacy Charity B", "demo-charity-b", 90 },
	};
	const char *p = cfg->redis_prefix;
	char key[200], id[24], st[24], en[24];
	redisReply *r;
	time_t now = time(NULL), base;
	struct tm tm;
	size_t i;

	snprintf(key, sizeof(key), "%straining:demo-loaded", p);
	r = portal_store_command(store, "SET %s 1 NX", key);
	if (r == NULL) {
		snprintf(err, errlen, "Redis is not reachable");
		return -1;
	}
	if (r->type == REDIS_REPLY_NIL) {  /* already loaded */
		freeReplyObject(r);
		return 0;
	}
	freeReplyObject(r);
	/* sessions at 09:30 London time, 3, 10, 24 and 45 days ahead */
	localtime_r(&now, &tm);
	tm.tm_hour = 9; tm.tm_min = 30; tm.tm_sec = 0; tm.tm_isdst = -1;
	base = mktime(&tm);
	for (i = 0; i < sizeof(courses) / sizeof(courses[0]); i++) {
		static const int days[] = { 10, 3, 24, 45 };
		snprintf(id, sizeof(id), "%zu", i + 1);
		snprintf(key, sizeof(key), "%straining:course:{c:%s}", p, id);
		r = portal_store_command(store, "HSET %s id %s title %s summary %s description %s audience %s duration_minutes %d organisation %s agency_id %s",
		        key, id, courses[i].title, courses[i].summary, courses[i].description, courses[i].audience,
		        courses[i].minutes, courses[i].org, courses[i].agency);
		if (r) freeReplyObject(r);
		snprintf(key, sizeof(key), "%straining:courses", p);
		r = portal_store_command(store, "ZADD %s %s %s", key, id, id);
		if (r) freeReplyObject(r);
		snprintf(key, sizeof(key), "%straining:courses:seq", p);
		r = portal_store_command(store, "SET %s %s", key, id);
		if (r) freeReplyObject(r);
		/* one session per course; local 09:30 on that day */
		localtime_r(&base, &tm);
		tm.tm_mday += days[i]; tm.tm_isdst = -1;
		snprintf(st, sizeof(st), "%lld", (long long)mktime(&tm));
		snprintf(en, sizeof(en), "%lld", (long long)mktime(&tm) + courses[i].minutes * 60);
		snprintf(key, sizeof(key), "%straining:{s:%s}:session", p, id);
		r = portal_store_command(store,
		        "HSET %s id %s course_id %s course_title %s organisation %s agency_id %s starts_at %s ends_at %s "
		        "booking_closes_at %s venue %s online %s join_link %s capacity %d status scheduled sequence 0 confirmed 0 "
		        "waitlist_length 0 seats:police %d seats:local_authority %d seats:health %d seats:ngo 0 seats:other 0 created_by demo",
		        key, id, id, courses[i].title, courses[i].org, courses[i].agency, st, en, st,
		        i == 3 ? "" : "Partnership training room, Demo House, London", i == 3 ? "1" : "0",
		        i == 3 ? "https://meet.example.org/demo-language-matters" : "", i == 1 ? 2 : 12,
		        i == 1 ? 0 : 3, i == 1 ? 0 : 3, i == 1 ? 0 : 2);
		if (r) freeReplyObject(r);
		snprintf(key, sizeof(key), "%straining:sessions", p);
		r = portal_store_command(store, "ZADD %s %s %s", key, st, id);
		if (r) freeReplyObject(r);
		snprintf(key, sizeof(key), "%straining:sessions:seq", p);
		r = portal_store_command(store, "SET %s %s", key, id);
		if (r) freeReplyObject(r);
	}
	return 0;
}

/* The module's entry point. */
int main(int argc, char **argv)
{
	return portal_main(&training_app, argc, argv);
}
