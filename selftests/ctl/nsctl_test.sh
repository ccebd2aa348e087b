#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nsctl create / list / show / delete / monitor, end to end, with -j output
# parsed back by jq, against iproute2 and util-linux as peers.

. ../lib/tap.sh

CG=/sys/fs/cgroup/nsctl
ino() { stat -L -c %i "$1"; }
# Processes still running "nsctl create" (its helper would be one).
creators() { for f in /proc/[0-9]*/cmdline; do tr '\0' ' ' <"$f" 2>/dev/null; echo; done | grep -c "^nsctl create"; }
containers() { for d in /sys/fs/nsctl/*/; do [ -d "$d" ] && basename "$d"; done | sort; }
# Run as nobody, with no capabilities.
nobody() { unshare --setgid 65534 --setuid 65534 "$@"; }
# seen FILE N PATTERN: FILE has N lines matching PATTERN (waits up to 20 s).
seen() { until_ok 400 sh -c "[ \$(grep -c -- '$3' '$1') -ge $2 ]"; }

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

# --- list -j (a netlink dump) agrees with the filesystem ---------------------
lj=$(nsctl list -j)
files() { for n in $(containers); do cat /sys/fs/nsctl/$n/$1; done | tr '\n' ' '; }
check_eq "list -j has every container" "$(containers | tr '\n' ' ')" \
	"$(echo "$lj" | jq -r '.[].name' | tr '\n' ' ')"
check_eq "list -j ids match the files" "$(files id)" \
	"$(echo "$lj" | jq -r '.[].id' | tr '\n' ' ')"
check_eq "list -j UUIDs match the files" "$(files uuid)" \
	"$(echo "$lj" | jq -r '.[].uuid' | tr '\n' ' ')"
check_eq "list -j generations match the files" "$(files generation)" \
	"$(echo "$lj" | jq -r '.[].generation' | tr '\n' ' ')"
check_eq "list -j cgroups match the files" "$(files cgroup)" \
	"$(echo "$lj" | jq -r '.[].cgroup // "-"' | tr '\n' ' ')"
check_eq "list -j namespaces and their UUIDs match the files" "$(files namespaces)" \
	"$(echo "$lj" | jq -r '.[] | . as $c | ["mnt","uts","ipc","net","pid","user","cgroup","time"][] |
		if $c.namespaces[.] then "\(.) \($c.namespaces[.]) \($c.namespace_uuids[.])"
		else "\(.) -" end' | tr '\n' ' ')"
check_eq "list -j pid_init matches the stat files" \
	"$(for n in $(containers); do sed -n 's/^pid_init //p' /sys/fs/nsctl/$n/stat; done | tr '\n' ' ')" \
	"$(echo "$lj" | jq -r '.[].pid_init // "-"' | tr '\n' ' ')"
check_eq "list -j carries no process count (show does)" "false true" \
	"$(echo "$lj" | jq '.[0] | has("tasks")') $(nsctl show web -j | jq 'has("tasks")')"
check_eq "list prints a line per container, no TASKS column" \
	"NAME ID GEN PID-INIT NAMESPACES CGROUP UUID $(containers | wc -l)" \
	"$(nsctl list | head -n 1 | tr -s ' ') $(nsctl list | tail -n +2 | wc -l)"
check_eq "list's line for web" \
	"web $(cat /sys/fs/nsctl/web/id) $(cat /sys/fs/nsctl/web/generation) none mnt,uts,ipc,net,pid,cgroup /nsctl/web $(cat /sys/fs/nsctl/web/uuid)" \
	"$(nsctl list | grep '^web ' | tr -s ' ')"

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
# Listing while containers come and go: every answer is one state, a dump
# that a change interrupted having been started again.
bash -c 'cd /sys/fs/nsctl && mkdir bulk{1..300}'
(while :; do mkdir /sys/fs/nsctl/churn; rmdir /sys/fs/nsctl/churn; done) 2>/dev/null &
churn=$!
bad=
for i in $(seq 20); do
	c=$(nsctl list -j | jq -c '[([.[].name | select(startswith("bulk"))] | length),
				   (length - ([.[].id] | unique | length))]') || bad="$bad fail"
	[ "$c" = "[300,0]" ] || bad="$bad $c"
done
kill $churn
wait $churn 2>/dev/null
check_eq "list under churn: every container once, every time" "" "$bad"
bash -c 'cd /sys/fs/nsctl && rmdir bulk{1..300}'
rmdir /sys/fs/nsctl/churn 2>/dev/null

# The dump and the file, read a moment apart: namespaces nsctl lets go of
# meanwhile can make them differ, so a few tries.
ns_file() { sort /sys/fs/nsctl/namespaces; }
ns_dump() {
	nsctl ns list -j | jq -r '.[] | "\(.uuid) \(.type) \(.inode) \(.owner // "-") \(.parent // "-") " +
		(if (.containers | length) > 0 then (.containers | map(tostring) | join(",")) else "-" end)' | sort
}
ns_text() { nsctl ns list | tail -n +2 | tr -s ' ' | sed 's/ $//' | sort; }
same_lines() {
	[ -n "$1" ] && [ "$1" = "$2" ] && return 0
	printf 'file:\n%s\nnetlink:\n%s\n' "$1" "$2"
	return 1
}
dump_is_file() { same_lines "$(ns_file)" "$(ns_dump)"; }
text_is_file() { same_lines "$(ns_file)" "$(ns_text)"; }
check "ns list -j (a netlink dump) equals the namespaces file" until_ok 10 dump_is_file
check "ns list (text) equals the namespaces file" until_ok 10 text_is_file
check_eq "ns list as nobody: what the file shows nobody" \
	"$(nobody cat /sys/fs/nsctl/namespaces | wc -l)" "$(nobody nsctl ns list -j | jq length)"
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
# pid_init_is STATE: poll until the container's init is in STATE; the
# bound only catches a hang, the check after says what it was.
pid_init_is() {
	for i in $(seq 600); do
		[ "$(nsctl show e1 -j | jq -r .pid_init)" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
# A first enter that stays until told, however slow the machine.
rm -f /tmp/e1.go
nsctl enter e1 -- sh -c 'while [ ! -e /tmp/e1.go ]; do sleep 0.1; done' &
ep=$!
pid_init_is running
check_eq "overlapping enters share the PID namespace" yes \
	"$(nsctl enter e1 -- sh -c 'ps -o args | grep -q "[e]1.go" && echo yes')"
check_eq "the container reports its init running" running "$(nsctl show e1 -j | jq -r .pid_init)"
touch /tmp/e1.go
wait $ep
gen=$(cat /sys/fs/nsctl/e1/generation)
pid_init_is dead
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

# --- events: nsctl monitor -----------------------------------------------------------
M=/tmp/mon
check_fails "monitor refused without CAP_SYS_ADMIN" "needs CAP_SYS_ADMIN" nobody nsctl monitor
check_fails "delete by one who does not see it" "no such container" nobody nsctl delete web
check_fails "create refused without CAP_SYS_ADMIN" "needs CAP_SYS_ADMIN" \
	nobody nsctl create nope --no-cgroup --ns net
# Who sees what, through the tool: web and other hold fresh namespaces;
# a process sees only a container it is in (entered, here).
check "create other" nsctl create other --no-cgroup --ns uts
names_of() { "$@" nsctl list -j | jq -r '.[].name' | grep -x -e other -e web | sort | tr '\n' ' '; }
in_web() { nsctl enter web -- "$@"; }
check_eq "root sees both" "other web " "$(names_of env)"
check_eq "nobody sees neither" "" "$(names_of nobody)"
check_eq "nobody inside web sees web" "web " "$(names_of in_web unshare --setgid 65534 --setuid 65534)"
check_eq "root of a user namespace inside web sees web" "web " \
	"$(names_of in_web unshare --setgid 65534 --setuid 65534 unshare -Ur)"
check_eq "root in a child PID namespace sees neither" "" "$(names_of unshare -pf)"
check_eq "ls as nobody inside web agrees" "web" \
	"$(in_web unshare --setgid 65534 --setuid 65534 ls /sys/fs/nsctl | grep -x -e other -e web)"
check "nobody inside web shows it" in_web unshare --setgid 65534 --setuid 65534 nsctl show web
check_fails "nobody outside cannot show web" "no such container" nobody nsctl show web
check_fails "nor enter it" "no such container" nobody nsctl enter web -- true
check_fails "root in a child PID namespace cannot show web" "no such container" \
	unshare -pf nsctl show web
check_fails "root of a user namespace cannot create" "needs CAP_SYS_ADMIN" \
	nobody unshare -Ur nsctl create nope --no-cgroup --ns uts
check_fails "nor follow events" "needs CAP_SYS_ADMIN" nobody unshare -Ur nsctl monitor
check "delete other" nsctl delete other
check_fails "monitor --count needs a number" "is not a positive number" nsctl monitor --count x
check "monitor --help" sh -c "nsctl monitor --help | grep -q '^Usage: nsctl monitor'"

# One event per action, in order, numbered without gaps.
check "monitor listens" mon_start $M.seq -j --containers --count 8
check "create ev" nsctl create ev --no-cgroup
gen0=$(cat /sys/fs/nsctl/ev/generation)
net0=$(nsctl show ev -j | jq -r .namespaces.net)
check "monitor: created" seen $M.seq 1 '"event":"created"'
check "ev: on_empty notify" sh -c 'echo notify >/sys/fs/nsctl/ev/on_empty'
check "enter ev" nsctl enter ev -- true
check "monitor: emptied once the enter's init is gone" seen $M.seq 1 '"event":"emptied"'
check "enter ev again: a fresh PID namespace" nsctl enter ev -- true
check "monitor: emptied again" seen $M.seq 2 '"event":"emptied"'
check "delete ev" nsctl delete ev
check "monitor exits after --count events" mon_end
check_eq "monitor: the events of create, a policy, two enters, delete" \
	"created changed entered emptied changed entered emptied deleted" \
	"$(jq -r .event $M.seq | tr '\n' ' ' | sed 's/ $//')"
check_eq "monitor: all about ev" "ev ev ev ev ev ev ev ev" \
	"$(jq -r .name $M.seq | tr '\n' ' ' | sed 's/ $//')"
# Network namespace events take numbers in between, filtered out here.
check_eq "monitor: seq numbers rising, no events lost" "true 0" \
	"$(jq -s '[.[].seq] as $s | [range(1; length) | $s[.] > $s[. - 1]] | all' $M.seq) \
$(grep -c overrun $M.seq)"
check_eq "monitor: created announces the complete container" "$gen0 $net0" \
	"$(jq -r 'select(.event == "created") | "\(.generation) \(.namespaces.net)"' $M.seq)"
check_eq "monitor: changed says what changed (a policy, then the pid slot)" \
	"[\"policy\"] $gen0 [\"pid\"] $((gen0 + 1))" \
	"$(jq -c 'select(.event == "changed") | .changed, .generation' $M.seq | tr '\n' ' ' | sed 's/ $//')"
check_eq "monitor: entered names the entering process" "true true" \
	"$(jq 'select(.event == "entered") | .pid > 1' $M.seq | tr '\n' ' ' | sed 's/ $//')"
check_eq "monitor: deleted holds nothing" "{}" \
	"$(jq -c 'select(.event == "deleted") | .namespaces | with_entries(select(.value != null))' $M.seq)"

# Text records; a create that fails announces nothing.
check "monitor listens (text)" mon_start $M.txt --containers --count 1
check_fails "create with a taken UUID fails" "another container has it" \
	nsctl create evdup --uuid "$(cat /sys/fs/nsctl/u1/uuid)" --ns net
check_eq "...and leaves no container" no "$([ -d /sys/fs/nsctl/evdup ] && echo yes || echo no)"
check_eq "...and no cgroup" no "$([ -d $CG/evdup ] && echo yes || echo no)"
check "create evt" nsctl create evt --no-cgroup --ns net
check "monitor exits after one event" mon_end
check_eq "monitor: a text line, and nothing about the failed create" \
	"created seq=N name=evt id=$(cat /sys/fs/nsctl/evt/id) uuid=$(cat /sys/fs/nsctl/evt/uuid) generation=2 pid_init=- namespaces=net cgroup=-" \
	"$(sed 's/seq=[0-9]*/seq=N/' $M.txt)"
check "delete evt" nsctl delete evt

# Network namespaces, created and torn down.
# (Namespaces of containers deleted above may be torn down meanwhile.)
check "monitor listens (netns)" mon_start $M.net -j --netns
ip netns add mon
nu=$(nsctl ns id /run/netns/mon)
ip netns delete mon
check "monitor: netns created and destroyed" seen $M.net 1 "\"netns-destroyed\",\"seq\":[0-9]*,\"uuid\":\"$nu\""
kill $mon
check_eq "monitor: created, then destroyed" "netns-created netns-destroyed" \
	"$(jq -r --arg u "$nu" 'select(.uuid == $u) | .event' $M.net | tr '\n' ' ' | sed 's/ $//')"
check_eq "monitor: only network namespaces with --netns" net \
	"$(jq -r .type $M.net | sort -u)"

# Lost events: a tiny receive buffer and a stopped monitor overrun; it says
# so, lists what exists, and goes on with the next event.
check "monitor listens (small buffer)" mon_start $M.ov -j --containers --buffer 4096 --count 1
kill -STOP $mon
for i in $(seq 40); do mkdir /sys/fs/nsctl/ov$i; done
for i in $(seq 3 40); do rmdir /sys/fs/nsctl/ov$i; done
kill -CONT $mon
check "monitor: overrun reported" seen $M.ov 1 '"event":"overrun"'
check "monitor: the present containers listed" seen $M.ov "$(containers | wc -l)" '"event":"sync"'
check "create after the overrun" nsctl create ovpost --no-cgroup --ns uts
check "monitor goes on with the next event" mon_end
check_eq "monitor: overrun first, lost count unknown" "overrun null" \
	"$(head -n 1 $M.ov | jq -r '"\(.event) \(.lost)"')"
check_eq "monitor: one sync record per container" "$(containers | grep -vx ovpost | tr '\n' ' ')" \
	"$(jq -r 'select(.event == "sync") | .name' $M.ov | sort | tr '\n' ' ')"
check_eq "monitor: then the next event, and nothing else" \
	"created ovpost $(($(containers | wc -l) + 1))" \
	"$(tail -n 1 $M.ov | jq -r '"\(.event) \(.name)"') $(wc -l <$M.ov)"
for n in ov1 ov2 ovpost; do nsctl delete $n; done

# --- bad input -------------------------------------------------------------------
check_fails "name with /" 'create "a/b": invalid name' nsctl create a/b
check_fails "name starting with ." "invalid name" nsctl create .x
check_fails "name too long" "invalid name" nsctl create "$(printf "%0256d" 0)"
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

# --- policies and the external view (nsctl set) ----------------------------
check "create pol" nsctl create pol
j=$(nsctl show pol -j)
check_eq "default policies" "ignore allow" "$(echo "$j" | jq -r '"\(.on_empty) \(.enter)"')"
check_eq "host name create set, read from outside" pol "$(echo "$j" | jq -r .hostname)"
check "set host and domain name from outside" nsctl set pol hostname=pol-1 domainname=example
check_eq "the file shows the new host name" pol-1 "$(cat /sys/fs/nsctl/pol/hostname)"
check_eq "a process inside sees both at once" "pol-1 example" \
	"$(nsctl enter pol -- sh -c 'echo $(hostname) $(cat /proc/sys/kernel/domainname)')"
check_eq "the caller's own host name is untouched" nsctl-vm "$(hostname)"
nsctl enter pol -- hostname inner
check_eq "a change made inside shows in the file" inner "$(cat /sys/fs/nsctl/pol/hostname)"
check "set IPC limits in one step" nsctl set pol shmmni=7 msgmni=9 sem=250,32000,32,128
check_eq "show -j reports them" "7 9 250,32000,32,128" \
	"$(nsctl show pol -j | jq -r '"\(.ipc.shmmni) \(.ipc.msgmni) \(.ipc.sem | map(tostring) | join(","))"')"
check_eq "a process inside has them" "7 9 250 32000 32 128" \
	"$(nsctl enter pol -- sh -c 'echo $(cat /proc/sys/kernel/shmmni /proc/sys/kernel/msgmni /proc/sys/kernel/sem)')"
# The kernel's IPCMNI: larger on a kernel booted with ipcmni_extend.
ipcmni=32768
for a in $(cat /proc/cmdline); do
	[ "$a" = -- ] && break
	case $a in ipcmni_extend | ipcmni_extend=*) ipcmni=16777216 ;; esac
