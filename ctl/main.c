// SPDX-License-Identifier: GPL-2.0
/*
 * nsctl: create, inspect, enter and delete nsctl containers.
 *
 * One table of subcommands; each subcommand lives in its own file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nsctl.h"

const char *prog = "nsctl";

static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct subcommand {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} subcommands[] = {
	{ "create", cmd_create, "create a container" },
	{ "list", cmd_list, "list containers" },
	{ "show", cmd_show, "show a container" },
	{ "delete", cmd_delete, "delete a container" },
	{ "set", cmd_set, "set policies, host name, IPC limits" },
	{ "enter", cmd_enter, "run a command inside a container" },
	{ "ns", cmd_ns, "namespaces by UUID: list, id, open" },
	{ "monitor", cmd_monitor, "print events as they happen" },
	{ "pool", cmd_pool, "pools of ready containers: create, list, fill..." },
	{ "declare", cmd_declare, "declare a container to be made at boot" },
	{ "boot", cmd_boot, "make the declared containers (nsctl.service)" },
	{ "oci-hook", cmd_oci_hook, "OCI runtime hook: register containers of other runtimes" },
	{ "help", cmd_help, "show this help" },
	{ "version", cmd_version, "print the tool's version" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s <command> [options] [arguments]\n\n", prog);
	fprintf(f, "Commands:\n");
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-10s %s\n", subcommands[i].name, subcommands[i].summary);
	fprintf(f, "\n'%s <command> --help' describes a command; nsctl(8) has the rest.\n", prog);
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("nsctl %s\n", NSCTL_VERSION);
	return 0;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return cmd_help(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--version"))
		return cmd_version(argc - 1, argv + 1);

	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++) {
		if (!strcmp(argv[1], subcommands[i].name))
			/* 0 or 1, or for enter the command's own status. */
			return subcommands[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "%s: unknown command \"%s\" (see '%s --help')\n",
		prog, argv[1], prog);
	return 1;
}
