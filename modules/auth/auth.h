/* auth.h - portal-auth's handlers kept outside main.c. */
#ifndef AUTH_H
#define AUTH_H

#include "app.h"

/* GET / - what the portal is for; signed in, the dashboard of the
 * person's roles and the features they open (dashboard.c). */
void auth_start_page(portal_ctx *ctx);

/* GET /api/v1/dashboard - {"sections":[{kind, title, count, items:[{text,
 * link}]}]}: what the start page shows (dashboard.c). */
void auth_dashboard(portal_ctx *ctx);

#endif
