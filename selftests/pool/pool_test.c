// SPDX-License-Identifier: GPL-2.0
/*
 * Pools of ready containers, driven through generic netlink and checked
 * against the filesystem: a pool's message and its line in "pools", the
 * errors of every pool command, members that stay invisible until a
 * claim publishes them as ordinary containers, claims racing for the
 * last members, the events (POOL_CREATED, POOL_LOW, POOL_DELETED), the
 * kernel releasing members for their age, a smaller size or the pool's
 * deletion, and who may do what.
 *
 * Members are made as a filler makes them: a child unshares fresh
 * namespaces of the pool's types (joining a cgroup this test made first
 * when the cgroup namespace is one of them), the test opens them from
 * /proc/PID/ns (the PID namespace, which has no process yet, is given by
 * the child's pid) and hands them over with NSCTL_CMD_ADD_MEMBER.
 */
#include <dirent.h>
#include <net/if.h>
#include <pthread.h>
#include <time.h>

#include "kselftest_harness.h"
#include "nsctl_test.h"
#include "nsctl_nl.h"

/* Every pool, container and cgroup this program makes starts so. */
#define PREFIX		"pt-"
#define POOLS_FILE	NSCTL_TEST_ROOT "/pools"
#define CGROUP_ROOT	"/sys/fs/cgroup"

/* Large enough that no test overruns it. */
#define EV_RCVBUF	(16 << 20)
/* Bounds a wait for an event that must come; it times nothing. */
#define EV_WAIT_MS	60000
/*
 * Bounds waits for what the kernel does on its own (expiry, namespace
 * teardown): only a hang exceeds it.
 */
#define HANG_MS		120000

#define T(type)		NSCTL_NS_BIT(NSCTL_NS_##type)
/* What nsctl create makes by default, and a cheap pair. */
#define TYPES_FULL	(T(MNT) | T(UTS) | T(IPC) | T(NET) | T(PID) | T(CGROUP))
#define TYPES_CHEAP	(T(UTS) | T(IPC))

static const char * const type_names[NSCTL_NS_COUNT] = {
	"mnt", "uts", "ipc", "net", "pid", "user", "cgroup", "time",
};

/* A name of this test: PREFIX, the test's pid, @what. */
static void mkname(char *buf, size_t len, const char *what)
{
	snprintf(buf, len, PREFIX "%d-%s", getpid(), what);
}

/* Lists of messages: events up to a marker, dumps. */
struct msgs {
	struct nl_msg *m;
	int n, cap;
};

static void msgs_add(struct msgs *l, const struct nl_msg *m)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->m = realloc(l->m, l->cap * sizeof(*l->m));
		if (!l->m)
			abort();
	}
	l->m[l->n++] = *m;
}

static void msgs_free(struct msgs *l)
{
	free(l->m);
	memset(l, 0, sizeof(*l));
}

static bool is_ct_event(__u8 cmd)
{
	return cmd >= NSCTL_CMD_CONTAINER_CREATED &&
	       cmd <= NSCTL_CMD_CONTAINER_DELETED;
}

static bool is_pool_event(__u8 cmd)
{
	return cmd >= NSCTL_CMD_POOL_CREATED && cmd <= NSCTL_CMD_POOL_DELETED;
}

/* Requests. */

static void reply_cb(const struct nlmsghdr *h, void *arg)
{
	struct nl_msg *m = arg;

	if (m && h->nlmsg_type >= NLMSG_MIN_TYPE && !m->cmd)
		nl_parse_msg(h, m);
}

static void put_labels(struct nl_req *r, const char * const *labels)
{
	if (!labels || !labels[0])
		return;
	nl_nest_start(r, NSCTL_A_CT_LABELS);
	for (; *labels; labels++)
		nl_put_str(r, NSCTL_A_LABEL, *labels);
	nl_nest_end(r);
}

/* What NEW_POOL asks for; negative values and NULLs are not sent. */
struct pool_spec {
	const char *name;
	__u64 types;
	__u32 size;
	long low, max_age, flags, on_empty, enter;
	const char * const *labels;
	const char *memory_max, *pids_max, *cpu_max;
};

#define POOL_SPEC(n, t, s)	((struct pool_spec){ .name = (n), .types = (t),	\
	.size = (s), .low = -1, .max_age = -1, .flags = -1, .on_empty = -1,	\
	.enter = -1 })

static void pool_new_req(struct nl *nl, struct nl_req *r, const struct pool_spec *s)
{
	nl_req_init(r, nl, nl->family, NSCTL_CMD_NEW_POOL, NLM_F_ACK);
	nl_put_str(r, NSCTL_A_POOL_NAME, s->name);
	nl_put_u64(r, NSCTL_A_POOL_TYPES, s->types);
	nl_put_u32(r, NSCTL_A_POOL_SIZE, s->size);
	if (s->low >= 0)
		nl_put_u32(r, NSCTL_A_POOL_LOW, s->low);
	if (s->max_age >= 0)
		nl_put_u32(r, NSCTL_A_POOL_MAX_AGE, s->max_age);
	if (s->flags >= 0)
		nl_put_u32(r, NSCTL_A_POOL_FLAGS, s->flags);
	if (s->on_empty >= 0)
		nl_put_u32(r, NSCTL_A_CT_ON_EMPTY, s->on_empty);
	if (s->enter >= 0)
		nl_put_u32(r, NSCTL_A_CT_ENTER_POLICY, s->enter);
	put_labels(r, s->labels);
	if (s->memory_max)
		nl_put_str(r, NSCTL_A_POOL_MEMORY_MAX, s->memory_max);
	if (s->pids_max)
		nl_put_str(r, NSCTL_A_POOL_PIDS_MAX, s->pids_max);
	if (s->cpu_max)
		nl_put_str(r, NSCTL_A_POOL_CPU_MAX, s->cpu_max);
}

static int pool_new(struct nl *nl, const struct pool_spec *s, struct nl_msg *reply,
		    struct nl_ack *ack)
{
	struct nl_req r;

	if (reply)
		memset(reply, 0, sizeof(*reply));
	pool_new_req(nl, &r, s);
	return nl_transact(nl, &r, reply_cb, reply, ack);
}

/* A pool of @types and @size, members with cgroups unless @flags says. */
static int pool_make(struct nl *nl, const char *name, __u64 types, __u32 size,
		     long flags)
{
	struct pool_spec s = POOL_SPEC(name, types, size);

	s.flags = flags;
	return pool_new(nl, &s, NULL, NULL);
}

static int pool_get(struct nl *nl, const char *name, struct nl_msg *reply,
		    struct nl_ack *ack)
{
	struct nl_req r;

	if (reply)
		memset(reply, 0, sizeof(*reply));
	nl_req_init(&r, nl, nl->family, NSCTL_CMD_GET_POOL, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_POOL_NAME, name);
	return nl_transact(nl, &r, reply_cb, reply, ack);
}

/* SET_POOL: negative values are not sent. */
static int pool_set(struct nl *nl, const char *name, long size, long low,
		    long max_age, struct nl_msg *reply, struct nl_ack *ack)
{
	struct nl_req r;

	if (reply)
		memset(reply, 0, sizeof(*reply));
	nl_req_init(&r, nl, nl->family, NSCTL_CMD_SET_POOL, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_POOL_NAME, name);
	if (size >= 0)
		nl_put_u32(&r, NSCTL_A_POOL_SIZE, size);
	if (low >= 0)
		nl_put_u32(&r, NSCTL_A_POOL_LOW, low);
	if (max_age >= 0)
		nl_put_u32(&r, NSCTL_A_POOL_MAX_AGE, max_age);
	return nl_transact(nl, &r, reply_cb, reply, ack);
}

static int pool_del(struct nl *nl, const char *name, struct nl_ack *ack)
{
	struct nl_req r;

	nl_req_init(&r, nl, nl->family, NSCTL_CMD_DEL_POOL, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_POOL_NAME, name);
	return nl_transact(nl, &r, NULL, NULL, ack);
}

static int pool_claim(struct nl *nl, const char *pool, const char *name,
		      const __u8 *uuid, const char * const *labels,
		      struct nl_msg *reply, struct nl_ack *ack)
{
	struct nl_req r;

	if (reply)
		memset(reply, 0, sizeof(*reply));
	nl_req_init(&r, nl, nl->family, NSCTL_CMD_CLAIM, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_POOL_NAME, pool);
	nl_put_str(&r, NSCTL_A_CT_NAME, name);
	if (uuid)
		nl_put(&r, NSCTL_A_CT_UUID, uuid, 16);
	put_labels(&r, labels);
	return nl_transact(nl, &r, reply_cb, reply, ack);
}

static void dump_cb(const struct nlmsghdr *h, void *arg)
{
	struct nl_msg m;

	if (h->nlmsg_type == NLMSG_DONE)
		return;
	nl_parse_msg(h, &m);
	msgs_add(arg, &m);
}

/* A dump of @cmd (GET_POOL, GET_CONTAINER) into @l. */
static int dump(struct nl *nl, __u8 cmd, struct msgs *l)
{
	struct nl_req r;

	msgs_free(l);
	nl_req_init(&r, nl, nl->family, cmd, NLM_F_DUMP);
	return nl_transact(nl, &r, dump_cb, l, NULL);
}

/* The pool named @name in a dump, or NULL. */
static const struct nl_msg *find_pool(const struct msgs *l, const char *name)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (l->m[i].pool.has_name && !strcmp(l->m[i].pool.name, name))
			return &l->m[i];
	return NULL;
}

/*
 * An error with its extended ack: a message, or for a missing attribute
 * at least the attribute named (@miss >= 0); the attribute's offset when
 * @at >= 0.  EXPECT, not ASSERT: every case is tried and reported.
 */
static void expect_refused(struct __test_metadata *_metadata, int line, int err,
			   int ret, const struct nl_ack *ack, long at, long miss)
{
	EXPECT_EQ(-err, ret) {
		TH_LOG("line %d: %s (\"%s\"), wanted %s", line,
		       ret ? strerror(-ret) : "success", ack->msg, strerror(err));
	}
	if (ret != -err)
		return;
	if (miss >= 0) {
		EXPECT_TRUE(ack->msg[0] ||
			    (ack->has_miss_type && ack->miss_type == (__u32)miss)) {
			TH_LOG("line %d: the ack names no missing attribute", line);
		}
	} else {
		EXPECT_NE(0, ack->msg[0]) {
			TH_LOG("line %d: no extended ack message", line);
		}
	}
	if (at >= 0) {
		EXPECT_TRUE(ack->has_offs && ack->offs == (__u32)at) {
			TH_LOG("line %d: extended ack offset %u, want %ld", line,
			       ack->offs, at);
		}
	}
}

#define REFUSED(err, ret, ack) \
	expect_refused(_metadata, __LINE__, err, ret, &(ack), -1, -1)
#define REFUSED_AT(err, ret, ack, at) \
	expect_refused(_metadata, __LINE__, err, ret, &(ack), at, -1)
#define REFUSED_MISSING(err, ret, ack, attr) \
	expect_refused(_metadata, __LINE__, err, ret, &(ack), -1, attr)

/* Send @r, expect @err as REFUSED_AT says. */
#define REQ_REFUSED_AT(nl, r, err, at) do {					\
	struct nl_ack __ack;							\
	int __ret = nl_transact(nl, r, NULL, NULL, &__ack);			\
	expect_refused(_metadata, __LINE__, err, __ret, &__ack, at, -1);	\
} while (0)

/* Events. */

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

/*
 * Events are sent by the operation that causes them, so a marker (an
 * empty container made and removed) shows that everything sent before it
 * has arrived.  Appends every event before the marker to @l (may be
 * NULL); returns 0 or -errno.
 */
static int ev_sync(struct nl *ev, struct msgs *l)
{
	static int serial;
	char name[64], what[32];
	bool created = false;
	struct nl_msg m;
	int ret;

	snprintf(what, sizeof(what), "mark%d", ++serial);
	mkname(name, sizeof(name), what);
	ret = ct_make(name);
	if (ret < 0)
		return -errno;
	close(ret);
	if (ct_remove(name))
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
			msgs_add(l, &m);
	}
}

/*
 * Wait for event @cmd about pool or container @name (or namespace @uuid);
 * what comes before goes to @l (may be NULL).
 */
static int ev_wait(struct nl *ev, __u8 cmd, const char *name, const __u8 *uuid,
		   struct nl_msg *out, struct msgs *l)
{
	struct nl_msg m;
	int ret;

	for (;;) {
		ret = nl_event(ev, &m, EV_WAIT_MS);
		if (ret <= 0)
			return ret ? ret : -ETIMEDOUT;
		if (m.cmd == cmd &&
		    (!name || !strcmp(is_pool_event(cmd) ? m.pool.name : m.name, name)) &&
		    (!uuid || !memcmp(m.ns_uuid, uuid, 16))) {
			if (out)
				*out = m;
			return 0;
		}
		if (l)
			msgs_add(l, &m);
	}
}

/*
 * Wait until the network namespaces of UUIDs @uuids (@n of them) are
 * destroyed, counting the NETNS_DESTROYED events already in @seen (may be
 * NULL); in whatever order they come.  Returns how many never came.
 */
static int wait_destroyed(struct nl *ev, const struct msgs *seen,
			  const __u8 (*uuids)[16], int n)
{
	bool done[16] = { false };
	int left = n, i, j;
	struct nl_msg m;

	if (n > 16)
		return n;
	for (j = 0; seen && j < seen->n; j++)
		for (i = 0; i < n; i++)
			if (!done[i] && seen->m[j].cmd == NSCTL_CMD_NETNS_DESTROYED &&
			    !memcmp(seen->m[j].ns_uuid, uuids[i], 16)) {
				done[i] = true;
				left--;
			}
	while (left > 0 && nl_event(ev, &m, EV_WAIT_MS) == 1) {
		if (m.cmd != NSCTL_CMD_NETNS_DESTROYED)
			continue;
		for (i = 0; i < n; i++)
			if (!done[i] && !memcmp(m.ns_uuid, uuids[i], 16)) {
				done[i] = true;
				left--;
			}
	}
	return left;
}

