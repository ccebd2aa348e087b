#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Per-container statistics in nsctl show / list -j (the container's cgroup
# and nsctl's own counters), and the kernel's mount namespace id next to
# nsctl's UUIDs (NS_GET_MNTNS_ID: 6.12 has it, 6.1 does not).

. ../lib/tap.sh

T=/tmp/stats
CGROOT=/sys/fs/cgroup
# stat_of NAME KEY: .stats.KEY of show -j ("null" when absent).
stat_of() { nsctl show "$1" -j | jq -r ".stats.$2"; }
# jqe JSON FILTER: FILTER is true of JSON (jq -e alone passes no input).
jqe() { [ -n "$1" ] && echo "$1" | jq -e "$2"; }
# has_line TEXT REGEX: a line of TEXT matches REGEX.
has_line() { echo "$1" | grep -q -- "$2"; }
# keys JSON: the sorted keys of .stats, space separated.
keys() { echo "$1" | jq -r '.stats | keys | join(" ")'; }
rm -rf $T
mkdir -p $T

# --- a container with limits and processes inside -------------------------------
check "create st with memory and pids limits" nsctl create st --memory-max 64M --pids-max 50
cg=$(nsctl show st -j | jq -r .cgroup)
check "its cgroup exists" test -d "$CGROOT$cg"
# Inside: 8 MiB in a shell variable, five children, then a marker.
nsctl enter st -- sh -c "x=\$(head -c 8388608 /dev/zero | tr '\\0' x);
	for i in 1 2 3 4 5; do sleep 1000 & done; touch $T/ready; wait" &
check "the processes entered are up" until_ok 400 test -e $T/ready
j=$(nsctl show st -j)
check "show -j is one well-formed JSON object" jqe "$j" 'type == "object"'
pids=$(echo "$j" | jq -r .stats.pids_current)
check "pids_current counts what was started (shell, 5 children, init: >= 7)" \
	test "$pids" -ge 7
check_eq "pids_current is the cgroup's pids.current" "$(cat "$CGROOT$cg/pids.current")" "$pids"
check "memory_current holds the 8 MiB (> 8000000)" \
	test "$(echo "$j" | jq -r .stats.memory_current)" -gt 8000000
check "tasks (nsctl's count) sees them too (>= 7)" test "$(echo "$j" | jq -r .stats.tasks)" -ge 7
check_eq "enters counts the enter" 1 "$(echo "$j" | jq -r .stats.enters)"
check_eq "created is the container's" "$(echo "$j" | jq -r .created)" "$(echo "$j" | jq -r .stats.created)"
check "cpu_usage_usec, cpu_user_usec, cpu_system_usec are numbers" jqe "$j" \
	'.stats | [.cpu_usage_usec, .cpu_user_usec, .cpu_system_usec] | all(type == "number")'
if [ -e "$CGROOT$cg/memory.peak" ]; then
	check "memory_peak (the cgroup has memory.peak) is at least memory_current" jqe "$j" \
		'.stats | (.memory_peak | type == "number") and .memory_peak >= .memory_current'
else
	check_eq "no memory_peak where the cgroup has no memory.peak" null \
		"$(echo "$j" | jq -r .stats.memory_peak)"
fi
io_keys=
[ -e "$CGROOT$cg/io.stat" ] && io_keys="io_rbytes io_rios io_wbytes io_wios"
check_eq "io_* exactly when the cgroup has io.stat" "$io_keys" \
	"$(echo "$j" | jq -r '[.stats | keys[] | select(startswith("io_"))] | join(" ")')"
