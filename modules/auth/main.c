/* portal-auth: the start page, health, and staff sign-in.
 *
 * Routes
 *   GET  /                      start page (signed in: the dashboard, dashboard.c)
 *   GET  /login  POST /login    sign-in page (post/redirect/get)
 *   POST /logout                sign out
 *   GET  /api/v1/health         200 {"status":"ok","redis":"ok"} or 503
 *   POST /api/v1/auth/login     {"username","password"} -> user + csrf_token, cookie
 *   POST /api/v1/auth/logout    204
 *   GET  /api/v1/auth/me        the signed-in user
 *   POST /api/v1/auth/token     {"username","password"} -> bearer token
 *   GET  /api/v1/dashboard      what the start page shows (dashboard.c)
 *   /notifications, /api/v1/notifications*: notifications.c
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "auth.h"
#include "notifications.h"
#include "parse.h"
#include "response.h"
#include "server.h"
#include "session.h"
#include "signin.h"

#define PASSWORD_MAX 1024

/* The public part of a session: what "me" and "login" answer. */
static json_t *auth_user_view(const json_t *user)
{
	return json_pack("{s:O, s:O, s:O, s:O}",
	                 "username", json_object_get(user, "username"),
	                 "name", json_object_get(user, "name"),
	                 "roles", json_object_get(user, "roles"),
	                 "agency", json_object_get(user, "agency"));
}

/* A "next" address that is a path on this site (portal_local_path_ok) and
 * not the sign-in page itself, else "/". */
static const char *auth_safe_next(const json_t *v)
{
	const char *s = json_string_value(v);

	if (!portal_local_path_ok(s) || strncmp(s, "/login", 6) == 0)
		return "/";
	return s;
}

/* "N minutes" (rounded up, at least one) for a wait of `seconds`. */
static void auth_wait_text(int seconds, char *out, size_t len)
{
	int minutes = (seconds + 59) / 60;

	if (minutes < 1)
		minutes = 1;
	snprintf(out, len, "%d minute%s", minutes, minutes == 1 ? "" : "s");
}

/* 1 when `s` is a sign-in form token as auth_form_token makes them. */
static int auth_form_token_ok(const char *s)
{
	return s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/* The sign-in form's CSRF token (a double-submit cookie: the form has no
 * session yet to hold one).  Reuses the token in the request's cookie when
 * it is well formed, else makes a new one, and (re)sets the cookie:
 * HttpOnly, Secure, SameSite=Strict, for the browser session only.
 * Writes it to token[65].  Returns 0, or -1 when no random bytes came. */
static int auth_form_token(portal_ctx *ctx, char token[65])
{
	const char *had = json_string_value(json_object_get(ctx->req.cookies,
	                                                    ctx->config->signin_cookie_name));
	char cookie[200];

	if (auth_form_token_ok(had))
		memcpy(token, had, 65);
	else if (portal_random_hex(token, 32) < 0)
		return -1;
	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; Secure; SameSite=Strict",
	         ctx->config->signin_cookie_name, token);
	portal_header_add(ctx, "Set-Cookie", cookie);
	return 0;
}

/* 1 when a sign-in may be tried without the form's token: an API sign-in
 * with a JSON body, which no page of another site can send (a form cannot
 * make it, and a script's request would need a CORS pre-flight that the
 * portal never answers).  Everything else (the page, a form-encoded API
 * sign-in) must carry the token of the cookie. */
static int auth_form_token_exempt(const portal_ctx *ctx)
{
	const char *ct = portal_header(ctx, "CONTENT_TYPE");

	return ctx->req.is_api && ct && strncasecmp(ct, "application/json", 16) == 0;
}

/* 1 when the request carries the sign-in form token of its cookie. */
static int auth_form_token_matches(const portal_ctx *ctx)
{
	const char *want = json_string_value(json_object_get(ctx->req.cookies,
	                                                     ctx->config->signin_cookie_name));
	const char *got = json_string_value(json_object_get(ctx->req.body, "csrf_token"));

	return auth_form_token_ok(want) && portal_secret_equal(want, got);
}

/* Answer a failed sign-in: JSON error, or the form again with the error
 * summary (GOV.UK pattern), keeping the username and "next". */
