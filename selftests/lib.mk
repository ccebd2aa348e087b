# SPDX-License-Identifier: GPL-2.0
# Shared rules for nsctl's selftest areas.  An area's Makefile sets
# TEST_GEN_PROGS (test programs, built and run) and TEST_GEN_FILES
# (helpers its tests run, built and copied beside them), and includes
# this file.  The kselftest harness headers
# come from Debian's linux-source-6.1 (see selftests/vm/deps.sh).

KSFT_DIR ?= /var/cache/nsctl/kselftest
TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)

CC ?= gcc
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE
CFLAGS += -isystem $(KSFT_DIR) -I$(TOP)/uapi -I$(TOP)/selftests/lib -I$(TOP)/ctl
LDFLAGS += -static

all: $(TEST_GEN_PROGS) $(TEST_GEN_FILES)

$(TEST_GEN_PROGS): %: %.c $(wildcard $(TOP)/selftests/lib/*.h) $(TOP)/uapi/linux/nsctl.h
	@test -f $(KSFT_DIR)/kselftest_harness.h || { echo "no kselftest_harness.h in $(KSFT_DIR) (run make deps)"; exit 1; }
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(EXTRA_SRCS) $(LDLIBS)

# Helpers: one source file each.
$(TEST_GEN_FILES): %: %.c
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

print-progs:
	@echo $(TEST_GEN_PROGS) $(TEST_PROGS)

print-files:
	@echo $(TEST_GEN_FILES)

clean:
	rm -f $(TEST_GEN_PROGS) $(TEST_GEN_FILES)

.PHONY: all clean print-progs print-files
