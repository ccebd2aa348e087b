// SPDX-License-Identifier: GPL-2.0
/*
 * nsctl delete: remove a container (NSCTL_CMD_DEL_CONTAINER); with --force,
 * first kill what is inside, through the container's cgroup (cgroup.kill)
 * and then each process the container reports.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nsctl.h"

static const char delete_usage[] =
"Usage: nsctl delete [--force] NAME\n"
"\n"
"Delete a container and drop every namespace and cgroup it holds.  A cgroup\n"
"nsctl made for it (PARENT/NAME, see 'nsctl create --help') is removed too,\n"
"and so is its export in /run/netns (--netns-export).\n"
"\n"
"  -f, --force  kill the processes inside first (otherwise a container with\n"
"               processes inside is not deleted)\n"
"  -h, --help   show this help\n";

static void kill_inside(const char *name, const char *cgroup)
{
	static char procs[1 << 20];
	char path[4200], *line, *save = NULL;
	int fd;

	if (cgroup[0]) {
		snprintf(path, sizeof(path), NSCTL_CGROUP_ROOT "%s/cgroup.kill", cgroup);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		/* If this fails, the per-process kill below still runs. */
		if (fd >= 0) {
			(void)!write(fd, "1", 1);
			close(fd);
		}
	}
	if (nsctl_read_file(name, "procs", procs, sizeof(procs)) < 0)
		return;
	for (line = strtok_r(procs, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		kill(atoi(line), SIGKILL);
}

/* Is this process among those the container reports as inside? */
static bool caller_inside(const char *name)
{
	static char procs[1 << 20];
	char *line, *save = NULL;

	if (nsctl_read_file(name, "procs", procs, sizeof(procs)) < 0)
		return false;
	for (line = strtok_r(procs, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (atoi(line) == getpid())
			return true;
	return false;
}

int cmd_delete(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char what[NSCTL_NAME_MAX + 64], path[4300];
	struct nsctl_config cfg;
	struct nsctl_ct_ref ref = { 0 };
	struct nsctl_genl *g;
	struct nsctl_info in;
	bool force = false;
	const char *name;
	int opt, err, tries;

	if (want_help(argc, argv, delete_usage))
		return 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "fh", longopts, NULL)) != -1) {
		if (opt != 'f') {
			fputs(delete_usage, stderr);
			return 1;
		}
		force = true;
	}
	if (optind != argc - 1) {
		fputs(delete_usage, stderr);
		return 1;
	}
	name = argv[optind];
	ref.name = name;
	snprintf(what, sizeof(what), "delete \"%s\"", name);
	if (nsctl_name_check(name))
		return fail(what, "invalid name");
	err = nsctl_ensure_mounted();
	if (!err)
		err = nsctl_read_info(name, &in);
	if (err)
		return fail(what, "%s", ct_why(err));

	if (nsctl_connect(what, &g))
		return 1;
	/* Killed processes take a moment to leave their namespaces. */
	for (tries = 0; (err = nsctl_genl_del_container(g, &ref, NULL)); tries++) {
		if (err != -EBUSY)
			break;
		if (!force) {
			err = fail(what, "processes are inside (%llu); --force kills them",
				   (unsigned long long)in.tasks);
			goto out;
		}
		if (tries == 500) {
			err = fail(what, "processes inside did not exit after SIGKILL");
			goto out;
		}
		if (caller_inside(name)) {
			err = fail(what, "you are inside this container: --force would kill "
				   "this very process (and what runs beside it)");
			goto out;
		}
		kill_inside(name, in.cgroup);
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
	if (err == -ENOENT)
		err = fail(what, "no such container");
	else if (err == -EPERM)
		err = fail(what, "needs CAP_SYS_ADMIN in the initial user namespace");
	else if (err)
		err = fail(what, "%s", genl_why(g, err));
out:
	nsctl_genl_close(g);
	if (err)
		return err;

	/* Its exports in /run/netns (which pin its network namespace). */
	netns_unexport_ct(name, in.uuid, what);

	/* The cgroup nsctl made for it: a bound one is left alone. */
	if (nsctl_cgroup_made(nsctl_config_read(&cfg) ? NULL : &cfg, name, in.cgroup)) {
		snprintf(path, sizeof(path), NSCTL_CGROUP_ROOT "%s", in.cgroup);
		for (tries = 0; rmdir(path) && errno == EBUSY && tries < 500; tries++)
			nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
	return 0;
}
