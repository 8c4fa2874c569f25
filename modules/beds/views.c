/* views.c - the beds module's pure views and computations: a house and a
 * hold as people see them, search, the London summary, the holds report
 * (see beds.h).  No ctx, no Redis: every input is a JSON value. */
#include "beds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "jsonget.h"
#include "nearby.h"
#include "reference.h"

const char *beds_freshness(time_t at, time_t now, int fresh_seconds, int stale_seconds)
{
	double age = difftime(now, at);

	if (age < fresh_seconds)
		return "fresh";
	if (age <= stale_seconds)
		return "ageing";
	return "stale";
}

/* How fresh an update is, in words. */
static const char *beds_freshness_label(const char *band)
{
#define BEDS_FRESHNESS_IS(code, label) if (strcmp(band, code) == 0) return label;
	BEDS_FRESHNESS(BEDS_FRESHNESS_IS)
#undef BEDS_FRESHNESS_IS
	return "";
}

/* Add the house's languages (codes from `doc`, at most 200), their names
 * and "has_languages" to view. */
static void beds_house_languages(json_t *view, const json_t *doc)
{
	const json_t *langs = json_object_get(doc, "languages"), *l;
	json_t *lnames = json_array();
	size_t li;

	if (json_is_array(langs) && json_array_size(langs) <= 200) {
		json_object_set(view, "languages", (json_t *)langs);
		json_array_foreach(langs, li, l) {
			const char *nm = portal_language_name(json_string_value(l));
			json_array_append_new(lnames, json_string(nm ? nm : json_string_value(l) ? json_string_value(l) : ""));
		}
	} else
		json_object_set_new(view, "languages", json_array());
	json_object_set_new(view, "language_names", lnames);
	json_object_set_new(view, "has_languages", json_boolean(json_array_size(lnames) > 0));
}

/* Whom group `group` of house doc `doc` welcomes, set as "welcomes" and
 * "welcomes_text" on gv. */
static json_t *beds_group_welcome_list(const json_t *doc, const char *group);
static void beds_group_welcomes(json_t *gv, const json_t *doc, const char *group)
{
	json_t *list = beds_group_welcome_list(doc, group);
	const json_t *p;
	portal_buf b;
	size_t i;

	portal_buf_init(&b, 256);
	json_array_foreach(list, i, p)
		portal_buf_printf(&b, "%s%s", i ? ", " : "", beds_person_label(json_string_value(p)));
	json_object_set_new(gv, "welcomes", list);
	json_object_set_new(gv, "welcomes_text", json_string(b.data && !b.overflow ? b.data : ""));
	portal_buf_free(&b);
}

/* The house-level fields of a house's public view, from its doc: name,
 * area, the flags, languages, offers and referral line.  New reference. */
static json_t *beds_house_fields(const json_t *doc, const char *agency, const char *agency_name)
{
	static const char *const flags[] = { "pre_nrm", "post_nrm", "dependants", "accessible", "staffed_24h" };
	json_t *view = json_pack("{s:s, s:s, s:s, s:s, s:s}", "agency", agency, "agency_name", agency_name,
	        "name", portal_json_text(doc, "name"), "area", portal_json_text(doc, "area"),
	        "area_name", beds_area_name(json_string_value(json_object_get(doc, "area"))));
	int any = 0;
	size_t i;

	if (view == NULL)
		return NULL;
	for (i = 0; i < BEDS_COUNT(flags); i++) {
		json_object_set_new(view, flags[i], json_boolean(json_is_true(json_object_get(doc, flags[i]))));
		any |= json_is_true(json_object_get(doc, flags[i]));
	}
	beds_house_languages(view, doc);
	/* the pages' "Offers" row says so when there is nothing to list */
	json_object_set_new(view, "has_offers", json_boolean(any || json_is_true(json_object_get(view, "has_languages"))));
	json_object_set_new(view, "referral_phone", json_string(portal_json_text(doc, "referral_phone")));
	json_object_set_new(view, "referral_hours", json_string(portal_json_text(doc, "referral_hours")));
	return view;
}

