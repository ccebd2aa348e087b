// SPDX-License-Identifier: GPL-2.0
/*
 * enter_bench: what entering a container costs, measured in one run and
 * reported as ratios (no assertion about time anywhere):
 *
 *   - "already inside": NSCTL_IOC_ENTER on the fast path (five types: all
 *     but pid), against a null ioctl on the same file (an unknown
 *     command, answered ENOTTY);
 *   - switching: a check-only enter plus the setns(2) calls, with the fds
 *     of an earlier enter of the same generation (libnsctl's cached
 *     enter), against the raw setns(2) sequence into the same namespaces
 *     with fds opened in advance, and against one setns(pidfd, flags) to a
 *     live process; and an enter that gets fresh fds every time;
 *   - both with 1, 16, 128 and 1,024 containers present.
 *
 * The container entered holds six namespaces: mnt, uts, ipc, net, cgroup
 * and pid (for children).  Every switching iteration goes in and comes back
 * out with raw setns(2), the same way for every method.
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
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "libnsctl.h"

#define TYPES (NSCTL_NS_BIT(NSCTL_NS_MNT) | NSCTL_NS_BIT(NSCTL_NS_UTS) | \
	       NSCTL_NS_BIT(NSCTL_NS_IPC) | NSCTL_NS_BIT(NSCTL_NS_NET) | \
	       NSCTL_NS_BIT(NSCTL_NS_CGROUP) | NSCTL_NS_BIT(NSCTL_NS_PID))
#define FAST_TYPES (TYPES & ~NSCTL_NS_BIT(NSCTL_NS_PID))
#define CLONE_FLAGS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | \
		     CLONE_NEWCGROUP | CLONE_NEWPID)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "enter_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* A container named NAME holding fresh namespaces of TYPES. */
static void make_container(const char *name)
{
	int go[2], ready[2], fds[NSCTL_NS_COUNT], dirfd, i;
	char path[128], c;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", NSCTL_MOUNT_POINT, name);
	if (mkdir(path, 0755))
		die("mkdir");
	if (pipe(go) || pipe(ready))
		die("pipe");
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		c = unshare(CLONE_FLAGS) ? 1 : 0;
		if (!c && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
			c = 1;
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	if (read(ready[0], &c, 1) != 1 || c)
		die("unshare");
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		fds[i] = -1;
		if (!(TYPES & NSCTL_NS_BIT(i)) || i == NSCTL_NS_PID)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, nsctl_type_proc_file(i));
		fds[i] = open(path, O_RDONLY | O_CLOEXEC);
	}
	dirfd = nsctl_open(name);
	if (dirfd < 0 || nsctl_set_ns(dirfd, TYPES, fds, pid, 0, NULL, NULL))
		die("attach");
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	close(dirfd);
	if (write(go[1], "x", 1) != 1)
		die("write");
	waitpid(pid, NULL, 0);
	close(go[0]);
	close(go[1]);
	close(ready[0]);
	close(ready[1]);
}

struct figures {
	double null_ioctl, fast, enter, enter_fresh, raw, pidfd;
};

static int own[NSCTL_NS_COUNT];

static void back_home(void)
{
	int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if ((TYPES & NSCTL_NS_BIT(i)) && setns(own[i], 0))
			die("setns home");
}

static const unsigned int order[] = {
	NSCTL_NS_UTS, NSCTL_NS_IPC, NSCTL_NS_NET, NSCTL_NS_CGROUP,
	NSCTL_NS_PID, NSCTL_NS_MNT,
};

static void null_ioctl(int dirfd)
{
	ioctl(dirfd, _IO(NSCTL_IOC_MAGIC, 99));
}

static void fast_path(int dirfd)
{
	struct nsctl_enter e = { .types = FAST_TYPES };

	if (ioctl(dirfd, NSCTL_IOC_ENTER, &e) || e.entered)
		die("fast path");
}

/* nsctl's way for a thread going back and forth: check only, reuse fds. */
static int cached[NSCTL_NS_COUNT];
static uint64_t cached_gen;

static void enter_cached(int dirfd)
{
	struct nsctl_enter e = {
		.flags = NSCTL_ENTER_NO_FDS | NSCTL_ENTER_CHECK_GEN,
		.generation = cached_gen,
		.types = TYPES,
	};
	int i;

	if (ioctl(dirfd, NSCTL_IOC_ENTER, &e))
		die("enter ioctl");
	for (i = 0; i < 6; i++)
		if ((e.entered & NSCTL_NS_BIT(order[i])) && setns(cached[order[i]], 0))
			die("setns");
	back_home();
}

static void enter_fresh(int dirfd)
{
	struct nsctl_enter e = { .types = TYPES };
	int i;

	if (ioctl(dirfd, NSCTL_IOC_ENTER, &e))
		die("enter ioctl");
	for (i = 0; i < 6; i++) {
		if (e.fds[order[i]] < 0)
			continue;
		if (setns(e.fds[order[i]], 0))
			die("setns");
		close(e.fds[order[i]]);
	}
	back_home();
}

static int raw[NSCTL_NS_COUNT];

static void raw_setns(int dirfd)
{
	int i;

	(void)dirfd;
	for (i = 0; i < 6; i++)
		if (setns(raw[order[i]], 0))
			die("raw setns");
	back_home();
}

static int pidfd;

