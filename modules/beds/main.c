/* portal-beds: safehouse beds - live availability, search and time-limited
 * holds.  No address is stored or shown anywhere; a hold carries only the
 * responder's own case reference and call-back phone.
 *
 * Routes (pages under /beds/, the same handlers answer JSON under /api/v1/beds/)
 *   GET  /beds/                       start: search form, my holds, my safehouses
 *   GET  /beds/search  /api/v1/beds/search            search by bed group and needs
 *   GET  /beds/safehouses  POST (new)  and /api/v1/beds/safehouses
 *   GET  /beds/safehouses/new                         form for a new safehouse
 *   GET  /beds/safehouses/{id}  (PUT under /api/)     a safehouse
 *   GET  /beds/safehouses/{id}/edit  POST (change)    the filled-in form
 *   POST /beds/safehouses/{id}/vacancies  PUT /api/v1/beds/safehouses/{id}/vacancies
 *   POST .../safehouses/{id}/confirm                  "still accurate"
 *   GET  /beds/safehouses/{id}/hold                   the hold form
 *   POST .../safehouses/{id}/holds                    place a hold (Idempotency-Key)
 *   GET  .../holds, .../holds/{id}; POST .../holds/{id}/accept|decline|cancel|extend
 *   GET  .../summary; GET .../reports/holds (.csv)    coordinator report
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "beds.h"
#include "beds_store.h"
#include "clock.h"
#include "metrics.h"
#include "response.h"
#include "server.h"
#include "session.h"
#include "reference.h"
#include "validate.h"

#define RESP  PORTAL_ROLE_RESPONDER
#define NGO   PORTAL_ROLE_NGO
#define COORD PORTAL_ROLE_COORDINATOR
#define SEEKERS (RESP | NGO | COORD)

static void beds_home(portal_ctx *ctx);
static void beds_search_get(portal_ctx *ctx);
static void beds_safehouse_list(portal_ctx *ctx);
static void beds_safehouse_new_form(portal_ctx *ctx);
static void beds_safehouse_edit_form(portal_ctx *ctx);
static void beds_safehouse_create(portal_ctx *ctx);
static void beds_safehouse_get(portal_ctx *ctx);
static void beds_safehouse_update(portal_ctx *ctx);
static void beds_vacancies_put(portal_ctx *ctx);
static void beds_vacancies_confirm(portal_ctx *ctx);
static void beds_hold_form(portal_ctx *ctx);
static void beds_hold_place(portal_ctx *ctx);
static void beds_hold_list(portal_ctx *ctx);
static void beds_hold_get(portal_ctx *ctx);
static void beds_hold_accept(portal_ctx *ctx);
static void beds_hold_decline(portal_ctx *ctx);
static void beds_hold_cancel(portal_ctx *ctx);
static void beds_hold_extend(portal_ctx *ctx);
static void beds_summary_get(portal_ctx *ctx);
static void beds_report_get(portal_ctx *ctx);
static void beds_report_csv_get(portal_ctx *ctx);

static const portal_route beds_routes[] = {
	{ "GET",  "/api/v1/health", portal_health, PORTAL_PUBLIC, NULL, NULL, 0 },
	{ "GET",  "/beds/", beds_home, SEEKERS, "home", "Safehouse beds", 0 },
	{ "GET",  "/beds/search", beds_search_get, SEEKERS, "search", "Find a safehouse bed", 0 },
	{ "GET",  "/api/v1/beds/search", beds_search_get, SEEKERS, NULL, NULL, 0 },
	{ "GET",  "/beds/safehouses", beds_safehouse_list, SEEKERS, "safehouses", "Safehouses", 0 },
	{ "GET",  "/api/v1/beds/safehouses", beds_safehouse_list, SEEKERS, NULL, NULL, 0 },
	{ "GET",  "/beds/safehouses/new", beds_safehouse_new_form, NGO, "safehouse_form", "Add a safehouse", 0 },
	{ "POST", "/beds/safehouses", beds_safehouse_create, NGO, "safehouse_form", "Add a safehouse", 16384 },
	{ "POST", "/api/v1/beds/safehouses", beds_safehouse_create, NGO, NULL, NULL, 16384 },
	{ "GET",  "/beds/safehouses/{id}", beds_safehouse_get, SEEKERS, "safehouse", "Safehouse", 0 },
	{ "GET",  "/api/v1/beds/safehouses/{id}", beds_safehouse_get, SEEKERS, NULL, NULL, 0 },
	{ "GET",  "/beds/safehouses/{id}/edit", beds_safehouse_edit_form, NGO, "safehouse_form", "Change the safehouse details", 0 },
	{ "POST", "/beds/safehouses/{id}/edit", beds_safehouse_update, NGO, "safehouse_form", "Change the safehouse details", 16384 },
	{ "PUT",  "/api/v1/beds/safehouses/{id}", beds_safehouse_update, NGO, NULL, NULL, 16384 },
	{ "POST", "/beds/safehouses/{id}/vacancies", beds_vacancies_put, NGO, "safehouse", "Safehouse", 4096 },
	{ "PUT",  "/api/v1/beds/safehouses/{id}/vacancies", beds_vacancies_put, NGO, NULL, NULL, 4096 },
	{ "POST", "/beds/safehouses/{id}/confirm", beds_vacancies_confirm, NGO, "safehouse", "Safehouse", 4096 },
	{ "POST", "/api/v1/beds/safehouses/{id}/confirm", beds_vacancies_confirm, NGO, NULL, NULL, 4096 },
	{ "GET",  "/beds/safehouses/{id}/hold", beds_hold_form, RESP, "hold_form", "Hold a bed", 0 },
	{ "POST", "/beds/safehouses/{id}/holds", beds_hold_place, RESP, "hold_form", "Hold a bed", 4096 },
	{ "POST", "/api/v1/beds/safehouses/{id}/holds", beds_hold_place, RESP, NULL, NULL, 4096 },
	{ "GET",  "/beds/holds", beds_hold_list, SEEKERS, "holds", "Bed holds", 0 },
	{ "GET",  "/api/v1/beds/holds", beds_hold_list, SEEKERS, NULL, NULL, 0 },
	{ "GET",  "/beds/holds/{id}", beds_hold_get, SEEKERS, "hold", "Bed hold", 0 },
	{ "GET",  "/api/v1/beds/holds/{id}", beds_hold_get, SEEKERS, NULL, NULL, 0 },
	{ "POST", "/beds/holds/{id}/accept", beds_hold_accept, NGO, "hold", "Bed hold", 4096 },
	{ "POST", "/api/v1/beds/holds/{id}/accept", beds_hold_accept, NGO, NULL, NULL, 4096 },
	{ "POST", "/beds/holds/{id}/decline", beds_hold_decline, NGO, "hold", "Bed hold", 4096 },
	{ "POST", "/api/v1/beds/holds/{id}/decline", beds_hold_decline, NGO, NULL, NULL, 4096 },
	{ "POST", "/beds/holds/{id}/cancel", beds_hold_cancel, RESP, "hold", "Bed hold", 4096 },
	{ "POST", "/api/v1/beds/holds/{id}/cancel", beds_hold_cancel, RESP, NULL, NULL, 4096 },
	{ "POST", "/beds/holds/{id}/extend", beds_hold_extend, RESP, "hold", "Bed hold", 4096 },
	{ "POST", "/api/v1/beds/holds/{id}/extend", beds_hold_extend, RESP, NULL, NULL, 4096 },
	{ "GET",  "/beds/summary", beds_summary_get, PORTAL_ROLE_ANY, "summary", "Safehouse beds across London", 0 },
	{ "GET",  "/api/v1/beds/summary", beds_summary_get, PORTAL_ROLE_ANY, NULL, NULL, 0 },
	{ "GET",  "/beds/reports/holds", beds_report_get, COORD, "report", "Bed holds report", 0 },
	{ "GET",  "/api/v1/beds/reports/holds", beds_report_get, COORD, NULL, NULL, 0 },
	{ "GET",  "/beds/reports/holds.csv", beds_report_csv_get, COORD, NULL, NULL, 0 },
	{ "GET",  "/api/v1/beds/reports/holds.csv", beds_report_csv_get, COORD, NULL, NULL, 0 },
};

/* ---- helpers ------------------------------------------------------------ */

/* The {id} path parameter as a positive number in text, or NULL (the
 * caller answers 404). */
static const char *beds_path_id(portal_ctx *ctx)
{
	const char *s = json_string_value(json_object_get(ctx->req.params, "id"));
	long long n;

	if (s == NULL || strlen(s) > 12 || portal_parse_int(s, 1, 999999999999LL, &n) < 0)
		return NULL;
	return s;
}

/* The signed-in username ("" when none). */
static const char *beds_username(const portal_ctx *ctx)
{
	const char *u = json_string_value(json_object_get(ctx->user, "username"));
	return u ? u : "";
}

