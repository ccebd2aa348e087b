// SPDX-License-Identifier: GPL-2.0
/*
 * Pool members' cgroups.  A filler makes each member's cgroup in the
 * parent 'nsctl create' uses, named <pool>~<16 random hex digits> ('~' is
 * in no container name, so no clash with PARENT/NAME) and marked
 * "~<pool>" (NSCTL_CGROUP_XATTR), with the template's limits written.
 *
 * The kernel releases members (expired, a smaller size, a deleted pool,
 * an add it refused) without a word to userspace, and their cgroups stay
 * behind as empty directories.  A sweep removes every marked directory of
 * the parent whose cgroup no container and no pool member holds.  Fillers
 * hold a shared lock on the parent's directory from a member's mkdir to
 * its ADD_MEMBER, sweepers an exclusive one, so that a sweep never takes a
 * cgroup about to be given to a pool.  The pools are read before the
 * containers: a member claimed in between is then in the second answer.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <linux/capability.h>

#include "nsctl.h"

/* The initial PID and user namespaces' inodes (the kernel's PROC_*_INIT_INO). */
#define INIT_PID_NS_INO		0xEFFFFFFCU
#define INIT_USER_NS_INO	0xEFFFFFFDU

int pool_cg_open(struct pool_cg *pc, bool prepare, const char *what)
{
	pc->dirfd = -1;
	if (nsctl_config_read(&pc->cfg))
		return 1;
	if (prepare && nsctl_cgroup_prepare(&pc->cfg, what))
		return 1;
	pc->dirfd = open(pc->cfg.cgroup_parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pc->dirfd < 0 && (prepare || errno != ENOENT))
		return fail(what, "cannot open the cgroup %s: %s", pc->cfg.cgroup_parent,
			    strerror(errno));
	return 0;
}

void pool_cg_close(struct pool_cg *pc)
{
	if (pc->dirfd >= 0)
		close(pc->dirfd);
	pc->dirfd = -1;
}

void pool_cg_lock(struct pool_cg *pc, bool exclusive)
{
	if (pc->dirfd < 0)
		return;
	while (flock(pc->dirfd, exclusive ? LOCK_EX : LOCK_SH) && errno == EINTR)
		;
}

void pool_cg_unlock(struct pool_cg *pc)
{
	if (pc->dirfd >= 0)
		flock(pc->dirfd, LOCK_UN);
}

int pool_cg_make(struct pool_cg *pc, const struct nsctl_pool *p, char *cgpath,
		 size_t len, int *fdp, const char *what)
{
	char leaf[NSCTL_POOL_NAME_MAX + 20], mark[NSCTL_POOL_NAME_MAX + 2];
	struct cg_limits lim;
	uint64_t r;

	*fdp = -1;
	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		return fail(what, "getrandom: %s", strerror(errno));
	snprintf(leaf, sizeof(leaf), "%s%c%016llx", p->name, NSCTL_POOL_MARK,
		 (unsigned long long)r);
	snprintf(mark, sizeof(mark), "%c%s", NSCTL_POOL_MARK, p->name);
	if (cg_make(&pc->cfg, leaf, mark, cgpath, len, what))
		return 1;
	*fdp = open(cgpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fdp < 0) {
		fail(what, "cannot open the cgroup %s: %s", cgpath, strerror(errno));
		goto fail;
	}
	snprintf(lim.memory, sizeof(lim.memory), "%s", p->memory_max);
	snprintf(lim.pids, sizeof(lim.pids), "%s", p->pids_max);
	snprintf(lim.cpu, sizeof(lim.cpu), "%s", p->cpu_max);
	if (cg_limits_write(cgpath, &lim, what))
		goto fail;
	return 0;
fail:
	if (*fdp >= 0)
		close(*fdp);
	*fdp = -1;
	rmdir(cgpath);
	return 1;
}

/* CAP_SYS_ADMIN in the initial user namespace, from the initial PID one. */
static bool full_view(void)
{
	struct stat pid, user;

	return have_cap(CAP_SYS_ADMIN) &&
	       !stat("/proc/self/ns/pid", &pid) && pid.st_ino == INIT_PID_NS_INO &&
	       !stat("/proc/self/ns/user", &user) && user.st_ino == INIT_USER_NS_INO;
}

struct ids {
	uint64_t *v;
	size_t n, cap;
};

