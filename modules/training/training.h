/* training.h - the training sign-up module: key layout, limits, the domain
 * lists, script ids, types, and the contract of every function one of its
 * files offers another.
 *
 * Files (the one module shape, README "Adding a module"):
 *   main.c      the app table and the route table
 *   courses.c sessions.c bookings.c roster.c reports.c feedback.c
 *               the handlers, one
 *               file per resource; replies.c the answers they share
 *   fields.c    field tables, cross-field rules, ids, the page forms
 *   views.c     pure JSON views and computations (no ctx, no Redis)
 *   format.c    CSV (the calendar file: common/ics.c)
 *   store.c     the only file that talks to Redis: typed calls of the lua/ scripts
 *   migrate.c   the data version, checked and migrated at start
 *   demo.c      --load-demo
 *
 * Keys (data version 6).  B = "<prefix>{training}", the base key every
 * script gets as KEYS[1]; all keys share the hash tag {training}:
 *   B:data-version           "6" (no key: version 1, the old layout;
 *                            2: sessions without their stored views;
 *                            3: no due set; 4: courses without outcomes;
 *                            5: whole views in views:open and :released)
 *   B:courses:seq            INCR: course ids
 *   B:courses                zset: course id (score = id)
 *   B:course:ID              hash: the course; "outcomes" its learning
 *                            outcomes, a JSON array of up to 5 strings
 *   B:sessions:seq           INCR: session ids
 *   B:sessions               zset: session id, score = starts_at (Unix s)
 *   B:session:ID             hash: the session, its seat counters
 *                            (used:<kind>, confirmed, waitlist_length),
 *                            booking_seq, wait_seq, sequence; its times'
 *                            texts (text:, words:, year:<time>, made in
 *                            C), view_title (the course title as
 *                            JSON)
 *   B:course-sessions:ID     zset: the course's session ids by starts_at
 *   B:views:static, :open, :released, :words, :years, :link, :meta
 *                            hashes: session id -> the stored JSON texts
 *                            of its public view (lua/lib.lua, "Views"),
 *                            rewritten by every script that changes it
 *   B:bookings:ID            hash: booking id -> booking JSON (what the
 *                            read scripts hand back as it is kept)
 *   B:people:ID              hash: username -> active booking id
 *   B:waitlist:ID            zset: booking id, score = arrival order
 *   B:user:NAME:bookings     zset: booking id, score = booked_at
 *   B:due                    zset: what falls due, score = when (Unix s):
 *                            "reminder:<session id>" 2 days before its
 *                            start (lua/due.lua, run by portal-notify)
 *   B:feedback:ID            hash: booking id -> the feedback given on
 *                            it (JSON; lua/feedback.lua), session ID's
 *   B:events                 stream: what happened (issue 16; lua/lib.lua)
 *   B:demo-loaded            the demo data's marker
 * A booking id is "<session id>-<n>", so its session follows from it.
 * Nothing about a victim is ever stored: a booking names only the member of
 * staff who booked.
 */
#ifndef TRAINING_H
#define TRAINING_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

#include "app.h"
#include "replycode.h"
#include "server.h"
#include "buf.h"
#include "ics.h"
#include "script.h"
#include "store.h"
#include "validate.h"

/* The agency types a set-aside seat can be kept for: code, label.  The one
 * list: C reads it here, the Lua scripts get it as ARGV "types". */
#define TRAINING_AGENCY_TYPES(X) \
	X(police, "Police") \
	X(local_authority, "Local authority") \
	X(health, "Health") \
	X(ngo, "NGO") \
	X(other, "Other")

#define TRAINING_AGENCY_ENUM(code, label) TRAINING_AGENCY_##code,
enum { TRAINING_AGENCY_TYPES(TRAINING_AGENCY_ENUM) TRAINING_AGENCY_TYPE_COUNT };
#undef TRAINING_AGENCY_ENUM

/* The codes in order, NULL-terminated (fields.c). */
extern const char *const training_agency_types[];

