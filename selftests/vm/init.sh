#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the nsctl test VM.  Sets up a minimal system, loads nsctl.ko,
# mounts its filesystem, then runs what /nsctl/vm.conf asks for:
#   MODE=tests   every selftest program listed in /nsctl/tests.list
#   MODE=script  /nsctl/script.sh, its exit status reported
#   MODE=shell   an interactive shell on the console
#
# ttyS1 is the result channel read by the host: test output, a status line,
# and the success marker, which is written only when the module loaded,
# every test program exited 0, the module unloaded cleanly and (on a debug
# kernel) kmemleak found nothing.  A missing marker is a failure.

/bin/busybox mkdir -p /proc /sys /dev /tmp /run /root /usr/bin /usr/sbin /bin /sbin
/bin/busybox --install -s
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run
mount -t tmpfs shm /dev/shm
# As systemd mounts it: nsdelegate makes cgroup namespaces delegation
# boundaries, which changes what a process may migrate.
mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
hostname nsctl-vm
ip link set lo up 2>/dev/null || ifconfig lo up

. /nsctl/vm.conf
RES=/dev/ttyS1
# A test program that prints nothing for this long is hung (the harness
# bounds each test at TEST_TIMEOUT_DEFAULT, 600 s, well below).
TEST_HANG=${TEST_HANG:-900}
say() { echo "$*" >$RES; }

# The module's coverage, when it is profiled with gcov (the debug
# kernel's): the kernel keeps a module's counts across unloads, so this
# is the whole run's.  Each data file goes to ttyS2 as base64, read by
# selftests/vm/coverage.sh on the host.
gcov_export() {
	local f
	[ -d /sys/kernel/debug/gcov ] || return 0
	for f in $(find /sys/kernel/debug/gcov -name '*.gcda'); do
		echo "gcov-file ${f#/sys/kernel/debug/gcov}"
		base64 <"$f"
		echo "gcov-end"
	done >/dev/ttyS2
}

finish() {
	gcov_export
	say "NSCTL-VM-STATUS $1"
	[ "$1" = 0 ] && say "NSCTL-VM-OK"
	sync
	reboot -f
}

