/* config.c - environment configuration and secret files (see config.h). */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

int portal_parse_int(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* 1 when `c` may be in a host name or an IPv4 address. */
static int host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-' || c == '_';
}

/* 1 when `c` may be in a bracketed IPv6 address. */
static int ipv6_char(char c)
{
	return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || (c >= '0' && c <= '9') ||
	       c == ':' || c == '.';
}

/* Parse one entry s[0..len) (trimmed) into *out.  0, or -1 with err. */
static int parse_hostport(const char *s, size_t len, portal_hostport *out, char *err, size_t errlen)
{
	const char *host = s, *colon;
	size_t hlen, i;
	int shown = (int)(len > 100 ? 100 : len);  /* for messages */
	char port[8];
	long long n;

	if (len > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', len);

		if (close == NULL || close + 1 >= s + len || close[1] != ':') {
			snprintf(err, errlen, "\"%.*s\": an IPv6 address goes in brackets, then a colon and the port: [::1]:26379",
			         shown, s);
			return -1;
		}
		host = s + 1;
		hlen = (size_t)(close - host);
		colon = close + 1;
		for (i = 0; i < hlen; i++)
			if (!ipv6_char(host[i]))
				hlen = 0;
	} else {
		colon = memchr(s, ':', len);
		if (colon == NULL) {
			snprintf(err, errlen, "\"%.*s\" has no port: write host:port", shown, s);
			return -1;
		}
		hlen = (size_t)(colon - s);
		for (i = 0; i < hlen; i++)
			if (!host_char(host[i]))
				hlen = 0;
	}
	if (hlen == 0 || hlen >= sizeof(out->host)) {
		snprintf(err, errlen, "\"%.*s\": the host must be a name or an address "
		         "(letters, digits, '.', '-', '_'; IPv6 in brackets)", shown, s);
		return -1;
	}
	len -= (size_t)(colon + 1 - s);
	if (len == 0 || len >= sizeof(port)) {
		n = -1;
	} else {
		memcpy(port, colon + 1, len);
		port[len] = '\0';
		if (portal_parse_int(port, 1, 65535, &n) < 0)
			n = -1;
	}
	if (n < 0) {
		snprintf(err, errlen, "\"%.*s\": the port must be a whole number from 1 to 65535", shown, s);
		return -1;
	}
	memcpy(out->host, host, hlen);
	out->host[hlen] = '\0';
	out->port = (int)n;
	return 0;
}

int portal_parse_hostports(const char *s, portal_hostport *out, int max, char *err, size_t errlen)
{
	const char *p = s, *end;
	size_t len;
	int n = 0;

	if (s == NULL)
		return 0;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return 0;
	for (;;) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		while (len && (*p == ' ' || *p == '\t'))
			p++, len--;
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == 0) {
			snprintf(err, errlen, "entry %d is empty: write host:port,host:port", n + 1);
			return -1;
		}
		if (n == max) {
			snprintf(err, errlen, "at most %d entries", max);
			return -1;
		}
		if (parse_hostport(p, len, &out[n], err, errlen) < 0)
			return -1;
		n++;
		if (end == NULL)
			return n;
		p = end + 1;
	}
}

/* The variable's value, or `dflt` when unset or empty. */
static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);
	return (v && *v) ? v : dflt;
}

/* 1 when `p` may start every key: 1..PORTAL_REDIS_PREFIX_MAX bytes of
 * letters, digits and ":_-." (keys are built in fixed buffers, and a space
 * or a brace would change what a key means to Redis or to a Cluster). */
static int redis_prefix_ok(const char *p)
{
	size_t n = strlen(p), i;

	if (n == 0 || n > PORTAL_REDIS_PREFIX_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) && strchr(":_-.", p[i]) == NULL)
			return 0;
	return 1;
}

