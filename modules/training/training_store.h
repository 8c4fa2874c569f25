/* training_store.h - keys, script calls and JSON views (training_store.c). */
#ifndef TRAINING_STORE_H
#define TRAINING_STORE_H

#include <jansson.h>
#include <time.h>

#include "app.h"
#include "training.h"

/* Write the prefixed key (printf-style after the prefix) into out. */
void training_key(const portal_ctx *ctx, char *out, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* How long before a session unused set-aside seats open to everyone, and
 * how long before it promotion stops (PORTAL_TRAINING_RELEASE_DAYS, default
 * 7; PORTAL_TRAINING_PROMOTION_CUTOFF_HOURS, default 24), in seconds. */
long long training_release_seconds(void);
long long training_cutoff_seconds(void);

/* Run script `script` on the keys of session `session_id`.  Returns 0 with
 * *out (the script's JSON answer, new reference), or -1 after answering
 * (503 when Redis is down, 500 otherwise). */
int training_eval(portal_ctx *ctx, int script, long long session_id,
                  int nargs, const char *const *args, json_t **out);

/* An HGETALL reply as an object of strings (new reference). */
json_t *training_hash_object(const redisReply *r);

/* A member as a number (integer, or a decimal string; 0 otherwise), and as
 * text ("" when absent). */
long long training_num(const json_t *obj, const char *key);
const char *training_text(const json_t *obj, const char *key);

/* The public view of a stored session hash (new reference).  The joining
 * link is included only with show_link. */
json_t *training_session_json(const json_t *session, time_t now, int show_link);

/* The public view of a stored booking (new reference). */
json_t *training_booking_json(const json_t *booking);

/* "seats:<type>" and "used:<type>" for agency type number i. */
const char *training_seats_key(size_t i);
const char *training_used_key(size_t i);

#endif
