// SPDX-License-Identifier: GPL-2.0
/*
 * The "nsctl" generic netlink family: container lookups and dumps,
 * deletion without the filesystem, namespace dumps, the command table
 * and the "events" multicast group (event.c sends them); creation is
 * genl_make.c's, pools genl_pool.c's.  The uapi header
 * documents every command and attribute.
 */
#include <linux/capability.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "compat.h"
#include "container.h"
#include "event.h"
#include "fs.h"
#include "genl.h"
#include "genl_int.h"
#include "label.h"
#include "ns.h"
#include "nsid.h"
#include "pool.h"
#include "viewer.h"

/*
 * NSCTL_A_CT_NAME as a C string in @buf (NSCTL_NAME_ATTR_MAX + 1 bytes): the policy
 * bounds its length, and the attribute may end in a NUL but not hold one.
 */
int nsctl_get_name(const struct nlattr *attr, char *buf,
		   struct netlink_ext_ack *extack)
{
	size_t len = nla_len(attr), n = strnlen(nla_data(attr), len);

	if (n < len && n != len - 1) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "a NUL inside the container name");
		return -EINVAL;
	}
	memcpy(buf, nla_data(attr), n);
	buf[n] = '\0';
	return 0;
}

/* NL_SET_ERR_MSG_ATTR() for a message chosen at run time (a literal). */
void nsctl_extack_set(struct netlink_ext_ack *extack,
		      const struct nlattr *attr, const char *msg)
{
	if (extack) {
		extack->_msg = msg;
		extack->bad_attr = attr;
	}
}

/*
 * May the request in @skb change containers?  Both who sent it and who
 * opened the socket it came on need CAP_SYS_ADMIN in the initial user
 * namespace: netlink_capable() leaves the opener out for a request sent
 * to an explicit address, and a socket handed on must not carry more than
 * its opener could do.
 */
bool nsctl_genl_admin(struct sk_buff *skb)
{
	struct socket *sock = NETLINK_CB(skb).sk->sk_socket;

	return netlink_capable(skb, CAP_SYS_ADMIN) && sock && sock->file &&
	       file_ns_capable(sock->file, &init_user_ns, CAP_SYS_ADMIN);
}

/* The container a request names by exactly one of name, id or UUID. */
static struct nsctl_container *nsctl_genl_lookup(struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct nsctl_container *c;
	char name[NSCTL_NAME_ATTR_MAX + 1];
	uuid_t uuid;
	u64 id;
	int ret;

	if (!!a[NSCTL_A_CT_NAME] + !!a[NSCTL_A_CT_ID] + !!a[NSCTL_A_CT_UUID] != 1) {
		NL_SET_ERR_MSG(info->extack,
			       "give exactly one of the container's name, id or UUID");
		return ERR_PTR(-EINVAL);
	}
	if (a[NSCTL_A_CT_NAME]) {
		ret = nsctl_get_name(a[NSCTL_A_CT_NAME], name, info->extack);
		if (ret)
			return ERR_PTR(ret);
	}
	if (a[NSCTL_A_CT_ID])
		id = nla_get_u64(a[NSCTL_A_CT_ID]);
	if (a[NSCTL_A_CT_UUID])
		memcpy(&uuid, nla_data(a[NSCTL_A_CT_UUID]), sizeof(uuid));
	c = nsctl_container_find(a[NSCTL_A_CT_NAME] ? name : NULL,
				 a[NSCTL_A_CT_ID] ? &id : NULL,
				 a[NSCTL_A_CT_UUID] ? &uuid : NULL);
	if (!c) {
		NL_SET_ERR_MSG(info->extack, "no such container");
		return ERR_PTR(-ENOENT);
	}
	return c;
}

/*
 * Reply to @info with @c's message, as the requester's namespaces see it.
 * A container the requester does not see is no business of theirs, unless
 * they just made it (NSCTL_CMD_NEW_CONTAINER).
 */
