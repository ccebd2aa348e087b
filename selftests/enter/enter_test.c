// SPDX-License-Identifier: GPL-2.0
/*
 * Entering a container: the checked ioctl (ESTALE, EPERM, the fast path,
 * close-on-exec fds) and libnsctl's nsctl_enter (rollback, threads, the
 * cgroup joined without naming a PID, racing with deletion).
 */
#include <dirent.h>
#include <pthread.h>
#include <sys/resource.h>

#include "kselftest_harness.h"
#include "nsctl_test.h"
#include "libnsctl.h"

/* A container with fresh net, uts, ipc namespaces and a cgroup. */
FIXTURE(ent) {
	char name[64];
	char cg[128];
	int dirfd;
	__u8 uuid[NSCTL_NS_COUNT][16];
};

static void read_uuids(const char *name, __u8 uuid[NSCTL_NS_COUNT][16])
{
	unsigned int i;

	memset(uuid, 0, NSCTL_NS_COUNT * 16);
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		char buf[1024], *line, *save = NULL, t[16], ino[32], u[40];

		if (ct_read(name, "namespaces", buf, sizeof(buf)) < 0)
			return;
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			if (sscanf(line, "%15s %31s %39s", t, ino, u) == 3 &&
			    nsctl_type_from_name(t) == (int)i)
				nsctl_uuid_parse(u, uuid[i]);
	}
}

/* Give the container a fresh network namespace nobody is in. */
static int replace_net(int dirfd)
{
	int release, ret, fds[NSCTL_NS_COUNT] = { -1, -1, -1, -1, -1, -1, -1, -1 };
	char path[64];
	pid_t holder;

	holder = ns_holder(CLONE_NEWNET, &release);
	if (holder < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", holder);
	fds[NSCTL_NS_NET] = open(path, O_RDONLY | O_CLOEXEC);
	ret = ct_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_NET), fds, 0, NULL);
	close(fds[NSCTL_NS_NET]);
	ns_holder_end(holder, release);
	return ret;
}

FIXTURE_SETUP(ent)
{
	int release, fds[NSCTL_NS_COUNT], i, cgfd;
	struct nsctl_set_cgroup cg = { 0 };
	char path[128];
	pid_t holder;

	snprintf(self->name, sizeof(self->name), "e%d", getpid());
	self->dirfd = ct_make(self->name);
	ASSERT_GE(self->dirfd, 0);
	holder = ns_holder(CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC, &release);
	ASSERT_GT(holder, 0);
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		fds[i] = -1;
		if (i == NSCTL_NS_NET || i == NSCTL_NS_UTS || i == NSCTL_NS_IPC) {
			snprintf(path, sizeof(path), "/proc/%d/ns/%s", holder, ns_proc_file(i));
			fds[i] = open(path, O_RDONLY | O_CLOEXEC);
		}
	}
	ASSERT_EQ(0, ct_set_ns(self->dirfd, NSCTL_NS_BIT(NSCTL_NS_NET) |
			       NSCTL_NS_BIT(NSCTL_NS_UTS) | NSCTL_NS_BIT(NSCTL_NS_IPC),
			       fds, 0, NULL));
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	ns_holder_end(holder, release);

	snprintf(self->cg, sizeof(self->cg), "/sys/fs/cgroup/%s", self->name);
	ASSERT_EQ(0, mkdir(self->cg, 0755));
	cgfd = open(self->cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(cgfd, 0);
	cg.fd = cgfd;
	ASSERT_EQ(0, ioctl(self->dirfd, NSCTL_IOC_SET_CGROUP, &cg));
	close(cgfd);
	read_uuids(self->name, self->uuid);
}

FIXTURE_TEARDOWN(ent)
{
	/* A test may have left this process inside: empty the container. */
	if (self->dirfd >= 0) {
		ct_set_ns(self->dirfd, 0, NULL, NSCTL_NS_ALL, NULL);
		close(self->dirfd);
	}
	ct_remove(self->name);
	rmdir(self->cg);
}

