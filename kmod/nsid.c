// SPDX-License-Identifier: GPL-2.0
/*
 * Persistent namespace identity: a UUID per namespace, never reused.
 *
 * Every network namespace is tracked from its creation to the kernel's
 * teardown of it.  A pernet device operation's init (device operations run
 * after every subsystem's, and nsctl's after those registered before it)
 * starts tracking it; a pernet subsystem's exit (run during teardown after
 * every device operation's exit, so once the namespace's devices are gone)
 * ends it and announces NETNS_DESTROYED.  NETNS_CREATED waits until the
 * creation has completed, which no hook tells: operations registered after
 * nsctl's may still run, or fail and undo the namespace.  The kernel adds a
 * namespace to its list as the last step of a successful creation, so a
 * work item checks for that a tick after the init hook, again each tick
 * while it is not there, and only then announces the namespace (and lets
 * NSCTL_IOC_NS_OPEN find it by UUID).
 *
 * No other type has such a hook.  A namespace of another type is tracked
 * from the first time nsctl sees it, and the tracking holds a reference on
 * it: that is what keeps the mapping true, since the kernel reuses both the
 * memory and the inode number of a freed namespace.  Once nsctl's
 * reference is the only one left (ns_common.count == 1: no process, file,
 * mount, container or child namespace uses it), nobody can reach the
 * namespace any more, and a collector that runs every NSCTL_GC_MS drops
 * the reference and the entry.  Cost: such a namespace outlives its last
 * user by up to that period, and the collector reads one counter per
 * tracked namespace per period while any are tracked.
 *
 * UUIDs are version 7 (RFC 9562): 48 bits of Unix time in milliseconds,
 * 12 random bits, then 62 bits made of a random 32-bit tag drawn when the
 * module loads and a 30-bit counter.  Within one load the counter makes
 * them unique by construction; across loads, boots and machines the 44
 * random bits and the time do.  The tag also tells apart a UUID this load
 * issued, whose namespace is gone (ESTALE), from one it never issued
 * (ENOENT), without remembering the dead.
 *
 * Locking: nsid_lock (a mutex) protects the tables, the list and every
 * entry's holder list.  It may be taken with a container's lock held,
 * never the other way round.
 */
#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/ns_common.h>
#include <linux/pid_namespace.h>
#include <linux/proc_ns.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "event.h"
#include "genl.h"
#include "ns.h"
#include "nsid.h"
#include "viewer.h"

#define NSCTL_GC_MS	250

struct nsctl_nsid {
	struct hlist_node by_ptr;
	struct hlist_node by_uuid;
	struct list_head node;
	struct ns_common *ns;
	struct nsctl_nsid *owner;
	struct nsctl_nsid *parent;
	struct list_head holders;
	unsigned int nholders;
	struct list_head pending;	/* net: creation not known complete */
	uuid_t uuid;
	unsigned int inum;
	u32 serial;	/* order of tracking, for dumps */
	u8 type;
	bool held;	/* the entry holds a reference on @ns */
	bool announced;	/* net: creation complete and announced */
};

static DEFINE_MUTEX(nsid_lock);
static DEFINE_HASHTABLE(nsid_by_ptr, 12);
static DEFINE_HASHTABLE(nsid_by_uuid, 12);
static LIST_HEAD(nsid_list);
static struct kmem_cache *nsid_cache;
static u32 nsid_tag;
static u32 nsid_seq;
static unsigned int nsid_changes;	/* for dumps: entries or holders changed */
static LIST_HEAD(nsid_pending);
static bool nsid_quiet;		/* module load and unload: no net events */

static void nsid_gc_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(nsid_gc_work, nsid_gc_fn);
static void nsid_net_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(nsid_net_work, nsid_net_fn);

static u32 uuid_hash(const uuid_t *u)
{
	return jhash(u, sizeof(*u), 0);
}

static void nsid_gen_uuid(uuid_t *u)
{
	u64 ms = ktime_to_ms(ktime_get_real());
	u32 seq = nsid_seq++ & 0x3fffffff;
	u8 *b = u->b;
	u16 rand_a;

	lockdep_assert_held(&nsid_lock);
	get_random_bytes(&rand_a, sizeof(rand_a));
	b[0] = ms >> 40;
	b[1] = ms >> 32;
	b[2] = ms >> 24;
	b[3] = ms >> 16;
	b[4] = ms >> 8;
	b[5] = ms;
	b[6] = 0x70 | ((rand_a >> 8) & 0x0f);
	b[7] = rand_a;
	b[8] = 0x80 | ((nsid_tag >> 26) & 0x3f);
	b[9] = nsid_tag >> 18;
	b[10] = nsid_tag >> 10;
	b[11] = nsid_tag >> 2;
	b[12] = ((nsid_tag & 3) << 6) | ((seq >> 24) & 0x3f);
	b[13] = seq >> 16;
	b[14] = seq >> 8;
	b[15] = seq;
}

