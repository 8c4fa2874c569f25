/* demo.c - `portal-training --load-demo`: four courses and one upcoming
 * session each, and sessions that make a live partnership (two past ones
 * with attendance marked, two today, one full with a waiting list, booked
 * by made-up colleagues; one the demo responder attended, to give feedback
 * on), once (a marker key makes it idempotent), written
 * through the same store calls the handlers use. */
#include "training.h"

#include <stdio.h>
#include <string.h>

#include "jsonget.h"

static const struct {
	const char *title, *summary, *description, *audience, *org, *agency;
	int minutes, days;
	const char *outcomes[3];
} training_demo_courses[] = {
	{ "First Responder duties and the NRM", "What a First Responder does, and how to make a National Referral Mechanism referral.",
	  "Indicators of modern slavery, the duty to notify, consent, the NRM referral step by step, and what happens to the person after.",
	  "Police, local authority and health First Responders", "Demo Advocacy Charity B", "demo-charity-b", 180, 10,
	  { "Recognise the indicators of modern slavery in a first contact",
	    "Explain the First Responder's duty to notify and when consent is needed",
	    "Complete a National Referral Mechanism referral step by step" } },
	{ "Trauma-informed first contact", "How to speak with victims and survivors so that they feel safe and believed.",
	  "Believe first; trauma responses; safe spaces; interpreters; what not to ask.", "Anyone who meets victims and survivors",
	  "Demo Advocacy Charity B", "demo-charity-b", 150, 3,
	  { "Open a conversation so that the person feels safe and believed",
	    "Recognise trauma responses and adapt the questions you ask",
	    "Work well with an interpreter" } },
	{ "Child criminal exploitation and county lines", "Spotting children exploited by county lines networks, and the referral route for children.",
	  "Indicators, the child NRM route, safeguarding partners, and working with families.", "Police, local authority, health",
	  "Demo Safehouse Charity A", "demo-charity-a", 180, 24,
	  { "Spot the signs of a child exploited by a county lines network",
	    "Follow the child NRM route with the safeguarding partners",
	    "Speak of financially exploited children, not money mules" } },
	{ "Language matters: talking with victims", "Words that help, words that harm: plain, respectful language in every contact.",
	  "Victims and survivors, never claims; using interpreters well; recording without judgement.", "All partners",
	  "Demo Advocacy Charity B", "demo-charity-b", 90, 45,
	  { "Say \"states\" where a record would say \"claims\"",
	    "Choose words that describe coercion, not blame",
	    "Record what a victim says without judgement" } },
};

/* Made-up colleagues who book the demo sessions (members of staff, never
 * victims): username, name, agency id, agency name, agency type, roles,
 * police unit. */
static const training_actor training_demo_people[] = {
	{ "demo.police.1", "Jordan Ellis", "met-police", "Metropolitan Police Service", "police", 0, 0, "north-east" },
	{ "demo.council.1", "Farah Begum", "example-council", "Example Borough Council", "local_authority", 0, 0, "" },
	{ "demo.health.1", "Chidi Obi", "example-nhs", "Example NHS Trust", "health", 0, 0, "" },
	{ "demo.police.2", "Ewa Kowalska", "met-police", "Metropolitan Police Service", "police", 0, 0, "east" },
	{ "demo.ngo.1", "Leon Marsh", "demo-charity-a", "Demo Safehouse Charity A", "ngo", 0, 0, "" },
	{ "demo.council.2", "Ruth Adeyemi", "example-council", "Example Borough Council", "local_authority", 0, 0, "" },
};
#define TRAINING_DEMO_PEOPLE (sizeof(training_demo_people) / sizeof(training_demo_people[0]))

/* The sessions besides each course's upcoming one: course number, start
 * (days from today at hh:mm; hour -1: an hour before now, -2: three hours
 * after now, both on the hour), capacity, and one letter a booking: a
 * attended, p partly, n did not attend, - not marked yet. */
static const struct {
	size_t course;
	int days, hour, minute;
	long long capacity;
	const char *marks;
} training_demo_more[] = {
	{ 0, -3, 9, 30, 12, "aaan--" },   /* last week: a trainer can still mark two */
	{ 2, -20, 13, 0, 10, "aapna" },   /* marked, past the 14 days */
	{ 3, 0, -1, 0, 8, "---" },        /* today, under way */
	{ 0, 0, -2, 0, 12, "--" },        /* today, later */
	{ 1, 6, 9, 30, 2, "----" },       /* full: two confirmed, two waiting */
};

