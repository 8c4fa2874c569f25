/* langnotes.c - the published language guide and the notes of a text
 * (langnotes.h). */
#include "langnotes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "langguide.h"
#include "log.h"

/* What this thread last read: the guide and its version (0: none yet).
 * Per thread, as the store is: no lock, no sharing. */
static __thread json_t *kept_guide;
static __thread long long kept_version;

static void guide_keys(portal_store *st, char *guide, char *version, size_t len)
{
	snprintf(guide, len, "%s{portal}:language-guide", portal_store_prefix(st));
	snprintf(version, len, "%s{portal}:language-guide:version", portal_store_prefix(st));
}

/* The version stored at reply r (0 when none); -1 when r is an error. */
static long long version_of(const redisReply *r)
{
	char *end;
	long long v;

	if (r == NULL || r->type == REDIS_REPLY_ERROR)
		return -1;
	if (r->type != REDIS_REPLY_STRING)
		return 0;
	v = strtoll(r->str, &end, 10);
	return end != r->str && *end == '\0' && v > 0 ? v : 0;
}

json_t *portal_language_guide_read(portal_store *st, long long *version)
{
	char gkey[256], vkey[256];
	redisReply *r = NULL;
	json_t *guide = NULL;

	guide_keys(st, gkey, vkey, sizeof(gkey));
	r = portal_store_command(st, "MGET %s %s", vkey, gkey);
	if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
		if (r)
			freeReplyObject(r);
		return NULL;
	}
	*version = version_of(r->element[0]);
	if (*version > 0 && r->element[1]->type == REDIS_REPLY_STRING)
		guide = json_loadb(r->element[1]->str, r->element[1]->len, 0, NULL);
	if (!json_is_array(guide)) {
		json_decref(guide);
		guide = portal_language_guide_seed();
		*version = 0;
	}
	freeReplyObject(r);
	return guide;
}

/* The guide this thread should check against (borrowed: kept_guide or the
 * seed in *seed, which the caller frees). */
static const json_t *current_guide(portal_store *st, json_t **seed)
{
	char gkey[256], vkey[256];
	redisReply *r;
	long long v, version = 0;
	json_t *g;

	guide_keys(st, gkey, vkey, sizeof(gkey));
	r = portal_store_command(st, "GET %s", vkey);
	v = version_of(r);
	if (r)
		freeReplyObject(r);
	if (v < 0 || (v == kept_version && kept_guide != NULL))
		goto kept;  /* unchanged, or Redis failed: what the thread has */
	if ((g = portal_language_guide_read(st, &version)) != NULL) {
		json_decref(kept_guide);
		kept_guide = g;
		kept_version = version;
	}
kept:
	if (kept_guide != NULL)
		return kept_guide;
	portal_log(PORTAL_LOG_WARN, "language guide not read: the seed guide is used", NULL);
	*seed = portal_language_guide_seed();
	return *seed;
}

json_t *portal_language_notes_of(portal_store *st, const char *text, size_t len)
{
	json_t *seed = NULL, *notes;

	notes = portal_language_notes(text, len, current_guide(st, &seed));
	json_decref(seed);
	return notes;
}

int portal_language_guide_publish(portal_store *st, const json_t *guide, long long version)
{
	char gkey[256], vkey[256], num[24], *text = json_dumps(guide, JSON_COMPACT);
	redisReply *r;
	int rc;

	if (text == NULL)
		return -1;
	guide_keys(st, gkey, vkey, sizeof(gkey));
	snprintf(num, sizeof(num), "%lld", version);
	r = portal_store_command(st, "MSET %s %s %s %s", gkey, text, vkey, num);
	free(text);
	rc = r && r->type != REDIS_REPLY_ERROR ? 0 : -1;
	if (r)
		freeReplyObject(r);
	return rc;
}