TEST_F(ent, ioctl_hands_out_cloexec_fds)
{
	struct nsctl_enter e = { .flags = NSCTL_ENTER_CGROUP };
	unsigned int i;

	ASSERT_EQ(0, ioctl(self->dirfd, NSCTL_IOC_ENTER, &e)) {
		TH_LOG("%m - NSCTL_IOC_ENTER");
	}
	ASSERT_EQ(NSCTL_NS_BIT(NSCTL_NS_NET) | NSCTL_NS_BIT(NSCTL_NS_UTS) |
		  NSCTL_NS_BIT(NSCTL_NS_IPC), e.entered);
	ASSERT_EQ(0, e.already);
	ASSERT_EQ(3, e.generation);
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (!(e.entered & NSCTL_NS_BIT(i))) {
			ASSERT_EQ(-1, e.fds[i]);
			continue;
		}
		ASSERT_GE(e.fds[i], 0);
		ASSERT_EQ(FD_CLOEXEC, fcntl(e.fds[i], F_GETFD));
		ASSERT_EQ(ct_ns_inum(self->name, i), fd_ino(e.fds[i]));
		close(e.fds[i]);
	}
	ASSERT_GE(e.cgroup_fd, 0);
	ASSERT_EQ(FD_CLOEXEC, fcntl(e.cgroup_fd, F_GETFD));
	ASSERT_EQ(0, faccessat(e.cgroup_fd, "cgroup.procs", W_OK, 0));
	close(e.cgroup_fd);
}

TEST_F(ent, check_only_hands_out_nothing)
{
	struct nsctl_enter e = { .flags = NSCTL_ENTER_NO_FDS | NSCTL_ENTER_CGROUP };
	int before = count_fds();

	ASSERT_EQ(0, ioctl(self->dirfd, NSCTL_IOC_ENTER, &e));
	ASSERT_EQ(NSCTL_NS_BIT(NSCTL_NS_NET) | NSCTL_NS_BIT(NSCTL_NS_UTS) |
		  NSCTL_NS_BIT(NSCTL_NS_IPC), e.entered);
	ASSERT_EQ(-1, e.fds[NSCTL_NS_NET]);
	ASSERT_EQ(-1, e.cgroup_fd);
	ASSERT_EQ(before, count_fds());
	/* The checks are the same: a wrong generation is still stale. */
	e.flags = NSCTL_ENTER_NO_FDS | NSCTL_ENTER_CHECK_GEN;
	e.generation = 1;
	ASSERT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_ENTER, &e));
	ASSERT_EQ(ESTALE, errno);
}

TEST_F(ent, cached_enter_reuses_fds_until_the_generation_moves)
{
	struct nsctl_enter_req req = { .types = NSCTL_NS_BIT(NSCTL_NS_NET) };
	struct nsctl_enter_cache cache;
	struct nsctl_enter_result res;
	int home, before;

	home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	nsctl_enter_cache_init(&cache);
	ASSERT_EQ(0, nsctl_enter_cached(self->dirfd, &req, &cache, &res));
	ASSERT_EQ(ct_ns_inum(self->name, NSCTL_NS_NET), self_ns("net"));
	ASSERT_EQ(0, setns(home, CLONE_NEWNET));

	/*
	 * Again: the same namespace, and no new fd but the one the thread
	 * keeps of where it comes back to (then not even that).
	 */
	before = count_fds();
	ASSERT_EQ(0, nsctl_enter_cached(self->dirfd, &req, &cache, &res));
	ASSERT_EQ(before + 1, count_fds());
	ASSERT_EQ(ct_ns_inum(self->name, NSCTL_NS_NET), self_ns("net"));
	ASSERT_EQ(0, setns(home, CLONE_NEWNET));
	ASSERT_EQ(0, nsctl_enter_cached(self->dirfd, &req, &cache, &res));
	ASSERT_EQ(before + 1, count_fds());
	ASSERT_EQ(ct_ns_inum(self->name, NSCTL_NS_NET), self_ns("net"));
	ASSERT_EQ(0, setns(home, CLONE_NEWNET));

	/* Replaced: the cache is refreshed, the new namespace entered. */
	ASSERT_EQ(0, replace_net(self->dirfd));
	ASSERT_EQ(0, nsctl_enter_cached(self->dirfd, &req, &cache, &res));
	ASSERT_EQ(ct_ns_inum(self->name, NSCTL_NS_NET), self_ns("net"));
	ASSERT_EQ(4, cache.generation);
	ASSERT_EQ(0, setns(home, CLONE_NEWNET));
	nsctl_enter_cache_clear(&cache);
	close(home);
}

