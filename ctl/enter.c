// SPDX-License-Identifier: GPL-2.0
/*
 * nsctl enter: run a command inside a container.
 *
 * The library checks and enters in one step (libnsctl's nsctl_enter).
 * Entering a PID namespace only places the caller's children in it, so
 * nsctl forks.  The first process forked into a fresh PID namespace is its
 * PID 1: nsctl makes it a real init, which mounts a /proc of the new
 * namespace when the container has its own mount namespace, runs the
 * command as its child, forwards signals to it, reaps orphans, reports the
 * command's exit status, and stays as long as any process is left in the
 * namespace, so that later enters join the same PID namespace.  When the
 * init of the container's PID namespace has died, the namespace is
 * replaced with a fresh one (a generation step) and the enter goes on.
 * The fresh namespace's init first makes a check-only enter, which lets
 * nsctl see it running, so that the container's on_empty policy applies
 * once it exits.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "nsctl.h"

static const char enter_usage[] =
"Usage: nsctl enter [options] NAME [-- CMD [ARGS...]]\n"
"\n"
"Run CMD (default: $SHELL) inside container NAME: in each namespace it holds\n"
"and in its cgroup.  The exit status of CMD is nsctl's.\n"
"\n"
"  --ns TYPES            enter only these types (default: all the container holds)\n"
"  --expect-gen N        refuse unless the container's generation is N\n"
"  --expect-uuid [T=]U   refuse unless the container's namespace (of type T) has\n"
"                        UUID U; may be repeated\n"
"  --no-cgroup           do not join the container's cgroup\n"
"  -h, --help            show this help\n";

static pid_t fwd_child;

static void forward_signal(int sig)
{
	if (fwd_child > 0)
		kill(fwd_child, sig);
}

static void forward_signals(pid_t child)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1,
				    SIGUSR2, SIGWINCH, SIGCONT };
	struct sigaction sa = { .sa_handler = forward_signal, .sa_flags = SA_RESTART };
	size_t i;

	fwd_child = child;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

static int wait_status(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void exec_cmd(char **argv)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	int sig;

	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	execvp(argv[0], argv);
	fprintf(stderr, "%s: enter: cannot run %s: %s\n", prog, argv[0], strerror(errno));
	_exit(127);
}

/*
 * PID 1 of a fresh PID namespace.  Reports CMD's status on @status_fd,
 * then stays until no other process is left in the namespace.
 */
static void run_init(char **argv, int status_fd, bool own_mnt)
{
	pid_t cmd, p;
	int status, code;

	prctl(PR_SET_NAME, "nsctl-init");
	/* A /proc that shows this namespace, in the container's mounts only. */
	if (own_mnt) {
		umount2("/proc", MNT_DETACH);
		mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	}
	cmd = fork();
	if (cmd < 0)
		_exit(1);
	if (cmd == 0) {
		close(status_fd);
		exec_cmd(argv);
	}
	forward_signals(cmd);
	for (;;) {
		p = wait(&status);
		if (p == cmd) {
			code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			/* If the caller went away, there is nobody to tell. */
			(void)!write(status_fd, &code, sizeof(code));
			close(status_fd);
			status_fd = -1;
			fwd_child = 0;
			/* Detach from the caller's session and terminal. */
			setsid();
		}
		if (p < 0 && errno == ECHILD) {
			if (status_fd < 0 && kill(-1, 0) && errno == ESRCH)
				_exit(0);
			/* Processes joined by other enters: wait for them. */
			usleep(100000);
		}
	}
}

