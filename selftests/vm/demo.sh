#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A short nsctl session, run in the VM by 'make demo'.
set -e
run() { printf '\n$ %s\n' "$*"; "$@"; }

run nsctl version

# Events: a monitor in the background reports what the session does.
printf '\n$ nsctl monitor > /tmp/events &\n'
nsctl monitor >/tmp/events 2>/tmp/events.err &
mon=$!
i=0
until grep -q listening /tmp/events.err; do
	i=$((i + 1))
	[ $i -lt 100 ] || { cat /tmp/events.err; exit 1; }
	sleep 0.05
done

# A container with fresh namespaces and a cgroup with limits; nothing runs.
run nsctl create web --memory-max 256M --pids-max 100
run ip netns add blue
run nsctl create edge --from-netns blue --no-cgroup
# Policies and settings from outside: an event when web's PID namespace
# loses its init, a host name and an IPC limit set without entering.
run nsctl set web on_empty=notify hostname=web-1 shmmni=64
run cat /sys/fs/nsctl/web/hostname /sys/fs/nsctl/web/ipc
run nsctl list
run nsctl show web

# The files behind it, cgroupfs-style.
run ls -l /sys/fs/nsctl/web
run cat /sys/fs/nsctl/web/namespaces /sys/fs/nsctl/web/stat

# Enter: one checked step; the first process gets a real init as PID 1.
run nsctl enter web -- sh -c 'hostname; cat /proc/sys/kernel/shmmni'
run nsctl enter web -- ip -o link
run nsctl enter web -- ps
run nsctl enter web -- cat /proc/self/cgroup
gen=$(cat /sys/fs/nsctl/web/generation)
run nsctl enter web -- true
run cat /sys/fs/nsctl/web/generation
printf '\n# The generation moved on: an enter that expects %s is refused.\n' "$gen"
run nsctl enter --expect-gen "$gen" web -- true || true

# Namespace identity that survives inode reuse.
run nsctl ns id /run/netns/blue
run nsctl ns list --type net
u=$(sed -n 's/^uts [0-9]* //p' /sys/fs/nsctl/web/namespaces)
run nsctl ns open "$u" -- hostname

# lsns cannot see namespaces that only a container holds.
run lsns -t net

# A sealed container refuses nsctl's ways in.
run nsctl set edge enter=deny
run nsctl enter edge -- true || true

run nsctl delete web
run nsctl delete edge
run nsctl list
run ip netns delete blue

# What the monitor printed meanwhile, one line per event as it happened.
sleep 1
kill $mon
run cat /tmp/events
