/* test_training_forms.c - the training module's page forms
 * (modules/training/fields.c): date and time parts in London time,
 * the API input a session form becomes, and stored values back into a form. */
#include "../../modules/training/fields.c"

#include <check.h>
#include <stdlib.h>

#include "clock.h"

/* A form object of the parts of `name`. */
static json_t *parts(const char *name, const char *day, const char *month, const char *year, const char *time)
{
	char k[64];
	json_t *f = json_object();

	snprintf(k, sizeof(k), "%s_day", name);
	json_object_set_new(f, k, json_string(day));
	snprintf(k, sizeof(k), "%s_month", name);
	json_object_set_new(f, k, json_string(month));
	snprintf(k, sizeof(k), "%s_year", name);
	json_object_set_new(f, k, json_string(year));
	snprintf(k, sizeof(k), "%s_time", name);
	json_object_set_new(f, k, json_string(time));
	return f;
}

/* The RFC 3339 text of the parts, or the rc when they are refused. */
static const char *as_rfc(const char *day, const char *month, const char *year, const char *time, char *out, size_t len)
{
	json_t *f = parts("starts_at", day, month, year, time);
	char msg[200];
	time_t t;
	int rc = training_form_time(f, "starts_at", "the session starts", &t, msg, sizeof(msg));

	json_decref(f);
	if (rc != 0)
		snprintf(out, len, "rc=%d", rc);
	else
		portal_time_format(t, out, len);
	return out;
}

START_TEST(form_time_is_london_time_either_side_of_the_clock_change)
{
	char out[40];

	ck_assert_str_eq(as_rfc("15", "7", "2027", "09:30", out, sizeof(out)), "2027-07-15T09:30:00+01:00");
	ck_assert_str_eq(as_rfc("20", "1", "2027", "9:30", out, sizeof(out)), "2027-01-20T09:30:00+00:00");
	ck_assert_str_eq(as_rfc(" 1 ", "02", "2028", "14.05", out, sizeof(out)), "2028-02-01T14:05:00+00:00");
	ck_assert_str_eq(as_rfc("29", "2", "2028", "00:00", out, sizeof(out)), "2028-02-29T00:00:00+00:00");
}
END_TEST

START_TEST(form_time_refuses_unreal_dates_bad_times_and_the_skipped_hour)
{
	static const char *const bad[][4] = {
		{ "30", "2", "2027", "09:30" }, { "31", "4", "2027", "09:30" }, { "0", "1", "2027", "09:30" },
		{ "1", "13", "2027", "09:30" }, { "1", "1", "27", "09:30" }, { "1", "1", "2027", "24:00" },
		{ "1", "1", "2027", "9:3" }, { "1", "1", "2027", "0930" }, { "1", "1", "2027", "9:30am" },
		{ "1x", "1", "2027", "09:30" }, { "-1", "1", "2027", "09:30" }, { "1", "1", "2027", "" },
		{ "", "1", "2027", "09:30" }, { "1", "1", "99999999999999999999", "09:30" },
		{ "28", "3", "2027", "01:30" },  /* the clocks go forward at 01:00 that Sunday */
	};
	char out[40];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(strcmp(as_rfc(bad[i][0], bad[i][1], bad[i][2], bad[i][3], out, sizeof(out)), "rc=-1") == 0,
		              "accepted %s %s %s %s as %s", bad[i][0], bad[i][1], bad[i][2], bad[i][3], out);
	ck_assert_str_eq(as_rfc("", "", "", "", out, sizeof(out)), "rc=1");
}
END_TEST

START_TEST(form_time_messages_say_what_to_fix)
{
	json_t *f = parts("ends_at", "28", "3", "2027", "01:15");
	char msg[200];
	time_t t;

	ck_assert_int_eq(training_form_time(f, "ends_at", "the session ends", &t, msg, sizeof(msg)), -1);
	ck_assert_ptr_nonnull(strstr(msg, "clocks go forward"));
	json_decref(f);
	f = parts("ends_at", "1", "1", "2027", "");
	ck_assert_int_eq(training_form_time(f, "ends_at", "the session ends", &t, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "Enter the time the session ends, like 09:30");
	json_decref(f);
}
END_TEST

START_TEST(session_form_input_gives_the_api_fields_and_names_wrong_times)
{
	json_t *form = parts("starts_at", "15", "7", "2027", "09:30"), *ends = parts("ends_at", "15", "7", "2027", "99:00");
	json_t *errors = NULL, *in;

	json_object_update(form, ends);
	json_decref(ends);
	json_object_set_new(form, "agency_seats", json_string("{\"police\":400}"));
	json_object_set_new(form, "capacity", json_string("10"));
	in = training_session_form_input(form, &errors);
	ck_assert_str_eq(json_string_value(json_object_get(in, "starts_at")), "2027-07-15T09:30:00+01:00");
	ck_assert_str_eq(json_string_value(json_object_get(in, "ends_at")), "");
	ck_assert_str_eq(json_string_value(json_object_get(in, "booking_closes_at")), "");
	ck_assert(json_is_false(json_object_get(in, "online")));
	ck_assert_ptr_null(json_object_get(in, "agency_seats"));
	ck_assert_str_eq(json_string_value(json_object_get(in, "capacity")), "10");
	ck_assert_ptr_nonnull(errors);
	ck_assert_int_eq(json_object_size(errors), 1);   /* blank booking close is fine */
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(errors, "ends_at")), "24-hour clock"));
	json_decref(in);
	json_decref(errors);
	errors = NULL;
	in = training_session_form_input(NULL, &errors);
	ck_assert_ptr_nonnull(json_object_get(errors, "starts_at"));
	ck_assert_ptr_nonnull(json_object_get(errors, "ends_at"));
	ck_assert_ptr_null(json_object_get(errors, "booking_closes_at"));
	json_decref(in);
	json_decref(errors);
	json_decref(form);
}
END_TEST

