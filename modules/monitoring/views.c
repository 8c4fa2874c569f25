/* views.c - pure views of the monitoring module: a text as people see it,
 * the counts per theme, the shared quotes, the guide's form values and the
 * forms' choice lists.  No ctx, no Redis (monitoring.h). */
#include "monitoring.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "jsonget.h"

/* The name of `code` in `table`, or "" (a code no longer listed). */
static const char *code_name(const portal_code_name *table, size_t n, const char *code)
{
	const portal_code_name *e = portal_code_find(table, n, code);
	return e ? e->name : "";
}

/* The theme ids of "3,7" as [{id, name}] of those still in `themes`. */
static json_t *tags_view(const char *tags, const json_t *themes)
{
	json_t *out = json_array();
	char id[16];
	const char *p = tags, *end;

	for (; p && *p; p = *end ? end + 1 : end) {
		size_t len;
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		len = (size_t)(end - p);
		if (len == 0 || len >= sizeof(id))
			continue;
		memcpy(id, p, len);
		id[len] = '\0';
		if (json_is_string(json_object_get(themes, id)))
			json_array_append_new(out, json_pack("{s:I, s:O}", "id", (json_int_t)strtoll(id, NULL, 10),
			                                     "name", json_object_get(themes, id)));
	}
	return out;
}

/* Where a text was written, in words. */
static const char *kind_name(const char *kind)
{
	return strcmp(kind, "feedback") == 0 ? "Training feedback"
	     : strcmp(kind, "hold_outcome") == 0 ? "Bed hold outcome note" : "Observation";
}

json_t *monitoring_text_view(const json_t *raw, const json_t *themes, time_t now)
{
	const char *borough = portal_json_text(raw, "borough"), *agency = portal_json_text(raw, "agency_type");
	json_t *types = json_loads(portal_json_text(raw, "types"), 0, NULL), *names = json_array(), *v;
	time_t at = (time_t)strtoll(portal_json_text(raw, "created_at"), NULL, 10);
	char iso[32], words[64];
	size_t i;

	if (!json_is_array(types)) {
		json_decref(types);
		types = json_array();
	}
	json_array_foreach(types, i, v)
		json_array_append_new(names, json_string(code_name(portal_exploitation_types,
		                                          portal_exploitation_types_count, json_string_value(v))));
	portal_time_format(at, iso, sizeof(iso));
	portal_time_words(at, now, words, sizeof(words));
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:s, s:s, s:o, s:b}",
	                 "id", (json_int_t)strtoll(portal_json_text(raw, "id"), NULL, 10),
	                 "kind", portal_json_text(raw, "kind"), "kind_name", kind_name(portal_json_text(raw, "kind")), "text", portal_json_text(raw, "text"),
	                 "borough", borough, "borough_name", code_name(portal_london_areas, portal_london_areas_count, borough),
	                 "exploitation_types", types, "exploitation_type_names", names,
	                 "agency_type", agency, "agency_type_name", code_name(portal_agency_types, portal_agency_types_count, agency),
	                 "created_at", iso, "created_text", words,
	                 "tags", tags_view(portal_json_text(raw, "tags"), themes),
	                 "quote", strcmp(portal_json_text(raw, "quote"), "1") == 0);
}

/* qsort's order of themes: by name. */
static int by_name(const void *a, const void *b)
{
	return strcmp(portal_json_text(*(json_t *const *)a, "name"), portal_json_text(*(json_t *const *)b, "name"));
}

json_t *monitoring_theme_counts(const json_t *themes, const json_t *views)
{
	json_t *items[MONITORING_THEMES_MAX], *out = json_array(), *name, *view, *tag;
	const char *id;
	size_t n = 0, i, k, t;

	json_object_foreach((json_t *)themes, id, name) {
		long long count = 0, want = strtoll(id, NULL, 10);
		if (n == MONITORING_COUNT(items) || !json_is_string(name))
			continue;
		json_array_foreach(views, k, view)
			json_array_foreach(json_object_get(view, "tags"), t, tag)
				count += portal_json_num(tag, "id") == want;
		items[n++] = json_pack("{s:I, s:O, s:I}", "id", (json_int_t)want, "name", name, "count", (json_int_t)count);
	}
	qsort(items, n, sizeof(items[0]), by_name);
	for (i = 0; i < n; i++)
		json_array_append_new(out, items[i]);
	return out;
}

json_t *monitoring_shared_quotes(const json_t *views)
{
	json_t *out = json_array(), *v;
	size_t i;

	json_array_foreach(views, i, v)
		if (json_is_true(json_object_get(v, "quote")))
			json_array_append_new(out, json_pack("{s:O, s:O}", "text", json_object_get(v, "text"),
			                                     "agency_type_name", json_object_get(v, "agency_type_name")));
	return out;
}

json_t *monitoring_guide_form_of(const json_t *entry)
{
	json_t *form = json_deep_copy(entry), *v;
	portal_buf joined;
	size_t i;

	portal_buf_init(&joined, 4096);
	json_array_foreach(json_object_get(entry, "variants"), i, v)
		portal_buf_printf(&joined, "%s%s", i ? ", " : "", json_string_value(v));
	json_object_set_new(form, "variants", json_string(joined.len ? joined.data : ""));
	portal_buf_free(&joined);
	return form;
}

json_t *monitoring_split_list(const char *s)
{
	json_t *out = json_array();
	const char *end;

	for (; s && *s; s = *end ? end + 1 : end) {
		end = s + strcspn(s, ",\n");
		if (end > s)
			json_array_append_new(out, json_stringn(s, (size_t)(end - s)));
	}
	return out;
}

json_t *monitoring_choices(const portal_code_name *table, size_t n, const json_t *chosen)
{
	json_t *out = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		int on = json_is_string(chosen) ? strcmp(json_string_value(chosen), table[i].code) == 0
		                                : portal_json_list_has(chosen, table[i].code);
		json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "code", table[i].code, "name", table[i].name,
		                                     "selected", on));
	}
	return out;
}
