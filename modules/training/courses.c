/* courses.c - the course handlers: list, add, see, change (and the pages'
 * forms), and the course list a session form offers. */
#include "training.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "jsonget.h"
#include "paging.h"
#include "response.h"
#include "validate.h"

/* The data of the course form page (new reference): adding a course when
 * `course` is NULL, else changing that course (a stored hash).  `form` (the
 * values to show) is stolen; NULL takes what the person typed. */
static json_t *training_course_page(const portal_ctx *ctx, const json_t *course, json_t *form)
{
	json_t *data = json_object();
	char action[64];

	if (form == NULL)
		form = json_deep_copy(ctx->req.body);
	json_object_set_new(data, "form", form ? form : json_object());
	json_object_set_new(data, "outcome_slots", training_outcome_slots(json_object_get(data, "form")));
	json_object_set_new(data, "is_edit", json_boolean(course != NULL));
	if (course) {
		snprintf(action, sizeof(action), "/training/courses/%s", portal_json_text(course, "id"));
		json_object_set_new(data, "course", training_course_json(course));
	} else
		snprintf(action, sizeof(action), "/training/courses");
	json_object_set_new(data, "action", json_string(action));
	return data;
}

/* Load `count` courses from the `from`th into *courses (new array of
 * stored hashes) and their number into *total (may be NULL).  Returns 0,
 * or -1 after answering. */
static int training_courses_load(portal_ctx *ctx, long long from, long long count, json_t **courses, long long *total)
{
	portal_run_result res;
	int rc = -1;

	training_store_courses(ctx->store, from, count, &res);
	if (!training_reply_failed(ctx, &res, NULL) && (*courses = portal_run_json(&res, "courses")) != NULL) {
		if (total)
			portal_parse_int(portal_run_field(&res, "total", NULL), 0, TRAINING_ID_MAX, total);
		rc = 0;
	} else if (portal_run_ok(&res))
		portal_reply_internal_error(ctx, "training courses answer is not JSON");
	portal_run_result_free(&res);
	return rc;
}

void training_courses_list(portal_ctx *ctx)
{
	static const portal_page_list pages = { "/training/courses", portal_page_keep, "courses" };
	json_t *q = NULL, *courses, *list, *data;
	const json_t *c;
	long long total = 0;
	portal_page p;
	size_t i;

	if ((q = portal_valid_query(ctx, training_list_query_fields)) == NULL)
		return;
	p = portal_page_of(q);
	if (training_courses_load(ctx, portal_page_offset(p), p.per_page, &courses, &total) < 0) {
		json_decref(q);
		return;
	}
	list = json_array();
	json_array_foreach(courses, i, c) {
		json_t *cj = training_course_json(c);
		json_object_set_new(cj, "can_change", json_boolean(training_may_manage(ctx, portal_json_text(c, "agency_id"))));
		if (!ctx->req.is_api)
			json_object_set_new(cj, "has_outcomes", json_boolean(json_array_size(json_object_get(cj, "learning_outcomes")) > 0));
		json_array_append_new(list, cj);
	}
	json_decref(courses);
	data = json_pack("{s:o, s:b}", "courses", list, "may_manage", portal_user_has(ctx, TRAINING_STAFF));
	portal_page_answer(data, ctx->req.is_api ? NULL : &pages, q, p, total, json_array_size(list));
	training_reply_page(ctx, data);
	json_decref(q);
}

int training_course_options(portal_ctx *ctx, const json_t *selected, json_t **out)
{
	char want[24] = "";
	json_t *courses;
	const json_t *c;
	size_t i;

	if (json_is_string(selected))
		snprintf(want, sizeof(want), "%s", json_string_value(selected));
	else if (json_is_integer(selected))
		snprintf(want, sizeof(want), "%lld", (long long)json_integer_value(selected));
	if (training_courses_load(ctx, 0, TRAINING_LIST_MAX, &courses, NULL) < 0)
		return -1;
	*out = json_array();
	json_array_foreach(courses, i, c)
		if (training_may_manage(ctx, portal_json_text(c, "agency_id")))
			json_array_append_new(*out, json_pack("{s:s, s:s, s:b}", "id", portal_json_text(c, "id"),
			        "title", portal_json_text(c, "title"), "selected", strcmp(want, portal_json_text(c, "id")) == 0));
	json_decref(courses);
	return 0;
}

/* Save course `id` ("" to add one) from the validated `v`; the agency is the
 * course's own, or the user's for a new course.  Answers on failure; on
 * success returns 0 with *course (new reference). */
