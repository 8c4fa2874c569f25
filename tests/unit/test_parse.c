/* test_parse.c - the parsers of untrusted request input (common/parse.c).
 *
 * Each test is named after the behaviour it proves and checks what the
 * caller (and so the person) would see: the decoded values, or the status,
 * code and message of the refusal.
 */
#include "parse.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* Small limits so the limit tests stay small. */
static const portal_limits small_limits = {64, 4, 8, 3};

/* Parse a urlencoded string with `lim`; returns the parser's result and
 * leaves the object (caller frees) in *out. */
static int form(const char *s, const portal_limits *lim, json_t **out,
                portal_parse_error *err)
{
	*out = json_object();
	ck_assert_ptr_nonnull(*out);
	memset(err, 0, sizeof(*err));
	return portal_parse_urlencoded(s, strlen(s), lim, *out, err);
}

/* Parse a Cookie header; as form(). */
static int cookies(const char *s, const portal_limits *lim, json_t **out,
                   portal_parse_error *err)
{
	*out = json_object();
	ck_assert_ptr_nonnull(*out);
	memset(err, 0, sizeof(*err));
	return portal_parse_cookies(s, strlen(s), lim, *out, err);
}

/* Parse a JSON body; *out is NULL on failure. */
static int body(const char *s, const portal_limits *lim, json_t **out,
                portal_parse_error *err)
{
	memset(err, 0, sizeof(*err));
	return portal_parse_json_body(s, strlen(s), lim, out, err);
}

/* The string value of key in obj, or NULL. */
static const char *str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* ---- UTF-8 ------------------------------------------------------------ */

START_TEST(utf8_ascii_and_multibyte_accepted)
{
	ck_assert_int_eq(portal_utf8_valid("", 0), 1);
	ck_assert_int_eq(portal_utf8_valid("plain", 5), 1);
	ck_assert_int_eq(portal_utf8_valid("caf\xC3\xA9", 5), 1);
	ck_assert_int_eq(portal_utf8_valid("\xE2\x82\xAC", 3), 1);        /* U+20AC */
	ck_assert_int_eq(portal_utf8_valid("\xF0\x9F\x98\x80", 4), 1);    /* U+1F600 */
	ck_assert_int_eq(portal_utf8_valid("\xF4\x8F\xBF\xBF", 4), 1);    /* U+10FFFF */
	ck_assert_int_eq(portal_utf8_valid("\xEF\xBF\xBF", 3), 1);        /* U+FFFF */
}
END_TEST

START_TEST(utf8_overlong_rejected)
{
	ck_assert_int_eq(portal_utf8_valid("\xC0\xAF", 2), 0);
	ck_assert_int_eq(portal_utf8_valid("\xC1\xBF", 2), 0);
	ck_assert_int_eq(portal_utf8_valid("\xE0\x80\xAF", 3), 0);
	ck_assert_int_eq(portal_utf8_valid("\xE0\x9F\xBF", 3), 0);
	ck_assert_int_eq(portal_utf8_valid("\xF0\x8F\xBF\xBF", 4), 0);
	ck_assert_int_eq(portal_utf8_valid("\xC0\x80", 2), 0); /* "modified UTF-8" NUL */
}
END_TEST

START_TEST(utf8_surrogates_rejected)
{
	ck_assert_int_eq(portal_utf8_valid("\xED\xA0\x80", 3), 0); /* U+D800 */
	ck_assert_int_eq(portal_utf8_valid("\xED\xBF\xBF", 3), 0); /* U+DFFF */
	ck_assert_int_eq(portal_utf8_valid("\xED\x9F\xBF", 3), 1); /* U+D7FF */
}
END_TEST

START_TEST(utf8_above_10ffff_rejected)
{
	ck_assert_int_eq(portal_utf8_valid("\xF4\x90\x80\x80", 4), 0);
	ck_assert_int_eq(portal_utf8_valid("\xF5\x80\x80\x80", 4), 0);
	ck_assert_int_eq(portal_utf8_valid("\xFF", 1), 0);
}
END_TEST