/* How many events @cmd in @l are about @name (a pool or a container). */
static int count_events(const struct msgs *l, __u8 cmd, const char *name)
{
	int i, n = 0;

	for (i = 0; i < l->n; i++)
		n += l->m[i].cmd == cmd &&
		     !strcmp(is_pool_event(cmd) ? l->m[i].pool.name : l->m[i].name, name);
	return n;
}

static int count_ct_events(const struct msgs *l)
{
	int i, n = 0;

	for (i = 0; i < l->n; i++)
		n += is_ct_event(l->m[i].cmd);
	return n;
}

static int count_pool_events(const struct msgs *l)
{
	int i, n = 0;

	for (i = 0; i < l->n; i++)
		n += is_pool_event(l->m[i].cmd);
	return n;
}

/* Members. */

struct member {
	__u64 types;
	pid_t child;			/* the child that unshared, until released */
	int go;
	int fds[NSCTL_NS_COUNT];	/* -1: none, and for pid (by the child's pid) */
	ino_t inum[NSCTL_NS_COUNT];	/* 0 for pid: no process to ask yet */
	__u8 net_uuid[16];
	char cgpath[128];		/* "" without a cgroup */
	int cgfd;
	__u64 cgid;
};

static int lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int sk, err = 0;

	sk = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sk < 0)
		return errno;
	if (ioctl(sk, SIOCGIFFLAGS, &ifr))
		err = errno;
	ifr.ifr_flags |= IFF_UP;
	if (!err && ioctl(sk, SIOCSIFFLAGS, &ifr))
		err = errno;
	close(sk);
	return err;
}

static int ns_info(int fd, struct nsctl_ns_info *info, __u64 *ids, __u32 max)
{
	int root, ret;

	memset(info, 0, sizeof(*info));
	info->fd = fd;
	info->containers = (__u64)(unsigned long)ids;
	info->containers_max = max;
	root = open(NSCTL_TEST_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -1;
	ret = ioctl(root, NSCTL_IOC_NS_INFO, info);
	close(root);
	return ret;
}

static int ns_open_uuid(const __u8 uuid[16])
{
	struct nsctl_ns_open a = { 0 };
	int root, ret;

	memcpy(a.uuid, uuid, 16);
	root = open(NSCTL_TEST_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -1;
	ret = ioctl(root, NSCTL_IOC_NS_OPEN, &a);
	close(root);
	return ret;
}

/*
 * Fresh namespaces of @types, as a filler makes them (the child unshares
 * them, makes them usable and waits), and with @cgroup a fresh cgroup the
 * child joins first when the cgroup namespace is among them, so that the
 * namespace is rooted there.  0 or -errno.
 */
static int member_start(struct member *m, __u64 types, bool cgroup,
			const char *hostname)
{
	static int serial;
	int ready[2], go[2], procs = -1, flags = 0, err = 0, i;
	char path[128], c;

	memset(m, 0, sizeof(*m));
	m->types = types;
	m->child = -1;
	m->go = -1;
	m->cgfd = -1;
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		m->fds[i] = -1;
		if (types & NSCTL_NS_BIT(i))
			flags |= ns_clone_flag(i);
	}
	if (cgroup) {
		snprintf(m->cgpath, sizeof(m->cgpath), CGROUP_ROOT "/" PREFIX "%d-m%d",
			 getpid(), ++serial);
		if (mkdir(m->cgpath, 0755))
			return -errno;
		m->cgfd = open(m->cgpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (m->cgfd < 0)
			return -errno;
		m->cgid = fd_ino(m->cgfd);
		if (types & T(CGROUP)) {
			procs = openat(m->cgfd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
			if (procs < 0)
				return -errno;
		}
	}
	if (pipe2(ready, O_CLOEXEC))
		return -errno;
	if (pipe2(go, O_CLOEXEC))
		return -errno;
	m->child = fork();
	if (m->child < 0)
		return -errno;
	if (m->child == 0) {
		close(ready[0]);
		close(go[1]);
		if (procs >= 0 && write(procs, "0", 1) != 1)
			err = errno;
		if (!err && unshare(flags))
			err = errno;
		if (!err && (types & T(MNT)) &&
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
			err = errno;
		if (!err && (types & T(UTS)) && sethostname(hostname, strlen(hostname)))
			err = errno;
		if (!err && (types & T(NET)))
			err = lo_up();
		if (write(ready[1], &err, sizeof(err)) != sizeof(err))
			_exit(1);
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	if (procs >= 0)
		close(procs);
	close(ready[1]);
	close(go[0]);
	m->go = go[1];
	if (read(ready[0], &err, sizeof(err)) != sizeof(err))
		err = ECHILD;
	close(ready[0]);
	if (err)
		return -err;
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (!(types & NSCTL_NS_BIT(i)) || i == NSCTL_NS_PID)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", m->child, ns_proc_file(i));
		m->fds[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (m->fds[i] < 0)
			return -errno;
		m->inum[i] = fd_ino(m->fds[i]);
	}
	if (types & T(NET)) {
		struct nsctl_ns_info info;

		if (ns_info(m->fds[NSCTL_NS_NET], &info, NULL, 0))
			return -errno;
		memcpy(m->net_uuid, info.uuid, 16);
	}
	return 0;
}

/* The child goes, the descriptors are closed; the cgroup stays. */
static void member_end(struct member *m)
{
	int i;

	if (m->child > 0) {
		/* A byte, not EOF: a child forked since may hold the write end. */
		if (write(m->go, "x", 1) != 1)
			kill(m->child, SIGKILL);
		waitpid(m->child, NULL, 0);
	}
	m->child = -1;
	if (m->go >= 0)
		close(m->go);
	m->go = -1;
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (m->fds[i] >= 0)
			close(m->fds[i]);
		m->fds[i] = -1;
	}
	if (m->cgfd >= 0)
		close(m->cgfd);
	m->cgfd = -1;
}

static void member_rmcg(struct member *m)
{
	if (m->cgpath[0])
		rmdir(m->cgpath);
}

/*
 * ADD_MEMBER with @m's namespaces of @types (which may differ from its
 * own, to be refused) and its cgroup when @cgroup.
 */
static int member_add_as(struct nl *nl, const char *pool, const struct member *m,
			 __u64 types, bool cgroup, struct nl_msg *reply,
			 struct nl_ack *ack)
{
	struct nl_req r;
	unsigned int i;

	if (reply)
		memset(reply, 0, sizeof(*reply));
	nl_req_init(&r, nl, nl->family, NSCTL_CMD_ADD_MEMBER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_POOL_NAME, pool);
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (!(types & NSCTL_NS_BIT(i)))
			continue;
		if (i == NSCTL_NS_PID)
			nl_put_ns(&r, i, -1, m->child);
		else
			nl_put_ns(&r, i, m->fds[i], 0);
	}
	if (cgroup)
		nl_put(&r, NSCTL_A_CGROUP_FD, &m->cgfd, sizeof(m->cgfd));
	return nl_transact(nl, &r, reply_cb, reply, ack);
}

static int member_add(struct nl *nl, const char *pool, const struct member *m,
		      struct nl_msg *reply, struct nl_ack *ack)
{
	return member_add_as(nl, pool, m, m->types, m->cgfd >= 0, reply, ack);
}

/* A member of @types made and added to @pool, its child released. */
static void fill_one(struct __test_metadata *_metadata, struct nl *nl,
		     const char *pool, __u64 types, bool cgroup, struct member *m)
{
	struct nl_ack ack;
	int ret;

	ret = member_start(m, types, cgroup, pool);
	ASSERT_EQ(0, ret) {
		TH_LOG("making a member's namespaces: %s", strerror(-ret));
	}
	ret = member_add(nl, pool, m, NULL, &ack);
	ASSERT_EQ(0, ret) {
		TH_LOG("ADD_MEMBER to %s: %s (%s)", pool, strerror(-ret), ack.msg);
	}
	member_end(m);
}

/* Remove the cgroups this test made; returns how many. */
static int rm_cgroups(void)
{
	char prefix[64], path[300];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(prefix, sizeof(prefix), PREFIX "%d-", getpid());
	d = opendir(CGROUP_ROOT);
	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		snprintf(path, sizeof(path), CGROUP_ROOT "/%s", de->d_name);
		n += !rmdir(path);
	}
	if (d)
		closedir(d);
	return n;
}

/* The filesystem. */

/* The "pools" file, whole; its length or -errno. */
static int read_pools_file(char *buf, size_t len)
{
	size_t off = 0;
	ssize_t n;
	int fd;

	fd = open(POOLS_FILE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (off < len - 1 && (n = read(fd, buf + off, len - 1 - off)) > 0)
		off += n;
	buf[off] = '\0';
	n = n < 0 ? -errno : (ssize_t)off;
	close(fd);
	return n;
}

/* The line of pool @name in "pools", without its newline; "" when none. */
static void pools_line(const char *name, char *out, size_t len)
{
	static char buf[1 << 16];
	char *line, *save = NULL;
	size_t n = strlen(name);

	out[0] = '\0';
	if (read_pools_file(buf, sizeof(buf)) < 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, name, n) && line[n] == ' ')
			snprintf(out, len, "%s", line);
}

/* The line "pools" should have for the pool of message @p. */
static void expected_line(const struct nl_pool *p, char *out, size_t len)
{
	char types[128] = "";
	int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (p->types & NSCTL_NS_BIT(i))
			snprintf(types + strlen(types), sizeof(types) - strlen(types),
				 "%s%s", types[0] ? "," : "", type_names[i]);
	snprintf(out, len,
		 "%s types=%s size=%u low=%u max_age=%u ready=%u claimed=%llu added=%llu expired=%llu missed=%llu",
		 p->name, types, p->size, p->low, p->max_age, p->ready,
		 (unsigned long long)p->claimed, (unsigned long long)p->added,
		 (unsigned long long)p->expired, (unsigned long long)p->missed);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* The names at the top of the filesystem, sorted, one per line. */
static char *listing(void)
{
	char **v = NULL, *s;
	size_t n = 0, cap = 0, len = 1, i;
	struct dirent *de;
	DIR *d;

	d = opendir(NSCTL_TEST_ROOT);
	if (!d)
		return strdup("?");
	while ((de = readdir(d))) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				abort();
		}
		v[n] = strdup(de->d_name);
		len += strlen(de->d_name) + 1;
		n++;
	}
	closedir(d);
	qsort(v, n, sizeof(*v), cmp_str);
	s = malloc(len);
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		strcat(strcat(s, v[i]), "\n");
		free(v[i]);
	}
	free(v);
	return s;
}

/* The containers field of @uuid's line in "namespaces"; "" when none. */
static void ns_file_holders(const __u8 uuid[16], char *out, size_t len)
{
	static char buf[1 << 20];
	char u[37], *line, *save = NULL, lu[40], type[16], owner[40], parent[40];
	char cts[256];
	unsigned long inum;
	size_t off = 0;
	ssize_t n;
	int fd;

	out[0] = '\0';
	uuid_str(uuid, u);
	fd = open(NSCTL_TEST_ROOT "/namespaces", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	while (off < sizeof(buf) - 1 && (n = read(fd, buf + off, sizeof(buf) - 1 - off)) > 0)
		off += n;
	close(fd);
	buf[off] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "%39s %15s %lu %39s %39s %255s", lu, type, &inum, owner,
			   parent, cts) == 6 && !strcmp(lu, u))
			snprintf(out, len, "%s", cts);
}

static int get_ns(struct nl *nl, const __u8 uuid[16], struct nl_msg *reply)
{
	struct nl_req r;

	memset(reply, 0, sizeof(*reply));
	nl_req_init(&r, nl, nl->family, NSCTL_CMD_GET_NS, NLM_F_ACK);
	nl_put(&r, NSCTL_A_NS_UUID, uuid, 16);
	return nl_transact(nl, &r, reply_cb, reply, NULL);
}

/* The "key=value\n" lines of a NULL-terminated label list. */
static void label_lines(const char * const *labels, char *out, size_t len)
{
	out[0] = '\0';
	for (; labels && *labels; labels++)
		snprintf(out + strlen(out), len - strlen(out), "%s\n", *labels);
}

/* Every field of pool message @m is there and as @s asked, @low the low mark. */
static void expect_spec(struct __test_metadata *_metadata, const struct nl_msg *m,
			const struct pool_spec *s, __u32 low)
{
	const struct nl_pool *p = &m->pool;
	char lines[512];

	ASSERT_TRUE(p->has_name && p->has_types && p->has_size && p->has_low &&
		    p->has_max_age && p->has_flags && p->has_ready && p->has_claimed &&
		    p->has_added && p->has_expired && p->has_missed && p->has_created) {
		TH_LOG("a pool message lacks a field (attributes seen %#llx)",
		       (unsigned long long)m->attrs_seen);
	}
	ASSERT_STREQ(s->name, p->name);
	ASSERT_EQ(s->types, p->types);
	ASSERT_EQ(s->size, p->size);
	ASSERT_EQ(low, p->low);
	ASSERT_EQ(s->max_age < 0 ? 0 : (__u32)s->max_age, p->max_age);
	ASSERT_EQ(s->flags < 0 ? 0 : (__u32)s->flags, p->flags);
	ASSERT_TRUE(m->has_on_empty && m->has_enter_policy);
	ASSERT_EQ(s->on_empty < 0 ? NSCTL_ON_EMPTY_IGNORE : (__u32)s->on_empty, m->on_empty);
	ASSERT_EQ(s->enter < 0 ? NSCTL_ENTER_POLICY_ALLOW : (__u32)s->enter, m->enter_policy);
	label_lines(s->labels, lines, sizeof(lines));
	ASSERT_STREQ(lines, m->labels);
	ASSERT_EQ(!!s->memory_max, p->has_memory_max);
	ASSERT_EQ(!!s->pids_max, p->has_pids_max);
	ASSERT_EQ(!!s->cpu_max, p->has_cpu_max);
	if (s->memory_max) {
		ASSERT_STREQ(s->memory_max, p->memory_max);
	}
	if (s->pids_max) {
		ASSERT_STREQ(s->pids_max, p->pids_max);
	}
	if (s->cpu_max) {
		ASSERT_STREQ(s->cpu_max, p->cpu_max);
	}
}

