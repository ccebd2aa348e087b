/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small raw generic netlink client for the "nsctl" family, shared by
 * the netlink selftests and the benchmarks: building requests attribute
 * by attribute (so that tests can also build wrong ones), reading replies
 * with their extended acks, dumps, and events with their sequence numbers.
 * Functions return 0 or a negative errno; none prints anything.
 */
#ifndef NSCTL_NL_H
#define NSCTL_NL_H

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <linux/nsctl.h>

#define NL_BUF_SIZE	(64 * 1024)

struct nl {
	int fd;
	__u16 family;
	__u32 events_grp;	/* multicast group id of "events" */
	__u32 version;
	__u32 seq;
	/* Received datagram being taken apart. */
	char *buf;
	size_t len, off;
	unsigned long datagrams;	/* received so far */
	/*
	 * What each recv(2) asks for.  The kernel sizes a dump's parts by
	 * the largest a socket has asked for: nl_open_small() makes them
	 * small, so that a few hundred containers fill several.
	 */
	size_t bufsize;
	/* Events: the last sequence number seen and what went wrong. */
	__u64 last_seq;
	unsigned int gaps;
	unsigned int overruns;
};

/* A request being built. */
struct nl_req {
	char buf[16384];
	size_t len;
	size_t nest[4];
	int depth;
};

/* What a request's ack said. */
struct nl_ack {
	int error;		/* 0 or -errno */
	char msg[256];		/* extended ack message, "" when none */
	int has_offs;
	__u32 offs;		/* offset of the attribute it names */
	int has_miss_type;
	__u32 miss_type;
};

/* Decoded container, namespace or pool message (replies, dumps, events). */
struct nl_ns_ref {
	bool present;
	__u32 inum;
	__u8 uuid[16];
};

/* Cgroups of ready members a GET_POOL reply lists, kept by the parser. */
#define NL_POOL_MEMBERS_MAX	64

/* Decoded pool message (GET_POOL replies and dumps, pool events). */
struct nl_pool {
	bool has_name, has_types, has_size, has_low, has_max_age, has_flags;
	bool has_ready, has_claimed, has_added, has_expired, has_missed;
	bool has_created, has_oldest;
	bool has_memory_max, has_pids_max, has_cpu_max;
	char name[NSCTL_POOL_NAME_MAX + 2];
	__u64 types;
	__u32 size, low, max_age, flags, ready;
	__u64 claimed, added, expired, missed;
	__s64 created, oldest;
	char memory_max[NSCTL_POOL_LIMIT_MAX + 2];
	char pids_max[NSCTL_POOL_LIMIT_MAX + 2];
	char cpu_max[NSCTL_POOL_LIMIT_MAX + 2];
	/* Every NSCTL_A_POOL_MEMBER_CGROUP counted, the first ones kept. */
	unsigned int nmembers;
	__u64 member_cgroups[NL_POOL_MEMBERS_MAX];
};

struct nl_msg {
	__u8 cmd;
	__u16 nlflags;
	bool has_seq;
	__u64 seq;
	/* Container message. */
	bool has_id, has_gen, has_pid_init, has_changed, has_pid;
	bool has_cgroup_id, has_cgroup_path, has_created, has_enters;
	bool has_ct_uuid, has_on_empty, has_enter_policy;
	__u32 on_empty, enter_policy;
	__u64 id;
	char name[NSCTL_NAME_MAX + 2];
	bool has_name;
	__u8 uuid[16];
	__u64 gen;
	__s64 created;
	__u64 enters;
	__u32 pid_init;
	__u64 cgroup_id;
	char cgroup_path[256];
	__u64 changed;
	__u32 pid;
	struct nl_ns_ref ns[NSCTL_NS_COUNT];
	unsigned int ns_nests;
	/* Labels as "key=value\n" lines; the held net namespace's cookie. */
	bool has_labels;
	unsigned int nlabels;
	char labels[NSCTL_LABELS_SIZE + 1];
	__u64 ct_net_cookie;
	/* Namespace message: its cookie (net). */
	bool has_net_cookie;
	__u64 net_cookie;
	/* Namespace message. */
	bool has_ns_uuid, has_ns_type, has_ns_inum, has_owner, has_parent;
	__u8 ns_uuid[16];
	__u32 ns_type;
	__u32 ns_inum;
	__u8 owner[16];
	__u8 parent[16];
	unsigned int ncontainers;
	__u64 containers[16];
	unsigned int containers_total;	/* every NSCTL_A_NS_CONTAINER ... */
	__u64 containers_sum;		/* ... and the sum of their ids */
	/*
	 * Pool message; the template's policies and labels are the
	 * container message's on_empty, enter_policy and labels above.
	 */
	struct nl_pool pool;
	/* Attribute types seen at the top level (bit per type). */
	__u64 attrs_seen;
};

