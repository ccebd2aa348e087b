// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "nsctl": commands and their errors, dumps
 * against the filesystem, and events: each produced by its action and by
 * nothing else, numbered without gaps, overruns detected and recovered
 * from, a created container enterable the moment its event arrives, and a
 * network namespace reported destroyed only once the kernel tore it down.
 */
#include <dirent.h>
#include <net/if.h>
#include <pthread.h>

#include "kselftest_harness.h"
#include "nsctl_test.h"
#include "nsctl_nl.h"

/* Large enough that no test overruns it unless it means to. */
#define EV_RCVBUF	(16 << 20)
/* Bounds a wait for an event that must come; it times nothing. */
#define EV_WAIT_MS	60000

static int ct_open(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", name);
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static ino_t path_ino(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_ino;
}

static bool is_ct_event(__u8 cmd)
{
	return cmd >= NSCTL_CMD_CONTAINER_CREATED &&
	       cmd <= NSCTL_CMD_CONTAINER_DELETED;
}

static const char *cmd_name(__u8 cmd)
{
	static const char * const names[] = {
		[NSCTL_CMD_CONTAINER_CREATED] = "CREATED",
		[NSCTL_CMD_CONTAINER_CHANGED] = "CHANGED",
		[NSCTL_CMD_CONTAINER_ENTERED] = "ENTERED",
		[NSCTL_CMD_CONTAINER_EMPTIED] = "EMPTIED",
		[NSCTL_CMD_CONTAINER_DELETED] = "DELETED",
		[NSCTL_CMD_NETNS_CREATED] = "NETNS_CREATED",
		[NSCTL_CMD_NETNS_DESTROYED] = "NETNS_DESTROYED",
	};

	return cmd < sizeof(names) / sizeof(names[0]) && names[cmd] ? names[cmd] : "?";
}

static int ev_open(struct nl *ev)
{
	int ret = nl_open(ev);

	if (ret)
		return ret;
	ret = nl_subscribe(ev, EV_RCVBUF);
	if (ret)
		nl_close(ev);
	return ret;
}

/* Events received up to a marker. */
struct evlist {
	struct nl_msg *m;
	int n, cap;
};

static void evlist_add(struct evlist *l, const struct nl_msg *m)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->m = realloc(l->m, l->cap * sizeof(*l->m));
		if (!l->m)
			abort();
	}
	l->m[l->n++] = *m;
}

static void evlist_free(struct evlist *l)
{
	free(l->m);
	memset(l, 0, sizeof(*l));
}

/*
 * Events are sent by the operation that causes them, so a marker (an
 * empty container made and removed) shows that everything sent before it
 * has arrived: "no event" is then what came before the marker's own.
 * Appends every event before the marker to @l; returns 0, or -errno.
 */
static int ev_sync(struct nl *ev, struct evlist *l)
{
	static int serial;
	char name[64];
	struct nl_msg m;
	bool created = false;
	int ret;

	snprintf(name, sizeof(name), "nl-mark-%d-%d", getpid(), ++serial);
	if (ct_make(name) < 0 || ct_remove(name))
		return -errno;
	for (;;) {
		ret = nl_event(ev, &m, EV_WAIT_MS);
		if (ret <= 0)
			return ret ? ret : -ETIMEDOUT;
		if (is_ct_event(m.cmd) && !strcmp(m.name, name)) {
			if (m.cmd == NSCTL_CMD_CONTAINER_CREATED)
				created = true;
			else if (m.cmd == NSCTL_CMD_CONTAINER_DELETED && created)
				return 0;
			continue;
		}
		if (l)
			evlist_add(l, &m);
	}
}

/* Wait for the event @cmd about container @name (or namespace @uuid). */
static int ev_wait(struct nl *ev, __u8 cmd, const char *name,
		   const __u8 *uuid, struct nl_msg *out, struct evlist *l)
{
	struct nl_msg m;
	int ret;

	for (;;) {
		ret = nl_event(ev, &m, EV_WAIT_MS);
		if (ret <= 0)
			return ret ? ret : -ETIMEDOUT;
		if (m.cmd == cmd && (!name || !strcmp(m.name, name)) &&
		    (!uuid || !memcmp(m.ns_uuid, uuid, 16))) {
			if (out)
				*out = m;
			return 0;
		}
		if (l)
			evlist_add(l, &m);
	}
}

/* Container events in @l, as "CMD name/gen/changed" lines, for logs. */
static int ct_events(const struct evlist *l, const struct nl_msg **out, int max)
{
	int i, n = 0;

	for (i = 0; i < l->n; i++) {
		if (!is_ct_event(l->m[i].cmd))
			continue;
		if (n < max)
			out[n] = &l->m[i];
		n++;
	}
	return n;
}

struct want {
	__u8 cmd;
	const char *name;
	__u64 gen;		/* 0: not checked */
	__u64 changed;
};

static void log_events(struct __test_metadata *_metadata, const struct evlist *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		TH_LOG("event %llu %s %s gen %llu changed %#llx pid %u",
		       (unsigned long long)l->m[i].seq, cmd_name(l->m[i].cmd),
		       l->m[i].name, (unsigned long long)l->m[i].gen,
		       (unsigned long long)l->m[i].changed, l->m[i].pid);
}

/* The container events in @l are exactly @want, in order. */
static void expect_events(struct __test_metadata *_metadata,
			  const struct evlist *l, const struct want *want, int nw)
{
	const struct nl_msg *got[64];
	int n, i;

	n = ct_events(l, got, 64);
	ASSERT_EQ(nw, n) {
		log_events(_metadata, l);
	}
	for (i = 0; i < n; i++) {
		ASSERT_EQ(want[i].cmd, got[i]->cmd) {
			TH_LOG("event %d: %s, wanted %s", i, cmd_name(got[i]->cmd),
			       cmd_name(want[i].cmd));
			log_events(_metadata, l);
		}
		ASSERT_STREQ(want[i].name, got[i]->name);
		if (want[i].gen) {
			ASSERT_TRUE(got[i]->has_gen);
			ASSERT_EQ(want[i].gen, got[i]->gen) {
				TH_LOG("event %d (%s)", i, cmd_name(got[i]->cmd));
			}
		}
		if (want[i].cmd == NSCTL_CMD_CONTAINER_CHANGED) {
			ASSERT_TRUE(got[i]->has_changed);
			ASSERT_EQ(want[i].changed, got[i]->changed) {
				TH_LOG("event %d: changed %#llx", i,
				       (unsigned long long)got[i]->changed);
			}
		} else {
			ASSERT_FALSE(got[i]->has_changed);
		}
	}
}

/* Requests. */

static void reply_cb(const struct nlmsghdr *h, void *arg)
{
	struct nl_msg *m = arg;

	if (m && h->nlmsg_type >= NLMSG_MIN_TYPE && !m->cmd)
		nl_parse_msg(h, m);
}

/* NEW_CONTAINER with the namespaces in @fds (-1: none) and @pid_of for pid. */
static int nl_new(struct nl *nl, const char *name, const int *fds, int pid_of,
		  const __u8 *uuid, int cgfd, struct nl_msg *reply,
		  struct nl_ack *ack)
{
	struct nl_req r;
	unsigned int i;

	if (reply)
		memset(reply, 0, sizeof(*reply));
	nl_req_init(&r, nl, nl->family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, name);
	if (uuid)
		nl_put(&r, NSCTL_A_CT_UUID, uuid, 16);
	for (i = 0; fds && i < NSCTL_NS_COUNT; i++)
		if (fds[i] >= 0)
			nl_put_ns(&r, i, fds[i], 0);
	if (pid_of > 0)
		nl_put_ns(&r, NSCTL_NS_PID, -1, pid_of);
	if (cgfd >= 0)
		nl_put(&r, NSCTL_A_CGROUP_FD, &cgfd, sizeof(cgfd));
	return nl_transact(nl, &r, reply_cb, reply, ack);
}

static int nl_del(struct nl *nl, const char *name, __u64 id, const uint64_t *gen,
		  struct nl_ack *ack)
{
	struct nl_req r;

	nl_req_init(&r, nl, nl->family, NSCTL_CMD_DEL_CONTAINER, NLM_F_ACK);
	if (name)
		nl_put_str(&r, NSCTL_A_CT_NAME, name);
	else
		nl_put_u64(&r, NSCTL_A_CT_ID, id);
	if (gen)
		nl_put_u64(&r, NSCTL_A_CT_GENERATION, *gen);
	return nl_transact(nl, &r, NULL, NULL, ack);
}

static int nl_get_name(struct nl *nl, const char *name, struct nl_msg *reply,
		       struct nl_ack *ack)
{
	struct nl_req r;

	memset(reply, 0, sizeof(*reply));
	nl_req_init(&r, nl, nl->family, NSCTL_CMD_GET_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, name);
	return nl_transact(nl, &r, reply_cb, reply, ack);
}

/* Dumps. */

struct dump {
	struct evlist l;
	bool intr;
	int foreign;	/* messages not of the family */
};

static void dump_cb(const struct nlmsghdr *h, void *arg)
{
	struct dump *d = arg;
	struct nl_msg m;

	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		d->intr = true;
	if (h->nlmsg_type == NLMSG_DONE)
		return;
	nl_parse_msg(h, &m);
	evlist_add(&d->l, &m);
}

/* A consistent dump of @cmd (restarted while NLM_F_DUMP_INTR says so). */
static int nl_dump(struct nl *nl, __u8 cmd, struct dump *d)
{
	int tries, ret = -EAGAIN;

	for (tries = 0; tries < 10; tries++) {
		struct nl_req r;

		evlist_free(&d->l);
		d->intr = false;
		nl_req_init(&r, nl, nl->family, cmd, NLM_F_DUMP);
		ret = nl_transact(nl, &r, dump_cb, d, NULL);
		if (ret || !d->intr)
			return ret;
	}
	return -EAGAIN;
}

/* The filesystem's view of the containers. */
struct fsct {
	char name[NSCTL_NAME_MAX + 1];
	__u64 id, gen;
	char uuid[40];
};

static int cmp_fsct(const void *a, const void *b)
{
	__u64 x = ((const struct fsct *)a)->id, y = ((const struct fsct *)b)->id;

	return x < y ? -1 : x > y;
}

/* Every container in the filesystem, in id order; returns the count. */
static int fs_list(struct fsct **out)
{
	struct fsct *v = NULL;
	int n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	d = opendir(NSCTL_TEST_ROOT);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				abort();
		}
		snprintf(v[n].name, sizeof(v[n].name), "%.*s", NSCTL_NAME_MAX, de->d_name);
		v[n].id = ct_read_u64(v[n].name, "id");
		v[n].gen = ct_read_u64(v[n].name, "generation");
		if (ct_read(v[n].name, "uuid", v[n].uuid, sizeof(v[n].uuid)) < 0)
			v[n].uuid[0] = '\0';
		v[n].uuid[strcspn(v[n].uuid, "\n")] = '\0';
		n++;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_fsct);
	*out = v;
	return n;
}

/* The dump of containers is the filesystem's listing, in id order. */
static void expect_dump_is_fs(struct __test_metadata *_metadata, struct nl *nl)
{
	struct dump d = { 0 };
	struct fsct *fs = NULL;
	char u[37];
	int n, i;

	ASSERT_EQ(0, nl_dump(nl, NSCTL_CMD_GET_CONTAINER, &d));
	n = fs_list(&fs);
	ASSERT_GE(n, 0);
	ASSERT_EQ(n, d.l.n) {
		TH_LOG("%d containers in the filesystem, %d in the dump", n, d.l.n);
	}
	for (i = 0; i < n; i++) {
		const struct nl_msg *m = &d.l.m[i];

		ASSERT_TRUE(m->has_id && m->has_name && m->has_ct_uuid && m->has_gen);
		if (i)
			ASSERT_LT(d.l.m[i - 1].id, m->id);
		ASSERT_EQ(fs[i].id, m->id);
		ASSERT_STREQ(fs[i].name, m->name);
		ASSERT_STREQ(fs[i].uuid, uuid_str(m->uuid, u));
		ASSERT_EQ(fs[i].gen, m->gen);
	}
	free(fs);
	evlist_free(&d.l);
}

