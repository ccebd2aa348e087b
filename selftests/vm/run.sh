#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a target kernel under QEMU (TCG) with nsctl loaded and its filesystem
# mounted, and run the selftests, a script, or an interactive shell.
#
#   run.sh --kernel KVER --tests          selftests; exit 0 only on success
#   run.sh --kernel KVER --script FILE    FILE's exit status
#   run.sh --kernel KVER --shell          interactive (Ctrl-A x quits QEMU)
#
# With --areas "A B", --tests runs only those selftest areas, in a VM of
# its own named KVER-TAG after --tag TAG (build/vm/KVER-TAG), so that two
# runs on one kernel can go side by side.
#
# KVER is a cached kernel (see deps.sh): its full name, 6.1, 6.12, 6.1-rt,
# 6.12-rt (Debian's PREEMPT_RT flavours of the two), or a debug kernel
# built by debug-kernel.sh: debug (6.1), debug-6.12 or kcsan-6.12.
# Success is decided by the marker the guest writes on its second serial
# port (see init.sh), never by reading the console log.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${NSCTL_CACHE:-/var/cache/nsctl}
kver= mode= script= areas= tag=
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kver=$2; shift 2 ;;
	--areas) areas=$2; shift 2 ;;
	--tag) tag=$2; shift 2 ;;
	--tests) mode=tests; shift ;;
	--script) mode=script; script=$2; shift 2 ;;
	--shell) mode=shell; shift ;;
	*) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ -n "$kver" ] && [ -n "$mode" ] || { echo "usage: run.sh --kernel KVER --tests|--script FILE|--shell" >&2; exit 2; }
case "$kver" in
6.1) kver=$(sed -n 's/^KVER_61 := //p' "$CACHE/env.mk") ;;
6.12) kver=$(sed -n 's/^KVER_612 := //p' "$CACHE/env.mk") ;;
6.1-rt) kver=$(sed -n 's/^KVER_61RT := //p' "$CACHE/env.mk") ;;
6.12-rt) kver=$(sed -n 's/^KVER_612RT := //p' "$CACHE/env.mk") ;;
esac
[ -n "$kver" ] || { echo "run.sh: kernel not in $CACHE/env.mk (make deps)" >&2; exit 1; }

kdir="$CACHE/k/$kver"
vmlinuz="$kdir/vmlinuz"
ko="$top/build/$kver/nsctl.ko"
[ -f "$vmlinuz" ] || { echo "run.sh: no kernel image $vmlinuz (make deps / make debug-kernel)" >&2; exit 1; }
[ -f "$ko" ] || { echo "run.sh: no module $ko (make module KVER=$kver)" >&2; exit 1; }
[ -x "$top/ctl/nsctl" ] || { echo "run.sh: no ctl/nsctl (make ctl)" >&2; exit 1; }

out="$top/build/vm/$kver${tag:+-$tag}"
root="$out/initramfs"
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/sbin,lib/modules/extra,nsctl/tests,etc,proc,sys,dev,tmp,run,root}

# Userland: busybox, nsctl, and real peers with their shared libraries.
cp /bin/busybox "$root/bin/busybox"
cp "$top/selftests/vm/init.sh" "$root/init"
cp "$ko" "$root/nsctl/nsctl.ko"
# The test module that takes nsctl's netlink family name (fs_test).
squat="$(dirname "$ko")/squat/nsctl_squat.ko"
[ ! -f "$squat" ] || cp "$squat" "$root/nsctl/nsctl_squat.ko"
cp "$top/ctl/nsctl" "$root/usr/local/sbin/nsctl"
copy_bin() {
	local bin=$1 dest=$2 lib
	cp -L "$bin" "$root$dest"
	for lib in $(ldd "$bin" | awk '/=> \// {print $3} /^\t\/lib/ {print $1}'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -Lu "$lib" "$root$lib"
	done
}
# busybox's shell runs its own applets ahead of PATH, so scripts get a
# real /bin/sh (dash), and real peers go first in PATH.
mkdir -p "$root/usr/local/bin"
copy_bin /bin/dash /bin/sh
copy_bin /bin/bash /bin/bash
copy_bin /bin/ip /usr/local/bin/ip
copy_bin /usr/bin/unshare /usr/local/bin/unshare
copy_bin /usr/bin/nsenter /usr/local/bin/nsenter
copy_bin /usr/bin/lsns /usr/local/bin/lsns
copy_bin /usr/bin/jq /usr/local/bin/jq
# An OCI runtime, for pool_bench's comparison (deps.sh installs it).
[ ! -x /usr/bin/crun ] || copy_bin /usr/bin/crun /usr/local/bin/crun
mkdir -p "$root/lib64"
cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

# Network device drivers the tests use, when the kernel has them as modules.
for m in dummy veth; do
	f=$(find "$kdir/root/lib/modules" -name "$m.ko*" 2>/dev/null | head -n 1 || true)
	case "$f" in
	*.xz) xz -dc "$f" >"$root/lib/modules/extra/$m.ko" ;;
	*.zst) zstd -qdc "$f" >"$root/lib/modules/extra/$m.ko" ;;
	?*) cp "$f" "$root/lib/modules/extra/$m.ko" ;;
	esac
done

