// SPDX-License-Identifier: GPL-2.0
/*
 * nsctl: labels, key=value metadata of a container.
 *
 * A container's labels are one immutable block of sorted "key=value\n"
 * lines: the file shows it as it is, messages copy it line by line, a
 * dump's selector compares against it, and an edit builds a new block
 * from the old one and the edit lines.  The container's lock protects
 * the pointer; nothing here takes a lock.
 */
#include <linux/ctype.h>
#include <linux/jhash.h>
#include <linux/nsctl.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>

#include "label.h"

struct nsctl_label {
	const char *key;
	const char *val;	/* NULL: a bare key (selectors, removals) */
	u16 klen, vlen;
};

static bool nsctl_label_key_char(unsigned char ch)
{
	return isalnum(ch) || ch == '.' || ch == '_' || ch == '/' || ch == '-';
}

static bool nsctl_label_val_char(unsigned char ch)
{
	return ch >= 0x20 && ch != 0x7f;
}

/* One line, without its newline: "key=value", or with @bare "key". */
static int nsctl_label_parse(const char *s, size_t n, bool bare,
			     struct nsctl_label *l, const char **why)
{
	const char *eq = memchr(s, '=', n);
	size_t klen = eq ? eq - s : n, i;

	if (!eq && !bare) {
		*why = "a label is key=value";
		return -EINVAL;
	}
	if (klen == 0 || klen > NSCTL_LABEL_KEY_MAX) {
		*why = "a label key has 1 to NSCTL_LABEL_KEY_MAX characters";
		return -EINVAL;
	}
	if (!isalnum((unsigned char)s[0]) || (s[0] & 0x80)) {
		*why = "a label key starts with a letter or a digit";
		return -EINVAL;
	}
	for (i = 1; i < klen; i++) {
		if (!nsctl_label_key_char(s[i]) || (s[i] & 0x80)) {
			*why = "a label key is made of [A-Za-z0-9._/-]";
			return -EINVAL;
		}
	}
	l->key = s;
	l->klen = klen;
	l->val = NULL;
	l->vlen = 0;
	if (!eq)
		return 0;
	if (n - klen - 1 > NSCTL_LABEL_VALUE_MAX) {
		*why = "a label value is longer than NSCTL_LABEL_VALUE_MAX";
		return -EINVAL;
	}
	for (i = klen + 1; i < n; i++) {
		if (!nsctl_label_val_char(s[i])) {
			*why = "a label value has a control character";
			return -EINVAL;
		}
	}
	l->val = eq + 1;
	l->vlen = n - klen - 1;
	return 0;
}

static int nsctl_label_cmp(const struct nsctl_label *a, const char *key,
			   size_t klen)
{
	int d = memcmp(a->key, key, min_t(size_t, a->klen, klen));

	if (d)
		return d;
	return a->klen < klen ? -1 : a->klen > klen;
}

/*
 * Where @key is in the sorted @ents (its index, *@found set), or where it
 * would go.
 */
static unsigned int nsctl_label_find(const struct nsctl_label *ents,
				     unsigned int n, const char *key,
				     size_t klen, bool *found)
{
	unsigned int i;
	int d;

	for (i = 0; i < n; i++) {
		d = nsctl_label_cmp(&ents[i], key, klen);
		if (d >= 0) {
			*found = d == 0;
			return i;
		}
	}
	*found = false;
	return n;
}

/* Split a block into entries; it was checked when it was made. */
static unsigned int nsctl_labels_split(const struct nsctl_labels *labels,
				       struct nsctl_label *ents)
{
	const char *s, *end, *nl;
	const char *why;
	unsigned int n = 0;

	if (!labels)
		return 0;
	s = labels->text;
	end = s + labels->len;
	while (s < end && n < labels->count) {
		nl = memchr(s, '\n', end - s);
		if (WARN_ON_ONCE(!nl ||
				 nsctl_label_parse(s, nl - s, true, &ents[n], &why)))
			break;
		n++;
		s = nl + 1;
	}
	return n;
}

