/* fuzz_template.c - libFuzzer target for the template engine.
 *
 * The input is "TEMPLATE\0JSON": the bytes before the first NUL are the
 * template text, those after it the data.  The template is added (a parse
 * error is fine), a second copy is added as partial "p" so {{>p}} recurses,
 * and it is rendered with the data (or {} when the data is not JSON) into a
 * small capped buffer.  Everything is freed again so leaks show.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "template.h"

/* libFuzzer entry: takes the fuzzer's bytes, returns 0 always. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	portal_templates *set = NULL;
	portal_buf out;
	json_t *json = NULL;
	const char *text = (const char *)data, *nul;
	size_t tlen = size;
	char err[128];

	portal_buf_init(&out, 64 * 1024);
	if ((nul = memchr(text, '\0', size)) != NULL) {
		tlen = (size_t)(nul - text);
		json = json_loadb(nul + 1, size - tlen - 1,
		    JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	}
	if (json == NULL && (json = json_object()) == NULL)
		goto out;
	if ((set = portal_templates_new()) == NULL)
		goto out;
	if (portal_templates_add(set, "t", text, tlen, err, sizeof(err)) < 0) {
		/* The message must be a terminated "line N: ..." string. */
		if (strncmp(err, "line ", 5) != 0 &&
		    strcmp(err, "out of memory") != 0)
			__builtin_trap();
		goto out;
	}
	if (portal_templates_add(set, "p", text, tlen, NULL, 0) < 0)
		__builtin_trap();  /* the same text parsed once already */
	(void)portal_templates_render(set, "t", json, &out);
	if (out.len > out.cap)
		__builtin_trap();
out:
	portal_buf_free(&out);
	json_decref(json);
	portal_templates_free(set);
	return 0;
}
