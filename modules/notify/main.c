/* portal-notify: tells people what happened, by e-mail (issue 16).
 *
 * A worker, not a FastCGI module: no socket, no routes.  It runs until
 * SIGTERM or SIGINT, which it honours between events (an event being sent
 * is finished first; one being retried stays pending).  Settings (README,
 * "Notifications"): the common PORTAL_REDIS_* and PORTAL_LDAP_* ones, and
 *   PORTAL_SMTP_URL, PORTAL_SMTP_USER, PORTAL_SMTP_PASSWORD_FILE,
 *   PORTAL_MAIL_FROM, PORTAL_PUBLIC_URL, PORTAL_LDAP_AGENCY_BASE,
 *   PORTAL_NOTIFY_CONSUMER, PORTAL_NOTIFY_RETRY_SECONDS,
 *   PORTAL_NOTIFY_RETRY_MAX_SECONDS, PORTAL_NOTIFY_DEAD_AFTER_SECONDS,
 *   PORTAL_SMTP_TIMEOUT_SECONDS, PORTAL_NOTIFY_CLOCK_SECONDS (clock.c).
 * `portal-notify --check` checks them and the templates, and stops.
 * PORTAL_METRICS_SOCKET: where it serves its metrics (metrics.c);
 * `portal-notify --health` asks it there (health.c).
 */
#include <curl/curl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "clock.h"
#include "log.h"
#include "notices.h"
#include "notify.h"

/* The streams read: each module that appends events (its base key after
 * the prefix, as its own header says). */
static const notify_stream notify_streams[] = {
	{ "beds", "beds:{beds}" },
	{ "training", "{training}" },
	{ "directory", "dir:{dir}" },  /* the dashboard's changes and suggestions */
	{ "cases", "cases:{cases}" },  /* issue 17: each side hears of the other's */
};

/* What the worker does with each event, each through its own consumer group. */
static const notify_sink *const notify_sinks[] = {
	&notify_mail_sink,
	&notify_dashboard_sink,
	&notify_inbox_sink,
};

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);
	return v && v[0] ? v : dflt;
}

/* A whole number setting in [min, max]; -1 with a message when wrong. */
static int env_num(const char *name, long long dflt, long long min, long long max, long long *out,
                   char *err, size_t errlen)
{
	const char *v = getenv(name);

	*out = dflt;
	if (v && v[0] && portal_parse_int(v, min, max, out) < 0) {
		snprintf(err, errlen, "%s must be a whole number from %lld to %lld", name, min, max);
		return -1;
	}
	return 0;
}

static int load_settings(notify_settings *s, const portal_config *cfg, char *err, size_t errlen)
{
	static char host[256], url[512];
	const char *pw = env_or("PORTAL_SMTP_PASSWORD_FILE", "");
	size_t len;

	s->smtp_url = env_or("PORTAL_SMTP_URL", "smtp://127.0.0.1:25");
	s->smtp_user = env_or("PORTAL_SMTP_USER", "");
	s->mail_from = env_or("PORTAL_MAIL_FROM", "London Anti-Slavery Partner Portal <portal@localhost>");
	snprintf(url, sizeof(url), "%s", env_or("PORTAL_PUBLIC_URL", "http://127.0.0.1:8080"));
	while ((len = strlen(url)) > 0 && url[len - 1] == '/')
		url[len - 1] = '\0';
	s->public_url = url;
	s->agency_base = env_or("PORTAL_LDAP_AGENCY_BASE", "ou=agencies,dc=portal,dc=example");
	if (gethostname(host, sizeof(host) - 1) != 0 || !host[0])
		snprintf(host, sizeof(host), "notify");
	s->consumer = env_or("PORTAL_NOTIFY_CONSUMER", host);
	if (strncmp(s->smtp_url, "smtp://", 7) != 0 && strncmp(s->smtp_url, "smtps://", 8) != 0)
		return snprintf(err, errlen, "PORTAL_SMTP_URL must start smtp:// (STARTTLS) or smtps:// (TLS)"), -1;
	if (strncmp(s->public_url, "http://", 7) != 0 && strncmp(s->public_url, "https://", 8) != 0)
		return snprintf(err, errlen, "PORTAL_PUBLIC_URL must be the portal's address, starting https://"), -1;
	if (notify_parse_from(s->mail_from, s->from_addr, sizeof(s->from_addr), s->domain, sizeof(s->domain)) < 0)
		return snprintf(err, errlen, "PORTAL_MAIL_FROM must be an ASCII address, \"name@example.org\" or "
		                "\"Portal <name@example.org>\""), -1;
	if (env_num("PORTAL_NOTIFY_RETRY_SECONDS", 30, 1, 86400, &s->retry_seconds, err, errlen) < 0 ||
	    env_num("PORTAL_NOTIFY_RETRY_MAX_SECONDS", 3600, 1, 86400, &s->retry_max, err, errlen) < 0 ||
	    env_num("PORTAL_NOTIFY_DEAD_AFTER_SECONDS", 86400, 1, 30 * 86400, &s->dead_after, err, errlen) < 0 ||
	    env_num("PORTAL_SMTP_TIMEOUT_SECONDS", 30, 1, 600, &s->smtp_timeout, err, errlen) < 0 ||
	    env_num("PORTAL_NOTIFY_CLOCK_SECONDS", 30, 1, 3600, &s->clock_seconds, err, errlen) < 0)
		return -1;
	if (pw[0] && (s->smtp_password = portal_secret_read(pw, 1024, &len, err, errlen)) == NULL)
		return -1;
	if (cfg->production && !getenv("PORTAL_MAIL_FROM"))
		return snprintf(err, errlen, "PORTAL_MAIL_FROM must be set in production (the address the mail comes from)"), -1;
	return cfg->production ? notify_settings_production(s, err, errlen) : 0;
}

