/* dashboard.c - the signed-in start page and GET /api/v1/dashboard
 * (issue 16): for each of the person's roles, what needs doing, read in
 * one round trip (a pipeline of reads) from what portal-notify's dashboard
 * sink keeps from the modules' events under
 * "<prefix>notify:{notify}:dash" (modules/notify/notify.h has the key
 * layout: a sorted set of ready-made items per scope).  Times are said in
 * words (portal_time_words), time left in minutes and hours. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "clock.h"
#include "response.h"
#include "session.h"

#define DASH_ITEMS 10          /* items shown per section */
#define DASH_WEEK (7 * 86400)
#define DASH_MONTH (30 * 86400)
#define DASH_MAX_CMDS 24

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
	{ "Case updates", "/cases/",
	  "NGOs share a case with a police unit and hear back what became of it; every partner sees the anonymised trends.",
	  PORTAL_ROLE_ANY },
	{ "Monitoring and partner voice", "/monitoring/",
	  "Tell the coordinators what you see in your work, and read the partnership's language guide.",
	  PORTAL_ROLE_ANY },
};

/* Whose list a section reads, and which part of it (by score). */
typedef enum { DASH_BY_AGENCY, DASH_BY_UID, DASH_BY_NOBODY } dash_whose;
typedef enum {
	DASH_FROM_NOW, DASH_NEXT_WEEK, DASH_ENDED, DASH_LAST_MONTH, DASH_ALL,  /* a list's items by score */
	DASH_DEAD_LETTERS,  /* the worker's dead-letter list: a count */
	DASH_WEEK_FIGURES,  /* the week's figures */
} dash_range;

/* How an item's time is said: the time left, or the time in words. */
typedef enum { DASH_SAY_NO_TIME, DASH_SAY_LEFT, DASH_SAY_AT } dash_say;

/* A section.  An item of a list reads label + middle + time, and links to
 * link + the item's id + link_tail. */
typedef struct dash_section {
	const char *kind, *title, *empty;
	unsigned    roles;
	const char *scope;   /* "holds:" (+ agency or uid); NULL: not a list */
	dash_whose  whose;
	dash_range  range;
	int         limit;
	const char *label, *middle;  /* the item's field named first; the words after it */
	const char *time_field;
	dash_say    say;
	const char *link, *link_tail;
} dash_section;

static const char *item_str(const json_t *item, const char *name)
{
	const char *s = json_string_value(json_object_get(item, name));
	return s ? s : "";
}

/* "in 40 minutes", "in 1 hour 5 minutes", "in less than a minute". */
static void dash_time_left(long long seconds, char *out, size_t len)
{
	long long m = seconds / 60, h = m / 60;

	m %= 60;
	if (seconds < 60)
		snprintf(out, len, "in less than a minute");
	else if (h == 0)
		snprintf(out, len, "in %lld minute%s", m, m == 1 ? "" : "s");
	else if (m == 0)
		snprintf(out, len, "in %lld hour%s", h, h == 1 ? "" : "s");
	else
		snprintf(out, len, "in %lld hour%s %lld minute%s", h, h == 1 ? "" : "s", m, m == 1 ? "" : "s");
}

/* Item `item` of list section s in words, and the page to act on it. */
static void dash_item_words(const dash_section *s, const json_t *item, time_t now, char *text, size_t tlen,
                            char *link, size_t llen)
{
	time_t t = s->time_field ? (time_t)json_integer_value(json_object_get(item, s->time_field)) : 0;
	int change = strcmp(item_str(item, "what"), "change") == 0;
	const char *lead = "", *id = item_str(item, "id");
	char when[96] = "";

	if (s->say == DASH_SAY_LEFT)
		dash_time_left((long long)(t - now), when, sizeof(when));
	else if (s->say == DASH_SAY_AT && t > 0)
		portal_time_words(t, now, when, sizeof(when));
	else if (s->say == DASH_SAY_AT)
		snprintf(when, sizeof(when), "never");
	if (s->link == NULL) {  /* to review: a change or a suggested edit, each with its own list */
		lead = change ? "A change proposed to " : "A suggested edit to ";
		id = change ? "/directory/changes" : "/directory/suggestions";
	}
	snprintf(text, tlen, "%s%s%s%s%s", lead, item_str(item, s->label), s->middle, when,
	         json_is_true(json_object_get(item, "waitlisted")) ? " (you are on the waiting list)" : "");
	snprintf(link, llen, "%s%s%s", s->link ? s->link : "", id, s->link_tail);
}

