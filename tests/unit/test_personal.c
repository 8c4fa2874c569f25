/* test_personal.c - the personal-data guard on free text (common/personal.c).
 *
 * Each kind is found in a sentence as a person would write it, and each
 * text that must pass (dates of the last ten years, days without a year,
 * boroughs, the outward half of a postcode, short numbers) passes.  "Now" is
 * fixed at 5 December 2026 so the date-of-birth rule is tested exactly.
 */
#include "personal.h"
#include "clock.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static time_t now_fixed(void)
{
	time_t t;

	ck_assert_int_eq(portal_time_parse("2026-12-05T12:00:00Z", &t), 0);
	return t;
}

/* The kind found in s, and (when found) the text found in *what. */
static portal_personal_kind kind_of(const char *s, char *what, size_t wlen)
{
	portal_personal_found f;

	if (!portal_personal_find(s, strlen(s), now_fixed(), &f)) {
		ck_assert_int_eq(f.kind, PORTAL_PERSONAL_NONE);
		what[0] = '\0';
		return PORTAL_PERSONAL_NONE;
	}
	ck_assert_uint_le(f.at + f.len, strlen(s));
	snprintf(what, wlen, "%.*s", (int)f.len, s + f.at);
	return f.kind;
}

#define FOUND(text, kind, expect) do { \
	char w_[128]; \
	ck_assert_int_eq(kind_of(text, w_, sizeof(w_)), kind); \
	ck_assert_str_eq(w_, expect); \
} while (0)

#define PASSES(text) do { \
	char w_[128]; \
	ck_assert_msg(kind_of(text, w_, sizeof(w_)) == PORTAL_PERSONAL_NONE, "\"%s\" was refused for \"%s\"", text, w_); \
} while (0)

START_TEST(email_addresses_are_found)
{
	FOUND("contact her at jo.smith+x@example.org today", PORTAL_PERSONAL_EMAIL, "jo.smith+x@example.org");
	FOUND("a@b.co", PORTAL_PERSONAL_EMAIL, "a@b.co");
	PASSES("meet @ the station");
	PASSES("name@localhost");
}
END_TEST

START_TEST(full_postcodes_are_found_and_outward_codes_pass)
{
	FOUND("lives near E15 4QZ now", PORTAL_PERSONAL_POSTCODE, "E15 4QZ");
	FOUND("SW1A 1AA", PORTAL_PERSONAL_POSTCODE, "SW1A 1AA");
	FOUND("at sw1a1aa", PORTAL_PERSONAL_POSTCODE, "sw1a1aa");
	FOUND("M1 1AE.", PORTAL_PERSONAL_POSTCODE, "M1 1AE");
	FOUND("EC1A 1BB", PORTAL_PERSONAL_POSTCODE, "EC1A 1BB");
	PASSES("seen in E15 and Newham");
	PASSES("Tower Hamlets, Camden, Barking and Dagenham");
}
END_TEST

START_TEST(national_insurance_numbers_are_found)
{
	FOUND("NI JT 12 34 56 C on file", PORTAL_PERSONAL_NI_NUMBER, "JT 12 34 56 C");
	FOUND("jt123456c", PORTAL_PERSONAL_NI_NUMBER, "jt123456c");
	FOUND("AB123456", PORTAL_PERSONAL_NI_NUMBER, "AB123456");
	PASSES("DF 12 34 56 A is not a valid prefix, nor 12 34 56");
}
END_TEST

START_TEST(full_dates_more_than_ten_years_ago_are_dates_of_birth)
{
	FOUND("born 12/03/1985 in", PORTAL_PERSONAL_DATE_OF_BIRTH, "12/03/1985");
	FOUND("dob 12-3-85", PORTAL_PERSONAL_DATE_OF_BIRTH, "12-3-85");
	FOUND("1985-03-12", PORTAL_PERSONAL_DATE_OF_BIRTH, "1985-03-12");
	FOUND("on 3rd March 1985", PORTAL_PERSONAL_DATE_OF_BIRTH, "3rd March 1985");
	FOUND("the 3 of march, 1985", PORTAL_PERSONAL_DATE_OF_BIRTH, "3 of march, 1985");
	FOUND("March 3, 1985", PORTAL_PERSONAL_DATE_OF_BIRTH, "March 3, 1985");
	FOUND("Sept 1st 2001", PORTAL_PERSONAL_DATE_OF_BIRTH, "Sept 1st 2001");
	FOUND("4 December 2016", PORTAL_PERSONAL_DATE_OF_BIRTH, "4 December 2016");
}
END_TEST

