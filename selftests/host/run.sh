#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the prepared Debian host (prepare.sh, build/host/root) on one of its
# kernels under QEMU (TCG), from a raw ext4 disk made of that root.
#
#   run.sh --kernel KVER --test    host_test.sh's two boots; exit 0 only
#                                  when stage 2 wrote the success marker
#   run.sh --kernel KVER --shell   interactive: root is logged in on the
#                                  console (Ctrl-A x quits QEMU)
#
# KVER: 6.1, 6.12 or a full version from $NSCTL_CACHE/env.mk.  Run
# prepare.sh first.  Logs: build/host/KVER/console.log (both boots) and
# result.log (the test's result channel, ttyS1); a shell's in KVER-shell/.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${NSCTL_CACHE:-/var/cache/nsctl}
kver= mode=
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kver=$2; shift 2 ;;
	--test) mode=test; shift ;;
	--shell) mode=shell; shift ;;
	*) echo "host/run.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ -n "$kver" ] && [ -n "$mode" ] || { echo "usage: run.sh --kernel KVER --test|--shell" >&2; exit 2; }
case "$kver" in
6.1) kver=$(sed -n 's/^KVER_61 := //p' "$CACHE/env.mk") ;;
6.12) kver=$(sed -n 's/^KVER_612 := //p' "$CACHE/env.mk") ;;
esac

root="$top/build/host/root"
out="$top/build/host/$kver"
# A shell's disk is its own: a test run of the same kernel may be going.
[ "$mode" = shell ] && out="$out-shell"
[ -f "$top/build/host/root.key" ] || { echo "host/run.sh: no prepared root (run prepare.sh)" >&2; exit 1; }
[ -f "$root/boot/vmlinuz-$kver" ] || { echo "host/run.sh: no kernel $kver in $root" >&2; exit 1; }
mkdir -p "$out"
console="$out/console.log"
result="$out/result.log"
disk="$out/disk.img"
rm -f "$console" "$result" "$disk"
: >"$result"

# The kernel and initramfs are the image's own, taken out once here: QEMU
# boots them directly (no boot loader), and keeps booting them when the
# guest reboots.
cp "$root/boot/vmlinuz-$kver" "$root/boot/initrd.img-$kver" "$out/"

# A fresh disk for every run, made from the directory without mounting it.
start=$SECONDS
mkfs.ext4 -q -F -L nsctl-host -d "$root" "$disk" "${NSCTL_HOST_DISK:-6G}"
echo "host/run.sh: $kver: disk made in $((SECONDS - start)) s" >&2

# Root read-only at first, as Debian's boot loader passes it, so that
# systemd-fsck-root checks it before it is remounted read-write.
append="root=/dev/vda ro console=ttyS0 loglevel=4 systemd.show_status=auto"
# After the guest's reboot, emulation of the second boot is several times
# slower at first (clearing one page in the initramfs took over 20 s, on
# 6.1 and on 6.12): RCU's stall detector and the soft lockup watchdog then
# report an emulation artefact with a call trace, which the test counts
# as a splat.  Real stalls and lockups still last longer than these.
append="$append rcupdate.rcu_cpu_stall_timeout=300 watchdog_thresh=60"
# Only a test run starts the test; a shell is the bare prepared host.
[ "$mode" = test ] && append="$append systemd.wants=nsctl-host-test.service"
# Single-threaded TCG, as selftests/vm/run.sh explains.  No -no-reboot:
# the test reboots the guest in this same QEMU process.
qemu=(qemu-system-x86_64 -machine q35 -accel tcg,thread=single -cpu max
      -smp 2 -m "${NSCTL_HOST_MEM:-2048}" -display none -nic none
      -kernel "$out/vmlinuz-$kver" -initrd "$out/initrd.img-$kver" -append "$append"
      -drive "file=$disk,if=virtio,format=raw")

# No wall-clock limit decides a run: QEMU is killed only when neither
# serial port has printed anything for this long (a hang).
hang=${NSCTL_HOST_HANG:-900}
watch() {
	local pid=$1 last=-1 size idle=0 rc=0
	while kill -0 "$pid" 2>/dev/null; do
		sleep 5
		size=$(( $(stat -c %s "$console" 2>/dev/null || echo 0) +
			 $(stat -c %s "$result" 2>/dev/null || echo 0) ))
		if [ "$size" != "$last" ]; then
			last=$size idle=0
			continue
		fi
		idle=$((idle + 5))
		[ $idle -ge "$hang" ] || continue
		echo "host/run.sh: $kver: HUNG: no output for ${idle}s; killing QEMU." \
			"Last lines of $console:" >&2
		tail -n 30 "$console" | sed 's/^/  | /' >&2
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		return 124
	done
	wait "$pid" || rc=$?
	return $rc
}

start=$SECONDS
rc=0
case "$mode" in
shell)
	"${qemu[@]}" -chardev stdio,id=con,mux=on,signal=off,logfile="$console" \
		-serial chardev:con -mon chardev=con,mode=readline \
		-serial file:"$result" || rc=$?
	exit $rc
	;;
test)
	"${qemu[@]}" -monitor none -serial file:"$console" \
		-serial file:"$result" </dev/null &
	watch $! || rc=$?
	;;
esac
echo "host/run.sh: $kver: QEMU exited ($rc) after $((SECONDS - start)) s; console log: $console" >&2

grep -q '^NSCTL-HOST-OK' "$result" && exit 0
status=$(tr -d '\r' <"$result" | sed -n 's/^NSCTL-HOST-STATUS \([0-9]*\).*/\1/p' | tail -n 1)
echo "host/run.sh: $kver: no success marker from the host (failed checks: ${status:-unknown})" >&2
exit 1
