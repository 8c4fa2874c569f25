/* store.c - the training module's only caller of Redis.  Each function runs
 * one of the lua/ scripts (or one plain command) with portal_store_run() and hands
 * back a typed result: it never answers a request.  Every call's KEYS is the
 * base key "<prefix>{training}"; ARGV are name/value pairs (script.h).
 */
#include "training.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "jsonget.h"

/* The scripts' sources, made at build time from lua/NAME.lua (the prelude
 * lua/lib.lua before each) by portal-embed --lua. */
extern const char training_lua_book[], training_lua_cancel[], training_lua_session_view[],
	training_lua_session_cancel[], training_lua_session_update[], training_lua_attend[],
	training_lua_booking_view[], training_lua_session_create[], training_lua_course_save[],
	training_lua_courses_list[], training_lua_sessions_range[], training_lua_my_bookings[],
	training_lua_migrate[], training_lua_sessions_page[], training_lua_session_get[],
	training_lua_session_refresh[], training_lua_feedback[], training_lua_session_feedback[];

/* The reads (no WAIT after them); booking_view may clear a notice the
 * person asked to dismiss: a write. */
const portal_script training_scripts[] = {
	[TRAINING_SCRIPT_BOOK]           = { "training_book", training_lua_book, PORTAL_SCRIPT_WRITES },
	[TRAINING_SCRIPT_CANCEL]         = { "training_cancel", training_lua_cancel, PORTAL_SCRIPT_WRITES },
	[TRAINING_SCRIPT_SESSION_VIEW]   = { "training_session_view", training_lua_session_view, PORTAL_SCRIPT_READ_ONLY },
	[TRAINING_SCRIPT_SESSION_CANCEL] = { "training_session_cancel", training_lua_session_cancel, PORTAL_SCRIPT_WRITES },
	[TRAINING_SCRIPT_SESSION_UPDATE] = { "training_session_update", training_lua_session_update, PORTAL_SCRIPT_WRITES },
	[TRAINING_SCRIPT_ATTEND]         = { "training_attend", training_lua_attend, PORTAL_SCRIPT_WRITES },
	[TRAINING_SCRIPT_BOOKING_VIEW]   = { "training_booking_view", training_lua_booking_view, PORTAL_SCRIPT_WRITES },
	[TRAINING_SCRIPT_SESSION_CREATE] = { "training_session_create", training_lua_session_create, PORTAL_SCRIPT_WRITES },
	[TRAINING_SCRIPT_COURSE_SAVE]    = { "training_course_save", training_lua_course_save, PORTAL_SCRIPT_WRITES },
	[TRAINING_SCRIPT_COURSES_LIST]   = { "training_courses_list", training_lua_courses_list, PORTAL_SCRIPT_READ_ONLY },
	[TRAINING_SCRIPT_SESSIONS_RANGE] = { "training_sessions_range", training_lua_sessions_range, PORTAL_SCRIPT_READ_ONLY },
	[TRAINING_SCRIPT_MY_BOOKINGS]    = { "training_my_bookings", training_lua_my_bookings, PORTAL_SCRIPT_READ_ONLY },
	[TRAINING_SCRIPT_MIGRATE]        = { "training_migrate", training_lua_migrate, PORTAL_SCRIPT_WRITES },
	[TRAINING_SCRIPT_SESSIONS_PAGE]  = { "training_sessions_page", training_lua_sessions_page, PORTAL_SCRIPT_READ_ONLY },
	[TRAINING_SCRIPT_SESSION_GET]    = { "training_session_get", training_lua_session_get, PORTAL_SCRIPT_READ_ONLY },
	[TRAINING_SCRIPT_SESSION_REFRESH] = { "training_session_refresh", training_lua_session_refresh, PORTAL_SCRIPT_WRITES },
	[TRAINING_SCRIPT_FEEDBACK]       = { "training_feedback", training_lua_feedback, PORTAL_SCRIPT_WRITES },
	[TRAINING_SCRIPT_SESSION_FEEDBACK] = { "training_session_feedback", training_lua_session_feedback, PORTAL_SCRIPT_READ_ONLY },
};

