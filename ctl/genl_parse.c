// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libnsctl: "nsctl" generic netlink messages into records.  Every message
 * is checked against a policy that fixes each attribute's type and length
 * before anything is read from it; attributes newer than this header are
 * ignored, as a newer kernel may send them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "genl_int.h"

#define U64_POLICY	{ .type = NLA_U64, .maxlen = sizeof(uint64_t) }
#define S64_POLICY	{ .type = NLA_S64, .maxlen = sizeof(int64_t) }
#define U32_POLICY	{ .type = NLA_U32, .maxlen = sizeof(uint32_t) }
#define S32_POLICY	{ .type = NLA_S32, .maxlen = sizeof(int32_t) }
#define UUID_POLICY	{ .type = NLA_UNSPEC, .minlen = 16, .maxlen = 16 }
#define LIMIT_POLICY	{ .type = NLA_STRING, .maxlen = NSCTL_POOL_LIMIT_MAX + 1 }

static struct nla_policy attr_policy[NSCTL_A_MAX + 1] = {
	[NSCTL_A_EVENT_SEQ]		= U64_POLICY,
	[NSCTL_A_CT_ID]			= U64_POLICY,
	[NSCTL_A_CT_NAME]		= { .type = NLA_STRING, .maxlen = NSCTL_NAME_MAX + 1 },
	[NSCTL_A_CT_UUID]		= UUID_POLICY,
	[NSCTL_A_CT_GENERATION]		= U64_POLICY,
	[NSCTL_A_CT_CREATED]		= S64_POLICY,
	[NSCTL_A_CT_ENTERS]		= U64_POLICY,
	[NSCTL_A_CT_PID_INIT]		= U32_POLICY,
	[NSCTL_A_CT_CGROUP_ID]		= U64_POLICY,
	[NSCTL_A_CT_CGROUP_PATH]	= { .type = NLA_STRING, .maxlen = 4096 },
	[NSCTL_A_CT_NS]			= { .type = NLA_NESTED },
	[NSCTL_A_CT_CHANGED]		= U64_POLICY,
	[NSCTL_A_PID]			= U32_POLICY,
	[NSCTL_A_CGROUP_FD]		= S32_POLICY,
	[NSCTL_A_NS_TYPE]		= U32_POLICY,
	[NSCTL_A_NS_INUM]		= U32_POLICY,
	[NSCTL_A_NS_UUID]		= UUID_POLICY,
	[NSCTL_A_NS_OWNER_UUID]		= UUID_POLICY,
	[NSCTL_A_NS_PARENT_UUID]	= UUID_POLICY,
	[NSCTL_A_NS_CONTAINER]		= U64_POLICY,
	[NSCTL_A_NS_FD]			= S32_POLICY,
	[NSCTL_A_NS_PID]		= S32_POLICY,
	[NSCTL_A_CT_ON_EMPTY]		= U32_POLICY,
	[NSCTL_A_CT_ENTER_POLICY]	= U32_POLICY,
	[NSCTL_A_CT_LABELS]		= { .type = NLA_NESTED },
	[NSCTL_A_LABEL]			= { .type = NLA_STRING,
					    .maxlen = NSCTL_LABEL_KEY_MAX + NSCTL_LABEL_VALUE_MAX + 2 },
	[NSCTL_A_NS_NET_COOKIE]		= U64_POLICY,
	[NSCTL_A_POOL_NAME]		= { .type = NLA_STRING, .maxlen = NSCTL_POOL_NAME_MAX + 1 },
	[NSCTL_A_POOL_TYPES]		= U64_POLICY,
	[NSCTL_A_POOL_SIZE]		= U32_POLICY,
	[NSCTL_A_POOL_LOW]		= U32_POLICY,
	[NSCTL_A_POOL_MAX_AGE]		= U32_POLICY,
	[NSCTL_A_POOL_FLAGS]		= U32_POLICY,
	[NSCTL_A_POOL_READY]		= U32_POLICY,
	[NSCTL_A_POOL_CLAIMED]		= U64_POLICY,
	[NSCTL_A_POOL_ADDED]		= U64_POLICY,
	[NSCTL_A_POOL_EXPIRED]		= U64_POLICY,
	[NSCTL_A_POOL_MISSED]		= U64_POLICY,
	[NSCTL_A_POOL_CREATED]		= S64_POLICY,
	[NSCTL_A_POOL_OLDEST]		= S64_POLICY,
	[NSCTL_A_POOL_MEMORY_MAX]	= LIMIT_POLICY,
	[NSCTL_A_POOL_PIDS_MAX]		= LIMIT_POLICY,
	[NSCTL_A_POOL_CPU_MAX]		= LIMIT_POLICY,
	[NSCTL_A_POOL_MEMBER_CGROUP]	= U64_POLICY,
};

