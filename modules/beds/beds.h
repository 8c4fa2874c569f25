/* beds.h - the safehouse beds module: key layout, limits, the bed groups,
 * script ids, types, and the contract of every function one file of the
 * module offers another (the shape is the README's "Adding a module").
 *
 *   main.c        the route table and the app
 *   safehouses.c  search, the safehouse list, page, form, create and change
 *   vacancies.c   vacant beds set or confirmed
 *   holds.c       the hold form, placing, listing, reading and answering holds
 *   outcomes.c    what happened after a hold closed, and the page after saving it
 *   reports.c     the London summary and the coordinator's holds report
 *   replies.c     what handlers share: path id, the error-code table, page errors
 *   fields.c      settings, the field tables, choice lists, form pages
 *   views.c       pure JSON views and computations (no ctx, no Redis)
 *   format.c      the report as CSV
 *   store.c       the only caller of Redis (lua/NAME.lua), and housekeeping
 *   migrate.c     the data version, checked and migrated at start
 *   demo.c        --load-demo
 *
 * Keys (all under the base key "<prefix>beds:{beds}", one hash tag,
 * because a hold touches the house, the responder's pending set and the
 * idempotency key atomically; the module lives in one cluster slot).  This
 * is the layout data version 1 already used: every key kept its name and
 * meaning when the scripts moved to lua/ (tests/lua/beds-old-data.test.mjs).
 *   BASE:safehouses              set of safehouse ids
 *   BASE:seq:safehouse, seq:hold id counters
 *   BASE:sh:ID                   hash: agency, agency_name, doc (JSON of the
 *                                fixed fields), beds:G, vacant:G, at:G, by:G
 *   BASE:sh:ID:pending:G         zset hold id -> expiry: the held beds of G
 *   BASE:hold:ID                 hash: the hold (reference and call-back
 *                                phone erased once due); what happened after
 *                                it closed, per side S (ngo, responder):
 *                                outcome_S, note_S, outcome_by_S, outcome_at_S
 *                                (not personal data: never erased)
 *   BASE:pending                 zset hold id -> expiry, every pending hold
 *   BASE:resp:USER:pending       zset of a responder's pending holds
 *   BASE:resp:USER:holds, agency:A:holds, holds   zsets hold id -> created
 *   BASE:idem:USER:KEY           string hold id (24 h)
 *   BASE:erase                   zset hold id -> when to erase its details
 *   BASE:aof:rewrite_due         counter, bumped by every erasure run that
 *                                erased something; removed once an AOF
 *                                rewrite started after it
 *   BASE:aof:rewrite_guard       string with a TTL: an AOF rewrite was asked
 *                                for less than PORTAL_BEDS_AOF_REWRITE_HOURS ago
 *   BASE:unmet                   zset "time:random|group|needs" -> time
 *   BASE:due                     zset what falls due -> when (data version 3):
 *                                hold_warn:ID, hold_expire:ID, stale:ID; done
 *                                by lua/due.lua from portal-notify's clock
 *   BASE:events                  stream of what happened (lua/lib.lua)
 * No address is stored anywhere, and no field for one exists.
 */
#ifndef BEDS_H
#define BEDS_H

#include <jansson.h>
#include <time.h>

#include "app.h"
#include "paging.h"
#include "replycode.h"
#include "buf.h"
#include "server.h"
#include "script.h"
#include "store.h"
#include "validate.h"

/* The bed groups, defined here once: X(code, label, the label in a
 * sentence).  Everything else (the lists in C, the field tables, the
 * "groups" argument every script gets) is made from this. */
#define BEDS_GROUPS(X) \
	X("women", "Women", "women") \
	X("men", "Men", "men") \
	X("trans_non_binary", "Trans and non-binary people", "trans and non-binary people")

#define BEDS_GROUP_ONE(code, label, lower) +1
#define BEDS_GROUP_COUNT (0 BEDS_GROUPS(BEDS_GROUP_ONE))
#define BEDS_GROUP_JOINED(code, label, lower) code ","
/* "women,men,trans_non_binary," as the scripts take it */
#define BEDS_GROUPS_TEXT BEDS_GROUPS(BEDS_GROUP_JOINED)
#define BEDS_GROUP_SAID(code, label, lower) ", " code
/* "women, men, trans_non_binary" as a message names them (the list's text
 * after its leading ", ") */
