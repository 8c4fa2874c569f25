/* session.h - who is asking: tokens, sessions in Redis, roles, CSRF,
 * sign-in throttling.  Every module resolves the user through here.
 *
 * The browser holds a JWT (HS256 only, key from a file) naming a session id
 * in a cookie; an API client holds a bearer JWT naming its own session.  The
 * two have different "aud" and "typ", so neither is accepted as the other.
 * libjwt 1.10 checks only the signature: the algorithm, exp, iss, aud and typ
 * are checked here.  The session itself (user, roles, agency, CSRF token,
 * created, last seen) lives in Redis with a sliding idle timeout and an
 * absolute lifetime, and is read in one round trip.
 *
 * A user is a JSON object:
 *   {"username","name","roles":["responder",...],
 *    "agency":{"id","name","type"},"csrf_token"}
 */
#ifndef PORTAL_SESSION_H
#define PORTAL_SESSION_H

#include <jansson.h>

#include "app.h"
#include "random.h"

typedef enum portal_token_kind {
	PORTAL_TOKEN_COOKIE = 1,  /* aud "portal-web", typ "session" */
	PORTAL_TOKEN_BEARER = 2,  /* aud "portal-api", typ "api" */
} portal_token_kind;

/* The role names, in PORTAL_ROLE_* bit order. */
extern const char *const portal_role_names[4];

/* The PORTAL_ROLE_* bits of a user's "roles" array. */
unsigned portal_user_roles(const json_t *user);

/* A thread's cache of tokens it has verified: a token seen again (the same
 * string) is not decoded and its signature not computed again; its expiry
 * is still checked on every use.  The signing key is fixed for the life of
 * the process, so a cached verdict cannot go stale any other way. */
portal_token_cache *portal_token_cache_new(void);
void portal_token_cache_free(portal_token_cache *cache);

/* portal_token_verify through `cache` (which may be NULL). */
int portal_token_verify_cached(portal_token_cache *cache, const portal_config *cfg,
                               const char *token, portal_token_kind kind, char sid[65]);

/* Create a session for `user` (copied; a fresh session id of 256 bits from
 * getrandom and, for cookies, a CSRF token) and sign a token for it.
 * Returns 0 with *token (malloc'd) and *session (the stored user object,
 * with csrf_token; new reference); -1 when the store failed (nothing
 * created). */
int portal_session_create(portal_store *st, const portal_config *cfg, const json_t *user,
                          portal_token_kind kind, char **token, json_t **session);

/* Verify `token` as `kind`: signature, alg exactly HS256, typ, iss, aud,
 * iat, exp in the future.  Returns 0 and copies the session id into sid;
 * -1 when the token must be refused. */
int portal_token_verify(const portal_config *cfg, const char *token,
                        portal_token_kind kind, char sid[65]);

/* Load the session `sid` (one round trip; slides the idle timeout).
 * Returns 1 with *user (new reference), 0 when there is no such live
 * session, -1 when the store failed. */
int portal_session_load(portal_store *st, const portal_config *cfg, const char *sid,
                        json_t **user);

/* Delete session `sid`.  Returns 0, or -1 when the store failed. */
int portal_session_delete(portal_store *st, const portal_config *cfg, const char *sid);

/* Resolve ctx->user from the Authorization bearer token or the session
 * cookie.  Returns 0 (ctx->user set, or NULL when no credentials came),
 * 1 when credentials came but are not valid (expired, revoked, forged),
 * -1 when the store failed. */
int portal_session_resolve(portal_ctx *ctx);

/* 1 when the request carries the session's CSRF token (form field
 * "csrf_token" or header X-CSRF-Token), compared in constant time. */
int portal_csrf_ok(const portal_ctx *ctx);


/* 1 unless the request changes state (any method but GET, HEAD, OPTIONS)
 * and the browser says it comes from another site: Sec-Fetch-Site
 * "cross-site", or an Origin header that is not this site's own origin
 * (its host and port other than the Host header's, "null", or http when
 * the request came over TLS).  A request with neither header (curl, an API
 * client) passes: the session's CSRF token still guards cookie requests.
 * Applies to public routes too (sign-in). */
int portal_same_site_ok(const portal_ctx *ctx);

/* The Set-Cookie value that stores `token` (max_age seconds), or that
 * clears the cookie when token is NULL. */
void portal_session_cookie(const portal_config *cfg, const char *token, int max_age,
                           char *out, size_t outlen);

/* Sign-in throttling per account.  portal_throttle_check: 0 when sign-in
 * may be tried, else the seconds to wait; -1 when the store failed.
 * portal_throttle_fail counts a failure; portal_throttle_reset clears. */
int portal_throttle_check(portal_store *st, const portal_config *cfg, const char *username);
int portal_throttle_fail(portal_store *st, const portal_config *cfg, const char *username);
int portal_throttle_reset(portal_store *st, const portal_config *cfg, const char *username);

/* Sign-in throttling per client address: only failed sign-ins count
 * (PORTAL_SIGNIN_ADDRESS_MAX_FAILURES in PORTAL_SIGNIN_ADDRESS_WINDOW_SECONDS,
 * then a lock-out of one window), so that an office behind one address is
 * never refused for signing in, while guessing across many accounts from one
 * address is.  Same answers as portal_throttle_check / portal_throttle_fail.
 * `addr` is the request's REMOTE_ADDR (nginx's $remote_addr: set nginx's
 * real_ip module behind a proxy; X-Forwarded-For is never trusted here). */
int portal_throttle_address_check(portal_store *st, const portal_config *cfg, const char *addr);
int portal_throttle_address_fail(portal_store *st, const portal_config *cfg, const char *addr);

/* The group a client address is counted in: an IPv4 address itself, an
 * IPv6 address's /64 (one site's allocation: "2001:db8:1:2::"), written to
 * out[outlen] (INET6_ADDRSTRLEN is enough).  Returns 0, or -1 with "unknown"
 * written when `addr` is NULL or not an address. */
int portal_client_address_group(const char *addr, char *out, size_t outlen);

/* libportal's own scripts (sessions, sign-in throttling), registered with
 * the store at start-up (portal_store_use_common_scripts). */
extern const portal_script portal_session_scripts[];
extern const size_t portal_session_scripts_count;

#endif
