// SPDX-License-Identifier: GPL-2.0
/*
 * Events of the "nsctl" family, and the container message that events,
 * replies and dumps share.
 *
 * Events are numbered under event_lock, which is taken last, after a
 * container's lock and nsid.c's lock: numbering and sending under one
 * lock is what makes the numbers arrive in order, so that a listener can
 * take any gap for a loss.
 */
#include <linux/cgroup.h>
#include <linux/kernfs.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "container.h"
#include "event.h"
#include "genl.h"
#include "label.h"
#include "ns.h"
#include "nsid.h"
#include "viewer.h"

static DEFINE_MUTEX(event_lock);
static atomic64_t event_seq;	/* numbers are taken under event_lock to send */
static bool genl_registered;	/* events are sent only while it is */

/* Room for a container message without its cgroup path. */
#define NSCTL_MSG_SIZE	NLMSG_GOODSIZE

/* A number used up unsent: no lock, nothing is sent in its order. */
static void nsctl_event_lost(void)
{
	atomic64_inc(&event_seq);
}

struct sk_buff *nsctl_event_new(u8 cmd, size_t size)
{
	struct sk_buff *skb;

	/* Before registration (module load) there is nobody to tell. */
	if (!READ_ONCE(genl_registered))
		return NULL;
	if (!genl_has_listeners(&nsctl_genl_family, &init_net, 0)) {
		nsctl_event_lost();
		return NULL;
	}
	skb = genlmsg_new(size, GFP_KERNEL);
	if (!skb) {
		nsctl_event_lost();
		return NULL;
	}
	if (!genlmsg_put(skb, 0, 0, &nsctl_genl_family, 0, cmd)) {
		nlmsg_free(skb);
		nsctl_event_lost();
		return NULL;
	}
	return skb;
}

void nsctl_event_cancel(struct sk_buff *skb)
{
	nlmsg_free(skb);
	nsctl_event_lost();
}

void nsctl_event_send(struct sk_buff *skb)
{
	mutex_lock(&event_lock);
	if (!genl_registered ||
	    nla_put_u64_64bit(skb, NSCTL_A_EVENT_SEQ,
			      atomic64_inc_return(&event_seq), NSCTL_A_PAD)) {
		nlmsg_free(skb);
	} else {
		nlmsg_end(skb, nlmsg_hdr(skb));
		/* ESRCH (the last listener just left) is no error here. */
		genlmsg_multicast(&nsctl_genl_family, skb, 0, 0, GFP_KERNEL);
	}
	mutex_unlock(&event_lock);
}

/* @cgns NULL: the path as the initial cgroup namespace sees it. */
static int nsctl_put_cgroup(struct sk_buff *skb, struct cgroup *cgrp,
			    struct cgroup_namespace *cgns)
{
	char *buf;
	int ret;

	if (nla_put_u64_64bit(skb, NSCTL_A_CT_CGROUP_ID, cgroup_id(cgrp),
			      NSCTL_A_PAD))
		return -EMSGSIZE;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (cgns)
		ret = cgroup_path_ns(cgrp, buf, PATH_MAX, cgns);
	else
		ret = kernfs_path_from_node(cgrp->kn, NULL, buf, PATH_MAX);
	/* A path too long to show is left out; the id still names it. */
	if (ret >= PATH_MAX || ret == -ENAMETOOLONG)
		ret = 0;
	else if (ret >= 0)
		ret = nla_put_string(skb, NSCTL_A_CT_CGROUP_PATH, buf) ?
		      -EMSGSIZE : 0;
	kfree(buf);
	return ret;
}

/* Slot @type of @c, whose lock the caller holds. */
static int nsctl_put_ns(struct sk_buff *skb, struct nsctl_container *c,
			unsigned int type)
{
	struct ns_common *ns = c->ns[type];
	struct nlattr *nest;
	uuid_t uuid;

	/* The slot's claim carries the UUID: no tracking lock per event. */
	nsctl_holder_uuid(&c->holders[type], &uuid);
	nest = nla_nest_start(skb, NSCTL_A_CT_NS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, NSCTL_A_NS_TYPE, type) ||
	    nla_put_u32(skb, NSCTL_A_NS_INUM, ns->inum) ||
	    nla_put(skb, NSCTL_A_NS_UUID, sizeof(uuid), &uuid) ||
	    (type == NSCTL_NS_NET &&
	     nla_put_u64_64bit(skb, NSCTL_A_NS_NET_COOKIE,
			       nsctl_net_cookie(ns), NSCTL_A_PAD))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * A container message's attributes, as @v sees them (NULL: an event, which
 * carries everything, cgroup paths as the initial cgroup namespace sees
 * them); the caller holds @c's lock.
 */
