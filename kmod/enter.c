// SPDX-License-Identifier: GPL-2.0
/*
 * NSCTL_IOC_ENTER: check a container and hand out exactly the namespaces
 * the caller still has to switch to; NSCTL_IOC_ENTER_CHECK: the check
 * alone, in a compact structure, for callers that keep their fds.
 *
 * All checks run against one consistent view of the container, so a
 * caller never gets the namespaces of a container that was deleted,
 * recreated or changed since it looked (ESTALE).  When the caller is
 * already in everything it asked for, the call does nothing else: that is
 * the path a server switching between tenants takes on every request, and
 * it reads a snapshot of the container without its lock (a sequence count
 * and a pointer comparison per type), so that threads checking the same
 * container do not serialise.  Anything else takes the lock.
 */
#include <linux/capability.h>
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/seqlock.h>
#include <linux/stddef.h>
#include <linux/uaccess.h>

#include "container.h"
#include "enter.h"
#include "event.h"
#include "ns.h"
#include "nsid.h"

/* What one check takes and gives, whichever ioctl asked for it. */
struct enter_state {
	u64 flags;
	u64 types;
	u64 generation;
	u64 expect;			/* the types with an expected UUID */
	const __u8 (*expect_uuid)[16];
	u64 entered;
	u64 already;
	u32 pid_init;
	bool no_count;			/* a check that is not an enter */
	u32 ns_inum[NSCTL_NS_COUNT];	/* of each type entered */
};

/* enter_snapshot(): answered, ask under the lock, something to switch. */
enum { SNAP_LOCK, SNAP_DONE, SNAP_SWITCH };

/*
 * The fast path, without the container's lock: read a snapshot of what
 * the check needs and answer from it when the caller is already in every
 * requested namespace (SNAP_DONE, or the answer is an error); SNAP_SWITCH
 * when the snapshot has something to switch to, SNAP_LOCK when it cannot
 * tell: in both cases the locked path decides.  The snapshot is
 * consistent when @seq did not move: every store to what is read here is
 * made inside a write section of it (container.h).  Only pointers are
 * compared, and the one namespace looked into (the pid slot's, for its
 * init's state) is freed after an RCU grace period, so a slot emptied
 * meanwhile is harmless.
 */
static int enter_snapshot(struct nsctl_container *c, struct enter_state *st)
{
	u64 want, gen, expect = st->expect;
	u32 pid_init = NSCTL_PID_INIT_NONE;
	struct ns_common *ns;
	unsigned int seq, i;
	int ret = SNAP_DONE;

	seq = raw_read_seqcount(&c->seq);
	if (seq & 1)
		return SNAP_LOCK;
	rcu_read_lock();
	gen = READ_ONCE(c->generation);
	if (READ_ONCE(c->dead) || READ_ONCE(c->deleting) ||
	    ((st->flags & NSCTL_ENTER_CHECK_GEN) && st->generation != gen)) {
		ret = -ESTALE;
		goto check;
	}
	for (; expect; expect &= expect - 1) {
		i = __ffs64(expect);
		if (!READ_ONCE(c->ns[i]) ||
		    memcmp(&c->ns_uuid[i], st->expect_uuid[i], 16)) {
			ret = -ESTALE;
			goto check;
		}
	}
	want = st->types ?: READ_ONCE(c->held);
	if (nsctl_current_in_slots(c->ns, want) != want) {
		ret = SNAP_SWITCH;
		goto check;
	}
	ns = READ_ONCE(c->ns[NSCTL_NS_PID]);
	if (ns) {
		pid_init = nsctl_pid_init_state(ns);
		/* Its exit not waited for yet: the locked path arms that. */
		if (pid_init == NSCTL_PID_INIT_RUNNING && !READ_ONCE(c->watch_pid))
			ret = SNAP_LOCK;
	}
	/* Only with nothing left for the lock (an init's watch to arm). */
	if (ret == SNAP_DONE && (st->flags & NSCTL_ENTER_CGROUP) &&
	    READ_ONCE(c->cgrp)) {
		if (READ_ONCE(c->enter_policy) == NSCTL_ENTER_POLICY_DENY)
			ret = -EPERM;
		else if (!(st->flags & NSCTL_ENTER_NO_FDS))
			ret = SNAP_LOCK;	/* an fd to hand out */
	}
check:
	if (read_seqcount_retry(&c->seq, seq))
		ret = SNAP_LOCK;
	rcu_read_unlock();
	if (ret == SNAP_DONE) {
		st->generation = gen;
		st->already = want;
		st->pid_init = pid_init;
	}
	return ret;
}

/*
 * Check @c for the caller under its lock; unless NSCTL_ENTER_NO_FDS, take
 * references on what it must enter: each namespace, with its nsfs dentry
 * when the slot has one, and the cgroup.
 */
static int enter_check_locked(struct nsctl_container *c, struct enter_state *st,
			      struct ns_common **ns, struct dentry **dentry,
			      struct path *cgrp)
{
	struct nsctl_join_perm perm;
	u64 types = st->types;
	bool want_cgrp;
	int i;