/* The labels nest as "key=value\n" lines (malloc'd). */
static int parse_labels(struct nlattr *nest, char **out)
{
	struct nlattr *nla;
	size_t size = 1;
	char *p;
	int rem;

	nla_for_each_nested(nla, nest, rem)
		if (nla_type(nla) == NSCTL_A_LABEL)
			size += nla_len(nla) + 1;
	p = *out = malloc(size);
	if (!p)
		return -ENOMEM;
	nla_for_each_nested(nla, nest, rem) {
		if (nla_type(nla) != NSCTL_A_LABEL)
			continue;
		p += sprintf(p, "%.*s\n", nla_len(nla), (const char *)nla_data(nla));
		/* "%.*s" stopped at the attribute's NUL. */
	}
	*p = '\0';
	return 0;
}

/* The attributes of a generic netlink message, checked by the policy. */
int parse_attrs(struct nlmsghdr *nlh, struct nlattr **tb,
		       struct nlattr **head, int *len)
{
	struct genlmsghdr *gh = nlmsg_data(nlh);

	if (genlmsg_parse(nlh, 0, tb, NSCTL_A_MAX, attr_policy) < 0)
		return -EPROTO;
	*head = genlmsg_attrdata(gh, 0);
	*len = genlmsg_attrlen(gh, 0);
	return 0;
}

int parse_ct(struct nlattr **tb, struct nlattr *head, int len,
		    struct nsctl_ct *ct)
{
	struct nlattr *nla, *nt[NSCTL_A_MAX + 1];
	unsigned int type;
	int rem;

	memset(ct, 0, sizeof(*ct));
	ct->pid_init = -1;
	ct->on_empty = -1;
	ct->enter_policy = -1;
	if (!tb[NSCTL_A_CT_ID] || !tb[NSCTL_A_CT_NAME] || !tb[NSCTL_A_CT_UUID] ||
	    !tb[NSCTL_A_CT_GENERATION])
		return -EPROTO;
	ct->id = nla_get_u64(tb[NSCTL_A_CT_ID]);
	snprintf(ct->name, sizeof(ct->name), "%s", nla_get_string(tb[NSCTL_A_CT_NAME]));
	memcpy(ct->uuid, nla_data(tb[NSCTL_A_CT_UUID]), 16);
	ct->generation = nla_get_u64(tb[NSCTL_A_CT_GENERATION]);
	if (tb[NSCTL_A_CT_CREATED])
		ct->created = nla_get_s64(tb[NSCTL_A_CT_CREATED]);
	if (tb[NSCTL_A_CT_ENTERS])
		ct->enters = nla_get_u64(tb[NSCTL_A_CT_ENTERS]);
	if (tb[NSCTL_A_CT_PID_INIT])
		ct->pid_init = nla_get_u32(tb[NSCTL_A_CT_PID_INIT]);
	if (tb[NSCTL_A_CT_ON_EMPTY])
		ct->on_empty = nla_get_u32(tb[NSCTL_A_CT_ON_EMPTY]);
	if (tb[NSCTL_A_CT_ENTER_POLICY])
		ct->enter_policy = nla_get_u32(tb[NSCTL_A_CT_ENTER_POLICY]);
	if (tb[NSCTL_A_CT_CGROUP_ID]) {
		ct->has_cgroup = true;
		ct->cgroup_id = nla_get_u64(tb[NSCTL_A_CT_CGROUP_ID]);
	}
	if (tb[NSCTL_A_CT_CGROUP_PATH]) {
		ct->has_cgroup = true;
		ct->cgroup = strdup(nla_get_string(tb[NSCTL_A_CT_CGROUP_PATH]));
		if (!ct->cgroup)
			return -ENOMEM;
	}
	if (tb[NSCTL_A_CT_LABELS] && parse_labels(tb[NSCTL_A_CT_LABELS], &ct->labels)) {
		free(ct->cgroup);
		ct->cgroup = NULL;
		return -ENOMEM;
	}

