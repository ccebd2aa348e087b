// SPDX-License-Identifier: GPL-2.0
/*
 * Container objects: creation, the registry, the namespace slots and the
 * cgroup, deletion.  The filesystem (fs.c) and the ioctls (ioctl.c) are
 * views of what lives here.
 */
#include <linux/cgroup.h>
#include <linux/ctype.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/namei.h>
#include <linux/ns_common.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "container.h"
#include "ns.h"

static DEFINE_MUTEX(nsctl_lock);
static LIST_HEAD(nsctl_containers);
static u64 nsctl_next_id = 1;

int nsctl_name_valid(const char *name, size_t len)
{
	size_t i;

	if (len == 0 || name[0] == '.')
		return -EINVAL;
	if (len > NSCTL_NAME_MAX)
		return -ENAMETOOLONG;
	for (i = 0; i < len; i++) {
		char ch = name[i];

		if ((ch & 0x80) ||
		    (!isalnum(ch) && ch != '_' && ch != '.' && ch != '-'))
			return -EINVAL;
	}
	return 0;
}

struct nsctl_container *nsctl_container_create(const char *name)
{
	struct nsctl_container *c, *other;
	size_t len = strlen(name);
	int ret, i;

	ret = nsctl_name_valid(name, len);
	if (ret)
		return ERR_PTR(ret);

	c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
	if (!c)
		return ERR_PTR(-ENOMEM);
	kref_init(&c->ref);
	mutex_init(&c->lock);
	memcpy(c->name, name, len);
	c->generation = 1;
	c->created = ktime_get_real_seconds();
	atomic64_set(&c->enters, 0);
	uuid_gen(&c->uuid);

	mutex_lock(&nsctl_lock);
	list_for_each_entry(other, &nsctl_containers, node) {
		if (!strcmp(other->name, name)) {
			mutex_unlock(&nsctl_lock);
			kfree(c);
			return ERR_PTR(-EEXIST);
		}
	}
	c->id = nsctl_next_id++;
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		c->holders[i].cid = c->id;
	list_add_tail(&c->node, &nsctl_containers);
	mutex_unlock(&nsctl_lock);
	return c;
}

void nsctl_container_get(struct nsctl_container *c)
{
	kref_get(&c->ref);
}

static void nsctl_container_free(struct kref *ref)
{
	struct nsctl_container *c = container_of(ref, struct nsctl_container, ref);

	WARN_ON_ONCE(!c->dead);
	mutex_destroy(&c->lock);
	kfree(c);
}

void nsctl_container_put(struct nsctl_container *c)
{
	kref_put(&c->ref, nsctl_container_free);
}

static int nsctl_found_task(struct task_struct *t, void *arg)
{
	return 1;
}

/*
 * Delete @c unless processes are inside (EBUSY).  From the check on,
 * @deleting and then @dead, set under @lock, keep every enter out.
 */
int nsctl_container_delete(struct nsctl_container *c)
{
	struct ns_common *old[NSCTL_NS_COUNT];
	struct path cgrp_path;
	struct cgroup *cgrp;
	int ret, i;

	/* No enter may start while the container is checked for tasks. */
	mutex_lock(&c->lock);
	if (c->dead || c->deleting) {
		mutex_unlock(&c->lock);
		return c->dead ? -ENOENT : -EBUSY;
	}
	c->deleting = true;
	mutex_unlock(&c->lock);

	ret = nsctl_container_walk_tasks(c, nsctl_found_task, NULL);
	if (ret) {
		mutex_lock(&c->lock);
		c->deleting = false;
		mutex_unlock(&c->lock);
		return ret < 0 ? ret : -EBUSY;
	}

	mutex_lock(&nsctl_lock);
	mutex_lock(&c->lock);
	c->deleting = false;
	c->dead = true;
	c->generation++;
	memcpy(old, c->ns, sizeof(old));
	memset(c->ns, 0, sizeof(c->ns));
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		nsctl_nsid_unhold(&c->holders[i]);
	cgrp = c->cgrp;
	c->cgrp = NULL;
	cgrp_path = c->cgrp_path;
	c->cgrp_path = (struct path){};
	list_del_init(&c->node);
	mutex_unlock(&c->lock);
	mutex_unlock(&nsctl_lock);

	/* Namespace teardown may sleep and take other locks: none held. */
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (old[i])
			nsctl_ns_put(old[i]);
	if (cgrp)
		cgroup_put(cgrp);
	path_put(&cgrp_path);
	nsctl_container_put(c);
	return 0;
}

