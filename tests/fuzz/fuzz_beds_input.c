/* fuzz_beds_input.c - the beds module's parsers of untrusted input: a
 * safehouse body (flattened for validation), a stored safehouse document
 * turned into its view, phone numbers and Idempotency-Keys.  fields.c and
 * views.c are compiled into the target. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../modules/beds/fields.c"
#include "../../modules/beds/views.c"
#include "phone.h"

/* Every beds table on `body` (a JSON object or NULL): the phone numbers
 * a table takes are the one phone rule's. */
static void beds_fuzz_tables(const json_t *body)
{
	const char *s;
	json_t *valid, *errors;
	int f;

	for (f = BEDS_FIELDS_SEARCH; f <= BEDS_FIELDS_REPORT; f++) {
		valid = errors = NULL;
		if (portal_validate(body, beds_fields_of((beds_form)f), &valid, &errors) == 0 && errors != NULL)
			abort();
		if ((s = json_string_value(json_object_get(valid, "callback_phone"))) && !portal_phone_ok(s))
			abort();
		if ((s = json_string_value(json_object_get(valid, "referral_phone"))) && !portal_phone_ok(s))
			abort();
		json_decref(valid);
		json_decref(errors);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	json_t *body, *in, *raw, *view;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	(void)portal_phone_ok(s);
	(void)beds_idempotency_key_ok(s);
	body = json_loadb((const char *)data, size, 0, NULL);
	beds_fuzz_tables(body);
	in = beds_safehouse_input(body);
	json_decref(in);
	/* the same bytes as a stored document and as group state */
	raw = json_pack("{s:i, s:s, s:s, s:s, s:O*}", "id", 1, "agency", "a", "agency_name", "A",
	                "doc", s, "groups", json_object_get(body, "groups"));
	if (raw) {
		view = beds_house_view(raw, 1700000000, beds_config_get());
		json_decref(view);
		json_decref(raw);
	}
	if (body) {
		json_t *rep = beds_report(body);
		/* the same bytes as a house's details: its search card and index
		 * sets (what safehouse_save and the migration store) */
		char *card = beds_house_card(body, "a", "A"), *index = beds_house_index(body, json_object_get(body, "groups"));
		json_decref(rep);
		free(card);
		free(index);
	}
	json_decref(body);
	free(s);
	return 0;
}
