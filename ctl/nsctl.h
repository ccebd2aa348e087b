/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NSCTL_CTL_H
#define NSCTL_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
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

/*
 * Where nsctl makes cgroups for containers (cgparent.c): <parent>/<name>,
 * the parent being cgroup-parent= of nsctl.conf, or nsctl.service's
 * delegated cgroup on a systemd host, or <root>/nsctl.
 */
#define NSCTL_CGROUP_ROOT	"/sys/fs/cgroup"
#define NSCTL_CGROUP_PARENT	"nsctl"
#define NSCTL_SYSTEMD_CGROUP	"system.slice/nsctl.service"
#define NSCTL_BOOT_LEAF		".supervisor"
#define NSCTL_CONFIG_FILE	"/etc/nsctl/nsctl.conf"
#define NSCTL_DECL_DIR		"/etc/nsctl/containers"
#define NSCTL_SERVICE_RECORD	"/run/nsctl/service-cgroup"
#define NSCTL_CGROUP_XATTR	"trusted.nsctl.container"
/* A pool member's cgroup: <pool>~<16 hex digits>, marked "~<pool>". */
#define NSCTL_POOL_MARK		'~'

enum nsctl_parent_kind {
	NSCTL_PARENT_DEFAULT,		/* no systemd: made, controllers enabled */
	NSCTL_PARENT_SYSTEMD,		/* nsctl.service's, made by systemd */
	NSCTL_PARENT_CONFIGURED,	/* cgroup-parent=: nothing above it touched */
};

struct nsctl_config {
	char cgroup_parent[4096];	/* absolute, under NSCTL_CGROUP_ROOT */
	enum nsctl_parent_kind parent_kind;
};

/* Write @val to a cgroup (or /proc) file: 0 or -errno. */
int nsctl_write_attr(const char *path, const char *val);
/* $NSCTL_CONFIG, else NSCTL_CONFIG_FILE. */
const char *nsctl_config_path(void);
bool nsctl_systemd_booted(void);
/* Defaults, then the file; a bad file is reported (file:line) and 1. */
int nsctl_config_read(struct nsctl_config *cfg);
int nsctl_cgroup_prepare(const struct nsctl_config *cfg, const char *what);
int nsctl_cgroup_boot(struct nsctl_config *cfg, const char *what);
void nsctl_cgroup_mark(const char *path, const char *name);
/*
 * Is @rel (as a container's cgroup file has it) the one nsctl made for
 * @name, or for the pool member @name was claimed from?
 */
bool nsctl_cgroup_made(const struct nsctl_config *cfg, const char *name, const char *rel);
void nsctl_cgroup_own(const struct nsctl_config *cfg, const char *name, char *out,
		      size_t len);

/* create.c: the options of 'nsctl create', also read from declarations. */
struct create_opts {
	const char *name;
	uint64_t types;
	uint64_t share;
	int from_pid;
	const char *from_netns;
	const char *cgroup;
	bool no_cgroup;
	bool types_given;
	const char *memory_max;
	const char *pids_max;
	const char *cpu_max;
	bool have_uuid;
	uint8_t uuid[16];
	const char *labels[NSCTL_LABELS_MAX];	/* "key=value" each */
	size_t nlabels;
	const char *netns_export;	/* "": the container's name */
};

void create_opts_init(struct create_opts *o);
/* One option by its long name: 0, 1 (reported as @what), or -ENOENT. */
int create_option(struct create_opts *o, const char *key, const char *arg,
		  const char *what);
/* Checks across options: 0 or 1 (reported). */
int create_check(struct create_opts *o, const char *what);
/* create_check(), then makes the container: 0 or 1 (reported). */
int create_run(struct create_opts *o, const char *what);
int create_cgroup(const struct create_opts *o, char *cgpath, size_t len, int *fdp,
		  bool *made, const char *what);
/*
 * A child holding fresh namespaces of the types in @fresh (set up as
 * create sets them up: private mounts, host name, loopback up), in the
 * cgroup @cgfd when >= 0, from which its cgroup namespace is rooted; it
 * waits until helper_end().  0, or 1 (reported).
 */
struct ns_helper {
	pid_t pid;
	int go;		/* closing it lets the child exit */
};

int helper_start(const struct create_opts *o, uint64_t fresh, int cgfd,
		 const char *cgpath, struct ns_helper *h, const char *what);
void helper_end(struct ns_helper *h);
/*
 * helper_start() for @req's cgroup (cgroup_fd, -1: none), then @req's fds
 * of the helper's fresh namespaces opened (user: its id maps written
 * first) and its pid slot set to come from the helper; the caller closes
 * the fds and ends the helper once the kernel has them.  0, or 1
 * (reported; the helper ended).
 */
int fresh_ns_start(const struct create_opts *o, uint64_t fresh, struct nsctl_genl_new *req,
		   const char *cgpath, struct ns_helper *h, const char *what);

/*
 * cgroup.c: cgroups nsctl makes.  Limits as the options take them ("64M",
 * "QUOTA/PERIOD") into what the files take: 0 or -EINVAL; true when valid.
 */
int cg_memory_value(const char *s, char *out, size_t len);
bool cg_number_or_max(const char *s);
bool cg_cpu_max_value(const char *s, char *out, size_t len);

/* memory.max, pids.max, cpu.max as the files take them; "": not set. */
struct cg_limits {
	char memory[32];
	char pids[32];
	char cpu[72];
};

