/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSCTL_GENL_H
#define _NSCTL_GENL_H

#include <linux/types.h>
#include <net/genetlink.h>

struct nsctl_container;
struct nsctl_viewer;

extern struct genl_family nsctl_genl_family;

int nsctl_genl_init(void);
void nsctl_genl_uninit(void);

/*
 * Events.  nsctl_event_new() starts a message for event @cmd, or returns
 * NULL when nobody listens or memory is short (the event's sequence
 * number is then used up); nsctl_event_send() numbers and sends it,
 * nsctl_event_cancel() drops it, using its number up.
 */
struct sk_buff *nsctl_event_new(u8 cmd, size_t size);
void nsctl_event_send(struct sk_buff *skb);
void nsctl_event_cancel(struct sk_buff *skb);

/* Whom a dump is for: its requester, as they were when it started. */
const struct nsctl_viewer *nsctl_dump_viewer(struct netlink_callback *cb);

/* An event about @c, whose lock the caller holds. */
void nsctl_event_container(struct nsctl_container *c, u8 cmd, u64 changed,
			   pid_t pid);

#endif /* _NSCTL_GENL_H */