#define BEDS_GROUPS_SAID (("" BEDS_GROUPS(BEDS_GROUP_SAID)) + 2)
#define BEDS_GROUP_FIRST_CODE(code, label, lower) code "\0"
/* the first group's code: where a message about no group at all is shown */
#define BEDS_GROUP_FIRST ("" BEDS_GROUPS(BEDS_GROUP_FIRST_CODE))

#define BEDS_GROUP_LABEL_JOINED(code, label, lower) label "|"
/* "Women|Men|Trans and non-binary people|": the labels in the groups' order */
#define BEDS_GROUP_LABELS_TEXT BEDS_GROUPS(BEDS_GROUP_LABEL_JOINED)

/* How fresh a group's numbers are (beds_freshness), and in words. */
#define BEDS_FRESHNESS(X) X("fresh", "Up to date") X("ageing", "Ageing") X("stale", "Out of date")
#define BEDS_FRESHNESS_LABEL_JOINED(code, label) label "|"
#define BEDS_FRESHNESS_LABELS_TEXT BEDS_FRESHNESS(BEDS_FRESHNESS_LABEL_JOINED)

/* The data version this code writes (migrate.c): 2 added the search
 * cards, fragments and index sets (lua/lib.lua); 3 the due set, and the
 * erase_after and warn_before of open holds and stale_after of houses. */
#define BEDS_DATA_VERSION 3
#define BEDS_STR_(x) #x
#define BEDS_STR(x) BEDS_STR_(x)

#define BEDS_HOLD_MINUTES_DEFAULT 90
#define BEDS_HOLD_MINUTES_MAX 240
#define BEDS_REFERENCE_MAX 40
#define BEDS_NOTE_MAX 2000  /* a hold outcome's note, in characters */
#define BEDS_LIST_LIMIT 200
#define BEDS_COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define BEDS_RESP  PORTAL_ROLE_RESPONDER
#define BEDS_NGO   PORTAL_ROLE_NGO
#define BEDS_COORD PORTAL_ROLE_COORDINATOR
#define BEDS_SEEKERS (BEDS_RESP | BEDS_NGO | BEDS_COORD)

/* ---- fields.c: settings, domain lists, field tables, forms ------------- */

/* The bed groups, NULL-terminated; and how people read them. */
extern const char *const beds_groups[BEDS_GROUP_COUNT + 1];
const char *beds_group_label(const char *group);

/* Whom a bed group can welcome: woman, man, trans_woman, trans_man,
 * non_binary (NULL-terminated), each in words ("" for another value). */
extern const char *const beds_persons[];
const char *beds_person_label(const char *person);

/* Whom bed group `group` welcomes when its house has not said: what its
 * name says (women: woman; men: man; trans and non-binary people:
 * trans_woman, trans_man, non_binary).  New JSON array. */
json_t *beds_welcomes_default(const char *group);

/* Decline reasons, NULL-terminated, and their labels. */
extern const char *const beds_decline_reasons[];
const char *beds_reason_label(const char *reason);

/* What happened after a hold closed (issue 18), NULL-terminated, and in
 * words ("The person arrived"; the value itself when not an outcome). */
extern const char *const beds_outcomes[];
const char *beds_outcome_label(const char *outcome);

/* Hold statuses, NULL-terminated, in the report's order. */
extern const char *const beds_statuses[];

/* Module settings from the environment (read once). */
typedef struct beds_config {
	int minute_seconds;   /* PORTAL_BEDS_MINUTE_SECONDS: length of a hold "minute" (tests: 1), default 60 */
	int fresh_seconds;    /* PORTAL_BEDS_FRESH_HOURS (default 12) in seconds */
	int stale_seconds;    /* PORTAL_BEDS_STALE_HOURS (default 48) in seconds */
	int erase_seconds;    /* PORTAL_BEDS_ERASE_DAYS (default 30), or PORTAL_BEDS_ERASE_SECONDS */
	int max_pending;      /* PORTAL_BEDS_MAX_PENDING: pending holds per responder, default 3 */
	int warning_seconds;  /* PORTAL_BEDS_HOLD_WARNING_MINUTES (default 15) hold minutes: how long
	                         before an unanswered hold's end hold_expiring is due */
	int rewrite_seconds;  /* PORTAL_BEDS_AOF_REWRITE_HOURS (default 24), or PORTAL_BEDS_AOF_REWRITE_SECONDS:
	                         at most one AOF rewrite after erasures per this period */
	int housekeeping_seconds;  /* how often the master runs beds_housekeeping: the
	                              shortest of 60 s, erase_seconds and rewrite_seconds */
} beds_config;

