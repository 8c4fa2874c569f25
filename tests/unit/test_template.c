/* test_template.c - Check suite for the mustache template engine
 * (common/template.c).
 *
 * The spec_* cases follow the behaviours of the mustache specification's
 * interpolation, sections, inverted, partials and comments modules, written
 * afresh here; the rest prove the portal's own rules: parse errors name the
 * line, partial recursion and output are bounded, unknown names fail.
 * Every case compares the exact rendered string.
 */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "template.h"

/* Render `tpl` (added as "test") with the JSON text `data`, adding the
 * partial `pname`/`ptext` when pname is not NULL, and assert the output is
 * exactly `expect`.  Fails the test on a parse or render error. */
static void
expect_render(const char *tpl, const char *data, const char *pname,
    const char *ptext, const char *expect)
{
	portal_templates *set;
	portal_buf out;
	json_t *json;
	json_error_t jerr;
	char err[256];

	set = portal_templates_new();
	ck_assert_ptr_nonnull(set);
	json = json_loads(data, JSON_DECODE_ANY, &jerr);
	ck_assert_msg(json != NULL, "test data is not JSON: %s", jerr.text);
	ck_assert_msg(portal_templates_add(set, "test", tpl, strlen(tpl),
	    err, sizeof(err)) == 0, "parse failed: %s", err);
	if (pname != NULL)
		ck_assert_msg(portal_templates_add(set, pname, ptext,
		    strlen(ptext), err, sizeof(err)) == 0,
		    "partial parse failed: %s", err);
	portal_buf_init(&out, 0);
	ck_assert_int_eq(portal_templates_render(set, "test", json, &out), 0);
	ck_assert_str_eq(out.data ? out.data : "", expect);
	portal_buf_free(&out);
	json_decref(json);
	portal_templates_free(set);
}

/* Define a test `fn` rendering tpl with data (no partial). */
#define RENDER(fn, tpl, data, expect)                                  \
	START_TEST(fn) { expect_render(tpl, data, NULL, NULL, expect); } \
	END_TEST
/* Define a test `fn` rendering tpl with data and one partial. */
#define RENDER_P(fn, tpl, data, pname, ptext, expect)                  \
	START_TEST(fn) { expect_render(tpl, data, pname, ptext, expect); } \
	END_TEST

/* ---- interpolation ------------------------------------------------------ */

RENDER(spec_no_interpolation_passes_text_through,
    "Hello from {Mustache}!\n", "{}", "Hello from {Mustache}!\n")
RENDER(spec_basic_interpolation_inserts_value,
    "Hello, {{subject}}!\n", "{\"subject\":\"world\"}", "Hello, world!\n")
RENDER(spec_html_escaping_escapes_double_mustache,
    "These characters should be HTML escaped: {{forbidden}}\n",
    "{\"forbidden\":\"& \\\" < >\"}",
    "These characters should be HTML escaped: &amp; &quot; &lt; &gt;\n")
RENDER(escaping_also_covers_quote_backtick_equals,
    "{{x}}", "{\"x\":\"'`=\"}", "&#39;&#96;&#61;")
RENDER(spec_triple_mustache_is_not_escaped,
    "These characters should not be HTML escaped: {{{forbidden}}}\n",
    "{\"forbidden\":\"& \\\" < >\"}",
    "These characters should not be HTML escaped: & \" < >\n")
RENDER(spec_ampersand_is_not_escaped,
    "These characters should not be HTML escaped: {{&forbidden}}\n",
    "{\"forbidden\":\"& \\\" < >\"}",
    "These characters should not be HTML escaped: & \" < >\n")
RENDER(spec_basic_integer_interpolation,
    "\"{{mph}} miles an hour!\"", "{\"mph\":85}", "\"85 miles an hour!\"")
RENDER(spec_triple_mustache_integer_interpolation,
    "\"{{{mph}}} miles an hour!\"", "{\"mph\":85}", "\"85 miles an hour!\"")
RENDER(negative_and_large_integers_print_in_full,
    "{{a}} {{b}}", "{\"a\":-42,\"b\":9007199254740993}",
    "-42 9007199254740993")
RENDER(spec_basic_decimal_interpolation_drops_trailing_zeros,
    "\"{{power}} jiggawatts!\"", "{\"power\":1.210}",
    "\"1.21 jiggawatts!\"")
RENDER(booleans_interpolate_as_words,
    "{{t}}/{{f}}", "{\"t\":true,\"f\":false}", "true/false")
RENDER(spec_basic_null_interpolation_is_empty,
    "I ({{cannot}}) be seen!", "{\"cannot\":null}", "I () be seen!")
RENDER(spec_context_miss_interpolation_is_empty,
    "I ({{cannot}}) be seen!", "{}", "I () be seen!")
RENDER(objects_and_lists_interpolate_as_nothing,
    "[{{o}}][{{l}}]", "{\"o\":{\"a\":1},\"l\":[1,2]}", "[][]")
RENDER(spec_dotted_names_basic,
    "\"{{person.name}}\" == \"{{#person}}{{name}}{{/person}}\"",
    "{\"person\":{\"name\":\"Joe\"}}", "\"Joe\" == \"Joe\"")
RENDER(spec_dotted_names_triple_mustache,
    "\"{{{person.name}}}\" == \"{{#person}}{{{name}}}{{/person}}\"",
    "{\"person\":{\"name\":\"Joe\"}}", "\"Joe\" == \"Joe\"")
