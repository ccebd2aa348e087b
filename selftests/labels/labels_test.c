// SPDX-License-Identifier: GPL-2.0
/*
 * Names of up to 255 characters, labels (the file, NEW_CONTAINER, events,
 * the dump's selector) and the network namespace cookie.
 */
#include <dirent.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "nsctl_test.h"
#include "nsctl_nl.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

#define EV_WAIT_MS	60000

static void reply_cb(const struct nlmsghdr *h, void *arg)
{
	struct nl_msg *m = arg;

	if (m && h->nlmsg_type >= NLMSG_MIN_TYPE && !m->cmd)
		nl_parse_msg(h, m);
}

/* Messages of a dump whose names start with @prefix, names joined by ' '. */
struct dump {
	const char *prefix;
	char names[4096];
	int n;
	struct nl_msg last;
};

static void dump_cb(const struct nlmsghdr *h, void *arg)
{
	struct dump *d = arg;
	static struct nl_msg m;

	if (h->nlmsg_type == NLMSG_DONE)
		return;
	nl_parse_msg(h, &m);
	if (strncmp(m.name, d->prefix, strlen(d->prefix)))
		return;
	if (d->n++)
		strcat(d->names, " ");
	strncat(d->names, m.name, sizeof(d->names) - strlen(d->names) - 1);
	d->last = m;
}

/* A container dump selected by @sel (@n of them); the matches in @d. */
static int dump_sel(struct nl *nl, const char *const *sel, int n,
		    struct dump *d, struct nl_ack *ack)
{
	struct nl_req r;
	int i;

	d->names[0] = '\0';
	d->n = 0;
	nl_req_init(&r, nl, nl->family, NSCTL_CMD_GET_CONTAINER, NLM_F_DUMP);
	if (n >= 0) {
		nl_nest_start(&r, NSCTL_A_CT_LABELS);
		for (i = 0; i < n; i++)
			nl_put_str(&r, NSCTL_A_LABEL, sel[i]);
		nl_nest_end(&r);
	}
	return nl_transact(nl, &r, dump_cb, d, ack);
}

static int new_labelled(struct nl *nl, const char *name, const char *const *labels,
			int n, int netfd, struct nl_msg *reply, struct nl_ack *ack)
{
	struct nl_req r;
	int i;

	memset(reply, 0, sizeof(*reply));
	nl_req_init(&r, nl, nl->family, NSCTL_CMD_NEW_CONTAINER, NLM_F_ACK);
	nl_put_str(&r, NSCTL_A_CT_NAME, name);
	if (n >= 0) {
		nl_nest_start(&r, NSCTL_A_CT_LABELS);
		for (i = 0; i < n; i++)
			nl_put_str(&r, NSCTL_A_LABEL, labels[i]);
		nl_nest_end(&r);
	}
	if (netfd >= 0)
		nl_put_ns(&r, NSCTL_NS_NET, netfd, 0);
	return nl_transact(nl, &r, reply_cb, reply, ack);
}

/* The next container event about @name (other events are skipped). */
static int ev_next(struct nl *ev, const char *name, struct nl_msg *m)
{
	int ret;

	for (;;) {
		ret = nl_event(ev, m, EV_WAIT_MS);
		if (ret <= 0)
			return ret ? ret : -ETIMEDOUT;
		if (m->cmd >= NSCTL_CMD_CONTAINER_CREATED &&
		    m->cmd <= NSCTL_CMD_CONTAINER_DELETED && !strcmp(m->name, name))
			return 0;
	}
}

static bool in_listing(const char *name)
{
	struct dirent *de;
	bool found = false;
	DIR *d = opendir(NSCTL_TEST_ROOT);

	if (!d)
		return false;
	while ((de = readdir(d)))
		found |= !strcmp(de->d_name, name);
	closedir(d);
	return found;
}

/* A name of @len characters: a letter, then the whole allowed set over. */
static void long_name(char *buf, size_t len, int seed)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-:@+";
	size_t i;

	buf[0] = 'L';
	for (i = 1; i < len; i++)
		buf[i] = set[(i + seed) % (sizeof(set) - 1)];
	buf[len] = '\0';
}

