/* test_training_forms.c - the training module's page forms
 * (modules/training/fields.c): the session table's date and time parts in
 * London time and its joining link, the API input a session form becomes,
 * and stored values back into a form. */
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

/* The session table's validated `name` of `form` (a new reference to its
 * text), or its error message; "" when neither. */
static const char *session_field(const json_t *form, const char *name, char *out, size_t len)
{
	json_t *v = NULL, *errors = NULL;
	const char *s;

	portal_validate(form, training_session_fields, &v, &errors);
	if ((s = json_string_value(json_object_get(v, name))) == NULL)
		s = json_string_value(json_object_get(errors, name));
	snprintf(out, len, "%s", s ? s : "");
	json_decref(v);
	json_decref(errors);
	return out;
}

/* A page's date and time parts are the table's LONDON_TIME fields: London
 * time either side of the clock change, RFC 3339 out. */
START_TEST(form_time_is_london_time_either_side_of_the_clock_change)
{
	json_t *f = parts("starts_at", "15", "7", "2027", "09:30"), *g = parts("ends_at", "20", "1", "2027", "9:30");
	char out[200];

	json_object_update(f, g);
	ck_assert_str_eq(session_field(f, "starts_at", out, sizeof(out)), "2027-07-15T09:30:00+01:00");
	ck_assert_str_eq(session_field(f, "ends_at", out, sizeof(out)), "2027-01-20T09:30:00+00:00");
	json_decref(g);
	json_decref(f);
}
END_TEST

/* The session table's time messages name the time the way the page does. */
START_TEST(form_time_messages_say_what_to_fix)
{
	json_t *f = parts("ends_at", "28", "3", "2027", "01:15"), *g = parts("starts_at", "30", "2", "2027", "09:30");
	json_t *h = parts("booking_closes_at", "1", "1", "2027", "");
	char out[200];

	json_object_update(f, g);
	json_object_update(f, h);
	ck_assert_str_eq(session_field(f, "ends_at", out, sizeof(out)),
	                 "The time the session ends does not exist in London that day, because the clocks go forward: "
	                 "choose another time");
	ck_assert_str_eq(session_field(f, "starts_at", out, sizeof(out)),
	                 "Enter the date the session starts as a real date, like 29 3 2026");
	ck_assert_str_eq(session_field(f, "booking_closes_at", out, sizeof(out)), "Enter the time booking closes, like 09:30");
	json_decref(f);
	json_decref(g);
	json_decref(h);
	f = json_pack("{s:s}", "starts_at", "tomorrow");
	ck_assert_str_eq(session_field(f, "starts_at", out, sizeof(out)),
	                 "Enter the date and time the session starts with its time zone, like 2026-03-29T09:30:00+01:00");
	ck_assert_str_eq(session_field(f, "ends_at", out, sizeof(out)), "Enter the date and time the session ends");
	json_decref(f);
}
END_TEST

/* The joining link: a web address (no javascript:), https only (the
 * module's own check), empty allowed. */
START_TEST(joining_link_is_an_https_address)
{
	json_t *f = json_pack("{s:s}", "join_link", "http://meet.example.org/a");
	char out[200];

	ck_assert_str_eq(session_field(f, "join_link", out, sizeof(out)),
	                 "Enter the joining link as a web address starting with https://");
	json_object_set_new(f, "join_link", json_string("javascript:alert(1)"));
	ck_assert_str_eq(session_field(f, "join_link", out, sizeof(out)),
	                 "Enter a joining link as a full web address starting https://, like https://example.org/");
	json_object_set_new(f, "join_link", json_string("HTTPS://meet.example.org/a?b=1"));
	ck_assert_str_eq(session_field(f, "join_link", out, sizeof(out)), "HTTPS://meet.example.org/a?b=1");
	json_object_set_new(f, "join_link", json_string(""));
	ck_assert_str_eq(session_field(f, "join_link", out, sizeof(out)), "");
	json_decref(f);
}
END_TEST

/* A session form becomes the API's input: the parts stay for the table,
 * "online" is false when unticked, a form's "agency_seats" is dropped; the
 * rules across fields then speak of the times that were right. */
START_TEST(session_form_input_gives_the_api_fields_and_names_wrong_times)
{
	json_t *form = parts("starts_at", "15", "7", "2027", "09:30"), *ends = parts("ends_at", "15", "7", "2027", "99:00");
	json_t *errors = NULL, *in, *v = NULL;
	training_session_input si;
	time_t now = 0;

	json_object_update(form, ends);
	json_decref(ends);
	json_object_set_new(form, "agency_seats", json_string("{\"police\":400}"));
	json_object_set_new(form, "capacity", json_string("10"));
	json_object_set_new(form, "course_id", json_string("1"));
	json_object_set_new(form, "venue", json_string("Room 1"));
	in = training_session_form_input(form);
	ck_assert(json_is_false(json_object_get(in, "online")));
	ck_assert_ptr_null(json_object_get(in, "agency_seats"));
	ck_assert_str_eq(json_string_value(json_object_get(in, "capacity")), "10");
	ck_assert_int_eq(portal_validate(in, training_session_fields, &v, &errors), -1);
	training_session_rules(in, v, now, &errors, &si);
	ck_assert_str_eq(json_string_value(json_object_get(v, "starts_at")), "2027-07-15T09:30:00+01:00");
	ck_assert_int_eq(json_object_size(errors), 1);   /* blank booking close is fine */
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(errors, "ends_at")), "24-hour clock"));
	ck_assert_int_eq(si.closes, si.starts);
	json_decref(in);
	json_decref(v);
	json_decref(errors);
	errors = NULL;
	in = training_session_form_input(NULL);
	ck_assert_int_eq(portal_validate(in, training_session_fields, &v, &errors), -1);
	ck_assert_ptr_nonnull(json_object_get(errors, "starts_at"));
	ck_assert_ptr_nonnull(json_object_get(errors, "ends_at"));
	ck_assert_ptr_null(json_object_get(errors, "booking_closes_at"));
	json_decref(in);
	json_decref(v);
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

/* The suite. */
static Suite *training_forms_suite(void)
{
	Suite *s = suite_create("training_forms");
	TCase *tc = tcase_create("forms");

	tcase_add_test(tc, form_time_is_london_time_either_side_of_the_clock_change);
	tcase_add_test(tc, form_time_messages_say_what_to_fix);
	tcase_add_test(tc, session_form_input_gives_the_api_fields_and_names_wrong_times);
	tcase_add_test(tc, stored_session_becomes_form_values_in_london_time);
	tcase_add_test(tc, joining_link_is_an_https_address);
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