TEST_F(ent, fast_path_when_already_inside)
{
	struct nsctl_enter_req req = { 0 };
	struct nsctl_enter_result res;
	struct nsctl_enter e = { 0 };
	int before;

	ASSERT_EQ(0, nsctl_enter(self->dirfd, &req, &res));
	ASSERT_EQ(ct_ns_inum(self->name, NSCTL_NS_NET), self_ns("net"));
	ASSERT_EQ(ct_ns_inum(self->name, NSCTL_NS_UTS), self_ns("uts"));

	before = count_fds();
	ASSERT_EQ(0, ioctl(self->dirfd, NSCTL_IOC_ENTER, &e));
	ASSERT_EQ(0, e.entered);
	ASSERT_EQ(NSCTL_NS_BIT(NSCTL_NS_NET) | NSCTL_NS_BIT(NSCTL_NS_UTS) |
		  NSCTL_NS_BIT(NSCTL_NS_IPC), e.already);
	ASSERT_EQ(before, count_fds());
	ASSERT_EQ(-1, e.fds[NSCTL_NS_NET]);
	ASSERT_EQ(-1, e.cgroup_fd);
	/* The statistic counts real enters only. */
	ASSERT_EQ(0, ct_stat_field(self->name, "enters", (char[32]){ 0 }, 32));
}

TEST_F(ent, stale_after_replacement)
{
	struct nsctl_enter e = { .flags = NSCTL_ENTER_CHECK_GEN, .generation = 3 };
	int before;

	memcpy(e.expect_uuid[NSCTL_NS_NET], self->uuid[NSCTL_NS_NET], 16);
	ASSERT_EQ(0, ioctl(self->dirfd, NSCTL_IOC_ENTER, &e));
	close(e.fds[NSCTL_NS_NET]);
	close(e.fds[NSCTL_NS_UTS]);
	close(e.fds[NSCTL_NS_IPC]);

	/* Replace the network namespace behind the caller's back. */
	ASSERT_EQ(0, replace_net(self->dirfd));

	before = count_fds();
	/* By generation... */
	memset(&e, 0, sizeof(e));
	e.flags = NSCTL_ENTER_CHECK_GEN;
	e.generation = 3;
	ASSERT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_ENTER, &e));
	ASSERT_EQ(ESTALE, errno);
	/* ...and by UUID. */
	memset(&e, 0, sizeof(e));
	memcpy(e.expect_uuid[NSCTL_NS_NET], self->uuid[NSCTL_NS_NET], 16);
	ASSERT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_ENTER, &e));
	ASSERT_EQ(ESTALE, errno);
	ASSERT_EQ(before, count_fds());
	/* An unchanged type's UUID still matches. */
	memset(&e, 0, sizeof(e));
	memcpy(e.expect_uuid[NSCTL_NS_UTS], self->uuid[NSCTL_NS_UTS], 16);
	e.types = NSCTL_NS_BIT(NSCTL_NS_UTS);
	ASSERT_EQ(0, ioctl(self->dirfd, NSCTL_IOC_ENTER, &e));
	close(e.fds[NSCTL_NS_UTS]);
}

/*
 * The Netdev talk's bug: a handle to a namespace that was deleted and
 * recreated under the same name must not lead into the new one.
 */
TEST_F(ent, stale_after_delete_and_recreate)
{
	struct nsctl_enter e = { 0 };
	__u8 old_uuid[NSCTL_NS_COUNT][16];
	int newfd, fds[NSCTL_NS_COUNT], i;

	memcpy(old_uuid, self->uuid, sizeof(old_uuid));
	ASSERT_EQ(0, ct_set_ns(self->dirfd, 0, NULL, NSCTL_NS_ALL, NULL));
	ASSERT_EQ(0, ct_remove(self->name));
	/* Recreated under the same name, holding our own namespaces. */
	newfd = ct_make(self->name);
	ASSERT_GE(newfd, 0);
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		fds[i] = -1;
	fds[NSCTL_NS_NET] = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_EQ(0, ct_set_ns(newfd, NSCTL_NS_BIT(NSCTL_NS_NET), fds, 0, NULL));
	close(fds[NSCTL_NS_NET]);

	/* The old handle is stale... */
	ASSERT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_ENTER, &e));
	ASSERT_EQ(ESTALE, errno);
	/* ...and so is an enter by name that expects the old namespace. */
	memset(&e, 0, sizeof(e));
	memcpy(e.expect_uuid[NSCTL_NS_NET], old_uuid[NSCTL_NS_NET], 16);
	ASSERT_EQ(-1, ioctl(newfd, NSCTL_IOC_ENTER, &e));
	ASSERT_EQ(ESTALE, errno);
	ASSERT_EQ(0, ct_set_ns(newfd, 0, NULL, NSCTL_NS_ALL, NULL));
	close(self->dirfd);
	self->dirfd = newfd;
}

