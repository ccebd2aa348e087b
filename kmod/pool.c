// SPDX-License-Identifier: GPL-2.0
/*
 * Pools: complete containers nobody has used, handed out in one call.
 *
 * A member is a container made by nsctl_container_create_member(): it
 * holds its namespaces and cgroup but has no name, id or directory and is
 * in no registry, so no lookup, dump, listing or event knows of it.  A
 * filler in userspace makes the namespaces (only a process can) and gives
 * them with NSCTL_CMD_ADD_MEMBER; a claim takes the oldest member out,
 * and the caller names and publishes it as a create would (genl_pool.c).
 * A member leaves its pool only to be claimed or released, never to come
 * back once it was handed out: no namespace serves two tenants.
 *
 * Locking: pool_lock protects the list of pools and everything in them,
 * members' @node and @pooled included.  It is taken on its own, never
 * under a container's locks, and only the event lock is taken under it.
 * A member's @cgrp is set before it joins a pool and cleared only by its
 * deletion, after it left: stable under pool_lock.  Members are released
 * (nsctl_container_delete()) with no lock held.
 */
#include <linux/cgroup.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "container.h"
#include "event.h"
#include "fs.h"
#include "genl.h"
#include "label.h"
#include "ns.h"
#include "pool.h"
#include "viewer.h"

struct nsctl_pool {
	struct list_head node;		/* nsctl_pools, in id order */
	struct kref ref;		/* the list's, and one per user */
	struct delayed_work expire;
	bool dead;
	bool low_sent;			/* POOL_LOW sent since last at the mark */
	u64 id;
	u64 types;
	u32 size, low, max_age, flags;
	u8 on_empty, enter_policy;
	char *edits;			/* the template's labels, as edits */
	size_t edits_len;
	struct nsctl_labels *labels;	/* the same, for messages */
	char limits[NSCTL_POOL_LIMITS][NSCTL_POOL_LIMIT_MAX + 1];
	struct list_head members;	/* oldest first */
	u32 ready;
	u64 claimed, added, expired, missed;
	time64_t created;
	char name[NSCTL_POOL_NAME_MAX + 1];
};

static DEFINE_MUTEX(pool_lock);
static LIST_HEAD(nsctl_pools);
static unsigned int nsctl_pool_count;
static u64 nsctl_pool_next_id = 1;

const u16 nsctl_pool_limit_attr[NSCTL_POOL_LIMITS] = {
	[NSCTL_POOL_LIMIT_MEMORY]	= NSCTL_A_POOL_MEMORY_MAX,
	[NSCTL_POOL_LIMIT_PIDS]		= NSCTL_A_POOL_PIDS_MAX,
	[NSCTL_POOL_LIMIT_CPU]		= NSCTL_A_POOL_CPU_MAX,
};

static struct nsctl_pool *nsctl_pool_find_locked(const char *name)
{
	struct nsctl_pool *p;

