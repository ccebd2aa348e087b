// SPDX-License-Identifier: GPL-2.0
/*
 * Declared containers: /etc/nsctl/containers/NAME.conf describes a
 * container that nsctl.service creates at every boot ('nsctl boot'), with
 * the same container UUID; its namespaces are new ones each time.
 *
 * A declaration is KEY=VALUE lines, '#' comments and blank lines.  The
 * keys are the long options of 'nsctl create' (ns, share, from-netns,
 * cgroup, memory-max, pids-max, cpu-max, uuid, netns-export;
 * "cgroup=none" for --no-cgroup) and the keys of 'nsctl set' (on_empty, enter, hostname,
 * domainname and the IPC limits), checked by the same code as on the
 * command line and reported with the file and line.
 *
 * 'nsctl declare NAME' writes the declaration of an existing container.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nsctl.h"
#include "decl.h"

#define DECL_MAX_SIZE	(64 * 1024)

/* NAME.conf with a valid container name: the name, else NULL. */
bool decl_file_name(const char *file, char *name, size_t len)
{
	const char *base = strrchr(file, '/');
	size_t n;

	base = base ? base + 1 : file;
	n = strlen(base);
	if (n <= 5 || strcmp(base + n - 5, ".conf") || n - 5 >= len)
		return false;
	memcpy(name, base, n - 5);
	name[n - 5] = '\0';
	return nsctl_name_check(name) == 0;
}

static char *trim(char *s)
{
	char *end;

	s += strspn(s, " \t");
	end = s + strlen(s);
	while (end > s && strchr(" \t\r", end[-1]))
		*--end = '\0';
	return s;
}

static int decl_line(struct decl *d, char *line, const char *where)
{
	char *eq = strchr(line, '='), *key, *val;
	unsigned int i;
	int err;

	if (!eq)
		return fail(where, "\"%s\" is not KEY=VALUE", line);
	*eq = '\0';
	key = trim(line);
	val = trim(eq + 1);
	/* One of each key; a label line per label. */
	for (i = 0; i < d->nkeys; i++)
		if (!strcmp(d->keys[i], key))
			return fail(where, "\"%s\" given twice", key);
	if (strcmp(key, "label") && d->nkeys < DECL_MAX_KEYS)
		d->keys[d->nkeys++] = key;
	else if (strcmp(key, "label"))
		return fail(where, "more than %d keys", DECL_MAX_KEYS);
	if (!strcmp(key, "from-pid"))
		return fail(where, "from-pid cannot be declared: no such process exists at boot");
	if (!strcmp(key, "no-cgroup"))
		return fail(where, "unknown key \"no-cgroup\" (\"cgroup=none\" declares no cgroup)");
	if (!strcmp(key, "ns") && !*val) {
		/* A container that holds no namespace ('nsctl declare' of one). */
		d->co.types = 0;
		d->co.types_given = true;
		return 0;
	}
	if (!strcmp(key, "cgroup") && !strcmp(val, "none")) {
		d->co.no_cgroup = true;
		return 0;
	}
	err = create_option(&d->co, key, val, where);
	if (err != -ENOENT)
		return err ? 1 : 0;
	err = set_option(&d->sr, key, val, where);
	if (err == -ENOENT)
		return fail(where, "unknown key \"%s\" (keys: the long options of 'nsctl create' "
			    "and the keys of 'nsctl set'; see nsctl(8))", key);
	if (err)
		return 1;
	d->has_set = true;
	return 0;
}

int decl_read(const char *file, struct decl *d)
{
	char where[4200], *line, *next;
	unsigned int lineno = 0;
	struct stat st;
	ssize_t n;
	int fd;

	memset(d, 0, sizeof(*d));
	create_opts_init(&d->co);
	snprintf(d->file, sizeof(d->file), "%s", file);
	if (!decl_file_name(file, d->name, sizeof(d->name)))
		return fail(file, "not NAME.conf with a valid container name (1 to %d "
			    "characters from A-Z a-z 0-9 _ . -, not starting with '.')",
			    NSCTL_NAME_MAX);
	d->co.name = d->name;
	/* Never blocks: a FIFO named *.conf must not hang the boot. */
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return fail(file, "cannot read: %s", strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(file, "not a regular file");
	}
	d->text = malloc(DECL_MAX_SIZE + 1);
	if (!d->text) {
		close(fd);
		return fail(file, "out of memory");
	}
	n = read(fd, d->text, DECL_MAX_SIZE + 1);
	close(fd);
	if (n < 0)
		return fail(file, "cannot read: %s", strerror(errno));
	if (n > DECL_MAX_SIZE)
		return fail(file, "larger than %d bytes", DECL_MAX_SIZE);
	d->text[n] = '\0';
	if (memchr(d->text, '\0', n))
		return fail(file, "not a text file");

	/* Values are used in place: the text lives as long as @d. */
	for (line = d->text; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		line = trim(line);
		if (!*line || *line == '#')
			continue;
		snprintf(where, sizeof(where), "%s:%u", file, lineno);
		if (decl_line(d, line, where))
			return 1;
	}
	/* What only the options together can say, before anything is made. */
	return create_check(&d->co, file);
}

