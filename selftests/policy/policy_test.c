// SPDX-License-Identifier: GPL-2.0
/*
 * A container's policy files (on_empty, enter) and its external view of
 * the UTS and IPC namespaces it holds (hostname, domainname, ipc), with the
 * events they cause: CHANGED with NSCTL_CHANGED_POLICY, EMPTIED and the
 * DELETED of an on_empty "delete".
 *
 * Saying "no event" needs a point at which the event would have arrived:
 * events carry sequence numbers and are sent in order, so a test makes a
 * marker event after the action and reads up to it.  A policy write, mkdir
 * and rmdir announce themselves before the system call returns; EMPTIED
 * is sent from nsctl's work item after the init's exit, so the marker for
 * it is another container's EMPTIED, caused after the first init was
 * reaped.
 */
#include <dirent.h>
#include <poll.h>
#include <pthread.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/utsname.h>
#include <linux/capability.h>
#include <linux/userfaultfd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "nsctl_test.h"

/* Bounds a hang on a missing event; nothing is timed. */
#define EV_HANG_MS	60000
#define EV_LOG_MAX	64

/* A socket on the "events" group of the nsctl family. */
struct evs {
	int fd;
	__u16 family;
	__u64 last_seq;
	char buf[65536];
	size_t len, off;
};

/* What the tests look at in an event. */
struct ev {
	__u8 cmd;
	__u64 seq;
	bool has_id;
	__u64 id;
	bool has_uuid;
	__u8 uuid[16];
	bool has_gen;
	__u64 gen;
	bool has_changed;
	__u64 changed;
	bool has_pid_init;
	__u32 pid_init;
	bool has_on_empty;
	__u32 on_empty;
	bool has_enter;
	__u32 enter;
	char name[NSCTL_NAME_MAX + 1];
	unsigned int ns_nests;
};

struct ev_log {
	struct ev ev[EV_LOG_MAX];
	unsigned int n;
};

#define for_each_nlattr(a, start, total)				\
	for (a = (struct nlattr *)(start);				\
	     (char *)(a) + NLA_HDRLEN <= (char *)(start) + (total) &&	\
	     (a)->nla_len >= NLA_HDRLEN &&				\
	     (char *)(a) + (a)->nla_len <= (char *)(start) + (total);	\
	     a = (struct nlattr *)((char *)(a) + NLA_ALIGN((a)->nla_len)))

static void *nla_data(struct nlattr *a)
{
	return (char *)a + NLA_HDRLEN;
}

static int nla_len(struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

/* The id of "events" among the mcast groups of a CTRL_CMD_GETFAMILY reply. */
static __u32 events_group(struct nlattr *groups)
{
	struct nlattr *g, *a;
	__u32 id = 0;

	for_each_nlattr(g, nla_data(groups), nla_len(groups)) {
		const char *name = NULL;
		__u32 gid = 0;

		for_each_nlattr(a, nla_data(g), nla_len(g)) {
			if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GRP_NAME)
				name = nla_data(a);
			else if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GRP_ID)
				gid = *(__u32 *)nla_data(a);
		}
		if (name && !strcmp(name, NSCTL_GENL_MCGRP_EVENTS))
			id = gid;
	}
	return id;
}

/* Open @s: resolve the family, join its events group; 0 or -errno. */
static int evs_open(struct evs *s)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char attrs[32];
	} req;
	struct nlattr *a = (struct nlattr *)req.attrs;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int rcvbuf = 1 << 20, len, ret;
	struct nlmsghdr *h;
	__u32 grp = 0;

	memset(s, 0, sizeof(*s));
	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s->fd < 0)
		return -errno;
	setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));

	memset(&req, 0, sizeof(req));
	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(NSCTL_GENL_NAME);
	memcpy(nla_data(a), NSCTL_GENL_NAME, sizeof(NSCTL_GENL_NAME));
	req.n.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(a->nla_len);
	req.n.nlmsg_type = GENL_ID_CTRL;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.n.nlmsg_seq = 1;
	req.g.cmd = CTRL_CMD_GETFAMILY;
	req.g.version = 1;
	if (sendto(s->fd, &req, req.n.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		goto err;
	len = recv(s->fd, s->buf, sizeof(s->buf), 0);
	if (len < 0)
		goto err;
	h = (struct nlmsghdr *)s->buf;
	if (!NLMSG_OK(h, (unsigned int)len)) {
		errno = EPROTO;
		goto err;
	}
	if (h->nlmsg_type == NLMSG_ERROR) {
		errno = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
		goto err;
	}
	for_each_nlattr(a, (char *)NLMSG_DATA(h) + GENL_HDRLEN,
			h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN) {
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID)
			s->family = *(__u16 *)nla_data(a);
		else if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS)
			grp = events_group(a);
	}
	if (!s->family || !grp) {
		errno = ENOENT;
		goto err;
	}
	if (setsockopt(s->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
		       sizeof(grp)))
		goto err;
	return 0;
err:
	ret = -errno;
	close(s->fd);
	s->fd = -EBADF;
	return ret;
}

static void evs_close(struct evs *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -EBADF;
}

static void ev_parse(struct nlmsghdr *h, struct ev *e)
{
	struct genlmsghdr *g = NLMSG_DATA(h);
	struct nlattr *a;

	memset(e, 0, sizeof(*e));
	e->cmd = g->cmd;
	for_each_nlattr(a, (char *)g + GENL_HDRLEN,
			h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN) {
		void *d = nla_data(a);

		switch (a->nla_type & NLA_TYPE_MASK) {
		case NSCTL_A_EVENT_SEQ:
			memcpy(&e->seq, d, 8);
			break;
		case NSCTL_A_CT_ID:
			e->has_id = true;
			memcpy(&e->id, d, 8);
			break;
		case NSCTL_A_CT_UUID:
			e->has_uuid = nla_len(a) == 16;
			memcpy(e->uuid, d, 16);
			break;
		case NSCTL_A_CT_NAME:
			snprintf(e->name, sizeof(e->name), "%.*s", nla_len(a),
				 (char *)d);
			break;
		case NSCTL_A_CT_GENERATION:
			e->has_gen = true;
			memcpy(&e->gen, d, 8);
			break;
		case NSCTL_A_CT_CHANGED:
			e->has_changed = true;
			memcpy(&e->changed, d, 8);
			break;
		case NSCTL_A_CT_PID_INIT:
			e->has_pid_init = true;
			memcpy(&e->pid_init, d, 4);
			break;
		case NSCTL_A_CT_ON_EMPTY:
			e->has_on_empty = true;
			memcpy(&e->on_empty, d, 4);
			break;
		case NSCTL_A_CT_ENTER_POLICY:
			e->has_enter = true;
			memcpy(&e->enter, d, 4);
			break;
		case NSCTL_A_CT_NS:
			e->ns_nests++;
			break;
		}
	}
}

/*
 * The next event; 0, or -errno: -EPIPE for a gap in the sequence numbers
 * or -ENOBUFS for an overrun (events were lost: no conclusion possible),
 * -ETIME when none came.
 */
static int ev_next(struct evs *s, struct ev *e)
{
	struct nlmsghdr *h;

	for (;;) {
		if (s->off >= s->len) {
			struct pollfd p = { .fd = s->fd, .events = POLLIN };
			ssize_t n;
			int r;

			r = poll(&p, 1, EV_HANG_MS);
			if (r == 0)
				return -ETIME;
			if (r < 0)
				return -errno;
			n = recv(s->fd, s->buf, sizeof(s->buf), 0);
			if (n < 0)
				return -errno;
			s->len = n;
			s->off = 0;
		}
		h = (struct nlmsghdr *)(s->buf + s->off);
		if (!NLMSG_OK(h, s->len - s->off)) {
			s->off = s->len;
			continue;
		}
		s->off += NLMSG_ALIGN(h->nlmsg_len);
		if (h->nlmsg_type != s->family)
			continue;
		ev_parse(h, e);
		if (!e->seq)
			return -EPROTO;
		if (s->last_seq && e->seq != s->last_seq + 1)
			return -EPIPE;
		s->last_seq = e->seq;
		return 0;
	}
}

/* Read events into @log until one of @cmd for container @id; 0 or -errno. */
static int ev_until(struct evs *s, __u8 cmd, __u64 id, struct ev_log *log,
		    struct ev *found)
{
	struct ev e;
	int ret;

	for (;;) {
		ret = ev_next(s, &e);
		if (ret)
			return ret;
		if (e.cmd == cmd && e.has_id && e.id == id) {
			if (found)
				*found = e;
			return 0;
		}
		if (log->n < EV_LOG_MAX)
			log->ev[log->n++] = e;
		else
			return -E2BIG;
	}
}

