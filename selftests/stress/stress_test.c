// SPDX-License-Identifier: GPL-2.0
/*
 * A stress run with invariants.  Worker threads create containers (mkdir
 * and NSCTL_CMD_NEW_CONTAINER), change them (namespaces with a generation
 * check, labels, policies), enter them and delete them (rmdir and
 * NSCTL_CMD_DEL_CONTAINER), with fresh namespaces made as they go; beside
 * them a lister walks the filesystem, a dumper dumps over netlink, a
 * monitor follows the events, and an unloader tries to unload the module.
 * What must hold, checked as it goes:
 *
 *  - after each operation, the worker's own container is what the
 *    operation made it: its files, its netlink reply and its generation
 *    agree, a change with the expected generation is never refused, and
 *    the "enters" count is the number of enters made;
 *  - every container listed has all of its files, unless it was deleted
 *    meanwhile (then its name is gone or names another container);
 *  - every dumped container is complete (id, name, UUID, generation);
 *  - a deleted container is never entered through a descriptor kept from
 *    before, nor found by name in the filesystem or over netlink;
 *  - events are gap-free, or the gap is reported (ENOBUFS), and no
 *    container has an event before its CREATED or after its DELETED;
 *  - each unload attempt is refused with EWOULDBLOCK, and nothing notices;
 *  - at quiet points (workers paused between operations): the dump equals
 *    the filesystem, both equal what the workers made, and the containers
 *    the events announced and did not delete are exactly those; the
 *    events counted match the creates, enters and deletes made.
 *
 * A second test loads and unloads the module in cycles, each with work
 * between: a container keeps the module in use while nothing is mounted,
 * and every unload empties nsctl's slab cache (kmem_cache_destroy() warns
 * otherwise, and the VMs boot with panic_on_warn).
 *
 * NSCTL_STRESS_SECONDS (default 20) says how long the workers go on; it
 * decides nothing: the run goes on past it until every kind of operation
 * and a few quiet points have happened.  NSCTL_STRESS_SEED picks the
 * operations (default: the time, printed).
 */
#include "kselftest_harness.h"
#include "stress.h"

static const unsigned int types[NTYPES] = { NSCTL_NS_UTS, NSCTL_NS_IPC, NSCTL_NS_NET };
static const char *const tnames[NTYPES] = { "uts", "ipc", "net" };

struct worker workers[WORKERS];

