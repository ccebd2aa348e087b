// SPDX-License-Identifier: GPL-2.0
/*
 * nsctl: labels on the command line, in listings and in JSON.
 *
 * The kernel checks every label; the same rules are checked here first so
 * that a bad one is named in the tool's own words.  Labels travel as
 * "key=value\n" lines, as the "labels" file shows them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nsctl.h"

static bool key_char(unsigned char ch)
{
	return ch < 0x80 && (isalnum(ch) || ch == '.' || ch == '_' || ch == '/' || ch == '-');
}

const char *label_check(const char *s, bool bare)
{
	const char *eq = strchr(s, '=');
	size_t klen = eq ? (size_t)(eq - s) : strlen(s), i;

	if (!eq && !bare)
		return "a label is KEY=VALUE";
	if (klen == 0 || klen > NSCTL_LABEL_KEY_MAX)
		return "a label key has 1 to 127 characters";
	if ((unsigned char)s[0] >= 0x80 || !isalnum((unsigned char)s[0]))
		return "a label key starts with a letter or a digit";
	for (i = 1; i < klen; i++)
		if (!key_char(s[i]))
			return "a label key is made of letters, digits and . _ / -";
	return eq ? label_value_check(eq + 1) : NULL;
}

const char *label_value_check(const char *v)
{
	if (strlen(v) > NSCTL_LABEL_VALUE_MAX)
		return "a label value has at most 255 bytes";
	for (; *v; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return "a label value has no control characters";
	return NULL;
}

void json_labels(FILE *f, const char *lines)
{
	const char *p, *nl, *eq;
	char buf[NSCTL_LABEL_KEY_MAX + NSCTL_LABEL_VALUE_MAX + 2];
	bool first = true;

	fputs("\"labels\":{", f);
	for (p = lines; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			break;
		eq = memchr(p, '=', nl - p);
		if (!eq || (size_t)(nl - p) >= sizeof(buf))
			continue;
		memcpy(buf, p, nl - p);
		buf[nl - p] = '\0';
		buf[eq - p] = '\0';
		if (!first)
			fputc(',', f);
		first = false;
		json_string(f, buf);
		fputc(':', f);
		json_string(f, buf + (eq - p) + 1);
	}
	fputc('}', f);
}

int labels_read(const char *name, char *buf, size_t len)
{
	int n = nsctl_read_file(name, "labels", buf, len);

	return n < 0 ? n : 0;
}
