// SPDX-License-Identifier: GPL-2.0
/*
 * nsctl: container objects for Linux namespaces.
 *
 * This file only brings the parts up in order and takes them down in
 * reverse; each part lives in its own file.
 */
#include <linux/module.h>
#include <linux/init.h>

#include "compat.h"
#include "container.h"
#include "fs.h"
#include "genl.h"
#include "nsid.h"

static int __init nsctl_init(void)
{
	int ret;

	ret = nsctl_nsid_init();
	if (ret)
		return ret;

	ret = nsctl_fs_init();
	if (ret)
		goto err_nsid;

	/* Last: requests may come in from the moment it is registered. */
	ret = nsctl_genl_init();
	if (ret)
		goto err_fs;

	pr_info("nsctl " NSCTL_VERSION " loaded\n");
	return 0;

err_fs:
	nsctl_fs_uninit();
err_nsid:
	nsctl_nsid_uninit();
	return ret;
}

static void __exit nsctl_exit(void)
{
	nsctl_genl_uninit();
	nsctl_fs_uninit();
	nsctl_container_uninit();
	nsctl_nsid_uninit();
}

module_init(nsctl_init);
module_exit(nsctl_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Container objects for Linux namespaces");
MODULE_AUTHOR("The nsctl authors");
MODULE_VERSION(NSCTL_VERSION);
MODULE_ALIAS_FS("nsctl");
MODULE_ALIAS_GENL_FAMILY(NSCTL_GENL_NAME);
