// SPDX-License-Identifier: GPL-2.0
/*
 * A container's cgroup: binding a cgroup v2 directory to a container and
 * unbinding it.  Deletion lets it go with the rest (container.c).
 */
#include <linux/cgroup.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/path.h>

#include "container.h"
#include "event.h"

int nsctl_container_set_cgroup(struct nsctl_container *c, struct cgroup *cgrp,
			       const struct path *path, u64 *generation)
{
	struct path old_path = {};
	struct cgroup *old = NULL;
	int ret = 0;

	mutex_lock(&c->lock);
	if (c->dead || c->deleting) {
		ret = c->dead ? -ESTALE : -EBUSY;
		old = cgrp;
		goto out;
	}
	old = c->cgrp;
	old_path = c->cgrp_path;
	write_seqcount_begin(&c->seq);
	c->cgrp = cgrp;
	if (old != cgrp)
		c->generation++;
	write_seqcount_end(&c->seq);
	c->cgrp_path = cgrp ? *path : (struct path){};
	if (cgrp)
		path_get(&c->cgrp_path);
	if (old != cgrp) {
		if (c->published)
			nsctl_event_container(c, NSCTL_CMD_CONTAINER_CHANGED,
					      NSCTL_CHANGED_CGROUP, 0);
	}
	*generation = c->generation;
out:
	mutex_unlock(&c->lock);
	if (old)
		cgroup_put(old);
	path_put(&old_path);
	return ret;
}

/* Bind the cgroup v2 directory open as @fd, or unbind with -1. */
int nsctl_container_bind_cgroup_fd(struct nsctl_container *c, int fd,
				   u64 *generation)
{
	struct cgroup *cgrp = NULL;
	struct file *file = NULL;
	int ret;

	if (fd >= 0) {
		file = fget(fd);
		if (!file)
			return -EBADF;
		cgrp = cgroup_get_from_fd(fd);
		if (IS_ERR(cgrp)) {
			fput(file);
			return PTR_ERR(cgrp);
		}
		/* The fd may have been replaced between the two lookups. */
		if (file_inode(file)->i_sb->s_magic != CGROUP2_SUPER_MAGIC ||
		    file_inode(file)->i_ino != cgroup_ino(cgrp)) {
			cgroup_put(cgrp);
			fput(file);
			return -EBADF;
		}
	}
	ret = nsctl_container_set_cgroup(c, cgrp, file ? &file->f_path : NULL,
					 generation);
	if (file)
		fput(file);
	return ret;
}
