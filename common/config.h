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

/* One "host:port" of a list (PORTAL_REDIS_SENTINELS). */
#define PORTAL_MAX_SENTINELS 8

/* The longest PORTAL_REDIS_PREFIX, in bytes: every key buffer has room for
 * it and the key after it. */
#define PORTAL_REDIS_PREFIX_MAX 64
typedef struct portal_hostport {
	char host[256];  /* a name or an address; an IPv6 address without brackets */
	int  port;       /* 1..65535 */
} portal_hostport;

typedef struct portal_config {
	const char *module;            /* "auth", "training", ... */
	int         production;        /* PORTAL_ENV=production (the default) */
	int         demo;              /* PORTAL_DEMO=1: demo banner; refused in production */
	const char *socket_path;       /* PORTAL_SOCKET; "" = inherit fd 0 */
	const char *socket_group;      /* PORTAL_SOCKET_GROUP: group given the socket, "" = ours */
	int         workers;           /* PORTAL_WORKERS, 1..64, default 2 */
	int         threads;           /* PORTAL_THREADS, 1..64, default 4 */
	int         drain_seconds;     /* PORTAL_DRAIN_SECONDS, 1..300, default 10 */
	int         housekeeping_max;  /* PORTAL_HOUSEKEEPING_MAX_SECONDS, 1..3600, default 3600:
	                                * the longest wait between a master's housekeeping runs,
	                                * whatever the module asks (tests make it short) */
	const char *redis_socket;      /* PORTAL_REDIS_SOCKET, default /run/portal/redis.sock */
	const char *redis_host;        /* PORTAL_REDIS_HOST: TCP instead of the socket when set */
	int         redis_port;        /* PORTAL_REDIS_PORT, default 6379 */
	int         redis_connect_ms;  /* PORTAL_REDIS_CONNECT_TIMEOUT_MS, default 300 */
	int         redis_timeout_ms;  /* PORTAL_REDIS_TIMEOUT_MS, default 500 */
	const char *redis_prefix;      /* PORTAL_REDIS_PREFIX, default "portal:";
	                                  at most PORTAL_REDIS_PREFIX_MAX bytes */

	/* Redis Sentinel, durable writes and ACL authentication (store.h) */
	int         redis_nsentinels;  /* how many PORTAL_REDIS_SENTINELS; 0 = no Sentinel */
	portal_hostport redis_sentinels[PORTAL_MAX_SENTINELS];
	                               /* PORTAL_REDIS_SENTINELS: "host:port,host:port,..."
	                                * (an IPv6 address in brackets: "[::1]:26379");
	                                * when set, PORTAL_REDIS_SOCKET is not used and
	                                * PORTAL_REDIS_HOST must not be set */
	const char *redis_master_name; /* PORTAL_REDIS_MASTER_NAME, default "portal":
	                                * the name the Sentinels monitor the primary by */
	int         redis_wait_replicas;   /* PORTAL_REDIS_WAIT_REPLICAS, 0..5, default 0:
	                                    * every write is followed by WAIT N and fails
	                                    * unless N replicas have it; 0 = no WAIT */
	int         redis_wait_timeout_ms; /* PORTAL_REDIS_WAIT_TIMEOUT_MS, default 250; below
	                                    * PORTAL_REDIS_TIMEOUT_MS (checked when WAIT is on) */
	const char *redis_user;        /* PORTAL_REDIS_USER: ACL user ("" = none) */
	const char *redis_password_file;   /* PORTAL_REDIS_PASSWORD_FILE: its password; every
	                                    * new connection sends AUTH [user] password first.
	                                    * Without a user: the default user's (requirepass) */
	char       *redis_password;        /* read by portal_config_load; NULL = no AUTH */
	const char *redis_sentinel_password_file; /* PORTAL_REDIS_SENTINEL_PASSWORD_FILE: the
	                                           * Sentinels' requirepass (AUTH password) */
	char       *redis_sentinel_password;      /* read by portal_config_load; NULL = none */
	size_t      max_body;          /* PORTAL_MAX_BODY bytes, default 65536 */
	int         log_level;         /* PORTAL_LOG_LEVEL: debug|info|warn|error */
	const char *service_name;      /* shown in the page header */

	/* sessions (session.h) */
	const char *jwt_key_file;      /* PORTAL_JWT_KEY_FILE: >= 32 random bytes */
	unsigned char *jwt_key;        /* read at start-up by portal_config_load_secrets */
	size_t      jwt_key_len;
	const char *jwt_issuer;        /* PORTAL_JWT_ISSUER, default "london-anti-slavery-portal" */
	int         session_idle;      /* PORTAL_SESSION_IDLE_SECONDS, default 1800 (sliding) */
	int         session_max;       /* PORTAL_SESSION_MAX_SECONDS, default 43200 (absolute) */
	int         token_seconds;     /* PORTAL_API_TOKEN_SECONDS, default 900 */
	const char *cookie_name;       /* "__Host-portal_session" in production, "portal_session" otherwise */
	int         throttle_max;      /* PORTAL_SIGNIN_MAX_FAILURES, default 10 */
	int         throttle_window;   /* PORTAL_SIGNIN_WINDOW_SECONDS, default 900 (and the lock-out) */
	int         throttle_address_max;    /* PORTAL_SIGNIN_ADDRESS_MAX_FAILURES, default 50 */
	int         throttle_address_window; /* PORTAL_SIGNIN_ADDRESS_WINDOW_SECONDS, default 300 (and the lock-out) */
	const char *signin_cookie_name; /* the sign-in form's CSRF cookie: "__Host-portal_signin" in production */

	/* directory (signin.h) */
	const char *ldap_uri;          /* PORTAL_LDAP_URI, default ldap://127.0.0.1 */
	int         ldap_starttls;     /* PORTAL_LDAP_STARTTLS=1: StartTLS, certificate checked */
	const char *ldap_ca_file;      /* PORTAL_LDAP_CA_FILE: CA bundle for ldaps:// or StartTLS */
	int         ldap_timeout;      /* PORTAL_LDAP_TIMEOUT_SECONDS, default 3 */
	const char *ldap_bind_dn;      /* PORTAL_LDAP_BIND_DN: the service account */
	const char *ldap_bind_password_file; /* PORTAL_LDAP_BIND_PASSWORD_FILE */
	char       *ldap_bind_password;      /* read at start-up */
	const char *ldap_people_base;  /* PORTAL_LDAP_PEOPLE_BASE, default ou=people,dc=portal,dc=example */
	const char *ldap_user_attr;    /* PORTAL_LDAP_USER_ATTR, default uid */
	const char *ldap_name_attr;    /* PORTAL_LDAP_NAME_ATTR, default displayName (then cn) */
	const char *ldap_group_base;   /* PORTAL_LDAP_GROUP_BASE, default ou=groups,dc=portal,dc=example */
	const char *ldap_group_dn[4];  /* PORTAL_LDAP_GROUP_{RESPONDER,NGO,TRAINER,COORDINATOR} */
	const char *ldap_agency_id_attr;   /* PORTAL_LDAP_AGENCY_ID_ATTR, default departmentNumber */
	const char *ldap_agency_name_attr; /* PORTAL_LDAP_AGENCY_NAME_ATTR, default o */
	const char *ldap_agency_type_attr; /* PORTAL_LDAP_AGENCY_TYPE_ATTR, default businessCategory */
	const char *ldap_unit_attr;        /* PORTAL_LDAP_UNIT_ATTR, default ou: a police user's unit (issue 17) */
} portal_config;

