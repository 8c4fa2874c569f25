/* replies.c - the table of the directory scripts' error codes: the HTTP
 * status, the code the API answers and what the person reads. */
#include "directory.h"

#include <string.h>

#include "response.h"

static const struct {
	const char *script_code, *code;
	int         status;
	const char *message;
} directory_codes[] = {
	/* apply.lua: the change was decided meanwhile, or its status is gone */
	{ "not_pending", "already_decided", 409, "This change has already been approved or rejected." },
	{ "no_change", "already_decided", 409, "This change has already been approved or rejected." },
};

void directory_reply_store(portal_ctx *ctx, int rc, const char *code)
{
	size_t i;

	if (rc == DIRECTORY_STORE_REFUSED)
		for (i = 0; i < sizeof(directory_codes) / sizeof(directory_codes[0]); i++)
			if (strcmp(code, directory_codes[i].script_code) == 0) {
				portal_reply_error(ctx, directory_codes[i].status, directory_codes[i].code,
				                   directory_codes[i].message, NULL);
				return;
			}
	portal_reply_store_unavailable(ctx);
}
