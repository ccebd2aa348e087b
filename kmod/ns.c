// SPDX-License-Identifier: GPL-2.0
/*
 * Namespaces as nsctl sees them: one struct ns_common per namespace, of
 * eight types.  The module never names a type's private structure to take
 * or drop a reference: ns_common.count is every type's reference count,
 * and ns->ops->put() is every type's release, so holding any namespace
 * needs no unexported symbol.
 */
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ipc_namespace.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/proc_ns.h>
#include <linux/sched/task.h>
#include <linux/time_namespace.h>
#include <linux/user_namespace.h>
#include <linux/utsname.h>
#include <linux/cgroup.h>
#include <net/net_namespace.h>

#include "compat.h"
#include "ns.h"

static const struct {
	const char *name;
	int clone_flag;
} ns_types[NSCTL_NS_COUNT] = {
	[NSCTL_NS_MNT]		= { "mnt",	CLONE_NEWNS },
	[NSCTL_NS_UTS]		= { "uts",	CLONE_NEWUTS },
	[NSCTL_NS_IPC]		= { "ipc",	CLONE_NEWIPC },
	[NSCTL_NS_NET]		= { "net",	CLONE_NEWNET },
	[NSCTL_NS_PID]		= { "pid",	CLONE_NEWPID },
	[NSCTL_NS_USER]		= { "user",	CLONE_NEWUSER },
	[NSCTL_NS_CGROUP]	= { "cgroup",	CLONE_NEWCGROUP },
	[NSCTL_NS_TIME]		= { "time",	CLONE_NEWTIME },
};

const char *nsctl_ns_name(unsigned int type)
{
	return type < NSCTL_NS_COUNT ? ns_types[type].name : "?";
}

int nsctl_ns_type(const struct ns_common *ns)
{
	int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (ns->ops->type == ns_types[i].clone_flag)
			return i;
	return -1;
}

void nsctl_ns_get(struct ns_common *ns)
{
	refcount_inc(&ns->count);
}

void nsctl_ns_put(struct ns_common *ns)
{
	ns->ops->put(ns);
}

/*
 * The kernel's internal nsfs mount, on which /proc/PID/ns/X files open.
 * With it and a namespace's nsfs dentry, nsctl opens a new file for the
 * namespace without installing a descriptor (open_related_ns() installs
 * one at once), so that ENTER can make every file first and install them
 * together.  Learnt at load from /proc/self/ns/net.
 */
static struct vfsmount *nsfs_mnt;

int nsctl_ns_init(void)
{
	struct file *f;

	f = filp_open("/proc/self/ns/net", O_RDONLY, 0);
	if (IS_ERR(f)) {
		pr_err("cannot open /proc/self/ns/net (%ld): is /proc mounted?\n",
		       PTR_ERR(f));
		return PTR_ERR(f);
	}
	if (file_inode(f)->i_sb->s_magic != NSFS_MAGIC ||
	    !(f->f_path.mnt->mnt_flags & MNT_INTERNAL)) {
		pr_err("/proc/self/ns/net is not on the kernel's nsfs mount\n");
		fput(f);
		return -ENODEV;
	}
	nsfs_mnt = mntget(f->f_path.mnt);
	fput(f);

	/* Where a mount namespace's ns_common sits, for nsproxy_ns(). */
	f = filp_open("/proc/self/ns/mnt", O_RDONLY, 0);
	if (IS_ERR(f)) {
		pr_err("cannot open /proc/self/ns/mnt (%ld)\n", PTR_ERR(f));
		mntput(nsfs_mnt);
		return PTR_ERR(f);
	}
	nsctl_ns_learn(get_proc_ns(file_inode(f)));
	fput(f);
	return 0;
}

void nsctl_ns_uninit(void)
{
	mntput(nsfs_mnt);
}

/*
 * An nsfs file pins its namespace for as long as the file is open, so the
 * reference taken here is never the one that brings a count back from 0.
 * With @dentry, also the file's nsfs dentry, referenced: the file may be on
 * a bind mount, which is not pinned, only the dentry.
 */
struct ns_common *nsctl_ns_get_by_fd(int fd, struct dentry **dentry)
{
	struct ns_common *ns;
	struct file *file;