static int parse_expect_uuid(const char *arg, const char *name, uint8_t uuids[NSCTL_NS_COUNT][16],
			     const char *what)
{
	char file[8192], *line, *save = NULL, t[16], ino[32], u[40];
	const char *eq = strchr(arg, '='), *uuid = eq ? eq + 1 : arg;
	uint8_t bin[16];
	int type = -1;

	if (eq) {
		char tname[16];

		snprintf(tname, sizeof(tname), "%.*s", (int)(eq - arg), arg);
		type = nsctl_type_from_name(tname);
		if (type < 0)
			return fail(what, "--expect-uuid: unknown namespace type \"%s\"", tname);
	}
	if (nsctl_uuid_parse(uuid, bin))
		return fail(what, "--expect-uuid: \"%s\" is not a UUID", uuid);
	if (type < 0) {
		/* Which slot: the one that has it now; the kernel checks again. */
		if (nsctl_read_file(name, "namespaces", file, sizeof(file)) < 0)
			return fail(what, "no such container");
		for (line = strtok_r(file, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			if (sscanf(line, "%15s %31s %39s", t, ino, u) == 3 && !strcasecmp(u, uuid))
				type = nsctl_type_from_name(t);
		if (type < 0)
			return fail(what, "stale: the container holds no namespace with UUID %s", uuid);
	}
	memcpy(uuids[type], bin, 16);
	return 0;
}

int cmd_enter(int argc, char **argv)
{
	enum { O_NS = 256, O_GEN, O_UUID, O_NO_CGROUP };
	static const struct option longopts[] = {
		{ "ns", required_argument, NULL, O_NS },
		{ "expect-gen", required_argument, NULL, O_GEN },
		{ "expect-uuid", required_argument, NULL, O_UUID },
		{ "no-cgroup", no_argument, NULL, O_NO_CGROUP },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static uint8_t uuids[NSCTL_NS_COUNT][16];
	struct nsctl_enter_req req = { .join_cgroup = true };
	struct nsctl_enter_result res;
	const char *name, *bad, **uuid_args = NULL;
	char what[NSCTL_NAME_MAX + 64], buf[64], *end, **cmd;
	int opt, dirfd, err, nuuid = 0, i, status_fd[2], code;
	uint64_t gen = 0;
	bool own_mnt, fresh_pid;
	pid_t child;

	if (want_help(argc, argv, enter_usage))
		return 0;
	uuid_args = calloc(argc, sizeof(*uuid_args));
	optind = 1;
	/* Stop at the name: what follows belongs to CMD. */
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case O_NS:
			if (nsctl_parse_types(optarg, &req.types, &bad))
				return fail("enter", "unknown namespace type \"%s\"", bad);
			break;
		case O_GEN:
			gen = strtoull(optarg, &end, 10);
			if (!*optarg || *end || *optarg == '-')
				return fail("enter", "--expect-gen: \"%s\" is not a generation", optarg);
			req.expect_gen = &gen;
			break;
		case O_UUID:
			uuid_args[nuuid++] = optarg;
			break;
		case O_NO_CGROUP:
			req.join_cgroup = false;
			break;
		default:
			fputs(enter_usage, stderr);
			return 1;
		}
	}
	if (optind >= argc) {
		fputs(enter_usage, stderr);
		return 1;
	}
	name = argv[optind++];
	snprintf(what, sizeof(what), "enter \"%s\"", name);
	if (nsctl_name_check(name))
		return fail(what, "invalid name");
	if (optind < argc && strcmp(argv[optind], "--"))
		return fail(what, "unexpected \"%s\" (the command goes after --)", argv[optind]);
	cmd = optind + 1 < argc ? argv + optind + 1 : NULL;
	if (!cmd) {
		static char *sh[2];
		char *shell = getenv("SHELL");

		sh[0] = shell && *shell ? shell : "/bin/sh";
		cmd = sh;
	}

	err = nsctl_ensure_mounted();
	if (err)
		return fail(what, "cannot mount %s: %s", NSCTL_MOUNT_POINT, strerror(-err));
	for (i = 0; i < nuuid; i++)
		if (parse_expect_uuid(uuid_args[i], name, uuids, what))
			return 1;
	if (nuuid)
		req.expect_uuid = (const uint8_t (*)[16])uuids;
	free(uuid_args);

	dirfd = nsctl_open(name);
	if (dirfd < 0)
		return fail(what, "%s", ct_why(dirfd));

	err = nsctl_enter(dirfd, &req, &res);
	if (err == -EOWNERDEAD) {
		/* The PID namespace's init died: give the container a new one. */
		if (nsctl_read_file(name, "generation", buf, sizeof(buf)) < 0)
			return fail(what, "no such container");
		err = nsctl_replace_pid_ns(dirfd, strtoull(buf, NULL, 10));
		if (!err)
			err = nsctl_enter(dirfd, &req, &res);
	}
	/* Kept open for a fresh PID namespace's init. */
	if (err)
		close(dirfd);
	switch (err) {
	case 0:
		break;
	case -ESTALE:
		return fail(what, "stale: the container is not the one expected (deleted, "
			    "recreated, or its namespaces replaced)");
	case -EPERM: {
		char pol[16] = "";

		/* The one refusal that is nsctl's own, not setns(2)'s. */
		if (nsctl_read_file(name, "enter", pol, sizeof(pol)) > 0 &&
		    !strncmp(pol, "deny", 4))
			return fail(what, "the container is sealed (enter=deny)");
		return fail(what, "permission denied (setns(2) would refuse a namespace)");
	}
	case -EDEADLK:
		return fail(what, "a multithreaded process cannot enter mnt, user or time namespaces");
	default:
		return fail(what, "%s", strerror(-err));
	}

	own_mnt = (res.entered | res.already) & NSCTL_NS_BIT(NSCTL_NS_MNT);
	fresh_pid = (res.entered & NSCTL_NS_BIT(NSCTL_NS_PID)) &&
		    res.pid_init == NSCTL_PID_INIT_NONE;
	if (!(res.entered & NSCTL_NS_BIT(NSCTL_NS_PID))) {
		close(dirfd);
		exec_cmd(cmd);
	}

	if (fresh_pid && pipe2(status_fd, O_CLOEXEC))
		return fail(what, "pipe: %s", strerror(errno));
	child = fork();
	if (child < 0)
		return fail(what, "fork: %s", strerror(errno));
	if (child == 0) {
		if (!fresh_pid)
			exec_cmd(cmd);
		/* The namespace has its init now: let nsctl wait for its exit. */
		nsctl_enter_init_forked(dirfd, res.entered | res.already);
		close(dirfd);
		close(status_fd[0]);
		run_init(cmd, status_fd[1], own_mnt);
	}
	close(dirfd);
	if (!fresh_pid) {
		forward_signals(child);
		return wait_status(child);
	}
	/* The init reports the command's status and lives on. */
	close(status_fd[1]);
	forward_signals(child);
	while ((err = read(status_fd[0], &code, sizeof(code))) < 0 && errno == EINTR)
		;
	if (err != sizeof(code)) {
		/* The init died before the command finished. */
		wait_status(child);
		return fail(what, "the container's init exited unexpectedly");
	}
	return code;
}
