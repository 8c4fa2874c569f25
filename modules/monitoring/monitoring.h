/* monitoring.h - the monitoring module (issue 18): the language guide,
 * partner voice (observations), themes and the coding of texts.  The shape
 * is the README's "Adding a module":
 *
 *   main.c          the route table and the app
 *   guide.c         the language guide: page, form, add, change, remove
 *   observations.c  partner voice: the form, send, see, change the text
 *   texts.c         themes; the coordinators' list of texts; tags and quotes
 *   replies.c       what handlers share: the error-code table, who the user is
 *   fields.c        the field tables and their choice lists
 *   views.c         pure JSON views and computations (no ctx, no Redis)
 *   store.c         the only caller of Redis (lua/NAME.lua)
 *   migrate.c       the data version; the guide seeded and published
 *   demo.c          --load-demo
 *
 * Keys (all under the base key "<prefix>{monitoring}", one hash tag):
 *   BASE:data-version        1
 *   BASE:guide               hash entry id -> entry JSON {id, term, variants,
 *                            preferred, reason, source}
 *   BASE:guide:ids           zset entry id -> id (the guide's order)
 *   BASE:guide:version       counter raised by every change of the guide
 *   BASE:seq:guide, seq:text, seq:theme   id counters
 *   BASE:text:ID             hash: id, kind ("observation"), text, borough,
 *                            types (JSON array of exploitation types),
 *                            agency_type, author (username: who may change
 *                            it), created_at, changed_at, tags (theme ids,
 *                            comma-separated), quote ("1" fit to share)
 *   BASE:texts               zset text id -> created_at
 *   BASE:themes              hash theme id -> name
 * The guide other modules read is published beside the language order as
 * "<prefix>{portal}:language-guide" (common/langnotes.h): monitoring writes
 * it after every change and at start when it lags; nothing else does.
 */
#ifndef MONITORING_H
#define MONITORING_H

#include <jansson.h>
#include <time.h>

#include "app.h"
#include "reference.h"
#include "replycode.h"
#include "script.h"
#include "server.h"
#include "store.h"
#include "validate.h"

#define MONITORING_DATA_VERSION 1
#define MONITORING_ID_MAX 999999999999LL
#define MONITORING_TEXT_MAX 2000      /* characters of an observation */
#define MONITORING_TEXTS_LISTED 500   /* the coordinators' list: the newest */
#define MONITORING_THEMES_MAX 100
#define MONITORING_GUIDE_MAX 200      /* entries of the language guide */
#define MONITORING_COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define MONITORING_COORD PORTAL_ROLE_COORDINATOR
#define MONITORING_ANYONE PORTAL_ROLE_ANY

/* ---- fields.c ------------------------------------------------------------ */

typedef enum monitoring_form {
	MONITORING_FIELDS_GUIDE, MONITORING_FIELDS_OBSERVATION, MONITORING_FIELDS_THEME,
	MONITORING_FIELDS_TAGS, MONITORING_FIELDS_CHECK, MONITORING_FIELDS_COUNT
} monitoring_form;
extern const portal_fields monitoring_fields[MONITORING_FIELDS_COUNT];

/* ---- views.c: pure ------------------------------------------------------- */

/* The view of stored text hash `raw` (as the scripts give it) with its tags
 * named from `themes` ({id: name}) and its time in words as of `now`:
 * {id, kind, text, borough, borough_name, exploitation_types,
 * exploitation_type_names, agency_type, agency_type_name, created_at,
 * created_text, tags [{id, name}], quote}.  New reference. */
json_t *monitoring_text_view(const json_t *raw, const json_t *themes, time_t now);

/* The themes {id: name} as a list [{id, name, count}] by name, each with
 * the number of texts `views` (monitoring_text_view's) tagged with it.  New
 * reference. */
json_t *monitoring_theme_counts(const json_t *themes, const json_t *views);

/* The quotes of `views` fit to share, as anyone may see them: {text,
 * agency_type_name} only (never the person or the agency).  New reference. */
json_t *monitoring_shared_quotes(const json_t *views);

/* The form values of guide entry `entry` (variants joined with ", ").  New
 * reference. */
json_t *monitoring_guide_form_of(const json_t *entry);

/* The items of a form's list "a, b\nc" (split at commas and line ends;
 * empty items left out; each trimmed later by validation).  New array. */
json_t *monitoring_split_list(const char *s);

/* The choices of a page's form: [{code, name, selected}] of `table` with
 * `chosen` (a string or a list of them) marked.  New reference. */
json_t *monitoring_choices(const portal_code_name *table, size_t n, const json_t *chosen);

/* ---- figures.c: pure ----------------------------------------------------- */

#define MONITORING_TREND_QUARTERS 4   /* the quarter and the three before */

/* What the figures are made from: the kept figures {quarter: {fig,
 * minutes}} (lua/figures.lua), the texts (raw hashes) and themes {id:
 * name}, and the cases module's published responsiveness report (NULL when
 * none). */
typedef struct monitoring_sources {
	const json_t *kept, *texts, *themes, *report;
} monitoring_sources;

