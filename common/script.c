/* script.c - portal_store_run(): the one way a module calls its scripts. */
#include "script.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN_ARGS_MAX 64  /* pairs in one call: a module's widest script has ~16 */

/* Check that reply element e is text (a bulk string or a status) or an
 * integer; returns 1 when so. */
static int run_element_ok(const redisReply *e)
{
	return e->type == REDIS_REPLY_STRING || e->type == REDIS_REPLY_STATUS ||
	       e->type == REDIS_REPLY_INTEGER;
}

/* Takes the reply r; checks the convention's shape (an array of an odd
 * number of text elements, the first non-empty).  Returns 0 or -1 with the
 * cause in out->cause. */
static int run_check_shape(const redisReply *r, portal_run_result *out)
{
	size_t i;

	if (r->type == REDIS_REPLY_ERROR) {
		snprintf(out->cause, sizeof(out->cause), "script error: %.150s", r->str);
		return -1;
	}
	if (r->type != REDIS_REPLY_ARRAY || r->elements == 0 || r->elements % 2 == 0) {
		snprintf(out->cause, sizeof(out->cause), "answer is not {status, name, value, ...}");
		return -1;
	}
	for (i = 0; i < r->elements; i++)
		if (!run_element_ok(r->element[i]) || (i % 2 == 0 && r->element[i]->type == REDIS_REPLY_INTEGER)) {
			snprintf(out->cause, sizeof(out->cause), "answer element %zu is not text", i);
			return -1;
		}
	if (r->element[0]->len == 0) {
		snprintf(out->cause, sizeof(out->cause), "answer has an empty status");
		return -1;
	}
	return 0;
}

portal_run_rc portal_store_run(portal_store *st, size_t index,
                               size_t nkeys, const char *const *keys,
                               size_t nargs, const portal_script_arg *args,
                               portal_run_result *out)
{
	const char *argv[2 * RUN_ARGS_MAX];
	size_t i;
	redisReply *r;

	memset(out, 0, sizeof(*out));
	out->status = "";
	if (nargs > RUN_ARGS_MAX || nkeys > 16) {
		snprintf(out->cause, sizeof(out->cause), "too many arguments (%zu)", nargs);
		return out->rc = PORTAL_RUN_BROKEN;
	}
	for (i = 0; i < nargs; i++) {
		argv[2 * i] = args[i].name;
		argv[2 * i + 1] = args[i].value ? args[i].value : "";
	}
	r = portal_store_eval(st, index, (int)nkeys, keys, (int)(2 * nargs), argv);
	if (r == NULL)
		return out->rc = PORTAL_RUN_UNAVAILABLE;
	out->reply = r;
	if (run_check_shape(r, out) < 0)
		return out->rc = PORTAL_RUN_BROKEN;
	out->status = r->element[0]->str;
	out->npairs = (r->elements - 1) / 2;
	return out->rc = PORTAL_RUN_OK;
}

void portal_call_init(portal_script_call *c)
{
	c->n = 0;
	c->overflow = 0;
}

void portal_call_arg(portal_script_call *c, const char *name, const char *value)
{
	if (c->n >= PORTAL_CALL_ARGS_MAX) {
		c->overflow = 1;
		return;
	}
	c->args[c->n].name = name;
	c->args[c->n].value = value ? value : "";
	c->n++;
}

void portal_call_args(portal_script_call *c, const char *name, ...)
{
	va_list ap;

	va_start(ap, name);
	for (; name != NULL; name = va_arg(ap, const char *))
		portal_call_arg(c, name, va_arg(ap, const char *));
	va_end(ap);
}

void portal_call_num(portal_script_call *c, const char *name, long long v)
{
	if (c->n >= PORTAL_CALL_ARGS_MAX) {
		c->overflow = 1;
		return;
	}
	snprintf(c->num[c->n], sizeof(c->num[c->n]), "%lld", v);
	portal_call_arg(c, name, c->num[c->n]);
}

void portal_call_range(portal_script_call *c, long long from, long long count)
{
	portal_call_num(c, "from", from);
	portal_call_num(c, "count", count);
}

portal_run_rc portal_call_run(portal_store *st, size_t index, const char *base_key,
                              const portal_script_call *c, portal_run_result *out)
{
	const char *keys[1] = { base_key };

	if (c->overflow) {
		memset(out, 0, sizeof(*out));
		out->status = "";
		snprintf(out->cause, sizeof(out->cause), "more than %d arguments", PORTAL_CALL_ARGS_MAX);
		return out->rc = PORTAL_RUN_BROKEN;
	}
	return portal_store_run(st, index, 1, keys, c->n, c->args, out);
}

int portal_run_ok(const portal_run_result *res)
{
	return res->rc == PORTAL_RUN_OK && strcmp(res->status, "ok") == 0;
}

int portal_run_pair(const portal_run_result *res, size_t i, const char **name,
                    const char **value, size_t *len)
{
	const redisReply *v;
	static const char empty[] = "";

	if (res->rc != PORTAL_RUN_OK || i >= res->npairs)
		return -1;
	*name = res->reply->element[1 + 2 * i]->str;
	v = res->reply->element[2 + 2 * i];
	/* an integer element has no text: the caller asked for text */
	*value = v->type == REDIS_REPLY_INTEGER ? empty : v->str;
	if (len)
		*len = v->type == REDIS_REPLY_INTEGER ? 0 : v->len;
	return 0;
}

const char *portal_run_field(const portal_run_result *res, const char *name, size_t *len)
{
	const char *n, *v;
	size_t i, l;

	for (i = 0; portal_run_pair(res, i, &n, &v, &l) == 0; i++)
		if (strcmp(n, name) == 0) {
			if (len)
				*len = l;
			return v;
		}
	return NULL;
}

json_t *portal_run_json(const portal_run_result *res, const char *name)
{
	size_t len;
	const char *v = portal_run_field(res, name, &len);

	return v ? json_loadb(v, len, JSON_DECODE_ANY, NULL) : NULL;
}

json_t *portal_run_all_json(const portal_run_result *res, const char **bad)
{
	json_t *all = json_object(), *v;
	const char *name, *value;
	size_t i, len;

	for (i = 0; all && portal_run_pair(res, i, &name, &value, &len) == 0; i++) {
		if ((v = json_loadb(value, len, JSON_DECODE_ANY, NULL)) == NULL) {
			*bad = name;
			json_decref(all);
			return NULL;
		}
		json_object_set_new(all, name, v);
	}
	return all;
}

void portal_run_result_free(portal_run_result *res)
{
	if (res->reply)
		freeReplyObject(res->reply);
	memset(res, 0, sizeof(*res));
	res->status = "";
}

int portal_run_join(const portal_run_result *res, const char *name, portal_buf *out)
{
	const char *n, *v;
	size_t i, len;
	int rc = 0;

	for (i = 0; portal_run_pair(res, i, &n, &v, &len) == 0; i++)
		if (strcmp(n, name) == 0 && portal_buf_append(out, v, len) < 0)
			rc = -1;
	return rc;
}