TEST(names_up_to_255_characters)
{
	static const char * const bad[] = {
		"-dash", "_under", ".dot", ":colon", "@at", "+plus", "semi;colon",
		"sp ace", "caf\xc3\xa9", "back\\slash", "eq=ual",
	};
	char name[NSCTL_NAME_MAX + 2], path[600];
	struct nl_msg reply;
	struct nl_ack ack;
	struct dump d = { .prefix = "L" };
	struct nl nl;
	size_t i;
	int fd;

	long_name(name, NSCTL_NAME_MAX, getpid());
	fd = ct_make(name);
	ASSERT_GE(fd, 0) {
		TH_LOG("mkdir of a 255-character name: %m");
	}
	close(fd);
	EXPECT_NE(~0ULL, ct_read_u64(name, "id"));
	EXPECT_TRUE(in_listing(name));
	/* Netlink: found by that name, and dumped whole. */
	ASSERT_EQ(0, nl_open(&nl));
	memset(&reply, 0, sizeof(reply));
	{
		struct nl_req r;

		nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_CONTAINER, NLM_F_ACK);
		nl_put_str(&r, NSCTL_A_CT_NAME, name);
		ASSERT_EQ(0, nl_transact(&nl, &r, reply_cb, &reply, &ack)) {
			TH_LOG("GET by a 255-character name: %s", ack.msg);
		}
	}
	EXPECT_STREQ(name, reply.name);
	ASSERT_EQ(0, dump_sel(&nl, NULL, -1, &d, &ack));
	EXPECT_STREQ(name, d.names);
	EXPECT_EQ(0, ct_remove(name));

	/* One more is too long, for mkdir and for netlink. */
	long_name(name, NSCTL_NAME_MAX + 1, 1);
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", name);
	EXPECT_EQ(-1, mkdir(path, 0755));
	EXPECT_EQ(ENAMETOOLONG, errno);
	EXPECT_EQ(-ENAMETOOLONG, new_labelled(&nl, name, NULL, -1, -1, &reply, &ack));
	EXPECT_NE(0, ack.msg[0]);

	/* A letter or digit first; a documented set after. */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s", bad[i]);
		EXPECT_EQ(-1, mkdir(path, 0755)) {
			TH_LOG("mkdir \"%s\" succeeded", bad[i]);
			rmdir(path);
		}
		EXPECT_EQ(EINVAL, errno) {
			TH_LOG("mkdir \"%s\": %m", bad[i]);
		}
		EXPECT_EQ(-EINVAL, new_labelled(&nl, bad[i], NULL, -1, -1, &reply, &ack)) {
			TH_LOG("NEW \"%s\" was not refused with EINVAL", bad[i]);
		}
	}
	/* The characters runtimes use in ids and unit names. */
	fd = ct_make("9pod_a.b-c:d@e+f");
	ASSERT_GE(fd, 0);
	close(fd);
	EXPECT_EQ(0, ct_remove("9pod_a.b-c:d@e+f"));
	nl_close(&nl);
}

