/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSCTL_FS_H
#define _NSCTL_FS_H

int nsctl_fs_init(void);
void nsctl_fs_uninit(void);

#endif /* _NSCTL_FS_H */