/* Bounds. */
#define TRAINING_ID_MAX           1000000000000LL
#define TRAINING_CAPACITY_MAX     500
#define TRAINING_WAITLIST_MAX     1000
#define TRAINING_LIST_MAX         100   /* sessions or courses in one list */
#define TRAINING_MY_BOOKINGS_MAX  200
#define TRAINING_REPORT_SESSIONS_MAX 500
#define TRAINING_ATTENDANCE_WINDOW (14 * 24 * 3600)
#define TRAINING_DATA_VERSION     6
#define TRAINING_PER_PAGE         20    /* a list's page when none is asked */
#define TRAINING_PER_PAGE_MAX     100
#define TRAINING_OUTCOMES_MAX     5     /* learning outcomes of a course */
#define TRAINING_OUTCOME_MAX      200   /* characters of one */
#define TRAINING_FEEDBACK_TEXT_MAX 2000 /* characters of "What will you do differently?" */

/* The module's Lua scripts (lua/NAME.lua, store.c's table). */
enum {
	TRAINING_SCRIPT_BOOK,
	TRAINING_SCRIPT_CANCEL,
	TRAINING_SCRIPT_SESSION_VIEW,
	TRAINING_SCRIPT_SESSION_CANCEL,
	TRAINING_SCRIPT_SESSION_UPDATE,
	TRAINING_SCRIPT_ATTEND,
	TRAINING_SCRIPT_BOOKING_VIEW,
	TRAINING_SCRIPT_SESSION_CREATE,
	TRAINING_SCRIPT_COURSE_SAVE,
	TRAINING_SCRIPT_COURSES_LIST,
	TRAINING_SCRIPT_SESSIONS_RANGE,
	TRAINING_SCRIPT_MY_BOOKINGS,
	TRAINING_SCRIPT_MIGRATE,
	TRAINING_SCRIPT_SESSIONS_PAGE,
	TRAINING_SCRIPT_SESSION_GET,
	TRAINING_SCRIPT_SESSION_REFRESH,
	TRAINING_SCRIPT_FEEDBACK,
	TRAINING_SCRIPT_SESSION_FEEDBACK,
	TRAINING_SCRIPT_COUNT
};
extern const portal_script training_scripts[];

/* Who manages courses and sessions. */
#define TRAINING_STAFF (PORTAL_ROLE_TRAINER | PORTAL_ROLE_COORDINATOR)

/* The session times a page form asks for, as date + time parts named
 * "<name>_day", "<name>_month", "<name>_year", "<name>_time". */
#define TRAINING_FORM_STARTS  "starts_at"
#define TRAINING_FORM_ENDS    "ends_at"
#define TRAINING_FORM_CLOSES  "booking_closes_at"

/* Events counted in the module's metrics (metrics.h). */
enum { TRAINING_EV_CONFIRMED, TRAINING_EV_WAITLISTED, TRAINING_EV_PROMOTED, TRAINING_EV_CANCELLED, TRAINING_EV_COUNT };

/* A session as a form or the API gives it, checked (fields.c). */
typedef struct training_session_input {
	long long   course_id, capacity;
	time_t      starts, ends, closes;
	const char *venue, *join_link;   /* owned by the validated object */
	int         online;
	long long   seats[TRAINING_AGENCY_TYPE_COUNT];
} training_session_input;

/* Who reads a view: the reader's clock and role, for the parts of a
 * stored view that depend on them (the joining link, "can change", the
 * release of set-aside seats, "past", the year in words). */
typedef struct training_reader {
	time_t      now;
	const char *username;   /* "" when none */
	const char *manager;    /* "coordinator", "trainer" or "" */
	const char *agency;     /* the reader's agency id, "" when none */
} training_reader;

/* Who asks the store for something (bookings, cancellations, marks). */
typedef struct training_actor {
	const char *username, *name;       /* never NULL ("" when none) */
	const char *agency_id, *agency_name, *agency_type;  /* "" when none */
	int         coordinator, trainer;
	const char *unit;                  /* the police unit's code; NULL or "" when none */
} training_actor;

/* Feedback on a booking, checked (fields.c): one 1-5 value per learning
 * outcome before and after, usefulness 1-5, the text (owned by the
 * validated object). */
typedef struct training_feedback_input {
	size_t      outcomes;
	int         before[TRAINING_OUTCOMES_MAX], after[TRAINING_OUTCOMES_MAX];
	long long   usefulness;
	const char *text;
} training_feedback_input;


/* ---- fields.c: domain lists, ids, field tables, rules, page forms ---------- */

/* "seats:<type>" and "used:<type>" (session hash fields) for agency type
 * number i (static strings). */
const char *training_seats_key(size_t i);
const char *training_used_key(size_t i);

