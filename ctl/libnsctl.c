// SPDX-License-Identifier: LGPL-2.1-or-later
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "libnsctl.h"

static const struct {
	const char *name;
	const char *proc_file;
	int clone_flag;
} types[NSCTL_NS_COUNT] = {
	[NSCTL_NS_MNT]		= { "mnt", "mnt", CLONE_NEWNS },
	[NSCTL_NS_UTS]		= { "uts", "uts", CLONE_NEWUTS },
	[NSCTL_NS_IPC]		= { "ipc", "ipc", CLONE_NEWIPC },
	[NSCTL_NS_NET]		= { "net", "net", CLONE_NEWNET },
	[NSCTL_NS_PID]		= { "pid", "pid_for_children", CLONE_NEWPID },
	[NSCTL_NS_USER]		= { "user", "user", CLONE_NEWUSER },
	[NSCTL_NS_CGROUP]	= { "cgroup", "cgroup", CLONE_NEWCGROUP },
	[NSCTL_NS_TIME]		= { "time", "time_for_children", CLONE_NEWTIME },
};

const char *nsctl_type_name(unsigned int type)
{
	return type < NSCTL_NS_COUNT ? types[type].name : NULL;
}

const char *nsctl_type_proc_file(unsigned int type)
{
	return type < NSCTL_NS_COUNT ? types[type].proc_file : NULL;
}

int nsctl_type_clone_flag(unsigned int type)
{
	return type < NSCTL_NS_COUNT ? types[type].clone_flag : 0;
}

int nsctl_parse_types(const char *s, uint64_t *mask, const char **bad)
{
	static char word[32];
	const char *p = s;
	uint64_t m = 0;

	if (!strcmp(s, "all")) {
		*mask = NSCTL_NS_ALL;
		return 0;
	}
	while (*p) {
		size_t n = strcspn(p, ",");
		unsigned int i;

		for (i = 0; i < NSCTL_NS_COUNT; i++)
			if (strlen(types[i].name) == n &&
			    !strncmp(p, types[i].name, n))
				break;
		if (i == NSCTL_NS_COUNT) {
			snprintf(word, sizeof(word), "%.*s", (int)(n < 31 ? n : 31), p);
			if (bad)
				*bad = word;
			return -EINVAL;
		}
		m |= NSCTL_NS_BIT(i);
		p += n;
		if (*p == ',')
			p++;
	}
	if (!m) {
		if (bad)
			*bad = "";
		return -EINVAL;
	}
	*mask = m;
	return 0;
}

void nsctl_format_types(uint64_t mask, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (!(mask & NSCTL_NS_BIT(i)))
			continue;
		off += snprintf(buf + off, off < len ? len - off : 0, "%s%s",
				off ? "," : "", types[i].name);
	}
	if (!off)
		snprintf(buf, len, "-");
}

int nsctl_name_check(const char *name)
{
	size_t i, len = strlen(name);

	if (len == 0)
		return -EINVAL;
	if (len > NSCTL_NAME_MAX)
		return -ENAMETOOLONG;
	for (i = 0; i < len; i++) {
		unsigned char ch = name[i];

		if (ch >= 0x80)
			return -EINVAL;
		if (isalnum(ch))
			continue;
		if (i == 0 || !strchr("_.-:@+", ch))
			return -EINVAL;
	}
	return 0;
}

int nsctl_uuid_parse(const char *s, uint8_t uuid[16])
{
	static const int dash[] = { 8, 13, 18, 23 };
	unsigned int i, j = 0, d = 0;

	if (strlen(s) != 36)
		return -EINVAL;
	for (i = 0; i < 36; i++) {
		int hi, lo;

		if (d < 4 && (int)i == dash[d]) {
			if (s[i] != '-')
				return -EINVAL;
			d++;
			continue;
		}
		if (!isxdigit((unsigned char)s[i]) || !isxdigit((unsigned char)s[i + 1]))
			return -EINVAL;
		hi = isdigit((unsigned char)s[i]) ? s[i] - '0' : (tolower((unsigned char)s[i]) - 'a' + 10);
		lo = isdigit((unsigned char)s[i + 1]) ? s[i + 1] - '0' : (tolower((unsigned char)s[i + 1]) - 'a' + 10);
		uuid[j++] = hi << 4 | lo;
		i++;
	}
	return j == 16 ? 0 : -EINVAL;
}

