/* fields.c - the beds module's settings, domain lists, field tables, the
 * rules across fields and the form pages' data (see beds.h).  No ctx, no
 * Redis. */
#include "beds.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonget.h"
#include "paging.h"
#include "parse.h"
#include "personal.h"
#include "reference.h"

#define BEDS_GROUP_CODE(code, label, lower) code,
#define BEDS_GROUP_LABEL(code, label, lower) label,
const char *const beds_groups[BEDS_GROUP_COUNT + 1] = { BEDS_GROUPS(BEDS_GROUP_CODE) NULL };
static const char *const beds_group_labels[BEDS_GROUP_COUNT] = { BEDS_GROUPS(BEDS_GROUP_LABEL) };

const char *const beds_decline_reasons[] = {
	"no_longer_available", "needs_not_met", "risk_assessment", "other", NULL };
static const char *const beds_reason_labels[] = {
	"No longer available", "Needs cannot be met", "Risk assessment", "Other reason" };

const char *const beds_outcomes[] = { "arrived", "did_not_arrive", "placed_elsewhere", "unknown", NULL };
static const char *const beds_outcome_labels[] = {
	"The person arrived", "The person did not arrive", "The person was placed elsewhere", "Not known" };

const char *const beds_persons[] = { "woman", "man", "trans_woman", "trans_man", "non_binary", NULL };
static const char *const beds_person_labels[] = { "Women", "Men", "Trans women", "Trans men", "Non-binary people" };

const char *beds_person_label(const char *person)
{
	const char *label = portal_choice_label(beds_persons, beds_person_labels, person);

	return label == person ? "" : label;  /* the code itself: not a choice */
}

json_t *beds_welcomes_default(const char *group)
{
	if (group && strcmp(group, "women") == 0)
		return json_pack("[s]", "woman");
	if (group && strcmp(group, "men") == 0)
		return json_pack("[s]", "man");
	return json_pack("[s, s, s]", "trans_woman", "trans_man", "non_binary");
}

const char *const beds_statuses[] = {
	"pending", "accepted", "declined", "expired", "cancelled", NULL };

const char *beds_group_label(const char *group)
{
	return portal_choice_label(beds_groups, beds_group_labels, group);
}

const char *beds_reason_label(const char *reason)
{
	return portal_choice_label(beds_decline_reasons, beds_reason_labels, reason);
}

const char *beds_outcome_label(const char *outcome)
{
	return portal_choice_label(beds_outcomes, beds_outcome_labels, outcome);
}

static beds_config beds_cfg;
/* Filled once (beds_init) before any table that points at them is used:
 * the tables stay const and hold their addresses. */
static const char *beds_areas[64];
static const char *beds_langs[256];
static pthread_once_t beds_once = PTHREAD_ONCE_INIT;

/* An integer setting from the environment within [min, max], else `def`. */
static int beds_env_int(const char *name, int min, int max, int def)
{
	const char *v = getenv(name);
	long long n;

	if (v == NULL || *v == '\0' || portal_parse_int(v, min, max, &n) < 0)
		return def;
	return (int)n;
}

