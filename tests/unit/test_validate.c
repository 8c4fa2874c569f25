/* test_validate.c - declared-field validation (common/validate.c).
 *
 * Each test declares fields the way a handler would, feeds input shaped as
 * the parsers produce it (strings and arrays of strings from a form, typed
 * values from JSON) and checks the converted result or the message the
 * person would read.
 */
#include "validate.h"

#include "clock.h"

#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const agency_types[] = {
	"police", "local_authority", "health", "ngo", "other", NULL
};
static const char *const languages[] = {"pl", "ro", "sq", "vi", NULL};

/* Validate input (JSON text, \u0000 allowed so a test can send NUL; NULL
 * for no input) against one field.  Returns
 * the result of portal_validate; *valid / *errors as it sets them. */
static int run(const char *input, const portal_field *f, json_t **valid,
               json_t **errors)
{
	json_t *in = NULL;
	json_error_t jerr;
	int rc;

	if (input != NULL) {
		in = json_loads(input, JSON_ALLOW_NUL, &jerr);
		ck_assert_msg(in != NULL, "bad test input %s: %s", input, jerr.text);
	}
	rc = portal_validate(in, (portal_fields){ f, 1 }, valid, errors);
	json_decref(in);
	ck_assert_ptr_nonnull(*valid);
	if (rc == 0) {
		ck_assert_ptr_null(*errors);
	} else {
		/* the one field is wrong: the fields that are right are none */
		ck_assert_int_eq(json_object_size(*valid), 0);
		ck_assert_ptr_nonnull(*errors);
	}
	return rc;
}

/* Expect input to pass field f; return the converted value of f (a new
 * reference the caller frees, NULL when left out). */
static json_t *pass(const char *input, const portal_field *f)
{
	json_t *valid = NULL, *errors = NULL, *v;

	ck_assert_msg(run(input, f, &valid, &errors) == 0, "%s refused: %s", input,
	    errors ? json_string_value(json_object_get(errors, f->name)) : "");
	v = json_object_get(valid, f->name);
	json_incref(v);
	json_decref(valid);
	return v;
}

/* Expect input to fail field f with exactly the message `want`. */
static void fail_with(const char *input, const portal_field *f, const char *want)
{
	json_t *valid = NULL, *errors = NULL;
	const char *got;

	ck_assert_msg(run(input, f, &valid, &errors) == -1, "%s accepted", input);
	got = json_string_value(json_object_get(errors, f->name));
	ck_assert_msg(got != NULL, "%s: no message for %s", input, f->name);
	if (want != NULL)
		ck_assert_str_eq(got, want);
	json_decref(errors);
	json_decref(valid);
}

/* Expect input to fail field f (any message). */
static void refused(const char *input, const portal_field *f)
{
	fail_with(input, f, NULL);
}

/* Expect each of the n values, as the text of field f with blanks around
 * it, to pass and be kept as typed. */
static void pass_each(const char *const *values, size_t n, const portal_field *f)
{
	char in[300];
	json_t *v;
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(in, sizeof(in), "{\"%s\": \" %s \"}", f->name, values[i]);
		v = pass(in, f);
		ck_assert_str_eq(json_string_value(v), values[i]);
		json_decref(v);
	}
}

/* Expect each of the n values, as the text of field f, to fail with `want`
 * (NULL: any message). */
static void fail_each(const char *const *values, size_t n, const portal_field *f, const char *want)
{
	char in[300];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(in, sizeof(in), "{\"%s\": \"%s\"}", f->name, values[i]);
		fail_with(in, f, want);
	}
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- STRING ------------------------------------------------------------ */

static const portal_field name_field = { .name = "name", .type = PORTAL_FIELD_STRING, .required = 1, .min = 2, .max = 10, .label = "Full name" };

START_TEST(string_trimmed)
{
	json_t *v = pass("{\"name\": \"  Ana Lima \\t\\n\"}", &name_field);

	ck_assert_str_eq(json_string_value(v), "Ana Lima");
	json_decref(v);
}
END_TEST

START_TEST(string_required_missing_says_enter_label)
{
	fail_with(NULL, &name_field, "Enter full name");
	fail_with("{}", &name_field, "Enter full name");
	fail_with("{\"name\": null}", &name_field, "Enter full name");
	fail_with("{\"name\": \"   \"}", &name_field, "Enter full name");
}
END_TEST

START_TEST(string_length_counts_characters_not_bytes)
{
	/* "Zoë Łucja" is 9 characters, 11 bytes: within 2..10. */
	json_t *v = pass("{\"name\": \"Zo\\u00eb \\u0141ucja\"}", &name_field);

	ck_assert_str_eq(json_string_value(v), "Zo\xC3\xAB \xC5\x81ucja");
	json_decref(v);
	/* 11 two-byte characters: too long. */
	fail_with("{\"name\": \"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9"
	    "\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\"}", &name_field,
	    "Full name must be between 2 and 10 characters");
}
END_TEST

START_TEST(string_too_short_rejected)
{
	fail_with("{\"name\": \" A \"}", &name_field,
	    "Full name must be between 2 and 10 characters");
}
END_TEST

START_TEST(string_only_max_bound_named)
{
	static const portal_field notes = { .name = "notes", .type = PORTAL_FIELD_STRING, .max = 5, .label = "Notes" };
	json_t *v;

	fail_with("{\"notes\": \"123456\"}", &notes, "Notes must be 5 characters or fewer");
	v = pass("{\"notes\": \"12345\"}", &notes);
	json_decref(v);
}
END_TEST

START_TEST(string_control_characters_rejected)
{
	json_t *v;

	fail_with("{\"name\": \"Ana\\u0007Lima\"}", &name_field,
	    "Full name must be plain text: remove control characters");
	refused("{\"name\": \"Ana\\u007fLi\"}", &name_field);
	refused("{\"name\": \"Ana\\u0085Li\"}", &name_field); /* C1 NEL */
	refused("{\"name\": \"Ana\\u001bLi\"}", &name_field);
	/* Tab, CR and LF inside the text are allowed. */
	v = pass("{\"name\": \"An\\ta\\r\\nL\"}", &name_field);
	ck_assert_str_eq(json_string_value(v), "An\ta\r\nL");
	json_decref(v);
}
END_TEST

START_TEST(string_embedded_nul_rejected)
{
	json_t *in = json_object(), *valid, *errors;

	json_object_set_new(in, "name", json_stringn("Ana\0Lima", 8));
	ck_assert_int_eq(portal_validate(in, (portal_fields){ &name_field, 1 }, &valid, &errors), -1);
	ck_assert_ptr_nonnull(json_object_get(errors, "name"));
	json_decref(errors);
	json_decref(valid);
	json_decref(in);
}
END_TEST

