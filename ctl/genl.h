/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libnsctl's generic netlink client (genl.c): bulk listing, building and
 * deleting containers in one request each, and the event stream of the
 * "nsctl" family (uapi/linux/nsctl.h, "Generic netlink").  Built on
 * libnl-3 and libnl-genl-3.
 *
 * Functions return 0 (or a count) on success and a negative errno on
 * failure; none prints anything.  When the kernel explained a refusal
 * (an extended ack), nsctl_genl_errmsg() has its text until the next
 * request on the same handle.
 */
#ifndef NSCTL_GENL_H
#define NSCTL_GENL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/nsctl.h>

struct nsctl_genl;

/*
 * Connect and look the family up.  -ENOENT when the kernel has no
 * "nsctl" family (the module is not loaded).
 */
int nsctl_genl_open(struct nsctl_genl **out);
void nsctl_genl_close(struct nsctl_genl *g);

/* The kernel's extended-ack text for the last failed request, or NULL. */
const char *nsctl_genl_errmsg(const struct nsctl_genl *g);

/* A container message. */
struct nsctl_ct {
	uint64_t id;
	char name[NSCTL_NAME_MAX + 1];
	uint8_t uuid[16];
	uint64_t generation;
	int64_t created;
	uint64_t enters;
	int pid_init;			/* enum nsctl_pid_init; -1: no pid slot */
	int on_empty;			/* enum nsctl_on_empty; -1: not said */
	int enter_policy;		/* enum nsctl_enter_policy; -1: not said */
	bool has_cgroup;
	uint64_t cgroup_id;
	char *cgroup;			/* its path (malloc'd), or NULL */
	uint64_t ns_held;		/* types whose slot holds a namespace */
	uint32_t ns_inum[NSCTL_NS_COUNT];
	uint8_t ns_uuid[NSCTL_NS_COUNT][16];
	uint64_t net_cookie;		/* of the held net namespace; 0: none */
	char *labels;			/* "key=value\n" lines (malloc'd), or NULL */
};

/* A namespace message. */
struct nsctl_nsrec {
	uint8_t uuid[16];
	unsigned int type;		/* enum nsctl_ns_type */
	uint32_t inum;
	bool has_owner;
	bool has_parent;
	uint8_t owner[16];
	uint8_t parent[16];
	uint64_t net_cookie;		/* network namespaces; 0: not given */
	size_t ncontainers;
	uint64_t *containers;		/* ids (malloc'd) */
};

void nsctl_ct_clear(struct nsctl_ct *ct);
void nsctl_ct_free_array(struct nsctl_ct *cts, size_t n);
void nsctl_nsrec_clear(struct nsctl_nsrec *ns);
void nsctl_nsrec_free_array(struct nsctl_nsrec *nss, size_t n);

/* Which container: exactly one of the three. */
struct nsctl_ct_ref {
	const char *name;
	const uint64_t *id;
	const uint8_t *uuid;
};

/*
 * Every container, in id order (NSCTL_CMD_GET_CONTAINER dump), as one
 * consistent answer: a dump that containers changed during is started
 * again, a few times, then -EAGAIN.  Free with nsctl_ct_free_array().
 */
int nsctl_genl_list_containers(struct nsctl_genl *g, struct nsctl_ct **cts,
			       size_t *n);
/*
 * The same, for the containers whose labels match each of @sel's @nsel
 * selectors ("key=value", or "key" for any value); the kernel filters.
 */
int nsctl_genl_list_selected(struct nsctl_genl *g, const char *const *sel,
			     size_t nsel, struct nsctl_ct **cts, size_t *n);

/* One container; -ENOENT when there is none. */
int nsctl_genl_get_container(struct nsctl_genl *g,
			     const struct nsctl_ct_ref *ref,
			     struct nsctl_ct *ct);

