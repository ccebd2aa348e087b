#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# TAP for nsctl's shell tests, closing with the kselftest harness's totals
# line so that the runner counts them alike.

t_n=0
t_pass=0
t_fail=0
t_out=/tmp/tap.out.$$

echo "TAP version 13"

t_result() {
	t_n=$((t_n + 1))
	if [ "$1" = 0 ]; then
		t_pass=$((t_pass + 1))
		echo "ok $t_n $2"
	else
		t_fail=$((t_fail + 1))
		echo "not ok $t_n $2"
		sed 's/^/#   /' "$t_out"
	fi
}

# until_ok N CMD...: retry CMD every 0.05 s, N times at most (a limit that
# only catches a hang: the verdict is CMD's).
until_ok() {
	n=$1
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		n=$((n - 1))
		sleep 0.05
	done
	return 1
}

# mon_start FILE ARGS...: nsctl monitor ARGS in the background, its output
# in FILE; returns once it listens, with its pid in $mon.
mon_start() {
	mon_out=$1
	shift
	: >"$mon_out.err"
	nsctl monitor "$@" >"$mon_out" 2>"$mon_out.err" &
	mon=$!
	until_ok 400 grep -q "listening" "$mon_out.err"
}
# mon_end: the monitor's status once it exited (its --count reached), or
# 124 when it did not (then it is killed).
mon_end() {
	if until_ok 400 sh -c "! kill -0 $mon 2>/dev/null"; then
		wait $mon
		return $?
	fi
	kill $mon
	wait $mon
	return 124
}

# check DESC CMD...: CMD must succeed.
check() {
	desc=$1
	shift
	"$@" >"$t_out" 2>&1
	t_result $? "$desc"
}

# check_fails DESC MESSAGE CMD...: CMD must exit 1 and say MESSAGE on stderr.
check_fails() {
	desc=$1 msg=$2
	shift 2
	"$@" >/dev/null 2>"$t_out"
	rc=$?
	if [ $rc = 1 ] && grep -qF -- "$msg" "$t_out"; then
		t_result 0 "$desc"
	else
		echo "exit status $rc, expected 1 with \"$msg\"" >>"$t_out"
		t_result 1 "$desc"
	fi
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		: >"$t_out"
		t_result 0 "$1"
	else
		echo "expected \"$2\", got \"$3\"" >"$t_out"
		t_result 1 "$1"
	fi
}

tap_done() {
	echo "1..$t_n"
	echo "# Totals: pass:$t_pass fail:$t_fail xfail:0 xpass:0 skip:0 error:0"
	rm -f "$t_out"
	[ "$t_fail" = 0 ]
}