/* `type` when it is one of the agency types, else "other" (static). */
const char *training_agency_type_known(const char *type);

/* The agency types joined with commas, for the scripts' ARGV "types"
 * (static). */
const char *training_agency_types_joined(void);

/* Their labels joined with commas, in the same order, for the scripts'
 * ARGV "labels" (the stored views name them; static). */
const char *training_agency_labels_joined(void);

/* How long before a session unused set-aside seats open to everyone, and
 * how long before it promotion stops (PORTAL_TRAINING_RELEASE_DAYS, default
 * 7; PORTAL_TRAINING_PROMOTION_CUTOFF_HOURS, default 24), in seconds. */
long long training_release_seconds(void);
long long training_cutoff_seconds(void);

/* Parse a positive id of digits only (1..10^12).  Returns 0 or -1. */
int training_parse_id(const char *s, long long *id);

/* Parse a booking id "<session>-<n>" (both 1..10^12, digits only).
 * Returns 0 and sets *session_id and *n, or -1. */
int training_parse_booking_id(const char *s, long long *session_id, long long *n);

/* Read set-aside seats from `input` (the request body): either the object
 * "agency_seats" {"police":4,...} or form fields "seats_<type>".  Each
 * count must be a whole number 0..capacity and their sum at most
 * `capacity`.  Fills seats[TRAINING_AGENCY_TYPE_COUNT] (in the order of
 * training_agency_types; 0 when absent).  Returns 0, or -1 with a message
 * saying what to fix in msg (NUL-terminated).  NOTE: capacity <= 0 skips
 * the sum check (the capacity field's own error says what to fix). */
int training_parse_agency_seats(const json_t *input, long long capacity,
                                long long seats[TRAINING_AGENCY_TYPE_COUNT],
                                char *msg, size_t msglen);

/* The field tables (their lengths taken by PORTAL_FIELDS_INIT). */
extern const portal_fields training_course_fields;
extern const portal_fields training_session_fields;
extern const portal_fields training_sessions_query_fields;
extern const portal_fields training_uptake_query_fields;
extern const portal_fields training_list_query_fields;   /* page, per_page */
extern const portal_fields training_attendance_fields;
extern const portal_fields training_feedback_fields;   /* usefulness, text */

/* The confidence values of feedback on a course with `outcomes` (its
 * learning outcomes, an array of strings): the API's arrays
 * "confidence_before" and "confidence_after", or a page's radios
 * "confidence_before_<n>" and "confidence_after_<n>" (n from 1).  Fills
 * in->outcomes, before and after; adds what to fix to *errors (under the
 * array's name for the API, the radio's on a page). */
void training_feedback_rules(const json_t *input, const json_t *outcomes, int is_api, json_t **errors,
                             training_feedback_input *in);

/* The feedback form's questions from `outcomes` and the values shown
 * (`form`: what was typed, or the stored feedback's as form values), with
 * the radios' messages of `errors` (may be NULL): a new array of {number,
 * outcome, before_name, after_name, before: [{value, checked, first}],
 * after: [...], before_error, after_error}, and the usefulness choices in
 * *usefulness (new array). */
json_t *training_feedback_questions(const json_t *outcomes, const json_t *form, const json_t *errors,
                                    json_t **usefulness);

/* Form values (new object of strings) of stored feedback `f`. */
json_t *training_feedback_form_values(const json_t *f);

/* The checks one field cannot make alone: times in order, a venue or
 * online, seats set aside (read from `raw`).  `v` is the validated
 * object; adds messages to *errors (created when needed) and fills *in
 * (its strings belong to v). */
void training_session_rules(const json_t *raw, const json_t *v, time_t now, json_t **errors,
                            training_session_input *in);

/* A query's "from" and "to" dates into *from and *to (to: the end of that
 * day); each left as it was when absent. */
void training_query_dates(const json_t *q, time_t *from, time_t *to);

/* The API input for a session form: a new object holding `form`'s fields
 * (the times stay date and time parts: the table's LONDON_TIME fields read
 * them), with "online" false when the box was not ticked; any
 * "agency_seats" a form sent is dropped (forms use seats_<type>).  Returns
 * NULL only when out of memory. */
json_t *training_session_form_input(const json_t *form);

/* Form values for a stored session hash (new object). */
json_t *training_session_form_values(const json_t *session);