static unsigned int ev_count(const struct ev_log *log, __u8 cmd, __u64 id)
{
	unsigned int i, n = 0;

	for (i = 0; i < log->n; i++)
		n += log->ev[i].cmd == cmd && log->ev[i].id == id;
	return n;
}

/* For failure messages: what was read. */
static void ev_log_dump(struct __test_metadata *_metadata,
			const struct ev_log *log)
{
	unsigned int i;

	for (i = 0; i < log->n; i++)
		TH_LOG("event %llu: cmd %u id %llu gen %llu changed %#llx on_empty %u enter %u",
		       (unsigned long long)log->ev[i].seq, log->ev[i].cmd,
		       (unsigned long long)log->ev[i].id,
		       (unsigned long long)log->ev[i].gen,
		       (unsigned long long)log->ev[i].changed,
		       log->ev[i].on_empty, log->ev[i].enter);
}

static unsigned int marker_seq;

/*
 * Every event caused so far is in @log once this returns 0: a marker
 * container is made and deleted, whose DELETED is sent from rmdir(2).
 */
static int ev_sync(struct evs *s, struct ev_log *log)
{
	char name[64];
	__u64 id;
	int fd;

	snprintf(name, sizeof(name), "pol-mark%d-%u", getpid(), ++marker_seq);
	fd = ct_make(name);
	if (fd < 0)
		return -errno;
	close(fd);
	id = ct_read_u64(name, "id");
	if (ct_remove(name))
		return -errno;
	return ev_until(s, NSCTL_CMD_CONTAINER_DELETED, id, log, NULL);
}

/* PID namespaces and their inits. */

/* Fill @dirfd's pid slot with a fresh PID namespace that has no process. */
static int attach_fresh_pidns(int dirfd)
{
	struct nsctl_set_ns a = {
		.flags = NSCTL_SET_NS_PID_OF_TASK,
		.attach = NSCTL_NS_BIT(NSCTL_NS_PID),
	};
	int release, ret, i;
	pid_t holder;

	holder = ns_holder(CLONE_NEWPID, &release);
	if (holder < 0)
		return -1;
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		a.fds[i] = -1;
	a.pid = holder;
	ret = ioctl(dirfd, NSCTL_IOC_SET_NS, &a);
	ns_holder_end(holder, release);
	return ret;
}

struct ct_init {
	pid_t pid;	/* the process that forked the init, as we number it */
	int go;		/* a byte here, or EOF, ends the init */
};

/* The fast-path enter libnsctl has a new init make; 0 when as expected. */
static char init_announce(int dirfd)
{
	struct nsctl_enter e = { .flags = NSCTL_ENTER_NO_FDS };

	if (ioctl(dirfd, NSCTL_IOC_ENTER, &e))
		return 10;
	if (e.entered)
		return 11;
	if (e.already != NSCTL_NS_BIT(NSCTL_NS_PID))
		return 12;
	if (e.pid_init != NSCTL_PID_INIT_RUNNING)
		return 13;
	return 0;
}

/*
 * Fork the init of @dirfd's PID namespace: a child joins the namespace
 * with setns(2) on a NSCTL_IOC_GET_NS fd and forks it.  With @announce the
 * init enters the container (the fast path: it is inside), which is what
 * has nsctl watch it.  Returns 0 once the init runs, else a step number.
 */
