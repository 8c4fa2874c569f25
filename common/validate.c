/* validate.c - declared fields, validated before a handler uses them
 * (see validate.h).
 *
 * Each declared field is looked up in the input, checked against its rule
 * and converted; a wrong field gets one message that names it and says what
 * to enter.  Rules are strict: no junk after a number, no control
 * characters in text, only real calendar dates.
 *
 * NOTE on empty values: a present but empty STRING is kept as "" and an
 * empty list as [] (so an edit form can clear them); an empty INT, BOOL
 * from JSON null, ENUM, TIME or DATE cannot be converted and is left out
 * like an absent field.  A required field that is absent or empty is an
 * error in every case.
 */
#include "validate.h"

#include "buf.h"
#include "parse.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define LIST_ITEMS_DEFAULT 100 /* max_items when a field says 0 */
#define MESSAGE_CAP        4096 /* bytes in one error message */
#define INT_TEXT_MAX       64   /* bytes of a decimal integer, sign included */

/* The outcome of checking one field. */
enum check {
	CHECK_OK,      /* *result set (a new reference) */
	CHECK_EMPTY,   /* absent, null or empty: missing when required */
	CHECK_BAD,     /* the message buffer says what is wrong */
	CHECK_NOMEM    /* memory ran out */
};

/* ASCII-only character classes: the locale must not change a rule. */
static int ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int ascii_lower(char c) { return c >= 'a' && c <= 'z'; }
static int ascii_digit(char c) { return c >= '0' && c <= '9'; }
static int ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Return the ASCII lower-case form of c. */
static char ascii_tolower(char c)
{
	return ascii_upper(c) ? (char)(c - 'A' + 'a') : c;
}

/* Return the name the page uses for a field: its label, else its name. */
static const char *field_label(const portal_field *f)
{
	if (f->label != NULL && f->label[0] != '\0')
		return f->label;
	return f->name;
}

/*
 * Append the field's label to b.  With `lower`, the first letter is made
 * lower case for use inside a sentence ("Capacity" -> "capacity"), unless
 * the label starts with an acronym ("NGO name" stays).  Without it, the
 * first letter is made upper case for the start of a sentence.
 */
static void put_label(portal_buf *b, const portal_field *f, int lower)
{
	const char *l = field_label(f);

	if (lower && ascii_upper(l[0]) && !ascii_upper(l[1])) {
		portal_buf_putc(b, ascii_tolower(l[0]));
		portal_buf_puts(b, l + 1);
	} else if (!lower && ascii_lower(l[0])) {
		portal_buf_putc(b, (char)(l[0] - 'a' + 'A'));
		portal_buf_puts(b, l + 1);
	} else
		portal_buf_puts(b, l);
}

/*
 * Append "a <label>" or "an <label>" (label lower-cased as in put_label).
 * An acronym takes "an" when its first letter is spoken with a vowel sound.
 */
static void put_a_label(portal_buf *b, const portal_field *f)
{
	const char *l = field_label(f);
	int an;

	if (ascii_upper(l[0]) && ascii_upper(l[1]))
		an = strchr("AEFHILMNORSX", l[0]) != NULL;
	else
		an = l[0] != '\0' && strchr("aeiouAEIOU", l[0]) != NULL;
	portal_buf_puts(b, an ? "an " : "a ");
	put_label(b, f, 1);
}

/* Append the field's choices as "a, b, c". */
static void put_choices(portal_buf *b, const portal_field *f)
{
	size_t i;

	if (f->choices == NULL)
		return;
	for (i = 0; f->choices[i] != NULL; i++) {
		if (i > 0)
			portal_buf_puts(b, ", ");
		portal_buf_puts(b, f->choices[i]);
	}
}

/* Narrow s[0..*len) past leading and trailing ASCII white space. */
static void trim(const char **s, size_t *len)
{
	while (*len > 0 && ascii_space((*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ascii_space((*s)[*len - 1]))
		(*len)--;
}

/* When v is a JSON string: 1, with s[0..len) its value trimmed; else 0. */
static int trimmed_string(const json_t *v, const char **s, size_t *len)
{
	if (!json_is_string(v))
		return 0;
	*s = json_string_value(v);
	*len = json_string_length(v);
	trim(s, len);
	return 1;
}

/*
 * Return 1 when s[0..len) is valid UTF-8 text holding no control
 * characters (C0, DEL, C1) other than tab, CR and LF; 0 otherwise.
 */
static int plain_text(const char *s, size_t len)
{
	size_t i;

	if (!portal_utf8_valid(s, len))
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') ||
		    c == 0x7F)
			return 0;
		/* U+0080..U+009F are encoded C2 80..C2 9F. */
		if (c == 0xC2 && i + 1 < len &&
		    (unsigned char)s[i + 1] <= 0x9F)
			return 0;
	}
	return 1;
}