START_TEST(utf8_nul_rejected)
{
	ck_assert_int_eq(portal_utf8_valid("a\0b", 3), 0);
}
END_TEST

START_TEST(utf8_truncated_and_stray_bytes_rejected)
{
	ck_assert_int_eq(portal_utf8_valid("\xC3", 1), 0);
	ck_assert_int_eq(portal_utf8_valid("\xE2\x82", 2), 0);
	ck_assert_int_eq(portal_utf8_valid("\xF0\x9F\x98", 3), 0);
	ck_assert_int_eq(portal_utf8_valid("\x80", 1), 0);
	ck_assert_int_eq(portal_utf8_valid("a\xC3(", 3), 0);
	/* The length is honoured: the bytes after it are not read. */
	ck_assert_int_eq(portal_utf8_valid("ok\xC3\xA9", 2), 1);
	ck_assert_int_eq(portal_utf8_valid("ok\xC3\xA9", 3), 0);
}
END_TEST

/* ---- urlencoded -------------------------------------------------------- */

START_TEST(form_plus_decodes_to_space)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(form("name=Ana+Lima&x=a%2Bb", NULL, &o, &err), 0);
	ck_assert_str_eq(str(o, "name"), "Ana Lima");
	ck_assert_str_eq(str(o, "x"), "a+b");
	json_decref(o);
}
END_TEST

START_TEST(form_percent_escapes_decode_utf8)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(form("c=%C3%a9t%C3%A9&d=%7e", NULL, &o, &err), 0);
	ck_assert_str_eq(str(o, "c"), "\xC3\xA9t\xC3\xA9");
	ck_assert_str_eq(str(o, "d"), "~");
	json_decref(o);
}
END_TEST

START_TEST(form_name_without_equals_is_empty_string)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(form("flag&b=", NULL, &o, &err), 0);
	ck_assert_str_eq(str(o, "flag"), "");
	ck_assert_str_eq(str(o, "b"), "");
	ck_assert_int_eq(json_object_size(o), 2);
	json_decref(o);
}
END_TEST

START_TEST(form_empty_pairs_skipped)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(form("&a=1&&b=2&", NULL, &o, &err), 0);
	ck_assert_int_eq(json_object_size(o), 2);
	ck_assert_str_eq(str(o, "a"), "1");
	ck_assert_str_eq(str(o, "b"), "2");
	json_decref(o);

	ck_assert_int_eq(form("", NULL, &o, &err), 0);
	ck_assert_int_eq(json_object_size(o), 0);
	json_decref(o);
}
END_TEST

START_TEST(form_value_keeps_later_equals_signs)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(form("t=a=b=c", NULL, &o, &err), 0);
	ck_assert_str_eq(str(o, "t"), "a=b=c");
	json_decref(o);
}
END_TEST

START_TEST(query_repeated_name_becomes_array)
{
	portal_parse_error err;
	json_t *o, *a;

	ck_assert_int_eq(form("lang=pl&one=1&lang=ro&lang=sq", NULL, &o, &err), 0);
	a = json_object_get(o, "lang");
	ck_assert(json_is_array(a));
	ck_assert_int_eq(json_array_size(a), 3);
	ck_assert_str_eq(json_string_value(json_array_get(a, 0)), "pl");
	ck_assert_str_eq(json_string_value(json_array_get(a, 1)), "ro");
	ck_assert_str_eq(json_string_value(json_array_get(a, 2)), "sq");
	ck_assert_str_eq(str(o, "one"), "1");
	json_decref(o);
}
END_TEST

START_TEST(form_bad_percent_escape_is_400)
{
	static const char *const bad[] = {
		"a=%", "a=%4", "a=%zz", "a=%4g", "a=1%", "%=1", "a%2=1", "a=%%41",
	};
	portal_parse_error err;
	json_t *o;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(form(bad[i], NULL, &o, &err) == -1, "%s", bad[i]);
		ck_assert_int_eq(err.status, 400);
		ck_assert_str_eq(err.code, "invalid_encoding");
		ck_assert_ptr_nonnull(strstr(err.message, "%25"));
		json_decref(o);
	}
}
END_TEST

