/* fields.c - what the training module takes in, declared and checked in one
 * place: the domain lists (agency types), ids, the field tables of courses,
 * sessions, attendance and queries, the rules across a session's fields, and
 * the page forms (date and time parts in London time, checkboxes, seat
 * counts) turned into the same input the JSON API takes.  Pure functions: no
 * Redis, no request, so the unit tests and the fuzz target call them.
 *
 * A page asks for each time as a GOV.UK date input (day, month, year) and a
 * time on the 24-hour clock, in London time; the API takes RFC 3339 with an
 * offset.  The parts are parsed strictly here and turned into the API's text,
 * so the handlers validate one input with one table.
 */
#include "training.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "jsonget.h"

#define TRAINING_TYPE_CODE(code, label) #code,
#define TRAINING_TYPE_LABEL(code, label) label,
const char *const training_agency_types[] = { TRAINING_AGENCY_TYPES(TRAINING_TYPE_CODE) NULL };
static const char *const training_agency_type_labels[] = { TRAINING_AGENCY_TYPES(TRAINING_TYPE_LABEL) };
#define TRAINING_TYPE_SEATS(code, label) "seats:" #code,
#define TRAINING_TYPE_USED(code, label) "used:" #code,
static const char *const training_seats_keys[] = { TRAINING_AGENCY_TYPES(TRAINING_TYPE_SEATS) };
static const char *const training_used_keys[] = { TRAINING_AGENCY_TYPES(TRAINING_TYPE_USED) };

const char *training_seats_key(size_t i)
{
	return training_seats_keys[i < TRAINING_AGENCY_TYPE_COUNT ? i : TRAINING_AGENCY_other];
}

const char *training_used_key(size_t i)
{
	return training_used_keys[i < TRAINING_AGENCY_TYPE_COUNT ? i : TRAINING_AGENCY_other];
}

const char *training_agency_type_known(const char *type)
{
	size_t i;

	for (i = 0; type && training_agency_types[i]; i++)
		if (strcmp(type, training_agency_types[i]) == 0)
			return training_agency_types[i];
	return "other";
}

const char *training_agency_types_joined(void)
{
#define TRAINING_TYPE_JOIN(code, label) #code ","
	return TRAINING_AGENCY_TYPES(TRAINING_TYPE_JOIN);
#undef TRAINING_TYPE_JOIN
}

/* Takes the env variable `name`, a default and bounds; returns the value. */
static long long training_env_number(const char *name, long long def, long long lo, long long hi)
{
	const char *s = getenv(name);
	long long v;

	if (s == NULL || *s == '\0' || portal_parse_int(s, lo, hi, &v) < 0)
		return def;
	return v;
}

long long training_release_seconds(void)
{
	return 24LL * 3600 * training_env_number("PORTAL_TRAINING_RELEASE_DAYS", 7, 0, 365);
}

long long training_cutoff_seconds(void)
{
	return 3600LL * training_env_number("PORTAL_TRAINING_PROMOTION_CUTOFF_HOURS", 24, 0, 24 * 365);
}

const char *training_agency_type_label(const char *type)
{
	size_t i;

	for (i = 0; type && training_agency_types[i]; i++)
		if (strcmp(type, training_agency_types[i]) == 0)
			return training_agency_type_labels[i];
	return type ? type : "";
}

/* Writes "Seats can be set aside only for these agency types: police, ..."
 * (the list from training.h) into msg. */
static void training_types_message(char *msg, size_t msglen)
{
	size_t i, n = (size_t)snprintf(msg, msglen, "Seats can be set aside only for these agency types: ");

	for (i = 0; training_agency_types[i] && n < msglen; i++)
		n += (size_t)snprintf(msg + n, msglen - n, "%s%s", i ? ", " : "", training_agency_types[i]);
}

/* Takes s[0..len) of digits only; returns 0 and sets *out (1..10^12), or -1. */
static int training_digits(const char *s, size_t len, long long *out)
{
	char text[16];
	char *end;
	long long v;
	size_t i;

	if (len == 0 || len > 13 || s[0] == '0')
		return -1;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	memcpy(text, s, len);
	text[len] = '\0';
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno || *end || v < 1 || v > TRAINING_ID_MAX)
		return -1;
	*out = v;
	return 0;
}

int training_parse_id(const char *s, long long *id)
{
	if (s == NULL)
		return -1;
	return training_digits(s, strlen(s), id);
}

int training_parse_booking_id(const char *s, long long *session_id, long long *n)
{
	const char *dash;

	if (s == NULL || (dash = strchr(s, '-')) == NULL)
		return -1;
	if (training_digits(s, (size_t)(dash - s), session_id) < 0)
		return -1;
	return training_digits(dash + 1, strlen(dash + 1), n);
}

