/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSCTL_IOCTL_H
#define _NSCTL_IOCTL_H

struct file;

long nsctl_container_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg);

/* Size-versioned argument structs: see ioctl.c. */
int nsctl_copy_in(void *dst, size_t ksize, size_t ver0, unsigned int cmd,
		  unsigned long arg);
int nsctl_copy_out(unsigned long arg, const void *src, size_t ksize,
		   unsigned int cmd);

long nsctl_root_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

#endif /* _NSCTL_IOCTL_H */
