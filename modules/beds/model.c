/* model.c - the beds module's pure functions: settings, views, search,
 * summary, report and CSV (see beds.h).  Nothing here talks to Redis. */
#include "beds.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "clock.h"
#include "reference.h"

const char *const beds_groups[BEDS_GROUP_COUNT + 1] = { "women", "men", "trans_non_binary", NULL };
static const char *const beds_group_labels[BEDS_GROUP_COUNT] = {
	"Women", "Men", "Trans and non-binary people" };

const char *const beds_decline_reasons[] = {
	"no_longer_available", "needs_not_met", "risk_assessment", "other", NULL };
static const char *const beds_reason_labels[] = {
	"No longer available", "Needs cannot be met", "Risk assessment", "Other reason" };

static const char *const beds_statuses[] = {
	"pending", "accepted", "declined", "expired", "cancelled", NULL };

/* The label of a bed group, or the group itself when unknown. */
const char *beds_group_label(const char *group)
{
	size_t i;

	for (i = 0; group && i < BEDS_GROUP_COUNT; i++)
		if (strcmp(group, beds_groups[i]) == 0)
			return beds_group_labels[i];
	return group ? group : "";
}

/* The label of a decline reason, or the reason itself when unknown. */
const char *beds_reason_label(const char *reason)
{
	size_t i;

	for (i = 0; reason && beds_decline_reasons[i]; i++)
		if (strcmp(reason, beds_decline_reasons[i]) == 0)
			return beds_reason_labels[i];
	return reason ? reason : "";
}

static beds_config beds_cfg;
static const char *beds_areas[64];
static const char *beds_langs[256];
static pthread_once_t beds_once = PTHREAD_ONCE_INIT;

/* An integer setting from the environment within [min, max], else `def`. */
static int beds_env_int(const char *name, int min, int max, int def)
{
	const char *v = getenv(name);
	long long n;

	if (v == NULL || *v == '\0' || portal_parse_int(v, min, max, &n) < 0)
		return def;
	return (int)n;
}

/* Read the settings and build the choice tables (once). */
static void beds_init(void)
{
	size_t i, n = 0;

	beds_cfg.minute_seconds = beds_env_int("PORTAL_BEDS_MINUTE_SECONDS", 1, 60, 60);
	beds_cfg.fresh_seconds = 3600 * beds_env_int("PORTAL_BEDS_FRESH_HOURS", 1, 720, 12);
	beds_cfg.stale_seconds = 3600 * beds_env_int("PORTAL_BEDS_STALE_HOURS", 1, 2160, 48);
	if (beds_cfg.stale_seconds < beds_cfg.fresh_seconds)
		beds_cfg.stale_seconds = beds_cfg.fresh_seconds;
	beds_cfg.erase_seconds = 86400 * beds_env_int("PORTAL_BEDS_ERASE_DAYS", 1, 3650, 30);
	beds_cfg.erase_seconds = beds_env_int("PORTAL_BEDS_ERASE_SECONDS", 1, 315360000, beds_cfg.erase_seconds);
	beds_cfg.max_pending = beds_env_int("PORTAL_BEDS_MAX_PENDING", 1, 100000, 3);
	beds_cfg.rewrite_seconds = 3600 * beds_env_int("PORTAL_BEDS_AOF_REWRITE_HOURS", 1, 720, 24);
	beds_cfg.rewrite_seconds = beds_env_int("PORTAL_BEDS_AOF_REWRITE_SECONDS", 1, 2592000, beds_cfg.rewrite_seconds);
	beds_cfg.housekeeping_seconds = 60;
	if (beds_cfg.erase_seconds < beds_cfg.housekeeping_seconds)
		beds_cfg.housekeeping_seconds = beds_cfg.erase_seconds;
	if (beds_cfg.rewrite_seconds < beds_cfg.housekeeping_seconds)
		beds_cfg.housekeeping_seconds = beds_cfg.rewrite_seconds;
	for (i = 0; i < portal_london_areas_count && n < 62; i++)
		beds_areas[n++] = portal_london_areas[i].code;
	beds_areas[n++] = "outside-london";
	beds_areas[n] = NULL;
	for (i = 0; i < portal_languages_count && i < 255; i++)
		beds_langs[i] = portal_languages[i].code;
	beds_langs[i] = NULL;
}

const beds_config *beds_config_get(void)
{
	pthread_once(&beds_once, beds_init);
	return &beds_cfg;
}

const char *const *beds_area_choices(void)
{
	pthread_once(&beds_once, beds_init);
	return beds_areas;
}

const char *const *beds_language_choices(void)
{
	pthread_once(&beds_once, beds_init);
	return beds_langs;
}