/* Namespaces made by unshare in a child, as fds; the child is gone after. */
static void fresh_ns(struct __test_metadata *_metadata, int flags, int fds[NSCTL_NS_COUNT])
{
	int release, i;
	char path[64];
	pid_t holder;

	holder = ns_holder(flags, &release);
	ASSERT_GT(holder, 0);
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		fds[i] = -1;
		if (i == NSCTL_NS_PID || !(flags & ns_clone_flag(i)))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", holder, ns_proc_file(i));
		fds[i] = open(path, O_RDONLY | O_CLOEXEC);
		ASSERT_GE(fds[i], 0);
	}
	ns_holder_end(holder, release);
}

static void close_fds(int fds[NSCTL_NS_COUNT])
{
	int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static int ns_uuid_of_fd(int fd, __u8 uuid[16])
{
	struct nsctl_ns_info info = { .fd = fd };
	int root, ret;

	root = open(NSCTL_TEST_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ret = ioctl(root, NSCTL_IOC_NS_INFO, &info);
	close(root);
	if (!ret)
		memcpy(uuid, info.uuid, 16);
	return ret;
}

static int ns_open_uuid(const __u8 uuid[16])
{
	struct nsctl_ns_open a = { 0 };
	int root, ret;

	memcpy(a.uuid, uuid, 16);
	root = open(NSCTL_TEST_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ret = ioctl(root, NSCTL_IOC_NS_OPEN, &a);
	close(root);
	return ret;
}

TEST(family_and_events_group)
{
	struct nl nl;

	ASSERT_EQ(0, nl_open(&nl)) {
		TH_LOG("no generic netlink family \"%s\"", NSCTL_GENL_NAME);
	}
	ASSERT_NE(0, nl.family);
	ASSERT_EQ(NSCTL_GENL_VERSION, nl.version);
	ASSERT_NE(0, nl.events_grp);
	nl_close(&nl);
}

TEST(mkdir_and_rmdir_events)
{
	struct evlist l = { 0 };
	struct nl ev;
	struct nl_msg c, d;
	char name[64], u[37], fsu[40];
	__u64 id;
	int fd;

	ASSERT_EQ(0, ev_open(&ev));
	ASSERT_EQ(0, ev_sync(&ev, NULL));
	snprintf(name, sizeof(name), "nl-mk%d", getpid());
	fd = ct_make(name);
	ASSERT_GE(fd, 0);
	close(fd);
	id = ct_read_u64(name, "id");
	ASSERT_GT(ct_read(name, "uuid", fsu, sizeof(fsu)), 0);
	fsu[36] = '\0';
	/* A failed mkdir announces nothing. */
	ASSERT_EQ(-1, ct_make(name));
	ASSERT_EQ(EEXIST, errno);
	ASSERT_EQ(0, ct_remove(name));
	ASSERT_EQ(-1, ct_remove(name));
	ASSERT_EQ(ENOENT, errno);
	ASSERT_EQ(0, ev_sync(&ev, &l));
	{
		const struct want want[] = {
			{ NSCTL_CMD_CONTAINER_CREATED, name, 1, 0 },
			/* Deleting is a generation step of its own. */
			{ NSCTL_CMD_CONTAINER_DELETED, name, 2, 0 },
		};

		expect_events(_metadata, &l, want, 2);
	}
	c = l.m[0];
	d = l.m[1];
	ASSERT_EQ(id, c.id);
	ASSERT_EQ(id, d.id);
	ASSERT_STREQ(fsu, uuid_str(c.uuid, u));
	ASSERT_STREQ(fsu, uuid_str(d.uuid, u));
	ASSERT_EQ(0, c.ns_nests);
	ASSERT_EQ(0, d.ns_nests);
	ASSERT_FALSE(c.has_pid_init);
	ASSERT_LT(c.seq, d.seq);
	ASSERT_EQ(0, ev.gaps);
	ASSERT_EQ(0, ev.overruns);
	evlist_free(&l);
	nl_close(&ev);
}

/*
 * NEW_CONTAINER: one CREATED event, with every namespace already in it and
 * the generation the reply reports, then nothing (no CHANGED for the
 * attaching); DEL_CONTAINER: DELETED, after a refused stale delete that
 * announced nothing.
 */
TEST(new_container_one_created_event)
{
	int fds[NSCTL_NS_COUNT], release, i;
	struct nl_msg reply, cr, got;
	struct evlist l = { 0 };
	struct nl nl, ev;
	struct nl_ack ack;
	char name[64], path[128];
	pid_t pidh;
	uint64_t gen;

	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, ev_open(&ev));
	ASSERT_EQ(0, ev_sync(&ev, NULL));
	snprintf(name, sizeof(name), "nl-new%d", getpid());
	fresh_ns(_metadata, CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC, fds);
	/* A PID namespace with no process yet, held through its creator. */
	pidh = ns_holder(CLONE_NEWPID, &release);
	ASSERT_GT(pidh, 0);
	ASSERT_EQ(0, nl_new(&nl, name, fds, pidh, NULL, -1, &reply, &ack)) {
		TH_LOG("NEW_CONTAINER: %s (%s)", strerror(-ack.error), ack.msg);
	}
	ns_holder_end(pidh, release);
	ASSERT_TRUE(reply.has_gen && reply.has_id);
	ASSERT_STREQ(name, reply.name);
	gen = reply.gen;
	ASSERT_EQ(gen, ct_read_u64(name, "generation"));
	ASSERT_EQ(reply.id, ct_read_u64(name, "id"));

	ASSERT_EQ(0, ev_sync(&ev, &l));
	{
		const struct want want[] = {
			{ NSCTL_CMD_CONTAINER_CREATED, name, gen, 0 },
		};

		expect_events(_metadata, &l, want, 1);
	}
	for (i = 0; i < l.n; i++)
		if (l.m[i].cmd == NSCTL_CMD_CONTAINER_CREATED)
			cr = l.m[i];
	ASSERT_EQ(reply.id, cr.id);
	ASSERT_EQ(0, memcmp(reply.uuid, cr.uuid, 16));
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		bool held = fds[i] >= 0 || i == NSCTL_NS_PID;

		ASSERT_EQ(held, cr.ns[i].present) {
			TH_LOG("type %d", i);
		}
		ASSERT_EQ(held, reply.ns[i].present);
		if (!held)
			continue;
		ASSERT_EQ(ct_ns_inum(name, i), cr.ns[i].inum);
		ASSERT_EQ(ct_ns_inum(name, i), reply.ns[i].inum);
		ASSERT_EQ(0, memcmp(reply.ns[i].uuid, cr.ns[i].uuid, 16));
		if (fds[i] >= 0) {
			__u8 uuid[16];

			ASSERT_EQ(fd_ino(fds[i]), cr.ns[i].inum);
			ASSERT_EQ(0, ns_uuid_of_fd(fds[i], uuid));
			ASSERT_EQ(0, memcmp(uuid, cr.ns[i].uuid, 16));
		}
	}
	ASSERT_TRUE(cr.has_pid_init);
	ASSERT_EQ(NSCTL_PID_INIT_NONE, cr.pid_init);
	close_fds(fds);

	/* A stale delete is refused and announces nothing. */
	evlist_free(&l);
	{
		uint64_t old = gen - 1;

		ASSERT_EQ(-ESTALE, nl_del(&nl, name, 0, &old, &ack));
	}
	ASSERT_EQ(0, ev_sync(&ev, &l));
	expect_events(_metadata, &l, NULL, 0);
	ASSERT_EQ(gen, ct_read_u64(name, "generation"));

	/* By id, at the right generation. */
	ASSERT_EQ(0, nl_del(&nl, NULL, reply.id, &gen, &ack)) {
		TH_LOG("DEL_CONTAINER: %s (%s)", strerror(-ack.error), ack.msg);
	}
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", name);
	ASSERT_EQ(-1, access(path, F_OK));
	ASSERT_EQ(0, ev_wait(&ev, NSCTL_CMD_CONTAINER_DELETED, name, NULL, &got, &l));
	ASSERT_EQ(reply.id, got.id);
	ASSERT_EQ(gen + 1, got.gen);
	ASSERT_EQ(0, got.ns_nests);
	ASSERT_EQ(0, ev.gaps);
	evlist_free(&l);
	nl_close(&ev);
	nl_close(&nl);
}

/* A failed NEW_CONTAINER leaves nothing behind and announces nothing. */
TEST(new_container_failures_announce_nothing)
{
	int fds[NSCTL_NS_COUNT], bad[NSCTL_NS_COUNT], i, fd;
	struct evlist l = { 0 };
	struct nl nl, ev;
	struct nl_ack ack;
	char name[64], other[64], path[128];
	__u8 uuid[16];

	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, ev_open(&ev));
	snprintf(name, sizeof(name), "nl-nf%d", getpid());
	snprintf(other, sizeof(other), "nl-nfo%d", getpid());
	fd = ct_make(other);
	ASSERT_GE(fd, 0);
	close(fd);
	fresh_ns(_metadata, CLONE_NEWNET | CLONE_NEWUTS, fds);
	ASSERT_EQ(0, ev_sync(&ev, NULL));

	/* Existing name. */
	ASSERT_EQ(-EEXIST, nl_new(&nl, other, fds, 0, NULL, -1, NULL, &ack));
	/* A later attachment fails: nothing of the earlier ones remains. */
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		bad[i] = fds[i];
	bad[NSCTL_NS_IPC] = 999;
	ASSERT_EQ(-EBADF, nl_new(&nl, name, bad, 0, NULL, -1, NULL, &ack));
	/* An fd of the wrong type. */
	bad[NSCTL_NS_IPC] = fds[NSCTL_NS_NET];
	ASSERT_EQ(-EINVAL, nl_new(&nl, name, bad, 0, NULL, -1, NULL, &ack));
	/* A UUID another container has. */
	{
		struct nl_msg o;

		ASSERT_EQ(0, nl_get_name(&nl, other, &o, &ack));
		memcpy(uuid, o.uuid, 16);
	}
	ASSERT_EQ(-EEXIST, nl_new(&nl, name, fds, 0, uuid, -1, NULL, &ack));
	/* Not a cgroup directory. */
	ASSERT_EQ(-EBADF, nl_new(&nl, name, fds, 0, NULL, fds[NSCTL_NS_NET], NULL, &ack));
	/* A pid that does not exist. */
	ASSERT_EQ(-ESRCH, nl_new(&nl, name, NULL, 0x3fffffff, NULL, -1, NULL, &ack));

	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", name);
	ASSERT_EQ(-1, access(path, F_OK));
	ASSERT_EQ(0, ev_sync(&ev, &l));
	expect_events(_metadata, &l, NULL, 0);
	close_fds(fds);
	ASSERT_EQ(0, ct_remove(other));
	evlist_free(&l);
	nl_close(&ev);
	nl_close(&nl);
}

/*
 * SET_UUID, SET_NS and SET_CGROUP: a CHANGED event each, with the slots
 * that changed and the new generation; a SET_NS that changes nothing and
 * every refused call: no event.
 */
