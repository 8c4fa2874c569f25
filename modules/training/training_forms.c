/* training_forms.c - page forms for courses and sessions (see
 * training_forms.h).
 *
 * A page asks for each time as a GOV.UK date input (day, month, year) and
 * a time on the 24-hour clock, in London time; the API takes RFC 3339 with
 * an offset.  The parts are parsed strictly here and turned into the
 * API's text, so the handlers validate one input with one table.
 */
#include "training_forms.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "training.h"

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

/* The member `key` of a stored hash as text ("" when absent). */
static const char *training_form_text(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}

/* The member `key` of a stored hash as a whole number (0 when absent or
 * not one). */
static long long training_form_num(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	long long x = 0;
	const char *s;

	if (json_is_integer(v))
		return json_integer_value(v);
	if ((s = json_string_value(v)) == NULL)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || x > 100000000000000LL)
			return 0;
		x = x * 10 + (*s - '0');
	}
	return x;
}

json_t *training_session_form_values(const json_t *s)
{
	json_t *out = json_object();
	long long starts = training_form_num(s, "starts_at"), closes = training_form_num(s, "booking_closes_at");
	char key[40], val[24];
	size_t i;

	training_form_set_time(out, TRAINING_FORM_STARTS, (time_t)starts);
	training_form_set_time(out, TRAINING_FORM_ENDS, (time_t)training_form_num(s, "ends_at"));
	if (closes && closes != starts)
		training_form_set_time(out, TRAINING_FORM_CLOSES, (time_t)closes);
	json_object_set_new(out, "venue", json_string(training_form_text(s, "venue")));
	if (training_form_num(s, "online"))
		json_object_set_new(out, "online", json_true());
	json_object_set_new(out, "join_link", json_string(training_form_text(s, "join_link")));
	snprintf(val, sizeof(val), "%lld", training_form_num(s, "capacity"));
	json_object_set_new(out, "capacity", json_string(val));
	for (i = 0; training_agency_types[i]; i++) {
		snprintf(key, sizeof(key), "seats:%s", training_agency_types[i]);
		snprintf(val, sizeof(val), "%lld", training_form_num(s, key));
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
		json_object_set_new(out, keys[i], json_string(training_form_text(c, keys[i])));
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
