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

/* Is @name one of the root's files, which no container can be named? */
bool nsctl_fs_reserved(const char *name);

/*
 * Keep the filesystem, and with it the module, for something that is not
 * a container (a pool): 0 or -errno, and nsctl_fs_unpin() to let go.
 */
int nsctl_fs_pin(void);
void nsctl_fs_unpin(void);

#endif /* _NSCTL_FS_H */
