/* signin.h - check a username and password against the directory (LDAP).
 *
 * The only place that talks to LDAP.  Order of work: refuse an empty
 * username or password before any network call; bind as the service account;
 * search the user under the people base with an escaped filter; require
 * exactly one entry; bind as that entry's DN with the password on a separate
 * handle; read the roles (group membership) and the agency.  Network and
 * operation timeouts apply to every step; StartTLS or ldaps:// with the
 * certificate checked when configured.  An unknown user and a wrong password
 * give the same answer.
 */
#ifndef PORTAL_SIGNIN_H
#define PORTAL_SIGNIN_H

#include <jansson.h>
#include <ldap.h>

#include "config.h"

typedef enum portal_signin_result {
	PORTAL_SIGNIN_OK,
	PORTAL_SIGNIN_INVALID,      /* unknown user, wrong password, no role */
	PORTAL_SIGNIN_UNAVAILABLE,  /* the directory could not be reached or failed */
	PORTAL_SIGNIN_STOPPED,      /* the gate stopped it before the password was tried */
} portal_signin_result;

/* Asked with the entry's canonical uid once the directory has found exactly
 * one entry, before the password is tried: 0 to go on, anything else to stop
 * (the check then returns PORTAL_SIGNIN_STOPPED and the caller's `arg` says
 * why).  The sign-in module checks the account's failure counter here, so
 * that every spelling of a name meets the one counter of the person. */
typedef int (*portal_signin_gate)(void *arg, const char *uid);

/* The size of a buffer that holds any uid portal_signin_check gives back. */
#define PORTAL_UID_MAX 65

/* Check the credentials.  `username` is looked up as typed (the directory
 * ignores case and surrounding spaces; pass portal_signin_username_normalise's
 * result).  `gate` (may be NULL) is asked as described above.
 * The entry's own uid (the value of the login attribute, the least in byte
 * order when it has several) is the person's one identity: it is copied to
 * uid[PORTAL_UID_MAX] whenever exactly one entry was found (OK, INVALID after
 * a wrong password, STOPPED), else uid is "".  On PORTAL_SIGNIN_OK *user is a
 * new object {"username": that uid, "name","roles":[...],
 * "agency":{"id","name","type"},"unit"} ("unit": the police unit's code
 * from PORTAL_LDAP_UNIT_ATTR, "" when none).  An entry whose uid is not a valid username
 * (portal_signin_username_ok) cannot sign in (INVALID, logged). */
portal_signin_result portal_signin_check(const portal_config *cfg, const char *username,
                                         const char *password, portal_signin_gate gate,
                                         void *gate_arg, char uid[PORTAL_UID_MAX],
                                         json_t **user);

/* 1 when `username` may be looked up: 1..64 bytes of valid UTF-8 with no
 * control characters (NUL, newline...). */
int portal_signin_username_ok(const char *username);

/* The form of a typed username that every spelling of one name shares, as
 * the directory compares them: leading and trailing spaces removed, runs of
 * inner spaces made one, ASCII letters lower-cased ("  Responder.Health "
 * -> "responder.health").  Writes it to out[outlen].  Returns 0, or -1 when
 * `typed` is not a valid username (portal_signin_username_ok), nothing but
 * spaces, or does not fit. */
int portal_signin_username_normalise(const char *typed, char *out, size_t outlen);

/* Open a directory handle with PORTAL_LDAP_URI, the network and operation
 * timeouts (PORTAL_LDAP_TIMEOUT_SECONDS), no referrals, and StartTLS or
 * ldaps:// with the certificate checked when configured.  NULL on failure,
 * with *rc set to the LDAP result code.  (Also used by portal-notify.) */
LDAP *portal_ldap_open(const portal_config *cfg, int *rc);
/* Simple bind of `dn` with `password`; returns the LDAP result code. */
int portal_ldap_bind(LDAP *ld, const char *dn, const char *password);
/* `value` escaped for a search filter; a string to ber_memfree, or NULL. */
char *portal_ldap_filter_escape(const char *value);
#endif