/* Add the agency types and their labels (the stored views name them). */
static void call_types(portal_script_call *c)
{
	portal_call_args(c, "types", training_agency_types_joined(), "labels", training_agency_labels_joined(), NULL);
}

/* Add what seating people needs: release and cut-off, the agency types. */
static void call_seating(portal_script_call *c)
{
	portal_call_num(c, "release", training_release_seconds());
	portal_call_num(c, "cutoff", training_cutoff_seconds());
	call_types(c);
}

/* The texts of one time for a stored view, kept by the caller while the
 * call that points at them is built and run. */
typedef struct call_time_texts {
	char name[3][32];
	char value[3][64];
} call_time_texts;

/* Add the texts of time `name` = t for the stored view: text:<name>
 * (RFC 3339), words:<name> (in words, without the year: the reader adds
 * it when it is not theirs) and year:<name> (its London year). */
static void call_time(portal_script_call *c, const char *name, time_t t, call_time_texts *x)
{
	static const char *const parts[] = { "text:", "words:", "year:" };
	struct tm tm;
	size_t i;

	portal_time_format(t, x->value[0], sizeof(x->value[0]));
	portal_time_words(t, t, x->value[1], sizeof(x->value[1]));
	localtime_r(&t, &tm);
	snprintf(x->value[2], sizeof(x->value[2]), "%d", tm.tm_year + 1900);
	for (i = 0; i < 3; i++) {
		snprintf(x->name[i], sizeof(x->name[i]), "%s%s", parts[i], name);
		portal_call_arg(c, x->name[i], x->value[i]);
	}
}

/* A new call about session `session_id` at `now`, with the seating rules. */
static void call_session_at(portal_script_call *c, long long session_id, time_t now)
{
	portal_call_init(c);
	portal_call_num(c, "session", session_id);
	call_seating(c);
	portal_call_num(c, "now", now);
}

void training_base_key(portal_store *st, char *out, size_t len)
{
	snprintf(out, len, "%s{training}", portal_store_prefix(st));
}

/* Add the booking's session and id, the time and who acts. */
static void call_booking(portal_script_call *c, long long session_id, const char *booking_id, time_t now,
                         const char *actor)
{
	portal_call_num(c, "session", session_id);
	portal_call_arg(c, "booking", booking_id);
	portal_call_num(c, "now", now);
	portal_call_arg(c, "actor", actor);
}

/* Run `script` with the base key and c's pairs into *out.  Returns out->rc. */
static portal_run_rc call_run(portal_store *st, int script, const portal_script_call *c, portal_run_result *out)
{
	char base[160];

	training_base_key(st, base, sizeof(base));
	return portal_call_run(st, (size_t)script, base, c, out);
}

/* Run `script` with the session id, name1 = value1 and the flag name2 =
 * "1" or "0". */
static portal_run_rc call_session_read(portal_store *st, int script, long long session_id,
                                       const char *name1, const char *value1, const char *name2, int flag,
                                       portal_run_result *out)
{
	portal_script_call c;

	portal_call_init(&c);
	portal_call_num(&c, "session", session_id);
	portal_call_args(&c, name1, value1, name2, flag ? "1" : "0", NULL);
	return call_run(st, script, &c, out);
}

portal_run_rc training_store_book(portal_store *st, long long session_id, const training_actor *who,
                                  time_t now, portal_run_result *out)
{
	portal_script_call c;

	call_session_at(&c, session_id, now);
	portal_call_args(&c, "username", who->username, "name", who->name, "agency_id", who->agency_id,
	                 "agency_name", who->agency_name,
	                 "agency_type", training_agency_type_known(who->agency_type),
	                 "unit", who->unit ? who->unit : "", NULL);
	portal_call_num(&c, "waitlist_max", TRAINING_WAITLIST_MAX);
	return call_run(st, TRAINING_SCRIPT_BOOK, &c, out);
}

portal_run_rc training_store_cancel(portal_store *st, long long session_id, const char *booking_id,
                                    const training_actor *who, const char *reason, time_t now,
                                    portal_run_result *out)
{
	portal_script_call c;

	portal_call_init(&c);
	call_seating(&c);
	call_booking(&c, session_id, booking_id, now, who->username);
	portal_call_args(&c, "may", who->coordinator ? "any" : who->trainer ? "agency" : "own",
	                 "actor_agency", who->agency_id, "reason", reason, NULL);
	return call_run(st, TRAINING_SCRIPT_CANCEL, &c, out);
}

