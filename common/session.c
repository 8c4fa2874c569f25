/* session.c - tokens, sessions, roles, CSRF and throttling (see session.h). */
#include "session.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <jwt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "log.h"

#define TOKEN_MAX 2048

const char *const portal_role_names[4] = { "responder", "ngo", "trainer", "coordinator" };

/* libportal's scripts: the index constants below name them. */
enum { SCRIPT_SESSION_LOAD, SCRIPT_SESSION_CREATE, SCRIPT_THROTTLE_CHECK, SCRIPT_THROTTLE_FAIL };

const portal_script portal_session_scripts[] = {
	/* KEYS[1] session; ARGV now, idle, refresh_after.  Read-only unless the
	 * last slide is older than refresh_after, so the hot path writes nothing
	 * to the AOF.  No WAIT after it (PORTAL_SCRIPT_READ_ONLY): a slide or
	 * the removal of an expired session lost in a failover is done again by
	 * the next load. */
	{ "session_load",
	  "local h = redis.call('HMGET', KEYS[1], 'user', 'last_seen', 'expires_at')\n"
	  "if not h[1] then return false end\n"
	  "local now = tonumber(ARGV[1])\n"
	  "local expires = tonumber(h[3])\n"
	  "if now >= expires then redis.call('DEL', KEYS[1]) return false end\n"
	  "if now - tonumber(h[2]) >= tonumber(ARGV[3]) then\n"
	  "  redis.call('HSET', KEYS[1], 'last_seen', ARGV[1])\n"
	  "  redis.call('EXPIRE', KEYS[1], math.min(tonumber(ARGV[2]), expires - now))\n"
	  "end\n"
	  "return h[1]\n", PORTAL_SCRIPT_READ_ONLY },
	/* KEYS[1] session; ARGV user-json, now, idle, max, kind */
	{ "session_create",
	  "local now = tonumber(ARGV[2])\n"
	  "redis.call('HSET', KEYS[1], 'user', ARGV[1], 'created', now, 'last_seen', now,\n"
	  "           'expires_at', now + tonumber(ARGV[4]), 'kind', ARGV[5])\n"
	  "redis.call('EXPIRE', KEYS[1], math.min(tonumber(ARGV[3]), tonumber(ARGV[4])))\n"
	  "return 1\n", PORTAL_SCRIPT_WRITES },
	/* KEYS[1] failure counter; ARGV max.  Returns seconds to wait, 0 if free. */
	{ "throttle_check",
	  "local c = tonumber(redis.call('GET', KEYS[1]) or '0')\n"
	  "if c < tonumber(ARGV[1]) then return 0 end\n"
	  "local ttl = redis.call('TTL', KEYS[1])\n"
	  "if ttl < 1 then return 1 end\n"
	  "return ttl\n", PORTAL_SCRIPT_READ_ONLY },
	/* KEYS[1] failure counter; ARGV max, window.  The window starts at the
	 * first failure; reaching max locks the account for a whole window. */
	{ "throttle_fail",
	  "local c = redis.call('INCR', KEYS[1])\n"
	  "if c == 1 or c >= tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], ARGV[2]) end\n"
	  "return c\n", PORTAL_SCRIPT_WRITES },
};
const size_t portal_session_scripts_count = sizeof(portal_session_scripts) / sizeof(portal_session_scripts[0]);

unsigned portal_user_roles(const json_t *user)
{
	const json_t *roles = json_object_get(user, "roles"), *r;
	unsigned bits = 0;
	size_t i, j;

	json_array_foreach(roles, i, r)
		for (j = 0; j < 4; j++)
			if (json_is_string(r) && strcmp(json_string_value(r), portal_role_names[j]) == 0)
				bits |= 1u << j;
	return bits;
}

static const char *kind_aud(portal_token_kind kind)
{
	return kind == PORTAL_TOKEN_BEARER ? "portal-api" : "portal-web";
}

static const char *kind_typ(portal_token_kind kind)
{
	return kind == PORTAL_TOKEN_BEARER ? "api" : "session";
}

/* The Redis key of session `sid`. */
static void session_key(const portal_config *cfg, const char *sid, char *key, size_t len)
{
	snprintf(key, len, "%ssession:%s", cfg->redis_prefix, sid);
}

