// SPDX-License-Identifier: GPL-2.0
/*
 * A strict JSON parser: see json.h.  Recursive descent over the whole
 * text, depth-limited; the first error stops it and names its byte offset.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

struct parser {
	const unsigned char *s;
	size_t len, pos;
	int depth;
	char *err;
	size_t errlen;
	bool failed;
};

struct buf {
	char *p;
	size_t len, cap;
};

static void *perr(struct parser *p, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void *perr(struct parser *p, size_t at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->failed)
		return NULL;
	p->failed = true;
	n = snprintf(p->err, p->errlen, "at byte %zu: ", at);
	if (n >= 0 && (size_t)n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
		va_end(ap);
	}
	return NULL;
}

static void *nomem(struct parser *p)
{
	return perr(p, p->pos, "out of memory");
}

static int buf_add(struct buf *b, const void *data, size_t n)
{
	char *np;
	size_t cap;

	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 32;
		while (cap < b->len + n + 1)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np)
			return -1;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
				   p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static const char *what_is(struct parser *p)
{
	static char desc[16];
	unsigned char c;

	if (p->pos >= p->len)
		return "the end of the input";
	c = p->s[p->pos];
	if (c >= 0x20 && c < 0x7f)
		snprintf(desc, sizeof(desc), "'%c'", c);
	else
		snprintf(desc, sizeof(desc), "byte 0x%02x", c);
	return desc;
}

static struct json *new_value(struct parser *p, enum json_type t)
{
	struct json *v = calloc(1, sizeof(*v));

	if (!v)
		return nomem(p);
	v->type = t;
	return v;
}

/* Length of the valid UTF-8 sequence at @s (at most @n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp, min;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		len = 2, cp = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, cp = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, cp = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static int put_utf8(struct buf *b, uint32_t cp)
{
	unsigned char o[4];
	size_t n;

	if (cp < 0x80) {
		o[0] = cp;
		n = 1;
	} else if (cp < 0x800) {
		o[0] = 0xc0 | cp >> 6;
		o[1] = 0x80 | (cp & 0x3f);
		n = 2;
	} else if (cp < 0x10000) {
		o[0] = 0xe0 | cp >> 12;
		o[1] = 0x80 | (cp >> 6 & 0x3f);
		o[2] = 0x80 | (cp & 0x3f);
		n = 3;
	} else {
		o[0] = 0xf0 | cp >> 18;
		o[1] = 0x80 | (cp >> 12 & 0x3f);
		o[2] = 0x80 | (cp >> 6 & 0x3f);
		o[3] = 0x80 | (cp & 0x3f);
		n = 4;
	}
	return buf_add(b, o, n);
}

/* Four hex digits at @p->pos into *@out; -1 reported. */
static int hex4(struct parser *p, uint32_t *out)
{
	unsigned int i;
	unsigned char c;

	*out = 0;
	for (i = 0; i < 4; i++) {
		if (p->pos >= p->len) {
			perr(p, p->pos, "unterminated \\u escape");
			return -1;
		}
		c = p->s[p->pos];
		if (c >= '0' && c <= '9')
			*out = *out << 4 | (c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*out = *out << 4 | ((c | 0x20) - 'a' + 10);
		else {
			perr(p, p->pos, "\\u needs four hex digits, not %s", what_is(p));
			return -1;
		}
		p->pos++;
	}
	return 0;
}

/* After the backslash of "\uXXXX": one code point, a pair joined. */
static int unicode_escape(struct parser *p, struct buf *b)
{
	size_t at = p->pos - 2;
	uint32_t hi, lo;

	if (hex4(p, &hi))
		return -1;
	if (hi >= 0xdc00 && hi <= 0xdfff) {
		perr(p, at, "\\u%04X: a low surrogate without a high one", hi);
		return -1;
	}
	if (hi >= 0xd800 && hi <= 0xdbff) {
		if (p->pos + 2 > p->len || p->s[p->pos] != '\\' || p->s[p->pos + 1] != 'u') {
			perr(p, at, "\\u%04X: a high surrogate not followed by a low one", hi);
			return -1;
		}
		p->pos += 2;
		if (hex4(p, &lo))
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff) {
			perr(p, at, "\\u%04X: a high surrogate not followed by a low one", hi);
			return -1;
		}
		hi = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (put_utf8(b, hi)) {
		nomem(p);
		return -1;
	}
	return 0;
}

static int escape(struct parser *p, struct buf *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	unsigned char c;

	if (p->pos >= p->len) {
		perr(p, p->pos, "unterminated string");
		return -1;
	}
	c = p->s[p->pos++];
	if (c == 'u')
		return unicode_escape(p, b);
	e = c ? strchr(from, c) : NULL;
	if (!e) {
		p->pos--;
		perr(p, p->pos - 1, "invalid escape \\%s", what_is(p));
		return -1;
	}
	if (buf_add(b, &to[e - from], 1)) {
		nomem(p);
		return -1;
	}
	return 0;
}

/* A string at the opening quote: decoded into @b; 0 or -1 (reported). */
static int string_into(struct parser *p, struct buf *b)
{
	size_t start = p->pos, n;
	unsigned char c;

	p->pos++;
	if (buf_add(b, "", 0)) {
		nomem(p);
		return -1;
	}
	for (;;) {
		if (p->pos >= p->len) {
			perr(p, start, "unterminated string");
			return -1;
		}
		c = p->s[p->pos];
		if (c == '"') {
			p->pos++;
			return 0;
		}
		if (c == '\\') {
			p->pos++;
			if (escape(p, b))
				return -1;
			continue;
		}
		if (c < 0x20) {
			perr(p, p->pos, "control character 0x%02x in a string (escape it)", c);
			return -1;
		}
		n = utf8_len(p->s + p->pos, p->len - p->pos);
		if (!n) {
			perr(p, p->pos, "invalid UTF-8 in a string");
			return -1;
		}
		if (buf_add(b, p->s + p->pos, n)) {
			nomem(p);
			return -1;
		}
		p->pos += n;
	}
}

static struct json *parse_string(struct parser *p)
{
	struct buf b = { 0 };
	struct json *v;

	if (string_into(p, &b)) {
		free(b.p);
		return NULL;
	}
	v = new_value(p, JSON_STRING);
	if (!v) {
		free(b.p);
		return NULL;
	}
	v->str = b.p;
	v->len = b.len;
	return v;
}

static size_t digits(struct parser *p)
{
	size_t start = p->pos;

	while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
		p->pos++;
	return p->pos - start;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static struct json *parse_number(struct parser *p)
{
	size_t start = p->pos;
	struct json *v;

	if (p->s[p->pos] == '-')
		p->pos++;
	if (p->pos < p->len && p->s[p->pos] == '0') {
		p->pos++;
		if (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
			return perr(p, start, "a number with a leading zero");
	} else if (!digits(p)) {
		return perr(p, p->pos, "expected a digit, not %s", what_is(p));
	}
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		if (!digits(p))
			return perr(p, p->pos, "expected a digit after '.', not %s", what_is(p));
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (!digits(p))
			return perr(p, p->pos, "expected a digit in the exponent, not %s",
				    what_is(p));
	}
	v = new_value(p, JSON_NUMBER);
	if (!v)
		return NULL;
	v->len = p->pos - start;
	v->str = strndup((const char *)p->s + start, v->len);
	if (!v->str) {
		free(v);
		return nomem(p);
	}
	return v;
}

static struct json *parse_word(struct parser *p)
{
	static const struct { const char *w; enum json_type t; } words[] = {
		{ "true", JSON_TRUE }, { "false", JSON_FALSE }, { "null", JSON_NULL },
	};
	size_t i, n;

	for (i = 0; i < 3; i++) {
		n = strlen(words[i].w);
		if (p->len - p->pos >= n && !memcmp(p->s + p->pos, words[i].w, n)) {
			p->pos += n;
			return new_value(p, words[i].t);
		}
	}
	return perr(p, p->pos, "expected a value, not %s", what_is(p));
}

static struct json *parse_value(struct parser *p);

static int add_member(struct parser *p, struct json *c, struct json *item,
		      struct buf *key)
{
	size_t n = c->n + 1;
	void *np;

	np = realloc(c->items, n * sizeof(*c->items));
	if (!np)
		goto fail;
	c->items = np;
	if (c->type == JSON_OBJECT) {
		np = realloc(c->keys, n * sizeof(*c->keys));
		if (!np)
			goto fail;
		c->keys = np;
		np = realloc(c->key_lens, n * sizeof(*c->key_lens));
		if (!np)
			goto fail;
		c->key_lens = np;
		c->keys[c->n] = key->p;
		c->key_lens[c->n] = key->len;
		*key = (struct buf){ 0 };
	}
	c->items[c->n++] = item;
	return 0;
fail:
	json_free(item);
	nomem(p);
	return -1;
}

static const struct json *sort_obj;

static int key_cmp(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	size_t li = sort_obj->key_lens[i], lj = sort_obj->key_lens[j];
	int r = memcmp(sort_obj->keys[i], sort_obj->keys[j], li < lj ? li : lj);

	return r ? r : (li > lj) - (li < lj);
}

/* The first duplicate key of @o (by index), or -1; -2 out of memory. */
static long duplicate_key(const struct json *o)
{
	size_t *idx, i;
	long dup = -1;

	if (o->n < 2)
		return -1;
	idx = malloc(o->n * sizeof(*idx));
	if (!idx)
		return -2;
	for (i = 0; i < o->n; i++)
		idx[i] = i;
	sort_obj = o;
	qsort(idx, o->n, sizeof(*idx), key_cmp);
	for (i = 1; i < o->n; i++)
		if (!key_cmp(&idx[i - 1], &idx[i]))
			dup = dup < 0 || (long)idx[i] < dup ? (long)idx[i] : dup;
	free(idx);
	return dup;
}

/* An array or object at its opening bracket. */
static struct json *parse_container(struct parser *p, enum json_type t)
{
	char close = t == JSON_ARRAY ? ']' : '}';
	size_t start = p->pos;
	struct buf key = { 0 };
	struct json *c, *item;
	long dup;

	if (++p->depth > JSON_MAX_DEPTH)
		return perr(p, p->pos, "nested deeper than %d levels", JSON_MAX_DEPTH);
	c = new_value(p, t);
	if (!c)
		return NULL;
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		goto done;
	}
	for (;;) {
		skip_ws(p);
		if (t == JSON_OBJECT) {
			if (p->pos >= p->len || p->s[p->pos] != '"') {
				perr(p, p->pos, "expected a string key, not %s", what_is(p));
				goto fail;
			}
			key.len = 0;
			if (string_into(p, &key))
				goto fail;
			skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':') {
				perr(p, p->pos, "expected ':' after an object key, not %s",
				     what_is(p));
				goto fail;
			}
			p->pos++;
		}
		item = parse_value(p);
		if (!item || add_member(p, c, item, &key))
			goto fail;
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == close) {
			p->pos++;
			break;
		}
		perr(p, p->pos, "expected ',' or '%c', not %s", close, what_is(p));
		goto fail;
	}
