/* views.c - pure views of the directory's data: no ctx, no Redis. */
#include "directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "phone.h"

/* Names for a list of codes: a new array of strings. */
static json_t *directory_names(const json_t *codes, const directory_code *list, int boroughs)
{
	json_t *out = json_array(), *v;
	size_t i;

	json_array_foreach(codes, i, v) {
		const char *code = json_string_value(v);
		const char *name = boroughs ? directory_borough_name(code) : directory_code_name(list, code);
		json_array_append_new(out, json_string(name ? name : code ? code : ""));
	}
	return out;
}

/* v[to] = the names in list v[from] (strings, or objects with "name")
 * joined by commas: one line, not one a line, so a service page prints on
 * two A4 pages at most. */
static void directory_join_names(json_t *v, const char *from, const char *to)
{
	const json_t *item;
	portal_buf b;
	size_t i;

	portal_buf_init(&b, 0);
	json_array_foreach(json_object_get(v, from), i, item) {
		const char *name = json_is_object(item) ? json_string_value(json_object_get(item, "name")) : json_string_value(item);
		portal_buf_printf(&b, "%s%s", i ? ", " : "", name ? name : "");
	}
	json_object_set_new(v, to, json_string(b.data ? b.data : ""));
	portal_buf_free(&b);
}

json_t *directory_service_view(const json_t *svc)
{
	json_t *v = json_deep_copy(svc);
	const json_t *refer = json_object_get(svc, "how_to_refer");
	const char *lv = json_string_value(json_object_get(svc, "last_verified"));
	char day[40];
	time_t t;

	if (v == NULL)
		return NULL;
	directory_day_words(lv, day, sizeof(day));
	json_object_set_new(v, "last_verified_text", json_string(day));
	{
		portal_buf hours;
		portal_buf_init(&hours, 0);
		directory_hours_words(json_string_value(json_object_get(json_object_get(svc, "hours"), "opening")), &hours);
		json_object_set_new(v, "opening_text", json_string(hours.data ? hours.data : ""));
		portal_buf_free(&hours);
	}
	json_object_set_new(v, "contact_parts", directory_phone_parts(json_string_value(json_object_get(refer, "contact"))));
	json_object_set_new(v, "has_out_of_hours", json_boolean(json_string_length(json_object_get(json_object_get(svc, "hours"), "out_of_hours"))));
	json_object_set_new(v, "service_type_names", directory_names(json_object_get(svc, "service_types"), directory_service_types, 0));
	json_object_set_new(v, "exploitation_names", directory_names(json_object_get(svc, "exploitation_types"), directory_exploitation_types, 0));
	json_object_set_new(v, "client_group_names", directory_names(json_object_get(svc, "client_groups"), directory_client_groups, 0));
	json_object_set_new(v, "borough_names", directory_names(json_object_get(svc, "boroughs"), NULL, 1));
	json_object_set_new(v, "referrer_names", directory_names(json_object_get(refer, "referrers"), directory_referrers, 0));
	directory_join_names(v, "service_type_names", "service_type_text");
	directory_join_names(v, "exploitation_names", "exploitation_text");
	directory_join_names(v, "client_group_names", "client_group_text");
	directory_join_names(v, "borough_names", "borough_text");
	directory_join_names(v, "referrer_names", "referrer_text");
	directory_join_names(v, "languages", "language_text");
	directory_join_names(v, "communities", "community_text");
	json_object_set_new(v, "has_languages", json_boolean(json_array_size(json_object_get(svc, "languages"))));
	json_object_set_new(v, "has_communities", json_boolean(json_array_size(json_object_get(svc, "communities"))));
	if (lv && portal_date_parse(lv, &t) == 0 && time(NULL) - t > DIRECTORY_VERIFY_DUE_SECONDS)
		json_object_set_new(v, "verification_due", json_true());
	return v;
}

void directory_day_words(const char *date, char *out, size_t len)
{
	time_t t;

	if (date && portal_date_parse(date, &t) == 0)
		portal_time_human(t, "%-d %B %Y", out, len);
	else
		snprintf(out, len, "%s", "not yet");
}

json_t *directory_phone_parts(const char *text)
{
	const char *p, *start = NULL, *end = NULL;
	char run[40], tel[24];
	size_t i, n = 0;

	for (p = text; p && *p && start == NULL; p++) {
		const char *q = p;
		if (!(*p == '+' || (*p >= '0' && *p <= '9')) || (p > text && p[-1] >= '0' && p[-1] <= '9'))
			continue;
		while (*q && strchr("0123456789 ()+-.", *q) && q - p < 38)
			q++;
		while (q > p && strchr(" (-.", q[-1]))
			q--;
		snprintf(run, sizeof(run), "%.*s", (int)(q - p), p);
		if (portal_phone_ok(run)) {
			start = p;
			end = q;
		}
	}
	if (start == NULL)
		return json_pack("{s:s}", "before", text ? text : "");
	for (i = 0; run[i] && n + 1 < sizeof(tel); i++)
		if ((run[i] >= '0' && run[i] <= '9') || (run[i] == '+' && n == 0))
			tel[n++] = run[i];
	tel[n] = '\0';
	return json_pack("{s:s%, s:s, s:s, s:s}", "before", text, (size_t)(start - text), "phone", run, "tel", tel, "after", end);
}

int directory_search_text(const portal_run_result *res, long long page, long long per_page, portal_buf *out)
{
	const char *name, *value, *total = NULL, *facets = NULL, *svc = NULL;
	size_t i, len, svc_len = 0, n = 0;

	portal_buf_puts(out, "{\"items\":[");
	for (i = 0; portal_run_pair(res, i, &name, &value, &len) == 0; i++) {
		if (strcmp(name, "total") == 0)
			total = value;
		else if (strcmp(name, "facets") == 0)
			facets = value;
		else if (strcmp(name, "service") == 0) {
			svc = value;
			svc_len = len;
		} else if (strcmp(name, "due") == 0 && svc && svc_len > 2 && svc[0] == '{') {
			/* the view with its flag first: {"verification_due":true,<the rest>} */
			portal_buf_printf(out, "%s{\"verification_due\":%s,", n++ ? "," : "",
			                  strcmp(value, "1") == 0 ? "true" : "false");
			portal_buf_append(out, svc + 1, svc_len - 1);
			svc = NULL;
		}
	}
	if (total == NULL || facets == NULL || total[0] == '\0' || strspn(total, "0123456789") != strlen(total) || facets[0] != '{')
		return -1;
	portal_buf_printf(out, "],\"total\":%s,\"facets\":%s,\"page\":%lld,\"per_page\":%lld}", total, facets, page, per_page);
	return out->overflow ? -1 : 0;
}