/* Read an integer variable within bounds into *out (default when unset). */
static int env_int(const char *name, long long min, long long max, long long dflt,
                   long long *out, char *err, size_t errlen)
{
	const char *v = getenv(name);

	if (v == NULL || *v == '\0') {
		*out = dflt;
		return 0;
	}
	if (portal_parse_int(v, min, max, out) < 0) {
		snprintf(err, errlen, "%s must be a whole number from %lld to %lld", name, min, max);
		return -1;
	}
	return 0;
}

/* 1 when s is 1..max characters, each printable ASCII other than space
 * (an ACL user or a Sentinel master name). */
static int plain_word(const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return 0;
	return i > 0 && i <= max;
}

/* Read the Redis password files named by the configuration. */
static int load_redis_secrets(portal_config *cfg, char *err, size_t errlen)
{
	char why[256];
	size_t len;

	if (cfg->redis_user[0] && !cfg->redis_password_file[0]) {
		snprintf(err, errlen, "PORTAL_REDIS_USER is set: PORTAL_REDIS_PASSWORD_FILE must name "
		         "the file that holds its password");
		return -1;
	}
	if (cfg->redis_password_file[0]) {
		cfg->redis_password = portal_secret_read(cfg->redis_password_file, 4096, &len, why, sizeof(why));
		if (cfg->redis_password == NULL) {
			snprintf(err, errlen, "PORTAL_REDIS_PASSWORD_FILE: %s", why);
			return -1;
		}
	}
	if (cfg->redis_sentinel_password_file[0]) {
		if (cfg->redis_nsentinels == 0) {
			snprintf(err, errlen, "PORTAL_REDIS_SENTINEL_PASSWORD_FILE is set but PORTAL_REDIS_SENTINELS is not");
			return -1;
		}
		cfg->redis_sentinel_password = portal_secret_read(cfg->redis_sentinel_password_file, 4096,
		                                                  &len, why, sizeof(why));
		if (cfg->redis_sentinel_password == NULL) {
			snprintf(err, errlen, "PORTAL_REDIS_SENTINEL_PASSWORD_FILE: %s", why);
			return -1;
		}
	}
	return 0;
}

/* The Redis settings beyond the address: Sentinel, WAIT, AUTH. */
static int load_redis_ha(portal_config *cfg, char *err, size_t errlen)
{
	char why[200];
	long long n;
	int wait_set;

	cfg->redis_nsentinels = portal_parse_hostports(getenv("PORTAL_REDIS_SENTINELS"), cfg->redis_sentinels,
	                                               PORTAL_MAX_SENTINELS, why, sizeof(why));
	if (cfg->redis_nsentinels < 0) {
		snprintf(err, errlen, "PORTAL_REDIS_SENTINELS: %s", why);
		return -1;
	}
	if (cfg->redis_nsentinels > 0 && cfg->redis_host[0]) {
		snprintf(err, errlen, "PORTAL_REDIS_SENTINELS and PORTAL_REDIS_HOST are both set: with Sentinels "
		         "the primary's address comes from them; unset PORTAL_REDIS_HOST");
		return -1;
	}
	cfg->redis_master_name = env_or("PORTAL_REDIS_MASTER_NAME", "portal");
	if (!plain_word(cfg->redis_master_name, 128)) {
		snprintf(err, errlen, "PORTAL_REDIS_MASTER_NAME must be 1 to 128 characters with no spaces");
		return -1;
	}
	if (env_int("PORTAL_REDIS_WAIT_REPLICAS", 0, 5, 0, &n, err, errlen) < 0)
		return -1;
	cfg->redis_wait_replicas = (int)n;
	wait_set = getenv("PORTAL_REDIS_WAIT_TIMEOUT_MS") && *getenv("PORTAL_REDIS_WAIT_TIMEOUT_MS");
	if (env_int("PORTAL_REDIS_WAIT_TIMEOUT_MS", 1, 10000, 250, &n, err, errlen) < 0)
		return -1;
	cfg->redis_wait_timeout_ms = (int)n;
	if ((cfg->redis_wait_replicas > 0 || wait_set) && n >= cfg->redis_timeout_ms) {
		snprintf(err, errlen, "PORTAL_REDIS_WAIT_TIMEOUT_MS (%lld) must be below PORTAL_REDIS_TIMEOUT_MS (%d): "
		         "the reply to WAIT must come before the command timeout", n, cfg->redis_timeout_ms);
		return -1;
	}
	cfg->redis_user = env_or("PORTAL_REDIS_USER", "");
	if (cfg->redis_user[0] && !plain_word(cfg->redis_user, 128)) {
		snprintf(err, errlen, "PORTAL_REDIS_USER must be 1 to 128 characters with no spaces");
		return -1;
	}
	cfg->redis_password_file = env_or("PORTAL_REDIS_PASSWORD_FILE", "");
	cfg->redis_sentinel_password_file = env_or("PORTAL_REDIS_SENTINEL_PASSWORD_FILE", "");
	return load_redis_secrets(cfg, err, errlen);
}

