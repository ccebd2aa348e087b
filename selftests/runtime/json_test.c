// SPDX-License-Identifier: GPL-2.0
/*
 * The tool's JSON parser (ctl/json.c), which reads the state OCI runtimes
 * give nsctl oci-hook: what it accepts, how it decodes strings, what it
 * refuses and at which byte it says the error is.
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "json.h"

static struct json *parse_ok(struct __test_metadata *_metadata, const char *text)
{
	struct json *v = NULL;
	char err[256];

	if (json_parse(text, strlen(text), &v, err, sizeof(err)))
		TH_LOG("%s: %s", text, err);
	return v;
}

/* The message for @text, which must be refused. */
static const char *parse_err(const char *text, size_t len)
{
	static char err[256];
	struct json *v = (struct json *)1;

	if (!json_parse(text, len, &v, err, sizeof(err))) {
		json_free(v);
		return "(accepted)";
	}
	return v ? "(error but a value)" : err;
}

TEST(state_object)
{
	struct json *v = parse_ok(_metadata,
		" {\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"status\":\"creating\",\r\n"
		"\t\"pid\":4242,\"bundle\":\"/b\",\"annotations\":{\"k\":\"v\"},"
		"\"x\":[true,false,null,-0.5e+3,[]],\"e\":{}} ");
	long long pid;

	ASSERT_NE(NULL, v);
	ASSERT_EQ(JSON_OBJECT, v->type);
	EXPECT_EQ(8, v->n);
	EXPECT_STREQ("c1", json_cstr(json_get(v, "id")));
	EXPECT_EQ(0, json_integer(json_get(v, "pid"), &pid));
	EXPECT_EQ(4242, pid);
	EXPECT_STREQ("v", json_cstr(json_get(json_get(v, "annotations"), "k")));
	EXPECT_EQ(NULL, json_get(v, "missing"));
	EXPECT_EQ(5, json_get(v, "x")->n);
	EXPECT_EQ(JSON_TRUE, json_get(v, "x")->items[0]->type);
	EXPECT_EQ(JSON_FALSE, json_get(v, "x")->items[1]->type);
	EXPECT_EQ(JSON_NULL, json_get(v, "x")->items[2]->type);
	EXPECT_STREQ("-0.5e+3", json_get(v, "x")->items[3]->str);
	EXPECT_EQ(-1, json_integer(json_get(v, "x")->items[3], &pid));
	EXPECT_EQ(-1, json_integer(json_get(v, "id"), &pid));
	EXPECT_EQ(0, json_get(v, "e")->n);
	json_free(v);
}

TEST(string_escapes)
{
	struct json *v = parse_ok(_metadata,
		"\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20AC\\ud83d\\ude00\xc3\xa9\"");

	ASSERT_NE(NULL, v);
	EXPECT_STREQ("a\"b\\c/d\b\f\n\r\tA\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xc3\xa9", v->str);
	json_free(v);
	v = parse_ok(_metadata, "\"a\\u0000b\"");
	ASSERT_NE(NULL, v);
	EXPECT_EQ(3, v->len);
	EXPECT_EQ(NULL, json_cstr(v));	/* a NUL inside: not a C string */
	json_free(v);
}

TEST(integers)
{
	static const char * const ok[] = { "0", "-0", "7", "-12", "9223372036854775807" };
	long long n;
	struct json *v;
	unsigned int i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = parse_ok(_metadata, ok[i]);
		ASSERT_NE(NULL, v);
		EXPECT_EQ(0, json_integer(v, &n));
		EXPECT_EQ(strtoll(ok[i], NULL, 10), n);
		json_free(v);
	}
	v = parse_ok(_metadata, "9223372036854775808");
	ASSERT_NE(NULL, v);
	EXPECT_EQ(-1, json_integer(v, &n));	/* out of range */
	json_free(v);
}

struct bad {
	const char *text, *err;
};

