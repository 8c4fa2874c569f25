/* portal-beds: safehouse beds - live availability, search and time-limited
 * holds.  No address is stored or shown anywhere; a hold carries only the
 * responder's own case reference and call-back phone.
 *
 * Routes (pages under /beds/, the same handlers answer JSON under /api/v1/beds/)
 *   GET  /beds/                       start: search form, my holds, my safehouses
 *   GET  /beds/search  /api/v1/beds/search            search by bed group and needs
 *   GET  /beds/safehouses  POST (new)  and /api/v1/beds/safehouses
 *   GET  /beds/safehouses/new                         form for a new safehouse
 *   GET  /beds/safehouses/{id}  (PUT under /api/)     a safehouse
 *   GET  /beds/safehouses/{id}/edit  POST (change)    the filled-in form
 *   POST /beds/safehouses/{id}/vacancies  PUT /api/v1/beds/safehouses/{id}/vacancies
 *   POST .../safehouses/{id}/confirm                  "still accurate"
 *   GET  /beds/safehouses/{id}/hold                   the hold form
 *   POST .../safehouses/{id}/holds                    place a hold (Idempotency-Key)
 *   GET  .../holds, .../holds/{id}; POST .../holds/{id}/accept|decline|cancel|extend
 *   POST .../holds/{id}/outcome; GET /beds/holds/{id}/outcome   what happened (issue 18)
 *   GET  .../summary; GET .../reports/holds (.csv)    coordinator report
 */
#include "beds.h"

#define API "/api/v1/beds"

/* Each handler once, with its page and its API path; the first match
 * wins: /beds/safehouses/new before {id}. */
