/* event.c - one stream entry, checked: the kinds this worker sends, their
 * fields (stream entries are trusted but checked: a malformed one is logged,
 * dead-lettered and acknowledged, never a crash), and the templates' data.
 * Pure: no I/O (tests/fuzz/fuzz_notify_event.c, tests/unit/). */
#include <string.h>

#include "clock.h"
#include "notify.h"
#include "parse.h"
#include "signin.h"

/* The kinds sent by e-mail, and to whom.  hold_extended is not sent. */
static const notify_kind notify_kinds[] = {
	{ "hold_placed", NOTIFY_TO_AGENCY_NGO },
	{ "hold_accepted", NOTIFY_TO_RESPONDER },
	{ "hold_declined", NOTIFY_TO_RESPONDER },
	{ "hold_cancelled", NOTIFY_TO_RESPONDER },
	{ "hold_expired", NOTIFY_TO_RESPONDER },
};

static int digits(const char *s, size_t len, size_t max)
{
	size_t i;

	if (len == 0 || len > max)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* A stream entry id: digits, '-', digits. */
static int entry_id_ok(const char *id)
{
	const char *dash = strchr(id, '-');

	return dash && digits(id, (size_t)(dash - id), 20) && digits(dash + 1, strlen(dash + 1), 20);
}

/* Copy value v[0..len) to out[size] when it is valid UTF-8 with no control
 * character and fits; else -1. */
static int text_field(const char *v, size_t len, char *out, size_t size)
{
	size_t i;

	if (len >= size || !portal_utf8_valid(v, len))
		return -1;
	for (i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return -1;
	memcpy(out, v, len);
	out[len] = '\0';
	return 0;
}

static int number_field(const char *v, size_t len, long long *out)
{
	char tmp[24];

	if (!digits(v, len, 19))
		return -1;
	memcpy(tmp, v, len);
	tmp[len] = '\0';
	return portal_parse_int(tmp, 0, 253402300799LL, out);
}

/* Where each field goes; 1 when `name` is one of ours and its value was
 * taken, 0 when unknown (ignored), -1 when its value is wrong. */
static int take(notify_event *ev, const char *name, size_t nl, const char *v, size_t vl)
{
#define IS(lit) (nl == sizeof(lit) - 1 && memcmp(name, lit, nl) == 0)
	if (IS("hold"))
		return digits(v, vl, 20) && text_field(v, vl, ev->hold, sizeof(ev->hold)) == 0 ? 1 : -1;
	if (IS("safehouse"))
		return digits(v, vl, 20) && text_field(v, vl, ev->safehouse, sizeof(ev->safehouse)) == 0 ? 1 : -1;
	if (IS("agency"))
		return text_field(v, vl, ev->agency, sizeof(ev->agency)) == 0 && portal_signin_username_ok(ev->agency) ? 1 : -1;
	if (IS("responder"))
		return text_field(v, vl, ev->responder, sizeof(ev->responder)) == 0 && portal_signin_username_ok(ev->responder) ? 1 : -1;
	if (IS("safehouse_name"))
		return text_field(v, vl, ev->house, sizeof(ev->house)) == 0 ? 1 : -1;
	if (IS("at"))
		return number_field(v, vl, &ev->at) == 0 ? 1 : -1;
	if (IS("expires_at"))
		return number_field(v, vl, &ev->expires_at) == 0 ? 1 : -1;
	return 0;
#undef IS
}

static const notify_kind *kind_of(const char *v, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(notify_kinds) / sizeof(notify_kinds[0]); i++)
		if (strlen(notify_kinds[i].kind) == len && memcmp(notify_kinds[i].kind, v, len) == 0)
			return &notify_kinds[i];
	return NULL;
}

int notify_event_parse(const char *id, size_t n, const char *const *names, const size_t *namelens,
                       const char *const *values, const size_t *valuelens,
                       notify_event *ev, char *why, size_t whylen)
{
	size_t i;
	int have_kind = 0;

	memset(ev, 0, sizeof(*ev));
	if (!entry_id_ok(id) || strlen(id) >= sizeof(ev->id))
		return snprintf(why, whylen, "the entry id is not a stream id"), -1;
	strcpy(ev->id, id);
	for (i = 0; i < n; i++) {
		if (namelens[i] == 4 && memcmp(names[i], "kind", 4) == 0) {
			have_kind = 1;
			if ((ev->kind = kind_of(values[i], valuelens[i])) == NULL)
				return 0;  /* not a kind sent by e-mail */
		} else if (take(ev, names[i], namelens[i], values[i], valuelens[i]) < 0) {
			snprintf(why, whylen, "the field %.*s is not valid", (int)(namelens[i] < 40 ? namelens[i] : 40),
			         names[i]);
			return -1;
		}
	}
	if (!have_kind)
		return snprintf(why, whylen, "the entry has no kind"), -1;
	if (!ev->hold[0] || !ev->agency[0] || !ev->responder[0] || !ev->house[0] || !ev->at || !ev->expires_at)
		return snprintf(why, whylen, "a %s event needs hold, agency, responder, safehouse_name, at and expires_at",
		                ev->kind->kind), -1;
	return 1;
}

json_t *notify_event_data(const notify_event *ev, const notify_settings *s, time_t now)
{
	char expires[96], link[512], search[512];

	portal_time_words((time_t)ev->expires_at, now, expires, sizeof(expires));
	snprintf(link, sizeof(link), "%s/beds/holds/%s", s->public_url, ev->hold);
	snprintf(search, sizeof(search), "%s/beds/search", s->public_url);
	return json_pack("{s:b, s:s, s:s, s:s, s:s}", ev->kind->kind, 1, "house", ev->house,
	                 "link", link, "search_link", search, "expires", expires);
}
