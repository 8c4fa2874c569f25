/* reference.h - fixed lists the features share: London's local authority
 * areas and ISO 639-1 languages.  Read-only tables; lookups are by the
 * lower-case code a form or the API sends.
 */
#ifndef PORTAL_REFERENCE_H
#define PORTAL_REFERENCE_H

#include <stddef.h>

typedef struct portal_code_name {
	const char *code;  /* "tower-hamlets", "sq" */
	const char *name;  /* "Tower Hamlets", "Albanian" */
} portal_code_name;

/* The 33 London local authority areas (32 boroughs and the City), in
 * alphabetical order, with slugs such as "city-of-london". */
extern const portal_code_name portal_london_areas[];
extern const size_t portal_london_areas_count;

/* The ISO 639-1 languages (183), ordered by code, with English names. */
extern const portal_code_name portal_languages[];
extern const size_t portal_languages_count;

/* The entry of `code` in a table, or NULL. */
const portal_code_name *portal_code_find(const portal_code_name *table, size_t n, const char *code);

/* The name of a London area slug or a language code, or NULL. */
const char *portal_london_area_name(const char *slug);
const char *portal_language_name(const char *code);

#endif
