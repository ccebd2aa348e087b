/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NSCTL_CTL_H
#define NSCTL_CTL_H

extern const char *prog;

#endif
