/* test_notify_message.c - portal-notify's message builder and event check
 * (modules/notify/message.c and event.c are compiled into this program):
 * the headers, RFC 2047 encoded-words, quoted-printable bodies, both parts,
 * the Message-ID made from the stream entry id, the From setting, a file
 * attached (multipart/mixed, base64), and a stream entry's fields checked. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../modules/notify/message.c"
#include "../../modules/notify/event.c"
#include "../../modules/notify/recipients.c"

static char *build(const char *subject, const char *text, const char *html, const char *mid)
{
	notify_mail m = { .from = "Portal <portal@example.org>", .to = "ngo.a@example.org", .subject = subject,
	                  .text = text, .html = html, .message_id = mid, .date = 1796428800 };  /* 2026-12-05 00:00 UTC */
	portal_buf b;

	portal_buf_init(&b, 0);
	ck_assert_int_eq(notify_mail_build(&m, &b), 0);
	return portal_buf_steal(&b);
}

START_TEST(headers_are_all_there_with_crlf_and_a_utc_date)
{
	char *m = build("A bed hold is waiting", "Hello\n", "<p>Hello</p>\n", "<1-0.beds.x@example.org>");

	ck_assert_ptr_nonnull(strstr(m, "Message-ID: <1-0.beds.x@example.org>\r\n"));
	ck_assert_ptr_nonnull(strstr(m, "Date: Sat, 05 Dec 2026 00:00:00 +0000\r\n"));
	ck_assert_ptr_nonnull(strstr(m, "From: Portal <portal@example.org>\r\n"));
	ck_assert_ptr_nonnull(strstr(m, "To: ngo.a@example.org\r\n"));
	ck_assert_ptr_nonnull(strstr(m, "Subject: A bed hold is waiting\r\n"));
	ck_assert_ptr_nonnull(strstr(m, "MIME-Version: 1.0\r\n"));
	ck_assert_ptr_nonnull(strstr(m, "Auto-Submitted: auto-generated\r\n"));
	ck_assert_ptr_nonnull(strstr(m, "Content-Type: multipart/alternative; boundary=\"=_portal_"));
	/* no bare LF anywhere */
	for (const char *p = m; *p; p++)
		if (*p == '\n')
			ck_assert_int_eq(p[-1], '\r');
	free(m);
}
END_TEST

START_TEST(both_parts_are_quoted_printable_utf8_between_the_boundaries)
{
	char *m = build("s", "Café = 1\n", "<p>Café</p>\n", "<1-0.beds.x@example.org>");
	const char *b = strstr(m, "boundary=\"") + 10;
	char boundary[64], open[80], close[80];
	const char *text, *html, *end;

	snprintf(boundary, sizeof(boundary), "%.*s", (int)(strchr(b, '"') - b), b);
	snprintf(open, sizeof(open), "\r\n--%s\r\n", boundary);
	snprintf(close, sizeof(close), "--%s--\r\n", boundary);
	text = strstr(m, open);
	ck_assert_ptr_nonnull(text);
	html = strstr(text + 1, open);
	ck_assert_ptr_nonnull(html);
	end = strstr(html, close);
	ck_assert_ptr_nonnull(end);
	ck_assert_ptr_nonnull(strstr(text, "Content-Type: text/plain; charset=UTF-8\r\n"
	                                   "Content-Transfer-Encoding: quoted-printable\r\n\r\nCaf=C3=A9 =3D 1\r\n"));
	ck_assert_ptr_nonnull(strstr(html, "Content-Type: text/html; charset=UTF-8\r\n"
	                                   "Content-Transfer-Encoding: quoted-printable\r\n\r\n<p>Caf=C3=A9</p>\r\n"));
	ck_assert(text < html);
	free(m);
}
END_TEST

