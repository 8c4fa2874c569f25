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

#include <stdio.h>
#include <stdlib.h>

#include "jsonget.h"
#include "log.h"

/* Report `report` (cases_responsiveness; stolen) in the published shape:
 * each unit's "code" is its "unit". */
static json_t *published_quarter(json_t *report)
{
	json_t *u;
	size_t i;

	json_array_foreach(json_object_get(report, "units"), i, u) {
		json_object_set(u, "unit", json_object_get(u, "code"));
		json_object_del(u, "code");
	}
	return report;
}

const char *cases_quarter_before(const char *quarter, char *out, size_t len)
{
	int y, q;

	if (sscanf(quarter, "%4d-Q%1d", &y, &q) != 2 || q < 1 || q > 4 || y < 1001) {
		snprintf(out, len, "%s", "");
		return out;
	}
	snprintf(out, len, "%04d-Q%d", q == 1 ? y - 1 : y, q == 1 ? 4 : q - 1);
	return out;
}

json_t *cases_report_quarters(const json_t *all, time_t now)
{
	json_t *quarters = json_object();
	char q[16], before[16];
	int i;

	cases_quarter_of_time(now, q, sizeof(q));
	for (i = 0; i < CASES_REPORT_QUARTERS && q[0]; i++) {
		json_object_set_new(quarters, q, published_quarter(cases_responsiveness(all, q, now)));
		cases_quarter_before(q, before, sizeof(before));
		snprintf(q, sizeof(q), "%s", before);
	}
	return json_pack("{s:I, s:o}", "updated_at", (json_int_t)now, "quarters", quarters);
}

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
