/* store.c - per-thread Redis connection with lazy reconnect, Sentinel
 * discovery, AUTH, and WAIT after writes (see store.h). */
#include "store.h"

#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "metrics.h"

#define STORE_MAX_ARGS 64

struct portal_store {
	const portal_config *cfg;
	const portal_script *common;   /* libportal's, when registered (copied at creation) */
	size_t               ncommon;
	const portal_script *scripts;  /* the module's */
	size_t               nscripts;
	size_t               total;    /* common + module scripts */
	redisContext        *ctx;      /* NULL while disconnected */
	char               (*sha)[41]; /* SHA1 of each script on this connection */
	int                  sentinel_first;  /* the Sentinel asked first: the last that answered */
	char                 primary[300];    /* host:port of the last primary found (Sentinel) */
	int                  down_logged;     /* "no primary" was logged since the last success */
};

/* libportal's own scripts (portal_store_use_common_scripts): set once at
 * start-up, before any thread runs, and only read after. */
static const portal_script *common_scripts;
static size_t common_scripts_count;

void portal_store_use_common_scripts(const portal_script *scripts, size_t n)
{
	common_scripts = scripts;
	common_scripts_count = scripts ? n : 0;
}

portal_store *portal_store_new(const portal_config *cfg,
                               const portal_script *scripts, size_t nscripts)
{
	portal_store *st = calloc(1, sizeof(*st));

	if (st == NULL)
		return NULL;
	st->cfg = cfg;
	st->common = common_scripts;
	st->ncommon = common_scripts_count;
	st->scripts = scripts;
	st->nscripts = nscripts;
	st->total = st->ncommon + nscripts;
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

static struct timeval store_tv(int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };

	return tv;
}

/* ---- which commands only read ---------------------------------------------- */

/* Commands that never write (any arguments).  Not here, so followed by WAIT:
 * every other command, e.g. SORT (STORE), PFCOUNT (it may rewrite its key),
 * GETEX, XREADGROUP, EVAL/EVALSHA (scripts say it in their table).
 * BGREWRITEAOF changes no data (it rewrites the primary's own file), so a
 * replica has nothing to confirm. */
static const char *const read_only_commands[] = {
	"BGREWRITEAOF", "BITCOUNT", "BITPOS", "DBSIZE", "ECHO", "EVALSHA_RO", "EVAL_RO", "EXISTS",
	"GEODIST", "GEOHASH", "GEOPOS", "GEOSEARCH", "GET", "GETBIT", "GETRANGE",
	"HEXISTS", "HGET", "HGETALL", "HKEYS", "HLEN", "HMGET", "HRANDFIELD", "HSCAN",
	"HSTRLEN", "HVALS", "INFO", "KEYS", "LINDEX", "LLEN", "LPOS", "LRANGE", "MGET",
	"PING", "PTTL", "RANDOMKEY", "ROLE", "SCAN", "SCARD", "SDIFF", "SINTER",
	"SINTERCARD", "SISMEMBER", "SMEMBERS", "SMISMEMBER", "SORT_RO", "SRANDMEMBER",
	"SSCAN", "STRLEN", "SUNION", "TIME", "TTL", "TYPE", "XLEN", "XRANGE",
	"XREVRANGE", "ZCARD", "ZCOUNT", "ZDIFF", "ZINTER", "ZINTERCARD", "ZLEXCOUNT",
	"ZMSCORE", "ZRANDMEMBER", "ZRANGE", "ZRANGEBYLEX", "ZRANGEBYSCORE", "ZRANK",
	"ZREVRANGE", "ZREVRANGEBYLEX", "ZREVRANGEBYSCORE", "ZREVRANK", "ZSCAN", "ZSCORE",
	"ZUNION",
};

int portal_store_command_is_read_only(const char *name, size_t len)
{
	size_t i;

	if (name == NULL)
		return 0;
	for (i = 0; i < sizeof(read_only_commands) / sizeof(read_only_commands[0]); i++)
		if (strlen(read_only_commands[i]) == len && strncasecmp(read_only_commands[i], name, len) == 0)
			return 1;
	return 0;
}

int portal_store_formatted_is_read_only(const char *cmd, size_t len)
{
	const char *p, *end;
	size_t n = 0;

	/* "*<argc>\r\n$<len>\r\n<name>\r\n" */
	if (cmd == NULL || len < 4 || *cmd != '*')
		return 0;
	p = cmd;
	end = cmd + len;
	p = memchr(p, '\n', len);
	if (p == NULL || ++p >= end || *p != '$')
		return 0;
	for (p++; p < end && *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (size_t)(*p - '0');
		if (n > 64)
			return 0;  /* no command name is that long */
	}
	if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
		return 0;
	p += 2;
	if ((size_t)(end - p) < n + 2)
		return 0;
	return portal_store_command_is_read_only(p, n);
}

