/* store.c - the cases module's only caller of Redis.  Each function runs
 * one of the lua/ scripts with KEYS = {"<prefix>cases:{cases}"} and
 * name/value ARGV (script.h), and hands back a typed answer; none replies
 * to a request.  The retention housekeeping every master runs is here too.
 */
#include "cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonget.h"
#include "log.h"

extern const char cases_lua_share[], cases_lua_act[], cases_lua_get[], cases_lua_list[],
	cases_lua_housekeeping[], cases_lua_migrate[], cases_lua_trends[], cases_lua_trend_note[],
	cases_lua_trends_intake[];

/* Housekeeping does not wait for replicas: a replica that is down must not
 * stop an erasure reaching the primary's disk (as in beds). */
const portal_script cases_scripts[CASES_SCRIPT_COUNT] = {
	[CASES_SCRIPT_SHARE]        = { "cases_share", cases_lua_share, PORTAL_SCRIPT_WRITES },
	[CASES_SCRIPT_ACT]          = { "cases_act", cases_lua_act, PORTAL_SCRIPT_WRITES },
	[CASES_SCRIPT_GET]          = { "cases_get", cases_lua_get, PORTAL_SCRIPT_READ_ONLY },
	[CASES_SCRIPT_LIST]         = { "cases_list", cases_lua_list, PORTAL_SCRIPT_READ_ONLY },
	[CASES_SCRIPT_HOUSEKEEPING] = { "cases_housekeeping", cases_lua_housekeeping, PORTAL_SCRIPT_READ_ONLY },
	[CASES_SCRIPT_MIGRATE]      = { "cases_migrate", cases_lua_migrate, PORTAL_SCRIPT_WRITES },
	[CASES_SCRIPT_TRENDS]       = { "cases_trends", cases_lua_trends, PORTAL_SCRIPT_READ_ONLY },
	[CASES_SCRIPT_TREND_NOTE]   = { "cases_trend_note", cases_lua_trend_note, PORTAL_SCRIPT_WRITES },
	[CASES_SCRIPT_TRENDS_INTAKE] = { "cases_trends_intake", cases_lua_trends_intake, PORTAL_SCRIPT_READ_ONLY },
};

/* The names of the pairs any script answers, each JSON text. */
static const char *const answer_names[] = { "case", "timeline", "cases", "due_at", "again_at", "erased", "rewrite", "from",
	"shared", "holds", "unmet", "quarters", "notes", "note", "added" };

int cases_answer_ok(const cases_answer *a)
{
	return a->rc == PORTAL_RUN_OK && strcmp(a->status, "ok") == 0;
}

void cases_answer_free(cases_answer *a)
{
	json_decref(a->data);
	a->data = NULL;
}

/* Run `script` (c already holds its pairs; "now" is added here) into *out.
 * Every known pair the script answers is parsed as JSON; one that is not
 * JSON makes the call broken. */
static portal_run_rc run(portal_store *st, int script, portal_script_call *c, cases_answer *out)
{
	char base[160];
	portal_run_result res;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->data = json_object();
	snprintf(base, sizeof(base), "%scases:{cases}", portal_store_prefix(st));
	portal_call_num(c, "now", (long long)time(NULL));
	out->rc = portal_call_run(st, (size_t)script, base, c, &res);
	snprintf(out->cause, sizeof(out->cause), "%s", res.cause);
	snprintf(out->status, sizeof(out->status), "%s", res.status);
	for (i = 0; out->rc == PORTAL_RUN_OK && i < CASES_COUNT(answer_names); i++) {
		json_t *v;

		if (portal_run_field(&res, answer_names[i], NULL) == NULL)
			continue;
		if ((v = portal_run_json(&res, answer_names[i])) == NULL) {
			snprintf(out->cause, sizeof(out->cause), "%s: %s is not JSON", cases_scripts[script].name, answer_names[i]);
			out->rc = PORTAL_RUN_BROKEN;
		} else
			json_object_set_new(out->data, answer_names[i], v);
	}
	portal_run_result_free(&res);
	return out->rc;
}

