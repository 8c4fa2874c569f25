/* store.c - the monitoring module's only caller of Redis.  Each function
 * runs one of the lua/ scripts with portal_call_run() and hands back a
 * typed answer (monitoring.h): it never answers a request.  KEYS is the
 * base key "<prefix>{monitoring}"; ARGV are name/value pairs (script.h).
 */
#include "monitoring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonget.h"
#include "langnotes.h"

/* The scripts' sources, made at build time from lua/NAME.lua (with the
 * preludes) by portal-embed --lua. */
extern const char monitoring_lua_guide_save[], monitoring_lua_guide_read[], monitoring_lua_text_save[],
	monitoring_lua_text_read[], monitoring_lua_texts[], monitoring_lua_theme_save[],
	monitoring_lua_tags_set[], monitoring_lua_migrate[], monitoring_lua_intake[], monitoring_lua_figures[];

const portal_script monitoring_scripts[MONITORING_SCRIPT_COUNT] = {
	[MONITORING_SCRIPT_GUIDE_SAVE] = { "monitoring_guide_save", monitoring_lua_guide_save, PORTAL_SCRIPT_WRITES },
	[MONITORING_SCRIPT_GUIDE_READ] = { "monitoring_guide_read", monitoring_lua_guide_read, PORTAL_SCRIPT_READ_ONLY },
	[MONITORING_SCRIPT_TEXT_SAVE]  = { "monitoring_text_save", monitoring_lua_text_save, PORTAL_SCRIPT_WRITES },
	[MONITORING_SCRIPT_TEXT_READ]  = { "monitoring_text_read", monitoring_lua_text_read, PORTAL_SCRIPT_READ_ONLY },
	[MONITORING_SCRIPT_TEXTS]      = { "monitoring_texts", monitoring_lua_texts, PORTAL_SCRIPT_READ_ONLY },
	[MONITORING_SCRIPT_THEME_SAVE] = { "monitoring_theme_save", monitoring_lua_theme_save, PORTAL_SCRIPT_WRITES },
	[MONITORING_SCRIPT_TAGS_SET]   = { "monitoring_tags_set", monitoring_lua_tags_set, PORTAL_SCRIPT_WRITES },
	[MONITORING_SCRIPT_MIGRATE]    = { "monitoring_migrate", monitoring_lua_migrate, PORTAL_SCRIPT_WRITES },
	[MONITORING_SCRIPT_INTAKE]     = { "monitoring_intake", monitoring_lua_intake, PORTAL_SCRIPT_WRITES },
	[MONITORING_SCRIPT_FIGURES]    = { "monitoring_figures", monitoring_lua_figures, PORTAL_SCRIPT_READ_ONLY },
};

/* Run `script` with c's pairs into *out, every answered value parsed as
 * JSON.  Returns out->run.rc. */
static portal_run_rc call_run(portal_store *st, int script, const portal_script_call *c, monitoring_answer *out)
{
	char base[160];
	const char *bad = "(out of memory)";

	snprintf(base, sizeof(base), "%s{monitoring}", portal_store_prefix(st));
	out->data = NULL;
	if (portal_call_run(st, (size_t)script, base, c, &out->run) == PORTAL_RUN_OK &&
	    (out->data = portal_run_all_json(&out->run, &bad)) == NULL) {
		snprintf(out->run.cause, sizeof(out->run.cause), "%s: answer %s is not JSON",
		         monitoring_scripts[script].name, bad);
		out->run.rc = PORTAL_RUN_BROKEN;
	}
	if (out->data == NULL)
		out->data = json_object();
	return out->run.rc;
}

/* Run `script` with the one pair "id" = id. */
static portal_run_rc call_id(portal_store *st, int script, const char *id, monitoring_answer *out)
{
	portal_script_call c;

	portal_call_init(&c);
	portal_call_arg(&c, "id", id);
	return call_run(st, script, &c, out);
}

char *monitoring_terms_of(portal_store *st, const char *text)
{
	json_t *notes = portal_language_notes_of(st, text ? text : "", text ? strlen(text) : 0), *n;
	portal_buf b;
	size_t i;
	char *s;

	portal_buf_init(&b, 0);
	json_array_foreach(notes, i, n)
		portal_buf_printf(&b, "%s%s", i ? "\n" : "", portal_json_text(n, "term"));
	json_decref(notes);
	s = portal_buf_steal(&b);
	return s ? s : strdup("");
}

int monitoring_answer_ok(const monitoring_answer *a)
{
	return portal_run_ok(&a->run);
}

void monitoring_answer_free(monitoring_answer *a)
{
	portal_run_result_free(&a->run);
	json_decref(a->data);
	a->data = NULL;
}

