/* fuzz_query.c - libFuzzer target: a query string through
 * portal_parse_urlencoded with the tighter limits a query gets, then
 * through portal_validate.
 *
 * Beyond "no crash, no leak" it checks what the parser promises: every name
 * and value it returns is valid UTF-8 without NUL, within the limits, and a
 * refusal carries a 400 or 413 with a message.
 */
#include "parse.h"
#include "validate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A query string is smaller than a body. */
static const portal_limits query_limits = {8 * 1024, 64, 2 * 1024, 16};

static const char *const kinds[] = {"police", "health", "ngo", NULL};

static const portal_field fields[] = {
	{ .name = "q", .type = PORTAL_FIELD_STRING, .max = 100, .label = "Search" },
	{ .name = "page", .type = PORTAL_FIELD_INT, .min = 1, .max = 1000, .label = "Page" },
	{ .name = "kind", .type = PORTAL_FIELD_ENUM_LIST, .choices = kinds, .label = "Kind" },
	{ .name = "from", .type = PORTAL_FIELD_DATE, .label = "From" },
	{ .name = "open", .type = PORTAL_FIELD_BOOL, .label = "Open now" },
};

/* Abort unless s[0..len) is a string the parser may return. */
static void check_string(const json_t *s)
{
	if (!json_is_string(s) ||
	    json_string_length(s) > query_limits.max_field_len ||
	    !portal_utf8_valid(json_string_value(s), json_string_length(s)))
		abort();
}

/* Run one input (the fuzzer's bytes, not NUL-terminated); frees all it
 * allocates and aborts when a promise of the parser is broken. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	portal_parse_error err;
	json_t *out, *value, *item, *valid = NULL, *errors = NULL;
	const char *key;
	size_t i, n = 0;

	if ((out = json_object()) == NULL)
		return 0;
	memset(&err, 0, sizeof(err));
	if (portal_parse_urlencoded((const char *)data, size, &query_limits,
	    out, &err) == 0) {
		json_object_foreach(out, key, value) {
			if (!portal_utf8_valid(key, strlen(key)) || key[0] == '\0')
				abort();
			if (json_is_array(value)) {
				json_array_foreach(value, i, item) {
					check_string(item);
					n++;
				}
			} else {
				check_string(value);
				n++;
			}
		}
		if (n > query_limits.max_fields)
			abort();
		portal_validate(out, PORTAL_FIELDS(fields), &valid, &errors);
		json_decref(valid);
		json_decref(errors);
	} else if ((err.status != 400 && err.status != 413) ||
	    err.message[0] == '\0' ||
	    !portal_utf8_valid(err.message, strlen(err.message)))
		abort();
	json_decref(out);
	return 0;
}