static int unpriv_enter(void *arg)
{
	int dirfd = *(int *)arg, before = count_fds();
	struct nsctl_enter e = { .flags = NSCTL_ENTER_CGROUP };

	if (ioctl(dirfd, NSCTL_IOC_ENTER, &e) == 0 || errno != EPERM)
		return 1;
	return count_fds() == before ? 0 : 2;
}

TEST_F(ent, unprivileged_refused_and_nothing_handed_out)
{
	ASSERT_EQ(0, run_unprivileged(unpriv_enter, &self->dirfd));
}

TEST_F(ent, rollback_when_a_later_step_fails)
{
	struct nsctl_enter_req req = { .join_cgroup = true };
	struct nsctl_enter_result res;
	char child[160], path[200];
	ino_t net = self_ns("net"), uts = self_ns("uts"), ipc = self_ns("ipc");
	int fd, before;

	/*
	 * A cgroup with controllers enabled for children takes no process
	 * (cgroup v2's no-internal-process rule): the join, after the
	 * namespaces are switched, fails.
	 */
	snprintf(child, sizeof(child), "%s/leaf", self->cg);
	ASSERT_EQ(0, mkdir(child, 0755));
	fd = open("/sys/fs/cgroup/cgroup.subtree_control", O_WRONLY);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(7, write(fd, "+memory", 7));
	close(fd);
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", self->cg);
	fd = open(path, O_WRONLY);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(7, write(fd, "+memory", 7)) {
		TH_LOG("%m - enabling memory below %s", self->cg);
	}
	close(fd);

	before = count_fds();
	ASSERT_EQ(-EBUSY, nsctl_enter(self->dirfd, &req, &res));
	ASSERT_EQ(net, self_ns("net"));
	ASSERT_EQ(uts, self_ns("uts"));
	ASSERT_EQ(ipc, self_ns("ipc"));
	ASSERT_EQ(before, count_fds());
	ASSERT_EQ(0, rmdir(child));
}

struct thread_arg {
	int dirfd;
	uint64_t types;
	int err;
	ino_t net, uts;
};

struct fd_squatter {
	int marker;		/* what the thread puts on the numbers */
	int lo, hi;		/* the numbers an enter would take */
	volatile bool stop;
	unsigned long puts, busy, lost;
};

/*
 * Put the marker on the numbers an enter takes, check it is still there,
 * free them again; "lost" counts a marker something else closed or
 * replaced, which only the enter, failing, could have done.
 */
static void *squat_fds(void *p)
{
	struct fd_squatter *q = p;
	ino_t ino = fd_ino(q->marker);
	struct stat st;
	int fd;

	while (!q->stop) {
		for (fd = q->lo; fd <= q->hi; fd++) {
			if (dup2(q->marker, fd) < 0) {
				/* Reserved by the enter, or taken: not ours. */
				q->busy++;
				continue;
			}
			q->puts++;
			if (fstat(fd, &st) || st.st_ino != ino)
				q->lost++;
			close(fd);
		}
	}
	return NULL;
}

/*
 * An enter whose last descriptor cannot be made (RLIMIT_NOFILE leaves no
 * room for the cgroup's) installs none, and so never closes the numbers
 * it took: another thread of the process putting its own files on those
 * numbers meanwhile never loses one.
 */