static int init_start(int dirfd, bool announce, struct ct_init *ini)
{
	int go[2], ready[2], status;
	char c = 0;
	pid_t pid;

	if (pipe2(go, O_CLOEXEC) || pipe2(ready, O_CLOEXEC))
		return 1;
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		struct nsctl_get_ns g = { .type = NSCTL_NS_PID };
		pid_t init;
		int fd;

		close(go[1]);
		close(ready[0]);
		fd = ioctl(dirfd, NSCTL_IOC_GET_NS, &g);
		if (fd < 0 || setns(fd, CLONE_NEWPID)) {
			c = 3;
			goto report;
		}
		init = fork();
		if (init == 0) {
			c = getpid() == 1 ? 0 : 4;
			if (!c && announce)
				c = init_announce(dirfd);
			if (write(ready[1], &c, 1) != 1)
				_exit(1);
			while (read(go[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		if (init < 0) {
			c = 5;
			goto report;
		}
		close(ready[1]);
		close(go[0]);
		if (waitpid(init, &status, 0) != init || !WIFEXITED(status))
			_exit(99);
		_exit(WEXITSTATUS(status));
report:
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	close(go[0]);
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		c = 6;
	close(ready[0]);
	ini->pid = pid;
	ini->go = go[1];
	if (c) {
		close(go[1]);
		waitpid(pid, NULL, 0);
	}
	return c;
}

/* End the init; returns once it exited and was reaped (0), else -1. */
static int init_stop(struct ct_init *ini)
{
	int status;

	if (write(ini->go, "x", 1) != 1)
		kill(ini->pid, SIGKILL);
	close(ini->go);
	if (waitpid(ini->pid, &status, 0) != ini->pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/*
 * Every EMPTIED caused so far is in @log once this returns 0: nsctl
 * reports the inits' exits in the order they happened, so another
 * container's init is started and ended, and its EMPTIED awaited.
 */
static int ev_sync_empty(struct evs *s, struct ev_log *log)
{
	struct ct_init ini;
	char name[64];
	int dirfd, ret;
	__u64 id;

	snprintf(name, sizeof(name), "pol-emark%d-%u", getpid(), ++marker_seq);
	dirfd = ct_make(name);
	if (dirfd < 0)
		return -errno;
	id = ct_read_u64(name, "id");
	ret = -EIO;
	if (attach_fresh_pidns(dirfd))
		goto out;
	{
		char path[128];
		int fd;

		snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s/on_empty", name);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "notify", 6) != 6) {
			if (fd >= 0)
				close(fd);
			goto out;
		}
		close(fd);
	}
	if (init_start(dirfd, true, &ini))
		goto out;
	if (init_stop(&ini))
		goto out;
	ret = ev_until(s, NSCTL_CMD_CONTAINER_EMPTIED, id, log, NULL);
out:
	close(dirfd);
	ct_remove(name);
	return ret;
}

/* Small helpers. */

static int uuid_parse_text(const char *s, __u8 out[16])
{
	unsigned int i = 0;

	while (*s && i < 32) {
		unsigned int v;

		if (*s == '-') {
			s++;
			continue;
		}
		if (sscanf(s, "%1x", &v) != 1)
			return -1;
		if (i % 2)
			out[i / 2] |= v;
		else
			out[i / 2] = v << 4;
		i++;
		s++;
	}
	return i == 32 ? 0 : -1;
}


/* Run @fn(@arg) in a child of uid 0 without CAP_SYS_ADMIN; its exit status. */
static int run_without_sys_admin(int (*fn)(void *), void *arg)
{
	return run_without_cap(CAP_SYS_ADMIN, fn, arg);
}

/*
 * Run @fn(@arg) in a child that joined the UTS and IPC namespaces @nsfd
 * (a container's: so it sees the container) and then became nobody
 * (@drop_admin false) or dropped CAP_SYS_ADMIN only; its exit status.
 */
static const int *inside_nsfd;

static int join_then_drop(int drop_admin)
{
	if (setns(inside_nsfd[0], CLONE_NEWUTS) || setns(inside_nsfd[1], CLONE_NEWIPC))
		return -1;
	return drop_admin ? drop_cap(CAP_SYS_ADMIN) : drop_to_nobody(0);
}

static int run_inside(const int *nsfd, bool drop_admin, int (*fn)(void *), void *arg)
{
	inside_nsfd = nsfd;
	return run_in_child(join_then_drop, drop_admin, fn, arg);
}

/*
 * Containers with a PID namespace and nothing else, for on_empty: the
 * namespace has no process until a test forks its init.
 */
FIXTURE(pidct) {
	char name[64];
	int dirfd;
	__u64 id;
	__u8 uuid[16];
	struct evs ev;
};

FIXTURE_SETUP(pidct)
{
	char buf[64];

	self->ev.fd = -EBADF;
	snprintf(self->name, sizeof(self->name), "pol-p%d", getpid());
	self->dirfd = ct_make(self->name);
	ASSERT_GE(self->dirfd, 0) {
		TH_LOG("%m - mkdir %s", self->name);
	}
	ASSERT_EQ(0, attach_fresh_pidns(self->dirfd)) {
		TH_LOG("%m - attaching a fresh PID namespace");
	}
	self->id = ct_read_u64(self->name, "id");
	ASSERT_GT(ct_read(self->name, "uuid", buf, sizeof(buf)), 0);
	ASSERT_EQ(0, uuid_parse_text(buf, self->uuid));
	ASSERT_EQ(0, ct_stat_field(self->name, "pid_init", buf, sizeof(buf)));
	ASSERT_STREQ("none", buf);
	/* Opened last: the events of the setup are not the tests'. */
	ASSERT_EQ(0, evs_open(&self->ev)) {
		TH_LOG("cannot follow nsctl events");
	}
}

FIXTURE_TEARDOWN(pidct)
{
	evs_close(&self->ev);
	if (self->dirfd >= 0)
		close(self->dirfd);
	ct_remove(self->name);
}

static void expect_emptied(struct __test_metadata *_metadata,
			   FIXTURE_DATA(pidct) *self, const struct ev *e)
{
	ASSERT_EQ(NSCTL_CMD_CONTAINER_EMPTIED, e->cmd);
	ASSERT_EQ(self->id, e->id);
	ASSERT_STREQ(self->name, e->name);
	ASSERT_TRUE(e->has_uuid);
	ASSERT_EQ(0, memcmp(self->uuid, e->uuid, 16));
	ASSERT_TRUE(e->has_pid_init);
	ASSERT_EQ(NSCTL_PID_INIT_DEAD, e->pid_init);
}

TEST_F(pidct, ignore_by_default_no_event_container_stays)
{
	struct ev_log log = { 0 };
	struct ct_init ini;
	char buf[32];
	struct stat st;

	ASSERT_GT(ct_read(self->name, "on_empty", buf, sizeof(buf)), 0);
	ASSERT_STREQ("ignore\n", buf);
	ASSERT_EQ(0, init_start(self->dirfd, true, &ini));
	ASSERT_EQ(0, init_stop(&ini));
	ASSERT_EQ(0, ev_sync_empty(&self->ev, &log));
	ASSERT_EQ(0, ev_count(&log, NSCTL_CMD_CONTAINER_EMPTIED, self->id));
	ASSERT_EQ(0, ev_count(&log, NSCTL_CMD_CONTAINER_DELETED, self->id));
	ASSERT_EQ(0, fstatat(self->dirfd, "id", &st, 0));
	ASSERT_EQ(0, ct_stat_field(self->name, "pid_init", buf, sizeof(buf)));
	ASSERT_STREQ("dead", buf);
}

TEST_F(pidct, notify_reports_one_emptied_container_stays)
{
	struct ev_log log = { 0 };
	struct ct_init ini;
	struct ev e;
	char buf[32];
	struct stat st;
	__u64 gen = ct_read_u64(self->name, "generation");

	ASSERT_EQ(0, ct_write_str(self->name, "on_empty", "notify"));
	ASSERT_EQ(0, init_start(self->dirfd, true, &ini));
	ASSERT_EQ(0, init_stop(&ini));
	ASSERT_EQ(0, ev_until(&self->ev, NSCTL_CMD_CONTAINER_EMPTIED, self->id,
			      &log, &e));
	expect_emptied(_metadata, self, &e);
	ASSERT_TRUE(e.has_on_empty);
	ASSERT_EQ(NSCTL_ON_EMPTY_NOTIFY, e.on_empty);
	ASSERT_EQ(gen, e.gen);
	/* Exactly one. */
	memset(&log, 0, sizeof(log));
	ASSERT_EQ(0, ev_sync_empty(&self->ev, &log));
	ASSERT_EQ(0, ev_count(&log, NSCTL_CMD_CONTAINER_EMPTIED, self->id));
	ASSERT_EQ(0, ev_count(&log, NSCTL_CMD_CONTAINER_DELETED, self->id));
	ASSERT_EQ(0, fstatat(self->dirfd, "id", &st, 0));
	ASSERT_EQ(0, ct_stat_field(self->name, "pid_init", buf, sizeof(buf)));
	ASSERT_STREQ("dead", buf);
	ASSERT_EQ(gen, ct_read_u64(self->name, "generation"));
}

/* A read of "stat" while the init runs is the other documented way in. */
TEST_F(pidct, notify_init_seen_through_stat)
{
	struct ev_log log = { 0 };
	struct ct_init ini;
	struct ev e;
	char buf[32];

	ASSERT_EQ(0, ct_write_str(self->name, "on_empty", "notify"));
	ASSERT_EQ(0, init_start(self->dirfd, false, &ini));
	ASSERT_EQ(0, ct_stat_field(self->name, "pid_init", buf, sizeof(buf)));
	ASSERT_STREQ("running", buf);
	ASSERT_EQ(0, init_stop(&ini));
	ASSERT_EQ(0, ev_until(&self->ev, NSCTL_CMD_CONTAINER_EMPTIED, self->id,
			      &log, &e));
	expect_emptied(_metadata, self, &e);
}

/* The policy in force when the init dies counts, not the one at its start. */
TEST_F(pidct, notify_set_while_the_init_runs)
{
	struct ev_log log = { 0 };
	struct ct_init ini;
	struct ev e;

	ASSERT_EQ(0, init_start(self->dirfd, true, &ini));
	ASSERT_EQ(0, ct_write_str(self->name, "on_empty", "notify\n"));
	ASSERT_EQ(0, init_stop(&ini));
	ASSERT_EQ(0, ev_until(&self->ev, NSCTL_CMD_CONTAINER_EMPTIED, self->id,
			      &log, &e));
	expect_emptied(_metadata, self, &e);
}

/*
 * An init forked by other means, with none of the calls that show it to
 * nsctl while it runs, leaves nsctl unaware: no event, as documented.
 */
TEST_F(pidct, notify_unseen_init_is_not_reported)
{
	struct ev_log log = { 0 };
	struct ct_init ini;
	char buf[32];

	ASSERT_EQ(0, ct_write_str(self->name, "on_empty", "notify"));
	ASSERT_EQ(0, init_start(self->dirfd, false, &ini));
	ASSERT_EQ(0, init_stop(&ini));
	ASSERT_EQ(0, ev_sync_empty(&self->ev, &log));
	ASSERT_EQ(0, ev_count(&log, NSCTL_CMD_CONTAINER_EMPTIED, self->id));
	ASSERT_EQ(0, ct_stat_field(self->name, "pid_init", buf, sizeof(buf)));
	ASSERT_STREQ("dead", buf);
	/* Seeing it dead afterwards reports nothing either. */
	memset(&log, 0, sizeof(log));
	ASSERT_EQ(0, ev_sync_empty(&self->ev, &log));
	ASSERT_EQ(0, ev_count(&log, NSCTL_CMD_CONTAINER_EMPTIED, self->id));
}

TEST_F(pidct, delete_reports_then_deletes)
{
	struct ev_log log = { 0 };
	struct ct_init ini;
	struct nsctl_get_ns g = { .type = NSCTL_NS_PID };
	struct ev e;
	char path[128];
	struct stat st;
	int fd;

	ASSERT_EQ(0, ct_write_str(self->name, "on_empty", "delete"));
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s/id", self->name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, init_start(self->dirfd, true, &ini));
	ASSERT_EQ(0, init_stop(&ini));
	ASSERT_EQ(0, ev_until(&self->ev, NSCTL_CMD_CONTAINER_EMPTIED, self->id,
			      &log, &e));
	expect_emptied(_metadata, self, &e);
	ASSERT_EQ(NSCTL_ON_EMPTY_DELETE, e.on_empty);
	ASSERT_EQ(0, ev_count(&log, NSCTL_CMD_CONTAINER_DELETED, self->id));
	ASSERT_EQ(0, ev_until(&self->ev, NSCTL_CMD_CONTAINER_DELETED, self->id,
			      &log, &e));
	ASSERT_EQ(self->id, e.id);
	ASSERT_TRUE(e.has_uuid);
	ASSERT_EQ(0, memcmp(self->uuid, e.uuid, 16));
	ASSERT_STREQ(self->name, e.name);
	ASSERT_EQ(0, e.ns_nests);
	/* Gone from the tree, its handles stale. */
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", self->name);
	ASSERT_EQ(-1, stat(path, &st));
	ASSERT_EQ(ENOENT, errno);
	ASSERT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_GET_NS, &g));
	ASSERT_EQ(ESTALE, errno);
	{
		char buf[32];

		ASSERT_EQ(-1, read(fd, buf, sizeof(buf)));
		ASSERT_EQ(ENODEV, errno);
	}
	close(fd);
}

struct dents_block {
	int rootfd;
	char *buf;
	size_t len;
	long ret;
};

static void *dents_into(void *p)
{
	struct dents_block *b = p;

	b->ret = syscall(SYS_getdents64, b->rootfd, b->buf, b->len);
	return NULL;
}

/*
 * on_empty=delete removes the container it found empty, not one repaired
 * since by the documented recovery (a fresh PID namespace attached: a new
 * generation).  The removal needs the root directory's lock; a getdents(2)
 * of the root holds it, shared, while its buffer faults on a userfaultfd
 * page, so the work item is held between finding the container empty and
 * removing it for as long as the test needs to repair it.
 */
TEST_F(pidct, delete_spares_a_container_repaired_meanwhile)
{
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_zeropage zp = { 0 };
	long page = sysconf(_SC_PAGESIZE);
	struct ev_log log = { 0 };
	struct dents_block b;
	struct uffd_msg msg;
	struct ct_init ini;
	struct stat st;
	pthread_t t;
	struct ev e;
	int uffd;

	ASSERT_EQ(0, ct_write_str(self->name, "on_empty", "delete"));
	ASSERT_EQ(0, init_start(self->dirfd, true, &ini));

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	ASSERT_GE(uffd, 0);
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_API, &api));
	b.len = page;
	b.buf = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, b.buf);
	reg.range.start = (unsigned long)b.buf;
	reg.range.len = page;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_REGISTER, &reg));
	b.rootfd = open(NSCTL_TEST_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(b.rootfd, 0);
	ASSERT_EQ(0, pthread_create(&t, NULL, dents_into, &b));
	/* The fault is reported with the root's lock held. */
	ASSERT_EQ(sizeof(msg), read(uffd, &msg, sizeof(msg)));
	ASSERT_EQ(UFFD_EVENT_PAGEFAULT, msg.event);

	ASSERT_EQ(0, init_stop(&ini));
	ASSERT_EQ(0, ev_until(&self->ev, NSCTL_CMD_CONTAINER_EMPTIED, self->id,
			      &log, &e));
	/* Found empty; the removal waits.  Repair the container now. */
	ASSERT_EQ(0, attach_fresh_pidns(self->dirfd));

	zp.range.start = (unsigned long)b.buf;
	zp.range.len = page;
	ASSERT_EQ(0, ioctl(uffd, UFFDIO_ZEROPAGE, &zp));
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_GT(b.ret, 0);
	close(b.rootfd);
	close(uffd);
	munmap(b.buf, page);

	/* Once another container's EMPTIED is in, the removal was tried. */
	memset(&log, 0, sizeof(log));
	ASSERT_EQ(0, ev_sync_empty(&self->ev, &log));
	ASSERT_EQ(0, ev_count(&log, NSCTL_CMD_CONTAINER_DELETED, self->id));
	ASSERT_EQ(0, fstatat(self->dirfd, "id", &st, 0));
	/* Usable: a new init runs in the fresh namespace. */
	ASSERT_EQ(0, ct_write_str(self->name, "on_empty", "ignore"));
	ASSERT_EQ(0, init_start(self->dirfd, true, &ini));
	ASSERT_EQ(0, init_stop(&ini));
}

