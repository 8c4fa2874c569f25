/* metrics.c - portal-notify's numbers in Prometheus text, on the metrics
 * socket as the modules' (common/metrics.h): PORTAL_METRICS_SOCKET, a unix
 * socket (0660, PORTAL_SOCKET_GROUP), answering GET /metrics.  The worker
 * has no FastCGI socket to sit beside, so it has no default: the stack,
 * compose and systemd name it DIR/notify.sock.metrics.
 *
 * A thread of its own answers it, with a Redis connection of its own, so a
 * scrape is answered while the loop waits on a slow SMTP server.  Counters
 * (this process's, since it started) are bumped by the loop: events each
 * sink finished, left to try again, dead-lettered, and messages the SMTP
 * server accepted.  Gauges are read from Redis at each scrape: per sink and
 * stream, the events not yet acknowledged (delivered and pending, plus not
 * yet read) and the age of the oldest of them.
 */
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "metrics.h"
#include "notify.h"

typedef atomic_uint_least64_t counter;

static struct {
	counter done, retried, dead;
} sink_counts[NOTIFY_METRICS_SINKS];
static counter messages_sent;

static struct {
	notify_worker *w;      /* streams, sinks, settings: read only here */
	portal_store  *st;     /* the thread's own connection */
	int            fd;
	char           path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	pthread_t      thread;
	int            running;
} srv = { .fd = -1 };

static size_t sink_index(const notify_worker *w, const notify_sink *k)
{
	size_t i;

	for (i = 0; i < w->nsinks && w->sinks[i] != k; i++)
		;
	return i;
}

void notify_metrics_outcome(const notify_worker *w, const notify_sink *k, notify_outcome o)
{
	size_t i = sink_index(w, k);

	if (i >= NOTIFY_METRICS_SINKS)
		return;
	atomic_fetch_add_explicit(o == NOTIFY_DONE ? &sink_counts[i].done : o == NOTIFY_RETRY ? &sink_counts[i].retried
	                                                                                    : &sink_counts[i].dead,
	                          1, memory_order_relaxed);
}

void notify_metrics_sent(void)
{
	atomic_fetch_add_explicit(&messages_sent, 1, memory_order_relaxed);
}

/* ---- the gauges, from Redis ------------------------------------------------ */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The integer, or the text, of field `name` of a flat name/value array. */
static const redisReply *field(const redisReply *map, const char *name)
{
	size_t i;

	for (i = 0; map->type == REDIS_REPLY_ARRAY && i + 1 < map->elements; i += 2)
		if (map->element[i]->type == REDIS_REPLY_STRING && strcmp(map->element[i]->str, name) == 0)
			return map->element[i + 1];
	return NULL;
}

/* Milliseconds of a stream id, or -1 when there is none. */
static long long id_ms(const char *id)
{
	return id && id[0] ? strtoll(id, NULL, 10) : -1;
}

/* The entries after `last` (not yet read by the group): how many (from the
 * group's lag, or counted when Redis cannot say) and the first one's ms. */
static int unread(portal_store *st, const char *key, const redisReply *lag, const char *last, long long *n,
                  long long *first_ms)
{
	char from[64];
	redisReply *r;

	snprintf(from, sizeof(from), "(%s", last);
	*n = lag && lag->type == REDIS_REPLY_INTEGER ? lag->integer : -1;
	if (*n == 0)
		return 0;
	/* a trimmed stream leaves the lag unknown: count (the stream is capped) */
	r = portal_store_command(st, "XRANGE %s %s + COUNT %d", key, from, *n < 0 ? 20000 : 1);
	if (r == NULL || r->type != REDIS_REPLY_ARRAY) {
		if (r)
			freeReplyObject(r);
		return -1;
	}
	if (*n < 0)
		*n = (long long)r->elements;
	if (r->elements > 0 && r->element[0]->type == REDIS_REPLY_ARRAY && r->element[0]->elements > 0)
		*first_ms = id_ms(r->element[0]->element[0]->str);
	freeReplyObject(r);
	return 0;
}

/* Sink k's events of stream key not acknowledged yet, and the oldest one's
 * id in ms (-1: none).  -1 when Redis did not answer. */
