/* inbox.c - the in-portal sink (group "inbox"): for each event of a kind in
 * the table, one notification per person it concerns (by uid: the agency's
 * own address is no person), written under the keys of common/notices.h by
 * one script per person: idempotent per stream entry (the id is
 * "<module>-<entry id>", added only when the person's items hash does not
 * hold it), unread until read, and the person's newest PORTAL_NOTICES_KEEP
 * kept. */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "notices.h"
#include "notify.h"

/* KEYS items, order, unread; ARGV id, item JSON, score, keep.  Returns 1
 * when added, 0 when the person has it already. */
static const char inbox_add_script[] =
	"if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end\n"
	"redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])\n"
	"redis.call('SADD', KEYS[3], ARGV[1])\n"
	"local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])\n"
	"if over > 0 then\n"
	"  for _, old in ipairs(redis.call('ZRANGE', KEYS[2], 0, over - 1)) do\n"
	"    redis.call('HDEL', KEYS[1], old)\n"
	"    redis.call('SREM', KEYS[3], old)\n"
	"  end\n"
	"  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, over - 1)\n"
	"end\n"
	"return 1\n";

/* Add the notification (id, item) to uid's.  0, or -1 when Redis failed. */
static int inbox_add(notify_worker *w, const char *uid, const char *id, const char *item, const char *score)
{
	char items[256], order[256], unread[256], keep[16];
	const char *argv[] = { "EVAL", inbox_add_script, "3", items, order, unread, id, item, score, keep };
	redisReply *r;
	int rc;

	portal_notices_key(w->st, uid, "items", items, sizeof(items));
	portal_notices_key(w->st, uid, "order", order, sizeof(order));
	portal_notices_key(w->st, uid, "unread", unread, sizeof(unread));
	snprintf(keep, sizeof(keep), "%d", PORTAL_NOTICES_KEEP);
	r = portal_store_command_argv(w->st, (int)(sizeof(argv) / sizeof(argv[0])), argv, NULL);
	rc = r && r->type == REDIS_REPLY_INTEGER ? 0 : -1;
	if (r && rc < 0)
		portal_log(PORTAL_LOG_ERROR, "a notification could not be stored",
		           json_pack("{s:s, s:s}", "notification", id, "error", r->type == REDIS_REPLY_ERROR ? r->str : "?"));
	if (r)
		freeReplyObject(r);
	return rc;
}

/* The notification of ev (stream s) as stored: {"id","kind","text","link",
 * "created_at"}, id into id[idlen].  NULL when the words do not render. */
static char *inbox_item(const notify_stream *s, const notify_event *ev, char *id, size_t idlen)
{
	char words[NOTIFY_WORDS_MAX], link[NOTIFY_WORDS_MAX];
	json_t *j;
	char *text;

	snprintf(id, idlen, "%s-%s", s->name, ev->id);
	if (notify_event_render(ev, ev->kind->words, 0, (time_t)ev->at, words, sizeof(words)) < 0 ||
	    notify_event_render(ev, ev->kind->link, 1, (time_t)ev->at, link, sizeof(link)) < 0)
		return NULL;
	j = json_pack("{s:s, s:s, s:s, s:s, s:I}", "id", id, "kind", ev->kind->kind, "text", words, "link", link,
	              "created_at", (json_int_t)ev->at);
	text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	return text;
}

static notify_outcome inbox_handle(notify_worker *w, const notify_stream *s, const notify_entry *e,
                                   char *kind, size_t kindlen, char *why, size_t whylen)
{
	notify_event *ev = malloc(sizeof(*ev));
	notify_rcpts *r = calloc(1, sizeof(*r));
	char id[PORTAL_NOTICE_ID_MAX + 32], score[32], *item = NULL;
	notify_outcome o = NOTIFY_RETRY;
	long long seq;
	int rc;
	size_t i;

	if (ev == NULL || r == NULL)
		goto out;
	rc = notify_event_parse(e->id, e->n, e->names, e->namelens, e->values, e->valuelens, ev, why, whylen);
	if (ev->kind)
		snprintf(kind, kindlen, "%s", ev->kind->kind);
	if (rc <= 0) {
		o = rc == 0 ? NOTIFY_DONE : NOTIFY_DEAD;
		goto out;
	}
	if ((item = inbox_item(s, ev, id, sizeof(id))) == NULL) {
		snprintf(why, whylen, "the notification's words do not fit");
		o = NOTIFY_DEAD;
		goto out;
	}
	/* newest first by entry id: milliseconds, then the sequence (the first
	 * thousand of one millisecond; later ones tie, ordered by id) */
	seq = strtoll(strchr(ev->id, '-') + 1, NULL, 10);
	snprintf(score, sizeof(score), "%lld", strtoll(ev->id, NULL, 10) * 1000 + (seq < 999 ? seq : 999));
	if (notify_recipients(w->cfg, w->set, ev, 0, r) < 0) {
		snprintf(why, whylen, "the directory could not say who to tell");
		goto out;
	}
	for (i = 0; i < r->n; i++)
		if (r->to[i].uid[0] && inbox_add(w, r->to[i].uid, id, item, score) < 0)
			goto out;  /* those added are not added twice */
	o = NOTIFY_DONE;
out:
	free(item);
	free(r);
	free(ev);
	return o;
}

const notify_sink notify_inbox_sink = { "inbox", inbox_handle, NULL };
