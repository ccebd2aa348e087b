// SPDX-License-Identifier: GPL-2.0
/*
 * nsid_bench: the cost of identifying a namespace by fd (NSCTL_IOC_NS_INFO)
 * against an fstat(2) of the same fd, with few and with 10,000 tracked
 * namespaces, and nsctl's memory per tracked namespace.  Reports ratios
 * measured in one run; asserts nothing about time.
 */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <linux/nsctl.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/*
 * SLUB may merge nsctl's cache with another of the same size; its sysfs
 * directory stays reachable under nsctl's name either way.
 */
static long slab_value(const char *file)
{
	char path[128], buf[64];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/slab/nsctl_nsid/%s", file);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		v = strtol(buf, NULL, 10);
	fclose(f);
	return v;
}

static void measure(int root, int fd, int iters, double *info_ns, double *fstat_ns)
{
	struct nsctl_ns_info info;
	struct stat st;
	double t0;
	int i;

	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		memset(&info, 0, sizeof(info));
		info.fd = fd;
		if (ioctl(root, NSCTL_IOC_NS_INFO, &info)) {
			perror("NSCTL_IOC_NS_INFO");
			exit(1);
		}
	}
	*info_ns = (now_ns() - t0) / iters;
	t0 = now_ns();
	for (i = 0; i < iters; i++)
		if (fstat(fd, &st)) {
			perror("fstat");
			exit(1);
		}
	*fstat_ns = (now_ns() - t0) / iters;
}

int main(int argc, char **argv)
{
	int many = argc > 1 ? atoi(argv[1]) : 10000, iters = 20000, root, fd, i;
	struct rlimit rl = { many + 100, many + 100 };
	double info1, fstat1, infoN, fstatN;
	long objs_before, objs_after, slab_size, object_size;
	int *fds;

	root = open(NSCTL_MOUNT_POINT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	if (root < 0 || fd < 0 || setrlimit(RLIMIT_NOFILE, &rl)) {
		perror("setup");
		return 1;
	}
	/* Warm up: the first lookup tracks the namespace. */
	measure(root, fd, 1000, &info1, &fstat1);
	measure(root, fd, iters, &info1, &fstat1);
	objs_before = slab_value("objects");

	/* Many live, tracked namespaces: uts namespaces pinned by fds. */
	fds = calloc(many, sizeof(*fds));
	for (i = 0; i < many; i++) {
		struct nsctl_ns_info info = { 0 };

		if (unshare(CLONE_NEWUTS)) {
			perror("unshare");
			return 1;
		}
		fds[i] = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
		info.fd = fds[i];
		if (fds[i] < 0 || ioctl(root, NSCTL_IOC_NS_INFO, &info)) {
			perror("track");
			return 1;
		}
	}
	objs_after = slab_value("objects");
	slab_size = slab_value("slab_size");
	object_size = slab_value("object_size");
	measure(root, fd, iters, &infoN, &fstatN);

	printf("identify by fd (NS_INFO) vs fstat, %d calls each:\n", iters);
	printf("  %6s tracked: NS_INFO %8.0f ns  fstat %8.0f ns  ratio %.2f\n", "few",
	       info1, fstat1, info1 / fstat1);
	printf("  %6d tracked: NS_INFO %8.0f ns  fstat %8.0f ns  ratio %.2f\n", many,
	       infoN, fstatN, infoN / fstatN);
	printf("  growth from few to %d tracked: %.2fx\n", many, infoN / info1);
	if (slab_size > 0)
		printf("memory per tracked namespace: one nsctl_nsid slab object, %ld bytes "
		       "(%ld with slab overhead); slab objects grew by %ld for %d more "
		       "tracked namespaces\n", object_size, slab_size,
		       objs_after - objs_before, many);
	else
		printf("memory per tracked namespace: /sys/kernel/slab/nsctl_nsid not found\n");
	for (i = 0; i < many; i++)
		close(fds[i]);
	free(fds);
	return 0;
}
