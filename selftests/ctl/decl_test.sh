#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Declared containers (nsctl declare, nsctl boot), nsctl.conf's
# cgroup-parent, and the cgroup placement of a systemd host: below
# nsctl.service's delegated cgroup, set up here as systemd sets it up.

. ../lib/tap.sh

D=/tmp/decl
CG=/sys/fs/cgroup
nobody() { unshare --setgid 65534 --setuid 65534 "$@"; }
key() { grep "^$2=" "$1" | cut -d= -f2-; }
# until_up: boot --service ($svc) has made its containers (20 s at most).
until_up() {
	for i in $(seq 400); do
		grep -q "declared container" $D.svc 2>/dev/null && kill -0 $svc && return 0
		sleep 0.05
	done
	cat $D.svc
	return 1
}
rm -rf $D
mkdir -p $D

# --- declare an existing container ------------------------------------------
check "create kept" nsctl create kept --memory-max 64M --pids-max 50 --cpu-max 50000/100000
check "set its names, policies and one IPC limit" \
	nsctl set kept hostname=kh domainname=kd on_empty=notify msgmni=77
uuid=$(cat /sys/fs/nsctl/kept/uuid)
check_eq "declare prints the file it wrote" "$D/kept.conf" "$(nsctl declare kept --dir $D)"
f=$D/kept.conf
check_eq "declared: the container UUID" "$uuid" "$(key $f uuid)"
check_eq "declared: the types" "mnt,uts,ipc,net,pid,cgroup" "$(key $f ns)"
check_eq "declared: the cgroup limits" "67108864 50 50000/100000" \
	"$(key $f memory-max) $(key $f pids-max) $(key $f cpu-max)"
check_eq "declared: the policies" "notify allow" "$(key $f on_empty) $(key $f enter)"
check_eq "declared: host and domain name" "kh kd" "$(key $f hostname) $(key $f domainname)"
check_eq "declared: only the IPC limit that differs from a new namespace's" "msgmni=77" \
	"$(grep -E '^(shm|msg|sem)' $f)"
check_eq "nothing shared with the host, no bound cgroup" "" "$(grep -E '^(share|cgroup)=' $f)"
check_eq "--stdout writes the same" "$(cat $f)" "$(nsctl declare kept --stdout)"
check_eq "no temporary file left" "kept.conf" "$(ls -A $D)"
check "the declaration reads back" nsctl boot --check --dir $D
check_fails "declare a missing container" "no such container" nsctl declare nope --dir $D
check_fails "declare one you do not see" "no such container" nobody nsctl declare kept --stdout

# --- boot brings it back -------------------------------------------------------
check "delete kept" nsctl delete kept
check "boot" sh -c "nsctl boot --dir $D >$D.out 2>&1"
check "boot says what it made" grep -qx "nsctl boot: $D/kept.conf: created \"kept\"" $D.out
check_eq "back with the same UUID" "$uuid" "$(cat /sys/fs/nsctl/kept/uuid)"
j=$(nsctl show kept -j)
check_eq "with the same types" "cgroup ipc mnt net pid uts" \
	"$(echo "$j" | jq -r '.namespaces | to_entries | map(select(.value != null)) | .[].key' | sort | tr '\n' ' ' | sed 's/ $//')"
check_eq "with its limits" "67108864 50 50000 100000" \
	"$(cat $CG/nsctl/kept/memory.max $CG/nsctl/kept/pids.max $CG/nsctl/kept/cpu.max | tr '\n' ' ' | sed 's/ $//')"
check_eq "with its names" "kh kd" "$(cat /sys/fs/nsctl/kept/hostname) $(cat /sys/fs/nsctl/kept/domainname)"
check_eq "with its policies and IPC limit" "notify allow 77" \
	"$(echo "$j" | jq -r '"\(.on_empty) \(.enter) \(.ipc.msgmni)"')"
