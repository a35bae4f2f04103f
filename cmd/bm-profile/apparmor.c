/*
 * The AppArmor profile vArmor makes from a behaviour model (its
 * DefenseInDepth allowlist), and what vArmor never writes: mount,
 * umount and pivot_root rules, unix, dbus, change_profile, and with
 * --abi 4.0 userns, io_uring, mqueue and network addresses.
 */
#include <stdlib.h>
#include <string.h>

#include "aastr.h"
#include "profile.h"
#include "util.h"

struct ctx {
	struct rules	 r;
	struct jw	 line;
	const char	*arg;		/* a rule's word or peer class */
	const struct opts *o;
};

/*
 * The program's mode; after cx, the child profile's name when path
 * names one program, for which children.c made a profile: always an
 * execution, a file path (a pattern) only with no glob.  A glob's cx
 * goes to the child profile its program's path attaches to.
 */
static void
put_transition(struct jw *w, const struct opts *o, const char *path,
    int pattern)
{
	const char *mode = exec_mode_of(o, path);

	jw_puts(w, mode);
	if (exec_kind(mode) == 'c' && (!pattern || is_literal(path))) {
		jw_puts(w, " -> ");
		aa_literal(w, path);
	}
}

static void
exec_rule(const struct ent *e, void *arg)
{
	struct ctx *c = arg;
	const char *path = ent_str(e, NULL);

	aa_literal(&c->line, path);
	jw_puts(&c->line, " mr");
	put_transition(&c->line, c->o, path, 0);
	rules_add(&c->r, &c->line);
}

/* AppArmor's order; a with w is w (they may not be given together). */
static void
file_rule(const struct ent *e, void *arg)
{
	static const char order[] = "rwalkm";
	struct ctx *c = arg;
	const char *path = ent_str(e, "path"), *o;
	const struct sset *perms = ent_set(e, "permissions");
	int exec = sset_has(perms, "x");
	char letters[8] = "", *l = letters, one[2] = "";

	if (path == NULL)
		return;
	for (o = order; *o != '\0'; o++) {
		one[0] = *o;
		if (sset_has(perms, one) &&
		    (*o != 'a' || strchr(letters, 'w') == NULL)) {
			*l++ = *o;
			*l = '\0';
		}
	}
	if (l == letters && !exec)
		return;
	if (e->e->owner)
		jw_puts(&c->line, "owner ");
	aa_pattern(&c->line, path);
	jw_puts(&c->line, " ");
	jw_puts(&c->line, letters);
	if (exec)
		put_transition(&c->line, c->o, path, 1);
	rules_add(&c->r, &c->line);
}

static void
word_rule(const struct ent *e, void *arg)
{
	struct ctx *c = arg;
	const char *v = ent_str(e, NULL);

	jw_puts(&c->line, c->arg);		/* the rule's keyword, here */
	jw_puts(&c->line, v);
	rules_add(&c->r, &c->line);
}

static void
peer_rule(const struct ent *e, void *arg)
{
	struct ctx *c = arg;
	const char *peer = ent_str(e, "peer");
	const struct sset *perms = ent_set(e, "permissions");
	const struct sset *sigs = ent_set(e, "signals");

	if (perms->n == 0)
		return;
	jw_puts(&c->line, c->arg);
	jw_puts(&c->line, " ");
	put_perms(&c->line, perms, 0);
	if (sigs->n > 0) {
		jw_puts(&c->line, " set=");
		put_perms(&c->line, sigs, 0);
	}
	if (peer != NULL) {
		jw_puts(&c->line, " peer=");
		aa_literal(&c->line, peer);
	}
	rules_add(&c->r, &c->line);
}

static void
change_profile_rule(const struct ent *e, void *arg)
{
	struct ctx *c = arg;
	const char *target = ent_str(e, NULL);

	jw_puts(&c->line, "change_profile -> ");
	aa_literal(&c->line, target);
	rules_add(&c->r, &c->line);
}

