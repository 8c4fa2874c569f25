/* response.c - JSON, pages, redirects, bodies and errors (see response.h). */
#include "response.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "audit.h"
#include "log.h"
#include "notices.h"
#include "validate.h"

/* Start a fresh answer: forget whatever an earlier reply wrote. */
static void reply_reset(portal_ctx *ctx, int status, const char *content_type)
{
	portal_response *res = ctx->res;

	res->status = status;
	snprintf(res->content_type, sizeof(res->content_type), "%s", content_type);
	portal_buf_reset(&res->body);
	ctx->answered = 1;
}

void portal_header_add(portal_ctx *ctx, const char *name, const char *value)
{
	if (strpbrk(name, "\r\n:") || strpbrk(value, "\r\n"))
		return;
	portal_buf_printf(&ctx->res->headers, "%s: %s\r\n", name, value);
}

/* Serialise `v` as the JSON body. */
static void reply_json(portal_ctx *ctx, int status, json_t *v)
{
	char *text;

	reply_reset(ctx, status, "application/json; charset=utf-8");
	text = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) : NULL;
	if (text == NULL) {
		ctx->res->status = 500;
		portal_buf_puts(&ctx->res->body,
		                "{\"error\":{\"code\":\"internal_error\",\"message\":\"The answer could not be built. Try again.\"}}");
	} else {
		portal_buf_puts(&ctx->res->body, text);
		free(text);
	}
}

/* The "page" object every template sees. */
static json_t *page_object(portal_ctx *ctx, const char *title)
{
	json_t *page = json_pack("{s:s, s:s, s:b, s:s}",
	                         "title", title ? title : ctx->config->service_name,
	                         "service_name", ctx->config->service_name,
	                         "demo", ctx->config->demo,
	                         "path", ctx->req.path ? ctx->req.path : "/");
	if (page && ctx->user) {
		/* the header's unread count: one SCARD a page (notices.h) */
		const char *uid = json_string_value(json_object_get(ctx->user, "username"));
		long long unread = uid && ctx->store ? portal_notices_unread(ctx->store, uid) : -1;
		if (unread > 0)
			json_object_set_new(page, "unread", json_integer(unread));
		json_object_set(page, "user", ctx->user);
		json_t *csrf = json_object_get(ctx->user, "csrf_token");
		if (json_is_string(csrf))
			json_object_set(page, "csrf_token", csrf);
	}
	return page;
}

/* Render `tpl` with `data` inside the layout into the body. */
static void reply_html(portal_ctx *ctx, int status, const char *tpl, json_t *data)
{
	portal_buf content;
	json_t *page, *title;
	const char *title_s = ctx->route ? ctx->route->title : NULL;

	portal_buf_init(&content, 0);
	reply_reset(ctx, status, "text/html; charset=utf-8");
	if (!json_is_object(data)) {
		json_decref(data);
		data = json_object();
	}
	title = json_object_get(data, "title");
	if (json_is_string(title))
		title_s = json_string_value(title);
	page = page_object(ctx, title_s);
	json_object_set_new(data, "page", page);
	if (tpl == NULL || portal_templates_render(ctx->templates, tpl, data, &content) < 0)
		goto fail;
	json_object_set_new(page, "content", json_stringn(content.data ? content.data : "", content.len));
	if (portal_templates_render(ctx->templates, "layout", data, &ctx->res->body) < 0)
		goto fail;
	portal_buf_free(&content);
	json_decref(data);
	return;
fail:
	portal_log(PORTAL_LOG_ERROR, "page could not be rendered",
	           json_pack("{s:s, s:s}", "template", tpl ? tpl : "(none)", "request_id", ctx->req.id));
	portal_buf_free(&content);
	json_decref(data);
	reply_reset(ctx, 500, "text/plain; charset=utf-8");
	portal_buf_puts(&ctx->res->body, "Sorry, there is a problem with the service. Try again later.\n");
}

void portal_reply_page(portal_ctx *ctx, int status, const char *tpl, json_t *data)
{
	if (ctx->req.is_api) {
		reply_json(ctx, status, data);
		json_decref(data);
	} else
		reply_html(ctx, status, tpl, data);
}