/* 404 for a safehouse or hold that is not there (or not the asker's to see). */
static void beds_not_found(portal_ctx *ctx, const char *what)
{
	char msg[160];

	snprintf(msg, sizeof(msg), "There is no %s with that number you can see. Check the link, or go back to the list.", what);
	portal_reply_error(ctx, 404, "not_found", msg, NULL);
}

/* The message of a script's holds_pending answer into msg: how many beds
 * of which group are held, and to answer those holds first. */
static void beds_holds_pending_message(const json_t *res, char *msg, size_t len)
{
	const char *g = json_string_value(json_object_get(res, "group"));
	long long held = (long long)json_integer_value(json_object_get(res, "held"));

	if (held == 1)
		snprintf(msg, len, "%s: 1 bed is held for a referral. Answer that hold first (accept or decline it), then change the number.",
		         beds_group_label(g));
	else
		snprintf(msg, len, "%s: %lld beds are held for referrals. Answer those holds first (accept or decline them), then change the number.",
		         beds_group_label(g), held);
}

/* Answer a script's {"err":...}: the codes the scripts give, each with what
 * to do next.  Takes the result (not stolen). */
static void beds_reply_script_error(portal_ctx *ctx, const json_t *res, const char *what)
{
	const char *err = json_string_value(json_object_get(res, "err"));
	char msg[256];

	if (err == NULL) {
		portal_reply_internal_error(ctx, "beds script gave no answer");
	} else if (strcmp(err, "not_found") == 0) {
		beds_not_found(ctx, what);
	} else if (strcmp(err, "forbidden") == 0) {
		portal_reply_forbidden(ctx, "Only staff of the agency that runs this safehouse can do this.");
	} else if (strcmp(err, "invalid_input") == 0) {
		portal_reply_error(ctx, 422, "invalid_input", "Check the highlighted fields and try again.",
		                   json_incref(json_object_get(res, "fields")));
	} else if (strcmp(err, "holds_pending") == 0) {
		const char *g = json_string_value(json_object_get(res, "group"));
		beds_holds_pending_message(res, msg, sizeof(msg));
		portal_reply_error(ctx, 409, "holds_pending", msg,
		                   json_pack("{s:s}", g ? g : "group", msg));
	} else if (strcmp(err, "no_bed_available") == 0) {
		portal_metric_event(ctx, BEDS_EV_NO_BED_AVAILABLE);
		portal_reply_error(ctx, 409, "no_bed_available",
		                   "There is no available bed in this group now: another responder may have just held it. Search again for another safehouse.", NULL);
	} else if (strcmp(err, "too_many_holds") == 0) {
		char ra[24];
		snprintf(ra, sizeof(ra), "%lld", (long long)json_integer_value(json_object_get(res, "retry_after")));
		portal_header_add(ctx, "Retry-After", ra);
		snprintf(msg, sizeof(msg), "You already have %d beds on hold. Cancel a hold you no longer need, or wait for an answer, then try again.",
		         beds_config_get()->max_pending);
		portal_reply_error(ctx, 429, "too_many_holds", msg, NULL);
	} else if (strcmp(err, "hold_not_pending") == 0) {
		snprintf(msg, sizeof(msg), "This hold is no longer waiting for an answer: it is %s.",
		         json_string_value(json_object_get(res, "status")) ? json_string_value(json_object_get(res, "status")) : "closed");
		portal_reply_error(ctx, 409, "hold_not_pending", msg, NULL);
	} else if (strcmp(err, "already_extended") == 0) {
		portal_reply_error(ctx, 409, "already_extended", "A hold can be extended once, and this one has been.", NULL);
	} else if (strcmp(err, "too_many_safehouses") == 0) {
		portal_reply_error(ctx, 409, "too_many_safehouses", "The portal holds at most 500 safehouses. Ask a coordinator to remove unused ones.", NULL);
	} else {
		portal_reply_internal_error(ctx, err);
	}
}

/* Validate `input` against `fields`; on failure answer 422 (with `page` as
 * the page data, stolen) and return -1.  On success *valid is set and page
 * is released. */
static int beds_validate(portal_ctx *ctx, const json_t *input, const portal_field *fields,
                         size_t n, json_t **valid, json_t *page)
{
	json_t *errors = NULL;

	if (portal_validate(input, fields, n, valid, &errors) < 0) {
		if (page && json_is_object(input))
			json_object_set(page, "form", (json_t *)input);
		portal_reply_invalid(ctx, errors, page);
		return -1;
	}
	json_decref(page);
	return 0;
}

/* Read every safehouse (agency "" = all) as views.  Returns a new array,
 * or NULL after answering. */
static json_t *beds_houses(portal_ctx *ctx, const char *agency)
{
	const char *args[2] = { "houses", agency };
	const beds_config *cfg = beds_config_get();
	json_t *res = NULL, *out, *h;
	time_t now = time(NULL);
	size_t i;

	if (beds_call(ctx, BEDS_SCRIPT_READ, 2, args, &res) < 0)
		return NULL;
	out = json_array();
	json_array_foreach(json_object_get(res, "ok"), i, h) {
		json_t *v = beds_house_view(h, now, cfg);
		if (v)
			json_array_append_new(out, v);
	}
	json_decref(res);
	return out;
}

/* Read one safehouse view; NULL after answering (404 when absent). */
static json_t *beds_house(portal_ctx *ctx, const char *id)
{
	const char *args[2] = { "house", id };
	json_t *res = NULL, *v = NULL;

	if (beds_call(ctx, BEDS_SCRIPT_READ, 2, args, &res) < 0)
		return NULL;
	if (json_object_get(res, "err"))
		beds_reply_script_error(ctx, res, "safehouse");
	else if ((v = beds_house_view(json_object_get(res, "ok"), time(NULL), beds_config_get())) == NULL)
		portal_reply_internal_error(ctx, "safehouse view");
	json_decref(res);
	return v;
}

/* 1 when the user is NGO staff of `agency`. */
static int beds_is_owner(const portal_ctx *ctx, const char *agency)
{
	const char *mine = portal_user_agency_id(ctx);
	return portal_user_has(ctx, NGO) && mine && agency && strcmp(mine, agency) == 0;
}

/* A number member of a hold hash (text) or 0. */
static long long beds_num(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	long long n;

	if (json_is_integer(json_object_get(o, key)))
		return json_integer_value(json_object_get(o, key));
	if (s && portal_parse_int(s, -(1LL << 52), 1LL << 52, &n) == 0)
		return n;
	return 0;
}

/* The view of a hold hash for `ctx`'s user: the private fields (case
 * reference, call-back phone) are in it only for the placing responder, the
 * owning NGO and coordinators, who are the only people shown a hold at all.
 * New reference. */
static json_t *beds_hold_view(const portal_ctx *ctx, const json_t *h)
{
	const char *status = json_string_value(json_object_get(h, "status"));
	const char *group = json_string_value(json_object_get(h, "group"));
	const char *reason = json_string_value(json_object_get(h, "decline_reason"));
	const char *doc_s = json_string_value(json_object_get(h, "safehouse_doc"));
	time_t now = time(NULL), exp = (time_t)beds_num(h, "expires_at");
	json_t *doc = doc_s ? json_loads(doc_s, 0, NULL) : NULL, *v;
	char created[32], expires[32], exp_text[64], closed[32];
	long long left = (long long)(exp - now);
	int pending = status && strcmp(status, "pending") == 0;
	int mine = strcmp(beds_username(ctx), json_string_value(json_object_get(h, "responder")) ? json_string_value(json_object_get(h, "responder")) : "") == 0;
	int owner = beds_is_owner(ctx, json_string_value(json_object_get(h, "agency")));

	portal_time_format((time_t)beds_num(h, "created_at"), created, sizeof(created));
	portal_time_format(exp, expires, sizeof(expires));
	portal_time_human(exp, "%H:%M", exp_text, sizeof(exp_text));
	v = json_pack("{s:I, s:s, s:s, s:s, s:{s:I, s:s, s:s, s:s}, s:s, s:s, s:s, s:b, s:s, s:s}",
	        "id", (json_int_t)beds_num(h, "id"), "status", status ? status : "",
	        "group", group ? group : "", "group_label", beds_group_label(group),
	        "safehouse", "id", (json_int_t)beds_num(h, "safehouse"),
	        "name", json_string_value(json_object_get(doc, "name")) ? json_string_value(json_object_get(doc, "name")) : "",
	        "agency", json_string_value(json_object_get(h, "agency")) ? json_string_value(json_object_get(h, "agency")) : "",
	        "agency_name", json_string_value(json_object_get(h, "agency_name")) ? json_string_value(json_object_get(h, "agency_name")) : "",
	        "created_at", created, "expires_at", expires, "expires_at_text", exp_text,
	        "extended", beds_num(h, "extended") == 1,
	        "responder", json_string_value(json_object_get(h, "responder")) ? json_string_value(json_object_get(h, "responder")) : "",
	        "responder_agency", json_string_value(json_object_get(h, "responder_agency")) ? json_string_value(json_object_get(h, "responder_agency")) : "");
	json_decref(doc);
	if (v == NULL)
		return json_object();
	json_object_set_new(v, "is_pending", json_boolean(pending));
	json_object_set_new(v, "status_label", json_string(
	        !status ? "" : pending ? "Waiting for the safehouse" : strcmp(status, "accepted") == 0 ? "Accepted" :
	        strcmp(status, "declined") == 0 ? "Declined" : strcmp(status, "expired") == 0 ? "Expired: the bed was released" :
	        strcmp(status, "cancelled") == 0 ? "Cancelled" : status));
	if (pending)
		json_object_set_new(v, "minutes_left", json_integer(left > 0 ? (left + 59) / 60 : 0));
	if (beds_num(h, "closed_at") > 0) {
		portal_time_format((time_t)beds_num(h, "closed_at"), closed, sizeof(closed));
		json_object_set_new(v, "closed_at", json_string(closed));
	}
	if (reason && *reason) {
		json_object_set_new(v, "decline_reason", json_string(reason));
		json_object_set_new(v, "decline_reason_label", json_string(beds_reason_label(reason)));
	}
	if (beds_num(h, "erased") == 1) {
		json_object_set_new(v, "erased", json_true());
	} else {
		json_object_set(v, "reference", json_object_get(h, "reference") ? json_object_get(h, "reference") : json_null());
		json_object_set(v, "callback_phone", json_object_get(h, "callback_phone") ? json_object_get(h, "callback_phone") : json_null());
	}
	json_object_set_new(v, "can_answer", json_boolean(pending && owner));
	json_object_set_new(v, "can_cancel", json_boolean(pending && mine && portal_user_has(ctx, RESP)));
	json_object_set_new(v, "can_extend", json_boolean(pending && mine && portal_user_has(ctx, RESP) && beds_num(h, "extended") != 1));
	return v;
}