static void
io_uring_rule(const struct ent *e, void *arg)
{
	struct ctx *c = arg;
	const char *label = ent_str(e, "label");
	const struct sset *perms = ent_set(e, "permissions");

	if (perms->n == 0)
		return;
	jw_puts(&c->line, "io_uring ");
	put_perms(&c->line, perms, 0);
	if (label != NULL) {
		jw_puts(&c->line, " label=");
		aa_literal(&c->line, label);
	}
	rules_add(&c->r, &c->line);
}

static void
mqueue_rule(const struct ent *e, void *arg)
{
	struct ctx *c = arg;
	const char *type = ent_str(e, "type"), *name = ent_str(e, "name");
	const struct sset *perms = ent_set(e, "permissions");

	if (perms->n == 0)
		return;
	jw_puts(&c->line, "mqueue ");
	put_perms(&c->line, perms, 0);
	if (type != NULL) {
		jw_puts(&c->line, " type=");
		jw_puts(&c->line, type);
	}
	if (name != NULL) {
		jw_puts(&c->line, " ");
		aa_literal(&c->line, name);
	}
	rules_add(&c->r, &c->line);
}

static void
section(struct jw *w, struct model *m, enum section sec, ent_fn fn,
    const char *arg, const char *heading, const struct opts *o)
{
	struct ctx c = { { NULL, 0, 0 }, { 0 }, arg, o };

	ent_each(m, sec, fn, &c);
	rules_put(w, &c.r, heading);
	free(c.line.buf);
}

/* The container-friendly defaults vArmor and docker-default give. */
static void
defaults(struct jw *w, struct model *m, const char *name)
{
	struct ctx c = { { NULL, 0, 0 }, { 0 }, "ptrace", NULL };

	jw_puts(&c.line, "ptrace (trace, read, tracedby, readby) peer=");
	aa_literal(&c.line, name);
	rules_add(&c.r, &c.line);
	ent_each(m, S_PTRACES, peer_rule, &c);
	rules_put(w, &c.r, "PTRACE");
	c.arg = "signal";
	jw_puts(&c.line, "signal receive peer=unconfined");
	rules_add(&c.r, &c.line);
	jw_puts(&c.line, "signal (receive, send) peer=");
	aa_literal(&c.line, name);
	rules_add(&c.r, &c.line);
	ent_each(m, S_SIGNALS, peer_rule, &c);
	rules_put(w, &c.r, "SIGNAL");
	free(c.line.buf);
}

/* What --abi 3.0 cannot say is left out, and said so. */
static void
abi4_sections(struct jw *w, struct model *m, int abi4)
{
	static const enum section need4[] = { S_USERNS, S_IO_URING,
	    S_MQUEUES };
	size_t i;

	if (abi4) {
		section(w, m, S_USERNS, word_rule, "userns ", "USERNS", NULL);
		section(w, m, S_IO_URING, io_uring_rule, NULL, "IO_URING",
		    NULL);
		section(w, m, S_MQUEUES, mqueue_rule, NULL, "MQUEUE", NULL);
		return;
	}
	for (i = 0; i < sizeof(need4) / sizeof(need4[0]); i++)
		if (has_entries(m, need4[i])) {
			jw_puts(w, "\n  # The model has ");
			jw_puts(w, sections[need4[i]].name);
			jw_puts(w, " entries: their rules need --abi 4.0.\n");
		}
}

/* A profile's rules; label is its own, as the kernel names it. */
static void
body(struct jw *w, struct model *m, const char *label, const struct opts *o)
{
	struct ctx c = { { NULL, 0, 0 }, { 0 }, NULL, o };
	struct rules unix_ = { NULL, 0, 0 }, dbus = { NULL, 0, 0 };

	jw_puts(w, "  #include <abstractions/base>\n");
	section(w, m, S_EXECUTIONS, exec_rule, NULL, "EXEC", o);
	section(w, m, S_FILES, file_rule, NULL, "FILE", o);
	section(w, m, S_CAPABILITIES, word_rule, "capability ", "CAPABILITY",
	    o);
	net_rules(m, &c.r, o);
	rules_put(w, &c.r, "NETWORK");
	defaults(w, m, label);
	mount_rules(m, &c.r);
	rules_put(w, &c.r, "MOUNT");
	ipc_rules(m, &unix_, &dbus);
	rules_put(w, &unix_, "UNIX");
	rules_put(w, &dbus, "DBUS");
	section(w, m, S_CHANGE_PROFILES, change_profile_rule, NULL,
	    "CHANGE_PROFILE", o);
	abi4_sections(w, m, o->abi4);
}