/* The codes of list field `name` of `v` joined with commas into buf. */
static const char *joined(const json_t *v, const char *name, char *buf, size_t len)
{
	const json_t *list = json_object_get(v, name), *item;
	size_t i, used = 0;

	buf[0] = '\0';
	json_array_foreach(list, i, item) {
		int n = snprintf(buf + used, len - used, "%s%s", used ? "," : "", json_string_value(item));
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	return buf;
}

portal_run_rc cases_store_share(portal_store *st, const cases_share_request *req, cases_answer *out)
{
	char types[256], wants[256];
	const json_t *v = req->valid;
	const char *borough = portal_json_text(v, "borough");
	char quarter[16];
	portal_script_call c;

	portal_call_init(&c);
	portal_call_args(&c, "reference", portal_json_text(v, "reference"), "shared_on", portal_json_text(v, "shared_on"),
	                 "channel", portal_json_text(v, "channel"), "unit", req->unit,
	                 "borough", borough[0] ? borough : "unknown",
	                 "exploitation_types", joined(v, "exploitation_types", types, sizeof(types)),
	                 "wants", joined(v, "wants", wants, sizeof(wants)),
	                 "contact_consent", json_is_true(json_object_get(v, "contact_consent")) ? "1" : "0",
	                 "agency", req->agency, "agency_name", req->agency_name,
	                 "actor", req->actor, "actor_name", req->actor_name,
	                 "quarter", cases_quarter_of_date(portal_json_text(v, "shared_on"), quarter, sizeof(quarter)), NULL);
	return run(st, CASES_SCRIPT_SHARE, &c, out);
}

portal_run_rc cases_store_act(portal_store *st, const cases_action *act, cases_answer *out)
{
	portal_script_call c;

	portal_call_init(&c);
	portal_call_args(&c, "case", act->id, "action", act->action, "actor", act->actor, "actor_name", act->actor_name,
	                 "agency", act->agency, "unit", act->unit, "police_reference", act->police_reference,
	                 "status", act->status, "reason", act->reason, "note", act->note, "outcome", act->outcome, NULL);
	portal_call_num(&c, "due_seconds", (long long)CASES_UPDATE_DUE_DAYS * CASES_DAY);
	portal_call_num(&c, "gap_seconds", (long long)CASES_REQUEST_GAP_DAYS * CASES_DAY);
	return run(st, CASES_SCRIPT_ACT, &c, out);
}

/* Run `script` with the name/value pairs `pairs` (NULL-terminated). */
static portal_run_rc run_pairs(portal_store *st, int script, const char *const *pairs, cases_answer *out)
{
	portal_script_call c;
	size_t i;

	portal_call_init(&c);
	for (i = 0; pairs[i] && pairs[i + 1]; i += 2)
		portal_call_arg(&c, pairs[i], pairs[i + 1]);
	return run(st, script, &c, out);
}

portal_run_rc cases_store_get(portal_store *st, const char *id, cases_answer *out)
{
	return run_pairs(st, CASES_SCRIPT_GET, (const char *const[]){ "case", id, NULL }, out);
}

portal_run_rc cases_store_list(portal_store *st, const char *kind, const char *who, cases_answer *out)
{
	return run_pairs(st, CASES_SCRIPT_LIST, (const char *const[]){ "kind", kind, "who", who, "limit", CASES_STR(CASES_LIST_LIMIT), NULL }, out);
}

portal_run_rc cases_store_trends(portal_store *st, const char *quarter, cases_answer *out)
{
	return run_pairs(st, CASES_SCRIPT_TRENDS, (const char *const[]){ "quarter", quarter, NULL }, out);
}

portal_run_rc cases_store_trend_note(portal_store *st, const json_t *note, cases_answer *out)
{
	char *text = json_dumps(note, JSON_COMPACT);
	portal_script_call c;

	portal_call_init(&c);
	portal_call_arg(&c, "note", text ? text : "{}");
	run(st, CASES_SCRIPT_TREND_NOTE, &c, out);
	free(text);
	return out->rc;
}

/* Field `name` of a stream entry's field/value array, or NULL. */
static const char *entry_field(const redisReply *fields, const char *name)
{
	size_t i;

	for (i = 0; fields && fields->type == REDIS_REPLY_ARRAY && i + 1 < fields->elements; i += 2)
		if (fields->element[i]->type == REDIS_REPLY_STRING && strcmp(fields->element[i]->str, name) == 0 &&
		    fields->element[i + 1]->type == REDIS_REPLY_STRING)
			return fields->element[i + 1]->str;
	return NULL;
}

/* Count the bed holds placed and the searches with no result in XRANGE
 * answer `r` into holds and unmet {"quarter|borough|group": n} (a search
 * that named no group: "any"); the last entry's id into last. */
static void count_beds_events(const redisReply *r, json_t *holds, json_t *unmet, char *last, size_t lastlen)
{
	size_t i;

	for (i = 0; i < r->elements; i++) {
		const redisReply *e = r->element[i];
		const char *kind, *group, *borough, *at;
		char field[160], quarter[16];
		json_t *counts;

		if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 || e->element[0]->type != REDIS_REPLY_STRING)
			continue;
		snprintf(last, lastlen, "%s", e->element[0]->str);
		kind = entry_field(e->element[1], "kind");
		group = entry_field(e->element[1], "group");
		borough = entry_field(e->element[1], "borough");
		at = entry_field(e->element[1], "at");
		counts = kind == NULL ? NULL : strcmp(kind, "hold_placed") == 0 ? holds
		       : strcmp(kind, "search_unmet") == 0 ? unmet : NULL;
		if (counts == NULL || group == NULL || at == NULL)
			continue;
		snprintf(field, sizeof(field), "%s|%s|%s", cases_quarter_of_time((time_t)strtoll(at, NULL, 10), quarter, sizeof(quarter)),
		         borough && borough[0] ? borough : "unknown", group[0] ? group : "any");
		json_object_set_new(counts, field, json_integer(portal_json_num(counts, field) + 1));
	}
}