char *beds_house_card(const json_t *doc, const char *agency, const char *agency_name)
{
	json_t *card = beds_house_fields(doc, agency ? agency : "", agency_name ? agency_name : "");
	char *text = card ? json_dumps(card, JSON_COMPACT) : NULL;

	json_decref(card);
	return text;
}

/* Whom group `group` of house doc `doc` welcomes: the house's list, else
 * the group's default.  New reference. */
static json_t *beds_group_welcome_list(const json_t *doc, const char *group)
{
	const json_t *mine = json_object_get(json_object_get(doc, "welcomes"), group), *p;
	json_t *list = json_array();
	size_t i;

	json_array_foreach(mine, i, p)
		if (*beds_person_label(json_string_value(p)))
			json_array_append(list, (json_t *)p);
	if (json_array_size(list) == 0) {
		json_decref(list);
		list = beds_welcomes_default(group);
	}
	return list;
}

char *beds_house_index(const json_t *doc, const json_t *groups)
{
	static const char *const needs[] = { "pre_nrm", "post_nrm", "dependants", "accessible" };
	json_t *sets = json_array(), *out, *list;
	const json_t *v;
	char name[160];
	char *text;
	size_t i, k;

	for (i = 0; i < BEDS_COUNT(needs); i++)
		if (json_is_true(json_object_get(doc, needs[i])))
			json_array_append_new(sets, json_sprintf("need:%s", needs[i]));
	json_array_foreach(json_object_get(doc, "languages"), i, v)
		if (json_is_string(v) && strlen(json_string_value(v)) < 100)
			json_array_append_new(sets, json_sprintf("lang:%s", json_string_value(v)));
	for (k = 0; k < BEDS_GROUP_COUNT; k++) {
		v = json_object_get(groups, beds_groups[k]);
		if (!json_is_object(v) && !(json_is_integer(v) && json_integer_value(v) > 0))
			continue;
		list = beds_group_welcome_list(doc, beds_groups[k]);
		json_array_foreach(list, i, v) {
			snprintf(name, sizeof(name), "welcome:%s:%s", beds_groups[k], json_string_value(v));
			json_array_append_new(sets, json_string(name));
		}
		json_decref(list);
	}
	out = json_pack("{s:s, s:o}", "area", portal_json_text(doc, "area"), "sets", sets);
	text = out ? json_dumps(out, JSON_COMPACT) : NULL;
	json_decref(out);
	return text;
}

/* One area and its distance from the preferred one, for beds_search_near. */
typedef struct beds_near { const char *area; long m; } beds_near;

static int beds_near_cmp(const void *a, const void *b)
{
	const beds_near *x = a, *y = b;

	if (x->m != y->m)
		return x->m < y->m ? -1 : 1;
	return strcmp(x->area, y->area);
}

void beds_search_near(const char *area, portal_buf *out)
{
	const char *const *areas = beds_area_choices();
	beds_near near[64];
	size_t i, n = 0;

	if (area == NULL || *area == '\0')
		return;
	portal_buf_puts(out, area);
	for (i = 0; areas[i] && n < BEDS_COUNT(near); i++) {
		long m = strcmp(areas[i], area) == 0 ? -1 : portal_area_distance_m(area, areas[i]);
		if (m >= 0)
			near[n++] = (beds_near){ areas[i], m };
	}
	qsort(near, n, sizeof(near[0]), beds_near_cmp);
	for (i = 0; i < n; i++)
		portal_buf_printf(out, ",%s", near[i].area);
}

