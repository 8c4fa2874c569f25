/* server.c - master, workers, threads and the FastCGI glue (see server.h). */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <fcgiapp.h>
#include <grp.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "metrics.h"
#include "openapi.h"
#include "router.h"
#include "session.h"

#define MAX_WORKERS 64

/* metrics (metrics.h): the master's listening socket for GET /metrics, or -1 */
static int metrics_fd = -1;

/* The master's store for app->housekeeping (created on first use), or NULL.
 * A forked worker frees its copy at once: it never uses the master's. */
static portal_store *housekeeping_store;

/* Set by signal handlers; read by the loops. */
static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* SIGUSR1 only interrupts a blocked accept(); it does nothing else. */
static void on_wake_signal(int sig)
{
	(void)sig;
}

/* Install a handler without SA_RESTART, so blocking calls see EINTR. */
static void set_handler(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* ---- the FastCGI side of portal_raw_request ------------------------------- */

static const char *fcgi_param(void *io, const char *name)
{
	FCGX_Request *rq = io;
	return FCGX_GetParam(name, rq->envp);
}

static long fcgi_read(void *io, char *buf, size_t len)
{
	FCGX_Request *rq = io;
	int n = FCGX_GetStr(buf, len > 65536 ? 65536 : (int)len, rq->in);
	return n < 0 ? -1 : n;
}

static const char *status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default:  return "Status";
	}
}

/* Send a built response on the FastCGI stream. */
static void fcgi_send(FCGX_Request *rq, const portal_response *res)
{
	char head[256];
	int n;

	n = snprintf(head, sizeof(head), "Status: %d %s\r\n", res->status, status_text(res->status));
	FCGX_PutStr(head, n, rq->out);
	if (res->content_type[0]) {
		n = snprintf(head, sizeof(head), "Content-Type: %s\r\n", res->content_type);
		FCGX_PutStr(head, n, rq->out);
	}
	n = snprintf(head, sizeof(head), "Content-Length: %lu\r\n", (unsigned long)res->body.len);
	FCGX_PutStr(head, n, rq->out);
	if (res->headers.len)
		FCGX_PutStr(res->headers.data, (int)res->headers.len, rq->out);
	FCGX_PutStr("\r\n", 2, rq->out);
	if (res->body.len)
		FCGX_PutStr(res->body.data, (int)res->body.len, rq->out);
}

/* End the request and close the connection at once.  libfcgi's own close
 * (FCGX_Finish_r on a non-detached request) shuts down the write side and
 * then waits for nginx to close first, which costs every request a wake-up.
 * nginx has sent everything by the time we answer (it buffers the body), so
 * we read what is left of stdin (usually just its end marker) and close
 * plainly: nothing unread is left for the kernel to reset. */
static void fcgi_finish(FCGX_Request *rq)
{
	char sink[4096];
	int n, guard = 0;

	while ((n = FCGX_GetStr(sink, sizeof(sink), rq->in)) > 0 && ++guard < 512)
		;
	rq->detached = 1;
	FCGX_Finish_r(rq);
	rq->detached = 0;
}

/* ---- worker ----------------------------------------------------------------- */

typedef struct worker_thread {
	pthread_t          tid;
	int                listen_fd;
	portal_thread      th;
	atomic_int         in_accept;  /* 1 while blocked waiting for a connection */
	atomic_int         done;
} worker_thread;