/* The figures of `quarter` ("2026-Q4", valid) as GET /api/v1/monitoring
 * answers them (schemas/figures.json).  New reference. */
json_t *monitoring_figures(const monitoring_sources *src, const char *quarter, time_t now);

/* ---- reportview.c: pure -------------------------------------------------- */

/* The page of figures `figures` (stolen): the quarter chooser and the
 * sections, each a chart and its tables.  New reference. */
json_t *monitoring_report_page(json_t *figures, time_t now);
/* The report page's context for a quarter not understood: only the
 * chooser (the quarters up to this one, this one selected). */
json_t *monitoring_report_chooser(time_t now);

/* The figures' tables as CSV into out: 0, or -1 when the buffer refused. */
int monitoring_report_csv_write(const json_t *figures, portal_buf *out);

/* ---- store.c: the only caller of Redis ----------------------------------- */

enum {
	MONITORING_SCRIPT_GUIDE_SAVE,
	MONITORING_SCRIPT_GUIDE_READ,
	MONITORING_SCRIPT_TEXT_SAVE,
	MONITORING_SCRIPT_TEXT_READ,
	MONITORING_SCRIPT_TEXTS,
	MONITORING_SCRIPT_THEME_SAVE,
	MONITORING_SCRIPT_TAGS_SET,
	MONITORING_SCRIPT_MIGRATE,
	MONITORING_SCRIPT_INTAKE,
	MONITORING_SCRIPT_FIGURES,
	MONITORING_SCRIPT_COUNT
};
extern const portal_script monitoring_scripts[MONITORING_SCRIPT_COUNT];

/* A script's answer: the call's result as script.h gives it (rc, status,
 * cause), and its name/value pairs parsed as JSON (portal_run_all_json:
 * {name: value}, an empty object unless the call answered by the
 * convention).  monitoring_answer_free releases both. */
typedef struct monitoring_answer {
	portal_run_result run;
	json_t           *data;
} monitoring_answer;
#define MONITORING_STATUS(a) ((a)->run.status ? (a)->run.status : "")

int monitoring_answer_ok(const monitoring_answer *a);
void monitoring_answer_free(monitoring_answer *a);

/* A store read of one record by id (monitoring_store_guide_read, _text_read). */
typedef portal_run_rc (*monitoring_reader)(portal_store *st, const char *id, monitoring_answer *out);

/* Each runs its script and fills *out (always: free it); returns out->rc.
 *   guide_save: add (id "") or change entry `id` to `entry` (an object
 *     without id), or remove it (entry NULL); answers "entry", "guide"
 *     (every entry, in order) and "version".  Errors not_found, term_taken,
 *     guide_full.
 *   guide_read: "guide" and "version"; with `id`, "entry" too (not_found).
 *   text_save: a new text (id "") from `author`, or the text of text `id`
 *     changed (only by its author: forbidden); "text".
 *   text_read: "text" and "themes".  texts: the newest texts, "texts" and
 *     "themes".
 *   theme_save: add theme `name` (id "") or remove theme `id` (name NULL);
 *     "themes".  Errors theme_taken, themes_full, not_found.
 *   tags_set: text `id`'s tags (theme ids, comma-separated) and quote;
 *     "text".  Errors not_found, unknown_theme.
 *   migrate: with `seed` NULL only "version"; else the data brought to
 *     MONITORING_DATA_VERSION with the guide seeded from it: "from",
 *     "version", "guide", "guide_version". */
portal_run_rc monitoring_store_guide_save(portal_store *st, const char *id, const json_t *entry,
                                          monitoring_answer *out);
portal_run_rc monitoring_store_guide_read(portal_store *st, const char *id, monitoring_answer *out);
portal_run_rc monitoring_store_text_save(portal_store *st, const char *id, const json_t *fields,
                                         const char *author, monitoring_answer *out);
portal_run_rc monitoring_store_text_read(portal_store *st, const char *id, monitoring_answer *out);
portal_run_rc monitoring_store_texts(portal_store *st, monitoring_answer *out);
portal_run_rc monitoring_store_theme_save(portal_store *st, const char *id, const char *name,
                                          monitoring_answer *out);
portal_run_rc monitoring_store_tags_set(portal_store *st, const char *id, const char *tags, int quote,
                                        monitoring_answer *out);
portal_run_rc monitoring_store_migrate(portal_store *st, const json_t *seed, monitoring_answer *out);

/* intake: count `events` (intake.c's) read from stream `name` after
 *   cursor_was up to cursor; "counted", or the status "moved" when another
 *   instance moved the cursor first.
 * figures: the kept figures of `quarters` (comma-separated): "quarters"
 *   {quarter: {fig: {field: n}, minutes: ["m|borough|unit"]}}. */
portal_run_rc monitoring_store_intake(portal_store *st, const char *name, const char *cursor_was,
                                      const char *cursor, const json_t *events, monitoring_answer *out);
portal_run_rc monitoring_store_figures(portal_store *st, const char *quarters, monitoring_answer *out);

/* The cases module's responsiveness report as it published it
 * ("<prefix>{portal}:report:cases-responsiveness") into *report (NULL when
 * none is published or it is not JSON).  0, or -1 when Redis failed. */
