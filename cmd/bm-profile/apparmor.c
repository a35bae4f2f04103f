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
	const char	*name;		/* the profile's */
};

/* Permission, signal, capability and family names: nothing else. */
int
is_word(const char *s)
{
	return s != NULL && *s != '\0' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_+-") == strlen(s);
}

static void
put(struct jw *w, const char *s)
{
	jw_raw(w, s, strlen(s));
}

/*
 * "send" or "(receive, send)", from a sorted list of words; network
 * rules take the parentheses even for one.
 */
void
put_perms(struct jw *w, cJSON *perms, int parens)
{
	cJSON *p;
	int n = 0, i = 0;

	cJSON_ArrayForEach(p, perms)
		n += is_word(p->valuestring);
	if (n > 1 || (n == 1 && parens))
		put(w, "(");
	cJSON_ArrayForEach(p, perms) {
		if (!is_word(p->valuestring))
			continue;
		if (i++ > 0)
			put(w, ", ");
		put(w, p->valuestring);
	}
	if (n > 1 || (n == 1 && parens))
		put(w, ")");
}

/*
 * A path bpf-mountwatch saw is as the caller wrote it; AppArmor sees a
 * directory with a trailing slash.  {,/} takes both, and nothing more.
 */
void
put_path(struct jw *w, const char *path, int from_bpf)
{
	size_t n = strlen(path);
	struct jw t = { NULL, 0, 0, 0 };

	if (!from_bpf || (n > 0 && path[n - 1] == '/')) {
		aa_literal(w, path);
		return;
	}
	aa_literal(&t, path);
	if (t.buf[t.len - 1] == '"') {	/* quoted: the alternation inside */
		jw_raw(w, t.buf, t.len - 1);
		put(w, "{,/}\"");
	} else {
		jw_raw(w, t.buf, t.len);
		put(w, "{,/}");
	}
	free(t.buf);
}

static void
exec_rule(struct ent *e, void *arg)
{
	struct ctx *c = arg;
	const char *path = ent_str(e, NULL);

	if (path == NULL || e->bad)
		return;
	aa_literal(&c->line, path);
	put(&c->line, " mr");
	put(&c->line, opts.exec_mode);
	rules_add(&c->r, &c->line);
}

/* AppArmor's order; a with w is w (they may not be given together). */
static void
file_rule(struct ent *e, void *arg)
{
	static const char order[] = "rwalkm";
	struct ctx *c = arg;
	const char *path = ent_str(e, "path"), *o;
	cJSON *perms = ent_strs(e, "permissions"), *p;
	int owner = ent_bool(e, "owner"), exec = 0;
	char letters[8] = "", *l = letters;

	if (path == NULL || e->bad)
		return;
	for (o = order; *o != '\0'; o++)
		cJSON_ArrayForEach(p, perms)
			if (p->valuestring[0] == *o && p->valuestring[1] == '\0' &&
			    (*o != 'a' || strchr(letters, 'w') == NULL)) {
				*l++ = *o;
				*l = '\0';
			}
	cJSON_ArrayForEach(p, perms)
		exec |= strcmp(p->valuestring, "x") == 0;
	*l = '\0';
	if (l == letters && !exec)
		return;
	if (owner)
		put(&c->line, "owner ");
	aa_pattern(&c->line, path);
	put(&c->line, " ");
	put(&c->line, letters);
	if (exec)
		put(&c->line, opts.exec_mode);
	rules_add(&c->r, &c->line);
}

static void
word_rule(struct ent *e, void *arg)
{
	struct ctx *c = arg;
	const char *v = ent_word(e, NULL);

	if (v == NULL || e->bad)
		return;
	put(&c->line, c->name);		/* the rule's keyword, here */
	put(&c->line, v);
	rules_add(&c->r, &c->line);
}

static void
peer_rule(struct ent *e, void *arg)
{
	struct ctx *c = arg;
	const char *peer = ent_str(e, "peer");
	cJSON *perms = ent_words(e, "permissions");
	cJSON *sigs = strcmp(c->name, "signal") == 0 ?
	    ent_words(e, "signals") : NULL;

	if (e->bad || cJSON_GetArraySize(perms) == 0)
		return;
	put(&c->line, c->name);
	put(&c->line, " ");
	put_perms(&c->line, perms, 0);
	if (cJSON_GetArraySize(sigs) > 0) {
		put(&c->line, " set=");
		put_perms(&c->line, sigs, 0);
	}
	if (peer != NULL) {
		put(&c->line, " peer=");
		aa_literal(&c->line, peer);
	}
	rules_add(&c->r, &c->line);
}

static void
change_profile_rule(struct ent *e, void *arg)
{
	struct ctx *c = arg;
	const char *target = ent_str(e, NULL);

	if (target == NULL || e->bad)
		return;
	put(&c->line, "change_profile -> ");
	aa_literal(&c->line, target);
	rules_add(&c->r, &c->line);
}

