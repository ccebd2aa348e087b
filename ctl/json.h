/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small strict JSON parser (RFC 8259) for what the tool reads: the OCI
 * runtime's state on a hook's standard input.  The whole text becomes a
 * tree; strings are decoded to UTF-8 (escapes, \uXXXX and surrogate
 * pairs included).  Refused: anything RFC 8259 does not allow (comments,
 * trailing commas, single quotes, leading zeros, control characters in
 * strings, invalid UTF-8, lone surrogates, text after the value),
 * duplicate keys in an object, nesting deeper than JSON_MAX_DEPTH.
 */
#ifndef NSCTL_JSON_H
#define NSCTL_JSON_H

#include <stdbool.h>
#include <stddef.h>

#define JSON_MAX_DEPTH	64
#define JSON_MAX_SIZE	(1 << 20)	/* bytes of text */

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json {
	enum json_type type;
	char *str;		/* string: decoded, NUL-terminated; number: its text */
	size_t len;		/* string: bytes (it may hold a \u0000) */
	size_t n;		/* array, object: members */
	struct json **items;	/* array, object: values */
	char **keys;		/* object: keys, decoded */
	size_t *key_lens;
};

/*
 * Parse @len bytes of @text.  0 and *@out, or -1 with *@out NULL and
 * @err holding what is wrong and the byte offset where ("at byte 12:
 * expected ':' after an object key").
 */
int json_parse(const char *text, size_t len, struct json **out, char *err,
	       size_t errlen);
void json_free(struct json *v);

/* An object's member @key, or NULL (also when @obj is not an object). */
const struct json *json_get(const struct json *obj, const char *key);
/* A string without NUL bytes, or NULL. */
const char *json_cstr(const struct json *v);
/* A number that is an integer within long long: 0, else -1. */
int json_integer(const struct json *v, long long *out);
/* "object", "string"... for a message. */
const char *json_type_name(enum json_type t);

#endif
