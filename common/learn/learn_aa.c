/*
 * AppArmor events, as aa-evtparse writes them, into model entries.
 * The operation or class decides the section; what the task asked for
 * (the requested mask) is what it needs, so that is what is kept.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "learn.h"
#include "util.h"

struct aa {
	struct event		*ev;
	const struct src	*src;
	int			 bad;
};

static int
is(const char *s, const char *t)
{
	return s != NULL && s[0] == t[0] && strcmp(s, t) == 0;
}

static const char *
str(struct aa *a, enum member m)
{
	return get_str(a->ev, m, a->src, &a->bad);
}

/* The first of these fields present: newer logs say requested. */
static const char *
mask(struct aa *a)
{
	static const enum member names[] = { M_REQUESTED_MASK, M_REQUESTED,
	    M_DENIED_MASK, M_DENIED, M_MASK };
	const char *m;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((m = str(a, names[i])) != NULL)
			return m;
	return NULL;
}

static void
put_words(struct obs *o, const char *field, const char *v)
{
	if (v != NULL)
		obs_set_words(o, field_index(o->sec, field), v);
}

static void
put_num(struct aa *a, struct obs *o, const char *field, enum member m)
{
	long long n;
	char num[24];

	if (get_num(a->ev, m, &n, a->src, &a->bad)) {
		snprintf(num, sizeof(num), "%lld", n);
		obs_set_val(o, field, obs_strdup(num, strlen(num)));
	}
}

/* An entry of a section of single strings; 0 when there is none. */
static int
take_value(enum section sec, const char *v)
{
	if (v == NULL)
		return 0;
	obs_new(sec)->val[0] = v;
	return 1;
}

/*
 * File permission letters; c (create) and d (delete) are writes.  The
 * owner::other halves of old masks are both taken.
 */
static const char file_letters[] = "rwaxmklcd";

static void
file_perms(struct obs *o, const char *m, int exec)
{
	int field = field_index(S_FILES, "permissions");
	const char *l;

	for (; *m != '\0'; m++)
		if ((l = strchr(file_letters, *m)) != NULL &&
		    (*m != 'x' || exec))
			obs_set_add(o, field, *m == 'c' || *m == 'd' ? "w" : l, 1);
}

/* A link asks for no exec, whatever its mask says, as aa-logprof reads it. */
static int
file_event(struct aa *a, const char *op, const char *name, const char *m)
{
	struct obs *o;
	long long fsuid, ouid;
	int hasfs, hasou;
	char *pattern;
	const char *sep;

	if (m == NULL || strpbrk(m, is(op, "link") ? "rwamklcd" :
	    file_letters) == NULL)
		return 0;
	o = obs_new(S_FILES);
	file_perms(o, m, !is(op, "link"));
	pattern = path_pattern(name, learn_opts.generalize,
	    strchr(m, 'c') != NULL ? ACCESS_CREATE :
	    strpbrk(m, "waldk") != NULL ? ACCESS_WRITE : ACCESS_READ, NULL);
	obs_set_val(o, "path", pattern ? obs_keep(pattern) : name);
	if (pattern != NULL && strcmp(pattern, name) != 0)
		obs_set_val(o, "oldPath", name);
	hasfs = get_num(a->ev, M_FSUID, &fsuid, a->src, &a->bad);
	hasou = get_num(a->ev, M_OUID, &ouid, a->src, &a->bad);
	if ((sep = strstr(m, "::")) != NULL)	/* old logs: owner::other */
		o->owner = strpbrk(sep + 2, file_letters) == NULL;
	else
		o->owner = hasfs && hasou && fsuid == ouid;
	return 1;
}

