/* fields.c - the cases module's settings, its domain lists and their words,
 * the field tables every handler validates with, and the share form's page
 * data (see cases.h).
 */
#include "cases.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonget.h"
#include "parse.h"
#include "personal.h"
#include "reference.h"

/* ---- the domain lists ----------------------------------------------------- */

const char *const cases_statuses[] = {
	"shared", "received", "allocated", "crime_recorded", "nrm_referral_made", "investigation_opened",
	"arrest", "charge", "no_further_action", "closed", NULL };
static const char *const status_labels[] = {
	"Waiting for acknowledgement", "Received", "Allocated to an officer", "Crime recorded",
	"NRM referral made", "Investigation opened", "Arrest", "Charge", "No further action", "Closed", NULL };
/* what a unit may post as an update (cases_statuses without "shared") */
const char *const cases_unit_statuses[] = {
	"received", "allocated", "crime_recorded", "nrm_referral_made", "investigation_opened",
	"arrest", "charge", "no_further_action", "closed", NULL };

const char *const cases_channels[] = { "phone", "email", "in_person", "online", NULL };
static const char *const channel_labels[] = { "By phone", "By e-mail", "In person", "Online report", NULL };

const char *const cases_wants[] = { "crime_recorded", "investigation_opened", "nrm_referral_made", "outcome", NULL };
static const char *const want_labels[] = {
	"Whether a crime was recorded", "Whether an investigation was opened", "Whether an NRM referral was made",
	"The outcome", NULL };

const char *const cases_nfa_reasons[] = { "victim_withdrew", "insufficient_evidence", "not_in_public_interest", "other", NULL };
static const char *const reason_labels[] = {
	"The person withdrew", "Insufficient evidence", "Not in the public interest", "Another reason", NULL };

/* the directory's exploitation type codes (modules never call each other,
 * so the codes are named here again; the directory owns their meaning) */
const char *const cases_exploitation_types[] = {
	"sexual", "labour", "criminal", "domestic_servitude", "organ_harvesting", "financial", NULL };
static const char *const exploitation_labels[] = {
	"Sexual exploitation", "Labour exploitation", "Criminal exploitation (including county lines)",
	"Domestic servitude", "Organ harvesting", "Financial exploitation", NULL };

const char *const cases_filters[] = { "open", "awaiting_acknowledgement", "awaiting_update", "closed", NULL };
static const char *const filter_labels[] = {
	"Open", "Waiting for acknowledgement", "Waiting for an update", "Closed", NULL };

const char *cases_status_label(const char *code) { return portal_choice_label(cases_statuses, status_labels, code); }
const char *cases_channel_label(const char *code) { return portal_choice_label(cases_channels, channel_labels, code); }
const char *cases_want_label(const char *code) { return portal_choice_label(cases_wants, want_labels, code); }
const char *cases_reason_label(const char *code) { return portal_choice_label(cases_nfa_reasons, reason_labels, code); }
const char *cases_filter_label(const char *code) { return portal_choice_label(cases_filters, filter_labels, code); }
const char *cases_exploitation_label(const char *code)
{
	return portal_choice_label(cases_exploitation_types, exploitation_labels, code);
}

const char *cases_borough_label(const char *slug)
{
	const char *n;

	if (slug == NULL || slug[0] == '\0' || strcmp(slug, "unknown") == 0)
		return "Unknown";
	n = portal_london_area_name(slug);
	return n ? n : slug;
}

/* ---- settings and the run-time choice lists ----------------------------- */

static cases_config cases_cfg;
static const char *borough_choices[64];
static pthread_once_t cases_once = PTHREAD_ONCE_INIT;

/* A whole-number setting from the environment within [min, max], else def. */
static long long cases_env(const char *name, long long min, long long max, long long def)
{
	const char *v = getenv(name);
	long long n = def;

	return v && *v && portal_parse_int(v, min, max, &n) == 0 ? n : def;
}

static void cases_init(void)
{
	size_t i, n = 0;

	cases_cfg.retention_seconds = 86400LL * cases_env("PORTAL_CASES_RETENTION_DAYS", 1, 3650, 365);
	cases_cfg.retention_seconds = cases_env("PORTAL_CASES_RETENTION_SECONDS", 1, 315360000, cases_cfg.retention_seconds);
	cases_cfg.rewrite_seconds = (int)(3600 * cases_env("PORTAL_CASES_AOF_REWRITE_HOURS", 1, 720, 24));
	cases_cfg.rewrite_seconds = (int)cases_env("PORTAL_CASES_AOF_REWRITE_SECONDS", 1, 2592000, cases_cfg.rewrite_seconds);
	cases_cfg.housekeeping_seconds = 60;
	if (cases_cfg.retention_seconds < cases_cfg.housekeeping_seconds)
		cases_cfg.housekeeping_seconds = (int)cases_cfg.retention_seconds;
	if (cases_cfg.rewrite_seconds < cases_cfg.housekeeping_seconds)
		cases_cfg.housekeeping_seconds = cases_cfg.rewrite_seconds;
	borough_choices[n++] = "unknown";
	for (i = 0; i < portal_london_areas_count && n < 63; i++)
		borough_choices[n++] = portal_london_areas[i].code;
	borough_choices[n] = NULL;
}

