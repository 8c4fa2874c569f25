/* demo.c - fictional demo organisations and services, and the generator
 * of N services for tests and benchmarks (see demo.h). */
#include "directory.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "reference.h"

/* The coordinator-managed communities the demo starts with. */
static const directory_code directory_demo_communities[] = {
	{ "albanian", "Albanian" }, { "vietnamese", "Vietnamese" }, { "eritrean", "Eritrean" },
	{ "romanian", "Romanian" }, { "polish", "Polish" }, { "nigerian", "Nigerian" },
	{ "latin-american", "Latin American" }, { "gypsy-roma-traveller", "Gypsy, Roma and Traveller" },
	{ "chinese", "Chinese" }, { "lithuanian", "Lithuanian" }, { NULL, NULL },
};

/* One demo organisation with one service.  Lists are comma-separated. */
struct directory_demo {
	const char *agency, *org, *org_desc;
	const char *svc, *desc, *types, *exploitation, *groups, *langs, *communities, *boroughs;
	const char *opening;
	int always_open;
	const char *referrers;
	int consent, nrm;
	const char *response;
};

static const struct directory_demo directory_demo_rows[] = {
	{ "demo-charity-a", "Demo Safehouse Charity A", "Safe accommodation and support for women survivors of trafficking across London.",
	  "Women's safehouse referrals (demo)", "Emergency safe accommodation for women survivors, with key workers and interpreters.",
	  "safe_accommodation,advocacy", "sexual,domestic_servitude,labour", "adults,women", "en,sq,ro,vi", "albanian,romanian,vietnamese", "london-wide",
	  "", 1, "police,first_responder", 1, 0, "Within 2 hours, day or night" },
	{ "demo-charity-b", "Demo Advocacy Charity B", "Independent modern slavery advocacy for adults and young people.",
	  "Modern slavery advocacy (IMSA) (demo)", "Independent advocates who stay with the survivor from first contact through the NRM and beyond.",
	  "advocacy", "sexual,labour,criminal,domestic_servitude,financial", "adults,young_people,men,women,trans_non_binary", "en,pl,lt,ro", "polish,lithuanian,romanian", "newham,tower-hamlets,hackney,waltham-forest",
	  "mon-fri 09:00-17:30", 0, "police,first_responder,self", 1, 0, "Next working day" },
	{ "demo-shqip-youth", "Demo Shqip Youth Project", "Albanian-speaking youth workers for young people at risk of exploitation.",
	  "Albanian youth outreach (demo)", "Albanian-speaking youth workers who meet young people at risk of county lines and criminal exploitation.",
	  "outreach,childrens_support", "criminal,labour", "children,young_people,men", "sq,en", "albanian", "newham,barking-and-dagenham,redbridge",
	  "mon-sat 10:00-20:00", 0, "police,first_responder", 1, 0, "Same day" },
	{ "demo-east-lines", "Demo East London Lines Project", "Support for children and young people drawn into county lines.",
	  "County lines rescue and response (demo)", "Specialist caseworkers for children exploited through county lines drug supply, working alongside police and children's services.",
	  "childrens_support,return_home_interviews,advocacy", "criminal", "children,young_people", "en,sq,so", "albanian", "newham,tower-hamlets,havering",
	  "mon-sun 08:00-22:00", 0, "police,first_responder", 0, 0, "Within 4 hours" },
	{ "demo-kosova-women", "Demo Kosova Women's Network", "Albanian and Kosovan women supporting survivors of sexual exploitation.",
	  "Albanian women's support (demo)", "Peer support and advocacy in Albanian for women survivors of sexual exploitation.",
	  "advocacy,mental_health", "sexual", "adults,women", "sq", "albanian", "newham,enfield,haringey",
	  "mon-fri 09:00-17:00", 0, "police,first_responder,self", 1, 0, "Within 2 working days" },
	{ "demo-viet-link", "Demo Viet Link", "Vietnamese community support for survivors of labour exploitation in nail bars and cannabis farms.",
	  "Vietnamese casework (demo)", "Vietnamese-speaking caseworkers for survivors of labour and criminal exploitation, including cannabis cultivation.",
	  "advocacy,interpreting", "labour,criminal", "children,young_people,adults", "vi,en", "vietnamese", "lewisham,southwark,greenwich,lambeth",
	  "mon-fri 10:00-18:00", 0, "police,first_responder,self", 1, 0, "Next working day" },
	{ "demo-eritrea-care", "Demo Eritrean Community Care", "Tigrinya- and Amharic-speaking support for survivors.",
	  "Eritrean community support (demo)", "Tigrinya and Amharic speakers supporting survivors through housing, health and the asylum process.",
	  "advocacy,outreach", "labour,domestic_servitude", "adults,women,men", "ti,am,ar", "eritrean", "islington,camden,westminster",
	  "tue-sat 10:00-16:00", 0, "first_responder,self", 1, 0, "Within 3 working days" },
	{ "demo-romani-rights", "Demo Romani Rights", "Roma-led advocacy for Gypsy, Roma and Traveller communities.",
	  "Roma-led advocacy (demo)", "Roma-led advocates supporting survivors of labour and financial exploitation, in Romanian and Romani.",
	  "advocacy,employment_training", "labour,financial", "adults,men,women", "ro,en", "gypsy-roma-traveller,romanian", "brent,ealing,harrow",
	  "mon-fri 09:30-17:00", 0, "police,first_responder,self", 1, 0, "Within 2 working days" },
	{ "demo-polska-help", "Demo Polska Help", "Polish-speaking support for workers exploited in construction and warehousing.",
	  "Polish workers' support (demo)", "Polish-speaking advisers for survivors of labour exploitation, debt bondage and benefit fraud.",
	  "advocacy,employment_training", "labour,financial", "adults,men", "pl,en", "polish", "ealing,hounslow,hillingdon",
	  "mon-fri 08:00-16:00", 0, "police,first_responder,self", 0, 0, "Within 2 working days" },
	{ "demo-naija-safe", "Demo Naija Safe Space", "Nigerian-led support for survivors of sexual exploitation and domestic servitude.",
	  "Nigerian community support (demo)", "Culturally specialist support for Nigerian survivors of sexual exploitation and domestic servitude.",
	  "advocacy,mental_health", "sexual,domestic_servitude", "adults,women", "en,yo,ig", "nigerian", "southwark,lambeth,croydon",
	  "mon-fri 10:00-18:00; sat 10:00-14:00", 0, "police,first_responder,self", 1, 0, "Within 2 working days" },
	{ "demo-latina-red", "Demo Red Latina", "Spanish and Portuguese-speaking support for Latin American survivors.",
	  "Latin American women's service (demo)", "Spanish and Portuguese-speaking caseworkers for Latin American survivors of sexual and labour exploitation.",
	  "advocacy,legal_advice", "sexual,labour,domestic_servitude", "adults,women,trans_non_binary", "es,pt", "latin-american", "lambeth,southwark,islington",
	  "mon-thu 10:00-17:00", 0, "first_responder,self", 1, 0, "Within 3 working days" },
	{ "demo-legal-clinic", "Demo Trafficking Law Clinic", "Free legal advice for survivors: immigration, NRM decisions and compensation.",
	  "Immigration and NRM legal advice (demo)", "Solicitors advising survivors on NRM decisions, reconsiderations, immigration and compensation claims.",
	  "legal_advice", "sexual,labour,criminal,domestic_servitude,organ_harvesting,financial", "adults,young_people,children", "en,fr,ar", "", "london-wide",
	  "mon-fri 09:00-17:00", 0, "police,first_responder,self", 1, 0, "Within 5 working days" },
	{ "demo-therapy-space", "Demo Therapy Space", "Trauma-informed therapy for survivors.",
	  "Trauma therapy for survivors (demo)", "Trauma-informed therapy with interpreters, for adults and young people after exploitation.",
	  "mental_health", "sexual,labour,domestic_servitude,criminal", "adults,young_people", "en,ar,fa,ps", "", "camden,islington,hackney,haringey",
	  "mon-fri 09:00-19:00", 0, "first_responder,self", 1, 0, "Within 2 weeks" },
	{ "demo-interpreters", "Demo Community Interpreters", "Trained interpreters who understand trauma and trafficking.",
	  "Trauma-aware interpreting (demo)", "Interpreters trained in trauma and trafficking, for first contact, police interviews and NRM referrals.",
	  "interpreting", "", "adults,children,young_people", "sq,vi,ro,pl,ti,am,ar,es,pt,zh,lt,fa", "albanian,vietnamese,eritrean,chinese", "london-wide",
	  "", 1, "police,first_responder", 0, 0, "Within 1 hour" },
	{ "demo-helpline", "Demo Survivor Helpline", "A 24-hour helpline for survivors and the people who find them.",
	  "24-hour survivor helpline (demo)", "A free 24-hour helpline for survivors and for professionals who need advice on what to do next.",
	  "helpline", "sexual,labour,criminal,domestic_servitude,organ_harvesting,financial", "adults,young_people,children,women,men,trans_non_binary", "en,sq,ro,pl,vi,es", "", "london-wide",
	  "", 1, "police,first_responder,self", 0, 0, "Immediately" },
	{ "demo-child-first", "Demo Child First", "Independent child trafficking guardians.",
	  "Child trafficking guardians (demo)", "Independent guardians for trafficked children, who stay with the child through every agency.",
	  "childrens_support,advocacy", "sexual,criminal,labour,domestic_servitude", "children", "en,sq,vi,ar", "albanian,vietnamese", "newham,tower-hamlets,hackney,islington,camden",
	  "mon-fri 09:00-17:00", 0, "police,first_responder", 0, 0, "Same day" },
	{ "demo-return-home", "Demo Return Home Service", "Return home interviews for children who went missing.",
	  "Return home interviews (demo)", "Independent return home interviews for children after a missing episode, with follow-up on exploitation.",
	  "return_home_interviews,childrens_support", "criminal,sexual", "children", "en", "", "croydon,sutton,merton,kingston-upon-thames",
	  "mon-fri 09:00-18:00", 0, "police,first_responder", 0, 0, "Within 72 hours" },
	{ "demo-mens-house", "Demo Men's House", "Safe accommodation for men survivors of labour exploitation.",
	  "Men's safe accommodation (demo)", "Safe accommodation and support for men survivors of labour and criminal exploitation.",
	  "safe_accommodation", "labour,criminal", "adults,men", "en,pl,ro,lt", "polish,romanian,lithuanian", "london-wide",
	  "", 1, "police,first_responder", 1, 1, "Within 4 hours" },
	{ "demo-trans-refuge", "Demo Rainbow Refuge", "Safe accommodation for trans and non-binary survivors.",
	  "Trans and non-binary safe housing (demo)", "Safe accommodation and advocacy for trans and non-binary survivors of exploitation.",
	  "safe_accommodation,advocacy", "sexual,labour", "adults,trans_non_binary,young_people", "en,es,pt", "latin-american", "london-wide",
	  "", 1, "police,first_responder,self", 1, 0, "Within 24 hours" },
	{ "demo-work-futures", "Demo Work Futures", "Employment and training for survivors moving on.",
	  "Employment and training (demo)", "Courses, work placements and job coaching for survivors moving on from support.",
	  "employment_training", "labour,sexual,domestic_servitude", "adults,young_people", "en,ro,pl,sq", "", "tower-hamlets,newham,hackney,greenwich",
	  "mon-fri 09:30-16:30", 0, "first_responder,self", 1, 0, "Within 2 weeks" },
	{ "demo-outreach-west", "Demo West London Outreach", "Outreach at car washes, farms and building sites in west London.",
	  "West London labour outreach (demo)", "Outreach workers who visit car washes, farms and building sites, with information in many languages.",
	  "outreach", "labour", "adults,men", "ro,pl,sq,bg,lt", "romanian,polish,albanian", "hillingdon,hounslow,ealing,brent",
	  "tue-sat 07:00-15:00", 0, "police,first_responder,self", 0, 0, "Within a week" },
	{ "demo-domestic-work", "Demo Domestic Workers' Voice", "Support for domestic workers held in servitude.",
	  "Domestic workers' support (demo)", "Advice and advocacy for migrant domestic workers held in domestic servitude in private homes.",
	  "advocacy,legal_advice", "domestic_servitude,labour", "adults,women", "en,tl,hi,ar", "", "westminster,kensington-and-chelsea,camden",
	  "sun 10:00-16:00", 0, "first_responder,self", 1, 0, "Within a week" },
	{ "demo-chinese-support", "Demo Chinese Survivors Network", "Mandarin and Cantonese support for survivors.",
	  "Chinese-language support (demo)", "Mandarin and Cantonese-speaking support for survivors of sexual and labour exploitation.",
	  "advocacy,interpreting", "sexual,labour", "adults,women,men", "zh,en", "chinese", "westminster,camden,barnet",
	  "mon-fri 10:00-17:00", 0, "police,first_responder,self", 1, 0, "Within 2 working days" },
	{ "demo-money-advice", "Demo Money Advice for Survivors", "Debt and financial abuse advice.",
	  "Financial exploitation advice (demo)", "Help with debts, bank accounts opened in the survivor's name and benefit fraud.",
	  "legal_advice,other", "financial", "adults", "en,ro,pl", "", "london-wide",
	  "mon-fri 09:00-17:00", 0, "first_responder,self", 1, 0, "Within 5 working days" },
	{ "demo-south-youth", "Demo South London Youth Service", "Youth workers for young people at risk of county lines.",
	  "South London county lines youth work (demo)", "Youth workers supporting young people drawn into county lines and knife crime in south London.",
	  "outreach,childrens_support", "criminal", "children,young_people", "en,so,pt", "", "lambeth,southwark,lewisham,croydon",
	  "mon-fri 12:00-21:00", 0, "police,first_responder,self", 1, 0, "Within 48 hours" },
	{ "demo-health-link", "Demo Health Link", "Health navigators for survivors.",
	  "Survivor health navigation (demo)", "Navigators who help survivors register with a GP and reach sexual and mental health services.",
	  "mental_health,other", "sexual,labour,domestic_servitude,organ_harvesting", "adults,women,men", "en,ro,sq,vi", "", "city-of-london,tower-hamlets,islington",
	  "mon-fri 09:00-17:00", 0, "first_responder,self", 1, 0, "Within a week" },
	{ "demo-baltic-help", "Demo Baltic Help", "Lithuanian, Latvian and Russian-speaking support.",
	  "Baltic workers' advice (demo)", "Advice and advocacy in Lithuanian, Latvian and Russian for survivors of labour exploitation.",
	  "advocacy", "labour,financial", "adults,men", "lt,lv,ru", "lithuanian", "barking-and-dagenham,havering,bexley",
	  "mon-fri 10:00-16:00", 0, "police,first_responder,self", 1, 0, "Within 3 working days" },
	{ "demo-organ-awareness", "Demo Organ Trafficking Response", "Specialist advice on organ harvesting.",
	  "Organ harvesting specialist advice (demo)", "Specialist clinical and legal advice where organ harvesting is suspected, for professionals.",
	  "legal_advice,other", "organ_harvesting", "adults", "en,fa,ur", "", "london-wide",
	  "mon-fri 09:00-17:00", 0, "police,first_responder", 0, 1, "Same day" },
	{ "demo-north-youth", "Demo North London Youth Haven", "Supported housing for young people 18 to 25.",
	  "Supported housing for young people (demo)", "Supported housing for young survivors aged 18 to 25, with key workers.",
	  "safe_accommodation,childrens_support", "criminal,sexual,labour", "young_people", "en,sq,ti", "albanian,eritrean", "barnet,enfield,haringey",
	  "", 1, "first_responder", 1, 1, "Within 24 hours" },
	{ "demo-newham-hub", "Demo Newham Survivor Hub", "Drop-in hub for survivors in east London.",
	  "Newham drop-in hub (demo)", "A weekly drop-in with advocates, Albanian and Romanian interpreters and a GP, for survivors of any exploitation.",
	  "advocacy,outreach", "sexual,labour,domestic_servitude", "adults,men,women", "en,sq,ro", "albanian,romanian", "newham",
	  "wed 10:00-15:00", 0, "police,first_responder,self", 1, 0, "At the drop-in" },
};

