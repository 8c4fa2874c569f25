/* langguide.c - the language guide's check on free text (langguide.h).
 * Pure: no I/O, no allocation but the answer. */
#include "langguide.h"

#include <string.h>

static int word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'' ||
	       c >= 0x80;
}

static int space_byte(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Does `phrase` match text at t[i..), whole words?  The matched length in
 * *mlen.  A space (run) in the phrase matches a run of white space. */
static int match_at(const char *t, size_t len, size_t i, const char *phrase, size_t *mlen)
{
	size_t j = i, k = 0;

	if (i > 0 && word_byte((unsigned char)t[i - 1]))
		return 0;
	while (phrase[k]) {
		if (space_byte((unsigned char)phrase[k])) {
			if (j >= len || !space_byte((unsigned char)t[j]))
				return 0;
			while (j < len && space_byte((unsigned char)t[j]))
				j++;
			while (space_byte((unsigned char)phrase[k]))
				k++;
			continue;
		}
		if (j >= len || lower((unsigned char)t[j]) != lower((unsigned char)phrase[k]))
			return 0;
		j++, k++;
	}
	if (j == i || (j < len && word_byte((unsigned char)t[j])))
		return 0;
	*mlen = j - i;
	return 1;
}

/* The first place in text where `phrase` matches: 1 with *at and *mlen. */
static int find_phrase(const char *t, size_t len, const char *phrase, size_t *at, size_t *mlen)
{
	size_t i;

	if (phrase == NULL || !phrase[0] || space_byte((unsigned char)phrase[0]))
		return 0;
	for (i = 0; i < len; i++)
		if (lower((unsigned char)t[i]) == lower((unsigned char)phrase[0]) && match_at(t, len, i, phrase, mlen)) {
			*at = i;
			return 1;
		}
	return 0;
}

/* The first place any of the entry's term and variants matches. */
static int find_entry(const char *t, size_t len, const json_t *entry, size_t *at, size_t *mlen)
{
	const json_t *v;
	size_t i, a, m;
	int found = 0;

	if (find_phrase(t, len, json_string_value(json_object_get(entry, "term")), &a, &m))
		*at = a, *mlen = m, found = 1;
	json_array_foreach(json_object_get(entry, "variants"), i, v)
		if (find_phrase(t, len, json_string_value(v), &a, &m) && (!found || a < *at))
			*at = a, *mlen = m, found = 1;
	return found;
}

json_t *portal_language_notes(const char *text, size_t len, const json_t *guide)
{
	json_t *notes = json_array(), *e;
	size_t i, at, mlen, n = json_is_array(guide) ? json_array_size(guide) : 0, pos[64], count = 0;

	if (notes == NULL || text == NULL)
		return notes;
	for (i = 0; i < n && count < sizeof(pos) / sizeof(pos[0]); i++) {
		json_t *note;
		size_t k;
		e = json_array_get(guide, i);
		if (!json_is_object(e) || !find_entry(text, len, e, &at, &mlen))
			continue;
		note = json_pack("{s:O?, s:s%, s:O?, s:O?}", "term", json_object_get(e, "term"), "found", text + at,
		                 mlen, "preferred", json_object_get(e, "preferred"), "reason",
		                 json_object_get(e, "reason"));
		if (note == NULL)
			continue;  /* "found" was not UTF-8: the text is checked elsewhere */
		/* keep the notes in the order they appear in the text */
		for (k = count; k > 0 && pos[k - 1] > at; k--)
			pos[k] = pos[k - 1];
		pos[k] = at;
		json_array_insert_new(notes, k, note);
		count++;
	}
	return notes;
}

json_t *portal_language_guide_seed(void)
{
	static const char source[] = "Anti-Slavery London Working Group, submission to the Mayor of London's "
	                             "Police and Crime Plan 2021-25, \"the use of language\"";

	return json_pack(
	    "[{s:s, s:[s,s,s], s:s, s:s, s:s}, {s:s, s:[], s:s, s:s, s:s}, {s:s, s:[s], s:s, s:s, s:s}]",
	    "term", "claims", "variants", "claimed", "claiming", "alleges", "preferred", "states",
	    "reason", "Writing that a person \"claims\" something shows disbelief: on an NRM form it is likely to "
	    "cause the referral to be rejected, and it tells the person the police do not trust them.",
	    "source", source,
	    "term", "plugging", "variants", "preferred", "coerced internal concealment",
	    "reason", "\"Plugging\" hides what happened: the person was coerced into concealing drugs or other "
	    "items inside their body.",
	    "source", source,
	    "term", "money mule", "variants", "money mules", "preferred",
	    "financially exploited child (or person)", "reason",
	    "\"Money mule\" casts the person as a willing part of a crime; they are being financially exploited.",
	    "source", source);
}