/* Containers holding fresh UTS and IPC namespaces nobody is in. */
FIXTURE(pol) {
	char name[64];
	int dirfd;
	__u64 id;
	struct evs ev;
	int nsfd[2];		/* its UTS and IPC namespaces, for run_inside() */
};

FIXTURE_SETUP(pol)
{
	int release, fds[NSCTL_NS_COUNT], i;
	char path[64];
	pid_t holder;

	self->ev.fd = -EBADF;
	self->nsfd[0] = self->nsfd[1] = -1;
	snprintf(self->name, sizeof(self->name), "pol-u%d", getpid());
	self->dirfd = ct_make(self->name);
	ASSERT_GE(self->dirfd, 0) {
		TH_LOG("%m - mkdir %s", self->name);
	}
	holder = ns_holder(CLONE_NEWUTS | CLONE_NEWIPC, &release);
	ASSERT_GT(holder, 0);
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		fds[i] = -1;
	snprintf(path, sizeof(path), "/proc/%d/ns/uts", holder);
	fds[NSCTL_NS_UTS] = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/ns/ipc", holder);
	fds[NSCTL_NS_IPC] = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_EQ(0, ct_set_ns(self->dirfd, NSCTL_NS_BIT(NSCTL_NS_UTS) |
			       NSCTL_NS_BIT(NSCTL_NS_IPC), fds, 0, NULL));
	self->nsfd[0] = fds[NSCTL_NS_UTS];
	self->nsfd[1] = fds[NSCTL_NS_IPC];
	ns_holder_end(holder, release);
	self->id = ct_read_u64(self->name, "id");
	ASSERT_EQ(0, evs_open(&self->ev)) {
		TH_LOG("cannot follow nsctl events");
	}
}

FIXTURE_TEARDOWN(pol)
{
	evs_close(&self->ev);
	if (self->nsfd[0] >= 0)
		close(self->nsfd[0]);
	if (self->nsfd[1] >= 0)
		close(self->nsfd[1]);
	if (self->dirfd >= 0)
		close(self->dirfd);
	ct_remove(self->name);
}

/* Write @value to @file and expect one CHANGED, POLICY only, same generation. */
static void expect_policy_event(struct __test_metadata *_metadata,
				FIXTURE_DATA(pol) *self, const char *file,
				const char *value, __u32 num)
{
	struct ev_log log = { 0 };
	__u64 gen = ct_read_u64(self->name, "generation");
	char buf[64], want[64];
	struct ev e;

	ASSERT_EQ(0, ct_write_str(self->name, file, value)) {
		TH_LOG("writing \"%s\" to %s", value, file);
	}
	ASSERT_EQ(0, ev_until(&self->ev, NSCTL_CMD_CONTAINER_CHANGED, self->id,
			      &log, &e));
	ASSERT_TRUE(e.has_changed);
	ASSERT_EQ(NSCTL_CHANGED_POLICY, e.changed);
	ASSERT_EQ(gen, e.gen);
	ASSERT_EQ(gen, ct_read_u64(self->name, "generation"));
	if (!strcmp(file, "on_empty")) {
		ASSERT_TRUE(e.has_on_empty);
		ASSERT_EQ(num, e.on_empty);
	} else {
		ASSERT_TRUE(e.has_enter);
		ASSERT_EQ(num, e.enter);
	}
	ASSERT_EQ(2, e.ns_nests);
	snprintf(want, sizeof(want), "%.*s\n", (int)strcspn(value, "\n"), value);
	ASSERT_GT(ct_read(self->name, file, buf, sizeof(buf)), 0);
	ASSERT_STREQ(want, buf);
	/* One event per write. */
	memset(&log, 0, sizeof(log));
	ASSERT_EQ(0, ev_sync(&self->ev, &log));
	ASSERT_EQ(0, ev_count(&log, NSCTL_CMD_CONTAINER_CHANGED, self->id));
}

TEST_F(pol, modes_and_defaults)
{
	static const char * const rw[] = { "on_empty", "enter", "ipc" };
	static const char * const ro[] = { "hostname", "domainname" };
	char path[128], buf[32];
	struct stat st;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rw); i++) {
		snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s/%s", self->name, rw[i]);
		ASSERT_EQ(0, stat(path, &st));
		ASSERT_EQ(0644, st.st_mode & 07777);
	}
	for (i = 0; i < ARRAY_SIZE(ro); i++) {
		snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s/%s", self->name, ro[i]);
		ASSERT_EQ(0, stat(path, &st));
		ASSERT_EQ(0444, st.st_mode & 07777);
	}
	ASSERT_GT(ct_read(self->name, "on_empty", buf, sizeof(buf)), 0);
	ASSERT_STREQ("ignore\n", buf);
	ASSERT_GT(ct_read(self->name, "enter", buf, sizeof(buf)), 0);
	ASSERT_STREQ("allow\n", buf);
}

TEST_F(pol, on_empty_write_is_a_policy_change)
{
	expect_policy_event(_metadata, self, "on_empty", "notify", NSCTL_ON_EMPTY_NOTIFY);
	expect_policy_event(_metadata, self, "on_empty", "delete\n", NSCTL_ON_EMPTY_DELETE);
	expect_policy_event(_metadata, self, "on_empty", "ignore", NSCTL_ON_EMPTY_IGNORE);
}

TEST_F(pol, enter_write_is_a_policy_change)
{
	expect_policy_event(_metadata, self, "enter", "deny\n", NSCTL_ENTER_POLICY_DENY);
	expect_policy_event(_metadata, self, "enter", "allow", NSCTL_ENTER_POLICY_ALLOW);
}