/* Return the number of characters in valid UTF-8 s[0..len). */
static size_t utf8_chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/* Return 1 when s[0..len) equals the NUL-terminated word, ASCII case
 * ignored; 0 otherwise. */
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

/* Return the choice of f equal to s[0..len), or NULL. */
static const char *find_choice(const portal_field *f, const char *s, size_t len)
{
	size_t i;

	if (f->choices == NULL)
		return NULL;
	for (i = 0; f->choices[i] != NULL; i++)
		if (strlen(f->choices[i]) == len &&
		    memcmp(f->choices[i], s, len) == 0)
			return f->choices[i];
	return NULL;
}

/* Return the most items a list field may hold. */
static size_t list_limit(const portal_field *f)
{
	size_t n = f->max_items ? f->max_items : LIST_ITEMS_DEFAULT;

	if (f->type == PORTAL_FIELD_ENUM_LIST && f->max > 0 &&
	    (unsigned long long)f->max < n)
		n = (size_t)f->max;
	return n;
}

/*
 * Check a length in characters against a STRING's bounds (each bound of 0
 * or less is no bound).  Returns CHECK_OK, or CHECK_BAD after writing the
 * message that names the rule to msg, starting with `prefix` ("Each item
 * in ") and the label, or with the label alone when prefix is NULL.
 */
static enum check check_length(const portal_field *f, size_t chars,
                               const char *prefix, portal_buf *msg)
{
	int too_short = f->min > 0 && chars < (unsigned long long)f->min;
	int too_long = f->max > 0 && chars > (unsigned long long)f->max;

	if (!too_short && !too_long)
		return CHECK_OK;
	if (prefix != NULL) {
		portal_buf_puts(msg, prefix);
		put_label(msg, f, 1);
	} else
		put_label(msg, f, 0);
	if (f->min > 0 && f->max > 0)
		portal_buf_printf(msg, " must be between %lld and %lld characters",
		    f->min, f->max);
	else if (too_short)
		portal_buf_printf(msg, " must be %lld characters or more", f->min);
	else
		portal_buf_printf(msg, " must be %lld characters or fewer", f->max);
	return CHECK_BAD;
}

/* STRING: trimmed text; "" kept.  See enum check for the outcome. */
static enum check check_string(const portal_field *f, const json_t *v,
                               json_t **result, portal_buf *msg)
{
	const char *s;
	size_t len;
	enum check rc;

	if (!json_is_string(v)) {
		portal_buf_puts(msg, "Enter ");
		put_label(msg, f, 1);
		portal_buf_puts(msg, " as text");
		return CHECK_BAD;
	}
	s = json_string_value(v);
	len = json_string_length(v);
	trim(&s, &len);
	if (len == 0) {
		if (f->required)
			return CHECK_EMPTY;
		return (*result = json_string("")) ? CHECK_OK : CHECK_NOMEM;
	}
	if (!plain_text(s, len)) {
		put_label(msg, f, 0);
		portal_buf_puts(msg, " must be plain text: remove control "
		    "characters");
		return CHECK_BAD;
	}
	if ((rc = check_length(f, utf8_chars(s, len), NULL, msg)) != CHECK_OK)
		return rc;
	return (*result = json_stringn(s, len)) ? CHECK_OK : CHECK_NOMEM;
}

/* Append the "between min and max" rule of a bounded INT. */
static void put_int_range(portal_buf *msg, const portal_field *f)
{
	if (f->min != 0 || f->max != 0)
		portal_buf_printf(msg, " between %lld and %lld", f->min, f->max);
}

/*
 * Parse a decimal integer: optional sign, then digits, nothing else.
 * Takes s[0..len) (not NUL-terminated).  Returns 0 and sets *out, or -1.
 */