static struct nsctl_labels *nsctl_labels_join(const struct nsctl_label *ents,
					      unsigned int n, size_t size)
{
	struct nsctl_labels *l;
	unsigned int i;
	char *p;

	l = kmalloc(struct_size(l, text, size + 1), GFP_KERNEL_ACCOUNT);
	if (!l)
		return NULL;
	l->count = n;
	l->len = size;
	p = l->text;
	for (i = 0; i < n; i++) {
		memcpy(p, ents[i].key, ents[i].klen);
		p += ents[i].klen;
		if (ents[i].val) {
			*p++ = '=';
			memcpy(p, ents[i].val, ents[i].vlen);
			p += ents[i].vlen;
		}
		*p++ = '\n';
	}
	*p = '\0';
	return l;
}

/*
 * Parse @lines into @ents, which holds *@n entries, sorted: edits with
 * @edit (a later line about the same key wins), else selector lines.
 */
static int nsctl_labels_apply(struct nsctl_label *ents, unsigned int *n,
			      const char *lines, size_t len, bool edit,
			      bool only_set, const char **why)
{
	const char *s = lines, *end = lines + len, *nl;
	struct nsctl_label l;
	unsigned int at;
	bool found, del;
	size_t ll;
	int ret;

	for (; s < end; s = nl + 1) {
		nl = memchr(s, '\n', end - s);
		if (!nl)
			nl = end;
		ll = nl - s;
		if (ll == 0)
			continue;
		del = edit && s[0] == '-';
		if (del && only_set) {
			*why = "only labels to set (key=value) are taken here";
			return -EINVAL;
		}
		ret = nsctl_label_parse(s + del, ll - del, del || !edit, &l, why);
		if (ret)
			return ret;
		if (del && l.val) {
			*why = "a label is removed by \"-key\", without a value";
			return -EINVAL;
		}
		at = nsctl_label_find(ents, *n, l.key, l.klen, &found);
		if (del) {
			if (found) {
				memmove(&ents[at], &ents[at + 1],
					(*n - at - 1) * sizeof(*ents));
				(*n)--;
			}
			continue;
		}
		if (!found) {
			if (*n == NSCTL_LABELS_MAX) {
				*why = "more than NSCTL_LABELS_MAX labels";
				return -E2BIG;
			}
			memmove(&ents[at + 1], &ents[at],
				(*n - at) * sizeof(*ents));
			(*n)++;
		}
		ents[at] = l;
	}
	return 0;
}

static size_t nsctl_labels_size(const struct nsctl_label *ents, unsigned int n)
{
	size_t size = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		size += ents[i].klen + (ents[i].val ? 1 + ents[i].vlen : 0) + 1;
	return size;
}

int nsctl_labels_edit(struct nsctl_labels **labels, const char *edits,
		      size_t len, bool only_set, const char **why)
{
	struct nsctl_labels *old = *labels, *l;
	struct nsctl_label *ents;
	unsigned int n;
	size_t size;
	int ret;

	ents = kmalloc_array(NSCTL_LABELS_MAX, sizeof(*ents), GFP_KERNEL);
	if (!ents)
		return -ENOMEM;
	n = nsctl_labels_split(old, ents);
	ret = nsctl_labels_apply(ents, &n, edits, len, true, only_set, why);
	if (ret)
		goto out;
	size = nsctl_labels_size(ents, n);
	if (size > NSCTL_LABELS_SIZE) {
		*why = "labels longer than NSCTL_LABELS_SIZE bytes in all";
		ret = -E2BIG;
		goto out;
	}
	if (!n) {
		if (!old)
			goto out;
		l = NULL;
	} else {
		l = nsctl_labels_join(ents, n, size);
		if (!l) {
			ret = -ENOMEM;
			goto out;
		}
		if (old && old->len == l->len && !memcmp(old->text, l->text, l->len)) {
			kfree(l);
			goto out;
		}
	}
	*labels = l;
	kfree(old);
	ret = 1;
out:
	kfree(ents);
	return ret;
}

void nsctl_labels_free(struct nsctl_labels *labels)
{
	kfree(labels);
}

int nsctl_labels_selector(struct nsctl_labels **sel, const char *lines,
			  size_t len, const char **why)
{
	struct nsctl_label *ents;
	unsigned int n = 0;
	int ret;

	*sel = NULL;
	ents = kmalloc_array(NSCTL_LABELS_MAX, sizeof(*ents), GFP_KERNEL);
	if (!ents)
		return -ENOMEM;
	ret = nsctl_labels_apply(ents, &n, lines, len, false, false, why);
	if (!ret && n) {
		*sel = nsctl_labels_join(ents, n, nsctl_labels_size(ents, n));
		if (!*sel)
			ret = -ENOMEM;
	}
	kfree(ents);
	return ret;
}

