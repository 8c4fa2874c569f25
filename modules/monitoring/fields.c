/* fields.c - the monitoring module's field tables and their choice lists
 * (London areas and exploitation types, from common/reference.h). */
#include "monitoring.h"

#include <pthread.h>

#include "personal.h"

static pthread_once_t choices_once = PTHREAD_ONCE_INIT;
static const char *borough_codes[64], *exploitation_codes[16];

/* The choice lists as the field tables take them: codes, NULL-terminated. */
static void choices_init(void)
{
	size_t i;

	for (i = 0; i < portal_london_areas_count && i + 1 < MONITORING_COUNT(borough_codes); i++)
		borough_codes[i] = portal_london_areas[i].code;
	for (i = 0; i < portal_exploitation_types_count && i + 1 < MONITORING_COUNT(exploitation_codes); i++)
		exploitation_codes[i] = portal_exploitation_types[i].code;
}

static const char *const *borough_choices(void)
{
	pthread_once(&choices_once, choices_init);
	return borough_codes;
}

static const char *const *exploitation_choices(void)
{
	pthread_once(&choices_once, choices_init);
	return exploitation_codes;
}

static const portal_field guide_fields[] = {
	{ .name = "term", .type = PORTAL_FIELD_STRING, .required = 1, .min = 2, .max = 60, .label = "The term to avoid" },
	{ .name = "variants", .type = PORTAL_FIELD_STRING_LIST, .min = 2, .max = 60, .max_items = 20, .label = "Other forms of the term" },
	{ .name = "preferred", .type = PORTAL_FIELD_STRING, .required = 1, .min = 2, .max = 200, .label = "What to say instead" },
	{ .name = "reason", .type = PORTAL_FIELD_STRING, .required = 1, .min = 10, .max = 1000, .label = "The reason to avoid the term" },
	{ .name = "source", .type = PORTAL_FIELD_STRING, .required = 1, .min = 5, .max = 300, .label = "The source that names the term" },
};

static const portal_field observation_fields[] = {
	{ .name = "text", .type = PORTAL_FIELD_STRING, .required = 1, .min = 1, .max = MONITORING_TEXT_MAX,
	  .label = "Your observation", .check = portal_check_no_personal_data },
	{ .name = "borough", .type = PORTAL_FIELD_ENUM, .choices_of = borough_choices, .label = "Borough" },
	{ .name = "exploitation_types", .type = PORTAL_FIELD_ENUM_LIST, .choices_of = exploitation_choices,
	  .max_items = 6, .label = "Types of exploitation" },
};

static const portal_field theme_fields[] = {
	{ .name = "name", .type = PORTAL_FIELD_STRING, .required = 1, .min = 2, .max = 80, .label = "A name for the theme" },
};

static const portal_field tags_fields[] = {
	{ .name = "themes", .type = PORTAL_FIELD_STRING_LIST, .min = 1, .max = 12, .max_items = MONITORING_THEMES_MAX,
	  .label = "Themes" },
	{ .name = "quote", .type = PORTAL_FIELD_BOOL, .label = "A quote fit to share" },
};

static const portal_field check_fields[] = {
	{ .name = "text", .type = PORTAL_FIELD_STRING, .max = MONITORING_TEXT_MAX, .label = "Text" },
};

const portal_fields monitoring_fields[MONITORING_FIELDS_COUNT] = {
	[MONITORING_FIELDS_GUIDE] = PORTAL_FIELDS_INIT(guide_fields),
	[MONITORING_FIELDS_OBSERVATION] = PORTAL_FIELDS_INIT(observation_fields),
	[MONITORING_FIELDS_THEME] = PORTAL_FIELDS_INIT(theme_fields),
	[MONITORING_FIELDS_TAGS] = PORTAL_FIELDS_INIT(tags_fields),
	[MONITORING_FIELDS_CHECK] = PORTAL_FIELDS_INIT(check_fields),
};
