// SPDX-License-Identifier: GPL-2.0
/*
 * pool_bench: what a pool of ready containers buys, measured in one run
 * and reported as ratios (no assertion about time anywhere).  Every
 * container holds fresh mnt, uts, ipc, net, pid and cgroup namespaces and
 * a cgroup of its own, as `nsctl create` makes by default.  In the order
 * measured:
 *
 *  - Memory per pooled member, first, on a quiet system: MemAvailable,
 *    used memory, Slab and Percpu before and after filling a pool.
 *  - One container, in process: one NSCTL_CMD_CLAIM from a filled pool,
 *    against a fresh create made as `nsctl create` makes it (a helper
 *    child joins the new cgroup and unshares the six types, makes mount
 *    propagation private, sets the host name and brings lo up; the parent
 *    sends NSCTL_CMD_NEW_CONTAINER with the namespaces' fds and the pid
 *    slot by NSCTL_A_NS_PID; the helper exits), and against a bare
 *    unshare(2) of the same types in a forked child; for scale, a netlink
 *    round trip (NSCTL_CMD_GET_POOL) and the create of an empty container.
 *    Also through the tool (`nsctl create NAME --from-pool POOL` against
 *    `nsctl create NAME`, and `nsctl --version` for the tool's own start)
 *    when it has the option.
 *  - A sandbox end to end, "fresh namespaces and a cgroup, /bin/true run
 *    in them": claim and enter (nsctl_enter(), a fork in the container's
 *    PID namespace, exec); create and enter; unshare(1) started in a fresh
 *    cgroup by clone3(2)'s CLONE_INTO_CGROUP; `crun run` of a minimal
 *    bundle.  Without and with the teardown (container deleted over
 *    netlink, cgroup removed).
 *  - A sustained rate over a fixed count: claim, enter /bin/true, delete,
 *    with a filler process adding members whenever the pool reports that
 *    it ran low (NSCTL_CMD_POOL_LOW, as `nsctl pool fill` does), and with
 *    the tool's `nsctl pool fill` when it has it; from a pool filled with
 *    every member beforehand (no filler at work); with fresh creates.
 *    The four loops take turns in slices, each filler running during its
 *    loop's slices only.  Where the time goes.
 *
 * Members are made as the tool's filler makes them: a cgroup
 * "<pool>~<16 hex digits>" in the parent `nsctl create` uses, marked with
 * the xattr "~<pool>", made and added under a shared flock of the parent;
 * namespaces from the same helper as a create, handed over with
 * NSCTL_CMD_ADD_MEMBER.  The parent cgroup is prepared once (the tool does
 * it on every create; so does `nsctl create` in the tool rows).  In
 * process, both paths keep one netlink socket and look no name up first.
 * Methods of one measurement are interleaved over rounds; between
 * measurements, the program waits until the namespaces made so far are
 * torn down.
 *
 *	pool_bench [PER_ROUND [SANDBOX_PER_ROUND [SUSTAINED [MEMBERS]]]]
 */

#include "pool_bench_lib.h"

/* ---- 1. one container ---- */

static bool tool_pool;	/* nsctl create has --from-pool */

/* An empty container: the directory and registry work of a claim, no more. */
static void create_empty(const char *name)
{
	struct nl_req *r = req_new(&nl, NSCTL_CMD_NEW_CONTAINER);
	struct nl_ack ack;
	int err;

	nl_put_str(r, NSCTL_A_CT_NAME, name);
	err = nl_transact(&nl, r, NULL, NULL, &ack);
	if (err)
		nl_die("NSCTL_CMD_NEW_CONTAINER", err, &ack);
}

enum { P1_CLAIM, P1_CREATE, P1_UNSHARE, P1_GET, P1_EMPTY, P1_TOOL_POOL, P1_TOOL, P1_TOOL_START,
       P1_COUNT };

