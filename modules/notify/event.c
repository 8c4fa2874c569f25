/* event.c - the kinds of event people are told of, and one stream entry
 * checked (stream entries are trusted but checked: a malformed one is
 * logged, dead-lettered and acknowledged, never a crash), its words, its
 * link and the templates' data.  Pure: no I/O (tests/fuzz/fuzz_notify_event.c,
 * tests/unit/test_notify_message.c).
 *
 * Adding a kind is one row of notify_kinds (and, when it is e-mailed, a
 * section of each template in templates/); a new field is one row of
 * event_fields. */
#include <string.h>

#include "clock.h"
#include "notify.h"
#include "parse.h"
#include "signin.h"

/* One row a kind: the kind, who hears of it and the field naming them, its
 * page, its one line in the portal, its e-mail (NONE: the portal only;
 * CHOICE: unless turned off; ALWAYS), and its name on the settings page. */
const notify_kind notify_kinds[] = {
	{ "hold_placed", NOTIFY_TO_AGENCY_ONCALL, "agency", "/beds/holds/{hold}", "A bed hold is waiting for your answer at {safehouse_name}: it ends at {expires_at} if nobody answers", NOTIFY_MAIL_ALWAYS, "A bed hold is placed at one of your agency's houses" },
	{ "hold_accepted", NOTIFY_TO_UID, "responder", "/beds/holds/{hold}", "Your bed hold at {safehouse_name} was accepted", NOTIFY_MAIL_CHOICE, "Your bed hold is accepted" },
	{ "hold_declined", NOTIFY_TO_UID, "responder", "/beds/holds/{hold}", "Your bed hold at {safehouse_name} was declined", NOTIFY_MAIL_CHOICE, "Your bed hold is declined" },
	{ "hold_cancelled", NOTIFY_TO_UID, "responder", "/beds/holds/{hold}", "Your bed hold at {safehouse_name} is cancelled", NOTIFY_MAIL_CHOICE, "Your bed hold is cancelled" },
	{ "hold_expiring", NOTIFY_TO_AGENCY_ONCALL, "agency", "/beds/holds/{hold}", "A bed hold at {safehouse_name} ends at {expires_at} and nobody has answered it", NOTIFY_MAIL_ALWAYS, "A bed hold at one of your agency's houses is about to run out unanswered" },
	{ "hold_expired", NOTIFY_TO_BOTH_SIDES, "responder", "/beds/holds/{hold}", "Nobody answered the bed hold at {safehouse_name} in time: it ended at {expires_at} and the bed is free again", NOTIFY_MAIL_CHOICE, "A bed hold ran out of time" },
	{ "vacancies_stale", NOTIFY_TO_AGENCY_STAFF, "agency", "/beds/safehouses/{safehouse}", "The vacancies of {safehouse_name} were last updated at {updated_at}: update or confirm them", NOTIFY_MAIL_CHOICE, "A house's vacancies are out of date" },
	{ "change_proposed", NOTIFY_TO_COORDINATORS, NULL, "/directory/changes", "A change to {service_name} in the directory is waiting for your decision", NOTIFY_MAIL_CHOICE, "A directory change is proposed" },
	{ "change_approved", NOTIFY_TO_UID, "proposer", "/directory/changes", "Your change to {service_name} in the directory was approved", NOTIFY_MAIL_CHOICE, "Your directory change is approved" },
	{ "change_rejected", NOTIFY_TO_UID, "proposer", "/directory/changes", "Your change to {service_name} in the directory was not approved", NOTIFY_MAIL_CHOICE, "Your directory change is not approved" },
	{ "suggestion_made", NOTIFY_TO_COORDINATORS, NULL, "/directory/suggestions", "Someone suggested an edit to {service_name} in the directory", NOTIFY_MAIL_CHOICE, "An edit is suggested for a directory entry" },
	{ "service_unverified", NOTIFY_TO_AGENCY_STAFF, "agency", "/directory/services/{service}", "{service_name} in the directory was last verified at {verified_at}: check it and verify it", NOTIFY_MAIL_CHOICE, "A directory entry of your agency is due for verification" },
	{ "booking_confirmed", NOTIFY_TO_UID, "uid", "/training/sessions/{session}",
	  "Your place on {title} at {starts_at} is booked", NOTIFY_MAIL_CHOICE, "Your training place is booked" },
	{ "booking_waitlisted", NOTIFY_TO_UID, "uid", "/training/sessions/{session}",
	  "You are on the waiting list of {title} at {starts_at}", NOTIFY_MAIL_CHOICE,
	  "You are on a training waiting list" },
	{ "booking_promoted", NOTIFY_TO_UID, "uid", "/training/sessions/{session}",
	  "A place came free: you are booked on {title} at {starts_at}", NOTIFY_MAIL_CHOICE,
	  "You move from a waiting list to a place" },
	{ "booking_cancelled", NOTIFY_TO_UID, "uid", "/training/sessions/{session}",
	  "Your booking of {title} at {starts_at} is cancelled", NOTIFY_MAIL_CHOICE, "Your training booking is cancelled" },
	{ "session_changed", NOTIFY_TO_UIDS, "uids", "/training/sessions/{session}",
	  "{title}, a training session you booked, has changed: it is at {starts_at}, {location}", NOTIFY_MAIL_CHOICE,
	  "A training session you booked changes" },
	{ "session_cancelled", NOTIFY_TO_UIDS, "uids", "/training/sessions/{session}",
	  "{title} at {starts_at}, a training session you booked, is cancelled", NOTIFY_MAIL_CHOICE,
	  "A training session you booked is cancelled" },
	{ "session_reminder", NOTIFY_TO_UID, "uid", "/training/sessions/{session}",
	  "Reminder: {title} is at {starts_at}, {location}", NOTIFY_MAIL_CHOICE, "A reminder 2 days before your training" },
	{ "feedback_asked", NOTIFY_TO_UID, "uid", "/training/bookings/{booking}/feedback",
	  "Tell us how {title} went: how confident you were before and after, and what you will do differently",
	  NOTIFY_MAIL_CHOICE, "You are asked for feedback after a training session you attended" },
	{ "case_shared", NOTIFY_TO_UNIT_STAFF, "unit", "/cases/{case}", "An agency shared a case with your unit: sign in to read it", NOTIFY_MAIL_CHOICE, "An agency shares a case with your unit" },
	{ "case_replied", NOTIFY_TO_UNIT_STAFF, "unit", "/cases/{case}", "An agency replied on a case shared with your unit: sign in to read it", NOTIFY_MAIL_CHOICE, "An agency replies on a case shared with your unit" },
	{ "case_update_requested", NOTIFY_TO_UNIT_STAFF, "unit", "/cases/{case}", "An agency asks your unit for an update on a shared case: sign in to read it", NOTIFY_MAIL_CHOICE, "An agency asks your unit for an update on a case" },
	{ "case_acknowledged", NOTIFY_TO_AGENCY_STAFF, "ngo_agency", "/cases/{case}", "The police received a case your agency shared: sign in to read it", NOTIFY_MAIL_CHOICE, "The police receive a case your agency shared" },
	{ "case_updated", NOTIFY_TO_AGENCY_STAFF, "ngo_agency", "/cases/{case}", "A case your agency shared has an update: sign in to read it", NOTIFY_MAIL_CHOICE, "A case your agency shared has an update" },
	{ "case_closed", NOTIFY_TO_OTHER_SIDE, "closed_by_side", "/cases/{case}", "A shared case is closed: sign in to read it", NOTIFY_MAIL_CHOICE, "The other side closes a shared case" },
};
const size_t notify_nkinds = sizeof(notify_kinds) / sizeof(notify_kinds[0]);

