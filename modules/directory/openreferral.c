/* openreferral.c - Open Referral (HSDS 3.1) routes, export and import,
 * and the generator of services for tests and benchmarks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "clock.h"
#include "directory.h"
#include "reference.h"
#include "response.h"
#include "validate.h"

#define HSDS_VERSION "3.1"
#define HSDS_PROFILE "https://openreferraluk.org/"
#define IMPORT_SERVICES_MAX 20000

static const portal_field directory_or_fields[] = {
	{ .name = "search", .type = PORTAL_FIELD_STRING, .max = 200, .label = "Search" },
	{ .name = "page", .type = PORTAL_FIELD_INT, .min = 1, .max = 100000, .label = "Page" },
	{ .name = "per_page", .type = PORTAL_FIELD_INT, .min = 1, .max = 100, .label = "Results per page" },
	{ .name = "taxonomy_term_id", .type = PORTAL_FIELD_STRING, .min = 36, .max = 36, .label = "Taxonomy term" },
	{ .name = "taxonomy_id", .type = PORTAL_FIELD_STRING, .min = 36, .max = 36, .label = "Taxonomy" },
	{ .name = "organization_id", .type = PORTAL_FIELD_STRING, .min = 36, .max = 36, .label = "Organization" },
	{ .name = "modified_after", .type = PORTAL_FIELD_TIME, .label = "Modified after" },
};
const portal_fields directory_or_input = PORTAL_FIELDS_INIT(directory_or_fields);

/* The extra taxonomies that are not search facets. */
static const struct { const char *param, *name; const directory_code *terms; } directory_extra_taxonomies[] = {
	{ "referral_requirement", "Referral requirements", (const directory_code[]) {
		{ "consent_needed", "The person's consent is needed" }, { "nrm_needed", "An NRM referral is needed" }, { NULL, NULL } } },
	{ "referral", "Referral details", (const directory_code[]) { { "contact", "Referral contact" }, { NULL, NULL } } },
	{ "hours", "Hours", (const directory_code[]) {
		{ "out_of_hours", "Out-of-hours cover" }, { "always_open", "Open 24 hours" }, { NULL, NULL } } },
};
#define N_EXTRA (sizeof(directory_extra_taxonomies) / sizeof(directory_extra_taxonomies[0]))

/* The HSDS paged envelope around `contents` (stolen) of `total` items. */
static json_t *directory_or_page(json_t *contents, long long total, long long page, long long per_page)
{
	long long pages = total == 0 ? 1 : (total + per_page - 1) / per_page;

	return json_pack("{s:I, s:I, s:I, s:I, s:b, s:b, s:b, s:o}",
	                 "total_items", (json_int_t)total, "total_pages", (json_int_t)pages,
	                 "page_number", (json_int_t)page, "size", (json_int_t)json_array_size(contents),
	                 "first_page", page == 1, "last_page", page >= pages, "empty", total == 0,
	                 "contents", contents);
}

/* Answer page `page` of `all` (an array; per_page items a page) in the
 * HSDS paged envelope. */
static void directory_or_reply_slice(portal_ctx *ctx, const json_t *all, long long page, long long per_page)
{
	long long i, total = (long long)json_array_size(all);
	json_t *contents = json_array();

	for (i = (page - 1) * per_page; i < total && i < page * per_page; i++)
		json_array_append(contents, json_array_get(all, (size_t)i));
	portal_reply(ctx, 200, directory_or_page(contents, total, page, per_page));
}

/* Validate the Open Referral query; 0 with *valid, or -1 after the 422. */
static int directory_or_query(portal_ctx *ctx, json_t **valid, long long *page, long long *per_page)
{
	if ((*valid = portal_valid_query(ctx, PORTAL_FIELDS(directory_or_fields))) == NULL)
		return -1;
	*page = json_object_get(*valid, "page") ? json_integer_value(json_object_get(*valid, "page")) : 1;
	*per_page = json_object_get(*valid, "per_page") ? json_integer_value(json_object_get(*valid, "per_page")) : 50;
	return 0;
}

