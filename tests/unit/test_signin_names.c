/* test_signin_names.c - the forms sign-in throttling counts under: a typed
 * username's normal form (portal_signin_username_normalise, common/signin.c)
 * and a client address's group (portal_client_address_group,
 * common/session.c).  Security review findings 1 and 6 (issue 14): every
 * spelling of a name must meet one failure counter; an IPv6 client must not
 * get a fresh per-address counter from each address of its /64.
 * OWASP ASVS 4.0.3 V2.2.1 (anti-automation).
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "signin.h"

static const char *const spellings[][2] = {
	{ "responder.health", "responder.health" },
	{ "responder.health ", "responder.health" },
	{ " responder.health", "responder.health" },
	{ "   responder.health   ", "responder.health" },
	{ "Responder.Health", "responder.health" },
	{ "RESPONDER.HEALTH", "responder.health" },
	{ "  ReSpOnDeR.hEaLtH ", "responder.health" },
	{ "Jo  Campbell", "jo campbell" },            /* inner runs of spaces are one */
	{ "J\xc3\x89r\xc3\xb4me", "j\xc3\x89r\xc3\xb4me" }, /* UTF-8 bytes kept */
};

START_TEST(every_spelling_of_a_name_has_one_normal_form)
{
	char out[PORTAL_UID_MAX];

	ck_assert_int_eq(portal_signin_username_normalise(spellings[_i][0], out, sizeof(out)), 0);
	ck_assert_str_eq(out, spellings[_i][1]);
}
END_TEST

START_TEST(names_that_cannot_be_an_account_have_no_normal_form)
{
	char out[PORTAL_UID_MAX], longest[80];

	ck_assert_int_eq(portal_signin_username_normalise("", out, sizeof(out)), -1);
	ck_assert_int_eq(portal_signin_username_normalise("    ", out, sizeof(out)), -1);
	ck_assert_int_eq(portal_signin_username_normalise("a\tb", out, sizeof(out)), -1);
	ck_assert_int_eq(portal_signin_username_normalise("a\nb", out, sizeof(out)), -1);
	ck_assert_int_eq(portal_signin_username_normalise("\xff\xfe", out, sizeof(out)), -1);
	ck_assert_int_eq(portal_signin_username_normalise(NULL, out, sizeof(out)), -1);
	memset(longest, 'a', 65);
	longest[65] = '\0';
	ck_assert_int_eq(portal_signin_username_normalise(longest, out, sizeof(out)), -1);
	longest[64] = '\0';
	ck_assert_int_eq(portal_signin_username_normalise(longest, out, sizeof(out)), 0);
	ck_assert_int_eq(portal_signin_username_normalise("abc", out, 3), -1);  /* does not fit */
}
END_TEST

START_TEST(client_addresses_are_counted_per_ipv4_address_and_per_ipv6_64)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	ck_assert_int_eq(portal_client_address_group("192.0.2.10", a, sizeof(a)), 0);
	ck_assert_str_eq(a, "192.0.2.10");
	ck_assert_int_eq(portal_client_address_group("2001:db8:1:2:aaaa::1", a, sizeof(a)), 0);
	ck_assert_int_eq(portal_client_address_group("2001:db8:1:2:bbbb:cccc:dddd:eeee", b, sizeof(b)), 0);
	ck_assert_str_eq(a, "2001:db8:1:2::");
	ck_assert_str_eq(a, b);
	ck_assert_int_eq(portal_client_address_group("2001:db8:1:3::1", b, sizeof(b)), 0);
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(portal_client_address_group("::ffff:192.0.2.10", a, sizeof(a)), 0);
	ck_assert_str_eq(a, "::ffff:192.0.2.10");
	ck_assert_int_eq(portal_client_address_group(NULL, a, sizeof(a)), -1);
	ck_assert_str_eq(a, "unknown");
	ck_assert_int_eq(portal_client_address_group("not an address", a, sizeof(a)), -1);
	ck_assert_str_eq(a, "unknown");
}
END_TEST

static Suite *signin_names_suite(void)
{
	Suite *s = suite_create("signin_names");
	TCase *t = tcase_create("names");

	tcase_add_loop_test(t, every_spelling_of_a_name_has_one_normal_form, 0,
	                    (int)(sizeof(spellings) / sizeof(spellings[0])));
	tcase_add_test(t, names_that_cannot_be_an_account_have_no_normal_form);
	tcase_add_test(t, client_addresses_are_counted_per_ipv4_address_and_per_ipv6_64);
	suite_add_tcase(s, t);
	return s;
}

/* Run the suite; exit status 0 only when every check passed. */
int main(void)
{
	SRunner *sr = srunner_create(signin_names_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
