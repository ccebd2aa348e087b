// SPDX-License-Identifier: GPL-2.0
/*
 * nsctl monitor: follow nsctl's events (the generic netlink group
 * "events") as they happen, a line or a JSON object each, flushed at once.
 *
 * Events can be lost.  The kernel numbers them (NSCTL_A_EVENT_SEQ), so a
 * gap says how many were; a socket overrun (ENOBUFS) says that some were,
 * not how many.  Either way the monitor prints an "overrun" record, throws
 * away the events still queued (a listing taken now supersedes them),
 * lists what exists as "sync" records, and goes on with the next event as
 * its new base.
 *
 * Records (text: the event's name, then key=value fields; -j: one JSON
 * object per line, keys below, stable):
 *
 *   created, changed, entered, emptied, deleted, sync: a container.  JSON:
 *	event, seq (not for sync), the keys of 'nsctl list -j'; changed adds
 *	changed (what changed: namespace types, "cgroup-dir" for the bound
 *	cgroup, "uuid", "policy"), entered adds pid (the entering process, in the
 *	initial PID namespace).
 *   netns-created, netns-destroyed, netns-sync: a network namespace.
 *	JSON: event, seq (not for netns-sync), the keys of 'nsctl ns list -j'.
 *   pool-created, pool-low, pool-deleted, pool-sync: a pool.  JSON: event,
 *	seq (not for pool-sync), the keys of 'nsctl pool list -j'.
 *   overrun: events were lost.  JSON: event, lost (how many, or null when
 *	unknown).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "nsctl.h"

static const char monitor_usage[] =
"Usage: nsctl monitor [-j] [--containers] [--netns] [--pools] [--count N]\n"
"                     [--buffer BYTES]\n"
"\n"
"Print nsctl's events as they happen, one line each: containers created,\n"
"changed, entered, emptied (their PID namespace's init exited, for an on_empty\n"
"policy of notify or delete) and deleted, network namespaces created and\n"
"destroyed, pools created, running low (below their low-water mark) and\n"
"deleted.  Lost events are reported as an \"overrun\" record, followed by\n"
"the present state as \"sync\" records.\n"
"Needs CAP_SYS_ADMIN; events come from the initial network namespace.\n"
"\n"
"  -j, --json          one JSON object per line (keys in nsctl(8))\n"
"  --containers        container events only\n"
"  --netns             network namespace events only\n"
"  --pools             pool events only (these three add up)\n"
"  -n, --count N       exit after N events (overrun and sync records not counted)\n"
"  --buffer BYTES      the socket's receive buffer (K, M suffixes): a larger one\n"
"                      loses fewer events in bursts\n"
"  -h, --help          show this help\n";

/* What the event callback tells the loop. */
enum { MON_LOST = 1, MON_DONE = 2 };

struct monitor {
	bool json;
	bool want_ct;
	bool want_netns;
	bool want_pools;
	unsigned long long count;	/* 0: no limit */
	unsigned long long printed;
	bool have_base;			/* @next_seq is known */
	uint64_t next_seq;
	bool lost_known;
	uint64_t lost;
	struct nsctl_genl *req;		/* for the sync listings */
};

static const char *event_name(unsigned int cmd)
{
	switch (cmd) {
	case NSCTL_CMD_CONTAINER_CREATED:	return "created";
	case NSCTL_CMD_CONTAINER_CHANGED:	return "changed";
	case NSCTL_CMD_CONTAINER_ENTERED:	return "entered";
	case NSCTL_CMD_CONTAINER_EMPTIED:	return "emptied";
	case NSCTL_CMD_CONTAINER_DELETED:	return "deleted";
	case NSCTL_CMD_NETNS_CREATED:		return "netns-created";
	case NSCTL_CMD_NETNS_DESTROYED:		return "netns-destroyed";
	case NSCTL_CMD_POOL_CREATED:		return "pool-created";
	case NSCTL_CMD_POOL_LOW:		return "pool-low";
	case NSCTL_CMD_POOL_DELETED:		return "pool-deleted";
	default:				return NULL;
	}
}

