/* format.c - the cases module's files: the responsiveness report as CSV
 * (see cases.h).  Empty cells where a figure has nothing to count yet. */
#include "cases.h"

#include "jsonget.h"

int cases_responsiveness_csv(const json_t *report, portal_buf *out)
{
	const json_t *u, *median, *pct;
	size_t i;

	portal_buf_puts(out, "unit,unit_name,cases_shared,median_days_to_acknowledgement,"
	                     "updated_within_28_days_percent,closed_with_outcome\r\n");
	json_array_foreach(json_object_get(report, "units"), i, u) {
		portal_csv_field(out, portal_json_text(u, "code"));
		portal_buf_putc(out, ',');
		portal_csv_field(out, portal_json_text(u, "name"));
		portal_buf_printf(out, ",%lld,", portal_json_num(u, "shared"));
		if (json_is_real(median = json_object_get(u, "median_days_to_ack")))
			portal_buf_printf(out, "%.1f", json_real_value(median));
		portal_buf_putc(out, ',');
		if (json_is_integer(pct = json_object_get(u, "updated_within_28_days_percent")))
			portal_buf_printf(out, "%lld", (long long)json_integer_value(pct));
		portal_buf_printf(out, ",%lld\r\n", portal_json_num(u, "closed_with_outcome"));
	}
	return out->overflow ? -1 : 0;
}

/* The rows of trends table `t` (section `name`) as CSV. */
static void table_csv(const json_t *t, const char *name, const char *quarter, portal_buf *out)
{
	const json_t *columns = json_object_get(t, "columns"), *row, *cell;
	size_t i, k;

	json_array_foreach(json_object_get(t, "rows"), i, row)
		json_array_foreach(json_object_get(row, "cells"), k, cell) {
			portal_buf_printf(out, "%s,%s,", name, quarter);
			portal_csv_field(out, portal_json_text(row, "name"));
			portal_buf_putc(out, ',');
			portal_csv_field(out, portal_json_text(json_array_get(columns, k), "name"));
			portal_buf_putc(out, ',');
			portal_csv_field(out, portal_json_text(cell, "text"));
			portal_buf_puts(out, "\r\n");
		}
}

int cases_trends_csv(const json_t *trends, portal_buf *out)
{
	const char *quarter = portal_json_text(trends, "quarter");
	const json_t *n;
	size_t i;

	portal_buf_puts(out, "section,quarter,area,column,count\r\n");
	table_csv(json_object_get(trends, "shared"), "cases_shared", quarter, out);
	table_csv(json_object_get(trends, "holds"), "bed_holds", quarter, out);
	table_csv(json_object_get(trends, "unmet"), "bed_searches_unmet", quarter, out);
	portal_buf_puts(out, "\r\nnote_about,about,note,agency,written\r\n");
	json_array_foreach(json_object_get(trends, "notes"), i, n) {
		portal_csv_field(out, portal_json_text(n, "about_kind"));
		portal_buf_putc(out, ',');
		portal_csv_field(out, portal_json_text(n, "about_label"));
		portal_buf_putc(out, ',');
		portal_csv_field(out, portal_json_text(n, "note"));
		portal_buf_putc(out, ',');
		portal_csv_field(out, portal_json_text(n, "agency_name"));
		portal_buf_putc(out, ',');
		portal_csv_field(out, portal_json_text(n, "at_text"));
		portal_buf_puts(out, "\r\n");
	}
	return out->overflow ? -1 : 0;
}
