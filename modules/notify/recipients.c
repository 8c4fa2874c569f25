/* recipients.c - who hears of an event, from the directory (LDAP), as the
 * service account, with the network and operation timeouts of every LDAP
 * call in the portal (common/signin.c's portal_ldap_open).
 *
 *   hold_placed     the owning agency's NGO staff (entries whose agency
 *                   attribute, PORTAL_LDAP_AGENCY_ID_ATTR, is the agency and
 *                   who are members of PORTAL_LDAP_GROUP_NGO) with a `mail`,
 *                   and the agency entry's own `mail` (its on-call address,
 *                   the entry ou=AGENCY under PORTAL_LDAP_AGENCY_BASE) when
 *                   it has one
 *   anything else   the responder, by uid (PORTAL_LDAP_USER_ATTR)
 */
#include <string.h>
#include <strings.h>

#include "log.h"
#include "notify.h"
#include "signin.h"

/* A plain address: one '@', no spaces, controls or <>,;"\ and not too long. */
static int addr_ok(const char *a, size_t len)
{
	size_t i, at = 0;

	if (len < 3 || len >= NOTIFY_ADDR_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)a[i];
		if (c <= 0x20 || c >= 0x7f || strchr("<>,;\"\\()[]", c))
			return 0;
		at += c == '@';
	}
	return at == 1 && a[0] != '@' && a[len - 1] != '@';
}

static void add_mail(LDAP *ld, LDAPMessage *e, notify_rcpts *r)
{
	struct berval **v = ldap_get_values_len(ld, e, "mail");
	size_t i;

	if (v && v[0] && addr_ok(v[0]->bv_val, v[0]->bv_len) && r->n < NOTIFY_MAX_RCPT) {
		for (i = 0; i < r->n; i++)
			if (strlen(r->addr[i]) == v[0]->bv_len && strncasecmp(r->addr[i], v[0]->bv_val, v[0]->bv_len) == 0)
				break;
		if (i == r->n) {
			memcpy(r->addr[r->n], v[0]->bv_val, v[0]->bv_len);
			r->addr[r->n++][v[0]->bv_len] = '\0';
		}
	}
	if (v)
		ldap_value_free_len(v);
}

/* Search (attr=value), of people only when `people`, with the configured
 * timeout; *res to free.  The LDAP code. */
static int find(const portal_config *cfg, LDAP *ld, const char *base, int scope, int people,
                const char *attr, const char *value, char **attrs, LDAPMessage **res)
{
	struct timeval tv = { cfg->ldap_timeout, 0 };
	char *esc = portal_ldap_filter_escape(value), filter[600];
	int rc;

	*res = NULL;
	if (esc == NULL)
		return LDAP_NO_MEMORY;
	if (people)
		snprintf(filter, sizeof(filter), "(&(objectClass=inetOrgPerson)(%s=%s))", attr, esc);
	else
		snprintf(filter, sizeof(filter), "(%s=%s)", attr, esc);
	ber_memfree(esc);
	rc = ldap_search_ext_s(ld, base, scope, filter, attrs, 0, NULL, NULL, &tv, 1000, res);
	return rc == LDAP_SIZELIMIT_EXCEEDED ? LDAP_SUCCESS : rc;
}

static int is_member(struct berval **members, const char *dn)
{
	size_t i;

	for (i = 0; members && members[i]; i++)
		if (strlen(dn) == members[i]->bv_len && strncasecmp(dn, members[i]->bv_val, members[i]->bv_len) == 0)
			return 1;
	return 0;
}

/* The NGO group's members' DNs (NULL when it has none); the LDAP code. */
static int ngo_members(const portal_config *cfg, LDAP *ld, struct berval ***members)
{
	char *attrs[] = { "member", NULL };
	LDAPMessage *res = NULL, *e;
	int rc = find(cfg, ld, cfg->ldap_group_dn[1], LDAP_SCOPE_BASE, 0, "objectClass", "groupOfNames",
	              attrs, &res);

	*members = NULL;
	if (rc == LDAP_SUCCESS && (e = ldap_first_entry(ld, res)) != NULL)
		*members = ldap_get_values_len(ld, e, "member");
	if (res)
		ldap_msgfree(res);
	return rc == LDAP_NO_SUCH_OBJECT ? LDAP_SUCCESS : rc;
}

static int agency_staff(const portal_config *cfg, const notify_settings *s, LDAP *ld,
                        const char *agency, notify_rcpts *r)
{
	char *attrs[] = { "mail", NULL };
	struct berval **members = NULL;
	LDAPMessage *res = NULL, *e;
	int rc = ngo_members(cfg, ld, &members);

	if (rc == LDAP_SUCCESS)
		rc = find(cfg, ld, cfg->ldap_people_base, LDAP_SCOPE_SUBTREE, 1,
		          cfg->ldap_agency_id_attr, agency, attrs, &res);
	for (e = rc == LDAP_SUCCESS ? ldap_first_entry(ld, res) : NULL; e; e = ldap_next_entry(ld, e)) {
		char *dn = ldap_get_dn(ld, e);
		if (dn && is_member(members, dn))
			add_mail(ld, e, r);
		ldap_memfree(dn);
	}
	if (res)
		ldap_msgfree(res);
	if (members)
		ldap_value_free_len(members);
	if (rc != LDAP_SUCCESS)
		return rc;
	/* the agency's own (on-call) address */
	rc = find(cfg, ld, s->agency_base, LDAP_SCOPE_ONELEVEL, 0, "ou", agency, attrs, &res);
	if (rc == LDAP_SUCCESS && (e = ldap_first_entry(ld, res)) != NULL)
		add_mail(ld, e, r);
	if (res)
		ldap_msgfree(res);
	return rc == LDAP_NO_SUCH_OBJECT ? LDAP_SUCCESS : rc;
}

static int person(const portal_config *cfg, LDAP *ld, const char *uid, notify_rcpts *r)
{
	char *attrs[] = { "mail", NULL };
	LDAPMessage *res = NULL;
	int rc = find(cfg, ld, cfg->ldap_people_base, LDAP_SCOPE_SUBTREE, 1,
	              cfg->ldap_user_attr, uid, attrs, &res);

	if (rc == LDAP_SUCCESS && ldap_count_entries(ld, res) == 1)
		add_mail(ld, ldap_first_entry(ld, res), r);
	if (res)
		ldap_msgfree(res);
	return rc;
}

int notify_recipients(const portal_config *cfg, const notify_settings *s,
                      const notify_event *ev, notify_rcpts *r)
{
	LDAP *ld;
	int rc;

	r->n = 0;
	if ((ld = portal_ldap_open(cfg, &rc)) != NULL &&
	    (rc = portal_ldap_bind(ld, cfg->ldap_bind_dn, cfg->ldap_bind_password ? cfg->ldap_bind_password : "")) ==
	    LDAP_SUCCESS)
		rc = ev->kind->to == NOTIFY_TO_AGENCY_NGO ? agency_staff(cfg, s, ld, ev->agency, r)
		                                          : person(cfg, ld, ev->responder, r);
	if (ld)
		ldap_unbind_ext_s(ld, NULL, NULL);
	if (rc != LDAP_SUCCESS) {
		portal_log(PORTAL_LOG_ERROR, "directory error while finding recipients",
		           json_pack("{s:s, s:i, s:s}", "event", ev->id, "ldap_rc", rc, "detail", ldap_err2string(rc)));
		return -1;
	}
	return 0;
}
