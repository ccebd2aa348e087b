#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A short nsctl session, run in the VM by 'make demo'.
set -e
run() { printf '\n$ %s\n' "$*"; "$@"; }

run nsctl version
run grep nsctl /proc/mounts

# A container with fresh namespaces and a cgroup with limits; nothing runs.
run nsctl create web --memory-max 256M --pids-max 100
run nsctl create db --ns net,uts,ipc --no-cgroup
run ip netns add blue
run nsctl create edge --from-netns blue --ns net --no-cgroup
run nsctl list
run nsctl show web

# The files behind it, cgroupfs-style.
run ls -l /sys/fs/nsctl/web
run cat /sys/fs/nsctl/web/namespaces /sys/fs/nsctl/web/stat
run cat /sys/fs/cgroup/nsctl/web/memory.max

# lsns cannot see namespaces that only a container holds.
run lsns -t net

run nsctl list -j
run nsctl delete web
run nsctl delete db
run nsctl delete edge
run nsctl list