void nsctl_uuid_format(const uint8_t u[16], char out[37])
{
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}

int nsctl_ensure_mounted(void)
{
	struct statfs sfs;

	if (statfs(NSCTL_MOUNT_POINT, &sfs) == 0 && sfs.f_type == NSCTL_SUPER_MAGIC)
		return 0;
	if (mount("none", NSCTL_MOUNT_POINT, NSCTL_FS_NAME, 0, NULL))
		return -errno;
	return 0;
}

int nsctl_open(const char *name)
{
	char path[sizeof(NSCTL_MOUNT_POINT) + NSCTL_NAME_MAX + 2];
	int fd, ret;

	ret = nsctl_name_check(name);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/%s", NSCTL_MOUNT_POINT, name);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int nsctl_set_ns(int dirfd, uint64_t attach, const int fds[NSCTL_NS_COUNT],
		 int pid_of, uint64_t detach, const uint64_t *expect_gen,
		 uint64_t *generation)
{
	struct nsctl_set_ns args = {
		.attach = attach,
		.detach = detach,
	};
	unsigned int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		args.fds[i] = fds ? fds[i] : -1;
	if (pid_of > 0) {
		args.flags |= NSCTL_SET_NS_PID_OF_TASK;
		args.pid = pid_of;
	}
	if (expect_gen) {
		args.flags |= NSCTL_SET_NS_CHECK_GEN;
		args.generation = *expect_gen;
	}
	if (ioctl(dirfd, NSCTL_IOC_SET_NS, &args))
		return -errno;
	if (generation)
		*generation = args.generation;
	return 0;
}

int nsctl_get_ns(int dirfd, unsigned int type)
{
	struct nsctl_get_ns args = { .type = type };
	int fd = ioctl(dirfd, NSCTL_IOC_GET_NS, &args);

	return fd < 0 ? -errno : fd;
}

int nsctl_set_cgroup(int dirfd, int cgroup_fd, uint64_t *generation)
{
	struct nsctl_set_cgroup args = { .fd = cgroup_fd };

	if (ioctl(dirfd, NSCTL_IOC_SET_CGROUP, &args))
		return -errno;
	if (generation)
		*generation = args.generation;
	return 0;
}

int nsctl_set_uuid(int dirfd, const uint8_t uuid[16])
{
	struct nsctl_set_uuid args = { 0 };

	memcpy(args.uuid, uuid, 16);
	return ioctl(dirfd, NSCTL_IOC_SET_UUID, &args) ? -errno : 0;
}

int nsctl_read_file(const char *name, const char *file, char *buf, size_t len)
{
	char path[sizeof(NSCTL_MOUNT_POINT) + NSCTL_NAME_MAX + 64];
	ssize_t n, total = 0;
	int fd, err;

	snprintf(path, sizeof(path), "%s/%s/%s", NSCTL_MOUNT_POINT, name, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((size_t)total < len - 1) {
		n = read(fd, buf + total, len - 1 - total);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			close(fd);
			return err;
		}
		if (n == 0)
			break;
		total += n;
	}
	buf[total] = '\0';
	close(fd);
	return total;
}

static int read_u64(const char *name, const char *file, uint64_t *v)
{
	char buf[64];
	int ret = nsctl_read_file(name, file, buf, sizeof(buf));

	if (ret < 0)
		return ret;
	*v = strtoull(buf, NULL, 10);
	return 0;
}