/* Every taxonomy term we use: calls fn(param, code, name). */
static void directory_terms_each(const json_t *communities,
                                 void (*fn)(const char *param, const char *code, const char *name, void *arg), void *arg)
{
	const char *code;
	json_t *v;
	size_t f, i;

	for (f = 0; f < DIRECTORY_FACET_COUNT; f++) {
		const directory_facet *fd = &directory_facets[f];
		if (fd->values)
			for (i = 0; fd->values[i].code; i++)
				fn(fd->param, fd->values[i].code, fd->values[i].name, arg);
		else if (f == DIRECTORY_FACET_LANGUAGE)
			for (i = 0; i < portal_languages_count; i++)
				fn(fd->param, portal_languages[i].code, portal_languages[i].name, arg);
		else if (f == DIRECTORY_FACET_BOROUGH) {
			for (i = 0; i < portal_london_areas_count; i++)
				fn(fd->param, portal_london_areas[i].code, portal_london_areas[i].name, arg);
			fn(fd->param, "london-wide", "London-wide", arg);
		} else
			json_object_foreach((json_t *)communities, code, v)
				fn(fd->param, code, json_string_value(v), arg);
	}
	for (f = 0; f < N_EXTRA; f++)
		for (i = 0; directory_extra_taxonomies[f].terms[i].code; i++)
			fn(directory_extra_taxonomies[f].param, directory_extra_taxonomies[f].terms[i].code,
			   directory_extra_taxonomies[f].terms[i].name, arg);
}

struct directory_term_find { const char *id; char param[40]; char code[48]; int found; };

/* Match a term id. */
static void directory_term_match(const char *param, const char *code, const char *name, void *arg)
{
	struct directory_term_find *t = arg;
	char id[37];

	(void)name;
	directory_term_id(param, code, id);
	if (!t->found && strcmp(id, t->id) == 0) {
		snprintf(t->param, sizeof(t->param), "%s", param);
		snprintf(t->code, sizeof(t->code), "%s", code);
		t->found = 1;
	}
}

/* GET /api/v1/directory/openreferral/ */
void directory_or_root(portal_ctx *ctx)
{
	portal_reply(ctx, 200, json_pack("{s:s, s:s, s:s}", "version", HSDS_VERSION, "profile", HSDS_PROFILE,
	                                 "openapi_url", "https://raw.githubusercontent.com/openreferral/specification/3.1/schema/openapi.json"));
}

/* GET .../openreferral/services: HSDS services, paged. */
void directory_or_services(portal_ctx *ctx)
{
	json_t *valid = NULL, *communities = NULL, *result = NULL, *contents = json_array(), *item, *qin;
	directory_query q;
	json_t *qvalid = NULL, *qerr = NULL;
	const char *s;
	long long page, per_page;
	size_t i;

	if (directory_or_query(ctx, &valid, &page, &per_page) < 0)
		goto done;
	if (directory_communities(ctx, &communities) < 0)
		goto done;
	qin = json_object();
	if ((s = json_string_value(json_object_get(valid, "search"))))
		json_object_set_new(qin, "q", json_string(s));
	json_object_set_new(qin, "sort", json_string("name"));
	if (directory_query_parse(qin, communities, &q, &qvalid, &qerr) < 0) {
		json_decref(qin);
		portal_reply_invalid(ctx, qerr, NULL);
		goto done;
	}
	json_decref(qin);
	q.sort_name = 1;
	q.page = page;
	q.per_page = per_page;
	if ((s = json_string_value(json_object_get(valid, "taxonomy_term_id")))) {
		struct directory_term_find t = { s, "", "", 0 };
		size_t f;
		directory_terms_each(communities, directory_term_match, &t);
		if (!t.found) {
			portal_reply_invalid(ctx, json_pack("{s:s}", "taxonomy_term_id", "Give the id of a term from /taxonomy_terms"), NULL);
			goto done;
		}
		for (f = 0; f < DIRECTORY_FACET_COUNT; f++)
			if (strcmp(directory_facets[f].param, t.param) == 0) {
				json_object_set_new(valid, "_term_code", json_string(t.code));
				q.values[f][0] = json_string_value(json_object_get(valid, "_term_code"));
				q.nvalues[f] = 1;
			}
	}
	if ((s = json_string_value(json_object_get(valid, "organization_id")))) {
		if (!directory_uuid_valid(s)) {
			portal_reply_invalid(ctx, json_pack("{s:s}", "organization_id", "Give an organization id (a UUID)"), NULL);
			goto done;
		}
		snprintf(q.organisation_id, sizeof(q.organisation_id), "%s", s);
	}
	if ((s = json_string_value(json_object_get(valid, "modified_after")))) {
		time_t t;
		if (portal_time_parse(s, &t) == 0)
			q.modified_after = (long long)t;
	}
	if (directory_store_search(ctx->store, &q, time(NULL), &result) < 0) {
		portal_reply_store_unavailable(ctx);
		goto done;
	}
	json_array_foreach(json_object_get(result, "items"), i, item)
		json_array_append_new(contents, directory_hsds_service(item, NULL));
	portal_reply(ctx, 200, directory_or_page(contents, json_integer_value(json_object_get(result, "total")), page, per_page));
	contents = NULL;
done:
	json_decref(contents);
	json_decref(valid);
	json_decref(qvalid);
	json_decref(communities);
	json_decref(result);
}

