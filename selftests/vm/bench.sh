#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The benchmarks, run in the VM by 'make bench'.  Ratios from one run.
set -e
uname -r
# 10,000 namespaces of a type and 1,024 containers exceed the default
# per-user limits, which scale with the guest's memory.
for f in /proc/sys/user/max_*_namespaces; do echo 100000 >"$f"; done
echo
echo "== namespace UUIDs: identify by fd against fstat, 1 and 10,000 tracked"
nsid_bench 10000
echo
echo "== enter through libnsctl, create and delete: 1, 1,000 and 100,000 containers"
enter_bench 20000 100000
echo
echo "== server: 4 threads serving 512 containers' network namespaces"
server_bench 2000
echo
echo "== events: delivery to a listener with the default socket buffer"
event_bench 20000
echo
start_bench 450
echo
echo "== pools: claim from a pool against create, unshare(1) and crun; memory per member"
pool_bench 20 10 2000 1000
echo
# Last: the named network namespaces' teardown runs on after it.
echo "== listing: nsctl list (one netlink dump) against ip netns list"
list_bench 10000 10000 900