/* The settings, read from the environment on first use (thread safe). */
const beds_config *beds_config_get(void);

/* Choices tables built from reference.h on first use: areas (the 33 London
 * areas and "outside-london"), language codes.  NULL-terminated. */
const char *const *beds_area_choices(void);
const char *const *beds_language_choices(void);
const char *beds_area_name(const char *slug);

/* 1 when `s` may be an Idempotency-Key: 1..100 characters of [A-Za-z0-9_.:-]. */
int beds_idempotency_key_ok(const char *s);

typedef enum beds_form {
	BEDS_FIELDS_SEARCH, BEDS_FIELDS_SAFEHOUSE, BEDS_FIELDS_VACANCIES, BEDS_FIELDS_HOLD,
	BEDS_FIELDS_DECLINE, BEDS_FIELDS_EXTEND, BEDS_FIELDS_REPORT, BEDS_FIELDS_LIST,
	BEDS_FIELDS_OUTCOME, BEDS_FIELDS_COUNT
} beds_form;

/* The field table of `form` (const; its length taken by PORTAL_FIELDS;
 * the area and language choices come from their getters). */
/* Each form's field table (the route lines name them for the API description). */
extern const portal_fields beds_fields[BEDS_FIELDS_COUNT];
portal_fields beds_fields_of(beds_form form);

/* The API input for a safehouse flattened for validation: a new object with
 * the body's fields, where "groups":{"women":{"beds":4}} (or {"women":4})
 * becomes "beds_women":4.  Returns a new reference (never NULL on an object
 * input; NULL when out of memory). */
json_t *beds_safehouse_input(const json_t *body);

/* Validated safehouse fields `v` (stolen) checked across fields: the
 * referral phone (common/phone.c), at least one bed, never an address in
 * `in`.  Splits them into *doc (the fixed fields) and *beds ({group: n}).
 * Returns NULL, or the errors (field -> message, new reference; *doc and
 * *beds NULL). */
json_t *beds_safehouse_rules(const json_t *in, json_t *v, json_t **doc, json_t **beds);

/* Data every form page needs: areas, languages (in `order`, a JSON array
 * of codes as common/langorder.h gives it; NULL: the default order), groups.
 * New reference. */
json_t *beds_form_data(const json_t *order);

/* Mark the item of list `name` in `data` whose code is `value` as selected. */
void beds_mark_selected(json_t *data, const char *name, const json_t *value);

/* Form value `v` as the text an input shows again (a string as typed, an
 * integer in decimal, a list joined with ", "); new JSON string.  Escaped
 * when the template renders it, never here. */
json_t *beds_form_text(const json_t *v);

/* The safehouse form's page data from what was typed (or the house; NULL
 * for an empty form) for house `id` ("" new), languages in `order` (as
 * beds_form_data).  New reference. */
json_t *beds_safehouse_form_page(const json_t *order, const json_t *form, const char *id);

/* The form values of house view `view` (what the edit form starts from).
 * New reference. */
json_t *beds_safehouse_form_of(const json_t *view);

/* The hold form's starting values for the query's `group` (may be NULL:
 * the first group): {"group", "minutes"}.  New reference. */
json_t *beds_hold_form_values(const json_t *group);

/* The hold form's page for house view `house` and the values `form` (as
 * typed, or beds_hold_form_values): the house, only its groups with a bed
 * free ("groups" [{code, name, selected}], "has_groups"), the values shown
 * again as text, the chosen group's words and the search for it elsewhere
 * ("search_href").  New reference. */
json_t *beds_hold_form_page(const json_t *house, const json_t *form);

