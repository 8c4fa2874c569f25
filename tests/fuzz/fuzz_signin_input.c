/* fuzz_signin_input.c - libFuzzer target: the sign-in's parsers of
 * untrusted input: the "next" address a person is sent back to
 * (portal_local_path_ok, common/parse.c) and the typed username
 * (portal_signin_username_ok / portal_signin_username_normalise,
 * common/signin.c).
 *
 * Beyond "no crash, no leak" it checks what they promise:
 * - an accepted "next" is 1..PORTAL_LOCAL_PATH_MAX bytes, starts with exactly
 *   one '/', and holds only printable ASCII without space or backslash, and
 *   so does each round of its %-decoding (a browser must never read it as
 *   another site);
 * - a normalised username is non-empty, has no leading, trailing or double
 *   space, no upper-case ASCII letter, is accepted again by
 *   portal_signin_username_ok, and normalising it again changes nothing
 *   (every spelling of one name meets one failure counter).
 */
#include "parse.h"
#include "signin.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Abort unless s is a path on this site: one '/', then printable ASCII
 * without space or backslash, and no "//" or "/\" start. */
static void check_local(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > PORTAL_LOCAL_PATH_MAX || s[0] != '/' || s[1] == '/')
		abort();
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f || s[i] == '\\')
			abort();
}

/* Decode %XX escapes of s into out (same size or smaller); a '%' without two
 * hex digits is kept as it is.  Returns 1 when anything was decoded. */
static int percent_decode(const char *s, char *out)
{
	int changed = 0;

	while (*s) {
		if (s[0] == '%' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
			char hex[3] = {s[1], s[2], '\0'};

			*out++ = (char)strtol(hex, NULL, 16);
			s += 3;
			changed = 1;
		} else
			*out++ = *s++;
	}
	*out = '\0';
	return changed;
}

/* libFuzzer entry: takes the fuzzer's bytes, returns 0 always. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *a, *b, norm[128], again[128];
	size_t i, n;
	int round;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	if (portal_local_path_ok(text)) {
		a = strdup(text);
		b = malloc(strlen(text) + 1);
		if (a == NULL || b == NULL)
			abort();
		check_local(a);
		for (round = 0; round < 4 && percent_decode(a, b); round++) {
			check_local(b);
			strcpy(a, b);
		}
		free(a);
		free(b);
	}

	if (portal_signin_username_normalise(text, norm, sizeof(norm)) == 0) {
		n = strlen(norm);
		if (n == 0 || norm[0] == ' ' || norm[n - 1] == ' ' || strstr(norm, "  ") != NULL)
			abort();
		for (i = 0; i < n; i++)
			if (norm[i] >= 'A' && norm[i] <= 'Z')
				abort();
		if (!portal_signin_username_ok(norm))
			abort();
		if (portal_signin_username_normalise(norm, again, sizeof(again)) != 0 ||
		    strcmp(norm, again) != 0)
			abort();
	}
	free(text);
	return 0;
}
