#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install and cache everything nsctl's build and tests need on a Debian 12
# machine, from Debian's archive only.  Idempotent: a second run only checks.
#
# Cache layout ($NSCTL_CACHE, default /var/cache/nsctl), outside any clone:
#   debs/                 downloaded .deb files
#   k/<kver>/             per target kernel: vmlinuz, root/ (unpacked debs)
#   k/<kver>/kdir         symlink to the kernel build directory (headers)
#   kselftest/            kselftest_harness.h and kselftest.h
#   checkpatch/           checkpatch.pl and the data files beside it
#   linux-6.1/            the 6.1 source tree used for the debug kernel
#   env.mk                the resolved versions, included by the Makefile
set -euo pipefail

CACHE=${NSCTL_CACHE:-/var/cache/nsctl}
export DEBIAN_FRONTEND=noninteractive
start=$SECONDS

log() { printf 'deps: %s\n' "$*" >&2; }

PKGS=(build-essential bc flex bison libelf-dev libssl-dev kmod cpio xz-utils
      zstd qemu-system-x86 busybox-static libnl-3-dev libnl-genl-3-dev sparse
      dkms iproute2 util-linux linux-headers-amd64 pkg-config python3 jq dwarves
      perl debhelper dh-dkms bash-completion lintian e2fsprogs mmdebstrap
      crun)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
apt_updated=
apt_update() {
	[ -n "$apt_updated" ] && return
	log "apt-get update"
	apt-get update -qq
	apt_updated=1
}
if [ ${#missing[@]} -gt 0 ]; then
	apt_update
	log "installing ${missing[*]}"
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

mkdir -p "$CACHE/debs" "$CACHE/k"

# Resolve the newest versions once; env.mk records them for later runs.
if [ ! -f "$CACHE/env.mk" ] || [ -n "${NSCTL_DEPS_REFRESH:-}" ]; then
	apt_update
	k61=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 |
	      sed -n 's/.*linux-headers-\(6\.1\.0-[0-9]*-amd64\).*/\1/p')
	k612=$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
	       awk '{print $1}' | sed 's/^linux-headers-//' | sort -V | tail -n 1)
	src61=$(apt-cache policy linux-source-6.1 | awk '/Candidate:/ {print $2}')
	[ -n "$k61" ] && [ -n "$k612" ] && [ -n "$src61" ] || {
		log "cannot resolve kernel versions (6.1: '$k61', 6.12: '$k612', source: '$src61')"
		exit 1
	}
	printf 'KVER_61 := %s\nKVER_612 := %s\nSRC_61 := %s\n' \
		"$k61" "$k612" "$src61" >"$CACHE/env.mk.tmp"
	mv "$CACHE/env.mk.tmp" "$CACHE/env.mk"
fi
k61=$(sed -n 's/^KVER_61 := //p' "$CACHE/env.mk")
k612=$(sed -n 's/^KVER_612 := //p' "$CACHE/env.mk")
src61=$(sed -n 's/^SRC_61 := //p' "$CACHE/env.mk")

# fetch PKG...: download into debs/ unless already there.
fetch() {
	local p f
	for p in "$@"; do
		f=$(ls "$CACHE/debs/${p}_"*.deb 2>/dev/null | head -n 1 || true)
		[ -n "$f" ] && continue
		apt_update
		log "downloading $p"
		(cd "$CACHE/debs" && apt-get download -qq -o APT::Sandbox::User=root "$p")
	done
}
deb_of() { ls "$CACHE/debs/${1}_"*.deb | sort -V | tail -n 1; }

# Kernel images are only unpacked, never installed: /boot stays untouched.
unpack_kernel() {
	local kver=$1 img=$2 dir="$CACHE/k/$1"
	[ -f "$dir/.done" ] && return 0
	fetch "$img"
	log "unpacking $img"
	rm -rf "$dir/root" "$dir/vmlinuz"
	mkdir -p "$dir/root"
	dpkg -x "$(deb_of "$img")" "$dir/root"
	cp "$dir/root/boot/vmlinuz-$kver" "$dir/vmlinuz"
	touch "$dir/.done"
}
unpack_kernel "$k61" "linux-image-$k61-unsigned"
ln -sfn "/usr/src/linux-headers-$k61" "$CACHE/k/$k61/kdir"

unpack_kernel "$k612" "linux-image-$k612-unsigned"

# 6.12 headers: installing them with apt pulls in the image and rebuilds an
# initramfs, so they are unpacked next to the image instead.  Their absolute
# symlinks (into -common and linux-kbuild) are rewritten to point inside the
# cache.
hdr="$CACHE/k/$k612/headers"
if [ ! -f "$hdr/.done" ]; then
	base=${k612%-amd64}
	kbuild=$(apt-cache search --names-only "^linux-kbuild-6\.12" | awk '{print $1}' |
		 grep -F "$base" | sort -V | tail -n 1)
	fetch "linux-headers-$k612" "linux-headers-$base-common" "$kbuild"
	rm -rf "$hdr"
	mkdir -p "$hdr"
	for p in "linux-headers-$k612" "linux-headers-$base-common" "$kbuild"; do
		dpkg -x "$(deb_of "$p")" "$hdr"
	done
	find "$hdr" -type l | while read -r l; do
		t=$(readlink "$l")
		case "$t" in
		/usr/*) ln -sfn "$hdr$t" "$l" ;;
		esac
	done
	sed -i "s|^include /usr/src/|include $hdr/usr/src/|" \
		"$hdr/usr/src/linux-headers-$k612/Makefile"
	touch "$hdr/.done"
fi
ln -sfn "$hdr/usr/src/linux-headers-$k612" "$CACHE/k/$k612/kdir"

# linux-source-6.1: kselftest harness, checkpatch, and the debug kernel tree.
src="$CACHE/linux-6.1"
if [ ! -f "$src/.done" ]; then
	fetch linux-source-6.1
	log "unpacking linux-source-6.1 $src61"
	tmp="$CACHE/src.tmp"
	rm -rf "$tmp" "$src"
	mkdir -p "$tmp"
	dpkg -x "$(deb_of linux-source-6.1)" "$tmp"
	mkdir -p "$src"
	tar -xaf "$tmp"/usr/src/linux-source-6.1.tar.xz -C "$src" --strip-components=1
	rm -rf "$tmp"
	touch "$src/.done"
fi
mkdir -p "$CACHE/kselftest" "$CACHE/checkpatch"
cp -u "$src/tools/testing/selftests/kselftest_harness.h" \
      "$src/tools/testing/selftests/kselftest.h" "$CACHE/kselftest/"
cp -u "$src/scripts/checkpatch.pl" "$src/scripts/spelling.txt" \
      "$src/scripts/const_structs.checkpatch" "$CACHE/checkpatch/"

log "ready in $((SECONDS - start)) s: 6.1=$k61 6.12=$k612 source=$src61 cache=$CACHE"
