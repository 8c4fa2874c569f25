/* migrate.c - the cases data's version, checked at the master's first
 * housekeeping run (version 1 is the first layout: the version is set when
 * missing and logged), then the retention housekeeping every minute, and
 * the responsiveness report published for monitoring (publish.c). */
#include "cases.h"

#include <stdatomic.h>

#include "log.h"

/* 0 until the version has been checked once in this process. */
static atomic_int version_checked;

int cases_housekeeping(portal_store *st, const portal_config *config)
{
	long long from = 0;
	int wait;

	if (!atomic_load(&version_checked)) {
		if (cases_store_migrate(st, &from) == 0) {
			atomic_store(&version_checked, 1);
			if (from < CASES_DATA_VERSION)
				portal_log(PORTAL_LOG_INFO, "cases data version set",
				           json_pack("{s:I, s:i}", "from", (json_int_t)from, "to", CASES_DATA_VERSION));
		} else
			portal_log(PORTAL_LOG_ERROR, "cases data version check failed: tried again at the next run", NULL);
	}
	wait = cases_store_housekeeping(st, config);
	cases_report_publish(st, time(NULL));
	return wait;
}