static int ids_add(struct ids *s, uint64_t id)
{
	uint64_t *v;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		v = realloc(s->v, s->cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		s->v = v;
	}
	s->v[s->n++] = id;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Every cgroup a pool member or a container holds: 0 or -errno. */
static int held_cgroups(struct nsctl_genl *g, struct ids *held)
{
	struct nsctl_pool *pools, one;
	struct nsctl_ct *cts;
	size_t n, i, j;
	int err;

	err = nsctl_genl_list_pools(g, &pools, &n);
	if (err)
		return err;
	for (i = 0; i < n && !err; i++) {
		err = nsctl_genl_get_pool(g, pools[i].name, &one);
		if (err == -ENOENT) {
			err = 0;	/* deleted meanwhile: its members released */
			continue;
		}
		for (j = 0; !err && j < one.nmembers; j++)
			err = ids_add(held, one.member_cgroups[j]);
		nsctl_pool_clear(&one);
	}
	nsctl_pool_free_array(pools, n);
	if (err)
		return err;
	err = nsctl_genl_list_containers(g, &cts, &n);
	if (err)
		return err;
	for (i = 0; i < n && !err; i++)
		if (cts[i].has_cgroup && cts[i].cgroup_id)
			err = ids_add(held, cts[i].cgroup_id);
	nsctl_ct_free_array(cts, n);
	qsort(held->v, held->n, sizeof(*held->v), cmp_u64);
	return err;
}

/* A child of the parent marked as a pool member's. */
static bool member_mark(const char *parent, const char *name)
{
	char path[4400], v[NSCTL_NAME_MAX + 1];
	ssize_t n;

	if (!strchr(name, NSCTL_POOL_MARK))
		return false;
	snprintf(path, sizeof(path), "%s/%s", parent, name);
	n = getxattr(path, NSCTL_CGROUP_XATTR, v, sizeof(v) - 1);
	return n > 0 && v[0] == NSCTL_POOL_MARK;
}

int pool_cg_sweep(struct nsctl_genl *g, const char *what)
{
	struct ids held = { 0 };
	struct pool_cg pc;
	struct dirent *e;
	struct stat st;
	int removed = 0, err, fd;
	DIR *d;

	/* Anyone else sees fewer pools and containers than there are. */
	if (!full_view())
		return 0;
	if (pool_cg_open(&pc, false, what))
		return -1;
	if (pc.dirfd < 0)
		return 0;	/* no parent: nothing was ever made */
	pool_cg_lock(&pc, true);
	err = held_cgroups(g, &held);
	if (err) {
		fail(what, "cannot sweep the pools' cgroups: %s", genl_why(g, err));
		removed = -1;
		goto out;
	}
	fd = dup(pc.dirfd);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		fail(what, "cannot read %s: %s", pc.cfg.cgroup_parent, strerror(errno));
		removed = -1;
		goto out;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !member_mark(pc.cfg.cgroup_parent, e->d_name) ||
		    fstatat(pc.dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    !S_ISDIR(st.st_mode))
			continue;
		if (bsearch(&(uint64_t){ st.st_ino }, held.v, held.n, sizeof(*held.v),
			    cmp_u64))
			continue;
		/* EBUSY: a process inside; whoever put it there keeps it. */
		if (!unlinkat(pc.dirfd, e->d_name, AT_REMOVEDIR))
			removed++;
	}
	closedir(d);
out:
	pool_cg_unlock(&pc);
	pool_cg_close(&pc);
	free(held.v);
	return removed;
}

void pool_cg_paths(const uint64_t *ids, size_t n, char **paths)
{
	size_t root = strlen(NSCTL_CGROUP_ROOT), i;
	char path[4400];
	struct pool_cg pc;
	struct dirent *e;
	struct stat st;
	DIR *d;

	if (pool_cg_open(&pc, false, "pool") || pc.dirfd < 0)
		return;
	d = fdopendir(pc.dirfd);
	if (!d) {
		pool_cg_close(&pc);
		return;
	}
	while ((e = readdir(d))) {
		if (!strchr(e->d_name, NSCTL_POOL_MARK) ||
		    fstatat(pc.dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW))
			continue;
		for (i = 0; i < n; i++) {
			if (ids[i] != st.st_ino || paths[i])
				continue;
			snprintf(path, sizeof(path), "%s/%s", pc.cfg.cgroup_parent + root,
				 e->d_name);
			paths[i] = strdup(path);
		}
	}
	closedir(d);	/* and pc.dirfd */
}
