/* notices.c - each person's notifications, e-mail choices and the dead
 * letters, read and written for the pages (see notices.h). */
#include "notices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void portal_notices_key(const portal_store *st, const char *uid, const char *part, char *out, size_t len)
{
	snprintf(out, len, "%snotices:{%s}:%s", portal_store_prefix(st), uid, part);
}

void portal_notices_shared_key(const portal_store *st, const char *part, char *out, size_t len)
{
	snprintf(out, len, "%snotify:{notify}:%s", portal_store_prefix(st), part);
}

int portal_words_have(const char *list, const char *word)
{
	size_t wl = strlen(word), len;
	const char *p = list;

	while (p && *p) {
		len = strcspn(p, " ");
		if (len == wl && wl > 0 && memcmp(p, word, wl) == 0)
			return 1;
		p += len;
		p += *p == ' ';
	}
	return 0;
}

int portal_notice_id_ok(const char *id)
{
	size_t i, mod, len = id ? strlen(id) : 0;
	const char *dash;

	if (len == 0 || len >= PORTAL_NOTICE_ID_MAX)
		return 0;
	mod = strcspn(id, "-");
	for (i = 0; i < mod; i++)
		if (id[i] < 'a' || id[i] > 'z')
			return 0;
	if (mod == 0 || id[mod] != '-')
		return 0;
	dash = strchr(id + mod + 1, '-');
	if (dash == NULL || dash == id + mod + 1 || dash[1] == '\0')
		return 0;
	for (i = mod + 1; id[i]; i++)
		if ((id[i] < '0' || id[i] > '9') && id + i != dash)
			return 0;
	return 1;
}

/* A reply's integer, or -1. */
static long long reply_int(const redisReply *r)
{
	return r && r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
}

/* Run "CMD KEY [a [b]]" and give its integer reply, or -1. */
static long long command_int(portal_store *st, const char *cmd, const char *key, const char *a, const char *b)
{
	const char *argv[] = { cmd, key, a, b };
	redisReply *r = portal_store_command_argv(st, 2 + (a != NULL) + (a && b), argv, NULL);
	long long n = reply_int(r);

	if (r)
		freeReplyObject(r);
	return n;
}

long long portal_notices_unread(portal_store *st, const char *uid)
{
	char key[256];

	portal_notices_key(st, uid, "unread", key, sizeof(key));
	return command_int(st, "SCARD", key, NULL, NULL);
}

/* 1 when string reply `id` is a member of set reply `set`. */
static int in_set(const redisReply *set, const redisReply *id)
{
	size_t i;

	for (i = 0; set && set->type == REDIS_REPLY_ARRAY && i < set->elements; i++)
		if (set->element[i]->type == REDIS_REPLY_STRING && set->element[i]->len == id->len &&
		    memcmp(set->element[i]->str, id->str, id->len) == 0)
			return 1;
	return 0;
}

/* The items of the ids `ids` (HMGET of the items hash), each with "read"
 * from the unread set, into a new array; NULL when the store failed. */
static json_t *notices_items(portal_store *st, const char *uid, const redisReply *ids, const redisReply *unread)
{
	const char **argv = calloc(ids->elements + 2, sizeof(*argv));
	char key[256];
	json_t *items = NULL;
	redisReply *r = NULL;
	size_t i;

	if (argv == NULL)
		return NULL;
	portal_notices_key(st, uid, "items", key, sizeof(key));
	argv[0] = "HMGET", argv[1] = key;
	for (i = 0; i < ids->elements; i++)
		argv[i + 2] = ids->element[i]->type == REDIS_REPLY_STRING ? ids->element[i]->str : "";
	r = ids->elements ? portal_store_command_argv(st, (int)ids->elements + 2, argv, NULL) : NULL;
	free(argv);
	if (ids->elements && (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != ids->elements))
		goto done;
	items = json_array();
	for (i = 0; items && i < ids->elements; i++) {
		json_t *item = r->element[i]->type == REDIS_REPLY_STRING
		               ? json_loadb(r->element[i]->str, r->element[i]->len, 0, NULL) : NULL;
		if (!json_is_object(item)) {
			json_decref(item);  /* gone between the two reads, or not ours */
			continue;
		}
		json_object_set_new(item, "read", json_boolean(!in_set(unread, ids->element[i])));
		json_array_append_new(items, item);
	}
done:
	if (r)
		freeReplyObject(r);
	return items;
}

