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
#include <linux/capability.h>
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/stddef.h>
#include <linux/uaccess.h>

#include "container.h"
#include "enter.h"
#include "event.h"
#include "ns.h"
#include "nsid.h"

static bool uuid_given(const __u8 u[16])
{
	return memchr_inv(u, 0, 16);
}

/*
 * Check @c for the caller; take references on what it must enter: each
 * namespace, with its nsfs dentry when the slot has one, and the cgroup.
 */
static int nsctl_enter_check(struct nsctl_container *c, struct nsctl_enter *args,
			     struct ns_common **ns, struct dentry **dentry,
			     struct path *cgrp)
{
	u64 types = args->types;
	bool want_cgrp;
	uuid_t uuid;
	int i;

	lockdep_assert_held(&c->lock);
	if (c->dead || c->deleting)
		return -ESTALE;
	if ((args->flags & NSCTL_ENTER_CHECK_GEN) &&
	    args->generation != c->generation)
		return -ESTALE;
	args->generation = c->generation;
	args->pid_init = c->ns[NSCTL_NS_PID] ?
			 nsctl_pid_init_state(c->ns[NSCTL_NS_PID]) : NSCTL_PID_INIT_NONE;
	/* A running init not waited for yet: wait for its exit from now on. */
	if (args->pid_init == NSCTL_PID_INIT_RUNNING && !c->watch_pid)
		nsctl_container_watch_locked(c);

	if (!types)
		for (i = 0; i < NSCTL_NS_COUNT; i++)
			if (c->ns[i])
				types |= NSCTL_NS_BIT(i);

	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (uuid_given(args->expect_uuid[i])) {
			if (!c->ns[i])
				return -ESTALE;
			nsctl_holder_uuid(&c->holders[i], &uuid);
			if (memcmp(&uuid, args->expect_uuid[i], 16))
				return -ESTALE;
		}
		if (!(types & NSCTL_NS_BIT(i)))
			continue;
		if (!c->ns[i] || nsctl_current_in_ns(i, c->ns[i])) {
			args->already |= NSCTL_NS_BIT(i);
			continue;
		}
		if (!nsctl_ns_may_join(c->ns[i]))
			return -EPERM;
		args->entered |= NSCTL_NS_BIT(i);
	}

	/* Sealed: nothing to switch to for anyone not already inside. */
	want_cgrp = (args->flags & NSCTL_ENTER_CGROUP) && c->cgrp;
	if (c->enter_policy == NSCTL_ENTER_POLICY_DENY &&
	    (args->entered || want_cgrp))
		return -EPERM;
	/* Only then: a sealed container's dead init is nobody's business. */
	if ((args->entered & NSCTL_NS_BIT(NSCTL_NS_PID)) &&
	    args->pid_init == NSCTL_PID_INIT_DEAD)
		return -EOWNERDEAD;

	if (args->flags & NSCTL_ENTER_NO_FDS)
		goto out;
	/*
	 * A directory fd on the cgroup2 mount leads wherever ".." does, past
	 * a chroot or mount namespace: only for the fully privileged.  Asked
	 * before any reference is taken.
	 */
	if (want_cgrp && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (args->entered & NSCTL_NS_BIT(i)) {
			ns[i] = c->ns[i];
			nsctl_ns_get(ns[i]);
			dentry[i] = dget(c->ns_dentry[i]);
		}
	}
	if (want_cgrp) {
		*cgrp = c->cgrp_path;
		path_get(cgrp);
	}
out:
	if (args->entered)
		atomic64_inc(&c->enters);
	return 0;
}

/*
 * Hand out the descriptors: all or none.  Every file is made first, each
 * on a reserved number, and only then are all installed, so that a late
 * failure (EMFILE, ENOMEM) never has to close a descriptor already in a
 * table other threads share.  The one namespace a slot may hold without an
 * nsfs dentry (a PID namespace held before its first process, by
 * NSCTL_SET_NS_PID_OF_TASK) is opened by open_related_ns(), which installs
 * its descriptor itself: last, when nothing can fail any more.
 */
static int nsctl_enter_install(struct nsctl_enter *args, struct ns_common **ns,
			       struct dentry **dentry, const struct path *cgrp)
{
	struct file *files[NSCTL_NS_COUNT + 1] = { NULL };
	int fds[NSCTL_NS_COUNT + 1], late = -1, ret, i;