/* The hold page's form "What happened?" for hold view `view` (beds_hold_view:
 * NULL when its viewer may not say it now): the outcomes as radios
 * [{code, name, first, selected}], the note, whether the outcome is
 * required (the NGO's side) and whether it replaces what they said.  The
 * values are `typed` (a request's body, shown again after an error), else
 * what the viewer's side said before.  New reference. */
json_t *beds_outcome_form(const json_t *view, const json_t *typed);

/* ---- views.c: pure views (no ctx, no Redis) ----------------------------- */

/* Hold status `status` in words ("Waiting for the safehouse", ...); the
 * value itself when it is not a status. */
const char *beds_status_label(const char *status);

/* "fresh", "ageing" or "stale" for an update at `at` seen at `now`. */
const char *beds_freshness(time_t at, time_t now, int fresh_seconds, int stale_seconds);

/* The public view of a house as the scripts give it (steals nothing).
 * New reference, or NULL when its doc is not JSON. */
json_t *beds_house_view(const json_t *raw, time_t now, const beds_config *cfg);

/* Who looks at a hold, for beds_hold_view. */
typedef struct beds_viewer {
	const char *username;
	int         owner;      /* NGO staff of the hold's agency */
	int         responder;  /* has the responder role */
} beds_viewer;

/* The view of hold hash `h` (as the scripts give it) for `who` at `now`:
 * the private fields (reference, call-back phone) until erased.  New
 * reference (an empty object when out of memory). */
json_t *beds_hold_view(const beds_viewer *who, const json_t *h, time_t now);

/* The JSON text (malloc'd; NULL when out of memory) of a house's public
 * search view without its id (search.json's safehouse: the script puts the
 * id first), from its doc and agency. */
char *beds_house_card(const json_t *doc, const char *agency, const char *agency_name);

/* The JSON text (malloc'd) {"area", "sets": [...]} of the index sets a house
 * belongs in (lua/lib.lua): need:N for each need it meets, lang:CODE for
 * each language, welcome:G:PERSON for each group in `groups` ({group: n>0
 * or an object}) and each person it welcomes. */
char *beds_house_index(const json_t *doc, const json_t *groups);

/* The areas a search prefers, comma-separated into out: `area` first, then
 * every London borough by distance from it (nothing for NULL or ""; only
 * `area` itself when it has no centroid, such as outside-london). */
void beds_search_near(const char *area, portal_buf *out);

/* London-wide summary from house views.  New reference. */
json_t *beds_summary(const json_t *houses);

/* The report from the report script's {"holds":[[group,status,reason]...],
 * "unmet":[member...]}.  New reference. */
json_t *beds_report(const json_t *raw);

/* The needs of a search as "pre_nrm,dependants,language=sq,area=newham"
 * (or "none") into out. */
void beds_needs_text(const json_t *want, char *out, size_t len);

/* An unmet need in the plain words the report shows, as one line: bed
 * group `group` (NULL or "": any) and `needs` (beds_needs_text) -> "Trans
 * and non-binary people: Emergency pre-NRM stay, Albanian" into out. */
void beds_unmet_words(const char *group, const char *needs, char *out, size_t len);

/* ---- format.c ------------------------------------------------------------ */

/* Write the report as CSV into `out`.  Returns 0 or -1 (overflow). */
int beds_report_csv(const json_t *report, const char *from, const char *to, portal_buf *out);

/* ---- store.c: the only caller of Redis ----------------------------------- */

enum {
	BEDS_SCRIPT_SAFEHOUSE_SAVE,
	BEDS_SCRIPT_VACANCIES_SET,
	BEDS_SCRIPT_HOLD_PLACE,
	BEDS_SCRIPT_HOLD_ACT,
	BEDS_SCRIPT_HOUSES,
	BEDS_SCRIPT_HOUSE,
	BEDS_SCRIPT_HOLDS,
	BEDS_SCRIPT_HOLD,
	BEDS_SCRIPT_REPORT,
	BEDS_SCRIPT_HOUSEKEEPING,
	BEDS_SCRIPT_SEARCH,
	BEDS_SCRIPT_MIGRATE,
	BEDS_SCRIPT_HOLD_VIEW,
	BEDS_SCRIPT_UNMET,
	BEDS_SCRIPT_HOLD_OUTCOME,
	BEDS_SCRIPT_COUNT
};
extern const portal_script beds_scripts[BEDS_SCRIPT_COUNT];

