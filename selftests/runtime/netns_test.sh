#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A container's network namespace exported as /run/netns/NAME
# (create --netns-export, set netns-export=, declarations), seen by
# iproute2's ip netns and util-linux's lsns; nsctl removes only what it
# made, on delete, at boot and, as the service, on deletion events.

. ../lib/tap.sh

D=/tmp/netnsd
R=/run/nsctl/netns
# Never empty, so that two missing things do not compare equal.
ino() { stat -L -c %i "$1" 2>/dev/null || echo "no file $1"; }
# The inode of a container's network namespace, from its namespaces file.
ct_net() { awk '$1 == "net" { print $2 }' /sys/fs/nsctl/$1/namespaces 2>/dev/null | grep . ||
	echo "no container $1"; }
exists() { [ -e "$1" ] && echo yes || echo no; }
mounted() { grep -q " $1 " /proc/self/mountinfo && echo yes || echo no; }
rm -rf $D
mkdir -p $D

# --- what the VM offers ---------------------------------------------------------
check "ip has netns (iproute2, not busybox)" ip netns list

# --- create --netns-export ---------------------------------------------------------
check "create with --netns-export" nsctl create nx --netns-export --no-cgroup
check_eq "/run/netns/NAME is the container's network namespace" "$(ct_net nx)" "$(ino /run/netns/nx)"
check_eq "a bind mount" yes "$(mounted /run/netns/nx)"
check "/run/netns is a shared mount point of its own" \
	sh -c "grep ' /run/netns ' /proc/self/mountinfo | grep -q ' shared:'"
check "recorded" grep -qx "container=nx" $R/nx
check_eq "the record is readable by all" 644 "$(stat -c %a $R/nx)"
check_eq "the lock is root's alone" 600 "$(stat -c %a /run/nsctl/netns.lock)"
check_eq "ip netns list names it" nx "$(ip netns list | awk '$1 == "nx" { print $1 }')"
check "a device made with nsctl enter" nsctl enter --ns net nx -- ip link add d0 type dummy
check "is seen by ip netns exec" sh -c "ip netns exec nx ip -o link show | grep -q ': d0:'"
check "and by joining the exported file" sh -c "nsenter --net=/run/netns/nx ip -o link show d0"
check_eq "not on the host" no "$(ip link show d0 >/dev/null 2>&1 && echo yes || echo no)"
check_eq "show says where" "netns export: /run/netns/nx" "$(nsctl show nx | grep '^netns export:')"
check_eq "show -j" nx "$(nsctl show nx -j | jq -r .netns_export)"
check_eq "list -j" nx "$(nsctl list -j | jq -r '.[] | select(.name == "nx") | .netns_export')"
# lsns names a network namespace by its bind mount while a process is in it.
ip netns exec nx sleep 600 &
sl=$!
in_nx() { [ "$(stat -L -c %i /proc/$sl/ns/net 2>/dev/null)" = "$(ct_net nx)" ]; }
until_ok 400 in_nx
check_eq "lsns -t net shows the export" "/run/netns/nx" \
	"$(lsns -n -t net -o NS,NSFS | awk -v n="$(ct_net nx)" '$1 == n { print $2 }')"
kill $sl
wait $sl 2>/dev/null
# A mount namespace copied before an export sees it (shared propagation).
unshare -m --propagation slave sh -c "touch $D/ready; \
	while [ ! -e $D/go ]; do sleep 0.05; done; stat -L -c %i /run/netns/late" >$D/late 2>&1 &
un=$!
ready() { [ -e $D/ready ]; }
check "a mount namespace copied" until_ok 400 ready
check "export after a mount namespace was copied" nsctl create late --ns net --no-cgroup --netns-export
touch $D/go
wait $un
check_eq "the copy sees it" "$(ct_net late)" "$(cat $D/late)"
check "delete it" nsctl delete late

# --- names -------------------------------------------------------------------------
for bad in a/b . .. ../x; do
	check_fails "create refuses the name \"$bad\"" "is not a network namespace name" \
		nsctl create bad --netns-export="$bad"
	check_fails "set refuses the name \"$bad\"" "is not a network namespace name" \
		nsctl set nx "netns-export=$bad"
done
check_eq "nothing made" no "$(exists /sys/fs/nsctl/bad)"
touch /run/netns/taken
check_fails "an existing file is never replaced (create)" "/run/netns/taken already exists" \
	nsctl create tk --netns-export=taken --no-cgroup
