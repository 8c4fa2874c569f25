/* intake.c - the monitoring figures' intake (issue 18): the housekeeping
 * reads the training and beds events streams after its cursors (never
 * another module's other keys), adds to each event what Lua cannot work
 * out (its quarter in London time, the quarter of the session it is about,
 * the confidence change of a feedback, the guide's terms in its text) and
 * hands them to lua/intake.lua, which counts each event once and keeps the
 * copies of the texts.  The cases module's figures are its own published
 * report (report.c reads it), so the cases stream is not read. */
#include "monitoring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonget.h"
#include "config.h"
#include "log.h"

#define INTAKE_BATCH 500
#define INTAKE_BATCHES 20   /* at most 10,000 entries a stream a run */

/* The mean of the comma-separated numbers in `s` (0 when none). */
static double mean_of(const char *s)
{
	double sum = 0;
	int n = 0;
	char *end;

	while (s && *s) {
		double v = strtod(s, &end);
		if (end == s)
			break;
		sum += v;
		n++;
		s = *end == ',' ? end + 1 : end;
	}
	return n ? sum / n : 0;
}

/* Stream entry `e` ([id, [field, value, ...]]) as the event intake.lua
 * reads, or NULL when it is not an entry. */
static json_t *event_of(portal_store *st, const redisReply *e)
{
	json_t *f = json_object(), *ev;
	const redisReply *kv;
	char quarter[16], session[16], *terms;
	time_t at;
	size_t i;

	if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 || e->element[0]->type != REDIS_REPLY_STRING ||
	    e->element[1]->type != REDIS_REPLY_ARRAY) {
		json_decref(f);
		return NULL;
	}
	kv = e->element[1];
	for (i = 0; i + 1 < kv->elements; i += 2)
		if (kv->element[i]->type == REDIS_REPLY_STRING && kv->element[i + 1]->type == REDIS_REPLY_STRING)
			json_object_set_new(f, kv->element[i]->str, json_string(kv->element[i + 1]->str));
	at = (time_t)strtoll(portal_json_text(f, "at"), NULL, 10);
	monitoring_quarter_at(at, quarter, sizeof(quarter));
	snprintf(session, sizeof(session), "%s", quarter);
	if (portal_json_text(f, "starts_at")[0])
		monitoring_quarter_at((time_t)strtoll(portal_json_text(f, "starts_at"), NULL, 10), session, sizeof(session));
	terms = monitoring_terms_of(st, portal_json_text(f, "text"));
	ev = json_pack("{s:s, s:s, s:I, s:s, s:s, s:f, s:s}", "id", e->element[0]->str, "kind", portal_json_text(f, "kind"),
	               "at", (json_int_t)at, "quarter", quarter, "session_quarter", session,
	               "delta", mean_of(portal_json_text(f, "confidence_after")) - mean_of(portal_json_text(f, "confidence_before")),
	               "terms", terms ? terms : "");
	free(terms);
	json_object_set_new(ev, "f", f);
	return ev;
}

/* One batch of stream `name` (key `stream`) after the cursor: 1 when a
 * full batch was read (more may follow), 0 when done, -1 on failure. */
static int intake_batch(portal_store *st, const char *name, const char *stream)
{
	char cursor_key[200], start[80];
	redisReply *cur = NULL, *r = NULL;
	json_t *events = json_array(), *ev;
	monitoring_answer a = { .data = NULL };
	int rc = -1;
	size_t i;

	snprintf(cursor_key, sizeof(cursor_key), "%s{monitoring}:cursor:%s", portal_store_prefix(st), name);
	if ((cur = portal_store_command(st, "GET %s", cursor_key)) == NULL || cur->type == REDIS_REPLY_ERROR)
		goto done;
	snprintf(start, sizeof(start), cur->type == REDIS_REPLY_STRING ? "(%s" : "-", cur->str);
	r = portal_store_command(st, "XRANGE %s %s + COUNT %d", stream, start, INTAKE_BATCH);
	if (r == NULL || r->type != REDIS_REPLY_ARRAY)
		goto done;
	rc = 0;
	if (r->elements == 0)
		goto done;
	for (i = 0; i < r->elements; i++)
		if ((ev = event_of(st, r->element[i])) != NULL)
			json_array_append_new(events, ev);
	monitoring_store_intake(st, name, cur->type == REDIS_REPLY_STRING ? cur->str : "",
	                        r->element[r->elements - 1]->element[0]->str, events, &a);
	if (!monitoring_answer_ok(&a) && strcmp(MONITORING_STATUS(&a), "moved") != 0) {
		portal_log(PORTAL_LOG_ERROR, "monitoring intake: events not counted (read again at the next run)",
		           json_pack("{s:s, s:s, s:s}", "stream", name, "status", MONITORING_STATUS(&a), "cause", a.run.cause));
		rc = -1;
	} else if (r->elements == INTAKE_BATCH && strcmp(MONITORING_STATUS(&a), "ok") == 0)
		rc = 1;
	monitoring_answer_free(&a);
done:
	if (r)
		freeReplyObject(r);
	if (cur)
		freeReplyObject(cur);
	json_decref(events);
	return rc;
}

int monitoring_intake(portal_store *st)
{
	static const char *const streams[][2] = { { "training", "{training}" }, { "beds", "beds:{beds}" } };
	char stream[200];
	int failed = 0;

	for (size_t s = 0; s < MONITORING_COUNT(streams); s++) {
		int rc = 1;
		snprintf(stream, sizeof(stream), "%s%s:events", portal_store_prefix(st), streams[s][1]);
		for (int n = 0; rc == 1 && n < INTAKE_BATCHES; n++)
			rc = intake_batch(st, streams[s][0], stream);
		failed |= rc < 0;
	}
	return failed ? -1 : 0;
}

int monitoring_intake_seconds(void)
{
	const char *v = getenv("PORTAL_MONITORING_INTAKE_SECONDS");
	long long n;

	return v && *v && portal_parse_int(v, 1, 3600, &n) == 0 ? (int)n : 60;
}