json_t *beds_house_view(const json_t *raw, time_t now, const beds_config *cfg)
{
	json_t *doc = NULL, *view = NULL, *groups, *glist;
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
	view = beds_house_fields(doc, portal_json_text(raw, "agency"), portal_json_text(raw, "agency_name"));
	if (view == NULL)
		goto fail;
	json_object_set_new(view, "id", json_integer((json_int_t)portal_json_num(raw, "id")));
	groups = json_object();
	glist = json_array();
	for (i = 0; i < BEDS_GROUP_COUNT; i++) {
		const json_t *g = json_object_get(json_object_get(raw, "groups"), beds_groups[i]);
		long long beds, vacant, held, avail;
		time_t at;
		json_t *gv;

		if (!json_is_object(g))
			continue;
		beds = portal_json_num(g, "beds");
		vacant = portal_json_num(g, "vacant");
		held = portal_json_num(g, "held");
		avail = vacant - held;
		if (avail < 0)
			avail = 0;  /* never shown below zero (the scripts keep held <= vacant) */
		at = (time_t)portal_json_num(g, "at");
		if (at > newest)
			newest = at;
		band = beds_freshness(at, now, cfg->fresh_seconds, cfg->stale_seconds);
		portal_time_format(at, ts, sizeof(ts));
		portal_time_words(at, now, human, sizeof(human));
		gv = json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b}",
		        "beds", (json_int_t)beds, "vacant", (json_int_t)vacant, "held", (json_int_t)held,
		        "available", (json_int_t)avail, "updated_at", ts, "updated_at_text", human,
		        "updated_by", portal_json_text(g, "by"),
		        "freshness", band, "freshness_label", beds_freshness_label(band), "group", beds_groups[i], "label", beds_group_label(beds_groups[i]),
		        "is_stale", strcmp(band, "stale") == 0, "is_fresh", strcmp(band, "fresh") == 0);
		if (gv == NULL)
			continue;
		beds_group_welcomes(gv, doc, beds_groups[i]);
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

const char *beds_status_label(const char *status)
{
	static const char *const labels[] = { "Waiting for the safehouse", "Accepted", "Declined",
		"Expired: the bed was released", "Cancelled" };
	size_t i;

	for (i = 0; beds_statuses[i]; i++)
		if (strcmp(status, beds_statuses[i]) == 0)
			return labels[i];
	return status;
}

/* Add to hold view v what follows from the hold's state: status label,
 * minutes left, closing time, decline reason, the private fields (until
 * erased) and what `who` may do. */
static void beds_hold_view_state(json_t *v, const beds_viewer *who, const json_t *h, time_t now)
{
	const char *status = portal_json_text(h, "status"), *reason = portal_json_text(h, "decline_reason");
	long long left = portal_json_num(h, "expires_at") - (long long)now;
	int pending = strcmp(status, "pending") == 0, extended = portal_json_num(h, "extended") == 1;
	int mine = strcmp(who->username, portal_json_text(h, "responder")) == 0;
	char closed[32];

	json_object_set_new(v, "is_pending", json_boolean(pending));
	json_object_set_new(v, "status_label", json_string(beds_status_label(status)));
	if (pending)
		json_object_set_new(v, "minutes_left", json_integer(left > 0 ? (left + 59) / 60 : 0));
	if (portal_json_num(h, "closed_at") > 0) {
		portal_time_format((time_t)portal_json_num(h, "closed_at"), closed, sizeof(closed));
		json_object_set_new(v, "closed_at", json_string(closed));
	}
	if (*reason) {
		json_object_set_new(v, "decline_reason", json_string(reason));
		json_object_set_new(v, "decline_reason_label", json_string(beds_reason_label(reason)));
	}
	if (portal_json_num(h, "erased") == 1) {
		json_object_set_new(v, "erased", json_true());
	} else {
		json_object_set(v, "reference", json_object_get(h, "reference") ? json_object_get(h, "reference") : json_null());
		json_object_set(v, "callback_phone", json_object_get(h, "callback_phone") ? json_object_get(h, "callback_phone") : json_null());
	}
	json_object_set_new(v, "can_answer", json_boolean(pending && who->owner));
	json_object_set_new(v, "can_cancel", json_boolean(pending && mine && who->responder));
	json_object_set_new(v, "can_extend", json_boolean(pending && mine && who->responder && !extended));
}

/* The sides that may say what happened after a hold, and who each is in
 * words. */
static const char *const beds_sides[][2] = { { "ngo", "The safehouse" }, { "responder", "The first responder" } };

/* Side `side` (beds_sides) of hold hash h as the view shows it, or NULL
 * when that side has said nothing. */
