// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include "nsctl.h"

/*
 * Is standard error the journal (systemd's JOURNAL_STREAM names it)?  Then
 * messages carry the error priority, which journalctl -p err selects.
 */
static bool stderr_is_journal(void)
{
	static int known = -1;
	unsigned long long dev, ino;
	const char *js;
	struct stat st;

	if (known < 0) {
		js = getenv("JOURNAL_STREAM");
		known = js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 &&
			!fstat(STDERR_FILENO, &st) && st.st_dev == dev && st.st_ino == ino;
	}
	return known;
}

int fail(const char *what, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s%s: %s: ", stderr_is_journal() ? "<3>" : "", prog, what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

const char *ct_why(int err)
{
	if (err == -ENOENT)
		return "no such container";
	if (err == -EACCES)
		return "not visible to you (nsctl shows a container to CAP_SYS_ADMIN "
		       "in the initial user and PID namespaces, and to processes "
		       "in all of its namespaces)";
	return strerror(-err);
}

bool want_help(int argc, char **argv, const char *usage)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return true;
		}
	}
	return false;
}

void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

bool have_cap(int cap)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	/* When the question cannot be asked, let the kernel decide later. */
	if (syscall(SYS_capget, &hdr, data))
		return true;
	return data[cap / 32].effective & (1U << (cap % 32));
}

int nsctl_connect(const char *what, struct nsctl_genl **g)
{
	int err = nsctl_genl_open(g);

	if (err == -ENOENT)
		return fail(what, "the kernel has no \"%s\" generic netlink family "
			    "(is the nsctl module loaded?)", NSCTL_GENL_NAME);
	if (err)
		return fail(what, "cannot open a generic netlink socket: %s",
			    strerror(-err));
	return 0;
}

const char *genl_why(const struct nsctl_genl *g, int err)
{
	static char buf[512];
	const char *msg = nsctl_genl_errmsg(g);

	if (msg)
		snprintf(buf, sizeof(buf), "%s (%s)", strerror(-err), msg);
	else
		snprintf(buf, sizeof(buf), "%s", strerror(-err));
	return buf;
}
