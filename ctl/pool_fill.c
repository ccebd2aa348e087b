// SPDX-License-Identifier: GPL-2.0
/*
 * nsctl pool fill: the filler, what nsctl-pool-fill.service runs.
 *
 * It subscribes to nsctl's events first, so that nothing falls between
 * its first look and its wait, then fills every pool (or the named ones)
 * up to its size, and sleeps in poll(2) until a pool is made
 * (POOL_CREATED) or runs low (POOL_LOW); lost events (a gap in their
 * numbers, a socket overrun) make it look at every pool again.  Each
 * member is made as 'nsctl create' makes fresh namespaces and a cgroup
 * (create.c's helper, cgroup.c) and handed to the kernel with ADD_MEMBER,
 * a batch at a time, the pool read again between batches: another filler
 * may be at work on it, and a full pool (ENOSPC) or a deleted one
 * (ENOENT) ends its pass quietly.  Every pass ends with a sweep of the
 * cgroups of members the kernel released (pool_cgroup.c).
 *
 * The filler does not give up: an error is a line on standard error, and
 * a pass that met one is tried again later (after 1 s, doubling up to a
 * minute).  SIGTERM and SIGINT end it with status 0, between two members.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <linux/capability.h>

#include "nsctl.h"

static const char fill_usage[] =
"Usage: nsctl pool fill [NAME...] [--once] [--batch N]\n"
"\n"
"Make members for the pools (every pool, or those named) until each holds its\n"
"size, then wait for a pool to be made or to run low and fill it again.\n"
"Members are made as 'nsctl create' makes fresh namespaces, with a cgroup\n"
"PARENT/POOL~RANDOM; the cgroups of members the kernel released (expired,\n"
"pool shrunk or deleted) are removed after each pass.  Errors are reported\n"
"and tried again later; SIGTERM or SIGINT ends it (status 0).\n"
"nsctl-pool-fill.service runs it.\n"
"\n"
"  --once       fill each pool once, remove released members' cgroups, exit\n"
"               (status 1 if a pool could not be filled)\n"
"  --batch N    members made between two reads of a pool (default 16)\n"
"  -h, --help   show this help\n";

#define RETRY_FIRST_MS	1000
#define RETRY_MAX_MS	60000

struct filler {
	struct nsctl_genl *req;		/* requests */
	struct nsctl_genl *ev;		/* events, NULL with --once */
	char **names;			/* the pools to fill; none: all */
	int nnames;
	unsigned int batch;
	bool once;
	unsigned long passes;
	int sigfd;
	bool stop;
	bool failed;			/* the last pass met an error */
	/* What the events asked for. */
	bool have_base;
	uint64_t next_seq;
	bool rescan;			/* every pool */
	bool sweep;			/* a pool was deleted */
	char due[NSCTL_POOLS_MAX][NSCTL_POOL_NAME_MAX + 1];
	unsigned int ndue;
};

static bool selected(const struct filler *f, const char *name)
{
	int i;

	if (!f->nnames)
		return true;
	for (i = 0; i < f->nnames; i++)
		if (!strcmp(f->names[i], name))
			return true;
	return false;
}

/* SIGTERM or SIGINT pending (they are blocked, and read by no one). */
static bool stopping(struct filler *f)
{
	struct pollfd pfd = { .fd = f->sigfd, .events = POLLIN };

	if (!f->stop && f->sigfd >= 0 && poll(&pfd, 1, 0) > 0)
		f->stop = true;
	return f->stop;
}

/*
 * One member for @p; @after receives the pool after the add.  0, -ENOSPC
 * (full) or -ENOENT (gone), or 1 (reported); nothing is left on failure.
 */
static int add_one(struct filler *f, struct pool_cg *pc, const struct nsctl_pool *p,
		   struct nsctl_pool *after, const char *what)
{
	struct nsctl_genl_new req = { .types = p->types, .cgroup_fd = -1 };
	struct ns_helper h = { .pid = -1, .go = -1 };
	char cgpath[4200] = "";
	struct create_opts o;
	unsigned int i;
	int err, ret = 1;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		req.fds[i] = -1;
	create_opts_init(&o);
	o.name = p->name;	/* the members' host name */
	o.types = p->types;
	if (!(p->flags & NSCTL_POOL_NO_CGROUP) &&
	    pool_cg_make(pc, p, cgpath, sizeof(cgpath), &req.cgroup_fd, what))
		return 1;
	if (fresh_ns_start(&o, p->types, &req, cgpath, &h, what))
		goto out;
	err = nsctl_genl_add_member(f->req, p->name, &req, after);
	if (err == -ENOSPC || err == -ENOENT)
		ret = err;
	else if (err)
		fail(what, "cannot add a member: %s", genl_why(f->req, err));
	else
		ret = 0;
	helper_end(&h);
out:
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (req.fds[i] >= 0)
			close(req.fds[i]);
	if (req.cgroup_fd >= 0)
		close(req.cgroup_fd);
	if (ret && cgpath[0])
		rmdir(cgpath);
	return ret;
}

