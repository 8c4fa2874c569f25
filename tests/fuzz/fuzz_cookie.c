/* fuzz_cookie.c - libFuzzer target: a Cookie header through
 * portal_parse_cookies with the default limits.
 *
 * Beyond "no crash, no leak" it checks what the parser promises: each name
 * maps to one string, valid UTF-8 without NUL and within the limits, and a
 * refusal carries a 400 or 413 with a message.
 */
#include "parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Run one input (the fuzzer's bytes, not NUL-terminated); frees all it
 * allocates and aborts when a promise of the parser is broken. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	portal_parse_error err;
	json_t *out, *value;
	const char *key;

	if ((out = json_object()) == NULL)
		return 0;
	memset(&err, 0, sizeof(err));
	if (portal_parse_cookies((const char *)data, size,
	    &portal_default_limits, out, &err) == 0) {
		if (json_object_size(out) > portal_default_limits.max_fields)
			abort();
		json_object_foreach(out, key, value) {
			if (key[0] == '\0' || !portal_utf8_valid(key, strlen(key)) ||
			    !json_is_string(value) ||
			    json_string_length(value) > portal_default_limits.max_field_len ||
			    !portal_utf8_valid(json_string_value(value),
			    json_string_length(value)))
				abort();
		}
	} else if ((err.status != 400 && err.status != 413) ||
	    err.message[0] == '\0' ||
	    !portal_utf8_valid(err.message, strlen(err.message)))
		abort();
	json_decref(out);
	return 0;
}
