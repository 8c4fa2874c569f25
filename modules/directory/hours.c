/* hours.c - opening hours: parsed from text into half-hour slots, asked
 * "open at", and written back as canonical text. */
#include "directory.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- opening hours -------------------------------------------------------- */

/* Day index of "mon".."sun" at s (3 letters), or -1. */
static int directory_day_index(const char *s)
{
	int i;

	for (i = 0; i < 7; i++)
		if (strncmp(s, directory_days[i].code, 3) == 0)
			return i;
	return -1;
}

/* Parse "HH:MM" (MM 00 or 30, up to 24:00) into a slot number 0..48. */
static int directory_time_slot(const char *s, size_t len)
{
	int h, m;

	if (len != 5 || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    s[2] != ':' || !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if ((m != 0 && m != 30) || h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 2 + m / 30;
}

int directory_hours_parse(const char *text, directory_hours *h, char *err, size_t errlen)
{
	const char *p = text, *end;
	int item = 0;

	memset(h, 0, sizeof(*h));
	if (text == NULL)
		return 0;
	while (*p) {
		unsigned days = 0;
		int open, close, d, s;
		const char *sp, *dash;

		while (*p == ' ' || *p == ';')
			p++;
		if (*p == '\0')
			break;
		if (++item > 14)
			goto too_many;
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		/* days */
		for (;;) {
			int d1, d2;
			if ((size_t)(end - p) < 3 || (d1 = directory_day_index(p)) < 0)
				goto bad_days;
			p += 3;
			d2 = d1;
			if (*p == '-') {
				if ((size_t)(end - p) < 4 || (d2 = directory_day_index(p + 1)) < 0 || d2 < d1)
					goto bad_days;
				p += 4;
			}
			for (d = d1; d <= d2; d++)
				days |= 1u << d;
			if (*p != ',')
				break;
			p++;
		}
		if (*p != ' ')
			goto bad_days;
		while (*p == ' ')
			p++;
		sp = p;
		while (sp < end && *sp != ' ')
			sp++;
		dash = memchr(p, '-', (size_t)(sp - p));
		if (dash == NULL || (open = directory_time_slot(p, (size_t)(dash - p))) < 0 ||
		    (close = directory_time_slot(dash + 1, (size_t)(sp - dash - 1))) < 0 ||
		    open >= close)
			goto bad_times;
		while (sp < end && *sp == ' ')
			sp++;
		if (sp != end)
			goto bad_times;
		for (d = 0; d < 7; d++)
			if (days & (1u << d))
				for (s = open; s < close; s++)
					h->week[d] |= 1ULL << s;
		p = end;
	}
	return 0;
bad_days:
	snprintf(err, errlen, "Start each opening time with days such as mon-fri or sat,sun, then a space (item %d)", item);
	return -1;
bad_times:
	snprintf(err, errlen, "Give each opening time as HH:MM-HH:MM on the hour or half hour, closing after opening, such as 09:00-17:30 (item %d)", item);
	return -1;
too_many:
	snprintf(err, errlen, "Give at most 14 opening times, separated by semicolons");
	return -1;
}

int directory_hours_open_at(const directory_hours *h, int always_open, int dow, int minute)
{
	if (always_open)
		return 1;
	if (dow < 0 || dow > 6 || minute < 0 || minute >= 24 * 60)
		return 0;
	return (h->week[dow] >> (minute / 30)) & 1;
}

/* Render the canonical text of parsed opening hours: one item per distinct
 * (open, close) run shared by the same days, e.g. "mon-fri 09:00-17:00;
 * sat 10:00-13:00".  Items are ordered by first day then time. */
/* A half-hour slot as a person reads it: "9am", "5:30pm", "midnight". */
static void directory_slot_words(int slot, portal_buf *out)
{
	int hour = (slot / 2) % 24, min = (slot % 2) * 30;

	if (hour == 0 && min == 0)
		portal_buf_puts(out, "midnight");
	else if (min)
		portal_buf_printf(out, "%d:%02d%s", hour % 12 ? hour % 12 : 12, min, hour < 12 ? "am" : "pm");
	else
		portal_buf_printf(out, "%d%s", hour % 12 ? hour % 12 : 12, hour < 12 ? "am" : "pm");
}

void directory_hours_text(const directory_hours *h, portal_buf *out, int words)
{
	/* collect runs per day */
	struct run { int open, close; unsigned days; } runs[7 * 24];
	size_t nruns = 0, i, k;
	int d, s, first = 1;

	for (d = 0; d < 7; d++) {
		s = 0;
		while (s < DIRECTORY_HOUR_SLOTS) {
			int start;
			if (!((h->week[d] >> s) & 1)) {
				s++;
				continue;
			}
			start = s;
			while (s < DIRECTORY_HOUR_SLOTS && ((h->week[d] >> s) & 1))
				s++;
			for (i = 0; i < nruns; i++)
				if (runs[i].open == start && runs[i].close == s)
					break;
			if (i == nruns && nruns < sizeof(runs) / sizeof(runs[0])) {
				runs[nruns].open = start;
				runs[nruns].close = s;
				runs[nruns].days = 0;
				nruns++;
			}
			if (i < nruns)
				runs[i].days |= 1u << d;
		}
	}
	for (i = 0; i < nruns; i++) {
		int dd = 0;
		if (!first)
			portal_buf_puts(out, "; ");
		first = 0;
		k = 0;
		while (dd < 7) {
			int e;
			if (!(runs[i].days & (1u << dd))) {
				dd++;
				continue;
			}
			e = dd;
			while (e + 1 < 7 && (runs[i].days & (1u << (e + 1))))
				e++;
			if (k++)
				portal_buf_puts(out, words ? ", " : ",");
			portal_buf_puts(out, words ? directory_days[dd].name : directory_days[dd].code);
			if (e >= dd + 2)
				portal_buf_printf(out, "%s%s", words ? " to " : "-", words ? directory_days[e].name : directory_days[e].code);
			else if (e == dd + 1)
				portal_buf_printf(out, "%s%s", words ? ", " : ",", words ? directory_days[e].name : directory_days[e].code);
			dd = e + 1;
		}
		if (words) {
			portal_buf_puts(out, ", ");
			directory_slot_words(runs[i].open, out);
			portal_buf_puts(out, " to ");
			directory_slot_words(runs[i].close, out);
			continue;
		}
		portal_buf_printf(out, " %02d:%02d-%02d:%02d", runs[i].open / 2, (runs[i].open % 2) * 30,
		                  runs[i].close / 2, (runs[i].close % 2) * 30);
	}
}

void directory_hours_words(const char *opening, portal_buf *out)
{
	directory_hours h;
	char err[200];

	if (opening == NULL || *opening == '\0')
		portal_buf_puts(out, "Not given");
	else if (directory_hours_parse(opening, &h, err, sizeof(err)) < 0)
		portal_buf_puts(out, opening);
	else
		directory_hours_text(&h, out, 1);
}