/* Takes a JSON value (integer or decimal string); returns 0 and sets *out
 * (0..max), -1 when it is not a whole number in range, 1 when empty. */
static int training_seat_count(const json_t *v, long long max, long long *out)
{
	const char *s;
	char *end;
	long long x;

	if (json_is_integer(v)) {
		x = json_integer_value(v);
	} else if (json_is_string(v)) {
		s = json_string_value(v);
		while (*s == ' ')
			s++;
		if (*s == '\0')
			return 1;
		if (strlen(s) > 6 || *s < '0' || *s > '9')
			return -1;
		errno = 0;
		x = strtoll(s, &end, 10);
		while (*end == ' ')
			end++;
		if (errno || *end)
			return -1;
	} else if (v == NULL || json_is_null(v))
		return 1;
	else
		return -1;
	if (x < 0 || x > max)
		return -1;
	*out = x;
	return 0;
}

int training_parse_agency_seats(const json_t *input, long long capacity,
                                long long seats[TRAINING_AGENCY_TYPE_COUNT],
                                char *msg, size_t msglen)
{
	const json_t *obj = json_object_get(input, "agency_seats");
	long long sum = 0, max = capacity > 0 ? capacity : TRAINING_CAPACITY_MAX;
	const char *key;
	json_t *v;
	size_t i;
	int rc;

	msg[0] = '\0';
	memset(seats, 0, sizeof(long long) * TRAINING_AGENCY_TYPE_COUNT);
	if (obj != NULL && !json_is_null(obj)) {
		if (!json_is_object(obj)) {
			snprintf(msg, msglen, "Give seats set aside as an object of agency type to number of seats");
			return -1;
		}
		json_object_foreach((json_t *)obj, key, v) {
			for (i = 0; training_agency_types[i]; i++)
				if (strcmp(key, training_agency_types[i]) == 0)
					break;
			if (training_agency_types[i] == NULL) {
				training_types_message(msg, msglen);
				return -1;
			}
			if (training_seat_count(v, max, &seats[i]) < 0)
				goto bad_count;
		}
	} else {
		for (i = 0; training_agency_types[i]; i++) {
			char name[40];
			snprintf(name, sizeof(name), "seats_%s", training_agency_types[i]);
			rc = training_seat_count(json_object_get(input, name), max, &seats[i]);
			if (rc < 0)
				goto bad_count;
		}
	}
	for (i = 0; i < TRAINING_AGENCY_TYPE_COUNT; i++)
		sum += seats[i];
	if (capacity > 0 && sum > capacity) {
		snprintf(msg, msglen, "Seats set aside (%lld in all) must not be more than the capacity (%lld)", sum, capacity);
		return -1;
	}
	return 0;
bad_count:
	snprintf(msg, msglen, "Enter seats set aside for each agency type as a whole number from 0 to %lld", max);
	return -1;
}


/* ---- field tables ---------------------------------------------------------- */

const portal_field training_course_fields[] = {
	{ "title", PORTAL_FIELD_STRING, 1, 3, 200, NULL, 0, "Title" },
	{ "summary", PORTAL_FIELD_STRING, 1, 1, 500, NULL, 0, "Summary" },
	{ "description", PORTAL_FIELD_STRING, 0, 0, 5000, NULL, 0, "What it covers" },
	{ "audience", PORTAL_FIELD_STRING, 0, 0, 500, NULL, 0, "Audience" },
	{ "duration_minutes", PORTAL_FIELD_INT, 1, 15, 2880, NULL, 0, "Length in minutes" },
	{ "organisation", PORTAL_FIELD_STRING, 0, 0, 200, NULL, 0, "Delivering organisation" },
};
const size_t training_course_nfields = sizeof(training_course_fields) / sizeof(training_course_fields[0]);

const portal_field training_session_fields[] = {
	{ "course_id", PORTAL_FIELD_INT, 1, 1, TRAINING_ID_MAX, NULL, 0, "Course" },
	{ "starts_at", PORTAL_FIELD_TIME, 1, 0, 0, NULL, 0, "Start" },
	{ "ends_at", PORTAL_FIELD_TIME, 1, 0, 0, NULL, 0, "End" },
	{ "venue", PORTAL_FIELD_STRING, 0, 0, 200, NULL, 0, "Venue" },
	{ "online", PORTAL_FIELD_BOOL, 0, 0, 0, NULL, 0, "Online" },
	{ "join_link", PORTAL_FIELD_STRING, 0, 0, 500, NULL, 0, "Joining link" },
	{ "capacity", PORTAL_FIELD_INT, 1, 1, TRAINING_CAPACITY_MAX, NULL, 0, "Capacity" },
	{ "booking_closes_at", PORTAL_FIELD_TIME, 0, 0, 0, NULL, 0, "Booking close time" },
};
const size_t training_session_nfields = sizeof(training_session_fields) / sizeof(training_session_fields[0]);

