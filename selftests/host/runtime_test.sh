# SPDX-License-Identifier: GPL-2.0
#
# Sourced by host_test.sh (stage 1): other runtimes' containers on the
# booted host.  crun runs a bundle whose config lists 'nsctl oci-hook' at
# createRuntime and poststop; a container's network namespace exported in
# /run/netns is used by ip netns, lsns and a CNI plugin.

BUNDLE=/var/lib/nsctl-host-test/bundle
MON=/var/lib/nsctl-host-test/monitor.json

# A minimal bundle: busybox as the root file system, crun's own default
# config with the hook added and the process made to wait.
make_bundle() {
	rm -rf "$BUNDLE"
	mkdir -p "$BUNDLE/rootfs/bin" "$BUNDLE/rootfs/proc" "$BUNDLE/rootfs/sys" \
		 "$BUNDLE/rootfs/dev" "$BUNDLE/rootfs/tmp" "$BUNDLE/rootfs/etc"
	cp /bin/busybox "$BUNDLE/rootfs/bin/"
	local a
	for a in sh sleep ps cat hostname; do ln -s busybox "$BUNDLE/rootfs/bin/$a"; done
	(cd "$BUNDLE" && crun spec)
	local hook='{"path": "/usr/sbin/nsctl", "args": ["nsctl", "oci-hook", "--annotation", "org.example.pod=pod"]}'
	jq --argjson h "$hook" '.process.terminal = false | .process.args = ["sleep", "1000"] |
		.annotations = {"org.example.pod": "pod-1"} |
		.hooks = {"createRuntime": [$h], "poststop": [$h]}' \
		"$BUNDLE/config.json" >"$BUNDLE/config.new"
	mv "$BUNDLE/config.new" "$BUNDLE/config.json"
}

# An OCI id as runtimes make them: 64 hex digits.
oci_id() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }

# crun run --detach: the container keeps crun's standard output and error,
# so they go to a file, not to a pipe that would wait for the container.
crun_run() {
	crun run --detach --bundle "$BUNDLE" "$1" </dev/null >"$BUNDLE.out" 2>&1 ||
		{ cat "$BUNDLE.out"; return 1; }
}

ct_field() { nsctl list -j | jq -r --arg n "$1" ".[] | select(.name == \$n) | $2"; }

# crun's state of $1 is "stopped" (20 s at most).
until_stopped() {
	local i
	for i in $(seq 100); do
		[ "$(crun state "$1" 2>/dev/null | jq -r .status)" = stopped ] && return 0
		sleep 0.2
	done
	crun state "$1"
	return 1
}

