/* cases.h - the two-way case updates module (issue 17): an NGO shares what
 * it knows about a case with a police unit, the unit acknowledges and posts
 * updates from a fixed list, the NGO replies or asks for an update, either
 * side closes it.  Key layout, limits, the domain lists, script ids, types,
 * and the contract of every function one file of the module offers another
 * (the shape is the README's "Adding a module").
 *
 *   main.c      the route table and the app
 *   units.c     the police units and the boroughs each covers
 *   handlers.c  the handlers: list, share form, share, one case, its actions
 *   reports.c   the coordinators' responsiveness report (page and CSV)
 *   replies.c   what handlers share: who the user is, the error-code table
 *   fields.c    settings, the domain lists, the field tables, form pages
 *   views.c     pure JSON views and computations (no ctx, no Redis)
 *   format.c    the responsiveness report as CSV
 *   publish.c   the responsiveness report per quarter, published for monitoring
 *               (its figures: views.c)
 *   notes.c     the language guide's notes on what was written
 *   store.c     the only caller of Redis (lua/NAME.lua), and housekeeping
 *   migrate.c   the data version, checked at start
 *   demo.c      --load-demo
 *
 * Keys (all under the base key "<prefix>cases:{cases}", one hash tag: a
 * change touches the case, the lists and the events stream atomically).
 *   BASE:seq:case               id counter
 *   BASE:case:ID                hash: the case (no victim's details exist:
 *                               the NGO's reference, the police reference,
 *                               codes and times)
 *   BASE:case:ID:timeline       list of JSON entries, oldest first
 *   BASE:case:ID:events         set of the ids of its entries in BASE:events
 *   BASE:ngo:AGENCY, unit:UNIT, all   zsets case id -> shared at
 *   BASE:closed                 zset case id -> closed at (retention)
 *   BASE:events                 the module's events stream (issue 16)
 *   BASE:aof:due, aof:guard     an erasure waits for an AOF rewrite; one
 *                               was asked for within the period
 *   BASE:data-version           CASES_DATA_VERSION
 */
#ifndef CASES_H
#define CASES_H

#include <jansson.h>
#include <time.h>

#include "app.h"
#include "buf.h"
#include "replycode.h"
#include "script.h"
#include "store.h"
#include "validate.h"

#define CASES_DATA_VERSION 1
#define CASES_COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define CASES_ID_MAX 999999999999LL
#define CASES_LIST_LIMIT 500
#define CASES_STR_(x) #x
#define CASES_STR(x) CASES_STR_(x)
#define CASES_REFERENCE_MAX 40
#define CASES_NOTE_MAX 500
#define CASES_DAY 86400
/* the latest instant a case's time may be: 1 January 3000 */
#define CASES_LATEST_TIME 32503680000LL
/* an update is due when a case has had none for this many days; the NGO may
 * ask for one at most once per CASES_REQUEST_GAP_DAYS */
#define CASES_UPDATE_DUE_DAYS 28
#define CASES_REQUEST_GAP_DAYS 7

#define CASES_NGO   PORTAL_ROLE_NGO
#define CASES_COORD PORTAL_ROLE_COORDINATOR
#define CASES_ANY   PORTAL_ROLE_ANY

/* ---- units.c: the police units ------------------------------------------- */

typedef struct cases_unit {
	const char *code;              /* "north-east" */
	const char *name;              /* "North East BCU" */
	const char *covers;            /* "Newham, Waltham Forest", in words */
	const char *const *boroughs;   /* the London area slugs it covers, NULL-terminated */
} cases_unit;

/* The units, NULL-code-terminated, in the order lists show them. */
extern const cases_unit cases_units[];

/* The unit of `code`, or NULL. */
const cases_unit *cases_unit_find(const char *code);

/* The unit a case goes to when the NGO does not know: the Met BCU (or the
 * City of London Police) covering `borough`; the Central Specialist Crime
 * team when the borough is "" or "unknown" or covered by none. */
const char *cases_unit_for_borough(const char *borough);

/* The unit codes, NULL-terminated, with "dont_know" first (the share
 * form's choices). */
const char *const *cases_unit_choices(void);

#define CASES_CENTRAL_UNIT "central-specialist-crime"

/* ---- fields.c: settings, domain lists, field tables, forms -------------- */

typedef struct cases_config {
	long long retention_seconds;  /* PORTAL_CASES_RETENTION_DAYS (365) or _SECONDS */
	int rewrite_seconds;          /* PORTAL_CASES_AOF_REWRITE_HOURS (24) or _SECONDS */
	int housekeeping_seconds;     /* how often the master runs it: at most 60 s */
} cases_config;

