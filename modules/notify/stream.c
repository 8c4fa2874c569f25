/* stream.c - the modules' event streams, read by each sink through its own
 * consumer group (created with MKSTREAM from the first entry, 0, when
 * missing: an event made before the worker first ran is still handled).
 *
 * Each turn, for each sink: this consumer's pending entries whose back-off
 * is over (XPENDING, then XCLAIM, which counts the delivery: back-off is
 * PORTAL_NOTIFY_RETRY_SECONDS doubled with each delivery, at most
 * PORTAL_NOTIFY_RETRY_MAX_SECONDS), then new entries (XREADGROUP >); when
 * no sink had anything, it waits up to a second for new entries.  An entry
 * is acknowledged (XACK) when its sink is done with it or when it went to
 * the dead-letter list "<prefix>notify:{notify}:dead" (newest first, the
 * last 10,000): a malformed entry at once, one still failing
 * PORTAL_NOTIFY_DEAD_AFTER_SECONDS after it was made, or what the sink
 * says cannot be done.
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "notify.h"

#define NOTIFY_BATCH 20
#define NOTIFY_MAX_FIELDS 64

static void stream_key(const notify_worker *w, const notify_stream *s, char *out, size_t len)
{
	snprintf(out, len, "%s%s:events", portal_store_prefix(w->st), s->base);
}

static int is_error(const redisReply *r, const char *prefix)
{
	return r && r->type == REDIS_REPLY_ERROR && strncmp(r->str, prefix, strlen(prefix)) == 0;
}

/* Acknowledge entry `id` for sink k. */
static void ack(notify_worker *w, const notify_sink *k, const notify_stream *s, const char *id)
{
	char key[256];
	redisReply *r;

	stream_key(w, s, key, sizeof(key));
	if ((r = portal_store_command(w->st, "XACK %s %s %s", key, k->group, id)))
		freeReplyObject(r);
	if (k->acked)
		k->acked(w, s, id);
}

/* Put entry `id` on the dead-letter list with the reason, then acknowledge it. */
static void dead_letter(notify_worker *w, const notify_sink *k, const notify_stream *s, const char *id,
                        const char *kind, const char *reason)
{
	char key[256];
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "stream", s->name, "sink", k->group, "id", id,
	                      "kind", kind, "reason", reason, "at", (json_int_t)time(NULL));
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	redisReply *r;

	notify_metrics_outcome(w, k, NOTIFY_DEAD);
	snprintf(key, sizeof(key), "%snotify:{notify}:dead", portal_store_prefix(w->st));
	portal_log(PORTAL_LOG_WARN, "event dead-lettered",
	           json_pack("{s:s, s:s, s:s, s:s, s:s}", "stream", s->name, "sink", k->group, "event", id, "kind",
	                     kind, "reason", reason));
	if (text && (r = portal_store_command(w->st, "LPUSH %s %s", key, text))) {
		freeReplyObject(r);
		if ((r = portal_store_command(w->st, "LTRIM %s 0 9999", key)))
			freeReplyObject(r);
	}
	free(text);
	json_decref(j);
	ack(w, k, s, id);
}

/* One entry [id, [name, value, ...]] (value nil: deleted by the cap). */
static void handle_entry(notify_worker *w, const notify_sink *k, const notify_stream *s, const redisReply *e)
{
	const char *names[NOTIFY_MAX_FIELDS], *values[NOTIFY_MAX_FIELDS];
	size_t nl[NOTIFY_MAX_FIELDS], vl[NOTIFY_MAX_FIELDS], i, n;
	const redisReply *f;
	char why[200] = "", kind[64] = "", id[48];
	notify_outcome o;

	if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 || e->element[0]->type != REDIS_REPLY_STRING)
		return;
	snprintf(id, sizeof(id), "%s", e->element[0]->str);
	f = e->element[1];
	if (f->type != REDIS_REPLY_ARRAY) {
		ack(w, k, s, id);  /* trimmed from the stream before it was read */
		return;
	}
	n = f->elements / 2;
	if (f->elements % 2 || n > NOTIFY_MAX_FIELDS) {
		dead_letter(w, k, s, id, "", "the entry's fields are not name/value pairs (or too many)");
		return;
	}
	for (i = 0; i < n; i++) {
		if (f->element[2 * i]->type != REDIS_REPLY_STRING || f->element[2 * i + 1]->type != REDIS_REPLY_STRING) {
			dead_letter(w, k, s, id, "", "a field of the entry is not text");
			return;
		}
		names[i] = f->element[2 * i]->str, nl[i] = f->element[2 * i]->len;
		values[i] = f->element[2 * i + 1]->str, vl[i] = f->element[2 * i + 1]->len;
	}
	o = k->handle(w, s, &(notify_entry){ id, n, names, nl, values, vl }, kind, sizeof(kind), why, sizeof(why));
	if (o != NOTIFY_DEAD)
		notify_metrics_outcome(w, k, o);
	if (o == NOTIFY_DONE)
		ack(w, k, s, id);
	else if (o == NOTIFY_DEAD)
		dead_letter(w, k, s, id, kind, why);
	else if (time(NULL) - notify_entry_seconds(id) > w->set->dead_after)
		dead_letter(w, k, s, id, kind, why[0] ? why : "still not done when the time to retry ran out");
}

