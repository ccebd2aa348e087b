// SPDX-License-Identifier: GPL-2.0
/*
 * nsctl pool: pools of ready containers (uapi/linux/nsctl.h, "Pools").
 * create, list, show, set and delete speak the pool requests of the
 * generic netlink family; fill (pool_fill.c) keeps pools filled; a claim
 * is 'nsctl create NAME --from-pool POOL' (pool_claim.c).
 *
 * JSON keys of a pool (list -j, show -j, monitor -j; stable): name, types
 * (an array of type names), size, low, max_age (seconds, 0: none), cgroup
 * (whether members hold one), ready, claimed, added, expired, missed,
 * created and oldest (seconds since the epoch; oldest null without a
 * ready member), on_empty, enter, memory_max, pids_max, cpu_max (as the
 * cgroup files take them, or null), labels; show adds members: an array
 * of {"cgroup_id", "cgroup"} for the ready members' cgroups.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/capability.h>

#include "nsctl.h"

static const char pool_usage[] =
"Usage: nsctl pool COMMAND [arguments]\n"
"\n"
"Pools of containers made ahead of time (fresh namespaces and a cgroup, as\n"
"'nsctl create' makes them) and handed out in one call by\n"
"'nsctl create NAME --from-pool POOL'.\n"
"\n"
"  create NAME --size N [options]   make a pool (see 'nsctl pool create --help')\n"
"  list [-j]                        list the pools\n"
"  show NAME [-j]                   show a pool and its ready members' cgroups\n"
"  set NAME KEY=VALUE...            change size=N, low=N, max-age=SECONDS\n"
"  delete NAME                      delete a pool and release its ready members\n"
"  fill [NAME...] [--once] [--batch N]\n"
"                                   make members until each pool is full, and\n"
"                                   again whenever one runs low\n"
"\n"
"Pools are for CAP_SYS_ADMIN in the initial user and PID namespaces.\n";

static const char create_usage[] =
"Usage: nsctl pool create NAME --size N [options]\n"
"\n"
"Make a pool that keeps N containers ready.  A filler ('nsctl pool fill',\n"
"nsctl-pool-fill.service) makes the members: fresh namespaces (host name: the\n"
"pool's name) and a cgroup PARENT/NAME~RANDOM, as 'nsctl create' makes them.\n"
"Pool names: 1 to 63 characters, a letter or digit, then letters, digits and\n"
"_ . - : @ +.\n"
"\n"
"  --size N            members to keep ready (0 to 4096)\n"
"  --low N             low-water mark: below it fillers are told to refill\n"
"                      (default: half the size, rounded up)\n"
"  --max-age SECONDS   release members older than this (default 0: never); a\n"
"                      member's mount namespace copies the host's mounts\n"
"  --ns TYPES          types each member holds (as for create; default mnt,uts,\n"
"                      ipc,net,pid,cgroup)\n"
"  --no-cgroup         members hold no cgroup\n"
"  --memory-max N      memory.max of each member's cgroup (bytes, K, M, G, max)\n"
"  --pids-max N        pids.max of each member's cgroup\n"
"  --cpu-max Q/P       cpu.max of each member's cgroup\n"
"  --label KEY=VALUE   a label every claimed container gets (repeatable)\n"
"  --on-empty POLICY   claimed containers' on_empty: ignore, notify or delete\n"
"  --enter POLICY      claimed containers' enter policy: allow or deny\n"
"  -h, --help          show this help\n";

static const char list_usage[] =
"Usage: nsctl pool list [-j]\n"
"\n"
"List the pools: name, namespace types, size, low-water mark, maximum age\n"
"(- for none), ready members, and how many were claimed, added, expired\n"
"(released for their age or a smaller size) and missed (claims of an empty\n"
"pool).\n"
"\n"
"  -j, --json   one JSON array of objects (keys in nsctl(8))\n"
"  -h, --help   show this help\n";

static const char show_usage[] =
"Usage: nsctl pool show NAME [-j]\n"
"\n"
"Show a pool: its settings, template, counters and its ready members' cgroups.\n"
"\n"
"  -j, --json   one JSON object (keys in nsctl(8))\n"
"  -h, --help   show this help\n";

static const char set_usage[] =
"Usage: nsctl pool set NAME KEY=VALUE...\n"
"\n"
"Change a pool.  A smaller size releases the newest ready members beyond it,\n"
"a shorter maximum age expires members at once; a larger size tells the\n"
"fillers.\n"
"\n"
"  size=N              members to keep ready (0 to 4096)\n"
"  low=N               the low-water mark (at most the size)\n"
"  max-age=SECONDS     release members older than this (0: never)\n"
"\n"
"  -h, --help   show this help\n";

static const char delete_usage[] =
"Usage: nsctl pool delete NAME\n"
"\n"
"Delete a pool and release its ready members; containers claimed from it\n"
"stay.  Then remove the cgroups of released members.\n"
"\n"
"  -h, --help   show this help\n";

int pool_name_check(const char *name, const char *what)
{
	if (nsctl_name_check(name) || strlen(name) > NSCTL_POOL_NAME_MAX)
		return fail(what, "invalid pool name (allowed: 1 to %d characters, a letter or "
			    "digit first, then letters, digits and _ . - : @ +)",
			    NSCTL_POOL_NAME_MAX);
	return 0;
}

int pool_failed(struct nsctl_genl *g, int err, const char *pool, const char *doing,
		const char *what)
{
	switch (err) {
	case -ENOENT:
		return fail(what, "no such pool \"%s\"", pool);
	case -EPERM:
		return fail(what, "needs CAP_SYS_ADMIN in the initial user namespace");
	}
	return fail(what, "cannot %s: %s", doing, genl_why(g, err));
}

/* A decimal number from 0 to @max: 0, or -EINVAL. */
static int parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

