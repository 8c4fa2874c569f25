/* test_validate.c - declared-field validation (common/validate.c).
 *
 * Each test declares fields the way a handler would, feeds input shaped as
 * the parsers produce it (strings and arrays of strings from a form, typed
 * values from JSON) and checks the converted result or the message the
 * person would read.
 */
#include "validate.h"

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
	rc = portal_validate(in, f, 1, valid, errors);
	json_decref(in);
	if (rc == 0) {
		ck_assert_ptr_nonnull(*valid);
		ck_assert_ptr_null(*errors);
	} else {
		ck_assert_ptr_null(*valid);
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
}

/* Expect input to fail field f (any message). */
static void refused(const char *input, const portal_field *f)
{
	fail_with(input, f, NULL);
}

/* ---- STRING ------------------------------------------------------------ */

static const portal_field name_field = {
	"name", PORTAL_FIELD_STRING, 1, 2, 10, NULL, 0, "Full name"
};

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
	static const portal_field notes = {
		"notes", PORTAL_FIELD_STRING, 0, 0, 5, NULL, 0, "Notes"
	};
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
	ck_assert_int_eq(portal_validate(in, &name_field, 1, &valid, &errors), -1);
	ck_assert_ptr_nonnull(json_object_get(errors, "name"));
	json_decref(errors);
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
	static const portal_field notes = {
		"notes", PORTAL_FIELD_STRING, 0, 0, 0, NULL, 0, "Notes"
	};
	json_t *v = pass("{\"notes\": \"  \"}", &notes);

	ck_assert_str_eq(json_string_value(v), "");
	json_decref(v);
	ck_assert_ptr_null(pass("{}", &notes));
}
END_TEST

/* ---- INT --------------------------------------------------------------- */

static const portal_field capacity = {
	"capacity", PORTAL_FIELD_INT, 1, 1, 500, NULL, 0, "Capacity"
};

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
	static const portal_field any = {
		"n", PORTAL_FIELD_INT, 1, 0, 0, NULL, 0, "Number of places"
	};
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
	static const portal_field any = {
		"n", PORTAL_FIELD_INT, 0, 0, 0, NULL, 0, NULL
	};
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
	static const portal_field opt = {
		"n", PORTAL_FIELD_INT, 0, 1, 9, NULL, 0, "Beds"
	};

	ck_assert_ptr_null(pass("{\"n\": \" \"}", &opt));
	ck_assert_ptr_null(pass("{\"n\": null}", &opt));
}
END_TEST

/* ---- BOOL -------------------------------------------------------------- */

static const portal_field accessible = {
	"accessible", PORTAL_FIELD_BOOL, 0, 0, 0, NULL, 0, "Step-free access"
};

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

static const portal_field agency_type = {
	"agency_type", PORTAL_FIELD_ENUM, 1, 0, 0, agency_types, 0, "Agency type"
};

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

static const portal_field langs = {
	"languages", PORTAL_FIELD_ENUM_LIST, 0, 0, 3, languages, 0, "Languages"
};

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
	static const portal_field two = {
		"languages", PORTAL_FIELD_ENUM_LIST, 0, 0, 0, languages, 2, "Languages"
	};

	refused("{\"languages\": \"pl,ro,sq\"}", &two);
}
END_TEST