TEST_F(pol, same_value_again_no_event)
{
	struct ev_log log = { 0 };

	/* The defaults, then a value written twice. */
	ASSERT_EQ(0, ct_write_str(self->name, "on_empty", "ignore"));
	ASSERT_EQ(0, ct_write_str(self->name, "enter", "allow\n"));
	ASSERT_EQ(0, ct_write_str(self->name, "on_empty", "notify"));
	ASSERT_EQ(0, ct_write_str(self->name, "on_empty", "notify\n"));
	ASSERT_EQ(0, ct_write_str(self->name, "enter", "deny"));
	ASSERT_EQ(0, ct_write_str(self->name, "enter", "deny"));
	ASSERT_EQ(0, ev_sync(&self->ev, &log));
	ASSERT_EQ(2, ev_count(&log, NSCTL_CMD_CONTAINER_CHANGED, self->id)) {
		ev_log_dump(_metadata, &log);
	}
	ASSERT_EQ(NSCTL_ON_EMPTY_NOTIFY, log.ev[0].on_empty);
	ASSERT_EQ(NSCTL_ENTER_POLICY_ALLOW, log.ev[0].enter);
	ASSERT_EQ(NSCTL_ENTER_POLICY_DENY, log.ev[1].enter);
}

TEST_F(pol, invalid_values_change_nothing)
{
	static const struct {
		const char *file, *value;
	} bad[] = {
		{ "on_empty", "bogus" }, { "on_empty", "" }, { "on_empty", "\n" },
		{ "on_empty", "notify extra" }, { "on_empty", "notify\n\n" },
		{ "on_empty", " notify" }, { "on_empty", "allow" },
		{ "on_empty", "notif" }, { "enter", "bogus" }, { "enter", "" },
		{ "enter", "deny extra" }, { "enter", "notify" },
		{ "enter", "denyy" },
	};
	struct ev_log log = { 0 };
	char before_oe[32], before_en[32], buf[32], *big;
	unsigned int i;

	ASSERT_GT(ct_read(self->name, "on_empty", before_oe, sizeof(before_oe)), 0);
	ASSERT_GT(ct_read(self->name, "enter", before_en, sizeof(before_en)), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ASSERT_EQ(-EINVAL, ct_write_str(self->name, bad[i].file, bad[i].value)) {
			TH_LOG("\"%s\" to %s", bad[i].value, bad[i].file);
		}
	}
	/* Very long: a value followed by a page of spaces, and a page of letters. */
	big = malloc(8192);
	ASSERT_TRUE(big);
	memset(big, ' ', 8192);
	memcpy(big, "notify", 6);
	ASSERT_EQ(-EINVAL, ct_write(self->name, "on_empty", big, 8192));
	ASSERT_EQ(-EINVAL, ct_write(self->name, "enter", big, 4096));
	memset(big, 'a', 8192);
	ASSERT_EQ(-EINVAL, ct_write(self->name, "on_empty", big, 5000));
	free(big);

	ASSERT_GT(ct_read(self->name, "on_empty", buf, sizeof(buf)), 0);
	ASSERT_STREQ(before_oe, buf);
	ASSERT_GT(ct_read(self->name, "enter", buf, sizeof(buf)), 0);
	ASSERT_STREQ(before_en, buf);
	ASSERT_EQ(0, ev_sync(&self->ev, &log));
	ASSERT_EQ(0, ev_count(&log, NSCTL_CMD_CONTAINER_CHANGED, self->id));
}

struct wctx {
	int fd[3];		/* on_empty, enter, ipc: opened for write by root */
	const char *name;
};

/*
 * Writes through descriptors root opened, by a process that has dropped
 * its privileges since: the opener's credentials decide, so they work.
 */
static int write_inherited(void *arg)
{
	struct wctx *w = arg;
	static const char * const val[3] = { "notify", "deny", "shmmni 3" };
	int i;

	for (i = 0; i < 3; i++)
		if (write(w->fd[i], val[i], strlen(val[i])) != (ssize_t)strlen(val[i]))
			return 10 + i;
	return 0;
}

/* Nobody (inside): the 0644 files do not even open for write. */
static int open_for_write(void *arg)
{
	static const char * const files[] = { "on_empty", "enter", "ipc" };
	struct wctx *w = arg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(files); i++)
		if (ct_write_str(w->name, files[i], "x") != -EACCES)
			return 30 + i;
	return 0;
}

/* uid 0 without CAP_SYS_ADMIN opens them, and the write is refused. */
static int write_without_sys_admin(void *arg)
{
	static const char * const files[] = { "on_empty", "enter", "ipc" };
	static const char * const val[] = { "delete", "deny", "shmmni 3" };
	struct wctx *w = arg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(files); i++)
		if (ct_write_str(w->name, files[i], val[i]) != -EPERM)
			return 40 + i;
	return 0;
}

TEST_F(pol, unprivileged_write_refused)
{
	static const char * const files[] = { "on_empty", "enter", "ipc" };
	char before[3][512], buf[512], path[128];
	struct wctx w = { .name = self->name };
	struct ev_log log = { 0 };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		ASSERT_GT(ct_read(self->name, files[i], before[i], sizeof(before[i])), 0);
		snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s/%s", self->name, files[i]);
		w.fd[i] = open(path, O_WRONLY | O_CLOEXEC);
		ASSERT_GE(w.fd[i], 0);
	}
	/* Nobody inside (so it sees the container): the file mode refuses. */
	ASSERT_EQ(0, run_inside(self->nsfd, false, open_for_write, &w));
	ASSERT_EQ(0, run_inside(self->nsfd, true, write_without_sys_admin, &w));
	for (i = 0; i < 3; i++) {
		close(w.fd[i]);
		ASSERT_GT(ct_read(self->name, files[i], buf, sizeof(buf)), 0);
		ASSERT_STREQ(before[i], buf);
	}
	ASSERT_EQ(0, ev_sync(&self->ev, &log));
	ASSERT_EQ(0, ev_count(&log, NSCTL_CMD_CONTAINER_CHANGED, self->id));
}

struct weak_fd {
	int sk[2];
	const char *path;
};

/* Open @path for write (without CAP_SYS_ADMIN) and send the fd on sk[0]. */
static int send_weak_fd(void *arg)
{
	struct weak_fd *x = arg;
	int fd = open(x->path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return 1;
	return send_fd(x->sk[0], fd) ? 2 : 0;
}

/*
 * The credentials that opened a policy file decide a write through it,
 * both ways: root's descriptor works for the nobody it was handed down to,
 * and a descriptor opened without CAP_SYS_ADMIN fails in root's hands.
 */
TEST_F(pol, opener_credentials_decide_writes)
{
	static const char * const files[] = { "on_empty", "enter", "ipc" };
	struct wctx w = { .name = self->name };
	char buf[512], path[128];
	struct weak_fd x;
	unsigned int i;
	int fd;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s/%s", self->name, files[i]);
		w.fd[i] = open(path, O_WRONLY | O_CLOEXEC);
		ASSERT_GE(w.fd[i], 0);
	}
	ASSERT_EQ(0, run_unprivileged(write_inherited, &w));
	ASSERT_GT(ct_read(self->name, "on_empty", buf, sizeof(buf)), 0);
	ASSERT_STREQ("notify\n", buf);
	ASSERT_GT(ct_read(self->name, "enter", buf, sizeof(buf)), 0);
	ASSERT_STREQ("deny\n", buf);
	ASSERT_GT(ct_read(self->name, "ipc", buf, sizeof(buf)), 0);
	ASSERT_NE(NULL, strstr(buf, "shmmni 3\n"));
	for (i = 0; i < 3; i++)
		close(w.fd[i]);

	/* The reverse: opened by uid 0 without CAP_SYS_ADMIN, written by root. */
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s/on_empty", self->name);
	x.path = path;
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, x.sk));
	ASSERT_EQ(0, run_inside(self->nsfd, true, send_weak_fd, &x));
	fd = recv_fd(x.sk[1]);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(-1, write(fd, "delete", 6));
	ASSERT_EQ(EPERM, errno);
	close(fd);
	close(x.sk[0]);
	close(x.sk[1]);
	ASSERT_GT(ct_read(self->name, "on_empty", buf, sizeof(buf)), 0);
	ASSERT_STREQ("notify\n", buf);
}

/* A write after a read on one descriptor: the read's position is no bar. */
TEST_F(pol, write_after_read_on_one_descriptor)
{
	static const char * const files[] = { "on_empty", "enter", "ipc" };
	static const char * const val[] = { "notify", "deny", "shmmni 5" };
	char buf[512], path[128];
	unsigned int i;
	int fd;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s/%s", self->name, files[i]);
		fd = open(path, O_RDWR | O_CLOEXEC);
		ASSERT_GE(fd, 0);
		ASSERT_GT(read(fd, buf, sizeof(buf)), 0);
		ASSERT_EQ((ssize_t)strlen(val[i]), write(fd, val[i], strlen(val[i]))) {
			TH_LOG("%s: %m", files[i]);
		}
		close(fd);
	}
	ASSERT_GT(ct_read(self->name, "on_empty", buf, sizeof(buf)), 0);
	ASSERT_STREQ("notify\n", buf);
	ASSERT_GT(ct_read(self->name, "enter", buf, sizeof(buf)), 0);
	ASSERT_STREQ("deny\n", buf);
	ASSERT_GT(ct_read(self->name, "ipc", buf, sizeof(buf)), 0);
	ASSERT_NE(NULL, strstr(buf, "shmmni 5\n"));
}