/* 1 when the user may see hold `h`: who placed it, the owning NGO, coordinators. */
static int beds_hold_visible(const portal_ctx *ctx, const json_t *h)
{
	const char *who = json_string_value(json_object_get(h, "responder"));

	if (portal_user_has(ctx, COORD))
		return 1;
	if (beds_is_owner(ctx, json_string_value(json_object_get(h, "agency"))))
		return 1;
	return portal_user_has(ctx, RESP) && who && strcmp(who, beds_username(ctx)) == 0;
}

/* ---- pages and API ------------------------------------------------------ */

/* The bed group choices (NULL-terminated) for validation. */
#define GROUP_CHOICES ((const char *const *)beds_groups)

/* Data every form page needs: areas, languages, groups. */
static json_t *beds_form_data(void)
{
	json_t *areas = json_array(), *groups = json_array(), *langs = json_array();
	const char *const *a = beds_area_choices(), *const *l = beds_language_choices();
	size_t i;

	for (i = 0; a[i]; i++)
		json_array_append_new(areas, json_pack("{s:s, s:s}", "code", a[i], "name", beds_area_name(a[i])));
	for (i = 0; l[i]; i++)
		json_array_append_new(langs, json_pack("{s:s, s:s}", "code", l[i], "name", portal_language_name(l[i]) ? portal_language_name(l[i]) : l[i]));
	for (i = 0; i < BEDS_GROUP_COUNT; i++)
		json_array_append_new(groups, json_pack("{s:s, s:s}", "code", beds_groups[i], "name", beds_group_label(beds_groups[i])));
	return json_pack("{s:o, s:o, s:o}", "areas", areas, "languages", langs, "groups", groups);
}

/* Mark the item of list `name` in `data` whose code is `value` as selected
 * (for <select> after a search or with a group chosen). */
static void beds_mark_selected(json_t *data, const char *name, const json_t *value)
{
	const char *v = json_string_value(value);
	json_t *item;
	size_t i;

	if (v == NULL)
		return;
	json_array_foreach(json_object_get(data, name), i, item)
		if (strcmp(json_string_value(json_object_get(item, "code")), v) == 0)
			json_object_set_new(item, "selected", json_true());
}

/* GET /beds/ - where each role starts. */
static void beds_home(portal_ctx *ctx)
{
	json_t *data = beds_form_data();

	json_object_set_new(data, "is_responder", json_boolean(portal_user_has(ctx, RESP)));
	json_object_set_new(data, "is_ngo", json_boolean(portal_user_has(ctx, NGO)));
	json_object_set_new(data, "is_coordinator", json_boolean(portal_user_has(ctx, COORD)));
	portal_reply(ctx, 200, data);
}

static const portal_field beds_search_fields[] = {
	{ "group", PORTAL_FIELD_ENUM, 1, 0, 0, NULL, 0, "Bed group" },
	{ "pre_nrm", PORTAL_FIELD_BOOL, 0, 0, 0, NULL, 0, "Emergency pre-NRM stay" },
	{ "post_nrm", PORTAL_FIELD_BOOL, 0, 0, 0, NULL, 0, "Post-NRM stay" },
	{ "dependants", PORTAL_FIELD_BOOL, 0, 0, 0, NULL, 0, "Dependants accepted" },
	{ "accessible", PORTAL_FIELD_BOOL, 0, 0, 0, NULL, 0, "Wheelchair accessible" },
	{ "language", PORTAL_FIELD_ENUM, 0, 0, 0, NULL, 0, "Language" },
	{ "area", PORTAL_FIELD_ENUM, 0, 0, 0, NULL, 0, "Preferred area" },
};

/* GET /beds/search - houses with an available bed that fit; a search with
 * no result is counted for the unmet-need report. */
static void beds_search_get(portal_ctx *ctx)
{
	portal_field f[sizeof(beds_search_fields) / sizeof(beds_search_fields[0])];
	json_t *want = NULL, *houses = NULL, *results, *data;
	char base[128], member[400], needs[300], rnd[17], now_s[24];
	redisReply *r;

	memcpy(f, beds_search_fields, sizeof(f));
	f[0].choices = GROUP_CHOICES;
	f[5].choices = beds_language_choices();
	f[6].choices = beds_area_choices();
	if (!ctx->req.is_api && json_object_size(ctx->req.query) == 0) {
		portal_reply(ctx, 200, beds_form_data());  /* the empty form */
		return;
	}
	if (beds_validate(ctx, ctx->req.query, f, 7, &want, beds_form_data()) < 0)
		return;
	if ((houses = beds_houses(ctx, "")) == NULL)
		goto done;
	results = beds_search(houses, want);
	if (json_array_size(results) == 0) {
		portal_metric_event(ctx, BEDS_EV_SEARCH_NO_RESULT);
		beds_needs_text(want, needs, sizeof(needs));
		portal_random_hex(rnd, 8);
		snprintf(now_s, sizeof(now_s), "%lld", (long long)time(NULL));
		snprintf(member, sizeof(member), "%s:%s|%s|%s", now_s, rnd,
		         json_string_value(json_object_get(want, "group")), needs);
		beds_key_base(ctx->store, base, sizeof(base));
		r = portal_store_command(ctx->store, "ZADD %sunmet %s %s", base, now_s, member);
		freeReplyObject(r);  /* the search still answers when counting fails */
	}
	if (ctx->req.is_api) {
		/* the API answers the results alone; the form's choice lists are
		 * for the page (they made the answer fifteen times larger) */
		portal_reply(ctx, 200, json_pack("{s:o}", "results", results));
		goto done;
	}
	data = beds_form_data();
	json_object_set_new(data, "results", results);
	json_object_set_new(data, "searched", json_true());
	json_object_set_new(data, "has_results", json_boolean(json_array_size(results) > 0));
	json_object_set_new(data, "group_label", json_string(beds_group_label(json_string_value(json_object_get(want, "group")))));
	json_object_set(data, "form", want);
	beds_mark_selected(data, "groups", json_object_get(want, "group"));
	beds_mark_selected(data, "languages", json_object_get(want, "language"));
	beds_mark_selected(data, "areas", json_object_get(want, "area"));
	json_object_set_new(data, "can_hold", json_boolean(portal_user_has(ctx, RESP)));
	portal_reply(ctx, 200, data);
done:
	json_decref(houses);
	json_decref(want);
}

/* GET /beds/safehouses - NGO staff: their agency's; others: every house. */
static void beds_safehouse_list(portal_ctx *ctx)
{
	const char *agency = "";
	json_t *houses;

	if (portal_user_has(ctx, NGO) && !portal_user_has(ctx, COORD | RESP))
		agency = portal_user_agency_id(ctx) ? portal_user_agency_id(ctx) : "-";
	if ((houses = beds_houses(ctx, agency)) == NULL)
		return;
	portal_reply(ctx, 200, json_pack("{s:o, s:b, s:b}", "safehouses", houses,
	             "has_safehouses", json_array_size(houses) > 0, "is_ngo", portal_user_has(ctx, NGO)));
}

/* ---- the safehouse form: new and edit ------------------------------------ */

