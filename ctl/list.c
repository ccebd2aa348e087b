// SPDX-License-Identifier: GPL-2.0
/*
 * nsctl list / nsctl show: what containers exist and what they hold.
 *
 * list takes one dump over generic netlink (NSCTL_CMD_GET_CONTAINER): one
 * request however many containers there are, and no per-container system
 * call.  show reads the container's files, which also count the processes
 * inside and list them.
 *
 * JSON keys (stable): name, id, uuid, generation, created (seconds since
 * the epoch), cgroup (path or null), enters, pid_init (none, running,
 * dead, or null without a pid namespace), namespaces (an object with one
 * key per type: the inode number, or null for an empty slot),
 * namespace_uuids (the same keys: the namespace's UUID, or null); show adds
 * tasks (the number of processes inside) and procs (an array of PIDs as
 * the caller's PID namespace sees them).  show -j and list -j --stats add
 * stats (stats.c), show -j adds mnt_ns_id where the kernel has one.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nsctl.h"
#include "stats.h"

static const char list_usage[] =
"Usage: nsctl list [-j [--stats]] [--label KEY[=VALUE]]...\n"
"\n"
"List containers, sorted by name: name, id, generation, the state of the PID\n"
"namespace's init, the namespace types held, the cgroup, the UUID.  One\n"
"netlink dump, however many containers; 'nsctl show' counts the processes\n"
"inside one.\n"
"\n"
"  -j, --json               one JSON array of objects (keys in nsctl(8))\n"
"      --stats              with -j: add each container's \"stats\", read from\n"
"                           its cgroup (a few files per container; 'nsctl\n"
"                           show' always has them)\n"
"  -l, --label KEY=VALUE    only containers with that label (repeatable: all\n"
"                           of them); KEY alone: with any value.  The kernel\n"
"                           selects them\n"
"  -h, --help               show this help\n";

static const char show_usage[] =
"Usage: nsctl show NAME [-j]\n"
"\n"
"Show everything a container holds, how many processes are inside and\n"
"which, what its cgroup counts (memory, CPU time, PIDs, I/O) and, where\n"
"the kernel has one, its mount namespace's id.\n"
"\n"
"  -j, --json   one JSON object (keys in nsctl(8))\n"
"  -h, --help   show this help\n";

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

/* ,"netns_export": the name in /run/netns, or null. */
static void json_netns_export(FILE *f, const char *name, const char *uuid)
{
	char exp[NETNS_NAME_MAX + 1];

	fputs(",\"netns_export\":", f);
	if (netns_export_find(name, uuid, exp, sizeof(exp)))
		json_string(f, exp);
	else
		fputs("null", f);
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

static const char *pid_init_name(int pid_init)
{
	switch (pid_init) {
	case NSCTL_PID_INIT_NONE:	return "none";
	case NSCTL_PID_INIT_RUNNING:	return "running";
	case NSCTL_PID_INIT_DEAD:	return "dead";
	default:			return NULL;
	}
}

void json_ct_fields(FILE *f, const struct nsctl_ct *ct)
{
	const char *pi = pid_init_name(ct->pid_init);
	char uuid[37];
	unsigned int i;

	nsctl_uuid_format(ct->uuid, uuid);
	fputs("\"name\":", f);
	json_string(f, ct->name);
	fprintf(f, ",\"id\":%llu,\"uuid\":\"%s\",\"generation\":%llu,\"created\":%lld,\"cgroup\":",
		(unsigned long long)ct->id, uuid, (unsigned long long)ct->generation,
		(long long)ct->created);
	if (ct->cgroup)
		json_string(f, ct->cgroup);
	else
		fputs("null", f);
	fprintf(f, ",\"enters\":%llu,\"pid_init\":", (unsigned long long)ct->enters);
	if (pi)
		fprintf(f, "\"%s\"", pi);
	else
		fputs("null", f);
	if (ct->on_empty >= 0)
		fprintf(f, ",\"on_empty\":\"%s\"", nsctl_on_empty_name(ct->on_empty));
	if (ct->enter_policy >= 0)
		fprintf(f, ",\"enter\":\"%s\"", nsctl_enter_policy_name(ct->enter_policy));
	fputs(",\"namespaces\":{", f);
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		fprintf(f, "%s\"%s\":", i ? "," : "", nsctl_type_name(i));
		if (ct->ns_held & NSCTL_NS_BIT(i))
			fprintf(f, "%u", ct->ns_inum[i]);
		else
			fputs("null", f);
	}
	fputs("},\"namespace_uuids\":{", f);
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		fprintf(f, "%s\"%s\":", i ? "," : "", nsctl_type_name(i));
		if (ct->ns_held & NSCTL_NS_BIT(i)) {
			nsctl_uuid_format(ct->ns_uuid[i], uuid);
			fprintf(f, "\"%s\"", uuid);
		} else {
			fputs("null", f);
		}
	}
	fputc('}', f);
	if (ct->net_cookie)
		fprintf(f, ",\"net_cookie\":%llu", (unsigned long long)ct->net_cookie);
	fputc(',', f);
	json_labels(f, ct->labels);
}