portal_run_rc training_store_session_view(portal_store *st, long long session_id, const char *username,
                                          int roster, long long from, long long count, portal_run_result *out)
{
	portal_script_call c;

	portal_call_init(&c);
	portal_call_num(&c, "session", session_id);
	portal_call_args(&c, "username", username, "roster", roster ? "1" : "0", NULL);
	portal_call_range(&c, from, count);
	return call_run(st, TRAINING_SCRIPT_SESSION_VIEW, &c, out);
}

portal_run_rc training_store_session_cancel(portal_store *st, long long session_id, const char *actor,
                                            time_t now, portal_run_result *out)
{
	portal_script_call c;

	call_session_at(&c, session_id, now);
	portal_call_arg(&c, "actor", actor);
	return call_run(st, TRAINING_SCRIPT_SESSION_CANCEL, &c, out);
}

/* Add the texts of a session's three times (x: kept by the caller). */
static void call_times(portal_script_call *c, time_t starts, time_t ends, time_t closes, call_time_texts x[3])
{
	call_time(c, "starts_at", starts, &x[0]);
	call_time(c, "ends_at", ends, &x[1]);
	call_time(c, "booking_closes_at", closes, &x[2]);
}

/* Add a session's fields (times and their texts, place, capacity, seats)
 * from `in` (x: kept by the caller). */
static void call_session_fields(portal_script_call *c, const training_session_input *in, call_time_texts x[3])
{
	size_t i;

	call_times(c, in->starts, in->ends, in->closes, x);
	portal_call_num(c, "starts_at", in->starts);
	portal_call_num(c, "ends_at", in->ends);
	portal_call_num(c, "booking_closes_at", in->closes);
	portal_call_args(c, "venue", in->venue, "online", in->online ? "1" : "0",
	                 "join_link", in->join_link, NULL);
	portal_call_num(c, "capacity", in->capacity);
	for (i = 0; i < TRAINING_AGENCY_TYPE_COUNT; i++)
		portal_call_num(c, training_seats_key(i), in->seats[i]);
}

portal_run_rc training_store_session_update(portal_store *st, long long session_id,
                                            const training_session_input *in, const char *actor, time_t now,
                                            portal_run_result *out)
{
	portal_script_call c;
	call_time_texts x[3];

	call_session_at(&c, session_id, now);
	portal_call_arg(&c, "actor", actor);
	call_session_fields(&c, in, x);
	return call_run(st, TRAINING_SCRIPT_SESSION_UPDATE, &c, out);
}

portal_run_rc training_store_session_create(portal_store *st, const training_session_input *in,
                                            const training_actor *who, portal_run_result *out)
{
	portal_script_call c;
	call_time_texts x[3];

	portal_call_init(&c);
	portal_call_num(&c, "course", in->course_id);
	portal_call_args(&c, "manager", who->coordinator ? "coordinator" : "trainer",
	                 "agency", who->agency_id, "created_by", who->username, NULL);
	call_types(&c);
	call_session_fields(&c, in, x);
	return call_run(st, TRAINING_SCRIPT_SESSION_CREATE, &c, out);
}

portal_run_rc training_store_attend(portal_store *st, long long session_id, const char *booking_id,
                                    const char *attendance, const char *actor, time_t now,
                                    portal_run_result *out)
{
	portal_script_call c;

	portal_call_init(&c);
	call_booking(&c, session_id, booking_id, now, actor);
	portal_call_arg(&c, "attendance", attendance);
	portal_call_num(&c, "window", TRAINING_ATTENDANCE_WINDOW);
	return call_run(st, TRAINING_SCRIPT_ATTEND, &c, out);
}

portal_run_rc training_store_booking_view(portal_store *st, long long session_id, const char *booking_id,
                                          int clear_notice, portal_run_result *out)
{
	return call_session_read(st, TRAINING_SCRIPT_BOOKING_VIEW, session_id, "booking", booking_id, "clear_notice", clear_notice, out);
}