int nsctl_fill_container(struct sk_buff *skb, struct nsctl_container *c,
			 const struct nsctl_viewer *v)
{
	struct cgroup_namespace *cgns = v ? nsctl_viewer_cgns(v) : NULL;
	int ret, i;

	lockdep_assert_held(&c->lock);
	if (nla_put_u64_64bit(skb, NSCTL_A_CT_ID, c->id, NSCTL_A_PAD) ||
	    nla_put_string(skb, NSCTL_A_CT_NAME, c->name) ||
	    nla_put(skb, NSCTL_A_CT_UUID, sizeof(c->uuid), &c->uuid) ||
	    nla_put_u64_64bit(skb, NSCTL_A_CT_GENERATION, c->generation,
			      NSCTL_A_PAD) ||
	    nla_put_s64(skb, NSCTL_A_CT_CREATED, c->created, NSCTL_A_PAD) ||
	    nla_put_u64_64bit(skb, NSCTL_A_CT_ENTERS,
			      atomic64_read(&c->enters), NSCTL_A_PAD) ||
	    nla_put_u32(skb, NSCTL_A_CT_ON_EMPTY, c->on_empty) ||
	    nla_put_u32(skb, NSCTL_A_CT_ENTER_POLICY, c->enter_policy) ||
	    nsctl_labels_put(skb, c->labels))
		return -EMSGSIZE;
	if (c->ns[NSCTL_NS_PID] &&
	    nla_put_u32(skb, NSCTL_A_CT_PID_INIT,
			nsctl_pid_init_state(c->ns[NSCTL_NS_PID])))
		return -EMSGSIZE;
	if (c->cgrp) {
		ret = nsctl_put_cgroup(skb, c->cgrp, cgns);
		if (ret)
			return ret;
	}
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (!c->ns[i])
			continue;
		/* Replies show what the requester may see; events all. */
		if (v && !nsctl_viewer_sees(v, c->ns[i]))
			continue;
		ret = nsctl_put_ns(skb, c, i);
		if (ret)
			return ret;
	}
	return 0;
}

size_t nsctl_container_msg_max(void)
{
	return NSCTL_MSG_SIZE + PATH_MAX + nla_total_size(0) + NSCTL_LABELS_SIZE +
	       NSCTL_LABELS_MAX * nla_total_size(NLA_ALIGNTO);
}

size_t nsctl_container_msg_size(struct nsctl_container *c)
{
	return NSCTL_MSG_SIZE + (c->cgrp ? PATH_MAX : 0) +
	       nsctl_labels_msg_size(c->labels);
}

void nsctl_event_container(struct nsctl_container *c, u8 cmd, u64 changed,
			   pid_t pid)
{
	struct sk_buff *skb;

	lockdep_assert_held(&c->lock);
	skb = nsctl_event_new(cmd, nsctl_container_msg_size(c));
	if (!skb)
		return;
	if (nsctl_fill_container(skb, c, NULL) ||
	    (cmd == NSCTL_CMD_CONTAINER_CHANGED &&
	     nla_put_u64_64bit(skb, NSCTL_A_CT_CHANGED, changed, NSCTL_A_PAD)) ||
	    (cmd == NSCTL_CMD_CONTAINER_ENTERED &&
	     nla_put_u32(skb, NSCTL_A_PID, pid))) {
		nsctl_event_cancel(skb);
		return;
	}
	nsctl_event_send(skb);
}

void nsctl_event_start(void)
{
	WRITE_ONCE(genl_registered, true);
}

void nsctl_event_stop(void)
{
	/* After this, events being built are dropped, not sent. */
	mutex_lock(&event_lock);
	WRITE_ONCE(genl_registered, false);
	mutex_unlock(&event_lock);
}
