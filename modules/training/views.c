/* views.c - the training module's pure views and computations: the JSON a
 * handler answers with for a course, a session, a booking, "My training",
 * a roster, and the uptake report's counters.  No ctx, no Redis: each takes
 * stored records (objects of strings, or booking objects) and returns new
 * JSON. */
#include "training.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "jsonget.h"

json_t *training_course_json(const json_t *c)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:o}",
	                 "id", portal_json_text(c, "id"), "title", portal_json_text(c, "title"),
	                 "summary", portal_json_text(c, "summary"), "description", portal_json_text(c, "description"),
	                 "audience", portal_json_text(c, "audience"),
	                 "duration_minutes", (json_int_t)portal_json_num(c, "duration_minutes"),
	                 "organisation", portal_json_text(c, "organisation"),
	                 "agency_id", portal_json_text(c, "agency_id"), "learning_outcomes", training_outcomes_of(c));
}

/* Set key to the RFC 3339 text of time t, and key_human to London time in
 * words ("9:30am on Saturday 5 December"). */
static void training_set_time(json_t *out, const char *key, time_t t, time_t now)
{
	char rfc[40], human[80], hkey[64];

	portal_time_format(t, rfc, sizeof(rfc));
	json_object_set_new(out, key, json_string(rfc));
	portal_time_words(t, now, human, sizeof(human));
	snprintf(hkey, sizeof(hkey), "%s_human", key);
	json_object_set_new(out, hkey, json_string(human));
}

json_t *training_session_json(const json_t *s, time_t now, int show_link)
{
	return training_session_view(s, now, show_link, training_release_seconds());
}

json_t *training_session_view(const json_t *s, time_t now, int show_link, long long release)
{
	json_t *out = json_object(), *seats = json_object(), *left = json_object(), *mix = json_array();
	long long cap = portal_json_num(s, "capacity"), confirmed = portal_json_num(s, "confirmed");
	long long setaside = 0, general, general_left, released, starts = portal_json_num(s, "starts_at");
	size_t i;

	for (i = 0; training_agency_types[i]; i++)
		setaside += portal_json_num(s, training_seats_key(i));
	general = cap - setaside;
	general_left = general - portal_json_num(s, "used:general");
	if (general_left < 0)
		general_left = 0;
	released = now >= starts - release;
	json_object_set_new(out, "id", json_string(portal_json_text(s, "id")));
	json_object_set_new(out, "course_id", json_string(portal_json_text(s, "course_id")));
	json_object_set_new(out, "course_title", json_string(portal_json_text(s, "course_title")));
	json_object_set_new(out, "organisation", json_string(portal_json_text(s, "organisation")));
	json_object_set_new(out, "agency_id", json_string(portal_json_text(s, "agency_id")));
	training_set_time(out, "starts_at", (time_t)starts, now);
	training_set_time(out, "ends_at", (time_t)portal_json_num(s, "ends_at"), now);
	training_set_time(out, "booking_closes_at", (time_t)portal_json_num(s, "booking_closes_at"), now);
	json_object_set_new(out, "venue", json_string(portal_json_text(s, "venue")));
	json_object_set_new(out, "online", json_boolean(portal_json_num(s, "online")));
	if (show_link && portal_json_num(s, "online") && portal_json_text(s, "join_link")[0])
		json_object_set_new(out, "join_link", json_string(portal_json_text(s, "join_link")));
	json_object_set_new(out, "capacity", json_integer(cap));
	json_object_set_new(out, "confirmed", json_integer(confirmed));
	json_object_set_new(out, "seats_left", json_integer(cap - confirmed > 0 ? cap - confirmed : 0));
	json_object_set_new(out, "waitlist_length", json_integer(portal_json_num(s, "waitlist_length")));
	for (i = 0; training_agency_types[i]; i++) {
		long long mine = portal_json_num(s, training_seats_key(i));
		long long used = portal_json_num(s, training_used_key(i));
		long long l = (mine - used > 0 ? mine - used : 0) + general_left;
		size_t j;

		if (released)
			for (j = 0; training_agency_types[j]; j++)
				if (j != i) {
					long long o = portal_json_num(s, training_seats_key(j)) - portal_json_num(s, training_used_key(j));
					l += o > 0 ? o : 0;
				}
		if (l > cap - confirmed)
			l = cap - confirmed > 0 ? cap - confirmed : 0;
		json_object_set_new(seats, training_agency_types[i], json_integer(mine));
		json_object_set_new(left, training_agency_types[i], json_integer(l));
		json_array_append_new(mix, json_pack("{s:s, s:s, s:I, s:I}", "type", training_agency_types[i],
		        "label", training_agency_type_label(training_agency_types[i]),
		        "set_aside", (json_int_t)mine, "seats_left", (json_int_t)l));
	}
	json_object_set_new(out, "agency_seats", seats);
	json_object_set_new(out, "agency_seats_left", left);
	json_object_set_new(out, "agency_mix", mix);
	json_object_set_new(out, "set_aside_released", json_boolean(released));
	json_object_set_new(out, "status", json_string(portal_json_text(s, "status")));
	json_object_set_new(out, "cancelled", json_boolean(strcmp(portal_json_text(s, "status"), "cancelled") == 0));
	json_object_set_new(out, "sequence", json_integer(portal_json_num(s, "sequence")));
	json_object_set_new(out, "past", json_boolean(now >= starts));
	json_object_set_new(out, "bookable", json_boolean(strcmp(portal_json_text(s, "status"), "scheduled") == 0 &&
	                    now < portal_json_num(s, "booking_closes_at") && now < starts));
	return out;
}

