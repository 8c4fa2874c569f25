/* format.c - the beds module's files: the holds report as CSV (see beds.h). */
#include "beds.h"

#include "jsonget.h"
#include "response.h"

int beds_report_csv(const json_t *report, const char *from, const char *to, portal_buf *out)
{
	const json_t *row;
	size_t i;

	portal_buf_puts(out, "section,from,to,bed_group,measure,count\r\n");
	json_array_foreach(json_object_get(report, "groups"), i, row) {
		static const char *const measures[] = { "placed", "accepted", "declined", "expired", "cancelled", "pending" };
		size_t k;
		for (k = 0; k < sizeof(measures) / sizeof(measures[0]); k++) {
			portal_buf_puts(out, "holds,");
			portal_csv_field(out, from);
			portal_buf_putc(out, ',');
			portal_csv_field(out, to);
			portal_buf_putc(out, ',');
			portal_csv_field(out, json_string_value(json_object_get(row, "group")));
			portal_buf_printf(out, ",%s,%lld\r\n", measures[k], portal_json_num(row, measures[k]));
		}
	}
	json_array_foreach(json_object_get(report, "declined_reasons"), i, row) {
		portal_buf_puts(out, "declined_reason,");
		portal_csv_field(out, from);
		portal_buf_putc(out, ',');
		portal_csv_field(out, to);
		portal_buf_puts(out, ",,");
		portal_csv_field(out, json_string_value(json_object_get(row, "reason")));
		portal_buf_printf(out, ",%lld\r\n", portal_json_num(row, "count"));
	}
	json_array_foreach(json_object_get(report, "unmet"), i, row) {
		portal_buf_puts(out, "unmet_need,");
		portal_csv_field(out, from);
		portal_buf_putc(out, ',');
		portal_csv_field(out, to);
		portal_buf_putc(out, ',');
		portal_csv_field(out, json_string_value(json_object_get(row, "group")));
		portal_buf_putc(out, ',');
		portal_csv_field(out, json_string_value(json_object_get(row, "needs")));
		portal_buf_printf(out, ",%lld\r\n", portal_json_num(row, "count"));
	}
	return out->overflow ? -1 : 0;
}

