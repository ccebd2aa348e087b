// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libnsctl: the "nsctl" generic netlink family, through libnl-3.
 *
 * One request at a time per handle: a request goes out with an ack asked
 * for, and its replies are read until the ack, the error or the end of
 * the dump.  A kernel error is taken from the error message itself, since
 * libnl's own codes merge several errnos into one (ESTALE, EOWNERDEAD...
 * all read NLE_FAILURE), with the extended ack's text beside it.  Replies
 * become records in genl_parse.c; the events group is genl_events.c's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "genl.h"
#include "genl_int.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/* How often a dump that containers changed during is started again. */
#define DUMP_TRIES	8

#define U64_POLICY	{ .type = NLA_U64, .maxlen = sizeof(uint64_t) }
#define S64_POLICY	{ .type = NLA_S64, .maxlen = sizeof(int64_t) }
#define U32_POLICY	{ .type = NLA_U32, .maxlen = sizeof(uint32_t) }
#define S32_POLICY	{ .type = NLA_S32, .maxlen = sizeof(int32_t) }
#define UUID_POLICY	{ .type = NLA_UNSPEC, .minlen = 16, .maxlen = 16 }

static struct nla_policy extack_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG]		= { .type = NLA_STRING, .maxlen = 1024 },
	[NLMSGERR_ATTR_OFFS]		= U32_POLICY,
	[NLMSGERR_ATTR_MISS_TYPE]	= U32_POLICY,
	[NLMSGERR_ATTR_MISS_NEST]	= U32_POLICY,
};

/* libnl's error codes back to errnos, where a request itself failed. */
int nl2errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_SUCCESS:		return 0;
	case NLE_INTR:			return -EINTR;
	case NLE_BAD_SOCK:		return -EBADF;
	case NLE_AGAIN:			return -EAGAIN;
	case NLE_NOMEM:			return -ENOMEM;
	case NLE_EXIST:			return -EEXIST;
	case NLE_INVAL:			return -EINVAL;
	case NLE_RANGE:			return -ERANGE;
	case NLE_MSGSIZE:		return -EMSGSIZE;
	case NLE_OPNOTSUPP:		return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:		return -EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:		return -ENOENT;
	case NLE_BUSY:			return -EBUSY;
	case NLE_NOACCESS:		return -EACCES;
	case NLE_PERM:			return -EPERM;
	case NLE_NODEV:			return -ENODEV;
	case NLE_DUMP_INTR:		return -EAGAIN;
	case NLE_PROTO_MISMATCH:	return -EPROTONOSUPPORT;
	case NLE_SEQ_MISMATCH:
	case NLE_MSG_TRUNC:
	case NLE_MSG_TOOSHORT:
	case NLE_MSGTYPE_NOSUPPORT:
	case NLE_PARSE_ERR:
		return -EPROTO;
	default:			return -EIO;
	}
}

