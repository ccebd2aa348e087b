/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nsctl: container objects for Linux namespaces.
 *
 * This header is the whole contract between the nsctl kernel module and
 * userspace.  Everything a program may rely on is described here.
 *
 * The filesystem
 * ==============
 *
 * The module registers a filesystem type named "nsctl" and creates the
 * empty directory /sys/fs/nsctl as its mount point:
 *
 *	mount -t nsctl none /sys/fs/nsctl
 *
 * Every mount of the type shows the same tree: there is one superblock
 * per running kernel, whatever the mounting process's namespaces.  The
 * filesystem takes no mount options; any option is refused with EINVAL.
 * Mounting needs CAP_SYS_ADMIN in the initial user namespace.
 *
 * statfs(2) reports NSCTL_SUPER_MAGIC as f_type.
 *
 * While the filesystem is mounted somewhere, the module cannot be
 * unloaded (delete_module(2) fails with EWOULDBLOCK).
 */
#ifndef _UAPI_LINUX_NSCTL_H
#define _UAPI_LINUX_NSCTL_H

#include <linux/types.h>

/* Name of the filesystem type and its customary mount point. */
#define NSCTL_FS_NAME		"nsctl"
#define NSCTL_MOUNT_POINT	"/sys/fs/nsctl"

/* f_type reported by statfs(2) for an nsctl mount ("nscl"). */
#define NSCTL_SUPER_MAGIC	0x6e73636c

#endif /* _UAPI_LINUX_NSCTL_H */
