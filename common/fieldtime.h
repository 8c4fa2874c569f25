/* fieldtime.h - the checkers of validate.h's DATE, TIME and LONDON_TIME
 * types (outcomes as in fieldtext.h).  Used by validate.c only. */
#ifndef PORTAL_FIELDTIME_H
#define PORTAL_FIELDTIME_H

#include "validate.h"

enum portal_check portal_check_date(const portal_field *f, const json_t *v, json_t **result, portal_buf *msg);
enum portal_check portal_check_time(const portal_field *f, const json_t *v, json_t **result, portal_buf *msg);

/* LONDON_TIME reads the whole input object: the field's own value, or the
 * page's NAME_day, NAME_month, NAME_year and NAME_time (these win when any
 * is present, even blank: a page that sends them never falls back to a
 * stored value under NAME).  *result is RFC 3339 text with London's offset
 * ("2026-07-15T09:30:00+01:00"), or the API's text as given. */
enum portal_check portal_check_london_time(const portal_field *f, const json_t *input, json_t **result,
                                           portal_buf *msg);

#endif