# Kernel modules some tests use (dummy, veth) when the kernel has them as
# modules; the debug kernel has them built in.
for m in /lib/modules/extra/*.ko; do
	[ -e "$m" ] && insmod "$m"
done

leakcheck=
if [ -w /sys/kernel/debug/kmemleak ]; then
	# Only leaks from here on count: boot-time reports are not ours.
	echo clear >/sys/kernel/debug/kmemleak
	leakcheck=1
fi

if ! insmod /nsctl/nsctl.ko; then
	echo "nsctl-vm: insmod nsctl.ko failed"
	finish 1
fi
mount -t nsctl none /sys/fs/nsctl || finish 1
# Namespaces tracked at load: what remains once everything made has gone.
tracked0=$(wc -l </sys/fs/nsctl/namespaces)

# run_prog TEST: run one test program with its output in /tmp/out, copied
# to the console and the result channel as it comes, so that the host sees
# progress.  No wall-clock limit: a program that prints nothing for
# $TEST_HANG seconds is taken as hung, killed and reported.
run_prog() {
	local t=$1 pid off=0 size idle=0
	: >/tmp/out
	# Output goes to a file, not a pipe: a process a failed test leaves
	# behind must not hold the run open.
	(cd "$(dirname "/nsctl/tests/$t")" && exec "/nsctl/tests/$t") >/tmp/out 2>&1 &
	pid=$!
	while [ -d /proc/$pid ] && ! grep -q '^State:.*Z' /proc/$pid/status 2>/dev/null; do
		sleep 2
		size=$(wc -c </tmp/out)
		if [ "$size" -gt "$off" ]; then
			tail -c +$((off + 1)) /tmp/out | head -c $((size - off)) >/tmp/chunk
			cat /tmp/chunk
			cat /tmp/chunk >$RES
			off=$size idle=0
			continue
		fi
		idle=$((idle + 2))
		if [ $idle -ge "$TEST_HANG" ]; then
			say "# nsctl-vm: $t HUNG: no output for ${idle} s, killed"
			echo "# nsctl-vm: $t HUNG: no output for ${idle} s, killed"
			kill -KILL $pid
			break
		fi
	done
	wait $pid
	rc=$?
	size=$(wc -c </tmp/out)
	if [ "$size" -gt "$off" ]; then
		tail -c +$((off + 1)) /tmp/out >/tmp/chunk
		cat /tmp/chunk
		cat /tmp/chunk >$RES
	fi
	return $rc
}

run_tests() {
	fails=0
	while read -r t; do
		[ -n "$t" ] || continue
		say "# nsctl-vm: running $t"
		echo "# nsctl-vm: running $t"
		t0=$(date +%s)
		run_prog "$t"
		rc=$?
		kill -KILL -1 2>/dev/null
		say "# nsctl-vm: $t exit=$rc ($(($(date +%s) - t0)) s)"
		[ "$rc" = 0 ] || fails=$((fails + 1))
	done </nsctl/tests.list
	return $fails
}

# What holds nsctl: its reference count, processes with a file open
# under an nsctl mount or with such a mount in their mount namespace, and
# how many namespaces nsctl still tracks (mounted when this runs or not).
holders() {
	local p n
	echo "  refcnt $(cat /sys/module/nsctl/refcnt 2>/dev/null)," \
		"holders: $(ls /sys/module/nsctl/holders 2>/dev/null | tr '\n' ' ')"
	echo "  nsctl mounts in this namespace: $(grep -c ' nsctl ' /proc/mounts)"
	[ -r /sys/fs/nsctl/namespaces ] &&
		echo "  namespaces nsctl tracks: $(wc -l </sys/fs/nsctl/namespaces)"
	for p in /proc/[0-9]*; do
		n=$(ls -l "$p/fd" 2>/dev/null | grep -c ' -> /sys/fs/nsctl')
		[ "$n" = 0 ] || echo "  pid ${p#/proc/} ($(cat "$p/comm" 2>/dev/null)): $n fds under /sys/fs/nsctl"
		grep -q ' - nsctl ' "$p/mountinfo" 2>/dev/null || continue
		[ "$(readlink "$p/ns/mnt")" = "$(readlink /proc/1/ns/mnt)" ] && continue
		echo "  pid ${p#/proc/} ($(cat "$p/comm" 2>/dev/null)) has an nsctl mount in $(readlink "$p/ns/mnt")"
	done
	echo "  processes: $(ls -d /proc/[0-9]* | wc -l)," \
		"mount namespaces in use: $(readlink /proc/[0-9]*/ns/mnt 2>/dev/null | sort -u | wc -l)"
}

# Namespaces a run made are torn down after it, asynchronously (network
# namespaces by the kernel's cleanup work, others when nsctl's collector
# drops them), and may hold copies of nsctl's mount: wait until nsctl
# tracks no more than at load, for as long as the count keeps falling; 20
# s without progress is a hang.
drain() {
	local n last=-1 idle=0 t0
	t0=$(date +%s)
	while n=$(wc -l </sys/fs/nsctl/namespaces) && [ "$n" -gt "$tracked0" ]; do
		if [ "$n" != "$last" ]; then
			last=$n idle=0
		elif [ $idle -ge 40 ]; then
			echo "nsctl-vm: $n namespaces still tracked ($tracked0 at load), none gone for 20 s"
			return
		fi
		sleep 0.5
		idle=$((idle + 1))
	done
	[ "$last" = -1 ] ||
		echo "nsctl-vm: tracked namespaces back to $n after $(($(date +%s) - t0)) s"
}