/* Read the settings and build the choice lists (once). */
static void beds_init(void)
{
	size_t i, n = 0;

	beds_cfg.minute_seconds = beds_env_int("PORTAL_BEDS_MINUTE_SECONDS", 1, 60, 60);
	beds_cfg.fresh_seconds = 3600 * beds_env_int("PORTAL_BEDS_FRESH_HOURS", 1, 720, 12);
	beds_cfg.stale_seconds = 3600 * beds_env_int("PORTAL_BEDS_STALE_HOURS", 1, 2160, 48);
	if (beds_cfg.stale_seconds < beds_cfg.fresh_seconds)
		beds_cfg.stale_seconds = beds_cfg.fresh_seconds;
	beds_cfg.erase_seconds = 86400 * beds_env_int("PORTAL_BEDS_ERASE_DAYS", 1, 3650, 30);
	beds_cfg.erase_seconds = beds_env_int("PORTAL_BEDS_ERASE_SECONDS", 1, 315360000, beds_cfg.erase_seconds);
	beds_cfg.max_pending = beds_env_int("PORTAL_BEDS_MAX_PENDING", 1, 100000, 3);
	beds_cfg.warning_seconds = beds_cfg.minute_seconds * beds_env_int("PORTAL_BEDS_HOLD_WARNING_MINUTES", 1,
	                                                                   BEDS_HOLD_MINUTES_MAX, 15);
	beds_cfg.rewrite_seconds = 3600 * beds_env_int("PORTAL_BEDS_AOF_REWRITE_HOURS", 1, 720, 24);
	beds_cfg.rewrite_seconds = beds_env_int("PORTAL_BEDS_AOF_REWRITE_SECONDS", 1, 2592000, beds_cfg.rewrite_seconds);
	beds_cfg.housekeeping_seconds = 60;
	if (beds_cfg.erase_seconds < beds_cfg.housekeeping_seconds)
		beds_cfg.housekeeping_seconds = beds_cfg.erase_seconds;
	if (beds_cfg.rewrite_seconds < beds_cfg.housekeeping_seconds)
		beds_cfg.housekeeping_seconds = beds_cfg.rewrite_seconds;
	for (i = 0; i < portal_london_areas_count && n < 62; i++)
		beds_areas[n++] = portal_london_areas[i].code;
	beds_areas[n++] = "outside-london";
	beds_areas[n] = NULL;
	for (i = 0; i < portal_languages_count && i < 255; i++)
		beds_langs[i] = portal_languages_listed()[i]->code;
	beds_langs[i] = NULL;
}

const beds_config *beds_config_get(void)
{
	pthread_once(&beds_once, beds_init);
	return &beds_cfg;
}

const char *const *beds_area_choices(void)
{
	pthread_once(&beds_once, beds_init);
	return beds_areas;
}

const char *const *beds_language_choices(void)
{
	pthread_once(&beds_once, beds_init);
	return beds_langs;
}

const char *beds_area_name(const char *slug)
{
	const char *n;

	if (slug == NULL)
		return "";
	if (strcmp(slug, "outside-london") == 0)
		return "Outside London";
	n = portal_london_area_name(slug);
	return n ? n : slug;
}

int beds_idempotency_key_ok(const char *s)
{
	size_t len;

	if (s == NULL)
		return 0;
	len = strlen(s);
	if (len < 1 || len > 100)
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-") == len;
}

/* ---- the field tables ---------------------------------------------------- */

#define GROUPS_CHOICES ((const char *const *)beds_groups)

#define PERSONS ((const char *const *)beds_persons)

static const portal_field beds_search_fields[] = {
	{ .name = "group", .type = PORTAL_FIELD_ENUM, .choices = GROUPS_CHOICES, .label = "Bed group" },
	{ .name = "person", .type = PORTAL_FIELD_ENUM, .choices = PERSONS, .label = "Who the bed is for" },
	{ .name = "pre_nrm", .type = PORTAL_FIELD_BOOL, .label = "Emergency pre-NRM stay" },
	{ .name = "post_nrm", .type = PORTAL_FIELD_BOOL, .label = "Post-NRM stay" },
	{ .name = "dependants", .type = PORTAL_FIELD_BOOL, .label = "Dependants accepted" },
	{ .name = "accessible", .type = PORTAL_FIELD_BOOL, .label = "Wheelchair accessible" },
	{ .name = "language", .type = PORTAL_FIELD_ENUM, .choices_of = beds_language_choices, .label = "Language" },
	{ .name = "area", .type = PORTAL_FIELD_ENUM, .choices_of = beds_area_choices, .label = "Preferred area" },
	PORTAL_PAGE_FIELDS("Results"),
};