static const portal_route beds_routes[] = {
	{ PORTAL_NONE, { "GET", "/api/v1/health" }, portal_health, PORTAL_PUBLIC, NULL, "Whether the portal is working", 0, "200 common/schemas/health.json; 503 common/schemas/health.json", NULL },
	{ { "GET", "/beds/" }, PORTAL_NONE, beds_home, BEDS_SEEKERS, "home", "Safehouse beds", 0, NULL, NULL },
	{ { "GET", "/beds/search" }, { "GET", API "/search" }, beds_search_get, BEDS_SEEKERS, "search", "Find a safehouse bed", 0, "200 search", &beds_fields[BEDS_FIELDS_SEARCH] },
	{ { "GET", "/beds/safehouses" }, { "GET", API "/safehouses" }, beds_safehouse_list, BEDS_SEEKERS, "safehouses", "Safehouses", 0, "200 safehouses", &beds_fields[BEDS_FIELDS_LIST] },
	{ { "GET", "/beds/safehouses/new" }, PORTAL_NONE, beds_safehouse_new_form, BEDS_NGO, "safehouse_form", "Add a safehouse", 0, NULL, NULL },
	{ { "POST", "/beds/safehouses" }, { "POST", API "/safehouses" }, beds_safehouse_create, BEDS_NGO, "safehouse_form", "Add a safehouse", 16384, "201 safehouse-answer", &beds_fields[BEDS_FIELDS_SAFEHOUSE] },
	{ { "GET", "/beds/safehouses/{id}" }, { "GET", API "/safehouses/{id}" }, beds_safehouse_get, BEDS_SEEKERS, "safehouse", "Safehouse", 0, "200 safehouse-answer", NULL },
	{ { "GET", "/beds/safehouses/{id}/edit" }, PORTAL_NONE, beds_safehouse_edit_form, BEDS_NGO, "safehouse_form", "Change the safehouse details", 0, NULL, NULL },
	{ { "POST", "/beds/safehouses/{id}/edit" }, { "PUT", API "/safehouses/{id}" }, beds_safehouse_update, BEDS_NGO, "safehouse_form", "Change the safehouse details", 16384, "200 safehouse-answer", &beds_fields[BEDS_FIELDS_SAFEHOUSE] },
	{ { "POST", "/beds/safehouses/{id}/vacancies" }, { "PUT", API "/safehouses/{id}/vacancies" }, beds_vacancies_put, BEDS_NGO, "safehouse", "Safehouse", 4096, "200 safehouse-answer", &beds_fields[BEDS_FIELDS_VACANCIES] },
	{ { "POST", "/beds/safehouses/{id}/confirm" }, { "POST", API "/safehouses/{id}/confirm" }, beds_vacancies_confirm, BEDS_NGO, "safehouse", "Safehouse", 4096, "200 safehouse-answer", NULL },
	{ { "GET", "/beds/safehouses/{id}/hold" }, PORTAL_NONE, beds_hold_form, BEDS_RESP, "hold_form", "Hold a bed", 0, NULL, NULL },
	{ { "POST", "/beds/safehouses/{id}/holds" }, { "POST", API "/safehouses/{id}/holds" }, beds_hold_place, BEDS_RESP, "hold_form", "Hold a bed", 4096, "201 hold-answer", &beds_fields[BEDS_FIELDS_HOLD] },
	{ { "GET", "/beds/holds" }, { "GET", API "/holds" }, beds_hold_list, BEDS_SEEKERS, "holds", "Bed holds", 0, "200 holds", &beds_fields[BEDS_FIELDS_LIST] },
	{ { "GET", "/beds/holds/{id}" }, { "GET", API "/holds/{id}" }, beds_hold_get, BEDS_SEEKERS, "hold", "Bed hold", 0, "200 hold-answer", NULL },
	{ { "POST", "/beds/holds/{id}/accept" }, { "POST", API "/holds/{id}/accept" }, beds_hold_accept, BEDS_NGO, "hold", "Bed hold", 4096, "200 hold-answer", NULL },
	{ { "POST", "/beds/holds/{id}/decline" }, { "POST", API "/holds/{id}/decline" }, beds_hold_decline, BEDS_NGO, "hold", "Bed hold", 4096, "200 hold-answer", &beds_fields[BEDS_FIELDS_DECLINE] },
	{ { "POST", "/beds/holds/{id}/cancel" }, { "POST", API "/holds/{id}/cancel" }, beds_hold_cancel, BEDS_RESP, "hold", "Bed hold", 4096, "200 hold-answer", NULL },
	{ { "POST", "/beds/holds/{id}/extend" }, { "POST", API "/holds/{id}/extend" }, beds_hold_extend, BEDS_RESP, "hold", "Bed hold", 4096, "200 hold-answer", &beds_fields[BEDS_FIELDS_EXTEND] },
	{ { "POST", "/beds/holds/{id}/outcome" }, { "POST", API "/holds/{id}/outcome" }, beds_hold_outcome_post, BEDS_NGO | BEDS_RESP, "hold", "Bed hold", 16384, "201 hold-outcome-answer; 200 hold-outcome-answer", &beds_fields[BEDS_FIELDS_OUTCOME] },
	{ { "GET", "/beds/holds/{id}/outcome" }, PORTAL_NONE, beds_hold_outcome_get, BEDS_NGO | BEDS_RESP, "hold_outcome", "What happened after a bed hold", 0, NULL, NULL },
	{ { "GET", "/beds/summary" }, { "GET", API "/summary" }, beds_summary_get, PORTAL_ROLE_ANY, "summary", "Safehouse beds across London", 0, "200 summary", NULL },
	{ { "GET", "/beds/reports/holds" }, { "GET", API "/reports/holds" }, beds_report_get, BEDS_COORD, "report", "Bed holds report", 0, "200 report", &beds_fields[BEDS_FIELDS_REPORT] },
	{ { "GET", "/beds/reports/holds.csv" }, { "GET", API "/reports/holds.csv" }, beds_report_csv_get, BEDS_COORD, NULL, "Bed holds report, as a spreadsheet (CSV)", 0, "200 text/csv", &beds_fields[BEDS_FIELDS_REPORT] },
};

static const portal_app beds_app = {
	.codes = &beds_error_codes,
	.name = "beds", .load_demo = beds_load_demo, .housekeeping = beds_housekeeping,
	.routes = beds_routes, .nroutes = BEDS_COUNT(beds_routes),
	.scripts = beds_scripts, .nscripts = BEDS_SCRIPT_COUNT,
	.events = (const char *const[BEDS_EV_COUNT]){
		"hold_placed", "hold_accepted", "hold_declined", "hold_cancelled", "hold_extended",
		"hold_expired", "no_bed_available", "search_no_result" },
	.nevents = BEDS_EV_COUNT,
};

/* The module's entry point: the shared server with the beds app. */
int main(int argc, char **argv)
{
	return portal_main(&beds_app, argc, argv);
}