/* Sign a token for session `sid` of `username`. NULL on failure. */
static char *token_sign(const portal_config *cfg, portal_token_kind kind,
                        const char *sid, const char *username, long lifetime)
{
	jwt_t *jwt = NULL;
	char *out = NULL;
	long now = (long)time(NULL);

	if (jwt_new(&jwt) != 0)
		return NULL;
	if (jwt_add_grant(jwt, "sid", sid) || jwt_add_grant(jwt, "sub", username) ||
	    jwt_add_grant(jwt, "iss", cfg->jwt_issuer) || jwt_add_grant(jwt, "aud", kind_aud(kind)) ||
	    jwt_add_grant(jwt, "typ", kind_typ(kind)) ||
	    jwt_add_grant_int(jwt, "iat", now) || jwt_add_grant_int(jwt, "exp", now + lifetime) ||
	    jwt_set_alg(jwt, JWT_ALG_HS256, cfg->jwt_key, (int)cfg->jwt_key_len))
		goto done;
	out = jwt_encode_str(jwt);
done:
	jwt_free(jwt);
	return out;
}

/* portal_token_verify, also giving the token's exp claim. */
static int token_verify_exp(const portal_config *cfg, const char *token,
                            portal_token_kind kind, char sid[65], long *exp_out)
{
	jwt_t *jwt = NULL;
	const char *s;
	long exp, iat, now = (long)time(NULL);
	int rc = -1;

	if (token == NULL || cfg->jwt_key == NULL || cfg->jwt_key_len < 32 ||
	    strlen(token) > TOKEN_MAX)
		return -1;
	/* checks the signature only, with the algorithm the token names... */
	if (jwt_decode(&jwt, token, cfg->jwt_key, (int)cfg->jwt_key_len) != 0 || jwt == NULL)
		return -1;
	/* ...so the algorithm is pinned here, and every claim checked by us */
	if (jwt_get_alg(jwt) != JWT_ALG_HS256)
		goto done;
	if ((s = jwt_get_grant(jwt, "typ")) == NULL || strcmp(s, kind_typ(kind)) != 0)
		goto done;
	if ((s = jwt_get_grant(jwt, "aud")) == NULL || strcmp(s, kind_aud(kind)) != 0)
		goto done;
	if ((s = jwt_get_grant(jwt, "iss")) == NULL || strcmp(s, cfg->jwt_issuer) != 0)
		goto done;
	errno = 0;
	exp = jwt_get_grant_int(jwt, "exp");
	if (errno != 0 || exp <= now)
		goto done;
	errno = 0;
	iat = jwt_get_grant_int(jwt, "iat");
	if (errno != 0 || iat > now + 60)
		goto done;
	s = jwt_get_grant(jwt, "sid");
	if (s == NULL || strlen(s) != 64 || strspn(s, "0123456789abcdef") != 64)
		goto done;
	memcpy(sid, s, 65);
	*exp_out = exp;
	rc = 0;
done:
	jwt_free(jwt);
	return rc;
}

int portal_token_verify(const portal_config *cfg, const char *token,
                        portal_token_kind kind, char sid[65])
{
	long exp;

	return token_verify_exp(cfg, token, kind, sid, &exp);
}

#define TOKEN_CACHE_SLOTS 32

struct portal_token_cache {
	struct {
		uint64_t          hash;
		char             *token;  /* malloc'd copy, or NULL */
		portal_token_kind kind;
		long              exp;
		char              sid[65];
	} slot[TOKEN_CACHE_SLOTS];
};

portal_token_cache *portal_token_cache_new(void)
{
	return calloc(1, sizeof(portal_token_cache));
}

void portal_token_cache_free(portal_token_cache *cache)
{
	size_t i;

	if (cache == NULL)
		return;
	for (i = 0; i < TOKEN_CACHE_SLOTS; i++)
		free(cache->slot[i].token);
	free(cache);
}

/* FNV-1a over the token. */
static uint64_t token_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

