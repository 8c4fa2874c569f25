/* migrate.c - the directory's data version, checked at start (the
 * master's first housekeeping, and --load-demo before it loads anything).
 * Version 1 (no :dv key) kept no public views (:pub) and indexed the
 * words of language, community, exploitation type and borough names only
 * for services saved since that index began.  Version 2 is every stored
 * service applied again by today's code (store.c, apply.lua): its index
 * entries (free-text words of its facet names included) rebuilt and its
 * public view written, DIRECTORY_GENERATE_BATCH services to an atomic call,
 * the last call setting :dv.  Applying a service again changes nothing
 * else, so a migration cut short, or run by two instances at once, is
 * finished by the next start. */
#include "directory.h"
#include "langorder.h"

#include <stdio.h>

#include "log.h"

/* Apply the services of object `all` (id -> stored service) again, in
 * batches, the last setting the data version.  Returns how many, or -1
 * with err. */
static long long directory_migrate_services(portal_store *st, const json_t *all, char *err, size_t errlen)
{
	json_t *batch = json_array(), *svc;
	const char *id;
	long long n = 0;
	size_t left = json_object_size(all);

	json_object_foreach((json_t *)all, id, svc) {
		json_array_append(batch, svc);
		left--;
		if (json_array_size(batch) < DIRECTORY_GENERATE_BATCH && left > 0)
			continue;
		if (directory_store_reindex(st, batch, left == 0 ? DIRECTORY_DATA_VERSION : 0, err, errlen) != 0) {
			json_decref(batch);
			return -1;
		}
		n += (long long)json_array_size(batch);
		json_array_clear(batch);
	}
	json_decref(batch);
	if (n == 0 && directory_store_reindex(st, NULL, DIRECTORY_DATA_VERSION, err, errlen) != 0)
		return -1;
	return n;
}

/* Before version 2 the coordinators' language order was the directory's
 * own setting; it is now the portal's (common/langorder.c), which beds reads
 * too.  Move it unless one is kept there already.  0, or -1. */
static int directory_migrate_language_order(portal_store *st, char *err, size_t errlen)
{
	json_t *old = NULL;
	int rc = 0;

	if (directory_store_get(st, "setting", "language_order", &old) == 1 && json_is_array(old) &&
	    portal_language_order_save(st, old, 1) < 0) {
		snprintf(err, errlen, "%s", "the language order could not be moved");
		rc = -1;
	}
	json_decref(old);
	return rc;
}

int directory_migrate(portal_store *st)
{
	json_t *all = NULL;
	long long version = 0, n = -1;
	char err[200] = "the store cannot be reached";

	if (directory_store_data_version(st, &version) == 0) {
		if (version >= DIRECTORY_DATA_VERSION)
			return 0;
		if (directory_migrate_language_order(st, err, sizeof(err)) == 0 && directory_store_all(st, "svc", &all) == 0)
			n = directory_migrate_services(st, all, err, sizeof(err));
	}
	json_decref(all);
	if (n < 0) {
		portal_logf(PORTAL_LOG_ERROR, "directory data not migrated to version %d: %s (it runs again at the next start)",
		            DIRECTORY_DATA_VERSION, err);
		return -1;
	}
	portal_log(PORTAL_LOG_INFO, "directory data migrated",
	           json_pack("{s:I, s:i, s:I}", "from_version", (json_int_t)version,
	                     "to_version", DIRECTORY_DATA_VERSION, "services_reindexed", (json_int_t)n));
	return 0;
}

int directory_housekeeping(portal_store *st, const portal_config *cfg)
{
	(void)cfg;
	/* until the data is migrated, try again in a minute; then rarely */
	return directory_migrate(st) == 0 ? 3600 : 60;
}
