/* signin.c - LDAP authentication (see signin.h). */
#include "signin.h"

#include <ctype.h>
#include <ldap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "metrics.h"
#include "parse.h"

static const char *const agency_types[] = { "police", "local_authority", "health", "ngo", "other", NULL };
static const char *const role_names[4] = { "responder", "ngo", "trainer", "coordinator" };

int portal_signin_username_ok(const char *username)
{
	size_t i, n;

	if (username == NULL || (n = strlen(username)) == 0 || n > 64 ||
	    !portal_utf8_valid(username, n))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)username[i] < 0x20 || username[i] == 0x7f)
			return 0;
	return 1;
}

int portal_signin_username_normalise(const char *typed, char *out, size_t outlen)
{
	size_t i, o = 0;
	int space = 0;

	if (!portal_signin_username_ok(typed) || outlen == 0)
		return -1;
	for (i = 0; typed[i]; i++) {
		if (typed[i] == ' ') {
			space = o > 0;  /* leading spaces are dropped, inner ones kept as one */
			continue;
		}
		if (o + (space ? 2 : 1) >= outlen)
			return -1;
		if (space)
			out[o++] = ' ';
		space = 0;
		out[o++] = (char)tolower((unsigned char)typed[i]);  /* ASCII only: UTF-8 bytes kept */
	}
	out[o] = '\0';
	return o > 0 ? 0 : -1;
}

/* 1 when the LDAP result code means the directory is out of reach. */
static int ldap_unreachable(int rc)
{
	return rc == LDAP_SERVER_DOWN || rc == LDAP_TIMEOUT || rc == LDAP_CONNECT_ERROR ||
	       rc == LDAP_UNAVAILABLE || rc == LDAP_BUSY || rc == LDAP_LOCAL_ERROR;
}

LDAP *portal_ldap_open(const portal_config *cfg, int *rc)
{
	LDAP *ld = NULL;
	int v3 = LDAP_VERSION3, demand = LDAP_OPT_X_TLS_DEMAND, zero = 0;
	struct timeval tv = { cfg->ldap_timeout, 0 };

	if ((*rc = ldap_initialize(&ld, cfg->ldap_uri)) != LDAP_SUCCESS)
		return NULL;
	ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &v3);
	ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv);
	ldap_set_option(ld, LDAP_OPT_TIMEOUT, &tv);
	ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
	if (cfg->ldap_starttls || strncmp(cfg->ldap_uri, "ldaps:", 6) == 0) {
		ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand);
		if (cfg->ldap_ca_file[0])
			ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, cfg->ldap_ca_file);
		ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &zero);
	}
	if (cfg->ldap_starttls && (*rc = ldap_start_tls_s(ld, NULL, NULL)) != LDAP_SUCCESS) {
		ldap_unbind_ext_s(ld, NULL, NULL);
		return NULL;
	}
	return ld;
}