/* The whole-number settings: each with its bounds and default, read into
 * the int member at `offset`. */
static const struct int_setting {
	const char *name;
	long long   min, max, dflt;
	size_t      offset;
} int_settings[] = {
	{ "PORTAL_WORKERS", 1, 64, 2, offsetof(portal_config, workers) },
	{ "PORTAL_THREADS", 1, 64, 4, offsetof(portal_config, threads) },
	{ "PORTAL_DRAIN_SECONDS", 1, 300, 10, offsetof(portal_config, drain_seconds) },
	{ "PORTAL_HOUSEKEEPING_MAX_SECONDS", 1, 3600, 3600, offsetof(portal_config, housekeeping_max) },
	{ "PORTAL_REDIS_PORT", 1, 65535, 6379, offsetof(portal_config, redis_port) },
	{ "PORTAL_REDIS_CONNECT_TIMEOUT_MS", 10, 10000, 300, offsetof(portal_config, redis_connect_ms) },
	{ "PORTAL_REDIS_TIMEOUT_MS", 10, 10000, 500, offsetof(portal_config, redis_timeout_ms) },
	{ "PORTAL_SESSION_IDLE_SECONDS", 1, 86400, 1800, offsetof(portal_config, session_idle) },
	{ "PORTAL_SESSION_MAX_SECONDS", 1, 7 * 86400, 43200, offsetof(portal_config, session_max) },
	{ "PORTAL_API_TOKEN_SECONDS", 1, 86400, 900, offsetof(portal_config, token_seconds) },
	{ "PORTAL_SIGNIN_MAX_FAILURES", 1, 1000, 10, offsetof(portal_config, throttle_max) },
	{ "PORTAL_SIGNIN_WINDOW_SECONDS", 1, 86400, 900, offsetof(portal_config, throttle_window) },
	{ "PORTAL_SIGNIN_ADDRESS_MAX_FAILURES", 1, 1000000, 50, offsetof(portal_config, throttle_address_max) },
	{ "PORTAL_SIGNIN_ADDRESS_WINDOW_SECONDS", 1, 86400, 300, offsetof(portal_config, throttle_address_window) },
	{ "PORTAL_LDAP_STARTTLS", 0, 1, 0, offsetof(portal_config, ldap_starttls) },
	{ "PORTAL_LDAP_TIMEOUT_SECONDS", 1, 60, 3, offsetof(portal_config, ldap_timeout) },
};

static int load_int_settings(portal_config *cfg, char *err, size_t errlen)
{
	long long n;
	size_t i;

	for (i = 0; i < sizeof(int_settings) / sizeof(int_settings[0]); i++) {
		const struct int_setting *e = &int_settings[i];

		if (env_int(e->name, e->min, e->max, e->dflt, &n, err, errlen) < 0)
			return -1;
		*(int *)(void *)((char *)cfg + e->offset) = (int)n;
	}
	return 0;
}