const cases_config *cases_config_get(void)
{
	pthread_once(&cases_once, cases_init);
	return &cases_cfg;
}

const char *const *cases_borough_choices(void)
{
	pthread_once(&cases_once, cases_init);
	return borough_choices;
}

/* ---- the field tables ------------------------------------------------------ */

static const portal_field share_fields[] = {
	{ .name = "reference", .type = PORTAL_FIELD_STRING, .required = 1, .min = 1, .max = CASES_REFERENCE_MAX,
	  .label = "Your case reference" },
	{ .name = "shared_on", .type = PORTAL_FIELD_DATE, .required = 1, .label = "The date you gave the information" },
	{ .name = "channel", .type = PORTAL_FIELD_ENUM, .required = 1, .choices = cases_channels,
	  .label = "How you gave it" },
	{ .name = "unit", .type = PORTAL_FIELD_ENUM, .choices_of = cases_unit_choices, .label = "The police unit" },
	{ .name = "borough", .type = PORTAL_FIELD_ENUM, .choices_of = cases_borough_choices,
	  .label = "The borough where the exploitation took place" },
	{ .name = "exploitation_types", .type = PORTAL_FIELD_ENUM_LIST, .choices = cases_exploitation_types,
	  .max_items = 6, .label = "Types of exploitation" },
	{ .name = "contact_consent", .type = PORTAL_FIELD_BOOL, .label = "Whether the person agrees to police contact through you" },
	{ .name = "wants", .type = PORTAL_FIELD_ENUM_LIST, .choices = cases_wants, .max_items = 4,
	  .label = "What you would like to hear back" },
};

static const portal_field ack_fields[] = {
	{ .name = "police_reference", .type = PORTAL_FIELD_STRING, .required = 1, .min = 1, .max = CASES_REFERENCE_MAX,
	  .label = "The police reference" },
};

static const portal_field unit_update_fields[] = {
	{ .name = "status", .type = PORTAL_FIELD_ENUM, .required = 1, .choices = cases_unit_statuses, .label = "The status" },
	{ .name = "reason", .type = PORTAL_FIELD_ENUM, .choices = cases_nfa_reasons, .label = "The reason for no further action" },
	{ .name = "note", .type = PORTAL_FIELD_STRING, .max = CASES_NOTE_MAX, .label = "The note",
	  .check = portal_check_no_personal_data },
};

static const portal_field reply_fields[] = {
	{ .name = "note", .type = PORTAL_FIELD_STRING, .required = 1, .min = 1, .max = CASES_NOTE_MAX,
	  .label = "Your reply", .check = portal_check_no_personal_data },
};

static const portal_field close_fields[] = {
	{ .name = "outcome", .type = PORTAL_FIELD_STRING, .required = 1, .min = 1, .max = CASES_NOTE_MAX,
	  .label = "The outcome", .check = portal_check_no_personal_data },
};

/* A trends quarter: "2026-Q4". */
static int quarter_check(const json_t *value, char *msg, size_t msglen)
{
	char words[64];

	if (cases_quarter_words(json_string_value(value), words, sizeof(words)) != NULL)
		return 0;
	snprintf(msg, msglen, "Enter a quarter as the year, a dash, Q and its number, like 2026-Q4");
	return -1;
}

/* What a context note is about: "borough:newham", "exploitation_type:labour"
 * or "quarter:2026-Q4". */
static int about_check(const json_t *value, char *msg, size_t msglen)
{
	const char *s = json_string_value(value);
	const char *const *areas = cases_borough_choices();
	size_t i;

	if (s && strncmp(s, "quarter:", 8) == 0) {
		json_t *q = json_string(s + 8);
		int rc = quarter_check(q, msg, msglen);
		json_decref(q);
		return rc;
	}
	for (i = 0; s && strncmp(s, "borough:", 8) == 0 && areas[i]; i++)
		if (strcmp(s + 8, areas[i]) == 0)
			return 0;
	for (i = 0; s && strncmp(s, "exploitation_type:", 18) == 0 && cases_exploitation_types[i]; i++)
		if (strcmp(s + 18, cases_exploitation_types[i]) == 0)
			return 0;
	snprintf(msg, msglen, "Choose what the note is about: a borough, a type of exploitation or a quarter");
	return -1;
}