/* A script's answer: how the call went (rc: portal_store_run's), the
 * status ("ok" or the error code) and every name/value pair after it,
 * parsed ({name: JSON value}; "expired" is the holds the call expired). */
typedef struct beds_answer {
	portal_run_rc rc;
	char          status[40];
	json_t       *data;   /* owned; an empty object unless rc is OK */
	char          cause[200];  /* with PORTAL_RUN_BROKEN: for the log */
} beds_answer;

/* 1 when the answer is "ok". */
int beds_answer_ok(const beds_answer *a);

/* Free a->data. */
void beds_answer_free(beds_answer *a);

/* A hold to place. */
typedef struct beds_hold_request {
	const char *safehouse, *group, *responder, *responder_agency;
	const char *responder_name, *responder_agency_name;  /* as shown: the directory's words */
	const char *responder_agency_type, *responder_unit;  /* from the session, for the events */
	const char *reference, *callback_phone, *idempotency_key;
	long long   minutes;
} beds_hold_request;

/* What happened after a hold closed, from one side (issue 18). */
typedef struct beds_outcome_request {
	const char *hold, *actor;
	const char *agency;      /* the actor's agency when NGO staff, else "" */
	const char *responder;   /* "1" when the actor has the responder role */
	const char *outcome, *note;  /* "" when not given */
	const char *agency_type, *unit;  /* the actor's, for the event */
} beds_outcome_request;

/* An action on a hold: accept, decline (reason), cancel, extend (minutes). */
typedef struct beds_hold_action {
	const char *hold, *action, *actor, *agency, *reason;
	long long   minutes;
} beds_hold_action;

/* Each runs its script (lua/NAME.lua) and fills *out (always: free it);
 * returns out->rc.  None replies to a request. */
portal_run_rc beds_store_safehouse_save(portal_store *st, const char *id, const char *agency,
                                        const char *agency_name, const json_t *doc, const json_t *beds,
                                        const char *actor, beds_answer *out);
portal_run_rc beds_store_vacancies_set(portal_store *st, const char *id, const char *agency,
                                       const char *actor, const char *vacant, beds_answer *out);
portal_run_rc beds_store_hold_place(portal_store *st, const beds_hold_request *req, beds_answer *out);
portal_run_rc beds_store_hold_act(portal_store *st, const beds_hold_action *act, beds_answer *out);
/* Record one side's outcome (lua/hold_outcome.lua): "hold", "side",
 * "replaced"; errors not_found, forbidden (not theirs), hold_open,
 * outcome_required, nothing_given. */
portal_run_rc beds_store_hold_outcome(portal_store *st, const beds_outcome_request *req, beds_answer *out);
/* The houses (of `agency`; "" every one) from the `from`th (from 0),
 * `count` of them (0: every one): "houses" and their number, "total". */
portal_run_rc beds_store_houses(portal_store *st, const char *agency, long long from, long long count,
                                beds_answer *out);
portal_run_rc beds_store_house(portal_store *st, const char *id, beds_answer *out);
/* The holds of list `kind` ("all", "resp", "agency" of `who`), newest
 * first, from the `from`th, `count` of them: "holds" and "total". */
portal_run_rc beds_store_holds(portal_store *st, const char *kind, const char *who, long long from, long long count,
                               beds_answer *out);
portal_run_rc beds_store_hold(portal_store *st, const char *id, beds_answer *out);
/* Hold `id` as the API answers it to the reader (username, agency id or
 * "", roles: "c" coordinator, "n" NGO staff, "r" responder): "hold" is the
 * answer's JSON text, made by the script; status not_found, or not_theirs
 * when the reader may not see it. */
portal_run_rc beds_store_hold_view(portal_store *st, const char *id, const char *username, const char *agency,
                                   const char *roles, portal_run_result *res);
portal_run_rc beds_store_report(portal_store *st, time_t from, time_t to, beds_answer *out);

