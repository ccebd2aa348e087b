#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A short nsctl session, run in the VM by 'make demo'.
set -e
run() { printf '\n$ %s\n' "$*"; "$@"; }

run nsctl version
run grep nsctl /proc/filesystems
run grep nsctl /proc/mounts
run ls -la /sys/fs/nsctl