TEST(changed_events)
{
	int fds[NSCTL_NS_COUNT], none[NSCTL_NS_COUNT], own[NSCTL_NS_COUNT];
	struct nsctl_set_uuid su = { 0 };
	struct nsctl_set_cgroup cg = { 0 };
	struct nsctl_set_ns sn = { 0 };
	char name[64], other[64], cgpath[128], u[37], fsu[40];
	struct evlist l = { 0 };
	int dirfd, ofd, cgfd, i;
	struct nl ev;
	__u8 set_uuid[16];
	uint64_t gen;

	ASSERT_EQ(0, ev_open(&ev));
	snprintf(name, sizeof(name), "nl-ch%d", getpid());
	snprintf(other, sizeof(other), "nl-cho%d", getpid());
	snprintf(cgpath, sizeof(cgpath), "/sys/fs/cgroup/%s", name);
	fresh_ns(_metadata, CLONE_NEWNET | CLONE_NEWUTS, fds);
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		none[i] = -1;
		own[i] = -1;
	}
	own[NSCTL_NS_NET] = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_EQ(0, mkdir(cgpath, 0755));
	cgfd = open(cgpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(cgfd, 0);
	dirfd = ct_make(name);
	ASSERT_GE(dirfd, 0);
	ofd = ct_make(other);
	ASSERT_GE(ofd, 0);
	ASSERT_EQ(0, ev_sync(&ev, NULL));

	/* 1: a UUID, while the container is still at generation 1. */
	for (i = 0; i < 16; i++)
		su.uuid[i] = 0x10 + i;
	su.uuid[6] = 0x40 | (su.uuid[6] & 0xf);
	ASSERT_EQ(0, ioctl(dirfd, NSCTL_IOC_SET_UUID, &su));
	memcpy(set_uuid, su.uuid, 16);
	/* The same UUID for another container: EEXIST, nothing. */
	ASSERT_EQ(-1, ioctl(ofd, NSCTL_IOC_SET_UUID, &su));
	ASSERT_EQ(EEXIST, errno);
	/* 2: net attached. */
	ASSERT_EQ(0, ct_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_NET), fds, 0, &gen));
	ASSERT_EQ(2, gen);
	/* The same namespace again, an empty slot emptied: nothing changes. */
	ASSERT_EQ(0, ct_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_NET), fds, 0, &gen));
	ASSERT_EQ(2, gen);
	ASSERT_EQ(0, ct_set_ns(dirfd, 0, none, NSCTL_NS_BIT(NSCTL_NS_UTS), &gen));
	ASSERT_EQ(2, gen);
	/* A UUID once the container holds something: EBUSY. */
	su.uuid[15] ^= 1;
	ASSERT_EQ(-1, ioctl(dirfd, NSCTL_IOC_SET_UUID, &su));
	ASSERT_EQ(EBUSY, errno);
	/* A stale SET_NS: ESTALE. */
	sn.flags = NSCTL_SET_NS_CHECK_GEN;
	sn.generation = 1;
	sn.detach = NSCTL_NS_BIT(NSCTL_NS_NET);
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		sn.fds[i] = -1;
	ASSERT_EQ(-1, ioctl(dirfd, NSCTL_IOC_SET_NS, &sn));
	ASSERT_EQ(ESTALE, errno);
	/* A bad fd: EBADF. */
	none[NSCTL_NS_IPC] = 999;
	ASSERT_EQ(-1, ct_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_IPC), none, 0, NULL));
	ASSERT_EQ(EBADF, errno);
	none[NSCTL_NS_IPC] = -1;
	/* 3: uts attached and net detached in one call. */
	ASSERT_EQ(0, ct_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_UTS), fds,
			       NSCTL_NS_BIT(NSCTL_NS_NET), &gen));
	ASSERT_EQ(3, gen);
	/* 4, 5: a cgroup bound and unbound. */
	cg.fd = cgfd;
	ASSERT_EQ(0, ioctl(dirfd, NSCTL_IOC_SET_CGROUP, &cg));
	ASSERT_EQ(4, cg.generation);
	cg.fd = -1;
	ASSERT_EQ(0, ioctl(dirfd, NSCTL_IOC_SET_CGROUP, &cg));
	ASSERT_EQ(5, cg.generation);
	/*
	 * 6: our own net for the fresh uts: everyone is inside, rmdir is
	 * EBUSY; 7: detached.
	 */
	ASSERT_EQ(0, ct_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_NET), own,
			       NSCTL_NS_BIT(NSCTL_NS_UTS), &gen));
	ASSERT_EQ(6, gen);
	ASSERT_EQ(-1, ct_remove(name));
	ASSERT_EQ(EBUSY, errno);
	ASSERT_EQ(-1, ct_make(name));
	ASSERT_EQ(EEXIST, errno);
	ASSERT_EQ(0, ct_set_ns(dirfd, 0, none, NSCTL_NS_BIT(NSCTL_NS_NET), &gen));
	ASSERT_EQ(7, gen);
	/* A policy: announced, no generation step; the same again: nothing. */
	ASSERT_EQ(0, ct_write_str(name, "on_empty", "notify\n"));
	ASSERT_EQ(0, ct_write_str(name, "on_empty", "notify"));
	ASSERT_EQ(-EINVAL, ct_write_str(name, "on_empty", "sometimes"));
	ASSERT_EQ(7, ct_read_u64(name, "generation"));

	ASSERT_EQ(0, ev_sync(&ev, &l));
	{
		const struct want want[] = {
			{ NSCTL_CMD_CONTAINER_CHANGED, name, 1, NSCTL_CHANGED_UUID },
			{ NSCTL_CMD_CONTAINER_CHANGED, name, 2, NSCTL_NS_BIT(NSCTL_NS_NET) },
			{ NSCTL_CMD_CONTAINER_CHANGED, name, 3,
			  NSCTL_NS_BIT(NSCTL_NS_NET) | NSCTL_NS_BIT(NSCTL_NS_UTS) },
			{ NSCTL_CMD_CONTAINER_CHANGED, name, 4, NSCTL_CHANGED_CGROUP },
			{ NSCTL_CMD_CONTAINER_CHANGED, name, 5, NSCTL_CHANGED_CGROUP },
			{ NSCTL_CMD_CONTAINER_CHANGED, name, 6,
			  NSCTL_NS_BIT(NSCTL_NS_NET) | NSCTL_NS_BIT(NSCTL_NS_UTS) },
			{ NSCTL_CMD_CONTAINER_CHANGED, name, 7, NSCTL_NS_BIT(NSCTL_NS_NET) },
			{ NSCTL_CMD_CONTAINER_CHANGED, name, 7, NSCTL_CHANGED_POLICY },
		};
		const struct nl_msg *got[8];

		expect_events(_metadata, &l, want, 8);
		ct_events(&l, got, 8);
		/* What each event says the container holds. */
		ASSERT_EQ(0, memcmp(set_uuid, got[0]->uuid, 16));
		ASSERT_EQ(0, got[0]->ns_nests);
		ASSERT_TRUE(got[1]->ns[NSCTL_NS_NET].present);
		ASSERT_EQ(fd_ino(fds[NSCTL_NS_NET]), got[1]->ns[NSCTL_NS_NET].inum);
		ASSERT_EQ(1, got[1]->ns_nests);
		ASSERT_TRUE(got[2]->ns[NSCTL_NS_UTS].present);
		ASSERT_FALSE(got[2]->ns[NSCTL_NS_NET].present);
		ASSERT_TRUE(got[3]->has_cgroup_id);
		ASSERT_EQ(fd_ino(cgfd), got[3]->cgroup_id);
		ASSERT_TRUE(got[3]->has_cgroup_path);
		ASSERT_STREQ(cgpath + strlen("/sys/fs/cgroup"), got[3]->cgroup_path);
		ASSERT_FALSE(got[4]->has_cgroup_id);
		ASSERT_EQ(fd_ino(own[NSCTL_NS_NET]), got[5]->ns[NSCTL_NS_NET].inum);
		ASSERT_EQ(0, got[6]->ns_nests);
		ASSERT_TRUE(got[7]->has_on_empty);
		ASSERT_EQ(NSCTL_ON_EMPTY_NOTIFY, got[7]->on_empty);
	}
	ASSERT_GT(ct_read(name, "uuid", fsu, sizeof(fsu)), 0);
	fsu[36] = '\0';
	ASSERT_STREQ(fsu, uuid_str(set_uuid, u));
	ASSERT_EQ(0, ev.gaps);

	close(dirfd);
	close(ofd);
	close(cgfd);
	close_fds(fds);
	close_fds(own);
	ASSERT_EQ(0, ct_remove(name));
	ASSERT_EQ(0, ct_remove(other));
	ASSERT_EQ(0, rmdir(cgpath));
	evlist_free(&l);
	nl_close(&ev);
}

/* Child bodies for the ENTERED test; exit status 0 is success. */
static int enter_hands_out(int dirfd)
{
	struct nsctl_enter e = { 0 };

	if (ioctl(dirfd, NSCTL_IOC_ENTER, &e) || !e.entered)
		return 1;
	return 0;
}

static int enter_no_fds(int dirfd)
{
	struct nsctl_enter e = { .flags = NSCTL_ENTER_NO_FDS };

	if (ioctl(dirfd, NSCTL_IOC_ENTER, &e) || !e.entered || e.fds[NSCTL_NS_NET] != -1)
		return 1;
	return 0;
}

static int enter_stale(int dirfd)
{
	struct nsctl_enter e = { .flags = NSCTL_ENTER_CHECK_GEN, .generation = 1 };

	return ioctl(dirfd, NSCTL_IOC_ENTER, &e) == -1 && errno == ESTALE ? 0 : 1;
}

/* Switch into everything by hand, then enter again: the fast path. */
static int enter_then_fast_path(int dirfd)
{
	struct nsctl_enter e = { 0 };
	int i;

	if (ioctl(dirfd, NSCTL_IOC_ENTER, &e))
		return 1;
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (e.fds[i] >= 0 && setns(e.fds[i], 0))
			return 2;
	memset(&e, 0, sizeof(e));
	if (ioctl(dirfd, NSCTL_IOC_ENTER, &e) || e.entered || !e.already)
		return 3;
	return 0;
}

static int unpriv_enter(void *arg)
{
	struct nsctl_enter e = { 0 };

	return ioctl(*(int *)arg, NSCTL_IOC_ENTER, &e) == -1 && errno == EPERM ? 0 : 1;
}

static pid_t run_child(int (*fn)(int), int arg, int *status)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	if (pid < 0 || waitpid(pid, status, 0) != pid)
		return -1;
	return pid;
}

TEST(entered_only_when_fds_are_handed_out)
{
	int fds[NSCTL_NS_COUNT], dirfd, status;
	struct evlist l = { 0 };
	const struct nl_msg *got[4];
	pid_t first, fast;
	char name[64];
	struct nl ev;
	uint64_t gen;

	ASSERT_EQ(0, ev_open(&ev));
	snprintf(name, sizeof(name), "nl-en%d", getpid());
	fresh_ns(_metadata, CLONE_NEWNET | CLONE_NEWUTS, fds);
	dirfd = ct_make(name);
	ASSERT_GE(dirfd, 0);
	ASSERT_EQ(0, ct_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_NET) |
			       NSCTL_NS_BIT(NSCTL_NS_UTS), fds, 0, &gen));
	close_fds(fds);
	ASSERT_EQ(0, ev_sync(&ev, NULL));

	first = run_child(enter_hands_out, dirfd, &status);
	ASSERT_GT(first, 0);
	ASSERT_EQ(0, status);
	ASSERT_GT(run_child(enter_no_fds, dirfd, &status), 0);
	ASSERT_EQ(0, status);
	ASSERT_GT(run_child(enter_stale, dirfd, &status), 0);
	ASSERT_EQ(0, status);
	ASSERT_EQ(0, run_unprivileged(unpriv_enter, &dirfd));
	fast = run_child(enter_then_fast_path, dirfd, &status);
	ASSERT_GT(fast, 0);
	ASSERT_EQ(0, status);

	ASSERT_EQ(0, ev_sync(&ev, &l));
	{
		const struct want want[] = {
			{ NSCTL_CMD_CONTAINER_ENTERED, name, gen, 0 },
			{ NSCTL_CMD_CONTAINER_ENTERED, name, gen, 0 },
		};

		expect_events(_metadata, &l, want, 2);
	}
	ct_events(&l, got, 4);
	ASSERT_TRUE(got[0]->has_pid);
	ASSERT_EQ(first, got[0]->pid);
	ASSERT_EQ(fast, got[1]->pid);
	/* NO_FDS counts in "enters" without an event; the fast path in neither. */
	ASSERT_EQ(1, got[0]->enters);
	ASSERT_EQ(3, got[1]->enters);
	ASSERT_EQ(2, got[1]->ns_nests);
	{
		char val[32];

		ASSERT_EQ(0, ct_stat_field(name, "enters", val, sizeof(val)));
		ASSERT_STREQ("3", val);
	}
	ASSERT_EQ(0, ev.gaps);
	close(dirfd);
	ASSERT_EQ(0, ct_remove(name));
	evlist_free(&l);
	nl_close(&ev);
}

