// SPDX-License-Identifier: GPL-2.0
/*
 * Pools over netlink: NSCTL_CMD_GET_POOL, NEW_POOL, SET_POOL, DEL_POOL,
 * ADD_MEMBER (a filler's) and CLAIM.  The pools themselves are pool.c's;
 * a claim names and publishes its member here, as a create would.
 */
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
#include "pool.h"
#include "viewer.h"

/* NSCTL_A_POOL_NAME (required) into @buf (NSCTL_NAME_ATTR_MAX + 1 bytes). */
static int nsctl_pool_name(struct genl_info *info, char *buf)
{
	if (GENL_REQ_ATTR_CHECK(info, NSCTL_A_POOL_NAME))
		return -EINVAL;
	return nsctl_get_name(info->attrs[NSCTL_A_POOL_NAME], buf, info->extack);
}

static int nsctl_pool_send(struct genl_info *info, const char *name, u8 cmd,
			   bool members)
{
	struct sk_buff *msg = nsctl_pool_reply(name, info, cmd, members);

	if (IS_ERR(msg)) {
		if (PTR_ERR(msg) == -ENOENT)
			NL_SET_ERR_MSG(info->extack, "no such pool");
		return PTR_ERR(msg);
	}
	return genlmsg_reply(msg, info);
}

/* The admin check of every command that changes pools, with its message. */
static bool nsctl_pool_admin(struct sk_buff *skb, struct genl_info *info)
{
	if (nsctl_genl_admin(skb))
		return true;
	NL_SET_ERR_MSG(info->extack,
		       "pools need CAP_SYS_ADMIN (sender and socket opener)");
	return false;
}

int nsctl_genl_get_pool(struct sk_buff *skb, struct genl_info *info)
{
	char name[NSCTL_NAME_ATTR_MAX + 1];
	struct nsctl_viewer v;
	int ret;

	ret = nsctl_pool_name(info, name);
	if (ret)
		return ret;
	/* Pools are for the full view: to anyone else there are none. */
	nsctl_viewer_now(&v);
	if (!v.all) {
		NL_SET_ERR_MSG(info->extack, "no such pool");
		return -ENOENT;
	}
	return nsctl_pool_send(info, name, NSCTL_CMD_GET_POOL, true);
}

/* A cgroup limit for the filler: printable, no line breaks. */
static int nsctl_pool_limit(struct genl_info *info, u16 type, char *buf)
{
	struct nlattr *attr = info->attrs[type];
	size_t i, len, n;

	if (!attr)
		return 0;
	len = nla_len(attr);
	n = strnlen(nla_data(attr), len);
	/* It may end in a NUL but not hold one. */
	if (!n || (n < len && n != len - 1))
		goto bad;
	nla_strscpy(buf, attr, NSCTL_POOL_LIMIT_MAX + 1);
	for (i = 0; buf[i]; i++)
		if (buf[i] < 0x20 || buf[i] > 0x7e)
			goto bad;
	return 1;
bad:
	NL_SET_ERR_MSG_ATTR(info->extack, attr,
			    "a cgroup limit is printable text, without NUL inside");
	return -EINVAL;
}

int nsctl_genl_new_pool(struct sk_buff *skb, struct genl_info *info)
{
	char limits[NSCTL_POOL_LIMITS][NSCTL_POOL_LIMIT_MAX + 1];
	char name[NSCTL_NAME_ATTR_MAX + 1];
	struct nlattr **a = info->attrs;
	struct nsctl_pool_tmpl t = { };
	const char *why = NULL;
	char *labels = NULL;
	int ret, i;

	if (!nsctl_pool_admin(skb, info))
		return -EPERM;
	ret = nsctl_pool_name(info, name);
	if (ret)
		return ret;
	if (GENL_REQ_ATTR_CHECK(info, NSCTL_A_POOL_TYPES) ||
	    GENL_REQ_ATTR_CHECK(info, NSCTL_A_POOL_SIZE))
		return -EINVAL;
	t.types = nla_get_u64(a[NSCTL_A_POOL_TYPES]);
	t.size = nla_get_u32(a[NSCTL_A_POOL_SIZE]);
	t.low = a[NSCTL_A_POOL_LOW] ? nla_get_u32(a[NSCTL_A_POOL_LOW]) :
				      DIV_ROUND_UP(t.size, 2);
	if (a[NSCTL_A_POOL_MAX_AGE])
		t.max_age = nla_get_u32(a[NSCTL_A_POOL_MAX_AGE]);
	if (a[NSCTL_A_POOL_FLAGS])
		t.flags = nla_get_u32(a[NSCTL_A_POOL_FLAGS]);
	if (a[NSCTL_A_CT_ON_EMPTY])
		t.on_empty = nla_get_u32(a[NSCTL_A_CT_ON_EMPTY]);
	if (a[NSCTL_A_CT_ENTER_POLICY])
		t.enter_policy = nla_get_u32(a[NSCTL_A_CT_ENTER_POLICY]);
	for (i = 0; i < NSCTL_POOL_LIMITS; i++) {
		ret = nsctl_pool_limit(info, nsctl_pool_limit_attr[i], limits[i]);
		if (ret < 0)
			return ret;
		if (ret && (t.flags & NSCTL_POOL_NO_CGROUP)) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[nsctl_pool_limit_attr[i]],
					    "cgroup limits for a pool without cgroups");
			return -EINVAL;
		}
		t.limits[i] = ret ? limits[i] : NULL;
	}
	if (a[NSCTL_A_CT_LABELS]) {
		labels = nsctl_labels_from_nest(a[NSCTL_A_CT_LABELS],
						&t.labels_len, info->extack);
		if (IS_ERR(labels))
			return PTR_ERR(labels);
		t.labels = labels;
	}
	/* As a create: nothing may be made while the module goes. */
	ret = -ENODEV;
	why = "the module is being unloaded";
	if (try_module_get(THIS_MODULE)) {
		ret = nsctl_pool_create(name, &t, &why);
		module_put(THIS_MODULE);
	}
	kfree(labels);
	if (ret) {
		nsctl_extack_set(info->extack, NULL, why);
		return ret;
	}
	return nsctl_pool_send(info, name, NSCTL_CMD_NEW_POOL, false);
}

