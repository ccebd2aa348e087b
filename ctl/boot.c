// SPDX-License-Identifier: GPL-2.0
/*
 * nsctl boot: what nsctl.service runs at boot.  It mounts the nsctl
 * filesystem, readies the cgroup parent (on a systemd host the service's
 * delegated cgroup: this process first moves into a leaf of it, since a
 * cgroup with processes cannot enable controllers for children), and
 * creates every declared container that does not exist yet.
 *
 * With --service it then tells systemd it is ready (sd_notify's READY=1)
 * and stays, asleep, until stopped: systemd removes the cgroup of a unit
 * that has no process left, delegated subtree and all, so the service
 * keeps one process in it for as long as containers' cgroups live there.
 * Meanwhile it follows deletion events, to remove the /run/netns exports
 * of containers deleted by any means (on_empty=delete, another program's
 * netlink request); before anything, boot removes exports whose container
 * is gone.
 *
 * A declaration that is wrong, or a container that cannot be made, is
 * reported with its file (and line) and the others still come up.  Those
 * are not the service's failure: a failed nsctl.service would be stopped
 * by systemd, and with it every container's processes and cgroups.  Only
 * what stops every container (no module, no filesystem, an unreadable
 * directory) makes the exit status non-zero.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nsctl.h"
#include "decl.h"

static const char boot_usage[] =
"Usage: nsctl boot [--dir DIR] [--check | --service]\n"
"\n"
"Create every container declared in DIR (" NSCTL_DECL_DIR ") as NAME.conf\n"
"that does not exist yet; nsctl.service runs this at boot.  A container that\n"
"exists with the declared UUID is left as it is.  A bad declaration is\n"
"reported (file, line, what is wrong) and the others are still created.\n"
"\n"
"  --dir DIR    read the declarations in DIR\n"
"  --check      only read the declarations and report what is wrong; exit\n"
"               status 1 if anything is\n"
"  --service    then notify systemd (Type=notify) and stay until SIGTERM, so\n"
"               that the service's cgroup, which holds the containers', stays\n"
"  -h, --help   show this help\n"
"\n"
"Exit status: 0 when the declarations were gone through (the messages name\n"
"the containers that could not be created), 1 when none could be (no nsctl\n"
"module or filesystem, DIR unreadable) or, with --check, when a declaration\n"
"is wrong.\n";

static int conf_filter(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 5 && !strcmp(e->d_name + n - 5, ".conf");
}

/* An nsfs fd for a new cgroup namespace rooted at @cgfd's cgroup, or -1. */
static int fresh_cgroupns(struct decl *d, int cgfd, const char *cgpath, const char *what)
{
	struct ns_helper h;
	char path[64];
	int fd;

	if (helper_start(&d->co, NSCTL_NS_BIT(NSCTL_NS_CGROUP), cgfd, cgpath, &h, what))
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/ns/cgroup", h.pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail(what, "cannot open the new cgroup namespace: %s", strerror(errno));
	helper_end(&h);
	return fd;
}

/*
 * A declared container that exists but whose cgroup is gone: stopping
 * nsctl.service has systemd remove its delegated subtree, and the
 * container then holds a removed cgroup.  Made again and bound; a cgroup
 * namespace the container holds was rooted at the removed one, so it is
 * replaced by one rooted at the new cgroup, under the generation the
 * rebinding gave (nothing changed the container in between).
 */
static int regain_cgroup(struct decl *d, const struct nsctl_info *in, const char *what)
{
	char path[4200], cgpath[4200];
	int cgfd = -1, dirfd = -1, err, fds[NSCTL_NS_COUNT];
	uint64_t gen;
	unsigned int i;
	bool made;

	if (d->co.no_cgroup || d->co.cgroup)
		return 0;
	snprintf(path, sizeof(path), NSCTL_CGROUP_ROOT "%s", in->cgroup);
	if (in->cgroup[0] && !access(path, F_OK))
		return 0;
	if (create_cgroup(&d->co, cgpath, sizeof(cgpath), &cgfd, &made, what))
		goto fail;
	dirfd = nsctl_open(d->name);
	err = dirfd < 0 ? dirfd : nsctl_set_cgroup(dirfd, cgfd, &gen);
	if (err) {
		fail(what, "cannot bind the cgroup %s to \"%s\": %s", cgpath, d->name,
		     ct_why(err));
		goto fail;
	}
	if (in->ns_inum[NSCTL_NS_CGROUP] && !(d->co.share & NSCTL_NS_BIT(NSCTL_NS_CGROUP))) {
		for (i = 0; i < NSCTL_NS_COUNT; i++)
			fds[i] = -1;
		fds[NSCTL_NS_CGROUP] = fresh_cgroupns(d, cgfd, cgpath, what);
		if (fds[NSCTL_NS_CGROUP] < 0) {
			err = 1;	/* reported */
		} else {
			err = nsctl_set_ns(dirfd, NSCTL_NS_BIT(NSCTL_NS_CGROUP), fds, 0, 0,
					   &gen, NULL);
			close(fds[NSCTL_NS_CGROUP]);
		}
		if (err) {
			if (err < 0)
				fail(what, "cannot give \"%s\" a cgroup namespace rooted at %s: %s",
				     d->name, cgpath, strerror(-err));
			close(dirfd);
			/* Bound: the cgroup stays the container's, not removed. */
			close(cgfd);
			return 1;
		}
	}
	close(dirfd);
	close(cgfd);
	printf("nsctl boot: %s: \"%s\" had lost its cgroup: made %s again\n", d->file,
	       d->name, cgpath);
	return 0;
fail:
	if (dirfd >= 0)
		close(dirfd);
	if (cgfd >= 0)
		close(cgfd);
	if (made)
		rmdir(cgpath);
	return 1;
}

