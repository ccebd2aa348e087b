// SPDX-License-Identifier: GPL-2.0
/*
 * Exports of a container's network namespace as /run/netns/NAME, where
 * 'ip netns', CNI plugins (CNI_NETNS=/run/netns/NAME) and lsns find
 * network namespaces by name.
 *
 * The layout is iproute2's: /run/netns is a mount point of its own, made
 * shared (recursively) so that a name added later propagates into mount
 * namespaces copied from this one, and each name is an empty file with
 * the namespace's nsfs file bind-mounted onto it.  The namespace comes
 * from the module (NSCTL_IOC_GET_NS on the container's directory), so no
 * process of the container is needed.
 *
 * nsctl removes only what it made.  Each export is recorded in
 * /run/nsctl/netns/NAME (the container's name and UUID, the namespace's
 * UUID and inode), and before anything is unmounted the namespace behind
 * /run/netns/NAME is identified (NSCTL_IOC_NS_INFO): its UUID, which
 * nsctl never gives to a second namespace, must be the recorded one.  A
 * name in /run/netns that nsctl did not make is never replaced.  Every
 * change to the exports and records holds an exclusive lock on
 * /run/nsctl/netns.lock (root's alone), so that 'nsctl delete', the
 * service reacting to a deletion event and the sweep at boot do not trip
 * over each other.
 *
 * A container has at most one export.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsctl.h"

/* fail() for functions that return -1 on failure. */
#define fail_neg(...)	(fail(__VA_ARGS__), -1)

struct netns_rec {
	char ct[256];			/* at most NSCTL_NAME_MAX used */
	char ct_uuid[37];
	char ns_uuid[37];
	unsigned long long inum;
};

int netns_name_check(const char *s)
{
	const char *p;

	if (!*s || strlen(s) > NETNS_NAME_MAX || !strcmp(s, ".") || !strcmp(s, ".."))
		return -EINVAL;
	for (p = s; *p; p++)
		if (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f)
			return -EINVAL;
	return 0;
}

static void path_of(char *buf, size_t len, const char *dir, const char *exp)
{
	snprintf(buf, len, "%s/%s", dir, exp);
}

/*
 * The records' directory made if missing, and the lock taken: a file only
 * root may open, so that no other user can hold it.  Its fd, or -1
 * (reported).
 */
