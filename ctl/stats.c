// SPDX-License-Identifier: GPL-2.0
/*
 * Per-container statistics: what the container's cgroup says about the
 * processes in it (memory, CPU time, PIDs, I/O), next to the counters
 * nsctl keeps itself (enters, processes inside).
 *
 * Built to be taken for thousands of containers in one 'nsctl list -j':
 * one directory descriptor per cgroup, each file opened relative to it
 * and read once into a buffer on the stack, no process started, nothing
 * allocated.  Only the files the cgroup has are read: a controller that
 * is not enabled for it (io, usually), or a kernel without memory.peak,
 * simply leaves those values out.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nsctl.h"
#include "stats.h"

static const char * const stat_keys[CT_STAT_COUNT] = {
	[CT_STAT_MEMORY_CURRENT]	= "memory_current",
	[CT_STAT_MEMORY_PEAK]		= "memory_peak",
	[CT_STAT_CPU_USAGE_USEC]	= "cpu_usage_usec",
	[CT_STAT_CPU_USER_USEC]		= "cpu_user_usec",
	[CT_STAT_CPU_SYSTEM_USEC]	= "cpu_system_usec",
	[CT_STAT_PIDS_CURRENT]		= "pids_current",
	[CT_STAT_IO_RBYTES]		= "io_rbytes",
	[CT_STAT_IO_WBYTES]		= "io_wbytes",
	[CT_STAT_IO_RIOS]		= "io_rios",
	[CT_STAT_IO_WIOS]		= "io_wios",
};

/* "key value" lines of cpu.stat, "key=value" pairs of io.stat. */
struct field {
	const char *name;
	enum ct_stat stat;
};

static const struct field cpu_fields[] = {
	{ "usage_usec", CT_STAT_CPU_USAGE_USEC },
	{ "user_usec", CT_STAT_CPU_USER_USEC },
	{ "system_usec", CT_STAT_CPU_SYSTEM_USEC },
	{ NULL, 0 },
};

static const struct field io_fields[] = {
	{ "rbytes", CT_STAT_IO_RBYTES },
	{ "wbytes", CT_STAT_IO_WBYTES },
	{ "rios", CT_STAT_IO_RIOS },
	{ "wios", CT_STAT_IO_WIOS },
	{ NULL, 0 },
};

