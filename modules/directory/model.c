/* model.c - services and organisations: validation, index entries, search
 * parsing, opening hours, Open Referral views (see model.h). */
#include "model.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "reference.h"
#include "validate.h"

const directory_code directory_service_types[] = {
	{ "advocacy", "Advocacy (IMSA)" },
	{ "legal_advice", "Legal advice" },
	{ "safe_accommodation", "Safe accommodation" },
	{ "mental_health", "Mental health and therapy" },
	{ "interpreting", "Interpreting" },
	{ "outreach", "Outreach" },
	{ "helpline", "Helpline" },
	{ "childrens_support", "Children's support" },
	{ "return_home_interviews", "Return home interviews" },
	{ "employment_training", "Employment and training" },
	{ "other", "Other" },
	{ NULL, NULL },
};

const directory_code directory_exploitation_types[] = {
	{ "sexual", "Sexual exploitation" },
	{ "labour", "Labour exploitation" },
	{ "criminal", "Criminal exploitation (including county lines)" },
	{ "domestic_servitude", "Domestic servitude" },
	{ "organ_harvesting", "Organ harvesting" },
	{ "financial", "Financial exploitation" },
	{ NULL, NULL },
};

const directory_code directory_client_groups[] = {
	{ "children", "Children" },
	{ "young_people", "Young people (18 to 25)" },
	{ "adults", "Adults" },
	{ "women", "Women" },
	{ "men", "Men" },
	{ "trans_non_binary", "Trans and non-binary people" },
	{ NULL, NULL },
};

const directory_code directory_referrers[] = {
	{ "police", "Police" },
	{ "first_responder", "Any First Responder" },
	{ "self", "Self-referral" },
	{ NULL, NULL },
};

const directory_code directory_days[] = {
	{ "mon", "Monday" }, { "tue", "Tuesday" }, { "wed", "Wednesday" },
	{ "thu", "Thursday" }, { "fri", "Friday" }, { "sat", "Saturday" },
	{ "sun", "Sunday" }, { NULL, NULL },
};

const directory_facet directory_facets[DIRECTORY_FACET_COUNT] = {
	{ "service_type", "service_types", directory_service_types, "Service type" },
	{ "exploitation", "exploitation_types", directory_exploitation_types, "Exploitation type" },
	{ "client_group", "client_groups", directory_client_groups, "Client group" },
	{ "language", "languages", NULL, "Language" },
	{ "community", "communities", NULL, "Community" },
	{ "borough", "boroughs", NULL, "Borough" },
	{ "referrer", "referrers", directory_referrers, "Who may refer" },
};

static const char *const directory_stopwords[] = {
	"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is",
	"it", "of", "on", "or", "the", "to", "we", "with", "who", "our", "their",
	"this", "that", NULL,
};

const char *directory_code_name(const directory_code *list, const char *code)
{
	size_t i;

	if (code == NULL)
		return NULL;
	for (i = 0; list[i].code; i++)
		if (strcmp(list[i].code, code) == 0)
			return list[i].name;
	return NULL;
}

const char *directory_borough_name(const char *slug)
{
	if (slug && strcmp(slug, "london-wide") == 0)
		return "London-wide";
	return portal_london_area_name(slug);
}

int directory_uuid_valid(const char *s)
{
	static const int dash[] = { 8, 13, 18, 23 };
	size_t i, d = 0;

	if (s == NULL || strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (d < 4 && (int)i == dash[d]) {
			if (s[i] != '-')
				return 0;
			d++;
		} else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	}
	return 1;
}

/* Format 16 bytes as a version 4 UUID into out (37 bytes). */
static void directory_uuid_format(unsigned char b[16], char out[37])
{
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
	         b[12], b[13], b[14], b[15]);
}

int directory_uuid_new(char out[37])
{
	unsigned char b[16];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return -1;
	directory_uuid_format(b, out);
	return 0;
}

/* A stable UUID from text (two FNV-1a 64 hashes): the same text always
 * gives the same id, so exported sub-records keep their ids. */