static void *worker_thread_main(void *arg)
{
	worker_thread *wt = arg;
	FCGX_Request rq;
	portal_response res;
	portal_raw_request raw = { fcgi_param, fcgi_read, &rq };
	struct timespec t0, t1;
	unsigned long served = 0;
	int slow;

	FCGX_InitRequest(&rq, wt->listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
	portal_response_init(&res);
	while (!stop_requested) {
		int rc;

		atomic_store(&wt->in_accept, 1);
		rc = FCGX_Accept_r(&rq);
		atomic_store(&wt->in_accept, 0);
		if (rc < 0) {
			if (stop_requested)
				break;
			/* a failed accept that is not a shutdown: pause, go on */
			usleep(10000);
			continue;
		}
		portal_buf_reset(&res.headers);
		portal_buf_reset(&res.body);
		res.status = 200;
		res.content_type[0] = '\0';
		clock_gettime(CLOCK_MONOTONIC, &t0);
		portal_dispatch(&wt->th, &raw, &res);
		fcgi_send(&rq, &res);
		fcgi_finish(&rq);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		/* Keep a worker small: a large answer came from a large JSON tree,
		 * and a slow request (an import, a generator batch) usually built
		 * big structures too; their freed pages go back to the system now,
		 * not at exit.  Every 1024 requests a trim catches the rest. */
		slow = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 > 50;
		if (res.body.len > 32 * 1024 || slow || ++served % 1024 == 0) {
			if (res.body.alloc > 256 * 1024)
				portal_buf_free(&res.body);
			malloc_trim(0);
		}
	}
	FCGX_Free(&rq, 1);
	portal_response_free(&res);
	portal_store_free(wt->th.store);
	portal_token_cache_free(wt->th.tokens);
	atomic_store(&wt->done, 1);
	return NULL;
}

/* One worker process.  Returns its exit status. */
static int worker_main(const portal_app *app, const portal_config *cfg,
                       const portal_templates *tpl, int listen_fd)
{
	worker_thread *threads;
	sigset_t set;
	struct timespec deadline, now;
	int i, started = 0, all_done;

	/* our handlers go in before FCGX_Init, which otherwise takes SIGTERM */
	set_handler(SIGTERM, on_stop_signal);
	set_handler(SIGINT, on_stop_signal);
	set_handler(SIGUSR1, on_wake_signal);
	signal(SIGPIPE, SIG_IGN);
	/* Block the stop signals here; the threads inherit the mask, so a stop
	 * reaches this thread, which waits for it in sigsuspend (no lost wake-up). */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (FCGX_Init() != 0) {
		portal_logf(PORTAL_LOG_ERROR, "FCGX_Init failed");
		return 1;
	}
	/* Keep a worker small whatever it served: one malloc arena for all its
	 * threads (rather than one each), large blocks straight from mmap and
	 * back to the system when freed, and free memory at the top of the
	 * heap given back early.  (Measured: after listing 300 training
	 * sessions under load a worker held 11 MiB with glibc's defaults.) */
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, 64 * 1024);
	mallopt(M_TRIM_THRESHOLD, 128 * 1024);
	if ((threads = calloc((size_t)cfg->threads, sizeof(*threads))) == NULL)
		return 1;
	for (i = 0; i < cfg->threads; i++) {
		worker_thread *wt = &threads[i];
		wt->listen_fd = listen_fd;
		wt->th.app = app;
		wt->th.config = cfg;
		wt->th.templates = tpl;
		wt->th.store = portal_store_new(cfg, app->scripts, app->nscripts);
		wt->th.tokens = portal_token_cache_new();
		if (wt->th.store == NULL || pthread_create(&wt->tid, NULL, worker_thread_main, wt) != 0) {
			portal_logf(PORTAL_LOG_ERROR, "worker could not start thread %d", i);
			stop_requested = 1;
			break;
		}
		started++;
	}
	/* wait for a stop signal, atomically unblocking it */
	sigemptyset(&set);
	while (!stop_requested)
		sigsuspend(&set);
	FCGX_ShutdownPending();
	/* wake the threads blocked in accept; those serving a request finish it */
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += cfg->drain_seconds;
	do {
		all_done = 1;
		for (i = 0; i < started; i++) {
			if (atomic_load(&threads[i].done))
				continue;
			all_done = 0;
			if (atomic_load(&threads[i].in_accept))
				pthread_kill(threads[i].tid, SIGUSR1);
		}
		if (all_done)
			break;
		usleep(20000);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec < deadline.tv_sec ||
	         (now.tv_sec == deadline.tv_sec && now.tv_nsec < deadline.tv_nsec));
	if (!all_done) {
		portal_logf(PORTAL_LOG_WARN, "worker %d: requests still running after %d s; exiting",
		            (int)getpid(), cfg->drain_seconds);
		_exit(1);
	}
	for (i = 0; i < started; i++)
		pthread_join(threads[i].tid, NULL);
	free(threads);
	return 0;
}

/* ---- master ----------------------------------------------------------------- */

