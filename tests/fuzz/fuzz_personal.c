/* fuzz_personal.c - libFuzzer target: any bytes through the personal-data
 * guard on free text (common/personal.c), as a case note or feedback would
 * reach it.
 *
 * Beyond "no crash, no read past the end" it checks what the guard
 * promises: what it finds lies inside the text, has a kind with words, and
 * its message quotes it; and the same text gives the same answer twice.
 */
#include "personal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly `size` bytes, so ASan sees any read past the end */
	char *text = malloc(size ? size : 1), msg[300];
	portal_personal_found f, again;
	const time_t now = 1796472000;  /* 5 December 2026 */
	int found;

	if (text == NULL)
		return 0;
	if (size)
		memcpy(text, data, size);
	found = portal_personal_find(text, size, now, &f);
	if (found) {
		if (f.kind == PORTAL_PERSONAL_NONE || f.len == 0 || f.at > size || f.len > size - f.at)
			abort();
		portal_personal_message(text, &f, msg, sizeof(msg));
		if (strstr(msg, portal_personal_kind_words(f.kind)) == NULL)
			abort();
	} else if (f.kind != PORTAL_PERSONAL_NONE) {
		abort();
	}
	if (portal_personal_find(text, size, now, &again) != found || again.at != f.at || again.len != f.len)
		abort();
	free(text);
	return 0;
}
