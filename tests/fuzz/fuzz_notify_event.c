/* fuzz_notify_event.c - portal-notify's check of a stream entry (trusted but
 * checked: never a crash, a malformed one is refused with a reason) and the
 * message built from what it accepts (RFC 2047 subject, quoted-printable
 * parts, the training kinds' calendar file attached in base64).  The input:
 * the entry id on the first line, then name and value lines in turn.
 * message.c, event.c and calendar.c are compiled into the target. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../modules/notify/message.c"
#include "../../modules/notify/event.c"
#include "../../modules/notify/calendar.c"

#define MAX_LINES 130

/* After a successful build: every LF follows a CR, and the message holds
 * no line of a lone "." (which would end an SMTP DATA early). */
static void check_message(const portal_buf *b)
{
	size_t i;

	for (i = 0; i < b->len; i++) {
		if (b->data[i] == '\n' && (i == 0 || b->data[i - 1] != '\r'))
			abort();
		if (b->data[i] == '.' && i >= 2 && b->data[i - 1] == '\n' && i + 1 < b->len && b->data[i + 1] == '\r')
			abort();
	}
}

static const char *field_of(const void *ev, const char *name)
{
	return notify_event_get(ev, name);
}

static void build_from(const notify_event *ev)
{
	notify_settings s = { .public_url = "https://portal.example.org" };
	notify_attachment file = { .name = "training-session.ics" };
	const char *uid = notify_event_get(ev, "uid");
	portal_buf ics;
	json_t *d = notify_event_data(ev, &s, 1796428800);
	char mid[300], subject[1200], text[1024];
	notify_mail m;
	portal_buf b;

	if (d == NULL)
		abort();
	json_decref(d);
	/* an accepted entry's words and link always render */
	if (notify_event_render(ev, ev->kind->words, 0, 1796428800, text, sizeof(text)) != 0 ||
	    notify_event_render(ev, ev->kind->link, 1, 1796428800, mid, sizeof(mid)) != 0 || strchr(mid, ' '))
		abort();
	notify_message_id("beds", ev->id, "a@example.org", "example.org", mid, sizeof(mid));
	snprintf(subject, sizeof(subject), "Notice: %s", text);
	m = (notify_mail){ .from = "Portal <p@example.org>", .to = "a@example.org", .subject = subject,
	                   .text = text, .html = text, .message_id = mid, .date = (time_t)ev->at };
	portal_buf_init(&ics, 0);
	if (notify_calendar_build(ev->kind->kind, field_of, ev, uid ? uid : "", "a@example.org", "p@example.org",
	                          (time_t)ev->at, &ics, &file.type) > 0) {
		file.data = ics.data;
		file.len = ics.len;
		m.attachment = &file;
	}
	portal_buf_init(&b, 0);
	if (notify_mail_build(&m, &b) != 0)
		abort();  /* an accepted entry always makes a message */
	check_message(&b);
	portal_buf_free(&b);
	portal_buf_free(&ics);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *line[MAX_LINES], *p, why[200];
	const char *names[MAX_LINES / 2], *values[MAX_LINES / 2];
	size_t nl[MAX_LINES / 2], vl[MAX_LINES / 2], n = 0, k, i;
	notify_event ev;

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (p = copy, k = 0; p && k < MAX_LINES; k++) {
		line[k] = p;
		if ((p = memchr(p, '\n', (size_t)(copy + size - p))) != NULL)
			*p++ = '\0';
	}
	for (i = 1; i + 1 < k; i += 2, n++) {
		names[n] = line[i], nl[n] = strlen(line[i]);
		values[n] = line[i + 1], vl[n] = strlen(line[i + 1]);
	}
	why[0] = '\0';
	switch (notify_event_parse(line[0], n, names, nl, values, vl, &ev, why, sizeof(why))) {
	case 1:
		build_from(&ev);
		break;
	case -1:
		if (why[0] == '\0')
			abort();  /* a refusal always says why */
		break;
	}
	free(copy);
	return 0;
}
