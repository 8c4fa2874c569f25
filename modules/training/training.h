/* training.h - the training sign-up module's shared declarations.
 *
 * Keys (P = portal_store_prefix()):
 *   P training:courses:seq              INCR: course ids
 *   P training:courses                  zset: course id (score = id)
 *   P training:course:{c:ID}            hash: the course
 *   P training:sessions:seq             INCR: session ids
 *   P training:sessions                 zset: session id, score = starts_at (Unix s)
 *   P training:{s:ID}:session           hash: the session, its seat counters
 *                                       (used:<kind>, confirmed, waitlist_length),
 *                                       booking_seq, wait_seq, sequence
 *   P training:{s:ID}:bookings          hash: booking id -> booking JSON
 *   P training:{s:ID}:people            hash: username -> active booking id
 *   P training:{s:ID}:waitlist          zset: booking id, score = arrival order
 *   P training:user:{u:NAME}:bookings   zset: booking id, score = booked_at (index)
 * A booking id is "<session id>-<n>", so the session's keys follow from it.
 * Nothing about a victim is ever stored: a booking names only the member of
 * staff who booked.
 */
#ifndef TRAINING_H
#define TRAINING_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "store.h"

/* The agency types a set-aside seat can be kept for, NULL-terminated. */
extern const char *const training_agency_types[];
#define TRAINING_AGENCY_TYPE_COUNT 5

/* Bounds. */
#define TRAINING_CAPACITY_MAX     500
#define TRAINING_WAITLIST_MAX     1000
#define TRAINING_LIST_MAX         100   /* sessions or courses in one list */
#define TRAINING_MY_BOOKINGS_MAX  200
#define TRAINING_REPORT_SESSIONS_MAX 500
#define TRAINING_ATTENDANCE_WINDOW (14 * 24 * 3600)

/* The module's Lua scripts (training_lua.c), indexes into training_scripts. */
enum {
	TRAINING_SCRIPT_BOOK,
	TRAINING_SCRIPT_CANCEL,
	TRAINING_SCRIPT_SESSION_VIEW,
	TRAINING_SCRIPT_SESSION_CANCEL,
	TRAINING_SCRIPT_SESSION_UPDATE,
	TRAINING_SCRIPT_ATTEND,
	TRAINING_SCRIPT_BOOKING_VIEW,
	TRAINING_SCRIPT_COUNT
};
extern const portal_script training_scripts[];

/* Parse a booking id "<session>-<n>" (both 1..10^12, digits only).
 * Returns 0 and sets *session_id and *n, or -1. */
int training_parse_booking_id(const char *s, long long *session_id, long long *n);

/* Parse a positive id of digits only (1..10^12).  Returns 0 or -1. */
int training_parse_id(const char *s, long long *id);

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

/* One calendar event (a booking of a session). */
typedef struct training_ics_event {
	const char *uid;          /* stable per booking */
	const char *summary;      /* course title */
	const char *location;     /* venue or "Online" */
	const char *description;  /* may be NULL */
	const char *url;          /* joining link, or NULL */
	time_t      starts, ends, stamp;
	long long   sequence;     /* bumped whenever the session changes */
	int         cancelled;    /* STATUS:CANCELLED */
} training_ics_event;

/* Append an RFC 5545 VCALENDAR (CRLF lines folded at 75 octets, never
 * inside a UTF-8 character; a VTIMEZONE for Europe/London; local times)
 * holding `ev` to out.  Returns 0, or -1 when out overflowed. */
int training_ics_build(portal_buf *out, const training_ics_event *ev);

/* Append the roster CSV (RFC 4180, CRLF; header row then one row per item
 * of `roster`, an array of booking objects with name, agency_name,
 * agency_type, status, attendance).  Returns 0 or -1. */
int training_roster_csv(portal_buf *out, const json_t *roster);

/* Append the uptake report CSV (rows: dimension, key, label, confirmed,
 * waitlisted, attended, no_show) from the report object that
 * training_report_add built.  Returns 0 or -1. */
int training_uptake_csv(portal_buf *out, const json_t *report);

/* Add a session's bookings to the uptake report `report` (an object with
 * "by_course", "by_agency_type", "by_agency" objects of counters; created
 * when missing).  `session` is the session view, `bookings` an array of
 * booking objects. */
void training_report_add(json_t *report, const json_t *session, const json_t *bookings);

/* Turn a report built with training_report_add into its sorted lists
 * ("courses", "agency_types", "agencies": [{key,label,confirmed,...,
 * bar_confirmed (0..100)}]).  Returns a new object. */
json_t *training_report_finish(const json_t *report);

/* The label people see for an agency type ("local_authority" ->
 * "Local authority"); the code itself when unknown. */
const char *training_agency_type_label(const char *type);

#endif