# The io controller, where the kernel has it, enabled down to st's cgroup:
# io.stat appears, empty (the VM has no block device in use), io_* zero.
parent=${cg%/*}
if grep -qw io $CGROOT/cgroup.controllers; then
	check "enable io for st" sh -c "echo +io >$CGROOT/cgroup.subtree_control &&
		echo +io >$CGROOT$parent/cgroup.subtree_control"
	check_eq "io_rbytes, io_wbytes, io_rios, io_wios with io.stat" "0 0 0 0" \
		"$(nsctl show st -j | jq -r '.stats | "\(.io_rbytes) \(.io_wbytes) \(.io_rios) \(.io_wios)"')"
fi
check "stats keys are only the documented ones" jqe "$j" '.stats | keys - [
	"enters", "created", "tasks", "memory_current", "memory_peak", "cpu_usage_usec",
	"cpu_user_usec", "cpu_system_usec", "pids_current", "io_rbytes", "io_wbytes",
	"io_rios", "io_wios"] == []'

# CPU time grows with work done inside.
before=$(stat_of st cpu_usage_usec)
check "work inside" nsctl enter st -- sh -c 'i=0; while [ $i -lt 30000 ]; do i=$((i + 1)); done'
after=$(stat_of st cpu_usage_usec)
check "cpu_usage_usec grew ($before -> $after)" test "$after" -gt "$before"
check_eq "enters counts the second enter" 2 "$(stat_of st enters)"

t=$(nsctl show st)
check "show prints a stats block" has_line "$t" '^stats:$'
check "show prints memory" has_line "$t" '^  memory: '
check "show prints cpu" has_line "$t" '^  cpu: '
check "show prints pids" has_line "$t" "^  pids: *$pids\$"

# --- list -j --stats ------------------------------------------------------------
l=$(nsctl list -j --stats)
check "list -j --stats is one well-formed JSON array" jqe "$l" 'type == "array"'
ls=$(echo "$l" | jq -c '.[] | select(.name == "st")')
check "list -j --stats: st's stats have the cgroup's values" jqe "$ls" ".stats |
	(.pids_current >= 7) and (.memory_current > 8000000) and (.cpu_usage_usec >= $after) and (.enters == 2)"
check_eq "list -j --stats: no tasks (that needs a walk over the processes)" null \
	"$(echo "$ls" | jq -r .stats.tasks)"
check_eq "list -j alone has no stats" "[]" \
	"$(nsctl list -j | jq -c '[.[] | select(has("stats"))]')"
check_fails "list --stats without -j" "--stats goes with -j" nsctl list --stats
check_fails "show has no --stats" "Usage" nsctl show st --stats

# --- a container without a cgroup -------------------------------------------------
check "create nocg without a cgroup" nsctl create nocg --ns uts --no-cgroup
jn=$(nsctl show nocg -j)
check_eq "show -j: only nsctl's counters" "created enters tasks" "$(keys "$jn")"
check_eq "list -j --stats: only nsctl's counters" "created enters" \
	"$(nsctl list -j --stats | jq -r '.[] | select(.name == "nocg") | .stats | keys | join(" ")')"
check "show: no cgroup stats" has_line "$(nsctl show nocg)" '^stats:       - (no cgroup)$'

# --- the kernel's mount namespace id ---------------------------------------------
pid=$(echo "$j" | jq -r '.procs[-1]')
mu=$(echo "$j" | jq -r .namespace_uuids.mnt)
kid=$(./mntns_id /proc/$pid/ns/mnt)
rc=$?
lid=$(nsctl ns list -j --type mnt | jq -r --arg u "$mu" '.[] | select(.uuid == $u) | .mnt_ns_id')
# 6.12 has NS_GET_MNTNS_ID, 6.1 does not; on a kernel in between,
# whatever the helper finds decides which of the two is checked.
set -- $(uname -r | tr '.-' '  ')
want=$rc
[ "$1" -gt 6 ] || { [ "$1" = 6 ] && [ "$2" -ge 12 ]; } && want=0
[ "$1" = 6 ] && [ "$2" -le 1 ] && want=2
if [ "$want" = 0 ]; then
	check_eq "NS_GET_MNTNS_ID works on $(uname -r)" "0" "$rc"
	check_eq "show -j: mnt_ns_id is the id of a process inside's mount namespace" \
		"$kid" "$(echo "$j" | jq -r .mnt_ns_id)"
	check_eq "ns list -j: the same id for that namespace" "$kid" "$lid"
	check "show: the id" has_line "$t" "^mnt ns id:   $kid\$"
	check_eq "no mnt_ns_id for a container without a mount namespace" null \
		"$(echo "$jn" | jq -r .mnt_ns_id)"
else
	check_eq "no NS_GET_MNTNS_ID on $(uname -r)" "2 ENOTTY" "$rc $kid"
	check_eq "show -j: no mnt_ns_id" null "$(echo "$j" | jq -r .mnt_ns_id)"
	check_eq "ns list -j: no mnt_ns_id" "[]" \
		"$(nsctl ns list -j | jq -c '[.[] | select(has("mnt_ns_id"))]')"
	check_eq "show: no id line" "" "$(echo "$t" | grep '^mnt ns id')"
fi

# --- the end ----------------------------------------------------------------------
check "delete --force st" nsctl delete --force st
check "delete nocg" nsctl delete nocg
echo -io >$CGROOT$parent/cgroup.subtree_control 2>/dev/null
echo -io >$CGROOT/cgroup.subtree_control 2>/dev/null
wait
rm -rf $T

tap_done