static void
network_event(struct aa *a, const char *family)
{
	const char *type = str(a, M_SOCK_TYPE), *m = mask(a);
	const char *addr = str(a, M_ADDR), *peer_addr = str(a, M_PEER_ADDR);
	struct obs *o = obs_new(S_SOCKETS);

	obs_set_val(o, "domain", family);
	obs_set_val(o, "type", type);
	obs_set_val(o, "protocol", str(a, M_PROTOCOL));
	put_words(o, "permissions", m);
	if (strcmp(family, "unix") == 0) {
		o = obs_new(S_UNIX);
		obs_set_val(o, "type", type);
		obs_set_val(o, "addr", addr && strcmp(addr, "none") ? addr : NULL);
		obs_set_val(o, "peerAddr", peer_addr && strcmp(peer_addr, "none") ?
		    peer_addr : NULL);
		obs_set_val(o, "peerLabel", str(a, M_PEER));
		put_words(o, "permissions", m);
		return;
	}
	if (!event_member(a->ev, M_LADDR) && !event_member(a->ev, M_LPORT) &&
	    !event_member(a->ev, M_FADDR) && !event_member(a->ev, M_FPORT))
		return;
	o = obs_new(S_ENDPOINTS);
	obs_set_val(o, "domain", family);
	obs_set_val(o, "type", type);
	obs_set_val(o, "addr", str(a, M_LADDR));
	put_num(a, o, "port", M_LPORT);
	obs_set_val(o, "peerAddr", str(a, M_FADDR));
	put_num(a, o, "peerPort", M_FPORT);
	put_words(o, "permissions", m);
}

/* mount, remount, umount, pivotroot: what the kernel logged. */
static void
mount_event(struct aa *a, const char *op)
{
	struct obs *o = obs_new(S_MOUNTS);
	int flags = field_index(S_MOUNTS, "flags");
	const char *data = str(a, M_OPTIONS);

	obs_set_val(o, "path", str(a, M_NAME));
	if (strcmp(op, "umount") == 0) {
		obs_set_add(o, flags, "umount", 6);
		return;
	}
	obs_set_val(o, "source", str(a, M_SRCNAME));
	if (strcmp(op, "pivotroot") == 0) {
		obs_set_add(o, flags, "pivot_root", 10);
		return;
	}
	obs_set_val(o, "type", str(a, M_FSTYPE));
	obs_set_val(o, "data", data ? data : str(a, M_DATA));
	mount_flags_apparmor(o, flags, str(a, M_FLAGS));
	if (strcmp(op, "remount") == 0)
		obs_set_add(o, flags, "remount", 7);
}

static void
peer_event(struct aa *a, enum section sec, const char *m)
{
	struct obs *o = obs_new(sec);
	const char *peer = str(a, M_PEER);

	obs_set_val(o, "peer", peer ? peer : str(a, M_TARGET));
	put_words(o, "permissions", m);
	if (sec == S_SIGNALS)
		put_words(o, "signals", str(a, M_SIGNAL));
}

static void
dbus_event(struct aa *a, const char *m)
{
	struct obs *o = obs_new(S_DBUS);
	const char *peer = str(a, M_PEER_LABEL), *v;

	obs_set_val(o, "bus", str(a, M_BUS));
	obs_set_val(o, "path", str(a, M_PATH));
	obs_set_val(o, "interface", str(a, M_INTERFACE));
	v = str(a, M_MEMBER);		/* newer kernels: method */
	obs_set_val(o, "member", v ? v : str(a, M_METHOD));
	obs_set_val(o, "name", str(a, M_NAME));
	obs_set_val(o, "peerLabel", peer ? peer : str(a, M_PEER_PROFILE));
	put_words(o, "permissions", m);
}

static void
mqueue_event(struct aa *a, const char *cls, const char *m)
{
	struct obs *o = obs_new(S_MQUEUES);

	obs_set_val(o, "type", strncmp(cls, "sysv", 4) == 0 ? "sysv" : "posix");
	obs_set_val(o, "name", str(a, M_NAME));
	put_words(o, "permissions", m);
}