RENDER(spec_dotted_names_arbitrary_depth,
    "\"{{a.b.c.d.e.name}}\" == \"Phil\"",
    "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"name\":\"Phil\"}}}}}}",
    "\"Phil\" == \"Phil\"")
RENDER(spec_dotted_names_broken_chains_are_empty,
    "\"{{a.b.c}}\" == \"\"", "{\"a\":{}}", "\"\" == \"\"")
RENDER(spec_dotted_names_broken_chain_resolution_does_not_climb,
    "\"{{a.b.c.name}}\" == \"\"",
    "{\"a\":{\"b\":{}},\"c\":{\"name\":\"Jim\"}}", "\"\" == \"\"")
RENDER(spec_dotted_names_initial_resolution_uses_nearest_context,
    "\"{{#a}}{{b.c.d.e.name}}{{/a}}\" == \"Phil\"",
    "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"name\":\"Phil\"}}}}},"
    "\"b\":{\"c\":{\"d\":{\"e\":{\"name\":\"Wrong\"}}}}}",
    "\"Phil\" == \"Phil\"")
RENDER(spec_dotted_names_context_precedence,
    "{{#a}}{{b.c}}{{/a}}", "{\"a\":{\"b\":{}},\"b\":{\"c\":\"ERROR\"}}", "")
RENDER(spec_implicit_iterator_basic_interpolation,
    "Hello, {{.}}!\n", "\"world\"", "Hello, world!\n")
RENDER(spec_implicit_iterator_html_escaping,
    "These characters should be HTML escaped: {{.}}\n", "\"& \\\" < >\"",
    "These characters should be HTML escaped: &amp; &quot; &lt; &gt;\n")
RENDER(spec_implicit_iterator_basic_integer,
    "\"{{.}} miles an hour!\"", "85", "\"85 miles an hour!\"")
RENDER(spec_interpolation_surrounding_whitespace_kept,
    "| {{string}} |", "{\"string\":\"---\"}", "| --- |")
RENDER(spec_interpolation_standalone_keeps_indent_and_newline,
    "  {{string}}\n", "{\"string\":\"---\"}", "  ---\n")
RENDER(spec_triple_mustache_standalone_keeps_indent_and_newline,
    "  {{{string}}}\n", "{\"string\":\"---\"}", "  ---\n")
RENDER(spec_interpolation_with_padding,
    "|{{ string }}|", "{\"string\":\"---\"}", "|---|")
RENDER(spec_triple_mustache_with_padding,
    "|{{{ string }}}|", "{\"string\":\"---\"}", "|---|")
RENDER(spec_ampersand_with_padding,
    "|{{& string }}|", "{\"string\":\"---\"}", "|---|")

/* ---- sections ----------------------------------------------------------- */

RENDER(spec_section_truthy_renders,
    "\"{{#boolean}}This should be rendered.{{/boolean}}\"",
    "{\"boolean\":true}", "\"This should be rendered.\"")
RENDER(spec_section_falsey_does_not_render,
    "\"{{#boolean}}This should not be rendered.{{/boolean}}\"",
    "{\"boolean\":false}", "\"\"")
RENDER(spec_section_null_is_falsey,
    "\"{{#null}}This should not be rendered.{{/null}}\"",
    "{\"null\":null}", "\"\"")
RENDER(empty_string_is_falsey_and_zero_is_truthy,
    "[{{#s}}S{{/s}}][{{#z}}Z{{.}}{{/z}}]", "{\"s\":\"\",\"z\":0}", "[][Z0]")
RENDER(empty_object_is_truthy,
    "[{{#o}}O{{/o}}]", "{\"o\":{}}", "[O]")
RENDER(spec_section_context_pushes_object,
    "\"{{#context}}Hi {{name}}.{{/context}}\"",
    "{\"context\":{\"name\":\"Joe\"}}", "\"Hi Joe.\"")
RENDER(spec_section_parent_contexts_are_searched,
    "\"{{#sec}}{{a}}, {{b}}, {{c.d}}{{/sec}}\"",
    "{\"a\":\"foo\",\"b\":\"wrong\",\"sec\":{\"b\":\"bar\"},"
    "\"c\":{\"d\":\"baz\"}}", "\"foo, bar, baz\"")
RENDER(spec_section_variable_test_pushes_scalar,
    "\"{{#foo}}{{.}} is {{foo}}{{/foo}}\"", "{\"foo\":\"bar\"}",
    "\"bar is bar\"")
RENDER(spec_section_list_context,
    "{{#tops}}{{#middles}}{{tname.lower}}{{mname}}.{{#bottoms}}"
    "{{tname.upper}}{{mname}}{{bname}}.{{/bottoms}}{{/middles}}{{/tops}}",
    "{\"tops\":[{\"tname\":{\"upper\":\"A\",\"lower\":\"a\"},"
    "\"middles\":[{\"mname\":\"1\",\"bottoms\":[{\"bname\":\"x\"},"
    "{\"bname\":\"y\"}]}]}]}", "a1.A1x.A1y.")
RENDER(spec_section_deeply_nested_contexts,
    "{{#a}}\n{{one}}\n{{#b}}\n{{one}}{{two}}{{one}}\n{{#c}}\n"
    "{{one}}{{two}}{{three}}{{two}}{{one}}\n{{/c}}\n{{/b}}\n{{/a}}\n",
    "{\"a\":{\"one\":1},\"b\":{\"two\":2},\"c\":{\"three\":3}}",
    "1\n121\n12321\n")
RENDER(spec_section_list_renders_once_per_item,
    "\"{{#list}}{{item}}{{/list}}\"",
    "{\"list\":[{\"item\":1},{\"item\":2},{\"item\":3}]}", "\"123\"")