	/* One nest per held namespace: repeated, so not in @tb. */
	nla_for_each_attr(nla, head, len, rem) {
		if (nla_type(nla) != NSCTL_A_CT_NS)
			continue;
		if (nla_parse_nested(nt, NSCTL_A_MAX, nla, attr_policy) < 0 ||
		    !nt[NSCTL_A_NS_TYPE] || !nt[NSCTL_A_NS_INUM] || !nt[NSCTL_A_NS_UUID])
			goto err_proto;
		type = nla_get_u32(nt[NSCTL_A_NS_TYPE]);
		if (type >= NSCTL_NS_COUNT)
			continue;	/* a type newer than this header */
		ct->ns_held |= NSCTL_NS_BIT(type);
		ct->ns_inum[type] = nla_get_u32(nt[NSCTL_A_NS_INUM]);
		memcpy(ct->ns_uuid[type], nla_data(nt[NSCTL_A_NS_UUID]), 16);
		if (type == NSCTL_NS_NET && nt[NSCTL_A_NS_NET_COOKIE])
			ct->net_cookie = nla_get_u64(nt[NSCTL_A_NS_NET_COOKIE]);
	}
	return 0;

err_proto:
	free(ct->cgroup);
	free(ct->labels);
	ct->cgroup = NULL;
	ct->labels = NULL;
	return -EPROTO;
}

int parse_ns(struct nlattr **tb, struct nlattr *head, int len,
		    struct nsctl_nsrec *ns)
{
	struct nlattr *nla;
	size_t n = 0;
	int rem;

	memset(ns, 0, sizeof(*ns));
	if (!tb[NSCTL_A_NS_UUID] || !tb[NSCTL_A_NS_TYPE] || !tb[NSCTL_A_NS_INUM])
		return -EPROTO;
	memcpy(ns->uuid, nla_data(tb[NSCTL_A_NS_UUID]), 16);
	ns->type = nla_get_u32(tb[NSCTL_A_NS_TYPE]);
	ns->inum = nla_get_u32(tb[NSCTL_A_NS_INUM]);
	if (tb[NSCTL_A_NS_NET_COOKIE])
		ns->net_cookie = nla_get_u64(tb[NSCTL_A_NS_NET_COOKIE]);
	if (tb[NSCTL_A_NS_OWNER_UUID]) {
		ns->has_owner = true;
		memcpy(ns->owner, nla_data(tb[NSCTL_A_NS_OWNER_UUID]), 16);
	}
	if (tb[NSCTL_A_NS_PARENT_UUID]) {
		ns->has_parent = true;
		memcpy(ns->parent, nla_data(tb[NSCTL_A_NS_PARENT_UUID]), 16);
	}
	nla_for_each_attr(nla, head, len, rem)
		if (nla_type(nla) == NSCTL_A_NS_CONTAINER)
			n++;
	if (!n)
		return 0;
	ns->containers = calloc(n, sizeof(*ns->containers));
	if (!ns->containers)
		return -ENOMEM;
	nla_for_each_attr(nla, head, len, rem)
		if (nla_type(nla) == NSCTL_A_NS_CONTAINER)
			ns->containers[ns->ncontainers++] = nla_get_u64(nla);
	return 0;
}

