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
	{ "organisation_id", PORTAL_FIELD_STRING, 1, 36, 36, NULL, 0, "Organisation" },
	{ "name", PORTAL_FIELD_STRING, 1, 1, 120, NULL, 0, "Service name" },
	{ "description", PORTAL_FIELD_STRING, 1, 1, 2000, NULL, 0, "Description" },
	{ "service_types", PORTAL_FIELD_ENUM_LIST, 1, 0, 0, directory_choices_service_types, 0, "Service type" },
	{ "exploitation_types", PORTAL_FIELD_ENUM_LIST, 0, 0, 0, directory_choices_exploitation, 0, "Exploitation type" },
	{ "client_groups", PORTAL_FIELD_ENUM_LIST, 0, 0, 0, directory_choices_client_groups, 0, "Client group" },
	{ "languages", PORTAL_FIELD_STRING_LIST, 0, 2, 2, NULL, 40, "Languages" },
	{ "communities", PORTAL_FIELD_STRING_LIST, 0, 1, 40, NULL, 20, "Communities" },
	{ "boroughs", PORTAL_FIELD_STRING_LIST, 1, 1, 40, NULL, 34, "Boroughs served" },
	{ "always_open", PORTAL_FIELD_BOOL, 0, 0, 0, NULL, 0, "Open 24 hours" },
	{ "opening", PORTAL_FIELD_STRING, 0, 0, 300, NULL, 0, "Opening times" },
	{ "out_of_hours", PORTAL_FIELD_STRING, 0, 0, 300, NULL, 0, "Out-of-hours cover" },
	{ "steps", PORTAL_FIELD_STRING_LIST, 1, 1, 500, NULL, 10, "How to refer: steps" },
	{ "referrers", PORTAL_FIELD_ENUM_LIST, 1, 0, 0, directory_choices_referrers, 0, "Who may refer" },
	{ "consent_needed", PORTAL_FIELD_BOOL, 0, 0, 0, NULL, 0, "Consent needed" },
	{ "nrm_needed", PORTAL_FIELD_BOOL, 0, 0, 0, NULL, 0, "NRM referral needed" },
	{ "contact", PORTAL_FIELD_STRING, 1, 1, 300, NULL, 0, "Referral contact" },
	{ "response_time", PORTAL_FIELD_STRING, 0, 0, 120, NULL, 0, "Typical response time" },
	{ "last_verified", PORTAL_FIELD_DATE, 0, 0, 0, NULL, 0, "Last verified" },
};
#define DIRECTORY_NSERVICE_FIELDS (sizeof(directory_service_fields) / sizeof(directory_service_fields[0]))

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
/* Set errors[field] = msg unless already set. */
static void directory_error(json_t *errors, const char *field, const char *msg)
{
	if (json_object_get(errors, field) == NULL)
		json_object_set_new(errors, field, json_string(msg));
}

/* A {"code","name"} list from a validated list of codes, checking each
 * with lookup (language names) or against `names` (object code -> name).
 * Adds an error for `field` on an unknown code. */