void json_pool_fields(FILE *f, const struct nsctl_pool *p)
{
	const char *lim[3] = { p->memory_max, p->pids_max, p->cpu_max };
	static const char * const keys[3] = { "memory_max", "pids_max", "cpu_max" };
	unsigned int i;
	bool first = true;

	fputs("\"name\":", f);
	json_string(f, p->name);
	fputs(",\"types\":[", f);
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (!(p->types & NSCTL_NS_BIT(i)))
			continue;
		fprintf(f, "%s\"%s\"", first ? "" : ",", nsctl_type_name(i));
		first = false;
	}
	fprintf(f, "],\"size\":%u,\"low\":%u,\"max_age\":%u,\"cgroup\":%s,\"ready\":%u,"
		"\"claimed\":%llu,\"added\":%llu,\"expired\":%llu,\"missed\":%llu,"
		"\"created\":%lld,\"oldest\":", p->size, p->low, p->max_age,
		p->flags & NSCTL_POOL_NO_CGROUP ? "false" : "true", p->ready,
		(unsigned long long)p->claimed, (unsigned long long)p->added,
		(unsigned long long)p->expired, (unsigned long long)p->missed,
		(long long)p->created);
	if (p->has_oldest)
		fprintf(f, "%lld", (long long)p->oldest);
	else
		fputs("null", f);
	fprintf(f, ",\"on_empty\":\"%s\",\"enter\":\"%s\"",
		nsctl_on_empty_name(p->on_empty < 0 ? NSCTL_ON_EMPTY_IGNORE : p->on_empty),
		nsctl_enter_policy_name(p->enter_policy < 0 ? NSCTL_ENTER_POLICY_ALLOW :
					p->enter_policy));
	for (i = 0; i < 3; i++) {
		fprintf(f, ",\"%s\":", keys[i]);
		if (lim[i][0])
			json_string(f, lim[i]);
		else
			fputs("null", f);
	}
	fputc(',', f);
	json_labels(f, p->labels);
}

/* 'nsctl create''s options that mean the same for a pool's members. */
static const char * const member_opts[] = {
	"ns", "no-cgroup", "memory-max", "pids-max", "cpu-max", "label",
};

static bool is_member_opt(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(member_opts) / sizeof(member_opts[0]); i++)
		if (!strcmp(key, member_opts[i]))
			return true;
	return false;
}