START_TEST(form_bad_escape_message_names_field)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(form("ok=1&name=50%", NULL, &o, &err), -1);
	ck_assert_str_eq(err.field, "name");
	ck_assert_ptr_nonnull(strstr(err.message, "The form field \"name\""));
	json_decref(o);
}
END_TEST

START_TEST(form_percent_00_rejected)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(form("a=x%00y", NULL, &o, &err), -1);
	ck_assert_int_eq(err.status, 400);
	ck_assert_str_eq(err.code, "invalid_encoding");
	json_decref(o);

	ck_assert_int_eq(form("a%00b=1", NULL, &o, &err), -1);
	ck_assert_int_eq(err.status, 400);
	ck_assert_str_eq(err.code, "invalid_encoding");
	json_decref(o);
}
END_TEST

START_TEST(form_invalid_utf8_via_escape_rejected)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(form("name=%C3%28", NULL, &o, &err), -1);
	ck_assert_int_eq(err.status, 400);
	ck_assert_str_eq(err.code, "invalid_encoding");
	ck_assert_str_eq(err.field, "name");
	ck_assert_str_eq(err.message,
	    "The form field \"name\" is not valid UTF-8: send text in UTF-8, "
	    "without NUL bytes.");
	json_decref(o);

	/* Overlong and surrogate encodings are refused too. */
	ck_assert_int_eq(form("a=%C0%AF", NULL, &o, &err), -1);
	ck_assert_str_eq(err.code, "invalid_encoding");
	json_decref(o);
	ck_assert_int_eq(form("a=%ED%A0%80", NULL, &o, &err), -1);
	ck_assert_str_eq(err.code, "invalid_encoding");
	json_decref(o);
}
END_TEST

START_TEST(form_raw_invalid_utf8_rejected)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(form("a=\xFF", NULL, &o, &err), -1);
	ck_assert_str_eq(err.code, "invalid_encoding");
	json_decref(o);
	ck_assert_int_eq(form("\xC3=1", NULL, &o, &err), -1);
	ck_assert_str_eq(err.code, "invalid_encoding");
	ck_assert_str_eq(err.field, "");
	json_decref(o);
}
END_TEST

START_TEST(form_embedded_nul_byte_rejected)
{
	portal_parse_error err;
	json_t *o = json_object();

	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(portal_parse_urlencoded("a=1\0b", 5, NULL, o, &err), -1);
	ck_assert_str_eq(err.code, "invalid_encoding");
	json_decref(o);
}
END_TEST

START_TEST(form_too_many_fields_is_413)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(form("a=1&b=2&c=3&d=4", &small_limits, &o, &err), 0);
	json_decref(o);
	ck_assert_int_eq(form("a=1&b=2&c=3&d=4&e=5", &small_limits, &o, &err), -1);
	ck_assert_int_eq(err.status, 413);
	ck_assert_str_eq(err.code, "too_large");
	ck_assert_str_eq(err.message, "The form has more than 4 fields: send fewer.");
	json_decref(o);
}
END_TEST

START_TEST(form_repeated_name_counts_towards_field_limit)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(form("a=1&a=2&a=3&a=4&a=5", &small_limits, &o, &err), -1);
	ck_assert_int_eq(err.status, 413);
	json_decref(o);
}
END_TEST

START_TEST(form_long_value_is_413)
{
	portal_parse_error err;
	json_t *o;

	/* max_field_len 8: exactly 8 decoded bytes pass, 9 do not. */
	ck_assert_int_eq(form("v=%41%41%41%41%41%41%41%41", &small_limits, &o, &err), 0);
	ck_assert_str_eq(str(o, "v"), "AAAAAAAA");
	json_decref(o);
	ck_assert_int_eq(form("v=123456789", &small_limits, &o, &err), -1);
	ck_assert_int_eq(err.status, 413);
	ck_assert_str_eq(err.code, "too_large");
	ck_assert_str_eq(err.field, "v");
	ck_assert_str_eq(err.message,
	    "The form field \"v\" is longer than 8 bytes: send less.");
	json_decref(o);
}
END_TEST

