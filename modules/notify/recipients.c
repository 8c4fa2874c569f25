/* recipients.c - who hears of an event, from the directory (LDAP), as the
 * service account, with the network and operation timeouts of every LDAP
 * call in the portal (common/signin.c's portal_ldap_open).  Per person: the
 * canonical uid (PORTAL_LDAP_USER_ATTR) and the `mail`.
 *
 *   NOTIFY_TO_AGENCY_STAFF   the agency's NGO staff: entries whose agency
 *                            attribute (PORTAL_LDAP_AGENCY_ID_ATTR) is the
 *                            event's field and who are members of
 *                            PORTAL_LDAP_GROUP_NGO
 *   NOTIFY_TO_AGENCY_ONCALL  the same, and the agency entry's own `mail` (its
 *                            on-call address, the entry ou=AGENCY under
 *                            PORTAL_LDAP_AGENCY_BASE; no uid) when it has one
 *   NOTIFY_TO_UID, _UIDS     the people the field names, by uid
 *   NOTIFY_TO_COORDINATORS   the members of PORTAL_LDAP_GROUP_COORDINATOR
 *   NOTIFY_TO_BOTH_SIDES     the agency's as ..._ONCALL, and the uid's person
 *   NOTIFY_TO_UNIT_STAFF     the police staff of a unit: people whose unit
 *                            attribute (PORTAL_LDAP_UNIT_ATTR) is the field
 *   NOTIFY_TO_OTHER_SIDE     a case's other side: the unit's staff or the
 *                            NGO's (fields "unit", "ngo_agency")
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

void notify_rcpts_add(notify_rcpts *r, const char *uid, size_t uidlen, const char *addr, size_t addrlen)
{
	size_t i;

	if (r->n == NOTIFY_MAX_RCPT || uidlen >= NOTIFY_UID_MAX || (uidlen == 0 && addrlen == 0))
		return;
	if (!addr_ok(addr, addrlen))
		addrlen = 0;
	for (i = 0; i < r->n; i++)
		if (uidlen ? strlen(r->to[i].uid) == uidlen && memcmp(r->to[i].uid, uid, uidlen) == 0
		           : !r->to[i].uid[0] && strlen(r->to[i].addr) == addrlen &&
		             strncasecmp(r->to[i].addr, addr, addrlen) == 0)
			return;
	if (uidlen == 0 && addrlen == 0)
		return;
	memcpy(r->to[r->n].uid, uid, uidlen);
	r->to[r->n].uid[uidlen] = '\0';
	memcpy(r->to[r->n].addr, addr, addrlen);
	r->to[r->n++].addr[addrlen] = '\0';
}

/* Add entry e: its uid (attribute uid_attr; none for an agency) and mail. */
static void add_entry(LDAP *ld, LDAPMessage *e, const char *uid_attr, notify_rcpts *r)
{
	struct berval **m = ldap_get_values_len(ld, e, "mail");
	struct berval **u = uid_attr ? ldap_get_values_len(ld, e, uid_attr) : NULL;

	if (uid_attr == NULL || (u && u[0]))
		notify_rcpts_add(r, u ? u[0]->bv_val : "", u ? u[0]->bv_len : 0, m && m[0] ? m[0]->bv_val : "",
		                 m && m[0] ? m[0]->bv_len : 0);
	if (m)
		ldap_value_free_len(m);
	if (u)
		ldap_value_free_len(u);
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

/* The members' DNs of group `dn` (NULL when it has none); the LDAP code. */
static int group_members(const portal_config *cfg, LDAP *ld, const char *dn, struct berval ***members)
{
	char *attrs[] = { "member", NULL };
	LDAPMessage *res = NULL, *e;
	int rc = find(cfg, ld, dn, LDAP_SCOPE_BASE, 0, "objectClass", "groupOfNames", attrs, &res);

	*members = NULL;
	if (rc == LDAP_SUCCESS && (e = ldap_first_entry(ld, res)) != NULL)
		*members = ldap_get_values_len(ld, e, "member");
	if (res)
		ldap_msgfree(res);
	return rc == LDAP_NO_SUCH_OBJECT ? LDAP_SUCCESS : rc;
}

/* The NGO staff of `agency`, and with `oncall` the agency's own address. */
static int agency_staff(const portal_config *cfg, const notify_settings *s, LDAP *ld,
                        const char *agency, int oncall, notify_rcpts *r)
{
	char *attrs[] = { "mail", (char *)cfg->ldap_user_attr, NULL };
	struct berval **members = NULL;
	LDAPMessage *res = NULL, *e;
	int rc = group_members(cfg, ld, cfg->ldap_group_dn[1], &members);

	if (rc == LDAP_SUCCESS)
		rc = find(cfg, ld, cfg->ldap_people_base, LDAP_SCOPE_SUBTREE, 1,
		          cfg->ldap_agency_id_attr, agency, attrs, &res);
	for (e = rc == LDAP_SUCCESS ? ldap_first_entry(ld, res) : NULL; e; e = ldap_next_entry(ld, e)) {
		char *dn = ldap_get_dn(ld, e);
		if (dn && is_member(members, dn))
			add_entry(ld, e, cfg->ldap_user_attr, r);
		ldap_memfree(dn);
	}
	if (res)
		ldap_msgfree(res);
	if (members)
		ldap_value_free_len(members);
	if (rc != LDAP_SUCCESS || !oncall)
		return rc;
	/* the agency's own (on-call) address */
	rc = find(cfg, ld, s->agency_base, LDAP_SCOPE_ONELEVEL, 0, "ou", agency, attrs, &res);
	if (rc == LDAP_SUCCESS && (e = ldap_first_entry(ld, res)) != NULL)
		add_entry(ld, e, NULL, r);
	if (res)
		ldap_msgfree(res);
	return rc == LDAP_NO_SUCH_OBJECT ? LDAP_SUCCESS : rc;
}

/* The coordinators: each member of PORTAL_LDAP_GROUP_COORDINATOR read. */
static int coordinators(const portal_config *cfg, LDAP *ld, notify_rcpts *r)
{
	char *attrs[] = { "mail", (char *)cfg->ldap_user_attr, NULL };
	struct berval **members = NULL;
	int rc = group_members(cfg, ld, cfg->ldap_group_dn[3], &members);
	size_t i;

	for (i = 0; rc == LDAP_SUCCESS && members && members[i]; i++) {
		LDAPMessage *res = NULL;
		char dn[1024];
		snprintf(dn, sizeof(dn), "%.*s", (int)members[i]->bv_len, members[i]->bv_val);
		rc = find(cfg, ld, dn, LDAP_SCOPE_BASE, 0, "objectClass", "inetOrgPerson", attrs, &res);
		if (rc == LDAP_SUCCESS && ldap_first_entry(ld, res))
			add_entry(ld, ldap_first_entry(ld, res), cfg->ldap_user_attr, r);
		if (rc == LDAP_NO_SUCH_OBJECT)
			rc = LDAP_SUCCESS;  /* a member whose entry is gone */
		if (res)
			ldap_msgfree(res);
	}
	if (members)
		ldap_value_free_len(members);
	return rc;
}

static int person(const portal_config *cfg, LDAP *ld, const char *uid, notify_rcpts *r)
{
	char *attrs[] = { "mail", (char *)cfg->ldap_user_attr, NULL };
	LDAPMessage *res = NULL;
	int rc = find(cfg, ld, cfg->ldap_people_base, LDAP_SCOPE_SUBTREE, 1,
	              cfg->ldap_user_attr, uid, attrs, &res);

	if (rc == LDAP_SUCCESS && ldap_count_entries(ld, res) == 1)
		add_entry(ld, ldap_first_entry(ld, res), cfg->ldap_user_attr, r);
	if (res)
		ldap_msgfree(res);
	return rc;
}

/* The police staff of `unit`: every person whose unit attribute is it. */
static int unit_staff(const portal_config *cfg, LDAP *ld, const char *unit, notify_rcpts *r)
{
	char *attrs[] = { "mail", (char *)cfg->ldap_user_attr, NULL };
	LDAPMessage *res = NULL, *e;
	int rc;

	if (unit == NULL || !unit[0] || cfg->ldap_unit_attr == NULL || !cfg->ldap_unit_attr[0])
		return LDAP_SUCCESS;
	rc = find(cfg, ld, cfg->ldap_people_base, LDAP_SCOPE_SUBTREE, 1, cfg->ldap_unit_attr, unit, attrs, &res);
	for (e = rc == LDAP_SUCCESS ? ldap_first_entry(ld, res) : NULL; e; e = ldap_next_entry(ld, e))
		add_entry(ld, e, cfg->ldap_user_attr, r);
	if (res)
		ldap_msgfree(res);
	return rc;
}

/* A case's side that did not act (`acted` "unit" or "ngo"; else both). */
static int other_side(const portal_config *cfg, const notify_settings *s, LDAP *ld, const notify_event *ev,
                      const char *acted, notify_rcpts *r)
{
	const char *agency = notify_event_get(ev, "ngo_agency");
	int rc = LDAP_SUCCESS;

	if ((acted == NULL || strcmp(acted, "ngo") != 0) && agency && agency[0])
		rc = agency_staff(cfg, s, ld, agency, 0, r);
	if (rc == LDAP_SUCCESS && (acted == NULL || strcmp(acted, "unit") != 0))
		rc = unit_staff(cfg, ld, notify_event_get(ev, "unit"), r);
	return rc;
}

/* Each uid of the space-separated list: from the directory (ld), or as the
 * event names it (ld NULL). */
static int people(const portal_config *cfg, LDAP *ld, const char *uids, notify_rcpts *r)
{
	char one[NOTIFY_UID_MAX];
	const char *p = uids;
	size_t len;
	int rc = LDAP_SUCCESS;

	while (*p && rc == LDAP_SUCCESS) {
		len = strcspn(p, " ");
		if (len > 0 && len < sizeof(one)) {
			memcpy(one, p, len);
			one[len] = '\0';
			if (ld)
				rc = person(cfg, ld, one, r);
			else
				notify_rcpts_add(r, one, len, "", 0);
		}
		p += len + (p[len] == ' ');
	}
	return rc;
}

/* Who hears of ev, with the directory handle ld (NULL: uids only). */
static int audience(const portal_config *cfg, const notify_settings *s, LDAP *ld, const notify_event *ev,
                    notify_rcpts *r)
{
	const char *who = ev->kind->who ? notify_event_get(ev, ev->kind->who) : NULL;

	switch (ev->kind->to) {
	case NOTIFY_TO_AGENCY_ONCALL:
	case NOTIFY_TO_AGENCY_STAFF:
		return who && who[0] ? agency_staff(cfg, s, ld, who, ev->kind->to == NOTIFY_TO_AGENCY_ONCALL, r)
		                     : LDAP_SUCCESS;
	case NOTIFY_TO_UID:
	case NOTIFY_TO_UIDS:
		return who ? people(cfg, ld, who, r) : LDAP_SUCCESS;
	case NOTIFY_TO_COORDINATORS:
		return coordinators(cfg, ld, r);
	case NOTIFY_TO_BOTH_SIDES: {
		const char *agency = notify_event_get(ev, "agency");
		int rc = agency && agency[0] ? agency_staff(cfg, s, ld, agency, 1, r) : LDAP_SUCCESS;
		return rc == LDAP_SUCCESS && who ? people(cfg, ld, who, r) : rc;
	}
	case NOTIFY_TO_UNIT_STAFF:
		return unit_staff(cfg, ld, who, r);
	case NOTIFY_TO_OTHER_SIDE:
		return other_side(cfg, s, ld, ev, who, r);
	}
	return LDAP_SUCCESS;
}

int notify_recipients(const portal_config *cfg, const notify_settings *s,
                      const notify_event *ev, int need_mail, notify_rcpts *r)
{
	LDAP *ld = NULL;
	int rc;

	r->n = 0;
	if (!need_mail && (ev->kind->to == NOTIFY_TO_UID || ev->kind->to == NOTIFY_TO_UIDS))
		return audience(cfg, s, NULL, ev, r) == LDAP_SUCCESS ? 0 : -1;
	if ((ld = portal_ldap_open(cfg, &rc)) != NULL &&
	    (rc = portal_ldap_bind(ld, cfg->ldap_bind_dn, cfg->ldap_bind_password ? cfg->ldap_bind_password : "")) ==
	    LDAP_SUCCESS)
		rc = audience(cfg, s, ld, ev, r);
	if (ld)
		ldap_unbind_ext_s(ld, NULL, NULL);
	if (rc != LDAP_SUCCESS) {
		portal_log(PORTAL_LOG_ERROR, "directory error while finding recipients",
		           json_pack("{s:s, s:i, s:s}", "event", ev->id, "ldap_rc", rc, "detail", ldap_err2string(rc)));
		return -1;
	}
	return 0;
}