RENDER(spec_section_empty_list_does_not_render,
    "\"{{#list}}Yay lists!{{/list}}\"", "{\"list\":[]}", "\"\"")
RENDER(spec_section_doubled,
    "{{#bool}}\n* first\n{{/bool}}\n* {{two}}\n{{#bool}}\n* third\n"
    "{{/bool}}\n", "{\"bool\":true,\"two\":\"second\"}",
    "* first\n* second\n* third\n")
RENDER(spec_section_nested_truthy,
    "| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |",
    "{\"bool\":true}", "| A B C D E |")
RENDER(spec_section_nested_falsey,
    "| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |",
    "{\"bool\":false}", "| A  E |")
RENDER(spec_section_context_misses_render_nothing,
    "[{{#missing}}Found key 'missing'!{{/missing}}]", "{}", "[]")
RENDER(spec_section_implicit_iterator_string,
    "\"{{#list}}({{.}}){{/list}}\"",
    "{\"list\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}", "\"(a)(b)(c)(d)(e)\"")
RENDER(spec_section_implicit_iterator_integer,
    "\"{{#list}}({{.}}){{/list}}\"", "{\"list\":[1,2,3,4,5]}",
    "\"(1)(2)(3)(4)(5)\"")
RENDER(spec_section_implicit_iterator_decimal,
    "\"{{#list}}({{.}}){{/list}}\"",
    "{\"list\":[1.10,2.20,3.30,4.40,5.50]}", "\"(1.1)(2.2)(3.3)(4.4)(5.5)\"")
RENDER(spec_section_implicit_iterator_array,
    "\"{{#list}}({{#.}}{{.}}{{/.}}){{/list}}\"",
    "{\"list\":[[1,2,3],[\"a\",\"b\",\"c\"]]}", "\"(123)(abc)\"")
RENDER(spec_section_implicit_iterator_html_escaping,
    "\"{{#list}}({{.}}){{/list}}\"", "{\"list\":[\"&\",\"\\\"\",\"<\",\">\"]}",
    "\"(&amp;)(&quot;)(&lt;)(&gt;)\"")
RENDER(spec_section_implicit_iterator_triple_mustache,
    "\"{{#list}}({{{.}}}){{/list}}\"",
    "{\"list\":[\"&\",\"\\\"\",\"<\",\">\"]}", "\"(&)(\")(<)(>)\"")
RENDER(spec_section_dotted_names_truthy,
    "\"{{#a.b.c}}Here{{/a.b.c}}\" == \"Here\"",
    "{\"a\":{\"b\":{\"c\":true}}}", "\"Here\" == \"Here\"")
RENDER(spec_section_dotted_names_falsey,
    "\"{{#a.b.c}}Here{{/a.b.c}}\" == \"\"",
    "{\"a\":{\"b\":{\"c\":false}}}", "\"\" == \"\"")
RENDER(spec_section_dotted_names_broken_chains,
    "\"{{#a.b.c}}Here{{/a.b.c}}\" == \"\"", "{\"a\":{}}", "\"\" == \"\"")
RENDER(spec_section_surrounding_whitespace_kept,
    " | {{#boolean}}\t|\t{{/boolean}} | \n", "{\"boolean\":true}",
    " | \t|\t | \n")
RENDER(spec_section_internal_whitespace_kept,
    " | {{#boolean}} {{! Important Whitespace }}\n {{/boolean}} | \n",
    "{\"boolean\":true}", " |  \n  | \n")
RENDER(spec_section_indented_inline_sections_keep_indent,
    " {{#boolean}}YES{{/boolean}}\n {{#boolean}}GOOD{{/boolean}}\n",
    "{\"boolean\":true}", " YES\n GOOD\n")
RENDER(spec_section_standalone_lines_are_removed,
    "| This Is\n{{#boolean}}\n|\n{{/boolean}}\n| A Line\n",
    "{\"boolean\":true}", "| This Is\n|\n| A Line\n")
RENDER(spec_section_indented_standalone_lines_are_removed,
    "| This Is\n  {{#boolean}}\n|\n  {{/boolean}}\n| A Line\n",
    "{\"boolean\":true}", "| This Is\n|\n| A Line\n")
RENDER(spec_section_standalone_line_endings_crlf,
    "|\r\n{{#boolean}}\r\n{{/boolean}}\r\n|", "{\"boolean\":true}",
    "|\r\n|")
RENDER(spec_section_standalone_without_previous_line,
    "  {{#boolean}}\n#{{/boolean}}\n/", "{\"boolean\":true}", "#\n/")
RENDER(spec_section_standalone_without_newline,
    "#{{#boolean}}\n/\n  {{/boolean}}", "{\"boolean\":true}", "#\n/\n")
RENDER(spec_section_padding,
    "|{{# boolean }}={{/ boolean }}|", "{\"boolean\":true}", "|=|")

/* ---- inverted sections -------------------------------------------------- */

RENDER(spec_inverted_falsey_renders,
    "\"{{^boolean}}This should be rendered.{{/boolean}}\"",
    "{\"boolean\":false}", "\"This should be rendered.\"")
RENDER(spec_inverted_truthy_does_not_render,
    "\"{{^boolean}}This should not be rendered.{{/boolean}}\"",
    "{\"boolean\":true}", "\"\"")
RENDER(spec_inverted_null_is_falsey,
    "\"{{^null}}This should be rendered.{{/null}}\"", "{\"null\":null}",
    "\"This should be rendered.\"")