/* Counters of pool message @m. */
static void expect_counts(struct __test_metadata *_metadata, const struct nl_msg *m,
			  __u32 ready, __u64 claimed, __u64 added, __u64 expired,
			  __u64 missed)
{
	const struct nl_pool *p = &m->pool;

	ASSERT_TRUE(p->has_ready && p->has_claimed && p->has_added &&
		    p->has_expired && p->has_missed);
	EXPECT_EQ(ready, p->ready);
	EXPECT_EQ(claimed, p->claimed);
	EXPECT_EQ(added, p->added);
	EXPECT_EQ(expired, p->expired);
	EXPECT_EQ(missed, p->missed);
	ASSERT_EQ(ready > 0, p->has_oldest);
}

/* GET_POOL of @name, its counters as given. */
#define EXPECT_POOL(nl, name, ready, claimed, added, expired, missed) do {	\
	struct nl_msg __m;							\
	struct nl_ack __ack;							\
	int __ret = pool_get(nl, name, &__m, &__ack);				\
	ASSERT_EQ(0, __ret) {							\
		TH_LOG("GET_POOL %s: %s (%s)", name, strerror(-__ret), __ack.msg); \
	}									\
	expect_counts(_metadata, &__m, ready, claimed, added, expired, missed); \
} while (0)

static const char * const tmpl_labels[] = { "team=web", "tier=gold", NULL };

/*
 * A pool's whole life: made with every field, read back by GET_POOL, the
 * dump and the "pools" file alike, changed, deleted; its name then free.
 */
TEST(create_get_dump_set_delete)
{
	char name[64], line[512], want[512], buf[1 << 14];
	struct pool_spec s;
	struct nl_msg reply, got, set;
	const struct nl_msg *d;
	struct msgs l = { 0 };
	struct nl_ack ack;
	time_t t0, t1;
	struct nl nl;
	int ret, lines;
	char *p;

	mkname(name, sizeof(name), "life");
	s = POOL_SPEC(name, T(MNT) | T(UTS) | T(NET), 5);
	s.max_age = 300;
	s.on_empty = NSCTL_ON_EMPTY_NOTIFY;
	s.enter = NSCTL_ENTER_POLICY_DENY;
	s.labels = tmpl_labels;
	s.memory_max = "67108864";
	s.pids_max = "100";
	s.cpu_max = "50000 100000";
	ASSERT_EQ(0, nl_open(&nl));

	t0 = time(NULL);
	ret = pool_new(&nl, &s, &reply, &ack);
	t1 = time(NULL);
	ASSERT_EQ(0, ret) {
		TH_LOG("NEW_POOL: %s (%s)", strerror(-ret), ack.msg);
	}
	/* The default low-water mark: half the size, rounded up. */
	expect_spec(_metadata, &reply, &s, 3);
	expect_counts(_metadata, &reply, 0, 0, 0, 0, 0);
	ASSERT_LE(t0, reply.pool.created);
	ASSERT_GE(t1, reply.pool.created);
	ASSERT_EQ(0, reply.pool.nmembers);

	ASSERT_EQ(0, pool_get(&nl, name, &got, &ack));
	expect_spec(_metadata, &got, &s, 3);
	expect_counts(_metadata, &got, 0, 0, 0, 0, 0);
	ASSERT_EQ(reply.pool.created, got.pool.created);

	ASSERT_EQ(0, dump(&nl, NSCTL_CMD_GET_POOL, &l));
	d = find_pool(&l, name);
	ASSERT_NE(NULL, d);
	expect_spec(_metadata, d, &s, 3);
	ASSERT_EQ(reply.pool.created, d->pool.created);
	/* The file has a line per pool the dump has, this one's as it says. */
	ASSERT_GE(read_pools_file(buf, sizeof(buf)), 0);
	for (lines = 0, p = buf; (p = strchr(p, '\n')); p++)
		lines++;
	ASSERT_EQ(l.n, lines);
	pools_line(name, line, sizeof(line));
	expected_line(&got.pool, want, sizeof(want));
	ASSERT_STREQ(want, line);
	snprintf(want, sizeof(want),
		 "%s types=mnt,uts,net size=5 low=3 max_age=300 ready=0 claimed=0 added=0 expired=0 missed=0",
		 name);
	ASSERT_STREQ(want, line);

	/* SET_POOL: size, low and age; the rest stays. */
	ret = pool_set(&nl, name, 8, 6, 0, &set, &ack);
	ASSERT_EQ(0, ret) {
		TH_LOG("SET_POOL: %s (%s)", strerror(-ret), ack.msg);
	}
	s.size = 8;
	s.max_age = 0;
	expect_spec(_metadata, &set, &s, 6);
	ASSERT_EQ(0, pool_get(&nl, name, &got, &ack));
	expect_spec(_metadata, &got, &s, 6);
	ASSERT_EQ(reply.pool.created, got.pool.created);
	pools_line(name, line, sizeof(line));
	expected_line(&got.pool, want, sizeof(want));
	ASSERT_STREQ(want, line);
	/* A low mark above the size, a size beyond the limit: nothing changes. */
	ret = pool_set(&nl, name, -1, 9, -1, NULL, &ack);
	REFUSED(EINVAL, ret, ack);
	ret = pool_set(&nl, name, 4, 5, -1, NULL, &ack);
	REFUSED(EINVAL, ret, ack);
	ret = pool_set(&nl, name, NSCTL_POOL_SIZE_MAX + 1, -1, -1, NULL, &ack);
	REFUSED(ERANGE, ret, ack);
	ASSERT_EQ(0, pool_get(&nl, name, &got, &ack));
	expect_spec(_metadata, &got, &s, 6);
	/* The largest size is allowed. */
	ASSERT_EQ(0, pool_set(&nl, name, NSCTL_POOL_SIZE_MAX, -1, -1, &set, &ack));
	ASSERT_EQ(NSCTL_POOL_SIZE_MAX, set.pool.size);
	ASSERT_EQ(6, set.pool.low);

	ASSERT_EQ(0, pool_del(&nl, name, &ack));
	ASSERT_EQ(-ENOENT, pool_get(&nl, name, &got, &ack));
	ASSERT_EQ(-ENOENT, pool_del(&nl, name, &ack));
	ASSERT_EQ(-ENOENT, pool_set(&nl, name, 1, -1, -1, NULL, &ack));
	pools_line(name, line, sizeof(line));
	ASSERT_STREQ("", line);
	ASSERT_EQ(0, dump(&nl, NSCTL_CMD_GET_POOL, &l));
	ASSERT_EQ(NULL, find_pool(&l, name));
	/* The name is free again. */
	ASSERT_EQ(0, pool_make(&nl, name, T(UTS), 1, -1));
	ASSERT_EQ(0, pool_del(&nl, name, &ack));
	msgs_free(&l);
	nl_close(&nl);
}

/* Without NSCTL_A_POOL_LOW the mark is half the size, rounded up. */
TEST(low_defaults_to_half_the_size_rounded_up)
{
	static const struct { __u32 size; long low; __u32 want; } cases[] = {
		{ 1, -1, 1 }, { 2, -1, 1 }, { 5, -1, 3 }, { 6, -1, 3 },
		{ NSCTL_POOL_SIZE_MAX, -1, NSCTL_POOL_SIZE_MAX / 2 },
		/* Given: any value up to the size. */
		{ 4, 0, 0 }, { 4, 4, 4 }, { 7, 1, 1 },
	};
	struct nl_msg reply;
	struct pool_spec s;
	struct nl_ack ack;
	char name[64];
	struct nl nl;
	unsigned int i;
	int ret;

	ASSERT_EQ(0, nl_open(&nl));
	mkname(name, sizeof(name), "low");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = POOL_SPEC(name, TYPES_CHEAP, cases[i].size);
		s.low = cases[i].low;
		ret = pool_new(&nl, &s, &reply, &ack);
		ASSERT_EQ(0, ret) {
			TH_LOG("size %u low %ld: %s (%s)", cases[i].size, cases[i].low,
			       strerror(-ret), ack.msg);
		}
		EXPECT_EQ(cases[i].want, reply.pool.low) {
			TH_LOG("size %u low %ld", cases[i].size, cases[i].low);
		}
		ASSERT_EQ(0, pool_get(&nl, name, &reply, &ack));
		EXPECT_EQ(cases[i].want, reply.pool.low);
		ASSERT_EQ(0, pool_del(&nl, name, &ack));
	}
	nl_close(&nl);
}

/*
 * A taken name is refused with EEXIST and the pool that has it is left
 * as it was; beyond NSCTL_POOLS_MAX pools, ENOSPC until one is deleted.
 */
TEST(taken_name_and_too_many_pools)
{
	char name[64], what[32], first[64];
	struct pool_spec s;
	struct nl_msg before, after;
	struct msgs l = { 0 };
	struct nl_ack ack;
	int i, n0, made = 0, ret;
	struct nl nl;

	ASSERT_EQ(0, nl_open(&nl));
	mkname(name, sizeof(name), "taken");
	ASSERT_EQ(0, pool_make(&nl, name, T(UTS) | T(NET), 3, -1));
	ASSERT_EQ(0, pool_get(&nl, name, &before, &ack));
	s = POOL_SPEC(name, T(IPC), 9);
	s.flags = NSCTL_POOL_NO_CGROUP;
	ret = pool_new(&nl, &s, NULL, &ack);
	ASSERT_EQ(-EEXIST, ret);
	ASSERT_EQ(0, pool_get(&nl, name, &after, &ack));
	ASSERT_EQ(before.pool.types, after.pool.types);
	ASSERT_EQ(before.pool.size, after.pool.size);
	ASSERT_EQ(before.pool.flags, after.pool.flags);
	ASSERT_EQ(0, pool_del(&nl, name, &ack));

	/* As many pools as there is room for, then one more. */
	ASSERT_EQ(0, dump(&nl, NSCTL_CMD_GET_POOL, &l));
	n0 = l.n;
	ASSERT_LT(n0, NSCTL_POOLS_MAX);
	for (i = 0; i < NSCTL_POOLS_MAX - n0; i++) {
		snprintf(what, sizeof(what), "many%d", i);
		mkname(name, sizeof(name), what);
		ret = pool_make(&nl, name, TYPES_CHEAP, 1, NSCTL_POOL_NO_CGROUP);
		ASSERT_EQ(0, ret) {
			TH_LOG("pool %d of %d: %s", n0 + i + 1, NSCTL_POOLS_MAX, strerror(-ret));
		}
		made++;
	}
	ASSERT_EQ(0, dump(&nl, NSCTL_CMD_GET_POOL, &l));
	ASSERT_EQ(NSCTL_POOLS_MAX, l.n);
	mkname(name, sizeof(name), "one-too-many");
	s = POOL_SPEC(name, TYPES_CHEAP, 1);
	ret = pool_new(&nl, &s, NULL, &ack);
	ASSERT_EQ(-ENOSPC, ret);
	ASSERT_EQ(-ENOENT, pool_get(&nl, name, &after, &ack));
	/* A deleted pool makes room. */
	mkname(first, sizeof(first), "many0");
	ASSERT_EQ(0, pool_del(&nl, first, &ack));
	ASSERT_EQ(0, pool_new(&nl, &s, NULL, &ack));
	ASSERT_EQ(0, pool_del(&nl, name, &ack));
	for (i = 1; i < made; i++) {
		snprintf(what, sizeof(what), "many%d", i);
		mkname(name, sizeof(name), what);
		ASSERT_EQ(0, pool_del(&nl, name, &ack));
	}
	ASSERT_EQ(0, dump(&nl, NSCTL_CMD_GET_POOL, &l));
	ASSERT_EQ(n0, l.n);
	msgs_free(&l);
	nl_close(&nl);
}

/* The longest name and limit strings the contract allows are kept as given. */
TEST(longest_name_and_limits_accepted)
{
	char name[NSCTL_POOL_NAME_MAX + 1], limit[NSCTL_POOL_LIMIT_MAX + 1], line[512];
	struct nl_msg reply;
	struct pool_spec s;
	struct nl_ack ack;
	struct nl nl;
	int ret;

	ASSERT_EQ(0, nl_open(&nl));
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	memcpy(name, PREFIX, strlen(PREFIX));
	memset(limit, '7', sizeof(limit) - 1);
	limit[sizeof(limit) - 1] = '\0';
	s = POOL_SPEC(name, TYPES_CHEAP, 2);
	s.memory_max = s.pids_max = s.cpu_max = limit;
	ret = pool_new(&nl, &s, &reply, &ack);
	ASSERT_EQ(0, ret) {
		TH_LOG("a name of %d characters, limits of %d: %s (%s)",
		       NSCTL_POOL_NAME_MAX, NSCTL_POOL_LIMIT_MAX, strerror(-ret), ack.msg);
	}
	expect_spec(_metadata, &reply, &s, 1);
	ASSERT_EQ(0, pool_get(&nl, name, &reply, &ack));
	expect_spec(_metadata, &reply, &s, 1);
	pools_line(name, line, sizeof(line));
	ASSERT_EQ(0, strncmp(line, name, strlen(name)));
	ASSERT_EQ(0, pool_del(&nl, name, &ack));
	nl_close(&nl);
}

/*
 * Malformed requests: each refused with its errno and an extended ack
 * that says why (naming the attribute where the policy refuses it);
 * nothing made, nothing announced.
 */
