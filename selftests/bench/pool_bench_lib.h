/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pool_bench's machinery, apart from what it measures: its netlink
 * requests, fresh namespaces and a cgroup made as `nsctl create` makes
 * them, pool members made as the tool's filler makes them, processes,
 * and crun's bundle.  Included once, by pool_bench.c.
 */
#ifndef POOL_BENCH_LIB_H
#define POOL_BENCH_LIB_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <linux/sched.h>

#include "bench.h"
#include "libnsctl.h"
#include "nsctl_nl.h"

#define TYPES (NSCTL_NS_BIT(NSCTL_NS_MNT) | NSCTL_NS_BIT(NSCTL_NS_UTS) | \
	       NSCTL_NS_BIT(NSCTL_NS_IPC) | NSCTL_NS_BIT(NSCTL_NS_NET) | \
	       NSCTL_NS_BIT(NSCTL_NS_PID) | NSCTL_NS_BIT(NSCTL_NS_CGROUP))
#define CLONE_FLAGS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | \
		     CLONE_NEWPID | CLONE_NEWCGROUP)

/* Where `nsctl create` makes cgroups on a host without systemd or config. */
#define CG_ROOT		"/sys/fs/cgroup"
#define CG_PARENT	CG_ROOT "/nsctl"
#define CG_XATTR	"trusted.nsctl.container"

#define ROUNDS 9
#define CRUN_BUNDLE	"/tmp/pool_bench.crun"

static struct nl nl;
static int parent_fd = -1;

static void nl_die(const char *what, int err, const struct nl_ack *ack)
{
	fprintf(stderr, "pool_bench: %s: %s%s%s\n", what, strerror(-err),
		ack && ack->msg[0] ? ": " : "", ack ? ack->msg : "");
	exit(1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(double), cmp_double);
	return n ? v[n / 2] : 0;
}

/* ---- requests ---- */

/* A pool message (ADD_MEMBER and GET_POOL replies) into the struct nl_pool @arg. */
static void pool_cb(const struct nlmsghdr *h, void *arg)
{
	static struct nl_msg m;

	if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR)
		return;
	nl_parse_msg(h, &m);
	memcpy(arg, &m.pool, sizeof(m.pool));
}

static void ct_cb(const struct nlmsghdr *h, void *arg)
{
	if (h->nlmsg_type != NLMSG_DONE && h->nlmsg_type != NLMSG_ERROR)
		nl_parse_msg(h, arg);
}

static struct nl_req *req_new(struct nl *n, __u8 cmd)
{
	static struct nl_req r;

	nl_req_init(&r, n, n->family, cmd, NLM_F_ACK);
	return &r;
}

static int pool_new(const char *pool, __u32 size)
{
	struct nl_req *r = req_new(&nl, NSCTL_CMD_NEW_POOL);
	struct nl_ack ack;
	int err;

	nl_put_str(r, NSCTL_A_POOL_NAME, pool);
	nl_put_u64(r, NSCTL_A_POOL_TYPES, TYPES);
	nl_put_u32(r, NSCTL_A_POOL_SIZE, size);
	err = nl_transact(&nl, r, NULL, NULL, &ack);
	if (err)
		nl_die("NSCTL_CMD_NEW_POOL", err, &ack);
	return 0;
}

static void pool_get(struct nl *n, const char *pool, struct nl_pool *pc)
{
	struct nl_req *r;
	struct nl_ack ack;
	int err;

	r = req_new(n, NSCTL_CMD_GET_POOL);
	nl_put_str(r, NSCTL_A_POOL_NAME, pool);
	memset(pc, 0, sizeof(*pc));
	err = nl_transact(n, r, pool_cb, pc, &ack);
	if (err)
		nl_die("NSCTL_CMD_GET_POOL", err, &ack);
}

static void pool_del(const char *pool)
{
	struct nl_req *r = req_new(&nl, NSCTL_CMD_DEL_POOL);
	struct nl_ack ack;
	int err;

	nl_put_str(r, NSCTL_A_POOL_NAME, pool);
	err = nl_transact(&nl, r, NULL, NULL, &ack);
	if (err)
		nl_die("NSCTL_CMD_DEL_POOL", err, &ack);
}

