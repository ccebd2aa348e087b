/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libnsctl: a small C library over the nsctl module's filesystem and
 * ioctls.  Functions return 0 (or a file descriptor) on success and a
 * negative errno on failure; none prints anything.
 */
#ifndef LIBNSCTL_H
#define LIBNSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/nsctl.h>

/* Name of a type as /proc/PID/ns has it, or NULL. */
const char *nsctl_type_name(unsigned int type);
/* The /proc/PID/ns file of a type ("pid_for_children" for pid...). */
const char *nsctl_type_proc_file(unsigned int type);
/* CLONE_NEW* flag of a type. */
int nsctl_type_clone_flag(unsigned int type);
/* "net,uts" or "all" into a mask; -EINVAL names nothing in @bad. */
int nsctl_parse_types(const char *s, uint64_t *mask, const char **bad);
/* Writes "mnt,uts,..." for @mask into @buf. */
void nsctl_format_types(uint64_t mask, char *buf, size_t len);

/* 0 if @name is a valid container name, else -EINVAL or -ENAMETOOLONG. */
int nsctl_name_check(const char *name);

int nsctl_uuid_parse(const char *s, uint8_t uuid[16]);
void nsctl_uuid_format(const uint8_t uuid[16], char out[37]);

/* Mount the nsctl filesystem at NSCTL_MOUNT_POINT unless it is there. */
int nsctl_ensure_mounted(void);

/* Open a container's directory (O_RDONLY | O_DIRECTORY | O_CLOEXEC). */
int nsctl_open(const char *name);

/*
 * Attach (from @fds) and detach namespaces in one step.  @pid_of, when
 * positive, fills the pid slot with that process's pid_for_children
 * namespace instead of an fd.  @expect_gen, when not NULL, is checked.
 */
int nsctl_set_ns(int dirfd, uint64_t attach, const int fds[NSCTL_NS_COUNT],
		 int pid_of, uint64_t detach, const uint64_t *expect_gen,
		 uint64_t *generation);
int nsctl_get_ns(int dirfd, unsigned int type);
int nsctl_set_cgroup(int dirfd, int cgroup_fd, uint64_t *generation);
int nsctl_set_uuid(int dirfd, const uint8_t uuid[16]);

/* What a container's files say. */
struct nsctl_info {
	char name[NSCTL_NAME_MAX + 1];
	uint64_t id;
	char uuid[37];
	uint64_t generation;
	uint64_t ns_inum[NSCTL_NS_COUNT];	/* 0: empty slot */
	char ns_uuid[NSCTL_NS_COUNT][37];	/* "" for an empty slot */
	char cgroup[4096];			/* "" when none */
	uint64_t tasks;
	uint64_t enters;
	int64_t created;
	char pid_init[16];			/* none, running, dead, - */
};

int nsctl_read_info(const char *name, struct nsctl_info *info);

/* Read a container file into @buf (NUL-terminated); returns the length. */
int nsctl_read_file(const char *name, const char *file, char *buf,
		    size_t len);

/*
 * Identify the namespace behind an nsfs fd (NSCTL_IOC_NS_INFO); @cids may
 * be NULL.  Returns 0 or -errno.
 */
int nsctl_ns_info(int nsfd, struct nsctl_ns_info *info, uint64_t *cids,
		  uint32_t max_cids);
/* A new nsfs fd for the namespace a UUID names (NSCTL_IOC_NS_OPEN). */
int nsctl_ns_open(const uint8_t uuid[16]);
/* Type from a name ("net"...), or -1. */
int nsctl_type_from_name(const char *name);

/* Entering a container (enter_lib.c). */

/* Types whose setns(2) needs a single-threaded caller. */
#define NSCTL_ENTER_SINGLE_THREADED (NSCTL_NS_BIT(NSCTL_NS_MNT) | \
				     NSCTL_NS_BIT(NSCTL_NS_USER) | \
				     NSCTL_NS_BIT(NSCTL_NS_TIME))

struct nsctl_enter_req {
	uint64_t types;			/* 0: every namespace the container holds */
	const uint64_t *expect_gen;	/* NULL: do not check */
	const uint8_t (*expect_uuid)[16];	/* NSCTL_NS_COUNT UUIDs, zero: any */
	bool join_cgroup;		/* also join the container's cgroup */
};

struct nsctl_enter_result {
	uint64_t generation;		/* the generation that was checked */
	uint64_t entered;		/* types switched */
	uint64_t already;		/* types the caller was already in */
	unsigned int pid_init;		/* enum nsctl_pid_init */
	bool cgroup_joined;
};