/* Form values for a stored course hash (new object of strings, and
 * learning_outcomes an array). */
json_t *training_course_form_values(const json_t *course);

/* A stored course hash's learning outcomes (its "outcomes", JSON text) as a
 * new array of strings ([] when it has none). */
json_t *training_outcomes_of(const json_t *course);

/* The course form's five outcome inputs from form values `form` (its
 * learning_outcomes: an array, or one string): a new array of
 * {number, id, value}. */
json_t *training_outcome_slots(const json_t *form);

/* The seat fields of a session form (new array, one per agency type). */
json_t *training_seat_fields(const json_t *form);


/* ---- views.c: pure JSON views (new references) ------------------------------ */

/* The label people see for an agency type; the code itself when unknown. */
const char *training_agency_type_label(const char *type);

/* A stored course hash's public view. */
json_t *training_course_json(const json_t *course);

/* A stored session hash's public view at `now`; the joining link only with
 * show_link.  training_session_view takes the release window itself. */
json_t *training_session_json(const json_t *session, time_t now, int show_link);
json_t *training_session_view(const json_t *session, time_t now, int show_link, long long release);

/* A stored booking's public view. */
json_t *training_booking_json(const json_t *booking);

/* A booking with its session, as "My training" shows it to `username`. */
json_t *training_booking_with_session(const json_t *booking, const json_t *session, time_t now,
                                      const char *username);

/* The training record ({"completed": [...]}) from items [{booking, session}]. */
json_t *training_record_view(const json_t *items);

/* A session's roster page data from its stored hash and bookings. */
json_t *training_roster_view(const json_t *session, const json_t *roster, time_t now);

/* Feedback as its giver sees it (new object): the stored feedback `f`
 * with each outcome beside its before and after values, and the words of
 * the scale. */
json_t *training_feedback_view(const json_t *f);

/* What a session's trainers see of its feedback (new object): per learning
 * outcome the average confidence before and after, the average
 * usefulness, how many gave it, and the texts without names.  `session` is
 * the stored hash, `feedback` the array of stored feedback. */
json_t *training_feedback_summary(const json_t *session, const json_t *feedback, time_t now);

/* A session's view with its confirmed agency mix (the uptake report's rows). */
json_t *training_session_mix_view(const json_t *session, const json_t *roster, time_t now);

/* Add a session's bookings to the uptake report `report` (an object with
 * "by_course", "by_agency_type", "by_agency" objects of counters; created
 * when missing).  `session` is the stored hash, `bookings` an array. */
void training_report_add(json_t *report, const json_t *session, const json_t *bookings);

/* Give `report` (as training_report_add) a row of zeros for every agency
 * type and for every course of `courses` ([{id, title}]) that has none,
 * so the report lists each. */
void training_report_seed(json_t *report, const json_t *courses);

/* The counters of each report row, NULL-terminated: confirmed, waitlisted,
 * attended, partial, no_show. */
extern const char *const training_report_counters[];

/* Turn a report built with training_report_add into its sorted lists
 * ("courses", "agency_types", "agencies": [{key,label,confirmed,...,
 * bar_confirmed (0..100)}]).  Returns a new object. */
json_t *training_report_finish(const json_t *report);

/* ---- format.c: files ---------------------------------------------------------- */

/* Append the roster CSV (RFC 4180, CRLF; header row then one row per
 * booking of `roster`).  Returns 0 or -1. */
int training_roster_csv(portal_buf *out, const json_t *roster);

/* Append the uptake report CSV from a finished report.  Returns 0 or -1. */
int training_uptake_csv(portal_buf *out, const json_t *report);

/* ---- store.c: the only caller of Redis ---------------------------------------
 * Each runs one script (or command) and fills *out (free it with
 * portal_run_result_free, always); returns out->rc.  out->status is "ok" or
 * the script's error code (replies.c maps them); never answers a request. */

/* "<prefix>{training}" into out. */
void training_base_key(portal_store *st, char *out, size_t len);

portal_run_rc training_store_book(portal_store *st, long long session_id, const training_actor *who,
                                  time_t now, portal_run_result *out);
portal_run_rc training_store_cancel(portal_store *st, long long session_id, const char *booking_id,
                                    const training_actor *who, const char *reason, time_t now,
                                    portal_run_result *out);