static int
starts(const char *s, const char *prefix)
{
	return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The section by operation and class; 0 when the event fits none. */
static int
dispatch(struct aa *a, const char *op, const char *cls)
{
	const char *name = str(a, M_NAME), *m = mask(a), *v;

	if (is(op, "capable")) {
		v = str(a, M_CAPNAME);
		return take_value(S_CAPABILITIES, v ? v : name);
	}
	if (is(op, "exec"))
		return take_value(S_EXECUTIONS, name);
	if (is(op, "mount") || is(op, "remount") || is(op, "umount") ||
	    is(op, "pivotroot")) {
		mount_event(a, op);
		return 1;
	}
	if (is(op, "signal") || is(op, "ptrace")) {
		if (m == NULL)
			return 0;
		peer_event(a, is(op, "signal") ? S_SIGNALS : S_PTRACES, m);
		return 1;
	}
	if (starts(op, "dbus_")) {
		dbus_event(a, m);
		return 1;
	}
	if (is(op, "change_profile") || is(op, "change_onexec"))
		return take_value(S_CHANGE_PROFILES, str(a, M_TARGET));
	if (is(cls, "namespace") && starts(m, "userns_"))
		return take_value(S_USERNS, m + 7);
	if (is(cls, "io_uring")) {
		struct obs *o = obs_new(S_IO_URING);

		obs_set_val(o, "label", str(a, M_TCONTEXT));
		put_words(o, "permissions", m);
		return 1;
	}
	if (is(cls, "posix_mqueue") || is(cls, "sysv_mqueue") ||
	    is(op, "sysv_mqueue")) {
		mqueue_event(a, cls ? cls : op, m);
		return 1;
	}
	if ((v = str(a, M_FAMILY)) != NULL) {
		network_event(a, v);
		return 1;
	}
	if (name != NULL)
		return file_event(a, op, name, m);
	return 0;
}

/*
 * Whose child did it: a profile of its own tells by the process's exec
 * records (learn_ran.c), a null- profile by its label (learn_child.c).
 */
static int
children(struct aa *a, const char *label, const char *op)
{
	const char *target = str(a, M_TARGET);
	struct when at = { obs_time, -1 };
	long long pid;

	if (!get_num(a->ev, M_PID, &pid, a->src, &a->bad))
		pid = -1;
	if (!get_num(a->ev, M_SERIAL, &at.serial, a->src, &a->bad))
		at.serial = -1;
	if (a->bad)
		return -1;
	pidpath_pid(label, pid);
	if (is(op, "exec"))
		child_exec(target, str(a, M_NAME), label, pid);
	if (strstr(label, "//") != NULL || strncmp(label, "null-", 5) == 0) {
		child_route(label, pid);
		return 0;
	}
	ran_route(label, pid, at);
	if (is(op, "exec") && target != NULL && strcmp(target, label) == 0)
		ran_exec(label, pid, at, str(a, M_NAME));
	return 0;
}

/* label: the event's profile or label, as learn.c read it */
int
ingest_apparmor(struct event *ev, const struct src *src, const char *label)
{
	struct aa a = { ev, src, 0 };
	const char *mode = str(&a, M_APPARMOR), *op = str(&a, M_OPERATION);
	const char *cls = str(&a, M_CLASS);
	int known;

	if (a.bad)
		return -1;
	if (mode == NULL || !mode_wanted(mode))
		return 0;
	learn_stats.apparmor++;
	obs_denied = strcasecmp(mode, "DENIED") == 0 ||
	    strcasecmp(mode, "KILLED") == 0;
	if (label != NULL && strcmp(label, "unconfined") != 0)
		take_value(S_PROFILES, label);
	known = dispatch(&a, op, cls);
	if (a.bad)
		return -1;
	if (model_keeps_children(learned) && label != NULL &&
	    children(&a, label, op) < 0)
		return -1;
	if (!known)
		take_value(S_UNHANDLED, op ? op : "(none)");
	return 1;
}