/*
 * Fill the pool @name up to its size, a batch between two reads of it:
 * 0, or 1 (reported).  @pc is opened (the parent readied) when first
 * needed.
 */
static int fill_pool(struct filler *f, struct pool_cg *pc, const char *name)
{
	char what[NSCTL_POOL_NAME_MAX + 64];
	struct nsctl_pool p, after;
	unsigned int added = 0, n, i;
	bool done = false;
	int err = 0;

	snprintf(what, sizeof(what), "pool fill \"%s\"", name);
	while (!done && !stopping(f)) {
		err = nsctl_genl_get_pool(f->req, name, &p);
		if (err) {
			if (err != -ENOENT)
				err = pool_failed(f->req, err, name, "read the pool", what);
			break;
		}
		if (p.ready >= p.size) {
			nsctl_pool_clear(&p);
			break;
		}
		if (!(p.flags & NSCTL_POOL_NO_CGROUP) && pc->dirfd < 0 &&
		    pool_cg_open(pc, true, what)) {
			nsctl_pool_clear(&p);
			err = 1;
			break;
		}
		n = p.size - p.ready < f->batch ? p.size - p.ready : f->batch;
		pool_cg_lock(pc, false);
		for (i = 0; i < n && !done && !stopping(f); i++) {
			err = add_one(f, pc, &p, &after, what);
			if (err) {
				done = true;
				break;
			}
			added++;
			done = after.ready >= after.size;
			nsctl_pool_clear(&after);
		}
		pool_cg_unlock(pc);
		nsctl_pool_clear(&p);
	}
	if (added)
		printf("nsctl pool fill: %s: %u member%s added\n", name, added,
		       added == 1 ? "" : "s");
	/* Full (another filler) or gone: nothing to say. */
	return err == -ENOSPC || err == -ENOENT ? 0 : !!err;
}

/* One pass: every selected pool (or those events named), then a sweep. */
static void pass(struct filler *f, bool all)
{
	struct pool_cg pc = { .dirfd = -1 };
	struct nsctl_pool *pools = NULL;
	size_t n = 0, i;
	int err, j;

	f->failed = false;
	if (all) {
		err = nsctl_genl_list_pools(f->req, &pools, &n);
		if (err) {
			fail("pool fill", "cannot list the pools: %s", genl_why(f->req, err));
			f->failed = true;
			return;
		}
		for (i = 0; i < n && !stopping(f); i++)
			if (selected(f, pools[i].name) && fill_pool(f, &pc, pools[i].name))
				f->failed = true;
		/* A name given that is no pool: an error once, else waited for. */
		for (j = 0; j < f->nnames; j++) {
			for (i = 0; i < n && strcmp(pools[i].name, f->names[j]); i++)
				;
			if (i < n || (!f->once && f->passes))
				continue;
			fail("pool fill", f->once ? "no such pool \"%s\"" :
			     "no such pool \"%s\" yet: filled once it is made", f->names[j]);
			f->failed |= f->once;
		}
		nsctl_pool_free_array(pools, n);
	} else {
		for (i = 0; i < f->ndue && !stopping(f); i++)
			if (fill_pool(f, &pc, f->due[i]))
				f->failed = true;
	}
	f->passes++;
	f->ndue = 0;
	f->rescan = false;
	f->sweep = false;
	pool_cg_close(&pc);
	if (stopping(f))
		return;
	err = pool_cg_sweep(f->req, "pool fill");
	if (err < 0)
		f->failed = true;
	else if (err)
		printf("nsctl pool fill: removed %d cgroup%s of released members\n", err,
		       err == 1 ? "" : "s");
}

static int on_event(const struct nsctl_event *ev, void *arg)
{
	struct filler *f = arg;
	unsigned int i;

	if (ev->has_seq) {
		/* Lost events: every pool is looked at again. */
		if (f->have_base && ev->seq != f->next_seq)
			f->rescan = true;
		f->have_base = true;
		f->next_seq = ev->seq + 1;
	}
	if (!nsctl_event_is_pool(ev->cmd) || !selected(f, ev->pool.name))
		return 0;
	if (ev->cmd == NSCTL_CMD_POOL_DELETED) {
		f->sweep = true;
		return 0;
	}
	for (i = 0; i < f->ndue; i++)
		if (!strcmp(f->due[i], ev->pool.name))
			return 0;
	if (f->ndue == NSCTL_POOLS_MAX) {
		f->rescan = true;
		return 0;
	}
	snprintf(f->due[f->ndue++], sizeof(f->due[0]), "%s", ev->pool.name);
	return 0;
}