check_eq "and the container is not made" no "$(exists /sys/fs/nsctl/tk)"
check_fails "nor by set" "/run/netns/taken already exists" nsctl set nx netns-export=taken
check_eq "the file is left as it was" "no 0" "$(mounted /run/netns/taken) $(stat -c %s /run/netns/taken)"
check_fails "another container's export is not taken over" "/run/netns/nx already exists" \
	nsctl create tk --netns-export=nx --no-cgroup
check_eq "nx keeps its export" "$(ct_net nx)" "$(ino /run/netns/nx)"
ip netns add theirs
check_fails "nor a name ip netns made" "/run/netns/theirs already exists" \
	nsctl create tk --netns-export=theirs --no-cgroup
check_fails "container without a network namespace (create)" "needs a network namespace" \
	nsctl create nonet --ns uts --no-cgroup --netns-export
check "a container without one" nsctl create nonet --ns uts --no-cgroup
check_fails "(set)" "the container holds no network namespace" nsctl set nonet netns-export=nonet
check_eq "no file left" no "$(exists /run/netns/nonet)"
check "delete it" nsctl delete nonet

# --- set -----------------------------------------------------------------------------
check "set netns-export=other" nsctl set nx netns-export=other
check_eq "other is its namespace" "$(ct_net nx)" "$(ino /run/netns/other)"
check_eq "and replaced its export" "no no" "$(exists /run/netns/nx) $(exists $R/nx)"
check "set it again: nothing to do" nsctl set nx netns-export=other
check_eq "show" "netns export: /run/netns/other" "$(nsctl show nx | grep '^netns export:')"
check "set netns-export=-" nsctl set nx netns-export=-
check_eq "removed, mount and record" "no no no" \
	"$(exists /run/netns/other) $(mounted /run/netns/other) $(exists $R/other)"
check_eq "show -j: null" null "$(nsctl show nx -j | jq -r .netns_export)"
check_eq "show: no line" "" "$(nsctl show nx | grep '^netns export:')"
check "export it once more" nsctl set nx netns-export=nx

# --- delete, and only what nsctl made ---------------------------------------------------
n=$(ct_net nx)
check "delete" nsctl delete nx
check_eq "removes the export and its record" "no no no" \
	"$(exists /run/netns/nx) $(mounted /run/netns/nx) $(exists $R/nx)"
# The kernel tears a network namespace down in a work item: wait for it.
torn_down() { [ -z "$(nsctl ns list --type net | awk -v n=$1 '$3 == n')" ]; }
check "which no longer pins the namespace" until_ok 400 torn_down $n
check "create e1 with an export" nsctl create e1 --ns net --no-cgroup --netns-export
# Someone replaces it behind nsctl's back: ip netns del, then add.
ip netns del e1
ip netns add e1
theirs=$(ino /run/netns/e1)
check "delete e1" sh -c "nsctl delete e1 2>$D/err"
check "says what it left" grep -qF "/run/netns/e1 is no longer the export of \"e1\": left as it is" $D/err
check_eq "their namespace stays" "$theirs" "$(ino /run/netns/e1)"
check_eq "the record goes" no "$(exists $R/e1)"
ip netns del e1
ip netns del theirs

# --- --from-netns still works, and the name it came from is not nsctl's -----------------
ip netns add src
check "create --from-netns" nsctl create fx --from-netns src --no-cgroup --netns-export=fx2
check_eq "holds that namespace" "$(ino /run/netns/src)" "$(ct_net fx)"
check_eq "exported under another name too" "$(ino /run/netns/src)" "$(ino /run/netns/fx2)"
check "delete fx" nsctl delete fx
check_eq "its export goes, the source name stays" "no yes" \
	"$(exists /run/netns/fx2) $(exists /run/netns/src)"
ip netns del src

# --- deleted by other means: the sweep at boot ------------------------------------------
check "k1: net and pid, on_empty=delete, exported" sh -c \
	"nsctl create k1 --ns net,pid --no-cgroup --netns-export && nsctl set k1 on_empty=delete"
check "its init exits" nsctl enter k1 -- true
gone() { [ ! -e /sys/fs/nsctl/$1 ]; }
check "the kernel deletes k1" until_ok 400 gone k1
check "k2 exported, removed by rmdir" sh -c \
	"nsctl create k2 --ns net --no-cgroup --netns-export && rmdir /sys/fs/nsctl/k2"
check_eq "their exports outlive them (no service running)" "yes yes" \
	"$(exists /run/netns/k1) $(exists /run/netns/k2)"
check "k3: k2's name taken again, exported under it" sh -c \
	"nsctl create k2 --ns net --no-cgroup --netns-export=k3"