START_TEST(form_long_name_is_413)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(form("abcdefghi=1", &small_limits, &o, &err), -1);
	ck_assert_int_eq(err.status, 413);
	json_decref(o);
}
END_TEST

START_TEST(form_over_body_limit_is_413)
{
	char big[80];
	portal_parse_error err;
	json_t *o;

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(form(big, &small_limits, &o, &err), -1);
	ck_assert_int_eq(err.status, 413);
	ck_assert_str_eq(err.code, "too_large");
	json_decref(o);
}
END_TEST

START_TEST(form_unshowable_name_not_quoted_in_message)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(form("a%22b=%FF", NULL, &o, &err), -1);
	ck_assert_str_eq(err.field, "");
	ck_assert_ptr_nonnull(strstr(err.message, "A form field is not valid"));
	json_decref(o);
}
END_TEST

START_TEST(form_length_is_honoured_without_nul)
{
	portal_parse_error err;
	json_t *o = json_object();

	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(portal_parse_urlencoded("a=12&b=3", 4, NULL, o, &err), 0);
	ck_assert_str_eq(str(o, "a"), "12");
	ck_assert_ptr_null(json_object_get(o, "b"));
	json_decref(o);
}
END_TEST

/* ---- cookies ----------------------------------------------------------- */

START_TEST(cookie_pairs_split_and_trimmed)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(cookies(" sid = abc ;theme=dark;  x=\"quoted value\" ",
	    NULL, &o, &err), 0);
	ck_assert_str_eq(str(o, "sid"), "abc");
	ck_assert_str_eq(str(o, "theme"), "dark");
	ck_assert_str_eq(str(o, "x"), "quoted value");
	ck_assert_int_eq(json_object_size(o), 3);
	json_decref(o);
}
END_TEST

START_TEST(cookie_first_occurrence_wins)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(cookies("sid=first; sid=second", NULL, &o, &err), 0);
	ck_assert_str_eq(str(o, "sid"), "first");
	json_decref(o);
}
END_TEST

START_TEST(cookie_value_not_percent_decoded)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(cookies("a=x%20y+z; b==c=", NULL, &o, &err), 0);
	ck_assert_str_eq(str(o, "a"), "x%20y+z");
	ck_assert_str_eq(str(o, "b"), "=c=");
	json_decref(o);
}
END_TEST

START_TEST(cookie_pair_without_equals_skipped)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(cookies("lonely; a=1;; =nameless; b=", NULL, &o, &err), 0);
	ck_assert_int_eq(json_object_size(o), 2);
	ck_assert_str_eq(str(o, "a"), "1");
	ck_assert_str_eq(str(o, "b"), "");
	json_decref(o);
}
END_TEST

START_TEST(cookie_only_one_pair_of_quotes_removed)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(cookies("a=\"\"v\"\"; b=\"; c=\"\"", NULL, &o, &err), 0);
	ck_assert_str_eq(str(o, "a"), "\"v\"");
	ck_assert_str_eq(str(o, "b"), "\"");
	ck_assert_str_eq(str(o, "c"), "");
	json_decref(o);
}
END_TEST

START_TEST(cookie_invalid_utf8_is_400)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(cookies("sid=\xC3\x28", NULL, &o, &err), -1);
	ck_assert_int_eq(err.status, 400);
	ck_assert_str_eq(err.code, "invalid_encoding");
	ck_assert_str_eq(err.field, "sid");
	json_decref(o);
}
END_TEST

START_TEST(cookie_nul_byte_is_400)
{
	portal_parse_error err;
	json_t *o = json_object();

	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(portal_parse_cookies("a=1\0; b=2", 9, NULL, o, &err), -1);
	ck_assert_int_eq(err.status, 400);
	ck_assert_str_eq(err.code, "invalid_encoding");
	json_decref(o);
}
END_TEST

