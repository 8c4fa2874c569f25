/* dirstore.h - the directory's data in Redis.
 *
 * Keys, all under "<prefix>dir:{dir}:" (one hash tag, so the Lua scripts
 * can touch them together on a Redis Cluster):
 *   svc        hash  service id -> service JSON (stored shape, organisation {"id"})
 *   fac        hash  service id -> "param:value ..." (what facet counts read)
 *   ix         hash  service id -> every index key suffix it is in (for removal)
 *   byname     zset  service id, score = name sort key (every service)
 *   verified   zset  service id, score = last verified (Unix time)
 *   f:PARAM:VALUE set   services with that facet value
 *   w:WORD     zset  services with that word (score 3 in the name, 1 in the description)
 *   o:DAY:SLOT set   services open in that half hour (0 = Monday 00:00)
 *   org        hash  organisation id -> organisation JSON
 *   orgname    hash  organisation id -> name
 *   community  hash  community code -> name (coordinator-managed list)
 *   chg        hash  change id -> change JSON;  chgst hash change id -> status
 *   chg:pending zset change ids waiting, by time
 *   sug        hash  suggestion id -> JSON;   sug:list zset by time
 *   pw         hash  pathway id -> JSON;      pw:list zset by time
 *   tmp:*      per-search temporary keys, deleted by the same script
 */
#ifndef DIRECTORY_DIRSTORE_H
#define DIRECTORY_DIRSTORE_H

#include <jansson.h>

#include "model.h"
#include "store.h"

enum { DIRECTORY_SCRIPT_APPLY, DIRECTORY_SCRIPT_SEARCH, DIRECTORY_SCRIPT_PUT, DIRECTORY_SCRIPT_COUNT };
extern const portal_script directory_scripts[DIRECTORY_SCRIPT_COUNT];

/* The key base "<prefix>dir:{dir}:" into out (returns out). */
const char *directory_base(portal_store *st, char *out, size_t len);

/* Apply atomically: the organisations (array of stored org objects), the
 * services (array of stored service objects, each with "id"), and the
 * change `change` (object with "id" and "status", or NULL).  With
 * expect_pending, nothing is written unless the change is still pending.
 * Returns 0; -1 when the store failed; -2 when the change was not pending
 * (err says its status). */
int directory_store_apply(portal_store *st, const json_t *change, int expect_pending,
                          const json_t *orgs, const json_t *services, char *err, size_t errlen);

/* Run a search.  Returns 0 with *result {"items":[...],"total","facets":{param:{value:n}}},
 * or -1 when the store failed. `now` decides "open now". */
int directory_store_search(portal_store *st, const directory_query *q, time_t now, json_t **result);

/* One hash field as JSON: 1 with *out, 0 when absent, -1 when the store failed. */
int directory_store_get(portal_store *st, const char *hash, const char *id, json_t **out);

/* A service with its organisation's name filled in; as above. */
int directory_store_service(portal_store *st, const char *id, json_t **out);

/* Every value of a hash as JSON objects keyed by field: 0 with *out
 * (object), -1 when the store failed. */
int directory_store_all(portal_store *st, const char *hash, json_t **out);

/* HSET one JSON value (and, when zset is not NULL, ZADD it by time).
 * Returns 0 or -1. */
int directory_store_put(portal_store *st, const char *hash, const char *zset,
                        const char *id, const json_t *value);

#endif
