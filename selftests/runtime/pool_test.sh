#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Pools through the tool: nsctl pool create / list / show / set / delete,
# the filler (pool fill --once, and left running as its service runs it),
# create --from-pool (with --fallback), pool events in nsctl monitor, the
# members' cgroups and their sweep, bad input, and who may do what.

. ../lib/tap.sh

CG=/sys/fs/cgroup/nsctl
DEFAULT="mnt,uts,ipc,net,pid,cgroup"
nobody() { unshare --setgid 65534 --setuid 65534 "$@"; }
field() { nsctl pool show "$1" -j | jq -r ".$2"; }
# How many member cgroups of pool $1 (every pool: *) are in the parent.
ndirs() { ls -d $CG/$1~* 2>/dev/null | wc -l; }
pools() { nsctl pool list -j | jq -r '.[].name' | tr '\n' ' '; }
ready_is() { [ "$(field "$1" ready)" = "$2" ]; }
# ended PID: the status of background process PID once it exited, or 124
# when it did not (then it is killed).
ended() {
	if until_ok 2400 sh -c "! kill -0 $1 2>/dev/null"; then
		wait "$1"
		return $?
	fi
	kill -KILL "$1"
	wait "$1"
	return 124
}
# A filler in the background, its output in $1.out and $1.err; returns
# once it listens, with its pid in $filler.
filler_start() {
	out=$1
	shift
	: >"$out.err"
	nsctl pool fill "$@" >"$out.out" 2>"$out.err" &
	filler=$!
	until_ok 400 grep -q "listening" "$out.err"
}

# --- create, list, show -------------------------------------------------------
check "pool create web" nsctl pool create web --size 3 --low 2 --label tier=pool
j=$(nsctl pool show web -j)
check_eq "show -j: the settings" "web 3 2 0 true" \
	"$(echo "$j" | jq -r '"\(.name) \(.size) \(.low) \(.max_age) \(.cgroup)"')"
check_eq "the types of nsctl create by default" "$DEFAULT" "$(echo "$j" | jq -r '.types | join(",")')"
check_eq "nothing ready or counted yet" "0 0 0 0 0 null []" \
	"$(echo "$j" | jq -c '"\(.ready) \(.claimed) \(.added) \(.expired) \(.missed) \(.oldest) \(.members)"' | tr -d '"')"
check_eq "the template's labels and default policies" '{"tier":"pool"} ignore allow' \
	"$(echo "$j" | jq -c .labels) $(echo "$j" | jq -r '"\(.on_empty) \(.enter)"')"
check_eq "the pools file has its line" \
	"web types=$DEFAULT size=3 low=2 max_age=0 ready=0 claimed=0 added=0 expired=0 missed=0" \
	"$(grep '^web ' /sys/fs/nsctl/pools)"
check "pool create half, with the default mark" nsctl pool create half --size 5
check_eq "the default low-water mark is half the size, rounded up" 3 "$(field half low)"
check "pool create light: some types, no cgroup, policies" \
	nsctl pool create light --size 2 --ns net,uts --no-cgroup --on-empty notify --enter deny --max-age 3600
check_eq "light's settings" '[["uts","net"],false,"notify","deny",3600]' \
	"$(nsctl pool show light -j | jq -c '[.types, .cgroup, .on_empty, .enter, .max_age]')"
check_eq "list -j: every pool, by name" "half light web " "$(pools)"
check_eq "list: a header and a line per pool" \
	"NAME TYPES SIZE LOW MAX_AGE READY CLAIMED ADDED EXPIRED MISSED|light uts,net 2 1 3600 0 0 0 0 0|web $DEFAULT 3 2 - 0 0 0 0 0" \
	"$(nsctl pool list | grep -v '^half ' | tr -s ' ' | sed 's/ $//' | tr '\n' '|' | sed 's/|$//')"
check "show prints a summary" sh -c 'nsctl pool show web | grep -q "^max age:     - (members never expire)"'
check_fails "a taken pool name" "a pool of that name exists" nsctl pool create web --size 1
check_fails "show a missing pool" 'no such pool "nosuch"' nsctl pool show nosuch

