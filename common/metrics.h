/* metrics.h - the module's counters and latency histograms, shared by its
 * workers, in the Prometheus text exposition format (version 0.0.4).
 *
 * Before forking, the master creates one shared block (mmap MAP_SHARED |
 * MAP_ANONYMOUS) sized from the route and event counts; every worker updates
 * it with relaxed C11 atomics, so the numbers are the module's totals across
 * workers and survive a worker restart.  The hot path is a few atomic adds
 * per request: no lock, no system call.
 *
 * The master serves the text on a second unix socket, `<socket>.metrics`
 * (or PORTAL_METRICS_SOCKET; set it empty to turn the socket off), answering
 * a plain HTTP `GET /metrics`.  nginx never proxies that socket: the metrics
 * are not published on the portal's address.  (Prometheus scrapes TCP: give
 * it the socket through a local bridge, e.g. an internal-only nginx server
 * with `proxy_pass http://unix:/run/portal/auth.sock.metrics:/metrics;`.)
 *
 * What is counted:
 *   portal_http_requests_total{method,route,status="2xx".."5xx"}
 *       requests by route side (its method and pattern: a route's page and
 *       its API are counted apart) and status class
 *   portal_http_request_duration_seconds{method,route}
 *       a histogram per route (buckets 1, 2.5, 5, 10, 25, 50, 100, 250, 500,
 *       1000, 2500 ms, +Inf), from the start of dispatch to the answer built
 *   portal_http_unmatched_requests_total{code="400"|"404"|"405"|"other"}
 *       requests no route took
 *   portal_redis_errors_total   store calls that failed (returned NULL / -1)
 *   portal_ldap_errors_total    sign-ins the directory could not answer
 *   portal_worker_restarts_total
 *   portal_events_total{event}  the module's own events (below)
 *
 * Events: a module lists its event names in portal_app.events (nevents of
 * them), e.g.
 *     enum { EV_BOOKED, EV_WAITLISTED, EV_COUNT };
 *     static const char *const events[] = { "booking_booked", "booking_waitlisted" };
 *     ... .events = events, .nevents = EV_COUNT ...
 * and bumps one with portal_metric_event(ctx, EV_BOOKED).  Names are label
 * values (any text; keep them short and fixed).  An index out of range, or
 * a process with no metrics block (unit tests), is ignored.
 */
#ifndef PORTAL_METRICS_H
#define PORTAL_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "buf.h"

typedef struct portal_metrics portal_metrics;

/* The histogram's bucket bounds in microseconds (the +Inf bucket is extra). */
#define PORTAL_METRICS_BUCKETS 11

/* Create the shared block for `app` (its routes and events), zeroed.  NULL
 * when mmap fails. */
portal_metrics *portal_metrics_create(const portal_app *app);
void portal_metrics_destroy(portal_metrics *m);

/* Make `m` the block this process (and the workers it forks) counts into;
 * NULL stops counting.  Start-up configuration: call once before forking. */
void portal_metrics_use(portal_metrics *m);
portal_metrics *portal_metrics_current(void);

/* The hot-path hooks; each a no-op without a block. */
/* One answered request: the route's index in the table, or -1 when no route
 * matched; which side answered (1: the API, 0: the page); the status sent;
 * the time it took in microseconds. */
void portal_metrics_request(long route_index, int is_api, int status, uint64_t micros);
void portal_metrics_redis_error(void);
void portal_metrics_ldap_error(void);
void portal_metrics_worker_restart(void);
/* The module's event number `index` (of portal_app.events). */
void portal_metrics_event(size_t index);
void portal_metric_event(const portal_ctx *ctx, size_t index);

/* Append the exposition text of `m` to `out`.  Returns 0, or -1 when the
 * buffer refused it (overflow). */
int portal_metrics_format(const portal_metrics *m, portal_buf *out);

/* The master's responder: serve at most one connection waiting on the
 * listening socket `fd` (non-blocking), reading at most 4 KiB of request
 * and spending at most 1 s on it, then close it.  Answers GET or HEAD
 * /metrics with the text, anything else with 404 or 405. */
void portal_metrics_serve_one(int fd, const portal_metrics *m);

/* The same responder for a program without a module's block (portal-notify,
 * a worker): the text is what format(arg, out) appends to out, which
 * returns 0, or -1 (answered 500); format NULL answers 404.  Called from
 * any one thread at a time. */
void portal_metrics_serve_text(int fd, int (*format)(void *arg, portal_buf *out), void *arg);

#endif