static const dash_section dash_sections[] = {
	{ "holds_waiting", "Bed holds waiting for your answer", "No bed hold is waiting for your answer.", PORTAL_ROLE_NGO, "holds:", DASH_BY_AGENCY, DASH_FROM_NOW, DASH_ITEMS, "name", ": expires ", "expires_at", DASH_SAY_LEFT, "/beds/holds/", "" },
	{ "vacancies_stale", "Houses whose vacancies need updating", "Every house's vacancies are up to date.", PORTAL_ROLE_NGO, "stale:", DASH_BY_AGENCY, DASH_ALL, DASH_ITEMS, "name", ": vacancies last updated ", "updated_at", DASH_SAY_AT, "/beds/safehouses/", "" },
	{ "my_holds", "Your open bed holds", "You have no bed hold waiting for an answer.", PORTAL_ROLE_RESPONDER, "myholds:", DASH_BY_UID, DASH_FROM_NOW, DASH_ITEMS, "name", ": waiting for an answer, expires ", "expires_at", DASH_SAY_LEFT, "/beds/holds/", "" },
	{ "next_training", "Your next training", "You have no training booked.", PORTAL_ROLE_RESPONDER, "training:", DASH_BY_UID, DASH_FROM_NOW, 1, "title", ", ", "starts_at", DASH_SAY_AT, "/training/sessions/", "" },
	{ "sessions_this_week", "Your agency's sessions in the next 7 days", "No session in the next 7 days.", PORTAL_ROLE_TRAINER, "sessions:", DASH_BY_AGENCY, DASH_NEXT_WEEK, DASH_ITEMS, "title", ", ", "starts_at", DASH_SAY_AT, "/training/sessions/", "" },
	{ "rosters_to_mark", "Rosters to mark", "Every roster of a session that has ended is marked.", PORTAL_ROLE_TRAINER, "rosters:", DASH_BY_AGENCY, DASH_ENDED, DASH_ITEMS, "title", ", ended ", "ends_at", DASH_SAY_AT, "/training/sessions/", "/roster" },
	{ "to_review", "Changes and suggestions to review", "Nothing is waiting for review.", PORTAL_ROLE_COORDINATOR, "review", DASH_BY_NOBODY, DASH_LAST_MONTH, DASH_ITEMS, "name", "", NULL, DASH_SAY_NO_TIME, NULL, "" },
	{ "dead_letters", "Notifications that could not be delivered", "Every notification was delivered.", PORTAL_ROLE_COORDINATOR, NULL, DASH_BY_NOBODY, DASH_DEAD_LETTERS, 0, NULL, NULL, NULL, DASH_SAY_NO_TIME, NULL, NULL },
	{ "week", "This week's figures", "", PORTAL_ROLE_COORDINATOR, NULL, DASH_BY_NOBODY, DASH_WEEK_FIGURES, 0, NULL, NULL, NULL, DASH_SAY_NO_TIME, NULL, NULL },
};

#define DASH_NSECTIONS (sizeof(dash_sections) / sizeof(dash_sections[0]))

/* The reads of the page, one pipeline: per list section its items
 * (ZRANGEBYSCORE ... WITHSCORES LIMIT) and their number (ZCOUNT); LLEN of
 * the dead letters; HMGET of the week's figures. */
typedef struct dash_plan {
	size_t      n;
	int         argc[DASH_MAX_CMDS];
	const char *argv[DASH_MAX_CMDS][10];
	char        key[DASH_MAX_CMDS][320], lo[DASH_MAX_CMDS][24], hi[DASH_MAX_CMDS][24];
	char        limit[DASH_MAX_CMDS][12];
	int         first[DASH_NSECTIONS];  /* the section's first command, -1: not shown */
} dash_plan;

/* The score range of a list section at `now`. */
static void dash_bounds(dash_range r, time_t now, char *lo, char *hi)
{
	long long t = (long long)now;

	if (r == DASH_FROM_NOW)
		snprintf(lo, 24, "%lld", t), snprintf(hi, 24, "+inf");
	else if (r == DASH_NEXT_WEEK)
		snprintf(lo, 24, "%lld", t), snprintf(hi, 24, "%lld", t + DASH_WEEK);
	else if (r == DASH_ENDED)
		snprintf(lo, 24, "%lld", t - DASH_MONTH), snprintf(hi, 24, "(%lld", t);
	else if (r == DASH_LAST_MONTH)
		snprintf(lo, 24, "%lld", t - DASH_MONTH), snprintf(hi, 24, "+inf");
	else
		snprintf(lo, 24, "-inf"), snprintf(hi, 24, "+inf");
}

