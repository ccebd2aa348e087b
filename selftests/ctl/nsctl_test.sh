#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nsctl create / list / show / delete, end to end, with -j output parsed
# back by jq, against iproute2 and util-linux as peers.

. ../lib/tap.sh

CG=/sys/fs/cgroup/nsctl
ino() { stat -L -c %i "$1"; }
# Processes still running "nsctl create" (its helper would be one).
creators() { for f in /proc/[0-9]*/cmdline; do tr '\0' ' ' <"$f" 2>/dev/null; echo; done | grep -c "^nsctl create"; }
containers() { for d in /sys/fs/nsctl/*/; do [ -d "$d" ] && basename "$d"; done | sort; }

# --- create with the defaults -------------------------------------------
check "create web" nsctl create web
check_eq "nothing left running after create" 0 "$(creators)"
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
# Until it has unshared, the process is still in our own namespaces.
for i in $(seq 200); do
	[ "$(ino /proc/$sp/ns/net)" != "$(ino /proc/self/ns/net)" ] && break
	sleep 0.05
done
check "create --from-pid" nsctl create fp --from-pid $sp --ns net,uts --no-cgroup
fj=$(nsctl show fp -j)
check_eq "holds the process's namespaces" "$(ino /proc/$sp/ns/net) $(ino /proc/$sp/ns/uts)" \
	"$(echo "$fj" | jq -r '"\(.namespaces.net) \(.namespaces.uts)"')"
check_eq "the process is inside" "1 [$sp]" "$(echo "$fj" | jq -c '"\(.tasks) \(.procs)"' | tr -d '"')"
check_fails "delete refuses with processes inside" "processes are inside" nsctl delete fp
check "delete --force kills them and deletes" nsctl delete --force fp
# From inside a container, --force would kill the caller itself.
check_eq "delete --force refuses to kill its own caller" "1 1" "$(unshare -u sh -c \
	'nsctl create mine --from-pid $$ --ns uts --no-cgroup &&
	 nsctl delete --force mine 2>/tmp/mine.err; echo "$? $(grep -c "you are inside" /tmp/mine.err)"')"
check "...and deletes it once the caller is gone" nsctl delete mine
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

# --- namespace UUIDs -------------------------------------------------------------
check "ns id of a path prints a version 7 UUID" sh -c \
	'nsctl ns id /proc/self/ns/net | grep -Eq "^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"'
check_eq "ns id PID TYPE equals ns id PATH" "$(nsctl ns id /proc/$$/ns/net)" "$(nsctl ns id $$ net)"
check_eq "ns id PID lists all eight types" 8 "$(nsctl ns id $$ | wc -l)"
wu=$(nsctl show web -j | jq -r .namespace_uuids.net)
check_eq "the container's net UUID is in ns list -j" "$wu" \
	"$(nsctl ns list -j --type net | jq -r --arg u "$wu" '.[] | select(.uuid == $u) | .uuid')"
check_eq "ns list -j names the container holding it" "$(cat /sys/fs/nsctl/web/id)" \
	"$(nsctl ns list -j | jq -r --arg u "$wu" '.[] | select(.uuid == $u) | .containers[0]')"
uu=$(nsctl show web -j | jq -r .namespace_uuids.uts)
check_eq "ns open runs the command in the namespace" "$(nsctl show web -j | jq -r .namespaces.uts)" \
	"$(nsctl ns open "$uu" -- stat -L -c %i /proc/self/ns/uts)"
check_eq "a fresh uts namespace carries the container's name" web "$(nsctl ns open "$uu" -- hostname)"
check_eq "ns open passes the exit status through" 3 "$(nsctl ns open "$uu" -- sh -c 'exit 3'; echo $?)"
ip netns add green
check_eq "ip netns bind mount and the process inside agree" "$(nsctl ns id /run/netns/green)" \
	"$(ip netns exec green nsctl ns id /proc/self/ns/net)"
ip netns delete green
check_fails "malformed UUID" "not a UUID" nsctl ns open 1234
check_fails "unknown UUID" "no namespace you may see has that UUID" \
	nsctl ns open 00000000-0000-4000-8000-000000000000
check_fails "ns id of a regular file" "is not a namespace" nsctl ns id /etc/passwd
check_fails "ns id of a missing path" "cannot open /nonexistent" nsctl ns id /nonexistent
check_fails "ns list with an unknown type" 'unknown namespace type "bogus"' nsctl ns list --type bogus
check_fails "ns with an unknown subcommand" 'unknown subcommand "frob"' nsctl ns frob
check "ns --help" sh -c "nsctl ns --help | grep -q '^Usage: nsctl ns list'"

# --- nsctl enter -------------------------------------------------------------------
check "create e1" nsctl create e1
check_eq "enter: the container's host name" e1 "$(nsctl enter e1 -- hostname)"
check_eq "enter: only the container's devices" "lo" \
	"$(nsctl enter e1 -- ip -o link | awk -F': ' '{print $2}' | tr '\n' ' ' | sed 's/ $//')"
check_eq "enter: the first process is PID 1's child in a fresh PID namespace" 2 \
	"$(nsctl enter e1 -- sh -c 'echo $$')"
check_eq "enter: a fresh /proc shows only the container's processes" "1 2" \
	"$(nsctl enter e1 -- ls /proc | grep -E '^[0-9]+$' | sort -n | tr '\n' ' ' | sed 's/ $//')"
check_eq "enter: in the container's cgroup (its cgroup namespace's root)" "0::/" \
	"$(nsctl enter e1 -- cat /proc/self/cgroup)"
check_eq "enter: the host's cgroup view names the container's cgroup" "/nsctl/e1" \
	"$(nsctl enter --ns net e1 -- cat /proc/self/cgroup | sed 's/^0:://')"
check_eq "enter: exit status passed through" 7 "$(nsctl enter e1 -- sh -c 'exit 7'; echo $?)"
check_eq "enter: stdin passed through" hello "$(echo hello | nsctl enter e1 -- cat)"
nsctl enter e1 -- sleep 5 &
ep=$!
sleep 1
check_eq "overlapping enters share the PID namespace" yes \
	"$(nsctl enter e1 -- sh -c 'ps -o comm | grep -q "^sleep" && echo yes')"
check_eq "the container reports its init running" running "$(nsctl show e1 -j | jq -r .pid_init)"
wait $ep
gen=$(cat /sys/fs/nsctl/e1/generation)
sleep 0.5
check_eq "once everything exited the PID namespace's init is dead" dead "$(nsctl show e1 -j | jq -r .pid_init)"
check_eq "the next enter still works" ok "$(nsctl enter e1 -- echo ok)"
check_eq "...with a fresh PID namespace: one generation step" $((gen + 1)) "$(cat /sys/fs/nsctl/e1/generation)"
check_fails "an enter expecting the old generation is refused" "stale" \
	nsctl enter --expect-gen "$gen" e1 -- true
check "an enter expecting the current generation works" \
	nsctl enter --ns uts,net --expect-gen "$(cat /sys/fs/nsctl/e1/generation)" e1 -- true
check_fails "...but not when entering needs a new PID namespace (a generation step)" "stale" \
	nsctl enter --expect-gen "$(cat /sys/fs/nsctl/e1/generation)" e1 -- true
u=$(nsctl show e1 -j | jq -r .namespace_uuids.net)
check "--expect-uuid with the current UUID" nsctl enter --expect-uuid "$u" e1 -- true
check "--expect-uuid TYPE=UUID" nsctl enter --expect-uuid "net=$u" e1 -- true
check_fails "--expect-uuid with another UUID" "stale" \
	nsctl enter --expect-uuid "net=$(nsctl ns id /proc/self/ns/net)" e1 -- true
check_fails "--expect-uuid that is not a UUID" "is not a UUID" nsctl enter --expect-uuid xyz e1 -- true
check_fails "enter a missing container" "no such container" nsctl enter nosuch -- true
nsctl enter e1 -- /nonexistent 2>/tmp/enter.err
check_eq "enter with a missing command: 127 and a message" "127 1" \
	"$? $(grep -c 'cannot run /nonexistent' /tmp/enter.err)"
check_fails "enter with words before --" "the command goes after --" nsctl enter e1 true
check "enter --help" sh -c "nsctl enter --help | grep -q '^Usage: nsctl enter'"
# Recreated under the same name: the old identity is refused.
check "delete e1" nsctl delete e1
check "recreate e1" nsctl create e1
check_fails "the old namespace UUID is refused in the new e1" "stale" \
	nsctl enter --expect-uuid "net=$u" e1 -- true
check "delete the new e1" nsctl delete e1

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
# The network namespace web held is gone once the kernel tore it down.
gone=no
for i in $(seq 100); do
	nsctl ns open "$wu" -- true 2>/tmp/ns.err || { grep -q "no longer exists" /tmp/ns.err && gone=yes && break; }
	sleep 0.1
done
check_eq "a deleted container's namespace UUID reads as gone" yes "$gone"
check_eq "nsctl's cgroups are removed" "" "$(ls -d $CG/*/ 2>/dev/null)"
check_eq "no containers left" "[]" "$(nsctl list -j)"

tap_done
