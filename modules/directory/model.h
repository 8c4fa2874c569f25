/* model.h - the directory's data: what a service and an organisation are,
 * how input becomes one (validation), and how a service is indexed for
 * search (facet values, free-text words, opening-hour slots, name order).
 *
 * Everything here is pure (no store, no request): unit tests and fuzz
 * targets call it directly.
 */
#ifndef DIRECTORY_MODEL_H
#define DIRECTORY_MODEL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* A code and its name, for the fixed lists below. */
typedef struct directory_code {
	const char *code;
	const char *name;
} directory_code;

/* The fixed lists (NULL-terminated on code). */
extern const directory_code directory_service_types[];
extern const directory_code directory_exploitation_types[];
extern const directory_code directory_client_groups[];
extern const directory_code directory_referrers[];
extern const directory_code directory_days[];   /* "mon".."sun" */

/* The facets of a search, in the order answers list them: the query
 * parameter, the service field it reads, and its fixed list (NULL for
 * languages, communities and boroughs, which are checked elsewhere). */
typedef struct directory_facet {
	const char           *param;   /* "exploitation" */
	const char           *field;   /* "exploitation_types" */
	const directory_code *values;  /* or NULL */
	const char           *label;   /* "Exploitation type" */
} directory_facet;

enum {
	DIRECTORY_FACET_SERVICE_TYPE, DIRECTORY_FACET_EXPLOITATION, DIRECTORY_FACET_CLIENT_GROUP,
	DIRECTORY_FACET_LANGUAGE, DIRECTORY_FACET_COMMUNITY, DIRECTORY_FACET_BOROUGH,
	DIRECTORY_FACET_REFERRER, DIRECTORY_FACET_COUNT
};
extern const directory_facet directory_facets[DIRECTORY_FACET_COUNT];

/* Limits of a search. */
#define DIRECTORY_PER_PAGE_MAX 100
#define DIRECTORY_QUERY_WORDS_MAX 8
#define DIRECTORY_FACET_VALUES_MAX 40
#define DIRECTORY_WORD_MAX 40
#define DIRECTORY_HOUR_SLOTS 48   /* half hours in a day */

/* The name of a code in a fixed list, or NULL. */
const char *directory_code_name(const directory_code *list, const char *code);

/* The name of a borough slug (the 33 London areas and "london-wide"), or NULL. */
const char *directory_borough_name(const char *slug);

/* 1 when s is a lower-case UUID (8-4-4-4-12 hex digits). */
int directory_uuid_valid(const char *s);

/* Write a new random (version 4) UUID into out (37 bytes).  Returns 0 or -1. */
int directory_uuid_new(char out[37]);

/* Opening hours as half-hour slots: bit s of week[d] is set when the
 * service is open from s*30 minutes past midnight on day d (0 = Monday). */
typedef struct directory_hours {
	uint64_t week[7];
} directory_hours;

/* Parse opening times: "" (none), or items separated by ';', each
 * "DAYS HH:MM-HH:MM" where DAYS is a day ("mon"), a range ("mon-fri") or
 * days joined by ',' ("sat,sun"), minutes are 00 or 30, and the closing
 * time (up to 24:00) is after the opening time.  Returns 0 and fills *h, or
 * -1 with a message for the person in err. */
int directory_hours_parse(const char *text, directory_hours *h, char *err, size_t errlen);

/* 1 when hours (with always_open) are open on London weekday `dow` (0 =
 * Monday) at `minute` past midnight. */
int directory_hours_open_at(const directory_hours *h, int always_open, int dow, int minute);

/* Call `fn` for each searchable word of `text`: lower-cased ASCII letters
 * and digits and any non-ASCII UTF-8 bytes, 2 to DIRECTORY_WORD_MAX bytes,
 * common English words left out.  Stops after `max` words; returns how many
 * were passed. */
size_t directory_tokenise(const char *text, size_t max,
                          void (*fn)(const char *word, size_t len, void *arg), void *arg);

/* A sort key for names: the first ten letters and digits of the name,
 * case-folded, as a number below 2^53 (so a Redis sorted-set score keeps it
 * exactly).  Names equal in those ten order by id. */
double directory_name_score(const char *name);

/* Validate a service from `input` (the API's JSON shape with "hours" and
 * "how_to_refer" objects and "languages" as codes, or the page form's flat
 * fields).  `communities` is the managed list (object code -> name).
 * `partial_base`, when not NULL, is the stored service a PUT changes: absent
 * fields keep its values.  Returns 0 with *service (new object in the stored
 * shape, without id, organisation name or times), or -1 with *errors (field ->
 * what to fix). */
int directory_service_validate(const json_t *input, const json_t *communities,
                               const json_t *partial_base, json_t **service, json_t **errors);

/* Validate an organisation (name, description, website, email, phone,
 * agency_id).  As above. */
int directory_organisation_validate(const json_t *input, const json_t *partial_base,
                                    json_t **org, json_t **errors);

/* The index entries of a stored service: `facets` gets "param:value" words
 * separated by spaces (what facet counts read), `index` gets every index
 * key suffix the service belongs to ("f:language:sq", "o:0:18",
 * "w:safe=2" for a word sorted set with its score).  Returns 0, or -1
 * when a buffer overflowed. */
int directory_service_index(const json_t *service, portal_buf *facets, portal_buf *index);

/* A parsed search. */
typedef struct directory_query {
	const char *words[DIRECTORY_QUERY_WORDS_MAX];  /* point into `text` */
	size_t      nwords;
	char        text[DIRECTORY_QUERY_WORDS_MAX * (DIRECTORY_WORD_MAX + 1)];
	/* per facet, the chosen values (point into the validated object) */
	const char *values[DIRECTORY_FACET_COUNT][DIRECTORY_FACET_VALUES_MAX];
	size_t      nvalues[DIRECTORY_FACET_COUNT];
	int         open_now;
	int         sort_name;  /* 1: by name; 0: by relevance (name when no words) */
	long long   page, per_page;
	char        organisation_id[37];  /* "" or only this organisation's services */
	long long   modified_after;       /* 0 or only services changed after (Unix time) */
} directory_query;

/* Parse and validate a search from `input` (the query object).  On success
 * returns 0, fills *q and sets *valid (new object holding the strings q
 * points into: keep it alive while q is used).  Communities are checked
 * against `communities` (object code -> name).  Returns -1 with *errors
 * (field -> what to fix) otherwise. */
int directory_query_parse(const json_t *input, const json_t *communities,
                          directory_query *q, json_t **valid, json_t **errors);

/* Open Referral (HSDS 3.1) views of a stored service / organisation
 * (new objects).  `org` may be NULL.  `modified` is RFC 3339. */
json_t *directory_hsds_service(const json_t *service, const json_t *org);
json_t *directory_hsds_organisation(const json_t *org, const json_t *services);

/* Read an HSDS 3.x service (as the export writes it) back into our
 * service input shape (new object) for directory_service_validate; NULL
 * with a message in err when it is not a service object. */
json_t *directory_hsds_service_input(const json_t *hsds, char *err, size_t errlen);

/* The stable UUID of the taxonomy of facet `param`. */
void directory_taxonomy_id(const char *param, char out[37]);

/* The stable UUID of a taxonomy term for facet `param` and `code`. */
void directory_term_id(const char *param, const char *code, char out[37]);

#endif
