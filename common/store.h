/* store.h - Redis access for one thread.
 *
 * A portal_store is owned by one thread (hiredis contexts are not thread
 * safe).  It connects lazily with a connect timeout, sets the command timeout
 * (again after every reconnect), and after any connection error drops the
 * context so that the next call reconnects: when Redis returns, the next
 * request works with no restart.  With Redis down a call fails within the
 * connect timeout (default 300 ms), and the caller answers 503.
 *
 * Where Redis is: PORTAL_REDIS_SOCKET, or PORTAL_REDIS_HOST/PORT, or, with
 * PORTAL_REDIS_SENTINELS, the primary the Sentinels name.  Then each new
 * connection asks the Sentinels in turn (starting with the last one that
 * answered) `SENTINEL get-master-addr-by-name PORTAL_REDIS_MASTER_NAME`,
 * connects to that address and checks that it is a primary (ROLE, or
 * HELLO's role field for an ACL user without @dangerous commands); when no
 * Sentinel gives a working primary the call fails as when Redis is down.
 * A connection is dropped, and the next call asks the Sentinels again,
 * after any connection error and after an error reply starting READONLY
 * (an old primary, demoted), LOADING or MASTERDOWN (the call returns NULL
 * then): a failover is followed with no restart.
 *
 * With PORTAL_REDIS_USER / PORTAL_REDIS_PASSWORD_FILE every new connection
 * sends AUTH before anything else; PORTAL_REDIS_SENTINEL_PASSWORD_FILE does
 * the same on the Sentinels.
 *
 * Durable writes: with PORTAL_REDIS_WAIT_REPLICAS = N > 0, every write goes
 * with `WAIT N PORTAL_REDIS_WAIT_TIMEOUT_MS` in the same round trip, and
 * when fewer than N replicas confirm it the call returns NULL (logged and
 * counted as a Redis error): the caller answers 503 rather than acknowledge
 * what only the primary holds.  Reads are not followed by WAIT: a command is
 * a read when its name is in portal_store_command_is_read_only()'s list, a
 * pipeline when every command in it is, and a script when its table entry
 * says PORTAL_SCRIPT_READ_ONLY.  Anything else counts as a write.  With N = 0
 * no WAIT is sent.
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
	int         read_only;  /* PORTAL_SCRIPT_WRITES or PORTAL_SCRIPT_READ_ONLY */
} portal_script;

/* portal_script.read_only.  READ_ONLY: the script answers a read, and
 * whatever it may write besides is derived again by its next run (an idle
 * timeout's slide, a lazy expiry, temporary keys it deletes), so losing that
 * in a failover loses nothing acknowledged: no WAIT follows it.  Anything
 * else is WRITES (when unsure, WRITES). */
enum { PORTAL_SCRIPT_WRITES = 0, PORTAL_SCRIPT_READ_ONLY = 1 };

typedef struct portal_store portal_store;

/* A new store for the calling thread (not yet connected).  `scripts` (the
 * module's) must outlive it; libportal's own scripts, when registered with
 * portal_store_use_common_scripts() before, are loaded too.  NULL when out
 * of memory. */
portal_store *portal_store_new(const portal_config *cfg,
                               const portal_script *scripts, size_t nscripts);

/* Register libportal's own scripts (the sessions' and the sign-in
 * throttle's, owned by session.c: portal_session_scripts), run with
 * portal_store_eval_common() by every store made after this call.  Call once
 * at start-up, before any thread makes a store; `scripts` must outlive every
 * store.  The store itself knows nothing of sessions. */
void portal_store_use_common_scripts(const portal_script *scripts, size_t n);

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

/* 1 when the command named name[0..len) (any case) only reads, so that no
 * WAIT need follow it: GET, HGETALL, ZRANGE, EXISTS, TTL, SCAN, PING ...
 * (the list is in store.c); 0 for any other name, writes and unknown
 * commands alike. */
int portal_store_command_is_read_only(const char *name, size_t len);

/* The same for a command in the Redis protocol as hiredis formats it
 * ("*N\r\n$L\r\nNAME\r\n..."); 0 when it cannot be parsed. */
int portal_store_formatted_is_read_only(const char *cmd, size_t len);

#endif
