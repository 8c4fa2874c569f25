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
 * This is the layout the directory has always written (data version 1):
 * moving the scripts to the one convention changed no key.
 */
#ifndef DIRECTORY_DIRECTORY_H
#define DIRECTORY_DIRECTORY_H

#include <jansson.h>
#include <time.h>

#include "app.h"
#include "handlers.h"
#include "model.h"
#include "script.h"
#include "store.h"

/* The scripts (lua/NAME.lua), in store.c's table. */
enum { DIRECTORY_SCRIPT_APPLY, DIRECTORY_SCRIPT_SEARCH, DIRECTORY_SCRIPT_PUT, DIRECTORY_SCRIPT_COUNT };
extern const portal_script directory_scripts[DIRECTORY_SCRIPT_COUNT];

/* What a store call says: done, Redis unreachable or broken, or the script
 * refused (its error code is then in the caller's `code`). */
enum { DIRECTORY_STORE_OK = 0, DIRECTORY_STORE_FAILED = -1, DIRECTORY_STORE_REFUSED = -2 };

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

/* Run a search (lua/search.lua).  Returns 0 with *result
 * {"items":[...],"total","facets":{param:{value:n}}}, or -1 when the store
 * failed. `now` decides "open now". */
int directory_store_search(portal_store *st, const directory_query *q, time_t now, json_t **result);

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

/* --- views.c: pure views of what the store answers --- */

/* The search answer `res` (lua/search.lua's pairs) as
 * {"items":[...],"total":N,"facets":{param:{value:n}}} (new object), or
 * NULL when it is not that shape. */
json_t *directory_search_answer(const portal_run_result *res);

#endif
