/* fuzz_json.c - libFuzzer target: a JSON body through
 * portal_parse_json_body with small limits (so the fuzzer reaches them),
 * then through portal_validate with a table that uses every field type
 * (validate_table.h), each result checked against its type's promise.
 *
 * Beyond "no crash, no leak" it checks what the parser promises: success
 * gives an object, a refusal gives no object and a 400 or 413 with a
 * message in UTF-8.
 */
#include "parse.h"
#include "validate_table.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Small enough that short inputs hit every limit. */
static const portal_limits fuzz_limits = {4096, 32, 64, 4};

/* Run one input (the fuzzer's bytes, not NUL-terminated); frees all it
 * allocates and aborts when a promise of the parser is broken. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	portal_parse_error err;
	json_t *out = NULL;

	memset(&err, 0, sizeof(err));
	if (portal_parse_json_body((const char *)data, size, &fuzz_limits,
	    &out, &err) == 0) {
		if (!json_is_object(out))
			abort();
		validate_and_check(out);
		json_decref(out);
	} else if (out != NULL || (err.status != 400 && err.status != 413) ||
	    err.message[0] == '\0' ||
	    !portal_utf8_valid(err.message, strlen(err.message)))
		abort();
	return 0;
}