TEST(labels_file_edits)
{
	char name[64], buf[8192], big[NSCTL_LABELS_SIZE + 512];
	static const char * const malformed[] = {
		"=v", "k", "-k=v", ".k=v", "k k=v", "k=\x01", "k=a\x7f", "k\xc3\xa9=v",
		"k=v\n=w", "k:=v",
	};
	size_t i;
	int fd, n;

	snprintf(name, sizeof(name), "lbl-f%d", getpid());
	fd = ct_make(name);
	ASSERT_GE(fd, 0);
	close(fd);

	ASSERT_EQ(0, ct_read(name, "labels", buf, sizeof(buf)));
	/* Sorted by key; a later line about the same key wins. */
	ASSERT_EQ(0, ct_write_str(name, "labels", "b=2\na=1\nz=x\nz=eq=ual\ne=\n"));
	ASSERT_LT(0, ct_read(name, "labels", buf, sizeof(buf)));
	EXPECT_STREQ("a=1\nb=2\ne=\nz=eq=ual\n", buf);
	ASSERT_EQ(0, ct_write_str(name, "labels", "-b\n-nothing\nio.k8s/pod-name_x=web 1"));
	ASSERT_LT(0, ct_read(name, "labels", buf, sizeof(buf)));
	EXPECT_STREQ("a=1\ne=\nio.k8s/pod-name_x=web 1\nz=eq=ual\n", buf);

	/* Each malformed write: EINVAL, and nothing changed. */
	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		char before[8192];

		ct_read(name, "labels", before, sizeof(before));
		EXPECT_EQ(-EINVAL, ct_write_str(name, "labels", malformed[i])) {
			TH_LOG("\"%s\" was taken", malformed[i]);
		}
		ct_read(name, "labels", buf, sizeof(buf));
		EXPECT_STREQ(before, buf);
	}
	/* A NUL inside a write. */
	EXPECT_EQ(-EINVAL, ct_write(name, "labels", "x=1\0y=2", 7));
	/* A key of 127 characters is fine, of 128 not; a value of 255, 256. */
	memset(big, 'k', 128);
	strcpy(big + 127, "=v");
	EXPECT_EQ(0, ct_write_str(name, "labels", big));
	memset(big, 'k', 128);
	strcpy(big + 128, "=v");
	EXPECT_EQ(-EINVAL, ct_write_str(name, "labels", big));
	strcpy(big, "v=");
	memset(big + 2, 'x', 255);
	big[257] = '\0';
	EXPECT_EQ(0, ct_write_str(name, "labels", big));
	strcat(big, "x");
	EXPECT_EQ(-EINVAL, ct_write_str(name, "labels", big));

	/* At most NSCTL_LABELS_MAX labels. */
	ASSERT_EQ(0, ct_write_str(name, "labels", "-a\n-e\n-z\n-v\n-io.k8s/pod-name_x"));
	memset(big, 'k', 127);
	big[127] = '\0';
	snprintf(buf, sizeof(buf), "-%s", big);
	ASSERT_EQ(0, ct_write_str(name, "labels", buf));
	ASSERT_EQ(0, ct_read(name, "labels", buf, sizeof(buf)));
	for (i = 0, n = 0; i < NSCTL_LABELS_MAX; i++)
		n += snprintf(big + n, sizeof(big) - n, "n%02zu=%zu\n", i, i);
	ASSERT_EQ(0, ct_write_str(name, "labels", big));
	EXPECT_EQ(-E2BIG, ct_write_str(name, "labels", "one=more"));
	/* Replacing one is no more. */
	EXPECT_EQ(0, ct_write_str(name, "labels", "n00=again"));
	EXPECT_EQ(0, ct_write_str(name, "labels", "-n00\none=more"));
	ASSERT_LT(0, ct_read(name, "labels", buf, sizeof(buf)));
	EXPECT_EQ(NULL, strstr(buf, "n00="));
	EXPECT_NE(NULL, strstr(buf, "one=more\n"));

	/* At most NSCTL_LABELS_SIZE bytes of lines. */
	for (i = 0, n = 0; i < NSCTL_LABELS_MAX; i++)
		n += snprintf(big + n, sizeof(big) - n, "-n%02zu\n", i);
	ASSERT_EQ(0, ct_write_str(name, "labels", big));
	ASSERT_EQ(0, ct_write_str(name, "labels", "-one"));
	for (i = 0, n = 0; i < 15; i++) {
		n += snprintf(big + n, sizeof(big) - n, "s%02zu=", i);
		memset(big + n, 'x', 255);
		n += 255;
		big[n++] = '\n';
		big[n] = '\0';
	}
	/* 15 * 260 = 3900 bytes: fine; one more line of 260 is over. */
	ASSERT_EQ(0, ct_write_str(name, "labels", big));
	snprintf(buf, sizeof(buf), "s99=%.*s", 255, big + 4);
	EXPECT_EQ(-E2BIG, ct_write_str(name, "labels", buf));
	ASSERT_EQ(3900, ct_read(name, "labels", buf, sizeof(buf)));

	EXPECT_EQ(0, ct_remove(name));
}

static int open_labels_for_write(void *arg)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s/labels", (const char *)arg);
	fd = open(path, O_WRONLY);
	return fd < 0 ? errno : 0;
}

static int write_through(void *arg)
{
	int fd = *(int *)arg;

	return write(fd, "by=opener", 9) == 9 ? 0 : errno;
}

