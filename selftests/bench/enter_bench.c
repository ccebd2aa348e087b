// SPDX-License-Identifier: GPL-2.0
/*
 * enter_bench: what entering a container costs through libnsctl, and what
 * making and deleting one costs, with 1, 1,000 and 100,000 containers
 * present; measured in one run and reported as ratios (no assertion about
 * time anywhere):
 *
 *   - "already inside": nsctl_enter_cached() on the fast path (five types:
 *     all but pid; one NSCTL_IOC_ENTER that finds nothing to switch),
 *     against a null ioctl on the same file (an unknown command, answered
 *     ENOTTY);
 *   - switching: nsctl_enter_cached() (a check-only ioctl plus the setns(2)
 *     calls, reusing the fds of its first enter), against the raw setns(2)
 *     sequence into the same namespaces with fds opened in advance, and
 *     against one setns(pidfd, flags) to a live process; and nsctl_enter(),
 *     which gets fresh fds every time;
 *   - create and delete: mkdir and rmdir of an empty container, and
 *     NSCTL_CMD_NEW_CONTAINER / NSCTL_CMD_DEL_CONTAINER through the tool's
 *     netlink client (ctl/genl.c), per call;
 *   - the memory per container at the largest size: the growth of Slab
 *     and of used memory (MemTotal - MemFree) over the fill, divided by
 *     the containers added.
 *
 * The container entered holds six namespaces: mnt, uts, ipc, net, cgroup
 * and pid (for children); the others are empty, made with mkdir.  Every
 * switching iteration goes in and comes back out with raw setns(2), the
 * same way for every method.
 *
 *	enter_bench [CALLS [MAX_CONTAINERS]]
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

#include "genl.h"
#include "bench.h"
#include "libnsctl.h"

#define TYPES (NSCTL_NS_BIT(NSCTL_NS_MNT) | NSCTL_NS_BIT(NSCTL_NS_UTS) | \
	       NSCTL_NS_BIT(NSCTL_NS_IPC) | NSCTL_NS_BIT(NSCTL_NS_NET) | \
	       NSCTL_NS_BIT(NSCTL_NS_CGROUP) | NSCTL_NS_BIT(NSCTL_NS_PID))
#define FAST_TYPES (TYPES & ~NSCTL_NS_BIT(NSCTL_NS_PID))
#define CLONE_FLAGS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | \
		     CLONE_NEWCGROUP | CLONE_NEWPID)

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
	double mkdir, rmdir, nl_new, nl_del;
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

/* A thread going back and forth keeps a cache per container and types. */
static struct nsctl_enter_cache fast_cache, cache;

static void enter_cached(int dirfd, uint64_t types, struct nsctl_enter_cache *c)
{
	struct nsctl_enter_req req = { .types = types };
	struct nsctl_enter_result res;
	int err = nsctl_enter_cached(dirfd, &req, c, &res);

	if (err) {
		errno = -err;
		die("nsctl_enter_cached");
	}
}

static void fast_path(int dirfd)
{
	enter_cached(dirfd, FAST_TYPES, &fast_cache);
}

static void enter_switch(int dirfd)
{
	enter_cached(dirfd, TYPES, &cache);
	back_home();
}

static void enter_fresh(int dirfd)
{
	struct nsctl_enter_req req = { .types = TYPES };
	struct nsctl_enter_result res;
	int err = nsctl_enter(dirfd, &req, &res);

	if (err) {
		errno = -err;
		die("nsctl_enter");
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
	void (*sw[])(int) = { enter_switch, raw_setns, pidfd_setns, enter_fresh };
	double out[4];
	int i;

	/* The raw method opens its fds in advance, once. */
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		raw[i] = -1;
		if (TYPES & NSCTL_NS_BIT(i))
			raw[i] = nsctl_get_ns(dirfd, i);
	}
	/*
	 * Fast path: enter once, then ask again and again from inside.  pid
	 * is left out: joining a PID namespace moves the caller's children
	 * only, never the caller, so the caller is never "already inside" it.
	 */
	fast_path(dirfd);
	interleave(dirfd, fast, 2, iters / ROUNDS, out);
	f->null_ioctl = out[0];
	f->fast = out[1];
	back_home();
	/* The caches' first enters, outside the timing, as a server's. */
	enter_switch(dirfd);
	interleave(dirfd, sw, 4, iters / 10 / ROUNDS, out);
	f->enter = out[0];
	f->raw = out[1];
	f->pidfd = out[2];
	f->enter_fresh = out[3];
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (raw[i] >= 0)
			close(raw[i]);
	nsctl_enter_cache_clear(&fast_cache);
	nsctl_enter_cache_clear(&cache);
}