static void auth_signin_error(portal_ctx *ctx, int status, const char *code,
                              const char *message, json_t *fields)
{
	json_t *data;

	if (ctx->req.is_api) {
		portal_reply_error(ctx, status, code, message, fields);
		return;
	}
	/* the summary lists what each field needs, linked to it (GOV.UK);
	 * an error of the whole form (wrong password, expired form) links to
	 * the first field */
	data = json_pack("{s:s, s:s, s:b, s:[]}",
	                 "title", "Sign in",
	                 "next", auth_safe_next(json_object_get(ctx->req.body, "next")),
	                 "has_errors", 1, "errors");
	if (data == NULL) {
		json_decref(fields);
		portal_reply_error(ctx, status, code, message, NULL);
		return;
	}
	{
		static const char *const order[] = { "username", "password" };
		json_t *list = json_object_get(data, "errors");
		char href[16];
		size_t i;

		for (i = 0; fields && i < sizeof(order) / sizeof(order[0]); i++) {
			const char *text = json_string_value(json_object_get(fields, order[i]));
			if (text == NULL)
				continue;
			snprintf(href, sizeof(href), "#%s", order[i]);
			json_array_append_new(list, json_pack("{s:s, s:s}", "text", text, "href", href));
		}
		if (json_array_size(list) == 0)
			json_array_append_new(list, json_pack("{s:s, s:s}", "text", message, "href", "#username"));
	}
	{
		/* the form again, with its token, so that the next try works */
		char token[65];
		if (auth_form_token(ctx, token) == 0)
			json_object_set_new(data, "csrf_token", json_string(token));
	}
	if (json_is_string(json_object_get(ctx->req.body, "username")))
		json_object_set(data, "username", json_object_get(ctx->req.body, "username"));
	if (fields) {
		const char *f;
		json_t *m;
		json_object_foreach(fields, f, m) {
			char key[40];
			snprintf(key, sizeof(key), "%s_error", f);
			json_object_set(data, key, m);
		}
		json_decref(fields);
	}
	portal_reply_page(ctx, status, "login", data);
}

/* What the account gate found (auth_account_gate). */
struct auth_gate {
	portal_ctx *ctx;
	const char *checked;       /* the normalised name whose counter was read already */
	int         wait;          /* seconds of lock-out left, or 0 */
	int         store_failed;  /* the counter could not be read */
};

/* portal_signin_gate: the failure counter of the person's canonical uid, so
 * that every spelling of the name meets the one counter. */
static int auth_account_gate(void *arg, const char *uid)
{
	struct auth_gate *g = arg;

	if (strcasecmp(uid, g->checked) == 0)
		return 0;  /* the same counter (its key is lower-cased), read just before */
	g->wait = portal_throttle_check(g->ctx->store, g->ctx->config, uid);
	if (g->wait < 0) {
		g->store_failed = 1;
		return 1;
	}
	return g->wait > 0;
}

/* Answer 429 for a lock-out of `wait` seconds: of the account (`who`, for
 * the audit) or of the client address (who == NULL). */
static void auth_refuse_locked(portal_ctx *ctx, const char *who, int wait)
{
	char wait_s[16], span[32], msg[200];

	snprintf(wait_s, sizeof(wait_s), "%d", wait);
	portal_header_add(ctx, "Retry-After", wait_s);
	auth_wait_text(wait, span, sizeof(span));
	portal_audit(ctx, "signin_refused", who ? who : "-", json_pack("{s:s}", "reason",
	             who ? "too_many_attempts" : "too_many_attempts_from_address"));
	snprintf(msg, sizeof(msg), who
	         ? "There have been too many sign-in attempts for this account. Wait %s, then try again."
	         : "There have been too many failed sign-ins from your network. Wait %s, then try again.",
	         span);
	auth_signin_error(ctx, 429, "too_many_attempts", msg, NULL);
}

/* Count a failed sign-in against `who` (the canonical uid, or the
 * normalised name typed when no entry was found; NULL: a name that cannot
 * be an account) and against the client address. */
static void auth_count_failure(portal_ctx *ctx, const char *who)
{
	if (who)
		portal_throttle_fail(ctx->store, ctx->config, who);
	portal_throttle_address_fail(ctx->store, ctx->config, ctx->req.remote_addr);
}