#define BEDS_GROUP_WELCOMES_FIELD(code, name_, lower) \
	{ .name = "welcomes_" code, .type = PORTAL_FIELD_ENUM_LIST, .max = 5, .choices = PERSONS, .max_items = 5, \
	  .label = "Who the beds for " lower " welcome" },
#define BEDS_GROUP_BEDS_FIELD(code, name_, lower) \
	{ .name = "beds_" code, .type = PORTAL_FIELD_INT, .max = 100, .label = "Number of beds for " lower },
static const portal_field beds_safehouse_fields[] = {
	{ .name = "name", .type = PORTAL_FIELD_STRING, .required = 1, .min = 1, .max = 60, .label = "Code name" },
	{ .name = "area", .type = PORTAL_FIELD_ENUM, .required = 1, .choices_of = beds_area_choices, .label = "Area" },
	BEDS_GROUPS(BEDS_GROUP_BEDS_FIELD)
	BEDS_GROUPS(BEDS_GROUP_WELCOMES_FIELD)
	{ .name = "pre_nrm", .type = PORTAL_FIELD_BOOL, .label = "Emergency pre-NRM stays" },
	{ .name = "post_nrm", .type = PORTAL_FIELD_BOOL, .label = "Post-NRM stays" },
	{ .name = "dependants", .type = PORTAL_FIELD_BOOL, .label = "Dependants accepted" },
	{ .name = "accessible", .type = PORTAL_FIELD_BOOL, .label = "Wheelchair accessible" },
	{ .name = "staffed_24h", .type = PORTAL_FIELD_BOOL, .label = "24-hour staff" },
	{ .name = "languages", .type = PORTAL_FIELD_ENUM_LIST, .max = 20, .choices_of = beds_language_choices, .max_items = 20, .label = "Staff languages" },
	{ .name = "referral_phone", .type = PORTAL_FIELD_PHONE, .required = 1, .label = "Referral phone line" },
	{ .name = "referral_hours", .type = PORTAL_FIELD_STRING, .max = 100, .label = "Referral hours" },
};

#define BEDS_GROUP_VACANT_FIELD(code, name_, lower) \
	{ .name = code, .type = PORTAL_FIELD_INT, .max = 100, .label = "Number of vacant beds for " lower },
static const portal_field beds_vacancy_fields[] = { BEDS_GROUPS(BEDS_GROUP_VACANT_FIELD) };

static const portal_field beds_hold_fields[] = {
	{ .name = "group", .type = PORTAL_FIELD_ENUM, .required = 1, .choices = GROUPS_CHOICES, .label = "Bed group" },
	{ .name = "reference", .type = PORTAL_FIELD_STRING, .required = 1, .min = 1, .max = BEDS_REFERENCE_MAX, .label = "Your case reference" },
	{ .name = "callback_phone", .type = PORTAL_FIELD_PHONE, .required = 1, .label = "Call-back phone number" },
	{ .name = "minutes", .type = PORTAL_FIELD_INT, .min = 1, .max = BEDS_HOLD_MINUTES_MAX, .label = "Number of minutes to hold the bed" },
};

static const portal_field beds_decline_fields[] = {
	{ .name = "reason", .type = PORTAL_FIELD_ENUM, .required = 1, .choices = (const char *const *)beds_decline_reasons, .label = "Reason for declining" },
};

static const portal_field beds_extend_fields[] = {
	{ .name = "minutes", .type = PORTAL_FIELD_INT, .min = 1, .max = BEDS_HOLD_MINUTES_MAX, .label = "Minutes to add" },
};

/* What happened after a hold closed: the outcome (required of the NGO:
 * checked in the script, which knows the side) and a note, guarded
 * against personal data as case notes are. */
static const portal_field beds_outcome_fields[] = {
	{ .name = "outcome", .type = PORTAL_FIELD_ENUM, .choices = (const char *const *)beds_outcomes, .label = "What happened" },
	{ .name = "note", .type = PORTAL_FIELD_STRING, .max = BEDS_NOTE_MAX, .label = "Your note on how the referral went",
	  .check = portal_check_no_personal_data },
};