static const portal_field trends_fields[] = {
	{ .name = "quarter", .type = PORTAL_FIELD_STRING, .max = 7, .label = "The quarter", .check = quarter_check },
};

static const portal_field note_fields[] = {
	{ .name = "about", .type = PORTAL_FIELD_STRING, .required = 1, .max = 60, .label = "What the note is about",
	  .check = about_check },
	{ .name = "note", .type = PORTAL_FIELD_STRING, .required = 1, .min = 1, .max = CASES_NOTE_MAX,
	  .label = "Your note", .check = portal_check_no_personal_data },
	/* the page's form says which quarter it was shown beside */
	{ .name = "quarter", .type = PORTAL_FIELD_STRING, .max = 7, .label = "The quarter shown", .check = quarter_check },
};

static const portal_field list_fields[] = {
	{ .name = "status", .type = PORTAL_FIELD_ENUM, .choices = cases_filters, .label = "Show" },
};

const portal_fields cases_fields[CASES_FIELDS_COUNT] = {
	[CASES_FIELDS_SHARE] = PORTAL_FIELDS_INIT(share_fields),
	[CASES_FIELDS_ACK] = PORTAL_FIELDS_INIT(ack_fields),
	[CASES_FIELDS_UNIT_UPDATE] = PORTAL_FIELDS_INIT(unit_update_fields),
	[CASES_FIELDS_REPLY] = PORTAL_FIELDS_INIT(reply_fields),
	[CASES_FIELDS_CLOSE] = PORTAL_FIELDS_INIT(close_fields),
	[CASES_FIELDS_LIST] = PORTAL_FIELDS_INIT(list_fields),
	[CASES_FIELDS_TRENDS] = PORTAL_FIELDS_INIT(trends_fields),
	[CASES_FIELDS_NOTE] = PORTAL_FIELDS_INIT(note_fields),
};

/* ---- the share form's page ------------------------------------------------- */

/* [{code, name, id, selected}] for choices[] with labels from `label`, the
 * ones `typed` holds (a string or a list) selected; `field` makes the ids
 * (the first is the field's own name, for the error summary's link). */
static json_t *choice_items(const char *field, const char *const *choices, const char *(*label)(const char *),
                            const json_t *typed)
{
	json_t *items = json_array();
	char id[96];
	size_t i;

	for (i = 0; choices[i]; i++) {
		if (i == 0)
			snprintf(id, sizeof(id), "%s", field);
		else
			snprintf(id, sizeof(id), "%s-%s", field, choices[i]);
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:b}", "code", choices[i], "name", label(choices[i]),
		                                       "id", id, "selected", portal_json_list_has(typed, choices[i])));
	}
	return items;
}

static const char *unit_label(const char *code)
{
	const cases_unit *u = cases_unit_find(code);
	return u ? u->name : "I don't know: the borough decides";
}

json_t *cases_share_page(const json_t *form)
{
	json_t *page = json_object(), *shown = json_object();
	const json_t *consent = json_object_get(form, "contact_consent");
	const char *text[] = { "reference", "shared_on" };
	size_t i;

	for (i = 0; i < CASES_COUNT(text); i++)
		if (json_is_string(json_object_get(form, text[i])))
			json_object_set(shown, text[i], json_object_get(form, text[i]));
	json_object_set_new(page, "form", shown);
	json_object_set_new(page, "channels", choice_items("channel", cases_channels, cases_channel_label,
	                                                   json_object_get(form, "channel")));
	json_object_set_new(page, "units", choice_items("unit", cases_unit_choices(), unit_label,
	                                                json_object_get(form, "unit")));
	json_object_set_new(page, "boroughs", choice_items("borough", cases_borough_choices(), cases_borough_label,
	                                                   json_object_get(form, "borough")));
	json_object_set_new(page, "types", choice_items("exploitation_types", cases_exploitation_types,
	                                                cases_exploitation_label, json_object_get(form, "exploitation_types")));
	json_object_set_new(page, "wants", choice_items("wants", cases_wants, cases_want_label, json_object_get(form, "wants")));
	json_object_set_new(page, "consent_yes", json_boolean(consent && portal_form_ticked(consent)));
	json_object_set_new(page, "consent_no", json_boolean(json_is_false(consent) ||
	                                                    (json_is_string(consent) && strcmp(json_string_value(consent), "no") == 0)));
	return page;
}