static void directory_uuid_from(const char *a, const char *b, const char *c, char out[37])
{
	const char *parts[3] = { a, b, c };
	uint64_t h1 = 1469598103934665603ULL, h2 = 1099511628211ULL * 7919;
	unsigned char bytes[16];
	size_t i, j;

	for (i = 0; i < 3; i++) {
		for (j = 0; parts[i] && parts[i][j]; j++) {
			h1 = (h1 ^ (unsigned char)parts[i][j]) * 1099511628211ULL;
			h2 = (h2 ^ (unsigned char)parts[i][j]) * 1099511628211ULL + 0x9e3779b97f4a7c15ULL;
		}
		h1 = (h1 ^ 0xff) * 1099511628211ULL;
		h2 = (h2 ^ 0xfe) * 1099511628211ULL;
	}
	for (i = 0; i < 8; i++) {
		bytes[i] = (unsigned char)(h1 >> (8 * i));
		bytes[8 + i] = (unsigned char)(h2 >> (8 * i));
	}
	directory_uuid_format(bytes, out);
}

void directory_taxonomy_id(const char *param, char out[37])
{
	directory_uuid_from("taxonomy", param, NULL, out);
}

void directory_term_id(const char *param, const char *code, char out[37])
{
	directory_uuid_from("term", param, code, out);
}

/* ---- opening hours -------------------------------------------------------- */

/* Day index of "mon".."sun" at s (3 letters), or -1. */
static int directory_day_index(const char *s)
{
	int i;

	for (i = 0; i < 7; i++)
		if (strncmp(s, directory_days[i].code, 3) == 0)
			return i;
	return -1;
}