/* Did this load of the module issue @u? */
static bool nsid_issued_here(const uuid_t *u)
{
	const u8 *b = u->b;
	u32 tag, seq;

	if ((b[6] & 0xf0) != 0x70 || (b[8] & 0xc0) != 0x80)
		return false;
	tag = (u32)(b[8] & 0x3f) << 26 | (u32)b[9] << 18 | (u32)b[10] << 10 |
	      (u32)b[11] << 2 | b[12] >> 6;
	seq = (u32)(b[12] & 0x3f) << 24 | (u32)b[13] << 16 | (u32)b[14] << 8 | b[15];
	return tag == nsid_tag && seq < nsid_seq;
}

static struct nsctl_nsid *nsid_lookup(struct ns_common *ns)
{
	struct nsctl_nsid *id;

	lockdep_assert_held(&nsid_lock);
	hash_for_each_possible(nsid_by_ptr, id, by_ptr, (unsigned long)ns)
		if (id->ns == ns)
			return id;
	return NULL;
}

static struct ns_common *nsid_owner_ns(struct ns_common *ns)
{
	struct user_namespace *owner = ns->ops->owner(ns);

	return owner ? &owner->ns : NULL;
}

static struct ns_common *nsid_parent_ns(struct ns_common *ns, int type)
{
	if (type == NSCTL_NS_PID) {
		struct pid_namespace *p = container_of(ns, struct pid_namespace, ns);

		return p->parent ? &p->parent->ns : NULL;
	}
	if (type == NSCTL_NS_USER) {
		struct user_namespace *u = container_of(ns, struct user_namespace, ns);

		return u->parent ? &u->parent->ns : NULL;
	}
	return NULL;
}

/*
 * Track @ns.  @ns is kept alive by the caller (or, for a network
 * namespace, is being set up by the pernet init), and so are its owner
 * and parent, which it references.
 */
static struct nsctl_nsid *nsid_track(struct ns_common *ns, bool take_ref)
{
	struct nsctl_nsid *id, *owner = NULL, *parent = NULL;
	struct ns_common *rel;
	int type;

	lockdep_assert_held(&nsid_lock);
	id = nsid_lookup(ns);
	if (id)
		return id;

	type = nsctl_ns_type(ns);
	if (type < 0)
		return ERR_PTR(-EINVAL);
	/* A network namespace not in the table is being torn down. */
	if (type == NSCTL_NS_NET && take_ref)
		return ERR_PTR(-ESTALE);

	rel = nsid_owner_ns(ns);
	if (rel) {
		owner = nsid_track(rel, true);
		if (IS_ERR(owner))
			return owner;
	}
	rel = nsid_parent_ns(ns, type);
	if (rel) {
		parent = nsid_track(rel, true);
		if (IS_ERR(parent))
			return parent;
	}

	id = kmem_cache_zalloc(nsid_cache, GFP_KERNEL_ACCOUNT);
	if (!id)
		return ERR_PTR(-ENOMEM);
	id->ns = ns;
	id->type = type;
	id->inum = ns->inum;
	id->owner = owner;
	id->parent = parent;
	INIT_LIST_HEAD(&id->holders);
	INIT_LIST_HEAD(&id->pending);
	id->serial = nsid_seq;
	id->announced = type != NSCTL_NS_NET;
	nsid_changes++;
	nsid_gen_uuid(&id->uuid);
	if (take_ref) {
		nsctl_ns_get(ns);
		id->held = true;
	}
	hash_add(nsid_by_ptr, &id->by_ptr, (unsigned long)ns);
	hash_add(nsid_by_uuid, &id->by_uuid, uuid_hash(&id->uuid));
	list_add_tail(&id->node, &nsid_list);
	/* Not mod_delayed_work(): new entries must not postpone a run. */
	if (id->held)
		queue_delayed_work(system_wq, &nsid_gc_work,
				   msecs_to_jiffies(NSCTL_GC_MS));
	return id;
}

