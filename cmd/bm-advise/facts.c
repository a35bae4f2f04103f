/*
 * What a behaviour model shows, as the checks need it.  Every field is
 * optional (vArmor's advisor fails on a model without oldPath; this
 * does not); a field of the wrong type is an error naming it.
 */
#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advise.h"
#include "jsoncj.h"
#include "jsonin.h"
#include "util.h"

static cJSON	*model_root;
static const char *model_file;

static void __attribute__((noreturn))
wrong(const char *where, const char *want)
{
	errx(EXIT_FATAL, "%s: %s: expected %s", model_file, where, want);
}

static cJSON *
group(const char *name)
{
	cJSON *g = model_group(model_root, name);

	if (g != NULL && !cJSON_IsObject(g))
		wrong(name, "an object");
	return g;
}

static cJSON *
list(cJSON *g, const char *gname, const char *name, char *where, size_t wn)
{
	cJSON *a = cJSON_GetObjectItemCaseSensitive(g, name);

	snprintf(where, wn, "data.dynamicResult.%s.%s", gname, name);
	if (a != NULL && !cJSON_IsArray(a))
		wrong(where, "a list");
	return a;
}

/* Append the strings of g.name to s. */
static void
add_strs(struct strs *s, const char *gname, const char *name, int base)
{
	char where[128];
	cJSON *a = list(group(gname), gname, name, where, sizeof(where));

	if (a != NULL && !strs_take(s, a, base))
		wrong(where, "a list of strings");
}

static const char *
opt_str(cJSON *e, const char *key, const char *where)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(e, key);
	char w[160];

	if (v == NULL || cJSON_IsNull(v))
		return NULL;
	snprintf(w, sizeof(w), "%s.%s", where, key);
	if (!cJSON_IsString(v))
		wrong(w, "a string");
	return v->valuestring[0] != '\0' ? v->valuestring : NULL;
}

static void
opt_strs(cJSON *e, const char *key, const char *where, struct strs *s)
{
	cJSON *a = cJSON_GetObjectItemCaseSensitive(e, key);
	char w[160];

	memset(s, 0, sizeof(*s));
	snprintf(w, sizeof(w), "%s.%s", where, key);
	if (a != NULL && !strs_take(s, a, 0))
		wrong(w, "a list of strings");
}

/* Each object of the list group.name, with its JSON path. */
static void
each_entry(struct facts *f, const char *gname, const char *name,
    void (*fn)(struct facts *, cJSON *, const char *))
{
	char where[128], ew[160];
	cJSON *a = list(group(gname), gname, name, where, sizeof(where)), *e;
	int i = 0;

	cJSON_ArrayForEach(e, a) {
		snprintf(ew, sizeof(ew), "%s[%d]", where, i++);
		if (!cJSON_IsObject(e))
			wrong(ew, "an object");
		fn(f, e, ew);
	}
}

static void
file_entry(struct facts *f, cJSON *e, const char *where)
{
	struct mfile *m;
	const char *old;

	f->files = xrealloc(f->files, (f->nfiles + 1) * sizeof(*f->files));
	m = &f->files[f->nfiles++];
	old = opt_str(e, "oldPath", where);
	m->path = old ? old : opt_str(e, "path", where);
	if (m->path == NULL)
		m->path = "";
	opt_strs(e, "permissions", where, &m->perms);
}

static void
mount_entry(struct facts *f, cJSON *e, const char *where)
{
	struct mmount *m;

	f->mounts = xrealloc(f->mounts, (f->nmounts + 1) * sizeof(*f->mounts));
	m = &f->mounts[f->nmounts++];
	m->path = opt_str(e, "path", where);
	m->type = opt_str(e, "type", where);
	m->source = opt_str(e, "source", where);
	opt_strs(e, "flags", where, &m->flags);
	m->operation = in_strs(&m->flags, "umount") ? "umount" :
	    in_strs(&m->flags, "pivot_root") ? "pivot_root" : "mount";
}

static char	*say(const char *, ...) __attribute__((format(printf, 1, 2)));

static char *
say(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return xstrdup(buf);
}

/* "tmpfs none on /mnt/x", "/mnt/x" for an umount, as reasons say it. */
static void
mount_words(const struct mmount *m, char *buf, size_t n)
{
	const char *path = m->path ? m->path : "?";

	if (strcmp(m->operation, "mount") != 0)
		snprintf(buf, n, "%s", path);
	else if (m->type == NULL && m->source == NULL)
		snprintf(buf, n, "something on %s", path);
	else
		snprintf(buf, n, "%s%s%s on %s", m->type ? m->type : "",
		    m->type && m->source ? " " : "", m->source ? m->source : "",
		    path);
}