# --- set ----------------------------------------------------------------------
check "pool set size, low and max-age together" nsctl pool set half size=4 low=1 max-age=600
check_eq "show has the new values" "4 1 600" "$(nsctl pool show half -j | jq -r '"\(.size) \(.low) \(.max_age)"')"
check_fails "a mark above the size (the kernel's check)" "cannot change the pool" nsctl pool set half low=9
check_fails "set a missing pool" 'no such pool "nosuch"' nsctl pool set nosuch size=1
check_eq "a refused set changed nothing" "4 1 600" "$(nsctl pool show half -j | jq -r '"\(.size) \(.low) \(.max_age)"')"
check "pool delete half" nsctl pool delete half
check_eq "it is gone" "light web " "$(pools)"
check_fails "delete it again" 'no such pool "half"' nsctl pool delete half

# --- fill --once ------------------------------------------------------------------
check "fill --once web" nsctl pool fill --once web
j=$(nsctl pool show web -j)
check_eq "web is full" "3 3 3" "$(echo "$j" | jq -r '"\(.ready) \(.added) \(.members | length)"')"
check_eq "the oldest member's time is known" true "$(echo "$j" | jq '.oldest > 0')"
check_eq "three cgroups web~<16 hex digits> in the parent" 3 \
	"$(ls -d $CG/web~* | grep -cE '/web~[0-9a-f]{16}$')"
check_eq "show -j names them" "$(ls -d $CG/web~* | sed "s|^/sys/fs/cgroup||" | sort | tr '\n' ' ')" \
	"$(echo "$j" | jq -r '.members[].cgroup' | sort | tr '\n' ' ')"
check_eq "...with the ids the kernel has for them" \
	"$(for d in $CG/web~*; do stat -c %i "$d"; done | sort | tr '\n' ' ')" \
	"$(echo "$j" | jq -r '.members[].cgroup_id' | sort | tr '\n' ' ')"
check_eq "members are in no container listing" "[]" "$(nsctl list -j)"
check_eq "light was not named: still empty" 0 "$(field light ready)"
check "fill --once of a full pool" nsctl pool fill --once web
check_eq "adds nothing" "3 3 3 3" "$(nsctl pool show web -j | jq -r '"\(.ready) \(.added) \(.members | length)"') $(ndirs web)"
check "fill --once fills every pool" nsctl pool fill --once
check_eq "light is full, without cgroups" "2 [] 0" \
	"$(nsctl pool show light -j | jq -c '.ready, .members' | tr '\n' ' ')$(ndirs light)"
check "a pool with limits" nsctl pool create lim --size 1 --memory-max 64M --pids-max 50 --cpu-max 50000/100000
check_eq "its template has them as the files take them" "67108864 50 50000 100000" \
	"$(nsctl pool show lim -j | jq -r '"\(.memory_max) \(.pids_max) \(.cpu_max)"')"
check "fill it" nsctl pool fill --once lim
check_eq "the member's cgroup has them" "67108864 50 50000 100000" \
	"$(cat $CG/lim~*/memory.max $CG/lim~*/pids.max $CG/lim~*/cpu.max | tr '\n' ' ' | sed 's/ $//')"
check_fails "fill --once of a missing pool" 'no such pool "nosuch"' nsctl pool fill --once nosuch

# --- create --from-pool -----------------------------------------------------------
check "create c1 --from-pool web" nsctl create c1 --from-pool web --label app=one
cj=$(nsctl show c1 -j)
cg=$(echo "$cj" | jq -r .cgroup)
check_eq "show: the template's types" "cgroup ipc mnt net pid uts" \
	"$(echo "$cj" | jq -r '.namespaces | to_entries | map(select(.value != null)) | map(.key) | sort | join(" ")')"
check_eq "its cgroup is a member's, made by the filler" yes \
	"$(echo "$j" | jq -r '.members[].cgroup' | grep -qx "$cg" && echo yes)"
check_eq "the template's labels, then the given ones" '{"app":"one","tier":"pool"}' "$(echo "$cj" | jq -c .labels)"
check "list shows c1" sh -c 'nsctl list | grep -q "^c1 "'
check_eq "web has one ready member less" "2 1" "$(nsctl pool show web -j | jq -r '"\(.ready) \(.claimed)"')"
check_eq "enter c1: its host name is the pool's" web "$(nsctl enter c1 -- hostname)"
check_eq "enter c1: in its cgroup, the root of its cgroup namespace" "0::/" "$(nsctl enter c1 -- cat /proc/self/cgroup)"
check_eq "enter c1: the host's view names the member's cgroup" "$cg" \
	"$(nsctl enter --ns net c1 -- cat /proc/self/cgroup | sed 's/^0:://')"
