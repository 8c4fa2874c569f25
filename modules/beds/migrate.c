/* migrate.c - the beds data's version, checked at start (the first
 * housekeeping run of each master, and --load-demo): data written before
 * version 2 gets the search cards, fragments and index sets that the
 * scripts now keep beside each house (lua/lib.lua), built here from every
 * house by lua/migrate.lua, idempotently; the result is logged. */
#include "beds.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "jsonget.h"
#include "log.h"

/* The migration entry of raw house `raw` (houses.lua's): {id, card, index,
 * times}.  New reference, or NULL when its doc is not JSON. */
static json_t *beds_migrate_house(const json_t *raw, time_t now)
{
	json_t *doc = json_loads(portal_json_text(raw, "doc"), 0, NULL), *times = json_object(), *out;
	const json_t *groups = json_object_get(raw, "groups");
	char *card, *index, iso[32], words[64];
	size_t k;

	if (doc == NULL) {
		json_decref(times);
		return NULL;
	}
	for (k = 0; k < BEDS_GROUP_COUNT; k++) {
		const json_t *g = json_object_get(groups, beds_groups[k]);
		time_t at = (time_t)portal_json_num(g, "at");

		if (!json_is_object(g))
			continue;
		portal_time_format(at, iso, sizeof(iso));
		portal_time_words(at, now, words, sizeof(words));
		json_object_set_new(times, beds_groups[k], json_pack("[s, s]", iso, words));
	}
	card = beds_house_card(doc, portal_json_text(raw, "agency"), portal_json_text(raw, "agency_name"));
	index = beds_house_index(doc, groups);
	out = json_pack("{s:O, s:s, s:s, s:o}", "id", json_object_get(raw, "id"), "card", card ? card : "{}",
	                "index", index ? index : "{}", "times", times);
	free(card);
	free(index);
	json_decref(doc);
	return out;
}

/* The JSON text of every house's migration entry (malloc'd), or NULL when
 * Redis failed. */
static char *beds_migrate_payload(portal_store *st)
{
	json_t *list = json_array(), *h, *one;
	time_t now = time(NULL);
	beds_answer a;
	char *text = NULL;
	size_t i;

	if (beds_store_houses(st, "", 0, 0, &a) == PORTAL_RUN_OK && beds_answer_ok(&a)) {
		json_array_foreach(json_object_get(a.data, "houses"), i, h)
			if ((one = beds_migrate_house(h, now)) != NULL)
				json_array_append_new(list, one);
			else
				portal_logf(PORTAL_LOG_ERROR, "beds migration: house %lld has no readable details: not searchable",
				            portal_json_num(h, "id"));
		text = json_dumps(list, JSON_COMPACT);
	}
	beds_answer_free(&a);
	json_decref(list);
	return text;
}

int beds_migrate(portal_store *st)
{
	beds_answer a;
	char *payload;
	int rc = -1;

	beds_store_migrate(st, "", &a);
	if (beds_answer_ok(&a) && portal_json_num(a.data, "version") >= BEDS_DATA_VERSION) {
		beds_answer_free(&a);
		return 0;
	}
	beds_answer_free(&a);
	if ((payload = beds_migrate_payload(st)) != NULL && beds_store_migrate(st, payload, &a) == PORTAL_RUN_OK) {
		if (beds_answer_ok(&a)) {
			portal_log(PORTAL_LOG_INFO, "beds data migrated",
			           json_pack("{s:I, s:i, s:I}", "from_version", (json_int_t)portal_json_num(a.data, "from"),
			                     "to_version", BEDS_DATA_VERSION, "houses", (json_int_t)portal_json_num(a.data, "houses")));
			rc = 0;
		}
		beds_answer_free(&a);
	}
	if (rc < 0)
		portal_logf(PORTAL_LOG_ERROR, "beds data not migrated to version %d: Redis failed or answered badly "
		            "(it is tried again at the next start)", BEDS_DATA_VERSION);
	free(payload);
	return rc;
}

int beds_housekeeping(portal_store *st, const portal_config *config)
{
	static int migrated;  /* the master's first run migrates */

	if (!migrated && beds_migrate(st) == 0)
		migrated = 1;
	return beds_store_housekeeping(st, config);
}
