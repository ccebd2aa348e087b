// SPDX-License-Identifier: GPL-2.0
/*
 * Container objects: creation (pool members too), the registry, the
 * namespace slots, the UUID, deletion.  The cgroup is bound in cgroup.c.
 * The filesystem (fs.c) and the ioctls (ioctl.c) are views of what lives
 * here.
 */
#include <linux/cgroup.h>
#include <linux/ctype.h>
#include <linux/file.h>
#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/lockdep.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/namei.h>
#include <linux/ns_common.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/stringhash.h>
#include <linux/timekeeping.h>

#include "container.h"
#include "event.h"
#include "label.h"
#include "ns.h"

static DEFINE_MUTEX(nsctl_lock);
static LIST_HEAD(nsctl_containers);
/* Lookups by name, id and UUID in constant time, under nsctl_lock. */
static DEFINE_HASHTABLE(nsctl_by_name, 10);
static DEFINE_HASHTABLE(nsctl_by_id, 10);
static DEFINE_HASHTABLE(nsctl_by_uuid, 10);

static u32 nsctl_name_hash(const char *name)
{
	return full_name_hash(NULL, name, strlen(name));
}

static u32 nsctl_uuid_hash(const uuid_t *uuid)
{
	return jhash(uuid, sizeof(*uuid), 0);
}

/* Registered containers (dead ones leave at once) of that name, id, UUID. */
static struct nsctl_container *nsctl_by_name_locked(const char *name)
{
	struct nsctl_container *c;

	lockdep_assert_held(&nsctl_lock);
	hash_for_each_possible(nsctl_by_name, c, by_name, nsctl_name_hash(name))
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static struct nsctl_container *nsctl_by_id_locked(u64 id)
{
	struct nsctl_container *c;

	lockdep_assert_held(&nsctl_lock);
	hash_for_each_possible(nsctl_by_id, c, by_id, id)
		if (c->id == id)
			return c;
	return NULL;
}

static struct nsctl_container *nsctl_by_uuid_locked(const uuid_t *uuid)
{
	struct nsctl_container *c;

	lockdep_assert_held(&nsctl_lock);
	hash_for_each_possible(nsctl_by_uuid, c, by_uuid, nsctl_uuid_hash(uuid))
		if (uuid_equal(&c->uuid, uuid))
			return c;
	return NULL;
}

static u64 nsctl_next_id = 1;

/* Containers with labels above NSCTL_LABELS_BIG, for dumps to make room. */
static atomic_t nsctl_big_labels = ATOMIC_INIT(0);

static bool nsctl_labels_big(const struct nsctl_labels *labels)
{
	return nsctl_labels_msg_size(labels) > NSCTL_LABELS_BIG;
}

bool nsctl_container_big_labels(void)
{
	return atomic_read(&nsctl_big_labels) > 0;
}

int nsctl_name_valid(const char *name, size_t len)
{
	size_t i;

	if (len == 0)
		return -EINVAL;
	if (len > NSCTL_NAME_MAX)
		return -ENAMETOOLONG;
	for (i = 0; i < len; i++) {
		char ch = name[i];

		if (ch & 0x80)
			return -EINVAL;
		if (isalnum(ch))
			continue;
		if (i == 0 || !ch || !strchr("_.-:@+", ch))
			return -EINVAL;
	}
	return 0;
}

static struct nsctl_container *nsctl_container_alloc(size_t room)
{
	struct nsctl_container *c;
	int i;

