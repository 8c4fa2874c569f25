/* entry.c - a stream entry's fields, for every sink.  Pure: no I/O. */
#include <stdlib.h>
#include <string.h>

#include "notify.h"

const char *notify_entry_get(const notify_entry *e, const char *name, size_t *len)
{
	size_t i, nl = strlen(name);

	for (i = 0; i < e->n; i++)
		if (e->namelens[i] == nl && memcmp(e->names[i], name, nl) == 0) {
			if (len)
				*len = e->valuelens[i];
			return e->values[i];
		}
	return NULL;
}

long long notify_entry_seconds(const char *id)
{
	return strtoll(id, NULL, 10) / 1000;
}