/* The limits of checked options (create_option()). */
void cg_limits_from_opts(const struct create_opts *o, struct cg_limits *l);
/* Write the limits that are set to the cgroup @cgpath: 0 or 1 (reported). */
int cg_limits_write(const char *cgpath, const struct cg_limits *l, const char *what);
/*
 * Make <parent>/@leaf, marked with @mark (nsctl_cgroup_mark()), its path
 * in @cgpath: 0, or 1 (reported) with nothing made.
 */
int cg_make(const struct nsctl_config *cfg, const char *leaf, const char *mark,
	    char *cgpath, size_t len, const char *what);

/* set.c: the keys of 'nsctl set', also read from declarations. */
struct set_req {
	const char *on_empty, *enter, *hostname, *domainname;
	char labels[NSCTL_LABELS_SIZE * 2];	/* edit lines for "labels" */
	char ipc[1024];
	char sem[128];
	const char *netns_export;	/* "-": remove the export */
};

int set_option(struct set_req *r, const char *key, const char *val,
	       const char *what);
int set_apply(const char *name, const struct set_req *r, const char *what);

/*
 * labels.c.  What is wrong with label @s ("key=value", or with @bare also
 * "key"), or NULL when nothing is.
 */
const char *label_check(const char *s, bool bare);
/* What is wrong with @v as a label value, or NULL. */
const char *label_value_check(const char *v);
/* "labels":{...} of @lines (NULL: none). */
void json_labels(FILE *f, const char *lines);
/* A container's "labels" file into @buf: 0 or -errno. */
int labels_read(const char *name, char *buf, size_t len);

/*
 * netns.c: a container's network namespace exported as /run/netns/NAME,
 * recorded in /run/nsctl/netns/NAME; nsctl removes only what it made.
 * Each returns 0, or 1 (reported).
 */
#define NSCTL_NETNS_DIR		"/run/netns"
#define NSCTL_NETNS_RECORDS	"/run/nsctl/netns"
#define NSCTL_NETNS_LOCK	"/run/nsctl/netns.lock"
#define NETNS_NAME_MAX		255

/* 0 if 'ip netns' takes @name, else -EINVAL. */
int netns_name_check(const char *name);
/* /run/netns/@exp does not exist yet. */
int netns_export_free(const char *exp, const char *what);
/* Export (replacing the container's other export, if any). */
int netns_export(const char *ct, const char *exp, const char *what);
/* netns_export() for a container just made: deleted if that fails. */
int netns_export_created(struct nsctl_genl *g, const char *ct, const char *exp,
			 const char *what);
/* Remove the exports of an existing container, or of one by name and UUID. */
int netns_unexport(const char *ct, const char *what);
int netns_unexport_ct(const char *ct, const char *ct_uuid, const char *what);
/* Remove exports whose container is gone or holds another namespace. */
int netns_sweep(const char *what);
/* The live export of a container: 1 and @exp, or 0. */
int netns_export_find(const char *ct, const char *ct_uuid, char *exp, size_t len);
/*
 * Subscribe to events (NULL when that fails, reported), then on each
 * readable socket remove the exports of containers deleted meanwhile.
 */
struct nsctl_genl *netns_watch(const char *what);
int netns_watch_read(struct nsctl_genl *g, const char *what);

/*
 * pool_cgroup.c: pool members' cgroups in the parent create uses.  Each
 * returns 0, or 1 (reported) unless said otherwise.
 */
struct pool_cg {
	struct nsctl_config cfg;
	int dirfd;		/* the parent, for its lock; -1: none */
};

/* The parent opened; with @prepare readied as create readies it first. */
int pool_cg_open(struct pool_cg *pc, bool prepare, const char *what);
void pool_cg_close(struct pool_cg *pc);
/* Fillers lock the parent shared while they add, sweepers exclusive. */
void pool_cg_lock(struct pool_cg *pc, bool exclusive);
void pool_cg_unlock(struct pool_cg *pc);
/* A member's cgroup for @p: made, marked, limited, opened as *@fdp. */
int pool_cg_make(struct pool_cg *pc, const struct nsctl_pool *p, char *cgpath,
		 size_t len, int *fdp, const char *what);
/* Remove the members' cgroups nothing holds: how many, or -1 (reported). */
int pool_cg_sweep(struct nsctl_genl *g, const char *what);
/* The paths (malloc'd, as /proc/PID/cgroup has them) of the cgroups @ids. */
void pool_cg_paths(const uint64_t *ids, size_t n, char **paths);

/* pool.c */
int pool_name_check(const char *name, const char *what);
/* Report a failed pool request, @doing (e.g. "delete the pool"): 1. */
int pool_failed(struct nsctl_genl *g, int err, const char *pool, const char *doing,
		const char *what);
/* A pool message's JSON keys (no braces): pool list -j, monitor -j. */
void json_pool_fields(FILE *f, const struct nsctl_pool *p);
int cmd_pool(int argc, char **argv);
/*
 * pool_claim.c: create @o->name from a member of @pool (only @o's name,
 * UUID, labels and export are used); with @fall_back, fresh from the
 * pool's template when it has none.  0, or 1 (reported).
 */
int create_from_pool(struct create_opts *o, const char *pool, bool fall_back,
		     const char *what);
/* pool_fill.c */
int cmd_pool_fill(int argc, char **argv);

int cmd_create(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_ns(int argc, char **argv);
int cmd_enter(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_declare(int argc, char **argv);
int cmd_boot(int argc, char **argv);
int cmd_oci_hook(int argc, char **argv);

#endif
