/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSCTL_NS_H
#define _NSCTL_NS_H

#include <linux/ns_common.h>
#include <linux/nsctl.h>
#include <linux/types.h>

struct user_namespace;

struct dentry;
struct file;
struct task_struct;

/* Name of a type as /proc/PID/ns shows it ("mnt", "net", ...). */
const char *nsctl_ns_name(unsigned int type);

/* The nsctl type (enum nsctl_ns_type) of a namespace, or -1. */
int nsctl_ns_type(const struct ns_common *ns);

/* Find the kernel's nsfs mount (at load), and let it go (at unload). */
int nsctl_ns_init(void);
void nsctl_ns_uninit(void);

/*
 * Resolve an nsfs file descriptor; returns a referenced namespace, and
 * with @dentry non-NULL its nsfs dentry, referenced.
 */
struct ns_common *nsctl_ns_get_by_fd(int fd, struct dentry **dentry);

/* A new nsfs file for the namespace of @dentry, not installed anywhere. */
struct file *nsctl_ns_open_dentry(struct dentry *dentry);

/* The PID namespace process @nr's children are born into, referenced. */
struct ns_common *nsctl_pid_ns_for_children_of(pid_t nr);

void nsctl_ns_get(struct ns_common *ns);
void nsctl_ns_put(struct ns_common *ns);

/* Would setns(2) let the caller join @ns (privilege and ancestry)? */
bool nsctl_ns_may_join(struct ns_common *ns);

/*
 * The same for several namespaces in a row, asking the capability checks
 * once per distinct user namespace (a container's namespaces mostly share
 * one owner).  Start with nsctl_join_perm_init().
 */
struct nsctl_join_perm {
	struct user_namespace *userns[NSCTL_NS_COUNT + 1];
	bool admin[NSCTL_NS_COUNT + 1];
	unsigned int n;
	int chroot;		/* CAP_SYS_CHROOT in the caller's: -1 unknown */
};

void nsctl_join_perm_init(struct nsctl_join_perm *p);
bool nsctl_ns_may_join_cached(struct ns_common *ns, struct nsctl_join_perm *p);

/* Is @t's namespace of @type @ns (for pid: @ns or below it)? */
bool nsctl_task_in_ns(struct task_struct *t, unsigned int type,
		      struct ns_common *ns);

/* The same for the calling task, without locks. */
bool nsctl_current_in_ns(unsigned int type, struct ns_common *ns);

/*
 * Of the types in @mask, those whose namespace in @slots (each read once;
 * an empty slot counts) the calling task is in: pointers compared only,
 * so @slots may change meanwhile (the caller validates what it read and
 * holds the RCU read lock, under which a PID namespace's level stays).
 */
u64 nsctl_current_in_slots(struct ns_common *const *slots, u64 mask);

/* Learn what the fast checks need from a namespace being attached. */
void nsctl_ns_learn(struct ns_common *ns);

/* A new close-on-exec nsfs file descriptor for @ns in the caller. */
int nsctl_ns_open_fd(struct ns_common *ns);

/*
 * The same, not referenced: it stays for as long as the task is in the
 * current call, since only the task itself changes its namespaces.
 */
struct ns_common *nsctl_current_ns_noref(unsigned int type);

/* Is PID namespace @pidns @top or below it? */
bool nsctl_pid_ns_within(struct ns_common *pidns, struct ns_common *top);

/* One of the initial namespaces, which live as long as the kernel. */
bool nsctl_ns_permanent(struct ns_common *ns);

/* State of a PID namespace's init, as enum nsctl_pid_init. */
unsigned int nsctl_pid_init_state(struct ns_common *ns);

/* A network namespace's cookie (SO_NETNS_COOKIE); set before it is seen. */
u64 nsctl_net_cookie(struct ns_common *ns);

#endif /* _NSCTL_NS_H */
