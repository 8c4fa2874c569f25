/* parse.c - parsers for untrusted request input (see parse.h).
 *
 * Everything here reads bytes a stranger sent.  Each parser checks a length
 * before it uses it, decodes into a buffer it owns, checks the decoded bytes
 * (UTF-8, no NUL, the limits) and only then hands them to jansson.  Errors
 * go back through a portal_parse_error; nothing here aborts or logs.
 */
#include "parse.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const portal_limits portal_default_limits = {64 * 1024, 256, 16 * 1024, 16};

/* Names longer than this are not quoted back in messages. */
#define NAME_SHOWN_MAX 40

/*
 * Return the length of the longest prefix of s[0..len) that does not end
 * inside a UTF-8 sequence: used after a fixed-size buffer truncated a
 * message, so a message is never cut in the middle of a character.
 */
static size_t utf8_whole_prefix(const char *s, size_t len)
{
	size_t i = len, lead;
	unsigned char c;
	size_t need;

	/* Walk back over at most three continuation bytes to the lead byte. */
	while (i > 0 && len - i < 4 &&
	    ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return len;
	lead = i - 1;
	c = (unsigned char)s[lead];
	if (c < 0x80)
		return len;
	if (c >= 0xF0)
		need = 4;
	else if (c >= 0xE0)
		need = 3;
	else if (c >= 0xC0)
		need = 2;
	else
		return len;
	return len - lead >= need ? len : lead;
}

/*
 * Copy src into dst (size dstsz), truncating on a character boundary.
 * Takes: dst, its size (> 0), a NUL-terminated src.  Returns nothing.
 */
static void copy_text(char *dst, size_t dstsz, const char *src)
{
	size_t n = strlen(src);

	if (n >= dstsz)
		n = utf8_whole_prefix(src, dstsz - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/*
 * Fill *err: status, code, field (may be NULL) and a printf-style message.
 * Takes: err (may be NULL, then nothing happens).  Strings longer than the
 * struct's arrays are cut on a UTF-8 character boundary.
 */
void portal_parse_error_set(portal_parse_error *err, int status, const char *code,
                            const char *field, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err == NULL)
		return;
	memset(err, 0, sizeof(*err));
	err->status = status;
	copy_text(err->code, sizeof(err->code), code ? code : "");
	copy_text(err->field, sizeof(err->field), field ? field : "");
	va_start(ap, fmt);
	n = vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	if (n < 0)
		err->message[0] = '\0';
	else if ((size_t)n >= sizeof(err->message))
		err->message[utf8_whole_prefix(err->message,
		    sizeof(err->message) - 1)] = '\0';
}

/*
 * Strict UTF-8 check.  Takes s[0..len).  Returns 1 when every sequence is the
 * shortest encoding of a scalar value in U+0001..U+10FFFF other than a
 * surrogate, 0 otherwise (NUL bytes included).
 */
int portal_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, k;
	unsigned long cp, min;

	if (s == NULL)
		return len == 0;
	while (i < len) {
		unsigned char c = p[i];

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 2;
			cp = c & 0x1F;
			min = 0x80;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 3;
			cp = c & 0x0F;
			min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 4;
			cp = c & 0x07;
			min = 0x10000;
		} else
			return 0; /* continuation byte, C0/C1 overlong lead, F5..FF */
		if (len - i < n)
			return 0;
		for (k = 1; k < n; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n;
	}
	return 1;
}

/*
 * Describe a field name for a message: "\"name\"" when it is short, valid
 * UTF-8 and printable, else "" (the caller then words the message without
 * it).  Takes the name and its length, writes into out[outsz].
 */
static void shown_name(const char *name, size_t len, char *out, size_t outsz)
{
	size_t i;

	out[0] = '\0';
	if (len == 0 || len > NAME_SHOWN_MAX || len + 3 > outsz ||
	    !portal_utf8_valid(name, len))
		return;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || c == 0x7F || c == '"' || c == '\\')
			return;
	}
	out[0] = '"';
	memcpy(out + 1, name, len);
	out[len + 1] = '"';
	out[len + 2] = '\0';
}

/*
 * Write the subject of a message about one field into out[outsz]: the
 * definite form naming the field ("The form field \"name\"") when the name
 * can be shown, else the indefinite one ("A form field").
 */
