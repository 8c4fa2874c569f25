/* fields.c - the field tables of a service, an organisation and a search,
 * and the rules across fields: input becomes a stored record or a parsed
 * query, or the errors saying what to fix. */
#include "directory.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "reference.h"
#include "validate.h"

/* ---- validation ---------------------------------------------------------- */

static const char *const directory_choices_service_types[] = {
	"advocacy", "legal_advice", "safe_accommodation", "mental_health", "interpreting",
	"outreach", "helpline", "childrens_support", "return_home_interviews",
	"employment_training", "other", NULL };
static const char *const directory_choices_exploitation[] = {
	"sexual", "labour", "criminal", "domestic_servitude", "organ_harvesting", "financial", NULL };
static const char *const directory_choices_client_groups[] = {
	"children", "young_people", "adults", "women", "men", "trans_non_binary", NULL };
static const char *const directory_choices_referrers[] = { "police", "first_responder", "self", NULL };

/* The flat fields of a service, as the form names them. */
static const portal_field directory_service_fields[] = {
	{ .name = "organisation_id", .type = PORTAL_FIELD_STRING, .required = 1, .min = 36, .max = 36, .label = "Organisation" },
	{ .name = "name", .type = PORTAL_FIELD_STRING, .required = 1, .min = 1, .max = 120, .label = "Service name" },
	{ .name = "description", .type = PORTAL_FIELD_STRING, .required = 1, .min = 1, .max = 2000, .label = "Description" },
	{ .name = "service_types", .type = PORTAL_FIELD_ENUM_LIST, .required = 1, .choices = directory_choices_service_types, .label = "Service type" },
	{ .name = "exploitation_types", .type = PORTAL_FIELD_ENUM_LIST, .choices = directory_choices_exploitation, .label = "Exploitation type" },
	{ .name = "client_groups", .type = PORTAL_FIELD_ENUM_LIST, .choices = directory_choices_client_groups, .label = "Client group" },
	{ .name = "languages", .type = PORTAL_FIELD_STRING_LIST, .min = 2, .max = 3, .max_items = 40, .label = "Languages" },
	{ .name = "communities", .type = PORTAL_FIELD_STRING_LIST, .min = 1, .max = 40, .max_items = 20, .label = "Communities" },
	{ .name = "boroughs", .type = PORTAL_FIELD_STRING_LIST, .required = 1, .min = 1, .max = 40, .max_items = 34, .label = "Boroughs served" },
	{ .name = "always_open", .type = PORTAL_FIELD_BOOL, .label = "Open 24 hours" },
	{ .name = "opening", .type = PORTAL_FIELD_STRING, .max = 300, .label = "Opening times" },
	{ .name = "out_of_hours", .type = PORTAL_FIELD_STRING, .max = 300, .label = "Out-of-hours cover" },
	{ .name = "steps", .type = PORTAL_FIELD_STRING_LIST, .required = 1, .min = 1, .max = 500, .max_items = 10, .label = "How to refer: steps" },
	{ .name = "referrers", .type = PORTAL_FIELD_ENUM_LIST, .required = 1, .choices = directory_choices_referrers, .label = "Who may refer" },
	{ .name = "consent_needed", .type = PORTAL_FIELD_BOOL, .label = "Consent needed" },
	{ .name = "nrm_needed", .type = PORTAL_FIELD_BOOL, .label = "NRM referral needed" },
	{ .name = "contact", .type = PORTAL_FIELD_STRING, .required = 1, .min = 1, .max = 300, .label = "Referral contact" },
	{ .name = "response_time", .type = PORTAL_FIELD_STRING, .max = 120, .label = "Typical response time" },
	{ .name = "last_verified", .type = PORTAL_FIELD_DATE, .label = "Last verified" },
};

/* Copy key `from` of object `src` to key `to` of `dst` when present. */
void directory_copy(json_t *dst, const char *to, const json_t *src, const char *from)
{
	json_t *v = json_object_get(src, from);

	if (v)
		json_object_set(dst, to, v);
}