struct tree {
	struct kid *const *kids;
	size_t		 n, i;		/* the next to write */
};

/* Whether the next kid is a child of the profile of key. */
static int
next_under(const struct tree *t, const char *key, size_t len)
{
	return t->i < t->n && t->kids[t->i]->len > len &&
	    memcmp(t->kids[t->i]->key, key, len) == 0;
}

static void	profile(struct jw *, struct model *, struct tree *,
		    const char *name, const char *label, const char *key,
		    size_t keylen, const struct opts *);

/* A child profile, one level in, and the children under it. */
static void
nested(struct jw *w, struct tree *t, const char *label, const struct opts *o)
{
	struct kid *k = t->kids[t->i++];
	struct jw in = { 0 }, sub = { 0 };
	const char *name = k->key + k->len - 1, *p;

	while (name > k->key && name[-1] != '\0')
		name--;
	jw_printf(&sub, "%s//%s", label, name);
	jw_raw(&sub, "", 1);
	profile(&in, k->m, t, name, sub.buf, k->key, k->len, o);
	jw_puts(w, "\n");
	for (p = in.buf; p < in.buf + in.len; ) {
		const char *nl = memchr(p, '\n', (size_t)(in.buf + in.len - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(in.buf + in.len - p);

		if (n > 1)
			jw_puts(w, "  ");
		jw_raw(w, p, n);
		p += n;
	}
	free(in.buf);
	free(sub.buf);
}

static void
profile(struct jw *w, struct model *m, struct tree *t, const char *name,
    const char *label, const char *key, size_t keylen, const struct opts *o)
{
	jw_puts(w, "profile ");
	aa_literal(w, name);
	jw_puts(w, o->complain ? " flags=(attach_disconnected,mediate_deleted,"
	    "complain) {\n" : " flags=(attach_disconnected,mediate_deleted) {\n");
	body(w, m, label, o);
	while (next_under(t, key, keylen))
		nested(w, t, label, o);
	jw_puts(w, "}\n");
}

/*
 * The workload's profile, its child profiles nested, then the profiles
 * of their own that px asks for, in one policy file.
 */
void
apparmor_profile(struct jw *w, struct model *m, const char *name,
    const struct opts *o)
{
	struct model *kids = child_profiles(m, o);
	struct tree t = { NULL, 0, 0 };

	t.n = model_children(kids, &t.kids);
	jw_puts(w, "## Written by bm-profile " BM_VERSION
	    " from a behaviour model.\n\nabi <abi/");
	jw_puts(w, o->abi4 ? "4.0" : "3.0");
	jw_puts(w, ">,\n#include <tunables/global>\n\n");
	profile(w, m, &t, name, name, "", 1, o);
	while (t.i < t.n) {
		struct kid *k = t.kids[t.i++];

		jw_puts(w, "\n");
		profile(w, k->m, &t, k->key, k->key, k->key, k->len, o);
	}
	model_free(kids);
}

/*
 * The profile to learn under (bm-profile(1), The learning profile).
 * Complain mode logs what the profile does not grant; the one rule keeps
 * every program run in this profile, so the kernel logs all of it (a
 * null- profile's mounts and sockets go unlogged), and makes each exec a
 * record (AUDIT), by which bm-merge tells the programs apart.
 */
void
apparmor_learning(struct jw *w, const char *name)
{
	jw_puts(w, "## Written by bm-profile " BM_VERSION
	    ": learn under it, then feed the kernel's log to\n"
	    "## aa-evtparse | bm-merge | bm-profile.\n\n"
	    "abi <abi/3.0>,\n#include <tunables/global>\n\nprofile ");
	aa_literal(w, name);
	jw_puts(w, " flags=(complain) {\n  audit /** ix,\n}\n");
}
