/* uuid.c - the directory's ids: UUIDs checked, made at random, and the
 * stable UUIDs of the Open Referral taxonomies and terms. */
#include "directory.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/random.h>


int directory_uuid_valid(const char *s)
{
	static const int dash[] = { 8, 13, 18, 23 };
	size_t i, d = 0;

	if (s == NULL || strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (d < 4 && (int)i == dash[d]) {
			if (s[i] != '-')
				return 0;
			d++;
		} else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	}
	return 1;
}

/* Format 16 bytes as a version 4 UUID into out (37 bytes). */
static void directory_uuid_format(unsigned char b[16], char out[37])
{
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
	         b[12], b[13], b[14], b[15]);
}

int directory_uuid_new(char out[37])
{
	unsigned char b[16];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return -1;
	directory_uuid_format(b, out);
	return 0;
}

/* A stable UUID from text (two FNV-1a 64 hashes): the same text always
 * gives the same id, so exported sub-records keep their ids. */
void directory_uuid_from(const char *a, const char *b, const char *c, char out[37])
{
	const char *parts[3] = { a, b, c };
	uint64_t h1 = 1469598103934665603ULL, h2 = 1099511628211ULL * 7919;
	unsigned char bytes[16];
	size_t i, j;

	for (i = 0; i < 3; i++) {
		for (j = 0; parts[i] && parts[i][j]; j++) {
			h1 = (h1 ^ (unsigned char)parts[i][j]) * 1099511628211ULL;
			h2 = (h2 ^ (unsigned char)parts[i][j]) * 1099511628211ULL + 0x9e3779b97f4a7c15ULL;
		}
		h1 = (h1 ^ 0xff) * 1099511628211ULL;
		h2 = (h2 ^ 0xfe) * 1099511628211ULL;
	}
	for (i = 0; i < 8; i++) {
		bytes[i] = (unsigned char)(h1 >> (8 * i));
		bytes[8 + i] = (unsigned char)(h2 >> (8 * i));
	}
	directory_uuid_format(bytes, out);
}

void directory_taxonomy_id(const char *param, char out[37])
{
	directory_uuid_from("taxonomy", param, NULL, out);
}

void directory_term_id(const char *param, const char *code, char out[37])
{
	directory_uuid_from("term", param, code, out);
}