/* The Unix day of the Monday of `now`'s ISO week (UTC), as the sink keys it. */
static long long dash_week_day(time_t now)
{
	long long day = (long long)now / 86400;

	return day - (day + 3) % 7;
}

/* Add section i's commands to the plan (none when the person has no
 * agency or uid for it). */
static void dash_plan_section(dash_plan *p, size_t i, const char *base, const char *prefix, const char *agency,
                              const char *uid, time_t now)
{
	const dash_section *s = &dash_sections[i];
	const char *who = s->whose == DASH_BY_AGENCY ? agency : s->whose == DASH_BY_UID ? uid : "";
	size_t c = p->n;

	p->first[i] = -1;
	if (who == NULL || (!who[0] && s->whose != DASH_BY_NOBODY))
		return;
	p->first[i] = (int)c;
	if (s->range == DASH_DEAD_LETTERS) {
		snprintf(p->key[c], sizeof(p->key[c]), "%snotify:{notify}:dead", prefix);
		p->argv[c][0] = "LLEN", p->argv[c][1] = p->key[c], p->argc[c] = 2, p->n++;
		return;
	}
	if (s->range == DASH_WEEK_FIGURES) {
		snprintf(p->key[c], sizeof(p->key[c]), "%s:week:%lld", base, dash_week_day(now));
		p->argv[c][0] = "HMGET", p->argv[c][1] = p->key[c], p->argv[c][2] = "holds_placed";
		p->argv[c][3] = "bookings", p->argv[c][4] = "changes_made", p->argc[c] = 5, p->n++;
		return;
	}
	snprintf(p->key[c], sizeof(p->key[c]), "%s:z:%s%s", base, s->scope, who);
	dash_bounds(s->range, now, p->lo[c], p->hi[c]);
	snprintf(p->limit[c], sizeof(p->limit[c]), "%d", s->limit);
	p->argv[c][0] = "ZRANGEBYSCORE", p->argv[c][1] = p->key[c], p->argv[c][2] = p->lo[c];
	p->argv[c][3] = p->hi[c], p->argv[c][4] = "WITHSCORES", p->argv[c][5] = "LIMIT";
	p->argv[c][6] = "0", p->argv[c][7] = p->limit[c], p->argc[c] = 8;
	p->argv[c + 1][0] = "ZCOUNT", p->argv[c + 1][1] = p->key[c];
	p->argv[c + 1][2] = p->lo[c], p->argv[c + 1][3] = p->hi[c], p->argc[c + 1] = 4;
	p->n += 2;
}

/* A list section's items from ZRANGEBYSCORE's answer (member, score, ...). */
static json_t *dash_list_items(const dash_section *s, const redisReply *r, time_t now)
{
	json_t *items = json_array();
	char text[512], link[256];
	size_t i;

	for (i = 0; r->type == REDIS_REPLY_ARRAY && i + 1 < r->elements; i += 2) {
		json_t *item = r->element[i]->type == REDIS_REPLY_STRING ? json_loads(r->element[i]->str, 0, NULL) : NULL;
		if (json_is_object(item)) {
			dash_item_words(s, item, now, text, sizeof(text), link, sizeof(link));
			json_array_append_new(items, json_pack("{s:s, s:s}", "text", text, "link", link));
		}
		json_decref(item);
	}
	return items;
}

static long long reply_number(const redisReply *r)
{
	if (r->type == REDIS_REPLY_INTEGER)
		return r->integer;
	return r->type == REDIS_REPLY_STRING ? strtoll(r->str, NULL, 10) : 0;
}

/* The week's figures as three items; *count their sum. */
static json_t *dash_week_items(const redisReply *r, long long *count)
{
	static const char *const what[3][2] = { { "bed hold placed", "bed holds placed" },
	                                        { "training booking", "training bookings" },
	                                        { "directory change made", "directory changes made" } };
	json_t *items = json_array();
	char text[96];
	size_t i;

	*count = 0;
	for (i = 0; i < 3; i++) {
		long long n = r->type == REDIS_REPLY_ARRAY && i < r->elements ? reply_number(r->element[i]) : 0;
		snprintf(text, sizeof(text), "%lld %s", n, what[i][n == 1 ? 0 : 1]);
		json_array_append_new(items, json_pack("{s:s}", "text", text));
		*count += n;
	}
	return items;
}

