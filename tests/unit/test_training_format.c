/* test_training_format.c - the training module's pure functions
 * (modules/training/fields.c): booking ids, seats set aside, the roster
 * and uptake CSV, the uptake counters (the calendar file: test_ics.c). */
#include "../../modules/training/fields.c"
#include "../../modules/training/views.c"
#include "../../modules/training/format.c"

#include <check.h>
#include <stdlib.h>

#include "clock.h"

START_TEST(booking_id_parses_session_and_number)
{
	long long s = 0, n = 0;

	ck_assert_int_eq(training_parse_booking_id("12-345", &s, &n), 0);
	ck_assert_int_eq(s, 12);
	ck_assert_int_eq(n, 345);
}
END_TEST

START_TEST(booking_id_refuses_junk_signs_zeros_and_huge_numbers)
{
	static const char *const bad[] = { "", "-", "12", "12-", "-3", "a-1", "1-a", "01-2", "1-02", "1--2",
	                                   "1-2-3", "+1-2", "1- 2", "99999999999999-1", "1-1000000000001", NULL };
	long long s, n;
	size_t i;

	for (i = 0; bad[i]; i++)
		ck_assert_msg(training_parse_booking_id(bad[i], &s, &n) < 0, "accepted %s", bad[i]);
	ck_assert_int_lt(training_parse_booking_id(NULL, &s, &n), 0);
	ck_assert_int_lt(training_parse_id("0", &s), 0);
	ck_assert_int_eq(training_parse_id("1000000000000", &s), 0);
}
END_TEST

START_TEST(agency_seats_from_json_object_and_form_fields)
{
	long long seats[TRAINING_AGENCY_TYPE_COUNT];
	char msg[200];
	json_t *in = json_pack("{s:{s:i, s:s}}", "agency_seats", "police", 4, "health", "2");

	ck_assert_int_eq(training_parse_agency_seats(in, 10, seats, msg, sizeof(msg)), 0);
	ck_assert_int_eq(seats[0], 4);
	ck_assert_int_eq(seats[2], 2);
	ck_assert_int_eq(seats[1], 0);
	json_decref(in);
	in = json_pack("{s:s, s:s}", "seats_local_authority", "3", "seats_ngo", "");
	ck_assert_int_eq(training_parse_agency_seats(in, 10, seats, msg, sizeof(msg)), 0);
	ck_assert_int_eq(seats[1], 3);
	ck_assert_int_eq(seats[3], 0);
	json_decref(in);
}
END_TEST

START_TEST(agency_seats_refuse_unknown_type_negative_and_more_than_capacity)
{
	long long seats[TRAINING_AGENCY_TYPE_COUNT];
	char msg[200];
	json_t *in;

	in = json_pack("{s:{s:i}}", "agency_seats", "probation", 1);
	ck_assert_int_lt(training_parse_agency_seats(in, 10, seats, msg, sizeof(msg)), 0);
	ck_assert_ptr_nonnull(strstr(msg, "police, local_authority, health, ngo, other"));
	json_decref(in);
	in = json_pack("{s:{s:i}}", "agency_seats", "police", -1);
	ck_assert_int_lt(training_parse_agency_seats(in, 10, seats, msg, sizeof(msg)), 0);
	json_decref(in);
	in = json_pack("{s:{s:i, s:i}}", "agency_seats", "police", 6, "health", 5);
	ck_assert_int_lt(training_parse_agency_seats(in, 10, seats, msg, sizeof(msg)), 0);
	ck_assert_ptr_nonnull(strstr(msg, "capacity (10)"));
	json_decref(in);
	in = json_pack("{s:s}", "seats_police", "2x");
	ck_assert_int_lt(training_parse_agency_seats(in, 10, seats, msg, sizeof(msg)), 0);
	json_decref(in);
	in = json_pack("{s:[i]}", "agency_seats", 1);
	ck_assert_int_lt(training_parse_agency_seats(in, 10, seats, msg, sizeof(msg)), 0);
	json_decref(in);
}
END_TEST

/* `when` (RFC 3339) in words, seen from `now`. */
static const char *words_of(const char *when, const char *now)
{
	static char out[80];
	time_t t, n;

	ck_assert_int_eq(portal_time_parse(when, &t), 0);
	ck_assert_int_eq(portal_time_parse(now, &n), 0);
	portal_time_words(t, n, out, sizeof(out));
	return out;
}