/* The trends' bed holds and searches with no result: the beds events after
 * the cursor (500 at a time) counted by quarter, borough and bed group.
 * Reads only the beds module's events stream, never its other keys. */
static void trends_intake(portal_store *st)
{
	char stream[200], cursor_key[200], start[80], last[64] = "", *counts_text, *unmet_text;
	const char *prefix = portal_store_prefix(st);
	redisReply *cur, *r;
	json_t *counts = json_object(), *unmet = json_object();
	portal_script_call c;
	cases_answer a;

	snprintf(stream, sizeof(stream), "%sbeds:{beds}:events", prefix);
	snprintf(cursor_key, sizeof(cursor_key), "%scases:{cases}:trends:beds_cursor", prefix);
	if ((cur = portal_store_command(st, "GET %s", cursor_key)) == NULL)
		goto done;
	if (cur->type == REDIS_REPLY_STRING)
		snprintf(start, sizeof(start), "(%s", cur->str);
	else
		snprintf(start, sizeof(start), "-");
	r = portal_store_command(st, "XRANGE %s %s + COUNT 500", stream, start);
	if (r && r->type == REDIS_REPLY_ARRAY && r->elements > 0) {
		count_beds_events(r, counts, unmet, last, sizeof(last));
		counts_text = json_dumps(counts, JSON_COMPACT);
		unmet_text = json_dumps(unmet, JSON_COMPACT);
		portal_call_init(&c);
		portal_call_args(&c, "cursor_was", cur->type == REDIS_REPLY_STRING ? cur->str : "", "cursor", last,
		                 "counts", counts_text ? counts_text : "{}", "unmet", unmet_text ? unmet_text : "{}", NULL);
		if (run(st, CASES_SCRIPT_TRENDS_INTAKE, &c, &a) != PORTAL_RUN_OK)
			portal_log(PORTAL_LOG_ERROR, "cases trends: the bed holds were not counted", json_pack("{s:s}", "cause", a.cause));
		cases_answer_free(&a);
		free(counts_text);
		free(unmet_text);
	}
	if (r)
		freeReplyObject(r);
	freeReplyObject(cur);
done:
	json_decref(counts);
	json_decref(unmet);
}

