/* demo.c - `portal-cases --load-demo`: the demo stack starts with one case
 * that Demo Safehouse Charity A shared with the North East BCU, so both
 * sides' pages have something to show.  Written through store.c, once (a
 * store that holds cases already is left alone). */
#include "cases.h"

#include <stdio.h>
#include <string.h>

#include "jsonget.h"

int cases_load_demo(portal_store *st, const portal_config *cfg, char *err, size_t errlen)
{
	json_t *valid = json_pack("{s:s, s:s, s:s, s:s, s:[s], s:b, s:[s, s]}", "reference", "DEMO-A-001",
	                          "shared_on", "2026-11-20", "channel", "phone", "borough", "newham",
	                          "exploitation_types", "labour", "contact_consent", 1,
	                          "wants", "crime_recorded", "outcome");
	cases_share_request req = { valid, "north-east", "demo-charity-a", "Demo Safehouse Charity A", "ngo.a", "Amira Haddad" };
	cases_answer a;
	long long from = 0;
	int rc = -1;

	(void)cfg;
	if (cases_store_list(st, "all", "", &a) != PORTAL_RUN_OK || !cases_answer_ok(&a)) {
		snprintf(err, errlen, "the store did not answer: %s", a.cause);
		goto done;
	}
	if (json_array_size(json_object_get(a.data, "cases")) == 0) {
		cases_answer_free(&a);
		if (cases_store_share(st, &req, &a) != PORTAL_RUN_OK || !cases_answer_ok(&a)) {
			snprintf(err, errlen, "the demo case was not stored: %s", a.cause);
			goto done;
		}
	}
	rc = cases_store_migrate(st, &from);
	if (rc < 0)
		snprintf(err, errlen, "the data version was not set");
done:
	cases_answer_free(&a);
	json_decref(valid);
	return rc;
}
