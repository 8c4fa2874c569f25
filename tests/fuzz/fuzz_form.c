/* fuzz_form.c - libFuzzer target: an urlencoded form body through
 * portal_parse_urlencoded with the default limits, then through
 * portal_validate with a table that uses every field type.
 *
 * Beyond "no crash, no leak" it checks what the parser promises: every name
 * and value it returns is valid UTF-8 without NUL, within the limits, and a
 * refusal carries a 400 or 413 with a message.  Validated output holds only
 * declared fields.
 */
#include "parse.h"
#include "validate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const agency_types[] = {
	"police", "local_authority", "health", "ngo", "other", NULL
};

static const portal_field fields[] = {
	{"name", PORTAL_FIELD_STRING, 1, 1, 80, NULL, 0, "Name"},
	{"capacity", PORTAL_FIELD_INT, 0, 1, 500, NULL, 0, "Capacity"},
	{"accessible", PORTAL_FIELD_BOOL, 0, 0, 0, NULL, 0, "Step-free access"},
	{"agency_type", PORTAL_FIELD_ENUM, 0, 0, 0, agency_types, 0, "Agency type"},
	{"serves", PORTAL_FIELD_ENUM_LIST, 0, 0, 3, agency_types, 0, "Serves"},
	{"languages", PORTAL_FIELD_STRING_LIST, 0, 1, 20, NULL, 5, "Languages"},
	{"starts_at", PORTAL_FIELD_TIME, 0, 0, 0, NULL, 0, "Start time"},
	{"date", PORTAL_FIELD_DATE, 0, 0, 0, NULL, 0, "Date"},
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* Abort unless s is a string the parser may return. */
static void check_string(const json_t *s)
{
	if (!json_is_string(s) ||
	    json_string_length(s) > portal_default_limits.max_field_len ||
	    !portal_utf8_valid(json_string_value(s), json_string_length(s)))
		abort();
}

/* Abort unless every key of obj is a declared field name. */
static void check_declared(const json_t *obj)
{
	const char *key;
	json_t *value;
	size_t i;

	json_object_foreach((json_t *)obj, key, value) {
		for (i = 0; i < NFIELDS; i++)
			if (strcmp(fields[i].name, key) == 0)
				break;
		if (i == NFIELDS)
			abort();
	}
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
	if (portal_parse_urlencoded((const char *)data, size,
	    &portal_default_limits, out, &err) == 0) {
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
		if (n > portal_default_limits.max_fields)
			abort();
		if (portal_validate(out, fields, NFIELDS, &valid, &errors) == 0) {
			check_declared(valid);
			json_decref(valid);
		} else {
			if (errors == NULL)
				abort();
			check_declared(errors);
			json_decref(errors);
		}
	} else if ((err.status != 400 && err.status != 413) ||
	    err.message[0] == '\0' ||
	    !portal_utf8_valid(err.message, strlen(err.message)))
		abort();
	json_decref(out);
	return 0;
}