START_TEST(string_not_text_rejected)
{
	fail_with("{\"name\": 12}", &name_field, "Enter full name as text");
	fail_with("{\"name\": [\"Ana\", \"Bo\"]}", &name_field, "Enter full name as text");
}
END_TEST

START_TEST(string_optional_empty_kept_as_empty_text)
{
	static const portal_field notes = { .name = "notes", .type = PORTAL_FIELD_STRING, .label = "Notes" };
	json_t *v = pass("{\"notes\": \"  \"}", &notes);

	ck_assert_str_eq(json_string_value(v), "");
	json_decref(v);
	ck_assert_ptr_null(pass("{}", &notes));
}
END_TEST

/* ---- INT --------------------------------------------------------------- */

static const portal_field capacity = { .name = "capacity", .type = PORTAL_FIELD_INT, .required = 1, .min = 1, .max = 500, .label = "Capacity" };

START_TEST(int_from_json_integer_and_string)
{
	json_t *v = pass("{\"capacity\": 12}", &capacity);

	ck_assert(json_is_integer(v));
	ck_assert_int_eq(json_integer_value(v), 12);
	json_decref(v);
	v = pass("{\"capacity\": \" +500 \"}", &capacity);
	ck_assert_int_eq(json_integer_value(v), 500);
	json_decref(v);
	v = pass("{\"capacity\": \"1\"}", &capacity);
	ck_assert_int_eq(json_integer_value(v), 1);
	json_decref(v);
}
END_TEST

START_TEST(int_out_of_range_names_the_range)
{
	fail_with("{\"capacity\": 0}", &capacity, "Enter a capacity between 1 and 500");
	fail_with("{\"capacity\": \"501\"}", &capacity, "Enter a capacity between 1 and 500");
	fail_with("{\"capacity\": -3}", &capacity, "Enter a capacity between 1 and 500");
}
END_TEST

START_TEST(int_with_trailing_junk_rejected)
{
	fail_with("{\"capacity\": \"12abc\"}", &capacity,
	    "Enter a capacity as a whole number between 1 and 500");
	refused("{\"capacity\": \"12 3\"}", &capacity);
	refused("{\"capacity\": \"0x10\"}", &capacity);
	refused("{\"capacity\": \"1e2\"}", &capacity);
	refused("{\"capacity\": \"12.0\"}", &capacity);
	refused("{\"capacity\": \"+\"}", &capacity);
	refused("{\"capacity\": \"--1\"}", &capacity);
	refused("{\"capacity\": \"\\u0661\"}", &capacity); /* Arabic-Indic one */
}
END_TEST

START_TEST(int_json_real_and_bool_rejected)
{
	refused("{\"capacity\": 12.5}", &capacity);
	refused("{\"capacity\": 12.0}", &capacity);
	refused("{\"capacity\": true}", &capacity);
	refused("{\"capacity\": [\"12\", \"13\"]}", &capacity);
}
END_TEST

START_TEST(int_overflow_rejected)
{
	static const portal_field any = { .name = "n", .type = PORTAL_FIELD_INT, .required = 1, .label = "Number of places" };
	json_t *v;

	fail_with("{\"n\": \"9223372036854775808\"}", &any,
	    "Enter a number of places as a whole number");
	refused("{\"n\": \"-9223372036854775809\"}", &any);
	v = pass("{\"n\": \"-9223372036854775808\"}", &any);
	ck_assert(json_integer_value(v) == LLONG_MIN);
	json_decref(v);
}
END_TEST

START_TEST(int_zero_bounds_mean_unbounded)
{
	static const portal_field any = { .name = "n", .type = PORTAL_FIELD_INT };
	json_t *v = pass("{\"n\": \"-40000\"}", &any);

	ck_assert_int_eq(json_integer_value(v), -40000);
	json_decref(v);
	v = pass("{\"n\": 123456789012}", &any);
	ck_assert(json_integer_value(v) == 123456789012LL);
	json_decref(v);
}
END_TEST

START_TEST(int_required_missing_says_enter_a_label)
{
	fail_with("{\"capacity\": \"\"}", &capacity, "Enter a capacity");
	fail_with(NULL, &capacity, "Enter a capacity");
}
END_TEST

START_TEST(int_optional_empty_left_out)
{
	static const portal_field opt = { .name = "n", .type = PORTAL_FIELD_INT, .min = 1, .max = 9, .label = "Beds" };

	ck_assert_ptr_null(pass("{\"n\": \" \"}", &opt));
	ck_assert_ptr_null(pass("{\"n\": null}", &opt));
}
END_TEST

/* ---- BOOL -------------------------------------------------------------- */

static const portal_field accessible = { .name = "accessible", .type = PORTAL_FIELD_BOOL, .label = "Step-free access" };

START_TEST(bool_from_json_and_form_words)
{
	static const char *const yes[] = {
		"{\"accessible\": true}", "{\"accessible\": \"on\"}",
		"{\"accessible\": \"yes\"}", "{\"accessible\": \"1\"}",
		"{\"accessible\": \"TRUE\"}",
	};
	static const char *const no[] = {
		"{\"accessible\": false}", "{\"accessible\": \"no\"}",
		"{\"accessible\": \"0\"}", "{\"accessible\": \"\"}",
		"{\"accessible\": \"false\"}",
	};
	json_t *v;
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		v = pass(yes[i], &accessible);
		ck_assert_msg(json_is_true(v), "%s", yes[i]);
		json_decref(v);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		v = pass(no[i], &accessible);
		ck_assert_msg(json_is_false(v), "%s", no[i]);
		json_decref(v);
	}
}
END_TEST

START_TEST(bool_other_words_rejected)
{
	fail_with("{\"accessible\": \"maybe\"}", &accessible,
	    "Choose yes or no for step-free access");
	refused("{\"accessible\": 1}", &accessible);
	refused("{\"accessible\": \"yess\"}", &accessible);
}
END_TEST

/* ---- ENUM -------------------------------------------------------------- */

static const portal_field agency_type = { .name = "agency_type", .type = PORTAL_FIELD_ENUM, .required = 1, .choices = agency_types, .label = "Agency type" };

START_TEST(enum_choice_accepted)
{
	json_t *v = pass("{\"agency_type\": \" ngo \"}", &agency_type);

	ck_assert_str_eq(json_string_value(v), "ngo");
	json_decref(v);
}
END_TEST