/* Create and delete: @per empty containers each way, per call, rounds. */
static void churn(struct nsctl_genl *g, int per, struct figures *f)
{
	double t[4][ROUNDS], t0;
	struct nsctl_genl_new req;
	struct nsctl_ct_ref ref;
	char name[32], path[64];
	int r, k, err, i;

	for (r = 0; r < ROUNDS; r++) {
		t0 = now();
		for (k = 0; k < per; k++) {
			snprintf(path, sizeof(path), NSCTL_MOUNT_POINT "/cd-%d", k);
			if (mkdir(path, 0755))
				die("mkdir");
		}
		t[0][r] = (now() - t0) / per;
		t0 = now();
		for (k = 0; k < per; k++) {
			snprintf(path, sizeof(path), NSCTL_MOUNT_POINT "/cd-%d", k);
			if (rmdir(path))
				die("rmdir");
		}
		t[1][r] = (now() - t0) / per;
		t0 = now();
		for (k = 0; k < per; k++) {
			memset(&req, 0, sizeof(req));
			snprintf(name, sizeof(name), "nl-%d", k);
			req.name = name;
			req.cgroup_fd = -1;
			for (i = 0; i < NSCTL_NS_COUNT; i++)
				req.fds[i] = -1;
			err = nsctl_genl_new_container(g, &req, NULL);
			if (err) {
				errno = -err;
				die("NSCTL_CMD_NEW_CONTAINER");
			}
		}
		t[2][r] = (now() - t0) / per;
		t0 = now();
		for (k = 0; k < per; k++) {
			memset(&ref, 0, sizeof(ref));
			snprintf(name, sizeof(name), "nl-%d", k);
			ref.name = name;
			err = nsctl_genl_del_container(g, &ref, NULL);
			if (err) {
				errno = -err;
				die("NSCTL_CMD_DEL_CONTAINER");
			}
		}
		t[3][r] = (now() - t0) / per;
	}
	for (i = 0; i < 4; i++)
		qsort(t[i], ROUNDS, sizeof(double), cmp_double);
	f->mkdir = t[0][ROUNDS / 2];
	f->rmdir = t[1][ROUNDS / 2];
	f->nl_new = t[2][ROUNDS / 2];
	f->nl_del = t[3][ROUNDS / 2];
}

/* A /proc/meminfo field, in kB. */
static long meminfo(const char *field)
{
	char line[128];
	size_t len = strlen(field);
	long kb = -1;
	FILE *fp = fopen("/proc/meminfo", "re");

	while (fp && fgets(line, sizeof(line), fp))
		if (!strncmp(line, field, len) && line[len] == ':')
			kb = atol(line + len + 1);
	if (fp)
		fclose(fp);
	return kb;
}

static long used_kb(void)
{
	return meminfo("MemTotal") - meminfo("MemFree");
}

/* A live process inside the container, for setns(pidfd, flags). */
static pid_t start_live(int dirfd, pid_t *inner)
{
	pid_t live;
	int p[2];

	if (pipe(p))
		die("pipe");
	live = fork();
	if (live == 0) {
		struct nsctl_enter_req req = { .types = TYPES };
		struct nsctl_enter_result res;

		if (nsctl_enter(dirfd, &req, &res))
			_exit(1);
		*inner = fork();
		if (*inner == 0) {
			pause();
			_exit(0);
		}
		if (write(p[1], inner, sizeof(*inner)) != sizeof(*inner))
			_exit(1);
		waitpid(*inner, NULL, 0);
		_exit(0);
	}
	if (read(p[0], inner, sizeof(*inner)) != sizeof(*inner))
		die("live process");
	close(p[0]);
	close(p[1]);
	return live;
}

static void fill(int from, int to)
{
	char path[64];

	for (; from < to; from++) {
		snprintf(path, sizeof(path), NSCTL_MOUNT_POINT "/e-%d", from);
		if (mkdir(path, 0755))
			die("mkdir");
	}
}

