/* demo.c - `portal-beds --load-demo`: demo safehouses (code names only) for
 * the two demo NGOs and one closed hold, written through store.c (see
 * beds.h). */
#include "beds.h"

#include <stdio.h>

#include "jsonget.h"

/* One demo house: its agency, the fixed fields, beds and vacant beds. */
static const struct beds_demo {
	const char *agency, *aname, *doc, *beds, *vacant;
} beds_demo[] = {
	{ "demo-charity-a", "Demo Safehouse Charity A",
	  "{\"name\":\"Harbour House\",\"area\":\"tower-hamlets\",\"pre_nrm\":true,\"post_nrm\":true,\"dependants\":true,\"accessible\":false,\"staffed_24h\":true,\"languages\":[\"sq\",\"ro\",\"vi\"],\"referral_phone\":\"020 7946 0101\",\"referral_hours\":\"24 hours\"}",
	  "{\"women\":6,\"men\":0,\"trans_non_binary\":2}", "{\"women\":3,\"trans_non_binary\":1}" },
	{ "demo-charity-a", "Demo Safehouse Charity A",
	  "{\"name\":\"Lantern House\",\"area\":\"newham\",\"pre_nrm\":true,\"post_nrm\":false,\"dependants\":false,\"accessible\":true,\"staffed_24h\":false,\"languages\":[\"pl\",\"ro\"],\"referral_phone\":\"020 7946 0102\",\"referral_hours\":\"Monday to Friday, 9am to 6pm\"}",
	  "{\"women\":0,\"men\":4,\"trans_non_binary\":0}", "{\"men\":2}" },
	{ "demo-charity-b", "Demo Advocacy Charity B",
	  "{\"name\":\"Willow House\",\"area\":\"outside-london\",\"pre_nrm\":false,\"post_nrm\":true,\"dependants\":true,\"accessible\":true,\"staffed_24h\":true,\"languages\":[\"ti\",\"ar\"],\"referral_phone\":\"020 7946 0103\",\"referral_hours\":\"24 hours\"}",
	  "{\"women\":4,\"men\":0,\"trans_non_binary\":0}", "{\"women\":1}" },
};

/* Save demo house d and set its vacant beds; its id into id[24].  Returns
 * 0 or -1. */
static int beds_demo_house(portal_store *st, const struct beds_demo *d, char *id)
{
	json_t *doc = json_loads(d->doc, 0, NULL), *beds = json_loads(d->beds, 0, NULL);
	beds_answer a;
	int ok;

	beds_store_safehouse_save(st, "", d->agency, d->aname, doc, beds, "demo", &a);
	json_decref(doc);
	json_decref(beds);
	ok = beds_answer_ok(&a);
	snprintf(id, 24, "%lld", portal_json_num(json_object_get(a.data, "house"), "id"));
	beds_answer_free(&a);
	if (!ok)
		return -1;
	beds_store_vacancies_set(st, id, d->agency, "demo", d->vacant, &a);
	ok = beds_answer_ok(&a);
	beds_answer_free(&a);
	return ok ? 0 : -1;
}

/* A closed hold (issue 18): responder.police held a women's bed at house
 * `house` (Harbour House, demo-charity-a's) and ngo.a accepted it, so
 * the demo NGO can say what happened.  Returns 0 or -1. */
static int beds_demo_hold(portal_store *st, const char *house)
{
	beds_hold_request req = { .safehouse = house, .group = "women", .responder = "responder.police",
		.responder_agency = "met-police", .responder_name = "Priya Shah",
		.responder_agency_name = "Metropolitan Police Service", .responder_agency_type = "police",
		.responder_unit = "north-east", .reference = "MPS-DEMO-0001", .callback_phone = "020 7946 0000",
		.idempotency_key = "", .minutes = BEDS_HOLD_MINUTES_DEFAULT };
	beds_hold_action act = { .action = "accept", .actor = "ngo.a", .agency = "demo-charity-a", .reason = "",
		.minutes = BEDS_HOLD_MINUTES_DEFAULT };
	char id[24];
	beds_answer a;
	int ok;

	beds_store_hold_place(st, &req, &a);
	ok = beds_answer_ok(&a);
	snprintf(id, sizeof(id), "%lld", portal_json_num(json_object_get(a.data, "hold"), "id"));
	beds_answer_free(&a);
	if (!ok)
		return -1;
	act.hold = id;
	beds_store_hold_act(st, &act, &a);
	ok = beds_answer_ok(&a);
	beds_answer_free(&a);
	return ok ? 0 : -1;
}

int beds_load_demo(portal_store *st, const portal_config *cfg, char *err, size_t errlen)
{
	char first[24], other[24];
	long long n;
	size_t i;

	(void)cfg;
	beds_migrate(st);  /* data of an older version first: it is kept, and searchable */
	if (beds_store_safehouse_count(st, &n) < 0) {
		snprintf(err, errlen, "Redis could not be reached");
		return -1;
	}
	if (n > 0)
		return 0;  /* there already: keep it */
	for (i = 0; i < BEDS_COUNT(beds_demo); i++)
		if (beds_demo_house(st, &beds_demo[i], i == 0 ? first : other) < 0) {
			snprintf(err, errlen, "demo safehouse %zu not saved", i);
			return -1;
		}
	if (beds_demo_hold(st, first) < 0) {
		snprintf(err, errlen, "the demo closed hold was not saved");
		return -1;
	}
	return 0;
}