START_TEST(enum_unknown_choice_lists_choices)
{
	fail_with("{\"agency_type\": \"army\"}", &agency_type,
	    "Choose an agency type, one of: police, local_authority, health, ngo, other");
	refused("{\"agency_type\": \"Police\"}", &agency_type);
	refused("{\"agency_type\": \"police,ngo\"}", &agency_type);
	refused("{\"agency_type\": 3}", &agency_type);
}
END_TEST

START_TEST(enum_required_missing_says_choose)
{
	fail_with("{\"agency_type\": \"\"}", &agency_type, "Choose an agency type");
}
END_TEST

/* ---- ENUM_LIST --------------------------------------------------------- */

static const portal_field langs = { .name = "languages", .type = PORTAL_FIELD_ENUM_LIST, .max = 3, .choices = languages, .label = "Languages" };

/* Return 1 when list (an array of strings) is exactly the words given. */
static int list_is(const json_t *list, const char *const *want, size_t n)
{
	size_t i;

	if (!json_is_array(list) || json_array_size(list) != n)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(json_string_value(json_array_get(list, i)), want[i]) != 0)
			return 0;
	return 1;
}

START_TEST(enum_list_from_array_repeated_field_or_commas)
{
	static const char *const want[] = {"pl", "ro"};
	json_t *v;

	v = pass("{\"languages\": [\"pl\", \"ro\"]}", &langs);
	ck_assert(list_is(v, want, 2));
	json_decref(v);
	v = pass("{\"languages\": \"pl, ro\"}", &langs);
	ck_assert(list_is(v, want, 2));
	json_decref(v);
	v = pass("{\"languages\": \"pl\"}", &langs);
	ck_assert(list_is(v, want, 1));
	json_decref(v);
}
END_TEST

START_TEST(enum_list_deduplicated_in_order)
{
	static const char *const want[] = {"ro", "pl", "sq"};
	json_t *v = pass("{\"languages\": [\"ro\", \"pl,ro\", \"ro\", \" sq\", \"pl\"]}", &langs);

	ck_assert(list_is(v, want, 3));
	json_decref(v);
}
END_TEST

START_TEST(enum_list_unknown_item_rejected)
{
	fail_with("{\"languages\": [\"pl\", \"xx\"]}", &langs,
	    "Choose languages only from: pl, ro, sq, vi");
	refused("{\"languages\": \"pl,xx\"}", &langs);
	refused("{\"languages\": [\"pl\", 3]}", &langs);
	refused("{\"languages\": {\"pl\": 1}}", &langs);
}
END_TEST

START_TEST(enum_list_too_many_items_rejected)
{
	fail_with("{\"languages\": [\"pl\", \"ro\", \"sq\", \"vi\"]}", &langs,
	    "Choose no more than 3 for languages");
}
END_TEST

START_TEST(enum_list_max_items_bounds_list)
{
	static const portal_field two = { .name = "languages", .type = PORTAL_FIELD_ENUM_LIST, .choices = languages, .max_items = 2, .label = "Languages" };

	refused("{\"languages\": \"pl,ro,sq\"}", &two);
}
END_TEST

START_TEST(enum_list_required_empty_rejected)
{
	static const portal_field req = { .name = "languages", .type = PORTAL_FIELD_ENUM_LIST, .required = 1, .choices = languages, .label = "Languages" };
	json_t *v;

	fail_with("{\"languages\": []}", &req, "Choose at least one for languages");
	fail_with("{\"languages\": \" , \"}", &req, "Choose at least one for languages");
	fail_with("{}", &req, "Choose at least one for languages");
	/* Optional: an empty list is kept as []. */
	v = pass("{\"languages\": \"\"}", &langs);
	ck_assert(json_is_array(v) && json_array_size(v) == 0);
	json_decref(v);
}
END_TEST

/* ---- STRING_LIST ------------------------------------------------------- */

static const portal_field boroughs = { .name = "boroughs", .type = PORTAL_FIELD_STRING_LIST, .max = 14, .max_items = 3, .label = "Boroughs" };

START_TEST(string_list_from_array_or_one_string)
{
	static const char *const want[] = {"Camden", "Tower Hamlets"};
	json_t *v;

	v = pass("{\"boroughs\": [\" Camden \", \"\", \"Tower Hamlets\"]}", &boroughs);
	ck_assert(list_is(v, want, 2));
	json_decref(v);
	v = pass("{\"boroughs\": \"Camden\"}", &boroughs);
	ck_assert(list_is(v, want, 1));
	json_decref(v);
}
END_TEST

START_TEST(string_list_item_rules_checked)
{
	fail_with("{\"boroughs\": [\"Kensington and Chelsea\"]}", &boroughs,
	    "Each item in boroughs must be 14 characters or fewer");
	fail_with("{\"boroughs\": [\"a\", \"b\", \"c\", \"d\"]}", &boroughs,
	    "Enter no more than 3 items for boroughs");
	refused("{\"boroughs\": [\"a\\u0000b\"]}", &boroughs);
	refused("{\"boroughs\": [\"a\\u0002b\"]}", &boroughs);
	refused("{\"boroughs\": [1]}", &boroughs);
	refused("{\"boroughs\": 1}", &boroughs);
}
END_TEST

/* ---- TIME -------------------------------------------------------------- */

static const portal_field starts = { .name = "starts_at", .type = PORTAL_FIELD_TIME, .required = 1, .label = "Start time" };

START_TEST(time_with_offset_kept_as_given)
{
	static const char *const ok[] = {
		"2026-03-29T09:30:00+01:00", "2026-03-29T09:30:00Z",
		"2026-03-29T23:59:59-05:30", "2024-02-29T00:00:00.123456Z",
		"2026-03-29t09:30:00z",
	};
	char input[80];
	json_t *v;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(input, sizeof(input), "{\"starts_at\": \" %s \"}", ok[i]);
		v = pass(input, &starts);
		ck_assert_str_eq(json_string_value(v), ok[i]);
		json_decref(v);
	}
}
END_TEST

START_TEST(time_without_offset_rejected)
{
	fail_with("{\"starts_at\": \"2026-03-29T09:30:00\"}", &starts,
	    "Enter a start time as a real date and time with its time zone, "
	    "like 2026-03-29T09:30:00+01:00");
}
END_TEST

/* A time is an instant the portal can keep: from 1970 (portal_time_parse). */
START_TEST(time_before_1970_rejected)
{
	json_t *v = pass("{\"starts_at\": \"1970-01-01T00:00:00Z\"}", &starts);

	json_decref(v);
	refused("{\"starts_at\": \"1969-12-31T23:59:59Z\"}", &starts);
	refused("{\"starts_at\": \"0001-01-01T00:00:00+01:00\"}", &starts);
}
END_TEST

