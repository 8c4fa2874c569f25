/* format.c - the training module's files: the roster and uptake CSV (RFC
 * 4180).  Pure functions.  (A booking's calendar file is common/ics.c's.) */
#include "training.h"

#include <stdio.h>
#include <string.h>

#include "jsonget.h"

/* ---- CSV -------------------------------------------------------------- */

/* Append one CSV row of `n` string fields, CRLF-terminated. */
static void training_csv_row(portal_buf *out, const char *const *fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			portal_buf_putc(out, ',');
		portal_csv_field(out, fields[i] ? fields[i] : "");
	}
	portal_buf_puts(out, "\r\n");
}

int training_roster_csv(portal_buf *out, const json_t *roster)
{
	static const char *const header[] = { "name", "agency", "agency_type", "status", "waitlist_position", "attendance" };
	const json_t *b;
	size_t i;

	training_csv_row(out, header, 6);
	json_array_foreach(roster, i, b) {
		char pos[24] = "";
		json_int_t p = json_integer_value(json_object_get(b, "waitlist_position"));
		const char *row[6];

		if (p > 0)
			snprintf(pos, sizeof(pos), "%lld", (long long)p);
		row[0] = portal_json_text(b, "name");
		row[1] = portal_json_text(b, "agency_name");
		row[2] = portal_json_text(b, "agency_type");
		row[3] = portal_json_text(b, "status");
		row[4] = pos;
		row[5] = portal_json_text(b, "attendance");
		training_csv_row(out, row, 6);
	}
	return out->overflow ? -1 : 0;
}

int training_uptake_csv(portal_buf *out, const json_t *finished)
{
	static const char *const header[] = { "dimension", "key", "label", "confirmed", "waitlisted", "attended", "partial", "no_show" };
	static const char *const dims[][2] = { { "courses", "course" }, { "agency_types", "agency_type" }, { "agencies", "agency" } };
	size_t d, i, k;

	training_csv_row(out, header, 8);
	for (d = 0; d < 3; d++) {
		const json_t *row;
		json_array_foreach(json_object_get(finished, dims[d][0]), i, row) {
			char nums[5][24];
			const char *f[8];

			f[0] = dims[d][1];
			f[1] = portal_json_text(row, "key");
			f[2] = portal_json_text(row, "label");
			for (k = 0; k < 5; k++) {
				snprintf(nums[k], sizeof(nums[k]), "%lld",
				         (long long)json_integer_value(json_object_get(row, training_report_counters[k])));
				f[3 + k] = nums[k];
			}
			training_csv_row(out, f, 8);
		}
	}
	return out->overflow ? -1 : 0;
}