TEST_F(ent, late_failure_installs_nothing_closes_nothing)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct fd_squatter q = { 0 };
		unsigned long fails = 0, i;
		struct rlimit rl;
		pthread_t t;
		int lo;

		q.marker = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		lo = dup(0);
		close(lo);
		/* Room for the three namespaces, not for the cgroup as well. */
		q.lo = lo;
		q.hi = lo + 2;
		rl.rlim_cur = rl.rlim_max = lo + 3;
		if (q.marker < 0 || lo < 0 || setrlimit(RLIMIT_NOFILE, &rl))
			_exit(1);
		if (pthread_create(&t, NULL, squat_fds, &q))
			_exit(2);
		for (i = 0; i < (unsigned long)scaled(3000); i++) {
			struct nsctl_enter e = { .flags = NSCTL_ENTER_CGROUP };
			int k;

			if (!ioctl(self->dirfd, NSCTL_IOC_ENTER, &e))
				_exit(3);
			if (errno != EMFILE)
				_exit(4);
			fails++;
			for (k = 0; k < NSCTL_NS_COUNT; k++)
				if (e.fds[k] != -1)
					_exit(5);
		}
		q.stop = true;
		pthread_join(t, NULL);
		printf("# %lu enters failed; markers put %lu times, %lu refused, %lu lost\n",
		       fails, q.puts, q.busy, q.lost);
		_exit(q.lost ? 6 : q.puts ? 0 : 7);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
}

static void *thread_enter(void *p)
{
	struct thread_arg *a = p;
	struct nsctl_enter_req req = { .types = a->types };
	struct nsctl_enter_result res;

	a->err = nsctl_enter(a->dirfd, &req, &res);
	a->net = self_ns("net");
	a->uts = self_ns("uts");
	return NULL;
}

static void *sleep_a_second(void *p)
{
	(void)p;
	sleep(1);
	return NULL;
}

TEST_F(ent, threads_enter_per_thread_types_only)
{
	struct thread_arg a = {
		.dirfd = self->dirfd,
		.types = NSCTL_NS_BIT(NSCTL_NS_NET) | NSCTL_NS_BIT(NSCTL_NS_UTS) |
			 NSCTL_NS_BIT(NSCTL_NS_IPC),
	};
	ino_t net = self_ns("net"), uts = self_ns("uts"), mnt = self_ns("mnt");
	int fds[NSCTL_NS_COUNT] = { -1, -1, -1, -1, -1, -1, -1, -1 }, release;
	pthread_t t;
	char path[64];
	pid_t holder;

	ASSERT_EQ(0, pthread_create(&t, NULL, thread_enter, &a));
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EQ(0, a.err);
	ASSERT_EQ(ct_ns_inum(self->name, NSCTL_NS_NET), a.net);
	ASSERT_EQ(ct_ns_inum(self->name, NSCTL_NS_UTS), a.uts);
	/* The main thread did not move. */
	ASSERT_EQ(net, self_ns("net"));
	ASSERT_EQ(uts, self_ns("uts"));

	/* A mount namespace cannot be entered by one thread of several. */
	holder = ns_holder(CLONE_NEWNS, &release);
	ASSERT_GT(holder, 0);
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", holder);
	fds[NSCTL_NS_MNT] = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_EQ(0, ct_set_ns(self->dirfd, NSCTL_NS_BIT(NSCTL_NS_MNT), fds, 0, NULL));
	close(fds[NSCTL_NS_MNT]);
	ns_holder_end(holder, release);

	a.types = 0;
	{
		pthread_t sleeper;

		/* Two threads exist while the main thread tries. */
		ASSERT_EQ(0, pthread_create(&sleeper, NULL, sleep_a_second, NULL));
		{
			struct nsctl_enter_req req = { 0 };
			struct nsctl_enter_result res;

			ASSERT_EQ(-EDEADLK, nsctl_enter(self->dirfd, &req, &res));
		}
		ASSERT_EQ(net, self_ns("net"));
		ASSERT_EQ(mnt, self_ns("mnt"));
		pthread_join(sleeper, NULL);
	}
}