static int parse_decimal(const char *s, size_t len, long long *out)
{
	char text[INT_TEXT_MAX + 1];
	char *end;
	size_t i = 0;
	long long n;

	if (len == 0 || len > INT_TEXT_MAX)
		return -1;
	if (s[0] == '+' || s[0] == '-')
		i = 1;
	if (i == len)
		return -1;
	for (; i < len; i++)
		if (!ascii_digit(s[i]))
			return -1;
	memcpy(text, s, len);
	text[len] = '\0';
	errno = 0;
	n = strtoll(text, &end, 10);
	if (errno != 0 || end != text + len)
		return -1;
	*out = n;
	return 0;
}

/* INT: a JSON integer or a decimal string in min..max (0,0: unbounded). */
static enum check check_int(const portal_field *f, const json_t *v,
                            json_t **result, portal_buf *msg)
{
	const char *s;
	size_t len;
	long long n;

	if (json_is_integer(v)) {
		n = json_integer_value(v);
	} else if (trimmed_string(v, &s, &len)) {
		if (len == 0)
			return CHECK_EMPTY;
		if (parse_decimal(s, len, &n) < 0)
			goto not_number;
	} else
		goto not_number;
	if ((f->min != 0 || f->max != 0) && (n < f->min || n > f->max)) {
		portal_buf_puts(msg, "Enter ");
		put_a_label(msg, f);
		put_int_range(msg, f);
		return CHECK_BAD;
	}
	return (*result = json_integer(n)) ? CHECK_OK : CHECK_NOMEM;
not_number:
	portal_buf_puts(msg, "Enter ");
	put_a_label(msg, f);
	portal_buf_puts(msg, " as a whole number");
	put_int_range(msg, f);
	return CHECK_BAD;
}

/* BOOL: JSON true/false, or a form word ("on", "yes", "1", "" ...). */
static enum check check_bool(const portal_field *f, const json_t *v,
                             json_t **result, portal_buf *msg)
{
	static const char *const yes[] = {"true", "on", "yes", "1", NULL};
	static const char *const no[] = {"false", "off", "no", "0", "", NULL};
	const char *s;
	size_t len, i;

	if (json_is_boolean(v))
		return (*result = json_boolean(json_is_true(v))) ?
		    CHECK_OK : CHECK_NOMEM;
	if (trimmed_string(v, &s, &len)) {
		for (i = 0; yes[i] != NULL; i++)
			if (same_word(s, len, yes[i]))
				return (*result = json_true()) ?
				    CHECK_OK : CHECK_NOMEM;
		for (i = 0; no[i] != NULL; i++)
			if (same_word(s, len, no[i]))
				return (*result = json_false()) ?
				    CHECK_OK : CHECK_NOMEM;
	}
	portal_buf_puts(msg, "Choose yes or no for ");
	put_label(msg, f, 1);
	return CHECK_BAD;
}

/* ENUM: one of the field's choices, exactly (after trimming). */
static enum check check_enum(const portal_field *f, const json_t *v,
                             json_t **result, portal_buf *msg)
{
	const char *s, *choice;
	size_t len;

	if (trimmed_string(v, &s, &len)) {
		if (len == 0)
			return CHECK_EMPTY;
		if ((choice = find_choice(f, s, len)) != NULL)
			return (*result = json_string(choice)) ?
			    CHECK_OK : CHECK_NOMEM;
	}
	portal_buf_puts(msg, "Choose ");
	put_a_label(msg, f);
	portal_buf_puts(msg, ", one of: ");
	put_choices(msg, f);
	return CHECK_BAD;
}

/* Return 1 when the array holds a string equal to s, else 0. */
static int array_has(const json_t *arr, const char *s)
{
	const json_t *item;
	size_t i;

	json_array_foreach(arr, i, item)
		if (strcmp(json_string_value(item), s) == 0)
			return 1;
	return 0;
}

/*
 * Add the comma-separated choices in s[0..len) to list (a new array),
 * skipping empty pieces and repeats.  Returns CHECK_OK, CHECK_BAD (message
 * written) or CHECK_NOMEM.
 */
