/* send.c - the e-mail sink (group "notify"): one event's messages, its
 * recipients from the directory, its words from the templates
 * (notify_subject, notify_text, notify_html), one message per recipient,
 * each with a Message-ID made from the entry id (a resend carries the same
 * one), skipping recipients whose message the server already accepted
 * (kept in "<prefix>notify:{notify}:sent:<module>:<entry id>" until the
 * entry is acknowledged).  Only the kinds the table e-mails are sent, and a
 * kind a person may turn off is not sent to those who did (the one read of
 * "<prefix>notify:{notify}:email-off" per event: portal_notices_email_off). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "notices.h"
#include "notify.h"

/* Render the three templates into out[3] (subject, text, html). */
static int render(notify_worker *w, const notify_event *ev, portal_buf out[3])
{
	static const char *const names[3] = { "notify_subject", "notify_text", "notify_html" };
	json_t *data = notify_event_data(ev, w->set, time(NULL));
	int i, rc = data ? 0 : -1;

	for (i = 0; i < 3; i++)
		portal_buf_init(&out[i], 256 * 1024);
	for (i = 0; i < 3 && rc == 0; i++)
		rc = portal_templates_render(w->tpl, names[i], data, &out[i]) < 0 || out[i].len == 0 ? -1 : 0;
	json_decref(data);
	/* the subject is one line: its trailing spaces and newline go */
	while (rc == 0 && out[0].len > 0 && isspace((unsigned char)out[0].data[out[0].len - 1]))
		out[0].data[--out[0].len] = '\0';
	if (rc < 0)
		portal_log(PORTAL_LOG_ERROR, "the message templates did not render", json_pack("{s:s}", "event", ev->id));
	return rc;
}

/* 1 when the server already accepted this event's message to `addr`. */
static int already_sent(notify_worker *w, const char *key, const char *addr)
{
	redisReply *r = portal_store_command(w->st, "SISMEMBER %s %s", key, addr);
	int yes = r && r->type == REDIS_REPLY_INTEGER && r->integer == 1;

	if (r)
		freeReplyObject(r);
	return yes;
}

static void note_sent(notify_worker *w, const char *key, const char *addr)
{
	redisReply *r = portal_store_command(w->st, "SADD %s %s", key, addr);

	if (r)
		freeReplyObject(r);
	if ((r = portal_store_command(w->st, "EXPIRE %s %lld", key, w->set->dead_after + 86400)))
		freeReplyObject(r);
}

static const char *event_field(const void *ev, const char *name)
{
	return notify_event_get(ev, name);
}

/* Send ev's message to person uid ("" for an agency's own address) at
 * addr, with the session's calendar file when the kind carries one for
 * them (calendar.c).  0 when the server accepted it. */
static int send_one(notify_worker *w, const notify_stream *s, const notify_event *ev, const char *uid,
                    const char *addr, portal_buf words[3])
{
	char mid[400];
	portal_buf msg, ics;
	notify_attachment file = { .name = "training-session.ics" };
	notify_mail m;
	int rc;

	notify_message_id(s->name, ev->id, addr, w->set->domain, mid, sizeof(mid));
	m = (notify_mail){ .from = w->set->mail_from, .to = addr, .subject = words[0].data,
	                   .text = words[1].data, .html = words[2].data, .message_id = mid, .date = time(NULL) };
	portal_buf_init(&ics, 256 * 1024);
	rc = notify_calendar_build(ev->kind->kind, event_field, ev, uid, addr, w->set->from_addr, m.date, &ics,
	                           &file.type);
	if (rc > 0) {
		file.data = ics.data;
		file.len = ics.len;
		m.attachment = &file;
	} else if (rc < 0)  /* the message still says what happened and links to the page */
		portal_log(PORTAL_LOG_WARN, "the event's calendar file could not be made: sent without it",
		           json_pack("{s:s, s:s}", "event", ev->id, "kind", ev->kind->kind));
	portal_buf_init(&msg, 1024 * 1024);
	rc = notify_mail_build(&m, &msg);
	if (rc == 0)
		rc = notify_smtp_send(w->smtp, addr, msg.data, msg.len);
	portal_buf_free(&msg);
	portal_buf_free(&ics);
	return rc;
}

static void sent_key(const notify_worker *w, const notify_stream *s, const char *id, char *out, size_t len)
{
	snprintf(out, len, "%snotify:{notify}:sent:%s:%s", portal_store_prefix(w->st), s->name, id);
}

/* Mark with addr[0] = '\0' the recipients of r who turned e-mail about
 * ev's kind off (one HMGET of the e-mail-off hash for all their uids).
 * 0, or -1 when Redis failed. */