json_t *training_booking_json(const json_t *b)
{
	const char *status = portal_json_text(b, "status");
	json_t *out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s}",
	        "id", portal_json_text(b, "id"),
	        "session_id", portal_json_text(b, "session_id"),
	        "status", status,
	        "username", portal_json_text(b, "username"),
	        "name", portal_json_text(b, "name"),
	        "agency_name", portal_json_text(b, "agency_name"),
	        "agency_type", portal_json_text(b, "agency_type"),
	        "waitlist_position", (json_int_t)portal_json_num(b, "waitlist_position"),
	        "attendance", portal_json_text(b, "attendance"));
	char when[40];

	json_object_set_new(out, "agency_id", json_string(portal_json_text(b, "agency_id")));
	json_object_set_new(out, "agency_type_label", json_string(training_agency_type_label(portal_json_text(b, "agency_type"))));
	json_object_set_new(out, "is_confirmed", json_boolean(strcmp(status, "confirmed") == 0));
	json_object_set_new(out, "is_waitlisted", json_boolean(strcmp(status, "waitlisted") == 0));
	json_object_set_new(out, "is_cancelled", json_boolean(strcmp(status, "cancelled") == 0));
	json_object_set_new(out, "promoted", json_boolean(json_is_true(json_object_get(b, "promoted"))));
	if (portal_json_text(b, "cancel_reason")[0])
		json_object_set_new(out, "cancel_reason", json_string(portal_json_text(b, "cancel_reason")));
	if (portal_json_num(b, "booked_at")) {
		portal_time_format((time_t)portal_json_num(b, "booked_at"), when, sizeof(when));
		json_object_set_new(out, "booked_at", json_string(when));
	}
	if (portal_json_text(b, "attendance")[0])
		json_object_set_new(out, "attendance_label", json_string(
			strcmp(portal_json_text(b, "attendance"), "attended") == 0 ? "Attended" :
			strcmp(portal_json_text(b, "attendance"), "partial") == 0 ? "Partly attended" : "Did not attend"));
	return out;
}


json_t *training_booking_with_session(const json_t *b, const json_t *s, time_t now, const char *username)
{
	int confirmed = strcmp(portal_json_text(b, "status"), "confirmed") == 0;
	json_t *out = training_booking_json(b);
	const char *notice = portal_json_text(b, "notice");

	json_object_set_new(out, "session", training_session_json(s, now, confirmed &&
	                    strcmp(portal_json_text(b, "username"), username) == 0));
	if (strcmp(notice, "promoted") == 0 && confirmed)
		json_object_set_new(out, "notice", json_string("Your place is confirmed"));
	else if (strcmp(notice, "session_cancelled") == 0)
		json_object_set_new(out, "notice", json_string("This session has been cancelled"));
	json_object_set_new(out, "has_calendar", json_boolean(portal_json_num(b, "confirmed_at") > 0));
	json_object_set_new(out, "can_give_feedback", json_boolean(confirmed &&
	                    strcmp(portal_json_text(b, "attendance"), "attended") == 0 && now >= portal_json_num(s, "ends_at")));
	json_object_set_new(out, "feedback_given", json_boolean(portal_json_num(b, "feedback_at") > 0));
	return out;
}