/* 1 when every argv command of a pipeline (or one command) only reads. */
static int store_all_read_only(size_t n, const int *argc, const char **const *argv,
                               const size_t *const *argvlen)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (argc[i] < 1 || argv[i][0] == NULL)
			return 0;
		if (!portal_store_command_is_read_only(argv[i][0], argvlen && argvlen[i] ? argvlen[i][0]
		                                                                         : strlen(argv[i][0])))
			return 0;
	}
	return 1;
}

/* ---- replies ------------------------------------------------------------------ */

static int reply_error_starts(const redisReply *r, const char *prefix)
{
	return r && r->type == REDIS_REPLY_ERROR && r->str &&
	       strncmp(r->str, prefix, strlen(prefix)) == 0;
}

/* 1 when an error reply says this server cannot serve us now: an old
 * primary, demoted (READONLY), a server loading its data (LOADING), a
 * replica that lost its primary (MASTERDOWN).  The connection is dropped and
 * the next call finds the primary again. */
static int reply_unusable(const redisReply *r)
{
	return reply_error_starts(r, "READONLY") || reply_error_starts(r, "LOADING") ||
	       reply_error_starts(r, "MASTERDOWN");
}

static void store_drop_reply(portal_store *st, const redisReply *r)
{
	char cause[120];

	snprintf(cause, sizeof(cause), "server answered: %.100s", r->str);
	store_drop(st, cause);
}

/* After WAIT was sent: read its reply.  0 when enough replicas confirmed the
 * writes before it, 1 when not (logged; the connection stays), -1 when the
 * reply could not be read (connection dropped). */
static int store_read_wait(portal_store *st)
{
	void *v = NULL;
	redisReply *r;
	int rc;

	if (redisGetReply(st->ctx, &v) != REDIS_OK || v == NULL) {
		store_drop(st, "wait");
		return -1;
	}
	r = v;
	if (r->type == REDIS_REPLY_INTEGER && r->integer >= st->cfg->redis_wait_replicas) {
		freeReplyObject(r);
		return 0;
	}
	portal_log(PORTAL_LOG_WARN, "redis write not confirmed by enough replicas: answered as unavailable",
	           json_pack("{s:i, s:I, s:i, s:s}", "replicas_wanted", st->cfg->redis_wait_replicas,
	                     "replicas_confirmed", r->type == REDIS_REPLY_INTEGER ? (json_int_t)r->integer : -1,
	                     "timeout_ms", st->cfg->redis_wait_timeout_ms,
	                     "detail", r->type == REDIS_REPLY_ERROR ? r->str : "-"));
	rc = 1;
	if (reply_unusable(r)) {
		store_drop_reply(st, r);
		rc = -1;
	}
	freeReplyObject(r);
	return rc;
}

/* Queue `WAIT N timeout` after the commands queued on the connection. */
static int store_append_wait(portal_store *st)
{
	char n[16], ms[16];
	const char *argv[3] = { "WAIT", n, ms };

	snprintf(n, sizeof(n), "%d", st->cfg->redis_wait_replicas);
	snprintf(ms, sizeof(ms), "%d", st->cfg->redis_wait_timeout_ms);
	return redisAppendCommandArgv(st->ctx, 3, argv, NULL);
}

/* After one command (and, when `wait`, WAIT) were queued: send them and read
 * the command's reply into *out.  Returns 0 (reply kept), 1 (reply kept, but
 * WAIT says too few replicas have it), or -1 (nothing kept; the connection
 * was dropped).  An unusable server's error reply (reply_unusable) drops
 * the connection and gives -1. */
static int store_read(portal_store *st, int wait, redisReply **out)
{
	void *v = NULL;
	redisReply *r;
	int rc = 0;

	*out = NULL;
	if (redisGetReply(st->ctx, &v) != REDIS_OK || v == NULL) {
		store_drop(st, "command");
		return -1;
	}
	r = v;
	if (reply_unusable(r)) {
		store_drop_reply(st, r);
		freeReplyObject(r);
		return -1;
	}
	if (wait && (rc = store_read_wait(st)) < 0) {
		freeReplyObject(r);
		return -1;
	}
	*out = r;
	return rc;
}

/* store_read for the public calls: the reply, or NULL (counted) when it
 * could not be had or was not confirmed by enough replicas. */