static int read_everything(void *arg)
{
	const char *name = arg;
	char buf[512];

	if (ct_read(name, "on_empty", buf, sizeof(buf)) < 0 || strcmp(buf, "notify\n"))
		return 1;
	if (ct_read(name, "enter", buf, sizeof(buf)) < 0 || strcmp(buf, "deny\n"))
		return 2;
	if (ct_read(name, "hostname", buf, sizeof(buf)) < 0 || strcmp(buf, "readable\n"))
		return 3;
	if (ct_read(name, "domainname", buf, sizeof(buf)) < 0 || strcmp(buf, "read.able\n"))
		return 4;
	if (ct_read(name, "ipc", buf, sizeof(buf)) < 0 || !strstr(buf, "shmmni 77\n"))
		return 5;
	return 0;
}

/* Set the names inside the container's UTS namespace, in a child. */
static int set_names_inside(int dirfd, const char *host, const char *domain)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = ct_get_ns(dirfd, NSCTL_NS_UTS);

		if (fd < 0 || setns(fd, CLONE_NEWUTS))
			_exit(1);
		if (sethostname(host, strlen(host)) ||
		    setdomainname(domain, strlen(domain)))
			_exit(2);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Outside, the container is not there: its files are not found. */
static int read_nothing(void *arg)
{
	static const char * const files[] = {
		"on_empty", "enter", "hostname", "domainname", "ipc", "procs",
		"stat", "namespaces", "uuid", "labels",
	};
	const char *name = arg;
	char buf[512];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(files); i++)
		if (ct_read(name, files[i], buf, sizeof(buf)) != -ENOENT)
			return 10 + i;
	return 0;
}

/* Readable by anyone inside the container; by nobody outside it. */
TEST_F(pol, readable_by_anyone_inside)
{
	ASSERT_EQ(0, ct_write_str(self->name, "on_empty", "notify"));
	ASSERT_EQ(0, ct_write_str(self->name, "enter", "deny"));
	ASSERT_EQ(0, ct_write_str(self->name, "ipc", "shmmni 77"));
	ASSERT_EQ(0, ct_write_str(self->name, "enter", "allow"));
	ASSERT_EQ(0, set_names_inside(self->dirfd, "readable", "read.able"));
	ASSERT_EQ(0, ct_write_str(self->name, "enter", "deny"));
	ASSERT_EQ(0, run_inside(self->nsfd, false, read_everything, self->name));
	ASSERT_EQ(0, run_inside(self->nsfd, true, read_everything, self->name));
	ASSERT_EQ(0, run_unprivileged(read_nothing, self->name));
	ASSERT_EQ(0, run_without_sys_admin(read_nothing, self->name));
}

/* enter=deny */

/*
 * A process inside (it entered while the container was open) checks
 * again once it is sealed: the fast path still answers, nothing else.
 */
static int inside_after_seal(int dirfd, int go)
{
	struct nsctl_enter e = { 0 };
	struct nsctl_get_ns g = { .type = NSCTL_NS_UTS };
	char c;

	while (read(go, &c, 1) < 0 && errno == EINTR)
		;
	if (ioctl(dirfd, NSCTL_IOC_ENTER, &e))
		return 10;
	if (e.entered || e.already != (NSCTL_NS_BIT(NSCTL_NS_UTS) |
				       NSCTL_NS_BIT(NSCTL_NS_IPC)))
		return 11;
	if (e.fds[NSCTL_NS_UTS] != -1 || e.fds[NSCTL_NS_IPC] != -1)
		return 12;
	memset(&e, 0, sizeof(e));
	e.flags = NSCTL_ENTER_NO_FDS;
	if (ioctl(dirfd, NSCTL_IOC_ENTER, &e) || e.entered)
		return 13;
	/* Handing a namespace out is refused to everyone. */
	if (ioctl(dirfd, NSCTL_IOC_GET_NS, &g) != -1 || errno != EPERM)
		return 14;
	return 0;
}

TEST_F(pol, enter_deny_refuses_outsiders_not_insiders)
{
	struct nsctl_enter e = { 0 };
	struct nsctl_get_ns g = { 0 };
	int go[2], ready[2], status, before, i;
	char c, enters[32], enters_after[32];
	pid_t pid;

	/* A process inside before the seal. */
	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		int ufd, ifd;

		c = 0;
		ufd = ct_get_ns(self->dirfd, NSCTL_NS_UTS);
		ifd = ct_get_ns(self->dirfd, NSCTL_NS_IPC);
		if (ufd < 0 || ifd < 0 || setns(ufd, CLONE_NEWUTS) ||
		    setns(ifd, CLONE_NEWIPC))
			c = 1;
		if (write(ready[1], &c, 1) != 1 || c)
			_exit(1);
		_exit(inside_after_seal(self->dirfd, go[0]));
	}
	close(ready[1]);
	close(go[0]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(0, c);
	close(ready[0]);

	ASSERT_EQ(0, ct_stat_field(self->name, "enters", enters, sizeof(enters)));
	ASSERT_EQ(0, ct_write_str(self->name, "enter", "deny"));
	ASSERT_EQ(1, write(go[1], "x", 1));
	close(go[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));

	/* From outside: refused, nothing handed out. */
	before = count_fds();
	ASSERT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_ENTER, &e));
	ASSERT_EQ(EPERM, errno);
	memset(&e, 0, sizeof(e));
	e.types = NSCTL_NS_BIT(NSCTL_NS_UTS);
	ASSERT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_ENTER, &e));
	ASSERT_EQ(EPERM, errno);
	memset(&e, 0, sizeof(e));
	e.flags = NSCTL_ENTER_NO_FDS;
	ASSERT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_ENTER, &e));
	ASSERT_EQ(EPERM, errno);
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		g.type = i;
		if (i != NSCTL_NS_UTS && i != NSCTL_NS_IPC)
			continue;
		ASSERT_EQ(-1, ioctl(self->dirfd, NSCTL_IOC_GET_NS, &g));
		ASSERT_EQ(EPERM, errno);
	}
	ASSERT_EQ(before, count_fds());
	ASSERT_EQ(0, ct_stat_field(self->name, "enters", enters_after,
				   sizeof(enters_after)));
	ASSERT_STREQ(enters, enters_after);

	/* Open again: the enter works. */
	ASSERT_EQ(0, ct_write_str(self->name, "enter", "allow"));
	memset(&e, 0, sizeof(e));
	ASSERT_EQ(0, ioctl(self->dirfd, NSCTL_IOC_ENTER, &e)) {
		TH_LOG("%m - NSCTL_IOC_ENTER after allow");
	}
	ASSERT_EQ(NSCTL_NS_BIT(NSCTL_NS_UTS) | NSCTL_NS_BIT(NSCTL_NS_IPC), e.entered);
	ASSERT_GE(e.fds[NSCTL_NS_UTS], 0);
	ASSERT_GE(e.fds[NSCTL_NS_IPC], 0);
	ASSERT_EQ(ct_ns_inum(self->name, NSCTL_NS_UTS), fd_ino(e.fds[NSCTL_NS_UTS]));
	close(e.fds[NSCTL_NS_UTS]);
	close(e.fds[NSCTL_NS_IPC]);
	g.type = NSCTL_NS_UTS;
	i = ioctl(self->dirfd, NSCTL_IOC_GET_NS, &g);
	ASSERT_GE(i, 0);
	close(i);
}

/* Host and domain names. */

TEST_F(pol, names_set_inside_show_in_files)
{
	char buf[128];

	ASSERT_EQ(0, set_names_inside(self->dirfd, "inner-host", "inner.domain"));
	ASSERT_GT(ct_read(self->name, "hostname", buf, sizeof(buf)), 0);
	ASSERT_STREQ("inner-host\n", buf);
	ASSERT_GT(ct_read(self->name, "domainname", buf, sizeof(buf)), 0);
	ASSERT_STREQ("inner.domain\n", buf);
	/* The longest name uname(2) holds. */
	memset(buf, 'h', 64);
	buf[64] = '\0';
	ASSERT_EQ(0, set_names_inside(self->dirfd, buf, "d"));
	ASSERT_EQ(65, ct_read(self->name, "hostname", buf, sizeof(buf)));
	ASSERT_EQ('\n', buf[64]);
}

struct outside {
	int dirfd;
	int err;
	ino_t before, after;
	char own[65];
};