	lockdep_assert_held(&pool_lock);
	list_for_each_entry(p, &nsctl_pools, node)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

static void nsctl_pool_free(struct kref *ref)
{
	struct nsctl_pool *p = container_of(ref, struct nsctl_pool, ref);

	WARN_ON_ONCE(!list_empty(&p->members));
	nsctl_labels_free(p->labels);
	kfree(p->edits);
	kfree(p);
}

void nsctl_pool_put(struct nsctl_pool *p)
{
	kref_put(&p->ref, nsctl_pool_free);
}

/* Room for @p's message; with @members, for every member's cgroup. */
static size_t nsctl_pool_msg_size(struct nsctl_pool *p, bool members)
{
	size_t size = NLMSG_GOODSIZE + nsctl_labels_msg_size(p->labels);

	if (members)
		size += p->ready * nla_total_size_64bit(sizeof(u64));
	return size;
}

static int nsctl_pool_fill_locked(struct sk_buff *skb, struct nsctl_pool *p,
				  bool members)
{
	struct nsctl_container *c;
	int i;

	lockdep_assert_held(&pool_lock);
	if (nla_put_string(skb, NSCTL_A_POOL_NAME, p->name) ||
	    nla_put_u64_64bit(skb, NSCTL_A_POOL_TYPES, p->types, NSCTL_A_PAD) ||
	    nla_put_u32(skb, NSCTL_A_POOL_SIZE, p->size) ||
	    nla_put_u32(skb, NSCTL_A_POOL_LOW, p->low) ||
	    nla_put_u32(skb, NSCTL_A_POOL_MAX_AGE, p->max_age) ||
	    nla_put_u32(skb, NSCTL_A_POOL_FLAGS, p->flags) ||
	    nla_put_u32(skb, NSCTL_A_POOL_READY, p->ready) ||
	    nla_put_u64_64bit(skb, NSCTL_A_POOL_CLAIMED, p->claimed, NSCTL_A_PAD) ||
	    nla_put_u64_64bit(skb, NSCTL_A_POOL_ADDED, p->added, NSCTL_A_PAD) ||
	    nla_put_u64_64bit(skb, NSCTL_A_POOL_EXPIRED, p->expired, NSCTL_A_PAD) ||
	    nla_put_u64_64bit(skb, NSCTL_A_POOL_MISSED, p->missed, NSCTL_A_PAD) ||
	    nla_put_s64(skb, NSCTL_A_POOL_CREATED, p->created, NSCTL_A_PAD) ||
	    nla_put_u32(skb, NSCTL_A_CT_ON_EMPTY, p->on_empty) ||
	    nla_put_u32(skb, NSCTL_A_CT_ENTER_POLICY, p->enter_policy))
		return -EMSGSIZE;
	if (!list_empty(&p->members)) {
		c = list_first_entry(&p->members, struct nsctl_container, node);
		if (nla_put_s64(skb, NSCTL_A_POOL_OLDEST, c->created, NSCTL_A_PAD))
			return -EMSGSIZE;
	}
	for (i = 0; i < NSCTL_POOL_LIMITS; i++)
		if (p->limits[i][0] &&
		    nla_put_string(skb, nsctl_pool_limit_attr[i], p->limits[i]))
			return -EMSGSIZE;
	if (nsctl_labels_put(skb, p->labels))
		return -EMSGSIZE;
	if (!members)
		return 0;
	list_for_each_entry(c, &p->members, node)
		if (c->cgrp && nla_put_u64_64bit(skb, NSCTL_A_POOL_MEMBER_CGROUP,
						 cgroup_id(c->cgrp), NSCTL_A_PAD))
			return -EMSGSIZE;
	return 0;
}

static void nsctl_pool_event_locked(struct nsctl_pool *p, u8 cmd)
{
	struct sk_buff *skb;

	lockdep_assert_held(&pool_lock);
	skb = nsctl_event_new(cmd, nsctl_pool_msg_size(p, false));
	if (!skb)
		return;
	if (nsctl_pool_fill_locked(skb, p, false)) {
		nsctl_event_cancel(skb);
		return;
	}
	nsctl_event_send(skb);
}

/*
 * Tell fillers when the pool is below its mark, once until it is back
 * at it; with @force (a new pool, a raised size) whenever it is below
 * its size.
 */
static void nsctl_pool_check_low(struct nsctl_pool *p, bool force)
{
	lockdep_assert_held(&pool_lock);
	if (p->ready >= p->low && !(force && p->ready < p->size)) {
		p->low_sent = false;
		return;
	}
	if (p->low_sent && !force)
		return;
	p->low_sent = true;
	nsctl_pool_event_locked(p, NSCTL_CMD_POOL_LOW);
}

/* When the oldest member is due to expire: arm the work for it. */
static void nsctl_pool_arm_locked(struct nsctl_pool *p)
{
	struct nsctl_container *c;
	u64 due, now;

	lockdep_assert_held(&pool_lock);
	if (p->dead || !p->max_age || list_empty(&p->members))
		return;
	c = list_first_entry(&p->members, struct nsctl_container, node);
	due = c->pooled + (u64)p->max_age * NSEC_PER_SEC;
	now = ktime_get_boottime_ns();
	mod_delayed_work(system_wq, &p->expire,
			 due > now ? nsecs_to_jiffies(due - now) + 1 : 0);
}

/* Release members taken off a pool: no lock held. */
static void nsctl_pool_release(struct list_head *gone)
{
	struct nsctl_container *c, *tmp;

	list_for_each_entry_safe(c, tmp, gone, node) {
		list_del_init(&c->node);
		nsctl_container_delete(c, NULL);
	}
}

/* Move the newest members beyond @keep to @gone. */
static u32 nsctl_pool_trim_locked(struct nsctl_pool *p, u32 keep,
				  struct list_head *gone)
{
	u32 n = 0;

