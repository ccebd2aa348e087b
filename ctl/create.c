// SPDX-License-Identifier: GPL-2.0
/*
 * nsctl create: make a container and fill it.
 *
 * Fresh namespaces are made by a short-lived helper child that unshares
 * them and waits; the parent, still privileged in the initial user
 * namespace, opens the child's /proc/PID/ns files, makes the cgroup, and
 * builds the container with all of it in one generic netlink request
 * (NSCTL_CMD_NEW_CONTAINER), so that the container appears, and is
 * announced, only complete.  Then the child exits.  Nothing is left
 * running.  Any failure removes what was made.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include "nsctl.h"

#define DEFAULT_TYPES (NSCTL_NS_BIT(NSCTL_NS_MNT) | NSCTL_NS_BIT(NSCTL_NS_UTS) | \
		       NSCTL_NS_BIT(NSCTL_NS_IPC) | NSCTL_NS_BIT(NSCTL_NS_NET) | \
		       NSCTL_NS_BIT(NSCTL_NS_PID) | NSCTL_NS_BIT(NSCTL_NS_CGROUP))

static const char create_usage[] =
"Usage: nsctl create NAME [options]\n"
"\n"
"Create a container holding fresh namespaces (by default mnt, uts, ipc,\n"
"net, pid and cgroup) and a fresh cgroup PARENT/NAME: PARENT is cgroup-parent\n"
"in " NSCTL_CONFIG_FILE ", else on a systemd host nsctl.service's delegated\n"
"cgroup " NSCTL_CGROUP_ROOT "/" NSCTL_SYSTEMD_CGROUP ", else " NSCTL_CGROUP_ROOT "/" NSCTL_CGROUP_PARENT ".\n"
"Nothing is left running: the container keeps its namespaces alive.\n"
"\n"
"Options:\n"
"  --ns TYPES          types the container holds (comma-separated from mnt,uts,\n"
"                      ipc,net,pid,user,cgroup,time, or all)\n"
"  --share TYPES       hold the caller's own namespaces of these types\n"
"  --from-pid PID      take the namespaces of process PID instead of fresh ones\n"
"  --from-netns NAME   take the network namespace of 'ip netns' NAME\n"
"  --cgroup PATH       bind an existing cgroup v2 directory instead of making one\n"
"  --no-cgroup         bind no cgroup\n"
"  --memory-max N      memory.max of the cgroup (bytes, or K/M/G suffix, or max)\n"
"  --pids-max N        pids.max of the cgroup\n"
"  --cpu-max Q/P       cpu.max of the cgroup: quota/period in microseconds\n"
"  --uuid UUID         the container's UUID (to recreate a known container)\n"
"  --label KEY=VALUE   a label (repeatable): shown by show and list -j,\n"
"                      selected by list --label\n"
"  --netns-export[=N]  bind-mount its network namespace on /run/netns/N (N: NAME\n"
"                      by default) for 'ip netns' and CNI; never replaces a file\n"
"  --from-pool POOL    claim a ready member of a pool ('nsctl pool') instead: the\n"
"                      pool's template decides the types, cgroup, limits and\n"
"                      policies (only --uuid, --label and --netns-export go with\n"
"                      it)\n"
"  --fallback          with --from-pool, when the pool has no ready member, make\n"
"                      the container fresh from the pool's template\n"
"  -h, --help          show this help\n";

/* The helper: unshare, make the namespaces usable, report, wait. */
static void helper(const struct create_opts *o, uint64_t fresh, int cg_procs_fd,
		   int ready_fd, int go_fd)
{
	int flags = 0, err = 0, sock;
	unsigned int i;
	char c;

	if (cg_procs_fd >= 0 && write(cg_procs_fd, "0", 1) != 1)
		err = errno;
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (fresh & NSCTL_NS_BIT(i))
			flags |= nsctl_type_clone_flag(i);
	if (!err && unshare(flags))
		err = errno;
	if (!err && (fresh & NSCTL_NS_BIT(NSCTL_NS_MNT)) &&
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		err = errno;
	if (!err && (fresh & NSCTL_NS_BIT(NSCTL_NS_UTS)) &&
	    sethostname(o->name, strnlen(o->name, HOST_NAME_MAX)))
		err = errno;
	if (!err && (fresh & NSCTL_NS_BIT(NSCTL_NS_NET))) {
		struct ifreq ifr = { .ifr_name = "lo" };

		sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (sock < 0 || ioctl(sock, SIOCGIFFLAGS, &ifr))
			err = errno;
		ifr.ifr_flags |= IFF_UP;
		if (!err && ioctl(sock, SIOCSIFFLAGS, &ifr))
			err = errno;
		if (sock >= 0)
			close(sock);
	}
	if (write(ready_fd, &err, sizeof(err)) != sizeof(err))
		_exit(1);
	/* Wait until the parent has taken the namespaces (or gave up). */
	while (read(go_fd, &c, 1) < 0 && errno == EINTR)
		;
	_exit(err ? 1 : 0);
}

int helper_start(const struct create_opts *o, uint64_t fresh, int cgfd,
		 const char *cgpath, struct ns_helper *h, const char *what)
{
	int ready[2] = { -1, -1 }, go[2] = { -1, -1 }, procs_fd = -1, err, ret = 1;
	unsigned int i;

	h->pid = -1;
	h->go = -1;
	if (pipe2(ready, O_CLOEXEC) || pipe2(go, O_CLOEXEC)) {
		fail(what, "pipe: %s", strerror(errno));
		goto out;
	}
	if (cgfd >= 0 && (fresh & NSCTL_NS_BIT(NSCTL_NS_CGROUP))) {
		/* The cgroup namespace is rooted at the container's cgroup. */
		procs_fd = openat(cgfd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
		if (procs_fd < 0) {
			fail(what, "cannot open %s/cgroup.procs: %s", cgpath, strerror(errno));
			goto out;
		}
	}
	h->pid = fork();
	if (h->pid < 0) {
		fail(what, "fork: %s", strerror(errno));
		goto out;
	}
	if (h->pid == 0) {
		close(ready[0]);
		close(go[1]);
		helper(o, fresh, procs_fd, ready[1], go[0]);
	}
	h->go = go[1];
	go[1] = -1;
	close(ready[1]);
	ready[1] = -1;
	if (read(ready[0], &err, sizeof(err)) != sizeof(err))
		err = ECHILD;
	if (err)
		fail(what, "cannot make fresh namespaces: %s", strerror(err));
	else
		ret = 0;
out:
	for (i = 0; i < 2; i++) {
		if (ready[i] >= 0)
			close(ready[i]);
		if (go[i] >= 0)
			close(go[i]);
	}
	if (procs_fd >= 0)
		close(procs_fd);
	if (ret)
		helper_end(h);
	return ret;
}

void helper_end(struct ns_helper *h)
{
	int status;

	if (h->go >= 0)
		close(h->go);
	h->go = -1;
	if (h->pid > 0)
		while (waitpid(h->pid, &status, 0) < 0 && errno == EINTR)
			;
	h->pid = -1;
}

static int open_ns_file(pid_t pid, const char *dir, unsigned int type)
{
	char path[128];

	if (dir)
		snprintf(path, sizeof(path), "%s", dir);
	else if (pid)
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid,
			 nsctl_type_proc_file(type));
	else
		snprintf(path, sizeof(path), "/proc/self/ns/%s",
			 nsctl_type_proc_file(type));
	return open(path, O_RDONLY | O_CLOEXEC);
}

static int write_id_maps(pid_t pid)
{
	char path[64];
	int ret;

	snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
	ret = nsctl_write_attr(path, "0 0 4294967295\n");
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
	return nsctl_write_attr(path, "0 0 4294967295\n");
}

int fresh_ns_start(const struct create_opts *o, uint64_t fresh, struct nsctl_genl_new *req,
		   const char *cgpath, struct ns_helper *h, const char *what)
{
	unsigned int i;
	int err;

	if (helper_start(o, fresh, req->cgroup_fd, cgpath, h, what))
		return 1;
	if ((fresh & NSCTL_NS_BIT(NSCTL_NS_USER)) && (err = write_id_maps(h->pid))) {
		fail(what, "cannot write the user namespace's id maps: %s", strerror(-err));
		goto fail;
	}
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		/* A PID namespace with no process yet: by pid, below. */
		if (!(fresh & NSCTL_NS_BIT(i)) || i == NSCTL_NS_PID)
			continue;
		req->fds[i] = open_ns_file(h->pid, NULL, i);
		if (req->fds[i] < 0) {
			fail(what, "cannot open the new %s namespace: %s", nsctl_type_name(i),
			     strerror(errno));
			goto fail;
		}
	}
	if (fresh & NSCTL_NS_BIT(NSCTL_NS_PID))
		req->pid_of = h->pid;
	return 0;
fail:
	helper_end(h);
	return 1;
}

