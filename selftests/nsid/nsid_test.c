// SPDX-License-Identifier: GPL-2.0
/*
 * Persistent namespace UUIDs: never reused although inode numbers are,
 * the same through every route to a namespace, kept while anything uses
 * the namespace and released after, open-by-UUID with its permission and
 * visibility rules, and bad input.
 */
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "nsctl_test.h"

struct nsid {
	__u8 uuid[16];
	__u64 inum;
};

static int root_fd(void)
{
	return open(NSCTL_TEST_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static int ns_info_fd(int fd, struct nsctl_ns_info *info)
{
	int root = root_fd(), ret;

	memset(info, 0, sizeof(*info));
	info->fd = fd;
	ret = ioctl(root, NSCTL_IOC_NS_INFO, info);
	close(root);
	return ret;
}

static int ns_info_path(const char *path, struct nsctl_ns_info *info)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = ns_info_fd(fd, info);
	close(fd);
	return ret;
}

static int ns_open_uuid(const __u8 uuid[16])
{
	struct nsctl_ns_open a = { 0 };
	int root = root_fd(), ret;

	memcpy(a.uuid, uuid, 16);
	ret = ioctl(root, NSCTL_IOC_NS_OPEN, &a);
	close(root);
	return ret;
}

static int cmp_uuid(const void *a, const void *b)
{
	return memcmp(((const struct nsid *)a)->uuid, ((const struct nsid *)b)->uuid, 16);
}

static int cmp_inum(const void *a, const void *b)
{
	__u64 x = ((const struct nsid *)a)->inum, y = ((const struct nsid *)b)->inum;

	return x < y ? -1 : x > y;
}

/* How many entries share an inode number with an earlier one. */
static int count_reuse(struct nsid *ids, int n)
{
	int i, reused = 0;

	qsort(ids, n, sizeof(*ids), cmp_inum);
	for (i = 1; i < n; i++)
		reused += ids[i].inum == ids[i - 1].inum;
	return reused;
}

static int count_dup_uuids(struct nsid *ids, int n)
{
	int i, dups = 0;

	qsort(ids, n, sizeof(*ids), cmp_uuid);
	for (i = 1; i < n; i++)
		dups += !memcmp(ids[i].uuid, ids[i - 1].uuid, 16);
	return dups;
}

/* Does an entry before @n share @ids[@n]'s inode number? */
static bool inum_seen(const struct nsid *ids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (ids[i].inum == ids[n].inum)
			return true;
	return false;
}

/*
 * Make namespaces of @type one after the other, each dropped before the
 * next, identifying each while it lives, until the kernel has handed out
 * @want inode numbers a second time (the property the test is about), or
 * @cap namespaces were made.  In-process unshare for the types that allow
 * it; a child per namespace for user and pid, whose nesting is bounded.
 * Returns how many were made, or -1.
 */
static int churn(int type, int want, int cap, struct nsid *ids)
{
	struct nsctl_ns_info info;
	int i, fd, p[2], reused = 0;
	char path[64];

	for (i = 0; i < cap && reused < want; i++) {
		if (type == NSCTL_NS_USER || type == NSCTL_NS_PID) {
			pid_t pid;

			if (pipe2(p, O_CLOEXEC))
				return -1;
			pid = fork();
			if (pid == 0) {
				int f;

				close(p[0]);
				if (unshare(ns_clone_flag(type)))
					_exit(1);
				if (type == NSCTL_NS_PID && fork() == 0)
					_exit(0);	/* the new namespace's init */
				wait(NULL);
				snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_proc_file(type));
				f = open(path, O_RDONLY | O_CLOEXEC);
				if (f < 0 || ns_info_fd(f, &info))
					_exit(2);
				_exit(write(p[1], &info, sizeof(info)) == sizeof(info) ? 0 : 3);
			}
			close(p[1]);
			if (read(p[0], &info, sizeof(info)) != sizeof(info))
				return -1;
			close(p[0]);
			waitpid(pid, NULL, 0);
		} else {
			if (unshare(ns_clone_flag(type)))
				return -1;
			snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_proc_file(type));
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0 || ns_info_fd(fd, &info))
				return -1;
			close(fd);
		}
		memcpy(ids[i].uuid, info.uuid, 16);
		ids[i].inum = info.inum;
		reused += inum_seen(ids, i);
		/* A kernel that is slow to reuse shows it before any bound. */
		if (i % 1000 == 999)
			fprintf(stderr, "# %s: %d namespaces made, %d inode numbers reused so far\n",
				ns_proc_file(type), i + 1, reused);
		/*
		 * Let nsctl's collector release the ones nobody uses now, and
		 * the kernel's cleanup_net work run for network namespaces:
		 * reuse only happens once the old ones are freed.
		 */
		if (i % 50 == 49)
			usleep(type == NSCTL_NS_NET ? 100000 : 300000);
	}
	return i;
}