static void field_subject(char *out, size_t outsz, const char *definite,
                          const char *indefinite, const char *name, size_t len)
{
	char shown[NAME_SHOWN_MAX + 3];

	shown_name(name, len, shown, sizeof(shown));
	if (shown[0] != '\0')
		snprintf(out, outsz, "%s %s", definite, shown);
	else
		snprintf(out, outsz, "%s", indefinite);
}

/* Set err->field to the name when it is safe to show (see shown_name). */
static void error_field(portal_parse_error *err, const char *name, size_t len)
{
	char shown[NAME_SHOWN_MAX + 3];

	if (err == NULL)
		return;
	shown_name(name, len, shown, sizeof(shown));
	if (shown[0] != '\0') {
		shown[strlen(shown) - 1] = '\0';
		copy_text(err->field, sizeof(err->field), shown + 1);
	}
}

/* Return the value of hex digit c, or -1. */
static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * %-decode s[0..len) into dst ('+' is a space).  dst must hold len + 1 bytes;
 * the result is NUL-terminated and its length stored in *outlen.
 * Returns 0, or -1 when a '%' is not followed by two hex digits (*bad is set
 * to the offset of that '%').
 */
static int url_decode(const char *s, size_t len, char *dst, size_t *outlen,
                      size_t *bad)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '+') {
			dst[o++] = ' ';
		} else if (c == '%') {
			if (len - i < 3 ||
			    (hi = hex_value((unsigned char)s[i + 1])) < 0 ||
			    (lo = hex_value((unsigned char)s[i + 2])) < 0) {
				*bad = i;
				return -1;
			}
			dst[o++] = (char)((hi << 4) | lo);
			i += 2;
		} else
			dst[o++] = (char)c;
	}
	dst[o] = '\0';
	*outlen = o;
	return 0;
}

/*
 * Add name -> value to `out`: a first value is a string, a second turns it
 * into an array, later ones are appended.  Takes NUL-terminated, checked
 * name and value.  Returns 0, or -1 when memory ran out.
 */
static int add_repeated(json_t *out, const char *name, const char *value,
                        size_t vlen)
{
	json_t *old, *str = NULL, *arr = NULL;

	if ((str = json_stringn(value, vlen)) == NULL)
		goto fail;
	old = json_object_get(out, name);
	if (old == NULL) {
		if (json_object_set_new(out, name, str) < 0) {
			str = NULL;
			goto fail;
		}
		return 0;
	}
	if (json_is_array(old)) {
		if (json_array_append_new(old, str) < 0) {
			str = NULL;
			goto fail;
		}
		return 0;
	}
	if ((arr = json_array()) == NULL ||
	    json_array_append(arr, old) < 0)
		goto fail;
	if (json_array_append_new(arr, str) < 0) {
		str = NULL;
		goto fail;
	}
	str = NULL;
	if (json_object_set_new(out, name, arr) < 0) {
		arr = NULL;
		goto fail;
	}
	return 0;
fail:
	json_decref(str);
	json_decref(arr);
	return -1;
}

/* The buffers and counters of one urlencoded decoding. */
struct form_walk {
	const portal_limits *lim;
	json_t              *out;
	char                *name;   /* decoded name, len + 1 bytes */
	char                *value;  /* decoded value, len + 1 bytes */
	size_t               fields;
};

/* Decode and keep one pair "name=value" (eq == amp when it has no '=').
 * Returns 0 (kept, or skipped for an empty name) or -1 with err set. */