START_TEST(cookie_limits_are_413)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(cookies("a=1; b=2; c=3; d=4; e=5", &small_limits, &o, &err), -1);
	ck_assert_int_eq(err.status, 413);
	ck_assert_str_eq(err.code, "too_large");
	json_decref(o);
	ck_assert_int_eq(cookies("a=123456789", &small_limits, &o, &err), -1);
	ck_assert_int_eq(err.status, 413);
	json_decref(o);
}
END_TEST

/* ---- JSON bodies ------------------------------------------------------- */

START_TEST(json_body_object_parsed)
{
	portal_parse_error err;
	json_t *o = NULL;

	ck_assert_int_eq(body("{\"capacity\": 12, \"langs\": [\"pl\", \"ro\"], "
	    "\"note\": \"caf\\u00e9\"}", NULL, &o, &err), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "capacity")), 12);
	ck_assert_int_eq(json_array_size(json_object_get(o, "langs")), 2);
	ck_assert_str_eq(str(o, "note"), "caf\xC3\xA9");
	json_decref(o);
}
END_TEST

START_TEST(json_body_syntax_error_names_line_and_column)
{
	portal_parse_error err;
	json_t *o = (json_t *)&err; /* must be reset to NULL */

	ck_assert_int_eq(body("{\"a\": tru}", NULL, &o, &err), -1);
	ck_assert_ptr_null(o);
	ck_assert_int_eq(err.status, 400);
	ck_assert_str_eq(err.code, "invalid_json");
	ck_assert_str_eq(err.message,
	    "The body is not valid JSON (line 1, column 9): check the syntax.");

	ck_assert_int_eq(body("{\"a\": 1,\n \"b\": }", NULL, &o, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.message, "line 2"));
}
END_TEST

START_TEST(json_body_trailing_junk_rejected)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(body("{\"a\": 1} {}", NULL, &o, &err), -1);
	ck_assert_str_eq(err.code, "invalid_json");
}
END_TEST

START_TEST(json_body_empty_rejected)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(body("", NULL, &o, &err), -1);
	ck_assert_int_eq(err.status, 400);
	ck_assert_str_eq(err.code, "invalid_json");
	ck_assert_ptr_nonnull(strstr(err.message, "empty"));
	ck_assert_int_eq(body(" \n\t ", NULL, &o, &err), -1);
	ck_assert_str_eq(err.code, "invalid_json");
}
END_TEST

START_TEST(json_body_top_level_array_refused)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(body("\n  [1, 2]", NULL, &o, &err), -1);
	ck_assert_ptr_null(o);
	ck_assert_int_eq(err.status, 400);
	ck_assert_str_eq(err.code, "invalid_json");
	ck_assert_ptr_nonnull(strstr(err.message, "not a JSON object (line 2, column 3)"));
}
END_TEST

START_TEST(json_body_top_level_scalar_refused)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(body("\"text\"", NULL, &o, &err), -1);
	ck_assert_str_eq(err.code, "invalid_json");
	ck_assert_int_eq(body("42", NULL, &o, &err), -1);
	ck_assert_str_eq(err.code, "invalid_json");
	ck_assert_int_eq(body("null", NULL, &o, &err), -1);
	ck_assert_str_eq(err.code, "invalid_json");
}
END_TEST

START_TEST(json_body_duplicate_key_rejected)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(body("{\"a\": 1, \"b\": {\"c\": 1, \"c\": 2}}", NULL, &o, &err), -1);
	ck_assert_int_eq(err.status, 400);
	ck_assert_str_eq(err.code, "invalid_json");
	ck_assert_ptr_nonnull(strstr(err.message, "send each key once"));
}
END_TEST

