#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nsctl oci-hook: the OCI runtime hook fed the state a runtime would give
# it, for a process in fresh namespaces that unshare(1) made, as a runtime
# makes them.

. ../lib/tap.sh

CG=/sys/fs/cgroup
B=/tmp/oci/bundle
FS=/sys/fs/nsctl
mkdir -p $B /tmp/oci
# state STATUS ID PID [BUNDLE [ANNOTATIONS]]: the JSON a runtime writes.
state() {
	printf '{"ociVersion":"1.0.2","id":"%s","status":"%s","pid":%s,"bundle":"%s","annotations":{%s}}' \
		"$2" "$1" "$3" "${4:-$B}" "$5"
}
# hook JSON [ARGS...]: nsctl oci-hook with JSON on its standard input.
hook() {
	j=$1
	shift
	printf '%s' "$j" | nsctl oci-hook "$@"
}
# The PID namespace's init under the unshare process $1.
child_of() {
	for i in $(seq 200); do
		for p in /proc/[0-9]*; do
			[ "$(cut -d' ' -f4 $p/stat 2>/dev/null)" = "$1" ] && echo ${p#/proc/} && return 0
		done
		sleep 0.05
	done
	return 1
}
# start CGROUP: a process in fresh mnt, uts, ipc, net, pid and cgroup
# namespaces in cgroup CGROUP; sets $upid (unshare) and $pid (the init).
start() {
	mkdir -p $CG/$1
	sh -c "echo \$\$ >$CG/$1/cgroup.procs; exec unshare -m -u -i -n -p -C --fork sleep 1000" &
	upid=$!
	pid=$(child_of $upid)
}
# The container's namespaces file as it should be for process $1: the
# types the runtime unshared with their inodes, the others empty.
expected_ns() {
	for t in mnt uts ipc net pid user cgroup time; do
		f=$t
		[ $t = pid ] && f=pid_for_children
		[ $t = time ] && f=time_for_children
		if [ -e /proc/self/ns/$f ] && [ "$(stat -L -c %i /proc/$1/ns/$f)" != "$(stat -L -c %i /proc/self/ns/$f)" ]; then
			echo "$t $(stat -L -c %i /proc/$1/ns/$f)"
		else
			echo "$t -"
		fi
	done
}
listing() { ls $FS | sort | tr '\n' ' '; }

# --- register at createRuntime, unregister at poststop ------------------------
start oci1
check "a process in fresh namespaces" kill -0 $pid
check "creating registers it" hook "$(state creating web1 $pid $B '"org.example.team":"blue","other":"x"')" \
	--annotation org.example.team --annotation other=copied
check "the container exists" test -d $FS/web1
check_eq "with the process's unshared namespaces, nothing else" "$(expected_ns $pid)" \
	"$(grep -E '^(mnt|uts|ipc|net|pid|user|cgroup|time) ' $FS/web1/namespaces | cut -d' ' -f1,2)"
check_eq "six types unshared by unshare(1)" "6" "$(expected_ns $pid | grep -vc ' -$')"
check_eq "bound to the process's cgroup" "/oci1" "$(cat $FS/web1/cgroup)"
check_eq "the process was not moved" "$pid" "$(grep -x $pid $CG/oci1/cgroup.procs)"
check_eq "on_empty=delete" "delete" "$(cat $FS/web1/on_empty)"
check "label made-by=oci-hook" grep -qx "made-by=oci-hook" $FS/web1/labels
check "label oci-bundle" grep -qx "oci-bundle=$B" $FS/web1/labels
check "annotation copied under its own key" grep -qx "org.example.team=blue" $FS/web1/labels
check "annotation copied under another key" grep -qx "copied=x" $FS/web1/labels
check_eq "no other labels" "4" "$(wc -l <$FS/web1/labels)"
check_eq "the process is inside" "$pid" "$(grep -x $pid $FS/web1/procs)"
check "stopped unregisters it, though the process is still inside" \
	hook "$(state stopped web1 $pid)"
check "the container is gone" test ! -e $FS/web1
check "the process was not touched" kill -0 $pid
check "stopped again: already gone is success" hook "$(state stopped web1 0)"
check "stopped without a pid" hook "{\"ociVersion\":\"1.0.2\",\"id\":\"web1\",\"status\":\"stopped\",\"bundle\":\"$B\"}"

# --- created (prestart) registers too; on_empty=delete covers a lost poststop --
check "created registers" hook "$(state created web2 $pid)"
check "the container exists" test -d $FS/web2
kill -9 $pid
gone=1
for i in $(seq 400); do
	[ -e $FS/web2 ] || { gone=0; break; }
	cat $FS/web2/stat >/dev/null 2>&1
	sleep 0.05
done
check_eq "its init exited: the container deleted itself" 0 $gone
wait $upid
check "a late poststop is success" hook "$(state stopped web2 $pid)"

# --- containers the hook did not make are left alone --------------------------
start oci2
check "a container not made by the hook" nsctl create mine --ns uts --no-cgroup
check "stopped for it succeeds" sh -c "printf '%s' '$(state stopped mine 0)' | nsctl oci-hook 2>/tmp/oci/err"
check "and says it left it alone" grep -q "left alone" /tmp/oci/err
check "it still exists" test -d $FS/mine
check "registered for bundle A" hook "$(state creating web3 $pid /tmp/oci/a)"
check "stopped for bundle B succeeds" hook "$(state stopped web3 0 /tmp/oci/b)"
check "the container of bundle A stays" test -d $FS/web3
check "stopped for bundle A removes it" hook "$(state stopped web3 0 /tmp/oci/a)"
check "gone" test ! -e $FS/web3

# --- strings are decoded ------------------------------------------------------
check "escapes in an annotation" hook "$(state creating web4 $pid $B '"note":"caf\u00e9 \ud83d\ude00 \"q\" a\/b"')" \
	--annotation note
check_eq "decoded to UTF-8" "note=café 😀 \"q\" a/b" "$(grep '^note=' $FS/web4/labels)"
check "stopped" hook "$(state stopped web4 0)"

# --- an OCI id of 64 hex characters, as podman and CRI-O make them -------------
long=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
check "a 64-character id registers" hook "$(state creating $long $pid)"
check "the container has that name" test -d $FS/$long
check "and unregisters" hook "$(state stopped $long 0)"
check "gone" test ! -e $FS/$long

# --- malformed input: a message, exit 1, nothing made --------------------------
check "a container whose name is taken" nsctl create taken --ns uts --no-cgroup
before=$(listing)
sleep 0 &
dead=$!
wait $dead
n300=$(printf '%0300d' 0)
good=$(state creating bad $pid)
for c in \
	"empty input|empty input|" \
	"only blanks|empty input|  " \
	"not JSON|not JSON: at byte 0: expected a value, not 'h'|hello" \
	"truncated|not JSON: at byte 60: expected ',' or '}', not the end of the input|$(echo "$good" | cut -c1-60)" \
	"text after the object|after the JSON value|$good x" \
	"not an object|the state is an array, not an object|[$good]" \
	"no id|the state has no \"id\"|{\"status\":\"creating\",\"pid\":$pid,\"bundle\":\"$B\"}" \
	"an id that is a number|the state's \"id\" is a number, not a string|{\"id\":7,\"status\":\"creating\",\"pid\":$pid,\"bundle\":\"$B\"}" \
	"no status|the state has no \"status\"|{\"id\":\"bad\",\"pid\":$pid,\"bundle\":\"$B\"}" \
	"unknown status|unknown status \"running\"|$(state running bad $pid)" \
	"no pid|the state has no \"pid\"|{\"id\":\"bad\",\"status\":\"creating\",\"bundle\":\"$B\"}" \
	"a pid that is a string|the state's \"pid\" is a string, not an integer|$(state creating bad "\"$pid\"")" \
	"a pid that is a fraction|the state's \"pid\" is 1.5, not an integer|$(state creating bad 1.5)" \
	"pid 0|the state's \"pid\" (0) is not a process id|$(state creating bad 0)" \
	"a negative pid|the state's \"pid\" (-4) is not a process id|$(state creating bad -4)" \
	"the pid of a dead process|process $dead does not exist|$(state creating bad $dead)" \
	"the hook's own namespaces|is in every namespace this hook is in|$(state creating bad $$)" \
	"no bundle|the state has no \"bundle\"|{\"id\":\"bad\",\"status\":\"creating\",\"pid\":$pid}" \
	"annotations not an object|\"annotations\" is an array|{\"id\":\"bad\",\"status\":\"creating\",\"pid\":$pid,\"bundle\":\"$B\",\"annotations\":[]}" \
	"a name too long|the id is 300 characters long|$(state creating $n300 $pid)" \
	"a name with a blank|not a valid container name|$(state creating 'a b' $pid)" \
	"a name with a slash|not a valid container name|$(state creating 'a/b' $pid)" \
	"a name taken|a container of that name exists|$(state creating taken $pid)" \
	"a duplicate key|the object has the key \"id\" twice|{\"id\":\"bad\",\"id\":\"bad2\",\"status\":\"creating\",\"pid\":$pid,\"bundle\":\"$B\"}" \
	"an annotation that cannot be a label|annotation \"note\" cannot be a label value|$(state creating bad $pid $B '"note":"a\nb"')" \
	"stopped for a bad name|not a valid container name|$(state stopped 'a b' 0)"
do
	desc=${c%%|*}
	rest=${c#*|}
	msg=${rest%%|*}
	check_fails "$desc" "$msg" hook "${rest#*|}" --annotation note
done
check_fails "an --annotation that is no label key" "cannot be a label key" \
	hook "$(state creating bad $pid)" --annotation 'k=-x'
check_fails "an unknown option" "Usage" \
	hook "$(state creating bad $pid)" --nonsense
check_eq "none of it made or removed a container" "$before" "$(listing)"
check_eq "the taken one is unchanged" "uts" \
	"$(grep -v ' -$' $FS/taken/namespaces | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//')"
check_eq "and has no labels" "" "$(cat $FS/taken/labels)"
check "the process still runs" kill -0 $pid

kill -9 $pid 2>/dev/null
wait $upid
nsctl delete taken >/dev/null
nsctl delete mine >/dev/null
rmdir $CG/oci1 $CG/oci2 2>/dev/null
tap_done