	for (i = 0; i <= NSCTL_NS_COUNT; i++)
		fds[i] = -1;
	for (i = 0; i <= NSCTL_NS_COUNT; i++) {
		if (i < NSCTL_NS_COUNT && !ns[i])
			continue;
		if (i == NSCTL_NS_COUNT && !cgrp->dentry)
			continue;
		if (i < NSCTL_NS_COUNT && !dentry[i]) {
			if (WARN_ON_ONCE(late >= 0)) {
				ret = -EINVAL;
				goto err;
			}
			late = i;
			continue;
		}
		fds[i] = get_unused_fd_flags(O_CLOEXEC);
		if (fds[i] < 0) {
			ret = fds[i];
			goto err;
		}
		if (i < NSCTL_NS_COUNT)
			files[i] = nsctl_ns_open_dentry(dentry[i]);
		else
			files[i] = dentry_open(cgrp, O_RDONLY | O_DIRECTORY,
					       current_cred());
		if (IS_ERR(files[i])) {
			ret = PTR_ERR(files[i]);
			files[i] = NULL;
			goto err;
		}
	}
	if (late >= 0) {
		ret = nsctl_ns_open_fd(ns[late]);
		if (ret < 0)
			goto err;
		args->fds[late] = ret;
	}
	for (i = 0; i <= NSCTL_NS_COUNT; i++) {
		if (!files[i])
			continue;
		fd_install(fds[i], files[i]);
		if (i < NSCTL_NS_COUNT)
			args->fds[i] = fds[i];
		else
			args->cgroup_fd = fds[i];
	}
	return 0;

err:
	for (i = 0; i <= NSCTL_NS_COUNT; i++) {
		if (files[i])
			fput(files[i]);
		if (fds[i] >= 0)
			put_unused_fd(fds[i]);
	}
	return ret;
}

/*
 * The struct is mostly output or input: copy in only what is read (up to
 * @fds), and out only what is written, which keeps the fast path short.
 * A larger struct from a newer caller must still be zero past ours.
 */
#define ENTER_IN_END	offsetof(struct nsctl_enter, fds)
#define ENTER_OUT_START	offsetof(struct nsctl_enter, fds)

static int nsctl_enter_copy_in(struct nsctl_enter *args, unsigned int cmd,
			       unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	size_t usize = _IOC_SIZE(cmd);
	int ret;

	if (usize < NSCTL_ENTER_SIZE_VER0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (usize > sizeof(*args)) {
		ret = check_zeroed_user(uarg + sizeof(*args), usize - sizeof(*args));
		if (ret <= 0)
			return ret ?: -E2BIG;
	}
	return copy_from_user(args, uarg, ENTER_IN_END) ? -EFAULT : 0;
}

static int nsctl_enter_copy_out(unsigned long arg, const struct nsctl_enter *args)
{
	struct nsctl_enter __user *u = (struct nsctl_enter __user *)arg;

	if (put_user(args->generation, &u->generation) ||
	    copy_to_user((char __user *)u + ENTER_OUT_START,
			 (const char *)args + ENTER_OUT_START,
			 sizeof(*args) - ENTER_OUT_START))
		return -EFAULT;
	return 0;
}

long nsctl_ioc_enter(struct nsctl_container *c, unsigned int cmd,
		     unsigned long arg)
{
	struct ns_common *ns[NSCTL_NS_COUNT] = { NULL };
	struct dentry *dentry[NSCTL_NS_COUNT] = { NULL };
	struct nsctl_enter args;
	struct path cgrp = {};
	int ret, i;

	BUILD_BUG_ON(sizeof(args) != NSCTL_ENTER_SIZE_VER0);
	BUILD_BUG_ON(offsetofend(struct nsctl_enter, generation) > ENTER_IN_END);
	ret = nsctl_enter_copy_in(&args, cmd, arg);
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
	ret = nsctl_enter_check(c, &args, ns, dentry, &cgrp);
	mutex_unlock(&c->lock);
	if (ret)
		return ret;

	/*
	 * Fast path: already there, nothing to hand out.  Otherwise this
	 * also proves the output writable before any fd is installed: an fd,
	 * once installed, belongs to the process and is never closed here.
	 */
	ret = nsctl_enter_copy_out(arg, &args);
	if (ret || (!args.entered && !cgrp.dentry))
		goto out_put;

	ret = nsctl_enter_install(&args, ns, dentry, &cgrp);
	if (ret)
		goto out_put;
	/* Only a racing munmap() can fail this now; the fds stay, as pidfds do. */
	ret = nsctl_enter_copy_out(arg, &args);
	if (args.entered && !(args.flags & NSCTL_ENTER_NO_FDS)) {
		mutex_lock(&c->lock);
		if (c->published && !c->dead)
			nsctl_event_container(c, NSCTL_CMD_CONTAINER_ENTERED, 0,
					      task_tgid_nr(current));
		mutex_unlock(&c->lock);
	}

out_put:
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		dput(dentry[i]);
		if (ns[i])
			nsctl_ns_put(ns[i]);
	}
	path_put(&cgrp);
	return ret;
}
