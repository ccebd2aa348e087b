// SPDX-License-Identifier: GPL-2.0
/*
 * The directories of the nsctl filesystem, and who sees what in them.
 *
 * The root lists the containers its opener sees, as the netlink dump
 * does (viewer.h): opened with the full view, all of them; otherwise
 * those whose every namespace the opener is in.  A container's name,
 * looked up by one who does not see the container, is not found
 * (d_revalidate), and its directory refuses such a caller lookups and
 * opens (EACCES) from anywhere; the files and the directory descriptor a
 * viewer opened keep working when passed on.  Left visible: the root's
 * link count (one per container), and inotify events on the root, which
 * name what is made and removed there.  Both directories take the ioctls
 * of the uapi header.
 *
 * The root's positions: 0 and 1 are "." and "..", 2 is "namespaces", and
 * 3 + id resumes after the container with that id.  Ids only grow, so a
 * position stays true while containers come and go.
 */
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/slab.h>

#include "compat.h"
#include "container.h"
#include "dir.h"
#include "ioctl.h"
#include "viewer.h"

#define NSCTL_POS_NAMESPACES	2
#define NSCTL_POS_CONTAINERS	3
/* What simple_fill_super() numbers the root's "namespaces" file. */
#define NSCTL_INO_NAMESPACES	2

/* Names are copied out of the locks in batches of this many. */
#define NSCTL_READDIR_BATCH	32

struct nsctl_dirent {
	u64 id;
	ino_t ino;
	char name[NSCTL_NAME_MAX + 1];
};

struct nsctl_readdir {
	const struct nsctl_viewer *v;
	struct nsctl_dirent *ents;
	unsigned int n;
};

/* Under the registry's and @c's locks, and the root's (shared). */
static int nsctl_readdir_one(struct nsctl_container *c, void *arg)
{
	struct nsctl_readdir *r = arg;
	struct nsctl_dirent *e;

	if (!c->dentry || !nsctl_viewer_sees_slots(r->v, c->ns))
		return 0;
	if (r->n == NSCTL_READDIR_BATCH)
		return -ENOSPC;
	e = &r->ents[r->n++];
	e->id = c->id;
	e->ino = d_inode(c->dentry)->i_ino;
	strscpy(e->name, c->name, sizeof(e->name));
	return 0;
}

static int nsctl_root_iterate(struct file *file, struct dir_context *ctx)
{
	struct nsctl_readdir r = { .v = file->private_data };
	unsigned int i;
	u64 pos;
	int ret;

	if (!dir_emit_dots(file, ctx))
		return 0;
	if (ctx->pos == NSCTL_POS_NAMESPACES) {
		if (!dir_emit(ctx, "namespaces", 10, NSCTL_INO_NAMESPACES, DT_REG))
			return 0;
		ctx->pos = NSCTL_POS_CONTAINERS;
	}
	r.ents = kmalloc_array(NSCTL_READDIR_BATCH, sizeof(*r.ents), GFP_KERNEL);
	if (!r.ents)
		return -ENOMEM;
	/*
	 * dir_emit() copies to user memory, which may fault and wait on
	 * anything: it runs with no lock of nsctl's held.
	 */
	do {
		pos = ctx->pos - NSCTL_POS_CONTAINERS;
		r.n = 0;
		ret = nsctl_container_for_each(&pos, nsctl_readdir_one, &r);
		for (i = 0; i < r.n; i++) {
			if (!dir_emit(ctx, r.ents[i].name, strlen(r.ents[i].name),
				      r.ents[i].ino, DT_DIR))
				goto out;
			ctx->pos = NSCTL_POS_CONTAINERS + r.ents[i].id;
		}
		/* Containers passed over unseen count as read too. */
		ctx->pos = NSCTL_POS_CONTAINERS + pos;
	} while (ret == -ENOSPC);
out:
	kfree(r.ents);
	return 0;
}

/* A position is a resume point (see above): set or moved, never past 0. */
static loff_t nsctl_root_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t pos;

	switch (whence) {
	case SEEK_SET:
		pos = offset;
		break;
	case SEEK_CUR:
		pos = file->f_pos + offset;
		break;
	default:
		return -EINVAL;
	}
	if (pos < 0)
		return -EINVAL;
	/* Under the file's position lock (FMODE_ATOMIC_POS, a directory). */
	file->f_pos = pos;
	return pos;
}

/* The root remembers who opened it: its listing and ioctls are theirs. */
static int nsctl_root_open(struct inode *inode, struct file *file)
{
	struct nsctl_viewer *v = nsctl_viewer_new();

	if (!v)
		return -ENOMEM;
	file->private_data = v;
	return 0;
}

static int nsctl_root_release(struct inode *inode, struct file *file)
{
	nsctl_viewer_free(file->private_data);
	return 0;
}

static long nsctl_root_dir_ioctl(struct file *file, unsigned int cmd,
				 unsigned long arg)
{
	return nsctl_root_ioctl(file, file->private_data, cmd, arg);
}

const struct file_operations nsctl_root_fops = {
	.owner		= THIS_MODULE,
	.open		= nsctl_root_open,
	.release	= nsctl_root_release,
	.llseek		= nsctl_root_llseek,
	.read		= generic_read_dir,
	.iterate_shared	= nsctl_root_iterate,
	.fsync		= noop_fsync,
	.unlocked_ioctl	= nsctl_root_dir_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

const struct file_operations nsctl_ct_dir_fops = {
	.owner		= THIS_MODULE,
	.open		= dcache_dir_open,
	.release	= dcache_dir_close,
	.llseek		= dcache_dir_lseek,
	.read		= generic_read_dir,
	.iterate_shared	= dcache_readdir,
	.fsync		= noop_fsync,
	.unlocked_ioctl	= nsctl_container_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

/*
 * Every lookup in a container's directory and every open of it asks
 * here: the container must be one the caller sees.  Without the full
 * view that takes references and a mutex, so not in RCU walk.
 */
static int nsctl_ct_permission(COMPAT_IDMAP_ARG idmap, struct inode *inode,
			       int mask)
{
	if (!nsctl_viewer_full_now()) {
		if (mask & MAY_NOT_BLOCK)
			return -ECHILD;
		if (!nsctl_sees_now(inode->i_private))
			return -EACCES;
	}
	return generic_permission(idmap, inode, mask);
}

/*
 * A container's name, looked up by one who does not see the container,
 * is not there (ENOENT), as in the listing: an error, not 0, so that the
 * VFS keeps the dentry (0 would unhash the container's directory).
 */
static int nsctl_d_revalidate(struct dentry *dentry, unsigned int flags)
{
	struct inode *inode = d_inode_rcu(dentry);

	if (!inode || !S_ISDIR(inode->i_mode) || !inode->i_private ||
	    nsctl_viewer_full_now())
		return 1;
	if (flags & LOOKUP_RCU)
		return -ECHILD;
	return nsctl_sees_now(inode->i_private) ? 1 : -ENOENT;
}

const struct dentry_operations nsctl_dentry_ops = {
	.d_revalidate	= nsctl_d_revalidate,
	.d_delete	= always_delete_dentry,
};

const struct inode_operations nsctl_ct_dir_iops = {
	.lookup		= simple_lookup,
	.permission	= nsctl_ct_permission,
};
