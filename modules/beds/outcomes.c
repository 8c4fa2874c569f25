/* outcomes.c - what happened after a hold closed (issue 18): the owning
 * NGO's staff say what became of the person (arrived, did not arrive,
 * placed elsewhere, not known) and may add a note on how the referral went;
 * the responder who placed it may add theirs.  The note is guarded against
 * personal data (common/personal.c, in the field table) and answered with
 * the language guide's notes (common/langnotes.h), which never block the
 * save; the page after saving shows each note with a link back to change
 * the text.  A later one from the same side replaces it (see beds.h). */
#include "beds.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "jsonget.h"
#include "langnotes.h"
#include "response.h"

/* Answer 422 with `errors` (stolen): under /api/ the errors; on a page the
 * hold's page again, its form keeping every value typed. */
static void outcome_invalid(portal_ctx *ctx, json_t *errors)
{
	const char *id;
	json_t *h;

	if (ctx->req.is_api) {
		portal_reply_invalid(ctx, errors, NULL);
		return;
	}
	if ((h = beds_hold_read(ctx, &id)) == NULL) {
		json_decref(errors);
		return;
	}
	portal_reply_invalid(ctx, errors, beds_hold_page(ctx, h, ctx->req.body));
	json_decref(h);
}

/* The script's refusals that are about the form: 1 after answering 422. */
static int outcome_refused(portal_ctx *ctx, const beds_answer *a)
{
	if (a->rc != PORTAL_RUN_OK)
		return 0;
	if (strcmp(a->status, "outcome_required") == 0)
		outcome_invalid(ctx, json_pack("{s:s}", "outcome", "Choose what happened to the person after this hold"));
	else if (strcmp(a->status, "nothing_given") == 0)
		outcome_invalid(ctx, json_pack("{s:s}", "outcome", "Choose what happened, or write a note on how the referral went"));
	else
		return 0;
	return 1;
}

/* Side `side`'s entry of hold view `view` (borrowed), or NULL. */
static const json_t *outcome_of(const json_t *view, const char *side)
{
	const json_t *o;
	size_t i;

	json_array_foreach(json_object_get(view, "outcomes"), i, o)
		if (strcmp(portal_json_text(o, "side"), side) == 0)
			return o;
	return NULL;
}

/* The answer to a saved outcome (a = the script's "ok"): {outcome, hold,
 * language_notes, has_notes}.  New reference. */
static json_t *outcome_answer(portal_ctx *ctx, const beds_answer *a)
{
	json_t *view = beds_hold_view_for(ctx, json_object_get(a->data, "hold")), *notes;
	const json_t *said = outcome_of(view, portal_json_text(a->data, "side"));
	const char *note = portal_json_text(said, "note");

	notes = portal_language_notes_of(ctx->store, note, strlen(note));
	return json_pack("{s:O*, s:o, s:o, s:b}", "outcome", said, "hold", view, "language_notes", notes,
	                 "has_notes", json_array_size(notes) > 0);
}

/* POST /beds/holds/{id}/outcome - one side says what happened: 201 the
 * first time, 200 when it replaces what that side said; on a page, the
 * page after saving.  An open hold 409, anyone else's 404. */
void beds_hold_outcome_post(portal_ctx *ctx)
{
	const char *id = portal_path_number(ctx, "id", BEDS_ID_MAX, "hold", NULL), *agency = portal_user_agency_id(ctx);
	json_t *v = NULL, *errors = NULL;
	beds_answer a = { .data = NULL };
	beds_outcome_request req;
	int replaced;

	if (id == NULL)
		return;
	if (portal_validate(ctx->req.body, beds_fields_of(BEDS_FIELDS_OUTCOME), &v, &errors) != 0) {
		json_decref(v);
		outcome_invalid(ctx, errors);
		return;
	}
	req = (beds_outcome_request){ .hold = id, .actor = beds_username(ctx),
		.agency = portal_user_has(ctx, BEDS_NGO) && agency ? agency : "",
		.responder = portal_user_has(ctx, BEDS_RESP) ? "1" : "0",
		.outcome = portal_json_text(v, "outcome"), .note = portal_json_text(v, "note"),
		.agency_type = beds_user_words(ctx, "agency_type"), .unit = beds_user_words(ctx, "unit") };
	beds_store_hold_outcome(ctx->store, &req, &a);
	if (a.rc == PORTAL_RUN_OK && strcmp(a.status, "forbidden") == 0) {
		/* another agency's or another responder's hold: not theirs to know of */
		beds_audit_expired(ctx, &a);
		portal_audit(ctx, "hold_outcome_refused", NULL, json_pack("{s:s}", "hold", id));
		portal_reply_not_found(ctx, "hold");
	} else if (!outcome_refused(ctx, &a) && !beds_reply_failed(ctx, &a, "hold")) {
		replaced = json_is_true(json_object_get(a.data, "replaced"));
		portal_audit(ctx, "hold_outcome_recorded", NULL, json_pack("{s:s, s:O, s:s, s:b}", "hold", id,
		             "side", json_object_get(a.data, "side"), "outcome", req.outcome, "replaced", replaced));
		if (ctx->req.is_api)
			portal_reply(ctx, replaced ? 200 : 201, outcome_answer(ctx, &a));
		else
			portal_reply_done(ctx, 201, NULL, NULL, "/beds/holds/%s/outcome?done=outcome", id);
	}
	beds_answer_free(&a);
	json_decref(v);
}

/* GET /beds/holds/{id}/outcome - the page after saving: what this side
 * said and the language guide's notes on its words, each with a link back
 * to change the text.  Only for the two sides (404 for anyone else). */
void beds_hold_outcome_get(portal_ctx *ctx)
{
	const char *id, *note;
	json_t *h, *view, *notes, *done, *saved;
	const json_t *said;

	if ((h = beds_hold_read(ctx, &id)) == NULL)
		return;
	view = beds_hold_view_for(ctx, h);
	json_decref(h);
	if (json_object_get(view, "outcome_side") == NULL) {
		portal_reply_not_found(ctx, "hold");
		json_decref(view);
		return;
	}
	said = outcome_of(view, portal_json_text(view, "outcome_side"));
	note = portal_json_text(said, "note");
	notes = portal_language_notes_of(ctx->store, note, strlen(note));
	saved = json_array_size(notes) == 0 ? NULL
	      : json_pack("{s:O, s:s++, s:s}", "language_notes", notes, "change_href", "/beds/holds/", id, "#note",
	                  "change_words", "Change the text of your note");
	done = beds_done(ctx);
	portal_reply(ctx, 200, json_pack("{s:O*, s:o, s:o, s:o*, s:b, s:b, s:o*}", "outcome", said, "hold", view,
	             "language_notes", notes, "saved_notes", saved, "has_notes", json_array_size(notes) > 0,
	             "has_note", *note != '\0', "done", done));
}
