// SPDX-License-Identifier: GPL-2.0
/*
 * Container objects: creation and deletion, names, namespace slots,
 * generations, holding namespaces with no process, releasing them, the
 * cgroup, the files, and what an unprivileged caller may not do.
 */
#include <dirent.h>
#include <pthread.h>
#include <time.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "nsctl_test.h"

#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif

FIXTURE(ct) {
	char name[64];
	int dirfd;
};

FIXTURE_SETUP(ct)
{
	snprintf(self->name, sizeof(self->name), "t%d", getpid());
	self->dirfd = ct_make(self->name);
	ASSERT_GE(self->dirfd, 0) {
		TH_LOG("%m - mkdir %s", self->name);
	}
}

FIXTURE_TEARDOWN(ct)
{
	/*
	 * A container holding the test's own namespaces has every process
	 * inside it, so it is busy: empty it before removing it.
	 */
	if (self->dirfd >= 0) {
		ct_set_ns(self->dirfd, 0, NULL, NSCTL_NS_ALL, NULL);
		close(self->dirfd);
	}
	ct_remove(self->name);
}

static const char * const files[] = {
	"id", "uuid", "generation", "namespaces", "cgroup", "procs", "stat",
};

TEST_F(ct, files_and_initial_state)
{
	char buf[1024], val[32];
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(buf, sizeof(buf), NSCTL_TEST_ROOT "/%s/%s", self->name, files[i]);
		ASSERT_EQ(0, stat(buf, &st)) {
			TH_LOG("%m - %s", buf);
		}
		ASSERT_EQ(S_IFREG | 0444, st.st_mode);
	}
	ASSERT_EQ(1, ct_read_u64(self->name, "generation"));
	ASSERT_NE(0, ct_read_u64(self->name, "id"));
	ASSERT_EQ(37, ct_read(self->name, "uuid", buf, sizeof(buf)));
	ASSERT_EQ('-', buf[8]);
	ASSERT_EQ('4', buf[14]);	/* random: version 4 */
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		ASSERT_EQ(0, ct_ns_inum(self->name, i));
	ASSERT_GT(ct_read(self->name, "cgroup", buf, sizeof(buf)), 0);
	ASSERT_STREQ("-\n", buf);
	ASSERT_EQ(0, ct_read(self->name, "procs", buf, sizeof(buf)));
	ASSERT_EQ(0, ct_stat_field(self->name, "tasks", val, sizeof(val)));
	ASSERT_STREQ("0", val);
	ASSERT_EQ(0, ct_stat_field(self->name, "pid_init", val, sizeof(val)));
	ASSERT_STREQ("-", val);
	ASSERT_EQ(0, ct_stat_field(self->name, "created", val, sizeof(val)));
	ASSERT_LT(labs(strtol(val, NULL, 10) - (long)time(NULL)), 60);
}

TEST(mkdir_rmdir_and_ids)
{
	unsigned long long id1, id2;
	char name[64];
	int fd;

	snprintf(name, sizeof(name), "ids%d", getpid());
	fd = ct_make(name);
	ASSERT_GE(fd, 0);
	close(fd);
	id1 = ct_read_u64(name, "id");
	ASSERT_EQ(0, ct_remove(name));
	ASSERT_EQ(-ENOENT, ct_read(name, "id", (char[8]){ 0 }, 8));

	/* The same name again: a new object with a new id. */
	fd = ct_make(name);
	ASSERT_GE(fd, 0);
	close(fd);
	id2 = ct_read_u64(name, "id");
	ASSERT_GT(id2, id1);
	ASSERT_EQ(0, ct_remove(name));
}

TEST(names)
{
	static const struct { const char *name; int err; } cases[] = {
		{ "a b", EINVAL },
		{ ".hidden", EINVAL },
		{ "-dash", EINVAL },
		{ "_under", EINVAL },
		{ "caf\xc3\xa9", EINVAL },
		{ "tab\tname", EINVAL },
		{ "a;b", EINVAL },
		{ ".", EEXIST },
		{ "..", EEXIST },
		{ "no/such", ENOENT },
		{ "namespaces", EEXIST },	/* the top-level listing */
	};
	char path[600], name[NSCTL_NAME_MAX + 2];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", cases[i].name);
		ASSERT_EQ(-1, mkdir(path, 0755)) {
			TH_LOG("mkdir \"%s\" succeeded", cases[i].name);
		}
		ASSERT_EQ(cases[i].err, errno) {
			TH_LOG("mkdir \"%s\": %m", cases[i].name);
		}
	}

	/* 256 characters are too many; 255 and the whole alphabet are fine. */
	memset(name, '7', NSCTL_NAME_MAX + 1);
	name[NSCTL_NAME_MAX + 1] = '\0';
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", name);
	ASSERT_EQ(-1, mkdir(path, 0755));
	ASSERT_EQ(ENAMETOOLONG, errno);
	memcpy(name, "Az09_.-:@+", 10);
	name[NSCTL_NAME_MAX] = '\0';
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", name);
	ASSERT_EQ(0, mkdir(path, 0755));
	ASSERT_EQ(-1, mkdir(path, 0755));
	ASSERT_EQ(EEXIST, errno);
	/* Containers do not nest. */
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s/x", name);
	ASSERT_EQ(-1, mkdir(path, 0755));
	ASSERT_EQ(EPERM, errno);
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", name);
	ASSERT_EQ(0, rmdir(path));
}

