# SPDX-License-Identifier: GPL-2.0
#
# nsctl: the module, the tool, the selftests and the QEMU harness.
#
#   make deps        install/cache what the build and tests need (Debian 12)
#   make             module for KVER (default: newest 6.1), tool, selftests
#   make check       static checks, the selftests in QEMU on 6.1, 6.12, their
#                    PREEMPT_RT flavours and the 6.1 and 6.12 debug kernels,
#                    then the packages on a booted Debian host (check-host)
#   make check-fresh deps + make check in a bare Debian 12 root (chroot)
#   make demo        a scripted nsctl session in the VM
#   make vm-run SCRIPT=file.sh [KVER=...]   run a script in the VM
#   make vm-shell [KVER=...]                 interactive shell in the VM
#   make check-host  nsctl's packages on a booted Debian 12 host, both kernels
#   make host-shell [KVER=...]               root shell on that host
#   make bench [KVER=...]                    benchmarks in the VM
#   make torture [DURATION=s] [SEED=n] [TORTURE_KVER=debug|debug-6.12|kcsan-6.12|6.1|...]
#                    fuzzer campaigns and stress runs, round after round,
#                    in one VM
#   make coverage [RUNS="debug-a debug-b ..."] [COVERAGE_RUN=1]
#                    the module's line and branch coverage per file, from
#                    the debug kernel's runs (make check, make torture)
#   make install     module and tool on this machine (needs module support)
#   make deb         Debian packages in build/deb/, checked by lintian

NSCTL_VERSION := 0.1.0
export NSCTL_CACHE ?= /var/cache/nsctl
CACHE := $(NSCTL_CACHE)
-include $(CACHE)/env.mk

# Kernel selection: KVER names a cached target kernel (6.1, 6.12, 6.1-rt,
# 6.12-rt are accepted as short names; debug, debug-6.12 and kcsan-6.12
# name the debug kernels of debug-kernel.sh); KDIR may point at any
# build directory.
KVER ?= $(KVER_61)
override KVER := $(strip $(patsubst 6.1,$(KVER_61),$(patsubst 6.12,$(KVER_612),\
	$(patsubst 6.1-rt,$(KVER_61RT),$(patsubst 6.12-rt,$(KVER_612RT),$(KVER))))))
ifeq ($(KDIR),)
ifneq ($(wildcard $(CACHE)/k/$(KVER)/kdir),)
override KDIR := $(CACHE)/k/$(KVER)/kdir
else
override KDIR := /lib/modules/$(KVER)/build
endif
endif
KERNELS ?= $(KVER_61) $(KVER_612) $(KVER_61RT) $(KVER_612RT) debug debug-6.12