/* What a safehouse offers, as the form's checkboxes show it. */
static const struct beds_offer {
	const char *code, *label;
} beds_offers[] = {
	{ "pre_nrm", "Emergency pre-NRM stays" },
	{ "post_nrm", "Post-NRM stays" },
	{ "dependants", "Dependants (children) accepted" },
	{ "accessible", "Wheelchair accessible" },
	{ "staffed_24h", "24-hour staff" },
};
#define BEDS_OFFER_COUNT (sizeof(beds_offers) / sizeof(beds_offers[0]))

/* The fields the safehouse form shows as text, in the form's order. */
static const char *const beds_form_text_fields[] = {
	"name", "beds_women", "beds_men", "beds_trans_non_binary",
	"languages", "referral_phone", "referral_hours",
};
#define BEDS_FORM_TEXT_COUNT (sizeof(beds_form_text_fields) / sizeof(beds_form_text_fields[0]))

/* 1 when form value `v` means a ticked box: JSON true, or the words a form
 * sends for one ("true", "on", "yes", "1", any case). */
static int beds_form_ticked(const json_t *v)
{
	static const char *const yes[] = { "true", "on", "yes", "1", NULL };
	const char *s = json_string_value(v);
	size_t i;

	if (json_is_true(v))
		return 1;
	for (i = 0; s != NULL && yes[i] != NULL; i++)
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
	return 0;
}

/* Form value `v` as the text an input shows again: a string as typed, an
 * integer in decimal, a list of strings (languages, or a repeated field)
 * joined with ", " (at most 4 KiB, else ""); anything else "".  Returns a
 * new JSON string (NULL only when out of memory).  NOTE: the text is
 * escaped when the template renders it, never here. */
static json_t *beds_form_text(const json_t *v)
{
	portal_buf b;
	json_t *item, *out = NULL;
	char num[32];
	size_t i;

	if (json_is_string(v))
		return json_stringn(json_string_value(v), json_string_length(v));
	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		return json_string(num);
	}
	if (!json_is_array(v))
		return json_string("");
	portal_buf_init(&b, 4096);
	json_array_foreach(v, i, item) {
		if (!json_is_string(item))
			continue;
		if (b.len > 0)
			portal_buf_puts(&b, ", ");
		portal_buf_append(&b, json_string_value(item), json_string_length(item));
	}
	if (b.overflow)
		goto fail;
	out = json_stringn(b.data ? b.data : "", b.len);
fail:
	portal_buf_free(&b);
	return out ? out : json_string("");
}

/* The page data of the safehouse form.  `form` is what was typed (or the
 * house as it stands; may be NULL for an empty form) and becomes what the
 * inputs show: "form" {field: text}, the area marked `selected` in "areas",
 * and "offers" [{code, label, checked}] for the checkboxes (mustache cannot
 * compare values, so the choices are made here).  `id` is the house being
 * changed, or "" for a new one: it sets "is_edit", "action" and
 * "safehouse_id".  Returns a new reference. */
static json_t *beds_safehouse_form_page(const json_t *form, const char *id)
{
	json_t *data = beds_form_data(), *shown = json_object(), *offers = json_array();
	char action[80];
	size_t i;

	for (i = 0; i < BEDS_FORM_TEXT_COUNT; i++) {
		const json_t *v = json_object_get(form, beds_form_text_fields[i]);
		if (v != NULL)
			json_object_set_new(shown, beds_form_text_fields[i], beds_form_text(v));
	}
	beds_mark_selected(data, "areas", json_object_get(form, "area"));
	for (i = 0; i < BEDS_OFFER_COUNT; i++)
		json_array_append_new(offers, json_pack("{s:s, s:s, s:b}", "code", beds_offers[i].code,
		                      "label", beds_offers[i].label,
		                      "checked", beds_form_ticked(json_object_get(form, beds_offers[i].code))));
	json_object_set_new(data, "form", shown);
	json_object_set_new(data, "offers", offers);
	json_object_set_new(data, "is_edit", json_boolean(id[0] != '\0'));
	if (id[0] != '\0') {
		snprintf(action, sizeof(action), "/beds/safehouses/%s/edit", id);
		json_object_set_new(data, "safehouse_id", json_string(id));
	} else
		snprintf(action, sizeof(action), "/beds/safehouses");
	json_object_set_new(data, "action", json_string(action));
	return data;
}

/* The form values of house view `view`: what the edit form starts from
 * (beds per group, 0 for a group the house does not have).  New reference. */
static json_t *beds_safehouse_form_of(const json_t *view)
{
	static const char *const keys[] = { "name", "area", "languages", "referral_phone", "referral_hours" };
	json_t *form = json_object();
	char key[40];
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (json_object_get(view, keys[i]) != NULL)
			json_object_set(form, keys[i], json_object_get(view, keys[i]));
	for (i = 0; i < BEDS_OFFER_COUNT; i++)
		json_object_set_new(form, beds_offers[i].code,
		                    json_boolean(json_is_true(json_object_get(view, beds_offers[i].code))));
	for (i = 0; i < BEDS_GROUP_COUNT; i++) {
		const json_t *g = json_object_get(json_object_get(view, "groups"), beds_groups[i]);
		snprintf(key, sizeof(key), "beds_%s", beds_groups[i]);
		json_object_set_new(form, key, json_integer(g ? json_integer_value(json_object_get(g, "beds")) : 0));
	}
	return form;
}

/* Where an error summary link goes for `field`: the input of that name. */
static void beds_href_field(const char *field, char *out, size_t len)
{
	snprintf(out, len, "#%s", field);
}

/* Where an error summary link on the vacancies form goes: the group's
 * input ("vacant-women"), or the form's heading for a message about the
 * groups as a whole. */
static void beds_href_vacancy(const char *field, char *out, size_t len)
{
	size_t i;

	for (i = 0; i < BEDS_GROUP_COUNT; i++)
		if (strcmp(field, beds_groups[i]) == 0) {
			snprintf(out, len, "#vacant-%s", field);
			return;
		}
	snprintf(out, len, "#vacancies");
}

/* Answer a page again with what to fix, at `status` (422, or 409 for a
 * conflict the person can resolve): the route's template with `page`
 * (stolen) plus "has_errors", "error_list" [{text, href}] for the GOV.UK
 * error summary and "errors" {field: message} (stolen), as
 * portal_reply_invalid does for 422; `href` says where each summary link
 * goes.  Pages only: an API caller gets the plain error from the caller. */
static void beds_reply_page_errors(portal_ctx *ctx, int status, json_t *errors, json_t *page,
                                   void (*href)(const char *field, char *out, size_t len))
{
	json_t *list = json_array(), *msg;
	const char *field;
	char link[96];

	if (!json_is_object(page)) {
		json_decref(page);
		page = json_object();
	}
	json_object_foreach(errors, field, msg) {
		href(field, link, sizeof(link));
		json_array_append_new(list, json_pack("{s:O, s:s}", "text", msg, "href", link));
	}
	json_object_set_new(page, "has_errors", json_true());
	json_object_set_new(page, "error_list", list);
	json_object_set_new(page, "errors", errors ? errors : json_object());
	portal_reply(ctx, status, page);
}

/* 1 when the user may change house `view`: NGO staff of its agency, or a
 * coordinator. */
static int beds_may_edit(const portal_ctx *ctx, const json_t *view)
{
	/* the owning NGO's staff only: coordinators see every house but the
	 * NGO keeps its own details (issue #5, item 1) */
	return portal_user_has(ctx, NGO) &&
	       beds_is_owner(ctx, json_string_value(json_object_get(view, "agency")));
}

/* Read house {id} as the user may see it: NGO staff (who are not also
 * responders or coordinators) only their own agency's.  Returns the view
 * (new reference), or NULL after answering (404 for a house that is not
 * there or not theirs to see). */
static json_t *beds_house_for_user(portal_ctx *ctx, const char *id)
{
	json_t *view;

	if (id == NULL) {
		beds_not_found(ctx, "safehouse");
		return NULL;
	}
	if ((view = beds_house(ctx, id)) == NULL)
		return NULL;
	if (portal_user_has(ctx, NGO) && !portal_user_has(ctx, RESP | COORD) &&
	    !beds_is_owner(ctx, json_string_value(json_object_get(view, "agency")))) {
		json_decref(view);
		portal_audit(ctx, "safehouse_view_refused", NULL, json_pack("{s:s}", "safehouse", id));
		beds_not_found(ctx, "safehouse");
		return NULL;
	}
	return view;
}

/* GET /beds/safehouses/new - the empty form. */
static void beds_safehouse_new_form(portal_ctx *ctx)
{
	portal_reply(ctx, 200, beds_safehouse_form_page(NULL, ""));
}

/* GET /beds/safehouses/{id}/edit - the form filled in from the house, for
 * NGO staff of its agency; 404 for anyone else's. */
