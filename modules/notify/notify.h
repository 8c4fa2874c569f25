/* notify.h - portal-notify: the worker that tells people what happened.
 *
 * A long-running program, not a FastCGI module (README, "Adding a module"):
 * it reads each module's event stream (the prelude's event(): the stream
 * "<base key>:events") through the consumer group "notify", finds who must
 * hear of each event in the directory (LDAP), renders a plain-text and an
 * HTML part from its templates (modules/notify/templates/) and sends one
 * e-mail per recipient over SMTP with libcurl.  An event is acknowledged
 * (XACK) only when the SMTP server accepted every message for it; a failure
 * leaves it pending, tried again with back-off, and an event still failing
 * after PORTAL_NOTIFY_DEAD_AFTER_SECONDS goes to the dead-letter list.
 *
 * Sinks: each thing the worker does with the events reads them through its
 * own consumer group, so one sink's failure never holds back another (the
 * e-mail sink, group "notify", waits for the SMTP server; others write to
 * Redis).  A sink's handler says what became of an entry: done, try again
 * later, or dead-letter it with a reason.
 *
 * Files: main.c (settings, signals, the loop, the sinks), stream.c (Redis:
 * groups, reading, claiming, acknowledging, dead letters), entry.c (a stream
 * entry's fields), event.c (an entry's fields checked, the words of each
 * kind), send.c (the e-mail sink), recipients.c (LDAP), message.c (the MIME
 * message), smtp.c (libcurl), metrics.c (the metrics socket), health.c
 * (--health), production.c (what production refuses), dashboard.c and
 * lua/dashboard.lua (the dashboard sink), clock.c (runs each module's due
 * script: time-based events), inbox.c (the in-portal sink).
 *
 * Keys it writes besides the streams' groups: each person's notifications
 * and the e-mail choices, the kinds catalogue and the dead letters, as
 * common/notices.h lays them out (libportal reads them for the pages).
 */
#ifndef NOTIFY_H
#define NOTIFY_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "config.h"
#include "store.h"
#include "template.h"

#define NOTIFY_ADDR_MAX 256
#define NOTIFY_MAX_RCPT 512

/* ---- settings (main.c) --------------------------------------------------- */
typedef struct notify_settings {
	const char *smtp_url;        /* PORTAL_SMTP_URL, default smtp://127.0.0.1:25 */
	const char *smtp_user;       /* PORTAL_SMTP_USER, "" none */
	char       *smtp_password;   /* read from PORTAL_SMTP_PASSWORD_FILE; NULL none */
	const char *mail_from;       /* PORTAL_MAIL_FROM: the From header */
	char        from_addr[NOTIFY_ADDR_MAX];  /* its address: the envelope sender */
	char        domain[NOTIFY_ADDR_MAX];     /* its domain: Message-IDs' right side */
	const char *public_url;      /* PORTAL_PUBLIC_URL, no trailing slash */
	const char *agency_base;     /* PORTAL_LDAP_AGENCY_BASE */
	const char *consumer;        /* PORTAL_NOTIFY_CONSUMER, default the host name */
	long long   retry_seconds;   /* PORTAL_NOTIFY_RETRY_SECONDS, default 30 */
	long long   retry_max;       /* PORTAL_NOTIFY_RETRY_MAX_SECONDS, default 3600 */
	long long   dead_after;      /* PORTAL_NOTIFY_DEAD_AFTER_SECONDS, default 86400 */
	long long   smtp_timeout;    /* PORTAL_SMTP_TIMEOUT_SECONDS, default 30 */
	long long   clock_seconds;   /* PORTAL_NOTIFY_CLOCK_SECONDS, default 30: clock.c */
} notify_settings;

/* The address inside "Name <addr>" (or the whole of "addr") into out, and
 * its domain into domain.  Returns 0, or -1 when it is not one plausible
 * address (no '@', spaces or control characters, too long). */
int notify_parse_from(const char *from, char *out, size_t outlen, char *domain, size_t domlen);

/* PORTAL_ENV=production: 0, or -1 (err says what to set) when a setting is
 * the demo's: PORTAL_PUBLIC_URL not https:// or naming this machine, or
 * PORTAL_MAIL_FROM at localhost (production.c). */
int notify_settings_production(const notify_settings *s, char *err, size_t errlen);