void portal_reply(portal_ctx *ctx, int status, json_t *data)
{
	portal_reply_page(ctx, status, ctx->route ? ctx->route->template : NULL, data);
}

json_t *portal_error_json(const char *code, const char *message, json_t *fields)
{
	json_t *err = json_pack("{s:s, s:s}", "code", code, "message", message);

	if (err && fields && json_object_size(fields))
		json_object_set(err, "fields", fields);
	json_decref(fields);
	return json_pack("{s:o}", "error", err ? err : json_object());
}

/* The error answer with an optional reference id. */
static void reply_error_ref(portal_ctx *ctx, int status, const char *code,
                            const char *message, json_t *fields, const char *reference)
{
	json_t *body = portal_error_json(code, message, fields);

	if (reference)
		json_object_set_new(json_object_get(body, "error"), "reference", json_string(reference));
	if (ctx->req.is_api) {
		reply_json(ctx, status, body);
		json_decref(body);
		return;
	}
	json_object_set_new(body, "title", json_string(
		status == 404 ? "Page not found" :
		status >= 500 ? "Sorry, there is a problem with the service" :
		status == 401 ? "Sign in to continue" :
		status == 403 ? "You cannot see this page" : "There is a problem"));
	json_object_set_new(body, "status", json_integer(status));
	json_object_set_new(body, "is_not_found", json_boolean(status == 404));
	json_object_set_new(body, "is_server_error", json_boolean(status >= 500 && status != 503));
	json_object_set_new(body, "is_unavailable", json_boolean(status == 503));
	json_object_set_new(body, "is_forbidden", json_boolean(status == 403));
	json_object_set_new(body, "is_unauthorised", json_boolean(status == 401));
	reply_html(ctx, status, "error", body);
}

void portal_reply_error(portal_ctx *ctx, int status, const char *code,
                        const char *message, json_t *fields)
{
	reply_error_ref(ctx, status, code, message, fields, NULL);
}

void portal_reply_invalid(portal_ctx *ctx, json_t *errors, json_t *data)
{
	json_t *list;
	const char *field;
	json_t *msg;

	if (ctx->req.is_api) {
		json_decref(data);
		portal_reply_error(ctx, 422, "invalid_input",
		                   "Some of the information is not right: see fields for what to fix.", errors);
		return;
	}
	if (ctx->route == NULL || ctx->route->template == NULL) {
		/* a file outside /api/ (a CSV, a calendar) has no form to show the
		 * errors in: the error page, saying what was wrong */
		portal_buf msg_buf;
		portal_buf_init(&msg_buf, 512);
		portal_buf_puts(&msg_buf, "Some of the information is not right:");
		json_object_foreach(errors, field, msg) {
			portal_buf_puts(&msg_buf, " ");
			portal_buf_puts(&msg_buf, json_string_value(msg) ? json_string_value(msg) : field);
			portal_buf_puts(&msg_buf, ".");
		}
		json_decref(data);
		portal_reply_error(ctx, 422, "invalid_input", msg_buf.overflow || !msg_buf.data ?
		                   "Some of the information is not right: check the address." : msg_buf.data, errors);
		portal_buf_free(&msg_buf);
		return;
	}
	if (!json_is_object(data)) {
		json_decref(data);
		data = json_object();
	}
	list = json_array();
	json_object_foreach(errors, field, msg) {
		char href[80];
		snprintf(href, sizeof(href), "#%s", field);
		json_array_append_new(list, json_pack("{s:O, s:s}", "text", msg, "href", href));
	}
	json_object_set_new(data, "has_errors", json_true());
	json_object_set_new(data, "error_list", list);
	json_object_set_new(data, "errors", errors);
	/* what the person typed goes back into the form */
	if (json_object_get(data, "form") == NULL)
		json_object_set(data, "form", ctx->req.body);
	portal_reply(ctx, 422, data);
}

json_t *portal_valid_query(portal_ctx *ctx, portal_fields t)
{
	json_t *q = NULL, *errors = NULL;

	if (portal_validate(ctx->req.query, t, &q, &errors) == 0)
		return q;
	json_decref(q);
	portal_reply_invalid(ctx, errors, NULL);
	return NULL;
}

