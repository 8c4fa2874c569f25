/* notes.c - the language guide on every case note (issue 18): the notes of
 * a note, reply, outcome or context note just written (the API answer's
 * language_notes), and, on the case page after saving, each term found in
 * what the viewer just wrote with its preferred wording and reason and a
 * link to write it again (common/templates/language_notes.mustache).  The
 * guide never stops a save.
 */
#include "cases.h"

#include <string.h>

#include "jsonget.h"
#include "langnotes.h"

json_t *cases_language_notes(portal_store *st, const char *text)
{
	json_t *notes = portal_language_notes_of(st, text ? text : "", text ? strlen(text) : 0);

	return notes ? notes : json_array();
}

void cases_saved_notes(const portal_ctx *ctx, json_t *data, const json_t *timeline)
{
	const json_t *last = json_array_get(timeline, json_array_size(timeline) - 1);
	const json_t *c = json_object_get(data, "case");
	const char *note = portal_json_text(last, "note");
	int open = json_is_true(json_object_get(c, "can_update")) || json_is_true(json_object_get(c, "can_reply"));
	json_t *notes, *saved;

	/* only what this viewer just wrote */
	if (last == NULL || !note[0] || strcmp(portal_json_text(last, "by"), portal_json_text(ctx->user, "username")) != 0)
		return;
	notes = cases_language_notes(ctx->store, note);
	if (json_array_size(notes) == 0) {
		json_decref(notes);
		return;
	}
	saved = json_pack("{s:o}", "language_notes", notes);
	if (open) {
		/* the note form below starts with the words saved, to write them again */
		json_object_set_new(saved, "change_href", json_string("#note"));
		json_object_set_new(saved, "change_words", json_string("Write the note again with other words"));
		json_object_set_new(data, "typed", json_pack("{s:s}", "note", note));
	} else
		json_object_set_new(saved, "closing", json_string(
			"The case is closed, so its outcome stays as written. Keep these words in mind for the next case."));
	json_object_set_new(data, "saved_notes", saved);
}