/*
 * Enter the container whose directory is @dirfd: check it (ESTALE when it
 * is not what @req expects, EPERM when setns(2) would refuse), switch the
 * calling thread to each namespace it is not in yet, join the cgroup with
 * "0" when asked.  On failure the caller is back where it was.  EDEADLK
 * when mnt, user or time is to be entered by a multithreaded caller (the
 * kernel allows those only single-threaded; net, uts and ipc are per
 * thread).  EOWNERDEAD when the PID namespace's init has died (see
 * nsctl_replace_pid_ns).  After a pid enter, only the caller's children
 * are in the container's PID namespace.
 */
int nsctl_enter(int dirfd, const struct nsctl_enter_req *req,
		struct nsctl_enter_result *res);

/*
 * Call from the init of the container's fresh PID namespace (the first
 * process forked after an enter that reported pid_init
 * NSCTL_PID_INIT_NONE), first thing, with the types its parent is in
 * (the enter's entered | already): an enter that finds it already inside
 * and so does nothing but let nsctl see the running init and wait for its
 * exit, so that the container's on_empty policy applies when it comes.
 * Nothing depends on its result.
 */
void nsctl_enter_init_forked(int dirfd, uint64_t inside);

/* Just the ioctl: fds for the caller to use; see NSCTL_IOC_ENTER. */
int nsctl_enter_ioctl(int dirfd, const struct nsctl_enter_req *req,
		      struct nsctl_enter *e);
int nsctl_enter_ioctl_flags(int dirfd, const struct nsctl_enter_req *req,
			    uint64_t flags, struct nsctl_enter *e);

/*
 * The check alone (NSCTL_IOC_ENTER_CHECK; with expected UUIDs, or on a
 * module without it, NSCTL_IOC_ENTER with NSCTL_ENTER_NO_FDS): what the
 * caller would have to switch to, with nothing handed out.
 */
int nsctl_enter_check(int dirfd, const struct nsctl_enter_req *req,
		      struct nsctl_enter_check *chk);

/*
 * The switch of nsctl_enter() on what an NSCTL_IOC_ENTER returned in @e:
 * the types in @types & @e->entered, in the same order, joining
 * @join_cgroup_fd (-1: none) with "0" before the cgroup namespace; on
 * failure the caller is back where it was.  With @types split over two
 * calls, the first can be made before clone3(2)'s CLONE_INTO_CGROUP
 * (whose permission check wants the caller's own cgroup namespace) and
 * the second in the child.  Closes nothing.
 */
int nsctl_enter_fds(const struct nsctl_enter *e, uint64_t types,
		    int join_cgroup_fd);

/*
 * For a thread that switches between containers again and again (a server
 * serving tenants): the fds of the last enter into one container, reused
 * while its generation stays the same, so that each checked switch costs
 * one compact check ioctl (NSCTL_IOC_ENTER_CHECK) and the setns(2) calls.
 * What each thread would return to on a failed switch is kept per thread
 * between calls (an fd the library opened, or the cache's fd of where the
 * thread last switched to), so nothing is reopened per switch.  The fds
 * in a cache are the library's until nsctl_enter_cache_clear(): closing
 * them behind its back breaks the rollback of a later failed switch.
 */
struct nsctl_enter_cache {
	bool valid;
	bool switched;		/* the last use had something to switch */
	uint64_t generation;
	uint64_t types;
	int fds[NSCTL_NS_COUNT];
	int cgroup_fd;
};

void nsctl_enter_cache_init(struct nsctl_enter_cache *cache);
void nsctl_enter_cache_clear(struct nsctl_enter_cache *cache);
/* nsctl_enter(), reusing and refreshing @cache. */
int nsctl_enter_cached(int dirfd, const struct nsctl_enter_req *req,
		       struct nsctl_enter_cache *cache,
		       struct nsctl_enter_result *res);

/*
 * Give the container a fresh PID namespace in place of one whose init
 * died, if its generation is still @gen (else ESTALE), owned by the
 * container's user namespace when it holds one.
 */
int nsctl_replace_pid_ns(int dirfd, uint64_t gen);

int nsctl_thread_count(void);

/* Names of all containers, sorted; free with nsctl_free_names(). */
int nsctl_list_names(char ***names, size_t *count);
void nsctl_free_names(char **names, size_t count);

/* Name of an on_empty or enter policy value, or "?". */
const char *nsctl_on_empty_name(int v);
const char *nsctl_enter_policy_name(int v);

/* Write @buf to a container's control file in one write(2); -errno. */
int nsctl_write_file(const char *name, const char *file, const char *buf);

/*
 * Set the host name (@domain false) or NIS domain name of the UTS
 * namespace of the container open as @dirfd, from the calling thread,
 * which joins that namespace for the call and comes back (see the uapi
 * header: nothing is forked).  -EPERM also for a sealed container.
 */
int nsctl_set_utsname(int dirfd, bool domain, const char *value);

#endif /* LIBNSCTL_H */