#define DIRECTORY_DEMO_ROWS (sizeof(directory_demo_rows) / sizeof(directory_demo_rows[0]))

/* A JSON array of the comma-separated items of s. */
static json_t *directory_split(const char *s)
{
	json_t *a = json_array();
	const char *c;

	while (s && *s) {
		c = strchr(s, ',');
		json_array_append_new(a, c ? json_stringn(s, (size_t)(c - s)) : json_string(s));
		s = c ? c + 1 : s + strlen(s);
	}
	return a;
}

/* The service input of a demo row (API shape). */
static json_t *directory_demo_input(const struct directory_demo *d, const char *org_id)
{
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:b, s:s, s:s}, "
	                 "s:{s:[s, s, s], s:o, s:b, s:b, s:s, s:s}}",
	        "organisation_id", org_id, "name", d->svc, "description", d->desc,
	        "service_types", directory_split(d->types),
	        "exploitation_types", directory_split(d->exploitation),
	        "client_groups", directory_split(d->groups),
	        "languages", directory_split(d->langs),
	        "communities", directory_split(d->communities),
	        "boroughs", directory_split(d->boroughs),
	        "hours", "always_open", d->always_open, "opening", d->opening,
	        "out_of_hours", d->always_open ? "" : "Out of hours, call the 24-hour survivor helpline (demo) on 020 7946 0999.",
	        "how_to_refer",
	        "steps", "Check the person is safe now and ask what they need; believe them.",
	                 "Call the referral line to check there is space and agree the next step.",
	                 "Send the referral form with your own case reference only (no personal details by email).",
	        "referrers", directory_split(d->referrers),
	        "consent_needed", d->consent, "nrm_needed", d->nrm,
	        "contact", "Referral line 020 7946 0100 (demo), referrals@example.org",
	        "response_time", d->response);
}

