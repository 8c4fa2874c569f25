/* clock.h - times: RFC 3339 in and out, Europe/London local time.
 *
 * The portal stores instants as Unix seconds (and, where the person gave
 * one, the RFC 3339 text with its offset).  Pages and calendars show London
 * time.  portal_main() sets TZ=Europe/London at start-up (read-only after),
 * so localtime_r() gives London time with its clock changes.
 */
#ifndef PORTAL_CLOCK_H
#define PORTAL_CLOCK_H

#include <stddef.h>
#include <time.h>

/* Parse "2026-03-29T09:30:00+01:00" / "...Z" (seconds required, fraction
 * allowed and dropped, offset required).  Returns 0 and sets *t, or -1. */
int portal_time_parse(const char *s, time_t *t);

/* Format `t` as RFC 3339 in London time with its offset
 * ("2026-03-29T09:30:00+01:00").  out needs 26 bytes. */
void portal_time_format(time_t t, char *out, size_t len);

/* Format `t` as UTC "2026-03-29T08:30:00Z".  out needs 21 bytes. */
void portal_time_format_utc(time_t t, char *out, size_t len);

/* Format `t` for people in London time with strftime `fmt`
 * (e.g. "%A %e %B %Y, %H:%M"). */
void portal_time_human(time_t t, const char *fmt, char *out, size_t len)
	__attribute__((format(strftime, 2, 0)));

/* `t` in words, London time, the one way every page says a time:
 * "1:08am on Saturday 5 December", "midday on ...", "midnight on ...",
 * with the year added when it is not the year of `now`
 * ("9am on Monday 4 January 2027").  Returns the length snprintf gives;
 * a time the C library cannot break down (a year past int's range) gives
 * "" and 0. */
size_t portal_time_words(time_t t, time_t now, char *out, size_t len);

/* Parse a calendar date "YYYY-MM-DD" as the start of that day in London.
 * Returns 0 and sets *t, or -1. */
int portal_date_parse(const char *s, time_t *t);

/* The days in month m (1..12) of year y, Gregorian calendar. */
int portal_days_in_month(int y, int m);

/* The instant of the London local time y-mo-d h:mi (year 1970-9999) into
 * *t.  Returns 0; 1 when that time does not exist in London (the hour the
 * clocks go forward skips; *t is then an hour later); -1 when it is not a
 * real date and time.  NOTE: reads the process's time zone, which
 * portal_clock_init sets to London; an hour that happens twice (autumn)
 * gives one of its two instants. */
int portal_london_local(int y, int mo, int d, int h, int mi, time_t *t);

/* Set the process's time zone to Europe/London (at start-up only). */
void portal_clock_init(void);

#endif
