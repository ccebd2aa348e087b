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
 * namespace any more, and a collector drops the reference and the entry.
 *
 * The collector looks only at candidates: entries that hold a reference
 * and that no container holds (a container's namespace cannot go).  It
 * has no work, and does not run, while there are none.  A candidate is
 * checked NSCTL_GC_MS after it became one (tracked, or let go by its last
 * container), then at intervals doubling up to NSCTL_GC_MS << (NSID_GENS
 * - 1), as namespaces that stay in use tend to stay in use: the cost per
 * period falls with a candidate's age, and a namespace outlives its last
 * user by at most that longest interval (a quarter of a second after a
 * container lets go of it, the common case).
 *
 * UUIDs are version 7 (RFC 9562): 48 bits of Unix time in milliseconds,
 * 12 random bits, then 62 bits made of a random 32-bit tag drawn when the
 * module loads and a 30-bit counter.  Within one load the counter makes
 * them unique by construction; across loads, boots and machines the 44
 * random bits and the time do.  The tag also tells apart a UUID this load
 * issued, whose namespace is gone (ESTALE), from one it never issued
 * (ENOENT), without remembering the dead.
 *
 * Locking: nsid_lock (a mutex) protects the tables, the list, every
 * entry's holder list and the collector's generations.  It may be taken
 * with a container's lock held, never the other way round.
 *
 * What the tracked namespaces look like from outside (netlink messages,
 * NS_INFO, the "namespaces" file) is nsid_view.c's.
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
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include "event.h"
#include "ns.h"
#include "nsid.h"
#include "nsid_int.h"

#define NSCTL_GC_MS	250
/*
 * Candidate generations: checked every NSCTL_GC_MS << gen (to 1 s).  The
 * longest interval bounds how long a namespace outlives its last user;
 * for a mount namespace that holds a copy of nsctl's mount, how long it
 * keeps the module from unloading.
 */
#define NSID_GENS	3

/* What it protects: see nsid_int.h and "Locking" above. */
DEFINE_MUTEX(nsid_lock);
static DEFINE_HASHTABLE(nsid_by_ptr, 12);
static DEFINE_HASHTABLE(nsid_by_uuid, 12);
LIST_HEAD(nsid_list);
static struct kmem_cache *nsid_cache;
static u32 nsid_tag;
static u32 nsid_seq;
unsigned int nsid_changes;	/* for dumps: entries or holders changed */
static LIST_HEAD(nsid_pending);
static struct list_head nsid_gens[NSID_GENS];
static unsigned int nsid_gc_tick;
bool nsid_quiet;		/* module load and unload: no net events */

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

struct nsctl_nsid *nsid_lookup(struct ns_common *ns)
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
 * @id may have become a candidate for collection (it holds a reference,
 * no container holds it): to the youngest generation.  An initial
 * namespace never is one: it lives as long as the kernel.
 */
static void nsid_gc_add(struct nsctl_nsid *id)
{
	lockdep_assert_held(&nsid_lock);
	if (!id->held || id->nholders || nsctl_ns_permanent(id->ns))
		return;
	list_move_tail(&id->gc, &nsid_gens[0]);
	/* Not mod_delayed_work(): new candidates must not postpone a run. */
	queue_delayed_work(system_wq, &nsid_gc_work, msecs_to_jiffies(NSCTL_GC_MS));
}

/* No candidate left: a run already queued would find nothing. */
static void nsid_gc_idle(void)
{
	int gen;

	lockdep_assert_held(&nsid_lock);
	for (gen = 0; gen < NSID_GENS; gen++)
		if (!list_empty(&nsid_gens[gen]))
			return;
	cancel_delayed_work(&nsid_gc_work);
}

/*
 * Track @ns.  @ns is kept alive by the caller (or, for a network
 * namespace, is being set up by the pernet init), and so are its owner
 * and parent, which it references.
 */
struct nsctl_nsid *nsid_track(struct ns_common *ns, bool take_ref)
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
	if (type == NSCTL_NS_NET)
		id->cookie = nsctl_net_cookie(ns);
	id->owner = owner;
	id->parent = parent;
	INIT_LIST_HEAD(&id->holders);
	INIT_LIST_HEAD(&id->pending);
	INIT_LIST_HEAD(&id->gc);
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
	nsid_gc_add(id);
	return id;
}