/* ---- events (event.c) ------------------------------------------------------ */
/* Who hears of an event of a kind. */
typedef enum notify_audience {
	NOTIFY_TO_AGENCY_ONCALL,  /* the NGO staff of the agency in field `who`, and the
	                           * agency's own (on-call) address */
	NOTIFY_TO_AGENCY_STAFF,   /* the NGO staff of the agency in field `who` */
	NOTIFY_TO_UID,            /* one person: the uid in field `who` */
	NOTIFY_TO_UIDS,           /* the uids in field `who`, separated by spaces */
	NOTIFY_TO_COORDINATORS,   /* the partnership's coordinators */
	NOTIFY_TO_BOTH_SIDES,     /* a hold's both sides: as NOTIFY_TO_AGENCY_ONCALL for the
	                           * field "agency", and the uid in field `who` */
	NOTIFY_TO_UNIT_STAFF,     /* the police staff of the unit in field `who`: people
	                           * whose PORTAL_LDAP_UNIT_ATTR is it */
	NOTIFY_TO_OTHER_SIDE,     /* a case's side that did not act: field `who` "unit" (the
	                           * unit acted) tells the NGO staff of field "ngo_agency",
	                           * "ngo" the staff of field "unit"; neither, both */
} notify_audience;

/* Whether a kind is e-mailed, and whether a person may turn that off. */
typedef enum notify_email {
	NOTIFY_MAIL_NONE,    /* in the portal only (no e-mail template for it) */
	NOTIFY_MAIL_CHOICE,  /* e-mailed unless the person turned it off */
	NOTIFY_MAIL_ALWAYS,  /* e-mailed, never turned off (what an on-call must hear) */
} notify_email;

/* One kind of event: one row of event.c's table.  In `link` and `words`,
 * "{name}" is the event's field `name` (a time field, "..._at", in words);
 * every field they name must be in the event, or it is malformed. */
typedef struct notify_kind {
	const char     *kind;   /* "hold_placed" */
	notify_audience to;
	const char     *who;    /* the field naming the audience ("agency"); NULL for coordinators */
	const char     *link;   /* the page, a path: "/beds/holds/{hold}" */
	const char     *words;  /* the portal's one line: "A bed hold is waiting ... at {safehouse_name}" */
	notify_email    email;
	const char     *label;  /* the settings page's name of it: "A bed hold is placed at your agency's house" */
} notify_kind;

#define NOTIFY_FIELDS_MAX 32
#define NOTIFY_TEXT_MAX   8192
#define NOTIFY_WORDS_MAX  1024  /* a kind's words or link, rendered: an event whose do not fit is malformed */

/* An event checked: its kind and its known fields (values in text[]). */
typedef struct notify_event {
	char               id[48];          /* the stream entry id "ms-seq" */
	const notify_kind *kind;
	long long          at;
	size_t             n;
	struct {
		const char *name;               /* static: the field rules' name */
		const char *value;              /* in text[] */
		int         is_time;
	} field[NOTIFY_FIELDS_MAX];
	char               text[NOTIFY_TEXT_MAX];
	size_t             used;
} notify_event;

/* The kinds, in the order the settings page shows them, and their number. */
extern const notify_kind notify_kinds[];
extern const size_t notify_nkinds;

/* The kind named `name` (name[0..len)), or NULL. */
const notify_kind *notify_kind_find(const char *name, size_t len);

/* Check one stream entry (id and n name/value pairs, as Redis gave them:
 * values need not be NUL-terminated) into *ev.  Returns 1 (a kind of the
 * table), 0 (a kind nobody is told of: acknowledge and go on) or -1
 * (malformed: why[] says what, for the log and the dead-letter list; ev->kind
 * is set when the entry named a kind of the table before what was wrong). */
int notify_event_parse(const char *id, size_t n, const char *const *names, const size_t *namelens,
                       const char *const *values, const size_t *valuelens,
                       notify_event *ev, char *why, size_t whylen);

/* The value of ev's field `name`, or NULL. */
const char *notify_event_get(const notify_event *ev, const char *name);

/* Render `pattern` ("{name}" the field, a time field in words against now;
 * in a link, values percent-encoded) into out[len].  Returns 0, or -1 when
 * a field it names is missing or the text does not fit. */
int notify_event_render(const notify_event *ev, const char *pattern, int is_link, time_t now,
                        char *out, size_t len);