/* The events queued now; true when the socket failed otherwise than overrun. */
static bool read_events(struct filler *f)
{
	struct pollfd pfd = { .fd = nsctl_genl_fd(f->ev), .events = POLLIN };
	int err;

	do {
		err = nsctl_genl_recv_events(f->ev, on_event, f);
		if (err == -ENOBUFS) {
			f->rescan = true;
			f->have_base = false;
		} else if (err < 0) {
			fail("pool fill", "cannot receive events: %s", strerror(-err));
			f->rescan = true;
			return true;
		}
	} while (poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN));
	return false;
}

static int serve(struct filler *f)
{
	struct pollfd pfd[2] = {
		{ .fd = f->sigfd, .events = POLLIN },
		{ .fd = nsctl_genl_fd(f->ev), .events = POLLIN },
	};
	int retry = RETRY_FIRST_MS, timeout, n;

	f->rescan = true;
	for (;;) {
		if (f->rescan || f->ndue)
			pass(f, f->rescan);
		else if (f->sweep)
			pass(f, false);	/* nothing due: the sweep alone */
		if (stopping(f))
			return 0;
		timeout = f->failed ? retry : -1;
		retry = f->failed ? (retry * 2 > RETRY_MAX_MS ? RETRY_MAX_MS : retry * 2) :
			RETRY_FIRST_MS;
		n = poll(pfd, 2, timeout);
		if (n < 0 && errno != EINTR) {
			fail("pool fill", "poll: %s", strerror(errno));
			return 1;
		}
		if (n == 0)
			f->rescan = true;	/* try again what failed */
		if (pfd[0].revents)
			return 0;
		if ((pfd[1].revents & (POLLIN | POLLERR)) && read_events(f))
			/* A socket that keeps failing is not spun on. */
			poll(NULL, 0, retry);
	}
}

int cmd_pool_fill(int argc, char **argv)
{
	enum { O_ONCE = 256, O_BATCH };
	static const struct option longopts[] = {
		{ "once", no_argument, NULL, O_ONCE },
		{ "batch", required_argument, NULL, O_BATCH },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct filler f = { .batch = 16, .sigfd = -1 };
	sigset_t set;
	char *end;
	int opt, i, err, ret = 1;
	unsigned long v;

	if (want_help(argc, argv, fill_usage))
		return 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == O_ONCE) {
			f.once = true;
		} else if (opt == O_BATCH) {
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || *optarg < '1' || *optarg > '9' ||
			    v > NSCTL_POOL_SIZE_MAX)
				return fail("pool fill", "--batch: \"%s\" is not a number from 1 to %d",
					    optarg, NSCTL_POOL_SIZE_MAX);
			f.batch = v;
		} else {
			fputs(fill_usage, stderr);
			return 1;
		}
	}
	f.names = argv + optind;
	f.nnames = argc - optind;
	for (i = 0; i < f.nnames; i++)
		if (pool_name_check(f.names[i], "pool fill"))
			return 1;
	if (!have_cap(CAP_SYS_ADMIN))
		return fail("pool fill", "needs CAP_SYS_ADMIN in the initial user namespace");

	/* Progress reaches the journal in order; a closed reader is no reason to die. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	f.sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (f.sigfd < 0)
		return fail("pool fill", "signalfd: %s", strerror(errno));

	if (nsctl_connect("pool fill", &f.req))
		goto out;
	if (f.once) {
		pass(&f, true);
		ret = f.failed;
		goto out;
	}
	if (nsctl_connect("pool fill", &f.ev))
		goto out;
	/* A large buffer: a burst of claims loses no POOL_LOW. */
	err = nsctl_genl_subscribe(f.ev, 1 << 20);
	if (err == -EPERM || err == -EACCES) {
		fail("pool fill", "needs CAP_SYS_ADMIN in the initial user namespace to "
		     "receive events");
		goto out;
	}
	if (err) {
		fail("pool fill", "cannot subscribe to the events: %s", strerror(-err));
		goto out;
	}
	fprintf(stderr, "%s: pool fill: listening\n", prog);
	ret = serve(&f);
out:
	nsctl_genl_close(f.ev);
	nsctl_genl_close(f.req);
	close(f.sigfd);
	return ret;
}
