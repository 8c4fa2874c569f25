/* fuzz_directory_import.c - libFuzzer target: the directory's readers of
 * untrusted Open Referral input.  The fuzzer's bytes are parsed as a JSON
 * body (as the import route gets it) and every "services" item of every
 * "organizations" entry goes through directory_hsds_service_input and
 * directory_service_validate; a valid service is indexed and mapped back to
 * HSDS, which must map to the same service again (the round trip the
 * export/import promises).  The opening-hours parser gets the raw bytes too.
 */
#include "parse.h"

#include "directory_sources.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void fuzz_directory_one(const json_t *hsds, const json_t *communities)
{
	char err[200];
	json_t *in = directory_hsds_service_input(hsds, err, sizeof(err)), *svc = NULL, *errors = NULL;
	portal_buf fac, ix;

	if (in == NULL)
		return;
	json_object_set_new(in, "organisation_id", json_string("d0000000-0000-4000-8000-000000000001"));
	if (directory_service_validate(in, communities, NULL, &svc, &errors) == 0) {
		json_t *h, *in2, *svc2 = NULL, *errors2 = NULL;
		json_object_set_new(svc, "id", json_string("5e000000-0000-4000-8000-000000000001"));
		portal_buf_init(&fac, 0);
		portal_buf_init(&ix, 0);
		if (directory_service_index(svc, &fac, &ix) < 0)
			abort();
		portal_buf_free(&fac);
		portal_buf_free(&ix);
		h = directory_hsds_service(svc, NULL);
		in2 = directory_hsds_service_input(h, err, sizeof(err));
		json_object_set_new(in2, "organisation_id", json_string("d0000000-0000-4000-8000-000000000001"));
		if (directory_service_validate(in2, communities, NULL, &svc2, &errors2) < 0)
			abort();  /* what we export must import */
		json_object_set_new(svc2, "id", json_string("5e000000-0000-4000-8000-000000000001"));
		if (!json_equal(svc, svc2))
			abort();
		json_decref(svc2);
		json_decref(in2);
		json_decref(h);
		json_decref(svc);
	} else {
		if (json_object_size(errors) == 0)
			abort();  /* a refusal says what to fix */
		json_decref(errors);
	}
	json_decref(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	portal_limits lim = portal_default_limits;
	portal_parse_error perr;
	json_t *body = NULL, *communities, *org, *svc;
	directory_hours hours;
	char err[200], *text;
	size_t i, j;

	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (strlen(text) == size)
		(void)directory_hours_parse(text, &hours, err, sizeof(err));
	free(text);
	lim.max_body = 1024 * 1024;
	lim.max_fields = 16384;
	if (portal_parse_json_body((const char *)data, size, &lim, &body, &perr) < 0)
		return 0;
	communities = json_pack("{s:s, s:s}", "albanian", "Albanian", "romanian", "Romanian");
	json_array_foreach(json_object_get(body, "organizations"), i, org) {
		json_t *o = NULL, *oerr = NULL;
		if (directory_organisation_validate(org, NULL, &o, &oerr) == 0)
			json_decref(o);
		else
			json_decref(oerr);
		json_array_foreach(json_object_get(org, "services"), j, svc)
			fuzz_directory_one(svc, communities);
	}
	if (json_object_get(body, "organizations") == NULL)
		fuzz_directory_one(body, communities);
	json_decref(communities);
	json_decref(body);
	return 0;
}
