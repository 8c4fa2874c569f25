/* notifications.h - portal-auth's notification pages and API (issue 16):
 * a person's notifications, their e-mail choices, the coordinators' dead
 * letters, all read and written through common/notices.h. */
#ifndef AUTH_NOTIFICATIONS_H
#define AUTH_NOTIFICATIONS_H

#include "app.h"

/* The query of the lists: page, per_page (default 20, at most 100). */
extern const portal_fields auth_notices_query;

/* GET /notifications, GET /api/v1/notifications */
void auth_notifications_list(portal_ctx *ctx);
/* POST /notifications/read-all, POST /api/v1/notifications/read-all */
void auth_notifications_read_all(portal_ctx *ctx);
/* POST /notifications/{id}/read, POST /api/v1/notifications/{id}/read */
void auth_notification_read(portal_ctx *ctx);
/* GET /notifications/settings, GET /api/v1/notifications/preferences */
void auth_notification_settings(portal_ctx *ctx);
/* POST /notifications/settings, PUT /api/v1/notifications/preferences */
void auth_notification_settings_save(portal_ctx *ctx);
/* GET /notifications/dead-letters, GET /api/v1/notifications/dead-letters */
void auth_dead_letters(portal_ctx *ctx);

#endif