static int ensure_groups(notify_worker *w)
{
	char key[256];
	size_t i;

	for (i = 0; i < w->nstreams * w->nsinks; i++) {
		redisReply *r;
		int ok;
		stream_key(w, &w->streams[i % w->nstreams], key, sizeof(key));
		r = portal_store_command(w->st, "XGROUP CREATE %s %s 0 MKSTREAM", key, w->sinks[i / w->nstreams]->group);
		ok = r && (r->type != REDIS_REPLY_ERROR || is_error(r, "BUSYGROUP"));
		if (r && !ok)
			portal_log(PORTAL_LOG_ERROR, "could not create the consumer group",
			           json_pack("{s:s, s:s}", "stream", key, "error", r->str));
		if (r)
			freeReplyObject(r);
		if (!ok)
			return -1;
	}
	w->groups_ready = 1;
	return 0;
}

/* The back-off after `deliveries` tries, in milliseconds. */
static long long backoff_ms(const notify_settings *set, long long deliveries)
{
	long long s = set->retry_seconds;

	while (--deliveries > 0 && s < set->retry_max)
		s *= 2;
	return (s < set->retry_max ? s : set->retry_max) * 1000;
}

/* Claim and handle this consumer's pending entries of `s` for sink k that are due. */
static int retry_stream(notify_worker *w, const notify_sink *k, const notify_stream *s)
{
	char key[256];
	redisReply *p, *c;
	size_t i;
	int handled = 0;

	stream_key(w, s, key, sizeof(key));
	p = portal_store_command(w->st, "XPENDING %s %s - + 100 %s", key, k->group, w->set->consumer);
	if (p == NULL || p->type != REDIS_REPLY_ARRAY) {
		if (is_error(p, "NOGROUP"))
			w->groups_ready = 0;
		if (p)
			freeReplyObject(p);
		return p ? 0 : -1;
	}
	for (i = 0; i < p->elements && !*w->stopping; i++) {
		redisReply *e = p->element[i];
		if (e->type != REDIS_REPLY_ARRAY || e->elements < 4 || e->element[0]->type != REDIS_REPLY_STRING ||
		    e->element[2]->type != REDIS_REPLY_INTEGER || e->element[3]->type != REDIS_REPLY_INTEGER ||
		    e->element[2]->integer < backoff_ms(w->set, e->element[3]->integer))
			continue;
		c = portal_store_command(w->st, "XCLAIM %s %s %s 0 %s", key, k->group, w->set->consumer, e->element[0]->str);
		if (c && c->type == REDIS_REPLY_ARRAY && c->elements == 1 && c->element[0]->type == REDIS_REPLY_ARRAY)
			handle_entry(w, k, s, c->element[0]), handled++;
		else if (c && c->type == REDIS_REPLY_ARRAY)
			ack(w, k, s, e->element[0]->str);  /* no longer in the stream */
		if (c)
			freeReplyObject(c);
	}
	freeReplyObject(p);
	return handled;
}

/* XREADGROUP ... STREAMS k1 .. kn > .. >: new entries of every stream for
 * sink k, waiting up to block_ms for one (0: not at all). */
static int read_new(notify_worker *w, const notify_sink *k, int block_ms)
{
	const char *argv[12 + 2 * 8];
	char keys[8][256], count[16], block[16];
	size_t i, j, n = w->nstreams < 8 ? w->nstreams : 8;
	int argc = 0, handled = 0;
	redisReply *r;

	snprintf(count, sizeof(count), "%d", NOTIFY_BATCH);
	snprintf(block, sizeof(block), "%d", block_ms);
	argv[argc++] = "XREADGROUP", argv[argc++] = "GROUP", argv[argc++] = k->group;
	argv[argc++] = w->set->consumer, argv[argc++] = "COUNT", argv[argc++] = count;
	if (block_ms > 0)
		argv[argc++] = "BLOCK", argv[argc++] = block;
	argv[argc++] = "STREAMS";
	for (i = 0; i < n; i++)
		stream_key(w, &w->streams[i], keys[i], sizeof(keys[i])), argv[argc++] = keys[i];
	for (i = 0; i < n; i++)
		argv[argc++] = ">";
	r = portal_store_command_argv(w->st, argc, argv, NULL);
	if (r == NULL)
		return -1;
	if (is_error(r, "NOGROUP"))
		w->groups_ready = 0;
	for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
		redisReply *sr = r->element[i];
		if (sr->type != REDIS_REPLY_ARRAY || sr->elements != 2 || sr->element[0]->type != REDIS_REPLY_STRING ||
		    sr->element[1]->type != REDIS_REPLY_ARRAY)
			continue;
		for (j = 0; j < n && strcmp(sr->element[0]->str, keys[j]) != 0; j++)
			;
		if (j == n)
			continue;
		for (size_t m = 0; m < sr->element[1]->elements && !*w->stopping; m++)
			handle_entry(w, k, &w->streams[j], sr->element[1]->element[m]), handled++;
	}
	freeReplyObject(r);
	return handled;
}

int notify_turn(notify_worker *w)
{
	size_t i, j;
	int n, total = 0;

	if (!w->groups_ready && ensure_groups(w) < 0)
		return -1;
	for (j = 0; j < w->nsinks && !*w->stopping; j++) {
		for (i = 0; i < w->nstreams && !*w->stopping; i++) {
			if ((n = retry_stream(w, w->sinks[j], &w->streams[i])) < 0)
				return -1;
			total += n;
		}
		if (*w->stopping || (n = read_new(w, w->sinks[j], 0)) < 0)
			return *w->stopping ? total : -1;
		total += n;
	}
	/* nothing for any sink: wait for new entries (every sink reads them all,
	 * so the first sink's wait ends when any sink has something) */
	if (total == 0 && !*w->stopping && w->nsinks > 0)
		total = read_new(w, w->sinks[0], 1000);
	return total;
}
