// SPDX-License-Identifier: GPL-2.0
/*
 * nsctl set: a container's policies (on_empty, enter) and, from outside,
 * the settings of the namespaces it holds (host name, domain name, System
 * V IPC limits).  Everything given is checked before anything changes;
 * then the IPC limits go in one write (the kernel applies all or none),
 * the names through the calling thread (see view_lib.c), the policies
 * last, so that "enter=deny" given together with a host name does not
 * refuse the host name.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nsctl.h"

static const char set_usage[] =
"Usage: nsctl set NAME KEY=VALUE...\n"
"\n"
"Change a container's policies and, from outside it, the settings of the\n"
"namespaces it holds.  Every KEY=VALUE is checked before anything changes.\n"
"\n"
"  on_empty=ignore|notify|delete  when the PID namespace's init exits: do\n"
"                                 nothing, send an \"emptied\" event, or send\n"
"                                 it and delete the container\n"
"  enter=allow|deny               deny seals the container: nsctl enter and\n"
"                                 NSCTL_IOC_GET_NS are refused\n"
"  hostname=NAME                  host name of its UTS namespace\n"
"  domainname=NAME                NIS domain name of its UTS namespace\n"
"  shmmax=N shmall=N shmmni=N     System V IPC limits of its IPC namespace,\n"
"  msgmax=N msgmnb=N msgmni=N     named as in /proc/sys/kernel\n"
"  sem=SEMMSL,SEMMNS,SEMOPM,SEMMNI\n"
"  label=KEY=VALUE                set a label (keys: a letter or digit, then\n"
"                                 letters, digits, . _ / -; up to 127)\n"
"  label=-KEY                     remove a label\n"
"  netns-export=N|-                 bind-mount its network namespace on\n"
"                                 /run/netns/N (replacing its export, if\n"
"                                 any), or remove its export (-)\n"
"\n"
"  -h, --help   show this help\n"
"\n"
"The names are set by this process's own thread, which joins the UTS\n"
"namespace for the call and returns: nothing is forked, nothing runs in\n"
"the container.\n";

static const char * const ipc_keys[] = {
	"shmmax", "shmall", "shmmni", "msgmax", "msgmnb", "msgmni", "sem",
};

static bool is_ipc_key(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(ipc_keys) / sizeof(ipc_keys[0]); i++)
		if (!strcmp(key, ipc_keys[i]))
			return true;
	return false;
}

/* A decimal number without sign; the kernel checks the range. */
static bool is_number(const char *s)
{
	if (!*s || strlen(s) > 20)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* "a,b,c,d" (or blanks) into "a b c d": four numbers. */
static bool sem_value(const char *v, char *out, size_t len)
{
	char copy[128], *tok, *save = NULL;
	int n = 0;

	if (strlen(v) >= sizeof(copy))
		return false;
	strcpy(copy, v);
	out[0] = '\0';
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		if (!is_number(tok) || ++n > 4 || strlen(out) + strlen(tok) + 2 > len)
			return false;
		if (n > 1)
			strcat(out, " ");
		strcat(out, tok);
	}
	return n == 4;
}

static const char *errno_why(int err, const char *file)
{
	if (err == -EPERM || err == -EACCES)
		return "needs CAP_SYS_ADMIN";
	if (err == -ENOENT && !strcmp(file, "ipc"))
		return "the container holds no IPC namespace";
	if (err == -EINVAL && !strcmp(file, "ipc"))
		return "a value is out of the kernel's range (see nsctl(8))";
	return strerror(-err);
}

int set_option(struct set_req *r, const char *key, const char *val, const char *what)
{
	char line[160];

	if (!strcmp(key, "on_empty")) {
		if (strcmp(val, "ignore") && strcmp(val, "notify") && strcmp(val, "delete"))
			return fail(what, "on_empty is ignore, notify or delete, not \"%s\"", val);
		r->on_empty = val;
	} else if (!strcmp(key, "enter")) {
		if (strcmp(val, "allow") && strcmp(val, "deny"))
			return fail(what, "enter is allow or deny, not \"%s\"", val);
		r->enter = val;
	} else if (!strcmp(key, "hostname") || !strcmp(key, "domainname")) {
		if (strlen(val) > 64)
			return fail(what, "%s longer than 64 characters", key);
		if (key[0] == 'h')
			r->hostname = val;
		else
			r->domainname = val;
	} else if (!strcmp(key, "label")) {
		const char *bad = label_check(val + (val[0] == '-'), val[0] == '-');

		if (bad)
			return fail(what, "label \"%s\": %s", val, bad);
		if (val[0] == '-' && strchr(val, '='))
			return fail(what, "label=-KEY removes a label: no value");
		if (strlen(r->labels) + strlen(val) + 2 > sizeof(r->labels))
			return fail(what, "too many labels at once");
		strcat(r->labels, val);
		strcat(r->labels, "\n");
	} else if (is_ipc_key(key)) {
		if (!strcmp(key, "sem")) {
			if (!sem_value(val, r->sem, sizeof(r->sem)))
				return fail(what, "sem takes four numbers: SEMMSL,SEMMNS,SEMOPM,SEMMNI");
			val = r->sem;
		} else if (!is_number(val)) {
			return fail(what, "%s takes a number, not \"%s\"", key, val);
		}
		snprintf(line, sizeof(line), "%s %s\n", key, val);
		if (strlen(r->ipc) + strlen(line) >= sizeof(r->ipc))
			return fail(what, "too many IPC limits at once");
		strcat(r->ipc, line);
	} else if (!strcmp(key, "netns-export")) {
		if (strcmp(val, "-") && netns_name_check(val))
			return fail(what, "netns-export: \"%s\" is not a network namespace name "
				    "(no '/', not . or ..) nor -", val);
		r->netns_export = val;
	} else {
		return -ENOENT;
	}
	return 0;
}