/* Open /proc/PID/ns/<type> of @pid (0: self) for every type in @mask. */
static void open_ns(pid_t pid, uint64_t mask, int fds[NSCTL_NS_COUNT])
{
	char path[128];
	unsigned int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		fds[i] = -1;
		if (!(mask & NSCTL_NS_BIT(i)))
			continue;
		if (pid)
			snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, ns_proc_file(i));
		else
			snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_proc_file(i));
		fds[i] = open(path, O_RDONLY | O_CLOEXEC);
	}
}

static void close_fds(int fds[NSCTL_NS_COUNT])
{
	unsigned int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

TEST_F(ct, attach_replace_detach_every_type)
{
	int own[NSCTL_NS_COUNT], fresh[NSCTL_NS_COUNT], release, flags = 0;
	uint64_t gen;
	unsigned int i;
	pid_t holder;

	open_ns(0, NSCTL_NS_ALL, own);
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		ASSERT_GE(own[i], 0);

	/* All eight at once: one generation step. */
	ASSERT_EQ(0, ct_set_ns(self->dirfd, NSCTL_NS_ALL, own, 0, &gen)) {
		TH_LOG("%m - attach all types");
	}
	ASSERT_EQ(2, gen);
	ASSERT_EQ(2, ct_read_u64(self->name, "generation"));
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		ASSERT_EQ(fd_ino(own[i]), ct_ns_inum(self->name, i));

	/* Replace all with fresh ones (the pid one through a grandchild). */
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		flags |= ns_clone_flag(i);
	holder = ns_holder(flags, &release);
	ASSERT_GT(holder, 0);
	open_ns(holder, NSCTL_NS_ALL & ~NSCTL_NS_BIT(NSCTL_NS_PID), fresh);
	{
		struct nsctl_set_ns a = {
			.flags = NSCTL_SET_NS_PID_OF_TASK | NSCTL_SET_NS_CHECK_GEN,
			.attach = NSCTL_NS_ALL, .generation = 2, .pid = holder,
		};

		for (i = 0; i < NSCTL_NS_COUNT; i++)
			a.fds[i] = fresh[i];
		ASSERT_EQ(0, ioctl(self->dirfd, NSCTL_IOC_SET_NS, &a)) {
			TH_LOG("%m - replace all types");
		}
		ASSERT_EQ(3, a.generation);
	}
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (i == NSCTL_NS_PID)
			continue;
		ASSERT_EQ(fd_ino(fresh[i]), ct_ns_inum(self->name, i));
		ASSERT_NE(fd_ino(own[i]), ct_ns_inum(self->name, i));
	}
	ASSERT_NE(0, ct_ns_inum(self->name, NSCTL_NS_PID));
	ASSERT_NE(fd_ino(own[NSCTL_NS_PID]), ct_ns_inum(self->name, NSCTL_NS_PID));
	ns_holder_end(holder, release);

	/* Attaching what is already held changes nothing. */
	ASSERT_EQ(0, ct_set_ns(self->dirfd, NSCTL_NS_BIT(NSCTL_NS_NET), fresh, 0, &gen));
	ASSERT_EQ(3, gen);

	/* Detach all but net, then net: two steps. */
	ASSERT_EQ(0, ct_set_ns(self->dirfd, 0, NULL,
			       NSCTL_NS_ALL & ~NSCTL_NS_BIT(NSCTL_NS_NET), &gen));
	ASSERT_EQ(4, gen);
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		ASSERT_EQ(i == NSCTL_NS_NET ? fd_ino(fresh[i]) : 0,
			  ct_ns_inum(self->name, i));
	ASSERT_EQ(0, ct_set_ns(self->dirfd, 0, NULL, NSCTL_NS_BIT(NSCTL_NS_NET), &gen));
	ASSERT_EQ(5, gen);
	ASSERT_EQ(0, ct_ns_inum(self->name, NSCTL_NS_NET));
	close_fds(own);
	close_fds(fresh);
}

TEST_F(ct, generation_check)
{
	int fds[NSCTL_NS_COUNT];
	struct nsctl_set_ns a = {
		.flags = NSCTL_SET_NS_CHECK_GEN,
		.attach = NSCTL_NS_BIT(NSCTL_NS_UTS),
		.generation = 7,
	};
	unsigned int i;

	open_ns(0, NSCTL_NS_BIT(NSCTL_NS_UTS), fds);
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		a.fds[i] = fds[i];
	ASSERT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_SET_NS, &a));
	ASSERT_EQ(ESTALE, errno);
	ASSERT_EQ(0, ct_ns_inum(self->name, NSCTL_NS_UTS));
	ASSERT_EQ(1, ct_read_u64(self->name, "generation"));
	a.generation = 1;
	ASSERT_EQ(0, ioctl(self->dirfd, NSCTL_IOC_SET_NS, &a));
	ASSERT_EQ(2, a.generation);
	close_fds(fds);
}

static int set_one(int dirfd, unsigned int type, int fd)
{
	int fds[NSCTL_NS_COUNT];
	unsigned int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		fds[i] = -1;
	fds[type] = fd;
	return ct_set_ns(dirfd, NSCTL_NS_BIT(type), fds, 0, NULL) ? errno : 0;
}

