/* SPDX-License-Identifier: GPL-2.0 */
/* What the benchmarks share: a clock and a way to give up. */
#ifndef NSCTL_BENCH_H
#define NSCTL_BENCH_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* CLOCK_MONOTONIC in nanoseconds. */
static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* "PROGRAM: WHAT: strerror(errno)", exit 1. */
static inline void __attribute__((noreturn)) die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what,
		strerror(errno));
	exit(1);
}

#endif /* NSCTL_BENCH_H */
