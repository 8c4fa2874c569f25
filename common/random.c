/* random.c - random tokens and constant-time comparison (random.h). */
#include "random.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/types.h>

int portal_random_hex(char *out, size_t n)
{
	unsigned char rnd[64];
	size_t i;

	out[0] = '\0';
	if (n > sizeof(rnd) || getrandom(rnd, n, 0) != (ssize_t)n)
		return -1;
	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", rnd[i]);
	explicit_bzero(rnd, sizeof(rnd));
	return 0;
}

int portal_secret_equal(const char *want, const char *got)
{
	size_t i, n;
	unsigned char diff = 0;

	if (want == NULL || got == NULL || (n = strlen(want)) != strlen(got) || n == 0)
		return 0;
	for (i = 0; i < n; i++)
		diff |= (unsigned char)(want[i] ^ got[i]);
	return diff == 0;
}