TEST_F(ct, wrong_fds)
{
	int file, sock, pidfd, netfd, pipefd[2];

	file = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(file, 0);
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_GE(sock, 0);
	pidfd = syscall(__NR_pidfd_open, getpid(), 0);
	ASSERT_GE(pidfd, 0);
	netfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(netfd, 0);
	ASSERT_EQ(0, pipe2(pipefd, O_CLOEXEC));

	EXPECT_EQ(EINVAL, set_one(self->dirfd, NSCTL_NS_NET, file));
	EXPECT_EQ(EINVAL, set_one(self->dirfd, NSCTL_NS_NET, sock));
	EXPECT_EQ(EINVAL, set_one(self->dirfd, NSCTL_NS_PID, pidfd));
	EXPECT_EQ(EINVAL, set_one(self->dirfd, NSCTL_NS_NET, pipefd[0]));
	EXPECT_EQ(EINVAL, set_one(self->dirfd, NSCTL_NS_UTS, netfd));
	EXPECT_EQ(EINVAL, set_one(self->dirfd, NSCTL_NS_MNT, netfd));
	EXPECT_EQ(EBADF, set_one(self->dirfd, NSCTL_NS_NET, 999));
	EXPECT_EQ(EBADF, set_one(self->dirfd, NSCTL_NS_NET, -1));
	/* The directory fd of another container is not a namespace. */
	EXPECT_EQ(EINVAL, set_one(self->dirfd, NSCTL_NS_NET, self->dirfd));

	/* Nothing changed. */
	ASSERT_EQ(1, ct_read_u64(self->name, "generation"));
	ASSERT_EQ(0, ct_ns_inum(self->name, NSCTL_NS_NET));
	close(file);
	close(sock);
	close(pidfd);
	close(netfd);
	close(pipefd[0]);
	close(pipefd[1]);
}

TEST_F(ct, malformed_ioctls)
{
	struct nsctl_set_ns a = { 0 };
	struct {
		struct nsctl_set_ns a;
		__u64 extra;
	} big = { 0 };
	struct nsctl_get_ns g = { 0 };
	char page[8192] = { 0 };
	int fd, i;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		a.fds[i] = -1;

	a.flags = 1ULL << 40;
	EXPECT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_SET_NS, &a));
	EXPECT_EQ(EOPNOTSUPP, errno);
	a.flags = 0;
	a.attach = 1ULL << NSCTL_NS_COUNT;
	EXPECT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_SET_NS, &a));
	EXPECT_EQ(EINVAL, errno);
	a.attach = a.detach = NSCTL_NS_BIT(NSCTL_NS_NET);
	EXPECT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_SET_NS, &a));
	EXPECT_EQ(EINVAL, errno);
	a.attach = a.detach = 0;
	a.__reserved = 1;
	EXPECT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_SET_NS, &a));
	EXPECT_EQ(EINVAL, errno);
	a.__reserved = 0;
	a.flags = NSCTL_SET_NS_PID_OF_TASK;	/* without pid in attach */
	EXPECT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_SET_NS, &a));
	EXPECT_EQ(EINVAL, errno);
	a.flags = NSCTL_SET_NS_PID_OF_TASK;
	a.attach = NSCTL_NS_BIT(NSCTL_NS_PID);
	a.pid = 0x3fffffff;
	EXPECT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_SET_NS, &a));
	EXPECT_EQ(ESRCH, errno);
	a.flags = 0;
	a.attach = 0;
	a.pid = 0;

	/* Truncated: smaller than the first version. */
	EXPECT_EQ(-1, ioctl(self->dirfd, _IOWR(NSCTL_IOC_MAGIC, 1, __u64[4]), &a));
	EXPECT_EQ(EINVAL, errno);
	/* A newer caller's larger struct: fine when the tail is zero... */
	big.a = a;
	EXPECT_EQ(0, ioctl(self->dirfd, _IOWR(NSCTL_IOC_MAGIC, 1, big), &big));
	/* ...refused when it asks for something this kernel lacks. */
	big.extra = 1;
	EXPECT_EQ(-1, ioctl(self->dirfd, _IOWR(NSCTL_IOC_MAGIC, 1, big), &big));
	EXPECT_EQ(E2BIG, errno);
	/* Larger than a page. */
	EXPECT_EQ(-1, ioctl(self->dirfd, _IOWR(NSCTL_IOC_MAGIC, 1, page), page));
	EXPECT_EQ(E2BIG, errno);
	/* Bad pointer. */
	EXPECT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_SET_NS, (void *)8));
	EXPECT_EQ(EFAULT, errno);

	/* Unknown commands, and nsctl commands on other files. */
	EXPECT_EQ(-1, ioctl(self->dirfd, _IOW(NSCTL_IOC_MAGIC, 99, __u64), page));
	EXPECT_EQ(ENOTTY, errno);
	fd = open(NSCTL_TEST_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(-1, ioctl(fd, NSCTL_IOC_GET_NS, &g));
	EXPECT_EQ(ENOTTY, errno);
	close(fd);

	g.type = NSCTL_NS_COUNT;
	EXPECT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_GET_NS, &g));
	EXPECT_EQ(EINVAL, errno);
	g.type = NSCTL_NS_NET;
	g.flags = 2;
	EXPECT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_GET_NS, &g));
	EXPECT_EQ(EOPNOTSUPP, errno);
	g.flags = 0;
	g.__reserved = 1;
	EXPECT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_GET_NS, &g));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(1, ct_read_u64(self->name, "generation"));
}

