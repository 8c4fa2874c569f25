/* metrics.c - shared counters, their exposition text, the master's
 * responder (see metrics.h). */
#include "metrics.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef atomic_uint_least64_t counter;

enum { CLASSES = 4, UNMATCHED = 4, REQUEST_MAX = 4096, MAX_TEXT = 8 * 1024 * 1024 };

/* bucket upper bounds, microseconds, and as written in `le` (seconds) */
static const uint64_t bucket_us[PORTAL_METRICS_BUCKETS] = {
	1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000,
};
static const char *const bucket_le[PORTAL_METRICS_BUCKETS + 1] = {
	"0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf",
};
static const char *const class_name[CLASSES] = { "2xx", "3xx", "4xx", "5xx" };
static const char *const unmatched_code[UNMATCHED] = { "400", "404", "405", "other" };

typedef struct route_slot {
	counter status[CLASSES];
	counter bucket[PORTAL_METRICS_BUCKETS + 1];  /* not cumulative: one per request */
	counter sum_us;
} route_slot;

struct portal_metrics {
	size_t            size;      /* of the mapping */
	const portal_app *app;       /* same address in the master and its workers */
	size_t            nslots, nevents;  /* slots: two per route, page then API */
	counter           unmatched[UNMATCHED];
	counter           redis_errors, ldap_errors, worker_restarts;
	counter          *events;    /* after the route slots */
	route_slot        routes[];
};

/* Start-up configuration (set before fork), then only read. */
static portal_metrics *current;

portal_metrics *portal_metrics_create(const portal_app *app)
{
	size_t nevents = app->events ? app->nevents : 0;
	size_t size = sizeof(portal_metrics) + 2 * app->nroutes * sizeof(route_slot) +
	              nevents * sizeof(counter);
	portal_metrics *m;

	m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	/* the mapping comes zeroed: every counter starts at 0 */
	m->size = size;
	m->app = app;
	m->nslots = 2 * app->nroutes;
	m->nevents = nevents;
	m->events = (counter *)(void *)&m->routes[m->nslots];
	return m;
}

void portal_metrics_destroy(portal_metrics *m)
{
	if (m == NULL)
		return;
	if (current == m)
		current = NULL;
	munmap(m, m->size);
}

void portal_metrics_use(portal_metrics *m)
{
	current = m;
}

portal_metrics *portal_metrics_current(void)
{
	return current;
}

static inline void bump(counter *c, uint64_t n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

static inline uint64_t read_counter(const counter *c)
{
	return atomic_load_explicit((counter *)c, memory_order_relaxed);
}

void portal_metrics_request(long route_index, int is_api, int status, uint64_t micros)
{
	portal_metrics *m = current;
	route_slot *r;
	size_t b;

	if (m == NULL)
		return;
	if (route_index < 0 || (size_t)route_index >= m->nslots / 2) {
		bump(&m->unmatched[status == 400 ? 0 : status == 404 ? 1 : status == 405 ? 2 : 3], 1);
		return;
	}
	r = &m->routes[2 * (size_t)route_index + (is_api != 0)];
	bump(&r->status[status < 300 ? 0 : status < 400 ? 1 : status < 500 ? 2 : 3], 1);
	for (b = 0; b < PORTAL_METRICS_BUCKETS && micros > bucket_us[b]; b++)
		;
	bump(&r->bucket[b], 1);
	bump(&r->sum_us, micros);
}

void portal_metrics_redis_error(void)
{
	if (current)
		bump(&current->redis_errors, 1);
}

void portal_metrics_ldap_error(void)
{
	if (current)
		bump(&current->ldap_errors, 1);
}

void portal_metrics_worker_restart(void)
{
	if (current)
		bump(&current->worker_restarts, 1);
}

void portal_metrics_event(size_t index)
{
	if (current && index < current->nevents)
		bump(&current->events[index], 1);
}

void portal_metric_event(const portal_ctx *ctx, size_t index)
{
	(void)ctx;
	portal_metrics_event(index);
}

/* ---- exposition text ------------------------------------------------------ */

/* A label value, escaped as the text format wants (\\, \", \n). */
static void put_label(portal_buf *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\')
			portal_buf_puts(out, "\\\\");
		else if (*s == '"')
			portal_buf_puts(out, "\\\"");
		else if (*s == '\n')
			portal_buf_puts(out, "\\n");
		else
			portal_buf_putc(out, *s);
	}
}