static inline void *nl_attr_data(struct nlattr *a)
{
	return (char *)a + NLA_HDRLEN;
}

static inline int nl_attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

#define nl_for_each_attr(a, start, total)					\
	for (a = (struct nlattr *)(start);					\
	     (char *)a + NLA_HDRLEN <= (char *)(start) + (total) &&		\
	     a->nla_len >= NLA_HDRLEN &&					\
	     (char *)a + a->nla_len <= (char *)(start) + (total);		\
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))

/* Requests. */

static inline void nl_req_init(struct nl_req *r, struct nl *nl, __u16 family,
			       __u8 cmd, __u16 flags)
{
	struct nlmsghdr *h = (struct nlmsghdr *)r->buf;
	struct genlmsghdr *g = (struct genlmsghdr *)(r->buf + NLMSG_HDRLEN);

	memset(r->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_type = family;
	h->nlmsg_flags = NLM_F_REQUEST | flags;
	h->nlmsg_seq = ++nl->seq;
	g->cmd = cmd;
	g->version = NSCTL_GENL_VERSION;
	r->len = NLMSG_HDRLEN + GENL_HDRLEN;
	r->depth = 0;
}

/* Put an attribute of any length; returns its offset in the message. */
static inline size_t nl_put(struct nl_req *r, __u16 type, const void *data,
			    size_t len)
{
	struct nlattr *a = (struct nlattr *)(r->buf + r->len);
	size_t off = r->len;

	if (r->len + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(r->buf))
		abort();
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memset((char *)a + NLA_HDRLEN, 0, NLA_ALIGN(len));
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	r->len += NLA_HDRLEN + NLA_ALIGN(len);
	return off;
}

static inline size_t nl_put_u32(struct nl_req *r, __u16 type, __u32 v)
{
	return nl_put(r, type, &v, sizeof(v));
}

static inline size_t nl_put_u64(struct nl_req *r, __u16 type, __u64 v)
{
	return nl_put(r, type, &v, sizeof(v));
}

static inline size_t nl_put_str(struct nl_req *r, __u16 type, const char *s)
{
	return nl_put(r, type, s, strlen(s) + 1);
}

static inline size_t nl_nest_start(struct nl_req *r, __u16 type)
{
	size_t off = nl_put(r, type | NLA_F_NESTED, NULL, 0);

	r->nest[r->depth++] = off;
	return off;
}

static inline void nl_nest_end(struct nl_req *r)
{
	size_t off = r->nest[--r->depth];
	struct nlattr *a = (struct nlattr *)(r->buf + off);

	a->nla_len = r->len - off;
}

/* A NSCTL_A_CT_NS nest for a NEW_CONTAINER request: @fd, or a pid if @pid. */
static inline void nl_put_ns(struct nl_req *r, __u32 type, __s32 fd, __s32 pid)
{
	nl_nest_start(r, NSCTL_A_CT_NS);
	nl_put_u32(r, NSCTL_A_NS_TYPE, type);
	if (pid > 0)
		nl_put(r, NSCTL_A_NS_PID, &pid, sizeof(pid));
	else
		nl_put(r, NSCTL_A_NS_FD, &fd, sizeof(fd));
	nl_nest_end(r);
}

static inline int nl_send(struct nl *nl, struct nl_req *r)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr *h = (struct nlmsghdr *)r->buf;

	h->nlmsg_len = r->len;
	if (sendto(nl->fd, r->buf, r->len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) != (ssize_t)r->len)
		return -errno;
	return 0;
}

/* Messages. */