/*
 * Become the init of the container's PID namespace: enter it, fork; the
 * init writes 'r' to @ready and exits when @go has a byte or is closed.
 * Returns the forking child, which exits when the init has.
 */
static pid_t start_init(int dirfd, int ready[2], int go[2])
{
	pid_t pid = fork();

	if (pid) {
		close(ready[1]);
		close(go[0]);
		return pid;
	}
	{
		struct nsctl_enter e = { .types = NSCTL_NS_BIT(NSCTL_NS_PID) };
		int status;
		pid_t init;
		char c;

		close(ready[0]);
		close(go[1]);
		if (ioctl(dirfd, NSCTL_IOC_ENTER, &e) || setns(e.fds[NSCTL_NS_PID], CLONE_NEWPID))
			_exit(1);
		init = fork();
		if (init == 0) {
			c = getpid() == 1 ? 'r' : 'x';
			if (write(ready[1], &c, 1) != 1)
				_exit(1);
			while (read(go[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		if (init < 0 || waitpid(init, &status, 0) != init)
			_exit(2);
		_exit(0);
	}
}

/* A process that unshares its PID namespace and forks an init there. */
static pid_t start_foreign_init(int ready[2], int go[2])
{
	pid_t pid = fork();

	if (pid) {
		close(ready[1]);
		close(go[0]);
		return pid;
	}
	{
		int status;
		pid_t init;
		char c = 'r';

		close(ready[0]);
		close(go[1]);
		if (unshare(CLONE_NEWPID))
			_exit(1);
		init = fork();
		if (init == 0) {
			if (write(ready[1], &c, 1) != 1)
				_exit(1);
			while (read(go[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		if (init < 0 || waitpid(init, &status, 0) != init)
			_exit(2);
		_exit(0);
	}
}

/* The events about @name in @l, in order, as commands. */
static int events_of(const struct evlist *l, const char *name, __u8 *cmds, int max)
{
	int i, n = 0;

	for (i = 0; i < l->n; i++)
		if (is_ct_event(l->m[i].cmd) && !strcmp(l->m[i].name, name) && n < max)
			cmds[n++] = l->m[i].cmd;
	return n;
}

/*
 * A container's PID namespace loses its init: EMPTIED, once, and only
 * then, when its on_empty policy is notify or delete (then DELETED
 * follows); nothing when it is ignore.  nsctl watches an init from the
 * first ENTER or stat read that sees it running, or from the attach of a
 * namespace whose init already runs.
 */
TEST(emptied_when_the_pid_init_exits)
{
	int release, go[2], ready[2], dirfd, status, fds[NSCTL_NS_COUNT], i;
	char name[64], ign[64], notify[64], del[64], val[32], path[128], c;
	struct nl_msg m, reply;
	struct evlist l = { 0 };
	struct nl nl, ev;
	pid_t holder, starter;
	__u8 cmds[8];

	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, ev_open(&ev));
	snprintf(name, sizeof(name), "nl-em%d", getpid());
	holder = ns_holder(CLONE_NEWPID, &release);
	ASSERT_GT(holder, 0);
	ASSERT_EQ(0, nl_new(&nl, name, NULL, holder, NULL, -1, &reply, NULL));
	ns_holder_end(holder, release);
	dirfd = ct_open(name);
	ASSERT_GE(dirfd, 0);
	ASSERT_EQ(0, ct_stat_field(name, "pid_init", val, sizeof(val)));
	ASSERT_STREQ("none", val);
	ASSERT_EQ(0, ct_write_str(name, "on_empty", "notify"));
	ASSERT_EQ(0, ev_sync(&ev, NULL));

	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	starter = start_init(dirfd, ready, go);
	ASSERT_GT(starter, 0);
	ASSERT_EQ(1, read(ready[0], &c, 1)) {
		TH_LOG("no init started in the container's PID namespace");
	}
	ASSERT_EQ('r', c);
	/* The stat read sees the init running: nsctl starts watching it. */
	ASSERT_EQ(0, ct_stat_field(name, "pid_init", val, sizeof(val)));
	ASSERT_STREQ("running", val);
	ASSERT_EQ(0, ev_sync(&ev, &l));
	{
		const struct want want[] = {
			{ NSCTL_CMD_CONTAINER_ENTERED, name, reply.gen, 0 },
		};

		expect_events(_metadata, &l, want, 1);
	}
	evlist_free(&l);

	/* The init exits. */
	close(go[1]);
	ASSERT_EQ(starter, waitpid(starter, &status, 0));
	ASSERT_EQ(0, status);
	close(ready[0]);
	ASSERT_EQ(0, ev_wait(&ev, NSCTL_CMD_CONTAINER_EMPTIED, name, NULL, &m, &l)) {
		TH_LOG("no EMPTIED event");
	}
	expect_events(_metadata, &l, NULL, 0);
	ASSERT_EQ(reply.id, m.id);
	ASSERT_TRUE(m.has_pid_init);
	ASSERT_EQ(NSCTL_PID_INIT_DEAD, m.pid_init);
	ASSERT_EQ(0, ct_stat_field(name, "pid_init", val, sizeof(val)));
	ASSERT_STREQ("dead", val);
	/* Once: reading stat or entering again announces nothing more. */
	{
		struct nsctl_enter e = { .types = NSCTL_NS_BIT(NSCTL_NS_PID) };

		ASSERT_EQ(-1, ioctl(dirfd, NSCTL_IOC_ENTER, &e));
		ASSERT_EQ(EOWNERDEAD, errno);
	}
	evlist_free(&l);
	ASSERT_EQ(0, ev_sync(&ev, &l));
	expect_events(_metadata, &l, NULL, 0);
	evlist_free(&l);
	close(dirfd);

	/*
	 * A PID namespace whose init already runs when it is attached, to
	 * three containers: the watch starts at the attach, with no enter or
	 * stat read.  One ignores the init's exit, one is told, one deletes
	 * itself.
	 */
	snprintf(ign, sizeof(ign), "nl-emi%d", getpid());
	snprintf(notify, sizeof(notify), "nl-emn%d", getpid());
	snprintf(del, sizeof(del), "nl-emd%d", getpid());
	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	starter = start_foreign_init(ready, go);
	ASSERT_GT(starter, 0);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		fds[i] = -1;
	snprintf(path, sizeof(path), "/proc/%d/ns/pid_for_children", starter);
	fds[NSCTL_NS_PID] = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fds[NSCTL_NS_PID], 0);
	ASSERT_EQ(0, nl_new(&nl, ign, fds, 0, NULL, -1, &reply, NULL));
	ASSERT_TRUE(reply.has_pid_init);
	ASSERT_EQ(NSCTL_PID_INIT_RUNNING, reply.pid_init);
	ASSERT_EQ(0, nl_new(&nl, notify, fds, 0, NULL, -1, &reply, NULL));
	ASSERT_EQ(0, nl_new(&nl, del, fds, 0, NULL, -1, &reply, NULL));
	close_fds(fds);
	ASSERT_EQ(0, ct_write_str(notify, "on_empty", "notify"));
	ASSERT_EQ(0, ct_write_str(del, "on_empty", "delete"));
	ASSERT_EQ(0, ev_sync(&ev, NULL));
	close(go[1]);
	ASSERT_EQ(starter, waitpid(starter, &status, 0));
	close(ready[0]);
	/*
	 * The three watches fire together, but the work that reports them
	 * may take them in more than one pass (it can start on the other
	 * CPU while the exiting init still wakes the rest): wait for the
	 * deleting one's DELETED and the notified one's EMPTIED, in either
	 * order.  Nothing may have come for the ignoring one meanwhile.
	 */
	ASSERT_EQ(0, ev_wait(&ev, NSCTL_CMD_CONTAINER_DELETED, del, NULL, &m, &l)) {
		TH_LOG("no DELETED for the on_empty=delete container");
	}
	if (!events_of(&l, notify, cmds, 8)) {
		ASSERT_EQ(0, ev_wait(&ev, NSCTL_CMD_CONTAINER_EMPTIED, notify, NULL, &m, &l)) {
			TH_LOG("no EMPTIED for the on_empty=notify container");
		}
		evlist_add(&l, &m);
	}
	ASSERT_EQ(0, ev_sync(&ev, &l));
	ASSERT_EQ(0, events_of(&l, ign, cmds, 8)) {
		log_events(_metadata, &l);
	}
	ASSERT_EQ(1, events_of(&l, notify, cmds, 8)) {
		log_events(_metadata, &l);
	}
	ASSERT_EQ(NSCTL_CMD_CONTAINER_EMPTIED, cmds[0]);
	ASSERT_EQ(1, events_of(&l, del, cmds, 8)) {
		log_events(_metadata, &l);
	}
	ASSERT_EQ(NSCTL_CMD_CONTAINER_EMPTIED, cmds[0]);
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", del);
	ASSERT_EQ(-1, access(path, F_OK));
	ASSERT_EQ(0, ev.gaps);
	ASSERT_EQ(0, ct_remove(name));
	ASSERT_EQ(0, ct_remove(ign));
	ASSERT_EQ(0, ct_remove(notify));
	evlist_free(&l);
	nl_close(&ev);
	nl_close(&nl);
}

/* Two listeners, many events unread: both get all of them, gap-free. */
TEST(sequence_numbers_are_gap_free)
{
	int n = scaled(400), i, k, fd;
	struct nl ev[2];
	struct nl_msg m;
	__u64 first[2] = { 0 }, last[2] = { 0 };
	int created[2] = { 0 }, deleted[2] = { 0 };
	char name[64];

	ASSERT_EQ(0, ev_open(&ev[0]));
	ASSERT_EQ(0, ev_open(&ev[1]));
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "nl-sq%d-%d", getpid(), i);
		fd = ct_make(name);
		ASSERT_GE(fd, 0);
		close(fd);
		ASSERT_EQ(0, ct_remove(name));
	}
	for (k = 0; k < 2; k++) {
		for (;;) {
			ASSERT_EQ(1, nl_event(&ev[k], &m, EV_WAIT_MS));
			/* Others' events (a netns torn down late) may come too. */
			if (!is_ct_event(m.cmd) || strncmp(m.name, "nl-sq", 5))
				continue;
			if (!first[k])
				first[k] = m.seq;
			last[k] = m.seq;
			created[k] += m.cmd == NSCTL_CMD_CONTAINER_CREATED;
			deleted[k] += m.cmd == NSCTL_CMD_CONTAINER_DELETED;
			snprintf(name, sizeof(name), "nl-sq%d-%d", getpid(), n - 1);
			if (m.cmd == NSCTL_CMD_CONTAINER_DELETED && !strcmp(m.name, name))
				break;
		}
		ASSERT_EQ(0, ev[k].gaps);
		ASSERT_EQ(0, ev[k].overruns);
		ASSERT_EQ(n, created[k]);
		ASSERT_EQ(n, deleted[k]);
	}
	ASSERT_EQ(first[0], first[1]);
	ASSERT_EQ(last[0], last[1]);
	ASSERT_GE(last[0] - first[0] + 1, (__u64)2 * n);
	nl_close(&ev[0]);
	nl_close(&ev[1]);
}

/*
 * A listener that does not read while events pile up overruns its small
 * socket buffer: it learns so (ENOBUFS or a gap), and a dump then gives
 * the filesystem's state, after which events follow on without gaps.
 */
TEST(overrun_detected_and_recovered_by_dump)
{
	int n = scaled(200), i, fd, ret, seen = 0, small = 4096;
	struct nl ev, nl;
	struct nl_msg m;
	char name[64];
	__u64 gaps;

	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, nl_open(&ev));
	ASSERT_EQ(0, setsockopt(ev.fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)));
	ASSERT_EQ(0, nl_subscribe(&ev, 0));
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "nl-ov%d-%d", getpid(), i);
		fd = ct_make(name);
		ASSERT_GE(fd, 0);
		close(fd);
	}
	/* Read what is there. */
	while ((ret = nl_event(&ev, &m, 0)) != 0) {
		if (ret == -ENOBUFS)
			continue;
		ASSERT_EQ(1, ret);
		seen += m.cmd == NSCTL_CMD_CONTAINER_CREATED && !strncmp(m.name, "nl-ov", 5);
	}
	TH_LOG("%d of %d events read, %u overruns, %u gaps", seen, n, ev.overruns, ev.gaps);
	ASSERT_LT(seen, n);
	ASSERT_TRUE(ev.overruns > 0 || ev.gaps > 0);
	/* Recover: a dump, which is what the filesystem says. */
	expect_dump_is_fs(_metadata, &nl);
	/* From here on, every event again, in order. */
	gaps = ev.gaps;
	ev.last_seq = 0;
	snprintf(name, sizeof(name), "nl-ov%d-after", getpid());
	fd = ct_make(name);
	ASSERT_GE(fd, 0);
	close(fd);
	ASSERT_EQ(0, ct_remove(name));
	ASSERT_EQ(0, ev_wait(&ev, NSCTL_CMD_CONTAINER_CREATED, name, NULL, &m, NULL));
	ASSERT_EQ(0, ev_wait(&ev, NSCTL_CMD_CONTAINER_DELETED, name, NULL, &m, NULL));
	ASSERT_EQ(gaps, ev.gaps);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "nl-ov%d-%d", getpid(), i);
		ASSERT_EQ(0, ct_remove(name));
	}
	nl_close(&ev);
	nl_close(&nl);
}