int portal_token_verify_cached(portal_token_cache *cache, const portal_config *cfg,
                               const char *token, portal_token_kind kind, char sid[65])
{
	uint64_t h;
	long now = (long)time(NULL), exp;
	size_t i;

	if (cache == NULL || token == NULL || strlen(token) > TOKEN_MAX)
		return portal_token_verify(cfg, token, kind, sid);
	h = token_hash(token);
	i = h % TOKEN_CACHE_SLOTS;
	if (cache->slot[i].token && cache->slot[i].hash == h && cache->slot[i].kind == kind &&
	    strcmp(cache->slot[i].token, token) == 0) {
		if (cache->slot[i].exp <= now)
			return -1;
		memcpy(sid, cache->slot[i].sid, 65);
		return 0;
	}
	if (token_verify_exp(cfg, token, kind, sid, &exp) < 0)
		return -1;
	free(cache->slot[i].token);
	cache->slot[i].token = strdup(token);
	cache->slot[i].hash = h;
	cache->slot[i].kind = kind;
	cache->slot[i].exp = exp;
	memcpy(cache->slot[i].sid, sid, 65);
	return 0;
}

int portal_session_create(portal_store *st, const portal_config *cfg, const json_t *user,
                          portal_token_kind kind, char **token, json_t **session)
{
	char sid[65], csrf[65], key[160], now_s[24], idle_s[24], max_s[24];
	const char *keys[1], *args[5];
	json_t *stored = json_deep_copy(user);
	char *user_json = NULL;
	redisReply *r = NULL;
	long lifetime = kind == PORTAL_TOKEN_BEARER ? cfg->token_seconds : cfg->session_max;
	long idle = kind == PORTAL_TOKEN_BEARER ? cfg->token_seconds : cfg->session_idle;
	int rc = -1;

	*token = NULL;
	*session = NULL;
	if (stored == NULL || portal_random_hex(sid, 32) < 0 || portal_random_hex(csrf, 32) < 0)
		goto done;
	if (kind == PORTAL_TOKEN_COOKIE)
		json_object_set_new(stored, "csrf_token", json_string(csrf));
	if ((user_json = json_dumps(stored, JSON_COMPACT)) == NULL)
		goto done;
	session_key(cfg, sid, key, sizeof(key));
	snprintf(now_s, sizeof(now_s), "%ld", (long)time(NULL));
	snprintf(idle_s, sizeof(idle_s), "%ld", idle);
	snprintf(max_s, sizeof(max_s), "%ld", lifetime);
	keys[0] = key;
	args[0] = user_json;
	args[1] = now_s;
	args[2] = idle_s;
	args[3] = max_s;
	args[4] = kind_typ(kind);
	r = portal_store_eval_common(st, SCRIPT_SESSION_CREATE, 1, keys, 5, args);
	if (r == NULL || r->type != REDIS_REPLY_INTEGER)
		goto done;
	if ((*token = token_sign(cfg, kind, sid, json_string_value(json_object_get(user, "username")),
	                         lifetime)) == NULL)
		goto done;
	*session = stored;
	stored = NULL;
	rc = 0;
done:
	if (r)
		freeReplyObject(r);
	free(user_json);
	json_decref(stored);
	explicit_bzero(sid, sizeof(sid));
	return rc;
}

