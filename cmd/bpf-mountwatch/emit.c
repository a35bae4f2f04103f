/* One JSON object per syscall. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "jsonw.h"
#include "watch.h"

#define KEY(w, k)	jw_key_plain((w), (k), sizeof(k) - 1)

int64_t	wall_offset_ns;

static struct jw jw;

/* mount(2)'s strings, in argument order. */
static const char *const mount_strs[] = { "source", "target", "fstype",
    "data", NULL };

void
strs_locate(const struct mw_event *e, size_t size, struct mw_strings *s)
{
	const char *p = (const char *)(e + 1), *end = (const char *)e + size;
	int i;

	for (i = 0; i < MW_NSTR; i++) {
		s->len[i] = e->str_len[i];
		if ((size_t)(end - p) < s->len[i])
			s->len[i] = (size_t)(end - p);
		s->p[i] = p;
		p += s->len[i];
	}
}

/* Seconds since the epoch, to the microsecond. */
void
mw_put_time(struct jw *w, const char *key, uint64_t boot_ns)
{
	int64_t ns = (int64_t)boot_ns + wall_offset_ns;
	char num[32];
	int n;

	n = snprintf(num, sizeof(num), "%" PRId64 ".%06" PRId64,
	    ns / 1000000000, ns % 1000000000 / 1000);
	jw_key_plain(w, key, strlen(key));
	jw_raw(w, num, (size_t)n);
}

void
mw_put_u64(struct jw *w, const char *key, uint64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%" PRIu64, v);

	jw_key_plain(w, key, strlen(key));
	jw_raw(w, num, (size_t)n);
}

static void
jw_intkey(struct jw *w, const char *key, long long v)
{
	jw_key_plain(w, key, strlen(key));
	jw_int(w, v);
}

/* String i under key: absent pointers are left out, unreadable ones null. */
static void
put_str(struct jw *w, const char *key, const struct mw_event *e,
    const struct mw_strings *s, int i)
{
	if (e->absent & (1 << i))
		return;
	jw_key_plain(w, key, strlen(key));
	if (e->faulted & (1 << i))
		jw_raw(w, "null", 4);
	else
		jw_str(w, s->p[i], s->len[i]);
}

static void
put_hex(struct jw *w, const char *key, const struct mw_strings *s, int i)
{
	static const char digits[] = "0123456789abcdef";
	char buf[2 * MW_STR_MAX];
	size_t k;

	for (k = 0; k < s->len[i]; k++) {
		buf[2 * k] = digits[(unsigned char)s->p[i][k] >> 4];
		buf[2 * k + 1] = digits[(unsigned char)s->p[i][k] & 0xf];
	}
	jw_key_plain(w, key, strlen(key));
	jw_str(w, buf, 2 * s->len[i]);
}

/* Names of the strings (by index) whose bit is set in mask. */
static void
put_str_list(struct jw *w, const char *key, unsigned mask,
    const char *const *names)
{
	int i, first = 1;

	if (mask == 0)
		return;
	jw_key_plain(w, key, strlen(key));
	jw_raw(w, "[", 1);
	for (i = 0; i <= MW_NSTR; i++) {
		if (!(mask & (1u << i)) || names[i] == NULL)
			continue;
		if (!first)
			jw_raw(w, ",", 1);
		jw_str(w, names[i], strlen(names[i]));
		first = 0;
	}
	jw_raw(w, "]", 1);
}

/* The fields every record of a task starts with. */
void
emit_head(struct jw *w, const char *event, const struct mw_event *e,
    const __u64 *seq)
{
	const char *cg = cgroup_path(e->cgroup_id);

	jw_begin(w);
	KEY(w, "event");
	jw_str(w, event, strlen(event));
	if (seq != NULL)
		mw_put_u64(w, "seq", (uint64_t)*seq);
	mw_put_time(w, "time", e->start_ns);
	jw_intkey(w, "pid", e->pid);
	jw_intkey(w, "tid", e->tid);
	jw_intkey(w, "ppid", e->ppid);
	jw_intkey(w, "uid", e->uid);
	KEY(w, "comm");
	jw_str(w, e->comm, strnlen(e->comm, sizeof(e->comm)));
	if (cg != NULL) {
		KEY(w, "cgroup");
		jw_str(w, cg, strlen(cg));
	}
	mw_put_u64(w, "cgroup_id", e->cgroup_id);
	mw_put_u64(w, "mntns", e->mntns);
	if (e->compat)
		jw_key_plain(w, "compat", 6), jw_raw(w, "true", 4);
}

void
emit_tail(struct jw *w, const struct mw_event *e, uint64_t latency_ns)
{
	char name[32];
	const char *en;

	jw_intkey(w, "ret", e->ret < 0 ? -1 : e->ret);
	if (e->ret < 0) {
		en = strerrorname_np((int)-e->ret);
		if (en == NULL) {
			snprintf(name, sizeof(name), "unknown(%lld)",
			    (long long)-e->ret);
			en = name;
		}
		KEY(w, "errno");
		jw_str(w, en, strlen(en));
	}
	mw_put_u64(w, "latency_ns", latency_ns);
}

static void
mount_args(struct jw *w, const struct mw_event *e, const struct mw_strings *s)
{
	int i;

	for (i = 0; i < 3; i++)
		put_str(w, mount_strs[i], e, s, i);
	mw_put_flags(w, "flags", ms_strip_magic(e->args[3]), ms_flags);
	put_str(w, mount_strs[3], e, s, 3);
}