TEST(malformed_requests_refused)
{
	char name[64], other[64], longname[NSCTL_POOL_NAME_MAX + 2], before[1 << 14],
	     after[1 << 14], limit[NSCTL_POOL_LIMIT_MAX + 2];
	static const char * const bad_names[] = { "", ".hidden", "a/b", "a~b", "-x", "a b" };
	struct pool_spec s;
	struct msgs l = { 0 };
	struct nl_ack ack;
	struct nl_req r;
	struct nl nl, ev;
	unsigned int i;
	size_t off;
	int ret;

	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, ev_open(&ev));
	mkname(name, sizeof(name), "mf");
	mkname(other, sizeof(other), "mf-exists");
	ASSERT_EQ(0, pool_make(&nl, other, TYPES_CHEAP, 2, -1));
	ASSERT_EQ(0, ev_sync(&ev, NULL));
	ASSERT_GE(read_pools_file(before, sizeof(before)), 0);

	/* NEW_POOL without a name, types or size. */
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_POOL, NLM_F_ACK);
	nl_put_u64(&r, NSCTL_A_POOL_TYPES, TYPES_CHEAP);
	nl_put_u32(&r, NSCTL_A_POOL_SIZE, 1);
	ret = nl_transact(&nl, &r, NULL, NULL, &ack);
	REFUSED_MISSING(EINVAL, ret, ack, NSCTL_A_POOL_NAME);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_POOL, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_POOL_NAME, name);
	nl_put_u32(&r, NSCTL_A_POOL_SIZE, 1);
	ret = nl_transact(&nl, &r, NULL, NULL, &ack);
	REFUSED_MISSING(EINVAL, ret, ack, NSCTL_A_POOL_TYPES);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_POOL, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_POOL_NAME, name);
	nl_put_u64(&r, NSCTL_A_POOL_TYPES, TYPES_CHEAP);
	ret = nl_transact(&nl, &r, NULL, NULL, &ack);
	REFUSED_MISSING(EINVAL, ret, ack, NSCTL_A_POOL_SIZE);

	/* Names a container could not have; one character too long. */
	for (i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		s = POOL_SPEC(bad_names[i], TYPES_CHEAP, 1);
		ret = pool_new(&nl, &s, NULL, &ack);
		REFUSED(EINVAL, ret, ack);
		if (ret != -EINVAL)
			TH_LOG("the name was \"%s\"", bad_names[i]);
	}
	memset(longname, 'p', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ASSERT_EQ(NSCTL_POOL_NAME_MAX + 1, strlen(longname));
	s = POOL_SPEC(longname, TYPES_CHEAP, 1);
	ret = pool_new(&nl, &s, NULL, &ack);
	REFUSED(ENAMETOOLONG, ret, ack);

	/* Types: none, or bits beyond the known ones. */
	s = POOL_SPEC(name, 0, 1);
	ret = pool_new(&nl, &s, NULL, &ack);
	REFUSED(EINVAL, ret, ack);
	s = POOL_SPEC(name, T(UTS) | NSCTL_NS_BIT(NSCTL_NS_COUNT), 1);
	ret = pool_new(&nl, &s, NULL, &ack);
	REFUSED(EINVAL, ret, ack);
	s = POOL_SPEC(name, T(UTS) | (1ULL << 63), 1);
	ret = pool_new(&nl, &s, NULL, &ack);
	REFUSED(EINVAL, ret, ack);

	/* A size beyond the limit: the policy's range. */
	s = POOL_SPEC(name, TYPES_CHEAP, NSCTL_POOL_SIZE_MAX + 1);
	pool_new_req(&nl, &r, &s);
	REQ_REFUSED_AT(&nl, &r, ERANGE, NLMSG_HDRLEN + GENL_HDRLEN +
		       NLA_HDRLEN + NLA_ALIGN(strlen(name) + 1) + NLA_HDRLEN + 8);
	/* A low mark above the size. */
	s = POOL_SPEC(name, TYPES_CHEAP, 2);
	s.low = 3;
	ret = pool_new(&nl, &s, NULL, &ack);
	REFUSED(EINVAL, ret, ack);
	/* Flags nobody defined. */
	s = POOL_SPEC(name, TYPES_CHEAP, 2);
	s.flags = NSCTL_POOL_FLAGS_ALL + 1;
	ret = pool_new(&nl, &s, NULL, &ack);
	REFUSED(EINVAL, ret, ack);
	s.flags = 1L << 31;
	ret = pool_new(&nl, &s, NULL, &ack);
	REFUSED(EINVAL, ret, ack);
	/* Limit strings one character too long: the policy's length. */
	memset(limit, '9', sizeof(limit) - 1);
	limit[sizeof(limit) - 1] = '\0';
	for (i = 0; i < 3; i++) {
		s = POOL_SPEC(name, TYPES_CHEAP, 2);
		nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_POOL, NLM_F_ACK);
		nl_put_str(&r, NSCTL_A_POOL_NAME, name);
		nl_put_u64(&r, NSCTL_A_POOL_TYPES, TYPES_CHEAP);
		nl_put_u32(&r, NSCTL_A_POOL_SIZE, 2);
		off = nl_put_str(&r, i == 0 ? NSCTL_A_POOL_MEMORY_MAX :
				     i == 1 ? NSCTL_A_POOL_PIDS_MAX : NSCTL_A_POOL_CPU_MAX,
				 limit);
		REQ_REFUSED_AT(&nl, &r, ERANGE, off);
	}

	/*
	 * Attributes a command does not take: strict policies refuse them,
	 * naming the attribute.
	 */
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_POOL, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_POOL_NAME, name);
	nl_put_u64(&r, NSCTL_A_POOL_TYPES, TYPES_CHEAP);
	nl_put_u32(&r, NSCTL_A_POOL_SIZE, 2);
	off = nl_put_str(&r, NSCTL_A_CT_NAME, "container-name");
	REQ_REFUSED_AT(&nl, &r, EINVAL, off);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_POOL, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_POOL_NAME, name);
	nl_put_u64(&r, NSCTL_A_POOL_TYPES, TYPES_CHEAP);
	nl_put_u32(&r, NSCTL_A_POOL_SIZE, 2);
	off = nl_put_u32(&r, NSCTL_A_POOL_READY, 1);
	REQ_REFUSED_AT(&nl, &r, EINVAL, off);
	/* SET_POOL changes no types or flags. */
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_SET_POOL, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_POOL_NAME, other);
	off = nl_put_u64(&r, NSCTL_A_POOL_TYPES, T(NET));
	REQ_REFUSED_AT(&nl, &r, EINVAL, off);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_SET_POOL, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_POOL_NAME, other);
	off = nl_put_u32(&r, NSCTL_A_POOL_FLAGS, NSCTL_POOL_NO_CGROUP);
	REQ_REFUSED_AT(&nl, &r, EINVAL, off);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_DEL_POOL, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_POOL_NAME, other);
	off = nl_put_u32(&r, NSCTL_A_POOL_SIZE, 1);
	REQ_REFUSED_AT(&nl, &r, EINVAL, off);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_POOL, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_POOL_NAME, other);
	off = nl_put_u64(&r, NSCTL_A_CT_ID, 1);
	REQ_REFUSED_AT(&nl, &r, EINVAL, off);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_CLAIM, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_POOL_NAME, other);
	nl_put_str(&r, NSCTL_A_CT_NAME, name);
	off = nl_put_u32(&r, NSCTL_A_CT_ON_EMPTY, NSCTL_ON_EMPTY_DELETE);
	REQ_REFUSED_AT(&nl, &r, EINVAL, off);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_ADD_MEMBER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_POOL_NAME, other);
	off = nl_put_str(&r, NSCTL_A_CT_NAME, name);
	REQ_REFUSED_AT(&nl, &r, EINVAL, off);
	/* Wrong attribute types: a 4-byte types mask, a 2-byte size. */
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_POOL, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_POOL_NAME, name);
	off = nl_put_u32(&r, NSCTL_A_POOL_TYPES, TYPES_CHEAP);
	nl_put_u32(&r, NSCTL_A_POOL_SIZE, 2);
	REQ_REFUSED_AT(&nl, &r, EINVAL, off);
	{
		__u16 two = 2;

		nl_req_init(&r, &nl, nl.family, NSCTL_CMD_NEW_POOL, NLM_F_ACK);
		nl_put_str(&r, NSCTL_A_POOL_NAME, name);
		nl_put_u64(&r, NSCTL_A_POOL_TYPES, TYPES_CHEAP);
		off = nl_put(&r, NSCTL_A_POOL_SIZE, &two, sizeof(two));
		REQ_REFUSED_AT(&nl, &r, EINVAL, off);
	}

	/* The other commands without their name. */
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_POOL, NLM_F_ACK);
	ret = nl_transact(&nl, &r, NULL, NULL, &ack);
	REFUSED_MISSING(EINVAL, ret, ack, NSCTL_A_POOL_NAME);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_SET_POOL, NLM_F_ACK);
	nl_put_u32(&r, NSCTL_A_POOL_SIZE, 1);
	ret = nl_transact(&nl, &r, NULL, NULL, &ack);
	REFUSED_MISSING(EINVAL, ret, ack, NSCTL_A_POOL_NAME);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_DEL_POOL, NLM_F_ACK);
	ret = nl_transact(&nl, &r, NULL, NULL, &ack);
	REFUSED_MISSING(EINVAL, ret, ack, NSCTL_A_POOL_NAME);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_ADD_MEMBER, NLM_F_ACK);
	ret = nl_transact(&nl, &r, NULL, NULL, &ack);
	REFUSED_MISSING(EINVAL, ret, ack, NSCTL_A_POOL_NAME);
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_CLAIM, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, name);
	ret = nl_transact(&nl, &r, NULL, NULL, &ack);
	REFUSED_MISSING(EINVAL, ret, ack, NSCTL_A_POOL_NAME);
	/* A claim without a container name, or with one no container may have. */
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_CLAIM, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_POOL_NAME, other);
	ret = nl_transact(&nl, &r, NULL, NULL, &ack);
	REFUSED_MISSING(EINVAL, ret, ack, NSCTL_A_CT_NAME);
	ret = pool_claim(&nl, other, "a/b", NULL, NULL, NULL, &ack);
	REFUSED(EINVAL, ret, ack);
	/* Pool events are not requests. */
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_POOL_CREATED, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_POOL_NAME, name);
	ret = nl_transact(&nl, &r, NULL, NULL, &ack);
	ASSERT_EQ(-EOPNOTSUPP, ret);

	/* Nothing made, changed or announced. */
	ASSERT_GE(read_pools_file(after, sizeof(after)), 0);
	ASSERT_STREQ(before, after);
	ASSERT_EQ(0, ev_sync(&ev, &l));
	for (i = 0; i < (unsigned int)l.n; i++)
		if (is_pool_event(l.m[i].cmd) || is_ct_event(l.m[i].cmd))
			TH_LOG("event %u about pool \"%s\", container \"%s\"",
			       l.m[i].cmd, l.m[i].pool.name, l.m[i].name);
	ASSERT_EQ(0, count_ct_events(&l) + count_pool_events(&l));
	ASSERT_EQ(0, pool_del(&nl, other, &ack));
	msgs_free(&l);
	nl_close(&ev);
	nl_close(&nl);
}

/*
 * ADD_MEMBER takes exactly the pool's types, a cgroup unless the pool
 * has NSCTL_POOL_NO_CGROUP (and none if it has), up to the size, for a
 * pool that exists; a refused member leaves the pool as it was.
 */
TEST(add_member_refusals)
{
	struct member m, extra, nocg;
	char pool[64], nocgp[64], unknown[64];
	struct nl_msg reply;
	struct nl_ack ack;
	struct nl nl;
	int ret;

	ASSERT_EQ(0, nl_open(&nl));
	mkname(pool, sizeof(pool), "add");
	mkname(nocgp, sizeof(nocgp), "add-nocg");
	mkname(unknown, sizeof(unknown), "add-none");
	ASSERT_EQ(0, pool_make(&nl, pool, T(UTS) | T(NET), 1, -1));
	ASSERT_EQ(0, pool_make(&nl, nocgp, T(UTS) | T(NET), 1, NSCTL_POOL_NO_CGROUP));
	ASSERT_EQ(0, member_start(&m, T(UTS) | T(NET), true, pool));
	ASSERT_EQ(0, member_start(&extra, T(UTS) | T(NET) | T(IPC), true, pool));

	/* Fewer types, more types. */
	ret = member_add_as(&nl, pool, &m, T(UTS), true, NULL, &ack);
	REFUSED(EINVAL, ret, ack);
	ret = member_add_as(&nl, pool, &m, T(NET), true, NULL, &ack);
	REFUSED(EINVAL, ret, ack);
	ret = member_add_as(&nl, pool, &extra, extra.types, true, NULL, &ack);
	REFUSED(EINVAL, ret, ack);
	/* No cgroup; a cgroup for a pool whose members hold none. */
	ret = member_add_as(&nl, pool, &m, m.types, false, NULL, &ack);
	REFUSED(EINVAL, ret, ack);
	ret = member_add_as(&nl, nocgp, &m, m.types, true, NULL, &ack);
	REFUSED(EINVAL, ret, ack);
	/* No such pool. */
	ret = member_add(&nl, unknown, &m, NULL, &ack);
	ASSERT_EQ(-ENOENT, ret);
	EXPECT_POOL(&nl, pool, 0, 0, 0, 0, 0);
	EXPECT_POOL(&nl, nocgp, 0, 0, 0, 0, 0);

	/* As it should be: the reply is the pool's message. */
	ret = member_add(&nl, pool, &m, &reply, &ack);
	ASSERT_EQ(0, ret) {
		TH_LOG("ADD_MEMBER: %s (%s)", strerror(-ret), ack.msg);
	}
	ASSERT_EQ(NSCTL_CMD_GET_POOL, reply.cmd);
	ASSERT_STREQ(pool, reply.pool.name);
	expect_counts(_metadata, &reply, 1, 0, 1, 0, 0);
	/* Full. */
	extra.types = m.types;
	ret = member_add_as(&nl, pool, &extra, m.types, true, NULL, &ack);
	REFUSED(ENOSPC, ret, ack);
	EXPECT_POOL(&nl, pool, 1, 0, 1, 0, 0);
	/* Without a cgroup where none is wanted. */
	ASSERT_EQ(0, member_start(&nocg, T(UTS) | T(NET), false, nocgp));
	ret = member_add(&nl, nocgp, &nocg, &reply, &ack);
	ASSERT_EQ(0, ret) {
		TH_LOG("ADD_MEMBER without a cgroup: %s (%s)", strerror(-ret), ack.msg);
	}
	expect_counts(_metadata, &reply, 1, 0, 1, 0, 0);
	ASSERT_EQ(0, reply.pool.nmembers);

	member_end(&m);
	member_end(&extra);
	member_end(&nocg);
	ASSERT_EQ(0, pool_del(&nl, pool, &ack));
	ASSERT_EQ(0, pool_del(&nl, nocgp, &ack));
	/* A pool that is gone takes no member. */
	ASSERT_EQ(0, member_start(&nocg, T(UTS) | T(NET), false, nocgp));
	ASSERT_EQ(-ENOENT, member_add(&nl, nocgp, &nocg, NULL, &ack));
	member_end(&nocg);
	member_rmcg(&m);
	member_rmcg(&extra);
	nl_close(&nl);
}