check "nsctl boot sweeps" sh -c "nsctl boot --dir $D/none >$D/out 2>&1"
check "and says so" grep -qF "removed /run/netns/k1, the export of \"k1\"" $D/out
check_eq "k1's and the old k2's exports are gone" "no no no no" \
	"$(exists /run/netns/k1) $(exists /run/netns/k2) $(exists $R/k1) $(exists $R/k2)"
check_eq "the new k2's stays" "$(ct_net k2)" "$(ino /run/netns/k3)"
check_eq "the file nsctl did not make stays" yes "$(exists /run/netns/taken)"
check "delete k2" nsctl delete k2
check "z1 exported, removed by rmdir" sh -c \
	"nsctl create z1 --ns net --no-cgroup --netns-export && rmdir /sys/fs/nsctl/z1"
check "a stale export of nsctl's is replaced by a new one" \
	nsctl create z2 --ns net --no-cgroup --netns-export=z1
check_eq "z1 is z2's now" "$(ct_net z2)" "$(ino /run/netns/z1)"
check "delete z2" sh -c "nsctl delete z2 && [ ! -e /run/netns/z1 ]"

# --- the service follows deletions ----------------------------------------------------------
nsctl boot --service --dir $D/none >$D/svc 2>&1 &
svc=$!
up() { grep -q "no declarations" $D/svc; }
check "boot --service is up" until_ok 400 up
check "s1 exported, rmdir'd" sh -c \
	"nsctl create s1 --ns net --no-cgroup --netns-export && rmdir /sys/fs/nsctl/s1"
nofile() { [ ! -e /run/netns/$1 ]; }
check "the service removes its export" until_ok 400 nofile s1
check "and says so" grep -qF "removed /run/netns/s1, the export of \"s1\", which was deleted" $D/svc
check "s2: on_empty=delete" sh -c \
	"nsctl create s2 --ns net,pid --no-cgroup --netns-export && nsctl set s2 on_empty=delete && nsctl enter s2 -- true"
check "the service removes its export too" until_ok 400 nofile s2
check_eq "and the records" "no no" "$(exists $R/s1) $(exists $R/s2)"
kill $svc
wait $svc
check_eq "the service exits 0" 0 "$?"

# --- declarations ----------------------------------------------------------------------------
printf 'ns=net,uts\ncgroup=none\nnetns-export=dxn\n' >$D/dx.conf
printf 'ns=net\ncgroup=none\nnetns-export=\n' >$D/dy.conf
printf 'ns=uts\ncgroup=none\nnetns-export=a/b\n' >$D/bad.conf
printf 'ns=uts\ncgroup=none\nnetns-export=x\n' >$D/nonet.conf
check "boot with declared exports" sh -c "nsctl boot --dir $D >$D/out 2>&1"
check_eq "declared: exported under its name" "$(ct_net dx)" "$(ino /run/netns/dxn)"
check_eq "declared empty: the container's name" "$(ct_net dy)" "$(ino /run/netns/dy)"
check "a bad name: file and line" grep -qF "$D/bad.conf:3: --netns-export: \"a/b\" is not a network namespace name" $D/out
check "no network namespace" grep -qF "$D/nonet.conf: --netns-export needs a network namespace" $D/out
check_eq "declare writes it back" "netns-export=dxn" "$(nsctl declare dx --stdout | grep '^netns-export=')"
check "set netns-export=- on a declared one" nsctl set dx netns-export=-
check_eq "declare without an export" "" "$(nsctl declare dx --stdout | grep '^netns-export')"
check "boot again" sh -c "nsctl boot --dir $D >$D/out 2>&1"
check_eq "the declared export is made again" "$(ct_net dx)" "$(ino /run/netns/dxn)"
check "declare dy" nsctl declare dy --dir $D/w
check "a declaration declare wrote reads back" nsctl boot --check --dir $D/w
check_eq "with its export" "netns-export=dy" "$(grep '^netns-export=' $D/w/dy.conf)"
mv $D/w/dy.conf $D/dy.conf
check "delete dx and dy" sh -c "nsctl delete dx && nsctl delete dy"
check_eq "their exports are gone" "no no" "$(exists /run/netns/dxn) $(exists /run/netns/dy)"
check "dy's declaration brings it back exported" sh -c \
	"rm $D/dx.conf $D/bad.conf $D/nonet.conf && nsctl boot --dir $D >$D/out 2>&1 && [ \"\$(ino /run/netns/dy)\" = \"\$(ct_net dy)\" ]"
check "delete dy" nsctl delete dy

check_eq "nothing nsctl made is left in /run/netns" "taken" "$(ls /run/netns)"
check_eq "no record left" "" "$(ls -A $R)"
rm -f /run/netns/taken
rm -rf $D
tap_done
