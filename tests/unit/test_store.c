/* test_store.c - the Redis settings (PORTAL_REDIS_SENTINELS and friends,
 * common/config.c) and which commands count as reads, so that no WAIT
 * follows them (common/store.c).  No server is needed: the one store test
 * points at Sentinels that are not there. */
#include "config.h"
#include "store.h"
#include "template.h"

#include <check.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static portal_hostport hp[PORTAL_MAX_SENTINELS];
static char err[300];
static char tmpdir[64];

static const char *const redis_vars[] = {
	"PORTAL_REDIS_SENTINELS", "PORTAL_REDIS_MASTER_NAME", "PORTAL_REDIS_WAIT_REPLICAS",
	"PORTAL_REDIS_WAIT_TIMEOUT_MS", "PORTAL_REDIS_TIMEOUT_MS", "PORTAL_REDIS_USER",
	"PORTAL_REDIS_PASSWORD_FILE", "PORTAL_REDIS_SENTINEL_PASSWORD_FILE", "PORTAL_REDIS_HOST",
	"PORTAL_REDIS_CONNECT_TIMEOUT_MS",
};

static void setup(void)
{
	size_t i;

	for (i = 0; i < sizeof(redis_vars) / sizeof(redis_vars[0]); i++)
		unsetenv(redis_vars[i]);
	setenv("PORTAL_ENV", "development", 1);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/portal-test-store-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	err[0] = '\0';
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A file in the test's folder holding `text` (mode 0600); its path. */
static const char *file_with(const char *name, const char *text)
{
	static char path[2][128];
	static int n;
	char *p = path[n++ % 2];
	int fd;

	snprintf(p, sizeof(path[0]), "%s/%s", tmpdir, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return p;
}

static void free_secrets(portal_config *cfg)
{
	free(cfg->redis_password);
	free(cfg->redis_sentinel_password);
}

/* ---- PORTAL_REDIS_SENTINELS ------------------------------------------------- */

START_TEST(a_sentinel_list_is_parsed)
{
	ck_assert_int_eq(portal_parse_hostports("127.0.0.1:26379", hp, PORTAL_MAX_SENTINELS, err, sizeof(err)), 1);
	ck_assert_str_eq(hp[0].host, "127.0.0.1");
	ck_assert_int_eq(hp[0].port, 26379);
	ck_assert_int_eq(portal_parse_hostports(" sentinel-a.example:1 ,b_2:65535,[::1]:26380 ", hp,
	                                        PORTAL_MAX_SENTINELS, err, sizeof(err)), 3);
	ck_assert_str_eq(hp[0].host, "sentinel-a.example");
	ck_assert_int_eq(hp[0].port, 1);
	ck_assert_str_eq(hp[1].host, "b_2");
	ck_assert_int_eq(hp[1].port, 65535);
	ck_assert_str_eq(hp[2].host, "::1");
	ck_assert_int_eq(hp[2].port, 26380);
}
END_TEST

START_TEST(an_empty_sentinel_list_means_no_sentinel)
{
	ck_assert_int_eq(portal_parse_hostports("", hp, PORTAL_MAX_SENTINELS, err, sizeof(err)), 0);
	ck_assert_int_eq(portal_parse_hostports("   ", hp, PORTAL_MAX_SENTINELS, err, sizeof(err)), 0);
	ck_assert_int_eq(portal_parse_hostports(NULL, hp, PORTAL_MAX_SENTINELS, err, sizeof(err)), 0);
}
END_TEST

START_TEST(bad_sentinel_entries_are_refused_with_the_reason)
{
	static const struct { const char *in, *says; } bad[] = {
		{ "sentinel", "no port" },
		{ "sentinel:", "port must be" },
		{ "sentinel:0", "port must be" },
		{ "sentinel:65536", "port must be" },
		{ "sentinel:12x", "port must be" },
		{ "sentinel:-1", "port must be" },
		{ ":26379", "host must be" },
		{ "sen tinel:1", "host must be" },
		{ "sentinel;rm:1", "host must be" },
		{ "a:1,,b:2", "entry 2 is empty" },
		{ "a:1,", "entry 2 is empty" },
		{ ",a:1", "entry 1 is empty" },
		{ "[::1]26379", "brackets" },
		{ "[::1:26379", "brackets" },
		{ "[::1]:", "port must be" },
		{ "[zz::1]:1", "host must be" },
		{ "[]:1", "host must be" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(portal_parse_hostports(bad[i].in, hp, PORTAL_MAX_SENTINELS, err, sizeof(err)) == -1,
		              "accepted: %s", bad[i].in);
		ck_assert_msg(strstr(err, bad[i].says) != NULL, "%s: said \"%s\"", bad[i].in, err);
	}
	ck_assert_int_eq(portal_parse_hostports("a:1,b:2,c:3,d:4,e:5,f:6,g:7,h:8,i:9", hp,
	                                        PORTAL_MAX_SENTINELS, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "at most 8"));
}
END_TEST

/* ---- the other settings, through portal_config_load ------------------------------- */

START_TEST(defaults_are_no_sentinel_no_wait_no_auth)
{
	portal_config cfg;

	ck_assert_int_eq(portal_config_load(&cfg, "test", err, sizeof(err)), 0);
	ck_assert_int_eq(cfg.redis_nsentinels, 0);
	ck_assert_str_eq(cfg.redis_master_name, "portal");
	ck_assert_int_eq(cfg.redis_wait_replicas, 0);
	ck_assert_int_eq(cfg.redis_wait_timeout_ms, 250);
	ck_assert_str_eq(cfg.redis_user, "");
	ck_assert_ptr_null(cfg.redis_password);
	ck_assert_ptr_null(cfg.redis_sentinel_password);
}
END_TEST

START_TEST(sentinels_wait_and_auth_are_read)
{
	portal_config cfg;

	setenv("PORTAL_REDIS_SENTINELS", "10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379", 1);
	setenv("PORTAL_REDIS_MASTER_NAME", "portal-main", 1);
	setenv("PORTAL_REDIS_WAIT_REPLICAS", "2", 1);
	setenv("PORTAL_REDIS_WAIT_TIMEOUT_MS", "100", 1);
	setenv("PORTAL_REDIS_USER", "portal", 1);
	setenv("PORTAL_REDIS_PASSWORD_FILE", file_with("redis.password", "s3cret pass\n"), 1);
	setenv("PORTAL_REDIS_SENTINEL_PASSWORD_FILE", file_with("sentinel.password", "watch-word"), 1);
	ck_assert_msg(portal_config_load(&cfg, "test", err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(cfg.redis_nsentinels, 3);
	ck_assert_str_eq(cfg.redis_sentinels[2].host, "10.0.0.3");
	ck_assert_str_eq(cfg.redis_master_name, "portal-main");
	ck_assert_int_eq(cfg.redis_wait_replicas, 2);
	ck_assert_int_eq(cfg.redis_wait_timeout_ms, 100);
	ck_assert_str_eq(cfg.redis_user, "portal");
	ck_assert_str_eq(cfg.redis_password, "s3cret pass");  /* the trailing newline removed */
	ck_assert_str_eq(cfg.redis_sentinel_password, "watch-word");
	free_secrets(&cfg);
}
END_TEST

/* portal_config_load fails, and its message holds `says`. */
static void refused(const char *says)
{
	portal_config cfg;

	err[0] = '\0';
	ck_assert_int_eq(portal_config_load(&cfg, "test", err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, says) != NULL, "expected \"%s\" in \"%s\"", says, err);
}

START_TEST(a_redis_prefix_that_does_not_fit_or_would_change_keys_is_refused)
{
	char longest[PORTAL_REDIS_PREFIX_MAX + 2];
	portal_config cfg;

	memset(longest, 'p', sizeof(longest));
	longest[PORTAL_REDIS_PREFIX_MAX + 1] = '\0';
	setenv("PORTAL_REDIS_PREFIX", longest, 1);      /* one byte too many */
	refused("PORTAL_REDIS_PREFIX must be 1 to 64 characters");
	setenv("PORTAL_REDIS_PREFIX", "portal {x}:", 1);  /* a space and a hash tag */
	refused("PORTAL_REDIS_PREFIX");
	longest[PORTAL_REDIS_PREFIX_MAX] = '\0';         /* the longest allowed */
	setenv("PORTAL_REDIS_PREFIX", longest, 1);
	ck_assert_msg(portal_config_load(&cfg, "test", err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(cfg.redis_prefix, longest);
	unsetenv("PORTAL_REDIS_PREFIX");
}
END_TEST

START_TEST(bad_values_stop_the_start_with_a_clear_message)
{
	setenv("PORTAL_REDIS_SENTINELS", "10.0.0.1", 1);
	refused("PORTAL_REDIS_SENTINELS: \"10.0.0.1\" has no port");
	setenv("PORTAL_REDIS_SENTINELS", "10.0.0.1:26379", 1);

	setenv("PORTAL_REDIS_HOST", "10.0.0.9", 1);
	refused("unset PORTAL_REDIS_HOST");
	unsetenv("PORTAL_REDIS_HOST");

	setenv("PORTAL_REDIS_MASTER_NAME", "two words", 1);
	refused("PORTAL_REDIS_MASTER_NAME");
	unsetenv("PORTAL_REDIS_MASTER_NAME");

	setenv("PORTAL_REDIS_WAIT_REPLICAS", "6", 1);
	refused("PORTAL_REDIS_WAIT_REPLICAS must be a whole number from 0 to 5");
	setenv("PORTAL_REDIS_WAIT_REPLICAS", "-1", 1);
	refused("PORTAL_REDIS_WAIT_REPLICAS");
	setenv("PORTAL_REDIS_WAIT_REPLICAS", "1", 1);

	setenv("PORTAL_REDIS_WAIT_TIMEOUT_MS", "0", 1);
	refused("PORTAL_REDIS_WAIT_TIMEOUT_MS must be a whole number from 1");
	setenv("PORTAL_REDIS_WAIT_TIMEOUT_MS", "500", 1);  /* PORTAL_REDIS_TIMEOUT_MS is 500 */
	refused("PORTAL_REDIS_WAIT_TIMEOUT_MS (500) must be below PORTAL_REDIS_TIMEOUT_MS (500)");
	unsetenv("PORTAL_REDIS_WAIT_TIMEOUT_MS");
	setenv("PORTAL_REDIS_TIMEOUT_MS", "200", 1);       /* the default 250 is not below it */
	refused("must be below PORTAL_REDIS_TIMEOUT_MS (200)");
	unsetenv("PORTAL_REDIS_TIMEOUT_MS");

	setenv("PORTAL_REDIS_USER", "portal", 1);
	refused("PORTAL_REDIS_USER is set: PORTAL_REDIS_PASSWORD_FILE must name");
	setenv("PORTAL_REDIS_PASSWORD_FILE", file_with("empty.password", ""), 1);
	refused("is empty");
	setenv("PORTAL_REDIS_PASSWORD_FILE", file_with("newline.password", "\n"), 1);
	refused("is empty");
	setenv("PORTAL_REDIS_PASSWORD_FILE", "/nonexistent/redis.password", 1);
	refused("PORTAL_REDIS_PASSWORD_FILE: cannot read");
	setenv("PORTAL_REDIS_PASSWORD_FILE", file_with("open.password", "x"), 1);
	chmod(getenv("PORTAL_REDIS_PASSWORD_FILE"), 0644);
	refused("readable by everyone");
	setenv("PORTAL_REDIS_USER", "two words", 1);
	refused("PORTAL_REDIS_USER must be");
}
END_TEST

START_TEST(the_wait_timeout_only_matters_with_wait_on)
{
	portal_config cfg;

	/* no WAIT: a command timeout under the default WAIT timeout is fine */
	setenv("PORTAL_REDIS_TIMEOUT_MS", "200", 1);
	ck_assert_msg(portal_config_load(&cfg, "test", err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(cfg.redis_wait_replicas, 0);
}
END_TEST

START_TEST(a_sentinel_password_needs_sentinels)
{
	setenv("PORTAL_REDIS_SENTINEL_PASSWORD_FILE", file_with("sentinel.password", "x"), 1);
	refused("PORTAL_REDIS_SENTINELS is not");
}
END_TEST

START_TEST(a_password_without_a_user_is_the_default_users)
{
	portal_config cfg;

	setenv("PORTAL_REDIS_PASSWORD_FILE", file_with("redis.password", "requirepass-word"), 1);
	ck_assert_msg(portal_config_load(&cfg, "test", err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(cfg.redis_user, "");
	ck_assert_str_eq(cfg.redis_password, "requirepass-word");
	free_secrets(&cfg);
}
END_TEST

/* ---- which commands are reads ------------------------------------------------------- */

static int ro(const char *name)
{
	return portal_store_command_is_read_only(name, strlen(name));
}

START_TEST(reads_are_known_in_any_case)
{
	static const char *const reads[] = {
		"GET", "MGET", "HGET", "HGETALL", "HMGET", "HEXISTS", "HLEN", "EXISTS", "TTL", "PTTL",
		"TYPE", "SMEMBERS", "SISMEMBER", "SMISMEMBER", "SCARD", "ZRANGE", "ZREVRANGE",
		"ZRANGEBYSCORE", "ZREVRANGEBYSCORE", "ZSCORE", "ZCARD", "ZCOUNT", "LRANGE", "LLEN",
		"XRANGE", "XREVRANGE", "XLEN", "SCAN", "SSCAN", "HSCAN", "ZSCAN", "PING", "INFO", "ROLE",
		"STRLEN", "KEYS", "HVALS", "HKEYS", "ZRANK", "EVALSHA_RO", "SORT_RO",
	};
	size_t i;

	for (i = 0; i < sizeof(reads) / sizeof(reads[0]); i++)
		ck_assert_msg(ro(reads[i]), "%s should be a read", reads[i]);
	ck_assert(ro("get"));
	ck_assert(ro("hGetAll"));
	ck_assert(ro("zrangebyscore"));
	/* the length given counts, not the NUL */
	ck_assert(portal_store_command_is_read_only("GETRANGE", 3));
	ck_assert(!portal_store_command_is_read_only("GET", 2));
}
END_TEST

START_TEST(writes_and_unknown_commands_are_writes)
{
	static const char *const writes[] = {
		"SET", "HSET", "HDEL", "DEL", "UNLINK", "ZADD", "ZREM", "INCR", "EXPIRE", "XADD",
		"EVALSHA", "EVAL", "FCALL", "SORT", "ZRANGESTORE", "GETEX", "GETDEL", "PFCOUNT",
		"SUNIONSTORE", "ZINTERSTORE", "MULTI", "EXEC", "XREADGROUP", "FLUSHALL", "SCRIPT",
		"GETX", "GE", "", "NOSUCHCOMMAND", "GET ",
	};
	size_t i;

	for (i = 0; i < sizeof(writes) / sizeof(writes[0]); i++)
		ck_assert_msg(!ro(writes[i]), "\"%s\" should count as a write", writes[i]);
	ck_assert(!portal_store_command_is_read_only(NULL, 3));
}
END_TEST

/* is_read_only on the command hiredis formats for fmt. */
static int formatted_ro(const char *fmt, ...)
{
	char *cmd = NULL;
	va_list ap;
	int len, yes;

	va_start(ap, fmt);
	len = redisvFormatCommand(&cmd, fmt, ap);
	va_end(ap);
	ck_assert_int_gt(len, 0);
	yes = portal_store_formatted_is_read_only(cmd, (size_t)len);
	redisFreeCommand(cmd);
	return yes;
}

START_TEST(formatted_commands_are_classified_by_their_name)
{
	ck_assert(formatted_ro("HGETALL %s", "portal:training:{s:1}:session"));
	ck_assert(formatted_ro("ZRANGEBYSCORE %s %s %s LIMIT 0 %d", "k", "-inf", "+inf", 10));
	ck_assert(formatted_ro("ping"));
	ck_assert(!formatted_ro("ZADD %s NX %lld %s", "k", 12LL, "m"));
	ck_assert(!formatted_ro("SET %s 1 NX", "k"));
	ck_assert(!formatted_ro("XADD %s * %s %s", "portal:audit", "a", "b"));
	/* a read command's name as an argument changes nothing */
	ck_assert(!formatted_ro("DEL %s", "GET"));
	/* not the protocol, or cut short: a write */
	ck_assert(!portal_store_formatted_is_read_only("GET k\r\n", 7));
	ck_assert(!portal_store_formatted_is_read_only("*2\r\n$3\r\nGE", 11));
	ck_assert(!portal_store_formatted_is_read_only("*2\r\n$99999999999\r\nGET\r\n", 24));
	ck_assert(!portal_store_formatted_is_read_only("*2\r\n$3GET\r\n", 11));
	ck_assert(!portal_store_formatted_is_read_only(NULL, 0));
	ck_assert(portal_store_formatted_is_read_only("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", 20));
}
END_TEST

/* ---- a store whose Sentinels are not there ----------------------------------------- */

START_TEST(with_no_sentinel_answering_a_call_fails_fast)
{
	portal_config cfg;
	portal_store *st;
	struct timespec t0, t1;
	double ms;

	/* port 1 on loopback: nothing listens, the connection is refused */
	setenv("PORTAL_REDIS_SENTINELS", "127.0.0.1:1,127.0.0.1:1,127.0.0.1:1", 1);
	setenv("PORTAL_REDIS_WAIT_REPLICAS", "1", 1);
	ck_assert_msg(portal_config_load(&cfg, "test", err, sizeof(err)) == 0, "%s", err);
	st = portal_store_new(&cfg, NULL, 0);
	ck_assert_ptr_nonnull(st);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(portal_store_ping(st), 0);
	ck_assert_ptr_null(portal_store_command(st, "SET %s %s", "portal:k", "v"));
	ck_assert_ptr_null(portal_store_eval_common(st, 0, 0, NULL, 0, NULL));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	ck_assert_msg(ms < 1000, "took %.0f ms", ms);
	portal_store_free(st);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, a_sentinel_list_is_parsed);
	tcase_add_test(tc, an_empty_sentinel_list_means_no_sentinel);
	tcase_add_test(tc, bad_sentinel_entries_are_refused_with_the_reason);
	tcase_add_test(tc, defaults_are_no_sentinel_no_wait_no_auth);
	tcase_add_test(tc, sentinels_wait_and_auth_are_read);
	tcase_add_test(tc, bad_values_stop_the_start_with_a_clear_message);
	tcase_add_test(tc, the_wait_timeout_only_matters_with_wait_on);
	tcase_add_test(tc, a_sentinel_password_needs_sentinels);
	tcase_add_test(tc, a_password_without_a_user_is_the_default_users);
	tcase_add_test(tc, reads_are_known_in_any_case);
	tcase_add_test(tc, writes_and_unknown_commands_are_writes);
	tcase_add_test(tc, formatted_commands_are_classified_by_their_name);
	tcase_add_test(tc, with_no_sentinel_answering_a_call_fails_fast);
	tcase_add_test(tc, a_redis_prefix_that_does_not_fit_or_would_change_keys_is_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
