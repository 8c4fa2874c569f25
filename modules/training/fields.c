/* fields.c - what the training module takes in, declared and checked in one
 * place: the domain lists (agency types), ids, the field tables of courses,
 * sessions, attendance and queries, the rules across a session's fields, and
 * the page forms (checkboxes, seat counts) turned into the same input the
 * JSON API takes.  Pure functions: no Redis, no request, so the unit tests
 * and the fuzz target call them.
 *
 * A page asks for each time as a GOV.UK date input (day, month, year) and a
 * time on the 24-hour clock, in London time; the API takes RFC 3339 with an
 * offset.  Both are one field type (PORTAL_FIELD_LONDON_TIME), so the
 * handlers validate either input with one table.
 */
#include "training.h"

#include "paging.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "jsonget.h"
#include "personal.h"

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

const char *training_agency_labels_joined(void)
{
#define TRAINING_LABEL_JOIN(code, label) label ","
	return TRAINING_AGENCY_TYPES(TRAINING_LABEL_JOIN);
#undef TRAINING_LABEL_JOIN
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
	return portal_choice_label(training_agency_types, training_agency_type_labels, type);
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

/* Each learning outcome is free text that is kept: guarded against
 * personal data like every other (common/personal.c), naming the outcome. */
static int training_outcomes_check(const json_t *value, char *msg, size_t msglen)
{
	const json_t *item;
	char found[300];
	size_t i;

	json_array_foreach(value, i, item)
		if (portal_check_no_personal_data(item, found, sizeof(found)) < 0) {
			snprintf(msg, msglen, "Learning outcome %zu: %s", i + 1, found);
			return -1;
		}
	return 0;
}

static const portal_field training_course_table[] = {
	{ .name = "title", .type = PORTAL_FIELD_STRING, .required = 1, .min = 3, .max = 200, .label = "Title" },
	{ .name = "summary", .type = PORTAL_FIELD_STRING, .required = 1, .min = 1, .max = 500, .label = "Summary" },
	{ .name = "description", .type = PORTAL_FIELD_STRING, .max = 5000, .label = "What it covers" },
	{ .name = "audience", .type = PORTAL_FIELD_STRING, .max = 500, .label = "Audience" },
	{ .name = "duration_minutes", .type = PORTAL_FIELD_INT, .required = 1, .min = 15, .max = 2880, .label = "Length in minutes" },
	{ .name = "organisation", .type = PORTAL_FIELD_STRING, .max = 200, .label = "Delivering organisation" },
	{ .name = "learning_outcomes", .type = PORTAL_FIELD_STRING_LIST, .min = 3, .max = TRAINING_OUTCOME_MAX,
	  .max_items = TRAINING_OUTCOMES_MAX, .label = "Learning outcomes", .check = training_outcomes_check },
};
const portal_fields training_course_fields = PORTAL_FIELDS_INIT(training_course_table);

/* A joining link is opened by people on work machines: https only (the
 * URL type also takes http://). */
static int training_link_https(const json_t *link, char *msg, size_t msglen)
{
	const char *s = json_string_value(link);

	if (s == NULL || s[0] == '\0' || strncasecmp(s, "https://", 8) == 0)
		return 0;
	snprintf(msg, msglen, "Enter the joining link as a web address starting with https://");
	return -1;
}

/* The times are London time on a page (date and time parts), RFC 3339 in
 * the API; their labels are clauses ("Enter the date the session starts"). */
static const portal_field training_session_table[] = {
	{ .name = "course_id", .type = PORTAL_FIELD_INT, .required = 1, .min = 1, .max = TRAINING_ID_MAX, .label = "Course" },
	{ .name = TRAINING_FORM_STARTS, .type = PORTAL_FIELD_LONDON_TIME, .required = 1, .label = "the session starts" },
	{ .name = TRAINING_FORM_ENDS, .type = PORTAL_FIELD_LONDON_TIME, .required = 1, .label = "the session ends" },
	{ .name = "venue", .type = PORTAL_FIELD_STRING, .max = 200, .label = "Venue" },
	{ .name = "online", .type = PORTAL_FIELD_BOOL, .label = "Online" },
	{ .name = "join_link", .type = PORTAL_FIELD_URL, .max = 500, .label = "Joining link", .check = training_link_https },
	{ .name = "capacity", .type = PORTAL_FIELD_INT, .required = 1, .min = 1, .max = TRAINING_CAPACITY_MAX, .label = "Capacity" },
	{ .name = TRAINING_FORM_CLOSES, .type = PORTAL_FIELD_LONDON_TIME, .label = "booking closes" },
};
const portal_fields training_session_fields = PORTAL_FIELDS_INIT(training_session_table);

static const portal_field training_sessions_query_table[] = {
	{ .name = "course", .type = PORTAL_FIELD_INT, .min = 1, .max = TRAINING_ID_MAX, .label = "Course" },
	{ .name = "from", .type = PORTAL_FIELD_DATE, .label = "From date" },
	{ .name = "to", .type = PORTAL_FIELD_DATE, .label = "To date" },
	PORTAL_PAGE_FIELDS("Sessions"),
};
const portal_fields training_sessions_query_fields = PORTAL_FIELDS_INIT(training_sessions_query_table);

/* A list's page (my bookings, courses, a roster). */
static const portal_field training_list_query_table[] = {
	PORTAL_PAGE_FIELDS("Results"),
};
const portal_fields training_list_query_fields = PORTAL_FIELDS_INIT(training_list_query_table);

static const portal_field training_uptake_query_table[] = {
	{ .name = "from", .type = PORTAL_FIELD_DATE, .label = "From date" },
	{ .name = "to", .type = PORTAL_FIELD_DATE, .label = "To date" },
};
const portal_fields training_uptake_query_fields = PORTAL_FIELDS_INIT(training_uptake_query_table);

static const char *const training_marks[] = { "attended", "partial", "no_show", NULL };
static const portal_field training_attendance_table[] = {
	{ .name = "attendance", .type = PORTAL_FIELD_ENUM, .required = 1, .choices = training_marks, .label = "Attendance" },
};
const portal_fields training_attendance_fields = PORTAL_FIELDS_INIT(training_attendance_table);

/* The time rules of a session: start in the future, end after it (at most 7
 * days), booking closing before the start.  Fills in->starts/ends/closes.
 * A time that is missing or wrong has its field's own error already. */
static void training_session_time_rules(const json_t *v, time_t now, json_t **errors,
                                        training_session_input *in)
{
	time_t closes;

	if (portal_time_parse(portal_json_text(v, "starts_at"), &in->starts) == 0 && in->starts <= now)
		portal_field_error(errors, "starts_at", "The start must be in the future");
	if (portal_time_parse(portal_json_text(v, "ends_at"), &in->ends) == 0) {
		if (in->ends <= in->starts)
			portal_field_error(errors, "ends_at", "The end must be after the start");
		else if (in->ends - in->starts > 7 * 24 * 3600)
			portal_field_error(errors, "ends_at", "A session can last at most 7 days");
	}
	in->closes = in->starts;
	if (portal_time_parse(portal_json_text(v, "booking_closes_at"), &closes) == 0) {
		in->closes = closes;
		if (closes > in->starts)
			portal_field_error(errors, "booking_closes_at", "Booking must close before the session starts");
	}
}

void training_session_rules(const json_t *raw, const json_t *v, time_t now, json_t **errors,
                            training_session_input *in)
{
	char msg[200];

	memset(in, 0, sizeof(*in));
	training_session_time_rules(v, now, errors, in);
	if (!json_is_true(json_object_get(v, "online")) && portal_json_text(v, "venue")[0] == '\0')
		portal_field_error(errors, "venue", "Enter the venue, or say the session is online");
	in->capacity = portal_json_num(v, "capacity");
	if (training_parse_agency_seats(raw, in->capacity, in->seats, msg, sizeof(msg)) < 0)
		portal_field_error(errors, "agency_seats", msg);
	in->course_id = portal_json_num(v, "course_id");
	in->venue = portal_json_text(v, "venue");
	in->join_link = portal_json_text(v, "join_link");
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

json_t *training_session_form_input(const json_t *form)
{
	json_t *in = json_is_object(form) ? json_copy((json_t *)form) : json_object();

	if (in == NULL)
		return NULL;
	json_object_del(in, "agency_seats");
	if (json_object_get(in, "online") == NULL)
		json_object_set_new(in, "online", json_false());
	return in;
}

json_t *training_session_form_values(const json_t *s)
{
	json_t *out = json_object();
	long long starts = portal_json_num(s, "starts_at"), closes = portal_json_num(s, "booking_closes_at");
	char key[40], val[24];
	size_t i;

	portal_form_london_time(out, TRAINING_FORM_STARTS, (time_t)starts);
	portal_form_london_time(out, TRAINING_FORM_ENDS, (time_t)portal_json_num(s, "ends_at"));
	if (closes && closes != starts)
		portal_form_london_time(out, TRAINING_FORM_CLOSES, (time_t)closes);
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
	json_object_set_new(out, "learning_outcomes", training_outcomes_of(c));
	return out;
}

json_t *training_outcomes_of(const json_t *course)
{
	const char *text = portal_json_text(course, "outcomes");
	json_t *list = text[0] ? json_loads(text, 0, NULL) : NULL, *item;
	json_t *out = json_array();
	size_t i;

	json_array_foreach(list, i, item)
		if (json_is_string(item) && json_array_size(out) < TRAINING_OUTCOMES_MAX)
			json_array_append(out, item);
	json_decref(list);
	return out;
}

json_t *training_outcome_slots(const json_t *form)
{
	const json_t *given = json_object_get(form, "learning_outcomes");
	json_t *slots = json_array();
	size_t i;

	for (i = 0; i < TRAINING_OUTCOMES_MAX; i++) {
		const json_t *v = json_is_array(given) ? json_array_get(given, i) : i == 0 ? given : NULL;
		const char *text = json_string_value(v);
		char id[32];

		if (text == NULL)
			text = "";
		snprintf(id, sizeof(id), i == 0 ? "learning_outcomes" : "learning_outcomes-%zu", i + 1);
		json_array_append_new(slots, json_pack("{s:I, s:s, s:s}", "number", (json_int_t)(i + 1), "id", id,
		                      "value", text));
	}
	return slots;
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

/* ---- feedback ---------------------------------------------------------------- */

static const portal_field training_feedback_table[] = {
	{ .name = "usefulness", .type = PORTAL_FIELD_INT, .required = 1, .min = 1, .max = 5,
	  .label = "How useful the session was, from 1 to 5" },
	{ .name = "text", .type = PORTAL_FIELD_STRING, .max = TRAINING_FEEDBACK_TEXT_MAX,
	  .label = "What you will do differently", .check = portal_check_no_personal_data },
};
const portal_fields training_feedback_fields = PORTAL_FIELDS_INIT(training_feedback_table);

/* One 1-5 value: a JSON integer or a form's digit.  Returns it, or 0. */
static int training_score(const json_t *v)
{
	long long x = 0;

	if (json_is_integer(v))
		x = json_integer_value(v);
	else if (json_is_string(v) && portal_parse_int(json_string_value(v), 1, 5, &x) < 0)
		return 0;
	return x >= 1 && x <= 5 ? (int)x : 0;
}

/* Read the values of `name` ("confidence_before") into out[0..n): the
 * API's array, or a page's radios NAME_<i>.  The first thing to fix goes
 * to *errors; `when` says it in words ("before the session"). */
static void training_feedback_scores(const json_t *input, const char *name, const json_t *outcomes, int is_api,
                                     const char *when, json_t **errors, int *out)
{
	const json_t *list = json_object_get(input, name);
	size_t i, n = json_array_size(outcomes);
	char field[48], msg[400];

	if (is_api && (!json_is_array(list) || json_array_size(list) != n)) {
		snprintf(msg, sizeof(msg), "Give %s as a list of %zu whole numbers from 1 to 5, one for each learning outcome of the course, in order", name, n);
		portal_field_error(errors, name, msg);
		return;
	}
	for (i = 0; i < n; i++) {
		snprintf(field, sizeof(field), "%s_%zu", name, i + 1);
		out[i] = training_score(is_api ? json_array_get(list, i) : json_object_get(input, field));
		if (out[i] == 0) {
			snprintf(msg, sizeof(msg), "Choose from 1 to 5 how confident you were %s in: %s", when,
			         json_string_value(json_array_get(outcomes, i)));
			portal_field_error(errors, is_api ? name : field, msg);
			if (is_api)
				return;
		}
	}
}

void training_feedback_rules(const json_t *input, const json_t *outcomes, int is_api, json_t **errors,
                             training_feedback_input *in)
{
	memset(in->before, 0, sizeof(in->before));
	memset(in->after, 0, sizeof(in->after));
	in->outcomes = json_array_size(outcomes) < TRAINING_OUTCOMES_MAX ? json_array_size(outcomes) : TRAINING_OUTCOMES_MAX;
	training_feedback_scores(input, "confidence_before", outcomes, is_api, "before the session", errors, in->before);
	training_feedback_scores(input, "confidence_after", outcomes, is_api, "after the session", errors, in->after);
}

/* The five radios of a 1-5 question whose value shown is `chosen`. */
static json_t *training_scale(const char *chosen)
{
	json_t *radios = json_array();
	char value[4];
	int v;

	for (v = 1; v <= 5; v++) {
		snprintf(value, sizeof(value), "%d", v);
		json_array_append_new(radios, json_pack("{s:s, s:b, s:b}", "value", value,
		                      "checked", chosen && strcmp(chosen, value) == 0, "first", v == 1));
	}
	return radios;
}

json_t *training_feedback_questions(const json_t *outcomes, const json_t *form, const json_t *errors,
                                    json_t **usefulness)
{
	json_t *questions = json_array();
	const json_t *o;
	char before[48], after[48];
	size_t i;

	json_array_foreach(outcomes, i, o) {
		snprintf(before, sizeof(before), "confidence_before_%zu", i + 1);
		snprintf(after, sizeof(after), "confidence_after_%zu", i + 1);
		json_array_append_new(questions, json_pack("{s:I, s:O, s:s, s:s, s:o, s:o, s:O*, s:O*}", "number",
		        (json_int_t)(i + 1), "outcome", o, "before_name", before, "after_name", after,
		        "before", training_scale(json_string_value(json_object_get(form, before))),
		        "after", training_scale(json_string_value(json_object_get(form, after))),
		        "before_error", json_object_get(errors, before), "after_error", json_object_get(errors, after)));
	}
	*usefulness = training_scale(json_string_value(json_object_get(form, "usefulness")));
	return questions;
}

json_t *training_feedback_form_values(const json_t *f)
{
	json_t *out = json_object();
	const char *const lists[] = { "confidence_before", "confidence_after" };
	char name[48], value[24];
	size_t i, j;

	for (j = 0; j < 2; j++)
		for (i = 0; i < json_array_size(json_object_get(f, lists[j])); i++) {
			snprintf(name, sizeof(name), "%s_%zu", lists[j], i + 1);
			snprintf(value, sizeof(value), "%lld", (long long)json_integer_value(json_array_get(json_object_get(f, lists[j]), i)));
			json_object_set_new(out, name, json_string(value));
		}
	snprintf(value, sizeof(value), "%lld", portal_json_num(f, "usefulness"));
	json_object_set_new(out, "usefulness", json_string(value));
	json_object_set_new(out, "text", json_string(portal_json_text(f, "text")));
	return out;
}