TEST_F(ct, get_ns_fd)
{
	int fds[NSCTL_NS_COUNT], fd, type = NSCTL_NS_UTS;

	ASSERT_EQ(-1, ct_get_ns(self->dirfd, type));
	ASSERT_EQ(ENOENT, errno);

	open_ns(0, NSCTL_NS_ALL, fds);
	ASSERT_EQ(0, ct_set_ns(self->dirfd, NSCTL_NS_ALL, fds, 0, NULL));
	for (type = 0; type < NSCTL_NS_COUNT; type++) {
		fd = ct_get_ns(self->dirfd, type);
		ASSERT_GE(fd, 0) {
			TH_LOG("%m - GET_NS type %d", type);
		}
		ASSERT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD));
		ASSERT_EQ(fd_ino(fds[type]), fd_ino(fd));
		close(fd);
	}
	close_fds(fds);
}

static bool netdev_exists(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/class/net/%s", name);
	return access(path, F_OK) == 0;
}

/* In a child: join the container's netns through GET_NS, look for @dev. */
static int dev_in_container(int dirfd, const char *dev)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = ct_get_ns(dirfd, NSCTL_NS_NET);

		if (fd < 0 || setns(fd, CLONE_NEWNET))
			_exit(2);
		_exit(if_nametoindex(dev) ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 3;
}

/*
 * A process makes a network namespace with a veth pair into the initial
 * namespace, hands the namespace to the container and exits: the devices
 * stay.  Deleting the container frees the namespace, and the kernel's
 * teardown of it removes the veth peer in the initial namespace.
 */
TEST(holds_with_no_process_and_releases_on_delete)
{
	char name[64], host[IFNAMSIZ], cmd[256];
	int dirfd, release, fds[NSCTL_NS_COUNT];
	pid_t holder;

	snprintf(name, sizeof(name), "veth%d", getpid());
	snprintf(host, sizeof(host), "vh%d", getpid() % 100000);
	dirfd = ct_make(name);
	ASSERT_GE(dirfd, 0);

	holder = ns_holder(CLONE_NEWNET, &release);
	ASSERT_GT(holder, 0);
	snprintf(cmd, sizeof(cmd), "ip link add %s type veth peer name inner netns %d",
		 host, holder);
	ASSERT_EQ(0, system(cmd));
	ASSERT_TRUE(netdev_exists(host));
	open_ns(holder, NSCTL_NS_BIT(NSCTL_NS_NET), fds);
	ASSERT_EQ(0, ct_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_NET), fds, 0, NULL));
	close_fds(fds);
	ns_holder_end(holder, release);

	/* No process is left in that namespace; the container keeps it. */
	usleep(200000);
	ASSERT_TRUE(netdev_exists(host));
	ASSERT_EQ(0, dev_in_container(dirfd, "inner"));

	close(dirfd);
	ASSERT_EQ(0, ct_remove(name));
	/* cleanup_net runs from a workqueue: wait for it. */
	ASSERT_TRUE(wait_for(!netdev_exists(host), 20000)) {
		TH_LOG("%s still exists: the namespace was not torn down", host);
	}
}

TEST(dummy_device_persists)
{
	char name[64];
	int dirfd, release, fds[NSCTL_NS_COUNT];
	pid_t holder, pid;
	int status;

	snprintf(name, sizeof(name), "dummy%d", getpid());
	dirfd = ct_make(name);
	ASSERT_GE(dirfd, 0);
	holder = ns_holder(CLONE_NEWNET, &release);
	ASSERT_GT(holder, 0);
	open_ns(holder, NSCTL_NS_BIT(NSCTL_NS_NET), fds);
	ASSERT_EQ(0, ct_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_NET), fds, 0, NULL));
	close_fds(fds);
	ns_holder_end(holder, release);

	/* A process joins, makes a dummy device, and exits. */
	pid = fork();
	if (pid == 0) {
		int fd = ct_get_ns(dirfd, NSCTL_NS_NET);

		if (fd < 0 || setns(fd, CLONE_NEWNET))
			_exit(2);
		_exit(system("ip link add dummy7 type dummy") ? 1 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));

	ASSERT_EQ(0, dev_in_container(dirfd, "dummy7"));
	ASSERT_EQ(1, dev_in_container(dirfd, "dummy8"));
	close(dirfd);
	ASSERT_EQ(0, ct_remove(name));
}

/* A child that joins the container's netns and waits to be killed. */
static pid_t join_and_wait(int dirfd, unsigned int type)
{
	int p[2];
	char c;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid == 0) {
		int fd = ct_get_ns(dirfd, type);

		close(p[0]);
		if (fd < 0 || setns(fd, ns_clone_flag(type)))
			_exit(2);
		if (write(p[1], "x", 1) != 1)
			_exit(3);
		pause();
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1) {
		close(p[0]);
		waitpid(pid, NULL, 0);
		return -1;
	}
	close(p[0]);
	return pid;
}

