/* production.c - what portal-notify refuses with PORTAL_ENV=production, as
 * the modules refuse the demo (common/config.c): the settings of the demo
 * stacks (make run, docker/compose.yaml) would send mail no one can answer
 * from an address no one reads, linking to a portal no one can reach.
 * Pure: no I/O. */
#include <string.h>
#include <strings.h>

#include "notify.h"

/* 1 when `host` (up to len bytes) is this machine's own name. */
static int is_loopback(const char *host, size_t len)
{
	static const char *const names[] = { "localhost", "127.0.0.1", "[::1]" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (len == strlen(names[i]) && strncasecmp(host, names[i], len) == 0)
			return 1;
	return len > 4 && strncmp(host, "127.", 4) == 0;
}

int notify_settings_production(const notify_settings *s, char *err, size_t errlen)
{
	const char *host = s->public_url + (strncmp(s->public_url, "https://", 8) == 0 ? 8 : 7);
	/* the host: up to the port or path, or a bracketed IPv6 address whole */
	size_t hostlen = host[0] == '[' ? strcspn(host, "]") + (strchr(host, ']') ? 1 : 0) : strcspn(host, ":/");
	size_t dlen = strlen(s->domain);

	if (strncmp(s->public_url, "https://", 8) != 0)
		return snprintf(err, errlen, "PORTAL_PUBLIC_URL must start https:// in production"), -1;
	if (is_loopback(host, hostlen))
		return snprintf(err, errlen, "PORTAL_PUBLIC_URL names this machine (%.*s): in production it must be the "
		                "portal's address people open, e.g. https://portal.example.org", (int)hostlen, host), -1;
	if (is_loopback(s->domain, dlen) || (dlen > 10 && strcasecmp(s->domain + dlen - 10, ".localhost") == 0))
		return snprintf(err, errlen, "PORTAL_MAIL_FROM is the demo's address (@%s): in production it must be an "
		                "address of your own domain that people can answer", s->domain), -1;
	return 0;
}