/* Create the listening unix socket at `path`, mode 0660.  Returns the fd or -1. */
static int open_socket(const char *path, const char *group)
{
	struct sockaddr_un sa;
	int fd;
	mode_t old;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		portal_logf(PORTAL_LOG_ERROR, "socket path too long: %s", path);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	unlink(path);  /* a socket left by an earlier run */
	old = umask(0117);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		umask(old);
		portal_logf(PORTAL_LOG_ERROR, "cannot bind %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	umask(old);
	if (group && *group) {
		/* let the web server's group in (e.g. nginx's www-data) */
		struct group *gr = getgrnam(group);
		if (gr == NULL || chown(path, (uid_t)-1, gr->gr_gid) < 0) {
			portal_logf(PORTAL_LOG_ERROR, "cannot give socket %s to group %s", path, group);
			close(fd);
			return -1;
		}
	}
	if (chmod(path, 0660) < 0 || listen(fd, 1024) < 0) {
		portal_logf(PORTAL_LOG_ERROR, "cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	/* CLOEXEC only matters across exec: the forked workers keep it */
	return fd;
}

/* 1 when fd 0 is a listening socket (spawn-fcgi, systemd socket activation). */
static int stdin_is_listen_socket(void)
{
	int val = 0;
	socklen_t len = sizeof(val);

	return getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &val, &len) == 0 && val;
}

static pid_t spawn_worker(const portal_app *app, const portal_config *cfg,
                          const portal_templates *tpl, int fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		int rc;

		if (metrics_fd >= 0)
			close(metrics_fd);  /* metrics: only the master answers it */
		if (housekeeping_store) {  /* the master's connection stays the master's */
			portal_store_free(housekeeping_store);
			housekeeping_store = NULL;
		}
		rc = worker_main(app, cfg, tpl, fd);
		_exit(rc);
	}
	return pid;
}

/* Seconds on the monotonic clock. */
static time_t monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* Run app->housekeeping when *next_at (monotonic seconds) has come, and set
 * *next_at to when it asks to run again (1 s to PORTAL_HOUSEKEEPING_MAX_SECONDS
 * later; 60 s, or that setting if less, when its store could not be made).
 * Nothing when the module has none. */
static void run_housekeeping(const portal_app *app, const portal_config *cfg, time_t *next_at)
{
	time_t now = monotonic_seconds();
	int wait = 60;

	if (app->housekeeping == NULL || now < *next_at)
		return;
	if (housekeeping_store == NULL)
		housekeeping_store = portal_store_new(cfg, app->scripts, app->nscripts);
	if (housekeeping_store)
		wait = app->housekeeping(housekeeping_store, cfg);
	if (wait < 1)
		wait = 1;
	if (wait > (cfg->housekeeping_max > 0 ? cfg->housekeeping_max : 3600))
		wait = cfg->housekeeping_max > 0 ? cfg->housekeeping_max : 3600;
	*next_at = monotonic_seconds() + wait;
}

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--socket PATH] [--workers N] [--threads T] [--check] [--load-demo] | --openapi\n", prog);
}

/* --load-demo: the module's demo data, for the demo stack only. */
static int run_load_demo(const portal_app *app, const portal_config *cfg)
{
	portal_store *st;
	char err[256] = "";
	int rc;

	if (cfg->production || !cfg->demo) {
		fprintf(stderr, "portal-%s: --load-demo needs PORTAL_ENV=development and PORTAL_DEMO=1\n", app->name);
		return 2;
	}
	if (app->load_demo == NULL)
		return 0;
	if ((st = portal_store_new(cfg, app->scripts, app->nscripts)) == NULL)
		return 1;
	rc = app->load_demo(st, cfg, err, sizeof(err));
	portal_store_free(st);
	if (rc < 0) {
		fprintf(stderr, "portal-%s: demo data not loaded: %s\n", app->name, err);
		return 1;
	}
	return 0;
}

/* `portal-NAME --openapi`: the module's part of the API description on
 * stdout (openapi.c), for the build; no configuration is read. */
static int print_openapi(const portal_app *app)
{
	json_t *part = portal_openapi_part(app);
	int rc = part && json_dumpf(part, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER) == 0 ? 0 : 1;

	json_decref(part);
	return rc;
}

/* The command line over the configuration: 0, 1 when it asks for a
 * check or the demo data (*mode: 'c' or 'd'), or -1 (usage said). */
