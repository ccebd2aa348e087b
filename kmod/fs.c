// SPDX-License-Identifier: GPL-2.0
/*
 * The nsctl pseudo-filesystem.
 *
 * Built on libfs, as securityfs and bpffs are: the kernfs creation
 * functions are not exported to modules.  There is one superblock per
 * kernel (get_tree_single), so every mount shows the same tree whatever
 * namespace the mounter is in.
 */
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sysfs.h>
#include <linux/nsctl.h>

#include "compat.h"
#include "fs.h"

static int nsctl_fill_super(struct super_block *sb, struct fs_context *fc)
{
	static const struct tree_descr no_files[] = { { "" } };
	int ret;

	ret = simple_fill_super(sb, NSCTL_SUPER_MAGIC, no_files);
	if (ret)
		return ret;

	sb->s_time_gran = 1;
	return 0;
}

static int nsctl_get_tree(struct fs_context *fc)
{
	return get_tree_single(fc, nsctl_fill_super);
}

static const struct fs_context_operations nsctl_context_ops = {
	.get_tree	= nsctl_get_tree,
};

static int nsctl_init_fs_context(struct fs_context *fc)
{
	fc->ops = &nsctl_context_ops;
	return 0;
}

static struct file_system_type nsctl_fs_type = {
	.owner			= THIS_MODULE,
	.name			= NSCTL_FS_NAME,
	.init_fs_context	= nsctl_init_fs_context,
	.kill_sb		= kill_litter_super,
};

int nsctl_fs_init(void)
{
	int ret;

	ret = sysfs_create_mount_point(fs_kobj, NSCTL_FS_NAME);
	if (ret)
		return ret;

	ret = register_filesystem(&nsctl_fs_type);
	if (ret)
		goto err_remove_mount_point;

	return 0;

err_remove_mount_point:
	sysfs_remove_mount_point(fs_kobj, NSCTL_FS_NAME);
	return ret;
}

void nsctl_fs_uninit(void)
{
	unregister_filesystem(&nsctl_fs_type);
	sysfs_remove_mount_point(fs_kobj, NSCTL_FS_NAME);
}
