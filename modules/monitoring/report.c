/* report.c - the quarterly monitoring figures for coordinators (issue 18
 * parts 2 and 3): GET /api/v1/monitoring?quarter=2026-Q4 (JSON), the page
 * /monitoring/report?quarter= (charts with their tables, printable one
 * section an A4 landscape page) and /monitoring/report.csv.  The quarter
 * defaults to this one; a quarter not written as 2026-Q4 is 400. */
#include "monitoring.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "jsonget.h"
#include "response.h"

/* The query's quarter into out (this quarter when none): 0, or -1 after
 * answering 400 saying the form. */
static int quarter_asked(portal_ctx *ctx, char *out, size_t len)
{
	const char *q = portal_json_text(ctx->req.query, "quarter");
	int year, n;

	if (q[0] == '\0') {
		monitoring_quarter_at(time(NULL), out, len);
		return 0;
	}
	if (monitoring_quarter_parse(q, &year, &n) < 0) {
		if (ctx->req.is_api || ctx->route == NULL || ctx->route->template == NULL)
			portal_reply_error(ctx, 400, "bad_quarter", "Enter the quarter as the year, a dash, Q and the "
			                   "quarter's number from 1 to 4, like 2026-Q4.", json_pack("{s:s}", "quarter",
			                   "Enter the quarter like 2026-Q4"));
		else  /* the page: its chooser again, saying what to do */
			portal_reply_invalid(ctx, json_pack("{s:s}", "quarter", "Choose a quarter from the list"),
			                     monitoring_report_chooser(time(NULL)));
		return -1;
	}
	snprintf(out, len, "%s", q);
	return 0;
}

/* The figures of the asked quarter, or NULL after answering; the quarter
 * into quarter. */
static json_t *figures_read(portal_ctx *ctx, char *quarter, size_t len)
{
	char list[MONITORING_TREND_QUARTERS * 8 + 1] = "", q[16];
	monitoring_answer kept, texts;
	json_t *report = NULL, *figures = NULL;
	monitoring_sources src;

	if (quarter_asked(ctx, quarter, len) < 0)
		return NULL;
	for (int back = MONITORING_TREND_QUARTERS - 1; back >= 0; back--) {
		monitoring_quarter_back(quarter, back, q, sizeof(q));
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", list[0] ? "," : "", q);
	}
	monitoring_store_figures(ctx->store, list, &kept);
	monitoring_store_texts(ctx->store, &texts);
	if (monitoring_reply_failed(ctx, &kept, "figures") || monitoring_reply_failed(ctx, &texts, "texts"))
		goto done;
	if (monitoring_store_responsiveness(ctx->store, &report) < 0) {
		portal_reply_store_unavailable(ctx);
		goto done;
	}
	src = (monitoring_sources){ json_object_get(kept.data, "quarters"), json_object_get(texts.data, "texts"),
	                            json_object_get(texts.data, "themes"), report };
	figures = monitoring_figures(&src, quarter, time(NULL));
	portal_audit(ctx, "monitoring_figures_viewed", NULL, json_pack("{s:s}", "quarter", quarter));
done:
	json_decref(report);
	monitoring_answer_free(&kept);
	monitoring_answer_free(&texts);
	return figures;
}

void monitoring_report(portal_ctx *ctx)
{
	char quarter[16];
	json_t *figures = figures_read(ctx, quarter, sizeof(quarter));

	if (figures == NULL)
		return;
	if (ctx->req.is_api)
		portal_reply(ctx, 200, figures);
	else
		portal_reply(ctx, 200, monitoring_report_page(figures, time(NULL)));
}

void monitoring_report_csv(portal_ctx *ctx)
{
	char quarter[16], name[64];
	json_t *figures = figures_read(ctx, quarter, sizeof(quarter));
	portal_buf out;

	if (figures == NULL)
		return;
	portal_buf_init(&out, 0);
	snprintf(name, sizeof(name), "monitoring-%s.csv", quarter);
	if (monitoring_report_csv_write(figures, &out) < 0)
		portal_reply_internal_error(ctx, "monitoring csv: out of memory");
	else
		portal_reply_body(ctx, 200, "text/csv; charset=utf-8", name, out.data, out.len);
	portal_buf_free(&out);
	json_decref(figures);
}