START_TEST(enum_list_required_empty_rejected)
{
	static const portal_field req = {
		"languages", PORTAL_FIELD_ENUM_LIST, 1, 0, 0, languages, 0, "Languages"
	};
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

static const portal_field boroughs = {
	"boroughs", PORTAL_FIELD_STRING_LIST, 0, 0, 14, NULL, 3, "Boroughs"
};

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

static const portal_field starts = {
	"starts_at", PORTAL_FIELD_TIME, 1, 0, 0, NULL, 0, "Start time"
};

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

static const portal_field course_date = {
	"date", PORTAL_FIELD_DATE, 1, 0, 0, NULL, 0, "Course date"
};

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

/* ---- the table as a whole ---------------------------------------------- */

START_TEST(undeclared_fields_left_out)
{
	static const portal_field fields[] = {
		{"name", PORTAL_FIELD_STRING, 1, 0, 0, NULL, 0, "Name"},
		{"capacity", PORTAL_FIELD_INT, 0, 1, 500, NULL, 0, "Capacity"},
		{"notes", PORTAL_FIELD_STRING, 0, 0, 0, NULL, 0, "Notes"},
	};
	json_t *in = json_loads("{\"name\": \"Hope House\", \"capacity\": \"6\", "
	    "\"victim_name\": \"x\", \"admin\": true}", 0, NULL);
	json_t *valid = NULL, *errors = NULL;

	ck_assert_int_eq(portal_validate(in, fields, 3, &valid, &errors), 0);
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
		{"name", PORTAL_FIELD_STRING, 1, 0, 0, NULL, 0, "Name"},
		{"capacity", PORTAL_FIELD_INT, 1, 1, 500, NULL, 0, "Capacity"},
		{"agency_type", PORTAL_FIELD_ENUM, 1, 0, 0, agency_types, 0, "Agency type"},
		{"date", PORTAL_FIELD_DATE, 0, 0, 0, NULL, 0, "Date"},
	};
	json_t *in = json_loads("{\"capacity\": \"600\", \"agency_type\": \"police\", "
	    "\"date\": \"2026-02-30\"}", 0, NULL);
	json_t *valid = (json_t *)fields, *errors = NULL;

	ck_assert_int_eq(portal_validate(in, fields, 4, &valid, &errors), -1);
	ck_assert_ptr_null(valid);
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
	static const portal_field opt = {
		"q", PORTAL_FIELD_STRING, 0, 0, 0, NULL, 0, "Search"
	};
	json_t *valid = NULL, *errors = NULL, *arr = json_array();

	ck_assert_int_eq(portal_validate(NULL, &opt, 1, &valid, &errors), 0);
	ck_assert_int_eq(json_object_size(valid), 0);
	json_decref(valid);
	ck_assert_int_eq(portal_validate(arr, &name_field, 1, &valid, &errors), -1);
	ck_assert_str_eq(json_string_value(json_object_get(errors, "name")), "Enter full name");
	json_decref(errors);
	json_decref(arr);
}
END_TEST

START_TEST(label_missing_uses_name)
{
	static const portal_field f = {
		"reference", PORTAL_FIELD_STRING, 1, 0, 0, NULL, 0, NULL
	};

	fail_with("{}", &f, "Enter reference");
}
END_TEST

START_TEST(label_acronym_kept_in_capitals)
{
	static const portal_field f = {
		"ngo", PORTAL_FIELD_ENUM, 1, 0, 0, agency_types, 0, "NGO type"
	};

	fail_with("{}", &f, "Choose an NGO type");
}
END_TEST

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
	tcase_add_test(tm, date_real_dates_accepted);
	tcase_add_test(tm, date_feb_29_non_leap_rejected);
	tcase_add_test(tm, date_malformed_rejected);

	tcase_add_test(tab, undeclared_fields_left_out);
	tcase_add_test(tab, every_wrong_field_reported_at_once);
	tcase_add_test(tab, null_or_non_object_input_counts_as_empty);
	tcase_add_test(tab, label_missing_uses_name);
	tcase_add_test(tab, label_acronym_kept_in_capitals);

	suite_add_tcase(s, str);
	suite_add_tcase(s, num);
	suite_add_tcase(s, b);
	suite_add_tcase(s, en);
	suite_add_tcase(s, lst);
	suite_add_tcase(s, tm);
	suite_add_tcase(s, tab);
	return s;
}

/* Run the suite; exit status 0 only when every check passed. */
int main(void)
{
	SRunner *sr = srunner_create(validate_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