START_TEST(time_impossible_values_rejected)
{
	static const char *const bad[] = {
		"2026-03-29T24:00:00Z", "2026-03-29T09:60:00Z",
		"2026-03-29T09:30:60Z", "2026-02-30T09:30:00Z",
		"2026-13-01T09:30:00Z", "2026-03-29T09:30Z",
		"2026-03-29 09:30:00Z", "2026-03-29T09:30:00+0100",
		"2026-03-29T09:30:00+24:00", "2026-03-29T09:30:00+01:60",
		"2026-03-29T09:30:00.Z", "2026-03-29T09:30:00Zjunk",
		"2026-3-29T09:30:00Z", "2026-03-29T9:30:00Z",
		"2026-03-29T09:30:00+01:00 x", "0000-01-01T00:00:00Z",
	};
	char input[80];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(input, sizeof(input), "{\"starts_at\": \"%s\"}", bad[i]);
		refused(input, &starts);
	}
	refused("{\"starts_at\": 1774776600}", &starts);
}
END_TEST

/* ---- DATE -------------------------------------------------------------- */

static const portal_field course_date = { .name = "date", .type = PORTAL_FIELD_DATE, .required = 1, .label = "Course date" };

START_TEST(date_real_dates_accepted)
{
	static const char *const ok[] = {
		"2026-03-29", "2024-02-29", "2000-02-29", "2026-12-31", "2026-01-01",
	};
	char input[64];
	json_t *v;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(input, sizeof(input), "{\"date\": \"%s\"}", ok[i]);
		v = pass(input, &course_date);
		ck_assert_str_eq(json_string_value(v), ok[i]);
		json_decref(v);
	}
}
END_TEST

START_TEST(date_feb_29_non_leap_rejected)
{
	fail_with("{\"date\": \"2026-02-29\"}", &course_date,
	    "Enter a course date as a real date, like 2026-03-29");
	refused("{\"date\": \"1900-02-29\"}", &course_date);
	refused("{\"date\": \"2100-02-29\"}", &course_date);
}
END_TEST

START_TEST(date_malformed_rejected)
{
	static const char *const bad[] = {
		"2026-04-31", "2026-00-10", "2026-01-00", "2026-1-10",
		"26-01-10", "2026/01/10", "2026-01-10T00:00:00Z", "2026-01-1x",
		"+026-01-10",
	};
	char input[64];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(input, sizeof(input), "{\"date\": \"%s\"}", bad[i]);
		refused(input, &course_date);
	}
	fail_with("{\"date\": \"\"}", &course_date, "Enter a course date");
}
END_TEST

/* ---- PHONE ------------------------------------------------------------- */

static const portal_field phone_field = { .name = "phone", .type = PORTAL_FIELD_PHONE, .required = 1, .label = "Referral phone line" };
static const portal_field phone_optional = { .name = "phone", .type = PORTAL_FIELD_PHONE, .label = "Phone number" };

START_TEST(phone_uk_numbers_accepted_as_typed)
{
	static const char *const good[] = {
		"020 7946 0000", "02079460000", "07700 900123", "0800 121 700", "01632 960 001",
		"+44 20 7946 0000", "+44 (0)20 7946-0000", "+44 (0)7700-900123", "0044 7700 900123", "116 123",
	};

	pass_each(good, COUNT(good), &phone_field);
}
END_TEST

START_TEST(phone_each_kind_of_wrong_number_refused)
{
	static const char *const bad[] = {
		"12345",                  /* too short */
		"020 7946 00",            /* 9 digits */
		"020 7946 00000 1",       /* 12 digits */
		"7946 0000 12",           /* no leading 0 */
		"+1 212 555 0100",        /* not UK */
		"+44 0 20 7946 0000",     /* a 0 after +44 without (0) */
		"(0)20 7946 0000",        /* (0) without +44 */
		"020 7946 0000 ext 12",   /* letters */
		"020+7946 0000",          /* + inside */
		"+++ ((( )))", "call me maybe",
		"0123456789012345678901234567890", /* over 30 characters */
	};

	fail_each(bad, COUNT(bad), &phone_field, "Enter a referral phone line: a UK number like 020 7946 0000 or 07700 900123");
	fail_with("{\"phone\": \"\"}", &phone_field, "Enter a referral phone line");
	fail_with("{\"phone\": 2079460000}", &phone_field, "Enter a referral phone line: a UK number like 020 7946 0000 or 07700 900123");
}
END_TEST

START_TEST(phone_optional_empty_kept_missing_left_out)
{
	json_t *v = pass("{\"phone\": \"  \"}", &phone_optional);

	ck_assert_str_eq(json_string_value(v), "");
	json_decref(v);
	ck_assert_ptr_null(pass("{}", &phone_optional));
	fail_with("{}", &phone_field, "Enter a referral phone line");
}
END_TEST

/* ---- EMAIL ------------------------------------------------------------- */

static const portal_field email_field = { .name = "email", .type = PORTAL_FIELD_EMAIL, .label = "Email address" };
static const portal_field email_required = { .name = "email", .type = PORTAL_FIELD_EMAIL, .required = 1, .max = 30, .label = "Email address" };

START_TEST(email_addresses_accepted)
{
	static const char *const good[] = {
		"referrals@example.org", "o'brien+intake@mail.example.co.uk", "A.B@Example.ORG", "x@a-b.example",
		"team_1@xn--bcher-kva.example", "first.last@sub.example.london",
	};

	pass_each(good, COUNT(good), &email_field);
}
END_TEST

START_TEST(email_each_kind_of_wrong_address_refused)
{
	static const char *const bad[] = {
		"referrals", "referrals@", "@example.org", "referrals@example", "referrals@example.o",
		"ref rals@example.org", "ref;rals@example.org", "refe(rals@example.org", "a@b@example.org",
		".a@example.org", "a.@example.org", "a..b@example.org", "a@-example.org", "a@example-.org",
		"a@example..org", "a@example.org.", "a@exa_mple.org", "a@example.o/g", "a@example.123",
		"<a@example.org>", "a@example.org\\nBcc: b@example.org",
	};

	fail_each(bad, COUNT(bad), &email_field, "Enter an email address like name@example.org");
	fail_with("{\"email\": \"a-longer-local-part@example.org\"}", &email_required,
	          "Email address must be 30 characters or fewer");
	fail_with("{\"email\": \"\"}", &email_required, "Enter an email address");
	fail_with("{\"email\": false}", &email_required, "Enter an email address like name@example.org");
}
END_TEST

/* ---- URL --------------------------------------------------------------- */

