// SPDX-License-Identifier: GPL-2.0
/*
 * The nsctl pseudo-filesystem.
 *
 * Built on libfs, as securityfs and bpffs are: the kernfs creation
 * functions are not exported to modules.  There is one superblock per
 * kernel (get_tree_single), so every mount shows the same tree whatever
 * namespace the mounter is in.  While any container exists the module
 * keeps an internal mount of its own (simple_pin_fs), so containers outlive
 * every user mount, and the module cannot be unloaded under them.
 */
#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/fsnotify.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/nsproxy.h>
#include <linux/pagemap.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "compat.h"
#include "container.h"
#include "dir.h"
#include "fs.h"
#include "label.h"
#include "ns.h"
#include "nsid.h"
#include "pool.h"
#include "view.h"
#include "viewer.h"

static struct file_system_type nsctl_fs_type;
static struct vfsmount *nsctl_mnt;
static int nsctl_mnt_count;
/* Set once the filesystem is registered: no container is made before. */
static bool nsctl_fs_registered;

/* Files of a container's directory: see the uapi header. */

static int show_id(struct seq_file *m, struct nsctl_container *c)
{
	seq_printf(m, "%llu\n", c->id);
	return 0;
}

static int show_uuid(struct seq_file *m, struct nsctl_container *c)
{
	seq_printf(m, "%pUb\n", &c->uuid);
	return 0;
}

static int show_generation(struct seq_file *m, struct nsctl_container *c)
{
	seq_printf(m, "%llu\n", c->generation);
	return 0;
}

/* What an open file of a container is, and who opened it. */
struct nsctl_open {
	const struct nsctl_file *f;
	struct nsctl_viewer viewer;
};

/* A slot the opener may not see reads as "?": held, by what is not said. */
static int show_namespaces(struct seq_file *m, struct nsctl_container *c)
{
	const struct nsctl_open *o = m->private;
	int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (!c->ns[i]) {
			seq_printf(m, "%s -\n", nsctl_ns_name(i));
			continue;
		}
		if (!nsctl_viewer_sees(&o->viewer, c->ns[i])) {
			seq_printf(m, "%s ?\n", nsctl_ns_name(i));
			continue;
		}
		seq_printf(m, "%s %u %pUb\n", nsctl_ns_name(i), c->ns[i]->inum,
			   &c->ns_uuid[i]);
	}
	return 0;
}

static int show_cgroup(struct seq_file *m, struct nsctl_container *c)
{
	char *buf;
	int ret;

	if (!c->cgrp) {
		seq_puts(m, "-\n");
		return 0;
	}
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	/* As the opener's cgroup namespace sees it. */
	ret = cgroup_path_ns(c->cgrp, buf, PATH_MAX,
			     nsctl_viewer_cgns(&((struct nsctl_open *)m->private)->viewer));
	if (ret >= PATH_MAX)
		ret = -ENAMETOOLONG;
	if (ret >= 0) {
		seq_puts(m, buf);
		seq_putc(m, '\n');
		ret = 0;
	}
	kfree(buf);
	return ret;
}

static const char * const pid_init_names[] = {
	[NSCTL_PID_INIT_NONE] = "none",
	[NSCTL_PID_INIT_RUNNING] = "running",
	[NSCTL_PID_INIT_DEAD] = "dead",
};

static int count_task(struct task_struct *t, void *arg)
{
	(*(unsigned int *)arg)++;
	return 0;
}

struct procs_ctx {
	struct seq_file *m;
	struct pid_namespace *reader;
};

static int show_one_proc(struct task_struct *t, void *arg)
{
	struct procs_ctx *ctx = arg;
	pid_t nr = task_tgid_nr_ns(t, ctx->reader);

	/* 0: the reader's PID namespace cannot see this process. */
	if (nr)
		seq_printf(ctx->m, "%d\n", nr);
	return 0;
}

static int show_procs(struct seq_file *m, struct nsctl_container *c)
{
	const struct nsctl_open *o = m->private;
	/* Numbered in the opener's PID namespace, as it was at open. */
	struct procs_ctx ctx = {
		.m = m,
		.reader = container_of(o->viewer.ns[NSCTL_NS_PID],
				       struct pid_namespace, ns),
	};

	return nsctl_container_walk_tasks(c, show_one_proc, &ctx);
}