/* The templates' data for `ev`: a true value named by its kind, every
 * field by its name (a time field also as NAME_words), text (the words),
 * link (PORTAL_PUBLIC_URL + the kind's link), portal (PORTAL_PUBLIC_URL),
 * now as the reference for the words.  A new object, NULL when the words
 * do not render. */
json_t *notify_event_data(const notify_event *ev, const notify_settings *s, time_t now);

/* The kinds catalogue the worker publishes for the settings page
 * and the dead letters (notices.h): [{"kind","label","email":"none"|
 * "choice"|"always"}], every kind.  A new array. */
json_t *notify_kinds_catalogue(void);

/* ---- messages (message.c) -------------------------------------------------- */
/* A file sent with a message (a booking's calendar file). */
typedef struct notify_attachment {
	const char *type;   /* its Content-Type: "text/calendar; method=REQUEST; charset=UTF-8" */
	const char *name;   /* its file name, ASCII: "training-session.ics" */
	const char *data;   /* its bytes (not NUL-terminated) */
	size_t      len;
} notify_attachment;

typedef struct notify_mail {
	const char *from;        /* the From header (ASCII) */
	const char *to;          /* one address */
	const char *subject;     /* UTF-8, one line */
	const char *text, *html; /* UTF-8 bodies, lines ending "\n" */
	const char *message_id;  /* "<...>" */
	time_t      date;
	const notify_attachment *attachment;  /* NULL: none */
} notify_mail;

/* The whole message (RFC 5322 headers, CRLF line ends; multipart/alternative
 * with a quoted-printable text/plain and text/html part; with an attachment,
 * a multipart/mixed around that and the file, base64) appended to out.
 * Returns 0, or -1 when a header value (or the attachment's type or name)
 * holds CR, LF or a quote, or the buffer refused. */
int notify_mail_build(const notify_mail *m, portal_buf *out);

/* "<ENTRY.STREAM.HASH@DOMAIN>": the same for every send of one event's
 * message to one recipient (HASH: of the address, lower-cased). */
void notify_message_id(const char *stream, const char *entry_id, const char *rcpt,
                       const char *domain, char *out, size_t len);

/* Append "Name: value" and CRLF, the value as RFC 2047 encoded-words
 * (UTF-8, Q) when it is not all printable ASCII.  Returns 0 or -1. */
int notify_header(portal_buf *b, const char *name, const char *value);

/* Append s[0..len) quoted-printable (RFC 2045), "\n" made CRLF.  0 or -1. */
int notify_qp(portal_buf *b, const char *s, size_t len);

/* ---- calendar files (calendar.c) -------------------------------------------- */
/* The value of an event's field `name` (a NUL-terminated text), or NULL. */
typedef const char *(*notify_field_fn)(const void *ev, const char *name);

/* The calendar file (common/ics.c) of a training event of kind `kind` for
 * person `uid` at `addr` (the ATTENDEE; organizer: the From address), its
 * fields read through field(ev, name), appended to out, and its
 * Content-Type in *type (static).  Returns 1 (a file), 0 (no file: a kind
 * without one, or a person without a place) or -1 (a field it needs is
 * missing or wrong, or out overflowed). */
int notify_calendar_build(const char *kind, notify_field_fn field, const void *ev, const char *uid,
                          const char *addr, const char *organizer, time_t stamp, portal_buf *out,
                          const char **type);

/* ---- recipients (recipients.c) --------------------------------------------- */
#define NOTIFY_UID_MAX 65

/* Who hears of an event: per person the canonical uid (PORTAL_LDAP_USER_ATTR)
 * and the `mail` ("" when the entry has no usable one); the agency's own
 * address has no uid (""). */
typedef struct notify_rcpts {
	size_t n;
	struct {
		char uid[NOTIFY_UID_MAX];
		char addr[NOTIFY_ADDR_MAX];
	} to[NOTIFY_MAX_RCPT];
} notify_rcpts;

/* Who hears of `ev`.  With need_mail 0 (the in-portal sink), an audience
 * named by uids is taken from the event without asking the directory.
 * Returns 0 (r->n may be 0), or -1 when the directory failed (try again
 * later). */
int notify_recipients(const portal_config *cfg, const notify_settings *s,
                      const notify_event *ev, int need_mail, notify_rcpts *r);