static void part1(int per)
{
	static const char *const label[P1_COUNT] = {
		"claim (NSCTL_CMD_CLAIM)",
		"create (helper + NSCTL_CMD_NEW_CONTAINER)",
		"unshare(2) in a forked child",
		"for scale: NSCTL_CMD_GET_POOL (a round trip)",
		"for scale: NEW_CONTAINER of an empty container",
		"nsctl create NAME --from-pool P",
		"nsctl create NAME",
		"for scale: nsctl --version (the tool's start)",
	};
	int n = ROUNDS * per, r, k, m;
	double *t[P1_COUNT], t0, med[P1_COUNT];
	struct nl_msg *msg = malloc(sizeof(*msg));
	struct nl_pool pc;
	char name[64], cg[64][320];
	char *tool_pool_argv[] = { "nsctl", "create", name, "--from-pool", "pb1", NULL };
	char *tool_argv[] = { "nsctl", "create", name, NULL };
	char *version_argv[] = { "nsctl", "--version", NULL };
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (!msg || per > 64)
		die("part 1: at most 64 per round");
	for (m = 0; m < P1_COUNT; m++) {
		t[m] = calloc(n, sizeof(double));
		if (!t[m])
			die("calloc");
	}
	pool_new("pb1", per);
	for (r = 0; r < ROUNDS; r++) {
		fill("pb1", per);
		for (k = 0; k < per; k++) {
			snprintf(name, sizeof(name), "pb-c-%d", k);
			t0 = now();
			if (claim("pb1", name, msg))
				nl_die("NSCTL_CMD_CLAIM", -EAGAIN, NULL);
			t[P1_CLAIM][r * per + k] = now() - t0;
			snprintf(cg[k], sizeof(cg[k]), CG_ROOT "%s", msg->cgroup_path);
		}
		for (k = 0; k < per; k++) {
			snprintf(name, sizeof(name), "pb-c-%d", k);
			ct_delete(name);
			rm_cgroup(cg[k]);
		}
		for (k = 0; k < per; k++) {
			snprintf(name, sizeof(name), "pb-n-%d", k);
			t0 = now();
			create(name);
			t[P1_CREATE][r * per + k] = now() - t0;
		}
		for (k = 0; k < per; k++) {
			snprintf(name, sizeof(name), "pb-n-%d", k);
			ct_delete(name);
			snprintf(cg[k], sizeof(cg[k]), CG_PARENT "/%s", name);
			rm_cgroup(cg[k]);
		}
		for (k = 0; k < per; k++) {
			t0 = now();
			unshare_child();
			t[P1_UNSHARE][r * per + k] = now() - t0;
		}
		for (k = 0; k < per; k++) {
			t0 = now();
			pool_get(&nl, "pb1", &pc);
			t[P1_GET][r * per + k] = now() - t0;
		}
		for (k = 0; k < per; k++) {
			snprintf(name, sizeof(name), "pb-e-%d", k);
			t0 = now();
			create_empty(name);
			t[P1_EMPTY][r * per + k] = now() - t0;
		}
		for (k = 0; k < per; k++) {
			snprintf(name, sizeof(name), "pb-e-%d", k);
			ct_delete(name);
		}
		if (!tool_pool)
			continue;
		fill("pb1", per);
		for (k = 0; k < per; k++) {
			snprintf(name, sizeof(name), "pb-tc-%d", k);
			t0 = now();
			if (run(tool_pool_argv, -1))
				die("nsctl create --from-pool");
			t[P1_TOOL_POOL][r * per + k] = now() - t0;
		}
		for (k = 0; k < per; k++) {
			snprintf(name, sizeof(name), "pb-tn-%d", k);
			t0 = now();
			if (run(tool_argv, -1))
				die("nsctl create");
			t[P1_TOOL][r * per + k] = now() - t0;
		}
		for (k = 0; k < per; k++) {
			t0 = now();
			if (run(version_argv, null))
				die("nsctl --version");
			t[P1_TOOL_START][r * per + k] = now() - t0;
		}
		for (k = 0; k < per; k++) {
			snprintf(name, sizeof(name), "pb-tc-%d", k);
			ct_remove(name);
			snprintf(name, sizeof(name), "pb-tn-%d", k);
			ct_remove(name);
		}
	}
	pool_del("pb1");
	sweep("pb1");
	for (m = 0; m < P1_COUNT; m++)
		med[m] = median(t[m], n);
	printf("one container, us per op, median of %d (%d interleaved rounds of %d):\n",
	       n, ROUNDS, per);
	printf("  %-48s %10s %10s\n", "method", "us", "vs claim");
	for (m = 0; m < P1_TOOL_POOL; m++)
		printf("  %-48s %10.1f %10.2f\n", label[m], med[m] / 1e3, med[m] / med[P1_CLAIM]);
	printf("  create / claim: %.0fx (the goal: at least 100x); unshare / claim: %.1fx\n",
	       med[P1_CREATE] / med[P1_CLAIM], med[P1_UNSHARE] / med[P1_CLAIM]);
	if (tool_pool) {
		printf("through the tool, a fork and exec each (ratios against --from-pool):\n");
		for (m = P1_TOOL_POOL; m < P1_COUNT; m++)
			printf("  %-48s %10.1f %10.2f\n", label[m], med[m] / 1e3,
			       med[m] / med[P1_TOOL_POOL]);
		printf("  nsctl create / nsctl create --from-pool: %.1fx\n",
		       med[P1_TOOL] / med[P1_TOOL_POOL]);
	} else {
		printf("through the tool: not measured (nsctl create has no --from-pool)\n");
	}
	for (m = 0; m < P1_COUNT; m++)
		free(t[m]);
	free(msg);
	close(null);
}

