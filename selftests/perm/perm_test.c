// SPDX-License-Identifier: GPL-2.0
/*
 * The permission matrix: every operation nsctl offers, run as each kind
 * of caller, each outcome checked against the documented one (README,
 * "Who may do what").
 *
 * Two containers: "pmi" holds a mount and a network namespace that every
 * caller joins first (while still root), so everyone sees it; "pmo" holds
 * a UTS namespace nobody is in, so only the full view (CAP_SYS_ADMIN in
 * the initial user namespace, from the initial PID namespace) sees it.  Each caller first
 * opens what it needs (the opener), then uses it (the user): the two are
 * one process except for "down" (opened as root, used after dropping to
 * nobody) and "up" (opened by nobody, passed to root over SCM_RIGHTS).
 * A descriptor its opener could not get makes every use of it fail with
 * the open's errno.
 */
#include <dirent.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "nsctl_test.h"
#include "nsctl_nl.h"

enum { F_ROOT, F_PMI, F_PMO, F_PMI_ON_EMPTY, F_PMI_UUID, F_PMO_UUID, F_NSLIST,
       F_NETNS, F_NL, F_COUNT };

enum op {
	OP_LS_PMI, OP_LS_PMO, OP_READ_PMI, OP_READ_PMO, OP_NSLIST_PMO,
	OP_WRITE_POLICY, OP_MKDIR, OP_SET_NS, OP_GET_NS_NET, OP_GET_NS_MNT,
	OP_ENTER_PMO, OP_NS_OPEN_PMO, OP_NS_INFO_PMI, OP_NL_GET_PMI,
	OP_NL_GET_PMO, OP_NL_DUMP_PMI, OP_NL_DUMP_PMO, OP_NL_NEW_DEL,
	OP_NL_GET_NS_PMO, OP_NL_SUBSCRIBE, OP_COUNT
};

static const char * const op_names[OP_COUNT] = {
	[OP_LS_PMI]		= "readdir of the root lists pmi",
	[OP_LS_PMO]		= "readdir of the root lists pmo",
	[OP_READ_PMI]		= "read pmi/uuid",
	[OP_READ_PMO]		= "read pmo/uuid",
	[OP_NSLIST_PMO]		= "namespaces file lists pmo's UTS",
	[OP_WRITE_POLICY]	= "write pmi/on_empty",
	[OP_MKDIR]		= "mkdir and rmdir a container",
	[OP_SET_NS]		= "SET_NS on pmi",
	[OP_GET_NS_NET]		= "GET_NS net of pmi",
	[OP_GET_NS_MNT]		= "GET_NS mnt of pmi",
	[OP_ENTER_PMO]		= "ENTER pmo",
	[OP_NS_OPEN_PMO]	= "NS_OPEN pmo's UTS by UUID",
	[OP_NS_INFO_PMI]	= "NS_INFO of the netns names pmi",
	[OP_NL_GET_PMI]		= "netlink GET_CONTAINER pmi",
	[OP_NL_GET_PMO]		= "netlink GET_CONTAINER pmo",
	[OP_NL_DUMP_PMI]	= "netlink dump lists pmi",
	[OP_NL_DUMP_PMO]	= "netlink dump lists pmo",
	[OP_NL_NEW_DEL]		= "netlink NEW and DEL_CONTAINER",
	[OP_NL_GET_NS_PMO]	= "netlink GET_NS pmo's UTS",
	[OP_NL_SUBSCRIBE]	= "subscribe to events",
};

enum who { W_ROOT, W_NOBODY, W_USERNS, W_NOCHROOT, W_PIDNS, W_DOWN, W_UP,
	   W_COUNT };

static const char * const who_names[W_COUNT] = {
	"root", "nobody", "userns root", "root w/o CAP_SYS_CHROOT",
	"root in child pidns", "fd down", "fd up",
};

/* In names of the containers each makes. */
static const char * const who_tags[W_COUNT] = {
	"root", "nobody", "userns", "nochroot", "pidns", "down", "up",
};

/*
 * The documented outcome of each operation for each caller: 0 or the
 * errno.  Columns as who_names.
 */
