/* store.c - the beds module's only caller of Redis.  Each function runs one
 * of the lua/ scripts (or one plain command) with portal_store_run() and
 * hands back a typed answer: it never answers a request.  Every call's
 * KEYS is the base key "<prefix>beds:{beds}"; ARGV are name/value pairs
 * (script.h), starting with now, erase_after and groups (lua/lib.lua).
 * The housekeeping that every master runs lives here too.
 */
#include "beds.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "jsonget.h"
#include "log.h"
#include "metrics.h"
#include "session.h"

/* The scripts' sources, made at build time from lua/NAME.lua (the prelude
 * lua/lib.lua before each) by portal-embed --lua. */
extern const char beds_lua_safehouse_save[], beds_lua_vacancies_set[], beds_lua_hold_place[],
	beds_lua_hold_act[], beds_lua_houses[], beds_lua_house[], beds_lua_holds[], beds_lua_hold[],
	beds_lua_report[], beds_lua_housekeeping[], beds_lua_search[], beds_lua_migrate[], beds_lua_hold_view[],
	beds_lua_unmet[], beds_lua_hold_outcome[];

/* The reads answer; what their prelude writes (holds past their time
 * closed, details due for erasure erased) the next script does again if a
 * failover loses it, so no WAIT follows them (PORTAL_SCRIPT_READ_ONLY).
 * The same holds for housekeeping: a lost guard or counter change costs at
 * most one more rewrite, and a replica that is down must not stop erasure
 * from reaching the primary's disk. */
const portal_script beds_scripts[BEDS_SCRIPT_COUNT] = {
	[BEDS_SCRIPT_SAFEHOUSE_SAVE] = { "beds_safehouse_save", beds_lua_safehouse_save, PORTAL_SCRIPT_WRITES },
	[BEDS_SCRIPT_VACANCIES_SET]  = { "beds_vacancies_set", beds_lua_vacancies_set, PORTAL_SCRIPT_WRITES },
	[BEDS_SCRIPT_HOLD_PLACE]     = { "beds_hold_place", beds_lua_hold_place, PORTAL_SCRIPT_WRITES },
	[BEDS_SCRIPT_HOLD_ACT]       = { "beds_hold_act", beds_lua_hold_act, PORTAL_SCRIPT_WRITES },
	[BEDS_SCRIPT_HOUSES]         = { "beds_houses", beds_lua_houses, PORTAL_SCRIPT_READ_ONLY },
	[BEDS_SCRIPT_HOUSE]          = { "beds_house", beds_lua_house, PORTAL_SCRIPT_READ_ONLY },
	[BEDS_SCRIPT_HOLDS]          = { "beds_holds", beds_lua_holds, PORTAL_SCRIPT_READ_ONLY },
	[BEDS_SCRIPT_HOLD]           = { "beds_hold", beds_lua_hold, PORTAL_SCRIPT_READ_ONLY },
	[BEDS_SCRIPT_REPORT]         = { "beds_report", beds_lua_report, PORTAL_SCRIPT_READ_ONLY },
	[BEDS_SCRIPT_HOUSEKEEPING]   = { "beds_housekeeping", beds_lua_housekeeping, PORTAL_SCRIPT_READ_ONLY },
	[BEDS_SCRIPT_SEARCH]         = { "beds_search", beds_lua_search, PORTAL_SCRIPT_READ_ONLY },
	[BEDS_SCRIPT_MIGRATE]        = { "beds_migrate", beds_lua_migrate, PORTAL_SCRIPT_WRITES },
	[BEDS_SCRIPT_HOLD_VIEW]      = { "beds_hold_view", beds_lua_hold_view, PORTAL_SCRIPT_READ_ONLY },
	[BEDS_SCRIPT_UNMET]          = { "beds_unmet", beds_lua_unmet, PORTAL_SCRIPT_READ_ONLY },  /* a count: no WAIT */
	[BEDS_SCRIPT_HOLD_OUTCOME]   = { "beds_hold_outcome", beds_lua_hold_outcome, PORTAL_SCRIPT_WRITES },
};

/* now as updated_at and in words, for the search fragments the writes keep
 * (lua/lib.lua); per thread, as the call's pairs point into them */
