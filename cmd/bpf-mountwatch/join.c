/*
 * The new mount API spreads one mount over several syscalls on file
 * descriptors: fsopen, fsconfig..., fsmount, move_mount; or open_tree,
 * move_mount; or fspick, fsconfig reconfigure.  Their state is kept per
 * (process, descriptor), and the call that completes a sequence also
 * yields one record shaped like the mount(2) call that would do the
 * same, so that consumers need not care which API a program used.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "jsonw.h"
#include "util.h"
#include "watch.h"

#define AT_FDCWD_	(-100)
#define OPEN_TREE_CLONE_	0x1
#define AT_RECURSIVE_	0x8000
#define AT_EMPTY_PATH_	0x1000
#define MOVE_MOUNT_F_EMPTY_PATH_	0x4
#define MOVE_MOUNT_SET_GROUP_	0x100
#define MS_RDONLY_	0x1
#define MS_REMOUNT_	0x20
#define MS_BIND_	0x1000
#define MS_MOVE_	0x2000
#define MS_REC_		0x4000
#define MAX_SEQS	32
#define MAX_CONTEXTS	8192

enum kind {
	FS_CONTEXT,		/* fsopen: a filesystem being configured */
	FS_PICKED,		/* fspick: a mounted one being reconfigured */
	DETACHED,		/* fsmount or open_tree(OPEN_TREE_CLONE) */
	ATTACHED,		/* open_tree without clone: a mount in place */
};

struct fsctx {
	enum kind	 kind;
	const char	*via;
	char		*fstype, *source, *path, *data;
	uint64_t	 ms;
	uint64_t	 start_ns;
	uint64_t	 seqs[MAX_SEQS];
	size_t		 nseq;
};

unsigned long	joined;
static struct htab contexts;
static struct jw jw;

static uint64_t
ctx_key(uint32_t pid, int64_t fd)
{
	return (uint64_t)pid << 32 | (uint32_t)fd;
}

static char *
dup_str(const struct mw_event *e, const struct mw_strings *s, int i)
{
	char *p;

	if (e->absent & (1 << i) || e->faulted & (1 << i))
		return NULL;
	p = xmalloc(s->len[i] + 1);
	memcpy(p, s->p[i], s->len[i]);
	p[s->len[i]] = '\0';
	return p;
}

static void
ctx_free_fields(struct fsctx *c)
{
	free(c->fstype);
	free(c->source);
	free(c->path);
	free(c->data);
	c->fstype = c->source = c->path = c->data = NULL;
}

static void
ctx_free(struct fsctx *c)
{
	if (c == NULL)
		return;
	ctx_free_fields(c);
	free(c);
}

static void
add_seq(struct fsctx *c, uint64_t seq)
{
	if (c->nseq < MAX_SEQS)
		c->seqs[c->nseq++] = seq;
}

/* Processes that are gone leave their contexts behind: drop those. */
static void
sweep(void)
{
	size_t i = 0;
	uint64_t key;

	while (htab_next(&contexts, &i, &key) != NULL) {
		if (kill((pid_t)(key >> 32), 0) == 0 || errno != ESRCH)
			continue;
		ctx_free(htab_del(&contexts, key));
		i--;		/* the slot may hold a moved entry now */
	}
}

static struct fsctx *
ctx_new(const struct mw_event *e, int64_t fd, enum kind kind, const char *via)
{
	struct fsctx *c = xcalloc(1, sizeof(*c));

	if (contexts.count >= MAX_CONTEXTS)
		sweep();
	if (contexts.count >= MAX_CONTEXTS)
		return ctx_free(c), NULL;
	ctx_free(htab_del(&contexts, ctx_key(e->pid, fd)));
	c->kind = kind;
	c->via = via;
	c->start_ns = e->start_ns;
	add_seq(c, e->seq);
	htab_put(&contexts, ctx_key(e->pid, fd), c);
	return c;
}

static struct fsctx *
ctx_get(const struct mw_event *e, uint64_t fd)
{
	return htab_get(&contexts, ctx_key(e->pid, (int64_t)(int)fd));
}

static void
append_option(struct fsctx *c, const char *key, const char *value)
{
	size_t old = c->data ? strlen(c->data) : 0;
	size_t n = old + strlen(key) + (value ? strlen(value) + 1 : 0) + 2;

	if (n > MW_STR_MAX)
		return;
	c->data = xrealloc(c->data, n);
	c->data[old] = '\0';
	if (old > 0)
		strcat(c->data, ",");
	strcat(c->data, key);
	if (value != NULL) {
		strcat(c->data, "=");
		strcat(c->data, value);
	}
}