static int form_pair(struct form_walk *w, const char *pair, const char *eq,
                     const char *amp, portal_parse_error *err)
{
	char subject[NAME_SHOWN_MAX + 32];
	size_t nlen, vlen = 0, bad;

	if (url_decode(pair, (size_t)(eq - pair), w->name, &nlen, &bad) < 0) {
		portal_parse_error_set(err, 400, "invalid_encoding", NULL,
		    "A form field name has a bad %%-escape: write a "
		    "percent sign as %%25 and other escapes as %% and "
		    "two hex digits.");
		return -1;
	}
	if (nlen == 0)
		return 0;
	field_subject(subject, sizeof(subject), "The form field",
	    "A form field", w->name, nlen);
	if (++w->fields > w->lim->max_fields) {
		portal_parse_error_set(err, 413, "too_large", NULL,
		    "The form has more than %zu fields: send fewer.",
		    w->lim->max_fields);
		return -1;
	}
	if (nlen > w->lim->max_field_len) {
		portal_parse_error_set(err, 413, "too_large", NULL,
		    "A form field name is longer than %zu bytes: send "
		    "a shorter one.", w->lim->max_field_len);
		return -1;
	}
	if (!portal_utf8_valid(w->name, nlen)) {
		portal_parse_error_set(err, 400, "invalid_encoding", NULL,
		    "A form field name is not valid UTF-8: send text in "
		    "UTF-8, without NUL bytes.");
		return -1;
	}
	w->value[0] = '\0';
	if (eq < amp && url_decode(eq + 1, (size_t)(amp - eq - 1),
	    w->value, &vlen, &bad) < 0) {
		portal_parse_error_set(err, 400, "invalid_encoding", NULL,
		    "%s has a bad %%-escape: write a percent sign as "
		    "%%25 and other escapes as %% and two hex digits.",
		    subject);
		error_field(err, w->name, nlen);
		return -1;
	}
	if (vlen > w->lim->max_field_len) {
		portal_parse_error_set(err, 413, "too_large", NULL,
		    "%s is longer than %zu bytes: send less.", subject,
		    w->lim->max_field_len);
		error_field(err, w->name, nlen);
		return -1;
	}
	if (!portal_utf8_valid(w->value, vlen)) {
		portal_parse_error_set(err, 400, "invalid_encoding", NULL,
		    "%s is not valid UTF-8: send text in UTF-8, without "
		    "NUL bytes.", subject);
		error_field(err, w->name, nlen);
		return -1;
	}
	if (add_repeated(w->out, w->name, w->value, vlen) < 0) {
		portal_parse_error_set(err, 500, "internal_error", NULL,
		    "The server ran out of memory: try again later.");
		return -1;
	}
	return 0;
}

/*
 * Decode a query string or urlencoded form into `out` (see parse.h).
 * Every name=value pair counts towards max_fields, so a name repeated many
 * times is bounded too; the input as a whole must fit in max_body.  A pair
 * with an empty name ("=x") is skipped like an empty pair.  Owns nothing
 * after it returns: the decoding buffer is freed on every path.
 */
int portal_parse_urlencoded(const char *s, size_t len, const portal_limits *lim,
                            json_t *out, portal_parse_error *err)
{
	struct form_walk w = { 0 };
	const char *pair, *end, *amp, *eq;
	int rc = -1;

	if (lim == NULL)
		lim = &portal_default_limits;
	if (s == NULL)
		len = 0;
	if (out == NULL || !json_is_object(out)) {
		portal_parse_error_set(err, 500, "internal_error", NULL,
		    "The form could not be read: try again later.");
		goto done;
	}
	if (len > lim->max_body) {
		portal_parse_error_set(err, 413, "too_large", NULL,
		    "The request is larger than %zu bytes: send less.",
		    lim->max_body);
		goto done;
	}
	w.lim = lim;
	w.out = out;
	/* Decoded text is never longer than the encoded text. */
	if ((w.name = malloc(len + 1)) == NULL ||
	    (w.value = malloc(len + 1)) == NULL) {
		portal_parse_error_set(err, 500, "internal_error", NULL,
		    "The server ran out of memory: try again later.");
		goto done;
	}
	end = s + len;
	for (pair = s; pair < end; pair = amp + 1) {
		if ((amp = memchr(pair, '&', (size_t)(end - pair))) == NULL)
			amp = end;
		if (amp == pair)
			continue; /* empty pair: "a=1&&b=2" */
		if ((eq = memchr(pair, '=', (size_t)(amp - pair))) == NULL)
			eq = amp;
		if (form_pair(&w, pair, eq, amp, err) < 0)
			goto done;
		if (amp == end)
			break;
	}
	rc = 0;
done:
	free(w.name);
	free(w.value);
	return rc;
}

