// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libnsctl: entering a container safely.
 *
 * One NSCTL_IOC_ENTER checks the container and hands out exactly the
 * namespaces the caller still has to switch to; then setns(2) for each,
 * the cgroup joined without naming a PID, and on any failure everything
 * undone, so that a failed enter leaves the caller where it was.
 *
 * Order: uts, ipc, net, the cgroup join, cgroup, time, pid, then mnt,
 * then user last.  The cgroup is joined before its namespace: with
 * cgroup2's nsdelegate, as systemd mounts it, the kernel refuses a
 * migration from outside the writer's cgroup namespace.  The ioctl already checked every namespace against
 * the caller's present credentials, so all of them can be joined before
 * the user switch; and a process can never return to an ancestor user
 * namespace, so doing user last is what keeps every earlier step
 * reversible.  mnt comes after the others as in nsenter(1), since it
 * changes what paths mean.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "libnsctl.h"

static const unsigned int enter_order[NSCTL_NS_COUNT] = {
	NSCTL_NS_UTS, NSCTL_NS_IPC, NSCTL_NS_NET, NSCTL_NS_CGROUP,
	NSCTL_NS_TIME, NSCTL_NS_PID, NSCTL_NS_MNT, NSCTL_NS_USER,
};

int nsctl_thread_count(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d = opendir("/proc/self/task");

	if (!d)
		return -errno;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* The cgroup directory the caller is in now, opened, for rolling back. */
static int open_own_cgroup(void)
{
	char line[4096], path[4200];
	FILE *f = fopen("/proc/self/cgroup", "re");
	int fd = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(path, sizeof(path), "/sys/fs/cgroup%s", line + 3);
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		break;
	}
	fclose(f);
	return fd;
}

static int join_cgroup(int cgfd)
{
	int fd = openat(cgfd, "cgroup.procs", O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	/* "0" is the writer itself: no PID to translate between namespaces. */
	if (write(fd, "0", 1) != 1)
		err = -errno;
	close(fd);
	return err;
}

static void close_enter_fds(struct nsctl_enter *e)
{
	unsigned int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (e->fds[i] >= 0)
			close(e->fds[i]);
	if (e->cgroup_fd >= 0)
		close(e->cgroup_fd);
}

/* The NSCTL_ENTER_* flags @req asks for; the generation it expects, if any. */
static uint64_t req_flags(const struct nsctl_enter_req *req, __u64 *generation)
{
	uint64_t flags = 0;

	if (req->expect_gen) {
		flags |= NSCTL_ENTER_CHECK_GEN;
		*generation = *req->expect_gen;
	}
	if (req->join_cgroup)
		flags |= NSCTL_ENTER_CGROUP;
	return flags;
}

int nsctl_enter_ioctl_flags(int dirfd, const struct nsctl_enter_req *req,
			    uint64_t flags, struct nsctl_enter *e)
{
	unsigned int i;

	memset(e, 0, sizeof(*e));
	e->flags = flags | req_flags(req, &e->generation);
	e->types = req->types;
	if (req->expect_uuid)
		for (i = 0; i < NSCTL_NS_COUNT; i++)
			memcpy(e->expect_uuid[i], req->expect_uuid[i], 16);
	return ioctl(dirfd, NSCTL_IOC_ENTER, e) ? -errno : 0;
}

int nsctl_enter_ioctl(int dirfd, const struct nsctl_enter_req *req,
		      struct nsctl_enter *e)
{
	return nsctl_enter_ioctl_flags(dirfd, req, 0, e);
}

/*
 * Where each thread can come back to, kept between switches so that a
 * switch does not reopen /proc/thread-self/ns/ for every type.  Per type,
 * two candidates: @own, an fd the library opened on the namespace the
 * thread was in, and @lent, a cache's fd on the namespace the thread last
 * switched to through that cache (valid while no cache has been cleared
 * since: cache_epoch).  Either is used only when the kernel says the
 * thread is in that very namespace (NSCTL_IOC_ENTER_CHECK's cur_inum): an
 * inode number identifies a namespace while an fd holds it, and @own's fd
 * holds it; @lent's is checked against the epoch first.
 */
struct back_fd {
	int fd;			/* -1: none */
	uint32_t ino;
	uint64_t epoch;
};

struct back_set {
	bool init;
	struct back_fd own[NSCTL_NS_COUNT];
	struct back_fd lent[NSCTL_NS_COUNT];
};

static __thread struct back_set back;
static uint64_t cache_epoch;
static pthread_key_t back_key;
static bool back_keyed;
static pthread_once_t back_once = PTHREAD_ONCE_INIT;

/* At a thread's exit: close what it opened. */
static void back_release(void *unused)
{
	unsigned int i;

	(void)unused;
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (back.own[i].fd >= 0)
			close(back.own[i].fd);
	back.init = false;
}

/*
 * In a child, first thing after fork(): what the forking thread kept is
 * still the library's, but the child may close any number of fds before
 * its next enter (daemons do), so it starts afresh.
 */
static void back_forget(void)
{
	if (back.init)
		back_release(NULL);
}

static void back_key_create(void)
{
	back_keyed = !pthread_key_create(&back_key, back_release);
	pthread_atfork(NULL, NULL, back_forget);
}

/* A library unloaded (dlclose) leaves no destructor to exited code. */
static void __attribute__((destructor)) back_key_delete(void)
{
	if (back_keyed)
		pthread_key_delete(back_key);
}

static struct back_set *back_get(void)
{
	unsigned int i;

	if (back.init)
		return &back;
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		back.own[i].fd = -1;
		back.lent[i].fd = -1;
	}
	back.init = true;
	pthread_once(&back_once, back_key_create);
	if (back_keyed)
		pthread_setspecific(back_key, &back);
	return &back;
}