/*
 * A member is an unpublished container: not in the filesystem, not in
 * the container dump, announced by no event, and its namespaces name no
 * holder (NS_INFO, GET_NS, the "namespaces" file).  GET_POOL lists its
 * cgroup.
 */
TEST(member_is_invisible)
{
	char pool[64], holders[256], *ls_before, *ls_after;
	struct msgs l = { 0 }, cts = { 0 };
	struct nsctl_ns_info info;
	struct nl_msg reply, ns;
	int n_before, i, ret;
	struct nl_ack ack;
	struct nl nl, ev;
	struct member m;
	time_t t0;

	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, ev_open(&ev));
	mkname(pool, sizeof(pool), "hidden");
	ASSERT_EQ(0, pool_make(&nl, pool, TYPES_FULL, 1, -1));
	ASSERT_EQ(0, ev_sync(&ev, NULL));
	ls_before = listing();
	ASSERT_EQ(0, dump(&nl, NSCTL_CMD_GET_CONTAINER, &cts));
	n_before = cts.n;

	t0 = time(NULL);
	ASSERT_EQ(0, member_start(&m, TYPES_FULL, true, pool));
	ret = member_add(&nl, pool, &m, NULL, &ack);
	ASSERT_EQ(0, ret) {
		TH_LOG("ADD_MEMBER: %s (%s)", strerror(-ret), ack.msg);
	}

	/* Its namespaces name no container, by any way of asking. */
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (m.fds[i] < 0)
			continue;
		ASSERT_EQ(0, ns_info(m.fds[i], &info, NULL, 0));
		EXPECT_EQ(0, info.containers_count) {
			TH_LOG("the member's %s namespace has holders", type_names[i]);
		}
	}
	ASSERT_EQ(0, get_ns(&nl, m.net_uuid, &ns));
	ASSERT_EQ(NSCTL_NS_NET, ns.ns_type);
	ASSERT_EQ(m.inum[NSCTL_NS_NET], ns.ns_inum);
	ASSERT_EQ(0, ns.containers_total);
	ns_file_holders(m.net_uuid, holders, sizeof(holders));
	ASSERT_STREQ("-", holders);
	/* Not in the filesystem, not in the dump. */
	ls_after = listing();
	ASSERT_STREQ(ls_before, ls_after);
	ASSERT_EQ(0, dump(&nl, NSCTL_CMD_GET_CONTAINER, &cts));
	ASSERT_EQ(n_before, cts.n);
	for (i = 0; i < cts.n; i++) {
		ASSERT_NE(m.inum[NSCTL_NS_NET], cts.m[i].ns[NSCTL_NS_NET].inum);
	}
	/* Announced by no container event. */
	ASSERT_EQ(0, ev_sync(&ev, &l));
	ASSERT_EQ(0, count_ct_events(&l));
	/* The pool lists its cgroup, and when it came. */
	ASSERT_EQ(0, pool_get(&nl, pool, &reply, &ack));
	expect_counts(_metadata, &reply, 1, 0, 1, 0, 0);
	ASSERT_EQ(1, reply.pool.nmembers);
	ASSERT_EQ(m.cgid, reply.pool.member_cgroups[0]);
	ASSERT_TRUE(reply.pool.has_oldest);
	ASSERT_LE(t0, reply.pool.oldest);
	ASSERT_GE(time(NULL), reply.pool.oldest);
	/* The dump does not list members. */
	ASSERT_EQ(0, dump(&nl, NSCTL_CMD_GET_POOL, &l));
	ASSERT_NE(NULL, find_pool(&l, pool));
	ASSERT_EQ(0, find_pool(&l, pool)->pool.nmembers);

	member_end(&m);
	ASSERT_EQ(0, pool_del(&nl, pool, &ack));
	member_rmcg(&m);
	free(ls_before);
	free(ls_after);
	msgs_free(&l);
	msgs_free(&cts);
	nl_close(&ev);
	nl_close(&nl);
}

/*
 * In a child: enter container @name (NSCTL_IOC_ENTER), switch to every
 * namespace handed out and check each against member @m's; for pid, in a
 * process forked there, which must be the namespace's init and in
 * @pid_inum.  Writes a byte to @res (0: as expected, else where it went
 * wrong); the last process waits for a byte on @go before it exits.
 */