id=$(cat /sys/fs/nsctl/kept/id)
check_eq "a second boot leaves it be" "nsctl boot: 1 of 1 declared container up" \
	"$(nsctl boot --dir $D 2>&1)"
check_eq "the same container still" "$id" "$(cat /sys/fs/nsctl/kept/id)"

# --- bad declarations are named, the others still come up ------------------------
printf '# a comment\n\nns=uts\ncolour=blue\n' >$D/bad.conf
printf 'ns=uts\nmemory-max=lots\n' >$D/bad2.conf
printf 'from-pid=1\n' >$D/bad3.conf
printf 'ns=uts,net\nno value here\n' >$D/bad4.conf
printf 'ns=uts\n' >"$D/bad name.conf"
printf 'ns=net\nhostname=x\ncgroup=none\n' >$D/half.conf
printf 'ns=uts\ncgroup=none\nhostname=other\n' >$D/other.conf
printf 'uuid=%s\nns=uts\ncgroup=none\n' 11111111-2222-3333-4444-555555555555 >$D/z.conf
printf 'uuid=11111111-2222-3333-4444-555555555556\nns=uts\n' >$D/kept.conf.dpkg-old
printf 'ns=uts\nhostname=a\nhostname=b\n' >$D/dup.conf
printf 'ns=uts\ncgroup=none\nmemory-max=1G\n' >$D/cross.conf
mkfifo $D/fifo.conf
check "boot with bad declarations succeeds" sh -c "nsctl boot --dir $D >$D.out 2>&1"
check "unknown key: file, line, key" grep -qF "nsctl: $D/bad.conf:4: unknown key \"colour\"" $D.out
check "bad value: file, line, value" grep -qF "nsctl: $D/bad2.conf:2: --memory-max: \"lots\" is not a size" $D.out
check "from-pid cannot be declared" grep -qF "$D/bad3.conf:1: from-pid cannot be declared" $D.out
check "not KEY=VALUE" grep -qF "$D/bad4.conf:2: \"no value here\" is not KEY=VALUE" $D.out
check "a file name that is no container name" grep -qF "$D/bad name.conf: not NAME.conf with a valid container name" $D.out
check "set up fails: the container is deleted, not left half-made" \
	grep -qF "$D/half.conf: \"half\" could not be set up and was deleted" $D.out
check "and why" grep -qF "the container holds no UTS namespace" $D.out
check_eq "half is gone" no "$([ -e /sys/fs/nsctl/half ] && echo yes || echo no)"
check_eq "the good ones are up" "kh other 11111111-2222-3333-4444-555555555555" \
	"$(cat /sys/fs/nsctl/kept/hostname /sys/fs/nsctl/other/hostname /sys/fs/nsctl/z/uuid | tr '\n' ' ' | sed 's/ $//')"
check "a key given twice" grep -qF "$D/dup.conf:3: \"hostname\" given twice" $D.out
check "options that exclude each other" grep -qF "$D/cross.conf: limits need a cgroup" $D.out
check "a FIFO is not read (nor waited on)" grep -qF "$D/fifo.conf: not a regular file" $D.out
check "files not named *.conf are left out" sh -c "! grep -q dpkg-old $D.out"
check "the summary counts them" grep -qx "nsctl boot: 3 of 12 declared containers up" $D.out
check_eq "none of the bad ones was made" "" \
	"$(ls /sys/fs/nsctl | grep -xE 'bad|bad2|bad3|bad4|dup|cross|fifo')"
check_fails "--check: options that exclude each other" "$D/cross.conf: limits need a cgroup" \
	nsctl boot --check --dir $D
