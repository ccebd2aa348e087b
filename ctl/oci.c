// SPDX-License-Identifier: GPL-2.0
/*
 * nsctl oci-hook: an OCI runtime hook (runtime-spec config.md, "POSIX-
 * platform Hooks") that makes the containers of other runtimes (crun,
 * runc, podman, CRI-O) nsctl containers.
 *
 * The runtime writes the container's state (runtime.md, "State") on
 * standard input.  Its status says the stage: "creating" (createRuntime)
 * or "created" (prestart, for runtimes without createRuntime) registers,
 * "stopped" (poststop) unregisters.
 *
 * Registering is 'nsctl create ID --from-pid PID --ns TYPES --cgroup CG'
 * with labels, then on_empty=delete: TYPES are the namespaces in which
 * the container's process differs from this hook's own (what the runtime
 * unshared), CG its cgroup, bound, nothing moved.  If anything after the
 * create fails the container is removed again.  Unregistering removes the
 * container of that name only if its labels say this hook made it for the
 * same bundle.  Removing drops references and kills nothing: the
 * namespaces are detached first if processes are still inside.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "nsctl.h"
#include "json.h"

#define OCI_MADE_BY		"made-by"
#define OCI_MADE_BY_VALUE	"oci-hook"
#define OCI_BUNDLE		"oci-bundle"
#define OCI_LABEL_VALUE_MAX	NSCTL_LABEL_VALUE_MAX
#define OCI_MAX_ANNOTATIONS	32

static const char oci_usage[] =
"Usage: nsctl oci-hook [--annotation KEY[=LABEL]]...\n"
"\n"
"An OCI runtime hook: reads the container's state (JSON) on standard input.\n"
"Status \"creating\" (createRuntime) or \"created\" (prestart) registers the\n"
"container as an nsctl container named by its OCI id: the namespaces in\n"
"which its process differs from the hook's, its cgroup (bound, nothing is\n"
"moved), labels " OCI_MADE_BY "=" OCI_MADE_BY_VALUE " and " OCI_BUNDLE "=BUNDLE, and on_empty=delete.\n"
"Status \"stopped\" (poststop) deletes it again, if this hook made it for\n"
"that bundle.\n"
"\n"
"  -a, --annotation KEY[=LABEL]  copy annotation KEY into label LABEL\n"
"                                (default: KEY); repeatable\n"
"  -h, --help                    show this help\n";

struct oci_annot {
	const char *key, *label;
};

struct oci_state {
	const char *id, *status, *bundle;
	long long pid;
	const struct json *annotations;
};

struct oci_req {
	struct oci_annot annot[OCI_MAX_ANNOTATIONS];
	unsigned int nannot;
};

/* A label key: the rules of labels.c, no '=' in it. */
static bool label_key_ok(const char *k)
{
	return !strchr(k, '=') && !label_check(k, true);
}

static bool label_value_ok(const char *v)
{
	return !label_value_check(v);
}

/* The bundle label's value: the path, or when it cannot be one, a hash. */
static void bundle_value(const char *bundle, char *out, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const unsigned char *p;

	if (label_value_ok(bundle)) {
		snprintf(out, len, "%s", bundle);
		return;
	}
	for (p = (const unsigned char *)bundle; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	snprintf(out, len, "fnv1a64:%016llx", (unsigned long long)h);
}

static int read_stdin(char **text, size_t *len, const char *what)
{
	size_t cap = 4096, n = 0;
	ssize_t r;
	char *buf = malloc(cap), *nb;

	for (;;) {
		if (!buf)
			return fail(what, "out of memory");
		if (n == cap) {
			if (cap > JSON_MAX_SIZE) {
				free(buf);
				return fail(what, "the state on standard input is larger than %d bytes",
					    JSON_MAX_SIZE);
			}
			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb)
				free(buf);
			buf = nb;
			continue;
		}
		r = read(STDIN_FILENO, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return fail(what, "cannot read the state on standard input: %s",
				    strerror(errno));
		}
		if (r == 0)
			break;
		n += r;
	}
	*text = buf;
	*len = n;
	return 0;
}

static int state_string(const struct json *root, const char *key, const char **out,
			const char *what)
{
	const struct json *v = json_get(root, key);

	if (!v)
		return fail(what, "the state has no \"%s\"", key);
	if (v->type != JSON_STRING)
		return fail(what, "the state's \"%s\" is %s, not a string", key,
			    json_type_name(v->type));
	*out = json_cstr(v);
	if (!*out)
		return fail(what, "the state's \"%s\" holds a NUL character", key);
	return 0;
}