json_t *directory_demo_communities_json(void)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; directory_demo_communities[i].code; i++)
		json_object_set_new(o, directory_demo_communities[i].code, json_string(directory_demo_communities[i].name));
	return o;
}

/* The day demo service i was last verified, as "YYYY-MM-DD" (London). */
static void directory_demo_verified(time_t now, size_t i, char *out, size_t len)
{
	long days = i % 9 == 4 ? 210 + (long)(i * 17 % 240) : (long)(i * 11 % 88) + 2;
	time_t t = now - (time_t)days * 86400;
	struct tm lt;

	localtime_r(&t, &lt);
	strftime(out, len, "%Y-%m-%d", &lt);
}

int directory_demo_build(json_t **orgs, json_t **services, char *err, size_t errlen)
{
	json_t *communities = directory_demo_communities_json(), *in, *svc, *errors;
	char org_id[37], svc_id[37], phone[32], verified[16];
	time_t now = time(NULL);
	size_t i;

	*orgs = json_array();
	*services = json_array();
	for (i = 0; i < DIRECTORY_DEMO_ROWS; i++) {
		const struct directory_demo *d = &directory_demo_rows[i];
		char name[160], desc[400];
		snprintf(org_id, sizeof(org_id), "d0000000-0000-4000-8000-%012zu", i + 1);
		snprintf(svc_id, sizeof(svc_id), "5e000000-0000-4000-8000-%012zu", i + 1);
		snprintf(phone, sizeof(phone), "020 7946 %04zu", 100 + i * 10);
		snprintf(name, sizeof(name), "%s (demo)", d->org);
		snprintf(desc, sizeof(desc), "%s Fictional demo organisation.", d->org_desc);
		json_array_append_new(*orgs, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
		        "id", org_id, "name", name, "description", desc,
		        "website", "https://example.org/", "email", "referrals@example.org",
		        "phone", phone, "agency_id", d->agency));
		in = directory_demo_input(d, org_id);
		if (directory_service_validate(in, communities, NULL, &svc, &errors) < 0) {
			char *e = json_dumps(errors, JSON_COMPACT);
			snprintf(err, errlen, "demo service %zu does not validate: %s", i, e ? e : "?");
			free(e);
			json_decref(errors);
			json_decref(in);
			json_decref(communities);
			return -1;
		}
		/* most verified in the last three months, a few (every ninth)
		 * stale: 7 to 15 months ago, to show the flag */
		directory_demo_verified(now, i, verified, sizeof(verified));
		directory_service_stamp(svc, svc_id, now, verified);
		json_array_append_new(*services, svc);
		json_decref(in);
	}
	json_decref(communities);
	return 0;
}