/* A fd on the namespace of type @t the thread is in, inode @cur; or -1. */
static int back_find(struct back_set *b, unsigned int t, uint32_t cur)
{
	if (!cur)
		return -1;
	if (b->own[t].fd >= 0 && b->own[t].ino == cur)
		return b->own[t].fd;
	if (b->lent[t].fd >= 0 && b->lent[t].ino == cur &&
	    b->lent[t].epoch == __atomic_load_n(&cache_epoch, __ATOMIC_ACQUIRE))
		return b->lent[t].fd;
	return -1;
}

static void back_keep(struct back_set *b, unsigned int t, int fd, uint32_t ino)
{
	if (b->own[t].fd >= 0)
		close(b->own[t].fd);
	b->own[t].fd = fd;
	b->own[t].ino = ino;
}

/* After a switch through @cache: where the thread is now, per type. */
static void back_lend(const struct nsctl_enter_cache *cache,
		      const struct nsctl_enter_check *chk)
{
	uint64_t epoch = __atomic_load_n(&cache_epoch, __ATOMIC_ACQUIRE);
	struct back_set *b = back_get();
	unsigned int t;

	for (t = 0; t < NSCTL_NS_COUNT; t++) {
		if (!(chk->entered & NSCTL_NS_BIT(t)) || !chk->ns_inum[t])
			continue;
		b->lent[t].fd = cache->fds[t];
		b->lent[t].ino = chk->ns_inum[t];
		b->lent[t].epoch = epoch;
	}
}

/*
 * Switch to @fds[t] for each type in @entered and join @cgfd, in the safe
 * order; undo everything on failure.  @chk, when given, is the kernel's
 * check just made: the thread count and where the thread is now, so that
 * nothing has to be read from /proc.
 */
static int do_switch(const int fds[NSCTL_NS_COUNT], int cgfd, uint64_t entered,
		     const struct nsctl_enter_check *chk, bool *cg_joined_out)
{
	int saved[NSCTL_NS_COUNT], own_cg = -1, err = 0, threads;
	struct back_set *b = chk ? back_get() : NULL;
	uint64_t done = 0, opened = 0;
	bool cg_joined = false;
	unsigned int i, t;
	char path[64];

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		saved[i] = -1;

	/* Single-threaded only: refuse before anything has changed. */
	if (entered & NSCTL_ENTER_SINGLE_THREADED) {
		threads = chk && chk->threads ? (int)chk->threads : nsctl_thread_count();
		if (threads != 1)
			return -EDEADLK;
	}

	/* What to come back to: this thread's namespaces and cgroup. */
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (!(entered & NSCTL_NS_BIT(i)))
			continue;
		saved[i] = b ? back_find(b, i, chk->cur_inum[i]) : -1;
		if (saved[i] >= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/thread-self/ns/%s",
			 nsctl_type_proc_file(i));
		saved[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (saved[i] < 0) {
			err = -errno;
			goto out;
		}
		if (b && chk->cur_inum[i])
			back_keep(b, i, saved[i], chk->cur_inum[i]);
		else
			opened |= NSCTL_NS_BIT(i);
	}
	if (cgfd >= 0) {
		own_cg = open_own_cgroup();
		if (own_cg < 0) {
			err = -errno;
			goto out;
		}
	}

	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		t = enter_order[i];
		/*
		 * The cgroup before its namespace: with nsdelegate (systemd
		 * mounts cgroup2 so) a migration must start and end inside
		 * the writer's cgroup namespace, and the container's does
		 * not contain the cgroup the caller is leaving.
		 */
		if (t == NSCTL_NS_CGROUP && cgfd >= 0) {
			err = join_cgroup(cgfd);
			if (err)
				goto rollback;
			cg_joined = true;
		}
		if (!(entered & NSCTL_NS_BIT(t)))
			continue;
		if (setns(fds[t], nsctl_type_clone_flag(t))) {
			err = -errno;
			goto rollback;
		}
		done |= NSCTL_NS_BIT(t);
	}
	*cg_joined_out = cg_joined;
	goto out;

