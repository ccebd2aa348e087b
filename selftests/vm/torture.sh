#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make torture [DURATION=seconds] [SEED=n] [KVER=debug]: the fuzzer
# (selftests/fuzz) in one VM, campaign after campaign with seeds SEED,
# SEED+1, ... until DURATION has passed (it decides how long, never a
# verdict: a campaign that starts finishes).  The debug kernel by default:
# KASAN, lockdep, kmemleak, panic_on_warn.  Each campaign prints its
# seed; a failing one prints its workers' last operations, and
# NSCTL_FUZZ_SEED=<seed> replays it (selftests/fuzz/fuzz_test).
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
duration=${1:-600}
seed=${2:-$(date +%s)}
kver=${3:-debug}
ops=${NSCTL_FUZZ_OPS:-1500}
workers=${NSCTL_FUZZ_WORKERS:-4}
case $duration in '' | *[!0-9]*) echo "torture: DURATION is seconds" >&2; exit 2 ;; esac
case $seed in '' | *[!0-9]*) echo "torture: SEED is a number" >&2; exit 2 ;; esac

script=$(mktemp)
trap 'rm -f "$script"' EXIT
cat >"$script" <<SCRIPT
#!/bin/sh
# One campaign after another until $duration s have passed.
start=\$(cut -d. -f1 /proc/uptime)
seed=$seed n=0
while :; do
	now=\$(cut -d. -f1 /proc/uptime)
	[ \$((now - start)) -lt $duration ] || break
	echo "torture: campaign \$n, seed \$seed, \$((now - start)) s in"
	NSCTL_FUZZ_SEED=\$seed NSCTL_FUZZ_OPS=$ops NSCTL_FUZZ_WORKERS=$workers \\
		/nsctl/tests/fuzz/fuzz_test >/tmp/fuzz.out 2>&1 || {
		cat /tmp/fuzz.out
		echo "torture: campaign \$n (seed \$seed) failed"
		exit 1
	}
	n=\$((n + 1)) seed=\$((seed + 1))
done
end=\$(cut -d. -f1 /proc/uptime)
echo "torture: \$n campaigns, seeds $seed..\$((seed - 1)), $workers processes x 2 threads x $ops operations each (\$((n * $workers * 2 * $ops)) operations), \$((end - start)) s"
SCRIPT
exec bash "$top/selftests/vm/run.sh" --kernel "$kver" --script "$script" --tag torture