/*
 * Churn until inode numbers were reused a few times: how many namespaces
 * that takes depends on how fast the kernel frees them (RT kernels defer
 * differently), so the loop is sized by the property, and the cap only
 * bounds a kernel that never reuses: no kernel has needed more than a
 * thousand (network namespaces, freed by cleanup_net, need the most).  The
 * cap is divided on the debug kernel, where each namespace is slow to
 * make, so that a kernel that never reuses meets the cap and its message
 * rather than the harness's bound on the test.
 */
#define CHURN_WANT_REUSED	8
#define CHURN_CAP		10000

static void churn_type(struct __test_metadata *_metadata, int type)
{
	int status, reused, dups, p[2], n = 0, cap = scaled(CHURN_CAP);
	struct nsid *ids;
	pid_t pid;

	ids = calloc(CHURN_CAP, sizeof(*ids));
	ASSERT_NE(NULL, ids);
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	/* In a child, so that the test's own namespaces stay as they are. */
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		n = churn(type, CHURN_WANT_REUSED, cap, ids);
		if (n < 0)
			_exit(1);
		if (write(p[1], &n, sizeof(n)) != sizeof(n))
			_exit(2);
		_exit(write(p[1], ids, n * sizeof(*ids)) == (ssize_t)(n * sizeof(*ids)) ? 0 : 2);
	}
	close(p[1]);
	{
		size_t got = 0;
		ssize_t r;

		ASSERT_EQ(sizeof(n), read(p[0], &n, sizeof(n)));
		ASSERT_GT(n, 0);
		ASSERT_LE(n, cap);
		while (got < n * sizeof(*ids) &&
		       (r = read(p[0], (char *)ids + got, n * sizeof(*ids) - got)) > 0)
			got += r;
		ASSERT_EQ(n * sizeof(*ids), got);
	}
	close(p[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);

	reused = count_reuse(ids, n);
	dups = count_dup_uuids(ids, n);
	TH_LOG("%s: %d namespaces, %d inode numbers reused, %d UUIDs repeated",
	       ns_proc_file(type), n, reused, dups);
	/* The test only means something if the kernel did reuse inodes. */
	ASSERT_GE(reused, CHURN_WANT_REUSED) {
		TH_LOG("%s: cap of %d namespaces reached, %d of %d reuses seen: dropped namespaces do not give their inode numbers back",
		       ns_proc_file(type), cap, reused, CHURN_WANT_REUSED);
	}
	ASSERT_EQ(0, dups);
	free(ids);
}

TEST(churn_net)
{
	churn_type(_metadata, NSCTL_NS_NET);
}

