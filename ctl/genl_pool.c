// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libnsctl: pools of the "nsctl" family (uapi/linux/nsctl.h, "Pools"):
 * reading them, making, changing and deleting them, giving them members
 * and claiming one.  Requests go through genl.c's machinery; pool
 * messages become records in genl_parse.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "genl.h"
#include "genl_int.h"

void nsctl_pool_clear(struct nsctl_pool *p)
{
	free(p->labels);
	free(p->member_cgroups);
	memset(p, 0, sizeof(*p));
	p->on_empty = -1;
	p->enter_policy = -1;
}

void nsctl_pool_free_array(struct nsctl_pool *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].labels);
		free(p[i].member_cgroups);
	}
	free(p);
}

struct pool_list {
	struct nsctl_pool *v;
	size_t n, cap;
};

static int parse_pool_into_list(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[NSCTL_A_MAX + 1], *head;
	struct pool_list *l = arg;
	int len, err;

	err = parse_attrs(nlh, tb, &head, &len);
	if (err)
		return err;
	if (grow_array((void **)&l->v, l->n, &l->cap, sizeof(*l->v)))
		return -ENOMEM;
	err = parse_pool(tb, head, len, &l->v[l->n]);
	if (err)
		return err;
	l->n++;
	return 0;
}

static void pool_list_reset(void *arg)
{
	struct pool_list *l = arg;

	nsctl_pool_free_array(l->v, l->n);
	memset(l, 0, sizeof(*l));
}

/* A do-request whose reply is a pool message (into @p when not NULL). */
static int pool_request(struct nsctl_genl *g, struct nl_msg *msg,
			struct nsctl_pool *p)
{
	struct pool_list l = { 0 };
	struct xfer x = { .parse = parse_pool_into_list, .arg = &l };
	int err;

	err = xfer_run(g, msg, &x);
	if (!err && p) {
		if (l.n != 1) {
			err = -EPROTO;
		} else {
			*p = l.v[0];
			l.n = 0;	/* handed over */
		}
	}
	pool_list_reset(&l);
	return err;
}

/* A request of @cmd naming the pool @name, or NULL. */
static struct nl_msg *pool_msg(struct nsctl_genl *g, uint8_t cmd, const char *name)
{
	struct nl_msg *msg = new_request(g, cmd, 0);

	if (msg && nla_put_string(msg, NSCTL_A_POOL_NAME, name)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int nsctl_genl_get_pool(struct nsctl_genl *g, const char *name,
			struct nsctl_pool *p)
{
	struct nl_msg *msg = pool_msg(g, NSCTL_CMD_GET_POOL, name);

	if (!msg)
		return -ENOMEM;
	return pool_request(g, msg, p);
}

int nsctl_genl_list_pools(struct nsctl_genl *g, struct nsctl_pool **pools,
			  size_t *n)
{
	struct pool_list l = { 0 };
	struct xfer x = { .parse = parse_pool_into_list, .arg = &l };
	int err;

	err = dump_run(g, NSCTL_CMD_GET_POOL, &x, pool_list_reset, NULL, 0);
	if (err) {
		pool_list_reset(&l);
		return err;
	}
	*pools = l.v;
	*n = l.n;
	return 0;
}

/* The attributes NEW_POOL and SET_POOL share. */
static int put_pool_numbers(struct nl_msg *msg, const struct nsctl_genl_pool_req *req)
{
	if (req->has_size && nla_put_u32(msg, NSCTL_A_POOL_SIZE, req->size))
		return -EMSGSIZE;
	if (req->has_low && nla_put_u32(msg, NSCTL_A_POOL_LOW, req->low))
		return -EMSGSIZE;
	if (req->has_max_age && nla_put_u32(msg, NSCTL_A_POOL_MAX_AGE, req->max_age))
		return -EMSGSIZE;
	return 0;
}

static int put_opt_string(struct nl_msg *msg, int attr, const char *s)
{
	return s && nla_put_string(msg, attr, s) ? -EMSGSIZE : 0;
}

int nsctl_genl_new_pool(struct nsctl_genl *g,
			const struct nsctl_genl_pool_req *req,
			struct nsctl_pool *p)
{
	struct nl_msg *msg = pool_msg(g, NSCTL_CMD_NEW_POOL, req->name);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u64(msg, NSCTL_A_POOL_TYPES, req->types) ||
	    put_pool_numbers(msg, req) ||
	    (req->flags && nla_put_u32(msg, NSCTL_A_POOL_FLAGS, req->flags)) ||
	    (req->on_empty >= 0 && nla_put_u32(msg, NSCTL_A_CT_ON_EMPTY, req->on_empty)) ||
	    (req->enter_policy >= 0 &&
	     nla_put_u32(msg, NSCTL_A_CT_ENTER_POLICY, req->enter_policy)) ||
	    put_labels(msg, req->labels, req->nlabels) ||
	    put_opt_string(msg, NSCTL_A_POOL_MEMORY_MAX, req->memory_max) ||
	    put_opt_string(msg, NSCTL_A_POOL_PIDS_MAX, req->pids_max) ||
	    put_opt_string(msg, NSCTL_A_POOL_CPU_MAX, req->cpu_max)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return pool_request(g, msg, p);
}

int nsctl_genl_set_pool(struct nsctl_genl *g,
			const struct nsctl_genl_pool_req *req,
			struct nsctl_pool *p)
{
	struct nl_msg *msg = pool_msg(g, NSCTL_CMD_SET_POOL, req->name);

	if (!msg)
		return -ENOMEM;
	if (put_pool_numbers(msg, req)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return pool_request(g, msg, p);
}

int nsctl_genl_del_pool(struct nsctl_genl *g, const char *name)
{
	struct nl_msg *msg = pool_msg(g, NSCTL_CMD_DEL_POOL, name);

	if (!msg)
		return -ENOMEM;
	return pool_request(g, msg, NULL);
}

int nsctl_genl_add_member(struct nsctl_genl *g, const char *pool,
			  const struct nsctl_genl_new *req,
			  struct nsctl_pool *p)
{
	struct nl_msg *msg = pool_msg(g, NSCTL_CMD_ADD_MEMBER, pool);

	if (!msg)
		return -ENOMEM;
	if (put_ns_nests(msg, req)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return pool_request(g, msg, p);
}

int nsctl_genl_claim(struct nsctl_genl *g, const struct nsctl_genl_claim *req,
		     struct nsctl_ct *ct)
{
	struct nl_msg *msg = pool_msg(g, NSCTL_CMD_CLAIM, req->pool);

	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, NSCTL_A_CT_NAME, req->name) ||
	    (req->uuid && nla_put(msg, NSCTL_A_CT_UUID, 16, req->uuid)) ||
	    put_labels(msg, req->labels, req->nlabels)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return ct_request(g, msg, ct);
}