TEST_F(ct, busy_while_processes_inside)
{
	int release, fds[NSCTL_NS_COUNT];
	char buf[256], val[32];
	pid_t holder, pid;

	holder = ns_holder(CLONE_NEWNET | CLONE_NEWUTS, &release);
	ASSERT_GT(holder, 0);
	open_ns(holder, NSCTL_NS_BIT(NSCTL_NS_NET) | NSCTL_NS_BIT(NSCTL_NS_UTS), fds);
	ASSERT_EQ(0, ct_set_ns(self->dirfd,
			       NSCTL_NS_BIT(NSCTL_NS_NET) | NSCTL_NS_BIT(NSCTL_NS_UTS),
			       fds, 0, NULL));
	close_fds(fds);
	ns_holder_end(holder, release);

	/* In the net namespace only: not inside. */
	pid = join_and_wait(self->dirfd, NSCTL_NS_NET);
	ASSERT_GT(pid, 0);
	ASSERT_EQ(0, ct_read(self->name, "procs", buf, sizeof(buf)));
	ASSERT_EQ(0, ct_stat_field(self->name, "tasks", val, sizeof(val)));
	ASSERT_STREQ("0", val);

	/* Now also in its uts namespace: inside. */
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	pid = fork();
	if (pid == 0) {
		int n = ct_get_ns(self->dirfd, NSCTL_NS_NET);
		int u = ct_get_ns(self->dirfd, NSCTL_NS_UTS);

		if (n < 0 || u < 0 || setns(n, CLONE_NEWNET) || setns(u, CLONE_NEWUTS))
			_exit(2);
		pause();
		_exit(0);
	}
	ASSERT_GT(pid, 0);
	ASSERT_TRUE(wait_for(ct_read_u64(self->name, "procs") == (unsigned long long)pid, 5000));
	ASSERT_EQ(0, ct_stat_field(self->name, "tasks", val, sizeof(val)));
	ASSERT_STREQ("1", val);

	ASSERT_EQ(-1, ct_remove(self->name));
	ASSERT_EQ(EBUSY, errno);
	ASSERT_EQ(0, ct_ns_inum(self->name, NSCTL_NS_NET) == 0);

	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	/* A reaped process is not inside any more. */
	ASSERT_EQ(0, ct_remove(self->name)) {
		TH_LOG("%m - rmdir after the process exited");
	}
	/* Files still open of a deleted container read ENODEV. */
	{
		struct nsctl_get_ns g = { .type = NSCTL_NS_NET };

		ASSERT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_GET_NS, &g));
		ASSERT_EQ(ESTALE, errno);
	}
}

TEST_F(ct, own_namespaces_make_everyone_inside)
{
	int fds[NSCTL_NS_COUNT];
	char val[32];

	open_ns(0, NSCTL_NS_BIT(NSCTL_NS_UTS), fds);
	ASSERT_EQ(0, ct_set_ns(self->dirfd, NSCTL_NS_BIT(NSCTL_NS_UTS), fds, 0, NULL));
	close_fds(fds);
	ASSERT_EQ(0, ct_stat_field(self->name, "tasks", val, sizeof(val)));
	ASSERT_GE(strtol(val, NULL, 10), 2);
	ASSERT_EQ(-1, ct_remove(self->name));
	ASSERT_EQ(EBUSY, errno);
	ASSERT_EQ(0, ct_set_ns(self->dirfd, 0, NULL, NSCTL_NS_BIT(NSCTL_NS_UTS), NULL));
	ASSERT_EQ(0, ct_stat_field(self->name, "tasks", val, sizeof(val)));
	ASSERT_STREQ("0", val);
}

/*
 * PIDs in "procs" are those of the reader's PID namespace: a process that
 * is PID 1 inside the container's PID namespace reads itself as 1, the
 * initial namespace reads its global PID.
 */
