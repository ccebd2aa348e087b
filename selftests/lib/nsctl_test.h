/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by nsctl's selftests: syscall wrappers glibc lacks and a
 * few small utilities.  Every test program includes this after
 * kselftest_harness.h.
 */
#ifndef NSCTL_TEST_H
#define NSCTL_TEST_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/ioctl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/klog.h>

#include <linux/nsctl.h>

/*
 * The harness kills a test after 30 s by default; on the debug kernel
 * (KASAN under emulation) the churn tests take longer.  This bounds hangs,
 * it does not time anything.
 */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 600

/*
 * The VM's watchdog takes a program that prints nothing for minutes as
 * hung: print each line as it is written, not when a buffer fills.
 */
static void __attribute__((constructor)) nsctl_test_line_buffered(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

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
 * Run @fn(@arg) in a child once @drop(@how) succeeded there; returns the
 * child's exit status (100: @drop failed), or -1.
 */
static inline int run_in_child(int (*drop)(int how), int how,
			       int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (drop(how))
			_exit(100);
		_exit(fn(arg));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Become uid/gid 65534 with no capability left. */
static inline int drop_to_nobody(int unused)
{
	(void)unused;
	return setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	       setresuid(65534, 65534, 65534);
}

/* Drop @cap from the effective, permitted and inheritable sets. */
static inline int drop_cap(int cap)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[cap / 32].effective &= ~(1U << (cap % 32));
	d[cap / 32].permitted &= ~(1U << (cap % 32));
	d[cap / 32].inheritable &= ~(1U << (cap % 32));
	return syscall(SYS_capset, &h, d);
}

/* Run @fn(@arg) as nobody, with every capability dropped. */
static inline int run_unprivileged(int (*fn)(void *), void *arg)
{
	return run_in_child(drop_to_nobody, 0, fn, arg);
}

/* Run @fn(@arg) as uid 0 without @cap. */
static inline int run_without_cap(int cap, int (*fn)(void *), void *arg)
{
	return run_in_child(drop_cap, cap, fn, arg);
}

/* Pass @fd over the unix socket @sk (SCM_RIGHTS); 0 or -1. */
static inline int send_fd(int sk, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, c = 0;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sk, &mh, 0) == 1 ? 0 : -1;
}

/* The descriptor passed over @sk, close-on-exec, or -1. */
static inline int recv_fd(int sk)
{
	char cbuf[CMSG_SPACE(sizeof(int))], c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	int fd;

	if (recvmsg(sk, &mh, MSG_CMSG_CLOEXEC) != 1 || !CMSG_FIRSTHDR(&mh))
		return -1;
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
	return fd;
}

#define NSCTL_TEST_ROOT		NSCTL_MOUNT_POINT

static inline const char *ns_proc_file(unsigned int type)
{
	static const char * const files[NSCTL_NS_COUNT] = {
		"mnt", "uts", "ipc", "net", "pid_for_children", "user",
		"cgroup", "time_for_children",
	};
	return files[type];
}

static inline int ns_clone_flag(unsigned int type)
{
	static const int flags[NSCTL_NS_COUNT] = {
		CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWNET,
		CLONE_NEWPID, CLONE_NEWUSER, CLONE_NEWCGROUP, CLONE_NEWTIME,
	};
	return flags[type];
}

/*
 * NSCTL_TEST_SCALE divides the loop counts: the VM sets it on the debug
 * kernel, where KASAN under emulation makes each namespace costly and
 * the point is the memory and lock checking, not the volume.
 */
static inline int scaled(int n)
{
	const char *s = getenv("NSCTL_TEST_SCALE");
	int div = s ? atoi(s) : 1;

	return div > 1 ? n / div : n;
}

/* Make container @name; returns its directory fd or -1. */
static inline int ct_make(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", name);
	if (mkdir(path, 0755))
		return -1;
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static inline int ct_remove(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", name);
	return rmdir(path);
}

/* Read a container file into @buf; returns its length or -errno. */
static inline int ct_read(const char *name, const char *file, char *buf,
			  size_t len)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s/%s", name, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	buf[n] = '\0';
	close(fd);
	return n;
}

/* Write @s to the file @path (truncating it) in one write(2); 0 or -1. */
static inline int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

/* Write @len bytes of @buf to a container file in one write(2); 0 or -errno. */
static inline int ct_write(const char *name, const char *file, const char *buf,
			   size_t len)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s/%s", name, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n >= 0 && (size_t)n != len)
		return -EIO;
	return n < 0 ? n : 0;
}

static inline int ct_write_str(const char *name, const char *file, const char *s)
{
	return ct_write(name, file, s, strlen(s));
}

