// SPDX-License-Identifier: GPL-2.0
/*
 * The compact check (NSCTL_IOC_ENTER_CHECK), the lockless fast path under
 * concurrent change, and libnsctl's switch with what each thread keeps to
 * come back to.
 */
#include <dirent.h>
#include <pthread.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "nsctl_test.h"
#include "libnsctl.h"

#define NET_UTS (NSCTL_NS_BIT(NSCTL_NS_NET) | NSCTL_NS_BIT(NSCTL_NS_UTS))

/* Fresh namespaces of @flags nobody is in, as fds indexed by type. */
static int fresh_ns(int flags, int fds[NSCTL_NS_COUNT])
{
	int release, i;
	char path[64];
	pid_t holder;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		fds[i] = -1;
	holder = ns_holder(flags, &release);
	if (holder < 0)
		return -1;
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (!(flags & ns_clone_flag(i)))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", holder, ns_proc_file(i));
		fds[i] = open(path, O_RDONLY | O_CLOEXEC);
	}
	ns_holder_end(holder, release);
	return 0;
}

static void close_fds(int fds[NSCTL_NS_COUNT])
{
	int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* A container named @name holding fresh net and uts namespaces. */
static int make_ct(const char *name)
{
	int fds[NSCTL_NS_COUNT], dirfd, ret;

	dirfd = ct_make(name);
	if (dirfd < 0 || fresh_ns(CLONE_NEWNET | CLONE_NEWUTS, fds))
		return -1;
	ret = ct_set_ns(dirfd, NET_UTS, fds, 0, NULL);
	close_fds(fds);
	return ret ? -1 : dirfd;
}

static int check(int dirfd, uint64_t flags, uint64_t types, uint64_t gen,
		 struct nsctl_enter_check *chk)
{
	memset(chk, 0, sizeof(*chk));
	chk->flags = flags;
	chk->types = types;
	chk->generation = gen;
	return ioctl(dirfd, NSCTL_IOC_ENTER_CHECK, chk) ? -errno : 0;
}

static void *idle_thread(void *p)
{
	int *stop = p;

	while (!__atomic_load_n(stop, __ATOMIC_ACQUIRE))
		usleep(1000);
	return NULL;
}

TEST(check_answers_as_enter_does)
{
	char name[64];
	struct nsctl_enter_check chk;
	struct nsctl_enter e = { .flags = NSCTL_ENTER_NO_FDS };
	int dirfd, home, before, stop = 0;
	pthread_t t;

	snprintf(name, sizeof(name), "chk%d", getpid());
	dirfd = make_ct(name);
	ASSERT_GE(dirfd, 0);
	home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);

	/* Outside: what to enter, where the caller is, what it would get. */
	before = count_fds();
	ASSERT_EQ(0, check(dirfd, 0, 0, 0, &chk));
	ASSERT_EQ(0, ioctl(dirfd, NSCTL_IOC_ENTER, &e));
	ASSERT_EQ(before, count_fds());
	ASSERT_EQ(NET_UTS, chk.entered);
	ASSERT_EQ(e.entered, chk.entered);
	ASSERT_EQ(e.already, chk.already);
	ASSERT_EQ(e.generation, chk.generation);
	ASSERT_EQ(1, chk.threads);
	ASSERT_EQ(self_ns("net"), chk.cur_inum[NSCTL_NS_NET]);
	ASSERT_EQ(self_ns("uts"), chk.cur_inum[NSCTL_NS_UTS]);
	ASSERT_EQ(0, chk.cur_inum[NSCTL_NS_IPC]);
	ASSERT_EQ(ct_ns_inum(name, NSCTL_NS_NET), chk.ns_inum[NSCTL_NS_NET]);
	ASSERT_EQ(ct_ns_inum(name, NSCTL_NS_UTS), chk.ns_inum[NSCTL_NS_UTS]);
	ASSERT_EQ(NSCTL_PID_INIT_NONE, chk.pid_init);

	/* The kernel counts the caller's threads. */
	ASSERT_EQ(0, pthread_create(&t, NULL, idle_thread, &stop));
	ASSERT_EQ(0, check(dirfd, 0, 0, 0, &chk));
	ASSERT_EQ(2, chk.threads);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);

	/* Inside net only: net already, uts to enter. */
	ASSERT_EQ(0, setns(ct_get_ns(dirfd, NSCTL_NS_NET), CLONE_NEWNET));
	ASSERT_EQ(0, check(dirfd, 0, 0, 0, &chk));
	ASSERT_EQ(NSCTL_NS_BIT(NSCTL_NS_UTS), chk.entered);
	ASSERT_EQ(NSCTL_NS_BIT(NSCTL_NS_NET), chk.already);
	/* Asked for net alone: the fast path, nothing but the answer. */
	memset(&chk, 0xa5, sizeof(chk));
	chk.flags = NSCTL_ENTER_CHECK_GEN;
	chk.types = NSCTL_NS_BIT(NSCTL_NS_NET);
	chk.generation = e.generation;
	ASSERT_EQ(0, ioctl(dirfd, NSCTL_IOC_ENTER_CHECK, &chk));
	ASSERT_EQ(0, chk.entered);
	ASSERT_EQ(NSCTL_NS_BIT(NSCTL_NS_NET), chk.already);
	ASSERT_EQ(e.generation, chk.generation);

	/* A generation that is not the container's: stale. */
	ASSERT_EQ(-ESTALE, check(dirfd, NSCTL_ENTER_CHECK_GEN,
				 NSCTL_NS_BIT(NSCTL_NS_NET), e.generation + 1, &chk));
	/* Sealed: no switch; inside already, the same answer as before. */
	ASSERT_EQ(0, ct_write_str(name, "enter", "deny"));
	ASSERT_EQ(-EPERM, check(dirfd, 0, 0, 0, &chk));
	ASSERT_EQ(0, check(dirfd, 0, NSCTL_NS_BIT(NSCTL_NS_NET), 0, &chk));
	ASSERT_EQ(0, ct_write_str(name, "enter", "allow"));
	ASSERT_EQ(0, setns(home, CLONE_NEWNET));

	/* Deleted: stale, on the fast path too. */
	ASSERT_EQ(0, ct_set_ns(dirfd, 0, NULL, NSCTL_NS_ALL, NULL));
	ASSERT_EQ(0, check(dirfd, 0, 0, 0, &chk));
	ASSERT_EQ(0, chk.entered);
	ASSERT_EQ(0, ct_remove(name));
	ASSERT_EQ(-ESTALE, check(dirfd, 0, 0, 0, &chk));
	close(home);
	close(dirfd);
}