/* The flat form of a service object (API or stored shape): a new object. */
static json_t *directory_service_flatten(const json_t *in)
{
	json_t *flat = json_object(), *v, *codes;
	const json_t *hours = json_object_get(in, "hours"), *refer = json_object_get(in, "how_to_refer");
	static const char *const plain[] = { "organisation_id", "name", "description", "service_types",
		"exploitation_types", "client_groups", "boroughs", "always_open", "opening",
		"out_of_hours", "steps", "referrers", "consent_needed", "nrm_needed", "contact",
		"response_time", "last_verified", NULL };
	size_t i;

	for (i = 0; plain[i]; i++)
		directory_copy(flat, plain[i], in, plain[i]);
	if ((v = json_object_get(json_object_get(in, "organisation"), "id")) && json_is_string(v))
		json_object_set(flat, "organisation_id", v);
	/* languages and communities: codes, or {"code","name"} objects as stored */
	for (i = 0; i < 2; i++) {
		const char *key = i == 0 ? "languages" : "communities";
		const json_t *list = json_object_get(in, key), *item;
		size_t j;
		if (!json_is_array(list)) {
			directory_copy(flat, key, in, key);
			continue;
		}
		codes = json_array();
		json_array_foreach(list, j, item) {
			if (json_is_object(item) && json_is_string(json_object_get(item, "code")))
				json_array_append(codes, json_object_get(item, "code"));
			else
				json_array_append(codes, (json_t *)item);
		}
		json_object_set_new(flat, key, codes);
	}
	if (json_is_object(hours)) {
		directory_copy(flat, "always_open", hours, "always_open");
		directory_copy(flat, "opening", hours, "opening");
		directory_copy(flat, "out_of_hours", hours, "out_of_hours");
	}
	if (json_is_object(refer)) {
		static const char *const r[] = { "steps", "referrers", "consent_needed", "nrm_needed",
			"contact", "response_time", NULL };
		for (i = 0; r[i]; i++)
			directory_copy(flat, r[i], refer, r[i]);
	}
	/* a form's textarea: one step a line */
	v = json_object_get(flat, "steps");
	if (json_is_string(v) && strchr(json_string_value(v), '\n')) {
		const char *s = json_string_value(v), *nl;
		json_t *steps = json_array();
		while (*s) {
			nl = strchr(s, '\n');
			if (nl == NULL)
				nl = s + strlen(s);
			json_array_append_new(steps, json_stringn(s, (size_t)(nl - s)));
			s = *nl ? nl + 1 : nl;
		}
		json_object_set_new(flat, "steps", steps);
	}
	return flat;
}
/* A {"code","name"} list from a validated list of codes, checking each
 * with lookup (language names) or against `names` (object code -> name).
 * Adds an error for `field` to *errors on an unknown code. */
static json_t *directory_coded_list(const json_t *codes, const char *field, const json_t *names,
                                    json_t **errors)
{
	json_t *out = json_array(), *item;
	size_t i;

	json_array_foreach(codes, i, item) {
		const char *code = json_string_value(item), *name;
		char msg[200];
		if (names)
			name = json_string_value(json_object_get(names, code));
		else
			name = portal_language_name(code);
		if (name == NULL) {
			if (names)
				snprintf(msg, sizeof(msg), "Choose communities from the directory's list: \"%.40s\" is not on it", code);
			else
				snprintf(msg, sizeof(msg), "Give languages as language tags such as sq (Albanian) or prs (Dari): \"%.40s\" is not one", code);
			portal_field_error(errors, field, msg);
			continue;
		}
		json_array_append_new(out, json_pack("{s:s, s:s}", "code", code, "name", name));
	}
	return out;
}

/* The stored service made of the validated fields `valid`, the coded lists
 * langs and comms (stolen) and the parsed hours (new object), or NULL when
 * it cannot be made (a field missing from valid, or out of memory). */
