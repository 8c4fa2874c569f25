/* langorder.h - the order every language list of the portal follows.
 *
 * Coordinators choose which languages come first (by default
 * reference.c's portal_languages_first: the languages of the nationalities
 * most often referred to the NRM); every other language follows by English
 * name.  The choice is a portal-wide setting, not one module's data: the
 * directory's languages page writes it, and every module that lists
 * languages (the directory's service form, the beds forms) reads it here, so
 * no module reads another's keys.  Key: "<prefix>{portal}:language-order",
 * the JSON array of the first block's codes.
 */
#ifndef PORTAL_LANGORDER_H
#define PORTAL_LANGORDER_H

#include <jansson.h>
#include <stddef.h>

#include "store.h"

/* Every offered language's code in the portal's order (new reference);
 * *nfirst (when not NULL) gets how many lead the list as the chosen first
 * block.  The default first block when none is stored or Redis cannot be
 * read (a list is still offered; the log says why). */
json_t *portal_language_order(portal_store *st, size_t *nfirst);

/* The context of common/templates/language_picker.mustache (new
 * reference): {legend, hint, first, more, more_open}, every offered
 * language as a checkbox {code, name, own_name, id, checked} named
 * "languages", in the portal's order: the first block, then the rest under
 * "More languages" (open when one of those is ticked).  `chosen`: the codes
 * to tick (an array, or one code as a string). */
json_t *portal_language_picker(portal_store *st, const json_t *chosen, const char *legend, const char *hint);

/* Keep `first` (a JSON array of language codes, already checked) as the
 * first block.  With only_if_unset, only when none is stored yet (moving an
 * older setting in).  Returns 0, or -1 when Redis could not be written. */
int portal_language_order_save(portal_store *st, const json_t *first, int only_if_unset);

#endif
