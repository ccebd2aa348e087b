/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSCTL_NSID_H
#define _NSCTL_NSID_H

#include <linux/list.h>
#include <linux/nsctl.h>
#include <linux/uuid.h>

struct ns_common;
struct seq_file;
struct nsctl_nsid;

struct nsctl_viewer;

/*
 * A container's claim on a tracked namespace (see container.h).  @slots:
 * the container's claims, one per type; what they hold (@id) is set and
 * read under the tracking lock, so a listing of holders can tell which
 * containers its viewer sees without taking their locks.
 */
struct nsctl_holder {
	struct list_head node;
	struct nsctl_nsid *id;
	u64 cid;
	const struct nsctl_holder *slots;
};

int nsctl_nsid_init(void);
void nsctl_nsid_uninit(void);

/* Start tracking @ns (referenced by the caller). 0 or -errno. */
int nsctl_nsid_track(struct ns_common *ns);

/*
 * Make the claims @slots[i] (a container's, under its lock) for each type
 * in @mask claims on @ns[i] (NULL: none), all at once: a listing of
 * holders sees the container's old claims or its new ones, never a mix.
 * Each @ns[i] is tracked already (nsctl_nsid_track()).
 */
void nsctl_nsid_claim(struct nsctl_holder *slots, u64 mask,
		      struct ns_common *const *ns);

/*
 * Set the container id the claims @slots[] name (a pool member's, when it
 * is claimed).  A claim naming id 0 is listed nowhere: an unpublished
 * member holds its namespaces without being named as their holder.
 */
void nsctl_nsid_set_cid(struct nsctl_holder *slots, u64 cid);

/*
 * The UUID of what @h holds, without the tracking lock: the caller holds
 * the lock of @h's container, under which its claims change, and a claimed
 * entry stays.  The nil UUID for an empty slot.
 */
void nsctl_holder_uuid(const struct nsctl_holder *h, uuid_t *uuid);

/*
 * Fill @info for @ns (referenced by the caller), listing the holders @v
 * sees; see the uapi header.
 */
int nsctl_nsid_info(struct ns_common *ns, struct nsctl_ns_info *info,
		    u64 *cids, u32 max_cids, const struct nsctl_viewer *v);

/* The namespace a UUID names, referenced; ENOENT or ESTALE. */
struct ns_common *nsctl_nsid_find(const uuid_t *uuid);

struct sk_buff;
struct netlink_callback;

/*
 * Netlink: room for a namespace message's attributes (at the time of the
 * call), the attributes with the holders @v sees (-EMSGSIZE when they no
 * longer fit), and the namespace dump.
 */
size_t nsctl_nsid_msg_size(struct ns_common *ns);
int nsctl_nsid_fill(struct sk_buff *skb, struct ns_common *ns,
		    const struct nsctl_viewer *v);
int nsctl_nsid_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* The top-level "namespaces" file. */
extern const struct file_operations nsctl_nsid_list_fops;

#endif /* _NSCTL_NSID_H */