TEST(refused_with_offset)
{
	static const struct bad bad[] = {
		{ "", "at byte 0: empty input" },
		{ "  \n", "at byte 3: empty input" },
		{ "{\"id\":\"c1\"", "at byte 10: expected ',' or '}', not the end of the input" },
		{ "{\"id\" \"c1\"}", "at byte 6: expected ':' after an object key" },
		{ "{id:1}", "at byte 1: expected a string key, not 'i'" },
		{ "[1,2,]", "at byte 5: expected a value, not ']'" },
		{ "{\"a\":1,}", "at byte 7: expected a string key" },
		{ "[1 2]", "at byte 3: expected ',' or ']', not '2'" },
		{ "01", "at byte 0: a number with a leading zero" },
		{ "-", "at byte 1: expected a digit" },
		{ "1.", "at byte 2: expected a digit after '.'" },
		{ "1e", "at byte 2: expected a digit in the exponent" },
		{ "+1", "at byte 0: expected a value, not '+'" },
		{ "tru", "at byte 0: expected a value" },
		{ "nul", "at byte 0: expected a value" },
		{ "'a'", "at byte 0: expected a value, not '''" },
		{ "{} x", "at byte 3: 'x' after the JSON value" },
		{ "{}{}", "at byte 2: '{' after the JSON value" },
		{ "/* c */ 1", "at byte 0: expected a value, not '/'" },
		{ "\"abc", "at byte 0: unterminated string" },
		{ "\"a\tb\"", "at byte 2: control character 0x09" },
		{ "\"\\x\"", "at byte 1: invalid escape \\'x'" },
		{ "\"\\u12\"", "at byte 5: \\u needs four hex digits" },
		{ "\"\\ud800\"", "at byte 1: \\uD800: a high surrogate not followed by a low one" },
		{ "\"\\ud800\\u0041\"", "at byte 1: \\uD800: a high surrogate not followed" },
		{ "\"\\udc00\"", "at byte 1: \\uDC00: a low surrogate without a high one" },
		{ "\"\xff\"", "at byte 1: invalid UTF-8" },
		{ "\"\xc0\xaf\"", "at byte 1: invalid UTF-8" },		/* overlong '/' */
		{ "\"\xed\xa0\x80\"", "at byte 1: invalid UTF-8" },	/* a surrogate */
		{ "\"\xe2\x82\"", "at byte 1: invalid UTF-8" },		/* cut short */
		{ "{\"a\":1,\"b\":2,\"a\":3}", "at byte 0: the object has the key \"a\" twice" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *err = parse_err(bad[i].text, strlen(bad[i].text));

		if (strncmp(err, bad[i].err, strlen(bad[i].err)))
			TH_LOG("%s: got \"%s\", expected \"%s...\"", bad[i].text, err, bad[i].err);
		EXPECT_EQ(0, strncmp(err, bad[i].err, strlen(bad[i].err)));
	}
	/* A NUL byte in the text is a control character too. */
	EXPECT_STREQ("at byte 2: control character 0x00 in a string (escape it)",
		     parse_err("\"a\0b\"", 5));
}

TEST(depth_and_size_limits)
{
	char *text = malloc(JSON_MAX_SIZE + 2);
	struct json *v;
	int d;

	ASSERT_NE(NULL, text);
	for (d = 0; d < JSON_MAX_DEPTH; d++)
		text[d] = '[', text[2 * JSON_MAX_DEPTH - 1 - d] = ']';
	text[2 * JSON_MAX_DEPTH] = '\0';
	v = parse_ok(_metadata, text);
	EXPECT_NE(NULL, v);
	json_free(v);

	for (d = 0; d <= JSON_MAX_DEPTH; d++)
		text[d] = '[', text[2 * JSON_MAX_DEPTH + 1 - d] = ']';
	text[2 * JSON_MAX_DEPTH + 2] = '\0';
	EXPECT_STREQ("at byte 64: nested deeper than 64 levels",
		     parse_err(text, strlen(text)));

	memset(text, ' ', JSON_MAX_SIZE + 1);
	text[0] = '0';
	EXPECT_EQ(0, strncmp(parse_err(text, JSON_MAX_SIZE + 1),
			     "at byte 1048576: the text is larger than", 40));
	EXPECT_STREQ("(accepted)", parse_err(text, JSON_MAX_SIZE));
	free(text);
}

TEST_HARNESS_MAIN
