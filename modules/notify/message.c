/* message.c - the e-mail message: headers (RFC 5322, RFC 2047 for words
 * that are not ASCII), a multipart/alternative body with a text/plain and
 * a text/html part, both UTF-8 and quoted-printable (RFC 2045), and, when
 * there is a file to send (a calendar file), a multipart/mixed around that
 * body and the file in base64.  Pure: no I/O, unit-tested
 * (tests/unit/test_notify_message.c). */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "notify.h"

static const char hex[] = "0123456789ABCDEF";

static uint64_t fnv1a(const char *s, int lower)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)(lower ? tolower((unsigned char)*s) : *s);
		h *= 1099511628211ULL;
	}
	return h;
}

int notify_parse_from(const char *from, char *out, size_t outlen, char *domain, size_t domlen)
{
	const char *lt = strrchr(from, '<'), *a = lt ? lt + 1 : from, *end, *at, *p;
	size_t len;

	for (p = from; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			return -1;
	end = lt ? strchr(a, '>') : a + strlen(a);
	if (end == NULL || (lt && end[1] != '\0'))
		return -1;
	len = (size_t)(end - a);
	at = memchr(a, '@', len);
	if (len >= outlen || len < 3 || at == NULL || at == a || at + 1 == end || memchr(at + 1, '@', (size_t)(end - at - 1)) ||
	    memchr(a, ' ', len) || (size_t)(end - at - 1) >= domlen)
		return -1;
	memcpy(out, a, len);
	out[len] = '\0';
	memcpy(domain, at + 1, (size_t)(end - at - 1));
	domain[end - at - 1] = '\0';
	return 0;
}

void notify_message_id(const char *stream, const char *entry_id, const char *rcpt,
                       const char *domain, char *out, size_t len)
{
	snprintf(out, len, "<%s.%s.%016llx@%s>", entry_id, stream,
	         (unsigned long long)fnv1a(rcpt, 1), domain);
}

static int printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

/* Bytes in the UTF-8 sequence that starts with c (1 for a stray byte). */
static size_t utf8_seq_len(unsigned char c)
{
	if (c >= 0xf0 && c < 0xf8)
		return 4;
	if (c >= 0xe0)
		return c < 0xf0 ? 3 : 1;
	if (c >= 0xc0)
		return 2;
	return 1;
}

/* The Q-encoded length of one byte in an encoded-word (RFC 2047 5(3)). */
static size_t q_len(unsigned char c)
{
	return (isalnum(c) || c == ' ' || c == '!' || c == '*' || c == '+' || c == '-' || c == '/') ? 1 : 3;
}

static int q_put(portal_buf *b, unsigned char c)
{
	if (c == ' ')
		return portal_buf_putc(b, '_');
	if (q_len(c) == 1)
		return portal_buf_putc(b, (char)c);
	return portal_buf_printf(b, "=%c%c", hex[c >> 4], hex[c & 15]);
}

/* The value as encoded-words of at most 75 characters, each holding whole
 * UTF-8 characters, folded onto lines of their own. */
static int encoded_words(portal_buf *b, const char *v)
{
	const unsigned char *s = (const unsigned char *)v;
	size_t i = 0, n = strlen(v);
	int first = 1;

	while (i < n) {
		size_t used = 12;  /* "=?UTF-8?Q?" and "?=" */
		if (!first && portal_buf_puts(b, "\r\n ") < 0)
			return -1;
		first = 0;
		portal_buf_puts(b, "=?UTF-8?Q?");
		while (i < n) {
			size_t k, seq = utf8_seq_len(s[i]), w = 0;
			if (i + seq > n)
				seq = n - i;
			for (k = 0; k < seq; k++)
				w += q_len(s[i + k]);
			if (used + w > 75)
				break;
			for (k = 0; k < seq; k++)
				q_put(b, s[i + k]);
			used += w;
			i += seq;
		}
		if (portal_buf_puts(b, "?=") < 0)
			return -1;
	}
	return b->overflow ? -1 : 0;
}

int notify_header(portal_buf *b, const char *name, const char *value)
{
	if (strchr(value, '\r') || strchr(value, '\n'))
		return -1;
	portal_buf_printf(b, "%s: ", name);
	if (printable_ascii(value))
		portal_buf_puts(b, value);
	else if (encoded_words(b, value) < 0)
		return -1;
	return portal_buf_puts(b, "\r\n");
}

/* One character of a quoted-printable line: literal or =XX. */
static int qp_char(unsigned char c, int at_line_start, int before_break)
{
	if (c == '=' || c > 126 || (c < 32 && c != '\t'))
		return 0;
	if ((c == ' ' || c == '\t') && before_break)
		return 0;
	if (c == '.' && at_line_start)
		return 0;  /* never a line "." to an SMTP server */
	return 1;
}

int notify_qp(portal_buf *b, const char *s, size_t len)
{
	size_t i, col = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int before_break = i + 1 == len || s[i + 1] == '\n' || (s[i + 1] == '\r' && i + 2 < len && s[i + 2] == '\n');
		int literal;
		if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
			continue;
		if (c == '\n') {
			portal_buf_puts(b, "\r\n");
			col = 0;
			continue;
		}
		literal = qp_char(c, col == 0, before_break);
		if (col + (literal ? 1 : 3) > 75) {
			portal_buf_puts(b, "=\r\n");  /* a soft line break */
			col = 0;
			literal = qp_char(c, 1, before_break);
		}
		if (literal)
			portal_buf_putc(b, (char)c);
		else
			portal_buf_printf(b, "=%c%c", hex[c >> 4], hex[c & 15]);
		col += literal ? 1 : 3;
	}
	return b->overflow ? -1 : 0;
}

