/* dirstore.c - the directory's data in Redis (see dirstore.h). */
#include "dirstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "session.h"

const char *directory_base(portal_store *st, char *out, size_t len)
{
	snprintf(out, len, "%sdir:{dir}:", portal_store_prefix(st));
	return out;
}

/* A growable argv of owned strings. */
typedef struct directory_argv {
	char  **v;
	size_t  n, alloc;
	int     failed;
} directory_argv;

/* Append a copy of s. */
static void directory_argv_add(directory_argv *a, const char *s)
{
	if (a->failed)
		return;
	if (a->n == a->alloc) {
		size_t na = a->alloc ? a->alloc * 2 : 64;
		char **nv = realloc(a->v, na * sizeof(*nv));
		if (nv == NULL) {
			a->failed = 1;
			return;
		}
		a->v = nv;
		a->alloc = na;
	}
	if ((a->v[a->n] = strdup(s ? s : "")) == NULL) {
		a->failed = 1;
		return;
	}
	a->n++;
}

/* Append the compact JSON of v (steals nothing). */
static void directory_argv_json(directory_argv *a, const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT);

	if (s == NULL) {
		a->failed = 1;
		return;
	}
	directory_argv_add(a, s);
	free(s);
}

/* Run script `index` with the argv joined by 0x1f as its one argument
 * (see scripts.c).  Returns the reply, or NULL. */
static redisReply *directory_eval(portal_store *st, size_t index, const directory_argv *a)
{
	portal_buf joined;
	redisReply *r = NULL;
	const char *arg[1];
	size_t i;

	portal_buf_init(&joined, 256u * 1024u * 1024u);
	for (i = 0; i < a->n; i++) {
		if (i)
			portal_buf_putc(&joined, '\x1f');
		portal_buf_puts(&joined, a->v[i]);
	}
	if (!joined.overflow) {
		arg[0] = joined.data ? joined.data : "";
		r = portal_store_eval(st, index, 0, NULL, 1, arg);
	}
	portal_buf_free(&joined);
	return r;
}

