/* reference.h - fixed lists the features share: London's local authority
 * areas and languages (BCP 47 tags).  Read-only tables; lookups are by the
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

/* A language: its BCP 47 tag (the ISO 639-1 code where there is one, else
 * the ISO 639-3 code: "sq", "prs"), its English name and its own name
 * (NULL when the same as the English one). */
typedef struct portal_language {
	const char *code;      /* "sq" */
	const char *name;      /* "Albanian" */
	const char *own_name;  /* "shqip" */
} portal_language;

/* The languages offered (179: ISO 639-1's living languages and six ISO
 * 639-3 ones London's survivors speak - Dari, Edo, Nigerian Pidgin, Krio,
 * Sylheti, Bilen), ordered by code.  Historic and constructed languages
 * (Latin, Esperanto, ...) are not offered, but their codes still name them
 * (portal_language_find and _name), so nothing stored before stops reading. */
extern const portal_language portal_languages[];
extern const size_t portal_languages_count;

/* The codes of the languages lists show first: those of the nationalities
 * most often referred to the NRM (Albanian, Vietnamese, Tigrinya, Arabic,
 * Dari, Pashto, Romanian, ...). */
extern const char *const portal_languages_first[];
extern const size_t portal_languages_first_count;

/* Every offered language in the order lists show them
 * (portal_languages_count entries): portal_languages_first, then the rest
 * by English name. */
const portal_language *const *portal_languages_listed(void);

/* The entry of `code` in a table, or NULL. */
const portal_code_name *portal_code_find(const portal_code_name *table, size_t n, const char *code);

/* The name of a London area slug or a language code (offered or not), or NULL. */
const char *portal_london_area_name(const char *slug);
const char *portal_language_name(const char *code);

/* The language of `code`, offered or not (see portal_languages), or NULL. */
const portal_language *portal_language_find(const char *code);

/* The offered language whose English or own name is `name` (any case), or NULL. */
const portal_language *portal_language_by_name(const char *name);

/* The kinds of exploitation the partnership works with, as the directory
 * codes them ("sexual", "labour", "criminal", "domestic_servitude",
 * "organ_harvesting", "financial"), and the agency types a partner's agency
 * has ("police", "local_authority", "health", "ngo", "other"), each with
 * its name in words.  For modules other than the directory that tag what
 * they keep with them (monitoring's observations). */
extern const portal_code_name portal_exploitation_types[];
extern const size_t portal_exploitation_types_count;
extern const portal_code_name portal_agency_types[];
extern const size_t portal_agency_types_count;

#endif
