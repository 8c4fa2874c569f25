/* quarter.c - the monitoring figures' quarters: "2026-Q4" read and
 * checked, an instant's quarter in London time, the quarters before one,
 * and a quarter in words ("October to December 2026").  Pure. */
#include "monitoring.h"

#include <stdio.h>
#include <string.h>

int monitoring_quarter_parse(const char *s, int *year, int *q)
{
	if (s == NULL || strlen(s) != 7 || s[4] != '-' || s[5] != 'Q' || s[6] < '1' || s[6] > '4')
		return -1;
	for (int i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	*year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*q = s[6] - '0';
	return *year >= 2000 ? 0 : -1;
}

void monitoring_quarter_name(int year, int q, char *out, size_t len)
{
	snprintf(out, len, "%04d-Q%d", year % 10000, q);
}

const char *monitoring_quarter_at(time_t t, char *out, size_t len)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL)
		tm.tm_year = 100, tm.tm_mon = 0;  /* no such time: the year 2000 */
	monitoring_quarter_name(tm.tm_year + 1900, tm.tm_mon / 3 + 1, out, len);
	return out;
}

int monitoring_quarter_back(const char *quarter, int n, char *out, size_t len)
{
	int year, q, index;

	if (monitoring_quarter_parse(quarter, &year, &q) < 0)
		return -1;
	index = year * 4 + (q - 1) - n;
	monitoring_quarter_name(index / 4, index % 4 + 1, out, len);
	return 0;
}

const char *monitoring_quarter_words(const char *quarter, char *out, size_t len)
{
	static const char *const months[] = { "January to March", "April to June", "July to September",
	                                      "October to December" };
	int year, q;

	if (monitoring_quarter_parse(quarter, &year, &q) < 0)
		snprintf(out, len, "%s", "");
	else
		snprintf(out, len, "%s %d", months[q - 1], year);
	return out;
}