/* The settings, read from the environment on first use (thread safe). */
const cases_config *cases_config_get(void);

/* The domain lists (NULL-terminated) and their labels. */
extern const char *const cases_statuses[];     /* received ... closed */
extern const char *const cases_unit_statuses[]; /* what a unit may post (not closed) */
extern const char *const cases_channels[];
extern const char *const cases_wants[];
extern const char *const cases_nfa_reasons[];
extern const char *const cases_exploitation_types[];
extern const char *const cases_filters[];
const char *cases_status_label(const char *code);
const char *cases_channel_label(const char *code);
const char *cases_want_label(const char *code);
const char *cases_reason_label(const char *code);
const char *cases_exploitation_label(const char *code);
const char *cases_filter_label(const char *code);
/* A borough's name, "Unknown" for "unknown", the slug otherwise. */
const char *cases_borough_label(const char *slug);

/* The borough choices: "unknown" then the 33 London areas. */
const char *const *cases_borough_choices(void);

typedef enum cases_form {
	CASES_FIELDS_SHARE, CASES_FIELDS_ACK, CASES_FIELDS_UNIT_UPDATE, CASES_FIELDS_REPLY,
	CASES_FIELDS_CLOSE, CASES_FIELDS_LIST, CASES_FIELDS_TRENDS, CASES_FIELDS_NOTE, CASES_FIELDS_COUNT
} cases_form;
extern const portal_fields cases_fields[CASES_FIELDS_COUNT];

/* The share form's page: every choice list, the values typed (`form`, may
 * be NULL) marked or shown again.  New reference. */
json_t *cases_share_page(const json_t *form);

/* ---- views.c: pure views ------------------------------------------------- */

/* Who looks at a case. */
typedef struct cases_viewer {
	const char *username;
	const char *agency;   /* NGO staff: their agency id, else "" */
	const char *unit;     /* police staff: their unit code, else "" */
	int         coordinator;
} cases_viewer;

/* Which side `who` is on for case hash `c`: "ngo", "unit", "coordinator"
 * (sees counts and timings only), or NULL (may not see it: 404). */
const char *cases_side(const cases_viewer *who, const json_t *c);

/* The view of case hash `c` with its timeline (JSON array of entries) for
 * a viewer on `side` at `now`: labels, times in words, what they may do;
 * notes, references and outcome left out for a coordinator.  New
 * reference. */
json_t *cases_case_view(const json_t *c, const json_t *timeline, const char *side, time_t now);

/* 1 when case hash `c` matches list filter `filter` ("" or NULL: all) at
 * `now`: open, awaiting_acknowledgement, awaiting_update, closed. */
int cases_filter_match(const json_t *c, const char *filter, time_t now);

/* When the unit last answered case `c` (acknowledged or updated), or when
 * it was shared: what "waiting since" counts from. */
long long cases_waiting_since(const json_t *c);

/* The responsiveness figures per unit from case hashes `all` (array), of
 * the cases shared in `quarter` ("2026-Q4", London time; NULL or "": every
 * case): {"units":[{code, name, shared, acknowledged, median_days_to_ack
 * (null when none), updated_within_28_days_percent (null),
 * closed_with_outcome}]}.  New reference. */
json_t *cases_responsiveness(const json_t *all, const char *quarter, time_t now);

/* ---- suppress.c: small-number suppression -------------------------------- */

/* The most rows or columns a trends table has (the 33 areas and "unknown"). */
#define CASES_GRID_MAX 40

/* A table of counts with its totals: value and hidden of cell (r, c) at
 * r * (cols + 1) + c, where row `rows` holds the column totals and column
 * `cols` the row totals (the grand total in the corner). */
typedef struct cases_grid {
	size_t        rows, cols;
	long long     value[(CASES_GRID_MAX + 1) * (CASES_GRID_MAX + 1)];
	unsigned char hidden[(CASES_GRID_MAX + 1) * (CASES_GRID_MAX + 1)];
} cases_grid;

/* Fill g from counts[rows * cols] (row by row; below 0 counts as 0), with
 * the totals, every count and total from 1 to 4 hidden.  0, or -1 when a
 * size is 0 or over CASES_GRID_MAX. */
int cases_grid_init(cases_grid *g, const long long *counts, size_t rows, size_t cols);