static redisReply *store_result(portal_store *st, int wait)
{
	redisReply *r;
	int rc = store_read(st, wait, &r);

	if (rc == 0)
		return r;
	if (r)
		freeReplyObject(r);
	return store_failed();
}

/* ---- connecting ----------------------------------------------------------------- */

/* Script `i` of the combined table: libportal's first, then the module's. */
static const portal_script *store_script(const portal_store *st, size_t i)
{
	return i < st->ncommon ? &st->common[i] : &st->scripts[i - st->ncommon];
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

/* A TCP connection, or NULL. */
static redisContext *store_open_tcp(const char *host, int port, int connect_ms)
{
	redisContext *c = redisConnectWithTimeout(host, port, store_tv(connect_ms));

	if (c && c->err) {
		redisFree(c);
		c = NULL;
	}
	return c;
}

/* AUTH on a new connection (`what` names the server for the log).  No
 * password: nothing to do.  Returns 0, or -1 (logged, never the password). */
static int store_auth(redisContext *c, const char *user, const char *password, const char *what)
{
	redisReply *r;
	int ok;

	if (password == NULL)
		return 0;
	if (user && *user)
		r = redisCommand(c, "AUTH %s %s", user, password);
	else
		r = redisCommand(c, "AUTH %s", password);
	ok = r && r->type == REDIS_REPLY_STATUS && strcmp(r->str, "OK") == 0;
	if (!ok)
		portal_log(PORTAL_LOG_ERROR, "redis authentication failed",
		           json_pack("{s:s, s:s, s:s}", "server", what, "user", user && *user ? user : "default",
		                     "detail", r && r->type == REDIS_REPLY_ERROR ? r->str : "no reply"));
	if (r)
		freeReplyObject(r);
	return ok ? 0 : -1;
}

/* 1 when the server on `c` is a primary, 0 when it is not or cannot say.
 * ROLE first; an ACL user without @dangerous commands (deploy/redis's
 * `portal`) may not run ROLE, and then HELLO 2's "role" field tells. */
static int store_is_primary(redisContext *c)
{
	redisReply *r = redisCommand(c, "ROLE");
	int yes = 0;
	size_t i;

	if (r && r->type == REDIS_REPLY_ARRAY && r->elements >= 1 &&
	    r->element[0]->type == REDIS_REPLY_STRING) {
		yes = strcmp(r->element[0]->str, "master") == 0;
	} else if (reply_error_starts(r, "NOPERM")) {
		freeReplyObject(r);
		r = redisCommand(c, "HELLO 2");
		if (r && r->type == REDIS_REPLY_ARRAY)
			for (i = 0; i + 1 < r->elements; i += 2)
				if (r->element[i]->type == REDIS_REPLY_STRING && strcmp(r->element[i]->str, "role") == 0 &&
				    r->element[i + 1]->type == REDIS_REPLY_STRING)
					yes = strcmp(r->element[i + 1]->str, "master") == 0;
	}
	if (r)
		freeReplyObject(r);
	return yes;
}

/* Set up a new data connection: the command timeout (hiredis 0.14 does not
 * take it from the connect timeout, and it must be set on every new
 * context), then AUTH, then (with Sentinels) the primary check. */
static int store_setup(const portal_store *st, redisContext *c, const char *what, int check_primary)
{
	const portal_config *cfg = st->cfg;

	if (redisSetTimeout(c, store_tv(cfg->redis_timeout_ms)) != REDIS_OK)
		return -1;
	if (store_auth(c, cfg->redis_user, cfg->redis_password, what) < 0)
		return -1;
	if (check_primary && !store_is_primary(c)) {
		portal_log(PORTAL_LOG_WARN, "redis server named by a sentinel is not a primary",
		           json_pack("{s:s}", "address", what));
		return -1;
	}
	return 0;
}

/* Ask Sentinel number `i` where the primary is.  0 with host and port
 * filled, or -1. */
static int store_ask_sentinel(const portal_store *st, int i, char *host, size_t hostlen, int *port)
{
	const portal_config *cfg = st->cfg;
	const portal_hostport *s = &cfg->redis_sentinels[i];
	int ms = cfg->redis_connect_ms < cfg->redis_timeout_ms ? cfg->redis_connect_ms : cfg->redis_timeout_ms;
	redisContext *c = store_open_tcp(s->host, s->port, cfg->redis_connect_ms);
	redisReply *r = NULL;
	long long n;
	int rc = -1;
	char what[300];

	if (c == NULL)
		return -1;
	snprintf(what, sizeof(what), "sentinel %s:%d", s->host, s->port);
	/* a Sentinel answers from memory: its command timeout is the short one */
	if (redisSetTimeout(c, store_tv(ms)) != REDIS_OK ||
	    store_auth(c, NULL, cfg->redis_sentinel_password, what) < 0)
		goto done;
	r = redisCommand(c, "SENTINEL get-master-addr-by-name %s", cfg->redis_master_name);
	if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
	    r->element[0]->type == REDIS_REPLY_STRING && r->element[1]->type == REDIS_REPLY_STRING &&
	    r->element[0]->len > 0 && r->element[0]->len < hostlen &&
	    portal_parse_int(r->element[1]->str, 1, 65535, &n) == 0) {
		memcpy(host, r->element[0]->str, r->element[0]->len + 1);
		*port = (int)n;
		rc = 0;
	} else {
		portal_log(PORTAL_LOG_WARN, "redis sentinel did not name a primary",
		           json_pack("{s:s, s:s, s:s}", "sentinel", what, "master_name", cfg->redis_master_name,
		                     "detail", r == NULL ? (c->errstr[0] ? c->errstr : "no reply")
		                               : r->type == REDIS_REPLY_ERROR ? r->str : "unknown master name"));
	}
done:
	if (r)
		freeReplyObject(r);
	redisFree(c);
	return rc;
}