/* The name of an area slug ("Outside London" included), or the slug. */
const char *beds_area_name(const char *slug)
{
	const char *n;

	if (slug == NULL)
		return "";
	if (strcmp(slug, "outside-london") == 0)
		return "Outside London";
	n = portal_london_area_name(slug);
	return n ? n : slug;
}

const char *beds_freshness(time_t at, time_t now, int fresh_seconds, int stale_seconds)
{
	double age = difftime(now, at);

	if (age < fresh_seconds)
		return "fresh";
	if (age <= stale_seconds)
		return "ageing";
	return "stale";
}

int beds_phone_ok(const char *s)
{
	size_t len, digits = 0;

	if (s == NULL)
		return 0;
	len = strlen(s);
	if (len < 6 || len > 30)
		return 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (!strchr(" +()-", *s))
			return 0;
	}
	return digits >= 6;
}

int beds_idempotency_key_ok(const char *s)
{
	size_t len;

	if (s == NULL)
		return 0;
	len = strlen(s);
	if (len < 1 || len > 100)
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-") == len;
}

json_t *beds_safehouse_input(const json_t *body)
{
	json_t *in = json_is_object(body) ? json_deep_copy(body) : json_object();
	json_t *groups;
	size_t i;

	if (in == NULL)
		return NULL;
	groups = json_object_get(in, "groups");
	if (json_is_object(groups)) {
		for (i = 0; i < BEDS_GROUP_COUNT; i++) {
			json_t *g = json_object_get(groups, beds_groups[i]);
			char key[40];

			snprintf(key, sizeof(key), "beds_%s", beds_groups[i]);
			if (json_is_object(g))
				g = json_object_get(g, "beds");
			if (g)
				json_object_set(in, key, g);
		}
	}
	json_object_del(in, "groups");
	return in;
}

/* An integer member of a JSON object (number or numeric text), or def. */
static long long beds_int(const json_t *o, const char *key, long long def)
{
	const json_t *v = json_object_get(o, key);
	long long n;

	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_real(v))
		return (long long)json_real_value(v);
	if (json_is_string(v) && portal_parse_int(json_string_value(v), -(1LL << 52), 1LL << 52, &n) == 0)
		return n;
	return def;
}

/* A string member of a JSON object, or "" (borrowed). */
static const char *beds_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

json_t *beds_house_view(const json_t *raw, time_t now, const beds_config *cfg)
{
	json_t *doc = NULL, *view = NULL, *groups, *glist, *langs, *lnames;
	const char *doc_s = json_string_value(json_object_get(raw, "doc"));
	time_t newest = 0;
	const char *band;
	char ts[32], human[64];
	size_t i;

	if (doc_s && (doc = json_loads(doc_s, 0, NULL)) == NULL)
		goto fail;
	if (!json_is_object(doc)) {
		json_decref(doc);
		doc = json_object();
	}
	view = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}",
	        "id", (json_int_t)beds_int(raw, "id", 0),
	        "agency", beds_str(raw, "agency"), "agency_name", beds_str(raw, "agency_name"),
	        "name", beds_str(doc, "name"), "area", beds_str(doc, "area"),
	        "area_name", beds_area_name(json_string_value(json_object_get(doc, "area"))));
	if (view == NULL)
		goto fail;
	{
		static const char *const flags[] = { "pre_nrm", "post_nrm", "dependants", "accessible", "staffed_24h" };
		for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
			json_object_set_new(view, flags[i], json_boolean(json_is_true(json_object_get(doc, flags[i]))));
	}
	langs = json_object_get(doc, "languages");
	lnames = json_array();
	if (json_is_array(langs) && json_array_size(langs) <= 200) {
		json_object_set(view, "languages", langs);
		json_t *l;
		size_t li;
		json_array_foreach(langs, li, l) {
			const char *nm = portal_language_name(json_string_value(l));
			json_array_append_new(lnames, json_string(nm ? nm : json_string_value(l) ? json_string_value(l) : ""));
		}
	} else
		json_object_set_new(view, "languages", json_array());
	json_object_set_new(view, "language_names", lnames);
	json_object_set_new(view, "has_languages", json_boolean(json_array_size(lnames) > 0));
	json_object_set_new(view, "referral_phone", json_string(beds_str(doc, "referral_phone")));
	json_object_set_new(view, "referral_hours", json_string(beds_str(doc, "referral_hours")));
	groups = json_object();
	glist = json_array();
	for (i = 0; i < BEDS_GROUP_COUNT; i++) {
		const json_t *g = json_object_get(json_object_get(raw, "groups"), beds_groups[i]);
		long long beds, vacant, held, avail;
		time_t at;
		json_t *gv;

		if (!json_is_object(g))
			continue;
		beds = beds_int(g, "beds", 0);
		vacant = beds_int(g, "vacant", 0);
		held = beds_int(g, "held", 0);
		avail = vacant - held;
		if (avail < 0)
			avail = 0;  /* never shown below zero (the scripts keep held <= vacant) */
		at = (time_t)beds_int(g, "at", 0);
		if (at > newest)
			newest = at;
		band = beds_freshness(at, now, cfg->fresh_seconds, cfg->stale_seconds);
		portal_time_format(at, ts, sizeof(ts));
		portal_time_human(at, "%e %b %Y, %H:%M", human, sizeof(human));
		gv = json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b}",
		        "beds", (json_int_t)beds, "vacant", (json_int_t)vacant, "held", (json_int_t)held,
		        "available", (json_int_t)avail, "updated_at", ts, "updated_at_text", human,
		        "updated_by", beds_str(g, "by"),
		        "freshness", band, "group", beds_groups[i], "label", beds_group_labels[i],
		        "is_stale", strcmp(band, "stale") == 0, "is_fresh", strcmp(band, "fresh") == 0);
		if (gv == NULL)
			continue;
		json_array_append(glist, gv);
		json_object_set_new(groups, beds_groups[i], gv);
	}
	json_object_set_new(view, "groups", groups);
	json_object_set_new(view, "group_list", glist);
	json_decref(doc);
	return view;