static void __attribute__((noreturn))
enter_child(const char *name, const struct member *m, __u32 pid_inum, int res, int go)
{
	struct nsctl_enter e = { 0 };
	char path[300], c = 0, x;
	int dirfd, i;
	pid_t pid;

	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", name);
	dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0 || ioctl(dirfd, NSCTL_IOC_ENTER, &e))
		c = 1;
	else if (e.entered != m->types)
		c = 2;
	for (i = 0; !c && i < NSCTL_NS_COUNT; i++)
		if (e.fds[i] >= 0 && setns(e.fds[i], 0))
			c = 3;
	for (i = 0; !c && i < NSCTL_NS_COUNT; i++)
		if ((m->types & NSCTL_NS_BIT(i)) && i != NSCTL_NS_PID &&
		    self_ns(type_names[i]) != m->inum[i])
			c = 10 + i;
	if (c || !(m->types & T(PID))) {
		if (write(res, &c, 1) != 1)
			_exit(1);
		while (read(go, &x, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	pid = fork();
	if (pid == 0) {
		c = getpid() == 1 && self_ns("pid") == pid_inum ? 0 : 20;
		if (write(res, &c, 1) != 1)
			_exit(1);
		while (read(go, &x, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	if (pid < 0) {
		c = 21;
		if (write(res, &c, 1) != 1)
			_exit(1);
	}
	waitpid(pid, NULL, 0);
	_exit(0);
}

/*
 * Enter @name from a child and check it holds member @m's namespaces;
 * with a pid type, the container's PID namespace then has a running
 * init until the child is released, which ends it.
 */
static void expect_enters(struct __test_metadata *_metadata, const char *name,
			  const struct member *m, __u32 pid_inum)
{
	int res[2], go[2], status;
	char c = 99, v[32];
	pid_t pid;

	ASSERT_EQ(0, pipe2(res, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		close(res[0]);
		close(go[1]);
		enter_child(name, m, pid_inum, res[1], go[0]);
	}
	close(res[1]);
	close(go[0]);
	ASSERT_EQ(1, read(res[0], &c, 1));
	EXPECT_EQ(0, c) {
		TH_LOG("entering %s: step %d failed (1: ENTER, 2: types to switch, 3: setns, 10+type: not the member's namespace, 20: not init of its PID namespace)",
		       name, c);
	}
	if (m->types & T(PID)) {
		ASSERT_EQ(0, ct_stat_field(name, "pid_init", v, sizeof(v)));
		EXPECT_STREQ("running", v);
	}
	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	close(res[0]);
	close(go[1]);
}

static const char * const claim_labels[] = { "team=db", "request=42", NULL };

/*
 * A claim hands out the oldest member as an ordinary container: named,
 * with the UUID asked for, the template's policies and labels then the
 * request's, the member's namespaces and cgroup; in the filesystem and the
 * dump, announced once, enterable, its namespaces now naming it.  The
 * pool counts it; once empty, a claim is refused with EAGAIN and counted
 * as missed.
 */
TEST(claim_publishes_the_oldest_member)
{
	char pool[64], name[64], second[64], third[64], buf[512], want[512], u[37];
	struct nl_msg reply, got, ns, ev_created, emptied;
	struct msgs l = { 0 }, cts = { 0 };
	struct member m1, m2;
	struct pool_spec s;
	struct nl_ack ack;
	struct nl nl, ev;
	__u8 uuid[16];
	time_t t0, t1;
	int i, ret;
	bool found;

	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, ev_open(&ev));
	mkname(pool, sizeof(pool), "claim");
	mkname(name, sizeof(name), "claimed1");
	mkname(second, sizeof(second), "claimed2");
	mkname(third, sizeof(third), "claimed3");
	s = POOL_SPEC(pool, TYPES_FULL, 2);
	s.on_empty = NSCTL_ON_EMPTY_NOTIFY;
	s.labels = tmpl_labels;
	ASSERT_EQ(0, pool_new(&nl, &s, NULL, &ack));
	fill_one(_metadata, &nl, pool, TYPES_FULL, true, &m1);
	fill_one(_metadata, &nl, pool, TYPES_FULL, true, &m2);
	ASSERT_EQ(0, ev_sync(&ev, NULL));

	for (i = 0; i < 16; i++)
		uuid[i] = 0xa0 + i;
	uuid[6] = 0x40 | (uuid[6] & 0x0f);
	uuid[8] = 0x80 | (uuid[8] & 0x3f);
	t0 = time(NULL);
	ret = pool_claim(&nl, pool, name, uuid, claim_labels, &reply, &ack);
	t1 = time(NULL);
	ASSERT_EQ(0, ret) {
		TH_LOG("CLAIM: %s (%s)", strerror(-ret), ack.msg);
	}

	/* The reply: a container message, as a create's. */
	ASSERT_EQ(NSCTL_CMD_NEW_CONTAINER, reply.cmd);
	ASSERT_STREQ(name, reply.name);
	ASSERT_TRUE(reply.has_id && reply.has_gen && reply.has_ct_uuid && reply.has_created);
	ASSERT_EQ(0, memcmp(uuid, reply.uuid, 16));
	ASSERT_LE(t0, reply.created);
	ASSERT_GE(t1, reply.created);
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		ASSERT_EQ(!!(TYPES_FULL & NSCTL_NS_BIT(i)), reply.ns[i].present) {
			TH_LOG("%s slot", type_names[i]);
		}
		/* The oldest member's namespaces. */
		if (m1.inum[i]) {
			ASSERT_EQ(m1.inum[i], reply.ns[i].inum) {
				TH_LOG("%s namespace", type_names[i]);
			}
		}
	}
	ASSERT_EQ(0, memcmp(m1.net_uuid, reply.ns[NSCTL_NS_NET].uuid, 16));
	ASSERT_TRUE(reply.has_pid_init);
	ASSERT_EQ(NSCTL_PID_INIT_NONE, reply.pid_init);
	ASSERT_TRUE(reply.has_cgroup_id);
	ASSERT_EQ(m1.cgid, reply.cgroup_id);
	ASSERT_TRUE(reply.has_on_empty && reply.has_enter_policy);
	ASSERT_EQ(NSCTL_ON_EMPTY_NOTIFY, reply.on_empty);
	ASSERT_EQ(NSCTL_ENTER_POLICY_ALLOW, reply.enter_policy);
	/* Template labels, then the request's, in key order. */
	ASSERT_STREQ("request=42\nteam=db\ntier=gold\n", reply.labels);

	/* The filesystem says the same. */
	ASSERT_EQ(reply.id, ct_read_u64(name, "id"));
	ASSERT_EQ(reply.gen, ct_read_u64(name, "generation"));
	ASSERT_GT(ct_read(name, "uuid", buf, sizeof(buf)), 0);
	ASSERT_STREQ(uuid_str(uuid, u), strtok(buf, "\n"));
	ASSERT_GT(ct_read(name, "labels", buf, sizeof(buf)), 0);
	ASSERT_STREQ("request=42\nteam=db\ntier=gold\n", buf);
	ASSERT_GT(ct_read(name, "on_empty", buf, sizeof(buf)), 0);
	ASSERT_STREQ("notify\n", buf);
	ASSERT_GT(ct_read(name, "enter", buf, sizeof(buf)), 0);
	ASSERT_STREQ("allow\n", buf);
	ASSERT_GT(ct_read(name, "cgroup", buf, sizeof(buf)), 0);
	snprintf(want, sizeof(want), "%s\n", m1.cgpath + strlen(CGROUP_ROOT));
	ASSERT_STREQ(want, buf);
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		ASSERT_EQ(reply.ns[i].present ? reply.ns[i].inum : 0, ct_ns_inum(name, i));
	}
	ASSERT_EQ(0, dump(&nl, NSCTL_CMD_GET_CONTAINER, &cts));
	found = false;
	for (i = 0; i < cts.n; i++)
		if (!strcmp(cts.m[i].name, name)) {
			found = true;
			ASSERT_EQ(reply.id, cts.m[i].id);
			ASSERT_EQ(m1.inum[NSCTL_NS_NET], cts.m[i].ns[NSCTL_NS_NET].inum);
		}
	ASSERT_TRUE(found);
	/* Its namespaces name it now. */
	ASSERT_EQ(0, get_ns(&nl, m1.net_uuid, &ns));
	ASSERT_EQ(1, ns.containers_total);
	ASSERT_EQ(reply.id, ns.containers[0]);
	ns_file_holders(m1.net_uuid, buf, sizeof(buf));
	snprintf(want, sizeof(want), "%llu", (unsigned long long)reply.id);
	ASSERT_STREQ(want, buf);

	/* One CONTAINER_CREATED, as the reply says. */
	ASSERT_EQ(0, ev_sync(&ev, &l));
	ASSERT_EQ(1, count_ct_events(&l));
	ASSERT_EQ(1, count_events(&l, NSCTL_CMD_CONTAINER_CREATED, name));
	for (i = 0; i < l.n; i++)
		if (l.m[i].cmd == NSCTL_CMD_CONTAINER_CREATED)
			ev_created = l.m[i];
	ASSERT_EQ(reply.id, ev_created.id);
	ASSERT_EQ(reply.gen, ev_created.gen);
	ASSERT_EQ(0, memcmp(uuid, ev_created.uuid, 16));
	ASSERT_EQ(m1.inum[NSCTL_NS_UTS], ev_created.ns[NSCTL_NS_UTS].inum);

	/* The pool: one fewer ready, one claimed; the other member left. */
	ASSERT_EQ(0, pool_get(&nl, pool, &got, &ack));
	expect_counts(_metadata, &got, 1, 1, 2, 0, 0);
	ASSERT_EQ(1, got.pool.nmembers);
	ASSERT_EQ(m2.cgid, got.pool.member_cgroups[0]);

	/* Enterable, into the member's namespaces. */
	expect_enters(_metadata, name, &m1, reply.ns[NSCTL_NS_PID].inum);
	ASSERT_EQ(reply.gen, ct_read_u64(name, "generation"));
	/* The template's on_empty: its init's end is announced. */
	ASSERT_EQ(0, ev_wait(&ev, NSCTL_CMD_CONTAINER_EMPTIED, name, NULL, &emptied, NULL)) {
		TH_LOG("no CONTAINER_EMPTIED for a claimed container with on_empty notify");
	}
	ASSERT_EQ(reply.id, emptied.id);

	/* The second member, with no UUID asked: a random one, no labels but the template's. */
	ret = pool_claim(&nl, pool, second, NULL, NULL, &reply, &ack);
	ASSERT_EQ(0, ret) {
		TH_LOG("CLAIM: %s (%s)", strerror(-ret), ack.msg);
	}
	ASSERT_EQ(m2.cgid, reply.cgroup_id);
	ASSERT_EQ(m2.inum[NSCTL_NS_NET], reply.ns[NSCTL_NS_NET].inum);
	ASSERT_NE(0, memcmp(uuid, reply.uuid, 16));
	label_lines(tmpl_labels, want, sizeof(want));
	ASSERT_STREQ(want, reply.labels);
	/* Empty: EAGAIN, counted. */
	ret = pool_claim(&nl, pool, third, NULL, NULL, NULL, &ack);
	ASSERT_EQ(-EAGAIN, ret);
	snprintf(buf, sizeof(buf), NSCTL_TEST_ROOT "/%s", third);
	ASSERT_EQ(-1, access(buf, F_OK));
	ASSERT_EQ(0, pool_get(&nl, pool, &got, &ack));
	expect_counts(_metadata, &got, 0, 2, 2, 0, 1);
	ASSERT_EQ(0, got.pool.nmembers);
	pools_line(pool, buf, sizeof(buf));
	expected_line(&got.pool, want, sizeof(want));
	ASSERT_STREQ(want, buf);
	ASSERT_NE(NULL, strstr(buf, " ready=0 claimed=2 added=2 expired=0 missed=1"));

	ASSERT_EQ(0, pool_del(&nl, pool, &ack));
	/* Claimed containers are ordinary ones: deleted as any. */
	ASSERT_EQ(0, ct_remove(name));
	ASSERT_EQ(0, ct_remove(second));
	member_rmcg(&m1);
	member_rmcg(&m2);
	msgs_free(&l);
	msgs_free(&cts);
	nl_close(&ev);
	nl_close(&nl);
}

/*
 * A claim that cannot be made leaves the member in the pool: a taken
 * name or UUID (EEXIST), no such pool (ENOENT); nothing is announced,
 * not even POOL_LOW for a pool that was at its mark and is still there.
 */
TEST(claim_refusals_leave_the_member)
{
	char pool[64], other[64], name[64], unknown[64], path[300];
	struct nl_msg o, reply;
	struct msgs l = { 0 };
	struct nl_ack ack;
	struct nl nl, ev;
	struct member m;
	int fd, ret;

	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, ev_open(&ev));
	mkname(pool, sizeof(pool), "refuse");
	mkname(other, sizeof(other), "refuse-ct");
	mkname(name, sizeof(name), "refuse-new");
	mkname(unknown, sizeof(unknown), "refuse-nopool");
	ASSERT_EQ(0, pool_make(&nl, pool, T(UTS) | T(NET), 2, -1));
	fill_one(_metadata, &nl, pool, T(UTS) | T(NET), true, &m);
	fd = ct_make(other);
	ASSERT_GE(fd, 0);
	close(fd);
	memset(&o, 0, sizeof(o));
	{
		struct nl_req r;

		nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_CONTAINER, NLM_F_ACK);
		nl_put_str(&r, NSCTL_A_CT_NAME, other);
		ASSERT_EQ(0, nl_transact(&nl, &r, reply_cb, &o, &ack));
	}
	ASSERT_EQ(0, ev_sync(&ev, NULL));

	ret = pool_claim(&nl, pool, other, NULL, NULL, NULL, &ack);
	ASSERT_EQ(-EEXIST, ret);
	EXPECT_POOL(&nl, pool, 1, 0, 1, 0, 0);
	ret = pool_claim(&nl, pool, name, o.uuid, NULL, NULL, &ack);
	ASSERT_EQ(-EEXIST, ret);
	EXPECT_POOL(&nl, pool, 1, 0, 1, 0, 0);
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", name);
	ASSERT_EQ(-1, access(path, F_OK));
	ret = pool_claim(&nl, unknown, name, NULL, NULL, NULL, &ack);
	ASSERT_EQ(-ENOENT, ret);
	ASSERT_EQ(-1, access(path, F_OK));
	/* The other container is as it was. */
	ASSERT_EQ(o.id, ct_read_u64(other, "id"));
	ASSERT_EQ(1, ct_read_u64(other, "generation"));
	/*
	 * Nothing announced: no container, and no POOL_LOW (the pool is at
	 * its mark, one ready of size 2, and stayed there).
	 */
	ASSERT_EQ(0, ev_sync(&ev, &l));
	ASSERT_EQ(0, count_ct_events(&l));
	EXPECT_EQ(0, count_events(&l, NSCTL_CMD_POOL_LOW, pool)) {
		TH_LOG("refused claims announced POOL_LOW %d times",
		       count_events(&l, NSCTL_CMD_POOL_LOW, pool));
	}

	/* The member is still there for a claim that can be made. */
	ret = pool_claim(&nl, pool, name, NULL, NULL, &reply, &ack);
	ASSERT_EQ(0, ret) {
		TH_LOG("CLAIM: %s (%s)", strerror(-ret), ack.msg);
	}
	ASSERT_EQ(m.inum[NSCTL_NS_NET], reply.ns[NSCTL_NS_NET].inum);
	EXPECT_POOL(&nl, pool, 0, 1, 1, 0, 0);

	ASSERT_EQ(0, pool_del(&nl, pool, &ack));
	ASSERT_EQ(0, ct_remove(name));
	ASSERT_EQ(0, ct_remove(other));
	member_rmcg(&m);
	msgs_free(&l);
	nl_close(&ev);
	nl_close(&nl);
}

static int enter_refused(void *arg)
{
	struct nsctl_enter e = { 0 };
	char path[300];
	int fd;

	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", (const char *)arg);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	return ioctl(fd, NSCTL_IOC_ENTER, &e) == -1 && errno == EPERM ? 0 : 2;
}

static int no_drop(int unused)
{
	(void)unused;
	return 0;
}

/* A template sealed with enter "deny" seals what is claimed from it. */
TEST(template_enter_deny_seals_claimed_containers)
{
	char pool[64], name[64], buf[64];
	struct nl_msg reply;
	struct pool_spec s;
	struct nl_ack ack;
	struct member m;
	struct nl nl;

	ASSERT_EQ(0, nl_open(&nl));
	mkname(pool, sizeof(pool), "sealed");
	mkname(name, sizeof(name), "sealed-ct");
	s = POOL_SPEC(pool, T(UTS) | T(IPC), 1);
	s.enter = NSCTL_ENTER_POLICY_DENY;
	s.flags = NSCTL_POOL_NO_CGROUP;
	ASSERT_EQ(0, pool_new(&nl, &s, NULL, &ack));
	fill_one(_metadata, &nl, pool, T(UTS) | T(IPC), false, &m);
	ASSERT_EQ(0, pool_claim(&nl, pool, name, NULL, NULL, &reply, &ack));
	ASSERT_EQ(NSCTL_ENTER_POLICY_DENY, reply.enter_policy);
	ASSERT_EQ(NSCTL_ON_EMPTY_IGNORE, reply.on_empty);
	ASSERT_FALSE(reply.has_cgroup_id);
	ASSERT_GT(ct_read(name, "enter", buf, sizeof(buf)), 0);
	ASSERT_STREQ("deny\n", buf);
	ASSERT_EQ(0, run_in_child(no_drop, 0, enter_refused, name));
	ASSERT_EQ(0, pool_del(&nl, pool, &ack));
	ASSERT_EQ(0, ct_remove(name));
	nl_close(&nl);
}

#define RACERS		8
#define RACE_MAX	64

struct racer {
	pthread_t thread;
	pthread_barrier_t *start;
	const char *pool;
	int idx, attempts;
	int ok, again, other, err;
	/* Per successful claim: the namespaces and cgroup handed out. */
	__u32 uts[RACE_MAX], ipc[RACE_MAX];
	__u64 cgid[RACE_MAX];
};

static void *racer_fn(void *arg)
{
	struct racer *r = arg;
	struct nl_msg *reply;
	char name[64], what[32];
	struct nl_ack ack;
	struct nl nl;
	int i, ret;

	reply = malloc(sizeof(*reply));
	ret = nl_open(&nl);
	pthread_barrier_wait(r->start);
	if (ret || !reply) {
		r->other = r->attempts;
		r->err = ret ? ret : -ENOMEM;
		free(reply);
		return NULL;
	}
	for (i = 0; i < r->attempts; i++) {
		snprintf(what, sizeof(what), "race%d-%d", r->idx, i);
		mkname(name, sizeof(name), what);
		ret = pool_claim(&nl, r->pool, name, NULL, NULL, reply, &ack);
		if (ret == 0) {
			if (r->ok < RACE_MAX) {
				r->uts[r->ok] = reply->ns[NSCTL_NS_UTS].inum;
				r->ipc[r->ok] = reply->ns[NSCTL_NS_IPC].inum;
				r->cgid[r->ok] = reply->cgroup_id;
			}
			r->ok++;
		} else if (ret == -EAGAIN) {
			r->again++;
		} else {
			r->other++;
			r->err = ret;
		}
	}
	nl_close(&nl);
	free(reply);
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * Claims racing for a pool's members: each member is handed out once.
 * RACERS threads, each on its own socket, claim twice as many times in
 * all as the pool has members: exactly that many succeed, the rest are
 * EAGAIN, the namespaces and cgroups handed out are the members', each
 * once, and the pool's counters agree.
 */
TEST(claim_race_hands_out_each_member_once)
{
	int M = scaled(RACE_MAX), per, i, j, k, ok = 0, again = 0, removed = 0;
	__u64 want_uts[RACE_MAX], got_uts[RACE_MAX], want_cg[RACE_MAX], got_cg[RACE_MAX];
	__u64 got_ipc[RACE_MAX];
	struct racer *r;
	pthread_barrier_t start;
	struct member m;
	struct nl_ack ack;
	char pool[64], name[64], what[32];
	struct nl nl;

	if (M < 2 * RACERS)
		M = 2 * RACERS;
	per = 2 * M / RACERS;
	ASSERT_EQ(0, nl_open(&nl));
	mkname(pool, sizeof(pool), "race");
	ASSERT_EQ(0, pool_make(&nl, pool, TYPES_CHEAP, M, -1));
	for (i = 0; i < M; i++) {
		fill_one(_metadata, &nl, pool, TYPES_CHEAP, true, &m);
		want_uts[i] = m.inum[NSCTL_NS_UTS];
		want_cg[i] = m.cgid;
	}
	EXPECT_POOL(&nl, pool, M, 0, M, 0, 0);

	r = calloc(RACERS, sizeof(*r));
	ASSERT_NE(NULL, r);
	ASSERT_EQ(0, pthread_barrier_init(&start, NULL, RACERS));
	for (i = 0; i < RACERS; i++) {
		r[i].start = &start;
		r[i].pool = pool;
		r[i].idx = i;
		r[i].attempts = per;
		ASSERT_EQ(0, pthread_create(&r[i].thread, NULL, racer_fn, &r[i]));
	}
	for (i = 0; i < RACERS; i++) {
		ASSERT_EQ(0, pthread_join(r[i].thread, NULL));
	}
	pthread_barrier_destroy(&start);

	for (i = 0, k = 0; i < RACERS; i++) {
		TH_LOG("racer %d: %d claimed, %d EAGAIN", i, r[i].ok, r[i].again);
		EXPECT_EQ(0, r[i].other) {
			TH_LOG("racer %d: %d claims failed otherwise, last %s", i,
			       r[i].other, strerror(-r[i].err));
		}
		ok += r[i].ok;
		again += r[i].again;
		for (j = 0; j < r[i].ok && k < RACE_MAX; j++, k++) {
			got_uts[k] = r[i].uts[j];
			got_ipc[k] = r[i].ipc[j];
			got_cg[k] = r[i].cgid[j];
		}
	}
	ASSERT_EQ(M, ok);
	ASSERT_EQ(RACERS * per - M, again);
	/* Each member once: the handed-out sets are the members'. */
	qsort(want_uts, M, sizeof(__u64), cmp_u64);
	qsort(got_uts, M, sizeof(__u64), cmp_u64);
	qsort(want_cg, M, sizeof(__u64), cmp_u64);
	qsort(got_cg, M, sizeof(__u64), cmp_u64);
	qsort(got_ipc, M, sizeof(__u64), cmp_u64);
	for (i = 0; i < M; i++) {
		ASSERT_EQ(want_uts[i], got_uts[i]);
		ASSERT_EQ(want_cg[i], got_cg[i]);
		if (i) {
			ASSERT_LT(got_ipc[i - 1], got_ipc[i]);
		}
	}
	EXPECT_POOL(&nl, pool, 0, M, M, 0, again);

	ASSERT_EQ(0, pool_del(&nl, pool, &ack));
	for (i = 0; i < RACERS; i++)
		for (j = 0; j < per; j++) {
			snprintf(what, sizeof(what), "race%d-%d", i, j);
			mkname(name, sizeof(name), what);
			if (!ct_remove(name)) {
				removed++;
			} else {
				ASSERT_EQ(ENOENT, errno);
			}
		}
	ASSERT_EQ(M, removed);
	ASSERT_EQ(M, rm_cgroups());
	free(r);
	nl_close(&nl);
}

/* The pool events about @pool in @l, in order, as a string ("CLD"...). */
static void pool_events(const struct msgs *l, const char *pool, char *out, size_t len)
{
	size_t n = 0;
	int i;

	for (i = 0; i < l->n && n + 1 < len; i++) {
		if (!is_pool_event(l->m[i].cmd) || strcmp(l->m[i].pool.name, pool))
			continue;
		out[n++] = l->m[i].cmd == NSCTL_CMD_POOL_CREATED ? 'C' :
			   l->m[i].cmd == NSCTL_CMD_POOL_LOW ? 'L' : 'D';
	}
	out[n] = '\0';
}

/* The last event @cmd about @pool in @l. */
static const struct nl_msg *last_pool_event(const struct msgs *l, __u8 cmd,
					    const char *pool)
{
	const struct nl_msg *m = NULL;
	int i;

	for (i = 0; i < l->n; i++)
		if (l->m[i].cmd == cmd && !strcmp(l->m[i].pool.name, pool))
			m = &l->m[i];
	return m;
}

/*
 * POOL_CREATED when a pool is made, POOL_LOW with it (no member yet) and
 * then only once claims take the ready count below the low-water mark,
 * POOL_DELETED when it goes: each with the pool's message.
 */
TEST(pool_events_created_low_deleted)
{
	char pool[64], name[64], what[32], seen[16];
	const struct nl_msg *e;
	struct msgs l = { 0 };
	struct pool_spec s;
	struct nl_ack ack;
	struct nl nl, ev;
	struct member m;
	int i;

	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, ev_open(&ev));
	mkname(pool, sizeof(pool), "events");
	ASSERT_EQ(0, ev_sync(&ev, NULL));
	s = POOL_SPEC(pool, TYPES_CHEAP, 4);
	s.flags = NSCTL_POOL_NO_CGROUP;
	s.labels = tmpl_labels;
	ASSERT_EQ(0, pool_new(&nl, &s, NULL, &ack));
	ASSERT_EQ(0, ev_sync(&ev, &l));
	pool_events(&l, pool, seen, sizeof(seen));
	ASSERT_STREQ("CL", seen);
	e = last_pool_event(&l, NSCTL_CMD_POOL_CREATED, pool);
	expect_spec(_metadata, e, &s, 2);
	expect_counts(_metadata, e, 0, 0, 0, 0, 0);
	e = last_pool_event(&l, NSCTL_CMD_POOL_LOW, pool);
	expect_spec(_metadata, e, &s, 2);
	expect_counts(_metadata, e, 0, 0, 0, 0, 0);
	ASSERT_TRUE(e->has_seq);

	/* Filling it announces nothing. */
	msgs_free(&l);
	for (i = 0; i < 4; i++)
		fill_one(_metadata, &nl, pool, TYPES_CHEAP, false, &m);
	ASSERT_EQ(0, ev_sync(&ev, &l));
	pool_events(&l, pool, seen, sizeof(seen));
	ASSERT_STREQ("", seen);

	/* Claims: 3 and 2 ready are not below 2; 1 is. */
	for (i = 0; i < 3; i++) {
		snprintf(what, sizeof(what), "low%d", i);
		mkname(name, sizeof(name), what);
		msgs_free(&l);
		ASSERT_EQ(0, pool_claim(&nl, pool, name, NULL, NULL, NULL, &ack));
		ASSERT_EQ(0, ev_sync(&ev, &l));
		pool_events(&l, pool, seen, sizeof(seen));
		ASSERT_EQ(1, count_events(&l, NSCTL_CMD_CONTAINER_CREATED, name));
		if (i < 2) {
			ASSERT_STREQ("", seen) {
				TH_LOG("after claim %d, %d ready", i + 1, 3 - i);
			}
			continue;
		}
		ASSERT_STREQ("L", seen);
		e = last_pool_event(&l, NSCTL_CMD_POOL_LOW, pool);
		ASSERT_EQ(1, e->pool.ready);
		ASSERT_EQ(4, e->pool.added);
		ASSERT_EQ(2, e->pool.low);
		ASSERT_EQ(4, e->pool.size);
	}

	msgs_free(&l);
	ASSERT_EQ(0, pool_del(&nl, pool, &ack));
	ASSERT_EQ(0, ev_sync(&ev, &l));
	pool_events(&l, pool, seen, sizeof(seen));
	ASSERT_STREQ("D", seen);
	e = last_pool_event(&l, NSCTL_CMD_POOL_DELETED, pool);
	ASSERT_EQ(s.types, e->pool.types);
	ASSERT_EQ(4, e->pool.size);
	ASSERT_EQ(3, e->pool.claimed);
	ASSERT_EQ(0, ev.gaps);
	for (i = 0; i < 3; i++) {
		snprintf(what, sizeof(what), "low%d", i);
		mkname(name, sizeof(name), what);
		ASSERT_EQ(0, ct_remove(name));
	}
	msgs_free(&l);
	nl_close(&ev);
	nl_close(&nl);
}

/*
 * SET_POOL announces POOL_LOW when the pool is then below its mark, or
 * below a size that was raised (fillers have room to fill); a change
 * that leaves it at or above its mark with the same size announces
 * nothing.
 */
TEST(set_pool_low_only_below_the_mark_or_a_raised_size)
{
	char pool[64], seen[16];
	const struct nl_msg *e;
	struct msgs l = { 0 };
	struct pool_spec s;
	struct nl_ack ack;
	struct nl nl, ev;
	struct member m;
	int i;

	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, ev_open(&ev));
	mkname(pool, sizeof(pool), "setlow");
	s = POOL_SPEC(pool, TYPES_CHEAP, 4);
	s.low = 1;
	s.flags = NSCTL_POOL_NO_CGROUP;
	ASSERT_EQ(0, pool_new(&nl, &s, NULL, &ack));
	for (i = 0; i < 2; i++)
		fill_one(_metadata, &nl, pool, TYPES_CHEAP, false, &m);
	ASSERT_EQ(0, ev_sync(&ev, NULL));

	/* Two ready, mark 1, size 4: a new age, a mark of 2. */
	ASSERT_EQ(0, pool_set(&nl, pool, -1, -1, 300, NULL, &ack));
	ASSERT_EQ(0, pool_set(&nl, pool, -1, 2, -1, NULL, &ack));
	ASSERT_EQ(0, ev_sync(&ev, &l));
	pool_events(&l, pool, seen, sizeof(seen));
	EXPECT_STREQ("", seen) {
		TH_LOG("POOL_LOW for a pool at or above its mark, its size unchanged");
	}
	/* A raised size: room to fill. */
	msgs_free(&l);
	ASSERT_EQ(0, pool_set(&nl, pool, 6, -1, -1, NULL, &ack));
	ASSERT_EQ(0, ev_sync(&ev, &l));
	pool_events(&l, pool, seen, sizeof(seen));
	ASSERT_STREQ("L", seen);
	e = last_pool_event(&l, NSCTL_CMD_POOL_LOW, pool);
	ASSERT_EQ(6, e->pool.size);
	ASSERT_EQ(2, e->pool.ready);
	/* A mark above the ready count. */
	msgs_free(&l);
	ASSERT_EQ(0, pool_set(&nl, pool, -1, 3, -1, NULL, &ack));
	ASSERT_EQ(0, ev_sync(&ev, &l));
	pool_events(&l, pool, seen, sizeof(seen));
	ASSERT_STREQ("L", seen);
	e = last_pool_event(&l, NSCTL_CMD_POOL_LOW, pool);
	ASSERT_EQ(3, e->pool.low);

	ASSERT_EQ(0, pool_del(&nl, pool, &ack));
	msgs_free(&l);
	nl_close(&ev);
	nl_close(&nl);
}