static const int expected[OP_COUNT][W_COUNT] = {
	/*			 root	nobody	userns	nochrt	pidns	down	up */
	[OP_LS_PMI]	  = {	0,	0,	0,	0,	0,	0,	0 },
	[OP_LS_PMO]	  = {	0,	ENOENT,	ENOENT,	0,	ENOENT,	0,	ENOENT },
	[OP_READ_PMI]	  = {	0,	0,	0,	0,	0,	0,	0 },
	[OP_READ_PMO]	  = {	0,	ENOENT,	ENOENT,	0,	ENOENT,	0,	ENOENT },
	[OP_NSLIST_PMO]	  = {	0,	ENOENT,	ENOENT,	0,	ENOENT,	0,	ENOENT },
	[OP_WRITE_POLICY] = {	0,	EACCES,	EACCES,	0,	0,	0,	EACCES },
	[OP_MKDIR]	  = {	0,	EACCES,	EACCES,	0,	ENOENT,	EACCES,	0 },
	[OP_SET_NS]	  = {	0,	EPERM,	EPERM,	0,	0,	EPERM,	EPERM },
	[OP_GET_NS_NET]	  = {	0,	EPERM,	EPERM,	0,	0,	EPERM,	0 },
	[OP_GET_NS_MNT]	  = {	0,	EPERM,	EPERM,	EPERM,	0,	EPERM,	0 },
	[OP_ENTER_PMO]	  = {	0,	ENOENT,	ENOENT,	0,	ENOENT,	EPERM,	ENOENT },
	[OP_NS_OPEN_PMO]  = {	0,	ENOENT,	ENOENT,	0,	ENOENT,	EPERM,	ENOENT },
	[OP_NS_INFO_PMI]  = {	0,	0,	0,	0,	0,	0,	0 },
	[OP_NL_GET_PMI]	  = {	0,	0,	0,	0,	0,	0,	0 },
	[OP_NL_GET_PMO]	  = {	0,	ENOENT,	ENOENT,	0,	ENOENT,	ENOENT,	0 },
	[OP_NL_DUMP_PMI]  = {	0,	0,	0,	0,	0,	0,	0 },
	[OP_NL_DUMP_PMO]  = {	0,	ENOENT,	ENOENT,	0,	ENOENT,	ENOENT,	0 },
	[OP_NL_NEW_DEL]	  = {	0,	EPERM,	EPERM,	0,	ENOENT,	EPERM,	EPERM },
	[OP_NL_GET_NS_PMO] = {	0,	ENOENT,	ENOENT,	0,	ENOENT,	ENOENT,	0 },
	[OP_NL_SUBSCRIBE] = {	0,	EPERM,	EPERM,	0,	0,	EPERM,	0 },
};

/* Learnt by the test as root before any caller runs. */
static struct {
	__u16 family;
	__u32 events_grp;
	__u8 pmo_uts[16];	/* UUID of pmo's UTS namespace */
	__u64 pmi_id;
	int pmi_mnt, pmi_net;	/* pmi's namespaces, to join */
} g;

/* Join pmi's namespaces: the caller is then inside it, and sees it. */
static int join_pmi(void)
{
	return setns(g.pmi_net, CLONE_NEWNET) || setns(g.pmi_mnt, CLONE_NEWNS);
}

/* The descriptors a caller opened: fd, or -errno when the open failed. */
struct fds {
	int fd[F_COUNT];
};

