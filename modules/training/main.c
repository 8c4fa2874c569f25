/* portal-training: multi-agency First Responder training sign-up.
 *
 * Courses, sessions with seats set aside per agency type, booking with a
 * waitlist and promotion, "My training", the iCalendar file, rosters and
 * attendance, the coordinator's uptake report.  This file is the route table
 * and the app; the module's shape is described in training.h.
 */
#include "training.h"

#define STAFF TRAINING_STAFF
#define ANY   PORTAL_ROLE_ANY
#define COORD PORTAL_ROLE_COORDINATOR
#define API   "/api/v1/training"

/* Each handler once: its page and its API call.  The first match wins:
 * /training/sessions/new before {id}. */
static const portal_route training_routes[] = {
	{ PORTAL_NONE, { "GET", "/api/v1/health" }, portal_health, PORTAL_PUBLIC, NULL, "Whether the portal is working", 0, "200 common/schemas/health.json; 503 common/schemas/health.json", NULL },
	{ { "GET", "/training/" }, { "GET", API "/sessions" }, training_sessions_list, ANY, "sessions", "Training sessions", 0, "200 sessions", &training_sessions_query_fields },
	{ { "GET", "/training/courses" }, { "GET", API "/courses" }, training_courses_list, ANY, "courses", "Training courses", 0, "200 courses", &training_list_query_fields },
	{ { "POST", "/training/courses" }, { "POST", API "/courses" }, training_course_create, STAFF, "course_form", "Add a course", 16384, "201 course-answer", &training_course_fields },
	{ PORTAL_NONE, { "GET", API "/courses/{id}" }, training_course_get, ANY, NULL, "A training course", 0, "200 course-answer", NULL },
	{ { "POST", "/training/courses/{id}" }, { "PUT", API "/courses/{id}" }, training_course_update, STAFF, "course_form", "Change a course", 16384, "200 course-answer", &training_course_fields },
	{ { "GET", "/training/courses/new" }, PORTAL_NONE, training_course_new_page, STAFF, "course_form", "Add a course", 0, NULL, NULL },
	{ { "GET", "/training/courses/{id}/edit" }, PORTAL_NONE, training_course_edit_page, STAFF, "course_form", "Change a course", 0, NULL, NULL },
	{ { "GET", "/training/sessions/new" }, PORTAL_NONE, training_session_new_page, STAFF, "session_form", "Add a session", 0, NULL, NULL },
	{ { "POST", "/training/sessions" }, { "POST", API "/sessions" }, training_session_create, STAFF, "session_form", "Add a session", 8192, "201 session-answer", &training_session_fields },
	{ { "GET", "/training/sessions/{id}" }, { "GET", API "/sessions/{id}" }, training_session_get, ANY, "session", "Training session", 0, "200 session-page", NULL },
	{ { "POST", "/training/sessions/{id}" }, { "PUT", API "/sessions/{id}" }, training_session_update, STAFF, "session_form", "Change a session", 8192, "200 session-answer", &training_session_fields },
	{ { "GET", "/training/sessions/{id}/edit" }, PORTAL_NONE, training_session_edit_page, STAFF, "session_form", "Change a session", 0, NULL, NULL },
	{ { "GET", "/training/sessions/{id}/cancel" }, PORTAL_NONE, training_session_cancel_page, STAFF, "session_cancel", "Cancel a session", 0, NULL, NULL },
	{ { "POST", "/training/sessions/{id}/cancel" }, { "POST", API "/sessions/{id}/cancel" }, training_session_cancel, STAFF, "session_cancel", "Cancel a session", 1024, "200 session-answer", NULL },
	{ { "POST", "/training/sessions/{id}/book" }, { "POST", API "/sessions/{id}/bookings" }, training_book, ANY, "session", "Training session", 1024, "201 booking-answer", NULL },
	{ { "GET", "/training/sessions/{id}/roster" }, { "GET", API "/sessions/{id}/roster" }, training_roster, STAFF, "roster", "Session roster", 0, "200 roster", &training_list_query_fields },
	{ { "GET", "/training/sessions/{id}/roster.csv" }, { "GET", API "/sessions/{id}/roster.csv" }, training_roster_csv_get, STAFF, NULL, "Session roster, as a spreadsheet (CSV)", 0, "200 text/csv", NULL },
	{ { "POST", "/training/sessions/{id}/attendance/{booking_id}" }, { "PUT", API "/sessions/{id}/attendance/{booking_id}" }, training_attendance, STAFF, "roster", "Session roster", 1024, "200 booking-answer", &training_attendance_fields },
	{ { "GET", "/training/my" }, { "GET", API "/bookings" }, training_my_bookings, ANY, "my", "My training", 0, "200 my", &training_list_query_fields },
	{ PORTAL_NONE, { "GET", API "/bookings/{id}" }, training_booking_get, ANY, NULL, "A booking", 0, "200 booking-answer", NULL },
	{ { "POST", "/training/bookings/{id}/cancel" }, { "DELETE", API "/bookings/{id}" }, training_booking_cancel, ANY, "my", "My training", 1024, "204", NULL },
	{ { "POST", "/training/bookings/{id}/notice/dismiss" }, { "POST", API "/bookings/{id}/notice/dismiss" }, training_notice_dismiss, ANY, "my", "My training", 1024, "204", NULL },
	{ { "GET", "/training/bookings/{id}/calendar.ics" }, { "GET", API "/bookings/{id}/calendar.ics" }, training_booking_calendar, ANY, NULL, "A booking, as a calendar file (iCalendar)", 0, "200 text/calendar", NULL },
	{ { "GET", "/training/bookings/{id}/feedback" }, PORTAL_NONE, training_feedback_form, ANY, "feedback_form", "Tell us how the session went", 0, NULL, NULL },
	{ { "POST", "/training/bookings/{id}/feedback" }, { "POST", API "/bookings/{id}/feedback" }, training_feedback_give, ANY, "feedback_form", "Tell us how the session went", 16384, "201 feedback-answer; 200 feedback-answer", &training_feedback_fields },
	{ { "GET", "/training/bookings/{id}/feedback/given" }, { "GET", API "/bookings/{id}/feedback" }, training_feedback_get, ANY, "feedback", "Your feedback", 0, "200 feedback-answer", NULL },
	{ { "GET", "/training/sessions/{id}/feedback" }, { "GET", API "/sessions/{id}/feedback" }, training_session_feedback, STAFF, "session_feedback", "Session feedback", 0, "200 session-feedback", NULL },
	{ PORTAL_NONE, { "GET", API "/record" }, training_record, ANY, NULL, "My training record", 0, "200 record", NULL },
	{ { "GET", "/training/reports/uptake" }, { "GET", API "/reports/uptake" }, training_uptake, COORD, "uptake", "Training uptake", 0, "200 uptake", &training_uptake_query_fields },
	{ { "GET", "/training/reports/uptake.csv" }, { "GET", API "/reports/uptake.csv" }, training_uptake_csv_get, COORD, NULL, "Training uptake, as a spreadsheet (CSV)", 0, "200 text/csv", &training_uptake_query_fields },
};

static const portal_app training_app = {
	.codes = &training_error_codes,
	.name = "training", .load_demo = training_load_demo,
	.routes = training_routes, .nroutes = sizeof(training_routes) / sizeof(training_routes[0]),
	.scripts = training_scripts, .nscripts = TRAINING_SCRIPT_COUNT,
	.events = (const char *const[TRAINING_EV_COUNT]){
		"booking_confirmed", "booking_waitlisted", "booking_promoted", "booking_cancelled" },
	.nevents = TRAINING_EV_COUNT,
};

/* The module's entry point: the data version first (migrate.c), then the
 * shared server. */
int main(int argc, char **argv)
{
	training_migrate_at_start(argc, argv);
	return portal_main(&training_app, argc, argv);
}
