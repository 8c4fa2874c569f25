/* test_session.c - session tokens without a server: what portal_token_verify
 * accepts and refuses, and that the per-thread cache of verified tokens
 * still applies the expiry. */
#include <check.h>
#include <jwt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "session.h"

static unsigned char key[48] = "unit-test-key-0123456789abcdef0123456789abcdef";
static portal_config cfg;
static const char *SID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static void setup(void)
{
	memset(&cfg, 0, sizeof(cfg));
	cfg.jwt_key = key;
	cfg.jwt_key_len = sizeof(key);
	cfg.jwt_issuer = "london-anti-slavery-portal";
}

/* Sign a token with the given algorithm and claims. */
static char *make_token(jwt_alg_t alg, const unsigned char *k, int klen, const char *aud,
                        const char *typ, long exp, int with_exp)
{
	jwt_t *jwt;
	char *out;

	ck_assert_int_eq(jwt_new(&jwt), 0);
	jwt_add_grant(jwt, "sid", SID);
	jwt_add_grant(jwt, "sub", "responder.police");
	jwt_add_grant(jwt, "iss", "london-anti-slavery-portal");
	jwt_add_grant(jwt, "aud", aud);
	jwt_add_grant(jwt, "typ", typ);
	jwt_add_grant_int(jwt, "iat", (long)time(NULL));
	if (with_exp)
		jwt_add_grant_int(jwt, "exp", exp);
	ck_assert_int_eq(jwt_set_alg(jwt, alg, k, klen), 0);
	out = jwt_encode_str(jwt);
	jwt_free(jwt);
	return out;
}

START_TEST(good_cookie_token_gives_its_session_id)
{
	char sid[65];
	char *t = make_token(JWT_ALG_HS256, key, sizeof(key), "portal-web", "session", time(NULL) + 60, 1);
	ck_assert_int_eq(portal_token_verify(&cfg, t, PORTAL_TOKEN_COOKIE, sid), 0);
	ck_assert_str_eq(sid, SID);
	free(t);
}
END_TEST

START_TEST(cookie_token_is_no_bearer_and_bearer_no_cookie)
{
	char sid[65];
	char *c = make_token(JWT_ALG_HS256, key, sizeof(key), "portal-web", "session", time(NULL) + 60, 1);
	char *b = make_token(JWT_ALG_HS256, key, sizeof(key), "portal-api", "api", time(NULL) + 60, 1);
	ck_assert_int_eq(portal_token_verify(&cfg, c, PORTAL_TOKEN_BEARER, sid), -1);
	ck_assert_int_eq(portal_token_verify(&cfg, b, PORTAL_TOKEN_COOKIE, sid), -1);
	ck_assert_int_eq(portal_token_verify(&cfg, b, PORTAL_TOKEN_BEARER, sid), 0);
	free(c);
	free(b);
}
END_TEST

START_TEST(other_algorithm_key_or_expiry_is_refused)
{
	char sid[65];
	unsigned char other[48];
	char *t;

	memset(other, 7, sizeof(other));
	t = make_token(JWT_ALG_HS512, key, sizeof(key), "portal-web", "session", time(NULL) + 60, 1);
	ck_assert_int_eq(portal_token_verify(&cfg, t, PORTAL_TOKEN_COOKIE, sid), -1);
	free(t);
	t = make_token(JWT_ALG_HS256, other, sizeof(other), "portal-web", "session", time(NULL) + 60, 1);
	ck_assert_int_eq(portal_token_verify(&cfg, t, PORTAL_TOKEN_COOKIE, sid), -1);
	free(t);
	t = make_token(JWT_ALG_HS256, key, sizeof(key), "portal-web", "session", time(NULL) - 1, 1);
	ck_assert_int_eq(portal_token_verify(&cfg, t, PORTAL_TOKEN_COOKIE, sid), -1);
	free(t);
	t = make_token(JWT_ALG_HS256, key, sizeof(key), "portal-web", "session", 0, 0);
	ck_assert_int_eq(portal_token_verify(&cfg, t, PORTAL_TOKEN_COOKIE, sid), -1);
	free(t);
	t = make_token(JWT_ALG_NONE, NULL, 0, "portal-web", "session", time(NULL) + 60, 1);
	ck_assert_int_eq(portal_token_verify(&cfg, t, PORTAL_TOKEN_COOKIE, sid), -1);
	free(t);
}
END_TEST