static const portal_field url_field = { .name = "website", .type = PORTAL_FIELD_URL, .max = 60, .label = "Website" };

START_TEST(url_http_and_https_addresses_accepted)
{
	static const char *const good[] = {
		"https://example.org", "https://example.org/", "http://www.example.org/a/b?c=1&d=2#e",
		"HTTPS://Example.ORG/Path", "https://example.org:8443/x", "https://a-b.example.london/%20x",
		"https://xn--bcher-kva.example/",
	};
	json_t *v;

	pass_each(good, COUNT(good), &url_field);
	v = pass("{\"website\": \"\"}", &url_field);
	ck_assert_str_eq(json_string_value(v), "");
	json_decref(v);
}
END_TEST

START_TEST(url_other_schemes_refused)
{
	static const char *const bad[] = {
		"javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "data:text/html,<b>x</b>",
		"ftp://example.org/", "example.org", "//example.org/", "https:/example.org", "mailto:a@example.org",
		"vbscript:msgbox(1)", "httpx://example.org",
	};

	fail_each(bad, COUNT(bad), &url_field, "Enter a website as a full web address starting https://, like https://example.org/");
}
END_TEST

START_TEST(url_bad_characters_and_hosts_refused)
{
	static const char *const chars[] = {
		"https://x.example/\\\"><script>alert(1)</script>", "https://x.example/a b", "https://x.example/<a>",
		"https://x.example/a'b", "https://x.example/a`b", "https://x.example/{x}", "https://x.example/%zz", "https://x.example/%2",
		"https://x.example/caf\u00e9", "https://x.example/\\u0001",
	};
	static const char *const hosts[] = {
		"https://", "https:///path", "https://user:pass@example.org/", "https://localhost/",
		"https://example/", "https://-x.example/", "https://x.example:/",
		"https://x.example:123456/", "https://x.example:80a/", "https://[::1]/", "https://x..example/",
	};

	fail_each(chars, COUNT(chars), &url_field,
	          "Enter a website without spaces, quotes or < >: copy it from the browser's address bar");
	fail_each(hosts, COUNT(hosts), &url_field, "Enter a website with the site's name after https://, like https://example.org/");
	refused("{\"website\": \"https://exa mple.org\"}", &url_field);
	fail_with("{\"website\": \"https://example.org/a-very-long-path-that-goes-on-past-the-field-max\"}",
	          &url_field, "Website must be 60 characters or fewer");
}
END_TEST

/* ---- LONDON_TIME ------------------------------------------------------- */

static const portal_field starts_field = { .name = "starts_at", .type = PORTAL_FIELD_LONDON_TIME, .required = 1, .label = "the session starts" };
static const portal_field closes_field = { .name = "closes_at", .type = PORTAL_FIELD_LONDON_TIME, .label = "booking closes" };

/* The starts_at field of a form with these parts: its RFC 3339 text, or
 * "!" and the message. */
static const char *london(const char *day, const char *month, const char *year, const char *time,
                          char *out, size_t len)
{
	char in[300];
	json_t *valid = NULL, *errors = NULL;

	snprintf(in, sizeof(in), "{\"starts_at_day\": \"%s\", \"starts_at_month\": \"%s\", "
	         "\"starts_at_year\": \"%s\", \"starts_at_time\": \"%s\", \"starts_at\": \"2020-01-01T00:00:00Z\"}",
	         day, month, year, time);
	if (run(in, &starts_field, &valid, &errors) == 0)
		snprintf(out, len, "%s", json_string_value(json_object_get(valid, "starts_at")));
	else
		snprintf(out, len, "!%s", json_string_value(json_object_get(errors, "starts_at")));
	json_decref(valid);
	json_decref(errors);
	return out;
}

START_TEST(london_time_parts_either_side_of_the_clock_change)
{
	char out[300];

	ck_assert_str_eq(london("15", "7", "2027", "09:30", out, sizeof(out)), "2027-07-15T09:30:00+01:00");
	ck_assert_str_eq(london("20", "1", "2027", "9:30", out, sizeof(out)), "2027-01-20T09:30:00+00:00");
	ck_assert_str_eq(london(" 1 ", "02", "2028", "14.05", out, sizeof(out)), "2028-02-01T14:05:00+00:00");
	ck_assert_str_eq(london("29", "2", "2028", "00:00", out, sizeof(out)), "2028-02-29T00:00:00+00:00");
	ck_assert_str_eq(london("28", "3", "2027", "02:00", out, sizeof(out)), "2027-03-28T02:00:00+01:00");
}
END_TEST

START_TEST(london_time_each_kind_of_wrong_part_refused)
{
	static const char *const bad[][5] = {
		{ "30", "2", "2027", "09:30", "!Enter the date the session starts as a real date, like 29 3 2026" },
		{ "31", "4", "2027", "09:30", "!Enter the date the session starts as a real date, like 29 3 2026" },
		{ "0", "1", "2027", "09:30", "!Enter the date the session starts as a real date, like 29 3 2026" },
		{ "1", "13", "2027", "09:30", "!Enter the date the session starts as a real date, like 29 3 2026" },
		{ "1", "1", "27", "09:30", "!Enter the date the session starts as a real date, like 29 3 2026" },
		{ "1x", "1", "2027", "09:30", "!Enter the date the session starts as a real date, like 29 3 2026" },
		{ "-1", "1", "2027", "09:30", "!Enter the date the session starts as a real date, like 29 3 2026" },
		{ "1", "1", "99999999999999999999", "09:30", "!Enter the date the session starts as a real date, like 29 3 2026" },
		{ "", "1", "2027", "09:30", "!Enter the date the session starts as a day, month and year, like 29 3 2026" },
		{ "1", "1", "2027", "", "!Enter the time the session starts, like 09:30" },
		{ "1", "1", "2027", "24:00", "!Enter the time the session starts on the 24-hour clock, like 09:30 or 14:00" },
		{ "1", "1", "2027", "9:3", "!Enter the time the session starts on the 24-hour clock, like 09:30 or 14:00" },
		{ "1", "1", "2027", "0930", "!Enter the time the session starts on the 24-hour clock, like 09:30 or 14:00" },
		{ "1", "1", "2027", "9:30am", "!Enter the time the session starts on the 24-hour clock, like 09:30 or 14:00" },
		/* the clocks go forward at 01:00 on 28 March 2027 */
		{ "28", "3", "2027", "01:30", "!The time the session starts does not exist in London that day, because "
		                              "the clocks go forward: choose another time" },
		{ "", "", "", "", "!Enter the date and time the session starts" },
	};
	char out[300];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_str_eq(london(bad[i][0], bad[i][1], bad[i][2], bad[i][3], out, sizeof(out)), bad[i][4]);
}
END_TEST

