/* index.c - how a service is found: its searchable words, its name's sort
 * key, and the index entries (facet values, words, opening slots) it is
 * stored under. */
#include "directory.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reference.h"

/* ---- words --------------------------------------------------------------- */

/* Common English words left out of the index and of a search. */
static const char *const directory_stopwords[] = {
	"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is",
	"it", "of", "on", "or", "the", "to", "we", "with", "who", "our", "their",
	"this", "that", NULL,
};

size_t directory_tokenise(const char *text, size_t max,
                          void (*fn)(const char *word, size_t len, void *arg), void *arg)
{
	char word[DIRECTORY_WORD_MAX + 1];
	size_t n = 0, len = 0, i;
	const unsigned char *p = (const unsigned char *)text;

	if (text == NULL)
		return 0;
	for (;; p++) {
		int c = *p;
		int part = (c >= 0x80) || isalnum(c);
		if (part) {
			if (len < DIRECTORY_WORD_MAX)
				word[len] = (char)(c < 0x80 ? tolower(c) : c);
			len++;
			continue;
		}
		if (len >= 2 && len <= DIRECTORY_WORD_MAX) {
			int stop = 0;
			word[len] = '\0';
			for (i = 0; directory_stopwords[i]; i++)
				if (strcmp(word, directory_stopwords[i]) == 0)
					stop = 1;
			if (!stop) {
				if (n >= max)
					return n;
				fn(word, len, arg);
				n++;
			}
		}
		len = 0;
		if (c == 0)
			break;
	}
	return n;
}

double directory_name_score(const char *name)
{
	double score = 0;
	int n = 0;

	for (; name && *name && n < 10; name++) {
		int c = tolower((unsigned char)*name), v;
		if (c >= 'a' && c <= 'z')
			v = 11 + (c - 'a');
		else if (c >= '0' && c <= '9')
			v = 1 + (c - '0');
		else
			continue;
		score = score * 37 + v;
		n++;
	}
	for (; n < 10; n++)
		score *= 37;
	return score;
}
/* ---- index entries --------------------------------------------------------- */

struct directory_words {
	json_t *seen;   /* word -> score */
	int     score;
};

/* Record a word with the larger of its scores. */
static void directory_word_add(const char *word, size_t len, void *arg)
{
	struct directory_words *w = arg;
	json_t *old = json_object_getn(w->seen, word, len);

	if (old == NULL || json_integer_value(old) < w->score)
		json_object_setn_new(w->seen, word, len, json_integer(w->score));
}

/* The words of the names of the service's languages (English and own),
 * communities, exploitation types, client groups, service types and
 * boroughs: free text "Albanian" finds what the Albanian filter finds. */
static void directory_index_facet_names(const json_t *service, struct directory_words *w)
{
	static const size_t named[] = { DIRECTORY_FACET_SERVICE_TYPE, DIRECTORY_FACET_EXPLOITATION,
		DIRECTORY_FACET_CLIENT_GROUP, DIRECTORY_FACET_LANGUAGE, DIRECTORY_FACET_COMMUNITY, DIRECTORY_FACET_BOROUGH };
	const json_t *item;
	size_t k, i;

	for (k = 0; k < sizeof(named) / sizeof(named[0]); k++)
		json_array_foreach(json_object_get(service, directory_facets[named[k]].field), i, item) {
			const portal_language *l = named[k] == DIRECTORY_FACET_LANGUAGE
			        ? portal_language_find(json_string_value(json_object_get(item, "code"))) : NULL;
			directory_tokenise(directory_facet_item_name(named[k], item), 20, directory_word_add, w);
			if (l && l->own_name)
				directory_tokenise(l->own_name, 20, directory_word_add, w);
		}
}

int directory_service_index(const json_t *service, portal_buf *facets, portal_buf *index)
{
	const json_t *hours = json_object_get(service, "hours");
	struct directory_words w;
	directory_hours h;
	char err[200];
	const char *word;
	json_t *item, *score;
	size_t f, i;
	int d, s;

	for (f = 0; f < DIRECTORY_FACET_COUNT; f++) {
		const json_t *list = f == DIRECTORY_FACET_REFERRER
		        ? json_object_get(json_object_get(service, "how_to_refer"), "referrers")
		        : json_object_get(service, directory_facets[f].field);
		json_array_foreach(list, i, item) {
			const char *code = json_is_object(item) ? json_string_value(json_object_get(item, "code"))
			                                        : json_string_value(item);
			if (code == NULL)
				continue;
			portal_buf_printf(facets, "%s%s:%s", facets->len ? " " : "", directory_facets[f].param, code);
			portal_buf_printf(index, "%sf:%s:%s", index->len ? " " : "", directory_facets[f].param, code);
		}
	}
	if ((word = json_string_value(json_object_get(json_object_get(service, "organisation"), "id"))))
		portal_buf_printf(index, "%sf:org:%s", index->len ? " " : "", word);
	if (directory_hours_parse(json_string_value(json_object_get(hours, "opening")), &h, err, sizeof(err)) < 0)
		memset(&h, 0, sizeof(h));
	for (d = 0; d < 7; d++)
		for (s = 0; s < DIRECTORY_HOUR_SLOTS; s++)
			if (json_is_true(json_object_get(hours, "always_open")) || ((h.week[d] >> s) & 1))
				portal_buf_printf(index, "%so:%d:%d", index->len ? " " : "", d, s);
	w.seen = json_object();
	w.score = 1;
	directory_tokenise(json_string_value(json_object_get(service, "description")), 400, directory_word_add, &w);
	w.score = 2;
	directory_index_facet_names(service, &w);
	w.score = 3;
	directory_tokenise(json_string_value(json_object_get(service, "name")), 40, directory_word_add, &w);
	json_object_foreach(w.seen, word, score)
		portal_buf_printf(index, "%sw:%s=%lld", index->len ? " " : "", word, (long long)json_integer_value(score));
	json_decref(w.seen);
	return facets->overflow || index->overflow ? -1 : 0;
}