/* "net,cgroup-dir,uuid": what a changed event says changed. */
static void format_changed(uint64_t changed, char *buf, size_t len, bool json)
{
	size_t off = 0;
	unsigned int bit;
	char word[16];

	buf[0] = '\0';
	for (bit = 0; bit < 64; bit++) {
		if (!(changed & (1ULL << bit)))
			continue;
		if (bit < NSCTL_NS_COUNT)
			snprintf(word, sizeof(word), "%s", nsctl_type_name(bit));
		else if (1ULL << bit == NSCTL_CHANGED_CGROUP)
			snprintf(word, sizeof(word), "cgroup-dir");
		else if (1ULL << bit == NSCTL_CHANGED_UUID)
			snprintf(word, sizeof(word), "uuid");
		else if (1ULL << bit == NSCTL_CHANGED_POLICY)
			snprintf(word, sizeof(word), "policy");
		else if (1ULL << bit == NSCTL_CHANGED_LABELS)
			snprintf(word, sizeof(word), "labels");
		else
			snprintf(word, sizeof(word), "bit%u", bit);
		off += snprintf(buf + off, off < len ? len - off : 0,
				json ? "%s\"%s\"" : "%s%s", off ? "," : "", word);
	}
	if (!off && !json)
		snprintf(buf, len, "-");
}

static void text_ct(const struct nsctl_ct *ct, bool state)
{
	static const char * const pi[] = { "none", "running", "dead" };
	char uuid[37], types[64];

	nsctl_uuid_format(ct->uuid, uuid);
	printf(" name=%s id=%llu uuid=%s generation=%llu", ct->name,
	       (unsigned long long)ct->id, uuid, (unsigned long long)ct->generation);
	if (!state)
		return;
	nsctl_format_types(ct->ns_held, types, sizeof(types));
	printf(" pid_init=%s namespaces=%s cgroup=%s",
	       ct->pid_init >= 0 && ct->pid_init <= NSCTL_PID_INIT_DEAD ?
	       pi[ct->pid_init] : "-", types, ct->cgroup ? ct->cgroup : "-");
	if (ct->labels && *ct->labels) {
		const char *p;

		fputs(" labels=", stdout);
		for (p = ct->labels; *p; p++)
			if (*p != '\n' || p[1])
				putchar(*p == '\n' ? ',' : *p);
	}
}

static void text_ns(const struct nsctl_nsrec *ns)
{
	char uuid[37];
	size_t i;

	nsctl_uuid_format(ns->uuid, uuid);
	printf(" uuid=%s inode=%u containers=", uuid, ns->inum);
	for (i = 0; i < ns->ncontainers; i++)
		printf("%s%llu", i ? "," : "", (unsigned long long)ns->containers[i]);
	if (!ns->ncontainers)
		putchar('-');
}

/* One record; @seq NULL for sync records.  Flushed: readers wait on it. */
static void print_ct(const struct monitor *m, const char *event, const uint64_t *seq,
		     const struct nsctl_ct *ct, const struct nsctl_event *ev)
{
	char changed[256];

	if (m->json) {
		printf("{\"event\":\"%s\",", event);
		if (seq)
			printf("\"seq\":%llu,", (unsigned long long)*seq);
		json_ct_fields(stdout, ct);
		if (ev && ev->cmd == NSCTL_CMD_CONTAINER_CHANGED) {
			format_changed(ev->changed, changed, sizeof(changed), true);
			printf(",\"changed\":[%s]", changed);
		}
		if (ev && ev->has_pid)
			printf(",\"pid\":%u", ev->pid);
		puts("}");
	} else {
		fputs(event, stdout);
		if (seq)
			printf(" seq=%llu", (unsigned long long)*seq);
		text_ct(ct, !ev || ev->cmd != NSCTL_CMD_CONTAINER_DELETED);
		if (ev && ev->cmd == NSCTL_CMD_CONTAINER_CHANGED) {
			format_changed(ev->changed, changed, sizeof(changed), false);
			printf(" changed=%s", changed);
		}
		if (ev && ev->has_pid)
			printf(" pid=%u", ev->pid);
		putchar('\n');
	}
	fflush(stdout);
}

