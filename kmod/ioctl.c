// SPDX-License-Identifier: GPL-2.0
/*
 * Ioctls on a container's directory.  Argument structs are versioned by
 * the size encoded in the ioctl number, as seccomp's notifier ioctls are:
 * the command is matched on its type and number alone, and the size goes
 * to copy_struct_from_user().
 */
#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "container.h"
#include "enter.h"
#include "ioctl.h"
#include "ns.h"
#include "nsid.h"
#include "viewer.h"

#define NSCTL_IOC_BASE(cmd)	((cmd) & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT))

static int nsctl_copy_in(void *dst, size_t ksize, size_t ver0,
			 unsigned int cmd, unsigned long arg)
{
	size_t usize = _IOC_SIZE(cmd);

	if (usize < ver0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	return copy_struct_from_user(dst, ksize, (void __user *)arg, usize);
}

static int nsctl_copy_out(unsigned long arg, const void *src, size_t ksize,
			  unsigned int cmd)
{
	size_t n = min_t(size_t, _IOC_SIZE(cmd), ksize);

	return copy_to_user((void __user *)arg, src, n) ? -EFAULT : 0;
}

/*
 * What a container holds is where the next enter runs, with whatever
 * privileges the one entering has: both who opened the directory and who
 * calls now need CAP_SYS_ADMIN in the initial user namespace.  A
 * descriptor handed on lends no such right, and one opened without it
 * never gains it.
 */
static bool nsctl_may_change(struct file *file)
{
	return file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN) &&
	       capable(CAP_SYS_ADMIN);
}

static long nsctl_ioc_set_ns(struct file *file, struct nsctl_container *c,
			     unsigned int cmd, unsigned long arg)
{
	struct ns_common *new[NSCTL_NS_COUNT] = { NULL };
	struct dentry *dentries[NSCTL_NS_COUNT] = { NULL };
	struct nsctl_set_ns args;
	int ret, i;

	BUILD_BUG_ON(sizeof(args) != NSCTL_SET_NS_SIZE_VER0);
	ret = nsctl_copy_in(&args, sizeof(args), NSCTL_SET_NS_SIZE_VER0, cmd, arg);
	if (ret)
		return ret;
	if (args.flags & ~NSCTL_SET_NS_ALL)
		return -EOPNOTSUPP;
	if ((args.attach | args.detach) & ~NSCTL_NS_ALL)
		return -EINVAL;
	if ((args.attach & args.detach) || args.__reserved)
		return -EINVAL;
	if ((args.flags & NSCTL_SET_NS_PID_OF_TASK) &&
	    (!(args.attach & NSCTL_NS_BIT(NSCTL_NS_PID)) || args.pid <= 0))
		return -EINVAL;
	if (!nsctl_may_change(file))
		return -EPERM;

	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (!(args.attach & NSCTL_NS_BIT(i)))
			continue;
		if (i == NSCTL_NS_PID && (args.flags & NSCTL_SET_NS_PID_OF_TASK))
			new[i] = nsctl_pid_ns_for_children_of(args.pid);
		else
			new[i] = nsctl_ns_get_by_fd(args.fds[i], &dentries[i]);
		if (IS_ERR(new[i])) {
			ret = PTR_ERR(new[i]);
			new[i] = NULL;
			goto out;
		}
		if (nsctl_ns_type(new[i]) != i) {
			ret = -EINVAL;
			goto out;
		}
	}

	ret = nsctl_container_set_ns(c, args.attach, new, dentries, args.detach,
				     (args.flags & NSCTL_SET_NS_CHECK_GEN) ?
				     &args.generation : NULL, &args.generation);
	if (!ret)
		ret = nsctl_copy_out(arg, &args, sizeof(args), cmd);
out:
	/* Whatever set_ns did not take over is still ours. */
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		dput(dentries[i]);
		if (new[i])
			nsctl_ns_put(new[i]);
	}
	return ret;
}

