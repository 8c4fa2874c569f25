/* store.c - the directory's only caller of Redis (see directory.h for the
 * keys).  Each function runs one of the lua/ scripts with portal_store_run()
 * or one plain read, and hands back a code: it never answers a request.
 * Every script's KEYS[1] is the base key "<prefix>dir:{dir}"; ARGV are
 * name/value pairs (common/script.h); a batch travels as one JSON array.
 */
#include "directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "session.h"

/* The scripts' sources, made at build time from lua/NAME.lua (lua/lib.lua
 * before each) by portal-embed --lua. */
extern const char directory_lua_apply[], directory_lua_search[], directory_lua_put[];

const portal_script directory_scripts[DIRECTORY_SCRIPT_COUNT] = {
	[DIRECTORY_SCRIPT_APPLY]  = { "directory_apply", directory_lua_apply, PORTAL_SCRIPT_WRITES },
	/* its temporary keys are gone when it returns: a read, no WAIT */
	[DIRECTORY_SCRIPT_SEARCH] = { "directory_search", directory_lua_search, PORTAL_SCRIPT_READ_ONLY },
	[DIRECTORY_SCRIPT_PUT]    = { "directory_put", directory_lua_put, PORTAL_SCRIPT_WRITES },
};

/* The base key "<prefix>dir:{dir}" into out. */
static void directory_base_key(portal_store *st, char *out, size_t len)
{
	snprintf(out, len, "%sdir:{dir}", portal_store_prefix(st));
}

/* Run `script` with the base key and c's pairs into *out.  Returns out->rc. */
static portal_run_rc directory_run(portal_store *st, int script, const portal_script_call *c,
                                   portal_run_result *out)
{
	char base[160];

	directory_base_key(st, base, sizeof(base));
	return portal_call_run(st, (size_t)script, base, c, out);
}

/* Append to `rows` a new array of the strings s[0..n) (NULL as ""). */
static void directory_row(json_t *rows, const char *const *s, size_t n)
{
	json_t *row = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(row, json_string(s[i] ? s[i] : ""));
	json_array_append_new(rows, row);
}