static void pidfd_setns(int dirfd)
{
	(void)dirfd;
	if (setns(pidfd, CLONE_FLAGS))
		die("setns(pidfd)");
	back_home();
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Time @n methods in @rounds interleaved rounds of @per calls each, so that
 * drift in the emulator's speed hits them all alike; the median round.
 */
#define ROUNDS 9
static void interleave(int dirfd, void (*fn[])(int), int n, int per, double *out)
{
	double t[8][ROUNDS], t0;
	int r, m, k;

	for (r = 0; r < ROUNDS; r++) {
		for (m = 0; m < n; m++) {
			t0 = now();
			for (k = 0; k < per; k++)
				fn[m](dirfd);
			t[m][r] = (now() - t0) / per;
		}
	}
	for (m = 0; m < n; m++) {
		qsort(t[m], ROUNDS, sizeof(double), cmp_double);
		out[m] = t[m][ROUNDS / 2];
	}
}

static void measure(int dirfd, int iters, struct figures *f)
{
	void (*fast[])(int) = { null_ioctl, fast_path };
	void (*sw[])(int) = { enter_cached, raw_setns, pidfd_setns, enter_fresh };
	struct nsctl_enter e = { .types = TYPES };
	double out[4];
	int i;

	/* The raw method opens its fds in advance, once. */
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		raw[i] = -1;
		if (TYPES & NSCTL_NS_BIT(i))
			raw[i] = nsctl_get_ns(dirfd, i);
	}
	if (ioctl(dirfd, NSCTL_IOC_ENTER, &e))
		die("enter ioctl");
	memcpy(cached, e.fds, sizeof(cached));
	cached_gen = e.generation;

	/*
	 * Fast path: enter once, then ask again and again from inside.  pid
	 * is left out: joining a PID namespace moves the caller's children
	 * only, never the caller, so the caller is never "already inside" it.
	 */
	{
		struct nsctl_enter_req req = { .types = FAST_TYPES };
		struct nsctl_enter_result res;

		if (nsctl_enter(dirfd, &req, &res))
			die("enter");
		interleave(dirfd, fast, 2, iters / ROUNDS, out);
		f->null_ioctl = out[0];
		f->fast = out[1];
		back_home();
	}
	interleave(dirfd, sw, 4, iters / 10 / ROUNDS, out);
	f->enter = out[0];
	f->raw = out[1];
	f->pidfd = out[2];
	f->enter_fresh = out[3];

	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (raw[i] >= 0)
			close(raw[i]);
		if (cached[i] >= 0)
			close(cached[i]);
	}
}

int main(int argc, char **argv)
{
	static const int counts[] = { 1, 16, 128, 1024 };
	int iters = argc > 1 ? atoi(argv[1]) : 20000, made = 0, dirfd, p[2];
	struct figures f[4];
	char name[32], path[64];
	size_t c;
	pid_t live, inner;

	if (nsctl_ensure_mounted())
		die("mount");
	for (c = 0; c < NSCTL_NS_COUNT; c++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", nsctl_type_proc_file(c));
		own[c] = open(path, O_RDONLY | O_CLOEXEC);
	}
	make_container("bench0");
	made = 1;
	dirfd = nsctl_open("bench0");

	/* A live process inside, for setns(pidfd, flags). */
	if (pipe(p))
		die("pipe");
	live = fork();
	if (live == 0) {
		struct nsctl_enter_req req = { .types = TYPES };
		struct nsctl_enter_result res;

		if (nsctl_enter(dirfd, &req, &res))
			_exit(1);
		inner = fork();
		if (inner == 0) {
			pause();
			_exit(0);
		}
		if (write(p[1], &inner, sizeof(inner)) != sizeof(inner))
			_exit(1);
		waitpid(inner, NULL, 0);
		_exit(0);
	}
	if (read(p[0], &inner, sizeof(inner)) != sizeof(inner))
		die("live process");
	pidfd = syscall(SYS_pidfd_open, inner, 0);
	if (pidfd < 0)
		die("pidfd_open");

	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		for (; made < counts[c]; made++) {
			snprintf(name, sizeof(name), "bench%d", made);
			make_container(name);
		}
		measure(dirfd, iters, &f[c]);
	}

	printf("enter, ns per call, median of %d interleaved rounds (%d calls fast path, %d switching):\n",
	       ROUNDS, iters, iters / 10);
	printf("%10s %10s %9s %6s | %11s %9s %12s %7s %8s | %11s %7s\n", "containers",
	       "null ioctl", "fast path", "ratio", "enter+setns", "raw setns", "setns(pidfd)",
	       "vs raw", "vs pidfd", "fresh fds", "vs raw");
	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++)
		printf("%10d %10.0f %9.0f %6.2f | %11.0f %9.0f %12.0f %7.2f %8.2f | %11.0f %7.2f\n",
		       counts[c], f[c].null_ioctl, f[c].fast, f[c].fast / f[c].null_ioctl,
		       f[c].enter, f[c].raw, f[c].pidfd, f[c].enter / f[c].raw,
		       f[c].enter / f[c].pidfd, f[c].enter_fresh, f[c].enter_fresh / f[c].raw);
	printf("growth from 1 to 1024 containers: fast path %.2fx, switching enter %.2fx\n",
	       f[3].fast / f[0].fast, f[3].enter / f[0].enter);

	kill(inner, SIGKILL);
	waitpid(live, NULL, 0);
	close(dirfd);
	for (; made > 0; made--) {
		snprintf(path, sizeof(path), "%s/bench%d", NSCTL_MOUNT_POINT, made - 1);
		rmdir(path);
	}
	return 0;
}