/* Is c a space a Cookie header may hold around a pair? */
static int cookie_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Keep one cookie, name ns (nlen bytes, not empty) with value vs (vlen
 * bytes), in `out` unless a cookie of that name came first; `name` is a
 * buffer of at least nlen + 1 bytes.  Returns 0, or -1 with err set. */
static int cookie_keep(const portal_limits *lim, json_t *out, char *name, size_t *fields,
                       const char *ns, size_t nlen, const char *vs, size_t vlen,
                       portal_parse_error *err)
{
	char subject[NAME_SHOWN_MAX + 32];
	json_t *str;

	if (++*fields > lim->max_fields) {
		portal_parse_error_set(err, 413, "too_large", NULL,
		    "The browser sent more than %zu cookies: clear this "
		    "site's cookies and sign in again.", lim->max_fields);
		return -1;
	}
	if (nlen > lim->max_field_len || vlen > lim->max_field_len) {
		field_subject(subject, sizeof(subject), "The cookie",
		    "A cookie", ns, nlen);
		portal_parse_error_set(err, 413, "too_large", NULL,
		    "%s is longer than %zu bytes: clear this site's "
		    "cookies and sign in again.", subject,
		    lim->max_field_len);
		error_field(err, ns, nlen);
		return -1;
	}
	if (!portal_utf8_valid(ns, nlen) || !portal_utf8_valid(vs, vlen)) {
		field_subject(subject, sizeof(subject), "The cookie",
		    "A cookie", ns, nlen);
		portal_parse_error_set(err, 400, "invalid_encoding", NULL,
		    "%s is not valid UTF-8: clear this site's cookies "
		    "and sign in again.", subject);
		error_field(err, ns, nlen);
		return -1;
	}
	memcpy(name, ns, nlen);
	name[nlen] = '\0';
	if (json_object_get(out, name) != NULL)
		return 0; /* the first occurrence wins */
	if ((str = json_stringn(vs, vlen)) == NULL ||
	    json_object_set_new(out, name, str) < 0) {
		portal_parse_error_set(err, 500, "internal_error", NULL,
		    "The server ran out of memory: try again later.");
		return -1;
	}
	return 0;
}

/* Narrow [*b, *e) past the spaces a Cookie header may hold around it. */
static void cookie_trim(const char **b, const char **e)
{
	while (*b < *e && cookie_space(**b))
		(*b)++;
	while (*e > *b && cookie_space((*e)[-1]))
		(*e)--;
}

/*
 * Decode a Cookie header into `out` (see parse.h).  Every pair with an '='
 * counts towards max_fields; the header must fit in max_body.  A pair with
 * an empty name is skipped.  Owns nothing after it returns.
 */
int portal_parse_cookies(const char *s, size_t len, const portal_limits *lim,
                         json_t *out, portal_parse_error *err)
{
	char *name = NULL;
	const char *pair, *end, *semi, *eq, *ns, *ne, *vs, *ve;
	size_t fields = 0;
	int rc = -1;

	if (lim == NULL)
		lim = &portal_default_limits;
	if (s == NULL)
		len = 0;
	if (out == NULL || !json_is_object(out)) {
		portal_parse_error_set(err, 500, "internal_error", NULL,
		    "The cookies could not be read: try again later.");
		goto done;
	}
	if (len > lim->max_body) {
		portal_parse_error_set(err, 413, "too_large", NULL,
		    "The Cookie header is larger than %zu bytes: clear this "
		    "site's cookies and sign in again.", lim->max_body);
		goto done;
	}
	if ((name = malloc(len + 1)) == NULL) {
		portal_parse_error_set(err, 500, "internal_error", NULL,
		    "The server ran out of memory: try again later.");
		goto done;
	}
	end = s + len;
	for (pair = s; pair < end; pair = semi + 1) {
		if ((semi = memchr(pair, ';', (size_t)(end - pair))) == NULL)
			semi = end;
		if ((eq = memchr(pair, '=', (size_t)(semi - pair))) != NULL) {
			ns = pair;
			ne = eq;
			cookie_trim(&ns, &ne);
			vs = eq + 1;
			ve = semi;
			cookie_trim(&vs, &ve);
			if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
				vs++;
				ve--;
			}
			if (ne > ns && cookie_keep(lim, out, name, &fields, ns, (size_t)(ne - ns),
			                           vs, (size_t)(ve - vs), err) < 0)
				goto done;
		}
		if (semi == end)
			break;
	}
	rc = 0;