/* A set-up connection to the primary the Sentinels name, or NULL. */
static redisContext *store_discover(portal_store *st)
{
	const portal_config *cfg = st->cfg;
	char host[256], addr[300];
	redisContext *c;
	int k, i, port;

	for (k = 0; k < cfg->redis_nsentinels; k++) {
		i = (st->sentinel_first + k) % cfg->redis_nsentinels;
		if (store_ask_sentinel(st, i, host, sizeof(host), &port) < 0)
			continue;
		snprintf(addr, sizeof(addr), "%s:%d", host, port);
		if ((c = store_open_tcp(host, port, cfg->redis_connect_ms)) == NULL)
			continue;
		if (store_setup(st, c, addr, 1) < 0) {
			redisFree(c);
			continue;
		}
		st->sentinel_first = i;
		if (strcmp(st->primary, addr) != 0) {
			portal_log(PORTAL_LOG_INFO, "redis primary found through sentinel",
			           json_pack("{s:s, s:s, s:i}", "address", addr,
			                     "sentinel", cfg->redis_sentinels[i].host,
			                     "sentinel_port", cfg->redis_sentinels[i].port));
			snprintf(st->primary, sizeof(st->primary), "%s", addr);
		}
		return c;
	}
	if (!st->down_logged) {
		portal_log(PORTAL_LOG_WARN, "redis primary not found: no sentinel named a working primary",
		           json_pack("{s:s, s:i}", "master_name", cfg->redis_master_name,
		                     "sentinels", cfg->redis_nsentinels));
		st->down_logged = 1;
	}
	return NULL;
}

/* Connect when not connected.  Returns 0, or -1 (ctx stays NULL). */
static int store_connect(portal_store *st)
{
	const portal_config *cfg = st->cfg;
	redisContext *c;

	if (st->ctx && store_stale(st))
		store_drop(st, "closed by server");
	if (st->ctx)
		return 0;
	if (cfg->redis_nsentinels > 0) {
		if ((c = store_discover(st)) == NULL)
			return -1;
	} else {
		if (cfg->redis_host[0])
			c = store_open_tcp(cfg->redis_host, cfg->redis_port, cfg->redis_connect_ms);
		else if ((c = redisConnectUnixWithTimeout(cfg->redis_socket, store_tv(cfg->redis_connect_ms))) &&
		         c->err) {
			redisFree(c);
			c = NULL;
		}
		if (c == NULL)
			return -1;
		if (store_setup(st, c, cfg->redis_host[0] ? cfg->redis_host : cfg->redis_socket, 0) < 0) {
			redisFree(c);
			return -1;
		}
	}
	st->ctx = c;
	if (store_load_scripts(st) < 0) {
		store_drop(st, "set-up");
		return -1;
	}
	st->down_logged = 0;
	return 0;
}

/* ---- the calls -------------------------------------------------------------------- */

redisReply *portal_store_command_argv(portal_store *st, int argc,
                                      const char **argv, const size_t *argvlen)
{
	int wait;

	if (argc < 1 || store_connect(st) < 0)
		return store_failed();
	wait = st->cfg->redis_wait_replicas > 0 && !store_all_read_only(1, &argc, &argv, &argvlen);
	if (redisAppendCommandArgv(st->ctx, argc, argv, argvlen) != REDIS_OK ||
	    (wait && store_append_wait(st) != REDIS_OK)) {
		store_drop(st, "command");
		return store_failed();
	}
	return store_result(st, wait);
}

