/* demo.c - `portal-monitoring --load-demo`: the data version and the
 * seeded language guide, and two demo themes for coordinators to tag with
 * (only when there are no themes yet). */
#include "monitoring.h"

#include <stdio.h>

#include "jsonget.h"

int monitoring_load_demo(portal_store *st, const portal_config *cfg, char *err, size_t errlen)
{
	static const char *const themes[] = { "Joint working between agencies", "Language and belief" };
	monitoring_answer a;
	size_t i;
	int rc = 0;

	if (monitoring_migrate(st) < 0) {
		snprintf(err, errlen, "monitoring: Redis failed while seeding the language guide");
		return -1;
	}
	monitoring_store_texts(st, &a);
	if (!monitoring_answer_ok(&a))
		rc = -1;
	else if (json_object_size(json_object_get(a.data, "themes")) == 0)
		for (i = 0; i < MONITORING_COUNT(themes); i++) {
			monitoring_answer_free(&a);
			if (monitoring_store_theme_save(st, "", themes[i], &a) != PORTAL_RUN_OK)
				rc = -1;
		}
	monitoring_answer_free(&a);
	if (rc < 0)
		snprintf(err, errlen, "monitoring: Redis failed while adding the demo themes");
	return rc;
}