/* Nobody may open it for writing; what root opened works for anyone. */
TEST(labels_file_needs_privilege)
{
	char name[64], path[128], buf[64];
	int fd;

	snprintf(name, sizeof(name), "lbl-p%d", getpid());
	fd = ct_make(name);
	ASSERT_GE(fd, 0);
	close(fd);
	/* Nobody does not see a container that holds nothing: not found. */
	EXPECT_EQ(ENOENT, run_unprivileged(open_labels_for_write, name));
	ASSERT_EQ(0, ct_read(name, "labels", buf, sizeof(buf)));
	snprintf(path, sizeof(path), NSCTL_TEST_ROOT "/%s/labels", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(0, run_unprivileged(write_through, &fd));
	close(fd);
	ASSERT_LT(0, ct_read(name, "labels", buf, sizeof(buf)));
	EXPECT_STREQ("by=opener\n", buf);
	EXPECT_EQ(0, ct_remove(name));
}

TEST(labels_in_new_and_in_events)
{
	static const char * const labels[] = { "runtime=crun", "app=web", "io.kubernetes.pod/name=p-1" };
	static const char * const bad[][2] = {
		{ "ok=1", "-app" }, { "ok=1", "bare" }, { "ok=1", "" }, { "=x", "ok=1" },
	};
	char name[64], buf[1024];
	struct nl_msg reply, m;
	struct nl_ack ack;
	struct nl nl, ev;
	struct stat st;
	size_t i;

	snprintf(name, sizeof(name), "lbl-n%d", getpid());
	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, nl_open(&ev));
	ASSERT_EQ(0, nl_subscribe(&ev, 1 << 20));

	ASSERT_EQ(0, new_labelled(&nl, name, labels, 3, -1, &reply, &ack)) {
		TH_LOG("NEW with labels: %s", ack.msg);
	}
	EXPECT_TRUE(reply.has_labels);
	EXPECT_STREQ("app=web\nio.kubernetes.pod/name=p-1\nruntime=crun\n", reply.labels);
	ASSERT_LT(0, ct_read(name, "labels", buf, sizeof(buf)));
	EXPECT_STREQ(reply.labels, buf);
	/* The first event already has them. */
	ASSERT_EQ(0, ev_next(&ev, name, &m));
	EXPECT_EQ(NSCTL_CMD_CONTAINER_CREATED, m.cmd);
	EXPECT_STREQ(reply.labels, m.labels);

	/* A change: an event saying so, the generation as it was. */
	ASSERT_EQ(0, ct_write_str(name, "labels", "app=db\n-runtime"));
	ASSERT_EQ(0, ev_next(&ev, name, &m));
	EXPECT_EQ(NSCTL_CMD_CONTAINER_CHANGED, m.cmd);
	EXPECT_EQ(NSCTL_CHANGED_LABELS, m.changed);
	EXPECT_EQ(reply.gen, m.gen);
	EXPECT_STREQ("app=db\nio.kubernetes.pod/name=p-1\n", m.labels);
	/* The same again changes nothing and says nothing: next is the delete. */
	ASSERT_EQ(0, ct_write_str(name, "labels", "app=db"));
	ASSERT_EQ(0, ct_remove(name));
	ASSERT_EQ(0, ev_next(&ev, name, &m));
	EXPECT_EQ(NSCTL_CMD_CONTAINER_DELETED, m.cmd);
	/* Who cleans up after a container learns its labels at its end. */
	EXPECT_STREQ("app=db\nio.kubernetes.pod/name=p-1\n", m.labels);

	/* A bad label in NEW: refused, said why, nothing made or announced. */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *two[2] = { bad[i][0], bad[i][1] };

		EXPECT_EQ(-EINVAL, new_labelled(&nl, name, two, 2, -1, &reply, &ack)) {
			TH_LOG("labels \"%s\" \"%s\" were taken", two[0], two[1]);
		}
		EXPECT_NE(0, ack.msg[0]);
		snprintf(buf, sizeof(buf), NSCTL_TEST_ROOT "/%s", name);
		EXPECT_EQ(-1, stat(buf, &st));
	}
	/* The marker: made and removed; no event came before its own. */
	ASSERT_EQ(0, new_labelled(&nl, name, NULL, -1, -1, &reply, &ack));
	ASSERT_EQ(0, ev_next(&ev, name, &m));
	EXPECT_EQ(NSCTL_CMD_CONTAINER_CREATED, m.cmd);
	EXPECT_FALSE(m.has_labels);
	ASSERT_EQ(0, ct_remove(name));
	nl_close(&ev);
	nl_close(&nl);
}

