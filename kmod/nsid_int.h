/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What nsid.c (tracking, UUIDs, the collector) and nsid_view.c (messages,
 * the dump, the "namespaces" file) share; nothing else includes it.
 */
#ifndef _NSCTL_NSID_INT_H
#define _NSCTL_NSID_INT_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/uuid.h>

struct ns_common;

struct nsctl_nsid {
	struct hlist_node by_ptr;
	struct hlist_node by_uuid;
	struct list_head node;
	struct ns_common *ns;
	struct nsctl_nsid *owner;
	struct nsctl_nsid *parent;
	struct list_head holders;
	unsigned int nholders;
	struct list_head pending;	/* net: creation not known complete */
	struct list_head gc;		/* a candidate: on a generation's list */
	uuid_t uuid;
	u64 cookie;	/* net: the kernel's cookie */
	unsigned int inum;
	u32 serial;	/* order of tracking, for dumps */
	u8 type;
	bool held;	/* the entry holds a reference on @ns */
	bool announced;	/* net: creation complete and announced */
};

/*
 * nsid_lock protects the tables, nsid_list (entries in tracking order),
 * every entry's holder list, nsid_changes (bumped when entries or holders
 * change, for dumps) and nsid_quiet (no events at load and unload).
 */
extern struct mutex nsid_lock;
extern struct list_head nsid_list;
extern unsigned int nsid_changes;
extern bool nsid_quiet;

struct nsctl_nsid *nsid_lookup(struct ns_common *ns);
struct nsctl_nsid *nsid_track(struct ns_common *ns, bool take_ref);
/* Listed yet: a network namespace only once its creation completed. */
bool nsid_ready(struct nsctl_nsid *id);
/* An event about @id (NSCTL_CMD_NETNS_*); under nsid_lock. */
void nsid_event(struct nsctl_nsid *id, u8 cmd);

#endif /* _NSCTL_NSID_INT_H */