void decl_free(struct decl *d)
{
	free(d->text);
	d->text = NULL;
}

/* ---- nsctl declare ---- */

static const char declare_usage[] =
"Usage: nsctl declare NAME [--dir DIR | --stdout]\n"
"\n"
"Write the declaration of an existing container to DIR/NAME.conf (DIR:\n"
NSCTL_DECL_DIR "), so that 'nsctl boot', run by nsctl.service, creates it\n"
"at every boot with the same container UUID, namespace types, cgroup\n"
"limits, policies, host and domain name, IPC limits and netns export.  An\n"
"existing file is replaced.  Remove the file to stop declaring the\n"
"container.\n"
"\n"
"  --dir DIR    write DIR/NAME.conf\n"
"  --stdout     write the declaration to standard output\n"
"  -h, --help   show this help\n";

/* inode of PID 1's namespace of @type, or 0. */
static unsigned long long init_ns(unsigned int type)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/1/ns/%s", nsctl_type_name(type));
	return stat(path, &st) ? 0 : (unsigned long long)st.st_ino;
}

/* The IPC limits of a new IPC namespace, in the "ipc" file's format. */
static int fresh_ipc(char *buf, size_t len)
{
	static const char * const keys[] = {
		"shmmax", "shmall", "shmmni", "msgmax", "msgmnb", "msgmni", "sem",
	};
	int p[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -errno;
	}
	if (pid == 0) {
		char out[1024] = "", path[64], v[128];
		size_t i;
		int fd;

		close(p[0]);
		if (unshare(CLONE_NEWIPC))
			_exit(1);
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			snprintf(path, sizeof(path), "/proc/sys/kernel/%s", keys[i]);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				_exit(1);
			n = read(fd, v, sizeof(v) - 1);
			close(fd);
			if (n <= 0)
				_exit(1);
			v[n] = '\0';
			v[strcspn(v, "\n")] = '\0';
			for (char *t = v; *t; t++)
				if (*t == '\t')
					*t = ' ';
			snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s %s\n",
				 keys[i], v);
		}
		_exit(write(p[1], out, strlen(out)) == (ssize_t)strlen(out) ? 0 : 1);
	}
	close(p[1]);
	while ((n = read(p[0], buf + got, len - 1 - got)) > 0)
		got += n;
	close(p[0]);
	buf[got] = '\0';
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

static void put_limit(FILE *f, const char *cg, const char *file, const char *key)
{
	char path[4300], v[128];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), NSCTL_CGROUP_ROOT "%s/%s", cg, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, v, sizeof(v) - 1);
	close(fd);
	if (n <= 0)
		return;
	v[n] = '\0';
	v[strcspn(v, "\n")] = '\0';
	if (!strcmp(file, "cpu.max")) {
		char *sp = strchr(v, ' ');

		if (!sp || !strncmp(v, "max ", 4))
			return;
		*sp = '/';
	} else if (!strcmp(v, "max")) {
		return;
	}
	fprintf(f, "%s=%s\n", key, v);
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p;

	for (p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
			return true;
	return false;
}

