/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSCTL_CONTAINER_H
#define _NSCTL_CONTAINER_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/path.h>
#include <linux/nsctl.h>
#include <linux/seqlock.h>
#include <linux/uuid.h>
#include <linux/wait.h>

#include "nsid.h"

struct cgroup;
struct dentry;
struct ns_common;
struct pid;
struct task_struct;

#define NSCTL_FILE_COUNT	13

/*
 * struct nsctl_container - a set of pinned namespaces and a cgroup
 *
 * References (@ref): one from the registry from creation until deletion,
 * one from each inode of the container's directory and files (dropped when
 * the inode is evicted), and one per temporary user.  Deletion empties the
 * slots and the cgroup at once, so a deleted container that is still
 * referenced holds no namespace; the memory goes with the last reference.
 *
 * A container is published once it is complete (mkdir: at once; the
 * netlink create: once everything asked for is attached): only then is it
 * found by lookups and dumps, and only then are events sent about it, the
 * first being "created".
 *
 * A pool member (pool.c) is in no registry until claimed: @node links it
 * in its pool, under the pool's lock, and its @id is 0.
 *
 * Locking: nsctl_lock (container.c) protects the registry (its list and
 * hash tables) and the uniqueness of names and UUIDs.  @lock protects @deleting, @dead,
 * @published, @generation, @ns, @ns_dentry, @holders, @cgrp, @uuid,
 * @watch_pid, the policies and @labels.
 * Order: the VFS's directory locks, then nsctl_lock, then @lock, then
 * nsid.c's lock, then the event lock (genl.c).  @id, @name and @created
 * never change after creation.
 *
 * @seq lets the enter path read without @lock (enter.c): every store to
 * @deleting, @dead, @generation, @ns, @held, @ns_uuid, @cgrp or
 * @enter_policy is
 * made under @lock inside a write section of @seq, which does not sleep.
 * @ns_uuid mirrors the UUID of each slot's claim (@holders), for readers
 * that cannot follow the claim.
 */
struct nsctl_container {
	struct kref ref;
	struct list_head node;		/* the registry, in id order */
	struct hlist_node by_name;	/* the registry's hash tables */
	struct hlist_node by_id;
	struct hlist_node by_uuid;
	u64 id;
	time64_t created;
	u64 pooled;			/* pool.c: when a member joined */
	atomic64_t enters;

	struct mutex lock;		/* see above */
	seqcount_mutex_t seq;		/* see above */
	bool deleting;			/* a delete is checking for tasks */
	bool dead;
	bool published;
	u8 on_empty;			/* enum nsctl_on_empty */
	u8 enter_policy;		/* enum nsctl_enter_policy */
	u64 generation;
	uuid_t uuid;
	struct ns_common *ns[NSCTL_NS_COUNT];
	u64 held;			/* the types of the slots not empty */
	/* Each slot's nsfs dentry, when it came by a file (see enter.c). */
	struct dentry *ns_dentry[NSCTL_NS_COUNT];
	struct nsctl_holder holders[NSCTL_NS_COUNT];
	uuid_t ns_uuid[NSCTL_NS_COUNT];
	struct cgroup *cgrp;
	struct path cgrp_path;	/* the directory @cgrp was bound from */

	/* The init of the held PID namespace, waited for (see container.c). */
	struct pid *watch_pid;
	struct wait_queue_entry watch;
	struct list_head fired_node;	/* on the fired list, under its lock */
	bool fired;

	struct nsctl_labels *labels;	/* label.c; NULL: none */

	/* Owned by fs.c: the container's directory and its files, pinned. */
	struct dentry *dentry;
	struct dentry *files[NSCTL_FILE_COUNT];

	char name[];			/* NUL-terminated */
};

int nsctl_name_valid(const char *name, size_t len);

struct nsctl_container *nsctl_container_create(const char *name);

/*
 * A pool member (pool.c): a container in no registry, with no name, id or
 * directory, until nsctl_container_adopt() names it @name (and @uuid, when
 * given) and registers it; then nsctl_fs_add() and publish as a create.
 * Adopt fails with -EEXIST when the name or the UUID is taken (*@why
 * says which), leaving the member as it was.
 */