static int drop_turned_off(notify_worker *w, const notify_event *ev, notify_rcpts *r)
{
	const char **argv;
	char key[200];
	size_t i, n = 0;
	redisReply *rep;

	if (ev->kind->email != NOTIFY_MAIL_CHOICE)
		return 0;
	if ((argv = calloc(r->n + 2, sizeof(*argv))) == NULL)
		return -1;
	portal_notices_shared_key(w->st, "email-off", key, sizeof(key));
	argv[n++] = "HMGET";
	argv[n++] = key;
	for (i = 0; i < r->n; i++)
		if (r->to[i].uid[0])
			argv[n++] = r->to[i].uid;
	rep = n > 2 ? portal_store_command_argv(w->st, (int)n, argv, NULL) : NULL;
	free(argv);
	if (n > 2 && (rep == NULL || rep->type != REDIS_REPLY_ARRAY || rep->elements != n - 2)) {
		if (rep)
			freeReplyObject(rep);
		return -1;
	}
	for (i = 0, n = 0; rep && i < r->n; i++)
		if (r->to[i].uid[0] && rep->element[n++]->type == REDIS_REPLY_STRING &&
		    portal_words_have(rep->element[n - 1]->str, ev->kind->kind))
			r->to[i].addr[0] = '\0';
	if (rep)
		freeReplyObject(rep);
	return 0;
}

/* Send event `ev` of stream `s`: 0 when every message was accepted (or
 * nobody has an address: *why says so), -1 to try again later. */
static int send_event(notify_worker *w, const notify_stream *s, const notify_event *ev, char *why, size_t whylen)
{
	notify_rcpts *r = calloc(1, sizeof(*r));
	portal_buf words[3];
	char key[320];
	size_t i, sent = 0, wanted = 0;
	int rc = -1;

	why[0] = '\0';
	if (r == NULL || notify_recipients(w->cfg, w->set, ev, 1, r) < 0 || drop_turned_off(w, ev, r) < 0)
		goto out;
	for (i = 0; i < r->n; i++)
		wanted += r->to[i].addr[0] != '\0';
	if (wanted == 0) {
		if (r->n == 0)
			snprintf(why, whylen, "nobody to tell of it has an e-mail address in the directory");
		rc = 0;
		goto out;
	}
	if (render(w, ev, words) == 0) {
		sent_key(w, s, ev->id, key, sizeof(key));
		for (i = 0; i < r->n; i++) {
			const char *addr = r->to[i].addr;
			if (addr[0] && (already_sent(w, key, addr) || send_one(w, s, ev, r->to[i].uid, addr, words) == 0)) {
				note_sent(w, key, addr);
				sent++;
			}
		}
		rc = sent == wanted ? 0 : -1;
		portal_log(rc == 0 ? PORTAL_LOG_INFO : PORTAL_LOG_WARN, rc == 0 ? "event sent" : "event not sent yet",
		           json_pack("{s:s, s:s, s:s, s:i, s:i}", "stream", s->name, "event", ev->id, "kind",
		                     ev->kind->kind, "accepted", (int)sent, "recipients", (int)wanted));
	}
	for (i = 0; i < 3; i++)
		portal_buf_free(&words[i]);
out:
	free(r);
	return rc;
}

static notify_outcome mail_handle(notify_worker *w, const notify_stream *s, const notify_entry *e,
                                  char *kind, size_t kindlen, char *why, size_t whylen)
{
	notify_event ev;
	int rc = notify_event_parse(e->id, e->n, e->names, e->namelens, e->values, e->valuelens, &ev, why, whylen);

	if (ev.kind)
		snprintf(kind, kindlen, "%s", ev.kind->kind);
	if (rc <= 0)
		return rc == 0 ? NOTIFY_DONE : NOTIFY_DEAD;
	if (ev.kind->email == NOTIFY_MAIL_NONE)
		return NOTIFY_DONE;  /* told in the portal only */
	if (time(NULL) - notify_entry_seconds(e->id) > w->set->dead_after) {
		snprintf(why, whylen, "the event is older than the time to retry: too late to send");
		return NOTIFY_DEAD;
	}
	if (send_event(w, s, &ev, why, whylen) < 0) {
		snprintf(why, whylen, "the messages were still not accepted when the time to retry ran out");
		return NOTIFY_RETRY;
	}
	return why[0] ? NOTIFY_DEAD : NOTIFY_DONE;
}

/* The entry is acknowledged: forget which recipients it was sent to. */
static void mail_acked(notify_worker *w, const notify_stream *s, const char *id)
{
	char key[320];
	redisReply *r;

	sent_key(w, s, id, key, sizeof(key));
	if ((r = portal_store_command(w->st, "DEL %s", key)))
		freeReplyObject(r);
}

const notify_sink notify_mail_sink = { "notify", mail_handle, mail_acked };