/* The store's failure in err; returns -1. */
static int training_demo_failed(portal_run_result *res, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "demo %s: %s", what, res->rc == PORTAL_RUN_OK ? res->status :
	         res->rc == PORTAL_RUN_UNAVAILABLE ? "Redis is not reachable" : res->cause);
	portal_run_result_free(res);
	return -1;
}

/* Add a session of course `course_id` at `starts` (`minutes` long); *id
 * is its id.  Returns 0, or -1 with a message in err. */
static int training_demo_session(portal_store *store, long long course_id, time_t starts, int minutes,
                                 long long capacity, int online, long long *id, char *err, size_t errlen)
{
	static const training_actor coordinator = { "demo", "Demo", "", "", "", 1, 0, "" };
	training_session_input in;
	portal_run_result res;
	json_t *s;

	memset(&in, 0, sizeof(in));
	in.course_id = course_id;
	in.starts = in.closes = starts;
	in.ends = starts + minutes * 60;
	in.venue = online ? "" : "Partnership training room, Demo House, London";
	in.online = online;
	in.join_link = online ? "https://meet.example.org/demo-language-matters" : "";
	in.capacity = capacity;
	if (capacity > 4) {
		in.seats[TRAINING_AGENCY_police] = in.seats[TRAINING_AGENCY_local_authority] = 3;
		in.seats[TRAINING_AGENCY_health] = 2;
	}
	training_store_session_create(store, &in, &coordinator, &res);
	if (!portal_run_ok(&res))
		return training_demo_failed(&res, "session", err, errlen);
	s = portal_run_json(&res, "session");
	*id = portal_json_num(s, "id");
	json_decref(s);
	portal_run_result_free(&res);
	return 0;
}

/* Book `who` into session `sid` (starting at `starts`: booked five days
 * before it, or now when that is earlier) and, with a mark ("attended",
 * "partial", "no_show"; NULL: none), mark them an hour after it started.
 * Returns 0, or -1 with a message in err. */
static int training_demo_book(portal_store *store, long long sid, const training_actor *who, time_t starts,
                              const char *mark, char *err, size_t errlen)
{
	time_t now = time(NULL), booked = starts - 5 * 24 * 3600;
	portal_run_result res;
	json_t *b;
	char bid[64];

	training_store_book(store, sid, who, booked < now ? booked : now, &res);
	if (!portal_run_ok(&res))
		return training_demo_failed(&res, "booking", err, errlen);
	b = portal_run_json(&res, "booking");
	snprintf(bid, sizeof(bid), "%s", portal_json_text(b, "id"));
	json_decref(b);
	portal_run_result_free(&res);
	if (mark == NULL)
		return 0;
	training_store_attend(store, sid, bid, mark, "trainer", starts + 3600, &res);
	if (!portal_run_ok(&res))
		return training_demo_failed(&res, "attendance", err, errlen);
	portal_run_result_free(&res);
	return 0;
}

/* Book one made-up colleague a booking letter of `marks` into session `sid`
 * (starting at `starts`; a attended, p partly, n did not attend, - not
 * marked).  Returns 0, or -1 with a message in err. */
