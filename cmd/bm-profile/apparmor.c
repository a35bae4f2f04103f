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
	const char	*arg;		/* a rule's word, peer class or exec mode */
};

static void
exec_rule(const struct ent *e, void *arg)
{
	struct ctx *c = arg;
	const char *path = ent_str(e, NULL);

	aa_literal(&c->line, path);
	jw_puts(&c->line, " mr");
	jw_puts(&c->line, c->arg);
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
		jw_puts(&c->line, c->arg);
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
    const char *arg, const char *heading)
{
	struct ctx c = { { NULL, 0, 0 }, { NULL, 0, 0, 0 }, arg };

	ent_each(m, sec, fn, &c);
	rules_put(w, &c.r, heading);
	free(c.line.buf);
}

/* The container-friendly defaults vArmor and docker-default give. */
static void
defaults(struct jw *w, struct model *m, const char *name)
{
	struct ctx c = { { NULL, 0, 0 }, { NULL, 0, 0, 0 }, "ptrace" };

	jw_puts(&c.line, "ptrace (trace, read, tracedby, readby) peer=");
	jw_puts(&c.line, name);
	rules_add(&c.r, &c.line);
	ent_each(m, S_PTRACES, peer_rule, &c);
	rules_put(w, &c.r, "PTRACE");
	c.arg = "signal";
	jw_puts(&c.line, "signal receive peer=unconfined");
	rules_add(&c.r, &c.line);
	jw_puts(&c.line, "signal (receive, send) peer=");
	jw_puts(&c.line, name);
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
		section(w, m, S_USERNS, word_rule, "userns ", "USERNS");
		section(w, m, S_IO_URING, io_uring_rule, NULL, "IO_URING");
		section(w, m, S_MQUEUES, mqueue_rule, NULL, "MQUEUE");
		return;
	}
	for (i = 0; i < sizeof(need4) / sizeof(need4[0]); i++)
		if (has_entries(m, need4[i])) {
			jw_puts(w, "\n  # The model has ");
			jw_puts(w, sections[need4[i]].name);
			jw_puts(w, " entries: their rules need --abi 4.0.\n");
		}
}

void
apparmor_profile(struct jw *w, struct model *m, const char *name,
    const struct opts *o)
{
	struct ctx c = { { NULL, 0, 0 }, { NULL, 0, 0, 0 }, NULL };
	struct rules unix_ = { NULL, 0, 0 }, dbus = { NULL, 0, 0 };

	jw_puts(w, "## Written by bm-profile " BM_VERSION
	    " from a behaviour model.\n\nabi <abi/");
	jw_puts(w, o->abi4 ? "4.0" : "3.0");
	jw_puts(w, ">,\n#include <tunables/global>\n\nprofile ");
	jw_puts(w, name);
	jw_puts(w, " flags=(attach_disconnected,mediate_deleted) {\n"
	    "  #include <abstractions/base>\n");
	section(w, m, S_EXECUTIONS, exec_rule, o->exec_mode, "EXEC");
	section(w, m, S_FILES, file_rule, o->exec_mode, "FILE");
	section(w, m, S_CAPABILITIES, word_rule, "capability ", "CAPABILITY");
	net_rules(m, &c.r, o);
	rules_put(w, &c.r, "NETWORK");
	defaults(w, m, name);
	mount_rules(m, &c.r);
	rules_put(w, &c.r, "MOUNT");
	ipc_rules(m, &unix_, &dbus);
	rules_put(w, &unix_, "UNIX");
	rules_put(w, &dbus, "DBUS");
	section(w, m, S_CHANGE_PROFILES, change_profile_rule, NULL,
	    "CHANGE_PROFILE");
	abi4_sections(w, m, o->abi4);
	jw_puts(w, "}\n");
}
