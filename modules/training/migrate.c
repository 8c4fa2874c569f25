/* migrate.c - the training data's version, checked at start: data written
 * before version 2 (keys "<prefix>training:...", a hash tag per session) is
 * moved to the layout of training.h by lua/migrate.lua, in one atomic,
 * idempotent call, and the result is logged. */
#include "training.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

int training_migrate(portal_store *st)
{
	portal_run_result res;
	int rc = -1;

	training_store_migrate(st, &res);
	if (portal_run_ok(&res)) {
		const char *from = portal_run_field(&res, "from", NULL), *moved = portal_run_field(&res, "moved", NULL);
		const char *left = portal_run_field(&res, "left", NULL);

		if (strcmp(from ? from : "", portal_run_field(&res, "version", NULL) ? portal_run_field(&res, "version", NULL) : "") != 0)
			portal_log(PORTAL_LOG_INFO, "training data migrated",
			           json_pack("{s:s, s:i, s:s, s:s}", "from_version", from ? from : "",
			                     "to_version", TRAINING_DATA_VERSION, "keys_moved", moved ? moved : "",
			                     "keys_left", left ? left : ""));
		rc = 0;
	} else
		portal_logf(PORTAL_LOG_ERROR, "training data not migrated to version %d: %s", TRAINING_DATA_VERSION,
		            res.rc == PORTAL_RUN_UNAVAILABLE ? "Redis is not reachable (it runs again at the next start)" :
		            res.rc == PORTAL_RUN_BROKEN ? res.cause : res.status);
	portal_run_result_free(&res);
	return rc;
}

int training_migrate_at_start(int argc, char **argv)
{
	static portal_config cfg;  /* kept: the secrets it read live as long as the process */
	portal_store *st;
	char err[256];
	int i, rc;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--check") == 0 || strcmp(argv[i], "--openapi") == 0)
			return 0;  /* nothing to migrate for a check or the build's API description */
	if (portal_config_load(&cfg, "training", err, sizeof(err)) < 0)
		return 0;  /* portal_main says what is wrong */
	portal_log_init("training", (portal_log_level)cfg.log_level);
	if ((st = portal_store_new(&cfg, training_scripts, TRAINING_SCRIPT_COUNT)) == NULL)
		return -1;
	rc = training_migrate(st);
	portal_store_free(st);
	return rc;
}
