/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What stress_test.c (the workers and the tests) and stress_check.c (the
 * threads that watch them, and the quiet points) share.
 */
#ifndef NSCTL_STRESS_H
#define NSCTL_STRESS_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <time.h>

#include "nsctl_test.h"
#include "nsctl_nl.h"

#define WORKERS		4
#define SLOTS		3
#define NTYPES		3
#define MAX_IDS		(1u << 20)
#define TYPES		(NSCTL_NS_BIT(NSCTL_NS_UTS) | NSCTL_NS_BIT(NSCTL_NS_IPC) | \
			 NSCTL_NS_BIT(NSCTL_NS_NET))

struct slot {
	char name[32];
	bool live;
	int dir;
	__u64 id, gen, enters, inum[NTYPES];
	char uuid[40];
	unsigned int labels;
	atomic_uint deleting;	/* odd while a delete of it runs */
};

struct worker {
	unsigned int w;
	unsigned long long state;
	struct slot slot[SLOTS];
	int own[NTYPES];	/* the thread's own namespaces */
	int ns[NTYPES];		/* what its next containers get */
	__u64 inum[NTYPES];
	struct nl nl;
	unsigned long ops;
	pthread_t thread;
};

extern struct worker workers[WORKERS];

/* Workers hold it for reading per operation; a quiet point for writing. */
extern pthread_rwlock_t quiet;
extern atomic_bool stop, failed;
extern char failure[512];

extern struct counts {
	atomic_ulong creates, deletes, enters, changes, churns;
	atomic_ulong listed, dumped, refusals;
} n;

/* The monitor: events in order, each container's in its life. */
extern struct monitor {
	struct nl nl;
	__u64 base;		/* ids below were made before the run */
	unsigned char *state;	/* per id - base: 0 unseen, 1 live, 2 deleted */
	bool lost;		/* an overrun: the live set is not known */
	atomic_bool stop;
	__u64 created, entered, deleted, live, sum;
	atomic_uint quiet_seen;	/* the last quiet point's sentinel seen */
	__u64 q_created, q_entered, q_deleted, q_live, q_sum;
} mon;

void __attribute__((format(printf, 1, 2))) violation(const char *fmt, ...);

/* The first failed check makes the calling function return -1. */
#define CHECK(cond, ...) do {			\
	if (!(cond)) {				\
		violation(__VA_ARGS__);		\
		return -1;			\
	}					\
} while (0)

int nl_by_name(struct nl *nl, __u8 cmd, const char *name, struct nl_msg *m);
void reply_cb(const struct nlmsghdr *h, void *arg);
int read_at(int dir, const char *file, char *buf, size_t len);
__u64 read_u64_at(int dir, const char *file);

void *lister_main(void *arg);
void *dumper_main(void *arg);
void *unloader_main(void *arg);
void *monitor_main(void *arg);
int quiet_point(struct nl *nl, unsigned int k);

#endif /* NSCTL_STRESS_H */