/* GET .../openreferral/services/{id}: one HSDS service with its organization. */
void directory_or_service(portal_ctx *ctx)
{
	json_t *svc = NULL, *org = NULL;

	if (directory_load(ctx, "svc", "service", &svc) != NULL && directory_service_org(ctx, svc, &org) == 0)
		portal_reply(ctx, 200, directory_hsds_service(svc, org));
	json_decref(svc);
	json_decref(org);
}

/* Organisations sorted by name (new array of borrowed-then-copied objects). */
static int directory_org_cmp(const void *a, const void *b)
{
	return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "name")),
	              json_string_value(json_object_get(*(json_t *const *)b, "name")));
}

/* GET .../openreferral/organizations */
void directory_or_organizations(portal_ctx *ctx)
{
	json_t *valid = NULL, *all = NULL, *contents = json_array(), *v, **arr = NULL;
	const char *id, *search;
	long long page, per_page, total = 0, i;

	if (directory_or_query(ctx, &valid, &page, &per_page) < 0)
		goto done;
	if (directory_store_all(ctx->store, "org", &all) < 0) {
		portal_reply_store_unavailable(ctx);
		goto done;
	}
	search = json_string_value(json_object_get(valid, "search"));
	arr = calloc(json_object_size(all) + 1, sizeof(*arr));
	json_object_foreach(all, id, v)
		if (search == NULL || strcasestr(json_string_value(json_object_get(v, "name")), search) ||
		    strcasestr(json_string_value(json_object_get(v, "description")), search))
			arr[total++] = v;
	qsort(arr, (size_t)total, sizeof(*arr), directory_org_cmp);
	for (i = (page - 1) * per_page; i < total && i < page * per_page; i++)
		json_array_append_new(contents, directory_hsds_organisation(arr[i], NULL));
	portal_reply(ctx, 200, directory_or_page(contents, total, page, per_page));
	contents = NULL;
done:
	free(arr);
	json_decref(contents);
	json_decref(valid);
	json_decref(all);
}

/* GET .../openreferral/organizations/{id}: with its services. */
void directory_or_organization(portal_ctx *ctx)
{
	json_t *org = NULL, *svcs, *hsds = json_array(), *item;
	const char *id = directory_load(ctx, "org", "organization", &org);
	size_t i;

	if (id == NULL) {
		json_decref(hsds);
		return;
	}
	if ((svcs = directory_store_org_services(ctx->store, id)) == NULL) {
		json_decref(hsds);
		json_decref(org);
		portal_reply_store_unavailable(ctx);
		return;
	}
	json_array_foreach(svcs, i, item)
		json_array_append_new(hsds, directory_hsds_service(item, NULL));
	portal_reply(ctx, 200, directory_hsds_organisation(org, hsds));
	json_decref(hsds);
	json_decref(svcs);
	json_decref(org);
}

/* The taxonomies: our facets and the extra ones (new array). */
static json_t *directory_taxonomies(void)
{
	json_t *list = json_array();
	char id[37];
	size_t f;

	for (f = 0; f < DIRECTORY_FACET_COUNT + N_EXTRA; f++) {
		const char *param = f < DIRECTORY_FACET_COUNT ? directory_facets[f].param : directory_extra_taxonomies[f - DIRECTORY_FACET_COUNT].param;
		const char *name = f < DIRECTORY_FACET_COUNT ? directory_facets[f].label : directory_extra_taxonomies[f - DIRECTORY_FACET_COUNT].name;
		directory_taxonomy_id(param, id);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "id", id, "name", name,
		        "description", name, "version", "1"));
	}
	return list;
}

