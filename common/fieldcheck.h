/* fieldcheck.h - the checkers of validate.h's field types, one per type,
 * used by validate.c only: fieldtext.c (STRING, INT, BOOL, ENUM, the lists),
 * fieldshape.c (PHONE, EMAIL, URL, TICKED) and fieldtime.c (DATE, TIME,
 * LONDON_TIME).
 *
 * Each takes field `f` and its present value `v` (LONDON_TIME: the whole
 * input object, for a page's date and time parts); returns PORTAL_CHECK_OK
 * with *result (a new reference), PORTAL_CHECK_EMPTY, PORTAL_CHECK_BAD with
 * the message that says what to fix in msg, or PORTAL_CHECK_NOMEM.
 */
#ifndef PORTAL_FIELDCHECK_H
#define PORTAL_FIELDCHECK_H

#include "buf.h"
#include "field.h"
#include "formtext.h"

typedef enum portal_check portal_field_checker(const portal_field *f, const json_t *v, json_t **result,
                                               portal_buf *msg);

/* fieldtext.c */
portal_field_checker portal_check_string, portal_check_int, portal_check_bool, portal_check_enum,
                     portal_check_enum_list, portal_check_string_list;

/* fieldshape.c: a present but empty optional value is kept as "" */
portal_field_checker portal_check_phone, portal_check_email, portal_check_url, portal_check_ticked;

/* fieldtime.c.  LONDON_TIME reads the page's NAME_day, NAME_month,
 * NAME_year and NAME_time of the input `v` when any of them is there (even
 * blank: a page that sends them never falls back to a stored value under
 * NAME), else NAME as RFC 3339 text; *result is RFC 3339 text with London's
 * offset ("2026-07-15T09:30:00+01:00"), or the API's text as given. */
portal_field_checker portal_check_date, portal_check_time, portal_check_london_time;

#endif