static int open_err(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static void open_all(struct fds *f)
{
	f->fd[F_ROOT] = open_err(NSCTL_TEST_ROOT, O_RDONLY | O_DIRECTORY);
	f->fd[F_PMI] = open_err(NSCTL_TEST_ROOT "/pmi", O_RDONLY | O_DIRECTORY);
	f->fd[F_PMO] = open_err(NSCTL_TEST_ROOT "/pmo", O_RDONLY | O_DIRECTORY);
	f->fd[F_PMI_ON_EMPTY] = open_err(NSCTL_TEST_ROOT "/pmi/on_empty", O_WRONLY);
	f->fd[F_PMI_UUID] = open_err(NSCTL_TEST_ROOT "/pmi/uuid", O_RDONLY);
	f->fd[F_PMO_UUID] = open_err(NSCTL_TEST_ROOT "/pmo/uuid", O_RDONLY);
	f->fd[F_NSLIST] = open_err(NSCTL_TEST_ROOT "/namespaces", O_RDONLY);
	f->fd[F_NETNS] = open_err("/proc/self/ns/net", O_RDONLY);
	f->fd[F_NL] = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (f->fd[F_NL] < 0)
		f->fd[F_NL] = -errno;
}

/* Read all of @fd from its start; length, or -errno. */
static ssize_t read_all(int fd, char *buf, size_t len)
{
	size_t n = 0;
	ssize_t r;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	while (n < len - 1) {
		r = read(fd, buf + n, len - 1 - n);
		if (r < 0)
			return -errno;
		if (!r)
			break;
		n += r;
	}
	buf[n] = '\0';
	return n;
}

static int ls_has(int fd, const char *name)
{
	char buf[4096];
	long n, off;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return errno;
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);

			if (!strcmp(d->d_name, name))
				return 0;
			off += d->d_reclen;
		}
	}
	return n < 0 ? errno : ENOENT;
}

/* The netlink socket @fd as a struct nl of the family learnt as root. */
static int nl_wrap(struct nl *nl, int fd)
{
	if (nl_adopt(nl, fd))
		return ENOMEM;
	nl->family = g.family;
	nl->events_grp = g.events_grp;
	return 0;
}

struct dump_find {
	const char *name;
	bool found;
};

static void dump_find_cb(const struct nlmsghdr *h, void *arg)
{
	struct dump_find *d = arg;
	struct nl_msg m;

	if (h->nlmsg_type == NLMSG_DONE)
		return;
	nl_parse_msg(h, &m);
	if (m.has_name && !strcmp(m.name, d->name))
		d->found = true;
}

static int nl_get_ct(struct nl *nl, const char *name)
{
	struct nl_req r;

	nl_req_init(&r, nl, nl->family, NSCTL_CMD_GET_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, name);
	return -nl_transact(nl, &r, NULL, NULL, NULL);
}

static int nl_dump_has(struct nl *nl, const char *name)
{
	struct dump_find d = { .name = name };
	struct nl_req r;
	int ret;

	nl_req_init(&r, nl, nl->family, NSCTL_CMD_GET_CONTAINER, NLM_F_DUMP);
	ret = -nl_transact(nl, &r, dump_find_cb, &d, NULL);
	if (ret)
		return ret;
	return d.found ? 0 : ENOENT;
}

static int nl_new_del(struct nl *nl, const char *name)
{
	struct nl_req r;
	int ret;

	nl_req_init(&r, nl, nl->family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, name);
	ret = -nl_transact(nl, &r, NULL, NULL, NULL);
	if (ret)
		return ret;
	nl_req_init(&r, nl, nl->family, NSCTL_CMD_DEL_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, name);
	return -nl_transact(nl, &r, NULL, NULL, NULL);
}

static int nl_get_ns(struct nl *nl, const __u8 uuid[16])
{
	struct nl_req r;

	nl_req_init(&r, nl, nl->family, NSCTL_CMD_GET_NS, NLM_F_ACK);
	nl_put(&r, NSCTL_A_NS_UUID, uuid, 16);
	return -nl_transact(nl, &r, NULL, NULL, NULL);
}