START_TEST(json_body_escaped_nul_is_invalid_encoding)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(body("{\"a\": \"x\\u0000y\"}", NULL, &o, &err), -1);
	ck_assert_int_eq(err.status, 400);
	ck_assert_str_eq(err.code, "invalid_encoding");
	ck_assert_int_eq(body("{\"\\u0000\": 1}", NULL, &o, &err), -1);
	ck_assert_str_eq(err.code, "invalid_encoding");
}
END_TEST

START_TEST(json_body_raw_nul_is_invalid_encoding)
{
	portal_parse_error err;
	json_t *o;

	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(portal_parse_json_body("{\"a\": \"x\0\"}", 11, NULL, &o, &err), -1);
	ck_assert_str_eq(err.code, "invalid_encoding");
}
END_TEST

START_TEST(json_body_invalid_utf8_is_invalid_encoding)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(body("{\"a\": \"\xC3\x28\"}", NULL, &o, &err), -1);
	ck_assert_int_eq(err.status, 400);
	ck_assert_str_eq(err.code, "invalid_encoding");
	ck_assert_int_eq(body("{\"a\": \"\xED\xA0\x80\"}", NULL, &o, &err), -1);
	ck_assert_str_eq(err.code, "invalid_encoding");
}
END_TEST

START_TEST(json_body_lone_surrogate_escape_is_invalid_encoding)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(body("{\"a\": \"\\ud800\"}", NULL, &o, &err), -1);
	ck_assert_str_eq(err.code, "invalid_encoding");
	/* A proper pair is fine. */
	ck_assert_int_eq(body("{\"a\": \"\\ud83d\\ude00\"}", NULL, &o, &err), 0);
	ck_assert_str_eq(str(o, "a"), "\xF0\x9F\x98\x80");
	json_decref(o);
}
END_TEST

START_TEST(json_body_over_limit_is_413)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(body("{\"a\": \"this body is longer than sixty-four "
	    "bytes, which is the small limit\"}", &small_limits, &o, &err), -1);
	ck_assert_int_eq(err.status, 413);
	ck_assert_str_eq(err.code, "too_large");
	ck_assert_str_eq(err.message,
	    "The request body is larger than 64 bytes: send less.");
}
END_TEST

START_TEST(json_body_over_limit_checked_before_syntax)
{
	char big[70];
	portal_parse_error err;
	json_t *o;

	memset(big, '{', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(body(big, &small_limits, &o, &err), -1);
	ck_assert_int_eq(err.status, 413);
}
END_TEST

START_TEST(json_body_deep_nesting_rejected)
{
	portal_parse_error err;
	json_t *o;

	/* small_limits: depth 3. */
	ck_assert_int_eq(body("{\"a\":{\"b\":[1]}}", &small_limits, &o, &err), 0);
	json_decref(o);
	ck_assert_int_eq(body("{\"a\":{\"b\":[[1]]}}", &small_limits, &o, &err), -1);
	ck_assert_int_eq(err.status, 400);
	ck_assert_str_eq(err.code, "invalid_json");
	ck_assert_ptr_nonnull(strstr(err.message, "more than 3 deep"));
}
END_TEST

START_TEST(json_body_very_deep_nesting_rejected_with_defaults)
{
	char deep[4200];
	portal_parse_error err;
	json_t *o;
	size_t i, n = 2000;

	/* {"a":[[[[...]]]]} with 2000 levels: refused, not a crash. */
	strcpy(deep, "{\"a\":");
	for (i = 0; i < n; i++)
		deep[5 + i] = '[';
	for (i = 0; i < n; i++)
		deep[5 + n + i] = ']';
	strcpy(deep + 5 + 2 * n, "}");
	ck_assert_int_eq(body(deep, NULL, &o, &err), -1);
	ck_assert_int_eq(err.status, 400);
	ck_assert_str_eq(err.code, "invalid_json");
}
END_TEST

START_TEST(json_body_too_many_fields_is_413)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(body("{\"a\":1,\"b\":[1,2]}", &small_limits, &o, &err), 0);
	json_decref(o);
	/* 2 keys + 3 array elements = 5 > 4 */
	ck_assert_int_eq(body("{\"a\":1,\"b\":[1,2,3]}", &small_limits, &o, &err), -1);
	ck_assert_int_eq(err.status, 413);
	ck_assert_str_eq(err.code, "too_large");
}
END_TEST