START_TEST(london_time_api_text_and_optional_blank)
{
	json_t *v = pass("{\"starts_at\": \"2027-07-15T09:30:00+01:00\"}", &starts_field);

	ck_assert_str_eq(json_string_value(v), "2027-07-15T09:30:00+01:00");
	json_decref(v);
	/* a year the portal cannot keep as an instant (before 1970) */
	fail_with("{\"starts_at\": \"0227-07-15T09:30:00+01:00\"}", &starts_field,
	          "Enter the date and time the session starts with its time zone, like 2026-03-29T09:30:00+01:00");
	fail_with("{\"starts_at\": \"2027-07-15 09:30\"}", &starts_field,
	          "Enter the date and time the session starts with its time zone, like 2026-03-29T09:30:00+01:00");
	fail_with("{\"starts_at\": 1784100600}", &starts_field,
	          "Enter the date and time the session starts with its time zone, like 2026-03-29T09:30:00+01:00");
	fail_with("{}", &starts_field, "Enter the date and time the session starts");
	/* blank parts of an optional time: left out, even beside a stored value */
	ck_assert_ptr_null(pass("{\"closes_at_day\": \"\", \"closes_at_month\": \" \", \"closes_at\": "
	                        "\"2027-07-15T09:30:00+01:00\"}", &closes_field));
	fail_with("{\"closes_at_day\": 3, \"closes_at_month\": \"1\", \"closes_at_year\": \"2027\", "
	          "\"closes_at_time\": \"09:00\"}", &closes_field, "Enter the date booking closes as a real date, like 29 3 2026");
}
END_TEST

/* A stored time put into a form's parts reads back as the same instant,
 * either side of the clock change. */
START_TEST(london_time_form_parts_read_back_as_the_instant)
{
	static const char *const times[] = { "2027-07-15T09:30:00+01:00", "2027-01-20T00:05:00+00:00",
	                                     "2027-10-31T00:59:00+01:00" };
	json_t *form, *valid = NULL, *errors = NULL;
	time_t t;
	size_t i;

	for (i = 0; i < COUNT(times); i++) {
		ck_assert_int_eq(portal_time_parse(times[i], &t), 0);
		form = json_object();
		ck_assert_int_eq(portal_form_london_time(form, "starts_at", t), 0);
		ck_assert_int_eq(portal_validate(form, (portal_fields){ &starts_field, 1 }, &valid, &errors), 0);
		ck_assert_str_eq(json_string_value(json_object_get(valid, "starts_at")), times[i]);
		json_decref(valid);
		json_decref(form);
	}
	form = json_object();
	ck_assert_int_eq(portal_form_london_time(form, "starts_at", t), 0);
	ck_assert_str_eq(json_string_value(json_object_get(form, "starts_at_time")), "00:59");
	ck_assert_str_eq(json_string_value(json_object_get(form, "starts_at_month")), "10");
	json_decref(form);
}
END_TEST

/* ---- TICKED ------------------------------------------------------------ */

static const portal_field ticked_field = { .name = "no_names", .type = PORTAL_FIELD_TICKED,
	.label = "that the reference names nobody" };

START_TEST(ticked_box_accepted_in_each_form)
{
	static const char *const good[] = {
		"{\"no_names\": true}", "{\"no_names\": \"on\"}", "{\"no_names\": \"yes\"}", "{\"no_names\": \" TRUE \"}",
		"{\"no_names\": \"1\"}",
	};
	json_t *v;
	size_t i;

	for (i = 0; i < COUNT(good); i++) {
		v = pass(good[i], &ticked_field);
		ck_assert(json_is_true(v));
		json_decref(v);
	}
}
END_TEST