static __thread char now_iso[32], now_text[64];

/* Start call c (in place: its pairs point into its own number buffers)
 * with what every script takes: now, erase_after, groups; and what the
 * scripts that write search fragments take: group_labels, now_iso,
 * now_text. */
static void call_start(portal_script_call *c)
{
	time_t now = time(NULL);

	portal_time_format(now, now_iso, sizeof(now_iso));
	portal_time_words(now, now, now_text, sizeof(now_text));
	portal_call_init(c);
	portal_call_num(c, "now", (long long)now);
	portal_call_num(c, "erase_after", beds_config_get()->erase_seconds);
	portal_call_arg(c, "groups", BEDS_GROUPS_TEXT);
	portal_call_num(c, "warn_before", beds_config_get()->warning_seconds);
	portal_call_num(c, "stale_after", beds_config_get()->stale_seconds);
	portal_call_args(c, "group_labels", BEDS_GROUP_LABELS_TEXT, "now_iso", now_iso, "now_text", now_text, NULL);
}

/* The module's base key "<prefix>beds:{beds}" into out. */
static void beds_base_key(const portal_store *st, char *out, size_t len)
{
	snprintf(out, len, "%sbeds:{beds}", portal_store_prefix(st));
}

/* Run `script` with the base key and c's pairs into *out: the status and
 * every pair parsed as JSON.  Returns out->rc. */
static portal_run_rc call_run(portal_store *st, int script, const portal_script_call *c, beds_answer *out)
{
	char base[160];
	const char *name, *value;
	portal_run_result res;
	size_t i, len;
	json_t *v;

	memset(out, 0, sizeof(*out));
	out->data = json_object();
	beds_base_key(st, base, sizeof(base));
	out->rc = portal_call_run(st, (size_t)script, base, c, &res);
	snprintf(out->cause, sizeof(out->cause), "%s", res.cause);
	snprintf(out->status, sizeof(out->status), "%s", res.status);
	for (i = 0; out->rc == PORTAL_RUN_OK && portal_run_pair(&res, i, &name, &value, &len) == 0; i++) {
		if ((v = json_loadb(value, len, JSON_DECODE_ANY, NULL)) == NULL) {
			snprintf(out->cause, sizeof(out->cause), "%s: answer %s is not JSON", beds_scripts[script].name, name);
			out->rc = PORTAL_RUN_BROKEN;
		} else
			json_object_set_new(out->data, name, v);
	}
	portal_run_result_free(&res);
	return out->rc;
}

/* Run `script` with what every script takes and the one pair name = value. */
static portal_run_rc call_one(portal_store *st, int script, const char *name, const char *value, beds_answer *out)
{
	portal_script_call c;

	call_start(&c);
	portal_call_arg(&c, name, value);
	return call_run(st, script, &c, out);
}

int beds_answer_ok(const beds_answer *a)
{
	return a->rc == PORTAL_RUN_OK && strcmp(a->status, "ok") == 0;
}

void beds_answer_free(beds_answer *a)
{
	json_decref(a->data);
	a->data = NULL;
}

portal_run_rc beds_store_safehouse_save(portal_store *st, const char *id, const char *agency,
                                        const char *agency_name, const json_t *doc, const json_t *beds,
                                        const char *actor, beds_answer *out)
{
	char *doc_s = json_dumps(doc, JSON_COMPACT), *beds_s = json_dumps(beds, JSON_COMPACT);
	char *card = beds_house_card(doc, agency, agency_name), *index = beds_house_index(doc, beds);
	portal_script_call c;

	call_start(&c);
	portal_call_args(&c, "safehouse", id, "agency", agency, "agency_name", agency_name,
	                 "doc", doc_s ? doc_s : "{}", "beds", beds_s ? beds_s : "{}", "actor", actor,
	                 "card", card ? card : "{}", "index", index ? index : "{}", NULL);
	call_run(st, BEDS_SCRIPT_SAFEHOUSE_SAVE, &c, out);
	free(doc_s);
	free(beds_s);
	free(card);
	free(index);
	return out->rc;
}

