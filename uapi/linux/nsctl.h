/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nsctl: container objects for Linux namespaces.
 *
 * This header is the whole contract between the nsctl kernel module and
 * userspace.  Everything a program may rely on is described here.
 *
 * The filesystem
 * ==============
 *
 * The module registers a filesystem type named "nsctl" and creates the
 * empty directory /sys/fs/nsctl as its mount point:
 *
 *	mount -t nsctl none /sys/fs/nsctl
 *
 * Every mount of the type shows the same tree: there is one superblock
 * per running kernel, whatever the mounting process's namespaces.  The
 * filesystem takes no mount options; any option is refused with EINVAL.
 * Mounting needs CAP_SYS_ADMIN in the initial user namespace.
 *
 * statfs(2) reports NSCTL_SUPER_MAGIC as f_type.
 *
 * While the filesystem is mounted somewhere, or any container exists, the
 * module cannot be unloaded (delete_module(2) fails with EWOULDBLOCK).
 *
 * Containers
 * ==========
 *
 * A container is a directory at the top of the filesystem.  It has
 *
 *  - a name: 1 to NSCTL_NAME_MAX characters from [A-Za-z0-9_.-], not
 *    starting with '.', unique;
 *  - an id: a 64-bit number, never reused while the module is loaded;
 *  - a UUID: random, or set right after creation (NSCTL_IOC_SET_UUID) to
 *    recreate a container under a known identity; unique among live
 *    containers;
 *  - a generation: starts at 1 and grows by one with every change to what
 *    the container aggregates (one step per NSCTL_IOC_SET_NS or
 *    NSCTL_IOC_SET_CGROUP call, however many slots it changes);
 *  - one slot per namespace type (enum nsctl_ns_type), empty or holding a
 *    reference that keeps the namespace alive with no process in it.  An
 *    empty slot means "whatever the caller already has".  The pid slot is
 *    the PID namespace the container's processes are born into;
 *  - optionally a cgroup v2 directory, held by reference;
 *  - its creation time and counters.
 *
 * A task is inside a container when the container has at least one
 * non-empty slot and, for every non-empty slot, the task's namespace of
 * that type is the slot's (for pid: the task's active PID namespace is the
 * slot's or a descendant of it).
 *
 * mkdir(2) creates an empty container; rmdir(2) deletes it and drops every
 * reference it held.  Both need CAP_SYS_ADMIN in the initial user
 * namespace.  Errors:
 *
 *	EINVAL		the name has a character outside the allowed set,
 *			or starts with '.'
 *	ENAMETOOLONG	the name is longer than NSCTL_NAME_MAX
 *	EEXIST		a container of that name exists
 *	EBUSY		(rmdir) processes are inside the container
 *	EPERM		the caller lacks CAP_SYS_ADMIN
 *
 * Files in a container's directory (all read-only, mode 0444; each reads
 * as text ending in a newline):
 *
 *	id		the container's id, decimal
 *	uuid		its UUID, 36 characters, lower case
 *	generation	its generation, decimal
 *	namespaces	a line per type in enum order, "<type> <inode>" for a
 *			held namespace (inode as in /proc/PID/ns/<type>) or
 *			"<type> -" for an empty slot
 *	cgroup		the held cgroup's path as the reader's cgroup namespace
 *			sees it, or "-"
 *	procs		the PIDs of the processes inside, one per line, as the
 *			reader's PID namespace numbers them; processes the
 *			reader cannot see are left out
 *	stat		"key value" lines:
 *			  tasks N      processes inside
 *			  enters N     successful enters so far
 *			  created S    creation time, seconds since the epoch
 *			  pid_init X   the held PID namespace's init:
 *			               none (no process forked into it yet),
 *			               running, dead (no process can join it
 *			               any more), or - when the pid slot is
 *			               empty
 *
 * A file of a deleted container, still open, reads ENODEV.
 *
 * Ioctls
 * ======
 *
 * Issued on a container's directory, opened with open(2) (O_RDONLY |
 * O_DIRECTORY is enough).  Argument structs are versioned by size, like
 * clone_args: the size is the one encoded in the ioctl number, the kernel
 * accepts any size from the first version's up to a page, zero-fills what
 * an older caller did not pass, and refuses with E2BIG a newer caller's
 * trailing fields that are not zero.  Unknown flag bits are refused with
 * EOPNOTSUPP, and reserved fields that are not zero with EINVAL.  On a
 * deleted container every ioctl fails with ESTALE; an unknown ioctl with
 * ENOTTY.
 */
#ifndef _UAPI_LINUX_NSCTL_H
#define _UAPI_LINUX_NSCTL_H

#include <linux/const.h>
#include <linux/types.h>

/* Name of the filesystem type and its customary mount point. */
#define NSCTL_FS_NAME		"nsctl"
#define NSCTL_MOUNT_POINT	"/sys/fs/nsctl"

/* f_type reported by statfs(2) for an nsctl mount ("nscl"). */
#define NSCTL_SUPER_MAGIC	0x6e73636c

/* Longest container name. */
#define NSCTL_NAME_MAX		63

/* Namespace types: slot indexes, and bits of type masks (1 << type). */
enum nsctl_ns_type {
	NSCTL_NS_MNT,
	NSCTL_NS_UTS,
	NSCTL_NS_IPC,
	NSCTL_NS_NET,
	NSCTL_NS_PID,
	NSCTL_NS_USER,
	NSCTL_NS_CGROUP,
	NSCTL_NS_TIME,
	NSCTL_NS_COUNT
};

