/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by nsctl's selftests: syscall wrappers glibc lacks and a
 * few small utilities.  Every test program includes this after
 * kselftest_harness.h.
 */
#ifndef NSCTL_TEST_H
#define NSCTL_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <grp.h>

#include <linux/nsctl.h>

/* Where the VM keeps the module, so tests can reload it. */
#define NSCTL_TEST_MODULE	"/nsctl/nsctl.ko"

static inline int sys_finit_module(int fd, const char *args, int flags)
{
	return syscall(SYS_finit_module, fd, args, flags);
}

static inline int sys_delete_module(const char *name, int flags)
{
	return syscall(SYS_delete_module, name, flags);
}

/* Is @path a mount point of an nsctl filesystem? */
static inline bool nsctl_mounted_at(const char *path)
{
	char line[4096], dev[256], dir[1024], type[64];
	bool found = false;
	FILE *f;

	f = fopen("/proc/self/mounts", "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%255s %1023s %63s", dev, dir, type) == 3 &&
		    !strcmp(dir, path) && !strcmp(type, NSCTL_FS_NAME))
			found = true;
	}
	fclose(f);
	return found;
}

/* Does /proc/filesystems list @name? */
static inline bool fs_registered(const char *name)
{
	char line[256];
	bool found = false;
	FILE *f;

	f = fopen("/proc/filesystems", "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char *tab = strrchr(line, '\t');

		line[strcspn(line, "\n")] = '\0';
		if (tab && !strcmp(tab + 1, name))
			found = true;
	}
	fclose(f);
	return found;
}

/* Load the module from NSCTL_TEST_MODULE. */
static inline int nsctl_load_module(void)
{
	int fd, ret;

	fd = open(NSCTL_TEST_MODULE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = sys_finit_module(fd, "", 0);
	close(fd);
	return ret;
}

/*
 * Run @fn(@arg) in a child that has dropped to an unprivileged uid/gid and
 * every capability; returns the child's exit status, or -1.
 */
static inline int run_unprivileged(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(100);
		_exit(fn(arg));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

#endif /* NSCTL_TEST_H */