TEST(churn_other_types)
{
	static const int types[] = {
		NSCTL_NS_MNT, NSCTL_NS_UTS, NSCTL_NS_IPC, NSCTL_NS_PID,
		NSCTL_NS_USER, NSCTL_NS_CGROUP, NSCTL_NS_TIME,
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		churn_type(_metadata, types[i]);
}

TEST(info_fields)
{
	struct nsctl_ns_info net, user, pid, child;
	int release;
	char path[64];
	pid_t holder;

	ASSERT_EQ(0, ns_info_path("/proc/self/ns/net", &net));
	ASSERT_EQ(NSCTL_NS_NET, net.type);
	ASSERT_EQ(net.inum, ({ struct stat st; stat("/proc/self/ns/net", &st); st.st_ino; }));
	ASSERT_EQ(0x70, net.uuid[6] & 0xf0);	/* version 7 */
	ASSERT_EQ(0x80, net.uuid[8] & 0xc0);	/* RFC 9562 variant */
	ASSERT_EQ(0, ns_info_path("/proc/self/ns/user", &user));
	ASSERT_EQ(0, memcmp(net.owner_uuid, user.uuid, 16));
	ASSERT_EQ(0, memcmp(user.owner_uuid, (__u8[16]){ 0 }, 16));
	ASSERT_EQ(0, memcmp(net.parent_uuid, (__u8[16]){ 0 }, 16));

	/* A child PID namespace names its parent. */
	ASSERT_EQ(0, ns_info_path("/proc/self/ns/pid", &pid));
	holder = ns_holder(CLONE_NEWPID, &release);
	ASSERT_GT(holder, 0);
	{
		int dirfd, i;
		char name[64];
		struct nsctl_set_ns a = {
			.flags = NSCTL_SET_NS_PID_OF_TASK,
			.attach = NSCTL_NS_BIT(NSCTL_NS_PID), .pid = holder,
		};
		__u64 cids[4] = { 0 };

		snprintf(name, sizeof(name), "info%d", getpid());
		dirfd = ct_make(name);
		ASSERT_GE(dirfd, 0);
		for (i = 0; i < NSCTL_NS_COUNT; i++)
			a.fds[i] = -1;
		ASSERT_EQ(0, ioctl(dirfd, NSCTL_IOC_SET_NS, &a));
		i = ct_get_ns(dirfd, NSCTL_NS_PID);
		ASSERT_GE(i, 0);
		memset(&child, 0, sizeof(child));
		child.fd = i;
		child.containers = (uintptr_t)cids;
		child.containers_max = 4;
		{
			int root = root_fd();

			ASSERT_EQ(0, ioctl(root, NSCTL_IOC_NS_INFO, &child));
			close(root);
		}
		close(i);
		ASSERT_EQ(NSCTL_NS_PID, child.type);
		ASSERT_EQ(0, memcmp(child.parent_uuid, pid.uuid, 16));
		ASSERT_EQ(1, child.containers_count);
		ASSERT_EQ(ct_read_u64(name, "id"), cids[0]);
		close(dirfd);
		ASSERT_EQ(0, ct_remove(name));
	}
	ns_holder_end(holder, release);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", getpid());
	ASSERT_EQ(0, ns_info_path(path, &child));
	ASSERT_EQ(0, memcmp(child.uuid, net.uuid, 16));
}

/* /proc/PID/ns, a bind mount, another process's fd, a container: one UUID. */
TEST(four_routes_one_uuid)
{
	struct nsctl_ns_info a, b, c, d;
	char path[128], mnt[] = "/tmp/nsid-bind-XXXXXX", name[64];
	int release, fds[NSCTL_NS_COUNT], dirfd, i, p[2], fd;
	pid_t holder, keeper;
	char ch;

	holder = ns_holder(CLONE_NEWNET, &release);
	ASSERT_GT(holder, 0);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", holder);
	ASSERT_EQ(0, ns_info_path(path, &a));

	/* A bind mount of it. */
	fd = mkstemp(mnt);
	ASSERT_GE(fd, 0);
	close(fd);
	ASSERT_EQ(0, mount(path, mnt, NULL, MS_BIND, NULL));
	ASSERT_EQ(0, ns_info_path(mnt, &b));

	/* An fd another process holds. */
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	keeper = fork();
	if (keeper == 0) {
		int kfd = open(path, O_RDONLY);

		close(p[0]);
		if (kfd < 0 || dup2(kfd, 100) < 0 || write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	ASSERT_EQ(1, read(p[0], &ch, 1));
	close(p[0]);
	snprintf(path, sizeof(path), "/proc/%d/fd/100", keeper);
	ASSERT_EQ(0, ns_info_path(path, &c));

	/* A container holding it, read back through GET_NS. */
	snprintf(name, sizeof(name), "routes%d", getpid());
	dirfd = ct_make(name);
	ASSERT_GE(dirfd, 0);
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		fds[i] = -1;
	fds[NSCTL_NS_NET] = open(mnt, O_RDONLY | O_CLOEXEC);
	ASSERT_EQ(0, ct_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_NET), fds, 0, NULL));
	close(fds[NSCTL_NS_NET]);
	fd = ct_get_ns(dirfd, NSCTL_NS_NET);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, ns_info_fd(fd, &d));
	close(fd);

	ASSERT_EQ(0, memcmp(a.uuid, b.uuid, 16));
	ASSERT_EQ(0, memcmp(a.uuid, c.uuid, 16));
	ASSERT_EQ(0, memcmp(a.uuid, d.uuid, 16));
	{
		char buf[512], want[37];

		ASSERT_GT(ct_read(name, "namespaces", buf, sizeof(buf)), 0);
		ASSERT_NE(NULL, strstr(buf, uuid_str(a.uuid, want)));
	}

	/* The container goes; the keeper's fd keeps the namespace and its UUID. */
	ns_holder_end(holder, release);
	close(dirfd);
	ASSERT_EQ(0, ct_remove(name));
	ASSERT_EQ(0, umount(mnt)) {
		TH_LOG("%m - umount %s", mnt);
	}
	unlink(mnt);
	usleep(300000);
	ASSERT_EQ(0, ns_info_path(path, &c));
	ASSERT_EQ(0, memcmp(a.uuid, c.uuid, 16));

	/* Last user gone: the kernel tears it down, the UUID is stale. */
	kill(keeper, SIGKILL);
	waitpid(keeper, NULL, 0);
	ASSERT_TRUE(wait_for(({ int f = ns_open_uuid(a.uuid); if (f >= 0) close(f);
				 f < 0 && errno == ESTALE; }), 20000)) {
		TH_LOG("%m - NS_OPEN after the namespace died");
	}
}

