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
	cJSON			*ev;
	const struct src	*src;
	int			 bad;
};

static int
is(const char *s, const char *t)
{
	return s != NULL && strcmp(s, t) == 0;
}

static const char *
str(struct aa *a, const char *name)
{
	return get_str(a->ev, name, a->src, &a->bad);
}

/* The first of these fields present: newer logs say requested. */
static const char *
mask(struct aa *a)
{
	static const char *names[] = { "requested_mask", "requested",
	    "denied_mask", "denied", "mask", NULL };
	const char **n, *m;

	for (n = names; *n != NULL; n++)
		if ((m = str(a, *n)) != NULL)
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
put_num(struct aa *a, struct obs *o, const char *field, const char *name)
{
	long long n;
	char num[24];

	if (get_num(a->ev, name, &n, a->src, &a->bad)) {
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
	pattern = obs_keep(path_pattern(name, learn_opts.generalize,
	    strchr(m, 'c') != NULL ? ACCESS_CREATE :
	    strpbrk(m, "waldk") != NULL ? ACCESS_WRITE : ACCESS_READ, NULL));
	obs_set_val(o, "path", pattern);
	if (strcmp(pattern, name) != 0)
		obs_set_val(o, "oldPath", name);
	hasfs = get_num(a->ev, "fsuid", &fsuid, a->src, &a->bad);
	hasou = get_num(a->ev, "ouid", &ouid, a->src, &a->bad);
	if ((sep = strstr(m, "::")) != NULL)	/* old logs: owner::other */
		o->owner = strpbrk(sep + 2, file_letters) == NULL;
	else
		o->owner = hasfs && hasou && fsuid == ouid;
	return 1;
}

static void
network_event(struct aa *a, const char *family)
{
	const char *type = str(a, "sock_type"), *m = mask(a);
	const char *addr = str(a, "addr"), *peer_addr = str(a, "peer_addr");
	struct obs *o = obs_new(S_SOCKETS);

	obs_set_val(o, "domain", family);
	obs_set_val(o, "type", type);
	obs_set_val(o, "protocol", str(a, "protocol"));
	put_words(o, "permissions", m);
	if (strcmp(family, "unix") == 0) {
		o = obs_new(S_UNIX);
		obs_set_val(o, "type", type);
		obs_set_val(o, "addr", addr && strcmp(addr, "none") ? addr : NULL);
		obs_set_val(o, "peerAddr", peer_addr && strcmp(peer_addr, "none") ?
		    peer_addr : NULL);
		obs_set_val(o, "peerLabel", str(a, "peer"));
		put_words(o, "permissions", m);
		return;
	}
	if (!event_member(a->ev, "laddr") && !event_member(a->ev, "lport") &&
	    !event_member(a->ev, "faddr") && !event_member(a->ev, "fport"))
		return;
	o = obs_new(S_ENDPOINTS);
	obs_set_val(o, "domain", family);
	obs_set_val(o, "type", type);
	obs_set_val(o, "addr", str(a, "laddr"));
	put_num(a, o, "port", "lport");
	obs_set_val(o, "peerAddr", str(a, "faddr"));
	put_num(a, o, "peerPort", "fport");
	put_words(o, "permissions", m);
}

/* mount, remount, umount, pivotroot: what the kernel logged. */
static void
mount_event(struct aa *a, const char *op)
{
	struct obs *o = obs_new(S_MOUNTS);
	int flags = field_index(S_MOUNTS, "flags");
	const char *data = str(a, "options");

	obs_set_val(o, "path", str(a, "name"));
	if (strcmp(op, "umount") == 0) {
		obs_set_add(o, flags, "umount", 6);
		return;
	}
	obs_set_val(o, "source", str(a, "srcname"));
	if (strcmp(op, "pivotroot") == 0) {
		obs_set_add(o, flags, "pivot_root", 10);
		return;
	}
	obs_set_val(o, "type", str(a, "fstype"));
	obs_set_val(o, "data", data ? data : str(a, "data"));
	mount_flags_apparmor(o, flags, str(a, "flags"));
	if (strcmp(op, "remount") == 0)
		obs_set_add(o, flags, "remount", 7);
}

static void
peer_event(struct aa *a, enum section sec, const char *m)
{
	struct obs *o = obs_new(sec);
	const char *peer = str(a, "peer");

	obs_set_val(o, "peer", peer ? peer : str(a, "target"));
	put_words(o, "permissions", m);
	if (sec == S_SIGNALS)
		put_words(o, "signals", str(a, "signal"));
}

static void
dbus_event(struct aa *a, const char *m)
{
	struct obs *o = obs_new(S_DBUS);
	const char *peer = str(a, "peer_label"), *v;

	obs_set_val(o, "bus", str(a, "bus"));
	obs_set_val(o, "path", str(a, "path"));
	obs_set_val(o, "interface", str(a, "interface"));
	v = str(a, "member");		/* newer kernels: method */
	obs_set_val(o, "member", v ? v : str(a, "method"));
	obs_set_val(o, "name", str(a, "name"));
	obs_set_val(o, "peerLabel", peer ? peer : str(a, "peer_profile"));
	put_words(o, "permissions", m);
}

static void
mqueue_event(struct aa *a, const char *cls, const char *m)
{
	struct obs *o = obs_new(S_MQUEUES);

	obs_set_val(o, "type", strncmp(cls, "sysv", 4) == 0 ? "sysv" : "posix");
	obs_set_val(o, "name", str(a, "name"));
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
	const char *name = str(a, "name"), *m = mask(a), *v;

	if (is(op, "capable")) {
		v = str(a, "capname");
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
		return take_value(S_CHANGE_PROFILES, str(a, "target"));
	if (is(cls, "namespace") && starts(m, "userns_"))
		return take_value(S_USERNS, m + 7);
	if (is(cls, "io_uring")) {
		struct obs *o = obs_new(S_IO_URING);

		obs_set_val(o, "label", str(a, "tcontext"));
		put_words(o, "permissions", m);
		return 1;
	}
	if (is(cls, "posix_mqueue") || is(cls, "sysv_mqueue") ||
	    is(op, "sysv_mqueue")) {
		mqueue_event(a, cls ? cls : op, m);
		return 1;
	}
	if ((v = str(a, "family")) != NULL) {
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
	const char *target = str(a, "target");
	struct when at = { obs_time, -1 };
	long long pid;

	if (!get_num(a->ev, "pid", &pid, a->src, &a->bad))
		pid = -1;
	if (!get_num(a->ev, "serial", &at.serial, a->src, &a->bad))
		at.serial = -1;
	if (a->bad)
		return -1;
	pidpath_pid(label, pid);
	if (is(op, "exec"))
		child_exec(target, str(a, "name"), label, pid);
	if (strstr(label, "//") != NULL || strncmp(label, "null-", 5) == 0) {
		child_route(label, pid);
		return 0;
	}
	ran_route(label, pid, at);
	if (is(op, "exec") && target != NULL && strcmp(target, label) == 0)
		ran_exec(label, pid, at, str(a, "name"));
	return 0;
}

/* label: the event's profile or label, as learn.c read it */
int
ingest_apparmor(cJSON *ev, const struct src *src, const char *label)
{
	struct aa a = { ev, src, 0 };
	const char *mode = str(&a, "apparmor"), *op = str(&a, "operation");
	const char *cls = str(&a, "class");
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
