// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroups nsctl makes for containers and pool members: made in the
 * parent (cgparent.c), marked as nsctl's, with the limits of create's
 * options (or a pool's template) written to their files.  The options
 * take "64M" and "QUOTA/PERIOD"; the files, and pool templates, take
 * bytes and "QUOTA PERIOD".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "nsctl.h"

int cg_memory_value(const char *s, char *out, size_t len)
{
	unsigned long long v;
	char *end;

	if (!strcmp(s, "max")) {
		snprintf(out, len, "max");
		return 0;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || s[0] == '-')
		return -EINVAL;
	switch (*end) {
	case 'G': case 'g': v <<= 10; /* fall through */
	case 'M': case 'm': v <<= 10; /* fall through */
	case 'K': case 'k': v <<= 10; end++; break;
	case '\0': break;
	default: return -EINVAL;
	}
	if (*end)
		return -EINVAL;
	snprintf(out, len, "%llu", v);
	return 0;
}

bool cg_number_or_max(const char *s)
{
	char *end;

	if (!strcmp(s, "max"))
		return true;
	if (!*s || *s == '-')
		return false;
	strtoull(s, &end, 10);
	return *end == '\0';
}

bool cg_cpu_max_value(const char *s, char *out, size_t len)
{
	char q[32], p[32];

	if (sscanf(s, "%31[^/]/%31s", q, p) != 2 || !cg_number_or_max(q) ||
	    !strcmp(p, "max") || !cg_number_or_max(p))
		return false;
	snprintf(out, len, "%s %s", q, p);
	return true;
}

void cg_limits_from_opts(const struct create_opts *o, struct cg_limits *l)
{
	memset(l, 0, sizeof(*l));
	if (o->memory_max)
		cg_memory_value(o->memory_max, l->memory, sizeof(l->memory));
	if (o->pids_max)
		snprintf(l->pids, sizeof(l->pids), "%s", o->pids_max);
	if (o->cpu_max)
		cg_cpu_max_value(o->cpu_max, l->cpu, sizeof(l->cpu));
}

static int set_limit(const char *what, const char *cg, const char *file,
		     const char *val)
{
	char path[4300];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	ret = nsctl_write_attr(path, val);
	if (ret == -ENOENT)
		return fail(what, "cannot set %s: the %.*s controller is not enabled for %s "
			    "(its parent's cgroup.subtree_control)", file,
			    (int)strcspn(file, "."), file, cg);
	if (ret)
		return fail(what, "cannot set %s to \"%s\": %s", file, val,
			    strerror(-ret));
	return 0;
}

int cg_limits_write(const char *cgpath, const struct cg_limits *l, const char *what)
{
	if (l->memory[0] && set_limit(what, cgpath, "memory.max", l->memory))
		return 1;
	if (l->pids[0] && set_limit(what, cgpath, "pids.max", l->pids))
		return 1;
	if (l->cpu[0] && set_limit(what, cgpath, "cpu.max", l->cpu))
		return 1;
	return 0;
}

int cg_make(const struct nsctl_config *cfg, const char *leaf, const char *mark,
	    char *cgpath, size_t len, const char *what)
{
	if ((size_t)snprintf(cgpath, len, "%s/%s", cfg->cgroup_parent, leaf) >= len)
		return fail(what, "the cgroup path %s/%s is too long", cfg->cgroup_parent,
			    leaf);
	if (mkdir(cgpath, 0755))
		return fail(what, "cannot create the cgroup %s: %s", cgpath,
			    strerror(errno));
	nsctl_cgroup_mark(cgpath, mark);
	return 0;
}
