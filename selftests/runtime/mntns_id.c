// SPDX-License-Identifier: GPL-2.0
/*
 * mntns_id PATH: print the kernel's id of the mount namespace at PATH
 * (/proc/PID/ns/mnt), as NS_GET_MNTNS_ID gives it, for stats_test.sh to
 * compare with what nsctl shows.  Exit 0 with the id; 2 and "ENOTTY"
 * when the kernel has no such ioctl (before 6.10); 1 on any other error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/types.h>

#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID		_IOR(0xb7, 0x5, __u64)
#endif

int main(int argc, char **argv)
{
	__u64 id;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: mntns_id PATH\n");
		return 1;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "mntns_id: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (ioctl(fd, NS_GET_MNTNS_ID, &id) < 0) {
		if (errno == ENOTTY) {
			puts("ENOTTY");
			return 2;
		}
		fprintf(stderr, "mntns_id: NS_GET_MNTNS_ID: %s\n", strerror(errno));
		return 1;
	}
	printf("%llu\n", (unsigned long long)id);
	close(fd);
	return 0;
}
