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
 *   GET  .../summary; GET .../reports/holds (.csv)    coordinator report
 */
#include "beds.h"

#define RESP  BEDS_RESP
#define NGO   BEDS_NGO
#define COORD BEDS_COORD
#define SEEKERS BEDS_SEEKERS

#define API "/api/v1/beds"
#define NONE PORTAL_NONE

/* Each handler once, with its page and its API path; the first match
 * wins: /beds/safehouses/new before {id}. */
static const portal_route beds_routes[] = {
	{ NONE, { "GET", "/api/v1/health" }, portal_health, PORTAL_PUBLIC, NULL, NULL, 0 },
	{ { "GET", "/beds/" }, NONE, beds_home, SEEKERS, "home", "Safehouse beds", 0 },
	{ { "GET", "/beds/search" }, { "GET", API "/search" }, beds_search_get, SEEKERS, "search", "Find a safehouse bed", 0 },
	{ { "GET", "/beds/safehouses" }, { "GET", API "/safehouses" }, beds_safehouse_list, SEEKERS, "safehouses", "Safehouses", 0 },
	{ { "GET", "/beds/safehouses/new" }, NONE, beds_safehouse_new_form, NGO, "safehouse_form", "Add a safehouse", 0 },
	{ { "POST", "/beds/safehouses" }, { "POST", API "/safehouses" }, beds_safehouse_create, NGO, "safehouse_form", "Add a safehouse", 16384 },
	{ { "GET", "/beds/safehouses/{id}" }, { "GET", API "/safehouses/{id}" }, beds_safehouse_get, SEEKERS, "safehouse", "Safehouse", 0 },
	{ { "GET", "/beds/safehouses/{id}/edit" }, NONE, beds_safehouse_edit_form, NGO, "safehouse_form", "Change the safehouse details", 0 },
	{ { "POST", "/beds/safehouses/{id}/edit" }, { "PUT", API "/safehouses/{id}" }, beds_safehouse_update, NGO, "safehouse_form", "Change the safehouse details", 16384 },
	{ { "POST", "/beds/safehouses/{id}/vacancies" }, { "PUT", API "/safehouses/{id}/vacancies" }, beds_vacancies_put, NGO, "safehouse", "Safehouse", 4096 },
	{ { "POST", "/beds/safehouses/{id}/confirm" }, { "POST", API "/safehouses/{id}/confirm" }, beds_vacancies_confirm, NGO, "safehouse", "Safehouse", 4096 },
	{ { "GET", "/beds/safehouses/{id}/hold" }, NONE, beds_hold_form, RESP, "hold_form", "Hold a bed", 0 },
	{ { "POST", "/beds/safehouses/{id}/holds" }, { "POST", API "/safehouses/{id}/holds" }, beds_hold_place, RESP, "hold_form", "Hold a bed", 4096 },
	{ { "GET", "/beds/holds" }, { "GET", API "/holds" }, beds_hold_list, SEEKERS, "holds", "Bed holds", 0 },
	{ { "GET", "/beds/holds/{id}" }, { "GET", API "/holds/{id}" }, beds_hold_get, SEEKERS, "hold", "Bed hold", 0 },
	{ { "POST", "/beds/holds/{id}/accept" }, { "POST", API "/holds/{id}/accept" }, beds_hold_accept, NGO, "hold", "Bed hold", 4096 },
	{ { "POST", "/beds/holds/{id}/decline" }, { "POST", API "/holds/{id}/decline" }, beds_hold_decline, NGO, "hold", "Bed hold", 4096 },
	{ { "POST", "/beds/holds/{id}/cancel" }, { "POST", API "/holds/{id}/cancel" }, beds_hold_cancel, RESP, "hold", "Bed hold", 4096 },
	{ { "POST", "/beds/holds/{id}/extend" }, { "POST", API "/holds/{id}/extend" }, beds_hold_extend, RESP, "hold", "Bed hold", 4096 },
	{ { "GET", "/beds/summary" }, { "GET", API "/summary" }, beds_summary_get, PORTAL_ROLE_ANY, "summary", "Safehouse beds across London", 0 },
	{ { "GET", "/beds/reports/holds" }, { "GET", API "/reports/holds" }, beds_report_get, COORD, "report", "Bed holds report", 0 },
	{ { "GET", "/beds/reports/holds.csv" }, { "GET", API "/reports/holds.csv" }, beds_report_csv_get, COORD, NULL, NULL, 0 },
};

static const char *const beds_events[BEDS_EV_COUNT] = {
	"hold_placed", "hold_accepted", "hold_declined", "hold_cancelled", "hold_extended",
	"hold_expired", "no_bed_available", "search_no_result",
};

static const portal_app beds_app = {
	.name = "beds",
	.events = beds_events,
	.nevents = BEDS_EV_COUNT,
	.routes = beds_routes,
	.nroutes = sizeof(beds_routes) / sizeof(beds_routes[0]),
	.scripts = beds_scripts,
	.nscripts = BEDS_SCRIPT_COUNT,
	.load_demo = beds_load_demo,
	.housekeeping = beds_housekeeping,
};

/* The module's entry point: the shared server with the beds app. */
int main(int argc, char **argv)
{
	return portal_main(&beds_app, argc, argv);
}