static inline unsigned long long ct_read_u64(const char *name, const char *file)
{
	char buf[64];

	if (ct_read(name, file, buf, sizeof(buf)) < 0)
		return ~0ULL;
	return strtoull(buf, NULL, 10);
}

/* The inode shown for @type in a container's "namespaces" file, 0 if empty. */
static inline unsigned long long ct_ns_inum(const char *name, unsigned int type)
{
	static const char * const names[NSCTL_NS_COUNT] = {
		"mnt", "uts", "ipc", "net", "pid", "user", "cgroup", "time",
	};
	char buf[1024], *line, *save = NULL, t[16], v[32];

	if (ct_read(name, "namespaces", buf, sizeof(buf)) < 0)
		return ~0ULL;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "%15s %31s", t, v) == 2 && !strcmp(t, names[type]))
			return v[0] == '-' ? 0 : strtoull(v, NULL, 10);
	return ~0ULL;
}

/* Value of "key" in a container's stat file, as text. */
static inline int ct_stat_field(const char *name, const char *key, char *out,
				size_t len)
{
	char buf[1024], *line, *save = NULL, k[32], v[64];

	if (ct_read(name, "stat", buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "%31s %63s", k, v) == 2 && !strcmp(k, key)) {
			snprintf(out, len, "%.*s", (int)len - 1, v);
			return 0;
		}
	return -1;
}

static inline int ct_set_ns(int dirfd, uint64_t attach, const int *fds,
			    uint64_t detach, uint64_t *gen)
{
	struct nsctl_set_ns a = { .attach = attach, .detach = detach };
	unsigned int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		a.fds[i] = fds ? fds[i] : -1;
	if (ioctl(dirfd, NSCTL_IOC_SET_NS, &a))
		return -1;
	if (gen)
		*gen = a.generation;
	return 0;
}

static inline int ct_get_ns(int dirfd, unsigned int type)
{
	struct nsctl_get_ns a = { .type = type };

	return ioctl(dirfd, NSCTL_IOC_GET_NS, &a);
}

/* The descriptors this process has open. */
static inline int count_fds(void)
{
	struct dirent *de;
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && (de = readdir(d)))
		n += de->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

/* The inode of the calling thread's namespace of @type ("net"...), or 0. */
static inline ino_t self_ns(const char *type)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/thread-self/ns/%s", type);
	return stat(path, &st) ? 0 : st.st_ino;
}

static inline ino_t fd_ino(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : st.st_ino;
}

/*
 * A child that unshares @flags, then waits for a byte on a pipe before it
 * exits.  Returns its pid; *@release is the pipe's
 * write end.
 */
static inline pid_t ns_holder(int flags, int *release)
{
	int go[2], ready[2];
	char c = 0;
	pid_t pid;

	if (pipe2(go, O_CLOEXEC) || pipe2(ready, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(go[1]);
		close(ready[0]);
		c = unshare(flags) ? 1 : 0;
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(go[0]);
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1 || c) {
		close(ready[0]);
		close(go[1]);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -1;
	}
	close(ready[0]);
	*release = go[1];
	return pid;
}

static inline void ns_holder_end(pid_t pid, int release)
{
	/* A byte, not EOF: a child forked since may hold the write end. */
	if (write(release, "x", 1) != 1)
		kill(pid, SIGKILL);
	close(release);
	waitpid(pid, NULL, 0);
}

/* A UUID in its usual text form. */
static inline const char *uuid_str(const __u8 u[16], char out[37])
{
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
	return out;
}

/* Poll @cond up to @ms milliseconds. */
#define wait_for(cond, ms) ({						\
	int __i; bool __ok = false;					\
	for (__i = 0; __i < (ms) / 10; __i++) {				\
		if (cond) { __ok = true; break; }			\
		usleep(10000);						\
	}								\
	__ok || (cond);							\
})

/* A lockdep report does not panic: look for one in the kernel's log. */
static inline bool lockdep_reported(void)
{
	static const char *const marks[] = {
		"possible circular locking", "possible recursive locking",
		"inconsistent lock state", "suspicious RCU usage",
		"BUG: sleeping function", "lock held when returning",
	};
	int len = klogctl(10, NULL, 0), i;
	bool found = false;
	char *buf;

	if (len <= 0)
		return false;
	buf = calloc(1, len + 1);
	len = klogctl(3, buf, len);
	for (i = 0; len > 0 && i < (int)(sizeof(marks) / sizeof(marks[0])); i++) {
		if (strstr(buf, marks[i])) {
			fprintf(stderr, "# kernel log: \"%s\"\n", marks[i]);
			found = true;
		}
	}
	free(buf);
	return found;
}

#endif /* NSCTL_TEST_H */