/* Add uid and address to r unless the uid (or, with no uid, the address)
 * is there already or r is full.  Pure (recipients.c). */
void notify_rcpts_add(notify_rcpts *r, const char *uid, size_t uidlen, const char *addr, size_t addrlen);

/* ---- SMTP (smtp.c) ---------------------------------------------------------- */
typedef struct notify_smtp notify_smtp;
notify_smtp *notify_smtp_new(const notify_settings *s);
void notify_smtp_free(notify_smtp *c);
/* Send `msg` to `rcpt`.  Returns 0 when the server accepted it, else -1
 * (logged with the reason). */
int notify_smtp_send(notify_smtp *c, const char *rcpt, const char *msg, size_t len);

/* ---- streams (stream.c) ------------------------------------------------------ */
typedef struct notify_stream {
	const char *name;   /* the module: "beds" */
	const char *base;   /* its base key after the prefix: "beds:{beds}" */
} notify_stream;

/* One stream entry as Redis gave it: n name/value pairs (values need not be
 * NUL-terminated).  Valid while the sink's handler runs. */
typedef struct notify_entry {
	const char         *id;      /* "1733380000123-0" */
	size_t              n;
	const char *const  *names;
	const size_t       *namelens;
	const char *const  *values;
	const size_t       *valuelens;
} notify_entry;

/* The value of field `name` of e (its length in *len), or NULL (entry.c). */
const char *notify_entry_get(const notify_entry *e, const char *name, size_t *len);

/* The Unix seconds in a stream entry id (entry.c). */
long long notify_entry_seconds(const char *id);

typedef enum notify_outcome {
	NOTIFY_DONE,   /* acknowledge it */
	NOTIFY_RETRY,  /* leave it pending: tried again with back-off */
	NOTIFY_DEAD,   /* put it on the dead-letter list (why says why), then acknowledge */
} notify_outcome;

struct notify_worker;

/* A sink: its consumer group and what it does with an entry of stream s
 * (why[] is "" or the reason for the log and the dead-letter list, and
 * kind[] the entry's kind when known).  An entry still NOTIFY_RETRY
 * PORTAL_NOTIFY_DEAD_AFTER_SECONDS after it was made is dead-lettered.
 * acked (or NULL) runs after the entry is acknowledged. */
typedef struct notify_sink {
	const char *group;
	notify_outcome (*handle)(struct notify_worker *w, const notify_stream *s, const notify_entry *e,
	                         char *kind, size_t kindlen, char *why, size_t whylen);
	void (*acked)(struct notify_worker *w, const notify_stream *s, const char *id);
} notify_sink;

/* The worker's state, for stream.c and main.c. */
typedef struct notify_worker {
	const portal_config     *cfg;
	const notify_settings   *set;
	portal_store            *st;
	notify_smtp             *smtp;
	portal_templates        *tpl;
	const notify_stream     *streams;
	size_t                   nstreams;
	const notify_sink *const *sinks;  /* what it does with each event */
	size_t                   nsinks;
	int                      groups_ready;
	volatile int            *stopping;
} notify_worker;

/* One turn, for every sink: make the groups when needed, retry this
 * consumer's pending entries that are due, then read new entries; when
 * nothing was there, wait up to a second for new ones.  Returns the number
 * of entries handled, or -1 when Redis failed. */
int notify_turn(notify_worker *w);

/* ---- the e-mail sink (send.c) ------------------------------------------------ */
/* Group "notify": each event of a kind sent by e-mail goes to its
 * recipients, one message each, skipping those the server already accepted
 * (kept in Redis until the entry is acknowledged). */
extern const notify_sink notify_mail_sink;

/* ---- metrics (metrics.c) ------------------------------------------------------ */
/* The sinks counted (the first ones of the worker's list). */
#define NOTIFY_METRICS_SINKS 8

/* Count what sink k did with an entry (NOTIFY_DEAD: put on the dead-letter
 * list, for whatever reason), and one message the SMTP server accepted. */
void notify_metrics_outcome(const notify_worker *w, const notify_sink *k, notify_outcome o);
void notify_metrics_sent(void);

/* The Prometheus text: the counters, then (when st answers) each sink's
 * and stream's pending events and the oldest one's age.  0, or -1 when the
 * buffer refused it. */