static enum check add_choices(const portal_field *f, const char *s, size_t len,
                              json_t *list, portal_buf *msg)
{
	const char *piece, *end = s + len, *comma, *choice;
	size_t plen, limit = list_limit(f);

	for (piece = s; piece <= end; piece = comma + 1) {
		if ((comma = memchr(piece, ',', (size_t)(end - piece))) == NULL)
			comma = end;
		plen = (size_t)(comma - piece);
		trim(&piece, &plen);
		if (plen > 0) {
			if ((choice = find_choice(f, piece, plen)) == NULL) {
				portal_buf_puts(msg, "Choose ");
				put_label(msg, f, 1);
				portal_buf_puts(msg, " only from: ");
				put_choices(msg, f);
				return CHECK_BAD;
			}
			if (!array_has(list, choice)) {
				if (json_array_size(list) >= limit) {
					portal_buf_printf(msg, "Choose no more "
					    "than %zu for ", limit);
					put_label(msg, f, 1);
					return CHECK_BAD;
				}
				if (json_array_append_new(list,
				    json_string(choice)) < 0)
					return CHECK_NOMEM;
			}
		}
		if (comma == end)
			break;
	}
	return CHECK_OK;
}

/* An adder of one list item s[0..len) to `list`: CHECK_OK, CHECK_BAD
 * (message written) or CHECK_NOMEM. */
typedef enum check (*item_adder)(const portal_field *f, const char *s, size_t len,
                                 json_t *list, portal_buf *msg);

/*
 * The items of a list field, given as one string or as a JSON array of
 * strings (a repeated form field), each passed to `add`.  Returns CHECK_OK
 * with *result the new array, CHECK_EMPTY (required and no item), CHECK_BAD
 * (message written; *bad_shape set when `v` is neither a string nor an
 * array of strings, for the caller to say what it takes) or CHECK_NOMEM.
 */
static enum check collect_items(const portal_field *f, const json_t *v, item_adder add,
                                json_t **result, portal_buf *msg, int *bad_shape)
{
	const json_t *item;
	json_t *list;
	enum check rc = CHECK_OK;
	size_t i;

	*bad_shape = 0;
	if (!json_is_string(v) && !json_is_array(v)) {
		*bad_shape = 1;
		return CHECK_BAD;
	}
	if ((list = json_array()) == NULL)
		return CHECK_NOMEM;
	if (json_is_string(v)) {
		rc = add(f, json_string_value(v), json_string_length(v), list, msg);
	} else {
		json_array_foreach(v, i, item) {
			if (!json_is_string(item)) {
				*bad_shape = 1;
				rc = CHECK_BAD;
				break;
			}
			rc = add(f, json_string_value(item), json_string_length(item), list, msg);
			if (rc != CHECK_OK)
				break;
		}
	}
	if (rc == CHECK_OK && json_array_size(list) == 0 && f->required)
		rc = CHECK_EMPTY;
	if (rc != CHECK_OK) {
		json_decref(list);
		return rc;
	}
	*result = list;
	return CHECK_OK;
}

/* ENUM_LIST: a JSON array, a repeated form field or "a,b"; deduplicated. */
static enum check check_enum_list(const portal_field *f, const json_t *v,
                                  json_t **result, portal_buf *msg)
{
	json_t *list = NULL;
	int bad_shape;
	enum check rc = collect_items(f, v, add_choices, &list, msg, &bad_shape);

	if (bad_shape) {
		portal_buf_puts(msg, "Choose ");
		put_label(msg, f, 1);
		portal_buf_puts(msg, " from: ");
		put_choices(msg, f);
		return CHECK_BAD;
	}
	if (rc != CHECK_OK)
		return rc;
	if (f->min > 0 && json_array_size(list) > 0 &&
	    json_array_size(list) < (unsigned long long)f->min) {
		json_decref(list);
		portal_buf_printf(msg, "Choose at least %lld for ", f->min);
		put_label(msg, f, 1);
		return CHECK_BAD;
	}
	*result = list;
	return CHECK_OK;
}

/*
 * Add one STRING_LIST item s[0..len) to list after trimming; empty items
 * are skipped.  Returns CHECK_OK, CHECK_BAD (message written) or
 * CHECK_NOMEM.
 */
static enum check add_text_item(const portal_field *f, const char *s,
                                size_t len, json_t *list, portal_buf *msg)
{
	enum check rc;

	trim(&s, &len);
	if (len == 0)
		return CHECK_OK;
	if (!plain_text(s, len)) {
		portal_buf_puts(msg, "Each item in ");
		put_label(msg, f, 1);
		portal_buf_puts(msg, " must be plain text: remove control "
		    "characters");
		return CHECK_BAD;
	}
	if ((rc = check_length(f, utf8_chars(s, len), "Each item in ", msg))
	    != CHECK_OK)
		return rc;
	if (json_array_size(list) >= list_limit(f)) {
		portal_buf_printf(msg, "Enter no more than %zu items for ",
		    list_limit(f));
		put_label(msg, f, 1);
		return CHECK_BAD;
	}
	if (json_array_append_new(list, json_stringn(s, len)) < 0)
		return CHECK_NOMEM;
	return CHECK_OK;
}

