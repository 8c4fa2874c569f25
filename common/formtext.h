/* formtext.h - reading what a person typed, and naming a field in a
 * message: trimming, plain text, yes/no words, a ticked box, labels inside
 * sentences.  The leaf under validate.h (it calls only buf.c and parse.c).
 */
#ifndef PORTAL_FORMTEXT_H
#define PORTAL_FORMTEXT_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"

/* The outcome of checking one field (the type checkers of validate.h). */
enum portal_check {
	PORTAL_CHECK_OK,    /* *result set (a new reference) */
	PORTAL_CHECK_EMPTY, /* absent, null or empty: missing when required */
	PORTAL_CHECK_BAD,   /* the message buffer says what is wrong */
	PORTAL_CHECK_NOMEM  /* memory ran out */
};

/* 1 when c is an ASCII digit / upper-case / lower-case letter / blank (space,
 * tab, CR, LF); the locale never changes a rule. */
int portal_ascii_digit(char c);
int portal_ascii_upper(char c);
int portal_ascii_lower(char c);
int portal_ascii_space(char c);

/* Narrow s[0..*len) past leading and trailing ASCII blanks. */
void portal_trim(const char **s, size_t *len);

/* When v is a JSON string: 1, with s[0..len) its value trimmed; else 0. */
int portal_trimmed_string(const json_t *v, const char **s, size_t *len);

/* 1 when s[0..len) is valid UTF-8 holding no control characters (C0, DEL,
 * C1) other than tab, CR and LF; else 0. */
int portal_plain_text(const char *s, size_t len);

/* The number of characters in valid UTF-8 s[0..len). */
size_t portal_utf8_chars(const char *s, size_t len);

/* 1 when s[0..len) is a word a form sends for yes ("true", "on", "yes",
 * "1"), -1 for no ("false", "off", "no", "0", ""), 0 for anything else;
 * ASCII case ignored. */
int portal_yes_no_word(const char *s, size_t len);

/* 1 when form value `v` means a ticked box: JSON true, or a yes word of
 * portal_yes_no_word (blanks around it ignored); 0 otherwise and for NULL.
 * The one rule for "is this box ticked", for pages shown again too. */
int portal_form_ticked(const json_t *v);

/* Append `label` to b.  With `lower`, its first letter is made lower case
 * for use inside a sentence ("Capacity" -> "capacity"), unless it starts
 * with an acronym ("NGO name" stays); without, upper case for the start of
 * a sentence. */
void portal_put_label(portal_buf *b, const char *label, int lower);

/* Append "a <label>" or "an <label>" (label as portal_put_label(.., 1));
 * an acronym takes "an" when its first letter is spoken with a vowel sound. */
void portal_put_a_label(portal_buf *b, const char *label);

#endif
