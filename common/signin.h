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

#include "config.h"

typedef enum portal_signin_result {
	PORTAL_SIGNIN_OK,
	PORTAL_SIGNIN_INVALID,      /* unknown user, wrong password, no role */
	PORTAL_SIGNIN_UNAVAILABLE,  /* the directory could not be reached or failed */
} portal_signin_result;

/* Check the credentials.  On PORTAL_SIGNIN_OK *user is a new object
 * {"username","name","roles":[...],"agency":{"id","name","type"}}.  The
 * username must already be validated (portal_signin_username_ok). */
portal_signin_result portal_signin_check(const portal_config *cfg, const char *username,
                                         const char *password, json_t **user);

/* 1 when `username` may be looked up: 1..64 bytes of valid UTF-8 with no
 * control characters (NUL, newline...). */
int portal_signin_username_ok(const char *username);

#endif