/* The form's token and its two fields (checked before anything else, and
 * before any call to the directory): 0, or -1 after answering. */
static int auth_sign_in_form(portal_ctx *ctx, const char *username, const char *password)
{
	json_t *fields;

	if (!auth_form_token_exempt(ctx) && !auth_form_token_matches(ctx)) {
		/* a sign-in form from another site, or one whose cookie has gone */
		portal_audit(ctx, "signin_refused", "-", json_pack("{s:s}", "reason", "csrf"));
		auth_signin_error(ctx, 403, "csrf_failed",
		                  "The sign-in form had expired or did not come from the portal. Enter your username and password again.",
		                  NULL);
		return -1;
	}
	fields = json_object();
	if (username == NULL || username[strspn(username, " ")] == '\0')
		json_object_set_new(fields, "username", json_string("Enter your username"));
	if (password == NULL || password[0] == '\0')
		json_object_set_new(fields, "password", json_string("Enter your password"));
	if (json_object_size(fields)) {
		auth_signin_error(ctx, 400, "missing_credentials", "Enter your username and password", fields);
		return -1;
	}
	json_decref(fields);
	return 0;
}

/* The lock-outs checked before the directory is asked: the client
 * address's, then the counter of the name typed, normalised into
 * name[PORTAL_UID_MAX] (every spelling of a name shares it; the gate checks
 * the person's own once the entry is found).  A name that cannot be an
 * account is refused like a wrong password.  0, or -1 after answering. */
static int auth_sign_in_throttle(portal_ctx *ctx, const char *username, const char *password, char *name)
{
	int wait = portal_throttle_address_check(ctx->store, ctx->config, ctx->req.remote_addr);
	const char *locked = NULL;  /* whose lock-out: NULL, the address's */

	if (wait == 0) {
		if (portal_signin_username_normalise(username, name, PORTAL_UID_MAX) < 0 ||
		    strlen(password) > PASSWORD_MAX) {
			auth_count_failure(ctx, NULL);
			portal_audit(ctx, "signin_failure", "-", json_pack("{s:s}", "reason", "malformed_username"));
			auth_signin_error(ctx, 401, "invalid_credentials",
			                  "The username or password is not right. Check them and try again.", NULL);
			return -1;
		}
		locked = name;
		wait = portal_throttle_check(ctx->store, ctx->config, name);
	}
	if (wait < 0)
		portal_reply_store_unavailable(ctx);
	else if (wait > 0)
		auth_refuse_locked(ctx, locked, wait);
	return wait == 0 ? 0 : -1;
}

/* Answer a sign-in the directory did not accept (`res` not
 * PORTAL_SIGNIN_OK): the gate's lock-out, the directory down, or wrong
 * credentials (counted against `who`, the uid found or the name typed). */
static void auth_sign_in_refused(portal_ctx *ctx, portal_signin_result res, const struct auth_gate *gate,
                                 const char *uid, const char *who)
{
	if (res == PORTAL_SIGNIN_STOPPED) {
		if (gate->store_failed)
			portal_reply_store_unavailable(ctx);
		else
			auth_refuse_locked(ctx, uid, gate->wait);
		return;
	}
	if (res == PORTAL_SIGNIN_UNAVAILABLE) {
		portal_audit(ctx, "signin_failure", who, json_pack("{s:s}", "reason", "directory_unavailable"));
		auth_signin_error(ctx, 503, "directory_unavailable",
		                  "Sign-in is not available just now because the staff directory cannot be reached. Try again in a few minutes.",
		                  NULL);
		return;
	}
	auth_count_failure(ctx, who);
	portal_audit(ctx, "signin_failure", who, json_pack("{s:s}", "reason", "invalid_credentials"));
	auth_signin_error(ctx, 401, "invalid_credentials",
	                  "The username or password is not right. Check them and try again.", NULL);
}

/* The shared sign-in steps: the form (auth_sign_in_form), the lock-outs
 * (auth_sign_in_throttle), the directory, then the session, created under
 * the directory entry's own uid (a session that came with the request is
 * ended: every sign-in gets a new id).  Returns 0 with *token and *session
 * set, or -1 after answering. */