/* Read all of @fd from its start into @buf; its length, or -1. */
static ssize_t read_all(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t r;

	if (lseek(fd, 0, SEEK_SET))
		return -1;
	while (got < len - 1 && (r = read(fd, buf + got, len - 1 - got)) > 0)
		got += r;
	buf[got] = '\0';
	return got;
}

/* Is @uuid in the "namespaces" file (all of it: one read gives a page)? */
static bool listed(const __u8 uuid[16])
{
	static char buf[1 << 20];
	char want[37];
	ssize_t n;
	int fd;

	uuid_str(uuid, want);
	fd = open(NSCTL_TEST_ROOT "/namespaces", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read_all(fd, buf, sizeof(buf));
	close(fd);
	return n >= 0 && strstr(buf, want) != NULL;
}

/* A uts namespace nsctl saw is tracked while used, and released after. */
TEST(released_when_unused)
{
	struct nsctl_ns_info info;
	char path[64];
	int release, fd;
	pid_t holder;

	holder = ns_holder(CLONE_NEWUTS, &release);
	ASSERT_GT(holder, 0);
	snprintf(path, sizeof(path), "/proc/%d/ns/uts", holder);
	ASSERT_EQ(0, ns_info_path(path, &info));
	ASSERT_TRUE(listed(info.uuid));
	usleep(600000);
	/* Still in use by the holder: still tracked, and openable. */
	ASSERT_TRUE(listed(info.uuid));
	fd = ns_open_uuid(info.uuid);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(info.inum, fd_ino(fd));
	close(fd);

	ns_holder_end(holder, release);
	ASSERT_TRUE(wait_for(!listed(info.uuid), 30000));
	ASSERT_EQ(-1, ns_open_uuid(info.uuid));
	ASSERT_EQ(ESTALE, errno);
}

TEST(open_by_uuid)
{
	struct nsctl_ns_info info;
	__u8 unknown[16] = { 0x12, 0x34 };
	int release, fd, status;
	char path[64];
	pid_t holder, pid;

	holder = ns_holder(CLONE_NEWNET, &release);
	ASSERT_GT(holder, 0);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", holder);
	ASSERT_EQ(0, ns_info_path(path, &info));

	fd = ns_open_uuid(info.uuid);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD));
	ASSERT_EQ(info.inum, fd_ino(fd));
	/* It is a real nsfs fd: setns works with it. */
	pid = fork();
	if (pid == 0)
		_exit(setns(fd, CLONE_NEWNET) ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	close(fd);

	ASSERT_EQ(-1, ns_open_uuid(unknown));
	ASSERT_EQ(ENOENT, errno);

	/* Unprivileged: its own namespace is visible but not joinable... */
	pid = fork();
	if (pid == 0) {
		struct nsctl_ns_info own;

		if (ns_info_path("/proc/self/ns/net", &own))
			_exit(10);
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(11);
		if (ns_open_uuid(own.uuid) >= 0 || errno != EPERM)
			_exit(12);
		/* ...and another one is not even visible. */
		if (ns_open_uuid(info.uuid) >= 0 || errno != ENOENT)
			_exit(13);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));

	/* Root in a child PID namespace does not see all either. */
	pid = fork();
	if (pid == 0) {
		pid_t inner;

		if (unshare(CLONE_NEWPID))
			_exit(20);
		inner = fork();
		if (inner == 0)
			_exit(ns_open_uuid(info.uuid) < 0 && errno == ENOENT ? 0 : 21);
		waitpid(inner, &status, 0);
		_exit(WEXITSTATUS(status));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));

	ns_holder_end(holder, release);
	ASSERT_TRUE(wait_for(({ int f = ns_open_uuid(info.uuid); if (f >= 0) close(f);
				 f < 0 && errno == ESTALE; }), 20000));
}