	file = fget(fd);
	if (!file)
		return ERR_PTR(-EBADF);
	if (file_inode(file)->i_sb->s_magic != NSFS_MAGIC) {
		fput(file);
		return ERR_PTR(-EINVAL);
	}
	ns = get_proc_ns(file_inode(file));
	nsctl_ns_get(ns);
	if (dentry)
		*dentry = dget(file->f_path.dentry);
	fput(file);
	return ns;
}

struct file *nsctl_ns_open_dentry(struct dentry *dentry)
{
	struct path path = { .mnt = nsfs_mnt, .dentry = dentry };

	return dentry_open(&path, O_RDONLY, current_cred());
}

/*
 * May the caller look at process @nr's namespaces, as opening
 * /proc/@nr/ns/X would let it?  That takes ptrace read access, with the
 * security modules' say, which no exported function checks for a module;
 * so procfs is asked: /proc/@nr/ns/pid is resolved on the procfs of the
 * caller's own PID namespace (where @nr means what it means to the
 * caller), and following that link makes the very check.  @pid, taken
 * before, still having its task afterwards proves the number named it
 * throughout.
 */
static int nsctl_may_inspect(struct pid *pid, pid_t nr)
{
	struct file *link;
	struct path proc;
	char name[32];
	int ret;

	ret = kern_path("/proc", LOOKUP_FOLLOW, &proc);
	if (ret)
		return -EPERM;
	if (proc.dentry->d_sb->s_magic != PROC_SUPER_MAGIC ||
	    proc.dentry != proc.dentry->d_sb->s_root ||
	    proc_pid_ns(proc.dentry->d_sb) != task_active_pid_ns(current)) {
		path_put(&proc);
		return -EPERM;
	}
	snprintf(name, sizeof(name), "%d/ns/pid", nr);
	link = file_open_root(&proc, name, O_RDONLY, 0);
	path_put(&proc);
	if (IS_ERR(link))
		return PTR_ERR(link) == -ENOENT ? -ESRCH : -EPERM;
	fput(link);
	return pid_has_task(pid, PIDTYPE_PID) ? 0 : -ESRCH;
}

/*
 * Unlike /proc/PID/ns/pid_for_children, this works before the namespace's
 * first process exists, so that a fresh PID namespace can be held and its
 * init forked later by whoever enters it.  Only for a caller that may open
 * the process's /proc/PID/ns files.
 */
struct ns_common *nsctl_pid_ns_for_children_of(pid_t nr)
{
	struct ns_common *ns = NULL;
	struct task_struct *t;
	struct pid *pid;
	int ret;

	pid = find_get_pid(nr);
	if (!pid)
		return ERR_PTR(-ESRCH);
	ret = nsctl_may_inspect(pid, nr);
	if (ret) {
		put_pid(pid);
		return ERR_PTR(ret);
	}
	t = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (!t)
		return ERR_PTR(-ESRCH);
	task_lock(t);
	if (t->nsproxy) {
		ns = &t->nsproxy->pid_ns_for_children->ns;
		nsctl_ns_get(ns);
	}
	task_unlock(t);
	put_task_struct(t);
	return ns ? ns : ERR_PTR(-ESRCH);
}

static struct ns_common *nsctl_ns_get_cb(struct ns_common *ns)
{
	nsctl_ns_get(ns);
	return ns;
}

int nsctl_ns_open_fd(struct ns_common *ns)
{
	return open_related_ns(ns, nsctl_ns_get_cb);
}

static bool pid_ns_below(struct pid_namespace *ns, struct pid_namespace *top)
{
	for (; ns; ns = ns->parent) {
		if (ns == top)
			return true;
		if (ns->level <= top->level)
			return false;
	}
	return false;
}

void nsctl_join_perm_init(struct nsctl_join_perm *p)
{
	p->n = 0;
	p->chroot = -1;
}