/* Wait up to `ms`, waking early on a stop. */
static void pause_ms(int ms)
{
	for (; ms > 0 && !stopping; ms -= 100)
		usleep(100 * 1000);
}

/* Write the kinds catalogue the settings page reads (notices.h), once
 * Redis answers. */
static int publish_kinds(notify_worker *w)
{
	json_t *kinds = notify_kinds_catalogue();
	char key[256], *text = kinds ? json_dumps(kinds, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	redisReply *r = NULL;

	portal_notices_shared_key(w->st, "kinds", key, sizeof(key));
	if (text)
		r = portal_store_command(w->st, "SET %s %s", key, text);
	free(text);
	json_decref(kinds);
	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		if (r)
			freeReplyObject(r);
		return -1;
	}
	freeReplyObject(r);
	return 0;
}

static int run(notify_worker *w)
{
	int failures = 0, published = 0;

	portal_log(PORTAL_LOG_INFO, "started",
	           json_pack("{s:s, s:s, s:i}", "smtp", w->set->smtp_url, "consumer", w->set->consumer,
	                     "streams", (int)w->nstreams));
	while (!stopping) {
		notify_clock_tick(w, time(NULL));
		if (!published)
			published = publish_kinds(w) == 0;
		if (notify_turn(w) < 0) {
			/* Redis failed: the store reconnects on the next call */
			failures = failures < 5 ? failures + 1 : 5;
			pause_ms(200 << failures);
		} else
			failures = 0;
	}
	portal_logf(PORTAL_LOG_INFO, "stopped");
	return 0;
}

static int setup(portal_config *cfg, notify_settings *set, int argc, char **argv)
{
	char err[300];

	if (portal_config_load(cfg, "notify", err, sizeof(err)) < 0 || load_settings(set, cfg, err, sizeof(err)) < 0 ||
	    portal_config_load_ldap_secret(cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "portal-notify: %s\n", err);
		return 2;
	}
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--check") != 0)) {
		fprintf(stderr, "usage: portal-notify [--check | --health]\n");
		return 2;
	}
	/* XREADGROUP blocks for a second: the command timeout must outlast it */
	if (cfg->redis_timeout_ms < 3000)
		cfg->redis_timeout_ms = 3000;
	portal_log_init("notify", (portal_log_level)cfg->log_level);
	portal_clock_init();
	return 0;
}

int main(int argc, char **argv)
{
	static portal_config cfg;
	static notify_settings set;
	notify_worker w = { .cfg = &cfg, .set = &set, .streams = notify_streams,
	                    .nstreams = sizeof(notify_streams) / sizeof(notify_streams[0]),
	                    .sinks = notify_sinks, .nsinks = sizeof(notify_sinks) / sizeof(notify_sinks[0]),
	                    .stopping = (volatile int *)&stopping };
	struct sigaction sa;
	int rc;

	if (argc == 2 && strcmp(argv[1], "--health") == 0)
		return notify_health();
	if ((rc = setup(&cfg, &set, argc, argv)) != 0)
		return rc;
	if ((w.tpl = portal_templates_load_embedded()) == NULL)
		return 1;
	if (argc == 2) {
		portal_templates_free(w.tpl);
		printf("portal-notify: configuration and templates are valid\n");
		return 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	w.st = portal_store_new(&cfg, notify_scripts, NOTIFY_NSCRIPTS);
	w.smtp = notify_smtp_new(&set);
	if (w.st && w.smtp)
		notify_metrics_start(&w);
	rc = w.st && w.smtp ? run(&w) : 1;
	stopping = 1;
	notify_metrics_stop();
	notify_clock_free();
	notify_smtp_free(w.smtp);
	portal_store_free(w.st);
	portal_templates_free(w.tpl);
	curl_global_cleanup();
	return rc;
}