/* ---- 2. a sandbox end to end ---- */

static void part2(int per)
{
	int n = ROUNDS * per, r, k, i, m, methods = have_crun ? 4 : 3;
	double *t[4], *td[4], t0, t1, med[4], medd[4];
	struct nl_msg *msg = malloc(sizeof(*msg));
	char name[64], cg[320];
	static const char *const label[] = {
		"claim + enter + /bin/true",
		"create + enter + /bin/true",
		"mkdir cgroup + clone3 into it: unshare(1) --fork",
		"crun run --no-pivot (its teardown included)",
	};

	if (!msg)
		die("malloc");
	for (i = 0; i < 4; i++) {
		t[i] = calloc(n, sizeof(double));
		td[i] = calloc(n, sizeof(double));
		if (!t[i] || !td[i])
			die("calloc");
	}
	pool_new("pb2", per);
	for (r = 0; r < ROUNDS; r++) {
		fill("pb2", per);
		for (k = 0; k < per; k++) {
			snprintf(name, sizeof(name), "pb-sc-%d", k);
			t0 = now();
			if (claim("pb2", name, msg))
				nl_die("NSCTL_CMD_CLAIM", -EAGAIN, NULL);
			run_in(name);
			t1 = now();
			snprintf(cg, sizeof(cg), CG_ROOT "%s", msg->cgroup_path);
			ct_delete(name);
			rm_cgroup(cg);
			t[0][r * per + k] = t1 - t0;
			td[0][r * per + k] = now() - t0;
		}
		for (k = 0; k < per; k++) {
			snprintf(name, sizeof(name), "pb-sn-%d", k);
			t0 = now();
			create(name);
			run_in(name);
			t1 = now();
			snprintf(cg, sizeof(cg), CG_PARENT "/%s", name);
			ct_delete(name);
			rm_cgroup(cg);
			t[1][r * per + k] = t1 - t0;
			td[1][r * per + k] = now() - t0;
		}
		for (k = 0; k < per; k++) {
			snprintf(cg, sizeof(cg), CG_PARENT "/pb-su-%d", k);
			t0 = now();
			unshare_tool(cg);
			t1 = now();
			rm_cgroup(cg);
			t[2][r * per + k] = t1 - t0;
			td[2][r * per + k] = now() - t0;
		}
		for (k = 0; have_crun && k < per; k++) {
			t0 = now();
			crun_run();
			t[3][r * per + k] = td[3][r * per + k] = now() - t0;
		}
	}
	pool_del("pb2");
	sweep("pb2");
	for (m = 0; m < methods; m++) {
		med[m] = median(t[m], n);
		medd[m] = median(td[m], n);
	}
	printf("a sandbox: fresh namespaces and a cgroup, /bin/true run in them; us, median of %d\n"
	       "(%d interleaved rounds of %d):\n", n, ROUNDS, per);
	printf("  %-50s %9s %9s | %9s %9s\n", "method", "start", "vs pool", "+teardown",
	       "vs pool");
	for (m = 0; m < methods; m++)
		printf("  %-50s %9.0f %9.2f | %9.0f %9.2f\n", label[m], med[m] / 1e3,
		       med[m] / med[0], medd[m] / 1e3, medd[m] / medd[0]);
	if (!have_crun)
		printf("  (crun is not installed: its row is left out)\n");
	for (i = 0; i < 4; i++) {
		free(t[i]);
		free(td[i]);
	}
	free(msg);
}

/* ---- 3. a sustained rate ---- */

/* What the filler did, sent back over a pipe when it stops. */
struct filler_report {
	long added, full, wakeups, overruns;
	double busy_ns;
};