/* The state's members this hook uses, checked. */
static int state_parse(const struct json *root, struct oci_state *st, bool need_pid,
		       const char *what)
{
	const struct json *v;

	v = json_get(root, "pid");
	st->pid = 0;
	if (!v && need_pid)
		return fail(what, "the state has no \"pid\"");
	if (v && json_integer(v, &st->pid))
		return fail(what, "the state's \"pid\" is %s, not an integer",
			    v->type == JSON_NUMBER ? v->str : json_type_name(v->type));
	if (need_pid && (st->pid <= 0 || st->pid > INT_MAX))
		return fail(what, "the state's \"pid\" (%lld) is not a process id", st->pid);
	if (state_string(root, "bundle", &st->bundle, what))
		return 1;
	st->annotations = json_get(root, "annotations");
	if (st->annotations && st->annotations->type != JSON_OBJECT)
		return fail(what, "the state's \"annotations\" is %s, not an object",
			    json_type_name(st->annotations->type));
	return 0;
}

/* 1: @pid's namespace of @type differs from this process's; 0: same; -errno. */
static int ns_differs(pid_t pid, unsigned int type)
{
	char path[64];
	struct stat a, b;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", nsctl_type_proc_file(type));
	if (stat(path, &a))
		return errno == ENOENT ? 0 : -errno;	/* the kernel lacks the type */
	snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, nsctl_type_proc_file(type));
	if (stat(path, &b))
		return -errno;
	return a.st_dev != b.st_dev || a.st_ino != b.st_ino;
}

static int pid_types(pid_t pid, uint64_t *types, const char *what)
{
	char path[32];
	unsigned int i;
	int r;

	snprintf(path, sizeof(path), "/proc/%d", pid);
	if (access(path, F_OK))
		return fail(what, "process %d does not exist", pid);
	*types = 0;
	for (i = 0; i < NSCTL_NS_COUNT; i++) {
		r = ns_differs(pid, i);
		if (r < 0)
			return fail(what, "cannot read the %s namespace of process %d: %s",
				    nsctl_type_name(i), pid, strerror(-r));
		if (r)
			*types |= NSCTL_NS_BIT(i);
	}
	if (!*types)
		return fail(what, "process %d is in every namespace this hook is in: "
			    "nothing to register", pid);
	return 0;
}

/* The cgroup v2 path of @pid (the "0::" line), as /proc/PID/cgroup has it. */
static int pid_cgroup(pid_t pid, char *out, size_t len, const char *what)
{
	char path[32], line[4200];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	f = fopen(path, "re");
	if (!f)
		return fail(what, "cannot read %s: %s", path, strerror(errno));
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::/", 4))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(out, len, "%s", line + 3);
		found = true;
	}
	fclose(f);
	if (!found)
		return fail(what, "process %d is in no cgroup v2 (no \"0::\" line in %s)",
			    pid, path);
	return 0;
}

/* "KEY=VALUE" for create_option(); the string stays until exit. */
static int add_label(struct create_opts *o, const char *key, const char *val,
		     const char *what)
{
	size_t n = strlen(key) + strlen(val) + 2;
	char *kv = malloc(n);
	int err;

	if (!kv)
		return fail(what, "out of memory");
	snprintf(kv, n, "%s=%s", key, val);
	err = create_option(o, "label", kv, what);
	if (err == -ENOENT)
		return fail(what, "this nsctl has no container labels");
	return err ? 1 : 0;
}

static int annotation_labels(const struct oci_req *req, const struct oci_state *st,
			     struct create_opts *o, const char *what)
{
	const struct json *v;
	const char *s;
	unsigned int i;

	for (i = 0; i < req->nannot; i++) {
		v = json_get(st->annotations, req->annot[i].key);
		if (!v)
			continue;
		s = json_cstr(v);
		if (!s)
			return fail(what, "annotation \"%s\" is %s, not a string without NUL",
				    req->annot[i].key, json_type_name(v->type));
		if (!label_value_ok(s))
			return fail(what, "annotation \"%s\" cannot be a label value (longer "
				    "than %d bytes or control characters)", req->annot[i].key,
				    OCI_LABEL_VALUE_MAX);
		if (add_label(o, req->annot[i].label, s, what))
			return 1;
	}
	return 0;
}

