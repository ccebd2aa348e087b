#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make torture [DURATION=seconds] [SEED=n] [KVER=debug]: in one VM, round
# after round with seeds SEED, SEED+1, ... until DURATION has passed (it
# decides how long, never a verdict: a round that starts finishes), each
# round a fuzzer campaign (selftests/fuzz) and a stress run with its
# invariants (selftests/stress, NSCTL_STRESS_SECONDS long, default 60).
# The debug kernel by default: KASAN, lockdep, kmemleak, panic_on_warn,
# and the module's coverage (make coverage reads it afterwards).  Each
# round prints its seed; a failing campaign prints its workers' last
# operations; NSCTL_FUZZ_SEED=<seed> or NSCTL_STRESS_SEED=<seed> replays.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
duration=${1:-600}
seed=${2:-$(date +%s)}
kver=${3:-debug}
# Operations per fuzzer thread: the program's own default unless given
# (1500, a quarter on the debug kernels, so that a campaign stays well
# within the harness's per-test bound there).
ops=${NSCTL_FUZZ_OPS:+NSCTL_FUZZ_OPS=$NSCTL_FUZZ_OPS}
workers=${NSCTL_FUZZ_WORKERS:-4}
stress=${NSCTL_STRESS_SECONDS:-60}
case $duration in '' | *[!0-9]*) echo "torture: DURATION is seconds" >&2; exit 2 ;; esac
case $seed in '' | *[!0-9]*) echo "torture: SEED is a number" >&2; exit 2 ;; esac

script=$(mktemp)
trap 'rm -f "$script"' EXIT
cat >"$script" <<SCRIPT
#!/bin/sh
# One round after another until $duration s have passed.
start=\$(cut -d. -f1 /proc/uptime)
seed=$seed n=0 sops=0 fops=0
while :; do
	now=\$(cut -d. -f1 /proc/uptime)
	[ \$((now - start)) -lt $duration ] || break
	echo "torture: round \$n, seed \$seed, \$((now - start)) s in"
	env NSCTL_FUZZ_SEED=\$seed $ops NSCTL_FUZZ_WORKERS=$workers \\
		/nsctl/tests/fuzz/fuzz_test >/tmp/fuzz.out 2>&1 || {
		cat /tmp/fuzz.out
		echo "torture: fuzz campaign \$n (seed \$seed) failed"
		exit 1
	}
	NSCTL_STRESS_SEED=\$seed NSCTL_STRESS_SECONDS=$stress \\
		/nsctl/tests/stress/stress_test >/tmp/stress.out 2>&1 || {
		cat /tmp/stress.out
		echo "torture: stress run \$n (seed \$seed) failed"
		exit 1
	}
	# "seed S: W processes of 2 threads, N operations each"
	fops=\$((fops + $workers * 2 * \$(sed -n 's/.*threads, \([0-9]*\) operations each.*/\1/p' /tmp/fuzz.out)))
	grep -h 'operations in' /tmp/stress.out | sed 's/^# [^:]*:[^:]*:[^:]*:/torture:   stress: /'
	sops=\$((sops + \$(sed -n 's/.*:\([0-9]*\) operations in .*/\1/p' /tmp/stress.out)))
	n=\$((n + 1)) seed=\$((seed + 1))
done
end=\$(cut -d. -f1 /proc/uptime)
echo "torture: \$n rounds, seeds $seed..\$((seed - 1)), \$((end - start)) s:" \\
	"fuzz \$fops operations ($workers processes of 2 threads)," \\
	"stress \$sops operations"
SCRIPT
exec bash "$top/selftests/vm/run.sh" --kernel "$kver" --script "$script" --tag torture