portal_run_rc beds_store_vacancies_set(portal_store *st, const char *id, const char *agency,
                                       const char *actor, const char *vacant, beds_answer *out)
{
	portal_script_call c;

	call_start(&c);
	portal_call_args(&c, "safehouse", id, "agency", agency, "actor", actor, "vacant", vacant, NULL);
	return call_run(st, BEDS_SCRIPT_VACANCIES_SET, &c, out);
}

portal_run_rc beds_store_hold_place(portal_store *st, const beds_hold_request *req, beds_answer *out)
{
	const beds_config *cfg = beds_config_get();
	portal_script_call c;

	call_start(&c);
	portal_call_args(&c, "safehouse", req->safehouse, "group", req->group,
	                 "responder", req->responder, "responder_agency", req->responder_agency,
	                 "responder_name", req->responder_name, "responder_agency_name", req->responder_agency_name,
	                 "responder_agency_type", req->responder_agency_type, "responder_unit", req->responder_unit,
	                 "reference", req->reference, "callback_phone", req->callback_phone, NULL);
	portal_call_num(&c, "minutes", req->minutes);
	portal_call_num(&c, "minute_seconds", cfg->minute_seconds);
	portal_call_arg(&c, "idempotency_key", req->idempotency_key);
	portal_call_num(&c, "max_pending", cfg->max_pending);
	return call_run(st, BEDS_SCRIPT_HOLD_PLACE, &c, out);
}

portal_run_rc beds_store_hold_act(portal_store *st, const beds_hold_action *act, beds_answer *out)
{
	const beds_config *cfg = beds_config_get();
	portal_script_call c;

	call_start(&c);
	portal_call_args(&c, "hold", act->hold, "action", act->action, "actor", act->actor,
	                 "agency", act->agency, "reason", act->reason, NULL);
	portal_call_num(&c, "add_seconds", (long long)cfg->minute_seconds * act->minutes);
	portal_call_num(&c, "max_seconds", (long long)cfg->minute_seconds * BEDS_HOLD_MINUTES_MAX);
	return call_run(st, BEDS_SCRIPT_HOLD_ACT, &c, out);
}

portal_run_rc beds_store_hold_outcome(portal_store *st, const beds_outcome_request *req, beds_answer *out)
{
	portal_script_call c;

	call_start(&c);
	portal_call_args(&c, "hold", req->hold, "actor", req->actor, "agency", req->agency, "responder", req->responder,
	                 "outcome", req->outcome, "note", req->note, "agency_type", req->agency_type, "unit", req->unit, NULL);
	return call_run(st, BEDS_SCRIPT_HOLD_OUTCOME, &c, out);
}

portal_run_rc beds_store_houses(portal_store *st, const char *agency, long long from, long long count,
                                beds_answer *out)
{
	portal_script_call c;

	call_start(&c);
	portal_call_arg(&c, "agency", agency);
	portal_call_range(&c, from, count);
	return call_run(st, BEDS_SCRIPT_HOUSES, &c, out);
}

portal_run_rc beds_store_house(portal_store *st, const char *id, beds_answer *out)
{
	return call_one(st, BEDS_SCRIPT_HOUSE, "safehouse", id, out);
}

portal_run_rc beds_store_holds(portal_store *st, const char *kind, const char *who, long long from, long long count,
                               beds_answer *out)
{
	portal_script_call c;

	call_start(&c);
	portal_call_args(&c, "kind", kind, "who", who, NULL);
	portal_call_range(&c, from, count);
	return call_run(st, BEDS_SCRIPT_HOLDS, &c, out);
}

portal_run_rc beds_store_hold(portal_store *st, const char *id, beds_answer *out)
{
	return call_one(st, BEDS_SCRIPT_HOLD, "hold", id, out);
}

/* "code=label|..." for the codes of `codes` and their labels into out. */
static void beds_labels_text(portal_buf *out, const char *const *codes, const char *(*label_of)(const char *))
{
	size_t i;

	for (i = 0; codes[i]; i++)
		portal_buf_printf(out, "%s%s=%s", i ? "|" : "", codes[i], label_of(codes[i]));
}