static int cmp_ct_names(const void *a, const void *b)
{
	return strcmp(((const struct nsctl_ct *)a)->name,
		      ((const struct nsctl_ct *)b)->name);
}

/* The widest of @n strings, at least @min. */
static int width(const struct nsctl_ct *cts, size_t n, bool cgroup, int min)
{
	size_t i, w = min, l;

	for (i = 0; i < n; i++) {
		l = strlen(cgroup ? (cts[i].cgroup ? cts[i].cgroup : "-") : cts[i].name);
		if (l > w)
			w = l;
	}
	return (int)w;
}

int cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "label", required_argument, NULL, 'l' },
		{ "stats", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static char obuf[1 << 16];
	const char *sel[NSCTL_LABELS_MAX], *bad;
	struct nsctl_genl *g;
	struct nsctl_ct *cts;
	char types[64], uuid[37];
	size_t n, i, nsel = 0;
	bool json = false, stats = false;
	int opt, err, wn, wc, cgroot = -1;
	const char *pi;

	if (want_help(argc, argv, list_usage))
		return 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "jl:h", longopts, NULL)) != -1) {
		if (opt == 'j') {
			json = true;
		} else if (opt == 'S') {
			stats = true;
		} else if (opt == 'l') {
			bad = label_check(optarg, true);
			if (bad)
				return fail("list", "--label \"%s\": %s", optarg, bad);
			if (nsel == NSCTL_LABELS_MAX)
				return fail("list", "more than %d --label", NSCTL_LABELS_MAX);
			sel[nsel++] = optarg;
		} else {
			fputs(list_usage, stderr);
			return 1;
		}
	}
	if (optind != argc) {
		fputs(list_usage, stderr);
		return 1;
	}
	if (stats && !json)
		return fail("list", "--stats goes with -j");
	if (nsctl_connect("list", &g))
		return 1;
	err = nsctl_genl_list_selected(g, sel, nsel, &cts, &n);
	if (err == -EAGAIN)
		err = fail("list", "containers kept changing during the listing; try again");
	else if (err)
		err = fail("list", "cannot list the containers: %s", genl_why(g, err));
	nsctl_genl_close(g);
	if (err)
		return err;

	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	qsort(cts, n, sizeof(*cts), cmp_ct_names);
	if (stats)
		cgroot = ct_stats_root();
	if (json)
		fputc('[', stdout);
	wn = width(cts, n, false, 20);
	wc = width(cts, n, true, 24);
	if (!json)
		printf("%-*s %6s %5s %-8s %-32s %-*s %s\n", wn, "NAME", "ID", "GEN",
		       "PID-INIT", "NAMESPACES", wc, "CGROUP", "UUID");
	for (i = 0; i < n; i++) {
		const struct nsctl_ct *ct = &cts[i];

		if (json) {
			fputs(i ? ",{" : "{", stdout);
			json_ct_fields(stdout, ct);
			nsctl_uuid_format(ct->uuid, uuid);
			json_netns_export(stdout, ct->name, uuid);
			if (stats)
				json_list_stats(stdout, cgroot, ct);
			fputc('}', stdout);
			continue;
		}
		pi = pid_init_name(ct->pid_init);
		nsctl_format_types(ct->ns_held, types, sizeof(types));
		nsctl_uuid_format(ct->uuid, uuid);
		printf("%-*s %6llu %5llu %-8s %-32s %-*s %s\n", wn, ct->name,
		       (unsigned long long)ct->id, (unsigned long long)ct->generation,
		       pi ? pi : "-", types, wc, ct->cgroup ? ct->cgroup : "-", uuid);
	}
	if (json)
		fputs("]\n", stdout);
	if (cgroot >= 0)
		close(cgroot);
	nsctl_ct_free_array(cts, n);
	if (fflush(stdout))
		return fail("list", "cannot write the listing: %s", strerror(errno));
	return 0;
}

/* What show adds from the policy and external-view files. */
#define VIEW_IPC_COUNT 7
static const char * const view_ipc_keys[VIEW_IPC_COUNT] = {
	"shmmax", "shmall", "shmmni", "msgmax", "msgmnb", "msgmni", "sem",
};

struct view {
	char on_empty[16], enter[16];
	bool has_uts, has_ipc;
	char hostname[80], domainname[80];
	char ipc[VIEW_IPC_COUNT][64];	/* sem: "a,b,c,d" */
};

static void chomp(char *s)
{
	size_t n = strlen(s);

	if (n && s[n - 1] == '\n')
		s[n - 1] = '\0';
}

