// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libnsctl: a container's policies and its external view (see the uapi
 * header): writing its control files, and setting the host name or NIS
 * domain name of its UTS namespace from the calling thread.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "libnsctl.h"

const char *nsctl_on_empty_name(int v)
{
	switch (v) {
	case NSCTL_ON_EMPTY_IGNORE:	return "ignore";
	case NSCTL_ON_EMPTY_NOTIFY:	return "notify";
	case NSCTL_ON_EMPTY_DELETE:	return "delete";
	default:			return "?";
	}
}

const char *nsctl_enter_policy_name(int v)
{
	switch (v) {
	case NSCTL_ENTER_POLICY_ALLOW:	return "allow";
	case NSCTL_ENTER_POLICY_DENY:	return "deny";
	default:			return "?";
	}
}

int nsctl_write_file(const char *name, const char *file, const char *buf)
{
	char path[sizeof(NSCTL_MOUNT_POINT) + NSCTL_NAME_MAX + 64];
	size_t len = strlen(buf);
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s/%s", NSCTL_MOUNT_POINT, name, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* One write(2): the kernel takes a whole value per write. */
	n = write(fd, buf, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	close(fd);
	return err;
}

/*
 * The kernel serialises host name changes with a lock a module cannot
 * take, so the calling thread does it: it joins the container's UTS
 * namespace, calls sethostname(2) or setdomainname(2), and goes back.
 * Only this thread moves (setns(2) of a UTS namespace is per thread).
 */
int nsctl_set_utsname(int dirfd, bool domain, const char *value)
{
	struct nsctl_get_ns get = { .type = NSCTL_NS_UTS };
	int own, target, err = 0;
	size_t len = strlen(value);

	if (len > 64)
		return -ENAMETOOLONG;
	own = open("/proc/thread-self/ns/uts", O_RDONLY | O_CLOEXEC);
	if (own < 0)
		return -errno;
	target = ioctl(dirfd, NSCTL_IOC_GET_NS, &get);
	if (target < 0) {
		err = -errno;
		close(own);
		return err;
	}
	if (setns(target, CLONE_NEWUTS)) {
		err = -errno;
		goto out;
	}
	if (domain ? setdomainname(value, len) : sethostname(value, len))
		err = -errno;
	/* Back home; failing that, the thread must not go on elsewhere. */
	if (setns(own, CLONE_NEWUTS)) {
		perror("nsctl: cannot return to the caller's UTS namespace");
		_exit(127);
	}
out:
	close(target);
	close(own);
	return err;
}
