/* smtp.c - one message to one recipient over SMTP, with libcurl.
 *
 * PORTAL_SMTP_URL smtp://host:port (STARTTLS when the server offers it;
 * required when a password is set, so a password never crosses the network
 * in the clear) or smtps://host:port (TLS from the start).  AUTH with
 * PORTAL_SMTP_USER and the password from PORTAL_SMTP_PASSWORD_FILE when
 * set.  The handle is kept between messages, so libcurl reuses the
 * connection while the server keeps it open.
 */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "notify.h"

struct notify_smtp {
	CURL                  *curl;
	const notify_settings *set;
	char                   errbuf[CURL_ERROR_SIZE];
};

typedef struct upload {
	const char *data;
	size_t      len, off;
} upload;

static size_t read_body(char *dst, size_t size, size_t nmemb, void *arg)
{
	upload *u = arg;
	size_t n = size * nmemb;

	if (n > u->len - u->off)
		n = u->len - u->off;
	memcpy(dst, u->data + u->off, n);
	u->off += n;
	return n;
}

notify_smtp *notify_smtp_new(const notify_settings *s)
{
	notify_smtp *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->set = s;
	if ((c->curl = curl_easy_init()) == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void notify_smtp_free(notify_smtp *c)
{
	if (c == NULL)
		return;
	curl_easy_cleanup(c->curl);
	free(c);
}

static void set_options(notify_smtp *c, struct curl_slist *rcpt, upload *u)
{
	const notify_settings *s = c->set;
	CURL *h = c->curl;

	curl_easy_setopt(h, CURLOPT_URL, s->smtp_url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, s->from_addr);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_body);
	curl_easy_setopt(h, CURLOPT_READDATA, u);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)u->len);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)s->smtp_timeout);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->errbuf);
	/* STARTTLS when offered; required with a password (smtps:// is TLS anyway) */
	curl_easy_setopt(h, CURLOPT_USE_SSL, s->smtp_password ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	if (s->smtp_user[0])
		curl_easy_setopt(h, CURLOPT_USERNAME, s->smtp_user);
	if (s->smtp_password)
		curl_easy_setopt(h, CURLOPT_PASSWORD, s->smtp_password);
}

int notify_smtp_send(notify_smtp *c, const char *rcpt, const char *msg, size_t len)
{
	struct curl_slist *list = curl_slist_append(NULL, rcpt);
	upload u = { msg, len, 0 };
	CURLcode rc;
	long code = 0;

	if (list == NULL || (c->curl == NULL && (c->curl = curl_easy_init()) == NULL)) {
		curl_slist_free_all(list);
		return -1;
	}
	c->errbuf[0] = '\0';
	set_options(c, list, &u);
	rc = curl_easy_perform(c->curl);
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(list);
	if (rc != CURLE_OK) {
		/* a connection left mid-transaction is never reused */
		curl_easy_cleanup(c->curl);
		c->curl = curl_easy_init();
		portal_log(PORTAL_LOG_WARN, "the SMTP server did not accept a message",
		           json_pack("{s:s, s:s, s:i}", "error", c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc),
		                     "url", c->set->smtp_url, "smtp_code", (int)code));
		return -1;
	}
	notify_metrics_sent();
	return 0;
}
