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
 *
 * The command's process starts in the container's cgroup: nsctl switches
 * the namespaces that come before the cgroup (and pid, which only decides
 * where children go), then creates it with clone3(2)'s CLONE_INTO_CGROUP,
 * and it switches the rest (cgroup, time, mnt, user).  nsctl never joins
 * the cgroup itself, so nothing writes cgroup.procs, whose lock waits for
 * an RCU grace period; nsctl waits for the command and forwards signals.
 * Where the kernel cannot (no clone3, a cgroup that refuses), nsctl joins
 * the cgroup by writing cgroup.procs and goes on as before: the command
 * runs in place, or in a fork when a PID namespace was entered.
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
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/sched.h>

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

/*
 * For a command nsctl did not exec in place: its exit status, or death by
 * the same signal, as if it had.
 */
static int pass_status(pid_t pid)
{
	struct rlimit no_core = { 0, 0 };
	int status, sig;
	sigset_t set;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	sig = WTERMSIG(status);
	/* The command dumped core if it was to; nsctl does not. */
	setrlimit(RLIMIT_CORE, &no_core);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), sig);
	return 128 + sig;
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

/*
 * Switched by nsctl itself before the command's process is created: the
 * types the library's order puts before the cgroup, and pid, which only
 * decides where children go.  cgroup, time, mnt and user are the child's:
 * with nsdelegate the kernel checks a placement into a cgroup, like a
 * migration, against the creator's cgroup namespace.
 */
#define ENTER_FIRST (NSCTL_NS_BIT(NSCTL_NS_UTS) | NSCTL_NS_BIT(NSCTL_NS_IPC) | \
		     NSCTL_NS_BIT(NSCTL_NS_NET) | NSCTL_NS_BIT(NSCTL_NS_PID))

/* What an enter did, for the process that runs the command. */
struct entered {
	struct nsctl_enter e;
	int dirfd;
	char **cmd;
	bool pid, fresh_pid, own_mnt;
	int status_fd[2];	/* a fresh PID namespace's init reports on it */
};

static void close_fds(struct nsctl_enter *e)
{
	int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (e->fds[i] >= 0)
			close(e->fds[i]);
	if (e->cgroup_fd >= 0)
		close(e->cgroup_fd);
	e->cgroup_fd = -1;
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		e->fds[i] = -1;
}

static int enter_failed(const char *what, const char *name, int err)
{
	char pol[16] = "";

	switch (err) {
	case -ESTALE:
		return fail(what, "stale: the container is not the one expected (deleted, "
			    "recreated, or its namespaces replaced)");
	case -EPERM:
		/* The one refusal that is nsctl's own, not setns(2)'s. */
		if (nsctl_read_file(name, "enter", pol, sizeof(pol)) > 0 &&
		    !strncmp(pol, "deny", 4))
			return fail(what, "the container is sealed (enter=deny)");
		return fail(what, "permission denied (setns(2) would refuse a namespace)");
	case -EDEADLK:
		return fail(what, "a multithreaded process cannot enter mnt, user or time namespaces");
	default:
		return fail(what, "%s", strerror(-err));
	}
}

/*
 * A child that starts in the cgroup open as @cgfd, or -1 when the kernel
 * cannot make one (no clone3 or no CLONE_INTO_CGROUP, a cgroup that
 * refuses processes...) or NSCTL_NO_CLONE_INTO_CGROUP is set (a debugging
 * aid: the cgroup.procs way, for comparison).  The child goes on from
 * here as fork()'s does, without fork handlers (nsctl has none).
 */
static pid_t clone_into_cgroup(int cgfd)
{
	struct clone_args args = {
		.flags = CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
		.cgroup = (uint64_t)cgfd,
	};
	const char *no = getenv("NSCTL_NO_CLONE_INTO_CGROUP");

	if (cgfd < 0 || (no && *no && strcmp(no, "0")))
		return -1;
	return syscall(SYS_clone3, &args, sizeof(args));
}

/* In the child, in every namespace: the command, or a fresh PID namespace's init. */
static void __attribute__((noreturn)) run_entered(struct entered *x)
{
	if (!x->fresh_pid)
		exec_cmd(x->cmd);
	/* The namespace has its init now: let nsctl wait for its exit. */
	nsctl_enter_init_forked(x->dirfd, x->e.entered | x->e.already);
	close(x->dirfd);
	close(x->status_fd[0]);
	run_init(x->cmd, x->status_fd[1], x->own_mnt);
	_exit(1);
}