static unsigned long long rnd(struct worker *wk)
{
	unsigned long long z = (wk->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Fresh uts, ipc and net namespaces for the worker's next containers. */
static int churn(struct worker *wk)
{
	char path[64];
	unsigned int i;
	int fd;

	CHECK(!unshare(CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET),
	      "worker %u: unshare: %m", wk->w);
	for (i = 0; i < NTYPES; i++) {
		snprintf(path, sizeof(path), "/proc/thread-self/ns/%s", tnames[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		CHECK(fd >= 0, "worker %u: %s: %m", wk->w, path);
		if (wk->ns[i] >= 0)
			close(wk->ns[i]);
		wk->ns[i] = fd;
		wk->inum[i] = fd_ino(fd);
	}
	for (i = 0; i < NTYPES; i++)
		CHECK(!setns(wk->own[i], 0), "worker %u: back to its %s: %m", wk->w, tnames[i]);
	n.churns++;
	return 0;
}

/* The worker's container is what it made: files and netlink agree. */
static int check_slot(struct worker *wk, struct slot *s)
{
	char buf[1024], want[128];
	struct nl_msg m;
	unsigned int i;
	int r;

	CHECK(read_u64_at(s->dir, "id") == s->id, "%s: id file is not %llu", s->name,
	      (unsigned long long)s->id);
	CHECK(read_u64_at(s->dir, "generation") == s->gen, "%s: generation file is not %llu",
	      s->name, (unsigned long long)s->gen);
	r = read_at(s->dir, "uuid", buf, sizeof(buf));
	CHECK(r == 37 && !strncmp(buf, s->uuid, 36), "%s: uuid file (%d) is not %s",
	      s->name, r, s->uuid);
	CHECK(read_at(s->dir, "namespaces", buf, sizeof(buf)) > 0, "%s: namespaces: %m", s->name);
	for (i = 0; i < NTYPES; i++) {
		snprintf(want, sizeof(want), "%s %llu ", tnames[i], (unsigned long long)s->inum[i]);
		CHECK(strstr(buf, want), "%s: namespaces lacks \"%s\": %s", s->name, want, buf);
	}
	r = read_at(s->dir, "labels", buf, sizeof(buf));
	snprintf(want, sizeof(want), "k=v%u\n", s->labels);
	CHECK(s->labels ? r > 0 && !strcmp(buf, want) : r == 0, "%s: labels \"%s\" (%d)",
	      s->name, r > 0 ? buf : "", r);
	r = nl_by_name(&wk->nl, NSCTL_CMD_GET_CONTAINER, s->name, &m);
	CHECK(!r && m.has_id && m.id == s->id && m.has_gen && m.gen == s->gen &&
	      m.has_ct_uuid && !strcmp(uuid_str(m.uuid, want), s->uuid),
	      "%s: GET_CONTAINER (%d) disagrees with the files", s->name, r);
	return 0;
}

static int create(struct worker *wk, struct slot *s)
{
	char path[64], buf[64];
	struct nl_msg m;
	struct nl_req r;
	unsigned int i;
	uint64_t gen;
	int ret;

	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", s->name);
	if (rnd(wk) & 1) {
		CHECK(!mkdir(path, 0755), "%s: mkdir: %m", s->name);
		s->dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		CHECK(s->dir >= 0, "%s: open after mkdir: %m", s->name);
		CHECK(!ct_set_ns(s->dir, TYPES, (int[NSCTL_NS_COUNT]){
				 [NSCTL_NS_UTS] = wk->ns[0], [NSCTL_NS_IPC] = wk->ns[1],
				 [NSCTL_NS_NET] = wk->ns[2] }, 0, &gen),
		      "%s: SET_NS after mkdir: %m", s->name);
		s->gen = gen;
		s->id = read_u64_at(s->dir, "id");
		CHECK(read_at(s->dir, "uuid", buf, sizeof(buf)) == 37, "%s: uuid: %m", s->name);
		snprintf(s->uuid, sizeof(s->uuid), "%.36s", buf);
	} else {
		memset(&m, 0, sizeof(m));
		nl_req_init(&r, &wk->nl, wk->nl.family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
		nl_put_str(&r, NSCTL_A_CT_NAME, s->name);
		for (i = 0; i < NTYPES; i++)
			nl_put_ns(&r, types[i], wk->ns[i], 0);
		ret = nl_transact(&wk->nl, &r, reply_cb, &m, NULL);
		CHECK(!ret && m.has_id && m.has_gen && m.has_ct_uuid,
		      "%s: NEW_CONTAINER: %s", s->name, strerror(-ret));
		s->id = m.id;
		s->gen = m.gen;
		uuid_str(m.uuid, s->uuid);
		s->dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		CHECK(s->dir >= 0, "%s: open after NEW_CONTAINER: %m", s->name);
	}
	memcpy(s->inum, wk->inum, sizeof(s->inum));
	s->enters = 0;
	s->labels = 0;
	s->live = true;
	n.creates++;
	return check_slot(wk, s);
}

static int change(struct worker *wk, struct slot *s)
{
	char buf[32];
	__u64 gen = s->gen;
	struct nsctl_set_ns a = {
		.flags = NSCTL_SET_NS_CHECK_GEN, .attach = TYPES, .generation = s->gen,
	};
	unsigned int i;
	bool same;

	switch (rnd(wk) % 3) {
	case 0:
		same = !memcmp(s->inum, wk->inum, sizeof(s->inum));
		for (i = 0; i < NSCTL_NS_COUNT; i++)
			a.fds[i] = -1;
		for (i = 0; i < NTYPES; i++)
			a.fds[types[i]] = wk->ns[i];
		CHECK(!ioctl(s->dir, NSCTL_IOC_SET_NS, &a),
		      "%s: SET_NS with its own generation %llu: %m", s->name,
		      (unsigned long long)gen);
		CHECK(a.generation == gen + !same, "%s: generation %llu after SET_NS from %llu",
		      s->name, (unsigned long long)a.generation, (unsigned long long)gen);
		s->gen = a.generation;
		memcpy(s->inum, wk->inum, sizeof(s->inum));
		break;
	case 1:
		snprintf(buf, sizeof(buf), "k=v%u\n", s->labels + 1);
		CHECK(!ct_write(s->name, "labels", buf, strlen(buf)), "%s: labels write", s->name);
		s->labels++;
		break;
	default:
		snprintf(buf, sizeof(buf), "%s\n", rnd(wk) & 1 ? "notify" : "ignore");
		CHECK(!ct_write(s->name, "on_empty", buf, strlen(buf)), "%s: on_empty write",
		      s->name);
		CHECK(read_at(s->dir, "on_empty", buf + 16, 16) > 0 && !strcmp(buf, buf + 16),
		      "%s: on_empty reads back otherwise", s->name);
	}
	n.changes++;
	return check_slot(wk, s);
}

/* Enter the worker's container (this thread only), check, come back. */
static int enter(struct worker *wk, struct slot *s)
{
	struct nsctl_enter e = { .flags = NSCTL_ENTER_CHECK_GEN, .types = TYPES,
				 .generation = s->gen };
	char buf[32];
	unsigned int i;
	int ret = 0;

	CHECK(!ioctl(s->dir, NSCTL_IOC_ENTER, &e), "%s: ENTER at generation %llu: %m",
	      s->name, (unsigned long long)s->gen);
	CHECK(e.entered == TYPES, "%s: ENTER: entered %#llx", s->name,
	      (unsigned long long)e.entered);
	for (i = 0; i < NTYPES && !ret; i++) {
		if (setns(e.fds[types[i]], 0))
			ret = -1, violation("%s: setns %s: %m", s->name, tnames[i]);
		else if (self_ns(tnames[i]) != s->inum[i])
			ret = -1, violation("%s: entered %s is not the container's", s->name,
					    tnames[i]);
	}
	for (i = 0; i < NTYPES; i++) {
		close(e.fds[types[i]]);
		CHECK(!setns(wk->own[i], 0), "worker %u: back to its %s: %m", wk->w, tnames[i]);
	}
	if (ret)
		return ret;
	s->enters++;
	n.enters++;
	CHECK(!ct_stat_field(s->name, "enters", buf, sizeof(buf)) &&
	      strtoull(buf, NULL, 10) == s->enters, "%s: stat enters is not %llu", s->name,
	      (unsigned long long)s->enters);
	return 0;
}

static int delete(struct worker *wk, struct slot *s)
{
	struct nsctl_enter e = { .types = TYPES };
	char path[64], buf[64];
	struct nl_msg m;
	struct stat st;
	int ret;

	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", s->name);
	s->deleting++;
	if (rnd(wk) & 1) {
		CHECK(!rmdir(path), "%s: rmdir: %m", s->name);
	} else {
		ret = nl_by_name(&wk->nl, NSCTL_CMD_DEL_CONTAINER, s->name, &m);
		CHECK(!ret, "%s: DEL_CONTAINER: %s", s->name, strerror(-ret));
	}
	s->live = false;
	n.deletes++;
	CHECK(ioctl(s->dir, NSCTL_IOC_ENTER, &e) == -1,
	      "%s: entered through a descriptor after its deletion", s->name);
	CHECK(read_at(s->dir, "id", buf, sizeof(buf)) < 0, "%s: id readable after deletion",
	      s->name);
	CHECK(stat(path, &st) == -1 && errno == ENOENT, "%s: still in the filesystem",
	      s->name);
	ret = nl_by_name(&wk->nl, NSCTL_CMD_GET_CONTAINER, s->name, &m);
	CHECK(ret == -ENOENT, "%s: GET_CONTAINER after deletion: %d", s->name, ret);
	close(s->dir);
	s->dir = -1;
	s->deleting++;
	return 0;
}

static void *worker_main(void *arg)
{
	struct worker *wk = arg;
	struct slot *s;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < NTYPES; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/thread-self/ns/%s", tnames[i]);
		wk->own[i] = open(path, O_RDONLY | O_CLOEXEC);
		wk->ns[i] = -1;
	}
	if (nl_open(&wk->nl) || churn(wk)) {
		violation("worker %u: setting up: %m", wk->w);
		return NULL;
	}
	while (!atomic_load(&stop) && !ret) {
		s = &wk->slot[rnd(wk) % SLOTS];
		pthread_rwlock_rdlock(&quiet);
		if (!s->live)
			ret = create(wk, s);
		else
			switch (rnd(wk) % 8) {
			case 0: case 1: ret = change(wk, s); break;
			case 2: case 3: case 4: ret = enter(wk, s); break;
			case 5: ret = churn(wk); break;
			default: ret = delete(wk, s);
			}
		pthread_rwlock_unlock(&quiet);
		wk->ops++;
	}
	pthread_rwlock_rdlock(&quiet);
	for (i = 0; i < SLOTS && !ret; i++)
		if (wk->slot[i].live)
			ret = delete(wk, &wk->slot[i]);
	pthread_rwlock_unlock(&quiet);
	for (i = 0; i < NTYPES; i++) {
		close(wk->own[i]);
		close(wk->ns[i]);
	}
	nl_close(&wk->nl);
	return NULL;
}

static unsigned long long env_u64(const char *name, unsigned long long def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

static bool enough(time_t start, unsigned long long seconds, unsigned int k)
{
	return time(NULL) - start >= (time_t)seconds && k >= 3 && n.creates >= 2 * WORKERS &&
	       n.deletes >= WORKERS && n.enters >= WORKERS && n.changes >= WORKERS &&
	       n.listed && n.dumped && n.refusals;
}

TEST(invariants_under_load)
{
	unsigned long long seed = env_u64("NSCTL_STRESS_SEED", time(NULL));
	unsigned long long seconds = env_u64("NSCTL_STRESS_SECONDS", 20);
	pthread_t lister, dumper, unloader, monitor;
	pthread_rwlockattr_t attr;
	time_t start = time(NULL);
	unsigned int i, j, k = 0;
	unsigned long ops = 0;
	struct nl nl;
	int dir;

	TH_LOG("seed %llu, %llu s, %u workers (replay: NSCTL_STRESS_SEED=%llu)", seed, seconds,
	       WORKERS, seed);
	/* Writer first: a quiet point must not wait behind a stream of readers. */
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&quiet, &attr);

	/* Ids from here on are the run's. */
	dir = ct_make("quiet-base");
	ASSERT_GE(dir, 0);
	mon.base = read_u64_at(dir, "id") + 1;
	close(dir);
	ASSERT_EQ(0, ct_remove("quiet-base"));
	mon.state = calloc(MAX_IDS, 1);
	ASSERT_NE(NULL, mon.state);
	ASSERT_EQ(0, nl_open(&mon.nl));
	ASSERT_EQ(0, nl_subscribe(&mon.nl, 8 << 20));
	ASSERT_EQ(0, nl_open(&nl));

	for (i = 0; i < WORKERS; i++) {
		workers[i].w = i;
		workers[i].state = seed * 1000003 + i;
		for (j = 0; j < SLOTS; j++) {
			snprintf(workers[i].slot[j].name, sizeof(workers[i].slot[j].name),
				 "st%u-%u", i, j);
			workers[i].slot[j].dir = -1;
		}
		ASSERT_EQ(0, pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]));
	}
	ASSERT_EQ(0, pthread_create(&monitor, NULL, monitor_main, NULL));
	ASSERT_EQ(0, pthread_create(&lister, NULL, lister_main, NULL));
	ASSERT_EQ(0, pthread_create(&dumper, NULL, dumper_main, NULL));
	ASSERT_EQ(0, pthread_create(&unloader, NULL, unloader_main, NULL));

	while (!atomic_load(&stop) && !enough(start, seconds, k)) {
		usleep(1500 * 1000);
		quiet_point(&nl, ++k);
	}
	/* Workers delete what they hold as they stop; then a last look. */
	atomic_store(&stop, true);
	for (i = 0; i < WORKERS; i++) {
		pthread_join(workers[i].thread, NULL);
		ops += workers[i].ops;
	}
	pthread_join(lister, NULL);
	pthread_join(dumper, NULL);
	pthread_join(unloader, NULL);
	if (!atomic_load(&failed))
		quiet_point(&nl, ++k);
	atomic_store(&mon.stop, true);
	pthread_join(monitor, NULL);

	TH_LOG("%lu operations in %ld s: %lu creates, %lu changes, %lu enters, %lu deletes, %lu churns; %lu listed, %lu dumps, %lu unload refusals; %u quiet points; events: %llu (seq %llu), %u overruns",
	       ops, (long)(time(NULL) - start), n.creates, n.changes, n.enters, n.deletes,
	       n.churns, n.listed, n.dumped, n.refusals, k,
	       (unsigned long long)(mon.created + mon.deleted), (unsigned long long)mon.nl.last_seq,
	       mon.nl.overruns);
	EXPECT_STREQ("", failure);
	EXPECT_EQ(0, mon.live);
	EXPECT_FALSE(lockdep_reported());
	nl_close(&nl);
	nl_close(&mon.nl);
	free(mon.state);
}

/* Does /sys/kernel/slab list nsctl's cache? */
static bool slab_cache_exists(void)
{
	return access("/sys/kernel/slab/nsctl_nsid", F_OK) == 0;
}

/* The next container event (namespaces come and go meanwhile); 1 or <= 0. */
static int ct_event(struct nl *ev, struct nl_msg *m)
{
	int ret;

	do
		ret = nl_event(ev, m, 30000);
	while (ret == 1 && (m->cmd < NSCTL_CMD_CONTAINER_CREATED ||
			    m->cmd > NSCTL_CMD_CONTAINER_DELETED));
	return ret;
}

/* A container that stays after unmounting keeps the module in use. */
static void one_cycle(struct __test_metadata *_metadata, unsigned int c)
{
	int fds[NSCTL_NS_COUNT] = { [0 ... NSCTL_NS_COUNT - 1] = -1 }, own;
	struct nl_msg *m = calloc(1, sizeof(*m));
	struct nl nl, ev;
	struct nl_req r;

	ASSERT_NE(NULL, m);
	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, nl_open(&ev));
	ASSERT_EQ(0, nl_subscribe(&ev, 0));
	own = open("/proc/thread-self/ns/uts", O_RDONLY | O_CLOEXEC);
	ASSERT_EQ(0, unshare(CLONE_NEWUTS));
	fds[NSCTL_NS_UTS] = open("/proc/thread-self/ns/uts", O_RDONLY | O_CLOEXEC);
	ASSERT_EQ(0, setns(own, 0));
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, "cycle");
	nl_put_ns(&r, NSCTL_NS_UTS, fds[NSCTL_NS_UTS], 0);
	ASSERT_EQ(0, nl_transact(&nl, &r, NULL, NULL, NULL));
	ASSERT_EQ(1, ct_event(&ev, m));
	EXPECT_EQ(NSCTL_CMD_CONTAINER_CREATED, m->cmd);
	EXPECT_STREQ("cycle", m->name);

	ASSERT_EQ(0, umount(NSCTL_MOUNT_POINT));
	EXPECT_EQ(-1, sys_delete_module("nsctl", O_NONBLOCK));
	EXPECT_EQ(EWOULDBLOCK, errno) {
		TH_LOG("cycle %u: unload with a container left", c);
	}
	ASSERT_EQ(0, nl_by_name(&nl, NSCTL_CMD_DEL_CONTAINER, "cycle", m));
	ASSERT_EQ(1, ct_event(&ev, m));
	EXPECT_EQ(NSCTL_CMD_CONTAINER_DELETED, m->cmd);
	EXPECT_EQ(0, ev.gaps);
	nl_close(&ev);
	nl_close(&nl);
	close(fds[NSCTL_NS_UTS]);
	close(own);
	free(m);

	/* Mount namespaces nsctl tracked let go of their copies within a period. */
	ASSERT_TRUE(wait_for(sys_delete_module("nsctl", O_NONBLOCK) == 0, 30000)) {
		TH_LOG("cycle %u: %m - unload with nothing left", c);
	}
	EXPECT_FALSE(fs_registered(NSCTL_FS_NAME));
	EXPECT_FALSE(slab_cache_exists());
	ASSERT_EQ(0, nsctl_load_module()) {
		TH_LOG("cycle %u: %m - reloading " NSCTL_TEST_MODULE, c);
	}
	ASSERT_EQ(0, mount("none", NSCTL_MOUNT_POINT, NSCTL_FS_NAME, 0, NULL));
}

TEST(load_unload_cycles)
{
	unsigned int c, cycles = env_u64("NSCTL_STRESS_CYCLES", 5);
	bool sysfs_slab = access("/sys/kernel/slab", F_OK) == 0;
	int dir;

	for (c = 0; c < cycles; c++) {
		if (sysfs_slab)
			EXPECT_TRUE(slab_cache_exists());
		one_cycle(_metadata, c);
		/* The reloaded module works: a container made, read, deleted. */
		dir = ct_make("cycle");
		ASSERT_GE(dir, 0);
		EXPECT_NE(~0ULL, read_u64_at(dir, "id"));
		close(dir);
		ASSERT_EQ(0, ct_remove("cycle"));
	}
	TH_LOG("%u load/unload cycles", cycles);
	EXPECT_FALSE(lockdep_reported());
}

TEST_HARNESS_MAIN