int portal_notices_list(portal_store *st, const char *uid, long long page, long long per_page,
                        json_t **items, long long *total, long long *unread)
{
	char order[256], unread_key[256], start[24], stop[24];
	const char *zrange[] = { "ZREVRANGE", order, start, stop };
	const char *zcard[] = { "ZCARD", order };
	const char *smembers[] = { "SMEMBERS", unread_key };
	const char **argv[] = { zrange, zcard, smembers };
	const int argc[] = { 4, 2, 2 };
	redisReply *r[3] = { NULL, NULL, NULL };
	int i, rc = -1;

	*items = NULL;
	portal_notices_key(st, uid, "order", order, sizeof(order));
	portal_notices_key(st, uid, "unread", unread_key, sizeof(unread_key));
	snprintf(start, sizeof(start), "%lld", (page - 1) * per_page);
	snprintf(stop, sizeof(stop), "%lld", page * per_page - 1);
	if (page < 1 || per_page < 1 || portal_store_pipeline(st, 3, argc, argv, r) < 0)
		return -1;
	if (r[0]->type == REDIS_REPLY_ARRAY && r[1]->type == REDIS_REPLY_INTEGER && r[2]->type == REDIS_REPLY_ARRAY) {
		*total = r[1]->integer;
		*unread = (long long)r[2]->elements;
		*items = notices_items(st, uid, r[0], r[2]);
		rc = *items ? 0 : -1;
	}
	for (i = 0; i < 3; i++)
		freeReplyObject(r[i]);
	return rc;
}

int portal_notices_mark_read(portal_store *st, const char *uid, const char *id)
{
	char items[256], unread[256];
	const char *hexists[] = { "HEXISTS", items, id };
	const char *srem[] = { "SREM", unread, id };
	const char **argv[] = { hexists, srem };
	const int argc[] = { 3, 3 };
	redisReply *r[2] = { NULL, NULL };
	int rc;

	portal_notices_key(st, uid, "items", items, sizeof(items));
	portal_notices_key(st, uid, "unread", unread, sizeof(unread));
	if (portal_store_pipeline(st, 2, argc, argv, r) < 0)
		return -1;
	rc = reply_int(r[0]) < 0 || reply_int(r[1]) < 0 ? -1 : reply_int(r[0]) == 1;
	freeReplyObject(r[0]);
	freeReplyObject(r[1]);
	return rc;
}

int portal_notices_mark_all_read(portal_store *st, const char *uid)
{
	char key[256];

	portal_notices_key(st, uid, "unread", key, sizeof(key));
	return command_int(st, "DEL", key, NULL, NULL) < 0 ? -1 : 0;
}

int portal_notices_kinds(portal_store *st, json_t **kinds)
{
	char key[256];
	redisReply *r;
	int rc = -1;

	*kinds = NULL;
	portal_notices_shared_key(st, "kinds", key, sizeof(key));
	if ((r = portal_store_command(st, "GET %s", key)) == NULL)
		return -1;
	if (r->type == REDIS_REPLY_NIL)
		rc = 0;
	else if (r->type == REDIS_REPLY_STRING && (*kinds = json_loadb(r->str, r->len, 0, NULL)) != NULL &&
	         json_is_array(*kinds))
		rc = 1;
	else {
		json_decref(*kinds);
		*kinds = NULL;
		rc = r->type == REDIS_REPLY_STRING ? 0 : -1;  /* unreadable: as if not written */
	}
	freeReplyObject(r);
	return rc;
}

int portal_notices_email_off(portal_store *st, const char *uid, char *out, size_t len)
{
	char key[256];
	redisReply *r;
	int rc = 0;

	out[0] = '\0';
	portal_notices_shared_key(st, "email-off", key, sizeof(key));
	if ((r = portal_store_command(st, "HGET %s %s", key, uid)) == NULL)
		return -1;
	if (r->type == REDIS_REPLY_STRING)
		snprintf(out, len, "%s", r->str);
	else if (r->type != REDIS_REPLY_NIL)
		rc = -1;
	freeReplyObject(r);
	return rc;
}

int portal_notices_set_email_off(portal_store *st, const char *uid, const char *kinds)
{
	char key[256];

	portal_notices_shared_key(st, "email-off", key, sizeof(key));
	return (kinds[0] ? command_int(st, "HSET", key, uid, kinds) : command_int(st, "HDEL", key, uid, NULL)) < 0 ? -1 : 0;
}

int portal_notices_dead_letters(portal_store *st, long long page, long long per_page, json_t **items,
                                long long *total)
{
	char key[256], start[24], stop[24];
	const char *lrange[] = { "LRANGE", key, start, stop };
	const char *llen[] = { "LLEN", key };
	const char **argv[] = { lrange, llen };
	const int argc[] = { 4, 2 };
	redisReply *r[2] = { NULL, NULL };
	size_t i;
	int rc = -1;

	*items = NULL;
	portal_notices_shared_key(st, "dead", key, sizeof(key));
	snprintf(start, sizeof(start), "%lld", (page - 1) * per_page);
	snprintf(stop, sizeof(stop), "%lld", page * per_page - 1);
	if (page < 1 || per_page < 1 || portal_store_pipeline(st, 2, argc, argv, r) < 0)
		return -1;
	if (r[0]->type == REDIS_REPLY_ARRAY && r[1]->type == REDIS_REPLY_INTEGER && (*items = json_array()) != NULL) {
		*total = r[1]->integer;
		for (i = 0; i < r[0]->elements; i++) {
			json_t *d = r[0]->element[i]->type == REDIS_REPLY_STRING
			            ? json_loadb(r[0]->element[i]->str, r[0]->element[i]->len, 0, NULL) : NULL;
			if (json_is_object(d))
				json_array_append(*items, d);
			json_decref(d);
		}
		rc = 0;
	}
	freeReplyObject(r[0]);
	freeReplyObject(r[1]);
	return rc;
}
