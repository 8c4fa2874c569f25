/* fuzz_monitoring_input.c - the monitoring module's parsers of untrusted
 * input: a form's list of other forms of a term (split at commas and line
 * ends), every field table on a body, and a stored text (its exploitation
 * types as JSON text, its tags as ids joined by commas) turned into its
 * view.  fields.c and views.c are compiled into the target. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../modules/monitoring/fields.c"
#include "../../modules/monitoring/views.c"

/* Every field table on `body`: a table that says all is right answers no
 * errors, and a kept observation never carries personal data. */
static void monitoring_fuzz_tables(const json_t *body)
{
	json_t *valid, *errors;
	char msg[256];
	int f;

	for (f = 0; f < MONITORING_FIELDS_COUNT; f++) {
		valid = errors = NULL;
		if (portal_validate(body, monitoring_fields[f], &valid, &errors) == 0 && errors != NULL)
			abort();
		if (f == MONITORING_FIELDS_OBSERVATION && errors == NULL &&
		    portal_check_no_personal_data(json_object_get(valid, "text"), msg, sizeof(msg)) != 0)
			abort();
		json_decref(valid);
		json_decref(errors);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	json_t *list, *body, *raw, *view, *themes, *v;
	size_t i;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	list = monitoring_split_list(s);
	json_array_foreach(list, i, v)
		if (json_string_length(v) == 0 || strpbrk(json_string_value(v), ",\n") != NULL)
			abort();
	json_decref(list);
	body = json_loadb((const char *)data, size, 0, NULL);
	monitoring_fuzz_tables(body);
	/* the same bytes as a stored text's types and tags */
	themes = json_pack("{s:s, s:s}", "1", "One", "12", "Twelve");
	raw = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", "1", "text", "t", "borough", s, "types", s,
	                "agency_type", s, "created_at", s, "tags", s);
	if (raw) {
		view = json_pack("[o]", monitoring_text_view(raw, themes, 1700000000));
		list = monitoring_theme_counts(themes, view);
		json_decref(list);
		json_decref(view);
		json_decref(raw);
	}
	json_decref(themes);
	json_decref(body);
	free(s);
	return 0;
}
