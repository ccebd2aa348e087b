/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSCTL_DIR_H
#define _NSCTL_DIR_H

#include <linux/fs.h>

/* The root directory; a container's directory (see dir.c). */
extern const struct file_operations nsctl_root_fops;
extern const struct file_operations nsctl_ct_dir_fops;
extern const struct inode_operations nsctl_ct_dir_iops;
/* Every dentry of the filesystem (a container's name hides as above). */
extern const struct dentry_operations nsctl_dentry_ops;

#endif /* _NSCTL_DIR_H */
