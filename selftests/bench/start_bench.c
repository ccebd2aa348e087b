// SPDX-License-Identifier: GPL-2.0
/*
 * start_bench: what starting a command inside a container costs end to
 * end, measured in one run and reported as ratios (no assertion about
 * time anywhere).  Each start is a fork and exec of a program that ends
 * by running /bin/true inside a container holding mnt, uts, ipc, net,
 * cgroup and pid namespaces and a cgroup, whose PID namespace has a live
 * init (so no start makes a fresh one):
 *
 *   - nsctl enter NAME -- /bin/true: the command's process created in the
 *     cgroup with clone3(2)'s CLONE_INTO_CGROUP;
 *   - the same with NSCTL_NO_CLONE_INTO_CGROUP=1: nsctl writes "0" to the
 *     cgroup's cgroup.procs (the fallback);
 *   - nsenter --all -t PID /bin/true: util-linux, which joins no cgroup;
 *   - this program as a minimal helper doing the same in raw system calls:
 *     setns(2) into the container's namespaces, the cgroup.procs write,
 *     fork, exec; and again with clone3 in place of the write and fork;
 *   - a plain fork and exec of /bin/true, for scale.
 *
 * Methods are interleaved over rounds and each one's median round kept.
 */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/sched.h>

#include "bench.h"

#define NAME "startbench"
#define CGDIR "/sys/fs/cgroup/nsctl/" NAME
#define ROUNDS 9

extern char **environ;

/* Fork, exec @argv with @envp, wait: its status, or -1 if it could not run. */
static int run(char *const argv[], char *const envp[], int out_fd)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (out_fd >= 0)
			dup2(out_fd, 1);
		execvpe(argv[0], argv, envp);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- the helper: this program, run as "start_bench -h MODE PID CMD" ---- */

static const char *const ns_order[] = { "uts", "ipc", "net", "cgroup", "pid", "mnt" };
enum { N_UTS, N_IPC, N_NET, N_CGROUP, N_PID, N_MNT, N_COUNT };

static void enter(const int *fds, int from, int to)
{
	int i;

	for (i = from; i < to; i++)
		if (setns(fds[i], 0))
			die(ns_order[i]);
}

static int wait_child(pid_t pid)
{
	int status;

	if (pid < 0)
		die("fork");
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* "write": the cgroup.procs way; "clone": clone3 into the cgroup. */
static int helper(const char *mode, const char *target, char **cmd)
{
	struct clone_args args = { .flags = CLONE_INTO_CGROUP, .exit_signal = SIGCHLD };
	int fds[N_COUNT], procs, cg, i;
	char path[64];
	pid_t pid;

	for (i = 0; i < N_COUNT; i++) {
		snprintf(path, sizeof(path), "/proc/%s/ns/%s", target, ns_order[i]);
		fds[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0)
			die(path);
	}
	if (!strcmp(mode, "write")) {
		procs = open(CGDIR "/cgroup.procs", O_WRONLY | O_CLOEXEC);
		if (procs < 0)
			die("cgroup.procs");
		/* The cgroup before its namespace (nsdelegate). */
		enter(fds, N_UTS, N_CGROUP);
		if (write(procs, "0", 1) != 1)
			die("cgroup.procs write");
		enter(fds, N_CGROUP, N_COUNT);
		pid = fork();
		if (pid == 0) {
			execv(cmd[0], cmd);
			_exit(127);
		}
		return wait_child(pid);
	}
	cg = open(CGDIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg < 0)
		die("cgroup");
	args.cgroup = cg;
	enter(fds, N_UTS, N_CGROUP);
	enter(fds, N_PID, N_PID + 1);
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0) {
		enter(fds, N_CGROUP, N_CGROUP + 1);
		enter(fds, N_MNT, N_COUNT);
		execv(cmd[0], cmd);
		_exit(127);
	}
	return wait_child(pid);
}

/* ---- the benchmark ---- */

static char target[16];
static char *clone_env[64], *write_env[65];

/* The command last, and a spare slot for show_cgroups()'s argument. */
static char *m_nsctl[] = { "nsctl", "enter", NAME, "--", "/bin/true", NULL, NULL };
static char *m_nsenter[] = { "nsenter", "--all", "-t", target, "/bin/true", NULL, NULL };
static char *m_helper_w[] = { "/proc/self/exe", "-h", "write", target, "/bin/true", NULL, NULL };
static char *m_helper_c[] = { "/proc/self/exe", "-h", "clone", target, "/bin/true", NULL, NULL };
static char *m_plain[] = { "/bin/true", NULL, NULL };

struct method {
	const char *label;
	char **argv;
	char **envp;
	double median;
};

static struct method methods[] = {
	{ "nsctl enter (clone3 into the cgroup)", m_nsctl, clone_env, 0 },
	{ "nsctl enter, NSCTL_NO_CLONE_INTO_CGROUP=1 (cgroup.procs)", m_nsctl, write_env, 0 },
	{ "nsenter --all (no cgroup join)", m_nsenter, clone_env, 0 },
	{ "helper: setns + cgroup.procs write + fork + exec", m_helper_w, clone_env, 0 },
	{ "helper: setns + clone3 into the cgroup + exec", m_helper_c, clone_env, 0 },
	{ "plain fork + exec of /bin/true", m_plain, clone_env, 0 },
};
#define N_METHODS (sizeof(methods) / sizeof(methods[0]))

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void setup_env(void)
{
	int n = 0;

	char **e;

	/* The parent's environment, without the variable, and with it. */
	for (e = environ; *e && n < 63; e++) {
		if (!strncmp(*e, "NSCTL_NO_CLONE_INTO_CGROUP=", 27))
			continue;
		clone_env[n] = *e;
		write_env[n++] = *e;
	}
	write_env[n] = "NSCTL_NO_CLONE_INTO_CGROUP=1";
}