/* The search of validated search fields `want` (group, person, language:
 * "" when absent), `needs` (comma-separated flags) and `near` (the areas in
 * order of preference, beds_search_near), page `page` of the results, into
 * *res: its "search" pieces joined in order are the API's answer as JSON
 * text (portal_run_join), "total" the number of results, "in_area" those in
 * the preferred area.  The caller frees *res.  Read-only: it never waits
 * for replicas. */
portal_run_rc beds_store_search(portal_store *st, const json_t *want, const char *needs, const char *near,
                                portal_page page, portal_run_result *res);

/* Run lua/migrate.lua with `houses` ("" only to learn the version: JSON of
 * [{id, card, index, times}] to migrate).  "from", "version" and "houses"
 * in out->data. */
portal_run_rc beds_store_migrate(portal_store *st, const char *houses, beds_answer *out);

/* Count a search with no result for the unmet-need report (member
 * "time:random|group|needs"); the event search_unmet carries `needs` and
 * `words` (beds_unmet_words).  Returns 0, or -1 when no random bytes could
 * be had or Redis failed (the search answers anyway). */
int beds_store_unmet(portal_store *st, const char *group, const char *needs, const char *words, const char *area);

/* The number of safehouses into *n.  0, or -1 when Redis failed. */
int beds_store_safehouse_count(portal_store *st, long long *n);

/* The store's housekeeping, run by each master (through beds_housekeeping):
 * expires the holds and erases the details that are due (auditing the
 * expiries), and when an erasure has happened since the last AOF rewrite
 * and none was asked for within PORTAL_BEDS_AOF_REWRITE_HOURS, asks Redis
 * for one (BGREWRITEAOF), so that erased values leave the disk too.
 * Returns the seconds until the next run.  Failures are logged. */
int beds_store_housekeeping(portal_store *st, const portal_config *config);

/* ---- migrate.c ------------------------------------------------------------ */

/* The module's housekeeping (portal_app.housekeeping): the master's first
 * run migrates older data (beds_migrate), then every run is the store's
 * (beds_store_housekeeping). */
int beds_housekeeping(portal_store *st, const portal_config *config);

/* Bring the data up to BEDS_DATA_VERSION (idempotent, logged; a no-op when
 * it is there).  0, or -1 when Redis failed (tried again at the next
 * start). */
int beds_migrate(portal_store *st);

/* Audit (and count) the holds answer `a` says it expired on the way. */
void beds_audit_expired(portal_ctx *ctx, const beds_answer *a);

/* ---- replies.c: what the handlers share ---------------------------------- */

/* The largest safehouse or hold number a path may name ({id}: read with
 * portal_path_number, app.h). */
#define BEDS_ID_MAX 999999999999LL

/* The signed-in username ("" when none). */
const char *beds_username(const portal_ctx *ctx);

/* What the directory says of the signed-in user (holds.c): `what` is
 * "name", "agency" (its name), "agency_type" or "unit" (the police unit
 * code); "" when it has none. */
const char *beds_user_words(const portal_ctx *ctx, const char *what);

/* 1 when the user is NGO staff of `agency`. */
int beds_is_owner(const portal_ctx *ctx, const char *agency);

/* The holds_pending message of answer `a` into msg. */
void beds_holds_pending_message(const beds_answer *a, char *msg, size_t len);

/* After a store call: audits the holds it expired; when the answer is not
 * "ok", answers (503, 500, or the error code's status and message from the
 * table, the not-found naming `what`) and returns 1; 0 when "ok". */
int beds_reply_failed(portal_ctx *ctx, beds_answer *a, const char *what);

/* Validate `input` against table `t`; on failure answer 422 (with `page`
 * as the page data, stolen) and return -1.  On success *valid is set and
 * page is released. */
int beds_validate(portal_ctx *ctx, const json_t *input, portal_fields t, json_t **valid, json_t *page);

/* Answer a page again with what to fix at `status`, the GOV.UK error
 * summary made from `errors` (stolen) over `page` (stolen); `href` says
 * where each summary link goes. */
void beds_reply_page_errors(portal_ctx *ctx, int status, json_t *errors, json_t *page,
                            void (*href)(const char *field, char *out, size_t len));