	while (p->ready > keep) {
		list_move(p->members.prev, gone);
		p->ready--;
		n++;
	}
	return n;
}

/* Move the members past their age to @gone; arm the work for the next. */
static void nsctl_pool_expire_locked(struct nsctl_pool *p,
				     struct list_head *gone)
{
	struct nsctl_container *c, *tmp;
	u64 now = ktime_get_boottime_ns();

	lockdep_assert_held(&pool_lock);
	list_for_each_entry_safe(c, tmp, &p->members, node) {
		if (p->dead || !p->max_age ||
		    c->pooled + (u64)p->max_age * NSEC_PER_SEC > now)
			break;
		list_move_tail(&c->node, gone);
		p->ready--;
		p->expired++;
	}
	nsctl_pool_arm_locked(p);
}

static void nsctl_pool_expire_work(struct work_struct *work)
{
	struct nsctl_pool *p = container_of(to_delayed_work(work),
					    struct nsctl_pool, expire);
	LIST_HEAD(gone);

	mutex_lock(&pool_lock);
	nsctl_pool_expire_locked(p, &gone);
	if (!list_empty(&gone))
		nsctl_pool_check_low(p, false);
	mutex_unlock(&pool_lock);
	nsctl_pool_release(&gone);
}

int nsctl_pool_create(const char *name, const struct nsctl_pool_tmpl *t,
		      const char **why)
{
	struct nsctl_pool *p;
	int ret, i;

	ret = nsctl_name_valid(name, strlen(name));
	if (!ret && strlen(name) > NSCTL_POOL_NAME_MAX)
		ret = -ENAMETOOLONG;
	if (ret) {
		*why = ret == -ENAMETOOLONG ?
		       "pool name longer than NSCTL_POOL_NAME_MAX" :
		       "a pool name starts with a letter or digit, then [A-Za-z0-9_.:@+-]";
		return ret;
	}
	if (!t->types || t->types & ~NSCTL_NS_ALL) {
		*why = "the pool's types are none or unknown";
		return -EINVAL;
	}
	if (t->low > t->size) {
		*why = "the low-water mark is above the size";
		return -EINVAL;
	}

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return -ENOMEM;
	kref_init(&p->ref);
	INIT_LIST_HEAD(&p->members);
	INIT_DELAYED_WORK(&p->expire, nsctl_pool_expire_work);
	strscpy(p->name, name, sizeof(p->name));
	p->types = t->types;
	p->size = t->size;
	p->low = t->low;
	p->max_age = t->max_age;
	p->flags = t->flags;
	p->on_empty = t->on_empty;
	p->enter_policy = t->enter_policy;
	p->created = ktime_get_real_seconds();
	for (i = 0; i < NSCTL_POOL_LIMITS; i++)
		if (t->limits[i])
			strscpy(p->limits[i], t->limits[i], sizeof(p->limits[i]));
	if (t->labels) {
		/* Checked now, so that a claim never fails on them. */
		ret = nsctl_labels_edit(&p->labels, t->labels, t->labels_len,
					true, why);
		if (ret < 0)
			goto err_free;
		ret = -ENOMEM;
		p->edits = kmemdup(t->labels, t->labels_len, GFP_KERNEL_ACCOUNT);
		if (!p->edits)
			goto err_free;
		p->edits_len = t->labels_len;
	}
	/* A pool keeps the module loaded, as a container does. */
	ret = nsctl_fs_pin();
	if (ret) {
		*why = "the nsctl filesystem is not ready";
		goto err_free;
	}

	mutex_lock(&pool_lock);
	if (nsctl_pool_find_locked(name)) {
		*why = "a pool of that name exists";
		ret = -EEXIST;
	} else if (nsctl_pool_count >= NSCTL_POOLS_MAX) {
		*why = "there are NSCTL_POOLS_MAX pools";
		ret = -ENOSPC;
	}
	if (ret) {
		mutex_unlock(&pool_lock);
		nsctl_fs_unpin();
		goto err_free;
	}
	p->id = nsctl_pool_next_id++;
	list_add_tail(&p->node, &nsctl_pools);
	nsctl_pool_count++;
	nsctl_pool_event_locked(p, NSCTL_CMD_POOL_CREATED);
	nsctl_pool_check_low(p, true);
	mutex_unlock(&pool_lock);
	return 0;

err_free:
	nsctl_pool_put(p);
	return ret;
}

int nsctl_pool_set(const char *name, const u32 *size, const u32 *low,
		   const u32 *max_age, const char **why)
{
	struct nsctl_pool *p;
	u32 new_size, new_low, n;
	LIST_HEAD(gone);
	bool raised;
	int ret = 0;

	mutex_lock(&pool_lock);
	p = nsctl_pool_find_locked(name);
	if (!p) {
		*why = "no such pool";
		ret = -ENOENT;
		goto out;
	}
	new_size = size ? *size : p->size;
	new_low = low ? *low : p->low;
	/* A smaller size given alone brings the mark down with it. */
	if (size && !low && new_low > new_size)
		new_low = new_size;
	if (new_low > new_size) {
		*why = "the low-water mark is above the size";
		ret = -EINVAL;
		goto out;
	}
	raised = new_size > p->size;
	/* A mark raised above the ready count is a fall below it. */
	if (new_low > p->low && p->ready < new_low)
		p->low_sent = false;
	p->size = new_size;
	p->low = new_low;
	if (max_age)
		p->max_age = *max_age;
	n = nsctl_pool_trim_locked(p, p->size, &gone);
	p->expired += n;
	if (max_age) {
		/* A shorter age expires members now, before the reply. */
		cancel_delayed_work(&p->expire);
		nsctl_pool_expire_locked(p, &gone);
	}
	nsctl_pool_check_low(p, raised);
out:
	mutex_unlock(&pool_lock);
	nsctl_pool_release(&gone);
	return ret;
}

int nsctl_pool_delete(const char *name)
{
	struct nsctl_pool *p;
	LIST_HEAD(gone);

	mutex_lock(&pool_lock);
	p = nsctl_pool_find_locked(name);
	if (!p) {
		mutex_unlock(&pool_lock);
		return -ENOENT;
	}
	p->dead = true;
	list_del(&p->node);
	nsctl_pool_count--;
	list_splice_init(&p->members, &gone);
	p->ready = 0;
	nsctl_pool_event_locked(p, NSCTL_CMD_POOL_DELETED);
	mutex_unlock(&pool_lock);

	/* Dead: the work neither finds members nor arms itself again. */
	cancel_delayed_work_sync(&p->expire);
	nsctl_pool_release(&gone);
	nsctl_fs_unpin();
	nsctl_pool_put(p);
	return 0;
}

int nsctl_pool_add(const char *name, struct nsctl_container *c, u64 types,
		   const char **why)
{
	struct nsctl_pool *p;
	bool has_cgroup;
	int ret = 0;

	mutex_lock(&c->lock);
	has_cgroup = c->cgrp;
	mutex_unlock(&c->lock);

	mutex_lock(&pool_lock);
	p = nsctl_pool_find_locked(name);
	if (!p) {
		*why = "no such pool";
		ret = -ENOENT;
	} else if (types != p->types) {
		*why = "the namespaces are not the pool's types";
		ret = -EINVAL;
	} else if (has_cgroup == !!(p->flags & NSCTL_POOL_NO_CGROUP)) {
		*why = has_cgroup ? "the pool's members hold no cgroup" :
				    "the pool's members hold a cgroup";
		ret = -EINVAL;
	} else if (p->ready >= p->size) {
		*why = "the pool is full";
		ret = -ENOSPC;
	}
	if (!ret) {
		c->pooled = ktime_get_boottime_ns();
		c->created = ktime_get_real_seconds();
		list_add_tail(&c->node, &p->members);
		p->ready++;
		p->added++;
		if (p->ready >= p->low)
			p->low_sent = false;
		if (p->ready == 1)
			nsctl_pool_arm_locked(p);
	}
	mutex_unlock(&pool_lock);
	return ret;
}

/*
 * A member nobody can use: its PID namespace's init ran and died while it
 * was pooled (a filler may give a namespace with a running init).  Its
 * slots do not change while it is pooled.
 */
static bool nsctl_member_dead(struct nsctl_container *c)
{
	struct ns_common *pidns = c->ns[NSCTL_NS_PID];

	return pidns && nsctl_pid_init_state(pidns) == NSCTL_PID_INIT_DEAD;
}

struct nsctl_container *nsctl_pool_take(const char *name,
					struct nsctl_pool **poolp)
{
	struct nsctl_container *c, *got = NULL;
	struct nsctl_pool *p;
	LIST_HEAD(gone);

