/* directory.h - the referral-pathway directory: its key layout, limits,
 * script ids, and the contract of what one file offers another.
 *
 * Keys, all under the base key "<prefix>dir:{dir}" (KEYS[1] of every
 * script; one hash tag, so the scripts run on a Redis Cluster):
 *   :svc        hash  service id -> service JSON (stored shape, organisation {"id"})
 *   :fac        hash  service id -> "param:value ..." (what facet counts read)
 *   :ix         hash  service id -> every index key suffix it is in (for removal)
 *   :byname     zset  service id, score = name sort key (every service)
 *   :verified   zset  service id, score = last verified (Unix time)
 *   :modified   zset  service id, score = last changed (Unix time)
 *   :f:PARAM:VALUE set services with that facet value
 *   :w:WORD     zset  services with that word (score 3 in the name, 1 in the description)
 *   :o:DAY:SLOT set   services open in that half hour (0 = Monday 00:00)
 *   :org        hash  organisation id -> organisation JSON
 *   :orgname    hash  organisation id -> name
 *   :community  hash  community code -> name (coordinator-managed list)
 *   :chg        hash  change id -> change JSON;  :chgst hash change id -> status
 *   :chg:pending zset change ids waiting, by time
 *   :sug        hash  suggestion id -> JSON;   :sug:list zset by time
 *   :pw         hash  pathway id -> JSON;      :pw:list zset by time
 *   :tmp:*      per-search temporary keys, deleted by the same script
 *   :pub        hash  service id -> its public view: the stored JSON with the
 *                     organisation's name (what a search answers; apply.lua)
 *   :ver        string bumped by every write of services or organisations
 *   :qc:VER     hash  searches cached under version VER (search.lua):
 *                     query -> total, the page's ids, the facet counts;
 *                     at most 2,000 fields, gone 10 minutes after its first
 *   :fv         set   every "param:value" a service was written with (the
 *                     unfiltered search's facet counts: each :f: set's size)
 *   :dv         string the data version (absent: 1; migrate.c)
 *   :due        zset  "unverified:ID" -> when service ID falls due for
 *                     service_unverified (6 months after its verification,
 *                     then monthly; lua/due.lua, run by portal-notify's clock)
 *   :events     stream what happened (change_*, suggestion_made,
 *                     service_unverified: common/lua/lib.lua's event())
 * Data version 1 had no :pub, :ver, :qc, :fv or :dv, and the words of facet
 * names only for services saved since they were indexed; version 2 is every
 * service applied again (migrate.c); version 3 (DIRECTORY_DATA_VERSION)
 * again, which fills :due.
 */
#ifndef DIRECTORY_DIRECTORY_H
#define DIRECTORY_DIRECTORY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "app.h"
#include "buf.h"
#include "script.h"
#include "store.h"

/* === codes.c, uuid.c, hours.c, index.c, fields.c, format.c: the data, pure === */

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

/* The name a person reads for one stored item (a code, or an object with
 * "code" and "name") of facet f's list, or NULL when unknown. */
const char *directory_facet_item_name(size_t f, const json_t *item);

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

/* The field checks (portal_field_check) of a managed community's code
 * (lower-case letters, digits, hyphens) and of a generated set's tag
 * (lower-case letters and digits). */
int directory_check_community_code(const json_t *v, char *msg, size_t msglen);
int directory_check_tag(const json_t *v, char *msg, size_t msglen);

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
 * against `communities` (object code -> name; NULL: not here, the search
 * script checks them).  Returns -1 with *errors
 * (field -> what to fix) otherwise. */
int directory_query_parse(const json_t *input, const json_t *communities,
                          directory_query *q, json_t **valid, json_t **errors);

/* Add to *errors (field -> message) what to fix about `code`, not a known
 * value of facet f. */
void directory_unknown_value(json_t **errors, size_t f, const char *code);

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

/* A stable UUID from the texts a, b, c (two FNV-1a 64 hashes): the same
 * texts always give the same id, so exported sub-records keep their ids
 * (uuid.c). */
