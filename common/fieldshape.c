/* fieldshape.c - the checkers of phone numbers, e-mail addresses, web
 * addresses and boxes that must be ticked (see fieldcheck.h), and the rules
 * of e-mail and web addresses (fieldshape.h).  Each keeps what was typed
 * (trimmed) when it is right; a present but empty optional value is kept as
 * "" (so an edit form can clear it), like text.
 */
#include "fieldshape.h"

#include "fieldcheck.h"

#include <string.h>

#include "phone.h"

#define PHONE_TEXT_CAP 32 /* bytes of a phone number's text (phone.h: 30 characters at most) */
#define EMAIL_MAX 254  /* RFC 5321's limit on a path */
#define EMAIL_LOCAL_MAX 64
#define URL_MAX 2000   /* what every browser keeps */

/* A shape's rule on trimmed, non-empty text s[0..len): 0 when it is right,
 * else the number of the fault (1 and up) that says what to fix. */
typedef int (*shape_rule)(const char *s, size_t len);

/* A shape: its rule, the longest text it takes unless the field says less
 * (0: the rule bounds it), and for each fault the words after "Enter a
 * <label>" (fault 1 also when the value is not text). */
struct shape {
	shape_rule         rule;
	size_t             max;
	const char *const *fix;
};

/* Check v against shape sh: trimmed text the rule takes, kept as typed; ""
 * kept for an optional field (so an edit form can clear it). */
static enum portal_check check_shape(const portal_field *f, const json_t *v, const struct shape *sh,
                                     json_t **result, portal_buf *msg)
{
	size_t len, max = sh->max;
	const char *s;
	int fault = 1;

	if (f->max > 0 && (max == 0 || (unsigned long long)f->max < max))
		max = (size_t)f->max;
	if (portal_trimmed_string(v, &s, &len)) {
		if (len == 0) {
			if (f->required)
				return PORTAL_CHECK_EMPTY;
			return (*result = json_string("")) ? PORTAL_CHECK_OK : PORTAL_CHECK_NOMEM;
		}
		if (max > 0 && len > max) {
			portal_put_label(msg, portal_field_label(f), 0);
			portal_buf_printf(msg, " must be %zu characters or fewer", max);
			return PORTAL_CHECK_BAD;
		}
		if ((fault = sh->rule(s, len)) == 0)
			return (*result = json_stringn(s, len)) ? PORTAL_CHECK_OK : PORTAL_CHECK_NOMEM;
	}
	portal_buf_puts(msg, "Enter ");
	portal_put_a_label(msg, portal_field_label(f));
	portal_buf_puts(msg, sh->fix[fault]);
	return PORTAL_CHECK_BAD;
}

/* PHONE's rule: portal_phone_ok (1: not a UK number). */
static int phone_rule(const char *s, size_t len)
{
	char text[PHONE_TEXT_CAP];

	if (len >= sizeof(text))
		return 1;
	memcpy(text, s, len);
	text[len] = '\0';
	return portal_phone_ok(text) ? 0 : 1;
}

enum portal_check portal_check_phone(const portal_field *f, const json_t *v, json_t **result, portal_buf *msg)
{
	static const char *const fix[] = { NULL, ": a UK number like 020 7946 0000 or 07700 900123" };
	static const struct shape phone = { phone_rule, 0, fix };

	return check_shape(f, v, &phone, result, msg);
}

/* 1 when c may stand in the local part of an e-mail address (RFC 5322's
 * atext; dots are checked apart). */
static int email_local_char(char c)
{
	return portal_ascii_digit(c) || portal_ascii_upper(c) || portal_ascii_lower(c) ||
	       (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

/* 1 when c may stand in a label of a host name. */
static int host_char(char c)
{
	return portal_ascii_digit(c) || portal_ascii_upper(c) || portal_ascii_lower(c) || c == '-';
}

/* 1 when s[0..len) is a host name of 2 or more dot-separated labels of 1..63
 * letters, digits and hyphens (none at a label's ends), the last all letters
 * (2 or more) or punycode ("xn--"); 0 otherwise. */
static int host_ok(const char *s, size_t len)
{
	size_t i, start = 0, labels = 0, letters = 0;

	if (len == 0 || len > 253)
		return 0;
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '.') {
			if (!host_char(s[i]))
				return 0;
			continue;
		}
		if (i == start || i - start > 63 || s[start] == '-' || s[i - 1] == '-')
			return 0;
		labels++;
		for (letters = 0; letters < i - start; letters++)
			if (!portal_ascii_upper(s[start + letters]) && !portal_ascii_lower(s[start + letters]))
				break;
		if (i < len)
			start = i + 1;
	}
	if (labels < 2)
		return 0;
	/* the top-level label: letters only, or punycode */
	return (letters == len - start && letters >= 2) ||
	       (len - start > 4 && strncmp(s + start, "xn--", 4) == 0);
}