static int auth_sign_in(portal_ctx *ctx, portal_token_kind kind, char **token, json_t **session)
{
	const char *username = json_string_value(json_object_get(ctx->req.body, "username"));
	const char *password = json_string_value(json_object_get(ctx->req.body, "password"));
	char name[PORTAL_UID_MAX], uid[PORTAL_UID_MAX];
	struct auth_gate gate = { ctx, name, 0, 0 };
	json_t *user = NULL;
	portal_signin_result res;

	if (auth_sign_in_form(ctx, username, password) < 0 || auth_sign_in_throttle(ctx, username, password, name) < 0)
		return -1;
	res = portal_signin_check(ctx->config, name, password, auth_account_gate, &gate, uid, &user);
	if (res != PORTAL_SIGNIN_OK) {
		auth_sign_in_refused(ctx, res, &gate, uid, uid[0] ? uid : name);
		return -1;
	}
	portal_throttle_reset(ctx->store, ctx->config, uid);
	if (ctx->user)
		portal_session_delete(ctx->store, ctx->config,
		                      json_string_value(json_object_get(ctx->user, "sid")));
	if (portal_session_create(ctx->store, ctx->config, user, kind, token, session) < 0) {
		json_decref(user);
		portal_reply_store_unavailable(ctx);
		return -1;
	}
	json_decref(ctx->user);
	ctx->user = json_deep_copy(*session);
	portal_audit(ctx, kind == PORTAL_TOKEN_BEARER ? "token_issued" : "signin_success", uid, NULL);
	json_decref(user);
	return 0;
}

/* Set the session cookie for `token`. */
static void auth_set_cookie(portal_ctx *ctx, const char *token)
{
	char cookie[2600];

	portal_session_cookie(ctx->config, token, ctx->config->session_max, cookie, sizeof(cookie));
	portal_header_add(ctx, "Set-Cookie", cookie);
}

/* GET /login - the sign-in form, with its CSRF token (and cookie). */
static void auth_login_page(portal_ctx *ctx)
{
	char token[65];

	if (ctx->user) {
		portal_reply_redirect(ctx, auth_safe_next(json_object_get(ctx->req.query, "next")));
		return;
	}
	if (auth_form_token(ctx, token) < 0) {
		portal_reply_internal_error(ctx, "no random bytes for the sign-in form token");
		return;
	}
	portal_reply(ctx, 200, json_pack("{s:s, s:s}", "next", auth_safe_next(json_object_get(ctx->req.query, "next")),
	                                 "csrf_token", token));
}

/* POST /login and POST /api/v1/auth/login. */
static void auth_login(portal_ctx *ctx)
{
	char *token = NULL;
	json_t *session = NULL;

	if (auth_sign_in(ctx, PORTAL_TOKEN_COOKIE, &token, &session) < 0)
		return;
	auth_set_cookie(ctx, token);
	if (json_object_get(ctx->req.cookies, ctx->config->signin_cookie_name)) {
		/* the form's token has served: the session has its own from now on */
		char cookie[120];
		snprintf(cookie, sizeof(cookie), "%s=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict",
		         ctx->config->signin_cookie_name);
		portal_header_add(ctx, "Set-Cookie", cookie);
	}
	portal_reply_done(ctx, 200, NULL, json_pack("{s:o, s:O}", "user", auth_user_view(session),
	                                            "csrf_token", json_object_get(session, "csrf_token")),
	                  "%s", auth_safe_next(json_object_get(ctx->req.body, "next")));
	free(token);
	json_decref(session);
}

/* POST /api/v1/auth/token - a bearer token for an integration. */
static void auth_token(portal_ctx *ctx)
{
	char *token = NULL;
	json_t *session = NULL;

	if (auth_sign_in(ctx, PORTAL_TOKEN_BEARER, &token, &session) < 0)
		return;
	portal_reply(ctx, 200, json_pack("{s:s, s:s, s:i}", "access_token", token,
	                                 "token_type", "Bearer", "expires_in", ctx->config->token_seconds));
	free(token);
	json_decref(session);
}

/* POST /logout and POST /api/v1/auth/logout: the session is deleted, so the
 * old cookie or token is refused from now on. */
