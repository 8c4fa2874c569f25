/* training_format.c - the module's pure functions: id and seat parsing,
 * the iCalendar file, the roster and uptake CSV, the uptake counters.
 * Nothing here touches Redis or the request, so the unit tests and the
 * fuzz targets call it directly. */
#include "training.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRAINING_ID_MAX 1000000000000LL

const char *const training_agency_types[] = {
	"police", "local_authority", "health", "ngo", "other", NULL
};

static const char *const training_agency_type_labels[] = {
	"Police", "Local authority", "Health", "NGO", "Other"
};

/* Takes a type code; returns its label (static) or the code itself. */
const char *training_agency_type_label(const char *type)
{
	size_t i;

	for (i = 0; type && training_agency_types[i]; i++)
		if (strcmp(type, training_agency_types[i]) == 0)
			return training_agency_type_labels[i];
	return type ? type : "";
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
				snprintf(msg, msglen, "Seats can be set aside only for these agency types: police, local_authority, health, ngo, other");
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

/* ---- iCalendar ---------------------------------------------------------- */

/* Append one content line (`line`, already escaped) folded at 75 octets,
 * never inside a UTF-8 sequence, ending with CRLF. */
static void training_ics_line(portal_buf *out, const char *line)
{
	size_t len = strlen(line), pos = 0, width = 75;

	while (len - pos > width) {
		size_t cut = pos + width;
		/* step back to the start of a UTF-8 character */
		while (cut > pos && ((unsigned char)line[cut] & 0xC0) == 0x80)
			cut--;
		portal_buf_append(out, line + pos, cut - pos);
		portal_buf_puts(out, "\r\n ");
		pos = cut;
		width = 74;  /* the leading space counts */
	}
	portal_buf_append(out, line + pos, len - pos);
	portal_buf_puts(out, "\r\n");
}

/* Append "NAME:" + escaped text as one folded line. */
static void training_ics_text(portal_buf *out, const char *name, const char *text)
{
	portal_buf line;

	portal_buf_init(&line, 64 * 1024);
	portal_buf_puts(&line, name);
	portal_buf_putc(&line, ':');
	portal_ical_text(&line, text);
	if (line.overflow)
		out->overflow = 1;
	else
		training_ics_line(out, line.data);
	portal_buf_free(&line);
}

/* Append "NAME;TZID=Europe/London:YYYYMMDDTHHMMSS" for t in London time. */
static void training_ics_local(portal_buf *out, const char *name, time_t t)
{
	struct tm tm;
	char stamp[32], line[96];

	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	snprintf(line, sizeof(line), "%s;TZID=Europe/London:%s", name, stamp);
	training_ics_line(out, line);
}

int training_ics_build(portal_buf *out, const training_ics_event *ev)
{
	struct tm tm;
	char stamp[32], line[128];

	training_ics_line(out, "BEGIN:VCALENDAR");
	training_ics_line(out, "VERSION:2.0");
	training_ics_line(out, "PRODID:-//London Anti-Slavery Partner Portal//Training//EN");
	training_ics_line(out, "CALSCALE:GREGORIAN");
	training_ics_line(out, "METHOD:PUBLISH");
	/* Europe/London since 1996: BST from the last Sunday of March 01:00
	 * UTC to the last Sunday of October 01:00 UTC */
	training_ics_line(out, "BEGIN:VTIMEZONE");
	training_ics_line(out, "TZID:Europe/London");
	training_ics_line(out, "BEGIN:DAYLIGHT");
	training_ics_line(out, "TZOFFSETFROM:+0000");
	training_ics_line(out, "TZOFFSETTO:+0100");
	training_ics_line(out, "TZNAME:BST");
	training_ics_line(out, "DTSTART:19700329T010000");
	training_ics_line(out, "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU");
	training_ics_line(out, "END:DAYLIGHT");
	training_ics_line(out, "BEGIN:STANDARD");
	training_ics_line(out, "TZOFFSETFROM:+0100");
	training_ics_line(out, "TZOFFSETTO:+0000");
	training_ics_line(out, "TZNAME:GMT");
	training_ics_line(out, "DTSTART:19701025T020000");
	training_ics_line(out, "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU");
	training_ics_line(out, "END:STANDARD");
	training_ics_line(out, "END:VTIMEZONE");
	training_ics_line(out, "BEGIN:VEVENT");
	training_ics_text(out, "UID", ev->uid);
	gmtime_r(&ev->stamp, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(line, sizeof(line), "DTSTAMP:%s", stamp);
	training_ics_line(out, line);
	training_ics_local(out, "DTSTART", ev->starts);
	training_ics_local(out, "DTEND", ev->ends);
	snprintf(line, sizeof(line), "SEQUENCE:%lld", ev->sequence);
	training_ics_line(out, line);
	training_ics_line(out, ev->cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
	training_ics_text(out, "SUMMARY", ev->summary);
	if (ev->location && ev->location[0])
		training_ics_text(out, "LOCATION", ev->location);
	if (ev->description && ev->description[0])
		training_ics_text(out, "DESCRIPTION", ev->description);
	if (ev->url && ev->url[0] && strpbrk(ev->url, "\r\n\"") == NULL) {
		portal_buf l;
		portal_buf_init(&l, 4096);
		portal_buf_printf(&l, "URL:%s", ev->url);
		if (!l.overflow)
			training_ics_line(out, l.data);
		portal_buf_free(&l);
	}
	training_ics_line(out, "TRANSP:OPAQUE");
	training_ics_line(out, "END:VEVENT");
	training_ics_line(out, "END:VCALENDAR");
	return out->overflow ? -1 : 0;
}

/* ---- CSV -------------------------------------------------------------- */

/* Append one CSV row of `n` string fields, CRLF-terminated. */
static void training_csv_row(portal_buf *out, const char *const *fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			portal_buf_putc(out, ',');
		portal_csv_field(out, fields[i] ? fields[i] : "");
	}
	portal_buf_puts(out, "\r\n");
}

/* The string member `key` of obj, or "". */
static const char *training_str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}

int training_roster_csv(portal_buf *out, const json_t *roster)
{
	static const char *const header[] = { "name", "agency", "agency_type", "status", "waitlist_position", "attendance" };
	const json_t *b;
	size_t i;

	training_csv_row(out, header, 6);
	json_array_foreach(roster, i, b) {
		char pos[24] = "";
		json_int_t p = json_integer_value(json_object_get(b, "waitlist_position"));
		const char *row[6];

		if (p > 0)
			snprintf(pos, sizeof(pos), "%lld", (long long)p);
		row[0] = training_str(b, "name");
		row[1] = training_str(b, "agency_name");
		row[2] = training_str(b, "agency_type");
		row[3] = training_str(b, "status");
		row[4] = pos;
		row[5] = training_str(b, "attendance");
		training_csv_row(out, row, 6);
	}
	return out->overflow ? -1 : 0;
}

/* ---- uptake report -------------------------------------------------------- */

static const char *const training_counters[] = { "confirmed", "waitlisted", "attended", "partial", "no_show", NULL };

/* Count booking `b` into report[dim][key] (label kept for display). */
static void training_report_count(json_t *report, const char *dim, const char *key,
                                  const char *label, const json_t *b)
{
	json_t *group = json_object_get(report, dim), *row;
	const char *status = training_str(b, "status"), *att = training_str(b, "attendance");
	size_t i;

	if (group == NULL) {
		group = json_object();
		json_object_set_new(report, dim, group);
	}
	if ((row = json_object_get(group, key)) == NULL) {
		row = json_pack("{s:s, s:s}", "key", key, "label", label);
		for (i = 0; training_counters[i]; i++)
			json_object_set_new(row, training_counters[i], json_integer(0));
		json_object_set_new(group, key, row);
	}
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
		const char *type = training_str(b, "agency_type");
		const char *st = training_str(b, "status");

		if (strcmp(st, "confirmed") != 0 && strcmp(st, "waitlisted") != 0)
			continue;
		training_report_count(report, "by_course", training_str(session, "course_id"),
		                      training_str(session, "course_title"), b);
		training_report_count(report, "by_agency_type", type, training_agency_type_label(type), b);
		training_report_count(report, "by_agency", training_str(b, "agency_id"),
		                      training_str(b, "agency_name"), b);
	}
}

/* Order rows by label. */
static int training_row_cmp(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	return strcmp(training_str(x, "label"), training_str(y, "label"));
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

int training_uptake_csv(portal_buf *out, const json_t *finished)
{
	static const char *const header[] = { "dimension", "key", "label", "confirmed", "waitlisted", "attended", "partial", "no_show" };
	static const char *const dims[][2] = { { "courses", "course" }, { "agency_types", "agency_type" }, { "agencies", "agency" } };
	size_t d, i, k;

	training_csv_row(out, header, 8);
	for (d = 0; d < 3; d++) {
		const json_t *row;
		json_array_foreach(json_object_get(finished, dims[d][0]), i, row) {
			char nums[5][24];
			const char *f[8];

			f[0] = dims[d][1];
			f[1] = training_str(row, "key");
			f[2] = training_str(row, "label");
			for (k = 0; k < 5; k++) {
				snprintf(nums[k], sizeof(nums[k]), "%lld",
				         (long long)json_integer_value(json_object_get(row, training_counters[k])));
				f[3 + k] = nums[k];
			}
			training_csv_row(out, f, 8);
		}
	}
	return out->overflow ? -1 : 0;
}