static inline void nl_parse_ns_nest(struct nl_msg *m, struct nlattr *nest)
{
	struct nlattr *a;
	bool has_type = false;
	__u32 type = 0, inum = 0;
	__u8 uuid[16] = { 0 };

	nl_for_each_attr(a, nl_attr_data(nest), nl_attr_len(nest)) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case NSCTL_A_NS_TYPE:
			if (nl_attr_len(a) == 4) {
				memcpy(&type, nl_attr_data(a), 4);
				has_type = true;
			}
			break;
		case NSCTL_A_NS_INUM:
			if (nl_attr_len(a) == 4)
				memcpy(&inum, nl_attr_data(a), 4);
			break;
		case NSCTL_A_NS_UUID:
			if (nl_attr_len(a) == 16)
				memcpy(uuid, nl_attr_data(a), 16);
			break;
		case NSCTL_A_NS_NET_COOKIE:
			if (nl_attr_len(a) == 8)
				memcpy(&m->ct_net_cookie, nl_attr_data(a), 8);
			break;
		}
	}
	m->ns_nests++;
	if (!has_type || type >= NSCTL_NS_COUNT)
		return;
	m->ns[type].present = true;
	m->ns[type].inum = inum;
	memcpy(m->ns[type].uuid, uuid, 16);
}

/* "key=value\n" per NSCTL_A_LABEL, each checked to end in its NUL. */
static inline void nl_parse_labels(struct nl_msg *m, struct nlattr *nest)
{
	size_t off = strlen(m->labels);
	struct nlattr *a;
	int len;

	m->has_labels = true;
	nl_for_each_attr(a, nl_attr_data(nest), nl_attr_len(nest)) {
		len = nl_attr_len(a);
		if ((a->nla_type & NLA_TYPE_MASK) != NSCTL_A_LABEL || len < 1 ||
		    ((char *)nl_attr_data(a))[len - 1] != '\0' ||
		    off + len >= sizeof(m->labels))
			continue;
		memcpy(m->labels + off, nl_attr_data(a), len - 1);
		off += len - 1;
		m->labels[off++] = '\n';
		m->labels[off] = '\0';
		m->nlabels++;
	}
}

#define NL_GET(field, a, flag) do {						\
	if (nl_attr_len(a) == sizeof(field)) {					\
		memcpy(&(field), nl_attr_data(a), sizeof(field));		\
		flag = true;							\
	}									\
} while (0)

/* A string attribute into @buf of @size: set only when it fits, NUL included. */
static inline bool nl_get_str(const struct nlattr *a, char *buf, size_t size)
{
	int len = nl_attr_len(a);

	if (len < 1 || (size_t)len > size ||
	    memchr(nl_attr_data((struct nlattr *)a), '\0', len) == NULL)
		return false;
	memcpy(buf, nl_attr_data((struct nlattr *)a), len);
	return true;
}

/* The NSCTL_A_POOL_* attribute @a into @p; false when @a is not one. */
static inline bool nl_parse_pool_attr(struct nl_pool *p, struct nlattr *a)
{
	switch (a->nla_type & NLA_TYPE_MASK) {
	case NSCTL_A_POOL_NAME:
		p->has_name = nl_get_str(a, p->name, sizeof(p->name));
		break;
	case NSCTL_A_POOL_TYPES:
		NL_GET(p->types, a, p->has_types);
		break;
	case NSCTL_A_POOL_SIZE:
		NL_GET(p->size, a, p->has_size);
		break;
	case NSCTL_A_POOL_LOW:
		NL_GET(p->low, a, p->has_low);
		break;
	case NSCTL_A_POOL_MAX_AGE:
		NL_GET(p->max_age, a, p->has_max_age);
		break;
	case NSCTL_A_POOL_FLAGS:
		NL_GET(p->flags, a, p->has_flags);
		break;
	case NSCTL_A_POOL_READY:
		NL_GET(p->ready, a, p->has_ready);
		break;
	case NSCTL_A_POOL_CLAIMED:
		NL_GET(p->claimed, a, p->has_claimed);
		break;
	case NSCTL_A_POOL_ADDED:
		NL_GET(p->added, a, p->has_added);
		break;
	case NSCTL_A_POOL_EXPIRED:
		NL_GET(p->expired, a, p->has_expired);
		break;
	case NSCTL_A_POOL_MISSED:
		NL_GET(p->missed, a, p->has_missed);
		break;
	case NSCTL_A_POOL_CREATED:
		NL_GET(p->created, a, p->has_created);
		break;
	case NSCTL_A_POOL_OLDEST:
		NL_GET(p->oldest, a, p->has_oldest);
		break;
	case NSCTL_A_POOL_MEMORY_MAX:
		p->has_memory_max = nl_get_str(a, p->memory_max, sizeof(p->memory_max));
		break;
	case NSCTL_A_POOL_PIDS_MAX:
		p->has_pids_max = nl_get_str(a, p->pids_max, sizeof(p->pids_max));
		break;
	case NSCTL_A_POOL_CPU_MAX:
		p->has_cpu_max = nl_get_str(a, p->cpu_max, sizeof(p->cpu_max));
		break;
	case NSCTL_A_POOL_MEMBER_CGROUP:
		if (nl_attr_len(a) != 8)
			break;
		if (p->nmembers < NL_POOL_MEMBERS_MAX)
			memcpy(&p->member_cgroups[p->nmembers], nl_attr_data(a), 8);
		p->nmembers++;
		break;
	default:
		return false;
	}
	return true;
}

