// SPDX-License-Identifier: GPL-2.0
/*
 * Building containers from netlink requests: NSCTL_CMD_NEW_CONTAINER, and
 * the parsing of the namespaces a request hands over, which pool members
 * (genl_pool.c) share.
 */
#include <linux/capability.h>
#include <linux/dcache.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "container.h"
#include "fs.h"
#include "genl.h"
#include "genl_int.h"
#include "label.h"
#include "ns.h"

/* An NSCTL_A_CT_LABELS nest: "key=value" lines, or "key" in selectors. */
const struct nla_policy nsctl_label_policy[NSCTL_A_MAX + 1] = {
	[NSCTL_A_LABEL]	= { .type = NLA_STRING,
			    .len = NSCTL_LABEL_KEY_MAX + 1 + NSCTL_LABEL_VALUE_MAX },
};

/* An NSCTL_A_CT_NS nest in a request. */
const struct nla_policy nsctl_ns_policy[NSCTL_A_MAX + 1] = {
	[NSCTL_A_NS_TYPE]	= NLA_POLICY_MAX(NLA_U32, NSCTL_NS_COUNT - 1),
	[NSCTL_A_NS_FD]		= NLA_POLICY_MIN(NLA_S32, 0),
	[NSCTL_A_NS_PID]	= NLA_POLICY_MIN(NLA_S32, 1),
};

/* One NSCTL_A_CT_NS nest of a create request into @ns. */
int nsctl_parse_ns_nest(const struct nlattr *nest, struct ns_common **ns,
			struct dentry **dentries, u64 *attach,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NSCTL_A_MAX + 1];
	struct dentry *dentry = NULL;
	struct ns_common *got;
	unsigned int type;
	int ret;

	ret = nla_parse_nested(tb, NSCTL_A_MAX, nest, nsctl_ns_policy, extack);
	if (ret)
		return ret;
	if (!tb[NSCTL_A_NS_TYPE]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "namespace without NSCTL_A_NS_TYPE");
		return -EINVAL;
	}
	type = nla_get_u32(tb[NSCTL_A_NS_TYPE]);
	if (*attach & NSCTL_NS_BIT(type)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NSCTL_A_NS_TYPE],
				    "namespace type given twice");
		return -EINVAL;
	}
	if (!!tb[NSCTL_A_NS_FD] == !!tb[NSCTL_A_NS_PID]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "give exactly one of NSCTL_A_NS_FD and NSCTL_A_NS_PID");
		return -EINVAL;
	}
	if (tb[NSCTL_A_NS_PID]) {
		if (type != NSCTL_NS_PID) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NSCTL_A_NS_PID],
					    "NSCTL_A_NS_PID is for the pid type only");
			return -EINVAL;
		}
		got = nsctl_pid_ns_for_children_of(nla_get_s32(tb[NSCTL_A_NS_PID]));
		if (IS_ERR(got)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NSCTL_A_NS_PID], "no such process");
			return PTR_ERR(got);
		}
	} else {
		got = nsctl_ns_get_by_fd(nla_get_s32(tb[NSCTL_A_NS_FD]), &dentry);
		if (IS_ERR(got)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NSCTL_A_NS_FD],
					    "not an open namespace file descriptor");
			return PTR_ERR(got);
		}
	}
	if (nsctl_ns_type(got) != type) {
		dput(dentry);
		nsctl_ns_put(got);
		NL_SET_ERR_MSG_ATTR(extack, tb[NSCTL_A_NS_TYPE],
				    "the namespace is not of the type given");
		return -EINVAL;
	}
	ns[type] = got;
	dentries[type] = dentry;
	*attach |= NSCTL_NS_BIT(type);
	return 0;
}

int nsctl_check_ct_name(const char *name, const struct nlattr *attr,
			struct netlink_ext_ack *extack)
{
	int ret = nsctl_name_valid(name, strlen(name));

	if (ret == -ENAMETOOLONG)
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "container name longer than NSCTL_NAME_MAX");
	else if (ret)
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "a container name starts with a letter or digit, then [A-Za-z0-9_.:@+-]");
	return ret;
}

int nsctl_publish_reply(struct genl_info *info, struct nsctl_container *c)
{
	int ret;

	if (!nsctl_container_publish(c)) {
		/* Deleted through its directory before it was announced. */
		NL_SET_ERR_MSG(info->extack,
			       "the container was deleted while being made");
		nsctl_container_put(c);
		return -ENOENT;
	}
	ret = nsctl_reply_container(info, c, NSCTL_CMD_NEW_CONTAINER);
	/* Made all the same: the reply is only a courtesy. */
	nsctl_container_put(c);
	return ret;
}