START_TEST(times_in_words_in_london_time_with_the_year_only_when_not_this_year)
{
	ck_assert_str_eq(words_of("2026-12-05T01:08:00Z", "2026-12-01T10:00:00Z"), "1:08am on Saturday 5 December");
	ck_assert_str_eq(words_of("2027-06-10T08:30:00Z", "2026-12-01T10:00:00Z"), "9:30am on Thursday 10 June 2027");
	ck_assert_str_eq(words_of("2026-12-05T12:00:00Z", "2026-12-01T10:00:00Z"), "midday on Saturday 5 December");
	ck_assert_str_eq(words_of("2026-12-05T00:00:00Z", "2026-12-01T10:00:00Z"), "midnight on Saturday 5 December");
	ck_assert_str_eq(words_of("2026-12-05T15:00:00Z", "2026-12-01T10:00:00Z"), "3pm on Saturday 5 December");
	{
		/* found by fuzz_cases_input: a year past int's range read before the month names */
		char far[80] = "x";
		ck_assert_uint_eq(portal_time_words((time_t)0x7fffffffffffffffLL, 0, far, sizeof(far)), 0);
		ck_assert_str_eq(far, "");
	}
	ck_assert_str_eq(words_of("2026-12-05T12:30:00Z", "2026-12-01T10:00:00Z"), "12:30pm on Saturday 5 December");
}
END_TEST

START_TEST(roster_csv_quotes_fields_and_guards_formulas)
{
	json_t *roster = json_pack("[{s:s, s:s, s:s, s:s, s:s, s:i}, {s:s, s:s, s:s, s:s, s:s, s:i}]",
	        "name", "Ann \"Nan\" Lee", "agency_name", "Health, North", "agency_type", "health",
	        "status", "confirmed", "attendance", "attended", "waitlist_position", 0,
	        "name", "=cmd()", "agency_name", "Met", "agency_type", "police",
	        "status", "waitlisted", "attendance", "", "waitlist_position", 2);
	portal_buf b;

	portal_buf_init(&b, 0);
	ck_assert_int_eq(training_roster_csv(&b, roster), 0);
	ck_assert_str_eq(b.data,
	        "name,agency,agency_type,status,waitlist_position,attendance\r\n"
	        "\"Ann \"\"Nan\"\" Lee\",\"Health, North\",health,confirmed,,attended\r\n"
	        "\"'=cmd()\",Met,police,waitlisted,2,\r\n");
	portal_buf_free(&b);
	json_decref(roster);
}
END_TEST

START_TEST(uptake_counts_only_live_bookings_and_attended_only_when_confirmed)
{
	json_t *report = json_object(), *done;
	json_t *session = json_pack("{s:s, s:s}", "course_id", "1", "course_title", "NRM");
	json_t *bookings = json_pack("[{s:s, s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s, s:s}]",
	        "status", "confirmed", "attendance", "attended", "agency_type", "police", "agency_id", "met", "agency_name", "Met",
	        "status", "waitlisted", "attendance", "", "agency_type", "police", "agency_id", "met", "agency_name", "Met",
	        "status", "cancelled", "attendance", "", "agency_type", "health", "agency_id", "nhs", "agency_name", "NHS");
	const json_t *row;
	portal_buf b;

	training_report_add(report, session, bookings);
	done = training_report_finish(report);
	ck_assert_int_eq(json_array_size(json_object_get(done, "agency_types")), 1);
	row = json_array_get(json_object_get(done, "agency_types"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(row, "label")), "Police");
	ck_assert_int_eq(json_integer_value(json_object_get(row, "confirmed")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(row, "waitlisted")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(row, "attended")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(row, "bar_confirmed")), 100);
	portal_buf_init(&b, 0);
	ck_assert_int_eq(training_uptake_csv(&b, done), 0);
	ck_assert_ptr_nonnull(strstr(b.data, "agency_type,police,Police,1,1,1,0,0\r\n"));
	ck_assert_ptr_nonnull(strstr(b.data, "course,1,NRM,1,1,1,0,0\r\n"));
	portal_buf_free(&b);
	json_decref(done);
	json_decref(report);
	json_decref(session);
	json_decref(bookings);
}
END_TEST

