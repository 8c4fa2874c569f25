/* clock.c - RFC 3339 and London time (see clock.h). */
#include "clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void portal_clock_init(void)
{
	setenv("TZ", "Europe/London", 1);
	tzset();
}

/* Read exactly `n` digits at *p into *v, advancing *p.  Returns 0 or -1. */
static int digits(const char **p, int n, int *v)
{
	int i, x = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		x = x * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*v = x;
	return 0;
}

int portal_days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : d[m - 1];
}

/* Set *tm to the date and time given, the rest 0 (tm_isdst -1: unknown). */
static void clock_tm(struct tm *tm, int y, int mo, int d, int h, int mi, int sec)
{
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = y - 1900;
	tm->tm_mon = mo - 1;
	tm->tm_mday = d;
	tm->tm_hour = h;
	tm->tm_min = mi;
	tm->tm_sec = sec;
	tm->tm_isdst = -1;
}

int portal_london_local(int y, int mo, int d, int h, int mi, time_t *t)
{
	struct tm tm;

	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > portal_days_in_month(y, mo) ||
	    h < 0 || h > 23 || mi < 0 || mi > 59)
		return -1;
	clock_tm(&tm, y, mo, d, h, mi, 0);
	if ((*t = mktime(&tm)) == (time_t)-1)
		return -1;
	/* mktime moves 01:30 on the spring change to 02:30: that time does not
	 * exist in London */
	return tm.tm_hour != h || tm.tm_min != mi ? 1 : 0;
}

int portal_time_parse(const char *s, time_t *t)
{
	struct tm tm;
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	const char *p = s;
	time_t base;

	if (s == NULL || digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
	    digits(&p, 2, &d) || (*p != 'T' && *p != 't') || !*p++ || digits(&p, 2, &h) ||
	    *p++ != ':' || digits(&p, 2, &mi) || *p++ != ':' || digits(&p, 2, &sec))
		return -1;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om) || oh > 23 || om > 59)
			return -1;
	} else
		return -1;
	if (*p != '\0' || y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > portal_days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59)
		return -1;
	clock_tm(&tm, y, mo, d, h, mi, sec);
	base = timegm(&tm);
	*t = base - sign * (oh * 3600 + om * 60);
	return 0;
}

void portal_time_format(time_t t, char *out, size_t len)
{
	struct tm tm;
	long off;

	localtime_r(&t, &tm);
	off = tm.tm_gmtoff;
	snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
	         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	         off < 0 ? '-' : '+', labs(off) / 3600, (labs(off) % 3600) / 60);
}

void portal_time_format_utc(time_t t, char *out, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void portal_time_human(time_t t, const char *fmt, char *out, size_t len)
{
	struct tm tm;

	localtime_r(&t, &tm);
	/* fmt is checked at each call site (format attribute in clock.h) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(out, len, fmt, &tm) == 0 && len)
		out[0] = '\0';
#pragma GCC diagnostic pop
}

int portal_date_parse(const char *s, time_t *t)
{
	struct tm tm;
	int y, mo, d;
	const char *p = s;

	if (s == NULL || digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
	    digits(&p, 2, &d) || *p != '\0' || y < 1970 || y > 9999 || mo < 1 || mo > 12 ||
	    d < 1 || d > portal_days_in_month(y, mo))
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;  /* London decides */
	*t = mktime(&tm);
	return 0;
}

size_t portal_time_words(time_t t, time_t now, char *out, size_t len)
{
	static const char *const month[] = { "January", "February", "March", "April", "May", "June", "July",
	                                     "August", "September", "October", "November", "December" };
	struct tm tm, today;
	char clock[24], day[16] = "", year[16] = "";
	int h;

	if (len == 0)
		return 0;
	/* a time the C library cannot break down (years past int's range) has no words */
	if (localtime_r(&t, &tm) == NULL || localtime_r(&now, &today) == NULL || tm.tm_mon < 0 || tm.tm_mon > 11) {
		out[0] = '\0';
		return 0;
	}
	h = tm.tm_hour % 12 ? tm.tm_hour % 12 : 12;
	if (tm.tm_min == 0 && tm.tm_hour == 12)
		snprintf(clock, sizeof(clock), "midday");
	else if (tm.tm_min == 0 && tm.tm_hour == 0)
		snprintf(clock, sizeof(clock), "midnight");
	else if (tm.tm_min == 0)
		snprintf(clock, sizeof(clock), "%d%s", h, tm.tm_hour < 12 ? "am" : "pm");
	else
		snprintf(clock, sizeof(clock), "%d:%02d%s", h, tm.tm_min, tm.tm_hour < 12 ? "am" : "pm");
	if (strftime(day, sizeof(day), "%A", &tm) == 0)
		day[0] = '\0';
	if (tm.tm_year != today.tm_year)
		snprintf(year, sizeof(year), " %d", tm.tm_year + 1900);
	return (size_t)snprintf(out, len, "%s on %s %d %s%s", clock, day, tm.tm_mday, month[tm.tm_mon], year);
}