static long fast(int dirfd, uint64_t types, uint64_t gen)
{
	long r = ioctl(dirfd, NSCTL_IOC_ENTER_FAST, NSCTL_ENTER_FAST_ARG(types, gen));

	return r < 0 ? -errno : r;
}

/* The quickest check answers in its return value, touching no memory. */
TEST(fast_check_answers_in_its_return_value)
{
	int dirfd, home_net, home_uts;
	uint64_t gen;
	char name[64];

	snprintf(name, sizeof(name), "fst%d", getpid());
	dirfd = make_ct(name);
	ASSERT_GE(dirfd, 0);
	gen = ct_read_u64(name, "generation");
	home_net = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	home_uts = open("/proc/thread-self/ns/uts", O_RDONLY | O_CLOEXEC);

	/* Outside: only "something to switch", nothing counted as an enter. */
	ASSERT_EQ(NSCTL_ENTER_FAST_SWITCH, fast(dirfd, 0, gen));
	ASSERT_EQ(NSCTL_ENTER_FAST_SWITCH, fast(dirfd, NSCTL_NS_BIT(NSCTL_NS_NET), gen));
	ASSERT_EQ(0, ct_stat_field(name, "enters", (char[32]){ 0 }, 32));
	/* Inside: the types it is in; empty slots asked for count as in. */
	ASSERT_EQ(0, setns(ct_get_ns(dirfd, NSCTL_NS_NET), CLONE_NEWNET));
	ASSERT_EQ(NSCTL_NS_BIT(NSCTL_NS_NET), fast(dirfd, NSCTL_NS_BIT(NSCTL_NS_NET), gen));
	ASSERT_EQ(NSCTL_NS_BIT(NSCTL_NS_NET) | NSCTL_NS_BIT(NSCTL_NS_IPC),
		  fast(dirfd, NSCTL_NS_BIT(NSCTL_NS_NET) | NSCTL_NS_BIT(NSCTL_NS_IPC), gen));
	ASSERT_EQ(NSCTL_ENTER_FAST_SWITCH, fast(dirfd, 0, gen));
	ASSERT_EQ(0, setns(ct_get_ns(dirfd, NSCTL_NS_UTS), CLONE_NEWUTS));
	ASSERT_EQ(NET_UTS, fast(dirfd, 0, gen));
	/* The generation is always checked. */
	ASSERT_EQ(-ESTALE, fast(dirfd, 0, gen + 1));
	ASSERT_EQ(-ESTALE, fast(dirfd, 0, 0));
	/* Sealed: inside stays inside; outside is for the full check to refuse. */
	ASSERT_EQ(0, ct_write_str(name, "enter", "deny"));
	ASSERT_EQ(NET_UTS, fast(dirfd, 0, gen));
	ASSERT_EQ(0, setns(home_uts, CLONE_NEWUTS));
	ASSERT_EQ(NSCTL_ENTER_FAST_SWITCH, fast(dirfd, 0, gen));
	ASSERT_EQ(-EPERM, ioctl(dirfd, NSCTL_IOC_ENTER_CHECK,
				&(struct nsctl_enter_check){ 0 }) ? -errno : 0);
	ASSERT_EQ(0, ct_write_str(name, "enter", "allow"));
	/* Only the plain command: with a size it is another one. */
	ASSERT_EQ(-1, ioctl(dirfd, _IOC(_IOC_NONE, NSCTL_IOC_MAGIC, 7, 8), 0));
	ASSERT_EQ(ENOTTY, errno);
	/* Emptied: nothing to be in; deleted: stale. */
	ASSERT_EQ(0, setns(home_net, CLONE_NEWNET));
	ASSERT_EQ(0, ct_set_ns(dirfd, 0, NULL, NSCTL_NS_ALL, NULL));
	gen = ct_read_u64(name, "generation");
	ASSERT_EQ(0, fast(dirfd, 0, gen));
	ASSERT_EQ(0, ct_remove(name));
	ASSERT_EQ(-ESTALE, fast(dirfd, 0, gen));
	close(home_net);
	close(home_uts);
	close(dirfd);
}