done:
	free(name);
	return rc;
}

/* Counters carried through the walk of a JSON body. */
struct json_walk {
	const portal_limits *lim;
	size_t               fields;
};

/*
 * Check one value of a parsed body and everything under it: depth (the
 * top-level object is depth 1), the running count of keys and array
 * elements, and string lengths (keys and values).  Recursion stops at
 * max_depth + 1.  Returns 0, or -1 with *err filled.
 */
static int json_walk_value(struct json_walk *w, const json_t *v, size_t depth,
                           portal_parse_error *err)
{
	const char *key;
	json_t *child;
	size_t i, klen;

	switch (json_typeof(v)) {
	case JSON_STRING:
		if (json_string_length(v) > w->lim->max_field_len) {
			portal_parse_error_set(err, 413, "too_large", NULL,
			    "A text value in the body is longer than %zu bytes: "
			    "send less.", w->lim->max_field_len);
			return -1;
		}
		return 0;
	case JSON_OBJECT:
	case JSON_ARRAY:
		break;
	default:
		return 0;
	}
	if (depth > w->lim->max_depth) {
		portal_parse_error_set(err, 400, "invalid_json", NULL,
		    "The body nests objects and arrays more than %zu deep: "
		    "send a flatter body.", w->lim->max_depth);
		return -1;
	}
	if (json_is_array(v)) {
		json_array_foreach(v, i, child) {
			if (++w->fields > w->lim->max_fields)
				goto too_many;
			if (json_walk_value(w, child, depth + 1, err) < 0)
				return -1;
		}
		return 0;
	}
	json_object_foreach((json_t *)v, key, child) {
		if (++w->fields > w->lim->max_fields)
			goto too_many;
		klen = strlen(key);
		if (klen > w->lim->max_field_len) {
			portal_parse_error_set(err, 413, "too_large", NULL,
			    "A key in the body is longer than %zu bytes: send a "
			    "shorter one.", w->lim->max_field_len);
			return -1;
		}
		if (json_walk_value(w, child, depth + 1, err) < 0)
			return -1;
	}
	return 0;
too_many:
	portal_parse_error_set(err, 413, "too_large", NULL,
	    "The body has more than %zu keys and list items in all: send "
	    "fewer.", w->lim->max_fields);
	return -1;
}

/*
 * Find the first byte that is not JSON white space in s[0..len).  Returns
 * its offset (len when there is none) and sets its line and column (from 1).
 */
static size_t first_token_at(const char *s, size_t len, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < len; i++) {
		if (s[i] == '\n') {
			if (*line < INT_MAX)
				(*line)++;
			*col = 1;
		} else if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r') {
			if (*col < INT_MAX)
				(*col)++;
		} else
			break;
	}
	return i;
}

/* The error for a body jansson could not load, from its error `jerr`. */
static void json_load_error(const json_error_t *jerr, portal_parse_error *err)
{
	enum json_error_code code = json_error_code(jerr);
	int eline = jerr->line > 0 ? jerr->line : 1;
	int ecol = jerr->column > 0 ? jerr->column : 1;

	if (code == json_error_null_character ||
	    code == json_error_null_byte_in_key) {
		portal_parse_error_set(err, 400, "invalid_encoding", NULL,
		    "The body holds a NUL character (\\u0000) at line "
		    "%d, column %d: remove it.", eline, ecol);
	} else if (code == json_error_invalid_utf8 ||
	    strncmp(jerr->text, "invalid Unicode '", 17) == 0) {
		portal_parse_error_set(err, 400, "invalid_encoding", NULL,
		    "The body holds an invalid Unicode escape (line %d, "
		    "column %d): escape characters outside the basic "
		    "plane as a surrogate pair.", eline, ecol);
	} else if (code == json_error_duplicate_key) {
		portal_parse_error_set(err, 400, "invalid_json", NULL,
		    "The body repeats a key in one object (line %d, "
		    "column %d): send each key once.", eline, ecol);
	} else if (code == json_error_numeric_overflow) {
		portal_parse_error_set(err, 400, "invalid_json", NULL,
		    "The body holds a number too large to use (line %d, "
		    "column %d): send a smaller number.", eline, ecol);
	} else if (code == json_error_out_of_memory) {
		portal_parse_error_set(err, 500, "internal_error", NULL,
		    "The server ran out of memory: try again later.");
	} else {
		portal_parse_error_set(err, 400, "invalid_json", NULL,
		    "The body is not valid JSON (line %d, column %d): "
		    "check the syntax.", eline, ecol);
	}
}

