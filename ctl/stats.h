/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-container statistics (stats.c) and the kernel's own ids of
 * namespaces next to nsctl's UUIDs (kernel_ids.c).
 */
#ifndef NSCTL_STATS_H
#define NSCTL_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "genl.h"
#include "libnsctl.h"

/* One value each, named after its cgroup file (JSON: the key). */
enum ct_stat {
	CT_STAT_MEMORY_CURRENT,		/* memory.current */
	CT_STAT_MEMORY_PEAK,		/* memory.peak */
	CT_STAT_CPU_USAGE_USEC,		/* cpu.stat usage_usec */
	CT_STAT_CPU_USER_USEC,		/* cpu.stat user_usec */
	CT_STAT_CPU_SYSTEM_USEC,	/* cpu.stat system_usec */
	CT_STAT_PIDS_CURRENT,		/* pids.current */
	CT_STAT_IO_RBYTES,		/* io.stat, summed over devices */
	CT_STAT_IO_WBYTES,
	CT_STAT_IO_RIOS,
	CT_STAT_IO_WIOS,
	CT_STAT_COUNT
};

struct ct_stats {
	uint32_t have;			/* bit (1 << enum ct_stat): read */
	uint64_t v[CT_STAT_COUNT];
};

/*
 * The cgroup v2 root the paths of containers' cgroups are relative to
 * (NSCTL_CGROUP_ROOT, as the caller's cgroup namespace sees it): an
 * O_PATH descriptor, or -errno.
 */
int ct_stats_root(void);
/*
 * Read what the cgroup @path (as the container's cgroup file gives it)
 * offers: one directory opened below @root, each file opened relative to
 * it.  A file that is missing (a controller not enabled, a kernel without
 * it) or unreadable leaves its values out; nothing is an error.
 */
void ct_stats_read(int root, const char *path, struct ct_stats *st);

/*
 * The "stats" JSON object (with its key): nsctl's own counters, then the
 * cgroup's values that were read.  @tasks may be NULL (not counted).
 */
void json_ct_stats(FILE *f, const struct ct_stats *st, const uint64_t *tasks,
		   uint64_t enters, int64_t created);
/* The cgroup's values for people, "  key: value" lines; none if none. */
void print_ct_stats(FILE *f, const struct ct_stats *st);

/* list -j: ",\"stats\":{...}" for one container (@root: ct_stats_root()). */
void json_list_stats(FILE *f, int root, const struct nsctl_ct *ct);
/* show -j: ",\"mnt_ns_id\":N" when known, and ",\"stats\":{...}". */
void json_show_stats(FILE *f, const struct nsctl_info *in);
/* show: the mount namespace's id when known, and a "stats:" block. */
void print_show_stats(FILE *f, const struct nsctl_info *in);

/*
 * The kernel's id of the mount namespace a UUID names (NS_GET_MNTNS_ID,
 * 6.12 has it, 6.1 not): 0, or -errno (-ENOTTY: the kernel has none;
 * what NSCTL_IOC_NS_OPEN refuses).
 */
int mnt_ns_id_of(const uint8_t uuid[16], uint64_t *id);

#endif