static int pending(portal_store *st, const char *key, const char *group, long long *n, long long *oldest_ms)
{
	redisReply *g = portal_store_command(st, "XINFO GROUPS %s", key), *p = NULL;
	const redisReply *mine = NULL, *last;
	long long lag = 0, first = -1;
	size_t i;
	int rc = -1;

	*n = 0, *oldest_ms = -1;
	if (g && g->type == REDIS_REPLY_ERROR)
		rc = 0;  /* no stream yet: nothing pending */
	for (i = 0; g && g->type == REDIS_REPLY_ARRAY && i < g->elements && !mine; i++) {
		const redisReply *name = field(g->element[i], "name");
		if (name && name->type == REDIS_REPLY_STRING && strcmp(name->str, group) == 0)
			mine = g->element[i];
	}
	if (g && g->type == REDIS_REPLY_ARRAY && mine == NULL)
		rc = 0;  /* no group yet: made when the worker first reads */
	if (mine && (last = field(mine, "last-delivered-id")) && last->type == REDIS_REPLY_STRING &&
	    unread(st, key, field(mine, "lag"), last->str, &lag, &first) == 0 &&
	    (p = portal_store_command(st, "XPENDING %s %s", key, group)) && p->type == REDIS_REPLY_ARRAY &&
	    p->elements >= 2 && p->element[0]->type == REDIS_REPLY_INTEGER) {
		long long pel = p->element[0]->integer;
		long long least = pel > 0 && p->element[1]->type == REDIS_REPLY_STRING ? id_ms(p->element[1]->str) : -1;
		*n = pel + lag;
		*oldest_ms = least >= 0 && (first < 0 || least < first) ? least : first;
		rc = 0;
	}
	if (p)
		freeReplyObject(p);
	if (g)
		freeReplyObject(g);
	return rc;
}