static void nsid_unlink(struct nsctl_nsid *id)
{
	lockdep_assert_held(&nsid_lock);
	WARN_ON_ONCE(!list_empty(&id->holders));
	nsid_changes++;
	list_del(&id->pending);
	list_del(&id->gc);
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

bool nsid_ready(struct nsctl_nsid *id)
{
	lockdep_assert_held(&nsid_lock);
	return id->announced || nsid_net_listed(id->ns);
}

int nsctl_nsid_track(struct ns_common *ns)
{
	struct nsctl_nsid *id;

	mutex_lock(&nsid_lock);
	id = nsid_track(ns, true);
	mutex_unlock(&nsid_lock);
	return PTR_ERR_OR_ZERO(id);
}

void nsctl_nsid_claim(struct nsctl_holder *slots, u64 mask,
		      struct ns_common *const *ns)
{
	struct nsctl_holder *h;
	struct nsctl_nsid *id;
	int i;

	mutex_lock(&nsid_lock);
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (!(mask & NSCTL_NS_BIT(i)))
			continue;
		h = &slots[i];
		if (h->id) {
			list_del(&h->node);
			h->id->nholders--;
			nsid_gc_add(h->id);
			h->id = NULL;
		}
		id = ns[i] ? nsid_lookup(ns[i]) : NULL;
		if (WARN_ON_ONCE(ns[i] && !id))
			continue;
		if (!id)
			continue;
		h->id = id;
		list_add_tail(&h->node, &id->holders);
		id->nholders++;
		/* Held by a container: nothing to collect while it is. */
		list_del_init(&id->gc);
	}
	nsid_changes++;
	nsid_gc_idle();
	mutex_unlock(&nsid_lock);
}

void nsctl_nsid_set_cid(struct nsctl_holder *slots, u64 cid)
{
	int i;

	mutex_lock(&nsid_lock);
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		slots[i].cid = cid;
	nsid_changes++;
	mutex_unlock(&nsid_lock);
}

void nsctl_holder_uuid(const struct nsctl_holder *h, uuid_t *uuid)
{
	/* Written under both locks (set_ns, delete); read under the first. */
	const struct nsctl_nsid *id = READ_ONCE(h->id);

	uuid_copy(uuid, id ? &id->uuid : &uuid_null);
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

/*
 * One period: the generations due (gen every 1 << gen periods), oldest
 * first, so that a candidate moved up one is not looked at twice.
 */
static void nsid_gc_fn(struct work_struct *work)
{
	struct nsctl_nsid *id, *tmp;
	bool more = false;
	LIST_HEAD(dead);
	int gen;

	mutex_lock(&nsid_lock);
	for (gen = NSID_GENS - 1; gen >= 0; gen--) {
		if (nsid_gc_tick & ((1U << gen) - 1))
			continue;
		list_for_each_entry_safe(id, tmp, &nsid_gens[gen], gc) {
			/* Only nsctl's reference is left: nobody can reach it. */
			if (refcount_read(&id->ns->count) == 1) {
				nsid_unlink(id);
				list_add(&id->node, &dead);
			} else if (gen < NSID_GENS - 1) {
				list_move_tail(&id->gc, &nsid_gens[gen + 1]);
			}
		}
	}
	nsid_gc_tick++;
	for (gen = 0; gen < NSID_GENS; gen++)
		more |= !list_empty(&nsid_gens[gen]);
	if (more)
		queue_delayed_work(system_wq, &nsid_gc_work, msecs_to_jiffies(NSCTL_GC_MS));
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

int nsctl_nsid_init(void)
{
	int ret;

	for (ret = 0; ret < NSID_GENS; ret++)
		INIT_LIST_HEAD(&nsid_gens[ret]);
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