	c = kzalloc(struct_size(c, name, room), GFP_KERNEL_ACCOUNT);
	if (!c)
		return NULL;
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		c->holders[i].slots = c->holders;
	kref_init(&c->ref);
	mutex_init(&c->lock);
	seqcount_mutex_init(&c->seq, &c->lock);
	INIT_LIST_HEAD(&c->node);
	INIT_LIST_HEAD(&c->fired_node);
	c->generation = 1;
	c->created = ktime_get_real_seconds();
	atomic64_set(&c->enters, 0);
	uuid_gen(&c->uuid);
	return c;
}

/* Enter @c in the registry under a new id; nsctl_lock held. */
static void nsctl_container_register(struct nsctl_container *c)
{
	int i;

	lockdep_assert_held(&nsctl_lock);
	c->id = nsctl_next_id++;
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		c->holders[i].cid = c->id;
	list_add_tail(&c->node, &nsctl_containers);
	hash_add(nsctl_by_name, &c->by_name, nsctl_name_hash(c->name));
	hash_add(nsctl_by_id, &c->by_id, c->id);
	hash_add(nsctl_by_uuid, &c->by_uuid, nsctl_uuid_hash(&c->uuid));
}

struct nsctl_container *nsctl_container_create(const char *name)
{
	struct nsctl_container *c;
	size_t len = strlen(name);
	int ret;

	ret = nsctl_name_valid(name, len);
	if (ret)
		return ERR_PTR(ret);

	c = nsctl_container_alloc(len + 1);
	if (!c)
		return ERR_PTR(-ENOMEM);
	memcpy(c->name, name, len);

	mutex_lock(&nsctl_lock);
	if (nsctl_by_name_locked(name)) {
		mutex_unlock(&nsctl_lock);
		kfree(c);
		return ERR_PTR(-EEXIST);
	}
	nsctl_container_register(c);
	mutex_unlock(&nsctl_lock);
	return c;
}

static int nsctl_names_taken_locked(const char *name, const uuid_t *uuid,
				    const char **why)
{
	lockdep_assert_held(&nsctl_lock);
	if (nsctl_by_name_locked(name)) {
		*why = "a container of that name exists";
		return -EEXIST;
	}
	if (uuid && nsctl_by_uuid_locked(uuid)) {
		*why = "another container has this UUID";
		return -EEXIST;
	}
	return 0;
}

int nsctl_container_names_free(const char *name, const uuid_t *uuid,
			       const char **why)
{
	int ret;

	mutex_lock(&nsctl_lock);
	ret = nsctl_names_taken_locked(name, uuid, why);
	mutex_unlock(&nsctl_lock);
	return ret;
}

struct nsctl_container *nsctl_container_create_member(void)
{
	struct nsctl_container *c;