int nsctl_container_set_ns(struct nsctl_container *c, u64 attach,
			   struct ns_common **new, u64 detach,
			   const u64 *expect_gen, u64 *generation)
{
	struct ns_common *old[NSCTL_NS_COUNT] = { NULL };
	bool changed = false;
	int ret = 0, i;

	/* Track first, where it may fail, so the change below cannot. */
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (!(attach & NSCTL_NS_BIT(i)))
			continue;
		ret = nsctl_nsid_hold(new[i], NULL);
		if (ret)
			return ret;
		nsctl_ns_learn(new[i]);
	}

	mutex_lock(&c->lock);
	if (c->dead) {
		ret = -ESTALE;
		goto out;
	}
	if (expect_gen && *expect_gen != c->generation) {
		ret = -ESTALE;
		goto out;
	}
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (attach & NSCTL_NS_BIT(i)) {
			if (new[i] == c->ns[i])
				continue;
			old[i] = c->ns[i];
			nsctl_nsid_unhold(&c->holders[i]);
			c->ns[i] = new[i];
			new[i] = NULL;
			/* Tracked by the caller already: this only links. */
			WARN_ON_ONCE(nsctl_nsid_hold(c->ns[i], &c->holders[i]));
			changed = true;
		} else if ((detach & NSCTL_NS_BIT(i)) && c->ns[i]) {
			old[i] = c->ns[i];
			nsctl_nsid_unhold(&c->holders[i]);
			c->ns[i] = NULL;
			changed = true;
		}
	}
	if (changed)
		c->generation++;
	*generation = c->generation;
out:
	mutex_unlock(&c->lock);
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (old[i])
			nsctl_ns_put(old[i]);
	return ret;
}

/* Takes over @cgrp's reference; takes its own on @path. */
int nsctl_container_set_cgroup(struct nsctl_container *c, struct cgroup *cgrp,
			       const struct path *path, u64 *generation)
{
	struct path old_path = {};
	struct cgroup *old = NULL;
	int ret = 0;

	mutex_lock(&c->lock);
	if (c->dead) {
		ret = -ESTALE;
		old = cgrp;
		goto out;
	}
	old = c->cgrp;
	old_path = c->cgrp_path;
	c->cgrp = cgrp;
	c->cgrp_path = cgrp ? *path : (struct path){};
	if (cgrp)
		path_get(&c->cgrp_path);
	if (old != cgrp)
		c->generation++;
	*generation = c->generation;
out:
	mutex_unlock(&c->lock);
	if (old)
		cgroup_put(old);
	path_put(&old_path);
	return ret;
}

int nsctl_container_set_uuid(struct nsctl_container *c, const uuid_t *uuid)
{
	struct nsctl_container *other;
	int ret = 0;

	if (uuid_is_null(uuid))
		return -EINVAL;

	mutex_lock(&nsctl_lock);
	mutex_lock(&c->lock);
	if (c->dead) {
		ret = -ESTALE;
		goto out;
	}
	if (c->generation != 1) {
		ret = -EBUSY;
		goto out;
	}
	list_for_each_entry(other, &nsctl_containers, node) {
		/* Another's UUID is stable while nsctl_lock is held. */
		if (other != c && uuid_equal(&other->uuid, uuid)) {
			ret = -EEXIST;
			goto out;
		}
	}
	uuid_copy(&c->uuid, uuid);
out:
	mutex_unlock(&c->lock);
	mutex_unlock(&nsctl_lock);
	return ret;
}

/* A referenced namespace from slot @type, or NULL when it is empty. */
struct ns_common *nsctl_container_get_ns(struct nsctl_container *c,
					 unsigned int type)
{
	struct ns_common *ns;

	mutex_lock(&c->lock);
	ns = c->ns[type];
	if (ns)
		nsctl_ns_get(ns);
	mutex_unlock(&c->lock);
	return ns;
}

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
		if (!ret && pid_alive(tasks[i]) &&
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
