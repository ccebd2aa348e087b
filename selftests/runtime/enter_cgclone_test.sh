#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nsctl enter places the command's process in the container's cgroup with
# clone3(2)'s CLONE_INTO_CGROUP, nsctl itself staying in its own cgroup;
# with NSCTL_NO_CLONE_INTO_CGROUP=1 it joins by cgroup.procs as before.
# Both ways must give the same results: every check runs in both modes,
# and the one difference, where nsctl itself is while the command runs,
# is checked to tell them apart.

. ../lib/tap.sh

CG=/sys/fs/cgroup/nsctl
own=$(sed -n 's/^0:://p' /proc/self/cgroup)
# The mode's environment: nothing, or the variable that forces the
# fallback.  Put in the background as "env $menv nsctl enter ... &", so
# that $! is nsctl's pid (env execs it).
menv=
ns_enter() { env $menv nsctl enter "$@"; }
# hold ARGS...: nsctl enter ARGS with a command that writes its PID (as
# its PID namespace sees it) to /tmp/cg.ready, then waits for a line on
# /tmp/cg.fifo without running any other process; nsctl's pid in $held.
hold() {
	rm -f /tmp/cg.ready /tmp/cg.ready.t /tmp/cg.fifo
	mkfifo /tmp/cg.fifo
	env $menv nsctl enter "$@" -- sh -c 'echo $$ >/tmp/cg.ready.t && mv /tmp/cg.ready.t /tmp/cg.ready &&
		read x </tmp/cg.fifo' &
	held=$!
	until_ok 600 test -s /tmp/cg.ready
}
release() {
	echo >/tmp/cg.fifo
	wait $held
}
# cg_of PID: the cgroup of PID, as the test's cgroup namespace sees it.
cg_of() { sed -n 's/^0:://p' /proc/$1/cgroup; }
nprocs() { wc -l <$CG/c1/cgroup.procs; }
# The PID namespace's init has gone (once no process is left in it), so
# that the next enter starts a fresh one rather than racing its exit.
init_gone() {
	until_ok 600 sh -c "[ \"\$(nsctl show ${1:-c1} -j | jq -r .pid_init)\" != running ]"
}
# sig_status ARGS...: the status of an enter whose command traps TERM
# (exit 42) once nsctl is sent SIGTERM.
sig_status() {
	rm -f /tmp/cg.ready
	env $menv nsctl enter "$@" -- sh -c 'trap "exit 42" TERM; echo $$ >/tmp/cg.ready
		while :; do sleep 0.1; done' &
	p=$!
	until_ok 600 test -s /tmp/cg.ready
	kill -TERM $p
	wait $p
	echo $?
}

check "create c1" nsctl create c1
check "create c2 with every type, user and time included" nsctl create c2 --ns all
check "create c3 (for a cgroup that refuses processes)" nsctl create c3