static void nsid_unlink(struct nsctl_nsid *id)
{
	lockdep_assert_held(&nsid_lock);
	WARN_ON_ONCE(!list_empty(&id->holders));
	nsid_changes++;
	list_del(&id->pending);
	hash_del(&id->by_ptr);
	hash_del(&id->by_uuid);
	list_del(&id->node);
}

/* Is the network namespace @ns on the kernel's list, its creation done? */
static bool nsid_net_listed(struct ns_common *ns)
{
	struct net *net = container_of(ns, struct net, ns), *tmp;
	bool found = false;

	rcu_read_lock();
	for_each_net_rcu(tmp) {
		if (tmp == net) {
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

static bool nsid_ready(struct nsctl_nsid *id)
{
	lockdep_assert_held(&nsid_lock);
	return id->announced || nsid_net_listed(id->ns);
}

/* A namespace message's attributes. */
/* Room for @id's whole message, holders included. */
static size_t nsid_msg_size(const struct nsctl_nsid *id)
{
	return 3 * nla_total_size(sizeof(id->uuid)) + 2 * nla_total_size(sizeof(u32)) +
	       id->nholders * nla_total_size_64bit(sizeof(u64));
}

/* Does @v (NULL: an event, everyone) see the container of the claim @h? */
static bool nsid_holder_seen(const struct nsctl_viewer *v,
			     const struct nsctl_holder *h)
{
	struct ns_common *slots[NSCTL_NS_COUNT];
	int i;

	lockdep_assert_held(&nsid_lock);
	if (!v)
		return true;
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		slots[i] = h->slots[i].id ? h->slots[i].id->ns : NULL;
	return nsctl_viewer_sees_slots(v, slots);
}

/*
 * A namespace message for @id, with its holders from the @*from'th on,
 * those @v sees (NULL: all).  -EMSGSIZE when they do not all fit: @*from
 * is then the first left out.
 */
static int nsid_fill_locked(struct sk_buff *skb, struct nsctl_nsid *id,
			    unsigned int *from, const struct nsctl_viewer *v)
{
	struct nsctl_holder *h;
	unsigned int i = 0;

	lockdep_assert_held(&nsid_lock);
	if (nla_put(skb, NSCTL_A_NS_UUID, sizeof(id->uuid), &id->uuid) ||
	    nla_put_u32(skb, NSCTL_A_NS_TYPE, id->type) ||
	    nla_put_u32(skb, NSCTL_A_NS_INUM, id->inum))
		return -EMSGSIZE;
	if (id->owner && nla_put(skb, NSCTL_A_NS_OWNER_UUID,
				 sizeof(id->owner->uuid), &id->owner->uuid))
		return -EMSGSIZE;
	if (id->parent && nla_put(skb, NSCTL_A_NS_PARENT_UUID,
				  sizeof(id->parent->uuid), &id->parent->uuid))
		return -EMSGSIZE;
	list_for_each_entry(h, &id->holders, node) {
		if (i++ < *from || !nsid_holder_seen(v, h))
			continue;
		if (nla_put_u64_64bit(skb, NSCTL_A_NS_CONTAINER, h->cid,
				      NSCTL_A_PAD)) {
			*from = i - 1;
			return -EMSGSIZE;
		}
	}
	return 0;
}

static void nsid_event(struct nsctl_nsid *id, u8 cmd)
{
	struct sk_buff *skb;

	lockdep_assert_held(&nsid_lock);
	unsigned int from = 0;

	if (nsid_quiet)
		return;
	skb = nsctl_event_new(cmd, nsid_msg_size(id));
	if (!skb)
		return;
	if (nsid_fill_locked(skb, id, &from, NULL)) {
		nsctl_event_cancel(skb);
		return;
	}
	nsctl_event_send(skb);
}

size_t nsctl_nsid_msg_size(struct ns_common *ns)
{
	struct nsctl_nsid *id;
	size_t size;

	mutex_lock(&nsid_lock);
	id = nsid_lookup(ns);
	size = id ? nsid_msg_size(id) : NLMSG_GOODSIZE;
	mutex_unlock(&nsid_lock);
	return size;
}

int nsctl_nsid_fill(struct sk_buff *skb, struct ns_common *ns,
		    const struct nsctl_viewer *v)
{
	unsigned int from = 0;
	struct nsctl_nsid *id;
	int ret;

	mutex_lock(&nsid_lock);
	id = nsid_track(ns, true);
	ret = IS_ERR(id) ? PTR_ERR(id) : nsid_fill_locked(skb, id, &from, v);
	mutex_unlock(&nsid_lock);
	return ret;
}

/*
 * Dump in tracking order, resuming after the last serial sent; whether the
 * reader may see an entry is decided as for the "namespaces" file.  An
 * entry whose holders do not fit in a part of its own goes on in the next
 * part, the namespace's identity repeated: cb->args[2] is the first holder
 * still to send of the entry at serial cb->args[0].
 */
int nsctl_nsid_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned int from, first, start;
	struct nsctl_nsid *id;
	u32 next = cb->args[0];
	int ret = 0;
	void *hdr;

	mutex_lock(&nsid_lock);
	cb->seq = nsid_changes;
	list_for_each_entry(id, &nsid_list, node) {
		if (cb->args[1] && (s32)(id->serial - next) < 0)
			continue;
		if (!nsid_ready(id) || !nsctl_viewer_sees(nsctl_dump_viewer(cb), id->ns))
			continue;
		first = cb->args[1] && id->serial == next ? cb->args[2] : 0;
		from = first;
		start = skb->len;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &nsctl_genl_family,
				  NLM_F_MULTI, NSCTL_CMD_GET_NS);
		if (!hdr) {
			ret = -EMSGSIZE;
			break;
		}
		genl_dump_check_consistent(cb, hdr);
		if (nsid_fill_locked(skb, id, &from, nsctl_dump_viewer(cb))) {
			/*
			 * Alone in the part and some holders in: send what
			 * fits, the rest follows.  Else the entry starts
			 * the next part.
			 */
			if (!start && from > first) {
				genlmsg_end(skb, hdr);
				cb->args[0] = id->serial;
				cb->args[1] = 1;
				cb->args[2] = from;
			} else {
				genlmsg_cancel(skb, hdr);
			}
			ret = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = id->serial + 1;
		cb->args[1] = 1;
		cb->args[2] = 0;
	}
	mutex_unlock(&nsid_lock);
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

int nsctl_nsid_hold(struct ns_common *ns, struct nsctl_holder *h)
{
	struct nsctl_nsid *id;

	mutex_lock(&nsid_lock);
	id = nsid_track(ns, true);
	if (!IS_ERR(id) && h) {
		h->id = id;
		list_add_tail(&h->node, &id->holders);
		id->nholders++;
		nsid_changes++;
	}
	mutex_unlock(&nsid_lock);
	return PTR_ERR_OR_ZERO(id);
}

void nsctl_nsid_unhold(struct nsctl_holder *h)
{
	if (!h->id)
		return;
	mutex_lock(&nsid_lock);
	list_del(&h->node);
	h->id->nholders--;
	nsid_changes++;
	h->id = NULL;
	mutex_unlock(&nsid_lock);
}

int nsctl_nsid_uuid(struct ns_common *ns, uuid_t *uuid)
{
	struct nsctl_nsid *id;

	mutex_lock(&nsid_lock);
	id = nsid_track(ns, true);
	if (!IS_ERR(id))
		uuid_copy(uuid, &id->uuid);
	mutex_unlock(&nsid_lock);
	return PTR_ERR_OR_ZERO(id);
}

int nsctl_nsid_info(struct ns_common *ns, struct nsctl_ns_info *info,
		    u64 *cids, u32 max_cids, const struct nsctl_viewer *v)
{
	struct nsctl_holder *h;
	struct nsctl_nsid *id;
	u32 n = 0;

	mutex_lock(&nsid_lock);
	id = nsid_track(ns, true);
	if (IS_ERR(id)) {
		mutex_unlock(&nsid_lock);
		return PTR_ERR(id);
	}
	info->type = id->type;
	info->inum = id->inum;
	memcpy(info->uuid, &id->uuid, sizeof(info->uuid));
	if (id->owner)
		memcpy(info->owner_uuid, &id->owner->uuid, sizeof(info->owner_uuid));
	if (id->parent)
		memcpy(info->parent_uuid, &id->parent->uuid, sizeof(info->parent_uuid));
	list_for_each_entry(h, &id->holders, node) {
		if (!nsid_holder_seen(v, h))
			continue;
		if (n < max_cids)
			cids[n] = h->cid;
		n++;
	}
	info->containers_count = n;
	mutex_unlock(&nsid_lock);
	return 0;
}

struct ns_common *nsctl_nsid_find(const uuid_t *uuid)
{
	struct ns_common *ns = ERR_PTR(-ENOENT);
	struct nsctl_nsid *id;

	mutex_lock(&nsid_lock);
	hash_for_each_possible(nsid_by_uuid, id, by_uuid, uuid_hash(uuid)) {
		if (!uuid_equal(&id->uuid, uuid))
			continue;
		/* Not announced, not yet fully made: not there yet. */
		if (!nsid_ready(id))
			goto out;
		/*
		 * A held entry keeps its namespace alive; a network one is
		 * alive until its pernet exit, unless its count already hit
		 * zero and teardown is queued.
		 */
		if (id->held || refcount_inc_not_zero(&id->ns->count)) {
			if (id->held)
				nsctl_ns_get(id->ns);
			ns = id->ns;
		} else {
			ns = ERR_PTR(-ESTALE);
		}
		break;
	}
	if (PTR_ERR(ns) == -ENOENT && nsid_issued_here(uuid))
		ns = ERR_PTR(-ESTALE);
out:
	mutex_unlock(&nsid_lock);
	return ns;
}

static void nsid_gc_fn(struct work_struct *work)
{
	struct nsctl_nsid *id, *tmp;
	bool more = false;
	LIST_HEAD(dead);

	mutex_lock(&nsid_lock);
	list_for_each_entry_safe(id, tmp, &nsid_list, node) {
		if (!id->held)
			continue;
		/* Only nsctl's reference is left: nobody can reach it. */
		if (refcount_read(&id->ns->count) == 1 && list_empty(&id->holders)) {
			nsid_unlink(id);
			list_add(&id->node, &dead);
		} else {
			more = true;
		}
	}
	if (more)
		schedule_delayed_work(&nsid_gc_work, msecs_to_jiffies(NSCTL_GC_MS));
	mutex_unlock(&nsid_lock);

	/* Dropping may free the namespace, and with it its owner's last ref. */
	list_for_each_entry_safe(id, tmp, &dead, node) {
		nsctl_ns_put(id->ns);
		kmem_cache_free(nsid_cache, id);
	}
}

static void nsid_net_fn(struct work_struct *work)
{
	struct nsctl_nsid *id, *tmp;
	bool more = false;

	mutex_lock(&nsid_lock);
	list_for_each_entry_safe(id, tmp, &nsid_pending, pending) {
		if (!nsid_net_listed(id->ns)) {
			more = true;
			continue;
		}
		list_del_init(&id->pending);
		id->announced = true;
		nsid_event(id, NSCTL_CMD_NETNS_CREATED);
	}
	if (more)
		queue_delayed_work(system_wq, &nsid_net_work, 1);
	mutex_unlock(&nsid_lock);
}

static int __net_init nsid_net_init(struct net *net)
{
	struct nsctl_nsid *id;

	mutex_lock(&nsid_lock);
	id = nsid_track(&net->ns, false);
	if (!IS_ERR(id)) {
		if (nsid_quiet) {
			/* Existing when the module loads: not news. */
			id->announced = true;
		} else {
			list_add_tail(&id->pending, &nsid_pending);
			queue_delayed_work(system_wq, &nsid_net_work, 1);
		}
	}
	mutex_unlock(&nsid_lock);
	return PTR_ERR_OR_ZERO(id);
}

static void __net_exit nsid_net_exit(struct net *net)
{
	struct nsctl_nsid *id;

	mutex_lock(&nsid_lock);
	id = nsid_lookup(&net->ns);
	if (id) {
		/*
		 * Not announced yet: its creation failed and is being undone
		 * by its creator, which still holds it; or it completed and
		 * the namespace lived less than a tick, and nothing holds it
		 * any more (the kernel's teardown runs at a count of zero).
		 * Announce the second both ways, in order.
		 */
		if (!id->announced && !refcount_read(&net->ns.count)) {
			id->announced = true;
			nsid_event(id, NSCTL_CMD_NETNS_CREATED);
		}
		if (id->announced)
			nsid_event(id, NSCTL_CMD_NETNS_DESTROYED);
		nsid_unlink(id);
	}
	mutex_unlock(&nsid_lock);
	if (id)
		kmem_cache_free(nsid_cache, id);
}

/* Tracking starts late in creation (device init) ... */
static struct pernet_operations nsid_net_start_ops = {
	.init = nsid_net_init,
};

/* ... and ends late in teardown (subsystem exit, after the devices'). */
static struct pernet_operations nsid_net_end_ops = {
	.exit = nsid_net_exit,
};

/* The top-level "namespaces" file: one line per visible namespace. */

static void *nsid_seq_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&nsid_lock);
	return seq_list_start(&nsid_list, *pos);
}

static void *nsid_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	return seq_list_next(v, &nsid_list, pos);
}