TEST_F(ct, procs_in_readers_pid_namespace)
{
	int release, pidp[2], procsp[2], q[2];
	char buf[256], val[32], c;
	pid_t holder, mid, init_pid;

	holder = ns_holder(CLONE_NEWPID, &release);
	ASSERT_GT(holder, 0);
	{
		struct nsctl_set_ns a = {
			.flags = NSCTL_SET_NS_PID_OF_TASK,
			.attach = NSCTL_NS_BIT(NSCTL_NS_PID), .pid = holder,
		};
		int i;

		for (i = 0; i < NSCTL_NS_COUNT; i++)
			a.fds[i] = -1;
		ASSERT_EQ(0, ioctl(self->dirfd, NSCTL_IOC_SET_NS, &a));
	}
	ns_holder_end(holder, release);
	ASSERT_EQ(0, ct_stat_field(self->name, "pid_init", val, sizeof(val)));
	ASSERT_STREQ("none", val);

	ASSERT_EQ(0, pipe2(pidp, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(procsp, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(q, O_CLOEXEC));
	mid = fork();
	if (mid == 0) {
		int fd = ct_get_ns(self->dirfd, NSCTL_NS_PID);
		pid_t inner;

		close(pidp[0]);
		close(procsp[0]);
		close(q[1]);
		if (fd < 0 || setns(fd, CLONE_NEWPID))
			_exit(2);
		inner = fork();
		if (inner == 0) {
			/* PID 1 of the container's namespace reads the file. */
			int n = ct_read(self->name, "procs", buf, sizeof(buf));

			close(pidp[1]);
			if (n < 0 || write(procsp[1], buf, n + 1) != n + 1)
				_exit(4);
			while (read(q[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		close(procsp[1]);
		if (write(pidp[1], &inner, sizeof(inner)) != sizeof(inner))
			_exit(3);
		waitpid(inner, NULL, 0);
		_exit(0);
	}
	close(pidp[1]);
	close(procsp[1]);
	close(q[0]);
	ASSERT_EQ(sizeof(init_pid), read(pidp[0], &init_pid, sizeof(init_pid)));
	ASSERT_GT(read(procsp[0], buf, sizeof(buf)), 0);
	ASSERT_STREQ("1\n", buf);

	ASSERT_EQ(0, ct_stat_field(self->name, "pid_init", val, sizeof(val)));
	ASSERT_STREQ("running", val);
	ASSERT_GT(ct_read(self->name, "procs", buf, sizeof(buf)), 0);
	ASSERT_EQ((unsigned long)init_pid, strtoul(buf, NULL, 10));

	/* Let the init go: the namespace can take no process any more. */
	close(q[1]);
	waitpid(mid, NULL, 0);
	close(pidp[0]);
	close(procsp[0]);
	ASSERT_TRUE(wait_for(ct_stat_field(self->name, "pid_init", val, sizeof(val)) == 0 &&
			     !strcmp(val, "dead"), 5000));
	ASSERT_EQ(0, ct_read(self->name, "procs", buf, sizeof(buf)));
}

/*
 * A reader in a PID namespace that cannot see the processes inside: in
 * the container itself (so it sees it), it finds only itself, as its own
 * PID namespace numbers it.  A descriptor opened in the initial PID
 * namespace and read there shows what its opener would see.
 */
TEST_F(ct, procs_leaves_out_what_the_reader_cannot_see)
{
	int release, fds[NSCTL_NS_COUNT], p[2], status, hostfd;
	char buf[256];
	pid_t holder, inside, reader;

	holder = ns_holder(CLONE_NEWNET, &release);
	ASSERT_GT(holder, 0);
	open_ns(holder, NSCTL_NS_BIT(NSCTL_NS_NET), fds);
	ASSERT_EQ(0, ct_set_ns(self->dirfd, NSCTL_NS_BIT(NSCTL_NS_NET), fds, 0, NULL));
	close_fds(fds);
	ns_holder_end(holder, release);

	inside = join_and_wait(self->dirfd, NSCTL_NS_NET);
	ASSERT_GT(inside, 0);
	ASSERT_GT(ct_read(self->name, "procs", buf, sizeof(buf)), 0);
	ASSERT_EQ((unsigned long)inside, strtoul(buf, NULL, 10));
	snprintf(buf, sizeof(buf), NSCTL_TEST_ROOT "/%s/procs", self->name);
	hostfd = open(buf, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(hostfd, 0);

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	reader = fork();
	if (reader == 0) {
		int netfd = ct_get_ns(self->dirfd, NSCTL_NS_NET);
		pid_t r;

		if (netfd < 0 || unshare(CLONE_NEWPID))
			_exit(1);
		r = fork();
		if (r == 0) {
			ssize_t n;

			/* The opener's view, though read in here. */
			n = read(hostfd, buf, sizeof(buf) - 1);
			if (n <= 0 || strtoul(buf, NULL, 10) != (unsigned long)inside)
				_exit(3);
			if (setns(netfd, CLONE_NEWNET))
				_exit(4);
			n = ct_read(self->name, "procs", buf, sizeof(buf));
			_exit(n == 2 && !strcmp(buf, "1\n") ? 0 : 2);
		}
		waitpid(r, &status, 0);
		_exit(WEXITSTATUS(status));
	}
	ASSERT_EQ(reader, waitpid(reader, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	close(hostfd);
	close(p[0]);
	close(p[1]);
	kill(inside, SIGKILL);
	waitpid(inside, NULL, 0);
}

TEST_F(ct, cgroup_binding)
{
	char cg[128], buf[256];
	struct nsctl_set_cgroup a = { .fd = -1 };
	int fd, file;

	snprintf(cg, sizeof(cg), "/sys/fs/cgroup/nsctl-test-%d", getpid());
	ASSERT_EQ(0, mkdir(cg, 0755));
	fd = open(cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(fd, 0);

	a.fd = fd;
	ASSERT_EQ(0, ioctl(self->dirfd, NSCTL_IOC_SET_CGROUP, &a)) {
		TH_LOG("%m - SET_CGROUP");
	}
	ASSERT_EQ(2, a.generation);
	ASSERT_GT(ct_read(self->name, "cgroup", buf, sizeof(buf)), 0);
	ASSERT_STREQ(cg + strlen("/sys/fs/cgroup"), strtok(buf, "\n"));

	file = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	a.fd = file;
	ASSERT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_SET_CGROUP, &a));
	ASSERT_EQ(EBADF, errno);
	a.fd = -2;
	ASSERT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_SET_CGROUP, &a));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(2, ct_read_u64(self->name, "generation"));

	a.fd = -1;
	ASSERT_EQ(0, ioctl(self->dirfd, NSCTL_IOC_SET_CGROUP, &a));
	ASSERT_EQ(3, a.generation);
	ASSERT_GT(ct_read(self->name, "cgroup", buf, sizeof(buf)), 0);
	ASSERT_STREQ("-\n", buf);
	close(file);
	close(fd);
	ASSERT_EQ(0, rmdir(cg));
}

TEST_F(ct, uuid_assignment)
{
	struct nsctl_set_uuid u = {
		.uuid = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x4d, 0xef,
			  0x81, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef },
	};
	struct nsctl_set_uuid nil = { 0 };
	int fds[NSCTL_NS_COUNT], other;
	char buf[64], name2[80];

	ASSERT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_SET_UUID, &nil));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(0, ioctl(self->dirfd, NSCTL_IOC_SET_UUID, &u));
	ASSERT_GT(ct_read(self->name, "uuid", buf, sizeof(buf)), 0);
	ASSERT_STREQ("12345678-9abc-4def-8123-456789abcdef\n", buf);

	snprintf(name2, sizeof(name2), "%s-b", self->name);
	other = ct_make(name2);
	ASSERT_GE(other, 0);
	ASSERT_EQ(-1, ioctl(other, NSCTL_IOC_SET_UUID, &u));
	ASSERT_EQ(EEXIST, errno);
	close(other);
	ASSERT_EQ(0, ct_remove(name2));

	open_ns(0, NSCTL_NS_BIT(NSCTL_NS_UTS), fds);
	ASSERT_EQ(0, ct_set_ns(self->dirfd, NSCTL_NS_BIT(NSCTL_NS_UTS), fds, 0, NULL));
	u.uuid[0] = 0x13;
	ASSERT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_SET_UUID, &u));
	ASSERT_EQ(EBUSY, errno);
	close_fds(fds);
}

struct unpriv_ctx {
	const char *name;
	int dirfd;
};

static int unpriv_attempts(void *arg)
{
	struct unpriv_ctx *ctx = arg;
	struct nsctl_set_uuid u = { .uuid = { 1 } };
	struct nsctl_set_cgroup cg = { .fd = -1 };
	int fds[NSCTL_NS_COUNT], i;
	char path[256], buf[64];

	/*
	 * Its own descriptor of the directory: one opened by root and
	 * inherited would carry root's right to change the container.
	 */
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", ctx->name);
	ctx->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ctx->dirfd < 0)
		return 9;

	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s-u", ctx->name);
	if (mkdir(path, 0755) == 0 || errno != EACCES)
		return 10;
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", ctx->name);
	if (rmdir(path) == 0 || errno != EACCES)
		return 11;
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		fds[i] = -1;
	fds[NSCTL_NS_NET] = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (ct_set_ns(ctx->dirfd, NSCTL_NS_BIT(NSCTL_NS_NET), fds, 0, NULL) == 0 ||
	    errno != EPERM)
		return 12;
	if (ct_set_ns(ctx->dirfd, 0, NULL, NSCTL_NS_BIT(NSCTL_NS_UTS), NULL) == 0 ||
	    errno != EPERM)
		return 13;
	if (ct_get_ns(ctx->dirfd, NSCTL_NS_UTS) >= 0 || errno != EPERM)
		return 14;
	if (ioctl(ctx->dirfd, NSCTL_IOC_SET_CGROUP, &cg) == 0 || errno != EPERM)
		return 15;
	if (ioctl(ctx->dirfd, NSCTL_IOC_SET_UUID, &u) == 0 || errno != EPERM)
		return 16;
	/* Reading is for everyone who sees the container (it is in it). */
	if (ct_read(ctx->name, "namespaces", buf, sizeof(buf)) <= 0)
		return 17;
	return 0;
}