done
check "the kernel's IPCMNI is in range" nsctl set pol shmmni=$ipcmni
check "back to 7" nsctl set pol shmmni=7
check_fails "out-of-range limit" "out of the kernel's range" \
	nsctl set pol msgmni=1 shmmni=$((ipcmni + 1))
check_eq "a refused set applies nothing" "7 9" "$(nsctl show pol -j | jq -r '"\(.ipc.shmmni) \(.ipc.msgmni)"')"
check_fails "unknown key" 'unknown key "frob"' nsctl set pol frob=1
check_fails "bad on_empty" "on_empty is ignore, notify or delete" nsctl set pol on_empty=maybe
check_fails "bad sem" "sem takes four numbers" nsctl set pol sem=1,2,3
check_fails "not KEY=VALUE" 'is not KEY=VALUE' nsctl set pol hostname
check_fails "set by one who does not see it" "no such container" nobody nsctl set pol on_empty=notify
check_eq "policies unchanged" "ignore allow" "$(nsctl show pol -j | jq -r '"\(.on_empty) \(.enter)"')"
check "seal" nsctl set pol enter=deny
check_fails "enter a sealed container" "the container is sealed (enter=deny)" nsctl enter pol -- true
check_fails "host name of a sealed container" "sealed (enter=deny)" nsctl set pol hostname=x
check_eq "list -j carries the policies" "ignore deny" \
	"$(nsctl list -j | jq -r '.[] | select(.name == "pol") | "\(.on_empty) \(.enter)"')"
check "unseal and ask for deletion when empty" nsctl set pol enter=allow on_empty=delete
# The last enter's init is gone: this one replaces the PID namespace first.
mon_start /tmp/pol.mon --containers --count 4
nsctl enter pol -- true
check "monitor saw the four events" mon_end
check_eq "changed, entered, emptied, deleted" "changed entered emptied deleted" \
	"$(awk '{print $1}' /tmp/pol.mon | tr '\n' ' ' | sed 's/ $//')"
check_eq "the container deleted itself" no "$([ -d /sys/fs/nsctl/pol ] && echo yes || echo no)"
check "set on a missing container" sh -c "nsctl set pol enter=deny 2>&1 | grep -q 'no such container'"
check "set --help" sh -c "nsctl set --help | grep -q '^Usage: nsctl set'"
# The kernel deletes the container, not the cgroup nsctl create made.
rmdir $CG/pol

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