check_fails "--check reports the same and fails" "$D/bad.conf:4: unknown key" nsctl boot --check --dir $D
check "delete z" nsctl delete z
printf 'uuid=11111111-2222-3333-4444-555555555556\nns=uts\ncgroup=none\n' >$D/other.conf
check "boot: a name taken with another UUID" sh -c "nsctl boot --dir $D 2>&1 | grep -qF 'a container \"other\" exists with another UUID'"
check "messages to the journal carry the error priority" sh -c \
	"touch $D.j && JOURNAL_STREAM=\$(stat -c %d:%i $D.j) nsctl boot --check --dir $D 2>>$D.j; grep -q '^<3>nsctl: $D/bad.conf:4' $D.j"
check_eq "no directory: nothing to do" "nsctl boot: no declarations ($D/none does not exist)" \
	"$(nsctl boot --dir $D/none 2>&1)"
for n in kept other z; do nsctl delete $n >/dev/null 2>&1; done
rm -rf $D $D.out $D.j

# --- cgroup-parent in nsctl.conf ----------------------------------------------------
export NSCTL_CONFIG=/tmp/nsctl.conf
echo "cgroup-parent=elsewhere/ct" >$NSCTL_CONFIG
mkdir -p $CG/elsewhere
echo +memory >$CG/elsewhere/cgroup.subtree_control
check "create under the configured parent" nsctl create cp --memory-max 32M
check_eq "its cgroup" /elsewhere/ct/cp "$(cat /sys/fs/nsctl/cp/cgroup)"
check_eq "its limit" 33554432 "$(cat $CG/elsewhere/ct/cp/memory.max)"
check "delete removes the cgroup it made there" sh -c "nsctl delete cp && [ ! -e $CG/elsewhere/ct/cp ]"
printf 'cgroup-parent = //elsewhere//ct/\n' >$NSCTL_CONFIG
check "a parent spelled loosely" nsctl create cp
check_eq "is the kernel's spelling" /elsewhere/ct/cp "$(cat /sys/fs/nsctl/cp/cgroup)"
rm -f $NSCTL_CONFIG
# Known by the mark on the cgroup, not by where the parent is now.
check "delete after the parent changed still removes it" sh -c "nsctl delete cp && [ ! -e $CG/elsewhere/ct/cp ]"
for bad in x/.. . .. ct/. /sys/fs/cgroup; do
	printf 'cgroup-parent=%s\n' "$bad" >$NSCTL_CONFIG
	check_fails "parent \"$bad\" refused" "is not a cgroup below /sys/fs/cgroup" nsctl create cq
done
printf '# comment\ncolour=blue\n' >$NSCTL_CONFIG
check_fails "unknown key in nsctl.conf: file and line" "$NSCTL_CONFIG:2: unknown key \"colour\"" nsctl create cq
printf 'cgroup-parent=/sys/fs/cgroup/../etc\n' >$NSCTL_CONFIG
check_fails "a parent outside the cgroup tree" "is not a cgroup below /sys/fs/cgroup" nsctl create cq
check_eq "nothing made" no "$([ -e /sys/fs/nsctl/cq ] && echo yes || echo no)"
rm -f $NSCTL_CONFIG
unset NSCTL_CONFIG
rmdir $CG/elsewhere/ct $CG/elsewhere

# --- a systemd host: below nsctl.service, which has Delegate=yes -----------------
# What systemd does: /run/systemd/system, the controllers enabled down to
# system.slice, and the service's cgroup made, with its process in it.
mkdir -p /run/systemd/system
for c in memory pids cpu; do echo +$c >$CG/cgroup.subtree_control; done
mkdir -p $CG/system.slice
for c in memory pids cpu; do echo +$c >$CG/system.slice/cgroup.subtree_control; done
S=$CG/system.slice/nsctl.service
check_fails "without nsctl.service's cgroup" "nsctl.service, whose delegated cgroup" nsctl create sd
check_eq "and nothing made outside it" no "$([ -e $CG/nsctl/sd ] && echo yes || echo no)"
mkdir -p $D
mkdir $S
printf 'memory-max=16M\nhostname=sd\n' >$D/sd.conf
check "boot from within the service's cgroup" sh -c "echo \$\$ >$S/cgroup.procs && exec nsctl boot --dir $D"
check_eq "the container's cgroup is below the service" /system.slice/nsctl.service/sd \
	"$(cat /sys/fs/nsctl/sd/cgroup)"
