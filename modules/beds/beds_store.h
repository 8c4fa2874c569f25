/* beds_store.h - the one way the beds handlers reach Redis: a script run
 * with the key base, the clock and the erase delay added. */
#ifndef BEDS_STORE_H
#define BEDS_STORE_H

#include <jansson.h>

#include "app.h"
#include "beds.h"

/* The module's key base "<prefix>beds:{beds}:" into out. */
void beds_key_base(const portal_store *st, char *out, size_t len);

/* Run script `script` with ARGV now, erase-seconds, then args[0..nargs).
 * Returns 0 with *out (new reference; {"ok":...} or {"err":...}); -1 when
 * the store is down (*store_down = 1) or the answer is not JSON. */
int beds_eval(portal_store *st, int script, int nargs, const char *const *args,
              json_t **out, int *store_down);

/* beds_eval for a handler: on failure answers 503 or 500 and returns -1;
 * audits the holds the script expired on the way. */
int beds_call(portal_ctx *ctx, int script, int nargs, const char *const *args, json_t **out);

/* The module's housekeeping (portal_app.housekeeping), run by each master:
 * expires the holds and erases the details that are due (auditing the
 * expiries), and when an erasure has happened since the last AOF rewrite
 * and none was asked for within PORTAL_BEDS_AOF_REWRITE_HOURS, asks Redis
 * for one (BGREWRITEAOF), so that erased values leave the disk too: the AOF
 * keeps every write until it is rewritten.  Returns the seconds until the
 * next run.  Failures are logged; nothing is retried here. */
int beds_housekeeping(portal_store *st, const portal_config *config);

#endif