	c = nsctl_container_alloc(NSCTL_NAME_MAX + 1);
	return c ?: ERR_PTR(-ENOMEM);
}

int nsctl_container_adopt(struct nsctl_container *c, const char *name,
			  const uuid_t *uuid, const char **why)
{
	int ret = 0;

	mutex_lock(&nsctl_lock);
	mutex_lock(&c->lock);
	if (c->dead || c->id) {
		*why = "the member is gone";
		ret = -ENOENT;
	} else {
		ret = nsctl_names_taken_locked(name, uuid, why);
	}
	if (ret)
		goto out;
	strscpy(c->name, name, NSCTL_NAME_MAX + 1);
	if (uuid)
		uuid_copy(&c->uuid, uuid);
	/* A random UUID is taken only by chance: draw again. */
	while (nsctl_by_uuid_locked(&c->uuid))
		uuid_gen(&c->uuid);
	c->created = ktime_get_real_seconds();
	nsctl_container_register(c);
	nsctl_nsid_set_cid(c->holders, c->id);
out:
	mutex_unlock(&c->lock);
	mutex_unlock(&nsctl_lock);
	return ret;
}

/*
 * The container is complete: make it findable and announce it.  False
 * when it was deleted (through its directory) before that.
 */
bool nsctl_container_publish(struct nsctl_container *c)
{
	bool ret;

	mutex_lock(&nsctl_lock);
	mutex_lock(&c->lock);
	ret = !c->dead;
	if (ret) {
		c->published = true;
		nsctl_event_container(c, NSCTL_CMD_CONTAINER_CREATED, 0, 0);
	}
	mutex_unlock(&c->lock);
	mutex_unlock(&nsctl_lock);
	return ret;
}

int nsctl_container_set_labels(struct nsctl_container *c, const char *edits,
			       size_t len, bool only_set, const char **why)
{
	bool was;
	int ret;

	mutex_lock(&c->lock);
	was = nsctl_labels_big(c->labels);
	if (c->dead) {
		*why = "the container was deleted";
		ret = -ENODEV;
	} else {
		ret = nsctl_labels_edit(&c->labels, edits, len, only_set, why);
	}
	if (ret > 0 && was != nsctl_labels_big(c->labels)) {
		if (was)
			atomic_dec(&nsctl_big_labels);
		else
			atomic_inc(&nsctl_big_labels);
	}
	if (ret > 0 && c->published)
		nsctl_event_container(c, NSCTL_CMD_CONTAINER_CHANGED,
				      NSCTL_CHANGED_LABELS, 0);
	mutex_unlock(&c->lock);
	return ret < 0 ? ret : 0;
}

void nsctl_container_set_policy(struct nsctl_container *c, u8 *policy,
				u8 value)
{
	mutex_lock(&c->lock);
	if (*policy != value && !c->dead) {
		write_seqcount_begin(&c->seq);
		*policy = value;
		write_seqcount_end(&c->seq);
		if (c->published)
			nsctl_event_container(c, NSCTL_CMD_CONTAINER_CHANGED,
					      NSCTL_CHANGED_POLICY, 0);
	}
	mutex_unlock(&c->lock);
}

/* After the filesystem let go of a deleted container: announce it. */
void nsctl_container_deleted(struct nsctl_container *c)
{
	mutex_lock(&c->lock);
	if (c->published)
		nsctl_event_container(c, NSCTL_CMD_CONTAINER_DELETED, 0, 0);
	mutex_unlock(&c->lock);
}

struct nsctl_container *nsctl_container_find(const char *name, const u64 *id,
					     const uuid_t *uuid)
{
	struct nsctl_container *c, *found = NULL;

	mutex_lock(&nsctl_lock);
	if (name)
		c = nsctl_by_name_locked(name);
	else if (id)
		c = nsctl_by_id_locked(*id);
	else
		c = uuid ? nsctl_by_uuid_locked(uuid) : NULL;
	/* Only a publisher or a deleter changes these, under both locks. */
	if (c && (!id || c->id == *id) && (!uuid || uuid_equal(&c->uuid, uuid)) &&
	    c->published && !c->dead) {
		nsctl_container_get(c);
		found = c;
	}
	mutex_unlock(&nsctl_lock);
	return found;
}

/*
 * What a dump sent of @c: its identity and everything that changes with
 * a CHANGED event.  Sums of these tell whether an earlier part still holds.
 */
u64 nsctl_container_digest_one(struct nsctl_container *c)
{
	/* No padding: every byte hashed is set. */
	struct {
		u64 id, generation;
		uuid_t uuid;
		u64 policies;
	} key = {
		.id = c->id,
		.generation = c->generation,
		.uuid = c->uuid,
		.policies = (u64)nsctl_labels_hash(c->labels) << 16 |
			    c->on_empty << 8 | c->enter_policy,
	};

	BUILD_BUG_ON(sizeof(key) != 40);
	lockdep_assert_held(&c->lock);
	/* The count in the high half, so that a sum never mistakes two for one. */
	return (1ULL << 32) + jhash(&key, sizeof(key), 0);
}

u64 nsctl_container_digest(u64 pos)
{
	struct nsctl_container *c;
	u64 sum = 0;

	mutex_lock(&nsctl_lock);
	list_for_each_entry(c, &nsctl_containers, node) {
		if (c->id > pos)
			break;
		mutex_lock(&c->lock);
		if (c->published && !c->dead)
			sum += nsctl_container_digest_one(c);
		mutex_unlock(&c->lock);
	}
	mutex_unlock(&nsctl_lock);
	return sum;
}

int nsctl_container_for_each(u64 *pos,
			     int (*fn)(struct nsctl_container *c, void *arg),
			     void *arg)
{
	struct nsctl_container *c;
	int ret = 0;

	mutex_lock(&nsctl_lock);
	/* The list is in id order: ids grow and entries are added at the end. */
	list_for_each_entry(c, &nsctl_containers, node) {
		if (c->id <= *pos || !c->published)
			continue;
		mutex_lock(&c->lock);
		ret = c->dead ? 0 : fn(c, arg);
		mutex_unlock(&c->lock);
		if (ret)
			break;
		*pos = c->id;
	}
	mutex_unlock(&nsctl_lock);
	return ret;
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
	if (nsctl_labels_big(c->labels))
		atomic_dec(&nsctl_big_labels);
	nsctl_labels_free(c->labels);
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
int nsctl_container_delete(struct nsctl_container *c, const u64 *expect_gen)
{
	struct ns_common *old[NSCTL_NS_COUNT];
	struct dentry *old_dentry[NSCTL_NS_COUNT];
	struct path cgrp_path;
	struct cgroup *cgrp;
	int ret, i;

	/* No enter may start while the container is checked for tasks. */
	mutex_lock(&c->lock);
	if (c->dead || c->deleting) {
		mutex_unlock(&c->lock);
		return c->dead ? -ENOENT : -EBUSY;
	}
	if (expect_gen && *expect_gen != c->generation) {
		mutex_unlock(&c->lock);
		return -ESTALE;
	}
	write_seqcount_begin(&c->seq);
	c->deleting = true;
	write_seqcount_end(&c->seq);
	mutex_unlock(&c->lock);

	/*
	 * Nobody can have entered a container that never had a directory
	 * (a failed create); @dentry is stable under the root's lock, which
	 * every caller that may have one holds.
	 */
	ret = c->dentry ?
	      nsctl_container_walk_tasks(c, nsctl_found_task, NULL) : 0;
	if (ret) {
		mutex_lock(&c->lock);
		write_seqcount_begin(&c->seq);
		c->deleting = false;
		write_seqcount_end(&c->seq);
		mutex_unlock(&c->lock);
		return ret < 0 ? ret : -EBUSY;
	}

	mutex_lock(&nsctl_lock);
	mutex_lock(&c->lock);
	nsctl_watch_disarm(c);
	memcpy(old, c->ns, sizeof(old));
	cgrp = c->cgrp;
	write_seqcount_begin(&c->seq);
	c->deleting = false;
	c->dead = true;
	c->generation++;
	memset(c->ns, 0, sizeof(c->ns));
	memset(c->ns_uuid, 0, sizeof(c->ns_uuid));
	c->held = 0;
	c->cgrp = NULL;
	write_seqcount_end(&c->seq);
	memcpy(old_dentry, c->ns_dentry, sizeof(old_dentry));
	memset(c->ns_dentry, 0, sizeof(c->ns_dentry));
	nsctl_nsid_claim(c->holders, NSCTL_NS_ALL, c->ns);
	cgrp_path = c->cgrp_path;
	c->cgrp_path = (struct path){};
	list_del_init(&c->node);
	hash_del(&c->by_name);
	hash_del(&c->by_id);
	hash_del(&c->by_uuid);
	mutex_unlock(&c->lock);
	mutex_unlock(&nsctl_lock);

	/* Namespace teardown may sleep and take other locks: none held. */
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		dput(old_dentry[i]);
		if (old[i])
			nsctl_ns_put(old[i]);
	}
	if (cgrp)
		cgroup_put(cgrp);
	path_put(&cgrp_path);
	nsctl_container_put(c);
	return 0;
}

int nsctl_container_set_ns(struct nsctl_container *c, u64 attach,
			   struct ns_common **new, struct dentry **dentries,
			   u64 detach, const u64 *expect_gen, u64 *generation)
{
	struct ns_common *old[NSCTL_NS_COUNT] = { NULL };
	struct dentry *old_dentry[NSCTL_NS_COUNT] = { NULL };
	struct ns_common *next[NSCTL_NS_COUNT];
	u64 changed = 0;
	int ret = 0, i;

	/* Track first, where it may fail, so the change below cannot. */
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (!(attach & NSCTL_NS_BIT(i)))
			continue;
		ret = nsctl_nsid_track(new[i]);
		if (ret)
			return ret;
		nsctl_ns_learn(new[i]);
	}

