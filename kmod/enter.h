/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSCTL_ENTER_H
#define _NSCTL_ENTER_H

struct nsctl_container;

long nsctl_ioc_enter(struct nsctl_container *c, unsigned int cmd,
		     unsigned long arg);
long nsctl_ioc_enter_check(struct nsctl_container *c, unsigned int cmd,
			   unsigned long arg);
long nsctl_ioc_enter_fast(struct nsctl_container *c, unsigned long arg);

#endif /* _NSCTL_ENTER_H */
