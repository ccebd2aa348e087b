#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-host: prepare the Debian host once (prepare.sh: cached image,
# nsctl's packages, DKMS for both kernels), then boot it on each kernel
# given (run.sh --test), side by side, and print each kernel's checks,
# counts and times.  Exits non-zero unless every kernel's run wrote the
# success marker.
#
#   check.sh [KVER...]   default: 6.1 6.12;  DEBDIR: $NSCTL_HOST_DEBS
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
here="$top/selftests/host"
CACHE=${NSCTL_CACHE:-/var/cache/nsctl}
[ $# -gt 0 ] || set -- 6.1 6.12
# Each VM emulates on one host thread and takes NSCTL_HOST_MEM (2 GiB).
slots=${NSCTL_HOST_JOBS:-$(nproc)}

t0=$SECONDS
bash "$here/prepare.sh" || { echo "check-host: preparing the host failed"; exit 1; }
echo "check-host: host prepared in $((SECONDS - t0)) s" >&2

kvers=()
for k in "$@"; do
	case "$k" in
	6.1) k=$(sed -n 's/^KVER_61 := //p' "$CACHE/env.mk") ;;
	6.12) k=$(sed -n 's/^KVER_612 := //p' "$CACHE/env.mk") ;;
	esac
	kvers+=("$k")
done

run_one() {
	local k=$1 t=$SECONDS
	mkdir -p "$top/build/host/$k"
	bash "$here/run.sh" --kernel "$k" --test >"$top/build/host/$k.run.log" 2>&1
	echo $? >"$top/build/host/$k.rc"
	echo $((SECONDS - t)) >"$top/build/host/$k.secs"
	echo "check-host: $k done in $((SECONDS - t)) s" >&2
}

t1=$SECONDS running=0
for k in "${kvers[@]}"; do
	if [ $running -ge "$slots" ]; then
		wait -n
		running=$((running - 1))
	fi
	rm -f "$top/build/host/$k.rc"
	echo "check-host: booting $k" >&2
	run_one "$k" &
	running=$((running + 1))
done
wait
echo "check-host: all boots done in $((SECONDS - t1)) s" >&2

bad=0
for k in "${kvers[@]}"; do
	res="$top/build/host/$k/result.log"
	printf '=== host tier on %s\n' "$k"
	cat "$top/build/host/$k.run.log"
	tr -d '\r' <"$res" 2>/dev/null | grep -E '^(ok|not ok|#)' || true
	p=$(tr -d '\r' <"$res" 2>/dev/null | grep -c '^ok ')
	f=$(tr -d '\r' <"$res" 2>/dev/null | grep -c '^not ok ')
	rc=$(cat "$top/build/host/$k.rc" 2>/dev/null || echo 1)
	if [ "$rc" = 0 ]; then
		verdict=ok
	else
		verdict=FAILED bad=$((bad + 1))
	fi
	printf '%s: %s: %d passed, %d failed, in %s s\n' "$k" "$verdict" "$p" "$f" \
		"$(cat "$top/build/host/$k.secs" 2>/dev/null || echo '?')"
done
echo "check-host: whole tier in $((SECONDS - t0)) s"
[ "$bad" = 0 ]