int portal_store_pipeline(portal_store *st, size_t n, const int *argc,
                          const char **const *argv, redisReply **replies)
{
	size_t i, got = 0;
	int wait;
	void *r;

	if (store_connect(st) < 0) {
		store_failed();  /* metrics */
		return -1;
	}
	wait = st->cfg->redis_wait_replicas > 0 && !store_all_read_only(n, argc, argv, NULL);
	for (i = 0; i < n; i++)
		if (redisAppendCommandArgv(st->ctx, argc[i], argv[i], NULL) != REDIS_OK)
			goto fail;
	if (wait && store_append_wait(st) != REDIS_OK)
		goto fail;
	for (got = 0; got < n; got++) {
		if (redisGetReply(st->ctx, &r) != REDIS_OK || r == NULL)
			goto fail;
		replies[got] = r;
		if (reply_unusable(replies[got])) {
			store_drop_reply(st, replies[got]);
			got++;
			goto fail;
		}
	}
	if (wait) {
		int rc = store_read_wait(st);

		if (rc != 0) {
			if (rc > 0)
				goto failed;  /* not confirmed: the connection is fine */
			goto fail;
		}
	}
	return 0;
fail:
	/* the connection is in an unknown state: replies still due would be
	 * read by the next command, so it is dropped */
	store_drop(st, "pipeline");
failed:
	for (i = 0; i < got; i++) {
		freeReplyObject(replies[i]);
		replies[i] = NULL;
	}
	store_failed();  /* metrics */
	return -1;
}

redisReply *portal_store_command(portal_store *st, const char *fmt, ...)
{
	char *cmd = NULL;
	va_list ap;
	int len, wait = 0, rc;

	if (store_connect(st) < 0)
		return store_failed();
	va_start(ap, fmt);
	if (st->cfg->redis_wait_replicas == 0) {
		rc = redisvAppendCommand(st->ctx, fmt, ap);
		va_end(ap);
	} else {
		/* formatted first, to see which command it is */
		len = redisvFormatCommand(&cmd, fmt, ap);
		va_end(ap);
		if (len < 0)
			return store_failed();  /* a bad format or no memory: the connection is fine */
		wait = !portal_store_formatted_is_read_only(cmd, (size_t)len);
		rc = redisAppendFormattedCommand(st->ctx, cmd, (size_t)len);
		redisFreeCommand(cmd);
		if (rc == REDIS_OK && wait)
			rc = store_append_wait(st);
	}
	if (rc != REDIS_OK) {
		store_drop(st, "command");
		return store_failed();
	}
	return store_result(st, wait);
}

/* Run combined-table script `index` (see portal_store_eval).  NULL when it
 * could not run, or its writes were not confirmed by enough replicas. */
static redisReply *store_eval(portal_store *st, size_t index,
                              int nkeys, const char *const *keys,
                              int nargs, const char *const *args)
{
	const char *argv[STORE_MAX_ARGS];
	char numkeys[16];
	redisReply *r;
	int argc = 0, i, attempt, wait, rc;

	if (index >= st->total || nkeys < 0 || nargs < 0 ||
	    nkeys + nargs + 3 > STORE_MAX_ARGS)
		return NULL;
	wait = st->cfg->redis_wait_replicas > 0 && store_script(st, index)->read_only != PORTAL_SCRIPT_READ_ONLY;
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
		if (redisAppendCommandArgv(st->ctx, argc, argv, NULL) != REDIS_OK ||
		    (wait && store_append_wait(st) != REDIS_OK)) {
			store_drop(st, "evalsha");
			return NULL;
		}
		rc = store_read(st, wait, &r);
		if (rc < 0)
			return NULL;
		if (r->type == REDIS_REPLY_ERROR && strncmp(r->str, "NOSCRIPT", 8) == 0 &&
		    attempt == 0) {
			/* nothing ran, so WAIT's verdict does not matter */
			freeReplyObject(r);
			if (store_load_scripts(st) < 0) {
				store_drop(st, "script reload");
				return NULL;
			}
			continue;
		}
		if (rc > 0) {
			freeReplyObject(r);
			return NULL;
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
	                store_eval(st, st->ncommon + index, nkeys, keys, nargs, args);

	return r ? r : store_failed();
}

redisReply *portal_store_eval_common(portal_store *st, size_t index,
                                     int nkeys, const char *const *keys,
                                     int nargs, const char *const *args)
{
	redisReply *r = index >= st->ncommon ? NULL :
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