START_TEST(ticked_box_not_ticked_refused_even_when_optional)
{
	static const char *const bad[] = {
		"{}", "{\"no_names\": null}", "{\"no_names\": false}", "{\"no_names\": \"\"}", "{\"no_names\": \"off\"}",
		"{\"no_names\": \"maybe\"}", "{\"no_names\": 1}",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		fail_with(bad[i], &ticked_field, "Tick the box to confirm that the reference names nobody");
}
END_TEST

START_TEST(form_ticked_is_the_one_rule_for_a_box)
{
	json_t *v;

	ck_assert_int_eq(portal_form_ticked(json_true()), 1);
	ck_assert_int_eq(portal_form_ticked(v = json_string(" On")), 1);
	json_decref(v);
	ck_assert_int_eq(portal_form_ticked(v = json_string("no")), 0);
	json_decref(v);
	ck_assert_int_eq(portal_form_ticked(json_false()), 0);
	ck_assert_int_eq(portal_form_ticked(NULL), 0);
}
END_TEST

/* ---- a module's own check, choices from a getter ----------------------- */

/* A check of a test's own: the code is lower-case letters only. */
static int lower_only(const json_t *v, char *msg, size_t msglen)
{
	const char *s = json_string_value(v);

	if (strspn(s, "abcdefghijklmnopqrstuvwxyz") == strlen(s))
		return 0;
	snprintf(msg, msglen, "Give the code in lower-case letters, like %s", "roma");
	return -1;
}

/* A check that refuses without a message. */
static int refuse_quietly(const json_t *v, char *msg, size_t msglen)
{
	return -1;
}

static const portal_field code_field = { .name = "code", .type = PORTAL_FIELD_STRING, .required = 1, .max = 10,
	.label = "Code", .check = lower_only };

START_TEST(check_callback_message_is_the_field_error)
{
	static const portal_field quiet = { .name = "code", .type = PORTAL_FIELD_STRING, .label = "Community code",
		.check = refuse_quietly };
	json_t *v = pass("{\"code\": \" roma \"}", &code_field);

	/* the check sees the converted (trimmed) value */
	ck_assert_str_eq(json_string_value(v), "roma");
	json_decref(v);
	fail_with("{\"code\": \"Roma\"}", &code_field, "Give the code in lower-case letters, like roma");
	/* the type's rule comes first; a missing field never reaches the check */
	fail_with("{\"code\": \"abcdefghijkl\"}", &code_field, "Code must be 10 characters or fewer");
	fail_with("{}", &code_field, "Enter code");
	fail_with("{\"code\": \"x\"}", &quiet, "Check community code");
}
END_TEST

static int getter_calls;

/* The choices of a list built at run time. */
static const char *const *built_choices(void)
{
	static const char *const built[] = { "newham", "hackney", NULL };

	getter_calls++;
	return built;
}

START_TEST(choices_come_from_a_getter_when_the_table_has_none)
{
	static const portal_field area = { .name = "area", .type = PORTAL_FIELD_ENUM, .required = 1,
		.choices_of = built_choices, .label = "Area" };
	static const portal_field areas = { .name = "area", .type = PORTAL_FIELD_ENUM_LIST,
		.choices_of = built_choices, .label = "Areas" };
	json_t *v;

	getter_calls = 0;
	v = pass("{\"area\": \"hackney\"}", &area);
	ck_assert_str_eq(json_string_value(v), "hackney");
	json_decref(v);
	ck_assert_int_gt(getter_calls, 0);
	fail_with("{\"area\": \"camden\"}", &area, "Choose an area, one of: newham, hackney");
	v = pass("{\"area\": \"newham,hackney\"}", &areas);
	ck_assert_int_eq(json_array_size(v), 2);
	json_decref(v);
	fail_with("{\"area\": [\"newham\", \"camden\"]}", &areas, "Choose areas only from: newham, hackney");
	ck_assert_ptr_eq(portal_field_choices(&area), built_choices());
}
END_TEST

START_TEST(choice_label_names_a_stored_code)
{
	static const char *const labels[] = { "Police", "Local authority", "Health", "NGO", "Other" };

	ck_assert_str_eq(portal_choice_label(agency_types, labels, "health"), "Health");
	ck_assert_str_eq(portal_choice_label(agency_types, labels, "other"), "Other");
	ck_assert_str_eq(portal_choice_label(agency_types, labels, "navy"), "navy");
	ck_assert_str_eq(portal_choice_label(agency_types, labels, NULL), "");
}
END_TEST

START_TEST(field_error_keeps_the_first_message)
{
	json_t *errors = NULL;

	ck_assert_int_eq(portal_field_error(&errors, "venue", "Enter the venue"), 0);
	ck_assert_int_eq(portal_field_error(&errors, "venue", "A later rule"), 0);
	ck_assert_int_eq(portal_field_error(&errors, "capacity", "Enter a capacity"), 0);
	ck_assert_int_eq(json_object_size(errors), 2);
	ck_assert_str_eq(json_string_value(json_object_get(errors, "venue")), "Enter the venue");
	json_decref(errors);
}
END_TEST

START_TEST(table_length_taken_from_the_table)
{
	static const portal_field fields[] = {
		{ .name = "a", .type = PORTAL_FIELD_STRING, .required = 1 },
		{ .name = "b", .type = PORTAL_FIELD_STRING, .required = 1 },
		{ .name = "c", .type = PORTAL_FIELD_STRING, .required = 1 },
	};
	static const portal_fields init = PORTAL_FIELDS_INIT(fields);
	json_t *valid = NULL, *errors = NULL;

	ck_assert_uint_eq(PORTAL_NFIELDS(fields), 3);
	ck_assert_uint_eq(init.n, 3);
	ck_assert_ptr_eq(PORTAL_FIELDS(fields).fields, fields);
	/* every field of the table is checked: the last one too */
	ck_assert_int_eq(portal_validate(NULL, init, &valid, &errors), -1);
	ck_assert_ptr_nonnull(json_object_get(errors, "c"));
	json_decref(valid);
	json_decref(errors);
}
END_TEST

/* ---- the table as a whole ---------------------------------------------- */

START_TEST(undeclared_fields_left_out)
{
	static const portal_field fields[] = {
		{ .name = "name", .type = PORTAL_FIELD_STRING, .required = 1, .label = "Name" },
		{ .name = "capacity", .type = PORTAL_FIELD_INT, .min = 1, .max = 500, .label = "Capacity" },
		{ .name = "notes", .type = PORTAL_FIELD_STRING, .label = "Notes" },
	};
	json_t *in = json_loads("{\"name\": \"Hope House\", \"capacity\": \"6\", "
	    "\"victim_name\": \"x\", \"admin\": true}", 0, NULL);
	json_t *valid = NULL, *errors = NULL;

	ck_assert_int_eq(portal_validate(in, PORTAL_FIELDS(fields), &valid, &errors), 0);
	ck_assert_int_eq(json_object_size(valid), 2);
	ck_assert_str_eq(json_string_value(json_object_get(valid, "name")), "Hope House");
	ck_assert_int_eq(json_integer_value(json_object_get(valid, "capacity")), 6);
	ck_assert_ptr_null(json_object_get(valid, "victim_name"));
	ck_assert_ptr_null(json_object_get(valid, "notes"));
	json_decref(valid);
	json_decref(in);
}
END_TEST

START_TEST(every_wrong_field_reported_at_once)
{
	static const portal_field fields[] = {
		{ .name = "name", .type = PORTAL_FIELD_STRING, .required = 1, .label = "Name" },
		{ .name = "capacity", .type = PORTAL_FIELD_INT, .required = 1, .min = 1, .max = 500, .label = "Capacity" },
		{ .name = "agency_type", .type = PORTAL_FIELD_ENUM, .required = 1, .choices = agency_types, .label = "Agency type" },
		{ .name = "date", .type = PORTAL_FIELD_DATE, .label = "Date" },
	};
	json_t *in = json_loads("{\"capacity\": \"600\", \"agency_type\": \"police\", "
	    "\"date\": \"2026-02-30\"}", 0, NULL);
	json_t *valid = (json_t *)fields, *errors = NULL;

	ck_assert_int_eq(portal_validate(in, PORTAL_FIELDS(fields), &valid, &errors), -1);
	/* per-field results: the field that is right is there for the rules
	 * across fields, beside the errors of the others */
	ck_assert_int_eq(json_object_size(valid), 1);
	ck_assert_str_eq(json_string_value(json_object_get(valid, "agency_type")), "police");
	json_decref(valid);
	ck_assert_int_eq(json_object_size(errors), 3);
	ck_assert_str_eq(json_string_value(json_object_get(errors, "name")), "Enter name");
	ck_assert_str_eq(json_string_value(json_object_get(errors, "capacity")),
	    "Enter a capacity between 1 and 500");
	ck_assert_ptr_nonnull(json_object_get(errors, "date"));
	ck_assert_ptr_null(json_object_get(errors, "agency_type"));
	json_decref(errors);
	json_decref(in);
}
END_TEST

START_TEST(null_or_non_object_input_counts_as_empty)
{
	static const portal_field opt = { .name = "q", .type = PORTAL_FIELD_STRING, .label = "Search" };
	json_t *valid = NULL, *errors = NULL, *arr = json_array();

	ck_assert_int_eq(portal_validate(NULL, (portal_fields){ &opt, 1 }, &valid, &errors), 0);
	ck_assert_int_eq(json_object_size(valid), 0);
	json_decref(valid);
	ck_assert_int_eq(portal_validate(arr, (portal_fields){ &name_field, 1 }, &valid, &errors), -1);
	ck_assert_str_eq(json_string_value(json_object_get(errors, "name")), "Enter full name");
	json_decref(errors);
	json_decref(valid);
	json_decref(arr);
}
END_TEST

START_TEST(label_missing_uses_name)
{
	static const portal_field f = { .name = "reference", .type = PORTAL_FIELD_STRING, .required = 1 };

	fail_with("{}", &f, "Enter reference");
}
END_TEST

START_TEST(label_acronym_kept_in_capitals)
{
	static const portal_field f = { .name = "ngo", .type = PORTAL_FIELD_ENUM, .required = 1, .choices = agency_types, .label = "NGO type" };

	fail_with("{}", &f, "Choose an NGO type");
}
END_TEST

/* Add the test cases of the phone, e-mail, URL, ticked and London time
 * types, and of a module's own rules, to s. */
static void add_shape_tests(Suite *s)
{
	TCase *shape = tcase_create("phone_email_url_ticked");
	TCase *lt = tcase_create("london_time");
	TCase *own = tcase_create("own_rules");

	tcase_add_test(shape, phone_uk_numbers_accepted_as_typed);
	tcase_add_test(shape, phone_each_kind_of_wrong_number_refused);
	tcase_add_test(shape, phone_optional_empty_kept_missing_left_out);
	tcase_add_test(shape, email_addresses_accepted);
	tcase_add_test(shape, email_each_kind_of_wrong_address_refused);
	tcase_add_test(shape, url_http_and_https_addresses_accepted);
	tcase_add_test(shape, url_other_schemes_refused);
	tcase_add_test(shape, url_bad_characters_and_hosts_refused);
	tcase_add_test(shape, ticked_box_accepted_in_each_form);
	tcase_add_test(shape, ticked_box_not_ticked_refused_even_when_optional);
	tcase_add_test(shape, form_ticked_is_the_one_rule_for_a_box);
	tcase_add_test(lt, london_time_parts_either_side_of_the_clock_change);
	tcase_add_test(lt, london_time_each_kind_of_wrong_part_refused);
	tcase_add_test(lt, london_time_api_text_and_optional_blank);
	tcase_add_test(lt, london_time_form_parts_read_back_as_the_instant);
	tcase_add_test(own, check_callback_message_is_the_field_error);
	tcase_add_test(own, choices_come_from_a_getter_when_the_table_has_none);
	tcase_add_test(own, field_error_keeps_the_first_message);
	tcase_add_test(own, choice_label_names_a_stored_code);
	suite_add_tcase(s, shape);
	suite_add_tcase(s, lt);
	suite_add_tcase(s, own);
}

/* Build the suite: one test case per field type, one for the table. */
static Suite *validate_suite(void)
{
	Suite *s = suite_create("validate");
	TCase *str = tcase_create("string");
	TCase *num = tcase_create("int");
	TCase *b = tcase_create("bool");
	TCase *en = tcase_create("enum");
	TCase *lst = tcase_create("lists");
	TCase *tm = tcase_create("time_and_date");
	TCase *tab = tcase_create("table");

	tcase_add_test(str, string_trimmed);
	tcase_add_test(str, string_required_missing_says_enter_label);
	tcase_add_test(str, string_length_counts_characters_not_bytes);
	tcase_add_test(str, string_too_short_rejected);
	tcase_add_test(str, string_only_max_bound_named);
	tcase_add_test(str, string_control_characters_rejected);
	tcase_add_test(str, string_embedded_nul_rejected);
	tcase_add_test(str, string_not_text_rejected);
	tcase_add_test(str, string_optional_empty_kept_as_empty_text);

	tcase_add_test(num, int_from_json_integer_and_string);
	tcase_add_test(num, int_out_of_range_names_the_range);
	tcase_add_test(num, int_with_trailing_junk_rejected);
	tcase_add_test(num, int_json_real_and_bool_rejected);
	tcase_add_test(num, int_overflow_rejected);
	tcase_add_test(num, int_zero_bounds_mean_unbounded);
	tcase_add_test(num, int_required_missing_says_enter_a_label);
	tcase_add_test(num, int_optional_empty_left_out);

	tcase_add_test(b, bool_from_json_and_form_words);
	tcase_add_test(b, bool_other_words_rejected);

	tcase_add_test(en, enum_choice_accepted);
	tcase_add_test(en, enum_unknown_choice_lists_choices);
	tcase_add_test(en, enum_required_missing_says_choose);

	tcase_add_test(lst, enum_list_from_array_repeated_field_or_commas);
	tcase_add_test(lst, enum_list_deduplicated_in_order);
	tcase_add_test(lst, enum_list_unknown_item_rejected);
	tcase_add_test(lst, enum_list_too_many_items_rejected);
	tcase_add_test(lst, enum_list_max_items_bounds_list);
	tcase_add_test(lst, enum_list_required_empty_rejected);
	tcase_add_test(lst, string_list_from_array_or_one_string);
	tcase_add_test(lst, string_list_item_rules_checked);

	tcase_add_test(tm, time_with_offset_kept_as_given);
	tcase_add_test(tm, time_without_offset_rejected);
	tcase_add_test(tm, time_impossible_values_rejected);
	tcase_add_test(tm, time_before_1970_rejected);
	tcase_add_test(tm, date_real_dates_accepted);
	tcase_add_test(tm, date_feb_29_non_leap_rejected);
	tcase_add_test(tm, date_malformed_rejected);

	tcase_add_test(tab, undeclared_fields_left_out);
	tcase_add_test(tab, every_wrong_field_reported_at_once);
	tcase_add_test(tab, null_or_non_object_input_counts_as_empty);
	tcase_add_test(tab, label_missing_uses_name);
	tcase_add_test(tab, label_acronym_kept_in_capitals);
	tcase_add_test(tab, table_length_taken_from_the_table);

	suite_add_tcase(s, str);
	suite_add_tcase(s, num);
	suite_add_tcase(s, b);
	suite_add_tcase(s, en);
	suite_add_tcase(s, lst);
	suite_add_tcase(s, tm);
	suite_add_tcase(s, tab);
	add_shape_tests(s);
	return s;
}

/* Run the suite in London time; exit status 0 only when every check passed. */
int main(void)
{
	SRunner *sr;
	int failed;

	portal_clock_init();  /* LONDON_TIME reads London time */
	sr = srunner_create(validate_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