# Selftest programs: every executable under selftests/<area>/ that its
# Makefile lists in TEST_GEN_PROGS, plus anything they need beside them.
: >"$root/nsctl/tests.list"
for mk in "$top"/selftests/*/Makefile; do
	area=$(basename "$(dirname "$mk")")
	case "$area" in vm|bench|lib) continue ;; esac
	[ -z "$areas" ] || [[ " $areas " == *" $area "* ]] || continue
	progs=$(make -s -C "$(dirname "$mk")" print-progs)
	mkdir -p "$root/nsctl/tests/$area"
	for p in $progs; do
		cp "$(dirname "$mk")/$p" "$root/nsctl/tests/$area/$p"
		echo "$area/$p" >>"$root/nsctl/tests.list"
	done
	# Helpers the tests run (TEST_GEN_FILES): copied, not run.
	for p in $(make -s -C "$(dirname "$mk")" print-files); do
		cp "$(dirname "$mk")/$p" "$root/nsctl/tests/$area/$p"
	done
done
# Benchmarks, when built (make bench).
for b in "$top"/selftests/bench/*_bench; do
	[ -x "$b" ] && cp "$b" "$root/usr/local/bin/"
done
mkdir -p "$root/nsctl/tests/lib"
cp "$top/selftests/lib/tap.sh" "$root/nsctl/tests/lib/"

echo "MODE=$mode" >"$root/nsctl/vm.conf"
# Debug kernels: KASAN or KCSAN under emulation make each namespace costly.
debug=0
case "$kver" in debug | debug-* | kcsan-*) debug=1 ;; esac
[ $debug = 1 ] && printf 'export NSCTL_TEST_SCALE=4\n' >>"$root/nsctl/vm.conf"
[ "$mode" = script ] && cp "$script" "$root/nsctl/script.sh"

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.cpio.gz"

console="$out/console.log"
result="$out/result.log"
rm -f "$console" "$result" "$out/gcov.txt"
: >"$result"

mem=1024
[ $debug = 1 ] && mem=2048
# The benchmarks hold 10,000 named network namespaces (~200 KiB each).
mem=${NSCTL_VM_MEM:-$mem}
# No wall-clock limit decides a run: a VM is killed only when neither of its
# serial ports has printed anything for this long.  Every test program
# prints as it goes (see init.sh), and the guest's own watchdog gives up on
# a silent program well before this.
hang=${NSCTL_VM_HANG:-1200}
append="console=ttyS0 panic=-1 panic_on_warn=1 oops=panic loglevel=4 rdinit=/init"
# KCSAN reports races anywhere in the kernel; a report panics with
# panic_on_warn, so that kernel boots without it and the guest judges the
# reports and warnings afterwards (init.sh: those naming nsctl fail).
case "$kver" in kcsan-*) append=${append/ panic_on_warn=1/} ;; esac
# More kernel parameters for this VM (check.sh boots some with ipcmni_extend).
[ -z "${NSCTL_VM_APPEND:-}" ] || append="$append $NSCTL_VM_APPEND"
# Single-threaded TCG: with one host thread per vCPU, the kernel's live
# code patching (static keys flipped when a cgroup controller is first
# enabled) can hit a half-patched int3 on the other vCPU and oops.
qemu=(qemu-system-x86_64 -accel tcg,thread=single -cpu max -smp 2 -m $mem
      -display none -no-reboot
      -kernel "$vmlinuz" -initrd "$out/initramfs.cpio.gz" -append "$append")

# watch PID: wait for QEMU; kill it once its output stalls for $hang s.
# Returns QEMU's status, or 124 after a kill.
watch() {
	local pid=$1 last=-1 now size idle=0 rc=0
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
		echo "run.sh: $kver${tag:+-$tag}: HUNG: no output for ${idle}s; killing QEMU." \
			"Last lines of $console:" >&2
		tail -n 30 "$console" | sed 's/^/  | /' >&2
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		return 124
	done
	wait "$pid" || rc=$?
	return $rc
}

start=$(date +%s)
rc=0
case "$mode" in
shell)
	"${qemu[@]}" -chardev stdio,id=con,mux=on,signal=off,logfile="$console" \
		-serial chardev:con -mon chardev=con,mode=readline \
		-serial file:"$result" -serial file:"$out/gcov.txt" || rc=$?
	;;
script)
	# The console is the script's terminal: stream it, keep a copy.
	"${qemu[@]}" -monitor none \
		-chardev stdio,id=con,signal=off,logfile="$console" -serial chardev:con \
		-serial file:"$result" -serial file:"$out/gcov.txt" </dev/null &
	watch $! || rc=$?
	;;
tests)
	"${qemu[@]}" -monitor none -serial file:"$console" \
		-serial file:"$result" -serial file:"$out/gcov.txt" </dev/null &
	watch $! || rc=$?
	;;
esac
secs=$(( $(date +%s) - start ))

echo "run.sh: $kver${tag:+-$tag}: console log: $console (${secs}s)" >&2

[ "$mode" = shell ] && exit 0
status=$(sed -n 's/^NSCTL-VM-STATUS \([0-9]*\).*/\1/p' "$result" | tail -n 1)
if grep -q '^NSCTL-VM-OK' "$result"; then
	exit 0
fi
if [ "$mode" = script ] && [ -n "$status" ] && [ "$status" != 0 ]; then
	exit "$status"
fi
echo "run.sh: $kver: no success marker from the VM (status '${status:-none}')" >&2
exit 1