/* An unprivileged reader's listing shows its own namespaces only. */
static int unpriv_listing(void *arg)
{
	struct nsctl_ns_info own[NSCTL_NS_COUNT];
	char buf[1 << 16], *line, *save = NULL, path[64];
	static const char * const files[] = {
		"mnt", "uts", "ipc", "net", "pid", "user", "cgroup", "time",
	};
	int fd, i, lines = 0;
	ssize_t n;

	(void)arg;
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		snprintf(path, sizeof(path), "/proc/self/ns/%s", files[i]);
		if (ns_info_path(path, &own[i]))
			return 10;
	}
	fd = open(NSCTL_TEST_ROOT "/namespaces", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 11;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 12;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		bool mine = false;

		for (i = 0; i < NSCTL_NS_COUNT; i++) {
			char u[37];

			mine |= !strncmp(line, uuid_str(own[i].uuid, u), 36);
		}
		if (!mine)
			return 13;
		lines++;
	}
	return lines == NSCTL_NS_COUNT ? 0 : 14;
}

TEST(listing_visibility)
{
	int release;
	pid_t holder;

	/* Something the unprivileged reader is not in. */
	holder = ns_holder(CLONE_NEWNET, &release);
	ASSERT_GT(holder, 0);
	{
		struct nsctl_ns_info info;
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d/ns/net", holder);
		ASSERT_EQ(0, ns_info_path(path, &info));
		ASSERT_TRUE(listed(info.uuid));
	}
	ASSERT_EQ(0, run_unprivileged(unpriv_listing, NULL));
	ns_holder_end(holder, release);
}