rollback:
	/* In reverse: the cgroup namespace left before the cgroup is. */
	for (i = NSCTL_NS_COUNT; i-- > 0;) {
		t = enter_order[i];
		if (done & NSCTL_NS_BIT(t))
			setns(saved[t], nsctl_type_clone_flag(t));
		if (t == NSCTL_NS_CGROUP && cg_joined)
			join_cgroup(own_cg);
	}
out:
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (opened & NSCTL_NS_BIT(i))
			close(saved[i]);
	if (own_cg >= 0)
		close(own_cg);
	return err;
}

int nsctl_enter(int dirfd, const struct nsctl_enter_req *req,
		struct nsctl_enter_result *res)
{
	struct nsctl_enter e;
	int err;

	memset(res, 0, sizeof(*res));
	err = nsctl_enter_ioctl(dirfd, req, &e);
	if (err)
		return err;
	res->generation = e.generation;
	res->already = e.already;
	res->pid_init = e.pid_init;
	if (!e.entered && e.cgroup_fd < 0)
		return 0;	/* already there */

	err = do_switch(e.fds, e.cgroup_fd, e.entered, NULL, &res->cgroup_joined);
	if (!err)
		res->entered = e.entered;
	close_enter_fds(&e);
	return err;
}

void nsctl_enter_init_forked(int dirfd, uint64_t inside)
{
	/* In all of them now, the PID namespace included: the fast path. */
	struct nsctl_enter e = {
		.flags = NSCTL_ENTER_NO_FDS,
		.types = inside ? inside : NSCTL_NS_BIT(NSCTL_NS_PID),
	};

	(void)!ioctl(dirfd, NSCTL_IOC_ENTER, &e);
}

void nsctl_enter_cache_init(struct nsctl_enter_cache *cache)
{
	unsigned int i;

	memset(cache, 0, sizeof(*cache));
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		cache->fds[i] = -1;
	cache->cgroup_fd = -1;
}

void nsctl_enter_cache_clear(struct nsctl_enter_cache *cache)
{
	bool had = cache->cgroup_fd >= 0;
	unsigned int i;

	if (cache->cgroup_fd >= 0)
		close(cache->cgroup_fd);
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (cache->fds[i] >= 0) {
			close(cache->fds[i]);
			had = true;
		}
	}
	/* Every thread's lent fds may have been among them. */
	if (had)
		__atomic_add_fetch(&cache_epoch, 1, __ATOMIC_RELEASE);
	nsctl_enter_cache_init(cache);
}

int nsctl_enter_check(int dirfd, const struct nsctl_enter_req *req,
		      struct nsctl_enter_check *chk)
{
	struct nsctl_enter e;
	int err;

	memset(chk, 0, sizeof(*chk));
	chk->flags = req_flags(req, &chk->generation);
	chk->types = req->types;
	if (!req->expect_uuid) {
		if (!ioctl(dirfd, NSCTL_IOC_ENTER_CHECK, chk))
			return 0;
		if (errno != ENOTTY)
			return -errno;
	}
	/* UUIDs to check, or a module without the compact call. */
	err = nsctl_enter_ioctl_flags(dirfd, req, NSCTL_ENTER_NO_FDS, &e);
	if (err)
		return err;
	chk->generation = e.generation;
	chk->entered = e.entered;
	chk->already = e.already;
	chk->pid_init = e.pid_init;
	return 0;
}

enum { FAST_CHECK = 1, FAST_STALE };

/*
 * NSCTL_IOC_ENTER_FAST, for a caller expecting to be inside already: 0
 * when it is (@res filled), -errno, or what to do next: FAST_CHECK, the
 * full check (something to switch, or a call the fast one cannot make),
 * FAST_STALE, a refill (the cache's generation moved).
 */
static int enter_fast(int dirfd, const struct nsctl_enter_req *req,
		      const struct nsctl_enter_cache *cache,
		      struct nsctl_enter_result *res)
{
	uint64_t gen = req->expect_gen ? *req->expect_gen : cache->generation;
	long r;