static long nsctl_ioc_get_ns(struct nsctl_container *c, unsigned int cmd,
			     unsigned long arg)
{
	struct nsctl_get_ns args;
	struct ns_common *ns;
	int ret;

	BUILD_BUG_ON(sizeof(args) != NSCTL_GET_NS_SIZE_VER0);
	ret = nsctl_copy_in(&args, sizeof(args), NSCTL_GET_NS_SIZE_VER0, cmd, arg);
	if (ret)
		return ret;
	if (args.flags)
		return -EOPNOTSUPP;
	if (args.__reserved || args.type >= NSCTL_NS_COUNT)
		return -EINVAL;

	mutex_lock(&c->lock);
	if (c->dead)
		ns = ERR_PTR(-ESTALE);
	else if (c->enter_policy == NSCTL_ENTER_POLICY_DENY)
		ns = ERR_PTR(-EPERM);
	else
		ns = c->ns[args.type];
	if (!IS_ERR_OR_NULL(ns))
		nsctl_ns_get(ns);
	mutex_unlock(&c->lock);
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	if (!ns)
		return -ENOENT;

	if (nsctl_ns_may_join(ns))
		ret = nsctl_ns_open_fd(ns);
	else
		ret = -EPERM;
	nsctl_ns_put(ns);
	return ret;
}

static long nsctl_ioc_set_cgroup(struct file *file, struct nsctl_container *c,
				 unsigned int cmd, unsigned long arg)
{
	struct nsctl_set_cgroup args;
	int ret;

	BUILD_BUG_ON(sizeof(args) != NSCTL_SET_CGROUP_SIZE_VER0);
	ret = nsctl_copy_in(&args, sizeof(args), NSCTL_SET_CGROUP_SIZE_VER0,
			    cmd, arg);
	if (ret)
		return ret;
	if (args.flags)
		return -EOPNOTSUPP;
	if (args.__reserved || args.fd < -1)
		return -EINVAL;
	if (!nsctl_may_change(file))
		return -EPERM;

	ret = nsctl_container_bind_cgroup_fd(c, args.fd, &args.generation);
	if (ret)
		return ret;
	return nsctl_copy_out(arg, &args, sizeof(args), cmd);
}

static long nsctl_ioc_set_uuid(struct file *file, struct nsctl_container *c,
			       unsigned int cmd, unsigned long arg)
{
	struct nsctl_set_uuid args;
	uuid_t uuid;
	int ret;

	BUILD_BUG_ON(sizeof(args) != NSCTL_SET_UUID_SIZE_VER0);
	ret = nsctl_copy_in(&args, sizeof(args), NSCTL_SET_UUID_SIZE_VER0,
			    cmd, arg);
	if (ret)
		return ret;
	if (args.flags)
		return -EOPNOTSUPP;
	if (!nsctl_may_change(file))
		return -EPERM;

	BUILD_BUG_ON(sizeof(uuid) != sizeof(args.uuid));
	memcpy(&uuid, args.uuid, sizeof(uuid));
	return nsctl_container_set_uuid(c, &uuid);
}