/* GET .../openreferral/taxonomies */
void directory_or_taxonomies(portal_ctx *ctx)
{
	json_t *valid = NULL, *all = directory_taxonomies();
	long long page, per_page;

	if (directory_or_query(ctx, &valid, &page, &per_page) == 0)
		directory_or_reply_slice(ctx, all, page, per_page);
	json_decref(all);
	json_decref(valid);
}

struct directory_term_list { json_t *list; const char *taxonomy_id; };

/* Add a term to the list (when it belongs to the asked taxonomy). */
static void directory_term_add(const char *param, const char *code, const char *name, void *arg)
{
	struct directory_term_list *t = arg;
	char id[37], tax[37];

	directory_term_id(param, code, id);
	directory_taxonomy_id(param, tax);
	if (t->taxonomy_id && strcmp(t->taxonomy_id, tax) != 0)
		return;
	json_array_append_new(t->list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", id, "code", code,
	        "name", name ? name : code, "description", name ? name : code, "taxonomy", param, "taxonomy_id", tax));
}

/* GET .../openreferral/taxonomy_terms (taxonomy_id filters). */
void directory_or_taxonomy_terms(portal_ctx *ctx)
{
	json_t *valid = NULL, *communities = NULL;
	struct directory_term_list t = { json_array(), NULL };
	long long page, per_page;

	if (directory_or_query(ctx, &valid, &page, &per_page) < 0 || directory_communities(ctx, &communities) < 0)
		goto done;
	t.taxonomy_id = json_string_value(json_object_get(valid, "taxonomy_id"));
	directory_terms_each(communities, directory_term_add, &t);
	directory_or_reply_slice(ctx, t.list, page, per_page);
done:
	json_decref(t.list);
	json_decref(valid);
	json_decref(communities);
}

/* GET .../openreferral/service_at_locations: the directory keeps no
 * locations (no addresses are stored), so the list is always empty. */
void directory_or_service_at_locations(portal_ctx *ctx)
{
	json_t *valid = NULL;
	long long page, per_page;

	if (directory_or_query(ctx, &valid, &page, &per_page) < 0)
		return;
	json_decref(valid);
	portal_reply(ctx, 200, directory_or_page(json_array(), 0, page, per_page));
}

/* ---- export / import -------------------------------------------------------- */

/* HSDS organisation with our agency id as an organization identifier. */
static json_t *directory_export_org(const json_t *org, json_t *services)
{
	json_t *o = directory_hsds_organisation(org, services);
	const char *agency = json_string_value(json_object_get(org, "agency_id"));
	const char *oid = json_string_value(json_object_get(org, "id"));
	char id[37];

	if (agency && *agency) {
		directory_term_id("organization_identifier", oid, id);
		json_object_set_new(o, "organization_identifiers", json_pack("[{s:s, s:s, s:s, s:s, s:s}]",
		        "id", id, "organization_id", oid, "identifier_scheme", "london-anti-slavery-portal",
		        "identifier_type", "agency_id", "identifier", agency));
	}
	return o;
}

/* GET /api/v1/directory/export: every organisation with its services. */
void directory_export(portal_ctx *ctx)
{
	json_t *orgs = NULL, *svcs = NULL, *by_org = json_object(), *out = json_array(), *v, *list;
	const char *id;
	char ts[32];

	if (directory_store_all(ctx->store, "org", &orgs) < 0 || directory_store_all(ctx->store, "svc", &svcs) < 0) {
		json_decref(orgs);
		json_decref(svcs);
		json_decref(by_org);
		json_decref(out);
		portal_reply_store_unavailable(ctx);
		return;
	}
	json_object_foreach(svcs, id, v) {
		const char *oid = json_string_value(json_object_get(json_object_get(v, "organisation"), "id"));
		if (oid == NULL)
			continue;
		if ((list = json_object_get(by_org, oid)) == NULL)
			json_object_set_new(by_org, oid, list = json_array());
		json_array_append_new(list, directory_hsds_service(v, NULL));
	}
	json_object_foreach(orgs, id, v) {
		list = json_object_get(by_org, id);
		list = list ? json_incref(list) : json_array();
		json_array_append_new(out, directory_export_org(v, list));
		json_decref(list);
	}
	portal_time_format(time(NULL), ts, sizeof(ts));
	portal_audit(ctx, "directory_export", NULL, json_pack("{s:I, s:I}", "organisations", (json_int_t)json_object_size(orgs),
	                                                      "services", (json_int_t)json_object_size(svcs)));
	json_decref(orgs);
	json_decref(svcs);
	json_decref(by_org);
	portal_reply(ctx, 200, json_pack("{s:s, s:s, s:s, s:o}", "version", HSDS_VERSION, "profile", HSDS_PROFILE,
	                                 "exported_at", ts, "organizations", out));
}

