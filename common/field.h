/* field.h - the types of a field table (validate.h): a field's type, its
 * rule and label, and the table with its length.  Header only: validate.c
 * (the driver) and the checker of each type (fieldcheck.h) both read it,
 * and neither calls the other through it.
 */
#ifndef PORTAL_FIELD_H
#define PORTAL_FIELD_H

#include <jansson.h>
#include <stddef.h>

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

#endif