	mutex_lock(&pool_lock);
	p = nsctl_pool_find_locked(name);
	if (!p) {
		mutex_unlock(&pool_lock);
		return ERR_PTR(-ENOENT);
	}
	while (!got && !list_empty(&p->members)) {
		c = list_first_entry(&p->members, struct nsctl_container, node);
		list_del_init(&c->node);
		p->ready--;
		if (!nsctl_member_dead(c)) {
			got = c;
			break;
		}
		list_add_tail(&c->node, &gone);
		p->expired++;
	}
	if (!got) {
		p->missed++;
		nsctl_pool_check_low(p, false);
	} else {
		kref_get(&p->ref);
	}
	mutex_unlock(&pool_lock);
	nsctl_pool_release(&gone);
	if (!got)
		return ERR_PTR(-EAGAIN);
	*poolp = p;
	return got;
}

void nsctl_pool_return(struct nsctl_pool *p, struct nsctl_container *c)
{
	bool keep;

	mutex_lock(&pool_lock);
	/* Back in front: it is still the oldest. */
	keep = !p->dead;
	if (keep) {
		list_add(&c->node, &p->members);
		p->ready++;
		nsctl_pool_arm_locked(p);
	}
	mutex_unlock(&pool_lock);
	if (!keep)
		nsctl_container_delete(c, NULL);
}

void nsctl_pool_claimed(struct nsctl_pool *p, bool claimed)
{
	mutex_lock(&pool_lock);
	if (claimed)
		p->claimed++;
	/* Announced once the claim is done: a refused one changes nothing. */
	if (!p->dead)
		nsctl_pool_check_low(p, false);
	mutex_unlock(&pool_lock);
}

int nsctl_pool_apply(struct nsctl_pool *p, struct nsctl_container *c,
		     const char **why)
{
	/* The template never changes once made: no lock needed to read it. */
	nsctl_container_set_policy(c, &c->on_empty, p->on_empty);
	nsctl_container_set_policy(c, &c->enter_policy, p->enter_policy);
	if (!p->edits)
		return 0;
	return nsctl_container_set_labels(c, p->edits, p->edits_len, true, why);
}

int nsctl_pool_check_labels(struct nsctl_pool *p, const char *edits,
			    size_t len, const char **why)
{
	struct nsctl_labels *labels = NULL;
	int ret = 0;

	if (!edits)
		return 0;
	if (p->edits)
		ret = nsctl_labels_edit(&labels, p->edits, p->edits_len, true, why);
	if (ret >= 0)
		ret = nsctl_labels_edit(&labels, edits, len, true, why);
	nsctl_labels_free(labels);
	return ret < 0 ? ret : 0;
}

struct sk_buff *nsctl_pool_reply(const char *name, struct genl_info *info,
				 u8 cmd, bool members)
{
	struct nsctl_pool *p;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	mutex_lock(&pool_lock);
	p = nsctl_pool_find_locked(name);
	ret = -ENOENT;
	if (!p)
		goto err_unlock;
	ret = -ENOMEM;
	msg = genlmsg_new(nsctl_pool_msg_size(p, members), GFP_KERNEL);
	if (!msg)
		goto err_unlock;
	hdr = genlmsg_put_reply(msg, info, &nsctl_genl_family, 0, cmd);
	ret = hdr ? nsctl_pool_fill_locked(msg, p, members) : -EMSGSIZE;
	mutex_unlock(&pool_lock);
	if (ret) {
		nlmsg_free(msg);
		return ERR_PTR(ret);
	}
	genlmsg_end(msg, hdr);
	return msg;

err_unlock:
	mutex_unlock(&pool_lock);
	return ERR_PTR(ret);
}

/* cb->args[0]: the id of the last pool sent. */
int nsctl_pool_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct nsctl_viewer *v = nsctl_dump_viewer(cb);
	struct nsctl_pool *p;
	void *hdr;
	int ret = 0;

