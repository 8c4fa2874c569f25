/* roster.c - a session's roster (page, JSON, CSV) and marking attendance. */
#include "training.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "jsonget.h"
#include "paging.h"
#include "response.h"
#include "validate.h"

/* Load page `p` of the roster of session {id} for staff (p NULL: all of
 * it).  Returns 0 with *session and *roster (new references) and the
 * roster's length in *total, or -1 after answering. */
static int training_roster_load(portal_ctx *ctx, const portal_page *p, long long *id, json_t **session, json_t **roster,
                                long long *total)
{
	portal_run_result res;
	int rc = -1;

	*session = *roster = NULL;
	if (portal_path_number(ctx, "id", TRAINING_ID_MAX, "training session", id) == NULL)
		return -1;
	training_store_session_view(ctx->store, *id, "", 1, p ? portal_page_offset(*p) : 0, p ? p->per_page : 0, &res);
	if (!training_reply_failed(ctx, &res, NULL)) {
		*session = portal_run_json(&res, "session");
		*roster = portal_run_json(&res, "roster");
		portal_parse_int(portal_run_field(&res, "roster_total", NULL), 0, TRAINING_ID_MAX, total);
		if (!training_may_manage(ctx, portal_json_text(*session, "agency_id")))
			portal_reply_forbidden(ctx, "Only trainers of the agency that runs this course, or a coordinator, can see its roster.");
		else
			rc = 0;
	}
	portal_run_result_free(&res);
	if (rc < 0) {
		json_decref(*session);
		json_decref(*roster);
	}
	return rc;
}

void training_roster(portal_ctx *ctx)
{
	long long id, total = 0;
	json_t *q = NULL, *session, *roster, *data;
	portal_page p;
	char path[64];

	if ((q = portal_valid_query(ctx, training_list_query_fields)) == NULL)
		return;
	p = portal_page_of(q);
	if (training_roster_load(ctx, &p, &id, &session, &roster, &total) == 0) {
		data = training_roster_view(session, roster, time(NULL));
		snprintf(path, sizeof(path), "/training/sessions/%lld/roster", id);
		portal_page_answer(data, ctx->req.is_api ? NULL : &(portal_page_list){ path, portal_page_keep, "the roster" }, q,
		                   p, total, json_array_size(roster));
		training_reply_page(ctx, data);
		json_decref(session);
		json_decref(roster);
	}
	json_decref(q);
}

void training_roster_csv_get(portal_ctx *ctx)
{
	long long id, total;
	json_t *session, *roster;
	portal_buf csv;
	char file[64];

	if (training_roster_load(ctx, NULL, &id, &session, &roster, &total) < 0)
		return;
	portal_buf_init(&csv, 4 * 1024 * 1024);
	snprintf(file, sizeof(file), "roster-session-%lld.csv", id);
	if (training_roster_csv(&csv, roster) < 0)
		portal_reply_internal_error(ctx, "roster too large");
	else
		portal_reply_body(ctx, 200, "text/csv; charset=utf-8", file, csv.data, csv.len);
	portal_buf_free(&csv);
	json_decref(session);
	json_decref(roster);
}

void training_attendance(portal_ctx *ctx)
{
	long long id, sid;
	const char *bid;
	json_t *v = NULL, *errors = NULL, *cur = NULL, *b = NULL;
	portal_run_result res = { .reply = NULL };

	if (portal_path_number(ctx, "id", TRAINING_ID_MAX, "training session", &id) == NULL)
		return;
	if (training_param_booking(ctx, "booking_id", &bid, &sid) < 0)
		return;
	if (sid != id) {
		portal_reply_not_found(ctx, "booking");
		return;
	}
	if (portal_validate(ctx->req.body, training_attendance_fields, &v, &errors) < 0) {
		json_decref(v);
		portal_reply_invalid(ctx, errors, NULL);
		return;
	}
	if (training_session_for_staff(ctx, id, &cur) < 0)
		goto done;
	training_store_attend(ctx->store, id, bid, portal_json_text(v, "attendance"), training_username(ctx),
	                      time(NULL), &res);
	if (training_reply_failed(ctx, &res, NULL))
		goto done;
	b = portal_run_json(&res, "booking");
	portal_audit(ctx, "training_attendance_marked", NULL, json_pack("{s:s, s:I, s:s, s:s}", "booking_id", bid,
	             "session_id", (json_int_t)id, "attendance", portal_json_text(v, "attendance"),
	             "person", portal_json_text(b, "username")));
	portal_reply_done(ctx, 200, "booking", training_booking_json(b), "/training/sessions/%lld/roster?done=attendance", id);
done:
	portal_run_result_free(&res);
	json_decref(b);
	json_decref(cur);
	json_decref(v);
}