/* In nsctl: the command's status once it is running in @child. */
static int wait_entered(struct entered *x, pid_t child, const char *what)
{
	int code, n;

	close(x->dirfd);
	forward_signals(child);
	if (!x->fresh_pid)
		return x->pid ? wait_status(child) : pass_status(child);
	/* The init reports the command's status and lives on. */
	close(x->status_fd[1]);
	while ((n = read(x->status_fd[0], &code, sizeof(code))) < 0 && errno == EINTR)
		;
	if (n != sizeof(code)) {
		/* The init died before the command finished. */
		wait_status(child);
		return fail(what, "the container's init exited unexpectedly");
	}
	return code;
}

/*
 * The clone3 way: the child switches the rest and says on @errfd why it
 * could not; nsctl reads end of file once it has.  -1 when there is no
 * child, and nsctl is to join the cgroup itself.
 */
static int start_in_cgroup(struct entered *x, const char *what, const char *name)
{
	pid_t child, self = getpid();
	int errfd[2], err = 0, n;

	if (x->e.cgroup_fd < 0 || pipe2(errfd, O_CLOEXEC))
		return -1;
	child = clone_into_cgroup(x->e.cgroup_fd);
	if (child < 0) {
		close(errfd[0]);
		close(errfd[1]);
		return -1;
	}
	if (child == 0) {
		close(errfd[0]);
		/*
		 * Where nsctl used to exec in place, its death (SIGKILL
		 * included, which it cannot forward) still ends the command.
		 */
		if (!x->pid && (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != self))
			_exit(1);
		err = nsctl_enter_fds(&x->e, ~ENTER_FIRST, -1);
		if (err) {
			(void)!write(errfd[1], &err, sizeof(err));
			_exit(1);
		}
		close(errfd[1]);
		close_fds(&x->e);
		run_entered(x);
	}
	forward_signals(child);
	close(errfd[1]);
	close_fds(&x->e);
	while ((n = read(errfd[0], &err, sizeof(err))) < 0 && errno == EINTR)
		;
	close(errfd[0]);
	if (n == sizeof(err)) {
		wait_status(child);
		fwd_child = 0;
		close(x->dirfd);
		return enter_failed(what, name, err);
	}
	return wait_entered(x, child, what);
}

/* After a successful NSCTL_IOC_ENTER: run the command where it asked. */
static int start_entered(struct entered *x, const char *what, const char *name)
{
	pid_t child;
	int err, ret;

	x->pid = x->e.entered & NSCTL_NS_BIT(NSCTL_NS_PID);
	x->own_mnt = (x->e.entered | x->e.already) & NSCTL_NS_BIT(NSCTL_NS_MNT);
	x->fresh_pid = x->pid && x->e.pid_init == NSCTL_PID_INIT_NONE;
	x->status_fd[0] = x->status_fd[1] = -1;
	err = nsctl_enter_fds(&x->e, ENTER_FIRST, -1);
	if (!err && x->fresh_pid && pipe2(x->status_fd, O_CLOEXEC)) {
		close_fds(&x->e);
		close(x->dirfd);
		return fail(what, "pipe: %s", strerror(errno));
	}
	if (!err) {
		ret = start_in_cgroup(x, what, name);
		if (ret >= 0)
			return ret;
		/* The cgroup.procs way: nsctl joins, then runs or forks. */
		err = nsctl_enter_fds(&x->e, ~ENTER_FIRST, x->e.cgroup_fd);
	}
	close_fds(&x->e);
	if (err) {
		close(x->dirfd);
		return enter_failed(what, name, err);
	}
	if (!x->pid) {
		close(x->dirfd);
		exec_cmd(x->cmd);
	}
	child = fork();
	if (child < 0)
		return fail(what, "fork: %s", strerror(errno));
	if (child == 0)
		run_entered(x);
	forward_signals(child);
	return wait_entered(x, child, what);
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
	struct entered x;
	const char *name, *bad, **uuid_args = NULL;
	char what[NSCTL_NAME_MAX + 64], buf[64], *end, **cmd;
	int opt, dirfd, err, nuuid = 0, i;
	uint64_t gen = 0;

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

	x.dirfd = dirfd;
	x.cmd = cmd;
	err = nsctl_enter_ioctl(dirfd, &req, &x.e);
	if (err == -EOWNERDEAD) {
		/* The PID namespace's init died: give the container a new one. */
		if (nsctl_read_file(name, "generation", buf, sizeof(buf)) < 0)
			return fail(what, "no such container");
		err = nsctl_replace_pid_ns(dirfd, strtoull(buf, NULL, 10));
		if (!err)
			err = nsctl_enter_ioctl(dirfd, &req, &x.e);
	}
	if (err) {
		close(dirfd);
		return enter_failed(what, name, err);
	}
	return start_entered(&x, what, name);
}
