/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NSCTL_DECL_H
#define NSCTL_DECL_H

#include "nsctl.h"

#define DECL_MAX_KEYS	64

/* A declaration file, parsed: decl.c. */
struct decl {
	char file[4096];
	char name[NSCTL_NAME_MAX + 1];
	struct create_opts co;
	struct set_req sr;
	bool has_set;
	const char *keys[DECL_MAX_KEYS];	/* seen so far: one of each */
	unsigned int nkeys;
	char *text;		/* the file; the options point into it */
};

/* NAME.conf with a valid container name: true, and @name. */
bool decl_file_name(const char *file, char *name, size_t len);
/* 0, or 1 with the file (and line) and what is wrong reported. */
int decl_read(const char *file, struct decl *d);
void decl_free(struct decl *d);

#endif