/* Superblock flags fsconfig takes by name, as mount(2) takes them. */
static uint64_t
sb_flag(const char *key)
{
	static const struct { const char *name; uint64_t ms; } flags[] = {
		{ "ro", 0x1 }, { "sync", 0x10 }, { "mand", 0x40 },
		{ "dirsync", 0x80 }, { "silent", 0x8000 },
		{ "lazytime", 0x2000000 },
	};
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (strcmp(key, flags[i].name) == 0)
			return flags[i].ms;
	return 0;
}

static void
put_opt_str(struct jw *w, const char *key, const char *v)
{
	if (v == NULL)
		return;
	jw_key_plain(w, key, strlen(key));
	jw_str(w, v, strlen(v));
}

/* The mount(2)-shaped record for a completed sequence. */
static void
emit_joined(const struct fsctx *c, const struct mw_event *last,
    const char *source, const char *target, uint64_t ms)
{
	struct mw_event head = *last;
	struct jw *w = &jw;
	size_t i;

	head.start_ns = c->start_ns;
	emit_head(w, "mount", &head, NULL);
	jw_key_plain(w, "syscall", 7);
	jw_str(w, "mount", 5);
	jw_key_plain(w, "via", 3);
	jw_str(w, c->via, strlen(c->via));
	jw_key_plain(w, "from_seq", 8);
	jw_raw(w, "[", 1);
	for (i = 0; i < c->nseq; i++) {
		jw_int(w, (long long)c->seqs[i]);
		jw_raw(w, ",", 1);
	}
	jw_int(w, (long long)last->seq);
	jw_raw(w, "]", 1);
	put_opt_str(w, "source", source);
	put_opt_str(w, "target", target);
	put_opt_str(w, "fstype", c->fstype);
	mw_put_flags(w, "flags", ms, ms_flags);
	put_opt_str(w, "data", c->data);
	emit_tail(w, last, last->start_ns + last->latency_ns - c->start_ns);
	jw_end(w);
	joined++;
}

static void
on_fsconfig(const struct mw_event *e, const struct mw_strings *s)
{
	struct fsctx *c = ctx_get(e, e->args[0]);
	char *key, *value;
	uint64_t cmd = e->args[1];

	if (c == NULL || (c->kind != FS_CONTEXT && c->kind != FS_PICKED))
		return;
	if (cmd == 7 && c->kind == FS_PICKED) {	/* CMD_RECONFIGURE */
		emit_joined(c, e, NULL, c->path, c->ms);
		if (e->ret == 0) {	/* the next reconfiguration starts anew */
			free(c->data), c->data = NULL;
			c->ms = MS_REMOUNT_;
			c->nseq = 1;
		}
		return;
	}
	if (e->ret < 0)
		return;
	add_seq(c, e->seq);
	if (cmd > 4 || cmd == 2)	/* fds, blobs and commands: no option */
		return;
	key = dup_str(e, s, 0);
	value = cmd == 0 ? NULL : dup_str(e, s, 1);
	if (key == NULL)
		;
	else if (cmd == 0 && sb_flag(key) != 0)
		c->ms |= sb_flag(key);
	else if (strcmp(key, "source") == 0 && value != NULL)
		free(c->source), c->source = value, value = NULL;
	else
		append_option(c, key, value);
	free(key);
	free(value);
}

static void
on_fsmount(const struct mw_event *e)
{
	struct fsctx *fs = ctx_get(e, e->args[0]), *m;

	if (fs == NULL || fs->kind != FS_CONTEXT || e->ret < 0)
		return;
	if ((m = ctx_new(e, e->ret, DETACHED, "fsmount")) == NULL)
		return;
	m->start_ns = fs->start_ns;
	memcpy(m->seqs, fs->seqs, fs->nseq * sizeof(fs->seqs[0]));
	m->nseq = fs->nseq;
	add_seq(m, e->seq);
	m->fstype = fs->fstype ? xstrdup(fs->fstype) : NULL;
	m->source = fs->source ? xstrdup(fs->source) : NULL;
	m->data = fs->data ? xstrdup(fs->data) : NULL;
	m->ms = fs->ms | mount_attr_to_ms(e->args[2]);
}