/* ns_capable(@userns, CAP_SYS_ADMIN), asked once per @p. */
static bool join_admin(struct nsctl_join_perm *p, struct user_namespace *userns)
{
	unsigned int i;

	for (i = 0; i < p->n; i++)
		if (p->userns[i] == userns)
			return p->admin[i];
	if (WARN_ON_ONCE(p->n == ARRAY_SIZE(p->userns)))
		return ns_capable(userns, CAP_SYS_ADMIN);
	p->userns[p->n] = userns;
	p->admin[p->n] = ns_capable(userns, CAP_SYS_ADMIN);
	return p->admin[p->n++];
}

/*
 * The checks setns(2) makes before it installs a namespace (each type's
 * ->install), so that nsctl never hands out a namespace the caller could
 * not have joined by other means.
 */
bool nsctl_ns_may_join_cached(struct ns_common *ns, struct nsctl_join_perm *p)
{
	int type = nsctl_ns_type(ns);

	if (type == NSCTL_NS_USER)
		return join_admin(p, container_of(ns, struct user_namespace, ns));

	if (!join_admin(p, ns->ops->owner(ns)) ||
	    !join_admin(p, current_user_ns()))
		return false;
	/* mntns_install() also asks for CAP_SYS_CHROOT. */
	if (type == NSCTL_NS_MNT) {
		if (p->chroot < 0)
			p->chroot = ns_capable(current_user_ns(), CAP_SYS_CHROOT);
		if (!p->chroot)
			return false;
	}

	if (type == NSCTL_NS_PID)
		return pid_ns_below(container_of(ns, struct pid_namespace, ns),
				    task_active_pid_ns(current));
	return true;
}

bool nsctl_ns_may_join(struct ns_common *ns)
{
	struct nsctl_join_perm p;

	nsctl_join_perm_init(&p);
	return nsctl_ns_may_join_cached(ns, &p);
}

/*
 * struct mnt_namespace is private to fs/, so where its ns_common sits is
 * learnt at run time, through the exported ->get, the first time a mount
 * namespace is seen: then the enter path compares pointers without
 * taking a reference or a lock.
 */
static const struct proc_ns_operations *mnt_ops;
static long mnt_ns_offset;

/*
 * @type's namespace in @nsp, for a comparison only (no reference), or
 * NULL for a mount namespace while its place is not learnt yet.
 */
static struct ns_common *nsproxy_ns(struct nsproxy *nsp, unsigned int type)
{
	switch (type) {
	case NSCTL_NS_MNT:
		/* Pairs with the release in nsctl_ns_learn(). */
		if (!smp_load_acquire(&mnt_ops))
			return NULL;
		return (void *)((char *)nsp->mnt_ns + READ_ONCE(mnt_ns_offset));
	case NSCTL_NS_UTS:
		return &nsp->uts_ns->ns;
	case NSCTL_NS_IPC:
		return &nsp->ipc_ns->ns;
	case NSCTL_NS_NET:
		return &nsp->net_ns->ns;
	case NSCTL_NS_CGROUP:
		return &nsp->cgroup_ns->ns;
	case NSCTL_NS_TIME:
		return &nsp->time_ns->ns;
	}
	return NULL;
}

u64 nsctl_current_in_slots(struct ns_common *const *slots, u64 mask)
{
	struct nsproxy *nsp = current->nsproxy;
	struct ns_common *ns, *cur;
	unsigned int i;
	u64 in = 0;

	for (; mask; mask &= mask - 1) {
		i = __ffs64(mask);
		ns = READ_ONCE(slots[i]);
		if (!ns) {
			in |= NSCTL_NS_BIT(i);
			continue;
		}
		cur = nsproxy_ns(nsp, i);
		/*
		 * No pointer for user and pid (compared without looking into
		 * @ns but pid's level, which RCU keeps); none for mnt before
		 * its place is learnt: then "not in", for the lock to decide.
		 */
		if (cur ? cur == ns :
		    i != NSCTL_NS_MNT && nsctl_current_in_ns(i, ns))
			in |= NSCTL_NS_BIT(i);
	}
	return in;
}