/* Both are sorted by key: one walk. */
bool nsctl_labels_match(const struct nsctl_labels *labels,
			const struct nsctl_labels *sel)
{
	const char *s, *send, *t, *tend, *nl;
	size_t sl, tl, kl;
	const char *eq;
	int d;

	if (!sel)
		return true;
	if (!labels)
		return false;
	s = sel->text;
	send = s + sel->len;
	t = labels->text;
	tend = t + labels->len;
	for (; s < send; s = nl + 1) {
		nl = memchr(s, '\n', send - s);
		sl = nl - s;
		eq = memchr(s, '=', sl);
		kl = eq ? eq - s : sl;
		for (;;) {
			const char *tnl, *teq;

			if (t >= tend)
				return false;
			tnl = memchr(t, '\n', tend - t);
			tl = tnl - t;
			teq = memchr(t, '=', tl);
			d = memcmp(t, s, min_t(size_t, teq - t, kl));
			if (!d)
				d = (teq - t) < kl ? -1 : (teq - t) > kl;
			if (d > 0)
				return false;
			if (d < 0) {
				t = tnl + 1;
				continue;
			}
			/* The same key: a bare selector takes any value. */
			if (eq && (tl != sl || memcmp(t, s, sl)))
				return false;
			break;
		}
	}
	return true;
}

char *nsctl_labels_from_nest(const struct nlattr *nest, size_t *len,
			     struct netlink_ext_ack *extack)
{
	const struct nlattr *nla;
	size_t size = 0, n, i;
	char *buf, *p;
	int rem;

	nla_for_each_nested(nla, nest, rem) {
		if (nla_type(nla) != NSCTL_A_LABEL) {
			NL_SET_ERR_MSG_ATTR(extack, nla,
					    "a label nest holds NSCTL_A_LABEL only");
			return ERR_PTR(-EINVAL);
		}
		size += nla_len(nla) + 1;
	}
	buf = kmalloc(size + 1, GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	p = buf;
	nla_for_each_nested(nla, nest, rem) {
		n = strnlen(nla_data(nla), nla_len(nla));
		if (!n) {
			NL_SET_ERR_MSG_ATTR(extack, nla, "an empty label");
			goto bad;
		}
		if (n + 1 < (size_t)nla_len(nla)) {
			NL_SET_ERR_MSG_ATTR(extack, nla, "a NUL inside a label");
			goto bad;
		}
		for (i = 0; i < n; i++) {
			if (((const char *)nla_data(nla))[i] == '\n') {
				NL_SET_ERR_MSG_ATTR(extack, nla,
						    "a label value has a control character");
				goto bad;
			}
		}
		memcpy(p, nla_data(nla), n);
		p += n;
		*p++ = '\n';
	}
	*p = '\0';
	*len = p - buf;
	return buf;
bad:
	kfree(buf);
	return ERR_PTR(-EINVAL);
}

int nsctl_labels_put(struct sk_buff *skb, const struct nsctl_labels *labels)
{
	const char *s, *end, *nl;
	struct nlattr *nest, *nla;

	if (!labels)
		return 0;
	nest = nla_nest_start(skb, NSCTL_A_CT_LABELS);
	if (!nest)
		return -EMSGSIZE;
	s = labels->text;
	end = s + labels->len;
	for (; s < end; s = nl + 1) {
		nl = memchr(s, '\n', end - s);
		nla = nla_reserve(skb, NSCTL_A_LABEL, nl - s + 1);
		if (!nla) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
		memcpy(nla_data(nla), s, nl - s);
		((char *)nla_data(nla))[nl - s] = '\0';
	}
	nla_nest_end(skb, nest);
	return 0;
}

size_t nsctl_labels_msg_size(const struct nsctl_labels *labels)
{
	if (!labels)
		return 0;
	/* Each line's newline becomes a NUL; each attribute pads to 4. */
	return nla_total_size(0) + labels->len +
	       labels->count * nla_total_size(NLA_ALIGNTO);
}

u32 nsctl_labels_hash(const struct nsctl_labels *labels)
{
	return labels ? jhash(labels->text, labels->len, labels->count) : 0;
}

void nsctl_labels_show(struct seq_file *m, const struct nsctl_labels *labels)
{
	if (labels)
		seq_write(m, labels->text, labels->len);
}