int portal_session_load(portal_store *st, const portal_config *cfg, const char *sid,
                        json_t **user)
{
	char key[160], now_s[24], idle_s[24], refresh_s[24];
	const char *keys[1] = { key }, *args[3] = { now_s, idle_s, refresh_s };
	int refresh = cfg->session_idle / 30;
	redisReply *r;
	int rc;

	*user = NULL;
	if (refresh > 60)
		refresh = 60;
	session_key(cfg, sid, key, sizeof(key));
	snprintf(now_s, sizeof(now_s), "%ld", (long)time(NULL));
	snprintf(idle_s, sizeof(idle_s), "%d", cfg->session_idle);
	snprintf(refresh_s, sizeof(refresh_s), "%d", refresh);
	r = portal_store_eval_common(st, SCRIPT_SESSION_LOAD, 1, keys, 3, args);
	if (r == NULL)
		return -1;
	if (r->type == REDIS_REPLY_STRING) {
		*user = json_loadb(r->str, r->len, 0, NULL);
		rc = *user ? 1 : -1;
	} else if (r->type == REDIS_REPLY_NIL)
		rc = 0;
	else {
		portal_log(PORTAL_LOG_ERROR, "session load failed",
		           json_pack("{s:s}", "detail", r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply"));
		rc = -1;
	}
	freeReplyObject(r);
	return rc;
}

int portal_session_delete(portal_store *st, const portal_config *cfg, const char *sid)
{
	char key[160];
	redisReply *r;
	int rc;

	session_key(cfg, sid, key, sizeof(key));
	r = portal_store_command(st, "DEL %s", key);
	rc = (r && r->type == REDIS_REPLY_INTEGER) ? 0 : -1;
	if (r)
		freeReplyObject(r);
	return rc;
}

int portal_session_resolve(portal_ctx *ctx)
{
	const char *auth = portal_header(ctx, "HTTP_AUTHORIZATION");
	const json_t *cookie = json_object_get(ctx->req.cookies, ctx->config->cookie_name);
	portal_token_kind kind;
	const char *token;
	char sid[65];
	json_t *user = NULL;
	int rc;

	if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		kind = PORTAL_TOKEN_BEARER;
		token = auth + 7;
	} else if (json_is_string(cookie)) {
		kind = PORTAL_TOKEN_COOKIE;
		token = json_string_value(cookie);
	} else
		return 0;
	if (portal_token_verify_cached(ctx->tokens, ctx->config, token, kind, sid) < 0)
		return 1;
	rc = portal_session_load(ctx->store, ctx->config, sid, &user);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return 1;
	json_object_set_new(user, "sid", json_string(sid));
	json_object_set_new(user, "auth", json_string(kind == PORTAL_TOKEN_BEARER ? "bearer" : "cookie"));
	json_decref(ctx->user);
	ctx->user = user;
	return 0;
}

int portal_csrf_ok(const portal_ctx *ctx)
{
	const char *want = json_string_value(json_object_get(ctx->user, "csrf_token"));
	const char *got = portal_header(ctx, "HTTP_X_CSRF_TOKEN");

	if (got == NULL)
		got = json_string_value(json_object_get(ctx->req.body, "csrf_token"));
	return portal_secret_equal(want, got);
}

/* 1 when `origin` (an Origin header: scheme://host[:port]) names this site:
 * its host and port are the request's Host header (compared ignoring case),
 * and its scheme is https when the request came over TLS (http or https
 * otherwise: behind a TLS-terminating proxy nginx sees plain HTTP while the
 * browser's origin is https). */
static int origin_is_ours(const char *origin, const char *host, int tls)
{
	const char *authority;

	if (host == NULL || host[0] == '\0')
		return 0;
	if (strncmp(origin, "https://", 8) == 0)
		authority = origin + 8;
	else if (!tls && strncmp(origin, "http://", 7) == 0)
		authority = origin + 7;
	else
		return 0;  /* "null", another scheme, or http to a TLS site */
	return strcasecmp(authority, host) == 0;
}

int portal_same_site_ok(const portal_ctx *ctx)
{
	const char *m = ctx->req.method, *site, *origin, *https;

	if (m == NULL || strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "OPTIONS") == 0)
		return 1;
	site = portal_header(ctx, "HTTP_SEC_FETCH_SITE");
	if (site && strcasecmp(site, "cross-site") == 0)
		return 0;
	origin = portal_header(ctx, "HTTP_ORIGIN");
	if (origin == NULL)
		return 1;  /* an API client (curl sends neither) or an old browser */
	https = portal_header(ctx, "HTTPS");
	return origin_is_ours(origin, portal_header(ctx, "HTTP_HOST"),
	                      https != NULL && strcasecmp(https, "on") == 0);
}

void portal_session_cookie(const portal_config *cfg, const char *token, int max_age,
                           char *out, size_t outlen)
{
	snprintf(out, outlen, "%s=%s; Path=/; Max-Age=%d; HttpOnly; Secure; SameSite=Lax",
	         cfg->cookie_name, token ? token : "", token ? max_age : 0);
}

/* The failure counter's key for `username` (lower-cased), cut to fit
 * key[len] (len > 0).  snprintf answers the length it wanted, which may be
 * more than it wrote: the index starts from what is really there. */
static void throttle_key(const portal_config *cfg, const char *username, char *key, size_t len)
{
	size_t i, n;

	snprintf(key, len, "%ssignin-failures:", cfg->redis_prefix);
	n = strlen(key);
	for (i = 0; username[i] && n + 1 < len; i++)
		key[n++] = (char)tolower((unsigned char)username[i]);
	key[n] = '\0';
}