static json_t *directory_service_record(const json_t *valid, json_t *langs, json_t *comms,
                                        const directory_hours *hours)
{
	portal_buf text;
	json_t *out;

	portal_buf_init(&text, 4096);
	directory_hours_text(hours, &text, 0);
	out = json_pack("{s:{s:O}, s:O, s:O, s:O, s:o, s:o, s:o, s:o, s:O, s:{s:b, s:s, s:s}, s:{s:O, s:O, s:b, s:b, s:O, s:s}}",
	        "organisation", "id", json_object_get(valid, "organisation_id"),
	        "name", json_object_get(valid, "name"),
	        "description", json_object_get(valid, "description"),
	        "service_types", json_object_get(valid, "service_types"),
	        "exploitation_types", json_object_get(valid, "exploitation_types") ? json_incref(json_object_get(valid, "exploitation_types")) : json_array(),
	        "client_groups", json_object_get(valid, "client_groups") ? json_incref(json_object_get(valid, "client_groups")) : json_array(),
	        "languages", langs,
	        "communities", comms,
	        "boroughs", json_object_get(valid, "boroughs"),
	        "hours",
	          "always_open", json_is_true(json_object_get(valid, "always_open")),
	          "opening", text.data ? text.data : "",
	          "out_of_hours", json_string_value(json_object_get(valid, "out_of_hours")) ? json_string_value(json_object_get(valid, "out_of_hours")) : "",
	        "how_to_refer",
	          "steps", json_object_get(valid, "steps"),
	          "referrers", json_object_get(valid, "referrers"),
	          "consent_needed", json_is_true(json_object_get(valid, "consent_needed")),
	          "nrm_needed", json_is_true(json_object_get(valid, "nrm_needed")),
	          "contact", json_object_get(valid, "contact"),
	          "response_time", json_string_value(json_object_get(valid, "response_time")) ? json_string_value(json_object_get(valid, "response_time")) : "");
	portal_buf_free(&text);
	return out;
}

int directory_service_validate(const json_t *input, const json_t *communities,
                               const json_t *partial_base, json_t **service, json_t **errors)
{
	json_t *flat = NULL, *valid = NULL, *errs = NULL, *out = NULL, *v, *langs, *comms, *empty;
	directory_hours hours;
	char msg[200];
	size_t i;

	*service = NULL;
	*errors = NULL;
	if (!json_is_object(input)) {
		errs = json_pack("{s:s}", "service", "Send the service as a JSON object");
		goto fail;
	}
	flat = directory_service_flatten(input);
	if (partial_base) {
		json_t *base = directory_service_flatten(partial_base);
		json_object_update_missing(flat, base);
		json_decref(base);
	}
	/* the fields that are right go on to the checks below: every error at once */
	portal_validate(flat, PORTAL_FIELDS(directory_service_fields), &valid, &errs);
	if (valid == NULL)
		goto fail;
	if ((v = json_object_get(valid, "organisation_id")) && !directory_uuid_valid(json_string_value(v)))
		portal_field_error(&errs, "organisation_id", "Choose an organisation: its id is a UUID");
	langs = directory_coded_list(json_object_get(valid, "languages"), "languages", NULL, &errs);
	empty = json_object();
	comms = directory_coded_list(json_object_get(valid, "communities"), "communities",
	                             communities ? communities : empty, &errs);
	json_decref(empty);
	json_array_foreach(json_object_get(valid, "boroughs"), i, v) {
		if (directory_borough_name(json_string_value(v)) == NULL) {
			snprintf(msg, sizeof(msg), "Choose boroughs from the list of London areas or london-wide: \"%.40s\" is not one",
			         json_string_value(v));
			portal_field_error(&errs, "boroughs", msg);
		}
	}
	if (directory_hours_parse(json_string_value(json_object_get(valid, "opening")), &hours, msg, sizeof(msg)) < 0)
		portal_field_error(&errs, "opening", msg);
	if (errs != NULL || json_object_get(valid, "name") == NULL) {
		json_decref(langs);
		json_decref(comms);
		if (errs == NULL)
			portal_field_error(&errs, "service", "Send the service's fields");
		goto fail;
	}
	if ((out = directory_service_record(valid, langs, comms, &hours)) == NULL) {
		portal_field_error(&errs, "service", "The service could not be read: check every field");
		goto fail;
	}
	if ((v = json_object_get(valid, "last_verified")))
		json_object_set(out, "last_verified", v);
	json_decref(valid);
	json_decref(flat);
	json_decref(errs);
	*service = out;
	return 0;
fail:
	json_decref(valid);
	json_decref(flat);
	*errors = errs;
	return -1;
}

/* The rule of a code: lower-case letters, digits and the characters of
 * `extra`.  Returns 0, or -1 with `fix` in msg. */
static int directory_code_rule(const json_t *v, const char *extra, const char *fix, char *msg, size_t msglen)
{
	const char *s = json_string_value(v);

	for (; *s; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= '0' && *s <= '9') && strchr(extra, *s) == NULL)
			break;
	if (*s == '\0')
		return 0;
	snprintf(msg, msglen, "%s", fix);
	return -1;
}