/* Every tracked namespace the caller may see (NSCTL_CMD_GET_NS dump). */
int nsctl_genl_list_ns(struct nsctl_genl *g, struct nsctl_nsrec **nss,
		       size_t *n);

/* What NSCTL_CMD_NEW_CONTAINER builds. */
struct nsctl_genl_new {
	const char *name;
	const uint8_t *uuid;		/* NULL: a random one */
	uint64_t types;			/* slots to fill */
	int fds[NSCTL_NS_COUNT];	/* an nsfs fd for each type in @types */
	int pid_of;			/* > 0: the pid slot from this process's
					 * pid_for_children (fds[pid] unused) */
	int cgroup_fd;			/* a cgroup v2 directory, or -1 */
	const char *const *labels;	/* "key=value" each */
	size_t nlabels;
};

/*
 * Build a container completely in one request: it appears (and is
 * announced) only once everything is attached, or not at all.  @ct, when
 * not NULL, receives the kernel's description of it.
 */
int nsctl_genl_new_container(struct nsctl_genl *g,
			     const struct nsctl_genl_new *req,
			     struct nsctl_ct *ct);

/*
 * Delete a container; with @expect_gen, only while it is at that
 * generation (else -ESTALE).  -EBUSY while processes are inside.
 */
int nsctl_genl_del_container(struct nsctl_genl *g,
			     const struct nsctl_ct_ref *ref,
			     const uint64_t *expect_gen);

/* Pools (genl_pool.c). */

/* A pool message. */
struct nsctl_pool {
	char name[NSCTL_POOL_NAME_MAX + 1];
	uint64_t types;			/* namespace types of each member */
	uint32_t size;
	uint32_t low;
	uint32_t max_age;		/* seconds; 0: none */
	uint32_t flags;			/* NSCTL_POOL_* */
	uint32_t ready;
	uint64_t claimed;
	uint64_t added;
	uint64_t expired;
	uint64_t missed;
	int64_t created;
	bool has_oldest;
	int64_t oldest;			/* when the oldest ready member came */
	int on_empty;			/* the template's; -1: not said */
	int enter_policy;		/* the template's; -1: not said */
	char *labels;			/* the template's "key=value\n" lines, or NULL */
	/* The template's cgroup limits as the files take them; "": none. */
	char memory_max[NSCTL_POOL_LIMIT_MAX + 1];
	char pids_max[NSCTL_POOL_LIMIT_MAX + 1];
	char cpu_max[NSCTL_POOL_LIMIT_MAX + 1];
	size_t nmembers;
	uint64_t *member_cgroups;	/* ids of the ready members' cgroups
					 * (malloc'd; nsctl_genl_get_pool only) */
};

void nsctl_pool_clear(struct nsctl_pool *p);
void nsctl_pool_free_array(struct nsctl_pool *p, size_t n);

/* One pool, with its members' cgroups; -ENOENT when there is none. */
int nsctl_genl_get_pool(struct nsctl_genl *g, const char *name,
			struct nsctl_pool *p);
/* Every pool (NSCTL_CMD_GET_POOL dump), without members' cgroups. */
int nsctl_genl_list_pools(struct nsctl_genl *g, struct nsctl_pool **pools,
			  size_t *n);

/* What NSCTL_CMD_NEW_POOL makes, or NSCTL_CMD_SET_POOL changes. */
struct nsctl_genl_pool_req {
	const char *name;
	uint64_t types;			/* new: required */
	bool has_size, has_low, has_max_age;
	uint32_t size, low, max_age;
	uint32_t flags;			/* new only */
	int on_empty;			/* new only; -1: the default */
	int enter_policy;		/* new only; -1: the default */
	const char *const *labels;	/* new only: "key=value" each */
	size_t nlabels;
	const char *memory_max;		/* new only, as the files take them; */
	const char *pids_max;		/* NULL: none */
	const char *cpu_max;
};

