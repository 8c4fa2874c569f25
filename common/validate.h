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
 * The files behind this header: validate.c (portal_validate, the driver),
 * fieldtext.c (text, numbers, yes/no, choices, lists), fieldshape.c (phone,
 * e-mail, web address, a ticked box), fieldtime.c (dates and times) and
 * formtext.c (trimming, plain text, labels in messages, ticked boxes).
 */
#ifndef PORTAL_VALIDATE_H
#define PORTAL_VALIDATE_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

#include "formtext.h"

typedef enum portal_field_type {
	PORTAL_FIELD_STRING,      /* trimmed text; min/max: length in characters */
	PORTAL_FIELD_INT,         /* decimal integer, no junk; min/max: the range */
	PORTAL_FIELD_BOOL,        /* JSON true/false, or "true"/"false"/"on"/"yes"/"1"/"0"/"no"/"" from a form */
	PORTAL_FIELD_ENUM,        /* one of the choices */
	PORTAL_FIELD_ENUM_LIST,   /* zero or more of the choices (JSON array, a repeated form field, or comma-separated); max: most items */
	PORTAL_FIELD_STRING_LIST, /* list of strings; min/max: length of each; max_items: most items */
	PORTAL_FIELD_TIME,        /* RFC 3339 date-time with offset ("2026-03-29T09:30:00+01:00"), from 1970
	                           * (what portal_time_parse reads); kept as given */
	PORTAL_FIELD_DATE,        /* YYYY-MM-DD, a real calendar date */
	PORTAL_FIELD_PHONE,       /* a UK phone number (portal_phone_ok): "020 7946 0000", "+44 7700 900123"; kept as typed, trimmed */
	PORTAL_FIELD_EMAIL,       /* an e-mail address, name@example.org; max: length (0: 254) */
	PORTAL_FIELD_URL,         /* an http:// or https:// web address, nothing else (no javascript:, data:, spaces or quotes); max: length (0: 2000) */
	PORTAL_FIELD_LONDON_TIME, /* a date and time: RFC 3339 with offset in NAME (the API), or a page's
	                           * NAME_day, NAME_month, NAME_year and NAME_time typed as London time
	                           * (these win when any is present); the result is RFC 3339 text.  The
	                           * label is a clause: "the session starts" ("Enter the date the session
	                           * starts as a real date") */
	PORTAL_FIELD_TICKED,      /* a checkbox that must be ticked (a form's "on"/"yes"/"true"/"1", JSON
	                           * true); the result is true.  The label says what ticking confirms:
	                           * "that the reference names nobody" */
} portal_field_type;

/* A module's own rule for one field: called with the converted value once
 * the type's rule passed.  Returns 0 when the value is right, else -1 with
 * msg (msglen bytes, NUL-terminated) saying what to fix; that message
 * becomes the field's error. */
typedef int (*portal_field_check)(const json_t *value, char *msg, size_t msglen);

/* A choice list built at run time: returns a NULL-terminated list that
 * stays valid while the process runs (thread safe). */
typedef const char *const *(*portal_choices_getter)(void);

/* One declared field.  Write tables with designated initializers
 * ({ .name = "capacity", .type = PORTAL_FIELD_INT, .required = 1, .min = 1,
 * .max = 500, .label = "Capacity" }): what is not named is 0 or NULL. */
typedef struct portal_field {
	const char            *name;       /* the key in the input and in the result */
	portal_field_type      type;
	int                    required;   /* missing or empty is an error */
	long long              min, max;   /* see the types; 0,0 means no bound */
	const char *const     *choices;    /* NULL-terminated, for ENUM and ENUM_LIST */
	size_t                 max_items;  /* for the list types; 0 means 100 */
	const char            *label;      /* how the page names it: "Capacity" */
	portal_choices_getter  choices_of; /* the choices when `choices` is NULL */
	portal_field_check     check;      /* a rule of the module's own, or NULL */
} portal_field;

/* The label of f, else its name: how a message names the field. */
static inline const char *portal_field_label(const portal_field *f)
{
	return f->label != NULL && f->label[0] != '\0' ? f->label : f->name;
}

/* The choices of f: `choices`, else what `choices_of` gives, else NULL. */
static inline const char *const *portal_field_choices(const portal_field *f)
{
	if (f->choices != NULL)
		return f->choices;
	return f->choices_of != NULL ? f->choices_of() : NULL;
}

/* A field table and its length. */
typedef struct portal_fields {
	const portal_field *fields;
	size_t              n;
} portal_fields;

/* The number of entries of an array (never a pointer: gcc's and clang's
 * -Wsizeof-pointer-div refuse one). */
#define PORTAL_NFIELDS(table) (sizeof(table) / sizeof((table)[0]))
/* The portal_fields of a table array, as a value in an expression ... */
#define PORTAL_FIELDS(table) ((portal_fields){ (table), PORTAL_NFIELDS(table) })
/* ... and as the initializer of a portal_fields object. */
#define PORTAL_FIELDS_INIT(table) { (table), PORTAL_NFIELDS(table) }

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