int cases_store_migrate(portal_store *st, long long *from)
{
	portal_script_call c;
	cases_answer a;
	int rc;

	portal_call_init(&c);
	portal_call_num(&c, "version", CASES_DATA_VERSION);
	rc = run(st, CASES_SCRIPT_MIGRATE, &c, &a) == PORTAL_RUN_OK && cases_answer_ok(&a) ? 0 : -1;
	*from = portal_json_num(a.data, "from");
	cases_answer_free(&a);
	return rc;
}

/* The housekeeping script in `mode` (check, retry) into *a. */
static portal_run_rc housekeeping_run(portal_store *st, const char *mode, cases_answer *a)
{
	const cases_config *cfg = cases_config_get();
	portal_script_call c;

	portal_call_init(&c);
	portal_call_arg(&c, "mode", mode);
	portal_call_num(&c, "retention", cfg->retention_seconds);
	portal_call_num(&c, "period", cfg->rewrite_seconds);
	return run(st, CASES_SCRIPT_HOUSEKEEPING, &c, a);
}

/* The published report's key into key[len]. */
static void report_key(portal_store *st, char *key, size_t len)
{
	snprintf(key, len, "%s" CASES_REPORT_KEY, portal_store_prefix(st));
}

int cases_store_report_get(portal_store *st, json_t **report)
{
	char key[256];
	redisReply *r;
	int rc = -1;

	*report = NULL;
	report_key(st, key, sizeof(key));
	r = portal_store_command(st, "GET %s", key);
	if (r && r->type == REDIS_REPLY_STRING) {
		*report = json_loadb(r->str, r->len, 0, NULL);
		rc = 0;
	} else if (r && r->type == REDIS_REPLY_NIL)
		rc = 0;
	if (r)
		freeReplyObject(r);
	return rc;
}

int cases_store_report_put(portal_store *st, const char *json)
{
	char key[256];
	redisReply *r;
	int rc;

	report_key(st, key, sizeof(key));
	r = portal_store_command(st, "SET %s %s", key, json);
	rc = r && r->type != REDIS_REPLY_ERROR ? 0 : -1;
	if (r)
		freeReplyObject(r);
	return rc;
}

int cases_store_housekeeping(portal_store *st, const portal_config *config)
{
	const cases_config *cfg = cases_config_get();
	cases_answer a, retry;
	redisReply *r;

	(void)config;
	if (housekeeping_run(st, "check", &a) != PORTAL_RUN_OK || !cases_answer_ok(&a)) {
		portal_log(PORTAL_LOG_ERROR, "cases retention run failed", json_pack("{s:s}", "cause", a.cause));
		cases_answer_free(&a);
		return cfg->housekeeping_seconds;
	}
	if (portal_json_num(a.data, "erased") > 0)
		portal_log(PORTAL_LOG_INFO, "closed cases erased after the retention period",
		           json_pack("{s:I}", "cases", (json_int_t)portal_json_num(a.data, "erased")));
	if (portal_json_num(a.data, "rewrite") == 1) {
		/* the erased values stay in the append-only file until Redis rewrites it */
		r = portal_store_command(st, "BGREWRITEAOF");
		if (r == NULL || r->type == REDIS_REPLY_ERROR) {
			portal_log(PORTAL_LOG_ERROR, "aof rewrite after case erasure refused: erased values stay on disk until it works",
			           json_pack("{s:s}", "fix", "grant the portal's Redis user +bgrewriteaof (deploy/redis/users.acl)"));
			housekeeping_run(st, "retry", &retry);
			cases_answer_free(&retry);
		}
		if (r)
			freeReplyObject(r);
	}
	cases_answer_free(&a);
	trends_intake(st);
	return cfg->housekeeping_seconds;
}
