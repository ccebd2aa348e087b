// SPDX-License-Identifier: GPL-2.0
/*
 * Where containers' cgroups are made, and the configuration that says so.
 *
 * On a host run by systemd, a program other than systemd may only make
 * cgroups inside a subtree systemd delegated to it (systemd's
 * CGROUP_DELEGATION.md).  nsctl's subtree is the cgroup of nsctl.service,
 * which has Delegate=yes: containers' cgroups are made below it, and the
 * only attribute nsctl writes outside a container's own cgroup is the
 * delegated cgroup's cgroup.subtree_control, which the kernel and systemd
 * leave to the delegatee.  Without systemd, the documented default is
 * /sys/fs/cgroup/nsctl, and the controllers are enabled on the way to it.
 * cgroup-parent= in nsctl.conf overrides both; nsctl then touches nothing
 * above the parent it was given.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "nsctl.h"

int nsctl_write_attr(const char *path, const char *val)
{
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != strlen(val))
		ret = -EIO;
	close(fd);
	return ret;
}

/* The first line of a small file, without its newline. */
static int read_line(const char *file, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

const char *nsctl_config_path(void)
{
	const char *p = getenv("NSCTL_CONFIG");

	return p && *p ? p : NSCTL_CONFIG_FILE;
}

/* sd_booted(): the directory systemd makes when it is PID 1. */
bool nsctl_systemd_booted(void)
{
	struct stat st;

	return !lstat("/run/systemd/system", &st) && S_ISDIR(st.st_mode);
}

/*
 * A cgroup below the root, absolute or relative to it: written out as
 * <root>/a/b, with "." and ".." refused and repeated slashes folded, so
 * that the parent can neither be the root nor lie above it, and compares
 * equal to the kernel's own spelling of it.
 */
static int cgroup_path(const char *v, char *out, size_t len)
{
	size_t root = strlen(NSCTL_CGROUP_ROOT), n;
	const char *seg = v, *end;

	if (!strncmp(v, NSCTL_CGROUP_ROOT, root) && (v[root] == '/' || !v[root]))
		seg = v + root;
	n = snprintf(out, len, NSCTL_CGROUP_ROOT);
	while (*seg) {
		seg += strspn(seg, "/");
		end = seg + strcspn(seg, "/");
		if (end == seg)
			break;
		if ((end - seg == 1 && seg[0] == '.') ||
		    (end - seg == 2 && seg[0] == '.' && seg[1] == '.'))
			return -EINVAL;
		if (n + 1 + (end - seg) >= len)
			return -ENAMETOOLONG;
		out[n++] = '/';
		memcpy(out + n, seg, end - seg);
		n += end - seg;
		out[n] = '\0';
		seg = end;
	}
	return n > root ? 0 : -EINVAL;
}

int nsctl_config_read(struct nsctl_config *cfg)
{
	const char *file = nsctl_config_path();
	char line[4200], where[4400];
	unsigned int lineno = 0;
	FILE *f;
	int ret = 0;

	memset(cfg, 0, sizeof(*cfg));
	if (nsctl_systemd_booted()) {
		char rec[4096] = "";

		/* Where nsctl.service really runs (a Slice= drop-in moves it). */
		if (read_line(NSCTL_SERVICE_RECORD, rec, sizeof(rec)) ||
		    cgroup_path(rec, cfg->cgroup_parent, sizeof(cfg->cgroup_parent)))
			snprintf(cfg->cgroup_parent, sizeof(cfg->cgroup_parent), "%s",
				 NSCTL_CGROUP_ROOT "/" NSCTL_SYSTEMD_CGROUP);
		cfg->parent_kind = NSCTL_PARENT_SYSTEMD;
	} else {
		snprintf(cfg->cgroup_parent, sizeof(cfg->cgroup_parent), "%s",
			 NSCTL_CGROUP_ROOT "/" NSCTL_CGROUP_PARENT);
		cfg->parent_kind = NSCTL_PARENT_DEFAULT;
	}

	f = fopen(file, "re");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		return fail("configuration", "cannot read %s: %s", file, strerror(errno));
	}
	while (fgets(line, sizeof(line), f)) {
		char *key, *val, *eq, *end;

		lineno++;
		snprintf(where, sizeof(where), "%s:%u", file, lineno);
		if (!strchr(line, '\n') && !feof(f)) {
			ret = fail(where, "line too long");
			break;
		}
		key = line + strspn(line, " \t");
		end = key + strlen(key);
		while (end > key && strchr(" \t\r\n", end[-1]))
			*--end = '\0';
		if (!*key || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			ret = fail(where, "\"%s\" is not KEY=VALUE", key);
			break;
		}
		*eq = '\0';
		val = eq + 1;
		val += strspn(val, " \t");
		for (end = eq; end > key && strchr(" \t", end[-1]); )
			*--end = '\0';
		if (!strcmp(key, "cgroup-parent")) {
			if (cgroup_path(val, cfg->cgroup_parent, sizeof(cfg->cgroup_parent))) {
				ret = fail(where, "cgroup-parent: \"%s\" is not a cgroup below "
					   NSCTL_CGROUP_ROOT, val);
				break;
			}
			cfg->parent_kind = NSCTL_PARENT_CONFIGURED;
		} else {
			ret = fail(where, "unknown key \"%s\" (known: cgroup-parent)", key);
			break;
		}
	}
	fclose(f);
	return ret;
}

/*
 * Make the parent ready for a container's cgroup: the controllers nsctl's
 * limits use enabled in it, where its own parent offers them.
 */
