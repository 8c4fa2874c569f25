/* ics.h - one calendar file (RFC 5545 iCalendar, with iTIP's METHOD of RFC
 * 5546): the one builder of the portal's .ics, used by the training
 * module's calendar link (METHOD:PUBLISH) and by portal-notify's booking
 * e-mails (METHOD:REQUEST, and METHOD:CANCEL with the same UID).
 *
 * Times are written in Europe/London local time with its VTIMEZONE, so the
 * process must have called portal_clock_init() (clock.h).
 */
#ifndef PORTAL_ICS_H
#define PORTAL_ICS_H

#include <time.h>

#include "buf.h"

typedef enum portal_ics_method {
	PORTAL_ICS_PUBLISH,   /* a file to download: no organiser needed */
	PORTAL_ICS_REQUEST,   /* an invitation (or its update: a higher SEQUENCE) */
	PORTAL_ICS_CANCEL,    /* the event with this UID is cancelled */
} portal_ics_method;

/* One calendar event.  Strings are UTF-8, owned by the caller; NULL or ""
 * leaves an optional property out. */
typedef struct portal_ics_event {
	portal_ics_method method;
	const char *uid;          /* stable for the thing it stands for (a booking) */
	const char *summary;      /* the title */
	const char *location;     /* optional */
	const char *description;  /* optional */
	const char *url;          /* optional; left out when it holds CR, LF or '"' */
	const char *organizer;    /* optional e-mail address (ORGANIZER:mailto:) */
	const char *attendee;     /* optional e-mail address (ATTENDEE:mailto:) */
	time_t      starts, ends, stamp;
	long long   sequence;     /* bumped whenever the event changes */
	int         cancelled;    /* STATUS:CANCELLED (always so with CANCEL) */
} portal_ics_event;

/* Append a VCALENDAR holding `ev` to out: CRLF lines folded at 75 octets,
 * never inside a UTF-8 character, text values escaped, a VTIMEZONE for
 * Europe/London and local times.  Returns 0, or -1 when out overflowed. */
int portal_ics_build(portal_buf *out, const portal_ics_event *ev);

/* The UID of a training booking's event (printf format of the booking id):
 * the calendar link and every e-mail about the booking carry the same. */
#define PORTAL_ICS_BOOKING_UID "training-booking-%s@london-anti-slavery-portal"

/* The description of a training session's event (printf format of the
 * course title and the organisation delivering it). */
#define PORTAL_ICS_SESSION_DESCRIPTION "%s training session delivered by %s."

#endif
