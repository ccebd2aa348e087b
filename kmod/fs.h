/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSCTL_FS_H
#define _NSCTL_FS_H

#include <linux/types.h>

int nsctl_fs_init(void);
void nsctl_fs_uninit(void);

struct nsctl_container;

/* mkdir and rmdir for containers made and deleted over netlink. */
int nsctl_fs_add(struct nsctl_container *c);
int nsctl_fs_remove(struct nsctl_container *c, const u64 *expect_gen);

#endif /* _NSCTL_FS_H */
