/* test_notify_delivery.c - portal-notify's metrics text and its production
 * refusals (modules/notify/metrics.c and production.c are compiled into
 * this program): what each sink did is counted under its own name, the
 * messages accepted are counted, with no Redis the gauges are left out and
 * portal_notify_store_up says 0; production refuses the demo's From and a
 * public address naming this machine. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../modules/notify/metrics.c"
#include "../../modules/notify/production.c"

static notify_outcome no_handler(notify_worker *w, const notify_stream *s, const notify_entry *e, char *kind,
                                 size_t kindlen, char *why, size_t whylen)
{
	return NOTIFY_DONE;
}

static const notify_sink mail = { "notify", no_handler, NULL }, inbox = { "inbox", no_handler, NULL };
static const notify_sink *const sinks[] = { &mail, &inbox };
static const notify_stream streams[] = { { "beds", "beds:{beds}" } };

static char *format(const notify_worker *w)
{
	portal_buf b;

	portal_buf_init(&b, 0);
	ck_assert_int_eq(notify_metrics_format(w, NULL, &b), 0);
	return portal_buf_steal(&b);
}

START_TEST(each_sink_counts_what_it_did_and_accepted_messages_are_counted)
{
	notify_worker w = { .streams = streams, .nstreams = 1, .sinks = sinks, .nsinks = 2 };
	char *t;

	notify_metrics_outcome(&w, &mail, NOTIFY_DONE);
	notify_metrics_outcome(&w, &mail, NOTIFY_DONE);
	notify_metrics_outcome(&w, &mail, NOTIFY_RETRY);
	notify_metrics_outcome(&w, &inbox, NOTIFY_DEAD);
	notify_metrics_sent();
	notify_metrics_sent();
	notify_metrics_sent();
	t = format(&w);
	ck_assert_ptr_nonnull(strstr(t, "\nportal_notify_messages_sent_total 3\n"));
	ck_assert_ptr_nonnull(strstr(t, "\nportal_notify_events_done_total{sink=\"notify\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(t, "\nportal_notify_events_done_total{sink=\"inbox\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(t, "\nportal_notify_retries_total{sink=\"notify\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(t, "\nportal_notify_dead_letters_total{sink=\"inbox\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(t, "\nportal_notify_dead_letters_total{sink=\"notify\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(t, "# TYPE portal_notify_retries_total counter\n"));
	free(t);
}
END_TEST

START_TEST(without_redis_the_gauges_are_left_out_and_store_up_is_0)
{
	notify_worker w = { .streams = streams, .nstreams = 1, .sinks = sinks, .nsinks = 2 };
	char *t = format(&w);

	ck_assert_ptr_nonnull(strstr(t, "\nportal_notify_store_up 0\n"));
	ck_assert_ptr_null(strstr(t, "portal_notify_events_pending"));
	ck_assert_ptr_null(strstr(t, "portal_notify_oldest_pending_seconds"));
	free(t);
}
END_TEST

START_TEST(a_sink_not_in_the_worker_is_not_counted)
{
	static const notify_sink other = { "other", no_handler, NULL };
	notify_worker w = { .streams = streams, .nstreams = 1, .sinks = sinks, .nsinks = 1 };
	char *before, *after;

	before = format(&w);
	notify_metrics_outcome(&w, &other, NOTIFY_DONE);
	notify_metrics_outcome(&w, &inbox, NOTIFY_DONE);  /* the second sink of the list, but this worker has one */
	after = format(&w);
	ck_assert_str_eq(before, after);
	ck_assert_ptr_null(strstr(after, "sink=\"other\""));
	free(before);
	free(after);
}
END_TEST

static int production(const char *url, const char *domain, char *err, size_t errlen)
{
	notify_settings s = { .public_url = url };

	snprintf(s.domain, sizeof(s.domain), "%s", domain);
	return notify_settings_production(&s, err, errlen);
}

START_TEST(production_refuses_the_demo_address_and_a_public_url_of_this_machine)
{
	char err[300];

	ck_assert_int_eq(production("https://portal.example.org", "partners.example.org", err, sizeof(err)), 0);
	ck_assert_int_eq(production("https://portal.example.org:8443/base", "example.org", err, sizeof(err)), 0);
	ck_assert_int_eq(production("https://portal.example.org", "localhost", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "PORTAL_MAIL_FROM is the demo's address (@localhost)"));
	ck_assert_int_eq(production("https://portal.example.org", "mail.LOCALHOST", err, sizeof(err)), -1);
	ck_assert_int_eq(production("https://portal.example.org", "127.0.0.1", err, sizeof(err)), -1);
	ck_assert_int_eq(production("https://127.0.0.1:8080/", "example.org", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "PORTAL_PUBLIC_URL names this machine (127.0.0.1)"));
	ck_assert_int_eq(production("https://LocalHost/", "example.org", err, sizeof(err)), -1);
	ck_assert_int_eq(production("https://[::1]:8443", "example.org", err, sizeof(err)), -1);
	ck_assert_int_eq(production("http://portal.example.org", "example.org", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "must start https://"));
	/* a host that only starts like a loopback name is someone else's */
	ck_assert_int_eq(production("https://localhost.example.org", "localhost-mail.org", err, sizeof(err)), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("notify_delivery");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, each_sink_counts_what_it_did_and_accepted_messages_are_counted);
	tcase_add_test(tc, without_redis_the_gauges_are_left_out_and_store_up_is_0);
	tcase_add_test(tc, a_sink_not_in_the_worker_is_not_counted);
	tcase_add_test(tc, production_refuses_the_demo_address_and_a_public_url_of_this_machine);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