/* The container, and a process in it that keeps its PID namespace's init. */
static pid_t setup(void)
{
	char *create[] = { "nsctl", "create", NAME, NULL };
	char *hold[] = { "nsctl", "enter", NAME, "--", "sleep", "1000000", NULL };
	char line[32], path[64], comm[32];
	FILE *f;
	pid_t keeper;
	int i, fd, n;

	if (run(create, environ, -1))
		die("nsctl create " NAME);
	keeper = fork();
	if (keeper == 0) {
		execvp(hold[0], hold);
		_exit(127);
	}
	/* The target for nsenter: the sleep, in every namespace. */
	for (i = 0; i < 600; i++) {
		f = fopen(CGDIR "/cgroup.procs", "re");
		if (!f)
			die(CGDIR);
		while (fgets(line, sizeof(line), f)) {
			snprintf(path, sizeof(path), "/proc/%d/comm", atoi(line));
			fd = open(path, O_RDONLY | O_CLOEXEC);
			n = fd < 0 ? 0 : read(fd, comm, sizeof(comm) - 1);
			if (fd >= 0)
				close(fd);
			if (n == 6 && !strncmp(comm, "sleep\n", 6))
				snprintf(target, sizeof(target), "%d", atoi(line));
		}
		fclose(f);
		if (*target)
			return keeper;
		usleep(100000);
	}
	errno = ETIMEDOUT;
	die("the container's init");
	return -1;
}

static void teardown(pid_t keeper)
{
	char *del[] = { "nsctl", "delete", "--force", NAME, NULL };

	/* Forwarded to the sleep through the init, which then exits. */
	kill(keeper, SIGTERM);
	waitpid(keeper, NULL, 0);
	run(del, environ, -1);
}

/* What each method's command sees as its cgroup, once, before timing. */
static void show_cgroups(void)
{
	char buf[256], **a;
	int p[2], last;
	size_t m;
	ssize_t n;

	for (m = 0; m < N_METHODS; m++) {
		a = methods[m].argv;
		if (!a)
			continue;
		for (last = 0; a[last + 1]; last++)
			;
		a[last] = "/bin/cat";
		a[last + 1] = "/proc/self/cgroup";
		if (pipe(p))
			die("pipe");
		if (run(a, methods[m].envp, p[1]))
			die(methods[m].label);
		close(p[1]);
		n = read(p[0], buf, sizeof(buf) - 1);
		close(p[0]);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		printf("  %-58s %s\n", methods[m].label, buf);
		a[last] = "/bin/true";
		a[last + 1] = NULL;
	}
}

static void measure(int per)
{
	double t[N_METHODS][ROUNDS], t0;
	size_t m;
	int r, k;

	for (r = 0; r < ROUNDS; r++) {
		for (m = 0; m < N_METHODS; m++) {
			if (!methods[m].argv)
				continue;
			t0 = now();
			for (k = 0; k < per; k++)
				if (run(methods[m].argv, methods[m].envp, -1))
					die(methods[m].label);
			t[m][r] = (now() - t0) / per;
		}
	}
	for (m = 0; m < N_METHODS; m++) {
		if (!methods[m].argv)
			continue;
		qsort(t[m], ROUNDS, sizeof(double), cmp_double);
		methods[m].median = t[m][ROUNDS / 2];
	}
}

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 450;
	char *probe[] = { "nsenter", "--version", NULL };
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	double ref;
	pid_t keeper;
	size_t m;

	if (argc >= 5 && !strcmp(argv[1], "-h"))
		return helper(argv[2], argv[3], argv + 4);
	printf("== start: nsctl enter NAME -- /bin/true against nsenter and raw system calls\n");
	setup_env();
	if (run(probe, environ, null)) {
		printf("nsenter (util-linux) is not installed: its row is left out\n");
		methods[2].argv = NULL;
	}
	keeper = setup();
	printf("each method's command, once, as /bin/cat /proc/self/cgroup:\n");
	show_cgroups();
	measure(iters / ROUNDS > 0 ? iters / ROUNDS : 1);
	teardown(keeper);

	ref = methods[3].median;
	printf("start of /bin/true in a container, us per start, median of %d interleaved rounds "
	       "of %d starts:\n", ROUNDS, iters / ROUNDS);
	printf("  %-58s %9s %14s\n", "method", "us", "vs helper+write");
	for (m = 0; m < N_METHODS; m++)
		if (methods[m].argv)
			printf("  %-58s %9.0f %14.2f\n", methods[m].label, methods[m].median / 1e3,
			       methods[m].median / ref);
	printf("nsctl enter, clone3 against its cgroup.procs fallback: %.2f\n",
	       methods[0].median / methods[1].median);
	printf("\n");
	return 0;
}
