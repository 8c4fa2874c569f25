/* buf.c - growable byte buffer with a hard cap (see buf.h). */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void portal_buf_init(portal_buf *b, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->cap = cap ? cap : PORTAL_BUF_DEFAULT_CAP;
}

void portal_buf_free(portal_buf *b)
{
	size_t cap = b->cap;
	free(b->data);
	portal_buf_init(b, cap);
}

void portal_buf_reset(portal_buf *b)
{
	b->len = 0;
	b->overflow = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* Make room for `extra` more bytes plus the terminating NUL. */
static int buf_reserve(portal_buf *b, size_t extra)
{
	size_t need, n;
	char *p;

	if (b->overflow)
		return -1;
	if (extra > b->cap || b->len > b->cap - extra) {
		b->overflow = 1;
		return -1;
	}
	need = b->len + extra + 1;
	if (need <= b->alloc)
		return 0;
	n = b->alloc ? b->alloc : 256;
	while (n < need)
		n *= 2;
	if ((p = realloc(b->data, n)) == NULL) {
		b->overflow = 1;
		return -1;
	}
	b->data = p;
	b->alloc = n;
	return 0;
}

int portal_buf_append(portal_buf *b, const void *data, size_t len)
{
	if (buf_reserve(b, len) < 0)
		return -1;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int portal_buf_puts(portal_buf *b, const char *s)
{
	return portal_buf_append(b, s, strlen(s));
}

int portal_buf_putc(portal_buf *b, char c)
{
	return portal_buf_append(b, &c, 1);
}

int portal_buf_vprintf(portal_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || buf_reserve(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int portal_buf_printf(portal_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = portal_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int portal_buf_put_html(portal_buf *b, const char *s, size_t len)
{
	size_t i, start = 0;
	const char *rep;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '`': rep = "&#96;"; break;
		case '=': rep = "&#61;"; break;
		default: continue;
		}
		if (portal_buf_append(b, s + start, i - start) < 0 ||
		    portal_buf_puts(b, rep) < 0)
			return -1;
		start = i + 1;
	}
	return portal_buf_append(b, s + start, len - start);
}

int portal_csv_field(portal_buf *b, const char *s)
{
	const char *p;
	int guard;

	if (s == NULL)
		s = "";
	/* a spreadsheet runs a cell that starts with one of these as a formula
	 * (tab and CR too: some strip them first); the guard goes inside the
	 * quotes, so that it is part of the one cell */
	guard = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
	if (!guard && strpbrk(s, ",\"\r\n") == NULL)
		return portal_buf_puts(b, s);
	if (portal_buf_putc(b, '"') < 0 || (guard && portal_buf_putc(b, '\'') < 0))
		return -1;
	for (p = s; *p; p++)
		if ((*p == '"' && portal_buf_putc(b, '"') < 0) || portal_buf_putc(b, *p) < 0)
			return -1;
	return portal_buf_putc(b, '"');
}

int portal_ical_text(portal_buf *b, const char *s)
{
	for (; s && *s; s++) {
		int rc;
		switch (*s) {
		case '\\': rc = portal_buf_puts(b, "\\\\"); break;
		case ';':  rc = portal_buf_puts(b, "\\;"); break;
		case ',':  rc = portal_buf_puts(b, "\\,"); break;
		case '\n': rc = portal_buf_puts(b, "\\n"); break;
		case '\r': rc = 0; break;
		default:   rc = portal_buf_putc(b, *s); break;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

int portal_url_encode(portal_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
			if (portal_buf_putc(b, (char)*p) < 0)
				return -1;
		} else {
			char esc[3] = { '%', hex[*p >> 4], hex[*p & 15] };
			if (portal_buf_append(b, esc, 3) < 0)
				return -1;
		}
	}
	return 0;
}

char *portal_buf_steal(portal_buf *b)
{
	char *p = b->data;
	size_t cap = b->cap;

	if (p == NULL)
		return NULL;
	portal_buf_init(b, cap);
	return p;
}
