/* audit.c - the audit stream (see audit.h). */
#include "audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"

#define AUDIT_MAXLEN "1000000"

int portal_audit(portal_ctx *ctx, const char *event, const char *username, json_t *detail)
{
	char key[128], when[32];
	const char *agency = "-", *detail_s;
	char *detail_json = NULL;
	struct tm tm;
	time_t now = time(NULL);
	redisReply *r = NULL;
	int rc = -1;

	if (username == NULL)
		username = json_string_value(json_object_get(ctx->user, "username"));
	if (username == NULL)
		username = "-";
	if (ctx->user)
		agency = json_string_value(json_object_get(json_object_get(ctx->user, "agency"), "id"));
	if (agency == NULL)
		agency = "-";
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	detail_json = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	detail_s = detail_json ? detail_json : "{}";
	snprintf(key, sizeof(key), "%saudit", ctx->config->redis_prefix);
	r = portal_store_command(ctx->store,
	        "XADD %s MAXLEN ~ " AUDIT_MAXLEN " * time %s event %s user %s agency %s client %s request_id %s detail %s",
	        key, when, event, username, agency,
	        ctx->req.remote_addr ? ctx->req.remote_addr : "-", ctx->req.id, detail_s);
	if (r && r->type == REDIS_REPLY_STRING)
		rc = 0;
	else
		/* the store failed: keep the entry in the log rather than lose it */
		portal_log(PORTAL_LOG_ERROR, "audit entry not stored",
		           json_pack("{s:s, s:s, s:s, s:s, s:s}", "event", event, "user", username,
		                     "agency", agency, "request_id", ctx->req.id, "detail", detail_s));
	if (r)
		freeReplyObject(r);
	free(detail_json);
	json_decref(detail);
	return rc;
}