/* CLAIM: 0 with @m the container message, or -EAGAIN for an empty pool. */
static int claim(const char *pool, const char *name, struct nl_msg *m)
{
	struct nl_req *r = req_new(&nl, NSCTL_CMD_CLAIM);
	struct nl_ack ack;
	int err;

	nl_put_str(r, NSCTL_A_POOL_NAME, pool);
	nl_put_str(r, NSCTL_A_CT_NAME, name);
	err = nl_transact(&nl, r, ct_cb, m, &ack);
	if (err && err != -EAGAIN)
		nl_die("NSCTL_CMD_CLAIM", err, &ack);
	return err;
}

static void ct_delete(const char *name)
{
	struct nl_req *r = req_new(&nl, NSCTL_CMD_DEL_CONTAINER);
	struct nl_ack ack;
	int err;

	nl_put_str(r, NSCTL_A_CT_NAME, name);
	err = nl_transact(&nl, r, NULL, NULL, &ack);
	if (err)
		nl_die("NSCTL_CMD_DEL_CONTAINER", err, &ack);
}

static void rm_cgroup(const char *path)
{
	if (rmdir(path))
		die(path);
}

/* The container's cgroup, as the cgroup2 root sees it, into @path. */
static void ct_cgroup(const char *name, char *path, size_t len)
{
	struct nl_req *r = req_new(&nl, NSCTL_CMD_GET_CONTAINER);
	static struct nl_msg m;
	struct nl_ack ack;
	int err;

	nl_put_str(r, NSCTL_A_CT_NAME, name);
	memset(&m, 0, sizeof(m));
	err = nl_transact(&nl, r, ct_cb, &m, &ack);
	if (err)
		nl_die("NSCTL_CMD_GET_CONTAINER", err, &ack);
	snprintf(path, len, CG_ROOT "%s", m.cgroup_path);
}

/* Delete a container and the cgroup it held, whatever made them. */
static void ct_remove(const char *name)
{
	char cg[512];

	ct_cgroup(name, cg, sizeof(cg));
	ct_delete(name);
	rm_cgroup(cg);
}

/* ---- fresh namespaces and a cgroup, as `nsctl create` makes them ---- */

struct fresh {
	pid_t pid;
	int go;
	int cgfd;
	int fds[NSCTL_NS_COUNT];
	char cgpath[256];
};

/* The helper child: into the cgroup, unshare, make them usable, wait. */
static void __attribute__((noreturn))
helper(int procs_fd, const char *hostname, int ready_fd, int go_fd)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int err = 0, sock;
	char c;

	if (write(procs_fd, "0", 1) != 1)
		err = errno;
	if (!err && unshare(CLONE_FLAGS))
		err = errno;
	if (!err && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		err = errno;
	if (!err && sethostname(hostname, strlen(hostname)))
		err = errno;
	if (!err) {
		sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (sock < 0 || ioctl(sock, SIOCGIFFLAGS, &ifr))
			err = errno;
		ifr.ifr_flags |= IFF_UP;
		if (!err && ioctl(sock, SIOCSIFFLAGS, &ifr))
			err = errno;
		if (sock >= 0)
			close(sock);
	}
	if (write(ready_fd, &err, sizeof(err)) != sizeof(err))
		_exit(1);
	while (read(go_fd, &c, 1) < 0 && errno == EINTR)
		;
	_exit(err ? 1 : 0);
}

/*
 * The cgroup CG_PARENT/@cgname marked @mark, and a helper holding fresh
 * namespaces in it; their fds (pid: by the helper's pid) in @f.
 */
static void fresh_start(struct fresh *f, const char *cgname, const char *mark,
			const char *hostname)
{
	int ready[2], go[2], procs, err, i;
	char path[320];

	snprintf(f->cgpath, sizeof(f->cgpath), CG_PARENT "/%s", cgname);
	if (mkdir(f->cgpath, 0755))
		die(f->cgpath);
	(void)setxattr(f->cgpath, CG_XATTR, mark, strlen(mark), 0);
	f->cgfd = open(f->cgpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (f->cgfd < 0)
		die(f->cgpath);
	procs = openat(f->cgfd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
	if (procs < 0)
		die("cgroup.procs");
	if (pipe2(ready, O_CLOEXEC) || pipe2(go, O_CLOEXEC))
		die("pipe");
	f->pid = fork();
	if (f->pid < 0)
		die("fork");
	if (f->pid == 0) {
		close(ready[0]);
		close(go[1]);
		helper(procs, hostname, ready[1], go[0]);
	}
	close(procs);
	close(ready[1]);
	close(go[0]);
	f->go = go[1];
	if (read(ready[0], &err, sizeof(err)) != sizeof(err))
		err = ECHILD;
	close(ready[0]);
	if (err) {
		errno = err;
		die("fresh namespaces");
	}
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		f->fds[i] = -1;
		if (!(TYPES & NSCTL_NS_BIT(i)) || i == NSCTL_NS_PID)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", f->pid,
			 nsctl_type_proc_file(i));
		f->fds[i] = open(path, O_RDONLY | O_CLOEXEC);
		if (f->fds[i] < 0)
			die(path);
	}
}

