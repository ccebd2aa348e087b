// SPDX-License-Identifier: GPL-2.0
/*
 * The container's policy files and its external view of the namespaces
 * it holds: the UTS namespace's names and the IPC namespace's System V
 * limits, read (and for IPC, set) from outside without entering.  See the
 * uapi header for what each file holds and why host names are only read.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ipc_namespace.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/utsname.h>

#include "container.h"
#include "view.h"

/*
 * The bound of shmmni, msgmni and semmni is the kernel's ipc_mni, not
 * exported: IPCMNI (32768), or IPCMNI_EXTEND (1 << 24) when the kernel
 * was booted with ipcmni_extend (ipc/util.h).  Learnt from the command
 * line at load.
 */
#define NSCTL_IPCMNI		32768
#define NSCTL_IPCMNI_EXTEND	BIT(24)
static u64 nsctl_ipcmni = NSCTL_IPCMNI;

/* Is @word an early parameter of the command line @cmdline? */
static bool nsctl_cmdline_has(char *cmdline, const char *word)
{
	char *param, *val;
	size_t i;

	/* Split as the kernel splits it (quotes included), ... */
	cmdline = skip_spaces(cmdline);
	while (*cmdline) {
		cmdline = next_arg(cmdline, &param, &val);
		/* ... early parameters ending where init's arguments begin. */
		if (!val && !strcmp(param, "--"))
			break;
		/* And compared as parameq() does: '-' and '_' alike. */
		for (i = 0; param[i] && word[i]; i++)
			if ((param[i] == '-' ? '_' : param[i]) != word[i])
				break;
		if (!param[i] && !word[i])
			return true;
	}
	return false;
}

void nsctl_view_init(void)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n;
	char *buf;

	buf = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		goto fallback;
	f = filp_open("/proc/cmdline", O_RDONLY, 0);
	if (IS_ERR(f)) {
		kfree(buf);
		goto fallback;
	}
	n = kernel_read(f, buf, PAGE_SIZE - 1, &pos);
	fput(f);
	if (n > 0 && nsctl_cmdline_has(buf, "ipcmni_extend"))
		nsctl_ipcmni = NSCTL_IPCMNI_EXTEND;
	kfree(buf);
	if (n >= 0)
		return;
fallback:
	pr_warn("cannot read /proc/cmdline: IPC limits bounded by %u\n", NSCTL_IPCMNI);
}

static const char * const on_empty_names[] = {
	[NSCTL_ON_EMPTY_IGNORE] = "ignore",
	[NSCTL_ON_EMPTY_NOTIFY] = "notify",
	[NSCTL_ON_EMPTY_DELETE] = "delete",
};

static const char * const enter_names[] = {
	[NSCTL_ENTER_POLICY_ALLOW] = "allow",
	[NSCTL_ENTER_POLICY_DENY] = "deny",
};

int nsctl_show_on_empty(struct seq_file *m, struct nsctl_container *c)
{
	seq_printf(m, "%s\n", on_empty_names[c->on_empty]);
	return 0;
}

int nsctl_show_enter(struct seq_file *m, struct nsctl_container *c)
{
	seq_printf(m, "%s\n", enter_names[c->enter_policy]);
	return 0;
}

int nsctl_write_on_empty(struct nsctl_container *c, char *buf)
{
	int v = sysfs_match_string(on_empty_names, buf);

	if (v < 0)
		return -EINVAL;
	nsctl_container_set_policy(c, &c->on_empty, v);
	return 0;
}

int nsctl_write_enter(struct nsctl_container *c, char *buf)
{
	int v = sysfs_match_string(enter_names, buf);

	if (v < 0)
		return -EINVAL;
	nsctl_container_set_policy(c, &c->enter_policy, v);
	return 0;
}

/*
 * A consistent copy of a name that sethostname(2) may be rewriting under
 * uts_sem, which nsctl cannot take: copy until two copies agree.  A name
 * rewritten faster than it can be copied twice is not guessed at: EAGAIN.
 */