TEST_F(ent, cgroup_joined_without_pid_translation)
{
	struct nsctl_enter_req req = { .join_cgroup = true,
				       .types = NSCTL_NS_BIT(NSCTL_NS_UTS) };
	int status, p[2];
	char buf[256];
	pid_t pid;

	/* From inside another PID namespace, where getpid() means nothing outside. */
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	pid = fork();
	if (pid == 0) {
		pid_t inner;

		if (unshare(CLONE_NEWPID))
			_exit(1);
		inner = fork();
		if (inner == 0) {
			struct nsctl_enter_result res;
			int fd, n;

			if (getpid() != 1 || nsctl_enter(self->dirfd, &req, &res))
				_exit(2);
			fd = open("/proc/self/cgroup", O_RDONLY);
			n = read(fd, buf, sizeof(buf) - 1);
			if (n <= 0 || write(p[1], buf, n) != n)
				_exit(3);
			_exit(0);
		}
		waitpid(inner, &status, 0);
		_exit(WEXITSTATUS(status));
	}
	close(p[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	memset(buf, 0, sizeof(buf));
	ASSERT_GT(read(p[0], buf, sizeof(buf) - 1), 0);
	close(p[0]);
	{
		char want[200];

		snprintf(want, sizeof(want), "0::/%s\n", self->name);
		ASSERT_STREQ(want, buf);
	}
}

struct race {
	const char *name;
	int utsfd, netfd;
	volatile bool stop;
};

/* Delete and recreate the container, holding the same two namespaces. */
static void *racer_delete(void *p)
{
	struct race *r = p;
	int fds[NSCTL_NS_COUNT], i, dirfd;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		fds[i] = -1;
	fds[NSCTL_NS_UTS] = r->utsfd;
	fds[NSCTL_NS_NET] = r->netfd;
	while (!r->stop) {
		ct_remove(r->name);
		dirfd = ct_make(r->name);
		if (dirfd < 0)
			continue;
		ct_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_UTS) | NSCTL_NS_BIT(NSCTL_NS_NET),
			  fds, 0, NULL);
		close(dirfd);
	}
	return NULL;
}

/*
 * Enter racing with delete and recreate: every enter either ends inside
 * the namespaces it checked, or fails cleanly and changes nothing.
 */
TEST(enter_races_with_delete)
{
	int ok = 0, clean = 0, bad = 0, i, release;
	static __u8 expect[NSCTL_NS_COUNT][16];
	struct race r = { 0 };
	ino_t uts, net;
	char name[64], path[64];
	pthread_t t;
	pid_t holder;

	/* Namespaces no process is in, so the container is never busy for long. */
	holder = ns_holder(CLONE_NEWUTS | CLONE_NEWNET, &release);
	ASSERT_GT(holder, 0);
	snprintf(path, sizeof(path), "/proc/%d/ns/uts", holder);
	r.utsfd = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", holder);
	r.netfd = open(path, O_RDONLY | O_CLOEXEC);
	ns_holder_end(holder, release);
	uts = fd_ino(r.utsfd);
	net = fd_ino(r.netfd);
	{
		struct nsctl_ns_info info;

		ASSERT_EQ(0, nsctl_ns_info(r.utsfd, &info, NULL, 0));
		memcpy(expect[NSCTL_NS_UTS], info.uuid, 16);
		ASSERT_EQ(0, nsctl_ns_info(r.netfd, &info, NULL, 0));
		memcpy(expect[NSCTL_NS_NET], info.uuid, 16);
	}

	snprintf(name, sizeof(name), "race%d", getpid());
	r.name = name;
	ASSERT_EQ(0, pthread_create(&t, NULL, racer_delete, &r));
	for (i = 0; i < 300; i++) {
		pid_t pid = fork();
		int status;

		if (pid == 0) {
			/* What a caller does: say what it expects to enter. */
			struct nsctl_enter_req req = {
				.expect_uuid = (const uint8_t (*)[16])expect,
			};
			struct nsctl_enter_result res;
			ino_t uts0 = self_ns("uts"), net0 = self_ns("net");
			int dirfd = nsctl_open(name);

			if (dirfd < 0)
				_exit(10);
			if (nsctl_enter(dirfd, &req, &res))
				_exit(self_ns("uts") == uts0 && self_ns("net") == net0 ? 11 : 1);
			_exit(self_ns("uts") == uts && self_ns("net") == net ? 0 : 2);
		}
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		switch (WEXITSTATUS(status)) {
		case 0: ok++; break;
		case 10: case 11: clean++; break;
		default: bad++; break;
		}
	}
	r.stop = true;
	pthread_join(t, NULL);
	ct_remove(name);
	close(r.utsfd);
	close(r.netfd);
	TH_LOG("%d entered, %d clean failures, %d half-entered", ok, clean, bad);
	ASSERT_EQ(0, bad);
	ASSERT_GT(ok, 0);
	ASSERT_GT(clean, 0);
}

/*
 * A caller that joined the container's PID namespace with setns(2) and
 * has not forked yet is inside for pid: its children will be.  ENTER has
 * nothing more for it to switch to.
 */