TEST(bad_input)
{
	struct nsctl_ns_info info = { 0 };
	struct nsctl_ns_open op = { 0 };
	char page[8192] = { 0 };
	int root, file, sock, netfd;

	root = root_fd();
	ASSERT_GE(root, 0);
	file = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	netfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_GE(file, 0);
	ASSERT_GE(sock, 0);
	ASSERT_GE(netfd, 0);

	info.fd = file;
	EXPECT_EQ(-1, ioctl(root, NSCTL_IOC_NS_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
	info.fd = sock;
	EXPECT_EQ(-1, ioctl(root, NSCTL_IOC_NS_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
	info.fd = 999;
	EXPECT_EQ(-1, ioctl(root, NSCTL_IOC_NS_INFO, &info));
	EXPECT_EQ(EBADF, errno);
	info.fd = netfd;
	info.flags = 1;
	EXPECT_EQ(-1, ioctl(root, NSCTL_IOC_NS_INFO, &info));
	EXPECT_EQ(EOPNOTSUPP, errno);
	info.flags = 0;
	info.containers = 8;	/* a bad pointer */
	info.containers_max = 4;
	{
		/* Only written when a container holds it: make one. */
		char name[64];
		int dirfd, fds[NSCTL_NS_COUNT], i;

		snprintf(name, sizeof(name), "bad%d", getpid());
		dirfd = ct_make(name);
		ASSERT_GE(dirfd, 0);
		for (i = 0; i < NSCTL_NS_COUNT; i++)
			fds[i] = -1;
		fds[NSCTL_NS_TIME] = open("/proc/self/ns/time", O_RDONLY | O_CLOEXEC);
		ASSERT_EQ(0, ct_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_TIME), fds, 0, NULL));
		info.fd = fds[NSCTL_NS_TIME];
		EXPECT_EQ(-1, ioctl(root, NSCTL_IOC_NS_INFO, &info));
		EXPECT_EQ(EFAULT, errno);
		ASSERT_EQ(0, ct_set_ns(dirfd, 0, NULL, NSCTL_NS_ALL, NULL));
		close(fds[NSCTL_NS_TIME]);
		close(dirfd);
		ASSERT_EQ(0, ct_remove(name));
	}
	info.containers = 0;
	info.fd = netfd;
	/* Truncated and oversized structs. */
	EXPECT_EQ(-1, ioctl(root, _IOWR(NSCTL_IOC_MAGIC, 32, __u64[4]), &info));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(root, _IOWR(NSCTL_IOC_MAGIC, 32, page), page));
	EXPECT_EQ(E2BIG, errno);
	{
		struct { struct nsctl_ns_info i; __u64 extra; } big = { .i = info, .extra = 5 };

		EXPECT_EQ(-1, ioctl(root, _IOWR(NSCTL_IOC_MAGIC, 32, big), &big));
		EXPECT_EQ(E2BIG, errno);
		big.extra = 0;
		EXPECT_EQ(0, ioctl(root, _IOWR(NSCTL_IOC_MAGIC, 32, big), &big));
		EXPECT_EQ(NSCTL_NS_NET, big.i.type);
	}
	op.flags = 4;
	EXPECT_EQ(-1, ioctl(root, NSCTL_IOC_NS_OPEN, &op));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(-1, ioctl(root, _IOW(NSCTL_IOC_MAGIC, 33, __u64), &op));
	EXPECT_EQ(EINVAL, errno);
	/* Container ioctls are not root ioctls, and the other way round. */
	EXPECT_EQ(-1, ioctl(root, NSCTL_IOC_SET_NS, page));
	EXPECT_EQ(ENOTTY, errno);
	close(file);
	close(sock);
	close(netfd);
	close(root);
}

struct view_ctx {
	int fd;			/* opened by root */
	char want[64];		/* a line root's view has */
	const char *path;	/* for opening as nobody */
	int sk;			/* where nobody sends what it opened */
};

/*
 * As nobody: root's descriptor shows root's view; nobody's own (opened
 * now when @x->path is set) does not.
 */
static int read_as_nobody(void *arg)
{
	struct view_ctx *x = arg;
	static char buf[1 << 16];
	int fd;

	if (read_all(x->fd, buf, sizeof(buf)) < 0 ||
	    (x->want[0] && !strstr(buf, x->want)))
		return 1;
	if (!x->path)
		return 0;
	fd = open(x->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read_all(fd, buf, sizeof(buf)) < 0 ||
	    (x->want[0] && strstr(buf, x->want)))
		return 2;
	return send_fd(x->sk, fd) ? 3 : 0;
}

/* Attach a network namespace nobody is in to @dirfd's container. */
static int attach_fresh_net(int dirfd, struct nsctl_ns_info *info)
{
	int release, ret, fds[NSCTL_NS_COUNT] = { -1, -1, -1, -1, -1, -1, -1, -1 };
	char path[64];
	pid_t holder;

	holder = ns_holder(CLONE_NEWNET, &release);
	if (holder <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", holder);
	fds[NSCTL_NS_NET] = open(path, O_RDONLY | O_CLOEXEC);
	ret = fds[NSCTL_NS_NET] < 0 ||
	      ct_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_NET), fds, 0, NULL) ||
	      ns_info_fd(fds[NSCTL_NS_NET], info) ? -1 : 0;
	if (fds[NSCTL_NS_NET] >= 0)
		close(fds[NSCTL_NS_NET]);
	ns_holder_end(holder, release);
	return ret;
}