/* PORTAL_ENV and PORTAL_DEMO: production refuses the demo. */
static int load_environment(portal_config *cfg, char *err, size_t errlen)
{
	const char *env = env_or("PORTAL_ENV", "production");
	long long n;

	if (strcmp(env, "production") == 0)
		cfg->production = 1;
	else if (strcmp(env, "development") != 0) {
		snprintf(err, errlen, "PORTAL_ENV must be production or development");
		return -1;
	}
	if (env_int("PORTAL_DEMO", 0, 1, 0, &n, err, errlen) < 0)
		return -1;
	cfg->demo = (int)n;
	if (cfg->demo && cfg->production) {
		snprintf(err, errlen, "PORTAL_DEMO=1 is refused with PORTAL_ENV=production: "
		         "demo data and sign-ins are for the development stack only");
		return -1;
	}
	return 0;
}

/* Where the directory is, how to bind, and where people and groups are. */
static void load_ldap(portal_config *cfg)
{
	cfg->ldap_uri = env_or("PORTAL_LDAP_URI", "ldap://127.0.0.1");
	cfg->ldap_ca_file = env_or("PORTAL_LDAP_CA_FILE", "");
	cfg->ldap_bind_dn = env_or("PORTAL_LDAP_BIND_DN", "cn=portal-service,ou=services,dc=portal,dc=example");
	cfg->ldap_bind_password_file = env_or("PORTAL_LDAP_BIND_PASSWORD_FILE", "");
	cfg->ldap_people_base = env_or("PORTAL_LDAP_PEOPLE_BASE", "ou=people,dc=portal,dc=example");
	cfg->ldap_user_attr = env_or("PORTAL_LDAP_USER_ATTR", "uid");
	cfg->ldap_name_attr = env_or("PORTAL_LDAP_NAME_ATTR", "displayName");
	cfg->ldap_group_base = env_or("PORTAL_LDAP_GROUP_BASE", "ou=groups,dc=portal,dc=example");
	cfg->ldap_group_dn[0] = env_or("PORTAL_LDAP_GROUP_RESPONDER", "cn=responders,ou=groups,dc=portal,dc=example");
	cfg->ldap_group_dn[1] = env_or("PORTAL_LDAP_GROUP_NGO", "cn=ngo,ou=groups,dc=portal,dc=example");
	cfg->ldap_group_dn[2] = env_or("PORTAL_LDAP_GROUP_TRAINER", "cn=trainers,ou=groups,dc=portal,dc=example");
	cfg->ldap_group_dn[3] = env_or("PORTAL_LDAP_GROUP_COORDINATOR", "cn=coordinators,ou=groups,dc=portal,dc=example");
	cfg->ldap_agency_id_attr = env_or("PORTAL_LDAP_AGENCY_ID_ATTR", "departmentNumber");
	cfg->ldap_agency_name_attr = env_or("PORTAL_LDAP_AGENCY_NAME_ATTR", "o");
	cfg->ldap_agency_type_attr = env_or("PORTAL_LDAP_AGENCY_TYPE_ATTR", "businessCategory");
	cfg->ldap_unit_attr = env_or("PORTAL_LDAP_UNIT_ATTR", "ou");
}

