/* fuzz_json.c - libFuzzer target: a JSON body through
 * portal_parse_json_body with small limits (so the fuzzer reaches them),
 * then through portal_validate with a table that uses every field type.
 *
 * Beyond "no crash, no leak" it checks what the parser promises: success
 * gives an object, a refusal gives no object and a 400 or 413 with a
 * message in UTF-8.
 */
#include "parse.h"
#include "validate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Small enough that short inputs hit every limit. */
static const portal_limits fuzz_limits = {4096, 32, 64, 4};

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

/* Run one input (the fuzzer's bytes, not NUL-terminated); frees all it
 * allocates and aborts when a promise of the parser is broken. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	portal_parse_error err;
	json_t *out = NULL, *valid = NULL, *errors = NULL;

	memset(&err, 0, sizeof(err));
	if (portal_parse_json_body((const char *)data, size, &fuzz_limits,
	    &out, &err) == 0) {
		if (!json_is_object(out))
			abort();
		if (portal_validate(out, fields, NFIELDS, &valid, &errors) == 0)
			json_decref(valid);
		else if (errors == NULL)
			abort();
		else
			json_decref(errors);
		json_decref(out);
	} else if (out != NULL || (err.status != 400 && err.status != 413) ||
	    err.message[0] == '\0' ||
	    !portal_utf8_valid(err.message, strlen(err.message)))
		abort();
	return 0;
}