TEST_F(ct, unprivileged_refused)
{
	struct unpriv_ctx ctx = { .name = self->name, .dirfd = self->dirfd };
	int fds[NSCTL_NS_COUNT];

	open_ns(0, NSCTL_NS_BIT(NSCTL_NS_UTS), fds);
	ASSERT_EQ(0, ct_set_ns(self->dirfd, NSCTL_NS_BIT(NSCTL_NS_UTS), fds, 0, NULL));
	close_fds(fds);
	ASSERT_EQ(0, run_unprivileged(unpriv_attempts, &ctx));
	ASSERT_EQ(2, ct_read_u64(self->name, "generation"));
	ASSERT_NE(0, ct_ns_inum(self->name, NSCTL_NS_UTS));
}

TEST(unload_refused_while_containers_exist)
{
	char name[64];
	int fd;

	snprintf(name, sizeof(name), "pin%d", getpid());
	fd = ct_make(name);
	ASSERT_GE(fd, 0);
	close(fd);
	ASSERT_EQ(0, umount(NSCTL_TEST_ROOT));
	/* No user mount left, but a container: still pinned. */
	ASSERT_EQ(-1, sys_delete_module("nsctl", O_NONBLOCK));
	ASSERT_EQ(EWOULDBLOCK, errno);
	/* A new mount shows the same container. */
	ASSERT_EQ(0, mount("none", NSCTL_TEST_ROOT, NSCTL_FS_NAME, 0, NULL));
	ASSERT_EQ(0, ct_remove(name));
}