int portal_config_load(portal_config *cfg, const char *module, char *err, size_t errlen)
{
	long long n;
	int level;

	memset(cfg, 0, sizeof(*cfg));
	cfg->module = module;
	cfg->service_name = "London Anti-Slavery Partner Portal";
	if (load_environment(cfg, err, errlen) < 0 || load_int_settings(cfg, err, errlen) < 0)
		return -1;
	cfg->socket_path = env_or("PORTAL_SOCKET", "");
	cfg->socket_group = env_or("PORTAL_SOCKET_GROUP", "");
	cfg->redis_socket = env_or("PORTAL_REDIS_SOCKET", "/run/portal/redis.sock");
	cfg->redis_host = env_or("PORTAL_REDIS_HOST", "");
	cfg->redis_prefix = env_or("PORTAL_REDIS_PREFIX", "portal:");
	if (!redis_prefix_ok(cfg->redis_prefix)) {
		snprintf(err, errlen, "PORTAL_REDIS_PREFIX must be 1 to %d characters, letters, digits and : _ - . only",
		         PORTAL_REDIS_PREFIX_MAX);
		return -1;
	}
	if (load_redis_ha(cfg, err, errlen) < 0)
		return -1;
	if (env_int("PORTAL_MAX_BODY", 1024, 16 * 1024 * 1024, 65536, &n, err, errlen) < 0)
		return -1;
	cfg->max_body = (size_t)n;
	level = portal_log_level_parse(env_or("PORTAL_LOG_LEVEL", "info"));
	if (level < 0) {
		snprintf(err, errlen, "PORTAL_LOG_LEVEL must be debug, info, warn or error");
		return -1;
	}
	cfg->log_level = level;
	cfg->jwt_key_file = env_or("PORTAL_JWT_KEY_FILE", "");
	cfg->jwt_issuer = env_or("PORTAL_JWT_ISSUER", "london-anti-slavery-portal");
	cfg->cookie_name = cfg->production ? "__Host-portal_session" : "portal_session";
	cfg->signin_cookie_name = cfg->production ? "__Host-portal_signin" : "portal_signin";
	load_ldap(cfg);
	return 0;
}

int portal_config_load_secrets(portal_config *cfg, int need_ldap, char *err, size_t errlen)
{
	char why[256];
	size_t len;

	cfg->jwt_key = (unsigned char *)portal_secret_read(cfg->jwt_key_file, 4096, &len, why, sizeof(why));
	if (cfg->jwt_key == NULL) {
		snprintf(err, errlen, "PORTAL_JWT_KEY_FILE: %s (it must hold at least 32 random bytes, "
		         "e.g. head -c 48 /dev/urandom > FILE)", why);
		return -1;
	}
	cfg->jwt_key_len = len;
	if (len < 32) {
		snprintf(err, errlen, "PORTAL_JWT_KEY_FILE holds %zu bytes: it must hold at least 32 random bytes", len);
		return -1;
	}
	if (!need_ldap)
		return 0;
	return portal_config_load_ldap_secret(cfg, err, errlen);
}

int portal_config_load_ldap_secret(portal_config *cfg, char *err, size_t errlen)
{
	char why[256];
	size_t len;

	cfg->ldap_bind_password = portal_secret_read(cfg->ldap_bind_password_file, 1024, &len, why, sizeof(why));
	if (cfg->ldap_bind_password == NULL) {
		snprintf(err, errlen, "PORTAL_LDAP_BIND_PASSWORD_FILE: %s", why);
		return -1;
	}
	if (cfg->production && strcmp(cfg->ldap_bind_password, PORTAL_DEMO_SERVICE_PASSWORD) == 0) {
		snprintf(err, errlen, "PORTAL_LDAP_BIND_PASSWORD_FILE holds the demo directory's service password: "
		         "refused in production; set a real password for the service account");
		return -1;
	}
	return 0;
}

char *portal_secret_read(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	ssize_t n;
	size_t got = 0;
	int fd = -1;

	if (path == NULL || *path == '\0') {
		snprintf(err, errlen, "no secret file is configured");
		goto fail;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errlen, "cannot read secret file %s: %s", path, strerror(errno));
		goto fail;
	}
	if (st.st_mode & S_IROTH) {
		snprintf(err, errlen, "secret file %s is readable by everyone: chmod o-r it", path);
		goto fail;
	}
	if ((buf = malloc(max + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	while (got <= max && (n = read(fd, buf + got, max + 1 - got)) > 0)
		got += (size_t)n;
	if (got > max) {
		snprintf(err, errlen, "secret file %s is larger than %zu bytes", path, max);
		goto fail;
	}
	if (got && buf[got - 1] == '\n')
		got--;
	if (got == 0) {
		snprintf(err, errlen, "secret file %s is empty", path);
		goto fail;
	}
	buf[got] = '\0';
	close(fd);
	*len = got;
	return buf;
fail:
	if (fd >= 0)
		close(fd);
	if (buf) {
		explicit_bzero(buf, max + 1);
		free(buf);
	}
	return NULL;
}