/*
 * Parse a JSON body that must be one object (see parse.h).  Takes s[0..len)
 * (need not be NUL-terminated).  On success *out is a new reference the
 * caller owns; on failure *out is NULL.
 */
int portal_parse_json_body(const char *s, size_t len, const portal_limits *lim,
                           json_t **out, portal_parse_error *err)
{
	struct json_walk w;
	json_error_t jerr;
	json_t *root = NULL;
	int line, col;

	if (out == NULL) {
		portal_parse_error_set(err, 500, "internal_error", NULL,
		    "The body could not be read: try again later.");
		goto fail;
	}
	*out = NULL;
	if (lim == NULL)
		lim = &portal_default_limits;
	if (s == NULL)
		len = 0;
	if (len > lim->max_body) {
		portal_parse_error_set(err, 413, "too_large", NULL,
		    "The request body is larger than %zu bytes: send less.",
		    lim->max_body);
		goto fail;
	}
	if (first_token_at(s, len, &line, &col) == len) {
		portal_parse_error_set(err, 400, "invalid_json", NULL,
		    "The body is empty: send a JSON object, like {\"name\": "
		    "\"value\"}.");
		goto fail;
	}
	if (!portal_utf8_valid(s, len)) {
		portal_parse_error_set(err, 400, "invalid_encoding", NULL,
		    "The body is not valid UTF-8 or holds a NUL byte: send "
		    "JSON text in UTF-8.");
		goto fail;
	}
	if ((root = json_loadb(s, len, JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
		json_load_error(&jerr, err);
		goto fail;
	}
	if (!json_is_object(root)) {
		portal_parse_error_set(err, 400, "invalid_json", NULL,
		    "The body is not a JSON object (line %d, column %d): send "
		    "one object, like {\"name\": \"value\"}.", line, col);
		goto fail;
	}
	w.lim = lim;
	w.fields = 0;
	if (json_walk_value(&w, root, 1, err) < 0)
		goto fail;
	*out = root;
	return 0;
fail:
	json_decref(root);
	return -1;
}

/* 1 when s holds only what a local path may: printable ASCII other than
 * space and backslash, starting with exactly one '/'. */
static int local_path_chars_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (p[0] != '/' || p[1] == '/')
		return 0;
	for (; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '\\')
			return 0;
	return 1;
}

int portal_local_path_ok(const char *s)
{
	char cur[PORTAL_LOCAL_PATH_MAX + 1], next[PORTAL_LOCAL_PATH_MAX + 1];
	size_t i, o, n;
	int round, hi, lo;

	if (s == NULL || (n = strlen(s)) == 0 || n > PORTAL_LOCAL_PATH_MAX)
		return 0;
	memcpy(cur, s, n + 1);
	/* decode %XX until nothing changes (a bounded number of times), and
	 * apply the rule to every form: a proxy or browser that decodes once
	 * more must not find "//", "/\", a tab or a space either */
	for (round = 0; round < 4; round++) {
		if (!local_path_chars_ok(cur))
			return 0;
		if (strchr(cur, '%') == NULL)
			return 1;
		for (i = o = 0; cur[i]; i++) {
			if (cur[i] != '%') {
				next[o++] = cur[i];
				continue;
			}
			if ((hi = hex_value((unsigned char)cur[i + 1])) < 0 ||
			    (lo = hex_value((unsigned char)cur[i + 2])) < 0)
				return 0;  /* a bare '%': not what the portal makes */
			next[o++] = (char)((hi << 4) | lo);
			i += 2;
		}
		next[o] = '\0';
		memcpy(cur, next, o + 1);
	}
	return 0;  /* still encoded after four rounds: refused */
}
