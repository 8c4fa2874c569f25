/* store.c - running the beds scripts and turning their answers into
 * replies (see beds_store.h). */
#include "beds_store.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "beds.h"
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

int beds_call(portal_ctx *ctx, int script, int nargs, const char *const *args, json_t **out)
{
	const json_t *expired, *id;
	int down;
	size_t i;

	if (beds_eval(ctx->store, script, nargs, args, out, &down) < 0) {
		if (down)
			portal_reply_store_unavailable(ctx);
		else
			portal_reply_internal_error(ctx, beds_scripts[script].name);
		return -1;
	}
	/* holds that this call found past their time: accountable too */
	expired = json_object_get(*out, "expired");
	json_array_foreach(expired, i, id) {
		portal_metric_event(ctx, BEDS_EV_HOLD_EXPIRED);
		portal_audit(ctx, "hold_expired", "system", json_pack("{s:O}", "hold", id));
	}
	return 0;
}