/* The side of the route that slot `i` counts (page, then API). */
static const portal_endpoint *slot_side(const portal_metrics *m, size_t i)
{
	const portal_route *rt = &m->app->routes[i / 2];

	return i % 2 ? &rt->api : &rt->page;
}

static void put_route_labels(portal_buf *out, const portal_endpoint *e)
{
	portal_buf_puts(out, "method=\"");
	put_label(out, e->method);
	portal_buf_puts(out, "\",route=\"");
	put_label(out, e->path);
	portal_buf_putc(out, '"');
}

static void put_family(portal_buf *out, const char *name, const char *type, const char *help)
{
	portal_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void put_total(portal_buf *out, const char *name, const char *help, const counter *c)
{
	put_family(out, name, "counter", help);
	portal_buf_printf(out, "%s %llu\n", name, (unsigned long long)read_counter(c));
}

int portal_metrics_format(const portal_metrics *m, portal_buf *out)
{
	size_t i, c, b;

	put_family(out, "portal_http_requests_total", "counter",
	           "Requests answered, by route and status class.");
	for (i = 0; i < m->nslots; i++)
		for (c = 0; c < CLASSES && slot_side(m, i)->method; c++) {
			portal_buf_puts(out, "portal_http_requests_total{");
			put_route_labels(out, slot_side(m, i));
			portal_buf_printf(out, ",status=\"%s\"} %llu\n", class_name[c],
			                  (unsigned long long)read_counter(&m->routes[i].status[c]));
		}
	put_family(out, "portal_http_unmatched_requests_total", "counter",
	           "Requests no route took, by status code.");
	for (c = 0; c < UNMATCHED; c++)
		portal_buf_printf(out, "portal_http_unmatched_requests_total{code=\"%s\"} %llu\n",
		                  unmatched_code[c], (unsigned long long)read_counter(&m->unmatched[c]));
	put_family(out, "portal_http_request_duration_seconds", "histogram",
	           "Time from the start of dispatch to the answer built, by route.");
	for (i = 0; i < m->nslots; i++) {
		const route_slot *r = &m->routes[i];
		uint64_t cum = 0, sum = read_counter(&r->sum_us);

		if (slot_side(m, i)->method == NULL)
			continue;
		for (b = 0; b <= PORTAL_METRICS_BUCKETS; b++) {
			cum += read_counter(&r->bucket[b]);
			portal_buf_puts(out, "portal_http_request_duration_seconds_bucket{");
			put_route_labels(out, slot_side(m, i));
			portal_buf_printf(out, ",le=\"%s\"} %llu\n", bucket_le[b], (unsigned long long)cum);
		}
		portal_buf_puts(out, "portal_http_request_duration_seconds_sum{");
		put_route_labels(out, slot_side(m, i));
		portal_buf_printf(out, "} %llu.%06llu\n", (unsigned long long)(sum / 1000000),
		                  (unsigned long long)(sum % 1000000));
		portal_buf_puts(out, "portal_http_request_duration_seconds_count{");
		put_route_labels(out, slot_side(m, i));
		portal_buf_printf(out, "} %llu\n", (unsigned long long)cum);
	}
	put_total(out, "portal_redis_errors_total", "Store calls that failed (Redis unreachable or the connection lost).",
	          &m->redis_errors);
	put_total(out, "portal_ldap_errors_total", "Sign-ins the directory could not answer.", &m->ldap_errors);
	put_total(out, "portal_worker_restarts_total", "Worker processes the master started again after one died.",
	          &m->worker_restarts);
	if (m->nevents) {
		put_family(out, "portal_events_total", "counter", "The module's own events, by name.");
		for (i = 0; i < m->nevents; i++) {
			portal_buf_puts(out, "portal_events_total{event=\"");
			put_label(out, m->app->events[i]);
			portal_buf_printf(out, "\"} %llu\n", (unsigned long long)read_counter(&m->events[i]));
		}
	}
	return out->overflow ? -1 : 0;
}

/* ---- the master's responder ----------------------------------------------- */

/* Milliseconds left until `deadline` (CLOCK_MONOTONIC), at least 0. */
static int ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : (int)ms;
}