static int pool_create(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 0 },
		{ "low", required_argument, NULL, 0 },
		{ "max-age", required_argument, NULL, 0 },
		{ "ns", required_argument, NULL, 0 },
		{ "no-cgroup", no_argument, NULL, 0 },
		{ "memory-max", required_argument, NULL, 0 },
		{ "pids-max", required_argument, NULL, 0 },
		{ "cpu-max", required_argument, NULL, 0 },
		{ "label", required_argument, NULL, 0 },
		{ "on-empty", required_argument, NULL, 0 },
		{ "enter", required_argument, NULL, 0 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nsctl_genl_pool_req req = { .on_empty = -1, .enter_policy = -1 };
	char what[NSCTL_POOL_NAME_MAX + 64];
	const char *key, *arg;
	struct create_opts o;
	struct cg_limits lim;
	struct nsctl_genl *g;
	int opt, idx, err;

	if (want_help(argc, argv, create_usage))
		return 0;
	create_opts_init(&o);	/* create's default types */
	if (argc > 1 && argv[1][0] != '-') {
		req.name = argv[1];
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	snprintf(what, sizeof(what), "pool create \"%s\"", req.name ? req.name : "");
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, &idx)) != -1) {
		if (opt != 0) {
			fputs(create_usage, stderr);
			return 1;
		}
		key = longopts[idx].name;
		arg = optarg ? optarg : "";
		if (is_member_opt(key)) {
			if (create_option(&o, key, arg, what))
				return 1;
		} else if (!strcmp(key, "size")) {
			if (parse_u32(arg, NSCTL_POOL_SIZE_MAX, &req.size))
				return fail(what, "--size: \"%s\" is not a number from 0 to %d",
					    arg, NSCTL_POOL_SIZE_MAX);
			req.has_size = true;
		} else if (!strcmp(key, "low")) {
			if (parse_u32(arg, NSCTL_POOL_SIZE_MAX, &req.low))
				return fail(what, "--low: \"%s\" is not a number from 0 to %d",
					    arg, NSCTL_POOL_SIZE_MAX);
			req.has_low = true;
		} else if (!strcmp(key, "max-age")) {
			if (parse_u32(arg, UINT32_MAX, &req.max_age))
				return fail(what, "--max-age: \"%s\" is not a number of seconds",
					    arg);
			req.has_max_age = true;
		} else if (!strcmp(key, "on-empty")) {
			for (req.on_empty = NSCTL_ON_EMPTY_DELETE; req.on_empty >= 0; req.on_empty--)
				if (!strcmp(arg, nsctl_on_empty_name(req.on_empty)))
					break;
			if (req.on_empty < 0)
				return fail(what, "--on-empty is ignore, notify or delete, not \"%s\"",
					    arg);
		} else if (!strcmp(key, "enter")) {
			for (req.enter_policy = NSCTL_ENTER_POLICY_DENY; req.enter_policy >= 0;
			     req.enter_policy--)
				if (!strcmp(arg, nsctl_enter_policy_name(req.enter_policy)))
					break;
			if (req.enter_policy < 0)
				return fail(what, "--enter is allow or deny, not \"%s\"", arg);
		}
	}
	if (!req.name && optind < argc)
		req.name = argv[optind++];
	if (!req.name || optind != argc) {
		fputs(create_usage, stderr);
		return 1;
	}
	snprintf(what, sizeof(what), "pool create \"%s\"", req.name);
	if (pool_name_check(req.name, what))
		return 1;
	if (!req.has_size)
		return fail(what, "--size is required");
	if (req.has_low && req.low > req.size)
		return fail(what, "--low %u is above --size %u", req.low, req.size);
	if (o.no_cgroup && (o.memory_max || o.pids_max || o.cpu_max))
		return fail(what, "limits need a cgroup (drop --no-cgroup)");
	cg_limits_from_opts(&o, &lim);
	if (strlen(lim.pids) > NSCTL_POOL_LIMIT_MAX || strlen(lim.cpu) > NSCTL_POOL_LIMIT_MAX)
		return fail(what, "a limit longer than %d characters", NSCTL_POOL_LIMIT_MAX);
	req.types = o.types;
	req.flags = o.no_cgroup ? NSCTL_POOL_NO_CGROUP : 0;
	req.labels = o.labels;
	req.nlabels = o.nlabels;
	req.memory_max = lim.memory[0] ? lim.memory : NULL;
	req.pids_max = lim.pids[0] ? lim.pids : NULL;
	req.cpu_max = lim.cpu[0] ? lim.cpu : NULL;
	if (!have_cap(CAP_SYS_ADMIN))
		return fail(what, "needs CAP_SYS_ADMIN in the initial user namespace");

	if (nsctl_connect(what, &g))
		return 1;
	err = nsctl_genl_new_pool(g, &req, NULL);
	if (err == -EEXIST)
		err = fail(what, "a pool of that name exists");
	else if (err == -ENOSPC)
		err = fail(what, "there are %d pools already, the most there can be",
			   NSCTL_POOLS_MAX);
	else if (err)
		err = pool_failed(g, err, req.name, "create the pool", what);
	nsctl_genl_close(g);
	return err;
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

static int cmp_pool_names(const void *a, const void *b)
{
	return strcmp(((const struct nsctl_pool *)a)->name,
		      ((const struct nsctl_pool *)b)->name);
}

