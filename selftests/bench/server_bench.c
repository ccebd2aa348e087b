// SPDX-License-Identifier: GPL-2.0
/*
 * server_bench: a server serving many tenants from a few threads, each
 * request in the tenant's network namespace.  One process, THREADS
 * threads, CONTAINERS containers each holding a network namespace.  A
 * request picks the next container (round robin, each thread starting
 * at its own offset), switches the thread's network namespace into it,
 * and does a small unit of work: socket(AF_INET, SOCK_DGRAM) and close.
 * Four ways, interleaved over nine rounds, the median kept:
 *
 *   - no switch: the work alone, in the process's own namespace;
 *   - nsctl: nsctl_enter_cached() (types = net, one nsctl_enter_cache
 *     per container per thread: a check, and one setns(2) when the thread
 *     is not in the container's namespace already);
 *   - raw: setns(2) on the container's net fd, opened in advance, on
 *     every request;
 *   - raw, skipping: the same, skipped when the thread's last request was
 *     for the same container (what a server does by itself, unchecked).
 *
 * Twice: every request for the next container, and in bursts of BURST
 * requests for one container (as keep-alive connections bring them).
 * Reports requests per second of each and the throughput lost to
 * switching, in percent of the no-switch rate.  Asserts nothing.
 *
 *	server_bench [REQUESTS_PER_THREAD_PER_ROUND]
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "libnsctl.h"

#define THREADS		4
#define CONTAINERS	512
#define ROUNDS		9
#define NET		NSCTL_NS_BIT(NSCTL_NS_NET)
#define NOFILE		((THREADS + 2) * CONTAINERS + 64)
#define BURST		8

enum method { NONE, NSCTL, RAW, RAW_SKIP, METHODS };

static const char *const method_name[METHODS] = {
	"no switch (socket+close only)", "nsctl_enter_cached (net)",
	"raw setns(fd) every request", "raw setns(fd), skipped if same",
};

static int dirfds[CONTAINERS];
static int netfds[CONTAINERS];
static struct nsctl_enter_cache caches[THREADS][CONTAINERS];
static int requests, burst;

static void die(const char *what, int err)
{
	fprintf(stderr, "server_bench: %s: %s\n", what, strerror(err));
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Container sb-N holding a fresh network namespace, made by this thread. */
static void make_container(int n, int home)
{
	int fds[NSCTL_NS_COUNT], i, err;
	char name[16], path[64];

	snprintf(name, sizeof(name), "sb-%d", n);
	snprintf(path, sizeof(path), NSCTL_MOUNT_POINT "/%s", name);
	if (mkdir(path, 0755))
		die("mkdir", errno);
	dirfds[n] = nsctl_open(name);
	if (dirfds[n] < 0)
		die("open", -dirfds[n]);
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		fds[i] = -1;
	if (unshare(CLONE_NEWNET))
		die("unshare", errno);
	fds[NSCTL_NS_NET] = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fds[NSCTL_NS_NET] < 0)
		die("open ns", errno);
	err = nsctl_set_ns(dirfds[n], NET, fds, 0, 0, NULL, NULL);
	if (err)
		die("attach", -err);
	netfds[n] = fds[NSCTL_NS_NET];
	if (setns(home, CLONE_NEWNET))
		die("setns home", errno);
}

static void work(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		die("socket", errno);
	close(s);
}

struct thread {
	pthread_t tid;
	int idx;
	enum method m;
};

static void *serve(void *arg)
{
	struct thread *t = arg;
	struct nsctl_enter_req req = { .types = NET };
	struct nsctl_enter_result res;
	int k, c = t->idx * (CONTAINERS / THREADS), last = -1, err;

	for (k = 0; k < requests; k++) {
		if (k && k % burst == 0)
			c = (c + 1) % CONTAINERS;
		if (t->m == NSCTL) {
			err = nsctl_enter_cached(dirfds[c], &req, &caches[t->idx][c], &res);
			if (err)
				die("nsctl_enter_cached", -err);
		} else if ((t->m == RAW || (t->m == RAW_SKIP && c != last)) &&
			   setns(netfds[c], CLONE_NEWNET)) {
			die("setns", errno);
		}
		last = c;
		work();
	}
	return NULL;
}

/* Requests per second of THREADS threads serving @requests each. */
static double run(enum method m)
{
	struct thread t[THREADS];
	double t0 = now();
	int i, err;

	for (i = 0; i < THREADS; i++) {
		t[i].idx = i;
		t[i].m = m;
		err = pthread_create(&t[i].tid, NULL, serve, &t[i]);
		if (err)
			die("pthread_create", err);
	}
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i].tid, NULL);
	return (double)THREADS * requests / (now() - t0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct rlimit rl = { NOFILE, NOFILE };
	double rate[METHODS][ROUNDS], med[METHODS], t0;
	int home, i, r, m;
	char path[64];

	/* Fds: a dirfd, a net fd and one per thread's cache, per container. */
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit", errno);
	requests = argc > 1 ? atoi(argv[1]) : 2000;
	if (requests < CONTAINERS)
		requests = CONTAINERS;
	if (nsctl_ensure_mounted())
		die("mount", errno);
	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0)
		die("open", errno);
	t0 = now();
	for (i = 0; i < CONTAINERS; i++)
		make_container(i, home);
	for (i = 0; i < THREADS; i++)
		for (r = 0; r < CONTAINERS; r++)
			nsctl_enter_cache_init(&caches[i][r]);
	printf("  %d containers with a network namespace made in %.1f s\n",
	       CONTAINERS, now() - t0);

	/* Warm up: every thread's cache filled once, as a server's would be. */
	burst = 1;
	run(NSCTL);
	printf("  %d threads, %d containers, %d requests per thread per round; median of %d rounds\n",
	       THREADS, CONTAINERS, requests, ROUNDS);
	for (burst = 1; burst <= BURST; burst *= BURST) {
		for (r = 0; r < ROUNDS; r++)
			for (m = 0; m < METHODS; m++)
				rate[m][r] = run(m);
		printf("  each container %d request%s in a row:\n", burst, burst > 1 ? "s" : "");
		for (m = 0; m < METHODS; m++) {
			qsort(rate[m], ROUNDS, sizeof(double), cmp_double);
			med[m] = rate[m][ROUNDS / 2];
			printf("    %-34s %8.0f requests/s", method_name[m], med[m]);
			if (m != NONE)
				printf(", %5.1f%% lost to switching", 100 * (1 - med[m] / med[NONE]));
			printf("\n");
		}
		printf("    nsctl/raw time per request %.2f, nsctl/raw skipping %.2f\n",
		       med[RAW] / med[NSCTL], med[RAW_SKIP] / med[NSCTL]);
	}

	for (i = 0; i < THREADS; i++)
		for (r = 0; r < CONTAINERS; r++)
			nsctl_enter_cache_clear(&caches[i][r]);
	for (i = 0; i < CONTAINERS; i++) {
		close(netfds[i]);
		close(dirfds[i]);
		snprintf(path, sizeof(path), NSCTL_MOUNT_POINT "/sb-%d", i);
		if (rmdir(path))
			die("rmdir", errno);
	}
	return 0;
}