static int run_op(enum op op, const struct fds *f, const char *tag)
{
	char buf[8192], name[64], u[37];
	struct nl nl;
	int fd, ret, i;

	switch (op) {
	case OP_LS_PMI:
	case OP_LS_PMO:
		if (f->fd[F_ROOT] < 0)
			return -f->fd[F_ROOT];
		return ls_has(f->fd[F_ROOT], op == OP_LS_PMI ? "pmi" : "pmo");
	case OP_READ_PMI:
	case OP_READ_PMO:
		fd = f->fd[op == OP_READ_PMI ? F_PMI_UUID : F_PMO_UUID];
		if (fd < 0)
			return -fd;
		ret = read_all(fd, buf, sizeof(buf));
		return ret < 0 ? -ret : (ret == 37 ? 0 : EIO);
	case OP_NSLIST_PMO:
		if (f->fd[F_NSLIST] < 0)
			return -f->fd[F_NSLIST];
		ret = read_all(f->fd[F_NSLIST], buf, sizeof(buf));
		if (ret < 0)
			return -ret;
		return strstr(buf, uuid_str(g.pmo_uts, u)) ? 0 : ENOENT;
	case OP_WRITE_POLICY:
		if (f->fd[F_PMI_ON_EMPTY] < 0)
			return -f->fd[F_PMI_ON_EMPTY];
		return write(f->fd[F_PMI_ON_EMPTY], "ignore", 6) == 6 ? 0 : errno;
	case OP_MKDIR:
		if (f->fd[F_ROOT] < 0)
			return -f->fd[F_ROOT];
		snprintf(name, sizeof(name), "pmx-%s", tag);
		if (mkdirat(f->fd[F_ROOT], name, 0755))
			return errno;
		return unlinkat(f->fd[F_ROOT], name, AT_REMOVEDIR) ? errno : 0;
	case OP_SET_NS: {
		struct nsctl_set_ns a = { 0 };

		if (f->fd[F_PMI] < 0)
			return -f->fd[F_PMI];
		for (i = 0; i < NSCTL_NS_COUNT; i++)
			a.fds[i] = -1;
		return ioctl(f->fd[F_PMI], NSCTL_IOC_SET_NS, &a) ? errno : 0;
	}
	case OP_GET_NS_NET:
	case OP_GET_NS_MNT:
		if (f->fd[F_PMI] < 0)
			return -f->fd[F_PMI];
		fd = ct_get_ns(f->fd[F_PMI], op == OP_GET_NS_NET ? NSCTL_NS_NET :
							      NSCTL_NS_MNT);
		if (fd < 0)
			return errno;
		close(fd);
		return 0;
	case OP_ENTER_PMO: {
		struct nsctl_enter e = { 0 };

		if (f->fd[F_PMO] < 0)
			return -f->fd[F_PMO];
		if (ioctl(f->fd[F_PMO], NSCTL_IOC_ENTER, &e))
			return errno;
		for (i = 0; i < NSCTL_NS_COUNT; i++)
			if (e.fds[i] >= 0)
				close(e.fds[i]);
		return e.entered == NSCTL_NS_BIT(NSCTL_NS_UTS) ? 0 : EIO;
	}
	case OP_NS_OPEN_PMO: {
		struct nsctl_ns_open o = { 0 };

		if (f->fd[F_ROOT] < 0)
			return -f->fd[F_ROOT];
		memcpy(o.uuid, g.pmo_uts, 16);
		fd = ioctl(f->fd[F_ROOT], NSCTL_IOC_NS_OPEN, &o);
		if (fd < 0)
			return errno;
		close(fd);
		return 0;
	}
	case OP_NS_INFO_PMI: {
		struct nsctl_ns_info in = { 0 };
		__u64 ids[64];

		if (f->fd[F_ROOT] < 0)
			return -f->fd[F_ROOT];
		in.fd = f->fd[F_NETNS];
		in.containers = (uintptr_t)ids;
		in.containers_max = 64;
		if (ioctl(f->fd[F_ROOT], NSCTL_IOC_NS_INFO, &in))
			return errno;
		for (i = 0; i < (int)in.containers_count && i < 64; i++)
			if (ids[i] == g.pmi_id)
				return 0;
		return ENOENT;
	}
	default:
		break;
	}

	/* Netlink. */
	if (f->fd[F_NL] < 0)
		return -f->fd[F_NL];
	ret = nl_wrap(&nl, f->fd[F_NL]);
	if (ret)
		return ret;
	switch (op) {
	case OP_NL_GET_PMI:
	case OP_NL_GET_PMO:
		ret = nl_get_ct(&nl, op == OP_NL_GET_PMI ? "pmi" : "pmo");
		break;
	case OP_NL_DUMP_PMI:
	case OP_NL_DUMP_PMO:
		ret = nl_dump_has(&nl, op == OP_NL_DUMP_PMI ? "pmi" : "pmo");
		break;
	case OP_NL_NEW_DEL:
		snprintf(name, sizeof(name), "pmn-%s", tag);
		ret = nl_new_del(&nl, name);
		break;
	case OP_NL_GET_NS_PMO:
		ret = nl_get_ns(&nl, g.pmo_uts);
		break;
	case OP_NL_SUBSCRIBE:
		ret = -nl_subscribe(&nl, 0);
		if (!ret)
			setsockopt(nl.fd, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP,
				   &nl.events_grp, sizeof(nl.events_grp));
		break;
	default:
		ret = EINVAL;
	}
	free(nl.buf);
	return ret;
}

