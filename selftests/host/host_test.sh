#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The test of the host tier, run on the booted Debian host by
# nsctl-host-test.service (after multi-user.target and nsctl.service) on
# each of two boots of the same disk in the same QEMU process:
#
#   stage 1  the packaged module, mount and service; containers made by
#            hand; declares "kept" (and a bad declaration), then reboots
#   stage 2  "kept" came back from its declaration with the same UUID and
#            limits, the bad one was reported, no unit failed, no kernel
#            splat on either boot; then powers off
#
# The stage is kept on the disk.  Each check prints "ok N what" or
# "not ok N what" with the command's output, on the console and on ttyS1,
# the result channel the host reads.  Stage 2 writes the success marker
# NSCTL-HOST-OK there only when every check of both stages passed.
set -euo pipefail

STATE=/var/lib/nsctl-host-test
RES=/dev/ttyS1
CGSVC=/sys/fs/cgroup/system.slice/nsctl.service
mkdir -p "$STATE"
stty -F "$RES" raw -echo 2>/dev/null || true

say() { echo "$*"; echo "$*" >"$RES"; }

n=0 fails=0
if [ -f "$STATE/count" ]; then
	read -r n fails <"$STATE/count"
fi
ok() { n=$((n + 1)); say "ok $n $1"; }
not_ok() {
	n=$((n + 1)) fails=$((fails + 1))
	say "not ok $n $1"
	[ -z "${2:-}" ] || printf '%s\n' "$2" | sed 's/^/#   /' | tee "$RES"
}
# check WHAT CMD...: passes when CMD exits 0; its output is shown otherwise.
check() {
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$what"
	else
		not_ok "$what" "$out"
	fi
}
# expect WHAT WANT CMD...: passes when CMD's output is exactly WANT.
expect() {
	local what=$1 want=$2 out
	shift 2
	out=$("$@" 2>&1) || true
	if [ "$out" = "$want" ]; then
		ok "$what"
	else
		not_ok "$what" "expected '$want', got: $out"
	fi
}
# A shell snippet as a check command.
sh_() { bash -c "set -euo pipefail; $1"; }

module_checks() {
	check "nsctl.ko is loaded" grep -q '^nsctl ' /proc/modules
	check "the loaded module is DKMS's, under /lib/modules/$(uname -r)/updates/dkms" \
		sh_ 'p=$(modinfo -n nsctl); echo "$p"; case $p in /lib/modules/$(uname -r)/updates/dkms/nsctl.ko*) ;; *) exit 1 ;; esac'
	check "/sys/fs/nsctl is mounted" findmnt -t nsctl /sys/fs/nsctl
	# is-active exits 0 when any one of its units is active: read each.
	expect "nsctl.service and sys-fs-nsctl.mount are active" "active active" \
		sh_ 'systemctl is-active nsctl.service sys-fs-nsctl.mount | paste -sd " "'
	expect "nsctl.service's process stays in its leaf, the rest of its cgroup is containers'" \
		"$(systemctl show -P MainPID nsctl.service)" cat "$CGSVC/.supervisor/cgroup.procs"

}

# The PID of a process inside container $1, once there is one.
pid_in() {
	local pid
	for _ in $(seq 50); do
		pid=$(head -n 1 "/sys/fs/nsctl/$1/procs" 2>/dev/null || true)
		[ -z "$pid" ] || { echo "$pid"; return 0; }
		sleep 0.2
	done
	return 1
}

# shellcheck source=runtime_test.sh
. "$(dirname "$0")/runtime_test.sh"

