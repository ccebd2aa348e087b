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

/* The attributes of a generic netlink message, checked by the policy. */
int parse_attrs(struct nlmsghdr *nlh, struct nlattr **tb, struct nlattr **head,
		int *len);
/* A container message's, a namespace message's attributes into records. */
int parse_ct(struct nlattr **tb, struct nlattr *head, int len, struct nsctl_ct *ct);
int parse_ns(struct nlattr **tb, struct nlattr *head, int len, struct nsctl_nsrec *ns);

#endif /* NSCTL_GENL_INT_H */