/* Decode a generic netlink message of the nsctl family. */
static inline void nl_parse_msg(const struct nlmsghdr *h, struct nl_msg *m)
{
	struct genlmsghdr *g = (struct genlmsghdr *)NLMSG_DATA(h);
	int total = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	struct nlattr *a;
	int len;

	memset(m, 0, sizeof(*m));
	m->cmd = g->cmd;
	m->nlflags = h->nlmsg_flags;
	nl_for_each_attr(a, (char *)g + GENL_HDRLEN, total) {
		int type = a->nla_type & NLA_TYPE_MASK;

		if (type < 64)
			m->attrs_seen |= 1ULL << type;
		if (nl_parse_pool_attr(&m->pool, a))
			continue;
		len = nl_attr_len(a);
		switch (type) {
		case NSCTL_A_EVENT_SEQ:
			NL_GET(m->seq, a, m->has_seq);
			break;
		case NSCTL_A_CT_ID:
			NL_GET(m->id, a, m->has_id);
			break;
		case NSCTL_A_CT_NAME:
			if (len > 0 && len < (int)sizeof(m->name)) {
				memcpy(m->name, nl_attr_data(a), len);
				m->name[len] = '\0';
				m->has_name = true;
			}
			break;
		case NSCTL_A_CT_UUID:
			if (len == 16) {
				memcpy(m->uuid, nl_attr_data(a), 16);
				m->has_ct_uuid = true;
			}
			break;
		case NSCTL_A_CT_GENERATION:
			NL_GET(m->gen, a, m->has_gen);
			break;
		case NSCTL_A_CT_CREATED:
			NL_GET(m->created, a, m->has_created);
			break;
		case NSCTL_A_CT_ENTERS:
			NL_GET(m->enters, a, m->has_enters);
			break;
		case NSCTL_A_CT_PID_INIT:
			NL_GET(m->pid_init, a, m->has_pid_init);
			break;
		case NSCTL_A_CT_CGROUP_ID:
			NL_GET(m->cgroup_id, a, m->has_cgroup_id);
			break;
		case NSCTL_A_CT_CGROUP_PATH:
			if (len > 0 && len < (int)sizeof(m->cgroup_path)) {
				memcpy(m->cgroup_path, nl_attr_data(a), len);
				m->cgroup_path[len] = '\0';
				m->has_cgroup_path = true;
			}
			break;
		case NSCTL_A_CT_NS:
			nl_parse_ns_nest(m, a);
			break;
		case NSCTL_A_CT_LABELS:
			nl_parse_labels(m, a);
			break;
		case NSCTL_A_NS_NET_COOKIE:
			NL_GET(m->net_cookie, a, m->has_net_cookie);
			break;
		case NSCTL_A_CT_ON_EMPTY:
			NL_GET(m->on_empty, a, m->has_on_empty);
			break;
		case NSCTL_A_CT_ENTER_POLICY:
			NL_GET(m->enter_policy, a, m->has_enter_policy);
			break;
		case NSCTL_A_CT_CHANGED:
			NL_GET(m->changed, a, m->has_changed);
			break;
		case NSCTL_A_PID:
			NL_GET(m->pid, a, m->has_pid);
			break;
		case NSCTL_A_NS_UUID:
			if (len == 16) {
				memcpy(m->ns_uuid, nl_attr_data(a), 16);
				m->has_ns_uuid = true;
			}
			break;
		case NSCTL_A_NS_TYPE:
			NL_GET(m->ns_type, a, m->has_ns_type);
			break;
		case NSCTL_A_NS_INUM:
			NL_GET(m->ns_inum, a, m->has_ns_inum);
			break;
		case NSCTL_A_NS_OWNER_UUID:
			if (len == 16) {
				memcpy(m->owner, nl_attr_data(a), 16);
				m->has_owner = true;
			}
			break;
		case NSCTL_A_NS_PARENT_UUID:
			if (len == 16) {
				memcpy(m->parent, nl_attr_data(a), 16);
				m->has_parent = true;
			}
			break;
		case NSCTL_A_NS_CONTAINER:
			if (len != 8)
				break;
			if (m->ncontainers < 16)
				memcpy(&m->containers[m->ncontainers++],
				       nl_attr_data(a), 8);
			m->containers_total++;
			m->containers_sum += *(__u64 *)nl_attr_data(a);
			break;
		}
	}
}