const portal_field training_sessions_query_fields[] = {
	{ "course", PORTAL_FIELD_INT, 0, 1, TRAINING_ID_MAX, NULL, 0, "Course" },
	{ "from", PORTAL_FIELD_DATE, 0, 0, 0, NULL, 0, "From date" },
	{ "to", PORTAL_FIELD_DATE, 0, 0, 0, NULL, 0, "To date" },
};
const size_t training_sessions_query_nfields = sizeof(training_sessions_query_fields) / sizeof(training_sessions_query_fields[0]);

/* the uptake report's query: the sessions query's dates */
const portal_field *const training_uptake_query_fields = training_sessions_query_fields + 1;
const size_t training_uptake_query_nfields = 2;

static const char *const training_marks[] = { "attended", "partial", "no_show", NULL };
const portal_field training_attendance_fields[] = {
	{ "attendance", PORTAL_FIELD_ENUM, 1, 0, 0, training_marks, 0, "Attendance" },
};
const size_t training_attendance_nfields = sizeof(training_attendance_fields) / sizeof(training_attendance_fields[0]);

int training_validate_each(const json_t *input, const portal_field *fields, size_t nfields,
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

/* Add message m for field f to *errors (created when needed) unless f has one. */
static void training_error_add(json_t **errors, const char *f, const char *m)
{
	if (*errors == NULL)
		*errors = json_object();
	if (!json_object_get(*errors, f))
		json_object_set_new(*errors, f, json_string(m));
}

/* The time rules of a session: start in the future, end after it (at most 7
 * days), booking closing before the start.  Fills in->starts/ends/closes. */
static void training_session_time_rules(const json_t *v, time_t now, json_t **errors,
                                        training_session_input *in)
{
	if (portal_time_parse(portal_json_text(v, "starts_at"), &in->starts) < 0)
		training_error_add(errors, "starts_at", "Enter the start as a date and time with its offset, like 2026-03-29T09:30:00+01:00");
	else if (in->starts <= now)
		training_error_add(errors, "starts_at", "The start must be in the future");
	if (portal_time_parse(portal_json_text(v, "ends_at"), &in->ends) < 0)
		training_error_add(errors, "ends_at", "Enter the end as a date and time with its offset, like 2026-03-29T16:30:00+01:00");
	else if (in->ends <= in->starts)
		training_error_add(errors, "ends_at", "The end must be after the start");
	else if (in->ends - in->starts > 7 * 24 * 3600)
		training_error_add(errors, "ends_at", "A session can last at most 7 days");
	in->closes = in->starts;
	if (portal_json_text(v, "booking_closes_at")[0]) {
		if (portal_time_parse(portal_json_text(v, "booking_closes_at"), &in->closes) < 0)
			training_error_add(errors, "booking_closes_at", "Enter the booking close time as a date and time with its offset");
		else if (in->closes > in->starts)
			training_error_add(errors, "booking_closes_at", "Booking must close before the session starts");
	}
}

void training_session_rules(const json_t *raw, const json_t *v, time_t now, json_t **errors,
                            training_session_input *in)
{
	char msg[200];
	const char *link = portal_json_text(v, "join_link");

	memset(in, 0, sizeof(*in));
	training_session_time_rules(v, now, errors, in);
	if (!json_is_true(json_object_get(v, "online")) && portal_json_text(v, "venue")[0] == '\0')
		training_error_add(errors, "venue", "Enter the venue, or say the session is online");
	if (link[0] && strncmp(link, "https://", 8) != 0)
		training_error_add(errors, "join_link", "Enter the joining link as a web address starting with https://");
	if (link[0] && strpbrk(link, " \t\r\n\"<>"))
		training_error_add(errors, "join_link", "The joining link must not contain spaces or quotes");
	in->capacity = portal_json_num(v, "capacity");
	if (training_parse_agency_seats(raw, in->capacity, in->seats, msg, sizeof(msg)) < 0)
		training_error_add(errors, "agency_seats", msg);
	in->course_id = portal_json_num(v, "course_id");
	in->venue = portal_json_text(v, "venue");
	in->join_link = link;
	in->online = json_is_true(json_object_get(v, "online"));
}

void training_query_dates(const json_t *q, time_t *from, time_t *to)
{
	if (portal_json_text(q, "from")[0])
		portal_date_parse(portal_json_text(q, "from"), from);
	if (portal_json_text(q, "to")[0]) {
		portal_date_parse(portal_json_text(q, "to"), to);
		*to += 24 * 3600 - 1;
	}
}

/* ---- page forms ------------------------------------------------------------ */

/* The string member `key` of obj with spaces around it skipped, copied into
 * out (at most outlen - 1 bytes).  Returns the length, 0 when absent or not
 * a string, or -1 when it does not fit. */
static int training_form_part(const json_t *obj, const char *key, char *out, size_t outlen)
{
	const char *s = json_string_value(json_object_get(obj, key));
	size_t len;

	out[0] = '\0';
	if (s == NULL)
		return 0;
	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len >= outlen)
		return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	return (int)len;
}