int portal_email_ok(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len);
	size_t local, i;

	if (at == NULL || len > EMAIL_MAX)
		return 0;
	local = (size_t)(at - s);
	if (local == 0 || local > EMAIL_LOCAL_MAX || s[0] == '.' || s[local - 1] == '.')
		return 0;
	for (i = 0; i < local; i++)
		if (!(email_local_char(s[i]) || (s[i] == '.' && s[i + 1] != '.')))
			return 0;
	return host_ok(at + 1, len - local - 1);
}

/* EMAIL's rule: portal_email_ok (1: not an address). */
static int email_rule(const char *s, size_t len)
{
	return portal_email_ok(s, len) ? 0 : 1;
}

enum portal_check portal_check_email(const portal_field *f, const json_t *v, json_t **result, portal_buf *msg)
{
	static const char *const fix[] = { NULL, " like name@example.org" };
	static const struct shape email = { email_rule, EMAIL_MAX, fix };

	return check_shape(f, v, &email, result, msg);
}

/* 1 when c is a hexadecimal digit. */
static int hex_digit(char c)
{
	return portal_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* 1 when s[0..len) starts with the lower-case ASCII `prefix`, case ignored. */
static int starts_with_nocase(const char *s, size_t len, const char *prefix)
{
	size_t i, n = strlen(prefix);

	if (len < n)
		return 0;
	for (i = 0; i < n; i++)
		if ((portal_ascii_upper(s[i]) ? s[i] - 'A' + 'a' : s[i]) != prefix[i])
			return 0;
	return 1;
}

enum portal_url_fault portal_url_check(const char *s, size_t len)
{
	size_t i, start, host_end, end;

	if (starts_with_nocase(s, len, "https://"))
		start = 8;
	else if (starts_with_nocase(s, len, "http://"))
		start = 7;
	else
		return PORTAL_URL_SCHEME;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7F || strchr("\"'<>\\^`{|}", (char)c) != NULL)
			return PORTAL_URL_CHARS;
		if (c == '%' && (i + 2 >= len || !hex_digit(s[i + 1]) || !hex_digit(s[i + 2])))
			return PORTAL_URL_CHARS;
	}
	for (end = start; end < len && !strchr("/?#", s[end]); end++)
		;
	host_end = end;
	/* an optional :port of 1..5 digits */
	for (i = start; i < end && s[i] != ':'; i++)
		;
	if (i < end) {
		host_end = i;
		if (end - i - 1 < 1 || end - i - 1 > 5)
			return PORTAL_URL_HOST;
		for (i++; i < end; i++)
			if (!portal_ascii_digit(s[i]))
				return PORTAL_URL_HOST;
	}
	return host_ok(s + start, host_end - start) ? PORTAL_URL_OK : PORTAL_URL_HOST;
}

/* URL's rule: portal_url_check (its fault). */
static int url_rule(const char *s, size_t len)
{
	return (int)portal_url_check(s, len);
}

enum portal_check portal_check_url(const portal_field *f, const json_t *v, json_t **result, portal_buf *msg)
{
	static const char *const fix[] = {
		[PORTAL_URL_SCHEME] = " as a full web address starting https://, like https://example.org/",
		[PORTAL_URL_CHARS] = " without spaces, quotes or < >: copy it from the browser's address bar",
		[PORTAL_URL_HOST] = " with the site's name after https://, like https://example.org/",
	};
	static const struct shape url = { url_rule, URL_MAX, fix };

	return check_shape(f, v, &url, result, msg);
}

enum portal_check portal_check_ticked(const portal_field *f, const json_t *v, json_t **result, portal_buf *msg)
{
	if (portal_form_ticked(v))
		return (*result = json_true()) ? PORTAL_CHECK_OK : PORTAL_CHECK_NOMEM;
	portal_buf_puts(msg, "Tick the box to confirm ");
	portal_put_label(msg, portal_field_label(f), 1);
	return PORTAL_CHECK_BAD;
}