RENDER(spec_inverted_context_does_not_render,
    "\"{{^context}}Hi {{name}}.{{/context}}\"",
    "{\"context\":{\"name\":\"Joe\"}}", "\"\"")
RENDER(spec_inverted_list_does_not_render,
    "\"{{^list}}{{n}}{{/list}}\"",
    "{\"list\":[{\"n\":1},{\"n\":2},{\"n\":3}]}", "\"\"")
RENDER(spec_inverted_empty_list_renders,
    "\"{{^list}}Yay lists!{{/list}}\"", "{\"list\":[]}", "\"Yay lists!\"")
RENDER(inverted_empty_string_renders,
    "[{{^s}}none{{/s}}]", "{\"s\":\"\"}", "[none]")
RENDER(spec_inverted_doubled,
    "{{^bool}}\n* first\n{{/bool}}\n* {{two}}\n{{^bool}}\n* third\n"
    "{{/bool}}\n", "{\"bool\":false,\"two\":\"second\"}",
    "* first\n* second\n* third\n")
RENDER(spec_inverted_nested_falsey,
    "| A {{^bool}}B {{^bool}}C{{/bool}} D{{/bool}} E |",
    "{\"bool\":false}", "| A B C D E |")
RENDER(spec_inverted_nested_truthy,
    "| A {{^bool}}B {{^bool}}C{{/bool}} D{{/bool}} E |",
    "{\"bool\":true}", "| A  E |")
RENDER(spec_inverted_context_misses_render,
    "[{{^missing}}Found key 'missing'!{{/missing}}]", "{}",
    "[Found key 'missing'!]")
RENDER(spec_inverted_dotted_names_truthy,
    "\"{{^a.b.c}}Not Here{{/a.b.c}}\" == \"\"",
    "{\"a\":{\"b\":{\"c\":true}}}", "\"\" == \"\"")
RENDER(spec_inverted_dotted_names_falsey,
    "\"{{^a.b.c}}Not Here{{/a.b.c}}\" == \"Not Here\"",
    "{\"a\":{\"b\":{\"c\":false}}}", "\"Not Here\" == \"Not Here\"")
RENDER(spec_inverted_dotted_names_broken_chains,
    "\"{{^a.b.c}}Not Here{{/a.b.c}}\" == \"Not Here\"", "{\"a\":{}}",
    "\"Not Here\" == \"Not Here\"")
RENDER(spec_inverted_surrounding_whitespace_kept,
    " | {{^boolean}}\t|\t{{/boolean}} | \n", "{\"boolean\":false}",
    " | \t|\t | \n")
RENDER(spec_inverted_internal_whitespace_kept,
    " | {{^boolean}} {{! Important Whitespace }}\n {{/boolean}} | \n",
    "{\"boolean\":false}", " |  \n  | \n")
RENDER(spec_inverted_indented_inline_sections_keep_indent,
    " {{^boolean}}NO{{/boolean}}\n {{^boolean}}WAY{{/boolean}}\n",
    "{\"boolean\":false}", " NO\n WAY\n")
RENDER(spec_inverted_standalone_lines_are_removed,
    "| This Is\n{{^boolean}}\n|\n{{/boolean}}\n| A Line\n",
    "{\"boolean\":false}", "| This Is\n|\n| A Line\n")
RENDER(spec_inverted_standalone_indented_lines_are_removed,
    "| This Is\n  {{^boolean}}\n|\n  {{/boolean}}\n| A Line\n",
    "{\"boolean\":false}", "| This Is\n|\n| A Line\n")
RENDER(spec_inverted_standalone_line_endings_crlf,
    "|\r\n{{^boolean}}\r\n{{/boolean}}\r\n|", "{\"boolean\":false}",
    "|\r\n|")
RENDER(spec_inverted_standalone_without_previous_line,
    "  {{^boolean}}\n^{{/boolean}}\n/", "{\"boolean\":false}", "^\n/")
RENDER(spec_inverted_standalone_without_newline,
    "^{{^boolean}}\n/\n  {{/boolean}}", "{\"boolean\":false}", "^\n/\n")
RENDER(spec_inverted_padding,
    "|{{^ boolean }}={{/ boolean }}|", "{\"boolean\":false}", "|=|")

/* ---- partials ----------------------------------------------------------- */

RENDER_P(spec_partial_basic_behavior,
    "\"{{>text}}\"", "{}", "text", "from partial", "\"from partial\"")
RENDER(spec_partial_failed_lookup_renders_nothing,
    "\"{{>text}}\"", "{}", "\"\"")
RENDER_P(spec_partial_uses_current_context,
    "\"{{>partial}}\"", "{\"text\":\"content\"}", "partial", "*{{text}}*",
    "\"*content*\"")
RENDER_P(spec_partial_recursion_follows_data,
    "{{>node}}",
    "{\"content\":\"X\",\"nodes\":[{\"content\":\"Y\",\"nodes\":[]}]}",
    "node", "{{content}}<{{#nodes}}{{>node}}{{/nodes}}>", "X<Y<>>")
RENDER_P(spec_partial_nested_in_section_sees_item,
    "{{#list}}{{>item}},{{/list}}", "{\"list\":[{\"n\":1},{\"n\":2}]}",
    "item", "<{{n}}>", "<1>,<2>,")
RENDER_P(spec_partial_surrounding_whitespace_kept,
    "| {{>partial}} |", "{}", "partial", "\t|\t", "| \t|\t |")
RENDER_P(spec_partial_inline_indentation_not_applied,
    "  {{data}}  {{> partial}}\n", "{\"data\":\"|\"}", "partial", ">\n>",
    "  |  >\n>\n")
