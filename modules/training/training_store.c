/* training_store.c - keys, script calls and the JSON views the handlers
 * answer with. */
#include "training_store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "response.h"

void training_key(const portal_ctx *ctx, char *out, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(out, len, "%s", portal_store_prefix(ctx->store));

	va_start(ap, fmt);
	if (n > 0 && (size_t)n < len)
		vsnprintf(out + n, len - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Takes the env variable `name`, a default and bounds; returns the value. */
static long long training_env_number(const char *name, long long def, long long lo, long long hi)
{
	const char *s = getenv(name);
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return def;
	v = strtoll(s, &end, 10);
	if (*end || v < lo || v > hi)
		return def;
	return v;
}

long long training_release_seconds(void)
{
	return 24LL * 3600 * training_env_number("PORTAL_TRAINING_RELEASE_DAYS", 7, 0, 365);
}

long long training_cutoff_seconds(void)
{
	return 3600LL * training_env_number("PORTAL_TRAINING_PROMOTION_CUTOFF_HOURS", 24, 0, 24 * 365);
}

int training_eval(portal_ctx *ctx, int script, long long session_id,
                  int nargs, const char *const *args, json_t **out)
{
	char keys[4][160];
	const char *kp[4] = { keys[0], keys[1], keys[2], keys[3] };
	redisReply *r;
	json_error_t jerr;

	*out = NULL;
	training_key(ctx, keys[0], sizeof(keys[0]), "training:{s:%lld}:session", session_id);
	training_key(ctx, keys[1], sizeof(keys[1]), "training:{s:%lld}:bookings", session_id);
	training_key(ctx, keys[2], sizeof(keys[2]), "training:{s:%lld}:people", session_id);
	training_key(ctx, keys[3], sizeof(keys[3]), "training:{s:%lld}:waitlist", session_id);
	r = portal_store_eval(ctx->store, (size_t)script, 4, kp, nargs, args);
	if (r == NULL) {
		portal_reply_store_unavailable(ctx);
		return -1;
	}
	if (r->type != REDIS_REPLY_STRING) {
		char cause[300];
		snprintf(cause, sizeof(cause), "training script %s: %s", training_scripts[script].name,
		         r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply");
		freeReplyObject(r);
		portal_reply_internal_error(ctx, cause);
		return -1;
	}
	*out = json_loadb(r->str, r->len, 0, &jerr);
	freeReplyObject(r);
	if (*out == NULL) {
		portal_reply_internal_error(ctx, "training script answer is not JSON");
		return -1;
	}
	return 0;
}

json_t *training_hash_object(const redisReply *r)
{
	json_t *obj = json_object();
	size_t i;

	if (r == NULL || r->type != REDIS_REPLY_ARRAY)
		return obj;
	for (i = 0; i + 1 < r->elements; i += 2)
		if (r->element[i]->type == REDIS_REPLY_STRING && r->element[i + 1]->type == REDIS_REPLY_STRING)
			json_object_set_new(obj, r->element[i]->str,
			                    json_stringn(r->element[i + 1]->str, r->element[i + 1]->len));
	return obj;
}

long long training_num(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	const char *s;
	char *end;
	long long x;

	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_real(v))
		return (long long)json_real_value(v);
	if ((s = json_string_value(v)) == NULL || *s == '\0')
		return 0;
	x = strtoll(s, &end, 10);
	return *end ? 0 : x;
}

const char *training_text(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}

/* Set key to the RFC 3339 text of time t, and key_human to London time. */
static void training_set_time(json_t *out, const char *key, time_t t)
{
	char rfc[40], human[80], hkey[64], *p;

	portal_time_format(t, rfc, sizeof(rfc));
	json_object_set_new(out, key, json_string(rfc));
	portal_time_human(t, "%A %e %B %Y, %H:%M", human, sizeof(human));
	/* %e pads single-digit days with a space */
	while ((p = strstr(human, "  ")) != NULL)
		memmove(p, p + 1, strlen(p));
	snprintf(hkey, sizeof(hkey), "%s_human", key);
	json_object_set_new(out, hkey, json_string(human));
}

json_t *training_session_json(const json_t *s, time_t now, int show_link)
{
	json_t *out = json_object(), *seats = json_object(), *left = json_object(), *mix = json_array();
	long long cap = training_num(s, "capacity"), confirmed = training_num(s, "confirmed");
	long long setaside = 0, general, general_left, released, starts = training_num(s, "starts_at");
	size_t i;

	for (i = 0; training_agency_types[i]; i++)
		setaside += training_num(s, training_seats_key(i));
	general = cap - setaside;
	general_left = general - training_num(s, "used:general");
	if (general_left < 0)
		general_left = 0;
	released = now >= starts - training_release_seconds();
	json_object_set_new(out, "id", json_string(training_text(s, "id")));
	json_object_set_new(out, "course_id", json_string(training_text(s, "course_id")));
	json_object_set_new(out, "course_title", json_string(training_text(s, "course_title")));
	json_object_set_new(out, "organisation", json_string(training_text(s, "organisation")));
	json_object_set_new(out, "agency_id", json_string(training_text(s, "agency_id")));
	training_set_time(out, "starts_at", (time_t)starts);
	training_set_time(out, "ends_at", (time_t)training_num(s, "ends_at"));
	training_set_time(out, "booking_closes_at", (time_t)training_num(s, "booking_closes_at"));
	json_object_set_new(out, "venue", json_string(training_text(s, "venue")));
	json_object_set_new(out, "online", json_boolean(training_num(s, "online")));
	if (show_link && training_num(s, "online") && training_text(s, "join_link")[0])
		json_object_set_new(out, "join_link", json_string(training_text(s, "join_link")));
	json_object_set_new(out, "capacity", json_integer(cap));
	json_object_set_new(out, "confirmed", json_integer(confirmed));
	json_object_set_new(out, "seats_left", json_integer(cap - confirmed > 0 ? cap - confirmed : 0));
	json_object_set_new(out, "waitlist_length", json_integer(training_num(s, "waitlist_length")));
	for (i = 0; training_agency_types[i]; i++) {
		long long mine = training_num(s, training_seats_key(i));
		long long used = training_num(s, training_used_key(i));
		long long l = (mine - used > 0 ? mine - used : 0) + general_left;
		size_t j;

		if (released)
			for (j = 0; training_agency_types[j]; j++)
				if (j != i) {
					long long o = training_num(s, training_seats_key(j)) - training_num(s, training_used_key(j));
					l += o > 0 ? o : 0;
				}
		if (l > cap - confirmed)
			l = cap - confirmed > 0 ? cap - confirmed : 0;
		json_object_set_new(seats, training_agency_types[i], json_integer(mine));
		json_object_set_new(left, training_agency_types[i], json_integer(l));
		json_array_append_new(mix, json_pack("{s:s, s:s, s:I, s:I}", "type", training_agency_types[i],
		        "label", training_agency_type_label(training_agency_types[i]),
		        "set_aside", (json_int_t)mine, "seats_left", (json_int_t)l));
	}
	json_object_set_new(out, "agency_seats", seats);
	json_object_set_new(out, "agency_seats_left", left);
	json_object_set_new(out, "agency_mix", mix);
	json_object_set_new(out, "set_aside_released", json_boolean(released));
	json_object_set_new(out, "status", json_string(training_text(s, "status")));
	json_object_set_new(out, "cancelled", json_boolean(strcmp(training_text(s, "status"), "cancelled") == 0));
	json_object_set_new(out, "sequence", json_integer(training_num(s, "sequence")));
	json_object_set_new(out, "past", json_boolean(now >= starts));
	json_object_set_new(out, "bookable", json_boolean(strcmp(training_text(s, "status"), "scheduled") == 0 &&
	                    now < training_num(s, "booking_closes_at") && now < starts));
	return out;
}

json_t *training_booking_json(const json_t *b)
{
	const char *status = training_text(b, "status");
	json_t *out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s}",
	        "id", training_text(b, "id"),
	        "session_id", training_text(b, "session_id"),
	        "status", status,
	        "username", training_text(b, "username"),
	        "name", training_text(b, "name"),
	        "agency_name", training_text(b, "agency_name"),
	        "agency_type", training_text(b, "agency_type"),
	        "waitlist_position", (json_int_t)training_num(b, "waitlist_position"),
	        "attendance", training_text(b, "attendance"));
	char when[40];

	json_object_set_new(out, "agency_id", json_string(training_text(b, "agency_id")));
	json_object_set_new(out, "agency_type_label", json_string(training_agency_type_label(training_text(b, "agency_type"))));
	json_object_set_new(out, "is_confirmed", json_boolean(strcmp(status, "confirmed") == 0));
	json_object_set_new(out, "is_waitlisted", json_boolean(strcmp(status, "waitlisted") == 0));
	json_object_set_new(out, "is_cancelled", json_boolean(strcmp(status, "cancelled") == 0));
	json_object_set_new(out, "promoted", json_boolean(json_is_true(json_object_get(b, "promoted"))));
	if (training_text(b, "cancel_reason")[0])
		json_object_set_new(out, "cancel_reason", json_string(training_text(b, "cancel_reason")));
	if (training_num(b, "booked_at")) {
		portal_time_format((time_t)training_num(b, "booked_at"), when, sizeof(when));
		json_object_set_new(out, "booked_at", json_string(when));
	}
	if (training_text(b, "attendance")[0])
		json_object_set_new(out, "attendance_label", json_string(
			strcmp(training_text(b, "attendance"), "attended") == 0 ? "Attended" :
			strcmp(training_text(b, "attendance"), "partial") == 0 ? "Partly attended" : "Did not attend"));
	return out;
}

const char *training_seats_key(size_t i)
{
	static const char *const k[] = { "seats:police", "seats:local_authority", "seats:health", "seats:ngo", "seats:other" };
	return i < 5 ? k[i] : "seats:other";
}

const char *training_used_key(size_t i)
{
	static const char *const k[] = { "used:police", "used:local_authority", "used:health", "used:ngo", "used:other" };
	return i < 5 ? k[i] : "used:other";
}