runtime_checks() {
	local id uuid uuid2 pidns pidns2
	check "a busybox bundle with nsctl oci-hook at createRuntime and poststop" make_bundle
	nsctl monitor -j >"$MON" 2>/dev/null &
	local mon=$!
	sleep 0.5
	id=$(oci_id)
	check "crun run --detach a container with a 64-character id" crun_run "$id"
	expect "nsctl lists it under its OCI id, with the hook's and the annotation's labels" \
		"oci-hook pod-1 $BUNDLE" ct_field "$id" '"\(.labels["made-by"]) \(.labels.pod) \(.labels["oci-bundle"])"'
	expect "its on_empty policy is delete" delete ct_field "$id" .on_empty
	check "nsctl enter ID -- ps shows the container's process as PID 1" \
		sh_ "nsctl enter $id -- ps | tee /dev/stderr | grep -Eq '^ *1 .*sleep 1000'"
	expect "its pid namespace is the one crun's process is in" \
		"$(readlink "/proc/$(crun state "$id" | jq -r .pid)/ns/pid" | tr -dc 0-9)" \
		ct_field "$id" .namespaces.pid
	uuid=$(ct_field "$id" .uuid)
	pidns=$(ct_field "$id" .namespace_uuids.pid)
	check "crun kill it" crun kill "$id" KILL
	check "crun says it stopped" until_stopped "$id"
	check "crun delete it" crun delete "$id"
	expect "after crun delete it is gone from nsctl" "" ct_field "$id" .name
	check "a deleted event was sent for it" \
		sh_ "sleep 0.5; grep '\"deleted\"' $MON | grep -q '\"$id\"'"

	# The same id again: a new container, which an enter expecting the
	# old one's PID namespace (by its UUID) refuses.
	check "crun run again under the same id" crun_run "$id"
	uuid2=$(ct_field "$id" .uuid)
	pidns2=$(ct_field "$id" .namespace_uuids.pid)
	check "the new one has another UUID" sh_ "test -n '$uuid2' && test '$uuid2' != '$uuid'"
	check "enter expecting the old one's PID namespace is refused as stale" \
		sh_ "out=\$(nsctl enter --expect-uuid pid=$pidns $id -- true 2>&1); echo \"\$out\"; echo \"\$out\" | grep -q stale"
	expect "enter expecting the new one's runs" ok nsctl enter --expect-uuid "pid=$pidns2" "$id" -- echo ok
	check "crun delete -f" crun delete -f "$id"
	expect "gone again" "" ct_field "$id" .name
	kill "$mon" 2>/dev/null || true
	wait "$mon" 2>/dev/null || true
	say "# \$ nsctl monitor -j, the crun container's life (name shortened)"
	grep "\"$id\"" "$MON" | jq -c '{event, seq, name: (.name[0:12] + "..."), uuid, labels, on_empty, changed}' |
		sed 's/^/#   /' | tee "$RES" >/dev/null || true

	# ip netns, lsns and CNI see an exported network namespace.
	check "nsctl create nx --ns net,uts --netns-export" nsctl create nx --ns net,uts --netns-export
	check "nsctl enter nx -- ip link add d0 type dummy" nsctl enter nx -- ip link add d0 type dummy
	check "ip netns list has nx" sh_ 'ip netns list | tee /dev/stderr | grep -qw nx'
	check "ip netns exec nx ip link sees d0" sh_ 'ip netns exec nx ip -o link show d0'
	nsctl enter nx -- sleep 1000 &
	local enter=$! pid inum
	inum=$(awk '$1 == "net" { print $2 }' /sys/fs/nsctl/nx/namespaces)
	if pid=$(pid_in nx); then
		check "lsns -t net lists nx's namespace with its /run/netns name" \
			sh_ "lsns -t net -o NS,NSFS | tee /dev/stderr | grep -Eq '^ *$inum +/run/netns/nx'"
		kill "$pid" 2>/dev/null || true
	else
		not_ok "a process runs inside nx" "$(cat /sys/fs/nsctl/nx/procs 2>&1)"
	fi
	wait "$enter" 2>/dev/null || true
	local conf='{"cniVersion": "1.0.0", "name": "nsctl-test", "type": "bridge", "bridge": "nsctl0",
		"ipam": {"type": "host-local", "subnet": "10.99.0.0/24", "dataDir": "/run/nsctl-test-cni"}}'
	check "a CNI bridge plugin ADD with CNI_NETNS=/run/netns/nx" \
		sh_ "echo '$conf' | CNI_COMMAND=ADD CNI_CONTAINERID=nx CNI_NETNS=/run/netns/nx \
			CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni /usr/lib/cni/bridge"
	check "nx has eth0 with an address from the plugin" \
		sh_ 'nsctl enter --ns net nx -- ip -o -4 addr show eth0 | tee /dev/stderr | grep -q "inet 10\.99\.0\."'
	check "the CNI DEL" \
		sh_ "echo '$conf' | CNI_COMMAND=DEL CNI_CONTAINERID=nx CNI_NETNS=/run/netns/nx \
			CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni /usr/lib/cni/bridge"
	check "nsctl delete nx" nsctl delete nx
	check "its export is gone" sh_ '! ip netns list | grep -qw nx && ! test -e /run/netns/nx'
	ip link del nsctl0 2>/dev/null || true
}
