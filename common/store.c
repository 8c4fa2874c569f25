/* store.c - per-thread Redis connection with lazy reconnect (see store.h). */
#include "store.h"

#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "metrics.h"

#define STORE_MAX_ARGS 64

struct portal_store {
	const portal_config *cfg;
	const portal_script *scripts;  /* the module's */
	size_t               nscripts;
	size_t               total;    /* common + module scripts */
	redisContext        *ctx;      /* NULL while disconnected */
	char               (*sha)[41]; /* SHA1 of each script on this connection */
};

portal_store *portal_store_new(const portal_config *cfg,
                               const portal_script *scripts, size_t nscripts)
{
	portal_store *st = calloc(1, sizeof(*st));

	if (st == NULL)
		return NULL;
	st->cfg = cfg;
	st->scripts = scripts;
	st->nscripts = nscripts;
	st->total = portal_common_scripts_count + nscripts;
	if (st->total && (st->sha = calloc(st->total, sizeof(*st->sha))) == NULL) {
		free(st);
		return NULL;
	}
	return st;
}

/* metrics: count a store call that failed (returned NULL or -1); returns NULL. */
static void *store_failed(void)
{
	portal_metrics_redis_error();
	return NULL;
}

/* Drop the connection after an error; the next call reconnects. */
static void store_drop(portal_store *st, const char *why)
{
	if (st->ctx) {
		portal_log(PORTAL_LOG_WARN, "redis connection lost",
		           json_pack("{s:s, s:s}", "cause", why,
		                     "detail", st->ctx->errstr[0] ? st->ctx->errstr : "-"));
		redisFree(st->ctx);
		st->ctx = NULL;
	}
}

void portal_store_free(portal_store *st)
{
	if (st == NULL)
		return;
	if (st->ctx)
		redisFree(st->ctx);
	free(st->sha);
	free(st);
}

/* Script `i` of the combined table: libportal's first, then the module's. */
static const portal_script *store_script(const portal_store *st, size_t i)
{
	return i < portal_common_scripts_count ? &portal_common_scripts[i]
	                                       : &st->scripts[i - portal_common_scripts_count];
}

/* Load every declared script on the current connection, keeping the SHA1s. */
static int store_load_scripts(portal_store *st)
{
	size_t i;
	redisReply *r;

	for (i = 0; i < st->total; i++) {
		r = redisCommand(st->ctx, "SCRIPT LOAD %s", store_script(st, i)->source);
		if (r == NULL || r->type != REDIS_REPLY_STRING || r->len != 40) {
			portal_log(PORTAL_LOG_ERROR, "redis script failed to load",
			           json_pack("{s:s, s:s}", "script", store_script(st, i)->name,
			                     "detail", r && r->type == REDIS_REPLY_ERROR ? r->str : "no reply"));
			if (r)
				freeReplyObject(r);
			return -1;
		}
		memcpy(st->sha[i], r->str, 40);
		st->sha[i][40] = '\0';
		freeReplyObject(r);
	}
	return 0;
}

/* 1 when an idle connection has been closed by the server.  Between
 * commands nothing is due from Redis, so a readable socket means EOF or an
 * error: e.g. Redis restarted while this thread was idle.  Checking here
 * (one poll, no wait) saves the request that would otherwise fail on it. */
static int store_stale(const portal_store *st)
{
	struct pollfd pfd = { .fd = st->ctx->fd, .events = POLLIN };

	return poll(&pfd, 1, 0) != 0;
}

/* Connect when not connected.  Returns 0, or -1 (ctx stays NULL). */
static int store_connect(portal_store *st)
{
	struct timeval ct, cmd;
	const portal_config *cfg = st->cfg;

	if (st->ctx && store_stale(st))
		store_drop(st, "closed by server");
	if (st->ctx)
		return 0;
	ct.tv_sec = cfg->redis_connect_ms / 1000;
	ct.tv_usec = (cfg->redis_connect_ms % 1000) * 1000;
	cmd.tv_sec = cfg->redis_timeout_ms / 1000;
	cmd.tv_usec = (cfg->redis_timeout_ms % 1000) * 1000;
	if (cfg->redis_host[0])
		st->ctx = redisConnectWithTimeout(cfg->redis_host, cfg->redis_port, ct);
	else
		st->ctx = redisConnectUnixWithTimeout(cfg->redis_socket, ct);
	if (st->ctx == NULL)
		return -1;
	if (st->ctx->err) {
		redisFree(st->ctx);
		st->ctx = NULL;
		return -1;
	}
	/* hiredis 0.14: the command timeout is not inherited from the connect
	 * timeout, and must be set again on every new context. */
	if (redisSetTimeout(st->ctx, cmd) != REDIS_OK || store_load_scripts(st) < 0) {
		store_drop(st, "set-up");
		return -1;
	}
	return 0;
}