static int part(portal_buf *b, const char *boundary, const char *type, const char *body)
{
	portal_buf_printf(b, "--%s\r\nContent-Type: %s; charset=UTF-8\r\n"
	                  "Content-Transfer-Encoding: quoted-printable\r\n\r\n", boundary, type);
	if (notify_qp(b, body, strlen(body)) < 0)
		return -1;
	return portal_buf_puts(b, "\r\n");
}

/* Append data[0..len) in base64 (RFC 2045), lines of 76 characters. */
static int base64(portal_buf *b, const unsigned char *d, size_t len)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, col = 0;

	for (i = 0; i < len; i += 3) {
		unsigned long v = (unsigned long)d[i] << 16 | (i + 1 < len ? (unsigned long)d[i + 1] << 8 : 0) |
		                  (i + 2 < len ? d[i + 2] : 0);
		char q[5] = { digits[v >> 18 & 63], digits[v >> 12 & 63], i + 1 < len ? digits[v >> 6 & 63] : '=',
		              i + 2 < len ? digits[v & 63] : '=', '\0' };
		if (col == 76) {
			portal_buf_puts(b, "\r\n");
			col = 0;
		}
		portal_buf_puts(b, q);
		col += 4;
	}
	return portal_buf_puts(b, "\r\n");
}

/* A value that may stand in a MIME header as it is: printable ASCII
 * without quotes or backslashes. */
static int plain_value(const char *v)
{
	return v && v[0] && printable_ascii(v) && !strpbrk(v, "\"\\");
}

/* The file part of a multipart/mixed message. */
static int attachment_part(portal_buf *b, const char *boundary, const notify_attachment *a)
{
	if (!plain_value(a->type) || !plain_value(a->name))
		return -1;
	portal_buf_printf(b, "\r\n--%s\r\nContent-Type: %s\r\nContent-Transfer-Encoding: base64\r\n"
	                  "Content-Disposition: attachment; filename=\"%s\"\r\n\r\n", boundary, a->type, a->name);
	return base64(b, (const unsigned char *)a->data, a->len);
}

int notify_mail_build(const notify_mail *m, portal_buf *out)
{
	char date[64], boundary[48], mixed[48];
	struct tm tm;

	gmtime_r(&m->date, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	/* "=_" never stands in quoted-printable text or base64: no part can
	 * hold a boundary */
	snprintf(boundary, sizeof(boundary), "=_portal_%016llx", (unsigned long long)fnv1a(m->message_id, 0));
	snprintf(mixed, sizeof(mixed), "=_portal_mixed_%016llx", (unsigned long long)fnv1a(m->message_id, 0));
	if (notify_header(out, "Message-ID", m->message_id) < 0 || notify_header(out, "Date", date) < 0 ||
	    notify_header(out, "From", m->from) < 0 || notify_header(out, "To", m->to) < 0 ||
	    notify_header(out, "Subject", m->subject) < 0 ||
	    notify_header(out, "Auto-Submitted", "auto-generated") < 0 ||
	    notify_header(out, "MIME-Version", "1.0") < 0)
		return -1;
	if (m->attachment)
		portal_buf_printf(out, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n--%s\r\n", mixed, mixed);
	portal_buf_printf(out, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", boundary);
	if (part(out, boundary, "text/plain", m->text) < 0 || part(out, boundary, "text/html", m->html) < 0)
		return -1;
	portal_buf_printf(out, "--%s--\r\n", boundary);
	if (m->attachment) {
		if (attachment_part(out, mixed, m->attachment) < 0)
			return -1;
		portal_buf_printf(out, "--%s--\r\n", mixed);
	}
	return out->overflow ? -1 : 0;
}
