/*
 * A model written as vArmor's dynamicResult: sections in the schema's
 * order, entries sorted by key, each field by the name the release
 * asked for gives it; jw for strings, commas by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "model.h"
#include "util.h"

static void
key(struct jw *w, const char *name, int *first)
{
	if (!*first)
		jw_raw(w, ",", 1);
	*first = 0;
	jw_str(w, name, strlen(name));
	jw_raw(w, ":", 1);
}

void
model_put_time(struct jw *w, int64_t us)
{
	char num[32];
	int n = snprintf(num, sizeof(num), "%lld.%06lld",
	    (long long)(us / 1000000), (long long)(us % 1000000));

	while (num[n - 1] == '0')
		n--;
	if (num[n - 1] == '.')
		n--;
	jw_raw(w, num, (size_t)n);
}

static void
put_counts(struct jw *w, const struct entry *e, int *first)
{
	key(w, "count", first);
	jw_int(w, (long long)e->count);
	if (e->first >= 0) {
		key(w, "firstSeen", first);
		model_put_time(w, e->first);
		key(w, "lastSeen", first);
		model_put_time(w, e->last);
	}
}

static int
cmp_num(const void *a, const void *b)
{
	long x = atol(*(const char *const *)a), y = atol(*(const char *const *)b);

	return x < y ? -1 : x > y;
}

/* Whole numbers, in numeric order. */
static void
put_numbers(struct jw *w, const struct sset *ss)
{
	const char **v = xmalloc((ss->n + 1) * sizeof(*v));
	size_t i;

	if (ss->n > 0) {	/* an empty set may have no array at all */
		memcpy(v, ss->s, ss->n * sizeof(*v));
		qsort(v, ss->n, sizeof(*v), cmp_num);
	}
	jw_raw(w, "[", 1);
	for (i = 0; i < ss->n; i++) {
		if (i > 0)
			jw_raw(w, ",", 1);
		jw_puts(w, v[i]);
	}
	jw_raw(w, "]", 1);
	free(v);
}

/* The field's name in the view; NULL when the view has no such field. */
static const char *
field_name(const struct field *f, const struct view *v)
{
	if (v->release == 0)
		return f->name;
	if (!(f->crd & v->release))
		return NULL;
	return (v->release & R_OLD) && f->old ? f->old : f->name;
}

static int
written_empty(const struct field *f, const struct view *v)
{
	return v->release == 0 ? f->always : (f->required & v->release) != 0;
}

void
model_put_entry(struct jw *w, enum section sec, const struct entry *e,
    const struct view *vw)
{
	const struct field *f = sections[sec].f;
	int i, si = 0, first = 1;

	if (is_plain(sec)) {
		jw_str(w, e->val[0], strlen(e->val[0]));
		return;
	}
	jw_raw(w, "{", 1);
	for (i = 0; i < MAXFIELDS && f[i].name != NULL; i++) {
		const char *v = e->val[i], *name = field_name(&f[i], vw);
		const struct sset *ss = is_set_role(f[i].role) ?
		    &e->set[si++] : NULL;

		if (name == NULL)
			continue;
		switch (f[i].role) {
		case F_ID:
		case F_OLDPATH:
			if (v == NULL && !written_empty(&f[i], vw))
				break;
			key(w, name, &first);
			jw_str(w, v ? v : "", v ? strlen(v) : 0);
			break;
		case F_NUM:
		case F_FLAG:
			if (v == NULL)
				break;
			key(w, name, &first);
			jw_puts(w, v);
			break;
		case F_SET:
		case F_IDSET:
		case F_NUMSET:
			if (ss->n == 0 && !written_empty(&f[i], vw))
				break;
			key(w, name, &first);
			if (f[i].role == F_NUMSET)
				put_numbers(w, ss);
			else
				jw_strings(w, ss->s, ss->n);
			break;
		case F_OWNER:
			if (!e->owner && !written_empty(&f[i], vw))
				break;
			key(w, name, &first);
			jw_raw(w, e->owner ? "true" : "false", e->owner ? 4 : 5);
			break;
		}
	}
	if (vw->counts)
		put_counts(w, e, &first);
	if (e->denied && vw->release == 0) {
		key(w, "denied", &first);
		jw_raw(w, "true", 4);
	}
	jw_raw(w, "}", 1);
}

static int
in_view(const struct model *m, const struct view *v, enum section sec)
{
	return model_count(m, sec) > 0 &&
	    (v->release == 0 || (sections[sec].crd & v->release));
}

int
model_section_left_out(struct model *m, const struct view *v,
    enum section sec)
{
	return model_count(m, sec) > 0 && !in_view(m, v, sec);
}

/* A plain list has no room for a flag: its denied names go beside it. */
static void
put_denied_list(struct jw *w, enum section sec, struct entry *const *all,
    size_t n, int *first)
{
	char name[64];
	size_t i;
	int any = 0;

	for (i = 0; i < n && section_grants(sec); i++) {
		if (!all[i]->denied)
			continue;
		if (!any) {
			snprintf(name, sizeof(name), "%sDenied",
			    sections[sec].name);
			key(w, name, first);
			jw_raw(w, "[", 1);
		} else
			jw_raw(w, ",", 1);
		jw_str(w, all[i]->val[0], strlen(all[i]->val[0]));
		any = 1;
	}
	if (any)
		jw_raw(w, "]", 1);
}