static void
io_uring_rule(struct ent *e, void *arg)
{
	struct ctx *c = arg;
	const char *label = ent_str(e, "label");
	cJSON *perms = ent_words(e, "permissions");

	if (e->bad || cJSON_GetArraySize(perms) == 0)
		return;
	put(&c->line, "io_uring ");
	put_perms(&c->line, perms, 0);
	if (label != NULL) {
		put(&c->line, " label=");
		aa_literal(&c->line, label);
	}
	rules_add(&c->r, &c->line);
}

static void
mqueue_rule(struct ent *e, void *arg)
{
	struct ctx *c = arg;
	const char *type = ent_word(e, "type"), *name = ent_str(e, "name");
	cJSON *perms = ent_words(e, "permissions");

	if (e->bad || cJSON_GetArraySize(perms) == 0)
		return;
	put(&c->line, "mqueue ");
	put_perms(&c->line, perms, 0);
	if (type != NULL) {
		put(&c->line, " type=");
		put(&c->line, type);
	}
	if (name != NULL) {
		put(&c->line, " ");
		aa_literal(&c->line, name);
	}
	rules_add(&c->r, &c->line);
}

static void
section(struct jw *w, const struct model *m, size_t n, const char *parent,
    const char *name, ent_fn fn, const char *arg, const char *heading)
{
	struct ctx c = { { NULL, 0, 0 }, { NULL, 0, 0, 0 }, arg };

	each(m, n, "apparmor", parent, name, fn, &c);
	rules_put(w, &c.r, heading);
	free(c.line.buf);
}

/* The container-friendly defaults vArmor and docker-default give. */
static void
defaults(struct jw *w, const struct model *m, size_t n, const char *name)
{
	struct ctx c = { { NULL, 0, 0 }, { NULL, 0, 0, 0 }, "ptrace" };

	put(&c.line, "ptrace (trace, read, tracedby, readby) peer=");
	put(&c.line, name);
	rules_add(&c.r, &c.line);
	each(m, n, "apparmor", NULL, "ptraces", peer_rule, &c);
	rules_put(w, &c.r, "PTRACE");
	c.name = "signal";
	put(&c.line, "signal receive peer=unconfined");
	rules_add(&c.r, &c.line);
	put(&c.line, "signal (receive, send) peer=");
	put(&c.line, name);
	rules_add(&c.r, &c.line);
	each(m, n, "apparmor", NULL, "signals", peer_rule, &c);
	rules_put(w, &c.r, "SIGNAL");
	free(c.line.buf);
}

/* What --abi 3.0 cannot say is left out, and said so. */
static void
abi4_sections(struct jw *w, const struct model *m, size_t n)
{
	static const char *const names[] = { "userns", "ioUring", "mqueues",
	    NULL };
	const char *const *s;

	if (opts.abi4) {
		section(w, m, n, NULL, "userns", word_rule, "userns ",
		    "USERNS");
		section(w, m, n, NULL, "ioUring", io_uring_rule, NULL,
		    "IO_URING");
		section(w, m, n, NULL, "mqueues", mqueue_rule, NULL, "MQUEUE");
		return;
	}
	for (s = names; *s != NULL; s++)
		if (has_entries(m, n, "apparmor", *s)) {
			put(w, "\n  # The model has ");
			put(w, *s);
			put(w, " entries: their rules need --abi 4.0.\n");
		}
}

void
apparmor_profile(struct jw *w, const struct model *m, size_t n,
    const char *name)
{
	struct ctx c = { { NULL, 0, 0 }, { NULL, 0, 0, 0 }, NULL };
	struct rules unix_ = { NULL, 0, 0 }, dbus = { NULL, 0, 0 };

	put(w, "## Written by bm-profile " BM_VERSION
	    " from a behaviour model.\n\nabi <abi/");
	put(w, opts.abi4 ? "4.0" : "3.0");
	put(w, ">,\n#include <tunables/global>\n\nprofile ");
	put(w, name);
	put(w, " flags=(attach_disconnected,mediate_deleted) {\n"
	    "  #include <abstractions/base>\n");
	section(w, m, n, NULL, "executions", exec_rule, NULL, "EXEC");
	section(w, m, n, NULL, "files", file_rule, NULL, "FILE");
	section(w, m, n, NULL, "capabilities", word_rule, "capability ",
	    "CAPABILITY");
	net_rules(m, n, &c.r, opts.abi4);
	rules_put(w, &c.r, "NETWORK");
	defaults(w, m, n, name);
	mount_rules(m, n, &c.r);
	rules_put(w, &c.r, "MOUNT");
	ipc_rules(m, n, &unix_, &dbus);
	rules_put(w, &unix_, "UNIX");
	rules_put(w, &dbus, "DBUS");
	section(w, m, n, NULL, "changeProfiles", change_profile_rule, NULL,
	    "CHANGE_PROFILE");
	abi4_sections(w, m, n);
	put(w, "}\n");
}