/* Complementary suppression: hide more until no row or column of the table
 * with its totals has exactly one hidden member (which its total would give
 * away): the next smallest shown non-zero cell of that line, else its
 * total. */
void cases_suppress(cases_grid *g);

/* ---- views.c: the trends ------------------------------------------------- */

/* quarters.c: the quarter "2026-Q4" of day `date` (YYYY-MM-DD; "" when not one) and of
 * instant t in London, into out; returns out. */
const char *cases_quarter_of_date(const char *date, char *out, size_t len);
const char *cases_quarter_of_time(time_t t, char *out, size_t len);

/* "October to December 2026" for "2026-Q4"; NULL when not a quarter. */
const char *cases_quarter_words(const char *quarter, char *out, size_t len);

/* The trends answer from the store's `raw` (shared, holds, quarters,
 * notes) for `quarter`: two tables (cases shared by borough and
 * exploitation type; bed holds by borough and bed group), each count from 1
 * to 4 and what would reveal one suppressed (suppress.c), and the notes.
 * New reference. */
json_t *cases_trends_view(const json_t *raw, const char *quarter, time_t now);

/* Stored context note `n` as every partner sees it: what it is about in
 * words, the note, the agency, when.  New reference. */
json_t *cases_trend_note_view(const json_t *n, time_t now);

/* ---- notes.c: the language guide on case notes (issue 18) ---------------- */

/* The language notes of `text` (NULL: none) against the published guide:
 * [{term, found, preferred, reason}], [] when nothing.  New reference. */
json_t *cases_language_notes(portal_store *st, const char *text);

/* The case page after a save (`data` the page data with its case view,
 * `timeline` the stored one): when the last entry is the viewer's and its
 * note has terms of the guide, data gains saved_notes {language_notes,
 * change_href "#note" and the note as typed.note where the case is still
 * open, else closing (words)}. */
void cases_saved_notes(const portal_ctx *ctx, json_t *data, const json_t *timeline);

/* ---- the report published for monitoring (issue 18) --------------------- */

/* The portal-wide value the report is published as (after the prefix). */
#define CASES_REPORT_KEY "{portal}:report:cases-responsiveness"
/* the current quarter and the three before */
#define CASES_REPORT_QUARTERS 4

/* quarters.c: the quarter before `quarter` ("2025-Q4" for "2026-Q1") into
 * out ("" when `quarter` is not one); returns out. */
const char *cases_quarter_before(const char *quarter, char *out, size_t len);

/* views.c: the published report from case hashes `all` at `now`: {updated_at,
 * quarters: {QUARTER: {units: [{unit, name, shared, acknowledged,
 * median_days_to_ack, updated_within_28_days_percent,
 * closed_with_outcome}]}}} for the quarter of `now` and the three before,
 * each cases_responsiveness(all, QUARTER, now).  New reference. */
json_t *cases_report_quarters(const json_t *all, time_t now);

/* publish.c: read every case, compute cases_report_quarters and keep it at
 * CASES_REPORT_KEY when its quarters differ from those kept there (so
 * updated_at is when the figures last changed, and an idle portal's Redis
 * stays still).  1 written, 0 unchanged, or -1 (logged) when Redis failed
 * (housekeeping). */
int cases_report_publish(portal_store *st, time_t now);

/* ---- format.c ------------------------------------------------------------ */

/* The responsiveness report as CSV into out.  0, or -1 on overflow. */
int cases_responsiveness_csv(const json_t *report, portal_buf *out);

/* The trends view (cases_trends_view) as CSV, its notes after the counts;
 * a suppressed count is its words, never its number.  0, or -1. */
int cases_trends_csv(const json_t *trends, portal_buf *out);

/* ---- store.c: the only caller of Redis ----------------------------------- */

enum {
	CASES_SCRIPT_SHARE,
	CASES_SCRIPT_ACT,
	CASES_SCRIPT_GET,
	CASES_SCRIPT_LIST,
	CASES_SCRIPT_HOUSEKEEPING,
	CASES_SCRIPT_MIGRATE,
	CASES_SCRIPT_TRENDS,
	CASES_SCRIPT_TREND_NOTE,
	CASES_SCRIPT_TRENDS_INTAKE,
	CASES_SCRIPT_COUNT
};
extern const portal_script cases_scripts[CASES_SCRIPT_COUNT];

/* A script's answer: its JSON pairs parsed ({name: value}; owned, an
 * empty object unless rc is OK), the status ("ok" or the error code), and
 * how the call went (portal_store_run's rc, the cause when broken). */
