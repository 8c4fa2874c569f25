/* validate.h - declared fields, validated before a handler uses them.
 *
 * A handler lists the fields it reads in one table; portal_validate() takes
 * the request's input object (query, form or JSON, already parsed), checks
 * each declared field against its rule and returns a new object holding only
 * the declared fields, converted to their types.  Undeclared fields are simply
 * not there.  Errors are collected per field, so the person is told
 * everything to fix at once (422 with "fields").
 *
 * The rule of a field is its type (below), its bounds, and, for the rare
 * rule a module has of its own, a check callback whose message becomes the
 * field's error.  Tables are `const`: a choice list that is built at run
 * time comes from a getter (`choices_of`), never from a patched copy.  A
 * table is passed with its length taken by PORTAL_FIELDS(), never a count
 * typed by hand.
 *
 * The table's types are in field.h.  The files behind this header: validate.c (portal_validate, the driver),
 * fieldtext.c (text, numbers, yes/no, choices, lists), fieldshape.c (phone,
 * e-mail, web address, a ticked box), fieldtime.c (dates and times) and
 * formtext.c (trimming, plain text, labels in messages, ticked boxes).
 */
#ifndef PORTAL_VALIDATE_H
#define PORTAL_VALIDATE_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

#include "field.h"
#include "formtext.h"


/* Validate `input` (an object; NULL counts as empty) against `table`.
 * Per-field results are the normal answer: *valid is always a new object
 * holding every declared field that is right, converted (absent optional
 * fields are left out), so the rules across fields can go on while some
 * fields are wrong; *errors is NULL when every field is right, else a new
 * object field name -> message ("Enter a capacity between 1 and 500").
 * Returns 0 when every field is right, -1 otherwise.  The caller frees both
 * (json_decref(NULL) is harmless).  NOTE: when memory runs out the result is
 * -1 with both NULL.  Strings must be valid UTF-8 without control characters
 * other than tab, CR and LF. */
int portal_validate(const json_t *input, portal_fields table, json_t **valid, json_t **errors);

/* Set a page form's date and time parts of LONDON_TIME field `name` in
 * `form` (NAME_day "15", NAME_month "7", NAME_year "2027", NAME_time
 * "09:30") to instant t in London time: what the field reads back as t
 * (to the minute).  For an edit form filled in from a stored time.
 * Returns 0, or -1 when out of memory or `name` is over 48 bytes. */
int portal_form_london_time(json_t *form, const char *name, time_t t);

/* The label of choice `code` in `choices` (NULL-terminated) from `labels`
 * (the same order): what a page shows for a stored code.  The code itself
 * when it is not a choice, "" for NULL. */
const char *portal_choice_label(const char *const *choices, const char *const *labels, const char *code);

/* Add `message` as the error of `field` to *errors (created when NULL),
 * unless the field has one already: the first thing to fix is said first.
 * For the rules across fields.  Returns 0, or -1 when out of memory. */
int portal_field_error(json_t **errors, const char *field, const char *message);

#endif