/*
 * A cache used from inside (the quickest check) whose container then
 * changes: the check says stale, the cache is refilled, the new namespace
 * entered; a cache that last switched takes the full check at once.
 */
TEST(cached_enter_from_inside_follows_a_change)
{
	struct nsctl_enter_req req = { .types = NET_UTS };
	struct nsctl_enter_cache cache;
	struct nsctl_enter_result res;
	int dirfd, home, fds[NSCTL_NS_COUNT];
	char name[64];

	snprintf(name, sizeof(name), "fch%d", getpid());
	dirfd = make_ct(name);
	ASSERT_GE(dirfd, 0);
	home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	nsctl_enter_cache_init(&cache);
	ASSERT_EQ(0, nsctl_enter_cached(dirfd, &req, &cache, &res));
	ASSERT_EQ(NET_UTS, res.entered);
	ASSERT_TRUE(cache.switched);
	ASSERT_EQ(0, nsctl_enter_cached(dirfd, &req, &cache, &res));
	ASSERT_EQ(0, res.entered);
	ASSERT_EQ(NET_UTS, res.already);
	ASSERT_FALSE(cache.switched);
	ASSERT_EQ(0, nsctl_enter_cached(dirfd, &req, &cache, &res));
	ASSERT_EQ(NET_UTS, res.already);
	ASSERT_EQ(cache.generation, res.generation);

	ASSERT_EQ(0, fresh_ns(CLONE_NEWNET, fds));
	ASSERT_EQ(0, ct_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_NET), fds, 0, NULL));
	close_fds(fds);
	ASSERT_EQ(0, nsctl_enter_cached(dirfd, &req, &cache, &res));
	ASSERT_EQ(NSCTL_NS_BIT(NSCTL_NS_NET), res.entered);
	ASSERT_EQ(ct_ns_inum(name, NSCTL_NS_NET), self_ns("net"));
	ASSERT_EQ(ct_read_u64(name, "generation"), cache.generation);
	/* Expecting a generation that is gone: stale, whichever check. */
	ASSERT_EQ(-ESTALE, nsctl_enter_cached(dirfd, &(struct nsctl_enter_req){
		.types = NET_UTS, .expect_gen = &(uint64_t){ 1 } }, &cache, &res));
	nsctl_enter_cache_clear(&cache);
	ASSERT_EQ(0, setns(home, CLONE_NEWNET));
	ct_set_ns(dirfd, 0, NULL, NSCTL_NS_ALL, NULL);
	ASSERT_EQ(0, ct_remove(name));
	close(home);
	close(dirfd);
}