int nsctl_reply_container(struct genl_info *info, struct nsctl_container *c,
			  u8 cmd)
{
	struct nsctl_viewer v;
	struct sk_buff *skb;
	void *hdr;
	int ret;

	nsctl_viewer_now(&v);
	mutex_lock(&c->lock);
	/* One who does not see the container learns nothing of it. */
	if (cmd != NSCTL_CMD_NEW_CONTAINER && !nsctl_viewer_sees_slots(&v, c->ns)) {
		mutex_unlock(&c->lock);
		NL_SET_ERR_MSG(info->extack, "no such container");
		return -ENOENT;
	}
	/* A lookup reports pid_init: watch the init from now on. */
	if (cmd == NSCTL_CMD_GET_CONTAINER)
		nsctl_container_watch_locked(c);
	skb = genlmsg_new(nsctl_container_msg_size(c), GFP_KERNEL);
	if (!skb) {
		mutex_unlock(&c->lock);
		return -ENOMEM;
	}
	hdr = genlmsg_put_reply(skb, info, &nsctl_genl_family, 0, cmd);
	ret = hdr ? nsctl_fill_container(skb, c, &v) : -EMSGSIZE;
	mutex_unlock(&c->lock);
	if (ret) {
		nlmsg_free(skb);
		return ret;
	}
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
}

static int nsctl_genl_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nsctl_container *c;
	int ret;

	if (info->attrs[NSCTL_A_CT_LABELS]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NSCTL_A_CT_LABELS],
				    "labels select containers in a dump only");
		return -EINVAL;
	}
	c = nsctl_genl_lookup(info);
	if (IS_ERR(c))
		return PTR_ERR(c);
	ret = nsctl_reply_container(info, c, NSCTL_CMD_GET_CONTAINER);
	nsctl_container_put(c);
	return ret;
}

/*
 * A dump is decided for whoever sent the request, as they were then, not
 * for whoever reads each later part: the viewer is taken at .start.
 */
#define NSCTL_DUMP_SELECTOR	4
#define NSCTL_DUMP_VIEWER	5

static int nsctl_dump_start(struct netlink_callback *cb)
{
	struct nsctl_viewer *v = nsctl_viewer_new();

	if (!v)
		return -ENOMEM;
	cb->args[NSCTL_DUMP_VIEWER] = (long)v;
	return 0;
}

/* A pool dump: room for a pool message with the most labels there are. */
static int nsctl_pool_dump_start(struct netlink_callback *cb)
{
	cb->min_dump_alloc = nsctl_container_msg_max();
	return nsctl_dump_start(cb);
}

/* A container dump: also its label selector, and room for any message. */
static int nsctl_ct_dump_start(struct netlink_callback *cb)
{
	const struct nlattr *sel = compat_dump_attrs(cb)[NSCTL_A_CT_LABELS];
	struct nsctl_labels *labels = NULL;
	const char *why;
	size_t len;
	char *lines;
	int ret;

	if (sel) {
		lines = nsctl_labels_from_nest(sel, &len, cb->extack);
		if (IS_ERR(lines))
			return PTR_ERR(lines);
		ret = nsctl_labels_selector(&labels, lines, len, &why);
		kfree(lines);
		if (ret) {
			nsctl_extack_set(cb->extack, sel, why);
			return ret;
		}
	}
	ret = nsctl_dump_start(cb);
	if (ret) {
		nsctl_labels_free(labels);
		return ret;
	}
	cb->args[NSCTL_DUMP_SELECTOR] = (long)labels;
	/* Only then: a part larger than the reader asked for truncates. */
	if (nsctl_container_big_labels())
		cb->min_dump_alloc = nsctl_container_msg_max();
	return 0;
}

static int nsctl_dump_done(struct netlink_callback *cb)
{
	nsctl_labels_free((struct nsctl_labels *)cb->args[NSCTL_DUMP_SELECTOR]);
	nsctl_viewer_free((struct nsctl_viewer *)cb->args[NSCTL_DUMP_VIEWER]);
	return 0;
}

const struct nsctl_viewer *nsctl_dump_viewer(struct netlink_callback *cb)
{
	return (const struct nsctl_viewer *)cb->args[NSCTL_DUMP_VIEWER];
}

struct nsctl_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	u64 digest;		/* of every container sent so far */
};

