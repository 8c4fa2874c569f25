/* phone.c - portal_phone_ok() (see phone.h). */
#include "phone.h"

#include <string.h>

#define PHONE_TEXT_MIN 6
#define PHONE_TEXT_MAX 30

int portal_phone_ok(const char *s)
{
	char digits[PHONE_TEXT_MAX + 1];
	const char *rest;
	size_t len, n = 0, i;
	int plus = 0, zero_mark;

	if (s == NULL)
		return 0;
	len = strlen(s);
	if (len < PHONE_TEXT_MIN || len > PHONE_TEXT_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits[n++] = s[i];
		else if (s[i] == '+' && n == 0 && !plus)
			plus = 1;
		else if (!strchr(" .()-", s[i]))
			return 0;
	}
	digits[n] = '\0';
	zero_mark = strstr(s, "(0)") != NULL;
	if (plus || strncmp(digits, "0044", 4) == 0) {
		rest = digits + (plus ? 2 : 4);
		if (strncmp(digits + (plus ? 0 : 2), "44", 2) != 0)
			return 0;
		if (zero_mark && rest[0] == '0')
			rest++;
		n = strlen(rest);
		return rest[0] != '0' && n >= 9 && n <= 10;
	}
	if (zero_mark)
		return 0;
	if (digits[0] == '0')
		return n >= 10 && n <= 11;
	return n == 6 && strncmp(digits, "116", 3) == 0;
}
