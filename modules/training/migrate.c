/* migrate.c - the training data's version, checked at start: data written
 * before version 2 (keys "<prefix>training:...", a hash tag per session) is
 * moved to the layout of training.h by lua/migrate.lua, in one atomic,
 * idempotent call; sessions stored before version 3 get their times' texts
 * (made here: London time, in words) and their stored views
 * (lua/session_refresh.lua), then the version is set.  Logged. */
#include "training.h"

#include <stdio.h>
#include <string.h>

#include "jsonget.h"
#include "log.h"

/* Give each session migrate.lua listed as pending (stored before data
 * version 3, without its times' texts) the texts and its view.  Returns how
 * many it refreshed, or -1 when a call failed (logged). */
static int training_migrate_pending(portal_store *st, const portal_run_result *res)
{
	json_t *pending = portal_run_json(res, "pending");
	const json_t *p;
	portal_run_result one;
	size_t i;
	int done = 0;

	json_array_foreach(pending, i, p) {
		long long id = 0;

		training_parse_id(portal_json_text(p, "id"), &id);
		training_store_session_refresh(st, id, (time_t)portal_json_num(p, "starts_at"),
		                               (time_t)portal_json_num(p, "ends_at"),
		                               (time_t)portal_json_num(p, "booking_closes_at"), &one);
		if (!portal_run_ok(&one)) {
			portal_logf(PORTAL_LOG_ERROR, "training session %lld: view not built: %s", id,
			            one.rc == PORTAL_RUN_OK ? one.status : one.cause);
			portal_run_result_free(&one);
			done = -1;
			break;
		}
		portal_run_result_free(&one);
		done++;
	}
	json_decref(pending);
	return done;
}

/* Log what a migration run did (res: migrate.lua's answer; refreshed: the
 * sessions given their texts before it). */
static void training_migrate_log(const portal_run_result *res, int refreshed)
{
	const char *from = portal_run_field(res, "from", NULL), *version = portal_run_field(res, "version", NULL);

	if (strcmp(from ? from : "", version ? version : "") == 0)
		return;
	portal_log(PORTAL_LOG_INFO, "training data migrated",
	           json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "from_version", from ? from : "",
	                     "to_version", version ? version : "", "keys_moved", portal_run_field(res, "moved", NULL),
	                     "keys_left", portal_run_field(res, "left", NULL),
	                     "views_built", portal_run_field(res, "views", NULL), "sessions_given_times", refreshed));
}

int training_migrate(portal_store *st)
{
	portal_run_result res;
	int rc = -1, refreshed = 0, pass, n;

	/* the first pass moves the old keys and lists the sessions needing
	 * their times' texts; once they have them, the second sets the version */
	for (pass = 0; pass < 2; pass++) {
		training_store_migrate(st, &res);
		if (!portal_run_ok(&res))
			break;
		if ((n = training_migrate_pending(st, &res)) < 0)
			break;
		refreshed += n;
		if (n == 0) {
			training_migrate_log(&res, refreshed);
			rc = 0;
			break;
		}
		portal_run_result_free(&res);
	}
	if (rc < 0)
		portal_logf(PORTAL_LOG_ERROR, "training data not migrated to version %d: %s", TRAINING_DATA_VERSION,
		            res.rc == PORTAL_RUN_UNAVAILABLE ? "Redis is not reachable (it runs again at the next start)" :
		            res.rc == PORTAL_RUN_BROKEN ? res.cause : res.status[0] ? res.status : "a session's view was not built");
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