int portal_ldap_bind(LDAP *ld, const char *dn, const char *password)
{
	struct berval cred;

	cred.bv_val = (char *)password;
	cred.bv_len = strlen(password);
	return ldap_sasl_bind_s(ld, dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
}

/* The first value of `attr` as a new JSON string, or NULL. */
static json_t *first_value(LDAP *ld, LDAPMessage *entry, const char *attr)
{
	struct berval **vals = ldap_get_values_len(ld, entry, attr);
	json_t *v = NULL;

	if (vals && vals[0] && portal_utf8_valid(vals[0]->bv_val, vals[0]->bv_len))
		v = json_stringn(vals[0]->bv_val, vals[0]->bv_len);
	if (vals)
		ldap_value_free_len(vals);
	return v;
}

char *portal_ldap_filter_escape(const char *value)
{
	struct berval in, out = { 0, NULL };

	in.bv_val = (char *)value;
	in.bv_len = strlen(value);
	if (ldap_bv2escaped_filter_value(&in, &out) != 0)
		return NULL;
	return out.bv_val;
}

/* Add the roles from group membership of `dn` to `roles`.  Returns the LDAP
 * result code. */
static int read_roles(const portal_config *cfg, LDAP *ld, const char *dn, json_t *roles)
{
	char *esc = portal_ldap_filter_escape(dn), filter[1200];
	char *attrs[] = { "1.1", NULL };
	struct timeval tv = { cfg->ldap_timeout, 0 };
	LDAPMessage *res = NULL, *e;
	int rc, j;

	if (esc == NULL)
		return LDAP_NO_MEMORY;
	snprintf(filter, sizeof(filter), "(&(objectClass=groupOfNames)(member=%s))", esc);
	ber_memfree(esc);
	rc = ldap_search_ext_s(ld, cfg->ldap_group_base, LDAP_SCOPE_SUBTREE, filter, attrs, 0,
	                       NULL, NULL, &tv, 100, &res);
	if (rc == LDAP_SUCCESS || rc == LDAP_SIZELIMIT_EXCEEDED) {
		for (e = ldap_first_entry(ld, res); e; e = ldap_next_entry(ld, e)) {
			char *gdn = ldap_get_dn(ld, e);
			for (j = 0; gdn && j < 4; j++)
				if (strcasecmp(gdn, cfg->ldap_group_dn[j]) == 0)
					json_array_append_new(roles, json_string(role_names[j]));
			ldap_memfree(gdn);
		}
		rc = LDAP_SUCCESS;
	}
	if (res)
		ldap_msgfree(res);
	return rc;
}

/* The agency object from the user's entry; type outside the list is "other". */
static json_t *read_agency(const portal_config *cfg, LDAP *ld, LDAPMessage *entry)
{
	json_t *id = first_value(ld, entry, cfg->ldap_agency_id_attr);
	json_t *name = first_value(ld, entry, cfg->ldap_agency_name_attr);
	json_t *type = first_value(ld, entry, cfg->ldap_agency_type_attr);
	const char *t = json_string_value(type);
	size_t i;
	int known = 0;

	for (i = 0; t && agency_types[i]; i++)
		if (strcmp(t, agency_types[i]) == 0)
			known = 1;
	if (!known) {
		json_decref(type);
		type = json_string("other");
	}
	return json_pack("{s:o, s:o, s:o}", "id", id ? id : json_string(""),
	                 "name", name ? name : json_string(""), "type", type);
}

/* The police unit the entry names (PORTAL_LDAP_UNIT_ATTR, issue 17) as a
 * new JSON string: its first value when it is a code (1 to 60 of a-z, 0-9
 * and '-'), else "" (no unit: the cases module then treats the person as
 * no unit's staff). */
static json_t *read_unit(const portal_config *cfg, LDAP *ld, LDAPMessage *entry)
{
	json_t *v = cfg->ldap_unit_attr && cfg->ldap_unit_attr[0] ? first_value(ld, entry, cfg->ldap_unit_attr) : NULL;
	const char *s = json_string_value(v);
	size_t i, n = s ? strlen(s) : 0;

	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			break;
	if (n == 0 || n > 60 || i < n) {
		json_decref(v);
		v = json_string("");
	}
	return v;
}

/* Copy the entry's canonical uid (the least value of `attr` in byte order, so
 * the same whatever order the server sends them in) to uid[PORTAL_UID_MAX].
 * Returns 0, or -1 when the entry has no value that is a valid username. */
static int canonical_uid(LDAP *ld, LDAPMessage *entry, const char *attr, char uid[PORTAL_UID_MAX])
{
	struct berval **vals = ldap_get_values_len(ld, entry, attr);
	char v[PORTAL_UID_MAX];
	size_t i;

	uid[0] = '\0';
	for (i = 0; vals && vals[i]; i++) {
		if (vals[i]->bv_len == 0 || vals[i]->bv_len >= sizeof(v))
			continue;
		memcpy(v, vals[i]->bv_val, vals[i]->bv_len);
		v[vals[i]->bv_len] = '\0';
		if (portal_signin_username_ok(v) && (uid[0] == '\0' || strcmp(v, uid) < 0))
			memcpy(uid, v, vals[i]->bv_len + 1);
	}
	if (vals)
		ldap_value_free_len(vals);
	return uid[0] ? 0 : -1;
}

/* Search the people for the entry whose user attribute is `username`
 * (escaped) into *res.  Returns 1 when there is exactly one, 0 when there
 * is none or more than one, -1 with the directory's error in *rc. */
static int find_person(const portal_config *cfg, LDAP *svc, const char *username, LDAPMessage **res,
                       int *rc)
{
	char *esc, filter[512];
	char *attrs[8];
	struct timeval tv = { cfg->ldap_timeout, 0 };

	if ((esc = portal_ldap_filter_escape(username)) == NULL) {
		*rc = LDAP_NO_MEMORY;
		return -1;
	}
	snprintf(filter, sizeof(filter), "(&(objectClass=inetOrgPerson)(%s=%s))", cfg->ldap_user_attr, esc);
	ber_memfree(esc);
	attrs[0] = (char *)cfg->ldap_name_attr;
	attrs[1] = "cn";
	attrs[2] = (char *)cfg->ldap_agency_id_attr;
	attrs[3] = (char *)cfg->ldap_agency_name_attr;
	attrs[4] = (char *)cfg->ldap_agency_type_attr;
	attrs[5] = (char *)cfg->ldap_user_attr;
	attrs[6] = (char *)cfg->ldap_unit_attr;
	attrs[7] = NULL;
	*rc = ldap_search_ext_s(svc, cfg->ldap_people_base, LDAP_SCOPE_SUBTREE, filter, attrs, 0,
	                        NULL, NULL, &tv, 2, res);
	if (*rc == LDAP_SIZELIMIT_EXCEEDED || (*rc == LDAP_SUCCESS && ldap_count_entries(svc, *res) != 1))
		return 0;
	return *rc == LDAP_SUCCESS ? 1 : -1;
}

/* The signed-in person of entry `dn` (canonical `uid`) into *user: name,
 * roles, agency and unit.  Returns 1; 0 for an account with no portal
 * role (it may not sign in); -1 with the directory's error in *rc. */
static int read_user(const portal_config *cfg, LDAP *svc, LDAPMessage *entry, const char *dn,
                     const char *uid, json_t **user, int *rc)
{
	json_t *roles = json_array(), *name;

	if ((*rc = read_roles(cfg, svc, dn, roles)) != LDAP_SUCCESS) {
		json_decref(roles);
		return -1;
	}
	if (json_array_size(roles) == 0) {
		portal_log(PORTAL_LOG_WARN, "sign-in refused: no portal role", json_pack("{s:s}", "user", uid));
		json_decref(roles);
		return 0;
	}
	name = first_value(svc, entry, cfg->ldap_name_attr);
	if (name == NULL)
		name = first_value(svc, entry, "cn");
	*user = json_pack("{s:s, s:o, s:o, s:o, s:o}", "username", uid,
	                  "name", name ? name : json_string(uid), "roles", roles,
	                  "agency", read_agency(cfg, svc, entry), "unit", read_unit(cfg, svc, entry));
	*rc = LDAP_NO_MEMORY;
	return *user ? 1 : -1;
}

portal_signin_result portal_signin_check(const portal_config *cfg, const char *username,
                                         const char *password, portal_signin_gate gate,
                                         void *gate_arg, char uid[PORTAL_UID_MAX],
                                         json_t **user)
{
	LDAP *svc = NULL, *as_user = NULL;
	LDAPMessage *res = NULL, *entry;
	char *dn = NULL;
	portal_signin_result out = PORTAL_SIGNIN_UNAVAILABLE;
	int rc, found, step = 0;

	*user = NULL;
	uid[0] = '\0';
	/* an empty password would be an anonymous bind: refuse before any call */
	if (!portal_signin_username_ok(username) || password == NULL || password[0] == '\0')
		return PORTAL_SIGNIN_INVALID;

	step = 1;
	if ((svc = portal_ldap_open(cfg, &rc)) == NULL)
		goto fail;
	step = 2;
	if ((rc = portal_ldap_bind(svc, cfg->ldap_bind_dn,
	                             cfg->ldap_bind_password ? cfg->ldap_bind_password : "")) != LDAP_SUCCESS)
		goto fail;
	step = 3;
	if ((found = find_person(cfg, svc, username, &res, &rc)) < 0)
		goto fail;
	if (found == 0) {
		out = PORTAL_SIGNIN_INVALID;  /* none, or more than one: never guess */
		goto done;
	}
	entry = ldap_first_entry(svc, res);
	if ((dn = ldap_get_dn(svc, entry)) == NULL)
		goto fail;
	/* one person, one identity: the entry's own uid, whatever was typed */
	if (canonical_uid(svc, entry, cfg->ldap_user_attr, uid) < 0) {
		portal_log(PORTAL_LOG_WARN, "sign-in refused: the entry's uid is not a valid username",
		           json_pack("{s:s}", "dn", dn));
		out = PORTAL_SIGNIN_INVALID;
		goto done;
	}
	if (gate && gate(gate_arg, uid) != 0) {
		out = PORTAL_SIGNIN_STOPPED;  /* the password is never tried */
		goto done;
	}

	/* the password is checked by binding as the user, on its own handle */
	step = 4;
	if ((as_user = portal_ldap_open(cfg, &rc)) == NULL)
		goto fail;
	rc = portal_ldap_bind(as_user, dn, password);
	if (rc == LDAP_INVALID_CREDENTIALS || rc == LDAP_INAPPROPRIATE_AUTH ||
	    rc == LDAP_UNWILLING_TO_PERFORM) {
		out = PORTAL_SIGNIN_INVALID;
		goto done;
	}
	if (rc != LDAP_SUCCESS)
		goto fail;

	step = 5;
	if ((found = read_user(cfg, svc, entry, dn, uid, user, &rc)) < 0)
		goto fail;
	out = found ? PORTAL_SIGNIN_OK : PORTAL_SIGNIN_INVALID;
	goto done;
fail:
	/* never shown to the person: they see "directory unavailable" */
	portal_log(PORTAL_LOG_ERROR, "directory error",
	           json_pack("{s:i, s:i, s:s, s:b}", "step", step, "ldap_rc", rc, "detail", ldap_err2string(rc),
	                     "unreachable", ldap_unreachable(rc)));
	out = PORTAL_SIGNIN_UNAVAILABLE;
done:
	if (out == PORTAL_SIGNIN_UNAVAILABLE)
		portal_metrics_ldap_error();  /* metrics: the directory failed */
	if (dn)
		ldap_memfree(dn);
	if (res)
		ldap_msgfree(res);
	if (as_user)
		ldap_unbind_ext_s(as_user, NULL, NULL);
	if (svc)
		ldap_unbind_ext_s(svc, NULL, NULL);
	return out;
}