portal_run_rc training_store_course_save(portal_store *st, const char *id, const json_t *v,
                                         const char *organisation, const char *agency_id,
                                         portal_run_result *out)
{
	portal_script_call c;
	const json_t *outcomes = json_object_get(v, "learning_outcomes");
	char *text = json_is_array(outcomes) ? json_dumps(outcomes, JSON_COMPACT) : NULL;
	portal_run_rc rc;

	portal_call_init(&c);
	portal_call_arg(&c, "outcomes", text ? text : "[]");
	portal_call_args(&c, "id", id, "title", portal_json_text(v, "title"),
	                 "summary", portal_json_text(v, "summary"),
	                 "description", portal_json_text(v, "description"),
	                 "audience", portal_json_text(v, "audience"), NULL);
	portal_call_num(&c, "duration_minutes", portal_json_num(v, "duration_minutes"));
	portal_call_args(&c, "organisation", organisation, "agency_id", agency_id, NULL);
	call_types(&c);
	rc = call_run(st, TRAINING_SCRIPT_COURSE_SAVE, &c, out);
	free(text);
	return rc;
}

portal_run_rc training_store_course_get(portal_store *st, long long id, json_t **course)
{
	char key[200];
	redisReply *r;
	size_t i;

	*course = NULL;
	training_base_key(st, key, sizeof(key));
	snprintf(key + strlen(key), sizeof(key) - strlen(key), ":course:%lld", id);
	if ((r = portal_store_command(st, "HGETALL %s", key)) == NULL)
		return PORTAL_RUN_UNAVAILABLE;
	if (r->type != REDIS_REPLY_ARRAY) {
		freeReplyObject(r);
		return PORTAL_RUN_BROKEN;
	}
	*course = json_object();
	for (i = 0; i + 1 < r->elements; i += 2)
		if (r->element[i]->type == REDIS_REPLY_STRING && r->element[i + 1]->type == REDIS_REPLY_STRING)
			json_object_set_new(*course, r->element[i]->str,
			                    json_stringn(r->element[i + 1]->str, r->element[i + 1]->len));
	freeReplyObject(r);
	return PORTAL_RUN_OK;
}

portal_run_rc training_store_courses(portal_store *st, long long from, long long count, portal_run_result *out)
{
	portal_script_call c;

	portal_call_init(&c);
	portal_call_range(&c, from, count);
	return call_run(st, TRAINING_SCRIPT_COURSES_LIST, &c, out);
}

/* Start call c with the range of starts [from, to] (to 0: no end). */
static void call_range(portal_script_call *c, time_t from, time_t to)
{
	portal_call_init(c);
	portal_call_num(c, "from", from);
	if (to)
		portal_call_num(c, "to", to);
	else
		portal_call_arg(c, "to", "+inf");
}

portal_run_rc training_store_sessions_range(portal_store *st, time_t from, time_t to, int limit,
                                            portal_run_result *out)
{
	portal_script_call c;

	call_range(&c, from, to);
	portal_call_num(&c, "limit", limit);
	portal_call_num(&c, "courses_limit", TRAINING_LIST_MAX);
	return call_run(st, TRAINING_SCRIPT_SESSIONS_RANGE, &c, out);
}

portal_run_rc training_store_session_refresh(portal_store *st, long long id, time_t starts, time_t ends,
                                             time_t closes, portal_run_result *out)
{
	portal_script_call c;
	call_time_texts x[3];

	portal_call_init(&c);
	portal_call_num(&c, "session", id);
	call_types(&c);
	call_times(&c, starts, ends, closes, x);
	return call_run(st, TRAINING_SCRIPT_SESSION_REFRESH, &c, out);
}

/* Add reader r's clock and role (lib.lua's reader()).  year[] holds the
 * reader's year as text: the call points at it, so it is the caller's and
 * must live until the call has run (a local of this function did not, and
 * a read could see another year: the views then named it). */
static void call_reader(portal_script_call *c, const training_reader *r, char year[16])
{
	struct tm tm;

	localtime_r(&r->now, &tm);
	snprintf(year, 16, "%d", tm.tm_year + 1900);
	portal_call_num(c, "now", r->now);
	portal_call_num(c, "release", training_release_seconds());
	portal_call_args(c, "year", year, "manager", r->manager, "agency", r->agency, NULL);
}