for mode in clone fallback; do
	menv=
	[ $mode = clone ] || menv=NSCTL_NO_CLONE_INTO_CGROUP=1
	check_eq "$mode: the command starts in the cgroup (its namespace's root)" "0::/" \
		"$(ns_enter c1 -- cat /proc/self/cgroup)"
	init_gone
	check_eq "$mode: without the cgroup namespace, the cgroup's path" "0::/nsctl/c1" \
		"$(ns_enter --ns net c1 -- cat /proc/self/cgroup)"
	check_eq "$mode: with user and time namespaces too" "0::/ 0" \
		"$(ns_enter c2 -- sh -c 'echo $(cat /proc/self/cgroup) $(id -u)')"
	init_gone c2

	# Where nsctl is while the command runs: the one difference.
	hold c1
	check_eq "$mode, pid: the process waiting is nsctl" nsctl "$(cat /proc/$held/comm)"
	if [ $mode = clone ]; then
		check_eq "$mode, pid: nsctl stays in its own cgroup" "$own" "$(cg_of $held)"
		check_eq "$mode, pid: the cgroup holds the init and the command" 2 "$(nprocs)"
	else
		check_eq "$mode, pid: nsctl joined the cgroup" /nsctl/c1 "$(cg_of $held)"
		check_eq "$mode, pid: the cgroup holds nsctl, the init and the command" 3 "$(nprocs)"
	fi
	check_eq "$mode, pid: nsctl is a member only in the fallback" \
		"$([ $mode = fallback ] && echo 1 || echo 0)" "$(grep -cx $held $CG/c1/cgroup.procs)"
	release
	init_gone
	hold --ns net,uts c1
	cmd=$(cat /tmp/cg.ready)
	check_eq "$mode, no pid: the command is in the cgroup" /nsctl/c1 "$(cg_of $cmd)"
	if [ $mode = clone ]; then
		check_eq "$mode, no pid: nsctl waits for it from its own cgroup" "$own yes" \
			"$(cg_of $held) $([ $held != $cmd ] && echo yes)"
	else
		check_eq "$mode, no pid: nsctl runs the command in place" $held $cmd
	fi
	check_eq "$mode, no pid: the cgroup holds the command only" "$cmd" \
		"$(cat $CG/c1/cgroup.procs)"
	release
	check_eq "$mode, no pid: the command's status" 0 $?

	check_eq "$mode: exit status passed through" 7 "$(ns_enter c1 -- sh -c 'exit 7'; echo $?)"
	init_gone
	check_eq "$mode, no pid: exit status passed through" 7 \
		"$(ns_enter --ns net c1 -- sh -c 'exit 7'; echo $?)"
	check_eq "$mode: death by a signal" 137 "$(ns_enter c1 -- sh -c 'kill -KILL $$'; echo $?)"
	init_gone
	check_eq "$mode, no pid: death by a signal" 143 \
		"$(exec 2>/dev/null; ns_enter --ns net,uts c1 -- sh -c 'kill -TERM $$'; echo $?)"
	check_eq "$mode: a missing command" 127 "$(ns_enter --ns net c1 -- /nonexistent 2>/dev/null; echo $?)"
	check_eq "$mode: SIGTERM to nsctl reaches the command" 42 "$(sig_status c1)"
	init_gone
	check_eq "$mode, no pid: SIGTERM to nsctl reaches the command" 42 "$(sig_status --ns net c1)"
	# SIGKILL cannot be forwarded: the command goes with nsctl.
	hold --ns net c1
	cmdpid=$(cat /tmp/cg.ready)
	kill -KILL $held
	wait $held 2>/dev/null
	check "$mode, no pid: SIGKILL to nsctl ends the command too" \
		until_ok 600 sh -c "! grep -qv '^[0-9]* (.*) Z' /proc/$cmdpid/stat 2>/dev/null"
	check_eq "$mode: --no-cgroup leaves the command in nsctl's cgroup" "0::$own" \
		"$(ns_enter --no-cgroup --ns net,uts c1 -- cat /proc/self/cgroup)"
	check_eq "$mode: stdin passed through" hello "$(echo hello | ns_enter c1 -- cat)"
	init_gone
done

# A cgroup with a domain controller enabled for its children takes no process
# (the no-internal-process rule): clone3 is refused, and so is the write
# nsctl falls back to, with the same message either way.
mkdir $CG/c3/sub
check "c3: memory (a domain controller) for its children" \
	sh -c "echo +memory >$CG/c3/cgroup.subtree_control"
for mode in clone fallback; do
	menv=
	[ $mode = clone ] || menv=NSCTL_NO_CLONE_INTO_CGROUP=1
	check_fails "$mode: a cgroup that takes no process refuses" "Device or resource busy" \
		ns_enter --ns net c3 -- true
done
echo -memory >$CG/c3/cgroup.subtree_control
rmdir $CG/c3/sub
check_eq "c3: takes the command once the controller is off" "0::/nsctl/c3" \
	"$(ns_enter --ns net c3 -- cat /proc/self/cgroup)"

check "delete c1" nsctl delete c1
check "delete c2" nsctl delete c2
check "delete c3" nsctl delete c3
rm -f /tmp/cg.ready /tmp/cg.fifo
tap_done