TEST(check_rejects_malformed_calls)
{
	unsigned char big[sizeof(struct nsctl_enter_check) + 8] = { 0 };
	struct nsctl_enter_check chk;
	char name[64];
	int dirfd;

	snprintf(name, sizeof(name), "chkbad%d", getpid());
	dirfd = make_ct(name);
	ASSERT_GE(dirfd, 0);
	ASSERT_EQ(-EOPNOTSUPP, check(dirfd, 1ULL << 40, 0, 0, &chk));
	ASSERT_EQ(-EINVAL, check(dirfd, 0, 1ULL << NSCTL_NS_COUNT, 0, &chk));
	/* Older, smaller: refused; newer, larger: only zeros past ours. */
	ASSERT_EQ(-1, ioctl(dirfd, _IOC(_IOC_READ | _IOC_WRITE, NSCTL_IOC_MAGIC, 6,
					NSCTL_ENTER_CHECK_SIZE_VER0 - 8), &chk));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(0, ioctl(dirfd, _IOC(_IOC_READ | _IOC_WRITE, NSCTL_IOC_MAGIC, 6,
				       sizeof(big)), big));
	big[sizeof(big) - 1] = 1;
	ASSERT_EQ(-1, ioctl(dirfd, _IOC(_IOC_READ | _IOC_WRITE, NSCTL_IOC_MAGIC, 6,
					sizeof(big)), big));
	ASSERT_EQ(E2BIG, errno);
	ASSERT_EQ(-1, ioctl(dirfd, NSCTL_IOC_ENTER_CHECK, (void *)8));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(0, ct_remove(name));
	close(dirfd);
}

/*
 * The fast path reads without the container's lock.  A writer flips the
 * container's network namespace between A and B (each flip moves the
 * generation by one) while readers sitting in A check it, many times:
 * every answer must be one the container had at some instant, so "already
 * inside" comes only with a generation at which the container held A,
 * "to enter" only with one at which it held B; with an expected UUID
 * (NSCTL_IOC_ENTER), success only for A.  Both answers must occur.
 */
struct flip {
	int dirfd;
	int fd[2];
	__u8 uuid_a[16];
	uint64_t gen_a;		/* a generation at which A was held */
	int stop;
	unsigned long flips;
};