static void
on_open_tree(const struct mw_event *e, const struct mw_strings *s)
{
	int clone = e->args[2] & OPEN_TREE_CLONE_;
	struct fsctx *c;

	if (e->ret < 0)
		return;
	c = ctx_new(e, e->ret, clone ? DETACHED : ATTACHED, "open_tree");
	if (c == NULL)
		return;
	c->path = dup_str(e, s, 0);
	if (clone) {
		c->source = dup_str(e, s, 0);
		c->ms = MS_BIND_ | (e->args[2] & AT_RECURSIVE_ ? MS_REC_ : 0);
	}
}

static void
on_move_mount(const struct mw_event *e, const struct mw_strings *s)
{
	int empty = (e->args[4] & MOVE_MOUNT_F_EMPTY_PATH_) && s->len[0] == 0;
	struct fsctx *c = empty ? ctx_get(e, e->args[0]) : NULL, moved = { 0 };
	char *from, *to = dup_str(e, s, 1);

	if (e->args[4] & MOVE_MOUNT_SET_GROUP_)
		goto out;
	if (c != NULL && c->kind == DETACHED) {
		emit_joined(c, e, c->source, to, c->ms);
		if (e->ret == 0) {	/* now a mount in place: a later move */
			ctx_free_fields(c);	/* starts from here */
			c->kind = ATTACHED;
			c->path = to, to = NULL;
			c->start_ns = e->start_ns;
			c->nseq = 0;
			add_seq(c, e->seq);
		}
	} else if (c != NULL && c->kind == ATTACHED) {
		moved = *c;
		moved.via = "move_mount";
		emit_joined(&moved, e, c->path, to, MS_MOVE_);
		if (e->ret == 0)
			free(c->path), c->path = to, to = NULL;
	} else if (!empty && (from = dup_str(e, s, 0)) != NULL) {
		moved.via = "move_mount";
		moved.start_ns = e->start_ns;
		emit_joined(&moved, e, from, to, MS_MOVE_);
		free(from);
	}
out:
	free(to);
}

/* mount_setattr on a mount in place is a bind remount, or a propagation
 * change, in mount(2)'s terms; on a detached one it shapes the mount. */
static void
on_mount_setattr(const struct mw_event *e, const struct mw_strings *s)
{
	int empty = (e->args[2] & AT_EMPTY_PATH_) && s->len[0] == 0;
	struct fsctx *c = empty ? ctx_get(e, e->args[0]) : NULL, once = { 0 };
	uint64_t rec = e->args[2] & AT_RECURSIVE_ ? MS_REC_ : 0;
	char *target;

	if (e->faulted & (1 << MW_NSTR))
		return;
	if (c != NULL && c->kind == DETACHED) {
		if (e->ret == 0) {
			add_seq(c, e->seq);
			c->ms &= ~mount_attr_to_ms(e->extra[1]);
			c->ms |= mount_attr_to_ms(e->extra[0]) | e->extra[2];
		}
		return;
	}
	target = c != NULL ? xstrdup(c->path ? c->path : "") : dup_str(e, s, 0);
	once.via = "mount_setattr";
	once.start_ns = e->start_ns;
	if (e->extra[0] != 0 || e->extra[1] != 0)
		emit_joined(&once, e, NULL, target, MS_REMOUNT_ | MS_BIND_ |
		    rec | mount_attr_to_ms(e->extra[0]));
	if (e->extra[2] != 0)
		emit_joined(&once, e, NULL, target, e->extra[2] | rec);
	free(target);
}

void
join_event(const struct mw_event *e, const struct mw_strings *s)
{
	struct fsctx *c;

	switch (e->sys) {
	case MW_FSOPEN:
		if (e->ret >= 0 && (c = ctx_new(e, e->ret, FS_CONTEXT,
		    "fsmount")) != NULL)
			c->fstype = dup_str(e, s, 0);
		break;
	case MW_FSPICK:
		if (e->ret >= 0 && (c = ctx_new(e, e->ret, FS_PICKED,
		    "fspick")) != NULL) {
			c->path = dup_str(e, s, 0);
			c->ms = MS_REMOUNT_;
		}
		break;
	case MW_FSCONFIG:	on_fsconfig(e, s); break;
	case MW_FSMOUNT:	on_fsmount(e); break;
	case MW_OPEN_TREE:	on_open_tree(e, s); break;
	case MW_MOVE_MOUNT:	on_move_mount(e, s); break;
	case MW_MOUNT_SETATTR:	on_mount_setattr(e, s); break;
	}
}

void
join_free(void)
{
	size_t i = 0;
	struct fsctx *c;

	while ((c = htab_next(&contexts, &i, NULL)) != NULL)
		ctx_free(c);
	htab_free(&contexts);
}
