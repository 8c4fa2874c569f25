/* training_forms.h - the trainers' and coordinators' page forms: turning
 * what a person typed (date and time parts in London time, a checkbox,
 * seat counts) into the same input the JSON API takes, and a stored course
 * or session back into form values (training_forms.c).  Pure functions:
 * no Redis, no request.
 */
#ifndef TRAINING_FORMS_H
#define TRAINING_FORMS_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

/* The session times a form asks for, as date + time parts named
 * "<name>_day", "<name>_month", "<name>_year", "<name>_time". */
#define TRAINING_FORM_STARTS  "starts_at"
#define TRAINING_FORM_ENDS    "ends_at"
#define TRAINING_FORM_CLOSES  "booking_closes_at"

/* Read the date and time parts of `name` from `form` (strings; day 1-31,
 * month 1-12, year 2000-2100, time "9:30", "09:30" or "09.30" on the
 * 24-hour clock) as a London local time.  Returns 0 with *t set; 1 when
 * every part is blank or absent; -1 with a message in msg saying what to
 * fix (a part missing, not a number, not a real date, or a time the clocks
 * skip).  `what` names the time in messages ("the session starts"). */
int training_form_time(const json_t *form, const char *name, const char *what,
                       time_t *t, char *msg, size_t msglen);

/* The API input for a session form: a new object holding `form`'s fields,
 * plus starts_at, ends_at and booking_closes_at as RFC 3339 text ("" when
 * blank or wrong) and "online" false when the box was not ticked; any
 * "agency_seats" a form sent is dropped (forms use seats_<type>).  Adds a
 * message per wrong or missing time to *errors (created when needed), keyed
 * by the API field name so the page links to the day input of that time.
 * Returns NULL only when out of memory. */
json_t *training_session_form_input(const json_t *form, json_t **errors);

/* Form values for a stored session hash (new object): the date and time
 * parts of each time in London (booking close left blank when it is the
 * start), venue, online (true or absent), join_link, capacity and
 * seats_<type> as text. */
json_t *training_session_form_values(const json_t *session);

/* Form values for a stored course hash (new object of strings). */
json_t *training_course_form_values(const json_t *course);

/* The seat fields of a session form (new array, one per agency type):
 * {"name":"seats_police","id":"agency_seats" for the first else the name,
 * "label","value"} with each value taken from `form` (typed or stored). */
json_t *training_seat_fields(const json_t *form);

/* Put every message of `over` into `errors` (replacing what a field had),
 * so a page's own wording wins over the API's for the same field. */
void training_errors_override(json_t *errors, const json_t *over);

#endif