static void auth_logout(portal_ctx *ctx)
{
	if (portal_session_delete(ctx->store, ctx->config,
	                          json_string_value(json_object_get(ctx->user, "sid"))) < 0) {
		portal_reply_store_unavailable(ctx);
		return;
	}
	portal_audit(ctx, "signout", NULL, NULL);
	auth_set_cookie(ctx, NULL);
	portal_reply_done(ctx, 204, NULL, NULL, "/");
}

/* GET /api/v1/auth/me */
static void auth_me(portal_ctx *ctx)
{
	json_t *body = json_pack("{s:o}", "user", auth_user_view(ctx->user));

	if (json_object_get(ctx->user, "csrf_token"))
		json_object_set(body, "csrf_token", json_object_get(ctx->user, "csrf_token"));
	portal_reply(ctx, 200, body);
}

static const portal_route auth_routes[] = {
	{ { "GET", "/" }, PORTAL_NONE, auth_start_page, PORTAL_PUBLIC, "start", "Home", 0, NULL, NULL },
	{ { "GET", "/login" }, PORTAL_NONE, auth_login_page, PORTAL_PUBLIC, "login", "Sign in", 0, NULL, NULL },
	{ { "POST", "/login" }, { "POST", "/api/v1/auth/login" }, auth_login, PORTAL_PUBLIC, "login", "Sign in", 4096, "200 login", NULL },
	{ { "POST", "/logout" }, { "POST", "/api/v1/auth/logout" }, auth_logout, PORTAL_ROLE_ANY, NULL, "Sign out", 4096, "204", NULL },
	{ PORTAL_NONE, { "GET", "/api/v1/health" }, portal_health, PORTAL_PUBLIC, NULL, "Whether the portal is working", 0, "200 common/schemas/health.json; 503 common/schemas/health.json", NULL },
	{ PORTAL_NONE, { "GET", "/api/v1/auth/me" }, auth_me, PORTAL_ROLE_ANY, NULL, "Who is signed in", 0, "200 session", NULL },
	{ PORTAL_NONE, { "GET", "/api/v1/dashboard" }, auth_dashboard, PORTAL_ROLE_ANY, NULL, "What needs doing, for the signed-in person's roles", 0, "200 dashboard", NULL },
	{ PORTAL_NONE, { "POST", "/api/v1/auth/token" }, auth_token, PORTAL_PUBLIC, NULL, "A bearer token for an integration", 4096, "200 token", NULL },
	{ { "GET", "/notifications" }, { "GET", "/api/v1/notifications" }, auth_notifications_list, PORTAL_ROLE_ANY, "notifications", "Notifications", 0, "200 notifications", &auth_notices_query },
	{ { "POST", "/notifications/read-all" }, { "POST", "/api/v1/notifications/read-all" }, auth_notifications_read_all, PORTAL_ROLE_ANY, NULL, "Mark all notifications as read", 4096, "204", NULL },
	{ { "POST", "/notifications/{id}/read" }, { "POST", "/api/v1/notifications/{id}/read" }, auth_notification_read, PORTAL_ROLE_ANY, NULL, "Mark a notification as read", 4096, "204", NULL },
	{ { "GET", "/notifications/settings" }, { "GET", "/api/v1/notifications/preferences" }, auth_notification_settings, PORTAL_ROLE_ANY, "notification_settings", "Notification settings", 0, "200 preferences", NULL },
	{ { "POST", "/notifications/settings" }, { "PUT", "/api/v1/notifications/preferences" }, auth_notification_settings_save, PORTAL_ROLE_ANY, "notification_settings", "Notification settings", 16384, "200 preferences", NULL },
	{ { "GET", "/notifications/dead-letters" }, { "GET", "/api/v1/notifications/dead-letters" }, auth_dead_letters, PORTAL_ROLE_COORDINATOR, "dead_letters", "Notifications not delivered", 0, "200 dead-letters", &auth_notices_query },
};

static const portal_app auth_app = {
	.name = "auth",
	.routes = auth_routes,
	.nroutes = sizeof(auth_routes) / sizeof(auth_routes[0]),
	.uses_directory = 1,
};

int main(int argc, char **argv)
{
	return portal_main(&auth_app, argc, argv);
}
