/* notices.h - each person's in-portal notifications, their e-mail choices
 * and the worker's dead letters: a platform facility like sessions.
 * portal-notify (modules/notify/) writes them from the modules' events;
 * libportal reads them for the pages (portal-auth's /notifications, the
 * header's unread count on every page).
 *
 * Keys (every one of a person under the hash tag {UID}, so a script that
 * touches them runs on one Cluster slot):
 *   <prefix>notices:{UID}:items   hash: id -> {"id","kind","text","link","created_at"}
 *                                 (created_at Unix seconds; link a path)
 *   <prefix>notices:{UID}:order   sorted set: id scored by its stream entry
 *                                 id (ms * 1000 + seq, newest last); at most
 *                                 PORTAL_NOTICES_KEEP: older ones go
 *   <prefix>notices:{UID}:unread  set: the ids not yet read
 *   <prefix>notify:{notify}:email-off  hash: uid -> the kinds whose e-mail
 *                                 the person turned off, separated by spaces
 *   <prefix>notify:{notify}:kinds the worker's catalogue of the kinds (JSON
 *                                 [{"kind","label","email":"none"|"choice"|
 *                                 "always"}]), written at its start
 *   <prefix>notify:{notify}:dead  list, newest first: the dead letters
 *                                 {"stream","sink","id","kind","reason","at"}
 * A notification's id is "<module>-<stream entry id>" ("beds-1733380000123-0"):
 * one per stream entry and person, so a retried entry adds nothing.
 */
#ifndef PORTAL_NOTICES_H
#define PORTAL_NOTICES_H

#include <jansson.h>
#include <stddef.h>

#include "store.h"

#define PORTAL_NOTICES_KEEP 200  /* the notifications kept per person, newest */
#define PORTAL_NOTICE_ID_MAX 72

/* "<prefix>notices:{UID}:PART" into out[len]. */
void portal_notices_key(const portal_store *st, const char *uid, const char *part, char *out, size_t len);

/* "<prefix>notify:{notify}:PART" into out[len]. */
void portal_notices_shared_key(const portal_store *st, const char *part, char *out, size_t len);

/* 1 when `word` is one of the space-separated words of `list`. */
int portal_words_have(const char *list, const char *word);

/* 1 when `id` has the shape of a notification id (module, '-', stream id). */
int portal_notice_id_ok(const char *id);

/* The number of uid's unread notifications (one SCARD), or -1 when the
 * store failed. */
long long portal_notices_unread(portal_store *st, const char *uid);

/* Page `page` (from 1) of uid's notifications, newest first, per_page a
 * page: *items a new array of {"id","kind","text","link","created_at"
 * (Unix seconds),"read"}; *total and *unread the counts.  Two round trips.
 * Returns 0, or -1 when the store failed (nothing to free). */
int portal_notices_list(portal_store *st, const char *uid, long long page, long long per_page,
                        json_t **items, long long *total, long long *unread);

/* Mark notification `id` of uid read.  1 done (or read already), 0 no such
 * notification, -1 the store failed. */
int portal_notices_mark_read(portal_store *st, const char *uid, const char *id);

/* Mark all of uid's notifications read.  0, or -1 when the store failed. */
int portal_notices_mark_all_read(portal_store *st, const char *uid);

/* The worker's catalogue of kinds (*kinds a new array).  1, 0 when the
 * worker has not written it yet, -1 when the store failed. */
int portal_notices_kinds(portal_store *st, json_t **kinds);

/* The kinds whose e-mail uid turned off, space-separated, into out[len]
 * ("" none).  0, or -1 when the store failed. */
int portal_notices_email_off(portal_store *st, const char *uid, char *out, size_t len);

/* Set them ("" clears).  0, or -1 when the store failed. */
int portal_notices_set_email_off(portal_store *st, const char *uid, const char *kinds);

/* Page `page` of the dead letters, newest first (*items a new array of the
 * stored objects), *total their number.  0, or -1 when the store failed. */
int portal_notices_dead_letters(portal_store *st, long long page, long long per_page, json_t **items,
                                long long *total);

#endif
