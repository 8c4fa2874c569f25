/* format.c - Open Referral (HSDS 3.1): a stored service or organisation
 * written as HSDS, and an HSDS service read back into our input shape. */
#include "directory.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reference.h"

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

/* The service's own fields: id, names, referral steps, dates. */
static json_t *directory_hsds_service_base(const json_t *service, const char *sid)
{
	const json_t *refer = json_object_get(service, "how_to_refer");
	json_t *out, *item;
	portal_buf steps;
	const char *s;
	size_t i;

	out = json_pack("{s:s, s:O, s:O, s:O, s:s}", "id", sid,
	                "organization_id", json_object_get(json_object_get(service, "organisation"), "id"),
	                "name", json_object_get(service, "name"),
	                "description", json_object_get(service, "description"), "status", "active");
	if (out == NULL)
		return NULL;
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
	return out;
}

/* The name a facet item shows: its own, its code list's, or the code. */
static const char *directory_hsds_item_name(size_t f, const json_t *item, const char *code)
{
	const char *name = directory_facet_item_name(f, item);

	return name ? name : code;
}

/* Every facet as attributes; languages and boroughs also as HSDS
 * languages and service areas. */
static void directory_hsds_service_facets(const json_t *service, const char *sid,
                                          json_t *attrs, json_t *langs, json_t *areas)
{
	const json_t *refer = json_object_get(service, "how_to_refer"), *item;
	char id[37];
	size_t f, i;

	for (f = 0; f < DIRECTORY_FACET_COUNT; f++) {
		const json_t *list = f == DIRECTORY_FACET_REFERRER ? json_object_get(refer, "referrers")
		                                                   : json_object_get(service, directory_facets[f].field);
		json_array_foreach(list, i, item) {
			const char *code = json_string_value(json_is_object(item) ? json_object_get(item, "code") : item);
			const char *name;

			if (code == NULL)
				continue;
			name = directory_hsds_item_name(f, item, code);
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
}

/* Referral requirements, the referral contact and the hours' notes as
 * attributes. */
static void directory_hsds_service_notes(const json_t *service, const char *sid, json_t *attrs)
{
	const json_t *refer = json_object_get(service, "how_to_refer"), *hours = json_object_get(service, "hours");
	const char *s;

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
}

/* One opening-time item ("mon-fri 09:00-17:00") as an HSDS weekly
 * schedule, numbered n; NULL when the item names no day. */
static json_t *directory_hsds_schedule(const char *sid, const char *item, size_t n)
{
	directory_hours one;
	portal_buf days;
	char id[37], err[200], opens[6], closes[6], sn[24];
	int d, first = -1, s0, s1;
	json_t *out;

	if (*item == '\0' || directory_hours_parse(item, &one, err, sizeof(err)) != 0)
		return NULL;
	portal_buf_init(&days, 64);
	for (d = 0; d < 7; d++)
		if (one.week[d]) {
			portal_buf_printf(&days, "%s%s", days.len ? "," : "", directory_byday[d]);
			if (first < 0)
				first = d;
		}
	if (first < 0) {
		portal_buf_free(&days);
		return NULL;
	}
	s0 = __builtin_ctzll(one.week[first]);
	s1 = 64 - __builtin_clzll(one.week[first]);
	snprintf(opens, sizeof(opens), "%02d:%02d", s0 / 2, (s0 % 2) * 30);
	snprintf(closes, sizeof(closes), "%02d:%02d", s1 / 2, (s1 % 2) * 30);
	snprintf(sn, sizeof(sn), "%lu", (unsigned long)n);
	directory_uuid_from("schedule", sid, sn, id);
	out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", id, "service_id", sid, "freq", "WEEKLY",
	                "byday", days.data, "opens_at", opens, "closes_at", closes, "description", item);
	portal_buf_free(&days);
	return out;
}

/* One weekly schedule per item of the opening times (items split by ';'),
 * when the whole text reads as opening times. */
static json_t *directory_hsds_schedules(const json_t *hours, const char *sid)
{
	const char *p = json_string_value(json_object_get(hours, "opening"));
	json_t *scheds = json_array(), *one;
	directory_hours h;
	char itembuf[120], err[200];
	size_t n = 0;

	if (directory_hours_parse(p, &h, err, sizeof(err)) != 0)
		return scheds;
	while (p && *p) {
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);

		while (len && *p == ' ')
			p++, len--;
		if (len >= sizeof(itembuf))
			len = sizeof(itembuf) - 1;
		memcpy(itembuf, p, len);
		itembuf[len] = '\0';
		if ((one = directory_hsds_schedule(sid, itembuf, n)) != NULL) {
			json_array_append_new(scheds, one);
			n++;
		}
		p = semi ? semi + 1 : p + strlen(p);
	}
	return scheds;
}

json_t *directory_hsds_service(const json_t *service, const json_t *org)
{
	const char *sid = json_string_value(json_object_get(service, "id"));
	json_t *out, *attrs, *langs, *areas;

	if (sid == NULL)
		sid = "";
	if ((out = directory_hsds_service_base(service, sid)) == NULL)
		return NULL;
	attrs = json_array();
	langs = json_array();
	areas = json_array();
	directory_hsds_service_facets(service, sid, attrs, langs, areas);
	directory_hsds_service_notes(service, sid, attrs);
	json_object_set_new(out, "languages", langs);
	json_object_set_new(out, "service_areas", areas);
	json_object_set_new(out, "schedules", directory_hsds_schedules(json_object_get(service, "hours"), sid));
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

/* HSDS application_process (one step a line) as our referral steps. */
static json_t *directory_hsds_input_steps(const char *s)
{
	json_t *steps = json_array();

	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);

		json_array_append_new(steps, json_stringn(s, len));
		s += len + (nl ? 1 : 0);
	}
	return steps;
}

/* HSDS attributes back into facet lists, referral requirements, the
 * referral contact and the hours' notes. */
static void directory_hsds_input_attributes(const json_t *hsds, json_t **lists, json_t *refer, json_t *hours)
{
	const json_t *item;
	size_t i, f;

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
}

/* HSDS weekly schedules back into our opening-times text, or NULL. */
static json_t *directory_hsds_input_opening(const json_t *hsds)
{
	const json_t *item;
	portal_buf opening;
	json_t *out = NULL;
	size_t i, d;

	portal_buf_init(&opening, 4096);
	json_array_foreach(json_object_get(hsds, "schedules"), i, item) {
		const char *byday = json_string_value(json_object_get(item, "byday"));
		const char *o = json_string_value(json_object_get(item, "opens_at"));
		const char *c = json_string_value(json_object_get(item, "closes_at"));
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
		out = json_string(opening.data);
	portal_buf_free(&opening);
	return out;
}

json_t *directory_hsds_service_input(const json_t *hsds, char *err, size_t errlen)
{
	json_t *in, *refer, *hours, *opening, *lists[DIRECTORY_FACET_COUNT];
	const char *s;
	size_t f;

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
	if ((s = json_string_value(json_object_get(hsds, "application_process"))))
		json_object_set_new(refer, "steps", directory_hsds_input_steps(s));
	directory_hsds_input_attributes(hsds, lists, refer, hours);
	if ((opening = directory_hsds_input_opening(hsds)) != NULL)
		json_object_set_new(hours, "opening", opening);
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