/* The listener's side of the creation race; returns failures. */
struct race_stats {
	int created, entered, failed;
};

static int listen_and_enter(struct nl *ev, int want, const char *prefix,
			    struct race_stats *st)
{
	int home_net = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int home_uts = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	struct nl_msg m;
	char path[320];

	while (st->created < want) {
		struct nsctl_enter e = { .flags = NSCTL_ENTER_CHECK_GEN };
		__u64 types = 0;
		int dirfd, i, ok = 1;

		if (nl_event(ev, &m, EV_WAIT_MS) != 1)
			return -1;
		if (m.cmd != NSCTL_CMD_CONTAINER_CREATED ||
		    strncmp(m.name, prefix, strlen(prefix)))
			continue;
		st->created++;
		snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", m.name);
		dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dirfd < 0) {
			fprintf(stderr, "# %s: open: %m\n", m.name);
			st->failed++;
			continue;
		}
		e.generation = m.gen;
		for (i = 0; i < NSCTL_NS_COUNT; i++) {
			if (!m.ns[i].present)
				continue;
			types |= NSCTL_NS_BIT(i);
			memcpy(e.expect_uuid[i], m.ns[i].uuid, 16);
		}
		if (ioctl(dirfd, NSCTL_IOC_ENTER, &e)) {
			fprintf(stderr, "# %s: enter: %m\n", m.name);
			st->failed++;
			close(dirfd);
			continue;
		}
		close(dirfd);
		if (e.entered != types) {
			fprintf(stderr, "# %s: entered %#llx, event holds %#llx\n",
				m.name, (unsigned long long)e.entered,
				(unsigned long long)types);
			ok = 0;
		}
		for (i = 0; i < NSCTL_NS_COUNT; i++) {
			char self[64];

			if (e.fds[i] < 0)
				continue;
			if (setns(e.fds[i], 0)) {
				fprintf(stderr, "# %s: setns %d: %m\n", m.name, i);
				ok = 0;
			}
			snprintf(self, sizeof(self), "/proc/thread-self/ns/%s",
				 ns_proc_file(i));
			if (m.ns[i].inum != path_ino(self)) {
				fprintf(stderr, "# %s: type %d is not the event's\n", m.name, i);
				ok = 0;
			}
			close(e.fds[i]);
		}
		if (setns(home_net, CLONE_NEWNET) || setns(home_uts, CLONE_NEWUTS))
			return -1;
		if (ok)
			st->entered++;
		else
			st->failed++;
	}
	close(home_net);
	close(home_uts);
	return ev->gaps || ev->overruns ? -1 : 0;
}

/*
 * Create containers as fast as possible, from two sides at once: a
 * process that makes fresh namespaces with unshare and hands them to
 * NEW_CONTAINER, and one that makes empty ones with mkdir.  A listener
 * opens and enters each the moment its CREATED event arrives: that never
 * fails, and it finds the namespaces the event announced.
 */
TEST(listener_enters_every_created_container)
{
	int n = scaled(200), p[2], i, status, ready[2];
	pid_t listener, makers[2];
	struct race_stats st;
	char prefix[32], name[64];
	char c;

	snprintf(prefix, sizeof(prefix), "nl-r%d-", getpid());
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	listener = fork();
	ASSERT_GE(listener, 0);
	if (listener == 0) {
		struct race_stats s = { 0 };
		struct nl ev;
		int ret;

		if (ev_open(&ev))
			_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		ret = listen_and_enter(&ev, 2 * n, prefix, &s);
		if (write(p[1], &s, sizeof(s)) != sizeof(s))
			_exit(1);
		_exit(ret ? 2 : 0);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));

	makers[0] = fork();
	ASSERT_GE(makers[0], 0);
	if (makers[0] == 0) {
		struct nl nl;

		if (nl_open(&nl))
			_exit(1);
		for (i = 0; i < n; i++) {
			int fds[NSCTL_NS_COUNT] = { -1, -1, -1, -1, -1, -1, -1, -1 };

			/* This process moves into each set of fresh namespaces. */
			if (unshare(CLONE_NEWNET | CLONE_NEWUTS))
				_exit(2);
			fds[NSCTL_NS_NET] = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
			fds[NSCTL_NS_UTS] = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
			snprintf(name, sizeof(name), "%sn%d", prefix, i);
			if (nl_new(&nl, name, fds, 0, NULL, -1, NULL, NULL))
				_exit(3);
			close(fds[NSCTL_NS_NET]);
			close(fds[NSCTL_NS_UTS]);
		}
		_exit(0);
	}
	makers[1] = fork();
	ASSERT_GE(makers[1], 0);
	if (makers[1] == 0) {
		for (i = 0; i < n; i++) {
			int fd;

			snprintf(name, sizeof(name), "%sm%d", prefix, i);
			fd = ct_make(name);
			if (fd < 0)
				_exit(2);
			close(fd);
		}
		_exit(0);
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(makers[i], waitpid(makers[i], &status, 0));
		ASSERT_EQ(0, status) {
			TH_LOG("creator %d failed: %d", i, WEXITSTATUS(status));
		}
	}
	ASSERT_EQ(listener, waitpid(listener, &status, 0));
	ASSERT_EQ(sizeof(st), read(p[0], &st, sizeof(st)));
	TH_LOG("%d created, %d entered, %d failed", st.created, st.entered, st.failed);
	ASSERT_EQ(0, status);
	ASSERT_EQ(2 * n, st.created);
	ASSERT_EQ(0, st.failed);
	ASSERT_EQ(2 * n, st.entered);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%sn%d", prefix, i);
		ASSERT_EQ(0, ct_remove(name));
		snprintf(name, sizeof(name), "%sm%d", prefix, i);
		ASSERT_EQ(0, ct_remove(name));
	}
}

/*
 * NETNS_CREATED names a namespace that NSCTL_IOC_NS_OPEN opens the moment
 * the event arrives; every one created is announced, and so is its end.
 */
TEST(netns_created_opens_by_uuid)
{
	int n = scaled(60), i, opened = 0, status, go[2], destroyed = 0;
	__u8 (*uuids)[16];
	struct nl_msg m;
	struct nl ev;
	pid_t maker;
	char c;

	uuids = calloc(n, 16);
	ASSERT_NE(NULL, uuids);
	ASSERT_EQ(0, ev_open(&ev));
	ASSERT_EQ(0, ev_sync(&ev, NULL));
	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	maker = fork();
	ASSERT_GE(maker, 0);
	if (maker == 0) {
		/* Each namespace stays alive through an fd until told. */
		for (i = 0; i < n; i++) {
			if (unshare(CLONE_NEWNET))
				_exit(1);
			if (open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC) < 0)
				_exit(2);
		}
		close(go[1]);
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(go[0]);
	while (opened < n) {
		struct stat st;
		int fd;

		ASSERT_EQ(1, nl_event(&ev, &m, EV_WAIT_MS));
		if (m.cmd != NSCTL_CMD_NETNS_CREATED)
			continue;
		ASSERT_TRUE(m.has_ns_uuid && m.has_ns_inum && m.has_ns_type);
		ASSERT_EQ(NSCTL_NS_NET, m.ns_type);
		fd = ns_open_uuid(m.ns_uuid);
		ASSERT_GE(fd, 0) {
			TH_LOG("%m - NS_OPEN of namespace %d at its event", opened);
		}
		ASSERT_EQ(0, fstat(fd, &st));
		ASSERT_EQ(m.ns_inum, st.st_ino);
		close(fd);
		memcpy(uuids[opened++], m.ns_uuid, 16);
	}
	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(maker, waitpid(maker, &status, 0));
	ASSERT_EQ(0, status);
	/* Every one of them is destroyed in the end, and none twice. */
	while (destroyed < n) {
		ASSERT_EQ(1, nl_event(&ev, &m, EV_WAIT_MS)) {
			TH_LOG("%d of %d destroyed", destroyed, n);
		}
		if (m.cmd != NSCTL_CMD_NETNS_DESTROYED)
			continue;
		for (i = 0; i < n; i++)
			if (!memcmp(uuids[i], m.ns_uuid, 16)) {
				memset(uuids[i], 0, 16);
				destroyed++;
			}
	}
	ASSERT_EQ(0, ev.gaps);
	free(uuids);
	close(go[1]);
	nl_close(&ev);
}

/*
 * A network namespace that lives a moment (its UUID handed out, then its
 * last fd closed at once) is announced created and destroyed all the same.
 */
TEST(netns_short_lived_announced_both_ways)
{
	struct evlist l = { 0 };
	int fds[NSCTL_NS_COUNT], i, created = 0;
	struct nl ev;
	__u8 uuid[16];

	ASSERT_EQ(0, ev_open(&ev));
	fresh_ns(_metadata, CLONE_NEWNET, fds);
	ASSERT_EQ(0, ns_uuid_of_fd(fds[NSCTL_NS_NET], uuid));
	close_fds(fds);
	ASSERT_EQ(0, ev_wait(&ev, NSCTL_CMD_NETNS_DESTROYED, NULL, uuid, NULL, &l)) {
		for (i = 0; i < l.n; i++)
			created += l.m[i].cmd == NSCTL_CMD_NETNS_CREATED &&
				   !memcmp(l.m[i].ns_uuid, uuid, 16);
		TH_LOG("no NETNS_DESTROYED (%d NETNS_CREATED) for a namespace whose UUID NS_INFO gave",
		       created);
	}
	for (i = 0; i < l.n; i++)
		created += l.m[i].cmd == NSCTL_CMD_NETNS_CREATED &&
			   !memcmp(l.m[i].ns_uuid, uuid, 16);
	ASSERT_EQ(1, created);
	ASSERT_EQ(0, ev.gaps);
	evlist_free(&l);
	nl_close(&ev);
}

