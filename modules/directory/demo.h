/* demo.h - the directory's demo data and the service generator. */
#ifndef DIRECTORY_DEMO_H
#define DIRECTORY_DEMO_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

/* The demo communities as an object code -> name (new reference). */
json_t *directory_demo_communities_json(void);

/* The ~30 fictional demo organisations and their services (stored shape,
 * new arrays).  Returns 0, or -1 with err when a demo row does not
 * validate (a bug). */
int directory_demo_build(json_t **orgs, json_t **services, char *err, size_t errlen);

/* `n` generated services (numbered from first+1) under one new
 * organisation, all in community "gen-TAG" (so a search can pick the set).
 * The first 25 of a set (first + i < 25) match language=sq,
 * exploitation=criminal, borough=newham; no other generated service serves
 * Newham, so that search returns 25 at any set size (the benchmark).
 * Returns 0 with new arrays, or -1. */
int directory_generate(size_t n, const char *tag, size_t first, json_t **orgs, json_t **services);

/* Set id, updated_at (now) and last_verified (`verified`, or today when
 * NULL and not already set) on a stored service. */
void directory_service_stamp(json_t *svc, const char *id, time_t now, const char *verified);

#endif
