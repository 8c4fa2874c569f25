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