struct nsctl_container *nsctl_container_create_member(void);
int nsctl_container_adopt(struct nsctl_container *c, const char *name,
			  const uuid_t *uuid, const char **why);
/* Are @name and @uuid (if given) free now?  0, or -EEXIST with *@why. */
int nsctl_container_names_free(const char *name, const uuid_t *uuid,
			       const char **why);
bool nsctl_container_publish(struct nsctl_container *c);
int nsctl_container_delete(struct nsctl_container *c, const u64 *expect_gen);
void nsctl_container_deleted(struct nsctl_container *c);
void nsctl_container_get(struct nsctl_container *c);
void nsctl_container_put(struct nsctl_container *c);

/*
 * Attach @new[i] for each type in @attach (with @dentries[i], its nsfs
 * dentry, when @dentries is given and it has one), detach @detach.  What
 * is taken over is set to NULL in the arrays; the rest stays the caller's.
 */
int nsctl_container_set_ns(struct nsctl_container *c, u64 attach,
			   struct ns_common **new, struct dentry **dentries,
			   u64 detach, const u64 *expect_gen, u64 *generation);
int nsctl_container_set_cgroup(struct nsctl_container *c, struct cgroup *cgrp,
			       const struct path *path, u64 *generation);
int nsctl_container_bind_cgroup_fd(struct nsctl_container *c, int fd,
				   u64 *generation);
int nsctl_container_set_uuid(struct nsctl_container *c, const uuid_t *uuid);
struct ns_common *nsctl_container_get_ns(struct nsctl_container *c,
					 unsigned int type);

/*
 * Edit @c's labels (label.c's nsctl_labels_edit()); announces a change.
 * 0 or -errno, *@why saying what was wrong.
 */
int nsctl_container_set_labels(struct nsctl_container *c, const char *edits,
			       size_t len, bool only_set, const char **why);

/* Does a container have labels too large for a dump's first part? */
bool nsctl_container_big_labels(void);

/* Set a policy (@on_empty or @enter_policy of @c); announces a change. */
void nsctl_container_set_policy(struct nsctl_container *c, u8 *policy,
				u8 value);

/* Start waiting for the PID namespace's init to exit, if it runs. */
void nsctl_container_watch(struct nsctl_container *c);
void nsctl_container_watch_locked(struct nsctl_container *c);
/* Stop watching the init (the pid slot changed, or the container goes). */
void nsctl_watch_disarm(struct nsctl_container *c);

/* A published, live container, referenced, or NULL. */
struct nsctl_container *nsctl_container_find(const char *name, const u64 *id,
					     const uuid_t *uuid);

/*
 * Call @fn under the container's lock for each published container whose
 * id is above *@pos, in id order, until it returns non-zero; *@pos is the
 * id of the last one @fn accepted.  Returns @fn's last value or 0.
 */
int nsctl_container_for_each(u64 *pos,
			     int (*fn)(struct nsctl_container *c, void *arg),
			     void *arg);

/*
 * For dumps: a digest of one container as a dump sends it (its lock
 * held), and the sum of those of every container with an id up to @pos.
 */
u64 nsctl_container_digest_one(struct nsctl_container *c);
u64 nsctl_container_digest(u64 pos);

void nsctl_container_uninit(void);

/*
 * Who keeps containers visible (the filesystem, fs.c) tells the registry
 * how one is taken away as rmdir would, for on_empty=delete: the registry
 * calls down through this, never up into fs.c.  Set at load, before the
 * first container can exist; the on_empty work is flushed at unload
 * before the filesystem goes (nsctl_container_uninit()).
 */
struct nsctl_container_owner {
	int (*remove)(struct nsctl_container *c, const u64 *expect_gen);
};

void nsctl_container_set_owner(const struct nsctl_container_owner *owner);

/*
 * Call @fn for each process inside @c, with no lock held, until it returns
 * non-zero; returns that value, 0, or -errno.
 */
typedef int (*nsctl_task_fn)(struct task_struct *t, void *arg);
int nsctl_container_walk_tasks(struct nsctl_container *c, nsctl_task_fn fn,
			       void *arg);

#endif /* _NSCTL_CONTAINER_H */