/* 1 when a container has this name, 0 when none has, or -errno. */
static int name_taken(struct nsctl_genl *g, const char *name)
{
	struct nsctl_ct ct;
	int err;

	err = nsctl_genl_get_container(g, &(struct nsctl_ct_ref){ .name = name }, &ct);
	if (err)
		return err == -ENOENT ? 0 : err;
	nsctl_ct_clear(&ct);
	return 1;
}

static int create_failed(struct nsctl_genl *g, const struct create_opts *o,
			 const char *cgpath, int err, const char *what)
{
	switch (err) {
	case -EEXIST:
		/* The name was free a moment ago: unless taken since, the UUID is. */
		if (o->have_uuid && name_taken(g, o->name) == 0)
			return fail(what, "cannot set the UUID: another container has it");
		return fail(what, "a container of that name exists");
	case -EPERM:
		return fail(what, "needs CAP_SYS_ADMIN in the initial user namespace");
	case -EBADF:
		if (cgpath[0] && !nsctl_genl_errmsg(g))
			return fail(what, "cannot bind the cgroup %s: not a cgroup v2 directory",
				    cgpath);
		break;
	}
	return fail(what, "cannot create the container: %s", genl_why(g, err));
}

/*
 * The container's cgroup: the one --cgroup names, or PARENT/NAME made (and
 * marked as nsctl's) with the limits.  On failure *@made says whether
 * @cgpath is to be removed.
 */