/* Use @f: every operation's outcome to @out (a pipe), one byte each. */
static int run_all(const struct fds *f, const char *tag, int out)
{
	unsigned char res[OP_COUNT];
	int i;

	for (i = 0; i < OP_COUNT; i++)
		res[i] = run_op(i, f, tag);
	return write(out, res, sizeof(res)) == sizeof(res) ? 0 : 1;
}

static int become_nobody(void)
{
	return drop_to_nobody(0);
}

/* Nobody, then root (all capabilities) of a user namespace of its own. */
static int become_userns_root(void)
{
	/* Dumpable again after the uid change, so /proc/self is its own. */
	if (become_nobody() || prctl(PR_SET_DUMPABLE, 1) || unshare(CLONE_NEWUSER))
		return -1;
	return write_file("/proc/self/setgroups", "deny") ||
	       write_file("/proc/self/uid_map", "0 65534 1") ||
	       write_file("/proc/self/gid_map", "0 65534 1");
}

/* Nobody opens everything and sends it on @sk. */
static int open_as_nobody_and_send(int sk)
{
	struct fds f;
	int i;

	if (join_pmi() || become_nobody())
		return 1;
	open_all(&f);
	for (i = 0; i < F_COUNT; i++) {
		/* A failed open goes as its errno in the byte sent alone. */
		if (f.fd[i] < 0) {
			unsigned char e = -f.fd[i];

			if (write(sk, &e, 1) != 1)
				return 2;
		} else if (send_fd(sk, f.fd[i])) {
			return 3;
		}
	}
	return 0;
}

static int recv_fd_or_errno(int sk)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	unsigned char c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	int fd;

	if (recvmsg(sk, &mh, MSG_CMSG_CLOEXEC) != 1)
		return -EIO;
	if (!CMSG_FIRSTHDR(&mh))
		return -(int)c;
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
	return fd;
}

/* The caller @w, in a child: opens, becomes the user, runs everything. */
static int caller(enum who w, int out)
{
	int sk[2], status, i;
	struct fds f;
	pid_t pid;

	if (join_pmi())
		return 99;
	switch (w) {
	case W_ROOT:
		break;
	case W_NOBODY:
		if (become_nobody())
			return 100;
		break;
	case W_USERNS:
		if (become_userns_root())
			return 100;
		break;
	case W_NOCHROOT:
		if (drop_cap(CAP_SYS_CHROOT))
			return 100;
		break;
	case W_PIDNS:
		if (unshare(CLONE_NEWPID))
			return 100;
		pid = fork();
		if (pid < 0)
			return 100;
		if (pid == 0) {
			open_all(&f);
			_exit(run_all(&f, who_tags[w], out));
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
			return 101;
		return WEXITSTATUS(status);
	case W_DOWN:
		open_all(&f);
		if (become_nobody())
			return 100;
		return run_all(&f, who_tags[w], out);
	case W_UP:
		if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sk))
			return 100;
		pid = fork();
		if (pid < 0)
			return 100;
		if (pid == 0)
			_exit(open_as_nobody_and_send(sk[0]));
		for (i = 0; i < F_COUNT; i++)
			f.fd[i] = recv_fd_or_errno(sk[1]);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			return 101;
		return run_all(&f, who_tags[w], out);
	default:
		return 100;
	}
	open_all(&f);
	return run_all(&f, who_tags[w], out);
}

FIXTURE(perm) {
	int pmi, pmo;
	pid_t holder;
	int release;
};