/* A list's page (holds, safehouses). */
static const portal_field beds_list_fields[] = {
	PORTAL_PAGE_FIELDS("Results"),
};

static const portal_field beds_report_fields[] = {
	{ .name = "from", .type = PORTAL_FIELD_DATE, .required = 1, .label = "From date" },
	{ .name = "to", .type = PORTAL_FIELD_DATE, .required = 1, .label = "To date" },
};

const portal_fields beds_fields[BEDS_FIELDS_COUNT] = {
	[BEDS_FIELDS_SEARCH]    = PORTAL_FIELDS_INIT(beds_search_fields),
	[BEDS_FIELDS_SAFEHOUSE] = PORTAL_FIELDS_INIT(beds_safehouse_fields),
	[BEDS_FIELDS_VACANCIES] = PORTAL_FIELDS_INIT(beds_vacancy_fields),
	[BEDS_FIELDS_HOLD]      = PORTAL_FIELDS_INIT(beds_hold_fields),
	[BEDS_FIELDS_DECLINE]   = PORTAL_FIELDS_INIT(beds_decline_fields),
	[BEDS_FIELDS_EXTEND]    = PORTAL_FIELDS_INIT(beds_extend_fields),
	[BEDS_FIELDS_REPORT]    = PORTAL_FIELDS_INIT(beds_report_fields),
	[BEDS_FIELDS_LIST]      = PORTAL_FIELDS_INIT(beds_list_fields),
	[BEDS_FIELDS_OUTCOME]   = PORTAL_FIELDS_INIT(beds_outcome_fields),
};

portal_fields beds_fields_of(beds_form form)
{
	return beds_fields[(unsigned)form < BEDS_FIELDS_COUNT ? form : BEDS_FIELDS_REPORT];
}

json_t *beds_safehouse_input(const json_t *body)
{
	json_t *in = json_is_object(body) ? json_deep_copy(body) : json_object();
	json_t *groups;
	size_t i;

	if (in == NULL)
		return NULL;
	groups = json_object_get(in, "groups");
	if (json_is_object(groups)) {
		for (i = 0; i < BEDS_GROUP_COUNT; i++) {
			json_t *g = json_object_get(groups, beds_groups[i]);
			char key[40];

			snprintf(key, sizeof(key), "beds_%s", beds_groups[i]);
			if (json_is_object(g) && json_object_get(g, "welcomes")) {
				snprintf(key, sizeof(key), "welcomes_%s", beds_groups[i]);
				json_object_set(in, key, json_object_get(g, "welcomes"));
				snprintf(key, sizeof(key), "beds_%s", beds_groups[i]);
			}
			if (json_is_object(g))
				g = json_object_get(g, "beds");
			if (g)
				json_object_set(in, key, g);
		}
	}
	json_object_del(in, "groups");
	return in;
}

/* Move the validated welcomes_GROUP lists of `v` into v.welcomes {group:
 * list}; a group not given keeps its default (nothing is stored). */
static void beds_welcomes_take(json_t *v)
{
	json_t *welcomes = json_object(), *list;
	char key[40];
	size_t i;

	for (i = 0; i < BEDS_GROUP_COUNT; i++) {
		snprintf(key, sizeof(key), "welcomes_%s", beds_groups[i]);
		if ((list = json_object_get(v, key)) != NULL && json_array_size(list) > 0)
			json_object_set(welcomes, beds_groups[i], list);
		json_object_del(v, key);
	}
	if (json_object_size(welcomes) > 0)
		json_object_set(v, "welcomes", welcomes);
	json_decref(welcomes);
}

