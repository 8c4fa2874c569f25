/* jsonsort.c - sorting a jansson array in place (see jsonsort.h). */
#include "jsonsort.h"

#include <stdlib.h>

void portal_json_sort(json_t *list, int (*cmp)(const void *, const void *))
{
	size_t n = json_array_size(list), i;
	json_t **arr;

	if (n < 2 || (arr = calloc(n, sizeof(*arr))) == NULL)
		return;
	/* hold a reference to each element while the array is rebuilt */
	for (i = 0; i < n; i++)
		arr[i] = json_incref(json_array_get(list, i));
	qsort(arr, n, sizeof(*arr), cmp);
	json_array_clear(list);
	for (i = 0; i < n; i++)
		json_array_append_new(list, arr[i]);
	free(arr);
}