check "delete c1" nsctl delete c1
check_eq "its cgroup, the filler's, is removed" no "$([ -d "/sys/fs/cgroup$cg" ] && echo yes || echo no)"
U=0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9
check "claim with a UUID" nsctl create c2 --from-pool web --uuid $U
check_eq "it has the UUID" $U "$(cat /sys/fs/nsctl/c2/uuid)"
check_fails "claim with a taken name" "a container of that name exists" nsctl create c2 --from-pool web
check_fails "claim with a taken UUID" "another container has it" nsctl create c3 --from-pool web --uuid $U
check_fails "claim under the name of a file of the root" "cannot claim a member under this name" \
	nsctl create pools --from-pool web
check_eq "the refused claims kept their members" "1 2" "$(nsctl pool show web -j | jq -r '"\(.ready) \(.claimed)"')"
check_eq "...and their cgroups" 2 "$(ndirs web)"
check "claim with a netns export" nsctl create c4 --from-pool web --netns-export
check_eq "the export is its network namespace" "$(nsctl show c4 -j | jq -r .namespaces.net)" \
	"$(stat -L -c %i /run/netns/c4)"
check "delete c4" nsctl delete c4
check_eq "its export is gone" no "$([ -e /run/netns/c4 ] && echo yes || echo no)"
check_eq "web is empty now" 0 "$(field web ready)"
check_fails "claim from an empty pool" "pool web has no ready member" nsctl create c5 --from-pool web
check_eq "...which counts as missed" 1 "$(field web missed)"
check_eq "...and makes nothing" no "$([ -d /sys/fs/nsctl/c5 ] && echo yes || echo no)"
check "pool create tmpl, never filled" \
	nsctl pool create tmpl --size 1 --ns net,uts,ipc --memory-max 32M --label k=v --label app=pool --on-empty notify
check "--fallback from an empty pool makes the container fresh" \
	nsctl create c5 --from-pool tmpl --fallback --label app=mine
fj=$(nsctl show c5 -j)
check_eq "...with the template's types" "ipc net uts" \
	"$(echo "$fj" | jq -r '.namespaces | to_entries | map(select(.value != null)) | map(.key) | sort | join(" ")')"
check_eq "...a cgroup of its own with the template's limit" "/nsctl/c5 33554432" \
	"$(echo "$fj" | jq -r .cgroup) $(cat $CG/c5/memory.max)"
check_eq "...the template's labels and policy, the given label first" '{"app":"mine","k":"v"} notify' \
	"$(echo "$fj" | jq -c .labels) $(echo "$fj" | jq -r .on_empty)"
check "delete c5" nsctl delete c5
check_fails "claim from a missing pool" 'no such pool "nosuch"' nsctl create c6 --from-pool nosuch
check_fails "--ns goes not with --from-pool" "--ns cannot go with --from-pool" nsctl create c6 --from-pool web --ns net
check_fails "nor --no-cgroup" "--no-cgroup cannot go with --from-pool" nsctl create c6 --from-pool web --no-cgroup
check_fails "--fallback needs --from-pool" "--fallback goes with --from-pool" nsctl create c6 --fallback
check "pool create nonet" nsctl pool create nonet --size 1 --ns uts --no-cgroup
check_fails "an export of a pool without net" 'pool "nonet" has none' \
	nsctl create c6 --from-pool nonet --netns-export
check_fails "an export of a sealed pool's container" 'pool "light" seals its containers' \
	nsctl create c6 --from-pool light --netns-export
check_eq "neither used up a member" "2 0" "$(field light ready) $(field nonet missed)"
check "pool delete nonet" nsctl pool delete nonet
check_eq "no container was made" "c2 " "$(nsctl list -j | jq -r '.[].name' | tr '\n' ' ')"
check "delete c2" nsctl delete c2