json_t *beds_safehouse_rules(const json_t *in, json_t *v, json_t **doc, json_t **beds)
{
	json_t *errors = json_object();
	long long total = 0;
	size_t i;

	*doc = NULL;
	*beds = json_object();
	for (i = 0; i < BEDS_GROUP_COUNT; i++) {
		char key[40];
		long long n;

		snprintf(key, sizeof(key), "beds_%s", beds_groups[i]);
		n = json_integer_value(json_object_get(v, key));
		total += n;
		json_object_set_new(*beds, beds_groups[i], json_integer(n));
		json_object_del(v, key);
	}
	beds_welcomes_take(v);
	if (total < 1)
		json_object_set_new(errors, "beds_women", json_string("Enter the number of beds for at least one bed group"));
	/* never an address: say so, whatever else is wrong (and never show it back) */
	if (json_object_get(in, "address") || json_object_get(in, "postcode"))
		json_object_set_new(errors, "address", json_string(
		    "Do not enter an address or postcode: the portal never stores where a safehouse is. Give the area only."));
	if (json_object_size(errors) == 0) {
		json_decref(errors);
		*doc = v;
		return NULL;
	}
	json_decref(v);
	json_decref(*beds);
	*beds = NULL;
	return errors;
}

/* ---- form pages ---------------------------------------------------------- */

json_t *beds_form_data(const json_t *order)
{
	json_t *areas = json_array(), *groups = json_array(), *langs = json_array(), *persons = json_array();
	const char *const *a = beds_area_choices(), *const *l = beds_language_choices();
	const json_t *code;
	size_t i;

	for (i = 0; a[i]; i++)
		json_array_append_new(areas, json_pack("{s:s, s:s}", "code", a[i], "name", beds_area_name(a[i])));
	for (i = 0; order ? i < json_array_size(order) : l[i] != NULL; i++) {
		const char *c = order ? json_string_value(code = json_array_get(order, i)) : l[i];
		const char *name = c ? portal_language_name(c) : NULL;
		if (name)
			json_array_append_new(langs, json_pack("{s:s, s:s}", "code", c, "name", name));
	}
	for (i = 0; i < BEDS_GROUP_COUNT; i++)
		json_array_append_new(groups, json_pack("{s:s, s:s}", "code", beds_groups[i], "name", beds_group_labels[i]));
	for (i = 0; beds_persons[i]; i++)
		json_array_append_new(persons, json_pack("{s:s, s:s}", "code", beds_persons[i], "name", beds_person_labels[i]));
	return json_pack("{s:o, s:o, s:o, s:o}", "areas", areas, "languages", langs, "groups", groups, "persons", persons);
}

void beds_mark_selected(json_t *data, const char *name, const json_t *value)
{
	const char *v = json_string_value(value);
	json_t *item;
	size_t i;

	if (v == NULL)
		return;
	json_array_foreach(json_object_get(data, name), i, item)
		if (strcmp(json_string_value(json_object_get(item, "code")), v) == 0)
			json_object_set_new(item, "selected", json_true());
}

/* What a safehouse offers, as the form's checkboxes show it. */
static const struct beds_offer {
	const char *code, *label;
} beds_offers[] = {
	{ "pre_nrm", "Emergency pre-NRM stays" },
	{ "post_nrm", "Post-NRM stays" },
	{ "dependants", "Dependants (children) accepted" },
	{ "accessible", "Wheelchair accessible" },
	{ "staffed_24h", "24-hour staff" },
};

#define BEDS_GROUP_FORM_FIELD(code, label, lower) "beds_" code,
/* The fields the safehouse form shows as text, in the form's order. */
static const char *const beds_form_text_fields[] = {
	"name", BEDS_GROUPS(BEDS_GROUP_FORM_FIELD) "languages", "referral_phone", "referral_hours",
};

