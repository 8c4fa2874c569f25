/* migrate.c - the monitoring data's version (1: the language guide seeded
 * from portal_language_guide_seed(), common/langguide.h), checked by each
 * master's housekeeping and by --load-demo; and the guide published for
 * the other modules whenever the portal-wide copy lags behind
 * (common/langnotes.h). */
#include "monitoring.h"

#include "jsonget.h"
#include "langguide.h"
#include "langnotes.h"
#include "log.h"

int monitoring_publish(portal_store *st, const monitoring_answer *a)
{
	/* migrate.lua names the guide's version guide_version (its "version"
	 * is the data's); the guide scripts call it version */
	const json_t *version = json_object_get(a->data, "guide_version");

	if (version == NULL)
		version = json_object_get(a->data, "version");
	return portal_language_guide_publish(st, json_object_get(a->data, "guide"),
	                                     json_is_integer(version) ? json_integer_value(version) : 0);
}

int monitoring_migrate(portal_store *st)
{
	json_t *seed = portal_language_guide_seed(), *published;
	monitoring_answer a;
	long long have = -1;
	int rc = -1;

	monitoring_store_migrate(st, seed, &a);
	if (monitoring_answer_ok(&a)) {
		if (portal_json_num(a.data, "from") < MONITORING_DATA_VERSION)
			portal_log(PORTAL_LOG_INFO, "monitoring data migrated: the language guide seeded",
			           json_pack("{s:I, s:i, s:I}", "from_version", (json_int_t)portal_json_num(a.data, "from"),
			                     "to_version", MONITORING_DATA_VERSION, "entries",
			                     (json_int_t)json_array_size(json_object_get(a.data, "guide"))));
		published = portal_language_guide_read(st, &have);
		json_decref(published);
		rc = published && have == portal_json_num(a.data, "guide_version") ? 0 : monitoring_publish(st, &a);
	}
	if (rc < 0)
		portal_logf(PORTAL_LOG_ERROR, "monitoring data not at version %d or the language guide not published: "
		            "Redis failed (tried again at the next housekeeping run)", MONITORING_DATA_VERSION);
	monitoring_answer_free(&a);
	json_decref(seed);
	return rc;
}

int monitoring_housekeeping(portal_store *st, const portal_config *config)
{
	(void)config;
	if (monitoring_migrate(st) < 0)
		return 10;
	monitoring_intake(st);
	return monitoring_intake_seconds();
}