BUILD := $(CURDIR)/build
MODDIR = $(BUILD)/$(KVER)
KSRC := Kbuild $(wildcard kmod/*.c kmod/*.h) uapi/linux/nsctl.h

export KSFT_DIR := $(CACHE)/kselftest
export NSCTL_VERSION

.PHONY: all deps module ctl selftests modules-all static-checks checkpatch dkms-check \
	check check-fresh check-vm check-host host-shell known-kernels demo vm-run vm-script torture coverage \
	vm-shell bench install clean debug-kernel deb

all: module ctl selftests

deps:
	@bash selftests/vm/deps.sh

# The debug kernels of make check (6.1 and 6.12, KASAN); make torture
# builds the KCSAN one when asked for it.
debug-kernel: deps
	@bash selftests/vm/debug-kernel.sh debug
	@bash selftests/vm/debug-kernel.sh debug-6.12

# The debug kernel's module is profiled with gcov: every run on it leaves
# the module's coverage (make coverage).
GCOV_FLAG = $(if $(filter debug,$(KVER)),NSCTL_GCOV=y)

# The module is built in a per-kernel copy of its sources, so that builds
# for several kernels never share object files.  W=1 and sparse run on
# every build; any warning fails it.
module:
	@test -n "$(KVER)" || { echo "no kernel version: run make deps first"; exit 1; }
	@test -d "$(KDIR)" || { echo "no kernel build directory $(KDIR) (run make deps)"; exit 1; }
	@mkdir -p $(MODDIR)
	@cp --parents -u $(KSRC) $(MODDIR)/
	@$(MAKE) -s -C $(KDIR) M=$(MODDIR) W=1 C=2 CHECK=sparse $(GCOV_FLAG) \
		NSCTL_VERSION=$(NSCTL_VERSION) modules 2>&1 | tee $(MODDIR)/build.log
	@if grep -E 'warning:|error:' $(MODDIR)/build.log; then \
		echo "module build for $(KVER): warnings are errors"; exit 1; fi
	@test -f $(MODDIR)/nsctl.ko
	@echo "module: $(MODDIR)/nsctl.ko"
	@mkdir -p $(MODDIR)/squat
	@cp -u selftests/squat/Kbuild selftests/squat/nsctl_squat.c $(MODDIR)/squat/
	@$(MAKE) -s -C $(KDIR) M=$(MODDIR)/squat W=1 C=2 CHECK=sparse modules 2>&1 | \
		tee $(MODDIR)/squat/build.log
	@if grep -E 'warning:|error:' $(MODDIR)/squat/build.log; then \
		echo "test module build for $(KVER): warnings are errors"; exit 1; fi
	@test -f $(MODDIR)/squat/nsctl_squat.ko

modules-all:
	@for k in $(KERNELS); do $(MAKE) -s module KVER=$$k KDIR= || exit 1; done

ctl:
	@$(MAKE) -s -C ctl

selftests:
	@$(MAKE) -s -C selftests

checkpatch:
	@perl $(CACHE)/checkpatch/checkpatch.pl --strict --no-tree --quiet \
		--ignore SPDX_LICENSE_TAG,FILE_PATH_CHANGES \
		-f $(wildcard kmod/*.c kmod/*.h selftests/squat/*.c) uapi/linux/nsctl.h && \
		echo "checkpatch --strict: clean"

# dkms add/build against each Debian kernel's headers (stock and RT), in a
# private DKMS tree so that the machine's own /var/lib/dkms is left alone.
DKMS_KERNELS := $(KVER_61) $(KVER_612) $(KVER_61RT) $(KVER_612RT)
dkms-check:
	@t=$$(mktemp -d) && trap 'rm -rf $$t' EXIT && \
	mkdir -p $$t/src/nsctl-$(NSCTL_VERSION) $$t/tree && \
	cp -r Kbuild kmod uapi dkms.conf $$t/src/nsctl-$(NSCTL_VERSION)/ && \
	dkms add -q --dkmstree $$t/tree --sourcetree $$t/src nsctl/$(NSCTL_VERSION) >/dev/null && \
	for k in $(DKMS_KERNELS); do \
		dkms build -q --dkmstree $$t/tree --sourcetree $$t/src nsctl/$(NSCTL_VERSION) \
			-k $$k --kernelsourcedir $(CACHE)/k/$$k/kdir >$$t/log 2>&1 && \
		test -f $$t/tree/nsctl/$(NSCTL_VERSION)/$$k/x86_64/module/nsctl.ko || \
		{ cat $$t/log; echo "dkms build for $$k failed"; exit 1; }; \
	done && echo "dkms build: $(DKMS_KERNELS): ok"

static-checks: checkpatch modules-all dkms-check

# Everything after deps runs in a sub-make: on an empty cache, env.mk (the
# kernel versions) only exists once deps has run, and this make has
# already read its makefiles by then.
check: deps
	@set -e; now() { date +%s; }; \
	t=$$(now); $(MAKE) -s debug-kernel; \
	echo "check: debug kernel ready in $$(( $$(now) - t )) s"; \
	t=$$(now); $(MAKE) -s static-checks; \
	echo "check: static checks done in $$(( $$(now) - t )) s"; \
	t=$$(now); $(MAKE) -s ctl selftests; \
	echo "check: tool and selftests built in $$(( $$(now) - t )) s"
	@$(MAKE) -s check-vm
	@bash selftests/vm/coverage.sh debug-a debug-b 2>/dev/null | awk '/^total/ { \
		print "check: module coverage on the debug kernel: lines " $$2 "/" $$4 " (" $$5 \
		"), branches " $$6 "/" $$8 " (" $$9 "); make coverage for each file" }' || true
	@t=$$(date +%s); $(MAKE) -s check-host; \
	echo "check: host tier done in $$(( $$(date +%s) - t )) s"

# The README's setup and test commands, run cold in a minimal Debian 12
# root made from Debian's archive: proves that deps installs everything.
check-fresh:
	@bash selftests/vm/check-fresh.sh

check-vm: known-kernels
	@bash selftests/vm/check.sh $(KERNELS)

known-kernels:
	@test -n "$(KVER_61)" && test -n "$(KVER_612)" && \
		test -n "$(KVER_61RT)" && test -n "$(KVER_612RT)" || \
		{ echo "no kernel versions in $(CACHE)/env.mk (run make deps)"; exit 1; }

# The host tier: a Debian 12 host with systemd booted on each kernel, with
# nsctl's Debian packages (from build/deb/, or NSCTL_HOST_DEBS) installed
# and their module built by DKMS; see selftests/host/.
check-host: deps
	@$(MAKE) -s known-kernels
	@$(MAKE) -s deb
	@bash selftests/host/check.sh 6.1 6.12

host-shell: known-kernels
	@$(MAKE) -s deb
	@bash selftests/host/prepare.sh
	@bash selftests/host/run.sh --kernel $(KVER) --shell

demo: deps
	@$(MAKE) -s all
	@$(MAKE) -s vm-script SCRIPT=selftests/vm/demo.sh

vm-run:
	@test -n "$(SCRIPT)" || { echo "usage: make vm-run SCRIPT=path/to/script.sh [KVER=...]"; exit 2; }
	@$(MAKE) -s all
	@$(MAKE) -s vm-script

vm-script: known-kernels
	@bash selftests/vm/run.sh --kernel $(KVER) --script "$(SCRIPT)"

vm-shell: known-kernels all
	@bash selftests/vm/run.sh --kernel $(KVER) --shell

bench: deps
	@$(MAKE) -s all
	@$(MAKE) -s -C selftests/bench
	@NSCTL_VM_MEM=4096 $(MAKE) -s vm-script SCRIPT=selftests/vm/bench.sh

torture: deps
	@$(MAKE) -s all
	@$(MAKE) -s known-kernels
	@case "$(or $(TORTURE_KVER),debug)" in debug*|kcsan-*) \
		bash selftests/vm/debug-kernel.sh $(or $(TORTURE_KVER),debug) && \
		$(MAKE) -s module KVER=$(or $(TORTURE_KVER),debug) KDIR= ;; esac
	@bash selftests/vm/torture.sh "$(DURATION)" "$(SEED)" "$(or $(TORTURE_KVER),debug)"

# The report reads what the debug VMs left: make check's, make torture's
# (RUNS picks some); with none for the module built now, or COVERAGE_RUN=1,
# the debug kernel's C selftests run first.
coverage: deps
	@$(MAKE) -s debug-kernel
	@$(MAKE) -s module KVER=debug KDIR=
	@$(MAKE) -s ctl selftests
	@bash selftests/vm/coverage.sh $(if $(COVERAGE_RUN),--run) $(RUNS)

install:
	$(MAKE) -C /lib/modules/$(shell uname -r)/build M=$(CURDIR) modules
	$(MAKE) -C /lib/modules/$(shell uname -r)/build M=$(CURDIR) modules_install
	depmod -a
	$(MAKE) -C ctl install

# Debian packages (debian/), built with dpkg-buildpackage from a copy of
# the files git knows (tracked, and new ones not ignored) as they are in
# the work tree, uncommitted changes included.  lintian's errors fail the
# build; then a program is built against the unpacked libnsctl-dev with
# pkg-config (debian/tests/build-libnsctl, also an autopkgtest).
DEB := $(BUILD)/deb
DEBSRC := $(DEB)/src/nsctl-$(NSCTL_VERSION)
deb:
	@rm -rf $(DEB) && mkdir -p $(DEBSRC)
	@git ls-files -z --cached --others --exclude-standard | \
		tar -cf - --no-recursion --ignore-failed-read --null -T - | tar -xf - -C $(DEBSRC)
	@cd $(DEBSRC) && DEB_BUILD_OPTIONS="$(strip $(DEB_BUILD_OPTIONS) noautodbgsym)" dpkg-buildpackage -us -uc -b >../build.log 2>&1 || \
		{ tail -n 40 ../build.log; echo "deb: dpkg-buildpackage failed, see $(DEB)/src/build.log"; exit 1; }
	@mv $(DEB)/src/*.deb $(DEB)/src/*.changes $(DEB)/src/*.buildinfo $(DEB)/
	@cd $(DEB) && ls *.deb
	@lintian -I --fail-on error $(DEB)/*.changes && echo "deb: lintian: no errors"
	@rm -rf $(DEB)/root && for p in libnsctl0 libnsctl-dev; do \
		dpkg-deb -x $(DEB)/$${p}_*.deb $(DEB)/root || exit 1; done
	@NSCTL_SYSROOT=$(DEB)/root sh debian/tests/build-libnsctl

clean:
	rm -rf $(BUILD)
	$(MAKE) -s -C ctl clean
	$(MAKE) -s -C selftests clean
	$(MAKE) -s -C selftests/bench clean
	rm -f *.o *.ko *.mod *.mod.c *.mod.o .*.cmd modules.order Module.symvers
	rm -f kmod/*.o kmod/.*.cmd