	if (!v->all)
		return 0;
	mutex_lock(&pool_lock);
	list_for_each_entry(p, &nsctl_pools, node) {
		if (p->id <= cb->args[0])
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &nsctl_genl_family,
				  NLM_F_MULTI, NSCTL_CMD_GET_POOL);
		if (!hdr) {
			ret = -EMSGSIZE;
			break;
		}
		ret = nsctl_pool_fill_locked(skb, p, false);
		if (ret) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = p->id;
	}
	mutex_unlock(&pool_lock);
	/* A part with something in it: the next part goes on after it. */
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret ?: skb->len;
}

static int nsctl_pool_show(struct seq_file *m, void *unused)
{
	struct nsctl_pool *p;
	unsigned int i;
	bool first;

	if (!m->private)
		return 0;
	mutex_lock(&pool_lock);
	list_for_each_entry(p, &nsctl_pools, node) {
		seq_printf(m, "%s types=", p->name);
		first = true;
		for (i = 0; i < NSCTL_NS_COUNT; i++) {
			if (!(p->types & NSCTL_NS_BIT(i)))
				continue;
			seq_printf(m, "%s%s", first ? "" : ",", nsctl_ns_name(i));
			first = false;
		}
		seq_printf(m, " size=%u low=%u max_age=%u ready=%u claimed=%llu added=%llu expired=%llu missed=%llu\n",
			   p->size, p->low, p->max_age,
			   p->ready, p->claimed, p->added, p->expired,
			   p->missed);
	}
	mutex_unlock(&pool_lock);
	return 0;
}

static int nsctl_pool_list_open(struct inode *inode, struct file *file)
{
	/* Decided for the opener, as they are now. */
	return single_open(file, nsctl_pool_show,
			   nsctl_viewer_full_now() ? (void *)1 : NULL);
}

const struct file_operations nsctl_pool_list_fops = {
	.owner		= THIS_MODULE,
	.open		= nsctl_pool_list_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
};
