/* fieldtext.c - the checkers of text, numbers, yes/no, choices and lists
 * (see fieldcheck.h and validate.h).  Rules are strict: no junk after a
 * number, no control characters in text.
 *
 * NOTE on empty values: a present but empty STRING is kept as "" and an
 * empty list as [] (so an edit form can clear them); an empty INT, ENUM or
 * BOOL from JSON null cannot be converted and counts as absent.
 */
#include "fieldcheck.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define LIST_ITEMS_DEFAULT 100 /* max_items when a field says 0 */
#define INT_TEXT_MAX       64   /* bytes of a decimal integer, sign included */

/* Append the field's choices as "a, b, c". */
static void put_choices(portal_buf *b, const portal_field *f)
{
	const char *const *choices = portal_field_choices(f);
	size_t i;

	for (i = 0; choices != NULL && choices[i] != NULL; i++) {
		if (i > 0)
			portal_buf_puts(b, ", ");
		portal_buf_puts(b, choices[i]);
	}
}

/* Return the choice of f equal to s[0..len), or NULL. */
static const char *find_choice(const portal_field *f, const char *s, size_t len)
{
	const char *const *choices = portal_field_choices(f);
	size_t i;

	for (i = 0; choices != NULL && choices[i] != NULL; i++)
		if (strlen(choices[i]) == len && memcmp(choices[i], s, len) == 0)
			return choices[i];
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
 * or less is no bound).  Returns PORTAL_CHECK_OK, or PORTAL_CHECK_BAD after writing the
 * message that names the rule to msg, starting with `prefix` ("Each item
 * in ") and the label, or with the label alone when prefix is NULL.
 */
static enum portal_check check_length(const portal_field *f, size_t chars,
                                      const char *prefix, portal_buf *msg)
{
	int too_short = f->min > 0 && chars < (unsigned long long)f->min;
	int too_long = f->max > 0 && chars > (unsigned long long)f->max;

	if (!too_short && !too_long)
		return PORTAL_CHECK_OK;
	if (prefix != NULL) {
		portal_buf_puts(msg, prefix);
		portal_put_label(msg, portal_field_label(f), 1);
	} else
		portal_put_label(msg, portal_field_label(f), 0);
	if (f->min > 0 && f->max > 0)
		portal_buf_printf(msg, " must be between %lld and %lld characters",
		    f->min, f->max);
	else if (too_short)
		portal_buf_printf(msg, " must be %lld characters or more", f->min);
	else
		portal_buf_printf(msg, " must be %lld characters or fewer", f->max);
	return PORTAL_CHECK_BAD;
}

/* STRING: trimmed text; "" kept.  See enum portal_check for the outcome. */
enum portal_check portal_check_string(const portal_field *f, const json_t *v,
                                      json_t **result, portal_buf *msg)
{
	const char *s;
	size_t len;
	enum portal_check rc;

	if (!json_is_string(v)) {
		portal_buf_puts(msg, "Enter ");
		portal_put_label(msg, portal_field_label(f), 1);
		portal_buf_puts(msg, " as text");
		return PORTAL_CHECK_BAD;
	}
	s = json_string_value(v);
	len = json_string_length(v);
	portal_trim(&s, &len);
	if (len == 0) {
		if (f->required)
			return PORTAL_CHECK_EMPTY;
		return (*result = json_string("")) ? PORTAL_CHECK_OK : PORTAL_CHECK_NOMEM;
	}
	if (!portal_plain_text(s, len)) {
		portal_put_label(msg, portal_field_label(f), 0);
		portal_buf_puts(msg, " must be plain text: remove control "
		    "characters");
		return PORTAL_CHECK_BAD;
	}
	if ((rc = check_length(f, portal_utf8_chars(s, len), NULL, msg)) != PORTAL_CHECK_OK)
		return rc;
	return (*result = json_stringn(s, len)) ? PORTAL_CHECK_OK : PORTAL_CHECK_NOMEM;
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
		if (!portal_ascii_digit(s[i]))
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
enum portal_check portal_check_int(const portal_field *f, const json_t *v,
                                   json_t **result, portal_buf *msg)
{
	const char *s;
	size_t len;
	long long n;

	if (json_is_integer(v)) {
		n = json_integer_value(v);
	} else if (portal_trimmed_string(v, &s, &len)) {
		if (len == 0)
			return PORTAL_CHECK_EMPTY;
		if (parse_decimal(s, len, &n) < 0)
			goto not_number;
	} else
		goto not_number;
	if ((f->min != 0 || f->max != 0) && (n < f->min || n > f->max)) {
		portal_buf_puts(msg, "Enter ");
		portal_put_a_label(msg, portal_field_label(f));
		put_int_range(msg, f);
		return PORTAL_CHECK_BAD;
	}
	return (*result = json_integer(n)) ? PORTAL_CHECK_OK : PORTAL_CHECK_NOMEM;
not_number:
	portal_buf_puts(msg, "Enter ");
	portal_put_a_label(msg, portal_field_label(f));
	portal_buf_puts(msg, " as a whole number");
	put_int_range(msg, f);
	return PORTAL_CHECK_BAD;
}

/* BOOL: JSON true/false, or a form word ("on", "yes", "1", "" ...). */
enum portal_check portal_check_bool(const portal_field *f, const json_t *v,
                                    json_t **result, portal_buf *msg)
{
	const char *s;
	size_t len;
	int word;

	if (json_is_boolean(v))
		return (*result = json_boolean(json_is_true(v))) ?
		    PORTAL_CHECK_OK : PORTAL_CHECK_NOMEM;
	if (portal_trimmed_string(v, &s, &len) && (word = portal_yes_no_word(s, len)) != 0)
		return (*result = json_boolean(word > 0)) ?
		    PORTAL_CHECK_OK : PORTAL_CHECK_NOMEM;
	portal_buf_puts(msg, "Choose yes or no for ");
	portal_put_label(msg, portal_field_label(f), 1);
	return PORTAL_CHECK_BAD;
}

/* ENUM: one of the field's choices, exactly (after trimming). */
enum portal_check portal_check_enum(const portal_field *f, const json_t *v,
                                    json_t **result, portal_buf *msg)
{
	const char *s, *choice;
	size_t len;

	if (portal_trimmed_string(v, &s, &len)) {
		if (len == 0)
			return PORTAL_CHECK_EMPTY;
		if ((choice = find_choice(f, s, len)) != NULL)
			return (*result = json_string(choice)) ?
			    PORTAL_CHECK_OK : PORTAL_CHECK_NOMEM;
	}
	portal_buf_puts(msg, "Choose ");
	portal_put_a_label(msg, portal_field_label(f));
	portal_buf_puts(msg, ", one of: ");
	put_choices(msg, f);
	return PORTAL_CHECK_BAD;
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
 * skipping empty pieces and repeats.  Returns PORTAL_CHECK_OK, PORTAL_CHECK_BAD (message
 * written) or PORTAL_CHECK_NOMEM.
 */
static enum portal_check add_choices(const portal_field *f, const char *s, size_t len,
                                     json_t *list, portal_buf *msg)
{
	const char *piece, *end = s + len, *comma, *choice;
	size_t plen, limit = list_limit(f);

	for (piece = s; piece <= end; piece = comma + 1) {
		if ((comma = memchr(piece, ',', (size_t)(end - piece))) == NULL)
			comma = end;
		plen = (size_t)(comma - piece);
		portal_trim(&piece, &plen);
		if (plen > 0) {
			if ((choice = find_choice(f, piece, plen)) == NULL) {
				portal_buf_puts(msg, "Choose ");
				portal_put_label(msg, portal_field_label(f), 1);
				portal_buf_puts(msg, " only from: ");
				put_choices(msg, f);
				return PORTAL_CHECK_BAD;
			}
			if (!array_has(list, choice)) {
				if (json_array_size(list) >= limit) {
					portal_buf_printf(msg, "Choose no more "
					    "than %zu for ", limit);
					portal_put_label(msg, portal_field_label(f), 1);
					return PORTAL_CHECK_BAD;
				}
				if (json_array_append_new(list,
				    json_string(choice)) < 0)
					return PORTAL_CHECK_NOMEM;
			}
		}
		if (comma == end)
			break;
	}
	return PORTAL_CHECK_OK;
}

/* An adder of one list item s[0..len) to `list`: PORTAL_CHECK_OK, PORTAL_CHECK_BAD
 * (message written) or PORTAL_CHECK_NOMEM. */
typedef enum portal_check (*item_adder)(const portal_field *f, const char *s, size_t len,
                           json_t *list, portal_buf *msg);

/*
 * The items of a list field, given as one string or as a JSON array of
 * strings (a repeated form field), each passed to `add`.  Returns PORTAL_CHECK_OK
 * with *result the new array, PORTAL_CHECK_EMPTY (required and no item), PORTAL_CHECK_BAD
 * (message written; *bad_shape set when `v` is neither a string nor an
 * array of strings, for the caller to say what it takes) or PORTAL_CHECK_NOMEM.
 */
static enum portal_check collect_items(const portal_field *f, const json_t *v, item_adder add,
                                       json_t **result, portal_buf *msg, int *bad_shape)
{
	const json_t *item;
	json_t *list;
	enum portal_check rc = PORTAL_CHECK_OK;
	size_t i;

	*bad_shape = 0;
	if (!json_is_string(v) && !json_is_array(v)) {
		*bad_shape = 1;
		return PORTAL_CHECK_BAD;
	}
	if ((list = json_array()) == NULL)
		return PORTAL_CHECK_NOMEM;
	if (json_is_string(v)) {
		rc = add(f, json_string_value(v), json_string_length(v), list, msg);
	} else {
		json_array_foreach(v, i, item) {
			if (!json_is_string(item)) {
				*bad_shape = 1;
				rc = PORTAL_CHECK_BAD;
				break;
			}
			rc = add(f, json_string_value(item), json_string_length(item), list, msg);
			if (rc != PORTAL_CHECK_OK)
				break;
		}
	}
	if (rc == PORTAL_CHECK_OK && json_array_size(list) == 0 && f->required)
		rc = PORTAL_CHECK_EMPTY;
	if (rc != PORTAL_CHECK_OK) {
		json_decref(list);
		return rc;
	}
	*result = list;
	return PORTAL_CHECK_OK;
}

/* ENUM_LIST: a JSON array, a repeated form field or "a,b"; deduplicated. */
enum portal_check portal_check_enum_list(const portal_field *f, const json_t *v,
                                         json_t **result, portal_buf *msg)
{
	json_t *list = NULL;
	int bad_shape;
	enum portal_check rc = collect_items(f, v, add_choices, &list, msg, &bad_shape);

	if (bad_shape) {
		portal_buf_puts(msg, "Choose ");
		portal_put_label(msg, portal_field_label(f), 1);
		portal_buf_puts(msg, " from: ");
		put_choices(msg, f);
		return PORTAL_CHECK_BAD;
	}
	if (rc != PORTAL_CHECK_OK)
		return rc;
	if (f->min > 0 && json_array_size(list) > 0 &&
	    json_array_size(list) < (unsigned long long)f->min) {
		json_decref(list);
		portal_buf_printf(msg, "Choose at least %lld for ", f->min);
		portal_put_label(msg, portal_field_label(f), 1);
		return PORTAL_CHECK_BAD;
	}
	*result = list;
	return PORTAL_CHECK_OK;
}

/*
 * Add one STRING_LIST item s[0..len) to list after trimming; empty items
 * are skipped.  Returns PORTAL_CHECK_OK, PORTAL_CHECK_BAD (message written) or
 * PORTAL_CHECK_NOMEM.
 */
static enum portal_check add_text_item(const portal_field *f, const char *s,
                                       size_t len, json_t *list, portal_buf *msg)
{
	enum portal_check rc;

	portal_trim(&s, &len);
	if (len == 0)
		return PORTAL_CHECK_OK;
	if (!portal_plain_text(s, len)) {
		portal_buf_puts(msg, "Each item in ");
		portal_put_label(msg, portal_field_label(f), 1);
		portal_buf_puts(msg, " must be plain text: remove control "
		    "characters");
		return PORTAL_CHECK_BAD;
	}
	if ((rc = check_length(f, portal_utf8_chars(s, len), "Each item in ", msg))
	    != PORTAL_CHECK_OK)
		return rc;
	if (json_array_size(list) >= list_limit(f)) {
		portal_buf_printf(msg, "Enter no more than %zu items for ",
		    list_limit(f));
		portal_put_label(msg, portal_field_label(f), 1);
		return PORTAL_CHECK_BAD;
	}
	if (json_array_append_new(list, json_stringn(s, len)) < 0)
		return PORTAL_CHECK_NOMEM;
	return PORTAL_CHECK_OK;
}

/* STRING_LIST: a JSON array of strings, a repeated form field or one
 * string; each item trimmed and checked like a STRING. */
enum portal_check portal_check_string_list(const portal_field *f, const json_t *v,
                                           json_t **result, portal_buf *msg)
{
	int bad_shape;
	enum portal_check rc = collect_items(f, v, add_text_item, result, msg, &bad_shape);

	if (bad_shape) {
		portal_buf_puts(msg, "Enter ");
		portal_put_label(msg, portal_field_label(f), 1);
		portal_buf_puts(msg, " as a list of text");
	}
	return rc;
}
