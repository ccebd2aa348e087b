// SPDX-License-Identifier: GPL-2.0
/*
 * The watching side of stress_test: a lister, a dumper, an unloader and
 * the event monitor, which run beside the workers and check as they go,
 * and the quiet points, where everything must agree (see stress_test.c).
 */
#include "stress.h"

static const char *const files[] = {
	"id", "uuid", "generation", "namespaces", "cgroup", "procs", "stat",
	"on_empty", "enter", "labels",
};

pthread_rwlock_t quiet;
atomic_bool stop, failed;
char failure[512];
static pthread_mutex_t fail_lock = PTHREAD_MUTEX_INITIALIZER;

struct counts n;
struct monitor mon;

/* The first violation found; everything stops then. */
void violation(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&fail_lock);
	if (!failure[0]) {
		va_start(ap, fmt);
		vsnprintf(failure, sizeof(failure), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&fail_lock);
	atomic_store(&failed, true);
	atomic_store(&stop, true);
}

void reply_cb(const struct nlmsghdr *h, void *arg)
{
	struct nl_msg *m = arg;

	if (h->nlmsg_type >= NLMSG_MIN_TYPE && !m->cmd)
		nl_parse_msg(h, m);
}

/* GET_CONTAINER or DEL_CONTAINER by name; the reply in @m. */
int nl_by_name(struct nl *nl, __u8 cmd, const char *name, struct nl_msg *m)
{
	struct nl_req r;

	memset(m, 0, sizeof(*m));
	nl_req_init(&r, nl, nl->family, cmd, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, name);
	return nl_transact(nl, &r, reply_cb, m, NULL);
}

/* Read @file of the container directory @dir; its length or -errno. */
int read_at(int dir, const char *file, char *buf, size_t len)
{
	int fd = openat(dir, file, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -errno;
	r = read(fd, buf, len - 1);
	if (r < 0)
		r = -errno;
	else
		buf[r] = '\0';
	close(fd);
	return r;
}

__u64 read_u64_at(int dir, const char *file)
{
	char buf[64];

	return read_at(dir, file, buf, sizeof(buf)) > 0 ? strtoull(buf, NULL, 10) : ~0ULL;
}

/* Is the container @name, whose directory is @dir, gone (or replaced)? */
static bool gone(int root, const char *name, int dir)
{
	struct stat a, b;

	if (fstat(dir, &a))
		return true;
	return fstatat(root, name, &b, 0) ? errno == ENOENT : a.st_ino != b.st_ino;
}

/* The delete count of the worker's container @name, or NULL. */
static atomic_uint *deleting_of(const char *name)
{
	unsigned int w, k;

	if (sscanf(name, "st%u-%u", &w, &k) != 2 || w >= WORKERS || k >= SLOTS)
		return NULL;
	return &workers[w].slot[k].deleting;
}

/* Every listed container has every file, unless deleted meanwhile. */
static int list_once(void)
{
	unsigned int i, before, after;
	atomic_uint *deleting;
	char buf[4096];
	struct dirent *d;
	int root, dir, r = 0;
	DIR *dp;

	root = open(NSCTL_TEST_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHECK(root >= 0, "open " NSCTL_TEST_ROOT ": %m");
	dp = fdopendir(dup(root));
	CHECK(dp, "fdopendir: %m");
	while (!r && (d = readdir(dp))) {
		if (d->d_type != DT_DIR || d->d_name[0] == '.')
			continue;
		deleting = deleting_of(d->d_name);
		before = deleting ? atomic_load(deleting) : 0;
		dir = openat(root, d->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dir < 0) {
			if (errno != ENOENT)
				r = -1, violation("listed %s: open: %m", d->d_name);
			continue;
		}
		for (i = 0; i < sizeof(files) / sizeof(files[0]) && !r; i++) {
			int got = read_at(dir, files[i], buf, sizeof(buf));

			if (got == 0 && strcmp(files[i], "labels") && strcmp(files[i], "procs"))
				r = -1, violation("listed %s: %s is empty", d->d_name, files[i]);
			if (got >= 0)
				continue;
			/*
			 * A delete marks the container dead (its files read
			 * ENODEV), takes its files out (ENOENT), then its
			 * name: a walk that found the name meanwhile finds a
			 * dead or emptied directory.  Only then: while its
			 * worker's delete runs, or once the name is gone or
			 * names another container.
			 */
			after = deleting ? atomic_load(deleting) : 0;
			if (!(before & 1) && before == after && !gone(root, d->d_name, dir))
				r = -1, violation("listed %s, no delete running, lacks its file %s: %s",
						  d->d_name, files[i], strerror(-got));
			break;
		}
		close(dir);
		n.listed++;
	}
	closedir(dp);
	close(root);
	return r;
}

void *lister_main(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		pthread_rwlock_rdlock(&quiet);
		list_once();
		pthread_rwlock_unlock(&quiet);
	}
	return NULL;
}

/* A dump of every container, restarted while interrupted. */
struct ctset {
	unsigned int count;
	bool intr, incomplete;
	struct ct { char name[NSCTL_NAME_MAX + 2]; __u64 id, gen; char uuid[40]; } ct[WORKERS * SLOTS + 8];
};

static void dump_cb(const struct nlmsghdr *h, void *arg)
{
	struct ctset *set = arg;
	struct nl_msg *m;
	struct ct *c;

	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		set->intr = true;
	if (h->nlmsg_type == NLMSG_DONE)
		return;
	m = calloc(1, sizeof(*m));
	if (!m)
		return;
	nl_parse_msg(h, m);
	if (!m->has_id || !m->has_name || !m->has_gen || !m->has_ct_uuid)
		set->incomplete = true;
	if (set->count < sizeof(set->ct) / sizeof(set->ct[0])) {
		c = &set->ct[set->count];
		snprintf(c->name, sizeof(c->name), "%s", m->name);
		c->id = m->id;
		c->gen = m->gen;
		uuid_str(m->uuid, c->uuid);
	}
	set->count++;
	free(m);
}

static int dump(struct nl *nl, struct ctset *set)
{
	struct nl_req r;
	int ret, tries;

	for (tries = 0; tries < 100; tries++) {
		memset(set, 0, sizeof(*set));
		nl_req_init(&r, nl, nl->family, NSCTL_CMD_GET_CONTAINER, NLM_F_DUMP);
		ret = nl_transact(nl, &r, dump_cb, set, NULL);
		CHECK(!ret, "dump: %s", strerror(-ret));
		CHECK(!set->incomplete, "a dumped container lacks its id, name, UUID or generation");
		if (!set->intr)
			return 0;
	}
	CHECK(0, "dump: interrupted 100 times");
}

void *dumper_main(void *arg)
{
	struct ctset *set = malloc(sizeof(*set));
	struct nl nl;

	(void)arg;
	if (!set || nl_open(&nl)) {
		violation("dumper: %m");
		free(set);
		return NULL;
	}
	while (!atomic_load(&stop)) {
		pthread_rwlock_rdlock(&quiet);
		if (!dump(&nl, set))
			n.dumped++;
		pthread_rwlock_unlock(&quiet);
	}
	nl_close(&nl);
	free(set);
	return NULL;
}

void *unloader_main(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		if (sys_delete_module("nsctl", O_NONBLOCK) == 0) {
			violation("the module unloaded while in use");
			break;
		}
		if (errno != EWOULDBLOCK) {
			violation("delete_module while in use: %m, not EWOULDBLOCK");
			break;
		}
		n.refusals++;
		usleep(20000);
	}
	return NULL;
}