static void *flipper(void *p)
{
	struct flip *f = p;
	int fds[NSCTL_NS_COUNT], i;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		fds[i] = -1;
	while (!__atomic_load_n(&f->stop, __ATOMIC_ACQUIRE)) {
		for (i = 1; i >= 0; i--) {
			fds[NSCTL_NS_NET] = f->fd[i];
			if (ct_set_ns(f->dirfd, NSCTL_NS_BIT(NSCTL_NS_NET), fds, 0, NULL))
				return (void *)1;
			__atomic_add_fetch(&f->flips, 1, __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

struct reader {
	struct flip *f;
	unsigned long inside, outside, uuid_ok, uuid_stale, fast_in, fast_stale;
	unsigned long wrong;
};

static void *flip_reader(void *p)
{
	struct reader *r = p;
	struct flip *f = r->f;
	struct nsctl_enter_check chk;
	struct nsctl_enter e;
	unsigned long n = 0;
	long ret;
	bool a;

	if (setns(f->fd[0], CLONE_NEWNET))
		return (void *)1;
	/* Until both answers were seen often, or long enough to call it a hang. */
	while ((r->inside < 2000 || r->outside < 2000 || r->uuid_ok < 200 ||
		r->uuid_stale < 200 || r->fast_stale < 20) && n++ < 2000000) {
		if (check(f->dirfd, 0, NSCTL_NS_BIT(NSCTL_NS_NET), 0, &chk)) {
			r->wrong++;
			continue;
		}
		a = (chk.generation - f->gen_a) % 2 == 0;
		if (chk.entered == 0 && a) {
			r->inside++;
			/* Inside at that generation: while it holds, still inside. */
			ret = ioctl(f->dirfd, NSCTL_IOC_ENTER_FAST,
				    NSCTL_ENTER_FAST_ARG(NSCTL_NS_BIT(NSCTL_NS_NET),
							 chk.generation));
			if (ret == NSCTL_NS_BIT(NSCTL_NS_NET))
				r->fast_in++;
			else if (ret < 0 && errno == ESTALE)
				r->fast_stale++;
			else
				r->wrong++;
		}
		else if (chk.entered == NSCTL_NS_BIT(NSCTL_NS_NET) && !a &&
			 chk.ns_inum[NSCTL_NS_NET] != self_ns("net"))
			r->outside++;
		else
			r->wrong++;

		memset(&e, 0, sizeof(e));
		e.flags = NSCTL_ENTER_NO_FDS;
		e.types = NSCTL_NS_BIT(NSCTL_NS_NET);
		memcpy(e.expect_uuid[NSCTL_NS_NET], f->uuid_a, 16);
		if (!ioctl(f->dirfd, NSCTL_IOC_ENTER, &e)) {
			if (e.entered == 0 && (e.generation - f->gen_a) % 2 == 0)
				r->uuid_ok++;
			else
				r->wrong++;
		} else if (errno == ESTALE) {
			r->uuid_stale++;
		} else {
			r->wrong++;
		}
	}
	return NULL;
}

TEST(fast_path_consistent_under_change)
{
	struct reader r[2] = { 0 };
	struct flip f = { 0 };
	struct nsctl_ns_info info;
	int fa[NSCTL_NS_COUNT], fb[NSCTL_NS_COUNT], i;
	pthread_t w, t[2];
	char name[64];
	void *ret;

	snprintf(name, sizeof(name), "flip%d", getpid());
	f.dirfd = ct_make(name);
	ASSERT_GE(f.dirfd, 0);
	ASSERT_EQ(0, fresh_ns(CLONE_NEWNET, fa));
	ASSERT_EQ(0, fresh_ns(CLONE_NEWNET, fb));
	f.fd[0] = fa[NSCTL_NS_NET];
	f.fd[1] = fb[NSCTL_NS_NET];
	ASSERT_EQ(0, ct_set_ns(f.dirfd, NSCTL_NS_BIT(NSCTL_NS_NET), fa, 0, NULL));
	f.gen_a = ct_read_u64(name, "generation");
	ASSERT_EQ(0, nsctl_ns_info(f.fd[0], &info, NULL, 0));
	memcpy(f.uuid_a, info.uuid, 16);

	ASSERT_EQ(0, pthread_create(&w, NULL, flipper, &f));
	for (i = 0; i < 2; i++) {
		r[i].f = &f;
		ASSERT_EQ(0, pthread_create(&t[i], NULL, flip_reader, &r[i]));
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, pthread_join(t[i], &ret));
		ASSERT_EQ(NULL, ret);
	}
	__atomic_store_n(&f.stop, 1, __ATOMIC_RELEASE);
	ASSERT_EQ(0, pthread_join(w, &ret));
	ASSERT_EQ(NULL, ret);
	for (i = 0; i < 2; i++) {
		TH_LOG("reader %d: %lu inside, %lu to enter, %lu UUID matched, %lu stale, fast %lu inside %lu stale, %lu wrong; %lu flips",
		       i, r[i].inside, r[i].outside, r[i].uuid_ok, r[i].uuid_stale,
		       r[i].fast_in, r[i].fast_stale, r[i].wrong, f.flips);
		ASSERT_EQ(0, r[i].wrong);
		ASSERT_GE(r[i].inside, 2000);
		ASSERT_GE(r[i].outside, 2000);
		ASSERT_GE(r[i].uuid_ok, 200);
		ASSERT_GE(r[i].uuid_stale, 200);
		ASSERT_GE(r[i].fast_stale, 20);
		ASSERT_GT(r[i].fast_in, 0);
	}
	ct_set_ns(f.dirfd, 0, NULL, NSCTL_NS_ALL, NULL);
	ASSERT_EQ(0, ct_remove(name));
	close(f.dirfd);
	close_fds(fa);
	close_fds(fb);
}

/*
 * A process switching from container A to container B through the cache
 * comes back to A when B's switch fails late, with nothing read from
 * /proc: the fds of A's cache tell where it was.  A setns(2) of mnt fails
 * after uts and net were switched when another process shares the
 * caller's fs_struct (clone(CLONE_FS)), which the thread count does not
 * show; /proc is hidden under a tmpfs once the caches are filled.  Once A's
 * cache is cleared, its fds are not trusted any more: with /proc hidden,
 * the switch then fails before changing anything.
 */
static int in_ct(int dirfd, uint64_t types)
{
	struct nsctl_enter_check chk;

	return check(dirfd, 0, types, 0, &chk) ? -1 : chk.entered == 0;
}

#define NET_UTS_MNT (NET_UTS | NSCTL_NS_BIT(NSCTL_NS_MNT))

static int switch_back_child(int a, int b)
{
	struct nsctl_enter_req req = { .types = NET_UTS_MNT };
	struct nsctl_enter_cache ca, cb;
	struct nsctl_enter_result res;
	int home[3], err;
	pid_t sib;

	home[0] = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	home[1] = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	home[2] = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	nsctl_enter_cache_init(&ca);
	nsctl_enter_cache_init(&cb);
	/* Filled, then used through the check: A's fds are where it is. */
	if (nsctl_enter_cached(a, &req, &ca, &res) ||
	    setns(home[0], CLONE_NEWNET) || setns(home[1], CLONE_NEWUTS) ||
	    setns(home[2], CLONE_NEWNS) ||
	    nsctl_enter_cached(a, &req, &ca, &res) || in_ct(a, NET_UTS_MNT) != 1)
		return 11;
	/* A's mount namespace is this test's: nothing propagates out. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return 12;

	sib = syscall(SYS_clone, CLONE_FS | SIGCHLD, NULL, NULL, NULL, 0);
	if (sib < 0)
		return 13;
	if (sib == 0) {
		pause();
		_exit(0);
	}
	/* B's cache filled: fails at mnt, back in A by /proc fds. */
	err = nsctl_enter_cached(b, &req, &cb, &res);
	if (err != -EINVAL || in_ct(a, NET_UTS_MNT) != 1)
		return 14;
	if (mount("none", "/proc", "tmpfs", 0, NULL))
		return 15;
	/* From the check: back in A with A's cache fds, nothing opened. */
	err = nsctl_enter_cached(b, &req, &cb, &res);
	if (err != -EINVAL)
		return 16;
	if (in_ct(a, NET_UTS_MNT) != 1)
		return 17;
	/* A's fds gone: nothing to come back with, so nothing changes. */
	nsctl_enter_cache_clear(&ca);
	err = nsctl_enter_cached(b, &req, &cb, &res);
	if (err != -ENOENT || in_ct(a, NET_UTS_MNT) != 1)
		return 18;
	kill(sib, SIGKILL);
	waitpid(sib, NULL, 0);
	return 0;
}

TEST(cached_switch_comes_back_without_proc)
{
	char a[64], b[64];
	int fds[NSCTL_NS_COUNT], da, db, status;
	pid_t pid;

	snprintf(a, sizeof(a), "swa%d", getpid());
	snprintf(b, sizeof(b), "swb%d", getpid());
	da = ct_make(a);
	db = ct_make(b);
	ASSERT_GE(da, 0);
	ASSERT_GE(db, 0);
	ASSERT_EQ(0, fresh_ns(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWUTS, fds));
	ASSERT_EQ(0, ct_set_ns(da, NET_UTS_MNT, fds, 0, NULL));
	close_fds(fds);
	ASSERT_EQ(0, fresh_ns(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWUTS, fds));
	ASSERT_EQ(0, ct_set_ns(db, NET_UTS_MNT, fds, 0, NULL));
	close_fds(fds);

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(switch_back_child(da, db));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status)) {
		TH_LOG("the child failed at step %d", WEXITSTATUS(status));
	}
	ct_set_ns(da, 0, NULL, NSCTL_NS_ALL, NULL);
	ct_set_ns(db, 0, NULL, NSCTL_NS_ALL, NULL);
	ASSERT_EQ(0, ct_remove(a));
	ASSERT_EQ(0, ct_remove(b));
	close(da);
	close(db);
}

/* What a thread kept to come back to is closed when it exits. */
static void *enter_twice(void *p)
{
	struct nsctl_enter_req req = { .types = NET_UTS };
	struct nsctl_enter_cache cache;
	struct nsctl_enter_result res;
	int dirfd = *(int *)p, home_net, home_uts;
	long err;

	home_net = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	home_uts = open("/proc/thread-self/ns/uts", O_RDONLY | O_CLOEXEC);
	nsctl_enter_cache_init(&cache);
	err = nsctl_enter_cached(dirfd, &req, &cache, &res);
	if (!err && (setns(home_net, CLONE_NEWNET) || setns(home_uts, CLONE_NEWUTS)))
		err = -errno;
	if (!err)
		err = nsctl_enter_cached(dirfd, &req, &cache, &res);
	nsctl_enter_cache_clear(&cache);
	close(home_net);
	close(home_uts);
	return (void *)err;
}

TEST(thread_exit_closes_what_it_kept)
{
	char name[64];
	int dirfd, before, i;
	pthread_t t;
	void *ret;

	snprintf(name, sizeof(name), "swt%d", getpid());
	dirfd = make_ct(name);
	ASSERT_GE(dirfd, 0);
	before = count_fds();
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, pthread_create(&t, NULL, enter_twice, &dirfd));
		ASSERT_EQ(0, pthread_join(t, &ret));
		ASSERT_EQ(NULL, ret);
		ASSERT_EQ(before, count_fds());
	}
	ct_set_ns(dirfd, 0, NULL, NSCTL_NS_ALL, NULL);
	ASSERT_EQ(0, ct_remove(name));
	close(dirfd);
}

