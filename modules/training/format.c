/* format.c - the training module's files: the iCalendar file of a booking
 * (RFC 5545) and the roster and uptake CSV (RFC 4180).  Pure functions. */
#include "training.h"

#include <stdio.h>
#include <string.h>

#include "jsonget.h"

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
		row[0] = portal_json_text(b, "name");
		row[1] = portal_json_text(b, "agency_name");
		row[2] = portal_json_text(b, "agency_type");
		row[3] = portal_json_text(b, "status");
		row[4] = pos;
		row[5] = portal_json_text(b, "attendance");
		training_csv_row(out, row, 6);
	}
	return out->overflow ? -1 : 0;
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
			f[1] = portal_json_text(row, "key");
			f[2] = portal_json_text(row, "label");
			for (k = 0; k < 5; k++) {
				snprintf(nums[k], sizeof(nums[k]), "%lld",
				         (long long)json_integer_value(json_object_get(row, training_report_counters[k])));
				f[3 + k] = nums[k];
			}
			training_csv_row(out, f, 8);
		}
	}
	return out->overflow ? -1 : 0;
}