/*
 * The filler: `nsctl pool fill` in a process of its own.  It fills the
 * pool up to its size, then sleeps until the pool reports that it ran low
 * (or its event socket overran, when it cannot know), and fills again;
 * until @stop is readable.
 */
static void __attribute__((noreturn)) filler(const char *pool, int stop, int report)
{
	struct filler_report rep = { 0 };
	struct nl_pool pc;
	struct nl ev, req;
	struct nl_msg *m = malloc(sizeof(*m));
	struct pollfd p[2];
	bool low = true;
	double t0;
	int ret;

	if (!m || nl_open(&req) || nl_open(&ev) || nl_subscribe(&ev, 0))
		_exit(1);
	/* A flock of its own: one on an inherited descriptor is shared. */
	close(parent_fd);
	parent_fd = open(CG_PARENT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (parent_fd < 0)
		_exit(1);
	p[0] = (struct pollfd){ .fd = ev.fd, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = stop, .events = POLLIN };
	for (;;) {
		if (low) {
			pool_get(&req, pool, &pc);
			t0 = now();
			while (pc.ready < pc.size) {
				if (poll(&p[1], 1, 0) > 0)
					break;
				if (add_member(&req, pool, &pc)) {
					rep.full++;
					break;
				}
				rep.added++;
			}
			rep.busy_ns += now() - t0;
			low = false;
		}
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			_exit(1);
		if (p[1].revents)
			break;
		rep.wakeups++;
		/* Whatever is queued: a POOL_LOW of this pool means fill. */
		while ((ret = nl_event(&ev, m, 0)) != 0) {
			if (ret == -ENOBUFS) {
				rep.overruns++;
				low = true;
				continue;
			}
			if (ret < 0)
				_exit(1);
			if (m->cmd == NSCTL_CMD_POOL_LOW && !strcmp(m->pool.name, pool))
				low = true;
		}
	}
	if (write(report, &rep, sizeof(rep)) != sizeof(rep))
		_exit(1);
	nl_close(&ev);
	nl_close(&req);
	_exit(0);
}

/* A loop's figures, summed over its slices. */
struct loop_figures {
	const char *label;
	const char *pool;	/* NULL: creates */
	int filler;		/* F_* */
	double total, claim, create, enter, del;
	double *tc, *tn;	/* each claim that found a member, each create */
	long claimed, created, done;
	/* The pool's counters over the slices; the filler's own report. */
	__u64 added, missed;
	__u32 ready;
	struct filler_report rep;
};

enum { F_NONE, F_OWN, F_TOOL };

/*
 * @n times: a container (claimed, or made when @f has no pool or its pool
 * had no member), /bin/true in it, and its delete with its cgroup.
 */
static void loop(struct loop_figures *f, int n)
{
	static struct nl_msg msg;
	static int seq;
	char name[64], cg[320];
	double t0, t1, start = now();
	int k;

	for (k = 0; k < n; k++) {
		snprintf(name, sizeof(name), "pb-l-%d", seq++);
		t0 = now();
		if (f->pool && !claim(f->pool, name, &msg)) {
			snprintf(cg, sizeof(cg), CG_ROOT "%s", msg.cgroup_path);
			f->tc[f->claimed++] = now() - t0;
			f->claim += now() - t0;
		} else {
			if (f->pool)
				f->claim += now() - t0;
			t0 = now();
			create(name);
			snprintf(cg, sizeof(cg), CG_PARENT "/%s", name);
			f->tn[f->created++] = now() - t0;
			f->create += now() - t0;
		}
		t0 = now();
		run_in(name);
		t1 = now();
		f->enter += t1 - t0;
		ct_delete(name);
		rm_cgroup(cg);
		f->del += now() - t1;
	}
	f->done += n;
	f->total += now() - start;
}

/*
 * One slice of @f's loop, its filler (if any) started for it and stopped
 * after it, between two members: this program's filler, or `nsctl pool
 * fill`, which SIGTERM ends so.
 */
static void slice(struct loop_figures *f, int n)
{
	char *argv[] = { "nsctl", "pool", "fill", (char *)f->pool, NULL };
	struct filler_report rep;
	struct nl_pool before, after;
	int stop[2], rp[2], status;
	pid_t pid = -1;

	if (f->pool)
		pool_get(&nl, f->pool, &before);
	if (f->filler != F_NONE) {
		if (pipe2(stop, O_CLOEXEC) || pipe2(rp, O_CLOEXEC))
			die("pipe");
		pid = fork();
		if (pid == 0 && f->filler == F_TOOL) {
			dup2(open("/dev/null", O_WRONLY | O_CLOEXEC), 1);
			dup2(1, 2);
			execvp(argv[0], argv);
			_exit(127);
		}
		if (pid == 0) {
			close(stop[1]);
			close(rp[0]);
			filler(f->pool, stop[0], rp[1]);
		}
		close(stop[0]);
		close(rp[1]);
	}
	loop(f, n);
	if (f->filler != F_NONE) {
		close(stop[1]);
		if (f->filler == F_TOOL) {
			kill(pid, SIGTERM);
		} else {
			if (read(rp[0], &rep, sizeof(rep)) != sizeof(rep))
				die("the filler's report");
			f->rep.added += rep.added;
			f->rep.full += rep.full;
			f->rep.wakeups += rep.wakeups;
			f->rep.overruns += rep.overruns;
			f->rep.busy_ns += rep.busy_ns;
		}
		close(rp[0]);
		/* A SIGTERM that came before the tool set itself up ended it. */
		status = wait_status(pid);
		if (status && !(f->filler == F_TOOL && status == 128 + SIGTERM))
			die(f->filler == F_TOOL ? "nsctl pool fill" : "the filler");
	}
	if (f->pool) {
		pool_get(&nl, f->pool, &after);
		f->added += after.added - before.added;
		f->missed += after.missed - before.missed;
		f->ready = after.ready;
	}
}

static void print_loop(const struct loop_figures *f, double create_rate)
{
	double rate = f->done / (f->total / 1e9);

	printf("  %-34s %12.1f %9.2f | %8.2f %8.2f %8.2f %8.2f\n", f->label, rate,
	       rate / create_rate, f->claim / f->done / 1e6, f->create / f->done / 1e6,
	       f->enter / f->done / 1e6, f->del / f->done / 1e6);
}

static void part3(int count, int size)
{
	struct loop_figures l[4] = {
		{ .label = "claim, this program's filler", .pool = "pb3", .filler = F_OWN },
		{ .label = "claim, nsctl pool fill", .pool = "pb3t", .filler = F_TOOL },
		{ .label = "claim, the pool filled beforehand", .pool = "pb3all" },
		{ .label = "create" },
	};
	int per = count / ROUNDS > 0 ? count / ROUNDS : 1, r, i, n = tool_pool ? 4 : 3;
	struct loop_figures *own = &l[0], *cr = &l[n - 1];
	double t0, fill_secs, create_rate, med;

	/* Without the tool's filler, its loop is left out. */
	if (!tool_pool) {
		l[1] = l[2];
		l[2] = l[3];
	}
	count = per * ROUNDS;
	printf("sustained: a container, /bin/true entered in it, its delete, %d times each way\n"
	       "(%d interleaved rounds of %d):\n", count, ROUNDS, per);
	if (count > NSCTL_POOL_SIZE_MAX)
		die("part 3: more containers than a pool holds");
	for (i = 0; i < n; i++) {
		l[i].tc = calloc(count, sizeof(double));
		l[i].tn = calloc(count, sizeof(double));
		if (!l[i].tc || !l[i].tn)
			die("calloc");
	}
	drain();
	pool_new("pb3all", count);
	t0 = now();
	fill("pb3all", count);
	fill_secs = (now() - t0) / 1e9;
	printf("  a pool of %d filled in %.1f s\n", count, fill_secs);
	for (i = 0; i < n; i++)
		if (l[i].filler != F_NONE) {
			pool_new(l[i].pool, size);
			fill(l[i].pool, size);
		}
	drain();
	/* A line a round: the VM's runner takes a long silence for a hang. */
	t0 = now();
	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < n; i++)
			slice(&l[i], per);
		printf("  round %d of %d done at %.0f s\n", r + 1, ROUNDS, (now() - t0) / 1e9);
	}
	for (i = 0; i < n; i++)
		if (l[i].pool) {
			pool_del(l[i].pool);
			sweep(l[i].pool);
		}

	create_rate = cr->done / (cr->total / 1e9);
	printf("ms per container (mean):\n");
	printf("  %-34s %12s %9s | %8s %8s %8s %8s\n", "loop", "containers/s", "vs create",
	       "claim", "create", "enter", "delete");
	for (i = 0; i < n; i++)
		print_loop(&l[i], create_rate);
	med = median(cr->tn, cr->created);
	printf("  median create %.2f ms; median claim that found a member, and against the "
	       "create:\n", med / 1e6);
	for (i = 0; i < n - 1; i++)
		printf("    %-34s %.2f ms (90th percentile %.2f), %.0fx\n", l[i].label,
		       median(l[i].tc, l[i].claimed) / 1e6,
		       l[i].claimed ? l[i].tc[l[i].claimed * 9 / 10] / 1e6 : 0.0,
		       med / median(l[i].tc, l[i].claimed));
	for (i = 0; i < n - 1; i++)
		printf("  %s: %ld claimed, %ld made fresh after a miss (MISSED %llu), ADDED %llu, "
		       "%u ready at the end\n", l[i].label, l[i].claimed, l[i].created,
		       (unsigned long long)l[i].missed, (unsigned long long)l[i].added, l[i].ready);
	printf("  pools of %d refilled (low-water mark %d); this program's filler: busy %.1f s of "
	       "its loop's %.1f s,\n    %.1f members/s while busy (%.1f/s alone, filling %d "
	       "beforehand); %ld wakeups, %ld event overruns,\n    %ld adds refused as full\n",
	       size, (size + 1) / 2, own->rep.busy_ns / 1e9, own->total / 1e9,
	       own->rep.busy_ns ? own->rep.added / (own->rep.busy_ns / 1e9) : 0.0,
	       count / fill_secs, count, own->rep.wakeups, own->rep.overruns, own->rep.full);
	for (i = 0; i < n; i++) {
		free(l[i].tc);
		free(l[i].tn);
	}
}

