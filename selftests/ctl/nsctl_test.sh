#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nsctl create / list / show / delete, end to end, with -j output parsed
# back by jq, against iproute2 and util-linux as peers.

. ../lib/tap.sh

CG=/sys/fs/cgroup/nsctl
ino() { stat -L -c %i "$1"; }
# Userspace processes: kernel threads (empty cmdline) come and go.
nprocs() { grep -l . /proc/[0-9]*/cmdline 2>/dev/null | wc -l; }
containers() { for d in /sys/fs/nsctl/*/; do [ -d "$d" ] && basename "$d"; done | sort; }

# --- create with the defaults -------------------------------------------
before=$(nprocs)
check "create web" nsctl create web
check_eq "nothing left running after create" "$before" "$(nprocs)"
j=$(nsctl show web -j)
check_eq "show -j: name" web "$(echo "$j" | jq -r .name)"
check_eq "default types held" "cgroup ipc mnt net pid uts" \
	"$(echo "$j" | jq -r '.namespaces | to_entries | map(select(.value != null)) | map(.key) | sort | join(" ")')"
check_eq "user and time slots empty" "null null" "$(echo "$j" | jq -r '"\(.namespaces.user) \(.namespaces.time)"')"
check_eq "fresh pid namespace has no init yet" none "$(echo "$j" | jq -r .pid_init)"
check_eq "cgroup made under $CG" /nsctl/web "$(echo "$j" | jq -r .cgroup)"
check_eq "one generation step for the cgroup, one for the namespaces" 3 "$(echo "$j" | jq -r .generation)"
check_eq "net namespace is a new one" yes \
	"$([ "$(echo "$j" | jq -r .namespaces.net)" != "$(ino /proc/self/ns/net)" ] && echo yes)"
check_eq "uuid file and JSON agree" "$(cat /sys/fs/nsctl/web/uuid)" "$(echo "$j" | jq -r .uuid)"
check_eq "id file and JSON agree" "$(cat /sys/fs/nsctl/web/id)" "$(echo "$j" | jq -r .id)"
check_eq "no processes inside" "0 []" "$(echo "$j" | jq -c '"\(.tasks) \(.procs)"' | tr -d '"')"
check "show prints a readable summary" sh -c 'nsctl show web | grep -q "^pid init:    none"'
check "list shows web" sh -c 'nsctl list | grep -q "^web "'

# --- limits ---------------------------------------------------------------
check "create with limits" nsctl create lim --memory-max 64M --pids-max 50 --cpu-max 50000/100000
check_eq "memory.max" 67108864 "$(cat $CG/lim/memory.max)"
check_eq "pids.max" 50 "$(cat $CG/lim/pids.max)"
check_eq "cpu.max" "50000 100000" "$(cat $CG/lim/cpu.max)"

# --- list -j agrees with the filesystem ------------------------------------
lj=$(nsctl list -j)
check_eq "list -j has every container" "$(containers | tr '\n' ' ')" \
	"$(echo "$lj" | jq -r '.[].name' | sort | tr '\n' ' ')"
check_eq "list -j generations match the files" \
	"$(for n in $(containers); do cat /sys/fs/nsctl/$n/generation; done | tr '\n' ' ')" \
	"$(echo "$lj" | jq -r 'sort_by(.name) | .[].generation' | tr '\n' ' ')"

# --- from an ip netns namespace ------------------------------------------------
ip netns add blue
ip -n blue link add d0 type dummy
check "create --from-netns" nsctl create b --from-netns blue --no-cgroup
bj=$(nsctl show b -j)
check_eq "holds the ip netns namespace" "$(ino /run/netns/blue)" "$(echo "$bj" | jq -r .namespaces.net)"
check_eq "--from-netns takes net, the other default types are fresh" "cgroup ipc mnt net pid uts" \
	"$(echo "$bj" | jq -r '.namespaces | to_entries | map(select(.value != null)) | map(.key) | sort | join(" ")')"
check_eq "no cgroup with --no-cgroup" null "$(echo "$bj" | jq -r .cgroup)"
ip netns delete blue
check_eq "survives ip netns delete" "$(echo "$bj" | jq -r .namespaces.net)" "$(nsctl show b -j | jq -r .namespaces.net)"
check "delete b" nsctl delete b

# --- from a live process, busy, --force --------------------------------------
unshare -n -u sleep 1000 &
sp=$!
sleep 0.2
check "create --from-pid" nsctl create fp --from-pid $sp --ns net,uts --no-cgroup
fj=$(nsctl show fp -j)
check_eq "holds the process's namespaces" "$(ino /proc/$sp/ns/net) $(ino /proc/$sp/ns/uts)" \
	"$(echo "$fj" | jq -r '"\(.namespaces.net) \(.namespaces.uts)"')"
check_eq "the process is inside" "1 [$sp]" "$(echo "$fj" | jq -c '"\(.tasks) \(.procs)"' | tr -d '"')"
check_fails "delete refuses with processes inside" "processes are inside" nsctl delete fp
check "delete --force kills them and deletes" nsctl delete --force fp
wait $sp 2>/dev/null
check_eq "the process was killed" 137 "$?"
check_eq "fp is gone" no "$([ -d /sys/fs/nsctl/fp ] && echo yes || echo no)"

# --- share, user and time namespaces -------------------------------------------
check "create --share uts" nsctl create sh --ns net --share uts --no-cgroup
check_eq "holds the caller's uts namespace" "$(ino /proc/self/ns/uts)" "$(nsctl show sh -j | jq -r .namespaces.uts)"
check "create --ns all" nsctl create everything --ns all
aj=$(nsctl show everything -j)
check_eq "all eight slots held" 8 "$(echo "$aj" | jq '[.namespaces[] | select(. != null)] | length')"

# --- UUIDs ---------------------------------------------------------------------
check "create --uuid" nsctl create u1 --uuid 0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9 --no-cgroup --ns net
check_eq "the given UUID" 0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9 "$(cat /sys/fs/nsctl/u1/uuid)"
check_fails "a duplicate UUID is refused" "another container has it" \
	nsctl create u2 --uuid 0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9 --no-cgroup --ns net
check_eq "the refused create left nothing" no "$([ -d /sys/fs/nsctl/u2 ] && echo yes || echo no)"
check_fails "a malformed UUID" "is not a UUID" nsctl create u3 --uuid 0f1e2d3c-4b5a-4978-8695

# --- bad input -------------------------------------------------------------------
check_fails "name with /" 'create "a/b": invalid name' nsctl create a/b
check_fails "name starting with ." "invalid name" nsctl create .x
check_fails "name too long" "invalid name" nsctl create 0123456789012345678901234567890123456789012345678901234567890123
check_fails "empty name" "invalid name" nsctl create ""
check_fails "duplicate name" "a container of that name exists" nsctl create web
check_fails "unknown type" 'unknown namespace type "foo"' nsctl create x --ns net,foo
check_fails "bad memory size" "is not a size" nsctl create x --memory-max 12X
check_fails "bad cpu.max" "is not QUOTA/PERIOD" nsctl create x --cpu-max 5
check_fails "bad pid" "is not a process id" nsctl create x --from-pid abc
check_fails "missing ip netns" "cannot open the net namespace of /run/netns/nosuch" \
	nsctl create x --from-netns nosuch
check_eq "failed creates left no container" no "$([ -d /sys/fs/nsctl/x ] && echo yes || echo no)"
check_eq "failed creates left no cgroup" no "$([ -d $CG/x ] && echo yes || echo no)"
check_fails "delete a missing container" "no such container" nsctl delete nosuch
check_fails "show a missing container" "no such container" nsctl show nosuch
check_fails "unknown command" 'unknown command "frobnicate"' nsctl frobnicate
for c in create list show delete; do
	check "$c --help" sh -c "nsctl $c --help | grep -q '^Usage: nsctl $c'"
done

# --- delete drops everything ---------------------------------------------------------
for n in web lim sh everything u1; do
	check "delete $n" nsctl delete $n
done
check_eq "nsctl's cgroups are removed" "" "$(ls -d $CG/*/ 2>/dev/null)"
check_eq "no containers left" "[]" "$(nsctl list -j)"

tap_done