/*
 * A cache that joined a cgroup holds its directory fd; clearing the cache
 * closes it with the rest.  A child forked after switches starts without
 * what its parent's thread kept (it may close any fd before its next
 * enter): those fds are closed in it at once.
 */
static int clear_and_fork_child(int dirfd)
{
	struct nsctl_enter_req req = { .types = NET_UTS, .join_cgroup = true };
	struct nsctl_enter_req plain = { .types = NET_UTS };
	int before, kept, status, home_net, home_uts;
	struct nsctl_enter_cache cache;
	struct nsctl_enter_result res;
	pid_t pid;

	home_net = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	home_uts = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	nsctl_enter_cache_init(&cache);
	before = count_fds();
	if (nsctl_enter_cached(dirfd, &req, &cache, &res) || !res.cgroup_joined ||
	    nsctl_enter_cached(dirfd, &req, &cache, &res) || !res.cgroup_joined)
		return 10;
	nsctl_enter_cache_clear(&cache);
	if (count_fds() != before)
		return 11;

	/* Twice, back home between: the second keeps the thread's own fds. */
	if (setns(home_net, 0) || setns(home_uts, 0) ||
	    nsctl_enter_cached(dirfd, &plain, &cache, &res) ||
	    setns(home_net, 0) || setns(home_uts, 0))
		return 12;
	before = count_fds();
	if (nsctl_enter_cached(dirfd, &plain, &cache, &res) || res.entered != NET_UTS)
		return 13;
	kept = count_fds() - before;
	if (kept != 2)
		return 14;
	pid = fork();
	if (pid == 0)
		_exit(count_fds() == before + kept - 2 ? 0 : 1);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 15;
	if (WEXITSTATUS(status))
		return 16;
	nsctl_enter_cache_clear(&cache);
	return 0;
}

