/* log.c - JSON lines on stderr (see log.h). */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Set once by portal_log_init before threads start; read-only after. */
static const char *log_module = "portal";
static portal_log_level log_min = PORTAL_LOG_INFO;

static const char *const level_names[] = { "debug", "info", "warn", "error" };

void portal_log_init(const char *module, portal_log_level min_level)
{
	log_module = module;
	log_min = min_level;
}

int portal_log_level_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (s && strcmp(s, level_names[i]) == 0)
			return (int)i;
	return -1;
}

void portal_log(portal_log_level level, const char *msg, json_t *fields)
{
	struct timespec ts;
	struct tm tm;
	char when[64];
	json_t *line;
	char *text;
	size_t len;

	if (level < log_min) {
		json_decref(fields);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(when, sizeof(when), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	         tm.tm_min, tm.tm_sec, (int)(ts.tv_nsec / 1000000));
	line = json_pack("{s:s, s:s, s:s}", "time", when,
	                 "level", level_names[level], "module", log_module);
	if (line == NULL)
		goto out;
	if (msg) {
		json_t *m = json_string(msg);  /* NULL when msg is not UTF-8 */
		json_object_set_new(line, "msg", m ? m : json_string("(message not UTF-8)"));
	}
	if (fields && json_is_object(fields))
		json_object_update(line, fields);
	text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	json_decref(line);
	if (text == NULL)
		goto out;
	len = strlen(text);
	text[len] = '\n';  /* replaces the NUL: we write len + 1 bytes, no string use after */
	/* one write so lines from threads and processes never interleave */
	if (write(STDERR_FILENO, text, len + 1) < 0) {
		/* nowhere left to report it */
	}
	free(text);
out:
	json_decref(fields);
}

/* Append `s` as a JSON string body (no quotes) to out[*n..cap). */
static void json_escape(char *out, size_t *n, size_t cap, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	for (; *s && *n + 7 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			out[(*n)++] = '\\';
			out[(*n)++] = (char)c;
		} else if (c < 0x20) {
			out[(*n)++] = '\\';
			out[(*n)++] = 'u';
			out[(*n)++] = '0';
			out[(*n)++] = '0';
			out[(*n)++] = hex[c >> 4];
			out[(*n)++] = hex[c & 15];
		} else
			out[(*n)++] = (char)c;
	}
}

void portal_log_request(portal_log_level level, const char *request_id, const char *method,
                        const char *path, int status, double duration_ms)
{
	char line[1536];
	struct timespec ts;
	struct tm tm;
	size_t n;
	int k;

	if (level < log_min)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	k = snprintf(line, sizeof(line),
	             "{\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\",\"level\":\"%s\",\"module\":\"",
	             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	             (int)(ts.tv_nsec / 1000000), level_names[level]);
	n = (size_t)k;
	json_escape(line, &n, 200, log_module);
	n += (size_t)snprintf(line + n, sizeof(line) - n, "\",\"msg\":\"request\",\"request_id\":\"");
	json_escape(line, &n, n + 80, request_id);
	n += (size_t)snprintf(line + n, sizeof(line) - n, "\",\"method\":\"");
	json_escape(line, &n, n + 40, method);
	n += (size_t)snprintf(line + n, sizeof(line) - n, "\",\"path\":\"");
	json_escape(line, &n, sizeof(line) - 120, path);  /* a long path is cut */
	n += (size_t)snprintf(line + n, sizeof(line) - n, "\",\"status\":%d,\"duration_ms\":%.3f}\n",
	                      status, duration_ms);
	if (n > sizeof(line))
		n = sizeof(line);
	if (write(STDERR_FILENO, line, n) < 0) {
		/* nowhere left to report it */
	}
}

void portal_logf(portal_log_level level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (level < log_min)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	portal_log(level, msg, NULL);
}