# --- released members: the sweep -------------------------------------------------------
check "fill web again" nsctl pool fill --once web
check "claim s1" nsctl create s1 --from-pool web
check "shrink web: the newest member beyond the size is released" nsctl pool set web size=1
check_eq "one ready, one expired" "1 1" "$(nsctl pool show web -j | jq -r '"\(.ready) \(.expired)"')"
check_eq "the released member's cgroup is still there" 3 "$(ndirs web)"
check "fill --once sweeps" nsctl pool fill --once web
check_eq "left: the ready member's cgroup and s1's, claimed from the pool" \
	"$( (nsctl pool show web -j | jq -r '.members[].cgroup'; nsctl show s1 -j | jq -r .cgroup) | sort | tr '\n' ' ')" \
	"$(ls -d $CG/web~* | sed 's|^/sys/fs/cgroup||' | sort | tr '\n' ' ')"
check "pool set web size=3 low=2 (the shrink took the mark down with it)" nsctl pool set web size=3 low=2

# --- monitor --------------------------------------------------------------------------
M=/tmp/pool.mon
check "fill web to 3" nsctl pool fill --once web
check "monitor listens" mon_start $M --pools --count 1
check "claim m1 (ready 2: not below the mark 2)" nsctl create m1 --from-pool web
check "claim m2 (ready 1: below it)" nsctl create m2 --from-pool web
check "monitor exits after one pool event" mon_end
check_eq "it was pool-low, once the second claim was done" \
	"pool-low seq=N name=web size=3 low=2 ready=1 claimed=$(field web claimed) types=$DEFAULT" \
	"$(sed 's/seq=[0-9]*/seq=N/' $M)"
check "monitor listens (-j)" mon_start $M -j --pools --count 2
# Size 0: no pool-low follows the creation.
check "pool create ev" nsctl pool create ev --size 0 --ns uts --no-cgroup
check "pool delete ev" nsctl pool delete ev
check "monitor exits after two pool events" mon_end
check_eq "-j: created (with its settings), deleted" "pool-created ev 0 true|pool-deleted ev 0 true" \
	"$(jq -r '"\(.event) \(.name) \(.size) \(.seq > 0)"' $M | tr '\n' '|' | sed 's/|$//')"
for c in s1 m1 m2; do check "delete $c" nsctl delete $c; done

# --- the filler, left running ------------------------------------------------------------
F=/tmp/pool.fill
check "a filler for bg, which does not exist yet" filler_start $F bg
check "it says it waits for bg" until_ok 400 grep -q 'no such pool "bg" yet' $F.err
check "pool create bg" nsctl pool create bg --size 2 --low 2
check "the filler fills it" until_ok 2400 ready_is bg 2
check "claim b1" nsctl create b1 --from-pool bg
check "claim b2" nsctl create b2 --from-pool bg
check "the filler refills it" until_ok 2400 ready_is bg 2
check_eq "four added, two claimed" "4 2" "$(nsctl pool show bg -j | jq -r '"\(.added) \(.claimed)"')"
check_eq "web, not named, was left alone" 1 "$(field web ready)"
kill -KILL $filler
ended $filler
check "another filler after a SIGKILL" filler_start $F bg
check "claim b3" nsctl create b3 --from-pool bg
check "the new filler refills" until_ok 2400 ready_is bg 2
check_eq "five added" 5 "$(field bg added)"
check_eq "member cgroups: the two ready and the three claimed" 5 "$(ndirs bg)"
kill -TERM $filler
ended $filler
check_eq "SIGTERM ends the filler with status 0" 0 "$?"
# Two fillers at once share a pool: each stops once it is full.
check "pool create pair" nsctl pool create pair --size 6 --ns uts,net
nsctl pool fill --once --batch 2 pair >/dev/null 2>$F.1 &
f1=$!
nsctl pool fill --once --batch 2 pair >/dev/null 2>$F.2 &
f2=$!
ended $f1
s1=$?
ended $f2
check_eq "two fillers side by side: both succeed, quietly" "0 0 " "$s1 $? $(cat $F.1 $F.2)"
check_eq "the pool holds its size, six added" "6 6" "$(nsctl pool show pair -j | jq -r '"\(.ready) \(.added)"')"
check_eq "no cgroup left by a refused add" 6 "$(ndirs pair)"