/* Parse 1..maxdigits decimal digits in s (nothing else) into *out within
 * [min, max].  Returns 0 or -1. */
static int training_form_number(const char *s, size_t maxdigits, int min, int max, int *out)
{
	size_t i, len = strlen(s);
	int x = 0;

	if (len == 0 || len > maxdigits)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	if (x < min || x > max)
		return -1;
	*out = x;
	return 0;
}

/* Parse a time "9:30", "09:30" or "09.30" into hour and minute.  Returns 0
 * or -1. */
static int training_form_clock(const char *s, int *hour, int *minute)
{
	const char *sep = strpbrk(s, ":.");
	char h[4];
	size_t hl;

	if (sep == NULL)
		return -1;
	hl = (size_t)(sep - s);
	if (hl == 0 || hl > 2)
		return -1;
	memcpy(h, s, hl);
	h[hl] = '\0';
	if (training_form_number(h, 2, 0, 23, hour) < 0)
		return -1;
	if (strlen(sep + 1) != 2)
		return -1;
	return training_form_number(sep + 1, 2, 0, 59, minute);
}

int training_form_time(const json_t *form, const char *name, const char *what,
                       time_t *t, char *msg, size_t msglen)
{
	static const char *const suffix[] = { "day", "month", "year", "time" };
	char parts[4][16], key[64];
	int lens[4], day, month, year, hour, minute, blank = 1, i;
	struct tm tm;

	msg[0] = '\0';
	for (i = 0; i < 4; i++) {
		snprintf(key, sizeof(key), "%s_%s", name, suffix[i]);
		lens[i] = training_form_part(form, key, parts[i], sizeof(parts[i]));
		if (lens[i] != 0)
			blank = 0;
	}
	if (blank)
		return 1;
	if (lens[0] == 0 || lens[1] == 0 || lens[2] == 0) {
		snprintf(msg, msglen, "Enter the date %s as a day, month and year, like 29 3 2026", what);
		return -1;
	}
	if (lens[0] < 0 || lens[1] < 0 || lens[2] < 0 ||
	    training_form_number(parts[0], 2, 1, 31, &day) < 0 ||
	    training_form_number(parts[1], 2, 1, 12, &month) < 0 ||
	    training_form_number(parts[2], 4, 2000, 2100, &year) < 0) {
		snprintf(msg, msglen, "Enter the date %s as a real date, like 29 3 2026", what);
		return -1;
	}
	if (lens[3] == 0) {
		snprintf(msg, msglen, "Enter the time %s, like 09:30", what);
		return -1;
	}
	if (lens[3] < 0 || training_form_clock(parts[3], &hour, &minute) < 0) {
		snprintf(msg, msglen, "Enter the time %s on the 24-hour clock, like 09:30 or 14:00", what);
		return -1;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_isdst = -1;
	*t = mktime(&tm);
	/* mktime moves 31 April to 1 May and 01:30 on the spring change to
	 * 02:30: either means the person's date or time does not exist */
	if (*t == (time_t)-1 || tm.tm_mday != day || tm.tm_mon != month - 1 || tm.tm_year != year - 1900) {
		snprintf(msg, msglen, "Enter the date %s as a real date, like 29 3 2026", what);
		return -1;
	}
	if (tm.tm_hour != hour || tm.tm_min != minute) {
		snprintf(msg, msglen, "The time %s does not exist in London that day, because the clocks go forward: choose another time", what);
		return -1;
	}
	return 0;
}

json_t *training_session_form_input(const json_t *form, json_t **errors)
{
	static const struct { const char *name, *what; int required; } times[] = {
		{ TRAINING_FORM_STARTS, "the session starts", 1 },
		{ TRAINING_FORM_ENDS, "the session ends", 1 },
		{ TRAINING_FORM_CLOSES, "booking closes", 0 },
	};
	json_t *in = json_is_object(form) ? json_copy((json_t *)form) : json_object();
	char msg[200], rfc[40];
	size_t i;
	time_t t;
	int rc;

	if (in == NULL)
		return NULL;
	json_object_del(in, "agency_seats");
	if (json_object_get(in, "online") == NULL)
		json_object_set_new(in, "online", json_false());
	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		rc = training_form_time(form, times[i].name, times[i].what, &t, msg, sizeof(msg));
		if (rc == 0)
			portal_time_format(t, rfc, sizeof(rfc));
		else
			rfc[0] = '\0';
		if (rc == 1 && times[i].required)
			snprintf(msg, sizeof(msg), "Enter the date and time %s", times[i].what);
		if (rc < 0 || (rc == 1 && times[i].required)) {
			if (*errors == NULL)
				*errors = json_object();
			json_object_set_new(*errors, times[i].name, json_string(msg));
		}
		json_object_set_new(in, times[i].name, json_string(rfc));
	}
	return in;
}

