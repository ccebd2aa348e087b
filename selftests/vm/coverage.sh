#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make coverage: nsctl's line and branch coverage, per file of kmod/, from
# runs on the debug kernel.  Its module is profiled with gcov (Kbuild's
# NSCTL_GCOV), the kernel keeps the counts across unloads, and each VM
# run leaves them in build/vm/<run>/gcov.txt (see init.sh).
#
#   coverage.sh [--run] [RUN...]
#
# RUN names runs under build/vm: debug-a and debug-b (make check's two
# debug VMs), debug-torture (make torture), debug-<tag> (run.sh --tag).
# By default every debug run whose counts belong to the module built now
# is merged.  With --run, or when there is none, the debug kernel's C
# selftests run first.  The report is printed and kept in
# build/coverage/report.txt, with each file's annotated source beside it
# (gcov's X.c.gcov: "#####" marks a line no run reached).
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
mod="$top/build/debug"
out="$top/build/coverage"
run=0
runs=()
for a in "$@"; do
	case "$a" in
	--run) run=1 ;;
	-*) echo "coverage.sh: unknown option $a" >&2; exit 2 ;;
	*) runs+=("$a") ;;
	esac
done

[ -f "$mod/nsctl.ko" ] || { echo "coverage.sh: no $mod/nsctl.ko (make module KVER=debug)" >&2; exit 1; }
ls "$mod"/kmod/*.gcno >/dev/null 2>&1 ||
	{ echo "coverage.sh: $mod was not built with NSCTL_GCOV=y" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The stamp gcc writes in a notes (.gcno) or data (.gcda) file: a data
# file belongs to the build whose notes carry the same.
stamp() { od -An -tx4 -j8 -N4 "$1" | tr -d ' '; }

# decode RUN DIR: RUN's data files into DIR; fails when there are none or
# they were counted by another build of the module.
decode() {
	local src="$top/build/vm/$1/gcov.txt" dir=$2 line name="" f
	[ -s "$src" ] || return 1
	mkdir -p "$dir"
	while IFS= read -r line; do
		case "$line" in
		"gcov-file "*) name=$(basename "${line#gcov-file }"); : >"$dir/$name.b64" ;;
		gcov-end) base64 -d <"$dir/$name.b64" >"$dir/$name"; rm -f "$dir/$name.b64"; name="" ;;
		*) [ -z "$name" ] || printf '%s\n' "$line" >>"$dir/$name.b64" ;;
		esac
	done < <(tr -d '\r' <"$src")	# the serial line ends lines with CR LF
	ls "$dir"/*.gcda >/dev/null 2>&1 || return 1
	for f in "$dir"/*.gcda; do
		[ -f "$mod/kmod/$(basename "$f" .gcda).gcno" ] &&
			[ "$(stamp "$f")" = "$(stamp "$mod/kmod/$(basename "$f" .gcda).gcno")" ] ||
			return 1
	done
}

if [ $run = 0 ] && [ ${#runs[@]} = 0 ]; then
	for d in "$top"/build/vm/debug-*/; do
		r=$(basename "$d")
		decode "$r" "$tmp/probe-$r" 2>/dev/null && runs+=("$r")
	done
	[ ${#runs[@]} -gt 0 ] || run=1
fi
if [ $run = 1 ]; then
	areas=$(make -s -C "$top/selftests" print-areas | tr ' ' '\n' | grep -vx -e ctl -e runtime | tr '\n' ' ')
	echo "coverage: running the C selftests on the debug kernel ($areas)" >&2
	bash "$top/selftests/vm/run.sh" --kernel debug --tests --areas "$areas" --tag cov ||
		echo "coverage: the run failed; its coverage is reported all the same" >&2
	runs=(debug-cov)
fi

# Merge the runs' counts (gcov-tool adds them up).
merged=""
for r in "${runs[@]}"; do
	decode "$r" "$tmp/run-$r" ||
		{ echo "coverage.sh: no counts of this build of the module in build/vm/$r" >&2; exit 1; }
	if [ -z "$merged" ]; then
		merged="$tmp/run-$r"
	else
		gcov-tool merge -o "$tmp/merged-$r" "$merged" "$tmp/run-$r" >/dev/null
		merged="$tmp/merged-$r"
	fi
done

# gcov reads the notes and the merged counts side by side.
mkdir -p "$tmp/obj"
cp "$mod"/kmod/*.gcno "$tmp/obj/"
cp "$merged"/*.gcda "$tmp/obj/"
rm -rf "$out"
mkdir -p "$out"
(cd "$out" && gcov -b -c -o "$tmp/obj" "$mod"/kmod/*.c >"$tmp/gcov.out" 2>"$tmp/gcov.err") ||
	{ cat "$tmp/gcov.err" >&2; exit 1; }

# Each source file's own block: "File '.../kmod/X.c'", then its lines,
# branches executed and branches taken at least once.
{
	printf 'nsctl module coverage (debug kernel, gcov): %s\n' "${runs[*]}"
	awk -v mod="$mod/kmod/" '
	function pct(a, b) { return b ? sprintf("%5.1f%%", 100 * a / b) : "    -" }
	/^File / {
		f = $2; gsub("\047", "", f)
		keep = index(f, mod) == 1 && f ~ /\.c$/
		if (keep) { name = substr(f, length(mod) + 1); order[++n] = name }
		next
	}
	!keep { next }
	/^Lines executed:/ {
		split($0, a, /[:% ]+/); tot = a[5]; hit = int(a[3] * tot / 100 + 0.5)
		lh[name] = hit; lt[name] = tot
	}
	/^Taken at least once:/ {
		split($0, a, /[:% ]+/); tot = a[7]; hit = int(a[5] * tot / 100 + 0.5)
		bh[name] = hit; bt[name] = tot
	}
	END {
		printf "%-16s %15s %7s %15s %7s\n", "file", "lines", "", "branches", ""
		for (i = 1; i <= n; i++) {
			k = order[i]
			printf "%-16s %7d / %5d %7s %7d / %5d %7s\n", k, lh[k], lt[k],
				pct(lh[k], lt[k]), bh[k], bt[k], pct(bh[k], bt[k])
			L += lh[k]; LT += lt[k]; B += bh[k]; BT += bt[k]
		}
		printf "%-16s %7d / %5d %7s %7d / %5d %7s\n", "total", L, LT,
			pct(L, LT), B, BT, pct(B, BT)
	}' "$tmp/gcov.out"
	echo "annotated sources: $out/<file>.c.gcov (\"#####\": never run)"
} | tee "$out/report.txt"