static int training_course_write(portal_ctx *ctx, const char *id, const json_t *v, const char *agency_id,
                                 json_t **course)
{
	portal_run_result res;
	const char *org = portal_json_text(v, "organisation");

	if (!org[0])
		org = portal_json_text(json_object_get(ctx->user, "agency"), "name");
	training_store_course_save(ctx->store, id, v, org, agency_id, &res);
	*course = training_reply_failed(ctx, &res, NULL) ? NULL : portal_run_json(&res, "course");
	portal_run_result_free(&res);
	return *course ? 0 : -1;
}

void training_course_create(portal_ctx *ctx)
{
	json_t *v = NULL, *errors = NULL, *c = NULL;
	const char *agency = portal_user_agency_id(ctx);

	if (portal_validate(ctx->req.body, training_course_fields, &v, &errors) < 0) {
		json_decref(v);
		portal_reply_invalid(ctx, errors, ctx->req.is_api ? NULL : training_course_page(ctx, NULL, NULL));
		return;
	}
	if (training_course_write(ctx, "", v, agency ? agency : "", &c) == 0) {
		portal_audit(ctx, "training_course_created", NULL, json_pack("{s:s, s:O}", "course_id",
		             portal_json_text(c, "id"), "title", json_object_get(v, "title")));
		portal_reply_done(ctx, 201, "course", training_course_json(c), "/training/courses?done=course-added");
	}
	json_decref(c);
	json_decref(v);
}

/* Course `id` into *c (new reference); answers 404 or 503 and returns -1
 * when it cannot.  With for_staff, also 403 unless the user may change it. */
static int training_course_load(portal_ctx *ctx, long long id, int for_staff, json_t **c)
{
	portal_run_rc rc = training_store_course_get(ctx->store, id, c);

	if (rc != PORTAL_RUN_OK) {
		if (rc == PORTAL_RUN_UNAVAILABLE)
			portal_reply_store_unavailable(ctx);
		else
			portal_reply_internal_error(ctx, "training course: unexpected reply");
		return -1;
	}
	if (json_object_size(*c) == 0)
		portal_reply_not_found(ctx, "course");
	else if (for_staff && !training_may_manage(ctx, portal_json_text(*c, "agency_id")))
		portal_reply_forbidden(ctx, "Only trainers of the agency that runs this course, or a coordinator, can change it.");
	else
		return 0;
	json_decref(*c);
	*c = NULL;
	return -1;
}

void training_course_get(portal_ctx *ctx)
{
	long long id;
	json_t *c;

	if (portal_path_number(ctx, "id", TRAINING_ID_MAX, "course", &id) == NULL || training_course_load(ctx, id, 0, &c) < 0)
		return;
	portal_reply(ctx, 200, json_pack("{s:o}", "course", training_course_json(c)));
	json_decref(c);
}

void training_course_new_page(portal_ctx *ctx)
{
	portal_reply(ctx, 200, training_course_page(ctx, NULL, json_object()));
}

void training_course_edit_page(portal_ctx *ctx)
{
	long long id;
	json_t *c = NULL;

	if (portal_path_number(ctx, "id", TRAINING_ID_MAX, "course", &id) == NULL || training_course_load(ctx, id, 1, &c) < 0)
		return;
	portal_reply(ctx, 200, training_course_page(ctx, c, training_course_form_values(c)));
	json_decref(c);
}

void training_course_update(portal_ctx *ctx)
{
	long long id;
	json_t *c = NULL, *v = NULL, *errors = NULL, *after = NULL;

	if (portal_path_number(ctx, "id", TRAINING_ID_MAX, "course", &id) == NULL)
		return;
	if (portal_validate(ctx->req.body, training_course_fields, &v, &errors) < 0) {
		json_t *data = NULL;
		json_decref(v);
		/* the page needs the course to name it; a refusal answers instead */
		if (!ctx->req.is_api) {
			if (training_course_load(ctx, id, 1, &c) < 0) {
				json_decref(errors);
				return;
			}
			data = training_course_page(ctx, c, NULL);
			json_decref(c);
		}
		portal_reply_invalid(ctx, errors, data);
		return;
	}
	if (training_course_load(ctx, id, 1, &c) == 0 &&
	    training_course_write(ctx, portal_json_text(c, "id"), v, portal_json_text(c, "agency_id"), &after) == 0) {
		portal_audit(ctx, "training_course_updated", NULL, json_pack("{s:s}", "course_id", portal_json_text(c, "id")));
		portal_reply_done(ctx, 200, "course", training_course_json(after), "/training/courses?done=course-changed");
	}
	json_decref(after);
	json_decref(c);
	json_decref(v);
}