int notify_metrics_format(const notify_worker *w, portal_store *st, portal_buf *out);

/* Serve GET /metrics on PORTAL_METRICS_SOCKET (unset or empty: no socket)
 * from a thread with its own Redis connection, until *w->stopping.  When
 * the socket cannot be made, a warning is logged and the worker goes on
 * without it, as a module does. */
void notify_metrics_start(notify_worker *w);
/* After *w->stopping is set: wait for the thread, remove the socket. */
void notify_metrics_stop(void);

/* portal-notify --health: 0 when the worker's metrics socket answers and
 * its Redis connection works (the container's HEALTHCHECK), else 1. */
int notify_health(void);

/* ---- the dashboard sink (dashboard.c, lua/dashboard.lua) ---------------------
 * Group "dashboard": what the signed-in start page shows (portal-auth reads
 * it: modules/auth/dashboard.c), kept from the events only, each entry
 * applied once and in order per thing it is about.  Keys, under the base
 * key B = "<prefix>notify:{notify}:dash" (the worker's own slot, with the
 * dead-letter list "<prefix>notify:{notify}:dead" the page counts):
 *   B:z:<scope>  sorted set: member an item's JSON (what the page shows),
 *                score the time it is sorted and filtered by;
 *   B:m:<scope>  hash: the item's id -> its member, to replace or remove it.
 * Scopes (agency ids and uids as the events give them):
 *   holds:<agency>    the NGO's holds waiting for an answer, by expires_at
 *                     ({id, safehouse, name, expires_at}): hold_placed and
 *                     hold_extended put, accepted/declined/cancelled/expired take;
 *   myholds:<uid>     the responder's open holds, the same items;
 *   stale:<agency>    houses whose vacancies are going stale, by updated_at
 *                     ({id, name, updated_at}): vacancies_stale puts,
 *                     vacancies_updated takes;
 *   training:<uid>    the person's booked sessions, by starts_at ({id (the
 *                     session), title, starts_at, ends_at, waitlisted}):
 *                     booking_confirmed/waitlisted/promoted put (when the
 *                     entry has starts_at), booking_cancelled and
 *                     session_cancelled take, session_changed moves;
 *   sessions:<agency> the trainer agency's sessions by starts_at, and
 *   rosters:<agency>  the same by ends_at until attendance_recorded
 *                     ({id, title, starts_at, ends_at}): session_created and
 *                     session_changed put, session_cancelled takes
 *                     (B:session-agency: session -> agency, for attendance);
 *   review            changes and suggestions to review, by the time made
 *                     ({id "change:<id>"|"suggestion:<id>", what, ref,
 *                     service, name}): change_proposed and suggestion_made
 *                     put, change_approved/rejected take (a suggestion has
 *                     no closing event yet: it shows for 30 days).
 * Past items are trimmed when their scope is next written, and the page
 * filters by score.  B:week:<day> hash: the week's figures (holds_placed,
 * bookings (confirmed or waitlisted), changes_made (approved)) for the ISO
 * week (UTC) whose Monday is Unix day <day>; kept 10 weeks.
 * B:v:<stream>:<field>:<id>: the id of the last entry applied to that thing
 * (35 days): an entry no newer is skipped, so a redelivery changes nothing. */
enum { NOTIFY_SCRIPT_DASHBOARD, NOTIFY_NSCRIPTS };
extern const portal_script notify_scripts[NOTIFY_NSCRIPTS];
extern const notify_sink notify_dashboard_sink;

/* ---- the clock (clock.c) ------------------------------------------------------ */
/* When PORTAL_NOTIFY_CLOCK_SECONDS have passed since the last tick, run
 * each module's due script (lua/due.lua).  Returns 0 (not yet), 1 (ran),
 * or -1 when a script failed or Redis could not be reached (logged; the
 * next tick tries again). */
int notify_clock_tick(const notify_worker *w, time_t now);
/* Close the clock's connection. */
void notify_clock_free(void);

/* ---- the in-portal sink (inbox.c) -------------------------------------------- */
/* Group "inbox": each event of a kind in the table becomes one notification
 * for each person (uid) it concerns, under common/notices.h's keys:
 * idempotent per stream entry, the newest PORTAL_NOTICES_KEEP (200) kept
 * per person. */
extern const notify_sink notify_inbox_sink;

#endif