portal_run_rc beds_store_hold_view(portal_store *st, const char *id, const char *username, const char *agency,
                                   const char *roles, portal_run_result *res)
{
	portal_script_call c;
	portal_buf statuses, reasons, outcomes;
	char base[160];
	portal_run_rc rc;

	portal_buf_init(&statuses, 1024);
	portal_buf_init(&reasons, 1024);
	portal_buf_init(&outcomes, 1024);
	beds_labels_text(&statuses, beds_statuses, beds_status_label);
	beds_labels_text(&reasons, beds_decline_reasons, beds_reason_label);
	beds_labels_text(&outcomes, beds_outcomes, beds_outcome_label);
	call_start(&c);
	portal_call_args(&c, "hold", id, "username", username, "agency", agency, "roles", roles,
	                 "statuses", statuses.data ? statuses.data : "", "reasons", reasons.data ? reasons.data : "",
	                 "outcomes", outcomes.data ? outcomes.data : "", NULL);
	beds_base_key(st, base, sizeof(base));
	rc = portal_call_run(st, BEDS_SCRIPT_HOLD_VIEW, base, &c, res);
	portal_buf_free(&statuses);
	portal_buf_free(&reasons);
	portal_buf_free(&outcomes);
	return rc;
}

portal_run_rc beds_store_report(portal_store *st, time_t from, time_t to, beds_answer *out)
{
	portal_script_call c;

	call_start(&c);
	portal_call_num(&c, "from", (long long)from);
	portal_call_num(&c, "to", (long long)to);
	return call_run(st, BEDS_SCRIPT_REPORT, &c, out);
}

portal_run_rc beds_store_search(portal_store *st, const json_t *want, const char *needs, const char *near,
                                portal_page page, portal_run_result *res)
{
	const beds_config *cfg = beds_config_get();
	portal_script_call c;
	char base[160];

	call_start(&c);
	portal_call_args(&c, "group", portal_json_text(want, "group"), "person", portal_json_text(want, "person"),
	                 "language", portal_json_text(want, "language"), "needs", needs, "near", near,
	                 "freshness_labels", BEDS_FRESHNESS_LABELS_TEXT, NULL);
	portal_call_num(&c, "fresh_seconds", cfg->fresh_seconds);
	portal_call_num(&c, "stale_seconds", cfg->stale_seconds);
	portal_call_range(&c, portal_page_offset(page), page.per_page);
	beds_base_key(st, base, sizeof(base));
	return portal_call_run(st, BEDS_SCRIPT_SEARCH, base, &c, res);
}

portal_run_rc beds_store_migrate(portal_store *st, const char *houses, beds_answer *out)
{
	portal_script_call c;

	call_start(&c);
	portal_call_args(&c, "version", BEDS_STR(BEDS_DATA_VERSION), "houses", houses, NULL);
	return call_run(st, BEDS_SCRIPT_MIGRATE, &c, out);
}

int beds_store_unmet(portal_store *st, const char *group, const char *needs, const char *words, const char *area)
{
	char member[400], rnd[17];
	long long now = (long long)time(NULL);
	portal_script_call c;
	beds_answer a;
	int rc;

	/* no member without its random part: two searches in one second with
	 * the same needs must count twice, and nothing uninitialised is sent */
	if (portal_random_hex(rnd, 8) < 0)
		return -1;
	snprintf(member, sizeof(member), "%lld:%s|%s|%s", now, rnd, group ? group : "any", needs);
	call_start(&c);
	portal_call_args(&c, "member", member, "group", group ? group : "", "borough", area ? area : "",
	                 "needs", needs, "words", words, NULL);
	rc = call_run(st, BEDS_SCRIPT_UNMET, &c, &a) == PORTAL_RUN_OK ? 0 : -1;
	beds_answer_free(&a);
	return rc;
}

int beds_store_safehouse_count(portal_store *st, long long *n)
{
	char base[160];
	redisReply *r;

	beds_base_key(st, base, sizeof(base));
	r = portal_store_command(st, "SCARD %s:safehouses", base);
	if (r == NULL || r->type != REDIS_REPLY_INTEGER) {
		freeReplyObject(r);
		return -1;
	}
	*n = r->integer;
	freeReplyObject(r);
	return 0;
}