/* STRING_LIST: a JSON array of strings, a repeated form field or one
 * string; each item trimmed and checked like a STRING. */
static enum check check_string_list(const portal_field *f, const json_t *v,
                                    json_t **result, portal_buf *msg)
{
	int bad_shape;
	enum check rc = collect_items(f, v, add_text_item, result, msg, &bad_shape);

	if (bad_shape) {
		portal_buf_puts(msg, "Enter ");
		put_label(msg, f, 1);
		portal_buf_puts(msg, " as a list of text");
	}
	return rc;
}

/* Read exactly n ASCII digits at s as a number; -1 when one is not a digit. */
static int read_digits(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!ascii_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Return the days in month m (1..12) of year y, Gregorian calendar. */
static int days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30,
	                             31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* Return 1 when s[0..10) is "YYYY-MM-DD", a real date from year 1, else 0. */
static int date_at(const char *s)
{
	int y = read_digits(s, 4), m = read_digits(s + 5, 2),
	    d = read_digits(s + 8, 2);

	if (s[4] != '-' || s[7] != '-' || y < 1 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= days_in_month(y, m);
}

/*
 * Return 1 when s[0..len) is an RFC 3339 date-time with seconds and an
 * offset: "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" ('T' and 'Z'
 * may be lower case); 0 otherwise.  A leap second (:60) is refused.
 */
static int rfc3339_valid(const char *s, size_t len)
{
	size_t i;
	int h, mi, sec;

	if (len < 20 || !date_at(s) || (s[10] != 'T' && s[10] != 't'))
		return 0;
	h = read_digits(s + 11, 2);
	mi = read_digits(s + 14, 2);
	sec = read_digits(s + 17, 2);
	if (s[13] != ':' || s[16] != ':' || h < 0 || h > 23 || mi < 0 ||
	    mi > 59 || sec < 0 || sec > 59)
		return 0;
	i = 19;
	if (s[i] == '.') {
		for (i++; i < len && ascii_digit(s[i]); i++)
			;
		if (i == 20)
			return 0; /* a '.' needs a digit */
	}
	if (i < len && (s[i] == 'Z' || s[i] == 'z'))
		return i + 1 == len;
	if (len - i != 6 || (s[i] != '+' && s[i] != '-') || s[i + 3] != ':')
		return 0;
	h = read_digits(s + i + 1, 2);
	mi = read_digits(s + i + 4, 2);
	return h >= 0 && h <= 23 && mi >= 0 && mi <= 59;
}

/* TIME: RFC 3339 date-time with offset, kept as given (trimmed). */
static enum check check_time(const portal_field *f, const json_t *v,
                             json_t **result, portal_buf *msg)
{
	const char *s;
	size_t len;

	if (trimmed_string(v, &s, &len)) {
		if (len == 0)
			return CHECK_EMPTY;
		if (rfc3339_valid(s, len))
			return (*result = json_stringn(s, len)) ?
			    CHECK_OK : CHECK_NOMEM;
	}
	portal_buf_puts(msg, "Enter ");
	put_a_label(msg, f);
	portal_buf_puts(msg, " as a real date and time with its time zone, "
	    "like 2026-03-29T09:30:00+01:00");
	return CHECK_BAD;
}

/* DATE: "YYYY-MM-DD", a real calendar date. */
static enum check check_date(const portal_field *f, const json_t *v,
                             json_t **result, portal_buf *msg)
{
	const char *s;
	size_t len;

	if (trimmed_string(v, &s, &len)) {
		if (len == 0)
			return CHECK_EMPTY;
		if (len == 10 && date_at(s))
			return (*result = json_stringn(s, len)) ?
			    CHECK_OK : CHECK_NOMEM;
	}
	portal_buf_puts(msg, "Enter ");
	put_a_label(msg, f);
	portal_buf_puts(msg, " as a real date, like 2026-03-29");
	return CHECK_BAD;
}

/* Write the message for a required field that is absent or empty. */
static void put_missing(portal_buf *msg, const portal_field *f)
{
	switch (f->type) {
	case PORTAL_FIELD_INT:
	case PORTAL_FIELD_TIME:
	case PORTAL_FIELD_DATE:
		portal_buf_puts(msg, "Enter ");
		put_a_label(msg, f);
		break;
	case PORTAL_FIELD_ENUM:
		portal_buf_puts(msg, "Choose ");
		put_a_label(msg, f);
		break;
	case PORTAL_FIELD_ENUM_LIST:
		portal_buf_puts(msg, "Choose at least one for ");
		put_label(msg, f, 1);
		break;
	case PORTAL_FIELD_BOOL:
		portal_buf_puts(msg, "Choose yes or no for ");
		put_label(msg, f, 1);
		break;
	default:
		portal_buf_puts(msg, "Enter ");
		put_label(msg, f, 1);
		break;
	}
}

/* Check one present value against its field.  See enum check. */
static enum check check_field(const portal_field *f, const json_t *v,
                              json_t **result, portal_buf *msg)
{
	switch (f->type) {
	case PORTAL_FIELD_STRING:
		return check_string(f, v, result, msg);
	case PORTAL_FIELD_INT:
		return check_int(f, v, result, msg);
	case PORTAL_FIELD_BOOL:
		return check_bool(f, v, result, msg);
	case PORTAL_FIELD_ENUM:
		return check_enum(f, v, result, msg);
	case PORTAL_FIELD_ENUM_LIST:
		return check_enum_list(f, v, result, msg);
	case PORTAL_FIELD_STRING_LIST:
		return check_string_list(f, v, result, msg);
	case PORTAL_FIELD_TIME:
		return check_time(f, v, result, msg);
	case PORTAL_FIELD_DATE:
		return check_date(f, v, result, msg);
	}
	portal_buf_puts(msg, "This field cannot be checked: tell the portal's "
	    "maintainers");
	return CHECK_BAD;
}

/*
 * Validate `input` against `fields` (see validate.h).  Takes input (not
 * modified; NULL or a non-object counts as empty) and the table.  On 0,
 * *valid is a new object the caller owns and *errors is NULL; on -1,
 * *valid is NULL and *errors is a new object the caller owns, field name
 * -> message.  NOTE: when memory runs out the result is -1 with *errors
 * NULL.  A field with a NULL name is ignored.
 */
int portal_validate(const json_t *input, const portal_field *fields, size_t nfields,
                    json_t **valid, json_t **errors)
{
	json_t *ok = NULL, *bad = NULL, *result, *text;
	const json_t *v;
	portal_buf msg;
	enum check rc;
	size_t i;

	portal_buf_init(&msg, MESSAGE_CAP);
	if (valid != NULL)
		*valid = NULL;
	if (errors != NULL)
		*errors = NULL;
	if (valid == NULL || errors == NULL || (fields == NULL && nfields > 0))
		goto fail;
	if ((ok = json_object()) == NULL || (bad = json_object()) == NULL)
		goto fail;
	if (input != NULL && !json_is_object(input))
		input = NULL;

	for (i = 0; i < nfields; i++) {
		const portal_field *f = &fields[i];

		if (f->name == NULL || json_object_get(bad, f->name) != NULL)
			continue;
		result = NULL;
		portal_buf_reset(&msg);
		v = input ? json_object_get(input, f->name) : NULL;
		if (v == NULL || json_is_null(v))
			rc = CHECK_EMPTY;
		else
			rc = check_field(f, v, &result, &msg);
		if (rc == CHECK_NOMEM)
			goto fail;
		if (rc == CHECK_EMPTY) {
			if (!f->required)
				continue;
			put_missing(&msg, f);
			rc = CHECK_BAD;
		}
		if (rc == CHECK_BAD) {
			if (msg.data == NULL ||
			    (text = json_string(msg.data)) == NULL ||
			    json_object_set_new(bad, f->name, text) < 0)
				goto fail;
			continue;
		}
		if (json_object_set_new(ok, f->name, result) < 0)
			goto fail;
	}
	portal_buf_free(&msg);
	if (json_object_size(bad) > 0) {
		json_decref(ok);
		*errors = bad;
		return -1;
	}
	json_decref(bad);
	*valid = ok;
	return 0;
fail:
	portal_buf_free(&msg);
	json_decref(ok);
	json_decref(bad);
	return -1;
}
