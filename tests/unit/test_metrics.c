/* test_metrics.c - the shared counters and their exposition text
 * (common/metrics.c): exact lines, as Prometheus (text format 0.0.4) reads
 * them. */
#include "metrics.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void noop(portal_ctx *ctx) { (void)ctx; }

static const portal_route routes[] = {
	{ PORTAL_NONE, { "GET", "/api/v1/health" }, noop, PORTAL_PUBLIC, NULL, NULL, 0, NULL, NULL },
	{ { "POST", "/things/{id}/edit" }, { "POST", "/api/v1/things/{id}" }, noop, PORTAL_ROLE_ANY, NULL, NULL, 0, NULL, NULL },
};
static const char *const events[] = { "booking_booked", "odd \"name\"\\\n" };
static const portal_app app = { .name = "test", .routes = routes, .nroutes = 2,
                                .events = events, .nevents = 2 };

static portal_buf text;
static portal_metrics *m;

static void setup(void)
{
	m = portal_metrics_create(&app);
	ck_assert_ptr_nonnull(m);
	portal_metrics_use(m);
	portal_buf_init(&text, 1024 * 1024);
}

static void teardown(void)
{
	portal_buf_free(&text);
	portal_metrics_destroy(m);
	ck_assert_ptr_null(portal_metrics_current());
}

/* 1 when `line` (without its newline) is a whole line of the text. */
static int has_line(const char *line)
{
	char want[512];
	const char *p;

	snprintf(want, sizeof(want), "\n%s\n", line);
	if (strncmp(text.data, want + 1, strlen(want + 1)) == 0)
		return 1;
	p = strstr(text.data, want);
	return p != NULL;
}

