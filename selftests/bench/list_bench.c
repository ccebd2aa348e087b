// SPDX-License-Identifier: GPL-2.0
/*
 * list_bench: listing containers with "nsctl list" (one generic netlink
 * dump) against listing named network namespaces with "ip netns list"
 * (a readdir of /run/netns and a netns id query for each), both with as
 * many entries, in one run: methods interleaved over nine rounds, the
 * median kept.  Asserts nothing about time.  Containers are also listed
 * alone at the full count first.
 *
 *	list_bench CONTAINERS NETNS [SECONDS]
 *
 * The named network namespaces are made as "ip netns add" makes them (a
 * file in /run/netns, unshare(CLONE_NEWNET), a bind mount of the new
 * namespace onto the file), by this program rather than by running ip,
 * to keep the set-up inside the VM's time limit.  Their creation stops
 * early when the guest runs low on memory or past SECONDS (default 120);
 * the comparison is then made at the count reached, and said so: a named
 * network namespace costs some 200 KiB in the guest, a container much
 * less.
 */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <linux/nsctl.h>

#define ROUNDS	9
#define NETNS_DIR	"/run/netns"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "list_bench: %s: %s\n", what, strerror(err));
	exit(1);
}

static long mem_available_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/* Run @argv with its output discarded; seconds it took, or -1. */
static double run(char *const argv[])
{
	double t0 = now_s();
	int status;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	return now_s() - t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void make_containers(int from, int to)
{
	char path[128];
	int i;

	for (i = from; i < to; i++) {
		snprintf(path, sizeof(path), NSCTL_MOUNT_POINT "/lb-%d", i);
		if (mkdir(path, 0755))
			die("mkdir", errno);
	}
}

static void remove_containers(int from, int to)
{
	char path[128];
	int i;

	for (i = from; i < to; i++) {
		snprintf(path, sizeof(path), NSCTL_MOUNT_POINT "/lb-%d", i);
		rmdir(path);
	}
}

/*
 * In a child, so that this process keeps its own network namespace: a
 * named namespace per iteration, until @n, low memory or @deadline.
 * Returns how many were made.
 */
static int make_netns(int n, double deadline)
{
	int p[2], made = 0, status;
	pid_t pid;

	mkdir(NETNS_DIR, 0755);
	if (pipe(p))
		die("pipe", errno);
	pid = fork();
	if (pid == 0) {
		char path[128];
		int i, fd;

		close(p[0]);
		for (i = 0; i < n; i++) {
			/* Room left for as many containers and the listings. */
			if (now_s() > deadline || mem_available_kb() < 200 * 1024)
				break;
			snprintf(path, sizeof(path), NETNS_DIR "/lb-%d", i);
			fd = open(path, O_RDONLY | O_CREAT | O_EXCL, 0);
			if (fd < 0)
				break;
			close(fd);
			if (unshare(CLONE_NEWNET) ||
			    mount("/proc/self/ns/net", path, "none", MS_BIND, NULL)) {
				unlink(path);
				break;
			}
		}
		if (write(p[1], &i, sizeof(i)) != sizeof(i))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &made, sizeof(made)) != sizeof(made))
		made = 0;
	close(p[0]);
	waitpid(pid, &status, 0);
	return made;
}

static void remove_netns(int n)
{
	char path[128];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), NETNS_DIR "/lb-%d", i);
		umount2(path, MNT_DETACH);
		unlink(path);
	}
}

/* Median seconds of "nsctl list" and "ip netns list", interleaved. */
static void measure(double *nsctl, double *ip)
{
	char *nsctl_argv[] = { "/usr/local/sbin/nsctl", "list", NULL };
	char *ip_argv[] = { "/usr/local/bin/ip", "netns", "list", NULL };
	double a[ROUNDS], b[ROUNDS];
	int r;

	for (r = 0; r < ROUNDS; r++) {
		a[r] = run(nsctl_argv);
		b[r] = run(ip_argv);
		if (a[r] < 0 || b[r] < 0) {
			fprintf(stderr, "list_bench: a listing command failed\n");
			exit(1);
		}
	}
	qsort(a, ROUNDS, sizeof(double), cmp_double);
	qsort(b, ROUNDS, sizeof(double), cmp_double);
	*nsctl = a[ROUNDS / 2];
	*ip = b[ROUNDS / 2];
}

int main(int argc, char **argv)
{
	int ncont = argc > 1 ? atoi(argv[1]) : 10000;
	int nnetns = argc > 2 ? atoi(argv[2]) : 10000;
	double secs = argc > 3 ? atof(argv[3]) : 120;
	char *nsctl_argv[] = { "/usr/local/sbin/nsctl", "list", NULL };
	double t0, nsctl, ip, v[ROUNDS];
	long avail;
	int made, r;

	/* Containers alone at the full count: they are cheap. */
	/*
	 * No memory figure: a container's dentries and inodes count as
	 * reclaimable, so MemAvailable hardly moves and says nothing.
	 */
	t0 = now_s();
	make_containers(0, ncont);
	printf("  %d containers made with mkdir in %.1f s\n", ncont, now_s() - t0);
	for (r = 0; r < ROUNDS; r++) {
		v[r] = run(nsctl_argv);
		if (v[r] < 0)
			die("nsctl list", EIO);
	}
	qsort(v, ROUNDS, sizeof(double), cmp_double);
	printf("  %6d containers: nsctl list %8.1f ms (%.1f us per container)\n",
	       ncont, v[ROUNDS / 2] * 1e3, v[ROUNDS / 2] * 1e6 / ncont);
	remove_containers(0, ncont);

	/*
	 * Named network namespaces cost far more memory: as many as fit,
	 * then as many containers, both listed in the same rounds.
	 */
	t0 = now_s();
	avail = mem_available_kb();
	made = make_netns(nnetns, now_s() + secs);
	if (!made)
		die("no network namespace made", errno);
	printf("  %d named network namespaces made in %.1f s (%.1f ms, %.0f KiB each)%s\n",
	       made, now_s() - t0, (now_s() - t0) * 1e3 / made,
	       (double)(avail - mem_available_kb()) / made,
	       made < nnetns ? "; stopped there: guest memory or time limit" : "");
	make_containers(0, made);
	measure(&nsctl, &ip);
	printf("  %6d of each: nsctl list %8.1f ms | ip netns list %8.1f ms | ip/nsctl %.2f\n",
	       made, nsctl * 1e3, ip * 1e3, ip / nsctl);
	printf("  per entry: nsctl list %.1f us/container, ip netns list %.1f us/netns\n",
	       nsctl * 1e6 / made, ip * 1e6 / made);
	remove_containers(0, made);
	remove_netns(made);
	return 0;
}