TEST(dump_selects_by_label)
{
	static const char * const l1[] = { "tier=web", "zone=a" };
	static const char * const l2[] = { "tier=web" };
	static const char * const l3[] = { "tier=db" };
	const char *sel[2];
	char pfx[32], n1[64], n2[64], n3[64], n4[64], want[256];
	struct nl_msg reply;
	struct nl_ack ack;
	struct dump d;
	struct nl nl;
	int fd;

	snprintf(pfx, sizeof(pfx), "lbl-d%d-", getpid());
	snprintf(n1, sizeof(n1), "%s1", pfx);
	snprintf(n2, sizeof(n2), "%s2", pfx);
	snprintf(n3, sizeof(n3), "%s3", pfx);
	snprintf(n4, sizeof(n4), "%s4", pfx);
	d.prefix = pfx;
	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, new_labelled(&nl, n1, l1, 2, -1, &reply, &ack));
	ASSERT_EQ(0, new_labelled(&nl, n2, l2, 1, -1, &reply, &ack));
	ASSERT_EQ(0, new_labelled(&nl, n3, l3, 1, -1, &reply, &ack));
	fd = ct_make(n4);
	ASSERT_GE(fd, 0);
	close(fd);

	ASSERT_EQ(0, dump_sel(&nl, NULL, -1, &d, &ack));
	snprintf(want, sizeof(want), "%s %s %s %s", n1, n2, n3, n4);
	EXPECT_STREQ(want, d.names);
	sel[0] = "tier=web";
	ASSERT_EQ(0, dump_sel(&nl, sel, 1, &d, &ack));
	snprintf(want, sizeof(want), "%s %s", n1, n2);
	EXPECT_STREQ(want, d.names);
	sel[1] = "zone=a";
	ASSERT_EQ(0, dump_sel(&nl, sel, 2, &d, &ack));
	EXPECT_STREQ(n1, d.names);
	sel[0] = "tier";
	ASSERT_EQ(0, dump_sel(&nl, sel, 1, &d, &ack));
	snprintf(want, sizeof(want), "%s %s %s", n1, n2, n3);
	EXPECT_STREQ(want, d.names);
	sel[0] = "zone";
	sel[1] = "tier=db";
	ASSERT_EQ(0, dump_sel(&nl, sel, 2, &d, &ack));
	EXPECT_STREQ("", d.names);
	/* An empty selector nest selects everything. */
	ASSERT_EQ(0, dump_sel(&nl, sel, 0, &d, &ack));
	EXPECT_EQ(4, d.n);
	/*
	 * A malformed selector, and labels in a do request: EINVAL.  (6.1
	 * gives a dump's start no extended ack to say more.)
	 */
	sel[0] = "-tier";
	EXPECT_EQ(-EINVAL, dump_sel(&nl, sel, 1, &d, &ack));
	{
		struct nl_req r;

		nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_CONTAINER, NLM_F_ACK);
		nl_put_str(&r, NSCTL_A_CT_NAME, n1);
		nl_nest_start(&r, NSCTL_A_CT_LABELS);
		nl_put_str(&r, NSCTL_A_LABEL, "tier=web");
		nl_nest_end(&r);
		EXPECT_EQ(-EINVAL, nl_transact(&nl, &r, NULL, NULL, &ack));
	}
	/* A label change moves a container in and out of a selection. */
	ASSERT_EQ(0, ct_write_str(n4, "labels", "tier=web"));
	sel[0] = "tier=web";
	ASSERT_EQ(0, dump_sel(&nl, sel, 1, &d, &ack));
	snprintf(want, sizeof(want), "%s %s %s", n1, n2, n4);
	EXPECT_STREQ(want, d.names);

	EXPECT_EQ(0, ct_remove(n1));
	EXPECT_EQ(0, ct_remove(n2));
	EXPECT_EQ(0, ct_remove(n3));
	EXPECT_EQ(0, ct_remove(n4));
	nl_close(&nl);
}

