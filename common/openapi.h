/* openapi.h - a module's part of the API description (OpenAPI 3.1), made
 * from its route table (see openapi.c; the build joins the parts with
 * portal-apidoc, common/apidoc.c). */
#ifndef PORTAL_OPENAPI_H
#define PORTAL_OPENAPI_H

#include <jansson.h>

#include "app.h"

/* {"module": NAME, "paths": {...}}: every route of `app` with an API side.
 * Schemas are named by their file from the project's top ("$ref":
 * "modules/beds/schemas/hold.json").  A new object (NULL when out of memory). */
json_t *portal_openapi_part(const portal_app *app);

#endif