/* What `nsctl set NAME hostname=...` does, in one thread, no fork. */
static void *set_names_from_outside(void *p)
{
	struct outside *o = p;
	struct utsname u;
	int own, fd;

	o->err = 1;
	own = open("/proc/thread-self/ns/uts", O_RDONLY | O_CLOEXEC);
	if (own < 0)
		return NULL;
	o->before = fd_ino(own);
	fd = ct_get_ns(o->dirfd, NSCTL_NS_UTS);
	if (fd < 0)
		goto out;
	o->err = 2;
	if (setns(fd, CLONE_NEWUTS))
		goto out_close;
	o->err = 3;
	if (sethostname("from-outside", 12) || setdomainname("out.side", 8))
		goto out_back;
	o->err = 0;
out_back:
	if (setns(own, CLONE_NEWUTS))
		o->err = 4;
out_close:
	close(fd);
out:
	{
		struct stat st;

		if (!stat("/proc/thread-self/ns/uts", &st))
			o->after = st.st_ino;
	}
	if (!uname(&u))
		snprintf(o->own, sizeof(o->own), "%s", u.nodename);
	close(own);
	return NULL;
}

TEST_F(pol, names_set_from_outside_by_a_thread)
{
	struct outside o = { .dirfd = self->dirfd };
	struct utsname mine, after;
	int go[2], res[2], status;
	char buf[200];
	pthread_t t;
	pid_t pid;
	ssize_t n;

	ASSERT_EQ(0, uname(&mine));
	/* A process already inside, asked after the change. */
	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(res, O_CLOEXEC));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		int fd = ct_get_ns(self->dirfd, NSCTL_NS_UTS);
		struct utsname u;
		char c;

		close(go[1]);
		close(res[0]);
		if (fd < 0 || setns(fd, CLONE_NEWUTS))
			_exit(1);
		if (write(res[1], "r", 1) != 1)
			_exit(2);
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			;
		if (uname(&u))
			_exit(3);
		dprintf(res[1], "%s %s", u.nodename, u.domainname);
		_exit(0);
	}
	close(go[0]);
	close(res[1]);
	ASSERT_EQ(1, read(res[0], buf, 1));

	ASSERT_EQ(0, pthread_create(&t, NULL, set_names_from_outside, &o));
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EQ(0, o.err);
	ASSERT_EQ(o.before, o.after);
	ASSERT_STREQ(mine.nodename, o.own);

	ASSERT_EQ(1, write(go[1], "x", 1));
	close(go[1]);
	n = read(res[0], buf, sizeof(buf) - 1);
	ASSERT_GT(n, 0);
	buf[n] = '\0';
	close(res[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_STREQ("from-outside out.side", buf);

	ASSERT_GT(ct_read(self->name, "hostname", buf, sizeof(buf)), 0);
	ASSERT_STREQ("from-outside\n", buf);
	ASSERT_GT(ct_read(self->name, "domainname", buf, sizeof(buf)), 0);
	ASSERT_STREQ("out.side\n", buf);
	/* Our own names did not move. */
	ASSERT_EQ(0, uname(&after));
	ASSERT_STREQ(mine.nodename, after.nodename);
	ASSERT_STREQ(mine.domainname, after.domainname);
}

static int write_names_unprivileged(void *arg)
{
	const char *name = arg;

	if (ct_write_str(name, "hostname", "x") != -EACCES)
		return 1;
	if (ct_write_str(name, "domainname", "x") != -EACCES)
		return 2;
	return 0;
}

TEST_F(pol, names_read_only_in_the_filesystem)
{
	char before[80], buf[80], path[128];
	int fd;

	ASSERT_EQ(0, set_names_inside(self->dirfd, "kept", "kept.dom"));
	ASSERT_GT(ct_read(self->name, "hostname", before, sizeof(before)), 0);
	/* Root opens a 0444 file for write (CAP_DAC_OVERRIDE); the write fails. */
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s/hostname", self->name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0) {
		TH_LOG("%m - root opening a 0444 file for write");
	}
	ASSERT_EQ(-1, write(fd, "changed", 7));
	ASSERT_EQ(EINVAL, errno);
	close(fd);
	ASSERT_EQ(-EINVAL, ct_write_str(self->name, "domainname", "changed"));
	ASSERT_EQ(0, run_inside(self->nsfd, false, write_names_unprivileged, self->name));
	ASSERT_GT(ct_read(self->name, "hostname", buf, sizeof(buf)), 0);
	ASSERT_STREQ(before, buf);
	ASSERT_STREQ("kept\n", buf);
	ASSERT_GT(ct_read(self->name, "domainname", buf, sizeof(buf)), 0);
	ASSERT_STREQ("kept.dom\n", buf);
}

TEST(views_enoent_without_the_slot)
{
	char name[64], buf[256];
	int dirfd, fds[NSCTL_NS_COUNT], i;

	snprintf(name, sizeof(name), "pol-e%d", getpid());
	dirfd = ct_make(name);
	ASSERT_GE(dirfd, 0);
	/* Empty, then holding only a network namespace (ours). */
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(-ENOENT, ct_read(name, "hostname", buf, sizeof(buf)));
		ASSERT_EQ(-ENOENT, ct_read(name, "domainname", buf, sizeof(buf)));
		ASSERT_EQ(-ENOENT, ct_read(name, "ipc", buf, sizeof(buf)));
		ASSERT_EQ(-ENOENT, ct_write_str(name, "ipc", "shmmni 2"));
		/* The policies need no slot. */
		ASSERT_GT(ct_read(name, "on_empty", buf, sizeof(buf)), 0);
		ASSERT_GT(ct_read(name, "enter", buf, sizeof(buf)), 0);
		memset(fds, -1, sizeof(fds));
		fds[NSCTL_NS_NET] = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		ASSERT_EQ(0, ct_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_NET), fds, 0, NULL));
		close(fds[NSCTL_NS_NET]);
	}
	ASSERT_EQ(0, ct_set_ns(dirfd, 0, NULL, NSCTL_NS_ALL, NULL));
	close(dirfd);
	ASSERT_EQ(0, ct_remove(name));
}

/* IPC limits. */

/*
 * The kernel's bound of shmmni, msgmni and semmni: IPCMNI, or
 * IPCMNI_EXTEND when booted with ipcmni_extend (an early parameter).
 */
static unsigned long ipcmni(void)
{
	char buf[4096], *tok, *save = NULL;
	ssize_t n;
	int fd;

	fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 32768;
	buf[n] = '\0';
	for (tok = strtok_r(buf, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		if (!strcmp(tok, "--"))
			break;
		if (!strncmp(tok, "ipcmni_extend", 13) && (!tok[13] || tok[13] == '='))
			return 1UL << 24;
	}
	return 32768;
}

/* Write @val to /proc/sys/kernel/@key inside the container at @dirfd. */
static int sysctl_inside(int dirfd, const char *key, const char *val)
{
	int status, fd;
	char path[64];
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		fd = ct_get_ns(dirfd, NSCTL_NS_IPC);
		if (fd < 0 || setns(fd, CLONE_NEWIPC))
			_exit(100);
		snprintf(path, sizeof(path), "/proc/sys/kernel/%s", key);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			_exit(101);
		_exit(write(fd, val, strlen(val)) == (ssize_t)strlen(val) ? 0 : errno);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* The value of @key in a container's ipc file, as text; 0 or -1. */
static int ipc_field(const char *name, const char *key, char *out, size_t len)
{
	char buf[512], *line, *save = NULL;
	size_t kl = strlen(key);

	if (ct_read(name, "ipc", buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, key, kl) && line[kl] == ' ') {
			snprintf(out, len, "%s", line + kl + 1);
			return 0;
		}
	return -1;
}

TEST_F(pol, ipc_lists_every_limit)
{
	static const char * const keys[] = {
		"shmmax", "shmall", "shmmni", "msgmax", "msgmnb", "msgmni", "sem",
	};
	char buf[512], *line, *save = NULL, k[16];
	unsigned long long v[4];
	unsigned int i = 0;

	ASSERT_GT(ct_read(self->name, "ipc", buf, sizeof(buf)), 0);
	ASSERT_EQ('\n', buf[strlen(buf) - 1]);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), i++) {
		ASSERT_LT(i, ARRAY_SIZE(keys));
		if (i < 6) {
			ASSERT_EQ(2, sscanf(line, "%15s %llu", k, &v[0]));
		} else {
			ASSERT_EQ(5, sscanf(line, "%15s %llu %llu %llu %llu", k,
					    &v[0], &v[1], &v[2], &v[3]));
		}
		ASSERT_STREQ(keys[i], k);
	}
	ASSERT_EQ(ARRAY_SIZE(keys), i);
}

/* Whether /proc/sys/kernel is there to ask the kernel's own view. */
static bool have_ipc_sysctl(void)
{
	return !access("/proc/sys/kernel/shmmni", R_OK);
}