portal_run_rc training_store_sessions_page(portal_store *st, time_t from, time_t to, long long course,
                                           long long page, long long per_page, const training_reader *r,
                                           portal_run_result *out)
{
	portal_script_call c;
	char year[16];
	char cid[24] = "";

	if (course)
		snprintf(cid, sizeof(cid), "%lld", course);
	call_range(&c, from, to);
	portal_call_arg(&c, "course", cid);
	portal_call_num(&c, "page", page);
	portal_call_num(&c, "per_page", per_page);
	call_reader(&c, r, year);
	return call_run(st, TRAINING_SCRIPT_SESSIONS_PAGE, &c, out);
}

portal_run_rc training_store_session_get(portal_store *st, long long id, const training_reader *r,
                                         portal_run_result *out)
{
	portal_script_call c;
	char year[16];

	portal_call_init(&c);
	portal_call_num(&c, "session", id);
	portal_call_arg(&c, "username", r->username);
	call_reader(&c, r, year);
	return call_run(st, TRAINING_SCRIPT_SESSION_GET, &c, out);
}

portal_run_rc training_store_my_bookings(portal_store *st, const char *username, long long from, long long count,
                                         const training_reader *r, portal_run_result *out)
{
	portal_script_call c;
	char year[16];

	portal_call_init(&c);
	portal_call_args(&c, "username", username, "view", r ? "1" : "0", NULL);
	if (r) {
		call_reader(&c, r, year);
		call_types(&c);
	}
	portal_call_num(&c, "limit", TRAINING_MY_BOOKINGS_MAX);
	portal_call_range(&c, from, count);
	return call_run(st, TRAINING_SCRIPT_MY_BOOKINGS, &c, out);
}

portal_run_rc training_store_migrate(portal_store *st, portal_run_result *out)
{
	portal_script_call c;

	portal_call_init(&c);
	portal_call_arg(&c, "prefix", portal_store_prefix(st));
	portal_call_num(&c, "version", TRAINING_DATA_VERSION);
	portal_call_num(&c, "now", time(NULL));
	call_types(&c);
	return call_run(st, TRAINING_SCRIPT_MIGRATE, &c, out);
}

/* Values v[0..n) (each 1-5) joined with commas into out ("" when none). */
static void join_scores(const int *v, size_t n, char *out, size_t len)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < n && used + 3 < len; i++)
		used += (size_t)snprintf(out + used, len - used, "%s%d", i ? "," : "", v[i]);
}

portal_run_rc training_store_feedback(portal_store *st, long long session_id, const char *booking_id,
                                      const training_actor *who, const training_feedback_input *in, time_t now,
                                      portal_run_result *out)
{
	portal_script_call c;
	char before[32], after[32];

	join_scores(in->before, in->outcomes, before, sizeof(before));
	join_scores(in->after, in->outcomes, after, sizeof(after));
	portal_call_init(&c);
	call_booking(&c, session_id, booking_id, now, who->username);
	portal_call_args(&c, "username", who->username, "unit", who->unit ? who->unit : "", "before", before,
	                 "after", after, "text", in->text ? in->text : "", NULL);
	portal_call_num(&c, "usefulness", in->usefulness);
	return call_run(st, TRAINING_SCRIPT_FEEDBACK, &c, out);
}

portal_run_rc training_store_session_feedback(portal_store *st, long long session_id, portal_run_result *out)
{
	portal_script_call c;

	portal_call_init(&c);
	portal_call_num(&c, "session", session_id);
	return call_run(st, TRAINING_SCRIPT_SESSION_FEEDBACK, &c, out);
}

int training_store_claim_demo(portal_store *st)
{
	char key[200];
	redisReply *r;
	int rc;

	training_base_key(st, key, sizeof(key));
	snprintf(key + strlen(key), sizeof(key) - strlen(key), ":demo-loaded");
	if ((r = portal_store_command(st, "SET %s 1 NX", key)) == NULL)
		return -1;
	rc = r->type == REDIS_REPLY_NIL ? 0 : r->type == REDIS_REPLY_STATUS ? 1 : -1;
	freeReplyObject(r);
	return rc;
}