void directory_uuid_from(const char *a, const char *b, const char *c, char out[37]);

/* Copy key `from` of object `src` to key `to` of `dst` when present (fields.c). */
void directory_copy(json_t *dst, const char *to, const json_t *src, const char *from);

/* Write the canonical text of parsed opening hours into out: one item per
 * distinct (open, close) run shared by the same days, e.g. "mon-fri
 * 09:00-17:00; sat 10:00-13:00" (hours.c); with `words`, as a person reads
 * it: "Monday to Friday, 9am to 5pm; Saturday, 10am to 1pm". */
void directory_hours_text(const directory_hours *h, portal_buf *out, int words);

/* Stored opening hours text in words (as above); the text itself when it
 * does not parse, "Not given" when empty. */
void directory_hours_words(const char *opening, portal_buf *out);

/* Set id, updated_at (now) and last_verified (`verified`, or today when
 * NULL and not already set) on a stored service (fields.c). */
void directory_service_stamp(json_t *svc, const char *id, time_t now, const char *verified);

/* === the handlers, one file per resource (see main.c) === */

/* services.c */
void directory_search(portal_ctx *ctx);
void directory_service_get(portal_ctx *ctx);
void directory_service_edit_page(portal_ctx *ctx);
void directory_service_post(portal_ctx *ctx);
void directory_service_put(portal_ctx *ctx);
/* The service page's data for stored service `svc` (new object): the
 * service with display names, its organisation, may_edit and the banners
 * the query asks for. */
json_t *directory_service_page_data(portal_ctx *ctx, const json_t *svc);

/* organisations.c */
void directory_orgs_list(portal_ctx *ctx);
void directory_org_get(portal_ctx *ctx);
void directory_org_post(portal_ctx *ctx);
void directory_org_put(portal_ctx *ctx);
void directory_org_edit_page(portal_ctx *ctx);
void directory_communities_get(portal_ctx *ctx);
void directory_community_post(portal_ctx *ctx);

/* suggestions.c */
void directory_suggestion_post(portal_ctx *ctx);
void directory_suggestions_list(portal_ctx *ctx);
void directory_suggestion_close(portal_ctx *ctx);

/* changes.c */
/* --- languages.c --- */

void directory_languages_get(portal_ctx *ctx);
void directory_languages_put(portal_ctx *ctx);

/* The success banner's context for a page reached after an action (the
 * query's proposed, updated, suggested, closed or done=approved|rejected):
 * {heading, next}, or JSON null (new reference). */
json_t *directory_done(const json_t *query);

/* Put the signed-in person's name (under name_key) and agency name
 * ("agency_name") on a new record, for pages in words; NULL does nothing. */
void directory_sign(portal_ctx *ctx, json_t *record, const char *name_key);

/* record[out_key] = "Ana Lee of Demo Charity A at 11:18pm on Friday 4
 * December" from its name_key, agency_name and time_key ("A partner" when
 * the record has no name). */
void directory_who(json_t *record, const char *name_key, const char *time_key, const char *out_key);
void directory_changes_list(portal_ctx *ctx);
void directory_change_approve(portal_ctx *ctx);
void directory_change_reject(portal_ctx *ctx);

/* pathways.c */
void directory_pathways_list(portal_ctx *ctx);
void directory_pathway_get(portal_ctx *ctx);
void directory_pathway_post(portal_ctx *ctx);
void directory_pathway_put(portal_ctx *ctx);
void directory_pathway_new_page(portal_ctx *ctx);
void directory_pathway_edit_page(portal_ctx *ctx);
/* The demo pathways (marked as examples).  Returns 0 or -1 with err. */
int directory_pathways_demo(portal_store *st, char *err, size_t errlen);

/* openreferral.c */
void directory_or_root(portal_ctx *ctx);
void directory_or_services(portal_ctx *ctx);
void directory_or_service(portal_ctx *ctx);
void directory_or_organizations(portal_ctx *ctx);
void directory_or_organization(portal_ctx *ctx);
void directory_or_taxonomies(portal_ctx *ctx);
void directory_or_taxonomy_terms(portal_ctx *ctx);
void directory_or_service_at_locations(portal_ctx *ctx);
void directory_export(portal_ctx *ctx);
void directory_import(portal_ctx *ctx);
void directory_generate_post(portal_ctx *ctx);