/* The success banner ({heading, next}) for the page a change redirected
 * to with ?done=WORD (placed, accept, decline, cancel, extend, vacancies,
 * confirm, saved), or NULL.  New reference. */
json_t *beds_done(const portal_ctx *ctx);

/* Where an error summary link goes for `field`: the input of that name. */
void beds_href_field(const char *field, char *out, size_t len);

/* ---- the handlers (one file per resource) ------------------------------- */

/* safehouses.c */
void beds_home(portal_ctx *ctx);
void beds_search_get(portal_ctx *ctx);
void beds_safehouse_list(portal_ctx *ctx);
void beds_safehouse_new_form(portal_ctx *ctx);
void beds_safehouse_edit_form(portal_ctx *ctx);
void beds_safehouse_create(portal_ctx *ctx);
void beds_safehouse_get(portal_ctx *ctx);
void beds_safehouse_update(portal_ctx *ctx);
/* Read house {id} as the user may see it (NGO staff only their own); the
 * view (new reference), or NULL after answering. */
json_t *beds_house_for_user(portal_ctx *ctx, const char *id);
/* Read house `id` as anyone sees it; NULL after answering. */
json_t *beds_house_read(portal_ctx *ctx, const char *id);
/* Read the houses of `agency` ("" all) as views: page `p` of them (NULL:
 * every one), their number in *total (may be NULL); NULL after
 * answering. */
json_t *beds_houses_read(portal_ctx *ctx, const char *agency, const portal_page *p, long long *total);
/* The safehouse page data: the view (stolen) and what this user may do. */
json_t *beds_safehouse_page(portal_ctx *ctx, json_t *view);

/* vacancies.c */
void beds_vacancies_put(portal_ctx *ctx);
void beds_vacancies_confirm(portal_ctx *ctx);

/* holds.c */
/* Hold `h` (as the scripts give it) as ctx's user sees it (new reference). */
json_t *beds_hold_view_for(const portal_ctx *ctx, const json_t *h);
/* Read hold {id} for the user: the raw hold (new reference), its id in
 * *id_out; or NULL after answering (404 when absent or not theirs to see). */
json_t *beds_hold_read(portal_ctx *ctx, const char **id_out);
/* The hold page's data for hold `h` (raw): the hold as the user sees it,
 * who placed it, the safehouse's referral line, the decline reasons, the
 * form "What happened?" when they may give it (its values `typed`, NULL:
 * what they said before) and the banner of the change that led here.
 * New reference. */
json_t *beds_hold_page(portal_ctx *ctx, const json_t *h, const json_t *typed);
void beds_hold_form(portal_ctx *ctx);
void beds_hold_place(portal_ctx *ctx);
void beds_hold_list(portal_ctx *ctx);
void beds_hold_get(portal_ctx *ctx);
void beds_hold_accept(portal_ctx *ctx);
void beds_hold_decline(portal_ctx *ctx);
void beds_hold_cancel(portal_ctx *ctx);
void beds_hold_extend(portal_ctx *ctx);

/* outcomes.c: what happened after a hold closed (issue 18) */
void beds_hold_outcome_post(portal_ctx *ctx);
void beds_hold_outcome_get(portal_ctx *ctx);

/* reports.c */
void beds_summary_get(portal_ctx *ctx);
void beds_report_get(portal_ctx *ctx);
void beds_report_csv_get(portal_ctx *ctx);

/* demo.c: `portal-beds --load-demo` (portal_app.load_demo). */
int beds_load_demo(portal_store *st, const portal_config *cfg, char *err, size_t errlen);

/* Events counted in the module's metrics (common/metrics.h); names in main.c. */
enum {
	BEDS_EV_HOLD_PLACED, BEDS_EV_HOLD_ACCEPTED, BEDS_EV_HOLD_DECLINED, BEDS_EV_HOLD_CANCELLED,
	BEDS_EV_HOLD_EXTENDED, BEDS_EV_HOLD_EXPIRED, BEDS_EV_NO_BED_AVAILABLE, BEDS_EV_SEARCH_NO_RESULT,
	BEDS_EV_COUNT
};

/* The module's error codes (replies.c), named by the app for the API description. */
extern const portal_error_codes beds_error_codes;

#endif