/* The failure counter `key` against `max`: 0 when under it, else the
 * seconds left of the lock-out; -1 when the store failed. */
static int throttle_check_key(portal_store *st, const char *key, int max)
{
	char max_s[16];
	const char *keys[1] = { key }, *args[1] = { max_s };
	redisReply *r;
	int rc;

	snprintf(max_s, sizeof(max_s), "%d", max);
	r = portal_store_eval_common(st, SCRIPT_THROTTLE_CHECK, 1, keys, 1, args);
	rc = (r && r->type == REDIS_REPLY_INTEGER) ? (int)r->integer : -1;
	if (r)
		freeReplyObject(r);
	return rc;
}

/* Count one failure on `key` (window from the first; a whole window's
 * lock-out on reaching max).  Returns 0, or -1 when the store failed. */
static int throttle_fail_key(portal_store *st, const char *key, int max, int window)
{
	char max_s[16], win_s[16];
	const char *keys[1] = { key }, *args[2] = { max_s, win_s };
	redisReply *r;
	int rc;

	snprintf(max_s, sizeof(max_s), "%d", max);
	snprintf(win_s, sizeof(win_s), "%d", window);
	r = portal_store_eval_common(st, SCRIPT_THROTTLE_FAIL, 1, keys, 2, args);
	rc = (r && r->type == REDIS_REPLY_INTEGER) ? 0 : -1;
	if (r)
		freeReplyObject(r);
	return rc;
}

int portal_throttle_check(portal_store *st, const portal_config *cfg, const char *username)
{
	char key[200];

	throttle_key(cfg, username, key, sizeof(key));
	return throttle_check_key(st, key, cfg->throttle_max);
}

int portal_throttle_fail(portal_store *st, const portal_config *cfg, const char *username)
{
	char key[200];

	throttle_key(cfg, username, key, sizeof(key));
	return throttle_fail_key(st, key, cfg->throttle_max, cfg->throttle_window);
}

int portal_throttle_reset(portal_store *st, const portal_config *cfg, const char *username)
{
	char key[200];
	redisReply *r;
	int rc;

	throttle_key(cfg, username, key, sizeof(key));
	r = portal_store_command(st, "DEL %s", key);
	rc = r ? 0 : -1;
	if (r)
		freeReplyObject(r);
	return rc;
}

int portal_client_address_group(const char *addr, char *out, size_t outlen)
{
	struct in6_addr a6;
	struct in_addr a4;
	char text[INET6_ADDRSTRLEN];

	if (addr && inet_pton(AF_INET, addr, &a4) == 1 &&
	    inet_ntop(AF_INET, &a4, text, sizeof(text))) {
		snprintf(out, outlen, "%s", text);
		return 0;
	}
	if (addr && inet_pton(AF_INET6, addr, &a6) == 1) {
		if (!IN6_IS_ADDR_V4MAPPED(&a6))
			memset(a6.s6_addr + 8, 0, 8);  /* one /64: what one site is given */
		if (inet_ntop(AF_INET6, &a6, text, sizeof(text))) {
			snprintf(out, outlen, "%s", text);
			return 0;
		}
	}
	snprintf(out, outlen, "unknown");
	return -1;
}

/* The per-address failure counter's key for client address `addr`. */
static void throttle_address_key(const portal_config *cfg, const char *addr, char *key, size_t len)
{
	char group[INET6_ADDRSTRLEN];

	portal_client_address_group(addr, group, sizeof(group));
	snprintf(key, len, "%ssignin-address-failures:%s", cfg->redis_prefix, group);
}

int portal_throttle_address_check(portal_store *st, const portal_config *cfg, const char *addr)
{
	char key[200];

	throttle_address_key(cfg, addr, key, sizeof(key));
	return throttle_check_key(st, key, cfg->throttle_address_max);
}

int portal_throttle_address_fail(portal_store *st, const portal_config *cfg, const char *addr)
{
	char key[200];

	throttle_address_key(cfg, addr, key, sizeof(key));
	return throttle_fail_key(st, key, cfg->throttle_address_max, cfg->throttle_address_window);
}
