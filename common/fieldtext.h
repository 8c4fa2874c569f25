/* fieldtext.h - the checkers of validate.h's text, number, yes/no, choice
 * and list types.  Each takes a present value `v` of field `f`; returns
 * PORTAL_CHECK_OK with *result (a new reference), PORTAL_CHECK_EMPTY,
 * PORTAL_CHECK_BAD with the message that names the rule in msg, or
 * PORTAL_CHECK_NOMEM.  Used by validate.c only. */
#ifndef PORTAL_FIELDTEXT_H
#define PORTAL_FIELDTEXT_H

#include "validate.h"

enum portal_check portal_check_string(const portal_field *f, const json_t *v, json_t **result, portal_buf *msg);
enum portal_check portal_check_int(const portal_field *f, const json_t *v, json_t **result, portal_buf *msg);
enum portal_check portal_check_bool(const portal_field *f, const json_t *v, json_t **result, portal_buf *msg);
enum portal_check portal_check_enum(const portal_field *f, const json_t *v, json_t **result, portal_buf *msg);
enum portal_check portal_check_enum_list(const portal_field *f, const json_t *v, json_t **result, portal_buf *msg);
enum portal_check portal_check_string_list(const portal_field *f, const json_t *v, json_t **result, portal_buf *msg);

#endif