static int on_event(struct nl_msg *m)
{
	unsigned int k;
	__u64 i;

	if (m->cmd < NSCTL_CMD_CONTAINER_CREATED || m->cmd > NSCTL_CMD_CONTAINER_DELETED)
		return 0;
	CHECK(m->has_id && m->id >= mon.base && m->id - mon.base < MAX_IDS,
	      "event %u for container id %llu, made before the run", m->cmd,
	      (unsigned long long)m->id);
	i = m->id - mon.base;
	if (m->cmd == NSCTL_CMD_CONTAINER_CREATED) {
		CHECK(mon.state[i] == 0, "container %llu created twice", (unsigned long long)m->id);
		mon.state[i] = 1;
		mon.created++, mon.live++, mon.sum += m->id;
		return 0;
	}
	CHECK(mon.lost || mon.state[i] == 1, "event %u for container %llu %s", m->cmd,
	      (unsigned long long)m->id, mon.state[i] ? "after its DELETED" : "before its CREATED");
	if (m->cmd == NSCTL_CMD_CONTAINER_ENTERED)
		mon.entered++;
	if (m->cmd != NSCTL_CMD_CONTAINER_DELETED)
		return 0;
	mon.deleted++;
	if (mon.state[i] == 1)
		mon.live--, mon.sum -= m->id;
	mon.state[i] = 2;
	if (sscanf(m->name, "quiet-%u", &k) == 1) {
		mon.q_created = mon.created, mon.q_entered = mon.entered;
		mon.q_deleted = mon.deleted, mon.q_live = mon.live, mon.q_sum = mon.sum;
		atomic_store(&mon.quiet_seen, k);
	}
	return 0;
}