/* Free every string and the array. */
static void directory_argv_free(directory_argv *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

int directory_store_apply(portal_store *st, const json_t *change, int expect_pending,
                          const json_t *orgs, const json_t *services, char *err, size_t errlen)
{
	directory_argv a = { 0 };
	redisReply *r = NULL;
	char base[128], num[32];
	const json_t *item;
	portal_buf fac, ix;
	size_t i;
	int rc = -1;

	portal_buf_init(&fac, 0);
	portal_buf_init(&ix, 0);
	directory_argv_add(&a, directory_base(st, base, sizeof(base)));
	directory_argv_add(&a, change ? json_string_value(json_object_get(change, "id")) : "");
	if (change)
		directory_argv_json(&a, change);
	else
		directory_argv_add(&a, "");
	directory_argv_add(&a, change ? json_string_value(json_object_get(change, "status")) : "");
	directory_argv_add(&a, expect_pending ? "1" : "0");
	snprintf(num, sizeof(num), "%zu", json_array_size(orgs));
	directory_argv_add(&a, num);
	snprintf(num, sizeof(num), "%zu", json_array_size(services));
	directory_argv_add(&a, num);
	json_array_foreach(orgs, i, item) {
		directory_argv_add(&a, json_string_value(json_object_get(item, "id")));
		directory_argv_json(&a, item);
		directory_argv_add(&a, json_string_value(json_object_get(item, "name")));
	}
	json_array_foreach(services, i, item) {
		portal_buf_reset(&fac);
		portal_buf_reset(&ix);
		if (directory_service_index(item, &fac, &ix) < 0) {
			snprintf(err, errlen, "index too large");
			goto fail;
		}
		directory_argv_add(&a, json_string_value(json_object_get(item, "id")));
		directory_argv_json(&a, item);
		directory_argv_add(&a, fac.data ? fac.data : "");
		directory_argv_add(&a, ix.data ? ix.data : "");
		snprintf(num, sizeof(num), "%.0f", directory_name_score(json_string_value(json_object_get(item, "name"))));
		directory_argv_add(&a, num);
		{
			time_t t = 0;
			const char *lv = json_string_value(json_object_get(item, "last_verified"));
			if (lv == NULL || portal_date_parse(lv, &t) < 0)
				t = 0;
			snprintf(num, sizeof(num), "%lld", (long long)t);
			directory_argv_add(&a, num);
			lv = json_string_value(json_object_get(item, "updated_at"));
			if (lv == NULL || portal_time_parse(lv, &t) < 0)
				t = 0;
			snprintf(num, sizeof(num), "%lld", (long long)t);
			directory_argv_add(&a, num);
		}
	}
	if (a.failed) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	r = directory_eval(st, DIRECTORY_SCRIPT_APPLY, &a);
	if (r == NULL) {
		snprintf(err, errlen, "store unavailable");
		goto fail;
	}
	if (r->type == REDIS_REPLY_ERROR) {
		snprintf(err, errlen, "%s", r->str);
		rc = strstr(r->str, "not_pending") || strstr(r->str, "no_change") ? -2 : -1;
		goto fail;
	}
	rc = 0;
fail:
	if (r)
		freeReplyObject(r);
	directory_argv_free(&a);
	portal_buf_free(&fac);
	portal_buf_free(&ix);
	return rc;
}

/* Patch organisation.name of service s from `name` (may be ""). */
static void directory_set_org_name(json_t *s, const char *name)
{
	json_t *org = json_object_get(s, "organisation");

	if (json_is_object(org))
		json_object_set_new(org, "name", json_string(name ? name : ""));
}

int directory_store_search(portal_store *st, const directory_query *q, time_t now, json_t **result)
{
	directory_argv a = { 0 };
	redisReply *r = NULL, *el;
	char base[128], tmp[33], num[32], key[128];
	json_t *items = NULL, *facets = NULL;
	struct tm lt;
	size_t f, i, ng = 0;
	int rc = -1;

	*result = NULL;
	if (portal_random_hex(tmp, 16) < 0)
		return -1;
	directory_argv_add(&a, directory_base(st, base, sizeof(base)));
	directory_argv_add(&a, tmp);
	directory_argv_add(&a, q->sort_name ? "name" : "relevance");
	snprintf(num, sizeof(num), "%lld", (q->page - 1) * q->per_page);
	directory_argv_add(&a, num);
	snprintf(num, sizeof(num), "%lld", q->per_page);
	directory_argv_add(&a, num);
	for (f = 0; f < DIRECTORY_FACET_COUNT; f++)
		ng += q->nvalues[f] > 0;
	ng += q->organisation_id[0] != '\0';
	snprintf(num, sizeof(num), "%zu", ng);
	directory_argv_add(&a, num);
	snprintf(num, sizeof(num), "%zu", q->nwords);
	directory_argv_add(&a, num);
	if (q->open_now) {
		localtime_r(&now, &lt);
		snprintf(key, sizeof(key), "o:%d:%d", (lt.tm_wday + 6) % 7, (lt.tm_hour * 60 + lt.tm_min) / 30);
		directory_argv_add(&a, key);
	} else
		directory_argv_add(&a, "");
	if (q->modified_after > 0) {
		snprintf(num, sizeof(num), "%lld", (long long)q->modified_after);
		directory_argv_add(&a, num);
	} else
		directory_argv_add(&a, "");
	if (q->organisation_id[0]) {
		snprintf(key, sizeof(key), "f:org:%s", q->organisation_id);
		directory_argv_add(&a, "1");
		directory_argv_add(&a, key);
	}
	for (f = 0; f < DIRECTORY_FACET_COUNT; f++) {
		if (q->nvalues[f] == 0)
			continue;
		int wide = 0;
		/* a London-wide service serves every borough */
		if (f == DIRECTORY_FACET_BOROUGH) {
			wide = 1;
			for (i = 0; i < q->nvalues[f]; i++)
				if (strcmp(q->values[f][i], "london-wide") == 0)
					wide = 0;
		}
		snprintf(num, sizeof(num), "%zu", q->nvalues[f] + (size_t)wide);
		directory_argv_add(&a, num);
		for (i = 0; i < q->nvalues[f]; i++) {
			snprintf(key, sizeof(key), "f:%s:%s", directory_facets[f].param, q->values[f][i]);
			directory_argv_add(&a, key);
		}
		if (wide)
			directory_argv_add(&a, "f:borough:london-wide");
	}
	for (i = 0; i < q->nwords; i++)
		directory_argv_add(&a, q->words[i]);
	if (a.failed)
		goto fail;
	r = directory_eval(st, DIRECTORY_SCRIPT_SEARCH, &a);
	if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != 5)
		goto fail;
	items = json_array();
	for (i = 0; i < r->element[2]->elements && i < r->element[3]->elements; i++) {
		json_t *s;
		el = r->element[2]->element[i];
		if (el->type != REDIS_REPLY_STRING || (s = json_loadb(el->str, el->len, 0, NULL)) == NULL)
			continue;
		directory_set_org_name(s, r->element[3]->element[i]->type == REDIS_REPLY_STRING
		                              ? r->element[3]->element[i]->str : "");
		json_array_append_new(items, s);
	}
	facets = json_object();
	for (f = 0; f < DIRECTORY_FACET_COUNT; f++)
		json_object_set_new(facets, directory_facets[f].param, json_object());
	el = r->element[4];
	for (i = 0; i + 1 < el->elements; i += 2) {
		const char *pv = el->element[i]->str, *colon;
		if (el->element[i]->type != REDIS_REPLY_STRING || (colon = strchr(pv, ':')) == NULL)
			continue;
		snprintf(key, sizeof(key), "%.*s", (int)(colon - pv), pv);
		if (json_object_get(facets, key))
			json_object_set_new(json_object_get(facets, key), colon + 1,
			                    json_integer(el->element[i + 1]->integer));
	}
	*result = json_pack("{s:o, s:I, s:o}", "items", items, "total", (json_int_t)r->element[0]->integer,
	                    "facets", facets);
	items = facets = NULL;
	rc = *result ? 0 : -1;
fail:
	json_decref(items);
	json_decref(facets);
	if (r)
		freeReplyObject(r);
	directory_argv_free(&a);
	return rc;
}