static void print_ns(const struct monitor *m, const char *event, const uint64_t *seq,
		     const struct nsctl_nsrec *ns)
{
	if (m->json) {
		printf("{\"event\":\"%s\",", event);
		if (seq)
			printf("\"seq\":%llu,", (unsigned long long)*seq);
		json_nsrec_fields(stdout, ns);
		puts("}");
	} else {
		fputs(event, stdout);
		if (seq)
			printf(" seq=%llu", (unsigned long long)*seq);
		text_ns(ns);
		putchar('\n');
	}
	fflush(stdout);
}

static void print_pool(const struct monitor *m, const char *event, const uint64_t *seq,
		       const struct nsctl_pool *p)
{
	char types[64];

	if (m->json) {
		printf("{\"event\":\"%s\",", event);
		if (seq)
			printf("\"seq\":%llu,", (unsigned long long)*seq);
		json_pool_fields(stdout, p);
		puts("}");
	} else {
		fputs(event, stdout);
		if (seq)
			printf(" seq=%llu", (unsigned long long)*seq);
		nsctl_format_types(p->types, types, sizeof(types));
		printf(" name=%s size=%u low=%u ready=%u claimed=%llu types=%s\n", p->name,
		       p->size, p->low, p->ready, (unsigned long long)p->claimed, types);
	}
	fflush(stdout);
}

static void print_overrun(const struct monitor *m)
{
	if (m->json && m->lost_known)
		printf("{\"event\":\"overrun\",\"lost\":%llu}\n", (unsigned long long)m->lost);
	else if (m->json)
		printf("{\"event\":\"overrun\",\"lost\":null}\n");
	else if (m->lost_known)
		printf("overrun lost=%llu\n", (unsigned long long)m->lost);
	else
		printf("overrun lost=unknown\n");
	fflush(stdout);
}

static int on_event(const struct nsctl_event *ev, void *arg)
{
	struct monitor *m = arg;
	const char *name = event_name(ev->cmd);
	bool netns = nsctl_event_is_netns(ev->cmd), pool = nsctl_event_is_pool(ev->cmd);
	const uint64_t *seq = ev->has_seq ? &ev->seq : NULL;

	if (ev->has_seq) {
		if (m->have_base && ev->seq != m->next_seq) {
			/* Lower: numbering restarted (the module was reloaded). */
			m->lost_known = ev->seq > m->next_seq;
			m->lost = ev->seq - m->next_seq;
			return MON_LOST;
		}
		m->have_base = true;
		m->next_seq = ev->seq + 1;
	}
	if (!name || (netns ? !m->want_netns : pool ? !m->want_pools : !m->want_ct))
		return 0;
	if (netns)
		print_ns(m, name, seq, &ev->ns);
	else if (pool)
		print_pool(m, name, seq, &ev->pool);
	else
		print_ct(m, name, seq, &ev->ct, ev);
	if (m->count && ++m->printed >= m->count)
		return MON_DONE;
	return 0;
}

/* The present state, after lost events. */
static int resync(struct monitor *m)
{
	struct nsctl_nsrec *nss;
	struct nsctl_pool *pools;
	struct nsctl_ct *cts;
	size_t n, i;
	int err;

	if (m->want_ct) {
		err = nsctl_genl_list_containers(m->req, &cts, &n);
		if (err)
			return fail("monitor", "cannot list the containers after lost events: %s",
				    genl_why(m->req, err));
		for (i = 0; i < n; i++)
			print_ct(m, "sync", NULL, &cts[i], NULL);
		nsctl_ct_free_array(cts, n);
	}
	if (m->want_netns) {
		err = nsctl_genl_list_ns(m->req, &nss, &n);
		if (err)
			return fail("monitor", "cannot list the namespaces after lost events: %s",
				    genl_why(m->req, err));
		for (i = 0; i < n; i++)
			if (nss[i].type == NSCTL_NS_NET)
				print_ns(m, "netns-sync", NULL, &nss[i]);
		nsctl_nsrec_free_array(nss, n);
	}
	if (m->want_pools) {
		err = nsctl_genl_list_pools(m->req, &pools, &n);
		if (err)
			return fail("monitor", "cannot list the pools after lost events: %s",
				    genl_why(m->req, err));
		for (i = 0; i < n; i++)
			print_pool(m, "pool-sync", NULL, &pools[i]);
		nsctl_pool_free_array(pools, n);
	}
	return 0;
}