RENDER_P(spec_partial_standalone_line_endings_crlf,
    "|\r\n{{>partial}}\r\n|", "{}", "partial", ">", "|\r\n>|")
RENDER_P(spec_partial_standalone_without_previous_line,
    "  {{>partial}}\n>", "{}", "partial", ">\n>", "  >\n  >>")
RENDER_P(spec_partial_standalone_without_newline,
    ">\n  {{>partial}}", "{}", "partial", ">\n>", ">\n  >\n  >")
RENDER_P(spec_partial_standalone_indentation_indents_each_line,
    "\\\n {{>partial}}\n/\n", "{\"content\":\"<\\n->\"}", "partial",
    "|\n{{{content}}}\n|\n", "\\\n |\n <\n->\n |\n/\n")
RENDER_P(spec_partial_padding_whitespace,
    "|{{> partial }}|", "{\"boolean\":true}", "partial", "[]", "|[]|")
RENDER_P(standalone_partial_indent_skips_removed_standalone_lines,
    "<ul>\n  {{>items}}\n</ul>\n",
    "{\"list\":[\"a\",\"b\"]}", "items",
    "{{#list}}\n<li>{{.}}</li>\n{{/list}}\n",
    "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n")
RENDER_P(standalone_partial_indents_inline_tag_at_line_start,
    "x\n    {{>p}}\ny", "{\"v\":\"V\"}", "p", "a\n{{v}}b\n",
    "x\n    a\n    Vb\ny")

/* Nested standalone partials add their indentation to the outer one. */
START_TEST(nested_standalone_partials_accumulate_indentation)
{
	portal_templates *set = portal_templates_new();
	portal_buf out;
	json_t *data = json_object();
	const char *top = "<\n  {{>mid}}\n>\n";
	const char *mid = "m1\n  {{>leaf}}\nm2\n";
	const char *leaf = "l1\nl2\n";

	ck_assert_int_eq(portal_templates_add(set, "top", top, strlen(top),
	    NULL, 0), 0);
	ck_assert_int_eq(portal_templates_add(set, "mid", mid, strlen(mid),
	    NULL, 0), 0);
	ck_assert_int_eq(portal_templates_add(set, "leaf", leaf, strlen(leaf),
	    NULL, 0), 0);
	portal_buf_init(&out, 0);
	ck_assert_int_eq(portal_templates_render(set, "top", data, &out), 0);
	ck_assert_str_eq(out.data, "<\n  m1\n    l1\n    l2\n  m2\n>\n");
	portal_buf_free(&out);
	json_decref(data);
	portal_templates_free(set);
}
END_TEST

/* ---- comments ----------------------------------------------------------- */

RENDER(spec_comment_inline_is_removed,
    "12345{{! Comment Block! }}67890", "{}", "1234567890")
RENDER(spec_comment_multiline_is_removed,
    "12345{{!\n  This is a\n  multi-line comment...\n}}67890\n", "{}",
    "1234567890\n")
RENDER(spec_comment_standalone_line_is_removed,
    "Begin.\n{{! Comment Block! }}\nEnd.\n", "{}", "Begin.\nEnd.\n")
RENDER(spec_comment_indented_standalone_line_is_removed,
    "Begin.\n  {{! Indented Comment Block! }}\nEnd.\n", "{}",
    "Begin.\nEnd.\n")
RENDER(spec_comment_standalone_line_endings_crlf,
    "|\r\n{{! Standalone Comment }}\r\n|", "{}", "|\r\n|")
RENDER(spec_comment_standalone_without_previous_line,
    "  {{! I'm Still Standalone }}\n!", "{}", "!")
RENDER(spec_comment_standalone_without_newline,
    "!\n  {{! I'm Still Standalone }}", "{}", "!\n")
RENDER(spec_comment_multiline_standalone_is_removed,
    "Begin.\n{{!\nSomething's going on here...\n}}\nEnd.\n", "{}",
    "Begin.\nEnd.\n")
RENDER(spec_comment_indented_multiline_standalone_is_removed,
    "Begin.\n  {{!\n    Something's going on here...\n  }}\nEnd.\n", "{}",
    "Begin.\nEnd.\n")
RENDER(spec_comment_indented_inline_keeps_line,
    "  12 {{! 34 }}\n", "{}", "  12 \n")
RENDER(spec_comment_surrounding_whitespace_kept,
    "12345 {{! Comment Block! }} 67890", "{}", "12345  67890")
RENDER(spec_comment_with_braces_inside,
    "A{{! {not a tag} }}B", "{}", "AB")

/* ---- the portal's own rules -------------------------------------------- */

/* Add `tpl` to a fresh set; assert it fails and err names `line`. */
static void
expect_parse_error(const char *tpl, const char *line)
{
	portal_templates *set = portal_templates_new();
	char err[256];

	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(portal_templates_add(set, "bad", tpl, strlen(tpl),
	    err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, line) != NULL, "err \"%s\" lacks \"%s\"",
	    err, line);
	ck_assert_int_eq(portal_templates_has(set, "bad"), 0);
	portal_templates_free(set);
}

START_TEST(unclosed_tag_is_parse_error_with_line)
{
	expect_parse_error("a\nb\nc {{name\n", "line 3: unclosed tag");
	expect_parse_error("{{{name}}", "line 1: unclosed tag");
}
END_TEST

