#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The root filesystem of the host tier: a Debian 12 system with systemd,
# both target kernels (images and headers) and what DKMS needs to build a
# module, made from Debian's archive with mmdebstrap and set up to boot
# headless under QEMU (root on /dev/vda, console and autologin on ttyS0,
# no network).  nsctl itself is not in it: run.sh installs its packages
# into a copy for each run, as an operator would.
#
# Cached as a tarball outside any clone ($NSCTL_CACHE/host/), named after
# a hash of the recipe (this script, the kernel versions and the apt
# sources), so that changing any of them builds a new one.  Prints the
# tarball's path on stdout.
set -euo pipefail

CACHE=${NSCTL_CACHE:-/var/cache/nsctl}
HOST="$CACHE/host"
SUITE=bookworm
export DEBIAN_FRONTEND=noninteractive

log() { printf 'host-image: %s\n' "$*" >&2; }

[ -f "$CACHE/env.mk" ] || { log "no $CACHE/env.mk (run make deps)"; exit 1; }
k61=$(sed -n 's/^KVER_61 := //p' "$CACHE/env.mk")
k612=$(sed -n 's/^KVER_612 := //p' "$CACHE/env.mk")
[ -n "$k61" ] && [ -n "$k612" ] || { log "no kernel versions in $CACHE/env.mk"; exit 1; }

command -v mmdebstrap >/dev/null || { log "no mmdebstrap (run make deps)"; exit 1; }

# The archive as this machine reaches it.
. "$(dirname "$0")/../vm/apt-sources.sh"
apt_sources

# The signed kernel images are what linux-image-amd64 installs; QEMU boots
# them directly (no secure boot), so the test host runs what users run.
PKGS=(systemd systemd-sysv udev dbus kmod iproute2 util-linux procps crun
      busybox-static jq containernetworking-plugins
      initramfs-tools e2fsprogs libnl-3-200 libnl-genl-3-200
      dkms gcc make libc6-dev dpkg-dev patch fakeroot
      "linux-image-$k61" "linux-headers-$k61"
      "linux-image-$k612" "linux-headers-$k612")

recipe=$({ cat "$0" "$(dirname "$0")/../vm/apt-sources.sh"; echo "$k61 $k612"
	   cat "${mirrors[@]}"; } | sha256sum | cut -c1-16)
tarball="$HOST/root-$recipe.tar"
if [ -f "$tarball" ]; then
	echo "$tarball"
	exit 0
fi

mkdir -p "$HOST"
tmp="$HOST/build.tmp"
rm -rf "$tmp" "$tarball.tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp" "$tarball.tmp"' EXIT
start=$SECONDS
log "building a $SUITE host root for $k61 and $k612 (mmdebstrap)"

# setup: initramfs-tools reads its configuration when the kernels'
# postinst builds their initramfs, so it must be in place before the
# packages are installed.  FSTYPE: the fsck hook learns the root's type
# from the root device, which does not exist while the image is built;
# told, it puts fsck.ext4 in (e2fsprogs, of priority required, is
# installed before any kernel).  MODULES=dep would size the initramfs for the
# build machine; "most" carries virtio_blk and ext4 for any machine.
mmdebstrap --quiet --variant=minbase --format=directory "${aptopts[@]}" \
	--include="$(IFS=,; echo "${PKGS[*]}")" \
	--setup-hook='mkdir -p "$1/etc/initramfs-tools/conf.d"' \
	--setup-hook='printf "MODULES=most\nFSTYPE=ext4\n" >"$1/etc/initramfs-tools/conf.d/nsctl-host"' \
	"$SUITE" "$tmp" "${mirrors[@]}"

# Headless QEMU guest: root on the virtio disk, nothing but the serial line.
printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' >"$tmp/etc/fstab"
echo nsctl-host >"$tmp/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tnsctl-host\n' >"$tmp/etc/hosts"
chroot "$tmp" passwd -qd root
# systemd starts a getty on the kernel's console (console=ttyS0); log root
# in there, for make host-shell.
mkdir -p "$tmp/etc/systemd/system/serial-getty@ttyS0.service.d"
cat >"$tmp/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf" <<'EOF'
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin root --keep-baud 115200,57600,38400,9600 - $TERM
EOF
# The test reads the previous boot's kernel log: keep the journal on disk.
mkdir -p "$tmp/var/log/journal"
# run.sh writes a fresh machine id into each run's copy.
: >"$tmp/etc/machine-id"
rm -f "$tmp/var/lib/dbus/machine-id"
# Offline and short-lived: nothing waits for a network, nothing runs on a
# timer, no firstboot questions on the console.
for u in systemd-networkd-wait-online.service apt-daily.timer apt-daily-upgrade.timer \
	 e2scrub_all.timer e2scrub_reap.service fstrim.timer man-db.timer \
	 dpkg-db-backup.timer logrotate.timer systemd-firstboot.service \
	 systemd-timesyncd.service; do
	ln -sfn /dev/null "$tmp/etc/systemd/system/$u"
done

# Each kernel must have an initramfs that can mount /dev/vda.
for k in "$k61" "$k612"; do
	for f in "boot/vmlinuz-$k" "boot/initrd.img-$k" "lib/modules/$k/build/Makefile"; do
		# In the chroot: build is an absolute symlink.
		chroot "$tmp" test -e "/$f" || { log "missing /$f in the image"; exit 1; }
	done
	mods=$(chroot "$tmp" lsinitramfs "/boot/initrd.img-$k")
	for m in virtio_blk ext4; do
		grep -q "/$m\.ko" <<<"$mods" || { log "initrd.img-$k has no $m"; exit 1; }
	done
	# The root is checked before it is mounted, as on a real host.
	grep -q "sbin/fsck\.ext4$" <<<"$mods" || { log "initrd.img-$k has no fsck.ext4"; exit 1; }
done

tar --numeric-owner --xattrs --acls -C "$tmp" -cf "$tarball.tmp" .
rm -f "$HOST"/root-*.tar
mv "$tarball.tmp" "$tarball"
log "built $tarball ($(du -h "$tarball" | cut -f1)) in $((SECONDS - start)) s"
echo "$tarball"
