/* calendar.c - the calendar file a training e-mail carries: the session's
 * .ics from common/ics.c, the builder of the portal's own calendar link,
 * with the same UID (PORTAL_ICS_BOOKING_UID of the person's booking), so a
 * calendar that took the file from either place updates the one event.
 *
 *   booking_confirmed, booking_promoted,   METHOD:REQUEST, to the booker
 *   session_reminder                       (fields booking and uid)
 *   session_changed                        METHOD:REQUEST, to each person
 *                                          with a place (uids[i] whose
 *                                          booking is bookings[i])
 *   booking_cancelled (was "confirmed")    METHOD:CANCEL, the sequence one
 *                                          above the session's (as the
 *                                          calendar link gives it)
 *   session_cancelled                      METHOD:CANCEL, to each person
 *                                          who had a place
 * Waitlisted people get their message without a file: they have no place.
 * Pure: no I/O (tests/unit/test_notify_calendar.c). */
#include <stdio.h>
#include <string.h>

#include "ics.h"
#include "notify.h"
#include "parse.h"

static const struct {
	const char       *kind;
	portal_ics_method method;
} notify_calendar_kinds[] = {
	{ "booking_confirmed", PORTAL_ICS_REQUEST },
	{ "booking_promoted", PORTAL_ICS_REQUEST },
	{ "session_reminder", PORTAL_ICS_REQUEST },
	{ "session_changed", PORTAL_ICS_REQUEST },
	{ "booking_cancelled", PORTAL_ICS_CANCEL },
	{ "session_cancelled", PORTAL_ICS_CANCEL },
};

/* The word at position `index` (from 0) of the space-separated `list`,
 * into out[len]; -1 when there is none or it does not fit. */
static int word_at(const char *list, size_t index, char *out, size_t len)
{
	const char *p = list;
	size_t i = 0, n;

	while (p && *p) {
		n = strcspn(p, " ");
		if (n > 0 && i++ == index) {
			if (n >= len)
				return -1;
			memcpy(out, p, n);
			out[n] = '\0';
			return 0;
		}
		p += n;
		p += *p == ' ';
	}
	return -1;
}

/* The position of `uid` in the space-separated `list`, or -1. */
static long word_index(const char *list, const char *uid)
{
	size_t i = 0, n, len = strlen(uid);
	const char *p = list;

	while (p && *p) {
		n = strcspn(p, " ");
		if (n > 0) {
			if (n == len && memcmp(p, uid, n) == 0)
				return (long)i;
			i++;
		}
		p += n;
		p += *p == ' ';
	}
	return -1;
}

/* The booking of person `uid` the event speaks of, into bid[len]: the
 * "booking" of a booking event (when it is theirs), else theirs in
 * "bookings" (the same position as in "uids").  0, or -1 when they have
 * none. */
static int booking_of(notify_field_fn field, const void *ev, const char *uid, char *bid, size_t len)
{
	const char *one = field(ev, "booking"), *who = field(ev, "uid"), *list = field(ev, "bookings");
	long i;

	if (one && who && strcmp(who, uid) == 0)
		return snprintf(bid, len, "%s", one) < (int)len ? 0 : -1;
	if (list && (i = word_index(field(ev, "uids"), uid)) >= 0)
		return word_at(list, (size_t)i, bid, len);
	return -1;
}

static int number(notify_field_fn field, const void *ev, const char *name, long long *out)
{
	const char *v = field(ev, name);

	return v && portal_parse_int(v, 0, 253402300799LL, out) == 0 ? 0 : -1;
}

int notify_calendar_build(const char *kind, notify_field_fn field, const void *ev, const char *uid,
                          const char *addr, const char *organizer, time_t stamp, portal_buf *out,
                          const char **type)
{
	portal_ics_event ics = { .organizer = organizer, .attendee = addr, .stamp = stamp };
	char bid[64], ical_uid[128], desc[1024];
	long long starts, ends, sequence;
	size_t i;

	for (i = 0; i < sizeof(notify_calendar_kinds) / sizeof(notify_calendar_kinds[0]); i++)
		if (strcmp(kind, notify_calendar_kinds[i].kind) == 0)
			break;
	if (i == sizeof(notify_calendar_kinds) / sizeof(notify_calendar_kinds[0]) ||
	    booking_of(field, ev, uid, bid, sizeof(bid)) < 0)
		return 0;
	if (strcmp(kind, "booking_cancelled") == 0 && strcmp(field(ev, "was") ? field(ev, "was") : "", "confirmed") != 0)
		return 0;  /* left the waitlist: there was no place in a calendar */
	if (number(field, ev, "starts_at", &starts) < 0 || number(field, ev, "ends_at", &ends) < 0 ||
	    number(field, ev, "sequence", &sequence) < 0 || !field(ev, "title") || !field(ev, "organisation"))
		return -1;
	snprintf(ical_uid, sizeof(ical_uid), PORTAL_ICS_BOOKING_UID, bid);
	snprintf(desc, sizeof(desc), PORTAL_ICS_SESSION_DESCRIPTION, field(ev, "title"), field(ev, "organisation"));
	ics.method = notify_calendar_kinds[i].method;
	ics.uid = ical_uid;
	ics.summary = field(ev, "title");
	ics.location = field(ev, "location");
	ics.description = desc;
	ics.starts = (time_t)starts;
	ics.ends = (time_t)ends;
	/* the booking's own cancellation changes its event (as the calendar link says) */
	ics.sequence = sequence + (strcmp(kind, "booking_cancelled") == 0);
	*type = ics.method == PORTAL_ICS_CANCEL ? "text/calendar; method=CANCEL; charset=UTF-8"
	                                        : "text/calendar; method=REQUEST; charset=UTF-8";
	return portal_ics_build(out, &ics) < 0 ? -1 : 1;
}