START_TEST(json_body_long_string_is_413)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(body("{\"a\":\"12345678\"}", &small_limits, &o, &err), 0);
	json_decref(o);
	ck_assert_int_eq(body("{\"a\":\"123456789\"}", &small_limits, &o, &err), -1);
	ck_assert_int_eq(err.status, 413);
	ck_assert_int_eq(body("{\"abcdefghi\":1}", &small_limits, &o, &err), -1);
	ck_assert_int_eq(err.status, 413);
	ck_assert_int_eq(body("{\"a\":[\"123456789\"]}", &small_limits, &o, &err), -1);
	ck_assert_int_eq(err.status, 413);
}
END_TEST

START_TEST(json_body_huge_integer_rejected)
{
	portal_parse_error err;
	json_t *o;

	ck_assert_int_eq(body("{\"n\": 99999999999999999999}", NULL, &o, &err), -1);
	ck_assert_int_eq(err.status, 400);
	ck_assert_str_eq(err.code, "invalid_json");
}
END_TEST

START_TEST(json_body_length_is_honoured_without_nul)
{
	portal_parse_error err;
	json_t *o;

	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(portal_parse_json_body("{\"a\":1}garbage", 7, NULL, &o, &err), 0);
	json_decref(o);
}
END_TEST

/* ---- errors ------------------------------------------------------------ */

START_TEST(error_set_fills_every_part)
{
	portal_parse_error err;

	portal_parse_error_set(&err, 415, "unsupported_media_type", "body",
	    "Send %s.", "application/json");
	ck_assert_int_eq(err.status, 415);
	ck_assert_str_eq(err.code, "unsupported_media_type");
	ck_assert_str_eq(err.field, "body");
	ck_assert_str_eq(err.message, "Send application/json.");
	portal_parse_error_set(&err, 400, "x", NULL, "y");
	ck_assert_str_eq(err.field, "");
	portal_parse_error_set(NULL, 400, "x", NULL, "y"); /* no crash */
}
END_TEST

START_TEST(error_set_truncates_on_character_boundary)
{
	portal_parse_error err;
	char longtext[400];
	size_t i;

	/* 2-byte characters at an odd offset, so a byte cut would split one. */
	longtext[0] = 'x';
	for (i = 1; i + 2 < sizeof(longtext); i += 2) {
		longtext[i] = '\xC3';
		longtext[i + 1] = '\xA9';
	}
	longtext[i] = '\0';
	portal_parse_error_set(&err, 400, "x", longtext, "%s", longtext);
	ck_assert(strlen(err.message) < sizeof(err.message));
	ck_assert_int_eq(portal_utf8_valid(err.message, strlen(err.message)), 1);
	ck_assert_int_eq(portal_utf8_valid(err.field, strlen(err.field)), 1);
	ck_assert_uint_ge(strlen(err.message), sizeof(err.message) - 4);
}
END_TEST

START_TEST(default_limits_are_documented_values)
{
	ck_assert_uint_eq(portal_default_limits.max_body, 65536);
	ck_assert_uint_eq(portal_default_limits.max_fields, 256);
	ck_assert_uint_eq(portal_default_limits.max_field_len, 16384);
	ck_assert_uint_eq(portal_default_limits.max_depth, 16);
}
END_TEST

