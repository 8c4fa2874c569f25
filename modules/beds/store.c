/* store.c - running the beds scripts and turning their answers into
 * replies (see beds_store.h). */
#include "beds_store.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "beds.h"
#include "log.h"
#include "metrics.h"
#include "response.h"

void beds_key_base(const portal_store *st, char *out, size_t len)
{
	snprintf(out, len, "%sbeds:{beds}:", portal_store_prefix(st));
}

int beds_eval(portal_store *st, int script, int nargs, const char *const *args,
              json_t **out, int *store_down)
{
	const beds_config *cfg = beds_config_get();
	char base[128], now_s[24], erase_s[24];
	const char *keys[1] = { base };
	const char *argv[16];
	redisReply *r;
	json_t *res;
	int i;

	*out = NULL;
	*store_down = 0;
	if (nargs > 14)
		return -1;
	beds_key_base(st, base, sizeof(base));
	snprintf(now_s, sizeof(now_s), "%lld", (long long)time(NULL));
	snprintf(erase_s, sizeof(erase_s), "%d", cfg->erase_seconds);
	argv[0] = now_s;
	argv[1] = erase_s;
	for (i = 0; i < nargs; i++)
		argv[i + 2] = args[i];
	r = portal_store_eval(st, (size_t)script, 1, keys, nargs + 2, argv);
	if (r == NULL) {
		*store_down = 1;
		return -1;
	}
	if (r->type != REDIS_REPLY_STRING) {
		freeReplyObject(r);
		return -1;
	}
	res = json_loadb(r->str, r->len, 0, NULL);
	freeReplyObject(r);
	if (!json_is_object(res)) {
		json_decref(res);
		return -1;
	}
	/* Lua's cjson writes an empty table as {}: lists are arrays here */
	if (json_is_true(json_object_get(res, "empty")))
		json_object_set_new(res, "ok", json_array());
	*out = res;
	return 0;
}

/* Audit (and count) the holds a script answer `res` says it expired on the
 * way ("expired": [id...]): they are accountable too. */
static void beds_audit_expired(portal_ctx *ctx, const json_t *res)
{
	const json_t *id;
	size_t i;

	json_array_foreach(json_object_get(res, "expired"), i, id) {
		portal_metric_event(ctx, BEDS_EV_HOLD_EXPIRED);
		portal_audit(ctx, "hold_expired", "system", json_pack("{s:O}", "hold", id));
	}
}

int beds_call(portal_ctx *ctx, int script, int nargs, const char *const *args, json_t **out)
{
	int down;

	if (beds_eval(ctx->store, script, nargs, args, out, &down) < 0) {
		if (down)
			portal_reply_store_unavailable(ctx);
		else
			portal_reply_internal_error(ctx, beds_scripts[script].name);
		return -1;
	}
	beds_audit_expired(ctx, *out);
	return 0;
}

/* The housekeeping script in `mode` with `arg` (see scripts.c): the
 * aof:rewrite_due counter it answers into *due, and whether it claimed the
 * rewrite into *claimed.  Audits the holds it expired as ctx's.  0 or -1
 * (Redis down or a bad answer). */
static int beds_housekeeping_run(portal_ctx *ctx, const char *mode, const char *arg,
                                 long long *due, int *claimed)
{
	const char *args[2] = { mode, arg };
	json_t *res = NULL, *ok;
	int down;

	if (beds_eval(ctx->store, BEDS_SCRIPT_HOUSEKEEPING, 2, args, &res, &down) < 0 ||
	    !json_is_integer(json_object_get((ok = json_object_get(res, "ok")), "due"))) {
		json_decref(res);
		return -1;
	}
	beds_audit_expired(ctx, res);
	*due = json_integer_value(json_object_get(ok, "due"));
	*claimed = json_is_true(json_object_get(ok, "claimed"));
	json_decref(res);
	return 0;
}

/* Ask Redis for an AOF rewrite, which the housekeeping script has claimed
 * for this period (one rewrite per period across every instance) because
 * erasures up to counter value `due` wait for one.  When Redis refuses it
 * (NOPERM: the ACL lacks +bgrewriteaof; a rewrite already running, which
 * may have started before the erasure) the next try comes within a minute.
 * Logs what happened. */
static void beds_rewrite_aof(portal_ctx *ctx, const beds_config *cfg, long long due)
{
	char num[24];
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
		snprintf(num, sizeof(num), "%lld", due);
		if (beds_housekeeping_run(ctx, "rewritten", num, &left, &claimed) == 0 && left > 0)
			portal_logf(PORTAL_LOG_INFO, "an erasure came during the aof rewrite; "
			            "the next rewrite follows within %d s", cfg->rewrite_seconds);
		return;
	}
	portal_log(PORTAL_LOG_ERROR, "aof rewrite after erasure refused: erased values stay on disk until it works",
	           json_pack("{s:s, s:s}", "redis", r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply",
	                     "fix", "grant the portal's Redis user +bgrewriteaof (deploy/redis/users.acl)"));
	freeReplyObject(r);
	snprintf(num, sizeof(num), "%d", cfg->rewrite_seconds < 60 ? cfg->rewrite_seconds : 60);
	beds_housekeeping_run(ctx, "retry", num, &left, &claimed);
}

int beds_housekeeping(portal_store *st, const portal_config *config)
{
	const beds_config *cfg = beds_config_get();
	portal_ctx ctx;
	long long due = 0;
	char period[24];
	int claimed = 0;

	memset(&ctx, 0, sizeof(ctx));
	ctx.config = config;
	ctx.store = st;
	snprintf(ctx.req.id, sizeof(ctx.req.id), "housekeeping");
	snprintf(period, sizeof(period), "%d", cfg->rewrite_seconds);
	if (beds_housekeeping_run(&ctx, "check", period, &due, &claimed) == 0 && claimed)
		beds_rewrite_aof(&ctx, cfg, due);
	return cfg->housekeeping_seconds;
}