START_TEST(uptake_seed_lists_every_agency_type_and_course_with_zeros)
{
	json_t *report = json_object(), *done;
	json_t *courses = json_pack("[{s:s, s:s}, {s:s, s:s}]", "id", "1", "title", "NRM", "id", "7", "title", "Unbooked");
	json_t *session = json_pack("{s:s, s:s}", "course_id", "1", "course_title", "NRM");
	json_t *bookings = json_pack("[{s:s, s:s, s:s, s:s, s:s}]", "status", "confirmed", "attendance", "",
	        "agency_type", "health", "agency_id", "nhs", "agency_name", "NHS");
	const json_t *row;
	size_t i, zeros = 0;

	training_report_seed(report, courses);
	training_report_add(report, session, bookings);
	done = training_report_finish(report);
	ck_assert_int_eq(json_array_size(json_object_get(done, "agency_types")), TRAINING_AGENCY_TYPE_COUNT);
	json_array_foreach(json_object_get(done, "agency_types"), i, row) {
		long long c = json_integer_value(json_object_get(row, "confirmed"));
		ck_assert_int_eq(c, strcmp(json_string_value(json_object_get(row, "key")), "health") == 0 ? 1 : 0);
		zeros += c == 0;
	}
	ck_assert_int_eq(zeros, TRAINING_AGENCY_TYPE_COUNT - 1);
	ck_assert_int_eq(json_array_size(json_object_get(done, "courses")), 2);
	row = json_array_get(json_object_get(done, "courses"), 1);   /* by label: NRM, Unbooked */
	ck_assert_str_eq(json_string_value(json_object_get(row, "label")), "Unbooked");
	ck_assert_int_eq(json_integer_value(json_object_get(row, "confirmed")), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(row, "no_show")), 0);
	ck_assert_int_eq(json_array_size(json_object_get(done, "agencies")), 1);
	json_decref(done);
	json_decref(report);
	json_decref(courses);
	json_decref(session);
	json_decref(bookings);
}
END_TEST

/* ---- feedback (issue 18) ------------------------------------------------- */

START_TEST(feedback_scores_come_from_the_api_arrays_or_the_page_radios_one_per_outcome)
{
	json_t *outcomes = json_pack("[s, s]", "Spot it", "Refer it"), *errors = NULL;
	json_t *api = json_pack("{s:[i,i], s:[i,i]}", "confidence_before", 2, 3, "confidence_after", 4, 5);
	json_t *page = json_pack("{s:s, s:s, s:s}", "confidence_before_1", "1", "confidence_before_2", "5",
	                         "confidence_after_1", "3");
	training_feedback_input in;

	training_feedback_rules(api, outcomes, 1, &errors, &in);
	ck_assert_ptr_null(errors);
	ck_assert_uint_eq(in.outcomes, 2);
	ck_assert_int_eq(in.before[1], 3);
	ck_assert_int_eq(in.after[0], 4);
	training_feedback_rules(page, outcomes, 0, &errors, &in);
	ck_assert_int_eq(in.before[0], 1);
	ck_assert_int_eq(in.after[0], 3);
	/* the unanswered radio is named, with its outcome, under its own name */
	ck_assert_uint_eq(json_object_size(errors), 1);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(errors, "confidence_after_2")), "after the session in: Refer it"));
	json_decref(errors);
	errors = NULL;
	json_array_remove(json_object_get(api, "confidence_after"), 1);
	json_array_set_new(json_object_get(api, "confidence_before"), 0, json_integer(6));
	training_feedback_rules(api, outcomes, 1, &errors, &in);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(errors, "confidence_before")), "from 1 to 5"));
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(errors, "confidence_after")), "a list of 2"));
	json_decref(errors);
	json_decref(api);
	json_decref(page);
	json_decref(outcomes);
}
END_TEST

START_TEST(learning_outcomes_are_at_most_five_short_lines_without_personal_data)
{
	json_t *v = NULL, *errors = NULL;
	json_t *course = json_pack("{s:s, s:s, s:i, s:[s, s, s]}", "title", "Course", "summary", "S", "duration_minutes", 60,
	                           "learning_outcomes", "Spot it", "", "Born 3rd March 1985 is a date");

	ck_assert_int_eq(portal_validate(course, training_course_fields, &v, &errors), -1);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(errors, "learning_outcomes")), "Learning outcome 2:"));
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(errors, "learning_outcomes")), "date of birth"));
	json_decref(v);
	json_decref(errors);
	json_array_set_new(json_object_get(course, "learning_outcomes"), 2, json_string("Refer it"));
	ck_assert_int_eq(portal_validate(course, training_course_fields, &v, &errors), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(v, "learning_outcomes")), 2);   /* the blank one skipped */
	json_decref(v);
	json_object_set_new(course, "learning_outcomes", json_pack("[s,s,s,s,s,s]", "aaa", "bbb", "ccc", "ddd", "eee", "fff"));
	ck_assert_int_eq(portal_validate(course, training_course_fields, &v, &errors), -1);
	json_decref(v);
	json_decref(errors);
	json_decref(course);
}
END_TEST