json_t *training_record_view(const json_t *items)
{
	json_t *completed = json_array();
	const json_t *item;
	char when[40];
	size_t i;

	json_array_foreach(items, i, item) {
		const json_t *b = json_object_get(item, "booking"), *s = json_object_get(item, "session");

		if (strcmp(portal_json_text(b, "status"), "confirmed") != 0 ||
		    strcmp(portal_json_text(b, "attendance"), "attended") != 0)
			continue;
		portal_time_format((time_t)portal_json_num(s, "ends_at"), when, sizeof(when));
		json_array_append_new(completed, json_pack("{s:s, s:s, s:s, s:s, s:s}",
		        "course_id", portal_json_text(s, "course_id"), "course_title", portal_json_text(s, "course_title"),
		        "organisation", portal_json_text(s, "organisation"), "session_id", portal_json_text(s, "id"),
		        "completed_at", when));
	}
	return json_pack("{s:o}", "completed", completed);
}

json_t *training_roster_view(const json_t *session, const json_t *roster, time_t now)
{
	json_t *list = json_array();
	const json_t *b;
	size_t i;
	long long starts = portal_json_num(session, "starts_at");
	int can_mark = now >= starts && now <= starts + TRAINING_ATTENDANCE_WINDOW;

	json_array_foreach(roster, i, b) {
		json_t *v = training_booking_json(b);
		json_object_set_new(v, "can_mark", json_boolean(can_mark && strcmp(portal_json_text(b, "status"), "confirmed") == 0));
		json_array_append_new(list, v);
	}
	return json_pack("{s:o, s:b, s:o, s:b, s:s}", "session", training_session_json(session, now, 1),
	                 "has_roster", json_array_size(list) > 0, "roster", list, "can_mark", can_mark,
	                 "title", "Session roster");
}

json_t *training_session_mix_view(const json_t *session, const json_t *roster, time_t now)
{
	json_t *mix = json_object(), *mixlist = json_array(), *sj = training_session_json(session, now, 0);
	const json_t *b;
	size_t j;

	json_array_foreach(roster, j, b)
		if (strcmp(portal_json_text(b, "status"), "confirmed") == 0) {
			const char *t = portal_json_text(b, "agency_type");
			json_object_set_new(mix, t, json_integer(portal_json_num(mix, t) + 1));
		}
	for (j = 0; training_agency_types[j]; j++)
		json_array_append_new(mixlist, json_pack("{s:s, s:s, s:I}", "type", training_agency_types[j],
		        "label", training_agency_type_label(training_agency_types[j]),
		        "confirmed", (json_int_t)portal_json_num(mix, training_agency_types[j])));
	json_object_set_new(sj, "mix", mixlist);
	json_object_set_new(sj, "mix_counts", mix);
	return sj;
}

/* ---- uptake report -------------------------------------------------------- */

const char *const training_report_counters[] = { "confirmed", "waitlisted", "attended", "partial", "no_show", NULL };

/* Row report[dim][key] (label kept for display), made with every counter 0
 * when it is not there yet. */
static json_t *training_report_row(json_t *report, const char *dim, const char *key, const char *label)
{
	json_t *group = json_object_get(report, dim), *row;
	size_t i;

	if (group == NULL) {
		group = json_object();
		json_object_set_new(report, dim, group);
	}
	if ((row = json_object_get(group, key)) == NULL) {
		row = json_pack("{s:s, s:s}", "key", key, "label", label);
		for (i = 0; training_report_counters[i]; i++)
			json_object_set_new(row, training_report_counters[i], json_integer(0));
		json_object_set_new(group, key, row);
	}
	return row;
}

void training_report_seed(json_t *report, const json_t *courses)
{
	const json_t *c;
	size_t i;

	for (i = 0; training_agency_types[i]; i++)
		training_report_row(report, "by_agency_type", training_agency_types[i],
		                    training_agency_type_label(training_agency_types[i]));
	json_array_foreach(courses, i, c)
		training_report_row(report, "by_course", portal_json_text(c, "id"), portal_json_text(c, "title"));
	if (json_object_get(report, "by_agency") == NULL)
		json_object_set_new(report, "by_agency", json_object());
}

