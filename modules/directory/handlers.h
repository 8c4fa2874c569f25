/* handlers.h - the directory's route handlers (one per route; see main.c). */
#ifndef DIRECTORY_HANDLERS_H
#define DIRECTORY_HANDLERS_H

#include <jansson.h>

#include "app.h"

/* services.c */
void directory_search(portal_ctx *ctx);
void directory_service_get(portal_ctx *ctx);
void directory_service_edit_page(portal_ctx *ctx);
void directory_service_post(portal_ctx *ctx);
void directory_service_put(portal_ctx *ctx);
void directory_orgs_list(portal_ctx *ctx);
void directory_org_get(portal_ctx *ctx);
void directory_org_post(portal_ctx *ctx);
void directory_org_put(portal_ctx *ctx);
void directory_org_edit_page(portal_ctx *ctx);
void directory_communities_get(portal_ctx *ctx);
void directory_community_post(portal_ctx *ctx);

/* suggestions.c */
void directory_suggestion_post(portal_ctx *ctx);
void directory_suggestions_list(portal_ctx *ctx);
void directory_suggestion_close(portal_ctx *ctx);

/* changes.c */
void directory_changes_list(portal_ctx *ctx);
void directory_change_approve(portal_ctx *ctx);
void directory_change_reject(portal_ctx *ctx);

/* pathways.c */
void directory_pathways_list(portal_ctx *ctx);
void directory_pathway_get(portal_ctx *ctx);
void directory_pathway_post(portal_ctx *ctx);
void directory_pathway_put(portal_ctx *ctx);
void directory_pathway_new_page(portal_ctx *ctx);
void directory_pathway_edit_page(portal_ctx *ctx);
/* The demo pathways (marked as examples).  Returns 0 or -1 with err. */
int directory_pathways_demo(portal_store *st, char *err, size_t errlen);

/* openreferral.c */
/* The services of one organisation (stored shape, by name; new array), up
 * to 100, or NULL when the store failed. */
json_t *directory_org_services(portal_ctx *ctx, const char *org_id);
void directory_or_root(portal_ctx *ctx);
void directory_or_services(portal_ctx *ctx);
void directory_or_service(portal_ctx *ctx);
void directory_or_organizations(portal_ctx *ctx);
void directory_or_organization(portal_ctx *ctx);
void directory_or_taxonomies(portal_ctx *ctx);
void directory_or_taxonomy_terms(portal_ctx *ctx);
void directory_or_service_at_locations(portal_ctx *ctx);
void directory_export(portal_ctx *ctx);
void directory_import(portal_ctx *ctx);
void directory_generate_post(portal_ctx *ctx);

/* Shared helpers (services.c). */
/* Every stored record of `kind` ("org", "pw", ...) as a new array, or NULL
 * after answering 503. */
json_t *directory_list_all(portal_ctx *ctx, const char *kind);
/* The communities list (object code -> name): 0, or -1 after answering 503. */
int directory_communities(portal_ctx *ctx, json_t **out);
/* 1 when the signed-in user may change organisation `org` (coordinator, or
 * NGO staff of its agency). */
int directory_may_edit(portal_ctx *ctx, const json_t *org);
/* The service page's data for stored service `svc` (new object): the
 * service with display names, its organisation, may_edit and the banners
 * the query asks for. */
json_t *directory_service_page_data(portal_ctx *ctx, const json_t *svc);
/* A service with display names for the page (new object). */
json_t *directory_service_view(const json_t *svc);

/* Events counted in the module's metrics (common/metrics.h); names in main.c. */
enum { DIRECTORY_EV_SEARCH, DIRECTORY_EV_SEARCH_NO_RESULT, DIRECTORY_EV_COUNT };

#endif
