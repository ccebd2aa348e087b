// SPDX-License-Identifier: GPL-2.0
/*
 * nsctl list / nsctl show: what containers exist and what they hold.
 *
 * JSON keys (stable): name, id, uuid, generation, created (seconds since
 * the epoch), cgroup (path or null), tasks, enters, pid_init (none,
 * running, dead, or null without a pid namespace), namespaces (an object
 * with one key per type: the inode number, or null for an empty slot),
 * namespace_uuids (the same keys: the namespace's UUID, or null); show adds
 * procs (an array of PIDs as the caller's PID namespace sees
 * them).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nsctl.h"

static const char list_usage[] =
"Usage: nsctl list [-j]\n"
"\n"
"List containers: name, id, generation, processes inside, the state of the\n"
"PID namespace's init, the namespace types held, the cgroup, the UUID.\n"
"\n"
"  -j, --json   one JSON array of objects (keys in nsctl(8))\n"
"  -h, --help   show this help\n";

static const char show_usage[] =
"Usage: nsctl show NAME [-j]\n"
"\n"
"Show everything a container holds and its processes.\n"
"\n"
"  -j, --json   one JSON object (keys in nsctl(8))\n"
"  -h, --help   show this help\n";

static uint64_t held_mask(const struct nsctl_info *in)
{
	uint64_t m = 0;
	unsigned int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (in->ns_inum[i])
			m |= NSCTL_NS_BIT(i);
	return m;
}

static void json_info(FILE *f, const struct nsctl_info *in)
{
	unsigned int i;

	fprintf(f, "{\"name\":");
	json_string(f, in->name);
	fprintf(f, ",\"id\":%llu,\"uuid\":\"%s\",\"generation\":%llu,\"created\":%lld,\"cgroup\":",
		(unsigned long long)in->id, in->uuid, (unsigned long long)in->generation,
		(long long)in->created);
	if (in->cgroup[0])
		json_string(f, in->cgroup);
	else
		fputs("null", f);
	fprintf(f, ",\"tasks\":%llu,\"enters\":%llu,\"pid_init\":",
		(unsigned long long)in->tasks, (unsigned long long)in->enters);
	if (strcmp(in->pid_init, "-"))
		fprintf(f, "\"%s\"", in->pid_init);
	else
		fputs("null", f);
	fputs(",\"namespaces\":{", f);
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		fprintf(f, "%s\"%s\":", i ? "," : "", nsctl_type_name(i));
		if (in->ns_inum[i])
			fprintf(f, "%llu", (unsigned long long)in->ns_inum[i]);
		else
			fputs("null", f);
	}
	fputs("},\"namespace_uuids\":{", f);
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		fprintf(f, "%s\"%s\":", i ? "," : "", nsctl_type_name(i));
		if (in->ns_inum[i])
			fprintf(f, "\"%s\"", in->ns_uuid[i]);
		else
			fputs("null", f);
	}
	fputc('}', f);
}

static int parse_json_flag(int argc, char **argv, const char *usage, bool *json)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "jh", longopts, NULL)) != -1) {
		if (opt != 'j') {
			fputs(usage, stderr);
			return -1;
		}
		*json = true;
	}
	return optind;
}

int cmd_list(int argc, char **argv)
{
	struct nsctl_info in;
	bool json = false;
	size_t n, i, shown = 0;
	char **names, types[64];
	int idx, err;

	if (want_help(argc, argv, list_usage))
		return 0;
	idx = parse_json_flag(argc, argv, list_usage, &json);
	if (idx < 0)
		return 1;
	if (idx != argc) {
		fputs(list_usage, stderr);
		return 1;
	}
	err = nsctl_ensure_mounted();
	if (err)
		return fail("list", "cannot mount %s: %s", NSCTL_MOUNT_POINT, strerror(-err));
	err = nsctl_list_names(&names, &n);
	if (err)
		return fail("list", "cannot read %s: %s", NSCTL_MOUNT_POINT, strerror(-err));

	if (json)
		fputc('[', stdout);
	else
		printf("%-20s %6s %5s %5s %-8s %-32s %-24s %s\n", "NAME", "ID", "GEN",
		       "TASKS", "PID-INIT", "NAMESPACES", "CGROUP", "UUID");
	for (i = 0; i < n; i++) {
		/* A container deleted since the directory was read is skipped. */
		if (nsctl_read_info(names[i], &in))
			continue;
		if (json) {
			if (shown)
				fputc(',', stdout);
			json_info(stdout, &in);
			fputc('}', stdout);
		} else {
			nsctl_format_types(held_mask(&in), types, sizeof(types));
			printf("%-20s %6llu %5llu %5llu %-8s %-32s %-24s %s\n", in.name,
			       (unsigned long long)in.id, (unsigned long long)in.generation,
			       (unsigned long long)in.tasks, in.pid_init, types,
			       in.cgroup[0] ? in.cgroup : "-", in.uuid);
		}
		shown++;
	}
	if (json)
		fputs("]\n", stdout);
	nsctl_free_names(names, n);
	return 0;
}