static void beds_safehouse_edit_form(portal_ctx *ctx)
{
	const char *id = beds_path_id(ctx);
	json_t *view, *form, *data;

	if ((view = beds_house_for_user(ctx, id)) == NULL)
		return;
	if (!beds_may_edit(ctx, view)) {
		json_decref(view);
		portal_audit(ctx, "safehouse_edit_refused", NULL, json_pack("{s:s}", "safehouse", id));
		beds_not_found(ctx, "safehouse");
		return;
	}
	form = beds_safehouse_form_of(view);
	data = beds_safehouse_form_page(form, id);
	json_object_set(data, "safehouse_name", json_object_get(view, "name"));
	json_decref(form);
	json_decref(view);
	portal_reply(ctx, 200, data);
}

static const portal_field beds_safehouse_fields[] = {
	{ "name", PORTAL_FIELD_STRING, 1, 1, 60, NULL, 0, "Code name" },
	{ "area", PORTAL_FIELD_ENUM, 1, 0, 0, NULL, 0, "Area" },
	{ "beds_women", PORTAL_FIELD_INT, 0, 0, 100, NULL, 0, "Number of beds for women" },
	{ "beds_men", PORTAL_FIELD_INT, 0, 0, 100, NULL, 0, "Number of beds for men" },
	{ "beds_trans_non_binary", PORTAL_FIELD_INT, 0, 0, 100, NULL, 0, "Number of beds for trans and non-binary people" },
	{ "pre_nrm", PORTAL_FIELD_BOOL, 0, 0, 0, NULL, 0, "Emergency pre-NRM stays" },
	{ "post_nrm", PORTAL_FIELD_BOOL, 0, 0, 0, NULL, 0, "Post-NRM stays" },
	{ "dependants", PORTAL_FIELD_BOOL, 0, 0, 0, NULL, 0, "Dependants accepted" },
	{ "accessible", PORTAL_FIELD_BOOL, 0, 0, 0, NULL, 0, "Wheelchair accessible" },
	{ "staffed_24h", PORTAL_FIELD_BOOL, 0, 0, 0, NULL, 0, "24-hour staff" },
	{ "languages", PORTAL_FIELD_ENUM_LIST, 0, 0, 20, NULL, 20, "Staff languages" },
	{ "referral_phone", PORTAL_FIELD_STRING, 1, 6, 30, NULL, 0, "Referral phone line" },
	{ "referral_hours", PORTAL_FIELD_STRING, 0, 0, 100, NULL, 0, "Referral hours" },
};
#define SAFEHOUSE_NFIELDS (sizeof(beds_safehouse_fields) / sizeof(beds_safehouse_fields[0]))

/* Validate a safehouse body (JSON, or the form urlencoded) into *doc (fixed
 * fields) and *beds ({group: n}).  `id` is the house being changed, or ""
 * for a new one (the form page shown again on a 422).  Returns 0, or -1
 * after answering 422 with what was typed kept in the form. */
static int beds_safehouse_parse(portal_ctx *ctx, const char *id, json_t **doc, json_t **beds)
{
	portal_field f[SAFEHOUSE_NFIELDS];
	json_t *in = beds_safehouse_input(ctx->req.body), *v = NULL, *errors = NULL;
	long long total = 0;
	size_t i;

	memcpy(f, beds_safehouse_fields, sizeof(f));
	f[1].choices = beds_area_choices();
	f[10].choices = beds_language_choices();
	*doc = *beds = NULL;
	if (portal_validate(in, f, SAFEHOUSE_NFIELDS, &v, &errors) < 0)
		goto invalid;
	errors = json_object();
	if (!beds_phone_ok(json_string_value(json_object_get(v, "referral_phone"))))
		json_object_set_new(errors, "referral_phone", json_string("Enter the referral phone line, like 020 7946 0000"));
	*beds = json_object();
	for (i = 0; i < BEDS_GROUP_COUNT; i++) {
		char key[40];
		long long n;
		snprintf(key, sizeof(key), "beds_%s", beds_groups[i]);
		n = json_integer_value(json_object_get(v, key));
		total += n;
		json_object_set_new(*beds, beds_groups[i], json_integer(n));
		json_object_del(v, key);
	}
	if (total < 1)
		json_object_set_new(errors, "beds_women", json_string("Enter the number of beds for at least one bed group"));
	if (json_object_size(errors) || json_object_get(in, "address") || json_object_get(in, "postcode"))
		goto invalid;
	json_decref(errors);
	json_decref(in);
	*doc = v;
	return 0;
invalid:
	/* never an address: say so, whatever else is wrong (and never show it back) */
	if (json_object_get(in, "address") || json_object_get(in, "postcode"))
		json_object_set_new(errors, "address", json_string(
		    "Do not enter an address or postcode: the portal never stores where a safehouse is. Give the area only."));
	portal_reply_invalid(ctx, errors, beds_safehouse_form_page(in, id));
	json_decref(v);
	json_decref(*beds);
	*beds = NULL;
	json_decref(in);
	return -1;
}

/* Save house `id` (create when "") for `agency` named `aname` and answer:
 * 303 to the house from the page, the house as JSON under /api/.  Takes
 * doc and beds (stolen).  Beds below the beds held for referrals are a 409
 * holds_pending; the page shows it on the form with what was typed. */
static void beds_safehouse_save(portal_ctx *ctx, const char *id, const char *agency, const char *aname,
                                json_t *doc, json_t *beds)
{
	char *doc_s = json_dumps(doc, JSON_COMPACT), *beds_s = json_dumps(beds, JSON_COMPACT);
	const char *args[6] = { id, agency ? agency : "-", aname ? aname : "", doc_s ? doc_s : "{}",
	                        beds_s ? beds_s : "{}", beds_username(ctx) };
	const char *err;
	json_t *res = NULL, *view, *in;
	char loc[80], msg[256], field[48];

	if (beds_call(ctx, BEDS_SCRIPT_SAFEHOUSE_SAVE, 6, args, &res) < 0)
		goto done;
	if ((err = json_string_value(json_object_get(res, "err"))) != NULL) {
		if (!ctx->req.is_api && strcmp(err, "holds_pending") == 0) {
			beds_holds_pending_message(res, msg, sizeof(msg));
			snprintf(field, sizeof(field), "beds_%s", json_string_value(json_object_get(res, "group")) ?
			         json_string_value(json_object_get(res, "group")) : "women");
			in = beds_safehouse_input(ctx->req.body);
			beds_reply_page_errors(ctx, 409, json_pack("{s:s}", field, msg),
			                       beds_safehouse_form_page(in, id), beds_href_field);
			json_decref(in);
		} else
			beds_reply_script_error(ctx, res, "safehouse");
		goto done;
	}
	view = beds_house_view(json_object_get(res, "ok"), time(NULL), beds_config_get());
	portal_audit(ctx, id[0] ? "safehouse_updated" : "safehouse_created", NULL,
	             json_pack("{s:O, s:O, s:O}", "safehouse", json_object_get(view, "id"),
	                       "area", json_object_get(view, "area"), "beds", beds));
	if (!ctx->req.is_api) {
		snprintf(loc, sizeof(loc), "/beds/safehouses/%lld", (long long)json_integer_value(json_object_get(view, "id")));
		json_decref(view);
		portal_reply_redirect(ctx, loc);
	} else
		portal_reply(ctx, id[0] ? 200 : 201, json_pack("{s:o}", "safehouse", view));
done:
	free(doc_s);
	free(beds_s);
	json_decref(doc);
	json_decref(beds);
	json_decref(res);
}

/* POST /beds/safehouses - NGO staff add a safehouse of their agency. */
static void beds_safehouse_create(portal_ctx *ctx)
{
	const char *aname = json_string_value(json_object_get(json_object_get(ctx->user, "agency"), "name"));
	json_t *doc, *beds;

	if (beds_safehouse_parse(ctx, "", &doc, &beds) < 0)
		return;
	beds_safehouse_save(ctx, "", portal_user_agency_id(ctx), aname, doc, beds);
}

/* PUT /api/v1/beds/safehouses/{id}, and POST /beds/safehouses/{id}/edit
 * from the page (urlencoded): NGO staff of the owning agency change a
 * safehouse; the same fields and rules as a new one.  NGO staff of another
 * agency are refused by the save script. */
static void beds_safehouse_update(portal_ctx *ctx)
{
	const char *id = beds_path_id(ctx), *agency = portal_user_agency_id(ctx);
	const char *aname = json_string_value(json_object_get(json_object_get(ctx->user, "agency"), "name"));
	json_t *doc = NULL, *beds = NULL;

	if (id == NULL) {
		beds_not_found(ctx, "safehouse");
		return;
	}
	if (beds_safehouse_parse(ctx, id, &doc, &beds) < 0)
		return;
	beds_safehouse_save(ctx, id, agency, aname, doc, beds);  /* takes doc and beds */
}

/* The safehouse page data: the view (stolen), and what this user may do
 * with it.  Each bed group carries what its vacancies input shows ("input",
 * the vacant beds) and its error ("error", none yet). */
