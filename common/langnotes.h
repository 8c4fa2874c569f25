/* langnotes.h - the language guide as every module reads it (issue 18).
 *
 * The guide is kept by the monitoring module (coordinators change it
 * there), but every module that takes free text checks it, and no module
 * reads another's keys.  So monitoring publishes the guide as a portal-wide
 * setting, beside common/langorder.c's language order:
 *
 *   <prefix>{portal}:language-guide          the JSON array of entries
 *                                            (langguide.h's shape)
 *   <prefix>{portal}:language-guide:version  its version, a whole number
 *                                            that every change raises
 *
 * both written at once (MSET: one slot) by portal_language_guide_publish.
 * A module asks portal_language_notes_of() for the notes of a text: it reads
 * the version (one GET) and fetches the guide again only when the version
 * moved, keeping it per thread.  When Redis cannot be read it uses what the
 * thread kept, else the seed guide (langguide.h): a note is never refused
 * and a save never waits on the guide.
 */
#ifndef PORTAL_LANGNOTES_H
#define PORTAL_LANGNOTES_H

#include <jansson.h>
#include <stddef.h>

#include "store.h"

/* The language notes of text[0..len) against the published guide: as
 * portal_language_notes (a new array, [] when nothing was found).  Never
 * NULL unless out of memory. */
json_t *portal_language_notes_of(portal_store *st, const char *text, size_t len);

/* The published guide (new reference) and its version into *version (0
 * when none is published: the seed guide is answered then).  NULL when
 * Redis could not be read. */
json_t *portal_language_guide_read(portal_store *st, long long *version);

/* Publish `guide` (a JSON array of entries) as version `version`.
 * Returns 0, or -1 when Redis could not be written. */
int portal_language_guide_publish(portal_store *st, const json_t *guide, long long version);

#endif
