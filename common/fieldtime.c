/* fieldtime.c - the checkers of dates and times (see fieldcheck.h and
 * validate.h): DATE, TIME and LONDON_TIME, and a page form's parts of a
 * London time (portal_form_london_time).  Only real calendar dates; a
 * London time that the clock change skips is refused, not moved.
 */
#include "fieldcheck.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"

#define PART_NAME_MAX 48 /* bytes of a LONDON_TIME field name with parts */
#define INSTANT_TEXT_MAX 64 /* bytes of an RFC 3339 time, its fraction included */

/* Read exactly n ASCII digits at s as a number; -1 when one is not a digit. */
static int read_digits(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!portal_ascii_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Return 1 when s[0..10) is "YYYY-MM-DD", a real date from year 1, else 0. */
static int date_at(const char *s)
{
	int y = read_digits(s, 4), m = read_digits(s + 5, 2),
	    d = read_digits(s + 8, 2);

	if (s[4] != '-' || s[7] != '-' || y < 1 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= portal_days_in_month(y, m);
}

/*
 * Return 1 when s[0..len) is an RFC 3339 date-time with seconds and an
 * offset: "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" ('T' and 'Z'
 * may be lower case); 0 otherwise.  A leap second (:60) is refused.
 */
static int rfc3339_valid(const char *s, size_t len)
{
	size_t i;
	int h, mi, sec;

	if (len < 20 || !date_at(s) || (s[10] != 'T' && s[10] != 't'))
		return 0;
	h = read_digits(s + 11, 2);
	mi = read_digits(s + 14, 2);
	sec = read_digits(s + 17, 2);
	if (s[13] != ':' || s[16] != ':' || h < 0 || h > 23 || mi < 0 ||
	    mi > 59 || sec < 0 || sec > 59)
		return 0;
	i = 19;
	if (s[i] == '.') {
		for (i++; i < len && portal_ascii_digit(s[i]); i++)
			;
		if (i == 20)
			return 0; /* a '.' needs a digit */
	}
	if (i < len && (s[i] == 'Z' || s[i] == 'z'))
		return i + 1 == len;
	if (len - i != 6 || (s[i] != '+' && s[i] != '-') || s[i + 3] != ':')
		return 0;
	h = read_digits(s + i + 1, 2);
	mi = read_digits(s + i + 4, 2);
	return h >= 0 && h <= 23 && mi >= 0 && mi <= 59;
}

/* Return 1 when s[0..len) is an RFC 3339 time (rfc3339_valid) of an instant
 * the portal keeps (portal_time_parse: from 1970), else 0: what a TIME or
 * LONDON_TIME field answers, the handlers can read. */
static int instant_valid(const char *s, size_t len)
{
	char text[INSTANT_TEXT_MAX + 1];
	time_t t;

	if (len > INSTANT_TEXT_MAX || !rfc3339_valid(s, len))
		return 0;
	memcpy(text, s, len);
	text[len] = '\0';
	return portal_time_parse(text, &t) == 0;
}

/* Return 1 when s[0..len) is "YYYY-MM-DD", a real date, else 0. */
static int date_valid(const char *s, size_t len)
{
	return len == 10 && date_at(s);
}

/* v as text that `valid` takes, kept as given (trimmed); blank is empty;
 * else "Enter a <label><hint>", or with `clause` (LONDON_TIME's label)
 * "Enter the date and time <label><hint>". */
static enum portal_check check_stamp(const portal_field *f, const json_t *v, int (*valid)(const char *, size_t),
                                     int clause, const char *hint, json_t **result, portal_buf *msg)
{
	const char *s;
	size_t len;

	if (portal_trimmed_string(v, &s, &len)) {
		if (len == 0)
			return PORTAL_CHECK_EMPTY;
		if (valid(s, len))
			return (*result = json_stringn(s, len)) ? PORTAL_CHECK_OK : PORTAL_CHECK_NOMEM;
	}
	if (clause) {
		portal_buf_puts(msg, "Enter the date and time ");
		portal_put_label(msg, portal_field_label(f), 1);
	} else {
		portal_buf_puts(msg, "Enter ");
		portal_put_a_label(msg, portal_field_label(f));
	}
	portal_buf_puts(msg, hint);
	return PORTAL_CHECK_BAD;
}

/* TIME: RFC 3339 date-time with offset, kept as given (trimmed). */
enum portal_check portal_check_time(const portal_field *f, const json_t *v, json_t **result, portal_buf *msg)
{
	return check_stamp(f, v, instant_valid, 0, " as a real date and time with its time zone, like 2026-03-29T09:30:00+01:00",
	                   result, msg);
}

/* DATE: "YYYY-MM-DD", a real calendar date. */
enum portal_check portal_check_date(const portal_field *f, const json_t *v, json_t **result, portal_buf *msg)
{
	return check_stamp(f, v, date_valid, 0, " as a real date, like 2026-03-29", result, msg);
}

/* ---- LONDON_TIME: a page's date and time parts, typed as London time ---- */

/* The outcome of reading a page's date and time parts. */
enum london_parts {
	PARTS_OK,        /* *t set */
	PARTS_ABSENT,    /* no part is in the input: the API's text is read */
	PARTS_BLANK,     /* every part blank, null or absent */
	PARTS_NO_DATE,   /* day, month or year blank */
	PARTS_BAD_DATE,  /* not a real date (31 April, month 13, year 27) */
	PARTS_NO_TIME,   /* the time blank */
	PARTS_BAD_TIME,  /* not a time on the 24-hour clock */
	PARTS_SKIPPED    /* the hour the clocks go forward skips */
};

/* The part `key` of input with blanks around it skipped, copied into out (at
 * most outlen - 1 bytes); *present set when the key is there at all.
 * Returns its length, 0 when absent, null or blank, or -1 when it is not a
 * string or does not fit. */
static int part_text(const json_t *input, const char *key, char *out, size_t outlen, int *present)
{
	const json_t *v = json_object_get(input, key);
	const char *s;
	size_t len;

	out[0] = '\0';
	if (v != NULL)
		*present = 1;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!portal_trimmed_string(v, &s, &len) || len >= outlen)
		return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	return (int)len;
}

/* Parse 1..maxdigits decimal digits s (nothing else) into *out within
 * [min, max].  Returns 0 or -1. */
static int part_number(const char *s, size_t maxdigits, int min, int max, int *out)
{
	size_t len = strlen(s);
	int x;

	if (len == 0 || len > maxdigits || (x = read_digits(s, len)) < min || x > max)
		return -1;
	*out = x;
	return 0;
}

/* Parse a time "9:30", "09:30" or "09.30" into hour and minute.  Returns 0
 * or -1. */
static int part_clock(const char *s, int *hour, int *minute)
{
	const char *sep = strpbrk(s, ":.");
	size_t hl = sep ? (size_t)(sep - s) : 0;

	if (sep == NULL || hl == 0 || hl > 2 || strlen(sep + 1) != 2)
		return -1;
	*hour = read_digits(s, hl);
	*minute = read_digits(sep + 1, 2);
	return *hour >= 0 && *hour <= 23 && *minute >= 0 && *minute <= 59 ? 0 : -1;
}

/* Read NAME_day, NAME_month, NAME_year (2000-2100) and NAME_time of input as
 * a London local time into *t (clock.c: the process's time zone, London). */
static enum london_parts london_parts(const json_t *input, const char *name, time_t *t)
{
	static const char *const suffix[] = { "day", "month", "year", "time" };
	char parts[4][16], key[PART_NAME_MAX + 8];
	int lens[4], day, month, year, hour, minute, blank = 1, present = 0, i;

	if (strlen(name) > PART_NAME_MAX)
		return PARTS_ABSENT;
	for (i = 0; i < 4; i++) {
		snprintf(key, sizeof(key), "%s_%s", name, suffix[i]);
		if ((lens[i] = part_text(input, key, parts[i], sizeof(parts[i]), &present)) != 0)
			blank = 0;
	}
	if (!present || blank)
		return present ? PARTS_BLANK : PARTS_ABSENT;
	if (lens[0] == 0 || lens[1] == 0 || lens[2] == 0)
		return PARTS_NO_DATE;
	if (lens[0] < 0 || lens[1] < 0 || lens[2] < 0 ||
	    part_number(parts[0], 2, 1, 31, &day) < 0 ||
	    part_number(parts[1], 2, 1, 12, &month) < 0 ||
	    part_number(parts[2], 4, 2000, 2100, &year) < 0 || day > portal_days_in_month(year, month))
		return PARTS_BAD_DATE;
	if (lens[3] == 0)
		return PARTS_NO_TIME;
	if (lens[3] < 0 || part_clock(parts[3], &hour, &minute) < 0)
		return PARTS_BAD_TIME;
	switch (portal_london_local(year, month, day, hour, minute, t)) {
	case 0:  return PARTS_OK;
	case 1:  return PARTS_SKIPPED;
	default: return PARTS_BAD_DATE;
	}
}

/* Write what to fix for `rc` (PARTS_NO_DATE and after) into msg. */
static void put_parts_message(portal_buf *msg, const portal_field *f, enum london_parts rc)
{
	static const char *const text[][2] = {
		[PARTS_NO_DATE] = { "Enter the date ", " as a day, month and year, like 29 3 2026" },
		[PARTS_BAD_DATE] = { "Enter the date ", " as a real date, like 29 3 2026" },
		[PARTS_NO_TIME] = { "Enter the time ", ", like 09:30" },
		[PARTS_BAD_TIME] = { "Enter the time ", " on the 24-hour clock, like 09:30 or 14:00" },
		[PARTS_SKIPPED] = { "The time ", " does not exist in London that day, because the clocks "
		                    "go forward: choose another time" },
	};

	portal_buf_puts(msg, text[rc][0]);
	portal_put_label(msg, portal_field_label(f), 1);
	portal_buf_puts(msg, text[rc][1]);
}

enum portal_check portal_check_london_time(const portal_field *f, const json_t *input,
                                           json_t **result, portal_buf *msg)
{
	const json_t *v = json_object_get(input, f->name);
	enum london_parts rc;
	char rfc[40];
	time_t t;

	if ((rc = london_parts(input, f->name, &t)) == PARTS_BLANK)
		return PORTAL_CHECK_EMPTY;
	if (rc == PARTS_OK) {
		portal_time_format(t, rfc, sizeof(rfc));
		return (*result = json_string(rfc)) ? PORTAL_CHECK_OK : PORTAL_CHECK_NOMEM;
	}
	if (rc != PARTS_ABSENT) {
		put_parts_message(msg, f, rc);
		return PORTAL_CHECK_BAD;
	}
	if (v == NULL || json_is_null(v))
		return PORTAL_CHECK_EMPTY;
	return check_stamp(f, v, instant_valid, 1, " with its time zone, like 2026-03-29T09:30:00+01:00", result, msg);
}

int portal_form_london_time(json_t *form, const char *name, time_t t)
{
	static const char *const suffix[] = { "day", "month", "year", "time" };
	char key[PART_NAME_MAX + 8], val[4][16];
	struct tm tm;
	int i, rc = 0;

	if (strlen(name) > PART_NAME_MAX || localtime_r(&t, &tm) == NULL)
		return -1;
	snprintf(val[0], sizeof(val[0]), "%d", tm.tm_mday);
	snprintf(val[1], sizeof(val[1]), "%d", tm.tm_mon + 1);
	snprintf(val[2], sizeof(val[2]), "%d", tm.tm_year + 1900);
	snprintf(val[3], sizeof(val[3]), "%02d:%02d", tm.tm_hour, tm.tm_min);
	for (i = 0; i < 4; i++) {
		snprintf(key, sizeof(key), "%s_%s", name, suffix[i]);
		if (json_object_set_new(form, key, json_string(val[i])) < 0)
			rc = -1;
	}
	return rc;
}
