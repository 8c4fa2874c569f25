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
 * Monitoring reads that value and never computes it again.  Counts and
 * timings only, as the report: no reference or note is read into it.
 */
#include "cases.h"

#include <stdlib.h>

#include "log.h"

int cases_report_publish(portal_store *st, time_t now)
{
	cases_answer a;
	json_t *report;
	char *text;
	int rc = -1;

	cases_store_list(st, "all", "", &a);
	if (!cases_answer_ok(&a)) {
		portal_log(PORTAL_LOG_ERROR, "cases report not published: the cases could not be read: tried again at the next run",
		           json_pack("{s:s}", "cause", a.cause[0] ? a.cause : a.status));
		cases_answer_free(&a);
		return -1;
	}
	report = cases_report_quarters(json_object_get(a.data, "cases"), now);
	text = json_dumps(report, JSON_COMPACT);
	if (text && cases_store_report_put(st, text) == 0)
		rc = 0;
	else
		portal_log(PORTAL_LOG_ERROR, "cases report not published: Redis refused it: tried again at the next run", NULL);
	free(text);
	json_decref(report);
	cases_answer_free(&a);
	return rc;
}
