/* quarters.c - the trends' quarters: a day's or an instant's quarter
 * ("2026-Q4"), a quarter in words ("October to December 2026"), and the
 * quarter before one. */
#include "cases.h"

#include <stdio.h>
#include <string.h>

const char *cases_quarter_of_date(const char *date, char *out, size_t len)
{
	int y, m;

	if (date == NULL || sscanf(date, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12 || y < 1000 || y > 9999)
		snprintf(out, len, "%s", "");
	else
		snprintf(out, len, "%04d-Q%d", y % 10000, (m - 1) / 3 % 4 + 1);
	return out;
}

const char *cases_quarter_of_time(time_t t, char *out, size_t len)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL) {
		snprintf(out, len, "%s", "");
		return out;
	}
	snprintf(out, len, "%04d-Q%d", (tm.tm_year + 1900) % 10000, tm.tm_mon / 3 % 4 + 1);
	return out;
}

const char *cases_quarter_words(const char *quarter, char *out, size_t len)
{
	static const char *const spans[] = { "January to March", "April to June", "July to September", "October to December" };
	int y, q;
	char end;

	if (quarter == NULL || sscanf(quarter, "%4d-Q%1d%c", &y, &q, &end) != 2 || q < 1 || q > 4 || strlen(quarter) != 7)
		return NULL;
	snprintf(out, len, "%s %d", spans[q - 1], y);
	return out;
}

const char *cases_quarter_before(const char *quarter, char *out, size_t len)
{
	int y, q;

	if (sscanf(quarter, "%4d-Q%1d", &y, &q) != 2 || q < 1 || q > 4 || y < 1001) {
		snprintf(out, len, "%s", "");
		return out;
	}
	snprintf(out, len, "%04d-Q%d", q == 1 ? y - 1 : y, q == 1 ? 4 : q - 1);
	return out;
}