static int read_arguments(portal_config *cfg, int argc, char **argv, char *mode)
{
	long long n;
	int i;

	*mode = 0;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc)
			cfg->socket_path = argv[++i];
		else if (strcmp(argv[i], "--workers") == 0 && i + 1 < argc &&
		         portal_parse_int(argv[i + 1], 1, MAX_WORKERS, &n) == 0)
			cfg->workers = (int)n, i++;
		else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc &&
		         portal_parse_int(argv[i + 1], 1, 64, &n) == 0)
			cfg->threads = (int)n, i++;
		else if (strcmp(argv[i], "--check") == 0)
			*mode = 'c';
		else if (strcmp(argv[i], "--load-demo") == 0)
			*mode = 'd';
		else {
			usage(argv[0]);
			return -1;
		}
	}
	return *mode ? 1 : 0;
}

/* The socket the workers accept on: --socket/PORTAL_SOCKET, else fd 0 when
 * it is a listening socket.  -1 when there is none (said). */
static int listen_fd(const portal_app *app, const portal_config *cfg)
{
	if (cfg->socket_path[0])
		return open_socket(cfg->socket_path, cfg->socket_group);
	if (stdin_is_listen_socket())
		return 0;
	fprintf(stderr, "portal-%s: give --socket PATH (or PORTAL_SOCKET), "
	        "or start it with a listening socket on fd 0\n", app->name);
	return -1;
}

/* metrics: the shared counters, made before the workers fork, and the
 * master's own socket for them (PORTAL_METRICS_SOCKET, default
 * <socket>.metrics; set empty for none) into metrics_fd.  nginx never
 * proxies it. */
static portal_metrics *open_metrics(const portal_app *app, const portal_config *cfg, char *path, size_t len)
{
	portal_metrics *metrics = portal_metrics_create(app);
	const char *mp;

	if (metrics == NULL)
		portal_logf(PORTAL_LOG_WARN, "metrics off: cannot map the shared block: %s", strerror(errno));
	portal_metrics_use(metrics);
	if ((mp = getenv("PORTAL_METRICS_SOCKET")) != NULL)
		snprintf(path, len, "%s", mp);
	else if (cfg->socket_path[0])
		snprintf(path, len, "%s.metrics", cfg->socket_path);
	if (metrics && path[0]) {
		if ((metrics_fd = open_socket(path, cfg->socket_group)) < 0)
			portal_logf(PORTAL_LOG_WARN, "metrics socket not served: %s", path);
		else
			fcntl(metrics_fd, F_SETFL, fcntl(metrics_fd, F_GETFL) | O_NONBLOCK);
	}
	return metrics;
}

/* The master's workers. */
struct master {
	const portal_app       *app;
	const portal_config    *cfg;
	const portal_templates *tpl;
	int                     fd;
	pid_t                   pids[MAX_WORKERS];
	time_t                  started_at[MAX_WORKERS];
	int                     quick_deaths;
};

/* Worker `dead` ended: say how, and start another in its place (after a
 * pause when workers die soon after starting). */
static void replace_worker(struct master *m, pid_t dead, int status)
{
	int i;

	for (i = 0; i < m->cfg->workers; i++) {
		if (m->pids[i] != dead)
			continue;
		portal_log(PORTAL_LOG_WARN, "worker died",
		           json_pack("{s:i, s:i, s:i}", "pid", (int)dead,
		                     "exit_status", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		                     "signal", WIFSIGNALED(status) ? WTERMSIG(status) : 0));
		if (time(NULL) - m->started_at[i] < 5) {
			if (m->quick_deaths < 5)
				m->quick_deaths++;
		} else
			m->quick_deaths = 0;
		if (m->quick_deaths > 1 && !stop_requested)
			usleep((useconds_t)(100000u << m->quick_deaths));  /* 0.4 s .. 3.2 s */
		if (stop_requested)
			return;
		portal_metrics_worker_restart();  /* metrics */
		m->pids[i] = spawn_worker(m->app, m->cfg, m->tpl, m->fd);
		m->started_at[i] = time(NULL);
	}
}

/* Start the workers and keep them running until a stop signal; then pass
 * the stop on and wait for them to drain. */