portal_run_rc monitoring_store_guide_save(portal_store *st, const char *id, const json_t *entry,
                                          monitoring_answer *out)
{
	char *doc = entry ? json_dumps(entry, JSON_COMPACT) : NULL;
	portal_script_call c;

	portal_call_init(&c);
	portal_call_args(&c, "id", id, "entry", doc ? doc : "", NULL);
	portal_call_num(&c, "max", MONITORING_GUIDE_MAX);
	call_run(st, MONITORING_SCRIPT_GUIDE_SAVE, &c, out);
	free(doc);
	return out->run.rc;
}

portal_run_rc monitoring_store_guide_read(portal_store *st, const char *id, monitoring_answer *out)
{
	return call_id(st, MONITORING_SCRIPT_GUIDE_READ, id, out);
}

portal_run_rc monitoring_store_text_save(portal_store *st, const char *id, const json_t *fields,
                                         const char *author, monitoring_answer *out)
{
	char *types = json_dumps(json_object_get(fields, "exploitation_types"), JSON_COMPACT | JSON_ENCODE_ANY);
	const char *borough = json_string_value(json_object_get(fields, "borough"));
	const char *agency_type = json_string_value(json_object_get(fields, "agency_type"));
	const char *text = json_string_value(json_object_get(fields, "text"));
	char *terms = monitoring_terms_of(st, text), quarter[16];
	portal_script_call c;

	portal_call_init(&c);
	portal_call_num(&c, "now", (long long)time(NULL));
	portal_call_args(&c, "quarter", monitoring_quarter_at(time(NULL), quarter, sizeof(quarter)), "terms", terms, NULL);
	portal_call_args(&c, "id", id, "author", author, "kind", "observation",
	                 "text", json_string_value(json_object_get(fields, "text")),
	                 "borough", borough ? borough : "", "types", types ? types : "[]",
	                 "agency_type", agency_type ? agency_type : "other", NULL);
	call_run(st, MONITORING_SCRIPT_TEXT_SAVE, &c, out);
	free(types);
	free(terms);
	return out->run.rc;
}

portal_run_rc monitoring_store_text_read(portal_store *st, const char *id, monitoring_answer *out)
{
	return call_id(st, MONITORING_SCRIPT_TEXT_READ, id, out);
}

portal_run_rc monitoring_store_texts(portal_store *st, monitoring_answer *out)
{
	portal_script_call c;

	portal_call_init(&c);
	portal_call_num(&c, "limit", MONITORING_TEXTS_LISTED);
	return call_run(st, MONITORING_SCRIPT_TEXTS, &c, out);
}

portal_run_rc monitoring_store_theme_save(portal_store *st, const char *id, const char *name,
                                          monitoring_answer *out)
{
	portal_script_call c;

	portal_call_init(&c);
	portal_call_args(&c, "id", id, "name", name ? name : "", NULL);
	portal_call_num(&c, "max", MONITORING_THEMES_MAX);
	return call_run(st, MONITORING_SCRIPT_THEME_SAVE, &c, out);
}

portal_run_rc monitoring_store_tags_set(portal_store *st, const char *id, const char *tags, int quote,
                                        monitoring_answer *out)
{
	portal_script_call c;

	portal_call_init(&c);
	portal_call_args(&c, "id", id, "tags", tags, "quote", quote ? "1" : "0", NULL);
	return call_run(st, MONITORING_SCRIPT_TAGS_SET, &c, out);
}

portal_run_rc monitoring_store_migrate(portal_store *st, const json_t *seed, monitoring_answer *out)
{
	char *text = seed ? json_dumps(seed, JSON_COMPACT) : NULL;
	portal_script_call c;

	portal_call_init(&c);
	portal_call_arg(&c, "seed", text ? text : "");
	portal_call_num(&c, "version", MONITORING_DATA_VERSION);
	call_run(st, MONITORING_SCRIPT_MIGRATE, &c, out);
	free(text);
	return out->run.rc;
}

portal_run_rc monitoring_store_intake(portal_store *st, const char *stream, const char *cursor_was,
                                      const char *cursor, const json_t *events, monitoring_answer *out)
{
	char *text = json_dumps(events, JSON_COMPACT);
	portal_script_call c;

	portal_call_init(&c);
	portal_call_args(&c, "stream", stream, "cursor_was", cursor_was, "cursor", cursor, "events", text ? text : "[]", NULL);
	call_run(st, MONITORING_SCRIPT_INTAKE, &c, out);
	free(text);
	return out->run.rc;
}

portal_run_rc monitoring_store_figures(portal_store *st, const char *quarters, monitoring_answer *out)
{
	portal_script_call c;

	portal_call_init(&c);
	portal_call_arg(&c, "quarters", quarters);
	return call_run(st, MONITORING_SCRIPT_FIGURES, &c, out);
}

int monitoring_store_responsiveness(portal_store *st, json_t **report)
{
	redisReply *r = portal_store_command(st, "GET %s{portal}:report:cases-responsiveness", portal_store_prefix(st));
	int rc = r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_NIL) ? 0 : -1;

	*report = r && r->type == REDIS_REPLY_STRING ? json_loads(r->str, 0, NULL) : NULL;
	if (r)
		freeReplyObject(r);
	return rc;
}