static int read_generation(const char *name, uint64_t *gen)
{
	char buf[32];
	int n = nsctl_read_file(name, "generation", buf, sizeof(buf));

	if (n < 0)
		return n;
	*gen = strtoull(buf, NULL, 10);
	return 0;
}

/* 1: the labels say this hook made @name for @bundle; 0: not; -errno. */
static int made_here(const char *name, const char *bundle)
{
	static char labels[8192];
	char want[sizeof(OCI_BUNDLE) + OCI_LABEL_VALUE_MAX + 2];
	bool by = false, same = false;
	char *line, *save = NULL;
	int n;

	n = nsctl_read_file(name, "labels", labels, sizeof(labels));
	if (n < 0)
		return n;
	snprintf(want, sizeof(want), OCI_BUNDLE "=%s", bundle);
	for (line = strtok_r(labels, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		by |= !strcmp(line, OCI_MADE_BY "=" OCI_MADE_BY_VALUE);
		same |= !strcmp(line, want);
	}
	return by && same;
}

/* Drop every namespace of @name at generation @gen: its processes are then not inside. */
static int detach_all(const char *name, uint64_t gen, uint64_t *newgen)
{
	int fds[NSCTL_NS_COUNT], dirfd, err;
	unsigned int i;

	for (i = 0; i < NSCTL_NS_COUNT; i++)
		fds[i] = -1;
	dirfd = nsctl_open(name);
	if (dirfd < 0)
		return dirfd;
	err = nsctl_set_ns(dirfd, 0, fds, 0, NSCTL_NS_ALL, &gen, newgen);
	close(dirfd);
	return err;
}

/*
 * One try at deleting @name, seen at generation @gen: 0 deleted or gone,
 * -ESTALE changed meanwhile, else -errno.  Processes still inside (the
 * runtime's, after a failed registration; or others sharing the
 * namespaces) keep the container: its namespaces are detached first.
 */
static int remove_at(struct nsctl_genl *g, const char *name, uint64_t gen)
{
	struct nsctl_ct_ref ref = { .name = name };
	int err;

	err = nsctl_genl_del_container(g, &ref, &gen);
	if (err == -EBUSY) {
		err = detach_all(name, gen, &gen);
		if (!err)
			err = nsctl_genl_del_container(g, &ref, &gen);
	}
	return err == -ENOENT ? 0 : err;
}

/*
 * Delete @name; with @bundle, only if this hook made it for that bundle
 * (another is left alone, said so, and that is no failure).  A container
 * already gone is success.  0 or 1 (reported).
 */
static int oci_remove(const char *name, const char *bundle, const char *what)
{
	struct nsctl_genl *g;
	uint64_t gen, again;
	int err, tries;

	if (nsctl_connect(what, &g))
		return 1;
	for (tries = 0; tries < 10; tries++) {
		err = read_generation(name, &gen);
		if (err)
			break;
		if (bundle) {
			err = made_here(name, bundle);
			if (err <= 0) {
				if (!err)
					fprintf(stderr, "%s: %s: not made by this hook for bundle %s: "
						"left alone\n", prog, what, bundle);
				break;
			}
			/* Unchanged since the labels were read. */
			err = read_generation(name, &again);
			if (err)
				break;
			if (again != gen)
				continue;
		}
		err = remove_at(g, name, gen);
		if (err != -ESTALE)
			break;
	}
	nsctl_genl_close(g);
	if (err == -ENOENT || !err)
		return 0;
	if (err == -ESTALE)
		return fail(what, "the container kept changing: not deleted");
	return fail(what, "cannot delete the container: %s", ct_why(err));
}

static int oci_register(const struct oci_req *req, const struct oci_state *st,
			const char *what)
{
	char types[128], pid[16], cg[4200], bundle[OCI_LABEL_VALUE_MAX + 1];
	struct set_req r = { 0 };
	struct create_opts o;
	uint64_t mask = 0;

	if (pid_types(st->pid, &mask, what) || pid_cgroup(st->pid, cg, sizeof(cg), what))
		return 1;
	nsctl_format_types(mask, types, sizeof(types));
	snprintf(pid, sizeof(pid), "%lld", st->pid);
	bundle_value(st->bundle, bundle, sizeof(bundle));
	create_opts_init(&o);
	o.name = st->id;
	if (create_option(&o, "ns", types, what) || create_option(&o, "from-pid", pid, what) ||
	    create_option(&o, "cgroup", cg, what) ||
	    add_label(&o, OCI_MADE_BY, OCI_MADE_BY_VALUE, what) ||
	    add_label(&o, OCI_BUNDLE, bundle, what) || annotation_labels(req, st, &o, what))
		return 1;
	if (create_run(&o, what))
		return 1;
	/* Nothing half-registered: set up, or removed again. */
	if (set_option(&r, "on_empty", "delete", what) || set_apply(st->id, &r, what)) {
		if (oci_remove(st->id, NULL, what))
			return fail(what, "created but not set up, and not removed either");
		return fail(what, "created but not set up (on_empty=delete): removed again");
	}
	return 0;
}

static int oci_options(int argc, char **argv, struct oci_req *req)
{
	static const struct option longopts[] = {
		{ "annotation", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct oci_annot *a;
	char *eq;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "a:h", longopts, NULL)) != -1) {
		if (opt != 'a') {
			fputs(oci_usage, stderr);
			return 1;
		}
		if (req->nannot == OCI_MAX_ANNOTATIONS)
			return fail("oci-hook", "more than %d --annotation options",
				    OCI_MAX_ANNOTATIONS);
		a = &req->annot[req->nannot++];
		a->key = optarg;
		eq = strchr(optarg, '=');
		a->label = eq ? eq + 1 : optarg;
		if (eq)
			*eq = '\0';
		if (!*a->key)
			return fail("oci-hook", "--annotation: empty annotation key");
		if (!label_key_ok(a->label) || !strcmp(a->label, OCI_MADE_BY) ||
		    !strcmp(a->label, OCI_BUNDLE))
			return fail("oci-hook", "--annotation: \"%s\" cannot be a label key (1 to 127 "
				    "of A-Z a-z 0-9 . _ / -, first a letter or digit; not "
				    OCI_MADE_BY " or " OCI_BUNDLE ")", a->label);
	}
	if (optind != argc) {
		fputs(oci_usage, stderr);
		return 1;
	}
	return 0;
}

