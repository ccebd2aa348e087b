// SPDX-License-Identifier: GPL-2.0
/*
 * A fuzzer for everything nsctl offers, from several processes and
 * threads at once: random sequences of valid, near-valid and invalid
 * operations on the filesystem (mkdir/rmdir of random names, every file
 * read and written with random and near-valid contents), every ioctl
 * (random sizes in the command, random flags, fds and pointers: valid,
 * NULL, unmapped, running off the end of a page), every netlink command
 * with random and malformed attributes, event subscriptions, enters with
 * random types and expectations, pools, and namespace churn (processes
 * that unshare and exit) around it.
 *
 * What it checks is that the kernel survives: the debug kernel runs it
 * with KASAN, lockdep and panic_on_warn, so a warning, a bad access or a
 * lockdep report ends the run; at the end the kernel's log must hold no
 * lockdep report (lockdep does not panic), every worker must have ended
 * by itself, and nsctl must still work (a container made, entered and
 * deleted); the VM then unloads the module and scans for leaks.
 *
 * Everything follows from one seed: NSCTL_FUZZ_SEED (default: the time,
 * printed), NSCTL_FUZZ_OPS operations per thread (default 1500, times
 * NSCTL_TEST_SCALE), NSCTL_FUZZ_WORKERS processes of two threads (default
 * 3).  A worker killed by a signal prints its seed and last operations.
 */
#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "nsctl_test.h"
#include "nsctl_nl.h"

#define RING		32
#define NAMES		6
#define THREADS		2

/* The last operations of each thread, in memory the parent can read. */
struct ring {
	unsigned long long seed;
	unsigned int next;
	char op[RING][96];
};

static struct ring *rings;	/* MAP_SHARED: workers * THREADS */
static unsigned long long base_seed;
static unsigned int ops_per_thread, workers;
static char *unmapped;		/* a page mapped PROT_NONE */
static char *edge;		/* the last 8 bytes before it */

struct fuzzer {
	unsigned long long state;
	struct ring *ring;
	struct nl nl;
	bool nl_ok;
};

static unsigned long long rnd(struct fuzzer *f)
{
	/* splitmix64: every value follows from the seed. */
	unsigned long long z = (f->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int pick(struct fuzzer *f, unsigned int n)
{
	return rnd(f) % n;
}

static void note(struct fuzzer *f, const char *fmt, ...)
{
	struct ring *r = f->ring;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->op[r->next % RING], sizeof(r->op[0]), fmt, ap);
	va_end(ap);
	__atomic_add_fetch(&r->next, 1, __ATOMIC_RELEASE);
}

/* A name: mostly from a small set (so that operations meet), else junk. */
static void name(struct fuzzer *f, char *buf, size_t len)
{
	static const char junk[] = "aZ09_.-:@+/ \n\x01\xff";
	unsigned int i, n;

	switch (pick(f, 8)) {
	case 0:
		n = 1 + pick(f, 300);
		if (n >= len)
			n = len - 1;
		for (i = 0; i < n; i++)
			buf[i] = junk[pick(f, sizeof(junk) - 1)];
		buf[n] = '\0';
		if (buf[0] == '\0' || buf[0] == '/')
			buf[0] = 'j';
		break;
	case 1:
		snprintf(buf, len, "%s", pick(f, 2) ? "namespaces" : "pools");
		break;
	default:
		snprintf(buf, len, "fz%u", pick(f, NAMES));
	}
}

/* A pointer for a kernel to read or write: good, bad or on the edge. */
static void *pointer(struct fuzzer *f, void *good)
{
	switch (pick(f, 10)) {
	case 0:
		return NULL;
	case 1:
		return unmapped;
	case 2:
		return edge;
	case 3:
		return (void *)(uintptr_t)rnd(f);
	default:
		return good;
	}
}

static void fill(struct fuzzer *f, void *buf, size_t len)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = pick(f, 4) ? 0 : rnd(f);
	/* Small numbers in the first words: plausible types, flags, fds. */
	for (i = 0; i + 4 <= len && i < 32; i += 4)
		if (pick(f, 2))
			memcpy(p + i, &(__u32){ pick(f, 16) }, 4);
}

static void op_mkdir(struct fuzzer *f)
{
	char n[320], path[400];

	name(f, n, sizeof(n));
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", n);
	note(f, "%s %.60s", pick(f, 3) ? "mkdir" : "rmdir", n);
	if (f->ring->op[(f->ring->next - 1) % RING][0] == 'm')
		mkdir(path, 0755);
	else
		rmdir(path);
}

