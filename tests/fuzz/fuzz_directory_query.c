/* fuzz_directory_query.c - libFuzzer target: a directory search as it
 * arrives (a query string) through portal_parse_urlencoded and
 * directory_query_parse (facets, free-text words, paging).  Checks what the
 * parser promises: on success every facet value is a known code, words
 * are 2 to 40 bytes, page and per_page are in range; on failure a field
 * says what to fix.
 */
#include "parse.h"

#include "directory_sources.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const portal_limits query_limits = {8 * 1024, 64, 2 * 1024, 16};
	portal_parse_error perr;
	json_t *query = json_object(), *communities, *valid = NULL, *errors = NULL;
	directory_query q;
	size_t f, i;

	if (portal_parse_urlencoded((const char *)data, size, &query_limits, query, &perr) < 0) {
		json_decref(query);
		return 0;
	}
	communities = json_pack("{s:s}", "albanian", "Albanian");
	if (directory_query_parse(query, communities, &q, &valid, &errors) == 0) {
		if (q.page < 1 || q.per_page < 1 || q.per_page > DIRECTORY_PER_PAGE_MAX || q.nwords > DIRECTORY_QUERY_WORDS_MAX)
			abort();
		for (i = 0; i < q.nwords; i++)
			if (strlen(q.words[i]) < 2 || strlen(q.words[i]) > DIRECTORY_WORD_MAX)
				abort();
		for (f = 0; f < DIRECTORY_FACET_COUNT; f++)
			for (i = 0; i < q.nvalues[f]; i++) {
				const char *v = q.values[f][i];
				if (f == DIRECTORY_FACET_LANGUAGE && portal_language_name(v) == NULL)
					abort();
				if (f == DIRECTORY_FACET_BOROUGH && directory_borough_name(v) == NULL)
					abort();
				if (directory_facets[f].values && directory_code_name(directory_facets[f].values, v) == NULL)
					abort();
			}
		json_decref(valid);
	} else {
		if (errors == NULL || json_object_size(errors) == 0)
			abort();
		json_decref(errors);
	}
	json_decref(communities);
	json_decref(query);
	return 0;
}
