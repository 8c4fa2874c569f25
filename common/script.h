/* script.h - run a module's Lua script by the one convention (issue 12).
 *
 * Every script of a module:
 *   - touches only keys under the module's hash tag; KEYS[1] is the tag's
 *     base key ("<prefix>{training}") and every other key is derived from it,
 *     so the scripts run unchanged on Redis Cluster (one slot);
 *   - takes its arguments as name/value pairs: ARGV = {"name", value, ...};
 *   - answers one flat array {status, name, value, name, value, ...} where
 *     status is "ok" or an error code ("not_found", "booking_closed"), and
 *     the pairs after it are the changed record's fields (writes) or the
 *     ready-made JSON text kept beside the data (reads).
 * portal_store_run() sends such a call and hands back a typed result; the
 * module maps its error codes to an HTTP status and message in its own table.
 */
#ifndef PORTAL_SCRIPT_H
#define PORTAL_SCRIPT_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "store.h"

/* One argument: ARGV gets name then value.  NULL value is sent as "". */
typedef struct portal_script_arg {
	const char *name;
	const char *value;
} portal_script_arg;

/* What portal_store_run() says about the call itself. */
typedef enum portal_run_rc {
	PORTAL_RUN_OK = 0,            /* the script answered by the convention */
	PORTAL_RUN_UNAVAILABLE = -1,  /* Redis could not be reached: answer 503 */
	PORTAL_RUN_BROKEN = -2        /* a Redis error or an answer of another shape: 500 */
} portal_run_rc;

/* A script's answer.  Owns the reply: free with portal_run_result_free(). */
typedef struct portal_run_result {
	portal_run_rc rc;
	const char   *status;   /* "ok" or the error code; "" unless rc is OK */
	size_t        npairs;   /* name/value pairs after the status */
	redisReply   *reply;    /* owned */
	char          cause[200];  /* with PORTAL_RUN_BROKEN: what went wrong, for the log */
} portal_run_result;

/* Run script number `index` of the module's table with KEYS = keys[0..nkeys)
 * and ARGV = the pairs args[0..nargs) flattened.  Fills *out (always: free it
 * with portal_run_result_free even when rc is not OK).  Returns out->rc. */
portal_run_rc portal_store_run(portal_store *st, size_t index,
                               size_t nkeys, const char *const *keys,
                               size_t nargs, const portal_script_arg *args,
                               portal_run_result *out);

/* A call being built: name/value pairs, with room for the numbers written
 * as text.  Pairs point into the call itself (and at the caller's strings),
 * so build it where it is used and never copy it:
 *
 *     portal_script_call c;
 *     portal_call_init(&c);
 *     portal_call_arg(&c, "safehouse", id);
 *     portal_call_num(&c, "now", (long long)time(NULL));
 *     portal_call_run(st, SCRIPT_ID, base_key, &c, &res);
 */
#define PORTAL_CALL_ARGS_MAX 32
typedef struct portal_script_call {
	portal_script_arg args[PORTAL_CALL_ARGS_MAX];
	char              num[PORTAL_CALL_ARGS_MAX][24];
	size_t            n;
	int               overflow;  /* a pair did not fit: the call is refused */
} portal_script_call;

/* Empty call c. */
void portal_call_init(portal_script_call *c);

/* Add the pair name = value (value NULL: ""). */
void portal_call_arg(portal_script_call *c, const char *name, const char *value);

/* Add the pairs name, value, name, value, ... up to a NULL name (a NULL
 * value is sent as ""). */
void portal_call_args(portal_script_call *c, const char *name, ...) __attribute__((sentinel));

/* Add the pair name = v as decimal text. */
void portal_call_num(portal_script_call *c, const char *name, long long v);

/* Add the part of a list a read script answers (a page, common/paging.h):
 * "from" (its first item, from 0) and "count" (how many; 0: what the
 * script takes for all). */
void portal_call_range(portal_script_call *c, long long from, long long count);

/* Run script `index` with KEYS = {base_key} (the module's hash-tag base key)
 * and ARGV = c's pairs; as portal_store_run (fills *out: free it).  A call
 * that overflowed is not sent: PORTAL_RUN_BROKEN, saying so in out->cause. */
portal_run_rc portal_call_run(portal_store *st, size_t index, const char *base_key,
                              const portal_script_call *c, portal_run_result *out);

/* 1 when the script answered "ok". */
int portal_run_ok(const portal_run_result *res);

/* The value of the first pair named `name` (NUL-terminated, owned by the
 * result; *len set when len is not NULL), or NULL when there is none. */
const char *portal_run_field(const portal_run_result *res, const char *name, size_t *len);

/* Pair number i (0-based): its name and value (owned by the result), or -1
 * when i is out of range. */
int portal_run_pair(const portal_run_result *res, size_t i, const char **name,
                    const char **value, size_t *len);

/* Append to out the values of res's pairs named `name`, in order: the
 * pieces of one JSON text a read script hands back as stored (joining
 * them in Lua would copy each).  Returns 0, or -1 when out overflowed. */
int portal_run_join(const portal_run_result *res, const char *name, portal_buf *out);

/* The value of pair `name` parsed as JSON (new reference), or NULL when it
 * is absent or not JSON. */
json_t *portal_run_json(const portal_run_result *res, const char *name);

/* Every pair after the status parsed as JSON: a new object {name: value}
 * (later pairs of the same name win).  NULL when a value is not JSON (its
 * name in *bad, owned by the result) or memory ran out (*bad untouched). */
json_t *portal_run_all_json(const portal_run_result *res, const char **bad);

/* Free the reply and clear *res. */
void portal_run_result_free(portal_run_result *res);

#endif