stage1() {
	say "# nsctl-host: stage 1 on $(uname -r), up $(cut -d' ' -f1 /proc/uptime) s"
	module_checks
	check "cgroup2 is mounted with nsdelegate (as systemd mounts it)" \
		sh_ 'grep " /sys/fs/cgroup " /proc/self/mountinfo | grep " - cgroup2 .*nsdelegate"'

	check "nsctl create web" nsctl create web
	expect "nsctl enter web -- hostname" web nsctl enter web -- hostname
	# Joining the container's cgroup namespace under nsdelegate: the
	# process must land at the namespace's root.
	expect "nsctl enter web -- cat /proc/self/cgroup is 0::/" "0::/" \
		nsctl enter web -- cat /proc/self/cgroup
	check "web's cgroup is $CGSVC/web" \
		sh_ "test -d $CGSVC/web || { echo \"web's cgroup: \$(cat /sys/fs/nsctl/web/cgroup)\"; exit 1; }"
	check "systemd-cgls lists web under nsctl.service" \
		sh_ 'systemd-cgls --no-pager -a /system.slice/nsctl.service | tee /dev/stderr | grep -q "web"'
	check "no cgroup of nsctl's outside nsctl.service" \
		sh_ "out=\$(find /sys/fs/cgroup -type d \\( -name web -o -path /sys/fs/cgroup/nsctl \\) |
			    grep -v '^$CGSVC/web\$' || true); echo \"\$out\"; test -z \"\$out\""
	check "nsctl list shows web" sh_ 'nsctl list | tee /dev/stderr | grep -qw web'
	check "nsctl show web -j has a uuid" \
		sh_ 'nsctl show web -j | tee /dev/stderr | grep -Eq "\"uuid\":\"[0-9a-f-]{36}\""'
	check "nsctl set web hostname=web1" nsctl set web hostname=web1
	expect "enter shows the new host name" web1 nsctl enter web -- hostname
	expect "nsctl enter web -- ip link shows only lo" lo \
		sh_ 'nsctl enter web -- ip -o link | cut -d: -f2 | tr -d " "'

	# Real peers must see what nsctl says: a process inside, seen from out.
	nsctl enter web -- sleep 1000 &
	local enter=$! pid
	if pid=$(pid_in web); then
		ok "a process runs inside web (pid $pid)"
		expect "nsenter -t PID -u hostname" web1 nsenter -t "$pid" -u hostname
		expect "nsenter -t PID -n: only lo" lo \
			sh_ "nsenter -t $pid -n ip -o link | cut -d: -f2 | tr -d ' '"
		local t
		for t in uts net pid; do
			expect "lsns and web's namespaces file agree on $t" \
				"$(awk -v t="$t" '$1 == t { print $2 }' /sys/fs/nsctl/web/namespaces)" \
				lsns -n -o NS -t "$t" -p "$pid"
		done
		check "lsns -t net lists web's net namespace apart from the host's" \
			sh_ "test \$(lsns -n -o NS -t net -p $pid) != \$(lsns -n -o NS -t net -p 1)"
		kill "$pid" 2>/dev/null || true
	else
		not_ok "a process runs inside web" "$(cat /sys/fs/nsctl/web/procs 2>&1)"
	fi
	wait "$enter" 2>/dev/null || true

	check "nsctl delete web" nsctl delete web
	check "web and its cgroup are gone" \
		sh_ "! test -e /sys/fs/nsctl/web && ! test -e $CGSVC/web"

	runtime_checks

	# A declared container, for stage 2 to find again.
	check "nsctl create kept --memory-max 64M --pids-max 50" \
		nsctl create kept --memory-max 64M --pids-max 50
	check "nsctl set kept hostname=kept on_empty=ignore" \
		nsctl set kept hostname=kept on_empty=ignore
	check "nsctl declare kept writes /etc/nsctl/containers/kept.conf" \
		sh_ 'nsctl declare kept && cat /etc/nsctl/containers/kept.conf'
	cat /sys/fs/nsctl/kept/uuid >"$STATE/kept.uuid" 2>/dev/null || : >"$STATE/kept.uuid"
	check "kept has a UUID, and show -j reports it" \
		sh_ "u=\$(cat $STATE/kept.uuid); test -n \"\$u\" && nsctl show kept -j | grep -q \"\\\"uuid\\\":\\\"\$u\\\"\""
	mkdir -p /etc/nsctl/containers
	printf '# unknown key on line 2\ncolour=blue\n' >/etc/nsctl/containers/bad.conf
}

