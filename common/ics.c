/* ics.c - the portal's calendar file (see ics.h).  Pure: no I/O. */
#include "ics.h"

#include <stdio.h>
#include <string.h>

/* Append one content line (`line`, already escaped) folded at 75 octets,
 * never inside a UTF-8 sequence, ending with CRLF. */
static void ics_line(portal_buf *out, const char *line)
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
static void ics_text(portal_buf *out, const char *name, const char *text)
{
	portal_buf line;

	portal_buf_init(&line, 64 * 1024);
	portal_buf_puts(&line, name);
	portal_buf_putc(&line, ':');
	portal_ical_text(&line, text);
	if (line.overflow)
		out->overflow = 1;
	else
		ics_line(out, line.data);
	portal_buf_free(&line);
}

/* Append "NAME<params>:<value>" unescaped (a URI or an address) as one
 * folded line, when value is set and holds no CR, LF, '"' or control. */
static void ics_uri(portal_buf *out, const char *name, const char *prefix, const char *value)
{
	portal_buf line;
	const char *p;

	if (value == NULL || value[0] == '\0')
		return;
	for (p = value; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == '"' || *p == 0x7f)
			return;
	portal_buf_init(&line, 4096);
	portal_buf_printf(&line, "%s:%s%s", name, prefix, value);
	if (!line.overflow)
		ics_line(out, line.data);
	portal_buf_free(&line);
}

/* Append "NAME;TZID=Europe/London:YYYYMMDDTHHMMSS" for t in London time. */
static void ics_local(portal_buf *out, const char *name, time_t t)
{
	struct tm tm;
	char stamp[32], line[96];

	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	snprintf(line, sizeof(line), "%s;TZID=Europe/London:%s", name, stamp);
	ics_line(out, line);
}

/* Europe/London since 1996: BST from the last Sunday of March 01:00 UTC to
 * the last Sunday of October 01:00 UTC. */
static void ics_london(portal_buf *out)
{
	static const char *const lines[] = {
		"BEGIN:VTIMEZONE", "TZID:Europe/London",
		"BEGIN:DAYLIGHT", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "TZNAME:BST",
		"DTSTART:19700329T010000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
		"BEGIN:STANDARD", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000", "TZNAME:GMT",
		"DTSTART:19701025T020000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
		"END:VTIMEZONE",
	};
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		ics_line(out, lines[i]);
}

int portal_ics_build(portal_buf *out, const portal_ics_event *ev)
{
	static const char *const methods[] = { "METHOD:PUBLISH", "METHOD:REQUEST", "METHOD:CANCEL" };
	int cancel = ev->method == PORTAL_ICS_CANCEL;
	struct tm tm;
	char stamp[32], line[128];

	ics_line(out, "BEGIN:VCALENDAR");
	ics_line(out, "VERSION:2.0");
	ics_line(out, "PRODID:-//London Anti-Slavery Partner Portal//Training//EN");
	ics_line(out, "CALSCALE:GREGORIAN");
	ics_line(out, methods[ev->method <= PORTAL_ICS_CANCEL ? ev->method : PORTAL_ICS_PUBLISH]);
	ics_london(out);
	ics_line(out, "BEGIN:VEVENT");
	ics_text(out, "UID", ev->uid);
	gmtime_r(&ev->stamp, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(line, sizeof(line), "DTSTAMP:%s", stamp);
	ics_line(out, line);
	ics_local(out, "DTSTART", ev->starts);
	ics_local(out, "DTEND", ev->ends);
	snprintf(line, sizeof(line), "SEQUENCE:%lld", ev->sequence);
	ics_line(out, line);
	ics_line(out, ev->cancelled || cancel ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
	ics_text(out, "SUMMARY", ev->summary);
	if (ev->location && ev->location[0])
		ics_text(out, "LOCATION", ev->location);
	if (ev->description && ev->description[0])
		ics_text(out, "DESCRIPTION", ev->description);
	ics_uri(out, "URL", "", ev->url);
	ics_uri(out, "ORGANIZER", "mailto:", ev->organizer);
	ics_uri(out, "ATTENDEE;ROLE=REQ-PARTICIPANT", "mailto:", ev->attendee);
	ics_line(out, "TRANSP:OPAQUE");
	ics_line(out, "END:VEVENT");
	ics_line(out, "END:VCALENDAR");
	return out->overflow ? -1 : 0;
}
