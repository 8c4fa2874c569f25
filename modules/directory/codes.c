/* codes.c - the directory's fixed lists (service types, exploitation
 * types, client groups, referrers, days), the facets of a search, and the
 * names of codes and boroughs.  Each list is defined here once. */
#include "directory.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reference.h"

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

const char *directory_facet_item_name(size_t f, const json_t *item)
{
	const char *code = json_is_object(item) ? json_string_value(json_object_get(item, "code")) : json_string_value(item);

	if (json_is_object(item) && json_is_string(json_object_get(item, "name")))
		return json_string_value(json_object_get(item, "name"));
	if (f >= DIRECTORY_FACET_COUNT)
		return NULL;
	if (directory_facets[f].values)
		return directory_code_name(directory_facets[f].values, code);
	return f == DIRECTORY_FACET_LANGUAGE ? portal_language_name(code)
	     : f == DIRECTORY_FACET_BOROUGH ? directory_borough_name(code) : NULL;
}