fail:
	json_decref(doc);
	json_decref(view);
	return NULL;
}

/* Sort order of search results (see beds_search). */
static int beds_result_cmp(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int sx = json_is_true(json_object_get(x, "stale")), sy = json_is_true(json_object_get(y, "stale"));
	int ax = json_is_true(json_object_get(x, "area_match")), ay = json_is_true(json_object_get(y, "area_match"));
	long long tx = beds_int(x, "at", 0), ty = beds_int(y, "at", 0);

	if (sx != sy)
		return sx - sy;
	if (ax != ay)
		return ay - ax;
	if (tx != ty)
		return tx > ty ? -1 : 1;
	return (int)(beds_int(json_object_get(x, "safehouse"), "id", 0) - beds_int(json_object_get(y, "safehouse"), "id", 0));
}

json_t *beds_search(const json_t *houses, const json_t *want)
{
	const char *group = json_string_value(json_object_get(want, "group"));
	const char *lang = json_string_value(json_object_get(want, "language"));
	const char *area = json_string_value(json_object_get(want, "area"));
	static const char *const needs[] = { "pre_nrm", "post_nrm", "dependants", "accessible" };
	json_t *results = json_array(), *house, **items = NULL, *sorted;
	size_t i, j, n = 0;

	if (results == NULL || group == NULL)
		return results;
	json_array_foreach(houses, i, house) {
		const json_t *g = json_object_get(json_object_get(house, "groups"), group);
		int ok = 1;

		if (!json_is_object(g) || beds_int(g, "available", 0) < 1)
			continue;
		for (j = 0; j < sizeof(needs) / sizeof(needs[0]); j++)
			if (json_is_true(json_object_get(want, needs[j])) &&
			    !json_is_true(json_object_get(house, needs[j])))
				ok = 0;
		if (lang && *lang) {
			const json_t *l;
			size_t k;
			int found = 0;
			json_array_foreach(json_object_get(house, "languages"), k, l)
				if (json_is_string(l) && strcmp(json_string_value(l), lang) == 0)
					found = 1;
			ok = ok && found;
		}
		if (!ok)
			continue;
		json_t *r = json_pack("{s:O, s:s, s:O, s:O, s:O, s:O, s:b, s:b}",
		        "safehouse", house, "group", group,
		        "available", json_object_get(g, "available"),
		        "updated_at", json_object_get(g, "updated_at"),
		        "updated_at_text", json_object_get(g, "updated_at_text"),
		        "freshness", json_object_get(g, "freshness"),
		        "stale", json_is_true(json_object_get(g, "is_stale")),
		        "area_match", area && *area &&
		                      strcmp(area, json_string_value(json_object_get(house, "area")) ? json_string_value(json_object_get(house, "area")) : "") == 0);
		if (r == NULL)
			continue;
		json_object_set_new(r, "at", json_integer(0));
		{
			time_t t;
			if (portal_time_parse(json_string_value(json_object_get(g, "updated_at")) ? json_string_value(json_object_get(g, "updated_at")) : "", &t) == 0)
				json_object_set_new(r, "at", json_integer((json_int_t)t));
		}
		json_array_append_new(results, r);
	}
	n = json_array_size(results);
	if (n < 2)
		goto strip;
	if ((items = calloc(n, sizeof(*items))) == NULL)
		goto strip;
	for (i = 0; i < n; i++)
		items[i] = json_array_get(results, i);
	qsort(items, n, sizeof(*items), beds_result_cmp);
	sorted = json_array();
	for (i = 0; i < n; i++)
		json_array_append(sorted, items[i]);
	free(items);
	json_decref(results);
	results = sorted;
strip:
	json_array_foreach(results, i, house)
		json_object_del(house, "at");
	return results;
}