static json_t *beds_safehouse_page(portal_ctx *ctx, json_t *view)
{
	int owner = beds_is_owner(ctx, json_string_value(json_object_get(view, "agency")));
	json_t *g;
	size_t i;

	json_array_foreach(json_object_get(view, "group_list"), i, g) {
		json_object_set_new(g, "input", beds_form_text(json_object_get(g, "vacant")));
		json_object_set_new(g, "error", json_string(""));
	}
	return json_pack("{s:b, s:b, s:b, s:o}", "is_owner", owner, "can_edit", beds_may_edit(ctx, view),
	                 "can_hold", portal_user_has(ctx, RESP), "safehouse", view);
}

/* GET /beds/safehouses/{id} - NGO staff see only their agency's houses. */
static void beds_safehouse_get(portal_ctx *ctx)
{
	json_t *view = beds_house_for_user(ctx, beds_path_id(ctx));

	if (view == NULL)
		return;
	if (ctx->req.is_api)
		portal_reply(ctx, 200, json_pack("{s:o}", "safehouse", view));
	else
		portal_reply(ctx, 200, beds_safehouse_page(ctx, view));
}

static const portal_field beds_vacancy_fields[] = {
	{ "women", PORTAL_FIELD_INT, 0, 0, 100, NULL, 0, "Number of vacant beds for women" },
	{ "men", PORTAL_FIELD_INT, 0, 0, 100, NULL, 0, "Number of vacant beds for men" },
	{ "trans_non_binary", PORTAL_FIELD_INT, 0, 0, 100, NULL, 0, "Number of vacant beds for trans and non-binary people" },
};

/* The vacancies form could not be saved: answer `status` with `errors`
 * (field -> message, stolen).  Under /api/ the error (`code`, `message`;
 * a 422 is invalid_input).  On the page, the safehouse again with its
 * details, what was typed in each group's input, the message beside it and
 * the error summary. */
static void beds_vacancies_reply_errors(portal_ctx *ctx, const char *id, int status,
                                        const char *code, const char *message, json_t *errors)
{
	json_t *view, *page, *g;
	size_t i;

	if (ctx->req.is_api) {
		if (status == 422)
			portal_reply_invalid(ctx, errors, NULL);
		else
			portal_reply_error(ctx, status, code, message, errors);
		return;
	}
	if ((view = beds_house_for_user(ctx, id)) == NULL) {
		json_decref(errors);
		return;
	}
	page = beds_safehouse_page(ctx, view);
	json_array_foreach(json_object_get(json_object_get(page, "safehouse"), "group_list"), i, g) {
		const char *group = json_string_value(json_object_get(g, "group"));
		const json_t *typed = group ? json_object_get(ctx->req.body, group) : NULL;
		if (typed != NULL)
			json_object_set_new(g, "input", beds_form_text(typed));
		if (group && json_is_string(json_object_get(errors, group)))
			json_object_set(g, "error", json_object_get(errors, group));
	}
	beds_reply_page_errors(ctx, status, errors, page, beds_href_vacancy);
}

/* Run the vacancies script (want: JSON text, "" to confirm) and answer. */
static void beds_vacancies_apply(portal_ctx *ctx, const char *id, const char *want, const char *event)
{
	const char *agency = portal_user_agency_id(ctx);
	const char *args[4] = { id, agency ? agency : "-", beds_username(ctx), want };
	const char *err, *group;
	json_t *res = NULL, *view;
	char loc[80], msg[256];

	if (beds_call(ctx, BEDS_SCRIPT_VACANCIES_SET, 4, args, &res) < 0)
		return;
	if ((err = json_string_value(json_object_get(res, "err"))) != NULL) {
		group = json_string_value(json_object_get(res, "group"));
		if (ctx->req.is_api)
			beds_reply_script_error(ctx, res, "safehouse");
		else if (strcmp(err, "invalid_input") == 0)
			beds_vacancies_reply_errors(ctx, id, 422, err, NULL, json_incref(json_object_get(res, "fields")));
		else if (strcmp(err, "holds_pending") == 0) {
			/* still a 409: the numbers are fine, the holds must be answered first */
			beds_holds_pending_message(res, msg, sizeof(msg));
			beds_vacancies_reply_errors(ctx, id, 409, err, msg, json_pack("{s:s}", group ? group : "group", msg));
		} else
			beds_reply_script_error(ctx, res, "safehouse");
		json_decref(res);
		return;
	}
	portal_audit(ctx, event, NULL, json_pack("{s:s, s:O}", "safehouse", id,
	             "changes", json_object_get(res, "changes") ? json_object_get(res, "changes") : json_null()));
	view = beds_house_view(json_object_get(res, "ok"), time(NULL), beds_config_get());
	json_decref(res);
	if (!ctx->req.is_api) {
		json_decref(view);
		snprintf(loc, sizeof(loc), "/beds/safehouses/%s", id);
		portal_reply_redirect(ctx, loc);
	} else
		portal_reply(ctx, 200, json_pack("{s:o}", "safehouse", view));
}

/* PUT /api/v1/beds/safehouses/{id}/vacancies {"women":2} (POST from the
 * page).  Every failure is answered with the safehouse on the page. */
static void beds_vacancies_put(portal_ctx *ctx)
{
	const char *id = beds_path_id(ctx), *key;
	json_t *want = NULL, *errors = NULL, *v;
	char *want_s;

	if (id == NULL) {
		beds_not_found(ctx, "safehouse");
		return;
	}
	json_object_foreach(ctx->req.body, key, v) {
		if (strcmp(key, "csrf_token") != 0 && strcmp(key, "women") != 0 &&
		    strcmp(key, "men") != 0 && strcmp(key, "trans_non_binary") != 0) {
			beds_vacancies_reply_errors(ctx, id, 422, "invalid_input", NULL, json_pack("{s:s}", "group",
			                            "Use the bed groups women, men and trans_non_binary"));
			return;
		}
	}
	if (portal_validate(ctx->req.body, beds_vacancy_fields, 3, &want, &errors) < 0) {
		beds_vacancies_reply_errors(ctx, id, 422, "invalid_input", NULL, errors);
		return;
	}
	if (json_object_size(want) == 0) {
		json_decref(want);
		beds_vacancies_reply_errors(ctx, id, 422, "invalid_input", NULL, json_pack("{s:s}", "women",
		                            "Enter the number of vacant beds for at least one bed group"));
		return;
	}
	want_s = json_dumps(want, JSON_COMPACT);
	beds_vacancies_apply(ctx, id, want_s ? want_s : "{}", "vacancies_set");
	free(want_s);
	json_decref(want);
}

/* POST .../confirm - "still accurate": every group's time refreshed. */
static void beds_vacancies_confirm(portal_ctx *ctx)
{
	const char *id = beds_path_id(ctx);

	if (id == NULL) {
		beds_not_found(ctx, "safehouse");
		return;
	}
	beds_vacancies_apply(ctx, id, "", "vacancies_confirmed");
}

/* GET /beds/safehouses/{id}/hold?group= - the hold form. */
static void beds_hold_form(portal_ctx *ctx)
{
	const char *id = beds_path_id(ctx);
	json_t *view, *data;

	if (id == NULL) {
		beds_not_found(ctx, "safehouse");
		return;
	}
	if ((view = beds_house(ctx, id)) == NULL)
		return;
	data = beds_form_data();
	json_object_set_new(data, "safehouse", view);
	json_object_set_new(data, "form", json_pack("{s:O, s:i}", "group",
	        json_object_get(ctx->req.query, "group") ? json_object_get(ctx->req.query, "group") : json_string("women"),
	        "minutes", BEDS_HOLD_MINUTES_DEFAULT));
	beds_mark_selected(data, "groups", json_object_get(ctx->req.query, "group"));
	portal_reply(ctx, 200, data);
}

static const portal_field beds_hold_fields[] = {
	{ "group", PORTAL_FIELD_ENUM, 1, 0, 0, NULL, 0, "Bed group" },
	{ "reference", PORTAL_FIELD_STRING, 1, 1, BEDS_REFERENCE_MAX, NULL, 0, "Your case reference" },
	{ "callback_phone", PORTAL_FIELD_STRING, 1, 6, 30, NULL, 0, "Call-back phone" },
	{ "minutes", PORTAL_FIELD_INT, 0, 1, BEDS_HOLD_MINUTES_MAX, NULL, 0, "How long to hold the bed, in minutes," },
};