# UNLOAD_WAIT: seconds rmmod may keep answering EAGAIN (default 20).
unload() {
	local i=0 limit=$((${UNLOAD_WAIT:-20} * 2))
	grep -q ' /sys/fs/nsctl ' /proc/mounts && drain
	if grep -q ' /sys/fs/nsctl ' /proc/mounts && ! umount /sys/fs/nsctl; then
		echo "nsctl-vm: umount /sys/fs/nsctl failed; what holds it:"
		holders
	fi
	# Mount namespaces nsctl tracked may hold copies of its mount until
	# its collector lets them go (a second at most, see nsid.c).
	while [ $i -lt $limit ]; do
		rmmod nsctl 2>/dev/null && return 0
		sleep 0.5
		i=$((i + 1))
	done
	rmmod nsctl && return 0
	echo "nsctl-vm: rmmod nsctl failed after ${UNLOAD_WAIT:-20} s; what holds it:"
	holders
	return 1
}

leaks() {
	[ -n "$leakcheck" ] || return 0
	# kmemleak ignores objects younger than 5 s; scan twice past that.
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	sleep 1
	echo scan >/sys/kernel/debug/kmemleak
	if [ -s /sys/kernel/debug/kmemleak ]; then
		echo "nsctl-vm: kmemleak found unreferenced objects:"
		cat /sys/kernel/debug/kmemleak | tee -a $RES
		say "# nsctl-vm: kmemleak: leaks found"
		return 1
	fi
	say "# nsctl-vm: kmemleak: no leaks"
	return 0
}

# Without panic_on_warn (the KCSAN kernel, see run.sh): a warning or a
# bug in the kernel's log fails the run, as does a KCSAN race report that
# names nsctl; KCSAN's reports about the rest of the kernel are counted.
kernel_log() {
	grep -q panic_on_warn=1 /proc/cmdline && return 0
	# KCSAN's own counters: proof that it watched (setup_watchpoints).
	[ -r /sys/kernel/debug/kcsan ] &&
		grep -E '^(enabled|setup_watchpoints|data_races|assert_failures):' /sys/kernel/debug/kcsan |
		tr '\n' ' ' | sed 's/^/# nsctl-vm: kcsan: /; s/ $/\n/' | tee -a $RES
	dmesg >/tmp/dmesg
	awk '
	/BUG: KCSAN:/ { inrep = 1; ours = 0; title = $0; next }
	inrep && /\[nsctl\]|nsctl_/ { ours = 1 }
	inrep && /^\[[ 0-9.]*\] ={10,}/ {
		if (ours) { print "nsctl-vm: " title; bad++ } else other++
		inrep = 0; next
	}
	!inrep && /WARNING:|BUG:|Oops|general protection/ { print "nsctl-vm: " $0; bad++ }
	END {
		printf "# nsctl-vm: kernel log: %d reports naming nsctl or warnings, %d KCSAN reports elsewhere in the kernel\n", bad, other
		exit bad > 0
	}' /tmp/dmesg >/tmp/klog
	rc=$?
	cat /tmp/klog
	cat /tmp/klog >$RES
	return $rc
}

case "$MODE" in
tests)
	run_tests
	status=$?
	unload || status=1
	leaks || status=1
	kernel_log || status=1
	finish $status
	;;
script)
	cp /nsctl/script.sh /tmp/script.sh
	(cd /root && /bin/sh /tmp/script.sh)
	status=$?
	# Processes the script left behind, named, then ended: one may hold a
	# file or a mount of nsctl's and keep the module in use.
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = 1 ] || [ "${p#/proc/}" = $$ ] && continue
		[ -s "$p/cmdline" ] || continue
		echo "nsctl-vm: left running by the script: pid ${p#/proc/}" \
			"($(tr '\0' ' ' <"$p/cmdline" 2>/dev/null))"
	done
	kill -KILL -1 2>/dev/null
	# What a script leaves behind is not a failure of the module.
	for d in /sys/fs/nsctl/*/; do
		[ -d "$d" ] && nsctl delete --force "$(basename "$d")"
	done
	unload || status=1
	leaks || status=1
	kernel_log || status=1
	finish $status
	;;
shell)
	echo "nsctl VM: nsctl.ko loaded, /sys/fs/nsctl mounted. 'exit' powers off."
	setsid cttyhack /bin/bash -l
	finish 0
	;;
esac
finish 1
