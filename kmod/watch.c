// SPDX-License-Identifier: GPL-2.0
/*
 * A container's emptiness: the init of its PID namespace watched, and the
 * on_empty policy carried out when it exits.
 */
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "container.h"
#include "event.h"
#include "ns.h"

/*
 * Empty detection.  A container with a PID namespace is empty once the
 * namespace's init has exited.  nsctl waits on the init's struct pid, on
 * the queue that pidfds poll (wait_pidfd) and that the kernel wakes when
 * the process exits.  The wake function runs in the exiting task under
 * the queue's lock, so it only puts the container, with a reference of
 * its own, on the fired list; a work item checks and reports under the
 * container's lock.  Fired entries hold their own references, so a
 * container can be disarmed and freed while its entry waits.
 */
static DEFINE_SPINLOCK(fired_lock);
static LIST_HEAD(fired_list);
/* The filesystem, by way of nsctl_container_set_owner(). */
static const struct nsctl_container_owner *nsctl_owner;
static void nsctl_fired_fn(struct work_struct *work);
static DECLARE_WORK(fired_work, nsctl_fired_fn);

static int nsctl_watch_wake(struct wait_queue_entry *wait, unsigned int mode,
			    int sync, void *key)
{
	struct nsctl_container *c = container_of(wait, struct nsctl_container,
						 watch);
	unsigned long flags;

	spin_lock_irqsave(&fired_lock, flags);
	if (!c->fired) {
		c->fired = true;
		kref_get(&c->ref);
		list_add_tail(&c->fired_node, &fired_list);
	}
	spin_unlock_irqrestore(&fired_lock, flags);
	schedule_work(&fired_work);
	return 0;
}

static unsigned int nsctl_pid_slot_state(struct nsctl_container *c)
{
	return nsctl_pid_init_state(c->ns[NSCTL_NS_PID]);
}

void nsctl_container_watch_locked(struct nsctl_container *c)
{
	struct pid_namespace *pidns;
	struct task_struct *reaper;
	struct pid *pid = NULL;

	lockdep_assert_held(&c->lock);
	if (c->watch_pid || c->dead || !c->ns[NSCTL_NS_PID])
		return;
	pidns = container_of(c->ns[NSCTL_NS_PID], struct pid_namespace, ns);
	/*
	 * While pid allocation is enabled the init has not begun to exit,
	 * so the task child_reaper names cannot be freed before the RCU
	 * read section ends.
	 */
	rcu_read_lock();
	if (nsctl_pid_slot_state(c) == NSCTL_PID_INIT_RUNNING) {
		reaper = READ_ONCE(pidns->child_reaper);
		if (reaper)
			pid = get_pid(task_tgid(reaper));
	}
	rcu_read_unlock();
	if (!pid)
		return;

	init_waitqueue_func_entry(&c->watch, nsctl_watch_wake);
	add_wait_queue(&pid->wait_pidfd, &c->watch);
	WRITE_ONCE(c->watch_pid, pid);	/* read without the lock (enter.c) */
	/* It may have exited before the entry was on the queue. */
	if (nsctl_pid_slot_state(c) == NSCTL_PID_INIT_DEAD)
		nsctl_watch_wake(&c->watch, TASK_NORMAL, 0, NULL);
}

void nsctl_watch_disarm(struct nsctl_container *c)
{
	lockdep_assert_held(&c->lock);
	if (!c->watch_pid)
		return;
	remove_wait_queue(&c->watch_pid->wait_pidfd, &c->watch);
	put_pid(c->watch_pid);
	WRITE_ONCE(c->watch_pid, NULL);
}

void nsctl_container_watch(struct nsctl_container *c)
{
	mutex_lock(&c->lock);
	nsctl_container_watch_locked(c);
	mutex_unlock(&c->lock);
}

static void nsctl_fired_fn(struct work_struct *work)
{
	struct nsctl_container *c;
	u64 gen = 0;
	u8 action;

	for (;;) {
		spin_lock_irq(&fired_lock);
		c = list_first_entry_or_null(&fired_list, struct nsctl_container,
					     fired_node);
		if (c) {
			list_del_init(&c->fired_node);
			c->fired = false;
		}
		spin_unlock_irq(&fired_lock);
		if (!c)
			break;

		/* The leader of a thread group may exit before its threads. */
		action = NSCTL_ON_EMPTY_IGNORE;
		mutex_lock(&c->lock);
		if (c->watch_pid && nsctl_pid_slot_state(c) == NSCTL_PID_INIT_DEAD) {
			nsctl_watch_disarm(c);
			if (c->published && !c->dead)
				action = c->on_empty;
			if (action != NSCTL_ON_EMPTY_IGNORE)
				nsctl_event_container(c, NSCTL_CMD_CONTAINER_EMPTIED,
						      0, 0);
			gen = c->generation;
		}
		mutex_unlock(&c->lock);
		/*
		 * As an rmdir would, but only of the container found empty:
		 * lost to a delete, an enter, or a repair (a fresh PID
		 * namespace attached, a new generation) meanwhile.
		 */
		if (action == NSCTL_ON_EMPTY_DELETE)
			nsctl_owner->remove(c, &gen);
		nsctl_container_put(c);
	}
}

void nsctl_container_set_owner(const struct nsctl_container_owner *owner)
{
	nsctl_owner = owner;
}

void nsctl_container_uninit(void)
{
	flush_work(&fired_work);
}
