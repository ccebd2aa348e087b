// SPDX-License-Identifier: GPL-2.0
/*
 * nsctl ns: namespaces by UUID.
 *
 *   ns list [-j] [--type T]      what nsctl tracks (and the caller may see)
 *   ns id PATH|PID [TYPE]        the UUID of a namespace
 *   ns open UUID [-- CMD ...]    run CMD (default: a shell) in a namespace
 *
 * ns list takes one generic netlink dump (NSCTL_CMD_GET_NS).  JSON keys of
 * ns list (stable): uuid, type, inode, owner (UUID or null), parent (UUID
 * or null), containers (array of container ids), and for a mount
 * namespace mnt_ns_id, the kernel's id of it, where the kernel has one
 * (6.12 has them, 6.1 not) and the caller may open the namespace.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "nsctl.h"
#include "stats.h"

static const char ns_usage[] =
"Usage: nsctl ns list [-j] [--type TYPE]\n"
"       nsctl ns id PATH|PID [TYPE]\n"
"       nsctl ns open UUID [-- CMD [ARGS...]]\n"
"\n"
"Namespaces by UUID.  Every namespace nsctl tracks has a UUID that no other\n"
"namespace ever gets, unlike inode numbers, which the kernel reuses.\n"
"\n"
"  list   the tracked namespaces you may see: UUID, type, inode, owning user\n"
"         namespace, parent, containers holding it\n"
"  id     the UUID of the namespace at PATH (/proc/PID/ns/X, /run/netns/NAME,\n"
"         ...), or of each of process PID's namespaces (or just TYPE)\n"
"  open   run CMD (default: $SHELL) in the namespace a UUID names\n"
"\n"
"  -j, --json         JSON output for list (keys in nsctl(8)), with the\n"
"                     kernel's id of each mount namespace (6.12 has them)\n"
"  -t, --type TYPE    list only namespaces of TYPE\n"
"  -h, --help         show this help\n";

void json_nsrec_fields(FILE *f, const struct nsctl_nsrec *ns)
{
	char uuid[37];
	size_t i;

	nsctl_uuid_format(ns->uuid, uuid);
	fprintf(f, "\"uuid\":\"%s\",\"type\":", uuid);
	if (nsctl_type_name(ns->type))
		fprintf(f, "\"%s\"", nsctl_type_name(ns->type));
	else
		fprintf(f, "\"%u\"", ns->type);
	fprintf(f, ",\"inode\":%u,\"owner\":", ns->inum);
	if (ns->has_owner) {
		nsctl_uuid_format(ns->owner, uuid);
		fprintf(f, "\"%s\"", uuid);
	} else {
		fputs("null", f);
	}
	fputs(",\"parent\":", f);
	if (ns->has_parent) {
		nsctl_uuid_format(ns->parent, uuid);
		fprintf(f, "\"%s\"", uuid);
	} else {
		fputs("null", f);
	}
	if (ns->net_cookie)
		fprintf(f, ",\"net_cookie\":%llu", (unsigned long long)ns->net_cookie);
	fputs(",\"containers\":[", f);
	for (i = 0; i < ns->ncontainers; i++)
		fprintf(f, "%s%llu", i ? "," : "", (unsigned long long)ns->containers[i]);
	fputc(']', f);
}

static void print_nsrec(const struct nsctl_nsrec *ns)
{
	char uuid[37], owner[37] = "-", parent[37] = "-", tname[16];
	size_t i;

	nsctl_uuid_format(ns->uuid, uuid);
	if (ns->has_owner)
		nsctl_uuid_format(ns->owner, owner);
	if (ns->has_parent)
		nsctl_uuid_format(ns->parent, parent);
	if (nsctl_type_name(ns->type))
		snprintf(tname, sizeof(tname), "%s", nsctl_type_name(ns->type));
	else
		snprintf(tname, sizeof(tname), "%u", ns->type);
	printf("%-36s %-6s %-11u %-36s %-36s ", uuid, tname, ns->inum, owner, parent);
	for (i = 0; i < ns->ncontainers; i++)
		printf("%s%llu", i ? "," : "", (unsigned long long)ns->containers[i]);
	puts(ns->ncontainers ? "" : "-");
}

/* ",\"mnt_ns_id\":N" for a mount namespace, when there is one. */
static void json_mnt_ns_id(FILE *f, const struct nsctl_nsrec *ns)
{
	uint64_t id;

	if (ns->type == NSCTL_NS_MNT && !mnt_ns_id_of(ns->uuid, &id))
		fprintf(f, ",\"mnt_ns_id\":%llu", (unsigned long long)id);
}