/* POST .../safehouses/{id}/holds - hold one bed while the referral is made. */
static void beds_hold_place(portal_ctx *ctx)
{
	const beds_config *cfg = beds_config_get();
	const char *id = beds_path_id(ctx), *ikey = portal_header(ctx, "HTTP_IDEMPOTENCY_KEY");
	const char *agency = portal_user_agency_id(ctx);
	portal_field f[4];
	json_t *v = NULL, *res = NULL, *hold, *page;
	char minutes[16], unit[16], maxp[16], loc[64];
	const char *args[10];
	int replay;

	if (id == NULL) {
		beds_not_found(ctx, "safehouse");
		return;
	}
	memcpy(f, beds_hold_fields, sizeof(f));
	f[0].choices = GROUP_CHOICES;
	if (ikey && *ikey && !beds_idempotency_key_ok(ikey)) {
		portal_reply_error(ctx, 400, "bad_idempotency_key",
		                   "The Idempotency-Key header must be 1 to 100 letters, digits or _ . : -", NULL);
		return;
	}
	page = beds_form_data();
	if (beds_validate(ctx, ctx->req.body, f, 4, &v, page) < 0)
		return;
	if (!beds_phone_ok(json_string_value(json_object_get(v, "callback_phone")))) {
		page = beds_form_data();
		json_object_set(page, "form", ctx->req.body);
		portal_reply_invalid(ctx, json_pack("{s:s}", "callback_phone",
		                     "Enter a call-back phone number, like 07700 900123"), page);
		goto done;
	}
	snprintf(minutes, sizeof(minutes), "%lld", json_object_get(v, "minutes") ?
	         (long long)json_integer_value(json_object_get(v, "minutes")) : (long long)BEDS_HOLD_MINUTES_DEFAULT);
	snprintf(unit, sizeof(unit), "%d", cfg->minute_seconds);
	snprintf(maxp, sizeof(maxp), "%d", cfg->max_pending);
	args[0] = id;
	args[1] = json_string_value(json_object_get(v, "group"));
	args[2] = beds_username(ctx);
	args[3] = agency ? agency : "";
	args[4] = json_string_value(json_object_get(v, "reference"));
	args[5] = json_string_value(json_object_get(v, "callback_phone"));
	args[6] = minutes;
	args[7] = unit;
	args[8] = ikey ? ikey : "";
	args[9] = maxp;
	if (beds_call(ctx, BEDS_SCRIPT_HOLD_PLACE, 10, args, &res) < 0)
		goto done;
	if (json_object_get(res, "err")) {
		beds_reply_script_error(ctx, res, "safehouse");
		goto done;
	}
	replay = json_is_true(json_object_get(res, "replay"));
	hold = beds_hold_view(ctx, json_object_get(res, "ok"));
	if (!replay)
		portal_metric_event(ctx, BEDS_EV_HOLD_PLACED);
	if (!replay)
		portal_audit(ctx, "hold_placed", NULL, json_pack("{s:O, s:s, s:O, s:s}", "hold", json_object_get(hold, "id"),
		             "safehouse", id, "group", json_object_get(hold, "group"), "minutes", minutes));
	if (!ctx->req.is_api) {
		snprintf(loc, sizeof(loc), "/beds/holds/%lld", (long long)json_integer_value(json_object_get(hold, "id")));
		json_decref(hold);
		portal_reply_redirect(ctx, loc);
	} else {
		if (replay)
			portal_header_add(ctx, "Idempotent-Replayed", "true");
		portal_reply(ctx, 201, json_pack("{s:o}", "hold", hold));
	}
done:
	json_decref(v);
	json_decref(res);
}

/* GET /beds/holds - coordinators: every hold; NGO staff: their houses';
 * responders: their own. */
static void beds_hold_list(portal_ctx *ctx)
{
	const char *args[4] = { "holds", "all", "", "200" };
	json_t *res = NULL, *holds, *h;
	size_t i;

	if (!portal_user_has(ctx, COORD)) {
		if (portal_user_has(ctx, NGO)) {
			args[1] = "agency";
			args[2] = portal_user_agency_id(ctx) ? portal_user_agency_id(ctx) : "-";
		} else {
			args[1] = "resp";
			args[2] = beds_username(ctx);
		}
	}
	if (beds_call(ctx, BEDS_SCRIPT_READ, 4, args, &res) < 0)
		return;
	holds = json_array();
	json_array_foreach(json_object_get(res, "ok"), i, h)
		if (beds_hold_visible(ctx, h))
			json_array_append_new(holds, beds_hold_view(ctx, h));
	json_decref(res);
	portal_audit(ctx, "holds_listed", NULL, json_pack("{s:I}", "count", (json_int_t)json_array_size(holds)));
	portal_reply(ctx, 200, json_pack("{s:o, s:b}", "holds", holds, "has_holds", json_array_size(holds) > 0));
}

/* Read hold {id} for the user, or NULL after answering (404 when absent or
 * not theirs to see). */
static json_t *beds_hold_read(portal_ctx *ctx, const char **id_out)
{
	const char *id = beds_path_id(ctx);
	const char *args[2] = { "hold", id };
	json_t *res = NULL, *h = NULL;

	*id_out = id;
	if (id == NULL) {
		beds_not_found(ctx, "hold");
		return NULL;
	}
	if (beds_call(ctx, BEDS_SCRIPT_READ, 2, args, &res) < 0)
		return NULL;
	if (json_object_get(res, "err") || !beds_hold_visible(ctx, json_object_get(res, "ok"))) {
		if (!json_object_get(res, "err"))
			portal_audit(ctx, "hold_view_refused", NULL, json_pack("{s:s}", "hold", id));
		beds_not_found(ctx, "hold");
	} else
		h = json_incref(json_object_get(res, "ok"));
	json_decref(res);
	return h;
}

/* GET /beds/holds/{id} - one hold; each view is audited. */
static void beds_hold_get(portal_ctx *ctx)
{
	const char *id;
	json_t *h = beds_hold_read(ctx, &id), *data;

	if (h == NULL)
		return;
	portal_audit(ctx, "hold_viewed", NULL, json_pack("{s:s}", "hold", id));
	data = json_pack("{s:o}", "hold", beds_hold_view(ctx, h));
	json_decref(h);
	if (!ctx->req.is_api) {
		json_t *reasons = json_array();
		size_t i;
		for (i = 0; beds_decline_reasons[i]; i++)
			json_array_append_new(reasons, json_pack("{s:s, s:s}", "code", beds_decline_reasons[i],
			                      "name", beds_reason_label(beds_decline_reasons[i])));
		json_object_set_new(data, "reasons", reasons);
	}
	portal_reply(ctx, 200, data);
}

static const portal_field beds_decline_fields[] = {
	{ "reason", PORTAL_FIELD_ENUM, 1, 0, 0, NULL, 0, "Reason" },
};
static const portal_field beds_extend_fields[] = {
	{ "minutes", PORTAL_FIELD_INT, 0, 1, BEDS_HOLD_MINUTES_MAX, NULL, 0, "Minutes to add" },
};

/* Answer or change hold {id}: `action` is accept, decline, cancel, extend. */
static void beds_hold_act(portal_ctx *ctx, const char *action)
{
	const beds_config *cfg = beds_config_get();
	const char *id = beds_path_id(ctx), *agency = portal_user_agency_id(ctx);
	portal_field f[1];
	json_t *v = NULL, *res = NULL, *hold;
	char add[24], maxs[24], event[32], loc[64];
	const char *args[7];

	if (id == NULL) {
		beds_not_found(ctx, "hold");
		return;
	}
	if (strcmp(action, "decline") == 0) {
		memcpy(f, beds_decline_fields, sizeof(f));
		f[0].choices = beds_decline_reasons;
	} else
		memcpy(f, beds_extend_fields, sizeof(f));
	if ((strcmp(action, "decline") == 0 || strcmp(action, "extend") == 0) &&
	    beds_validate(ctx, ctx->req.body, f, 1, &v, NULL) < 0)
		return;
	snprintf(add, sizeof(add), "%lld", (long long)cfg->minute_seconds *
	         (json_object_get(v, "minutes") ? json_integer_value(json_object_get(v, "minutes")) : BEDS_HOLD_MINUTES_DEFAULT));
	snprintf(maxs, sizeof(maxs), "%lld", (long long)cfg->minute_seconds * BEDS_HOLD_MINUTES_MAX);
	args[0] = id;
	args[1] = action;
	args[2] = beds_username(ctx);
	args[3] = agency ? agency : "-";
	args[4] = json_string_value(json_object_get(v, "reason")) ? json_string_value(json_object_get(v, "reason")) : "";
	args[5] = add;
	args[6] = maxs;
	if (beds_call(ctx, BEDS_SCRIPT_HOLD_ACT, 7, args, &res) < 0)
		goto done;
	if (json_object_get(res, "err")) {
		const char *err = json_string_value(json_object_get(res, "err"));
		if (err && strcmp(err, "forbidden") == 0) {
			/* another agency's or another responder's hold: not theirs to know of */
			portal_audit(ctx, "hold_action_refused", NULL, json_pack("{s:s, s:s}", "hold", id, "action", action));
			beds_not_found(ctx, "hold");
		} else
			beds_reply_script_error(ctx, res, "hold");
		goto done;
	}
	hold = beds_hold_view(ctx, json_object_get(res, "ok"));
	snprintf(event, sizeof(event), "hold_%s", strcmp(action, "accept") == 0 ? "accepted" :
	         strcmp(action, "decline") == 0 ? "declined" : strcmp(action, "cancel") == 0 ? "cancelled" : "extended");
	portal_metric_event(ctx, strcmp(action, "accept") == 0 ? BEDS_EV_HOLD_ACCEPTED :
	                    strcmp(action, "decline") == 0 ? BEDS_EV_HOLD_DECLINED :
	                    strcmp(action, "cancel") == 0 ? BEDS_EV_HOLD_CANCELLED : BEDS_EV_HOLD_EXTENDED);
	portal_audit(ctx, event, NULL, json_pack("{s:s, s:O, s:O}", "hold", id, "group", json_object_get(hold, "group"),
	             "reason", json_object_get(v, "reason") ? json_object_get(v, "reason") : json_null()));
	if (!ctx->req.is_api) {
		json_decref(hold);
		snprintf(loc, sizeof(loc), "/beds/holds/%s", id);
		portal_reply_redirect(ctx, loc);
	} else
		portal_reply(ctx, 200, json_pack("{s:o}", "hold", hold));
done:
	json_decref(v);
	json_decref(res);
}