START_TEST(a_subject_that_is_not_ascii_is_rfc2047_encoded_in_words_of_at_most_75)
{
	portal_buf b;
	char *line, *save = NULL;
	const char *subject = "A bed hold is waiting for your answer at Maison Étoile, née Zoë's — ©";

	portal_buf_init(&b, 0);
	ck_assert_int_eq(notify_header(&b, "Subject", subject), 0);
	ck_assert_str_eq(strstr(b.data, "Subject: =?UTF-8?Q?A_bed_hold") ? "yes" : b.data, "yes");
	ck_assert_ptr_nonnull(strstr(b.data, "=C3=89toile"));
	ck_assert_ptr_nonnull(strstr(b.data, "\r\n =?UTF-8?Q?"));  /* folded */
	for (line = strtok_r(b.data, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		const char *w = strstr(line, "=?");
		ck_assert_uint_le(strlen(w), 75);
		ck_assert_ptr_nonnull(strstr(w, "?="));
	}
	portal_buf_free(&b);
}
END_TEST

START_TEST(an_encoded_word_never_splits_a_character)
{
	portal_buf b;
	const char *s = "ééééééééééééééééééééééééééééééééééé";  /* 35 two-byte characters */
	const char *p;

	portal_buf_init(&b, 0);
	ck_assert_int_eq(notify_header(&b, "Subject", s), 0);
	/* each word starts with a lead byte's =C3 and ends after a whole =A9 */
	for (p = strstr(b.data, "=?UTF-8?Q?"); p; p = strstr(p + 1, "=?UTF-8?Q?"))
		ck_assert_int_eq(strncmp(p + 10, "=C3=A9", 6), 0);
	for (p = strstr(b.data, "?=\r\n"); p; p = strstr(p + 1, "?=\r\n"))
		ck_assert_int_eq(strncmp(p - 6, "=C3=A9", 6), 0);
	portal_buf_free(&b);
}
END_TEST

START_TEST(a_header_value_with_a_line_break_is_refused)
{
	portal_buf b;

	portal_buf_init(&b, 0);
	ck_assert_int_eq(notify_header(&b, "Subject", "one\r\nBcc: x@example.org"), -1);
	ck_assert_int_eq(notify_header(&b, "To", "a@example.org\nX: y"), -1);
	portal_buf_free(&b);
}
END_TEST

START_TEST(quoted_printable_soft_breaks_long_lines_and_encodes_trailing_space_and_dots)
{
	portal_buf b;
	char line[200];
	char *p, *save = NULL;

	memset(line, 'a', 150);
	line[150] = '\0';
	portal_buf_init(&b, 0);
	ck_assert_int_eq(notify_qp(&b, line, 150), 0);
	for (p = strtok_r(b.data, "\r\n", &save); p; p = strtok_r(NULL, "\r\n", &save))
		ck_assert_uint_le(strlen(p), 76);
	portal_buf_reset(&b);
	notify_qp(&b, "end \n.\nx\t", 9);
	ck_assert_str_eq(b.data, "end=20\r\n=2E\r\nx=09");
	portal_buf_free(&b);
}
END_TEST

START_TEST(the_message_id_comes_from_the_entry_id_and_the_recipient)
{
	char a[200], b[200], c[200], d[200];

	notify_message_id("beds", "1796457600000-3", "NGO.A@example.org", "example.org", a, sizeof(a));
	notify_message_id("beds", "1796457600000-3", "ngo.a@example.org", "example.org", b, sizeof(b));
	notify_message_id("beds", "1796457600000-3", "on-call@example.org", "example.org", c, sizeof(c));
	notify_message_id("beds", "1796457600000-4", "ngo.a@example.org", "example.org", d, sizeof(d));
	ck_assert_str_eq(a, b);  /* a resend carries the same id */
	ck_assert_int_eq(strncmp(a, "<1796457600000-3.beds.", 22), 0);
	ck_assert_int_eq(strcmp(a + strlen(a) - 13, "@example.org>"), 0);
	ck_assert_str_ne(a, c);
	ck_assert_str_ne(a, d);
}
END_TEST

START_TEST(the_from_setting_gives_the_envelope_address_and_domain)
{
	char addr[256], dom[256];

	ck_assert_int_eq(notify_parse_from("Portal <portal@mail.example.org>", addr, sizeof(addr), dom, sizeof(dom)), 0);
	ck_assert_str_eq(addr, "portal@mail.example.org");
	ck_assert_str_eq(dom, "mail.example.org");
	ck_assert_int_eq(notify_parse_from("p@x.org", addr, sizeof(addr), dom, sizeof(dom)), 0);
	ck_assert_str_eq(dom, "x.org");
	ck_assert_int_eq(notify_parse_from("no address", addr, sizeof(addr), dom, sizeof(dom)), -1);
	ck_assert_int_eq(notify_parse_from("Portal <a@b@c>", addr, sizeof(addr), dom, sizeof(dom)), -1);
	ck_assert_int_eq(notify_parse_from("Portal <p@x.org> tail", addr, sizeof(addr), dom, sizeof(dom)), -1);
	ck_assert_int_eq(notify_parse_from("Pörtal <p@x.org>", addr, sizeof(addr), dom, sizeof(dom)), -1);
	ck_assert_int_eq(notify_parse_from("p@x.org\r\nBcc: y@z", addr, sizeof(addr), dom, sizeof(dom)), -1);
}
END_TEST

/* ---- stream entries --------------------------------------------------------- */
static int parse(const char *id, const char *const *pairs, notify_event *ev, char *why)
{
	const char *names[32], *values[32];
	size_t nl[32], vl[32], n = 0;

	for (; pairs[2 * n]; n++) {
		names[n] = pairs[2 * n], nl[n] = strlen(pairs[2 * n]);
		values[n] = pairs[2 * n + 1], vl[n] = strlen(pairs[2 * n + 1]);
	}
	return notify_event_parse(id, n, names, nl, values, vl, ev, why, 200);
}

/* A message with `len` bytes of `data` attached as a calendar file. */
static char *build_with_file(const char *type, const char *data, size_t len)
{
	notify_attachment a = { .type = type, .name = "training-session.ics", .data = data, .len = len };
	notify_mail m = { .from = "Portal <portal@example.org>", .to = "ann@example.org", .subject = "Your place",
	                  .text = "Hello\n", .html = "<p>Hello</p>\n", .message_id = "<1-0.training.x@example.org>",
	                  .date = 1796428800, .attachment = &a };
	portal_buf b;

	portal_buf_init(&b, 0);
	if (notify_mail_build(&m, &b) < 0) {
		portal_buf_free(&b);
		return NULL;
	}
	return portal_buf_steal(&b);
}

START_TEST(an_attachment_wraps_both_parts_and_the_file_in_multipart_mixed)
{
	static const char ics[] = "BEGIN:VCALENDAR\r\n";
	char *m = build_with_file("text/calendar; method=REQUEST; charset=UTF-8", ics, sizeof(ics) - 1);
	const char *b, *mixed_at, *alt_at, *alt_end, *file_at, *end;
	char mixed[64], open[80];

	ck_assert_ptr_nonnull(m);
	b = strstr(m, "Content-Type: multipart/mixed; boundary=\"");
	ck_assert_ptr_nonnull(b);
	b += strlen("Content-Type: multipart/mixed; boundary=\"");
	snprintf(mixed, sizeof(mixed), "%.*s", (int)(strchr(b, '"') - b), b);
	snprintf(open, sizeof(open), "\r\n--%s\r\n", mixed);
	/* the first part of the mixed one is the alternative, with both texts */
	mixed_at = strstr(m, open);
	ck_assert_ptr_nonnull(mixed_at);
	alt_at = strstr(mixed_at, "Content-Type: multipart/alternative; boundary=\"=_portal_");
	ck_assert_ptr_eq(alt_at, mixed_at + strlen(open));
	ck_assert_ptr_nonnull(strstr(alt_at, "Content-Type: text/plain; charset=UTF-8\r\n"));
	ck_assert_ptr_nonnull(strstr(alt_at, "Content-Type: text/html; charset=UTF-8\r\n"));
	alt_end = strstr(alt_at, "--\r\n");
	/* then the file, after the alternative's end */
	file_at = strstr(alt_at, open);
	ck_assert_ptr_nonnull(file_at);
	ck_assert(alt_end != NULL && file_at > alt_end);
	ck_assert_ptr_nonnull(strstr(file_at, "Content-Type: text/calendar; method=REQUEST; charset=UTF-8\r\n"
	                                      "Content-Transfer-Encoding: base64\r\n"
	                                      "Content-Disposition: attachment; filename=\"training-session.ics\"\r\n\r\n"
	                                      "QkVHSU46VkNBTEVOREFSDQo=\r\n"));
	snprintf(open, sizeof(open), "\r\n--%s--\r\n", mixed);
	end = strstr(file_at, open);
	ck_assert_ptr_nonnull(end);
	ck_assert_str_eq(end + strlen(open), "");
	free(m);
}
END_TEST

START_TEST(an_attachment_is_base64_in_lines_of_76_and_its_type_cannot_break_a_header)
{
	char data[300], *m, *p, *save = NULL;
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (char)i;  /* every byte value, NUL included */
	m = build_with_file("text/calendar; method=CANCEL; charset=UTF-8", data, sizeof(data));
	ck_assert_ptr_nonnull(m);
	p = strstr(m, "filename=\"training-session.ics\"\r\n\r\n") + strlen("filename=\"training-session.ics\"\r\n\r\n");
	ck_assert_int_eq(strncmp(p, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4\r\n", 78), 0);
	for (p = strtok_r(p, "\r\n", &save); p && p[0] != '-'; p = strtok_r(NULL, "\r\n", &save))
		ck_assert_uint_le(strlen(p), 76);
	free(m);
	ck_assert_ptr_null(build_with_file("text/calendar\r\nBcc: x@example.org", "x", 1));
	ck_assert_ptr_null(build_with_file("text/calendar; name=\"x\"", "x", 1));
}
END_TEST

START_TEST(a_hold_event_is_read_and_an_unknown_kind_is_not_ours)
{
	const char *ok[] = { "kind", "hold_placed", "at", "1796457600", "agency", "demo-charity-a", "expires_at",
	                     "1796463000", "hold", "12", "responder", "responder.police", "safehouse", "3",
	                     "safehouse_name", "Harbour House", "extra", "ignored", NULL };
	const char *other[] = { "kind", "hold_extended", "hold", "x", NULL };
	notify_event ev;
	char why[200] = "";

	ck_assert_int_eq(parse("1796457600000-0", ok, &ev, why), 1);
	ck_assert_str_eq(ev.kind->kind, "hold_placed");
	ck_assert_int_eq(ev.kind->to, NOTIFY_TO_AGENCY_ONCALL);
	ck_assert_str_eq(notify_event_get(&ev, "hold"), "12");
	ck_assert_str_eq(notify_event_get(&ev, "agency"), "demo-charity-a");
	ck_assert_str_eq(notify_event_get(&ev, "responder"), "responder.police");
	ck_assert_str_eq(notify_event_get(&ev, "safehouse_name"), "Harbour House");
	ck_assert_str_eq(notify_event_get(&ev, "expires_at"), "1796463000");
	ck_assert_ptr_null(notify_event_get(&ev, "extra"));
	ck_assert_int_eq(ev.at, 1796457600);
	ck_assert_int_eq(parse("1796457600000-1", other, &ev, why), 0);
}
END_TEST

START_TEST(a_malformed_entry_says_what_is_wrong)
{
	const char *bad_hold[] = { "kind", "hold_accepted", "hold", "12a", NULL };
	const char *no_kind[] = { "hold", "12", NULL };
	const char *ctl[] = { "kind", "hold_placed", "safehouse_name", "Harbour\nBcc: x", NULL };
	const char *missing[] = { "kind", "hold_placed", "hold", "1", "at", "5", NULL };
	const char *no_at[] = { "kind", "hold_accepted", "hold", "1", "responder", "r", "safehouse_name", "H", NULL };
	const char *big[] = { "kind", "hold_placed", "at", "99999999999999999999", NULL };
	const char *twice[] = { "kind", "hold_placed", "hold", "1", "hold", "2", NULL };
	const char *bad_uids[] = { "kind", "booking_confirmed", "uids", "a  b", NULL };
	notify_event ev;
	char why[200];

	ck_assert_int_eq(parse("1-0", bad_hold, &ev, why), -1);
	ck_assert_str_eq(why, "the field hold is not valid");
	ck_assert_int_eq(parse("1-0", no_kind, &ev, why), -1);
	ck_assert_str_eq(why, "the entry has no kind");
	ck_assert_int_eq(parse("1-0", ctl, &ev, why), -1);
	ck_assert_str_eq(why, "the field safehouse_name is not valid");
	ck_assert_int_eq(parse("1-0", missing, &ev, why), -1);
	ck_assert_str_eq(why, "a hold_placed event needs the field agency");
	ck_assert_int_eq(parse("1-0", no_at, &ev, why), -1);
	ck_assert_str_eq(why, "a hold_accepted event needs at, its time");
	ck_assert_int_eq(parse("1-0", big, &ev, why), -1);
	ck_assert_int_eq(parse("1-0", twice, &ev, why), -1);
	ck_assert_str_eq(why, "the field hold is not valid");
	ck_assert_int_eq(parse("1-0", bad_uids, &ev, why), -1);
	ck_assert_str_eq(why, "the field uids is not valid");
	ck_assert_int_eq(parse("not-an-id", missing, &ev, why), -1);
	ck_assert_str_eq(why, "the entry id is not a stream id");
}
END_TEST

START_TEST(the_templates_data_links_to_the_hold_and_says_the_time_in_words)
{
	const char *ok[] = { "kind", "hold_declined", "at", "1796457600", "agency", "a", "expires_at", "1796434200",
	                     "hold", "12", "responder", "r", "safehouse_name", "H", NULL };
	notify_settings s = { .public_url = "https://portal.example.org" };
	notify_event ev;
	char why[200];
	json_t *d;

	portal_clock_init();
	ck_assert_int_eq(parse("1-0", ok, &ev, why), 1);
	d = notify_event_data(&ev, &s, 1796428800);  /* 01:30 London, 5 December */
	ck_assert(json_is_true(json_object_get(d, "hold_declined")));
	ck_assert_ptr_null(json_object_get(d, "hold_placed"));
	ck_assert_str_eq(json_string_value(json_object_get(d, "link")), "https://portal.example.org/beds/holds/12");
	ck_assert_str_eq(json_string_value(json_object_get(d, "portal")), "https://portal.example.org");
	ck_assert_str_eq(json_string_value(json_object_get(d, "safehouse_name")), "H");
	ck_assert_str_eq(json_string_value(json_object_get(d, "expires_at_words")), "1:30am on Saturday 5 December");
	ck_assert_str_eq(json_string_value(json_object_get(d, "text")), "Your bed hold at H was declined");
	json_decref(d);
}
END_TEST

/* ---- the kinds table ------------------------------------------------------- */
START_TEST(every_kind_names_known_fields_and_only_on_call_holds_cannot_be_turned_off)
/* hold_placed and hold_expiring: what an NGO's on-call must hear */
{
	size_t i, j;

	ck_assert_uint_ge(notify_nkinds, 8);
	for (i = 0; i < notify_nkinds; i++) {
		const notify_kind *k = &notify_kinds[i];
		const char *p;
		ck_assert_ptr_eq(notify_kind_find(k->kind, strlen(k->kind)), k);  /* unique */
		ck_assert(k->link[0] == '/');
		ck_assert(k->label && k->label[0] && k->words && k->words[0]);
		ck_assert(k->to == NOTIFY_TO_COORDINATORS || k->who != NULL);
		/* every {field} of the link and the words, and the audience field, is a field events carry */
		for (int part = 0; part < 2; part++)
			for (p = strchr(part ? k->words : k->link, '{'); p; p = strchr(p + 1, '{')) {
				size_t len = strcspn(p + 1, "}");
				for (j = 0; j < sizeof(event_fields) / sizeof(event_fields[0]); j++)
					if (strlen(event_fields[j].name) == len && memcmp(event_fields[j].name, p + 1, len) == 0)
						break;
				ck_assert_msg(j < sizeof(event_fields) / sizeof(event_fields[0]), "%s: unknown field", k->kind);
			}
		for (j = 0; k->who && j < sizeof(event_fields) / sizeof(event_fields[0]); j++)
			if (strcmp(event_fields[j].name, k->who) == 0)
				break;
		ck_assert(k->who == NULL || j < sizeof(event_fields) / sizeof(event_fields[0]));
		ck_assert_int_eq(k->email == NOTIFY_MAIL_ALWAYS,
		                 strcmp(k->kind, "hold_placed") == 0 || strcmp(k->kind, "hold_expiring") == 0);
	}
}
END_TEST

START_TEST(the_catalogue_lists_every_kind_and_which_cannot_be_turned_off)
{
	json_t *c = notify_kinds_catalogue(), *k;
	size_t i, always = 0;

	ck_assert_uint_eq(json_array_size(c), notify_nkinds);
	json_array_foreach(c, i, k) {
		const notify_kind *row = notify_kind_find(json_string_value(json_object_get(k, "kind")),
		                                          strlen(json_string_value(json_object_get(k, "kind"))));
		ck_assert_ptr_nonnull(row);
		ck_assert_str_eq(json_string_value(json_object_get(k, "email")),
		                 row->email == NOTIFY_MAIL_NONE ? "none" : row->email == NOTIFY_MAIL_CHOICE ? "choice" : "always");
		ck_assert_str_eq(json_string_value(json_object_get(k, "label")), row->label);
		always += strcmp(json_string_value(json_object_get(k, "email")), "always") == 0;
	}
	ck_assert_uint_eq(always, 2);  /* hold_placed, hold_expiring */
	json_decref(c);
}
END_TEST

START_TEST(a_list_of_uids_names_each_person_and_a_link_is_percent_encoded)
{
	const char *ok[] = { "kind", "booking_confirmed", "at", "1796457600", "uid", "responder.police",
	                     "session", "7", "booking", "7-3", "title", "T", "starts_at", "1796457600", NULL };
	notify_event ev;
	char why[200], out[200];

	ck_assert_int_eq(parse("1-0", ok, &ev, why), 1);
	ck_assert_int_eq(notify_event_render(&ev, ev.kind->link, 1, 0, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "/training/sessions/7");
	ck_assert_int_eq(notify_event_render(&ev, "/x/{uid}/{session}", 1, 0, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "/x/responder.police/7");
	ck_assert_int_eq(notify_event_render(&ev, "{location}", 0, 0, out, sizeof(out)), -1);  /* not in the event */
	ck_assert_int_eq(notify_event_render(&ev, "a {uid} b", 0, 0, out, 8), -1);          /* does not fit */
	ck_assert(uids_ok("a b c", 5));
	ck_assert(uids_ok("", 0));
	ck_assert(!uids_ok("a ", 2));
	ck_assert(!uids_ok(" a", 2));
}
END_TEST

/* ---- recipients' shape ----------------------------------------------------- */
START_TEST(recipients_are_one_per_uid_with_their_mail_and_the_agency_address_has_no_uid)
{
	notify_rcpts *r = calloc(1, sizeof(*r));

	notify_rcpts_add(r, "ngo.a", 5, "ngo.a@example.org", 17);
	notify_rcpts_add(r, "ngo.a", 5, "other@example.org", 17);        /* the same person */
	notify_rcpts_add(r, "ngo.nomail", 10, "", 0);                     /* in the portal only */
	notify_rcpts_add(r, "ngo.bad", 7, "not an address", 14);          /* kept, without the address */
	notify_rcpts_add(r, "", 0, "on-call@a.example.org", 21);          /* the agency's own */
	notify_rcpts_add(r, "", 0, "ON-CALL@a.example.org", 21);          /* the same address */
	notify_rcpts_add(r, "", 0, "", 0);                                /* nobody */
	ck_assert_uint_eq(r->n, 4);
	ck_assert_str_eq(r->to[0].uid, "ngo.a");
	ck_assert_str_eq(r->to[0].addr, "ngo.a@example.org");
	ck_assert_str_eq(r->to[1].uid, "ngo.nomail");
	ck_assert_str_eq(r->to[1].addr, "");
	ck_assert_str_eq(r->to[2].addr, "");
	ck_assert_str_eq(r->to[3].uid, "");
	ck_assert_str_eq(r->to[3].addr, "on-call@a.example.org");
	free(r);
}
END_TEST

START_TEST(an_audience_of_uids_is_taken_from_the_event_without_the_directory)
{
	const char *ok[] = { "kind", "booking_confirmed", "at", "1796457600", "uid", "trainer", "session", "7",
	                     "title", "T", "starts_at", "1796457600", NULL };
	notify_rcpts *r = calloc(1, sizeof(*r));
	notify_event ev;
	char why[200];

	ck_assert_int_eq(parse("1-0", ok, &ev, why), 1);
	ck_assert_int_eq(notify_recipients(NULL, NULL, &ev, 0, r), 0);
	ck_assert_uint_eq(r->n, 1);
	ck_assert_str_eq(r->to[0].uid, "trainer");
	ck_assert_int_eq(people(NULL, NULL, "a b a c", r), 0);
	ck_assert_uint_eq(r->n, 4);  /* trainer, a, b, c */
	ck_assert_str_eq(r->to[3].uid, "c");
	free(r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("notify_message");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, headers_are_all_there_with_crlf_and_a_utc_date);
	tcase_add_test(tc, both_parts_are_quoted_printable_utf8_between_the_boundaries);
	tcase_add_test(tc, a_subject_that_is_not_ascii_is_rfc2047_encoded_in_words_of_at_most_75);
	tcase_add_test(tc, an_encoded_word_never_splits_a_character);
	tcase_add_test(tc, a_header_value_with_a_line_break_is_refused);
	tcase_add_test(tc, quoted_printable_soft_breaks_long_lines_and_encodes_trailing_space_and_dots);
	tcase_add_test(tc, the_message_id_comes_from_the_entry_id_and_the_recipient);
	tcase_add_test(tc, the_from_setting_gives_the_envelope_address_and_domain);
	tcase_add_test(tc, an_attachment_wraps_both_parts_and_the_file_in_multipart_mixed);
	tcase_add_test(tc, an_attachment_is_base64_in_lines_of_76_and_its_type_cannot_break_a_header);
	tcase_add_test(tc, a_hold_event_is_read_and_an_unknown_kind_is_not_ours);
	tcase_add_test(tc, a_malformed_entry_says_what_is_wrong);
	tcase_add_test(tc, the_templates_data_links_to_the_hold_and_says_the_time_in_words);
	tcase_add_test(tc, every_kind_names_known_fields_and_only_on_call_holds_cannot_be_turned_off);
	tcase_add_test(tc, the_catalogue_lists_every_kind_and_which_cannot_be_turned_off);
	tcase_add_test(tc, a_list_of_uids_names_each_person_and_a_link_is_percent_encoded);
	tcase_add_test(tc, recipients_are_one_per_uid_with_their_mail_and_the_agency_address_has_no_uid);
	tcase_add_test(tc, an_audience_of_uids_is_taken_from_the_event_without_the_directory);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