static void nsid_seq_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&nsid_lock);
}

static int nsid_seq_show(struct seq_file *m, void *v)
{
	struct nsctl_nsid *id = list_entry(v, struct nsctl_nsid, node);
	struct nsctl_holder *h;
	bool first = true;

	if (!nsid_ready(id) || !nsctl_viewer_sees(m->private, id->ns))
		return 0;
	seq_printf(m, "%pUb %s %u ", &id->uuid, nsctl_ns_name(id->type), id->inum);
	if (id->owner)
		seq_printf(m, "%pUb ", &id->owner->uuid);
	else
		seq_puts(m, "- ");
	if (id->parent)
		seq_printf(m, "%pUb ", &id->parent->uuid);
	else
		seq_puts(m, "- ");
	list_for_each_entry(h, &id->holders, node) {
		if (!nsid_holder_seen(m->private, h))
			continue;
		seq_printf(m, "%s%llu", first ? "" : ",", h->cid);
		first = false;
	}
	seq_puts(m, first ? "-\n" : "\n");
	return 0;
}

static const struct seq_operations nsid_seq_ops = {
	.start	= nsid_seq_start,
	.next	= nsid_seq_next,
	.stop	= nsid_seq_stop,
	.show	= nsid_seq_show,
};

/* Listed for whoever opened the file, as they were then. */
static int nsid_list_open(struct inode *inode, struct file *file)
{
	struct nsctl_viewer *v;

	v = __seq_open_private(file, &nsid_seq_ops, sizeof(*v));
	if (!v)
		return -ENOMEM;
	nsctl_viewer_init(v);
	return 0;
}