static void beds_hold_accept(portal_ctx *ctx) { beds_hold_act(ctx, "accept"); }
static void beds_hold_decline(portal_ctx *ctx) { beds_hold_act(ctx, "decline"); }
static void beds_hold_cancel(portal_ctx *ctx) { beds_hold_act(ctx, "cancel"); }
static void beds_hold_extend(portal_ctx *ctx) { beds_hold_act(ctx, "extend"); }

/* GET /beds/summary - London-wide, for every signed-in role. */
static void beds_summary_get(portal_ctx *ctx)
{
	json_t *houses = beds_houses(ctx, "");

	if (houses == NULL)
		return;
	portal_reply(ctx, 200, beds_summary(houses));
	json_decref(houses);
}

static const portal_field beds_report_fields[] = {
	{ "from", PORTAL_FIELD_DATE, 1, 0, 0, NULL, 0, "From date" },
	{ "to", PORTAL_FIELD_DATE, 1, 0, 0, NULL, 0, "To date" },
};

/* The report for the query's from/to; NULL after answering. */
static json_t *beds_report_build(portal_ctx *ctx, json_t **range)
{
	json_t *v = NULL, *res = NULL, *rep;
	time_t from, to;
	char from_s[24], to_s[24];
	const char *args[3] = { "report", from_s, to_s };

	if (beds_validate(ctx, ctx->req.query, beds_report_fields, 2, &v, json_object()) < 0)
		return NULL;
	if (portal_date_parse(json_string_value(json_object_get(v, "from")), &from) < 0 ||
	    portal_date_parse(json_string_value(json_object_get(v, "to")), &to) < 0 || to < from ||
	    to - from > 3660 * 86400LL) {
		portal_reply_invalid(ctx, json_pack("{s:s}", "to", "Enter a to date on or after the from date, at most 10 years later"), v);
		return NULL;
	}
	snprintf(from_s, sizeof(from_s), "%lld", (long long)from);
	snprintf(to_s, sizeof(to_s), "%lld", (long long)to + 86399);  /* the whole last day */
	if (beds_call(ctx, BEDS_SCRIPT_READ, 3, args, &res) < 0) {
		json_decref(v);
		return NULL;
	}
	rep = beds_report(json_object_get(res, "ok"));
	json_decref(res);
	*range = v;
	return rep;
}

/* GET /beds/reports/holds?from=&to= - coordinators: outcomes and unmet need. */
static void beds_report_get(portal_ctx *ctx)
{
	json_t *range = NULL, *rep;

	if (!ctx->req.is_api && json_object_size(ctx->req.query) == 0) {
		portal_reply(ctx, 200, json_object());
		return;
	}
	if ((rep = beds_report_build(ctx, &range)) == NULL)
		return;
	json_object_set_new(rep, "form", range);
	json_object_set_new(rep, "has_report", json_true());
	portal_audit(ctx, "report_viewed", NULL, json_pack("{s:O}", "range", range));
	portal_reply(ctx, 200, rep);
}

/* GET /beds/reports/holds.csv - the same report as CSV. */
static void beds_report_csv_get(portal_ctx *ctx)
{
	json_t *range = NULL, *rep;
	portal_buf out;

	if ((rep = beds_report_build(ctx, &range)) == NULL)
		return;
	portal_buf_init(&out, 1024 * 1024);
	if (beds_report_csv(rep, json_string_value(json_object_get(range, "from")),
	                    json_string_value(json_object_get(range, "to")), &out) < 0)
		portal_reply_internal_error(ctx, "report CSV too large");
	else
		portal_reply_body(ctx, 200, "text/csv; charset=utf-8", "bed-holds-report.csv", out.data, out.len);
	portal_buf_free(&out);
	json_decref(rep);
	json_decref(range);
}

/* ---- demo data ---------------------------------------------------------- */

/* `portal-beds --load-demo`: demo safehouses (code names only) for the two
 * demo NGOs, unless safehouses already exist.  Returns 0 or -1 with err. */
static int beds_load_demo(portal_store *st, const portal_config *cfg, char *err, size_t errlen)
{
	static const struct { const char *agency, *aname, *doc, *beds, *vacant; } demo[] = {
		{ "demo-charity-a", "Demo Safehouse Charity A",
		  "{\"name\":\"Harbour House\",\"area\":\"tower-hamlets\",\"pre_nrm\":true,\"post_nrm\":true,\"dependants\":true,\"accessible\":false,\"staffed_24h\":true,\"languages\":[\"sq\",\"ro\",\"vi\"],\"referral_phone\":\"020 7946 0101\",\"referral_hours\":\"24 hours\"}",
		  "{\"women\":6,\"men\":0,\"trans_non_binary\":2}", "{\"women\":3,\"trans_non_binary\":1}" },
		{ "demo-charity-a", "Demo Safehouse Charity A",
		  "{\"name\":\"Lantern House\",\"area\":\"newham\",\"pre_nrm\":true,\"post_nrm\":false,\"dependants\":false,\"accessible\":true,\"staffed_24h\":false,\"languages\":[\"pl\",\"ro\"],\"referral_phone\":\"020 7946 0102\",\"referral_hours\":\"Monday to Friday, 9am to 6pm\"}",
		  "{\"women\":0,\"men\":4,\"trans_non_binary\":0}", "{\"men\":2}" },
		{ "demo-charity-b", "Demo Advocacy Charity B",
		  "{\"name\":\"Willow House\",\"area\":\"outside-london\",\"pre_nrm\":false,\"post_nrm\":true,\"dependants\":true,\"accessible\":true,\"staffed_24h\":true,\"languages\":[\"ti\",\"ar\"],\"referral_phone\":\"020 7946 0103\",\"referral_hours\":\"24 hours\"}",
		  "{\"women\":4,\"men\":0,\"trans_non_binary\":0}", "{\"women\":1}" },
	};
	char base[128];
	redisReply *r;
	size_t i;
	int down;

	(void)cfg;
	beds_key_base(st, base, sizeof(base));
	r = portal_store_command(st, "SCARD %ssafehouses", base);
	if (r == NULL || r->type != REDIS_REPLY_INTEGER) {
		freeReplyObject(r);
		snprintf(err, errlen, "Redis could not be reached");
		return -1;
	}
	if (r->integer > 0) {
		freeReplyObject(r);
		return 0;  /* there already: keep it */
	}
	freeReplyObject(r);
	for (i = 0; i < sizeof(demo) / sizeof(demo[0]); i++) {
		const char *save[6] = { "", demo[i].agency, demo[i].aname, demo[i].doc, demo[i].beds, "demo" };
		json_t *res = NULL;
		char id[24];
		if (beds_eval(st, BEDS_SCRIPT_SAFEHOUSE_SAVE, 6, save, &res, &down) < 0 || !json_object_get(res, "ok")) {
			json_decref(res);
			snprintf(err, errlen, "demo safehouse %zu not saved", i);
			return -1;
		}
		snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(json_object_get(json_object_get(res, "ok"), "id")));
		json_decref(res);
		const char *vac[4] = { id, demo[i].agency, "demo", demo[i].vacant };
		if (beds_eval(st, BEDS_SCRIPT_VACANCIES_SET, 4, vac, &res, &down) < 0 || !json_object_get(res, "ok")) {
			json_decref(res);
			snprintf(err, errlen, "demo vacancies %zu not set", i);
			return -1;
		}
		json_decref(res);
	}
	return 0;
}

static const char *const beds_events[BEDS_EV_COUNT] = {
	"hold_placed", "hold_accepted", "hold_declined", "hold_cancelled", "hold_extended",
	"hold_expired", "no_bed_available", "search_no_result",
};

static const portal_app beds_app = {
	.name = "beds",
	.events = beds_events,
	.nevents = BEDS_EV_COUNT,
	.routes = beds_routes,
	.nroutes = sizeof(beds_routes) / sizeof(beds_routes[0]),
	.scripts = beds_scripts,
	.nscripts = BEDS_SCRIPT_COUNT,
	.load_demo = beds_load_demo,
	.housekeeping = beds_housekeeping,
};

int main(int argc, char **argv)
{
	return portal_main(&beds_app, argc, argv);
}