/* Our organisation input from an HSDS organization (new object). */
static json_t *directory_import_org_input(const json_t *o)
{
	json_t *in = json_object(), *item;
	size_t i;

	json_object_set(in, "name", json_object_get(o, "name") ? json_object_get(o, "name") : json_null());
	json_object_set(in, "description", json_object_get(o, "description") ? json_object_get(o, "description") : json_null());
	if (json_object_get(o, "website"))
		json_object_set(in, "website", json_object_get(o, "website"));
	if (json_object_get(o, "email"))
		json_object_set(in, "email", json_object_get(o, "email"));
	if (json_is_string(json_object_get(json_array_get(json_object_get(o, "phones"), 0), "number")))
		json_object_set(in, "phone", json_object_get(json_array_get(json_object_get(o, "phones"), 0), "number"));
	json_array_foreach(json_object_get(o, "organization_identifiers"), i, item)
		if (json_is_string(json_object_get(item, "identifier")) &&
		    strcmp(json_string_value(json_object_get(item, "identifier_type")) ? json_string_value(json_object_get(item, "identifier_type")) : "", "agency_id") == 0)
			json_object_set(in, "agency_id", json_object_get(item, "identifier"));
	/* null means absent to the validator's "required" check */
	if (json_is_null(json_object_get(in, "name")))
		json_object_del(in, "name");
	if (json_is_null(json_object_get(in, "description")))
		json_object_del(in, "description");
	return in;
}

/* Add a rejection to the report. */
static void directory_reject(json_t *rejected, const char *kind, size_t index, const json_t *id,
                             const json_t *name, json_t *reasons)
{
	json_array_append_new(rejected, json_pack("{s:s, s:I, s:O, s:O, s:o}", "kind", kind, "index", (json_int_t)index,
	        "id", id ? id : json_null(), "name", name ? name : json_null(), "reasons", reasons));
}

static const portal_field directory_import_fields[] = {
	{ .name = "dry_run", .type = PORTAL_FIELD_BOOL, .label = "Dry run" },
};

/* What an import has read so far: the records to write, and the report. */
struct directory_import_run {
	json_t *communities, *existing;  /* known communities; services stored now, by id */
	json_t *seen;                     /* service ids met in this import */
	json_t *orgs, *svcs;              /* checked records, to write */
	json_t *rejected, *added, *changed;
	size_t  unchanged, nsvc;
};

/* Check service `j` of organisation `oid`; adds it to the records to write
 * and the report, or to the rejections.  -1 when the import has reached
 * its most services (the rest of the organisation's list is not read). */
static int directory_import_service(struct directory_import_run *r, const json_t *oid, size_t j, const json_t *s)
{
	const json_t *sid = json_object_get(s, "id");
	const char *sids = json_string_value(sid);
	json_t *sin, *svc = NULL, *serr = NULL, *old, *row;
	char err[200];

	if (++r->nsvc > IMPORT_SERVICES_MAX) {
		directory_reject(r->rejected, "service", j, sid, NULL, json_pack("{s:s}", "services", "Import at most 20000 services at once"));
		return -1;
	}
	if ((sin = directory_hsds_service_input(s, err, sizeof(err))) == NULL) {
		directory_reject(r->rejected, "service", j, sid, NULL, json_pack("{s:s}", "service", err));
		return 0;
	}
	json_object_set(sin, "organisation_id", (json_t *)oid);
	if (!directory_uuid_valid(sids) || json_object_get(r->seen, sids)) {
		directory_reject(r->rejected, "service", j, sid, json_object_get(s, "name"),
		                 json_pack("{s:s}", "id", "Give each service its own lower-case UUID id"));
		json_decref(sin);
		return 0;
	}
	if (directory_service_validate(sin, r->communities, NULL, &svc, &serr) < 0) {
		directory_reject(r->rejected, "service", j, sid, json_object_get(s, "name"), serr);
		json_decref(sin);
		return 0;
	}
	json_object_set_new(r->seen, sids, json_true());
	json_object_set(svc, "id", (json_t *)sid);
	if (json_is_string(json_object_get(sin, "updated_at")) &&
	    portal_time_parse(json_string_value(json_object_get(sin, "updated_at")), &(time_t){0}) == 0)
		json_object_set(svc, "updated_at", json_object_get(sin, "updated_at"));
	else
		directory_service_stamp(svc, sids, time(NULL), NULL);
	if (json_object_get(svc, "last_verified") == NULL)
		directory_service_stamp(svc, sids, time(NULL), NULL);
	json_decref(sin);
	old = json_object_get(r->existing, sids);
	row = json_pack("{s:s, s:O}", "id", sids, "name", json_object_get(svc, "name"));
	if (old == NULL)
		json_array_append_new(r->added, row);
	else if (!json_equal(old, svc))
		json_array_append_new(r->changed, row);
	else {
		json_decref(row);
		r->unchanged++;
	}
	json_array_append_new(r->svcs, svc);
	return 0;
}