/* A string attribute, when present, into @buf (of NSCTL_POOL_LIMIT_MAX + 1). */
static void limit_string(struct nlattr *nla, char *buf)
{
	if (nla)
		snprintf(buf, NSCTL_POOL_LIMIT_MAX + 1, "%s", nla_get_string(nla));
}

int parse_pool(struct nlattr **tb, struct nlattr *head, int len,
	       struct nsctl_pool *p)
{
	struct nlattr *nla;
	size_t n = 0;
	int rem;

	memset(p, 0, sizeof(*p));
	p->on_empty = -1;
	p->enter_policy = -1;
	if (!tb[NSCTL_A_POOL_NAME] || !tb[NSCTL_A_POOL_TYPES] || !tb[NSCTL_A_POOL_SIZE])
		return -EPROTO;
	snprintf(p->name, sizeof(p->name), "%s", nla_get_string(tb[NSCTL_A_POOL_NAME]));
	p->types = nla_get_u64(tb[NSCTL_A_POOL_TYPES]);
	p->size = nla_get_u32(tb[NSCTL_A_POOL_SIZE]);
	if (tb[NSCTL_A_POOL_LOW])
		p->low = nla_get_u32(tb[NSCTL_A_POOL_LOW]);
	if (tb[NSCTL_A_POOL_MAX_AGE])
		p->max_age = nla_get_u32(tb[NSCTL_A_POOL_MAX_AGE]);
	if (tb[NSCTL_A_POOL_FLAGS])
		p->flags = nla_get_u32(tb[NSCTL_A_POOL_FLAGS]);
	if (tb[NSCTL_A_POOL_READY])
		p->ready = nla_get_u32(tb[NSCTL_A_POOL_READY]);
	if (tb[NSCTL_A_POOL_CLAIMED])
		p->claimed = nla_get_u64(tb[NSCTL_A_POOL_CLAIMED]);
	if (tb[NSCTL_A_POOL_ADDED])
		p->added = nla_get_u64(tb[NSCTL_A_POOL_ADDED]);
	if (tb[NSCTL_A_POOL_EXPIRED])
		p->expired = nla_get_u64(tb[NSCTL_A_POOL_EXPIRED]);
	if (tb[NSCTL_A_POOL_MISSED])
		p->missed = nla_get_u64(tb[NSCTL_A_POOL_MISSED]);
	if (tb[NSCTL_A_POOL_CREATED])
		p->created = nla_get_s64(tb[NSCTL_A_POOL_CREATED]);
	if (tb[NSCTL_A_POOL_OLDEST]) {
		p->has_oldest = true;
		p->oldest = nla_get_s64(tb[NSCTL_A_POOL_OLDEST]);
	}
	if (tb[NSCTL_A_CT_ON_EMPTY])
		p->on_empty = nla_get_u32(tb[NSCTL_A_CT_ON_EMPTY]);
	if (tb[NSCTL_A_CT_ENTER_POLICY])
		p->enter_policy = nla_get_u32(tb[NSCTL_A_CT_ENTER_POLICY]);
	limit_string(tb[NSCTL_A_POOL_MEMORY_MAX], p->memory_max);
	limit_string(tb[NSCTL_A_POOL_PIDS_MAX], p->pids_max);
	limit_string(tb[NSCTL_A_POOL_CPU_MAX], p->cpu_max);
	if (tb[NSCTL_A_CT_LABELS] && parse_labels(tb[NSCTL_A_CT_LABELS], &p->labels))
		return -ENOMEM;

	/* Repeated, so not in @tb. */
	nla_for_each_attr(nla, head, len, rem)
		if (nla_type(nla) == NSCTL_A_POOL_MEMBER_CGROUP)
			n++;
	if (!n)
		return 0;
	p->member_cgroups = calloc(n, sizeof(*p->member_cgroups));
	if (!p->member_cgroups) {
		free(p->labels);
		p->labels = NULL;
		return -ENOMEM;
	}
	nla_for_each_attr(nla, head, len, rem)
		if (nla_type(nla) == NSCTL_A_POOL_MEMBER_CGROUP)
			p->member_cgroups[p->nmembers++] = nla_get_u64(nla);
	return 0;
}
