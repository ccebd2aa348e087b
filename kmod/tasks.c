// SPDX-License-Identifier: GPL-2.0
/*
 * Which processes are inside a container: a walk over every process,
 * checked against the container's slots as they were at its start (see
 * container.h for what "inside" means).  Used by the procs and stat
 * files, and by delete, which must find none.
 */
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "container.h"
#include "ns.h"

/*
 * Take a reference on every process, so that the checks, which may sleep,
 * run outside RCU.  The array is sized from a first count and the walk is
 * retried in the rare case that processes appeared in between.
 */
static int nsctl_snapshot_processes(struct task_struct ***out, unsigned int *nr)
{
	struct task_struct *p, **arr;
	unsigned int n, cap;

	for (;;) {
		n = 0;
		rcu_read_lock();
		for_each_process(p)
			n++;
		rcu_read_unlock();

		cap = n + 32;
		arr = kvmalloc_array(cap, sizeof(*arr), GFP_KERNEL);
		if (!arr)
			return -ENOMEM;

		n = 0;
		rcu_read_lock();
		for_each_process(p) {
			if (n == cap)
				break;
			get_task_struct(p);
			arr[n++] = p;
		}
		rcu_read_unlock();
		if (n < cap)
			break;
		while (n)
			put_task_struct(arr[--n]);
		kvfree(arr);
	}
	*out = arr;
	*nr = n;
	return 0;
}

static bool nsctl_task_inside(struct task_struct *t, struct ns_common **slots)
{
	bool any = false;
	int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (!slots[i])
			continue;
		if (!nsctl_task_in_ns(t, i, slots[i]))
			return false;
		any = true;
	}
	return any;
}

int nsctl_container_walk_tasks(struct nsctl_container *c, nsctl_task_fn fn,
			       void *arg)
{
	struct ns_common *slots[NSCTL_NS_COUNT];
	struct task_struct **tasks;
	unsigned int nr, i;
	bool any = false;
	int ret;

	mutex_lock(&c->lock);
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		slots[i] = c->ns[i];
		if (slots[i]) {
			nsctl_ns_get(slots[i]);
			any = true;
		}
	}
	mutex_unlock(&c->lock);
	if (!any)
		return 0;

	ret = nsctl_snapshot_processes(&tasks, &nr);
	if (ret)
		goto out_put_slots;

	for (i = 0; i < nr; i++) {
		/* An exiting task is on its way out, not inside. */
		if (!ret && pid_alive(tasks[i]) &&
		    !(READ_ONCE(tasks[i]->flags) & PF_EXITING) &&
		    nsctl_task_inside(tasks[i], slots))
			ret = fn(tasks[i], arg);
		put_task_struct(tasks[i]);
	}
	kvfree(tasks);

out_put_slots:
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (slots[i])
			nsctl_ns_put(slots[i]);
	return ret;
}