/* Poll GET_POOL until @pool has @ready members; false when it never does. */
static bool wait_ready(struct nl *nl, const char *pool, __u32 ready, struct nl_msg *last)
{
	struct nl_ack ack;

	return wait_for(pool_get(nl, pool, last, &ack) == 0 && last->pool.ready == ready,
			HANG_MS);
}

/*
 * Members older than the pool's maximum age are released by the kernel:
 * counted as expired, their network namespaces destroyed, and POOL_LOW
 * tells fillers.
 */
TEST(expired_members_are_released)
{
	struct msgs l = { 0 };
	struct member m[2];
	struct nl_msg got, low;
	struct pool_spec s;
	struct nl_ack ack;
	struct nl nl, ev;
	__u8 uuids[2][16];
	char pool[64];
	int i, left;

	ASSERT_EQ(0, nl_open(&nl));
	mkname(pool, sizeof(pool), "expire");
	s = POOL_SPEC(pool, T(UTS) | T(NET), 2);
	s.max_age = 1;
	ASSERT_EQ(0, pool_new(&nl, &s, NULL, &ack));
	/* Listening from here: POOL_LOW at creation is not the one wanted. */
	ASSERT_EQ(0, ev_open(&ev));
	for (i = 0; i < 2; i++)
		fill_one(_metadata, &nl, pool, T(UTS) | T(NET), true, &m[i]);

	ASSERT_TRUE(wait_ready(&nl, pool, 0, &got)) {
		TH_LOG("members of a pool with max_age 1 still ready (%u) after %d s",
		       got.pool.ready, HANG_MS / 1000);
	}
	expect_counts(_metadata, &got, 0, 0, 2, 2, 0);
	ASSERT_EQ(0, got.pool.nmembers);
	/* POOL_LOW for it, once something expired. */
	for (;;) {
		ASSERT_EQ(0, ev_wait(&ev, NSCTL_CMD_POOL_LOW, pool, NULL, &low, &l)) {
			TH_LOG("no POOL_LOW after members expired");
		}
		if (low.pool.expired)
			break;
	}
	ASSERT_LT(low.pool.ready, low.pool.low);
	/* Released: their network namespaces go. */
	for (i = 0; i < 2; i++)
		memcpy(uuids[i], m[i].net_uuid, 16);
	left = wait_destroyed(&ev, &l, uuids, 2);
	ASSERT_EQ(0, left) {
		TH_LOG("%d expired members' network namespaces not destroyed", left);
	}
	ASSERT_EQ(0, pool_del(&nl, pool, &ack));
	member_rmcg(&m[0]);
	member_rmcg(&m[1]);
	msgs_free(&l);
	nl_close(&ev);
	nl_close(&nl);
}

/*
 * SET_POOL: a smaller size releases the newest ready members beyond it,
 * counted as expired; the oldest stay and are claimed first.  A shorter
 * age expires the members older than it at once.
 */
TEST(set_pool_shrinks_and_ages)
{
	char pool[64], name[64];
	struct member m[4], late;
	struct nl_msg reply;
	struct pool_spec s;
	struct nl_ack ack;
	struct nl nl, ev;
	__u8 uuids[2][16];
	__u64 kept[2];
	int i, ret, left;

	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, ev_open(&ev));
	mkname(pool, sizeof(pool), "shrink");
	mkname(name, sizeof(name), "shrink-ct");
	s = POOL_SPEC(pool, T(UTS) | T(NET), 4);
	s.low = 0;
	ASSERT_EQ(0, pool_new(&nl, &s, NULL, &ack));
	for (i = 0; i < 4; i++)
		fill_one(_metadata, &nl, pool, T(UTS) | T(NET), true, &m[i]);

	ret = pool_set(&nl, pool, 2, -1, -1, &reply, &ack);
	ASSERT_EQ(0, ret) {
		TH_LOG("SET_POOL: %s (%s)", strerror(-ret), ack.msg);
	}
	ASSERT_EQ(2, reply.pool.size);
	expect_counts(_metadata, &reply, 2, 0, 4, 2, 0);
	ASSERT_EQ(0, pool_get(&nl, pool, &reply, &ack));
	ASSERT_EQ(2, reply.pool.nmembers);
	kept[0] = reply.pool.member_cgroups[0];
	kept[1] = reply.pool.member_cgroups[1];
	qsort(kept, 2, sizeof(__u64), cmp_u64);
	{
		__u64 oldest[2] = { m[0].cgid, m[1].cgid };

		qsort(oldest, 2, sizeof(__u64), cmp_u64);
		ASSERT_EQ(oldest[0], kept[0]);
		ASSERT_EQ(oldest[1], kept[1]);
	}
	/* The newest two are gone. */
	memcpy(uuids[0], m[2].net_uuid, 16);
	memcpy(uuids[1], m[3].net_uuid, 16);
	left = wait_destroyed(&ev, NULL, uuids, 2);
	ASSERT_EQ(0, left) {
		TH_LOG("%d network namespaces of members beyond the size not destroyed", left);
	}
	/* The oldest is claimed first. */
	ASSERT_EQ(0, pool_claim(&nl, pool, name, NULL, NULL, &reply, &ack));
	ASSERT_EQ(m[0].cgid, reply.cgroup_id);
	ASSERT_EQ(m[0].inum[NSCTL_NS_NET], reply.ns[NSCTL_NS_NET].inum);
	EXPECT_POOL(&nl, pool, 1, 1, 4, 2, 0);

	/*
	 * A member two seconds old, then a maximum age of one second: it
	 * expires, as does the one left from before, without waiting for a
	 * maximum age counted from the change.
	 */
	fill_one(_metadata, &nl, pool, T(UTS) | T(NET), true, &late);
	EXPECT_POOL(&nl, pool, 2, 1, 5, 2, 0);
	sleep(2);
	ret = pool_set(&nl, pool, -1, -1, 1, &reply, &ack);
	ASSERT_EQ(0, ret) {
		TH_LOG("SET_POOL: %s (%s)", strerror(-ret), ack.msg);
	}
	ASSERT_EQ(1, reply.pool.max_age);
	ASSERT_TRUE(wait_ready(&nl, pool, 0, &reply)) {
		TH_LOG("members older than a new max_age of 1 s still ready (%u)",
		       reply.pool.ready);
	}
	expect_counts(_metadata, &reply, 0, 1, 5, 4, 0);
	memcpy(uuids[0], m[1].net_uuid, 16);
	memcpy(uuids[1], late.net_uuid, 16);
	left = wait_destroyed(&ev, NULL, uuids, 2);
	ASSERT_EQ(0, left) {
		TH_LOG("%d network namespaces of expired members not destroyed", left);
	}

	ASSERT_EQ(0, pool_del(&nl, pool, &ack));
	ASSERT_EQ(0, ct_remove(name));
	ASSERT_EQ(5, rm_cgroups());
	nl_close(&ev);
	nl_close(&nl);
}

/*
 * DEL_POOL releases the ready members (their network namespaces are torn
 * down); a container claimed from the pool stays, usable and deletable.
 */
