/* portal-monitoring: monitoring that counts and listens (issue 18, first
 * slice): the language guide, partner voice, themes and the coding of
 * texts.
 *
 * Routes (pages under /monitoring/, the same handlers answer JSON under
 * /api/v1/monitoring/ and /api/v1/language-guide)
 *   GET  /monitoring/                               start: send, the guide, shared quotes
 *   GET  /monitoring/language-guide  /api/v1/language-guide    the guide
 *   GET  .../language-guide/new; POST (add)         coordinators
 *   GET  .../language-guide/{id}/edit; POST (change), POST .../remove
 *   POST /api/v1/language-guide/notes               the notes of a text (as you type)
 *   GET  /monitoring/observations/new; POST         send an observation
 *   GET  /monitoring/observations/{id}, .../edit; POST (change its words)
 *   GET  /monitoring/themes; POST; POST .../{id}/remove   coordinators
 *   GET  /monitoring/texts, /monitoring/texts/{id}; POST .../{id}/tags
 *   GET  /monitoring/report  /api/v1/monitoring     the quarter's figures (coordinators)
 *   GET  /monitoring/report.csv  /api/v1/monitoring.csv   the same as CSV
 */
#include "monitoring.h"

#define API "/api/v1/monitoring"
#define GUIDE_API "/api/v1/language-guide"
#define GUIDE "/monitoring/language-guide"

static const portal_route monitoring_routes[] = {
	{ PORTAL_NONE, { "GET", "/api/v1/health" }, portal_health, PORTAL_PUBLIC, NULL, "Whether the portal is working", 0, "200 common/schemas/health.json; 503 common/schemas/health.json", NULL },
	{ { "GET", "/monitoring/" }, PORTAL_NONE, monitoring_home, MONITORING_ANYONE, "home", "Monitoring and partner voice", 0, NULL, NULL },
	{ { "GET", "/monitoring/report" }, { "GET", "/api/v1/monitoring" }, monitoring_report, MONITORING_COORD, "report", "Monitoring figures for a quarter", 0, "200 figures", NULL },
	{ { "GET", "/monitoring/report.csv" }, { "GET", "/api/v1/monitoring.csv" }, monitoring_report_csv, MONITORING_COORD, NULL, "Monitoring figures for a quarter, as a spreadsheet (CSV)", 0, "200 text/csv", NULL },
	{ { "GET", GUIDE }, { "GET", "/api/v1/language-guide" }, monitoring_guide_list, MONITORING_ANYONE, "guide", "Language guide", 0, "200 guide", NULL },
	{ { "GET", GUIDE "/new" }, PORTAL_NONE, monitoring_guide_new_form, MONITORING_COORD, "guide_form", "Add an entry to the language guide", 0, NULL, NULL },
	{ { "POST", GUIDE }, { "POST", "/api/v1/language-guide" }, monitoring_guide_create, MONITORING_COORD, "guide_form", "Add an entry to the language guide", 16384, "201 entry-answer", &monitoring_fields[MONITORING_FIELDS_GUIDE] },
	{ PORTAL_NONE, { "POST", GUIDE_API "/notes" }, monitoring_guide_check, MONITORING_ANYONE, NULL, "The language notes of a text, as it is typed", 16384, "200 notes", &monitoring_fields[MONITORING_FIELDS_CHECK] },
	{ PORTAL_NONE, { "GET", GUIDE_API "/{id}" }, monitoring_guide_get, MONITORING_ANYONE, NULL, "An entry of the language guide", 0, "200 entry-answer", NULL },
	{ { "GET", GUIDE "/{id}/edit" }, PORTAL_NONE, monitoring_guide_edit_form, MONITORING_COORD, "guide_form", "Change an entry of the language guide", 0, NULL, NULL },
	{ { "POST", GUIDE "/{id}/edit" }, { "PUT", GUIDE_API "/{id}" }, monitoring_guide_update, MONITORING_COORD, "guide_form", "Change an entry of the language guide", 16384, "200 entry-answer", &monitoring_fields[MONITORING_FIELDS_GUIDE] },
	{ { "POST", GUIDE "/{id}/remove" }, { "DELETE", GUIDE_API "/{id}" }, monitoring_guide_remove, MONITORING_COORD, "guide", "Remove an entry of the language guide", 4096, "204", NULL },
	{ { "GET", "/monitoring/observations/new" }, PORTAL_NONE, monitoring_observation_form, MONITORING_ANYONE, "observation_form", "Tell the coordinators what you see", 0, NULL, NULL },
	{ { "POST", "/monitoring/observations" }, { "POST", API "/observations" }, monitoring_observation_create, MONITORING_ANYONE, "observation_form", "Tell the coordinators what you see", 16384, "201 observation-answer", &monitoring_fields[MONITORING_FIELDS_OBSERVATION] },
	{ { "GET", "/monitoring/observations/{id}" }, { "GET", API "/observations/{id}" }, monitoring_observation_get, MONITORING_ANYONE, "observation", "Your observation", 0, "200 observation-answer", NULL },
	{ { "GET", "/monitoring/observations/{id}/edit" }, PORTAL_NONE, monitoring_observation_edit_form, MONITORING_ANYONE, "observation_form", "Change your observation", 0, NULL, NULL },
	{ { "POST", "/monitoring/observations/{id}/edit" }, { "PUT", API "/observations/{id}" }, monitoring_observation_update, MONITORING_ANYONE, "observation_form", "Change your observation", 16384, "200 observation-answer", &monitoring_fields[MONITORING_FIELDS_OBSERVATION] },
	{ { "GET", "/monitoring/themes" }, { "GET", API "/themes" }, monitoring_themes_list, MONITORING_COORD, "themes", "Themes", 0, "200 themes", NULL },
	{ { "POST", "/monitoring/themes" }, { "POST", API "/themes" }, monitoring_theme_create, MONITORING_COORD, "themes", "Themes", 4096, "201 theme-answer", &monitoring_fields[MONITORING_FIELDS_THEME] },
	{ { "POST", "/monitoring/themes/{id}/remove" }, { "DELETE", API "/themes/{id}" }, monitoring_theme_remove, MONITORING_COORD, "themes", "Themes", 4096, "204", NULL },
	{ { "GET", "/monitoring/texts" }, { "GET", API "/texts" }, monitoring_texts_list, MONITORING_COORD, "texts", "What partners wrote", 0, "200 texts", NULL },
	{ { "GET", "/monitoring/texts/{id}" }, { "GET", API "/texts/{id}" }, monitoring_text_get, MONITORING_COORD, "text", "Tag a text", 0, "200 text-answer", NULL },
	{ { "POST", "/monitoring/texts/{id}/tags" }, { "PUT", API "/texts/{id}/tags" }, monitoring_tags_put, MONITORING_COORD, "text", "Tag a text", 4096, "200 tags", &monitoring_fields[MONITORING_FIELDS_TAGS] },
};

static const portal_app monitoring_app = {
	.codes = &monitoring_error_codes,
	.name = "monitoring", .load_demo = monitoring_load_demo, .housekeeping = monitoring_housekeeping,
	.routes = monitoring_routes, .nroutes = MONITORING_COUNT(monitoring_routes),
	.scripts = monitoring_scripts, .nscripts = MONITORING_SCRIPT_COUNT,
};

/* The module's entry point: the shared server with the monitoring app. */
int main(int argc, char **argv)
{
	return portal_main(&monitoring_app, argc, argv);
}