	lockdep_assert_held(&c->lock);
	nsctl_join_perm_init(&perm);
	if (c->dead || c->deleting)
		return -ESTALE;
	if ((st->flags & NSCTL_ENTER_CHECK_GEN) &&
	    st->generation != c->generation)
		return -ESTALE;
	st->generation = c->generation;
	st->pid_init = c->ns[NSCTL_NS_PID] ?
		       nsctl_pid_init_state(c->ns[NSCTL_NS_PID]) : NSCTL_PID_INIT_NONE;
	/* A running init not waited for yet: wait for its exit from now on. */
	if (st->pid_init == NSCTL_PID_INIT_RUNNING && !c->watch_pid)
		nsctl_container_watch_locked(c);

	if (!types)
		types = c->held;

	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if ((st->expect & NSCTL_NS_BIT(i)) &&
		    (!c->ns[i] || memcmp(&c->ns_uuid[i], st->expect_uuid[i], 16)))
			return -ESTALE;
		if (!(types & NSCTL_NS_BIT(i)))
			continue;
		if (!c->ns[i] || nsctl_current_in_ns(i, c->ns[i])) {
			st->already |= NSCTL_NS_BIT(i);
			continue;
		}
		if (!nsctl_ns_may_join_cached(c->ns[i], &perm))
			return -EPERM;
		st->entered |= NSCTL_NS_BIT(i);
		st->ns_inum[i] = c->ns[i]->inum;
	}

	/* Sealed: nothing to switch to for anyone not already inside. */
	want_cgrp = (st->flags & NSCTL_ENTER_CGROUP) && c->cgrp;
	if (c->enter_policy == NSCTL_ENTER_POLICY_DENY &&
	    (st->entered || want_cgrp))
		return -EPERM;
	/* Only then: a sealed container's dead init is nobody's business. */
	if ((st->entered & NSCTL_NS_BIT(NSCTL_NS_PID)) &&
	    st->pid_init == NSCTL_PID_INIT_DEAD)
		return -EOWNERDEAD;

	if (st->flags & NSCTL_ENTER_NO_FDS)
		goto out;
	/*
	 * A directory fd on the cgroup2 mount leads wherever ".." does, past
	 * a chroot or mount namespace: only for the fully privileged.  Asked
	 * before any reference is taken.
	 */
	if (want_cgrp && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (st->entered & NSCTL_NS_BIT(i)) {
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
	if (st->entered && !st->no_count)
		atomic64_inc(&c->enters);
	return 0;
}

/* The check: from a snapshot when that answers, else under the lock. */
static int enter_check(struct nsctl_container *c, struct enter_state *st,
		       struct ns_common **ns, struct dentry **dentry,
		       struct path *cgrp)
{
	int ret;

	st->entered = 0;
	st->already = 0;
	ret = enter_snapshot(c, st);
	if (ret < 0 || ret == SNAP_DONE)
		return ret < 0 ? ret : 0;
	mutex_lock(&c->lock);
	ret = enter_check_locked(c, st, ns, dentry, cgrp);
	mutex_unlock(&c->lock);
	return ret;
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
 * The structs are mostly output or input: copy in only what is read, and
 * out only what is written, which keeps the fast path short.  A larger
 * struct from a newer caller must still be zero past ours.
 */
#define ENTER_IN_END	offsetof(struct nsctl_enter, fds)
#define ENTER_OUT_START	offsetof(struct nsctl_enter, fds)
#define CHECK_IN_END	offsetof(struct nsctl_enter_check, entered)
#define CHECK_OUT_END	offsetof(struct nsctl_enter_check, cur_inum)

static int enter_copy_in(void *args, size_t size, size_t ver0, size_t in_end,
			 unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	size_t usize = _IOC_SIZE(cmd);
	int ret;

	if (usize < ver0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	if (usize > size) {
		ret = check_zeroed_user(uarg + size, usize - size);
		if (ret <= 0)
			return ret ?: -E2BIG;
	}
	return copy_from_user(args, uarg, in_end) ? -EFAULT : 0;
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
	struct enter_state st;
	struct path cgrp = {};
	int ret, i;

	BUILD_BUG_ON(sizeof(args) != NSCTL_ENTER_SIZE_VER0);
	BUILD_BUG_ON(offsetofend(struct nsctl_enter, generation) > ENTER_IN_END);
	ret = enter_copy_in(&args, sizeof(args), NSCTL_ENTER_SIZE_VER0,
			    ENTER_IN_END, cmd, arg);
	if (ret)
		return ret;
	if (args.flags & ~NSCTL_ENTER_ALL)
		return -EOPNOTSUPP;
	if (args.types & ~NSCTL_NS_ALL)
		return -EINVAL;
	st = (struct enter_state){
		.flags = args.flags,
		.types = args.types,
		.generation = args.generation,
		.expect_uuid = (const __u8 (*)[16])args.expect_uuid,
	};
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (memchr_inv(args.expect_uuid[i], 0, 16))
			st.expect |= NSCTL_NS_BIT(i);

	ret = enter_check(c, &st, ns, dentry, &cgrp);
	if (ret)
		return ret;
	args.generation = st.generation;
	args.entered = st.entered;
	args.already = st.already;
	args.pid_init = st.pid_init;
	args.cgroup_fd = -1;
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		args.fds[i] = -1;

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

/*
 * The compact check: its few fields read and written one by one in a
 * single user-access window each way, no copy of the whole structure.
 */
long nsctl_ioc_enter_check(struct nsctl_container *c, unsigned int cmd,
			   unsigned long arg)
{
	struct nsctl_enter_check __user *u = (void __user *)arg;
	u32 cur[NSCTL_NS_COUNT], threads;
	size_t usize = _IOC_SIZE(cmd);
	struct enter_state st = {};
	int ret, i;

	BUILD_BUG_ON(sizeof(*u) != NSCTL_ENTER_CHECK_SIZE_VER0);
	if (usize < NSCTL_ENTER_CHECK_SIZE_VER0)
		return -EINVAL;
	if (unlikely(usize > sizeof(*u))) {
		if (usize > PAGE_SIZE)
			return -E2BIG;
		ret = check_zeroed_user((char __user *)u + sizeof(*u),
					usize - sizeof(*u));
		if (ret <= 0)
			return ret ?: -E2BIG;
	}
	if (!user_read_access_begin(u, CHECK_IN_END))
		return -EFAULT;
	unsafe_get_user(st.flags, &u->flags, efault_read);
	unsafe_get_user(st.types, &u->types, efault_read);
	unsafe_get_user(st.generation, &u->generation, efault_read);
	user_read_access_end();

	if (st.flags & ~(NSCTL_ENTER_CHECK_GEN | NSCTL_ENTER_CGROUP |
			 NSCTL_ENTER_NO_FDS))
		return -EOPNOTSUPP;
	if (st.types & ~NSCTL_NS_ALL)
		return -EINVAL;
	st.flags |= NSCTL_ENTER_NO_FDS;
	ret = enter_check(c, &st, NULL, NULL, NULL);
	if (ret)
		return ret;
	threads = get_nr_threads(current);
	/* What the caller would leave: its own, which only it changes. */
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		cur[i] = st.entered & NSCTL_NS_BIT(i) ?
			 nsctl_current_ns_noref(i)->inum : 0;

	if (!user_write_access_begin(u, st.entered ? sizeof(*u) : CHECK_OUT_END))
		return -EFAULT;
	unsafe_put_user(st.generation, &u->generation, efault_write);
	unsafe_put_user(st.entered, &u->entered, efault_write);
	unsafe_put_user(st.already, &u->already, efault_write);
	unsafe_put_user(st.pid_init, &u->pid_init, efault_write);
	unsafe_put_user(threads, &u->threads, efault_write);
	for (i = 0; st.entered && i < NSCTL_NS_COUNT; i++) {
		unsafe_put_user(cur[i], &u->cur_inum[i], efault_write);
		unsafe_put_user(st.ns_inum[i], &u->ns_inum[i], efault_write);
	}
	user_write_access_end();
	return 0;

efault_read:
	user_read_access_end();
	return -EFAULT;
efault_write:
	user_write_access_end();
	return -EFAULT;
}

/*
 * The quickest check: types and generation in the argument, the answer in
 * the return value, no user memory touched (see the uapi header).  Nothing
 * to switch to is answered from the snapshot; something to switch to is
 * only reported, for NSCTL_IOC_ENTER_CHECK to decide and count.
 */
long nsctl_ioc_enter_fast(struct nsctl_container *c, unsigned long arg)
{
	struct enter_state st = {
		.flags = NSCTL_ENTER_CHECK_GEN | NSCTL_ENTER_NO_FDS,
		.types = arg & NSCTL_NS_ALL,
		.generation = (u64)arg >> NSCTL_ENTER_FAST_GEN_SHIFT,
		.no_count = true,
	};
	int ret;

	/* The types fill the bits below the generation: none is left over. */
	BUILD_BUG_ON(BIT(NSCTL_ENTER_FAST_GEN_SHIFT) - 1 != NSCTL_NS_ALL);
	ret = enter_snapshot(c, &st);
	if (ret == SNAP_SWITCH)
		return NSCTL_ENTER_FAST_SWITCH;
	if (ret == SNAP_LOCK) {
		mutex_lock(&c->lock);
		ret = enter_check_locked(c, &st, NULL, NULL, NULL);
		mutex_unlock(&c->lock);
		if (!ret && st.entered)
			return NSCTL_ENTER_FAST_SWITCH;
	}
	if (ret < 0)
		return ret;
	return st.already | st.pid_init << NSCTL_ENTER_FAST_PID_SHIFT;
}