static int pool_list(int argc, char **argv)
{
	struct nsctl_pool *pools;
	struct nsctl_genl *g;
	char types[64], age[16];
	bool json = false;
	size_t n, i;
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
	if (nsctl_connect("pool list", &g))
		return 1;
	err = nsctl_genl_list_pools(g, &pools, &n);
	if (err)
		err = fail("pool list", "cannot list the pools: %s", genl_why(g, err));
	nsctl_genl_close(g);
	if (err)
		return err;
	qsort(pools, n, sizeof(*pools), cmp_pool_names);
	if (json)
		fputc('[', stdout);
	else
		printf("%-20s %-32s %5s %5s %8s %5s %8s %8s %8s %8s\n", "NAME", "TYPES",
		       "SIZE", "LOW", "MAX_AGE", "READY", "CLAIMED", "ADDED", "EXPIRED",
		       "MISSED");
	for (i = 0; i < n; i++) {
		const struct nsctl_pool *p = &pools[i];

		if (json) {
			fputs(i ? ",{" : "{", stdout);
			json_pool_fields(stdout, p);
			fputc('}', stdout);
			continue;
		}
		nsctl_format_types(p->types, types, sizeof(types));
		if (p->max_age)
			snprintf(age, sizeof(age), "%u", p->max_age);
		else
			snprintf(age, sizeof(age), "-");
		printf("%-20s %-32s %5u %5u %8s %5u %8llu %8llu %8llu %8llu\n", p->name, types,
		       p->size, p->low, age, p->ready, (unsigned long long)p->claimed,
		       (unsigned long long)p->added, (unsigned long long)p->expired,
		       (unsigned long long)p->missed);
	}
	if (json)
		fputs("]\n", stdout);
	nsctl_pool_free_array(pools, n);
	if (fflush(stdout))
		return fail("pool list", "cannot write the listing: %s", strerror(errno));
	return 0;
}

