#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-fresh: prove that selftests/vm/deps.sh installs everything the
# build and the tests need, by running the README's two commands (deps,
# then make check) in a Debian 12 root that has nothing but the minimal
# base system (mmdebstrap --variant=minbase) from Debian's archive.
#
# The bare root is cached as a tarball outside any clone
# ($NSCTL_CACHE/fresh/), rebuilt when this script's recipe changes; each run
# unpacks a new copy, clones the committed HEAD of this repository into it
# and runs there as root in a chroot with /proc, /sys and /dev bound.
# Nothing of the host's cache is used: the run inside is a cold one.  Its
# output ends with make check's closing line; the exit status is its.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${NSCTL_CACHE:-/var/cache/nsctl}
FRESH="$CACHE/fresh"
SUITE=bookworm
export DEBIAN_FRONTEND=noninteractive

log() { printf 'check-fresh: %s\n' "$*" >&2; }

command -v mmdebstrap >/dev/null || {
	log "installing mmdebstrap"
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null
}

# The archive as this machine reaches it.
. "$(dirname "$0")/apt-sources.sh"
apt_sources

recipe=$({ echo "$SUITE minbase v1"; cat "${mirrors[@]}"; } | sha256sum | cut -c1-16)
tarball="$FRESH/$SUITE-minbase-$recipe.tar"
mkdir -p "$FRESH"
if [ ! -f "$tarball" ]; then
	log "building a bare $SUITE root (mmdebstrap --variant=minbase)"
	rm -f "$FRESH/$SUITE-minbase-"*.tar
	mmdebstrap --quiet --variant=minbase --format=tar "${aptopts[@]}" \
		"$SUITE" "$tarball.tmp" "${mirrors[@]}"
	mv "$tarball.tmp" "$tarball"
fi

root="$FRESH/root"
cleanup() {
	for m in dev sys proc; do
		mountpoint -q "$root/$m" && umount -R "$root/$m"
	done
	return 0
}
trap cleanup EXIT
cleanup
rm -rf "$root"
mkdir -p "$root"
tar -xf "$tarball" -C "$root"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

# What CI checks out: the committed HEAD, not the working tree.
git clone -q "$top" "$root/src/nsctl"
log "clone of $(git -C "$top" rev-parse --short HEAD) in $root/src/nsctl"

# Slaves, so that unmounting them never propagates back to the host.
mount --rbind /dev "$root/dev"
mount --make-rslave "$root/dev"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --make-rslave "$root/sys"

start=$SECONDS
rc=0
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	TERM=dumb LANG=C.UTF-8 /bin/bash -c \
	'cd /src/nsctl && bash selftests/vm/deps.sh && make check' || rc=$?
log "make check in a bare $SUITE root: exit $rc after $((SECONDS - start)) s"
exit $rc