static int nsctl_dump_one(struct nsctl_container *c, void *arg)
{
	struct nsctl_dump *d = arg;
	void *hdr;

	/*
	 * Left out, but counted as sent: the digest is of every container
	 * up to the last one passed, seen or not.
	 */
	if (!nsctl_viewer_sees_slots(nsctl_dump_viewer(d->cb), c->ns) ||
	    !nsctl_labels_match(c->labels,
				(const struct nsctl_labels *)d->cb->args[NSCTL_DUMP_SELECTOR])) {
		d->digest += nsctl_container_digest_one(c);
		return 0;
	}
	hdr = genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, &nsctl_genl_family, NLM_F_MULTI,
			  NSCTL_CMD_GET_CONTAINER);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(d->cb, hdr);
	if (nsctl_fill_container(d->skb, c, nsctl_dump_viewer(d->cb))) {
		genlmsg_cancel(d->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(d->skb, hdr);
	d->digest += nsctl_container_digest_one(c);
	return 0;
}

/*
 * Containers in id order, resuming after the last id sent (args[0]).  The
 * answer is one state, the one at its last part, unless a container that
 * an earlier part sent has changed or gone since: new containers come
 * after every id sent, and later ones are read as they are.  So each part
 * compares what was sent (args[1], a sum of digests) with what those
 * containers are now, and on a difference moves cb->seq on (args[2]),
 * which marks the next message NLM_F_DUMP_INTR.  The call after the last
 * part, which only ends the dump, compares nothing: the answer stands
 * for the moment that part was made.
 */
static int nsctl_genl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nsctl_dump d = { .skb = skb, .cb = cb, .digest = cb->args[1] };
	u64 pos = cb->args[0];
	int ret;

	if (cb->args[3])
		return 0;
	if (pos && nsctl_container_digest(pos) != d.digest)
		cb->args[2]++;
	cb->seq = cb->args[2] + 1;
	ret = nsctl_container_for_each(&pos, nsctl_dump_one, &d);
	cb->args[0] = pos;
	cb->args[1] = d.digest;
	if (ret && (ret != -EMSGSIZE || !skb->len))
		return ret;
	/* Walked to the end: the next call only ends the dump. */
	if (!ret)
		cb->args[3] = 1;
	return skb->len;
}

static int nsctl_genl_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *gen_attr = info->attrs[NSCTL_A_CT_GENERATION];
	struct nsctl_container *c;
	u64 gen;
	int ret;

	if (!nsctl_genl_admin(skb)) {
		NL_SET_ERR_MSG(info->extack,
			       "deleting a container needs CAP_SYS_ADMIN (sender and socket opener)");
		return -EPERM;
	}
	c = nsctl_genl_lookup(info);
	if (IS_ERR(c))
		return PTR_ERR(c);
	/* As rmdir: a container one does not see is not there. */
	if (!nsctl_sees_now(c)) {
		nsctl_container_put(c);
		NL_SET_ERR_MSG(info->extack, "no such container");
		return -ENOENT;
	}
	if (gen_attr)
		gen = nla_get_u64(gen_attr);
	ret = nsctl_fs_remove(c, gen_attr ? &gen : NULL);
	if (ret == -EBUSY)
		NL_SET_ERR_MSG(info->extack, "processes are inside the container");
	else if (ret == -ESTALE)
		NL_SET_ERR_MSG_ATTR(info->extack, gen_attr,
				    "the container is not at that generation");
	else if (ret == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "no such container");
	nsctl_container_put(c);
	return ret;
}

static int nsctl_genl_get_ns(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[NSCTL_A_NS_UUID];
	struct nsctl_viewer v;
	struct ns_common *ns;
	struct sk_buff *msg;
	int ret, tries;
	uuid_t uuid;
	void *hdr;

	if (GENL_REQ_ATTR_CHECK(info, NSCTL_A_NS_UUID))
		return -EINVAL;
	memcpy(&uuid, nla_data(attr), sizeof(uuid));
	nsctl_viewer_now(&v);
	ns = nsctl_nsid_find(&uuid);
	if (!IS_ERR(ns) && !nsctl_viewer_sees(&v, ns)) {
		nsctl_ns_put(ns);
		ns = ERR_PTR(-ENOENT);
	}
	if (PTR_ERR(ns) == -ESTALE)
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "the namespace is gone");
	else if (IS_ERR(ns))
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no namespace with this UUID");
	if (IS_ERR(ns))
		return PTR_ERR(ns);

	/* Sized for every holder; holders added meanwhile: once more. */
	for (tries = 0; tries < 3; tries++) {
		ret = -ENOMEM;
		msg = genlmsg_new(nsctl_nsid_msg_size(ns), GFP_KERNEL);
		if (!msg)
			goto out_put;
		hdr = genlmsg_put_reply(msg, info, &nsctl_genl_family, 0,
					NSCTL_CMD_GET_NS);
		ret = hdr ? nsctl_nsid_fill(msg, ns, &v) : -EMSGSIZE;
		if (!ret)
			break;
		nlmsg_free(msg);
		if (ret != -EMSGSIZE)
			goto out_put;
	}
	if (ret)
		goto out_put;
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
out_put:
	nsctl_ns_put(ns);
	return ret;
}

/*
 * What each request may carry; anything else is refused (strict), so
 * that an attribute another command takes is not silently ignored.
 */
