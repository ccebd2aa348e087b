/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the parts of libnsctl's netlink client share: genl.c (the handle,
 * requests and their replies), genl_parse.c (messages into records) and
 * genl_events.c (the events group).  Not installed.
 */
#ifndef NSCTL_GENL_INT_H
#define NSCTL_GENL_INT_H

#include <netlink/netlink.h>
#include <netlink/attr.h>

#include "genl.h"

struct nsctl_genl {
	struct nl_sock *sk;
	int family;
	char errmsg[256];
};

/* libnl's error codes back to errnos, where a request itself failed. */
int nl2errno(int nlerr);

/* One request and its replies. */
struct xfer {
	struct nsctl_genl *g;
	int (*parse)(struct nlmsghdr *nlh, void *arg);
	void *arg;
	int err;		/* the kernel's, or the first parse error */
	bool done;
	bool intr;		/* a dump that changes interrupted */
};

/* A request of the family, or NULL. */
struct nl_msg *new_request(struct nsctl_genl *g, uint8_t cmd, int flags);
/* Send @msg (consumed) and read its replies until the end. */
int xfer_run(struct nsctl_genl *g, struct nl_msg *msg, struct xfer *x);
/*
 * A dump of @cmd (with the label selectors @sel, if any), started again
 * after @reset while a change interrupts it.
 */
int dump_run(struct nsctl_genl *g, uint8_t cmd, struct xfer *x,
	     void (*reset)(void *arg), const char *const *sel, size_t nsel);
/* A do-request whose reply is a container message (or none). */
int ct_request(struct nsctl_genl *g, struct nl_msg *msg, struct nsctl_ct *ct);
/* Room for element @n of a growing array: 0, or -ENOMEM. */
int grow_array(void **v, size_t n, size_t *cap, size_t size);
/* An NSCTL_A_CT_LABELS nest of @n NSCTL_A_LABEL strings. */
int put_labels(struct nl_msg *msg, const char *const *labels, size_t n);
/* The NSCTL_A_CT_NS nests and NSCTL_A_CGROUP_FD of @req. */
int put_ns_nests(struct nl_msg *msg, const struct nsctl_genl_new *req);

/* The attributes of a generic netlink message, checked by the policy. */
int parse_attrs(struct nlmsghdr *nlh, struct nlattr **tb, struct nlattr **head,
		int *len);
/* A container message's, a namespace message's attributes into records. */
int parse_ct(struct nlattr **tb, struct nlattr *head, int len, struct nsctl_ct *ct);
int parse_ns(struct nlattr **tb, struct nlattr *head, int len, struct nsctl_nsrec *ns);
/* A pool message's attributes into a record. */
int parse_pool(struct nlattr **tb, struct nlattr *head, int len, struct nsctl_pool *p);

#endif /* NSCTL_GENL_INT_H */