	if (req->expect_uuid || req->join_cgroup || req->types > NSCTL_NS_ALL ||
	    gen >> (sizeof(unsigned long) * 8 - NSCTL_ENTER_FAST_GEN_SHIFT))
		return FAST_CHECK;
	r = ioctl(dirfd, NSCTL_IOC_ENTER_FAST, NSCTL_ENTER_FAST_ARG(req->types, gen));
	if (r < 0) {
		if (errno == ESTALE && !req->expect_gen)
			return FAST_STALE;
		return errno == ENOTTY ? FAST_CHECK : -errno;
	}
	if (r & NSCTL_ENTER_FAST_SWITCH)
		return FAST_CHECK;
	res->generation = gen;
	res->already = r & NSCTL_NS_ALL;
	res->pid_init = (r >> NSCTL_ENTER_FAST_PID_SHIFT) & 0xff;
	return 0;
}

int nsctl_enter_cached(int dirfd, const struct nsctl_enter_req *req,
		       struct nsctl_enter_cache *cache,
		       struct nsctl_enter_result *res)
{
	struct nsctl_enter_check chk;
	struct nsctl_enter e;
	unsigned int i;
	int err;

	memset(res, 0, sizeof(*res));
	/* With fds to reuse, a check is enough; without, the full enter. */
	if (cache->valid) {
		/*
		 * Expecting to be inside (as last time), the quickest check;
		 * expecting a switch (a thread going round its containers),
		 * the full one at once.
		 */
		if (!cache->switched) {
			err = enter_fast(dirfd, req, cache, res);
			if (err <= 0)
				return err;
			if (err == FAST_STALE)
				goto refill;
		}
		err = nsctl_enter_check(dirfd, req, &chk);
		if (err)
			return err;
		res->generation = chk.generation;
		res->already = chk.already;
		res->pid_init = chk.pid_init;
		cache->switched = chk.entered || req->join_cgroup;
		if (!cache->switched)
			return 0;	/* already there */
		/* Same generation: the cached fds are the namespaces checked. */
		if (cache->generation == chk.generation &&
		    !(chk.entered & ~cache->types)) {
			err = do_switch(cache->fds,
					req->join_cgroup ? cache->cgroup_fd : -1,
					chk.entered, &chk, &res->cgroup_joined);
			if (err)
				return err;
			res->entered = chk.entered;
			/* Where this thread is now, should it switch again. */
			back_lend(cache, &chk);
			return 0;
		}
	}

refill:
	nsctl_enter_cache_clear(cache);
	err = nsctl_enter_ioctl(dirfd, req, &e);
	if (err)
		return err;
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		cache->fds[i] = e.fds[i];
	cache->cgroup_fd = e.cgroup_fd;
	cache->types = e.entered;
	cache->generation = e.generation;
	cache->valid = true;
	cache->switched = true;
	res->generation = e.generation;
	res->already = e.already;
	res->pid_init = e.pid_init;
	err = do_switch(cache->fds, req->join_cgroup ? cache->cgroup_fd : -1,
			e.entered, NULL, &res->cgroup_joined);
	if (!err)
		res->entered = e.entered;
	return err;
}

int nsctl_replace_pid_ns(int dirfd, uint64_t gen)
{
	int ready[2], go[2], userfd, err = 0, status;
	char c = 0;
	pid_t pid;

	/* Owned by the container's user namespace, when it holds one. */
	userfd = nsctl_get_ns(dirfd, NSCTL_NS_USER);
	if (userfd < 0 && userfd != -ENOENT)
		return userfd;
	if (pipe2(ready, O_CLOEXEC))
		return -errno;
	if (pipe2(go, O_CLOEXEC)) {
		err = -errno;
		goto out_ready;
	}
	pid = fork();
	if (pid < 0) {
		err = -errno;
		goto out_go;
	}
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		if (userfd >= 0 && setns(userfd, CLONE_NEWUSER))
			c = 1;
		else if (unshare(CLONE_NEWPID))
			c = 2;
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(ready[1]);
	ready[1] = -1;
	close(go[0]);
	go[0] = -1;
	if (read(ready[0], &c, 1) != 1)
		err = -ECHILD;
	else if (c)
		err = c == 1 ? -EPERM : -ENOSPC;
	else
		err = nsctl_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_PID), NULL, pid, 0,
				   &gen, NULL);
	if (write(go[1], &c, 1) != 1)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
out_go:
	if (go[0] >= 0)
		close(go[0]);
	if (go[1] >= 0)
		close(go[1]);
out_ready:
	if (ready[0] >= 0)
		close(ready[0]);
	if (ready[1] >= 0)
		close(ready[1]);
	if (userfd >= 0)
		close(userfd);
	return err;
}

int nsctl_enter_fds(const struct nsctl_enter *e, uint64_t types,
		    int join_cgroup_fd)
{
	bool joined;

	return do_switch(e->fds, join_cgroup_fd, e->entered & types, NULL, &joined);
}