/* Write all of `len` bytes before the deadline.  Returns 0 or -1. */
static int write_all(int fd, const char *p, size_t len, const struct timespec *deadline)
{
	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		if (n == 0)
			return -1;
		{
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };
			int left = ms_left(deadline);
			if (left == 0 || poll(&pfd, 1, left) <= 0)
				return -1;
		}
	}
	return 0;
}

static void answer(int fd, int status, const char *reason, const char *ctype,
                   const char *body, size_t len, int head, const struct timespec *deadline)
{
	char hdr[256];
	int n = snprintf(hdr, sizeof(hdr),
	                 "HTTP/1.0 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
	                 "Cache-Control: no-store\r\nConnection: close\r\n\r\n",
	                 status, reason, ctype, len);

	if (n < 0 || (size_t)n >= sizeof(hdr) || write_all(fd, hdr, (size_t)n, deadline) < 0)
		return;
	if (!head && len)
		write_all(fd, body, len, deadline);
}

/* portal_metrics_serve_text's format for a module's block (NULL: none). */
static int format_block(void *arg, portal_buf *out)
{
	return portal_metrics_format(arg, out);
}

void portal_metrics_serve_one(int fd, const portal_metrics *m)
{
	portal_metrics_serve_text(fd, m ? format_block : NULL, (void *)m);
}

void portal_metrics_serve_text(int fd, int (*format)(void *arg, portal_buf *out), void *arg)
{
	char req[REQUEST_MAX + 1];
	size_t got = 0;
	struct timespec deadline;
	int c, head;

	if ((c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) < 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += 1;
	/* read the request head: at most 4 KiB, at most 1 s */
	while (got < REQUEST_MAX) {
		ssize_t n = recv(c, req + got, REQUEST_MAX - got, 0);
		if (n > 0) {
			got += (size_t)n;
			req[got] = '\0';
			if (strstr(req, "\r\n\r\n") || strstr(req, "\n\n"))
				break;
			continue;
		}
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
			break;
		{
			struct pollfd pfd = { .fd = c, .events = POLLIN };
			int left = ms_left(&deadline);
			if (left == 0 || poll(&pfd, 1, left) <= 0)
				break;
		}
	}
	req[got] = '\0';
	head = strncmp(req, "HEAD ", 5) == 0;
	if (strncmp(req, "GET ", 4) != 0 && !head) {
		static const char msg[] = "Only GET /metrics is served here.\n";
		answer(c, got ? 405 : 400, got ? "Method Not Allowed" : "Bad Request",
		       "text/plain; charset=utf-8", msg, sizeof(msg) - 1, 0, &deadline);
	} else {
		const char *path = req + (head ? 5 : 4);
		size_t plen = strcspn(path, " ?\r\n");

		if (plen == 8 && strncmp(path, "/metrics", 8) == 0 && format != NULL) {
			portal_buf text;

			portal_buf_init(&text, MAX_TEXT);
			if (format(arg, &text) == 0 && !text.overflow)
				answer(c, 200, "OK", "text/plain; version=0.0.4; charset=utf-8",
				       text.data, text.len, head, &deadline);
			else {
				static const char msg[] = "The metrics text is too large.\n";
				answer(c, 500, "Internal Server Error", "text/plain; charset=utf-8",
				       msg, sizeof(msg) - 1, head, &deadline);
			}
			portal_buf_free(&text);
		} else {
			static const char msg[] = "Not found: GET /metrics.\n";
			answer(c, 404, "Not Found", "text/plain; charset=utf-8", msg, sizeof(msg) - 1,
			       head, &deadline);
		}
	}
	close(c);
}
