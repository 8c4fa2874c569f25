/* personal.h - free text that must not carry personal data.
 *
 * The portal stores nothing that identifies a person it is about: no name,
 * date of birth, nationality or immigration status, and no address.  Names
 * cannot be told from other words, but some things can: this is the one
 * check every free-text field that is kept (case notes, feedback, outcomes,
 * observations) runs before it is stored.  It finds, in order:
 *
 *   an e-mail address           "someone@example.org"
 *   a full UK postcode          "E15 4QZ", "sw1a1aa" (the outward half "E15"
 *                               alone is a district and passes)
 *   a National Insurance number "QQ 12 34 56 C", "QQ123456C"
 *   a date of birth             a full date (day, month and year) more than
 *                               10 years before now: "12/03/1985",
 *                               "1985-03-12", "3rd March 1985", "March 3,
 *                               1985"; "seen on 3 March" and "on 12/03/2026"
 *                               pass
 *   a passport number           nine digits in a row, one or two letters
 *                               followed by 6 to 9 digits ("AB1234567"), or
 *                               any 6 to 9 letters and digits within a few
 *                               words after "passport"
 *   a phone number              10 to 15 digits starting with 0 or +, spaced
 *                               or not: "07700 900123", "+44 20 7946 0958"
 *
 * It is a guard against the common slip, not a proof: text that passes may
 * still name someone, which is why the forms say what not to write.
 */
#ifndef PORTAL_PERSONAL_H
#define PORTAL_PERSONAL_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

typedef enum portal_personal_kind {
	PORTAL_PERSONAL_NONE = 0,
	PORTAL_PERSONAL_EMAIL,
	PORTAL_PERSONAL_POSTCODE,
	PORTAL_PERSONAL_NI_NUMBER,
	PORTAL_PERSONAL_DATE_OF_BIRTH,
	PORTAL_PERSONAL_PASSPORT,
	PORTAL_PERSONAL_PHONE
} portal_personal_kind;

/* What was found: its kind and where, as a byte offset and length in the
 * text. */
typedef struct portal_personal_found {
	portal_personal_kind kind;
	size_t               at;
	size_t               len;
} portal_personal_found;

/* Look through text[0..len) (any bytes; NULs end nothing) as of `now`.
 * Returns 1 and fills *found with the first thing found (earliest kind in
 * the list above, then earliest in the text), or 0 when the text passes. */
int portal_personal_find(const char *text, size_t len, time_t now, portal_personal_found *found);

/* What a kind is, in words: "a date of birth", "a phone number". */
const char *portal_personal_kind_words(portal_personal_kind kind);

/* The message a person reads: what was found (quoted, at most 40 bytes of
 * it) and why it cannot be kept, in out (always NUL-terminated). */
void portal_personal_message(const char *text, const portal_personal_found *found, char *out, size_t outlen);

/* A field check (validate.h's portal_field_check): 0 when the value is not a
 * string or passes; -1 with the message in msg when it carries personal data.
 * Put `.check = portal_check_no_personal_data` on every free-text field that
 * is kept. */
int portal_check_no_personal_data(const json_t *value, char *msg, size_t msglen);

#endif