int nsctl_genl_set_pool(struct sk_buff *skb, struct genl_info *info)
{
	char name[NSCTL_NAME_ATTR_MAX + 1];
	struct nlattr **a = info->attrs;
	u32 size, low, max_age;
	const char *why = NULL;
	int ret;

	if (!nsctl_pool_admin(skb, info))
		return -EPERM;
	ret = nsctl_pool_name(info, name);
	if (ret)
		return ret;
	if (!a[NSCTL_A_POOL_SIZE] && !a[NSCTL_A_POOL_LOW] &&
	    !a[NSCTL_A_POOL_MAX_AGE]) {
		NL_SET_ERR_MSG(info->extack,
			       "give the size, the low-water mark or the maximum age");
		return -EINVAL;
	}
	if (a[NSCTL_A_POOL_SIZE])
		size = nla_get_u32(a[NSCTL_A_POOL_SIZE]);
	if (a[NSCTL_A_POOL_LOW])
		low = nla_get_u32(a[NSCTL_A_POOL_LOW]);
	if (a[NSCTL_A_POOL_MAX_AGE])
		max_age = nla_get_u32(a[NSCTL_A_POOL_MAX_AGE]);
	ret = nsctl_pool_set(name, a[NSCTL_A_POOL_SIZE] ? &size : NULL,
			     a[NSCTL_A_POOL_LOW] ? &low : NULL,
			     a[NSCTL_A_POOL_MAX_AGE] ? &max_age : NULL, &why);
	if (ret) {
		nsctl_extack_set(info->extack, NULL, why);
		return ret;
	}
	return nsctl_pool_send(info, name, NSCTL_CMD_SET_POOL, false);
}

int nsctl_genl_del_pool(struct sk_buff *skb, struct genl_info *info)
{
	char name[NSCTL_NAME_ATTR_MAX + 1];
	int ret;

	if (!nsctl_pool_admin(skb, info))
		return -EPERM;
	ret = nsctl_pool_name(info, name);
	if (ret)
		return ret;
	ret = nsctl_pool_delete(name);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG(info->extack, "no such pool");
	return ret;
}

/* ADD_MEMBER once checked: build the member, give it to the pool. */
static int nsctl_pool_make_member(struct genl_info *info, const char *name)
{
	struct ns_common *ns[NSCTL_NS_COUNT] = { NULL };
	struct dentry *dentries[NSCTL_NS_COUNT] = { NULL };
	struct nlattr *cgroup = info->attrs[NSCTL_A_CGROUP_FD];
	struct netlink_ext_ack *extack = info->extack;
	struct nsctl_container *c;
	const struct nlattr *nla;
	const char *why = NULL;
	u64 attach = 0, gen;
	int ret, rem, i;

	nla_for_each_attr(nla, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(nla) != NSCTL_A_CT_NS)
			continue;
		ret = nsctl_parse_ns_nest(nla, ns, dentries, &attach, extack);
		if (ret)
			goto out_put_ns;
	}
	c = nsctl_container_create_member();
	if (IS_ERR(c)) {
		ret = PTR_ERR(c);
		goto out_put_ns;
	}
	if (attach) {
		ret = nsctl_container_set_ns(c, attach, ns, dentries, 0, NULL, &gen);
		if (ret)
			goto err_delete;
	}
	if (cgroup) {
		ret = nsctl_container_bind_cgroup_fd(c, nla_get_s32(cgroup), &gen);
		if (ret) {
			NL_SET_ERR_MSG_ATTR(extack, cgroup, "not a cgroup v2 directory");
			goto err_delete;
		}
	}
	ret = nsctl_pool_add(name, c, attach, &why);
	if (ret) {
		nsctl_extack_set(extack, NULL, why);
		goto err_delete;
	}
	/* The member is the pool's now: a reply lost changes nothing of that. */
	nsctl_pool_send(info, name, NSCTL_CMD_GET_POOL, false);
	ret = 0;
	goto out_put_ns;