/* How many lines of the text start with `prefix`. */
static int count_lines(const char *prefix)
{
	const char *p = text.data;
	int n = 0;

	while (p && *p) {
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			n++;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

#define ck_line(l) ck_assert_msg(has_line(l), "missing line: %s\n--- text:\n%s", l, text.data)

static void format(void)
{
	portal_buf_reset(&text);
	ck_assert_int_eq(portal_metrics_format(m, &text), 0);
	ck_assert_int_eq(portal_buf_putc(&text, '\0'), 0);
}

START_TEST(a_fresh_block_shows_every_series_at_zero)
{
	format();
	ck_line("# HELP portal_http_requests_total Requests answered, by route and status class.");
	ck_line("# TYPE portal_http_requests_total counter");
	ck_line("portal_http_requests_total{method=\"GET\",route=\"/api/v1/health\",status=\"2xx\"} 0");
	ck_line("portal_http_requests_total{method=\"POST\",route=\"/api/v1/things/{id}\",status=\"5xx\"} 0");
	ck_line("portal_http_unmatched_requests_total{code=\"404\"} 0");
	ck_line("# TYPE portal_http_request_duration_seconds histogram");
	ck_line("portal_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/health\",le=\"+Inf\"} 0");
	ck_line("portal_http_request_duration_seconds_sum{method=\"GET\",route=\"/api/v1/health\"} 0.000000");
	ck_line("portal_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/health\"} 0");
	ck_line("# TYPE portal_redis_errors_total counter");
	ck_line("portal_redis_errors_total 0");
	ck_line("portal_ldap_errors_total 0");
	ck_line("portal_worker_restarts_total 0");
	ck_line("portal_events_total{event=\"booking_booked\"} 0");
}
END_TEST

START_TEST(requests_count_by_route_and_status_class_with_cumulative_buckets)
{
	portal_metrics_request(0, 1, 200, 800);       /* 0.8 ms: le 0.001 */
	portal_metrics_request(0, 1, 204, 3000);      /* 3 ms: le 0.005 */
	portal_metrics_request(0, 1, 503, 3000000);   /* 3 s: only +Inf */
	portal_metrics_request(1, 1, 303, 1000);      /* exactly 1 ms: le 0.001 */
	portal_metrics_request(1, 1, 422, 10);
	format();
	ck_line("portal_http_requests_total{method=\"GET\",route=\"/api/v1/health\",status=\"2xx\"} 2");
	ck_line("portal_http_requests_total{method=\"GET\",route=\"/api/v1/health\",status=\"3xx\"} 0");
	ck_line("portal_http_requests_total{method=\"GET\",route=\"/api/v1/health\",status=\"5xx\"} 1");
	ck_line("portal_http_requests_total{method=\"POST\",route=\"/api/v1/things/{id}\",status=\"3xx\"} 1");
	ck_line("portal_http_requests_total{method=\"POST\",route=\"/api/v1/things/{id}\",status=\"4xx\"} 1");
	ck_line("portal_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/health\",le=\"0.001\"} 1");
	ck_line("portal_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/health\",le=\"0.0025\"} 1");
	ck_line("portal_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/health\",le=\"0.005\"} 2");
	ck_line("portal_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/health\",le=\"2.5\"} 2");
	ck_line("portal_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/health\",le=\"+Inf\"} 3");
	ck_line("portal_http_request_duration_seconds_sum{method=\"GET\",route=\"/api/v1/health\"} 3.003800");
	ck_line("portal_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/health\"} 3");
	ck_line("portal_http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/v1/things/{id}\",le=\"0.001\"} 2");
	ck_line("portal_http_request_duration_seconds_sum{method=\"POST\",route=\"/api/v1/things/{id}\"} 0.001010");
}
END_TEST

START_TEST(a_routes_page_and_api_are_counted_apart)
{
	portal_metrics_request(1, 0, 200, 10);   /* the page side */
	portal_metrics_request(1, 0, 303, 10);
	portal_metrics_request(1, 1, 422, 10);   /* the API side */
	format();
	ck_line("portal_http_requests_total{method=\"POST\",route=\"/things/{id}/edit\",status=\"2xx\"} 1");
	ck_line("portal_http_requests_total{method=\"POST\",route=\"/things/{id}/edit\",status=\"3xx\"} 1");
	ck_line("portal_http_requests_total{method=\"POST\",route=\"/things/{id}/edit\",status=\"4xx\"} 0");
	ck_line("portal_http_requests_total{method=\"POST\",route=\"/api/v1/things/{id}\",status=\"4xx\"} 1");
	ck_line("portal_http_requests_total{method=\"POST\",route=\"/api/v1/things/{id}\",status=\"2xx\"} 0");
	ck_line("portal_http_request_duration_seconds_count{method=\"POST\",route=\"/things/{id}/edit\"} 2");
	ck_line("portal_http_request_duration_seconds_count{method=\"POST\",route=\"/api/v1/things/{id}\"} 1");
}
END_TEST

START_TEST(a_side_a_route_lacks_has_no_lines)
{
	portal_metrics_request(0, 0, 200, 10);   /* health has no page: counted nowhere shown */
	format();
	ck_assert_ptr_null(strstr(text.data, "route=\"(null)\""));
	ck_line("portal_http_requests_total{method=\"GET\",route=\"/api/v1/health\",status=\"2xx\"} 0");
	ck_assert_int_eq(count_lines("portal_http_requests_total{"), 3 * 4);
}
END_TEST

START_TEST(unmatched_requests_count_by_code)
{
	portal_metrics_request(-1, 1, 404, 50);
	portal_metrics_request(-1, 1, 404, 50);
	portal_metrics_request(-1, 1, 405, 50);
	portal_metrics_request(-1, 1, 400, 50);
	portal_metrics_request(2, 1, 500, 50);  /* out of the table: unmatched */
	format();
	ck_line("portal_http_unmatched_requests_total{code=\"400\"} 1");
	ck_line("portal_http_unmatched_requests_total{code=\"404\"} 2");
	ck_line("portal_http_unmatched_requests_total{code=\"405\"} 1");
	ck_line("portal_http_unmatched_requests_total{code=\"other\"} 1");
	ck_line("portal_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/health\"} 0");
}
END_TEST

START_TEST(errors_restarts_and_events_are_counted_and_names_escaped)
{
	portal_metrics_redis_error();
	portal_metrics_redis_error();
	portal_metrics_ldap_error();
	portal_metrics_worker_restart();
	portal_metric_event(NULL, 0);
	portal_metric_event(NULL, 0);
	portal_metric_event(NULL, 1);
	portal_metric_event(NULL, 2);  /* not declared: ignored */
	format();
	ck_line("portal_redis_errors_total 2");
	ck_line("portal_ldap_errors_total 1");
	ck_line("portal_worker_restarts_total 1");
	ck_line("# TYPE portal_events_total counter");
	ck_line("portal_events_total{event=\"booking_booked\"} 2");
	ck_line("portal_events_total{event=\"odd \\\"name\\\"\\\\\\n\"} 1");
}
END_TEST

START_TEST(without_a_block_the_hooks_do_nothing)
{
	portal_metrics_use(NULL);
	portal_metrics_request(0, 1, 200, 5);
	portal_metrics_redis_error();
	portal_metrics_event(0);
	portal_metrics_use(m);
	format();
	ck_line("portal_http_requests_total{method=\"GET\",route=\"/api/v1/health\",status=\"2xx\"} 0");
	ck_line("portal_redis_errors_total 0");
}
END_TEST

START_TEST(a_module_without_events_has_no_events_family)
{
	static const portal_app bare = { .name = "bare", .routes = routes, .nroutes = 1 };
	portal_metrics *b = portal_metrics_create(&bare);

	ck_assert_ptr_nonnull(b);
	portal_buf_reset(&text);
	ck_assert_int_eq(portal_metrics_format(b, &text), 0);
	portal_buf_putc(&text, '\0');
	ck_assert_ptr_null(strstr(text.data, "portal_events_total"));
	ck_assert_ptr_null(strstr(text.data, "/api/v1/things"));
	portal_metrics_destroy(b);
}
END_TEST

START_TEST(a_buffer_too_small_is_refused)
{
	portal_buf small;

	portal_buf_init(&small, 64);
	ck_assert_int_eq(portal_metrics_format(m, &small), -1);
	portal_buf_free(&small);
}
END_TEST

START_TEST(counts_survive_in_the_shared_block_across_fork)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		portal_metrics_request(0, 1, 200, 5);
		portal_metrics_event(0);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	format();
	ck_line("portal_http_requests_total{method=\"GET\",route=\"/api/v1/health\",status=\"2xx\"} 1");
	ck_line("portal_events_total{event=\"booking_booked\"} 1");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("metrics");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, a_fresh_block_shows_every_series_at_zero);
	tcase_add_test(tc, requests_count_by_route_and_status_class_with_cumulative_buckets);
	tcase_add_test(tc, a_routes_page_and_api_are_counted_apart);
	tcase_add_test(tc, a_side_a_route_lacks_has_no_lines);
	tcase_add_test(tc, unmatched_requests_count_by_code);
	tcase_add_test(tc, errors_restarts_and_events_are_counted_and_names_escaped);
	tcase_add_test(tc, without_a_block_the_hooks_do_nothing);
	tcase_add_test(tc, a_module_without_events_has_no_events_family);
	tcase_add_test(tc, a_buffer_too_small_is_refused);
	tcase_add_test(tc, counts_survive_in_the_shared_block_across_fork);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
