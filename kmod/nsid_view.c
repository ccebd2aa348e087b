// SPDX-License-Identifier: GPL-2.0
/*
 * The views of the tracked namespaces: netlink namespace messages (replies,
 * the dump, events), NSCTL_IOC_NS_INFO's answer, and the top-level
 * "namespaces" file.  Each shows a namespace to whoever may see it and,
 * of its holders, the containers they see (viewer.h).  Tracking itself is
 * nsid.c's.
 */
#include <linux/mutex.h>
#include <linux/ns_common.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "event.h"
#include "genl.h"
#include "ns.h"
#include "nsid.h"
#include "nsid_int.h"
#include "viewer.h"

/* A namespace message's attributes. */
/* Room for @id's whole message, holders included. */
static size_t nsid_msg_size(const struct nsctl_nsid *id)
{
	return 3 * nla_total_size(sizeof(id->uuid)) + 2 * nla_total_size(sizeof(u32)) +
	       id->nholders * nla_total_size_64bit(sizeof(u64));
}

/* Does @v (NULL: an event, everyone) see the container of the claim @h? */
static bool nsid_holder_seen(const struct nsctl_viewer *v,
			     const struct nsctl_holder *h)
{
	struct ns_common *slots[NSCTL_NS_COUNT];
	int i;

	lockdep_assert_held(&nsid_lock);
	/* A pool member's: named by nobody until it is claimed. */
	if (!h->cid)
		return false;
	if (!v)
		return true;
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		slots[i] = h->slots[i].id ? h->slots[i].id->ns : NULL;
	return nsctl_viewer_sees_slots(v, slots);
}

/*
 * A namespace message for @id, with its holders from the @*from'th on,
 * those @v sees (NULL: all).  -EMSGSIZE when they do not all fit: @*from
 * is then the first left out.
 */
static int nsid_fill_locked(struct sk_buff *skb, struct nsctl_nsid *id,
			    unsigned int *from, const struct nsctl_viewer *v)
{
	struct nsctl_holder *h;
	unsigned int i = 0;

	lockdep_assert_held(&nsid_lock);
	if (nla_put(skb, NSCTL_A_NS_UUID, sizeof(id->uuid), &id->uuid) ||
	    nla_put_u32(skb, NSCTL_A_NS_TYPE, id->type) ||
	    nla_put_u32(skb, NSCTL_A_NS_INUM, id->inum))
		return -EMSGSIZE;
	if (id->type == NSCTL_NS_NET &&
	    nla_put_u64_64bit(skb, NSCTL_A_NS_NET_COOKIE, id->cookie,
			      NSCTL_A_PAD))
		return -EMSGSIZE;
	if (id->owner && nla_put(skb, NSCTL_A_NS_OWNER_UUID,
				 sizeof(id->owner->uuid), &id->owner->uuid))
		return -EMSGSIZE;
	if (id->parent && nla_put(skb, NSCTL_A_NS_PARENT_UUID,
				  sizeof(id->parent->uuid), &id->parent->uuid))
		return -EMSGSIZE;
	list_for_each_entry(h, &id->holders, node) {
		if (i++ < *from || !nsid_holder_seen(v, h))
			continue;
		if (nla_put_u64_64bit(skb, NSCTL_A_NS_CONTAINER, h->cid,
				      NSCTL_A_PAD)) {
			*from = i - 1;
			return -EMSGSIZE;
		}
	}
	return 0;
}

void nsid_event(struct nsctl_nsid *id, u8 cmd)
{
	struct sk_buff *skb;

	lockdep_assert_held(&nsid_lock);
	unsigned int from = 0;

	if (nsid_quiet)
		return;
	skb = nsctl_event_new(cmd, nsid_msg_size(id));
	if (!skb)
		return;
	if (nsid_fill_locked(skb, id, &from, NULL)) {
		nsctl_event_cancel(skb);
		return;
	}
	nsctl_event_send(skb);
}

size_t nsctl_nsid_msg_size(struct ns_common *ns)
{
	struct nsctl_nsid *id;
	size_t size;

	mutex_lock(&nsid_lock);
	id = nsid_lookup(ns);
	size = id ? nsid_msg_size(id) : NLMSG_GOODSIZE;
	mutex_unlock(&nsid_lock);
	return size;
}

int nsctl_nsid_fill(struct sk_buff *skb, struct ns_common *ns,
		    const struct nsctl_viewer *v)
{
	unsigned int from = 0;
	struct nsctl_nsid *id;
	int ret;

	mutex_lock(&nsid_lock);
	id = nsid_track(ns, true);
	ret = IS_ERR(id) ? PTR_ERR(id) : nsid_fill_locked(skb, id, &from, v);
	mutex_unlock(&nsid_lock);
	return ret;
}

/*
 * Dump in tracking order, resuming after the last serial sent; whether the
 * reader may see an entry is decided as for the "namespaces" file.  An
 * entry whose holders do not fit in a part of its own goes on in the next
 * part, the namespace's identity repeated: cb->args[2] is the first holder
 * still to send of the entry at serial cb->args[0].
 */