static int show_stat(struct seq_file *m, struct nsctl_container *c)
{
	struct ns_common *pidns;
	unsigned int tasks = 0;
	int ret;

	nsctl_container_watch(c);
	ret = nsctl_container_walk_tasks(c, count_task, &tasks);
	if (ret)
		return ret;
	seq_printf(m, "tasks %u\n", tasks);
	seq_printf(m, "enters %lld\n", atomic64_read(&c->enters));
	seq_printf(m, "created %lld\n", (long long)c->created);
	pidns = nsctl_container_get_ns(c, NSCTL_NS_PID);
	if (pidns) {
		seq_printf(m, "pid_init %s\n",
			   pid_init_names[nsctl_pid_init_state(pidns)]);
		nsctl_ns_put(pidns);
	} else {
		seq_puts(m, "pid_init -\n");
	}
	return 0;
}

static int show_labels(struct seq_file *m, struct nsctl_container *c)
{
	nsctl_labels_show(m, c->labels);
	return 0;
}

static int write_labels(struct nsctl_container *c, char *buf)
{
	const char *why;

	return nsctl_container_set_labels(c, buf, strlen(buf), false, &why);
}

/*
 * Most files are shown under the container's lock; those that walk the
 * process list take what they need themselves and run unlocked.  Files
 * with a write function are mode 0644 and written through a descriptor
 * opened with CAP_SYS_ADMIN only.
 */
static const struct nsctl_file {
	const char *name;
	int (*show)(struct seq_file *m, struct nsctl_container *c);
	bool unlocked;
	int (*write)(struct nsctl_container *c, char *buf);
} nsctl_files[NSCTL_FILE_COUNT] = {
	{ "id",		show_id },
	{ "uuid",	show_uuid },
	{ "generation",	show_generation },
	{ "namespaces",	show_namespaces },
	{ "cgroup",	show_cgroup },
	{ "procs",	show_procs,	true },
	{ "stat",	show_stat,	true },
	{ "on_empty",	nsctl_show_on_empty,	false,	nsctl_write_on_empty },
	{ "enter",	nsctl_show_enter,	false,	nsctl_write_enter },
	{ "hostname",	nsctl_show_hostname },
	{ "domainname",	nsctl_show_domainname },
	{ "ipc",	nsctl_show_ipc,		false,	nsctl_write_ipc },
	{ "labels",	show_labels,		false,	write_labels },
};

static int nsctl_file_show(struct seq_file *m, void *v)
{
	const struct nsctl_file *f = ((struct nsctl_open *)m->private)->f;
	struct nsctl_container *c = file_inode(m->file)->i_private;
	int ret;

	if (f->unlocked)
		return READ_ONCE(c->dead) ? -ENODEV : f->show(m, c);

	mutex_lock(&c->lock);
	ret = c->dead ? -ENODEV : f->show(m, c);
	mutex_unlock(&c->lock);
	return ret;
}

static int nsctl_file_open(struct inode *inode, struct file *file)
{
	const char *name = file->f_path.dentry->d_name.name;
	struct nsctl_open *o;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(nsctl_files); i++)
		if (!strcmp(nsctl_files[i].name, name))
			break;
	if (i == ARRAY_SIZE(nsctl_files))
		return -ENOENT;
	o = kmalloc(sizeof(*o), GFP_KERNEL);
	if (!o)
		return -ENOMEM;
	o->f = &nsctl_files[i];
	nsctl_viewer_init(&o->viewer);
	ret = single_open(file, nsctl_file_show, o);
	if (ret) {
		nsctl_viewer_release(&o->viewer);
		kfree(o);
	}
	return ret;
}

static int nsctl_file_release(struct inode *inode, struct file *file)
{
	struct nsctl_open *o = ((struct seq_file *)file->private_data)->private;

	nsctl_viewer_release(&o->viewer);
	kfree(o);
	return single_release(inode, file);
}