check_eq "its limit" 16777216 "$(cat $S/sd/memory.max)"
check_eq "boot left the service's cgroup for a leaf" "" "$(cat $S/cgroup.procs)"
check_eq "the leaf" yes "$([ -d $S/.supervisor ] && echo yes || echo no)"
check "the controllers are enabled in the delegated cgroup" grep -qw memory $S/cgroup.subtree_control
check "create by hand goes there too" nsctl create sd2 --pids-max 9
check_eq "its cgroup" "/system.slice/nsctl.service/sd2 9" "$(cat /sys/fs/nsctl/sd2/cgroup) $(cat $S/sd2/pids.max)"
check "enter places the process in it" sh -c "nsctl enter sd2 -- cat /proc/self/cgroup | grep -qx '0::/'"
check "declare and delete know the parent" sh -c "nsctl declare sd2 --stdout | grep -qx 'pids-max=9'"
check_eq "boot recorded the service's cgroup" /system.slice/nsctl.service "$(cat /run/nsctl/service-cgroup)"
# Stopping the service: systemd removes its subtree, the delegated cgroup
# included, and makes it anew at the next start; the containers stay.
rmdir $S/sd $S/sd2 $S/.supervisor $S
mkdir $S
check "boot again" sh -c "echo \$\$ >$S/cgroup.procs && exec nsctl boot --dir $D >$D.out 2>&1"
check "finds the lost cgroup and makes it again" grep -qF "\"sd\" had lost its cgroup: made $S/sd again" $D.out
check_eq "bound again, with its limit" "/system.slice/nsctl.service/sd 16777216" \
	"$(cat /sys/fs/nsctl/sd/cgroup) $(cat $S/sd/memory.max)"
check_eq "with a cgroup namespace rooted there" "0::/" "$(nsctl enter sd -- cat /proc/self/cgroup)"
check "delete removes the cgroup" sh -c "nsctl delete sd && nsctl delete sd2 && [ ! -e $S/sd ] && [ ! -e $S/sd2 ]"
# A Slice= drop-in puts the service elsewhere: boot records where.
O=$CG/other.slice/nsctl.service
mkdir -p $CG/other.slice
for c in memory pids cpu; do echo +$c >$CG/other.slice/cgroup.subtree_control; done
mkdir $O
# As nsctl.service runs it: stays, in the leaf, until SIGTERM.
sh -c "echo \$\$ >$O/cgroup.procs && exec nsctl boot --service --dir $D" >$D.svc 2>&1 &
svc=$!
check "boot --service from a service in another slice" until_up
check_eq "stays, in the leaf" "$svc" "$(cat $O/.supervisor/cgroup.procs)"
kill $svc
wait $svc
check_eq "exits 0 on SIGTERM" 0 "$?"
check_eq "its containers go there" /other.slice/nsctl.service/sd "$(cat /sys/fs/nsctl/sd/cgroup)"
check "and so does create" sh -c "nsctl create sd3 && [ \"\$(cat /sys/fs/nsctl/sd3/cgroup)\" = /other.slice/nsctl.service/sd3 ]"
check "delete both" sh -c "nsctl delete sd && nsctl delete sd3 && [ ! -e $O/sd ] && [ ! -e $O/sd3 ]"
rmdir $O/.supervisor $O $CG/other.slice
rm -rf /run/nsctl $D.out $D.svc
check_eq "nothing nsctl made outside the service" no "$([ -e $CG/nsctl/sd ] || [ -e $CG/nsctl/sd2 ] && echo yes || echo no)"
rmdir $S/.supervisor $S
rmdir $CG/system.slice
rm -rf /run/systemd $D

tap_done
