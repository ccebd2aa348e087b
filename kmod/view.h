/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NSCTL_VIEW_H
#define _NSCTL_VIEW_H

struct nsctl_container;
struct seq_file;

/* Files of a container's directory: show under the container's lock. */
/* At load: learn the kernel's IPC bounds. */
void nsctl_view_init(void);

int nsctl_show_on_empty(struct seq_file *m, struct nsctl_container *c);
int nsctl_show_enter(struct seq_file *m, struct nsctl_container *c);
int nsctl_show_hostname(struct seq_file *m, struct nsctl_container *c);
int nsctl_show_domainname(struct seq_file *m, struct nsctl_container *c);
int nsctl_show_ipc(struct seq_file *m, struct nsctl_container *c);

/* Writes: a NUL-terminated copy of what was written, no lock held. */
int nsctl_write_on_empty(struct nsctl_container *c, char *buf);
int nsctl_write_enter(struct nsctl_container *c, char *buf);
int nsctl_write_ipc(struct nsctl_container *c, char *buf);

#endif /* _NSCTL_VIEW_H */