static void put_help(portal_buf *out, const char *name, const char *type, const char *help)
{
	portal_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The gauges of every sink and stream; 0, or -1 when Redis failed. */
static int put_gauges(const notify_worker *w, portal_store *st, portal_buf *out)
{
	portal_buf ages;
	size_t i, j;
	int rc = 0;

	portal_buf_init(&ages, 64 * 1024);
	put_help(out, "portal_notify_events_pending", "gauge",
	         "Events a sink has not acknowledged yet (being tried again, or not read yet), by sink and stream.");
	put_help(&ages, "portal_notify_oldest_pending_seconds", "gauge",
	         "Age of the oldest event a sink has not acknowledged yet (0: none), by sink and stream.");
	for (i = 0; i < w->nsinks && rc == 0; i++)
		for (j = 0; j < w->nstreams && rc == 0; j++) {
			char key[256];
			long long n, oldest;
			double age = 0;

			snprintf(key, sizeof(key), "%s%s:events", portal_store_prefix(st), w->streams[j].base);
			if ((rc = pending(st, key, w->sinks[i]->group, &n, &oldest)) < 0)
				break;
			if (oldest >= 0)
				age = (double)(now_ms() - oldest) / 1000.0;
			portal_buf_printf(out, "portal_notify_events_pending{sink=\"%s\",stream=\"%s\"} %lld\n",
			                  w->sinks[i]->group, w->streams[j].name, n);
			portal_buf_printf(&ages, "portal_notify_oldest_pending_seconds{sink=\"%s\",stream=\"%s\"} %.3f\n",
			                  w->sinks[i]->group, w->streams[j].name, age < 0 ? 0.0 : age);
		}
	if (rc == 0)
		portal_buf_append(out, ages.data, ages.len);
	portal_buf_free(&ages);
	return rc;
}

static void put_counter(portal_buf *out, const char *name, const char *sink, const counter *c)
{
	portal_buf_printf(out, "%s{sink=\"%s\"} %llu\n", name, sink,
	                  (unsigned long long)atomic_load_explicit((counter *)c, memory_order_relaxed));
}

int notify_metrics_format(const notify_worker *w, portal_store *st, portal_buf *out)
{
	size_t i, n = w->nsinks < NOTIFY_METRICS_SINKS ? w->nsinks : NOTIFY_METRICS_SINKS;
	portal_buf gauges;
	int up;

	portal_buf_init(&gauges, 256 * 1024);
	up = st && put_gauges(w, st, &gauges) == 0;
	put_help(out, "portal_notify_messages_sent_total", "counter",
	         "Messages the SMTP server accepted, since the worker started.");
	portal_buf_printf(out, "portal_notify_messages_sent_total %llu\n",
	                  (unsigned long long)atomic_load_explicit(&messages_sent, memory_order_relaxed));
	put_help(out, "portal_notify_events_done_total", "counter", "Events a sink finished with, by sink.");
	for (i = 0; i < n; i++)
		put_counter(out, "portal_notify_events_done_total", w->sinks[i]->group, &sink_counts[i].done);
	put_help(out, "portal_notify_retries_total", "counter",
	         "Tries that failed and left the event to be tried again later, by sink.");
	for (i = 0; i < n; i++)
		put_counter(out, "portal_notify_retries_total", w->sinks[i]->group, &sink_counts[i].retried);
	put_help(out, "portal_notify_dead_letters_total", "counter",
	         "Events put on the dead-letter list, by sink.");
	for (i = 0; i < n; i++)
		put_counter(out, "portal_notify_dead_letters_total", w->sinks[i]->group, &sink_counts[i].dead);
	put_help(out, "portal_notify_store_up", "gauge", "1 when Redis answered this scrape (the gauges are there).");
	portal_buf_printf(out, "portal_notify_store_up %d\n", up);
	if (up)
		portal_buf_append(out, gauges.data, gauges.len);
	portal_buf_free(&gauges);
	return out->overflow ? -1 : 0;
}

/* ---- the socket and its thread ----------------------------------------------- */

static int format_now(void *arg, portal_buf *out)
{
	(void)arg;
	return notify_metrics_format(srv.w, srv.st, out);
}

static void *serve(void *arg)
{
	(void)arg;
	while (!*srv.w->stopping) {
		struct pollfd pfd = { .fd = srv.fd, .events = POLLIN };
		if (poll(&pfd, 1, 200) > 0)
			portal_metrics_serve_text(srv.fd, format_now, NULL);
	}
	return NULL;
}

/* Listen on path (0660, group when set).  The fd, or -1 (logged). */
static int listen_unix(const char *path, const char *group)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct group *gr = group[0] ? getgrnam(group) : NULL;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	mode_t old;

	if (fd < 0 || strlen(path) >= sizeof(sa.sun_path) || (group[0] && gr == NULL)) {
		portal_logf(PORTAL_LOG_ERROR, "metrics socket %s: too long a path, or no group '%s'", path, group);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	unlink(path);  /* left by an earlier run */
	old = umask(0117);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || (gr && chown(path, (uid_t)-1, gr->gr_gid) < 0) ||
	    chmod(path, 0660) < 0 || listen(fd, 64) < 0) {
		portal_logf(PORTAL_LOG_ERROR, "metrics socket %s: %s", path, strerror(errno));
		umask(old);
		close(fd);
		return -1;
	}
	umask(old);
	return fd;
}

void notify_metrics_start(notify_worker *w)
{
	const char *path = getenv("PORTAL_METRICS_SOCKET");

	if (path == NULL || path[0] == '\0')
		return;  /* none asked for */
	snprintf(srv.path, sizeof(srv.path), "%s", path);
	srv.w = w;
	/* as the modules: without its metrics socket, the worker still works */
	if ((srv.st = portal_store_new(w->cfg, NULL, 0)) == NULL ||
	    (srv.fd = listen_unix(srv.path, w->cfg->socket_group)) < 0)
		portal_logf(PORTAL_LOG_WARN, "metrics socket not served: %s", srv.path);
	else if (pthread_create(&srv.thread, NULL, serve, NULL) != 0)
		portal_logf(PORTAL_LOG_WARN, "metrics socket not served: %s (no thread)", srv.path);
	else
		srv.running = 1;
}

void notify_metrics_stop(void)
{
	if (srv.running)
		pthread_join(srv.thread, NULL);
	srv.running = 0;
	if (srv.fd >= 0) {
		close(srv.fd);
		unlink(srv.path);
	}
	srv.fd = -1;
	portal_store_free(srv.st);
	srv.st = NULL;
}