int monitoring_store_responsiveness(portal_store *st, json_t **report);

/* The guide's terms found in `text`, one a line (malloc'd; "" when none). */
char *monitoring_terms_of(portal_store *st, const char *text);

/* ---- quarter.c: pure ----------------------------------------------------- */

/* "2026-Q4" into *year and *q (1-4): 0, or -1 when it is not of that form
 * (or before 2000). */
int monitoring_quarter_parse(const char *s, int *year, int *q);
/* Quarter q of `year` as "2026-Q4" into out. */
void monitoring_quarter_name(int year, int q, char *out, size_t len);
/* The quarter of instant t in London time; returns out. */
const char *monitoring_quarter_at(time_t t, char *out, size_t len);
/* The quarter n before `quarter` into out: 0, or -1 when quarter is bad. */
int monitoring_quarter_back(const char *quarter, int n, char *out, size_t len);
/* "October to December 2026" ("" when the quarter is bad); returns out. */
const char *monitoring_quarter_words(const char *quarter, char *out, size_t len);

/* ---- intake.c ------------------------------------------------------------- */

/* Read the training and beds events after monitoring's cursors into the
 * figures (lua/intake.lua).  0, or -1 when Redis failed (read again at the
 * next run: nothing counts twice). */
int monitoring_intake(portal_store *st);

/* How often the housekeeping reads the events: PORTAL_MONITORING_INTAKE_SECONDS
 * (1-3600, default 60). */
int monitoring_intake_seconds(void);

/* ---- migrate.c ------------------------------------------------------------ */

/* Bring the data to MONITORING_DATA_VERSION (the guide seeded from
 * portal_language_guide_seed() on first start) and publish the guide when
 * the portal-wide copy lags (common/langnotes.h).  0, or -1 when Redis
 * failed (tried again at the next run). */
int monitoring_migrate(portal_store *st);

/* portal_app.housekeeping: monitoring_migrate (a publish cut short is
 * finished so) and, once it succeeded, monitoring_intake; again after
 * monitoring_intake_seconds() (10 s while migrate fails). */
int monitoring_housekeeping(portal_store *st, const portal_config *config);

/* Publish the guide of answer `a` ("guide", "version"). 0 or -1. */
int monitoring_publish(portal_store *st, const monitoring_answer *a);

/* ---- replies.c ------------------------------------------------------------ */

extern const portal_error_codes monitoring_error_codes;

/* The signed-in username ("" when none). */
const char *monitoring_username(const portal_ctx *ctx);

/* After a store call: when the answer is not "ok", answers (503, 500, or
 * the code's status and message, not_found naming `what`) and returns 1. */
int monitoring_reply_failed(portal_ctx *ctx, const monitoring_answer *a, const char *what);

/* Read the record the path's {id} names with `read` into *a (free it):
 * its id, or NULL after answering (404 naming `what`, 503, 500; *a then
 * holds nothing to free). */
const char *monitoring_load(portal_ctx *ctx, monitoring_reader read, const char *what, monitoring_answer *a);

/* Validate `input` against form `form`; on failure answer 422 (on a page
 * with `page` as its data, stolen: it holds what was typed as "form") and
 * return -1.  On success *valid is set and page released. */
int monitoring_validate(portal_ctx *ctx, const json_t *input, monitoring_form form, json_t **valid,
                        json_t *page);

/* The success banner ({heading}) for ?done=WORD, or NULL.  New reference. */
json_t *monitoring_done(const portal_ctx *ctx);

/* ---- the handlers -------------------------------------------------------- */

/* guide.c */
void monitoring_guide_list(portal_ctx *ctx);
void monitoring_guide_new_form(portal_ctx *ctx);
void monitoring_guide_create(portal_ctx *ctx);
void monitoring_guide_get(portal_ctx *ctx);
void monitoring_guide_edit_form(portal_ctx *ctx);
void monitoring_guide_update(portal_ctx *ctx);
void monitoring_guide_remove(portal_ctx *ctx);
void monitoring_guide_check(portal_ctx *ctx);

/* observations.c */
void monitoring_home(portal_ctx *ctx);
void monitoring_observation_form(portal_ctx *ctx);
void monitoring_observation_create(portal_ctx *ctx);
void monitoring_observation_get(portal_ctx *ctx);
void monitoring_observation_edit_form(portal_ctx *ctx);
void monitoring_observation_update(portal_ctx *ctx);

/* texts.c */
void monitoring_themes_list(portal_ctx *ctx);
void monitoring_theme_create(portal_ctx *ctx);
void monitoring_theme_remove(portal_ctx *ctx);
void monitoring_texts_list(portal_ctx *ctx);
void monitoring_text_get(portal_ctx *ctx);
void monitoring_tags_put(portal_ctx *ctx);

/* report.c */
void monitoring_report(portal_ctx *ctx);
void monitoring_report_csv(portal_ctx *ctx);

/* demo.c */
int monitoring_load_demo(portal_store *st, const portal_config *cfg, char *err, size_t errlen);

#endif