int directory_store_get(portal_store *st, const char *hash, const char *id, json_t **out)
{
	char base[128];
	redisReply *r;
	int rc;

	*out = NULL;
	directory_base(st, base, sizeof(base));
	r = portal_store_command(st, "HGET %s%s %s", base, hash, id);
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

int directory_store_service(portal_store *st, const char *id, json_t **out)
{
	char base[128];
	redisReply *r;
	const char *oid;
	int rc = directory_store_get(st, "svc", id, out);

	if (rc != 1)
		return rc;
	oid = json_string_value(json_object_get(json_object_get(*out, "organisation"), "id"));
	directory_base(st, base, sizeof(base));
	r = portal_store_command(st, "HGET %sorgname %s", base, oid ? oid : "");
	if (r == NULL) {
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
	char base[128];
	redisReply *r;
	size_t i;

	*out = NULL;
	directory_base(st, base, sizeof(base));
	r = portal_store_command(st, "HGETALL %s%s", base, hash);
	if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
		if (r)
			freeReplyObject(r);
		return -1;
	}
	*out = json_object();
	for (i = 0; i + 1 < r->elements; i += 2) {
		json_t *v = json_loadb(r->element[i + 1]->str, r->element[i + 1]->len, JSON_DECODE_ANY, NULL);
		if (v == NULL)
			v = json_stringn(r->element[i + 1]->str, r->element[i + 1]->len);
		json_object_set_new(*out, r->element[i]->str, v);
	}
	freeReplyObject(r);
	return 0;
}

int directory_store_put(portal_store *st, const char *hash, const char *zset,
                        const char *id, const json_t *value)
{
	char base[128], *s = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
	redisReply *r;
	int rc = -1;

	if (s == NULL)
		return -1;
	directory_base(st, base, sizeof(base));
	{
		directory_argv a = { 0 };
		directory_argv_add(&a, base);
		directory_argv_add(&a, hash);
		directory_argv_add(&a, zset ? zset : "");
		directory_argv_add(&a, id);
		directory_argv_add(&a, s);
		r = a.failed ? NULL : directory_eval(st, DIRECTORY_SCRIPT_PUT, &a);
		directory_argv_free(&a);
	}
	if (r && r->type != REDIS_REPLY_ERROR)
		rc = 0;
	if (r)
		freeReplyObject(r);
	free(s);
	return rc;
}