/*
 * The "namespaces" files are read as their opener would see them: a
 * descriptor root opened, read by a process that dropped to nobody, still
 * lists a network namespace only root may see (in the top-level file, its
 * UUID line; in a container's, its inode and UUID), and nobody's own
 * descriptor, read by root, does not ("?" in a container's file, opened
 * while nobody still saw the container).
 */
TEST(namespaces_files_read_as_their_opener_sees)
{
	int dirfd, sk[2], fd, fds[NSCTL_NS_COUNT] = { -1, -1, -1, -1, -1, -1, -1, -1 };
	struct nsctl_ns_info info;
	char name[64], path[128], u[37];
	static char buf[1 << 16];
	struct view_ctx x;

	snprintf(name, sizeof(name), "view%d", getpid());
	dirfd = ct_make(name);
	ASSERT_GE(dirfd, 0);
	ASSERT_EQ(0, attach_fresh_net(dirfd, &info));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sk));
	x.sk = sk[0];

	/* The top-level file: the namespace's UUID line. */
	x.path = NSCTL_TEST_ROOT "/namespaces";
	snprintf(x.want, sizeof(x.want), "%s net ", uuid_str(info.uuid, u));
	x.fd = open(x.path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(x.fd, 0);
	/* Listed once the kernel has finished making it (a tick). */
	ASSERT_TRUE(wait_for(read_all(x.fd, buf, sizeof(buf)) > 0 && strstr(buf, x.want), 5000));
	ASSERT_EQ(0, run_unprivileged(read_as_nobody, &x));
	fd = recv_fd(sk[1]);
	ASSERT_GE(fd, 0);
	ASSERT_GE(read_all(fd, buf, sizeof(buf)), 0);
	EXPECT_EQ(NULL, strstr(buf, x.want));
	close(fd);
	close(x.fd);

	/*
	 * The container's file: the net line, or "net ?".  Nobody opens its
	 * own while the container holds only the host's UTS namespace (so
	 * nobody sees it); the network namespace comes after.
	 */
	ASSERT_EQ(0, ct_set_ns(dirfd, 0, NULL, NSCTL_NS_BIT(NSCTL_NS_NET), NULL));
	fds[NSCTL_NS_UTS] = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	ASSERT_EQ(0, ct_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_UTS), fds, 0, NULL));
	close(fds[NSCTL_NS_UTS]);
	fds[NSCTL_NS_UTS] = -1;
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s/namespaces", name);
	x.path = path;
	x.want[0] = '\0';
	x.fd = open(x.path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(x.fd, 0);
	ASSERT_EQ(0, run_unprivileged(read_as_nobody, &x));
	fd = recv_fd(sk[1]);
	ASSERT_GE(fd, 0);
	close(x.fd);

	ASSERT_EQ(0, attach_fresh_net(dirfd, &info));
	uuid_str(info.uuid, u);
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s/namespaces", name);
	x.path = NULL;
	snprintf(x.want, sizeof(x.want), "net %llu %s\n", (unsigned long long)info.inum, u);
	x.fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(x.fd, 0);
	ASSERT_GT(read_all(x.fd, buf, sizeof(buf)), 0);
	ASSERT_NE(NULL, strstr(buf, x.want));
	ASSERT_EQ(0, run_unprivileged(read_as_nobody, &x));
	ASSERT_GE(read_all(fd, buf, sizeof(buf)), 0);
	EXPECT_EQ(NULL, strstr(buf, x.want));
	EXPECT_NE(NULL, strstr(buf, "net ?\n"));
	close(fd);
	close(x.fd);

	close(sk[0]);
	close(sk[1]);
	close(dirfd);
	ASSERT_EQ(0, ct_remove(name));
}

TEST_HARNESS_MAIN
