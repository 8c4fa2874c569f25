/* jsonget.c - typed reads of a jansson object's members. */
#include "jsonget.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *portal_json_text(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

long long portal_json_num(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	const char *s;
	char *end;
	long long x;

	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_real(v))
		return (long long)json_real_value(v);
	if ((s = json_string_value(v)) == NULL || *s == '\0')
		return 0;
	errno = 0;
	x = strtoll(s, &end, 10);
	return *end || errno ? 0 : x;
}

int portal_json_list_has(const json_t *list, const char *code)
{
	const json_t *x;
	size_t i;

	if (code == NULL)
		return 0;
	if (json_is_string(list))
		return strcmp(json_string_value(list), code) == 0;
	json_array_foreach(list, i, x)
		if (json_is_string(x) && strcmp(json_string_value(x), code) == 0)
			return 1;
	return 0;
}
