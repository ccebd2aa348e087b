/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSCTL_VIEWER_H
#define _NSCTL_VIEWER_H

#include <linux/nsctl.h>
#include <linux/types.h>

struct cgroup_namespace;
struct ns_common;
struct nsctl_container;

/*
 * struct nsctl_viewer - who looks, as they were when they started looking
 *
 * A listing is decided against the credentials and namespaces of whoever
 * opened the file or sent the dump request, taken at that moment, not of
 * whoever reads later (a descriptor passed on, a dump continued by another
 * process).  @all: CAP_SYS_ADMIN in the initial user namespace, from the
 * initial PID namespace, sees every namespace; anyone else sees those it
 * is in (for pid: its own and those above it).  @ns: the viewer's
 * namespaces, referenced (pid: its active one).
 */
struct nsctl_viewer {
	bool all;
	struct ns_common *ns[NSCTL_NS_COUNT];
};

/*
 * The calling task, now, for use within the current call only: nothing
 * referenced, nothing to release (the task cannot change its namespaces
 * while it is in the call).
 */
void nsctl_viewer_now(struct nsctl_viewer *v);

/* The same, referenced, to be kept past the call (a file, a dump). */
void nsctl_viewer_init(struct nsctl_viewer *v);
void nsctl_viewer_release(struct nsctl_viewer *v);

/* The same, allocated (for a netlink dump); NULL when out of memory. */
struct nsctl_viewer *nsctl_viewer_new(void);
void nsctl_viewer_free(struct nsctl_viewer *v);

/* May @v see @ns in a listing? */
bool nsctl_viewer_sees(const struct nsctl_viewer *v, struct ns_common *ns);

/*
 * May @v see a container whose slots hold @slots (NSCTL_NS_COUNT entries,
 * NULL where empty)?  With the full view, always; otherwise only if the
 * container holds a namespace and @v sees every one it holds: a viewer
 * sees the containers it is in, in every view nsctl has.
 */
bool nsctl_viewer_sees_slots(const struct nsctl_viewer *v,
			     struct ns_common *const *slots);

/* May the calling task, now, see @c?  Takes @c's lock. */
bool nsctl_sees_now(struct nsctl_container *c);

/* Has the calling task the full view?  Takes no reference: RCU-walk safe. */
bool nsctl_viewer_full_now(void);

/* The cgroup namespace paths are shown in for @v. */
struct cgroup_namespace *nsctl_viewer_cgns(const struct nsctl_viewer *v);

#endif /* _NSCTL_VIEWER_H */