static int parse_bytes(const char *s, int *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -EINVAL;
	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	if (*end || !v || v > (1ULL << 30))
		return -EINVAL;
	*out = (int)v;
	return 0;
}

int cmd_monitor(int argc, char **argv)
{
	enum { O_CONTAINERS = 256, O_NETNS, O_POOLS, O_BUFFER };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "containers", no_argument, NULL, O_CONTAINERS },
		{ "netns", no_argument, NULL, O_NETNS },
		{ "pools", no_argument, NULL, O_POOLS },
		{ "count", required_argument, NULL, 'n' },
		{ "buffer", required_argument, NULL, O_BUFFER },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct monitor m = { 0 };
	struct nsctl_genl *ev = NULL;
	int opt, err, rcvbuf = 0, ret = 1;
	char *end;

	if (want_help(argc, argv, monitor_usage))
		return 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "jn:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			m.json = true;
			break;
		case O_CONTAINERS:
			m.want_ct = true;
			break;
		case O_NETNS:
			m.want_netns = true;
			break;
		case O_POOLS:
			m.want_pools = true;
			break;
		case 'n':
			errno = 0;
			m.count = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || *optarg == '-' || !m.count)
				return fail("monitor", "--count: \"%s\" is not a positive number",
					    optarg);
			break;
		case O_BUFFER:
			if (parse_bytes(optarg, &rcvbuf))
				return fail("monitor", "--buffer: \"%s\" is not a size "
					    "(bytes, K or M, up to 1G)", optarg);
			break;
		default:
			fputs(monitor_usage, stderr);
			return 1;
		}
	}
	if (optind != argc) {
		fputs(monitor_usage, stderr);
		return 1;
	}
	if (!m.want_ct && !m.want_netns && !m.want_pools)
		m.want_ct = m.want_netns = m.want_pools = true;

	if (nsctl_connect("monitor", &ev))
		return 1;
	if (nsctl_connect("monitor", &m.req))
		goto out;
	err = nsctl_genl_subscribe(ev, rcvbuf);
	if (err == -EPERM || err == -EACCES) {
		fail("monitor", "needs CAP_SYS_ADMIN in the initial user namespace to "
		     "receive events");
		goto out;
	}
	if (err == -ENOENT) {
		fail("monitor", "the \"%s\" family has no \"%s\" group (a module older than "
		     "this tool?)", NSCTL_GENL_NAME, NSCTL_GENL_MCGRP_EVENTS);
		goto out;
	}
	if (err) {
		fail("monitor", "cannot subscribe to the events: %s", strerror(-err));
		goto out;
	}
	fprintf(stderr, "%s: monitor: listening\n", prog);

	for (;;) {
		err = nsctl_genl_recv_events(ev, on_event, &m);
		if (err == MON_DONE)
			break;
		if (err == MON_LOST || err == -ENOBUFS) {
			if (err == -ENOBUFS)
				m.lost_known = false;
			print_overrun(&m);
			/* Older than the listing below, which supersedes them. */
			nsctl_genl_discard_events(ev);
			if (resync(&m))
				goto out;
			m.have_base = false;
			continue;
		}
		if (err < 0) {
			fail("monitor", "cannot receive events: %s", strerror(-err));
			goto out;
		}
	}
	ret = 0;
out:
	nsctl_genl_close(m.req);
	nsctl_genl_close(ev);
	return ret;
}
