/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NSCTL_CTL_H
#define NSCTL_CTL_H

#include <stdbool.h>
#include <stdio.h>

#include "genl.h"
#include "libnsctl.h"

extern const char *prog;

/* "nsctl: <what>: <why>" on stderr; returns 1, the tool's failure status. */
int fail(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Why a container could not be opened or read (-errno), for a message. */
const char *ct_why(int err);

/* Ask for a subcommand's --help: true when it was asked (and printed). */
bool want_help(int argc, char **argv, const char *usage);

void json_string(FILE *f, const char *s);

/* Whether capability @cap (CAP_*) is in this process's effective set. */
bool have_cap(int cap);

/*
 * Connect to the nsctl generic netlink family; on failure print why (as
 * @what) and return 1.
 */
int nsctl_connect(const char *what, struct nsctl_genl **g);
/* strerror(-err), followed by the kernel's explanation when it gave one. */
const char *genl_why(const struct nsctl_genl *g, int err);

/* A container message's JSON keys (no braces): list -j, monitor -j. */
void json_ct_fields(FILE *f, const struct nsctl_ct *ct);
/* A namespace message's JSON keys (no braces): ns list -j, monitor -j. */
void json_nsrec_fields(FILE *f, const struct nsctl_nsrec *ns);

/* Where nsctl makes cgroups for containers: <root>/nsctl/<name>. */
#define NSCTL_CGROUP_ROOT	"/sys/fs/cgroup"
#define NSCTL_CGROUP_PARENT	"nsctl"

int cmd_create(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_ns(int argc, char **argv);
int cmd_enter(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_set(int argc, char **argv);

#endif