typedef struct cases_answer {
	json_t       *data;
	char          status[48], cause[200];
	portal_run_rc rc;
} cases_answer;

int cases_answer_ok(const cases_answer *a);
void cases_answer_free(cases_answer *a);

/* A case to share (validated). */
typedef struct cases_share_request {
	const json_t *valid;            /* the share fields, validated */
	const char   *unit;             /* the routed unit */
	const char   *agency, *agency_name, *actor, *actor_name;
} cases_share_request;

/* An action on a case: acknowledge (police_reference), update (status,
 * reason, note), reply (note), request_update, close (outcome). */
typedef struct cases_action {
	const char *id, *action, *actor, *actor_name;
	const char *agency, *unit;      /* the actor's side: "" where not */
	const char *status, *reason, *note, *police_reference, *outcome;
} cases_action;

/* Each runs its script and fills *out (always: free it); returns out->rc. */
portal_run_rc cases_store_share(portal_store *st, const cases_share_request *req, cases_answer *out);
portal_run_rc cases_store_act(portal_store *st, const cases_action *act, cases_answer *out);
portal_run_rc cases_store_get(portal_store *st, const char *id, cases_answer *out);
/* kind: "ngo" (who: agency), "unit" (who: unit code), "all". */
portal_run_rc cases_store_list(portal_store *st, const char *kind, const char *who, cases_answer *out);

/* Erase every case closed longer ago than the retention setting (each key
 * and its events), and ask for an AOF rewrite when one is due.  Returns
 * the seconds until the next run. */
int cases_store_housekeeping(portal_store *st, const portal_config *config);

/* The trends of `quarter` ("2026-Q4"): "shared", "holds", "quarters",
 * "notes" in out->data. */
portal_run_rc cases_store_trends(portal_store *st, const char *quarter, cases_answer *out);

/* Keep context note `note` ({about_kind, about, note, agency_name}). */
portal_run_rc cases_store_trend_note(portal_store *st, const json_t *note, cases_answer *out);

/* The published report at <prefix>CASES_REPORT_KEY into *report (new
 * reference; NULL when there is none, or it is not JSON).  0, or -1 when
 * Redis could not be read. */
int cases_store_report_get(portal_store *st, json_t **report);

/* Keep `json` (the published report) at <prefix>CASES_REPORT_KEY.  0, or
 * -1 when Redis refused it. */
int cases_store_report_put(portal_store *st, const char *json);

/* Set the data version (a no-op when there).  0, or -1 when Redis failed. */
int cases_store_migrate(portal_store *st, long long *from);

/* ---- migrate.c ------------------------------------------------------------ */

/* portal_app.housekeeping: the first run checks the data version. */
int cases_housekeeping(portal_store *st, const portal_config *config);

/* ---- replies.c ------------------------------------------------------------ */

/* The viewer from the signed-in user. */
cases_viewer cases_viewer_of(const portal_ctx *ctx);

/* After a store call: when the answer is not "ok", answers (503, 500, or
 * the error code's status and message; not_found as a 404 naming a case)
 * and returns 1; 0 when "ok". */
int cases_reply_failed(portal_ctx *ctx, cases_answer *a);

/* Validate `input` against table `t`; on failure answer 422 with `page`
 * (stolen) as the page data plus what was typed, and return -1. */
int cases_validate(portal_ctx *ctx, const json_t *input, portal_fields t, json_t **valid, json_t *page);

/* The success banner for ?done=WORD, or NULL.  New reference. */
json_t *cases_done(const portal_ctx *ctx);

extern const portal_error_codes cases_error_codes;

/* ---- the handlers --------------------------------------------------------- */

/* handlers.c */
void cases_list(portal_ctx *ctx);
void cases_new_form(portal_ctx *ctx);
void cases_share(portal_ctx *ctx);
void cases_get(portal_ctx *ctx);
void cases_acknowledge(portal_ctx *ctx);
void cases_update(portal_ctx *ctx);
void cases_request_update(portal_ctx *ctx);
void cases_close(portal_ctx *ctx);

/* reports.c */
void cases_report_get(portal_ctx *ctx);
void cases_report_csv_get(portal_ctx *ctx);

/* trends.c */
void cases_trends_get(portal_ctx *ctx);
void cases_trends_csv_get(portal_ctx *ctx);
void cases_trend_note_add(portal_ctx *ctx);

/* demo.c */
int cases_load_demo(portal_store *st, const portal_config *cfg, char *err, size_t errlen);

#endif