static bool ip_ok(const char *cmd)
{
	int ret = system(cmd);

	return ret != -1 && WIFEXITED(ret) && WEXITSTATUS(ret) == 0;
}

/*
 * NETNS_DESTROYED means the kernel tore the namespace down: not while an
 * fd still holds it, and when it comes, the namespace's devices are gone
 * (a veth pair with one end inside is gone from the initial namespace
 * too).
 */
TEST(netns_destroyed_after_teardown)
{
	char cmd[256], a[IFNAMSIZ], b[IFNAMSIZ];
	struct evlist l = { 0 };
	struct nl_msg m, cr;
	int release, fd, i;
	struct nl ev;
	__u8 uuid[16];
	pid_t holder;

	snprintf(a, sizeof(a), "nla%d", getpid() % 100000);
	snprintf(b, sizeof(b), "nlb%d", getpid() % 100000);
	ASSERT_EQ(0, ev_open(&ev));
	ASSERT_EQ(0, ev_sync(&ev, NULL));
	holder = ns_holder(CLONE_NEWNET, &release);
	ASSERT_GT(holder, 0);
	snprintf(cmd, sizeof(cmd), "/proc/%d/ns/net", holder);
	fd = open(cmd, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, ns_uuid_of_fd(fd, uuid));
	snprintf(cmd, sizeof(cmd), "ip link add %s type veth peer name %s netns %d",
		 a, b, holder);
	ASSERT_TRUE(ip_ok(cmd)) {
		TH_LOG("%s failed", cmd);
	}
	ns_holder_end(holder, release);
	/* Held by the fd alone, no process inside: not destroyed. */
	ASSERT_NE(0, if_nametoindex(a));
	ASSERT_EQ(0, ev_sync(&ev, &l));
	cr.cmd = 0;
	for (i = 0; i < l.n; i++) {
		ASSERT_FALSE(l.m[i].cmd == NSCTL_CMD_NETNS_DESTROYED &&
			     !memcmp(l.m[i].ns_uuid, uuid, 16));
		if (l.m[i].cmd == NSCTL_CMD_NETNS_CREATED &&
		    !memcmp(l.m[i].ns_uuid, uuid, 16))
			cr = l.m[i];
	}
	ASSERT_EQ(NSCTL_CMD_NETNS_CREATED, cr.cmd);
	ASSERT_EQ(fd_ino(fd), cr.ns_inum);

	close(fd);
	ASSERT_EQ(0, ev_wait(&ev, NSCTL_CMD_NETNS_DESTROYED, NULL, uuid, &m, NULL)) {
		TH_LOG("no NETNS_DESTROYED event");
	}
	/* At that moment the peer is gone already. */
	ASSERT_EQ(0, if_nametoindex(a)) {
		TH_LOG("%s still exists when the namespace is reported destroyed", a);
	}
	ASSERT_EQ(NSCTL_NS_NET, m.ns_type);
	ASSERT_EQ(cr.ns_inum, m.ns_inum);
	ASSERT_EQ(-1, ns_open_uuid(uuid));
	ASSERT_EQ(ESTALE, errno);
	ASSERT_EQ(0, ev.gaps);
	evlist_free(&l);
	nl_close(&ev);
}

TEST(get_container_by_name_id_uuid)
{
	struct nl_msg byname, byid, byuuid;
	struct nl_ack ack;
	struct nl_req r;
	char name[64];
	struct nl nl;
	int fd;

	ASSERT_EQ(0, nl_open(&nl));
	snprintf(name, sizeof(name), "nl-get%d", getpid());
	fd = ct_make(name);
	ASSERT_GE(fd, 0);
	close(fd);
	ASSERT_EQ(0, nl_get_name(&nl, name, &byname, &ack));
	ASSERT_STREQ(name, byname.name);
	ASSERT_EQ(ct_read_u64(name, "id"), byname.id);
	ASSERT_EQ(1, byname.gen);
	ASSERT_TRUE(byname.has_created && byname.has_enters);

	memset(&byid, 0, sizeof(byid));
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_CONTAINER, NLM_F_ACK);
	nl_put_u64(&r, NSCTL_A_CT_ID, byname.id);
	ASSERT_EQ(0, nl_transact(&nl, &r, reply_cb, &byid, &ack));
	ASSERT_STREQ(name, byid.name);

	memset(&byuuid, 0, sizeof(byuuid));
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_CONTAINER, NLM_F_ACK);
	nl_put(&r, NSCTL_A_CT_UUID, byname.uuid, 16);
	ASSERT_EQ(0, nl_transact(&nl, &r, reply_cb, &byuuid, &ack));
	ASSERT_STREQ(name, byuuid.name);

	/* Two keys, or none: EINVAL. */
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, name);
	nl_put_u64(&r, NSCTL_A_CT_ID, byname.id);
	ASSERT_EQ(-EINVAL, nl_transact(&nl, &r, NULL, NULL, &ack));
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_CONTAINER, NLM_F_ACK);
	ASSERT_EQ(-EINVAL, nl_transact(&nl, &r, NULL, NULL, &ack));

	ASSERT_EQ(0, ct_remove(name));
	ASSERT_EQ(-ENOENT, nl_get_name(&nl, name, &byname, &ack));
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_CONTAINER, NLM_F_ACK);
	nl_put_u64(&r, NSCTL_A_CT_ID, byid.id);
	ASSERT_EQ(-ENOENT, nl_transact(&nl, &r, NULL, NULL, &ack));
	nl_close(&nl);
}

TEST(dump_matches_filesystem_with_one)
{
	char name[64];
	struct nl nl;
	int fd;

	ASSERT_EQ(0, nl_open(&nl));
	snprintf(name, sizeof(name), "nl-one%d", getpid());
	fd = ct_make(name);
	ASSERT_GE(fd, 0);
	close(fd);
	expect_dump_is_fs(_metadata, &nl);
	ASSERT_EQ(0, ct_remove(name));
	expect_dump_is_fs(_metadata, &nl);
	nl_close(&nl);
}

/*
 * A dump that containers change under says so: the part after the change
 * carries NLM_F_DUMP_INTR.  Enough containers for several parts of a
 * socket that receives 8 KiB at a time; once the
 * first part has been read, a container made then interrupts nothing
 * (it comes after every id sent), deleting one already sent does.
 */
TEST(dump_interrupted_by_a_change_says_so)
{
	int n = 400, i, fd, ret, first = 0, total = 0;
	bool intr = false, done = false;
	struct nlmsghdr *h = NULL;
	char name[64];
	struct nl_req r;
	struct nl nl;

	ASSERT_EQ(0, nl_open_small(&nl));
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "nl-intr%d-%d", getpid(), i);
		fd = ct_make(name);
		ASSERT_GE(fd, 0);
		close(fd);
	}
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_CONTAINER, NLM_F_DUMP);
	ASSERT_EQ(0, nl_send(&nl, &r));
	/* The first datagram, whole. */
	do {
		ASSERT_EQ(1, nl_next(&nl, &h, EV_WAIT_MS));
		ASSERT_NE(NLMSG_DONE, h->nlmsg_type);
		ASSERT_EQ(0, h->nlmsg_flags & NLM_F_DUMP_INTR);
		first++;
	} while (nl.off < nl.len);
	snprintf(name, sizeof(name), "nl-intrx%d", getpid());
	fd = ct_make(name);
	ASSERT_GE(fd, 0);
	close(fd);
	/* The next part only: what follows then is read as it is. */
	total = first;
	do {
		ASSERT_EQ(1, nl_next(&nl, &h, EV_WAIT_MS));
		ASSERT_NE(NLMSG_DONE, h->nlmsg_type);
		ASSERT_EQ(0, h->nlmsg_flags & NLM_F_DUMP_INTR);
		total++;
	} while (nl.off < nl.len);
	ASSERT_EQ(0, ct_remove(name));
	snprintf(name, sizeof(name), "nl-intr%d-0", getpid());
	ASSERT_EQ(0, ct_remove(name));
	while (!done) {
		ret = nl_next(&nl, &h, EV_WAIT_MS);
		ASSERT_EQ(1, ret);
		if (h->nlmsg_flags & NLM_F_DUMP_INTR)
			intr = true;
		if (h->nlmsg_type == NLMSG_DONE)
			done = true;
		else
			total++;
	}
	TH_LOG("%d containers in the first part, %d in all", first, total);
	/* Several parts, or the test proves nothing. */
	ASSERT_LT(first, n / 3);
	ASSERT_TRUE(intr);
	for (i = 1; i < n; i++) {
		snprintf(name, sizeof(name), "nl-intr%d-%d", getpid(), i);
		ASSERT_EQ(0, ct_remove(name));
	}
	nl_close(&nl);
}

/*
 * A dump of many parts lists each container once, as the filesystem does.
 * What matters is that the dump is resumed many times, not the count:
 * containers are added until one dump takes at least DUMP_PARTS datagrams
 * of a socket that receives 8 KiB at a time.
 * (10,000 and more are measured by list_bench.)
 */
#define DUMP_PARTS	8

TEST(dump_of_many_parts_matches_filesystem)
{
	int i = 0, fd, made = 0, batch = 50;
	unsigned long parts = 0;
	struct dump d = { 0 };
	char name[64];
	struct nl nl;

	ASSERT_EQ(0, nl_open_small(&nl));
	while (made < 20000) {
		for (i = 0; i < batch; i++, made++) {
			snprintf(name, sizeof(name), "nl-bulk%d-%d", getpid(), made);
			fd = ct_make(name);
			ASSERT_GE(fd, 0) {
				TH_LOG("%m - mkdir %d", made);
			}
			close(fd);
		}
		parts = nl.datagrams;
		ASSERT_EQ(0, nl_dump(&nl, NSCTL_CMD_GET_CONTAINER, &d));
		parts = nl.datagrams - parts;
		evlist_free(&d.l);
		if (parts >= DUMP_PARTS)
			break;
	}
	TH_LOG("%d containers, dumped in %lu datagrams", made, parts);
	ASSERT_GE(parts, DUMP_PARTS);
	expect_dump_is_fs(_metadata, &nl);
	for (i = 0; i < made; i++) {
		snprintf(name, sizeof(name), "nl-bulk%d-%d", getpid(), i);
		ASSERT_EQ(0, ct_remove(name));
	}
	nl_close(&nl);
}

static const char * const type_names[NSCTL_NS_COUNT] = {
	"mnt", "uts", "ipc", "net", "pid", "user", "cgroup", "time",
};

/* The top-level "namespaces" file, line by line. */
struct nsline {
	char uuid[40], type[16], owner[40], parent[40], cts[256];
	unsigned long inum;
};

static int read_ns_file(struct nsline **out, char **raw)
{
	size_t cap = 1 << 20, len = 0;
	struct nsline *v;
	char *buf, *line, *save = NULL;
	int fd, n = 0;
	ssize_t r;

	buf = malloc(cap);
	fd = open(NSCTL_TEST_ROOT "/namespaces", O_RDONLY | O_CLOEXEC);
	if (!buf || fd < 0)
		return -1;
	while ((r = read(fd, buf + len, cap - len - 1)) > 0)
		len += r;
	close(fd);
	buf[len] = '\0';
	*raw = strdup(buf);
	v = calloc(len / 40 + 1, sizeof(*v));
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%39s %15s %lu %39s %39s %255s", v[n].uuid, v[n].type,
			   &v[n].inum, v[n].owner, v[n].parent, v[n].cts) == 6)
			n++;
	}
	free(buf);
	*out = v;
	return n;
}