static json_t *beds_outcome_side(const json_t *h, const char *const side[2], time_t now)
{
	char k[4][40], iso[32], words[64];
	const char *outcome;
	time_t at;

	snprintf(k[0], sizeof(k[0]), "outcome_at_%s", side[0]);
	snprintf(k[1], sizeof(k[1]), "outcome_%s", side[0]);
	snprintf(k[2], sizeof(k[2]), "note_%s", side[0]);
	if (json_object_get(h, k[0]) == NULL)
		return NULL;
	at = (time_t)portal_json_num(h, k[0]);
	outcome = portal_json_text(h, k[1]);
	portal_time_format(at, iso, sizeof(iso));
	portal_time_words(at, now, words, sizeof(words));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "side", side[0], "side_label", side[1],
	                 "outcome", outcome, "outcome_label", *outcome ? beds_outcome_label(outcome) : "",
	                 "note", portal_json_text(h, k[2]), "recorded_at", iso, "recorded_at_text", words);
}

/* Add to hold view v what was said after it closed (issue 18): outcomes
 * (each side that has said something), which side `who` speaks for
 * ("outcome_side", absent when neither), whether they may say it now and
 * whether the NGO's outcome is still wanted. */
static void beds_hold_view_outcomes(json_t *v, const beds_viewer *who, const json_t *h, time_t now)
{
	json_t *list = json_array(), *one;
	int closed = strcmp(portal_json_text(h, "status"), "pending") != 0, ngo_said = 0;
	const char *mine = who->owner ? "ngo"
	                 : who->responder && strcmp(who->username, portal_json_text(h, "responder")) == 0 ? "responder" : NULL;
	size_t i;

	for (i = 0; i < BEDS_COUNT(beds_sides); i++)
		if ((one = beds_outcome_side(h, beds_sides[i], now)) != NULL) {
			ngo_said |= i == 0;
			json_array_append_new(list, one);
		}
	json_object_set_new(v, "outcomes", list);
	json_object_set_new(v, "has_outcomes", json_boolean(json_array_size(list) > 0));
	if (mine)
		json_object_set_new(v, "outcome_side", json_string(mine));
	json_object_set_new(v, "can_record_outcome", json_boolean(closed && mine));
	json_object_set_new(v, "outcome_needed", json_boolean(closed && who->owner && !ngo_said));
}

