/* audit.h - who changed what, when: appended to the Redis stream
 * "<prefix>audit".
 *
 * Each entry has the UTC time, the event ("signin_success", "hold_accepted"),
 * the acting user's username and agency id, the client address, the request
 * id and a JSON "detail" object.  Never a password, token or cookie, and
 * never anything about a victim.
 */
#ifndef PORTAL_AUDIT_H
#define PORTAL_AUDIT_H

#include <jansson.h>

#include "app.h"

/* Append an entry.  `username` overrides the signed-in user's (for
 * sign-in events, where no one is signed in yet); may be NULL.  `detail`
 * (object or NULL) is stolen.  Returns 0, or -1 when the store failed (the
 * entry is then written to the log instead, so it is not lost). */
int portal_audit(portal_ctx *ctx, const char *event, const char *username, json_t *detail);

#endif
