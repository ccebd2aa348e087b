#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The root of the host tier's runs (build/host/root): the cached Debian 12
# root (image.sh) with nsctl's Debian packages installed the way an
# operator installs them, apt-get install ./*.deb in the system itself (a
# chroot here), and DKMS's nsctl.ko built for both kernels against the
# image's own headers.  Then the test and its unit (host_test.sh).
#
#   prepare.sh [DEBDIR]   DEBDIR: the .deb files (default $NSCTL_HOST_DEBS,
#                         else build/deb/)
#
# Reused as it is while the image, the packages and the test are the same.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
here="$top/selftests/host"
CACHE=${NSCTL_CACHE:-/var/cache/nsctl}
debs=${1:-${NSCTL_HOST_DEBS:-$top/build/deb}}
out="$top/build/host"
root="$out/root"
stamp="$out/root.key"
export DEBIAN_FRONTEND=noninteractive

log() { printf 'host-prepare: %s\n' "$*" >&2; }

k61=$(sed -n 's/^KVER_61 := //p' "$CACHE/env.mk")
k612=$(sed -n 's/^KVER_612 := //p' "$CACHE/env.mk")

shopt -s nullglob
pkgs=("$debs"/*.deb)
shopt -u nullglob
for p in nsctl-dkms nsctl; do
	ls "$debs/${p}_"*.deb >/dev/null 2>&1 ||
		{ log "no ${p}_*.deb in $debs (make deb, or set NSCTL_HOST_DEBS)"; exit 1; }
done

tarball=$(bash "$here/image.sh")
key=$({ echo "$tarball"; sha256sum "${pkgs[@]}" | cut -d' ' -f1
	cat "$0" "$here/host_test.sh" "$here/runtime_test.sh" "$here/nsctl-host-test.service"; } | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then
	log "reusing $root"
	exit 0
fi

start=$SECONDS
mkdir -p "$out"
cleanup() {
	for m in dev sys proc; do
		mountpoint -q "$root/$m" && umount -R "$root/$m"
	done
	rm -f "$root/usr/sbin/policy-rc.d"
	return 0
}
trap cleanup EXIT
[ ! -d "$root" ] || cleanup
rm -f "$stamp"
rm -rf "$root"
mkdir -p "$root"
tar --numeric-owner --xattrs --acls -xf "$tarball" -C "$root"
log "unpacked $(basename "$tarball") in $((SECONDS - start)) s"

# As check-fresh.sh: slaves, so that unmounting never propagates back.
mount --rbind /dev "$root/dev"
mount --make-rslave "$root/dev"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --make-rslave "$root/sys"
# Nothing the packages would start may run in the chroot.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"

rm -rf "$root/tmp/nsctl-debs"
mkdir -p "$root/tmp/nsctl-debs"
cp "${pkgs[@]}" "$root/tmp/nsctl-debs/"
log "installing $(cd "$root/tmp/nsctl-debs" && echo *.deb)"
t=$SECONDS
inchroot() {
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}
if ! inchroot sh -c 'cd /tmp/nsctl-debs && apt-get install -y --no-install-recommends ./*.deb' \
	>"$out/install.log" 2>&1; then
	tail -n 40 "$out/install.log" >&2
	log "apt-get install of the packages failed (log: $out/install.log)"
	exit 1
fi
rm -rf "$root/tmp/nsctl-debs"
log "packages installed in $((SECONDS - t)) s (log: $out/install.log)"

# nsctl-dkms's postinst (Debian's /usr/lib/dkms/common.postinst) builds for
# the running kernel and the newest one when the running kernel is
# installed; in a chroot it is the build machine's, normally not in
# /lib/modules, and then it builds for every kernel there, both of ours.
# Whatever it left out, build here as the kernel packages' hook would
# (/etc/kernel/postinst.d/dkms runs dkms autoinstall for the new kernel).
for k in "$k61" "$k612"; do
	ls "$root/lib/modules/$k/updates/dkms/nsctl.ko"* >/dev/null 2>&1 && continue
	log "the package's postinst built nothing for $k: dkms autoinstall -k $k"
	t=$SECONDS
	inchroot dkms autoinstall -k "$k" >>"$out/install.log" 2>&1 || true
	log "dkms autoinstall -k $k: $((SECONDS - t)) s"
done
for k in "$k61" "$k612"; do
	if ! ls "$root/lib/modules/$k/updates/dkms/nsctl.ko"* >/dev/null 2>&1; then
		grep -hs . "$root/var/lib/dkms/nsctl/"*/"$k"/*/log/make.log | tail -n 30 >&2 || true
		log "FAILED: no /lib/modules/$k/updates/dkms/nsctl.ko after the install (log: $out/install.log)"
		exit 1
	fi
done
inchroot dkms status nsctl 2>/dev/null | sed 's/^/host-prepare: dkms: /' >&2

# A machine id of its own, so that the journal keeps both boots apart.
tr -d - </proc/sys/kernel/random/uuid >"$root/etc/machine-id"
install -D -m 0755 "$here/host_test.sh" "$root/usr/local/lib/nsctl-host/host_test.sh"
install -D -m 0644 "$here/runtime_test.sh" "$root/usr/local/lib/nsctl-host/runtime_test.sh"
install -D -m 0644 "$here/nsctl-host-test.service" \
	"$root/etc/systemd/system/nsctl-host-test.service"

cleanup
echo "$key" >"$stamp"
log "prepared $root in $((SECONDS - start)) s"
