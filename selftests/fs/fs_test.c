// SPDX-License-Identifier: GPL-2.0
/*
 * The nsctl filesystem and the module's lifecycle: registration, mounting,
 * one tree for every mount, unmounting, and unloading only when unused.
 */
#include <dirent.h>
#include <sys/statfs.h>

#include "kselftest_harness.h"
#include "nsctl_test.h"
#include "nsctl_nl.h"

#define SQUAT_MODULE	"/nsctl/nsctl_squat.ko"
#define SQUAT_PARAMS	"/sys/module/nsctl_squat/parameters/"

FIXTURE(mnt) {
	char dir1[64];
	char dir2[64];
};

FIXTURE_SETUP(mnt)
{
	strcpy(self->dir1, "/tmp/nsctl-fs-XXXXXX");
	strcpy(self->dir2, "/tmp/nsctl-fs-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir1));
	ASSERT_NE(NULL, mkdtemp(self->dir2));
}

FIXTURE_TEARDOWN(mnt)
{
	umount2(self->dir1, MNT_DETACH);
	umount2(self->dir2, MNT_DETACH);
	rmdir(self->dir1);
	rmdir(self->dir2);
}

/* Containers (directories) at the top of @path. */
static int count_containers(const char *path)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_type == DT_DIR && strcmp(de->d_name, ".") &&
		    strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

TEST(registered)
{
	struct stat st;

	ASSERT_TRUE(fs_registered(NSCTL_FS_NAME));
	ASSERT_EQ(0, stat(NSCTL_MOUNT_POINT, &st)) {
		TH_LOG("%m - the module creates " NSCTL_MOUNT_POINT);
	}
	ASSERT_TRUE(S_ISDIR(st.st_mode));
}

TEST_F(mnt, mount_shows_empty_root)
{
	struct statfs sfs;
	struct stat st;

	ASSERT_EQ(0, mount("none", self->dir1, NSCTL_FS_NAME, 0, NULL)) {
		TH_LOG("%m - mount -t nsctl");
	}
	ASSERT_EQ(0, statfs(self->dir1, &sfs));
	ASSERT_EQ(NSCTL_SUPER_MAGIC, (unsigned long)sfs.f_type);
	ASSERT_EQ(0, stat(self->dir1, &st));
	ASSERT_TRUE(S_ISDIR(st.st_mode));
	/* Only root may change the top level. */
	ASSERT_EQ(0, st.st_mode & 022);
	ASSERT_EQ(0, count_containers(self->dir1));
	/* The only file at the top: the namespace listing. */
	ASSERT_EQ(0, stat(NSCTL_MOUNT_POINT "/namespaces", &st));
	ASSERT_EQ(S_IFREG | 0444, st.st_mode);
}

TEST_F(mnt, double_mount_same_tree)
{
	struct stat st1, st2;

	ASSERT_EQ(0, mount("none", self->dir1, NSCTL_FS_NAME, 0, NULL));
	ASSERT_EQ(0, mount("none", self->dir2, NSCTL_FS_NAME, 0, NULL));
	ASSERT_EQ(0, stat(self->dir1, &st1));
	ASSERT_EQ(0, stat(self->dir2, &st2));
	/* One superblock: the same device and the same root inode. */
	ASSERT_EQ(st1.st_dev, st2.st_dev);
	ASSERT_EQ(st1.st_ino, st2.st_ino);
	/* And the same as the VM's own mount at /sys/fs/nsctl. */
	ASSERT_EQ(0, stat(NSCTL_MOUNT_POINT, &st2));
	ASSERT_EQ(st1.st_dev, st2.st_dev);
}

TEST_F(mnt, unmount)
{
	struct statfs sfs;

	ASSERT_EQ(0, mount("none", self->dir1, NSCTL_FS_NAME, 0, NULL));
	ASSERT_TRUE(nsctl_mounted_at(self->dir1));
	ASSERT_EQ(0, umount(self->dir1)) {
		TH_LOG("%m - umount");
	}
	ASSERT_FALSE(nsctl_mounted_at(self->dir1));
	ASSERT_EQ(0, statfs(self->dir1, &sfs));
	ASSERT_NE(NSCTL_SUPER_MAGIC, (unsigned long)sfs.f_type);
}

TEST_F(mnt, mount_options_rejected)
{
	ASSERT_EQ(-1, mount("none", self->dir1, NSCTL_FS_NAME, 0, "size=1"));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_FALSE(nsctl_mounted_at(self->dir1));
}

static int try_mount(void *arg)
{
	const char *dir = arg;

	if (mount("none", dir, NSCTL_FS_NAME, 0, NULL) == 0)
		return 1;
	return errno == EPERM ? 0 : 2;
}

TEST_F(mnt, unprivileged_mount_refused)
{
	ASSERT_EQ(0, chmod(self->dir1, 0777));
	ASSERT_EQ(0, run_unprivileged(try_mount, self->dir1));
	ASSERT_FALSE(nsctl_mounted_at(self->dir1));
}

/*
 * Unloading: refused while any mount exists, allowed once none does.  The
 * VM mounts /sys/fs/nsctl before the tests; this test takes it down and
 * puts the module and the mount back when it is done.
 */
FIXTURE(unload) {
	char dir[64];
};

FIXTURE_SETUP(unload)
{
	strcpy(self->dir, "/tmp/nsctl-unload-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, access(NSCTL_TEST_MODULE, R_OK)) {
		TH_LOG("%m - the VM keeps the module at " NSCTL_TEST_MODULE);
	}
}

FIXTURE_TEARDOWN(unload)
{
	umount2(self->dir, MNT_DETACH);
	rmdir(self->dir);
	if (!fs_registered(NSCTL_FS_NAME))
		nsctl_load_module();
	if (!nsctl_mounted_at(NSCTL_MOUNT_POINT))
		mount("none", NSCTL_MOUNT_POINT, NSCTL_FS_NAME, 0, NULL);
}

TEST_F(unload, refused_while_mounted)
{
	struct stat st;

	if (nsctl_mounted_at(NSCTL_MOUNT_POINT))
		ASSERT_EQ(0, umount(NSCTL_MOUNT_POINT));
	ASSERT_EQ(0, mount("none", self->dir, NSCTL_FS_NAME, 0, NULL));

	ASSERT_EQ(-1, sys_delete_module("nsctl", O_NONBLOCK));
	ASSERT_EQ(EWOULDBLOCK, errno);
	ASSERT_TRUE(fs_registered(NSCTL_FS_NAME));
	ASSERT_TRUE(nsctl_mounted_at(self->dir));

	ASSERT_EQ(0, umount(self->dir));
	/*
	 * Mount namespaces that earlier tests made hold copies of the nsctl
	 * mount; nsctl lets go of those it tracked within a collector period,
	 * and their mounts go a little after.
	 */
	ASSERT_TRUE(wait_for(sys_delete_module("nsctl", O_NONBLOCK) == 0, 30000)) {
		TH_LOG("%m - delete_module with nothing mounted");
	}
	ASSERT_FALSE(fs_registered(NSCTL_FS_NAME));
	ASSERT_EQ(-1, stat(NSCTL_MOUNT_POINT, &st));
	ASSERT_EQ(ENOENT, errno);

	ASSERT_EQ(0, nsctl_load_module()) {
		TH_LOG("%m - reloading " NSCTL_TEST_MODULE);
	}
	ASSERT_TRUE(fs_registered(NSCTL_FS_NAME));
	ASSERT_EQ(0, mount("none", NSCTL_MOUNT_POINT, NSCTL_FS_NAME, 0, NULL));
}

/* The first character of a sysfs file, or 0. */
static char sysfs_char(const char *path)
{
	char c = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, &c, 1) != 1)
			c = 0;
		close(fd);
	}
	return c;
}

