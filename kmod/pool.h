/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSCTL_POOL_H
#define _NSCTL_POOL_H

#include <linux/fs.h>
#include <linux/types.h>

struct genl_info;
struct netlink_callback;
struct nsctl_container;
struct nsctl_labels;
struct nsctl_pool;
struct sk_buff;

enum {
	NSCTL_POOL_LIMIT_MEMORY,
	NSCTL_POOL_LIMIT_PIDS,
	NSCTL_POOL_LIMIT_CPU,
	NSCTL_POOL_LIMITS
};

/* The attribute that carries each limit in requests and pool messages. */
extern const u16 nsctl_pool_limit_attr[NSCTL_POOL_LIMITS];

/* What a new pool is made of (NSCTL_CMD_NEW_POOL); the caller's. */
struct nsctl_pool_tmpl {
	u64 types;
	u32 size, low, max_age, flags;
	u8 on_empty, enter_policy;
	const char *labels;		/* label edit lines, or NULL */
	size_t labels_len;
	const char *limits[NSCTL_POOL_LIMITS];	/* NULL: not set */
};

/* 0 or -errno, *@why saying what was wrong. */
int nsctl_pool_create(const char *name, const struct nsctl_pool_tmpl *t,
		      const char **why);
int nsctl_pool_set(const char *name, const u32 *size, const u32 *low,
		   const u32 *max_age, const char **why);
int nsctl_pool_delete(const char *name);

/*
 * Give the pool @name the member @c (from nsctl_container_create_member(),
 * holding the namespaces @types): on success the pool owns @c's registry
 * reference.  -ENOENT, -EINVAL (not the pool's template), -ENOSPC (full).
 */
int nsctl_pool_add(const char *name, struct nsctl_container *c, u64 types,
		   const char **why);

/*
 * Take the oldest member of pool @name out of it, for a claim: returns it
 * with its registry reference, and the pool referenced in *@poolp.  Then
 * either nsctl_pool_return() (nothing was done with it) or
 * nsctl_pool_claimed() (handed out, or used up by a failure: @claimed
 * false), and nsctl_pool_put().  -ENOENT, -EAGAIN (empty).  Members whose
 * PID namespace's init died while pooled are released, not handed out.
 */
struct nsctl_container *nsctl_pool_take(const char *name,
					struct nsctl_pool **poolp);
void nsctl_pool_return(struct nsctl_pool *p, struct nsctl_container *c);
void nsctl_pool_claimed(struct nsctl_pool *p, bool claimed);
void nsctl_pool_put(struct nsctl_pool *p);

/* The template's policies and labels, given to a claimed member. */
int nsctl_pool_apply(struct nsctl_pool *p, struct nsctl_container *c,
		     const char **why);

/*
 * Would the template's labels and then @edits (a claim's) be accepted?
 * 0, or -EINVAL/-E2BIG with *@why.
 */
int nsctl_pool_check_labels(struct nsctl_pool *p, const char *edits,
			    size_t len, const char **why);

/*
 * Netlink: a reply to @info with pool @name's message (and, with
 * @members, its members' cgroups), ready to send; ERR_PTR(-ENOENT).
 */
struct sk_buff *nsctl_pool_reply(const char *name, struct genl_info *info,
				 u8 cmd, bool members);
int nsctl_pool_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* The top-level "pools" file. */
extern const struct file_operations nsctl_pool_list_fops;

#endif /* _NSCTL_POOL_H */
