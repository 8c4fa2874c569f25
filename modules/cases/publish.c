/* publish.c - the responsiveness report published for the monitoring module
 * (issue 18): at each housekeeping run, the figures of the cases shared in
 * the current quarter and in each of the three before, computed by the
 * same code as GET /api/v1/cases/reports/responsiveness?quarter=..., kept
 * as the portal-wide value <prefix>{portal}:report:cases-responsiveness:
 *
 *   {"updated_at": <unix>, "quarters": {"2026-Q4": {"units": [{"unit",
 *    "name", "shared", "acknowledged", "median_days_to_ack" (number or
 *    null), "updated_within_28_days_percent" (integer or null),
 *    "closed_with_outcome"}]}, ...}}
 *
 * It is written only when the figures differ from those kept (updated_at:
 * when they last changed).  Monitoring reads it and never computes it again.
 * Counts and timings only, as the report: no reference or note is read
 * into it.
 */
#include "cases.h"

#include <stdlib.h>

#include "log.h"

int cases_report_publish(portal_store *st, time_t now)
{
	json_t *report, *kept = NULL;
	cases_answer a;
	char *text = NULL;
	int rc = -1;

	cases_store_list(st, "all", "", &a);
	if (!cases_answer_ok(&a) || cases_store_report_get(st, &kept) < 0) {
		portal_log(PORTAL_LOG_ERROR, "cases report not published: Redis could not be read: tried again at the next run",
		           json_pack("{s:s}", "cause", a.cause[0] ? a.cause : a.status));
		cases_answer_free(&a);
		return -1;
	}
	report = cases_report_quarters(json_object_get(a.data, "cases"), now);
	if (json_equal(json_object_get(report, "quarters"), json_object_get(kept, "quarters")))
		rc = 0;  /* the same figures: nothing to write */
	else if ((text = json_dumps(report, JSON_COMPACT)) != NULL && cases_store_report_put(st, text) == 0)
		rc = 1;
	else
		portal_log(PORTAL_LOG_ERROR, "cases report not published: Redis refused it: tried again at the next run", NULL);
	free(text);
	json_decref(kept);
	json_decref(report);
	cases_answer_free(&a);
	return rc;
}