START_TEST(mismatched_close_is_parse_error_with_line)
{
	expect_parse_error("{{#a}}\n{{/b}}\n", "line 2: \"{{/b}}\" does not "
	    "match \"{{#a}}\" opened on line 1");
	expect_parse_error("x\n\n{{/a}}", "line 3: \"{{/a}}\" closes no open");
}
END_TEST

START_TEST(unclosed_section_is_parse_error_with_line)
{
	expect_parse_error("\n{{#a}}\n{{^b}}{{/b}}\n", "line 2: section "
	    "\"a\" is never closed");
}
END_TEST

START_TEST(set_delimiter_is_parse_error_with_line)
{
	expect_parse_error("one\n{{=<% %>=}}\n", "line 2: set-delimiter");
}
END_TEST

START_TEST(inheritance_and_bad_names_are_parse_errors)
{
	expect_parse_error("{{<parent}}{{/parent}}", "line 1:");
	expect_parse_error("\n{{a b}}", "line 2: bad name");
	expect_parse_error("{{}}", "line 1: bad name");
	expect_parse_error("{{a..b}}", "line 1: bad name");
	expect_parse_error("{{#}}{{/}}", "line 1: bad name");
	expect_parse_error("{{>}}", "line 1: bad partial name");
}
END_TEST

/* Build "{{#s}}" x depth then "{{/s}}" x depth. */
static char *
nested_sections(int depth)
{
	char *s = malloc((size_t)depth * 12 + 1);
	int i;

	ck_assert_ptr_nonnull(s);
	s[0] = '\0';
	for (i = 0; i < depth; i++)
		strcat(s, "{{#s}}");
	for (i = 0; i < depth; i++)
		strcat(s, "{{/s}}");
	return s;
}

START_TEST(nesting_32_sections_parses_and_33_is_error)
{
	portal_templates *set = portal_templates_new();
	char err[128], *ok = nested_sections(32), *deep = nested_sections(33);

	ck_assert_int_eq(portal_templates_add(set, "ok", ok, strlen(ok),
	    err, sizeof(err)), 0);
	ck_assert_int_eq(portal_templates_add(set, "deep", deep, strlen(deep),
	    err, sizeof(err)), -1);
	ck_assert_str_eq(err, "line 1: sections nested deeper than 32");
	free(ok);
	free(deep);
	portal_templates_free(set);
}
END_TEST

START_TEST(self_including_partial_stops_at_depth_16)
{
	portal_templates *set = portal_templates_new();
	portal_buf out;
	const char *loop = "x{{>loop}}";

	ck_assert_int_eq(portal_templates_add(set, "loop", loop, strlen(loop),
	    NULL, 0), 0);
	portal_buf_init(&out, 0);
	ck_assert_int_eq(portal_templates_render(set, "loop", NULL, &out), 0);
	/* The top template and 16 nested partials: 17 x's. */
	ck_assert_str_eq(out.data, "xxxxxxxxxxxxxxxxx");
	portal_buf_free(&out);
	portal_templates_free(set);
}
END_TEST

START_TEST(branching_partial_recursion_is_bounded)
{
	portal_templates *set = portal_templates_new();
	portal_buf out;
	const char *fan = "{{>fan}}{{>fan}}{{>fan}}{{>fan}}{{>fan}}{{>fan}}";

	ck_assert_int_eq(portal_templates_add(set, "fan", fan, strlen(fan),
	    NULL, 0), 0);
	portal_buf_init(&out, 0);
	/* 6^16 partial visits would never end: the work bound stops it. */
	ck_assert_int_eq(portal_templates_render(set, "fan", NULL, &out), -1);
	ck_assert_int_eq((int)out.len, 0);
	portal_buf_free(&out);
	portal_templates_free(set);
}
END_TEST

START_TEST(output_cap_is_respected)
{
	portal_templates *set = portal_templates_new();
	portal_buf out;
	json_t *data = json_loads("{\"l\":[1,2,3,4,5,6,7,8,9,10]}", 0, NULL);
	const char *t = "{{#l}}abcdefghij{{/l}}";

	ck_assert_int_eq(portal_templates_add(set, "t", t, strlen(t), NULL, 0),
	    0);
	portal_buf_init(&out, 100);
	ck_assert_int_eq(portal_templates_render(set, "t", data, &out), 0);
	ck_assert_int_eq((int)out.len, 100);
	portal_buf_free(&out);
	portal_buf_init(&out, 99);
	ck_assert_int_eq(portal_templates_render(set, "t", data, &out), -1);
	ck_assert_int_eq(out.overflow, 1);
	ck_assert_uint_le(out.len, 99);
	portal_buf_free(&out);
	json_decref(data);
	portal_templates_free(set);
}
END_TEST

START_TEST(unknown_template_name_returns_error)
{
	portal_templates *set = portal_templates_new();
	portal_buf out;

	ck_assert_int_eq(portal_templates_add(set, "known", "k", 1, NULL, 0),
	    0);
	portal_buf_init(&out, 0);
	ck_assert_int_eq(portal_templates_render(set, "unknown", NULL, &out),
	    -1);
	ck_assert_int_eq((int)out.len, 0);
	ck_assert_int_eq(portal_templates_has(set, "known"), 1);
	ck_assert_int_eq(portal_templates_has(set, "unknown"), 0);
	portal_buf_free(&out);
	portal_templates_free(set);
}
END_TEST

