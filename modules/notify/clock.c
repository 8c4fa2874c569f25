/* clock.c - portal-notify's clock (issue 16, "time-based events need a
 * clock"): every PORTAL_NOTIFY_CLOCK_SECONDS (default 30) it runs each
 * module's lua/due.lua, which does what has fallen due under the module's
 * hash tag (expires a hold, releasing the bed; appends hold_expiring,
 * vacancies_stale, service_unverified...) and appends the events the
 * worker then reads like any other.  A due script does at most
 * NOTIFY_CLOCK_LIMIT items a call and says how many are left; the clock
 * calls it again, up to NOTIFY_CLOCK_ROUNDS times a tick, and leaves the
 * rest to the next tick.  With several workers each runs the clock: a due
 * script takes each item off its set as it does it, so a second run finds
 * nothing to do twice.
 *
 * A module joins with one line in NOTIFY_CLOCK_MODULES (its name, as its
 * scripts are compiled in: NAME_lua_due[], and its base key after the
 * prefix) and a modules/NAME/lua/due.lua taking now and limit, answering
 * {"ok", "done", N, "left", N}; the Makefile compiles each module's due.lua
 * (with its preludes) into portal-notify. */
#include <string.h>

#include "log.h"
#include "notify.h"
#include "script.h"

#define NOTIFY_CLOCK_MODULES(X) \
	X(beds, "beds:{beds}") \
	X(directory, "dir:{dir}") \
	X(training, "{training}")

#define NOTIFY_CLOCK_LIMIT 100
#define NOTIFY_CLOCK_ROUNDS 10

#define NOTIFY_CLOCK_EXTERN(name, base) extern const char name##_lua_due[];
NOTIFY_CLOCK_MODULES(NOTIFY_CLOCK_EXTERN)

#define NOTIFY_CLOCK_SCRIPT(name, base) { #name "_due", name##_lua_due, PORTAL_SCRIPT_WRITES },
static const portal_script notify_clock_scripts[] = { NOTIFY_CLOCK_MODULES(NOTIFY_CLOCK_SCRIPT) };

#define NOTIFY_CLOCK_BASE(name, base) base,
static const char *const notify_clock_bases[] = { NOTIFY_CLOCK_MODULES(NOTIFY_CLOCK_BASE) };

#define NOTIFY_CLOCK_COUNT (sizeof(notify_clock_scripts) / sizeof(notify_clock_scripts[0]))

/* The clock's own store (its scripts are the due scripts) and the next
 * tick.  The worker has one thread. */
static portal_store *notify_clock_store;
static time_t notify_clock_next;

/* Run module i's due script once at `now`.  Returns the items still due
 * (0: done), or -1 when the call failed (logged). */
static long long notify_clock_run(size_t i, time_t now)
{
	char base[200];
	portal_script_call c;
	portal_run_result res;
	const char *left;
	long long n = -1;

	snprintf(base, sizeof(base), "%s%s", portal_store_prefix(notify_clock_store), notify_clock_bases[i]);
	portal_call_init(&c);
	portal_call_num(&c, "now", (long long)now);
	portal_call_num(&c, "limit", NOTIFY_CLOCK_LIMIT);
	if (portal_call_run(notify_clock_store, i, base, &c, &res) == PORTAL_RUN_OK && portal_run_ok(&res) &&
	    (left = portal_run_field(&res, "left", NULL)) != NULL && portal_parse_int(left, 0, 1LL << 50, &n) == 0)
		portal_logf(PORTAL_LOG_DEBUG, "clock: %s did %s due items, %lld left", notify_clock_scripts[i].name,
		            portal_run_field(&res, "done", NULL), n);
	else {
		portal_logf(PORTAL_LOG_ERROR, "clock: %s failed (%s): tried again at the next tick",
		            notify_clock_scripts[i].name, res.rc == PORTAL_RUN_UNAVAILABLE ? "Redis cannot be reached" :
		            res.rc == PORTAL_RUN_BROKEN ? res.cause : res.status);
		n = -1;
	}
	portal_run_result_free(&res);
	return n;
}

int notify_clock_tick(const notify_worker *w, time_t now)
{
	size_t i;
	int round, failed = 0;

	if (now < notify_clock_next)
		return 0;
	notify_clock_next = now + (time_t)w->set->clock_seconds;
	if (notify_clock_store == NULL &&
	    (notify_clock_store = portal_store_new(w->cfg, notify_clock_scripts, NOTIFY_CLOCK_COUNT)) == NULL)
		return -1;
	for (i = 0; i < NOTIFY_CLOCK_COUNT; i++) {
		long long left = 1;
		for (round = 0; round < NOTIFY_CLOCK_ROUNDS && left > 0 && !*w->stopping; round++)
			left = notify_clock_run(i, now);
		failed |= left < 0;
	}
	return failed ? -1 : 1;
}

void notify_clock_free(void)
{
	portal_store_free(notify_clock_store);
	notify_clock_store = NULL;
}
