/* config.h - configuration from environment variables, secrets from files.
 *
 * Read once at start-up (portal_config_load) and read-only afterwards; the
 * README's configuration table lists every variable.  Command-line flags of
 * the module binaries (--socket, --workers, --threads) override the
 * corresponding variables.
 */
#ifndef PORTAL_CONFIG_H
#define PORTAL_CONFIG_H

#include <stddef.h>

typedef struct portal_config {
	const char *module;            /* "auth", "training", ... */
	int         production;        /* PORTAL_ENV=production (the default) */
	int         demo;              /* PORTAL_DEMO=1: demo banner; refused in production */
	const char *socket_path;       /* PORTAL_SOCKET; "" = inherit fd 0 */
	const char *socket_group;      /* PORTAL_SOCKET_GROUP: group given the socket, "" = ours */
	int         workers;           /* PORTAL_WORKERS, 1..64, default 2 */
	int         threads;           /* PORTAL_THREADS, 1..64, default 4 */
	int         drain_seconds;     /* PORTAL_DRAIN_SECONDS, 1..300, default 10 */
	const char *redis_socket;      /* PORTAL_REDIS_SOCKET, default /run/portal/redis.sock */
	const char *redis_host;        /* PORTAL_REDIS_HOST: TCP instead of the socket when set */
	int         redis_port;        /* PORTAL_REDIS_PORT, default 6379 */
	int         redis_connect_ms;  /* PORTAL_REDIS_CONNECT_TIMEOUT_MS, default 300 */
	int         redis_timeout_ms;  /* PORTAL_REDIS_TIMEOUT_MS, default 500 */
	const char *redis_prefix;      /* PORTAL_REDIS_PREFIX, default "portal:" */
	size_t      max_body;          /* PORTAL_MAX_BODY bytes, default 65536 */
	int         log_level;         /* PORTAL_LOG_LEVEL: debug|info|warn|error */
	const char *service_name;      /* shown in the page header */
} portal_config;

/* Fill `cfg` from the environment for module `module`.  Returns 0, or -1
 * with a message in err naming the variable and what it must be. */
int portal_config_load(portal_config *cfg, const char *module, char *err, size_t errlen);

/* Parse a decimal integer in [min, max] with no junk.  Returns 0 or -1. */
int portal_parse_int(const char *s, long long min, long long max, long long *out);

/* Read a secret file (at most max bytes; one trailing newline removed) into a
 * malloc'd buffer the caller frees (and should wipe).  Refuses a file that is
 * empty or readable by others than owner and group.  Returns NULL with a
 * message in err. */
char *portal_secret_read(const char *path, size_t max, size_t *len, char *err, size_t errlen);

#endif
