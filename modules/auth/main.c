/* portal-auth: the start page, health, and staff sign-in.
 *
 * Routes
 *   GET  /                      start page (with the user's features when signed in)
 *   GET  /login  POST /login    sign-in page (post/redirect/get)
 *   POST /logout                sign out
 *   GET  /api/v1/health         200 {"status":"ok","redis":"ok"} or 503
 *   POST /api/v1/auth/login     {"username","password"} -> user + csrf_token, cookie
 *   POST /api/v1/auth/logout    204
 *   GET  /api/v1/auth/me        the signed-in user
 *   POST /api/v1/auth/token     {"username","password"} -> bearer token
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "response.h"
#include "server.h"
#include "session.h"
#include "signin.h"

#define PASSWORD_MAX 1024

/* The features of the portal and the roles that open each. */
static const struct auth_feature {
	const char *title, *href, *description;
	unsigned    roles;
} auth_features[] = {
	{ "Training", "/training/",
	  "Book multi-agency First Responder training, see your bookings and your training record.",
	  PORTAL_ROLE_ANY },
	{ "Safehouse beds", "/beds/",
	  "Find a safehouse bed that fits and hold it while you make the referral; NGOs keep availability current.",
	  PORTAL_ROLE_RESPONDER | PORTAL_ROLE_NGO | PORTAL_ROLE_COORDINATOR },
	{ "Referral directory", "/directory/",
	  "Find specialist partners by language, community, exploitation type, client group and borough, and how to refer.",
	  PORTAL_ROLE_ANY },
};

/* The public part of a session: what "me" and "login" answer. */
static json_t *auth_user_view(const json_t *user)
{
	return json_pack("{s:O, s:O, s:O, s:O}",
	                 "username", json_object_get(user, "username"),
	                 "name", json_object_get(user, "name"),
	                 "roles", json_object_get(user, "roles"),
	                 "agency", json_object_get(user, "agency"));
}

/* A "next" address that stays within the portal, else "/". */
static const char *auth_safe_next(const json_t *v)
{
	const char *s = json_string_value(v);

	if (s == NULL || s[0] != '/' || s[1] == '/' || s[1] == '\\' || strlen(s) > 512 ||
	    strpbrk(s, "\r\n") || strncmp(s, "/login", 6) == 0)
		return "/";
	return s;
}