	mutex_lock(&c->lock);
	if (c->dead) {
		ret = -ESTALE;
		goto out;
	}
	/* A delete is looking for processes: nothing may bring one in. */
	if (c->deleting) {
		ret = -EBUSY;
		goto out;
	}
	if (expect_gen && *expect_gen != c->generation) {
		ret = -ESTALE;
		goto out;
	}
	memcpy(next, c->ns, sizeof(next));
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (attach & NSCTL_NS_BIT(i)) {
			/* The same namespace: keep it, learn its dentry. */
			if (new[i] == c->ns[i]) {
				if (!c->ns_dentry[i] && dentries) {
					c->ns_dentry[i] = dentries[i];
					dentries[i] = NULL;
				}
				continue;
			}
			old[i] = c->ns[i];
			old_dentry[i] = c->ns_dentry[i];
			next[i] = new[i];
			new[i] = NULL;
			c->ns_dentry[i] = dentries ? dentries[i] : NULL;
			if (dentries)
				dentries[i] = NULL;
			changed |= NSCTL_NS_BIT(i);
		} else if ((detach & NSCTL_NS_BIT(i)) && c->ns[i]) {
			old[i] = c->ns[i];
			old_dentry[i] = c->ns_dentry[i];
			next[i] = NULL;
			c->ns_dentry[i] = NULL;
			changed |= NSCTL_NS_BIT(i);
		}
	}
	if (changed) {
		/* Tracked above: this only moves the claims, all at once. */
		nsctl_nsid_claim(c->holders, changed, next);
		write_seqcount_begin(&c->seq);
		memcpy(c->ns, next, sizeof(next));
		for (i = 0; i < NSCTL_NS_COUNT; i++) {
			if (changed & NSCTL_NS_BIT(i))
				nsctl_holder_uuid(&c->holders[i], &c->ns_uuid[i]);
			if (next[i])
				c->held |= NSCTL_NS_BIT(i);
			else
				c->held &= ~NSCTL_NS_BIT(i);
		}
		c->generation++;
		write_seqcount_end(&c->seq);
	}
	if (changed & NSCTL_NS_BIT(NSCTL_NS_PID))
		nsctl_watch_disarm(c);
	nsctl_container_watch_locked(c);
	if (changed && c->published)
		nsctl_event_container(c, NSCTL_CMD_CONTAINER_CHANGED, changed, 0);
	*generation = c->generation;
out:
	mutex_unlock(&c->lock);
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		dput(old_dentry[i]);
		if (old[i])
			nsctl_ns_put(old[i]);
	}
	return ret;
}

/* Takes over @cgrp's reference; takes its own on @path. */
int nsctl_container_set_uuid(struct nsctl_container *c, const uuid_t *uuid)
{
	bool changed;
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
	/* Another's UUID is stable while nsctl_lock is held. */
	other = nsctl_by_uuid_locked(uuid);
	if (other && other != c) {
		ret = -EEXIST;
		goto out;
	}
	changed = !uuid_equal(&c->uuid, uuid);
	if (changed) {
		hash_del(&c->by_uuid);
		uuid_copy(&c->uuid, uuid);
		hash_add(nsctl_by_uuid, &c->by_uuid, nsctl_uuid_hash(&c->uuid));
	}
	if (changed && c->published)
		nsctl_event_container(c, NSCTL_CMD_CONTAINER_CHANGED,
				      NSCTL_CHANGED_UUID, 0);
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
