/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSCTL_IOCTL_H
#define _NSCTL_IOCTL_H

struct file;

long nsctl_container_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg);

long nsctl_root_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

#endif /* _NSCTL_IOCTL_H */