int create_cgroup(const struct create_opts *o, char *cgpath, size_t len, int *fdp,
		  bool *made, const char *what)
{
	struct cg_limits lim;

	*made = false;
	if (o->cgroup) {
		if (o->cgroup[0] == '/' && strncmp(o->cgroup, NSCTL_CGROUP_ROOT "/",
						   sizeof(NSCTL_CGROUP_ROOT)))
			snprintf(cgpath, len, NSCTL_CGROUP_ROOT "%s", o->cgroup);
		else if (o->cgroup[0] != '/')
			snprintf(cgpath, len, NSCTL_CGROUP_ROOT "/%s", o->cgroup);
		else
			snprintf(cgpath, len, "%s", o->cgroup);
	} else {
		struct nsctl_config cfg;

		if (nsctl_config_read(&cfg) || nsctl_cgroup_prepare(&cfg, what) ||
		    cg_make(&cfg, o->name, o->name, cgpath, len, what))
			return 1;
		*made = true;
	}
	*fdp = open(cgpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fdp < 0)
		return fail(what, "cannot open the cgroup %s: %s", cgpath, strerror(errno));
	cg_limits_from_opts(o, &lim);
	return cg_limits_write(cgpath, &lim, what);
}

static int do_create(const struct create_opts *o, const char *what)
{
	struct nsctl_genl_new req = {
		.name = o->name,
		.uuid = o->have_uuid ? o->uuid : NULL,
		.types = o->types,
		.cgroup_fd = -1,
		.labels = o->labels,
		.nlabels = o->nlabels,
	};
	struct ns_helper h = { .pid = -1, .go = -1 };
	int *fds = req.fds, ret = 1, err;
	char cgpath[4200] = "", dirpath[256];
	uint64_t fresh, taken = 0;
	bool made_cgroup = false;
	struct nsctl_genl *g;
	unsigned int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		fds[i] = -1;

	/* Refused by the kernel anyway: say so before making anything. */
	if (!have_cap(CAP_SYS_ADMIN))
		return fail(what, "needs CAP_SYS_ADMIN in the initial user namespace");
	err = nsctl_ensure_mounted();
	if (err)
		return fail(what, "cannot mount %s: %s", NSCTL_MOUNT_POINT,
			    strerror(-err));
	if (nsctl_connect(what, &g))
		return 1;
	/* Nothing is made for a name that is taken. */
	err = name_taken(g, o->name);
	if (err) {
		if (err > 0)
			fail(what, "a container of that name exists");
		else
			fail(what, "cannot look the name up: %s", genl_why(g, err));
		goto out_genl;
	}
	if (o->netns_export && netns_export_free(o->netns_export, what))
		goto out_genl;

	/* Namespaces taken from elsewhere, opened before anything is made. */
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		const char *src = NULL;
		pid_t pid = 0;

		if (!(o->types & NSCTL_NS_BIT(i)))
			continue;
		if (i == NSCTL_NS_NET && o->from_netns) {
			snprintf(dirpath, sizeof(dirpath), "/run/netns/%s", o->from_netns);
			src = dirpath;
		} else if (o->from_pid) {
			pid = o->from_pid;
		} else if (!(o->share & NSCTL_NS_BIT(i))) {
			continue;
		}
		fds[i] = open_ns_file(pid, src, i);
		if (fds[i] < 0) {
			ret = fail(what, "cannot open the %s namespace of %s: %s",
				   nsctl_type_name(i),
				   src ? src : pid ? "that process" : "this process",
				   strerror(errno));
			goto out_close;
		}
		taken |= NSCTL_NS_BIT(i);
	}
	fresh = o->types & ~taken;

	if (o->cgroup || !o->no_cgroup) {
		ret = create_cgroup(o, cgpath, sizeof(cgpath), &req.cgroup_fd, &made_cgroup,
				    what);
		if (ret)
			goto out_rmcg;
		ret = 1;
	}

	if (fresh && fresh_ns_start(o, fresh, &req, cgpath, &h, what))
		goto out_rmcg;

	err = nsctl_genl_new_container(g, &req, NULL);
	if (err) {
		ret = create_failed(g, o, cgpath, err, what);
		goto out_child;
	}
	ret = o->netns_export ? netns_export_created(g, o->name, o->netns_export, what) : 0;