TEST(delete_releases_members_claimed_stay)
{
	char pool[64], name[64];
	struct nl_msg reply, deleted, got;
	struct msgs l = { 0 };
	struct member m[3];
	struct nl_ack ack;
	struct nl nl, ev;
	struct nl_req r;
	__u8 uuids[2][16];
	int i, fd, left;

	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, ev_open(&ev));
	mkname(pool, sizeof(pool), "delete");
	mkname(name, sizeof(name), "delete-ct");
	ASSERT_EQ(0, pool_make(&nl, pool, T(UTS) | T(NET), 3, -1));
	for (i = 0; i < 3; i++)
		fill_one(_metadata, &nl, pool, T(UTS) | T(NET), true, &m[i]);
	ASSERT_EQ(0, pool_claim(&nl, pool, name, NULL, NULL, &reply, &ack));
	ASSERT_EQ(m[0].inum[NSCTL_NS_NET], reply.ns[NSCTL_NS_NET].inum);

	ASSERT_EQ(0, pool_del(&nl, pool, &ack));
	ASSERT_EQ(0, ev_wait(&ev, NSCTL_CMD_POOL_DELETED, pool, NULL, &deleted, &l));
	ASSERT_EQ(1, deleted.pool.claimed);
	ASSERT_EQ(3, deleted.pool.added);
	ASSERT_EQ(-ENOENT, pool_get(&nl, pool, &got, &ack));
	memcpy(uuids[0], m[1].net_uuid, 16);
	memcpy(uuids[1], m[2].net_uuid, 16);
	left = wait_destroyed(&ev, &l, uuids, 2);
	ASSERT_EQ(0, left) {
		TH_LOG("%d network namespaces of released members not destroyed", left);
	}
	for (i = 1; i < 3; i++) {
		ASSERT_EQ(-1, ns_open_uuid(m[i].net_uuid));
		ASSERT_EQ(ESTALE, errno);
	}

	/* The claimed one lives on: its namespace, a lookup, an enter. */
	fd = ns_open_uuid(m[0].net_uuid);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(m[0].inum[NSCTL_NS_NET], fd_ino(fd));
	close(fd);
	memset(&got, 0, sizeof(got));
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, name);
	ASSERT_EQ(0, nl_transact(&nl, &r, reply_cb, &got, &ack));
	ASSERT_EQ(reply.id, got.id);
	ASSERT_EQ(m[0].cgid, got.cgroup_id);
	expect_enters(_metadata, name, &m[0], 0);
	/* Deleted as any container, and its network namespace with it. */
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_DEL_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, name);
	ASSERT_EQ(0, nl_transact(&nl, &r, NULL, NULL, &ack));
	ASSERT_EQ(0, wait_destroyed(&ev, NULL, &m[0].net_uuid, 1));
	ASSERT_EQ(3, rm_cgroups());
	msgs_free(&l);
	nl_close(&ev);
	nl_close(&nl);
}

/* What an unprivileged caller tries, on a pool that exists. */
struct unpriv_ctx {
	const char *pool, *newpool, *ctname;
	const struct member *m;
	struct nl *nl;		/* a socket root opened, or NULL */
};

/* In the caller: 0 when each changing command is refused with EPERM. */
static int changes_refused(struct nl *nl, const struct unpriv_ctx *c)
{
	struct pool_spec s = POOL_SPEC(c->newpool, TYPES_CHEAP, 1);
	struct nl_ack ack;

	if (pool_new(nl, &s, NULL, &ack) != -EPERM || !ack.msg[0])
		return 2;
	if (pool_set(nl, c->pool, 5, -1, -1, NULL, &ack) != -EPERM || !ack.msg[0])
		return 3;
	if (pool_del(nl, c->pool, &ack) != -EPERM || !ack.msg[0])
		return 4;
	if (member_add(nl, c->pool, c->m, NULL, &ack) != -EPERM || !ack.msg[0])
		return 5;
	if (pool_claim(nl, c->pool, c->ctname, NULL, NULL, NULL, &ack) != -EPERM ||
	    !ack.msg[0])
		return 6;
	return 0;
}

/* As nobody: no change allowed, and no pool seen. */
static int unpriv_pools(void *arg)
{
	const struct unpriv_ctx *c = arg;
	struct msgs l = { 0 };
	struct nl_msg reply;
	struct nl_ack ack;
	char buf[4096];
	struct nl nl;
	int ret;

	if (c->nl)
		return changes_refused(c->nl, c) ? 20 : 0;
	if (nl_open(&nl))
		return 1;
	ret = changes_refused(&nl, c);
	if (ret)
		return ret;
	if (pool_get(&nl, c->pool, &reply, &ack) != -ENOENT)
		return 7;
	if (dump(&nl, NSCTL_CMD_GET_POOL, &l) || l.n)
		return 8;
	if (read_pools_file(buf, sizeof(buf)) != 0)
		return 9;
	msgs_free(&l);
	nl_close(&nl);
	return 0;
}

/*
 * Pools are for the full view: nobody is refused every change with EPERM
 * (the extended ack saying why) and sees no pool (GET_POOL ENOENT, an
 * empty dump and "pools" file); nothing changes.  A socket root opened,
 * used after dropping to nobody, is refused as well.
 */
TEST(unprivileged_refused)
{
	char pool[64], newpool[64], ctname[64], before[4096], after[4096], path[300];
	struct unpriv_ctx c;
	struct msgs l = { 0 };
	struct nl_ack ack;
	struct member m, spare;
	struct nl nl, ev;
	int ret;

	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, ev_open(&ev));
	mkname(pool, sizeof(pool), "perm");
	mkname(newpool, sizeof(newpool), "perm-new");
	mkname(ctname, sizeof(ctname), "perm-ct");
	ASSERT_EQ(0, pool_make(&nl, pool, T(UTS) | T(NET), 2, -1));
	fill_one(_metadata, &nl, pool, T(UTS) | T(NET), true, &m);
	/* One nobody would add. */
	ASSERT_EQ(0, member_start(&spare, T(UTS) | T(NET), true, pool));
	ASSERT_EQ(0, ev_sync(&ev, NULL));
	ASSERT_GT(read_pools_file(before, sizeof(before)), 0);

	c = (struct unpriv_ctx){ .pool = pool, .newpool = newpool, .ctname = ctname,
				 .m = &spare };
	ret = run_unprivileged(unpriv_pools, &c);
	ASSERT_EQ(0, ret) {
		TH_LOG("nobody: check %d failed (2-6: a change not refused with EPERM and a message, 7: GET_POOL, 8: dump, 9: pools file)",
		       ret);
	}
	c.nl = &nl;
	ret = run_unprivileged(unpriv_pools, &c);
	ASSERT_EQ(0, ret) {
		TH_LOG("a socket root opened, used by nobody: check %d failed", ret);
	}

	ASSERT_GT(read_pools_file(after, sizeof(after)), 0);
	ASSERT_STREQ(before, after);
	EXPECT_POOL(&nl, pool, 1, 0, 1, 0, 0);
	ASSERT_EQ(-ENOENT, pool_get(&nl, newpool, NULL, &ack));
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", ctname);
	ASSERT_EQ(-1, access(path, F_OK));
	ASSERT_EQ(0, ev_sync(&ev, &l));
	ASSERT_EQ(0, count_ct_events(&l));
	ASSERT_EQ(0, count_events(&l, NSCTL_CMD_POOL_CREATED, newpool));
	ASSERT_EQ(0, count_events(&l, NSCTL_CMD_POOL_DELETED, pool));

	member_end(&spare);
	ASSERT_EQ(0, pool_del(&nl, pool, &ack));
	ASSERT_EQ(2, rm_cgroups());
	msgs_free(&l);
	nl_close(&ev);
	nl_close(&nl);
}

/* As nobody: open a socket of the family and pass it over @arg's socket. */
static int pass_own_socket(void *arg)
{
	int sk = *(int *)arg, fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return 1;
	return send_fd(sk, fd) ? 2 : 0;
}

/*
 * The socket's opener counts as much as the sender: a socket nobody
 * opened, handed to root, carries no right to change pools.
 */
TEST(socket_opened_by_nobody_refused_to_root)
{
	char pool[64], newpool[64], ctname[64], before[4096], after[4096];
	struct unpriv_ctx c;
	struct nl nl, theirs;
	struct nl_ack ack;
	struct member m, spare;
	int sp[2], fd, ret;

	ASSERT_EQ(0, nl_open(&nl));
	mkname(pool, sizeof(pool), "opener");
	mkname(newpool, sizeof(newpool), "opener-new");
	mkname(ctname, sizeof(ctname), "opener-ct");
	ASSERT_EQ(0, pool_make(&nl, pool, T(UTS) | T(NET), 2, -1));
	fill_one(_metadata, &nl, pool, T(UTS) | T(NET), true, &m);
	ASSERT_EQ(0, member_start(&spare, T(UTS) | T(NET), true, pool));
	ASSERT_GT(read_pools_file(before, sizeof(before)), 0);

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp));
	ASSERT_EQ(0, run_unprivileged(pass_own_socket, &sp[1]));
	fd = recv_fd(sp[0]);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, nl_adopt(&theirs, fd));
	theirs.family = nl.family;
	c = (struct unpriv_ctx){ .pool = pool, .newpool = newpool, .ctname = ctname,
				 .m = &spare };
	ret = changes_refused(&theirs, &c);
	ASSERT_EQ(0, ret) {
		TH_LOG("root on nobody's socket: check %d failed (2-6: a change not refused with EPERM and a message)",
		       ret);
	}
	/* Reading through it is root's view. */
	ASSERT_EQ(0, pool_get(&theirs, pool, NULL, &ack));

	ASSERT_GT(read_pools_file(after, sizeof(after)), 0);
	ASSERT_STREQ(before, after);
	EXPECT_POOL(&nl, pool, 1, 0, 1, 0, 0);
	member_end(&spare);
	ASSERT_EQ(0, pool_del(&nl, pool, &ack));
	ASSERT_EQ(2, rm_cgroups());
	close(sp[0]);
	close(sp[1]);
	nl_close(&theirs);
	nl_close(&nl);
}

static void cleanup(void);

/*
 * A pool pins the module as a container does: with no mount left, the
 * unload is refused while the pool exists and goes through once it is
 * deleted.  The module and the mount are put back afterwards.
 */
FIXTURE(unload) {
	int unused;
};

FIXTURE_SETUP(unload)
{
	ASSERT_EQ(0, access(NSCTL_TEST_MODULE, R_OK)) {
		TH_LOG("%m - the VM keeps the module at " NSCTL_TEST_MODULE);
	}
}

FIXTURE_TEARDOWN(unload)
{
	if (!fs_registered(NSCTL_FS_NAME))
		nsctl_load_module();
	if (!nsctl_mounted_at(NSCTL_MOUNT_POINT))
		mount("none", NSCTL_MOUNT_POINT, NSCTL_FS_NAME, 0, NULL);
}

TEST_F(unload, refused_while_a_pool_exists)
{
	struct nl_ack ack;
	char pool[64];
	struct nl nl;

	/* What a failed test left behind would pin the module too. */
	cleanup();
	ASSERT_EQ(0, nl_open(&nl));
	mkname(pool, sizeof(pool), "pin");
	ASSERT_EQ(0, pool_make(&nl, pool, TYPES_CHEAP, 1, NSCTL_POOL_NO_CGROUP));
	if (nsctl_mounted_at(NSCTL_MOUNT_POINT)) {
		ASSERT_EQ(0, umount(NSCTL_MOUNT_POINT));
	}
	ASSERT_EQ(-1, sys_delete_module("nsctl", O_NONBLOCK));
	ASSERT_EQ(EWOULDBLOCK, errno);
	ASSERT_TRUE(fs_registered(NSCTL_FS_NAME));
	ASSERT_EQ(0, pool_get(&nl, pool, NULL, &ack));

	ASSERT_EQ(0, pool_del(&nl, pool, &ack));
	nl_close(&nl);
	/*
	 * Mount namespaces that earlier tests made hold copies of the nsctl
	 * mount until nsctl's collector lets them go.
	 */
	ASSERT_TRUE(wait_for(sys_delete_module("nsctl", O_NONBLOCK) == 0, 30000)) {
		TH_LOG("%m - delete_module with no pool and nothing mounted");
	}
	ASSERT_FALSE(fs_registered(NSCTL_FS_NAME));
	ASSERT_EQ(0, nsctl_load_module()) {
		TH_LOG("%m - reloading " NSCTL_TEST_MODULE);
	}
	ASSERT_EQ(0, mount("none", NSCTL_MOUNT_POINT, NSCTL_FS_NAME, 0, NULL));
}

/*
 * A failed test stops at its assertion: remove what any test of this
 * program left behind (every name it uses starts with PREFIX): pools,
 * containers (emptied first, in case one holds this process's own
 * namespaces), then cgroups.
 */
static void cleanup(void)
{
	struct msgs l = { 0 };
	struct dirent *de;
	char path[300];
	struct nl nl;
	DIR *d;
	int i;

	if (!nl_open(&nl)) {
		if (!dump(&nl, NSCTL_CMD_GET_POOL, &l))
			for (i = 0; i < l.n; i++)
				if (!strncmp(l.m[i].pool.name, PREFIX, strlen(PREFIX)))
					pool_del(&nl, l.m[i].pool.name, NULL);
		msgs_free(&l);
		nl_close(&nl);
	}
	d = opendir(NSCTL_TEST_ROOT);
	while (d && (de = readdir(d))) {
		int fd;

		if (strncmp(de->d_name, PREFIX, strlen(PREFIX)))
			continue;
		snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", de->d_name);
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			ct_set_ns(fd, 0, NULL, NSCTL_NS_ALL, NULL);
			close(fd);
		}
		rmdir(path);
	}
	if (d)
		closedir(d);
	d = opendir(CGROUP_ROOT);
	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, PREFIX, strlen(PREFIX)))
			continue;
		snprintf(path, sizeof(path), CGROUP_ROOT "/%s", de->d_name);
		rmdir(path);
	}
	if (d)
		closedir(d);
}

static pid_t main_pid;

/* The harness exits when its tests are done: clean up then. */
static void cleanup_at_exit(void)
{
	if (getpid() == main_pid)
		cleanup();
}

int main(int argc, char **argv)
{
	main_pid = getpid();
	atexit(cleanup_at_exit);
	return test_harness_run(argc, argv);
}