/* Check organisation `i` and then its services.  -1 when the import has
 * reached its most services. */
static int directory_import_org(struct directory_import_run *r, size_t i, const json_t *o)
{
	const json_t *oid = json_object_get(o, "id"), *s;
	json_t *in, *org = NULL, *oerr = NULL;
	size_t j;

	if (!directory_uuid_valid(json_string_value(oid))) {
		directory_reject(r->rejected, "organization", i, oid, json_object_get(o, "name"),
		                 json_pack("{s:s}", "id", "Give the organization a lower-case UUID id"));
		return 0;
	}
	in = directory_import_org_input(o);
	if (directory_organisation_validate(in, NULL, &org, &oerr) < 0) {
		directory_reject(r->rejected, "organization", i, oid, json_object_get(o, "name"), oerr);
		json_decref(in);
		return 0;
	}
	json_decref(in);
	json_object_set(org, "id", (json_t *)oid);
	json_array_append_new(r->orgs, org);
	json_array_foreach(json_object_get(o, "services"), j, s)
		if (directory_import_service(r, oid, j, s) < 0)
			return -1;
	return 0;
}

/* The import's answer once every record was read: refused with the
 * rejections, the report of a dry run, or written and reported. */
static void directory_import_answer(portal_ctx *ctx, struct directory_import_run *r, int dry_run)
{
	size_t nrejected = json_array_size(r->rejected);
	json_t *report;
	char err[200];

	report = json_pack("{s:b, s:b, s:O, s:O, s:I, s:O, s:I}", "dry_run", dry_run, "applied", 0,
	                   "added", r->added, "changed", r->changed, "unchanged", (json_int_t)r->unchanged,
	                   "rejected", r->rejected, "organizations", (json_int_t)json_array_size(r->orgs));
	if (nrejected) {
		portal_audit(ctx, "directory_import_refused", NULL, json_pack("{s:b, s:I}", "dry_run", dry_run,
		             "rejected", (json_int_t)nrejected));
		if (dry_run)
			portal_reply(ctx, 200, report);
		else
			portal_reply_error(ctx, 422, "invalid_input",
			        "Nothing was imported: fix the rejected records (see fields.report) and import again.",
			        json_pack("{s:o}", "report", report));
		return;
	}
	if (!dry_run) {
		if (directory_store_apply(ctx->store, NULL, 0, r->orgs, r->svcs, err, sizeof(err)) < 0) {
			json_decref(report);
			portal_reply_store_unavailable(ctx);
			return;
		}
		json_object_set_new(report, "applied", json_true());
	}
	portal_audit(ctx, dry_run ? "directory_import_dry_run" : "directory_import", NULL,
	             json_pack("{s:I, s:I, s:I}", "added", (json_int_t)json_array_size(r->added),
	                       "changed", (json_int_t)json_array_size(r->changed),
	                       "organizations", (json_int_t)json_array_size(r->orgs)));
	portal_reply(ctx, 200, report);
}

/* POST /api/v1/directory/import?dry_run=true|false: an HSDS export.  Every
 * record is checked first; with any rejected, or on a dry run, nothing is
 * written; otherwise everything is applied in one script. */