/* How a field's value is checked. */
typedef enum event_rule {
	RULE_NUMBER,  /* a record number: 1..20 digits */
	RULE_KEY,     /* an id: 1..64 of A-Z a-z 0-9 . _ - */
	RULE_UID,     /* a uid or agency id (portal_signin_username_ok) */
	RULE_UIDS,    /* uids separated by single spaces, or "" */
	RULE_TIME,    /* Unix seconds */
	RULE_TEXT,    /* one line of UTF-8 without control characters */
} event_rule;

/* The fields events carry (events.md); any other field is ignored. */
static const struct event_field {
	const char *name;
	event_rule  rule;
} event_fields[] = {
	{ "hold", RULE_NUMBER }, { "safehouse", RULE_NUMBER }, { "booking", RULE_KEY },  /* "<session>-<n>" */
	{ "session", RULE_NUMBER }, { "change", RULE_KEY }, { "suggestion", RULE_KEY },
	{ "service", RULE_KEY }, { "case", RULE_KEY },
	{ "agency", RULE_UID }, { "ngo_agency", RULE_UID }, { "trainer_agency", RULE_UID },
	{ "responder", RULE_UID }, { "by", RULE_UID }, { "uid", RULE_UID }, { "trainer", RULE_UID },
	{ "proposer", RULE_UID }, { "uids", RULE_UIDS }, { "bookings", RULE_UIDS },  /* booking ids, like uids */
	{ "at", RULE_TIME }, { "expires_at", RULE_TIME }, { "starts_at", RULE_TIME }, { "ends_at", RULE_TIME },
	{ "updated_at", RULE_TIME }, { "verified_at", RULE_TIME },
	{ "safehouse_name", RULE_TEXT }, { "service_name", RULE_TEXT }, { "title", RULE_TEXT },
	{ "group", RULE_TEXT }, { "borough", RULE_TEXT }, { "status", RULE_TEXT }, { "unit", RULE_TEXT },
	{ "reason", RULE_TEXT }, { "location", RULE_TEXT }, { "organisation", RULE_TEXT }, { "changed", RULE_TEXT },
	{ "was", RULE_TEXT }, { "attendance", RULE_TEXT }, { "sequence", RULE_NUMBER },
	{ "closed_by_side", RULE_KEY },  /* a case's: "unit" or "ngo" */
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

/* Valid UTF-8 with no control character. */
static int line_ok(const char *v, size_t len)
{
	size_t i;

	if (!portal_utf8_valid(v, len))
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return 0;
	return 1;
}

/* 1 when v (NUL-terminated, len bytes) is uids separated by single spaces. */
static int uids_ok(const char *v, size_t len)
{
	char one[NOTIFY_UID_MAX];
	size_t i = 0, j;

	while (i < len) {
		for (j = i; j < len && v[j] != ' '; j++)
			;
		if (j == i || j - i >= sizeof(one) || (j < len && j + 1 == len))
			return 0;
		memcpy(one, v + i, j - i);
		one[j - i] = '\0';
		if (!portal_signin_username_ok(one))
			return 0;
		i = j + 1;
	}
	return 1;
}

/* 1 when v (NUL-terminated, len bytes) keeps the rule. */
static int rule_ok(event_rule rule, const char *v, size_t len)
{
	size_t i;

	switch (rule) {
	case RULE_NUMBER:
		return digits(v, len, 20);
	case RULE_TIME:
		return digits(v, len, 12);
	case RULE_KEY:
		if (len == 0 || len > 64)
			return 0;
		for (i = 0; i < len; i++)
			if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", v[i]) || v[i] == '\0')
				return 0;
		return 1;
	case RULE_UID:
		return portal_signin_username_ok(v);
	case RULE_UIDS:
		return uids_ok(v, len);
	case RULE_TEXT:
		return 1;
	}
	return 0;
}

/* Take field name=v into ev: 1 taken, 0 not a field of ours (ignored), -1
 * its value is wrong or there is no room. */
static int take(notify_event *ev, const char *name, size_t nl, const char *v, size_t vl)
{
	size_t i;
	char *at;

	for (i = 0; i < sizeof(event_fields) / sizeof(event_fields[0]); i++)
		if (strlen(event_fields[i].name) == nl && memcmp(event_fields[i].name, name, nl) == 0)
			break;
	if (i == sizeof(event_fields) / sizeof(event_fields[0]))
		return 0;
	if (notify_event_get(ev, event_fields[i].name) != NULL)
		return -1;  /* twice */
	if (!line_ok(v, vl) || ev->n == NOTIFY_FIELDS_MAX || vl + 1 > sizeof(ev->text) - ev->used)
		return -1;
	at = ev->text + ev->used;
	memcpy(at, v, vl);
	at[vl] = '\0';
	if (!rule_ok(event_fields[i].rule, at, vl))
		return -1;
	ev->used += vl + 1;
	ev->field[ev->n].name = event_fields[i].name;
	ev->field[ev->n].value = at;
	ev->field[ev->n++].is_time = event_fields[i].rule == RULE_TIME;
	return 1;
}

const notify_kind *notify_kind_find(const char *v, size_t len)
{
	size_t i;

	for (i = 0; i < notify_nkinds; i++)
		if (strlen(notify_kinds[i].kind) == len && memcmp(notify_kinds[i].kind, v, len) == 0)
			return &notify_kinds[i];
	return NULL;
}

const char *notify_event_get(const notify_event *ev, const char *name)
{
	size_t i;

	for (i = 0; i < ev->n; i++)
		if (strcmp(ev->field[i].name, name) == 0)
			return ev->field[i].value;
	return NULL;
}

/* Append s[0..len) to out[*used..size), percent-encoded outside
 * A-Z a-z 0-9 . _ - when `encode`.  -1 when it does not fit. */
static int put(char *out, size_t size, size_t *used, const char *s, size_t len, int encode)
{
	static const char hexdigits[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int plain = !encode || (c < 0x80 && strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", c));
		if (*used + (plain ? 1 : 3) >= size)
			return -1;
		if (plain) {
			out[(*used)++] = (char)c;
		} else {
			out[(*used)++] = '%';
			out[(*used)++] = hexdigits[c >> 4];
			out[(*used)++] = hexdigits[c & 15];
		}
	}
	out[*used] = '\0';
	return 0;
}

/* The value of field name[0..len) for a pattern: a time field in words
 * into tmp.  NULL when the event has no such field. */
static const char *pattern_value(const notify_event *ev, const char *name, size_t len, time_t now,
                                 char *tmp, size_t tmplen)
{
	size_t i;
	long long t;

	for (i = 0; i < ev->n; i++) {
		if (strlen(ev->field[i].name) != len || memcmp(ev->field[i].name, name, len) != 0)
			continue;
		if (!ev->field[i].is_time)
			return ev->field[i].value;
		if (portal_parse_int(ev->field[i].value, 0, 253402300799LL, &t) < 0)
			return NULL;
		portal_time_words((time_t)t, now, tmp, tmplen);
		return tmp;
	}
	return NULL;
}

int notify_event_render(const notify_event *ev, const char *pattern, int is_link, time_t now,
                        char *out, size_t len)
{
	const char *p = pattern, *open, *close, *v;
	char tmp[96];
	size_t used = 0;

	if (len == 0)
		return -1;
	out[0] = '\0';
	while ((open = strchr(p, '{')) != NULL && (close = strchr(open, '}')) != NULL) {
		if (put(out, len, &used, p, (size_t)(open - p), 0) < 0)
			return -1;
		v = pattern_value(ev, open + 1, (size_t)(close - open - 1), now, tmp, sizeof(tmp));
		if (v == NULL || put(out, len, &used, v, strlen(v), is_link) < 0)
			return -1;
		p = close + 1;
	}
	return put(out, len, &used, p, strlen(p), 0);
}

/* The first field the kind's audience, link or words name that ev lacks,
 * into out[len]; 0 when none is missing. */
static int missing_field(const notify_event *ev, char *out, size_t len)
{
	const char *patterns[2] = { ev->kind->link, ev->kind->words }, *p;
	size_t i, n;

	if (ev->kind->who && notify_event_get(ev, ev->kind->who) == NULL)
		return snprintf(out, len, "%s", ev->kind->who), 1;
	for (i = 0; i < 2; i++)
		for (p = strchr(patterns[i], '{'); p; p = strchr(p + 1, '{')) {
			n = strcspn(p + 1, "}");
			snprintf(out, len, "%.*s", (int)n, p + 1);
			if (notify_event_get(ev, out) == NULL)
				return 1;
		}
	return 0;
}

int notify_event_parse(const char *id, size_t n, const char *const *names, const size_t *namelens,
                       const char *const *values, const size_t *valuelens,
                       notify_event *ev, char *why, size_t whylen)
{
	size_t i;
	int have_kind = 0;
	char name[48], words[NOTIFY_WORDS_MAX];

	memset(ev, 0, sizeof(*ev));
	if (!entry_id_ok(id) || strlen(id) >= sizeof(ev->id))
		return snprintf(why, whylen, "the entry id is not a stream id"), -1;
	strcpy(ev->id, id);
	for (i = 0; i < n; i++) {
		if (namelens[i] == 4 && memcmp(names[i], "kind", 4) == 0) {
			have_kind = 1;
			if ((ev->kind = notify_kind_find(values[i], valuelens[i])) == NULL)
				return 0;  /* a kind nobody is told of */
		} else if (take(ev, names[i], namelens[i], values[i], valuelens[i]) < 0) {
			snprintf(why, whylen, "the field %.*s is not valid", (int)(namelens[i] < 40 ? namelens[i] : 40),
			         names[i]);
			return -1;
		}
	}
	if (!have_kind)
		return snprintf(why, whylen, "the entry has no kind"), -1;
	if (notify_event_get(ev, "at") == NULL || portal_parse_int(notify_event_get(ev, "at"), 1, 253402300799LL, &ev->at) < 0)
		return snprintf(why, whylen, "a %s event needs at, its time", ev->kind->kind), -1;
	if (missing_field(ev, name, sizeof(name)))
		return snprintf(why, whylen, "a %s event needs the field %s", ev->kind->kind, name), -1;
	if (notify_event_render(ev, ev->kind->link, 1, 0, words, sizeof(words)) < 0 ||
	    notify_event_render(ev, ev->kind->words, 0, 0, words, sizeof(words)) < 0)
		return snprintf(why, whylen, "a %s event's fields are too long to tell of", ev->kind->kind), -1;
	return 1;
}

json_t *notify_event_data(const notify_event *ev, const notify_settings *s, time_t now)
{
	char words[NOTIFY_WORDS_MAX], path[NOTIFY_WORDS_MAX], link[NOTIFY_WORDS_MAX + 512], tmp[96];
	json_t *d;
	size_t i;

	if (notify_event_render(ev, ev->kind->words, 0, now, words, sizeof(words)) < 0 ||
	    notify_event_render(ev, ev->kind->link, 1, now, path, sizeof(path)) < 0)
		return NULL;
	snprintf(link, sizeof(link), "%s%s", s->public_url, path);
	d = json_pack("{s:b, s:s, s:s, s:s}", ev->kind->kind, 1, "text", words, "link", link, "portal", s->public_url);
	for (i = 0; d && i < ev->n; i++) {
		json_object_set_new(d, ev->field[i].name, json_string(ev->field[i].value));
		if (ev->field[i].is_time) {
			char key[48];
			snprintf(key, sizeof(key), "%s_words", ev->field[i].name);
			json_object_set_new(d, key, json_string(pattern_value(ev, ev->field[i].name, strlen(ev->field[i].name),
			                                                      now, tmp, sizeof(tmp))));
		}
	}
	return d;
}

json_t *notify_kinds_catalogue(void)
{
	json_t *a = json_array();
	size_t i;

	static const char *const email[] = { "none", "choice", "always" };

	for (i = 0; a && i < notify_nkinds; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "kind", notify_kinds[i].kind, "label",
		                                   notify_kinds[i].label, "email", email[notify_kinds[i].email]));
	return a;
}
