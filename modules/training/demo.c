/* demo.c - `portal-training --load-demo`: four courses and one upcoming
 * session each, once (a marker key makes it idempotent), written through
 * the same store calls the handlers use. */
#include "training.h"

#include <stdio.h>
#include <string.h>

#include "jsonget.h"

static const struct {
	const char *title, *summary, *description, *audience, *org, *agency;
	int minutes, days;
} training_demo_courses[] = {
	{ "First Responder duties and the NRM", "What a First Responder does, and how to make a National Referral Mechanism referral.",
	  "Indicators of modern slavery, the duty to notify, consent, the NRM referral step by step, and what happens to the person after.",
	  "Police, local authority and health First Responders", "Demo Advocacy Charity B", "demo-charity-b", 180, 10 },
	{ "Trauma-informed first contact", "How to speak with victims and survivors so that they feel safe and believed.",
	  "Believe first; trauma responses; safe spaces; interpreters; what not to ask.", "Anyone who meets victims and survivors",
	  "Demo Advocacy Charity B", "demo-charity-b", 150, 3 },
	{ "Child criminal exploitation and county lines", "Spotting children exploited by county lines networks, and the referral route for children.",
	  "Indicators, the child NRM route, safeguarding partners, and working with families.", "Police, local authority, health",
	  "Demo Safehouse Charity A", "demo-charity-a", 180, 24 },
	{ "Language matters: talking with victims", "Words that help, words that harm: plain, respectful language in every contact.",
	  "Victims and survivors, never claims; using interpreters well; recording without judgement.", "All partners",
	  "Demo Advocacy Charity B", "demo-charity-b", 90, 45 },
};

/* Add demo course i and its session (at 09:30 London time, `days` ahead
 * of `base`).  Returns 0, or -1 with a message in err. */
static int training_demo_one(portal_store *store, size_t i, time_t base, char *err, size_t errlen)
{
	static const training_actor coordinator = { "demo", "Demo", "", "", "", 1, 0 };
	json_t *course = json_pack("{s:s, s:s, s:s, s:s, s:i}", "title", training_demo_courses[i].title,
	        "summary", training_demo_courses[i].summary, "description", training_demo_courses[i].description,
	        "audience", training_demo_courses[i].audience, "duration_minutes", training_demo_courses[i].minutes);
	training_session_input in;
	portal_run_result res;
	struct tm tm;
	int online = i == 3;

	training_store_course_save(store, "", course, training_demo_courses[i].org, training_demo_courses[i].agency, &res);
	json_decref(course);
	memset(&in, 0, sizeof(in));
	course = portal_run_json(&res, "course");
	in.course_id = portal_json_num(course, "id");
	json_decref(course);
	portal_run_result_free(&res);
	localtime_r(&base, &tm);
	tm.tm_mday += training_demo_courses[i].days;
	tm.tm_isdst = -1;
	in.starts = in.closes = mktime(&tm);
	in.ends = in.starts + training_demo_courses[i].minutes * 60;
	in.venue = online ? "" : "Partnership training room, Demo House, London";
	in.online = online;
	in.join_link = online ? "https://meet.example.org/demo-language-matters" : "";
	in.capacity = i == 1 ? 2 : 12;
	in.seats[TRAINING_AGENCY_police] = in.seats[TRAINING_AGENCY_local_authority] = i == 1 ? 0 : 3;
	in.seats[TRAINING_AGENCY_health] = i == 1 ? 0 : 2;
	training_store_session_create(store, &in, &coordinator, &res);
	if (!portal_run_ok(&res)) {
		snprintf(err, errlen, "demo session %zu: %s", i + 1, res.rc == PORTAL_RUN_OK ? res.status :
		         res.rc == PORTAL_RUN_UNAVAILABLE ? "Redis is not reachable" : res.cause);
		portal_run_result_free(&res);
		return -1;
	}
	portal_run_result_free(&res);
	return 0;
}

int training_load_demo(portal_store *store, const portal_config *cfg, char *err, size_t errlen)
{
	time_t now = time(NULL), base;
	struct tm tm;
	size_t i;
	int claimed = training_store_claim_demo(store);

	(void)cfg;
	if (claimed < 0) {
		snprintf(err, errlen, "Redis is not reachable");
		return -1;
	}
	if (claimed == 0)  /* already loaded */
		return 0;
	localtime_r(&now, &tm);
	tm.tm_hour = 9; tm.tm_min = 30; tm.tm_sec = 0; tm.tm_isdst = -1;
	base = mktime(&tm);
	for (i = 0; i < sizeof(training_demo_courses) / sizeof(training_demo_courses[0]); i++)
		if (training_demo_one(store, i, base, err, errlen) < 0)
			return -1;
	return 0;
}