/* The sentence for a mount of the model. */
char *
mount_sentence(const struct mmount *m)
{
	char words[600], buf[700];

	mount_words(m, words, sizeof(words));
	snprintf(buf, sizeof(buf), "%s %s", strcmp(m->operation, "umount") ==
	    0 ? "the model unmounts" : strcmp(m->operation, "pivot_root") == 0 ?
	    "the model pivots the root to" : "the model mounts", words);
	return xstrdup(buf);
}

/* mount-sth and umount-sth, from mounts and mount-family syscalls. */
static void
mount_features(struct facts *f)
{
	static const char *const mounting[] = { "mount", "move_mount",
	    "fsmount", "fsopen", "fspick", "fsconfig", "open_tree",
	    "mount_setattr", "pivot_root", NULL };
	static const char *const unmounting[] = { "umount", "umount2", NULL };
	const char *const *s;
	size_t i;

	for (i = 0; i < f->nmounts; i++) {
		struct mmount *m = &f->mounts[i];

		if (strcmp(m->operation, "umount") == 0 && f->umount_why == NULL)
			f->umount_why = mount_sentence(m);
		else if (strcmp(m->operation, "umount") != 0 &&
		    f->mount_why == NULL)
			f->mount_why = mount_sentence(m);
	}
	for (s = mounting; *s != NULL && f->mount_why == NULL; s++)
		if (in_strs(&f->syscalls, *s))
			f->mount_why = say("the model calls %s(2)", *s);
	for (s = unmounting; *s != NULL && f->umount_why == NULL; s++)
		if (in_strs(&f->syscalls, *s))
			f->umount_why = say("the model calls %s(2)", *s);
}

static void
infer(struct facts *f, const char *feature, char *why)
{
	if (why == NULL || f->ninfer == 8)
		return;
	f->infer_features[f->ninfer] = feature;
	f->infer_why[f->ninfer++] = why;
}

/* --infer: features the model shows beyond mounts. */
static void
other_features(struct facts *f)
{
	size_t i;

	if (in_strs(&f->syscalls, "bpf"))
		infer(f, "load-bpf", say("the model calls bpf(2)"));
	else if (in_strs(&f->capabilities, "bpf"))
		infer(f, "load-bpf", say("the model uses capability bpf"));
	for (i = 0; i < f->nfiles; i++)
		if (strstr(f->files[i].path,
		    "/secrets/kubernetes.io/serviceaccount/") != NULL) {
			infer(f, "require-sa", say("the model accesses %s",
			    f->files[i].path));
			break;
		}
	if (in_strs(&f->capabilities, "net_bind_service"))
		infer(f, "bind-privileged-socket-port", say("the model uses "
		    "capability net_bind_service"));
}

void
facts_load(struct facts *f, const char *path, int infer_more)
{
	cJSON *kind;

	memset(f, 0, sizeof(*f));
	if (path == NULL)
		return;
	model_file = path;
	model_root = ji_read_one(path, "model", ": merge them with bm-merge "
	    "first");
	kind = cJSON_GetObjectItemCaseSensitive(model_root, "kind");
	if (!cJSON_IsObject(model_root) || (kind != NULL &&
	    (!cJSON_IsString(kind) ||
	    strcmp(kind->valuestring, "ArmorProfileModel") != 0)))
		errx(EXIT_FATAL, "%s: not an ArmorProfileModel", path);
	f->have_model = model_root->child != NULL;	/* {}: none, as vArmor */
	add_strs(&f->capabilities, "apparmor", "capabilities", 0);
	add_strs(&f->capabilities, "bpf", "capabilities", 0);
	add_strs(&f->syscalls, "seccomp", "syscalls", 0);
	add_strs(&f->executions, "apparmor", "executions", 1);
	add_strs(&f->executions, "bpf", "executions", 1);
	each_entry(f, "apparmor", "files", file_entry);
	each_entry(f, "bpf", "files", file_entry);
	each_entry(f, "apparmor", "mounts", mount_entry);
	each_entry(f, "bpf", "mounts", mount_entry);
	mount_features(f);
	if (infer_more)
		other_features(f);
}

void
facts_free(struct facts *f)
{
	size_t i;

	free(f->capabilities.v);
	free(f->syscalls.v);
	free(f->executions.v);
	for (i = 0; i < f->nfiles; i++)
		free(f->files[i].perms.v);
	for (i = 0; i < f->nmounts; i++)
		free(f->mounts[i].flags.v);
	free(f->files);
	free(f->mounts);
	free(f->mount_why);
	free(f->umount_why);
	for (i = 0; i < (size_t)f->ninfer; i++)
		free(f->infer_why[i]);
	cJSON_Delete(model_root);
	model_root = NULL;
}