/* Parse "HH:MM" (MM 00 or 30, up to 24:00) into a slot number 0..48. */
static int directory_time_slot(const char *s, size_t len)
{
	int h, m;

	if (len != 5 || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    s[2] != ':' || !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if ((m != 0 && m != 30) || h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 2 + m / 30;
}

int directory_hours_parse(const char *text, directory_hours *h, char *err, size_t errlen)
{
	const char *p = text, *end;
	int item = 0;

	memset(h, 0, sizeof(*h));
	if (text == NULL)
		return 0;
	while (*p) {
		unsigned days = 0;
		int open, close, d, s;
		const char *sp, *dash;

		while (*p == ' ' || *p == ';')
			p++;
		if (*p == '\0')
			break;
		if (++item > 14)
			goto too_many;
		end = strchr(p, ';');
		if (end == NULL)
			end = p + strlen(p);
		/* days */
		for (;;) {
			int d1, d2;
			if ((size_t)(end - p) < 3 || (d1 = directory_day_index(p)) < 0)
				goto bad_days;
			p += 3;
			d2 = d1;
			if (*p == '-') {
				if ((size_t)(end - p) < 4 || (d2 = directory_day_index(p + 1)) < 0 || d2 < d1)
					goto bad_days;
				p += 4;
			}
			for (d = d1; d <= d2; d++)
				days |= 1u << d;
			if (*p != ',')
				break;
			p++;
		}
		if (*p != ' ')
			goto bad_days;
		while (*p == ' ')
			p++;
		sp = p;
		while (sp < end && *sp != ' ')
			sp++;
		dash = memchr(p, '-', (size_t)(sp - p));
		if (dash == NULL || (open = directory_time_slot(p, (size_t)(dash - p))) < 0 ||
		    (close = directory_time_slot(dash + 1, (size_t)(sp - dash - 1))) < 0 ||
		    open >= close)
			goto bad_times;
		while (sp < end && *sp == ' ')
			sp++;
		if (sp != end)
			goto bad_times;
		for (d = 0; d < 7; d++)
			if (days & (1u << d))
				for (s = open; s < close; s++)
					h->week[d] |= 1ULL << s;
		p = end;
	}
	return 0;
bad_days:
	snprintf(err, errlen, "Start each opening time with days such as mon-fri or sat,sun, then a space (item %d)", item);
	return -1;
bad_times:
	snprintf(err, errlen, "Give each opening time as HH:MM-HH:MM on the hour or half hour, closing after opening, such as 09:00-17:30 (item %d)", item);
	return -1;
too_many:
	snprintf(err, errlen, "Give at most 14 opening times, separated by semicolons");
	return -1;
}

int directory_hours_open_at(const directory_hours *h, int always_open, int dow, int minute)
{
	if (always_open)
		return 1;
	if (dow < 0 || dow > 6 || minute < 0 || minute >= 24 * 60)
		return 0;
	return (h->week[dow] >> (minute / 30)) & 1;
}

/* ---- words --------------------------------------------------------------- */

size_t directory_tokenise(const char *text, size_t max,
                          void (*fn)(const char *word, size_t len, void *arg), void *arg)
{
	char word[DIRECTORY_WORD_MAX + 1];
	size_t n = 0, len = 0, i;
	const unsigned char *p = (const unsigned char *)text;

	if (text == NULL)
		return 0;
	for (;; p++) {
		int c = *p;
		int part = (c >= 0x80) || isalnum(c);
		if (part) {
			if (len < DIRECTORY_WORD_MAX)
				word[len] = (char)(c < 0x80 ? tolower(c) : c);
			len++;
			continue;
		}
		if (len >= 2 && len <= DIRECTORY_WORD_MAX) {
			int stop = 0;
			word[len] = '\0';
			for (i = 0; directory_stopwords[i]; i++)
				if (strcmp(word, directory_stopwords[i]) == 0)
					stop = 1;
			if (!stop) {
				if (n >= max)
					return n;
				fn(word, len, arg);
				n++;
			}
		}
		len = 0;
		if (c == 0)
			break;
	}
	return n;
}

double directory_name_score(const char *name)
{
	double score = 0;
	int n = 0;

	for (; name && *name && n < 10; name++) {
		int c = tolower((unsigned char)*name), v;
		if (c >= 'a' && c <= 'z')
			v = 11 + (c - 'a');
		else if (c >= '0' && c <= '9')
			v = 1 + (c - '0');
		else
			continue;
		score = score * 37 + v;
		n++;
	}
	for (; n < 10; n++)
		score *= 37;
	return score;
}

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
static void directory_copy(json_t *dst, const char *to, const json_t *src, const char *from)
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

/* Render the canonical text of parsed opening hours: one item per distinct
 * (open, close) run shared by the same days, e.g. "mon-fri 09:00-17:00;
 * sat 10:00-13:00".  Items are ordered by first day then time. */
static void directory_hours_text(const directory_hours *h, portal_buf *out)
{
	/* collect runs per day */
	struct run { int open, close; unsigned days; } runs[7 * 24];
	size_t nruns = 0, i, k;
	int d, s, first = 1;

	for (d = 0; d < 7; d++) {
		s = 0;
		while (s < DIRECTORY_HOUR_SLOTS) {
			int start;
			if (!((h->week[d] >> s) & 1)) {
				s++;
				continue;
			}
			start = s;
			while (s < DIRECTORY_HOUR_SLOTS && ((h->week[d] >> s) & 1))
				s++;
			for (i = 0; i < nruns; i++)
				if (runs[i].open == start && runs[i].close == s)
					break;
			if (i == nruns && nruns < sizeof(runs) / sizeof(runs[0])) {
				runs[nruns].open = start;
				runs[nruns].close = s;
				runs[nruns].days = 0;
				nruns++;
			}
			if (i < nruns)
				runs[i].days |= 1u << d;
		}
	}
	for (i = 0; i < nruns; i++) {
		int dd = 0;
		if (!first)
			portal_buf_puts(out, "; ");
		first = 0;
		k = 0;
		while (dd < 7) {
			int e;
			if (!(runs[i].days & (1u << dd))) {
				dd++;
				continue;
			}
			e = dd;
			while (e + 1 < 7 && (runs[i].days & (1u << (e + 1))))
				e++;
			if (k++)
				portal_buf_putc(out, ',');
			portal_buf_puts(out, directory_days[dd].code);
			if (e >= dd + 2) {
				portal_buf_printf(out, "-%s", directory_days[e].code);
			} else if (e == dd + 1) {
				portal_buf_printf(out, ",%s", directory_days[e].code);
			}
			dd = e + 1;
		}
		portal_buf_printf(out, " %02d:%02d-%02d:%02d", runs[i].open / 2, (runs[i].open % 2) * 30,
		                  runs[i].close / 2, (runs[i].close % 2) * 30);
	}
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

int directory_service_validate(const json_t *input, const json_t *communities,
                               const json_t *partial_base, json_t **service, json_t **errors)
{
	json_t *flat = NULL, *valid = NULL, *errs = NULL, *out = NULL, *v, *langs, *comms, *empty;
	directory_hours hours;
	portal_buf text;
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
	portal_buf_init(&text, 4096);
	directory_hours_text(&hours, &text);
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
	if (out == NULL) {
		errs = json_object();
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

/* ---- index entries --------------------------------------------------------- */

struct directory_words {
	json_t *seen;   /* word -> score */
	int     score;
};

/* Record a word with the larger of its scores. */
static void directory_word_add(const char *word, size_t len, void *arg)
{
	struct directory_words *w = arg;
	json_t *old = json_object_getn(w->seen, word, len);

	if (old == NULL || json_integer_value(old) < w->score)
		json_object_setn_new(w->seen, word, len, json_integer(w->score));
}

int directory_service_index(const json_t *service, portal_buf *facets, portal_buf *index)
{
	const json_t *hours = json_object_get(service, "hours");
	struct directory_words w;
	directory_hours h;
	char err[200];
	const char *word;
	json_t *item, *score;
	size_t f, i;
	int d, s;

	for (f = 0; f < DIRECTORY_FACET_COUNT; f++) {
		const json_t *list = f == DIRECTORY_FACET_REFERRER
		        ? json_object_get(json_object_get(service, "how_to_refer"), "referrers")
		        : json_object_get(service, directory_facets[f].field);
		json_array_foreach(list, i, item) {
			const char *code = json_is_object(item) ? json_string_value(json_object_get(item, "code"))
			                                        : json_string_value(item);
			if (code == NULL)
				continue;
			portal_buf_printf(facets, "%s%s:%s", facets->len ? " " : "", directory_facets[f].param, code);
			portal_buf_printf(index, "%sf:%s:%s", index->len ? " " : "", directory_facets[f].param, code);
		}
	}
	if ((word = json_string_value(json_object_get(json_object_get(service, "organisation"), "id"))))
		portal_buf_printf(index, "%sf:org:%s", index->len ? " " : "", word);
	if (directory_hours_parse(json_string_value(json_object_get(hours, "opening")), &h, err, sizeof(err)) < 0)
		memset(&h, 0, sizeof(h));
	for (d = 0; d < 7; d++)
		for (s = 0; s < DIRECTORY_HOUR_SLOTS; s++)
			if (json_is_true(json_object_get(hours, "always_open")) || ((h.week[d] >> s) & 1))
				portal_buf_printf(index, "%so:%d:%d", index->len ? " " : "", d, s);
	w.seen = json_object();
	w.score = 1;
	directory_tokenise(json_string_value(json_object_get(service, "description")), 400, directory_word_add, &w);
	w.score = 3;
	directory_tokenise(json_string_value(json_object_get(service, "name")), 40, directory_word_add, &w);
	json_object_foreach(w.seen, word, score)
		portal_buf_printf(index, "%sw:%s=%lld", index->len ? " " : "", word, (long long)json_integer_value(score));
	json_decref(w.seen);
	return facets->overflow || index->overflow ? -1 : 0;
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

/* ---- Open Referral --------------------------------------------------------- */

static const char *const directory_byday[] = { "MO", "TU", "WE", "TH", "FR", "SA", "SU" };

/* An HSDS attribute linking `service_id` to term (param, code). */
static json_t *directory_hsds_attribute(const char *service_id, const char *param,
                                        const char *code, const char *name, const char *value)
{
	char id[37], term[37], tax[37];
	json_t *a;

	directory_uuid_from("attribute", service_id, param, id);
	directory_uuid_from(id, code, value, id);
	directory_term_id(param, code, term);
	directory_taxonomy_id(param, tax);
	a = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s}}",
	              "id", id, "link_id", service_id, "link_type", param, "link_entity", "service",
	              "taxonomy_term_id", term,
	              "taxonomy_term", "id", term, "code", code, "name", name ? name : code,
	              "description", name ? name : code, "taxonomy", param, "taxonomy_id", tax);
	if (value && *value)
		json_object_set_new(a, "value", json_string(value));
	return a;
}

json_t *directory_hsds_service(const json_t *service, const json_t *org)
{
	const char *sid = json_string_value(json_object_get(service, "id"));
	const json_t *refer = json_object_get(service, "how_to_refer"), *hours = json_object_get(service, "hours");
	json_t *out, *attrs = json_array(), *langs = json_array(), *areas = json_array(), *scheds = json_array(), *item;
	portal_buf steps;
	directory_hours h;
	char id[37], err[200];
	size_t f, i;
	const char *s;

	if (sid == NULL)
		sid = "";
	out = json_pack("{s:s, s:O, s:O, s:O, s:s}", "id", sid,
	                "organization_id", json_object_get(json_object_get(service, "organisation"), "id"),
	                "name", json_object_get(service, "name"),
	                "description", json_object_get(service, "description"), "status", "active");
	if (out == NULL) {
		json_decref(attrs); json_decref(langs); json_decref(areas); json_decref(scheds);
		return NULL;
	}
	portal_buf_init(&steps, 0);
	json_array_foreach(json_object_get(refer, "steps"), i, item)
		portal_buf_printf(&steps, "%s%s", i ? "\n" : "", json_string_value(item));
	if (steps.data)
		json_object_set_new(out, "application_process", json_string(steps.data));
	portal_buf_free(&steps);
	if ((s = json_string_value(json_object_get(refer, "response_time"))) && *s)
		json_object_set_new(out, "wait_time", json_string(s));
	if ((s = json_string_value(json_object_get(service, "last_verified"))))
		json_object_set_new(out, "assured_date", json_string(s));
	if ((s = json_string_value(json_object_get(service, "updated_at"))))
		json_object_set_new(out, "last_modified", json_string(s));
	for (f = 0; f < DIRECTORY_FACET_COUNT; f++) {
		const json_t *list = f == DIRECTORY_FACET_REFERRER ? json_object_get(refer, "referrers")
		                                                   : json_object_get(service, directory_facets[f].field);
		json_array_foreach(list, i, item) {
			const char *code = json_is_object(item) ? json_string_value(json_object_get(item, "code")) : json_string_value(item);
			const char *name = json_is_object(item) ? json_string_value(json_object_get(item, "name"))
			                 : directory_facets[f].values ? directory_code_name(directory_facets[f].values, code)
			                 : f == DIRECTORY_FACET_BOROUGH ? directory_borough_name(code) : code;
			if (code == NULL)
				continue;
			json_array_append_new(attrs, directory_hsds_attribute(sid, directory_facets[f].param, code, name, NULL));
			if (f == DIRECTORY_FACET_LANGUAGE) {
				directory_uuid_from("language", sid, code, id);
				json_array_append_new(langs, json_pack("{s:s, s:s, s:s, s:s}", "id", id, "service_id", sid,
				                                       "name", name ? name : code, "code", code));
			} else if (f == DIRECTORY_FACET_BOROUGH) {
				directory_uuid_from("service_area", sid, code, id);
				json_array_append_new(areas, json_pack("{s:s, s:s, s:s, s:s}", "id", id, "service_id", sid,
				                                       "name", name ? name : code, "extent_type", "local_authority"));
			}
		}
	}
	if (json_is_true(json_object_get(refer, "consent_needed")))
		json_array_append_new(attrs, directory_hsds_attribute(sid, "referral_requirement", "consent_needed",
		                      "The person's consent is needed", NULL));
	if (json_is_true(json_object_get(refer, "nrm_needed")))
		json_array_append_new(attrs, directory_hsds_attribute(sid, "referral_requirement", "nrm_needed",
		                      "An NRM referral is needed", NULL));
	if ((s = json_string_value(json_object_get(refer, "contact"))) && *s)
		json_array_append_new(attrs, directory_hsds_attribute(sid, "referral", "contact", "Referral contact", s));
	if ((s = json_string_value(json_object_get(hours, "out_of_hours"))) && *s)
		json_array_append_new(attrs, directory_hsds_attribute(sid, "hours", "out_of_hours", "Out-of-hours cover", s));
	if (json_is_true(json_object_get(hours, "always_open")))
		json_array_append_new(attrs, directory_hsds_attribute(sid, "hours", "always_open", "Open 24 hours", NULL));
	/* one weekly schedule per opening-time item */
	if (directory_hours_parse(json_string_value(json_object_get(hours, "opening")), &h, err, sizeof(err)) == 0) {
		const char *p = json_string_value(json_object_get(hours, "opening"));
		char itembuf[120];
		size_t n = 0;
		while (p && *p) {
			const char *semi = strchr(p, ';');
			size_t len = semi ? (size_t)(semi - p) : strlen(p);
			directory_hours one;
			portal_buf days;
			int d, first = -1, last = -1;
			while (len && *p == ' ')
				p++, len--;
			if (len >= sizeof(itembuf))
				len = sizeof(itembuf) - 1;
			memcpy(itembuf, p, len);
			itembuf[len] = '\0';
			if (len && directory_hours_parse(itembuf, &one, err, sizeof(err)) == 0) {
				portal_buf_init(&days, 64);
				for (d = 0; d < 7; d++)
					if (one.week[d]) {
						portal_buf_printf(&days, "%s%s", days.len ? "," : "", directory_byday[d]);
						if (first < 0)
							first = d;
						last = d;
					}
				if (first >= 0) {
					int s0 = __builtin_ctzll(one.week[first]);
					int s1 = 64 - __builtin_clzll(one.week[first]);
					char opens[6], closes[6], sn[8];
					snprintf(opens, sizeof(opens), "%02d:%02d", s0 / 2, (s0 % 2) * 30);
					snprintf(closes, sizeof(closes), "%02d:%02d", s1 / 2, (s1 % 2) * 30);
					snprintf(sn, sizeof(sn), "%zu", n++);
					directory_uuid_from("schedule", sid, sn, id);
					json_array_append_new(scheds, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
					        "id", id, "service_id", sid, "freq", "WEEKLY", "byday", days.data,
					        "opens_at", opens, "closes_at", closes, "description", itembuf));
				}
				(void)last;
				portal_buf_free(&days);
			}
			p = semi ? semi + 1 : p + strlen(p);
		}
	}
	json_object_set_new(out, "languages", langs);
	json_object_set_new(out, "service_areas", areas);
	json_object_set_new(out, "schedules", scheds);
	json_object_set_new(out, "attributes", attrs);
	if (org)
		json_object_set_new(out, "organization", directory_hsds_organisation(org, NULL));
	return out;
}

json_t *directory_hsds_organisation(const json_t *org, const json_t *services)
{
	json_t *out = json_pack("{s:O, s:O, s:O}", "id", json_object_get(org, "id"),
	                        "name", json_object_get(org, "name"),
	                        "description", json_object_get(org, "description"));
	const char *s;
	char id[37];

	if (out == NULL)
		return NULL;
	if ((s = json_string_value(json_object_get(org, "email"))) && *s)
		json_object_set_new(out, "email", json_string(s));
	if ((s = json_string_value(json_object_get(org, "website"))) && *s)
		json_object_set_new(out, "website", json_string(s));
	if ((s = json_string_value(json_object_get(org, "phone"))) && *s) {
		const char *oid = json_string_value(json_object_get(org, "id"));
		directory_uuid_from("phone", oid, s, id);
		json_object_set_new(out, "phones", json_pack("[{s:s, s:s, s:s}]", "id", id,
		                    "organization_id", oid ? oid : "", "number", s));
	}
	if (services)
		json_object_set(out, "services", (json_t *)services);
	return out;
}

json_t *directory_hsds_service_input(const json_t *hsds, char *err, size_t errlen)
{
	json_t *in, *refer, *hours, *item, *lists[DIRECTORY_FACET_COUNT];
	portal_buf opening;
	const char *s;
	size_t i, f;

	if (!json_is_object(hsds)) {
		snprintf(err, errlen, "each service must be a JSON object");
		return NULL;
	}
	in = json_object();
	refer = json_object();
	hours = json_object();
	for (f = 0; f < DIRECTORY_FACET_COUNT; f++)
		lists[f] = json_array();
	directory_copy(in, "id", hsds, "id");
	directory_copy(in, "organisation_id", hsds, "organization_id");
	directory_copy(in, "name", hsds, "name");
	directory_copy(in, "description", hsds, "description");
	directory_copy(in, "last_verified", hsds, "assured_date");
	directory_copy(in, "updated_at", hsds, "last_modified");
	directory_copy(refer, "response_time", hsds, "wait_time");
	if ((s = json_string_value(json_object_get(hsds, "application_process")))) {
		json_t *steps = json_array();
		while (*s) {
			const char *nl = strchr(s, '\n');
			size_t len = nl ? (size_t)(nl - s) : strlen(s);
			json_array_append_new(steps, json_stringn(s, len));
			s += len + (nl ? 1 : 0);
		}
		json_object_set_new(refer, "steps", steps);
	}
	json_array_foreach(json_object_get(hsds, "attributes"), i, item) {
		const json_t *term = json_object_get(item, "taxonomy_term");
		const char *tax = json_string_value(json_object_get(term, "taxonomy"));
		const char *code = json_string_value(json_object_get(term, "code"));
		const char *value = json_string_value(json_object_get(item, "value"));
		if (tax == NULL || code == NULL)
			continue;
		for (f = 0; f < DIRECTORY_FACET_COUNT; f++)
			if (strcmp(tax, directory_facets[f].param) == 0)
				json_array_append_new(lists[f], json_string(code));
		if (strcmp(tax, "referral_requirement") == 0)
			json_object_set_new(refer, code, json_true());
		else if (strcmp(tax, "referral") == 0 && strcmp(code, "contact") == 0 && value)
			json_object_set_new(refer, "contact", json_string(value));
		else if (strcmp(tax, "hours") == 0 && strcmp(code, "out_of_hours") == 0 && value)
			json_object_set_new(hours, "out_of_hours", json_string(value));
		else if (strcmp(tax, "hours") == 0 && strcmp(code, "always_open") == 0)
			json_object_set_new(hours, "always_open", json_true());
	}
	portal_buf_init(&opening, 4096);
	json_array_foreach(json_object_get(hsds, "schedules"), i, item) {
		const char *byday = json_string_value(json_object_get(item, "byday"));
		const char *o = json_string_value(json_object_get(item, "opens_at"));
		const char *c = json_string_value(json_object_get(item, "closes_at"));
		size_t d;
		int n = 0;
		if (byday == NULL || o == NULL || c == NULL)
			continue;
		if (opening.len)
			portal_buf_puts(&opening, "; ");
		for (d = 0; d < 7; d++)
			if (strstr(byday, directory_byday[d]))
				portal_buf_printf(&opening, "%s%s", n++ ? "," : "", directory_days[d].code);
		portal_buf_printf(&opening, " %.5s-%.5s", o, c);
	}
	if (opening.data)
		json_object_set_new(hours, "opening", json_string(opening.data));
	portal_buf_free(&opening);
	for (f = 0; f < DIRECTORY_FACET_COUNT; f++) {
		if (f == DIRECTORY_FACET_REFERRER)
			json_object_set_new(refer, "referrers", lists[f]);
		else
			json_object_set_new(in, directory_facets[f].field, lists[f]);
	}
	json_object_set_new(in, "how_to_refer", refer);
	json_object_set_new(in, "hours", hours);
	return in;
}