START_TEST(stored_session_becomes_form_values_in_london_time)
{
	time_t starts, ends;
	json_t *s, *f, *seats;
	char st[24], en[24];

	ck_assert_int_eq(portal_time_parse("2027-07-15T09:30:00+01:00", &starts), 0);
	ck_assert_int_eq(portal_time_parse("2027-07-15T12:00:00+01:00", &ends), 0);
	snprintf(st, sizeof(st), "%lld", (long long)starts);
	snprintf(en, sizeof(en), "%lld", (long long)ends);
	s = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "starts_at", st, "ends_at", en, "booking_closes_at", st,
	              "venue", "Room 1", "online", "0", "capacity", "12", "seats:police", "3", "seats:health", "2");
	f = training_session_form_values(s);
	ck_assert_str_eq(json_string_value(json_object_get(f, "starts_at_day")), "15");
	ck_assert_str_eq(json_string_value(json_object_get(f, "starts_at_month")), "7");
	ck_assert_str_eq(json_string_value(json_object_get(f, "starts_at_year")), "2027");
	ck_assert_str_eq(json_string_value(json_object_get(f, "starts_at_time")), "09:30");
	ck_assert_str_eq(json_string_value(json_object_get(f, "ends_at_time")), "12:00");
	ck_assert_ptr_null(json_object_get(f, "booking_closes_at_day"));  /* closes at the start: left blank */
	ck_assert_ptr_null(json_object_get(f, "online"));
	ck_assert_str_eq(json_string_value(json_object_get(f, "capacity")), "12");
	ck_assert_str_eq(json_string_value(json_object_get(f, "seats_police")), "3");
	ck_assert_str_eq(json_string_value(json_object_get(f, "seats_ngo")), "0");
	seats = training_seat_fields(f);
	ck_assert_int_eq(json_array_size(seats), TRAINING_AGENCY_TYPE_COUNT);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(seats, 0), "id")), "agency_seats");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(seats, 0), "value")), "3");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(seats, 2), "name")), "seats_health");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(seats, 2), "id")), "seats_health");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(seats, 2), "value")), "2");
	json_decref(seats);
	json_decref(f);
	json_decref(s);
}
END_TEST

START_TEST(page_messages_override_the_api_messages_for_a_field)
{
	json_t *errors = json_pack("{s:s, s:s}", "starts_at", "Enter the start as RFC 3339", "capacity", "Enter a capacity");
	json_t *over = json_pack("{s:s}", "starts_at", "Enter the date the session starts");

	training_errors_override(errors, over);
	ck_assert_str_eq(json_string_value(json_object_get(errors, "starts_at")), "Enter the date the session starts");
	ck_assert_str_eq(json_string_value(json_object_get(errors, "capacity")), "Enter a capacity");
	json_decref(over);
	json_decref(errors);
}
END_TEST

/* The suite. */
static Suite *training_forms_suite(void)
{
	Suite *s = suite_create("training_forms");
	TCase *tc = tcase_create("forms");

	tcase_add_test(tc, form_time_is_london_time_either_side_of_the_clock_change);
	tcase_add_test(tc, form_time_refuses_unreal_dates_bad_times_and_the_skipped_hour);
	tcase_add_test(tc, form_time_messages_say_what_to_fix);
	tcase_add_test(tc, session_form_input_gives_the_api_fields_and_names_wrong_times);
	tcase_add_test(tc, stored_session_becomes_form_values_in_london_time);
	tcase_add_test(tc, page_messages_override_the_api_messages_for_a_field);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite in London time. */
int main(void)
{
	SRunner *sr;
	int failed;

	portal_clock_init();
	sr = srunner_create(training_forms_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
