/* notifications.c - a person's notifications (newest first, unread marked,
 * "Mark all as read", paged), their e-mail choices per kind, and the
 * coordinators' list of what the notifications worker could not deliver.
 * Everything is read and written through common/notices.h: the worker
 * (modules/notify/) writes the notifications, the kinds catalogue and the
 * dead letters; this module never reads the events. */
#include "notifications.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "jsonget.h"
#include "notices.h"
#include "response.h"

#define AUTH_NOTICES_PER_PAGE 20
#define AUTH_NOTICES_PER_PAGE_MAX 100

static const portal_field auth_notices_query_fields[] = {
	{ .name = "page", .type = PORTAL_FIELD_INT, .min = 1, .max = 100000, .label = "Page" },
	{ .name = "per_page", .type = PORTAL_FIELD_INT, .min = 1, .max = AUTH_NOTICES_PER_PAGE_MAX,
	  .label = "Notifications per page" },
};
const portal_fields auth_notices_query = PORTAL_FIELDS_INIT(auth_notices_query_fields);

static const char *auth_uid(const portal_ctx *ctx)
{
	return portal_json_text(ctx->user, "username");
}

/* The validated page and per_page of the query: 0, or -1 after answering 422. */
static int auth_paging(portal_ctx *ctx, long long *page, long long *per_page)
{
	json_t *q = NULL;

	if ((q = portal_valid_query(ctx, auth_notices_query)) == NULL)
		return -1;
	*page = portal_json_num(q, "page") ? portal_json_num(q, "page") : 1;
	*per_page = portal_json_num(q, "per_page") ? portal_json_num(q, "per_page") : AUTH_NOTICES_PER_PAGE;
	json_decref(q);
	return 0;
}

/* Previous and next page links of a list at `path` ({prev_href, next_href,
 * number, pages}), or NULL when one page holds it. */
static json_t *auth_pages_nav(const char *path, long long page, long long per_page, long long total)
{
	long long pages = (total + per_page - 1) / per_page;
	char href[160];
	json_t *nav;

	if (pages <= 1)
		return NULL;
	nav = json_pack("{s:I, s:I}", "number", (json_int_t)page, "pages", (json_int_t)pages);
	if (nav && page > 1) {
		snprintf(href, sizeof(href), "%s?page=%lld&per_page=%lld", path, (page > pages ? pages : page - 1), per_page);
		json_object_set_new(nav, "prev_href", json_string(href));
	}
	if (nav && page < pages) {
		snprintf(href, sizeof(href), "%s?page=%lld&per_page=%lld", path, page + 1, per_page);
		json_object_set_new(nav, "next_href", json_string(href));
	}
	return nav;
}

/* Each item's created_at (Unix seconds) for the API (RFC 3339) or the page
 * (in words, as "when"). */
static void auth_notices_times(json_t *items, int is_api)
{
	time_t now = time(NULL);
	json_t *item;
	size_t i;
	char text[96];

	json_array_foreach(items, i, item) {
		time_t t = (time_t)portal_json_num(item, "created_at");
		if (is_api) {
			portal_time_format(t, text, sizeof(text));
			json_object_set_new(item, "created_at", json_string(text));
		} else {
			portal_time_words(t, now, text, sizeof(text));
			json_object_set_new(item, "when", json_string(text));
		}
	}
}

void auth_notifications_list(portal_ctx *ctx)
{
	long long page, per_page, total = 0, unread = 0;
	json_t *items = NULL, *data, *nav;

	if (auth_paging(ctx, &page, &per_page) < 0)
		return;
	if (portal_notices_list(ctx->store, auth_uid(ctx), page, per_page, &items, &total, &unread) < 0) {
		portal_reply_store_unavailable(ctx);
		return;
	}
	auth_notices_times(items, ctx->req.is_api);
	if (ctx->req.is_api) {
		portal_reply(ctx, 200, json_pack("{s:o, s:I, s:I}", "items", items, "unread", (json_int_t)unread,
		                                 "total", (json_int_t)total));
		return;
	}
	data = json_pack("{s:o, s:I, s:I, s:b, s:b, s:b}", "items", items, "unread", (json_int_t)unread,
	                 "total", (json_int_t)total, "has_items", json_array_size(items) > 0,
	                 "has_unread", unread > 0, "beyond", total > 0 && json_array_size(items) == 0);
	if (data && (nav = auth_pages_nav("/notifications", page, per_page, total)) != NULL)
		json_object_set_new(data, "pagination", nav);
	if (data)
		json_object_set_new(data, "is_coordinator", json_boolean(portal_user_has(ctx, PORTAL_ROLE_COORDINATOR)));
	if (data && json_is_string(json_object_get(ctx->req.query, "done")))
		json_object_set_new(data, "done", json_pack("{s:s}", "heading", "Your notifications are marked as read."));
	portal_reply(ctx, 200, data);
}