/* What the handlers share (replies.c). */
/* Every stored record of `kind` ("org", "pw", ...) as a new array, or NULL
 * after answering 503. */
json_t *directory_list_all(portal_ctx *ctx, const char *kind);
/* The page of `list` (array, stolen) that the query's page and per_page
 * ask for (default 1 and 20, at most DIRECTORY_PER_PAGE_MAX a page) as a
 * new object {key: [...], "total", "page", "per_page"}, and on a page
 * "pagination" {page_number, pages, prev_href?, next_href?} (links to
 * `path`) when there is more than one page; or NULL after answering 422
 * for a bad page or per_page.  directory_list_input: its fields. */
json_t *directory_paged(portal_ctx *ctx, json_t *list, const char *key, const char *path);
extern const portal_fields directory_list_input;
/* The communities list (object code -> name): 0, or -1 after answering 503. */
int directory_communities(portal_ctx *ctx, json_t **out);
/* 1 when the signed-in user may change organisation `org` (coordinator, or
 * NGO staff of its agency). */
int directory_may_edit(portal_ctx *ctx, const json_t *org);
/* The record of `kind` ("org", "svc", "pw", "chg", "sug"; NULL: the
 * service with its organisation, directory_store_service) that the path's
 * {id} names, into *out (new reference); returns its id (owned by the
 * request), or NULL after answering 404 (`what`: "pathway") or 503. */
const char *directory_load(portal_ctx *ctx, const char *kind, const char *what, json_t **out);
/* The stored organisation of service `svc` into *org (NULL when it has
 * none): 0, or -1 after answering 503. */
int directory_service_org(portal_ctx *ctx, const json_t *svc, json_t **org);

/* The language guide on the directory's free text (notes.c, issue 18). */
typedef enum directory_texts {
	DIRECTORY_TEXTS_SERVICE, DIRECTORY_TEXTS_ORGANISATION, DIRECTORY_TEXTS_PATHWAY,
	DIRECTORY_TEXTS_SUGGESTION, DIRECTORY_TEXTS_DECISION, DIRECTORY_TEXTS_COUNT
} directory_texts;
/* The language notes over every free-text field of `record` (a stored
 * record of `kind`): [{term, found, preferred, reason}], [] when nothing
 * was found.  New reference. */
json_t *directory_language_notes(portal_store *st, const json_t *record, directory_texts kind);
/* The page after a save: when `record` has terms of the guide, data gains
 * saved_notes {language_notes, change_href, change_words} (either may be
 * NULL: no link). */
void directory_saved_notes(portal_store *st, json_t *data, const json_t *record, directory_texts kind,
                           const char *change_href, const char *change_words);
/* The answer to a write: with language_notes over `record`'s free text
 * when the request is the API's (a page goes on without them).  Returns
 * answer. */
json_t *directory_with_notes(portal_ctx *ctx, json_t *answer, const json_t *record, directory_texts kind);
/* The change or suggestion (`kind` "chg" or "sug") that the query's
 * `param` names, when its `by_key` is the signed-in user and its
 * `about_key` (NULL: any) is `about`: 0 with *out (new reference); else -1
 * with *out NULL (nothing to show). */
int directory_saved_record(portal_ctx *ctx, const char *param, const char *kind, const char *by_key,
                           const char *about_key, const char *about, json_t **out);
/* The pages after a save: the notes of what the viewer just saved, as
 * saved_notes in the page data.  Service {id} `svc`: ?updated (its
 * editor), ?change=ID (their proposal), ?suggestion=ID (their suggestion,
 * shown again in the form); organisation {id}: ?updated, ?change=ID.  (A
 * decision's reason is given in the API only: its answer has the notes.) */
void directory_service_notes(portal_ctx *ctx, json_t *data, const json_t *svc, const char *id);
void directory_org_notes(portal_ctx *ctx, json_t *data, const json_t *org, const char *id);