static const char *const files[] = {
	"id", "uuid", "generation", "namespaces", "cgroup", "procs", "stat",
	"on_empty", "enter", "hostname", "domainname", "ipc", "labels",
	"nofile",
};

static const char *const near_valid[] = {
	"notify\n", "delete", "ignore", "deny", "allow\n", "x", "",
	"team=a\n", "-team\n", "a=b\nc=d\n", "=\n", "k=\x01\n",
	"msgmax=8192\n", "shmmax=1\n", "bogus=1\n", "12345678901234567890",
};

static void op_file(struct fuzzer *f)
{
	char n[320], path[420], buf[512];
	const char *file = files[pick(f, sizeof(files) / sizeof(files[0]))];
	int fd;

	name(f, n, sizeof(n));
	if (!pick(f, 8))
		snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s",
			 pick(f, 2) ? "namespaces" : "pools");
	else
		snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s/%s", n, file);
	fd = open(path, pick(f, 2) ? O_RDONLY : O_RDWR);
	note(f, "file %.60s/%s fd=%d", n, file, fd);
	if (fd < 0)
		return;
	if (pick(f, 2)) {
		while (read(fd, pointer(f, buf), pick(f, 2) ? sizeof(buf) : 7) > 0)
			;
	} else {
		size_t len;
		const char *s = buf;

		if (pick(f, 2)) {
			s = near_valid[pick(f, sizeof(near_valid) / sizeof(near_valid[0]))];
			len = strlen(s);
		} else {
			len = pick(f, sizeof(buf));
			fill(f, buf, len);
		}
		if (write(fd, pointer(f, (void *)s), len) < 0)
			lseek(fd, 0, SEEK_SET);
	}
	close(fd);
}

static const unsigned int ioctl_nr[] = { 1, 2, 3, 4, 5, 6, 7, 8, 32, 33, 34 };

static void op_ioctl(struct fuzzer *f)
{
	char n[320], path[400], buf[512] __attribute__((aligned(8)));
	unsigned int nr = ioctl_nr[pick(f, sizeof(ioctl_nr) / sizeof(ioctl_nr[0]))];
	unsigned int size = pick(f, 3) ? pick(f, 300) : pick(f, 1 << 14);
	unsigned long cmd;
	int fd;

	name(f, n, sizeof(n));
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", pick(f, 6) ? n : "");
	fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return;
	switch (pick(f, 3)) {
	case 0:
		cmd = _IOC(_IOC_READ | _IOC_WRITE, NSCTL_IOC_MAGIC, nr, size);
		break;
	case 1:
		cmd = _IOC(pick(f, 4), NSCTL_IOC_MAGIC, nr, size);
		break;
	default:
		cmd = _IO(NSCTL_IOC_MAGIC, nr);
	}
	fill(f, buf, sizeof(buf));
	/* Fds: mostly the directory itself or a namespace of our own. */
	if (pick(f, 2))
		memcpy(buf + 8, &fd, sizeof(fd));
	note(f, "ioctl %.40s nr=%u size=%u cmd=%#lx", n, nr, size, cmd);
	if (cmd == _IO(NSCTL_IOC_MAGIC, 7))
		ioctl(fd, cmd, rnd(f) & 0xffffff);
	else
		ioctl(fd, cmd, pointer(f, buf));
	close(fd);
}