START_TEST(short_key_refuses_everything)
{
	char sid[65];
	char *t = make_token(JWT_ALG_HS256, key, sizeof(key), "portal-web", "session", time(NULL) + 60, 1);
	cfg.jwt_key_len = 16;
	ck_assert_int_eq(portal_token_verify(&cfg, t, PORTAL_TOKEN_COOKIE, sid), -1);
	free(t);
}
END_TEST

START_TEST(cached_token_still_expires)
{
	portal_token_cache *cache = portal_token_cache_new();
	char sid[65];
	char *t = make_token(JWT_ALG_HS256, key, sizeof(key), "portal-web", "session", time(NULL) + 1, 1);
	char *forged = strdup(t);

	ck_assert_int_eq(portal_token_verify_cached(cache, &cfg, t, PORTAL_TOKEN_COOKIE, sid), 0);
	ck_assert_int_eq(portal_token_verify_cached(cache, &cfg, t, PORTAL_TOKEN_COOKIE, sid), 0);
	ck_assert_str_eq(sid, SID);
	/* the same bytes as another kind are not taken from the cache */
	ck_assert_int_eq(portal_token_verify_cached(cache, &cfg, t, PORTAL_TOKEN_BEARER, sid), -1);
	/* a token differing in one signature character is verified afresh, and
	 * refused (a middle character: the last one also carries padding bits) */
	forged[strlen(forged) - 10] = forged[strlen(forged) - 10] == 'A' ? 'B' : 'A';
	ck_assert_int_eq(portal_token_verify_cached(cache, &cfg, forged, PORTAL_TOKEN_COOKIE, sid), -1);
	sleep(2);
	ck_assert_int_eq(portal_token_verify_cached(cache, &cfg, t, PORTAL_TOKEN_COOKIE, sid), -1);
	free(forged);
	free(t);
	portal_token_cache_free(cache);
}
END_TEST

/* The sign-in failure counter's key is built in a fixed buffer: a key
 * prefix longer than it (set by hand here: the configuration refuses one)
 * is cut, never written past (snprintf's return value is what it wanted to
 * write, not what it wrote; ASan in make sanitize sees any overflow).  With
 * no Redis the check answers -1, the store failure. */
START_TEST(a_long_key_prefix_never_overflows_the_throttle_key)
{
	char prefix[400];
	portal_store *st;
	size_t n;

	cfg.redis_prefix = prefix;
	cfg.redis_socket = "/nonexistent/redis.sock";
	cfg.redis_host = "";
	cfg.redis_connect_ms = 50;
	cfg.redis_timeout_ms = 50;
	cfg.throttle_max = 10;
	cfg.throttle_window = 60;
	ck_assert_ptr_nonnull(st = portal_store_new(&cfg, NULL, 0));
	/* every length, so that one ends just past the key buffer, in ASan's
	 * red zone, whatever the buffer's size */
	for (n = 1; n < sizeof(prefix); n++) {
		memset(prefix, 'p', n);
		prefix[n] = '\0';
		ck_assert_int_eq(portal_throttle_check(st, &cfg, "responder.health"), -1);
	}
	portal_store_free(st);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("session");
	TCase *tc = tcase_create("tokens");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, good_cookie_token_gives_its_session_id);
	tcase_add_test(tc, cookie_token_is_no_bearer_and_bearer_no_cookie);
	tcase_add_test(tc, other_algorithm_key_or_expiry_is_refused);
	tcase_add_test(tc, short_key_refuses_everything);
	tcase_add_test(tc, cached_token_still_expires);
	tcase_add_test(tc, a_long_key_prefix_never_overflows_the_throttle_key);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
