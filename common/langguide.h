/* langguide.h - the language guide: words to avoid in what partners write,
 * and what to say instead (issue 18).
 *
 * The partnership's submission to the Police and Crime Plan asks that "the
 * use of language" play a central role: "claims" on an NRM form instead of
 * "states" shows disbelief and gets referrals rejected; "plugging" hides
 * coerced internal concealment; "money mules" hides financially exploited
 * children.  Coordinators keep the guide (entries of term, variants,
 * preferred wording, reason, source); every free-text field is checked
 * against it, and the answer carries what was found.  The check never
 * refuses a save: it says, and the writer decides.
 *
 * A guide is a JSON array of entries
 *   {"term":"claims","variants":["claimed","claiming"],
 *    "preferred":"states","reason":"...","source":"..."}
 * A term or variant matches a whole word or phrase, whatever its case, and
 * a space in it matches any run of white space ("money  mule" finds
 * "money mule").  Letters outside ASCII count as parts of words.
 */
#ifndef PORTAL_LANGGUIDE_H
#define PORTAL_LANGGUIDE_H

#include <jansson.h>
#include <stddef.h>

/* The language notes for text[0..len) against `guide`: a new array with
 * one object per entry found, {"term","found","preferred","reason"}
 * ("found" the words as written, at their first place), in the order they
 * first appear in the text; [] when nothing was found or guide is not an
 * array.  NULL only when out of memory. */
json_t *portal_language_notes(const char *text, size_t len, const json_t *guide);

/* The entries the guide starts with: the terms the partnership names, each
 * with its source.  A new array. */
json_t *portal_language_guide_seed(void);

#endif