json_t *beds_summary(const json_t *houses)
{
	json_t *out = json_array(), *house;
	long long avail[BEDS_GROUP_COUNT] = {0}, band[BEDS_GROUP_COUNT][3] = {{0}}, most = 0;
	long long hb[3] = {0};
	size_t i, j;

	json_array_foreach(houses, i, house) {
		int worst = -1;
		for (j = 0; j < BEDS_GROUP_COUNT; j++) {
			const json_t *g = json_object_get(json_object_get(house, "groups"), beds_groups[j]);
			const char *f;
			int b;

			if (!json_is_object(g))
				continue;
			avail[j] += beds_int(g, "available", 0);
			f = json_string_value(json_object_get(g, "freshness"));
			b = f && strcmp(f, "fresh") == 0 ? 0 : f && strcmp(f, "ageing") == 0 ? 1 : 2;
			band[j][b]++;
			if (b > worst)
				worst = b;
		}
		if (worst >= 0)
			hb[worst]++;
	}
	for (j = 0; j < BEDS_GROUP_COUNT; j++)
		if (avail[j] > most)
			most = avail[j];
	for (j = 0; j < BEDS_GROUP_COUNT; j++)
	{
		/* the SVG chart: one bar per group, the longest 350 units wide */
		long long width = most ? avail[j] * 350 / most : 0, y = 30 + (long long)j * 40;
		json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		        "group", beds_groups[j], "label", beds_group_labels[j],
		        "available", (json_int_t)avail[j],
		        "fresh", (json_int_t)band[j][0], "ageing", (json_int_t)band[j][1],
		        "stale", (json_int_t)band[j][2],
		        "bar_width", (json_int_t)width, "y", (json_int_t)y, "bar_y", (json_int_t)(y - 18),
		        "text_x", (json_int_t)(230 + width + 8)));
	}
	return json_pack("{s:o, s:{s:I, s:I, s:I}, s:I}", "groups", out,
	                 "houses", "fresh", (json_int_t)hb[0], "ageing", (json_int_t)hb[1],
	                 "stale", (json_int_t)hb[2], "house_count", (json_int_t)json_array_size(houses));
}

/* Index of `s` in a NULL-terminated table, or -1. */
static int beds_index(const char *const *table, const char *s)
{
	int i;

	for (i = 0; s && table[i]; i++)
		if (strcmp(table[i], s) == 0)
			return i;
	return -1;
}

