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

/* Whom a dump is for: its requester, as they were when it started. */
const struct nsctl_viewer *nsctl_dump_viewer(struct netlink_callback *cb);

#endif /* _NSCTL_GENL_H */