TEST(pid_for_children_counts_as_inside)
{
	struct nsctl_set_ns a = {
		.flags = NSCTL_SET_NS_PID_OF_TASK,
		.attach = NSCTL_NS_BIT(NSCTL_NS_PID),
	};
	int release, dirfd, status, i;
	char name[64];
	pid_t holder, pid;

	snprintf(name, sizeof(name), "pidfc%d", getpid());
	dirfd = ct_make(name);
	ASSERT_GE(dirfd, 0);
	holder = ns_holder(CLONE_NEWPID, &release);
	ASSERT_GT(holder, 0);
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		a.fds[i] = -1;
	a.pid = holder;
	ASSERT_EQ(0, ioctl(dirfd, NSCTL_IOC_SET_NS, &a));
	ns_holder_end(holder, release);

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		struct nsctl_enter e = { .types = NSCTL_NS_BIT(NSCTL_NS_PID) };

		if (ioctl(dirfd, NSCTL_IOC_ENTER, &e) || e.entered != NSCTL_NS_BIT(NSCTL_NS_PID))
			_exit(1);
		if (setns(e.fds[NSCTL_NS_PID], CLONE_NEWPID))
			_exit(2);
		close(e.fds[NSCTL_NS_PID]);
		memset(&e, 0, sizeof(e));
		e.types = NSCTL_NS_BIT(NSCTL_NS_PID);
		e.flags = NSCTL_ENTER_NO_FDS;
		if (ioctl(dirfd, NSCTL_IOC_ENTER, &e))
			_exit(3);
		if (e.entered)
			_exit(4);
		_exit(e.already == NSCTL_NS_BIT(NSCTL_NS_PID) ? 0 : 5);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(dirfd);
	ASSERT_EQ(0, ct_remove(name));
}

struct chroot_ctx {
	int dirfd;	/* a container holding a mount and a network namespace */
	int mntfd;	/* the same mount namespace, opened through /proc */
};

/*
 * setns(2) into a mount namespace needs CAP_SYS_CHROOT as well: without
 * it, nsctl hands out neither the namespace nor an enter into it, and
 * still does for the network namespace, which needs no such capability.
 */
static int enter_without_chroot(void *arg)
{
	struct chroot_ctx *x = arg;
	struct nsctl_enter e = { .types = NSCTL_NS_BIT(NSCTL_NS_MNT) };
	int fd, before = count_fds();

	if (setns(x->mntfd, CLONE_NEWNS) == 0 || errno != EPERM)
		return 1;
	if (ct_get_ns(x->dirfd, NSCTL_NS_MNT) >= 0 || errno != EPERM)
		return 2;
	if (ioctl(x->dirfd, NSCTL_IOC_ENTER, &e) == 0 || errno != EPERM)
		return 3;
	e.flags = NSCTL_ENTER_NO_FDS;
	if (ioctl(x->dirfd, NSCTL_IOC_ENTER, &e) == 0 || errno != EPERM)
		return 4;
	if (count_fds() != before)
		return 5;
	fd = ct_get_ns(x->dirfd, NSCTL_NS_NET);
	if (fd < 0)
		return 6;
	close(fd);
	return 0;
}

TEST(mnt_needs_cap_sys_chroot_as_setns_does)
{
	int release, fds[NSCTL_NS_COUNT] = { -1, -1, -1, -1, -1, -1, -1, -1 };
	struct chroot_ctx x;
	char name[64], path[64];
	pid_t holder;

	snprintf(name, sizeof(name), "chroot%d", getpid());
	x.dirfd = ct_make(name);
	ASSERT_GE(x.dirfd, 0);
	holder = ns_holder(CLONE_NEWNS | CLONE_NEWNET, &release);
	ASSERT_GT(holder, 0);
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", holder);
	fds[NSCTL_NS_MNT] = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", holder);
	fds[NSCTL_NS_NET] = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_EQ(0, ct_set_ns(x.dirfd, NSCTL_NS_BIT(NSCTL_NS_MNT) | NSCTL_NS_BIT(NSCTL_NS_NET),
			       fds, 0, NULL));
	x.mntfd = fds[NSCTL_NS_MNT];
	close(fds[NSCTL_NS_NET]);
	ns_holder_end(holder, release);

	EXPECT_EQ(0, run_without_cap(CAP_SYS_CHROOT, enter_without_chroot, &x));
	close(x.mntfd);
	close(x.dirfd);
	ASSERT_EQ(0, ct_remove(name));
}

TEST_HARNESS_MAIN
