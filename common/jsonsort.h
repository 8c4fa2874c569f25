/* jsonsort.h - sorting a jansson array in place. */
#ifndef PORTAL_JSONSORT_H
#define PORTAL_JSONSORT_H

#include <jansson.h>

/* Sort `list` (an array) in place with `cmp`, which receives pointers to
 * two `json_t *` elements, as qsort does.  On allocation failure the list
 * is left as it was. */
void portal_json_sort(json_t *list, int (*cmp)(const void *, const void *));

#endif