/*
 * The largest labels a container may have do not fit the part a dump
 * would start with for a socket that asked for little: the dump makes
 * room for them.
 */
TEST(dump_of_the_largest_labels)
{
	char name[64], big[NSCTL_LABELS_SIZE + 1], buf[NSCTL_LABELS_SIZE + 1];
	struct nl_ack ack;
	struct dump d;
	struct nl nl;
	int fd, n = 0, i;

	snprintf(name, sizeof(name), "lbl-big%d", getpid());
	fd = ct_make(name);
	ASSERT_GE(fd, 0);
	close(fd);
	for (i = 0; i < 60; i++) {
		n += snprintf(big + n, sizeof(big) - n, "k%02d=", i);
		memset(big + n, 'a' + i % 26, 60);
		n += 60;
		big[n++] = '\n';
		big[n] = '\0';
	}
	ASSERT_EQ(0, ct_write_str(name, "labels", big));
	ASSERT_EQ(n, ct_read(name, "labels", buf, sizeof(buf)));

	/* Its receives so far were of 4 KiB: the first part would be that. */
	ASSERT_EQ(0, nl_open_sized(&nl, 4096));
	nl.bufsize = NL_BUF_SIZE;
	d.prefix = name;
	ASSERT_EQ(0, dump_sel(&nl, NULL, -1, &d, &ack)) {
		TH_LOG("dump: %s", ack.msg);
	}
	ASSERT_EQ(1, d.n);
	EXPECT_EQ(60, (int)d.last.nlabels);
	EXPECT_STREQ(buf, d.last.labels);
	nl_close(&nl);
	EXPECT_EQ(0, ct_remove(name));
}

/* What SO_NETNS_COOKIE says of the network namespace @netfd. */
static __u64 cookie_of(int netfd)
{
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), sk;
	socklen_t len = sizeof(__u64);
	__u64 cookie = 0;

	if (self < 0 || setns(netfd, CLONE_NEWNET))
		return 0;
	sk = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sk >= 0 && getsockopt(sk, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len))
		cookie = 0;
	if (sk >= 0)
		close(sk);
	if (setns(self, CLONE_NEWNET))
		abort();
	close(self);
	return cookie;
}

TEST(net_cookie)
{
	char name[64], path[64];
	struct nl_msg reply, ns;
	struct nl_ack ack;
	struct nl nl;
	struct nl_req r;
	int release, netfd;
	pid_t pid;
	__u64 cookie;

	snprintf(name, sizeof(name), "lbl-c%d", getpid());
	pid = ns_holder(CLONE_NEWNET, &release);
	ASSERT_GT(pid, 0);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	netfd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(netfd, 0);
	ns_holder_end(pid, release);
	cookie = cookie_of(netfd);
	ASSERT_NE(0, cookie);
	EXPECT_NE(cookie_of(open("/proc/1/ns/net", O_RDONLY | O_CLOEXEC)), cookie);

	ASSERT_EQ(0, nl_open(&nl));
	ASSERT_EQ(0, new_labelled(&nl, name, NULL, -1, netfd, &reply, &ack)) {
		TH_LOG("NEW: %s", ack.msg);
	}
	EXPECT_TRUE(reply.ns[NSCTL_NS_NET].present);
	EXPECT_EQ(cookie, reply.ct_net_cookie);
	/* The namespace message says the same. */
	memset(&ns, 0, sizeof(ns));
	nl_req_init(&r, &nl, nl.family, NSCTL_CMD_GET_NS, NLM_F_ACK);
	nl_put(&r, NSCTL_A_NS_UUID, reply.ns[NSCTL_NS_NET].uuid, 16);
	ASSERT_EQ(0, nl_transact(&nl, &r, reply_cb, &ns, &ack));
	EXPECT_TRUE(ns.has_net_cookie);
	EXPECT_EQ(cookie, ns.net_cookie);
	close(netfd);
	EXPECT_EQ(0, ct_remove(name));
	nl_close(&nl);
}

TEST_HARNESS_MAIN