static void enable_controllers(const char *dir)
{
	static const char * const ctrls[] = { "memory", "pids", "cpu" };
	char path[4200], avail[512], buf[16];
	ssize_t n;
	size_t i;
	int fd;

	snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, avail, sizeof(avail) - 1);
	close(fd);
	if (n <= 0)
		return;
	avail[n] = '\0';
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
	for (i = 0; i < sizeof(ctrls) / sizeof(ctrls[0]); i++) {
		if (!strstr(avail, ctrls[i]))
			continue;
		snprintf(buf, sizeof(buf), "+%s", ctrls[i]);
		/* Refused while processes sit in @dir itself: see nsctl_cgroup_leave(). */
		nsctl_write_attr(path, buf);
	}
}

int nsctl_cgroup_prepare(const struct nsctl_config *cfg, const char *what)
{
	const char *parent = cfg->cgroup_parent;

	switch (cfg->parent_kind) {
	case NSCTL_PARENT_DEFAULT:
		enable_controllers(NSCTL_CGROUP_ROOT);
		if (mkdir(parent, 0755) && errno != EEXIST)
			return fail(what, "cannot create the cgroup %s: %s (is cgroup v2 mounted at "
				    NSCTL_CGROUP_ROOT "? --no-cgroup makes a container without one)",
				    parent, strerror(errno));
		break;
	case NSCTL_PARENT_SYSTEMD:
		/* Made by systemd with the service; never by nsctl. */
		if (access(parent, F_OK))
			return fail(what, "%s does not exist: nsctl.service, whose delegated cgroup "
				    "holds containers' cgroups on a systemd host, is not running "
				    "(systemctl start nsctl.service; --no-cgroup makes a container "
				    "without one)", parent);
		break;
	case NSCTL_PARENT_CONFIGURED:
		if (mkdir(parent, 0755) && errno != EEXIST)
			return fail(what, "cannot create the cgroup %s (cgroup-parent in %s): %s",
				    parent, nsctl_config_path(), strerror(errno));
		break;
	}
	enable_controllers(parent);
	return 0;
}

/*
 * Run by systemd as nsctl.service, 'nsctl boot --service' finds the service's
 * cgroup in /proc/self/cgroup and records it for later commands (a Slice=
 * drop-in puts it elsewhere than system.slice).  cgroup v2 lets a cgroup
 * have processes or enabled controllers, not both: a process in the
 * parent itself moves into a leaf below it before the controllers are
 * enabled.  The leaf's name starts with '.', which no container name does.
 */
int nsctl_cgroup_boot(struct nsctl_config *cfg, const char *what)
{
	char self[4096], leaf[4200];
	const char *base;
	int err, fd;

	if (read_line("/proc/self/cgroup", self, sizeof(self)) || strncmp(self, "0::/", 4))
		return 0;
	base = strrchr(self, '/') + 1;
	if (cfg->parent_kind == NSCTL_PARENT_SYSTEMD && !strcmp(base, "nsctl.service") &&
	    !cgroup_path(self + 3, cfg->cgroup_parent, sizeof(cfg->cgroup_parent))) {
		mkdir("/run/nsctl", 0755);
		fd = open(NSCTL_SERVICE_RECORD, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0 || dprintf(fd, "%s\n", self + 3) < 0)
			fail(what, "cannot record nsctl.service's cgroup in %s: %s",
			     NSCTL_SERVICE_RECORD, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	if (strcmp(self + 3, cfg->cgroup_parent + strlen(NSCTL_CGROUP_ROOT)))
		return 0;
	snprintf(leaf, sizeof(leaf), "%s/" NSCTL_BOOT_LEAF, cfg->cgroup_parent);
	if (mkdir(leaf, 0755) && errno != EEXIST)
		return fail(what, "cannot create the cgroup %s: %s", leaf, strerror(errno));
	strcat(leaf, "/cgroup.procs");
	err = nsctl_write_attr(leaf, "0");
	if (err)
		return fail(what, "cannot move into %s: %s", leaf, strerror(-err));
	return 0;
}

/*
 * A cgroup nsctl makes carries its container's name in an extended
 * attribute, so that delete and declare know it for nsctl's own whatever
 * the parent was when it was made.  A pool member's cgroup, made before
 * the member has a name, carries "~<pool>" instead: no container name
 * starts with '~', and whoever claims the member owns the cgroup.
 */
void nsctl_cgroup_mark(const char *path, const char *name)
{
	/* Without the mark, the path alone decides (nsctl_cgroup_made()). */
	(void)setxattr(path, NSCTL_CGROUP_XATTR, name, strlen(name), 0);
}

bool nsctl_cgroup_made(const struct nsctl_config *cfg, const char *name, const char *rel)
{
	char path[4200], v[NSCTL_NAME_MAX + 1], own[4200];
	ssize_t n;

	if (!rel[0])
		return false;
	snprintf(path, sizeof(path), NSCTL_CGROUP_ROOT "%s", rel);
	n = getxattr(path, NSCTL_CGROUP_XATTR, v, sizeof(v) - 1);
	if (n >= 0) {
		v[n] = '\0';
		return v[0] == NSCTL_POOL_MARK || !strcmp(v, name);
	}
	if (cfg) {
		nsctl_cgroup_own(cfg, name, own, sizeof(own));
		if (!strcmp(rel, own))
			return true;
	}
	snprintf(own, sizeof(own), "/" NSCTL_CGROUP_PARENT "/%s", name);
	return !strcmp(rel, own);
}

/* "/nsctl/web" for a container of this name in the configured parent. */
void nsctl_cgroup_own(const struct nsctl_config *cfg, const char *name, char *out,
		      size_t len)
{
	snprintf(out, len, "%s/%s", cfg->cgroup_parent + strlen(NSCTL_CGROUP_ROOT), name);
}