START_TEST(recent_dates_days_without_years_and_years_alone_pass)
{
	PASSES("seen on 3 March");
	PASSES("on 12/03/2026");
	PASSES("on 12/03/26 at the station");
	PASSES("5 December 2016 is exactly ten years ago");
	PASSES("arrived in May 2019");
	PASSES("born in 1985");
	PASSES("31/02/1985 is not a date");
	PASSES("met on 2026-11-30");
	PASSES("Newham");
}
END_TEST

START_TEST(passport_numbers_are_found)
{
	FOUND("kept 123456789 held by the employer", PORTAL_PERSONAL_PASSPORT, "123456789");
	FOUND("doc X12345678", PORTAL_PERSONAL_PASSPORT, "X12345678");
	FOUND("her passport no. is 5X4YZ2345", PORTAL_PERSONAL_PASSPORT, "passport no. is 5X4YZ2345");
	PASSES("passport taken by the employer");
	PASSES("room 12345678 is not nine digits");
}
END_TEST

START_TEST(phone_numbers_are_found_spaced_or_not)
{
	FOUND("call 07700 900123 after 6", PORTAL_PERSONAL_PHONE, "07700 900123");
	FOUND("+44 20 7946 0958", PORTAL_PERSONAL_PHONE, "+44 20 7946 0958");
	FOUND("(020) 7946 0958", PORTAL_PERSONAL_PHONE, "(020) 7946 0958");
	FOUND("tel:07700900123", PORTAL_PERSONAL_PHONE, "07700900123");
	FOUND("0800-123-4567", PORTAL_PERSONAL_PHONE, "0800-123-4567");
	PASSES("call 999 or 101");
	PASSES("seen 3 times, 0 since");
	PASSES("case 2026/0412");
}
END_TEST

START_TEST(the_message_quotes_what_was_found_and_says_why)
{
	const char *s = "ring 07700 900123";
	portal_personal_found f;
	char msg[300];

	ck_assert_int_eq(portal_personal_find(s, strlen(s), now_fixed(), &f), 1);
	portal_personal_message(s, &f, msg, sizeof(msg));
	ck_assert_str_eq(msg, "\"07700 900123\" looks like a phone number. The portal keeps nothing that could "
	                 "identify a person. Leave out phone numbers.");
	ck_assert_str_eq(portal_personal_kind_words(PORTAL_PERSONAL_DATE_OF_BIRTH), "a date of birth");
}
END_TEST

START_TEST(the_field_check_refuses_strings_with_personal_data_only)
{
	json_t *bad = json_string("write to x@y.org"), *good = json_string("seen in Newham"), *num = json_integer(7);
	char msg[300] = "";

	ck_assert_int_eq(portal_check_no_personal_data(bad, msg, sizeof(msg)), -1);
	ck_assert_ptr_nonnull(strstr(msg, "an email address"));
	ck_assert_int_eq(portal_check_no_personal_data(good, msg, sizeof(msg)), 0);
	ck_assert_int_eq(portal_check_no_personal_data(num, msg, sizeof(msg)), 0);
	json_decref(bad);
	json_decref(good);
	json_decref(num);
}
END_TEST

START_TEST(any_bytes_are_looked_through_without_reading_past_the_end)
{
	/* not NUL-terminated where it ends: a digit run cut at the length given */
	char buf[12];
	portal_personal_found f;

	memcpy(buf, "07700 9001", 10);
	buf[10] = '2';
	buf[11] = '3';
	ck_assert_int_eq(portal_personal_find(buf, 10, now_fixed(), &f), 0);
	ck_assert_int_eq(portal_personal_find(buf, 12, now_fixed(), &f), 1);  /* all 12 bytes: 11 digits; under ASan, nothing past them is read */
	ck_assert_int_eq(portal_personal_find("", 0, now_fixed(), &f), 0);
	ck_assert_int_eq(portal_personal_find(NULL, 5, now_fixed(), &f), 0);
	ck_assert_int_eq(portal_personal_find("a\0b@c.org x", 11, now_fixed(), &f), 1);
}
END_TEST

static Suite *personal_suite(void)
{
	Suite *s = suite_create("personal");
	TCase *t = tcase_create("guard");

	tcase_add_test(t, email_addresses_are_found);
	tcase_add_test(t, full_postcodes_are_found_and_outward_codes_pass);
	tcase_add_test(t, national_insurance_numbers_are_found);
	tcase_add_test(t, full_dates_more_than_ten_years_ago_are_dates_of_birth);
	tcase_add_test(t, recent_dates_days_without_years_and_years_alone_pass);
	tcase_add_test(t, passport_numbers_are_found);
	tcase_add_test(t, phone_numbers_are_found_spaced_or_not);
	tcase_add_test(t, the_message_quotes_what_was_found_and_says_why);
	tcase_add_test(t, the_field_check_refuses_strings_with_personal_data_only);
	tcase_add_test(t, any_bytes_are_looked_through_without_reading_past_the_end);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(personal_suite());
	int failed;

	portal_clock_init();
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
