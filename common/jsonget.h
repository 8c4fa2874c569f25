/* jsonget.h - typed reads of a member of a jansson object, for values that
 * may come as JSON numbers or as the decimal text Redis hashes hold. */
#ifndef PORTAL_JSONGET_H
#define PORTAL_JSONGET_H

#include <jansson.h>

/* Member `key` of obj as text: its string, or "" when absent or not a
 * string.  The pointer is owned by obj. */
const char *portal_json_text(const json_t *obj, const char *key);

/* Member `key` of obj as a number: an integer, a real (truncated) or a
 * string of decimal digits (optionally signed, nothing after); 0 otherwise. */
long long portal_json_num(const json_t *obj, const char *key);

/* 1 when `list` holds the string `code`: a JSON array of strings, or one
 * string (a form field sent once gives a string, repeated an array). */
int portal_json_list_has(const json_t *list, const char *code);

#endif