done:
	if (t == JSON_OBJECT) {
		dup = duplicate_key(c);
		if (dup == -2) {
			nomem(p);
			goto fail;
		}
		if (dup >= 0) {
			perr(p, start, "the object has the key \"%.64s\" twice", c->keys[dup]);
			goto fail;
		}
	}
	free(key.p);
	p->depth--;
	return c;
fail:
	free(key.p);
	json_free(c);
	return NULL;
}

static struct json *parse_value(struct parser *p)
{
	unsigned char c;

	skip_ws(p);
	if (p->pos >= p->len)
		return perr(p, p->pos, "expected a value, not the end of the input");
	c = p->s[p->pos];
	if (c == '{')
		return parse_container(p, JSON_OBJECT);
	if (c == '[')
		return parse_container(p, JSON_ARRAY);
	if (c == '"')
		return parse_string(p);
	if (c == '-' || (c >= '0' && c <= '9'))
		return parse_number(p);
	return parse_word(p);
}

int json_parse(const char *text, size_t len, struct json **out, char *err,
	       size_t errlen)
{
	struct parser p = {
		.s = (const unsigned char *)text, .len = len, .err = err, .errlen = errlen,
	};
	struct json *v;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	if (len > JSON_MAX_SIZE) {
		perr(&p, JSON_MAX_SIZE, "the text is larger than %d bytes", JSON_MAX_SIZE);
		return -1;
	}
	skip_ws(&p);
	if (p.pos >= len) {
		perr(&p, p.pos, "empty input (no JSON value)");
		return -1;
	}
	v = parse_value(&p);
	if (!v)
		return -1;
	skip_ws(&p);
	if (p.pos < len) {
		perr(&p, p.pos, "%s after the JSON value", what_is(&p));
		json_free(v);
		return -1;
	}
	*out = v;
	return 0;
}

void json_free(struct json *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->n; i++) {
		json_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->key_lens);
	free(v->str);
	free(v);
}

const struct json *json_get(const struct json *obj, const char *key)
{
	size_t i, n = strlen(key);

	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (obj->key_lens[i] == n && !memcmp(obj->keys[i], key, n))
			return obj->items[i];
	return NULL;
}

const char *json_cstr(const struct json *v)
{
	if (!v || v->type != JSON_STRING || strlen(v->str) != v->len)
		return NULL;
	return v->str;
}

int json_integer(const struct json *v, long long *out)
{
	char *end;

	if (!v || v->type != JSON_NUMBER || strpbrk(v->str, ".eE"))
		return -1;
	errno = 0;
	*out = strtoll(v->str, &end, 10);
	if (errno || *end)
		return -1;
	return 0;
}

const char *json_type_name(enum json_type t)
{
	static const char * const names[] = {
		[JSON_NULL] = "null", [JSON_FALSE] = "false", [JSON_TRUE] = "true",
		[JSON_NUMBER] = "a number", [JSON_STRING] = "a string",
		[JSON_ARRAY] = "an array", [JSON_OBJECT] = "an object",
	};

	return t <= JSON_OBJECT ? names[t] : "?";
}
