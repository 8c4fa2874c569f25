/* test_redirect.c - which "next" addresses may be redirected to after
 * sign-in (portal_local_path_ok, common/parse.c).  Security review finding 3
 * (issue 14): "/%09/evil.example" was accepted, and a browser that drops the
 * tab went to //evil.example.  OWASP ASVS 4.0.3 V5.1.5: redirects only to
 * allowed destinations.
 */
#include "parse.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* Addresses on this site, as the portal itself makes them. */
static const char *const accepted[] = {
	"/",
	"/beds/",
	"/training/sessions/12",
	"/directory/services?q=albanian&borough=hackney",
	"/a%2Fb",                     /* an encoded slash inside a path, not at the start */
	"/login?x=1",                 /* the auth module refuses /login itself, not this rule */
};

/* Addresses that could leave the site, or that no portal page makes. */
static const char *const refused[] = {
	"",
	"beds/",                      /* relative */
	"https://evil.example/",
	"//evil.example/",
	"///evil.example/",
	"/\\evil.example",
	"\\/evil.example",
	"/beds\\..\\",                /* a backslash anywhere */
	"/\t/evil.example",           /* the review's finding, decoded once by the query parser */
	"/%09/evil.example",          /* ... and as it would look decoded once more */
	"/%0a/evil.example",
	"/%0D%0A/evil.example",
	"/%2F/evil.example",          /* "//" after decoding */
	"/%2f/evil.example",
	"/%5Cevil.example",           /* "/\" after decoding */
	"/%5cevil.example",
	"/%252F/evil.example",        /* "//" after two rounds */
	"/%25252F/evil.example",      /* after three */
	"/%2525252525252F/evil",      /* still encoded after four rounds */
	"/%20/evil.example",          /* a space after decoding */
	"/ /evil.example",
	"/\x0b/evil.example",         /* vertical tab */
	"/\x7f/evil.example",         /* DEL */
	"/\xc2\xa0/evil.example",     /* no-break space (not ASCII) */
	"/\xe3\x80\x80/evil.example", /* ideographic space */
	"/%E3%80%80/evil.example",
	"/directory/%C3%A9",          /* not ASCII once decoded: no portal address is */
	"/%",                         /* a bare percent sign */
	"/%4",
	"/%zz",
	"\x01/evil.example",
	"\t/evil.example",
	" /evil.example",
};

START_TEST(local_paths_of_this_site_are_accepted)
{
	ck_assert_msg(portal_local_path_ok(accepted[_i]), "refused: %s", accepted[_i]);
}
END_TEST

START_TEST(addresses_that_may_leave_the_site_are_refused)
{
	ck_assert_msg(!portal_local_path_ok(refused[_i]), "accepted: %s", refused[_i]);
}
END_TEST

START_TEST(null_and_overlong_paths_are_refused)
{
	char longest[PORTAL_LOCAL_PATH_MAX + 2];

	ck_assert(!portal_local_path_ok(NULL));
	memset(longest, 'a', sizeof(longest));
	longest[0] = '/';
	longest[PORTAL_LOCAL_PATH_MAX] = '\0';
	ck_assert(portal_local_path_ok(longest));
	longest[PORTAL_LOCAL_PATH_MAX] = 'a';
	longest[PORTAL_LOCAL_PATH_MAX + 1] = '\0';
	ck_assert(!portal_local_path_ok(longest));
}
END_TEST

static Suite *redirect_suite(void)
{
	Suite *s = suite_create("redirect");
	TCase *t = tcase_create("local_path");

	tcase_add_loop_test(t, local_paths_of_this_site_are_accepted, 0,
	                    (int)(sizeof(accepted) / sizeof(accepted[0])));
	tcase_add_loop_test(t, addresses_that_may_leave_the_site_are_refused, 0,
	                    (int)(sizeof(refused) / sizeof(refused[0])));
	tcase_add_test(t, null_and_overlong_paths_are_refused);
	suite_add_tcase(s, t);
	return s;
}

/* Run the suite; exit status 0 only when every check passed. */
int main(void)
{
	SRunner *sr = srunner_create(redirect_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