/* Events counted in the module's metrics (common/metrics.h); names in main.c. */
enum { DIRECTORY_EV_SEARCH, DIRECTORY_EV_SEARCH_NO_RESULT, DIRECTORY_EV_COUNT };

/* === demo.c: the demo data and the service generator === */

/* --load-demo: the demo organisations, services, communities and pathways,
 * unless the directory already holds organisations.  Returns 0, or -1 with
 * err. */
int directory_load_demo(portal_store *st, const portal_config *cfg, char *err, size_t errlen);

/* The demo communities as an object code -> name (new reference). */
json_t *directory_demo_communities_json(void);

/* The ~30 fictional demo organisations and their services (stored shape,
 * new arrays).  Returns 0, or -1 with err when a demo row does not
 * validate (a bug). */
int directory_demo_build(json_t **orgs, json_t **services, char *err, size_t errlen);

/* `n` generated services (numbered from first+1) under one new
 * organisation, all in community "gen-TAG" (so a search can pick the set).
 * The first 25 of a set (first + i < 25) match language=sq,
 * exploitation=criminal, borough=newham; no other generated service serves
 * Newham, so that search returns 25 at any set size (the benchmark).
 * Returns 0 with new arrays, or -1. */
int directory_generate(size_t n, const char *tag, size_t first, json_t **orgs, json_t **services);


/* === store.c === */

/* The scripts (lua/NAME.lua), in store.c's table. */
enum { DIRECTORY_SCRIPT_APPLY, DIRECTORY_SCRIPT_SEARCH, DIRECTORY_SCRIPT_PUT, DIRECTORY_SCRIPT_COUNT };
extern const portal_script directory_scripts[DIRECTORY_SCRIPT_COUNT];

/* What a store call says: done, Redis unreachable or broken, or the script
 * refused (its error code is then in the caller's `code`). */
enum { DIRECTORY_STORE_OK = 0, DIRECTORY_STORE_FAILED = -1, DIRECTORY_STORE_REFUSED = -2 };

/* A service not verified for this long (6 months) is due for verification. */
#define DIRECTORY_VERIFY_DUE_SECONDS (183L * 24 * 3600)

/* Most services one "verification due" list names. */
#define DIRECTORY_DUE_MAX 200

/* --- store.c: the only file that talks to Redis --- */

/* Apply atomically (lua/apply.lua): the organisations (array of stored org
 * objects), the services (array of stored service objects, each with
 * "id"), and the change `change` (object with "id" and "status", or NULL).
 * With expect_pending, nothing is written unless the change is still
 * pending.  Returns DIRECTORY_STORE_OK; _FAILED (code says why, for the
 * log); _REFUSED with the script's error code in code ("not_pending",
 * "no_change"). */
int directory_store_apply(portal_store *st, const json_t *change, int expect_pending,
                          const json_t *orgs, const json_t *services, char *code, size_t codelen);

/* Run a search (lua/search.lua) into *res (free it; always filled): its
 * fragments (directory_search_text joins them), or its status
 * "unknown_community" naming the first chosen community not on the list.  `now` decides "open
 * now" and "verification_due".  Returns res->rc. */
portal_run_rc directory_store_search_run(portal_store *st, const directory_query *q, time_t now,
                                        portal_run_result *res);

/* The same answer parsed: 0 with *result {"items":[...],"total","facets":
 * {param:{value:n}},"page","per_page"}, or -1 when the store failed or a
 * community is not on the list. */
int directory_store_search(portal_store *st, const directory_query *q, time_t now, json_t **result);

/* The data version the directory's stored data has (see the key layout). */
#define DIRECTORY_DATA_VERSION 3

/* Apply `services` (array of stored services, or NULL) again, and with
 * data_version > 0 set the stored data's version in the same call; as
 * directory_store_apply. */
int directory_store_reindex(portal_store *st, const json_t *services, int data_version, char *code, size_t codelen);

/* The stored data's version (1 when none is kept): 0 with *version, or -1. */
int directory_store_data_version(portal_store *st, long long *version);