static int nsid_list_release(struct inode *inode, struct file *file)
{
	nsctl_viewer_release(((struct seq_file *)file->private_data)->private);
	return seq_release_private(inode, file);
}

const struct file_operations nsctl_nsid_list_fops = {
	.owner		= THIS_MODULE,
	.open		= nsid_list_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= nsid_list_release,
};

int nsctl_nsid_init(void)
{
	int ret;

	nsid_cache = KMEM_CACHE(nsctl_nsid, 0);
	if (!nsid_cache)
		return -ENOMEM;
	get_random_bytes(&nsid_tag, sizeof(nsid_tag));

	ret = register_pernet_subsys(&nsid_net_end_ops);
	if (ret)
		goto err_destroy_cache;
	WRITE_ONCE(nsid_quiet, true);
	ret = register_pernet_device(&nsid_net_start_ops);
	WRITE_ONCE(nsid_quiet, false);
	if (ret)
		goto err_unregister_subsys;
	return 0;

err_unregister_subsys:
	unregister_pernet_subsys(&nsid_net_end_ops);
err_destroy_cache:
	kmem_cache_destroy(nsid_cache);
	return ret;
}

void nsctl_nsid_uninit(void)
{
	struct nsctl_nsid *id, *tmp;
	LIST_HEAD(all);

	mutex_lock(&nsid_lock);
	nsid_quiet = true;
	mutex_unlock(&nsid_lock);
	unregister_pernet_device(&nsid_net_start_ops);
	unregister_pernet_subsys(&nsid_net_end_ops);
	cancel_delayed_work_sync(&nsid_net_work);
	cancel_delayed_work_sync(&nsid_gc_work);

	/*
	 * No container is left (the module cannot be unloaded under one), so
	 * what remains are held entries: drop them, newest (children) first.
	 */
	mutex_lock(&nsid_lock);
	list_for_each_entry_safe(id, tmp, &nsid_list, node) {
		nsid_unlink(id);
		list_add(&id->node, &all);
	}
	mutex_unlock(&nsid_lock);
	list_for_each_entry_safe(id, tmp, &all, node) {
		if (id->held)
			nsctl_ns_put(id->ns);
		kmem_cache_free(nsid_cache, id);
	}
	kmem_cache_destroy(nsid_cache);
}