json_t *beds_form_text(const json_t *v)
{
	portal_buf b;
	json_t *item, *out = NULL;
	char num[32];
	size_t i;

	if (json_is_string(v))
		return json_stringn(json_string_value(v), json_string_length(v));
	if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		return json_string(num);
	}
	if (!json_is_array(v))
		return json_string("");
	portal_buf_init(&b, 4096);
	json_array_foreach(v, i, item) {
		if (!json_is_string(item))
			continue;
		if (b.len > 0)
			portal_buf_puts(&b, ", ");
		portal_buf_append(&b, json_string_value(item), json_string_length(item));
	}
	if (!b.overflow)
		out = json_stringn(b.data ? b.data : "", b.len);
	portal_buf_free(&b);
	return out ? out : json_string("");
}

/* The form's "who each bed group welcomes" checkboxes, ticked from form's
 * welcomes_GROUP (or each group's default when the form has none). */
static json_t *beds_welcome_choices(const json_t *form)
{
	json_t *out = json_array(), *persons, *list, *def;
	char key[40];
	size_t i, k;

	for (i = 0; i < BEDS_GROUP_COUNT; i++) {
		snprintf(key, sizeof(key), "welcomes_%s", beds_groups[i]);
		def = beds_welcomes_default(beds_groups[i]);
		list = json_object_get(form, key) ? json_object_get(form, key) : def;
		persons = json_array();
		for (k = 0; beds_persons[k]; k++)
			json_array_append_new(persons, json_pack("{s:s, s:s, s:s, s:o, s:b}", "code", beds_persons[k],
			                      "label", beds_person_label(beds_persons[k]), "name", key,
			                      "id", k ? json_sprintf("%s-%s", key, beds_persons[k]) : json_string(key),
			                      "checked", portal_json_list_has(list, beds_persons[k])));
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:o}", "group", beds_groups[i], "field", key,
		                      "label", beds_group_labels[i], "persons", persons));
		json_decref(def);
	}
	return out;
}

/* Copy into `shown` what the person typed in each of form's `keys`, as the
 * form's text boxes show it again. */
static void beds_show_typed(json_t *shown, const json_t *form, const char *const *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const json_t *v = json_object_get(form, keys[i]);
		if (v != NULL)
			json_object_set_new(shown, keys[i], beds_form_text(v));
	}
}

json_t *beds_safehouse_form_page(const json_t *order, const json_t *form, const char *id)
{
	json_t *data = beds_form_data(order), *shown = json_object(), *offers = json_array();
	char action[80];
	size_t i;

	beds_show_typed(shown, form, beds_form_text_fields, BEDS_COUNT(beds_form_text_fields));
	beds_mark_selected(data, "areas", json_object_get(form, "area"));
	for (i = 0; i < BEDS_COUNT(beds_offers); i++)
		json_array_append_new(offers, json_pack("{s:s, s:s, s:b}", "code", beds_offers[i].code,
		                      "label", beds_offers[i].label,
		                      "checked", portal_form_ticked(json_object_get(form, beds_offers[i].code))));
	json_object_set_new(data, "form", shown);
	json_object_set_new(data, "offers", offers);
	json_object_set_new(data, "welcome_groups", beds_welcome_choices(form));
	json_object_set_new(data, "is_edit", json_boolean(id[0] != '\0'));
	if (id[0] != '\0') {
		snprintf(action, sizeof(action), "/beds/safehouses/%s/edit", id);
		json_object_set_new(data, "safehouse_id", json_string(id));
	} else
		snprintf(action, sizeof(action), "/beds/safehouses");
	json_object_set_new(data, "action", json_string(action));
	return data;
}