int nsctl_read_info(const char *name, struct nsctl_info *info)
{
	char buf[8192], *line, *save = NULL;
	int ret;

	memset(info, 0, sizeof(*info));
	snprintf(info->name, sizeof(info->name), "%s", name);
	ret = read_u64(name, "id", &info->id);
	if (!ret)
		ret = read_u64(name, "generation", &info->generation);
	if (!ret)
		ret = nsctl_read_file(name, "uuid", info->uuid, sizeof(info->uuid));
	if (ret < 0)
		return ret;
	info->uuid[strcspn(info->uuid, "\n")] = '\0';

	ret = nsctl_read_file(name, "namespaces", buf, sizeof(buf));
	if (ret < 0)
		return ret;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char tname[16], val[32], uuid[37] = "";
		unsigned int i;

		if (sscanf(line, "%15s %31s %36s", tname, val, uuid) < 2)
			continue;
		for (i = 0; i < NSCTL_NS_COUNT; i++) {
			if (strcmp(tname, types[i].name) || val[0] == '-')
				continue;
			info->ns_inum[i] = strtoull(val, NULL, 10);
			memcpy(info->ns_uuid[i], uuid, sizeof(uuid));
		}
	}

	ret = nsctl_read_file(name, "cgroup", info->cgroup, sizeof(info->cgroup));
	if (ret < 0)
		return ret;
	info->cgroup[strcspn(info->cgroup, "\n")] = '\0';
	if (!strcmp(info->cgroup, "-"))
		info->cgroup[0] = '\0';

	ret = nsctl_read_file(name, "stat", buf, sizeof(buf));
	if (ret < 0)
		return ret;
	save = NULL;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char key[32], val[32];

		if (sscanf(line, "%31s %31s", key, val) != 2)
			continue;
		if (!strcmp(key, "tasks"))
			info->tasks = strtoull(val, NULL, 10);
		else if (!strcmp(key, "enters"))
			info->enters = strtoull(val, NULL, 10);
		else if (!strcmp(key, "created"))
			info->created = strtoll(val, NULL, 10);
		else if (!strcmp(key, "pid_init"))
			snprintf(info->pid_init, sizeof(info->pid_init), "%.15s", val);
	}
	return 0;
}

int nsctl_type_from_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		if (!strcmp(name, types[i].name))
			return i;
	return -1;
}

static int nsctl_root_fd(void)
{
	int fd, err = nsctl_ensure_mounted();

	if (err)
		return err;
	fd = open(NSCTL_MOUNT_POINT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int nsctl_ns_info(int nsfd, struct nsctl_ns_info *info, uint64_t *cids,
		  uint32_t max_cids)
{
	int root = nsctl_root_fd(), err = 0;

	if (root < 0)
		return root;
	memset(info, 0, sizeof(*info));
	info->fd = nsfd;
	info->containers = (uintptr_t)cids;
	info->containers_max = cids ? max_cids : 0;
	if (ioctl(root, NSCTL_IOC_NS_INFO, info))
		err = -errno;
	close(root);
	return err;
}

int nsctl_ns_open(const uint8_t uuid[16])
{
	struct nsctl_ns_open args = { 0 };
	int root = nsctl_root_fd(), fd;

	if (root < 0)
		return root;
	memcpy(args.uuid, uuid, 16);
	fd = ioctl(root, NSCTL_IOC_NS_OPEN, &args);
	if (fd < 0)
		fd = -errno;
	close(root);
	return fd;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

int nsctl_list_names(char ***names, size_t *count)
{
	size_t n = 0, cap = 0;
	struct dirent *de;
	char **v = NULL;
	DIR *d;

	d = opendir(NSCTL_MOUNT_POINT);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		if (n == cap) {
			char **nv;

			cap = cap ? cap * 2 : 64;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto err;
			v = nv;
		}
		v[n] = strdup(de->d_name);
		if (!v[n])
			goto err;
		n++;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_names);
	*names = v;
	*count = n;
	return 0;
err:
	closedir(d);
	nsctl_free_names(v, n);
	return -ENOMEM;
}

void nsctl_free_names(char **names, size_t count)
{
	while (count)
		free(names[--count]);
	free(names);
}