static int nsctl_copy_name(char *dst, const char *src)
{
	char again[__NEW_UTS_LEN + 1];
	int tries = 16;

	memcpy(dst, src, sizeof(again));
	do {
		barrier();
		memcpy(again, src, sizeof(again));
		if (!memcmp(dst, again, sizeof(again))) {
			dst[__NEW_UTS_LEN] = '\0';
			return 0;
		}
		memcpy(dst, again, sizeof(again));
		cpu_relax();
	} while (--tries);
	return -EAGAIN;
}

static int nsctl_show_uts(struct seq_file *m, struct nsctl_container *c,
			  bool domain)
{
	struct uts_namespace *uts;
	char name[__NEW_UTS_LEN + 1];
	int ret;

	if (!c->ns[NSCTL_NS_UTS])
		return -ENOENT;
	uts = container_of(c->ns[NSCTL_NS_UTS], struct uts_namespace, ns);
	ret = nsctl_copy_name(name, domain ? uts->name.domainname : uts->name.nodename);
	if (ret)
		return ret;
	seq_printf(m, "%s\n", name);
	return 0;
}

int nsctl_show_hostname(struct seq_file *m, struct nsctl_container *c)
{
	return nsctl_show_uts(m, c, false);
}

int nsctl_show_domainname(struct seq_file *m, struct nsctl_container *c)
{
	return nsctl_show_uts(m, c, true);
}

/* The limits, in the order the file lists them. */
enum {
	IPC_SHMMAX, IPC_SHMALL, IPC_SHMMNI, IPC_MSGMAX, IPC_MSGMNB, IPC_MSGMNI,
	IPC_SEMMSL, IPC_SEMMNS, IPC_SEMOPM, IPC_SEMMNI, IPC_COUNT
};

static void nsctl_ipc_read(struct ipc_namespace *ns, u64 *v)
{
	int i;

	v[IPC_SHMMAX] = READ_ONCE(ns->shm_ctlmax);
	v[IPC_SHMALL] = READ_ONCE(ns->shm_ctlall);
	v[IPC_SHMMNI] = READ_ONCE(ns->shm_ctlmni);
	v[IPC_MSGMAX] = READ_ONCE(ns->msg_ctlmax);
	v[IPC_MSGMNB] = READ_ONCE(ns->msg_ctlmnb);
	v[IPC_MSGMNI] = READ_ONCE(ns->msg_ctlmni);
	for (i = 0; i < 4; i++)
		v[IPC_SEMMSL + i] = READ_ONCE(ns->sem_ctls[i]);
}

static struct ipc_namespace *nsctl_ipc_ns(struct nsctl_container *c)
{
	if (!c->ns[NSCTL_NS_IPC])
		return NULL;
	return container_of(c->ns[NSCTL_NS_IPC], struct ipc_namespace, ns);
}

int nsctl_show_ipc(struct seq_file *m, struct nsctl_container *c)
{
	struct ipc_namespace *ns = nsctl_ipc_ns(c);
	u64 v[IPC_COUNT];

	if (!ns)
		return -ENOENT;
	nsctl_ipc_read(ns, v);
	seq_printf(m, "shmmax %llu\nshmall %llu\nshmmni %llu\n",
		   v[IPC_SHMMAX], v[IPC_SHMALL], v[IPC_SHMMNI]);
	seq_printf(m, "msgmax %llu\nmsgmnb %llu\nmsgmni %llu\n",
		   v[IPC_MSGMAX], v[IPC_MSGMNB], v[IPC_MSGMNI]);
	seq_printf(m, "sem %llu %llu %llu %llu\n", v[IPC_SEMMSL], v[IPC_SEMMNS],
		   v[IPC_SEMOPM], v[IPC_SEMMNI]);
	return 0;
}