/* The demo directory's service password: refused in production. */
#define PORTAL_DEMO_SERVICE_PASSWORD "Demo-Service-Password-1"

/* Fill `cfg` from the environment for module `module`, and read the Redis
 * password files (PORTAL_REDIS_PASSWORD_FILE, PORTAL_REDIS_SENTINEL_PASSWORD_FILE)
 * when set: every process that reaches Redis needs them, --load-demo too.
 * Returns 0, or -1 with a message in err naming the variable and what it
 * must be. */
int portal_config_load(portal_config *cfg, const char *module, char *err, size_t errlen);

/* Read the secrets named by the configuration (the JWT key; the LDAP
 * service password when `need_ldap`).  Refuses a missing or short JWT key
 * (under 32 bytes), and in production the demo service password.  Returns 0,
 * or -1 with a message in err. */
int portal_config_load_secrets(portal_config *cfg, int need_ldap, char *err, size_t errlen);

/* Read the LDAP service account's password (PORTAL_LDAP_BIND_PASSWORD_FILE)
 * into cfg->ldap_bind_password, refusing the demo password in production:
 * what portal_config_load_secrets does for LDAP, for a process (the
 * portal-notify worker) that needs no JWT key.  Returns 0, or -1 with a
 * message in err. */
int portal_config_load_ldap_secret(portal_config *cfg, char *err, size_t errlen);
/* Parse a comma-separated list of "host:port" (spaces around an entry
 * allowed; an IPv6 address in brackets, "[::1]:26379"; a host of letters,
 * digits, '.', '-', '_') into out[0..max).  An empty string is an empty
 * list.  Returns the number of entries, or -1 with a message in err saying
 * which entry is wrong and why. */
int portal_parse_hostports(const char *s, portal_hostport *out, int max, char *err, size_t errlen);

/* Parse a decimal integer in [min, max] with no junk.  Returns 0 or -1. */
int portal_parse_int(const char *s, long long min, long long max, long long *out);

/* Read a secret file (at most max bytes; one trailing newline removed) into a
 * malloc'd buffer the caller frees (and should wipe).  Refuses a file that is
 * empty or readable by others than owner and group.  Returns NULL with a
 * message in err. */
char *portal_secret_read(const char *path, size_t max, size_t *len, char *err, size_t errlen);

#endif