/* --- migrate.c --- */

/* Bring data of an older version to DIRECTORY_DATA_VERSION (idempotent,
 * logged).  Returns 0, or -1 (logged) when the store failed. */
int directory_migrate(portal_store *st);

/* The master's housekeeping (app.h): the migration. */
int directory_housekeeping(portal_store *st, const portal_config *cfg);

/* One hash field as JSON: 1 with *out, 0 when absent, -1 when the store failed. */
int directory_store_get(portal_store *st, const char *hash, const char *id, json_t **out);

/* A service with its organisation's name filled in; as above. */
int directory_store_service(portal_store *st, const char *id, json_t **out);

/* Every value of a hash as JSON objects keyed by field: 0 with *out
 * (object), -1 when the store failed. */
int directory_store_all(portal_store *st, const char *hash, json_t **out);

/* Store one JSON value in hash "community", "pw" or "sug" (lua/put.lua)
 * and, when list is not NULL ("pw:list", "sug:list"), list it by time.
 * Returns 0 or -1. */
int directory_store_put(portal_store *st, const char *hash, const char *list,
                        const char *id, const json_t *value);

/* How many organisations are stored: 0 with *n, or -1. */
int directory_store_org_count(portal_store *st, long long *n);

/* The ids of services last verified before `before` (oldest first, at most
 * DIRECTORY_DUE_MAX): 0 with *ids (new array of strings), or -1. */
int directory_store_due(portal_store *st, time_t before, json_t **ids);

/* --- replies.c --- */

/* Answer a store call that did not succeed: rc DIRECTORY_STORE_REFUSED with
 * the script's error `code` by the error-code table (status, code,
 * message); anything else (or a code the table lacks) 503. */
void directory_reply_store(portal_ctx *ctx, int rc, const char *code);
/* After a write: when `stored` is 0, 503 (and details freed) and 0; else the
 * audit line `event` with `details` (stolen) and 1, for the caller to answer. */
int directory_stored(portal_ctx *ctx, int stored, const char *event, json_t *details);

/* The services of one organisation (stored shape, by name; new array), up
 * to 100, or NULL when the store failed. */
json_t *directory_store_org_services(portal_store *st, const char *org_id);

/* --- views.c: pure views --- */

/* A contact text split round its first UK phone number, for a tel: link:
 * {before, phone, tel, after} (phone and tel missing when it has none). */
json_t *directory_phone_parts(const char *text);


/* A stored day "2026-11-04" in words: "4 November 2026" ("not yet" when
 * there is none). */
void directory_day_words(const char *date, char *out, size_t len);

/* A service with display names for the page (new object), flagged
 * "verification_due" when not verified for 6 months. */
json_t *directory_service_view(const json_t *svc);


/* The API's search answer {"items":[...],"total":N,"facets":{...},"page",
 * "per_page"} into out from the search script's fragments `res` (each
 * service's public view given its "verification_due" flag, the facet counts
 * as they came), joined, not parsed.  Returns 0, or -1 when `res` is not
 * that shape or out overflowed. */
int directory_search_text(const portal_run_result *res, long long page, long long per_page, portal_buf *out);

/* Generated services (and a migration's) are applied this many to a
 * script: a batch of 500 outlasted the 500 ms Redis command timeout on a
 * busy 2-CPU machine (the bench's setup answered 503), and so did one of
 * 100 when the machine was shared (160-235 ms a batch of 100 with
 * opening slots and words, INFO commandstats, load 9-14); 50 halves that. */
#define DIRECTORY_GENERATE_BATCH 50

/* The field tables of the API's requests (named by the route lines for the
 * API description, openapi.c). */
extern const portal_fields directory_decision_input;
extern const portal_fields directory_org_input;
extern const portal_fields directory_query_input;
extern const portal_fields directory_or_input;
extern const portal_fields directory_generate_input;
extern const portal_fields directory_community_input;
extern const portal_fields directory_pathway_input;
extern const portal_fields directory_suggestion_input;

#endif