/* 0: made or already there; 1: reported. */
static int boot_one(struct decl *d)
{
	char what[4400], uuid[37];
	struct nsctl_info in;
	int err;

	snprintf(what, sizeof(what), "%s", d->file);
	err = nsctl_read_info(d->name, &in);
	if (!err) {
		if (d->co.have_uuid) {
			nsctl_uuid_format(d->co.uuid, uuid);
			if (strcmp(uuid, in.uuid))
				return fail(what, "a container \"%s\" exists with another UUID (%s)",
					    d->name, in.uuid);
		}
		err = regain_cgroup(d, &in, what);
		/* Declared, and missing (removed by hand, or since boot). */
		if (d->co.netns_export && netns_export(d->name, d->co.netns_export, what))
			err = 1;
		return err;
	}
	if (err != -ENOENT)
		return fail(what, "cannot look \"%s\" up: %s", d->name, ct_why(err));
	if (create_run(&d->co, what))
		return 1;
	if (d->has_set && set_apply(d->name, &d->sr, what)) {
		/* Not left half-made: gone, and said so. */
		char *argv[] = { "delete", "--force", d->name, NULL };

		if (cmd_delete(3, argv))
			return fail(what, "\"%s\" was created but could not be set up, nor deleted",
				    d->name);
		return fail(what, "\"%s\" could not be set up and was deleted", d->name);
	}
	printf("nsctl boot: %s: created \"%s\"\n", d->file, d->name);
	return 0;
}

/* sd_notify(3)'s protocol: one datagram to $NOTIFY_SOCKET. */
static void notify_systemd(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len;
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@') || strlen(path) >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, path, strlen(path));
	if (path[0] == '@')
		sa.sun_path[0] = '\0';
	len = offsetof(struct sockaddr_un, sun_path) + strlen(path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa, len) < 0)
		fail("boot", "cannot notify systemd: %s", strerror(errno));
	close(fd);
}

/*
 * Until SIGTERM or SIGINT, asleep but for deletion events on @events
 * (when not NULL); 0.
 */
static int stay(const char *status, struct nsctl_genl *events)
{
	struct pollfd pfd[2] = { { .fd = -1 }, { .fd = -1, .events = POLLIN } };
	char msg[256];
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	snprintf(msg, sizeof(msg), "READY=1\nSTATUS=%s", status);
	notify_systemd(msg);
	pfd[0].fd = signalfd(-1, &set, SFD_CLOEXEC);
	pfd[0].events = POLLIN;
	if (events)
		pfd[1].fd = nsctl_genl_fd(events);
	while (events && pfd[0].fd >= 0) {
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents)
			goto out;
		/* A socket that keeps failing is given up on. */
		if (pfd[1].revents && netns_watch_read(events, "boot") &&
		    !(pfd[1].revents & POLLIN))
			pfd[1].fd = -1;
	}
	while (sigwait(&set, &sig))
		;
out:
	notify_systemd("STOPPING=1");
	if (pfd[0].fd >= 0)
		close(pfd[0].fd);
	return 0;
}

int cmd_boot(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "check", no_argument, NULL, 'c' },
		{ "service", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NSCTL_DECL_DIR;
	unsigned int bad = 0, up = 0;
	struct nsctl_config cfg;
	struct nsctl_genl *events = NULL;
	struct dirent **ents;
	bool check = false, service = false;
	char status[128];
	int opt, n, i, err;

	if (want_help(argc, argv, boot_usage))
		return 0;
	/* Progress and errors reach the journal in the order they happen. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'd') {
			dir = optarg;
		} else if (opt == 'c') {
			check = true;
		} else if (opt == 's') {
			service = true;
		} else {
			fputs(boot_usage, stderr);
			return 1;
		}
	}
	if (optind != argc || (check && service)) {
		fputs(boot_usage, stderr);
		return 1;
	}
	if (nsctl_config_read(&cfg))
		return 1;
	if (!check) {
		err = nsctl_ensure_mounted();
		if (err)
			return fail("boot", "cannot mount %s: %s (is the nsctl module loaded?)",
				    NSCTL_MOUNT_POINT, strerror(-err));
		if (nsctl_cgroup_boot(&cfg, "boot"))
			return 1;
		/* Subscribed first: no deletion falls between sweep and events. */
		if (service)
			events = netns_watch("boot");
		netns_sweep("boot");
	}

	n = scandir(dir, &ents, conf_filter, alphasort);
	if (n < 0) {
		if (errno == ENOENT && !check) {
			printf("nsctl boot: no declarations (%s does not exist)\n", dir);
			return service ? stay("no declarations", events) : 0;
		}
		return fail("boot", "cannot read %s: %s", dir, strerror(errno));
	}
	for (i = 0; i < n; i++) {
		char path[4200];
		struct decl d;

		snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
		if (decl_read(path, &d) || (!check && boot_one(&d)))
			bad++;
		else
			up++;
		decl_free(&d);
	}
	if (check)
		printf("nsctl boot: %u declaration%s, %u wrong\n", n, n == 1 ? "" : "s", bad);
	snprintf(status, sizeof(status), "%u of %d declared container%s up", up, n,
		 n == 1 ? "" : "s");
	if (!check)
		printf("nsctl boot: %s\n", status);
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	if (service)
		return stay(status, events);
	return check && bad ? 1 : 0;
}
