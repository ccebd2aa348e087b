#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh [NAME]: build one of the small debug kernels that the
# QEMU tests boot, from a linux-source tree that deps.sh unpacked:
#   debug        6.1 with KASAN, lockdep, kmemleak, gcov (debug.config)
#   debug-6.12   6.12 with the same
#   kcsan-6.12   6.12 with KCSAN instead of KASAN (debug.config, then
#                kcsan.config: the two sanitizers exclude each other)
# Everything lives in the cache, outside the clone:
#   k/NAME/build/     out-of-tree build (O=), usable as KDIR for M= modules
#   k/NAME/kdir       symlink to build/
#   k/NAME/vmlinuz    copy of arch/x86/boot/bzImage
#   k/NAME/build.log  make output of the last build
#   k/NAME/.stamp     hash of the fragments + source version of that build
# A second run with the same inputs returns at once.
set -euo pipefail

CACHE=${NSCTL_CACHE:-/var/cache/nsctl}
NAME=${1:-debug}
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case "$NAME" in
debug) series=6.1 srckey=SRC_61 frags=("$HERE/debug.config") ;;
debug-6.12) series=6.12 srckey=SRC_612 frags=("$HERE/debug.config") ;;
kcsan-6.12) series=6.12 srckey=SRC_612 frags=("$HERE/debug.config" "$HERE/kcsan.config") ;;
*) echo "debug-kernel: unknown kernel '$NAME' (debug, debug-6.12, kcsan-6.12)" >&2; exit 2 ;;
esac
SRC="$CACHE/linux-$series"
KD="$CACHE/k/$NAME"
BUILD="$KD/build"
LOG="$KD/build.log"

log() { printf 'debug-kernel: %s: %s\n' "$NAME" "$*" >&2; }
die() { log "$*"; exit 1; }

[ -f "$SRC/Makefile" ] || die "no kernel source in $SRC (run selftests/vm/deps.sh)"
for f in "${frags[@]}"; do
	[ -f "$f" ] || die "missing $f"
done

# The source version is part of the stamp: a new linux-source package must
# trigger a rebuild.  env.mk is written by deps.sh; fall back to the Makefile.
srcver=$(sed -n "s/^$srckey := //p" "$CACHE/env.mk" 2>/dev/null || true)
if [ -z "$srcver" ]; then
	srcver=$(awk '/^(VERSION|PATCHLEVEL|SUBLEVEL) =/ {v = v sep $3; sep = "."}
		      END {print v}' "$SRC/Makefile")
fi
stamp=$({ cat "${frags[@]}"; printf 'source %s\n' "$srcver"; } | sha256sum | cut -d' ' -f1)

up_to_date() {
	[ -f "$KD/vmlinuz" ] && [ -f "$KD/.stamp" ] &&
		[ "$(cat "$KD/.stamp")" = "$stamp" ]
}
if up_to_date; then
	echo "debug kernel $NAME: up to date" >&2
	exit 0
fi

mkdir -p "$KD"
# Serialise concurrent callers (e.g. parallel test targets); the loser finds
# the stamp written by the winner.
exec 9>"$KD/.lock"
flock 9
if up_to_date; then
	echo "debug kernel $NAME: up to date" >&2
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
log "configuring (tinyconfig + ${frags[*]##*/})"
mk tinyconfig || fail "make tinyconfig"
# -m: only merge into .config, later fragments over earlier ones;
# olddefconfig then resolves dependencies.
"$SRC/scripts/kconfig/merge_config.sh" -m -O "$BUILD" "$BUILD/.config" "${frags[@]}" \
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
done < <(cat "${frags[@]}" | awk '
	/^CONFIG_[A-Za-z0-9_]+=/ { s = $0; sub(/=.*/, "", s) }
	/^# CONFIG_[A-Za-z0-9_]+ is not set/ { s = $2 }
	s != "" { last[s] = $0; if (!(s in seen)) { seen[s] = 1; order[++n] = s }; s = "" }
	END { for (i = 1; i <= n; i++) print last[order[i]] }')
if [ ${#dropped[@]} -gt 0 ]; then
	log "options from ${frags[*]##*/} not in the final .config:"
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
