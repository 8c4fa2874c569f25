/* test_csv.c - one CSV field (portal_csv_field, common/buf.c), read back with
 * an RFC 4180 reader.  Security review finding 4 (issue 14): the guard
 * apostrophe of a field that starts like a formula was written before the
 * opening quote ('"=1+2,=3+4",...), which left the field unquoted, so its
 * commas split it and each piece became a live formula.  Every field that
 * starts with = + - @ tab or CR now reads back as ' and the whole value.
 * OWASP ASVS 4.0.3 V5.3.1 (output encoding for the interpreter: here a
 * spreadsheet) - CSV injection.
 */
#include "buf.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Read one RFC 4180 record of up to `max` fields from s (ending at the end
 * of s or at CRLF) into fields[] (malloc'd).  Returns the number of fields,
 * or -1 when s is not valid CSV (a quote inside an unquoted field, text
 * after a closing quote, an unclosed quote). */
static int csv_read_record(const char *s, char **fields, int max)
{
	int n = 0;

	for (;;) {
		size_t cap = strlen(s) + 1, o = 0;
		char *f = malloc(cap);

		if (f == NULL || n == max)
			return free(f), -1;
		if (*s == '"') {
			for (s++;; s++) {
				if (*s == '\0')
					return free(f), -1;
				if (*s == '"' && s[1] == '"')
					f[o++] = *s++;
				else if (*s == '"')
					break;
				else
					f[o++] = *s;
			}
			s++;
			if (*s != ',' && *s != '\0' && strncmp(s, "\r\n", 2) != 0)
				return free(f), -1;
		} else {
			for (; *s && *s != ',' && strncmp(s, "\r\n", 2) != 0; s++) {
				if (*s == '"')
					return free(f), -1;
				f[o++] = *s;
			}
		}
		f[o] = '\0';
		fields[n++] = f;
		if (*s != ',')
			return n;
		s++;
	}
}

/* portal_csv_field of `value`, as a string to free. */
static char *field_of(const char *value)
{
	portal_buf b;
	char *out;

	portal_buf_init(&b, 0);
	ck_assert_int_eq(portal_csv_field(&b, value), 0);
	out = strdup(b.len ? b.data : "");
	portal_buf_free(&b);
	return out;
}

/* Values that start like a formula; each must read back as ' + value. */
static const char *const formulas[] = {
	"=1+2,=3+4,PRBCSV",
	"=1+2",
	"+44 20 7946 0000",
	"-2+3",
	"@SUM(A1:A2)",
	"\t=1+2",
	"\r=1+2",
	"=HYPERLINK(\"http://evil.example\",\"x\")",
	"=cmd|' /C calc'!A0",
	"-",
	"=",
};

/* Values that need no guard; each must read back unchanged. */
static const char *const plain[] = {
	"",
	"Priya Shah",
	"Metropolitan Police Service",
	"a,b",
	"say \"hello\"",
	"two\r\nlines",
	"1+2=3",
	"42",
	" =1+2",   /* a leading space: spreadsheets read it as text */
};

START_TEST(a_formula_field_reads_back_as_one_cell_with_the_guard_inside)
{
	char *csv = field_of(formulas[_i]), *cells[4], want[128];
	int n = csv_read_record(csv, cells, 4), k;

	ck_assert_msg(n == 1, "%s: %d cells in %s", formulas[_i], n, csv);
	snprintf(want, sizeof(want), "'%s", formulas[_i]);
	ck_assert_str_eq(cells[0], want);
	ck_assert_msg(csv[0] == '"' && csv[1] == '\'', "the guard is inside the quotes: %s", csv);
	for (k = 0; k < n; k++)
		free(cells[k]);
	free(csv);
}
END_TEST

START_TEST(a_plain_field_reads_back_unchanged)
{
	char *csv = field_of(plain[_i]), *cells[4];
	int n = csv_read_record(csv, cells, 4), k;

	ck_assert_msg(n == 1, "%s: %d cells in %s", plain[_i], n, csv);
	ck_assert_str_eq(cells[0], plain[_i]);
	for (k = 0; k < n; k++)
		free(cells[k]);
	free(csv);
}
END_TEST

START_TEST(the_reviewed_title_is_written_exactly)
{
	char *csv = field_of("=1+2,=3+4,PRBCSV");

	ck_assert_str_eq(csv, "\"'=1+2,=3+4,PRBCSV\"");
	free(csv);
	csv = field_of("-2+3");
	ck_assert_str_eq(csv, "\"'-2+3\"");
	free(csv);
	csv = field_of("Priya Shah");
	ck_assert_str_eq(csv, "Priya Shah");
	free(csv);
	csv = field_of(NULL);
	ck_assert_str_eq(csv, "");
	free(csv);
}
END_TEST

START_TEST(a_row_of_fields_reads_back_cell_by_cell)
{
	const char *row[] = { "=1+2,=3+4,PRBCSV", "Example", "@x", "a \"b\"", "+1" };
	const char *want[] = { "'=1+2,=3+4,PRBCSV", "Example", "'@x", "a \"b\"", "'+1" };
	char *cells[8];
	portal_buf b;
	int i, n;

	portal_buf_init(&b, 0);
	for (i = 0; i < 5; i++) {
		if (i)
			portal_buf_putc(&b, ',');
		ck_assert_int_eq(portal_csv_field(&b, row[i]), 0);
	}
	portal_buf_puts(&b, "\r\n");
	n = csv_read_record(b.data, cells, 8);
	ck_assert_int_eq(n, 5);
	for (i = 0; i < n; i++) {
		ck_assert_str_eq(cells[i], want[i]);
		free(cells[i]);
	}
	portal_buf_free(&b);
}
END_TEST

static Suite *csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *t = tcase_create("field");

	tcase_add_loop_test(t, a_formula_field_reads_back_as_one_cell_with_the_guard_inside, 0,
	                    (int)(sizeof(formulas) / sizeof(formulas[0])));
	tcase_add_loop_test(t, a_plain_field_reads_back_unchanged, 0,
	                    (int)(sizeof(plain) / sizeof(plain[0])));
	tcase_add_test(t, the_reviewed_title_is_written_exactly);
	tcase_add_test(t, a_row_of_fields_reads_back_cell_by_cell);
	suite_add_tcase(s, t);
	return s;
}

/* Run the suite; exit status 0 only when every check passed. */
int main(void)
{
	SRunner *sr = srunner_create(csv_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