static const struct nla_policy nsctl_get_policy[NSCTL_A_MAX + 1] = {
	[NSCTL_A_CT_ID]		= { .type = NLA_U64 },
	[NSCTL_A_CT_NAME]	= { .type = NLA_STRING, .len = NSCTL_NAME_ATTR_MAX },
	[NSCTL_A_CT_UUID]	= NLA_POLICY_EXACT_LEN(16),
	/* A dump's selector. */
	[NSCTL_A_CT_LABELS]	= NLA_POLICY_NESTED(nsctl_label_policy),
};

static const struct nla_policy nsctl_new_policy[NSCTL_A_MAX + 1] = {
	[NSCTL_A_CT_NAME]	= { .type = NLA_STRING, .len = NSCTL_NAME_ATTR_MAX },
	[NSCTL_A_CT_LABELS]	= NLA_POLICY_NESTED(nsctl_label_policy),
	[NSCTL_A_CT_UUID]	= NLA_POLICY_EXACT_LEN(16),
	[NSCTL_A_CT_NS]		= NLA_POLICY_NESTED(nsctl_ns_policy),
	[NSCTL_A_CGROUP_FD]	= NLA_POLICY_MIN(NLA_S32, 0),
};

static const struct nla_policy nsctl_del_policy[NSCTL_A_MAX + 1] = {
	[NSCTL_A_CT_ID]		= { .type = NLA_U64 },
	[NSCTL_A_CT_NAME]	= { .type = NLA_STRING, .len = NSCTL_NAME_ATTR_MAX },
	[NSCTL_A_CT_UUID]	= NLA_POLICY_EXACT_LEN(16),
	[NSCTL_A_CT_GENERATION]	= { .type = NLA_U64 },
};

static const struct nla_policy nsctl_get_ns_policy[NSCTL_A_MAX + 1] = {
	[NSCTL_A_NS_UUID]	= NLA_POLICY_EXACT_LEN(16),
};

#define NSCTL_POOL_NAME_POLICY \
	[NSCTL_A_POOL_NAME]	= { .type = NLA_STRING, .len = NSCTL_NAME_ATTR_MAX }

static const struct nla_policy nsctl_get_pool_policy[NSCTL_A_MAX + 1] = {
	NSCTL_POOL_NAME_POLICY,
};

static const struct nla_policy nsctl_new_pool_policy[NSCTL_A_MAX + 1] = {
	NSCTL_POOL_NAME_POLICY,
	[NSCTL_A_POOL_TYPES]	= { .type = NLA_U64 },
	[NSCTL_A_POOL_SIZE]	= NLA_POLICY_MAX(NLA_U32, NSCTL_POOL_SIZE_MAX),
	[NSCTL_A_POOL_LOW]	= NLA_POLICY_MAX(NLA_U32, NSCTL_POOL_SIZE_MAX),
	[NSCTL_A_POOL_MAX_AGE]	= { .type = NLA_U32 },
	[NSCTL_A_POOL_FLAGS]	= NLA_POLICY_MASK(NLA_U32, NSCTL_POOL_FLAGS_ALL),
	[NSCTL_A_CT_ON_EMPTY]	= NLA_POLICY_MAX(NLA_U32, NSCTL_ON_EMPTY_DELETE),
	[NSCTL_A_CT_ENTER_POLICY] = NLA_POLICY_MAX(NLA_U32, NSCTL_ENTER_POLICY_DENY),
	[NSCTL_A_CT_LABELS]	= NLA_POLICY_NESTED(nsctl_label_policy),
	[NSCTL_A_POOL_MEMORY_MAX] = { .type = NLA_STRING, .len = NSCTL_POOL_LIMIT_MAX },
	[NSCTL_A_POOL_PIDS_MAX]	= { .type = NLA_STRING, .len = NSCTL_POOL_LIMIT_MAX },
	[NSCTL_A_POOL_CPU_MAX]	= { .type = NLA_STRING, .len = NSCTL_POOL_LIMIT_MAX },
};

static const struct nla_policy nsctl_set_pool_policy[NSCTL_A_MAX + 1] = {
	NSCTL_POOL_NAME_POLICY,
	[NSCTL_A_POOL_SIZE]	= NLA_POLICY_MAX(NLA_U32, NSCTL_POOL_SIZE_MAX),
	[NSCTL_A_POOL_LOW]	= NLA_POLICY_MAX(NLA_U32, NSCTL_POOL_SIZE_MAX),
	[NSCTL_A_POOL_MAX_AGE]	= { .type = NLA_U32 },
};

