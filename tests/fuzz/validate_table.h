/* validate_table.h - the field table the validation fuzz targets
 * (fuzz_form.c, fuzz_json.c) run their input through: every field type of
 * validate.h, a module's own check and choices from a getter; and
 * check_validated(), which aborts when a result breaks a promise of its type.
 * Included by each target (one program each). */
#include "clock.h"
#include "fieldshape.h"
#include "phone.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>

static const char *const agency_types[] = {
	"police", "local_authority", "health", "ngo", "other", NULL
};

/* The choices of a list built at run time. */
static const char *const *fuzz_areas(void)
{
	static const char *const areas[] = { "newham", "hackney", "outside-london", NULL };

	return areas;
}

/* A module's own rule: a code of lower-case letters and hyphens. */
static int fuzz_code_check(const json_t *v, char *msg, size_t msglen)
{
	const char *s = json_string_value(v);

	if (strspn(s, "abcdefghijklmnopqrstuvwxyz-") == strlen(s))
		return 0;
	strncpy(msg, "Give the code in lower-case letters", msglen - 1);
	msg[msglen - 1] = '\0';
	return -1;
}

static const portal_field fields[] = {
	{ .name = "name", .type = PORTAL_FIELD_STRING, .required = 1, .min = 1, .max = 80, .label = "Name" },
	{ .name = "capacity", .type = PORTAL_FIELD_INT, .min = 1, .max = 500, .label = "Capacity" },
	{ .name = "accessible", .type = PORTAL_FIELD_BOOL, .label = "Step-free access" },
	{ .name = "agency_type", .type = PORTAL_FIELD_ENUM, .choices = agency_types, .label = "Agency type" },
	{ .name = "serves", .type = PORTAL_FIELD_ENUM_LIST, .max = 3, .choices = agency_types, .label = "Serves" },
	{ .name = "languages", .type = PORTAL_FIELD_STRING_LIST, .min = 1, .max = 20, .max_items = 5, .label = "Languages" },
	{ .name = "starts_at", .type = PORTAL_FIELD_TIME, .label = "Start time" },
	{ .name = "date", .type = PORTAL_FIELD_DATE, .label = "Date" },
	{ .name = "phone", .type = PORTAL_FIELD_PHONE, .label = "Phone number" },
	{ .name = "email", .type = PORTAL_FIELD_EMAIL, .max = 100, .label = "Email address" },
	{ .name = "website", .type = PORTAL_FIELD_URL, .max = 300, .label = "Website" },
	{ .name = "ends_at", .type = PORTAL_FIELD_LONDON_TIME, .label = "the session ends" },
	{ .name = "no_names", .type = PORTAL_FIELD_TICKED, .label = "that the reference names nobody" },
	{ .name = "area", .type = PORTAL_FIELD_ENUM, .choices_of = fuzz_areas, .label = "Area" },
	{ .name = "code", .type = PORTAL_FIELD_STRING, .max = 40, .label = "Code", .check = fuzz_code_check },
};
#define NFIELDS PORTAL_NFIELDS(fields)

/* libFuzzer's start-up: London time, as portal_main sets it (LONDON_TIME). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	portal_clock_init();
	return 0;
}

/* Abort unless every key of obj is a declared field name. */
static void check_declared(const json_t *obj)
{
	const char *key;
	json_t *value;
	size_t i;

	json_object_foreach((json_t *)obj, key, value) {
		for (i = 0; i < NFIELDS; i++)
			if (strcmp(fields[i].name, key) == 0)
				break;
		if (i == NFIELDS)
			abort();
	}
}

/* Abort unless the validated object keeps each type's promise: a phone,
 * e-mail address and web address that their rules take (or "" when
 * cleared), a London time that parses as RFC 3339, a ticked box true, an
 * area from the getter, a code the module's check takes. */
static void check_validated(const json_t *valid)
{
	const char *s;
	json_t *v;
	time_t t;

	check_declared(valid);
	if ((s = json_string_value(json_object_get(valid, "phone"))) && *s && !portal_phone_ok(s))
		abort();
	if ((s = json_string_value(json_object_get(valid, "email"))) && *s && !portal_email_ok(s, strlen(s)))
		abort();
	if ((s = json_string_value(json_object_get(valid, "website"))) && *s &&
	    (portal_url_check(s, strlen(s)) != PORTAL_URL_OK || strpbrk(s, " \"'<>") != NULL))
		abort();
	if ((s = json_string_value(json_object_get(valid, "ends_at"))) && portal_time_parse(s, &t) < 0)
		abort();
	if ((v = json_object_get(valid, "no_names")) && !json_is_true(v))
		abort();
	if ((s = json_string_value(json_object_get(valid, "area"))) && strcmp(s, "newham") && strcmp(s, "hackney") &&
	    strcmp(s, "outside-london"))
		abort();
	if ((s = json_string_value(json_object_get(valid, "code"))) && strspn(s, "abcdefghijklmnopqrstuvwxyz-") != strlen(s))
		abort();
}

/* Run `in` through the table: abort when a promise of portal_validate is
 * broken (an answer of each kind: the fields that are right always, errors
 * exactly when it says -1, only declared fields in either). */
static void validate_and_check(const json_t *in)
{
	json_t *valid = NULL, *errors = NULL;
	int rc = portal_validate(in, PORTAL_FIELDS(fields), &valid, &errors);

	if (valid == NULL || (rc == 0) != (errors == NULL))
		abort();
	check_validated(valid);
	if (errors != NULL)
		check_declared(errors);
	json_decref(valid);
	json_decref(errors);
}