static void supervise(struct master *m, portal_metrics *metrics)
{
	time_t housekeeping_at = monotonic_seconds() + 1;
	int i;

	for (i = 0; i < m->cfg->workers; i++) {
		m->pids[i] = spawn_worker(m->app, m->cfg, m->tpl, m->fd);
		m->started_at[i] = time(NULL);
	}
	portal_log(PORTAL_LOG_INFO, "started",
	           json_pack("{s:s, s:i, s:i, s:i}", "socket", m->cfg->socket_path[0] ? m->cfg->socket_path : "fd 0",
	                     "workers", m->cfg->workers, "threads", m->cfg->threads, "pid", (int)getpid()));
	while (!stop_requested) {
		int status;
		pid_t dead = waitpid(-1, &status, WNOHANG);

		run_housekeeping(m->app, m->cfg, &housekeeping_at);
		if (dead > 0) {
			replace_worker(m, dead, status);
			continue;
		}
		/* nothing died: sleep until a signal or 100 ms (metrics: or
		 * answer one GET /metrics waiting on the metrics socket) */
		if (metrics_fd >= 0) {
			struct pollfd pfd = { .fd = metrics_fd, .events = POLLIN };
			if (poll(&pfd, 1, 100) > 0)
				portal_metrics_serve_one(metrics_fd, metrics);
		} else
			usleep(100000);
	}
	for (i = 0; i < m->cfg->workers; i++)
		if (m->pids[i] > 0)
			kill(m->pids[i], SIGTERM);
	for (i = 0; i < m->cfg->workers; i++)
		if (m->pids[i] > 0)
			while (waitpid(m->pids[i], NULL, 0) < 0 && errno == EINTR)
				;
}

int portal_main(const portal_app *app, int argc, char **argv)
{
	static portal_config cfg;  /* read-only once the workers start */
	static struct master m;
	portal_templates *tpl;
	char err[256], metrics_path[sizeof(((struct sockaddr_un *)0)->sun_path) + 16] = "";
	portal_metrics *metrics;
	char mode;
	int fd;

	if (argc == 2 && strcmp(argv[1], "--openapi") == 0)  /* the build's API description */
		return print_openapi(app);
	/* libportal's own scripts go with every store this process makes */
	portal_store_use_common_scripts(portal_session_scripts, portal_session_scripts_count);
	if (portal_config_load(&cfg, app->name, err, sizeof(err)) < 0) {
		fprintf(stderr, "portal-%s: %s\n", app->name, err);
		return 2;
	}
	if (read_arguments(&cfg, argc, argv, &mode) < 0)
		return 2;
	if (portal_routes_check(app, err, sizeof(err)) < 0) {
		fprintf(stderr, "portal-%s: the route table is wrong: %s\n", app->name, err);
		return 2;
	}
	portal_log_init(app->name, (portal_log_level)cfg.log_level);
	portal_clock_init();
	if (mode == 'd')
		return run_load_demo(app, &cfg);
	if (portal_config_load_secrets(&cfg, app->uses_directory, err, sizeof(err)) < 0) {
		fprintf(stderr, "portal-%s: %s\n", app->name, err);
		return 2;
	}
	if ((tpl = portal_templates_load_embedded()) == NULL)
		return 1;
	if (mode == 'c') {
		portal_templates_free(tpl);
		printf("portal-%s: configuration and templates are valid\n", app->name);
		return 0;
	}
	set_handler(SIGTERM, on_stop_signal);
	set_handler(SIGINT, on_stop_signal);
	set_handler(SIGCHLD, on_wake_signal);
	signal(SIGPIPE, SIG_IGN);
	if ((fd = listen_fd(app, &cfg)) < 0)
		return cfg.socket_path[0] ? 1 : 2;
	metrics = open_metrics(app, &cfg, metrics_path, sizeof(metrics_path));
	m = (struct master){ .app = app, .cfg = &cfg, .tpl = tpl, .fd = fd };
	supervise(&m, metrics);
	if (cfg.socket_path[0])
		unlink(cfg.socket_path);
	if (metrics_fd >= 0) {  /* metrics */
		close(metrics_fd);
		unlink(metrics_path);
	}
	portal_store_free(housekeeping_store);
	housekeeping_store = NULL;
	portal_metrics_use(NULL);
	portal_metrics_destroy(metrics);
	portal_templates_free(tpl);
	portal_logf(PORTAL_LOG_INFO, "stopped");
	return 0;
}