/* An agency id names the NGO's agency in LDAP. */
static int directory_agency_id_check(const json_t *v, char *msg, size_t msglen)
{
	return directory_code_rule(v, "-_", "Give the agency id in lower-case letters, digits and hyphens", msg, msglen);
}

int directory_check_community_code(const json_t *v, char *msg, size_t msglen)
{
	return directory_code_rule(v, "-", "Give the code in lower-case letters, digits and hyphens, like latin-american",
	                           msg, msglen);
}

int directory_check_tag(const json_t *v, char *msg, size_t msglen)
{
	return directory_code_rule(v, "", "Give the tag in lower-case letters and digits", msg, msglen);
}

static const portal_field directory_org_fields[] = {
	{ .name = "name", .type = PORTAL_FIELD_STRING, .required = 1, .min = 1, .max = 120, .label = "Organisation name" },
	{ .name = "description", .type = PORTAL_FIELD_STRING, .required = 1, .min = 1, .max = 2000, .label = "Description" },
	{ .name = "website", .type = PORTAL_FIELD_URL, .max = 300, .label = "Website" },
	{ .name = "email", .type = PORTAL_FIELD_EMAIL, .max = 200, .label = "Email address" },
	{ .name = "phone", .type = PORTAL_FIELD_PHONE, .label = "Phone number" },
	{ .name = "agency_id", .type = PORTAL_FIELD_STRING, .max = 64, .label = "Agency id", .check = directory_agency_id_check },
};
const portal_fields directory_org_input = PORTAL_FIELDS_INIT(directory_org_fields);

int directory_organisation_validate(const json_t *input, const json_t *partial_base,
                                    json_t **org, json_t **errors)
{
	json_t *in = json_is_object(input) ? json_copy((json_t *)input) : json_object();
	int rc;

	*org = NULL;
	if (partial_base)
		json_object_update_missing(in, (json_t *)partial_base);
	if ((rc = portal_validate(in, PORTAL_FIELDS(directory_org_fields), org, errors)) < 0) {
		json_decref(*org);
		*org = NULL;
	}
	json_decref(in);
	return rc;
}
/* ---- search parsing -------------------------------------------------------- */

static const char *const directory_sorts[] = { "relevance", "name", NULL };

static const portal_field directory_query_fields[] = {
	{ .name = "q", .type = PORTAL_FIELD_STRING, .max = 200, .label = "Search words" },
	{ .name = "service_type", .type = PORTAL_FIELD_ENUM_LIST, .choices = directory_choices_service_types, .max_items = DIRECTORY_FACET_VALUES_MAX, .label = "Service type" },
	{ .name = "exploitation", .type = PORTAL_FIELD_ENUM_LIST, .choices = directory_choices_exploitation, .max_items = DIRECTORY_FACET_VALUES_MAX, .label = "Exploitation type" },
	{ .name = "client_group", .type = PORTAL_FIELD_ENUM_LIST, .choices = directory_choices_client_groups, .max_items = DIRECTORY_FACET_VALUES_MAX, .label = "Client group" },
	{ .name = "language", .type = PORTAL_FIELD_STRING_LIST, .min = 2, .max = 3, .max_items = DIRECTORY_FACET_VALUES_MAX, .label = "Language" },
	{ .name = "community", .type = PORTAL_FIELD_STRING_LIST, .min = 1, .max = 40, .max_items = DIRECTORY_FACET_VALUES_MAX, .label = "Community" },
	{ .name = "borough", .type = PORTAL_FIELD_STRING_LIST, .min = 1, .max = 40, .max_items = DIRECTORY_FACET_VALUES_MAX, .label = "Borough" },
	{ .name = "referrer", .type = PORTAL_FIELD_ENUM_LIST, .choices = directory_choices_referrers, .max_items = DIRECTORY_FACET_VALUES_MAX, .label = "Who may refer" },
	{ .name = "open_now", .type = PORTAL_FIELD_BOOL, .label = "Open now" },
	{ .name = "sort", .type = PORTAL_FIELD_ENUM, .choices = directory_sorts, .label = "Sort order" },
	{ .name = "page", .type = PORTAL_FIELD_INT, .min = 1, .max = 100000, .label = "Page" },
	{ .name = "per_page", .type = PORTAL_FIELD_INT, .min = 1, .max = DIRECTORY_PER_PAGE_MAX, .label = "Results per page" },
};
const portal_fields directory_query_input = PORTAL_FIELDS_INIT(directory_query_fields);

