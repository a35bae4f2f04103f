/*
 * Mount rules, from apparmor.mounts and bpf.mounts:
 *	mount fstype=T options=(a, b) SOURCE -> MOUNTPOINT,
 *	mount options=(remount, ro) -> MOUNTPOINT,
 *	umount MOUNTPOINT,
 *	pivot_root oldroot=OLD NEW,
 * The mount data (fs options such as size=1m) is not matched: a rule
 * takes any.  AppArmor forbids a source or fstype with a remount or a
 * propagation change and an fstype with a bind or move; the parts the
 * kernel does not match are left out, not the rule.
 */
#include <stdlib.h>
#include <string.h>

#include "aastr.h"
#include "profile.h"
#include "util.h"

struct mnt {
	struct rules	*r;
	struct jw	 line, name;
	int		 from_bpf;
	struct rules	 dropped;	/* option names AppArmor lacks */
};

/* The mount options apparmor_parser 3.0 knows (apparmor.d(5)). */
static const char *const known[] = {
	"ro", "rw", "suid", "nosuid", "dev", "nodev", "exec", "noexec",
	"sync", "async", "remount", "mand", "nomand", "dirsync", "atime",
	"noatime", "diratime", "nodiratime", "bind", "move", "rbind",
	"verbose", "silent", "loud", "acl", "noacl", "make-unbindable",
	"make-runbindable", "make-private", "make-rprivate", "make-slave",
	"make-rslave", "make-shared", "make-rshared", "relatime",
	"norelatime", "iversion", "noiversion", "strictatime",
	"nostrictatime", "user", "nouser", NULL
};

/* The number of options written: none would allow any. */
static int
put_options(struct mnt *c, const struct sset *flags)
{
	size_t i;
	int n = 0;

	for (i = 0; i < flags->n; i++) {
		if (!str_in(known, flags->s[i])) {
			jw_puts(&c->name, flags->s[i]);
			rules_add(&c->dropped, &c->name);
			continue;
		}
		jw_puts(&c->line, n++ == 0 ? " options=(" : ", ");
		jw_puts(&c->line, flags->s[i]);
	}
	if (n > 0)
		jw_puts(&c->line, ")");
	return n;
}

static int
mount_rule(struct mnt *c, const char *path, const char *type,
    const char *source, const struct sset *flags)
{
	int remount = sset_has(flags, "remount"), moving = sset_has(flags,
	    "bind") || sset_has(flags, "rbind") || sset_has(flags, "move");
	int propagation = 0;
	size_t i;

	for (i = 0; i < flags->n; i++)
		propagation |= strncmp(flags->s[i], "make-", 5) == 0;
	jw_puts(&c->line, "mount");
	if (type != NULL && !remount && !propagation && !moving) {
		jw_puts(&c->line, " fstype=");
		aa_literal(&c->line, type);
	}
	if (put_options(c, flags) == 0) {
		c->line.len = 0;	/* it would allow every option */
		return 0;
	}
	if (source != NULL && !remount && !propagation) {
		jw_puts(&c->line, " ");
		put_path(&c->line, source, c->from_bpf && moving &&
		    source[0] == '/');
	}
	jw_puts(&c->line, " -> ");
	put_path(&c->line, path, c->from_bpf);
	return 1;
}

static void
entry_rule(const struct ent *e, void *arg)
{
	struct mnt *c = arg;
	const char *path = ent_str(e, "path"), *type = ent_str(e, "type");
	const char *source = ent_str(e, "source");
	const struct sset *flags = ent_set(e, "flags");

	/* AppArmor matches absolute paths only: "." is not one */
	if (path == NULL || path[0] != '/')
		return;
	if (sset_has(flags, "umount")) {
		jw_puts(&c->line, "umount ");
		put_path(&c->line, path, c->from_bpf);
	} else if (sset_has(flags, "pivot_root")) {
		jw_puts(&c->line, "pivot_root ");
		if (source != NULL && source[0] == '/') {
			jw_puts(&c->line, "oldroot=");
			put_path(&c->line, source, c->from_bpf);
			jw_puts(&c->line, " ");
		}
		put_path(&c->line, path, c->from_bpf);
	} else if (!mount_rule(c, path, type, source, flags))
		return;
	rules_add(c->r, &c->line);
}

void
mount_rules(struct model *m, struct rules *r)
{
	struct mnt c = { r, { 0 }, { 0 }, 0,
	    { NULL, 0, 0 } };
	size_t i;

	ent_each(m, S_MOUNTS, entry_rule, &c);
	c.from_bpf = 1;
	ent_each(m, S_BPF_MOUNTS, entry_rule, &c);
	for (i = 0; i < c.dropped.n; i++) {
		jw_puts(&c.line, "# no AppArmor name for mount option ");
		jw_puts(&c.line, c.dropped.v[i]);
		jw_puts(&c.line, ": left out");
		rules_add(r, &c.line);
	}
	rules_free(&c.dropped);
	free(c.line.buf);
	free(c.name.buf);
}