/* A whole value per write(2), as cgroup control files take them. */
static ssize_t nsctl_file_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct nsctl_open *o = ((struct seq_file *)file->private_data)->private;
	struct nsctl_container *c = file_inode(file)->i_private;
	const struct nsctl_file *f = o->f;
	char *buf;
	int ret;

	if (!f->write)
		return -EINVAL;
	/* Who opened the file decides, not who writes to it now. */
	if (!file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	/*
	 * The position is the seq_file's, moved by any read before: a write
	 * is a whole value wherever the file stands.
	 */
	if (count >= PAGE_SIZE)
		return -EINVAL;
	if (READ_ONCE(c->dead))
		return -ENODEV;
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	/* Text: a NUL would hide what follows it. */
	ret = strlen(buf) == count ? f->write(c, buf) : -EINVAL;
	kfree(buf);
	return ret ? ret : count;
}

static const struct file_operations nsctl_file_fops = {
	.owner		= THIS_MODULE,
	.open		= nsctl_file_open,
	.read		= seq_read,
	.write		= nsctl_file_write,
	.llseek		= seq_lseek,
	.release	= nsctl_file_release,
};

static struct inode *nsctl_new_inode(struct super_block *sb, umode_t mode,
				     struct nsctl_container *c)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	inode->i_ino = get_next_ino();
	inode->i_mode = mode;
	simple_inode_init_ts(inode);
	if (c) {
		nsctl_container_get(c);
		inode->i_private = c;
	}
	return inode;
}

/* Remove the files of @dir, whose inode the caller has locked. */
static void nsctl_depopulate(struct dentry *dir, struct nsctl_container *c)
{
	struct dentry *d;
	int i;

	for (i = 0; i < NSCTL_FILE_COUNT; i++) {
		d = c->files[i];
		if (!d)
			continue;
		c->files[i] = NULL;
		dget(d);
		simple_unlink(d_inode(dir), d);
		d_delete(d);
		dput(d);
	}
}

static int nsctl_populate(struct dentry *dir, struct nsctl_container *c)
{
	struct super_block *sb = dir->d_sb;
	struct inode *inode;
	struct dentry *d;
	size_t i;

	for (i = 0; i < NSCTL_FILE_COUNT; i++) {
		d = d_alloc_name(dir, nsctl_files[i].name);
		if (!d)
			goto err;
		inode = nsctl_new_inode(sb, S_IFREG |
					(nsctl_files[i].write ? 0644 : 0444), c);
		if (!inode) {
			dput(d);
			goto err;
		}
		inode->i_fop = &nsctl_file_fops;
		d_add(d, inode);
		c->files[i] = d;
	}
	return 0;
err:
	nsctl_depopulate(dir, c);
	return -ENOMEM;
}

/*
 * Make @c's directory at the negative @dentry in the root @dir, whose inode
 * the caller has locked; the caller holds a pin on the filesystem for it.
 */
static int nsctl_make_dir(struct inode *dir, struct dentry *dentry,
			  struct nsctl_container *c)
{
	struct inode *inode;
	int ret;

	inode = nsctl_new_inode(dir->i_sb, S_IFDIR | 0755, c);
	if (!inode)
		return -ENOMEM;
	inode->i_op = &nsctl_ct_dir_iops;
	inode->i_fop = &nsctl_ct_dir_fops;
	inc_nlink(inode);

	/* Lookups in the new directory wait until its files are in place. */
	inode_lock_nested(inode, I_MUTEX_CHILD);
	d_instantiate(dentry, inode);
	dget(dentry);
	inc_nlink(dir);
	ret = nsctl_populate(dentry, c);
	inode_unlock(inode);
	if (ret) {
		simple_rmdir(dir, dentry);
		d_drop(dentry);
		return ret;
	}
	c->dentry = dentry;
	inode_set_mtime_to_ts(dir, inode_set_ctime_current(dir));
	return 0;
}

static int nsctl_mkdir(COMPAT_IDMAP_ARG idmap, struct inode *dir,
		       struct dentry *dentry, umode_t mode)
{
	struct nsctl_container *c;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;

	/* The dentry's name is NUL-terminated and at most NAME_MAX long. */
	c = nsctl_container_create(dentry->d_name.name);
	if (IS_ERR(c))
		return PTR_ERR(c);