static const char * const attr_names[NSCTL_A_MAX + 1] = {
	[NSCTL_A_EVENT_SEQ] = "NSCTL_A_EVENT_SEQ",
	[NSCTL_A_CT_ID] = "NSCTL_A_CT_ID",
	[NSCTL_A_CT_NAME] = "NSCTL_A_CT_NAME",
	[NSCTL_A_CT_UUID] = "NSCTL_A_CT_UUID",
	[NSCTL_A_CT_GENERATION] = "NSCTL_A_CT_GENERATION",
	[NSCTL_A_CT_CREATED] = "NSCTL_A_CT_CREATED",
	[NSCTL_A_CT_ENTERS] = "NSCTL_A_CT_ENTERS",
	[NSCTL_A_CT_PID_INIT] = "NSCTL_A_CT_PID_INIT",
	[NSCTL_A_CT_CGROUP_ID] = "NSCTL_A_CT_CGROUP_ID",
	[NSCTL_A_CT_CGROUP_PATH] = "NSCTL_A_CT_CGROUP_PATH",
	[NSCTL_A_CT_NS] = "NSCTL_A_CT_NS",
	[NSCTL_A_CT_CHANGED] = "NSCTL_A_CT_CHANGED",
	[NSCTL_A_PID] = "NSCTL_A_PID",
	[NSCTL_A_CGROUP_FD] = "NSCTL_A_CGROUP_FD",
	[NSCTL_A_NS_TYPE] = "NSCTL_A_NS_TYPE",
	[NSCTL_A_NS_INUM] = "NSCTL_A_NS_INUM",
	[NSCTL_A_NS_UUID] = "NSCTL_A_NS_UUID",
	[NSCTL_A_NS_OWNER_UUID] = "NSCTL_A_NS_OWNER_UUID",
	[NSCTL_A_NS_PARENT_UUID] = "NSCTL_A_NS_PARENT_UUID",
	[NSCTL_A_NS_CONTAINER] = "NSCTL_A_NS_CONTAINER",
	[NSCTL_A_NS_FD] = "NSCTL_A_NS_FD",
	[NSCTL_A_NS_PID] = "NSCTL_A_NS_PID",
	[NSCTL_A_CT_ON_EMPTY] = "NSCTL_A_CT_ON_EMPTY",
	[NSCTL_A_CT_ENTER_POLICY] = "NSCTL_A_CT_ENTER_POLICY",
	[NSCTL_A_CT_LABELS] = "NSCTL_A_CT_LABELS",
	[NSCTL_A_LABEL] = "NSCTL_A_LABEL",
	[NSCTL_A_NS_NET_COOKIE] = "NSCTL_A_NS_NET_COOKIE",
	[NSCTL_A_POOL_NAME] = "NSCTL_A_POOL_NAME",
	[NSCTL_A_POOL_TYPES] = "NSCTL_A_POOL_TYPES",
	[NSCTL_A_POOL_SIZE] = "NSCTL_A_POOL_SIZE",
};

/* The extended ack's TLVs, @off bytes into the message @nlh. */
static void take_extack(struct nsctl_genl *g, struct nlmsghdr *nlh, size_t off)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	uint32_t miss;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || nlh->nlmsg_len <= off)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + off),
		      nlh->nlmsg_len - off, extack_policy) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG]) {
		snprintf(g->errmsg, sizeof(g->errmsg), "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
	} else if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		miss = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
		if (miss <= NSCTL_A_MAX && attr_names[miss])
			snprintf(g->errmsg, sizeof(g->errmsg),
				 "missing attribute %s", attr_names[miss]);
		else
			snprintf(g->errmsg, sizeof(g->errmsg),
				 "missing attribute %u", miss);
	}
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct xfer *x = arg;
	int err;

	if (nlh->nlmsg_type != x->g->family || !x->parse)
		return NL_SKIP;
	if (!genlmsg_valid_hdr(nlh, 0)) {
		err = -EPROTO;
	} else {
		err = x->parse(nlh, x->arg);
	}
	if (err && !x->err)
		x->err = err;
	return NL_OK;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct xfer *x = arg;
	int err;

	/* A dump that failed midway says why in its NLMSG_DONE. */
	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
		if (err < 0) {
			x->err = err;
			take_extack(x->g, nlh, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int)));
		}
	}
	x->done = true;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct xfer *x = arg;

	(void)msg;
	x->done = true;
	return NL_STOP;
}

static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct xfer *x = arg;

	(void)msg;
	x->intr = true;
	return NL_OK;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct xfer *x = arg;
	size_t off = NLMSG_HDRLEN + sizeof(*e);

	(void)nla;
	/* Unless capped, the request itself comes back before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	take_extack(x->g, nlh, off);
	x->err = e->error < 0 ? e->error : -e->error;
	x->done = true;
	return NL_STOP;
}

/* Send @msg (consumed) and read its replies until the end. */
int xfer_run(struct nsctl_genl *g, struct nl_msg *msg, struct xfer *x)
{
	struct nl_cb *cb;
	int err;

	x->g = g;
	g->errmsg[0] = '\0';
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, x);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, x);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, x);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, x);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, x);

	err = nl_send_auto(g->sk, msg);
	nlmsg_free(msg);
	if (err < 0) {
		nl_cb_put(cb);
		return nl2errno(err);
	}
	err = 0;
	while (!x->done) {
		err = nl_recvmsgs(g->sk, cb);
		if (err < 0 && !x->done) {
			err = nl2errno(err);
			break;
		}
		err = 0;
	}
	nl_cb_put(cb);
	return err ? err : x->err;
}

