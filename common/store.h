/* store.h - Redis access for one thread.
 *
 * A portal_store is owned by one thread (hiredis contexts are not thread
 * safe).  It connects lazily with a connect timeout, sets the command timeout
 * (again after every reconnect), and after any connection error drops the
 * context so that the next call reconnects: when Redis returns, the next
 * request works with no restart.  With Redis down a call fails within the
 * connect timeout (default 300 ms), and the caller answers 503.
 *
 * Lua scripts are declared by the module (portal_app.scripts) and loaded with
 * SCRIPT LOAD on each new connection; portal_store_eval() runs one by EVALSHA
 * and reloads it once when Redis answers NOSCRIPT (e.g. after SCRIPT FLUSH or
 * a failover to a server that never saw it).
 */
#ifndef PORTAL_STORE_H
#define PORTAL_STORE_H

#include <hiredis/hiredis.h>
#include <stddef.h>

#include "config.h"

/* A Lua script a module runs atomically in Redis. */
typedef struct portal_script {
	const char *name;    /* for logs: "training_book" */
	const char *source;  /* the Lua source */
} portal_script;

typedef struct portal_store portal_store;

/* A new store for the calling thread (not yet connected).  `scripts` (the
 * module's) must outlive it; libportal's own scripts (sessions, throttling)
 * are loaded too.  NULL when out of memory. */
portal_store *portal_store_new(const portal_config *cfg,
                               const portal_script *scripts, size_t nscripts);

/* libportal's own scripts, run with portal_store_eval_common(). */
extern const portal_script portal_common_scripts[];
extern const size_t portal_common_scripts_count;

/* Close the connection and free the store. */
void portal_store_free(portal_store *st);

/* Run a command given as argv.  Returns the reply (caller frees with
 * freeReplyObject), which may be of type REDIS_REPLY_ERROR; or NULL when
 * Redis could not be reached or the connection failed (the store then
 * reconnects on the next call). */
redisReply *portal_store_command_argv(portal_store *st, int argc,
                                      const char **argv, const size_t *argvlen);

/* Run `n` commands in one round trip (pipelined): command i is argv[i]
 * with argc[i] strings.  Fills replies[0..n), each to be freed by the
 * caller (error replies included).  Returns 0, or -1 when Redis could not
 * be reached or the connection failed (then no reply is kept). */
int portal_store_pipeline(portal_store *st, size_t n, const int *argc,
                          const char **const *argv, redisReply **replies);

/* printf-style command (hiredis format: %s, %b, %d ...).  As above. */
redisReply *portal_store_command(portal_store *st, const char *fmt, ...);

/* Run script number `index` (of the module's table) with `nkeys` keys
 * followed by `nargs` arguments, all NUL-terminated strings.  As above. */
redisReply *portal_store_eval(portal_store *st, size_t index,
                              int nkeys, const char *const *keys,
                              int nargs, const char *const *args);

/* The same for libportal's own script number `index`. */
redisReply *portal_store_eval_common(portal_store *st, size_t index,
                                     int nkeys, const char *const *keys,
                                     int nargs, const char *const *args);

/* 1 when a PING succeeds now, 0 otherwise. */
int portal_store_ping(portal_store *st);

/* The key prefix to put before every key ("portal:"). */
const char *portal_store_prefix(const portal_store *st);

#endif