void nsctl_ns_learn(struct ns_common *ns)
{
	struct ns_common *cur;
	long off;

	if (READ_ONCE(mnt_ops) || nsctl_ns_type(ns) != NSCTL_NS_MNT)
		return;
	cur = ns->ops->get(current);
	if (!cur)
		return;
	/* Only current changes its own nsproxy: no lock needed to read it. */
	off = (char *)cur - (char *)current->nsproxy->mnt_ns;
	ns->ops->put(cur);
	WRITE_ONCE(mnt_ns_offset, off);
	/* Publish the offset before the flag that says it is valid. */
	smp_store_release(&mnt_ops, ns->ops);
}

/*
 * Compare without taking references.  A mount namespace whose place in
 * its private struct is not learnt yet goes through ->get/->put, which may
 * sleep: callers are in process context with no spinlock held.
 */
bool nsctl_task_in_ns(struct task_struct *t, unsigned int type,
		      struct ns_common *ns)
{
	struct ns_common *cur = NULL;
	bool ret;

	switch (type) {
	case NSCTL_NS_PID:
		rcu_read_lock();
		ret = pid_ns_below(task_active_pid_ns(t),
				   container_of(ns, struct pid_namespace, ns));
		rcu_read_unlock();
		return ret;
	case NSCTL_NS_USER:
		rcu_read_lock();
		ret = &__task_cred(t)->user_ns->ns == ns;
		rcu_read_unlock();
		return ret;
	case NSCTL_NS_MNT:
		/* Learnt: compared below (pairs with nsctl_ns_learn()). */
		if (smp_load_acquire(&mnt_ops))
			break;
		cur = ns->ops->get(t);
		if (!cur)
			return false;
		ret = cur == ns;
		cur->ops->put(cur);
		return ret;
	}

	task_lock(t);
	if (t->nsproxy)
		cur = nsproxy_ns(t->nsproxy, type);
	task_unlock(t);
	return cur == ns;
}

/* nsctl_task_in_ns() for the calling task, which needs no lock at all. */
bool nsctl_current_in_ns(unsigned int type, struct ns_common *ns)
{
	struct ns_common *cur;

	switch (type) {
	case NSCTL_NS_USER:
		return &current_user_ns()->ns == ns;
	case NSCTL_NS_PID:
		/* Joined with setns(2), children not forked yet: inside too. */
		return pid_ns_below(task_active_pid_ns(current),
				    container_of(ns, struct pid_namespace, ns)) ||
		       &current->nsproxy->pid_ns_for_children->ns == ns;
	}
	/* Only current changes its own nsproxy. */
	cur = nsproxy_ns(current->nsproxy, type);
	return cur ? cur == ns : nsctl_task_in_ns(current, type, ns);
}

struct ns_common *nsctl_current_ns_noref(unsigned int type)
{
	switch (type) {
	case NSCTL_NS_USER:
		return &current_user_ns()->ns;
	case NSCTL_NS_PID:
		return &task_active_pid_ns(current)->ns;
	default:
		/* Only current changes its own nsproxy; mnt is learnt at load. */
		return nsproxy_ns(current->nsproxy, type);
	}
}

bool nsctl_ns_permanent(struct ns_common *ns)
{
	int type = nsctl_ns_type(ns);

	if (type == NSCTL_NS_USER)
		return ns == &init_user_ns.ns;
	if (type == NSCTL_NS_PID)
		return ns == &init_pid_ns.ns;
	/* The idle task's nsproxy is init_nsproxy, for as long as Linux runs. */
	return type >= 0 && ns == nsproxy_ns(init_task.nsproxy, type);
}

bool nsctl_pid_ns_within(struct ns_common *pidns, struct ns_common *top)
{
	return pid_ns_below(container_of(pidns, struct pid_namespace, ns),
			    container_of(top, struct pid_namespace, ns));
}

unsigned int nsctl_pid_init_state(struct ns_common *ns)
{
	struct pid_namespace *pidns = container_of(ns, struct pid_namespace, ns);
	unsigned int allocated = READ_ONCE(pidns->pid_allocated);

	if (!(allocated & PIDNS_ADDING))
		return NSCTL_PID_INIT_DEAD;
	if (allocated == PIDNS_ADDING)
		return NSCTL_PID_INIT_NONE;
	return NSCTL_PID_INIT_RUNNING;
}

u64 nsctl_net_cookie(struct ns_common *ns)
{
	return container_of(ns, struct net, ns)->net_cookie;
}