#define NSCTL_NS_BIT(type)	_BITULL(type)
#define NSCTL_NS_ALL		(NSCTL_NS_BIT(NSCTL_NS_COUNT) - 1)

/* Values of "pid_init" in the stat file. */
enum nsctl_pid_init {
	NSCTL_PID_INIT_NONE,
	NSCTL_PID_INIT_RUNNING,
	NSCTL_PID_INIT_DEAD,
};

#define NSCTL_IOC_MAGIC		0xE7

/**
 * struct nsctl_set_ns - NSCTL_IOC_SET_NS: attach, detach and replace
 * @flags:	NSCTL_SET_NS_* bits.
 * @attach:	types to fill from @fds (a filled slot is replaced).
 * @detach:	types whose slots are emptied.  A type may not be in both.
 * @generation:	in, with NSCTL_SET_NS_CHECK_GEN: the generation the caller
 *		expects, else ESTALE and nothing changes; out: the
 *		container's generation after the call.
 * @fds:	for each type in @attach, an nsfs file descriptor of that
 *		type (/proc/PID/ns/X, a bind mount of one, an fd from
 *		NSCTL_IOC_GET_NS...); other entries are ignored.
 * @pid:	with NSCTL_SET_NS_PID_OF_TASK: a process, as the caller's PID
 *		namespace numbers it, whose pid_for_children namespace fills
 *		the pid slot (which must be in @attach; @fds[NSCTL_NS_PID] is
 *		then ignored).  This is how a PID namespace that has no
 *		process yet is held: the kernel does not let
 *		/proc/PID/ns/pid_for_children be opened before its first
 *		process is forked.  ESRCH when there is no such process.
 * @__reserved:	must be 0.
 *
 * The whole change is applied at once or not at all, as one generation
 * step (none when nothing changed).  Needs CAP_SYS_ADMIN in the initial
 * user namespace (else EPERM).  Errors: EBADF for an fd that is not open,
 * EINVAL for an fd that is not an nsfs file or whose namespace is not of
 * the type given, for a type in both masks or for bits beyond
 * NSCTL_NS_ALL; ESTALE for a generation mismatch.
 */
struct nsctl_set_ns {
	__aligned_u64 flags;
	__aligned_u64 attach;
	__aligned_u64 detach;
	__aligned_u64 generation;
	__s32 fds[NSCTL_NS_COUNT];
	__s32 pid;
	__u32 __reserved;
};

#define NSCTL_SET_NS_CHECK_GEN		_BITULL(0)
#define NSCTL_SET_NS_PID_OF_TASK	_BITULL(1)
#define NSCTL_SET_NS_ALL		(NSCTL_SET_NS_CHECK_GEN | \
					 NSCTL_SET_NS_PID_OF_TASK)
#define NSCTL_SET_NS_SIZE_VER0		72

/**
 * struct nsctl_get_ns - NSCTL_IOC_GET_NS: a held namespace as an fd
 * @flags:	none defined yet; must be 0.
 * @type:	enum nsctl_ns_type.
 * @__reserved:	must be 0.
 *
 * Returns a new close-on-exec nsfs file descriptor for the namespace in
 * slot @type, usable with setns(2).  The caller must pass the checks that
 * setns(2) itself would make for that namespace (CAP_SYS_ADMIN over its
 * owning user namespace and its own; for pid, the namespace must be the
 * caller's or below it): else EPERM.  ENOENT when the slot is empty,
 * EINVAL for an unknown type.
 */
struct nsctl_get_ns {
	__aligned_u64 flags;
	__u32 type;
	__u32 __reserved;
};

#define NSCTL_GET_NS_SIZE_VER0	16

/**
 * struct nsctl_set_cgroup - NSCTL_IOC_SET_CGROUP: bind a cgroup v2 directory
 * @flags:	none defined yet; must be 0.
 * @fd:		a cgroup v2 directory, or -1 to unbind.
 * @__reserved:	must be 0.
 * @generation:	out: the container's generation after the call.
 *
 * The container holds the cgroup by reference.  Needs CAP_SYS_ADMIN in
 * the initial user namespace.  EBADF when @fd is not a cgroup v2
 * directory.
 */
struct nsctl_set_cgroup {
	__aligned_u64 flags;
	__s32 fd;
	__u32 __reserved;
	__aligned_u64 generation;
};

#define NSCTL_SET_CGROUP_SIZE_VER0	24

/**
 * struct nsctl_set_uuid - NSCTL_IOC_SET_UUID: give a container a known UUID
 * @flags:	none defined yet; must be 0.
 * @uuid:	the UUID, in RFC 9562 byte order; the nil UUID is refused.
 *
 * Only on a container that holds nothing yet (generation 1), so that a
 * UUID always names one aggregate: else EBUSY.  EEXIST when another live
 * container has this UUID.  Needs CAP_SYS_ADMIN in the initial user
 * namespace.
 */
struct nsctl_set_uuid {
	__aligned_u64 flags;
	__u8 uuid[16];
};

#define NSCTL_SET_UUID_SIZE_VER0	24

#define NSCTL_IOC_SET_NS	_IOWR(NSCTL_IOC_MAGIC, 1, struct nsctl_set_ns)
#define NSCTL_IOC_GET_NS	_IOW(NSCTL_IOC_MAGIC, 2, struct nsctl_get_ns)
#define NSCTL_IOC_SET_CGROUP	_IOWR(NSCTL_IOC_MAGIC, 3, struct nsctl_set_cgroup)
#define NSCTL_IOC_SET_UUID	_IOW(NSCTL_IOC_MAGIC, 4, struct nsctl_set_uuid)

#endif /* _UAPI_LINUX_NSCTL_H */
