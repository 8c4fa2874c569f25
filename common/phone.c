/* phone.c - portal_phone_ok() (see phone.h). */
#include "phone.h"

#include <string.h>

int portal_phone_ok(const char *s)
{
	size_t len, digits = 0;

	if (s == NULL)
		return 0;
	len = strlen(s);
	if (len < 6 || len > 30)
		return 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (!strchr(" +()-", *s))
			return 0;
	}
	return digits >= 6;
}