/* Count booking `b` into report[dim][key] (label kept for display). */
static void training_report_count(json_t *report, const char *dim, const char *key,
                                  const char *label, const json_t *b)
{
	json_t *row = training_report_row(report, dim, key, label);
	const char *status = portal_json_text(b, "status"), *att = portal_json_text(b, "attendance");

#define BUMP(name) json_object_set_new(row, name, json_integer(json_integer_value(json_object_get(row, name)) + 1))
	if (strcmp(status, "confirmed") == 0)
		BUMP("confirmed");
	else if (strcmp(status, "waitlisted") == 0)
		BUMP("waitlisted");
	if (strcmp(status, "confirmed") == 0 && strcmp(att, "attended") == 0)
		BUMP("attended");
	if (strcmp(status, "confirmed") == 0 && strcmp(att, "partial") == 0)
		BUMP("partial");
	if (strcmp(status, "confirmed") == 0 && strcmp(att, "no_show") == 0)
		BUMP("no_show");
#undef BUMP
}

void training_report_add(json_t *report, const json_t *session, const json_t *bookings)
{
	const json_t *b;
	size_t i;

	json_array_foreach(bookings, i, b) {
		const char *type = portal_json_text(b, "agency_type");
		const char *st = portal_json_text(b, "status");

		if (strcmp(st, "confirmed") != 0 && strcmp(st, "waitlisted") != 0)
			continue;
		training_report_count(report, "by_course", portal_json_text(session, "course_id"),
		                      portal_json_text(session, "course_title"), b);
		training_report_count(report, "by_agency_type", type, training_agency_type_label(type), b);
		training_report_count(report, "by_agency", portal_json_text(b, "agency_id"),
		                      portal_json_text(b, "agency_name"), b);
	}
}

/* Order rows by label. */
static int training_row_cmp(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	return strcmp(portal_json_text(x, "label"), portal_json_text(y, "label"));
}

/* A sorted array of the rows of report[dim], each with bar widths. */
static json_t *training_report_list(const json_t *report, const char *dim)
{
	json_t *group = json_object_get(report, dim), *list = json_array(), *row;
	json_t **rows = NULL;
	json_int_t max = 0;
	const char *key;
	size_t n = 0, i;

	json_object_foreach(group, key, row) {
		json_int_t c = json_integer_value(json_object_get(row, "confirmed"));
		if (c > max)
			max = c;
		n++;
	}
	if (n == 0 || (rows = calloc(n, sizeof(*rows))) == NULL)
		return list;
	i = 0;
	json_object_foreach(group, key, row)
		rows[i++] = row;
	qsort(rows, n, sizeof(*rows), training_row_cmp);
	for (i = 0; i < n; i++) {
		json_t *copy = json_deep_copy(rows[i]);
		json_int_t c = json_integer_value(json_object_get(copy, "confirmed"));
		json_object_set_new(copy, "bar_confirmed", json_integer(max ? c * 100 / max : 0));
		json_array_append_new(list, copy);
	}
	free(rows);
	return list;
}

json_t *training_report_finish(const json_t *report)
{
	return json_pack("{s:o, s:o, s:o}",
	                 "courses", training_report_list(report, "by_course"),
	                 "agency_types", training_report_list(report, "by_agency_type"),
	                 "agencies", training_report_list(report, "by_agency"));
}


/* ---- feedback ----------------------------------------------------------------- */

/* The words of a 1-5 confidence or usefulness value. */
static const char *training_scale_words(long long v)
{
	static const char *const words[] = { "", "1: not at all", "2: a little", "3: somewhat", "4: quite", "5: very" };

	return v >= 1 && v <= 5 ? words[v] : "";
}