json_t *beds_hold_view(const beds_viewer *who, const json_t *h, time_t now)
{
	const char *doc_s = json_string_value(json_object_get(h, "safehouse_doc"));
	const char *group = portal_json_text(h, "group");
	time_t exp = (time_t)portal_json_num(h, "expires_at");
	json_t *doc = doc_s ? json_loads(doc_s, 0, NULL) : NULL, *v;
	char created[32], expires[32], exp_text[64];

	portal_time_format((time_t)portal_json_num(h, "created_at"), created, sizeof(created));
	portal_time_format(exp, expires, sizeof(expires));
	portal_time_words(exp, now, exp_text, sizeof(exp_text));
	v = json_pack("{s:I, s:s, s:s, s:s, s:{s:I, s:s, s:s, s:s}, s:s, s:s, s:s, s:b, s:s, s:s}",
	        "id", (json_int_t)portal_json_num(h, "id"), "status", portal_json_text(h, "status"),
	        "group", group, "group_label", beds_group_label(group),
	        "safehouse", "id", (json_int_t)portal_json_num(h, "safehouse"),
	        "name", portal_json_text(doc, "name"), "agency", portal_json_text(h, "agency"),
	        "agency_name", portal_json_text(h, "agency_name"),
	        "created_at", created, "expires_at", expires, "expires_at_text", exp_text,
	        "extended", portal_json_num(h, "extended") == 1,
	        "responder", portal_json_text(h, "responder"),
	        "responder_agency", portal_json_text(h, "responder_agency"));
	json_decref(doc);
	if (v == NULL)
		return json_object();
	/* the words kept beside the uid since issue 15; "" on older holds */
	json_object_set_new(v, "responder_name", json_string(portal_json_text(h, "responder_name")));
	json_object_set_new(v, "responder_agency_name", json_string(portal_json_text(h, "responder_agency_name")));
	beds_hold_view_state(v, who, h, now);
	beds_hold_view_outcomes(v, who, h, now);
	return v;
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
			avail[j] += portal_json_num(g, "available");
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
		        "group", beds_groups[j], "label", beds_group_label(beds_groups[j]),
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

/* A search's needs as kept for the unmet-need report ("pre_nrm,
 * language=sq,area=camden", or "none") in words: "Emergency pre-NRM stay,
 * Albanian, Camden".  New JSON string. */
static json_t *beds_needs_words(const char *needs)
{
	static const char *const flags[][2] = { { "pre_nrm", "Emergency pre-NRM stay" }, { "post_nrm", "Post-NRM stay" },
		{ "dependants", "Dependants accepted" }, { "accessible", "Wheelchair accessible" } };
	portal_buf b;
	const char *p = needs, *end, *word;
	char item[80];
	json_t *out;
	size_t i;

	portal_buf_init(&b, 1024);
	while (p && *p) {
		end = strchr(p, ',');
		snprintf(item, sizeof(item), "%.*s", (int)(end ? (size_t)(end - p) : strlen(p)), p);
		word = NULL;
		for (i = 0; i < BEDS_COUNT(flags); i++)
			if (strcmp(item, flags[i][0]) == 0)
				word = flags[i][1];
		if (strncmp(item, "person=", 7) == 0)
			word = beds_person_label(item + 7);
		else if (strncmp(item, "language=", 9) == 0)
			word = portal_language_name(item + 9) ? portal_language_name(item + 9) : "another language";
		else if (strncmp(item, "area=", 5) == 0)
			word = beds_area_name(item + 5);
		if (word)
			portal_buf_printf(&b, "%s%s", b.len ? ", " : "", word);
		p = end ? end + 1 : NULL;
	}
	out = json_string(b.len && !b.overflow ? b.data : "No other needs");
	portal_buf_free(&b);
	return out;
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
		        "group", beds_groups[k], "label", beds_group_label(beds_groups[k]), "placed", (json_int_t)placed,
		        "accepted", (json_int_t)count[k][1], "declined", (json_int_t)count[k][2],
		        "expired", (json_int_t)count[k][3], "cancelled", (json_int_t)count[k][4],
		        "pending", (json_int_t)count[k][0]));
	}
	for (k = 0; beds_decline_reasons[k]; k++)
		json_array_append_new(rs, json_pack("{s:s, s:s, s:I}", "reason", beds_decline_reasons[k],
		        "label", beds_reason_label(beds_decline_reasons[k]), "count", (json_int_t)reasons[k]));
	/* unmet members are "time:random|group|needs" */
	json_array_foreach(json_object_get(raw, "unmet"), i, m) {
		const char *s = json_string_value(m), *bar;
		long long c;

		if (s == NULL || (bar = strchr(s, '|')) == NULL)
			continue;
		c = portal_json_num(unmet, bar + 1);
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
			json_array_append_new(ulist, json_pack("{s:s, s:s, s:s, s:o, s:O}", "group", group,
			        "label", beds_index(beds_groups, group) >= 0 ? beds_group_label(group) : "Any bed group", "needs", bar ? bar + 1 : "",
			        "needs_text", beds_needs_words(bar ? bar + 1 : ""), "count", v));
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

void beds_unmet_words(const char *group, const char *needs, char *out, size_t len)
{
	json_t *words = beds_needs_words(needs && strcmp(needs, "none") != 0 ? needs : "");
	const char *label = beds_index(beds_groups, group) >= 0 ? beds_group_label(group) : "Any bed group";

	if (needs && *needs && strcmp(needs, "none") != 0)
		snprintf(out, len, "%s: %s", label, json_string_value(words));
	else
		snprintf(out, len, "%s", label);
	json_decref(words);
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
	if ((s = json_string_value(json_object_get(want, "person"))) && *s)
		portal_buf_printf(&b, "%sperson=%s", b.len ? "," : "", s);
	if ((s = json_string_value(json_object_get(want, "language"))) && *s)
		portal_buf_printf(&b, "%slanguage=%s", b.len ? "," : "", s);
	if ((s = json_string_value(json_object_get(want, "area"))) && *s)
		portal_buf_printf(&b, "%sarea=%s", b.len ? "," : "", s);
	snprintf(out, len, "%s", b.len ? b.data : "none");
	portal_buf_free(&b);
}