/* Create: what nsctl_genl_new() does once the request is checked. */
static int nsctl_genl_make(struct genl_info *info, const char *name)
{
	struct ns_common *ns[NSCTL_NS_COUNT] = { NULL };
	struct dentry *dentries[NSCTL_NS_COUNT] = { NULL };
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **a = info->attrs;
	struct nsctl_container *c;
	const struct nlattr *nla;
	char *labels = NULL;
	u64 attach = 0, gen;
	size_t labels_len;
	const char *why;
	int ret, rem, i;

	ret = nsctl_check_ct_name(name, a[NSCTL_A_CT_NAME], extack);
	if (ret)
		return ret;

	/* Every NSCTL_A_CT_NS: info->attrs only keeps the last one. */
	nla_for_each_attr(nla, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(nla) != NSCTL_A_CT_NS)
			continue;
		ret = nsctl_parse_ns_nest(nla, ns, dentries, &attach, extack);
		if (ret)
			goto out_put_ns;
	}

	if (a[NSCTL_A_CT_LABELS]) {
		labels = nsctl_labels_from_nest(a[NSCTL_A_CT_LABELS], &labels_len,
						extack);
		if (IS_ERR(labels)) {
			ret = PTR_ERR(labels);
			labels = NULL;
			goto out_put_ns;
		}
	}

	c = nsctl_container_create(name);
	if (IS_ERR(c)) {
		ret = PTR_ERR(c);
		if (ret == -EEXIST)
			NL_SET_ERR_MSG(extack, "a container of that name exists");
		goto out_put_ns;
	}
	/* Ours until the reply is sent, whoever deletes it meanwhile. */
	nsctl_container_get(c);

	if (a[NSCTL_A_CT_UUID]) {
		uuid_t uuid;

		memcpy(&uuid, nla_data(a[NSCTL_A_CT_UUID]), sizeof(uuid));
		ret = nsctl_container_set_uuid(c, &uuid);
		if (ret == -EEXIST)
			NL_SET_ERR_MSG_ATTR(extack, a[NSCTL_A_CT_UUID],
					    "another container has this UUID");
		else if (ret)
			NL_SET_ERR_MSG_ATTR(extack, a[NSCTL_A_CT_UUID],
					    "the nil UUID is not a container's");
		if (ret)
			goto err_delete;
	}
	if (labels) {
		ret = nsctl_container_set_labels(c, labels, labels_len, true, &why);
		kfree(labels);
		labels = NULL;
		if (ret) {
			nsctl_extack_set(extack, a[NSCTL_A_CT_LABELS], why);
			goto err_delete;
		}
	}
	if (attach) {
		ret = nsctl_container_set_ns(c, attach, ns, dentries, 0, NULL, &gen);
		if (ret)
			goto err_delete;
	}
	if (a[NSCTL_A_CGROUP_FD]) {
		int fd = nla_get_s32(a[NSCTL_A_CGROUP_FD]);

		ret = nsctl_container_bind_cgroup_fd(c, fd, &gen);
		if (ret) {
			NL_SET_ERR_MSG_ATTR(extack, a[NSCTL_A_CGROUP_FD],
					    "not a cgroup v2 directory");
			goto err_delete;
		}
	}
	ret = nsctl_fs_add(c);
	if (ret) {
		if (ret == -EEXIST)
			NL_SET_ERR_MSG(extack, "a file of that name is in the way");
		goto err_delete;
	}
	return nsctl_publish_reply(info, c);

err_delete:
	nsctl_container_delete(c, NULL);
	nsctl_container_put(c);
out_put_ns:
	kfree(labels);
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		dput(dentries[i]);
		if (ns[i])
			nsctl_ns_put(ns[i]);
	}
	return ret;
}

int nsctl_genl_new(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **a = info->attrs;
	char name[NSCTL_NAME_ATTR_MAX + 1];
	int ret;

	if (!nsctl_genl_admin(skb)) {
		NL_SET_ERR_MSG(extack,
			       "creating a container needs CAP_SYS_ADMIN (sender and socket opener)");
		return -EPERM;
	}
	if (GENL_REQ_ATTR_CHECK(info, NSCTL_A_CT_NAME))
		return -EINVAL;
	ret = nsctl_get_name(a[NSCTL_A_CT_NAME], name, extack);
	if (ret)
		return ret;
	/*
	 * A request holds no reference on the module, and one may be under
	 * way while the module is being unloaded: a container made then
	 * would outlive the code behind it.
	 */
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;
	ret = nsctl_genl_make(info, name);
	module_put(THIS_MODULE);
	return ret;
}