/* @max 0: the kernel's ipc_mni. */
static const struct {
	const char *key;
	unsigned int first, count;
	u64 max;
} ipc_keys[] = {
	{ "shmmax", IPC_SHMMAX, 1, U64_MAX },
	{ "shmall", IPC_SHMALL, 1, U64_MAX },
	{ "shmmni", IPC_SHMMNI, 1, 0 },
	{ "msgmax", IPC_MSGMAX, 1, INT_MAX },
	{ "msgmnb", IPC_MSGMNB, 1, INT_MAX },
	{ "msgmni", IPC_MSGMNI, 1, 0 },
	{ "sem", IPC_SEMMSL, 4, INT_MAX },
};

/* One "key value..." line into @v, marking what it sets in @set. */
static int nsctl_ipc_parse_line(char *line, u64 *v, unsigned long *set)
{
	char *key = strsep(&line, " \t");
	unsigned int i, j;
	char *tok;

	for (i = 0; i < ARRAY_SIZE(ipc_keys); i++)
		if (!strcmp(key, ipc_keys[i].key))
			break;
	if (i == ARRAY_SIZE(ipc_keys) || !line)
		return -EINVAL;
	for (j = 0; j < ipc_keys[i].count; j++) {
		do {
			tok = strsep(&line, " \t");
		} while (tok && !*tok);
		if (!tok || kstrtou64(tok, 10, &v[ipc_keys[i].first + j]) ||
		    v[ipc_keys[i].first + j] > (ipc_keys[i].max ?: nsctl_ipcmni))
			return -EINVAL;
		__set_bit(ipc_keys[i].first + j, set);
	}
	/* Nothing may follow the values. */
	while (line && (tok = strsep(&line, " \t")))
		if (*tok)
			return -EINVAL;
	if (ipc_keys[i].first == IPC_SEMMSL && v[IPC_SEMMNI] > nsctl_ipcmni)
		return -EINVAL;
	return 0;
}

int nsctl_write_ipc(struct nsctl_container *c, char *buf)
{
	DECLARE_BITMAP(set, IPC_COUNT) = { 0 };
	struct ipc_namespace *ns;
	u64 v[IPC_COUNT];
	char *line;
	int ret, i;

	mutex_lock(&c->lock);
	ret = c->dead ? -ENODEV : -ENOENT;
	ns = c->dead ? NULL : nsctl_ipc_ns(c);
	if (!ns) {
		mutex_unlock(&c->lock);
		return ret;
	}
	/* Check every line before anything is applied. */
	while ((line = strsep(&buf, "\n"))) {
		if (!*line)
			continue;
		ret = nsctl_ipc_parse_line(line, v, set);
		if (ret) {
			mutex_unlock(&c->lock);
			return ret;
		}
	}
	if (bitmap_empty(set, IPC_COUNT)) {
		mutex_unlock(&c->lock);
		return -EINVAL;
	}
	/* Plain stores, as the kernel's own sysctl handlers make. */
	if (test_bit(IPC_SHMMAX, set))
		WRITE_ONCE(ns->shm_ctlmax, v[IPC_SHMMAX]);
	if (test_bit(IPC_SHMALL, set))
		WRITE_ONCE(ns->shm_ctlall, v[IPC_SHMALL]);
	if (test_bit(IPC_SHMMNI, set))
		WRITE_ONCE(ns->shm_ctlmni, v[IPC_SHMMNI]);
	if (test_bit(IPC_MSGMAX, set))
		WRITE_ONCE(ns->msg_ctlmax, v[IPC_MSGMAX]);
	if (test_bit(IPC_MSGMNB, set))
		WRITE_ONCE(ns->msg_ctlmnb, v[IPC_MSGMNB]);
	if (test_bit(IPC_MSGMNI, set))
		WRITE_ONCE(ns->msg_ctlmni, v[IPC_MSGMNI]);
	for (i = 0; i < 4; i++)
		if (test_bit(IPC_SEMMSL + i, set))
			WRITE_ONCE(ns->sem_ctls[i], v[IPC_SEMMSL + i]);
	mutex_unlock(&c->lock);
	return 0;
}