void auth_notifications_read_all(portal_ctx *ctx)
{
	if (portal_notices_mark_all_read(ctx->store, auth_uid(ctx)) < 0) {
		portal_reply_store_unavailable(ctx);
		return;
	}
	portal_reply_done(ctx, 204, NULL, NULL, "/notifications?done=read");
}

void auth_notification_read(portal_ctx *ctx)
{
	const char *id = portal_path_param(ctx, "id", portal_notice_id_ok, "notification");
	long long page = portal_json_num(ctx->req.body, "page");

	if (id == NULL)
		return;
	if (portal_reply_unless_found(ctx, portal_notices_mark_read(ctx->store, auth_uid(ctx), id), "notification") < 0)
		return;
	portal_reply_done(ctx, 204, NULL, NULL, "/notifications?page=%lld", page > 1 && page <= 100000 ? page : 1);
}

/* The kinds catalogue with the person's choice of each: {"kind","label",
 * "email" (on), "may_turn_off"} of the kinds e-mailed, into a new array;
 * NULL after answering (503 when the worker never wrote the catalogue). */
static json_t *auth_preferences(portal_ctx *ctx, const char *off)
{
	json_t *kinds = NULL, *out, *k;
	size_t i;
	int rc = portal_notices_kinds(ctx->store, &kinds);

	if (rc <= 0) {
		if (rc < 0)
			portal_reply_store_unavailable(ctx);
		else
			portal_reply_error(ctx, 503, "notifications_unavailable",
			                   "The notification settings are not available yet because the notifications service has not started. Try again in a few minutes.",
			                   NULL);
		return NULL;
	}
	out = json_array();
	json_array_foreach(kinds, i, k) {
		const char *kind = portal_json_text(k, "kind"), *email = portal_json_text(k, "email");
		if (kind == NULL || email == NULL || strcmp(email, "none") == 0)
			continue;
		json_array_append_new(out, json_pack("{s:s, s:s, s:b, s:b}", "kind", kind, "label",
		                                     portal_json_text(k, "label") ? portal_json_text(k, "label") : kind,
		                                     "email", !portal_words_have(off, kind),
		                                     "may_turn_off", strcmp(email, "choice") == 0));
	}
	json_decref(kinds);
	return out;
}

/* Answer the settings: the API's {"preferences":[...]}, or the page. */
static void auth_settings_reply(portal_ctx *ctx, json_t *prefs, int saved)
{
	if (ctx->req.is_api) {
		portal_reply(ctx, 200, json_pack("{s:o}", "preferences", prefs));
		return;
	}
	if (saved) {
		json_decref(prefs);
		portal_reply_redirect(ctx, "/notifications/settings?done=saved");
		return;
	}
	portal_reply(ctx, 200, json_pack("{s:o, s:o*}", "preferences", prefs, "done",
	                                 json_is_string(json_object_get(ctx->req.query, "done"))
	                                 ? json_pack("{s:s}", "heading", "Your e-mail choices are saved.") : NULL));
}

void auth_notification_settings(portal_ctx *ctx)
{
	char off[2048];
	json_t *prefs;

	if (portal_notices_email_off(ctx->store, auth_uid(ctx), off, sizeof(off)) < 0) {
		portal_reply_store_unavailable(ctx);
		return;
	}
	if ((prefs = auth_preferences(ctx, off)) != NULL)
		auth_settings_reply(ctx, prefs, 0);
}

/* Whether the request turns e-mail of `kind` on: the API's {"email":
 * {kind: true|false}} (-1 when it does not name the kind), the form's
 * ticked boxes "email" (the form lists every kind a person may choose). */
static int auth_wants_email(const portal_ctx *ctx, const char *kind)
{
	const json_t *email = json_object_get(ctx->req.body, "email"), *v;

	if (!ctx->req.is_api)
		return portal_json_list_has(email, kind);
	v = json_object_get(email, kind);
	return json_is_boolean(v) ? json_is_true(v) : -1;
}

/* The API body's own checks: an object "email" of booleans, each a kind of
 * the catalogue.  NULL when right, else the message. */
static const char *auth_preferences_body_wrong(const portal_ctx *ctx, const json_t *prefs)
{
	const json_t *email = json_object_get(ctx->req.body, "email"), *v, *p;
	const char *kind;
	size_t i;

	if (!ctx->req.is_api)
		return NULL;
	if (!json_is_object(email))
		return "Send \"email\": an object naming each kind of notification with true (e-mail on) or false (off)";
	json_object_foreach((json_t *)email, kind, v) {
		int known = 0;
		json_array_foreach(prefs, i, p)
			known |= strcmp(portal_json_text(p, "kind"), kind) == 0;
		if (!known || !json_is_boolean(v))
			return "Each kind in \"email\" must be a kind of notification the settings list, with true or false";
	}
	return NULL;
}