json_t *training_feedback_view(const json_t *f)
{
	json_t *rows = json_array();
	const json_t *o;
	size_t i;

	json_array_foreach(json_object_get(f, "outcomes"), i, o) {
		long long before = json_integer_value(json_array_get(json_object_get(f, "confidence_before"), i));
		long long after = json_integer_value(json_array_get(json_object_get(f, "confidence_after"), i));
		json_array_append_new(rows, json_pack("{s:O, s:I, s:I, s:s, s:s}", "outcome", o, "before", (json_int_t)before,
		        "after", (json_int_t)after, "before_words", training_scale_words(before),
		        "after_words", training_scale_words(after)));
	}
	return json_pack("{s:s, s:s, s:s, s:o, s:I, s:s, s:s}", "booking", portal_json_text(f, "booking"),
	                 "session", portal_json_text(f, "session"), "course_title", portal_json_text(f, "course_title"),
	                 "outcomes", rows, "usefulness", (json_int_t)portal_json_num(f, "usefulness"),
	                 "usefulness_words", training_scale_words(portal_json_num(f, "usefulness")),
	                 "text", portal_json_text(f, "text"));
}

/* sum / count to one decimal place, as a JSON number; null when count 0. */
static json_t *training_average(long long sum, long long count)
{
	if (count == 0)
		return json_null();
	return json_real((double)((sum * 10 + count / 2) / count) / 10.0);
}

/* Add feedback f's values to the rows of `by` (outcome text -> {before,
 * after, count}, in the order first seen). */
static void training_feedback_add(json_t *by, const json_t *f)
{
	const json_t *o;
	size_t i;

	json_array_foreach(json_object_get(f, "outcomes"), i, o) {
		json_t *row = json_object_get(by, json_string_value(o));
		if (row == NULL && json_is_string(o))
			json_object_set_new(by, json_string_value(o), row = json_pack("{s:I, s:I, s:I}", "before", (json_int_t)0,
			                    "after", (json_int_t)0, "count", (json_int_t)0));
		if (row == NULL)
			continue;
		json_object_set_new(row, "before", json_integer(portal_json_num(row, "before") +
		                    json_integer_value(json_array_get(json_object_get(f, "confidence_before"), i))));
		json_object_set_new(row, "after", json_integer(portal_json_num(row, "after") +
		                    json_integer_value(json_array_get(json_object_get(f, "confidence_after"), i))));
		json_object_set_new(row, "count", json_integer(portal_json_num(row, "count") + 1));
	}
}

/* qsort's order of two texts (const char **). */
static int training_text_order(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The non-empty texts of `feedback`, in the order of their words (not the
 * roster's, which would tell who wrote which): a new array. */
static json_t *training_feedback_texts(const json_t *feedback)
{
	size_t i, n = 0, count = json_array_size(feedback);
	const char **texts = calloc(count ? count : 1, sizeof(*texts));
	json_t *out = json_array();
	const json_t *f;

	if (texts == NULL)
		return out;
	json_array_foreach(feedback, i, f)
		if (portal_json_text(f, "text")[0])
			texts[n++] = portal_json_text(f, "text");
	qsort(texts, n, sizeof(*texts), training_text_order);
	for (i = 0; i < n; i++)
		json_array_append_new(out, json_string(texts[i]));
	free(texts);
	return out;
}

json_t *training_feedback_summary(const json_t *session, const json_t *feedback, time_t now)
{
	json_t *by = json_object(), *outcomes = json_array(), *texts = training_feedback_texts(feedback), *row;
	const json_t *f;
	const char *outcome;
	long long useful = 0;
	char when[80];
	size_t i;

	json_array_foreach(feedback, i, f) {
		training_feedback_add(by, f);
		useful += portal_json_num(f, "usefulness");
	}
	json_object_foreach(by, outcome, row) {
		long long n = portal_json_num(row, "count");
		json_array_append_new(outcomes, json_pack("{s:s, s:o, s:o, s:I}", "outcome", outcome,
		        "before_average", training_average(portal_json_num(row, "before"), n),
		        "after_average", training_average(portal_json_num(row, "after"), n), "answers", (json_int_t)n));
	}
	json_decref(by);
	portal_time_words((time_t)portal_json_num(session, "starts_at"), now, when, sizeof(when));
	return json_pack("{s:{s:s, s:s, s:s}, s:I, s:o, s:o, s:b, s:o, s:b}",
	                 "session", "id", portal_json_text(session, "id"), "course_title",
	                 portal_json_text(session, "course_title"), "starts_at_human", when,
	                 "count", (json_int_t)json_array_size(feedback), "usefulness_average",
	                 training_average(useful, (long long)json_array_size(feedback)), "outcomes", outcomes,
	                 "has_outcomes", json_array_size(outcomes) > 0, "texts", texts, "has_texts", json_array_size(texts) > 0);
}