/* Lines of the "ipc" file that differ from a new namespace's. */
static int put_ipc(FILE *f, const char *name)
{
	char cur[1024], def[1024], *line, *save = NULL, *c;

	if (nsctl_read_file(name, "ipc", cur, sizeof(cur)) < 0)
		return -EIO;
	if (fresh_ipc(def, sizeof(def)))
		return -EAGAIN;
	for (line = strtok_r(cur, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');

		if (!sp || has_line(def, line))
			continue;
		fprintf(f, "%.*s=", (int)(sp - line), line);
		for (c = sp + 1; *c; c++)
			fputc(*c == ' ' ? ',' : *c, f);
		fputc('\n', f);
	}
	return 0;
}

/* A label=KEY=VALUE line per label. */
static void put_labels(FILE *f, const char *name)
{
	char buf[NSCTL_LABELS_SIZE + 1], *line, *save = NULL;

	if (labels_read(name, buf, sizeof(buf)))
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		fprintf(f, "label=%s\n", line);
}

/* A one-line container file, without its newline; "" when unreadable. */
static const char *file_line(const char *name, const char *file, char *v, size_t len)
{
	if (nsctl_read_file(name, file, v, len) < 0)
		v[0] = '\0';
	v[strcspn(v, "\n")] = '\0';
	return v;
}

/* 0, or 1 when reported. */
static int write_decl(FILE *f, const char *name, const struct nsctl_info *in,
		      const struct nsctl_config *cfg, const char *what)
{
	uint64_t held = 0, share = 0;
	char types[128], v[256];
	char exp[NETNS_NAME_MAX + 1];
	unsigned int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		if (!in->ns_inum[i])
			continue;
		held |= NSCTL_NS_BIT(i);
		if (in->ns_inum[i] == init_ns(i))
			share |= NSCTL_NS_BIT(i);
	}
	fprintf(f, "# nsctl declaration of the container \"%s\", written by 'nsctl declare'.\n"
		"# 'nsctl boot' (nsctl.service) creates it at boot; see nsctl(8).\n", name);
	fprintf(f, "uuid=%s\n", in->uuid);
	nsctl_format_types(held, types, sizeof(types));
	fprintf(f, "ns=%s\n", held ? types : "");
	if (share) {
		nsctl_format_types(share, types, sizeof(types));
		fprintf(f, "share=%s\n", types);
	}
	if (!in->cgroup[0]) {
		fprintf(f, "cgroup=none\n");
	} else if (!nsctl_cgroup_made(cfg, name, in->cgroup)) {
		fprintf(f, "cgroup=%s\n", in->cgroup);
	} else {
		put_limit(f, in->cgroup, "memory.max", "memory-max");
		put_limit(f, in->cgroup, "pids.max", "pids-max");
		put_limit(f, in->cgroup, "cpu.max", "cpu-max");
	}
	if (netns_export_find(name, in->uuid, exp, sizeof(exp)))
		fprintf(f, "netns-export=%s\n", exp);
	if (*file_line(name, "on_empty", v, sizeof(v)))
		fprintf(f, "on_empty=%s\n", v);
	if (*file_line(name, "enter", v, sizeof(v)))
		fprintf(f, "enter=%s\n", v);
	if ((held & ~share) & NSCTL_NS_BIT(NSCTL_NS_UTS)) {
		if (*file_line(name, "hostname", v, sizeof(v)))
			fprintf(f, "hostname=%s\n", v);
		if (*file_line(name, "domainname", v, sizeof(v)) && strcmp(v, "(none)"))
			fprintf(f, "domainname=%s\n", v);
	}
	put_labels(f, name);
	if (((held & ~share) & NSCTL_NS_BIT(NSCTL_NS_IPC)) && put_ipc(f, name))
		return fail(what, "cannot compare the IPC limits with a new IPC namespace's "
			    "(making one needs CAP_SYS_ADMIN)");
	if (ferror(f))
		return fail(what, "cannot write: %s", strerror(errno));
	return 0;
}

int cmd_declare(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "stdout", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NSCTL_DECL_DIR, *name;
	char what[NSCTL_NAME_MAX + 96], path[4200], tmp[4300];
	struct nsctl_config cfg;
	struct nsctl_info in;
	bool to_stdout = false;
	int opt, err, fd;
	FILE *f;

	if (want_help(argc, argv, declare_usage))
		return 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'd') {
			dir = optarg;
		} else if (opt == 's') {
			to_stdout = true;
		} else {
			fputs(declare_usage, stderr);
			return 1;
		}
	}
	if (optind != argc - 1) {
		fputs(declare_usage, stderr);
		return 1;
	}
	name = argv[optind];
	snprintf(what, sizeof(what), "declare \"%s\"", name);
	if (nsctl_name_check(name))
		return fail(what, "not a valid container name");
	if (nsctl_config_read(&cfg))
		return 1;
	err = nsctl_ensure_mounted();
	if (!err)
		err = nsctl_read_info(name, &in);
	if (err)
		return fail(what, "%s", ct_why(err));
	if (to_stdout) {
		if (write_decl(stdout, name, &in, &cfg, what))
			return 1;
		return fflush(stdout) ? fail(what, "cannot write: %s", strerror(errno)) : 0;
	}

	/* Written aside and renamed: a crash leaves the old file or the new. */
	if (!strcmp(dir, NSCTL_DECL_DIR))
		mkdir("/etc/nsctl", 0755);
	if (mkdir(dir, 0755) && errno != EEXIST)
		return fail(what, "cannot create %s: %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/%s.conf", dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.conf.tmp", dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return fail(what, "cannot write %s: %s", tmp, strerror(errno));
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return fail(what, "cannot write %s: %s", tmp, strerror(errno));
	}
	if (write_decl(f, name, &in, &cfg, what)) {
		fclose(f);
		unlink(tmp);
		return 1;
	}
	err = 0;
	if (fflush(f) || fsync(fd))
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		unlink(tmp);
		return fail(what, "cannot write %s: %s", path, strerror(-err));
	}
	printf("%s\n", path);
	return 0;
}
