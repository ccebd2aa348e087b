// SPDX-License-Identifier: GPL-2.0
/*
 * nsctl create NAME --from-pool POOL: one CLAIM request hands out the
 * pool's oldest ready member as the container NAME, with the template's
 * policies and labels and then the ones given.  The pool's template
 * decides what create's other options would (types, cgroup, limits); a
 * UUID, labels and a network namespace export may be given.
 *
 * With --fallback, an empty pool does not fail the create: the container
 * is made fresh, as 'nsctl create' makes one, from the pool's template
 * (read with GET_POOL), and its policies are set right after.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>

#include "nsctl.h"

/* The template's labels whose keys @o does not give, then @o's. */
static int merge_labels(const struct create_opts *o, char *tmpl, struct create_opts *f,
			const char *what)
{
	char *line, *save = NULL;
	size_t i, k;

	for (line = strtok_r(tmpl, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		k = strcspn(line, "=");
		for (i = 0; i < o->nlabels; i++)
			if (!strncmp(o->labels[i], line, k) && o->labels[i][k] == '=')
				break;
		if (i < o->nlabels)
			continue;
		if (f->nlabels == NSCTL_LABELS_MAX)
			return fail(what, "more than %d labels with the pool's", NSCTL_LABELS_MAX);
		f->labels[f->nlabels++] = line;
	}
	for (i = 0; i < o->nlabels; i++) {
		if (f->nlabels == NSCTL_LABELS_MAX)
			return fail(what, "more than %d labels with the pool's", NSCTL_LABELS_MAX);
		f->labels[f->nlabels++] = o->labels[i];
	}
	return 0;
}

/* A fresh container from the template of @p: 0, or 1 (reported). */
static int fallback(struct create_opts *o, struct nsctl_pool *p, const char *what)
{
	struct set_req r = { 0 };
	struct create_opts f;
	char cpu[sizeof(p->cpu_max)], *sp, none[1] = "";
	char *argv[] = { "delete", "--force", (char *)o->name, NULL };

	create_opts_init(&f);
	f.name = o->name;
	f.types = p->types;
	f.types_given = true;
	f.no_cgroup = p->flags & NSCTL_POOL_NO_CGROUP;
	f.have_uuid = o->have_uuid;
	memcpy(f.uuid, o->uuid, sizeof(f.uuid));
	f.netns_export = o->netns_export;
	/* The template's limits are the files' values; create takes options. */
	f.memory_max = p->memory_max[0] ? p->memory_max : NULL;
	f.pids_max = p->pids_max[0] ? p->pids_max : NULL;
	snprintf(cpu, sizeof(cpu), "%s", p->cpu_max);
	sp = strchr(cpu, ' ');
	if (sp)
		*sp = '/';
	f.cpu_max = cpu[0] ? cpu : NULL;
	if (merge_labels(o, p->labels ? p->labels : none, &f, what) || create_run(&f, what))
		return 1;
	if (p->on_empty > NSCTL_ON_EMPTY_IGNORE)
		r.on_empty = nsctl_on_empty_name(p->on_empty);
	if (p->enter_policy > NSCTL_ENTER_POLICY_ALLOW)
		r.enter = nsctl_enter_policy_name(p->enter_policy);
	if ((r.on_empty || r.enter) && set_apply(o->name, &r, what)) {
		/* Not left with the wrong policies. */
		if (cmd_delete(3, argv))
			return fail(what, "\"%s\" was created but its policies could not be set, "
				    "nor could it be deleted", o->name);
		return fail(what, "\"%s\" was created but its policies could not be set; "
			    "deleted again", o->name);
	}
	return 0;
}

/* A claim refused for its name or UUID: which (the kernel's words saved). */
static int claim_taken(struct nsctl_genl *g, const struct create_opts *o, const char *what)
{
	char why[512];
	struct nsctl_ct ct;
	int err;

	snprintf(why, sizeof(why), "%s", genl_why(g, -EEXIST));
	err = nsctl_genl_get_container(g, &(struct nsctl_ct_ref){ .name = o->name }, &ct);
	if (!err) {
		nsctl_ct_clear(&ct);
		return fail(what, "a container of that name exists");
	}
	if (err == -ENOENT && o->have_uuid)
		return fail(what, "cannot set the UUID: another container has it");
	/* A name the kernel keeps for a file of its own ("pools"...). */
	return fail(what, "cannot claim a member under this name: %s", why);
}

int create_from_pool(struct create_opts *o, const char *pool, bool fall_back,
		     const char *what)
{
	struct nsctl_genl_claim req = {
		.pool = pool,
		.name = o->name,
		.uuid = o->have_uuid ? o->uuid : NULL,
		.labels = o->labels,
		.nlabels = o->nlabels,
	};
	struct nsctl_pool p = { .on_empty = -1, .enter_policy = -1 };
	bool have_pool = false;
	struct nsctl_genl *g;
	int err, ret = 1;

	if (nsctl_name_check(o->name))
		return fail(what, "invalid name (allowed: 1 to %d characters, a letter or digit "
			    "first, then letters, digits and _ . - : @ +)", NSCTL_NAME_MAX);
	if (pool_name_check(pool, what))
		return 1;
	if (o->netns_export && !*o->netns_export)
		o->netns_export = o->name;
	if (!have_cap(CAP_SYS_ADMIN))
		return fail(what, "needs CAP_SYS_ADMIN in the initial user namespace");
	err = nsctl_ensure_mounted();
	if (err)
		return fail(what, "cannot mount %s: %s", NSCTL_MOUNT_POINT, strerror(-err));
	if (nsctl_connect(what, &g))
		return 1;
	if (o->netns_export) {
		/* Checked before a member is used up. */
		err = nsctl_genl_get_pool(g, pool, &p);
		if (err) {
			pool_failed(g, err, pool, "read the pool", what);
			goto out;
		}
		have_pool = true;
		if (!(p.types & NSCTL_NS_BIT(NSCTL_NS_NET))) {
			fail(what, "--netns-export needs a network namespace: pool \"%s\" has "
			     "none", pool);
			goto out;
		}
		if (p.enter_policy == NSCTL_ENTER_POLICY_DENY) {
			fail(what, "--netns-export: pool \"%s\" seals its containers (enter=deny)",
			     pool);
			goto out;
		}
		if (netns_export_free(o->netns_export, what))
			goto out;
	}

	err = nsctl_genl_claim(g, &req, NULL);
	if (!err) {
		ret = o->netns_export ? netns_export_created(g, o->name, o->netns_export, what) : 0;
	} else if (err == -EAGAIN && !fall_back) {
		fail(what, "pool %s has no ready member", pool);
	} else if (err == -EAGAIN) {
		err = have_pool ? 0 : nsctl_genl_get_pool(g, pool, &p);
		if (err)
			pool_failed(g, err, pool, "read the pool", what);
		else
			ret = fallback(o, &p, what);
	} else if (err == -EEXIST) {
		claim_taken(g, o, what);
	} else {
		pool_failed(g, err, pool, "claim a member of the pool", what);
	}
out:
	nsctl_pool_clear(&p);
	nsctl_genl_close(g);
	return ret;
}
