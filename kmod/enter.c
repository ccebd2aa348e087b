// SPDX-License-Identifier: GPL-2.0
/*
 * NSCTL_IOC_ENTER: check a container and hand out exactly the namespaces
 * the caller still has to switch to.
 *
 * All checks run under the container's lock, against one consistent view
 * of it, so a caller never gets the namespaces of a container that was
 * deleted, recreated or changed since it looked (ESTALE).  When the
 * caller is already in everything it asked for, the call does nothing
 * else: that is the path a server switching between tenants takes on
 * every request, and it costs one lock and a pointer comparison per type.
 */
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/uaccess.h>

#include "container.h"
#include "enter.h"
#include "ioctl.h"
#include "ns.h"
#include "nsid.h"

static bool uuid_given(const __u8 u[16])
{
	return memchr_inv(u, 0, 16);
}

/* Check @c for the caller; take references on what it must enter. */
static int nsctl_enter_check(struct nsctl_container *c, struct nsctl_enter *args,
			     struct ns_common **ns, struct path *cgrp)
{
	u64 types = args->types;
	uuid_t uuid;
	int i, ret;

	lockdep_assert_held(&c->lock);
	if (c->dead)
		return -ESTALE;
	if ((args->flags & NSCTL_ENTER_CHECK_GEN) &&
	    args->generation != c->generation)
		return -ESTALE;
	args->generation = c->generation;
	args->pid_init = c->ns[NSCTL_NS_PID] ?
			 nsctl_pid_init_state(c->ns[NSCTL_NS_PID]) : NSCTL_PID_INIT_NONE;

	if (!types)
		for (i = 0; i < NSCTL_NS_COUNT; i++)
			if (c->ns[i])
				types |= NSCTL_NS_BIT(i);

	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (uuid_given(args->expect_uuid[i])) {
			if (!c->ns[i])
				return -ESTALE;
			ret = nsctl_nsid_uuid(c->ns[i], &uuid);
			if (ret)
				return ret;
			if (memcmp(&uuid, args->expect_uuid[i], 16))
				return -ESTALE;
		}
		if (!(types & NSCTL_NS_BIT(i)))
			continue;
		if (!c->ns[i] || nsctl_task_in_ns(current, i, c->ns[i])) {
			args->already |= NSCTL_NS_BIT(i);
			continue;
		}
		if (i == NSCTL_NS_PID && args->pid_init == NSCTL_PID_INIT_DEAD)
			return -EOWNERDEAD;
		if (!nsctl_ns_may_join(c->ns[i]))
			return -EPERM;
		args->entered |= NSCTL_NS_BIT(i);
	}

	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (args->entered & NSCTL_NS_BIT(i)) {
			ns[i] = c->ns[i];
			nsctl_ns_get(ns[i]);
		}
	}
	if ((args->flags & NSCTL_ENTER_CGROUP) && c->cgrp) {
		*cgrp = c->cgrp_path;
		path_get(cgrp);
	}
	if (args->entered)
		atomic64_inc(&c->enters);
	return 0;
}

static int nsctl_open_cgroup_fd(const struct path *path)
{
	struct file *file;
	int fd;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	file = dentry_open(path, O_RDONLY | O_DIRECTORY, current_cred());
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}

long nsctl_ioc_enter(struct nsctl_container *c, unsigned int cmd,
		     unsigned long arg)
{
	struct ns_common *ns[NSCTL_NS_COUNT] = { NULL };
	struct nsctl_enter args;
	struct path cgrp = {};
	int ret, i;

	BUILD_BUG_ON(sizeof(args) != NSCTL_ENTER_SIZE_VER0);
	ret = nsctl_copy_in(&args, sizeof(args), NSCTL_ENTER_SIZE_VER0, cmd, arg);
	if (ret)
		return ret;
	if (args.flags & ~NSCTL_ENTER_ALL)
		return -EOPNOTSUPP;
	if (args.types & ~NSCTL_NS_ALL)
		return -EINVAL;
	args.entered = 0;
	args.already = 0;
	args.cgroup_fd = -1;
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		args.fds[i] = -1;

	mutex_lock(&c->lock);
	ret = nsctl_enter_check(c, &args, ns, &cgrp);
	mutex_unlock(&c->lock);
	if (ret)
		return ret;

	/* Fast path: already there, nothing to hand out. */
	if (!args.entered && !cgrp.dentry)
		return nsctl_copy_out(arg, &args, sizeof(args), cmd);

	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (!ns[i])
			continue;
		ret = nsctl_ns_open_fd(ns[i]);
		if (ret < 0)
			goto err_close;
		args.fds[i] = ret;
	}
	if (cgrp.dentry) {
		ret = nsctl_open_cgroup_fd(&cgrp);
		if (ret < 0)
			goto err_close;
		args.cgroup_fd = ret;
	}
	ret = nsctl_copy_out(arg, &args, sizeof(args), cmd);
	if (ret)
		goto err_close;
	goto out_put;

err_close:
	/* Nothing was reported to the caller: take back what was installed. */
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (args.fds[i] >= 0)
			close_fd(args.fds[i]);
	if (args.cgroup_fd >= 0)
		close_fd(args.cgroup_fd);
out_put:
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (ns[i])
			nsctl_ns_put(ns[i]);
	path_put(&cgrp);
	return ret;
}