/* GET / - what the portal is for; signed in, the features the roles open. */
static void auth_start_page(portal_ctx *ctx)
{
	json_t *data = json_object(), *features = json_array();
	unsigned roles = portal_user_roles(ctx->user);
	size_t i;

	for (i = 0; i < sizeof(auth_features) / sizeof(auth_features[0]); i++)
		if (ctx->user == NULL || (roles & auth_features[i].roles))
			json_array_append_new(features, json_pack("{s:s, s:s, s:s}",
			        "title", auth_features[i].title, "href", auth_features[i].href,
			        "description", auth_features[i].description));
	json_object_set_new(data, "features", features);
	if (ctx->user)
		json_object_set_new(data, "user", auth_user_view(ctx->user));
	portal_reply(ctx, 200, data);
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
	data = json_pack("{s:s, s:s, s:b, s:[{s:s, s:s}]}",
	                 "title", "Sign in",
	                 "next", auth_safe_next(json_object_get(ctx->req.body, "next")),
	                 "has_errors", 1,
	                 "errors", "text", message, "href", "#username");
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

/* The shared sign-in steps: validate, throttle, ask the directory, create the
 * session.  Returns 0 with *token and *session set, or -1 after answering. */
static int auth_sign_in(portal_ctx *ctx, portal_token_kind kind, char **token, json_t **session)
{
	const json_t *uv = json_object_get(ctx->req.body, "username");
	const json_t *pv = json_object_get(ctx->req.body, "password");
	const char *username = json_string_value(uv), *password = json_string_value(pv);
	json_t *fields, *user = NULL;
	portal_signin_result res;
	char wait_s[16];
	int wait;

	fields = json_object();
	if (username == NULL || username[0] == '\0')
		json_object_set_new(fields, "username", json_string("Enter your username"));
	if (password == NULL || password[0] == '\0')
		json_object_set_new(fields, "password", json_string("Enter your password"));
	if (json_object_size(fields)) {
		/* refused before any call to the directory */
		auth_signin_error(ctx, 400, "missing_credentials", "Enter your username and password", fields);
		return -1;
	}
	json_decref(fields);
	if (!portal_signin_username_ok(username) || strlen(password) > PASSWORD_MAX) {
		/* cannot be an account: the same answer as a wrong password */
		portal_audit(ctx, "signin_failure", "-", json_pack("{s:s}", "reason", "malformed_username"));
		auth_signin_error(ctx, 401, "invalid_credentials",
		                  "The username or password is not right. Check them and try again.", NULL);
		return -1;
	}
	wait = portal_throttle_check(ctx->store, ctx->config, username);
	if (wait < 0) {
		portal_reply_store_unavailable(ctx);
		return -1;
	}
	if (wait > 0) {
		snprintf(wait_s, sizeof(wait_s), "%d", wait);
		portal_header_add(ctx, "Retry-After", wait_s);
		portal_audit(ctx, "signin_refused", username, json_pack("{s:s}", "reason", "too_many_attempts"));
		auth_signin_error(ctx, 429, "too_many_attempts",
		                  "There have been too many sign-in attempts for this account. Wait 15 minutes, then try again.",
		                  NULL);
		return -1;
	}
	res = portal_signin_check(ctx->config, username, password, &user);
	if (res == PORTAL_SIGNIN_UNAVAILABLE) {
		portal_audit(ctx, "signin_failure", username, json_pack("{s:s}", "reason", "directory_unavailable"));
		auth_signin_error(ctx, 503, "directory_unavailable",
		                  "Sign-in is not available just now because the staff directory cannot be reached. Try again in a few minutes.",
		                  NULL);
		return -1;
	}
	if (res == PORTAL_SIGNIN_INVALID) {
		portal_throttle_fail(ctx->store, ctx->config, username);
		portal_audit(ctx, "signin_failure", username, json_pack("{s:s}", "reason", "invalid_credentials"));
		auth_signin_error(ctx, 401, "invalid_credentials",
		                  "The username or password is not right. Check them and try again.", NULL);
		return -1;
	}
	portal_throttle_reset(ctx->store, ctx->config, username);
	/* a session that came with the request is ended: every sign-in gets a new id */
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
	portal_audit(ctx, kind == PORTAL_TOKEN_BEARER ? "token_issued" : "signin_success", username, NULL);
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

/* GET /login - the sign-in form. */
static void auth_login_page(portal_ctx *ctx)
{
	if (ctx->user) {
		portal_reply_redirect(ctx, auth_safe_next(json_object_get(ctx->req.query, "next")));
		return;
	}
	portal_reply(ctx, 200, json_pack("{s:s}", "next", auth_safe_next(json_object_get(ctx->req.query, "next"))));
}

/* POST /login and POST /api/v1/auth/login. */
static void auth_login(portal_ctx *ctx)
{
	char *token = NULL;
	json_t *session = NULL;

	if (auth_sign_in(ctx, PORTAL_TOKEN_COOKIE, &token, &session) < 0)
		return;
	auth_set_cookie(ctx, token);
	if (ctx->req.is_api)
		portal_reply(ctx, 200, json_pack("{s:o, s:O}", "user", auth_user_view(session),
		                                 "csrf_token", json_object_get(session, "csrf_token")));
	else
		portal_reply_redirect(ctx, auth_safe_next(json_object_get(ctx->req.body, "next")));
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
	if (ctx->req.is_api)
		portal_reply_no_content(ctx);
	else
		portal_reply_redirect(ctx, "/");
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
	{ "GET",  "/",                    auth_start_page, PORTAL_PUBLIC, "start", "Home", 0 },
	{ "GET",  "/login",               auth_login_page, PORTAL_PUBLIC, "login", "Sign in", 0 },
	{ "POST", "/login",               auth_login,      PORTAL_PUBLIC, "login", "Sign in", 4096 },
	{ "POST", "/logout",              auth_logout,     PORTAL_ROLE_ANY, NULL, NULL, 4096 },
	{ "GET",  "/api/v1/health",       portal_health,   PORTAL_PUBLIC, NULL, NULL, 0 },
	{ "POST", "/api/v1/auth/login",   auth_login,      PORTAL_PUBLIC, NULL, NULL, 4096 },
	{ "POST", "/api/v1/auth/logout",  auth_logout,     PORTAL_ROLE_ANY, NULL, NULL, 4096 },
	{ "GET",  "/api/v1/auth/me",      auth_me,         PORTAL_ROLE_ANY, NULL, NULL, 0 },
	{ "POST", "/api/v1/auth/token",   auth_token,      PORTAL_PUBLIC, NULL, NULL, 4096 },
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
