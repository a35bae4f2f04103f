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
#include "model.h"
#include "jsonin.h"
#include "util.h"

static struct model	*model;

static void
take(struct obs *o, const struct model_at *at, void *arg)
{
	(void)at;
	(void)arg;
	model_add(model, o);
}

static void
add_names(struct strs *s, enum section sec, int basename)
{
	struct entry *const *all;
	size_t n = model_entries(model, sec, &all), i;

	s->given = 1;
	for (i = 0; i < n; i++) {
		const char *v = all[i]->val[0], *slash;

		if (basename && (slash = strrchr(v, '/')) != NULL)
			v = slash + 1;
		strs_add(s, v);
	}
}

static void
add_set(struct strs *s, const struct sset *ss)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->given = 1;
	for (i = 0; i < ss->n; i++)
		strs_add(s, ss->s[i]);
}

/* The files of a section: vArmor's advisor matches the original path. */
static void
add_files(struct facts *f, enum section sec)
{
	struct entry *const *all;
	size_t n = model_entries(model, sec, &all), i;

	f->files = xrealloc(f->files, (f->nfiles + n + 1) * sizeof(*f->files));
	for (i = 0; i < n; i++) {
		struct mfile *m = &f->files[f->nfiles++];
		const char *old = entry_val(all[i], sec, "oldPath");

		m->path = old ? old : entry_val(all[i], sec, "path");
		if (m->path == NULL)
			m->path = "";
		add_set(&m->perms, entry_set(all[i], sec, "permissions"));
	}
}

static void
add_mounts(struct facts *f, enum section sec)
{
	struct entry *const *all;
	size_t n = model_entries(model, sec, &all), i;

	f->mounts = xrealloc(f->mounts, (f->nmounts + n + 1) *
	    sizeof(*f->mounts));
	for (i = 0; i < n; i++) {
		struct mmount *m = &f->mounts[f->nmounts++];

		m->path = entry_val(all[i], sec, "path");
		m->type = entry_val(all[i], sec, "type");
		m->source = entry_val(all[i], sec, "source");
		add_set(&m->flags, entry_set(all[i], sec, "flags"));
		m->operation = in_strs(&m->flags, "umount") ? "umount" :
		    in_strs(&m->flags, "pivot_root") ? "pivot_root" : "mount";
	}
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
	struct model_src src = { path, 0, 1, 0 };	/* a bad model is refused */
	cJSON *root;

	memset(f, 0, sizeof(*f));
	if (path == NULL)
		return;
	root = ji_read_one(path, "model", ": merge them with bm-merge first");
	model = model_new();
	model_read(root, &src, take, NULL);
	f->have_model = root->child != NULL;	/* {}: none, as vArmor */
	cJSON_Delete(root);
	/* nothing seen would make every rule look safe to take */
	if (f->have_model && model_empty(model))
		errx(EXIT_FATAL, "%s: an empty model, nothing learnt: no "
		    "advice is given from it ({} asks for none)", path);
	add_names(&f->capabilities, S_CAPABILITIES, 0);
	add_names(&f->capabilities, S_BPF_CAPABILITIES, 0);
	add_names(&f->syscalls, S_SYSCALLS, 0);
	add_names(&f->executions, S_EXECUTIONS, 1);
	add_names(&f->executions, S_BPF_EXECUTIONS, 1);
	add_files(f, S_FILES);
	add_files(f, S_BPF_FILES);
	add_mounts(f, S_MOUNTS);
	add_mounts(f, S_BPF_MOUNTS);
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
	model_free(model);
	model = NULL;
}
