/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSCTL_EVENT_H
#define _NSCTL_EVENT_H

#include <linux/types.h>

struct nsctl_container;
struct nsctl_viewer;
struct sk_buff;

/* Events are sent from start (family registered) to stop. */
void nsctl_event_start(void);
void nsctl_event_stop(void);

/*
 * Events.  nsctl_event_new() starts a message for event @cmd, or returns
 * NULL when nobody listens or memory is short (the event's sequence
 * number is then used up); nsctl_event_send() numbers and sends it,
 * nsctl_event_cancel() drops it, using its number up.
 */
struct sk_buff *nsctl_event_new(u8 cmd, size_t size);
void nsctl_event_send(struct sk_buff *skb);
void nsctl_event_cancel(struct sk_buff *skb);

/* An event about @c, whose lock the caller holds. */
void nsctl_event_container(struct nsctl_container *c, u8 cmd, u64 changed,
			   pid_t pid);

/*
 * A container message's attributes, as @v sees them (NULL: all, as an
 * event carries them), and room for them; the caller holds @c's lock.
 */
int nsctl_fill_container(struct sk_buff *skb, struct nsctl_container *c,
			 const struct nsctl_viewer *v);
size_t nsctl_container_msg_size(struct nsctl_container *c);
/* Room for the largest container message there can be. */
size_t nsctl_container_msg_max(void);

#endif /* _NSCTL_EVENT_H */