int ct_stats_root(void)
{
	int fd = open(NSCTL_CGROUP_ROOT, O_PATH | O_DIRECTORY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return !errno && end != s && (*end == '\0' || *end == '\n' || *end == ' ');
}

static int open_in(int dir, const char *file)
{
	return openat(dir, file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
}

/* One number (memory.current, memory.peak, pids.current). */
static void read_one(int dir, const char *file, struct ct_stats *st,
		     enum ct_stat stat)
{
	char buf[32];
	ssize_t n;
	int fd;

	fd = open_in(dir, file);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	if (parse_u64(buf, &st->v[stat]))
		st->have |= 1u << stat;
}

/* Add @val to the field @key names, if it is one of @fields. */
static void add_field(const struct field *fields, const char *key,
		      const char *val, struct ct_stats *st)
{
	uint64_t v;

	for (; fields->name; fields++) {
		if (strcmp(fields->name, key))
			continue;
		if (!parse_u64(val, &v))
			return;
		st->v[fields->stat] += v;
		st->have |= 1u << fields->stat;
		return;
	}
}

/* cpu.stat: "usage_usec 1234" lines. */
static void cpu_line(char *line, struct ct_stats *st)
{
	char *val = strchr(line, ' ');

	if (!val)
		return;
	*val++ = '\0';
	add_field(cpu_fields, line, val, st);
}

/* io.stat: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" lines. */
static void io_line(char *line, struct ct_stats *st)
{
	char *tok, *save = NULL, *val;

	strtok_r(line, " ", &save);	/* the device */
	while ((tok = strtok_r(NULL, " ", &save))) {
		val = strchr(tok, '=');
		if (!val)
			continue;
		*val++ = '\0';
		add_field(io_fields, tok, val, st);
	}
}

/*
 * A file of lines, read in pieces through one small buffer (io.stat has
 * a line per device, so it has no fixed size).  A line longer than the
 * buffer is dropped.  False when the file cannot be opened.
 */
static bool read_lines(int dir, const char *file, struct ct_stats *st,
		       void (*fn)(char *line, struct ct_stats *st))
{
	char buf[1024], *line, *nl;
	size_t have = 0;
	bool skip = false;
	ssize_t n;
	int fd;

	fd = open_in(dir, file);
	if (fd < 0)
		return false;
	while ((n = read(fd, buf + have, sizeof(buf) - 1 - have)) > 0) {
		have += n;
		buf[have] = '\0';
		line = buf;
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			if (!skip)
				fn(line, st);
			skip = false;
			line = nl + 1;
		}
		have -= line - buf;
		memmove(buf, line, have);
		if (have == sizeof(buf) - 1) {
			have = 0;
			skip = true;
		}
	}
	close(fd);
	if (have && !skip) {
		buf[have] = '\0';
		fn(buf, st);
	}
	return true;
}

void ct_stats_read(int root, const char *path, struct ct_stats *st)
{
	int dir;

	memset(st, 0, sizeof(*st));
	if (root < 0 || !path)
		return;
	while (*path == '/')
		path++;
	dir = openat(root, *path ? path : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return;
	read_one(dir, "memory.current", st, CT_STAT_MEMORY_CURRENT);
	read_one(dir, "memory.peak", st, CT_STAT_MEMORY_PEAK);
	read_lines(dir, "cpu.stat", st, cpu_line);
	read_one(dir, "pids.current", st, CT_STAT_PIDS_CURRENT);
	/* An empty io.stat: no I/O yet, which is zero of each. */
	if (read_lines(dir, "io.stat", st, io_line))
		st->have |= 1u << CT_STAT_IO_RBYTES | 1u << CT_STAT_IO_WBYTES |
			    1u << CT_STAT_IO_RIOS | 1u << CT_STAT_IO_WIOS;
	close(dir);
}

void json_ct_stats(FILE *f, const struct ct_stats *st, const uint64_t *tasks,
		   uint64_t enters, int64_t created)
{
	unsigned int i;

	fprintf(f, "\"stats\":{\"enters\":%" PRIu64 ",\"created\":%" PRId64,
		enters, created);
	if (tasks)
		fprintf(f, ",\"tasks\":%" PRIu64, *tasks);
	for (i = 0; i < CT_STAT_COUNT; i++)
		if (st->have & (1u << i))
			fprintf(f, ",\"%s\":%" PRIu64, stat_keys[i], st->v[i]);
	fputc('}', f);
}

static bool has(const struct ct_stats *st, enum ct_stat s)
{
	return st->have & (1u << s);
}

/* 1536 -> "1.5 KiB" */
static const char *bytes(uint64_t v, char *buf, size_t len)
{
	static const char * const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double d = v;
	unsigned int u = 0;

	while (d >= 1024 && u < 4) {
		d /= 1024;
		u++;
	}
	if (u)
		snprintf(buf, len, "%.1f %s", d, units[u]);
	else
		snprintf(buf, len, "%" PRIu64 " B", v);
	return buf;
}

static void print_cpu(FILE *f, const struct ct_stats *st)
{
	const uint64_t *v = st->v;

	fprintf(f, "  cpu:       %" PRIu64 ".%06" PRIu64 " s",
		v[CT_STAT_CPU_USAGE_USEC] / 1000000, v[CT_STAT_CPU_USAGE_USEC] % 1000000);
	if (has(st, CT_STAT_CPU_USER_USEC) && has(st, CT_STAT_CPU_SYSTEM_USEC))
		fprintf(f, " (user %" PRIu64 ".%06" PRIu64 " s, system %" PRIu64 ".%06" PRIu64 " s)",
			v[CT_STAT_CPU_USER_USEC] / 1000000, v[CT_STAT_CPU_USER_USEC] % 1000000,
			v[CT_STAT_CPU_SYSTEM_USEC] / 1000000, v[CT_STAT_CPU_SYSTEM_USEC] % 1000000);
	fputc('\n', f);
}

void print_ct_stats(FILE *f, const struct ct_stats *st)
{
	const uint64_t *v = st->v;
	char a[32], b[32];

	if (has(st, CT_STAT_MEMORY_CURRENT)) {
		fprintf(f, "  memory:    %s", bytes(v[CT_STAT_MEMORY_CURRENT], a, sizeof(a)));
		if (has(st, CT_STAT_MEMORY_PEAK))
			fprintf(f, " (peak %s)", bytes(v[CT_STAT_MEMORY_PEAK], a, sizeof(a)));
		fputc('\n', f);
	}
	if (has(st, CT_STAT_CPU_USAGE_USEC))
		print_cpu(f, st);
	if (has(st, CT_STAT_PIDS_CURRENT))
		fprintf(f, "  pids:      %" PRIu64 "\n", v[CT_STAT_PIDS_CURRENT]);
	if (has(st, CT_STAT_IO_RBYTES) && has(st, CT_STAT_IO_WBYTES) &&
	    has(st, CT_STAT_IO_RIOS) && has(st, CT_STAT_IO_WIOS))
		fprintf(f, "  io:        read %s in %" PRIu64 " requests, written %s in %"
			PRIu64 " requests\n",
			bytes(v[CT_STAT_IO_RBYTES], a, sizeof(a)), v[CT_STAT_IO_RIOS],
			bytes(v[CT_STAT_IO_WBYTES], b, sizeof(b)), v[CT_STAT_IO_WIOS]);
}

/* list -j: after a container's keys. */
void json_list_stats(FILE *f, int root, const struct nsctl_ct *ct)
{
	struct ct_stats st;

	ct_stats_read(root, ct->cgroup, &st);
	fputc(',', f);
	json_ct_stats(f, &st, NULL, ct->enters, ct->created);
}

static bool show_mnt_ns_id(const struct nsctl_info *in, uint64_t *id)
{
	uint8_t uuid[16];

	if (!in->ns_inum[NSCTL_NS_MNT] || nsctl_uuid_parse(in->ns_uuid[NSCTL_NS_MNT], uuid))
		return false;
	return !mnt_ns_id_of(uuid, id);
}

/* What show adds: the cgroup's figures, and the mount namespace id. */
static bool show_read(const struct nsctl_info *in, struct ct_stats *st, uint64_t *id)
{
	int root = ct_stats_root();

	ct_stats_read(root, in->cgroup[0] ? in->cgroup : NULL, st);
	if (root >= 0)
		close(root);
	return show_mnt_ns_id(in, id);
}

/* show -j: after the other keys. */
void json_show_stats(FILE *f, const struct nsctl_info *in)
{
	struct ct_stats st;
	uint64_t id;

	if (show_read(in, &st, &id))
		fprintf(f, ",\"mnt_ns_id\":%" PRIu64, id);
	fputc(',', f);
	json_ct_stats(f, &st, &in->tasks, in->enters, in->created);
}

/* show: after the other lines. */
void print_show_stats(FILE *f, const struct nsctl_info *in)
{
	struct ct_stats st;
	uint64_t id;

	if (show_read(in, &st, &id))
		fprintf(f, "mnt ns id:   %" PRIu64 "\n", id);
	if (!st.have) {
		fprintf(f, "stats:       -%s\n", in->cgroup[0] ? "" : " (no cgroup)");
		return;
	}
	fprintf(f, "stats:\n");
	print_ct_stats(f, &st);
}
