/*
 * The programs a workload ran, confined as the policy author chose
 * (--exec): ix folds a child into the profile that ran it, cx makes it
 * a child profile there, px a profile of its own, attached to its path.
 *
 * The profiles besides the workload's are the children of a model of
 * their own, each keyed by its root and the child profiles down to it,
 * each NUL-ended: "\0/bin/sh\0" is the child profile /bin/sh of the
 * workload's profile, "/usr/bin/curl\0" the profile of its own for curl.
 */
#include <stdlib.h>
#include <string.h>

#include "aastr.h"
#include "profile.h"
#include "util.h"

/* The mode for a program: its own --exec PATH=MODE, else the default. */
const char *
exec_mode_of(const struct opts *o, const char *path)
{
	size_t i;

	for (i = 0; i < o->nexec_for; i++)
		if (strcmp(o->exec_for[i].path, path) == 0)
			return o->exec_for[i].mode;
	return o->exec_mode;
}

/* ix, pix and Pix start with what they fold to: i, p or c, lower case. */
int
exec_kind(const char *mode)
{
	return mode[0] == 'P' ? 'p' : mode[0] == 'C' ? 'c' : mode[0];
}

/* The profile a program's run goes to, from the one that ran it. */
static void
step(struct jw *key, const struct opts *o, const char *program)
{
	switch (exec_kind(exec_mode_of(o, program))) {
	case 'c':
		jw_raw(key, program, strlen(program) + 1);
		break;
	case 'p':
		key->len = 0;
		jw_raw(key, program, strlen(program) + 1);
		break;
	}
}

/* A program is run from the profile of key: a profile for it if needed. */
static void
ensure_target(struct model *to, const struct opts *o, const struct jw *key,
    const char *program)
{
	struct jw k = { 0 };

	if (exec_kind(exec_mode_of(o, program)) == 'i')
		return;
	jw_raw(&k, key->buf, key->len);
	step(&k, o, program);
	model_child(to, k.buf, k.len);
	free(k.buf);
}

int
is_literal(const char *path)
{
	return strpbrk(path, AA_GLOB_CHARS) == NULL;
}

/* The programs a profile runs: executions, and files it may execute. */
static void
ensure_targets(struct model *to, struct model *m, const struct opts *o,
    const struct jw *key)
{
	struct entry *const *all;
	size_t n, i;

	n = model_entries(m, S_EXECUTIONS, &all);
	for (i = 0; i < n; i++)
		ensure_target(to, o, key, all[i]->val[0]);
	n = model_entries(m, S_FILES, &all);
	for (i = 0; i < n; i++) {
		const char *path = entry_val(all[i], S_FILES, "path");

		if (path != NULL && is_literal(path) &&
		    sset_has(entry_set(all[i], S_FILES, "permissions"), "x"))
			ensure_target(to, o, key, path);
	}
}

/*
 * Each profile's parents too: a child may be known with no events.  The
 * list is copied, as model_child grows it.
 */
static void
ensure_parents(struct model *to)
{
	struct kid *const *kids;
	size_t n = model_children(to, &kids), i, len;
	struct kid **k;

	if (n == 0)
		return;
	k = xmemdup(kids, n * sizeof(*kids));
	for (i = 0; i < n; i++)
		for (len = k[i]->len - 1; len > 1; len--)
			if (k[i]->key[len - 1] == '\0')
				model_child(to, k[i]->key, len);
	free(k);
}

/*
 * A profile a program enters on exec maps its program (the kernel's own
 * mmap of it is checked against the profile it enters), as aa-genprof
 * writes: PROGRAM mr, for each child and profile of its own.
 */
static void
own_programs(struct model *to)
{
	struct kid *const *kids;
	struct jw path = { 0 };
	size_t n = model_children(to, &kids), i;
	int fpath = field_index(S_FILES, "path");
	int fperms = field_index(S_FILES, "permissions");
	struct obs o;

	for (i = 0; i < n; i++) {
		const char *p = kids[i]->key + kids[i]->len - 1;

		while (p > kids[i]->key && p[-1] != '\0')
			p--;
		path.len = 0;
		aa_escape_glob(&path, p, strlen(p));
		jw_raw(&path, "", 1);
		obs_clear(&o, S_FILES);
		o.child = kids[i]->key;
		o.childlen = kids[i]->len;
		o.val[fpath] = path.buf;
		obs_set_add(&o, fperms, "m", 1);
		obs_set_add(&o, fperms, "r", 1);
		o.count = 0;		/* no event: no count comment */
		model_add(to, &o);
	}
	free(path.buf);
}

/*
 * The profiles to write for m's children, by the mode of each program on
 * the way down to them: a child profile, or a profile of its own, is a
 * child of the model returned; a child folded all the way up goes into
 * m itself, the workload's profile.
 */
struct model *
child_profiles(struct model *m, const struct opts *o)
{
	struct model *to = model_new();
	struct kid *const *kids;
	struct jw key = { 0 };
	size_t n = model_children(m, &kids), i;
	const char *p;

	model_keep_children(to);
	for (i = 0; i < n; i++) {
		key.len = 0;
		jw_raw(&key, "", 1);
		for (p = kids[i]->key; p < kids[i]->key + kids[i]->len;
		    p += strlen(p) + 1)
			step(&key, o, p);
		if (key.len == 1)	/* folded into the workload's */
			model_merge(m, kids[i]->m, NULL, 0);
		else
			model_merge(to, kids[i]->m, key.buf, key.len);
		ensure_targets(to, kids[i]->m, o, &key);
	}
	key.len = 0;
	jw_raw(&key, "", 1);
	ensure_targets(to, m, o, &key);
	ensure_parents(to);
	own_programs(to);
	free(key.buf);
	return to;
}