int set_apply(const char *name, const struct set_req *r, const char *what)
{
	int i, err, dirfd;

	err = nsctl_ensure_mounted();
	if (err)
		return fail(what, "cannot mount %s: %s", NSCTL_MOUNT_POINT, strerror(-err));
	dirfd = nsctl_open(name);
	if (dirfd < 0)
		return fail(what, "%s", ct_why(dirfd));

	if (r->ipc[0]) {
		err = nsctl_write_file(name, "ipc", r->ipc);
		if (err)
			goto fail_file_ipc;
	}
	if (r->hostname || r->domainname) {
		const char *v[2] = { r->hostname, r->domainname };

		for (i = 0; i < 2; i++) {
			if (!v[i])
				continue;
			err = nsctl_set_utsname(dirfd, i == 1, v[i]);
			if (err == -ENOENT) {
				close(dirfd);
				return fail(what, "the container holds no UTS namespace");
			}
			if (err == -EPERM) {
				char pol[16] = "";

				close(dirfd);
				nsctl_read_file(name, "enter", pol, sizeof(pol));
				if (!strncmp(pol, "deny", 4))
					return fail(what, "the container is sealed (enter=deny); allow enter to set its %s",
						    i ? "domain name" : "host name");
				return fail(what, "needs CAP_SYS_ADMIN over the UTS namespace");
			}
			if (err) {
				close(dirfd);
				return fail(what, "%s: %s", i ? "domainname" : "hostname",
					    strerror(-err));
			}
		}
	}
	close(dirfd);
	if (r->labels[0]) {
		err = nsctl_write_file(name, "labels", r->labels);
		if (err == -E2BIG)
			return fail(what, "labels: more than %d labels or %d bytes of them",
				    NSCTL_LABELS_MAX, NSCTL_LABELS_SIZE);
		if (err)
			return fail(what, "labels: %s", errno_why(err, "labels"));
	}
	/* Before the policies: enter=deny would refuse the namespace. */
	if (r->netns_export && (strcmp(r->netns_export, "-") ?
				netns_export(name, r->netns_export, what) :
				netns_unexport(name, what)))
		return 1;
	if (r->enter) {
		err = nsctl_write_file(name, "enter", r->enter);
		if (err)
			return fail(what, "enter: %s", errno_why(err, "enter"));
	}
	if (r->on_empty) {
		err = nsctl_write_file(name, "on_empty", r->on_empty);
		if (err)
			return fail(what, "on_empty: %s", errno_why(err, "on_empty"));
	}
	return 0;

fail_file_ipc:
	close(dirfd);
	return fail(what, "ipc: %s", errno_why(err, "ipc"));
}

int cmd_set(int argc, char **argv)
{
	struct set_req r = { 0 };
	const char *name;
	char what[NSCTL_NAME_MAX + 96];
	int i, err;

	if (want_help(argc, argv, set_usage))
		return 0;
	if (argc < 3) {
		fputs(set_usage, stderr);
		return 1;
	}
	name = argv[1];
	snprintf(what, sizeof(what), "set \"%s\"", name);
	if (nsctl_name_check(name))
		return fail(what, "not a valid container name");

	for (i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq)
			return fail(what, "\"%s\" is not KEY=VALUE", argv[i]);
		*eq = '\0';
		err = set_option(&r, argv[i], eq + 1, what);
		if (err == -ENOENT)
			return fail(what, "unknown key \"%s\" (see 'nsctl set --help')", argv[i]);
		if (err)
			return 1;
	}
	return set_apply(name, &r, what);
}
