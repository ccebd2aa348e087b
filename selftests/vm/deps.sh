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
#   k/<kver>/headers/     the unpacked headers of 6.12 and the RT kernels
#   kselftest/            kselftest_harness.h and kselftest.h
#   checkpatch/           checkpatch.pl and the data files beside it
#   linux-6.1/            the 6.1 source tree used for the debug kernel
#   linux-6.12/           the 6.12 source tree of the second debug kernel
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
# A version env.mk lacks (a kernel added to the matrix since it was
# written) is resolved on its own, the others are kept.
kv() { sed -n "s/^$1 := //p" "$CACHE/env.mk" 2>/dev/null || true; }
k61= k612= k61rt= k612rt= src61= src612=
if [ -f "$CACHE/env.mk" ] && [ -z "${NSCTL_DEPS_REFRESH:-}" ]; then
	k61=$(kv KVER_61) k612=$(kv KVER_612) src61=$(kv SRC_61) src612=$(kv SRC_612)
	k61rt=$(kv KVER_61RT) k612rt=$(kv KVER_612RT)
fi

# rt_of KVER PATTERN: the PREEMPT_RT flavour of stock kernel KVER (the same
# ABI), or when Debian has no RT build of that ABI the newest one whose
# headers package matches PATTERN.
rt_of() {
	local want="${1%-amd64}-rt-amd64"
	if apt-cache show "linux-headers-$want" >/dev/null 2>&1 &&
	   apt-cache show "linux-image-$want-unsigned" >/dev/null 2>&1; then
		echo "$want"
	else
		apt-cache search --names-only "$2" | awk '{print $1}' |
			sed 's/^linux-headers-//' | sort -V | tail -n 1
	fi
}

if [ -z "$k61" ] || [ -z "$k612" ] || [ -z "$src61" ] || [ -z "$src612" ] ||
   [ -z "$k61rt" ] || [ -z "$k612rt" ]; then
	apt_update
	[ -n "$k61" ] || k61=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 |
			       sed -n 's/.*linux-headers-\(6\.1\.0-[0-9]*-amd64\).*/\1/p')
	[ -n "$k612" ] || k612=$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
				 awk '{print $1}' | sed 's/^linux-headers-//' | sort -V | tail -n 1)
	[ -n "$src61" ] || src61=$(apt-cache policy linux-source-6.1 | awk '/Candidate:/ {print $2}')
	[ -n "$src612" ] || src612=$(apt-cache policy linux-source-6.12 | awk '/Candidate:/ {print $2}')
	[ -n "$k61rt" ] || [ -z "$k61" ] ||
		k61rt=$(rt_of "$k61" '^linux-headers-6\.1\.0-[0-9]+-rt-amd64$')
	[ -n "$k612rt" ] || [ -z "$k612" ] ||
		k612rt=$(rt_of "$k612" '^linux-headers-6\.12\.[0-9]+\+deb12-rt-amd64$')
	[ -n "$k61" ] && [ -n "$k612" ] && [ -n "$src61" ] && [ -n "$src612" ] &&
		[ -n "$k61rt" ] && [ -n "$k612rt" ] || {
		log "cannot resolve kernel versions (6.1: '$k61', 6.12: '$k612'," \
		    "6.1-rt: '$k61rt', 6.12-rt: '$k612rt', sources: '$src61', '$src612')"
		exit 1
	}
	printf 'KVER_61 := %s\nKVER_612 := %s\nKVER_61RT := %s\nKVER_612RT := %s\nSRC_61 := %s\nSRC_612 := %s\n' \
		"$k61" "$k612" "$k61rt" "$k612rt" "$src61" "$src612" >"$CACHE/env.mk.tmp"
	mv "$CACHE/env.mk.tmp" "$CACHE/env.mk"
fi

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

# unpack_headers KVER: linux-headers-KVER and the -common and linux-kbuild
# packages it depends on, unpacked next to the image rather than installed
# with apt, which would pull in the image (6.12) and rebuild an initramfs,
# or leave version-pinned headers on the machine (6.1 RT).  The absolute
# symlinks (into -common and linux-kbuild) and the Makefile's include are
# rewritten to point inside the cache; kdir names the result.
unpack_headers() {
	local kver=$1 hdr="$CACHE/k/$1/headers" pkgs p l t
	if [ ! -f "$hdr/.done" ]; then
		fetch "linux-headers-$kver"
		pkgs=("linux-headers-$kver")
		for p in $(dpkg-deb -f "$(deb_of "linux-headers-$kver")" Depends | tr ',|' '\n\n' |
			   awk '{print $1}' | grep -E '^linux-(headers-.*-common(-rt)?|kbuild-.*)$'); do
			fetch "$p"
			pkgs+=("$p")
		done
		log "unpacking ${pkgs[*]}"
		rm -rf "$hdr"
		mkdir -p "$hdr"
		for p in "${pkgs[@]}"; do
			dpkg -x "$(deb_of "$p")" "$hdr"
		done
		find "$hdr" -type l | while read -r l; do
			t=$(readlink "$l")
			case "$t" in
			/usr/*) ln -sfn "$hdr$t" "$l" ;;
			esac
		done
		sed -i "s|^include /usr/src/|include $hdr/usr/src/|" \
			"$hdr/usr/src/linux-headers-$kver/Makefile"
		touch "$hdr/.done"
	fi
	ln -sfn "$hdr/usr/src/linux-headers-$kver" "$CACHE/k/$kver/kdir"
}

# 6.12 and both PREEMPT_RT kernels (6.1-rt, 6.12-rt): image and headers in
# the cache.
for k in "$k612" "$k61rt" "$k612rt"; do
	unpack_kernel "$k" "linux-image-$k-unsigned"
	unpack_headers "$k"
done

# unpack_source SERIES VERSION: linux-source-SERIES into linux-SERIES/,
# again when VERSION (the package's, in .done) changed.
unpack_source() {
	local series=$1 ver=$2 src="$CACHE/linux-$1" tmp="$CACHE/src.tmp"
	[ "$(cat "$src/.done" 2>/dev/null || true)" = "$ver" ] && return 0
	# A .done from before versions were recorded: the file is empty.
	[ -f "$src/.done" ] && [ ! -s "$src/.done" ] && [ "$series" = 6.1 ] && return 0
	fetch "linux-source-$series"
	log "unpacking linux-source-$series $ver"
	rm -rf "$tmp" "$src"
	mkdir -p "$tmp" "$src"
	dpkg -x "$(deb_of "linux-source-$series")" "$tmp"
	tar -xaf "$tmp/usr/src/linux-source-$series.tar.xz" -C "$src" --strip-components=1
	rm -rf "$tmp"
	printf '%s\n' "$ver" >"$src/.done"
}
# linux-source-6.1: kselftest harness, checkpatch, and the debug kernel
# tree; linux-source-6.12: the second debug kernel's.
unpack_source 6.1 "$src61"
unpack_source 6.12 "$src612"
src="$CACHE/linux-6.1"
mkdir -p "$CACHE/kselftest" "$CACHE/checkpatch"
cp -u "$src/tools/testing/selftests/kselftest_harness.h" \
      "$src/tools/testing/selftests/kselftest.h" "$CACHE/kselftest/"
cp -u "$src/scripts/checkpatch.pl" "$src/scripts/spelling.txt" \
      "$src/scripts/const_structs.checkpatch" "$CACHE/checkpatch/"

log "ready in $((SECONDS - start)) s: 6.1=$k61 6.12=$k612 6.1-rt=$k61rt 6.12-rt=$k612rt" \
    "sources=$src61 $src612 cache=$CACHE"