START_TEST(adding_same_name_replaces_template)
{
	portal_templates *set = portal_templates_new();
	portal_buf out;

	ck_assert_int_eq(portal_templates_add(set, "t", "old", 3, NULL, 0), 0);
	ck_assert_int_eq(portal_templates_add(set, "t", "new", 3, NULL, 0), 0);
	/* A failed add leaves the previous template in place. */
	ck_assert_int_eq(portal_templates_add(set, "t", "{{", 2, NULL, 0), -1);
	portal_buf_init(&out, 0);
	ck_assert_int_eq(portal_templates_render(set, "t", NULL, &out), 0);
	ck_assert_str_eq(out.data, "new");
	portal_buf_free(&out);
	portal_templates_free(set);
}
END_TEST

START_TEST(template_text_may_hold_nul_bytes)
{
	portal_templates *set = portal_templates_new();
	portal_buf out;
	json_t *data = json_loads("{\"v\":\"V\"}", 0, NULL);

	ck_assert_int_eq(portal_templates_add(set, "t", "a\0{{v}}b", 8, NULL,
	    0), 0);
	portal_buf_init(&out, 0);
	ck_assert_int_eq(portal_templates_render(set, "t", data, &out), 0);
	ck_assert_int_eq((int)out.len, 4);
	ck_assert_int_eq(memcmp(out.data, "a\0Vb", 4), 0);
	portal_buf_free(&out);
	json_decref(data);
	portal_templates_free(set);
}
END_TEST