void directory_import(portal_ctx *ctx)
{
	struct directory_import_run r = { 0 };
	json_t *valid = NULL, *o;
	const json_t *list = json_object_get(ctx->req.body, "organizations");
	size_t i;
	int dry_run;

	if ((valid = portal_valid_query(ctx, PORTAL_FIELDS(directory_import_fields))) == NULL)
		return;
	dry_run = json_object_get(valid, "dry_run") == NULL || json_is_true(json_object_get(valid, "dry_run"));
	json_decref(valid);
	if (!json_is_array(list)) {
		portal_reply_invalid(ctx, json_pack("{s:s}", "organizations",
		        "Send an HSDS export: an object with \"organizations\", a list of organizations each with its \"services\""), NULL);
		return;
	}
	if (directory_communities(ctx, &r.communities) < 0)
		return;
	if (directory_store_all(ctx->store, "svc", &r.existing) < 0) {
		portal_reply_store_unavailable(ctx);
		goto done;
	}
	r.seen = json_object();
	r.orgs = json_array();
	r.svcs = json_array();
	r.rejected = json_array();
	r.added = json_array();
	r.changed = json_array();
	json_array_foreach(list, i, o)
		if (directory_import_org(&r, i, o) < 0)
			break;
	directory_import_answer(ctx, &r, dry_run);
done:
	json_decref(r.communities);
	json_decref(r.existing);
	json_decref(r.seen);
	json_decref(r.orgs);
	json_decref(r.svcs);
	json_decref(r.rejected);
	json_decref(r.added);
	json_decref(r.changed);
}

static const portal_field directory_generate_fields[] = {
	{ .name = "count", .type = PORTAL_FIELD_INT, .required = 1, .min = 1, .max = 10000, .label = "Number of services" },
	{ .name = "tag", .type = PORTAL_FIELD_STRING, .required = 1, .min = 1, .max = 20, .label = "Tag",
	  .check = directory_check_tag },
};
const portal_fields directory_generate_input = PORTAL_FIELDS_INIT(directory_generate_fields);

/* POST /api/v1/directory/generate {"count","tag"}: on a demo stack only,
 * add `count` generated services in community gen-TAG (batches of DIRECTORY_GENERATE_BATCH,
 * each applied atomically). */
void directory_generate_post(portal_ctx *ctx)
{
	json_t *valid = NULL, *errors = NULL, *orgs = NULL, *svcs = NULL, *name;
	const char *tag;
	char code[64], err[200];
	long long count, done_n = 0;

	if (!ctx->config->demo || ctx->config->production) {
		portal_reply_error(ctx, 404, "not_found", "The generator is only on demo stacks.", NULL);
		return;
	}
	if (portal_validate(ctx->req.body, PORTAL_FIELDS(directory_generate_fields), &valid, &errors) < 0) {
		json_decref(valid);
		portal_reply_invalid(ctx, errors, NULL);
		return;
	}
	tag = json_string_value(json_object_get(valid, "tag"));
	count = json_integer_value(json_object_get(valid, "count"));
	snprintf(code, sizeof(code), "gen-%s", tag);
	name = json_sprintf("Generated set %s (demo)", tag);
	if (directory_store_put(ctx->store, "community", NULL, code, name) < 0) {
		json_decref(name);
		json_decref(valid);
		portal_reply_store_unavailable(ctx);
		return;
	}
	json_decref(name);
	while (done_n < count) {
		long long n = count - done_n > DIRECTORY_GENERATE_BATCH ? DIRECTORY_GENERATE_BATCH : count - done_n;
		if (directory_generate((size_t)n, tag, (size_t)done_n, &orgs, &svcs) < 0 ||
		    directory_store_apply(ctx->store, NULL, 0, orgs, svcs, err, sizeof(err)) < 0) {
			json_decref(orgs);
			json_decref(svcs);
			json_decref(valid);
			portal_reply_store_unavailable(ctx);
			return;
		}
		json_decref(orgs);
		json_decref(svcs);
		orgs = svcs = NULL;
		done_n += n;
	}
	portal_audit(ctx, "directory_generated", NULL, json_pack("{s:I, s:s}", "count", (json_int_t)count, "tag", tag));
	portal_reply(ctx, 201, json_pack("{s:I, s:s}", "generated", (json_int_t)count, "community", code));
	json_decref(valid);
}