static inline void nl_parse_ack(const struct nlmsghdr *h, struct nl_ack *ack)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t off = NLMSG_HDRLEN + sizeof(*e);
	struct nlattr *a;

	memset(ack, 0, sizeof(*ack));
	ack->error = e->error;
	/* Without NETLINK_CAP_ACK an error echoes the whole request. */
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS) || off > h->nlmsg_len)
		return;
	nl_for_each_attr(a, (char *)h + off, h->nlmsg_len - off) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			snprintf(ack->msg, sizeof(ack->msg), "%.*s",
				 nl_attr_len(a), (char *)nl_attr_data(a));
			break;
		case NLMSGERR_ATTR_OFFS:
			if (nl_attr_len(a) == 4) {
				memcpy(&ack->offs, nl_attr_data(a), 4);
				ack->has_offs = 1;
			}
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (nl_attr_len(a) == 4) {
				memcpy(&ack->miss_type, nl_attr_data(a), 4);
				ack->has_miss_type = 1;
			}
			break;
		}
	}
}

/* Receiving. */

/*
 * The next netlink message, reading a datagram when the last one is used
 * up.  @timeout_ms < 0 waits for ever.  Returns 1 with *@h set, 0 on
 * timeout, -errno (-ENOBUFS: the socket overran).
 */
static inline int nl_next(struct nl *nl, struct nlmsghdr **h, int timeout_ms)
{
	struct nlmsghdr *m;
	ssize_t n;

	if (nl->off >= nl->len) {
		if (timeout_ms >= 0) {
			struct pollfd p = { .fd = nl->fd, .events = POLLIN };
			int r = poll(&p, 1, timeout_ms);

			if (r < 0)
				return -errno;
			if (r == 0)
				return 0;
		}
		n = recv(nl->fd, nl->buf, nl->bufsize, 0);
		if (n < 0)
			return -errno;
		nl->len = n;
		nl->off = 0;
		nl->datagrams++;
	}
	m = (struct nlmsghdr *)(nl->buf + nl->off);
	if (nl->len - nl->off < NLMSG_HDRLEN || m->nlmsg_len < NLMSG_HDRLEN ||
	    m->nlmsg_len > nl->len - nl->off) {
		nl->off = nl->len;
		return -EBADMSG;
	}
	nl->off += NLMSG_ALIGN(m->nlmsg_len);
	*h = m;
	return 1;
}

/* @nl around the generic netlink socket @fd, which it now owns. */
static inline int nl_adopt(struct nl *nl, int fd)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->buf = malloc(NL_BUF_SIZE);
	if (!nl->buf)
		return -ENOMEM;
	nl->bufsize = NL_BUF_SIZE;
	nl->fd = fd;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

static inline int nl_open_raw(struct nl *nl)
{
	int fd, ret;

	memset(nl, 0, sizeof(*nl));
	nl->fd = -1;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	ret = nl_adopt(nl, fd);
	if (ret)
		close(fd);
	return ret;
}

static inline void nl_close(struct nl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
	free(nl->buf);
	nl->buf = NULL;
}

/*
 * Send a request and read what comes back until its ack, NLMSG_DONE or an
 * error: each reply message of the family goes to @cb (may be NULL).
 * Returns the ack's error (0 or -errno); @ack gets the details.
 */
static inline int nl_transact(struct nl *nl, struct nl_req *r,
			      void (*cb)(const struct nlmsghdr *, void *),
			      void *arg, struct nl_ack *ack)
{
	struct nlmsghdr *reqh = (struct nlmsghdr *)r->buf;
	struct nl_ack local;
	struct nlmsghdr *h = NULL;
	int ret;

	if (!ack)
		ack = &local;
	memset(ack, 0, sizeof(*ack));
	ret = nl_send(nl, r);
	if (ret)
		return ret;
	for (;;) {
		ret = nl_next(nl, &h, 30000);
		if (ret <= 0)
			return ret ? ret : -ETIMEDOUT;
		if (h->nlmsg_seq != reqh->nlmsg_seq)
			continue;
		if (h->nlmsg_type == NLMSG_ERROR) {
			nl_parse_ack(h, ack);
			return ack->error;
		}
		if (h->nlmsg_type == NLMSG_DONE) {
			/* A dump's end carries its error, if any. */
			if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
				ack->error = *(int *)NLMSG_DATA(h);
			if (cb && ack->error == 0)
				cb(h, arg);
			return ack->error;
		}
		if (cb)
			cb(h, arg);
		/* A do request without NLM_F_ACK ends at its reply. */
		if (!(reqh->nlmsg_flags & (NLM_F_ACK | NLM_F_DUMP)))
			return 0;
	}
}

