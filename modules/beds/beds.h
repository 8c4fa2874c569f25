/* beds.h - the safehouse beds module: configuration, Lua scripts, and the
 * pure functions behind the handlers (views, search, summary, report, CSV).
 *
 * Keys (all under "<prefix>beds:{beds}:", one hash tag, because a hold
 * touches the house, the responder's pending set and the idempotency key
 * atomically; the module therefore lives in one cluster slot):
 *   safehouses                 set of safehouse ids
 *   seq:safehouse, seq:hold    id counters
 *   sh:ID                      hash: agency, agency_name, doc (JSON of the fixed
 *                              fields), beds:G, vacant:G, at:G, by:G per group G
 *   sh:ID:pending:G            zset hold id -> expiry: the held beds of G
 *   hold:ID                    hash: the hold (reference and call-back phone
 *                              erased once due)
 *   pending                    zset hold id -> expiry, every pending hold
 *   resp:USER:pending          zset of a responder's pending holds
 *   resp:USER:holds, agency:A:holds, holds   zsets hold id -> created
 *   idem:USER:KEY              string hold id (24 h)
 *   erase                      zset hold id -> when to erase its details
 *   aof:rewrite_due            counter, bumped by every erasure run that erased
 *                              something; removed once an AOF rewrite started
 *                              after it (the erased values are then off disk)
 *   aof:rewrite_guard          string with a TTL: an AOF rewrite was asked for
 *                              less than PORTAL_BEDS_AOF_REWRITE_HOURS ago
 *   unmet                      zset "time:random|group|needs" -> time
 * No address is stored anywhere, and no field for one exists.
 */
#ifndef BEDS_H
#define BEDS_H

#include <jansson.h>
#include <time.h>

#include "buf.h"
#include "store.h"

enum {
	BEDS_SCRIPT_SAFEHOUSE_SAVE,
	BEDS_SCRIPT_VACANCIES_SET,
	BEDS_SCRIPT_HOLD_PLACE,
	BEDS_SCRIPT_HOLD_ACT,
	BEDS_SCRIPT_READ,
	BEDS_SCRIPT_HOUSEKEEPING,
	BEDS_SCRIPT_COUNT
};
extern const portal_script beds_scripts[BEDS_SCRIPT_COUNT];

#define BEDS_GROUP_COUNT 3
#define BEDS_HOLD_MINUTES_DEFAULT 90
#define BEDS_HOLD_MINUTES_MAX 240
#define BEDS_REFERENCE_MAX 40
#define BEDS_LIST_LIMIT 200

/* The bed groups, NULL-terminated; and how people read them. */
extern const char *const beds_groups[BEDS_GROUP_COUNT + 1];
const char *beds_group_label(const char *group);

/* Decline reasons, NULL-terminated, and their labels. */
extern const char *const beds_decline_reasons[];
const char *beds_reason_label(const char *reason);

/* Module settings from the environment (read once). */
typedef struct beds_config {
	int minute_seconds;   /* PORTAL_BEDS_MINUTE_SECONDS: length of a hold "minute" (tests: 1), default 60 */
	int fresh_seconds;    /* PORTAL_BEDS_FRESH_HOURS (default 12) in seconds */
	int stale_seconds;    /* PORTAL_BEDS_STALE_HOURS (default 48) in seconds */
	int erase_seconds;    /* PORTAL_BEDS_ERASE_DAYS (default 30), or PORTAL_BEDS_ERASE_SECONDS */
	int max_pending;      /* PORTAL_BEDS_MAX_PENDING: pending holds per responder, default 3 */
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

/* "fresh", "ageing" or "stale" for an update at `at` seen at `now`. */
const char *beds_freshness(time_t at, time_t now, int fresh_seconds, int stale_seconds);

/* 1 when `s` may be a phone number: 6..30 characters of digits, spaces and
 * + ( ) - with at least 6 digits. */
int beds_phone_ok(const char *s);

/* 1 when `s` may be an Idempotency-Key: 1..100 characters of [A-Za-z0-9_.:-]. */
int beds_idempotency_key_ok(const char *s);

/* The API input for a safehouse flattened for validation: a new object with
 * the body's fields, where "groups":{"women":{"beds":4}} (or {"women":4})
 * becomes "beds_women":4.  Returns a new reference (never NULL on an object
 * input; NULL when out of memory). */
json_t *beds_safehouse_input(const json_t *body);

/* The public view of a house as the read script gives it (steals nothing):
 * {"id","agency","agency_name","name","area","area_name","groups":{...},
 *  offers..., "languages", "referral_phone", "referral_hours"}.  New reference. */
json_t *beds_house_view(const json_t *raw, time_t now, const beds_config *cfg);

/* Search: from `houses` (views), the results for `want` (validated search
 * fields: group, pre_nrm, post_nrm, dependants, accessible, language, area),
 * ordered: not stale before stale, area matches first, then freshest.
 * New reference: array of {"safehouse","group","available","updated_at","freshness","stale"}. */
json_t *beds_search(const json_t *houses, const json_t *want);

/* London-wide summary from house views: per group available beds and houses
 * fresh/ageing/stale, with bar widths.  New reference. */
json_t *beds_summary(const json_t *houses);

/* The report from the read script's {"holds":[[group,status,reason]...],
 * "unmet":[member...]}.  New reference:
 * {"groups":[{"group","label","placed","accepted","declined","expired","cancelled","pending"}...],
 *  "declined_reasons":[{"reason","label","count"}], "unmet":[{"group","needs","count"}], totals}. */
json_t *beds_report(const json_t *raw);

/* Write the report as CSV into `out`.  Returns 0 or -1 (overflow). */
int beds_report_csv(const json_t *report, const char *from, const char *to, portal_buf *out);

/* The needs of a search as "pre_nrm,dependants,language=sq,area=newham"
 * (or "none") into out. */
void beds_needs_text(const json_t *want, char *out, size_t len);

/* Events counted in the module's metrics (common/metrics.h); names in main.c. */
enum {
	BEDS_EV_HOLD_PLACED, BEDS_EV_HOLD_ACCEPTED, BEDS_EV_HOLD_DECLINED, BEDS_EV_HOLD_CANCELLED,
	BEDS_EV_HOLD_EXTENDED, BEDS_EV_HOLD_EXPIRED, BEDS_EV_NO_BED_AVAILABLE, BEDS_EV_SEARCH_NO_RESULT,
	BEDS_EV_COUNT
};

#endif