/*
 * The namespace dump is the "namespaces" file, taken when neither changed
 * around it (the collector and the kernel's netns cleanup run on their own).
 */
TEST(ns_dump_matches_namespaces_file)
{
	struct nsline *v = NULL, *w = NULL;
	char *raw1 = NULL, *raw2 = NULL, u[37], init_user[37];
	struct dump d = { 0 };
	int n = 0, i, j, tries, fd;
	struct nl nl;
	__u8 uuid[16];

	ASSERT_EQ(0, nl_open(&nl));
	fd = open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
	ASSERT_EQ(0, ns_uuid_of_fd(fd, uuid));
	close(fd);
	uuid_str(uuid, init_user);
	for (tries = 0; tries < 20; tries++) {
		free(v);
		free(w);
		free(raw1);
		free(raw2);
		n = read_ns_file(&v, &raw1);
		ASSERT_GT(n, 0);
		ASSERT_EQ(0, nl_dump(&nl, NSCTL_CMD_GET_NS, &d));
		ASSERT_EQ(n, read_ns_file(&w, &raw2));
		if (!strcmp(raw1, raw2))
			break;
		usleep(300000);
	}
	ASSERT_STREQ(raw1, raw2);
	ASSERT_EQ(n, d.l.n);
	for (i = 0; i < n; i++) {
		const struct nl_msg *m = NULL;
		char cts[256] = "";
		unsigned int k;

		for (j = 0; j < d.l.n; j++)
			if (!strcmp(v[i].uuid, uuid_str(d.l.m[j].ns_uuid, u)))
				m = &d.l.m[j];
		ASSERT_NE(NULL, m) {
			TH_LOG("%s is not in the dump", v[i].uuid);
		}
		ASSERT_LT(m->ns_type, NSCTL_NS_COUNT);
		ASSERT_STREQ(v[i].type, type_names[m->ns_type]);
		ASSERT_EQ(v[i].inum, m->ns_inum);
		if (m->has_owner) {
			ASSERT_STREQ(v[i].owner, uuid_str(m->owner, u));
		} else {
			ASSERT_TRUE(!strcmp(v[i].owner, "-") || !strcmp(v[i].owner, init_user)) {
				TH_LOG("%s: owner %s, none in the dump", v[i].uuid, v[i].owner);
			}
		}
		if (m->has_parent) {
			ASSERT_STREQ(v[i].parent, uuid_str(m->parent, u));
		} else {
			ASSERT_STREQ("-", v[i].parent);
		}
		for (k = 0; k < m->ncontainers; k++)
			snprintf(cts + strlen(cts), sizeof(cts) - strlen(cts), "%s%llu",
				 k ? "," : "", (unsigned long long)m->containers[k]);
		ASSERT_STREQ(v[i].cts, m->ncontainers ? cts : "-");
	}
	free(v);
	free(w);
	free(raw1);
	free(raw2);
	evlist_free(&d.l);
	nl_close(&nl);
}

TEST(get_ns_by_uuid)
{
	struct nl_msg reply;
	struct nl_ack ack;
	struct nl_req r;
	struct nl nl, ev;
	int fd, fds[NSCTL_NS_COUNT];
	__u8 uuid[16];

	ASSERT_EQ(0, nl_open(&nl));
	fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_EQ(0, ns_uuid_of_fd(fd, uuid));
	memset(&reply, 0, sizeof(reply));
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_NS, NLM_F_ACK);
	nl_put(&r, NSCTL_A_NS_UUID, uuid, 16);
	ASSERT_EQ(0, nl_transact(&nl, &r, reply_cb, &reply, &ack));
	ASSERT_EQ(0, memcmp(uuid, reply.ns_uuid, 16));
	ASSERT_EQ(NSCTL_NS_NET, reply.ns_type);
	ASSERT_EQ(fd_ino(fd), reply.ns_inum);
	close(fd);

	/*
	 * A namespace that is gone: ESTALE.  A network namespace, whose end
	 * its NETNS_DESTROYED event marks.
	 */
	ASSERT_EQ(0, ev_open(&ev));
	fresh_ns(_metadata, CLONE_NEWNET, fds);
	ASSERT_EQ(0, ns_uuid_of_fd(fds[NSCTL_NS_NET], uuid));
	ASSERT_EQ(0, ev_wait(&ev, NSCTL_CMD_NETNS_CREATED, NULL, uuid, NULL, NULL));
	close_fds(fds);
	ASSERT_EQ(0, ev_wait(&ev, NSCTL_CMD_NETNS_DESTROYED, NULL, uuid, NULL, NULL));
	nl_close(&ev);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_NS, NLM_F_ACK);
	nl_put(&r, NSCTL_A_NS_UUID, uuid, 16);
	ASSERT_EQ(-ESTALE, nl_transact(&nl, &r, NULL, NULL, &ack));
	/* One never issued: ENOENT. */
	memset(uuid, 0x5a, 16);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_NS, NLM_F_ACK);
	nl_put(&r, NSCTL_A_NS_UUID, uuid, 16);
	ASSERT_EQ(-ENOENT, nl_transact(&nl, &r, NULL, NULL, &ack));
	nl_close(&nl);
}

/* What a namespace dump says of one namespace, over all its messages. */
struct ns_parts {
	__u8 uuid[16];
	unsigned int msgs;
	unsigned long total;
	__u64 sum;
	bool intr;
};

static void ns_parts_cb(const struct nlmsghdr *h, void *arg)
{
	struct ns_parts *x = arg;
	struct nl_msg m;

	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		x->intr = true;
	if (h->nlmsg_type == NLMSG_DONE)
		return;
	nl_parse_msg(h, &m);
	if (memcmp(m.ns_uuid, x->uuid, 16))
		return;
	x->msgs++;
	x->total += m.containers_total;
	x->sum += m.containers_sum;
}

/*
 * A namespace held by many containers (--share net does that): the reply
 * to GET_NS lists every holder, and a dump sends the namespace in as many
 * messages as it takes, each holder once.  Containers are added until the
 * dump (on a socket that receives 8 KiB at a time) has to split the
 * namespace, so that the split is exercised.
 */
TEST(namespace_held_by_many_containers)
{
	int fds[NSCTL_NS_COUNT] = { -1, -1, -1, -1, -1, -1, -1, -1 };
	struct ns_parts parts = { 0 };
	unsigned long n = 0, i, k;
	struct nl_msg reply;
	struct nl nl, small;
	struct nl_ack ack;
	struct nl_req r;
	__u64 sum = 0;
	char name[64];
	int fd;

	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, nl_open_small(&small));
	/* A network namespace no process is in, so that deletes are not busy. */
	fresh_ns(_metadata, CLONE_NEWNET, fds);
	ASSERT_EQ(0, ns_uuid_of_fd(fds[NSCTL_NS_NET], parts.uuid));
	/* Holders before the test: none, but say so through the reply. */
	memset(&reply, 0, sizeof(reply));
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_NS, NLM_F_ACK);
	nl_put(&r, NSCTL_A_NS_UUID, parts.uuid, 16);
	ASSERT_EQ(0, nl_transact(&nl, &r, reply_cb, &reply, &ack));
	k = reply.containers_total;
	sum = reply.containers_sum;

	while (n < 10000) {
		for (i = 0; i < 100; i++, n++) {
			snprintf(name, sizeof(name), "nl-many%d-%lu", getpid(), n);
			fd = ct_make(name);
			ASSERT_GE(fd, 0);
			ASSERT_EQ(0, ct_set_ns(fd, NSCTL_NS_BIT(NSCTL_NS_NET), fds, 0, NULL));
			close(fd);
			sum += ct_read_u64(name, "id");
		}
		memset(&reply, 0, sizeof(reply));
		nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_NS, NLM_F_ACK);
		nl_put(&r, NSCTL_A_NS_UUID, parts.uuid, 16);
		ASSERT_EQ(0, nl_transact(&nl, &r, reply_cb, &reply, &ack)) {
			TH_LOG("GET_NS with %lu holders: %s", n + k, ack.msg);
		}
		ASSERT_EQ(n + k, reply.containers_total);
		ASSERT_EQ(sum, reply.containers_sum);

		for (i = 0; i < 10; i++) {
			memset(&parts.msgs, 0, sizeof(parts) - offsetof(struct ns_parts, msgs));
			nl_req_init(&r, &small, small.family, NSCTL_CMD_GET_NS, NLM_F_DUMP);
			ASSERT_EQ(0, nl_transact(&small, &r, ns_parts_cb, &parts, NULL));
			if (!parts.intr)
				break;
		}
		ASSERT_FALSE(parts.intr);
		ASSERT_EQ(n + k, parts.total);
		ASSERT_EQ(sum, parts.sum);
		if (parts.msgs > 1)
			break;
	}
	TH_LOG("%lu holders: the dump took %u messages", n + k, parts.msgs);
	ASSERT_GT(parts.msgs, 1);
	close_fds(fds);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "nl-many%d-%lu", getpid(), i);
		ASSERT_EQ(0, ct_remove(name));
	}
	nl_close(&small);
	nl_close(&nl);
}

/* Containers named @prefix in a container dump, and how many show a net nest. */
struct nest_count {
	const char *prefix;
	unsigned int seen, with_net;
};

static void nest_count_cb(const struct nlmsghdr *h, void *arg)
{
	struct nest_count *x = arg;
	struct nl_msg m;

	if (h->nlmsg_type == NLMSG_DONE)
		return;
	nl_parse_msg(h, &m);
	if (strncmp(m.name, x->prefix, strlen(x->prefix)))
		return;
	x->seen++;
	x->with_net += m.ns[NSCTL_NS_NET].present;
}

/* Read the rest of a dump on @nl into @x (in whatever process calls it). */
static int dump_rest(struct nl *nl, struct nest_count *x)
{
	struct nlmsghdr *h = NULL;
	int ret;

	for (;;) {
		ret = nl_next(nl, &h, EV_WAIT_MS);
		if (ret != 1)
			return -1;
		if (h->nlmsg_type == NLMSG_ERROR)
			return -1;
		if (h->nlmsg_type == NLMSG_DONE)
			return 0;
		nest_count_cb(h, x);
	}
}

/*
 * A dump is decided for whoever sent the request, as they were then: its
 * later parts, received by a process that has dropped to nobody, still
 * show root's view (every container, with its network namespace), and a
 * dump nobody asked for shows nobody's view to root who receives it (no
 * container: nobody is in none of them).
 */