FIXTURE_SETUP(perm)
{
	int fds[NSCTL_NS_COUNT], i;
	char path[64], line[256], *p;
	struct nl nl;

	ct_remove("pmi");
	ct_remove("pmo");
	self->pmi = ct_make("pmi");
	ASSERT_GE(self->pmi, 0);
	self->pmo = ct_make("pmo");
	ASSERT_GE(self->pmo, 0);
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		fds[i] = -1;

	/* pmi: a mount and a network namespace, kept open to join. */
	self->holder = ns_holder(CLONE_NEWNS | CLONE_NEWNET, &self->release);
	ASSERT_GT(self->holder, 0);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", self->holder);
	g.pmi_net = fds[NSCTL_NS_NET] = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", self->holder);
	g.pmi_mnt = fds[NSCTL_NS_MNT] = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(g.pmi_net, 0);
	ASSERT_GE(g.pmi_mnt, 0);
	ASSERT_EQ(0, ct_set_ns(self->pmi, NSCTL_NS_BIT(NSCTL_NS_NET) |
			       NSCTL_NS_BIT(NSCTL_NS_MNT), fds, 0, NULL));
	ns_holder_end(self->holder, self->release);
	fds[NSCTL_NS_NET] = fds[NSCTL_NS_MNT] = -1;

	self->holder = ns_holder(CLONE_NEWUTS, &self->release);
	ASSERT_GT(self->holder, 0);
	snprintf(path, sizeof(path), "/proc/%d/ns/uts", self->holder);
	fds[NSCTL_NS_UTS] = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fds[NSCTL_NS_UTS], 0);
	ASSERT_EQ(0, ct_set_ns(self->pmo, NSCTL_NS_BIT(NSCTL_NS_UTS), fds, 0, NULL));
	close(fds[NSCTL_NS_UTS]);
	ns_holder_end(self->holder, self->release);

	/* pmo's UTS namespace by UUID: "uts INUM UUID". */
	ASSERT_GT(ct_read("pmo", "namespaces", line, sizeof(line)), 0);
	p = strstr(line, "uts ");
	ASSERT_NE(NULL, p);
	p = strchr(p + 4, ' ');
	ASSERT_NE(NULL, p);
	for (i = 0; i < 16; i++) {
		if (*++p == '-')
			p++;
		ASSERT_EQ(1, sscanf(p, "%2hhx", &g.pmo_uts[i]));
		p++;
	}
	g.pmi_id = ct_read_u64("pmi", "id");

	ASSERT_EQ(0, nl_open(&nl));
	g.family = nl.family;
	g.events_grp = nl.events_grp;
	nl_close(&nl);
}

FIXTURE_TEARDOWN(perm)
{
	char name[64];
	int w;

	/* What a caller made and could not see to remove (an empty one). */
	for (w = 0; w < W_COUNT; w++) {
		snprintf(name, sizeof(name), "pmx-%s", who_tags[w]);
		ct_remove(name);
		snprintf(name, sizeof(name), "pmn-%s", who_tags[w]);
		ct_remove(name);
	}
	close(g.pmi_net);
	close(g.pmi_mnt);
	close(self->pmi);
	close(self->pmo);
	ct_remove("pmi");
	ct_remove("pmo");
}

static void check_caller(struct __test_metadata *_metadata, enum who w)
{
	unsigned char res[OP_COUNT];
	int p[2], status, i, bad = 0;
	pid_t pid;

	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		close(p[0]);
		_exit(caller(w, p[1]));
	}
	close(p[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(OP_COUNT, read(p[0], res, sizeof(res)));
	close(p[0]);
	for (i = 0; i < OP_COUNT; i++) {
		if (res[i] == expected[i][w])
			continue;
		TH_LOG("%s: %s: %s, documented: %s", who_names[w], op_names[i],
		       res[i] ? strerror(res[i]) : "ok",
		       expected[i][w] ? strerror(expected[i][w]) : "ok");
		bad++;
	}
	EXPECT_EQ(0, bad);
}

TEST_F(perm, root)			{ check_caller(_metadata, W_ROOT); }
TEST_F(perm, nobody)			{ check_caller(_metadata, W_NOBODY); }
TEST_F(perm, userns_root)		{ check_caller(_metadata, W_USERNS); }
TEST_F(perm, root_without_sys_chroot)	{ check_caller(_metadata, W_NOCHROOT); }
TEST_F(perm, root_in_child_pidns)	{ check_caller(_metadata, W_PIDNS); }
TEST_F(perm, fd_opened_by_root_used_by_nobody) { check_caller(_metadata, W_DOWN); }
TEST_F(perm, fd_opened_by_nobody_used_by_root) { check_caller(_metadata, W_UP); }

TEST_HARNESS_MAIN