redisReply *portal_store_command_argv(portal_store *st, int argc,
                                      const char **argv, const size_t *argvlen)
{
	redisReply *r;

	if (store_connect(st) < 0)
		return store_failed();
	r = redisCommandArgv(st->ctx, argc, argv, argvlen);
	if (r == NULL) {
		store_drop(st, "command");
		return store_failed();
	}
	return r;
}

int portal_store_pipeline(portal_store *st, size_t n, const int *argc,
                          const char **const *argv, redisReply **replies)
{
	size_t i, got = 0;
	void *r;

	if (store_connect(st) < 0) {
		store_failed();  /* metrics */
		return -1;
	}
	for (i = 0; i < n; i++)
		if (redisAppendCommandArgv(st->ctx, argc[i], argv[i], NULL) != REDIS_OK)
			goto fail;
	for (got = 0; got < n; got++) {
		if (redisGetReply(st->ctx, &r) != REDIS_OK || r == NULL)
			goto fail;
		replies[got] = r;
	}
	return 0;
fail:
	/* the connection is in an unknown state: replies still due would be
	 * read by the next command, so it is dropped */
	for (i = 0; i < got; i++) {
		freeReplyObject(replies[i]);
		replies[i] = NULL;
	}
	store_drop(st, "pipeline");
	store_failed();  /* metrics */
	return -1;
}

redisReply *portal_store_command(portal_store *st, const char *fmt, ...)
{
	redisReply *r;
	va_list ap;

	if (store_connect(st) < 0)
		return store_failed();
	va_start(ap, fmt);
	r = redisvCommand(st->ctx, fmt, ap);
	va_end(ap);
	if (r == NULL) {
		store_drop(st, "command");
		return store_failed();
	}
	return r;
}

/* Run combined-table script `index` (see portal_store_eval). */
static redisReply *store_eval(portal_store *st, size_t index,
                              int nkeys, const char *const *keys,
                              int nargs, const char *const *args)
{
	const char *argv[STORE_MAX_ARGS];
	char numkeys[16];
	redisReply *r;
	int argc = 0, i, attempt;

	if (index >= st->total || nkeys < 0 || nargs < 0 ||
	    nkeys + nargs + 3 > STORE_MAX_ARGS)
		return NULL;
	snprintf(numkeys, sizeof(numkeys), "%d", nkeys);
	for (attempt = 0; attempt < 2; attempt++) {
		if (store_connect(st) < 0)
			return NULL;
		argc = 0;
		argv[argc++] = "EVALSHA";
		argv[argc++] = st->sha[index];
		argv[argc++] = numkeys;
		for (i = 0; i < nkeys; i++)
			argv[argc++] = keys[i];
		for (i = 0; i < nargs; i++)
			argv[argc++] = args[i];
		r = redisCommandArgv(st->ctx, argc, argv, NULL);
		if (r == NULL) {
			store_drop(st, "evalsha");
			return NULL;
		}
		if (r->type == REDIS_REPLY_ERROR && strncmp(r->str, "NOSCRIPT", 8) == 0 &&
		    attempt == 0) {
			freeReplyObject(r);
			if (store_load_scripts(st) < 0) {
				store_drop(st, "script reload");
				return NULL;
			}
			continue;
		}
		return r;
	}
	return NULL;
}

redisReply *portal_store_eval(portal_store *st, size_t index,
                              int nkeys, const char *const *keys,
                              int nargs, const char *const *args)
{
	redisReply *r = index >= st->nscripts ? NULL :
	                store_eval(st, portal_common_scripts_count + index, nkeys, keys, nargs, args);

	return r ? r : store_failed();
}

redisReply *portal_store_eval_common(portal_store *st, size_t index,
                                     int nkeys, const char *const *keys,
                                     int nargs, const char *const *args)
{
	redisReply *r = index >= portal_common_scripts_count ? NULL :
	                store_eval(st, index, nkeys, keys, nargs, args);

	return r ? r : store_failed();
}

int portal_store_ping(portal_store *st)
{
	redisReply *r = portal_store_command(st, "PING");
	int ok = r && r->type == REDIS_REPLY_STATUS && strcmp(r->str, "PONG") == 0;

	if (r)
		freeReplyObject(r);
	return ok;
}

const char *portal_store_prefix(const portal_store *st)
{
	return st->cfg->redis_prefix;
}