json_t *beds_report(const json_t *raw)
{
	long long count[BEDS_GROUP_COUNT][5] = {{0}}, reasons[4] = {0}, total[5] = {0};
	json_t *groups = json_array(), *rs = json_array(), *unmet = json_object(), *ulist = json_array();
	const json_t *row, *m;
	size_t i;
	int k;

	json_array_foreach(json_object_get(raw, "holds"), i, row) {
		int g = beds_index(beds_groups, json_string_value(json_array_get(row, 0)));
		int s = beds_index(beds_statuses, json_string_value(json_array_get(row, 1)));
		int r = beds_index(beds_decline_reasons, json_string_value(json_array_get(row, 2)));

		if (g < 0 || s < 0)
			continue;
		count[g][s]++;
		total[s]++;
		if (s == 2 && r >= 0)
			reasons[r]++;
	}
	for (k = 0; k < BEDS_GROUP_COUNT; k++) {
		long long placed = count[k][0] + count[k][1] + count[k][2] + count[k][3] + count[k][4];
		json_array_append_new(groups, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I}",
		        "group", beds_groups[k], "label", beds_group_labels[k], "placed", (json_int_t)placed,
		        "accepted", (json_int_t)count[k][1], "declined", (json_int_t)count[k][2],
		        "expired", (json_int_t)count[k][3], "cancelled", (json_int_t)count[k][4],
		        "pending", (json_int_t)count[k][0]));
	}
	for (k = 0; beds_decline_reasons[k]; k++)
		json_array_append_new(rs, json_pack("{s:s, s:s, s:I}", "reason", beds_decline_reasons[k],
		        "label", beds_reason_labels[k], "count", (json_int_t)reasons[k]));
	/* unmet members are "time:random|group|needs" */
	json_array_foreach(json_object_get(raw, "unmet"), i, m) {
		const char *s = json_string_value(m), *bar;
		long long c;

		if (s == NULL || (bar = strchr(s, '|')) == NULL)
			continue;
		c = beds_int(unmet, bar + 1, 0);
		json_object_set_new(unmet, bar + 1, json_integer(c + 1));
	}
	{
		const char *key;
		json_t *v;
		json_object_foreach(unmet, key, v) {
			const char *bar = strchr(key, '|');
			char group[40];
			size_t gl = bar ? (size_t)(bar - key) : strlen(key);

			if (gl >= sizeof(group))
				gl = sizeof(group) - 1;
			memcpy(group, key, gl);
			group[gl] = '\0';
			json_array_append_new(ulist, json_pack("{s:s, s:s, s:s, s:O}", "group", group,
			        "label", beds_group_label(group), "needs", bar ? bar + 1 : "", "count", v));
		}
	}
	json_decref(unmet);
	return json_pack("{s:o, s:o, s:o, s:b, s:{s:I, s:I, s:I, s:I, s:I, s:I}}",
	        "groups", groups, "declined_reasons", rs, "unmet", ulist,
	        "has_unmet", json_array_size(ulist) > 0,
	        "totals", "placed", (json_int_t)(total[0] + total[1] + total[2] + total[3] + total[4]),
	        "accepted", (json_int_t)total[1], "declined", (json_int_t)total[2],
	        "expired", (json_int_t)total[3], "cancelled", (json_int_t)total[4],
	        "pending", (json_int_t)total[0]);
}

int beds_report_csv(const json_t *report, const char *from, const char *to, portal_buf *out)
{
	const json_t *row;
	size_t i;

	portal_buf_puts(out, "section,from,to,bed_group,measure,count\r\n");
	json_array_foreach(json_object_get(report, "groups"), i, row) {
		static const char *const measures[] = { "placed", "accepted", "declined", "expired", "cancelled", "pending" };
		size_t k;
		for (k = 0; k < sizeof(measures) / sizeof(measures[0]); k++) {
			portal_buf_puts(out, "holds,");
			portal_csv_field(out, from);
			portal_buf_putc(out, ',');
			portal_csv_field(out, to);
			portal_buf_putc(out, ',');
			portal_csv_field(out, json_string_value(json_object_get(row, "group")));
			portal_buf_printf(out, ",%s,%lld\r\n", measures[k], beds_int(row, measures[k], 0));
		}
	}
	json_array_foreach(json_object_get(report, "declined_reasons"), i, row) {
		portal_buf_puts(out, "declined_reason,");
		portal_csv_field(out, from);
		portal_buf_putc(out, ',');
		portal_csv_field(out, to);
		portal_buf_puts(out, ",,");
		portal_csv_field(out, json_string_value(json_object_get(row, "reason")));
		portal_buf_printf(out, ",%lld\r\n", beds_int(row, "count", 0));
	}
	json_array_foreach(json_object_get(report, "unmet"), i, row) {
		portal_buf_puts(out, "unmet_need,");
		portal_csv_field(out, from);
		portal_buf_putc(out, ',');
		portal_csv_field(out, to);
		portal_buf_putc(out, ',');
		portal_csv_field(out, json_string_value(json_object_get(row, "group")));
		portal_buf_putc(out, ',');
		portal_csv_field(out, json_string_value(json_object_get(row, "needs")));
		portal_buf_printf(out, ",%lld\r\n", beds_int(row, "count", 0));
	}
	return out->overflow ? -1 : 0;
}

void beds_needs_text(const json_t *want, char *out, size_t len)
{
	static const char *const needs[] = { "pre_nrm", "post_nrm", "dependants", "accessible" };
	portal_buf b;
	const char *s;
	size_t i;

	portal_buf_init(&b, 512);
	for (i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
		if (json_is_true(json_object_get(want, needs[i])))
			portal_buf_printf(&b, "%s%s", b.len ? "," : "", needs[i]);
	if ((s = json_string_value(json_object_get(want, "language"))) && *s)
		portal_buf_printf(&b, "%slanguage=%s", b.len ? "," : "", s);
	if ((s = json_string_value(json_object_get(want, "area"))) && *s)
		portal_buf_printf(&b, "%sarea=%s", b.len ? "," : "", s);
	snprintf(out, len, "%s", b.len ? b.data : "none");
	portal_buf_free(&b);
}