	ret = simple_pin_fs(&nsctl_fs_type, &nsctl_mnt, &nsctl_mnt_count);
	if (ret)
		goto err_delete;
	ret = nsctl_make_dir(dir, dentry, c);
	if (ret)
		goto err_release_fs;
	/* An empty container is complete: announce it at once. */
	nsctl_container_publish(c);
	return 0;

err_release_fs:
	simple_release_fs(&nsctl_mnt, &nsctl_mnt_count);
err_delete:
	nsctl_container_delete(c, NULL);
	return ret;
}

/*
 * Delete @c and take its directory out of the tree.  The VFS (rmdir) or
 * nsctl_fs_remove() holds the locks of the root and of the directory.
 */
static int nsctl_remove_locked(struct inode *dir, struct dentry *dentry,
			       struct nsctl_container *c, const u64 *expect_gen)
{
	int ret;

	ret = nsctl_container_delete(c, expect_gen);
	if (ret)
		return ret;

	nsctl_depopulate(dentry, c);
	ret = simple_rmdir(dir, dentry);
	WARN_ON_ONCE(ret);
	c->dentry = NULL;
	simple_release_fs(&nsctl_mnt, &nsctl_mnt_count);
	return 0;
}

static int nsctl_rmdir(struct inode *dir, struct dentry *dentry)
{
	struct nsctl_container *c = d_inode(dentry)->i_private;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;

	ret = nsctl_remove_locked(dir, dentry, c, NULL);
	/* The VFS still holds the dentry, whose inode holds @c. */
	if (!ret)
		nsctl_container_deleted(c);
	return ret;
}

/*
 * What mkdir does, for a container made elsewhere (netlink): the name is
 * already reserved in the registry, so only a file of the root
 * ("namespaces", "pools": nsctl_fs_reserved()) can be in the way.
 */
int nsctl_fs_add(struct nsctl_container *c)
{
	struct dentry *root, *dentry;
	struct inode *dir;
	int ret;

	/* Not before the filesystem is registered (module load). */
	if (!READ_ONCE(nsctl_fs_registered))
		return -EAGAIN;
	ret = simple_pin_fs(&nsctl_fs_type, &nsctl_mnt, &nsctl_mnt_count);
	if (ret)
		return ret;
	root = nsctl_mnt->mnt_root;
	dir = d_inode(root);

	inode_lock_nested(dir, I_MUTEX_PARENT);
	dentry = lookup_one_len(c->name, root, strlen(c->name));
	if (IS_ERR(dentry)) {
		ret = PTR_ERR(dentry);
		goto out_unlock;
	}
	if (d_really_is_positive(dentry))
		ret = -EEXIST;
	else
		ret = nsctl_make_dir(dir, dentry, c);
	if (!ret)
		fsnotify_mkdir(dir, dentry);
	dput(dentry);
out_unlock:
	inode_unlock(dir);
	if (ret)
		simple_release_fs(&nsctl_mnt, &nsctl_mnt_count);
	return ret;
}

bool nsctl_fs_reserved(const char *name)
{
	return !strcmp(name, "namespaces") || !strcmp(name, "pools");
}

int nsctl_fs_pin(void)
{
	int ret;

	if (!READ_ONCE(nsctl_fs_registered))
		return -EAGAIN;
	/* Not while the module is going: the mount would outlive its code. */
	if (!try_module_get(THIS_MODULE))
		return -ENODEV;
	ret = simple_pin_fs(&nsctl_fs_type, &nsctl_mnt, &nsctl_mnt_count);
	module_put(THIS_MODULE);
	return ret;
}

void nsctl_fs_unpin(void)
{
	simple_release_fs(&nsctl_mnt, &nsctl_mnt_count);
}

