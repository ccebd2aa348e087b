#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the selftests in QEMU on each kernel given, print each kernel's
# results, and end with one line "N passed, N failed, N skipped" counted
# over every kernel.  Exits non-zero when any test or any VM run failed.
#
# Each VM emulates on one host thread, so as many VMs run at once as the
# machine has cores, and the longest runs start first so that the last one
# to finish starts early.  The 6.1 debug kernel (the slowest by far) is
# split in two VMs: the tool's end-to-end scripts in one, the C selftests
# in the other.  The 6.12 debug kernel runs the C selftests (every kernel
# path, the fuzzer and the stress run included); the tool's scripts reach
# the same kernel paths, and run on the 6.1 debug kernel.  The runtime area (the OCI hook, /run/netns exports, statistics:
# the tool's own logic, whose kernel paths the ctl and labels areas drive
# on the debug kernel too) runs on the stock and RT kernels only, to keep
# the debug VMs within the time budget.  Each VM is one run: booted, tested,
# module unloaded, kmemleak scanned.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
pass=0 fail=0 skip=0 bad=0
slots=${NSCTL_VM_JOBS:-$(nproc)}
DEBUG_SPLIT_A="ctl"
DEBUG_SPLIT_B=$(make -s -C "$top/selftests" print-areas | tr ' ' '\n' | grep -vx -e ctl -e runtime | tr '\n' ' ')

# Kernels booted with ipcmni_extend, so that both IPC bounds are tested:
# the debug kernel's C programs, 6.12 and 6.12-rt; 6.1 and 6.1-rt keep the
# default.
extend_ipc() {
	case $1 in
	debug-b | debug-6.12 | 6.12*) echo ipcmni_extend ;;
	esac
}

# run_one LABEL KVER [AREAS TAG]: LABEL names the run's logs.
run_one() {
	local label=$1 k=$2 t0=$SECONDS
	local NSCTL_VM_APPEND
	NSCTL_VM_APPEND=$(extend_ipc "$label")
	export NSCTL_VM_APPEND
	shift 2
	if [ $# -gt 0 ]; then
		bash "$top/selftests/vm/run.sh" --kernel "$k" --tests --areas "$1" --tag "$2"
	else
		bash "$top/selftests/vm/run.sh" --kernel "$k" --tests
	fi >"$top/build/vm/$label.run.log" 2>&1
	echo $? >"$top/build/vm/$label.rc"
	echo "check: $label done in $((SECONDS - t0)) s" >&2
}

[ $# -gt 0 ] || { echo "check.sh: no kernels given" >&2; exit 1; }
mkdir -p "$top/build/vm"
# Jobs, longest first: "LABEL KVER [AREAS TAG]".
jobs=()
for k in "$@"; do
	case "$k" in
	debug) jobs+=("debug-a|debug|$DEBUG_SPLIT_A|a" "debug-b|debug|$DEBUG_SPLIT_B|b") ;;
	debug-*) jobs+=("$k|$k|$DEBUG_SPLIT_B|") ;;
	esac
done
for k in "$@"; do
	case "$k" in debug | debug-*) ;; *) jobs+=("$k|$k") ;; esac
done

labels=() running=0
t0=$SECONDS
for j in "${jobs[@]}"; do
	IFS='|' read -r label k areas tag <<<"$j"
	if [ $running -ge "$slots" ]; then
		wait -n
		running=$((running - 1))
	fi
	rm -f "$top/build/vm/$label.rc"
	echo "check: starting $label" >&2
	if [ -n "$areas" ]; then
		run_one "$label" "$k" "$areas" "$tag" &
	else
		run_one "$label" "$k" &
	fi
	running=$((running + 1))
	labels+=("$label")
done
wait
echo "check: all VMs done in $((SECONDS - t0)) s on $slots slots" >&2

for k in "${labels[@]}"; do
	printf '=== selftests on %s\n' "$k"
	cat "$top/build/vm/$k.run.log"
	rc=$(cat "$top/build/vm/$k.rc" 2>/dev/null || echo 1)
	res="$top/build/vm/$k/result.log"
	# Print the TAP stream the VM sent on its result channel.
	grep -v '^NSCTL-VM' "$res" 2>/dev/null | grep -E '^(ok|not ok|#  (PASS|FAIL|SKIP)|# (Totals|nsctl-vm|FAILED|PASSED))|^#.*(Expected|FAIL)|^#   [^ ]' || true
	p=0 f=0 s=0
	while read -r line; do
		set -- $(echo "$line" | sed -n 's/.*pass:\([0-9]*\) fail:\([0-9]*\) xfail:\([0-9]*\) xpass:\([0-9]*\) skip:\([0-9]*\) error:\([0-9]*\).*/\1 \2 \3 \4 \5 \6/p')
		[ $# = 6 ] || continue
		p=$((p + $1 + $3)) f=$((f + $2 + $4 + $6)) s=$((s + $5))
	done < <(grep '^# Totals:' "$res" 2>/dev/null)
	# Every program listed must have reported its totals.
	nprog=$(grep -c '^# nsctl-vm: running' "$res" 2>/dev/null)
	ntot=$(grep -c '^# Totals:' "$res" 2>/dev/null)
	if [ "$rc" != 0 ] || [ "$nprog" != "$ntot" ]; then
		bad=$((bad + 1))
		[ "$f" = 0 ] && f=1
		printf '%s: FAILED (run status %s, %s of %s programs reported)\n' "$k" "$rc" "$ntot" "$nprog"
	else
		printf '%s: ok\n' "$k"
	fi
	printf '%s: %d passed, %d failed, %d skipped\n' "$k" "$p" "$f" "$s"
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
done

printf '%d passed, %d failed, %d skipped\n' "$pass" "$fail" "$skip"
[ "$fail" = 0 ] && [ "$bad" = 0 ]