static int training_demo_bookings(portal_store *store, long long sid, time_t starts, const char *marks,
                                  char *err, size_t errlen)
{
	static const char *const mark_codes[] = { "attended", "partial", "no_show" };
	size_t i;

	for (i = 0; marks[i] && i < TRAINING_DEMO_PEOPLE; i++) {
		const char *m = strchr("apn", marks[i]);

		if (training_demo_book(store, sid, &training_demo_people[i], starts, m ? mark_codes[m - "apn"] : NULL,
		                       err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* The demo responder (the directory's responder.police) attended a session
 * of course `course_id` two days ago, so that at `make run` they can give
 * feedback on it from My training.  Returns 0, or -1 with a message. */
static int training_demo_attended(portal_store *store, long long course_id, int minutes, time_t midnight,
                                  char *err, size_t errlen)
{
	static const training_actor responder = { "responder.police", "Priya Shah", "met-police",
		"Metropolitan Police Service", "police", 0, 0, "north-east" };
	long long sid;
	time_t starts = midnight - 2 * 24 * 3600 + 10 * 3600;

	if (training_demo_session(store, course_id, starts, minutes, 8, 1, &sid, err, errlen) < 0)
		return -1;
	return training_demo_book(store, sid, &responder, starts, "attended", err, errlen);
}

/* Add demo course i and its upcoming session (at 09:30 London time, `days`
 * ahead of `base`); its id into *course_id.  Returns 0, or -1 with a
 * message in err. */
static int training_demo_one(portal_store *store, size_t i, time_t base, long long *course_id,
                             char *err, size_t errlen)
{
	json_t *course = json_pack("{s:s, s:s, s:s, s:s, s:i, s:[s,s,s]}", "title", training_demo_courses[i].title,
	        "summary", training_demo_courses[i].summary, "description", training_demo_courses[i].description,
	        "audience", training_demo_courses[i].audience, "duration_minutes", training_demo_courses[i].minutes,
	        "learning_outcomes", training_demo_courses[i].outcomes[0], training_demo_courses[i].outcomes[1],
	        training_demo_courses[i].outcomes[2]);
	portal_run_result res;
	struct tm tm;
	long long sid;

	training_store_course_save(store, "", course, training_demo_courses[i].org, training_demo_courses[i].agency, &res);
	json_decref(course);
	if (!portal_run_ok(&res))
		return training_demo_failed(&res, "course", err, errlen);
	course = portal_run_json(&res, "course");
	*course_id = portal_json_num(course, "id");
	json_decref(course);
	portal_run_result_free(&res);
	localtime_r(&base, &tm);
	tm.tm_mday += training_demo_courses[i].days;
	tm.tm_isdst = -1;
	return training_demo_session(store, *course_id, mktime(&tm), training_demo_courses[i].minutes,
	                             i == 1 ? 2 : 12, i == 3, &sid, err, errlen);
}

/* When demo session j of training_demo_more starts, from today's midnight
 * `midnight` and `now`. */
static time_t training_demo_when(size_t j, time_t midnight, time_t now)
{
	struct tm tm;
	time_t hour = now - now % 3600;

	if (training_demo_more[j].hour == -1)
		return hour - 3600;
	if (training_demo_more[j].hour == -2)
		return hour + 3 * 3600;
	localtime_r(&midnight, &tm);
	tm.tm_mday += training_demo_more[j].days;
	tm.tm_hour = training_demo_more[j].hour;
	tm.tm_min = training_demo_more[j].minute;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

int training_load_demo(portal_store *store, const portal_config *cfg, char *err, size_t errlen)
{
	time_t now = time(NULL), base, midnight;
	struct tm tm;
	size_t i;
	long long course_ids[sizeof(training_demo_courses) / sizeof(training_demo_courses[0])];
	int claimed = training_store_claim_demo(store);

	(void)cfg;
	if (claimed < 0) {
		snprintf(err, errlen, "Redis is not reachable");
		return -1;
	}
	if (claimed == 0)  /* already loaded */
		return 0;
	localtime_r(&now, &tm);
	tm.tm_hour = 0; tm.tm_min = 0; tm.tm_sec = 0; tm.tm_isdst = -1;
	midnight = mktime(&tm);
	tm.tm_hour = 9; tm.tm_min = 30; tm.tm_isdst = -1;
	base = mktime(&tm);
	for (i = 0; i < sizeof(course_ids) / sizeof(course_ids[0]); i++)
		if (training_demo_one(store, i, base, &course_ids[i], err, errlen) < 0)
			return -1;
	for (i = 0; i < sizeof(training_demo_more) / sizeof(training_demo_more[0]); i++) {
		size_t c = training_demo_more[i].course;
		time_t starts = training_demo_when(i, midnight, now);
		long long sid;

		if (training_demo_session(store, course_ids[c], starts, training_demo_courses[c].minutes,
		                          training_demo_more[i].capacity, c == 3, &sid, err, errlen) < 0 ||
		    training_demo_bookings(store, sid, starts, training_demo_more[i].marks, err, errlen) < 0)
			return -1;
	}
	return training_demo_attended(store, course_ids[3], training_demo_courses[3].minutes, midnight, err, errlen);
}