static const struct nla_policy nsctl_add_member_policy[NSCTL_A_MAX + 1] = {
	NSCTL_POOL_NAME_POLICY,
	[NSCTL_A_CT_NS]		= NLA_POLICY_NESTED(nsctl_ns_policy),
	[NSCTL_A_CGROUP_FD]	= NLA_POLICY_MIN(NLA_S32, 0),
};

static const struct nla_policy nsctl_claim_policy[NSCTL_A_MAX + 1] = {
	NSCTL_POOL_NAME_POLICY,
	[NSCTL_A_CT_NAME]	= { .type = NLA_STRING, .len = NSCTL_NAME_ATTR_MAX },
	[NSCTL_A_CT_UUID]	= NLA_POLICY_EXACT_LEN(16),
	[NSCTL_A_CT_LABELS]	= NLA_POLICY_NESTED(nsctl_label_policy),
};

static const struct genl_ops nsctl_genl_ops[] = {
	{
		.cmd	= NSCTL_CMD_GET_CONTAINER,
		.doit	= nsctl_genl_get,
		.start	= nsctl_ct_dump_start,
		.dumpit	= nsctl_genl_dump,
		.done	= nsctl_dump_done,
		.policy	= nsctl_get_policy,
		.maxattr = NSCTL_A_MAX,
	},
	{
		.cmd	= NSCTL_CMD_NEW_CONTAINER,
		.doit	= nsctl_genl_new,
		.policy	= nsctl_new_policy,
		.maxattr = NSCTL_A_MAX,
	},
	{
		.cmd	= NSCTL_CMD_DEL_CONTAINER,
		.doit	= nsctl_genl_del,
		.policy	= nsctl_del_policy,
		.maxattr = NSCTL_A_MAX,
	},
	{
		.cmd	= NSCTL_CMD_GET_NS,
		.doit	= nsctl_genl_get_ns,
		.start	= nsctl_dump_start,
		.dumpit	= nsctl_nsid_dump,
		.done	= nsctl_dump_done,
		.policy	= nsctl_get_ns_policy,
		.maxattr = NSCTL_A_MAX,
	},
	{
		.cmd	= NSCTL_CMD_GET_POOL,
		.doit	= nsctl_genl_get_pool,
		.start	= nsctl_pool_dump_start,
		.dumpit	= nsctl_pool_dump,
		.done	= nsctl_dump_done,
		.policy	= nsctl_get_pool_policy,
		.maxattr = NSCTL_A_MAX,
	},
	{
		.cmd	= NSCTL_CMD_NEW_POOL,
		.doit	= nsctl_genl_new_pool,
		.policy	= nsctl_new_pool_policy,
		.maxattr = NSCTL_A_MAX,
	},
	{
		.cmd	= NSCTL_CMD_SET_POOL,
		.doit	= nsctl_genl_set_pool,
		.policy	= nsctl_set_pool_policy,
		.maxattr = NSCTL_A_MAX,
	},
	{
		.cmd	= NSCTL_CMD_DEL_POOL,
		.doit	= nsctl_genl_del_pool,
		.policy	= nsctl_get_pool_policy,
		.maxattr = NSCTL_A_MAX,
	},
	{
		.cmd	= NSCTL_CMD_ADD_MEMBER,
		.doit	= nsctl_genl_add_member,
		.policy	= nsctl_add_member_policy,
		.maxattr = NSCTL_A_MAX,
	},
	{
		.cmd	= NSCTL_CMD_CLAIM,
		.doit	= nsctl_genl_claim,
		.policy	= nsctl_claim_policy,
		.maxattr = NSCTL_A_MAX,
	},
};

static const struct genl_multicast_group nsctl_genl_mcgrps[] = {
	{ .name = NSCTL_GENL_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_SYS_ADMIN },
};

struct genl_family nsctl_genl_family __ro_after_init = {
	.name		= NSCTL_GENL_NAME,
	.version	= NSCTL_GENL_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= nsctl_genl_ops,
	.n_ops		= ARRAY_SIZE(nsctl_genl_ops),
	.resv_start_op	= NSCTL_CMD_GET_CONTAINER,
	.mcgrps		= nsctl_genl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(nsctl_genl_mcgrps),
};

int nsctl_genl_init(void)
{
	int ret;

	ret = genl_register_family(&nsctl_genl_family);
	if (!ret)
		nsctl_event_start();
	return ret;
}

void nsctl_genl_uninit(void)
{
	nsctl_event_stop();
	genl_unregister_family(&nsctl_genl_family);
}
