/* fuzz_training_input.c - libFuzzer target: the training module's parsers
 * of untrusted input (modules/training/fields.c): the booking id
 * from the path, the seats set aside from a JSON body, and the session
 * table (London times, the joining link) with the rules across its fields,
 * and the confidence values of feedback.
 *
 * Beyond "no crash, no leak" it checks the promises: an accepted booking id
 * has both numbers in 1..10^12, and accepted seats are each in 0..capacity
 * and sum to at most the capacity; a validated session's times parse, its
 * joining link is https.
 */
#include "../../modules/training/fields.c"

#include <stdint.h>

/* libFuzzer's start-up: London time, as portal_main sets it. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	portal_clock_init();
	return 0;
}

/* The session table and its rules on `in` (the API body, or a form's
 * fields as training_session_form_input makes them). */
static void training_fuzz_session(const json_t *in)
{
	json_t *form = training_session_form_input(in), *v = NULL, *errors = NULL;
	training_session_input si;
	const char *link;
	time_t t;

	portal_validate(form, training_session_fields, &v, &errors);
	if (v == NULL)
		abort();
	training_session_rules(form, v, 1700000000, &errors, &si);
	if (json_object_get(v, "starts_at") && portal_time_parse(portal_json_text(v, "starts_at"), &t) < 0)
		abort();
	link = portal_json_text(v, "join_link");
	if (link[0] && strncasecmp(link, "https://", 8) != 0)
		abort();
	json_decref(v);
	json_decref(errors);
	json_decref(form);
}

/* Feedback on a course of three outcomes (the API's arrays, a page's
 * radios): when nothing is wrong every value is 1..5; else a message. */
static void training_fuzz_feedback(const json_t *in)
{
	json_t *outcomes = json_pack("[s, s, s]", "One", "Two", "Three"), *errors;
	training_feedback_input fb;
	int api;
	size_t i;

	for (api = 0; api < 2; api++) {
		errors = NULL;
		training_feedback_rules(in, outcomes, api, &errors, &fb);
		for (i = 0; errors == NULL && i < fb.outcomes; i++)
			if (fb.before[i] < 1 || fb.before[i] > 5 || fb.after[i] < 1 || fb.after[i] > 5)
				abort();
		json_decref(errors);
	}
	json_decref(outcomes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	long long s, n, seats[TRAINING_AGENCY_TYPE_COUNT], sum = 0, cap;
	char msg[200];
	json_t *in;
	size_t i;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (training_parse_booking_id(text, &s, &n) == 0 &&
	    (s < 1 || n < 1 || s > TRAINING_ID_MAX || n > TRAINING_ID_MAX))
		abort();
	cap = size ? (long long)(data[0] % 40) : 10;
	in = json_loadb(text, size, JSON_DECODE_ANY, NULL);
	if (in) {
		json_t *wrapped = json_is_object(in) ? json_pack("{s:O}", "agency_seats", in) : NULL;
		const json_t *tries[2] = { in, wrapped };
		size_t t;
		for (t = 0; t < 2; t++) {
			if (tries[t] == NULL)
				continue;
			if (training_parse_agency_seats(tries[t], cap, seats, msg, sizeof(msg)) == 0) {
				for (sum = 0, i = 0; i < TRAINING_AGENCY_TYPE_COUNT; i++) {
					if (seats[i] < 0 || (cap > 0 && seats[i] > cap))
						abort();
					sum += seats[i];
				}
				if (cap > 0 && sum > cap)
					abort();
			} else if (msg[0] == '\0')
				abort();
		}
		training_fuzz_session(in);
		training_fuzz_feedback(in);
		json_decref(wrapped);
		json_decref(in);
	}
	free(text);
	return 0;
}
