/* formtext.c - reading what a person typed, and labels in messages (see
 * formtext.h). */
#include "formtext.h"

#include <string.h>

#include "parse.h"

int portal_ascii_digit(char c) { return c >= '0' && c <= '9'; }
int portal_ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
int portal_ascii_lower(char c) { return c >= 'a' && c <= 'z'; }
int portal_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Return the ASCII lower-case form of c. */
static char ascii_tolower(char c)
{
	return portal_ascii_upper(c) ? (char)(c - 'A' + 'a') : c;
}

void portal_trim(const char **s, size_t *len)
{
	while (*len > 0 && portal_ascii_space((*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && portal_ascii_space((*s)[*len - 1]))
		(*len)--;
}

int portal_trimmed_string(const json_t *v, const char **s, size_t *len)
{
	if (!json_is_string(v))
		return 0;
	*s = json_string_value(v);
	*len = json_string_length(v);
	portal_trim(s, len);
	return 1;
}

int portal_plain_text(const char *s, size_t len)
{
	size_t i;

	if (!portal_utf8_valid(s, len))
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F)
			return 0;
		/* U+0080..U+009F are encoded C2 80..C2 9F. */
		if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] <= 0x9F)
			return 0;
	}
	return 1;
}

size_t portal_utf8_chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/* Return 1 when s[0..len) equals the NUL-terminated lower-case word, ASCII
 * case ignored; 0 otherwise. */
static int same_word(const char *s, size_t len, const char *word)
{
	size_t i;

	if (strlen(word) != len)
		return 0;
	for (i = 0; i < len; i++)
		if (ascii_tolower(s[i]) != word[i])
			return 0;
	return 1;
}

int portal_yes_no_word(const char *s, size_t len)
{
	static const char *const yes[] = { "true", "on", "yes", "1", NULL };
	static const char *const no[] = { "false", "off", "no", "0", "", NULL };
	size_t i;

	for (i = 0; yes[i] != NULL; i++)
		if (same_word(s, len, yes[i]))
			return 1;
	for (i = 0; no[i] != NULL; i++)
		if (same_word(s, len, no[i]))
			return -1;
	return 0;
}

int portal_form_ticked(const json_t *v)
{
	const char *s;
	size_t len;

	if (json_is_true(v))
		return 1;
	return portal_trimmed_string(v, &s, &len) && portal_yes_no_word(s, len) == 1;
}

void portal_put_label(portal_buf *b, const char *l, int lower)
{
	if (lower && portal_ascii_upper(l[0]) && !portal_ascii_upper(l[1])) {
		portal_buf_putc(b, ascii_tolower(l[0]));
		portal_buf_puts(b, l + 1);
	} else if (!lower && portal_ascii_lower(l[0])) {
		portal_buf_putc(b, (char)(l[0] - 'a' + 'A'));
		portal_buf_puts(b, l + 1);
	} else
		portal_buf_puts(b, l);
}

void portal_put_a_label(portal_buf *b, const char *l)
{
	int an;

	if (portal_ascii_upper(l[0]) && portal_ascii_upper(l[1]))
		an = strchr("AEFHILMNORSX", l[0]) != NULL;
	else
		an = l[0] != '\0' && strchr("aeiouAEIOU", l[0]) != NULL;
	portal_buf_puts(b, an ? "an " : "a ");
	portal_put_label(b, l, 1);
}