struct attach_race {
	int dirfd, netfd;
	volatile bool stop;
	int refused;	/* attaches refused (EBUSY) while a delete checked */
	int lost;	/* attached, then deleted before the detach: a process inside */
};

/* Attach and detach a network namespace with a process in it, again and again. */
static void *toggle_net(void *p)
{
	struct attach_race *r = p;
	int fds[NSCTL_NS_COUNT] = { -1, -1, -1, -1, -1, -1, -1, -1 };

	fds[NSCTL_NS_NET] = r->netfd;
	while (!r->stop) {
		if (ct_set_ns(r->dirfd, NSCTL_NS_BIT(NSCTL_NS_NET), fds, 0, NULL)) {
			if (errno == EBUSY)
				r->refused++;
			if (errno == ESTALE)
				break;
			continue;
		}
		if (ct_set_ns(r->dirfd, 0, NULL, NSCTL_NS_BIT(NSCTL_NS_NET), NULL) &&
		    errno == ESTALE) {
			r->lost++;
			break;
		}
	}
	return NULL;
}

/*
 * A delete checks the container for processes, then deletes it: nothing
 * may attach a namespace with a process in it between the two (EBUSY),
 * or a container would be deleted with a process inside.  Each round
 * starts with an empty container, one thread attaching and detaching the
 * network namespace of a process while another deletes it; repeated until
 * attaches were seen refused in that window, so that it was exercised.
 */
TEST(attach_refused_while_delete_checks)
{
	struct attach_race r = { 0 };
	int refused = 0, lost = 0, rounds, release;
	char name[64], path[64];
	pthread_t t;
	pid_t holder;

	/* The holder stays inside its network namespace throughout. */
	holder = ns_holder(CLONE_NEWNET, &release);
	ASSERT_GT(holder, 0);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", holder);
	r.netfd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(r.netfd, 0);

	snprintf(name, sizeof(name), "delrace%d", getpid());
	for (rounds = 0; rounds < 20000 && refused < 3 && !lost; rounds++) {
		r.dirfd = ct_make(name);
		ASSERT_GE(r.dirfd, 0);
		r.stop = false;
		r.refused = r.lost = 0;
		ASSERT_EQ(0, pthread_create(&t, NULL, toggle_net, &r));
		while (ct_remove(name)) {
			ASSERT_EQ(EBUSY, errno);
		}
		r.stop = true;
		pthread_join(t, NULL);
		close(r.dirfd);
		refused += r.refused;
		lost += r.lost;
	}
	TH_LOG("%d rounds: %d attaches refused during a delete's check, %d lost",
	       rounds, refused, lost);
	close(r.netfd);
	ns_holder_end(holder, release);
	ASSERT_EQ(0, lost);
	ASSERT_GT(refused, 0);
}

struct peek_ctx {
	int dirfd;
	pid_t target;		/* a process of another user, in a fresh PID namespace */
};

/* Without CAP_SYS_PTRACE: what /proc/PID/ns refuses, PID_OF_TASK refuses. */
static int pid_of_foreign_task(void *arg)
{
	struct nsctl_set_ns a = {
		.flags = NSCTL_SET_NS_PID_OF_TASK,
		.attach = NSCTL_NS_BIT(NSCTL_NS_PID),
	};
	struct peek_ctx *x = arg;
	char path[64];
	int i;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", x->target);
	if (open(path, O_RDONLY | O_CLOEXEC) >= 0 || (errno != EACCES && errno != EPERM))
		return 1;
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		a.fds[i] = -1;
	a.pid = x->target;
	if (ioctl(x->dirfd, NSCTL_IOC_SET_NS, &a) == 0)
		return 2;
	if (errno != EPERM)
		return 3;
	return 0;
}

/*
 * NSCTL_SET_NS_PID_OF_TASK takes a process's pid_for_children namespace:
 * only where the caller could open that process's /proc/PID/ns files
 * (ptrace read access).  Root without CAP_SYS_PTRACE may not look into
 * another user's process; with it, it may.
 */
TEST_F(ct, pid_of_task_needs_what_proc_pid_ns_needs)
{
	struct nsctl_set_ns a = {
		.flags = NSCTL_SET_NS_PID_OF_TASK,
		.attach = NSCTL_NS_BIT(NSCTL_NS_PID),
	};
	struct peek_ctx x = { .dirfd = self->dirfd };
	int go[2], ready[2], i;
	char c;

	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	x.target = fork();
	ASSERT_GE(x.target, 0);
	if (x.target == 0) {
		c = unshare(CLONE_NEWPID) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534);
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(0, c);

	EXPECT_EQ(0, run_without_cap(CAP_SYS_PTRACE, pid_of_foreign_task, &x));
	ASSERT_EQ(0, ct_ns_inum(self->name, NSCTL_NS_PID));
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		a.fds[i] = -1;
	a.pid = x.target;
	EXPECT_EQ(0, ioctl(self->dirfd, NSCTL_IOC_SET_NS, &a));
	EXPECT_NE(0, ct_ns_inum(self->name, NSCTL_NS_PID));

	ASSERT_EQ(1, write(go[1], "x", 1));
	waitpid(x.target, NULL, 0);
	close(go[0]);
	close(go[1]);
	close(ready[0]);
	close(ready[1]);
}

TEST_HARNESS_MAIN