/* @p, when not NULL, receives the pool message of the reply. */
int nsctl_genl_new_pool(struct nsctl_genl *g,
			const struct nsctl_genl_pool_req *req,
			struct nsctl_pool *p);
int nsctl_genl_set_pool(struct nsctl_genl *g,
			const struct nsctl_genl_pool_req *req,
			struct nsctl_pool *p);
int nsctl_genl_del_pool(struct nsctl_genl *g, const char *name);

/*
 * Give the pool @pool a member: @req's namespaces and cgroup (its name,
 * uuid and labels are not used).  -ENOSPC when the pool is full, -ENOENT
 * when it is gone.  @p, when not NULL, receives the pool after the add.
 */
int nsctl_genl_add_member(struct nsctl_genl *g, const char *pool,
			  const struct nsctl_genl_new *req,
			  struct nsctl_pool *p);

/* What NSCTL_CMD_CLAIM asks for. */
struct nsctl_genl_claim {
	const char *pool;
	const char *name;
	const uint8_t *uuid;		/* NULL: a random one */
	const char *const *labels;	/* "key=value" each, after the template's */
	size_t nlabels;
};

/*
 * The pool's oldest ready member, published as the container @req names:
 * -EAGAIN when the pool has none, -EEXIST when the name or UUID is taken,
 * -ENOENT for no such pool.  @ct, when not NULL, receives the container.
 */
int nsctl_genl_claim(struct nsctl_genl *g, const struct nsctl_genl_claim *req,
		     struct nsctl_ct *ct);

/* Events. */

struct nsctl_event {
	unsigned int cmd;		/* NSCTL_CMD_CONTAINER_*, _NETNS_*, _POOL_* */
	bool has_seq;
	uint64_t seq;			/* NSCTL_A_EVENT_SEQ */
	struct nsctl_ct ct;		/* container events */
	uint64_t changed;		/* NSCTL_CMD_CONTAINER_CHANGED */
	bool has_pid;
	uint32_t pid;			/* NSCTL_CMD_CONTAINER_ENTERED */
	struct nsctl_nsrec ns;		/* network namespace events */
	struct nsctl_pool pool;		/* pool events */
};

static inline bool nsctl_event_is_netns(unsigned int cmd)
{
	return cmd == NSCTL_CMD_NETNS_CREATED || cmd == NSCTL_CMD_NETNS_DESTROYED;
}

static inline bool nsctl_event_is_pool(unsigned int cmd)
{
	return cmd == NSCTL_CMD_POOL_CREATED || cmd == NSCTL_CMD_POOL_LOW ||
	       cmd == NSCTL_CMD_POOL_DELETED;
}

/*
 * Join the "events" group (-EPERM without CAP_SYS_ADMIN in the initial
 * user namespace).  @rcvbuf, when positive, sets the socket's receive
 * buffer in bytes (beyond net.core.rmem_max where the caller may).
 * After this, the handle only receives events: use another for requests.
 */
int nsctl_genl_subscribe(struct nsctl_genl *g, int rcvbuf);

/*
 * Called for each event; the event is valid during the call only.  A
 * non-zero return stops nsctl_genl_recv_events(), which returns it, and
 * drops what else was read with the event.
 */
typedef int (*nsctl_event_fn)(const struct nsctl_event *ev, void *arg);

/*
 * Wait for events and hand them to @fn: returns after one batch (0), or
 * @fn's non-zero value.  -ENOBUFS when the socket overran: events were
 * lost (the kernel's seq numbers will show a gap after those still
 * queued).
 */
int nsctl_genl_recv_events(struct nsctl_genl *g, nsctl_event_fn fn,
			   void *arg);

/*
 * Throw away every event queued on the socket now, without waiting;
 * returns how many there were.
 */
int nsctl_genl_discard_events(struct nsctl_genl *g);

/* The socket, to poll(2) for events alongside other descriptors. */
int nsctl_genl_fd(const struct nsctl_genl *g);

#endif /* NSCTL_GENL_H */