int cmd_show(int argc, char **argv)
{
	static char procs[1 << 20];
	struct nsctl_info in;
	bool json = false, first = true;
	char what[128], when[64], *line, *save = NULL;
	const char *name;
	struct tm tm;
	time_t t;
	unsigned int i;
	int idx, err;

	if (want_help(argc, argv, show_usage))
		return 0;
	idx = parse_json_flag(argc, argv, show_usage, &json);
	if (idx < 0)
		return 1;
	if (idx != argc - 1) {
		fputs(show_usage, stderr);
		return 1;
	}
	name = argv[idx];
	snprintf(what, sizeof(what), "show \"%s\"", name);
	if (nsctl_name_check(name))
		return fail(what, "invalid name");
	err = nsctl_ensure_mounted();
	if (!err)
		err = nsctl_read_info(name, &in);
	if (!err) {
		err = nsctl_read_file(name, "procs", procs, sizeof(procs));
		err = err < 0 ? err : 0;
	}
	if (err == -ENOENT)
		return fail(what, "no such container");
	if (err)
		return fail(what, "%s", strerror(-err));

	if (json) {
		json_info(stdout, &in);
		fputs(",\"procs\":[", stdout);
		for (line = strtok_r(procs, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			printf("%s%s", first ? "" : ",", line);
			first = false;
		}
		fputs("]}\n", stdout);
		return 0;
	}

	t = in.created;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	printf("name:        %s\n", in.name);
	printf("id:          %llu\n", (unsigned long long)in.id);
	printf("uuid:        %s\n", in.uuid);
	printf("generation:  %llu\n", (unsigned long long)in.generation);
	printf("created:     %s\n", when);
	printf("cgroup:      %s\n", in.cgroup[0] ? in.cgroup : "-");
	printf("tasks:       %llu\n", (unsigned long long)in.tasks);
	printf("enters:      %llu\n", (unsigned long long)in.enters);
	if (!strcmp(in.pid_init, "none"))
		printf("pid init:    none (the first process entered becomes PID 1)\n");
	else if (!strcmp(in.pid_init, "dead"))
		printf("pid init:    dead (the next enter replaces the PID namespace)\n");
	else
		printf("pid init:    %s\n", in.pid_init);
	printf("namespaces:\n");
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (in.ns_inum[i])
			printf("  %-7s %-11llu %s\n", nsctl_type_name(i),
			       (unsigned long long)in.ns_inum[i], in.ns_uuid[i]);
		else
			printf("  %-7s -\n", nsctl_type_name(i));
	}
	printf("procs:      ");
	for (line = strtok_r(procs, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		printf(" %s", line);
		first = false;
	}
	printf("%s\n", first ? " -" : "");
	return 0;
}