/* Session `session_id`'s stored hash ("session"), `username`'s booking of
 * it ("mine") and, with roster, `count` bookings of its roster from the
 * `from`th (count 0: every one; "roster", "roster_total"). */
portal_run_rc training_store_session_view(portal_store *st, long long session_id, const char *username,
                                          int roster, long long from, long long count, portal_run_result *out);
portal_run_rc training_store_session_cancel(portal_store *st, long long session_id, const char *actor,
                                            time_t now, portal_run_result *out);
portal_run_rc training_store_session_update(portal_store *st, long long session_id,
                                            const training_session_input *in, const char *actor, time_t now,
                                            portal_run_result *out);
portal_run_rc training_store_session_create(portal_store *st, const training_session_input *in,
                                            const training_actor *who, portal_run_result *out);
portal_run_rc training_store_attend(portal_store *st, long long session_id, const char *booking_id,
                                    const char *attendance, const char *actor, time_t now,
                                    portal_run_result *out);
portal_run_rc training_store_booking_view(portal_store *st, long long session_id, const char *booking_id,
                                          int clear_notice, portal_run_result *out);
/* Add (id "") or change course `id` from validated fields `v`. */
portal_run_rc training_store_course_save(portal_store *st, const char *id, const json_t *v,
                                         const char *organisation, const char *agency_id,
                                         portal_run_result *out);
/* Course `id` into *course (new object, empty when there is none). */
portal_run_rc training_store_course_get(portal_store *st, long long id, json_t **course);
/* The courses in id order from the `from`th (from 0), `count` of them
 * ("courses": stored hashes) and how many there are ("total"). */
portal_run_rc training_store_courses(portal_store *st, long long from, long long count, portal_run_result *out);
/* The uptake report's data: sessions starting in [from, to] (to 0: no
 * end), at most `limit`, with their bookings ("rosters"), and every course
 * ("courses": [{id, title}]). */
portal_run_rc training_store_sessions_range(portal_store *st, time_t from, time_t to, int limit,
                                            portal_run_result *out);
/* One page (from 1) of the sessions starting in [from, to] (to 0: no end),
 * of course `course` (0: every course), as views for reader `r`: "total"
 * and "sessions" (JSON text, assembled from the stored views). */
portal_run_rc training_store_sessions_page(portal_store *st, time_t from, time_t to, long long course,
                                           long long page, long long per_page, const training_reader *r,
                                           portal_run_result *out);
/* Session `id`'s view for reader `r` ("session", JSON text), "may_manage",
 * "title" (a JSON string), the reader's booking ("mine", JSON or "") and
 * its "waitlist_position". */
portal_run_rc training_store_session_get(portal_store *st, long long id, const training_reader *r,
                                         portal_run_result *out);
/* The person's bookings (newest first) from the `from`th (from 0), `count`
 * of them, and their "total".  With reader `r`: "my", the JSON text of
 * "My training" (schemas/my.json) made by the script for that reader;
 * with r NULL: the records, "items" ([{booking, session}]). */
portal_run_rc training_store_my_bookings(portal_store *st, const char *username, long long from, long long count,
                                         const training_reader *r, portal_run_result *out);
portal_run_rc training_store_migrate(portal_store *st, portal_run_result *out);
/* Keep `who`'s feedback `in` on booking `booking_id` of session
 * `session_id` ("feedback", "replaced"; errors not_found, not_yours,
 * not_attended, session_not_ended, outcomes_changed). */
portal_run_rc training_store_feedback(portal_store *st, long long session_id, const char *booking_id,
                                      const training_actor *who, const training_feedback_input *in, time_t now,
                                      portal_run_result *out);
/* Session `session_id`'s stored hash ("session") and the feedback given
 * on it ("feedback": a JSON list). */
portal_run_rc training_store_session_feedback(portal_store *st, long long session_id, portal_run_result *out);
/* Write the time texts of stored session `id` (times starts, ends, closes)
 * and build its view (data version 3's migration). */
portal_run_rc training_store_session_refresh(portal_store *st, long long id, time_t starts, time_t ends,
                                             time_t closes, portal_run_result *out);
/* Set the demo marker: 1 when this call set it, 0 when it was set, -1 when
 * Redis could not be reached. */
int training_store_claim_demo(portal_store *st);

/* ---- replies.c: what the handlers share --------------------------------------- */

/* Answer 200 with a page's `data` (stolen); on a page, the done banner
 * ({heading, next}) of the action named by the query's "done" when it is
 * one the module knows. */
