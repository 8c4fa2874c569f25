/* buf.h - a growable byte buffer with a hard size cap.
 *
 * Every piece of libportal that builds output (templates, JSON, CSV, the
 * response body) writes into a portal_buf.  A buffer never grows past its cap:
 * a write that would pass it fails and sets `overflow`, so a runaway template
 * or a huge list cannot take the worker's memory.
 */
#ifndef PORTAL_BUF_H
#define PORTAL_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct portal_buf {
	char   *data;     /* NUL-terminated while len < cap; owned by the buffer */
	size_t  len;      /* bytes written */
	size_t  alloc;    /* bytes allocated */
	size_t  cap;      /* hard limit on len; 0 means PORTAL_BUF_DEFAULT_CAP */
	int     overflow; /* set once a write was refused (cap or out of memory) */
} portal_buf;

#define PORTAL_BUF_DEFAULT_CAP (8u * 1024u * 1024u)

/* Initialise an empty buffer that may grow to `cap` bytes (0: the default). */
void portal_buf_init(portal_buf *b, size_t cap);

/* Free the buffer's memory; the struct may be initialised again. */
void portal_buf_free(portal_buf *b);

/* Forget the contents but keep the memory. */
void portal_buf_reset(portal_buf *b);

/* Append `len` bytes.  Returns 0, or -1 (and sets overflow) when refused. */
int portal_buf_append(portal_buf *b, const void *data, size_t len);

/* Append a NUL-terminated string. */
int portal_buf_puts(portal_buf *b, const char *s);

/* Append one byte. */
int portal_buf_putc(portal_buf *b, char c);

/* Append printf-style formatted text. */
int portal_buf_printf(portal_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int portal_buf_vprintf(portal_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Append `s` (length `len`) escaped for HTML text and attribute values:
 * & < > " ' ` = are written as character references. */
int portal_buf_put_html(portal_buf *b, const char *s, size_t len);

/* Append `s` (NULL: "") as one RFC 4180 CSV field: quoted when it holds a
 * comma, quote, CR or LF (quotes doubled).  A value that starts with = + -
 * @ tab or CR is always quoted and prefixed with ' inside the quotes
 * ("'=1+2,x"), so that a spreadsheet reads the one cell as text, never as
 * a formula.  Returns 0, or -1 when the buffer refused. */
int portal_csv_field(portal_buf *b, const char *s);

/* Append `s` escaped as iCalendar TEXT (RFC 5545 3.3.11: \\ \; \, \n). */
int portal_ical_text(portal_buf *b, const char *s);

/* Append `s` %-encoded for a URL query value (unreserved characters and
 * '/' kept). */
int portal_url_encode(portal_buf *b, const char *s);

/* Take the contents as a malloc'd NUL-terminated string the caller frees;
 * the buffer is left empty. Returns NULL when the buffer holds nothing. */
char *portal_buf_steal(portal_buf *b);

#endif
