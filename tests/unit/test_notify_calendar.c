/* test_notify_calendar.c - the calendar file a training e-mail carries
 * (modules/notify/calendar.c): REQUEST to the booker with the calendar
 * link's UID, the person's own booking on a session change, CANCEL with
 * the same UID (and the link's sequence), no file for a person without a
 * place or a kind without one, and a malformed event refused. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "../../modules/notify/calendar.c"

/* An event as name/value pairs, NULL-terminated. */
static const char *field_of(const void *ev, const char *name)
{
	const char *const *p = ev;

	for (; p[0]; p += 2)
		if (strcmp(p[0], name) == 0)
			return p[1];
	return NULL;
}

#define SESSION_FIELDS "session", "7", "title", "Awareness", "organisation", "Demo Charity", \
	"location", "Room 1, Demo House", "starts_at", "1812355200", "ends_at", "1812366000", "sequence", "2"

/* Build the file for `kind` of `ev` to `uid`: rc in *rc, the text (or NULL). */
static char *calendar(const char *kind, const char *const *ev, const char *uid, int *rc, const char **type)
{
	portal_buf b;

	portal_buf_init(&b, 0);
	*rc = notify_calendar_build(kind, field_of, ev, uid, "ann@example.org", "portal@example.org", 1796428800, &b, type);
	return portal_buf_steal(&b);
}

START_TEST(a_confirmed_booking_gets_a_request_with_the_calendar_links_uid)
{
	static const char *const ev[] = { "booking", "7-3", "uid", "ann", SESSION_FIELDS, NULL };
	const char *type = NULL;
	int rc;
	char *ics = calendar("booking_promoted", ev, "ann", &rc, &type);

	ck_assert_int_eq(rc, 1);
	ck_assert_str_eq(type, "text/calendar; method=REQUEST; charset=UTF-8");
	ck_assert_ptr_nonnull(strstr(ics, "METHOD:REQUEST\r\n"));
	ck_assert_ptr_nonnull(strstr(ics, "UID:training-booking-7-3@london-anti-slavery-portal\r\n"));
	ck_assert_ptr_nonnull(strstr(ics, "SUMMARY:Awareness\r\n"));
	ck_assert_ptr_nonnull(strstr(ics, "DESCRIPTION:Awareness training session delivered by Demo Charity.\r\n"));
	ck_assert_ptr_nonnull(strstr(ics, "LOCATION:Room 1\\, Demo House\r\n"));
	ck_assert_ptr_nonnull(strstr(ics, "DTSTART;TZID=Europe/London:20270607T090000\r\n"));  /* 8am UTC: 9am BST */
	ck_assert_ptr_nonnull(strstr(ics, "SEQUENCE:2\r\n"));
	ck_assert_ptr_nonnull(strstr(ics, "ATTENDEE;ROLE=REQ-PARTICIPANT:mailto:ann@example.org\r\n"));
	ck_assert_ptr_nonnull(strstr(ics, "ORGANIZER:mailto:portal@example.org\r\n"));
	free(ics);
}
END_TEST

START_TEST(a_session_change_gives_each_person_with_a_place_their_own_booking)
{
	static const char *const ev[] = { "uids", "ann bob cat", "bookings", "7-1 7-2", "changed", "time", SESSION_FIELDS, NULL };
	const char *type;
	int rc;
	char *bob = calendar("session_changed", ev, "bob", &rc, &type), *cat;

	ck_assert_int_eq(rc, 1);
	ck_assert_ptr_nonnull(strstr(bob, "UID:training-booking-7-2@london-anti-slavery-portal\r\n"));
	free(bob);
	cat = calendar("session_changed", ev, "cat", &rc, &type);   /* waitlisted: no place, no file */
	ck_assert_int_eq(rc, 0);
	free(cat);
	cat = calendar("session_changed", ev, "ca", &rc, &type);   /* not a prefix match */
	ck_assert_int_eq(rc, 0);
	free(cat);
}
END_TEST

START_TEST(a_cancellation_is_a_cancel_with_the_same_uid_only_for_a_place)
{
	static const char *const booking[] = { "booking", "7-3", "uid", "ann", "was", "confirmed", SESSION_FIELDS, NULL };
	static const char *const left[] = { "booking", "7-4", "uid", "ann", "was", "waitlisted", SESSION_FIELDS, NULL };
	static const char *const session[] = { "uids", "bob ann", "bookings", "7-2 7-3", SESSION_FIELDS, NULL };
	const char *type;
	int rc;
	char *ics = calendar("booking_cancelled", booking, "ann", &rc, &type);

	ck_assert_int_eq(rc, 1);
	ck_assert_str_eq(type, "text/calendar; method=CANCEL; charset=UTF-8");
	ck_assert_ptr_nonnull(strstr(ics, "METHOD:CANCEL\r\n"));
	ck_assert_ptr_nonnull(strstr(ics, "STATUS:CANCELLED\r\n"));
	ck_assert_ptr_nonnull(strstr(ics, "UID:training-booking-7-3@london-anti-slavery-portal\r\n"));
	ck_assert_ptr_nonnull(strstr(ics, "SEQUENCE:3\r\n"));   /* one above the session's, as the link says */
	free(ics);
	ics = calendar("booking_cancelled", left, "ann", &rc, &type);
	ck_assert_int_eq(rc, 0);
	free(ics);
	ics = calendar("session_cancelled", session, "ann", &rc, &type);
	ck_assert_int_eq(rc, 1);
	ck_assert_ptr_nonnull(strstr(ics, "UID:training-booking-7-3@london-anti-slavery-portal\r\n"));
	ck_assert_ptr_nonnull(strstr(ics, "SEQUENCE:2\r\n"));
	free(ics);
}
END_TEST

START_TEST(no_file_for_other_kinds_or_people_and_a_malformed_event_is_refused)
{
	static const char *const ev[] = { "booking", "7-3", "uid", "ann", SESSION_FIELDS, NULL };
	static const char *const bad[] = { "booking", "7-3", "uid", "ann", "title", "T", "organisation", "O",
	                                   "starts_at", "soon", "ends_at", "1", "sequence", "0", NULL };
	const char *type;
	int rc;
	char *ics;

	ics = calendar("booking_waitlisted", ev, "ann", &rc, &type);
	ck_assert_int_eq(rc, 0);
	free(ics);
	ics = calendar("booking_confirmed", ev, "bob", &rc, &type);
	ck_assert_int_eq(rc, 0);
	free(ics);
	ics = calendar("booking_confirmed", bad, "ann", &rc, &type);
	ck_assert_int_eq(rc, -1);
	free(ics);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("notify_calendar");
	TCase *tc = tcase_create("calendar");
	SRunner *sr;
	int failed;

	portal_clock_init();
	tcase_add_test(tc, a_confirmed_booking_gets_a_request_with_the_calendar_links_uid);
	tcase_add_test(tc, a_session_change_gives_each_person_with_a_place_their_own_booking);
	tcase_add_test(tc, a_cancellation_is_a_cancel_with_the_same_uid_only_for_a_place);
	tcase_add_test(tc, no_file_for_other_kinds_or_people_and_a_malformed_event_is_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