/* ---- 4. memory per member ---- */

static long meminfo(const char *field)
{
	char line[128];
	size_t len = strlen(field);
	long kb = -1;
	FILE *fp = fopen("/proc/meminfo", "re");

	while (fp && fgets(line, sizeof(line), fp))
		if (!strncmp(line, field, len) && line[len] == ':')
			kb = atol(line + len + 1);
	if (fp)
		fclose(fp);
	return kb;
}

static void part4(int members)
{
	/* Used memory is MemTotal - MemFree: its growth is MemFree's fall. */
	static const char *const field[] = { "MemAvailable", "MemFree", "Slab", "Percpu" };
	long before[4], after[4];
	double t0, secs;
	int i;

	printf("memory per pooled member, a pool of %d:\n", members);
	drain();
	for (i = 0; i < 4; i++)
		before[i] = meminfo(field[i]);
	pool_new("pb4", members);
	t0 = now();
	fill("pb4", members);
	secs = (now() - t0) / 1e9;
	for (i = 0; i < 4; i++)
		after[i] = meminfo(field[i]);
	pool_del("pb4");
	sweep("pb4");
	printf("  filled in %.1f s (%.1f members/s)\n", secs, members / secs);
	printf("  KiB per member: MemAvailable %.1f, used (MemTotal - MemFree) %.1f; of it "
	       "Slab %.1f, Percpu %.1f\n", (double)(before[0] - after[0]) / members,
	       (double)(before[1] - after[1]) / members, (double)(after[2] - before[2]) / members,
	       (double)(after[3] - before[3]) / members);
}