int directory_generate(size_t n, const char *tag, size_t first, json_t **orgs, json_t **services)
{
	static const char *const langs[] = { "sq", "ro", "pl", "vi", "en", "ti", "ar", "es", "pt", "lt", "zh", "fa" };
	static const char *const words[] = { "advocacy", "housing", "casework", "outreach", "advice", "support",
		"therapy", "interpreting", "guardians", "helpline", "training", "drop-in" };
	json_t *communities = directory_demo_communities_json(), *errors, *svc;
	char org_id[37], svc_id[37], ctag[64];
	time_t now = time(NULL);
	uint64_t x;
	size_t i, k;

	snprintf(ctag, sizeof(ctag), "gen-%s", tag);
	json_object_set_new(communities, ctag, json_string("generated"));
	*orgs = json_array();
	*services = json_array();
	directory_uuid_new(org_id);
	json_array_append_new(*orgs, json_pack("{s:s, s:s, s:s, s:s}", "id", org_id,
	        "name", "Generated services (demo)", "description",
	        "Services made up by the directory's generator for tests and benchmarks. Not real.",
	        "agency_id", "generated"));
	for (i = 0; i < n; i++) {
		json_t *lang = json_array(), *expl = json_array(), *bor = json_array(), *in;
		char name[120], desc[300];
		x = (first + i + 1) * 0x9e3779b97f4a7c15ULL;
		x ^= x >> 29;
		/* the first 25 of every set match the search (sq, criminal,
		 * newham); the rest never serve Newham, so a set of 100 and a set
		 * of 5,000 give that search the same 25 results over a larger index */
		int matching = first + i < 25;
		for (k = 0; k < 2; k++)
			json_array_append_new(lang, json_string(matching && k == 0 ? "sq" : langs[(x >> (k * 4)) % 12]));
		json_array_append_new(expl, json_string(matching ? "criminal" : directory_exploitation_types[(x >> 8) % 6].code));
		json_array_append_new(expl, json_string(directory_exploitation_types[(x >> 11) % 3 + 1].code));
		for (k = 0; k < 3; k++) {
			const char *b = portal_london_areas[(x >> (14 + k * 6)) % portal_london_areas_count].code;
			if (strcmp(b, "newham") == 0)
				b = "hackney";
			json_array_append_new(bor, json_string(matching && k == 0 ? "newham" : b));
		}
		snprintf(name, sizeof(name), "Generated %s %zu (demo)", words[(x >> 32) % 12], first + i + 1);
		snprintf(desc, sizeof(desc), "Generated service %zu for tests: %s and %s, not a real service.",
		         first + i + 1, words[(x >> 36) % 12], words[(x >> 40) % 12]);
		in = json_pack("{s:s, s:s, s:s, s:[s], s:o, s:[s], s:o, s:[s], s:o, s:{s:b, s:s}, s:{s:[s], s:[s], s:s}}",
		        "organisation_id", org_id, "name", name, "description", desc,
		        "service_types", directory_service_types[(x >> 44) % 11].code,
		        "exploitation_types", expl,
		        "client_groups", directory_client_groups[(x >> 48) % 6].code,
		        "languages", lang, "communities", ctag, "boroughs", bor,
		        "hours", "always_open", ((x >> 52) % 5) == 0, "opening", "mon-fri 09:00-17:00",
		        "how_to_refer", "steps", "Call the referral line (demo).", "referrers", "first_responder",
		        "contact", "020 7946 0500 (demo)");
		if (in == NULL || directory_service_validate(in, communities, NULL, &svc, &errors) < 0) {
			json_decref(errors);
			json_decref(in);
			json_decref(communities);
			return -1;
		}
		json_decref(in);
		directory_uuid_new(svc_id);
		directory_service_stamp(svc, svc_id, now, NULL);
		json_array_append_new(*services, svc);
	}
	json_decref(communities);
	return 0;
}

/* --load-demo: the demo organisations, services, communities and pathways,
 * unless the directory already holds organisations. */
int directory_load_demo(portal_store *st, const portal_config *cfg, char *err, size_t errlen)
{
	json_t *orgs = NULL, *services = NULL, *communities = NULL, *v;
	const char *code;
	long long norgs = 0;
	int rc = -1;

	(void)cfg;
	if (directory_migrate(st) < 0 || directory_store_org_count(st, &norgs) < 0) {
		snprintf(err, errlen, "the store cannot be reached");
		goto fail;
	}
	if (norgs > 0) {
		rc = 0;
		goto fail;
	}
	communities = directory_demo_communities_json();
	json_object_foreach(communities, code, v)
		if (directory_store_put(st, "community", NULL, code, v) < 0) {
			snprintf(err, errlen, "the store cannot be reached");
			goto fail;
		}
	if (directory_pathways_demo(st, err, errlen) < 0)
		goto fail;
	if (directory_demo_build(&orgs, &services, err, errlen) < 0)
		goto fail;
	if (directory_store_apply(st, NULL, 0, orgs, services, err, errlen) < 0)
		goto fail;
	rc = 0;
fail:
	json_decref(orgs);
	json_decref(services);
	json_decref(communities);
	return rc;
}