static inline void nl_resolve_cb(const struct nlmsghdr *h, void *arg)
{
	struct nl *nl = arg;
	struct genlmsghdr *g = NLMSG_DATA(h);
	struct nlattr *a, *grp, *b;

	if (h->nlmsg_type != GENL_ID_CTRL)
		return;
	nl_for_each_attr(a, (char *)g + GENL_HDRLEN,
			 (int)(h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN)) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case CTRL_ATTR_FAMILY_ID:
			memcpy(&nl->family, nl_attr_data(a), 2);
			break;
		case CTRL_ATTR_VERSION:
			memcpy(&nl->version, nl_attr_data(a), 4);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			nl_for_each_attr(grp, nl_attr_data(a), nl_attr_len(a)) {
				bool events = false;
				__u32 id = 0;

				nl_for_each_attr(b, nl_attr_data(grp), nl_attr_len(grp)) {
					if (b->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
						events = !strcmp(nl_attr_data(b),
								 NSCTL_GENL_MCGRP_EVENTS);
					else if (b->nla_type == CTRL_ATTR_MCAST_GRP_ID)
						memcpy(&id, nl_attr_data(b), 4);
				}
				if (events)
					nl->events_grp = id;
			}
			break;
		}
	}
}

/* Open a socket and find the nsctl family and its events group. */
/* A socket of the family with recv(2) of @bufsize (at most NL_BUF_SIZE). */
static inline int nl_open_sized(struct nl *nl, size_t bufsize)
{
	struct nl_req *r;
	int ret;

	ret = nl_open_raw(nl);
	if (ret)
		return ret;
	nl->bufsize = bufsize;
	r = malloc(sizeof(*r));
	if (!r) {
		nl_close(nl);
		return -ENOMEM;
	}
	nl_req_init(r, nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	((struct genlmsghdr *)(r->buf + NLMSG_HDRLEN))->version = 2;
	nl_put_str(r, CTRL_ATTR_FAMILY_NAME, NSCTL_GENL_NAME);
	ret = nl_transact(nl, r, nl_resolve_cb, nl, NULL);
	free(r);
	if (!ret && !nl->family)
		ret = -ENOENT;
	if (ret)
		nl_close(nl);
	return ret;
}

static inline int nl_open(struct nl *nl)
{
	return nl_open_sized(nl, NL_BUF_SIZE);
}

/* Dump parts of about 8 KiB: a few hundred containers fill several. */
static inline int nl_open_small(struct nl *nl)
{
	return nl_open_sized(nl, 8192);
}

/* Join the events group; @rcvbuf > 0 forces the socket's receive buffer. */
static inline int nl_subscribe(struct nl *nl, int rcvbuf)
{
	__u32 grp = nl->events_grp;

	if (rcvbuf > 0 &&
	    setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		return -errno;
	if (!grp)
		return -ENOENT;
	if (setsockopt(nl->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
		       sizeof(grp)))
		return -errno;
	return 0;
}

/*
 * The next event, its sequence number checked against the last one:
 * a gap counts in nl->gaps, ENOBUFS in nl->overruns (and is returned).
 * Returns 1 with @m filled, 0 on timeout, -errno.
 */
static inline int nl_event(struct nl *nl, struct nl_msg *m, int timeout_ms)
{
	struct nlmsghdr *h = NULL;
	int ret;

	for (;;) {
		ret = nl_next(nl, &h, timeout_ms);
		if (ret == -ENOBUFS)
			nl->overruns++;
		if (ret <= 0)
			return ret;
		if (h->nlmsg_type != nl->family)
			continue;
		nl_parse_msg(h, m);
		if (!m->has_seq)
			return -EBADMSG;
		if (nl->last_seq && m->seq != nl->last_seq + 1)
			nl->gaps++;
		nl->last_seq = m->seq;
		return 1;
	}
}

#endif /* NSCTL_NL_H */