static int oci_run(const struct oci_req *req, const struct json *root)
{
	struct oci_state st = { 0 };
	char what[NSCTL_NAME_MAX + 64], bundle[OCI_LABEL_VALUE_MAX + 1];
	bool reg;
	int err;

	if (root->type != JSON_OBJECT)
		return fail("oci-hook", "the state is %s, not an object",
			    json_type_name(root->type));
	if (state_string(root, "id", &st.id, "oci-hook"))
		return 1;
	if (strlen(st.id) > NSCTL_NAME_MAX)
		snprintf(what, sizeof(what), "oci-hook \"%.32s...\"", st.id);
	else
		snprintf(what, sizeof(what), "oci-hook \"%s\"", st.id);
	if (state_string(root, "status", &st.status, what))
		return 1;
	reg = !strcmp(st.status, "creating") || !strcmp(st.status, "created");
	if (!reg && strcmp(st.status, "stopped"))
		return fail(what, "unknown status \"%.64s\" (creating, created or stopped)",
			    st.status);
	if (state_parse(root, &st, reg, what))
		return 1;
	err = nsctl_name_check(st.id);
	if (err == -ENAMETOOLONG)
		return fail(what, "the id is %zu characters long, a container name at most %d",
			    strlen(st.id), NSCTL_NAME_MAX);
	if (err)
		return fail(what, "the id is not a valid container name (see \"Containers\" "
			    "in nsctl(8))");
	if (reg)
		return oci_register(req, &st, what);
	err = nsctl_ensure_mounted();
	if (err)
		return fail(what, "cannot mount %s: %s", NSCTL_MOUNT_POINT, strerror(-err));
	bundle_value(st.bundle, bundle, sizeof(bundle));
	return oci_remove(st.id, bundle, what);
}

int cmd_oci_hook(int argc, char **argv)
{
	struct oci_req req = { .nannot = 0 };
	char *text = NULL, err[256];
	struct json *root;
	size_t len = 0;
	int ret;

	if (want_help(argc, argv, oci_usage))
		return 0;
	if (oci_options(argc, argv, &req) || read_stdin(&text, &len, "oci-hook"))
		return 1;
	ret = json_parse(text, len, &root, err, sizeof(err));
	free(text);
	if (ret)
		return fail("oci-hook", "the state on standard input is not JSON: %s", err);
	ret = oci_run(&req, root);
	json_free(root);
	return ret;
}
