/* fuzz_langguide.c - libFuzzer target: any bytes through the language
 * guide's check (common/langguide.c), as a case note, feedback or a service
 * description would reach it, against the seed guide and, when the input
 * starts with a JSON line, against that line as a coordinator's guide.
 *
 * Beyond "no crash, no read past the end" it checks what the check
 * promises: every note is an object whose "found" words lie in the text
 * (as written), the notes come in the order of the text, and the same
 * text gives the same notes twice.
 */
#include "langguide.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check(const char *text, size_t len, const json_t *guide)
{
	json_t *n = portal_language_notes(text, len, guide), *again, *note;
	const char *prev = text;
	size_t i;

	if (n == NULL || !json_is_array(n))
		abort();
	json_array_foreach(n, i, note) {
		const char *found = json_string_value(json_object_get(note, "found"));
		size_t flen = json_string_length(json_object_get(note, "found"));
		const char *at = NULL;
		if (found == NULL || flen == 0 || flen > len)
			abort();
		for (const char *p = prev; p + flen <= text + len && !at; p++)
			if (memcmp(p, found, flen) == 0)
				at = p;
		if (at == NULL)
			abort();  /* not in the text, or out of the text's order */
		prev = at;
	}
	again = portal_language_notes(text, len, guide);
	if (!json_equal(n, again))
		abort();
	json_decref(again);
	json_decref(n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly `size` bytes, so ASan sees any read past the end */
	char *text = malloc(size ? size : 1);
	const char *nl = size ? memchr(data, '\n', size) : NULL;
	json_t *seed = portal_language_guide_seed(), *own;

	if (text == NULL || seed == NULL)
		abort();
	if (size)
		memcpy(text, data, size);
	check(text, size, seed);
	if (nl && size && data[0] == '[' &&
	    (own = json_loadb((const char *)data, (size_t)(nl - (const char *)data), 0, NULL))) {
		size_t off = (size_t)(nl - (const char *)data) + 1;
		check(text + off, size - off, own);
		json_decref(own);
	}
	json_decref(seed);
	free(text);
	return 0;
}