static void print(const int *counts, int n, const struct figures *f, int iters)
{
	const struct figures *a = &f[0], *z = &f[n - 1];
	int c;

	printf("enter, ns per call, median of %d interleaved rounds (%d calls fast path, %d switching):\n",
	       ROUNDS, iters, iters / 10);
	printf("%10s %10s %9s %6s | %11s %9s %12s %7s %8s | %11s %7s\n", "containers",
	       "null ioctl", "fast path", "ratio", "enter_cached", "raw setns", "setns(pidfd)",
	       "vs raw", "vs pidfd", "nsctl_enter", "vs raw");
	for (c = 0; c < n; c++)
		printf("%10d %10.0f %9.0f %6.2f | %11.0f %9.0f %12.0f %7.2f %8.2f | %11.0f %7.2f\n",
		       counts[c], f[c].null_ioctl, f[c].fast, f[c].fast / f[c].null_ioctl,
		       f[c].enter, f[c].raw, f[c].pidfd, f[c].enter / f[c].raw,
		       f[c].enter / f[c].pidfd, f[c].enter_fresh, f[c].enter_fresh / f[c].raw);
	printf("\ncreate and delete an empty container, us per call, median of %d rounds:\n", ROUNDS);
	printf("%10s %9s %9s %11s %11s\n", "containers", "mkdir", "rmdir", "netlink new",
	       "netlink del");
	for (c = 0; c < n; c++)
		printf("%10d %9.1f %9.1f %11.1f %11.1f\n", counts[c], f[c].mkdir / 1e3,
		       f[c].rmdir / 1e3, f[c].nl_new / 1e3, f[c].nl_del / 1e3);
	printf("\ngrowth from 1 to %d containers: fast path %.2fx, enter_cached %.2fx, nsctl_enter %.2fx,\n"
	       "  mkdir %.2fx, rmdir %.2fx, netlink new %.2fx, netlink del %.2fx\n",
	       counts[n - 1], z->fast / a->fast, z->enter / a->enter,
	       z->enter_fresh / a->enter_fresh, z->mkdir / a->mkdir, z->rmdir / a->rmdir,
	       z->nl_new / a->nl_new, z->nl_del / a->nl_del);
}

int main(int argc, char **argv)
{
	int sizes[] = { 1, 1000, 100000 };
	int iters = argc > 1 ? atoi(argv[1]) : 20000;
	int max = argc > 2 ? atoi(argv[2]) : 100000;
	int counts[3], n = 0, made = 1, dirfd, err;
	long slab0, used0;
	struct figures f[3];
	struct nsctl_genl *g;
	char path[64];
	pid_t live, inner;
	double t0;
	size_t c;

	if (nsctl_ensure_mounted())
		die("mount");
	err = nsctl_genl_open(&g);
	if (err) {
		errno = -err;
		die("netlink");
	}
	for (c = 0; c < NSCTL_NS_COUNT; c++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", nsctl_type_proc_file(c));
		own[c] = open(path, O_RDONLY | O_CLOEXEC);
	}
	nsctl_enter_cache_init(&fast_cache);
	nsctl_enter_cache_init(&cache);
	make_container("bench");
	dirfd = nsctl_open("bench");
	live = start_live(dirfd, &inner);
	pidfd = syscall(SYS_pidfd_open, inner, 0);
	if (pidfd < 0)
		die("pidfd_open");

	/* The largest size is MAX_CONTAINERS when that is smaller. */
	if (max > 1 && max < sizes[2])
		sizes[max <= sizes[1] ? 1 : 2] = max;
	slab0 = meminfo("Slab");
	used0 = used_kb();
	for (c = 0; c < 3 && sizes[c] <= max; c++) {
		counts[n] = sizes[c];
		t0 = now();
		fill(made - 1, sizes[c] - 1);
		if (sizes[c] > made)
			printf("%d empty containers made with mkdir in %.1f s\n",
			       sizes[c] - made, (now() - t0) / 1e9);
		made = sizes[c];
		measure(dirfd, iters, &f[n]);
		churn(g, 100, &f[n]);
		n++;
		fflush(stdout);
	}
	printf("largest size: %d containers\n", made);
	if (made > 1)
		printf("memory per container at %d: Slab %.2f KiB, used (MemTotal - MemFree) %.2f KiB\n",
		       made, (double)(meminfo("Slab") - slab0) / (made - 1),
		       (double)(used_kb() - used0) / (made - 1));
	print(counts, n, f, iters);

	kill(inner, SIGKILL);
	waitpid(live, NULL, 0);
	close(pidfd);
	close(dirfd);
	nsctl_genl_close(g);
	t0 = now();
	for (; made > 1; made--) {
		snprintf(path, sizeof(path), NSCTL_MOUNT_POINT "/e-%d", made - 2);
		rmdir(path);
	}
	printf("empty containers removed with rmdir in %.1f s\n", (now() - t0) / 1e9);
	if (rmdir(NSCTL_MOUNT_POINT "/bench"))
		die("rmdir bench");
	return 0;
}
