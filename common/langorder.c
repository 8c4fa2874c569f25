/* langorder.c - the order every language list follows (see langorder.h). */
#include "langorder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonget.h"
#include "log.h"
#include "reference.h"

static void order_key(portal_store *st, char *key, size_t len)
{
	snprintf(key, len, "%s{portal}:language-order", portal_store_prefix(st));
}

/* The stored first block, or the default one (new reference). */
static json_t *order_first(portal_store *st)
{
	char key[256];
	redisReply *r;
	json_t *first = NULL, *kept, *v;
	size_t i;

	order_key(st, key, sizeof(key));
	r = portal_store_command(st, "GET %s", key);
	if (r && r->type == REDIS_REPLY_STRING)
		first = json_loadb(r->str, r->len, 0, NULL);
	else if (r == NULL || r->type == REDIS_REPLY_ERROR)
		portal_log(PORTAL_LOG_WARN, "language order not read: the default order is shown", NULL);
	if (r)
		freeReplyObject(r);
	kept = json_array();
	if (json_is_array(first)) {
		json_array_foreach(first, i, v)      /* a code no longer offered is passed over */
			if (json_is_string(v) && portal_language_find(json_string_value(v)) != NULL)
				json_array_append(kept, v);
	} else {
		for (i = 0; i < portal_languages_first_count; i++)
			json_array_append_new(kept, json_string(portal_languages_first[i]));
	}
	json_decref(first);
	return kept;
}

static int by_english_name(const void *x, const void *y)
{
	return strcmp((*(const portal_language *const *)x)->name, (*(const portal_language *const *)y)->name);
}

json_t *portal_language_order(portal_store *st, size_t *nfirst)
{
	const portal_language *rest[512];
	size_t n = portal_languages_count < 512 ? portal_languages_count : 512, i, k;
	json_t *first = order_first(st), *order = json_array(), *v;

	json_array_extend(order, first);
	if (nfirst)
		*nfirst = json_array_size(first);
	for (i = 0; i < n; i++)
		rest[i] = &portal_languages[i];
	qsort(rest, n, sizeof(rest[0]), by_english_name);
	for (i = 0; i < n; i++) {
		int seen = 0;
		json_array_foreach(first, k, v)
			seen |= strcmp(json_string_value(v), rest[i]->code) == 0;
		if (!seen)
			json_array_append_new(order, json_string(rest[i]->code));
	}
	json_decref(first);
	return order;
}

int portal_language_order_save(portal_store *st, const json_t *first, int only_if_unset)
{
	char key[256], *text = json_dumps(first, JSON_COMPACT);
	redisReply *r;
	int rc;

	if (text == NULL)
		return -1;
	order_key(st, key, sizeof(key));
	r = only_if_unset ? portal_store_command(st, "SET %s %s NX", key, text)
	                  : portal_store_command(st, "SET %s %s", key, text);
	free(text);
	rc = r && r->type != REDIS_REPLY_ERROR ? 0 : -1;
	if (r)
		freeReplyObject(r);
	return rc;
}

/* The codes of `chosen` as a list (new reference): an array as it is, a
 * string split at commas ("sq, ro" as the API or an older form sends it). */
static json_t *chosen_list(const json_t *chosen)
{
	const char *s = json_string_value(chosen), *end;
	json_t *out;

	if (s == NULL)
		return json_is_array(chosen) ? json_incref((json_t *)chosen) : json_array();
	out = json_array();
	for (; *s; s = *end ? end + 1 : end) {
		const char *a = s, *b;
		end = strchr(s, ',');
		if (end == NULL)
			end = s + strlen(s);
		for (b = end; a < b && (*a == ' ' || *a == '\t'); a++)
			;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (b > a)
			json_array_append_new(out, json_stringn(a, (size_t)(b - a)));
	}
	return out;
}

json_t *portal_language_picker(portal_store *st, const json_t *chosen_in, const char *legend, const char *hint)
{
	size_t i, nfirst = 0;
	json_t *order = portal_language_order(st, &nfirst), *first = json_array(), *more = json_array(), *v;
	json_t *chosen = chosen_list(chosen_in);
	int more_open = 0;

	json_array_foreach(order, i, v) {
		const portal_language *l = portal_language_find(json_string_value(v));
		int checked = portal_json_list_has(chosen, l->code);
		json_t *o = json_pack("{s:s, s:s, s:b, s:s++}", "code", l->code, "name", l->name, "checked", checked,
		                      "id", "languages", i ? "-" : "", i ? l->code : "");
		if (l->own_name)
			json_object_set_new(o, "own_name", json_string(l->own_name));
		json_array_append_new(i < nfirst ? first : more, o);
		more_open |= i >= nfirst && checked;
	}
	json_decref(order);
	json_decref(chosen);
	return json_pack("{s:s, s:s, s:o, s:o, s:b}", "legend", legend, "hint", hint, "first", first, "more", more,
	                 "more_open", more_open);
}
