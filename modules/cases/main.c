/* portal-cases: two-way case updates (issue 17).  An NGO shares what it
 * gave the police about a case; the police unit acknowledges it with its
 * reference and posts updates from a fixed list; the NGO replies or asks
 * for an update; either side closes it.  Only the two parties see a case
 * (coordinators see counts and timings, never notes).  Nothing about the
 * victim is stored, and no field exists for it.
 *
 * Routes (pages under /cases/, the same handlers answer JSON under /api/v1/cases/)
 *   GET  /cases/            the caller's side: an NGO's cases, a unit's queue
 *   GET  /cases/new         the share form;  POST /cases  share
 *   GET  /cases/{id}        the timeline;  POST .../acknowledge|updates|request-update|close
 *   GET  /cases/reports/responsiveness (.csv)   coordinators
 */
#include "cases.h"

#include "server.h"

#define API "/api/v1/cases"

static const portal_route cases_routes[] = {
	{ PORTAL_NONE, { "GET", "/api/v1/health" }, portal_health, PORTAL_PUBLIC, NULL, "Whether the portal is working", 0, "200 common/schemas/health.json; 503 common/schemas/health.json", NULL },
	{ { "GET", "/cases/" }, { "GET", API "" }, cases_list, CASES_ANY, "cases", "Case updates", 0, "200 cases", &cases_fields[CASES_FIELDS_LIST] },
	{ { "GET", "/cases/new" }, PORTAL_NONE, cases_new_form, CASES_NGO, "case_form", "Share a case with the police", 0, NULL, NULL },
	{ { "POST", "/cases" }, { "POST", API "" }, cases_share, CASES_NGO, "case_form", "Share a case with the police", 16384, "201 case-answer", &cases_fields[CASES_FIELDS_SHARE] },
	{ { "GET", "/cases/reports/responsiveness" }, { "GET", API "/reports/responsiveness" }, cases_report_get, CASES_COORD, "report", "How police units respond to shared cases", 0, "200 responsiveness", &cases_fields[CASES_FIELDS_TRENDS] },
	{ { "GET", "/cases/reports/responsiveness.csv" }, { "GET", API "/reports/responsiveness.csv" }, cases_report_csv_get, CASES_COORD, NULL, "How police units respond, as a spreadsheet (CSV)", 0, "200 text/csv", &cases_fields[CASES_FIELDS_TRENDS] },
	{ { "GET", "/cases/trends" }, { "GET", API "/trends" }, cases_trends_get, CASES_ANY, "trends", "Anonymised trends", 0, "200 trends", &cases_fields[CASES_FIELDS_TRENDS] },
	{ { "GET", "/cases/trends.csv" }, { "GET", API "/trends.csv" }, cases_trends_csv_get, CASES_ANY, NULL, "Anonymised trends, as a spreadsheet (CSV)", 0, "200 text/csv", &cases_fields[CASES_FIELDS_TRENDS] },
	{ { "POST", "/cases/trends/notes" }, { "POST", API "/trends/notes" }, cases_trend_note_add, CASES_ANY, "trends", "Add a context note to the trends", 4096, "201 trend-note-answer", &cases_fields[CASES_FIELDS_NOTE] },
	{ { "GET", "/cases/{id}" }, { "GET", API "/{id}" }, cases_get, CASES_ANY, "case", "Case", 0, "200 case-answer", NULL },
	{ { "POST", "/cases/{id}/acknowledge" }, { "POST", API "/{id}/acknowledge" }, cases_acknowledge, CASES_ANY, "case", "Case", 4096, "200 case-answer", &cases_fields[CASES_FIELDS_ACK] },
	{ { "POST", "/cases/{id}/updates" }, { "POST", API "/{id}/updates" }, cases_update, CASES_ANY, "case", "Case", 4096, "200 case-answer", &cases_fields[CASES_FIELDS_UNIT_UPDATE] },
	{ { "POST", "/cases/{id}/request-update" }, { "POST", API "/{id}/request-update" }, cases_request_update, CASES_ANY, "case", "Case", 4096, "200 case-answer", NULL },
	{ { "POST", "/cases/{id}/close" }, { "POST", API "/{id}/close" }, cases_close, CASES_ANY, "case", "Case", 4096, "200 case-answer", &cases_fields[CASES_FIELDS_CLOSE] },
};

static const portal_app cases_app = {
	.codes = &cases_error_codes,
	.name = "cases", .load_demo = cases_load_demo, .housekeeping = cases_housekeeping,
	.routes = cases_routes, .nroutes = CASES_COUNT(cases_routes),
	.scripts = cases_scripts, .nscripts = CASES_SCRIPT_COUNT,
};

/* The module's entry point: the shared server with the cases app. */
int main(int argc, char **argv)
{
	return portal_main(&cases_app, argc, argv);
}
