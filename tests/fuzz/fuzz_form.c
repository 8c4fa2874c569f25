/* fuzz_form.c - libFuzzer target: an urlencoded form body through
 * portal_parse_urlencoded with the default limits, then through
 * portal_validate with a table that uses every field type (validate_table.h:
 * a London time's date and time parts come from a form like this).
 *
 * Beyond "no crash, no leak" it checks what the parser promises: every name
 * and value it returns is valid UTF-8 without NUL, within the limits, and a
 * refusal carries a 400 or 413 with a message.  Validated output holds only
 * declared fields, each keeping its type's promise.
 */
#include "parse.h"
#include "validate_table.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Abort unless s is a string the parser may return. */
static void check_string(const json_t *s)
{
	if (!json_is_string(s) ||
	    json_string_length(s) > portal_default_limits.max_field_len ||
	    !portal_utf8_valid(json_string_value(s), json_string_length(s)))
		abort();
}

/* Run one input (the fuzzer's bytes, not NUL-terminated); frees all it
 * allocates and aborts when a promise of the parser is broken. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	portal_parse_error err;
	json_t *out, *value, *item;
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
		validate_and_check(out);
	} else if ((err.status != 400 && err.status != 413) ||
	    err.message[0] == '\0' ||
	    !portal_utf8_valid(err.message, strlen(err.message)))
		abort();
	json_decref(out);
	return 0;
}
