// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libnsctl: the "nsctl" family's events group: subscribing, reading
 * events into records, and throwing queued ones away.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "genl_int.h"

/* At most this many reads when throwing queued events away. */
#define DISCARD_READS	4096

int nsctl_genl_subscribe(struct nsctl_genl *g, int rcvbuf)
{
	int fd = nl_socket_get_fd(g->sk), grp, err;

	grp = genl_ctrl_resolve_grp(g->sk, NSCTL_GENL_NAME, NSCTL_GENL_MCGRP_EVENTS);
	if (grp < 0)
		return nl2errno(grp);
	if (rcvbuf > 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)))
		return -errno;
	/* Events carry no request's sequence number and want no ack. */
	nl_socket_disable_seq_check(g->sk);
	nl_socket_disable_auto_ack(g->sk);
	err = nl_socket_add_membership(g->sk, grp);
	return err < 0 ? nl2errno(err) : 0;
}

struct ev_ctx {
	struct nsctl_genl *g;
	nsctl_event_fn fn;
	void *arg;
	int ret;
	int count;
};

static int parse_event(struct nlmsghdr *nlh, struct nsctl_event *ev)
{
	struct nlattr *tb[NSCTL_A_MAX + 1], *head;
	struct genlmsghdr *gh = nlmsg_data(nlh);
	int len, err;

	memset(ev, 0, sizeof(*ev));
	err = parse_attrs(nlh, tb, &head, &len);
	if (err)
		return err;
	ev->cmd = gh->cmd;
	if (tb[NSCTL_A_EVENT_SEQ]) {
		ev->has_seq = true;
		ev->seq = nla_get_u64(tb[NSCTL_A_EVENT_SEQ]);
	}
	switch (ev->cmd) {
	case NSCTL_CMD_CONTAINER_CHANGED:
		if (tb[NSCTL_A_CT_CHANGED])
			ev->changed = nla_get_u64(tb[NSCTL_A_CT_CHANGED]);
		return parse_ct(tb, head, len, &ev->ct);
	case NSCTL_CMD_CONTAINER_ENTERED:
		if (tb[NSCTL_A_PID]) {
			ev->has_pid = true;
			ev->pid = nla_get_u32(tb[NSCTL_A_PID]);
		}
		return parse_ct(tb, head, len, &ev->ct);
	case NSCTL_CMD_CONTAINER_CREATED:
	case NSCTL_CMD_CONTAINER_EMPTIED:
	case NSCTL_CMD_CONTAINER_DELETED:
		return parse_ct(tb, head, len, &ev->ct);
	case NSCTL_CMD_NETNS_CREATED:
	case NSCTL_CMD_NETNS_DESTROYED:
		return parse_ns(tb, head, len, &ev->ns);
	case NSCTL_CMD_POOL_CREATED:
	case NSCTL_CMD_POOL_LOW:
	case NSCTL_CMD_POOL_DELETED:
		return parse_pool(tb, head, len, &ev->pool);
	default:
		return -EOPNOTSUPP;
	}
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct ev_ctx *c = arg;
	struct nsctl_event ev;
	int ret = 0;

	if (nlh->nlmsg_type != c->g->family || !genlmsg_valid_hdr(nlh, 0))
		return NL_SKIP;
	c->count++;
	if (!c->fn)
		return NL_OK;
	/* An event of a kind newer than this header is skipped. */
	if (!parse_event(nlh, &ev))
		ret = c->fn(&ev, c->arg);
	free(ev.ct.cgroup);
	free(ev.ct.labels);
	free(ev.ns.containers);
	free(ev.pool.labels);
	free(ev.pool.member_cgroups);
	if (ret) {
		c->ret = ret;
		return NL_STOP;
	}
	return NL_OK;
}

static int recv_batch(struct ev_ctx *c)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int err;

	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, c);
	errno = 0;
	err = nl_recvmsgs(c->g->sk, cb);
	nl_cb_put(cb);
	if (err == -NLE_NOMEM && errno != ENOMEM)
		return -ENOBUFS;	/* libnl reads ENOBUFS as NLE_NOMEM */
	if (err < 0)
		return nl2errno(err);
	return c->ret;
}

int nsctl_genl_recv_events(struct nsctl_genl *g, nsctl_event_fn fn, void *arg)
{
	struct ev_ctx c = { .g = g, .fn = fn, .arg = arg };

	return recv_batch(&c);
}

int nsctl_genl_fd(const struct nsctl_genl *g)
{
	return nl_socket_get_fd(g->sk);
}

int nsctl_genl_discard_events(struct nsctl_genl *g)
{
	struct pollfd pfd = { .fd = nl_socket_get_fd(g->sk), .events = POLLIN };
	struct ev_ctx c = { .g = g };
	int i, err;

	for (i = 0; i < DISCARD_READS; i++) {
		if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & POLLIN))
			break;
		err = recv_batch(&c);
		if (err && err != -ENOBUFS)
			return err;
	}
	return c.count;
}