static void print_time(const char *key, bool has, int64_t t)
{
	char when[64];
	struct tm tm;
	time_t tt = t;

	if (!has) {
		printf("%-13s-\n", key);
		return;
	}
	gmtime_r(&tt, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	printf("%-13s%s\n", key, when);
}

static int pool_show(int argc, char **argv)
{
	char what[NSCTL_POOL_NAME_MAX + 64], types[64], **paths = NULL, *line;
	struct nsctl_pool p;
	struct nsctl_genl *g;
	bool json = false;
	const char *name;
	int idx, err;
	size_t i;

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
	snprintf(what, sizeof(what), "pool show \"%s\"", name);
	if (pool_name_check(name, what) || nsctl_connect(what, &g))
		return 1;
	err = nsctl_genl_get_pool(g, name, &p);
	if (err)
		err = pool_failed(g, err, name, "read the pool", what);
	nsctl_genl_close(g);
	if (err)
		return err;

	if (json) {
		fputc('{', stdout);
		json_pool_fields(stdout, &p);
		fputs(",\"members\":[", stdout);
	} else {
		nsctl_format_types(p.types, types, sizeof(types));
		printf("name:        %s\n", p.name);
		printf("types:       %s\n", types);
		printf("size:        %u\n", p.size);
		printf("low:         %u\n", p.low);
		if (p.max_age)
			printf("max age:     %u s\n", p.max_age);
		else
			printf("max age:     - (members never expire)\n");
		printf("ready:       %u\n", p.ready);
		print_time("oldest:", p.has_oldest, p.oldest);
		printf("claimed:     %llu\n", (unsigned long long)p.claimed);
		printf("added:       %llu\n", (unsigned long long)p.added);
		printf("expired:     %llu\n", (unsigned long long)p.expired);
		printf("missed:      %llu\n", (unsigned long long)p.missed);
		print_time("created:", true, p.created);
		printf("cgroup:      %s\n", p.flags & NSCTL_POOL_NO_CGROUP ? "none" : "one each");
		printf("limits:     ");
		if (p.memory_max[0])
			printf(" memory.max=%s", p.memory_max);
		if (p.pids_max[0])
			printf(" pids.max=%s", p.pids_max);
		if (p.cpu_max[0])
			printf(" cpu.max=%s", p.cpu_max);
		printf("%s\n", p.memory_max[0] || p.pids_max[0] || p.cpu_max[0] ? "" : " -");
		printf("on_empty:    %s\n", nsctl_on_empty_name(p.on_empty < 0 ? 0 : p.on_empty));
		printf("enter:       %s\n",
		       nsctl_enter_policy_name(p.enter_policy < 0 ? 0 : p.enter_policy));
		printf("labels:     ");
		for (line = p.labels; line && *line; line += strcspn(line, "\n") + 1)
			printf(" %.*s", (int)strcspn(line, "\n"), line);
		printf("%s\n", p.labels && *p.labels ? "" : " -");
		printf("members:%s\n", p.nmembers ? "" : "     -");
	}
	if (p.nmembers) {
		paths = calloc(p.nmembers, sizeof(*paths));
		if (paths)
			pool_cg_paths(p.member_cgroups, p.nmembers, paths);
	}
	for (i = 0; i < p.nmembers; i++) {
		const char *path = paths ? paths[i] : NULL;

		if (json) {
			printf("%s{\"cgroup_id\":%llu,\"cgroup\":", i ? "," : "",
			       (unsigned long long)p.member_cgroups[i]);
			if (path)
				json_string(stdout, path);
			else
				fputs("null", stdout);
			fputc('}', stdout);
		} else {
			printf("  %-12llu %s\n", (unsigned long long)p.member_cgroups[i],
			       path ? path : "?");
		}
		if (path)
			free(paths[i]);
	}
	if (json)
		fputs("]}\n", stdout);
	free(paths);
	nsctl_pool_clear(&p);
	return 0;
}

static int pool_set(int argc, char **argv)
{
	struct nsctl_genl_pool_req req = { .on_empty = -1, .enter_policy = -1 };
	char what[NSCTL_POOL_NAME_MAX + 64];
	struct nsctl_genl *g;
	int i, err;

	if (want_help(argc, argv, set_usage))
		return 0;
	if (argc < 3) {
		fputs(set_usage, stderr);
		return 1;
	}
	req.name = argv[1];
	snprintf(what, sizeof(what), "pool set \"%s\"", req.name);
	if (pool_name_check(req.name, what))
		return 1;
	for (i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '='), *val;

		if (!eq)
			return fail(what, "\"%s\" is not KEY=VALUE", argv[i]);
		*eq = '\0';
		val = eq + 1;
		if (!strcmp(argv[i], "size")) {
			if (parse_u32(val, NSCTL_POOL_SIZE_MAX, &req.size))
				return fail(what, "size: \"%s\" is not a number from 0 to %d", val,
					    NSCTL_POOL_SIZE_MAX);
			req.has_size = true;
		} else if (!strcmp(argv[i], "low")) {
			if (parse_u32(val, NSCTL_POOL_SIZE_MAX, &req.low))
				return fail(what, "low: \"%s\" is not a number from 0 to %d", val,
					    NSCTL_POOL_SIZE_MAX);
			req.has_low = true;
		} else if (!strcmp(argv[i], "max-age") || !strcmp(argv[i], "max_age")) {
			if (parse_u32(val, UINT32_MAX, &req.max_age))
				return fail(what, "max-age: \"%s\" is not a number of seconds", val);
			req.has_max_age = true;
		} else {
			return fail(what, "unknown key \"%s\" (see 'nsctl pool set --help')",
				    argv[i]);
		}
	}
	if (req.has_size && req.has_low && req.low > req.size)
		return fail(what, "low=%u is above size=%u", req.low, req.size);
	if (nsctl_connect(what, &g))
		return 1;
	err = nsctl_genl_set_pool(g, &req, NULL);
	if (err)
		err = pool_failed(g, err, req.name, "change the pool", what);
	nsctl_genl_close(g);
	return err;
}

static int pool_delete(int argc, char **argv)
{
	char what[NSCTL_POOL_NAME_MAX + 64];
	struct nsctl_genl *g;
	int err;

	if (want_help(argc, argv, delete_usage))
		return 0;
	if (argc != 2 || argv[1][0] == '-') {
		fputs(delete_usage, stderr);
		return 1;
	}
	snprintf(what, sizeof(what), "pool delete \"%s\"", argv[1]);
	if (pool_name_check(argv[1], what) || nsctl_connect(what, &g))
		return 1;
	err = nsctl_genl_del_pool(g, argv[1]);
	if (err)
		err = pool_failed(g, err, argv[1], "delete the pool", what);
	else if (pool_cg_sweep(g, what) < 0)
		err = 1;
	nsctl_genl_close(g);
	return err;
}

int cmd_pool(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} cmds[] = {
		{ "create", pool_create },
		{ "list", pool_list },
		{ "show", pool_show },
		{ "set", pool_set },
		{ "delete", pool_delete },
		{ "fill", cmd_pool_fill },
	};
	static char argv0[32];
	size_t i;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(pool_usage, argc < 2 ? stderr : stdout);
		return argc < 2;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name)) {
			/* What getopt's messages name. */
			snprintf(argv0, sizeof(argv0), "%s pool %s", prog, cmds[i].name);
			argv[1] = argv0;
			return cmds[i].fn(argc - 1, argv + 1);
		}
	return fail("pool", "unknown subcommand \"%s\" (see 'nsctl pool --help')", argv[1]);
}