json_t *beds_safehouse_form_of(const json_t *view)
{
	static const char *const keys[] = { "name", "area", "languages", "referral_phone", "referral_hours" };
	json_t *form = json_object();
	char key[40];
	size_t i;

	for (i = 0; i < BEDS_COUNT(keys); i++)
		if (json_object_get(view, keys[i]) != NULL)
			json_object_set(form, keys[i], json_object_get(view, keys[i]));
	for (i = 0; i < BEDS_COUNT(beds_offers); i++)
		json_object_set_new(form, beds_offers[i].code,
		                    json_boolean(json_is_true(json_object_get(view, beds_offers[i].code))));
	for (i = 0; i < BEDS_GROUP_COUNT; i++) {
		const json_t *g = json_object_get(json_object_get(view, "groups"), beds_groups[i]);
		snprintf(key, sizeof(key), "beds_%s", beds_groups[i]);
		json_object_set_new(form, key, json_integer(g ? json_integer_value(json_object_get(g, "beds")) : 0));
		if (g && json_object_get(g, "welcomes")) {
			snprintf(key, sizeof(key), "welcomes_%s", beds_groups[i]);
			json_object_set(form, key, json_object_get(g, "welcomes"));
		}
	}
	return form;
}

json_t *beds_hold_form_values(const json_t *group)
{
	/* "O" takes a reference of its own, so the chosen group is packed with
	 * it and the default with "s": no value is left with a reference that
	 * nobody owns (json_string() packed with "O" was a leak) */
	if (group != NULL)
		return json_pack("{s:O, s:i}", "group", group, "minutes", BEDS_HOLD_MINUTES_DEFAULT);
	return json_pack("{s:s, s:i}", "group", beds_groups[0], "minutes", BEDS_HOLD_MINUTES_DEFAULT);
}

/* The hold form's fields, in the form's order. */
static const char *const beds_hold_form_keys[] = { "group", "reference", "callback_phone", "minutes" };

json_t *beds_hold_form_page(const json_t *house, const json_t *form)
{
	json_t *groups = json_array(), *shown = json_object(), *g, *page;
	const char *want = json_string_value(json_object_get(form, "group"));
	int known = want != NULL && beds_group_label(want) != want;  /* the label of an unknown code is the code */
	char href[80];
	size_t i;

	beds_show_typed(shown, form, beds_hold_form_keys, BEDS_COUNT(beds_hold_form_keys));
	json_array_foreach(json_object_get(house, "group_list"), i, g)
		if (portal_json_num(g, "available") >= 1)
			json_array_append_new(groups, json_pack("{s:O, s:O, s:b}", "code", json_object_get(g, "group"),
			                      "name", json_object_get(g, "label"),
			                      "selected", want && strcmp(want, portal_json_text(g, "group")) == 0));
	snprintf(href, sizeof(href), "/beds/search?group=%s", known ? want : beds_groups[0]);
	page = json_pack("{s:O, s:o, s:b, s:o, s:s, s:s}", "safehouse", house, "groups", groups,
	                 "has_groups", json_array_size(groups) > 0, "form", shown,
	                 "group_label", known ? beds_group_label(want) : "", "search_href", href);
	return page ? page : json_object();
}

json_t *beds_outcome_form(const json_t *view, const json_t *typed)
{
	const char *side = portal_json_text(view, "outcome_side"), *chosen;
	const json_t *mine = NULL, *o;
	json_t *choices, *note;
	size_t i;

	if (!json_is_true(json_object_get(view, "can_record_outcome")))
		return NULL;
	json_array_foreach(json_object_get(view, "outcomes"), i, o)
		if (strcmp(portal_json_text(o, "side"), side) == 0)
			mine = o;
	chosen = portal_json_text(typed ? typed : mine, "outcome");
	note = typed ? beds_form_text(json_object_get(typed, "note")) : json_string(portal_json_text(mine, "note"));
	choices = json_array();
	for (i = 0; beds_outcomes[i]; i++)
		json_array_append_new(choices, json_pack("{s:s, s:s, s:b, s:b}", "code", beds_outcomes[i],
		                      "name", beds_outcome_label(beds_outcomes[i]), "first", i == 0,
		                      "selected", strcmp(chosen, beds_outcomes[i]) == 0));
	return json_pack("{s:o, s:o, s:b, s:b}", "outcomes", choices, "note", note ? note : json_string(""),
	                 "required", strcmp(side, "ngo") == 0, "replacing", mine != NULL);
}