struct nl_msg *new_request(struct nsctl_genl *g, uint8_t cmd, int flags)
{
	/* Room for a name, every namespace and the most labels there can be. */
	struct nl_msg *msg = nlmsg_alloc_size(4 * NSCTL_LABELS_SIZE);

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, g->family, 0, flags,
			 cmd, NSCTL_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int nsctl_genl_open(struct nsctl_genl **out)
{
	struct nsctl_genl *g;
	int one = 1, err;

	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->sk = nl_socket_alloc();
	if (!g->sk) {
		free(g);
		return -ENOMEM;
	}
	err = genl_connect(g->sk);
	if (err < 0) {
		err = nl2errno(err);
		goto err_free;
	}
	/* Explanations with errors; not the request echoed back. */
	setsockopt(nl_socket_get_fd(g->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	setsockopt(nl_socket_get_fd(g->sk), SOL_NETLINK, NETLINK_CAP_ACK, &one,
		   sizeof(one));
	g->family = genl_ctrl_resolve(g->sk, NSCTL_GENL_NAME);
	if (g->family < 0) {
		err = nl2errno(g->family);
		goto err_free;
	}
	*out = g;
	return 0;

err_free:
	nl_socket_free(g->sk);
	free(g);
	return err;
}

void nsctl_genl_close(struct nsctl_genl *g)
{
	if (!g)
		return;
	nl_socket_free(g->sk);
	free(g);
}

const char *nsctl_genl_errmsg(const struct nsctl_genl *g)
{
	return g && g->errmsg[0] ? g->errmsg : NULL;
}

void nsctl_ct_clear(struct nsctl_ct *ct)
{
	free(ct->cgroup);
	free(ct->labels);
	memset(ct, 0, sizeof(*ct));
	ct->pid_init = -1;
	ct->on_empty = -1;
	ct->enter_policy = -1;
}

void nsctl_ct_free_array(struct nsctl_ct *cts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(cts[i].cgroup);
		free(cts[i].labels);
	}
	free(cts);
}

void nsctl_nsrec_clear(struct nsctl_nsrec *ns)
{
	free(ns->containers);
	memset(ns, 0, sizeof(*ns));
}

void nsctl_nsrec_free_array(struct nsctl_nsrec *nss, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(nss[i].containers);
	free(nss);
}

/* Room for element @n of a growing array: 0, or -ENOMEM. */
int grow_array(void **v, size_t n, size_t *cap, size_t size)
{
	size_t c;
	void *nv;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 256;
	nv = realloc(*v, c * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = c;
	return 0;
}

/* Containers. */

struct ct_list {
	struct nsctl_ct *v;
	size_t n, cap;
};

static int parse_ct_into_list(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[NSCTL_A_MAX + 1], *head;
	struct ct_list *l = arg;
	int len, err;

	err = parse_attrs(nlh, tb, &head, &len);
	if (err)
		return err;
	if (grow_array((void **)&l->v, l->n, &l->cap, sizeof(*l->v)))
		return -ENOMEM;
	err = parse_ct(tb, head, len, &l->v[l->n]);
	if (err)
		return err;
	l->n++;
	return 0;
}

/* An NSCTL_A_CT_LABELS nest of @n NSCTL_A_LABEL strings. */
int put_labels(struct nl_msg *msg, const char *const *labels, size_t n)
{
	struct nlattr *nest;
	size_t i;

	if (!n)
		return 0;
	nest = nla_nest_start(msg, NSCTL_A_CT_LABELS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n; i++)
		if (nla_put_string(msg, NSCTL_A_LABEL, labels[i]))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* Run a dump until one was not interrupted by a change. */
int dump_run(struct nsctl_genl *g, uint8_t cmd, struct xfer *x,
		void (*reset)(void *arg), const char *const *sel, size_t nsel)
{
	struct nl_msg *msg;
	int tries, err;

	for (tries = 0; tries < DUMP_TRIES; tries++) {
		msg = new_request(g, cmd, NLM_F_DUMP);
		if (!msg)
			return -ENOMEM;
		if (put_labels(msg, sel, nsel)) {
			nlmsg_free(msg);
			return -EMSGSIZE;
		}
		x->err = 0;
		x->done = false;
		x->intr = false;
		err = xfer_run(g, msg, x);
		if (err || !x->intr)
			return err;
		reset(x->arg);
	}
	return -EAGAIN;
}

static void ct_list_reset(void *arg)
{
	struct ct_list *l = arg;

	nsctl_ct_free_array(l->v, l->n);
	memset(l, 0, sizeof(*l));
}

int nsctl_genl_list_containers(struct nsctl_genl *g, struct nsctl_ct **cts,
			       size_t *n)
{
	return nsctl_genl_list_selected(g, NULL, 0, cts, n);
}

int nsctl_genl_list_selected(struct nsctl_genl *g, const char *const *sel,
			     size_t nsel, struct nsctl_ct **cts, size_t *n)
{
	struct ct_list l = { 0 };
	struct xfer x = { .parse = parse_ct_into_list, .arg = &l };
	int err;

	err = dump_run(g, NSCTL_CMD_GET_CONTAINER, &x, ct_list_reset, sel, nsel);
	if (err) {
		ct_list_reset(&l);
		return err;
	}
	*cts = l.v;
	*n = l.n;
	return 0;
}

static int put_ref(struct nl_msg *msg, const struct nsctl_ct_ref *ref)
{
	if (!!ref->name + !!ref->id + !!ref->uuid != 1)
		return -EINVAL;
	if (ref->name)
		return nla_put_string(msg, NSCTL_A_CT_NAME, ref->name) ? -EMSGSIZE : 0;
	if (ref->id)
		return nla_put_u64(msg, NSCTL_A_CT_ID, *ref->id) ? -EMSGSIZE : 0;
	return nla_put(msg, NSCTL_A_CT_UUID, 16, ref->uuid) ? -EMSGSIZE : 0;
}

/* A do-request whose reply is a container message (or none). */
int ct_request(struct nsctl_genl *g, struct nl_msg *msg,
		      struct nsctl_ct *ct)
{
	struct ct_list l = { 0 };
	struct xfer x = { .parse = parse_ct_into_list, .arg = &l };
	int err;

	err = xfer_run(g, msg, &x);
	if (!err && ct) {
		if (l.n != 1) {
			err = -EPROTO;
		} else {
			*ct = l.v[0];
			l.v[0].cgroup = NULL;
			l.v[0].labels = NULL;
		}
	}
	ct_list_reset(&l);
	return err;
}

int nsctl_genl_get_container(struct nsctl_genl *g,
			     const struct nsctl_ct_ref *ref,
			     struct nsctl_ct *ct)
{
	struct nl_msg *msg = new_request(g, NSCTL_CMD_GET_CONTAINER, 0);
	int err;

	if (!msg)
		return -ENOMEM;
	err = put_ref(msg, ref);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return ct_request(g, msg, ct);
}

int put_ns_nests(struct nl_msg *msg, const struct nsctl_genl_new *req)
{
	struct nlattr *nest;
	unsigned int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (!(req->types & NSCTL_NS_BIT(i)))
			continue;
		nest = nla_nest_start(msg, NSCTL_A_CT_NS);
		if (!nest || nla_put_u32(msg, NSCTL_A_NS_TYPE, i))
			return -EMSGSIZE;
		if (i == NSCTL_NS_PID && req->pid_of > 0) {
			if (nla_put_s32(msg, NSCTL_A_NS_PID, req->pid_of))
				return -EMSGSIZE;
		} else if (nla_put_s32(msg, NSCTL_A_NS_FD, req->fds[i])) {
			return -EMSGSIZE;
		}
		nla_nest_end(msg, nest);
	}
	if (req->cgroup_fd >= 0 && nla_put_s32(msg, NSCTL_A_CGROUP_FD, req->cgroup_fd))
		return -EMSGSIZE;
	return 0;
}

int nsctl_genl_new_container(struct nsctl_genl *g,
			     const struct nsctl_genl_new *req,
			     struct nsctl_ct *ct)
{
	struct nl_msg *msg = new_request(g, NSCTL_CMD_NEW_CONTAINER, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_string(msg, NSCTL_A_CT_NAME, req->name))
		goto err_size;
	if (req->uuid && nla_put(msg, NSCTL_A_CT_UUID, 16, req->uuid))
		goto err_size;
	if (put_ns_nests(msg, req))
		goto err_size;
	if (put_labels(msg, req->labels, req->nlabels))
		goto err_size;
	return ct_request(g, msg, ct);

err_size:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

int nsctl_genl_del_container(struct nsctl_genl *g,
			     const struct nsctl_ct_ref *ref,
			     const uint64_t *expect_gen)
{
	struct nl_msg *msg = new_request(g, NSCTL_CMD_DEL_CONTAINER, 0);
	int err;

	if (!msg)
		return -ENOMEM;
	err = put_ref(msg, ref);
	if (!err && expect_gen &&
	    nla_put_u64(msg, NSCTL_A_CT_GENERATION, *expect_gen))
		err = -EMSGSIZE;
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return ct_request(g, msg, NULL);
}

/* Namespaces. */

struct ns_list {
	struct nsctl_nsrec *v;
	size_t n, cap;
};

/* Holders of @more appended to @ns's; @more is emptied. */
static int ns_join(struct nsctl_nsrec *ns, struct nsctl_nsrec *more)
{
	uint64_t *v;

	if (!more->ncontainers)
		return 0;
	v = realloc(ns->containers, (ns->ncontainers + more->ncontainers) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	memcpy(v + ns->ncontainers, more->containers, more->ncontainers * sizeof(*v));
	ns->containers = v;
	ns->ncontainers += more->ncontainers;
	nsctl_nsrec_clear(more);
	return 0;
}

/*
 * A namespace with more holders than a part of the dump takes comes in
 * consecutive messages with the same UUID: one record.
 */
static int parse_ns_into_list(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[NSCTL_A_MAX + 1], *head;
	struct ns_list *l = arg;
	struct nsctl_nsrec *prev;
	int len, err;

	err = parse_attrs(nlh, tb, &head, &len);
	if (err)
		return err;
	if (grow_array((void **)&l->v, l->n, &l->cap, sizeof(*l->v)))
		return -ENOMEM;
	err = parse_ns(tb, head, len, &l->v[l->n]);
	if (err)
		return err;
	prev = l->n ? &l->v[l->n - 1] : NULL;
	if (prev && !memcmp(prev->uuid, l->v[l->n].uuid, 16)) {
		err = ns_join(prev, &l->v[l->n]);
		if (err)
			nsctl_nsrec_clear(&l->v[l->n]);
		return err;
	}
	l->n++;
	return 0;
}

static void ns_list_reset(void *arg)
{
	struct ns_list *l = arg;

	nsctl_nsrec_free_array(l->v, l->n);
	memset(l, 0, sizeof(*l));
}

int nsctl_genl_list_ns(struct nsctl_genl *g, struct nsctl_nsrec **nss,
		       size_t *n)
{
	struct ns_list l = { 0 };
	struct xfer x = { .parse = parse_ns_into_list, .arg = &l };
	int err;

	err = dump_run(g, NSCTL_CMD_GET_NS, &x, ns_list_reset, NULL, 0);
	if (err) {
		ns_list_reset(&l);
		return err;
	}
	*nss = l.v;
	*n = l.n;
	return 0;
}