/* What rmdir does, for a delete asked elsewhere (netlink). */
int nsctl_fs_remove(struct nsctl_container *c, const u64 *expect_gen)
{
	struct dentry *dentry;
	struct inode *dir;
	int ret;

	/*
	 * A pin of our own: the container's goes with its directory, and
	 * no user mount may be there to keep the superblock meanwhile.
	 */
	ret = simple_pin_fs(&nsctl_fs_type, &nsctl_mnt, &nsctl_mnt_count);
	if (ret)
		return ret;
	dir = d_inode(nsctl_mnt->mnt_root);
	inode_lock_nested(dir, I_MUTEX_PARENT);
	dentry = c->dentry;
	if (!dentry) {
		ret = -ENOENT;
		goto out_unlock;
	}
	dget(dentry);
	inode_lock(d_inode(dentry));
	/* As rmdir: nothing mounted on it goes with it. */
	if (d_mountpoint(dentry))
		ret = -EBUSY;
	else
		ret = nsctl_remove_locked(dir, dentry, c, expect_gen);
	if (!ret) {
		/* What vfs_rmdir() does after a successful ->rmdir. */
		shrink_dcache_parent(dentry);
		d_inode(dentry)->i_flags |= S_DEAD;
		dont_mount(dentry);
	}
	inode_unlock(d_inode(dentry));
	if (!ret) {
		fsnotify_rmdir(dir, dentry);
		d_delete(dentry);
		/* Under the root's lock, as rmdir: before any mkdir of the name. */
		nsctl_container_deleted(c);
	}
	dput(dentry);
out_unlock:
	inode_unlock(dir);
	simple_release_fs(&nsctl_mnt, &nsctl_mnt_count);
	return ret;
}

static const struct inode_operations nsctl_root_iops = {
	.lookup		= simple_lookup,
	.mkdir		= nsctl_mkdir,
	.rmdir		= nsctl_rmdir,
};

static void nsctl_evict_inode(struct inode *inode)
{
	truncate_inode_pages_final(&inode->i_data);
	clear_inode(inode);
	if (inode->i_private)
		nsctl_container_put(inode->i_private);
}

static const struct super_operations nsctl_super_ops = {
	.statfs		= simple_statfs,
	.drop_inode	= generic_delete_inode,
	.evict_inode	= nsctl_evict_inode,
};

static int nsctl_fill_super(struct super_block *sb, struct fs_context *fc)
{
	/* Indexes 0 and 1 are "." and "..". */
	static const struct tree_descr files[] = {
		[2] = { "namespaces", &nsctl_nsid_list_fops, 0444 },
		{ "pools", &nsctl_pool_list_fops, 0444 },
		{ "" },
	};
	struct inode *root;
	int ret;

	ret = simple_fill_super(sb, NSCTL_SUPER_MAGIC, files);
	if (ret)
		return ret;

	sb->s_op = &nsctl_super_ops;
	/* For every dentry made from now on: the containers' among them. */
	sb->s_d_op = &nsctl_dentry_ops;
	sb->s_time_gran = 1;
	root = d_inode(sb->s_root);
	root->i_op = &nsctl_root_iops;
	root->i_fop = &nsctl_root_fops;
	return 0;
}

static int nsctl_get_tree(struct fs_context *fc)
{
	return get_tree_single(fc, nsctl_fill_super);
}

static const struct fs_context_operations nsctl_context_ops = {
	.get_tree	= nsctl_get_tree,
};

static int nsctl_init_fs_context(struct fs_context *fc)
{
	fc->ops = &nsctl_context_ops;
	return 0;
}

static struct file_system_type nsctl_fs_type = {
	.owner			= THIS_MODULE,
	.name			= NSCTL_FS_NAME,
	.init_fs_context	= nsctl_init_fs_context,
	.kill_sb		= kill_litter_super,
};

static const struct nsctl_container_owner nsctl_fs_owner = {
	.remove	= nsctl_fs_remove,
};

int nsctl_fs_init(void)
{
	int ret;

	/* No container exists before the filesystem is registered below. */
	nsctl_container_set_owner(&nsctl_fs_owner);
	ret = sysfs_create_mount_point(fs_kobj, NSCTL_FS_NAME);
	if (ret)
		return ret;

	ret = register_filesystem(&nsctl_fs_type);
	if (ret)
		goto err_remove_mount_point;
	WRITE_ONCE(nsctl_fs_registered, true);
	return 0;

err_remove_mount_point:
	sysfs_remove_mount_point(fs_kobj, NSCTL_FS_NAME);
	return ret;
}

void nsctl_fs_uninit(void)
{
	WRITE_ONCE(nsctl_fs_registered, false);
	unregister_filesystem(&nsctl_fs_type);
	sysfs_remove_mount_point(fs_kobj, NSCTL_FS_NAME);
}