/* A netlink request: a random command, random and malformed attributes. */
static void op_netlink(struct fuzzer *f)
{
	static const __u16 flags[] = { NLM_F_ACK, NLM_F_DUMP, NLM_F_ACK | NLM_F_DUMP, 0 };
	unsigned int cmd = pick(f, NSCTL_CMD_MAX + 3), i, nattrs = pick(f, 8);
	char val[300], n[320];
	struct nl_req r;
	struct nlmsghdr *h = NULL;

	if (!f->nl_ok)
		return;
	nl_req_init(&r, &f->nl, f->nl.family, cmd, flags[pick(f, 4)]);
	for (i = 0; i < nattrs; i++) {
		__u16 type = pick(f, NSCTL_A_MAX + 3);
		size_t len = pick(f, 3) ? (size_t[]){ 0, 1, 4, 8, 16 }[pick(f, 5)] :
			     pick(f, sizeof(val));

		switch (pick(f, 5)) {
		case 0:
			name(f, n, sizeof(n));
			nl_put_str(&r, type, n);
			break;
		case 1:
			nl_put_u32(&r, type, pick(f, 3) ? pick(f, 70) : rnd(f));
			break;
		case 2:
			nl_put_u64(&r, type, pick(f, 2) ? pick(f, 256) : rnd(f));
			break;
		case 3:
			nl_nest_start(&r, type);
			nl_put_u32(&r, pick(f, NSCTL_A_MAX + 1), pick(f, 8));
			nl_put_u32(&r, pick(f, NSCTL_A_MAX + 1), pick(f, 40));
			nl_nest_end(&r);
			break;
		default:
			fill(f, val, len);
			nl_put(&r, type, val, len);
		}
	}
	note(f, "netlink cmd=%u attrs=%u len=%zu", cmd, nattrs, r.len);
	if (nl_send(&f->nl, &r))
		return;
	/* Drain the answer: replies, dump parts, the ack or the end. */
	while (nl_next(&f->nl, &h, 2000) > 0)
		if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_type == NLMSG_DONE)
			break;
}

/* A pool cycle with real namespaces (our own) and random sizes and names. */
static void op_pool(struct fuzzer *f)
{
	char pool[16], n[320];
	struct nl_req r;
	int fd;

	if (!f->nl_ok)
		return;
	snprintf(pool, sizeof(pool), "fzp%u", pick(f, 3));
	switch (pick(f, 4)) {
	case 0:
		nl_req_init(&r, &f->nl, f->nl.family, NSCTL_CMD_NEW_POOL, NLM_F_ACK);
		nl_put_str(&r, NSCTL_A_POOL_NAME, pool);
		nl_put_u64(&r, NSCTL_A_POOL_TYPES, pick(f, 4) ? NSCTL_NS_BIT(NSCTL_NS_UTS) : rnd(f));
		nl_put_u32(&r, NSCTL_A_POOL_SIZE, pick(f, 6));
		if (pick(f, 2))
			nl_put_u32(&r, NSCTL_A_POOL_MAX_AGE, pick(f, 3));
		nl_put_u32(&r, NSCTL_A_POOL_FLAGS, pick(f, 4) ? NSCTL_POOL_NO_CGROUP : pick(f, 4));
		note(f, "pool new %s", pool);
		break;
	case 1:
		fd = open("/proc/self/ns/uts", O_RDONLY);
		nl_req_init(&r, &f->nl, f->nl.family, NSCTL_CMD_ADD_MEMBER, NLM_F_ACK);
		nl_put_str(&r, NSCTL_A_POOL_NAME, pool);
		nl_put_ns(&r, pick(f, 4) ? NSCTL_NS_UTS : pick(f, 9), pick(f, 8) ? fd : (int)pick(f, 64), 0);
		note(f, "pool add %s", pool);
		nl_transact(&f->nl, &r, NULL, NULL, NULL);
		close(fd);
		return;
	case 2:
		name(f, n, sizeof(n));
		nl_req_init(&r, &f->nl, f->nl.family, NSCTL_CMD_CLAIM, NLM_F_ACK);
		nl_put_str(&r, NSCTL_A_POOL_NAME, pool);
		nl_put_str(&r, NSCTL_A_CT_NAME, n);
		note(f, "pool claim %s %.40s", pool, n);
		break;
	default:
		nl_req_init(&r, &f->nl, f->nl.family,
			    pick(f, 2) ? NSCTL_CMD_DEL_POOL : NSCTL_CMD_SET_POOL, NLM_F_ACK);
		nl_put_str(&r, NSCTL_A_POOL_NAME, pool);
		nl_put_u32(&r, NSCTL_A_POOL_SIZE, pick(f, 6));
		note(f, "pool del/set %s", pool);
	}
	nl_transact(&f->nl, &r, NULL, NULL, NULL);
}