static int ns_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "type", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static char obuf[1 << 16];
	struct nsctl_nsrec *nss;
	struct nsctl_genl *g;
	bool json = false, first = true;
	int opt, err, want = -1;
	size_t n, i;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "jt:h", longopts, NULL)) != -1) {
		if (opt == 'j') {
			json = true;
		} else if (opt == 't') {
			want = nsctl_type_from_name(optarg);
			if (want < 0)
				return fail("ns list", "unknown namespace type \"%s\" "
					    "(types: mnt, uts, ipc, net, pid, user, cgroup, time)",
					    optarg);
		} else {
			fputs(ns_usage, stderr);
			return 1;
		}
	}
	if (optind != argc) {
		fputs(ns_usage, stderr);
		return 1;
	}
	if (nsctl_connect("ns list", &g))
		return 1;
	err = nsctl_genl_list_ns(g, &nss, &n);
	if (err == -EAGAIN)
		err = fail("ns list", "namespaces kept changing during the listing; try again");
	else if (err)
		err = fail("ns list", "cannot list the namespaces: %s", genl_why(g, err));
	nsctl_genl_close(g);
	if (err)
		return err;

	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	if (json)
		fputc('[', stdout);
	else
		printf("%-36s %-6s %-11s %-36s %-36s %s\n", "UUID", "TYPE", "INODE", "OWNER",
		       "PARENT", "CONTAINERS");
	for (i = 0; i < n; i++) {
		if (want >= 0 && nss[i].type != (unsigned int)want)
			continue;
		if (json) {
			fputs(first ? "{" : ",{", stdout);
			json_nsrec_fields(stdout, &nss[i]);
			json_mnt_ns_id(stdout, &nss[i]);
			fputc('}', stdout);
			first = false;
		} else {
			print_nsrec(&nss[i]);
		}
	}
	if (json)
		fputs("]\n", stdout);
	nsctl_nsrec_free_array(nss, n);
	if (fflush(stdout))
		return fail("ns list", "cannot write the listing: %s", strerror(errno));
	return 0;
}

static int print_id(const char *what, const char *path, bool with_type)
{
	struct nsctl_ns_info info;
	char uuid[37];
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(what, "cannot open %s: %s", path, strerror(errno));
	err = nsctl_ns_info(fd, &info, NULL, 0);
	close(fd);
	if (err == -EINVAL)
		return fail(what, "%s is not a namespace", path);
	if (err)
		return fail(what, "%s", strerror(-err));
	nsctl_uuid_format(info.uuid, uuid);
	if (with_type)
		printf("%-6s %s\n", nsctl_type_name(info.type), uuid);
	else
		printf("%s\n", uuid);
	return 0;
}

static int ns_id(int argc, char **argv)
{
	char what[300], path[128], *end;
	const char *target, *tname = NULL;
	unsigned int i;
	long pid;
	int type = -1, ret = 0;

	if (argc < 2 || argc > 3) {
		fputs(ns_usage, stderr);
		return 1;
	}
	target = argv[1];
	snprintf(what, sizeof(what), "ns id \"%s\"", target);
	if (argc == 3) {
		tname = argv[2];
		type = nsctl_type_from_name(tname);
		if (type < 0)
			return fail(what, "unknown namespace type \"%s\"", tname);
	}
	pid = strtol(target, &end, 10);
	if (*target && !*end) {
		if (pid <= 0)
			return fail(what, "not a process id");
		for (i = 0; i < NSCTL_NS_COUNT; i++) {
			if (type >= 0 && (int)i != type)
				continue;
			snprintf(path, sizeof(path), "/proc/%ld/ns/%s", pid, nsctl_type_name(i));
			ret |= print_id(what, path, type < 0);
		}
		return ret;
	}
	if (type >= 0)
		return fail(what, "TYPE goes with a PID, not a path");
	return print_id(what, target, false);
}

static int ns_open(int argc, char **argv)
{
	struct nsctl_ns_info info;
	char what[NSCTL_NAME_MAX + 64], *shell;
	uint8_t uuid[16];
	int fd, err, status;
	pid_t child;

	if (argc < 2 || (argc > 2 && strcmp(argv[2], "--"))) {
		fputs(ns_usage, stderr);
		return 1;
	}
	snprintf(what, sizeof(what), "ns open \"%.40s\"", argv[1]);
	if (nsctl_uuid_parse(argv[1], uuid))
		return fail(what, "not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
	fd = nsctl_ns_open(uuid);
	if (fd == -ENOENT)
		return fail(what, "no namespace you may see has that UUID");
	if (fd == -ESTALE)
		return fail(what, "that namespace no longer exists");
	if (fd == -EPERM)
		return fail(what, "permission denied (setns(2) would refuse it)");
	if (fd < 0)
		return fail(what, "%s", strerror(-fd));
	err = nsctl_ns_info(fd, &info, NULL, 0);
	if (err)
		return fail(what, "%s", strerror(-err));
	if (setns(fd, 0))
		return fail(what, "setns: %s", strerror(errno));
	close(fd);

	argv = argc > 3 ? argv + 3 : NULL;
	if (!argv) {
		static char *def[2];

		shell = getenv("SHELL");
		def[0] = shell && *shell ? shell : "/bin/sh";
		argv = def;
	}
	/* Joining a PID namespace only places the caller's children in it. */
	if (info.type == NSCTL_NS_PID) {
		child = fork();
		if (child < 0)
			return fail(what, "fork: %s", strerror(errno));
		if (child > 0) {
			while (waitpid(child, &status, 0) < 0)
				if (errno != EINTR)
					return fail(what, "waitpid: %s", strerror(errno));
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		}
	}
	execvp(argv[0], argv);
	fprintf(stderr, "%s: %s: cannot run %s: %s\n", prog, what, argv[0], strerror(errno));
	_exit(127);
}

int cmd_ns(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(ns_usage, argc < 2 ? stderr : stdout);
		return argc < 2;
	}
	if (want_help(argc - 1, argv + 1, ns_usage))
		return 0;
	if (!strcmp(argv[1], "list"))
		return ns_list(argc - 1, argv + 1);
	if (!strcmp(argv[1], "id"))
		return ns_id(argc - 1, argv + 1);
	if (!strcmp(argv[1], "open"))
		return ns_open(argc - 1, argv + 1);
	return fail("ns", "unknown subcommand \"%s\" (list, id, open)", argv[1]);
}
