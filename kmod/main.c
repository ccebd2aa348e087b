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
#include "ns.h"
#include "nsid.h"
#include "view.h"

/*
 * Nothing a user can hold may exist when a later step fails: the
 * filesystem, which can be mounted and hold containers from the moment it
 * is registered, comes last, and the netlink family before it makes no
 * container until then (nsctl_fs_add()).
 */
static int __init nsctl_init(void)
{
	int ret;

	ret = nsctl_ns_init();
	if (ret)
		return ret;
	nsctl_view_init();

	ret = nsctl_nsid_init();
	if (ret)
		goto err_ns;

	ret = nsctl_genl_init();
	if (ret)
		goto err_nsid;

	ret = nsctl_fs_init();
	if (ret)
		goto err_genl;

	pr_info("nsctl " NSCTL_VERSION " loaded\n");
	return 0;

err_genl:
	nsctl_genl_uninit();
err_nsid:
	nsctl_nsid_uninit();
err_ns:
	nsctl_ns_uninit();
	return ret;
}

static void __exit nsctl_exit(void)
{
	/* An on_empty delete still running goes through the filesystem. */
	nsctl_container_uninit();
	nsctl_fs_uninit();
	nsctl_genl_uninit();
	nsctl_nsid_uninit();
	nsctl_ns_uninit();
}

module_init(nsctl_init);
module_exit(nsctl_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Container objects for Linux namespaces");
MODULE_AUTHOR("The nsctl authors");
MODULE_VERSION(NSCTL_VERSION);
MODULE_ALIAS_FS("nsctl");
MODULE_ALIAS_GENL_FAMILY(NSCTL_GENL_NAME);