out_child:
	helper_end(&h);
out_rmcg:
	if (ret && made_cgroup)
		rmdir(cgpath);
out_close:
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (req.cgroup_fd >= 0)
		close(req.cgroup_fd);
out_genl:
	nsctl_genl_close(g);
	return ret;
}

void create_opts_init(struct create_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->types = DEFAULT_TYPES;
}

int create_option(struct create_opts *o, const char *key, const char *arg,
		  const char *what)
{
	char val[64], *end;
	const char *bad;

	if (!strcmp(key, "ns") || !strcmp(key, "share")) {
		bool ns = key[0] == 'n';

		if (nsctl_parse_types(arg, ns ? &o->types : &o->share, &bad))
			return fail(what, "unknown namespace type \"%s\" (types: mnt, uts, "
				    "ipc, net, pid, user, cgroup, time, all)", bad);
		o->types_given |= ns;
	} else if (!strcmp(key, "from-pid")) {
		o->from_pid = strtol(arg, &end, 10);
		if (*end || o->from_pid <= 0)
			return fail(what, "--from-pid: \"%s\" is not a process id", arg);
	} else if (!strcmp(key, "from-netns")) {
		if (!*arg || strchr(arg, '/') || !strcmp(arg, ".") || !strcmp(arg, ".."))
			return fail(what, "--from-netns: \"%s\" is not a network namespace name",
				    arg);
		o->from_netns = arg;
	} else if (!strcmp(key, "cgroup")) {
		if (!*arg)
			return fail(what, "--cgroup: empty path");
		o->cgroup = arg;
	} else if (!strcmp(key, "no-cgroup")) {
		o->no_cgroup = true;
	} else if (!strcmp(key, "memory-max")) {
		if (cg_memory_value(arg, val, sizeof(val)))
			return fail(what, "--memory-max: \"%s\" is not a size (bytes, K, M, G or max)",
				    arg);
		o->memory_max = arg;
	} else if (!strcmp(key, "pids-max")) {
		if (!cg_number_or_max(arg))
			return fail(what, "--pids-max: \"%s\" is not a number or max", arg);
		o->pids_max = arg;
	} else if (!strcmp(key, "cpu-max")) {
		if (!cg_cpu_max_value(arg, val, sizeof(val)))
			return fail(what, "--cpu-max: \"%s\" is not QUOTA/PERIOD (microseconds; quota may be max)",
				    arg);
		o->cpu_max = arg;
	} else if (!strcmp(key, "label")) {
		bad = label_check(arg, false);
		if (bad)
			return fail(what, "--label \"%s\": %s", arg, bad);
		if (o->nlabels == NSCTL_LABELS_MAX)
			return fail(what, "more than %d labels", NSCTL_LABELS_MAX);
		o->labels[o->nlabels++] = arg;
	} else if (!strcmp(key, "uuid")) {
		if (nsctl_uuid_parse(arg, o->uuid))
			return fail(what, "--uuid: \"%s\" is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
				    arg);
		o->have_uuid = true;
	} else if (!strcmp(key, "netns-export")) {
		/* "": the container's name; "-" (a declaration): none. */
		if (*arg && strcmp(arg, "-") && netns_name_check(arg))
			return fail(what, "--netns-export: \"%s\" is not a network namespace name "
				    "(no '/', not . or ..)", arg);
		o->netns_export = strcmp(arg, "-") ? arg : NULL;
	} else {
		return -ENOENT;
	}
	return 0;
}