static json_t *directory_coded_list(const json_t *codes, const char *field, const json_t *names,
                                    json_t *errors)
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
				snprintf(msg, sizeof(msg), "Give languages as ISO 639-1 codes such as sq or ro: \"%.40s\" is not one", code);
			directory_error(errors, field, msg);
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
	directory_hours_text(hours, &text);
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
	if (portal_validate(flat, directory_service_fields, DIRECTORY_NSERVICE_FIELDS, &valid, &errs) < 0)
		valid = NULL;
	else
		errs = json_object();
	if (valid == NULL) {
		/* go on checking the coded lists as given: every error at once */
		static const char *const lists[] = { "languages", "communities", "boroughs" };
		valid = json_object();
		for (i = 0; i < 3; i++) {
			json_t *given = json_object_get(flat, lists[i]), *item, *copy = json_array();
			size_t k;
			json_array_foreach(given, k, item)
				if (json_is_string(item))
					json_array_append(copy, item);
			json_object_set_new(valid, lists[i], copy);
		}
	}
	if ((v = json_object_get(valid, "organisation_id")) && !directory_uuid_valid(json_string_value(v)))
		directory_error(errs, "organisation_id", "Choose an organisation: its id is a UUID");
	langs = directory_coded_list(json_object_get(valid, "languages"), "languages", NULL, errs);
	empty = json_object();
	comms = directory_coded_list(json_object_get(valid, "communities"), "communities",
	                             communities ? communities : empty, errs);
	json_decref(empty);
	json_array_foreach(json_object_get(valid, "boroughs"), i, v) {
		if (directory_borough_name(json_string_value(v)) == NULL) {
			snprintf(msg, sizeof(msg), "Choose boroughs from the list of London areas or london-wide: \"%.40s\" is not one",
			         json_string_value(v));
			directory_error(errs, "boroughs", msg);
		}
	}
	if (directory_hours_parse(json_string_value(json_object_get(valid, "opening")), &hours, msg, sizeof(msg)) < 0)
		directory_error(errs, "opening", msg);
	if (json_object_size(errs) || json_object_get(valid, "name") == NULL) {
		json_decref(langs);
		json_decref(comms);
		if (json_object_size(errs) == 0)
			directory_error(errs, "service", "Send the service's fields");
		goto fail;
	}
	out = directory_service_record(valid, langs, comms, &hours);
	if (out == NULL) {
		/* errs is the (empty) object made above: add to it, never replace it */
		directory_error(errs, "service", "The service could not be read: check every field");
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

static const portal_field directory_org_fields[] = {
	{ "name", PORTAL_FIELD_STRING, 1, 1, 120, NULL, 0, "Organisation name" },
	{ "description", PORTAL_FIELD_STRING, 1, 1, 2000, NULL, 0, "Description" },
	{ "website", PORTAL_FIELD_STRING, 0, 0, 300, NULL, 0, "Website" },
	{ "email", PORTAL_FIELD_STRING, 0, 0, 200, NULL, 0, "Email address" },
	{ "phone", PORTAL_FIELD_STRING, 0, 0, 40, NULL, 0, "Phone number" },
	{ "agency_id", PORTAL_FIELD_STRING, 0, 0, 64, NULL, 0, "Agency id" },
};

int directory_organisation_validate(const json_t *input, const json_t *partial_base,
                                    json_t **org, json_t **errors)
{
	json_t *in = json_is_object(input) ? json_copy((json_t *)input) : json_object();
	json_t *valid = NULL, *errs = NULL;
	const char *s;

	*org = NULL;
	*errors = NULL;
	if (partial_base)
		json_object_update_missing(in, (json_t *)partial_base);
	if (portal_validate(in, directory_org_fields, sizeof(directory_org_fields) / sizeof(directory_org_fields[0]),
	                    &valid, &errs) < 0)
		goto fail;
	errs = json_object();
	s = json_string_value(json_object_get(valid, "website"));
	if (s && *s && strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		directory_error(errs, "website", "Enter the website's full address, starting https://");
	if (s && strpbrk(s, " <>\"'"))
		directory_error(errs, "website", "Enter a website address without spaces or quotes");
	s = json_string_value(json_object_get(valid, "email"));
	if (s && *s && (strchr(s, '@') == NULL || strchr(s, '@') == s || strchr(strchr(s, '@'), '.') == NULL ||
	                strpbrk(s, " <>\"'(),;:")))
		directory_error(errs, "email", "Enter an email address like name@example.org");
	s = json_string_value(json_object_get(valid, "phone"));
	if (s && strspn(s, "0123456789 +()") != strlen(s))
		directory_error(errs, "phone", "Enter a phone number using digits and spaces, like 020 7946 0123");
	s = json_string_value(json_object_get(valid, "agency_id"));
	if (s && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(s))
		directory_error(errs, "agency_id", "Give the agency id in lower-case letters, digits and hyphens");
	if (json_object_size(errs))
		goto fail;
	json_decref(errs);
	json_decref(in);
	*org = valid;
	return 0;
fail:
	json_decref(valid);
	json_decref(in);
	*errors = errs;
	return -1;
}
/* ---- search parsing -------------------------------------------------------- */

static const char *const directory_sorts[] = { "relevance", "name", NULL };

static const portal_field directory_query_fields[] = {
	{ "q", PORTAL_FIELD_STRING, 0, 0, 200, NULL, 0, "Search words" },
	{ "service_type", PORTAL_FIELD_ENUM_LIST, 0, 0, 0, directory_choices_service_types, DIRECTORY_FACET_VALUES_MAX, "Service type" },
	{ "exploitation", PORTAL_FIELD_ENUM_LIST, 0, 0, 0, directory_choices_exploitation, DIRECTORY_FACET_VALUES_MAX, "Exploitation type" },
	{ "client_group", PORTAL_FIELD_ENUM_LIST, 0, 0, 0, directory_choices_client_groups, DIRECTORY_FACET_VALUES_MAX, "Client group" },
	{ "language", PORTAL_FIELD_STRING_LIST, 0, 2, 2, NULL, DIRECTORY_FACET_VALUES_MAX, "Language" },
	{ "community", PORTAL_FIELD_STRING_LIST, 0, 1, 40, NULL, DIRECTORY_FACET_VALUES_MAX, "Community" },
	{ "borough", PORTAL_FIELD_STRING_LIST, 0, 1, 40, NULL, DIRECTORY_FACET_VALUES_MAX, "Borough" },
	{ "referrer", PORTAL_FIELD_ENUM_LIST, 0, 0, 0, directory_choices_referrers, DIRECTORY_FACET_VALUES_MAX, "Who may refer" },
	{ "open_now", PORTAL_FIELD_BOOL, 0, 0, 0, NULL, 0, "Open now" },
	{ "sort", PORTAL_FIELD_ENUM, 0, 0, 0, directory_sorts, 0, "Sort order" },
	{ "page", PORTAL_FIELD_INT, 0, 1, 100000, NULL, 0, "Page" },
	{ "per_page", PORTAL_FIELD_INT, 0, 1, DIRECTORY_PER_PAGE_MAX, NULL, 0, "Results per page" },
};

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

int directory_query_parse(const json_t *input, const json_t *communities,
                          directory_query *q, json_t **valid, json_t **errors)
{
	json_t *ok = NULL, *errs = NULL, *v;
	struct directory_query_words qw = { q, 0 };
	const char *sort;
	char msg[200];
	size_t f, i;

	memset(q, 0, sizeof(*q));
	*valid = NULL;
	*errors = NULL;
	if (portal_validate(input, directory_query_fields, sizeof(directory_query_fields) / sizeof(directory_query_fields[0]),
	                    &ok, &errs) < 0)
		ok = NULL;  /* still check the facet values below: every error at once */
	else
		errs = json_object();
	for (f = 0; f < DIRECTORY_FACET_COUNT; f++) {
		const json_t *given = ok ? json_object_get(ok, directory_facets[f].param)
		                         : json_object_get(input, directory_facets[f].param);
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
				known = json_object_get(communities, code) != NULL;
			else
				known = 1;
			if (!known) {
				snprintf(msg, sizeof(msg), "Choose %s from the list: \"%.40s\" is not one we know",
				         f == DIRECTORY_FACET_LANGUAGE ? "a language (ISO 639-1 code such as sq)"
				         : f == DIRECTORY_FACET_BOROUGH ? "a London borough or london-wide" : "a community",
				         code);
				directory_error(errs, directory_facets[f].param, msg);
				continue;
			}
			if (ok && q->nvalues[f] < DIRECTORY_FACET_VALUES_MAX)
				q->values[f][q->nvalues[f]++] = code;
		}
		json_decref(one);
	}
	if (ok == NULL || json_object_size(errs))
		goto fail;
	json_decref(errs);
	errs = NULL;
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