/* Build the suite: one test case per parser. */
static Suite *parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *u = tcase_create("utf8");
	TCase *f = tcase_create("urlencoded");
	TCase *c = tcase_create("cookies");
	TCase *j = tcase_create("json");
	TCase *e = tcase_create("errors");

	tcase_add_test(u, utf8_ascii_and_multibyte_accepted);
	tcase_add_test(u, utf8_overlong_rejected);
	tcase_add_test(u, utf8_surrogates_rejected);
	tcase_add_test(u, utf8_above_10ffff_rejected);
	tcase_add_test(u, utf8_nul_rejected);
	tcase_add_test(u, utf8_truncated_and_stray_bytes_rejected);

	tcase_add_test(f, form_plus_decodes_to_space);
	tcase_add_test(f, form_percent_escapes_decode_utf8);
	tcase_add_test(f, form_name_without_equals_is_empty_string);
	tcase_add_test(f, form_empty_pairs_skipped);
	tcase_add_test(f, form_value_keeps_later_equals_signs);
	tcase_add_test(f, query_repeated_name_becomes_array);
	tcase_add_test(f, form_bad_percent_escape_is_400);
	tcase_add_test(f, form_bad_escape_message_names_field);
	tcase_add_test(f, form_percent_00_rejected);
	tcase_add_test(f, form_invalid_utf8_via_escape_rejected);
	tcase_add_test(f, form_raw_invalid_utf8_rejected);
	tcase_add_test(f, form_embedded_nul_byte_rejected);
	tcase_add_test(f, form_too_many_fields_is_413);
	tcase_add_test(f, form_repeated_name_counts_towards_field_limit);
	tcase_add_test(f, form_long_value_is_413);
	tcase_add_test(f, form_long_name_is_413);
	tcase_add_test(f, form_over_body_limit_is_413);
	tcase_add_test(f, form_unshowable_name_not_quoted_in_message);
	tcase_add_test(f, form_length_is_honoured_without_nul);

	tcase_add_test(c, cookie_pairs_split_and_trimmed);
	tcase_add_test(c, cookie_first_occurrence_wins);
	tcase_add_test(c, cookie_value_not_percent_decoded);
	tcase_add_test(c, cookie_pair_without_equals_skipped);
	tcase_add_test(c, cookie_only_one_pair_of_quotes_removed);
	tcase_add_test(c, cookie_invalid_utf8_is_400);
	tcase_add_test(c, cookie_nul_byte_is_400);
	tcase_add_test(c, cookie_limits_are_413);

	tcase_add_test(j, json_body_object_parsed);
	tcase_add_test(j, json_body_syntax_error_names_line_and_column);
	tcase_add_test(j, json_body_trailing_junk_rejected);
	tcase_add_test(j, json_body_empty_rejected);
	tcase_add_test(j, json_body_top_level_array_refused);
	tcase_add_test(j, json_body_top_level_scalar_refused);
	tcase_add_test(j, json_body_duplicate_key_rejected);
	tcase_add_test(j, json_body_escaped_nul_is_invalid_encoding);
	tcase_add_test(j, json_body_raw_nul_is_invalid_encoding);
	tcase_add_test(j, json_body_invalid_utf8_is_invalid_encoding);
	tcase_add_test(j, json_body_lone_surrogate_escape_is_invalid_encoding);
	tcase_add_test(j, json_body_over_limit_is_413);
	tcase_add_test(j, json_body_over_limit_checked_before_syntax);
	tcase_add_test(j, json_body_deep_nesting_rejected);
	tcase_add_test(j, json_body_very_deep_nesting_rejected_with_defaults);
	tcase_add_test(j, json_body_too_many_fields_is_413);
	tcase_add_test(j, json_body_long_string_is_413);
	tcase_add_test(j, json_body_huge_integer_rejected);
	tcase_add_test(j, json_body_length_is_honoured_without_nul);

	tcase_add_test(e, error_set_fills_every_part);
	tcase_add_test(e, error_set_truncates_on_character_boundary);
	tcase_add_test(e, default_limits_are_documented_values);

	suite_add_tcase(s, u);
	suite_add_tcase(s, f);
	suite_add_tcase(s, c);
	suite_add_tcase(s, j);
	suite_add_tcase(s, e);
	return s;
}

/* Run the suite; exit status 0 only when every check passed. */
int main(void)
{
	SRunner *sr = srunner_create(parse_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