void portal_reply_forbidden(portal_ctx *ctx, const char *message)
{
	portal_audit(ctx, "refused", NULL, json_pack("{s:s, s:s, s:s}", "reason", "forbidden",
	             "method", ctx->req.method ? ctx->req.method : "-",
	             "path", ctx->req.path ? ctx->req.path : "-"));
	portal_reply_error(ctx, 403, "forbidden", message, NULL);
}

void portal_reply_redirect(portal_ctx *ctx, const char *location)
{
	/* only paths within the portal: "/x" but not "//host" or "/\host" */
	if (location[0] != '/' || location[1] == '/' || location[1] == '\\')
		location = "/";
	reply_reset(ctx, 303, "text/plain; charset=utf-8");
	portal_header_add(ctx, "Location", location);
	portal_buf_puts(&ctx->res->body, "See other\n");
}

void portal_reply_no_content(portal_ctx *ctx)
{
	reply_reset(ctx, 204, "");
}

void portal_reply_not_found(portal_ctx *ctx, const char *what)
{
	char msg[200];

	snprintf(msg, sizeof(msg), "There is no %s at this address that you can see: "
	         "check the link, or go back to the list.", what ? what : "page");
	portal_reply_error(ctx, 404, "not_found", msg, NULL);
}

int portal_reply_unless_found(portal_ctx *ctx, int rc, const char *what)
{
	if (rc > 0)
		return 0;
	if (rc == 0)
		portal_reply_not_found(ctx, what);
	else
		portal_reply_store_unavailable(ctx);
	return -1;
}

void portal_reply_done(portal_ctx *ctx, int status, const char *name, json_t *value,
                       const char *location, ...)
{
	char to[1024];  /* twice PORTAL_LOCAL_PATH_MAX: every "next" a page may go to */
	va_list ap;
	int n;

	if (ctx->req.is_api) {
		if (name)
			portal_reply(ctx, status, json_pack("{s:o}", name, value ? value : json_null()));
		else if (value)
			portal_reply(ctx, status, value);
		else
			portal_reply_no_content(ctx);
		return;
	}
	json_decref(value);
	va_start(ap, location);
	n = vsnprintf(to, sizeof(to), location, ap);
	va_end(ap);
	/* a cut path would lead elsewhere: the start page instead */
	portal_reply_redirect(ctx, n < 0 || (size_t)n >= sizeof(to) ? "/" : to);
}

void portal_reply_body(portal_ctx *ctx, int status, const char *content_type,
                       const char *filename, const char *data, size_t len)
{
	char disp[200];

	reply_reset(ctx, status, content_type);
	if (filename && strpbrk(filename, "\"\\\r\n") == NULL) {
		snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", filename);
		portal_header_add(ctx, "Content-Disposition", disp);
	}
	portal_buf_append(&ctx->res->body, data, len);
}

void portal_reply_store_unavailable(portal_ctx *ctx)
{
	portal_log(PORTAL_LOG_ERROR, "store unavailable",
	           json_pack("{s:s}", "request_id", ctx->req.id));
	portal_header_add(ctx, "Retry-After", "5");
	portal_reply_error(ctx, 503, "store_unavailable",
	                   "The portal's data store is not available just now. Nothing was changed: try again in a minute.",
	                   NULL);
}

void portal_reply_internal_error(portal_ctx *ctx, const char *cause)
{
	unsigned char rnd[6];
	char ref[13];
	size_t i;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		memset(rnd, 0, sizeof(rnd));
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(ref + 2 * i, 3, "%02X", rnd[i]);
	portal_log(PORTAL_LOG_ERROR, "internal error",
	           json_pack("{s:s, s:s, s:s}", "cause", cause, "reference", ref,
	                     "request_id", ctx->req.id));
	reply_error_ref(ctx, 500, "internal_error",
	                "Sorry, something went wrong on our side. Try again; if it keeps happening, quote the reference to the partnership's coordinators.",
	                NULL, ref);
}
