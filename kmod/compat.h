/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels nsctl supports, in one place.
 *
 * The rest of the module uses the modern names only.  The COMPAT_HAVE_*
 * switches come from probes of the kernel's headers in Kbuild.  Supported:
 * the 6.1 and 6.12 long-term series; anything else is refused at build
 * time rather than built into something nobody has tested.
 */
#ifndef _NSCTL_COMPAT_H
#define _NSCTL_COMPAT_H

#include <linux/fs.h>

#ifndef COMPAT_SUPPORTED_KERNEL
#error "nsctl supports the Linux 6.1 and 6.12 series only"
#endif

#ifdef COMPAT_HAVE_MNT_IDMAP
#define COMPAT_IDMAP_ARG	struct mnt_idmap *
#else
/* 6.3 replaced the user_namespace argument of inode operations. */
#define COMPAT_IDMAP_ARG	struct user_namespace *
#endif

#ifndef COMPAT_HAVE_INODE_TS_ACCESSORS
/*
 * 6.7 moved inode times behind accessors; the 6.1 stable series has the
 * ctime ones (inode_set_ctime_current) but not these two.
 */
static inline struct timespec64 inode_set_mtime_to_ts(struct inode *inode,
						      struct timespec64 ts)
{
	inode->i_mtime = ts;
	return ts;
}

static inline struct timespec64 simple_inode_init_ts(struct inode *inode)
{
	inode->i_atime = inode_set_ctime_current(inode);
	return inode_set_mtime_to_ts(inode, inode->i_atime);
}
#endif

#ifdef COMPAT_HAVE_GENL_INFO_DUMP
#define compat_dump_attrs(cb)	(genl_info_dump(cb)->attrs)
#else
/* 6.6 put a genl_info into the dump's state. */
#define compat_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

#endif /* _NSCTL_COMPAT_H */
