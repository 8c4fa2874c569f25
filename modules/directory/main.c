/* portal-directory: the referral-pathway directory.
 *
 * Find the specialist partner who knows the person's language, community
 * and the exploitation they have faced, and how to refer to them.  NGO
 * staff propose changes to their own entries; coordinators approve them,
 * keep the communities list and write referral pathways.  Open Referral
 * (HSDS 3.1) for exchange with council directories.
 *
 * Routes: one line per handler, with its page (under /directory/) and its
 * API call (JSON under /api/v1/directory/) where it has them.
 */

#include "directory.h"
#include "server.h"

#define ANY PORTAL_ROLE_ANY
#define COORD PORTAL_ROLE_COORDINATOR
#define EDITORS (PORTAL_ROLE_NGO | PORTAL_ROLE_COORDINATOR)
#define IMPORT_MAX_BODY (1024 * 1024)

#define API "/api/v1/directory"
#define OR  "/api/v1/directory/openreferral"

static const portal_route directory_routes[] = {
	{ PORTAL_NONE, { "GET", "/api/v1/health" }, portal_health, PORTAL_PUBLIC, NULL, "Whether the portal is working", 0, "200 common/schemas/health.json; 503 common/schemas/health.json", NULL },
	{ { "GET", "/directory/" }, { "GET", API "/services" }, directory_search, ANY, "search", "Find a specialist partner", 0, "200 search", &directory_query_input },
	{ PORTAL_NONE, { "POST", API "/services" }, directory_service_post, EDITORS, NULL, "Add a service", 0, "201 service; 202 change", NULL },
	{ { "GET", "/directory/services/{id}" }, { "GET", API "/services/{id}" }, directory_service_get, ANY, "service", "Service", 0, "200 service", NULL },
	{ { "GET", "/directory/services/{id}/edit" }, PORTAL_NONE, directory_service_edit_page, EDITORS, "service_form", "Change a service", 0, NULL, NULL },
	{ { "POST", "/directory/services/{id}" }, { "PUT", API "/services/{id}" }, directory_service_put, EDITORS, "service_form", "Change a service", 0, "200 service; 202 change", NULL },
	{ { "POST", "/directory/services/{id}/suggestions" }, { "POST", API "/services/{id}/suggestions" }, directory_suggestion_post, ANY, "service", "Service", 0, "201 suggestion", &directory_suggestion_input },
	{ { "GET", "/directory/changes" }, { "GET", API "/changes" }, directory_changes_list, EDITORS, "changes", "Changes waiting for approval", 0, "200 changes", &directory_list_input },
	{ { "POST", "/directory/changes/{id}/approve" }, { "POST", API "/changes/{id}/approve" }, directory_change_approve, COORD, "changes", "Changes", 0, "200 change", &directory_decision_input },
	{ { "POST", "/directory/changes/{id}/reject" }, { "POST", API "/changes/{id}/reject" }, directory_change_reject, COORD, "changes", "Changes", 0, "200 change", &directory_decision_input },
	{ { "GET", "/directory/suggestions" }, { "GET", API "/suggestions" }, directory_suggestions_list, EDITORS, "suggestions", "Suggested edits", 0, "200 suggestions", &directory_list_input },
	{ { "POST", "/directory/suggestions/{id}/close" }, { "POST", API "/suggestions/{id}/close" }, directory_suggestion_close, EDITORS, "suggestions", "Suggested edits", 0, "200 suggestion", NULL },
	{ { "GET", "/directory/pathways" }, { "GET", API "/pathways" }, directory_pathways_list, ANY, "pathways", "Referral pathways", 0, "200 pathways", &directory_list_input },
	{ { "GET", "/directory/pathways/new" }, PORTAL_NONE, directory_pathway_new_page, COORD, "pathway_form", "Write a referral pathway", 0, NULL, NULL },
	{ { "POST", "/directory/pathways" }, { "POST", API "/pathways" }, directory_pathway_post, COORD, "pathway_form", "Write a referral pathway", 0, "201 pathway", &directory_pathway_input },
	{ { "GET", "/directory/pathways/{id}" }, { "GET", API "/pathways/{id}" }, directory_pathway_get, ANY, "pathway", "Referral pathway", 0, "200 pathway", NULL },
	{ { "GET", "/directory/pathways/{id}/edit" }, PORTAL_NONE, directory_pathway_edit_page, COORD, "pathway_form", "Change a referral pathway", 0, NULL, NULL },
	{ { "POST", "/directory/pathways/{id}" }, { "PUT", API "/pathways/{id}" }, directory_pathway_put, COORD, "pathway_form", "Change a referral pathway", 0, "200 pathway", &directory_pathway_input },
	{ { "GET", "/directory/organisations" }, { "GET", API "/organisations" }, directory_orgs_list, ANY, "organisations", "Organisations", 0, "200 organisations", &directory_list_input },
	{ PORTAL_NONE, { "POST", API "/organisations" }, directory_org_post, COORD, NULL, "Add an organisation", 0, "201 organisation", &directory_org_input },
	{ { "GET", "/directory/organisations/{id}" }, { "GET", API "/organisations/{id}" }, directory_org_get, ANY, "organisation", "Organisation", 0, "200 organisation", NULL },
	{ { "GET", "/directory/organisations/{id}/edit" }, PORTAL_NONE, directory_org_edit_page, EDITORS, "organisation_form", "Change an organisation", 0, NULL, NULL },
	{ { "POST", "/directory/organisations/{id}" }, { "PUT", API "/organisations/{id}" }, directory_org_put, EDITORS, "organisation_form", "Change an organisation", 0, "200 organisation; 202 change", &directory_org_input },
	{ { "GET", "/directory/languages" }, { "GET", API "/languages" }, directory_languages_get, COORD, "languages", "Languages listed first", 0, "200 languages", NULL },
	{ { "POST", "/directory/languages" }, { "PUT", API "/languages" }, directory_languages_put, COORD, "languages", "Languages listed first", 0, "200 languages", NULL },
	{ PORTAL_NONE, { "GET", API "/communities" }, directory_communities_get, ANY, NULL, "Communities", 0, "200 communities", NULL },
	{ PORTAL_NONE, { "POST", API "/communities" }, directory_community_post, COORD, NULL, "Add a community", 0, "201 community", &directory_community_input },
	{ PORTAL_NONE, { "GET", API "/export" }, directory_export, COORD, NULL, "The whole directory, in Open Referral (HSDS 3.1)", 0, "200 export", NULL },
	{ PORTAL_NONE, { "POST", API "/import" }, directory_import, COORD, NULL, "Import an Open Referral (HSDS 3.1) export", IMPORT_MAX_BODY, "200 import", NULL },
	{ PORTAL_NONE, { "POST", API "/generate" }, directory_generate_post, COORD, NULL, "Generate services (demo stack only)", 0, "201 generate", &directory_generate_input },
	/* Open Referral (HSDS 3.1) */
	{ PORTAL_NONE, { "GET", OR "/" }, directory_or_root, ANY, NULL, "Open Referral: about this API", 0, "200 openreferral-root", NULL },
	{ PORTAL_NONE, { "GET", OR "/services" }, directory_or_services, ANY, NULL, "Open Referral: services", 0, "200 openreferral-services", &directory_or_input },
	{ PORTAL_NONE, { "GET", OR "/services/{id}" }, directory_or_service, ANY, NULL, "Open Referral: a service", 0, "200 openreferral/service", NULL },
	{ PORTAL_NONE, { "GET", OR "/organizations" }, directory_or_organizations, ANY, NULL, "Open Referral: organisations", 0, "200 openreferral-organizations", &directory_or_input },
	{ PORTAL_NONE, { "GET", OR "/organizations/{id}" }, directory_or_organization, ANY, NULL, "Open Referral: an organisation", 0, "200 openreferral/organization", NULL },
	{ PORTAL_NONE, { "GET", OR "/taxonomies" }, directory_or_taxonomies, ANY, NULL, "Open Referral: taxonomies", 0, "200 openreferral-taxonomies", &directory_or_input },
	{ PORTAL_NONE, { "GET", OR "/taxonomy_terms" }, directory_or_taxonomy_terms, ANY, NULL, "Open Referral: taxonomy terms", 0, "200 openreferral-taxonomy-terms", &directory_or_input },
	{ PORTAL_NONE, { "GET", OR "/service_at_locations" }, directory_or_service_at_locations, ANY, NULL, "Open Referral: services at locations (always empty: no addresses are kept)", 0, "200 openreferral-service-at-locations", &directory_or_input },
};

static const portal_app directory_app = {
	.name = "directory", .load_demo = directory_load_demo, .housekeeping = directory_housekeeping,
	.routes = directory_routes, .nroutes = sizeof(directory_routes) / sizeof(directory_routes[0]),
	.scripts = directory_scripts, .nscripts = DIRECTORY_SCRIPT_COUNT,
	.events = (const char *const[DIRECTORY_EV_COUNT]){
		"search", "search_no_result" },
	.nevents = DIRECTORY_EV_COUNT,
};

int main(int argc, char **argv)
{
	return portal_main(&directory_app, argc, argv);
}
