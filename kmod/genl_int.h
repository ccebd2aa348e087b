/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of the "nsctl" family share: genl.c (lookups, dumps,
 * deletion, the family), genl_make.c (creation), genl_pool.c (pools).
 */
#ifndef _NSCTL_GENL_INT_H
#define _NSCTL_GENL_INT_H

#include <linux/types.h>
#include <linux/nsctl.h>
#include <net/genetlink.h>

struct dentry;
struct ns_common;
struct nsctl_container;

/*
 * A name attribute may be one longer than a name, so that ENAMETOOLONG
 * can say so; what is longer still is refused by the policy (ERANGE).
 */
#define NSCTL_NAME_ATTR_MAX	(NSCTL_NAME_MAX + 1)

/* An NSCTL_A_CT_LABELS nest, and an NSCTL_A_CT_NS nest in a request. */
extern const struct nla_policy nsctl_label_policy[NSCTL_A_MAX + 1];
extern const struct nla_policy nsctl_ns_policy[NSCTL_A_MAX + 1];

/*
 * A name attribute as a C string in @buf (NSCTL_NAME_ATTR_MAX + 1 bytes):
 * the policy bounds its length; it may end in a NUL but not hold one.
 */
int nsctl_get_name(const struct nlattr *attr, char *buf,
		   struct netlink_ext_ack *extack);

/* NL_SET_ERR_MSG_ATTR() for a message chosen at run time (a literal). */
void nsctl_extack_set(struct netlink_ext_ack *extack,
		      const struct nlattr *attr, const char *msg);

/* May the request in @skb change containers (sender and socket opener)? */
bool nsctl_genl_admin(struct sk_buff *skb);

/* Reply with @c's message (NSCTL_CMD_NEW_CONTAINER: whoever made it). */
int nsctl_reply_container(struct genl_info *info, struct nsctl_container *c,
			  u8 cmd);

/* Is @name (from @attr) a container's name?  0, or -errno with a message. */
int nsctl_check_ct_name(const char *name, const struct nlattr *attr,
			struct netlink_ext_ack *extack);

/*
 * Publish @c, made for @info's sender, and reply with its message; drops
 * the reference the caller held while making it.
 */
int nsctl_publish_reply(struct genl_info *info, struct nsctl_container *c);

/* One NSCTL_A_CT_NS nest into @ns[type], @dentries[type] and @attach. */
int nsctl_parse_ns_nest(const struct nlattr *nest, struct ns_common **ns,
			struct dentry **dentries, u64 *attach,
			struct netlink_ext_ack *extack);

/* Handlers. */
int nsctl_genl_new(struct sk_buff *skb, struct genl_info *info);
int nsctl_genl_get_pool(struct sk_buff *skb, struct genl_info *info);
int nsctl_genl_new_pool(struct sk_buff *skb, struct genl_info *info);
int nsctl_genl_set_pool(struct sk_buff *skb, struct genl_info *info);
int nsctl_genl_del_pool(struct sk_buff *skb, struct genl_info *info);
int nsctl_genl_add_member(struct sk_buff *skb, struct genl_info *info);
int nsctl_genl_claim(struct sk_buff *skb, struct genl_info *info);

#endif /* _NSCTL_GENL_INT_H */