TEST(dump_decided_for_its_requester)
{
	int fds[NSCTL_NS_COUNT], i, fd, n = 200, status, p[2];
	struct nest_count x = { 0 };
	struct nlmsghdr *h = NULL;
	char name[64], prefix[32];
	struct nl_req r;
	struct nl nl;
	pid_t pid;

	snprintf(prefix, sizeof(prefix), "nl-view%d-", getpid());
	x.prefix = prefix;
	/* A network namespace nobody is in, held by every container. */
	fresh_ns(_metadata, CLONE_NEWNET, fds);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s%d", prefix, i);
		fd = ct_make(name);
		ASSERT_GE(fd, 0);
		ASSERT_EQ(0, ct_set_ns(fd, NSCTL_NS_BIT(NSCTL_NS_NET), fds, 0, NULL));
		close(fd);
	}
	close_fds(fds);

	/* Root asks; the first part is read as root, the rest as nobody. */
	ASSERT_EQ(0, nl_open_small(&nl));
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_CONTAINER, NLM_F_DUMP);
	ASSERT_EQ(0, nl_send(&nl, &r));
	do {
		ASSERT_EQ(1, nl_next(&nl, &h, EV_WAIT_MS));
		ASSERT_NE(NLMSG_DONE, h->nlmsg_type);
		nest_count_cb(h, &x);
	} while (nl.off < nl.len);
	ASSERT_LT(x.seen, n);
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (drop_to_nobody(0) || dump_rest(&nl, &x))
			_exit(1);
		_exit(write(p[1], &x, sizeof(x)) == sizeof(x) ? 0 : 2);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	ASSERT_EQ(sizeof(x), read(p[0], &x, sizeof(x)));
	x.prefix = prefix;
	TH_LOG("root's dump: %u containers, %u with their network namespace", x.seen, x.with_net);
	ASSERT_EQ(n, x.seen);
	ASSERT_EQ(n, x.with_net);
	nl_close(&nl);

	/* Nobody asks; root reads it all: nobody's view. */
	memset(&x, 0, sizeof(x));
	x.prefix = prefix;
	ASSERT_EQ(0, nl_open_small(&nl));
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_CONTAINER, NLM_F_DUMP);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0)
		_exit(drop_to_nobody(0) || nl_send(&nl, &r) ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	ASSERT_EQ(0, dump_rest(&nl, &x));
	TH_LOG("nobody's dump: %u containers, %u with their network namespace", x.seen, x.with_net);
	/* Nobody is in none of them, so it sees none. */
	ASSERT_EQ(0, x.seen);
	nl_close(&nl);
	close(p[0]);
	close(p[1]);

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s%d", prefix, i);
		ASSERT_EQ(0, ct_remove(name));
	}
}

/* State to compare before and after refused requests. */
static char *snapshot(void)
{
	struct fsct *fs = NULL;
	char *s, *p;
	int n, i;

	n = fs_list(&fs);
	s = malloc(n * 160 + 1);
	p = s;
	*p = '\0';
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s %llu %llu %s\n", fs[i].name,
			     (unsigned long long)fs[i].id,
			     (unsigned long long)fs[i].gen, fs[i].uuid);
	free(fs);
	return s;
}

/*
 * Expect @err with, when @at >= 0, an extended ack naming the attribute at
 * offset @at.  EXPECT, not ASSERT: every case is tried and reported.
 */
#define EXPECT_REFUSED(sock, req, err, at) do {					\
	struct nl_ack __ack;							\
	int __ret = nl_transact(sock, req, NULL, NULL, &__ack);		\
	EXPECT_EQ(-(err), __ret) {						\
		TH_LOG("line %d: %s (%s)", __LINE__, strerror(-__ret),	\
		       __ack.msg);						\
	}									\
	if ((long)(at) >= 0 && __ret) {						\
		EXPECT_NE(0, __ack.msg[0]) {					\
			TH_LOG("line %d: no extended ack message", __LINE__);	\
		}								\
		EXPECT_TRUE(__ack.has_offs && __ack.offs == (__u32)(at)) {	\
			TH_LOG("line %d: extended ack offset %u, want %u",	\
			       __LINE__, __ack.offs, (__u32)(at));		\
		}								\
	}									\
} while (0)

/*
 * Malformed requests: each refused with its errno and, for what the
 * policy catches, an extended ack naming the attribute; nothing created,
 * changed or announced.
 */
TEST(malformed_requests_refused_cleanly)
{
	char *before, *after, name[64], longname[NSCTL_NAME_MAX + 2], huge[1024];
	struct evlist l = { 0 };
	struct nl nl, ev;
	struct nl_req r;
	size_t off;
	__u32 u32v = 1;
	__u16 u16v = 1;
	__u8 u8v[8] = { 0 };
	int fd;

	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, ev_open(&ev));
	snprintf(name, sizeof(name), "nl-mf%d", getpid());
	fd = ct_make(name);
	ASSERT_GE(fd, 0);
	close(fd);
	ASSERT_EQ(0, ev_sync(&ev, NULL));
	before = snapshot();

	/* NEW without a name. */
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	EXPECT_REFUSED(&nl, &r, EINVAL, -1);
	/* A name with '/', one starting with '.', an empty one. */
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, "a/b");
	EXPECT_REFUSED(&nl, &r, EINVAL, -1);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, ".hidden");
	EXPECT_REFUSED(&nl, &r, EINVAL, -1);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, "");
	EXPECT_REFUSED(&nl, &r, EINVAL, -1);
	/*
	 * One character too long: as mkdir says.  Far too long, or a
	 * UUID of 8 bytes: a length out of range, as the policy says.
	 */
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, longname);
	EXPECT_REFUSED(&nl, &r, ENAMETOOLONG, -1);
	memset(huge, 'y', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	off = nl_put_str(&r, NSCTL_A_CT_NAME, huge);
	EXPECT_REFUSED(&nl, &r, ERANGE, off);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, "nl-short-uuid");
	off = nl_put(&r, NSCTL_A_CT_UUID, u8v, 8);
	EXPECT_REFUSED(&nl, &r, ERANGE, off);
	/* Wrong types: an id of 4 bytes, a generation of 2. */
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_DEL_CONTAINER, NLM_F_ACK);
	off = nl_put(&r, NSCTL_A_CT_ID, &u32v, 4);
	EXPECT_REFUSED(&nl, &r, EINVAL, off);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_DEL_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, name);
	off = nl_put(&r, NSCTL_A_CT_GENERATION, &u16v, 2);
	EXPECT_REFUSED(&nl, &r, EINVAL, off);
	/* A namespace nest whose type is 2 bytes, one without a type. */
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, "nl-bad-nest");
	nl_nest_start(&r, NSCTL_A_CT_NS);
	off = nl_put(&r, NSCTL_A_NS_TYPE, &u16v, 2);
	nl_nest_end(&r);
	EXPECT_REFUSED(&nl, &r, EINVAL, off);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, "nl-bad-nest");
	nl_nest_start(&r, NSCTL_A_CT_NS);
	fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	nl_put(&r, NSCTL_A_NS_FD, &fd, 4);
	nl_nest_end(&r);
	EXPECT_REFUSED(&nl, &r, EINVAL, -1);
	/* The same type twice; a type out of range, a negative fd. */
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, "nl-bad-nest");
	nl_put_ns(&r, NSCTL_NS_NET, fd, 0);
	nl_put_ns(&r, NSCTL_NS_NET, fd, 0);
	EXPECT_REFUSED(&nl, &r, EINVAL, -1);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, "nl-bad-nest");
	nl_nest_start(&r, NSCTL_A_CT_NS);
	off = nl_put_u32(&r, NSCTL_A_NS_TYPE, NSCTL_NS_COUNT);
	nl_put(&r, NSCTL_A_NS_FD, &fd, 4);
	nl_nest_end(&r);
	EXPECT_REFUSED(&nl, &r, ERANGE, off);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, "nl-bad-nest");
	nl_nest_start(&r, NSCTL_A_CT_NS);
	nl_put_u32(&r, NSCTL_A_NS_TYPE, NSCTL_NS_NET);
	off = nl_put_u32(&r, NSCTL_A_NS_FD, (__u32)-5);
	nl_nest_end(&r);
	EXPECT_REFUSED(&nl, &r, ERANGE, off);
	close(fd);
	/*
	 * An attribute type beyond the family's, and ones other commands
	 * take (an event's, a delete's).
	 */
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, "nl-unknown-attr");
	off = nl_put_u32(&r, NSCTL_A_MAX + 10, 1);
	EXPECT_REFUSED(&nl, &r, EINVAL, off);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, "nl-foreign-attr");
	off = nl_put_u32(&r, NSCTL_A_PID, 1);
	EXPECT_REFUSED(&nl, &r, EINVAL, off);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, "nl-foreign-attr");
	off = nl_put_u64(&r, NSCTL_A_CT_GENERATION, 1);
	EXPECT_REFUSED(&nl, &r, EINVAL, off);
	/* DEL with no key; GET_NS with no UUID. */
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_DEL_CONTAINER, NLM_F_ACK);
	EXPECT_REFUSED(&nl, &r, EINVAL, -1);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_NS, NLM_F_ACK);
	EXPECT_REFUSED(&nl, &r, EINVAL, -1);
	/* Unknown commands, and an event's command sent as a request. */
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_MAX + 1, NLM_F_ACK);
	EXPECT_REFUSED(&nl, &r, EOPNOTSUPP, -1);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_UNSPEC, NLM_F_ACK);
	EXPECT_REFUSED(&nl, &r, EOPNOTSUPP, -1);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_CONTAINER_CREATED, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, "nl-event-as-request");
	EXPECT_REFUSED(&nl, &r, EOPNOTSUPP, -1);
	/* A request cut short in its attributes. */
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, "nl-truncated");
	r.len -= 4;
	EXPECT_REFUSED(&nl, &r, EINVAL, -1);

	after = snapshot();
	ASSERT_STREQ(before, after);
	ASSERT_EQ(0, ev_sync(&ev, &l));
	expect_events(_metadata, &l, NULL, 0);
	ASSERT_EQ(0, ct_remove(name));
	free(before);
	free(after);
	evlist_free(&l);
	nl_close(&ev);
	nl_close(&nl);
}

/* In an unprivileged child: 0 when every admin request is refused. */
static int unpriv_requests(void *arg)
{
	const char *name = arg;
	struct nl_ack ack;
	struct nl_msg m;
	struct nl nl;
	struct nl_req r;
	__u32 grp;

	if (nl_open(&nl))
		return 1;
	if (nl_new(&nl, "nl-unpriv-new", NULL, 0, NULL, -1, NULL, &ack) != -EPERM)
		return 2;
	if (nl_del(&nl, name, 0, NULL, &ack) != -EPERM)
		return 3;
	grp = nl.events_grp;
	if (!setsockopt(nl.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) ||
	    errno != EPERM)
		return 4;
	/* Reading is of what one sees: nobody sees no empty container. */
	if (nl_get_name(&nl, name, &m, &ack) != -ENOENT)
		return 5;
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_CONTAINER, NLM_F_DUMP);
	if (nl_transact(&nl, &r, NULL, NULL, &ack))
		return 6;
	nl_close(&nl);
	return 0;
}

TEST(unprivileged_refused)
{
	struct evlist l = { 0 };
	char *before, *after, name[64];
	struct nl ev;
	int fd;

	ASSERT_EQ(0, ev_open(&ev));
	snprintf(name, sizeof(name), "nl-up%d", getpid());
	fd = ct_make(name);
	ASSERT_GE(fd, 0);
	close(fd);
	ASSERT_EQ(0, ev_sync(&ev, NULL));
	before = snapshot();
	ASSERT_EQ(0, run_unprivileged(unpriv_requests, name));
	after = snapshot();
	ASSERT_STREQ(before, after);
	ASSERT_EQ(0, ev_sync(&ev, &l));
	expect_events(_metadata, &l, NULL, 0);
	ASSERT_EQ(0, ct_remove(name));
	free(before);
	free(after);
	evlist_free(&l);
	nl_close(&ev);
}

/*
 * A failed test stops at its assertion: remove what any test of this
 * program left behind (every name it uses starts with "nl-"), emptying a
 * container first in case it holds this process's own namespaces.
 */
static void cleanup(void)
{
	struct dirent *de;
	char path[300];
	DIR *d;

	d = opendir(NSCTL_TEST_ROOT);
	while (d && (de = readdir(d))) {
		int fd;

		if (strncmp(de->d_name, "nl-", 3))
			continue;
		snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", de->d_name);
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			ct_set_ns(fd, 0, NULL, NSCTL_NS_ALL, NULL);
			close(fd);
		}
		rmdir(path);
		snprintf(path, sizeof(path), "/sys/fs/cgroup/%s", de->d_name);
		rmdir(path);
	}
	if (d)
		closedir(d);
}

int main(int argc, char **argv)
{
	int ret = test_harness_run(argc, argv);

	cleanup();
	return ret;
}