int main(int argc, char **argv)
{
	int per = argc > 1 ? atoi(argv[1]) : 20;
	int sandbox = argc > 2 ? atoi(argv[2]) : 10;
	int count = argc > 3 ? atoi(argv[3]) : 2000;
	int members = argc > 4 ? atoi(argv[4]) : 1000;
	char *help[] = { "nsctl", "create", "--help", NULL };
	char *rm[] = { "rm", "-rf", CRUN_BUNDLE, NULL };
	int err;

	setvbuf(stdout, NULL, _IOLBF, 0);
	err = nsctl_ensure_mounted();
	if (err) {
		errno = -err;
		die("mount");
	}
	err = nl_open(&nl);
	if (err)
		nl_die("the nsctl generic netlink family", err, NULL);
	prepare_parent();
	tool_pool = prints(help, "--from-pool");
	have_crun = crun_bundle();

	/* First, on a quiet system; each part then starts once it drained. */
	if (members > 0)
		part4(members);
	drain();
	if (per > 0)
		part1(per);
	drain();
	if (sandbox > 0)
		part2(sandbox);
	if (count > 0)
		part3(count, 64);
	run(rm, -1);
	/* What comes next in the VM runs without this teardown under it. */
	drain();
	nl_close(&nl);
	return 0;
}