static int load_module_at(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = sys_finit_module(fd, "", 0);
	close(fd);
	return ret;
}

/*
 * Loading fails cleanly when the netlink family's name is taken, and
 * nothing a user can hold exists before that step: nsctl_squat takes the
 * name "nsctl" and holds the generic netlink lock (a command of its that
 * blocks), so nsctl's load stops inside genl_register_family() for as
 * long as the test looks.  The filesystem must not be registered then,
 * and a mount must fail; once released, the load fails with EEXIST, and
 * nsctl loads again once the name is free.  (A filesystem registered
 * first would be mounted here, and freed under the mount when the load
 * failed.)
 */
TEST_F(unload, load_fails_cleanly_when_the_family_name_is_taken)
{
	int sender, loader, status, mret, merr, i, fd;
	bool appeared = false;
	struct nl_req r;
	struct nl nl;

	ASSERT_EQ(0, access(SQUAT_MODULE, R_OK));
	if (nsctl_mounted_at(NSCTL_MOUNT_POINT))
		ASSERT_EQ(0, umount(NSCTL_MOUNT_POINT));
	ASSERT_TRUE(wait_for(sys_delete_module("nsctl", O_NONBLOCK) == 0, 30000)) {
		TH_LOG("%m - delete_module with nothing mounted");
	}
	ASSERT_EQ(0, load_module_at(SQUAT_MODULE)) {
		TH_LOG("%m - loading " SQUAT_MODULE);
	}

	/* Its command, sent from a child that waits in sendmsg(2). */
	ASSERT_EQ(0, nl_open(&nl));
	nl_req_init(&r, &nl, nl.family, 1, 0);
	sender = fork();
	ASSERT_GE(sender, 0);
	if (sender == 0)
		_exit(nl_send(&nl, &r) ? 1 : 0);
	ASSERT_TRUE(wait_for(sysfs_char(SQUAT_PARAMS "blocked") == '1', 30000));

	loader = fork();
	ASSERT_GE(loader, 0);
	if (loader == 0)
		_exit(nsctl_load_module() ? errno : 0);
	ASSERT_TRUE(wait_for(sysfs_char("/sys/module/nsctl/initstate") == 'c', 30000));
	/*
	 * The load is under way and cannot finish.  How long the test looks
	 * for the filesystem bounds only the search: it decides nothing on
	 * its own, and a correct module never registers it here.
	 */
	for (i = 0; i < 100 && !appeared; i++) {
		appeared = fs_registered(NSCTL_FS_NAME);
		usleep(20000);
	}
	mret = mount("none", self->dir, NSCTL_FS_NAME, 0, NULL);
	merr = errno;

	fd = open(SQUAT_PARAMS "release", O_WRONLY | O_CLOEXEC);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(1, write(fd, "1", 1));
	close(fd);
	ASSERT_EQ(loader, waitpid(loader, &status, 0));
	ASSERT_EQ(sender, waitpid(sender, NULL, 0));
	nl_close(&nl);
	if (mret == 0)
		umount2(self->dir, MNT_DETACH);
	EXPECT_FALSE(appeared);
	EXPECT_EQ(-1, mret);
	EXPECT_EQ(ENODEV, merr);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(EEXIST, WEXITSTATUS(status));
	EXPECT_FALSE(fs_registered(NSCTL_FS_NAME));

	ASSERT_EQ(0, sys_delete_module("nsctl_squat", O_NONBLOCK)) {
		TH_LOG("%m - unloading nsctl_squat");
	}
	ASSERT_EQ(0, nsctl_load_module()) {
		TH_LOG("%m - loading nsctl once the name is free");
	}
	ASSERT_EQ(0, mount("none", NSCTL_MOUNT_POINT, NSCTL_FS_NAME, 0, NULL));
}