void training_reply_page(portal_ctx *ctx, json_t *data);


/* The largest course or session id a path may name ({id}: read with
 * portal_path_number, app.h). */
#define TRAINING_ID_MAX 1000000000000LL

/* The path parameter `name` as a booking id: *bid (owned by the request)
 * and its session; answers 404 and returns -1 when it is not one. */
int training_param_booking(portal_ctx *ctx, const char *name, const char **bid, long long *session_id);

/* 1 when the user may manage things of agency `agency_id`: a coordinator
 * always, a trainer for their own agency. */
int training_may_manage(const portal_ctx *ctx, const char *agency_id);

/* The signed-in user's username ("" when none; owned by ctx). */
const char *training_username(const portal_ctx *ctx);

/* The signed-in user as a reader of views, now (strings owned by ctx). */
void training_reader_of(const portal_ctx *ctx, training_reader *r);

/* The signed-in user as a store actor (strings owned by ctx). */
void training_actor_of(const portal_ctx *ctx, training_actor *who);

/* When the store call `res` did not answer "ok": answer it (503, 500, or the
 * error code's status and message with `detail` added to the API's error)
 * and return 1; else return 0.  `detail` is stolen either way. */
int training_reply_failed(portal_ctx *ctx, portal_run_result *res, json_t *detail);

/* Count and audit each booking in the answer's "promoted" list. */
void training_audit_promoted(portal_ctx *ctx, const portal_run_result *res);

/* Session `id` (stored hash, new reference in *session) for someone who
 * means to change it: trainers of its agency or a coordinator.  Returns 0,
 * or -1 after answering (404, 403, 503). */
int training_session_for_staff(portal_ctx *ctx, long long id, json_t **session);

/* ---- handlers (courses.c sessions.c bookings.c roster.c reports.c) ---------- */

void training_courses_list(portal_ctx *ctx);
void training_course_create(portal_ctx *ctx);
void training_course_get(portal_ctx *ctx);
void training_course_update(portal_ctx *ctx);
void training_course_new_page(portal_ctx *ctx);
void training_course_edit_page(portal_ctx *ctx);
/* The courses the user may add sessions to, as form options (new array in
 * *out) with `selected` marked.  Returns 0, or -1 after answering. */
int training_course_options(portal_ctx *ctx, const json_t *selected, json_t **out);
void training_sessions_list(portal_ctx *ctx);
void training_session_create(portal_ctx *ctx);
void training_session_get(portal_ctx *ctx);
void training_session_update(portal_ctx *ctx);
void training_session_cancel(portal_ctx *ctx);
void training_session_new_page(portal_ctx *ctx);
void training_session_edit_page(portal_ctx *ctx);
void training_session_cancel_page(portal_ctx *ctx);
void training_book(portal_ctx *ctx);
void training_my_bookings(portal_ctx *ctx);
void training_record(portal_ctx *ctx);
void training_booking_get(portal_ctx *ctx);
void training_booking_cancel(portal_ctx *ctx);
void training_notice_dismiss(portal_ctx *ctx);
void training_booking_calendar(portal_ctx *ctx);
void training_roster(portal_ctx *ctx);
void training_roster_csv_get(portal_ctx *ctx);
void training_attendance(portal_ctx *ctx);
void training_uptake(portal_ctx *ctx);
void training_uptake_csv_get(portal_ctx *ctx);
void training_feedback_form(portal_ctx *ctx);
void training_feedback_give(portal_ctx *ctx);
void training_feedback_get(portal_ctx *ctx);
void training_session_feedback(portal_ctx *ctx);

/* ---- demo.c, migrate.c --------------------------------------------------------- */

/* --load-demo: four courses and a session each, once. */
int training_load_demo(portal_store *store, const portal_config *cfg, char *err, size_t errlen);

/* Migrate older data to TRAINING_DATA_VERSION (logged).  Returns 0, or -1
 * when it could not run (logged). */
int training_migrate(portal_store *st);

/* At start (before portal_main): unless --check, read the configuration,
 * connect and run training_migrate().  Returns 0 or -1 (the module starts
 * either way: a failure is logged). */
int training_migrate_at_start(int argc, char **argv);

/* The module's error codes (replies.c), named by the app for the API description. */
extern const portal_error_codes training_error_codes;

#endif