static void read_view(const char *name, struct view *v)
{
	char buf[1024], *line, *save = NULL, *val, *p;
	unsigned int i;

	memset(v, 0, sizeof(*v));
	if (nsctl_read_file(name, "on_empty", v->on_empty, sizeof(v->on_empty)) >= 0)
		chomp(v->on_empty);
	if (nsctl_read_file(name, "enter", v->enter, sizeof(v->enter)) >= 0)
		chomp(v->enter);
	/* ENOENT: no uts or ipc slot. */
	if (nsctl_read_file(name, "hostname", v->hostname, sizeof(v->hostname)) >= 0 &&
	    nsctl_read_file(name, "domainname", v->domainname, sizeof(v->domainname)) >= 0) {
		chomp(v->hostname);
		chomp(v->domainname);
		v->has_uts = true;
	}
	if (nsctl_read_file(name, "ipc", buf, sizeof(buf)) < 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		val = strchr(line, ' ');
		if (!val)
			continue;
		*val++ = '\0';
		for (i = 0; i < VIEW_IPC_COUNT; i++) {
			if (strcmp(line, view_ipc_keys[i]))
				continue;
			snprintf(v->ipc[i], sizeof(v->ipc[i]), "%s", val);
			for (p = v->ipc[i]; *p; p++)
				if (*p == ' ')
					*p = ',';
			v->has_ipc = true;
		}
	}
}

static void json_view(FILE *f, const struct view *v)
{
	unsigned int i;

	fprintf(f, ",\"on_empty\":\"%s\",\"enter\":\"%s\",\"hostname\":",
		v->on_empty, v->enter);
	if (v->has_uts) {
		json_string(f, v->hostname);
		fputs(",\"domainname\":", f);
		json_string(f, v->domainname);
	} else {
		fputs("null,\"domainname\":null", f);
	}
	fputs(",\"ipc\":", f);
	if (!v->has_ipc) {
		fputs("null", f);
		return;
	}
	fputc('{', f);
	for (i = 0; i < VIEW_IPC_COUNT; i++) {
		/* sem is four numbers: an array. */
		if (i == VIEW_IPC_COUNT - 1)
			fprintf(f, ",\"sem\":[%s]", v->ipc[i]);
		else
			fprintf(f, "%s\"%s\":%s", i ? "," : "", view_ipc_keys[i],
				v->ipc[i][0] ? v->ipc[i] : "null");
	}
	fputc('}', f);
}

/* The cookie of the container's network namespace, from the kernel; 0: none. */
static uint64_t net_cookie_of(const char *name)
{
	struct nsctl_ct_ref ref = { .name = name };
	struct nsctl_genl *g;
	struct nsctl_ct ct;
	uint64_t cookie = 0;

	if (nsctl_genl_open(&g))
		return 0;
	if (!nsctl_genl_get_container(g, &ref, &ct)) {
		cookie = ct.net_cookie;
		nsctl_ct_clear(&ct);
	}
	nsctl_genl_close(g);
	return cookie;
}

int cmd_show(int argc, char **argv)
{
	static char labels[NSCTL_LABELS_SIZE + 1];
	static char procs[1 << 20];
	struct nsctl_info in;
	struct view view;
	bool json = false, first = true;
	char what[NSCTL_NAME_MAX + 64], when[64], *line, *save = NULL;
	char exp[NETNS_NAME_MAX + 1];
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
	if (err)
		return fail(what, "%s", ct_why(err));

	read_view(name, &view);
	if (labels_read(name, labels, sizeof(labels)))
		labels[0] = '\0';
	if (json) {
		uint64_t cookie = in.ns_inum[NSCTL_NS_NET] ? net_cookie_of(name) : 0;

		json_info(stdout, &in);
		json_view(stdout, &view);
		json_show_stats(stdout, &in);
		if (cookie)
			printf(",\"net_cookie\":%llu", (unsigned long long)cookie);
		fputc(',', stdout);
		json_labels(stdout, labels);
		json_netns_export(stdout, in.name, in.uuid);
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
	printf("on_empty:    %s\n", view.on_empty[0] ? view.on_empty : "-");
	printf("enter:       %s\n", view.enter[0] ? view.enter : "-");
	if (view.has_uts) {
		printf("hostname:    %s\n", view.hostname);
		printf("domainname:  %s\n", view.domainname);
	}
	if (view.has_ipc) {
		printf("ipc:        ");
		for (i = 0; i < VIEW_IPC_COUNT; i++)
			printf(" %s=%s", view_ipc_keys[i], view.ipc[i]);
		printf("\n");
	}
	printf("labels:     ");
	for (line = strtok_r(labels, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		printf(" %s", line);
		first = false;
	}
	printf("%s\n", first ? " -" : "");
	first = true;
	save = NULL;
	if (netns_export_find(in.name, in.uuid, exp, sizeof(exp)))
		printf("netns export: " NSCTL_NETNS_DIR "/%s\n", exp);
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
	print_show_stats(stdout, &in);
	return 0;
}
