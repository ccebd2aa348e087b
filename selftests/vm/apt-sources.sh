# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the scripts that build roots with mmdebstrap (check-fresh.sh,
# selftests/host/image.sh): the archive as this machine reaches it, its
# enabled source files in ${mirrors[@]} and the Acquire options they need
# (mirror snapshots, for instance) as mmdebstrap arguments in ${aptopts[@]}.
apt_sources() {
	local f
	mirrors=() aptopts=()
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		 /etc/apt/sources.list.d/*.sources; do
		[ -s "$f" ] && grep -qE '^(deb |Types:)' "$f" && mirrors+=("$f")
	done
	for f in /etc/apt/apt.conf.d/*; do
		[ -f "$f" ] && grep -q '^Acquire::' "$f" && aptopts+=("--aptopt=$f")
	done
	[ ${#mirrors[@]} -gt 0 ] || mirrors=(http://deb.debian.org/debian)
}
