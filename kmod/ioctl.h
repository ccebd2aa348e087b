/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSCTL_IOCTL_H
#define _NSCTL_IOCTL_H

struct file;
struct nsctl_viewer;

long nsctl_container_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg);

/* @v: who opened the root directory, as they were then. */
long nsctl_root_ioctl(struct file *file, const struct nsctl_viewer *v,
		      unsigned int cmd, unsigned long arg);

#endif /* _NSCTL_IOCTL_H */