/* Section i from its replies, or NULL when a reply is an error. */
static json_t *dash_section_json(size_t i, redisReply **rep, time_t now, int page)
{
	const dash_section *s = &dash_sections[i];
	json_t *items, *out;
	long long count = 0;

	if (rep[0]->type == REDIS_REPLY_ERROR || (s->scope && rep[1]->type == REDIS_REPLY_ERROR))
		return NULL;
	if (s->range == DASH_DEAD_LETTERS) {
		count = reply_number(rep[0]);
		items = json_array();
		if (count > 0)
			json_array_append_new(items, json_pack("{s:s}", "text", count == 1
			        ? "1 notification could not be delivered after a day of trying."
			        : "Some notifications could not be delivered after a day of trying."));
	} else if (s->range == DASH_WEEK_FIGURES)
		items = dash_week_items(rep[0], &count);
	else {
		items = dash_list_items(s, rep[0], now);
		count = reply_number(rep[1]);
	}
	out = json_pack("{s:s, s:s, s:I, s:o}", "kind", s->kind, "title", s->title, "count", (json_int_t)count,
	                "items", items);
	if (page && json_array_size(items) == 0)
		json_object_set_new(out, "empty", json_string(s->empty));
	return out;
}

/* The sections of the signed-in person's roles, in one round trip.
 * Returns them (a new array), or NULL when Redis failed (*broken: 0 when
 * it could not be reached, 1 when it answered with an error). */
static json_t *dash_sections_read(portal_ctx *ctx, time_t now, int page, int *broken)
{
	static dash_plan zero;
	dash_plan *p = malloc(sizeof(*p));
	redisReply *rep[DASH_MAX_CMDS];
	const char **cmds[DASH_MAX_CMDS];
	unsigned roles = portal_user_roles(ctx->user);
	const char *prefix = portal_store_prefix(ctx->store);
	const char *uid = json_string_value(json_object_get(ctx->user, "username"));
	char base[256];
	json_t *out = NULL;
	size_t i;

	*broken = 0;
	if (p == NULL)
		return NULL;
	*p = zero;
	snprintf(base, sizeof(base), "%snotify:{notify}:dash", prefix);
	for (i = 0; i < DASH_NSECTIONS; i++) {
		p->first[i] = -1;
		if (roles & dash_sections[i].roles)
			dash_plan_section(p, i, base, prefix, portal_user_agency_id(ctx), uid, now);
	}
	for (i = 0; i < p->n; i++)
		cmds[i] = p->argv[i];
	if (p->n > 0 && portal_store_pipeline(ctx->store, p->n, p->argc, cmds, rep) < 0)
		goto done;
	out = json_array();
	for (i = 0; i < DASH_NSECTIONS && out; i++) {
		json_t *sec;
		if (p->first[i] < 0)
			continue;
		if ((sec = dash_section_json(i, rep + p->first[i], now, page)) == NULL) {
			*broken = 1;
			json_decref(out);
			out = NULL;
		} else
			json_array_append_new(out, sec);
	}
	for (i = 0; i < p->n; i++)
		freeReplyObject(rep[i]);
done:
	free(p);
	return out;
}

/* Answer a failed read: 503 when Redis could not be reached, else 500. */
static void dash_reply_failed(portal_ctx *ctx, int broken)
{
	if (broken)
		portal_reply_internal_error(ctx, "the dashboard's reads answered with an error");
	else
		portal_reply_store_unavailable(ctx);
}

void auth_start_page(portal_ctx *ctx)
{
	json_t *data = json_object(), *features = json_array(), *sections;
	unsigned roles = portal_user_roles(ctx->user);
	int broken;
	size_t i;

	for (i = 0; i < sizeof(auth_features) / sizeof(auth_features[0]); i++)
		if (ctx->user == NULL || (roles & auth_features[i].roles))
			json_array_append_new(features, json_pack("{s:s, s:s, s:s}",
			        "title", auth_features[i].title, "href", auth_features[i].href,
			        "description", auth_features[i].description));
	json_object_set_new(data, "features", features);
	if (ctx->user) {
		if ((sections = dash_sections_read(ctx, time(NULL), 1, &broken)) == NULL) {
			json_decref(data);
			dash_reply_failed(ctx, broken);
			return;
		}
		json_object_set_new(data, "sections", sections);
	}
	portal_reply(ctx, 200, data);
}

void auth_dashboard(portal_ctx *ctx)
{
	int broken;
	json_t *sections = dash_sections_read(ctx, time(NULL), 0, &broken);

	if (sections == NULL)
		dash_reply_failed(ctx, broken);
	else
		portal_reply(ctx, 200, json_pack("{s:o}", "sections", sections));
}