err_delete:
	nsctl_container_delete(c, NULL);
out_put_ns:
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		dput(dentries[i]);
		if (ns[i])
			nsctl_ns_put(ns[i]);
	}
	return ret;
}

int nsctl_genl_add_member(struct sk_buff *skb, struct genl_info *info)
{
	char name[NSCTL_NAME_ATTR_MAX + 1];
	int ret;

	if (!nsctl_pool_admin(skb, info))
		return -EPERM;
	ret = nsctl_pool_name(info, name);
	if (ret)
		return ret;
	/* As a create: nothing may be made while the module goes. */
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;
	ret = nsctl_pool_make_member(info, name);
	module_put(THIS_MODULE);
	return ret;
}

/* CLAIM once checked: take a member, name it, publish it. */
static int nsctl_pool_hand_out(struct genl_info *info, const char *pool,
			       const char *name, const uuid_t *uuid,
			       const char *edits, size_t len)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nsctl_container *c;
	struct nsctl_pool *p;
	const char *why = NULL;
	int ret;

	/* Refused before a member is taken out, as far as can be told. */
	ret = nsctl_container_names_free(name, uuid, &why);
	if (ret) {
		nsctl_extack_set(extack, NULL, why);
		return ret;
	}
	c = nsctl_pool_take(pool, &p);
	if (IS_ERR(c)) {
		if (PTR_ERR(c) == -EAGAIN)
			NL_SET_ERR_MSG(extack, "the pool has no ready member");
		else
			NL_SET_ERR_MSG(extack, "no such pool");
		return PTR_ERR(c);
	}
	ret = nsctl_pool_check_labels(p, edits, len, &why);
	if (!ret)
		ret = nsctl_container_adopt(c, name, uuid, &why);
	if (ret) {
		/* Nothing was done with it: it stays the pool's. */
		nsctl_pool_return(p, c);
		nsctl_pool_put(p);
		nsctl_extack_set(extack, NULL, why);
		return ret;
	}
	/* Ours until the reply is sent, whoever deletes it meanwhile. */
	nsctl_container_get(c);
	ret = nsctl_pool_apply(p, c, &why);
	if (!ret && edits)
		ret = nsctl_container_set_labels(c, edits, len, true, &why);
	if (ret) {
		nsctl_extack_set(extack, NULL, why);
		goto err_delete;
	}
	ret = nsctl_fs_add(c);
	if (ret) {
		NL_SET_ERR_MSG(extack, "the container's directory could not be made");
		goto err_delete;
	}
	nsctl_pool_claimed(p, true);
	nsctl_pool_put(p);
	return nsctl_publish_reply(info, c);

err_delete:
	/* Used up all the same: the pool may be below its mark now. */
	nsctl_pool_claimed(p, false);
	nsctl_pool_put(p);
	nsctl_container_delete(c, NULL);
	nsctl_container_put(c);
	return ret;
}

int nsctl_genl_claim(struct sk_buff *skb, struct genl_info *info)
{
	char pool[NSCTL_NAME_ATTR_MAX + 1], name[NSCTL_NAME_ATTR_MAX + 1];
	struct nlattr **a = info->attrs;
	size_t len = 0;
	char *edits = NULL;
	uuid_t uuid;
	int ret;

	if (!nsctl_pool_admin(skb, info))
		return -EPERM;
	ret = nsctl_pool_name(info, pool);
	if (ret)
		return ret;
	if (GENL_REQ_ATTR_CHECK(info, NSCTL_A_CT_NAME))
		return -EINVAL;
	ret = nsctl_get_name(a[NSCTL_A_CT_NAME], name, info->extack);
	if (ret)
		return ret;
	ret = nsctl_check_ct_name(name, a[NSCTL_A_CT_NAME], info->extack);
	if (ret)
		return ret;
	if (nsctl_fs_reserved(name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[NSCTL_A_CT_NAME],
				    "a file of that name is in the way");
		return -EEXIST;
	}
	if (a[NSCTL_A_CT_UUID]) {
		memcpy(&uuid, nla_data(a[NSCTL_A_CT_UUID]), sizeof(uuid));
		if (uuid_is_null(&uuid)) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[NSCTL_A_CT_UUID],
					    "the nil UUID is not a container's");
			return -EINVAL;
		}
	}
	if (a[NSCTL_A_CT_LABELS]) {
		edits = nsctl_labels_from_nest(a[NSCTL_A_CT_LABELS], &len,
					       info->extack);
		if (IS_ERR(edits))
			return PTR_ERR(edits);
	}
	ret = -ENODEV;
	if (try_module_get(THIS_MODULE)) {
		ret = nsctl_pool_hand_out(info, pool, name,
					  a[NSCTL_A_CT_UUID] ? &uuid : NULL,
					  edits, len);
		module_put(THIS_MODULE);
	}
	kfree(edits);
	return ret;
}