/* NEW_CONTAINER (@pool NULL) or ADD_MEMBER with what @f holds. */
static int fresh_send(struct nl *n, struct fresh *f, const char *pool,
		      const char *name, void (*cb)(const struct nlmsghdr *, void *),
		      void *arg, struct nl_ack *ack)
{
	struct nl_req *r = req_new(n, pool ? NSCTL_CMD_ADD_MEMBER : NSCTL_CMD_NEW_CONTAINER);
	int i;

	if (pool)
		nl_put_str(r, NSCTL_A_POOL_NAME, pool);
	else
		nl_put_str(r, NSCTL_A_CT_NAME, name);
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (TYPES & NSCTL_NS_BIT(i))
			nl_put_ns(r, i, f->fds[i], i == NSCTL_NS_PID ? f->pid : 0);
	nl_put(r, NSCTL_A_CGROUP_FD, &f->cgfd, sizeof(f->cgfd));
	return nl_transact(n, r, cb, arg, ack);
}

/* The helper exits; the fds are closed. */
static void fresh_end(struct fresh *f)
{
	int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (f->fds[i] >= 0)
			close(f->fds[i]);
	close(f->cgfd);
	close(f->go);
	while (waitpid(f->pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* A fresh container @name with cgroup CG_PARENT/@name: `nsctl create`. */
static void create(const char *name)
{
	struct nl_ack ack;
	struct fresh f;
	int err;

	fresh_start(&f, name, name, name);
	err = fresh_send(&nl, &f, NULL, name, NULL, NULL, &ack);
	fresh_end(&f);
	if (err)
		nl_die("NSCTL_CMD_NEW_CONTAINER", err, &ack);
}

/*
 * A member for @pool, as a filler adds it: 0, or -ENOSPC when the pool is
 * full (nothing left behind).  @pc gets the reply's counters.
 */
static int add_member(struct nl *n, const char *pool, struct nl_pool *pc)
{
	char cgname[128], mark[80];
	struct nl_ack ack;
	struct fresh f;
	__u64 rnd;
	int err;

	if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
		die("getrandom");
	snprintf(cgname, sizeof(cgname), "%s~%016llx", pool, (unsigned long long)rnd);
	snprintf(mark, sizeof(mark), "~%s", pool);
	if (flock(parent_fd, LOCK_SH))
		die("flock");
	fresh_start(&f, cgname, mark, pool);
	err = fresh_send(n, &f, pool, NULL, pool_cb, pc, &ack);
	fresh_end(&f);
	if (err)
		rm_cgroup(f.cgpath);
	flock(parent_fd, LOCK_UN);
	if (err && err != -ENOSPC)
		nl_die("NSCTL_CMD_ADD_MEMBER", err, &ack);
	return err;
}

static void fill(const char *pool, int n)
{
	struct nl_pool pc;

	while (n-- > 0)
		if (add_member(&nl, pool, &pc))
			nl_die("NSCTL_CMD_ADD_MEMBER: the pool is full", -ENOSPC, NULL);
}

/* Remove the member cgroups of @pool nothing uses any more. */
static void sweep(const char *pool)
{
	char path[512];
	size_t len = strlen(pool);
	struct dirent *d;
	DIR *dir = opendir(CG_PARENT);

	if (!dir)
		die(CG_PARENT);
	while ((d = readdir(dir)))
		if (!strncmp(d->d_name, pool, len) && d->d_name[len] == '~') {
			snprintf(path, sizeof(path), CG_PARENT "/%s", d->d_name);
			rmdir(path);
		}
	closedir(dir);
}

/* The parent cgroup, ready as nsctl_cgroup_prepare() leaves it. */
static void prepare_parent(void)
{
	static const char *const ctrls[] = { "+memory", "+pids", "+cpu" };
	const char *dirs[] = { CG_ROOT, CG_PARENT };
	char path[128];
	size_t i, k;
	int fd;

	if (mkdir(CG_PARENT, 0755) && errno != EEXIST)
		die(CG_PARENT);
	for (k = 0; k < 2; k++)
		for (i = 0; i < 3; i++) {
			snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dirs[k]);
			fd = open(path, O_WRONLY | O_CLOEXEC);
			if (fd >= 0) {
				(void)!write(fd, ctrls[i], strlen(ctrls[i]));
				close(fd);
			}
		}
	parent_fd = open(CG_PARENT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (parent_fd < 0)
		die(CG_PARENT);
}

/* ---- processes ---- */

static int wait_status(pid_t pid)
{
	int status;

	if (pid < 0)
		die("fork");
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Fork, exec @argv with stdin from /dev/null and stdout to @out (or as is): its status. */
static int run(char *const argv[], int out)
{
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		dup2(null, 0);
		if (out >= 0)
			dup2(out, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	return wait_status(pid);
}

/* Does @argv print @needle (on stdout or stderr)? */
static bool prints(char *const argv[], const char *needle)
{
	char buf[16384];
	size_t len = 0;
	ssize_t n;
	int p[2];

	if (pipe2(p, O_CLOEXEC))
		die("pipe");
	if (fork() == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	while ((n = read(p[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(p[0]);
	wait(NULL);
	buf[len] = '\0';
	return strstr(buf, needle);
}

/* unshare(2) of the six types in a forked child, which exits. */
static void unshare_child(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(unshare(CLONE_FLAGS) ? 1 : 0);
	if (wait_status(pid))
		die("unshare");
}

/*
 * /bin/true in container @name: a child enters it with libnsctl (its
 * cgroup too) and forks the PID namespace's first process, which makes
 * the init's check-only enter (as `nsctl enter`'s init does) and execs.
 */
static void run_in(const char *name)
{
	int dirfd = nsctl_open(name);
	pid_t pid;

	if (dirfd < 0) {
		errno = -dirfd;
		die(name);
	}
	pid = fork();
	if (pid == 0) {
		struct nsctl_enter_req req = { .join_cgroup = true };
		struct nsctl_enter_result res;
		char *argv[] = { "/bin/true", NULL };
		pid_t init;

		if (nsctl_enter(dirfd, &req, &res))
			_exit(126);
		init = fork();
		if (init == 0) {
			nsctl_enter_init_forked(dirfd, res.entered | res.already);
			execv(argv[0], argv);
			_exit(127);
		}
		_exit(wait_status(init));
	}
	if (wait_status(pid))
		die("enter and run /bin/true");
	close(dirfd);
}

/*
 * unshare(1) started in the fresh cgroup @cgpath with clone3(2)'s
 * CLONE_INTO_CGROUP: the cgroup namespace it makes is rooted there, as a
 * container's is.
 */
static void unshare_tool(const char *cgpath)
{
	struct clone_args args = { .flags = CLONE_INTO_CGROUP, .exit_signal = SIGCHLD };
	char *argv[] = { "unshare", "--mount", "--uts", "--ipc", "--net", "--pid",
			 "--cgroup", "--fork", "/bin/true", NULL };
	int cg;
	pid_t pid;

	if (mkdir(cgpath, 0755))
		die(cgpath);
	cg = open(cgpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg < 0)
		die(cgpath);
	args.cgroup = cg;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	close(cg);
	if (wait_status(pid))
		die("unshare(1)");
}

/*
 * The namespaces nsctl tracks other than this process's own (the initial
 * ones): what this program made and the kernel has not torn down yet.
 */
static long tracked_made(void)
{
	static const char *const own[] = { "mnt", "uts", "ipc", "net", "pid", "user",
					   "cgroup", "time" };
	char line[512], inode[32];
	unsigned long ino[8] = { 0 };
	struct stat st;
	long n = 0;
	size_t i;
	FILE *fp;

	for (i = 0; i < 8; i++) {
		snprintf(line, sizeof(line), "/proc/self/ns/%s", own[i]);
		if (!stat(line, &st))
			ino[i] = st.st_ino;
	}
	fp = fopen(NSCTL_MOUNT_POINT "/namespaces", "re");
	while (fp && fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "%*s %*s %31s", inode) != 1)
			continue;
		for (i = 0; i < 8; i++)
			if (strtoul(inode, NULL, 10) == ino[i])
				break;
		n += i == 8;
	}
	if (fp)
		fclose(fp);
	return n;
}

/*
 * Wait until the namespaces made so far are gone (the kernel tears network
 * namespaces down asynchronously), for as long as their count keeps
 * falling: at most 20 s without progress.  Each measurement then starts
 * without another's teardown running under it.
 */
static void drain(void)
{
	long n, last = -1;
	int idle = 0;

	while ((n = tracked_made()) > 0 && idle < 200) {
		idle = n == last ? idle + 1 : 0;
		last = n;
		usleep(100000);
	}
}

/* ---- crun ---- */

static bool have_crun;

static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	struct stat st;
	int in, out;
	ssize_t n;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0 || fstat(in, &st))
		die(from);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, st.st_mode & 07777);
	if (out < 0)
		die(to);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			die(to);
	close(in);
	close(out);
}

static void mkdirs(const char *path)
{
	char p[PATH_MAX], *s;

	snprintf(p, sizeof(p), "%s", path);
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
}

/* @file into the bundle's rootfs at @at, with the directories on the way. */
static void rootfs_add(const char *file, const char *at)
{
	char to[PATH_MAX], dir[PATH_MAX];

	snprintf(to, sizeof(to), CRUN_BUNDLE "/rootfs%s", at);
	snprintf(dir, sizeof(dir), "%s", to);
	*strrchr(dir, '/') = '\0';
	mkdirs(dir);
	copy_file(file, to);
}

/*
 * A bundle whose rootfs holds /bin/true and the libraries the dynamic
 * loader lists for it (none for a static one), and `crun spec`'s
 * configuration with no terminal, /bin/true as the process and the six
 * namespace types.
 */
static bool crun_bundle(void)
{
	char *version[] = { "crun", "--version", NULL };
	char *loader_list[] = { "/lib64/ld-linux-x86-64.so.2", "--list", "/bin/true", NULL };
	char *spec[] = { "sh", "-c", "cd " CRUN_BUNDLE " && crun spec", NULL };
	char *edit[] = { "sh", "-c", "cd " CRUN_BUNDLE " && jq '"
		".process.terminal = false | .process.args = [\"/bin/true\"] | "
		".linux.namespaces = [{\"type\": \"pid\"}, {\"type\": \"network\"}, "
		"{\"type\": \"ipc\"}, {\"type\": \"uts\"}, {\"type\": \"mount\"}, "
		"{\"type\": \"cgroup\"}]' config.json >config.new && mv config.new config.json",
		NULL };
	char real[PATH_MAX], buf[8192], *tok, *save;
	size_t len = 0;
	ssize_t n;
	int p[2];

	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	bool found = !run(version, null);

	close(null);
	if (!found)
		return false;
	/* crun spec refuses to replace a configuration. */
	unlink(CRUN_BUNDLE "/config.json");
	if (!realpath("/bin/true", real))
		die("/bin/true");
	mkdirs(CRUN_BUNDLE "/rootfs/bin");
	rootfs_add(real, "/bin/true");
	if (pipe2(p, O_CLOEXEC))
		die("pipe");
	if (access(loader_list[0], X_OK) == 0 && !run(loader_list, p[1])) {
		close(p[1]);
		while ((n = read(p[0], buf + len, sizeof(buf) - 1 - len)) > 0)
			len += n;
		buf[len] = '\0';
		for (tok = strtok_r(buf, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save))
			if (tok[0] == '/' && !access(tok, R_OK))
				rootfs_add(tok, tok);
	} else {
		close(p[1]);
	}
	close(p[0]);
	if (run(spec, -1) || run(edit, -1)) {
		printf("crun spec or its edit with jq failed: the crun rows are left out\n");
		return false;
	}
	return true;
}

static int crun_seq;

/* `crun run` of the bundle under a fresh id: start, wait, delete. */
static void crun_run(void)
{
	char id[32];
	char *argv[] = { "crun", "run", "--no-pivot", "-b", CRUN_BUNDLE, id, NULL };

	snprintf(id, sizeof(id), "pb-crun-%d", crun_seq++);
	if (run(argv, -1))
		die("crun run");
}

#endif /* POOL_BENCH_LIB_H */
