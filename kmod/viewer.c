// SPDX-License-Identifier: GPL-2.0
/*
 * Who may see which namespace in a listing: the rule upstream Linux applies
 * to namespace listing (CAP_SYS_ADMIN in the initial user namespace, from
 * the initial PID namespace, sees all; anyone else sees the namespaces it
 * is in), decided for the opener of a file or the sender of a dump
 * request as they were then.  A container is seen by those who see every
 * namespace it holds: the containers one is in.
 */
#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "container.h"
#include "ns.h"
#include "viewer.h"

bool nsctl_viewer_full_now(void)
{
	/* Asked for every listing and lookup: no audit record for a refusal. */
	return task_active_pid_ns(current) == &init_pid_ns &&
	       ns_capable_noaudit(&init_user_ns, CAP_SYS_ADMIN);
}

void nsctl_viewer_now(struct nsctl_viewer *v)
{
	unsigned int i;

	v->all = nsctl_viewer_full_now();
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		v->ns[i] = nsctl_current_ns_noref(i);
}

void nsctl_viewer_init(struct nsctl_viewer *v)
{
	unsigned int i;

	nsctl_viewer_now(v);
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (v->ns[i])
			nsctl_ns_get(v->ns[i]);
}

void nsctl_viewer_release(struct nsctl_viewer *v)
{
	unsigned int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (v->ns[i])
			nsctl_ns_put(v->ns[i]);
		v->ns[i] = NULL;
	}
}

struct nsctl_viewer *nsctl_viewer_new(void)
{
	struct nsctl_viewer *v = kmalloc(sizeof(*v), GFP_KERNEL);

	if (v)
		nsctl_viewer_init(v);
	return v;
}

void nsctl_viewer_free(struct nsctl_viewer *v)
{
	if (!v)
		return;
	nsctl_viewer_release(v);
	kfree(v);
}

bool nsctl_viewer_sees(const struct nsctl_viewer *v, struct ns_common *ns)
{
	int type;

	if (v->all)
		return true;
	type = nsctl_ns_type(ns);
	if (type < 0 || !v->ns[type])
		return false;
	if (type == NSCTL_NS_PID)
		return nsctl_pid_ns_within(v->ns[type], ns);
	return v->ns[type] == ns;
}

bool nsctl_viewer_sees_slots(const struct nsctl_viewer *v,
			     struct ns_common *const *slots)
{
	bool held = false;
	int i;

	if (v->all)
		return true;
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (!slots[i])
			continue;
		if (!nsctl_viewer_sees(v, slots[i]))
			return false;
		held = true;
	}
	return held;
}

bool nsctl_sees_now(struct nsctl_container *c)
{
	struct nsctl_viewer v;
	bool seen;

	nsctl_viewer_now(&v);
	if (v.all)
		return true;
	mutex_lock(&c->lock);
	seen = nsctl_viewer_sees_slots(&v, c->ns);
	mutex_unlock(&c->lock);
	return seen;
}

struct cgroup_namespace *nsctl_viewer_cgns(const struct nsctl_viewer *v)
{
	return container_of(v->ns[NSCTL_NS_CGROUP], struct cgroup_namespace, ns);
}