stage2() {
	say "# nsctl-host: stage 2 on $(uname -r), up $(cut -d' ' -f1 /proc/uptime) s"
	module_checks
	check "kept exists again after the reboot" test -d /sys/fs/nsctl/kept
	expect "kept has the same UUID" "$(cat "$STATE/kept.uuid")" cat /sys/fs/nsctl/kept/uuid
	check "kept's cgroup is $CGSVC/kept" test -d "$CGSVC/kept"
	expect "kept's memory.max" 67108864 cat "$CGSVC/kept/memory.max"
	expect "kept's pids.max" 50 cat "$CGSVC/kept/pids.max"
	expect "kept's host name" kept nsctl enter kept -- hostname
	check "nsctl.service's journal names bad.conf, line 2 and the key colour" \
		sh_ 'journalctl -b -u nsctl.service --no-pager -o cat | tee /dev/stderr |
		     grep "bad\.conf" | grep -E "bad\.conf:2([^0-9]|$)|line 2([^0-9]|$)" | grep -q colour'
	# What an operator sees, for the record.
	local v
	for v in "systemctl status --no-pager -n 5 nsctl.service sys-fs-nsctl.mount" \
		 "systemd-cgls --no-pager -a -u nsctl.service" "nsctl list" \
		 "cat /etc/nsctl/containers/kept.conf"; do
		say "# \$ $v"
		bash -c "$v" 2>&1 | sed 's/^/#   /' | tee "$RES" >/dev/null || true
	done
	# A restart stops what runs in the containers, and systemd takes the
	# delegated subtree away; the declared container gets its cgroup back.
	check "systemctl restart nsctl.service" systemctl restart nsctl.service
	expect "kept is still the same container" "$(cat "$STATE/kept.uuid")" cat /sys/fs/nsctl/kept/uuid
	expect "kept has its cgroup and limit after the restart" "/system.slice/nsctl.service/kept 67108864" \
		sh_ "echo \$(cat /sys/fs/nsctl/kept/cgroup) \$(cat $CGSVC/kept/memory.max)"
	expect "enter kept after the restart lands in it" "0::/" nsctl enter kept -- cat /proc/self/cgroup
	expect "systemctl --failed lists nothing" "" systemctl --failed --no-legend --plain
	local b
	for b in -1 0; do
		check "the journal holds boot $b's kernel log" \
			sh_ "journalctl -k -b $b --no-pager -q | grep -q 'Linux version'"
		expect "no kernel warning, BUG, oops or lockdep report on boot $b" "" \
			sh_ "journalctl -k -b $b --no-pager -q -o cat |
			     grep -E -B 12 -A 20 'WARNING:|BUG:|Oops|Call Trace|UBSAN|KASAN|lockdep|possible (circular|recursive) locking|inconsistent lock state' || true"
	done
}

# Whatever ends this script early (a bug here, set -e), the guest must not
# sit idle until the host's hang limit: say so and power off.
leaving=
trap 'rc=$?; [ -n "$leaving" ] || { say "# nsctl-host: host_test.sh died (exit $rc)";
	say "NSCTL-HOST-STATUS died"; systemctl poweroff; }' EXIT

boots=0
[ -f "$STATE/boots" ] && boots=$(cat "$STATE/boots")
boots=$((boots + 1))
echo "$boots" >"$STATE/boots"
case $boots in
1)
	stage1 || not_ok "stage 1 ended early (exit $?)"
	echo "$n $fails" >"$STATE/count"
	say "# nsctl-host: stage 1 done: $n checks, $fails failed; rebooting"
	sync
	leaving=1
	systemctl reboot
	;;
2)
	stage2 || not_ok "stage 2 ended early (exit $?)"
	say "# nsctl-host: stage 2 done: $n checks, $fails failed, up $(cut -d' ' -f1 /proc/uptime) s"
	say "NSCTL-HOST-STATUS $fails"
	[ "$fails" = 0 ] && say "NSCTL-HOST-OK"
	sync
	leaving=1
	systemctl poweroff
	;;
*)
	# A third boot is not part of the test: stop rather than loop.
	say "# nsctl-host: unexpected boot $boots; powering off"
	leaving=1
	systemctl poweroff
	;;
esac
