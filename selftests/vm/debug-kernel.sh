#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the small debug 6.1 kernel (KASAN, lockdep, kmemleak, ...) that the
# QEMU tests boot, from the linux-source-6.1 tree that deps.sh unpacked.
# Everything lives in the cache, outside the clone:
#   k/debug/build/     out-of-tree build (O=), usable as KDIR for M= modules
#   k/debug/kdir       symlink to build/
#   k/debug/vmlinuz    copy of arch/x86/boot/bzImage
#   k/debug/build.log  make output of the last build
#   k/debug/.stamp     hash of debug.config + source version of that build
# A second run with the same inputs returns at once.
set -euo pipefail

CACHE=${NSCTL_CACHE:-/var/cache/nsctl}
SRC="$CACHE/linux-6.1"
KD="$CACHE/k/debug"
BUILD="$KD/build"
LOG="$KD/build.log"
FRAG="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/debug.config"

log() { printf 'debug-kernel: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[ -f "$SRC/Makefile" ] || die "no kernel source in $SRC (run selftests/vm/deps.sh)"
[ -f "$FRAG" ] || die "missing $FRAG"

# The source version is part of the stamp: a new linux-source package must
# trigger a rebuild.  env.mk is written by deps.sh; fall back to the Makefile.
srcver=$(sed -n 's/^SRC_61 := //p' "$CACHE/env.mk" 2>/dev/null || true)
if [ -z "$srcver" ]; then
	srcver=$(awk '/^(VERSION|PATCHLEVEL|SUBLEVEL) =/ {v = v sep $3; sep = "."}
		      END {print v}' "$SRC/Makefile")
fi
stamp=$({ cat "$FRAG"; printf 'source %s\n' "$srcver"; } | sha256sum | cut -d' ' -f1)

up_to_date() {
	[ -f "$KD/vmlinuz" ] && [ -f "$KD/.stamp" ] &&
		[ "$(cat "$KD/.stamp")" = "$stamp" ]
}
if up_to_date; then
	echo "debug kernel: up to date" >&2
	exit 0
fi

mkdir -p "$KD"
# Serialise concurrent callers (e.g. parallel test targets); the loser finds
# the stamp written by the winner.
exec 9>"$KD/.lock"
flock 9
if up_to_date; then
	echo "debug kernel: up to date" >&2
	exit 0
fi

# An unpacked tarball keeps its old mtimes, so objects from another source
# version could look newer than their sources: start from scratch then.
# Only a fragment change reuses the objects (kbuild tracks CONFIG_ deps).
if [ "$(cat "$KD/.srcver" 2>/dev/null || true)" != "$srcver" ]; then
	log "fresh build directory for source $srcver"
	rm -rf "$BUILD"
fi
mkdir -p "$BUILD"
printf '%s\n' "$srcver" >"$KD/.srcver"
rm -f "$KD/.stamp"
ln -sfn "$BUILD" "$KD/kdir"

# ARCH=x86_64 so tinyconfig starts 64-bit (with ARCH=x86 it asks, and
# allnoconfig answers no).  Later M= builds need no ARCH: .config decides.
mk() { make -C "$SRC" O="$BUILD" ARCH=x86_64 "$@" >>"$LOG" 2>&1; }
fail() {
	log "$1 failed; last 40 lines of $LOG:"
	tail -n 40 "$LOG" >&2
	exit 1
}

: >"$LOG"
start=$SECONDS
log "configuring (tinyconfig + $(basename "$FRAG"))"
mk tinyconfig || fail "make tinyconfig"
# -m: only merge into .config; olddefconfig then resolves dependencies.
"$SRC/scripts/kconfig/merge_config.sh" -m -O "$BUILD" "$BUILD/.config" "$FRAG" \
	>>"$LOG" 2>&1 || fail "merge_config.sh"
mk olddefconfig || fail "make olddefconfig"

# Kconfig silently drops options whose dependencies are unmet; catch that
# here instead of in a test that quietly lacks e.g. KASAN.
dropped=()
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF -- "$line" "$BUILD/.config" || dropped+=("$line")
		;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }
		sym=${sym%% *}
		! grep -qE "^$sym=" "$BUILD/.config" || dropped+=("$line")
		;;
	esac
done <"$FRAG"
if [ ${#dropped[@]} -gt 0 ]; then
	log "options from $(basename "$FRAG") not in the final .config:"
	for line in "${dropped[@]}"; do
		sym=${line#\# }
		sym=${sym%%[= ]*}
		got=$(grep -E "^(# )?$sym[= ]" "$BUILD/.config" | head -n 1 || true)
		printf '  %s (got: %s)\n' "$line" "${got:-absent}" >&2
	done
	exit 1
fi

# A full build, not just modules_prepare: M= builds need Module.symvers.
log "building with $(nproc) jobs (log: $LOG)"
mk -j"$(nproc)" || fail "kernel build"
[ -f "$BUILD/Module.symvers" ] || fail "Module.symvers missing after build"

cp "$BUILD/arch/x86/boot/bzImage" "$KD/vmlinuz.tmp"
mv "$KD/vmlinuz.tmp" "$KD/vmlinuz"
printf '%s\n' "$stamp" >"$KD/.stamp"
log "built $(cat "$BUILD/include/config/kernel.release") in $((SECONDS - start))s: $KD/vmlinuz"
