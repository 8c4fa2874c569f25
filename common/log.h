/* log.h - one JSON object a line on stderr.
 *
 * Every line has the UTC time, the level and the module; request lines add
 * the request id, method, path, status and duration.  Nothing that a caller
 * passes is interpreted as a format string, and no password, token or cookie
 * is ever passed here: callers log names and outcomes, not secrets.
 */
#ifndef PORTAL_LOG_H
#define PORTAL_LOG_H

#include <jansson.h>

typedef enum portal_log_level {
	PORTAL_LOG_DEBUG, PORTAL_LOG_INFO, PORTAL_LOG_WARN, PORTAL_LOG_ERROR
} portal_log_level;

/* Set once at start-up, before any thread starts: the module name and the
 * lowest level written. */
void portal_log_init(const char *module, portal_log_level min_level);

/* Write a line {"time","level","module","msg", ...fields}.  `fields` (may be
 * NULL) is an object whose members are added; the reference is stolen. */
void portal_log(portal_log_level level, const char *msg, json_t *fields);

/* The request line {"time","level","module","msg":"request","request_id",
 * "method","path","status","duration_ms"}, written without building a JSON
 * tree (it is on every request's path).  Strings are escaped for JSON. */
void portal_log_request(portal_log_level level, const char *request_id, const char *method,
                        const char *path, int status, double duration_ms);

/* printf-style convenience for lines without structured fields. */
void portal_logf(portal_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parse "debug", "info", "warn", "error"; returns -1 for anything else. */
int portal_log_level_parse(const char *s);

#endif