/* `v` (a stored record) as compact JSON text (new string, or NULL). */
static char *directory_text(const json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* The time of date-or-time string field `name` of `svc` as decimal text
 * into out (0 when absent or unreadable). */
static void directory_time_text(const json_t *svc, const char *name, int is_date, char *out, size_t len)
{
	const char *s = json_string_value(json_object_get(svc, name));
	time_t t = 0;

	if (s == NULL || (is_date ? portal_date_parse(s, &t) : portal_time_parse(s, &t)) < 0)
		t = 0;
	snprintf(out, len, "%lld", (long long)t);
}

/* Append one service row [id, json, facets, index, name_score, verified,
 * modified] to rows.  Returns 0, or -1 when its index is too large or
 * memory ran out. */
static int directory_service_row(json_t *rows, const json_t *svc)
{
	portal_buf fac, ix;
	char score[32], verified[32], modified[32], *text = directory_text(svc);
	const char *row[7];
	int rc = -1;

	portal_buf_init(&fac, 0);
	portal_buf_init(&ix, 0);
	if (text == NULL || directory_service_index(svc, &fac, &ix) < 0)
		goto done;
	snprintf(score, sizeof(score), "%.0f", directory_name_score(json_string_value(json_object_get(svc, "name"))));
	directory_time_text(svc, "last_verified", 1, verified, sizeof(verified));
	directory_time_text(svc, "updated_at", 0, modified, sizeof(modified));
	row[0] = json_string_value(json_object_get(svc, "id"));
	row[1] = text;
	row[2] = fac.data;
	row[3] = ix.data;
	row[4] = score;
	row[5] = verified;
	row[6] = modified;
	directory_row(rows, row, 7);
	rc = 0;
done:
	free(text);
	portal_buf_free(&fac);
	portal_buf_free(&ix);
	return rc;
}

/* The organisations and services as the two JSON texts apply.lua reads
 * (new strings in *orgs_text, *svcs_text).  Returns 0 or -1. */
static int directory_apply_rows(const json_t *orgs, const json_t *services, char **orgs_text, char **svcs_text)
{
	json_t *orows = json_array(), *srows = json_array();
	const json_t *item;
	size_t i;
	int rc = -1;

	*orgs_text = *svcs_text = NULL;
	json_array_foreach(orgs, i, item) {
		char *text = directory_text(item);
		const char *row[3] = { json_string_value(json_object_get(item, "id")), text,
		                       json_string_value(json_object_get(item, "name")) };
		if (text == NULL)
			goto done;
		directory_row(orows, row, 3);
		free(text);
	}
	json_array_foreach(services, i, item)
		if (directory_service_row(srows, item) < 0)
			goto done;
	*orgs_text = json_dumps(orows, JSON_COMPACT);
	*svcs_text = json_dumps(srows, JSON_COMPACT);
	rc = *orgs_text && *svcs_text ? 0 : -1;
done:
	json_decref(orows);
	json_decref(srows);
	return rc;
}

/* directory_store_apply, and with `data_version` (not "") the stored data's
 * version set by the same call. */
static int directory_apply_call(portal_store *st, const json_t *change, int expect_pending,
                                const json_t *orgs, const json_t *services, const char *data_version,
                                char *code, size_t codelen)
{
	portal_script_call c;
	portal_run_result res;
	char *orgs_text = NULL, *svcs_text = NULL, *change_text = NULL;
	int rc = DIRECTORY_STORE_FAILED;

	memset(&res, 0, sizeof(res));
	snprintf(code, codelen, "out of memory or an index too large");
	if (directory_apply_rows(orgs, services, &orgs_text, &svcs_text) < 0 ||
	    (change && (change_text = directory_text(change)) == NULL))
		goto done;
	portal_call_init(&c);
	portal_call_args(&c, "change_id", change ? json_string_value(json_object_get(change, "id")) : "",
	                 "change", change_text,
	                 "change_status", change ? json_string_value(json_object_get(change, "status")) : "",
	                 "expect_pending", expect_pending ? "1" : "0", "organisations", orgs_text,
	                 "services", svcs_text, "data_version", data_version, NULL);
	portal_call_num(&c, "now", (long long)time(NULL));
	portal_call_num(&c, "unverified_after", DIRECTORY_VERIFY_DUE_SECONDS);
	directory_run(st, DIRECTORY_SCRIPT_APPLY, &c, &res);
	if (res.rc != PORTAL_RUN_OK)
		snprintf(code, codelen, "%s", res.rc == PORTAL_RUN_UNAVAILABLE ? "store unavailable" : res.cause);
	else {
		snprintf(code, codelen, "%s", res.status);
		rc = portal_run_ok(&res) ? DIRECTORY_STORE_OK : DIRECTORY_STORE_REFUSED;
	}
done:
	portal_run_result_free(&res);
	free(orgs_text);
	free(svcs_text);
	free(change_text);
	return rc;
}

int directory_store_apply(portal_store *st, const json_t *change, int expect_pending,
                          const json_t *orgs, const json_t *services, char *code, size_t codelen)
{
	return directory_apply_call(st, change, expect_pending, orgs, services, "", code, codelen);
}

int directory_store_reindex(portal_store *st, const json_t *services, int data_version, char *code, size_t codelen)
{
	char v[16] = "";

	if (data_version > 0)
		snprintf(v, sizeof(v), "%d", data_version);
	return directory_apply_call(st, NULL, 0, NULL, services, v, code, codelen);
}

/* Plain command `cmd` ("GET", "HLEN") on key BASE:suffix read as a number
 * into *n (`dflt` when the key is absent).  Returns 0, or -1. */
static int directory_store_number(portal_store *st, const char *cmd, const char *suffix, long long dflt, long long *n)
{
	char base[160];
	redisReply *r;
	int rc = -1;

	directory_base_key(st, base, sizeof(base));
	r = portal_store_command(st, "%s %s:%s", cmd, base, suffix);
	if (r && (r->type == REDIS_REPLY_INTEGER || r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_NIL)) {
		*n = r->type == REDIS_REPLY_INTEGER ? r->integer
		   : r->type == REDIS_REPLY_STRING ? strtoll(r->str, NULL, 10) : dflt;
		rc = 0;
	}
	if (r)
		freeReplyObject(r);
	return rc;
}

int directory_store_data_version(portal_store *st, long long *version)
{
	return directory_store_number(st, "GET", "dv", 1, version);
}

/* Append to `groups` the facet groups of q (each a new array of key
 * suffixes): the organisation, then each chosen facet (a London-wide
 * service serves every borough). */
static void directory_query_groups(const directory_query *q, json_t *groups)
{
	char key[128];
	size_t f, i;

	if (q->organisation_id[0]) {
		snprintf(key, sizeof(key), "f:org:%s", q->organisation_id);
		json_array_append_new(groups, json_pack("[s]", key));
	}
	for (f = 0; f < DIRECTORY_FACET_COUNT; f++) {
		json_t *group;
		int wide = f == DIRECTORY_FACET_BOROUGH;

		if (q->nvalues[f] == 0)
			continue;
		group = json_array();
		for (i = 0; i < q->nvalues[f]; i++) {
			snprintf(key, sizeof(key), "f:%s:%s", directory_facets[f].param, q->values[f][i]);
			json_array_append_new(group, json_string(key));
			if (strcmp(q->values[f][i], "london-wide") == 0)
				wide = 0;
		}
		if (wide)
			json_array_append_new(group, json_string("f:borough:london-wide"));
		json_array_append_new(groups, group);
	}
}

portal_run_rc directory_store_search_run(portal_store *st, const directory_query *q, time_t now,
                                        portal_run_result *res)
{
	json_t *groups = json_array(), *words = json_array(), *comms = json_array();
	char tmp[33], open[32] = "", after[32] = "", *groups_text, *words_text, *comms_text;
	portal_buf facets;
	struct tm lt;
	size_t i;

	memset(res, 0, sizeof(*res));
	res->status = "";
	res->rc = PORTAL_RUN_BROKEN;
	snprintf(res->cause, sizeof(res->cause), "out of memory");
	portal_buf_init(&facets, 0);
	directory_query_groups(q, groups);
	for (i = 0; i < q->nwords; i++)
		json_array_append_new(words, json_string(q->words[i]));
	for (i = 0; i < q->nvalues[DIRECTORY_FACET_COMMUNITY]; i++)
		json_array_append_new(comms, json_string(q->values[DIRECTORY_FACET_COMMUNITY][i]));
	for (i = 0; i < DIRECTORY_FACET_COUNT; i++)
		portal_buf_printf(&facets, "%s%s", i ? " " : "", directory_facets[i].param);
	groups_text = json_dumps(groups, JSON_COMPACT);
	words_text = json_dumps(words, JSON_COMPACT);
	comms_text = json_dumps(comms, JSON_COMPACT);
	if (q->open_now && localtime_r(&now, &lt))
		snprintf(open, sizeof(open), "o:%d:%d", (lt.tm_wday + 6) % 7, (lt.tm_hour * 60 + lt.tm_min) / 30);
	if (q->modified_after > 0)
		snprintf(after, sizeof(after), "%lld", q->modified_after);
	if (groups_text && words_text && comms_text && !facets.overflow && portal_random_hex(tmp, 16) == 0) {
		portal_script_call c;

		portal_call_init(&c);
		portal_call_args(&c, "tmp", tmp, "sort", q->sort_name ? "name" : "relevance", NULL);
		portal_call_num(&c, "offset", (q->page - 1) * q->per_page);
		portal_call_num(&c, "count", q->per_page);
		portal_call_args(&c, "groups", groups_text, "words", words_text, "open", open,
		                 "modified_after", after, "communities", comms_text, "facets", facets.data, NULL);
		portal_call_num(&c, "now", (long long)now);
		portal_call_num(&c, "due", DIRECTORY_VERIFY_DUE_SECONDS);
		directory_run(st, DIRECTORY_SCRIPT_SEARCH, &c, res);
	}
	portal_buf_free(&facets);
	json_decref(groups);
	json_decref(words);
	json_decref(comms);
	free(groups_text);
	free(words_text);
	free(comms_text);
	return res->rc;
}

int directory_store_search(portal_store *st, const directory_query *q, time_t now, json_t **result)
{
	portal_run_result res;
	portal_buf text;

	*result = NULL;
	portal_buf_init(&text, 0);
	if (directory_store_search_run(st, q, now, &res) == PORTAL_RUN_OK && portal_run_ok(&res) &&
	    directory_search_text(&res, q->page, q->per_page, &text) == 0)
		*result = json_loadb(text.data, text.len, 0, NULL);
	portal_run_result_free(&res);
	portal_buf_free(&text);
	return *result ? 0 : -1;
}

int directory_store_get(portal_store *st, const char *hash, const char *id, json_t **out)
{
	char base[160];
	redisReply *r;
	int rc;

	*out = NULL;
	directory_base_key(st, base, sizeof(base));
	r = portal_store_command(st, "HGET %s:%s %s", base, hash, id);
	if (r == NULL)
		return -1;
	if (r->type == REDIS_REPLY_STRING) {
		*out = json_loadb(r->str, r->len, 0, NULL);
		rc = *out ? 1 : -1;
	} else
		rc = r->type == REDIS_REPLY_NIL ? 0 : -1;
	freeReplyObject(r);
	return rc;
}

/* Patch organisation.name of service s from `name` (may be ""). */
static void directory_set_org_name(json_t *s, const char *name)
{
	json_t *org = json_object_get(s, "organisation");

	if (json_is_object(org))
		json_object_set_new(org, "name", json_string(name ? name : ""));
}

int directory_store_service(portal_store *st, const char *id, json_t **out)
{
	char base[160];
	redisReply *r;
	const char *oid;
	int rc = directory_store_get(st, "svc", id, out);

	if (rc != 1)
		return rc;
	oid = json_string_value(json_object_get(json_object_get(*out, "organisation"), "id"));
	directory_base_key(st, base, sizeof(base));
	r = portal_store_command(st, "HGET %s:orgname %s", base, oid ? oid : "");
	if (r == NULL || (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_NIL)) {
		if (r)
			freeReplyObject(r);
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	directory_set_org_name(*out, r->type == REDIS_REPLY_STRING ? r->str : "");
	freeReplyObject(r);
	return 1;
}

int directory_store_all(portal_store *st, const char *hash, json_t **out)
{
	char base[160];
	redisReply *r;
	size_t i;

	*out = NULL;
	directory_base_key(st, base, sizeof(base));
	r = portal_store_command(st, "HGETALL %s:%s", base, hash);
	if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
		if (r)
			freeReplyObject(r);
		return -1;
	}
	*out = json_object();
	for (i = 0; i + 1 < r->elements; i += 2) {
		const redisReply *k = r->element[i], *v = r->element[i + 1];
		json_t *value;
		/* a hash answers bulk strings; anything else is skipped, not read */
		if (k->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING)
			continue;
		if ((value = json_loadb(v->str, v->len, JSON_DECODE_ANY, NULL)) == NULL)
			value = json_stringn(v->str, v->len);
		json_object_set_new(*out, k->str, value);
	}
	freeReplyObject(r);
	return 0;
}

int directory_store_put(portal_store *st, const char *hash, const char *list,
                        const char *id, const json_t *value)
{
	portal_script_call c;
	portal_run_result res;
	char *text = directory_text(value);
	int rc = -1;

	if (text == NULL)
		return -1;
	portal_call_init(&c);
	portal_call_args(&c, "hash", hash, "list", list, "id", id, "value", text, NULL);
	portal_call_num(&c, "now", (long long)time(NULL));
	if (directory_run(st, DIRECTORY_SCRIPT_PUT, &c, &res) == PORTAL_RUN_OK && portal_run_ok(&res))
		rc = 0;
	portal_run_result_free(&res);
	free(text);
	return rc;
}

int directory_store_org_count(portal_store *st, long long *n)
{
	return directory_store_number(st, "HLEN", "org", 0, n);
}

int directory_store_due(portal_store *st, time_t before, json_t **ids)
{
	char base[160];
	redisReply *r;
	size_t i;

	*ids = NULL;
	directory_base_key(st, base, sizeof(base));
	r = portal_store_command(st, "ZRANGEBYSCORE %s:verified -inf %lld LIMIT 0 %d", base, (long long)before,
	                         DIRECTORY_DUE_MAX);
	if (r && r->type == REDIS_REPLY_ARRAY) {
		*ids = json_array();
		for (i = 0; i < r->elements; i++)
			if (r->element[i]->type == REDIS_REPLY_STRING)
				json_array_append_new(*ids, json_stringn(r->element[i]->str, r->element[i]->len));
	}
	if (r)
		freeReplyObject(r);
	return *ids ? 0 : -1;
}

json_t *directory_store_org_services(portal_store *st, const char *org_id)
{
	directory_query q;
	json_t *result = NULL, *items;

	memset(&q, 0, sizeof(q));
	q.sort_name = 1;
	q.page = 1;
	q.per_page = 100;
	snprintf(q.organisation_id, sizeof(q.organisation_id), "%s", org_id);
	if (directory_store_search(st, &q, time(NULL), &result) < 0)
		return NULL;
	items = json_incref(json_object_get(result, "items"));
	json_decref(result);
	return items;
}