#define TRACING		"/sys/kernel/tracing/"

/* Runs of nsctl's namespace collector in the trace since it was cleared. */
static int collector_runs(void)
{
	char line[512];
	int n = 0;
	FILE *f;

	f = fopen(TRACING "trace", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "workqueue_execute_start") && strstr(line, "nsid_gc_fn"))
			n++;
	fclose(f);
	return n;
}

/* Runs of the collector while @secs pass, counted by the kernel's tracer. */
static int collector_runs_during(int secs)
{
	if (write_file(TRACING "trace", ""))
		return -1;
	sleep(secs);
	return collector_runs();
}

/*
 * The namespace collector works only when there may be something to
 * collect: with a freshly loaded module and a container holding the only
 * namespace nsctl tracks (besides the initial ones, which never go), it
 * does not run at all; once the container is deleted it collects the
 * namespace and stops again.  The kernel's workqueue tracepoint counts
 * its runs; the observation periods only give a busy collector (one that
 * runs every quarter second) time to show.
 */
TEST_F(unload, collector_idle_with_nothing_to_collect)
{
	int release, dirfd, fds[NSCTL_NS_COUNT], i;
	char name[64], path[64];
	struct nsctl_ns_info info = { 0 };
	struct nsctl_ns_open o = { 0 };
	pid_t holder;

	if (access(TRACING "trace", F_OK))
		ASSERT_EQ(0, mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL));
	if (nsctl_mounted_at(NSCTL_MOUNT_POINT))
		ASSERT_EQ(0, umount(NSCTL_MOUNT_POINT));
	ASSERT_TRUE(wait_for(sys_delete_module("nsctl", O_NONBLOCK) == 0, 30000));
	ASSERT_EQ(0, nsctl_load_module());
	ASSERT_EQ(0, mount("none", NSCTL_MOUNT_POINT, NSCTL_FS_NAME, 0, NULL));
	ASSERT_EQ(0, write_file(TRACING "events/workqueue/workqueue_execute_start/enable", "1"));

	snprintf(name, sizeof(name), "idle%d", getpid());
	dirfd = ct_make(name);
	ASSERT_GE(dirfd, 0);
	holder = ns_holder(CLONE_NEWUTS, &release);
	ASSERT_GT(holder, 0);
	for (i = 0; i < NSCTL_NS_COUNT; i++)
		fds[i] = -1;
	snprintf(path, sizeof(path), "/proc/%d/ns/uts", holder);
	fds[NSCTL_NS_UTS] = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_GE(fds[NSCTL_NS_UTS], 0);
	ASSERT_EQ(0, ct_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_UTS), fds, 0, NULL));
	info.fd = fds[NSCTL_NS_UTS];
	i = open(NSCTL_TEST_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_GE(i, 0);
	ASSERT_EQ(0, ioctl(i, NSCTL_IOC_NS_INFO, &info));
	close(fds[NSCTL_NS_UTS]);
	ns_holder_end(holder, release);

	/* Held by the container alone: nothing to collect, no run. */
	EXPECT_EQ(0, collector_runs_during(2));

	/* Let go: collected, and then idle again. */
	close(dirfd);
	ASSERT_EQ(0, ct_remove(name));
	memcpy(o.uuid, info.uuid, sizeof(o.uuid));
	/* A descriptor NS_OPEN hands out meanwhile pins it: closed at once. */
	ASSERT_TRUE(wait_for(({ int f = ioctl(i, NSCTL_IOC_NS_OPEN, &o); if (f >= 0) close(f);
				 f < 0 && errno == ESTALE; }), 30000));
	ASSERT_LE(1, collector_runs());
	EXPECT_EQ(0, collector_runs_during(2));
	close(i);
	write_file(TRACING "events/workqueue/workqueue_execute_start/enable", "0");
}

TEST_HARNESS_MAIN