#define AHEAD	8		/* entries fetched ahead of writing */

static void
put_section(struct jw *w, struct model *m, enum section sec,
    const struct view *vw, int *first)
{
	struct entry *const *all;
	size_t n = model_entries(m, sec, &all), i;
	char countsname[64];
	int cf = 1;

	/* up to 0.8, no networks object: the sockets were the networks list */
	key(w, (vw->release & R_OLD) && sec == S_SOCKETS ? "networks" :
	    sections[sec].name, first);
	jw_raw(w, "[", 1);
	for (i = 0; i < n; i++) {
		if (i + AHEAD < n) {	/* sorted, they lie all over memory */
			__builtin_prefetch(all[i + AHEAD]);
			__builtin_prefetch(all[i + AHEAD]->key);
		}
		if (i > 0)
			jw_raw(w, ",", 1);
		model_put_entry(w, sec, all[i], vw);
	}
	jw_raw(w, "]", 1);
	if (is_plain(sec) && vw->release == 0)
		put_denied_list(w, sec, all, n, first);
	if (!vw->counts || !is_plain(sec))
		return;
	/* A plain list has no room for counts: they go beside it. */
	snprintf(countsname, sizeof(countsname), "%sCounts", sections[sec].name);
	key(w, countsname, first);
	jw_raw(w, "{", 1);
	for (i = 0; i < n; i++) {
		int f = 1;

		key(w, all[i]->val[0], &cf);
		jw_raw(w, "{", 1);
		put_counts(w, all[i], &f);
		jw_raw(w, "}", 1);
	}
	jw_raw(w, "}", 1);
}

/* The sections of one group, with networks.* nested, in an open object. */
static void
put_sections(struct jw *w, struct model *m, const char *group,
    const struct view *vw, int *first)
{
	const char *open_parent = NULL;
	int s, nfirst = 1;

	for (s = 0; s < NSECTIONS; s++) {
		const char *parent = sections[s].parent;

		if (strcmp(sections[s].group, group) != 0 ||
		    !in_view(m, vw, (enum section)s))
			continue;
		if (vw->release & R_OLD)
			parent = NULL;
		if (open_parent != NULL && (parent == NULL ||
		    strcmp(parent, open_parent) != 0)) {
			jw_raw(w, "}", 1);
			open_parent = NULL;
		}
		if (parent != NULL && open_parent == NULL) {
			key(w, parent, first);
			jw_raw(w, "{", 1);
			open_parent = parent;
			nfirst = 1;
		}
		put_section(w, m, (enum section)s, vw,
		    parent ? &nfirst : first);
	}
	if (open_parent != NULL)
		jw_raw(w, "}", 1);
}

/*
 * appArmor.children, in the native model only: each child's programs as
 * exec, then its own AppArmor sections.
 */
static void
put_children(struct jw *w, struct model *m, const struct view *vw,
    int *first)
{
	struct kid *const *kids;
	size_t n = model_children(m, &kids), i;
	const char *p;

	if (n == 0 || vw->release != 0)
		return;
	key(w, "children", first);
	jw_raw(w, "[", 1);
	for (i = 0; i < n; i++) {
		int f = 1, pf = 1;

		jw_raw(w, i > 0 ? ",{" : "{", i > 0 ? 2 : 1);
		key(w, "exec", &f);
		jw_raw(w, "[", 1);
		for (p = kids[i]->key; p < kids[i]->key + kids[i]->len;
		    p += strlen(p) + 1) {
			if (!pf)
				jw_raw(w, ",", 1);
			pf = 0;
			jw_str(w, p, strlen(p));
		}
		jw_raw(w, "]", 1);
		put_sections(w, kids[i]->m, "appArmor", vw, &f);
		jw_raw(w, "}", 1);
	}
	jw_raw(w, "]", 1);
}

static void
put_group(struct jw *w, struct model *m, const char *group,
    const struct view *vw, int *gfirst)
{
	struct kid *const *kids;
	int s, first = 1, any = 0;
	int apparmor = strcmp(group, "appArmor") == 0;

	for (s = 0; s < NSECTIONS; s++)
		if (strcmp(sections[s].group, group) == 0 &&
		    in_view(m, vw, (enum section)s))
			any = 1;
	if (apparmor && vw->release == 0 && model_children(m, &kids) > 0)
		any = 1;
	if (!any)
		return;
	key(w, apparmor && (vw->release & R_OLD) ? "apparmor" : group, gfirst);
	jw_raw(w, "{", 1);
	put_sections(w, m, group, vw, &first);
	if (apparmor)
		put_children(w, m, vw, &first);
	jw_raw(w, "}", 1);
}

void
model_put(struct jw *w, struct model *m, const struct view *vw)
{
	int first = 1;

	jw_raw(w, "{", 1);
	put_group(w, m, "appArmor", vw, &first);
	put_group(w, m, "bpf", vw, &first);
	put_group(w, m, "seccomp", vw, &first);
	jw_raw(w, "}", 1);
}
