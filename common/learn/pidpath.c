/*
 * Files named by a process's number: out.1234, made by a workload whose
 * process 1234 is gone, is out.1301 on the next run.  A part of a file's
 * name that is the pid of a process of the same profile (of two digits
 * or more; the pid of the process that named it, of its parent, of a
 * child) becomes [0-9]* (genpath.c), alike for every event naming the
 * file: the chown(1) of another process too.  So it is decided once the
 * whole input is read, as the events kept waiting (learn_ran.c,
 * learn_child.c) go into the model through here; any order gives the
 * same model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "learn.h"
#include "util.h"

/* The pids of one profile's processes: seen by number, set by text
 * (v owns the texts). */
struct pids {
	char		 *label;	/* len bytes, not NUL-ended */
	size_t		  len;
	char		**v;
	size_t		  n, cap;
	struct htab	  seen, set;
};

static struct htab	  by_label;
static struct pids	 *last;		/* the last pidpath_pid asked for */
static struct pids	**all;
static size_t		  nall, cap;

static struct pids *
pids_of(const char *label, size_t len, int make)
{
	struct pids *p = htab_sget(&by_label, label, len);

	if (p != NULL || !make)
		return p;
	p = xcalloc(1, sizeof(*p));
	p->label = xmemdup(label, len);
	p->len = len;
	htab_sput(&by_label, p->label, len, p);
	all = xgrow(all, &cap, nall + 1, sizeof(*all), 16);
	all[nall++] = p;
	return p;
}

static size_t
root_len(const char *label)
{
	const char *s = strstr(label, "//");

	return s ? (size_t)(s - label) : strlen(label);
}

void
pidpath_pid(const char *label, long long pid)
{
	struct pids *p;
	char num[24];
	size_t n, len;

	if (pid < 10 || !learn_opts.generalize)
		return;
	len = root_len(label);
	p = last != NULL && last->len == len &&
	    memcmp(last->label, label, len) == 0 ? last :
	    (last = pids_of(label, len, 1));
	if (htab_get(&p->seen, (uint64_t)pid) != NULL)
		return;
	htab_put(&p->seen, (uint64_t)pid, p);
	n = (size_t)snprintf(num, sizeof(num), "%lld", pid);
	p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof(*p->v), 16);
	p->v[p->n] = xstrdup(num);
	htab_sput(&p->set, p->v[p->n], n, p->v[p->n]);
	p->n++;
}

/*
 * Whether some part of the path, between the separators genpath.c
 * knows, is one of the pids: only then can its pattern hold [0-9]*.
 */
static int
names_a_pid(const char *s, const struct htab *set)
{
	const char *part = s;
	int digits = 1;

	for (;; s++) {
		if (*s != '/' && *s != '\0' && !path_sep(*s)) {
			digits = digits && *s >= '0' && *s <= '9';
			continue;
		}
		if (digits && s - part >= 2 && *part != '0' &&
		    htab_sget(set, part, (size_t)(s - part)) != NULL)
			return 1;
		if (*s == '\0')
			return 0;
		part = s + 1;
		digits = 1;
	}
}

char *
pidpath_pattern(const char *label, const char *lit, int write)
{
	const struct pids *p = pids_of(label, root_len(label), 0);
	char *pattern;

	if (p == NULL || lit == NULL || strchr(lit, '\\') != NULL ||
	    !names_a_pid(lit, &p->set))
		return NULL;
	pattern = path_pattern(lit, 1, write ? ACCESS_WRITE : ACCESS_READ,
	    &p->set);
	if (pattern != NULL && strstr(pattern, "[0-9]*") != NULL)
		return pattern;
	free(pattern);
	return NULL;
}

/* A file entry of label's, its pids generalised: into dst. */
static void
merge_file(struct model *dst, const struct entry *f, const char *label,
    const char *child, size_t childlen)
{
	int path = field_index(S_FILES, "path");
	int old = field_index(S_FILES, "oldPath");
	const char *lit = f->val[old] && *f->val[old] ? f->val[old] :
	    f->val[path];
	const struct sset *perms = entry_set(f, S_FILES, "permissions");
	struct entry e = *f;
	char *pattern = pidpath_pattern(label, lit, sset_has(perms, "w") ||
	    sset_has(perms, "a"));

	if (pattern != NULL) {
		e.val[path] = pattern;
		e.val[old] = lit;
	}
	model_merge_entry(dst, S_FILES, &e, child, childlen);
	free(pattern);
}

/* model_merge of the events of label, each file named by a pid of
 * label's processes generalised. */
void
pidpath_merge(struct model *dst, struct model *src, const char *label,
    const char *child, size_t childlen)
{
	struct entry *const *files;
	size_t i, n;
	int s;

	for (s = 0; s < NSECTIONS; s++)
		if (s != S_FILES)
			model_merge_section(dst, src, (enum section)s, child,
			    childlen);
	n = model_entries(src, S_FILES, &files);
	for (i = 0; i < n; i++)
		merge_file(dst, files[i], label, child, childlen);
}

void
pidpath_free(void)
{
	size_t i, j;

	for (i = 0; i < nall; i++) {
		for (j = 0; j < all[i]->n; j++)
			free(all[i]->v[j]);
		free(all[i]->v);
		free(all[i]->label);
		htab_free(&all[i]->set);
		htab_free(&all[i]->seen);
		free(all[i]);
	}
	free(all);
	all = NULL;
	nall = cap = 0;
	htab_free(&by_label);
	last = NULL;
}