static void
fsconfig_args(struct jw *w, const struct mw_event *e, const struct mw_strings *s)
{
	const char *cmd = fsconfig_cmd_name(e->args[1]);
	char unknown[32];

	jw_intkey(w, "fd", (int)e->args[0]);

	if (cmd == NULL) {
		snprintf(unknown, sizeof(unknown), "unknown(%llu)",
		    (unsigned long long)e->args[1]);
		cmd = unknown;
	}
	KEY(w, "cmd");
	jw_str(w, cmd, strlen(cmd));
	put_str(w, "key", e, s, 0);
	if (e->args[1] == 2 && !(e->absent & 2) && !(e->faulted & 2))
		put_hex(w, "value_hex", s, 1);
	else
		put_str(w, "value", e, s, 1);
	jw_intkey(w, "aux", (int)e->args[4]);
}

static void
setattr_args(struct jw *w, const struct mw_event *e, const struct mw_strings *s)
{
	jw_intkey(w, "dfd", (int)e->args[0]);
	put_str(w, "path", e, s, 0);
	mw_put_flags(w, "flags", e->args[2], at_flags);
	if (e->faulted & (1 << MW_NSTR))
		return;
	mw_put_flags(w, "attr_set", e->extra[0], mount_attr_flags);
	mw_put_flags(w, "attr_clr", e->extra[1], mount_attr_flags);
	mw_put_flags(w, "propagation", e->extra[2], ms_flags);
	if (e->extra[0] & 0x100000)
		jw_intkey(w, "userns_fd", (int)e->extra[3]);
}

static void
syscall_args(struct jw *w, const struct mw_event *e, const struct mw_strings *s)
{
	switch (e->sys) {
	case MW_MOUNT:
		mount_args(w, e, s);
		break;
	case MW_UMOUNT2:
	case MW_UMOUNT:
		put_str(w, "target", e, s, 0);
		mw_put_flags(w, "flags", e->sys == MW_UMOUNT ? 0 : e->args[1],
		    umount_flags);
		break;
	case MW_PIVOT_ROOT:
		put_str(w, "new_root", e, s, 0);
		put_str(w, "put_old", e, s, 1);
		break;
	case MW_FSOPEN:
		put_str(w, "fstype", e, s, 0);
		mw_put_flags(w, "flags", e->args[1], fsopen_flags);
		break;
	case MW_FSCONFIG:
		fsconfig_args(w, e, s);
		break;
	case MW_FSMOUNT:
		jw_intkey(w, "fd", (int)e->args[0]);
		mw_put_flags(w, "flags", e->args[1], fsmount_flags);
		mw_put_flags(w, "attr", e->args[2], mount_attr_flags);
		break;
	case MW_MOVE_MOUNT:
		jw_intkey(w, "from_dfd", (int)e->args[0]);
		put_str(w, "from_path", e, s, 0);
		jw_intkey(w, "to_dfd", (int)e->args[2]);
		put_str(w, "to_path", e, s, 1);
		mw_put_flags(w, "flags", e->args[4], move_mount_flags);
		break;
	case MW_OPEN_TREE:
	case MW_FSPICK:
		jw_intkey(w, "dfd", (int)e->args[0]);
		put_str(w, "path", e, s, 0);
		mw_put_flags(w, "flags", e->args[2], e->sys == MW_FSPICK ?
		    fspick_flags : open_tree_flags);
		break;
	case MW_MOUNT_SETATTR:
		setattr_args(w, e, s);
		break;
	case MW_SETNS:
		jw_intkey(w, "fd", (int)e->args[0]);
		mw_put_flags(w, "nstype", e->args[1], clone_flags);
		break;
	case MW_UNSHARE:
	case MW_CLONE:
		mw_put_flags(w, "flags", e->args[0], clone_flags);
		break;
	case MW_CLONE3:
		mw_put_flags(w, "flags", e->extra[0], clone_flags);
		break;
	}
}

/* The names of a syscall's strings, for the truncated and unreadable lists. */
static const char *const *
str_names(unsigned sys)
{
	static const char *const target[] = { "target", NULL, NULL, NULL, NULL };
	static const char *const pivot[] = { "new_root", "put_old", NULL, NULL,
	    NULL };
	static const char *const fstype[] = { "fstype", NULL, NULL, NULL, NULL };
	static const char *const fsconfig[] = { "key", "value", NULL, NULL,
	    NULL };
	static const char *const move[] = { "from_path", "to_path", NULL, NULL,
	    NULL };
	static const char *const path[] = { "path", NULL, NULL, NULL, "attr" };
	static const char *const none[] = { NULL, NULL, NULL, NULL, NULL };

	switch (sys) {
	case MW_MOUNT:		return mount_strs;
	case MW_UMOUNT2:
	case MW_UMOUNT:		return target;
	case MW_PIVOT_ROOT:	return pivot;
	case MW_FSOPEN:		return fstype;
	case MW_FSCONFIG:	return fsconfig;
	case MW_MOVE_MOUNT:	return move;
	case MW_OPEN_TREE:
	case MW_FSPICK:
	case MW_MOUNT_SETATTR:	return path;
	}
	return none;
}

static int
is_namespace(unsigned sys)
{
	return sys == MW_UNSHARE || sys == MW_SETNS || sys == MW_CLONE ||
	    sys == MW_CLONE3;
}

void
emit_event(const struct mw_event *e, const struct mw_strings *s)
{
	const char *name = sys_name(e->sys);
	struct jw *w = &jw;

	emit_head(w, is_namespace(e->sys) ? "namespace" : "mount", e, &e->seq);
	KEY(w, "syscall");
	jw_str(w, name, strlen(name));
	syscall_args(w, e, s);
	if (e->mntns_after != e->mntns)
		mw_put_u64(w, "mntns_after", e->mntns_after);
	put_str_list(w, "truncated", e->truncated, str_names(e->sys));
	put_str_list(w, "unreadable", e->faulted, str_names(e->sys));
	emit_tail(w, e, e->latency_ns);
	jw_end(w);
}