START_TEST(the_course_form_has_five_outcome_inputs_keeping_each_value_in_its_place)
{
	json_t *form = json_pack("{s:[s, s, s]}", "learning_outcomes", "One", "", "Three");
	json_t *slots = training_outcome_slots(form);
	json_t *stored = json_pack("{s:s}", "outcomes", "[\"A\",\"B\"]"), *list = training_outcomes_of(stored);

	ck_assert_uint_eq(json_array_size(slots), 5);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(slots, 2), "value")), "Three");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(slots, 0), "id")), "learning_outcomes");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(slots, 4), "value")), "");
	ck_assert_uint_eq(json_array_size(list), 2);
	json_decref(list);
	json_object_set_new(stored, "outcomes", json_string("not json"));
	list = training_outcomes_of(stored);
	ck_assert_uint_eq(json_array_size(list), 0);
	json_decref(list);
	json_decref(stored);
	json_decref(slots);
	json_decref(form);
}
END_TEST

START_TEST(session_feedback_averages_each_outcome_and_lists_texts_in_word_order_without_names)
{
	json_t *session = json_pack("{s:s, s:s, s:s}", "id", "4", "course_title", "C", "starts_at", "1900000000");
	json_t *feedback = json_pack("[{s:s, s:[s,s], s:[i,i], s:[i,i], s:i, s:s}, {s:s, s:[s,s], s:[i,i], s:[i,i], s:i, s:s}]",
	        "uid", "zed", "outcomes", "Spot it", "Refer it", "confidence_before", 2, 3, "confidence_after", 4, 4,
	        "usefulness", 4, "text", "Zoom in",
	        "uid", "amy", "outcomes", "Spot it", "Refer it", "confidence_before", 1, 4, "confidence_after", 5, 5,
	        "usefulness", 5, "text", "Ask first");
	json_t *sum = training_feedback_summary(session, feedback, 1900000000);
	json_t *first = json_array_get(json_object_get(sum, "outcomes"), 0);
	char *text = json_dumps(sum, 0);

	ck_assert_int_eq(json_integer_value(json_object_get(sum, "count")), 2);
	ck_assert(json_real_value(json_object_get(sum, "usefulness_average")) == 4.5);
	ck_assert_str_eq(json_string_value(json_object_get(first, "outcome")), "Spot it");
	ck_assert(json_real_value(json_object_get(first, "before_average")) == 1.5);
	ck_assert(json_real_value(json_object_get(first, "after_average")) == 4.5);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(sum, "texts"), 0)), "Ask first");
	ck_assert_ptr_null(strstr(text, "zed"));
	free(text);
	json_decref(sum);
	json_array_clear(feedback);
	sum = training_feedback_summary(session, feedback, 1900000000);
	ck_assert(json_is_null(json_object_get(sum, "usefulness_average")));
	json_decref(sum);
	json_decref(feedback);
	json_decref(session);
}
END_TEST

/* The suite. */
static Suite *training_suite(void)
{
	Suite *s = suite_create("training_format");
	TCase *tc = tcase_create("format");

	tcase_add_test(tc, booking_id_parses_session_and_number);
	tcase_add_test(tc, booking_id_refuses_junk_signs_zeros_and_huge_numbers);
	tcase_add_test(tc, agency_seats_from_json_object_and_form_fields);
	tcase_add_test(tc, agency_seats_refuse_unknown_type_negative_and_more_than_capacity);
	tcase_add_test(tc, times_in_words_in_london_time_with_the_year_only_when_not_this_year);
	tcase_add_test(tc, roster_csv_quotes_fields_and_guards_formulas);
	tcase_add_test(tc, uptake_counts_only_live_bookings_and_attended_only_when_confirmed);
	tcase_add_test(tc, uptake_seed_lists_every_agency_type_and_course_with_zeros);
	tcase_add_test(tc, feedback_scores_come_from_the_api_arrays_or_the_page_radios_one_per_outcome);
	tcase_add_test(tc, learning_outcomes_are_at_most_five_short_lines_without_personal_data);
	tcase_add_test(tc, the_course_form_has_five_outcome_inputs_keeping_each_value_in_its_place);
	tcase_add_test(tc, session_feedback_averages_each_outcome_and_lists_texts_in_word_order_without_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(training_suite());
	int failed;

	portal_clock_init();
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