/* Build the suite; each case proves the behaviour its name says. */
static Suite *
template_suite(void)
{
	Suite *s = suite_create("template");
	TCase *tc;

	tc = tcase_create("interpolation");
	tcase_add_test(tc, spec_no_interpolation_passes_text_through);
	tcase_add_test(tc, spec_basic_interpolation_inserts_value);
	tcase_add_test(tc, spec_html_escaping_escapes_double_mustache);
	tcase_add_test(tc, escaping_also_covers_quote_backtick_equals);
	tcase_add_test(tc, spec_triple_mustache_is_not_escaped);
	tcase_add_test(tc, spec_ampersand_is_not_escaped);
	tcase_add_test(tc, spec_basic_integer_interpolation);
	tcase_add_test(tc, spec_triple_mustache_integer_interpolation);
	tcase_add_test(tc, negative_and_large_integers_print_in_full);
	tcase_add_test(tc, spec_basic_decimal_interpolation_drops_trailing_zeros);
	tcase_add_test(tc, booleans_interpolate_as_words);
	tcase_add_test(tc, spec_basic_null_interpolation_is_empty);
	tcase_add_test(tc, spec_context_miss_interpolation_is_empty);
	tcase_add_test(tc, objects_and_lists_interpolate_as_nothing);
	tcase_add_test(tc, spec_dotted_names_basic);
	tcase_add_test(tc, spec_dotted_names_triple_mustache);
	tcase_add_test(tc, spec_dotted_names_arbitrary_depth);
	tcase_add_test(tc, spec_dotted_names_broken_chains_are_empty);
	tcase_add_test(tc, spec_dotted_names_broken_chain_resolution_does_not_climb);
	tcase_add_test(tc, spec_dotted_names_initial_resolution_uses_nearest_context);
	tcase_add_test(tc, spec_dotted_names_context_precedence);
	tcase_add_test(tc, spec_implicit_iterator_basic_interpolation);
	tcase_add_test(tc, spec_implicit_iterator_html_escaping);
	tcase_add_test(tc, spec_implicit_iterator_basic_integer);
	tcase_add_test(tc, spec_interpolation_surrounding_whitespace_kept);
	tcase_add_test(tc, spec_interpolation_standalone_keeps_indent_and_newline);
	tcase_add_test(tc, spec_triple_mustache_standalone_keeps_indent_and_newline);
	tcase_add_test(tc, spec_interpolation_with_padding);
	tcase_add_test(tc, spec_triple_mustache_with_padding);
	tcase_add_test(tc, spec_ampersand_with_padding);
	suite_add_tcase(s, tc);

	tc = tcase_create("sections");
	tcase_add_test(tc, spec_section_truthy_renders);
	tcase_add_test(tc, spec_section_falsey_does_not_render);
	tcase_add_test(tc, spec_section_null_is_falsey);
	tcase_add_test(tc, empty_string_is_falsey_and_zero_is_truthy);
	tcase_add_test(tc, empty_object_is_truthy);
	tcase_add_test(tc, spec_section_context_pushes_object);
	tcase_add_test(tc, spec_section_parent_contexts_are_searched);
	tcase_add_test(tc, spec_section_variable_test_pushes_scalar);
	tcase_add_test(tc, spec_section_list_context);
	tcase_add_test(tc, spec_section_deeply_nested_contexts);
	tcase_add_test(tc, spec_section_list_renders_once_per_item);
	tcase_add_test(tc, spec_section_empty_list_does_not_render);
	tcase_add_test(tc, spec_section_doubled);
	tcase_add_test(tc, spec_section_nested_truthy);
	tcase_add_test(tc, spec_section_nested_falsey);
	tcase_add_test(tc, spec_section_context_misses_render_nothing);
	tcase_add_test(tc, spec_section_implicit_iterator_string);
	tcase_add_test(tc, spec_section_implicit_iterator_integer);
	tcase_add_test(tc, spec_section_implicit_iterator_decimal);
	tcase_add_test(tc, spec_section_implicit_iterator_array);
	tcase_add_test(tc, spec_section_implicit_iterator_html_escaping);
	tcase_add_test(tc, spec_section_implicit_iterator_triple_mustache);
	tcase_add_test(tc, spec_section_dotted_names_truthy);
	tcase_add_test(tc, spec_section_dotted_names_falsey);
	tcase_add_test(tc, spec_section_dotted_names_broken_chains);
	tcase_add_test(tc, spec_section_surrounding_whitespace_kept);
	tcase_add_test(tc, spec_section_internal_whitespace_kept);
	tcase_add_test(tc, spec_section_indented_inline_sections_keep_indent);
	tcase_add_test(tc, spec_section_standalone_lines_are_removed);
	tcase_add_test(tc, spec_section_indented_standalone_lines_are_removed);
	tcase_add_test(tc, spec_section_standalone_line_endings_crlf);
	tcase_add_test(tc, spec_section_standalone_without_previous_line);
	tcase_add_test(tc, spec_section_standalone_without_newline);
	tcase_add_test(tc, spec_section_padding);
	suite_add_tcase(s, tc);

	tc = tcase_create("inverted");
	tcase_add_test(tc, spec_inverted_falsey_renders);
	tcase_add_test(tc, spec_inverted_truthy_does_not_render);
	tcase_add_test(tc, spec_inverted_null_is_falsey);
	tcase_add_test(tc, spec_inverted_context_does_not_render);
	tcase_add_test(tc, spec_inverted_list_does_not_render);
	tcase_add_test(tc, spec_inverted_empty_list_renders);
	tcase_add_test(tc, inverted_empty_string_renders);
	tcase_add_test(tc, spec_inverted_doubled);
	tcase_add_test(tc, spec_inverted_nested_falsey);
	tcase_add_test(tc, spec_inverted_nested_truthy);
	tcase_add_test(tc, spec_inverted_context_misses_render);
	tcase_add_test(tc, spec_inverted_dotted_names_truthy);
	tcase_add_test(tc, spec_inverted_dotted_names_falsey);
	tcase_add_test(tc, spec_inverted_dotted_names_broken_chains);
	tcase_add_test(tc, spec_inverted_surrounding_whitespace_kept);
	tcase_add_test(tc, spec_inverted_internal_whitespace_kept);
	tcase_add_test(tc, spec_inverted_indented_inline_sections_keep_indent);
	tcase_add_test(tc, spec_inverted_standalone_lines_are_removed);
	tcase_add_test(tc, spec_inverted_standalone_indented_lines_are_removed);
	tcase_add_test(tc, spec_inverted_standalone_line_endings_crlf);
	tcase_add_test(tc, spec_inverted_standalone_without_previous_line);
	tcase_add_test(tc, spec_inverted_standalone_without_newline);
	tcase_add_test(tc, spec_inverted_padding);
	suite_add_tcase(s, tc);

	tc = tcase_create("partials");
	tcase_add_test(tc, spec_partial_basic_behavior);
	tcase_add_test(tc, spec_partial_failed_lookup_renders_nothing);
	tcase_add_test(tc, spec_partial_uses_current_context);
	tcase_add_test(tc, spec_partial_recursion_follows_data);
	tcase_add_test(tc, spec_partial_nested_in_section_sees_item);
	tcase_add_test(tc, spec_partial_surrounding_whitespace_kept);
	tcase_add_test(tc, spec_partial_inline_indentation_not_applied);
	tcase_add_test(tc, spec_partial_standalone_line_endings_crlf);
	tcase_add_test(tc, spec_partial_standalone_without_previous_line);
	tcase_add_test(tc, spec_partial_standalone_without_newline);
	tcase_add_test(tc, spec_partial_standalone_indentation_indents_each_line);
	tcase_add_test(tc, spec_partial_padding_whitespace);
	tcase_add_test(tc, standalone_partial_indent_skips_removed_standalone_lines);
	tcase_add_test(tc, standalone_partial_indents_inline_tag_at_line_start);
	tcase_add_test(tc, nested_standalone_partials_accumulate_indentation);
	suite_add_tcase(s, tc);

	tc = tcase_create("comments");
	tcase_add_test(tc, spec_comment_inline_is_removed);
	tcase_add_test(tc, spec_comment_multiline_is_removed);
	tcase_add_test(tc, spec_comment_standalone_line_is_removed);
	tcase_add_test(tc, spec_comment_indented_standalone_line_is_removed);
	tcase_add_test(tc, spec_comment_standalone_line_endings_crlf);
	tcase_add_test(tc, spec_comment_standalone_without_previous_line);
	tcase_add_test(tc, spec_comment_standalone_without_newline);
	tcase_add_test(tc, spec_comment_multiline_standalone_is_removed);
	tcase_add_test(tc, spec_comment_indented_multiline_standalone_is_removed);
	tcase_add_test(tc, spec_comment_indented_inline_keeps_line);
	tcase_add_test(tc, spec_comment_surrounding_whitespace_kept);
	tcase_add_test(tc, spec_comment_with_braces_inside);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits_and_errors");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, unclosed_tag_is_parse_error_with_line);
	tcase_add_test(tc, mismatched_close_is_parse_error_with_line);
	tcase_add_test(tc, unclosed_section_is_parse_error_with_line);
	tcase_add_test(tc, set_delimiter_is_parse_error_with_line);
	tcase_add_test(tc, inheritance_and_bad_names_are_parse_errors);
	tcase_add_test(tc, nesting_32_sections_parses_and_33_is_error);
	tcase_add_test(tc, self_including_partial_stops_at_depth_16);
	tcase_add_test(tc, branching_partial_recursion_is_bounded);
	tcase_add_test(tc, output_cap_is_respected);
	tcase_add_test(tc, unknown_template_name_returns_error);
	tcase_add_test(tc, adding_same_name_replaces_template);
	tcase_add_test(tc, template_text_may_hold_nul_bytes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(template_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