int create_check(struct create_opts *o, const char *what)
{
	if (nsctl_name_check(o->name))
		return fail(what, "invalid name (allowed: 1 to %d characters, a letter or digit "
			    "first, then letters, digits and _ . - : @ +)", NSCTL_NAME_MAX);
	if (o->cgroup && o->no_cgroup)
		return fail(what, "--cgroup and --no-cgroup exclude each other");
	if (o->no_cgroup && (o->memory_max || o->pids_max || o->cpu_max))
		return fail(what, "limits need a cgroup (drop --no-cgroup)");
	if (o->from_netns && !o->types_given)
		o->types |= NSCTL_NS_BIT(NSCTL_NS_NET);
	if (o->from_netns && !(o->types & NSCTL_NS_BIT(NSCTL_NS_NET)))
		return fail(what, "--from-netns needs net among --ns");
	o->types |= o->share;
	if (o->netns_export && !*o->netns_export)
		o->netns_export = o->name;
	if (o->netns_export && !(o->types & NSCTL_NS_BIT(NSCTL_NS_NET)))
		return fail(what, "--netns-export needs a network namespace (net among --ns)");
	return 0;
}

int create_run(struct create_opts *o, const char *what)
{
	return create_check(o, what) ?: do_create(o, what);
}

int cmd_create(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ns", required_argument, NULL, 0 },
		{ "share", required_argument, NULL, 0 },
		{ "from-pid", required_argument, NULL, 0 },
		{ "from-netns", required_argument, NULL, 0 },
		{ "cgroup", required_argument, NULL, 0 },
		{ "no-cgroup", no_argument, NULL, 0 },
		{ "memory-max", required_argument, NULL, 0 },
		{ "pids-max", required_argument, NULL, 0 },
		{ "cpu-max", required_argument, NULL, 0 },
		{ "uuid", required_argument, NULL, 0 },
		{ "label", required_argument, NULL, 0 },
		{ "netns-export", optional_argument, NULL, 0 },
		{ "from-pool", required_argument, NULL, 0 },
		{ "fallback", no_argument, NULL, 0 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pool = NULL, *templated = NULL, *key;
	struct create_opts o;
	char what[NSCTL_NAME_MAX + 64];
	bool fall_back = false;
	int opt, idx, err;

	if (want_help(argc, argv, create_usage))
		return 0;
	create_opts_init(&o);
	/* The name may come before the options. */
	if (argc > 1 && argv[1][0] != '-') {
		o.name = argv[1];
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	snprintf(what, sizeof(what), "create \"%s\"", o.name ? o.name : "");
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, &idx)) != -1) {
		if (opt != 0) {
			fputs(create_usage, stderr);
			return 1;
		}
		key = longopts[idx].name;
		if (!strcmp(key, "from-pool")) {
			pool = optarg;
			continue;
		}
		if (!strcmp(key, "fallback")) {
			fall_back = true;
			continue;
		}
		/* What a pool's template decides. */
		if (!templated && strcmp(key, "uuid") && strcmp(key, "label") &&
		    strcmp(key, "netns-export"))
			templated = key;
		err = create_option(&o, key, optarg ? optarg : "", what);
		if (err)
			return 1;
	}
	if (!o.name && optind < argc)
		o.name = argv[optind++];
	if (!o.name || optind != argc) {
		fputs(create_usage, stderr);
		return 1;
	}
	snprintf(what, sizeof(what), "create \"%s\"", o.name);
	if (fall_back && !pool)
		return fail(what, "--fallback goes with --from-pool");
	if (pool && templated)
		return fail(what, "--%s cannot go with --from-pool: the pool's template "
			    "decides it", templated);
	if (pool)
		return create_from_pool(&o, pool, fall_back, what);
	return create_run(&o, what);
}