/* In a child inside the container's IPC namespace. */
static int shm_inside(int dirfd)
{
	int fd = ct_get_ns(dirfd, NSCTL_NS_IPC), id[3], ret = 0, i;
	char buf[32];

	if (fd < 0 || setns(fd, CLONE_NEWIPC))
		return 1;
	for (i = 0; i < 2; i++) {
		id[i] = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
		if (id[i] < 0)
			return 2;
	}
	id[2] = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	if (id[2] >= 0)
		ret = 3;
	else if (errno != ENOSPC)
		ret = 4;
	/* The kernel's own view, when /proc is there to ask. */
	fd = open("/proc/sys/kernel/shmmni", O_RDONLY | O_CLOEXEC);
	if (!ret && fd < 0 && have_ipc_sysctl())
		ret = 6;
	if (!ret && fd >= 0) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);

		if (n > 0)
			buf[n] = '\0';
		if (n <= 0 || strcmp(buf, "2\n"))
			ret = 5;
	}
	if (fd >= 0)
		close(fd);
	for (i = 0; i < 3; i++)
		if (id[i] >= 0)
			shmctl(id[i], IPC_RMID, NULL);
	return ret;
}

static int sem_inside(int dirfd)
{
	int fd = ct_get_ns(dirfd, NSCTL_NS_IPC);
	char buf[64];
	ssize_t n;

	if (fd < 0 || setns(fd, CLONE_NEWIPC))
		return 1;
	fd = open("/proc/sys/kernel/sem", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return have_ipc_sysctl() ? 4 : 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 2;
	buf[n] = '\0';
	return strcmp(buf, "250\t32000\t32\t128\n") ? 3 : 0;
}

static int in_child(int (*fn)(int), int arg)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST_F(pol, ipc_shmmni_limits_segments_inside)
{
	char buf[64], mine[64] = "", again[64] = "";
	int fd;

	fd = open("/proc/sys/kernel/shmmni", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ASSERT_GT(read(fd, mine, sizeof(mine) - 1), 0);
		close(fd);
	}
	ASSERT_EQ(0, ct_write_str(self->name, "ipc", "shmmni 2"));
	ASSERT_EQ(0, ipc_field(self->name, "shmmni", buf, sizeof(buf)));
	ASSERT_STREQ("2", buf);
	ASSERT_EQ(0, in_child(shm_inside, self->dirfd));
	/* Our own IPC namespace is untouched. */
	fd = open("/proc/sys/kernel/shmmni", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ASSERT_GT(read(fd, again, sizeof(again) - 1), 0);
		close(fd);
	}
	ASSERT_STREQ(mine, again);
	ASSERT_STRNE("2\n", again);
}

TEST_F(pol, ipc_sem_takes_four_values)
{
	char buf[64];

	ASSERT_EQ(0, ct_write_str(self->name, "ipc", "sem 250 32000 32 128\n"));
	ASSERT_EQ(0, ipc_field(self->name, "sem", buf, sizeof(buf)));
	ASSERT_STREQ("250 32000 32 128", buf);
	ASSERT_EQ(0, in_child(sem_inside, self->dirfd));
}

TEST_F(pol, ipc_write_applies_every_line)
{
	static const char * const want[][2] = {
		{ "shmmax", "1048576" }, { "shmall", "18446744073709551615" },
		{ "shmmni", "32768" }, { "msgmax", "2147483647" },
		{ "msgmnb", "0" }, { "msgmni", "7" }, { "sem", "1 2 3 32768" },
	};
	char buf[64];
	unsigned int i;

	ASSERT_EQ(0, ct_write_str(self->name, "ipc",
				  "shmmax 1048576\nshmall 18446744073709551615\n"
				  "shmmni 32768\nmsgmax 2147483647\nmsgmnb 0\n"
				  "msgmni 7\nsem 1 2 3 32768\n"));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		ASSERT_EQ(0, ipc_field(self->name, want[i][0], buf, sizeof(buf)));
		ASSERT_STREQ(want[i][1], buf) {
			TH_LOG("%s", want[i][0]);
		}
	}
	/* Zero is in every range; a later line for the same key wins. */
	ASSERT_EQ(0, ct_write_str(self->name, "ipc", "shmmni 0\nmsgmni 9\nmsgmni 0"));
	ASSERT_EQ(0, ipc_field(self->name, "shmmni", buf, sizeof(buf)));
	ASSERT_STREQ("0", buf);
	ASSERT_EQ(0, ipc_field(self->name, "msgmni", buf, sizeof(buf)));
	ASSERT_STREQ("0", buf);
}

TEST_F(pol, ipc_invalid_write_changes_nothing)
{
	static const char * const bad[] = {
		"bogus 1", "shmmni", "shmmni ", "shmmni 2 3", "shmmni two",
		"shmmni -1", "msgmax 2147483648", "msgmnb 2147483648",
		"shmmax 18446744073709551616",
		"sem 250 32000 32", "sem 250 32000 32 128 5",
		"sem 2147483648 1 1 1", "shmmni 0x10", "", "\n",
		/* A valid line does not get through with a bad one. */
		"shmmni 5\nbogus 1\n",
		"msgmni 5\nsem 1 2 3\n", "sem 1 2 3 4\nmsgmax -5\n",
		"shmmni 5\nmsgmni 6\nshmmax 1 2\n",
	};
	char before[512], buf[512], over[4][64];
	unsigned long above = ipcmni() + 1;
	struct ev_log log = { 0 };
	const char *b;
	unsigned int i;

	/* Just beyond the kernel's bound, whichever it is. */
	snprintf(over[0], sizeof(over[0]), "shmmni %lu", above);
	snprintf(over[1], sizeof(over[1]), "msgmni %lu", above);
	snprintf(over[2], sizeof(over[2]), "sem 250 32000 32 %lu", above);
	snprintf(over[3], sizeof(over[3]), "shmmni 5\nshmmni %lu\n", above);
	ASSERT_GT(ct_read(self->name, "ipc", before, sizeof(before)), 0);
	ASSERT_FALSE(strstr(before, "shmmni 5\n"));
	for (i = 0; i < ARRAY_SIZE(bad) + ARRAY_SIZE(over); i++) {
		b = i < ARRAY_SIZE(bad) ? bad[i] : over[i - ARRAY_SIZE(bad)];
		ASSERT_EQ(-EINVAL, ct_write_str(self->name, "ipc", b)) {
			TH_LOG("\"%s\"", b);
		}
		ASSERT_GT(ct_read(self->name, "ipc", buf, sizeof(buf)), 0);
		ASSERT_STREQ(before, buf) {
			TH_LOG("after \"%s\"", b);
		}
	}
	ASSERT_EQ(0, ev_sync(&self->ev, &log));
	ASSERT_EQ(0, ev_count(&log, NSCTL_CMD_CONTAINER_CHANGED, self->id));
}

/*
 * The bound is the kernel's: what its own sysctl inside the namespace
 * accepts (the VMs boot some kernels with ipcmni_extend, where it is
 * 2^24), nsctl accepts, and what it refuses, nsctl refuses.
 */
TEST_F(pol, ipc_bound_is_the_kernels)
{
	static const char * const keys[] = { "shmmni", "msgmni" };
	unsigned long max = ipcmni();
	char line[64], val[32], buf[64];
	unsigned int i;

	TH_LOG("IPCMNI here: %lu", max);
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		snprintf(val, sizeof(val), "%lu", max);
		ASSERT_EQ(0, sysctl_inside(self->dirfd, keys[i], val));
		snprintf(val, sizeof(val), "%lu", max + 1);
		ASSERT_EQ(EINVAL, sysctl_inside(self->dirfd, keys[i], val));

		snprintf(line, sizeof(line), "%s 1", keys[i]);
		ASSERT_EQ(0, ct_write_str(self->name, "ipc", line));
		snprintf(line, sizeof(line), "%s %lu", keys[i], max);
		ASSERT_EQ(0, ct_write_str(self->name, "ipc", line)) {
			TH_LOG("%s", line);
		}
		ASSERT_EQ(0, ipc_field(self->name, keys[i], buf, sizeof(buf)));
		snprintf(val, sizeof(val), "%lu", max);
		ASSERT_STREQ(val, buf);
		snprintf(line, sizeof(line), "%s %lu", keys[i], max + 1);
		ASSERT_EQ(-EINVAL, ct_write_str(self->name, "ipc", line));
	}
	snprintf(line, sizeof(line), "sem 250 32000 32 %lu", max);
	ASSERT_EQ(0, ct_write_str(self->name, "ipc", line));
	snprintf(line, sizeof(line), "sem 250 32000 32 %lu", max + 1);
	ASSERT_EQ(-EINVAL, ct_write_str(self->name, "ipc", line));
}

TEST_HARNESS_MAIN