static int records_lock(const char *what)
{
	int fd;

	if (mkdir("/run/nsctl", 0755) && errno != EEXIST)
		return fail_neg(what, "cannot create /run/nsctl: %s", strerror(errno));
	if (mkdir(NSCTL_NETNS_RECORDS, 0755) && errno != EEXIST)
		return fail_neg(what, "cannot create %s: %s", NSCTL_NETNS_RECORDS,
			    strerror(errno));
	fd = open(NSCTL_NETNS_LOCK, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || flock(fd, LOCK_EX)) {
		fail(what, "cannot lock %s: %s", NSCTL_NETNS_LOCK, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* 0 and @r, or -errno (-ENOENT: no such record). */
static int rec_read(const char *exp, struct netns_rec *r)
{
	char path[4200], buf[512];
	int fd;
	ssize_t n;

	memset(r, 0, sizeof(*r));
	path_of(path, sizeof(path), NSCTL_NETNS_RECORDS, exp);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EINVAL;
	buf[n] = '\0';
	if (sscanf(buf, "container=%255s\nuuid=%36s\nnetns=%36s\ninode=%llu", r->ct,
		   r->ct_uuid, r->ns_uuid, &r->inum) != 4 || strlen(r->ct) > NSCTL_NAME_MAX)
		return -EINVAL;
	return 0;
}

/* Written aside, then renamed into place. */
static int rec_write(const char *exp, const struct netns_rec *r)
{
	char tmp[] = "/run/nsctl/.netns-XXXXXX", path[4200];
	int fd, err = 0;
	FILE *f;

	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* Readable by all, as 'nsctl show' reads them. */
	fchmod(fd, 0644);
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		unlink(tmp);
		return err;
	}
	fprintf(f, "container=%s\nuuid=%s\nnetns=%s\ninode=%llu\n", r->ct, r->ct_uuid,
		r->ns_uuid, r->inum);
	if (fclose(f))
		err = -errno;
	path_of(path, sizeof(path), NSCTL_NETNS_RECORDS, exp);
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

/* The UUID of the namespace mounted at /run/netns/@exp, or -errno. */
static int mounted_ns(const char *exp, char uuid[37])
{
	struct nsctl_ns_info info;
	char path[4200];
	int fd, err;

	path_of(path, sizeof(path), NSCTL_NETNS_DIR, exp);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -errno;
	err = nsctl_ns_info(fd, &info, NULL, 0);
	close(fd);
	if (err)
		return err;
	if (info.type != NSCTL_NS_NET)
		return -EINVAL;
	nsctl_uuid_format(info.uuid, uuid);
	return 0;
}

/* Is /run/netns/@exp the export @r records? */
static bool rec_live(const char *exp, const struct netns_rec *r)
{
	char uuid[37];

	return !mounted_ns(exp, uuid) && !strcmp(uuid, r->ns_uuid);
}

/*
 * Remove the export @exp (recorded as @r) and its record: the mount only
 * when it is still the recorded namespace.  0, or 1 (reported).
 */
static int unexport(const char *exp, const struct netns_rec *r, const char *what)
{
	char path[4200];
	int ret = 0;

	path_of(path, sizeof(path), NSCTL_NETNS_DIR, exp);
	if (rec_live(exp, r)) {
		if (umount2(path, MNT_DETACH))
			ret = fail(what, "cannot unmount %s: %s", path, strerror(errno));
		else if (unlink(path) && errno != ENOENT)
			ret = fail(what, "cannot remove %s: %s", path, strerror(errno));
	} else if (!access(path, F_OK)) {
		fprintf(stderr, "%s: %s: %s is no longer the export of \"%s\": left as it is\n",
			prog, what, path, r->ct);
	}
	path_of(path, sizeof(path), NSCTL_NETNS_RECORDS, exp);
	if (!ret && unlink(path) && errno != ENOENT)
		ret = fail(what, "cannot remove %s: %s", path, strerror(errno));
	return ret;
}

/*
 * Call @fn for each record; stops at a non-zero return, which it returns.
 * Records are replaced by rename(2): a reader without the lock sees an old
 * one or a new one.
 */
static int rec_each(int (*fn)(const char *exp, const struct netns_rec *r, void *arg),
		    void *arg)
{
	struct dirent *e;
	struct netns_rec r;
	DIR *d;
	int ret = 0;

	d = opendir(NSCTL_NETNS_RECORDS);
	if (!d)
		return 0;
	while (!ret && (e = readdir(d))) {
		if (netns_name_check(e->d_name) || rec_read(e->d_name, &r))
			continue;
		ret = fn(e->d_name, &r, arg);
	}
	closedir(d);
	return ret;
}

struct ct_match {
	const char *ct, *ct_uuid, *skip, *what;
	bool announce;
	char *exp;		/* out, for find */
	size_t len;
	int ret;
};

static bool rec_is(const struct netns_rec *r, const struct ct_match *m)
{
	return !strcmp(r->ct, m->ct) && !strcmp(r->ct_uuid, m->ct_uuid);
}

static int find_one(const char *exp, const struct netns_rec *r, void *arg)
{
	struct ct_match *m = arg;

	if (!rec_is(r, m) || !rec_live(exp, r))
		return 0;
	snprintf(m->exp, m->len, "%s", exp);
	return 1;
}

int netns_export_find(const char *ct, const char *ct_uuid, char *exp, size_t len)
{
	struct ct_match m = { .ct = ct, .ct_uuid = ct_uuid, .exp = exp, .len = len };

	return rec_each(find_one, &m);
}

static int remove_ct_one(const char *exp, const struct netns_rec *r, void *arg)
{
	struct ct_match *m = arg;

	bool live;

	if (!rec_is(r, m) || (m->skip && !strcmp(exp, m->skip)))
		return 0;
	live = rec_live(exp, r);
	if (unexport(exp, r, m->what))
		m->ret = 1;
	else if (m->announce && live)
		printf("nsctl: %s: removed %s/%s, the export of \"%s\", which was deleted\n",
		       m->what, NSCTL_NETNS_DIR, exp, r->ct);
	return 0;
}

/* Under the lock: every export of the container but @skip. */
static int remove_ct(const char *ct, const char *ct_uuid, const char *skip,
		     bool announce, const char *what)
{
	struct ct_match m = { .ct = ct, .ct_uuid = ct_uuid, .skip = skip, .what = what,
			      .announce = announce };

	rec_each(remove_ct_one, &m);
	return m.ret;
}

static int unexport_ct(const char *ct, const char *ct_uuid, bool announce,
		       const char *what)
{
	int fd, ret;

	if (access(NSCTL_NETNS_RECORDS, F_OK))
		return 0;	/* nothing was ever exported */
	fd = records_lock(what);
	if (fd < 0)
		return 1;
	ret = remove_ct(ct, ct_uuid, NULL, announce, what);
	close(fd);
	return ret;
}

int netns_unexport_ct(const char *ct, const char *ct_uuid, const char *what)
{
	return unexport_ct(ct, ct_uuid, false, what);
}

/* A record whose container is gone or holds another network namespace. */
static bool rec_stale(const struct netns_rec *r)
{
	struct nsctl_info in;
	int err = nsctl_read_info(r->ct, &in);

	if (err)
		return err == -ENOENT;
	return strcmp(in.uuid, r->ct_uuid) || !in.ns_inum[NSCTL_NS_NET] ||
	       strcmp(in.ns_uuid[NSCTL_NS_NET], r->ns_uuid);
}

/* Stale exports go; so do records of names removed behind nsctl's back. */
static int sweep_one(const char *exp, const struct netns_rec *r, void *arg)
{
	const char *what = arg;
	bool live = rec_live(exp, r);

	if (live && !rec_stale(r))
		return 0;
	if (!unexport(exp, r, what) && live)
		printf("nsctl: %s: removed %s/%s, the export of \"%s\", which is gone\n",
		       what, NSCTL_NETNS_DIR, exp, r->ct);
	return 0;
}

int netns_sweep(const char *what)
{
	int fd;

	if (access(NSCTL_NETNS_RECORDS, F_OK))
		return 0;
	fd = records_lock(what);
	if (fd < 0)
		return 1;
	rec_each(sweep_one, (void *)what);
	close(fd);
	return 0;
}

/* /run/netns: a shared mount point of its own, as 'ip netns add' makes it. */
static int netns_dir_prepare(const char *what)
{
	if (mkdir(NSCTL_NETNS_DIR, 0755) && errno != EEXIST)
		return fail(what, "cannot create %s: %s", NSCTL_NETNS_DIR, strerror(errno));
	if (!mount("", NSCTL_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL))
		return 0;
	/* EINVAL: not a mount point yet. */
	if (errno != EINVAL ||
	    mount(NSCTL_NETNS_DIR, NSCTL_NETNS_DIR, "none", MS_BIND | MS_REC, NULL) ||
	    mount("", NSCTL_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL))
		return fail(what, "cannot make %s a shared mount point: %s", NSCTL_NETNS_DIR,
			    strerror(errno));
	return 0;
}

int netns_export_free(const char *exp, const char *what)
{
	struct netns_rec r;
	char path[4200];

	path_of(path, sizeof(path), NSCTL_NETNS_DIR, exp);
	if (access(path, F_OK))
		return 0;
	/* A stale export of nsctl's own is replaced, not in the way. */
	if (!rec_read(exp, &r) && rec_live(exp, &r) && rec_stale(&r))
		return 0;
	return fail(what, "%s already exists", path);
}

/* The container's UUID, through its open directory. */
static int dir_uuid(int dirfd, char uuid[37])
{
	int fd = openat(dirfd, "uuid", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, uuid, 36);
	close(fd);
	if (n != 36)
		return -EIO;
	uuid[36] = '\0';
	return 0;
}

/* An nsfs fd of the container's network namespace, @r filled; or -1. */
static int open_ct_netns(const char *ct, struct netns_rec *r, const char *what)
{
	struct nsctl_ns_info info;
	int dirfd, fd, err;

	memset(r, 0, sizeof(*r));
	snprintf(r->ct, sizeof(r->ct), "%s", ct);
	dirfd = nsctl_open(ct);
	if (dirfd < 0)
		return fail_neg(what, "%s", ct_why(dirfd));
	err = dir_uuid(dirfd, r->ct_uuid);
	fd = err ? err : nsctl_get_ns(dirfd, NSCTL_NS_NET);
	close(dirfd);
	if (fd == -ENOENT)
		return fail_neg(what, "the container holds no network namespace");
	if (fd == -EPERM)
		return fail_neg(what, "cannot get its network namespace: the container is sealed "
			    "(enter=deny) or you lack CAP_SYS_ADMIN");
	if (fd < 0)
		return fail_neg(what, "cannot get its network namespace: %s", strerror(-fd));
	err = nsctl_ns_info(fd, &info, NULL, 0);
	if (err) {
		close(fd);
		return fail_neg(what, "cannot identify its network namespace: %s",
			    strerror(-err));
	}
	nsctl_uuid_format(info.uuid, r->ns_uuid);
	r->inum = info.inum;
	return fd;
}

/* Under the lock: 0 (made, or already this very export), or 1 (reported). */
static int export_locked(const char *ct, const char *exp, const char *what)
{
	char path[4200], src[64];
	struct netns_rec r, old;
	int nsfd, fd, err;

	nsfd = open_ct_netns(ct, &r, what);
	if (nsfd < 0)
		return 1;
	path_of(path, sizeof(path), NSCTL_NETNS_DIR, exp);
	/* Ours already, or a stale one of a container that is gone. */
	if (!rec_read(exp, &old) && rec_live(exp, &old)) {
		if (!strcmp(old.ct_uuid, r.ct_uuid) && !strcmp(old.ns_uuid, r.ns_uuid)) {
			close(nsfd);
			return 0;
		}
		if (rec_stale(&old) && unexport(exp, &old, what))
			goto fail_nsfd;
	}
	if (netns_dir_prepare(what))
		goto fail_nsfd;
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0) {
		if (errno == EEXIST)
			fail(what, "%s already exists", path);
		else
			fail(what, "cannot create %s: %s", path, strerror(errno));
		goto fail_nsfd;
	}
	close(fd);
	snprintf(src, sizeof(src), "/proc/self/fd/%d", nsfd);
	if (mount(src, path, "none", MS_BIND, NULL)) {
		fail(what, "cannot bind-mount the network namespace on %s: %s", path,
		     strerror(errno));
		goto fail_unlink;
	}
	err = rec_write(exp, &r);
	if (err) {
		fail(what, "cannot record the export in %s: %s", NSCTL_NETNS_RECORDS,
		     strerror(-err));
		umount2(path, MNT_DETACH);
		goto fail_unlink;
	}
	close(nsfd);
	return 0;

fail_unlink:
	unlink(path);
fail_nsfd:
	close(nsfd);
	return 1;
}

int netns_export(const char *ct, const char *exp, const char *what)
{
	struct netns_rec r;
	int fd, ret;

	if (netns_name_check(exp))
		return fail(what, "\"%s\" is not a network namespace name", exp);
	fd = records_lock(what);
	if (fd < 0)
		return 1;
	ret = export_locked(ct, exp, what);
	/* At most one export: the container's others go. */
	if (!ret && !rec_read(exp, &r))
		ret = remove_ct(r.ct, r.ct_uuid, exp, false, what);
	close(fd);
	return ret;
}

int netns_unexport(const char *ct, const char *what)
{
	char uuid[37];
	int dirfd, err;

	dirfd = nsctl_open(ct);
	if (dirfd < 0)
		return fail(what, "%s", ct_why(dirfd));
	err = dir_uuid(dirfd, uuid);
	close(dirfd);
	if (err)
		return fail(what, "cannot read its UUID: %s", strerror(-err));
	return netns_unexport_ct(ct, uuid, what);
}

int netns_export_created(struct nsctl_genl *g, const char *ct, const char *exp,
			 const char *what)
{
	if (!netns_export(ct, exp, what))
		return 0;
	/* A failed create leaves no container behind. */
	nsctl_genl_del_container(g, &(struct nsctl_ct_ref){ .name = ct }, NULL);
	return 1;
}

/* ---- following deletions: 'nsctl boot --service' ---- */

static int on_event(const struct nsctl_event *ev, void *arg)
{
	char uuid[37];

	if (ev->cmd == NSCTL_CMD_CONTAINER_DELETED) {
		nsctl_uuid_format(ev->ct.uuid, uuid);
		unexport_ct(ev->ct.name, uuid, true, arg);
	}
	return 0;
}

struct nsctl_genl *netns_watch(const char *what)
{
	struct nsctl_genl *g;
	int err;

	if (nsctl_connect(what, &g))
		return NULL;
	err = nsctl_genl_subscribe(g, 0);
	if (err) {
		fail(what, "cannot follow deletions to remove their netns exports: %s",
		     genl_why(g, err));
		nsctl_genl_close(g);
		return NULL;
	}
	return g;
}

int netns_watch_read(struct nsctl_genl *g, const char *what)
{
	int err = nsctl_genl_recv_events(g, on_event, (void *)what);

	if (err == -ENOBUFS) {
		/* Deletions may be among the events lost: look at every export. */
		nsctl_genl_discard_events(g);
		return netns_sweep(what);
	}
	if (err)
		return fail(what, "reading events: %s", strerror(-err));
	return 0;
}