# --- delete -------------------------------------------------------------------------------
check "pool delete bg" nsctl pool delete bg
check_eq "its ready members' cgroups are removed, the claimed ones' kept" 3 "$(ndirs bg)"
check_eq "the claimed containers stay" "b1 b2 b3 " "$(nsctl list -j | jq -r '.[].name' | tr '\n' ' ')"
for c in b1 b2 b3; do check "delete $c" nsctl delete $c; done
check_eq "no bg~ cgroup is left" 0 "$(ndirs bg)"

# --- bad input: nothing changes ------------------------------------------------------------
before=$(cat /sys/fs/nsctl/pools)
check_fails "a name with /" "invalid pool name" nsctl pool create a/b --size 1
check_fails "a name starting with ." "invalid pool name" nsctl pool create .x --size 1
check_fails "64 characters are too many" "invalid pool name" nsctl pool create "$(printf 'p%.0s' $(seq 64))" --size 1
check_fails "no size" "--size is required" nsctl pool create x
check_fails "a size beyond 4096" "is not a number from 0 to 4096" nsctl pool create x --size 4097
check_fails "a size that is no number" "is not a number from 0 to 4096" nsctl pool create x --size -1
check_fails "low above size" "--low 5 is above --size 4" nsctl pool create x --size 4 --low 5
check_fails "an unknown type" 'unknown namespace type "foo"' nsctl pool create x --size 1 --ns net,foo
check_fails "limits without a cgroup" "limits need a cgroup" nsctl pool create x --size 1 --no-cgroup --pids-max 5
check_fails "a bad on-empty" "--on-empty is ignore, notify or delete" nsctl pool create x --size 1 --on-empty maybe
check_fails "an unknown option" "unrecognized option" nsctl pool create x --size 1 --bogus
check_fails "an unknown key to set" 'unknown key "frob"' nsctl pool set web frob=1
check_fails "set: not KEY=VALUE" "is not KEY=VALUE" nsctl pool set web size
check_fails "set: a size beyond 4096" "is not a number from 0 to 4096" nsctl pool set web size=5000
check_fails "fill: a batch of 0" "is not a number from 1 to 4096" nsctl pool fill --once --batch 0
check_fails "an unknown pool subcommand" 'unknown subcommand "frob"' nsctl pool frob
check_eq "nothing changed" "$before" "$(cat /sys/fs/nsctl/pools)"
for c in create list show set delete fill; do
	check "pool $c --help" sh -c "nsctl pool $c --help | grep -q '^Usage: nsctl pool $c'"
done

# --- who may do what ------------------------------------------------------------------------
before=$(cat /sys/fs/nsctl/pools)
nd=$(ndirs '*')
check_fails "nobody cannot create a pool" "needs CAP_SYS_ADMIN" nobody nsctl pool create x --size 1
check_fails "nor delete one" "needs CAP_SYS_ADMIN" nobody nsctl pool delete web
check_fails "nor change one" "needs CAP_SYS_ADMIN" nobody nsctl pool set web size=1
check_fails "nor fill" "needs CAP_SYS_ADMIN" nobody nsctl pool fill --once
check_fails "nor claim" "needs CAP_SYS_ADMIN" nobody nsctl create x --from-pool web
check_eq "nobody sees no pool" "[] " "$(nobody nsctl pool list -j) $(nobody cat /sys/fs/nsctl/pools)"
check_fails "nor shows one" 'no such pool "web"' nobody nsctl pool show web
check_eq "root in a child PID namespace sees no pool either" "[]" "$(unshare -pf nsctl pool list -j)"
check "...and its fill --once has nothing to do" unshare -pf nsctl pool fill --once
check_eq "...nor sweeps the members' cgroups it cannot see held" "$nd" "$(ndirs '*')"
check_eq "nothing changed" "$before" "$(cat /sys/fs/nsctl/pools)"

# --- the end: no pool, no member cgroup ------------------------------------------------------
for p in web light lim tmpl pair; do check "pool delete $p" nsctl pool delete $p; done
check_eq "no pool left" "" "$(cat /sys/fs/nsctl/pools)"
check_eq "no member cgroup left under $CG" 0 "$(ndirs '*')"
check_eq "no container left" "[]" "$(nsctl list -j)"

tap_done
