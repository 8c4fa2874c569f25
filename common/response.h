/* response.h - one way to answer: a handler result becomes JSON under
 * /api/, or the route's template inside the shared layout elsewhere.
 *
 * Every function here ends the handler's answer (ctx->answered); a second
 * call replaces the first.  Functions that take a json_t * steal the
 * reference.  Errors have one shape everywhere:
 *   {"error":{"code":"snake_case","message":"what went wrong and how to fix it",
 *             "fields":{"field":"what to fix"}}}
 * Internal failures never show a Redis or LDAP text: the person sees a
 * reference id, and the log line carries the same id with the cause.
 */
#ifndef PORTAL_RESPONSE_H
#define PORTAL_RESPONSE_H

#include <jansson.h>

#include "app.h"
#include "field.h"

/* Answer `status` with `data` (an object): JSON under /api/, else the
 * route's template rendered with data (plus "page") inside the layout. */
void portal_reply(portal_ctx *ctx, int status, json_t *data);

/* Answer with template `tpl` instead of the route's own. */
void portal_reply_page(portal_ctx *ctx, int status, const char *tpl, json_t *data);

/* Answer an error.  `fields` (object field -> message) may be NULL. */
void portal_reply_error(portal_ctx *ctx, int status, const char *code,
                        const char *message, json_t *fields);

/* 422 invalid_input for fields that failed validation.  `errors` (field ->
 * message, from portal_validate) is stolen.  Under /api/ the JSON error with
 * "fields"; on a page, the route's template again with `data` (stolen; may
 * be NULL) plus "has_errors", "error_list" [{"text","href":"#field"}] for the
 * GOV.UK error summary and "errors" {field: message} for each field, so a
 * template shows {{#errors.capacity}}...{{errors.capacity}}. */
void portal_reply_invalid(portal_ctx *ctx, json_t *errors, json_t *data);

/* The request's query checked against table `t`: the valid query (a new
 * reference), or NULL after answering 422 as portal_reply_invalid (with
 * no page data).  So a list handler reads
 *     if ((q = portal_valid_query(ctx, NAME_query_fields)) == NULL)
 *         return; */
json_t *portal_valid_query(portal_ctx *ctx, portal_fields t);

/* 403 forbidden with `message`; the refusal goes to the audit stream. */
void portal_reply_forbidden(portal_ctx *ctx, const char *message);

/* 303 See Other to `location` (a path within the portal). */
void portal_reply_redirect(portal_ctx *ctx, const char *location);

/* 404 not_found for a record the address names that does not exist, or
 * that the person may not see: "There is no WHAT at this address that you
 * can see: ..." (`what`: "safehouse", "training session"). */
void portal_reply_not_found(portal_ctx *ctx, const char *what);

/* The answer to a load by id, from the loader's result `rc`: 1 (found)
 * answers nothing and returns 0; 0 (no such record) answers 404 as
 * portal_reply_not_found(what), below 0 (the store failed) 503; both
 * return -1.  So a handler reads
 *     if (portal_reply_unless_found(ctx, NAME_load(ctx->store, id, &rec), "thing") < 0)
 *         goto done; */
int portal_reply_unless_found(portal_ctx *ctx, int rc, const char *what);

/* The end of a handler that both a page's form and the API reach.  Under
 * /api/: `status` with {name: value}; with name NULL, value itself; with
 * value NULL too, 204 No Content.  On a page: 303 See Other to the path
 * printf-formatted from `location` (value is released).  value is stolen. */
void portal_reply_done(portal_ctx *ctx, int status, const char *name, json_t *value,
                       const char *location, ...) __attribute__((format(printf, 5, 6)));

/* 204 No Content. */
void portal_reply_no_content(portal_ctx *ctx);

/* A body of another type (text/csv, text/calendar).  With `filename` the
 * answer is an attachment of that name. */
void portal_reply_body(portal_ctx *ctx, int status, const char *content_type,
                       const char *filename, const char *data, size_t len);

/* 503 store_unavailable: Redis could not be reached. */
void portal_reply_store_unavailable(portal_ctx *ctx);

/* 500 internal_error: logs `cause` with a reference id that the person sees. */
void portal_reply_internal_error(portal_ctx *ctx, const char *cause);

/* Add a response header (name and value must hold no CR or LF; refused
 * silently otherwise). */
void portal_header_add(portal_ctx *ctx, const char *name, const char *value);

/* Build the error object {"error":{...}} (new reference). */
json_t *portal_error_json(const char *code, const char *message, json_t *fields);

#endif