/* Attach namespaces of a short-lived child to a container, then churn. */
static void op_churn(struct fuzzer *f)
{
	static const int flags[] = { CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWNET,
				     CLONE_NEWNS, CLONE_NEWUTS | CLONE_NEWNET };
	int flag = flags[pick(f, 5)], fds[NSCTL_NS_COUNT], dir, i;
	char n[320], path[400];
	pid_t pid;

	name(f, n, sizeof(n));
	note(f, "churn %#x into %.40s", flag, n);
	pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		if (unshare(flag))
			_exit(1);
		snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", n);
		dir = open(path, O_RDONLY | O_DIRECTORY);
		if (dir < 0)
			_exit(0);
		for (i = 0; i < NSCTL_NS_COUNT; i++)
			fds[i] = -1;
		fds[NSCTL_NS_UTS] = open("/proc/self/ns/uts", O_RDONLY);
		fds[NSCTL_NS_NET] = open("/proc/self/ns/net", O_RDONLY);
		fds[NSCTL_NS_IPC] = open("/proc/self/ns/ipc", O_RDONLY);
		ct_set_ns(dir, NSCTL_NS_BIT(NSCTL_NS_UTS) | NSCTL_NS_BIT(NSCTL_NS_NET) |
			  NSCTL_NS_BIT(NSCTL_NS_IPC), fds, 0, NULL);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

/* Enter a container from a child, with random types and expectations. */
static void op_enter(struct fuzzer *f)
{
	struct nsctl_enter e;
	char n[320], path[400];
	pid_t pid;
	int dir;

	name(f, n, sizeof(n));
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", n);
	note(f, "enter %.40s", n);
	pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		dir = open(path, O_RDONLY | O_DIRECTORY);
		if (dir < 0)
			_exit(0);
		memset(&e, 0, sizeof(e));
		fill(f, &e, sizeof(e));
		e.flags &= pick(f, 4) ? NSCTL_ENTER_ALL : ~0ULL;
		e.types = pick(f, 3) ? NSCTL_NS_ALL : rnd(f);
		ioctl(dir, pick(f, 4) ? NSCTL_IOC_ENTER :
			   _IOC(_IOC_READ | _IOC_WRITE, NSCTL_IOC_MAGIC, 5, pick(f, 256)),
		      &e);
		ioctl(dir, NSCTL_IOC_ENTER_FAST, NSCTL_ENTER_FAST_ARG(pick(f, 256), pick(f, 4)));
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

static void *events_thread(void *arg)
{
	struct fuzzer *f = arg;
	struct nl ev;
	struct nl_msg m;
	unsigned int i;

	if (nl_open(&ev) || nl_subscribe(&ev, 1 << pick(f, 20)))
		return NULL;
	for (i = 0; i < ops_per_thread; i++)
		if (nl_event(&ev, &m, 50) < 0 && ev.overruns > 1000)
			break;
	nl_close(&ev);
	return NULL;
}

static void *run_thread(void *arg)
{
	struct fuzzer *f = arg;
	unsigned int i;

	f->nl_ok = nl_open(&f->nl) == 0;
	for (i = 0; i < ops_per_thread; i++) {
		switch (pick(f, 16)) {
		case 0: case 1: case 2:
			op_mkdir(f);
			break;
		case 3: case 4: case 5:
			op_file(f);
			break;
		case 6: case 7: case 8:
			op_ioctl(f);
			break;
		case 9: case 10: case 11:
			op_netlink(f);
			break;
		case 12: case 13:
			op_pool(f);
			break;
		case 14:
			op_churn(f);
			break;
		default:
			op_enter(f);
		}
	}
	if (f->nl_ok)
		nl_close(&f->nl);
	return NULL;
}

static void worker(unsigned int w)
{
	struct fuzzer f[THREADS], evf;
	pthread_t t[THREADS], ev;
	unsigned int i;

	for (i = 0; i < THREADS; i++) {
		memset(&f[i], 0, sizeof(f[i]));
		f[i].ring = &rings[w * THREADS + i];
		f[i].state = f[i].ring->seed = base_seed * 1000 + w * THREADS + i;
		pthread_create(&t[i], NULL, run_thread, &f[i]);
	}
	memset(&evf, 0, sizeof(evf));
	evf.state = base_seed + w;
	pthread_create(&ev, NULL, events_thread, &evf);
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_join(ev, NULL);
	_exit(0);
}

static void dump_ring(const struct ring *r)
{
	unsigned int i, next = __atomic_load_n(&r->next, __ATOMIC_ACQUIRE);

	fprintf(stderr, "# thread seed %llu, last operations:\n", r->seed);
	for (i = next > RING ? next - RING : 0; i < next; i++)
		fprintf(stderr, "#   %u: %s\n", i, r->op[i % RING]);
}

/* Remove what the campaign left: pools, then containers. */
static void clean_up(void)
{
	char path[400];
	struct dirent *d;
	struct nl nl;
	struct nl_req r;
	unsigned int i;
	DIR *dir;
	int fd;

	if (!nl_open(&nl)) {
		for (i = 0; i < 3; i++) {
			snprintf(path, sizeof(path), "fzp%u", i);
			nl_req_init(&r, &nl, nl.family, NSCTL_CMD_DEL_POOL, NLM_F_ACK);
			nl_put_str(&r, NSCTL_A_POOL_NAME, path);
			nl_transact(&nl, &r, NULL, NULL, NULL);
		}
		nl_close(&nl);
	}
	dir = opendir(NSCTL_TEST_ROOT);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (d->d_type != DT_DIR || d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", d->d_name);
		/*
		 * Empty first: one holding only namespaces this process is in
		 * (a pool member made of our own) has us inside it.
		 */
		fd = open(path, O_RDONLY | O_DIRECTORY);
		if (fd >= 0) {
			ct_set_ns(fd, 0, NULL, NSCTL_NS_ALL, NULL);
			close(fd);
		}
		rmdir(path);
	}
	closedir(dir);
}

/* Containers still there after clean_up(): none may resist it. */
static int containers_left(void)
{
	struct dirent *d;
	int n = 0;
	DIR *dir = opendir(NSCTL_TEST_ROOT);

	if (!dir)
		return -1;
	while ((d = readdir(dir)))
		if (d->d_type == DT_DIR && d->d_name[0] != '.') {
			fprintf(stderr, "# left: %s\n", d->d_name);
			n++;
		}
	closedir(dir);
	return n;
}

static unsigned long long env_u64(const char *name, unsigned long long def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

TEST(campaign)
{
	unsigned int w, failed = 0, i;
	char *pages;
	pid_t *pids;
	int status, dir;

	base_seed = env_u64("NSCTL_FUZZ_SEED", (unsigned long long)time(NULL));
	ops_per_thread = env_u64("NSCTL_FUZZ_OPS", scaled(1500));
	workers = env_u64("NSCTL_FUZZ_WORKERS", 3);
	ASSERT_GT(workers, 0);
	TH_LOG("seed %llu: %u processes of %u threads, %u operations each (replay: NSCTL_FUZZ_SEED=%llu)",
	       base_seed, workers, THREADS, ops_per_thread, base_seed);

	pages = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, pages);
	ASSERT_EQ(0, mprotect(pages + 4096, 4096, PROT_NONE));
	unmapped = pages + 4096;
	edge = unmapped - 8;
	rings = mmap(NULL, sizeof(*rings) * workers * THREADS, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, rings);
	pids = calloc(workers, sizeof(*pids));
	ASSERT_NE(NULL, pids);

	for (w = 0; w < workers; w++) {
		pids[w] = fork();
		ASSERT_GE(pids[w], 0);
		if (pids[w] == 0)
			worker(w);
	}
	for (w = 0; w < workers; w++) {
		ASSERT_EQ(pids[w], waitpid(pids[w], &status, 0));
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			continue;
		failed++;
		fprintf(stderr, "# worker %u ended with status %#x\n", w, status);
		for (i = 0; i < THREADS; i++)
			dump_ring(&rings[w * THREADS + i]);
	}
	clean_up();
	EXPECT_EQ(0, failed);
	EXPECT_EQ(0, containers_left());
	EXPECT_FALSE(lockdep_reported());

	/* nsctl still does its work after all of it. */
	dir = ct_make("fz-after");
	ASSERT_GE(dir, 0);
	{
		int fds[NSCTL_NS_COUNT] = { [0 ... NSCTL_NS_COUNT - 1] = -1 };

		fds[NSCTL_NS_UTS] = open("/proc/self/ns/uts", O_RDONLY);
		ASSERT_EQ(0, ct_set_ns(dir, NSCTL_NS_BIT(NSCTL_NS_UTS), fds, 0, NULL));
		close(fds[NSCTL_NS_UTS]);
		EXPECT_EQ(self_ns("uts"), ct_ns_inum("fz-after", NSCTL_NS_UTS));
		/* We are inside it now: leave it empty to delete it. */
		ASSERT_EQ(0, ct_set_ns(dir, 0, NULL, NSCTL_NS_BIT(NSCTL_NS_UTS), NULL));
	}
	close(dir);
	EXPECT_EQ(0, ct_remove("fz-after"));
	free(pids);
}

TEST_HARNESS_MAIN