struct directory_query_words {
	directory_query *q;
	size_t used;
};

/* Copy a query word into q->text. */
static void directory_query_word(const char *word, size_t len, void *arg)
{
	struct directory_query_words *qw = arg;
	directory_query *q = qw->q;
	size_t i;

	for (i = 0; i < q->nwords; i++)
		if (strcmp(q->words[i], word) == 0)
			return;
	if (q->nwords >= DIRECTORY_QUERY_WORDS_MAX || qw->used + len + 1 > sizeof(q->text))
		return;
	memcpy(q->text + qw->used, word, len + 1);
	q->words[q->nwords++] = q->text + qw->used;
	qw->used += len + 1;
}

void directory_unknown_value(json_t **errors, size_t f, const char *code)
{
	char msg[200];

	snprintf(msg, sizeof(msg), "Choose %s from the list: \"%.40s\" is not one we know",
	         f == DIRECTORY_FACET_LANGUAGE ? "a language (a language tag such as sq or prs)"
	         : f == DIRECTORY_FACET_BOROUGH ? "a London borough or london-wide" : "a community",
	         code);
	portal_field_error(errors, directory_facets[f].param, msg);
}

int directory_query_parse(const json_t *input, const json_t *communities,
                          directory_query *q, json_t **valid, json_t **errors)
{
	json_t *ok = NULL, *errs = NULL, *v;
	struct directory_query_words qw = { q, 0 };
	const char *sort;
	size_t f, i;

	memset(q, 0, sizeof(*q));
	*valid = NULL;
	*errors = NULL;
	/* the facet values that are right are checked below: every error at once */
	if (portal_validate(input, PORTAL_FIELDS(directory_query_fields), &ok, &errs) < 0 && ok == NULL)
		goto fail;
	for (f = 0; f < DIRECTORY_FACET_COUNT; f++) {
		const json_t *given = json_object_get(ok, directory_facets[f].param);
		json_t *one = NULL;
		if (json_is_string(given))
			given = one = json_pack("[O]", given);
		json_array_foreach(given, i, v) {
			const char *code = json_string_value(v);
			if (code == NULL)
				continue;
			int known;
			if (f == DIRECTORY_FACET_LANGUAGE)
				known = portal_language_name(code) != NULL;
			else if (f == DIRECTORY_FACET_BOROUGH)
				known = directory_borough_name(code) != NULL;
			else if (f == DIRECTORY_FACET_COMMUNITY)
				known = communities == NULL || json_object_get(communities, code) != NULL;
			else
				known = 1;
			if (!known) {
				directory_unknown_value(&errs, f, code);
				continue;
			}
			if (q->nvalues[f] < DIRECTORY_FACET_VALUES_MAX)
				q->values[f][q->nvalues[f]++] = code;
		}
		json_decref(one);
	}
	if (errs != NULL)
		goto fail;
	directory_tokenise(json_string_value(json_object_get(ok, "q")), DIRECTORY_QUERY_WORDS_MAX * 4,
	                   directory_query_word, &qw);
	q->open_now = json_is_true(json_object_get(ok, "open_now"));
	sort = json_string_value(json_object_get(ok, "sort"));
	q->sort_name = (sort && strcmp(sort, "name") == 0) || q->nwords == 0;
	q->page = json_object_get(ok, "page") ? json_integer_value(json_object_get(ok, "page")) : 1;
	q->per_page = json_object_get(ok, "per_page") ? json_integer_value(json_object_get(ok, "per_page")) : 20;
	*valid = ok;
	return 0;
fail:
	json_decref(ok);
	*errors = errs;
	return -1;
}

/* Fill the stored fields a new service gets: id, updated_at, last_verified
 * (see directory.h). */
void directory_service_stamp(json_t *svc, const char *id, time_t now, const char *verified)
{
	char ts[32], day[16];
	struct tm lt;

	portal_time_format(now, ts, sizeof(ts));
	json_object_set_new(svc, "id", json_string(id));
	json_object_set_new(svc, "updated_at", json_string(ts));
	if (verified)
		json_object_set_new(svc, "last_verified", json_string(verified));
	else if (json_object_get(svc, "last_verified") == NULL) {
		localtime_r(&now, &lt);
		strftime(day, sizeof(day), "%Y-%m-%d", &lt);
		json_object_set_new(svc, "last_verified", json_string(day));
	}
}
