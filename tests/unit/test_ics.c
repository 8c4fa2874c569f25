/* test_ics.c - the portal's calendar file (common/ics.c): London local time
 * either side of the clock change, escaped text, lines folded at 75 octets
 * without splitting a character, and the iTIP methods the e-mails use
 * (REQUEST with organiser and attendee; CANCEL with the same UID). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ics.h"

/* An event at the given UTC instants (RFC 3339). */
static portal_ics_event event_at(const char *start, const char *end, const char *summary)
{
	portal_ics_event ev;
	time_t s, e;

	ck_assert_int_eq(portal_time_parse(start, &s), 0);
	ck_assert_int_eq(portal_time_parse(end, &e), 0);
	memset(&ev, 0, sizeof(ev));
	ev.uid = "training-booking-1-1@london-anti-slavery-portal";
	ev.summary = summary;
	ev.location = "Room 1, Demo House; London";
	ev.starts = s;
	ev.ends = e;
	ev.stamp = s;
	ev.sequence = 3;
	return ev;
}

static char *build(const portal_ics_event *ev)
{
	portal_buf b;

	portal_buf_init(&b, 0);
	ck_assert_int_eq(portal_ics_build(&b, ev), 0);
	return portal_buf_steal(&b);
}

START_TEST(ics_shows_london_local_time_either_side_of_the_clock_change)
{
	portal_ics_event w = event_at("2027-03-27T09:30:00Z", "2027-03-27T12:00:00Z", "Course");
	portal_ics_event s = event_at("2027-03-29T08:30:00Z", "2027-03-29T11:00:00Z", "Course");
	char *winter, *summer;

	s.cancelled = 1;
	winter = build(&w);
	summer = build(&s);
	ck_assert_ptr_nonnull(strstr(winter, "DTSTART;TZID=Europe/London:20270327T093000\r\n"));
	ck_assert_ptr_nonnull(strstr(summer, "DTSTART;TZID=Europe/London:20270329T093000\r\n"));
	ck_assert_ptr_nonnull(strstr(summer, "STATUS:CANCELLED\r\n"));
	ck_assert_ptr_nonnull(strstr(winter, "STATUS:CONFIRMED\r\n"));
	ck_assert_ptr_nonnull(strstr(winter, "SEQUENCE:3\r\n"));
	ck_assert_ptr_nonnull(strstr(winter, "LOCATION:Room 1\\, Demo House\\; London\r\n"));
	ck_assert_ptr_nonnull(strstr(winter, "BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n"));
	ck_assert_ptr_nonnull(strstr(winter, "METHOD:PUBLISH\r\n"));
	ck_assert_ptr_null(strstr(winter, "ORGANIZER"));
	free(winter);
	free(summer);
}
END_TEST

START_TEST(ics_folds_long_lines_at_75_octets_without_splitting_characters)
{
	char summary[400] = "";
	char *ics, *line, *save = NULL;
	portal_ics_event ev;
	size_t i;

	for (i = 0; i < 60; i++)
		strcat(summary, "é ü");  /* multi-byte characters */
	ev = event_at("2027-01-10T09:30:00Z", "2027-01-10T12:00:00Z", summary);
	ics = build(&ev);
	for (line = strtok_r(ics, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t len = strlen(line);
		ck_assert_msg(len >= 1 && line[len - 1] == '\r', "line without CR");
		ck_assert_msg(len - 1 <= 75, "line of %zu octets", len - 1);
		/* a folded line never starts in the middle of a UTF-8 character */
		if (line[0] == ' ')
			ck_assert((line[1] & 0xC0) != 0x80);
	}
	free(ics);
}
END_TEST

START_TEST(ics_request_names_organiser_and_attendee_and_cancel_keeps_the_uid)
{
	portal_ics_event ev = event_at("2027-01-10T09:30:00Z", "2027-01-10T12:00:00Z", "Course");
	char *req, *cancel;

	ev.method = PORTAL_ICS_REQUEST;
	ev.organizer = "portal@example.org";
	ev.attendee = "ann@example.org";
	ev.url = "https://meet.example/abc";
	req = build(&ev);
	ev.method = PORTAL_ICS_CANCEL;
	ev.sequence = 4;
	cancel = build(&ev);
	ck_assert_ptr_nonnull(strstr(req, "METHOD:REQUEST\r\n"));
	ck_assert_ptr_nonnull(strstr(req, "ORGANIZER:mailto:portal@example.org\r\n"));
	ck_assert_ptr_nonnull(strstr(req, "ATTENDEE;ROLE=REQ-PARTICIPANT:mailto:ann@example.org\r\n"));
	ck_assert_ptr_nonnull(strstr(req, "URL:https://meet.example/abc\r\n"));
	ck_assert_ptr_nonnull(strstr(req, "STATUS:CONFIRMED\r\n"));
	ck_assert_ptr_nonnull(strstr(cancel, "METHOD:CANCEL\r\n"));
	ck_assert_ptr_nonnull(strstr(cancel, "STATUS:CANCELLED\r\n"));
	ck_assert_ptr_nonnull(strstr(cancel, "SEQUENCE:4\r\n"));
	ck_assert_ptr_nonnull(strstr(cancel, "UID:training-booking-1-1@london-anti-slavery-portal\r\n"));
	ck_assert_ptr_nonnull(strstr(req, "UID:training-booking-1-1@london-anti-slavery-portal\r\n"));
	free(req);
	free(cancel);
}
END_TEST

START_TEST(ics_leaves_out_an_address_or_link_that_could_break_a_line)
{
	portal_ics_event ev = event_at("2027-01-10T09:30:00Z", "2027-01-10T12:00:00Z", "Course");
	char *ics;

	ev.method = PORTAL_ICS_REQUEST;
	ev.organizer = "portal@example.org\r\nATTENDEE:mailto:x@evil.example";
	ev.url = "https://meet.example/\"x";
	ev.attendee = "";
	ics = build(&ev);
	ck_assert_ptr_null(strstr(ics, "ORGANIZER"));
	ck_assert_ptr_null(strstr(ics, "ATTENDEE"));
	ck_assert_ptr_null(strstr(ics, "URL:"));
	ck_assert_ptr_null(strstr(ics, "evil"));
	free(ics);
}
END_TEST

static Suite *ics_suite(void)
{
	Suite *s = suite_create("ics");
	TCase *tc = tcase_create("ics");

	tcase_add_test(tc, ics_shows_london_local_time_either_side_of_the_clock_change);
	tcase_add_test(tc, ics_folds_long_lines_at_75_octets_without_splitting_characters);
	tcase_add_test(tc, ics_request_names_organiser_and_attendee_and_cancel_keeps_the_uid);
	tcase_add_test(tc, ics_leaves_out_an_address_or_link_that_could_break_a_line);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ics_suite());
	int failed;

	portal_clock_init();
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
