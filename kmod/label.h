/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSCTL_LABEL_H
#define _NSCTL_LABEL_H

#include <linux/types.h>

struct netlink_ext_ack;
struct nlattr;
struct seq_file;
struct sk_buff;

/*
 * A container's labels: "key=value\n" lines in key order, @len bytes
 * (NUL-terminated besides), @count lines.  Never changed once made: an
 * edit makes a new set.  No set at all means no labels.
 */
/*
 * Labels whose message part is larger than this may not fit the part a
 * dump starts with (NLMSG_GOODSIZE with the rest of a container message).
 */
#define NSCTL_LABELS_BIG	1024

struct nsctl_labels {
	unsigned int count;
	unsigned int len;
	char text[];
};

/*
 * Apply @edits (@len bytes of lines: "key=value" sets, "-key" removes) to
 * *@labels, all or nothing.  1 when they changed (*@labels replaced, the
 * old set freed), 0 when not, -EINVAL for a malformed line (*@why says
 * what), -E2BIG beyond the limits, -ENOMEM.  With @only_set, "-key" is
 * malformed.
 */
int nsctl_labels_edit(struct nsctl_labels **labels, const char *edits,
		      size_t len, bool only_set, const char **why);
void nsctl_labels_free(struct nsctl_labels *labels);

/*
 * A selector: lines "key=value" (that label, that value) or "key" (that
 * label), in a set made by nsctl_labels_selector().  Does @labels (maybe
 * NULL) match every line of @sel?
 */
int nsctl_labels_selector(struct nsctl_labels **sel, const char *lines,
			  size_t len, const char **why);
bool nsctl_labels_match(const struct nsctl_labels *labels,
			const struct nsctl_labels *sel);

/* The lines of an NSCTL_A_CT_LABELS nest, '\n'-joined, in a new buffer. */
char *nsctl_labels_from_nest(const struct nlattr *nest, size_t *len,
			     struct netlink_ext_ack *extack);
int nsctl_labels_put(struct sk_buff *skb, const struct nsctl_labels *labels);
size_t nsctl_labels_msg_size(const struct nsctl_labels *labels);
u32 nsctl_labels_hash(const struct nsctl_labels *labels);
void nsctl_labels_show(struct seq_file *m, const struct nsctl_labels *labels);

#endif /* _NSCTL_LABEL_H */
