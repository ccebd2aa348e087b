// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own ids of namespaces, shown next to nsctl's UUIDs: the
 * mount namespace id that listmount(2) and statmount(2) use (6.12 has it,
 * 6.1 not), read with NS_GET_MNTNS_ID from a descriptor of the
 * namespace that NSCTL_IOC_NS_OPEN hands out.
 */
#include <errno.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/types.h>

#include "nsctl.h"
#include "stats.h"

/* linux/nsfs.h of newer kernels; the build's headers may predate it. */
#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID		_IOR(0xb7, 0x5, __u64)
#endif

/* Set once the kernel said it has no NS_GET_MNTNS_ID: not asked again. */
static bool no_mnt_ns_id;

int mnt_ns_id_of(const uint8_t uuid[16], uint64_t *id)
{
	__u64 v;
	int fd, err = 0;

	if (no_mnt_ns_id)
		return -ENOTTY;
	fd = nsctl_ns_open(uuid);
	if (fd < 0)
		return fd;
	if (ioctl(fd, NS_GET_MNTNS_ID, &v) < 0) {
		err = -errno;
		no_mnt_ns_id = err == -ENOTTY;
	} else {
		*id = v;
	}
	close(fd);
	return err;
}
