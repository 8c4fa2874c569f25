/* dashboard.c - the dashboard sink (group "dashboard"): keeps what the
 * signed-in start page shows, from the events only, under
 * "<prefix>notify:{notify}:dash" (the layout is in notify.h).  Each entry
 * is handed whole to one Lua script (lua/dashboard.lua), which applies it
 * atomically, once, and in order per thing it is about. */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "notify.h"
#include "script.h"

extern const char notify_lua_dashboard[];

const portal_script notify_scripts[NOTIFY_NSCRIPTS] = {
	[NOTIFY_SCRIPT_DASHBOARD] = { "notify_dashboard", notify_lua_dashboard, PORTAL_SCRIPT_WRITES },
};

/* 1 when an entry's field may go to the script under its own name: not
 * one of the names the call itself uses. */
static int field_passed(const char *name)
{
	return strcmp(name, "sink_stream") != 0 && strcmp(name, "sink_entry") != 0;
}

/* The entry's fields, NUL-terminated copies in one block (*block: free it),
 * added to c.  Returns 0, or -1 (why says so) when there are too many or
 * one is too long. */
static int add_fields(portal_script_call *c, const notify_entry *e, char **block, char *why, size_t whylen)
{
	size_t i, total = 0, at = 0;
	char *b;

	*block = NULL;
	for (i = 0; i < e->n; i++) {
		if (e->namelens[i] > 64 || e->valuelens[i] > 65536) {
			snprintf(why, whylen, "a field of the entry is too long for the dashboard (names 64 bytes, values 64 KiB)");
			return -1;
		}
		total += e->namelens[i] + e->valuelens[i] + 2;
	}
	if ((b = *block = malloc(total + 1)) == NULL) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	for (i = 0; i < e->n; i++) {
		char *name = b + at, *value = name + e->namelens[i] + 1;
		memcpy(name, e->names[i], e->namelens[i]);
		name[e->namelens[i]] = '\0';
		memcpy(value, e->values[i], e->valuelens[i]);
		value[e->valuelens[i]] = '\0';
		at += e->namelens[i] + e->valuelens[i] + 2;
		if (field_passed(name) && strlen(name) == e->namelens[i])
			portal_call_arg(c, name, value);
	}
	if (c->overflow) {
		snprintf(why, whylen, "the entry has more fields than the dashboard takes (%d)", PORTAL_CALL_ARGS_MAX - 2);
		return -1;
	}
	return 0;
}

static notify_outcome dashboard_handle(notify_worker *w, const notify_stream *s, const notify_entry *e,
                                       char *kind, size_t kindlen, char *why, size_t whylen)
{
	portal_script_call c;
	portal_run_result res;
	char base[200], *block;
	size_t len;
	const char *k = notify_entry_get(e, "kind", &len), *reason;
	notify_outcome o;

	if (k)
		snprintf(kind, kindlen, "%.*s", (int)(len < kindlen ? len : kindlen - 1), k);
	portal_call_init(&c);
	portal_call_args(&c, "sink_stream", s->name, "sink_entry", e->id, NULL);
	if (add_fields(&c, e, &block, why, whylen) < 0) {
		free(block);
		return NOTIFY_DEAD;
	}
	snprintf(base, sizeof(base), "%snotify:{notify}:dash", portal_store_prefix(w->st));
	portal_call_run(w->st, NOTIFY_SCRIPT_DASHBOARD, base, &c, &res);
	free(block);
	if (res.rc != PORTAL_RUN_OK) {
		snprintf(why, whylen, "%s", res.rc == PORTAL_RUN_UNAVAILABLE ? "Redis could not be reached" : res.cause);
		o = NOTIFY_RETRY;
	} else if (strcmp(res.status, "malformed") == 0) {
		reason = portal_run_field(&res, "why", NULL);
		snprintf(why, whylen, "%s", reason ? reason : "the entry cannot be shown");
		o = NOTIFY_DEAD;
	} else
		o = NOTIFY_DONE;  /* "ok" (applied, or already) or "ignored" */
	portal_run_result_free(&res);
	return o;
}

const notify_sink notify_dashboard_sink = { "dashboard", dashboard_handle, NULL };
