// SPDX-License-Identifier: GPL-2.0
/*
 * A test module for nsctl's load order: it takes the generic netlink
 * family name "nsctl" first, so that loading nsctl fails at its family,
 * and can hold that failure off for as long as a test needs.
 *
 * Its one command blocks in its handler until the parameter "release" is
 * written.  The family is not parallel_ops, so the handler runs under
 * the generic netlink lock, and genl_register_family() (nsctl's) waits
 * for it: a test can then look at what a loading nsctl has made visible
 * before it fails.  "blocked" reads 1 while the handler waits.
 */
#include <linux/completion.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <net/genetlink.h>

static DECLARE_COMPLETION(squat_go);
static int squat_blocked;

static int squat_release_set(const char *val, const struct kernel_param *kp)
{
	complete_all(&squat_go);
	return 0;
}

static const struct kernel_param_ops squat_release_ops = {
	.set = squat_release_set,
};

module_param_cb(release, &squat_release_ops, NULL, 0200);
MODULE_PARM_DESC(release, "write anything: the blocked command returns");
module_param_named(blocked, squat_blocked, int, 0444);
MODULE_PARM_DESC(blocked, "1 while the command is blocked");

static int squat_block(struct sk_buff *skb, struct genl_info *info)
{
	WRITE_ONCE(squat_blocked, 1);
	wait_for_completion(&squat_go);
	WRITE_ONCE(squat_blocked, 0);
	return 0;
}

static const struct genl_small_ops squat_ops[] = {
	{
		.cmd	= 1,
		.doit	= squat_block,
		.validate = GENL_DONT_VALIDATE_STRICT | GENL_DONT_VALIDATE_DUMP,
	},
};

static struct genl_family squat_family __ro_after_init = {
	.name		= "nsctl",
	.version	= 1,
	.module		= THIS_MODULE,
	.small_ops	= squat_ops,
	.n_small_ops	= ARRAY_SIZE(squat_ops),
	.resv_start_op	= 2,
};

static int __init squat_init(void)
{
	return genl_register_family(&squat_family);
}

static void __exit squat_exit(void)
{
	complete_all(&squat_go);
	genl_unregister_family(&squat_family);
}

module_init(squat_init);
module_exit(squat_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nsctl selftest: the generic netlink family name taken first");