void *monitor_main(void *arg)
{
	struct nl_msg *m = malloc(sizeof(*m));
	int ret;

	(void)arg;
	while (m && !atomic_load(&mon.stop) && !atomic_load(&failed)) {
		ret = nl_event(&mon.nl, m, 100);
		if (ret == -ENOBUFS) {
			mon.lost = true;
			continue;
		}
		if (ret < 0) {
			violation("events: %s", strerror(-ret));
			break;
		}
		if (ret == 0)
			continue;
		if (mon.nl.gaps > mon.nl.overruns) {
			violation("event %llu follows a gap no overrun reported",
				  (unsigned long long)m->seq);
			break;
		}
		if (on_event(m))
			break;
	}
	free(m);
	return NULL;
}

/* The filesystem's containers (id, generation, uuid of each). */
static int fs_set(struct ctset *set)
{
	struct dirent *d;
	struct ct *c;
	char buf[64];
	int dir;
	DIR *dp = opendir(NSCTL_TEST_ROOT);

	CHECK(dp, NSCTL_TEST_ROOT ": %m");
	memset(set, 0, sizeof(*set));
	while ((d = readdir(dp))) {
		if (d->d_type != DT_DIR || d->d_name[0] == '.')
			continue;
		if (set->count == sizeof(set->ct) / sizeof(set->ct[0]))
			break;
		c = &set->ct[set->count++];
		snprintf(c->name, sizeof(c->name), "%s", d->d_name);
		dir = openat(dirfd(dp), d->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		c->id = read_u64_at(dir, "id");
		c->gen = read_u64_at(dir, "generation");
		if (read_at(dir, "uuid", buf, sizeof(buf)) == 37)
			snprintf(c->uuid, sizeof(c->uuid), "%.36s", buf);
		close(dir);
	}
	closedir(dp);
	return 0;
}

static struct ct *find(struct ctset *set, const char *name)
{
	unsigned int i;

	for (i = 0; i < set->count && i < sizeof(set->ct) / sizeof(set->ct[0]); i++)
		if (!strcmp(set->ct[i].name, name))
			return &set->ct[i];
	return NULL;
}

/*
 * Quiet point @k (from 1): every worker between operations.  The dump,
 * the filesystem, the workers' own record and the events agree.
 */
static int quiet_check(struct nl *nl, unsigned int k)
{
	static struct ctset fs, dm;
	unsigned int i, j, live = 0;
	char path[64];
	__u64 sum = 0;
	struct ct *c;

	if (fs_set(&fs) || dump(nl, &dm))
		return -1;
	CHECK(fs.count == dm.count, "quiet point %u: %u containers in the filesystem, %u dumped",
	      k, fs.count, dm.count);
	for (i = 0; i < fs.count; i++) {
		c = find(&dm, fs.ct[i].name);
		CHECK(c && c->id == fs.ct[i].id && c->gen == fs.ct[i].gen &&
		      !strcmp(c->uuid, fs.ct[i].uuid),
		      "quiet point %u: %s is not dumped as the filesystem shows it", k,
		      fs.ct[i].name);
		sum += fs.ct[i].id;
	}
	for (i = 0; i < WORKERS; i++)
		for (j = 0; j < SLOTS; j++) {
			struct slot *s = &workers[i].slot[j];

			if (!s->live)
				continue;
			live++;
			c = find(&fs, s->name);
			CHECK(c && c->id == s->id && c->gen == s->gen && !strcmp(c->uuid, s->uuid),
			      "quiet point %u: %s is not what its worker made", k, s->name);
		}
	CHECK(live == fs.count, "quiet point %u: workers hold %u containers, the filesystem %u",
	      k, live, fs.count);

	/* A sentinel's DELETED event marks where the events must have got to. */
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/quiet-%u", k);
	CHECK(!mkdir(path, 0755) && !rmdir(path), "quiet point %u: sentinel: %m", k);
	/* Bounds a hang only: the sentinel's events are on their way. */
	CHECK(wait_for(atomic_load(&mon.quiet_seen) == k || atomic_load(&failed), 120000),
	      "quiet point %u: the sentinel's DELETED event never came", k);
	if (atomic_load(&failed) || mon.lost)
		return 0;
	CHECK(mon.q_live == fs.count && mon.q_sum == sum,
	      "quiet point %u: events leave %llu containers, the filesystem has %u", k,
	      (unsigned long long)mon.q_live, fs.count);
	CHECK(mon.q_created == n.creates + k && mon.q_deleted == n.deletes + k &&
	      mon.q_entered == n.enters,
	      "quiet point %u: events counted %llu created, %llu deleted, %llu entered; made %lu, %lu, %lu",
	      k, (unsigned long long)mon.q_created - k, (unsigned long long)mon.q_deleted - k,
	      (unsigned long long)mon.q_entered, n.creates, n.deletes, n.enters);
	return 0;
}

/* Held for the whole check: nothing the workers do may come between. */
int quiet_point(struct nl *nl, unsigned int k)
{
	int ret;

	pthread_rwlock_wrlock(&quiet);
	ret = quiet_check(nl, k);
	pthread_rwlock_unlock(&quiet);
	return ret;
}
