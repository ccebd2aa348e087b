#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Long names and labels through the tool: create, set, list (columns, -j,
# --label selected by the kernel), show, declare, monitor.

. ../lib/tap.sh

# A 255-character name like an OCI id plus the rest of the set.
long=$(printf 'c%.0s' $(seq 190))$(printf '%s' 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde:@+_.-x | cut -c1-65)
check_eq "the long name is 255 characters" 255 "${#long}"

# --- names ----------------------------------------------------------------------
check_fails "the name '-' is refused" "invalid name" nsctl create -
check_fails "so is one starting with '-'" "invalid name" nsctl create --no-cgroup -- -x
check_fails "so is one starting with '_'" "invalid name" nsctl create _x --no-cgroup
check_fails "256 characters are too many" "invalid name" nsctl create "${long}y" --no-cgroup
check "create a 255-character name, with a cgroup" nsctl create "$long" --ns net,uts
check_eq "its cgroup is named after it" "/nsctl/$long" "$(nsctl show "$long" -j | jq -r .cgroup)"
check_eq "list -j has it whole" "$long" "$(nsctl list -j | jq -r '.[].name' | grep -x -- "$long")"
check_eq "list's NAME column is as wide as the longest name" 0 \
	"$(nsctl list | awk -v n="$long" 'NR == 1 { w = index($0, " ID") } $1 == n && length($1) >= w { bad++ } END { print bad + 0 }')"
check_eq "its line in list has every column" 7 "$(nsctl list | awk -v n="$long" '$1 == n { print NF }')"
check "enter it" nsctl enter "$long" -- true
check "delete it" nsctl delete "$long"
check "a name with the characters of unit names and pods" nsctl create "app@1:pod+x_y.z-w" --no-cgroup --ns uts
check "delete it" nsctl delete "app@1:pod+x_y.z-w"

# --- labels ---------------------------------------------------------------------
M=/tmp/lbl.mon
nsctl monitor -j >$M 2>$M.err &
mon=$!
until_ok 200 grep -q listening $M.err
check "create with labels" nsctl create lab --ns uts --no-cgroup \
	--label runtime=crun --label io.kubernetes.pod/name=web-1 --label empty=
check_eq "show lists them in key order" "labels:      empty= io.kubernetes.pod/name=web-1 runtime=crun" \
	"$(nsctl show lab | grep '^labels:')"
check_eq "show -j has them as an object" '{"empty":"","io.kubernetes.pod/name":"web-1","runtime":"crun"}' \
	"$(nsctl show lab -j | jq -c .labels)"
check_eq "list -j too" "crun" "$(nsctl list -j | jq -r '.[] | select(.name == "lab") | .labels.runtime')"
check_eq "the created event carried them" "crun" \
	"$(until_ok 200 grep -q '"created".*"lab"' $M; grep '"created".*"name":"lab"' $M | jq -r .labels.runtime)"
check "create another with one of them" nsctl create lab2 --ns uts --no-cgroup --label runtime=crun
sel() { nsctl list -j "$@" | jq -r '.[].name' | grep -x -e lab -e lab2 | tr '\n' ' '; }
check_eq "list --label KEY=VALUE selects" "lab lab2 " "$(sel --label runtime=crun)"
check_eq "every --label must match" "lab " "$(sel --label runtime=crun --label empty)"
check_eq "KEY alone: any value" "lab " "$(sel -l io.kubernetes.pod/name)"
check_eq "no match, no container" "" "$(sel --label runtime=runc)"
check_eq "text listing selects the same" "lab2" "$(nsctl list --label runtime=crun | awk 'NR > 1 { print $1 }' | grep -x lab2)"
check "set a label and remove one" nsctl set lab label=runtime=runc label=-empty
check_eq "show says so" '{"io.kubernetes.pod/name":"web-1","runtime":"runc"}' \
	"$(nsctl show lab -j | jq -c .labels)"
check_eq "a changed event said labels" '["labels"]' \
	"$(until_ok 200 grep -q '"changed".*"lab"' $M; grep '"changed".*"name":"lab"' $M | tail -1 | jq -c .changed)"
check_eq "selection follows" "lab2 " "$(sel --label runtime=crun)"
check_fails "a label without '='" "a label is KEY=VALUE" nsctl create bad --no-cgroup --label nokey
check_fails "a key not starting with a letter or digit" "starts with a letter or a digit" \
	nsctl create bad --no-cgroup --label .k=v
check_fails "a control character in a value" "control characters" \
	nsctl set lab "label=k=$(printf 'a\tb')"
check_fails "a removal with a value" "no value" nsctl set lab label=-runtime=x
check_fails "a bad selector" "starts with a letter or a digit" nsctl list --label -x
check_eq "nothing was made by the refused create" "" "$(nsctl list -j | jq -r '.[].name' | grep -x bad)"
check_eq "nor changed by the refused set" '{"io.kubernetes.pod/name":"web-1","runtime":"runc"}' \
	"$(nsctl show lab -j | jq -c .labels)"
i=0
args=""
while [ $i -lt 65 ]; do args="$args label=k$i=v"; i=$((i + 1)); done
# shellcheck disable=SC2086
check_fails "more labels than a container may have" "more than 64 labels" nsctl set lab $args
check_eq "declare writes them back" "label=io.kubernetes.pod/name=web-1 label=runtime=runc " \
	"$(nsctl declare lab --stdout | grep '^label=' | tr '\n' ' ')"
check "delete one" nsctl delete lab
check "delete the other" nsctl delete lab2
check_eq "the deleted event still names its labels" "runc" \
	"$(until_ok 200 grep -q '"deleted".*"lab"' $M; grep '"deleted".*"name":"lab"' $M | jq -r .labels.runtime)"
kill $mon
wait $mon 2>/dev/null

# --- the network namespace cookie ------------------------------------------------
check "create with a network namespace" nsctl create ck --ns net --no-cgroup
c1=$(nsctl show ck -j | jq -r .net_cookie)
c2=$(nsctl list -j | jq -r '.[] | select(.name == "ck") | .net_cookie')
u=$(nsctl show ck -j | jq -r .namespace_uuids.net)
c3=$(nsctl ns list -j | jq -r --arg u "$u" '.[] | select(.uuid == $u) | .net_cookie')
check_eq "show, list and ns list give one cookie" "$c1 $c1" "$c2 $c3"
check "it is a number" sh -c "[ '$c1' -gt 0 ]"
check "delete it" nsctl delete ck

tap_done
