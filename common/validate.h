/* validate.h - declared fields, validated before a handler uses them.
 *
 * A handler lists the fields it reads in one table; portal_validate() takes
 * the request's input object (query, form or JSON, already parsed), checks
 * each declared field against its rule and returns a new object holding only
 * the declared fields, converted to their types.  Undeclared fields are simply
 * not there.  Errors are collected per field, so the person is told
 * everything to fix at once (422 with "fields").
 */
#ifndef PORTAL_VALIDATE_H
#define PORTAL_VALIDATE_H

#include <jansson.h>
#include <stddef.h>

typedef enum portal_field_type {
	PORTAL_FIELD_STRING,      /* trimmed text; min/max: length in characters */
	PORTAL_FIELD_INT,         /* decimal integer, no junk; min/max: the range */
	PORTAL_FIELD_BOOL,        /* JSON true/false, or "true"/"false"/"on"/"yes"/"1"/"0"/"no"/"" from a form */
	PORTAL_FIELD_ENUM,        /* one of `choices` */
	PORTAL_FIELD_ENUM_LIST,   /* zero or more of `choices` (JSON array, a repeated form field, or comma-separated); max: most items */
	PORTAL_FIELD_STRING_LIST, /* list of strings; min/max: length of each; max_items: most items */
	PORTAL_FIELD_TIME,        /* RFC 3339 date-time with offset ("2026-03-29T09:30:00+01:00"); kept as given */
	PORTAL_FIELD_DATE,        /* YYYY-MM-DD, a real calendar date */
} portal_field_type;

typedef struct portal_field {
	const char         *name;      /* the key in the input and in the result */
	portal_field_type   type;
	int                 required;  /* missing or empty is an error */
	long long           min, max;  /* see the types; 0,0 means no bound */
	const char *const  *choices;   /* NULL-terminated, for ENUM and ENUM_LIST */
	size_t              max_items; /* for the list types; 0 means 100 */
	const char         *label;     /* how the page names it: "Capacity" */
} portal_field;

/* Validate `input` (an object; NULL counts as empty) against `fields`.
 * Returns 0 and sets *valid to a new object with every present declared field
 * converted (absent optional fields are left out).  Returns -1 and sets
 * *errors to a new object field name -> message ("Enter a capacity between 1
 * and 500") when any field is wrong; *valid is then NULL.  Strings must be
 * valid UTF-8 without control characters other than tab, CR and LF. */
int portal_validate(const json_t *input, const portal_field *fields, size_t nfields,
                    json_t **valid, json_t **errors);

#endif
