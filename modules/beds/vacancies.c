/* vacancies.c - the vacant beds of a safehouse: set by group, or confirmed
 * as still accurate (see beds.h). */
#include "beds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "jsonget.h"
#include "response.h"

/* Where an error summary link on the vacancies form goes: the group's
 * input ("vacant-women"), or the form's heading for a message about the
 * groups as a whole. */
static void beds_href_vacancy(const char *field, char *out, size_t len)
{
	size_t i;

	for (i = 0; i < BEDS_GROUP_COUNT; i++)
		if (strcmp(field, beds_groups[i]) == 0) {
			snprintf(out, len, "#vacant-%s", field);
			return;
		}
	snprintf(out, len, "#vacancies");
}

/* The vacancies form could not be saved: answer `status` with `errors`
 * (field -> message, stolen).  Under /api/ the error (`code`, `message`;
 * a 422 is invalid_input).  On the page, the safehouse again with its
 * details, what was typed in each group's input, the message beside it and
 * the error summary. */
static void beds_vacancies_reply_errors(portal_ctx *ctx, const char *id, int status,
                                        const char *code, const char *message, json_t *errors)
{
	json_t *view, *page, *g;
	size_t i;

	if (ctx->req.is_api) {
		if (status == 422)
			portal_reply_invalid(ctx, errors, NULL);
		else
			portal_reply_error(ctx, status, code, message, errors);
		return;
	}
	if ((view = beds_house_for_user(ctx, id)) == NULL) {
		json_decref(errors);
		return;
	}
	page = beds_safehouse_page(ctx, view);
	json_array_foreach(json_object_get(json_object_get(page, "safehouse"), "group_list"), i, g) {
		const char *group = json_string_value(json_object_get(g, "group"));
		const json_t *typed = group ? json_object_get(ctx->req.body, group) : NULL;
		if (typed != NULL)
			json_object_set_new(g, "input", beds_form_text(typed));
		if (group && json_is_string(json_object_get(errors, group)))
			json_object_set(g, "error", json_object_get(errors, group));
	}
	beds_reply_page_errors(ctx, status, errors, page, beds_href_vacancy);
}

/* A refusal of the vacancies script answered on the page: the numbers
 * (422) or the held beds (409: the numbers are fine, the holds must be
 * answered first) beside the inputs.  Returns 1 when answered. */
static int beds_vacancies_refused_page(portal_ctx *ctx, const char *id, const beds_answer *a)
{
	const char *group = portal_json_text(a->data, "group");
	char msg[256];

	if (ctx->req.is_api || a->rc != PORTAL_RUN_OK)
		return 0;
	if (strcmp(a->status, "invalid_input") == 0) {
		beds_vacancies_reply_errors(ctx, id, 422, a->status, NULL, json_incref(json_object_get(a->data, "fields")));
		return 1;
	}
	if (strcmp(a->status, "holds_pending") == 0) {
		beds_holds_pending_message(a, msg, sizeof(msg));
		beds_vacancies_reply_errors(ctx, id, 409, a->status, msg, json_pack("{s:s}", *group ? group : "group", msg));
		return 1;
	}
	return 0;
}

/* Run the vacancies script (vacant: JSON text, "" to confirm) and answer. */
static void beds_vacancies_apply(portal_ctx *ctx, const char *id, const char *vacant, const char *event)
{
	const char *agency = portal_user_agency_id(ctx);
	json_t *view;
	beds_answer a;

	beds_store_vacancies_set(ctx->store, id, agency ? agency : "-", beds_username(ctx), vacant, &a);
	if (beds_vacancies_refused_page(ctx, id, &a) || beds_reply_failed(ctx, &a, "safehouse"))
		goto done;
	portal_audit(ctx, event, NULL, json_pack("{s:s, s:O}", "safehouse", id,
	             "changes", json_object_get(a.data, "changes") ? json_object_get(a.data, "changes") : json_null()));
	view = beds_house_view(json_object_get(a.data, "house"), time(NULL), beds_config_get());
	portal_reply_done(ctx, 200, "safehouse", view, "/beds/safehouses/%s?done=%s", id,
	                  *vacant ? "vacancies" : "confirm");
done:
	beds_answer_free(&a);
}

/* 1 when every member of body is a bed group or the form's csrf_token. */
static int beds_vacancies_known(const json_t *body)
{
	const char *key;
	json_t *v;
	size_t i;
	int known;

	json_object_foreach((json_t *)body, key, v) {
		known = strcmp(key, "csrf_token") == 0;
		for (i = 0; i < BEDS_GROUP_COUNT && !known; i++)
			known = strcmp(key, beds_groups[i]) == 0;
		if (!known)
			return 0;
	}
	return 1;
}

/* PUT /api/v1/beds/safehouses/{id}/vacancies {"women":2} (POST from the
 * page).  Every failure is answered with the safehouse on the page. */
void beds_vacancies_put(portal_ctx *ctx)
{
	const char *id = portal_path_number(ctx, "id", BEDS_ID_MAX, "safehouse", NULL);
	portal_fields t = beds_fields_of(BEDS_FIELDS_VACANCIES);
	json_t *want = NULL, *errors = NULL;
	char *want_s;

	if (id == NULL)
		return;
	if (!beds_vacancies_known(ctx->req.body)) {
		beds_vacancies_reply_errors(ctx, id, 422, "invalid_input", NULL, json_pack("{s:s+}", "group",
		                            "Use only these bed groups: ", BEDS_GROUPS_SAID));
		return;
	}
	if (portal_validate(ctx->req.body, t, &want, &errors) < 0) {
		json_decref(want);
		beds_vacancies_reply_errors(ctx, id, 422, "invalid_input", NULL, errors);
		return;
	}
	if (json_object_size(want) == 0) {
		json_decref(want);
		beds_vacancies_reply_errors(ctx, id, 422, "invalid_input", NULL, json_pack("{s:s}", BEDS_GROUP_FIRST,
		                            "Enter the number of vacant beds for at least one bed group"));
		return;
	}
	want_s = json_dumps(want, JSON_COMPACT);
	beds_vacancies_apply(ctx, id, want_s ? want_s : "{}", "vacancies_set");
	free(want_s);
	json_decref(want);
}

/* POST .../confirm - "still accurate": every group's time refreshed. */
void beds_vacancies_confirm(portal_ctx *ctx)
{
	const char *id = portal_path_number(ctx, "id", BEDS_ID_MAX, "safehouse", NULL);

	if (id != NULL)
		beds_vacancies_apply(ctx, id, "", "vacancies_confirmed");
}