/* Set the date and time parts of `name` in out to time t in London. */
static void training_form_set_time(json_t *out, const char *name, time_t t)
{
	struct tm tm;
	char key[64], val[16];

	localtime_r(&t, &tm);
	snprintf(key, sizeof(key), "%s_day", name);
	snprintf(val, sizeof(val), "%d", tm.tm_mday);
	json_object_set_new(out, key, json_string(val));
	snprintf(key, sizeof(key), "%s_month", name);
	snprintf(val, sizeof(val), "%d", tm.tm_mon + 1);
	json_object_set_new(out, key, json_string(val));
	snprintf(key, sizeof(key), "%s_year", name);
	snprintf(val, sizeof(val), "%d", tm.tm_year + 1900);
	json_object_set_new(out, key, json_string(val));
	snprintf(key, sizeof(key), "%s_time", name);
	snprintf(val, sizeof(val), "%02d:%02d", tm.tm_hour, tm.tm_min);
	json_object_set_new(out, key, json_string(val));
}

json_t *training_session_form_values(const json_t *s)
{
	json_t *out = json_object();
	long long starts = portal_json_num(s, "starts_at"), closes = portal_json_num(s, "booking_closes_at");
	char key[40], val[24];
	size_t i;

	training_form_set_time(out, TRAINING_FORM_STARTS, (time_t)starts);
	training_form_set_time(out, TRAINING_FORM_ENDS, (time_t)portal_json_num(s, "ends_at"));
	if (closes && closes != starts)
		training_form_set_time(out, TRAINING_FORM_CLOSES, (time_t)closes);
	json_object_set_new(out, "venue", json_string(portal_json_text(s, "venue")));
	if (portal_json_num(s, "online"))
		json_object_set_new(out, "online", json_true());
	json_object_set_new(out, "join_link", json_string(portal_json_text(s, "join_link")));
	snprintf(val, sizeof(val), "%lld", portal_json_num(s, "capacity"));
	json_object_set_new(out, "capacity", json_string(val));
	for (i = 0; training_agency_types[i]; i++) {
		snprintf(key, sizeof(key), "seats:%s", training_agency_types[i]);
		snprintf(val, sizeof(val), "%lld", portal_json_num(s, key));
		snprintf(key, sizeof(key), "seats_%s", training_agency_types[i]);
		json_object_set_new(out, key, json_string(val));
	}
	return out;
}

json_t *training_course_form_values(const json_t *c)
{
	static const char *const keys[] = { "title", "summary", "description", "audience", "duration_minutes", "organisation" };
	json_t *out = json_object();
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		json_object_set_new(out, keys[i], json_string(portal_json_text(c, keys[i])));
	return out;
}

json_t *training_seat_fields(const json_t *form)
{
	json_t *list = json_array();
	char name[40];
	size_t i;

	for (i = 0; training_agency_types[i]; i++) {
		const char *v;

		snprintf(name, sizeof(name), "seats_%s", training_agency_types[i]);
		v = json_string_value(json_object_get(form, name));
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "name", name,
		        "id", i == 0 ? "agency_seats" : name,
		        "label", training_agency_type_label(training_agency_types[i]), "value", v ? v : ""));
	}
	return list;
}

void training_errors_override(json_t *errors, const json_t *over)
{
	const char *field;
	json_t *msg;

	if (!json_is_object(errors) || !json_is_object(over))
		return;
	json_object_foreach((json_t *)over, field, msg)
		json_object_set(errors, field, msg);
}