int nsctl_nsid_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned int from, first, start;
	struct nsctl_nsid *id;
	u32 next = cb->args[0];
	int ret = 0;
	void *hdr;

	mutex_lock(&nsid_lock);
	cb->seq = nsid_changes;
	list_for_each_entry(id, &nsid_list, node) {
		if (cb->args[1] && (s32)(id->serial - next) < 0)
			continue;
		if (!nsid_ready(id) || !nsctl_viewer_sees(nsctl_dump_viewer(cb), id->ns))
			continue;
		first = cb->args[1] && id->serial == next ? cb->args[2] : 0;
		from = first;
		start = skb->len;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &nsctl_genl_family,
				  NLM_F_MULTI, NSCTL_CMD_GET_NS);
		if (!hdr) {
			ret = -EMSGSIZE;
			break;
		}
		genl_dump_check_consistent(cb, hdr);
		if (nsid_fill_locked(skb, id, &from, nsctl_dump_viewer(cb))) {
			/*
			 * Alone in the part and some holders in: send what
			 * fits, the rest follows.  Else the entry starts
			 * the next part.
			 */
			if (!start && from > first) {
				genlmsg_end(skb, hdr);
				cb->args[0] = id->serial;
				cb->args[1] = 1;
				cb->args[2] = from;
			} else {
				genlmsg_cancel(skb, hdr);
			}
			ret = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = id->serial + 1;
		cb->args[1] = 1;
		cb->args[2] = 0;
	}
	mutex_unlock(&nsid_lock);
	if (ret && !skb->len)
		return ret;
	return skb->len;
}

int nsctl_nsid_info(struct ns_common *ns, struct nsctl_ns_info *info,
		    u64 *cids, u32 max_cids, const struct nsctl_viewer *v)
{
	struct nsctl_holder *h;
	struct nsctl_nsid *id;
	u32 n = 0;

	mutex_lock(&nsid_lock);
	id = nsid_track(ns, true);
	if (IS_ERR(id)) {
		mutex_unlock(&nsid_lock);
		return PTR_ERR(id);
	}
	info->type = id->type;
	info->inum = id->inum;
	memcpy(info->uuid, &id->uuid, sizeof(info->uuid));
	if (id->owner)
		memcpy(info->owner_uuid, &id->owner->uuid, sizeof(info->owner_uuid));
	if (id->parent)
		memcpy(info->parent_uuid, &id->parent->uuid, sizeof(info->parent_uuid));
	list_for_each_entry(h, &id->holders, node) {
		if (!nsid_holder_seen(v, h))
			continue;
		if (n < max_cids)
			cids[n] = h->cid;
		n++;
	}
	info->containers_count = n;
	mutex_unlock(&nsid_lock);
	return 0;
}

/* The top-level "namespaces" file: one line per visible namespace. */

static void *nsid_seq_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&nsid_lock);
	return seq_list_start(&nsid_list, *pos);
}

static void *nsid_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	return seq_list_next(v, &nsid_list, pos);
}

static void nsid_seq_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&nsid_lock);
}

static int nsid_seq_show(struct seq_file *m, void *v)
{
	struct nsctl_nsid *id = list_entry(v, struct nsctl_nsid, node);
	struct nsctl_holder *h;
	bool first = true;

	if (!nsid_ready(id) || !nsctl_viewer_sees(m->private, id->ns))
		return 0;
	seq_printf(m, "%pUb %s %u ", &id->uuid, nsctl_ns_name(id->type), id->inum);
	if (id->owner)
		seq_printf(m, "%pUb ", &id->owner->uuid);
	else
		seq_puts(m, "- ");
	if (id->parent)
		seq_printf(m, "%pUb ", &id->parent->uuid);
	else
		seq_puts(m, "- ");
	list_for_each_entry(h, &id->holders, node) {
		if (!nsid_holder_seen(m->private, h))
			continue;
		seq_printf(m, "%s%llu", first ? "" : ",", h->cid);
		first = false;
	}
	seq_puts(m, first ? "-\n" : "\n");
	return 0;
}

static const struct seq_operations nsid_seq_ops = {
	.start	= nsid_seq_start,
	.next	= nsid_seq_next,
	.stop	= nsid_seq_stop,
	.show	= nsid_seq_show,
};

/* Listed for whoever opened the file, as they were then. */
static int nsid_list_open(struct inode *inode, struct file *file)
{
	struct nsctl_viewer *v;

	v = __seq_open_private(file, &nsid_seq_ops, sizeof(*v));
	if (!v)
		return -ENOMEM;
	nsctl_viewer_init(v);
	return 0;
}

static int nsid_list_release(struct inode *inode, struct file *file)
{
	nsctl_viewer_release(((struct seq_file *)file->private_data)->private);
	return seq_release_private(inode, file);
}

const struct file_operations nsctl_nsid_list_fops = {
	.owner		= THIS_MODULE,
	.open		= nsid_list_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= nsid_list_release,
};