void beds_audit_expired(portal_ctx *ctx, const beds_answer *a)
{
	const json_t *id;
	size_t i;

	json_array_foreach(json_object_get(a->data, "expired"), i, id) {
		portal_metric_event(ctx, BEDS_EV_HOLD_EXPIRED);
		portal_audit(ctx, "hold_expired", "system", json_pack("{s:O}", "hold", id));
	}
}

/* The housekeeping script in `mode` with the pair `name` = `value` (see
 * lua/housekeeping.lua): the aof:rewrite_due counter it answers into *due,
 * and whether it claimed the rewrite into *claimed.  Audits the holds it
 * expired as ctx's.  0 or -1 (Redis down or a bad answer). */
static int beds_housekeeping_run(portal_ctx *ctx, const char *mode, const char *name, long long value,
                                 long long *due, int *claimed)
{
	portal_script_call c;
	beds_answer a;
	int rc = -1;

	call_start(&c);
	portal_call_arg(&c, "mode", mode);
	portal_call_num(&c, name, value);
	call_run(ctx->store, BEDS_SCRIPT_HOUSEKEEPING, &c, &a);
	if (beds_answer_ok(&a) && json_is_integer(json_object_get(a.data, "due"))) {
		beds_audit_expired(ctx, &a);
		*due = json_integer_value(json_object_get(a.data, "due"));
		*claimed = json_is_true(json_object_get(a.data, "claimed"));
		rc = 0;
	}
	beds_answer_free(&a);
	return rc;
}

/* Ask Redis for an AOF rewrite, which the housekeeping script has claimed
 * for this period (one rewrite per period across every instance) because
 * erasures up to counter value `due` wait for one.  When Redis refuses it
 * (NOPERM: the ACL lacks +bgrewriteaof; a rewrite already running, which
 * may have started before the erasure) the next try comes within a minute.
 * Logs what happened. */
static void beds_rewrite_aof(portal_ctx *ctx, const beds_config *cfg, long long due)
{
	redisReply *r;
	long long left = 0;
	int claimed;

	r = portal_store_command(ctx->store, "BGREWRITEAOF");
	if (r == NULL)
		return;  /* Redis went away: the claim holds the next try off one period */
	if (r->type == REDIS_REPLY_STATUS) {
		/* started now, or scheduled after a running RDB save: either way
		 * the new AOF is made from the data as it is now or later, which
		 * no longer holds what was erased up to `due` */
		portal_log(PORTAL_LOG_INFO, "aof rewrite asked for after erasure",
		           json_pack("{s:s, s:I, s:i}", "redis", r->str, "erasure_runs", (json_int_t)due,
		                     "next_in_seconds", cfg->rewrite_seconds));
		freeReplyObject(r);
		if (beds_housekeeping_run(ctx, "rewritten", "due", due, &left, &claimed) == 0 && left > 0)
			portal_logf(PORTAL_LOG_INFO, "an erasure came during the aof rewrite; "
			            "the next rewrite follows within %d s", cfg->rewrite_seconds);
		return;
	}
	portal_log(PORTAL_LOG_ERROR, "aof rewrite after erasure refused: erased values stay on disk until it works",
	           json_pack("{s:s, s:s}", "redis", r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply",
	                     "fix", "grant the portal's Redis user +bgrewriteaof (deploy/redis/users.acl)"));
	freeReplyObject(r);
	beds_housekeeping_run(ctx, "retry", "retry_in", cfg->rewrite_seconds < 60 ? cfg->rewrite_seconds : 60,
	                      &left, &claimed);
}

int beds_store_housekeeping(portal_store *st, const portal_config *config)
{
	const beds_config *cfg = beds_config_get();
	portal_ctx ctx;
	long long due = 0;
	int claimed = 0;

	memset(&ctx, 0, sizeof(ctx));
	ctx.config = config;
	ctx.store = st;
	snprintf(ctx.req.id, sizeof(ctx.req.id), "housekeeping");
	if (beds_housekeeping_run(&ctx, "check", "period", cfg->rewrite_seconds, &due, &claimed) == 0 && claimed)
		beds_rewrite_aof(&ctx, cfg, due);
	return cfg->housekeeping_seconds;
}