void auth_notification_settings_save(portal_ctx *ctx)
{
	char off[2048] = "", had[2048];
	json_t *prefs, *p;
	const char *wrong, *refused = NULL;
	size_t i, used = 0;

	if (portal_notices_email_off(ctx->store, auth_uid(ctx), had, sizeof(had)) < 0) {
		portal_reply_store_unavailable(ctx);
		return;
	}
	if ((prefs = auth_preferences(ctx, had)) == NULL)
		return;
	if ((wrong = auth_preferences_body_wrong(ctx, prefs)) != NULL) {
		portal_reply_invalid(ctx, json_pack("{s:s}", "email", wrong), json_pack("{s:o}", "preferences", prefs));
		return;
	}
	json_array_foreach(prefs, i, p) {
		const char *kind = portal_json_text(p, "kind");
		int may = json_is_true(json_object_get(p, "may_turn_off"));
		int want = ctx->req.is_api || may ? auth_wants_email(ctx, kind) : 1;  /* the form shows it fixed */
		if (want < 0)
			want = json_is_true(json_object_get(p, "email"));  /* the API left it as it was */
		if (!want && !may)
			refused = portal_json_text(p, "label");
		else if (!want && used + strlen(kind) + 2 < sizeof(off))
			used += (size_t)snprintf(off + used, sizeof(off) - used, "%s%s", used ? " " : "", kind);
		json_object_set_new(p, "email", json_boolean(want || !may));
	}
	if (refused) {
		char msg[300];
		snprintf(msg, sizeof(msg), "E-mail about \"%s\" cannot be turned off: your agency's on-call staff must hear of it at once", refused);
		portal_reply_invalid(ctx, json_pack("{s:s}", "email", msg), json_pack("{s:o}", "preferences", prefs));
		return;
	}
	if (portal_notices_set_email_off(ctx->store, auth_uid(ctx), off) < 0) {
		json_decref(prefs);
		portal_reply_store_unavailable(ctx);
		return;
	}
	auth_settings_reply(ctx, prefs, 1);
}

/* Words for a dead letter's module and sink, for the page. */
static const char *auth_words_of(const char *code, const char *const *pairs)
{
	for (; pairs[0]; pairs += 2)
		if (code && strcmp(code, pairs[0]) == 0)
			return pairs[1];
	return "Another part of the portal";
}

/* The page's words of each dead letter: what (the kind's label), where,
 * how (the sink) and when. */
static void auth_dead_letters_words(portal_ctx *ctx, json_t *items)
{
	static const char *const modules[] = { "beds", "Safehouse beds", "training", "Training", "directory",
	                                       "Referral directory", "cases", "Case updates", NULL };
	static const char *const sinks[] = { "notify", "E-mail", "inbox", "In-portal notification", "dashboard",
	                                     "Start page", NULL };
	json_t *kinds = NULL, *item, *k;
	size_t i, j;
	time_t now = time(NULL);
	char when[96];

	portal_notices_kinds(ctx->store, &kinds);
	json_array_foreach(items, i, item) {
		const char *what = "Something that happened";
		json_array_foreach(kinds, j, k)
			if (portal_json_text(k, "kind") && portal_json_text(item, "kind") &&
			    strcmp(portal_json_text(k, "kind"), portal_json_text(item, "kind")) == 0 && portal_json_text(k, "label"))
				what = portal_json_text(k, "label");
		portal_time_words((time_t)portal_json_num(item, "at"), now, when, sizeof(when));
		json_object_set_new(item, "what", json_string(what));
		json_object_set_new(item, "where", json_string(auth_words_of(portal_json_text(item, "stream"), modules)));
		json_object_set_new(item, "how", json_string(auth_words_of(portal_json_text(item, "sink"), sinks)));
		json_object_set_new(item, "when", json_string(when));
	}
	json_decref(kinds);
}

void auth_dead_letters(portal_ctx *ctx)
{
	long long page, per_page, total = 0;
	json_t *items = NULL, *data, *nav, *item;
	size_t i;
	char at[32];

	if (auth_paging(ctx, &page, &per_page) < 0)
		return;
	if (portal_notices_dead_letters(ctx->store, page, per_page, &items, &total) < 0) {
		portal_reply_store_unavailable(ctx);
		return;
	}
	if (ctx->req.is_api) {
		json_array_foreach(items, i, item) {
			portal_time_format((time_t)portal_json_num(item, "at"), at, sizeof(at));
			json_object_set_new(item, "at", json_string(at));
		}
		portal_reply(ctx, 200, json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)total));
		return;
	}
	auth_dead_letters_words(ctx, items);
	data = json_pack("{s:o, s:I, s:b}", "items", items, "total", (json_int_t)total, "has_items",
	                 json_array_size(items) > 0);
	if (data && (nav = auth_pages_nav("/notifications/dead-letters", page, per_page, total)) != NULL)
		json_object_set_new(data, "pagination", nav);
	portal_reply(ctx, 200, data);
}