TEST(cache_clear_and_fork_close_what_they_held)
{
	struct nsctl_set_cgroup set = { 0 };
	char name[64], cg[128];
	int dirfd, status;
	pid_t pid;

	snprintf(name, sizeof(name), "fcl%d", getpid());
	snprintf(cg, sizeof(cg), "/sys/fs/cgroup/%s", name);
	dirfd = make_ct(name);
	ASSERT_GE(dirfd, 0);
	ASSERT_EQ(0, mkdir(cg, 0755));
	set.fd = open(cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_EQ(0, ioctl(dirfd, NSCTL_IOC_SET_CGROUP, &set));
	close(set.fd);

	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(clear_and_fork_child(dirfd));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status)) {
		TH_LOG("the child failed at step %d", WEXITSTATUS(status));
	}
	ct_set_ns(dirfd, 0, NULL, NSCTL_NS_ALL, NULL);
	ASSERT_EQ(0, ct_remove(name));
	ASSERT_EQ(0, rmdir(cg));
	close(dirfd);
}

/* mnt from a multithreaded process: refused before anything changed. */
TEST(cached_switch_refuses_mnt_with_threads)
{
	struct nsctl_enter_req req = { .types = NSCTL_NS_BIT(NSCTL_NS_MNT) |
						NSCTL_NS_BIT(NSCTL_NS_NET) };
	struct nsctl_enter_cache cache;
	struct nsctl_enter_result res;
	int fds[NSCTL_NS_COUNT], dirfd, stop = 0, status, err, i;
	ino_t net = self_ns("net"), mnt = self_ns("mnt");
	char name[64];
	pthread_t t;
	pid_t pid;

	snprintf(name, sizeof(name), "swm%d", getpid());
	dirfd = ct_make(name);
	ASSERT_GE(dirfd, 0);
	ASSERT_EQ(0, fresh_ns(CLONE_NEWNS | CLONE_NEWNET, fds));
	ASSERT_EQ(0, ct_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_MNT) |
			       NSCTL_NS_BIT(NSCTL_NS_NET), fds, 0, NULL));
	close_fds(fds);

	/* In a child: it enters mnt once single-threaded, to fill the cache. */
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		int home_mnt = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
		int home_net = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

		nsctl_enter_cache_init(&cache);
		if (nsctl_enter_cached(dirfd, &req, &cache, &res))
			_exit(1);
		if (setns(home_mnt, CLONE_NEWNS) || setns(home_net, CLONE_NEWNET))
			_exit(2);
		if (pthread_create(&t, NULL, idle_thread, &stop))
			_exit(3);
		if (nsctl_enter_cached(dirfd, &req, &cache, &res) != -EDEADLK)
			_exit(4);
		if (self_ns("net") != net || self_ns("mnt") != mnt)
			_exit(5);
		__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
		pthread_join(t, NULL);
		/*
		 * Alone again: the cached switch works, once the thread is
		 * gone from the kernel's counts too (which outlive the join).
		 */
		for (i = 0; i < 5000; i++) {
			err = nsctl_enter_cached(dirfd, &req, &cache, &res);
			if (err != -EDEADLK && err != -EINVAL)
				break;
			usleep(1000);
		}
		if (err || self_ns("net") != ct_ns_inum(name, NSCTL_NS_NET))
			_exit(6);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ct_set_ns(dirfd, 0, NULL, NSCTL_NS_ALL, NULL);
	ASSERT_EQ(0, ct_remove(name));
	close(dirfd);
}

TEST_HARNESS_MAIN