static long nsctl_ioc_ns_info(const struct nsctl_viewer *v, unsigned int cmd,
			      unsigned long arg)
{
	struct nsctl_ns_info args;
	struct ns_common *ns;
	u64 *cids = NULL;
	u32 max;
	int ret;

	BUILD_BUG_ON(sizeof(args) != NSCTL_NS_INFO_SIZE_VER0);
	ret = nsctl_copy_in(&args, sizeof(args), NSCTL_NS_INFO_SIZE_VER0, cmd, arg);
	if (ret)
		return ret;
	if (args.flags)
		return -EOPNOTSUPP;

	ns = nsctl_ns_get_by_fd(args.fd, NULL);
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	/* Containers are few per namespace; bound what is copied at once. */
	max = min_t(u32, args.containers_max, 1024);
	if (max && args.containers) {
		cids = kcalloc(max, sizeof(*cids), GFP_KERNEL);
		if (!cids) {
			ret = -ENOMEM;
			goto out_put;
		}
	} else {
		max = 0;
	}
	args.type = 0;
	args.inum = 0;
	memset(args.uuid, 0, sizeof(args.uuid));
	memset(args.owner_uuid, 0, sizeof(args.owner_uuid));
	memset(args.parent_uuid, 0, sizeof(args.parent_uuid));
	ret = nsctl_nsid_info(ns, &args, cids, max, v);
	if (ret)
		goto out_free;
	if (max && copy_to_user(u64_to_user_ptr(args.containers), cids,
				min(max, args.containers_count) * sizeof(*cids))) {
		ret = -EFAULT;
		goto out_free;
	}
	ret = nsctl_copy_out(arg, &args, sizeof(args), cmd);
out_free:
	kfree(cids);
out_put:
	nsctl_ns_put(ns);
	return ret;
}

static long nsctl_ioc_ns_open(const struct nsctl_viewer *v, unsigned int cmd,
			      unsigned long arg)
{
	struct nsctl_ns_open args;
	struct ns_common *ns;
	uuid_t uuid;
	int ret;

	BUILD_BUG_ON(sizeof(args) != NSCTL_NS_OPEN_SIZE_VER0);
	ret = nsctl_copy_in(&args, sizeof(args), NSCTL_NS_OPEN_SIZE_VER0, cmd, arg);
	if (ret)
		return ret;
	if (args.flags)
		return -EOPNOTSUPP;

	memcpy(&uuid, args.uuid, sizeof(uuid));
	ns = nsctl_nsid_find(&uuid);
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	if (!nsctl_viewer_sees(v, ns))
		ret = -ENOENT;
	else if (!nsctl_ns_may_join(ns))
		ret = -EPERM;
	else
		ret = nsctl_ns_open_fd(ns);
	nsctl_ns_put(ns);
	return ret;
}

long nsctl_root_ioctl(struct file *file, const struct nsctl_viewer *v,
		      unsigned int cmd, unsigned long arg)
{
	switch (NSCTL_IOC_BASE(cmd)) {
	case NSCTL_IOC_BASE(NSCTL_IOC_NS_INFO):
		return nsctl_ioc_ns_info(v, cmd, arg);
	case NSCTL_IOC_BASE(NSCTL_IOC_NS_OPEN):
		return nsctl_ioc_ns_open(v, cmd, arg);
	}
	return -ENOTTY;
}

long nsctl_container_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct nsctl_container *c = file_inode(file)->i_private;

	switch (NSCTL_IOC_BASE(cmd)) {
	case NSCTL_IOC_BASE(NSCTL_IOC_SET_NS):
		return nsctl_ioc_set_ns(file, c, cmd, arg);
	case NSCTL_IOC_BASE(NSCTL_IOC_GET_NS):
		return nsctl_ioc_get_ns(c, cmd, arg);
	case NSCTL_IOC_BASE(NSCTL_IOC_SET_CGROUP):
		return nsctl_ioc_set_cgroup(file, c, cmd, arg);
	case NSCTL_IOC_BASE(NSCTL_IOC_SET_UUID):
		return nsctl_ioc_set_uuid(file, c, cmd, arg);
	case NSCTL_IOC_BASE(NSCTL_IOC_ENTER):
		return nsctl_ioc_enter(c, cmd, arg);
	case NSCTL_IOC_BASE(NSCTL_IOC_ENTER_CHECK):
		return nsctl_ioc_enter_check(c, cmd, arg);
	case NSCTL_IOC_BASE(NSCTL_IOC_ENTER_FAST):
		return cmd == NSCTL_IOC_ENTER_FAST ?
		       nsctl_ioc_enter_fast(c, arg) : -ENOTTY;
	}
	return -ENOTTY;
}
